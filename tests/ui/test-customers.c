/* test-customers.c: the Customers page on a temporary database, driven the
 * way a user would — typing, clicking headers, the form, Delete and Undo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "crm-application.h"
#include "crm-customer-editor-private.h"
#include "crm-customer-fields.h"
#include "crm-customers-page-private.h"
#include "crm-order.h"
#include "crm-preferences-window.h"
#include "crm-query.h"
#include "crm-split-list-model.h"
#include "crm-test-util.h"
#include "crm-ui-test-util.h"
#include "crm-ui-util.h"
#include "crm-window.h"

static CrmApplication *app;
static CrmWindow *window;
static CrmCustomersPage *page;
static CrmStore *store;   /* the test's own connection, to check what was saved */
static char *db_path;

static const struct
{
  const char *name;
  const char *email;
  const char *city;
} seed[] = {
  { "Alice Archer", "alice@example.com", "Porto" },
  { "Bob Baker", "bob@example.com", "Lyon" },
  { "Zhang Wei", "zhang.wei@example.cn", "Shanghai" },
  { "Zhang Min", "zmin@example.cn", "Beijing" },
  { "Carol Zhangsworth", "carol@example.org", "Leeds" },
  { "Dmitri Volkov", "dmitri@example.ru", "Kazan" },
  { "Eve Evans", "eve@example.com", "Cardiff" },
  { "Farah Khan", "farah@example.pk", "Lahore" },
  { "Gustavo Lima", "gustavo@example.br", "Recife" },
  { "Hana Sato", "hana@example.jp", "Osaka" },
  { "Ivan Horvat", "ivan@example.hr", "Split" },
  { "Julia Rossi", "julia@example.it", "Turin" },
};

static gboolean
count_is (gpointer expected)
{
  CrmCustomerList *list = crm_customers_page_get_list (page);

  return !crm_customer_list_get_loading (list) &&
         g_strcmp0 (crm_customers_page_get_count_text (page), expected) == 0;
}

static gboolean
view_is (gpointer expected)
{
  CrmCustomerList *list = crm_customers_page_get_list (page);

  return !crm_customer_list_get_loading (list) &&
         g_strcmp0 (crm_customers_page_get_view (page), expected) == 0;
}

/* Mapped labels under @root whose text starts with @prefix. */
static void
collect_labels (GtkWidget  *root,
                const char *prefix,
                GPtrArray  *out)
{
  if (widget_text (root) != NULL && gtk_widget_get_mapped (root) &&
      g_str_has_prefix (widget_text (root), prefix))
    g_ptr_array_add (out, root);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, prefix, out);
}

static gboolean
is_visible_button_labelled (GtkWidget     *widget,
                            gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0 &&
         gtk_widget_get_visible (widget);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  return find_widget_matching (root, is_visible_button_labelled, label);
}

static gint64
seeded_id (const char *name)
{
  return find_customer_id (store, name);
}

static void
set_field (CrmCustomerField field,
           const char      *text)
{
  CrmCustomerEditor *editor = crm_customers_page_get_editor (page);

  gtk_editable_set_text (GTK_EDITABLE (crm_customer_editor_get_field_widget (editor, field)), text);
}

static void
test_count_and_search (void)
{
  GtkEditable *search = crm_customers_page_get_search_entry (page);
  g_autoptr(CrmQuery) query = crm_query_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (wait_until (count_is, "12 customers", 10000));
  g_assert_cmpstr (crm_customers_page_get_view (page), ==, "list");

  /* What the database says for the same search... */
  crm_query_set_search_text (query, "zhang");
  g_assert_cmpint (crm_query_count (query, store, &error), ==, 3);
  g_assert_no_error (error);

  /* ...is what the user reads after typing it. */
  gtk_editable_set_text (search, "zhang");
  g_assert_true (wait_until (count_is, "3 customers", 10000));

  gtk_editable_set_text (search, "no such customer anywhere");
  g_assert_true (wait_until (view_is, "no-results", 10000));
  g_assert_true (wait_until (count_is, "0 customers", 10000));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "customers.clear-filters", NULL));
  g_assert_true (wait_until (count_is, "12 customers", 10000));
  g_assert_cmpstr (crm_customers_page_get_view (page), ==, "list");
}

static gboolean
sorted_by_email_desc (gpointer data)
{
  CrmCustomerList *list = crm_customers_page_get_list (page);
  CrmQuery *query = crm_customer_list_get_query (list);

  return !crm_customer_list_get_loading (list) &&
         g_strcmp0 (crm_query_get_sort_column (query), "email") == 0 &&
         crm_query_get_sort_descending (query);
}

static gboolean
sorted_by_name_asc (gpointer data)
{
  CrmCustomerList *list = crm_customers_page_get_list (page);
  CrmQuery *query = crm_customer_list_get_query (list);

  return !crm_customer_list_get_loading (list) &&
         g_strcmp0 (crm_query_get_sort_column (query), "name") == 0 &&
         !crm_query_get_sort_descending (query);
}

static void
test_sort_by_header (void)
{
  GtkColumnView *view = crm_customers_page_get_column_view (page);
  GListModel *columns = gtk_column_view_get_columns (view);
  g_autoptr(GtkColumnViewColumn) name = g_list_model_get_item (columns, 0);
  g_autoptr(GtkColumnViewColumn) email = g_list_model_get_item (columns, 2);
  CrmCustomerList *list = crm_customers_page_get_list (page);
  g_autoptr(CrmCustomer) first = NULL;

  g_assert_cmpstr (gtk_column_view_column_get_title (email), ==, "E-mail");

  /* What a second click on the E-mail header does. */
  gtk_column_view_sort_by_column (view, email, GTK_SORT_DESCENDING);
  g_assert_true (wait_until (sorted_by_email_desc, NULL, 10000));
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (crm_customer_get_email (first), ==, "zmin@example.cn");
  g_clear_object (&first);

  gtk_column_view_sort_by_column (view, name, GTK_SORT_ASCENDING);
  g_assert_true (wait_until (sorted_by_name_asc, NULL, 10000));
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (crm_customer_get_name (first), ==, "Alice Archer");
}

/* The list's columns and the form's rows are the catalogue's, in its order. */
static void
test_catalogue_columns_and_form (void)
{
  CrmCustomerEditor *editor = crm_customers_page_get_editor (page);
  GListModel *columns = gtk_column_view_get_columns (crm_customers_page_get_column_view (page));
  AdwPreferencesGroup *sections[CRM_FIELD_N_SECTIONS] = {
    editor->contact_group, editor->personal_group, editor->address_group,
    editor->relationship_group, editor->consent_group,
  };
  guint n;
  const CrmCustomerFieldInfo **fields = crm_customer_fields_list_columns (&n);
  GtkWidget *previous = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (columns), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      g_assert_cmpstr (gtk_column_view_column_get_title (column), ==, _(fields[i]->list.title));
      g_assert_cmpint (gtk_column_view_column_get_fixed_width (column), ==, fields[i]->list.width);
    }

  fields = crm_customer_fields_form (&n);
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = crm_customer_editor_get_field_widget (editor, crm_customer_field_get_model (fields[i]));

      g_assert_nonnull (row);
      if (fields[i]->form.kind == CRM_FIELD_EDITOR_NOTES)
        continue;
      g_assert_true (gtk_widget_is_ancestor (row, GTK_WIDGET (sections[fields[i]->form.section])));
      /* After the row before it when both are in one section. */
      if (previous != NULL && gtk_widget_get_parent (previous) == gtk_widget_get_parent (row))
        {
          GtkWidget *w = previous;

          while (w != NULL && w != row)
            w = gtk_widget_get_next_sibling (w);
          g_assert_true (w == row);
        }
      previous = row;
    }
  /* A field the catalogue keeps out of the form has no row. */
  g_assert_null (crm_customer_editor_get_field_widget (editor, CRM_CUSTOMER_EMAIL_CONSENT_AT));
}

static GtkColumnViewColumn *
column_for (const char *key)
{
  GListModel *columns = gtk_column_view_get_columns (crm_customers_page_get_column_view (page));
  guint n;
  const CrmCustomerFieldInfo **fields = crm_customer_fields_list_columns (&n);

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (fields[i]->key, key) == 0)
      {
        GtkColumnViewColumn *column = g_list_model_get_item (columns, i);

        g_object_unref (column);   /* the view keeps it */
        return column;
      }
  g_assert_not_reached ();
}

static gboolean
widths_saved (gpointer data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GVariant) widths = g_settings_get_value (settings, "customer-column-widths");
  gint32 width = 0;

  return g_variant_lookup (widths, "phone", "i", &width) && width == GPOINTER_TO_INT (data);
}

/* The column chooser: what it shows is remembered in GSettings, in the catalogue's order; the
 * name cannot be hidden; a resized column keeps its width, in this window and the next. */
static void
test_column_chooser (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *widget = GTK_WIDGET (page);
  g_auto(GStrv) shown = NULL;
  GtkColumnViewColumn *email = column_for ("email");
  GtkColumnViewColumn *city = column_for ("city");
  GtkColumnViewColumn *phone = column_for ("phone");

  g_settings_reset (settings, "customer-columns");
  g_settings_reset (settings, "customer-column-widths");
  spin (50);
  /* The default fits a default window: no e-mail column, the amounts and dates shown. */
  g_assert_false (gtk_column_view_column_get_visible (email));
  g_assert_true (gtk_column_view_column_get_visible (column_for ("total_spent")));
  g_assert_true (gtk_column_view_column_get_visible (column_for ("last_order")));
  g_assert_true (gtk_column_view_column_get_visible (column_for ("name")));
  g_assert_false (gtk_widget_activate_action (widget, "columns.show-name", NULL));

  g_assert_true (gtk_widget_activate_action (widget, "columns.show-email", NULL));
  g_assert_true (gtk_widget_activate_action (widget, "columns.show-city", NULL));
  g_assert_true (gtk_column_view_column_get_visible (email));
  g_assert_false (gtk_column_view_column_get_visible (city));
  shown = g_settings_get_strv (settings, "customer-columns");
  g_assert_cmpstr (shown[0], ==, "phone");
  g_assert_cmpstr (shown[1], ==, "email");
  g_assert_false (g_strv_contains ((const char * const *) shown, "city"));

  /* Another window (or dconf) changes the setting: this one follows. */
  g_settings_set_strv (settings, "customer-columns", (const char * const[]) { "city", NULL });
  spin (50);
  g_assert_true (gtk_column_view_column_get_visible (city));
  g_assert_false (gtk_column_view_column_get_visible (email));
  g_assert_false (gtk_column_view_column_get_visible (phone));

  /* A resize is saved once it settles, and read back. */
  gtk_column_view_column_set_fixed_width (phone, 171);
  g_assert_true (wait_until (widths_saved, GINT_TO_POINTER (171), 5000));
  g_settings_set_value (settings, "customer-column-widths", g_variant_new_parsed ("@a{si} {'phone': 172}"));
  spin (50);
  g_assert_cmpint (gtk_column_view_column_get_fixed_width (phone), ==, 172);

  g_settings_reset (settings, "customer-columns");
  g_settings_reset (settings, "customer-column-widths");
  spin (600);
  g_assert_true (gtk_column_view_column_get_visible (phone));
  g_assert_false (gtk_column_view_column_get_visible (email));
  g_assert_cmpint (gtk_column_view_column_get_fixed_width (phone), ==, crm_customer_fields_find ("phone")->list.width);
}

static void
test_create_through_form (void)
{
  CrmCustomerEditor *editor = crm_customers_page_get_editor (page);
  g_autoptr(CrmQuery) query = crm_query_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(CrmCustomer) saved = NULL;

  /* Ctrl+N */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.new-customer", NULL));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));
  g_assert_true (crm_customer_editor_get_is_new (editor));

  set_field (CRM_CUSTOMER_NAME, "Kofi Mensah");
  set_field (CRM_CUSTOMER_EMAIL, "kofi@example.gh");
  set_field (CRM_CUSTOMER_CITY, "Accra");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));

  g_assert_cmpint (crm_store_count (store, CRM_TYPE_CUSTOMER, &error), ==, 13);
  crm_query_set_search_text (query, "Kofi Mensah");
  ids = crm_query_run_ids (query, store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  saved = crm_store_load (store, CRM_TYPE_CUSTOMER, g_array_index (ids, gint64, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_customer_get_email (saved), ==, "kofi@example.gh");
  g_assert_cmpstr (crm_customer_get_city (saved), ==, "Accra");

  g_assert_true (wait_until (count_is, "13 customers", 10000));
  g_assert_false (crm_customer_editor_get_is_new (editor));
}

static void
test_edit_shows_in_row (void)
{
  CrmCustomerEditor *editor = crm_customers_page_get_editor (page);
  gint64 id = seeded_id ("Alice Archer");
  g_autoptr(CrmCustomer) saved = NULL;
  g_autoptr(GError) error = NULL;
  LabelQuery q = { GTK_WIDGET (crm_customers_page_get_column_view (page)), "Coimbra" };

  g_assert_true (crm_customers_page_open_customer (page, id));
  g_assert_cmpint (crm_entity_get_id (CRM_ENTITY (crm_customer_editor_get_customer (editor))), ==, id);
  g_assert_null (find_label (q.root, "Coimbra"));
  /* The keyboard is in the first field, not on the header's Cancel. */
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));
    GtkWidget *name = crm_customer_editor_get_field_widget (editor, CRM_CUSTOMER_NAME);

    g_assert_nonnull (focus);
    g_assert_true (focus == name || gtk_widget_is_ancestor (focus, name));
  }

  set_field (CRM_CUSTOMER_CITY, "Coimbra");
  g_assert_true (crm_customer_editor_get_dirty (editor));
  /* Not saved yet: the list still shows the stored city. */
  g_assert_null (find_label (q.root, "Coimbra"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_true (wait_until (label_shown, &q, 5000));

  saved = crm_store_load (store, CRM_TYPE_CUSTOMER, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_customer_get_city (saved), ==, "Coimbra");
}

static gboolean
undo_button_shown (gpointer data)
{
  return find_button (GTK_WIDGET (window), _("_Undo")) != NULL;
}

static void
test_delete_then_undo (void)
{
  gint64 id = seeded_id ("Bob Baker");
  g_autoptr(CrmCustomer) after = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *undo;

  g_assert_true (crm_customers_page_open_customer (page, id));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "customers.delete", NULL));

  g_assert_cmpint (crm_store_count (store, CRM_TYPE_CUSTOMER, &error), ==, 12);
  g_assert_true (wait_until (count_is, "12 customers", 10000));

  g_assert_true (wait_until (undo_button_shown, NULL, 5000));
  undo = find_button (GTK_WIDGET (window), _("_Undo"));
  gtk_widget_activate (undo);

  g_assert_true (wait_until (count_is, "13 customers", 10000));
  after = crm_store_load (store, CRM_TYPE_CUSTOMER, id, &error);
  g_assert_no_error (error);
  g_assert_false (crm_entity_is_deleted (CRM_ENTITY (after)));
  g_assert_cmpstr (crm_customer_get_name (after), ==, "Bob Baker");
}

static void
test_invalid_email (void)
{
  CrmCustomerEditor *editor = crm_customers_page_get_editor (page);
  gint64 id = seeded_id ("Eve Evans");
  g_autoptr(CrmCustomer) after = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *row;

  g_assert_true (crm_customers_page_open_customer (page, id));
  row = crm_customer_editor_get_field_widget (editor, CRM_CUSTOMER_EMAIL);
  g_assert_null (crm_customer_editor_get_field_error (editor, CRM_CUSTOMER_EMAIL));
  g_assert_false (gtk_widget_has_css_class (row, "error"));

  set_field (CRM_CUSTOMER_EMAIL, "eve at example");

  /* The user sees why, right at the field... */
  g_assert_nonnull (crm_customer_editor_get_field_error (editor, CRM_CUSTOMER_EMAIL));
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_nonnull (find_label (GTK_WIDGET (editor),
                                crm_customer_editor_get_field_error (editor, CRM_CUSTOMER_EMAIL)));
  /* ...and cannot save it. */
  g_assert_false (crm_customer_editor_get_valid (editor));
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  g_assert_false (crm_customer_editor_save (editor, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);

  after = crm_store_load (store, CRM_TYPE_CUSTOMER, id, NULL);
  g_assert_cmpstr (crm_customer_get_email (after), ==, "eve@example.com");

  /* Fixing it clears the message. */
  set_field (CRM_CUSTOMER_EMAIL, "eve@example.com");
  g_assert_null (crm_customer_editor_get_field_error (editor, CRM_CUSTOMER_EMAIL));
  g_assert_false (gtk_widget_has_css_class (row, "error"));

  /* A name of zero-width and text-direction marks alone: said at the field, not saved. */
  g_clear_error (&error);
  set_field (CRM_CUSTOMER_NAME, "\u200B\u202E\u2069");
  g_assert_nonnull (crm_customer_editor_get_field_error (editor, CRM_CUSTOMER_NAME));
  g_assert_nonnull (strstr (crm_customer_editor_get_field_error (editor, CRM_CUSTOMER_NAME), "no visible characters"));
  g_assert_false (crm_customer_editor_get_valid (editor));
  g_assert_false (crm_customer_editor_save (editor, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&after);
  after = crm_store_load (store, CRM_TYPE_CUSTOMER, id, NULL);
  g_assert_cmpstr (crm_customer_get_name (after), ==, "Eve Evans");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.cancel", NULL);
}

static void
test_empty_database (void)
{
  g_autofree char *path = crm_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmSession) empty = crm_session_new (path);

  g_assert_true (crm_session_open (empty, &error));
  g_assert_no_error (error);
  crm_customers_page_set_session (page, empty);
  g_assert_true (wait_until (view_is, "empty", 10000));
  g_assert_nonnull (find_button (GTK_WIDGET (page), _("Create Sample Shop")));
  g_assert_nonnull (find_button (GTK_WIDGET (page), _("Add Customer")));
  /* Importing is the suggested (blue) action on an empty database; the sample shop is not. */
  g_assert_true (gtk_widget_has_css_class (find_button (GTK_WIDGET (page), _("_Import a File…")), "suggested-action"));
  g_assert_false (gtk_widget_has_css_class (find_button (GTK_WIDGET (page), _("Create Sample Shop")), "suggested-action"));

  crm_customers_page_set_session (page, crm_window_get_session (window));
  g_assert_true (wait_until (count_is, "13 customers", 10000));
}



/* The view's copy of a list: every change applied as GTK would, reading the
 * added items from the model at the moment of the change. */
static void
mirror_changed (GListModel *model,
                guint       position,
                guint       removed,
                guint       added,
                GListStore *mirror)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  /* Every emission describes a consistent state. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mirror)) - removed + added, ==,
                    g_list_model_get_n_items (model));
  for (guint i = 0; i < added; i++)
    {
      gpointer item = g_list_model_get_item (model, position + i);

      g_assert_nonnull (item);
      g_ptr_array_add (items, item);
    }
  g_list_store_splice (mirror, position, removed, items->pdata, added);
}

static void
store_fill (GListStore *list,
            guint       n,
            guint       first)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      CrmCustomer *c = crm_customer_new ();

      crm_entity_set_identity (CRM_ENTITY (c), first + i, NULL, 0, 0, 0);
      g_ptr_array_add (items, c);
    }
  g_list_store_splice (list, 0, g_list_model_get_n_items (G_LIST_MODEL (list)), items->pdata, n);
}

static void
assert_same (GListModel *a,
             GListModel *b)
{
  g_assert_cmpuint (g_list_model_get_n_items (a), ==, g_list_model_get_n_items (b));
  for (guint i = 0; i < g_list_model_get_n_items (a); i++)
    {
      g_autoptr(GObject) x = g_list_model_get_item (a, i);
      g_autoptr(GObject) y = g_list_model_get_item (b, i);

      g_assert_true (x == y);
    }
}

static gboolean
split_done (gpointer split)
{
  return !crm_split_list_model_get_playing (split);
}

static void
test_split_list_model (void)
{
  g_autoptr(GListStore) source = g_list_store_new (CRM_TYPE_CUSTOMER);
  g_autoptr(GListStore) mirror = g_list_store_new (CRM_TYPE_CUSTOMER);
  g_autoptr(CrmSplitListModel) split = crm_split_list_model_new (G_LIST_MODEL (source), 60, NULL, NULL);

  g_signal_connect (split, "items-changed", G_CALLBACK (mirror_changed), mirror);

  /* A first result, played in steps, the view asking for its first rows. */
  store_fill (source, 5000, 1);
  g_assert_true (crm_split_list_model_get_playing (split));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mirror)), <, 5000);
  g_assert_true (wait_until (split_done, split, 10000));
  assert_same (G_LIST_MODEL (source), G_LIST_MODEL (mirror));

  /* The view has rows 100..300: a new result keeps them while it plays. */
  for (guint i = 100; i < 300; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (split), i));
  store_fill (source, 3000, 100000);
  g_assert_true (crm_split_list_model_get_playing (split));
  /* ...and another before it is done. */
  g_object_unref (g_list_model_get_item (G_LIST_MODEL (split), 0));
  store_fill (source, 900, 200000);
  crm_split_list_model_flush (split);
  g_assert_false (crm_split_list_model_get_playing (split));
  assert_same (G_LIST_MODEL (source), G_LIST_MODEL (mirror));

  /* Small changes go through as they are. */
  g_list_store_remove (source, 10);
  g_assert_false (crm_split_list_model_get_playing (split));
  assert_same (G_LIST_MODEL (source), G_LIST_MODEL (mirror));

  /* Emptied. */
  store_fill (source, 0, 0);
  g_assert_true (wait_until (split_done, split, 10000));
  assert_same (G_LIST_MODEL (source), G_LIST_MODEL (mirror));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mirror)), ==, 0);
}

/* Money ------------------------------------------------------------------- */

static gboolean
label_with_prefix_shown (gpointer data)
{
  LabelQuery *q = data;
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect_labels (q->root, q->text, found);
  return found->len > 0;
}

static void
test_shop_currency (void)
{
  GtkEditable *search = crm_customers_page_get_search_entry (page);
  LabelQuery yuan = { GTK_WIDGET (crm_customers_page_get_column_view (page)), "¥173.40" };
  LabelQuery dollars = { GTK_WIDGET (crm_customers_page_get_column_view (page)), "$173.40" };
  g_autoptr(GError) error = NULL;

  /* The user once chose dollars as the default for new databases... */
  g_assert_cmpstr (crm_customers_page_get_currency (page), ==, "USD");
  gtk_editable_set_text (search, "Hana Sato");
  g_assert_true (wait_until (count_is, "1 customer", 10000));
  g_assert_true (wait_until (label_shown, &dollars, 5000));

  /* ...but this shop counts in yuan (as the generator or an import records):
   * its amounts show in yuan. */
  g_assert_true (crm_store_set_setting (store, "currency", "CNY", &error));
  g_assert_no_error (error);
  crm_customers_page_update_currency (page);
  g_assert_cmpstr (crm_customers_page_get_currency (page), ==, "CNY");
  g_assert_true (wait_until (label_shown, &yuan, 5000));
  g_assert_null (find_label (yuan.root, "$173.40"));

  /* A shop that has no currency of its own falls back to the default. */
  g_assert_true (crm_store_exec (store, "DELETE FROM settings WHERE key = 'currency'", &error));
  g_assert_no_error (error);
  crm_customers_page_update_currency (page);
  g_assert_true (wait_until (label_shown, &dollars, 5000));

  g_assert_true (crm_store_set_setting (store, "currency", "CNY", &error));
  crm_customers_page_update_currency (page);
  g_assert_true (wait_until (label_shown, &yuan, 5000));

  gtk_editable_set_text (search, "");
  g_assert_true (wait_until (count_is, "13 customers", 10000));
}

static void
test_locale_currency (void)
{
  GSettings *settings = crm_application_get_settings (app);
  const struct { const char *locale, *currency; } cases[] = {
    { "zh_CN.UTF-8", "CNY" }, { "en_US.UTF-8", "USD" }, { "de_DE.UTF-8", "EUR" },
    { "fr_FR", "EUR" }, { "de_AT.UTF-8@euro", "EUR" }, { "fr", "EUR" }, { "en_GB.UTF-8", "GBP" },
    { "ja_JP.UTF-8", "JPY" }, { "zh_TW.UTF-8", "TWD" }, { "C.UTF-8", "CNY" }, { "POSIX", "CNY" },
    { "xx_YY", "CNY" },
  };
  g_autofree char *saved = g_strdup (g_getenv ("LC_ALL"));
  g_autofree char *chosen = NULL;
  g_autofree char *fallback = NULL;

  /* The process runs under C.UTF-8, whose LC_MONETARY names no currency: the
   * locale's name decides (as for a locale that is not installed). */
  g_assert_cmpstr (setlocale (LC_MONETARY, NULL), ==, "C.UTF-8");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_setenv ("LC_ALL", cases[i].locale, TRUE);
      g_assert_cmpstr (crm_ui_locale_currency (), ==, cases[i].currency);
    }
  g_setenv ("LC_ALL", saved, TRUE);

  /* Never chosen: the locale's; chosen: the choice. */
  g_settings_reset (settings, "default-currency");
  fallback = crm_ui_default_currency (settings);
  g_assert_cmpstr (fallback, ==, crm_ui_locale_currency ());
  g_settings_set_string (settings, "default-currency", "USD");
  chosen = crm_ui_default_currency (settings);
  g_assert_cmpstr (chosen, ==, "USD");
}

/* Save changes? ------------------------------------------------------------ */

static AdwMessageDialog *
shown_message_dialog (void)
{
  return (AdwMessageDialog *) find_shown_window (ADW_TYPE_MESSAGE_DIALOG);
}

static gboolean
dialog_shown (gpointer data)
{
  return window_mapped (GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG));
}

static gboolean
no_dialog (gpointer data)
{
  return shown_message_dialog () == NULL;
}

/* Clicks the dialog's button labelled @label (e.g. "_Discard"). */
static void
respond (AdwMessageDialog *dialog,
         const char       *label)
{
  GtkWidget *button = find_button (GTK_WIDGET (dialog), label);

  g_assert_nonnull (button);
  gtk_widget_activate (button);
}

/* What a click on @id's row in the list does. */
static void
click_row (gint64 id)
{
  CrmCustomerList *list = crm_customers_page_get_list (page);
  GtkSelectionModel *model = gtk_column_view_get_model (crm_customers_page_get_column_view (page));
  guint position = crm_customer_list_find (list, id);

  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
  gtk_selection_model_select_item (model, position, TRUE);
}

static gint64
editor_id (void)
{
  CrmCustomer *open = crm_customer_editor_get_customer (crm_customers_page_get_editor (page));

  return open != NULL ? crm_entity_get_id (CRM_ENTITY (open)) : 0;
}

static char *
stored_city (gint64 id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) c = crm_store_load (store, CRM_TYPE_CUSTOMER, id, &error);

  g_assert_no_error (error);
  return g_strdup (crm_customer_get_city (c));
}

/* Opens @from, types a new city, then clicks @to's row: the dialog must ask. */
static AdwMessageDialog *
edit_then_switch (gint64      from,
                  gint64      to,
                  const char *city)
{
  CrmCustomerEditor *editor = crm_customers_page_get_editor (page);
  AdwMessageDialog *dialog;

  click_row (from);
  g_assert_cmpint (editor_id (), ==, from);
  g_assert_false (crm_customer_editor_get_dirty (editor));
  set_field (CRM_CUSTOMER_CITY, city);
  g_assert_true (crm_customer_editor_get_dirty (editor));

  click_row (to);
  g_assert_true (wait_until (dialog_shown, NULL, 5000));
  dialog = shown_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Save Changes?");
  g_assert_true (adw_message_dialog_has_response (dialog, "save"));
  g_assert_true (adw_message_dialog_has_response (dialog, "discard"));
  /* Nothing switched or saved while the question is open. */
  g_assert_cmpint (editor_id (), ==, from);

  return dialog;
}

static void
test_unsaved_changes_dialog (void)
{
  CrmCustomerEditor *editor = crm_customers_page_get_editor (page);
  gint64 julia = seeded_id ("Julia Rossi");
  gint64 ivan = seeded_id ("Ivan Horvat");
  gint64 gustavo = seeded_id ("Gustavo Lima");
  g_autofree char *julia_city = NULL;
  g_autofree char *ivan_city = NULL;
  GtkSelectionModel *model = gtk_column_view_get_model (crm_customers_page_get_column_view (page));
  AdwMessageDialog *dialog;

  g_assert_true (wait_until (count_is, "13 customers", 10000));

  /* Discard: the other customer opens, the typed city is gone. */
  dialog = edit_then_switch (julia, ivan, "Milan");
  respond (dialog, "_Discard");
  g_assert_true (wait_until (no_dialog, NULL, 5000));
  g_assert_cmpint (editor_id (), ==, ivan);
  g_assert_false (crm_customer_editor_get_dirty (editor));
  julia_city = stored_city (julia);
  g_assert_cmpstr (julia_city, ==, "Turin");

  /* Save: the typed city is stored, then the other customer opens. */
  dialog = edit_then_switch (ivan, gustavo, "Zagreb");
  respond (dialog, "_Save");
  g_assert_true (wait_until (no_dialog, NULL, 5000));
  g_assert_cmpint (editor_id (), ==, gustavo);
  ivan_city = stored_city (ivan);
  g_assert_cmpstr (ivan_city, ==, "Zagreb");
  g_assert_true (gtk_selection_model_is_selected (model, crm_customer_list_find (crm_customers_page_get_list (page), gustavo)));

  /* Cancel: stay on the edited customer, edits kept, its row selected again. */
  dialog = edit_then_switch (gustavo, julia, "Natal");
  respond (dialog, "_Cancel");
  g_assert_true (wait_until (no_dialog, NULL, 5000));
  g_assert_cmpint (editor_id (), ==, gustavo);
  g_assert_true (crm_customer_editor_get_dirty (editor));
  g_assert_cmpstr (crm_customer_get_city (crm_customer_editor_get_customer (editor)), ==, "Natal");
  g_assert_true (gtk_selection_model_is_selected (model, crm_customer_list_find (crm_customers_page_get_list (page), gustavo)));

  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.cancel", NULL);
  g_clear_pointer (&julia_city, g_free);
  julia_city = stored_city (gustavo);
  g_assert_cmpstr (julia_city, ==, "Recife");
}

/* Duplicates --------------------------------------------------------------- */

static gboolean
revealed (gpointer revealer)
{
  return gtk_revealer_get_child_revealed (revealer);
}

static gboolean
concealed (gpointer revealer)
{
  return !gtk_revealer_get_reveal_child (revealer);
}

static void
test_duplicate_warning (void)
{
  CrmCustomerEditor *editor = crm_customers_page_get_editor (page);
  gint64 carol = seeded_id ("Carol Zhangsworth");
  gint64 alice = seeded_id ("Alice Archer");
  GtkRevealer *revealer;
  GtkWidget *open;
  GtkWidget *warning;
  AdwMessageDialog *dialog;

  g_assert_true (crm_customers_page_open_customer (page, carol));
  revealer = GTK_REVEALER (gtk_widget_get_ancestor (find_action_widget (GTK_WIDGET (editor), "editor.open-duplicate"),
                                                    GTK_TYPE_REVEALER));
  g_assert_nonnull (revealer);
  g_assert_false (gtk_revealer_get_reveal_child (revealer));

  /* Alice's address, typed in other case: the warning names her. */
  set_field (CRM_CUSTOMER_EMAIL, "ALICE@example.com");
  g_assert_true (wait_until (revealed, revealer, 5000));
  warning = find_label (GTK_WIDGET (revealer),
                        "“Alice Archer” already has this e-mail address or phone number.");
  g_assert_nonnull (warning);
  /* It warns, it does not forbid. */
  g_assert_true (crm_customer_editor_get_valid (editor));

  /* Back to her own address: the warning goes. */
  set_field (CRM_CUSTOMER_EMAIL, "carol@example.org");
  g_assert_true (wait_until (concealed, revealer, 5000));
  set_field (CRM_CUSTOMER_EMAIL, "alice@example.com");
  g_assert_true (wait_until (revealed, revealer, 5000));

  /* "Open" shows Alice — after asking about Carol's unsaved edit. */
  open = find_button (GTK_WIDGET (revealer), "_Open");
  g_assert_nonnull (open);
  g_assert_true (gtk_widget_get_mapped (open));
  gtk_widget_activate (open);
  g_assert_true (wait_until (dialog_shown, NULL, 5000));
  dialog = shown_message_dialog ();
  respond (dialog, "_Discard");
  g_assert_true (wait_until (no_dialog, NULL, 5000));
  g_assert_cmpint (editor_id (), ==, alice);
  g_assert_true (wait_until (concealed, revealer, 5000));
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.cancel", NULL);
}

/* Orders ------------------------------------------------------------------- */

/* The rows of the form's orders list: AdwActionRows titled "Order …". */
static GPtrArray *
order_rows (CrmCustomerEditor *editor)
{
  GPtrArray *rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  /* The history's rows (the timeline above it lists the orders too). */
  g_ptr_array_add (stack, editor->order_history);
  while (stack->len > 0)
    {
      GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);
      GPtrArray *children = g_ptr_array_new ();

      if (ADW_IS_ACTION_ROW (w) && gtk_widget_get_mapped (w) &&
          g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)), "Order "))
        g_ptr_array_add (rows, w);
      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_ptr_array_add (children, c);
      /* Depth first, top to bottom. */
      for (guint i = children->len; i > 0; i--)
        g_ptr_array_add (stack, g_ptr_array_index (children, i - 1));
      g_ptr_array_unref (children);
    }

  return rows;
}

static const char *
row_amount (GtkWidget *row)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_labels (row, "¥", labels);
  g_assert_cmpuint (labels->len, ==, 1);
  return widget_text (g_ptr_array_index (labels, 0));
}

static void
test_orders_in_detail (void)
{
  CrmCustomerEditor *editor = crm_customers_page_get_editor (page);
  gint64 hana = seeded_id ("Hana Sato");
  g_autoptr(GPtrArray) rows = NULL;
  LabelQuery total = { GTK_WIDGET (editor), "¥173.40" };

  g_assert_true (crm_customers_page_open_customer (page, hana));
  spin (100);
  rows = order_rows (editor);
  g_assert_cmpuint (rows->len, ==, 2);

  /* Newest first, each with its own total. */
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 0)), ==, "Order H-1002");
  g_assert_cmpstr (row_amount (g_ptr_array_index (rows, 0)), ==, "¥50.00");
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 1)), ==, "Order H-1001");
  g_assert_cmpstr (row_amount (g_ptr_array_index (rows, 1)), ==, "¥123.40");
  /* And what they add up to. */
  g_assert_true (label_shown (&total));
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Someone without orders says so. */
  g_assert_true (crm_customers_page_open_customer (page, seeded_id ("Farah Khan")));
  rows = order_rows (editor);
  g_assert_cmpuint (rows->len, ==, 0);
  g_assert_nonnull (find_label (GTK_WIDGET (editor), "No orders yet"));
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.cancel", NULL);
}

/* Preferences → Default Currency: the open shop's amounts and new databases. */
static gboolean
is_combo_row_titled (GtkWidget     *widget,
                     gconstpointer  title)
{
  return ADW_IS_COMBO_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static GtkWidget *
find_combo_row (GtkWidget  *root,
                const char *title)
{
  return find_widget_matching (root, is_combo_row_titled, title);
}

/* The row of @row's list whose label starts with @code ("EUR — Euro", "Taiwan (+886)"). */
static void
choose_currency (AdwComboRow *row,
                 const char  *code)
{
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) label = g_list_model_get_item (model, i);

      if (g_str_has_prefix (gtk_string_object_get_string (label), code))
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }
  g_assert_not_reached ();
}

static void
test_preferences_currency (void)
{
  GSettings *settings = crm_application_get_settings (app);
  CrmPreferencesWindow *prefs = NULL;
  AdwComboRow *row;
  LabelQuery euros = { GTK_WIDGET (crm_customers_page_get_column_view (page)), "€173.40" };
  g_autofree char *stored = NULL;
  g_autofree char *chosen = NULL;
  GtkEditable *search = crm_customers_page_get_search_entry (page);

  g_assert_cmpstr (crm_customers_page_get_currency (page), ==, "CNY");
  gtk_editable_set_text (search, "Hana Sato");
  g_assert_true (wait_until (count_is, "1 customer", 10000));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.preferences", NULL));
  spin (50);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (CRM_IS_PREFERENCES_WINDOW (l->data))
      prefs = l->data;
  g_assert_nonnull (prefs);
  row = ADW_COMBO_ROW (find_combo_row (GTK_WIDGET (prefs), "Default Currency"));
  g_assert_nonnull (row);

  /* It shows the shop's currency, not the (dollar) default... */
  g_assert_true (g_str_has_prefix (gtk_string_object_get_string (adw_combo_row_get_selected_item (row)), "CNY"));

  /* ...and choosing euros changes both, and the list. */
  choose_currency (row, "EUR");
  stored = crm_store_get_setting (store, "currency");
  g_assert_cmpstr (stored, ==, "EUR");
  chosen = g_settings_get_string (settings, "default-currency");
  g_assert_cmpstr (chosen, ==, "EUR");
  g_assert_cmpstr (crm_customers_page_get_currency (page), ==, "EUR");
  g_assert_true (wait_until (label_shown, &euros, 5000));

  gtk_window_close (GTK_WINDOW (prefs));
  gtk_editable_set_text (search, "");
  g_assert_true (wait_until (count_is, "13 customers", 10000));
}

/* Preferences → Region: national phone numbers are re-keyed for the new country, by a job. */
static gboolean
region_is (gpointer code)
{
  g_autofree char *region = crm_store_dup_region (store);

  return g_strcmp0 (region, code) == 0;
}

static gboolean
is_sensitive (gpointer widget)
{
  return gtk_widget_get_sensitive (widget);
}

static char *
phone_key_of (gint64 id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT phone_rev FROM customers WHERE id = %" G_GINT64_FORMAT, id);
  g_autofree char *rev = crm_test_query_text (store, sql);

  return rev != NULL ? g_strreverse (g_steal_pointer (&rev)) : NULL;
}

static void
test_preferences_region (void)
{
  CrmPreferencesWindow *prefs = NULL;
  AdwComboRow *row;
  g_autoptr(GError) error = NULL;
  gint64 id = find_customer_id (store, "Hana Sato");
  g_autoptr(CrmCustomer) hana = crm_store_load (store, CRM_TYPE_CUSTOMER, id, &error);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_no_error (error);
  /* The database the app made under the C locale: China's. */
  g_assert_true (region_is ("CN"));
  crm_customer_set_phone (hana, "0912 345 678");
  g_assert_true (crm_store_update (store, CRM_ENTITY (hana), &error));
  g_assert_no_error (error);
  before = phone_key_of (id);
  g_assert_cmpstr (before, ==, "+86912345678");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.preferences", NULL));
  spin (50);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (CRM_IS_PREFERENCES_WINDOW (l->data))
      prefs = l->data;
  g_assert_nonnull (prefs);
  row = ADW_COMBO_ROW (find_combo_row (GTK_WIDGET (prefs), "Country or Region"));
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (row)), ==, "China (+86)");

  choose_currency (row, "Taiwan");
  g_assert_true (wait_until (region_is, "TW", 10000));
  g_assert_true (wait_until (is_sensitive, row, 10000));
  after = phone_key_of (id);
  g_assert_cmpstr (after, ==, "+886912345678");
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (row)), ==, "Taiwan (+886)");

  gtk_window_close (GTK_WINDOW (prefs));
}

/* Sample shop -------------------------------------------------------------- */

static gboolean
progress_started (gpointer bar)
{
  return gtk_widget_get_mapped (bar) && gtk_progress_bar_get_fraction (bar) > 0.0;
}

static gboolean
toast_shown (gpointer text)
{
  return find_label (GTK_WIDGET (window), text) != NULL;
}

/* The sample shop asks first; @answer it ("create" or "cancel"). */
static void
answer_sample_dialog (const char *answer)
{
  GtkWidget *dialog;

  g_assert_true (wait_until (window_mapped, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), 5000));
  dialog = find_shown_window (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), answer);
  gtk_window_close (GTK_WINDOW (dialog));
  spin (50);
}

static void
test_sample_shop (void)
{
  g_autofree char *path = crm_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmSession) empty = crm_session_new (path);
  g_autoptr(CrmStore) check = NULL;
  LabelQuery yuan = { GTK_WIDGET (crm_customers_page_get_column_view (page)), "¥" };
  GtkProgressBar *bar;
  GtkWidget *cancel;

  g_assert_true (crm_session_open (empty, &error));
  g_assert_no_error (error);
  crm_customers_page_set_session (page, empty);
  g_assert_true (wait_until (view_is, "empty", 10000));

  /* Asked first: declined, nothing is written. */
  gtk_widget_activate (find_button (GTK_WIDGET (page), _("Create Sample Shop")));
  answer_sample_dialog ("cancel");
  g_assert_true (wait_until (view_is, "empty", 10000));
  g_assert_nonnull (find_button (GTK_WIDGET (page), _("Create Sample Shop")));

  /* A big shop, so there is time to cancel it. */
  crm_customers_page_set_sample_size (page, 200000, 800000);
  gtk_widget_activate (find_button (GTK_WIDGET (page), _("Create Sample Shop")));
  answer_sample_dialog ("create");
  bar = GTK_PROGRESS_BAR (find_widget (GTK_WIDGET (page), GTK_TYPE_PROGRESS_BAR));
  g_assert_nonnull (bar);
  g_assert_true (wait_until (is_mapped, bar, 5000));
  /* The first batch is reported. */
  g_assert_true (wait_until (progress_started, bar, 60000));
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (bar), <, 0.9);
  g_assert_null (find_button (GTK_WIDGET (page), _("Create Sample Shop")));

  cancel = find_button (gtk_widget_get_parent (GTK_WIDGET (bar)), "_Cancel");
  g_assert_nonnull (cancel);
  gtk_widget_activate (cancel);
  g_assert_true (wait_until (is_hidden, gtk_widget_get_parent (GTK_WIDGET (bar)), 60000));
  g_assert_true (wait_until (toast_shown, "Sample shop cancelled; nothing was added.", 5000));

  /* One transaction: nothing of it is left, seen from another connection too. */
  check = crm_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_store_count (check, CRM_TYPE_CUSTOMER, &error), ==, 0);
  g_assert_cmpint (crm_store_count (check, CRM_TYPE_ORDER, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_true (wait_until (view_is, "empty", 10000));
  g_assert_nonnull (find_button (GTK_WIDGET (page), _("Create Sample Shop")));

  /* The default size, to the end: the list fills, in the shop's yuan. */
  crm_customers_page_set_sample_size (page, 5000, 20000);
  gtk_widget_activate (find_button (GTK_WIDGET (page), _("Create Sample Shop")));
  answer_sample_dialog ("create");
  g_assert_true (wait_until (count_is, "5,000 customers", 60000));
  g_assert_cmpstr (crm_customers_page_get_view (page), ==, "list");
  g_assert_cmpint (crm_store_count (check, CRM_TYPE_ORDER, &error), ==, 20000);
  g_assert_cmpstr (crm_customers_page_get_currency (page), ==, "CNY");
  g_assert_true (wait_until (label_with_prefix_shown, &yuan, 5000));

  crm_customers_page_set_session (page, crm_window_get_session (window));
  g_assert_true (wait_until (count_is, "13 customers", 10000));
}

static void
seed_database (void)
{
  g_autoptr(GError) error = NULL;

  store = crm_store_open (db_path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (seed); i++)
    {
      g_autoptr(CrmCustomer) c = crm_customer_new ();

      crm_customer_set_name (c, seed[i].name);
      crm_customer_set_email (c, seed[i].email);
      crm_customer_set_city (c, seed[i].city);
      g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
      g_assert_no_error (error);

      /* Hana has bought twice, in yuan. */
      if (g_str_equal (seed[i].name, "Hana Sato"))
        for (guint k = 0; k < 2; k++)
          {
            g_autoptr(CrmOrder) order = crm_order_new ();
            g_autoptr(GDateTime) placed = g_date_time_new_utc (2024 + k, 7 - 6 * k, 15, 10, 0, 0);

            crm_order_set_customer_id (order, crm_entity_get_id (CRM_ENTITY (c)));
            crm_order_set_number (order, k == 0 ? "H-1001" : "H-1002");
            crm_order_set_placed_at (order, g_date_time_to_unix (placed) * 1000);
            crm_order_set_currency (order, "CNY");
            crm_order_set_total (order, k == 0 ? 12340 : 5000);
            g_assert_true (crm_store_insert (store, CRM_ENTITY (order), &error));
            g_assert_no_error (error);
          }
    }
}

static gboolean
page_store_is (gpointer path)
{
  CrmStore *current = crm_customers_page_get_store (page);

  return current != NULL && g_strcmp0 (crm_store_get_path (current), path) == 0;
}

/* The sample shop's default: a file of its own next to the database, made, then opened by the
 * app (and remembered); the real file gets nothing.  Cancelled, the new file is gone. */
static void
test_sample_shop_own_file (void)
{
  g_autofree char *path = crm_test_db_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *sample = g_build_filename (dir, "sample-shop.db", NULL);
  g_autofree char *previous = g_strdup (crm_application_get_database_path (app));
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmSession) empty = crm_session_new (path);
  g_autoptr(CrmStore) real = NULL;
  g_autoptr(CrmStore) made = NULL;
  GtkProgressBar *bar;

  g_assert_true (crm_session_open (empty, &error));
  g_assert_no_error (error);
  crm_customers_page_set_session (page, empty);
  g_assert_true (wait_until (view_is, "empty", 10000));

  /* Cancelled: the new file is removed. */
  crm_customers_page_set_sample_size (page, 200000, 800000);
  gtk_widget_activate (find_button (GTK_WIDGET (page), _("Create Sample Shop")));
  answer_sample_dialog ("own-file");
  bar = GTK_PROGRESS_BAR (find_widget (GTK_WIDGET (page), GTK_TYPE_PROGRESS_BAR));
  g_assert_true (wait_until (progress_started, bar, 60000));
  g_assert_true (g_file_test (sample, G_FILE_TEST_EXISTS));
  gtk_widget_activate (find_button (gtk_widget_get_parent (GTK_WIDGET (bar)), "_Cancel"));
  g_assert_true (wait_until (is_hidden, gtk_widget_get_parent (GTK_WIDGET (bar)), 60000));
  g_assert_true (wait_until (toast_shown, "Sample shop cancelled; nothing was added.", 5000));
  g_assert_false (g_file_test (sample, G_FILE_TEST_EXISTS));
  g_assert_true (page_store_is (path));

  /* Made and opened: the app is on the sample file, the real one is untouched. */
  crm_customers_page_set_sample_size (page, 500, 2000);
  gtk_widget_activate (find_button (GTK_WIDGET (page), _("Create Sample Shop")));
  answer_sample_dialog ("own-file");
  g_assert_true (wait_until (page_store_is, sample, 60000));
  g_assert_true (wait_until (count_is, "500 customers", 60000));
  g_assert_cmpstr (crm_application_get_database_path (app), ==, sample);
  {
    g_autofree char *remembered = g_settings_get_string (settings, "database-path");
    g_assert_cmpstr (remembered, ==, sample);
  }
  real = crm_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_store_count (real, CRM_TYPE_CUSTOMER, &error), ==, 0);
  made = crm_store_open (sample, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_store_count (made, CRM_TYPE_ORDER, &error), ==, 2000);

  /* Back to the test's own database for the tests after this one. */
  g_settings_reset (settings, "database-path");
  crm_application_set_database_path (app, previous);
  g_assert_true (wait_until (page_store_is, previous, 60000));
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  db_path = crm_test_db_path ();
  seed_database ();

  /* The user chose dollars for new databases once. */
  ui_test_set_settings ("default-currency", "USD", NULL);

  window = ui_test_open_window (db_path, 1200, 760, &app);
  page = crm_window_get_customers_page (window);

  g_test_add_func ("/ui/customers/split-list-model", test_split_list_model);
  g_test_add_func ("/ui/customers/count-and-search", test_count_and_search);
  g_test_add_func ("/ui/customers/sort-by-header", test_sort_by_header);
  g_test_add_func ("/ui/customers/catalogue-columns-and-form", test_catalogue_columns_and_form);
  g_test_add_func ("/ui/customers/column-chooser", test_column_chooser);
  g_test_add_func ("/ui/customers/create-through-form", test_create_through_form);
  g_test_add_func ("/ui/customers/edit-shows-in-row", test_edit_shows_in_row);
  g_test_add_func ("/ui/customers/delete-then-undo", test_delete_then_undo);
  g_test_add_func ("/ui/customers/invalid-email", test_invalid_email);
  g_test_add_func ("/ui/customers/empty-database", test_empty_database);
  g_test_add_func ("/ui/customers/locale-currency", test_locale_currency);
  g_test_add_func ("/ui/customers/shop-currency", test_shop_currency);
  g_test_add_func ("/ui/customers/unsaved-changes-dialog", test_unsaved_changes_dialog);
  g_test_add_func ("/ui/customers/duplicate-warning", test_duplicate_warning);
  g_test_add_func ("/ui/customers/orders-in-detail", test_orders_in_detail);
  g_test_add_func ("/ui/customers/sample-shop", test_sample_shop);
  g_test_add_func ("/ui/customers/sample-shop-own-file", test_sample_shop_own_file);
  g_test_add_func ("/ui/customers/preferences-currency", test_preferences_currency);
  g_test_add_func ("/ui/customers/preferences-region", test_preferences_region);

  return ui_test_run_and_close (window, app, store, db_path);
}

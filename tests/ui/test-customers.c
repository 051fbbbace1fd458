/* test-customers.c: the Customers page on a temporary database, driven the
 * way a user would — typing, clicking headers, the form, Delete and Undo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gi18n.h>

#include "crm-application.h"
#include "crm-customer-editor.h"
#include "crm-customers-page.h"
#include "crm-query.h"
#include "crm-test-util.h"
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

typedef gboolean (*Predicate) (gpointer data);

static gboolean
wait_until (Predicate done,
            gpointer  data,
            guint     timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!done (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  return TRUE;
}

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

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0 &&
      gtk_widget_get_mapped (root))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);
      if (found != NULL)
        return found;
    }

  return NULL;
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} LabelQuery;

static gboolean
label_shown (gpointer data)
{
  LabelQuery *q = data;

  return find_label (q->root, q->text) != NULL;
}

static gint64
seeded_id (const char *name)
{
  g_autoptr(CrmQuery) query = crm_query_new ();
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  crm_query_set_search_text (query, name);
  ids = crm_query_run_ids (query, store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);

  return g_array_index (ids, gint64, 0);
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
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.cancel", NULL);
}

static void
test_empty_database (void)
{
  g_autofree char *path = crm_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) empty = crm_store_open (path, &error);

  g_assert_no_error (error);
  crm_customers_page_set_store (page, empty);
  g_assert_true (wait_until (view_is, "empty", 10000));
  g_assert_nonnull (find_button (GTK_WIDGET (page), _("Create Sample Shop")));
  g_assert_nonnull (find_button (GTK_WIDGET (page), _("Add Customer")));

  crm_customers_page_set_store (page, crm_window_get_store (window));
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
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  crm_test_init (&argc, &argv);

  db_path = crm_test_db_path ();
  seed_database ();

  app = crm_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  crm_application_set_database_path (app, db_path);

  window = crm_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (is_mapped, window, 10000));
  g_assert_nonnull (crm_window_get_store (window));
  page = crm_window_get_customers_page (window);

  g_test_add_func ("/ui/customers/count-and-search", test_count_and_search);
  g_test_add_func ("/ui/customers/sort-by-header", test_sort_by_header);
  g_test_add_func ("/ui/customers/create-through-form", test_create_through_form);
  g_test_add_func ("/ui/customers/edit-shows-in-row", test_edit_shows_in_row);
  g_test_add_func ("/ui/customers/delete-then-undo", test_delete_then_undo);
  g_test_add_func ("/ui/customers/invalid-email", test_invalid_email);
  g_test_add_func ("/ui/customers/empty-database", test_empty_database);

  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&store);
  g_clear_object (&app);
  g_free (db_path);

  return ret;
}

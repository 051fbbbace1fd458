/* crm-customers-page-list.c: the columns of the customer list and its state
 *
 * Each column's cells are bound to a customer property and rebound when it
 * changes; the search entry, the filters and header clicks become the list's
 * CrmQuery (GTK never sorts or filters the lazy list itself).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <string.h>

#include "crm-column-sorter.h"
#include "crm-customer-fields.h"
#include "crm-customers-page-private.h"
#include "crm-format.h"
#include "crm-split-list-model.h"
#include "crm-tier.h"
#include "crm-ui-util.h"

/* The columns are the catalogue's list columns (crm-customer-fields.c): title, width, the
 * property shown and the column the list sorts on. */

/* Cells -------------------------------------------------------------------- */

static const char *
tier_name (CrmCustomersPage *self,
           gint64            id)
{
  if (id == 0 || self->tier_names == NULL)
    return NULL;

  return g_hash_table_lookup (self->tier_names, &id);
}

static char *
cell_text (CrmCustomersPage           *self,
           CrmCustomer                *customer,
           const CrmCustomerFieldInfo *field)
{
  CrmEntity *entity = CRM_ENTITY (customer);
  int m = crm_customer_field_get_model (field);

  switch (field->value)
    {
    case CRM_FIELD_VALUE_TEXT:
    case CRM_FIELD_VALUE_DATE:
      return g_strdup (crm_entity_get_string (entity, m));
    case CRM_FIELD_VALUE_TIER:
      return g_strdup (tier_name (self, crm_entity_get_int64 (entity, m)));
    case CRM_FIELD_VALUE_LIFECYCLE:
      {
        gint64 stage = crm_entity_get_int64 (entity, m);

        return stage >= 0 && stage < CRM_LIFECYCLE_N_STAGES
               ? g_strdup (crm_lifecycle_get_label (stage)) : NULL;
      }
    case CRM_FIELD_VALUE_MONEY:
      return crm_format_money (crm_entity_get_int64 (entity, m), self->currency);
    case CRM_FIELD_VALUE_COUNT:
      return crm_format_count (crm_entity_get_int64 (entity, m));
    case CRM_FIELD_VALUE_TIME:
    case CRM_FIELD_VALUE_DAY:
      {
        gint64 ms = crm_entity_get_int64 (entity, m);

        return ms > 0 ? crm_format_date (ms) : NULL;
      }
    case CRM_FIELD_VALUE_GENDER:
      return g_strdup (crm_gender_get_label (crm_entity_get_int64 (entity, m)));
    case CRM_FIELD_VALUE_BOOLEAN:
      return g_strdup (crm_entity_get_boolean (entity, m) ? _("Yes") : _("No"));
    default:
      g_assert_not_reached ();
    }
}

typedef struct
{
  CrmCustomersPage           *page;
  const CrmCustomerFieldInfo *field;
} ColumnData;

static void
update_cell (GtkListItem *item)
{
  ColumnData *data = g_object_get_data (G_OBJECT (item), "crm-column");
  CrmCustomer *customer = gtk_list_item_get_item (item);
  GtkInscription *cell = GTK_INSCRIPTION (gtk_list_item_get_child (item));
  g_autofree char *text = NULL;

  if (customer != NULL)
    text = cell_text (data->page, customer, data->field);
  gtk_inscription_set_text (cell, text);
}

static void
on_item_notify (GObject     *customer,
                GParamSpec  *pspec,
                GtkListItem *item)
{
  update_cell (item);
}

/* GtkInscription (4.8): measured without laying its text out, which halves
 * the cost of a scroll jump (bench/RESULTS.md).  One font for both scripts
 * (style.css) keeps rows of Latin and Chinese names the same height. */
static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            ColumnData               *data)
{
  GtkWidget *cell = gtk_inscription_new (NULL);
  CrmFieldValue kind = data->field->value;

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  if (kind == CRM_FIELD_VALUE_MONEY || kind == CRM_FIELD_VALUE_COUNT)
    {
      gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), 1.0);
      gtk_widget_add_css_class (cell, "crm-numeric");
    }
  else
    gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), 0.0);
  if (kind == CRM_FIELD_VALUE_DAY || kind == CRM_FIELD_VALUE_TIME || kind == CRM_FIELD_VALUE_TIER ||
      kind == CRM_FIELD_VALUE_LIFECYCLE)
    gtk_widget_add_css_class (cell, "dim-label");

  gtk_list_item_set_child (item, cell);
  g_object_set_data (G_OBJECT (item), "crm-column", data);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           ColumnData               *data)
{
  GObject *customer = gtk_list_item_get_item (item);
  g_autofree char *signal = g_strconcat ("notify::", crm_customer_field_get_property (data->field), NULL);

  update_cell (item);
  if (customer != NULL)
    {
      gulong id = g_signal_connect (customer, signal, G_CALLBACK (on_item_notify), item);

      g_object_set_data (G_OBJECT (item), "crm-handler", GSIZE_TO_POINTER (id));
    }
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             ColumnData               *data)
{
  GObject *customer = gtk_list_item_get_item (item);
  gulong id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (item), "crm-handler"));

  if (customer != NULL && id != 0)
    g_signal_handler_disconnect (customer, id);
  g_object_set_data (G_OBJECT (item), "crm-handler", NULL);
}

void
_crm_customers_page_build_columns (CrmCustomersPage *self)
{
  guint n_fields;
  const CrmCustomerFieldInfo **fields = crm_customer_fields_list_columns (&n_fields);

  for (guint i = 0; i < n_fields; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      ColumnData *data = g_new0 (ColumnData, 1);
      g_autoptr(GtkColumnViewColumn) column = NULL;
      g_autoptr(CrmColumnSorter) sorter = crm_column_sorter_new (crm_customer_field_get_column (fields[i]));

      data->page = self;
      data->field = fields[i];
      g_object_set_data_full (G_OBJECT (factory), "crm-column", data, g_free);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), data);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), data);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), data);

      column = gtk_column_view_column_new (_(fields[i]->list.title), factory);
      g_object_set_data (G_OBJECT (column), "crm-field", (gpointer) fields[i]);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_fixed_width (column, fields[i]->list.width);
      gtk_column_view_column_set_expand (column, fields[i]->list.expand);
      gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
      gtk_column_view_append_column (self->column_view, column);
    }
}

/* Column chooser ----------------------------------------------------------- */

/* The name is always shown: a row without it names nobody. */
static gboolean
column_can_hide (const CrmCustomerFieldInfo *field)
{
  return g_strcmp0 (field->key, "name") != 0;
}

static const CrmCustomerFieldInfo *
column_field (GtkColumnViewColumn *column)
{
  return g_object_get_data (G_OBJECT (column), "crm-field");
}

/* Shows the columns GSettings names, at the widths it keeps, and sets the chooser's checks. */
static void
apply_column_settings (CrmCustomersPage *self)
{
  g_auto(GStrv) shown = g_settings_get_strv (self->settings, "customer-columns");
  g_autoptr(GVariant) widths = g_settings_get_value (self->settings, "customer-column-widths");
  GListModel *columns = gtk_column_view_get_columns (self->column_view);

  self->applying_columns = TRUE;
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      const CrmCustomerFieldInfo *field = column_field (column);
      gboolean visible = !column_can_hide (field) || g_strv_contains ((const char * const *) shown, field->key);
      g_autofree char *action_name = g_strconcat ("show-", field->key, NULL);
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->column_actions), action_name);
      gint32 width = 0;

      gtk_column_view_column_set_visible (column, visible);
      if (!g_variant_lookup (widths, field->key, "i", &width) || width < 24)
        width = field->list.width;
      gtk_column_view_column_set_fixed_width (column, width);
      if (action != NULL)
        g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (visible));
    }
  self->applying_columns = FALSE;
}

static void
show_column_changed (GSimpleAction *action,
                     GVariant      *state,
                     gpointer       user_data)
{
  CrmCustomersPage *self = user_data;
  const char *key = g_action_get_name (G_ACTION (action)) + strlen ("show-");
  gboolean show = g_variant_get_boolean (state);
  g_auto(GStrv) shown = g_settings_get_strv (self->settings, "customer-columns");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) next = NULL;
  guint n;
  const CrmCustomerFieldInfo **fields = crm_customer_fields_list_columns (&n);

  /* In the catalogue's order, whatever order the clicks came in. */
  for (guint i = 0; i < n; i++)
    {
      gboolean on = g_strcmp0 (fields[i]->key, key) == 0 ? show
                                                         : g_strv_contains ((const char * const *) shown, fields[i]->key);

      if (on && column_can_hide (fields[i]))
        g_strv_builder_add (builder, fields[i]->key);
    }
  next = g_strv_builder_end (builder);
  g_simple_action_set_state (action, state);
  g_settings_set_strv (self->settings, "customer-columns", (const char * const *) next);
}

static gboolean
save_widths (gpointer user_data)
{
  CrmCustomersPage *self = user_data;
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  GVariantBuilder builder;

  self->save_widths_id = 0;
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{si}"));
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      const CrmCustomerFieldInfo *field = column_field (column);
      int width = gtk_column_view_column_get_fixed_width (column);

      if (width > 0 && width != (int) field->list.width)
        g_variant_builder_add (&builder, "{si}", field->key, (gint32) width);
    }
  g_settings_set_value (self->settings, "customer-column-widths", g_variant_builder_end (&builder));
  return G_SOURCE_REMOVE;
}

static void
on_column_width (CrmCustomersPage *self)
{
  if (self->applying_columns)
    return;
  /* A drag resizes many times a second: save once it stops. */
  g_clear_handle_id (&self->save_widths_id, g_source_remove);
  self->save_widths_id = g_timeout_add (400, save_widths, self);
}

void
_crm_customers_page_setup_column_chooser (CrmCustomersPage *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();

  self->column_actions = g_simple_action_group_new ();
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      const CrmCustomerFieldInfo *field = column_field (column);

      g_signal_connect_object (column, "notify::fixed-width", G_CALLBACK (on_column_width), self,
                               G_CONNECT_SWAPPED);
      if (column_can_hide (field))
        {
          g_autofree char *name = g_strconcat ("show-", field->key, NULL);
          g_autofree char *detailed = g_strconcat ("columns.", name, NULL);
          g_autoptr(GSimpleAction) action = g_simple_action_new_stateful (name, NULL,
                                                                          g_variant_new_boolean (TRUE));

          g_signal_connect_object (action, "change-state", G_CALLBACK (show_column_changed), self, 0);
          g_action_map_add_action (G_ACTION_MAP (self->column_actions), G_ACTION (action));
          g_menu_append (section, _(field->list.title), detailed);
        }
    }
  g_menu_append_section (menu, _("Show Columns"), G_MENU_MODEL (section));
  gtk_menu_button_set_menu_model (self->columns_button, G_MENU_MODEL (menu));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "columns", G_ACTION_GROUP (self->column_actions));
  g_signal_connect_object (self->settings, "changed::customer-columns", G_CALLBACK (apply_column_settings),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::customer-column-widths",
                           G_CALLBACK (apply_column_settings), self, G_CONNECT_SWAPPED);
  apply_column_settings (self);
}

/* List state --------------------------------------------------------------- */

gboolean
_crm_customers_page_query_is_narrowed (CrmQuery *query)
{
  const char *text = crm_query_get_search_text (query);

  return (text != NULL && text[0] != '\0') ||
         crm_query_get_tier_id (query) != 0 ||
         crm_query_get_lifecycle (query) != -1 ||
         crm_query_get_city (query) != NULL ||
         crm_query_get_tag (query) != NULL ||
         crm_query_get_rule (query) != NULL;
}

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;

  return NULL;
}

/* A new result starts playing to the view: show it from the top. */
void
_crm_customers_page_on_rows_replaced (CrmSplitListModel *rows,
                                      gpointer           user_data)
{
  CrmCustomersPage *self = user_data;
  GtkWidget *list_view = find_list_view (GTK_WIDGET (self->column_view));

  /* Moves the view's anchor to the first row even when the scroll bar is
   * already at the top (the anchor may be an old row the new ones were put
   * above, which the view would otherwise follow down). */
  if (list_view != NULL && g_list_model_get_n_items (G_LIST_MODEL (rows)) > 0)
    gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", 0);
}

void
_crm_customers_page_select_position (CrmCustomersPage *self,
                                     guint             position)
{
  GtkWidget *list_view = find_list_view (GTK_WIDGET (self->column_view));

  /* A row the view does not have yet. */
  if (self->rows != NULL && position != GTK_INVALID_LIST_POSITION &&
      position >= g_list_model_get_n_items (G_LIST_MODEL (self->rows)))
    crm_split_list_model_flush (self->rows);

  self->syncing_selection = TRUE;
  gtk_single_selection_set_selected (self->selection, position);
  self->syncing_selection = FALSE;

  /* GTK 4.8 has no gtk_column_view_scroll_to(); the inner list view's
   * documented "list.scroll-to-item" action does the same. */
  if (list_view != NULL && position != GTK_INVALID_LIST_POSITION)
    gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", position);
}

void
_crm_customers_page_update_view (CrmCustomersPage *self)
{
  guint n;
  gboolean loading;
  g_autofree char *count = NULL;

  if (self->has_error || self->list == NULL)
    return;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  loading = crm_customer_list_get_loading (self->list);

  count = crm_format_count (n);
  g_free (self->count_text);
  self->count_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s customer", "%s customers", n),
                                      count);
  adw_window_title_set_subtitle (self->list_title, self->count_text);

  if (n > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else if (!loading && _crm_customers_page_query_is_narrowed (crm_customer_list_get_query (self->list)))
    gtk_stack_set_visible_child_name (self->stack, "no-results");
  else if (!loading)
    gtk_stack_set_visible_child_name (self->stack, "empty");

  if (!loading)
    {
      CrmCustomer *open = crm_customer_editor_get_customer (self->editor);
      gint64 want = self->select_after_refresh;

      if (want == 0 && open != NULL && !crm_customer_editor_get_is_new (self->editor))
        want = crm_entity_get_id (CRM_ENTITY (open));
      self->select_after_refresh = 0;

      /* A segment, search or filter that leaves the open customer out closes the form
       * (unless it holds unsaved changes): it would show someone not in the list. */
      if (self->close_if_absent && open != NULL && !crm_customer_editor_get_is_new (self->editor) &&
          !crm_customer_editor_get_dirty (self->editor) &&
          crm_customer_list_find (self->list, crm_entity_get_id (CRM_ENTITY (open))) == GTK_INVALID_LIST_POSITION)
        {
          gtk_widget_activate_action (GTK_WIDGET (self->editor), "editor.cancel", NULL);
          want = 0;
        }
      self->close_if_absent = FALSE;

      if (want != 0)
        _crm_customers_page_select_position (self, crm_customer_list_find (self->list, want));
    }
}

void
_crm_customers_page_on_sort_changed (CrmCustomersPage *self)
{
  g_autoptr(GError) error = NULL;
  gboolean descending = FALSE;
  const char *column;

  /* Also emitted while the view is torn down. */
  if (self->list == NULL || self->column_view == NULL)
    return;

  column = crm_column_sorter_get_primary (gtk_column_view_get_sorter (self->column_view), &descending);

  if (column == NULL)
    {
      column = "name";
      descending = FALSE;
    }

  if (!crm_query_set_sort (crm_customer_list_get_query (self->list), column, descending, &error))
    g_warning ("Cannot sort by %s: %s", column, error->message);
}

void
_crm_customers_page_on_search_changed (CrmCustomersPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (self->list != NULL &&
      g_strcmp0 (crm_query_get_search_text (crm_customer_list_get_query (self->list)),
                 text[0] != '\0' ? text : NULL) != 0)
    {
      self->close_if_absent = TRUE;
      crm_query_set_search_text (crm_customer_list_get_query (self->list),
                                 text[0] != '\0' ? text : NULL);
    }
}

void
_crm_customers_page_on_stop_search (CrmCustomersPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static const char *
entry_value (GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  return text[0] != '\0' ? text : NULL;
}

void
_crm_customers_page_on_filter_changed (CrmCustomersPage *self)
{
  CrmQuery *query;
  guint tier = gtk_drop_down_get_selected (self->tier_filter);
  guint stage = gtk_drop_down_get_selected (self->stage_filter);
  gboolean active;

  if (self->list == NULL)
    return;

  query = crm_customer_list_get_query (self->list);
  self->close_if_absent = TRUE;
  crm_query_set_tier_id (query, tier != GTK_INVALID_LIST_POSITION && tier < self->tier_filter_ids->len
                         ? g_array_index (self->tier_filter_ids, gint64, tier) : 0);
  crm_query_set_lifecycle (query, stage != GTK_INVALID_LIST_POSITION && stage > 0 ? (int) stage - 1 : -1);
  crm_query_set_city (query, entry_value (self->city_filter));
  crm_query_set_tag (query, entry_value (self->tag_filter));
  /* "My Customers": the operator chosen in Preferences; without one the button does nothing. */
  {
    g_autofree char *operator = g_settings_get_string (self->settings, "operator-owner");

    gtk_widget_set_sensitive (GTK_WIDGET (self->mine_filter), operator[0] != '\0');
    crm_query_set_owner (query, gtk_toggle_button_get_active (self->mine_filter) && operator[0] != '\0'
                                ? operator : NULL);
  }

  active = crm_query_get_tier_id (query) != 0 || crm_query_get_lifecycle (query) != -1 ||
           crm_query_get_city (query) != NULL || crm_query_get_tag (query) != NULL ||
           crm_query_get_owner (query) != NULL;
  if (active)
    gtk_widget_add_css_class (GTK_WIDGET (self->filter_button), "accent");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->filter_button), "accent");
}

void
_crm_customers_page_fill_filters (CrmCustomersPage *self)
{
  g_autoptr(GtkStringList) tiers = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) stages = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) list = NULL;
  gint64 any = 0;

  g_hash_table_remove_all (self->tier_names);
  g_array_set_size (self->tier_filter_ids, 0);
  gtk_string_list_append (tiers, _("Any Tier"));
  g_array_append_val (self->tier_filter_ids, any);

  if (self->store != NULL)
    {
      list = crm_ui_list_tiers (self->store);
      for (guint i = 0; i < list->len; i++)
        {
          CrmTier *tier = g_ptr_array_index (list, i);
          gint64 id = crm_entity_get_id (CRM_ENTITY (tier));

          g_hash_table_insert (self->tier_names, g_memdup2 (&id, sizeof id),
                               g_strdup (crm_tier_get_display_name (tier)));
          gtk_string_list_append (tiers, crm_tier_get_display_name (tier));
          g_array_append_val (self->tier_filter_ids, id);
        }
    }

  gtk_string_list_append (stages, _("Any Stage"));
  for (CrmLifecycle s = 0; s < CRM_LIFECYCLE_N_STAGES; s++)
    gtk_string_list_append (stages, crm_lifecycle_get_label (s));

  gtk_drop_down_set_model (self->tier_filter, G_LIST_MODEL (tiers));
  gtk_drop_down_set_model (self->stage_filter, G_LIST_MODEL (stages));
  /* No tiers defined yet: a filter with only "Any Tier" would be noise. */
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->tier_filter)), self->tier_filter_ids->len > 1);
}

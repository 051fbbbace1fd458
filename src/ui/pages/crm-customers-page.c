/* crm-customers-page.c
 *
 * The list is a GtkColumnView straight over the lazy CrmCustomerList: GTK
 * never sorts or filters it (that would read every row).  Header clicks are
 * turned into an SQL sort (see crm-column-sorter.c), the search entry and the
 * filters into the list's CrmQuery, which re-runs the ids off the main thread.
 *
 * The class spreads over four files as gnome-text-editor's do: this one holds
 * the widget (properties, layout, the session and currency, the template),
 * crm-customers-page-list.c the columns and the list's search, filters and
 * sort, crm-customers-page-detail.c the selection and the form beside the list
 * (open, unsaved changes, delete and undo), crm-customers-page-actions.c the
 * actions and the sample shop; the instance struct is in
 * crm-customers-page-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-customers-page-private.h"
#include "crm-rule.h"
#include "crm-split-list-model.h"
#include "crm-ui-util.h"

/* New results changing more rows than this are played to the view in steps
 * (a change of up to this many rows costs GTK ~30 ms at once). */
#define MAX_RESCAN       60
#define SAMPLE_CUSTOMERS 5000
#define SAMPLE_ORDERS    20000

G_DEFINE_FINAL_TYPE (CrmCustomersPage, crm_customers_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Accessors ---------------------------------------------------------------- */

gboolean
crm_customers_page_get_folded (CrmCustomersPage *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMERS_PAGE (self), FALSE);

  return self->folded;
}

CrmStore *
crm_customers_page_get_store (CrmCustomersPage *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMERS_PAGE (self), NULL);

  return self->store;
}

CrmCustomerList *
crm_customers_page_get_list (CrmCustomersPage *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMERS_PAGE (self), NULL);

  return self->list;
}

CrmCustomerEditor *
crm_customers_page_get_editor (CrmCustomersPage *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMERS_PAGE (self), NULL);

  return self->editor;
}

GtkEditable *
crm_customers_page_get_search_entry (CrmCustomersPage *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMERS_PAGE (self), NULL);

  return GTK_EDITABLE (self->search_entry);
}

GtkColumnView *
crm_customers_page_get_column_view (CrmCustomersPage *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMERS_PAGE (self), NULL);

  return self->column_view;
}

const char *
crm_customers_page_get_view (CrmCustomersPage *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMERS_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
crm_customers_page_get_count_text (CrmCustomersPage *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMERS_PAGE (self), NULL);

  return self->count_text;
}

/* Layout ------------------------------------------------------------------- */

static void
update_layout (CrmCustomersPage *self)
{
  gboolean inner_folded = adw_leaflet_get_folded (self->leaflet);
  gboolean editor_shown = gtk_widget_get_visible (GTK_WIDGET (self->editor));

  gtk_widget_set_visible (self->back_button, self->folded);
  adw_header_bar_set_show_start_title_buttons (self->list_header, self->folded);
  adw_header_bar_set_show_end_title_buttons (self->list_header, !editor_shown || inner_folded);
  crm_customer_editor_set_folded (self->editor, inner_folded);
  crm_customer_editor_set_show_start_title_buttons (self->editor, inner_folded && self->folded);
}

void
crm_customers_page_set_folded (CrmCustomersPage *self,
                               gboolean          folded)
{
  g_return_if_fail (CRM_IS_CUSTOMERS_PAGE (self));

  folded = !!folded;
  if (self->folded == folded)
    return;

  self->folded = folded;
  update_layout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDED]);
}

void
_crm_customers_page_show_editor (CrmCustomersPage *self,
                                 gboolean          show)
{
  gtk_widget_set_visible (GTK_WIDGET (self->editor), show);
  gtk_widget_set_visible (self->editor_separator, show);
  adw_leaflet_set_visible_child (self->leaflet,
                                 show ? GTK_WIDGET (self->editor) : self->list_pane);
  update_layout (self);
}

/* Store -------------------------------------------------------------------- */

void
crm_customers_page_show_error (CrmCustomersPage *self,
                               const char       *message)
{
  g_return_if_fail (CRM_IS_CUSTOMERS_PAGE (self));

  crm_customers_page_set_session (self, NULL);
  self->has_error = TRUE;
  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
  adw_window_title_set_subtitle (self->list_title, NULL);
}

/* While the window opens @path off the main thread (crm_store_needs_upgrade()). */
void
crm_customers_page_show_upgrading (CrmCustomersPage *self,
                                   const char       *path)
{
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;

  g_return_if_fail (CRM_IS_CUSTOMERS_PAGE (self));

  crm_customers_page_set_session (self, NULL);
  name = g_filename_display_basename (path);
  /* Translators: %s is a file name. */
  description = g_strdup_printf (_("“%s” is being updated for this version of Clientele. "
                                   "A large database takes a minute; your customers and orders stay as they are."), name);
  adw_status_page_set_description (self->upgrading_page, description);
  gtk_stack_set_visible_child_name (self->stack, "upgrading");
  adw_window_title_set_subtitle (self->list_title, NULL);
}

/* Segments (crm-segments-page.c) ------------------------------------------ */

void
crm_customers_page_show_segment (CrmCustomersPage *self,
                                 CrmSegment       *segment)
{
  g_autoptr(CrmRule) rule = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CRM_IS_CUSTOMERS_PAGE (self));
  g_return_if_fail (segment == NULL || CRM_IS_SEGMENT (segment));

  if (segment != NULL && (rule = crm_rule_new_from_json (crm_segment_get_rule (segment), &error)) == NULL)
    {
      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }

  /* A segment (or all customers again) is a new view: the last search would narrow it
   * to nothing. */
  if (segment != self->segment || segment != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      _crm_customers_page_on_search_changed (self);
    }
  g_set_object (&self->segment, segment);
  adw_window_title_set_title (self->list_title, segment != NULL ? crm_segment_get_name (segment)
                                                                 : _("Customers"));
  if (self->list != NULL)
    {
      self->close_if_absent = TRUE;
      crm_query_set_rule (crm_customer_list_get_query (self->list), rule);
    }
}

CrmSegment *
crm_customers_page_get_segment (CrmCustomersPage *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMERS_PAGE (self), NULL);

  return self->segment;
}

void
crm_customers_page_reload (CrmCustomersPage *self)
{
  g_return_if_fail (CRM_IS_CUSTOMERS_PAGE (self));

  _crm_customers_page_fill_filters (self);
  if (self->list != NULL)
    {
      /* Bulk changes (a recompute, an import) also change rows already shown. */
      crm_customer_list_reload_rows (self->list);
      crm_customer_list_refresh (self->list);
    }
}

/* The session's news ------------------------------------------------------- */

static void
on_customers_changed (CrmCustomersPage *self,
                      GArray           *ids)
{
  if (self->list == NULL)
    return;
  if (ids == NULL)
    {
      crm_customers_page_reload (self);
      return;
    }
  /* Rows shown follow at once; the ids run again only when a change may move a customer
   * into or out of the list (a new one, a deleted one, a narrowed view). */
  if (crm_customer_list_reload_ids (self->list, (const gint64 *) ids->data, ids->len) ||
      _crm_customers_page_query_is_narrowed (crm_customer_list_get_query (self->list)))
    crm_customer_list_refresh (self->list);
}

static void
on_settings_changed (CrmCustomersPage *self,
                     const char       *key)
{
  if (key == NULL || g_str_equal (key, "currency"))
    crm_customers_page_update_currency (self);
}

void
crm_customers_page_set_session (CrmCustomersPage *self,
                                CrmSession       *session)
{
  CrmStore *store;

  g_return_if_fail (CRM_IS_CUSTOMERS_PAGE (self));

  if (self->sample_cancellable != NULL)
    g_cancellable_cancel (self->sample_cancellable);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  store = session != NULL ? crm_session_get_store (session) : NULL;

  gtk_column_view_set_model (self->column_view, NULL);
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->rows);
  g_clear_object (&self->list);
  g_set_object (&self->store, store);
  self->has_error = FALSE;
  g_clear_object (&self->segment);
  adw_window_title_set_title (self->list_title, _("Customers"));

  crm_customer_editor_set_session (self->editor, store != NULL ? session : NULL);
  _crm_customers_page_show_editor (self, FALSE);
  _crm_customers_page_fill_filters (self);
  _crm_customers_page_load_currency (self);

  if (store == NULL)
    return;

  g_signal_connect_object (session, "customers-changed", G_CALLBACK (on_customers_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "values-recomputed", G_CALLBACK (crm_customers_page_reload), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "settings-changed", G_CALLBACK (on_settings_changed), self,
                           G_CONNECT_SWAPPED);

  self->list = crm_customer_list_new (session);
  g_signal_connect_object (self->list, "notify::n-items", G_CALLBACK (_crm_customers_page_update_view), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list, "notify::loading", G_CALLBACK (_crm_customers_page_update_view), self,
                           G_CONNECT_SWAPPED);

  /* Between the two: see crm-split-list-model.h (a new result over 1M rows
   * would otherwise make GTK read every row once, and rebuild 200 rows at once). */
  self->rows = crm_split_list_model_new (G_LIST_MODEL (self->list), MAX_RESCAN, _crm_customers_page_on_rows_replaced, self);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->rows)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (_crm_customers_page_on_selection_changed),
                           self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  _crm_customers_page_on_sort_changed (self);
  _crm_customers_page_on_search_changed (self);
  _crm_customers_page_on_filter_changed (self);
  crm_customer_list_refresh (self->list);
}

const char *
crm_customers_page_get_currency (CrmCustomersPage *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMERS_PAGE (self), NULL);

  return self->currency;
}

/* Re-reads the shop's currency; TRUE if it changed. */
gboolean
_crm_customers_page_load_currency (CrmCustomersPage *self)
{
  g_autofree char *currency = crm_ui_shop_currency (self->store, self->settings);

  if (g_strcmp0 (currency, self->currency) == 0)
    return FALSE;

  g_free (self->currency);
  self->currency = g_steal_pointer (&currency);
  crm_customer_editor_set_currency (self->editor, self->currency);
  return TRUE;
}

void
crm_customers_page_update_currency (CrmCustomersPage *self)
{
  g_return_if_fail (CRM_IS_CUSTOMERS_PAGE (self));

  /* Rebinds the visible rows so amounts show in the new currency. */
  if (_crm_customers_page_load_currency (self) && self->list != NULL)
    crm_customer_list_refresh (self->list);
}

/* GObject ------------------------------------------------------------------ */

static void
crm_customers_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_customers_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      crm_customers_page_set_folded (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_customers_page_dispose (GObject *object)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (object);

  if (self->sample_cancellable != NULL)
    g_cancellable_cancel (self->sample_cancellable);
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);

  /* The leaflet is both AdwBin's child and a template child: let AdwBin drop
   * it first so it is not unparented twice. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_CUSTOMERS_PAGE);

  g_clear_object (&self->selection);
  g_clear_object (&self->rows);
  g_clear_object (&self->list);
  g_clear_object (&self->store);
  g_clear_object (&self->session);
  g_clear_object (&self->segment);
  g_clear_handle_id (&self->save_widths_id, g_source_remove);
  g_clear_object (&self->column_actions);
  g_clear_object (&self->sample_session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (crm_customers_page_parent_class)->dispose (object);
}

static void
crm_customers_page_finalize (GObject *object)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (object);

  g_clear_object (&self->sample_cancellable);
  g_clear_pointer (&self->tier_names, g_hash_table_unref);
  g_clear_pointer (&self->tier_filter_ids, g_array_unref);
  g_free (self->count_text);
  g_free (self->currency);

  G_OBJECT_CLASS (crm_customers_page_parent_class)->finalize (object);
}

static void
crm_customers_page_class_init (CrmCustomersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_customers_page_dispose;
  object_class->finalize = crm_customers_page_finalize;

  object_class->get_property = crm_customers_page_get_property;
  object_class->set_property = crm_customers_page_set_property;

  /* Set by the window: TRUE when the sidebar is folded away, so the page shows a back button. */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CRM_TYPE_CUSTOMER_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-customers-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, list_pane);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, list_header);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, list_title);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, filter_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, columns_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, mine_filter);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, tier_filter);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, stage_filter);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, city_filter);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, tag_filter);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, upgrading_page);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, sample_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, sample_progress_box);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, sample_progress);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, editor_separator);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, editor);
  gtk_widget_class_bind_template_callback (widget_class, update_layout);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_search_changed", G_CALLBACK (_crm_customers_page_on_search_changed));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_stop_search", G_CALLBACK (_crm_customers_page_on_stop_search));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_filter_changed", G_CALLBACK (_crm_customers_page_on_filter_changed));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_editor_saved", G_CALLBACK (_crm_customers_page_on_editor_saved));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_editor_closed", G_CALLBACK (_crm_customers_page_on_editor_closed));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_editor_back", G_CALLBACK (_crm_customers_page_on_editor_back));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_editor_delete_requested", G_CALLBACK (_crm_customers_page_on_editor_delete_requested));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_editor_open_customer", G_CALLBACK (_crm_customers_page_on_editor_open_customer));

  _crm_customers_page_class_actions_init (widget_class);
}

static void
crm_customers_page_init (CrmCustomersPage *self)
{
  GtkEventController *shortcuts;
  g_autoptr(GtkColumnViewColumn) first = NULL;

  self->tier_names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->tier_filter_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->sample_customers = SAMPLE_CUSTOMERS;
  self->sample_orders = SAMPLE_ORDERS;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  _crm_customers_page_load_currency (self);
  /* Matters for a database that has no currency of its own yet. */
  g_signal_connect_object (self->settings, "changed::default-currency",
                           G_CALLBACK (crm_customers_page_update_currency), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::operator-owner",
                           G_CALLBACK (_crm_customers_page_on_filter_changed), self, G_CONNECT_SWAPPED);

  _crm_customers_page_build_columns (self);
  _crm_customers_page_setup_column_chooser (self);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (_crm_customers_page_on_sort_changed), self, G_CONNECT_SWAPPED);
  first = g_list_model_get_item (gtk_column_view_get_columns (self->column_view), 0);
  gtk_column_view_sort_by_column (self->column_view, first, GTK_SORT_ASCENDING);

  /* Delete acts on the list only while the list has the focus: in a text
   * field it must keep deleting characters. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Delete, 0),
                                                          gtk_named_action_new ("customers.delete")));
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), shortcuts);

  gtk_search_entry_set_key_capture_widget (self->search_entry, self->list_pane);

  _crm_customers_page_set_generating (self, FALSE);
  _crm_customers_page_fill_filters (self);
  gtk_stack_set_visible_child_name (self->stack, "empty");
  update_layout (self);
}

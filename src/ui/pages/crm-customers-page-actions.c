/* crm-customers-page-actions.c: the actions of the Customers page and the
 * sample shop, which is written in a GTask on its own connection with progress
 * and Cancel on the page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-customers-page-private.h"
#include "crm-generate.h"
#include "crm-ui-util.h"

/* Sample shop -------------------------------------------------------------- */

typedef struct
{
  CrmCustomersPage *page;
  double            fraction;
  CrmGeneratePhase  phase;
} ProgressUpdate;

static gboolean
apply_progress (gpointer user_data)
{
  ProgressUpdate *update = user_data;
  CrmCustomersPage *self = update->page;

  if (self->sample_cancellable != NULL)
    {
      gtk_progress_bar_set_fraction (self->sample_progress, update->fraction);
      gtk_progress_bar_set_text (self->sample_progress,
                                 update->phase == CRM_GENERATE_PHASE_WRITING
                                 ? _("Writing customers and orders…")
                                 : _("Building the search index…"));
    }

  g_object_unref (update->page);
  g_free (update);
  return G_SOURCE_REMOVE;
}

static void
sample_progress_cb (const CrmGenerateProgressInfo *info,
                    gpointer                       user_data)
{
  ProgressUpdate *update = g_new0 (ProgressUpdate, 1);
  double total = (double) info->customers_total + info->orders_total;

  /* Runs on the worker: hand the numbers to the main thread. */
  update->page = g_object_ref (user_data);
  update->phase = info->phase;
  update->fraction = info->phase == CRM_GENERATE_PHASE_WRITING && total > 0
                     ? 0.9 * (info->customers_done + info->orders_done) / total
                     : 0.95;
  g_main_context_invoke (NULL, apply_progress, update);
}

static void
generate_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  CrmCustomersPage *self = source_object;
  const char *path = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = NULL;
  CrmGenerateOptions opts = { self->sample_customers, self->sample_orders, 20261126, 0 };

  /* Its own connection: the main one stays free for the UI. */
  store = crm_store_open (path, &error);
  if (store == NULL || !crm_generate (store, &opts, sample_progress_cb, source_object,
                                      cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
_crm_customers_page_set_generating (CrmCustomersPage *self,
                                    gboolean          generating)
{
  gtk_widget_set_visible (self->sample_progress_box, generating);
  gtk_widget_set_visible (self->sample_button, !generating);
  gtk_widget_set_visible (self->add_button, !generating);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customers.create-sample", !generating);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customers.cancel-sample", generating);
}

static void
generate_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (object);
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->sample_cancellable);
  _crm_customers_page_set_generating (self, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        crm_ui_show_toast (GTK_WIDGET (self),
                           adw_toast_new (_("Sample shop cancelled; nothing was added.")));
      else
        crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }

  _crm_customers_page_fill_filters (self);
  _crm_customers_page_load_currency (self);
  if (self->list != NULL)
    crm_customer_list_refresh (self->list);
  /* The window computes scores, tiers and stages for the new shop. */
  g_signal_emit_by_name (self, "sample-created");
}

static void
create_sample_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (widget);
  g_autoptr(GTask) task = NULL;

  if (self->store == NULL || self->sample_cancellable != NULL)
    return;

  self->sample_cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->sample_progress, 0);
  gtk_progress_bar_set_text (self->sample_progress, _("Starting…"));
  _crm_customers_page_set_generating (self, TRUE);

  task = g_task_new (self, self->sample_cancellable, generate_done, NULL);
  g_task_set_source_tag (task, create_sample_action);
  g_task_set_task_data (task, g_strdup (crm_store_get_path (self->store)), g_free);
  g_task_run_in_thread (task, generate_thread);
}

void
crm_customers_page_set_sample_size (CrmCustomersPage *self,
                                    guint64           customers,
                                    guint64           orders)
{
  g_return_if_fail (CRM_IS_CUSTOMERS_PAGE (self));
  g_return_if_fail (self->sample_cancellable == NULL);

  self->sample_customers = customers;
  self->sample_orders = orders;
}

static void
cancel_sample_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (widget);

  if (self->sample_cancellable != NULL)
    g_cancellable_cancel (self->sample_cancellable);
}

/* Actions ------------------------------------------------------------------ */

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (widget);

  if (self->store != NULL)
    _crm_customers_page_request_open (self, -1);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (widget);
  CrmCustomer *customer;

  if (self->store == NULL)
    return;

  customer = gtk_single_selection_get_selected_item (self->selection);
  if (customer == NULL && !crm_customer_editor_get_is_new (self->editor))
    customer = crm_customer_editor_get_customer (self->editor);
  if (customer != NULL)
    _crm_customers_page_delete_customer (self, crm_entity_get_id (CRM_ENTITY (customer)));
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->city_filter), "");
  gtk_editable_set_text (GTK_EDITABLE (self->tag_filter), "");
  gtk_drop_down_set_selected (self->tier_filter, 0);
  gtk_drop_down_set_selected (self->stage_filter, 0);
  /* Apply now rather than after the entries' typing delay. */
  _crm_customers_page_on_search_changed (self);
  _crm_customers_page_on_filter_changed (self);
}

void
_crm_customers_page_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "customers.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "customers.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "customers.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "customers.clear-filters", NULL, clear_filters_action);
  gtk_widget_class_install_action (widget_class, "customers.create-sample", NULL, create_sample_action);
  gtk_widget_class_install_action (widget_class, "customers.cancel-sample", NULL, cancel_sample_action);
}

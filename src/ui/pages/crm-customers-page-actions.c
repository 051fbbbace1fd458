/* crm-customers-page-actions.c: the actions of the Customers page and the
 * sample shop, which is written by a job (crm_generate_async) with progress and
 * Cancel on the page.  The page shows the new shop when the session announces it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include <glib/gstdio.h>

#include "crm-application.h"
#include "crm-format.h"
#include "crm-customers-page-private.h"
#include "crm-io-jobs.h"
#include "crm-ui-util.h"

/* Sample shop -------------------------------------------------------------- */

static void
sample_progress (const CrmJobProgress *progress,
                 gpointer              user_data)
{
  CrmCustomersPage *self = user_data;

  gtk_progress_bar_set_fraction (self->sample_progress, progress->fraction);
  if (progress->text != NULL)
    gtk_progress_bar_set_text (self->sample_progress, progress->text);
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

/* The sample shop's own file: next to the database, so a test's stays in its folder. */
static char *
sample_file_path (CrmCustomersPage *self)
{
  g_autofree char *dir = g_path_get_dirname (crm_store_get_path (self->store));

  return g_build_filename (dir, "sample-shop.db", NULL);
}

static void
remove_database_files (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal", "-writer" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
}

/* The app opens the sample shop (and remembers it, as Preferences › Database does). */
static void
open_sample_file (CrmCustomersPage *self,
                  const char       *path)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;

  g_settings_set_string (self->settings, "database-path", path);
  if (CRM_IS_APPLICATION (app))
    crm_application_set_database_path (CRM_APPLICATION (app), path);
  crm_ui_show_toast (GTK_WIDGET (self),
                     adw_toast_new (_("This is the sample shop; Preferences › Database opens your own file again.")));
}

static void
sample_file_done (CrmCustomersPage *self,
                  CrmSession       *session,
                  gboolean          ok,
                  const GError     *error)
{
  g_autofree char *path = g_strdup (crm_session_get_path (session));

  if (ok)
    {
      open_sample_file (self, path);
      return;
    }
  if (self->sample_file_new)
    {
      g_object_run_dispose (G_OBJECT (session));   /* its connections closed before the files go */
      remove_database_files (path);
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (_("Sample shop cancelled; nothing was added.")));
  else
    crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
}

static void
generate_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CrmCustomersPage) self = user_data;
  g_autoptr(GError) error = NULL;

  g_autoptr(CrmSession) own_file = g_steal_pointer (&self->sample_session);

  g_clear_object (&self->sample_cancellable);
  _crm_customers_page_set_generating (self, FALSE);

  if (own_file != NULL)
    {
      gboolean ok = crm_generate_finish (result, &error);

      sample_file_done (self, own_file, ok, error);
      return;
    }
  if (!crm_generate_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        crm_ui_show_toast (GTK_WIDGET (self),
                           adw_toast_new (_("Sample shop cancelled; nothing was added.")));
      else
        crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }
  /* The list, its filters and the currency follow the session's announcement of the new
   * customers; the Tiers page computes their scores, tiers and stages. */
}

static void
on_sample_response (CrmCustomersPage *self,
                    const char       *response)
{
  if (g_strcmp0 (response, "create") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "customers.create-sample-confirmed", NULL);
  else if (g_strcmp0 (response, "own-file") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "customers.create-sample-file", NULL);
}

/* Made-up customers mixed into a real shop cannot be told apart later: ask first. */
static void
create_sample_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (widget);
  AdwMessageDialog *dialog;
  g_autofree char *customers = NULL;
  g_autofree char *orders = NULL;
  g_autofree char *name = NULL;

  if (self->store == NULL || self->sample_cancellable != NULL)
    return;

  customers = crm_format_count (self->sample_customers);
  orders = crm_format_count (self->sample_orders);
  name = g_filename_display_basename (crm_store_get_path (self->store));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                                       _("Open a Sample Shop?"), NULL));
  /* Translators: counts of made-up customers and orders, then a file name twice. */
  adw_message_dialog_format_body (dialog, _("%s made-up customers and %s orders go into a file of their own, "
                                            "“sample-shop.db”, which Clientele then opens; “%s” stays as it is. "
                                            "Written into “%s” instead, they could not be told apart from real "
                                            "customers later."),
                                  customers, orders, name, name);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "create", _("_Write into This File"),
                                    "own-file", _("_Open Sample Shop"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "create", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "own-file", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "own-file");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_sample_response), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
create_sample_confirmed_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (widget);
  CrmGenerateOptions opts = { self->sample_customers, self->sample_orders, 20261126, 0 };

  if (self->store == NULL || self->sample_cancellable != NULL)
    return;

  self->sample_cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->sample_progress, 0);
  gtk_progress_bar_set_text (self->sample_progress, _("Starting…"));
  _crm_customers_page_set_generating (self, TRUE);

  crm_generate_async (self->session, &opts, self->sample_cancellable, sample_progress, self, generate_done,
                      g_object_ref (self));
}

/* The sample shop in its own file next to the database; made, then opened by the app.  A file
 * of that name that is there already is the sample shop made before: opened as it is. */
static void
create_sample_file_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (widget);
  CrmGenerateOptions opts = { self->sample_customers, self->sample_orders, 20261126, 0 };
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (self->store == NULL || self->sample_cancellable != NULL)
    return;
  path = sample_file_path (self);
  if (g_strcmp0 (path, crm_store_get_path (self->store)) == 0)
    {
      gtk_widget_activate_action (widget, "customers.create-sample-confirmed", NULL);
      return;
    }
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      open_sample_file (self, path);
      return;
    }

  self->sample_session = crm_session_new (path);
  self->sample_file_new = TRUE;
  if (!crm_session_open (self->sample_session, &error))
    {
      g_clear_object (&self->sample_session);
      remove_database_files (path);
      crm_ui_show_toast (widget, adw_toast_new (error->message));
      return;
    }
  self->sample_cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->sample_progress, 0);
  gtk_progress_bar_set_text (self->sample_progress, _("Starting…"));
  _crm_customers_page_set_generating (self, TRUE);
  crm_generate_async (self->sample_session, &opts, self->sample_cancellable, sample_progress, self,
                      generate_done, g_object_ref (self));
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
  gtk_toggle_button_set_active (self->mine_filter, FALSE);
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
  gtk_widget_class_install_action (widget_class, "customers.create-sample-confirmed", NULL, create_sample_confirmed_action);
  gtk_widget_class_install_action (widget_class, "customers.create-sample-file", NULL, create_sample_file_action);
  gtk_widget_class_install_action (widget_class, "customers.cancel-sample", NULL, cancel_sample_action);
}

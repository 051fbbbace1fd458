/* crm-customer-editor-actions.c: the actions of the customer form (Save,
 * Cancel, Back, Delete and opening a possible duplicate).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-customer-editor-private.h"
#include "crm-customer-predictions.h"
#include "crm-customer-value.h"
#include "crm-format.h"
#include "crm-order-history.h"
#include "crm-order.h"
#include "crm-search.h"
#include "crm-text.h"
#include "crm-ui-util.h"

/* Actions ------------------------------------------------------------------ */

/* While another program (an import, clientele-cli) holds the database's write lock, Save waits
 * for it without blocking the window: a banner says for whom, with Cancel; the form keeps its
 * changes either way (crm_store_write_async). */
static gboolean
on_save_waiting (CrmStore *store,
                 gint64    waited_ms,
                 gpointer  data)
{
  CrmCustomerEditor *self = data;
  g_autofree char *holder = crm_store_describe_writer (store);
  g_autofree char *text = NULL;

  if (holder != NULL)
    /* Translators: %s is e.g. “an import by clientele-cli (process 4242) since 10:42:07” */
    text = g_strdup_printf (_("Waiting for %s to finish…"), holder);
  else
    text = g_strdup (_("Waiting for another program to finish with the database…"));
  gtk_label_set_text (self->waiting_label, text);
  gtk_revealer_set_reveal_child (self->waiting_revealer, TRUE);
  return TRUE;
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  g_autoptr(CrmCustomerEditor) self = data;
  g_autoptr(GError) error = NULL;
  gboolean saved = crm_store_write_finish (CRM_STORE (source), result, &error);

  g_clear_object (&self->save_cancellable);
  gtk_revealer_set_reveal_child (self->waiting_revealer, FALSE);
  _crm_customer_editor_update_state (self);
  if (saved)
    _crm_customer_editor_saved (self);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmCustomerEditor *self = CRM_CUSTOMER_EDITOR (widget);
  g_autoptr(GError) error = NULL;

  if (self->customer == NULL || self->save_cancellable != NULL)
    return;
  if (!_crm_customer_editor_check (self, &error))
    {
      crm_ui_show_toast (widget, adw_toast_new (error->message));
      return;
    }

  self->save_cancellable = g_cancellable_new ();
  _crm_customer_editor_update_state (self);
  crm_store_write_async (self->store, _crm_customer_editor_write, g_object_ref (self), g_object_unref,
                         on_save_waiting, self, self->save_cancellable, on_saved, g_object_ref (self));
}

static void
stop_waiting_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  _crm_customer_editor_stop_waiting (CRM_CUSTOMER_EDITOR (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmCustomerEditor *self = CRM_CUSTOMER_EDITOR (widget);

  g_clear_object (&self->customer);
  self->is_new = FALSE;
  for (guint i = 0; i < CRM_CUSTOMER_N_FIELDS; i++)
    g_clear_pointer (&self->errors[i], g_free);
  _crm_customer_editor_update_state (self);
  g_signal_emit_by_name (self, "closed");
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_signal_emit_by_name (widget, "back");
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmCustomerEditor *self = CRM_CUSTOMER_EDITOR (widget);

  if (self->customer != NULL && !self->is_new)
    g_signal_emit_by_name (self, "delete-requested", self->customer);
}

static void
open_duplicate_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CrmCustomerEditor *self = CRM_CUSTOMER_EDITOR (widget);

  if (self->duplicates != NULL && self->duplicates->len > 0)
    g_signal_emit_by_name (self, "open-customer", g_array_index (self->duplicates, gint64, 0));
}

void
_crm_customer_editor_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.stop-waiting", NULL, stop_waiting_action);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "editor.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "editor.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "editor.open-duplicate", NULL, open_duplicate_action);
}

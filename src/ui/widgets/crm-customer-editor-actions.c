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

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmCustomerEditor *self = CRM_CUSTOMER_EDITOR (widget);
  g_autoptr(GError) error = NULL;

  if (!crm_customer_editor_save (self, &error))
    crm_ui_show_toast (widget, adw_toast_new (error->message));
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
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "editor.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "editor.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "editor.open-duplicate", NULL, open_duplicate_action);
}

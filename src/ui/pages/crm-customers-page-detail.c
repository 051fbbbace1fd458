/* crm-customers-page-detail.c: the selection and the form beside the list
 *
 * Selecting a row opens the customer in the editor, first asking about unsaved
 * changes; a deleted customer can be brought back from the toast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-customers-page-private.h"
#include "crm-ui-util.h"

/* Selection and the form --------------------------------------------------- */

/* The form's first field gets the focus (GTK would give it to the header's Cancel), unless
 * the user is walking the list beside it with the keyboard. */
static void
focus_form (CrmCustomersPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus != NULL && gtk_widget_is_ancestor (focus, self->list_pane) &&
      gtk_widget_get_child_visible (self->list_pane) && !adw_leaflet_get_folded (self->leaflet))
    return;
  crm_customer_editor_focus_first_field (self->editor);
}

static void
open_customer_now (CrmCustomersPage *self,
                   gint64            id)
{
  g_autoptr(GError) error = NULL;

  if (id < 0)
    {
      _crm_customers_page_select_position (self, GTK_INVALID_LIST_POSITION);
      crm_customer_editor_new_customer (self->editor);
      _crm_customers_page_show_editor (self, TRUE);
      return;
    }

  if (!crm_customer_editor_edit (self->editor, id, &error))
    {
      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }
  _crm_customers_page_show_editor (self, TRUE);
  focus_form (self);
}

static void
on_unsaved_response (CrmCustomersPage *self,
                     const char       *response,
                     AdwMessageDialog *dialog)
{
  gint64 pending = self->pending_open;
  g_autoptr(GError) error = NULL;

  self->pending_open = 0;

  if (g_strcmp0 (response, "save") == 0 && !crm_customer_editor_save (self->editor, &error))
    {
      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }

  if (g_strcmp0 (response, "save") == 0 || g_strcmp0 (response, "discard") == 0)
    {
      open_customer_now (self, pending);
      if (pending > 0 && self->list != NULL)
        _crm_customers_page_select_position (self, crm_customer_list_find (self->list, pending));
      return;
    }

  /* Cancelled: the selection goes back to what the form shows. */
  _crm_customers_page_update_view (self);
}

/* Opens @id (-1: a new customer), first asking about unsaved changes. */
void
_crm_customers_page_request_open (CrmCustomersPage *self,
                                  gint64            id)
{
  CrmCustomer *open = crm_customer_editor_get_customer (self->editor);
  AdwMessageDialog *dialog;
  const char *name;

  if (open != NULL && id > 0 && !crm_customer_editor_get_is_new (self->editor) &&
      crm_entity_get_id (CRM_ENTITY (open)) == id)
    {
      _crm_customers_page_show_editor (self, TRUE);
      return;
    }

  if (open == NULL || !crm_customer_editor_get_dirty (self->editor))
    {
      open_customer_now (self, id);
      return;
    }

  self->pending_open = id;
  name = crm_customer_get_name (open);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                       _("Save Changes?"), NULL));
  adw_message_dialog_format_body (dialog, _("“%s” has changes that are not saved yet."),
                                  name != NULL && name[0] != '\0' ? name : _("New Customer"));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, "save", crm_customer_editor_get_valid (self->editor));
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_unsaved_response), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
crm_customers_page_open_customer (CrmCustomersPage *self,
                                  gint64            id)
{
  guint position;

  g_return_val_if_fail (CRM_IS_CUSTOMERS_PAGE (self), FALSE);

  if (self->store == NULL)
    return FALSE;

  _crm_customers_page_request_open (self, id);
  position = self->list != NULL ? crm_customer_list_find (self->list, id) : GTK_INVALID_LIST_POSITION;
  if (position != GTK_INVALID_LIST_POSITION &&
      crm_customer_editor_get_customer (self->editor) != NULL &&
      crm_entity_get_id (CRM_ENTITY (crm_customer_editor_get_customer (self->editor))) == id)
    _crm_customers_page_select_position (self, position);

  return crm_customer_editor_get_customer (self->editor) != NULL;
}

void
_crm_customers_page_on_selection_changed (CrmCustomersPage *self)
{
  CrmCustomer *customer;

  if (self->syncing_selection)
    return;

  customer = gtk_single_selection_get_selected_item (self->selection);
  if (customer != NULL)
    _crm_customers_page_request_open (self, crm_entity_get_id (CRM_ENTITY (customer)));
}

void
_crm_customers_page_on_editor_saved (CrmCustomersPage *self,
                                     CrmCustomer      *saved,
                                     gboolean          created)
{
  if (self->list == NULL)
    return;

  if (created)
    {
      /* Where it lands depends on the sort and the search: ask the query. */
      self->select_after_refresh = crm_entity_get_id (CRM_ENTITY (saved));
      crm_customer_list_refresh (self->list);
    }
  else
    {
      crm_customer_list_update_item (self->list, saved);
      /* Changed fields may move it in or out of the current search. */
      if (_crm_customers_page_query_is_narrowed (crm_customer_list_get_query (self->list)))
        crm_customer_list_refresh (self->list);
    }
}

void
_crm_customers_page_on_editor_closed (CrmCustomersPage *self)
{
  _crm_customers_page_select_position (self, GTK_INVALID_LIST_POSITION);
  _crm_customers_page_show_editor (self, FALSE);
}

void
_crm_customers_page_on_editor_back (CrmCustomersPage *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
}

void
_crm_customers_page_on_editor_open_customer (CrmCustomersPage *self,
                                             gint64            id)
{
  crm_customers_page_open_customer (self, id);
}

/* Delete and undo ---------------------------------------------------------- */

static void
on_undo_delete (CrmCustomersPage *self,
                AdwToast         *toast)
{
  CrmCustomer *customer = g_object_get_data (G_OBJECT (toast), "crm-customer");
  g_autoptr(GError) error = NULL;

  if (self->store == NULL || customer == NULL)
    return;

  if (!crm_store_restore (self->store, CRM_ENTITY (customer), &error))
    {
      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }

  self->select_after_refresh = crm_entity_get_id (CRM_ENTITY (customer));
  crm_customer_list_refresh (self->list);
}

void
_crm_customers_page_delete_customer (CrmCustomersPage *self,
                                     gint64            id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) customer = NULL;
  CrmCustomer *open = crm_customer_editor_get_customer (self->editor);
  AdwToast *toast;

  customer = crm_store_load (self->store, CRM_TYPE_CUSTOMER, id, &error);
  if (customer == NULL || !crm_store_delete (self->store, CRM_ENTITY (customer), &error))
    {
      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }

  if (open != NULL && crm_entity_get_id (CRM_ENTITY (open)) == id)
    {
      gtk_widget_activate_action (GTK_WIDGET (self->editor), "editor.cancel", NULL);
      _crm_customers_page_show_editor (self, FALSE);
    }
  crm_customer_list_refresh (self->list);

  toast = adw_toast_new_format (_("Deleted “%s”"), crm_customer_get_name (customer));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (toast), "crm-customer", g_object_ref (customer), g_object_unref);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_delete), self, G_CONNECT_SWAPPED);
  crm_ui_show_toast (GTK_WIDGET (self), toast);
}

void
_crm_customers_page_on_editor_delete_requested (CrmCustomersPage *self,
                                                CrmCustomer      *customer)
{
  _crm_customers_page_delete_customer (self, crm_entity_get_id (CRM_ENTITY (customer)));
}

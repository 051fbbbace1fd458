/* crm-customer-editor.c
 *
 * The form works on a copy of the customer loaded from the store, so Cancel
 * only has to drop it and the list shows nothing half-typed.  Every change is
 * checked as it is typed with the same rules the store applies; the message
 * shows under the field and Save stays off while any field is wrong.
 *
 * The class spreads over three files as gnome-text-editor's do: this one holds
 * the widget (properties, signals, loading and saving, template),
 * crm-customer-editor-form.c builds, fills and checks the form and
 * crm-customer-editor-actions.c holds the actions; the instance struct is in
 * crm-customer-editor-private.h.
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

G_DEFINE_FINAL_TYPE (CrmCustomerEditor, crm_customer_editor, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_CUSTOMER,
  PROP_DIRTY,
  PROP_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SAVED,
  CLOSED,
  BACK,
  DELETE_REQUESTED,
  OPEN_CUSTOMER,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

CrmCustomerEditor *
crm_customer_editor_new (void)
{
  return g_object_new (CRM_TYPE_CUSTOMER_EDITOR, NULL);
}

CrmCustomer *
crm_customer_editor_get_customer (CrmCustomerEditor *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_EDITOR (self), NULL);

  return self->customer;
}

gboolean
crm_customer_editor_get_is_new (CrmCustomerEditor *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_EDITOR (self), FALSE);

  return self->is_new;
}

CrmCustomerTimeline *
crm_customer_editor_get_timeline (CrmCustomerEditor *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_EDITOR (self), NULL);

  return self->timeline;
}

gboolean
crm_customer_editor_get_dirty (CrmCustomerEditor *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_EDITOR (self), FALSE);

  return self->customer != NULL && crm_entity_is_dirty (CRM_ENTITY (self->customer));
}

gboolean
crm_customer_editor_get_valid (CrmCustomerEditor *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_EDITOR (self), FALSE);

  for (guint i = 0; i < CRM_CUSTOMER_N_FIELDS; i++)
    if (self->errors[i] != NULL)
      return FALSE;

  return TRUE;
}

GtkWidget *
crm_customer_editor_get_field_widget (CrmCustomerEditor *self,
                                      CrmCustomerField   field)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_EDITOR (self), NULL);
  g_return_val_if_fail (field < CRM_CUSTOMER_N_FIELDS, NULL);

  if (field == CRM_CUSTOMER_NOTES)
    return GTK_WIDGET (self->notes_view);

  return self->rows[field];
}

const char *
crm_customer_editor_get_field_error (CrmCustomerEditor *self,
                                     CrmCustomerField   field)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_EDITOR (self), NULL);
  g_return_val_if_fail (field < CRM_CUSTOMER_N_FIELDS, NULL);

  return self->errors[field];
}

void
crm_customer_editor_set_folded (CrmCustomerEditor *self,
                                gboolean           folded)
{
  g_return_if_fail (CRM_IS_CUSTOMER_EDITOR (self));

  gtk_widget_set_visible (self->back_button, folded);
}

void
crm_customer_editor_set_show_start_title_buttons (CrmCustomerEditor *self,
                                                  gboolean           show)
{
  g_return_if_fail (CRM_IS_CUSTOMER_EDITOR (self));

  adw_header_bar_set_show_start_title_buttons (self->header, show);
}

/* Public ------------------------------------------------------------------- */

static void
on_values_recomputed (CrmCustomerEditor *self)
{
  _crm_customer_editor_follow_changes (self, NULL);
}

void
crm_customer_editor_set_session (CrmCustomerEditor *self,
                                 CrmSession        *session)
{
  g_return_if_fail (CRM_IS_CUSTOMER_EDITOR (self));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  _crm_customer_editor_stop_waiting (self);
  g_set_object (&self->session, session);
  g_clear_object (&self->store);
  if (session != NULL)
    self->store = g_object_ref (crm_session_get_store (session));
  if (session != NULL)
    {
      /* A write anywhere (a job, an import, another program) to the customer shown. */
      g_signal_connect_object (session, "customers-changed", G_CALLBACK (_crm_customer_editor_follow_changes),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "orders-changed", G_CALLBACK (_crm_customer_editor_follow_changes),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "values-recomputed", G_CALLBACK (on_values_recomputed),
                               self, G_CONNECT_SWAPPED);
    }
  g_clear_object (&self->customer);
  self->is_new = FALSE;
  _crm_customer_editor_update_state (self);
}

void
crm_customer_editor_set_currency (CrmCustomerEditor *self,
                                  const char        *currency)
{
  g_return_if_fail (CRM_IS_CUSTOMER_EDITOR (self));

  g_free (self->currency);
  self->currency = g_strdup (currency);
}

gboolean
crm_customer_editor_edit (CrmCustomerEditor *self,
                          gint64             id,
                          GError           **error)
{
  CrmCustomer *customer;

  g_return_val_if_fail (CRM_IS_CUSTOMER_EDITOR (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);

  customer = crm_store_load (self->store, CRM_TYPE_CUSTOMER, id, error);
  if (customer == NULL)
    return FALSE;
  _crm_customer_editor_stop_waiting (self);

  g_clear_object (&self->customer);
  self->customer = customer;
  self->is_new = FALSE;
  _crm_customer_editor_fill_form (self);

  return TRUE;
}

void
crm_customer_editor_new_customer (CrmCustomerEditor *self)
{
  g_return_if_fail (CRM_IS_CUSTOMER_EDITOR (self));

  _crm_customer_editor_stop_waiting (self);
  g_clear_object (&self->customer);
  self->customer = crm_customer_new ();
  self->is_new = TRUE;
  _crm_customer_editor_fill_form (self);
  crm_customer_editor_focus_first_field (self);
}

void
crm_customer_editor_focus_first_field (CrmCustomerEditor *self)
{
  g_return_if_fail (CRM_IS_CUSTOMER_EDITOR (self));

  gtk_widget_grab_focus (self->rows[CRM_CUSTOMER_NAME]);
  /* The cursor at the end, nothing selected: GTK 4.8 selects the whole name on focus, and
   * its cursor then warns "unexpected blinking selection" when the form is refilled. */
  if (GTK_IS_EDITABLE (self->rows[CRM_CUSTOMER_NAME]))
    gtk_editable_set_position (GTK_EDITABLE (self->rows[CRM_CUSTOMER_NAME]), -1);
}

const char *
crm_customer_editor_get_waiting_text (CrmCustomerEditor *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_EDITOR (self), NULL);

  return gtk_revealer_get_reveal_child (self->waiting_revealer) ? gtk_label_get_text (self->waiting_label) : NULL;
}

/* A Save still waiting for another program gives way to whatever the form does next. */
void
_crm_customer_editor_stop_waiting (CrmCustomerEditor *self)
{
  if (self->save_cancellable != NULL)
    g_cancellable_cancel (self->save_cancellable);
}

/* Save, step 1: every field is fine. */
gboolean
_crm_customer_editor_check (CrmCustomerEditor  *self,
                            GError            **error)
{
  /* Typed text counts even if the row never reported it as valid. */
  if (self->is_new)
    _crm_customer_editor_set_field_error (self, CRM_CUSTOMER_NAME,
                                          _crm_customer_editor_check_text (CRM_CUSTOMER_NAME, crm_customer_get_name (self->customer)));

  if (!crm_customer_editor_get_valid (self))
    {
      _crm_customer_editor_update_state (self);
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("Correct the highlighted fields before saving."));
      return FALSE;
    }
  return TRUE;
}

/* Save, step 2 (a CrmStoreWriteFunc): the customer as the form has it now. */
gboolean
_crm_customer_editor_write (CrmStore  *store,
                            gpointer   data,
                            GError   **error)
{
  CrmCustomerEditor *self = data;

  self->saving_new = self->is_new;
  return self->saving_new ? crm_store_insert (store, CRM_ENTITY (self->customer), error)
                          : crm_store_update (store, CRM_ENTITY (self->customer), error);
}

/* Save, step 3: tell the page, and show what the store kept (normalised values, new times). */
void
_crm_customer_editor_saved (CrmCustomerEditor *self)
{
  g_autoptr(GError) error = NULL;
  gint64 id = crm_entity_get_id (CRM_ENTITY (self->customer));

  self->is_new = FALSE;
  g_signal_emit (self, signals[SAVED], 0, self->customer, self->saving_new);
  if (!crm_customer_editor_edit (self, id, &error))
    g_warning ("Could not reload customer %" G_GINT64_FORMAT ": %s", id, error->message);
}

gboolean
crm_customer_editor_save (CrmCustomerEditor *self,
                          GError           **error)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_EDITOR (self), FALSE);
  g_return_val_if_fail (self->customer != NULL, FALSE);

  _crm_customer_editor_stop_waiting (self);
  if (!_crm_customer_editor_check (self, error) || !_crm_customer_editor_write (self->store, self, error))
    return FALSE;
  _crm_customer_editor_saved (self);
  return TRUE;
}

/* GObject ------------------------------------------------------------------ */

static void
crm_customer_editor_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CrmCustomerEditor *self = CRM_CUSTOMER_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CUSTOMER:
      g_value_set_object (value, self->customer);
      break;
    case PROP_DIRTY:
      g_value_set_boolean (value, crm_customer_editor_get_dirty (self));
      break;
    case PROP_VALID:
      g_value_set_boolean (value, crm_customer_editor_get_valid (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_customer_editor_dispose (GObject *object)
{
  CrmCustomerEditor *self = CRM_CUSTOMER_EDITOR (object);

  _crm_customer_editor_stop_waiting (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_CUSTOMER_EDITOR);
  g_clear_object (&self->customer);
  g_clear_object (&self->store);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (crm_customer_editor_parent_class)->dispose (object);
}

static void
crm_customer_editor_finalize (GObject *object)
{
  CrmCustomerEditor *self = CRM_CUSTOMER_EDITOR (object);

  for (guint i = 0; i < CRM_CUSTOMER_N_FIELDS; i++)
    g_free (self->errors[i]);
  g_clear_pointer (&self->duplicates, g_array_unref);
  g_free (self->currency);

  G_OBJECT_CLASS (crm_customer_editor_parent_class)->finalize (object);
}

static void
crm_customer_editor_class_init (CrmCustomerEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_customer_editor_dispose;
  object_class->finalize = crm_customer_editor_finalize;
  object_class->get_property = crm_customer_editor_get_property;

  g_type_class_ref (CRM_TYPE_CUSTOMER);

  properties[PROP_CUSTOMER] =
    g_param_spec_object ("customer", NULL, NULL, CRM_TYPE_CUSTOMER,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIRTY] =
    g_param_spec_boolean ("dirty", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The saved customer (the editor's copy) and whether it was created. */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 2, CRM_TYPE_CUSTOMER, G_TYPE_BOOLEAN);
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[BACK] = g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[DELETE_REQUESTED] = g_signal_new ("delete-requested", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, CRM_TYPE_CUSTOMER);
  signals[OPEN_CUSTOMER] = g_signal_new ("open-customer", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_INT64);

  g_type_ensure (CRM_TYPE_CUSTOMER_VALUE);
  g_type_ensure (CRM_TYPE_CUSTOMER_POINTS);
  g_type_ensure (CRM_TYPE_ORDER_HISTORY);
  g_type_ensure (CRM_TYPE_CUSTOMER_TIMELINE);
  g_type_ensure (CRM_TYPE_CUSTOMER_TASKS);
  g_type_ensure (CRM_TYPE_CUSTOMER_PREDICTIONS);
  g_type_ensure (CRM_TYPE_CUSTOMER_LOYALTY);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-customer-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, header);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, back_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, delete_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, title_widget);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, waiting_revealer);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, waiting_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, duplicate_revealer);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, duplicate_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, scroller);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, contact_group);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, personal_group);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, address_group);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, relationship_group);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, consent_group);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, order_history);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, timeline);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, tasks_view);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, purchases_group);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, value_view);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, points_view);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, predictions_view);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, loyalty_view);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, total_spent_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, order_count_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, first_order_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, last_order_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, notes_view);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, notes_error);

  _crm_customer_editor_class_actions_init (widget_class);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
}

static void
crm_customer_editor_init (CrmCustomerEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->currency = g_strdup ("USD");
  _crm_customer_editor_build_form (self);
  _crm_customer_editor_update_state (self);
}

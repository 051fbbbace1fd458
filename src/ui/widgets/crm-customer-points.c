/* crm-customer-points.c
 *
 * The balance is one customer's few ledger rows through an index (crm_points_get_balance()):
 * read on the main thread, as the form reads its customer.  A redemption or an adjustment is
 * one transaction written with crm_store_write_async(), which waits for another program's write
 * without blocking the window; the core refuses more than the balance (and the dialog never
 * offers more; a refusal, when another program spent the points meanwhile, shows as a toast).  The session announces the write, which refreshes every view of the customer,
 * this one included.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-customer-points.h"
#include "crm-format.h"
#include "crm-points.h"
#include "crm-ui-util.h"

struct _CrmCustomerPoints
{
  AdwBin               parent_instance;

  CrmSession          *session;
  gint64               customer_id;
  gint64               balance;
  char                *balance_text;

  /* template children */
  AdwPreferencesGroup *group;
  GtkLabel            *balance_label;
  GtkLabel            *expiring_label;
};

G_DEFINE_FINAL_TYPE (CrmCustomerPoints, crm_customer_points, ADW_TYPE_BIN)

gint64
crm_customer_points_get_balance (CrmCustomerPoints *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_POINTS (self), 0);
  return self->balance;
}

const char *
crm_customer_points_get_balance_text (CrmCustomerPoints *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_POINTS (self), NULL);
  return self->balance_text;
}

void
crm_customer_points_refresh (CrmCustomerPoints *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;
  CrmPointsBalance b = { 0 };
  CrmStore *store;

  g_return_if_fail (CRM_IS_CUSTOMER_POINTS (self));

  store = self->session != NULL ? crm_session_get_store (self->session) : NULL;
  gtk_widget_set_visible (GTK_WIDGET (self), store != NULL && self->customer_id != 0);
  if (store == NULL || self->customer_id == 0)
    return;
  if (!crm_points_get_balance (store, self->customer_id, 0, &b, &error))
    {
      gtk_label_set_label (self->balance_label, error->message);
      return;
    }

  self->balance = b.balance;
  count = crm_format_count (b.balance);
  g_free (self->balance_text);
  /* Translators: a points balance, e.g. "1,250 points"; it may be negative. */
  self->balance_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s point", "%s points", ABS (b.balance)),
                                        count);
  gtk_label_set_label (self->balance_label, self->balance_text);
  if (b.balance < 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->balance_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->balance_label), "error");

  if (b.expiring_at != 0)
    {
      g_autofree char *n = crm_format_count (b.expiring_next);
      g_autofree char *date = crm_format_date (b.expiring_at);
      g_autofree char *text = g_strdup_printf (
        /* Translators: "300 points on 2027-03-01". */
        g_dngettext (GETTEXT_PACKAGE, "%s point on %s", "%s points on %s", b.expiring_next), n, date);

      gtk_label_set_label (self->expiring_label, text);
    }
  else
    gtk_label_set_label (self->expiring_label, _("Nothing"));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "points.redeem", b.balance > 0);
}

static void
on_customers_changed (CrmCustomerPoints *self,
                      GArray            *ids)
{
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == self->customer_id)
      {
        crm_customer_points_refresh (self);
        return;
      }
  if (ids == NULL)
    crm_customer_points_refresh (self);
}

void
crm_customer_points_set_customer (CrmCustomerPoints *self,
                                  CrmSession        *session,
                                  gint64             customer_id)
{
  g_return_if_fail (CRM_IS_CUSTOMER_POINTS (self));

  if (session != self->session)
    {
      if (self->session != NULL)
        g_signal_handlers_disconnect_by_data (self->session, self);
      g_set_object (&self->session, session);
      if (session != NULL)
        g_signal_connect_object (session, "customers-changed", G_CALLBACK (on_customers_changed), self,
                                 G_CONNECT_SWAPPED);
    }
  self->customer_id = customer_id;
  crm_customer_points_refresh (self);
}

/* The dialog ----------------------------------------------------------------- */

typedef struct
{
  gint64         customer_id;
  CrmPointsKind  kind;
  gint64         points;
  char          *reason;
} Write;

static void
write_free (gpointer data)
{
  Write *w = data;

  g_free (w->reason);
  g_free (w);
}

static gboolean
write_points (CrmStore  *store,
              gpointer   data,
              GError   **error)
{
  Write *w = data;

  if (w->kind == CRM_POINTS_REDEEM)
    return crm_points_redeem (store, w->customer_id, w->points, 0, w->reason, error);
  return crm_points_add (store, w->customer_id, w->kind, w->points, w->reason, 0, error);
}

/* The dialog closed with its answer: a refusal (another program spent the points meanwhile,
 * say) is told where the customer is shown. */
static void
written (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CrmCustomerPoints) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!crm_store_write_finish (CRM_STORE (source), result, &error) && gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
}

static void
on_response (AdwMessageDialog  *dialog,
             const char        *response,
             CrmCustomerPoints *self)
{
  GtkSpinButton *spin = g_object_get_data (G_OBJECT (dialog), "points");
  GtkEditable *reason = g_object_get_data (G_OBJECT (dialog), "reason");
  gboolean redeem = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "redeem"));
  const char *text = gtk_editable_get_text (reason);
  Write *w;

  if (!g_str_equal (response, "apply") || self->session == NULL || crm_session_get_store (self->session) == NULL)
    return;
  w = g_new0 (Write, 1);
  w->customer_id = self->customer_id;
  w->kind = redeem ? CRM_POINTS_REDEEM : CRM_POINTS_ADJUST;
  w->points = (gint64) gtk_spin_button_get_value (spin);
  w->reason = text[0] != '\0' ? g_strdup (text) : NULL;
  crm_store_write_async (crm_session_get_store (self->session), write_points, w, write_free, NULL, NULL, NULL,
                         written, g_object_ref (self));
}

/* Apply only for what the core would take: a redemption up to the balance, an adjustment with
 * a reason that changes something. */
static void
update_apply (AdwMessageDialog *dialog)
{
  GtkSpinButton *spin = g_object_get_data (G_OBJECT (dialog), "points");
  GtkEditable *reason = g_object_get_data (G_OBJECT (dialog), "reason");
  gboolean redeem = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "redeem"));
  gint64 value = (gint64) gtk_spin_button_get_value (spin);
  GtkAdjustment *adj = gtk_spin_button_get_adjustment (spin);

  adw_message_dialog_set_response_enabled (dialog, "apply",
    redeem ? value >= gtk_adjustment_get_lower (adj) && value <= gtk_adjustment_get_upper (adj)
           : value != 0 && gtk_editable_get_text (reason)[0] != '\0');
}

static GtkWidget *
dialog_body (AdwMessageDialog *dialog,
             gboolean          redeem,
             gint64            balance,
             gint64            minimum)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *spin = gtk_spin_button_new_with_range (redeem ? MIN (minimum, MAX (balance, 0)) : -MAX (balance, 0),
                                                    redeem ? MAX (balance, 0) : 100000000, 1);
  GtkWidget *reason = gtk_entry_new ();

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), redeem ? MIN (minimum, MAX (balance, 0)) : 0);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  crm_ui_set_accessible_name (spin, redeem ? _("Points to redeem") : _("Points to add or take"));
  gtk_entry_set_placeholder_text (GTK_ENTRY (reason), redeem ? _("What for (optional)") : _("Reason (required)"));
  crm_ui_set_accessible_name (reason, _("Reason"));
  gtk_box_append (GTK_BOX (box), spin);
  gtk_box_append (GTK_BOX (box), reason);

  g_object_set_data (G_OBJECT (dialog), "points", spin);
  g_object_set_data (G_OBJECT (dialog), "reason", reason);
  g_object_set_data (G_OBJECT (dialog), "redeem", GINT_TO_POINTER (redeem));
  g_signal_connect_swapped (spin, "value-changed", G_CALLBACK (update_apply), dialog);
  g_signal_connect_swapped (reason, "changed", G_CALLBACK (update_apply), dialog);
  return box;
}

AdwMessageDialog *
crm_customer_points_open_dialog (CrmCustomerPoints *self,
                                 gboolean           redeem)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *count = crm_format_count (self->balance);
  g_autofree char *body = NULL;
  CrmPointsSettings s = { .min_redemption = 1 };
  AdwMessageDialog *dialog;

  crm_customer_points_refresh (self);
  if (self->session != NULL && crm_session_get_store (self->session) != NULL)
    crm_points_settings_load (crm_session_get_store (self->session), &s);
  body = redeem
    ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The customer has %s point to spend.",
                                    "The customer has %s points to spend.", self->balance), count)
    : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The balance is %s point. A correction needs a reason.",
                                    "The balance is %s points. A correction needs a reason.", self->balance), count);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       redeem ? _("Redeem Points") : _("Adjust Points"), body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "apply", redeem ? _("_Redeem") : _("_Adjust"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "apply", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "apply");
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_extra_child (dialog, dialog_body (dialog, redeem, self->balance, s.min_redemption));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_response), self, 0);
  update_apply (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
redeem_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  crm_customer_points_open_dialog (CRM_CUSTOMER_POINTS (widget), TRUE);
}

static void
adjust_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  crm_customer_points_open_dialog (CRM_CUSTOMER_POINTS (widget), FALSE);
}

/* GObject ------------------------------------------------------------------ */

static void
crm_customer_points_dispose (GObject *object)
{
  CrmCustomerPoints *self = CRM_CUSTOMER_POINTS (object);

  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_CUSTOMER_POINTS);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (crm_customer_points_parent_class)->dispose (object);
}

static void
crm_customer_points_finalize (GObject *object)
{
  CrmCustomerPoints *self = CRM_CUSTOMER_POINTS (object);

  g_free (self->balance_text);

  G_OBJECT_CLASS (crm_customer_points_parent_class)->finalize (object);
}

static void
crm_customer_points_class_init (CrmCustomerPointsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_customer_points_dispose;
  object_class->finalize = crm_customer_points_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-customer-points.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerPoints, group);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerPoints, balance_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerPoints, expiring_label);

  gtk_widget_class_install_action (widget_class, "points.redeem", NULL, redeem_action);
  gtk_widget_class_install_action (widget_class, "points.adjust", NULL, adjust_action);
}

static void
crm_customer_points_init (CrmCustomerPoints *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

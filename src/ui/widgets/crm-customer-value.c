/* crm-customer-value.c
 *
 * Read-only: these values are computed (crm-recompute.c).  They are read by a job
 * (crm_customer_value_load_async: seven queries in one read transaction, off the main
 * thread); choosing another customer supersedes a read still running.  The one thing a
 * user changes here is a manual tier, which core stores and applies to the customer in one
 * transaction (crm_recompute_set_manual_tier); the session announces it, so the list and
 * the form catch up by themselves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "crm-analytics-jobs.h"
#include "crm-customer-value.h"
#include "crm-customer.h"
#include "crm-format.h"
#include "crm-recompute.h"
#include "crm-text.h"
#include "crm-tiers.h"
#include "crm-ui-util.h"
#include "crm-value-report.h"

#define MAX_HISTORY_ROWS 20

struct _CrmCustomerValue
{
  AdwBin               parent_instance;

  CrmSession          *session;
  gint64               customer_id;
  GCancellable        *cancellable;   /* the read under way */
  GPtrArray           *tiers;
  GPtrArray           *history_rows;
  GSettings           *settings;
  char                *segment_text;
  char                *tier_text;
  gboolean             has_override;

  /* template children */
  AdwPreferencesGroup *group;
  AdwActionRow        *segment_row;
  GtkLabel            *segment_label;
  AdwActionRow        *scores_row;
  GtkLabel            *scores_label;
  AdwExpanderRow      *tier_row;
  AdwExpanderRow      *stage_row;
};

G_DEFINE_FINAL_TYPE (CrmCustomerValue, crm_customer_value, ADW_TYPE_BIN)

const char *
crm_customer_value_get_segment_text (CrmCustomerValue *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_VALUE (self), NULL);

  return self->segment_text;
}

const char *
crm_customer_value_get_tier_text (CrmCustomerValue *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_VALUE (self), NULL);

  return self->tier_text;
}

static const char *
tier_name (CrmCustomerValue *self,
           gint64            id)
{
  for (guint i = 0; self->tiers != NULL && i < self->tiers->len; i++)
    {
      CrmTier *tier = g_ptr_array_index (self->tiers, i);

      if (crm_entity_get_id (CRM_ENTITY (tier)) == id)
        return crm_tier_get_display_name (tier);
    }

  return id == 0 ? _("No tier") : _("Deleted tier");
}

static const char *
stage_name (int stage)
{
  return stage >= 0 && stage < CRM_LIFECYCLE_N_STAGES ? crm_lifecycle_get_label (stage) : _("None");
}

static void
add_history_row (CrmCustomerValue *self,
                 AdwExpanderRow   *expander,
                 const char       *title,
                 const char       *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_expander_row_add_row (expander, row);
  g_ptr_array_add (self->history_rows, row);
  g_object_set_data (G_OBJECT (row), "crm-expander", expander);
}

static void
clear_history (CrmCustomerValue *self)
{
  for (guint i = 0; i < self->history_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->history_rows, i);

      adw_expander_row_remove (g_object_get_data (G_OBJECT (row), "crm-expander"), row);
    }
  g_ptr_array_set_size (self->history_rows, 0);
}

static void
fill_rfm (CrmCustomerValue     *self,
          CrmCustomerValueData *data)
{
  g_autofree char *currency = crm_ui_shop_currency (crm_session_get_store (self->session), self->settings);
  const CrmRfmRow row = data->rfm;

  g_free (self->segment_text);
  if (data->has_rfm)
    {
      g_autofree char *scores = NULL;
      g_autofree char *money = crm_format_money (row.monetary, currency);
      g_autofree char *days = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day since the last order",
                                                            "%d days since the last order", row.r_days),
                                               row.r_days);
      g_autofree char *orders = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d order", "%d orders",
                                                              row.frequency), row.frequency);
      g_autofree char *subtitle = NULL;

      self->segment_text = g_strdup (crm_rfm_segment_get_label (row.segment));
      /* Translators: recency, frequency and monetary scores, 1–5 each. */
      scores = g_strdup_printf (_("R %u · F %u · M %u"), row.r_score, row.f_score, row.m_score);
      /* Translators: e.g. "12 days since the last order · 5 orders · ¥1,234.00 in the window". */
      subtitle = g_strdup_printf (_("%s · %s · %s in the window"), days, orders, money);
      gtk_label_set_label (self->scores_label, scores);
      adw_action_row_set_subtitle (self->scores_row, subtitle);
      gtk_widget_set_visible (GTK_WIDGET (self->scores_row), TRUE);
      adw_action_row_set_subtitle (self->segment_row, NULL);
    }
  else
    {
      self->segment_text = g_strdup (_("Not scored"));
      adw_action_row_set_subtitle (self->segment_row, _("No order in the analysis window, or not recomputed yet"));
      gtk_widget_set_visible (GTK_WIDGET (self->scores_row), FALSE);
    }
  gtk_label_set_label (self->segment_label, self->segment_text);
}

static void
fill_tier (CrmCustomerValue     *self,
           CrmCustomerValueData *data)
{
  GArray *history = data->tier_history;
  const char *reason = data->override_reason;
  gint64 override_tier = data->override_tier, expires = data->override_expires;
  gint64 current = crm_customer_get_tier_id (data->customer);

  self->has_override = data->has_override;
  g_free (self->tier_text);
  if (self->has_override && expires > 0)
    {
      g_autofree char *until = crm_format_date (expires);

      /* Translators: a tier set by hand: name, reason, expiry date. */
      self->tier_text = g_strdup_printf (_("%s — set manually (%s), until %s"),
                                         tier_name (self, override_tier), reason, until);
    }
  else if (self->has_override)
    self->tier_text = g_strdup_printf (_("%s — set manually (%s)"), tier_name (self, override_tier), reason);
  else
    self->tier_text = g_strdup (tier_name (self, current));
  adw_expander_row_set_subtitle (self->tier_row, self->tier_text);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "value.set-tier", self->tiers->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "value.clear-tier", self->has_override);

  /* Newest first. */
  for (guint i = history->len, shown = 0; i > 0 && shown < MAX_HISTORY_ROWS; i--, shown++)
    {
      CrmTierChange *c = &g_array_index (history, CrmTierChange, i - 1);
      g_autofree char *title = g_strdup_printf ("%s → %s", tier_name (self, c->from_id), tier_name (self, c->to_id));
      g_autofree char *when = crm_format_date (c->at);
      g_autofree char *subtitle = NULL;
      const char *why;

      if (g_strcmp0 (c->reason, "rule") == 0)
        why = _("by the tier rules");
      else if (c->reason != NULL && g_str_has_prefix (c->reason, "override: "))
        why = c->reason + strlen ("override: ");
      else
        why = c->reason != NULL ? c->reason : "";
      subtitle = g_strdup_printf ("%s · %s", when, why);
      add_history_row (self, self->tier_row, title, subtitle);
    }
  if (history->len == 0)
    add_history_row (self, self->tier_row, _("No changes yet"), NULL);
}

static void
fill_stage (CrmCustomerValue     *self,
            CrmCustomerValueData *data)
{
  GArray *history = data->stage_history;

  adw_expander_row_set_subtitle (self->stage_row, stage_name (crm_customer_get_lifecycle (data->customer)));

  for (guint i = history->len, shown = 0; i > 0 && shown < MAX_HISTORY_ROWS; i--, shown++)
    {
      CrmStageChange *c = &g_array_index (history, CrmStageChange, i - 1);
      g_autofree char *title = g_strdup_printf ("%s → %s", stage_name (c->from_stage), stage_name (c->to_stage));
      g_autofree char *when = crm_format_date (c->at);

      add_history_row (self, self->stage_row, title, when);
    }
  if (history->len == 0)
    add_history_row (self, self->stage_row, _("No changes yet"), NULL);
}

static void
value_loaded (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CrmCustomerValue) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomerValueData) data = crm_customer_value_load_finish (result, &error);

  /* Superseded by another customer's read, or the widget went away. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);

  clear_history (self);
  g_clear_pointer (&self->tiers, g_ptr_array_unref);
  gtk_widget_set_visible (GTK_WIDGET (self), data != NULL);
  if (data == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_warning ("Could not read the customer's value: %s", error->message);
      return;
    }

  self->tiers = g_ptr_array_ref (data->tiers);
  fill_rfm (self, data);
  fill_tier (self, data);
  fill_stage (self, data);
}

void
crm_customer_value_refresh (CrmCustomerValue *self)
{
  g_return_if_fail (CRM_IS_CUSTOMER_VALUE (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->session == NULL || crm_session_get_store (self->session) == NULL || self->customer_id <= 0)
    {
      clear_history (self);
      g_clear_pointer (&self->tiers, g_ptr_array_unref);
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }

  self->cancellable = g_cancellable_new ();
  crm_customer_value_load_async (self->session, self->customer_id, self->cancellable, value_loaded,
                                 g_object_ref (self));
}

gboolean
crm_customer_value_get_loading (CrmCustomerValue *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_VALUE (self), FALSE);

  return self->cancellable != NULL;
}

void
crm_customer_value_set_customer (CrmCustomerValue *self,
                                 CrmSession       *session,
                                 gint64            customer_id)
{
  g_return_if_fail (CRM_IS_CUSTOMER_VALUE (self));

  g_set_object (&self->session, session);
  if (customer_id != self->customer_id)
    {
      adw_expander_row_set_expanded (self->tier_row, FALSE);
      adw_expander_row_set_expanded (self->stage_row, FALSE);
    }
  self->customer_id = customer_id;
  crm_customer_value_refresh (self);
}

gboolean
crm_customer_value_set_manual_tier (CrmCustomerValue *self,
                                    gint64            tier_id,
                                    const char       *reason,
                                    gint64            expires_at,
                                    GError          **error)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_VALUE (self), FALSE);
  g_return_val_if_fail (self->session != NULL && self->customer_id > 0, FALSE);

  if (!crm_recompute_set_manual_tier (crm_session_get_store (self->session), self->customer_id, tier_id, reason,
                                      expires_at, error))
    return FALSE;

  crm_customer_value_refresh (self);
  return TRUE;
}

/* Manual tier dialog ------------------------------------------------------- */

typedef struct
{
  CrmCustomerValue *self;
  GtkDropDown      *tiers;
  GtkEditable      *reason;
  GtkEditable      *expires;
  GtkLabel         *error;
} OverrideDialog;

static gboolean
parse_expiry (const char *text,
              gint64     *out)
{
  int y, m, d;
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) next = NULL;

  *out = 0;
  if (text[0] == '\0')
    return TRUE;
  if (!crm_text_check_date (text, NULL) || sscanf (text, "%d-%d-%d", &y, &m, &d) != 3)
    return FALSE;

  /* Valid through the whole day it names, in the user's time zone. */
  day = g_date_time_new_local (y, m, d, 0, 0, 0);
  if (day == NULL)
    return FALSE;
  next = g_date_time_add_days (day, 1);
  *out = g_date_time_to_unix (next) * 1000;

  return TRUE;
}

static void
on_override_changed (AdwMessageDialog *dialog)
{
  OverrideDialog *d = g_object_get_data (G_OBJECT (dialog), "crm-override");
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (d->reason)));
  g_autofree char *expires = g_strstrip (g_strdup (gtk_editable_get_text (d->expires)));
  const char *message = NULL;
  gint64 ms;

  if (!parse_expiry (expires, &ms))
    message = _("Write the expiry date as YYYY-MM-DD, or leave it empty.");
  else if (ms != 0 && ms <= crm_now_ms ())
    message = _("The expiry date is in the past.");
  else if (reason[0] == '\0')
    message = _("Say why, so the next person knows.");

  gtk_label_set_label (d->error, message != NULL ? message : "");
  if (message != NULL && (expires[0] != '\0' || reason[0] != '\0'))
    gtk_widget_set_visible (GTK_WIDGET (d->error), TRUE);
  else
    gtk_widget_set_visible (GTK_WIDGET (d->error), FALSE);
  adw_message_dialog_set_response_enabled (dialog, "set", message == NULL);
}

static void
on_override_response (AdwMessageDialog *dialog,
                      const char       *response)
{
  OverrideDialog *d = g_object_get_data (G_OBJECT (dialog), "crm-override");
  CrmCustomerValue *self = d->self;
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (d->reason)));
  g_autoptr(GError) error = NULL;
  guint selected = gtk_drop_down_get_selected (d->tiers);
  gint64 expires = 0;

  if (g_strcmp0 (response, "set") != 0 || self->tiers == NULL || selected >= self->tiers->len)
    return;
  if (!parse_expiry (gtk_editable_get_text (d->expires), &expires))
    return;

  if (!crm_customer_value_set_manual_tier (self,
                                           crm_entity_get_id (g_ptr_array_index (self->tiers, selected)),
                                           reason, expires, &error))
    crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
}

static void
set_tier_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CrmCustomerValue *self = CRM_CUSTOMER_VALUE (widget);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  AdwMessageDialog *dialog;
  OverrideDialog *d;
  GtkWidget *box, *reason, *expires, *error, *dropdown;

  if (self->tiers == NULL || self->tiers->len == 0)
    return;

  for (guint i = 0; i < self->tiers->len; i++)
    gtk_string_list_append (names, crm_tier_get_display_name (g_ptr_array_index (self->tiers, i)));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                                       _("Set Tier Manually"),
                                                       _("The customer keeps this tier until it expires or is cleared; recomputing does not change it.")));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Tier"), -1);
  reason = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (reason), _("Reason (required)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (reason), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);
  expires = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (expires), _("Expires on YYYY-MM-DD (optional)"));
  gtk_entry_set_max_length (GTK_ENTRY (expires), 10);
  gtk_accessible_update_property (GTK_ACCESSIBLE (expires), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Expiry date"), -1);
  error = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (error), TRUE);
  gtk_label_set_xalign (GTK_LABEL (error), 0);
  gtk_widget_add_css_class (error, "error");
  gtk_widget_add_css_class (error, "caption");
  gtk_widget_set_visible (error, FALSE);
  gtk_box_append (GTK_BOX (box), dropdown);
  gtk_box_append (GTK_BOX (box), reason);
  gtk_box_append (GTK_BOX (box), expires);
  gtk_box_append (GTK_BOX (box), error);
  adw_message_dialog_set_extra_child (dialog, box);

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "set", _("_Set Tier"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "set", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_response_enabled (dialog, "set", FALSE);

  d = g_new0 (OverrideDialog, 1);
  d->self = self;
  d->tiers = GTK_DROP_DOWN (dropdown);
  d->reason = GTK_EDITABLE (reason);
  d->expires = GTK_EDITABLE (expires);
  d->error = GTK_LABEL (error);
  g_object_set_data_full (G_OBJECT (dialog), "crm-override", d, g_free);
  /* The dialog is modal on our window: it cannot outlive the page's widgets. */
  g_object_set_data_full (G_OBJECT (dialog), "crm-value", g_object_ref (self), g_object_unref);

  g_signal_connect_swapped (reason, "changed", G_CALLBACK (on_override_changed), dialog);
  g_signal_connect_swapped (expires, "changed", G_CALLBACK (on_override_changed), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (on_override_response), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (reason);
}

static void
clear_tier_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CrmCustomerValue *self = CRM_CUSTOMER_VALUE (widget);
  g_autoptr(GError) error = NULL;

  if (!crm_customer_value_set_manual_tier (self, 0, NULL, 0, &error))
    crm_ui_show_toast (widget, adw_toast_new (error->message));
}

/* GObject ------------------------------------------------------------------ */

static void
crm_customer_value_dispose (GObject *object)
{
  CrmCustomerValue *self = CRM_CUSTOMER_VALUE (object);

  /* The group is both AdwBin's child and a template child: let AdwBin drop it
   * first so it is not unparented twice. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_CUSTOMER_VALUE);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->tiers, g_ptr_array_unref);

  G_OBJECT_CLASS (crm_customer_value_parent_class)->dispose (object);
}

static void
crm_customer_value_finalize (GObject *object)
{
  CrmCustomerValue *self = CRM_CUSTOMER_VALUE (object);

  g_clear_pointer (&self->history_rows, g_ptr_array_unref);
  g_free (self->segment_text);
  g_free (self->tier_text);

  G_OBJECT_CLASS (crm_customer_value_parent_class)->finalize (object);
}

static void
crm_customer_value_class_init (CrmCustomerValueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_customer_value_dispose;
  object_class->finalize = crm_customer_value_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-customer-value.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerValue, group);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerValue, segment_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerValue, segment_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerValue, scores_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerValue, scores_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerValue, tier_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerValue, stage_row);

  gtk_widget_class_install_action (widget_class, "value.set-tier", NULL, set_tier_action);
  gtk_widget_class_install_action (widget_class, "value.clear-tier", NULL, clear_tier_action);
}

static void
crm_customer_value_init (CrmCustomerValue *self)
{
  self->history_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (APP_ID);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

/* crm-tiers-page-lifecycle.c: the lifecycle limits form
 *
 * The limits are saved a moment after the last change (each click of a spin
 * button is not worth a recompute), checked first by the same rules
 * crm_lifecycle_rules_load applies; saving restarts the page's recompute so
 * the stage counts follow.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-format.h"
#include "crm-recompute.h"
#include "crm-tiers.h"
#include "crm-tiers-page-private.h"
#include "crm-ui-util.h"
#include "crm-value-report.h"

#define LIMITS_SAVE_DELAY_MS 700

const CrmTiersPageLimit _crm_tiers_page_limits[N_LIMITS] = {
  { "new_days", "new_days_row", "new_days_spin", "new_days_unit", FALSE },
  { "at_risk_factor", "at_risk_row", "at_risk_spin", "at_risk_unit", TRUE },
  { "churn_factor", "churn_row", "churn_spin", "churn_unit", TRUE },
  { "min_at_risk_days", "min_at_risk_row", "min_at_risk_spin", "min_at_risk_unit", FALSE },
  { "single_at_risk_days", "single_at_risk_row", "single_at_risk_spin", "single_at_risk_unit", FALSE },
  { "single_churn_days", "single_churn_row", "single_churn_spin", "single_churn_unit", FALSE },
};

/* Lifecycle limits ---------------------------------------------------------- */

static void
limits_from_form (CrmTiersPage      *self,
                  CrmLifecycleRules *r)
{
  r->new_days = gtk_spin_button_get_value_as_int (self->limit_spins[LIMIT_NEW_DAYS]);
  r->at_risk_factor = gtk_spin_button_get_value (self->limit_spins[LIMIT_AT_RISK_FACTOR]);
  r->churn_factor = gtk_spin_button_get_value (self->limit_spins[LIMIT_CHURN_FACTOR]);
  r->min_at_risk_days = gtk_spin_button_get_value_as_int (self->limit_spins[LIMIT_MIN_AT_RISK_DAYS]);
  r->single_at_risk_days = gtk_spin_button_get_value_as_int (self->limit_spins[LIMIT_SINGLE_AT_RISK_DAYS]);
  r->single_churn_days = gtk_spin_button_get_value_as_int (self->limit_spins[LIMIT_SINGLE_CHURN_DAYS]);
}

static void
update_limit_units (CrmTiersPage *self)
{
  for (guint i = 0; i < N_LIMITS; i++)
    {
      if (_crm_tiers_page_limits[i].factor)
        /* Translators: after a factor such as "2.00", as in "2.00 times the usual gap". */
        gtk_label_set_label (self->limit_units[i], _("times"));
      else
        {
          int n = gtk_spin_button_get_value_as_int (self->limit_spins[i]);

          /* Translators: after a number of days in a spin button. */
          gtk_label_set_label (self->limit_units[i], g_dngettext (GETTEXT_PACKAGE, "day", "days", n));
        }
    }
}

/* Marks the limit to fix and says why under the form; TRUE if the form holds
 * rules that may be saved. */
static gboolean
check_limits (CrmTiersPage      *self,
              CrmLifecycleRules *rules)
{
  g_autoptr(GError) error = NULL;
  const char *field = NULL;
  CrmLifecycleRules defaults;
  gboolean ok;

  limits_from_form (self, rules);
  ok = crm_lifecycle_rules_check (rules, &field, &error);

  for (guint i = 0; i < N_LIMITS; i++)
    {
      gboolean bad = !ok && g_strcmp0 (field, _crm_tiers_page_limits[i].member) == 0;

      if (bad)
        gtk_widget_add_css_class (GTK_WIDGET (self->limit_spins[i]), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->limit_spins[i]), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->limit_spins[i]), GTK_ACCESSIBLE_STATE_INVALID,
                                   bad ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE, -1);
    }

  gtk_label_set_label (self->lifecycle_error, ok ? "" : error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->lifecycle_error), !ok);

  crm_lifecycle_rules_init_default (&defaults);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tiers.reset-lifecycle",
                                 self->store != NULL && !crm_lifecycle_rules_equal (rules, &defaults));

  return ok;
}

void
_crm_tiers_page_fill_limits (CrmTiersPage            *self,
                             const CrmLifecycleRules *r)
{
  CrmLifecycleRules unused;

  self->filling_limits = TRUE;
  gtk_spin_button_set_value (self->limit_spins[LIMIT_NEW_DAYS], r->new_days);
  gtk_spin_button_set_value (self->limit_spins[LIMIT_AT_RISK_FACTOR], r->at_risk_factor);
  gtk_spin_button_set_value (self->limit_spins[LIMIT_CHURN_FACTOR], r->churn_factor);
  gtk_spin_button_set_value (self->limit_spins[LIMIT_MIN_AT_RISK_DAYS], r->min_at_risk_days);
  gtk_spin_button_set_value (self->limit_spins[LIMIT_SINGLE_AT_RISK_DAYS], r->single_at_risk_days);
  gtk_spin_button_set_value (self->limit_spins[LIMIT_SINGLE_CHURN_DAYS], r->single_churn_days);
  self->filling_limits = FALSE;

  update_limit_units (self);
  check_limits (self, &unused);
}

/* A new recompute with the saved limits; one already running used the old
 * ones, so it is cancelled and started again when it has stopped. */
static void
recompute_for_new_limits (CrmTiersPage *self)
{
  self->recompute_for_limits = TRUE;
  if (self->recompute_cancellable != NULL)
    {
      self->recompute_again = TRUE;
      g_cancellable_cancel (self->recompute_cancellable);
    }
  else if (!crm_tiers_page_recompute (self))
    {
      self->recompute_for_limits = FALSE;
    }
}

/* Saves what the form holds, if it is valid and new; @recompute: apply it at once. */
void
_crm_tiers_page_save_limits (CrmTiersPage *self,
                             gboolean      recompute)
{
  g_autoptr(GError) error = NULL;
  CrmLifecycleRules rules;

  g_clear_handle_id (&self->limits_save_id, g_source_remove);

  if (self->store == NULL || !check_limits (self, &rules) ||
      crm_lifecycle_rules_equal (&rules, &self->saved_rules))
    return;

  if (!crm_lifecycle_rules_save (self->store, &rules, &error))
    {
      gtk_label_set_label (self->lifecycle_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->lifecycle_error), TRUE);
      return;
    }

  self->saved_rules = rules;
  if (recompute)
    recompute_for_new_limits (self);
}

static gboolean
save_limits_timeout (gpointer data)
{
  CrmTiersPage *self = data;

  self->limits_save_id = 0;
  _crm_tiers_page_save_limits (self, TRUE);

  return G_SOURCE_REMOVE;
}

void
_crm_tiers_page_on_lifecycle_value_changed (CrmTiersPage *self)
{
  CrmLifecycleRules rules;

  if (self->filling_limits)
    return;

  update_limit_units (self);
  g_clear_handle_id (&self->limits_save_id, g_source_remove);
  if (self->store == NULL || !check_limits (self, &rules) ||
      crm_lifecycle_rules_equal (&rules, &self->saved_rules))
    return;

  self->limits_save_id = g_timeout_add (LIMITS_SAVE_DELAY_MS, save_limits_timeout, self);
}

void
crm_tiers_page_reset_lifecycle (CrmTiersPage *self)
{
  CrmLifecycleRules defaults;

  g_return_if_fail (CRM_IS_TIERS_PAGE (self));

  crm_lifecycle_rules_init_default (&defaults);
  _crm_tiers_page_fill_limits (self, &defaults);
  _crm_tiers_page_save_limits (self, TRUE);
}

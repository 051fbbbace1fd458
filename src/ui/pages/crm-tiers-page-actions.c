/* crm-tiers-page-actions.c: the recompute (a job with its own writing connection,
 * one transaction, so Cancel leaves everything as it was), adding, editing and
 * deleting tiers, and the page's actions.  Other pages hear of a recompute or a
 * tier edit from the session when it commits.
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

/* Recompute ---------------------------------------------------------------- */

static void
recompute_progress (const CrmJobProgress *progress,
                    gpointer              user_data)
{
  CrmTiersPage *self = user_data;

  gtk_progress_bar_set_fraction (self->progress_bar, MAX (progress->fraction, 0));
}

void
_crm_tiers_page_set_recomputing (CrmTiersPage *self,
                                 gboolean      recomputing)
{
  gtk_revealer_set_reveal_child (self->progress_revealer, recomputing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tiers.recompute", !recomputing && self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tiers.cancel-recompute", recomputing);
}

static void
recompute_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CrmTiersPage) self = user_data;
  g_autoptr(GError) error = NULL;
  CrmRecomputeReport found;
  CrmRecomputeReport *report = crm_recompute_finish (result, &found, &error) ? &found : NULL;
  gboolean for_limits = self->recompute_for_limits;

  g_clear_object (&self->recompute_cancellable);
  _crm_tiers_page_set_recomputing (self, FALSE);

  /* The limits changed while it ran: it used the old ones, so run again. */
  if (self->recompute_again)
    {
      self->recompute_again = FALSE;
      if (crm_tiers_page_recompute (self))
        return;
    }
  self->recompute_for_limits = FALSE;

  if (report == NULL)
    {
      if ((g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) && for_limits)
        crm_ui_show_toast (GTK_WIDGET (self),
                           adw_toast_new (_("Recompute cancelled; the new lifecycle limits apply at the next recompute.")));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        crm_ui_show_toast (GTK_WIDGET (self),
                           adw_toast_new (_("Recompute cancelled; nothing was changed.")));
      else
        crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }

  if (for_limits)
    {
      g_autofree char *changes = crm_format_count (report->lifecycle_changes);

      crm_ui_show_toast (GTK_WIDGET (self),
                         adw_toast_new_format (g_dngettext (GETTEXT_PACKAGE,
                                                            "Lifecycle limits saved; %s customer changed stage",
                                                            "Lifecycle limits saved; %s customers changed stage",
                                                            report->lifecycle_changes),
                                               changes));
    }
  else
    {
      g_autofree char *customers = crm_format_count (report->customers);
      g_autofree char *changes = crm_format_count (report->tier_changes);

      crm_ui_show_toast (GTK_WIDGET (self),
                         adw_toast_new_format (g_dngettext (GETTEXT_PACKAGE,
                                                            "Recomputed %s customer; %s tier changes",
                                                            "Recomputed %s customers; %s tier changes",
                                                            report->customers),
                                               customers, changes));
    }

  crm_tiers_page_reload (self);
}

gboolean
crm_tiers_page_recompute (CrmTiersPage *self)
{
  g_return_val_if_fail (CRM_IS_TIERS_PAGE (self), FALSE);

  if (self->store == NULL || self->recompute_cancellable != NULL)
    return FALSE;

  self->recompute_cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, _("Recomputing RFM scores, tiers and stages…"));
  _crm_tiers_page_set_recomputing (self, TRUE);

  crm_recompute_async (self->session, NULL, self->recompute_cancellable, recompute_progress, self,
                       recompute_done, g_object_ref (self));

  return TRUE;
}

/* Editing ------------------------------------------------------------------ */

/* The other views hear of it from the session (the tiers are values they show). */
static void
on_tier_saved (CrmTiersPage *self)
{
  crm_tiers_page_reload (self);
}

static void
on_undo_delete (CrmTiersPage *self,
                AdwToast     *toast)
{
  CrmTier *tier = g_object_get_data (G_OBJECT (toast), "crm-tier");
  g_autoptr(GError) error = NULL;

  if (self->store == NULL || tier == NULL)
    return;

  if (!crm_store_restore (self->store, CRM_ENTITY (tier), &error))
    {
      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }
  on_tier_saved (self);
}

gboolean
crm_tiers_page_delete_tier (CrmTiersPage *self,
                            CrmTier      *tier,
                            GError      **error)
{
  g_autoptr(CrmTier) held = NULL;
  AdwToast *toast;

  g_return_val_if_fail (CRM_IS_TIERS_PAGE (self), FALSE);
  g_return_val_if_fail (CRM_IS_TIER (tier), FALSE);

  held = crm_store_load (self->store, CRM_TYPE_TIER, crm_entity_get_id (CRM_ENTITY (tier)), error);
  if (held == NULL || !crm_store_delete (self->store, CRM_ENTITY (held), error))
    return FALSE;

  on_tier_saved (self);

  /* Members keep the tier until the next recompute places them elsewhere. */
  toast = adw_toast_new_format (_("Deleted tier “%s”; recompute to move its members"),
                                crm_tier_get_display_name (held));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (toast), "crm-tier", g_object_ref (held), g_object_unref);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_delete), self, G_CONNECT_SWAPPED);
  crm_ui_show_toast (GTK_WIDGET (self), toast);

  return TRUE;
}

static void
on_delete_requested (CrmTiersPage *self,
                     CrmTier      *tier)
{
  g_autoptr(GError) error = NULL;

  if (!crm_tiers_page_delete_tier (self, tier, &error))
    crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
}

CrmTierEditor *
crm_tiers_page_edit_tier (CrmTiersPage *self,
                          CrmTier      *tier)
{
  g_autofree char *currency = NULL;
  CrmTierEditor *editor;

  g_return_val_if_fail (CRM_IS_TIERS_PAGE (self), NULL);

  if (self->store == NULL)
    return NULL;

  currency = crm_ui_shop_currency (self->store, self->settings);
  editor = crm_tier_editor_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), self->store, tier,
                                currency);
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_tier_saved), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (editor, "delete-requested", G_CALLBACK (on_delete_requested), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));

  return editor;
}

void
_crm_tiers_page_on_tier_row_activated (CrmTiersPage  *self,
                                       GtkListBoxRow *row)
{
  CrmTier *tier = g_object_get_data (G_OBJECT (row), "crm-tier");

  if (tier != NULL)
    crm_tiers_page_edit_tier (self, tier);
}

void
_crm_tiers_page_on_move_row_activated (CrmTiersPage  *self,
                                       GtkListBoxRow *row)
{
  gint64 id = (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "crm-customer-id"));

  if (id > 0)
    g_signal_emit_by_name (self, "open-customer", id);
}

/* Actions ------------------------------------------------------------------ */

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  crm_tiers_page_edit_tier (CRM_TIERS_PAGE (widget), NULL);
}

static void
recompute_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  crm_tiers_page_recompute (CRM_TIERS_PAGE (widget));
}

static void
reset_lifecycle_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  crm_tiers_page_reset_lifecycle (CRM_TIERS_PAGE (widget));
}

static void
cancel_recompute_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CrmTiersPage *self = CRM_TIERS_PAGE (widget);

  if (self->recompute_cancellable != NULL)
    g_cancellable_cancel (self->recompute_cancellable);
}

void
_crm_tiers_page_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "tiers.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "tiers.recompute", NULL, recompute_action);
  gtk_widget_class_install_action (widget_class, "tiers.cancel-recompute", NULL, cancel_recompute_action);
  gtk_widget_class_install_action (widget_class, "tiers.reset-lifecycle", NULL, reset_lifecycle_action);
}

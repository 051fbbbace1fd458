/* crm-tier-editor.c
 *
 * The RFM condition is checked with the same parser the recompute uses, as it
 * is typed; Save stays off while anything is wrong.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <locale.h>

#include "crm-export.h"
#include "crm-format.h"
#include "crm-text.h"
#include "crm-tier-editor.h"
#include "crm-tiers.h"
#include "crm-ui-util.h"

struct _CrmTierEditor
{
  AdwWindow       parent_instance;

  CrmStore       *store;
  CrmTier        *tier;
  char           *currency;
  char           *error;
  gboolean        is_new;
  gint64          min_spend;

  /* template children */
  AdwWindowTitle *title_widget;
  AdwEntryRow    *name_row;
  GtkSpinButton  *rank_spin;
  GtkColorButton *color_button;
  AdwEntryRow    *spend_row;
  GtkSpinButton  *orders_spin;
  GtkSpinButton  *window_spin;
  AdwEntryRow    *rfm_row;
  AdwComboRow    *match_row;
  AdwEntryRow    *benefits_row;
  GtkSpinButton  *points_spin;
  GtkLabel       *name_error;
  GtkLabel       *rule_error;
  GtkWidget      *delete_group;
};

G_DEFINE_FINAL_TYPE (CrmTierEditor, crm_tier_editor, ADW_TYPE_WINDOW)

enum
{
  SAVED,
  DELETE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GtkEditable *
crm_tier_editor_get_entry (CrmTierEditor *self,
                           CrmTierField   field)
{
  g_return_val_if_fail (CRM_IS_TIER_EDITOR (self), NULL);

  switch (field)
    {
    case CRM_TIER_NAME:
      return GTK_EDITABLE (self->name_row);
    case CRM_TIER_MIN_SPEND:
      return GTK_EDITABLE (self->spend_row);
    case CRM_TIER_RFM_RULE:
      return GTK_EDITABLE (self->rfm_row);
    case CRM_TIER_BENEFITS:
      return GTK_EDITABLE (self->benefits_row);
    default:
      return NULL;
    }
}

const char *
crm_tier_editor_get_error (CrmTierEditor *self)
{
  g_return_val_if_fail (CRM_IS_TIER_EDITOR (self), NULL);

  return self->error;
}

static void
show_error (GtkLabel   *label,
            GtkWidget  *row,
            const char *message)
{
  gtk_label_set_label (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

static char *
trimmed (GtkEditable *editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (editable)));
}

static void
validate (CrmTierEditor *self)
{
  g_autofree char *name = trimmed (GTK_EDITABLE (self->name_row));
  g_autofree char *spend = trimmed (GTK_EDITABLE (self->spend_row));
  g_autofree char *rfm = trimmed (GTK_EDITABLE (self->rfm_row));
  g_autofree char *benefits = trimmed (GTK_EDITABLE (self->benefits_row));
  g_autoptr(GError) error = NULL;
  g_autofree char *name_message = NULL;
  g_autofree char *spend_message = NULL;
  g_autofree char *rfm_message = NULL;
  const struct lconv *lc = localeconv ();
  gboolean decimal_comma = lc != NULL && g_strcmp0 (lc->decimal_point, ",") == 0;
  CrmRfmCondition cond;

  if (name[0] == '\0')
    name_message = g_strdup (_("A tier needs a name."));
  else if (!crm_text_validate (name, -1, 100, _("Name"), &error))
    name_message = g_strdup (error->message);
  g_clear_error (&error);

  self->min_spend = 0;
  if (spend[0] != '\0' && (!crm_parse_money (spend, crm_currency_exponent (self->currency), decimal_comma,
                                              &self->min_spend) || self->min_spend < 0))
    spend_message = g_strdup (_("The minimum spend must be an amount such as 1000 or 1,000.00."));

  if (rfm[0] != '\0' && !crm_rfm_condition_parse (rfm, &cond, &error))
    rfm_message = g_strdup (error->message);
  g_clear_error (&error);

  if (benefits[0] != '\0' && !crm_text_validate (benefits, -1, 1000, _("Benefits"), &error))
    rfm_message = rfm_message != NULL ? rfm_message : g_strdup (error->message);

  show_error (self->name_error, GTK_WIDGET (self->name_row), name_message);
  show_error (self->rule_error, GTK_WIDGET (self->spend_row), spend_message);
  if (spend_message == NULL)
    show_error (self->rule_error, GTK_WIDGET (self->rfm_row), rfm_message);
  else if (rfm_message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->rfm_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->rfm_row), "error");

  g_free (self->error);
  self->error = g_strdup (name_message != NULL ? name_message
                          : spend_message != NULL ? spend_message : rfm_message);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tier.save", self->error == NULL);
}

static void
fill (CrmTierEditor *self)
{
  CrmTier *tier = self->tier;
  GdkRGBA rgba;
  const char *color = crm_tier_get_color (tier);
  g_autofree char *spend = NULL;

  /* A built-in tier shows its texts in this language (crm_tier_get_display_name()). */
  gtk_editable_set_text (GTK_EDITABLE (self->name_row),
                         crm_tier_get_display_name (tier) ? crm_tier_get_display_name (tier) : "");
  gtk_spin_button_set_value (self->rank_spin, crm_tier_get_rank (tier));
  if (color == NULL || !gdk_rgba_parse (&rgba, color))
    gdk_rgba_parse (&rgba, "#9a9996");
  gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (self->color_button), &rgba);
  if (crm_tier_get_min_spend (tier) > 0)
    spend = crm_export_format_amount (crm_tier_get_min_spend (tier), crm_currency_exponent (self->currency));
  gtk_editable_set_text (GTK_EDITABLE (self->spend_row), spend != NULL ? spend : "");
  gtk_spin_button_set_value (self->orders_spin, crm_tier_get_min_orders (tier));
  gtk_spin_button_set_value (self->window_spin, crm_tier_get_window_days (tier) > 0
                                                ? crm_tier_get_window_days (tier) : 365);
  gtk_editable_set_text (GTK_EDITABLE (self->rfm_row),
                         crm_tier_get_rfm_rule (tier) ? crm_tier_get_rfm_rule (tier) : "");
  adw_combo_row_set_selected (self->match_row, crm_tier_get_match_any (tier) ? 1 : 0);
  gtk_editable_set_text (GTK_EDITABLE (self->benefits_row),
                         crm_tier_get_display_benefits (tier) ? crm_tier_get_display_benefits (tier) : "");
  gtk_spin_button_set_value (self->points_spin, crm_tier_get_points_multiplier (tier));

  adw_window_title_set_title (self->title_widget, self->is_new ? _("New Tier") : _("Edit Tier"));
  gtk_widget_set_visible (self->delete_group, !self->is_new);
  validate (self);
}

gboolean
crm_tier_editor_save (CrmTierEditor *self,
                      GError       **error)
{
  g_autofree char *name = trimmed (GTK_EDITABLE (self->name_row));
  g_autofree char *rfm = trimmed (GTK_EDITABLE (self->rfm_row));
  g_autofree char *benefits = trimmed (GTK_EDITABLE (self->benefits_row));
  g_autofree char *color = NULL;
  GdkRGBA rgba;

  g_return_val_if_fail (CRM_IS_TIER_EDITOR (self), FALSE);

  gtk_spin_button_update (self->rank_spin);
  gtk_spin_button_update (self->orders_spin);
  gtk_spin_button_update (self->window_spin);
  gtk_spin_button_update (self->points_spin);
  validate (self);
  if (self->error != NULL)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, self->error);
      return FALSE;
    }

  gtk_color_chooser_get_rgba (GTK_COLOR_CHOOSER (self->color_button), &rgba);
  color = g_strdup_printf ("#%02x%02x%02x", (int) (rgba.red * 255 + 0.5), (int) (rgba.green * 255 + 0.5),
                           (int) (rgba.blue * 255 + 0.5));

  crm_tier_set_rank (self->tier, gtk_spin_button_get_value_as_int (self->rank_spin));
  crm_tier_set_color (self->tier, color);
  crm_tier_set_min_spend (self->tier, self->min_spend);
  crm_tier_set_min_orders (self->tier, gtk_spin_button_get_value_as_int (self->orders_spin));
  crm_tier_set_window_days (self->tier, gtk_spin_button_get_value_as_int (self->window_spin));
  crm_tier_set_rfm_rule (self->tier, rfm[0] != '\0' ? rfm : NULL);
  crm_tier_set_match_any (self->tier, adw_combo_row_get_selected (self->match_row) == 1);
  crm_tier_set_texts (self->tier, name, benefits[0] != '\0' ? benefits : NULL);
  crm_tier_set_points_multiplier (self->tier, gtk_spin_button_get_value (self->points_spin));

  if (self->is_new ? !crm_store_insert (self->store, CRM_ENTITY (self->tier), error)
                   : !crm_store_update (self->store, CRM_ENTITY (self->tier), error))
    return FALSE;

  g_signal_emit (self, signals[SAVED], 0, self->tier, self->is_new);
  self->is_new = FALSE;
  gtk_window_close (GTK_WINDOW (self));

  return TRUE;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_autoptr(GError) error = NULL;

  if (!crm_tier_editor_save (CRM_TIER_EDITOR (widget), &error))
    {
      AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (widget),
                                                                            _("The Tier Was Not Saved"),
                                                                            error->message));
      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmTierEditor *self = CRM_TIER_EDITOR (widget);

  if (!self->is_new)
    g_signal_emit (self, signals[DELETE_REQUESTED], 0, self->tier);
  gtk_window_close (GTK_WINDOW (self));
}

CrmTierEditor *
crm_tier_editor_new (GtkWindow  *parent,
                     CrmStore   *store,
                     CrmTier    *tier,
                     const char *currency)
{
  CrmTierEditor *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  self = g_object_new (CRM_TYPE_TIER_EDITOR, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->currency = g_strdup (currency != NULL ? currency : "CNY");
  if (tier != NULL)
    self->tier = crm_store_load (store, CRM_TYPE_TIER, crm_entity_get_id (CRM_ENTITY (tier)), &error);
  if (self->tier == NULL)
    {
      if (error != NULL)
        g_warning ("Could not load the tier: %s", error->message);
      self->tier = crm_tier_new ();
      crm_tier_set_window_days (self->tier, 365);
      crm_tier_set_points_multiplier (self->tier, 1.0);
      crm_tier_set_color (self->tier, "#3584e4");
      self->is_new = TRUE;
    }
  fill (self);

  return self;
}

static void
crm_tier_editor_dispose (GObject *object)
{
  CrmTierEditor *self = CRM_TIER_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_TIER_EDITOR);
  g_clear_object (&self->store);
  g_clear_object (&self->tier);

  G_OBJECT_CLASS (crm_tier_editor_parent_class)->dispose (object);
}

static void
crm_tier_editor_finalize (GObject *object)
{
  CrmTierEditor *self = CRM_TIER_EDITOR (object);

  g_free (self->currency);
  g_free (self->error);

  G_OBJECT_CLASS (crm_tier_editor_parent_class)->finalize (object);
}

static void
crm_tier_editor_class_init (CrmTierEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_tier_editor_dispose;
  object_class->finalize = crm_tier_editor_finalize;

  /* The tier was stored (@created: it is new). */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 2, CRM_TYPE_TIER, G_TYPE_BOOLEAN);
  /* The user asked to delete the tier; the page deletes it (with Undo). */
  signals[DELETE_REQUESTED] = g_signal_new ("delete-requested", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, CRM_TYPE_TIER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-tier-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmTierEditor, title_widget);
  gtk_widget_class_bind_template_child (widget_class, CrmTierEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, CrmTierEditor, rank_spin);
  gtk_widget_class_bind_template_child (widget_class, CrmTierEditor, color_button);
  gtk_widget_class_bind_template_child (widget_class, CrmTierEditor, spend_row);
  gtk_widget_class_bind_template_child (widget_class, CrmTierEditor, orders_spin);
  gtk_widget_class_bind_template_child (widget_class, CrmTierEditor, window_spin);
  gtk_widget_class_bind_template_child (widget_class, CrmTierEditor, rfm_row);
  gtk_widget_class_bind_template_child (widget_class, CrmTierEditor, match_row);
  gtk_widget_class_bind_template_child (widget_class, CrmTierEditor, benefits_row);
  gtk_widget_class_bind_template_child (widget_class, CrmTierEditor, points_spin);
  gtk_widget_class_bind_template_child (widget_class, CrmTierEditor, name_error);
  gtk_widget_class_bind_template_child (widget_class, CrmTierEditor, rule_error);
  gtk_widget_class_bind_template_child (widget_class, CrmTierEditor, delete_group);
  gtk_widget_class_bind_template_callback (widget_class, validate);

  gtk_widget_class_install_action (widget_class, "tier.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "tier.delete", NULL, delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "tier.save", NULL);
}

static void
crm_tier_editor_init (CrmTierEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

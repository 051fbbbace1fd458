/* crm-tiers-page.c
 *
 * Members per tier and the last recompute's moves are read by a job with its own
 * read-only connection (a GROUP BY over every customer is not for the main
 * thread), again whenever the session says customers changed.  A recompute is a
 * job with its own writing connection and commits in one transaction, so Cancel
 * leaves everything as it was.
 *
 * The lifecycle limits are saved a moment after the last change (each click
 * of a spin button is not worth a recompute), checked first by the same rules
 * crm_lifecycle_rules_load applies; saving restarts the page's recompute so
 * the stage counts follow.
 *
 * The class spreads over four files as gnome-text-editor's do: this one holds
 * the widget (properties, session, template), crm-tiers-page-load.c reads and
 * shows the tiers, members and moves, crm-tiers-page-lifecycle.c the lifecycle
 * limits form, crm-tiers-page-actions.c the recompute, editing tiers and the
 * actions; the instance struct is in crm-tiers-page-private.h.
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

G_DEFINE_FINAL_TYPE (CrmTiersPage, crm_tiers_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  OPEN_CUSTOMER,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Accessors ---------------------------------------------------------------- */

GtkListBox *
crm_tiers_page_get_tier_list (CrmTiersPage *self)
{
  g_return_val_if_fail (CRM_IS_TIERS_PAGE (self), NULL);

  return self->tier_list;
}

GtkListBox *
crm_tiers_page_get_moves_list (CrmTiersPage *self)
{
  g_return_val_if_fail (CRM_IS_TIERS_PAGE (self), NULL);

  return self->moves_list;
}

const char *
crm_tiers_page_get_moves_text (CrmTiersPage *self)
{
  g_return_val_if_fail (CRM_IS_TIERS_PAGE (self), NULL);

  return self->moves_text;
}

GtkSpinButton *
crm_tiers_page_get_lifecycle_spin (CrmTiersPage *self,
                                   const char   *member)
{
  g_return_val_if_fail (CRM_IS_TIERS_PAGE (self), NULL);

  for (guint i = 0; i < N_LIMITS; i++)
    if (g_strcmp0 (_crm_tiers_page_limits[i].member, member) == 0)
      return self->limit_spins[i];

  return NULL;
}

const char *
crm_tiers_page_get_lifecycle_error (CrmTiersPage *self)
{
  g_return_val_if_fail (CRM_IS_TIERS_PAGE (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->lifecycle_error))
         ? gtk_label_get_label (self->lifecycle_error) : NULL;
}

gboolean
crm_tiers_page_get_lifecycle_pending (CrmTiersPage *self)
{
  g_return_val_if_fail (CRM_IS_TIERS_PAGE (self), FALSE);

  return self->limits_save_id != 0;
}

const char *
crm_tiers_page_get_stages_text (CrmTiersPage *self)
{
  g_return_val_if_fail (CRM_IS_TIERS_PAGE (self), NULL);

  return self->stages_text;
}

gboolean
crm_tiers_page_get_loading (CrmTiersPage *self)
{
  g_return_val_if_fail (CRM_IS_TIERS_PAGE (self), FALSE);

  return self->load_cancellable != NULL;
}

gboolean
crm_tiers_page_get_recomputing (CrmTiersPage *self)
{
  g_return_val_if_fail (CRM_IS_TIERS_PAGE (self), FALSE);

  return self->recompute_cancellable != NULL;
}

void
crm_tiers_page_set_folded (CrmTiersPage *self,
                           gboolean      folded)
{
  g_return_if_fail (CRM_IS_TIERS_PAGE (self));

  crm_ui_page_set_folded (G_OBJECT (self), properties[PROP_FOLDED], &self->folded, folded,
                          GTK_WIDGET (self->back_button), self->header);
}

/* Session ------------------------------------------------------------------ */

/* Customers but no scores yet (an older database, a sample shop, an import by the CLI):
 * compute them once in the background so tiers and segments mean something. */
static void
maybe_first_recompute (CrmTiersPage *self)
{
  g_autofree char *computed = NULL;

  if (self->store == NULL)
    return;
  computed = crm_store_get_setting (self->store, "rfm.computed_at");
  if (computed == NULL && crm_store_count (self->store, CRM_TYPE_CUSTOMER, NULL) > 0)
    crm_tiers_page_recompute (self);
}

/* Members per tier and stage may have moved with any write to customers or orders; the first
 * customers of a shop (a sample shop, an import, another program) get their first scores. */
static void
on_customers_changed (CrmTiersPage *self)
{
  crm_tiers_page_reload (self);
  maybe_first_recompute (self);
}

void
crm_tiers_page_set_session (CrmTiersPage *self,
                            CrmSession   *session)
{
  CrmStore *store = session != NULL ? crm_session_get_store (session) : NULL;

  g_return_if_fail (CRM_IS_TIERS_PAGE (self));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);

  /* A change still waiting belongs to the database it was made in. */
  if (self->limits_save_id != 0)
    _crm_tiers_page_save_limits (self, FALSE);
  self->recompute_again = FALSE;
  self->recompute_for_limits = FALSE;

  if (self->recompute_cancellable != NULL)
    g_cancellable_cancel (self->recompute_cancellable);

  g_set_object (&self->store, store);
  {
    CrmRecomputeOptions options;

    crm_recompute_options_init (&options, store);
    self->saved_rules = options.lifecycle;
    _crm_tiers_page_fill_limits (self, &self->saved_rules);
    gtk_widget_set_sensitive (GTK_WIDGET (self->lifecycle_group), store != NULL);
  }
  _crm_tiers_page_set_recomputing (self, self->recompute_cancellable != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tiers.add", store != NULL);
  crm_tiers_page_reload (self);

  if (store == NULL)
    return;
  g_signal_connect_object (session, "customers-changed", G_CALLBACK (on_customers_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "orders-changed", G_CALLBACK (crm_tiers_page_reload), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "values-recomputed", G_CALLBACK (crm_tiers_page_reload), self,
                           G_CONNECT_SWAPPED);
  maybe_first_recompute (self);
}

/* GObject ------------------------------------------------------------------ */

static void
crm_tiers_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CrmTiersPage *self = CRM_TIERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_tiers_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CrmTiersPage *self = CRM_TIERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      crm_tiers_page_set_folded (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_tiers_page_dispose (GObject *object)
{
  CrmTiersPage *self = CRM_TIERS_PAGE (object);

  /* Closing the window right after a change still keeps it. */
  if (self->limits_save_id != 0)
    _crm_tiers_page_save_limits (self, FALSE);
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  if (self->recompute_cancellable != NULL)
    g_cancellable_cancel (self->recompute_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_TIERS_PAGE);

  g_clear_object (&self->store);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->tiers, g_ptr_array_unref);

  G_OBJECT_CLASS (crm_tiers_page_parent_class)->dispose (object);
}

static void
crm_tiers_page_finalize (GObject *object)
{
  CrmTiersPage *self = CRM_TIERS_PAGE (object);

  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->recompute_cancellable);
  g_free (self->moves_text);
  g_free (self->stages_text);

  G_OBJECT_CLASS (crm_tiers_page_parent_class)->finalize (object);
}

static void
crm_tiers_page_class_init (CrmTiersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_tiers_page_dispose;
  object_class->finalize = crm_tiers_page_finalize;
  object_class->get_property = crm_tiers_page_get_property;
  object_class->set_property = crm_tiers_page_set_property;

  /* Set by the window: the sidebar is folded away, so show a back button. */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The user picked a customer from the moves list. */
  signals[OPEN_CUSTOMER] = g_signal_new ("open-customer", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-tiers-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmTiersPage, header);
  gtk_widget_class_bind_template_child (widget_class, CrmTiersPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, CrmTiersPage, title_widget);
  gtk_widget_class_bind_template_child (widget_class, CrmTiersPage, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, CrmTiersPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CrmTiersPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmTiersPage, tier_list);
  gtk_widget_class_bind_template_child (widget_class, CrmTiersPage, moves_group);
  gtk_widget_class_bind_template_child (widget_class, CrmTiersPage, moves_list);
  gtk_widget_class_bind_template_child (widget_class, CrmTiersPage, lifecycle_group);
  gtk_widget_class_bind_template_child (widget_class, CrmTiersPage, stages_row);
  gtk_widget_class_bind_template_child (widget_class, CrmTiersPage, lifecycle_error);
  for (guint i = 0; i < N_LIMITS; i++)
    {
      gtk_widget_class_bind_template_child_full (widget_class, _crm_tiers_page_limits[i].row, FALSE,
                                                 G_STRUCT_OFFSET (CrmTiersPage, limit_rows) + i * sizeof (gpointer));
      gtk_widget_class_bind_template_child_full (widget_class, _crm_tiers_page_limits[i].spin, FALSE,
                                                 G_STRUCT_OFFSET (CrmTiersPage, limit_spins) + i * sizeof (gpointer));
      gtk_widget_class_bind_template_child_full (widget_class, _crm_tiers_page_limits[i].unit, FALSE,
                                                 G_STRUCT_OFFSET (CrmTiersPage, limit_units) + i * sizeof (gpointer));
    }
  gtk_widget_class_bind_template_callback_full (widget_class, "on_tier_row_activated", G_CALLBACK (_crm_tiers_page_on_tier_row_activated));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_lifecycle_value_changed", G_CALLBACK (_crm_tiers_page_on_lifecycle_value_changed));

  _crm_tiers_page_class_actions_init (widget_class);
}

static void
crm_tiers_page_init (CrmTiersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::default-currency",
                           G_CALLBACK (crm_tiers_page_reload), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->moves_list, "row-activated", G_CALLBACK (_crm_tiers_page_on_move_row_activated), self,
                           G_CONNECT_SWAPPED);
  _crm_tiers_page_set_recomputing (self, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tiers.add", FALSE);
  gtk_stack_set_visible_child_name (self->stack, "empty");

  /* A screen reader names each spin button by its row, and reads the rule as its description. */
  for (guint i = 0; i < N_LIMITS; i++)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->limit_spins[i]),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->limit_rows[i])),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    adw_action_row_get_subtitle (self->limit_rows[i]),
                                    -1);
  crm_lifecycle_rules_init_default (&self->saved_rules);
  _crm_tiers_page_fill_limits (self, &self->saved_rules);
  gtk_widget_set_sensitive (GTK_WIDGET (self->lifecycle_group), FALSE);
}

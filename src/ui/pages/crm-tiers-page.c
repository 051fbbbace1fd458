/* crm-tiers-page.c
 *
 * Members per tier and the last recompute's moves are read by a worker with
 * its own read-only connection (a GROUP BY over every customer is not for the
 * main thread).  A recompute runs in a worker with its own writing connection
 * and commits in one transaction, so Cancel leaves everything as it was.
 *
 * The lifecycle limits are saved a moment after the last change (each click
 * of a spin button is not worth a recompute), checked first by the same rules
 * crm_lifecycle_rules_load applies; saving restarts the page's recompute so
 * the stage counts follow.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-format.h"
#include "crm-recompute.h"
#include "crm-tiers.h"
#include "crm-tiers-page.h"
#include "crm-ui-util.h"
#include "crm-value-report.h"

#define MAX_MOVES_LISTED 12
#define LIMITS_SAVE_DELAY_MS 700

/* The lifecycle limits, in the order of the form and of crm_lifecycle_rules_check. */
typedef enum
{
  LIMIT_NEW_DAYS,
  LIMIT_AT_RISK_FACTOR,
  LIMIT_CHURN_FACTOR,
  LIMIT_MIN_AT_RISK_DAYS,
  LIMIT_SINGLE_AT_RISK_DAYS,
  LIMIT_SINGLE_CHURN_DAYS,
  N_LIMITS
} Limit;

/* JSON member (as crm_lifecycle_rules_check names it) and template ids. */
static const struct
{
  const char *member;
  const char *row;
  const char *spin;
  const char *unit;
  gboolean    factor;
} limits[N_LIMITS] = {
  { "new_days", "new_days_row", "new_days_spin", "new_days_unit", FALSE },
  { "at_risk_factor", "at_risk_row", "at_risk_spin", "at_risk_unit", TRUE },
  { "churn_factor", "churn_row", "churn_spin", "churn_unit", TRUE },
  { "min_at_risk_days", "min_at_risk_row", "min_at_risk_spin", "min_at_risk_unit", FALSE },
  { "single_at_risk_days", "single_at_risk_row", "single_at_risk_spin", "single_at_risk_unit", FALSE },
  { "single_churn_days", "single_churn_row", "single_churn_spin", "single_churn_unit", FALSE },
};

struct _CrmTiersPage
{
  AdwBin               parent_instance;

  CrmStore            *store;
  GSettings           *settings;
  GPtrArray           *tiers;
  GCancellable        *load_cancellable;
  GCancellable        *recompute_cancellable;
  char                *moves_text;
  char                *stages_text;
  gboolean             folded;

  CrmLifecycleRules    saved_rules;          /* what the database holds */
  guint                limits_save_id;       /* a change waiting to be saved */
  gboolean             filling_limits;
  gboolean             recompute_again;      /* limits changed during a recompute */
  gboolean             recompute_for_limits; /* the running recompute applies new limits */

  /* template children */
  AdwHeaderBar        *header;
  GtkWidget           *back_button;
  AdwWindowTitle      *title_widget;
  GtkRevealer         *progress_revealer;
  GtkProgressBar      *progress_bar;
  GtkStack            *stack;
  GtkListBox          *tier_list;
  AdwPreferencesGroup *moves_group;
  GtkListBox          *moves_list;
  AdwPreferencesGroup *lifecycle_group;
  AdwActionRow        *stages_row;
  GtkLabel            *lifecycle_error;
  AdwActionRow        *limit_rows[N_LIMITS];
  GtkSpinButton       *limit_spins[N_LIMITS];
  GtkLabel            *limit_units[N_LIMITS];
};

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
  RECOMPUTED,
  TIERS_CHANGED,
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
    if (g_strcmp0 (limits[i].member, member) == 0)
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

/* Rows --------------------------------------------------------------------- */

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  const char *color = user_data;
  GdkRGBA rgba;
  double r = MIN (width, height) / 2.0;

  if (color == NULL || !gdk_rgba_parse (&rgba, color))
    return;

  cairo_arc (cr, width / 2.0, height / 2.0, r - 0.5, 0, 2 * G_PI);
  gdk_cairo_set_source_rgba (cr, &rgba);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.15);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

static GtkWidget *
new_swatch (const char *color)
{
  GtkWidget *area = gtk_drawing_area_new ();

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), 16);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), 16);
  gtk_widget_set_valign (area, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_swatch, g_strdup (color), g_free);

  return area;
}

static char *
rule_summary (CrmTiersPage *self,
              CrmTier      *tier)
{
  g_autofree char *currency = crm_ui_shop_currency (self->store, self->settings);

  return crm_tier_describe_rule (tier, currency);
}

static GtkWidget *
members_widget (gint64 members,
                gint64 total)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label;
  GtkWidget *bar = gtk_level_bar_new_for_interval (0, 1);
  g_autofree char *count = crm_format_count (members);
  g_autofree char *text = NULL;
  double fraction = total > 0 ? (double) members / total : 0;

  /* Translators: members of a tier and their share, e.g. "1,234 · 12%". */
  text = g_strdup_printf (_("%s · %.0f%%"), count, fraction * 100);
  label = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_widget_add_css_class (label, "crm-numeric");
  gtk_widget_add_css_class (label, "caption");

  gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), fraction);
  /* Shares are not "low" or "full": no offsets colouring the bar. */
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_widget_set_size_request (bar, 140, -1);

  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), bar);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Share of customers"), -1);

  return box;
}

static const char *
tier_name (CrmTiersPage *self,
           gint64        id)
{
  for (guint i = 0; self->tiers != NULL && i < self->tiers->len; i++)
    {
      CrmTier *tier = g_ptr_array_index (self->tiers, i);

      if (crm_entity_get_id (CRM_ENTITY (tier)) == id)
        return crm_tier_get_display_name (tier);
    }

  return id == 0 ? _("No tier") : _("Deleted tier");
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static gint64
count_for (GArray *counts,
           gint64  tier_id)
{
  for (guint i = 0; counts != NULL && i < counts->len; i++)
    if (g_array_index (counts, CrmTierCount, i).tier_id == tier_id)
      return g_array_index (counts, CrmTierCount, i).customers;

  return 0;
}

static void
fill_tiers (CrmTiersPage *self,
            GArray       *counts)
{
  gint64 total = 0;

  clear_list (self->tier_list);
  for (guint i = 0; counts != NULL && i < counts->len; i++)
    total += g_array_index (counts, CrmTierCount, i).customers;

  /* Highest rank first: the order in which the rules are tried. */
  for (guint i = self->tiers->len; i > 0; i--)
    {
      CrmTier *tier = g_ptr_array_index (self->tiers, i - 1);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *summary = rule_summary (self, tier);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), crm_tier_get_display_name (tier));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), summary);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), new_swatch (crm_tier_get_color (tier)));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 members_widget (count_for (counts, crm_entity_get_id (CRM_ENTITY (tier))), total));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "crm-tier", g_object_ref (tier), g_object_unref);
      gtk_list_box_append (self->tier_list, row);
    }

  if (count_for (counts, 0) > 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No tier"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("No rule holds for them yet"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), members_widget (count_for (counts, 0), total));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->tier_list, row);
    }
}

static void
fill_moves (CrmTiersPage *self,
            CrmTierMoves *moves)
{
  g_free (self->moves_text);
  self->moves_text = NULL;
  clear_list (self->moves_list);

  if (moves == NULL || moves->computed_at == 0)
    {
      self->moves_text = g_strdup (_("Not recomputed yet."));
    }
  else
    {
      g_autofree char *when = crm_format_date_time (moves->computed_at);
      g_autofree char *up = crm_format_count (moves->n_up);
      g_autofree char *down = crm_format_count (moves->n_down);

      /* Translators: "<date>: 12 moved up, 3 moved down" about tiers. */
      self->moves_text = g_strdup_printf (_("%s: %s moved up, %s moved down"), when, up, down);

      for (guint i = 0; i < moves->moves->len; i++)
        {
          CrmTierMove *m = &g_array_index (moves->moves, CrmTierMove, i);
          GtkWidget *row = adw_action_row_new ();
          GtkWidget *icon = gtk_image_new_from_icon_name (m->up ? "go-up-symbolic" : "go-down-symbolic");
          g_autofree char *subtitle = g_strdup_printf ("%s → %s", tier_name (self, m->from_id),
                                                       tier_name (self, m->to_id));

          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), m->name != NULL ? m->name : "");
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
          gtk_widget_add_css_class (icon, m->up ? "success" : "warning");
          gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          m->up ? _("Moved up") : _("Moved down"), -1);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          g_object_set_data (G_OBJECT (row), "crm-customer-id", GSIZE_TO_POINTER ((gsize) m->customer_id));
          gtk_list_box_append (self->moves_list, row);
        }

      if (moves->n_up + moves->n_down > moves->moves->len)
        {
          GtkWidget *row = adw_action_row_new ();
          g_autofree char *more = crm_format_count (moves->n_up + moves->n_down - moves->moves->len);
          g_autofree char *title = g_strdup_printf (_("and %s more"), more);

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
          gtk_widget_add_css_class (row, "dim-label");
          gtk_list_box_append (self->moves_list, row);
        }
    }

  adw_preferences_group_set_description (self->moves_group, self->moves_text);
  gtk_widget_set_visible (GTK_WIDGET (self->moves_list),
                          gtk_widget_get_first_child (GTK_WIDGET (self->moves_list)) != NULL);
}

static void
fill_stages (CrmTiersPage *self,
             const gint64 *stages)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  for (CrmLifecycle s = 0; s < CRM_LIFECYCLE_N_STAGES; s++)
    {
      g_autofree char *count = crm_format_count (stages[s]);

      /* Translators: a lifecycle stage and how many customers are in it, e.g. "At risk 25". */
      g_ptr_array_add (parts, g_strdup_printf (C_("stage and customers", "%s %s"), crm_lifecycle_get_label (s), count));
    }
  g_ptr_array_add (parts, NULL);

  g_free (self->stages_text);
  /* Translators: the separator between stages in "New 3 · Active 12 · …". */
  self->stages_text = g_strjoinv (C_("between stages", " · "), (char **) parts->pdata);
  adw_action_row_set_subtitle (self->stages_row, self->stages_text);
}

/* Loading ------------------------------------------------------------------ */

typedef struct
{
  GArray       *counts;
  CrmTierMoves *moves;
  gint64        stages[CRM_LIFECYCLE_N_STAGES];
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->counts, g_array_unref);
  g_clear_pointer (&result->moves, crm_tier_moves_free);
  g_free (result);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(CrmStore) reader = NULL;
  g_autoptr(GError) error = NULL;
  LoadResult *result = g_new0 (LoadResult, 1);

  reader = crm_store_open_reader (path, &error);
  if (reader == NULL ||
      (result->counts = crm_value_report_tier_counts (reader, &error)) == NULL ||
      (result->moves = crm_value_report_tier_moves (reader, MAX_MOVES_LISTED, &error)) == NULL ||
      !crm_value_report_stage_counts (reader, result->stages, &error))
    {
      load_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
}

static void
load_done (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  CrmTiersPage *self = CRM_TIERS_PAGE (object);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (res));
  g_autoptr(GError) error = NULL;
  LoadResult *result = g_task_propagate_pointer (G_TASK (res), &error);

  /* A newer load replaced this one. */
  if (cancellable != self->load_cancellable)
    {
      g_clear_pointer (&result, load_result_free);
      return;
    }
  g_clear_object (&self->load_cancellable);

  if (result == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }

  fill_tiers (self, result->counts);
  fill_moves (self, result->moves);
  fill_stages (self, result->stages);
  load_result_free (result);
}

void
crm_tiers_page_reload (CrmTiersPage *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CRM_IS_TIERS_PAGE (self));

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_pointer (&self->tiers, g_ptr_array_unref);

  if (self->store == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  self->tiers = crm_ui_list_tiers (self->store);
  gtk_stack_set_visible_child_name (self->stack, self->tiers->len > 0 ? "tiers" : "empty");
  /* The tiers show at once; members and moves follow. */
  fill_tiers (self, NULL);

  self->load_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->load_cancellable, load_done, NULL);
  g_task_set_source_tag (task, crm_tiers_page_reload);
  g_task_set_task_data (task, g_strdup (crm_store_get_path (self->store)), g_free);
  g_task_run_in_thread (task, load_thread);
}

/* Recompute ---------------------------------------------------------------- */

typedef struct
{
  CrmTiersPage *page;
  double        fraction;
} ProgressUpdate;

static gboolean
apply_progress (gpointer data)
{
  ProgressUpdate *update = data;

  if (update->page->recompute_cancellable != NULL)
    gtk_progress_bar_set_fraction (update->page->progress_bar, update->fraction);
  g_object_unref (update->page);
  g_free (update);

  return G_SOURCE_REMOVE;
}

static void
recompute_progress (double   fraction,
                    gpointer user_data)
{
  ProgressUpdate *update = g_new0 (ProgressUpdate, 1);

  update->page = g_object_ref (user_data);
  update->fraction = fraction;
  g_main_context_invoke (NULL, apply_progress, update);
}

static void
recompute_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(CrmStore) store = NULL;
  g_autoptr(GError) error = NULL;
  CrmRecomputeOptions options;
  CrmRecomputeReport *report = g_new0 (CrmRecomputeReport, 1);

  /* Its own connection: the window's stays free for the user. */
  store = crm_store_open (path, &error);
  if (store != NULL)
    crm_recompute_options_init (&options, store);
  if (store == NULL ||
      !crm_recompute (store, &options, recompute_progress, source_object, cancellable, report, &error))
    {
      g_free (report);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, report, g_free);
}

static void
set_recomputing (CrmTiersPage *self,
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
  CrmTiersPage *self = CRM_TIERS_PAGE (object);
  g_autoptr(GError) error = NULL;
  g_autofree CrmRecomputeReport *report = g_task_propagate_pointer (G_TASK (result), &error);
  gboolean for_limits = self->recompute_for_limits;

  g_clear_object (&self->recompute_cancellable);
  set_recomputing (self, FALSE);

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
      if ((g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
           g_error_matches (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CANCELLED)) && for_limits)
        crm_ui_show_toast (GTK_WIDGET (self),
                           adw_toast_new (_("Recompute cancelled; the new lifecycle limits apply at the next recompute.")));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
               g_error_matches (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CANCELLED))
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
  g_signal_emit (self, signals[RECOMPUTED], 0);
}

gboolean
crm_tiers_page_recompute (CrmTiersPage *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_val_if_fail (CRM_IS_TIERS_PAGE (self), FALSE);

  if (self->store == NULL || self->recompute_cancellable != NULL)
    return FALSE;

  self->recompute_cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, _("Recomputing RFM scores, tiers and stages…"));
  set_recomputing (self, TRUE);

  task = g_task_new (self, self->recompute_cancellable, recompute_done, NULL);
  g_task_set_source_tag (task, crm_tiers_page_recompute);
  g_task_set_task_data (task, g_strdup (crm_store_get_path (self->store)), g_free);
  g_task_run_in_thread (task, recompute_thread);

  return TRUE;
}

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
      if (limits[i].factor)
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
      gboolean bad = !ok && g_strcmp0 (field, limits[i].member) == 0;

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

static void
fill_limits (CrmTiersPage            *self,
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
static void
save_limits (CrmTiersPage *self,
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
  save_limits (self, TRUE);

  return G_SOURCE_REMOVE;
}

static void
on_lifecycle_value_changed (CrmTiersPage *self)
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
  fill_limits (self, &defaults);
  save_limits (self, TRUE);
}

/* Editing ------------------------------------------------------------------ */

static void
on_tier_saved (CrmTiersPage *self)
{
  crm_tiers_page_reload (self);
  g_signal_emit (self, signals[TIERS_CHANGED], 0);
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

static void
on_tier_row_activated (CrmTiersPage  *self,
                       GtkListBoxRow *row)
{
  CrmTier *tier = g_object_get_data (G_OBJECT (row), "crm-tier");

  if (tier != NULL)
    crm_tiers_page_edit_tier (self, tier);
}

static void
on_move_row_activated (CrmTiersPage  *self,
                       GtkListBoxRow *row)
{
  gint64 id = (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "crm-customer-id"));

  if (id > 0)
    g_signal_emit (self, signals[OPEN_CUSTOMER], 0, id);
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

/* Store -------------------------------------------------------------------- */

void
crm_tiers_page_set_store (CrmTiersPage *self,
                          CrmStore     *store)
{
  g_return_if_fail (CRM_IS_TIERS_PAGE (self));

  /* A change still waiting belongs to the database it was made in. */
  if (self->limits_save_id != 0)
    save_limits (self, FALSE);
  self->recompute_again = FALSE;
  self->recompute_for_limits = FALSE;

  if (self->recompute_cancellable != NULL)
    g_cancellable_cancel (self->recompute_cancellable);

  g_set_object (&self->store, store);
  {
    CrmRecomputeOptions options;

    crm_recompute_options_init (&options, store);
    self->saved_rules = options.lifecycle;
    fill_limits (self, &self->saved_rules);
    gtk_widget_set_sensitive (GTK_WIDGET (self->lifecycle_group), store != NULL);
  }
  set_recomputing (self, self->recompute_cancellable != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tiers.add", store != NULL);
  crm_tiers_page_reload (self);
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
    save_limits (self, FALSE);
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  if (self->recompute_cancellable != NULL)
    g_cancellable_cancel (self->recompute_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_TIERS_PAGE);

  g_clear_object (&self->store);
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

  /* A recompute committed: customers' tiers, stages and scores changed. */
  signals[RECOMPUTED] = g_signal_new ("recomputed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* A tier was added, edited or deleted (names and colours may differ). */
  signals[TIERS_CHANGED] = g_signal_new ("tiers-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);
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
      gtk_widget_class_bind_template_child_full (widget_class, limits[i].row, FALSE,
                                                 G_STRUCT_OFFSET (CrmTiersPage, limit_rows) + i * sizeof (gpointer));
      gtk_widget_class_bind_template_child_full (widget_class, limits[i].spin, FALSE,
                                                 G_STRUCT_OFFSET (CrmTiersPage, limit_spins) + i * sizeof (gpointer));
      gtk_widget_class_bind_template_child_full (widget_class, limits[i].unit, FALSE,
                                                 G_STRUCT_OFFSET (CrmTiersPage, limit_units) + i * sizeof (gpointer));
    }
  gtk_widget_class_bind_template_callback (widget_class, on_tier_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_lifecycle_value_changed);

  gtk_widget_class_install_action (widget_class, "tiers.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "tiers.recompute", NULL, recompute_action);
  gtk_widget_class_install_action (widget_class, "tiers.cancel-recompute", NULL, cancel_recompute_action);
  gtk_widget_class_install_action (widget_class, "tiers.reset-lifecycle", NULL, reset_lifecycle_action);
}

static void
crm_tiers_page_init (CrmTiersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::default-currency",
                           G_CALLBACK (crm_tiers_page_reload), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->moves_list, "row-activated", G_CALLBACK (on_move_row_activated), self,
                           G_CONNECT_SWAPPED);
  set_recomputing (self, FALSE);
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
  fill_limits (self, &self->saved_rules);
  gtk_widget_set_sensitive (GTK_WIDGET (self->lifecycle_group), FALSE);
}

/* crm-tiers-page-load.c: reading the tiers, their members and the last
 * recompute's moves on a worker with its own read-only connection, and the
 * rows that show them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-format.h"
#include "crm-recompute.h"
#include "crm-tiers.h"
#include "crm-tiers-page-private.h"
#include "crm-ui-util.h"
#include "crm-analytics-jobs.h"

#define MAX_MOVES_LISTED 12

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

static void
load_done (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(CrmTiersPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmTiersOverview) overview = crm_tiers_overview_finish (res, &error);

  /* A newer load replaced this one (or the page went away). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->load_cancellable);

  if (overview == NULL)
    {
      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }

  fill_tiers (self, overview->counts);
  fill_moves (self, overview->moves);
  fill_stages (self, overview->stages);
}

void
crm_tiers_page_reload (CrmTiersPage *self)
{
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
  crm_tiers_overview_async (self->session, MAX_MOVES_LISTED, self->load_cancellable, load_done,
                            g_object_ref (self));
}

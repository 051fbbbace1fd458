/* crm-charts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-charts.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#include "crm-format.h"

static const double palette[][3] = {
  { 0.21, 0.52, 0.89 }, { 0.15, 0.64, 0.41 }, { 0.96, 0.47, 0.00 }, { 0.75, 0.11, 0.16 },
  { 0.57, 0.25, 0.67 }, { 0.39, 0.27, 0.18 }, { 0.50, 0.50, 0.50 },
};

double
crm_chart_text (cairo_t    *cr,
                const char *text,
                double      x,
                double      y,
                double      size,
                gboolean    bold,
                double      align,
                double      max_width)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string (CRM_CHART_FONT_FAMILY);
  int width, height;

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_size (layout, &width, &height);
  cairo_move_to (cr, x - align * (double) width / PANGO_SCALE, y);
  pango_cairo_show_layout (cr, layout);
  return (double) height / PANGO_SCALE;
}

static void
set_rgb (cairo_t *cr, guint i)
{
  const double *c = palette[i % G_N_ELEMENTS (palette)];
  cairo_set_source_rgb (cr, c[0], c[1], c[2]);
}

static gboolean
parse_color (const char *text, double rgb[3])
{
  guint v;

  if (text == NULL || text[0] != '#' || strlen (text) != 7 || sscanf (text + 1, "%6x", &v) != 1)
    return FALSE;
  rgb[0] = ((v >> 16) & 0xff) / 255.0;
  rgb[1] = ((v >> 8) & 0xff) / 255.0;
  rgb[2] = (v & 0xff) / 255.0;
  return TRUE;
}

static void
empty_note (cairo_t *cr, double w, double h, const char *text)
{
  cairo_set_source_rgb (cr, 0.45, 0.45, 0.45);
  crm_chart_text (cr, text, w / 2, h / 2 - 6, 10, FALSE, 0.5, w - 20);
}

/* A "nice" axis maximum: 1, 2 or 5 × 10^k at or above @v. */
static double
nice_max (double v)
{
  double p, f;

  if (v <= 0)
    return 1;
  p = pow (10, floor (log10 (v)));
  f = v / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

/* An axis label, short: "¥200k" and "¥1.5M", or in a language that counts in ten
 * thousands "20万" and "1.5亿"; no cents. */
char *
crm_chart_axis_money (double      minor,
                      const char *currency)
{
  const char *const *languages = g_get_language_names ();
  gboolean wan = languages[0] != NULL && (g_str_has_prefix (languages[0], "zh") || g_str_has_prefix (languages[0], "ja"));
  double units = minor / pow (10, crm_currency_exponent (currency));
  const char *symbol = crm_currency_symbol (currency);
  char number[G_ASCII_DTOSTR_BUF_SIZE];
  const char *suffix = "";
  double shown = units;

  if (wan && fabs (units) >= 1e8)
    shown = units / 1e8, suffix = "亿";
  else if (wan && fabs (units) >= 1e4)
    shown = units / 1e4, suffix = "万";
  else if (!wan && fabs (units) >= 1e6)
    shown = units / 1e6, suffix = "M";
  else if (!wan && fabs (units) >= 1e3)
    shown = units / 1e3, suffix = "k";
  else
    {
      g_autofree char *whole = crm_format_count (llround (units));

      return symbol != NULL ? g_strconcat (symbol, whole, NULL)
                            : g_strconcat (whole, " ", currency != NULL ? currency : "", NULL);
    }

  g_ascii_formatd (number, sizeof number, "%.3g", shown);
  if (wan)
    return g_strconcat (number, suffix, NULL);
  return symbol != NULL ? g_strconcat (symbol, number, suffix, NULL)
                        : g_strconcat (number, suffix, " ", currency != NULL ? currency : "", NULL);
}

static char *
day_label (gint32 day, const char *format)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc ((gint64) day * 86400);
  return dt != NULL ? g_date_time_format (dt, format) : g_strdup ("");
}

void
crm_chart_draw_revenue (cairo_t                *cr,
                        double                  w,
                        double                  h,
                        const CrmDashboardData *data)
{
  const double left = 70, bottom = 28, top = 10, right = 10;
  double max = 0, plot_w = w - left - right, plot_h = h - top - bottom, bar_w;
  guint n = data->revenue != NULL ? data->revenue->len : 0;
  guint label_every;

  cairo_save (cr);
  if (n == 0)
    {
      empty_note (cr, w, h, _("No sales yet"));
      cairo_restore (cr);
      return;
    }
  for (guint i = 0; i < n; i++)
    max = MAX (max, g_array_index (data->revenue, CrmRevenueBucket, i).revenue);
  max = nice_max (max);

  /* Grid and axis labels. */
  cairo_set_line_width (cr, 0.5);
  for (int k = 0; k <= 4; k++)
    {
      double y = top + plot_h - plot_h * k / 4.0;
      g_autofree char *label = crm_chart_axis_money (max * k / 4.0, data->currency);

      cairo_set_source_rgb (cr, 0.85, 0.85, 0.85);
      cairo_move_to (cr, left, y);
      cairo_line_to (cr, left + plot_w, y);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
      crm_chart_text (cr, label, left - 4, y - 7, 10, FALSE, 1.0, left - 6);
    }

  bar_w = plot_w / n;
  label_every = MAX (1, (guint) ceil (n / (plot_w / 48)));
  for (guint i = 0; i < n; i++)
    {
      const CrmRevenueBucket *b = &g_array_index (data->revenue, CrmRevenueBucket, i);
      double bh = plot_h * b->revenue / max;

      set_rgb (cr, 0);
      cairo_rectangle (cr, left + i * bar_w + bar_w * 0.12, top + plot_h - bh, bar_w * 0.76, bh);
      cairo_fill (cr);
      if (i % label_every == 0)
        {
          g_autofree char *label = day_label (b->start_day,
                                              data->bucket == CRM_DASHBOARD_BUCKET_MONTH ? "%Y-%m" : "%m-%d");
          cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
          crm_chart_text (cr, label, left + (i + 0.5) * bar_w, top + plot_h + 4, 9.5, FALSE, 0.5, 0);
        }
    }
  cairo_restore (cr);
}

void
crm_chart_draw_tiers (cairo_t                *cr,
                      double                  w,
                      double                  h,
                      const CrmDashboardData *data)
{
  guint n = data->tiers != NULL ? data->tiers->len : 0;
  double max = 0, total = 0, row_h, bar_h, label_w = MIN (110, w * 0.35), bar_max;

  cairo_save (cr);
  for (guint i = 0; i < n; i++)
    {
      max = MAX (max, g_array_index (data->tiers, CrmTierSlice, i).customers);
      total += g_array_index (data->tiers, CrmTierSlice, i).customers;
    }
  if (n == 0 || max == 0)
    {
      empty_note (cr, w, h, _("No customers yet"));
      cairo_restore (cr);
      return;
    }
  /* The rows share the card's height, as the funnel beside it does; a bar stays a bar. */
  row_h = h / n;
  bar_h = MIN (row_h * 0.6, 36);
  bar_max = w - label_w - 110;
  for (guint i = 0; i < n; i++)
    {
      const CrmTierSlice *t = &g_array_index (data->tiers, CrmTierSlice, i);
      g_autofree char *count = crm_format_count (t->customers);
      /* Translators: a tier's customers and their share of all, e.g. "1,745 · 58%" */
      g_autofree char *label = g_strdup_printf (_("%s · %.0f%%"), count, 100.0 * t->customers / total);
      double rgb[3], mid = (i + 0.5) * row_h, bw = bar_max * t->customers / max;

      cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
      crm_chart_text (cr, t->name, 0, mid - 7, 9.5, FALSE, 0, label_w - 6);
      if (parse_color (t->color, rgb))
        cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
      else
        set_rgb (cr, i);
      cairo_rectangle (cr, label_w, mid - bar_h / 2, MAX (bw, 1), bar_h);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
      crm_chart_text (cr, label, label_w + bw + 4, mid - 6, 8.5, FALSE, 0, 0);
    }
  cairo_restore (cr);
}

void
crm_chart_draw_rfm_grid (cairo_t                *cr,
                         double                  w,
                         double                  h,
                         const CrmDashboardData *data)
{
  const double left = 34, bottom = 30;
  double cell_w = (w - left) / 5, cell_h = (h - bottom) / 5;
  gint64 max = 0;

  cairo_save (cr);
  for (int r = 0; r < 5; r++)
    for (int fm = 0; fm < 5; fm++)
      max = MAX (max, data->rfm[r][fm]);
  if (max == 0)
    {
      empty_note (cr, w, h, _("No RFM scores yet: recompute the segments"));
      cairo_restore (cr);
      return;
    }

  for (int r = 0; r < 5; r++)
    for (int fm = 0; fm < 5; fm++)
      {
        gint64 n = data->rfm[r][fm];
        double x = left + r * cell_w, y = (4 - fm) * cell_h;
        double t = n > 0 ? 0.12 + 0.88 * sqrt ((double) n / max) : 0;
        g_autofree char *count = crm_format_count (n);

        /* White to blue by the square root of the count, so small cells stay visible. */
        cairo_set_source_rgb (cr, 1 - t * 0.79, 1 - t * 0.48, 1 - t * 0.11);
        cairo_rectangle (cr, x + 1, y + 1, cell_w - 2, cell_h - 2);
        cairo_fill (cr);
        if (t > 0.6)
          cairo_set_source_rgb (cr, 1, 1, 1);
        else
          cairo_set_source_rgb (cr, 0.15, 0.15, 0.15);
        crm_chart_text (cr, count, x + cell_w / 2, y + cell_h / 2 - 6, 8.5, FALSE, 0.5, cell_w - 4);
      }

  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  for (int k = 0; k < 5; k++)
    {
      char label[4];

      g_snprintf (label, sizeof label, "%d", k + 1);
      crm_chart_text (cr, label, left + (k + 0.5) * cell_w, 5 * cell_h + 2, 8.5, FALSE, 0.5, 0);
      crm_chart_text (cr, label, left - 10, (4 - k + 0.5) * cell_h - 6, 8.5, FALSE, 0.5, 0);
    }
  crm_chart_text (cr, _("Recency (R) →"), left + 2.5 * cell_w, 5 * cell_h + 14, 8.5, TRUE, 0.5, 0);
  cairo_save (cr);
  cairo_translate (cr, 0, 2.5 * cell_h);
  cairo_rotate (cr, -G_PI / 2);
  crm_chart_text (cr, _("Frequency + monetary (FM) →"), 0, 0, 8.5, TRUE, 0.5, 0);
  cairo_restore (cr);
  cairo_restore (cr);
}

void
crm_chart_draw_lifecycle (cairo_t                *cr,
                          double                  w,
                          double                  h,
                          const CrmDashboardData *data)
{
  /* Funnel order: from first contact to loss; won-back customers close the loop. */
  static const CrmLifecycle order[] = {
    CRM_LIFECYCLE_PROSPECT, CRM_LIFECYCLE_NEW, CRM_LIFECYCLE_ACTIVE, CRM_LIFECYCLE_WON_BACK,
    CRM_LIFECYCLE_AT_RISK, CRM_LIFECYCLE_CHURNED,
  };
  const guint n = G_N_ELEMENTS (order);
  double row_h = h / n, label_w = MIN (100, w * 0.3), max_w = w - label_w - 8;
  gint64 max = 0;

  cairo_save (cr);
  for (guint i = 0; i < n; i++)
    max = MAX (max, data->lifecycle[order[i]]);
  if (max == 0)
    {
      empty_note (cr, w, h, _("No customers yet"));
      cairo_restore (cr);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      gint64 v = data->lifecycle[order[i]];
      double bw = MAX (max_w * v / max, 2), x = label_w + (max_w - bw) / 2, y = i * row_h;
      g_autofree char *count = crm_format_count (v);

      cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
      crm_chart_text (cr, crm_lifecycle_get_label (order[i]), 0, y + row_h / 2 - 7, 9.5, FALSE, 0, label_w - 6);
      set_rgb (cr, i);
      cairo_rectangle (cr, x, y + row_h * 0.12, bw, row_h * 0.76);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, bw > 60 ? 1 : 0.2, bw > 60 ? 1 : 0.2, bw > 60 ? 1 : 0.2);
      crm_chart_text (cr, count, label_w + max_w / 2, y + row_h / 2 - 6, 8.5, TRUE, 0.5, 0);
    }
  cairo_restore (cr);
}

void
crm_chart_draw_forecast (cairo_t                *cr,
                         double                  w,
                         double                  h,
                         const CrmDashboardData *data)
{
  const double left = 70, bottom = 40, top = 10, right = 10;
  double plot_w = w - left - right, plot_h = h - top - bottom, max = 0;
  guint n_cat = data->forecasts != NULL ? data->forecasts->len : 0;
  guint n_points, first = 0, shown;

  cairo_save (cr);
  if (n_cat == 0)
    {
      empty_note (cr, w, h, _("Not enough monthly sales for a forecast"));
      cairo_restore (cr);
      return;
    }

  /* The last 24 months of history and the forecast. */
  n_points = ((CrmCategoryForecast *) g_ptr_array_index (data->forecasts, 0))->n_points;
  {
    guint n_hist = ((CrmCategoryForecast *) g_ptr_array_index (data->forecasts, 0))->n_history;
    first = n_hist > 24 ? n_hist - 24 : 0;
  }
  shown = n_points - first;
  for (guint c = 0; c < n_cat; c++)
    {
      const CrmCategoryForecast *f = g_ptr_array_index (data->forecasts, c);
      for (guint i = first; i < f->n_points; i++)
        max = MAX (max, f->points[i].revenue);
    }
  max = nice_max (max);

  cairo_set_line_width (cr, 0.5);
  for (int k = 0; k <= 4; k++)
    {
      double y = top + plot_h - plot_h * k / 4.0;
      g_autofree char *label = crm_chart_axis_money (max * k / 4.0, data->currency);

      cairo_set_source_rgb (cr, 0.85, 0.85, 0.85);
      cairo_move_to (cr, left, y);
      cairo_line_to (cr, left + plot_w, y);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
      crm_chart_text (cr, label, left - 4, y - 7, 10, FALSE, 1.0, left - 6);
    }

  for (guint c = 0; c < n_cat; c++)
    {
      const CrmCategoryForecast *f = g_ptr_array_index (data->forecasts, c);
      double step = shown > 1 ? plot_w / (shown - 1) : plot_w;

      set_rgb (cr, c);
      cairo_set_line_width (cr, 1.6);
      for (guint i = first; i < f->n_points; i++)
        {
          double x = left + (i - first) * step, y = top + plot_h - plot_h * f->points[i].revenue / max;

          if (i == first || i == f->n_history)
            {
              if (i == f->n_history)
                {
                  /* The forecast continues from the last actual month, dashed. */
                  const double dash[] = { 4, 3 };
                  double px = left + (i - 1 - first) * step;
                  double py = top + plot_h - plot_h * f->points[i - 1].revenue / max;

                  cairo_stroke (cr);
                  cairo_set_dash (cr, dash, 2, 0);
                  cairo_move_to (cr, px, py);
                  cairo_line_to (cr, x, y);
                }
              else
                cairo_move_to (cr, x, y);
            }
          else
            cairo_line_to (cr, x, y);
        }
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);

      /* Legend below the plot. */
      cairo_rectangle (cr, left + c * (plot_w / n_cat), top + plot_h + 24, 10, 8);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
      crm_chart_text (cr, *f->category ? f->category : _("Uncategorised"),
                      left + c * (plot_w / n_cat) + 13, top + plot_h + 21, 8, FALSE, 0, plot_w / n_cat - 16);
    }

  /* Month labels: the first, every sixth, and the forecast's start. */
  {
    const CrmCategoryForecast *f = g_ptr_array_index (data->forecasts, 0);
    double step = shown > 1 ? plot_w / (shown - 1) : plot_w;

    cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
    for (guint i = first; i < f->n_points; i++)
      if ((i - first) % 6 == 0 || i == f->n_history)
        {
          char label[16];
          gint32 m = f->points[i].month;

          g_snprintf (label, sizeof label, "%04d-%02d", m / 12, m % 12 + 1);
          crm_chart_text (cr, label, left + (i - first) * step, top + plot_h + 4, 9.5, i == f->n_history, 0.5, 0);
        }
  }
  cairo_restore (cr);
}

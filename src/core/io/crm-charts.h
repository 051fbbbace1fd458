/* crm-charts.h: the dashboard charts, drawn with cairo and pango into any surface —
 * a GtkDrawingArea, a PDF page, a print context.  Each fills the rectangle
 * (0, 0)–(@w, @h) of the current user space and leaves the cairo state as it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>

#include "crm-dashboard-data.h"

G_BEGIN_DECLS

/* Text in the charts and the report: CJK first so Chinese names use CJK glyphs. */
#define CRM_CHART_FONT_FAMILY "Noto Sans CJK SC, Noto Sans, sans-serif"

void crm_chart_draw_revenue   (cairo_t                *cr,
                               double                  w,
                               double                  h,
                               const CrmDashboardData *data);
void crm_chart_draw_tiers     (cairo_t                *cr,
                               double                  w,
                               double                  h,
                               const CrmDashboardData *data);
void crm_chart_draw_rfm_grid  (cairo_t                *cr,
                               double                  w,
                               double                  h,
                               const CrmDashboardData *data);
void crm_chart_draw_lifecycle (cairo_t                *cr,
                               double                  w,
                               double                  h,
                               const CrmDashboardData *data);
void crm_chart_draw_forecast  (cairo_t                *cr,
                               double                  w,
                               double                  h,
                               const CrmDashboardData *data);

/* Draws @text at (@x, @y) (top-left; @align 0 left, 0.5 centre, 1 right of @x) in
 * @size points, @bold or not, up to @max_width (ellipsized; <= 0: no limit).  Returns
 * the height used.  Shared with the report. */
double crm_chart_text          (cairo_t     *cr,
                                const char  *text,
                                double       x,
                                double       y,
                                double       size,
                                gboolean     bold,
                                double       align,
                                double       max_width);

/* A money axis label, short: "¥200k", "¥1.5M"; "20万" when the language counts in 万. */
char  *crm_chart_axis_money    (double       minor,
                                const char  *currency);

G_END_DECLS

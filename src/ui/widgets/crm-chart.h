/* crm-chart.h: one dashboard chart as a widget — a GtkDrawingArea that draws
 * the dashboard data with the core cairo functions (crm-charts.h), the same
 * drawing the PDF report and printing use.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "crm-dashboard-data.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_CHART_KIND_REVENUE,
  CRM_CHART_KIND_TIERS,
  CRM_CHART_KIND_RFM_GRID,
  CRM_CHART_KIND_LIFECYCLE,
  CRM_CHART_KIND_FORECAST,
} CrmChartKind;

#define CRM_TYPE_CHART_KIND (crm_chart_kind_get_type ())
GType crm_chart_kind_get_type (void);

#define CRM_TYPE_CHART (crm_chart_get_type ())
G_DECLARE_FINAL_TYPE (CrmChart, crm_chart, CRM, CHART, GtkDrawingArea)

GtkWidget    *crm_chart_new            (CrmChartKind            kind);
CrmChartKind  crm_chart_get_kind       (CrmChart               *self);
void          crm_chart_set_kind       (CrmChart               *self,
                                        CrmChartKind            kind);
/* @data is borrowed: the caller keeps it alive while it is set (the dashboard
 * page sets the new data on every chart before freeing the old).  NULL draws
 * nothing. */
void          crm_chart_set_data       (CrmChart               *self,
                                        const CrmDashboardData *data);
/* How many times the chart was drawn with data, and when last (monotonic µs):
 * lets tests and the benchmark tell when the charts show new data. */
guint         crm_chart_get_draw_count (CrmChart               *self);
gint64        crm_chart_get_drawn_at   (CrmChart               *self);

G_END_DECLS

/* crm-report.h: the dashboard as a multi-page A4 PDF — KPIs, charts, top customers
 * and valuable customers at risk, with the generated date and "Page N of M".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "crm-dashboard-data.h"
#include "crm-store.h"

G_BEGIN_DECLS

/* Pages of every report: the layout is fixed, so "of M" is known before drawing. */
#define CRM_REPORT_N_PAGES 4

/* Draws page @page (1 … CRM_REPORT_N_PAGES) of the report on @cr, the A4 layout scaled
 * to fit @width × @height (in @cr's user units) — for printing (GtkPrintOperation) and
 * previews.  The PDF is made of the same pages. */
void     crm_report_draw_page          (cairo_t                *cr,
                                        const CrmDashboardData *data,
                                        int                     page,
                                        double                  width,
                                        double                  height);

/* Renders @data into @path (created or replaced; an error leaves no partial file). */
gboolean crm_report_write_pdf_for_data (const CrmDashboardData *data,
                                        const char             *path,
                                        GError                **error);

/* @n_pages pages of @width × @height points, each drawn by @draw, as a PDF into @path through a
 * CrmOutputFile (created or replaced; an error leaves no partial file).  The dashboard report and
 * the member card (crm-member-card.c) are written through it. */
typedef void (*CrmReportPageFunc) (cairo_t  *cr,
                                   int       page,
                                   gpointer  user_data);
gboolean crm_report_write_pdf_pages    (const char             *path,
                                        const char             *title,
                                        double                  width,
                                        double                  height,
                                        int                     n_pages,
                                        CrmReportPageFunc       draw,
                                        gpointer                user_data,
                                        GError                **error);

/* Loads the dashboard data for @period (refreshing the sales aggregates first when
 * they are stale) and writes the PDF. */
gboolean crm_report_write_pdf          (CrmStore               *store,
                                        CrmDashboardPeriod      period,
                                        const char             *path,
                                        GCancellable           *cancellable,
                                        GError                **error);

G_END_DECLS

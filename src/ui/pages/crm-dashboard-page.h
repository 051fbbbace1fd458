/* crm-dashboard-page.h: the Dashboard section — key figures, charts and the
 * valuable customers at risk for a period, loaded in the background; computing
 * the predictions; the report as PDF and through the print dialog.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-chart.h"
#include "crm-dashboard-data.h"
#include "crm-session.h"
#include "crm-store.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_DASHBOARD_KPI_CUSTOMERS,
  CRM_DASHBOARD_KPI_ACTIVE,
  CRM_DASHBOARD_KPI_NEW,
  CRM_DASHBOARD_KPI_REPEAT_RATE,
  CRM_DASHBOARD_KPI_REVENUE,
  CRM_DASHBOARD_KPI_AVERAGE_CLV,
  CRM_DASHBOARD_KPI_NPS,
  CRM_DASHBOARD_KPI_CSAT,
  CRM_DASHBOARD_N_KPIS
} CrmDashboardKpi;

/* CrmDashboardPeriod as a GType, for the "period" property. */
#define CRM_TYPE_DASHBOARD_PERIOD (crm_dashboard_period_get_type ())
GType crm_dashboard_period_get_type (void);

#define CRM_TYPE_DASHBOARD_PAGE (crm_dashboard_page_get_type ())
G_DECLARE_FINAL_TYPE (CrmDashboardPage, crm_dashboard_page, CRM, DASHBOARD_PAGE, AdwBin)

/* Works on @session's shop and follows what it announces; NULL shows nothing. */
void                crm_dashboard_page_set_session   (CrmDashboardPage  *self,
                                                      CrmSession        *session);
void                crm_dashboard_page_set_folded    (CrmDashboardPage  *self,
                                                      gboolean           folded);
CrmDashboardPeriod  crm_dashboard_page_get_period    (CrmDashboardPage  *self);
/* Shows @period; the figures follow in the background. */
void                crm_dashboard_page_set_period    (CrmDashboardPage  *self,
                                                      CrmDashboardPeriod period);
/* Re-reads everything in the background (a spinner shows meanwhile). */
void                crm_dashboard_page_reload        (CrmDashboardPage  *self);
/* TRUE while the figures are being read. */
gboolean            crm_dashboard_page_get_loading   (CrmDashboardPage  *self);
/* TRUE while a job runs: predictions, sales figures or a PDF. */
gboolean            crm_dashboard_page_get_busy      (CrmDashboardPage  *self);
/* The data shown (NULL before the first load); owned by the page. */
const CrmDashboardData *crm_dashboard_page_get_data  (CrmDashboardPage  *self);
/* "loading", "empty", "error" or "dashboard". */
const char         *crm_dashboard_page_get_view      (CrmDashboardPage  *self);

/* Starts crm_predict_run and the co-purchase pass in the background (progress
 * and Cancel on the page); FALSE if a job runs or there is no database. */
gboolean            crm_dashboard_page_compute_predictions (CrmDashboardPage *self);
/* Writes the report for the shown period to @file in the background; FALSE if
 * a job runs or there is no database.  A toast says how it went. */
gboolean            crm_dashboard_page_save_pdf      (CrmDashboardPage  *self,
                                                      GFile             *file);
/* The report's pages through GtkPrintOperation: with @export_path NULL the
 * print dialog, else straight into that PDF file (tests).  FALSE if nothing
 * is loaded yet or printing failed (@error set). */
gboolean            crm_dashboard_page_print         (CrmDashboardPage  *self,
                                                      const char        *export_path,
                                                      GError           **error);

/* For tests and the benchmark (the test-only accessors are in
 * crm-dashboard-page-private.h). */
CrmChart           *crm_dashboard_page_get_chart     (CrmDashboardPage  *self,
                                                      CrmChartKind       kind);

G_END_DECLS

/* crm-dashboard-page-private.h: the instance struct shared by the pieces of the
 * Dashboard page — crm-dashboard-page.c (the widget, its properties and cards),
 * crm-dashboard-page-load.c (reading and showing the figures) and
 * crm-dashboard-page-actions.c (the jobs: predictions, sales figures, PDF,
 * printing) — and the test-only accessors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-dashboard-page.h"

G_BEGIN_DECLS

/* Rows of the at-risk list, on the page and in the report. */
#define MAX_ROWS 20

/* Whether a load that finds the sales aggregates stale refreshes them. */
typedef enum
{
  SALES_AUTO_ALLOWED,
  SALES_AUTO_JUST_DONE,   /* the load right after a refresh never starts another (no loop) */
  SALES_AUTO_STOPPED,     /* failed or cancelled: only an explicit Refresh tries again */
} SalesAuto;

typedef enum
{
  JOB_NONE,
  JOB_PREDICT,
  JOB_SALES,
  JOB_PDF,
} JobKind;

struct _CrmDashboardPage
{
  AdwBin               parent_instance;

  CrmSession          *session;
  CrmStore            *store;        /* the session's */
  GSettings           *settings;
  CrmDashboardPeriod   period;
  CrmDashboardData    *data;
  gboolean             have_model;
  gint64               model_end;
  GCancellable        *load_cancellable;
  GCancellable        *job_cancellable;
  JobKind              job;
  SalesAuto            sales_auto;
  gboolean             folded;
  char                *banner_text;
  GtkFileChooserNative *chooser;

  /* Printing keeps the data it draws even if a reload replaces it meanwhile. */
  CrmDashboardData    *print_data;
  gboolean             print_owns_data;

  GtkToggleButton     *period_buttons[4];
  GtkWidget           *kpi_cards[CRM_DASHBOARD_N_KPIS];
  GtkLabel            *kpi_titles[CRM_DASHBOARD_N_KPIS];
  GtkLabel            *kpi_values[CRM_DASHBOARD_N_KPIS];
  GtkLabel            *kpi_details[CRM_DASHBOARD_N_KPIS];
  CrmChart            *charts[5];

  /* template children */
  AdwHeaderBar        *header;
  GtkWidget           *back_button;
  AdwWindowTitle      *title_widget;
  GtkSpinner          *spinner;
  GtkRevealer         *job_revealer;
  GtkProgressBar      *job_progress;
  GtkRevealer         *banner_revealer;
  GtkLabel            *banner_label;
  GtkStack            *stack;
  GtkSpinner          *loading_spinner;
  AdwStatusPage       *error_page;
  GtkBox              *content;
  GtkBox              *period_box;
  GtkLabel            *updated_label;
  GtkFlowBox          *kpi_box;
  GtkFlowBox          *chart_box;
  AdwPreferencesGroup *at_risk_group;
  GtkListBox          *at_risk_list;
};

/* For tests only. */
GtkWidget  *crm_dashboard_page_get_kpi          (CrmDashboardPage *self,
                                                 CrmDashboardKpi   kpi);
const char *crm_dashboard_page_get_kpi_text     (CrmDashboardPage *self,
                                                 CrmDashboardKpi   kpi);
GtkListBox *crm_dashboard_page_get_at_risk_list (CrmDashboardPage *self);
/* The banner offering "Compute Predictions" (NULL when hidden). */
const char *crm_dashboard_page_get_banner_text  (CrmDashboardPage *self);

/* crm-dashboard-page-load.c */
void _crm_dashboard_page_set_data          (CrmDashboardPage *self,
                                            CrmDashboardData *data);
void _crm_dashboard_page_update_banner     (CrmDashboardPage *self);
void _crm_dashboard_page_set_loading       (CrmDashboardPage *self,
                                            gboolean          loading);

/* crm-dashboard-page-actions.c */
void _crm_dashboard_page_update_actions    (CrmDashboardPage *self);
void _crm_dashboard_page_start_sales_refresh (CrmDashboardPage *self);
void _crm_dashboard_page_class_actions_init (GtkWidgetClass  *widget_class);

G_END_DECLS

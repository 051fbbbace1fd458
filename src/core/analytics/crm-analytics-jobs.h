/* crm-analytics-jobs.h: the analytics a window runs off the main thread, as _async/_finish
 * pairs over CrmJob (crm_recompute_async() is in crm-recompute.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-dashboard-data.h"
#include "crm-job.h"
#include "crm-predict.h"
#include "crm-recommend.h"
#include "crm-recompute.h"
#include "crm-tiers.h"
#include "crm-value-report.h"

G_BEGIN_DECLS

/* The dashboard's figures on a read-only connection; a newer load supersedes the older. */
void              crm_dashboard_data_load_async   (CrmSession          *session,
                                                   CrmDashboardPeriod   period,
                                                   guint                max_rows,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
CrmDashboardData *crm_dashboard_data_load_finish  (GAsyncResult        *result,
                                                   GError             **error);

/* The sales aggregates brought up to date (crm_sales_refresh()).  Progress: fractions. */
void              crm_sales_refresh_async         (CrmSession          *session,
                                                   GCancellable        *cancellable,
                                                   CrmJobProgressFunc   progress,
                                                   gpointer             progress_data,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean          crm_sales_refresh_finish        (GAsyncResult        *result,
                                                   GError             **error);

/* The dashboard of @period as a PDF at @path, in @currency (the shop's as the window shows
 * it), after the sales aggregates are brought up to date if they are stale. */
void              crm_report_write_pdf_async      (CrmSession          *session,
                                                   CrmDashboardPeriod   period,
                                                   const char          *currency,
                                                   const char          *path,
                                                   GCancellable        *cancellable,
                                                   CrmJobProgressFunc   progress,
                                                   gpointer             progress_data,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean          crm_report_write_pdf_finish     (GAsyncResult        *result,
                                                   GError             **error);

/* Customer value predictions (crm_predict_run(), 70 % of the bar) and then, in a transaction
 * of their own, the co-purchase pairs behind the recommendations. */
typedef struct
{
  CrmPredictReport    predict;
  CrmRecommendReport  recommend;
  GError             *recommend_error;  /* the predictions were saved, the pairs were not */
} CrmPredictOutcome;

void               crm_predict_outcome_free       (CrmPredictOutcome   *outcome);
void               crm_predict_run_async          (CrmSession          *session,
                                                   GCancellable        *cancellable,
                                                   CrmJobProgressFunc   progress,
                                                   gpointer             progress_data,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
CrmPredictOutcome *crm_predict_run_finish         (GAsyncResult        *result,
                                                   GError             **error);

/* The Tiers page: members per tier and per stage, the last recompute's moves. */
typedef struct
{
  GArray       *counts;                           /* CrmTierCount */
  CrmTierMoves *moves;
  gint64        stages[CRM_LIFECYCLE_N_STAGES];
} CrmTiersOverview;

void              crm_tiers_overview_free         (CrmTiersOverview    *overview);
/* A newer load supersedes the older. */
void              crm_tiers_overview_async        (CrmSession          *session,
                                                   guint                max_moves,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
CrmTiersOverview *crm_tiers_overview_finish       (GAsyncResult        *result,
                                                   GError             **error);

/* What the customer detail shows of a customer's value: scores, manual tier, histories. */
typedef struct
{
  CrmCustomer *customer;
  GPtrArray   *tiers;             /* CrmTier, by rank: names for the ids below */
  gboolean     has_rfm;
  CrmRfmRow    rfm;
  gboolean     has_override;
  gint64       override_tier;
  char        *override_reason;
  gint64       override_expires;  /* ms UTC, 0: none */
  GArray      *tier_history;      /* CrmTierChange, oldest first */
  GArray      *stage_history;     /* CrmStageChange, oldest first */
} CrmCustomerValueData;

void                  crm_customer_value_data_free (CrmCustomerValueData *data);
/* The customer's value on a read-only connection (seven queries that were the main thread's);
 * a newer load supersedes the older.  G_IO_ERROR_NOT_FOUND if the customer is gone. */
void                  crm_customer_value_load_async (CrmSession          *session,
                                                   gint64               customer_id,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
CrmCustomerValueData *crm_customer_value_load_finish (GAsyncResult       *result,
                                                   GError             **error);
/* The same, on the calling thread. */
CrmCustomerValueData *crm_customer_value_load     (CrmStore            *store,
                                                   gint64               customer_id,
                                                   GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmPredictOutcome, crm_predict_outcome_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmTiersOverview, crm_tiers_overview_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmCustomerValueData, crm_customer_value_data_free)

G_END_DECLS

/* crm-analytics-jobs.c: the analytics a window runs off the main thread.
 *
 * Each pair is a CrmJob around the synchronous function the CLI calls: the window gets its
 * connection, cancel and progress from the job, and hears of what a job wrote from the session
 * when it commits.  Loads that a newer one makes pointless (the dashboard after a period
 * change, the next customer's value panel) have a kind, so the older is cancelled and never
 * delivered.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-analytics-jobs.h"

#include <glib/gi18n-lib.h>

#include "crm-report.h"
#include "crm-session.h"
#include "crm-tier.h"

/* Dashboard ------------------------------------------------------------------ */

typedef struct
{
  CrmDashboardPeriod period;
  guint              max_rows;
} DashboardLoad;

static gboolean
dashboard_load_job (CrmJob    *job,
                    CrmStore  *store,
                    gpointer   data,
                    GError   **error)
{
  DashboardLoad *load = data;
  CrmDashboardData *found = crm_dashboard_data_load (store, load->period, 0, load->max_rows,
                                                     crm_job_get_cancellable (job), error);

  if (found == NULL)
    return FALSE;
  crm_job_return_pointer (job, found, (GDestroyNotify) crm_dashboard_data_free);
  return TRUE;
}

void
crm_dashboard_data_load_async (CrmSession          *session,
                               CrmDashboardPeriod   period,
                               guint                max_rows,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  DashboardLoad *load = g_new0 (DashboardLoad, 1);

  load->period = period;
  load->max_rows = max_rows;
  crm_job_run (crm_job_new (session, "dashboard-data", CRM_JOB_READ, cancellable, NULL, NULL, callback, user_data),
               dashboard_load_job, load, g_free);
}

CrmDashboardData *
crm_dashboard_data_load_finish (GAsyncResult  *result,
                                GError       **error)
{
  return crm_job_propagate_pointer (result, error);
}

/* Sales aggregates ----------------------------------------------------------- */

static gboolean
sales_refresh_job (CrmJob    *job,
                   CrmStore  *store,
                   gpointer   data,
                   GError   **error)
{
  return crm_sales_refresh (store, crm_job_progress_fraction, job, crm_job_get_cancellable (job), error);
}

void
crm_sales_refresh_async (CrmSession          *session,
                         GCancellable        *cancellable,
                         CrmJobProgressFunc   progress,
                         gpointer             progress_data,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  crm_job_run (crm_job_new (session, NULL, CRM_JOB_WRITE, cancellable, progress, progress_data, callback, user_data),
               sales_refresh_job, NULL, NULL);
}

gboolean
crm_sales_refresh_finish (GAsyncResult  *result,
                          GError       **error)
{
  return crm_job_propagate_boolean (result, error);
}

/* PDF report ------------------------------------------------------------------- */

typedef struct
{
  CrmDashboardPeriod  period;
  char               *currency;
  char               *path;
} PdfJob;

static void
pdf_job_free (PdfJob *pdf)
{
  g_free (pdf->currency);
  g_free (pdf->path);
  g_free (pdf);
}

/* As crm_report_write_pdf(), in steps, so the bar moves. */
static gboolean
pdf_job (CrmJob    *job,
         CrmStore  *store,
         gpointer   data,
         GError   **error)
{
  PdfJob *pdf = data;
  GCancellable *cancellable = crm_job_get_cancellable (job);
  g_autoptr(CrmDashboardData) dashboard = NULL;

  crm_job_set_progress_range (job, 0, 0.8);
  if (crm_sales_is_stale (store) && !crm_sales_refresh (store, crm_job_progress_fraction, job, cancellable, error))
    return FALSE;
  crm_job_set_progress_range (job, 0, 1);
  crm_job_progress (job, 0.85, NULL);
  if (!(dashboard = crm_dashboard_data_load (store, pdf->period, 0, 20, cancellable, error)))
    return FALSE;
  g_free (dashboard->currency);
  dashboard->currency = g_strdup (pdf->currency);
  crm_job_progress (job, 0.95, NULL);
  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !crm_report_write_pdf_for_data (dashboard, pdf->path, error))
    return FALSE;
  crm_job_progress (job, 1, NULL);
  return TRUE;
}

void
crm_report_write_pdf_async (CrmSession          *session,
                            CrmDashboardPeriod   period,
                            const char          *currency,
                            const char          *path,
                            GCancellable        *cancellable,
                            CrmJobProgressFunc   progress,
                            gpointer             progress_data,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  PdfJob *pdf = g_new0 (PdfJob, 1);

  pdf->period = period;
  pdf->currency = g_strdup (currency);
  pdf->path = g_strdup (path);
  crm_job_run (crm_job_new (session, NULL, CRM_JOB_WRITE, cancellable, progress, progress_data, callback, user_data),
               pdf_job, pdf, (GDestroyNotify) pdf_job_free);
}

gboolean
crm_report_write_pdf_finish (GAsyncResult  *result,
                             GError       **error)
{
  return crm_job_propagate_boolean (result, error);
}

/* Predictions ------------------------------------------------------------------ */

/* Share of the progress bar for the prediction pass; co-purchase is the rest. */
#define PREDICT_SHARE 0.7

void
crm_predict_outcome_free (CrmPredictOutcome *outcome)
{
  if (outcome == NULL)
    return;
  g_clear_error (&outcome->recommend_error);
  g_free (outcome);
}

static gboolean
predict_job (CrmJob    *job,
             CrmStore  *store,
             gpointer   data,
             GError   **error)
{
  GCancellable *cancellable = crm_job_get_cancellable (job);
  g_autoptr(CrmPredictOutcome) outcome = g_new0 (CrmPredictOutcome, 1);
  CrmPredictOptions options;
  CrmRecommendOptions recommend_options;

  crm_predict_options_init (&options, store);
  crm_job_set_progress_range (job, 0, PREDICT_SHARE);
  if (!crm_predict_run (store, &options, crm_job_progress_fraction, job, cancellable, &outcome->predict, error))
    return FALSE;

  /* The co-purchase pairs behind the recommendations, in a transaction of their own. */
  crm_job_set_progress_range (job, PREDICT_SHARE, 1 - PREDICT_SHARE);
  crm_recommend_options_init (&recommend_options);
  if (!crm_recommend_compute (store, &recommend_options, crm_job_progress_fraction, job, cancellable,
                              &outcome->recommend, &outcome->recommend_error))
    g_assert (outcome->recommend_error != NULL);

  crm_job_return_pointer (job, g_steal_pointer (&outcome), (GDestroyNotify) crm_predict_outcome_free);
  return TRUE;
}

void
crm_predict_run_async (CrmSession          *session,
                       GCancellable        *cancellable,
                       CrmJobProgressFunc   progress,
                       gpointer             progress_data,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  crm_job_run (crm_job_new (session, NULL, CRM_JOB_WRITE, cancellable, progress, progress_data, callback, user_data),
               predict_job, NULL, NULL);
}

CrmPredictOutcome *
crm_predict_run_finish (GAsyncResult  *result,
                        GError       **error)
{
  return crm_job_propagate_pointer (result, error);
}

/* Tiers overview --------------------------------------------------------------- */

void
crm_tiers_overview_free (CrmTiersOverview *overview)
{
  if (overview == NULL)
    return;
  g_clear_pointer (&overview->counts, g_array_unref);
  g_clear_pointer (&overview->moves, crm_tier_moves_free);
  g_free (overview);
}

static gboolean
tiers_overview_job (CrmJob    *job,
                    CrmStore  *store,
                    gpointer   data,
                    GError   **error)
{
  g_autoptr(CrmTiersOverview) overview = g_new0 (CrmTiersOverview, 1);

  if ((overview->counts = crm_value_report_tier_counts (store, error)) == NULL ||
      (overview->moves = crm_value_report_tier_moves (store, GPOINTER_TO_UINT (data), error)) == NULL ||
      !crm_value_report_stage_counts (store, overview->stages, error))
    return FALSE;

  crm_job_return_pointer (job, g_steal_pointer (&overview), (GDestroyNotify) crm_tiers_overview_free);
  return TRUE;
}

void
crm_tiers_overview_async (CrmSession          *session,
                          guint                max_moves,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  crm_job_run (crm_job_new (session, "tiers-overview", CRM_JOB_READ, cancellable, NULL, NULL, callback, user_data),
               tiers_overview_job, GUINT_TO_POINTER (max_moves), NULL);
}

CrmTiersOverview *
crm_tiers_overview_finish (GAsyncResult  *result,
                           GError       **error)
{
  return crm_job_propagate_pointer (result, error);
}

/* A customer's value ------------------------------------------------------------ */

void
crm_customer_value_data_free (CrmCustomerValueData *data)
{
  if (data == NULL)
    return;
  g_clear_object (&data->customer);
  g_clear_pointer (&data->tiers, g_ptr_array_unref);
  g_free (data->override_reason);
  g_clear_pointer (&data->tier_history, g_array_unref);
  g_clear_pointer (&data->stage_history, g_array_unref);
  g_free (data);
}

static gboolean
read_customer_value (CrmStore              *store,
                     gint64                 customer_id,
                     CrmCustomerValueData  *data,
                     GError               **error)
{
  data->customer = crm_store_load (store, CRM_TYPE_CUSTOMER, customer_id, error);
  if (data->customer == NULL)
    return FALSE;
  if (crm_entity_get_deleted_at (CRM_ENTITY (data->customer)) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("This record no longer exists."));
      return FALSE;
    }

  data->tiers = crm_store_list_all (store, CRM_TYPE_TIER, "rank", error);
  if (data->tiers == NULL)
    return FALSE;
  data->has_rfm = crm_recompute_get_rfm (store, customer_id, &data->rfm);
  data->has_override = crm_value_report_get_override (store, customer_id, &data->override_tier,
                                                      &data->override_reason, &data->override_expires);
  data->tier_history = crm_tiers_history (store, customer_id, error);
  if (data->tier_history == NULL)
    return FALSE;
  data->stage_history = crm_lifecycle_history (store, customer_id, error);
  return data->stage_history != NULL;
}

CrmCustomerValueData *
crm_customer_value_load (CrmStore  *store,
                         gint64     customer_id,
                         GError   **error)
{
  g_autoptr(CrmCustomerValueData) data = g_new0 (CrmCustomerValueData, 1);
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  /* One read transaction: the scores, the tier and the histories of the same moment. */
  if (!crm_store_exec (store, "SAVEPOINT customer_value", error))
    return NULL;
  ok = read_customer_value (store, customer_id, data, &local_error);
  crm_store_exec (store, "RELEASE customer_value", NULL);

  if (!ok)
    {
      if (g_error_matches (local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND))
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, local_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&data);
}

static gboolean
customer_value_job (CrmJob    *job,
                    CrmStore  *store,
                    gpointer   data,
                    GError   **error)
{
  CrmCustomerValueData *found = crm_customer_value_load (store, *(gint64 *) data, error);

  if (found == NULL)
    return FALSE;
  crm_job_return_pointer (job, found, (GDestroyNotify) crm_customer_value_data_free);
  return TRUE;
}

void
crm_customer_value_load_async (CrmSession          *session,
                               gint64               customer_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  crm_job_run (crm_job_new (session, "customer-value", CRM_JOB_READ, cancellable, NULL, NULL, callback, user_data),
               customer_value_job, g_memdup2 (&customer_id, sizeof customer_id), g_free);
}

CrmCustomerValueData *
crm_customer_value_load_finish (GAsyncResult  *result,
                                GError       **error)
{
  return crm_job_propagate_pointer (result, error);
}

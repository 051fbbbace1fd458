/* crm-points-jobs.c: CrmJobs over the points ledger (crm-points-jobs.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-points-jobs.h"

void
crm_points_view_free (CrmPointsView *view)
{
  if (view == NULL)
    return;
  g_clear_pointer (&view->entries, g_ptr_array_unref);
  g_free (view);
}

typedef struct
{
  CrmPointsFilter filter;
  char           *customer_text;
  guint           limit;
} ViewLoad;

static void
view_load_free (gpointer data)
{
  ViewLoad *load = data;

  g_free (load->customer_text);
  g_free (load);
}

static gboolean
view_load_job (CrmJob    *job,
               CrmStore  *store,
               gpointer   data,
               GError   **error)
{
  ViewLoad *load = data;
  g_autoptr(CrmPointsView) view = g_new0 (CrmPointsView, 1);

  load->filter.customer_text = load->customer_text;
  if ((view->entries = crm_points_list (store, &load->filter, load->limit, error)) == NULL ||
      !crm_points_get_liability (store, &view->liability, error))
    return FALSE;
  crm_job_return_pointer (job, g_steal_pointer (&view), (GDestroyNotify) crm_points_view_free);
  return TRUE;
}

void
crm_points_view_load_async (CrmSession             *session,
                            const CrmPointsFilter  *filter,
                            guint                   limit,
                            GCancellable           *cancellable,
                            GAsyncReadyCallback     callback,
                            gpointer                user_data)
{
  ViewLoad *load = g_new0 (ViewLoad, 1);

  load->filter = *filter;
  load->customer_text = g_strdup (filter->customer_text);
  load->limit = limit;
  crm_job_run (crm_job_new (session, "points-view", CRM_JOB_READ, cancellable, NULL, NULL, callback, user_data),
               view_load_job, load, view_load_free);
}

CrmPointsView *
crm_points_view_load_finish (GAsyncResult  *result,
                             GError       **error)
{
  return crm_job_propagate_pointer (result, error);
}

static gboolean
settings_save_job (CrmJob    *job,
                   CrmStore  *store,
                   gpointer   data,
                   GError   **error)
{
  (void) job;
  return crm_points_settings_save (store, data, error);
}

void
crm_points_settings_save_async (CrmSession              *session,
                                const CrmPointsSettings *settings,
                                GCancellable            *cancellable,
                                GAsyncReadyCallback      callback,
                                gpointer                 user_data)
{
  crm_job_run (crm_job_new (session, NULL, CRM_JOB_WRITE, cancellable, NULL, NULL, callback, user_data),
               settings_save_job, g_memdup2 (settings, sizeof *settings), g_free);
}

gboolean
crm_points_settings_save_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return crm_job_propagate_boolean (result, error);
}

/* crm-tasks-jobs.c: the Today and Pool views' reads as jobs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-tasks-jobs.h"

#include "crm-job.h"

void
crm_tasks_today_free (CrmTasksToday *today)
{
  if (today == NULL)
    return;
  g_clear_pointer (&today->tasks, g_ptr_array_unref);
  g_clear_pointer (&today->birthdays, g_ptr_array_unref);
  g_clear_pointer (&today->suggestions, g_ptr_array_unref);
  g_free (today);
}

CrmTasksToday *
crm_tasks_today_load (CrmStore    *store,
                      gint64       as_of,
                      const char  *owner,
                      guint        max_suggestions,
                      GError     **error)
{
  g_autoptr(CrmTasksToday) today = g_new0 (CrmTasksToday, 1);
  g_autoptr(GPtrArray) suggested = NULL;
  CrmTaskFilter filter = { 0 };

  today->as_of = as_of;
  filter.due_before = crm_tasks_day_start (as_of, 1);
  filter.owner = owner;
  if (!(today->tasks = crm_tasks_list (store, &filter, error)) ||
      !(suggested = crm_tasks_suggest (store, as_of, max_suggestions, error)))
    return NULL;
  today->birthdays = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_task_suggestion_free);
  today->suggestions = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_task_suggestion_free);
  for (guint i = 0; i < suggested->len; i++)
    {
      CrmTaskSuggestion *s = g_steal_pointer (&suggested->pdata[i]);

      g_ptr_array_add (s->origin == CRM_TASK_ORIGIN_BIRTHDAY ? today->birthdays : today->suggestions, s);
    }
  return g_steal_pointer (&today);
}

typedef struct
{
  gint64  as_of;
  char   *owner;
  guint   max;
} TodayLoad;

static void
today_load_free (gpointer data)
{
  TodayLoad *load = data;

  g_free (load->owner);
  g_free (load);
}

static gboolean
today_job (CrmJob    *job,
           CrmStore  *store,
           gpointer   data,
           GError   **error)
{
  TodayLoad *load = data;
  CrmTasksToday *today = crm_tasks_today_load (store, load->as_of, load->owner, load->max, error);

  if (today == NULL)
    return FALSE;
  crm_job_return_pointer (job, today, (GDestroyNotify) crm_tasks_today_free);
  return TRUE;
}

void
crm_tasks_today_load_async (CrmSession          *session,
                            gint64               as_of,
                            const char          *owner,
                            guint                max_suggestions,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  TodayLoad *load = g_new0 (TodayLoad, 1);

  load->as_of = as_of;
  load->owner = g_strdup (owner);
  load->max = max_suggestions;
  crm_job_run (crm_job_new (session, "tasks-today", CRM_JOB_READ, cancellable, NULL, NULL, callback, user_data),
               today_job, load, today_load_free);
}

CrmTasksToday *
crm_tasks_today_load_finish (GAsyncResult  *result,
                             GError       **error)
{
  return crm_job_propagate_pointer (result, error);
}

typedef struct
{
  gint64 as_of;
  guint  limit;
} PoolLoad;

static gboolean
pool_job (CrmJob    *job,
          CrmStore  *store,
          gpointer   data,
          GError   **error)
{
  PoolLoad *load = data;
  GPtrArray *pool = crm_pool_list (store, load->as_of, FALSE, load->limit, error);

  if (pool == NULL)
    return FALSE;
  crm_job_return_pointer (job, pool, (GDestroyNotify) g_ptr_array_unref);
  return TRUE;
}

void
crm_pool_list_async (CrmSession          *session,
                     gint64               as_of,
                     guint                limit,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  PoolLoad *load = g_new0 (PoolLoad, 1);

  load->as_of = as_of;
  load->limit = limit;
  crm_job_run (crm_job_new (session, "pool-list", CRM_JOB_READ, cancellable, NULL, NULL, callback, user_data),
               pool_job, load, g_free);
}

GPtrArray *
crm_pool_list_finish (GAsyncResult  *result,
                      GError       **error)
{
  return crm_job_propagate_pointer (result, error);
}

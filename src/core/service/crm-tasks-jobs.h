/* crm-tasks-jobs.h: what the Today and Pool views read, off the main thread (a CrmJob on a
 * read-only connection each; a newer load of the same kind cancels the older).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-pool.h"
#include "crm-session.h"
#include "crm-tasks.h"

G_BEGIN_DECLS

typedef struct
{
  gint64     as_of;
  GPtrArray *tasks;         /* CrmTask: open, due before the end of the local day of as_of */
  GPtrArray *birthdays;     /* CrmTaskSuggestion of CRM_TASK_ORIGIN_BIRTHDAY */
  GPtrArray *suggestions;   /* CrmTaskSuggestion of CRM_TASK_ORIGIN_AT_RISK */
} CrmTasksToday;

void           crm_tasks_today_free        (CrmTasksToday       *today);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmTasksToday, crm_tasks_today_free)

/* The Today view as of @as_of; @owner (nullable) keeps only the tasks of that owner. */
CrmTasksToday *crm_tasks_today_load        (CrmStore            *store,
                                            gint64               as_of,
                                            const char          *owner,
                                            guint                max_suggestions,
                                            GError             **error);
void           crm_tasks_today_load_async  (CrmSession          *session,
                                            gint64               as_of,
                                            const char          *owner,
                                            guint                max_suggestions,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
CrmTasksToday *crm_tasks_today_load_finish (GAsyncResult        *result,
                                            GError             **error);

/* crm_pool_list() (without the customers due to return) as a job: a GPtrArray of CrmPoolCustomer. */
void           crm_pool_list_async         (CrmSession          *session,
                                            gint64               as_of,
                                            guint                limit,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray     *crm_pool_list_finish        (GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS

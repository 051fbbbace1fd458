/* crm-tasks.h: follow-ups on customers — a title, a due time, an owner, done or not — made by
 * hand, from a complaint, or from a suggestion (a birthday in the next 7 days, a valuable
 * customer at risk); the reminders that are due.
 *
 * Times are ms UTC; "today" is the local day of the @as_of time a function is given.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-store.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_TASK_ORIGIN_MANUAL,
  CRM_TASK_ORIGIN_BIRTHDAY,     /* suggested: a birthday within CRM_TASKS_BIRTHDAY_DAYS */
  CRM_TASK_ORIGIN_AT_RISK,      /* suggested: a valuable customer at risk (crm-predict.h) */
  CRM_TASK_ORIGIN_COMPLAINT,    /* from a complaint: feedback_id names it */
  CRM_TASK_ORIGIN_N
} CrmTaskOrigin;

/* Where a task stands at a time: done; overdue (due before it); due later that local day;
 * later. */
typedef enum
{
  CRM_TASK_STATE_DONE,
  CRM_TASK_STATE_OVERDUE,
  CRM_TASK_STATE_DUE_TODAY,
  CRM_TASK_STATE_UPCOMING,
} CrmTaskState;

/* A birthday is suggested from this many days before it to the day itself (0 … 7). */
#define CRM_TASKS_BIRTHDAY_DAYS 7

typedef struct
{
  gint64         id;
  char          *uuid;
  gint64         customer_id;
  char          *customer_uuid;   /* read with the task; ignored by crm_tasks_add() */
  char          *customer_name;
  char          *title;
  char          *notes;
  gint64         due_at;
  char          *owner;           /* one of the owners (crm-pool.h), or NULL */
  gint64         done_at;         /* 0: not done */
  CrmTaskOrigin  origin;
  gint64         feedback_id;     /* the complaint of a CRM_TASK_ORIGIN_COMPLAINT task, else 0 */
  char          *suggestion_key;  /* suggested tasks: what made it (unique) */
  gint64         created_at;
  gint64         reminded_at;     /* 0: no reminder shown yet */
} CrmTask;

CrmTask       *crm_task_new               (void);
void           crm_task_free              (CrmTask        *task);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmTask, crm_task_free)

const char    *crm_task_origin_to_string  (CrmTaskOrigin   origin);   /* "manual", "birthday", "at-risk", "complaint" */
const char    *crm_task_origin_get_label  (CrmTaskOrigin   origin);   /* translated */
int            crm_task_origin_from_string (const char    *key);      /* -1 if unknown */
CrmTaskState   crm_task_get_state         (const CrmTask  *task,
                                           gint64          as_of);

/* Adds @task (its id, uuid and created_at are set): refused (CRM_STORE_ERROR_INVALID) without a
 * title or a due time, with an owner that is not one of the owners, a complaint task without
 * its feedback, or a suggestion key already taken (the suggestion was made a task before);
 * CRM_STORE_ERROR_NOT_FOUND for a missing or deleted customer. */
gboolean       crm_tasks_add              (CrmStore       *store,
                                           CrmTask        *task,
                                           GError        **error);

typedef struct
{
  gint64       customer_id;   /* 0: every customer */
  gint64       due_before;    /* 0: any time; else due_at < due_before */
  gboolean     include_done;
  const char  *owner;         /* NULL: any owner */
  guint        limit;         /* 0: all */
} CrmTaskFilter;

/* Live tasks by due time (then id), with their customer's uuid and name; a GPtrArray of CrmTask. */
GPtrArray     *crm_tasks_list             (CrmStore            *store,
                                           const CrmTaskFilter *filter,
                                           GError             **error);
/* The task with this id (@uuid NULL) or uuid; CRM_STORE_ERROR_NOT_FOUND if none (or deleted). */
CrmTask       *crm_tasks_get              (CrmStore       *store,
                                           gint64          id,
                                           const char     *uuid,
                                           GError        **error);
/* Done at @at (0: now), or not done again (@done FALSE). */
gboolean       crm_tasks_set_done         (CrmStore       *store,
                                           gint64          id,
                                           gboolean        done,
                                           gint64          at,
                                           GError        **error);
/* Tombstones the task. */
gboolean       crm_tasks_delete           (CrmStore       *store,
                                           gint64          id,
                                           GError        **error);

/* Whether crm_tasks_take_reminders() would return any (a read through tasks_open, so that a
 * check finding none writes nothing). */
gboolean       crm_tasks_reminders_pending (CrmStore      *store,
                                           gint64          as_of);
/* The open tasks due at or before @as_of that have had no reminder yet, by due time, marked as
 * reminded at @as_of in the same transaction: each is returned once, by one caller.  An app
 * calls it on start (the reminders missed while it was closed) and then every minute. */
GPtrArray     *crm_tasks_take_reminders   (CrmStore       *store,
                                           gint64          as_of,
                                           GError        **error);

typedef struct
{
  CrmTaskOrigin  origin;          /* CRM_TASK_ORIGIN_BIRTHDAY or CRM_TASK_ORIGIN_AT_RISK */
  gint64         customer_id;
  char          *customer_uuid;
  char          *customer_name;
  char          *key;             /* the task's suggestion_key */
  char          *title;           /* translated */
  gint64         due_at;          /* birthday: 09:00 local on the day; at risk: @as_of */
  int            days;            /* birthday: days until it (0 … 7); at risk: 0 */
  gint64         spent;           /* at risk: the customer's total spent (minor units) */
} CrmTaskSuggestion;

void           crm_task_suggestion_free   (CrmTaskSuggestion *suggestion);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmTaskSuggestion, crm_task_suggestion_free)

/* Suggestions as of @as_of that are not tasks yet: birthdays of live customers from the local
 * day of @as_of to CRM_TASKS_BIRTHDAY_DAYS days after it (a 29 February birthday falls on
 * 28 February in other years), soonest first; then the valuable customers at risk
 * (crm_predict_at_risk_valuable(): top 20% by spend, P(alive) < 0.5), biggest spenders first,
 * at most @limit of them (0: 50).  The same birthday is suggested once a year, the same
 * customer at risk once a calendar month: a suggestion made a task is not suggested again. */
GPtrArray     *crm_tasks_suggest          (CrmStore       *store,
                                           gint64          as_of,
                                           guint           limit,
                                           GError        **error);
/* The suggestion as a task of @owner (NULL: the customer's owner); NULL with
 * CRM_STORE_ERROR_INVALID if it was made a task already. */
CrmTask       *crm_tasks_accept           (CrmStore                *store,
                                           const CrmTaskSuggestion *suggestion,
                                           const char              *owner,
                                           GError                 **error);

/* Local midnight at the start of the day @add_days days after the local day of @ms, ms UTC. */
gint64         crm_tasks_day_start        (gint64          ms,
                                           int             add_days);

G_END_DECLS

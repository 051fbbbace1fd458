/* crm-tasks.c: follow-ups, their reminders and the suggestions.
 *
 * Tasks are not synced (no sync endpoint knows them), so they are written with plain SQL and
 * announced to the session as activity of their customer.  A suggestion is computed, not
 * stored: it becomes a task with its key (suggestion_key, unique), which is what keeps it from
 * being suggested or made a task again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-tasks.h"

#include <glib/gi18n-lib.h>

#include "crm-format.h"
#include "crm-pool.h"
#include "crm-predict.h"
#include "crm-service-private.h"
#include "crm-store-private.h"

#define TASK_COLUMNS \
  "t.id, t.uuid, t.customer_id, c.uuid, c.name, t.title, t.notes, t.due_at, t.owner, t.done_at," \
  " t.origin, t.feedback_id, t.suggestion_key, t.created_at, t.reminded_at"
#define TASK_FROM " FROM tasks t JOIN customers c ON c.id = t.customer_id"

static const char *origin_keys[] = { "manual", "birthday", "at-risk", "complaint" };
G_STATIC_ASSERT (G_N_ELEMENTS (origin_keys) == CRM_TASK_ORIGIN_N);

CrmTask *
crm_task_new (void)
{
  return g_new0 (CrmTask, 1);
}

void
crm_task_free (CrmTask *task)
{
  if (task == NULL)
    return;
  g_free (task->uuid);
  g_free (task->customer_uuid);
  g_free (task->customer_name);
  g_free (task->title);
  g_free (task->notes);
  g_free (task->owner);
  g_free (task->suggestion_key);
  g_free (task);
}

void
crm_task_suggestion_free (CrmTaskSuggestion *suggestion)
{
  if (suggestion == NULL)
    return;
  g_free (suggestion->customer_uuid);
  g_free (suggestion->customer_name);
  g_free (suggestion->key);
  g_free (suggestion->title);
  g_free (suggestion);
}

const char *
crm_task_origin_to_string (CrmTaskOrigin origin)
{
  g_return_val_if_fail (origin < CRM_TASK_ORIGIN_N, "manual");
  return origin_keys[origin];
}

const char *
crm_task_origin_get_label (CrmTaskOrigin origin)
{
  switch (origin)
    {
    case CRM_TASK_ORIGIN_MANUAL: return _("By hand");
    case CRM_TASK_ORIGIN_BIRTHDAY: return _("Birthday");
    case CRM_TASK_ORIGIN_AT_RISK: return _("Valuable customer at risk");
    case CRM_TASK_ORIGIN_COMPLAINT: return _("Complaint");
    case CRM_TASK_ORIGIN_N:
    default: return "";
    }
}

int
crm_task_origin_from_string (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (origin_keys); i++)
    if (g_strcmp0 (key, origin_keys[i]) == 0)
      return (int) i;
  return -1;
}

gint64
crm_tasks_day_start (gint64 ms,
                     int    add_days)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (ms / 1000);
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) start = NULL;

  if (t == NULL)
    return 0;
  day = g_date_time_add_days (t, add_days);
  start = g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                                 g_date_time_get_day_of_month (day), 0, 0, 0);
  return g_date_time_to_unix (start) * 1000;
}

CrmTaskState
crm_task_get_state (const CrmTask *task,
                    gint64         as_of)
{
  if (task->done_at != 0)
    return CRM_TASK_STATE_DONE;
  if (task->due_at < as_of)
    return CRM_TASK_STATE_OVERDUE;
  if (task->due_at < crm_tasks_day_start (as_of, 1))
    return CRM_TASK_STATE_DUE_TODAY;
  return CRM_TASK_STATE_UPCOMING;
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static CrmTask *
read_task (sqlite3_stmt *stmt)
{
  CrmTask *t = crm_task_new ();
  int origin;

  t->id = sqlite3_column_int64 (stmt, 0);
  t->uuid = crm_service_column_text (stmt, 1);
  t->customer_id = sqlite3_column_int64 (stmt, 2);
  t->customer_uuid = crm_service_column_text (stmt, 3);
  t->customer_name = crm_service_column_text (stmt, 4);
  t->title = crm_service_column_text (stmt, 5);
  t->notes = crm_service_column_text (stmt, 6);
  t->due_at = sqlite3_column_int64 (stmt, 7);
  t->owner = crm_service_column_text (stmt, 8);
  t->done_at = sqlite3_column_int64 (stmt, 9);
  origin = crm_task_origin_from_string ((const char *) sqlite3_column_text (stmt, 10));
  t->origin = origin < 0 ? CRM_TASK_ORIGIN_MANUAL : (CrmTaskOrigin) origin;
  t->feedback_id = sqlite3_column_int64 (stmt, 11);
  t->suggestion_key = crm_service_column_text (stmt, 12);
  t->created_at = sqlite3_column_int64 (stmt, 13);
  t->reminded_at = sqlite3_column_int64 (stmt, 14);
  return t;
}

static gboolean
key_taken (CrmStore    *store,
           const char  *key,
           gboolean    *taken,
           GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = crm_store_prepare (store, "SELECT 1 FROM tasks WHERE suggestion_key = ?", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return crm_store_set_error (store, rc, error);
  *taken = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
check_task (CrmStore  *store,
            CrmTask   *task,
            GError   **error)
{
  sqlite3_stmt *stmt;
  gboolean taken = FALSE;
  int rc;

  if (task->title == NULL || !g_utf8_validate (task->title, -1, NULL) || is_blank (task->title))
    return crm_service_refuse (error, _("A follow-up needs a title"));
  if (g_utf8_strlen (task->title, -1) > 500)
    return crm_service_refuse (error, _("A follow-up’s title can have at most 500 characters"));
  if (task->notes != NULL && !g_utf8_validate (task->notes, -1, NULL))
    return crm_service_refuse (error, _("Notes must be UTF-8 text"));
  if (task->due_at <= 0)
    return crm_service_refuse (error, _("A follow-up needs a due time"));
  if (task->origin >= CRM_TASK_ORIGIN_N)
    return crm_service_refuse (error, _("Unknown origin of a follow-up"));
  if ((task->origin == CRM_TASK_ORIGIN_COMPLAINT) != (task->feedback_id > 0))
    return crm_service_refuse (error, _("A follow-up of a complaint needs the complaint, and only such a follow-up has one"));
  if (task->owner != NULL)
    {
      char *resolved = crm_owners_resolve (store, task->owner, error);

      if (resolved == NULL)
        return FALSE;
      g_free (task->owner);
      task->owner = resolved;
    }
  if (task->suggestion_key != NULL)
    {
      if (!key_taken (store, task->suggestion_key, &taken, error))
        return FALSE;
      if (taken)
        return crm_service_refuse (error, _("This suggestion is a follow-up already"));
    }

  if (!(stmt = crm_store_prepare (store, "SELECT 1 FROM customers WHERE id = ? AND deleted_at IS NULL", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, task->customer_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                           _("The customer of this follow-up does not exist or was deleted"));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return crm_store_set_error (store, rc, error);

  if (task->feedback_id > 0)
    {
      if (!(stmt = crm_store_prepare (store, "SELECT 1 FROM feedback WHERE id = ? AND deleted_at IS NULL", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, task->feedback_id);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        return crm_service_refuse (error, _("The complaint of this follow-up does not exist or was deleted"));
      if (rc != SQLITE_ROW)
        return crm_store_set_error (store, rc, error);
    }
  return TRUE;
}

gboolean
crm_tasks_add (CrmStore  *store,
               CrmTask   *task,
               GError   **error)
{
  g_autofree char *uuid = g_uuid_string_random ();
  sqlite3_stmt *stmt;
  gint64 now = crm_now_ms ();

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (task != NULL, FALSE);

  if (!crm_store_begin (store, error))
    return FALSE;
  if (!check_task (store, task, error) ||
      !(stmt = crm_store_prepare (store, "INSERT INTO tasks (uuid, created_at, updated_at, customer_id, title, notes,"
                                         " due_at, owner, done_at, origin, feedback_id, suggestion_key)"
                                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error)))
    goto fail;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, task->customer_id);
  sqlite3_bind_text (stmt, 5, task->title, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, task->notes, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, task->due_at);
  sqlite3_bind_text (stmt, 8, task->owner, -1, SQLITE_STATIC);
  if (task->done_at != 0)
    sqlite3_bind_int64 (stmt, 9, task->done_at);
  sqlite3_bind_text (stmt, 10, crm_task_origin_to_string (task->origin), -1, SQLITE_STATIC);
  if (task->feedback_id > 0)
    sqlite3_bind_int64 (stmt, 11, task->feedback_id);
  sqlite3_bind_text (stmt, 12, task->suggestion_key, -1, SQLITE_STATIC);
  if (!crm_store_step (store, stmt, error))
    goto fail;
  task->id = sqlite3_last_insert_rowid (crm_store_get_db (store));
  crm_store_note_activity_customer (store, task->customer_id);
  if (!crm_store_commit (store, error))
    goto fail;
  g_free (task->uuid);
  task->uuid = g_steal_pointer (&uuid);
  task->created_at = now;
  return TRUE;

fail:
  crm_store_rollback (store);
  return FALSE;
}

static GPtrArray *
read_tasks (CrmStore      *store,
            sqlite3_stmt  *stmt,
            GError       **error)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_task_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (tasks, read_task (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&tasks);
}

GPtrArray *
crm_tasks_list (CrmStore            *store,
                const CrmTaskFilter *filter,
                GError             **error)
{
  CrmTaskFilter none = { 0 };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  if (filter == NULL)
    filter = &none;

  /* The open tasks come through tasks_open, a customer's through tasks_customer. */
  if (!(stmt = crm_store_prepare (store, "SELECT " TASK_COLUMNS TASK_FROM
                                         " WHERE t.deleted_at IS NULL AND c.deleted_at IS NULL"
                                         " AND (?1 OR t.done_at IS NULL)"
                                         " AND (?2 = 0 OR t.customer_id = ?2)"
                                         " AND (?3 = 0 OR t.due_at < ?3)"
                                         " AND (?4 IS NULL OR t.owner = ?4)"
                                         " ORDER BY t.due_at, t.id LIMIT ?5", error)))
    return NULL;
  sqlite3_bind_int (stmt, 1, filter->include_done);
  sqlite3_bind_int64 (stmt, 2, filter->customer_id);
  sqlite3_bind_int64 (stmt, 3, filter->due_before);
  sqlite3_bind_text (stmt, 4, filter->owner, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, filter->limit > 0 ? (gint64) filter->limit : -1);
  return read_tasks (store, stmt, error);
}

CrmTask *
crm_tasks_get (CrmStore    *store,
               gint64       id,
               const char  *uuid,
               GError     **error)
{
  sqlite3_stmt *stmt;
  CrmTask *task = NULL;
  int rc;

  if (!(stmt = crm_store_prepare (store, "SELECT " TASK_COLUMNS TASK_FROM
                                         " WHERE (t.id = ?1 OR t.uuid = ?2) AND t.deleted_at IS NULL", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, uuid != NULL ? -1 : id);
  sqlite3_bind_text (stmt, 2, uuid, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    task = read_task (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                         _("No such follow-up (or it was deleted)"));
  else if (rc != SQLITE_ROW)
    crm_store_set_error (store, rc, error);
  return task;
}

/* One UPDATE of a live task; NOT_FOUND when there is none. */
static gboolean
update_task (CrmStore    *store,
             const char  *sql,
             gint64       id,
             gint64       value,
             gboolean     set_value,
             GError     **error)
{
  g_autoptr(CrmTask) task = NULL;
  sqlite3_stmt *stmt;

  if (!crm_store_begin (store, error))
    return FALSE;
  if (!(task = crm_tasks_get (store, id, NULL, error)) ||
      !(stmt = crm_store_prepare (store, sql, error)))
    goto fail;
  if (set_value)
    sqlite3_bind_int64 (stmt, 1, value);
  sqlite3_bind_int64 (stmt, 2, crm_now_ms ());
  sqlite3_bind_int64 (stmt, 3, id);
  if (!crm_store_step (store, stmt, error))
    goto fail;
  crm_store_note_activity_customer (store, task->customer_id);
  if (!crm_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  crm_store_rollback (store);
  return FALSE;
}

gboolean
crm_tasks_set_done (CrmStore  *store,
                    gint64     id,
                    gboolean   done,
                    gint64     at,
                    GError   **error)
{
  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  return update_task (store, "UPDATE tasks SET done_at = ?1, updated_at = max(updated_at + 1, ?2) WHERE id = ?3",
                      id, at != 0 ? at : crm_now_ms (), done, error);
}

gboolean
crm_tasks_delete (CrmStore  *store,
                  gint64     id,
                  GError   **error)
{
  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  return update_task (store, "UPDATE tasks SET deleted_at = ?2, updated_at = max(updated_at + 1, ?2) WHERE id = ?3",
                      id, 0, FALSE, error);
}

gboolean
crm_tasks_reminders_pending (CrmStore *store,
                             gint64    as_of)
{
  sqlite3_stmt *stmt = crm_store_prepare (store, "SELECT 1" TASK_FROM " WHERE t.done_at IS NULL AND t.deleted_at IS NULL"
                                                 " AND t.due_at <= ? AND t.reminded_at IS NULL"
                                                 " AND c.deleted_at IS NULL LIMIT 1", NULL);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, as_of);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}

GPtrArray *
crm_tasks_take_reminders (CrmStore  *store,
                          gint64     as_of,
                          GError   **error)
{
  g_autoptr(GPtrArray) tasks = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  if (!crm_store_begin (store, error))
    return NULL;
  if (!(stmt = crm_store_prepare (store, "SELECT " TASK_COLUMNS TASK_FROM
                                         " WHERE t.done_at IS NULL AND t.deleted_at IS NULL AND t.due_at <= ?1"
                                         " AND t.reminded_at IS NULL AND c.deleted_at IS NULL"
                                         " ORDER BY t.due_at, t.id", error)) ||
      (sqlite3_bind_int64 (stmt, 1, as_of), !(tasks = read_tasks (store, stmt, error))))
    goto fail;
  for (guint i = 0; i < tasks->len; i++)
    {
      CrmTask *t = g_ptr_array_index (tasks, i);

      if (!(stmt = crm_store_prepare (store, "UPDATE tasks SET reminded_at = ? WHERE id = ?", error)))
        goto fail;
      sqlite3_bind_int64 (stmt, 1, as_of);
      sqlite3_bind_int64 (stmt, 2, t->id);
      if (!crm_store_step (store, stmt, error))
        goto fail;
      t->reminded_at = as_of;
    }
  if (!crm_store_commit (store, error))
    goto fail;
  return g_steal_pointer (&tasks);

fail:
  crm_store_rollback (store);
  return NULL;
}

/* Birthdays from the local day of @as_of to CRM_TASKS_BIRTHDAY_DAYS days after it. */
static gboolean
suggest_birthdays (CrmStore   *store,
                   gint64      as_of,
                   GPtrArray  *out,
                   GError    **error)
{
  char mmdd[CRM_TASKS_BIRTHDAY_DAYS + 2][6];
  int day_of[CRM_TASKS_BIRTHDAY_DAYS + 2];
  int year_of[CRM_TASKS_BIRTHDAY_DAYS + 2];
  guint n = 0;
  sqlite3_stmt *stmt;
  int rc;

  for (int d = 0; d <= CRM_TASKS_BIRTHDAY_DAYS; d++)
    {
      g_autoptr(GDateTime) day = g_date_time_new_from_unix_local (crm_tasks_day_start (as_of, d) / 1000);
      int y = g_date_time_get_year (day), m = g_date_time_get_month (day), dd = g_date_time_get_day_of_month (day);

      g_snprintf (mmdd[n], sizeof mmdd[n], "%02d-%02d", m, dd);
      day_of[n] = d;
      year_of[n++] = y;
      /* 29 February birthdays are kept on the 28th in other years. */
      if (m == 2 && dd == 28 && !g_date_is_leap_year ((GDateYear) y))
        {
          g_snprintf (mmdd[n], sizeof mmdd[n], "02-29");
          day_of[n] = d;
          year_of[n++] = y;
        }
    }

  if (!(stmt = crm_store_prepare (store, "SELECT c.id, c.uuid, c.name, substr(c.birthday, 6, 5) FROM customers c"
                                         " WHERE substr(c.birthday, 6, 5) IN (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                                         " AND c.birthday IS NOT NULL AND c.deleted_at IS NULL", error)))
    return FALSE;
  for (guint i = 0; i < CRM_TASKS_BIRTHDAY_DAYS + 2; i++)
    sqlite3_bind_text (stmt, (int) i + 1, mmdd[MIN (i, n - 1)], -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *md = (const char *) sqlite3_column_text (stmt, 3);
      CrmTaskSuggestion *s;
      guint k;

      for (k = 0; k < n && g_strcmp0 (md, mmdd[k]) != 0; k++)
        ;
      if (k == n)
        continue;
      s = g_new0 (CrmTaskSuggestion, 1);
      s->origin = CRM_TASK_ORIGIN_BIRTHDAY;
      s->customer_id = sqlite3_column_int64 (stmt, 0);
      s->customer_uuid = crm_service_column_text (stmt, 1);
      s->customer_name = crm_service_column_text (stmt, 2);
      s->days = day_of[k];
      s->due_at = crm_tasks_day_start (as_of, day_of[k]) + 9 * G_GINT64_CONSTANT (3600000);
      s->key = g_strdup_printf ("birthday:%d:%" G_GINT64_FORMAT, year_of[k], s->customer_id);
      {
        g_autofree char *date = crm_format_date (s->due_at);

        /* Translators: a suggested follow-up: the customer's name, the date of the birthday. */
        s->title = g_strdup_printf (_("Wish %s a happy birthday (%s)"), s->customer_name, date);
      }
      g_ptr_array_add (out, s);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (store, rc, error);
  return TRUE;
}

static int
compare_birthdays (gconstpointer a,
                   gconstpointer b)
{
  const CrmTaskSuggestion *x = *(CrmTaskSuggestion **) a, *y = *(CrmTaskSuggestion **) b;

  if (x->days != y->days)
    return x->days < y->days ? -1 : 1;
  return g_utf8_collate (x->customer_name, y->customer_name);
}

/* Valuable customers at risk, biggest spenders first, at most @limit not made tasks this month. */
static gboolean
suggest_at_risk (CrmStore   *store,
                 gint64      as_of,
                 guint       limit,
                 GPtrArray  *out,
                 GError    **error)
{
  g_autoptr(GArray) ids = crm_predict_at_risk_valuable (store, 0.2, 0.5, 0, error);
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (as_of / 1000);
  guint added = 0;

  if (ids == NULL)
    return FALSE;
  for (guint i = 0; i < ids->len && added < limit; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autofree char *key = g_strdup_printf ("at-risk:%04d-%02d:%" G_GINT64_FORMAT, g_date_time_get_year (now),
                                              g_date_time_get_month (now), id);
      gboolean taken = FALSE;
      sqlite3_stmt *stmt;
      CrmTaskSuggestion *s;
      int rc;

      if (!key_taken (store, key, &taken, error))
        return FALSE;
      if (taken)
        continue;
      if (!(stmt = crm_store_prepare (store, "SELECT uuid, name, total_spent FROM customers"
                                             " WHERE id = ? AND deleted_at IS NULL", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
        {
          sqlite3_reset (stmt);
          if (rc != SQLITE_DONE)
            return crm_store_set_error (store, rc, error);
          continue;
        }
      s = g_new0 (CrmTaskSuggestion, 1);
      s->origin = CRM_TASK_ORIGIN_AT_RISK;
      s->customer_id = id;
      s->customer_uuid = crm_service_column_text (stmt, 0);
      s->customer_name = crm_service_column_text (stmt, 1);
      s->spent = sqlite3_column_int64 (stmt, 2);
      sqlite3_reset (stmt);
      s->key = g_steal_pointer (&key);
      s->due_at = as_of;
      /* Translators: a suggested follow-up; %s is the customer's name. */
      s->title = g_strdup_printf (_("Call %s: a valuable customer who may be leaving"), s->customer_name);
      g_ptr_array_add (out, s);
      added++;
    }
  return TRUE;
}

GPtrArray *
crm_tasks_suggest (CrmStore  *store,
                   gint64     as_of,
                   guint      limit,
                   GError   **error)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_task_suggestion_free);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_task_suggestion_free);

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  if (!suggest_birthdays (store, as_of, all, error))
    return NULL;
  g_ptr_array_sort (all, compare_birthdays);
  for (guint i = 0; i < all->len; i++)
    {
      CrmTaskSuggestion *s = g_ptr_array_index (all, i);
      gboolean taken = FALSE;

      if (!key_taken (store, s->key, &taken, error))
        return NULL;
      if (!taken)
        g_ptr_array_add (out, g_steal_pointer (&all->pdata[i]));
    }
  if (!suggest_at_risk (store, as_of, limit > 0 ? limit : 50, out, error))
    return NULL;
  return g_steal_pointer (&out);
}

CrmTask *
crm_tasks_accept (CrmStore                *store,
                  const CrmTaskSuggestion *suggestion,
                  const char              *owner,
                  GError                 **error)
{
  g_autoptr(CrmTask) task = crm_task_new ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (suggestion != NULL, NULL);

  task->customer_id = suggestion->customer_id;
  task->title = g_strdup (suggestion->title);
  task->due_at = suggestion->due_at;
  task->origin = suggestion->origin;
  task->suggestion_key = g_strdup (suggestion->key);
  task->owner = g_strdup (owner);
  if (owner == NULL)
    {
      if (!(stmt = crm_store_prepare (store, "SELECT owner FROM customers WHERE id = ?", error)))
        return NULL;
      sqlite3_bind_int64 (stmt, 1, suggestion->customer_id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        task->owner = crm_service_column_text (stmt, 0);
      sqlite3_reset (stmt);
    }
  if (!crm_tasks_add (store, task, error))
    return NULL;
  task->customer_uuid = g_strdup (suggestion->customer_uuid);
  task->customer_name = g_strdup (suggestion->customer_name);
  return g_steal_pointer (&task);
}

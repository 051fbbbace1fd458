/* crm-feedback-stats.c: NPS, CSAT and review scores of a period, per segment and per month.
 *
 * One statement per period: the answers of a kind in a period are one range of the covering
 * index feedback_stats (kind, received_at, score, customer_id; schema 10), so 1M answers are
 * counted without reading the table (bench/bench-feedback.c).  A segment adds the customers
 * its rule matches as a subquery the planner runs once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-feedback-stats.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define FIXED_PARAMS 2   /* ?1 from, ?2 to; a segment's values follow */

double
crm_feedback_nps (gint64 promoters,
                  gint64 detractors,
                  gint64 answers)
{
  return answers > 0 ? 100.0 * (double) (promoters - detractors) / (double) answers : 0.0;
}

double
crm_feedback_csat (gint64 satisfied,
                   gint64 answers)
{
  return answers > 0 ? 100.0 * (double) satisfied / (double) answers : 0.0;
}

typedef struct
{
  gboolean is_text;
  char    *text;
  gint64   value;
} Bind;

static void
bind_clear (gpointer data)
{
  g_free (((Bind *) data)->text);
}

static int
bind_text (gpointer    user_data,
           const char *text)
{
  GArray *binds = user_data;
  Bind b = { TRUE, g_strdup (text), 0 };

  g_array_append_val (binds, b);
  return FIXED_PARAMS + (int) binds->len;
}

static int
bind_int (gpointer user_data,
          gint64   value)
{
  GArray *binds = user_data;
  Bind b = { FALSE, NULL, value };

  g_array_append_val (binds, b);
  return FIXED_PARAMS + (int) binds->len;
}

typedef struct
{
  CrmStore     *store;
  sqlite3_stmt *stmt;   /* owned: a segment's statement is not cached */
  GArray       *binds;
} Scores;

static void
scores_clear (Scores *s)
{
  if (s->stmt != NULL)
    sqlite3_finalize (s->stmt);
  g_clear_pointer (&s->binds, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Scores, scores_clear)

static gboolean
scores_prepare (Scores   *s,
                CrmStore *store,
                CrmRule  *segment,
                gint64    today_ms,
                GError  **error)
{
  g_autoptr(GString) sql = g_string_new (
    "SELECT kind, count(*), total(score >= 9), total(score <= 6), total(score >= 4), total(score)"
    " FROM feedback INDEXED BY feedback_stats"
    " WHERE deleted_at IS NULL AND kind IN ('nps', 'csat', 'review') AND received_at > ?1 AND received_at <= ?2");
  int rc;

  s->store = store;
  s->binds = g_array_new (FALSE, TRUE, sizeof (Bind));
  g_array_set_clear_func (s->binds, bind_clear);
  if (segment != NULL)
    {
      g_string_append (sql, " AND customer_id IN (SELECT c.id FROM customers c WHERE c.deleted_at IS NULL AND ");
      crm_rule_to_sql (segment, sql, today_ms, bind_text, bind_int, s->binds);
      g_string_append (sql, ")");
    }
  g_string_append (sql, " GROUP BY kind");
  rc = sqlite3_prepare_v2 (crm_store_get_db (store), sql->str, -1, &s->stmt, NULL);
  if (rc != SQLITE_OK)
    return crm_store_set_error (store, rc, error);
  for (guint i = 0; i < s->binds->len; i++)
    {
      Bind *b = &g_array_index (s->binds, Bind, i);

      if (b->is_text)
        sqlite3_bind_text (s->stmt, FIXED_PARAMS + 1 + (int) i, b->text, -1, SQLITE_STATIC);
      else
        sqlite3_bind_int64 (s->stmt, FIXED_PARAMS + 1 + (int) i, b->value);
    }
  return TRUE;
}

static gboolean
scores_run (Scores           *s,
            gint64            from,
            gint64            to,
            CrmFeedbackStats *stats,
            GError          **error)
{
  int rc;

  sqlite3_bind_int64 (s->stmt, 1, from > 0 ? from : G_MININT64);
  sqlite3_bind_int64 (s->stmt, 2, to);
  while ((rc = sqlite3_step (s->stmt)) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (s->stmt, 0);
      gint64 n = sqlite3_column_int64 (s->stmt, 1);

      if (g_strcmp0 (kind, "nps") == 0)
        {
          stats->nps_answers = n;
          stats->promoters = (gint64) sqlite3_column_double (s->stmt, 2);
          stats->detractors = (gint64) sqlite3_column_double (s->stmt, 3);
          stats->passives = n - stats->promoters - stats->detractors;
          stats->nps = crm_feedback_nps (stats->promoters, stats->detractors, n);
        }
      else if (g_strcmp0 (kind, "csat") == 0)
        {
          stats->csat_answers = n;
          stats->satisfied = (gint64) sqlite3_column_double (s->stmt, 4);
          stats->csat = crm_feedback_csat (stats->satisfied, n);
        }
      else if (g_strcmp0 (kind, "review") == 0)
        {
          stats->reviews = n;
          stats->review_average = n > 0 ? sqlite3_column_double (s->stmt, 5) / (double) n : 0.0;
        }
    }
  sqlite3_reset (s->stmt);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (s->store, rc, error);
  return TRUE;
}

static gboolean
load_open (CrmStore         *store,
           gint64            as_of,
           CrmFeedbackStats *stats,
           GError          **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store,
    "SELECT count(*), total(due_at < ?1) FROM feedback INDEXED BY feedback_status"
    " WHERE deleted_at IS NULL AND status IN ('open', 'in-progress', 'waiting')", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, as_of);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      stats->open = sqlite3_column_int64 (stmt, 0);
      stats->overdue = (gint64) sqlite3_column_double (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return crm_store_set_error (store, rc, error);
  return TRUE;
}

gboolean
crm_feedback_stats_load (CrmStore          *store,
                         gint64             from,
                         gint64             to,
                         gint64             as_of,
                         CrmRule           *segment,
                         CrmFeedbackStats  *stats,
                         GCancellable      *cancellable,
                         GError           **error)
{
  g_auto(Scores) s = { 0 };
  GCancellable *previous;
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (stats != NULL, FALSE);

  memset (stats, 0, sizeof *stats);
  if (as_of == 0)
    as_of = crm_now_ms ();
  if (to == 0)
    to = as_of;
  previous = crm_store_set_cancellable (store, cancellable);
  ok = scores_prepare (&s, store, segment, as_of, error) &&
       scores_run (&s, from, to, stats, error) &&
       load_open (store, as_of, stats, error);
  crm_store_set_cancellable (store, previous);
  return ok;
}

GArray *
crm_feedback_trend (CrmStore      *store,
                    guint          months,
                    gint64         as_of,
                    GTimeZone     *tz,
                    CrmRule       *segment,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GArray) points = g_array_new (FALSE, TRUE, sizeof (CrmFeedbackTrendPoint));
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_auto(Scores) s = { 0 };
  GCancellable *previous;
  gboolean ok = TRUE;
  int year, month;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  if (as_of == 0)
    as_of = crm_now_ms ();
  if (tz == NULL)
    tz = local = g_time_zone_new_local ();
  {
    g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (as_of / 1000);
    now = g_date_time_to_timezone (utc, tz);
  }
  year = g_date_time_get_year (now);
  month = g_date_time_get_month (now) - (int) months + 1;
  while (month < 1)
    {
      month += 12;
      year--;
    }

  if (!scores_prepare (&s, store, segment, as_of, error))
    return NULL;
  previous = crm_store_set_cancellable (store, cancellable);
  for (guint i = 0; ok && i < months; i++)
    {
      g_autoptr(GDateTime) start = g_date_time_new (tz, year, month, 1, 0, 0, 0);
      g_autoptr(GDateTime) end = g_date_time_add_months (start, 1);
      CrmFeedbackTrendPoint p = { year, month, g_date_time_to_unix (start) * 1000, { 0 } };

      /* (start − 1 ms, end − 1 ms]: the month's instants. */
      ok = scores_run (&s, p.start - 1, g_date_time_to_unix (end) * 1000 - 1, &p.stats, error);
      g_array_append_val (points, p);
      if (++month > 12)
        {
          month = 1;
          year++;
        }
    }
  crm_store_set_cancellable (store, previous);
  if (!ok)
    return NULL;
  return g_steal_pointer (&points);
}

/* crm-recompute.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-recompute.h"

#include <glib/gi18n-lib.h>

#include "crm-customer.h"
#include "crm-tiers.h"

#define DAY_MS (G_GINT64_CONSTANT (86400000))

/* Floor division, so orders before 1970 still land on the right day. */
static gint32
day_of (gint64 ms)
{
  return (gint32) (ms >= 0 ? ms / DAY_MS : -((-ms + DAY_MS - 1) / DAY_MS));
}

void
crm_recompute_options_init (CrmRecomputeOptions *options,
                            CrmStore            *store)
{
  g_autofree char *window = NULL;
  g_autofree char *lifecycle = NULL;

  options->as_of = 0;
  options->window_days = 365;
  crm_lifecycle_rules_init_default (&options->lifecycle);

  if (store == NULL)
    return;

  window = crm_store_get_setting (store, "rfm.window_days");
  if (window != NULL && g_ascii_strtoll (window, NULL, 10) > 0)
    options->window_days = g_ascii_strtoll (window, NULL, 10);
  lifecycle = crm_store_get_setting (store, "lifecycle.rules");
  if (lifecycle != NULL && !crm_lifecycle_rules_load (&options->lifecycle, lifecycle, NULL))
    crm_lifecycle_rules_init_default (&options->lifecycle);
}

gboolean
crm_recompute_options_save (const CrmRecomputeOptions *options,
                            CrmStore                  *store,
                            GError                   **error)
{
  g_autofree char *window = g_strdup_printf ("%d", options->window_days);
  g_autofree char *lifecycle = crm_lifecycle_rules_to_json (&options->lifecycle);

  return crm_store_set_setting (store, "rfm.window_days", window, error) &&
         crm_store_set_setting (store, "lifecycle.rules", lifecycle, error);
}

typedef struct
{
  gint64  id;
  gint64  old_tier;
  gint64  override_tier;
  gint64  rfm_index;      /* into the rows array, or -1 */
  gint32  stage_since;
  guint8  old_stage;
  guint8  new_stage;
} CustomerState;

/* A stage change and its history row. */
static gboolean
write_stage (CrmStore  *store,
             gint64     customer_id,
             int        old_stage,
             int        new_stage,
             gint64     at,
             GError   **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = crm_store_prepare (store, "UPDATE customer_state SET lifecycle = ? WHERE customer_id = ?", error)))
    return FALSE;
  sqlite3_bind_int (stmt, 1, new_stage);
  sqlite3_bind_int64 (stmt, 2, customer_id);
  if (!crm_store_step (store, stmt, error))
    return FALSE;

  if (!(stmt = crm_store_prepare (store,
          "INSERT INTO lifecycle_history (customer_id, from_stage, to_stage, at) VALUES (?, ?, ?, ?)",
          error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_int (stmt, 2, old_stage);
  sqlite3_bind_int (stmt, 3, new_stage);
  sqlite3_bind_int64 (stmt, 4, at);

  return crm_store_step (store, stmt, error);
}

/* A tier change and its history row, with the override's reason when one decided it. */
static gboolean
write_tier (CrmStore  *store,
            gint64     customer_id,
            gint64     old_tier,
            gint64     new_tier,
            gboolean   by_override,
            gint64     at,
            GError   **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = crm_store_prepare (store, "UPDATE customer_state SET tier_id = ? WHERE customer_id = ?", error)))
    return FALSE;
  if (new_tier)
    sqlite3_bind_int64 (stmt, 1, new_tier);
  sqlite3_bind_int64 (stmt, 2, customer_id);
  if (!crm_store_step (store, stmt, error))
    return FALSE;

  if (!(stmt = crm_store_prepare (store,
          "INSERT INTO tier_history (customer_id, from_tier, to_tier, at, reason)"
          " VALUES (?1, ?2, ?3, ?4, CASE WHEN ?5 THEN (SELECT 'override: ' || reason"
          "  FROM tier_overrides WHERE customer_id = ?1) ELSE 'rule' END)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  if (old_tier)
    sqlite3_bind_int64 (stmt, 2, old_tier);
  if (new_tier)
    sqlite3_bind_int64 (stmt, 3, new_tier);
  sqlite3_bind_int64 (stmt, 4, at);
  sqlite3_bind_int (stmt, 5, by_override);

  return crm_store_step (store, stmt, error);
}

static int
progress_handler (void *data)
{
  return g_cancellable_is_cancelled (data) ? 1 : 0;
}

typedef struct
{
  const char                *path;
  const CrmRecomputeOptions *options;
  gint64                     as_of;
  gint64                     window_start;
  gint32                     today;
  gint64                     id_lo;       /* customers with id_lo <= id < id_hi */
  gint64                     id_hi;
  GCancellable              *cancellable;
  CrmProgressFunc            progress;
  gpointer                   user_data;
  gint64                     n_customers;
  GArray                    *customers;   /* CustomerState */
  GArray                    *rows;        /* CrmRfmRow */
  GError                    *error;
} ScanJob;

/* The id that splits the live customers in two halves. */
static gint64
median_customer_id (CrmStore *store,
                    gint64    n_customers)
{
  sqlite3_stmt *stmt = crm_store_prepare (store,
    "SELECT customer_id FROM customer_state WHERE deleted = 0 ORDER BY customer_id LIMIT 1 OFFSET ?", NULL);
  gint64 id = G_MAXINT64;

  if (stmt == NULL)
    return id;
  sqlite3_bind_int64 (stmt, 1, n_customers / 2);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return id;
}

/* Customers and their orders in one id range, both in id order: one merge pass.  The customers
 * come from the narrow customer_state table, the orders from the covering index
 * (customer_id, placed_at, total, status). */
static void
scan_range (ScanJob *job)
{
  g_autoptr(CrmStore) reader = crm_store_open_reader (job->path, &job->error);
  g_autoptr(GArray) days = g_array_new (FALSE, FALSE, sizeof (gint32));
  sqlite3_stmt *cust, *ord;
  gboolean have_order;
  gsize done = 0;
  int rc;

  if (reader == NULL)
    return;
  if (job->cancellable != NULL)
    sqlite3_progress_handler (crm_store_get_db (reader), 100000, progress_handler, job->cancellable);

  cust = crm_store_prepare (reader,
    "SELECT s.customer_id, coalesce(s.tier_id, 0), s.lifecycle, coalesce(o.tier_id, 0)"
    " FROM customer_state s LEFT JOIN tier_overrides o ON o.customer_id = s.customer_id"
    "  AND (o.expires_at IS NULL OR o.expires_at > ?1)"
    " WHERE s.deleted = 0 AND s.customer_id >= ?2 AND s.customer_id < ?3 ORDER BY s.customer_id", &job->error);
  ord = cust == NULL ? NULL : crm_store_prepare (reader,
    "SELECT customer_id, placed_at, total FROM orders INDEXED BY orders_customer"
    " WHERE deleted_at IS NULL AND status NOT IN ('cancelled', 'refunded', 'failed')"
    "  AND placed_at <= ?1 AND customer_id >= ?2 AND customer_id < ?3"
    " ORDER BY customer_id, placed_at", &job->error);
  if (ord == NULL)
    return;
  sqlite3_bind_int64 (cust, 1, job->as_of);
  sqlite3_bind_int64 (cust, 2, job->id_lo);
  sqlite3_bind_int64 (cust, 3, job->id_hi);
  sqlite3_bind_int64 (ord, 1, job->as_of);
  sqlite3_bind_int64 (ord, 2, job->id_lo);
  sqlite3_bind_int64 (ord, 3, job->id_hi);

  have_order = (rc = sqlite3_step (ord)) == SQLITE_ROW;

  while ((rc = sqlite3_step (cust)) == SQLITE_ROW)
    {
      CustomerState st = { 0 };
      CrmRfmRow row = { 0 };
      gint64 last = 0;

      st.id = sqlite3_column_int64 (cust, 0);
      st.old_tier = sqlite3_column_int64 (cust, 1);
      st.old_stage = sqlite3_column_int (cust, 2);
      st.override_tier = sqlite3_column_int64 (cust, 3);
      st.rfm_index = -1;

      /* Orders of customers that are deleted (or unknown) are passed over. */
      while (have_order && sqlite3_column_int64 (ord, 0) < st.id)
        have_order = sqlite3_step (ord) == SQLITE_ROW;

      g_array_set_size (days, 0);
      while (have_order && sqlite3_column_int64 (ord, 0) == st.id)
        {
          gint64 placed = sqlite3_column_int64 (ord, 1);
          gint32 d = day_of (placed);

          g_array_append_val (days, d);
          last = placed;
          if (placed > job->window_start)
            {
              row.frequency++;
              row.monetary += sqlite3_column_int64 (ord, 2);
            }
          have_order = sqlite3_step (ord) == SQLITE_ROW;
        }

      if (row.frequency > 0)
        {
          row.customer_id = st.id;
          row.r_days = (gint32) ((job->as_of - last) / DAY_MS);
          st.rfm_index = job->rows->len;
          g_array_append_val (job->rows, row);
        }

      st.new_stage = crm_lifecycle_classify (&job->options->lifecycle, (const gint32 *) days->data,
                                             days->len, job->today, NULL);
      if (st.new_stage != st.old_stage)
        crm_lifecycle_classify (&job->options->lifecycle, (const gint32 *) days->data, days->len,
                                job->today, &st.stage_since);
      g_array_append_val (job->customers, st);

      /* Progress from one half stands for both. */
      if (job->progress != NULL && (++done & 0xffff) == 0)
        job->progress (0.7 * 2 * done / MAX (job->n_customers, 1), job->user_data);
    }

  if (rc != SQLITE_DONE && !g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
    crm_store_set_error (reader, rc, &job->error);
  sqlite3_reset (cust);
  sqlite3_reset (ord);
  sqlite3_progress_handler (crm_store_get_db (reader), 0, NULL, NULL);
}

/* A customer whose tier or stage this run changes. */
typedef struct
{
  gint64  id;
  gint64  old_tier;   /* 0: none */
  gint64  new_tier;
  gint64  stage_at;
  guint8  tier_changed;
  guint8  stage_changed;
  guint8  by_override;
  guint8  old_stage;
  guint8  new_stage;
} Change;

/* The changes as the table crm_rc_changes. */
static void
change_column (gconstpointer    row,
               int              column,
               sqlite3_context *ctx)
{
  const Change *ch = row;
  gint64 tier = 0;

  switch (column)
    {
    case 0: sqlite3_result_int64 (ctx, ch->id); return;
    case 1: tier = ch->tier_changed ? ch->new_tier : ch->old_tier; break;
    case 2: sqlite3_result_int (ctx, ch->stage_changed ? ch->new_stage : ch->old_stage); return;
    case 3: tier = ch->old_tier; break;
    case 4: sqlite3_result_int (ctx, ch->old_stage); return;
    case 5: sqlite3_result_int (ctx, ch->tier_changed); return;
    case 6: sqlite3_result_int (ctx, ch->stage_changed); return;
    case 7: sqlite3_result_int (ctx, ch->by_override); return;
    case 8: sqlite3_result_int64 (ctx, ch->stage_at); return;
    default: sqlite3_result_null (ctx); return;
    }

  if (tier != 0)
    sqlite3_result_int64 (ctx, tier);
  else
    sqlite3_result_null (ctx);
}

/* crm_rc_change(customer_id, column): the column of change_column() for the customer's
 * change, NULL if this run does not change it.  The UPDATE visits rows in id order, so each
 * lookup walks on from the last one; anything else is a binary search. */
typedef struct
{
  const Change *v;
  guint         n;
  guint         at;
} ChangeCursor;

static void
sql_rc_change (sqlite3_context  *ctx,
               int               argc,
               sqlite3_value   **argv)
{
  ChangeCursor *c = sqlite3_user_data (ctx);
  gint64 id = sqlite3_value_int64 (argv[0]);

  (void) argc;
  if (c->at >= c->n || c->v[c->at].id > id)
    {
      guint lo = 0, hi = c->n;

      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;

          if (c->v[mid].id < id)
            lo = mid + 1;
          else
            hi = mid;
        }
      c->at = lo;
    }
  while (c->at < c->n && c->v[c->at].id < id)
    c->at++;

  if (c->at < c->n && c->v[c->at].id == id)
    change_column (&c->v[c->at], sqlite3_value_int (argv[1]), ctx);
  else
    sqlite3_result_null (ctx);
}

/* An index is made again once its column changes for 1/8 of the customers: at 1M, making one
 * takes ~0.2 s, and moving 300k entries one by one 0.5 s. */
#define DROP_INDEX_SHARE 8

/* Sets the changed tiers and stages, then appends their history rows: one statement per table.
 *
 * The UPDATE scans customer_state and asks crm_rc_change() for each row: at 1M changes
 * 0.25 s, where UPDATE … FROM the changes took 0.5 s (it collects the join first) and an
 * UPDATE per row more.  The history rows come from the changes as a table
 * (crm_store_attach_rows()): row by row (bind, step, reset) the 1.3M history rows of a first
 * run at 1M customers took 1.3 s. */
static gboolean
write_changes (CrmStore      *store,
               const Change  *changes,
               guint          n_changes,
               guint          n_customers,
               gint64         now,
               GError       **error)
{
  static const char *statements[] = {
    "UPDATE customer_state SET tier_id = crm_rc_change (customer_id, 1),"
    " lifecycle = crm_rc_change (customer_id, 2) WHERE crm_rc_change (customer_id, 0) IS NOT NULL",
    "INSERT INTO lifecycle_history (customer_id, from_stage, to_stage, at)"
    " SELECT id, old_stage, stage, stage_at FROM crm_rc_changes WHERE stage_changed",
    "INSERT INTO tier_history (customer_id, from_tier, to_tier, at, reason)"
    " SELECT c.id, c.old_tier, c.tier, ?1, CASE WHEN c.by_override THEN"
    "  (SELECT 'override: ' || reason FROM tier_overrides WHERE customer_id = c.id) ELSE 'rule' END"
    " FROM crm_rc_changes c WHERE c.tier_changed",
  };
  sqlite3 *db = crm_store_get_db (store);
  ChangeCursor cursor = { changes, n_changes, 0 };
  g_autoptr(GPtrArray) indexes = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  gboolean ok = TRUE;

  /* An index over a column that changes for many customers (every tier in a first run) is
   * made again afterwards, one sort, rather than moved entry by entry. */
  {
    g_autoptr(GString) names = g_string_new (NULL);
    gsize tiers = 0, stages = 0;

    for (guint i = 0; i < n_changes; i++)
      {
        tiers += changes[i].tier_changed;
        stages += changes[i].stage_changed;
      }
    if (tiers * DROP_INDEX_SHARE >= n_customers)
      g_string_append (names, "'customer_state_tier'");
    if (stages * DROP_INDEX_SHARE >= n_customers)
      g_string_append_printf (names, "%s'customer_state_lifecycle'", names->len > 0 ? ", " : "");
    if (names->len > 0)
      {
        g_autofree char *select = g_strdup_printf ("SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                                                   " AND name IN (%s)", names->str);

        indexes = g_ptr_array_new_with_free_func (g_free);
        if (!crm_store_drop_objects (store, "INDEX", select, indexes, error))
          return FALSE;
      }
  }

  sqlite3_create_function (db, "crm_rc_change", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY, &cursor, sql_rc_change,
                           NULL, NULL);
  crm_store_attach_rows (store, "crm_rc_changes",
                         "id, tier, stage, old_tier, old_stage, tier_changed, stage_changed, by_override, stage_at",
                         changes, n_changes, sizeof (Change), change_column);
  for (guint s = 0; ok && s < G_N_ELEMENTS (statements); s++)
    {
      sqlite3_stmt *stmt = NULL;
      int rc;

      /* Not the store's statement cache: the table goes with the detach. */
      rc = sqlite3_prepare_v2 (db, statements[s], -1, &stmt, NULL);
      if (rc == SQLITE_OK && sqlite3_bind_parameter_count (stmt) > 0)
        sqlite3_bind_int64 (stmt, 1, now);
      if (rc == SQLITE_OK)
        rc = sqlite3_step (stmt);
      sqlite3_finalize (stmt);
      ok = rc == SQLITE_DONE || crm_store_set_error (store, rc, error);
      if (ok && s == 0 && indexes != NULL)
        ok = crm_store_create_indexes (store, indexes, error);
      g_debug ("recompute: statement %u at %.3f s", s, g_timer_elapsed (timer, NULL));
    }
  crm_store_detach_rows (store, "crm_rc_changes");
  /* The function points into this frame: remove it before it goes. */
  sqlite3_create_function (db, "crm_rc_change", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, NULL, NULL, NULL);

  return ok;
}

/* The scores as the table crm_rc_scores. */
static void
score_column (gconstpointer    row,
              int              column,
              sqlite3_context *ctx)
{
  const CrmRfmRow *r = row;

  switch (column)
    {
    case 0: sqlite3_result_int64 (ctx, r->customer_id); break;
    case 1: sqlite3_result_int (ctx, r->r_days); break;
    case 2: sqlite3_result_int (ctx, r->frequency); break;
    case 3: sqlite3_result_int64 (ctx, r->monetary); break;
    case 4: sqlite3_result_int (ctx, r->r_score); break;
    case 5: sqlite3_result_int (ctx, r->f_score); break;
    case 6: sqlite3_result_int (ctx, r->m_score); break;
    case 7: sqlite3_result_text (ctx, crm_rfm_segment_to_string (r->segment), -1, SQLITE_STATIC); break;
    default: sqlite3_result_null (ctx); break;
    }
}

static gpointer
scan_thread (gpointer data)
{
  scan_range (data);
  return NULL;
}

gboolean
crm_recompute (CrmStore                  *store,
               const CrmRecomputeOptions *options,
               CrmProgressFunc            progress,
               gpointer                   user_data,
               GCancellable              *cancellable,
               CrmRecomputeReport        *report,
               GError                   **error)
{
  g_autoptr(GArray) customers = g_array_new (FALSE, FALSE, sizeof (CustomerState));
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (CrmRfmRow));
  g_autoptr(GArray) rules = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  CrmRecomputeReport local_report = { 0 };
  CrmRfmCutoffs cutoffs;
  sqlite3 *db = crm_store_get_db (store);
  gint64 as_of = options->as_of ? options->as_of : crm_now_ms ();
  gint64 window_start = as_of - (gint64) options->window_days * DAY_MS;
  gint64 now = crm_now_ms ();
  gint32 today = day_of (as_of);
  gint64 n_customers;
  gboolean fk_off, ok;

  if (report == NULL)
    report = &local_report;
  memset (report, 0, sizeof *report);

  if (options->window_days <= 0)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("The analysis window must be at least one day"));
      return FALSE;
    }

  if (!crm_tiers_ensure_default (store, error))
    return FALSE;

  /* Foreign keys are not checked in this transaction (the pragma only takes effect outside
   * one): the only reference it writes is customer_state.tier_id, and those ids come from the tiers
   * table and the overrides read inside the same write transaction.  Checking them costs more
   * than half of a first recompute's UPDATE (2.0 s of 3.9 s at 1M customers). */
  fk_off = sqlite3_get_autocommit (db) && crm_store_exec (store, "PRAGMA foreign_keys = OFF", NULL);
  if (!crm_store_begin (store, error))
    goto fail_no_tx;
  if (!(rules = crm_tiers_load_rules (store, error)))
    goto fail_no_handler;
  n_customers = crm_store_count (store, CRM_TYPE_CUSTOMER, error);
  if (n_customers < 0)
    goto fail_no_handler;

  if (cancellable != NULL)
    sqlite3_progress_handler (db, 100000, progress_handler, cancellable);

  /* The read pass runs on two read connections in parallel, each over half of
   * the customers (WAL: both see the state this transaction started from). */
  {
    ScanJob jobs[2] = { 0 };
    GThread *thread;
    gint64 split = median_customer_id (store, n_customers);

    for (int j = 0; j < 2; j++)
      {
        jobs[j].path = crm_store_get_path (store);
        jobs[j].options = options;
        jobs[j].as_of = as_of;
        jobs[j].window_start = window_start;
        jobs[j].today = today;
        jobs[j].id_lo = j == 0 ? G_MININT64 : split;
        jobs[j].id_hi = j == 0 ? split : G_MAXINT64;
        jobs[j].cancellable = cancellable;
        jobs[j].customers = g_array_new (FALSE, FALSE, sizeof (CustomerState));
        jobs[j].rows = g_array_new (FALSE, FALSE, sizeof (CrmRfmRow));
        jobs[j].progress = j == 0 ? progress : NULL;
        jobs[j].user_data = user_data;
        jobs[j].n_customers = n_customers;
      }

    thread = g_thread_new ("crm-recompute", scan_thread, &jobs[1]);
    scan_range (&jobs[0]);
    g_thread_join (thread);

    for (int j = 0; j < 2; j++)
      {
        gsize base = rows->len;

        if (jobs[j].error != NULL && (error == NULL || *error == NULL))
          g_propagate_error (error, g_steal_pointer (&jobs[j].error));
        g_clear_error (&jobs[j].error);

        /* Second half: its RFM row indexes shift by the first half's rows. */
        for (guint i = 0; i < jobs[j].customers->len; i++)
          {
            CustomerState *st = &g_array_index (jobs[j].customers, CustomerState, i);
            if (st->rfm_index >= 0)
              st->rfm_index += base;
          }
        g_array_append_vals (customers, jobs[j].customers->data, jobs[j].customers->len);
        g_array_append_vals (rows, jobs[j].rows->data, jobs[j].rows->len);
        g_array_unref (jobs[j].customers);
        g_array_unref (jobs[j].rows);
      }

    if (error != NULL && *error != NULL)
      goto fail;
    if (g_cancellable_set_error_if_cancelled (cancellable, error))
      goto fail;
  }

  g_debug ("recompute: read %u customers, %u scored in %.3f s", customers->len, rows->len,
           g_timer_elapsed (timer, NULL));
  crm_rfm_score ((CrmRfmRow *) rows->data, rows->len, &cutoffs);
  g_debug ("recompute: scored at %.3f s", g_timer_elapsed (timer, NULL));
  if (progress != NULL)
    progress (0.75, user_data);

  /* Scores of this run replace the last one's; rows go in id order, so the
   * table is written append-only. */
  if (!crm_store_exec (store, "DELETE FROM customer_rfm", error))
    goto fail;
  crm_store_attach_rows (store, "crm_rc_scores",
                         "customer_id, r_days, frequency, monetary, r_score, f_score, m_score, segment",
                         rows->data, rows->len, sizeof (CrmRfmRow), score_column);
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO customer_rfm (customer_id, r_days, frequency, monetary,"
                                            " r_score, f_score, m_score, segment, computed_at)"
                                            " SELECT *, %" G_GINT64_FORMAT " FROM crm_rc_scores", now);
    ok = crm_store_exec (store, sql, error);
  }
  crm_store_detach_rows (store, "crm_rc_scores");
  if (!ok)
    goto fail;
  for (guint i = 0; i < rows->len; i++)
    report->segments[g_array_index (rows, CrmRfmRow, i).segment]++;
  if (progress != NULL)
    progress (0.85, user_data);

  /* Computed columns are local results, not user edits: they are not journaled
   * for sync, and their history has its own tables. */
  {
    g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));

    for (guint i = 0; i < customers->len; i++)
      {
        CustomerState *st = &g_array_index (customers, CustomerState, i);
        const CrmRfmRow *row = st->rfm_index >= 0 ? &g_array_index (rows, CrmRfmRow, st->rfm_index) : NULL;
        gint64 new_tier = st->override_tier ? st->override_tier : crm_tiers_evaluate (rules, row);
        Change ch = { 0 };

        report->stages[st->new_stage]++;
        ch.tier_changed = new_tier != st->old_tier;
        ch.stage_changed = st->new_stage != st->old_stage;
        if (!ch.tier_changed && !ch.stage_changed)
          continue;

        ch.id = st->id;
        ch.old_tier = st->old_tier;
        ch.new_tier = new_tier;
        ch.by_override = st->override_tier != 0;
        ch.old_stage = st->old_stage;
        ch.new_stage = st->new_stage;
        ch.stage_at = st->new_stage == CRM_LIFECYCLE_PROSPECT ? as_of : (gint64) st->stage_since * DAY_MS;
        g_array_append_val (changes, ch);
        report->tier_changes += ch.tier_changed;
        report->lifecycle_changes += ch.stage_changed;
      }
    g_debug ("recompute: changes collected at %.3f s", g_timer_elapsed (timer, NULL));
    if (progress != NULL)
      progress (0.9, user_data);

    if (changes->len > 0 && !write_changes (store, (const Change *) changes->data, changes->len,
                                            customers->len, now, error))
      goto fail;
  }

  {
    g_autofree char *as_of_text = g_strdup_printf ("%" G_GINT64_FORMAT, as_of);
    g_autofree char *now_text = g_strdup_printf ("%" G_GINT64_FORMAT, now);
    g_autofree char *cutoffs_text = crm_rfm_cutoffs_to_json (&cutoffs);

    if (!crm_store_set_setting (store, "rfm.as_of", as_of_text, error) ||
        !crm_store_set_setting (store, "rfm.cutoffs", cutoffs_text, error) ||
        !crm_store_set_setting (store, "rfm.computed_at", now_text, error))
      goto fail;
  }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto fail;
  if (cancellable != NULL)
    sqlite3_progress_handler (db, 0, NULL, NULL);
  g_debug ("recompute: written at %.3f s", g_timer_elapsed (timer, NULL));
  if (!crm_store_commit (store, error))
    goto fail_no_handler;
  if (fk_off)
    crm_store_exec (store, "PRAGMA foreign_keys = ON", NULL);

  report->customers = customers->len;
  report->scored = rows->len;
  report->seconds = g_timer_elapsed (timer, NULL);
  if (progress != NULL)
    progress (1.0, user_data);
  return TRUE;

fail:
  if (cancellable != NULL)
    sqlite3_progress_handler (db, 0, NULL, NULL);
fail_no_handler:
  crm_store_rollback (store);
fail_no_tx:
  if (fk_off)
    crm_store_exec (store, "PRAGMA foreign_keys = ON", NULL);
  return FALSE;
}

gboolean
crm_recompute_get_rfm (CrmStore  *store,
                       gint64     customer_id,
                       CrmRfmRow *out)
{
  sqlite3_stmt *stmt = crm_store_prepare (store,
    "SELECT r_days, frequency, monetary, r_score, f_score, m_score, segment"
    " FROM customer_rfm WHERE customer_id = ?", NULL);
  gboolean found = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      out->customer_id = customer_id;
      out->r_days = sqlite3_column_int (stmt, 0);
      out->frequency = sqlite3_column_int (stmt, 1);
      out->monetary = sqlite3_column_int64 (stmt, 2);
      out->r_score = sqlite3_column_int (stmt, 3);
      out->f_score = sqlite3_column_int (stmt, 4);
      out->m_score = sqlite3_column_int (stmt, 5);
      out->segment = MAX (crm_rfm_segment_from_string ((const char *) sqlite3_column_text (stmt, 6)), 0);
      found = TRUE;
    }
  sqlite3_reset (stmt);

  return found;
}

GArray *
crm_lifecycle_history (CrmStore  *store,
                       gint64     customer_id,
                       GError   **error)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, TRUE, sizeof (CrmStageChange));
  sqlite3_stmt *stmt = crm_store_prepare (store,
    "SELECT coalesce(from_stage, -1), to_stage, at FROM lifecycle_history"
    " WHERE customer_id = ? ORDER BY at, id", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      CrmStageChange c = { sqlite3_column_int (stmt, 0), sqlite3_column_int (stmt, 1),
                           sqlite3_column_int64 (stmt, 2) };
      g_array_append_val (changes, c);
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&changes);
}

gboolean
crm_recompute_customer (CrmStore  *store,
                        gint64     customer_id,
                        gint64     as_of,
                        GError   **error)
{
  g_autoptr(GArray) days = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) rules = NULL;
  g_autofree char *cutoffs_json = crm_store_get_setting (store, "rfm.cutoffs");
  CrmRecomputeOptions options;
  CrmRfmCutoffs cutoffs;
  CrmRfmRow row = { 0 };
  sqlite3_stmt *stmt;
  gint64 window_start, last = 0, old_tier = 0, override_tier = 0, new_tier, now = crm_now_ms ();
  int old_stage = 0, new_stage;
  gint32 since = 0;
  gboolean found = FALSE;

  crm_recompute_options_init (&options, store);
  if (as_of == 0)
    as_of = now;
  window_start = as_of - (gint64) options.window_days * DAY_MS;

  if (!(stmt = crm_store_prepare (store,
          "SELECT coalesce(s.tier_id, 0), s.lifecycle, coalesce(o.tier_id, 0) FROM customer_state s"
          " LEFT JOIN tier_overrides o ON o.customer_id = s.customer_id"
          "  AND (o.expires_at IS NULL OR o.expires_at > ?2)"
          " WHERE s.customer_id = ?1 AND s.deleted = 0", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_int64 (stmt, 2, as_of);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      old_tier = sqlite3_column_int64 (stmt, 0);
      old_stage = sqlite3_column_int (stmt, 1);
      override_tier = sqlite3_column_int64 (stmt, 2);
      found = TRUE;
    }
  sqlite3_reset (stmt);
  if (!found)
    return TRUE;   /* deleted meanwhile: nothing to keep current */

  if (!(stmt = crm_store_prepare (store,
          "SELECT placed_at, total FROM orders INDEXED BY orders_customer"
          " WHERE customer_id = ? AND deleted_at IS NULL AND status NOT IN ('cancelled', 'refunded', 'failed')"
          "  AND placed_at <= ? ORDER BY placed_at", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_int64 (stmt, 2, as_of);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 placed = sqlite3_column_int64 (stmt, 0);
      gint32 d = day_of (placed);

      g_array_append_val (days, d);
      last = placed;
      if (placed > window_start)
        {
          row.frequency++;
          row.monetary += sqlite3_column_int64 (stmt, 1);
        }
    }
  sqlite3_reset (stmt);

  /* RFM against the population of the last full recompute. */
  if (row.frequency > 0 && crm_rfm_cutoffs_from_json (&cutoffs, cutoffs_json))
    {
      row.customer_id = customer_id;
      row.r_days = (gint32) ((as_of - last) / DAY_MS);
      crm_rfm_score_one (&cutoffs, &row);

      if (!(stmt = crm_store_prepare (store,
              "INSERT OR REPLACE INTO customer_rfm (customer_id, r_days, frequency, monetary, r_score,"
              " f_score, m_score, segment, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, customer_id);
      sqlite3_bind_int (stmt, 2, row.r_days);
      sqlite3_bind_int (stmt, 3, row.frequency);
      sqlite3_bind_int64 (stmt, 4, row.monetary);
      sqlite3_bind_int (stmt, 5, row.r_score);
      sqlite3_bind_int (stmt, 6, row.f_score);
      sqlite3_bind_int (stmt, 7, row.m_score);
      sqlite3_bind_text (stmt, 8, crm_rfm_segment_to_string (row.segment), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 9, now);
      if (!crm_store_step (store, stmt, error))
        return FALSE;
    }
  else
    {
      row.segment = CRM_RFM_NONE;
      if (!(stmt = crm_store_prepare (store, "DELETE FROM customer_rfm WHERE customer_id = ?", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, customer_id);
      if (!crm_store_step (store, stmt, error))
        return FALSE;
    }

  new_stage = crm_lifecycle_classify (&options.lifecycle, (const gint32 *) days->data, days->len,
                                      day_of (as_of), &since);
  if (new_stage != old_stage &&
      !write_stage (store, customer_id, old_stage, new_stage,
                    new_stage == CRM_LIFECYCLE_PROSPECT ? as_of : (gint64) since * DAY_MS, error))
    return FALSE;

  if (!(rules = crm_tiers_load_rules (store, error)))
    return FALSE;
  new_tier = override_tier ? override_tier : crm_tiers_evaluate (rules, row.frequency > 0 ? &row : NULL);
  if (rules->len > 0 && new_tier != old_tier &&
      !write_tier (store, customer_id, old_tier, new_tier, override_tier != 0, now, error))
    return FALSE;

  return TRUE;
}

static gboolean
order_hook (CrmStore  *store,
            gint64     customer_id,
            gpointer   user_data,
            GError   **error)
{
  return crm_recompute_customer (store, customer_id, 0, error);
}

void
crm_recompute_watch_orders (CrmStore *store)
{
  crm_store_set_order_hook (store, order_hook, NULL);
}

/* crm-recompute.c: the full pass — RFM scores of everybody, then tiers and stages, in one
 * transaction; the options it reads; the pass as a job.  One customer at a time (the order
 * hook, a manual tier) is crm-recompute-customer.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-recompute-private.h"

#include <glib/gi18n-lib.h>

#include "crm-customer.h"
#include "crm-tiers.h"


void
crm_recompute_options_init (CrmRecomputeOptions *options,
                            CrmStore            *store)
{
  g_autofree char *window = NULL;
  g_autofree char *lifecycle = NULL;

  options->as_of = 0;
  options->window_days = 365;
  options->save = FALSE;
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

typedef struct
{
  const char                *path;
  CrmStore                  *store;       /* read on this connection, or open one on @path */
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
  g_autoptr(CrmStore) own = job->store == NULL ? crm_store_open_reader (job->path, &job->error) : NULL;
  CrmStore *reader = job->store != NULL ? job->store : own;
  g_autoptr(GArray) days = g_array_new (FALSE, FALSE, sizeof (gint32));
  GCancellable *previous;
  sqlite3_stmt *cust, *ord;
  gboolean have_order;
  gsize done = 0;
  int rc;

  if (reader == NULL)
    return;
  previous = job->cancellable != NULL ? crm_store_set_cancellable (reader, job->cancellable) : NULL;

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
    {
      if (job->cancellable != NULL)
        crm_store_set_cancellable (reader, previous);
      return;
    }
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
  if (job->cancellable != NULL)
    crm_store_set_cancellable (reader, previous);
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

/* One run of crm_recompute(). */
typedef struct
{
  CrmStore                  *store;
  const CrmRecomputeOptions *options;
  CrmProgressFunc            progress;
  gpointer                   user_data;
  GCancellable              *cancellable;
  CrmRecomputeReport        *report;
  GTimer                    *timer;
  gint64                     as_of;
  gint64                     window_start;
  gint64                     now;
  gint32                     today;
  GArray                    *customers;   /* CustomerState */
  GArray                    *rows;        /* CrmRfmRow */
  GArray                    *rules;
  CrmRfmCutoffs              cutoffs;
  gboolean                   alone;       /* read on this connection only (see read_customers) */
} Run;

static void
run_progress (Run    *run,
              double  fraction)
{
  if (run->progress != NULL)
    run->progress (fraction, run->user_data);
}

/* The read pass runs on two read connections in parallel, each over half of the customers (WAL:
 * both see the state this transaction started from).  Inside a transaction that has written
 * already (an order hook's full recompute) only this connection sees those writes: then it
 * reads alone. */
static gboolean
read_customers (Run       *run,
                gint64     n_customers,
                gboolean   alone,
                GError   **error)
{
  ScanJob jobs[2] = { { 0 } };
  GThread *thread = NULL;
  gint64 split = alone ? G_MAXINT64 : median_customer_id (run->store, n_customers);
  int n_jobs = alone ? 1 : 2;

  for (int j = 0; j < n_jobs; j++)
    {
      jobs[j].path = crm_store_get_path (run->store);
      jobs[j].store = alone ? run->store : NULL;
      jobs[j].options = run->options;
      jobs[j].as_of = run->as_of;
      jobs[j].window_start = run->window_start;
      jobs[j].today = run->today;
      jobs[j].id_lo = j == 0 ? G_MININT64 : split;
      jobs[j].id_hi = j == 0 ? split : G_MAXINT64;
      jobs[j].cancellable = run->cancellable;
      jobs[j].customers = g_array_new (FALSE, FALSE, sizeof (CustomerState));
      jobs[j].rows = g_array_new (FALSE, FALSE, sizeof (CrmRfmRow));
      jobs[j].progress = j == 0 ? run->progress : NULL;
      jobs[j].user_data = run->user_data;
      jobs[j].n_customers = alone ? n_customers / 2 : n_customers;
    }

  if (!alone)
    thread = g_thread_new ("crm-recompute", scan_thread, &jobs[1]);
  scan_range (&jobs[0]);
  if (thread != NULL)
    g_thread_join (thread);

  for (int j = 0; j < n_jobs; j++)
    {
      gsize base = run->rows->len;

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
      g_array_append_vals (run->customers, jobs[j].customers->data, jobs[j].customers->len);
      g_array_append_vals (run->rows, jobs[j].rows->data, jobs[j].rows->len);
      g_array_unref (jobs[j].customers);
      g_array_unref (jobs[j].rows);
    }

  if (error != NULL && *error != NULL)
    return FALSE;
  return !g_cancellable_set_error_if_cancelled (run->cancellable, error);
}

/* Scores of this run replace the last one's; rows go in id order, so the table is written
 * append-only. */
static gboolean
write_scores (Run     *run,
              GError **error)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO customer_rfm (customer_id, r_days, frequency, monetary,"
                                          " r_score, f_score, m_score, segment, computed_at)"
                                          " SELECT *, %" G_GINT64_FORMAT " FROM crm_rc_scores", run->now);
  gboolean ok;

  if (!crm_store_exec (run->store, "DELETE FROM customer_rfm", error))
    return FALSE;
  crm_store_attach_rows (run->store, "crm_rc_scores",
                         "customer_id, r_days, frequency, monetary, r_score, f_score, m_score, segment",
                         run->rows->data, run->rows->len, sizeof (CrmRfmRow), score_column);
  ok = crm_store_exec (run->store, sql, error);
  crm_store_detach_rows (run->store, "crm_rc_scores");
  if (!ok)
    return FALSE;

  for (guint i = 0; i < run->rows->len; i++)
    run->report->segments[g_array_index (run->rows, CrmRfmRow, i).segment]++;
  return TRUE;
}

/* Tiers and stages that this run changes.  Computed columns are local results, not user edits:
 * they are not journaled for sync, and their history has its own tables. */
static gboolean
write_tiers_and_stages (Run     *run,
                        GError **error)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));

  for (guint i = 0; i < run->customers->len; i++)
    {
      CustomerState *st = &g_array_index (run->customers, CustomerState, i);
      const CrmRfmRow *row = st->rfm_index >= 0 ? &g_array_index (run->rows, CrmRfmRow, st->rfm_index) : NULL;
      gint64 new_tier = st->override_tier ? st->override_tier : crm_tiers_evaluate (run->rules, row);
      Change ch = { 0 };

      run->report->stages[st->new_stage]++;
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
      ch.stage_at = st->new_stage == CRM_LIFECYCLE_PROSPECT ? run->as_of : (gint64) st->stage_since * DAY_MS;
      g_array_append_val (changes, ch);
      run->report->tier_changes += ch.tier_changed;
      run->report->lifecycle_changes += ch.stage_changed;
    }
  g_debug ("recompute: changes collected at %.3f s", g_timer_elapsed (run->timer, NULL));
  run_progress (run, 0.9);

  return changes->len == 0 ||
         write_changes (run->store, (const Change *) changes->data, changes->len, run->customers->len,
                        run->now, error);
}

static gboolean
write_run_settings (Run     *run,
                    GError **error)
{
  g_autofree char *as_of_text = g_strdup_printf ("%" G_GINT64_FORMAT, run->as_of);
  g_autofree char *now_text = g_strdup_printf ("%" G_GINT64_FORMAT, run->now);
  g_autofree char *cutoffs_text = crm_rfm_cutoffs_to_json (&run->cutoffs);

  /* New limits and the scores made with them are one change: a kill never leaves one alone. */
  return (!run->options->save || crm_recompute_options_save (run->options, run->store, error)) &&
         crm_store_set_setting (run->store, "rfm.as_of", as_of_text, error) &&
         crm_store_set_setting (run->store, "rfm.cutoffs", cutoffs_text, error) &&
         crm_store_set_setting (run->store, "rfm.computed_at", now_text, error);
}

/* Everything of a run between BEGIN and COMMIT. */
static gboolean
run_in_transaction (CrmStore  *store,
                    gpointer   data,
                    GError   **error)
{
  Run *run = data;
  gint64 n_customers;

  if (!(run->rules = crm_tiers_load_rules (run->store, error)))
    return FALSE;
  n_customers = crm_store_count (run->store, CRM_TYPE_CUSTOMER, error);
  if (n_customers < 0 || !read_customers (run, n_customers, run->alone, error))
    return FALSE;

  g_debug ("recompute: read %u customers, %u scored in %.3f s", run->customers->len, run->rows->len,
           g_timer_elapsed (run->timer, NULL));
  crm_rfm_score ((CrmRfmRow *) run->rows->data, run->rows->len, &run->cutoffs);
  g_debug ("recompute: scored at %.3f s", g_timer_elapsed (run->timer, NULL));
  run_progress (run, 0.75);

  if (!write_scores (run, error))
    return FALSE;
  run_progress (run, 0.85);

  if (!write_tiers_and_stages (run, error) || !write_run_settings (run, error))
    return FALSE;

  return !g_cancellable_set_error_if_cancelled (run->cancellable, error);
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
  g_autoptr(GTimer) timer = g_timer_new ();
  CrmRecomputeReport local_report = { 0 };
  Run run = { 0 };
  gboolean fk_off, ok;
  g_autoptr(CrmStoreOperation) operation = crm_store_operation_push (store, "recompute");

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

  run.store = store;
  run.options = options;
  run.progress = progress;
  run.user_data = user_data;
  run.cancellable = cancellable;
  run.report = report;
  run.timer = timer;
  run.customers = customers;
  run.rows = rows;
  run.now = crm_now_ms ();
  run.as_of = options->as_of ? options->as_of : run.now;
  run.window_start = run.as_of - (gint64) options->window_days * DAY_MS;
  run.today = day_of (run.as_of);

  /* Foreign keys are not checked in this transaction (the pragma only takes effect outside
   * one): the only reference it writes is customer_state.tier_id, and those ids come from the tiers
   * table and the overrides read inside the same write transaction.  Checking them costs more
   * than half of a first recompute's UPDATE (2.0 s of 3.9 s at 1M customers). */
  run.alone = crm_store_in_transaction (store);
  fk_off = !run.alone && crm_store_exec (store, "PRAGMA foreign_keys = OFF", NULL);
  ok = crm_store_transact (store, cancellable, run_in_transaction, &run, error);
  g_clear_pointer (&run.rules, g_array_unref);
  g_debug ("recompute: committed at %.3f s", g_timer_elapsed (timer, NULL));
  if (fk_off)
    crm_store_exec (store, "PRAGMA foreign_keys = ON", NULL);
  if (!ok)
    return FALSE;

  report->customers = customers->len;
  report->scored = rows->len;
  report->seconds = g_timer_elapsed (timer, NULL);
  run_progress (&run, 1.0);
  return TRUE;
}

typedef struct
{
  gboolean            stored;    /* read the options from the database */
  CrmRecomputeOptions options;
} RecomputeJob;

static gboolean
recompute_job (CrmJob    *job,
               CrmStore  *store,
               gpointer   data,
               GError   **error)
{
  RecomputeJob *rj = data;
  CrmRecomputeReport *report = g_new0 (CrmRecomputeReport, 1);

  if (rj->stored)
    crm_recompute_options_init (&rj->options, store);
  if (!crm_recompute (store, &rj->options, crm_job_progress_fraction, job, crm_job_get_cancellable (job),
                      report, error))
    {
      g_free (report);
      return FALSE;
    }
  crm_job_return_pointer (job, report, g_free);
  return TRUE;
}

void
crm_recompute_async (CrmSession                *session,
                     const CrmRecomputeOptions *options,
                     GCancellable              *cancellable,
                     CrmJobProgressFunc         progress,
                     gpointer                   progress_data,
                     GAsyncReadyCallback        callback,
                     gpointer                   user_data)
{
  RecomputeJob *rj = g_new0 (RecomputeJob, 1);
  CrmJob *job = crm_job_new (session, NULL, CRM_JOB_WRITE, cancellable, progress, progress_data,
                             callback, user_data);

  rj->stored = options == NULL;
  if (options != NULL)
    rj->options = *options;
  crm_job_run (job, recompute_job, rj, g_free);
}

gboolean
crm_recompute_finish (GAsyncResult        *result,
                      CrmRecomputeReport  *report,
                      GError             **error)
{
  g_autofree CrmRecomputeReport *found = crm_job_propagate_pointer (result, error);

  if (found == NULL)
    return FALSE;
  if (report != NULL)
    *report = *found;
  return TRUE;
}

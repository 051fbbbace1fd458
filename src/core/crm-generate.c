/* crm-generate.c: realistic synthetic shop data — the run.
 *
 * The people are made in crm-generate-people.c, their orders in crm-generate-orders.c
 * (crm-generate-private.h says who does what).
 *
 * How the data are made (and why):
 * - Our own PRNG (xoshiro256**, seeded through splitmix64), one stream per customer
 *   derived from (seed, customer index): the data depend only on the seed, @as_of
 *   and the database's next free ids — not on batch sizes, not on GLib's generator.
 * - Orders: opts->orders exactly.  12 % of customers are prospects (no orders),
 *   30 % buy once, the others repeat with a Pareto(α = 1.3) weight, so a few
 *   customers place many orders; each customer also has a price level, which makes
 *   spend per customer heavy-tailed.  Every buyer has an acquisition date, a
 *   regularity (gamma-distributed gaps of shape 1, 2 or 4, so some buy like
 *   clockwork and some in bursts) and thus their own mean gap; 35 % of repeat
 *   buyers churn at some date and 30 % of those come back after a pause.
 * - Aggregates (total spent, order count, first/last order over the statuses
 *   crm_store_update_customer_aggregates() counts) and the search keys are written
 *   with each customer row: no UPDATE per row afterwards.
 * - Everything is one transaction: a cancel or an error rolls back to the database
 *   as it was (batches only pace progress reports and cancel checks).  synchronous
 *   stays FULL (a run once turned it OFF, which a power cut during the commit could
 *   repay with a damaged file); a database without customers gets a rollback journal
 *   for the run, one with customers (opts->force) keeps WAL (tune_for_bulk() says why).
 *   Foreign-key checks (ids are ours) are off and the page cache is large for the run.
 * - A database that already holds customers is refused unless opts->force: sample
 *   customers mixed into real ones cannot be told apart afterwards.
 * - Nothing is written to the change journal: generated customers are local demo
 *   data and must never be pushed to a remote by sync.
 * - Order of work: all customers (with the customers' secondary indexes dropped
 *   when the table starts empty), then those indexes and the full-text index in
 *   one sorted pass each, then all orders and lines (16 rows per INSERT).  Each
 *   customer's orders come from their own stream, so they are made once for the
 *   aggregates and again, identically, when written.  The customers' part of the
 *   file is thus compact and its indexes consecutive: measured at 1M/10M, a cold
 *   open to first rows fell from 0.45–0.68 s to 0.11–0.13 s.
 * - UUIDs use the version 7 layout (RFC 9562): the 48-bit time is @as_of, then a
 *   table tag and seed bits, then the row id.  Within one run they grow with the
 *   row id, so the UNIQUE(uuid) indexes are appended to rather than written all
 *   over an index of tens of millions of entries that the cache cannot hold.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-generate-private.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "crm-customer.h"
#include "crm-text.h"

#define BATCH_CUSTOMERS 5000     /* progress and cancel granularity */
#define MAX_CUSTOMERS   G_GUINT64_CONSTANT (100000000)
#define MAX_ORDERS      G_GUINT64_CONSTANT (2000000000)
#define GEN_CACHE_KIB   524288    /* page cache while generating */

G_DEFINE_QUARK (crm-generate-error-quark, crm_generate_error)

/* ---- helpers ------------------------------------------------------------------- */

/* Days since 1970-01-01 → civil date (H. Hinnant's algorithm). */
void
crm_gen_civil_from_days (gint64  z,
                         int    *y,
                         int    *m,
                         int    *d)
{
  gint64 era, yoe, doy, mp;
  unsigned doe;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = (unsigned) (z - era * 146097);
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = (int) (doy - (153 * mp + 2) / 5 + 1);
  *m = (int) (mp < 10 ? mp + 3 : mp - 9);
  *y = (int) (yoe + era * 400 + (*m <= 2));
}

gint64
crm_gen_days_from_civil (int y,
                         int m,
                         int d)
{
  gint64 era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void
crm_gen_make_uuid (char     out[37],
                   gint64   as_of,
                   guint    table_tag,
                   guint64  seed_bits,
                   gint64   row_id)
{
  static const char hex[] = "0123456789abcdef";
  guint64 hi = ((guint64) as_of & G_GUINT64_CONSTANT (0xFFFFFFFFFFFF)) << 16 |
               0x7000 | (table_tag & 0xF) << 8 | (seed_bits & 0xFF);
  guint64 lo = G_GUINT64_CONSTANT (0x8000000000000000) |
               ((seed_bits >> 8) & 0x3FFFFF) << 40 |
               ((guint64) row_id & G_GUINT64_CONSTANT (0xFFFFFFFFFF));
  int pos = 0;

  for (int i = 15; i >= 0; i--)
    {
      if (pos == 8 || pos == 13 || pos == 18)
        out[pos++] = '-';
      out[pos++] = hex[(hi >> (i * 4)) & 0xF];
    }
  for (int i = 15; i >= 0; i--)
    {
      if (pos == 18 || pos == 23)
        out[pos++] = '-';
      out[pos++] = hex[(lo >> (i * 4)) & 0xF];
    }
  out[pos] = '\0';
}

gboolean
crm_gen_step (Gen           *g,
              sqlite3_stmt  *stmt,
              GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (g->store, rc, error);
  return TRUE;
}

static inline void
bind_text (sqlite3_stmt *stmt,
           int           i,
           const char   *text)
{
  if (text == NULL || *text == '\0')
    sqlite3_bind_null (stmt, i);
  else
    sqlite3_bind_text (stmt, i, text, -1, SQLITE_STATIC);
}

static inline void
bind_time (sqlite3_stmt *stmt,
           int           i,
           gint64        t)
{
  if (t == 0)
    sqlite3_bind_null (stmt, i);
  else
    sqlite3_bind_int64 (stmt, i, t);
}

static void
gen_free (Gen *g)
{
  g_clear_pointer (&g->people, crm_gen_people_free);
  g_clear_pointer (&g->catalogue, crm_gen_catalogue_free);
  g_clear_pointer (&g->orders, g_array_unref);
  g_clear_pointer (&g->positions, g_array_unref);
  g_clear_pointer (&g->terms, crm_search_pairs_free);
  g_clear_pointer (&g->tags, crm_search_pairs_free);
}

/* ---- one customer -------------------------------------------------------------- */

/* The stage the customer's story gives them, until a recompute says otherwise. */
static int
lifecycle_of (gint64            as_of,
              const GenHistory *h)
{
  if (h->order_count == 0)
    return CRM_LIFECYCLE_PROSPECT;
  if (as_of - h->first_at < 90 * DAY_MS)
    return CRM_LIFECYCLE_NEW;
  if (as_of - h->last_at > 365 * DAY_MS)
    return CRM_LIFECYCLE_CHURNED;
  if (h->returned && h->last_at >= h->returned_at)
    return CRM_LIFECYCLE_WON_BACK;
  if (as_of - h->last_at > MAX (120.0, 3 * h->mean_gap_days) * DAY_MS)
    return CRM_LIFECYCLE_AT_RISK;
  return CRM_LIFECYCLE_ACTIVE;
}

static gboolean
insert_customer (Gen               *g,
                 gint64             id,
                 const GenPerson   *p,
                 int                gender,
                 const GenHistory  *h,
                 gint64             created_at,
                 gint64             updated_at,
                 gint64             email_consent_at,
                 gint64             sms_consent_at,
                 GError           **error)
{
  sqlite3_stmt *st = g->ins_customer;
  CrmSearchKeys keys;
  gboolean ok;
  int k = 0;

  crm_search_keys_init (&keys, p->phone, p->email);
  sqlite3_bind_int64 (st, ++k, id);
  sqlite3_bind_text (st, ++k, p->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, ++k, created_at);
  sqlite3_bind_int64 (st, ++k, updated_at);
  bind_text (st, ++k, p->name);
  sqlite3_bind_int (st, ++k, gender);
  bind_text (st, ++k, p->birthday);
  bind_text (st, ++k, p->phone);
  bind_text (st, ++k, p->email);
  bind_text (st, ++k, p->company);
  bind_text (st, ++k, p->occupation);
  bind_text (st, ++k, p->address);
  bind_text (st, ++k, p->city);
  bind_text (st, ++k, p->region);
  bind_text (st, ++k, p->country);
  bind_text (st, ++k, p->postal);
  bind_text (st, ++k, p->source);
  bind_text (st, ++k, p->tags);
  bind_text (st, ++k, p->note);
  sqlite3_bind_int (st, ++k, email_consent_at != 0);
  bind_time (st, ++k, email_consent_at);
  sqlite3_bind_int (st, ++k, sms_consent_at != 0);
  bind_time (st, ++k, sms_consent_at);
  bind_text (st, ++k, p->owner);
  sqlite3_bind_int64 (st, ++k, h->total_spent);
  sqlite3_bind_int64 (st, ++k, h->order_count);
  bind_time (st, ++k, h->first_at);
  bind_time (st, ++k, h->last_at);
  crm_search_keys_bind (&keys, st, k + 1);
  ok = crm_gen_step (g, st, error);
  crm_search_keys_clear (&keys);
  return ok;
}

static gboolean
make_customer (Gen      *g,
               guint64   index,
               GError  **error)
{
  gint64 id = g->first_customer_id + (gint64) index;
  gint64 as_of = g->as_of;
  gint64 history = HISTORY_DAYS * DAY_MS;
  GenPerson p;
  GenHistory h;
  Rng r;
  gboolean zh_name;
  int gender, lifecycle;
  gint64 created_at, updated_at;
  gint64 email_consent_at = 0, sms_consent_at = 0;

  rng_seed (&r, g->seed, index);
  /* The orders are made here for the aggregates, and made again, identically
   * from their own stream, when they are written after all customers. */
  crm_gen_history (g, index, crm_gen_customer_orders (g, &r), &h);
  zh_name = rng_chance (&r, 0.6);
  gender = crm_gen_pick_gender (&r);
  crm_gen_make_person (g, &r, &p, id, zh_name, gender);

  if (h.n > 0)
    created_at = h.acquired_at - (gint64) rng_below (&r, 30 * 24) * 3600000;
  else
    created_at = as_of - (gint64) (rng_double (&r) * history);
  updated_at = h.n > 0 ? MAX (created_at, h.last_placed_at) : created_at;
  lifecycle = lifecycle_of (as_of, &h);

  crm_gen_make_birthday (g, &r, &p);
  crm_gen_make_work (&r, &p);
  crm_gen_make_tags (&r, &p, as_of, &h, lifecycle);
  if (p.email[0] && rng_chance (&r, 0.55))
    email_consent_at = MIN (as_of, created_at + (gint64) rng_below (&r, 30 * 24) * 3600000);
  if (p.phone[0] && rng_chance (&r, 0.4))
    sms_consent_at = MIN (as_of, created_at + (gint64) rng_below (&r, 30 * 24) * 3600000);
  crm_gen_make_source_owner (g, &r, &p);
  crm_gen_make_uuid (p.uuid, as_of, 1, g->seed_bits, id);

  if (!insert_customer (g, id, &p, gender, &h, created_at, updated_at, email_consent_at, sms_consent_at, error))
    return FALSE;

  sqlite3_bind_int64 (g->ins_state, 1, id);
  sqlite3_bind_int (g->ins_state, 2, lifecycle);
  if (!crm_gen_step (g, g->ins_state, error))
    return FALSE;

  /* The same rows crm_store_index_customer() writes, kept to be written in key order. */
  crm_search_pairs_add_text (g->terms, id, p.name);
  crm_search_pairs_add_text (g->tags, id, p.tags);

  g->info.customers_done++;
  return TRUE;
}

/* ---- the run --------------------------------------------------------------------- */

typedef struct
{
  gboolean  saved;
  char     *journal_mode;   /* to go back to, when the run switched it */
  gint64    foreign_keys;
  gint64    cache_size;
} SavedPragmas;

/* Only while no transaction is open (pragmas cannot change inside one).  synchronous
 * stays as the store set it (FULL): every commit is durable.  Foreign-key checks (the ids
 * are ours) and the page cache size are for the run only.
 *
 * The journal: a database without customers — the only kind a run without opts->force
 * writes to — gets a rollback journal for the run, still with synchronous=FULL, so as
 * durable as WAL: pages new to the file need no journal, where WAL would write every
 * page twice (to the log, then to the file at the checkpoint).  Measured at 100,000
 * customers / 1M orders: 46 s with it, 52–67 s keeping WAL (a loaded machine; system
 * time 3.4–3.7 s against 5.7–6.1 s).  The switch fails harmlessly, and WAL stays, while
 * another connection has the file open.  A database that holds customers (opts->force)
 * keeps WAL: other programs go on reading it meanwhile.  Nothing is switched before the
 * check that refuses a database with customers, which must leave the file untouched. */
static void
tune_for_bulk (sqlite3      *db,
               SavedPragmas *s)
{
  g_autofree char *sql = NULL;

  if (!sqlite3_get_autocommit (db))
    return;
  s->saved = TRUE;
  s->foreign_keys = crm_db_query_int64 (db, "PRAGMA foreign_keys", 1);
  s->cache_size = crm_db_query_int64 (db, "PRAGMA cache_size", -2000);
  sql = g_strdup_printf ("PRAGMA foreign_keys = OFF; PRAGMA cache_size = -%d;", GEN_CACHE_KIB);
  sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (crm_db_query_int64 (db, "SELECT EXISTS (SELECT 1 FROM customers)", 1) == 0)
    {
      g_autofree char *mode = crm_db_query_text (db, "PRAGMA journal_mode");
      g_autofree char *now = crm_db_query_text (db, "PRAGMA journal_mode = TRUNCATE");

      g_debug ("generate: journal mode %s", now ? now : "(unchanged)");
      if (now != NULL && g_ascii_strcasecmp (now, "truncate") == 0 && mode != NULL &&
          g_ascii_strcasecmp (mode, "truncate") != 0)
        s->journal_mode = g_steal_pointer (&mode);
    }
}

static void
restore_pragmas (sqlite3      *db,
                 SavedPragmas *s)
{
  g_autofree char *sql = NULL;

  if (!s->saved)
    return;
  sql = g_strdup_printf ("PRAGMA foreign_keys = %" G_GINT64_FORMAT "; PRAGMA cache_size = %" G_GINT64_FORMAT ";",
                         s->foreign_keys, s->cache_size);
  sqlite3_exec (db, sql, NULL, NULL, NULL);
  /* The saved mode is a keyword SQLite itself returned ("wal", "delete", ...). */
  if (s->journal_mode != NULL)
    {
      g_autofree char *set = g_strdup_printf ("PRAGMA journal_mode = %s", s->journal_mode);
      g_autofree char *mode = crm_db_query_text (db, set);

      if (mode == NULL || g_ascii_strcasecmp (mode, s->journal_mode) != 0)
        g_warning ("Could not set the journal mode of the database back to %s", s->journal_mode);
    }
  g_clear_pointer (&s->journal_mode, g_free);
  s->saved = FALSE;
}

static void
report (Gen                 *g,
        CrmGenerateProgress  progress,
        gpointer             user_data,
        CrmGeneratePhase     phase)
{
  g->info.phase = phase;
  if (progress != NULL)
    progress (&g->info, user_data);
}

static gboolean
check_options (const CrmGenerateOptions  *opts,
               GCancellable              *cancellable,
               GError                   **error)
{
  if (opts->customers > MAX_CUSTOMERS || opts->orders > MAX_ORDERS)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("Too much sample data asked for: at most %" PRIu64 " customers and %"
                     PRIu64 " orders"), MAX_CUSTOMERS, MAX_ORDERS);
      return FALSE;
    }
  if (opts->orders > 0 && opts->customers == 0)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("Orders need customers: ask for at least one customer"));
      return FALSE;
    }
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static void
gen_init (Gen                      *g,
          CrmStore                 *store,
          const CrmGenerateOptions *opts)
{
  int y, m, d;

  g->store = store;
  g->db = crm_store_get_db (store);
  g->seed = opts->seed;
  g->seed_bits = splitmix64 (&(guint64) { opts->seed });
  g->as_of = opts->as_of != 0 ? opts->as_of : crm_now_ms ();
  crm_gen_civil_from_days (g->as_of / DAY_MS, &y, &m, &d);
  g->as_of_year = y;
  g->n_customers = opts->customers;
  g->n_orders = opts->orders;
  g->info.customers_total = opts->customers;
  g->info.orders_total = opts->orders;
  g->orders = g_array_new (FALSE, FALSE, sizeof (GenOrder));
  g->positions = g_array_new (FALSE, FALSE, sizeof (double));
  g->people = crm_gen_people_new ();
  g->catalogue = crm_gen_catalogue_new ();
  crm_gen_plan_allocation (g);
}

/* Sample customers mixed into a shop's own could not be told apart afterwards. */
static gboolean
check_empty (Gen                      *g,
             const CrmGenerateOptions *opts,
             GError                  **error)
{
  g_autofree char *count = NULL;
  gint64 n;

  if (opts->force)
    return TRUE;
  n = crm_db_query_int64 (g->db, "SELECT count(*) FROM customers", -1);
  if (n == 0)
    return TRUE;
  if (n < 0)
    return crm_store_set_error (g->store, sqlite3_errcode (g->db), error);

  count = g_strdup_printf ("%" G_GINT64_FORMAT, n);
  g_set_error (error, CRM_GENERATE_ERROR, CRM_GENERATE_ERROR_NOT_EMPTY,
               g_dngettext (GETTEXT_PACKAGE,
                            "“%s” already holds %s customer (deleted ones count too): sample data are "
                            "only added to a database without customers. Nothing was added.",
                            "“%s” already holds %s customers (deleted ones count too): sample data are "
                            "only added to a database without customers. Nothing was added.",
                            (gulong) MIN (n, G_MAXLONG)),
               crm_store_get_path (g->store), count);
  return FALSE;
}

/* Inside the transaction: the ids, the currency, the statements, and the triggers and
 * indexes set aside until the customers are in. */
static gboolean
prepare_run (Gen        *g,
             GPtrArray  *fts_trigger,
             char      **state_trigger,
             GPtrArray **index_sql,
             GError    **error)
{
  CrmStore *store = g->store;

  g->first_customer_id = crm_db_query_int64 (g->db, "SELECT coalesce(max(id), 0) + 1 FROM customers", 1);
  g->ids_below_1e7 = g->first_customer_id + (gint64) g->n_customers - 1 <= 10000000;
  g->terms = crm_search_pairs_new (CRM_SEARCH_TERMS, g->first_customer_id);
  g->tags = crm_search_pairs_new (CRM_SEARCH_TAGS, g->first_customer_id);
  g->next_order_id = crm_db_query_int64 (g->db, "SELECT coalesce(max(id), 0) + 1 FROM orders", 1);
  g->next_line_id = crm_db_query_int64 (g->db, "SELECT coalesce(max(id), 0) + 1 FROM order_lines", 1);

  /* The orders are in yuan: a shop that had none yet now counts in CNY (the UI
   * shows amounts in the database's currency); an existing one keeps its own. */
  if (!crm_store_exec (store, g->next_order_id == 1
                              ? "INSERT OR REPLACE INTO settings (key, value) VALUES ('currency', 'CNY')"
                              : "INSERT OR IGNORE INTO settings (key, value) VALUES ('currency', 'CNY')",
                       error))
    return FALSE;
  crm_store_note_setting (store, "currency");

  if (!(g->ins_customer = crm_store_prepare (store,
          "INSERT INTO customers (id, uuid, created_at, updated_at, name, gender, birthday, phone, email,"
          " company, occupation, address, city, region, country, postal_code, source, tags, notes,"
          " email_consent, email_consent_at, sms_consent, sms_consent_at, owner,"
          " total_spent, order_count, first_order_at, last_order_at, " CRM_SEARCH_KEY_COLUMNS ")"
          " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", error)) ||
      !(g->ins_state = crm_store_prepare (store,
          "INSERT INTO customer_state (customer_id, lifecycle) VALUES (?, ?)", error)) ||
      !crm_gen_prepare_orders (g, error))
    return FALSE;

  /* FTS5 flushes its pending terms at every statement savepoint, and each row
   * insert through the trigger opens one: row by row the index costs 10× more
   * than filling it with one statement at the end (measured: 4.6 s against 0.3 s
   * per 100k customers).  The trigger is restored in the same transaction. */
  if (!crm_search_suspend_fts (store, FALSE, fts_trigger, error))
    return FALSE;
  /* Each customer's state row is written with its stage, not made empty by the trigger. */
  *state_trigger = crm_db_query_text (g->db, "SELECT sql FROM sqlite_master WHERE type = 'trigger'"
                                      " AND name = 'customers_state_ai'");
  if (*state_trigger != NULL && !crm_store_exec (store, "DROP TRIGGER customers_state_ai", error))
    return FALSE;

  /* Into a table that is empty (or small next to what comes), the customers'
   * secondary indexes are built after the rows: sorted, and so in consecutive
   * pages.  Filled row by row their pages end up scattered over the customers'
   * part of the file, and a cold start then reads the name index at random
   * (measured at 1M customers: 0.45–0.68 s to the first rows instead of ~0.1 s). */
  if (crm_db_query_int64 (g->db, "SELECT count(*) FROM customers", 0) < (gint64) g->n_customers &&
      !crm_store_drop_objects (store, "INDEX", "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                                               " AND tbl_name = 'customers'",
                               (*index_sql = g_ptr_array_new_with_free_func (g_free)), error))
    return FALSE;

  return TRUE;
}

/* Customers (first == TRUE) or their orders, in batches between which progress is
 * reported and a cancel is noticed. */
static gboolean
write_pass (Gen                  *g,
            gboolean              customers,
            CrmGenerateProgress   progress,
            gpointer              user_data,
            GCancellable         *cancellable,
            GError              **error)
{
  for (guint64 i = 0; i < g->n_customers; i++)
    {
      if (customers ? !make_customer (g, i, error) : !crm_gen_write_orders (g, i, error))
        return FALSE;

      if ((i + 1) % BATCH_CUSTOMERS == 0 || i + 1 == g->n_customers)
        {
          report (g, progress, user_data, CRM_GENERATE_PHASE_WRITING);
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* The search rows, the indexes and triggers set aside: SQLite's own loops, which the
 * cancellable stops through the store's progress handler. */
static gboolean
build_indexes (Gen           *g,
               GPtrArray     *fts_trigger,
               const char    *state_trigger,
               GPtrArray     *index_sql,
               GCancellable  *cancellable,
               GError       **error)
{
  CrmStore *store = g->store;
  gboolean ok;

  crm_store_set_cancellable (store, cancellable);
  ok = crm_search_pairs_write (g->terms, store, error) &&
       crm_search_pairs_write (g->tags, store, error) &&
       (index_sql == NULL || crm_store_create_indexes (store, index_sql, error)) &&
       (fts_trigger->len == 0 || crm_search_resume_fts (store, g->first_customer_id, fts_trigger, error)) &&
       (state_trigger == NULL || crm_store_exec (store, state_trigger, error));
  crm_store_set_cancellable (store, NULL);

  if (!ok && g_cancellable_is_cancelled (cancellable))
    {
      g_clear_error (error);
      g_cancellable_set_error_if_cancelled (cancellable, error);
    }
  return ok;
}

gboolean
crm_generate (CrmStore                  *store,
              const CrmGenerateOptions  *opts,
              CrmGenerateProgress        progress,
              gpointer                   user_data,
              GCancellable              *cancellable,
              GError                   **error)
{
  Gen g = { 0 };
  SavedPragmas saved = { 0 };
  g_autoptr(GPtrArray) fts_trigger = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *state_trigger = NULL;
  g_autoptr(GPtrArray) index_sql = NULL;
  g_autoptr(CrmStoreOperation) operation = NULL;
  gboolean ok = FALSE;
  gboolean in_tx = FALSE;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (opts != NULL, FALSE);
  operation = crm_store_operation_push (store, "generate");

  if (!check_options (opts, cancellable, error))
    return FALSE;

  gen_init (&g, store, opts);
  tune_for_bulk (g.db, &saved);

  if (!crm_store_begin (store, error))
    goto out;
  in_tx = TRUE;

  if (!check_empty (&g, opts, error) ||
      !prepare_run (&g, fts_trigger, &state_trigger, &index_sql, error))
    goto out;

  report (&g, progress, user_data, CRM_GENERATE_PHASE_WRITING);
  if (!write_pass (&g, TRUE, progress, user_data, cancellable, error))
    goto out;

  report (&g, progress, user_data, CRM_GENERATE_PHASE_INDEXING);
  if (!build_indexes (&g, fts_trigger, state_trigger, index_sql, cancellable, error))
    goto out;

  crm_gen_restart_allocation (&g);
  if (!write_pass (&g, FALSE, progress, user_data, cancellable, error) || !crm_gen_flush (&g, error))
    goto out;
  g_assert (g.info.orders_done == g.n_orders);

  report (&g, progress, user_data, CRM_GENERATE_PHASE_COMMITTING);
  if (!crm_store_commit (store, error))
    goto out;
  in_tx = FALSE;
  ok = TRUE;

out:
  if (in_tx)
    crm_store_rollback (store);
  restore_pragmas (g.db, &saved);
  if (ok)
    report (&g, progress, user_data, CRM_GENERATE_PHASE_DONE);
  gen_free (&g);
  return ok;
}

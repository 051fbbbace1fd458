/* test-generate.c: the synthetic data generator — exact counts, determinism, data a
 * shop would recognise, keys and aggregates the store itself would write, and a
 * cancel that leaves the database as it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-search.h"
#include "crm-test-util.h"

#include <math.h>
#include <string.h>

#include "crm-customer.h"
#include "crm-generate.h"
#include "crm-store.h"
#include "crm-text.h"

#define AS_OF_SQL "1735689599999"                   /* 2024-12-31 23:59:59.999 UTC */
#define AS_OF G_GINT64_CONSTANT (1735689599999)
#define DAY_MS G_GINT64_CONSTANT (86400000)

static CrmStore *
new_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = crm_test_db_path ();
  CrmStore *store = crm_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static gint64
q_int (CrmStore   *store,
       const char *sql)
{
  return crm_test_query_int (store, sql);
}

static char *
q_text (CrmStore   *store,
        const char *sql)
{
  return crm_test_query_text (store, sql);
}

/* A digest of every column of every row of @sql, to compare two databases. */
static char *
digest (CrmStore   *store,
        const char *sql)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (crm_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    for (int i = 0; i < sqlite3_column_count (stmt); i++)
      {
        const guchar *t = sqlite3_column_text (stmt, i);
        g_checksum_update (sum, t ? t : (const guchar *) "\x01NULL", -1);
        g_checksum_update (sum, (const guchar *) "\x1f", 1);
      }
  sqlite3_finalize (stmt);
  return g_strdup (g_checksum_get_string (sum));
}

typedef struct
{
  guint                   calls;
  CrmGenerateProgressInfo last;
  GCancellable           *cancel_after_first_batch;
  GCancellable           *cancel_when_indexing;
  guint64                 last_customers;
  gboolean                monotonic;
  CrmStore               *check_durability;   /* asserts synchronous=FULL while writing */
  gboolean                expect_wal;         /* … and the WAL journal */
  guint                   durability_checked;
} Progress;

static void
on_progress (const CrmGenerateProgressInfo *info,
             gpointer                       user_data)
{
  Progress *p = user_data;

  p->calls++;
  if (info->customers_done < p->last_customers)
    p->monotonic = FALSE;
  p->last_customers = info->customers_done;
  p->last = *info;
  if (p->cancel_after_first_batch != NULL && info->customers_done > 0)
    g_cancellable_cancel (p->cancel_after_first_batch);
  if (p->cancel_when_indexing != NULL && info->phase == CRM_GENERATE_PHASE_INDEXING)
    g_cancellable_cancel (p->cancel_when_indexing);
  if (p->check_durability != NULL && info->phase == CRM_GENERATE_PHASE_WRITING)
    {
      g_autofree char *mode = crm_test_query_text (p->check_durability, "PRAGMA journal_mode");

      if (p->expect_wal)
        g_assert_cmpstr (mode, ==, "wal");
      g_assert_cmpint (crm_test_query_int (p->check_durability, "PRAGMA synchronous"), ==, 2);
      p->durability_checked++;
    }
}

static void
generate_full (CrmStore *store,
               guint64   customers,
               guint64   orders,
               guint64   seed,
               gboolean  force,
               Progress *progress)
{
  g_autoptr(GError) error = NULL;
  CrmGenerateOptions opts = { customers, orders, seed, AS_OF, force };

  g_assert_true (crm_generate (store, &opts, progress ? on_progress : NULL, progress, NULL, &error));
  g_assert_no_error (error);
}

/* Into a database without customers. */
static void
generate (CrmStore *store,
          guint64   customers,
          guint64   orders,
          guint64   seed,
          Progress *progress)
{
  generate_full (store, customers, orders, seed, FALSE, progress);
}

/* Into one that may hold customers already (--force). */
static void
generate_more (CrmStore *store,
               guint64   customers,
               guint64   orders,
               guint64   seed)
{
  generate_full (store, customers, orders, seed, TRUE, NULL);
}

static void
test_exact_counts (void)
{
  g_autoptr(CrmStore) store = new_store ();
  Progress progress = { .monotonic = TRUE };
  gint64 lines;

  generate (store, 700, 7001, 1, &progress);

  g_assert_cmpint (crm_store_count (store, CRM_TYPE_CUSTOMER, NULL), ==, 700);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM orders"), ==, 7001);
  lines = q_int (store, "SELECT count(*) FROM order_lines");
  g_assert_cmpint (lines, >=, 7001);
  g_assert_cmpint (lines, <=, 4 * 7001);

  /* The progress reports add up to what is in the database and end with DONE. */
  g_assert_true (progress.monotonic);
  g_assert_cmpint (progress.last.phase, ==, CRM_GENERATE_PHASE_DONE);
  g_assert_cmpuint (progress.last.customers_done, ==, 700);
  g_assert_cmpuint (progress.last.orders_done, ==, 7001);
  g_assert_cmpuint (progress.last.lines_done, ==, (guint64) lines);

  /* Whatever the ratio, the orders add up exactly. */
  {
    g_autoptr(CrmStore) few = new_store ();
    g_autoptr(CrmStore) many = new_store ();
    g_autoptr(CrmStore) none = new_store ();

    generate (few, 1000, 10, 2, NULL);     /* fewer orders than buyers */
    g_assert_cmpint (q_int (few, "SELECT count(*) FROM orders"), ==, 10);
    g_assert_cmpint (q_int (few, "SELECT count(DISTINCT customer_id) FROM orders"), ==, 10);
    generate (many, 3, 2000, 3, NULL);     /* a handful of very loyal customers */
    g_assert_cmpint (q_int (many, "SELECT count(*) FROM orders"), ==, 2000);
    generate (none, 50, 0, 4, NULL);
    g_assert_cmpint (q_int (none, "SELECT count(*) FROM orders"), ==, 0);
    g_assert_cmpint (q_int (none, "SELECT count(*) FROM customer_state WHERE lifecycle = 0"), ==, 50);
  }
}

static const char *const dump_sql[] = {
  "SELECT * FROM customers ORDER BY id",
  "SELECT * FROM orders ORDER BY id",
  "SELECT * FROM order_lines ORDER BY id",
  "SELECT * FROM customer_terms ORDER BY 1, 2",
  "SELECT * FROM customer_tags ORDER BY 1, 2",
};

static void
test_deterministic (void)
{
  g_autoptr(CrmStore) a = new_store ();
  g_autoptr(CrmStore) b = new_store ();
  g_autoptr(CrmStore) c = new_store ();

  generate (a, 300, 2500, 42, NULL);
  generate (b, 300, 2500, 42, NULL);
  generate (c, 300, 2500, 43, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (dump_sql); i++)
    {
      g_autofree char *da = digest (a, dump_sql[i]);
      g_autofree char *db = digest (b, dump_sql[i]);
      g_autofree char *dc = digest (c, dump_sql[i]);

      g_assert_cmpstr (da, ==, db);
      g_assert_cmpstr (da, !=, dc);
    }
}

/* What the store computes itself must equal what the generator wrote. */
static void
test_aggregates_match_store (void)
{
  g_autoptr(CrmStore) store = new_store ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  const char *sql = "SELECT id, total_spent, order_count, first_order_at, last_order_at FROM customers ORDER BY id";
  gint64 n;

  generate (store, 400, 4000, 5, NULL);
  /* some cancelled and refunded orders, which must not count */
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM orders WHERE status = 'cancelled'"), >, 0);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM orders WHERE status = 'refunded'"), >, 0);

  before = digest (store, sql);
  n = q_int (store, "SELECT max(id) FROM customers");
  for (gint64 id = 1; id <= n; id++)
    {
      g_assert_true (crm_store_update_customer_aggregates (store, id, &error));
      g_assert_no_error (error);
    }
  after = digest (store, sql);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (q_int (store, "SELECT sum(total_spent) FROM customers"), >, 0);
}

/* Phone/e-mail keys, short-query terms and tags as crm_store_index_customer() writes them. */
static void
test_search_keys_match_store (void)
{
  g_autoptr(CrmStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *keys_before = NULL, *terms_before = NULL, *tags_before = NULL;
  g_autofree char *keys_after = NULL, *terms_after = NULL, *tags_after = NULL;
  const char *keys_sql = "SELECT id, phone_digits, phone_rev, email_key, email_domain FROM customers ORDER BY id";
  const char *terms_sql = "SELECT * FROM customer_terms ORDER BY 1, 2";
  const char *tags_sql = "SELECT * FROM customer_tags ORDER BY 1, 2";
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  generate (store, 500, 1000, 6, NULL);
  keys_before = digest (store, keys_sql);
  terms_before = digest (store, terms_sql);
  tags_before = digest (store, tags_sql);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM customer_terms"), >, 500);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM customer_tags"), >, 0);

  for (gint64 id = 1; id <= 500; id++)
    g_array_append_val (ids, id);
  all = crm_store_load_many (store, CRM_TYPE_CUSTOMER, (gint64 *) (gpointer) ids->data, ids->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 500);
  for (guint i = 0; i < all->len; i++)
    {
      CrmCustomer *c = g_ptr_array_index (all, i);

      g_assert_true (crm_store_index_customer (store, crm_entity_get_id (CRM_ENTITY (c)),
                                               crm_customer_get_name (c), crm_customer_get_phone (c),
                                               crm_customer_get_email (c), crm_customer_get_tags (c),
                                               TRUE, &error));
      g_assert_no_error (error);
    }

  keys_after = digest (store, keys_sql);
  terms_after = digest (store, terms_sql);
  tags_after = digest (store, tags_sql);
  g_assert_cmpstr (keys_before, ==, keys_after);
  g_assert_cmpstr (terms_before, ==, terms_after);
  g_assert_cmpstr (tags_before, ==, tags_after);
}

static void
test_fts_and_trigger (void)
{
  g_autoptr(CrmStore) store = new_store ();
  g_autoptr(CrmCustomer) added = crm_customer_new ();
  g_autoptr(GError) error = NULL;
  gint64 with_company;

  generate (store, 600, 600, 7, NULL);

  /* The full-text index holds every generated customer... */
  g_assert_true (crm_store_exec (store, "INSERT INTO customers_fts (customers_fts) VALUES ('integrity-check')", &error));
  g_assert_no_error (error);
  with_company = q_int (store, "SELECT count(*) FROM customers WHERE company LIKE '%有限公司%'");
  g_assert_cmpint (with_company, >, 0);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH '\"有限公司\"'"),
                   ==, with_company);

  /* ...and the store's trigger is back: a customer added afterwards is found too. */
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'customers_fts_ai'"), ==, 1);
  crm_customer_set_name (added, "Zyxwvut Testperson");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (added), &error));
  g_assert_no_error (error);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH 'xwvut'"), ==, 1);
}

static void
test_realistic (void)
{
  g_autoptr(CrmStore) store = new_store ();
  sqlite3_stmt *stmt = NULL;
  guint n = 0, cjk = 0, cjk_two = 0, compound = 0, with_email = 0;
  g_autoptr(GHashTable) emails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 total, top;

  generate (store, 5000, 40000, 8, NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (crm_store_get_db (store),
                                       "SELECT name, phone, email, birthday, country FROM customers", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      const char *phone = (const char *) sqlite3_column_text (stmt, 1);
      const char *email = (const char *) sqlite3_column_text (stmt, 2);
      const char *birthday = (const char *) sqlite3_column_text (stmt, 3);
      const char *country = (const char *) sqlite3_column_text (stmt, 4);
      g_autoptr(GError) error = NULL;

      n++;
      /* everything the store would accept from a user */
      g_assert_true (crm_text_validate (name, -1, 200, "Name", &error));
      g_assert_true (crm_text_check_phone (phone, &error));
      g_assert_true (crm_text_check_email (email, &error));
      g_assert_true (crm_text_check_date (birthday, &error));
      g_assert_no_error (error);

      if (crm_text_is_cjk (g_utf8_get_char (name)))
        {
          cjk++;
          cjk_two += g_utf8_strlen (name, -1) == 2;
          compound += g_str_has_prefix (name, "欧阳") || g_str_has_prefix (name, "司马") ||
                      g_str_has_prefix (name, "上官") || g_str_has_prefix (name, "诸葛") ||
                      g_str_has_prefix (name, "司徒");
        }
      if (phone != NULL && g_strcmp0 (country, "中国") == 0)
        {
          /* +86 1xx xxxx xxxx */
          g_assert_true (g_str_has_prefix (phone, "+86 1"));
          g_assert_cmpuint (strlen (phone), ==, 17);
        }
      if (email != NULL)
        {
          with_email++;
          g_hash_table_add (emails, g_ascii_strdown (email, -1));
        }
    }
  sqlite3_finalize (stmt);

  g_assert_cmpuint (n, ==, 5000);
  g_assert_cmpuint (cjk, >, n * 55 / 100);
  g_assert_cmpuint (cjk, <, n * 65 / 100);
  g_assert_cmpuint (cjk_two, >, cjk / 5);            /* two-character names are common */
  g_assert_cmpuint (compound, >, 0);
  g_assert_cmpuint (g_hash_table_size (emails), ==, with_email);   /* unique */

  /* A city lies in one region of one country. */
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM (SELECT city FROM customers GROUP BY city"
                                 " HAVING count(DISTINCT region) > 1 OR count(DISTINCT country) > 1)"), ==, 0);
  g_assert_cmpint (q_int (store, "SELECT count(DISTINCT city) FROM customers"), >=, 30);

  /* Orders: several channels, statuses, CNY, lines adding up. */
  g_assert_cmpint (q_int (store, "SELECT count(DISTINCT channel) FROM orders"), ==, 5);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM orders WHERE status = 'completed'"), >, 40000 * 8 / 10);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM orders WHERE currency != 'CNY'"), ==, 0);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM order_lines WHERE amount != unit_price * quantity"), ==, 0);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM orders o WHERE subtotal !="
                                 " (SELECT sum(amount) FROM order_lines WHERE order_id = o.id)"), ==, 0);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM orders WHERE total != subtotal - discount + shipping + tax"), ==, 0);
  g_assert_cmpint (q_int (store, "SELECT max(n) FROM (SELECT count(*) AS n FROM order_lines GROUP BY order_id)"), ==, 4);
  g_assert_cmpint (q_int (store, "SELECT count(DISTINCT sku) FROM order_lines"), >, 150);
  g_assert_cmpint (q_int (store, "SELECT count(DISTINCT category) FROM order_lines"), ==, 12);
  g_assert_cmpint (q_int (store, "SELECT max(placed_at) FROM orders"), <=, AS_OF);
  /* order lines name the product in the customer's language */
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM order_lines l JOIN orders o ON o.id = l.order_id"
                                 " JOIN customers c ON c.id = o.customer_id"
                                 " WHERE (unicode (c.name) >= 13312) != (unicode (l.product) >= 13312)"), ==, 0);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM order_lines WHERE unicode (product) < 128"), >, 0);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM orders WHERE placed_at < created_at OR updated_at < created_at"), ==, 0);

  /* Pareto: the best fifth of the buyers spend most of the money. */
  total = q_int (store, "SELECT sum(total_spent) FROM customers");
  top = q_int (store, "SELECT sum(total_spent) FROM (SELECT total_spent FROM customers WHERE order_count > 0"
                      " ORDER BY total_spent DESC LIMIT (SELECT count(*) / 5 FROM customers WHERE order_count > 0))");
  g_assert_cmpint (top, >, total / 2);

  /* Rhythms: some buyers stop (churn), some come back after a long pause, and the
   * mean gap differs widely from one buyer to the next. */
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM customers WHERE order_count >= 3"
                                 " AND last_order_at < " AS_OF_SQL " - 365 * 86400000"), >, 20);
  g_assert_cmpint (q_int (store, "SELECT count(DISTINCT customer_id) FROM (SELECT customer_id, placed_at -"
                                 " lag(placed_at) OVER (PARTITION BY customer_id ORDER BY placed_at) AS gap,"
                                 " count(*) OVER (PARTITION BY customer_id) AS n FROM orders)"
                                 " WHERE gap > 180 * 86400000 AND n >= 6"), >, 20);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM customer_state WHERE lifecycle = 5"), >, 0);   /* won back */
  {
    sqlite3_stmt *gaps = NULL;
    double sum = 0, sum2 = 0, k = 0, mean, sd;

    g_assert_cmpint (sqlite3_prepare_v2 (crm_store_get_db (store),
                                         "SELECT (last_order_at - first_order_at) / (order_count - 1) / 86400000.0"
                                         " FROM customers WHERE order_count >= 4", -1, &gaps, NULL), ==, SQLITE_OK);
    while (sqlite3_step (gaps) == SQLITE_ROW)
      {
        double g = sqlite3_column_double (gaps, 0);
        sum += g;
        sum2 += g * g;
        k++;
      }
    sqlite3_finalize (gaps);
    g_assert_cmpfloat (k, >, 500);
    mean = sum / k;
    sd = sqrt (MAX (0.0, sum2 / k - mean * mean));
    g_assert_cmpfloat (sd / mean, >, 0.5);
  }

  /* Consent flags carry their time; e-mail consent needs an e-mail address. */
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM customers WHERE email_consent = 1"), >, 0);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM customers WHERE (email_consent = 1) != (email_consent_at IS NOT NULL)"
                                 " OR (sms_consent = 1) != (sms_consent_at IS NOT NULL)"), ==, 0);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM customers WHERE email_consent = 1 AND email IS NULL"), ==, 0);
  g_assert_cmpint (q_int (store, "SELECT count(DISTINCT owner) FROM customers"), >=, 10);
  g_assert_cmpint (q_int (store, "SELECT count(DISTINCT source) FROM customers"), >=, 5);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM customers WHERE tags LIKE '%VIP%'"), >, 0);
  g_assert_cmpint (q_int (store, "SELECT count(DISTINCT gender) FROM customers"), ==, 4);

  /* UUIDs look like UUIDs and are unique. */
  {
    g_autofree char *u = q_text (store, "SELECT uuid FROM order_lines LIMIT 1");
    g_assert_true (g_uuid_string_is_valid (u));
  }
}

static void
test_no_change_journal (void)
{
  g_autoptr(CrmStore) store = new_store ();

  generate (store, 200, 1000, 9, NULL);
  /* Demo data are never pushed to a remote. */
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM changes"), ==, 0);
}

static void
test_pragmas_restored (void)
{
  g_autoptr(CrmStore) store = new_store ();
  g_autofree char *mode = NULL;

  generate (store, 100, 300, 10, NULL);
  mode = q_text (store, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (q_int (store, "PRAGMA synchronous"), ==, 2);
  g_assert_cmpint (q_int (store, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
  g_assert_cmpint (q_int (store, "PRAGMA cache_size"), ==, -32000);
}

static void
test_append (void)
{
  g_autoptr(CrmStore) store = new_store ();

  generate (store, 300, 900, 11, NULL);
  generate_more (store, 200, 600, 12);
  g_assert_cmpint (crm_store_count (store, CRM_TYPE_CUSTOMER, NULL), ==, 500);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM orders"), ==, 1500);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id"), ==, 1500);
  /* Same seed and day again: the row ids differ, so do the UUIDs. */
  generate_more (store, 100, 100, 11);
  g_assert_cmpint (q_int (store, "SELECT count(DISTINCT uuid) FROM customers"), ==, 600);
}

static void
test_cancel_leaves_database_unchanged (void)
{
  g_autoptr(CrmStore) store = new_store ();
  g_autoptr(CrmCustomer) mine = crm_customer_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *mode = NULL;
  Progress progress = { .monotonic = TRUE, .cancel_after_first_batch = cancellable };
  CrmGenerateOptions opts = { 12000, 30000, 13, AS_OF, TRUE };
  const char *sql = "SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM orders),"
                    " (SELECT count(*) FROM order_lines), (SELECT count(*) FROM customer_terms),"
                    " (SELECT count(*) FROM customers_fts WHERE customers_fts MATCH 'Keepme'),"
                    " (SELECT group_concat(name) FROM sqlite_master)";

  crm_customer_set_name (mine, "Keepme Customer");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (mine), &error));
  g_assert_no_error (error);
  before = digest (store, sql);

  g_assert_false (crm_generate (store, &opts, on_progress, &progress, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (progress.last.customers_done, >, 0);
  g_assert_cmpuint (progress.last.customers_done, <, 12000);

  after = digest (store, sql);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (crm_store_count (store, CRM_TYPE_CUSTOMER, NULL), ==, 1);
  mode = q_text (store, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (q_int (store, "PRAGMA foreign_keys"), ==, 1);

  /* Already cancelled: nothing starts. */
  g_clear_error (&error);
  g_assert_false (crm_generate (store, &opts, NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Cancelled while the indexes are being built: the schema and rows are as before. */
static void
test_cancel_while_indexing (void)
{
  g_autoptr(CrmStore) store = new_store ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  Progress progress = { .monotonic = TRUE, .cancel_when_indexing = cancellable };
  CrmGenerateOptions opts = { 3000, 3000, 15, AS_OF };
  const char *sql = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name";

  before = digest (store, sql);
  g_assert_false (crm_generate (store, &opts, on_progress, &progress, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (progress.last.phase, ==, CRM_GENERATE_PHASE_INDEXING);
  after = digest (store, sql);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM customers"), ==, 0);
}

/* The run drops and rebuilds indexes and a trigger: the schema ends as it began. */
static void
test_schema_unchanged (void)
{
  g_autoptr(CrmStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *sql = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name";

  before = digest (store, sql);
  generate (store, 500, 2000, 16, NULL);
  after = digest (store, sql);
  g_assert_cmpstr (before, ==, after);
  g_assert_true (crm_store_exec (store, "PRAGMA integrity_check", &error));
  g_assert_no_error (error);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'"), ==, 0);

  /* the indexes hold the generated rows: a sorted scan uses them and sees everyone */
  {
    g_autoptr(GString) details = g_string_new (NULL);
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (crm_store_get_db (store),
                                         "EXPLAIN QUERY PLAN SELECT id FROM customers WHERE deleted_at IS NULL"
                                         " ORDER BY name COLLATE NOCASE, id", -1, &stmt, NULL), ==, SQLITE_OK);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_string_append (details, (const char *) sqlite3_column_text (stmt, 3));
    sqlite3_finalize (stmt);
    g_assert_nonnull (strstr (details->str, "customers_name"));
  }
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM customers INDEXED BY customers_name"
                                 " WHERE deleted_at IS NULL AND name > ''"), ==, 500);

  /* appending to a bigger table keeps the indexes in place and still fills them */
  generate_more (store, 100, 100, 17);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM customers INDEXED BY customers_email_key"
                                 " WHERE email_key IS NOT NULL"),
                   ==, q_int (store, "SELECT count(*) FROM customers WHERE email_key IS NOT NULL"));
}

static void
test_invalid_options (void)
{
  g_autoptr(CrmStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  CrmGenerateOptions no_customers = { 0, 10, 1, AS_OF };
  CrmGenerateOptions too_many = { G_MAXUINT64, 10, 1, AS_OF };

  g_assert_false (crm_generate (store, &no_customers, NULL, NULL, NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (crm_generate (store, &too_many, NULL, NULL, NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM customers"), ==, 0);
}

/* With another connection open the journal cannot leave WAL; the run still works. */
static void
test_with_reader_open (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = crm_test_db_path ();
  g_autoptr(CrmStore) store = crm_store_open (path, &error);
  g_autoptr(CrmStore) reader = NULL;
  g_autofree char *mode = NULL;

  g_assert_no_error (error);
  reader = crm_store_open_reader (path, &error);
  g_assert_no_error (error);
  /* the reader holds a snapshot-free connection; make it touch the file */
  g_assert_cmpint (q_int (reader, "SELECT count(*) FROM customers"), ==, 0);

  generate (store, 300, 1000, 14, NULL);
  g_assert_cmpint (q_int (reader, "SELECT count(*) FROM customers"), ==, 300);
  mode = q_text (store, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
}

/* Checks that no two customers share a phone number, the last eight digits of one (what
 * the importer took as the same phone) or an e-mail address (in any case); counts them. */
static void
assert_unique_contacts (CrmStore *store,
                        guint    *n_phones,
                        guint    *n_emails)
{
  g_autoptr(GHashTable) phones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) last8 = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) emails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt = NULL;

  *n_phones = *n_emails = 0;
  g_assert_cmpint (sqlite3_prepare_v2 (crm_store_get_db (store), "SELECT phone, email, country FROM customers",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *phone = (const char *) sqlite3_column_text (stmt, 0);
      const char *email = (const char *) sqlite3_column_text (stmt, 1);
      const char *country = (const char *) sqlite3_column_text (stmt, 2);

      if (phone != NULL)
        {
          g_autoptr(GString) digits = g_string_new (NULL);
          const char *tail;

          for (const char *c = phone; *c; c++)
            if (g_ascii_isdigit (*c))
              g_string_append_c (digits, *c);
          g_assert_cmpuint (digits->len, >=, 10);
          tail = digits->str + digits->len - 8;
          /* the customer that has it already, if any: none */
          g_assert_cmpstr (g_hash_table_lookup (phones, digits->str), ==, NULL);
          g_assert_cmpstr (g_hash_table_lookup (last8, tail), ==, NULL);
          g_hash_table_insert (last8, g_strdup (tail), g_strdup (phone));
          g_hash_table_insert (phones, g_string_free (g_steal_pointer (&digits), FALSE), g_strdup (phone));
          (*n_phones)++;

          if (g_strcmp0 (country, "中国") == 0)
            {
              /* a mobile of the operators' blocks: +86 13x–19x xxxx xxxx */
              g_assert_true (g_str_has_prefix (phone, "+86 1"));
              g_assert_cmpint (phone[5], >=, '3');
              g_assert_cmpuint (strlen (phone), ==, 17);
            }
        }
      if (email != NULL)
        {
          g_autofree char *key = g_ascii_strdown (email, -1);

          g_assert_cmpstr (g_hash_table_lookup (emails, key), ==, NULL);
          g_hash_table_insert (emails, g_steal_pointer (&key), g_strdup (email));
          (*n_emails)++;
        }
    }
  sqlite3_finalize (stmt);
}

static void
test_unique_phones_and_emails (void)
{
  g_autoptr(CrmStore) store = new_store ();
  guint phones, emails;

  generate (store, 20000, 0, 21, NULL);
  assert_unique_contacts (store, &phones, &emails);
  /* 90 % have a phone, 85 % an e-mail address */
  g_assert_cmpuint (phones, >, 20000 * 88 / 100);
  g_assert_cmpuint (emails, >, 20000 * 83 / 100);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM customers WHERE email LIKE '%@qq.com'"), >, 1000);

  /* Another run into the same file, another seed: still no two alike. */
  generate_more (store, 3000, 0, 22);
  assert_unique_contacts (store, &phones, &emails);
  g_assert_cmpuint (phones, >, 23000 * 88 / 100);
}

/* Past customer id 10,000,000 the eighth digit from the end takes part too. */
static void
test_unique_past_ten_million (void)
{
  g_autoptr(CrmStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  guint phones, emails;

  g_assert_true (crm_store_exec (store, "INSERT INTO customers (id, uuid, created_at, updated_at, name)"
                                        " VALUES (9998000, '00000000-0000-4000-8000-000000000001', 1, 1, 'Placeholder')",
                                 &error));
  g_assert_no_error (error);
  generate_more (store, 4000, 0, 24);
  g_assert_cmpint (q_int (store, "SELECT max(id) FROM customers"), ==, 10002000);
  assert_unique_contacts (store, &phones, &emails);
  g_assert_cmpuint (phones, >, 4000 * 88 / 100);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM customers WHERE phone LIKE '+1 ___-___-____'"), >, 100);
}

/* Refused on a database that holds customers: nothing written, the settings untouched. */
static void
test_refuses_database_with_customers (void)
{
  g_autoptr(CrmStore) store = new_store ();
  g_autoptr(CrmCustomer) mine = crm_customer_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  Progress progress = { .monotonic = TRUE };
  CrmGenerateOptions opts = { 100, 300, 25, AS_OF, FALSE };
  const char *sql = "SELECT (SELECT group_concat(id || name) FROM customers), (SELECT count(*) FROM orders),"
                    " (SELECT group_concat(key || value) FROM settings), (SELECT count(*) FROM customer_terms),"
                    " (SELECT group_concat(name) FROM sqlite_master), (SELECT count(*) FROM changes)";

  crm_customer_set_name (mine, "Real Customer");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (mine), &error));
  g_assert_no_error (error);
  before = digest (store, sql);

  g_assert_false (crm_generate (store, &opts, on_progress, &progress, NULL, &error));
  g_assert_error (error, CRM_GENERATE_ERROR, CRM_GENERATE_ERROR_NOT_EMPTY);
  g_assert_nonnull (strstr (error->message, "1 customer"));
  g_assert_cmpuint (progress.calls, ==, 0);
  after = digest (store, sql);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (q_int (store, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (q_int (store, "PRAGMA cache_size"), ==, -32000);
  g_clear_error (&error);

  /* A deleted customer is still a customer of the shop. */
  g_assert_true (crm_store_delete (store, CRM_ENTITY (mine), &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_store_count (store, CRM_TYPE_CUSTOMER, NULL), ==, 0);
  g_assert_false (crm_generate (store, &opts, NULL, NULL, NULL, &error));
  g_assert_error (error, CRM_GENERATE_ERROR, CRM_GENERATE_ERROR_NOT_EMPTY);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM customers"), ==, 1);
  g_clear_error (&error);

  /* force: added next to them */
  opts.force = TRUE;
  g_assert_true (crm_generate (store, &opts, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM customers"), ==, 101);
  g_assert_cmpint (q_int (store, "SELECT count(*) FROM customers WHERE name = 'Real Customer'"), ==, 1);
}

/* Every commit stays durable: synchronous=FULL throughout; and a database that holds
 * customers keeps its WAL journal, in which other programs go on reading. */
static void
test_durability_kept (void)
{
  g_autoptr(CrmStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *mode = NULL;
  Progress progress = { .monotonic = TRUE };
  CrmGenerateOptions opts = { 12000, 20000, 26, AS_OF, TRUE };

  progress.check_durability = store;
  generate (store, 12000, 20000, 26, &progress);
  g_assert_cmpuint (progress.durability_checked, >=, 3);
  g_assert_cmpint (q_int (store, "PRAGMA synchronous"), ==, 2);

  progress.durability_checked = 0;
  progress.expect_wal = TRUE;
  g_assert_true (crm_generate (store, &opts, on_progress, &progress, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (progress.durability_checked, >=, 3);
  mode = q_text (store, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (q_int (store, "PRAGMA synchronous"), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/core/generate/exact-counts", test_exact_counts);
  g_test_add_func ("/core/generate/deterministic", test_deterministic);
  g_test_add_func ("/core/generate/aggregates-match-store", test_aggregates_match_store);
  g_test_add_func ("/core/generate/search-keys-match-store", test_search_keys_match_store);
  g_test_add_func ("/core/generate/fts-and-trigger", test_fts_and_trigger);
  g_test_add_func ("/core/generate/realistic", test_realistic);
  g_test_add_func ("/core/generate/no-change-journal", test_no_change_journal);
  g_test_add_func ("/core/generate/pragmas-restored", test_pragmas_restored);
  g_test_add_func ("/core/generate/append", test_append);
  g_test_add_func ("/core/generate/cancel-leaves-database-unchanged", test_cancel_leaves_database_unchanged);
  g_test_add_func ("/core/generate/cancel-while-indexing", test_cancel_while_indexing);
  g_test_add_func ("/core/generate/schema-unchanged", test_schema_unchanged);
  g_test_add_func ("/core/generate/invalid-options", test_invalid_options);
  g_test_add_func ("/core/generate/with-reader-open", test_with_reader_open);
  g_test_add_func ("/core/generate/unique-phones-and-emails", test_unique_phones_and_emails);
  g_test_add_func ("/core/generate/unique-past-ten-million", test_unique_past_ten_million);
  g_test_add_func ("/core/generate/refuses-database-with-customers", test_refuses_database_with_customers);
  g_test_add_func ("/core/generate/durability-kept", test_durability_kept);

  return g_test_run ();
}

/* bench-loyalty.c: the points ledger at scale (issue 15).
 *
 *   bench-loyalty [--customers N] [--rows-per-customer R] [--orders M] [--keep PATH]
 *
 * 1. N customers, then N × R ledger rows in one INSERT … SELECT (earned lots over three years,
 *    redemptions, adjustments), through the balance cache's trigger as every write goes;
 * 2. every customer's balance: from the cache (crm_points_balances(), what the app reads) and,
 *    for reference, summed from the ledger (GROUP BY over the covering index);
 * 3. 1,000 single balances with what expires next (the customer detail), p50/p95, and 100
 *    redemptions of one point;
 * 4. an expiry run as of now over all rows (crm_points_expire());
 * 5. with --orders M: a database of N customers and M generated orders (crm_generate(), which
 *    runs no hooks), then the set-based earning pass over all of them (crm_points_earn_all(),
 *    the statement an import's commit runs over the customers it touched).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "crm-generate.h"
#include "crm-points.h"
#include "crm-store.h"

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

static void
check (gboolean      ok,
       const GError *error)
{
  if (!ok)
    {
      fprintf (stderr, "bench-loyalty: %s\n", error != NULL ? error->message : "failed");
      exit (1);
    }
}

/* ?1 customers, ?2 rows each, ?3 now.  Row k of a customer: every fifth a redemption, every
 * tenth (odd) an adjustment down, the rest earned lots of 10–500 points over the last three
 * years, each expiring 12 months later. */
static const char ledger_sql[] =
  "WITH RECURSIVE k(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM k WHERE k + 1 < ?2)"
  " INSERT INTO points_ledger (customer_id, kind, points, at, expires_at, reason, created_at)"
  " SELECT c.id,"
  "   CASE WHEN k.k % 5 = 4 THEN 'redeem' WHEN k.k % 10 = 7 THEN 'adjust' ELSE 'earn' END,"
  "   CASE WHEN k.k % 5 = 4 THEN -((c.id * 7 + k.k * 13) % 200) - 1"
  "        WHEN k.k % 10 = 7 THEN -((c.id + k.k) % 20) - 1"
  "        ELSE (c.id * 31 + k.k * 17) % 491 + 10 END,"
  "   ?3 - (((c.id * 1009 + k.k * 7919) % 1095) * 86400000),"
  "   CASE WHEN k.k % 5 = 4 OR k.k % 10 = 7 THEN NULL"
  "        ELSE ?3 - (((c.id * 1009 + k.k * 7919) % 1095) * 86400000) + 365 * 86400000 END,"
  "   NULL, ?3"
  " FROM customers c, k ORDER BY c.id, k.k";

static void
fill (CrmStore *store,
      guint64   customers,
      guint     per_customer,
      gint64    now)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  double t0 = now_s ();

  check (crm_store_begin (store, &error), error);
  stmt = crm_store_prepare (store,
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)"
    " INSERT INTO customers (uuid, created_at, updated_at, name)"
    " SELECT printf('00000000-0000-4000-8000-%012d', i), ?2, ?2, 'Customer ' || i FROM n", &error);
  check (stmt != NULL, error);
  sqlite3_bind_int64 (stmt, 1, customers);
  sqlite3_bind_int64 (stmt, 2, now);
  check (crm_store_step (store, stmt, &error), error);
  check (crm_store_commit (store, &error), error);
  printf ("customers: %" G_GUINT64_FORMAT " in %.2f s\n", customers, now_s () - t0);

  t0 = now_s ();
  check (crm_store_begin (store, &error), error);
  stmt = crm_store_prepare (store, ledger_sql, &error);
  check (stmt != NULL, error);
  sqlite3_bind_int64 (stmt, 2, per_customer);
  sqlite3_bind_int64 (stmt, 3, now);
  check (crm_store_step (store, stmt, &error), error);
  check (crm_store_commit (store, &error), error);
  printf ("ledger rows: %" G_GINT64_FORMAT " written (with the balance cache) in %.2f s\n",
          crm_db_query_int64 (crm_store_get_db (store), "SELECT count(*) FROM points_ledger", 0), now_s () - t0);
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
measure (CrmStore *store,
         guint64   customers)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) balances = NULL;
  double t0, times[1000];
  gint64 sum = 0, reference, points = 0, expired_customers = 0;
  CrmPointsBalance b;

  for (guint round = 0; round < 3; round++)
    {
      g_clear_pointer (&balances, g_array_unref);
      t0 = now_s ();
      balances = crm_points_balances (store, &error);
      check (balances != NULL, error);
      printf ("balances of %u customers from the cache: %.3f s\n", balances->len / 2, now_s () - t0);
    }
  for (guint i = 0; i < balances->len; i += 2)
    sum += g_array_index (balances, gint64, i + 1);

  t0 = now_s ();
  reference = crm_db_query_int64 (crm_store_get_db (store),
                                  "SELECT sum(s) FROM (SELECT sum(points) AS s FROM points_ledger GROUP BY customer_id)", 0);
  printf ("reference, every balance summed from the ledger: total %" G_GINT64_FORMAT " (cache %" G_GINT64_FORMAT
          ") in %.3f s\n", reference, sum, now_s () - t0);

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      gint64 id = 1 + (gint64) ((i * G_GUINT64_CONSTANT (2654435761)) % customers);

      t0 = now_s ();
      check (crm_points_get_balance (store, id, 0, &b, &error), error);
      times[i] = now_s () - t0;
    }
  qsort (times, G_N_ELEMENTS (times), sizeof (double), compare_double);
  printf ("one customer's balance and next expiry: p50 %.3f ms, p95 %.3f ms\n", times[500] * 1e3, times[950] * 1e3);

  /* A redemption at the counter: due points expired first, then the entry, one transaction. */
  for (guint i = 0; i < 100; i++)
    {
      gint64 id = 1 + (gint64) ((i * G_GUINT64_CONSTANT (40503)) % customers);

      t0 = now_s ();
      if (!crm_points_redeem (store, id, 1, 0, NULL, &error))
        g_clear_error (&error);   /* a customer without points: refused, as fast */
      times[i] = now_s () - t0;
    }
  qsort (times, 100, sizeof (double), compare_double);
  printf ("one redemption (expiry of what is due, then the entry; committed): p50 %.2f ms, p95 %.2f ms\n",
          times[50] * 1e3, times[95] * 1e3);

  t0 = now_s ();
  check (crm_points_expire (store, 0, &points, &expired_customers, &error), error);
  printf ("expiry run over all rows: %" G_GINT64_FORMAT " points of %" G_GINT64_FORMAT " customers in %.2f s\n",
          points, expired_customers, now_s () - t0);
}

static void
earn_orders (const char *path,
             guint64     customers,
             guint64     orders)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_store_open (path, &error);
  CrmGenerateOptions opts = { .customers = customers, .orders = orders, .seed = 15 };
  CrmPointsSettings s;
  double t0, elapsed;

  check (store != NULL, error);
  t0 = now_s ();
  check (crm_generate (store, &opts, NULL, NULL, NULL, &error), error);
  printf ("generated %" G_GUINT64_FORMAT " customers, %" G_GUINT64_FORMAT " orders in %.2f s\n",
          customers, orders, now_s () - t0);
  crm_points_settings_load (store, &s);
  s.start = 1;
  t0 = now_s ();
  /* A new start date re-earns every order: one set-based pass in one transaction. */
  check (crm_points_settings_save (store, &s, &error), error);
  elapsed = now_s () - t0;
  printf ("earning on all %" G_GINT64_FORMAT " orders (set-based pass): %" G_GINT64_FORMAT " entries in %.2f s\n",
          crm_db_query_int64 (crm_store_get_db (store), "SELECT count(*) FROM orders", 0),
          crm_db_query_int64 (crm_store_get_db (store), "SELECT count(*) FROM points_ledger", 0), elapsed);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *orders_path = NULL;
  gint64 customers = 100000, per = 20, orders = 0;
  const char *keep = NULL;

  for (int i = 1; i + 1 < argc; i += 2)
    {
      if (g_str_equal (argv[i], "--customers"))
        customers = g_ascii_strtoll (argv[i + 1], NULL, 10);
      else if (g_str_equal (argv[i], "--rows-per-customer"))
        per = g_ascii_strtoll (argv[i + 1], NULL, 10);
      else if (g_str_equal (argv[i], "--orders"))
        orders = g_ascii_strtoll (argv[i + 1], NULL, 10);
      else if (g_str_equal (argv[i], "--keep"))
        keep = argv[i + 1];
      else
        {
          fprintf (stderr, "usage: bench-loyalty [--customers N] [--rows-per-customer R] [--orders M] [--keep PATH]\n");
          return 2;
        }
    }
  if (customers < 1 || per < 1 || orders < 0)
    return 2;

  crm_store_lock_install ();
  dir = g_dir_make_tmp ("bench-loyalty-XXXXXX", &error);
  check (dir != NULL, error);
  path = keep != NULL ? g_strdup (keep) : g_build_filename (dir, "ledger.db", NULL);
  store = crm_store_open (path, &error);
  check (store != NULL, error);
  fill (store, customers, per, g_get_real_time () / 1000);
  measure (store, customers);
  g_clear_object (&store);

  if (orders > 0)
    {
      orders_path = g_build_filename (dir, "orders.db", NULL);
      earn_orders (orders_path, customers, orders);
    }

  if (keep == NULL)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_unlink (path);
      g_unlink (wal);
      g_unlink (shm);
    }
  if (orders_path != NULL)
    {
      g_autofree char *wal = g_strconcat (orders_path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (orders_path, "-shm", NULL);

      g_unlink (orders_path);
      g_unlink (wal);
      g_unlink (shm);
    }
  g_rmdir (dir);
  return 0;
}

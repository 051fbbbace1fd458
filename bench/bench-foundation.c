/* bench-foundation.c: the foundation budgets (issue 2) measured on a database made
 * by `clientele-cli generate`:
 *
 *   - open + count + first 50 rows of the default view (CrmCustomerList);
 *   - search latency p50/p95 of the full id list (crm_query_run_ids, as the UI needs
 *     the count) for four kinds of queries drawn from the data: Latin text,
 *     two-character Chinese names, Chinese names of three or more characters, and
 *     phone digits;
 *   - time to produce the full id list sorted by name, total spent, last order;
 *   - RSS after building the list and touching 10,000 random rows.
 *
 *   bench-foundation DATABASE [--queries-per-kind N] [--first-rows-only]
 *
 * Prints a markdown table on stdout.  Not a test: run by bench/run-foundation.sh.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm-customer-list.h"
#include "crm-query.h"
#include "crm-session.h"
#include "crm-store.h"
#include "crm-text.h"

/* budgets from DESIGN.md §8 */
#define BUDGET_FIRST_ROWS_MS 500.0
#define BUDGET_SEARCH_P95_MS 20.0
#define BUDGET_SORT_MS       300.0
#define BUDGET_RSS_MB        150.0

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static double
rss_mb (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, key);
  if (line == NULL)
    return -1;
  return g_ascii_strtod (line + strlen (key), NULL) / 1024.0;
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
percentile (GArray *sorted,
            double  p)
{
  guint i;

  if (sorted->len == 0)
    return 0;
  /* nearest rank */
  i = (guint) MAX (0.0, (p / 100.0) * sorted->len + 0.999999 - 1);
  return g_array_index (sorted, double, MIN (i, sorted->len - 1));
}

static const char *
verdict (double value,
         double budget)
{
  return value <= budget ? "met" : "**missed**";
}

/* ---- query sampling ---------------------------------------------------------- */

typedef enum
{
  KIND_LATIN,
  KIND_CJK2,
  KIND_CJK3,
  KIND_PHONE,
  N_KINDS
} Kind;

static const char *kind_names[N_KINDS] = {
  "Latin text", "Chinese, 2 characters", "Chinese, 3+ characters", "Phone digits",
};

/* Queries come from random customers (fixed seed), so they hit real rows. */
static GPtrArray *
sample_queries (CrmStore *store,
                Kind      kind,
                guint     n,
                GRand    *rand)
{
  GPtrArray *queries = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  gint64 max_id;
  guint attempts = 0;

  sqlite3_prepare_v2 (crm_store_get_db (store), "SELECT max(id) FROM customers", -1, &stmt, NULL);
  sqlite3_step (stmt);
  max_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  sqlite3_prepare_v2 (crm_store_get_db (store), "SELECT name, phone_digits FROM customers WHERE id = ?",
                      -1, &stmt, NULL);
  while (queries->len < n && attempts++ < n * 1000)
    {
      const char *name, *digits;
      glong len;

      sqlite3_bind_int64 (stmt, 1, 1 + (gint64) g_rand_double_range (rand, 0, (double) max_id));
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          sqlite3_reset (stmt);
          continue;
        }
      name = (const char *) sqlite3_column_text (stmt, 0);
      digits = (const char *) sqlite3_column_text (stmt, 1);
      len = g_utf8_strlen (name, -1);

      switch (kind)
        {
        case KIND_LATIN:
          if (!crm_text_is_cjk (g_utf8_get_char (name)))
            {
              /* one word of the name, as typed: lower case, 3+ letters */
              g_auto(GStrv) words = g_strsplit (name, " ", -1);
              guint nw = g_strv_length (words);
              const char *w = words[g_rand_int_range (rand, 0, nw)];
              if (g_utf8_strlen (w, -1) >= 3)
                g_ptr_array_add (queries, g_utf8_strdown (w, -1));
            }
          break;
        case KIND_CJK2:
          if (crm_text_is_cjk (g_utf8_get_char (name)) && len == 2)
            g_ptr_array_add (queries, g_strdup (name));
          break;
        case KIND_CJK3:
          if (crm_text_is_cjk (g_utf8_get_char (name)) && len >= 3)
            g_ptr_array_add (queries, g_strdup (name));
          break;
        case KIND_PHONE:
          if (digits != NULL && strlen (digits) >= 8)
            {
              gsize dl = strlen (digits);
              /* alternately the leading 7 digits and the trailing 4, as people type them */
              if (queries->len % 2 == 0)
                g_ptr_array_add (queries, g_strndup (digits, 7));
              else
                g_ptr_array_add (queries, g_strdup (digits + dl - 4));
            }
          break;
        default:
          g_assert_not_reached ();
        }
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);

  return queries;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmSession) session = NULL;
  CrmStore *store = NULL;
  g_autoptr(CrmCustomerList) list = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20250101);
  gboolean first_rows_only = FALSE;
  int queries_per_kind = 60;
  const char *path = NULL;
  double t0, t_open, t_count, t_rows, first_rows;
  guint n_items;
  GOptionEntry entries[] = {
    { "queries-per-kind", 0, 0, G_OPTION_ARG_INT, &queries_per_kind, "Search queries per kind (default 60)", "N" },
    { "first-rows-only", 0, 0, G_OPTION_ARG_NONE, &first_rows_only, "Only measure open + first rows", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("DATABASE");

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("usage: bench-foundation DATABASE [--queries-per-kind N] [--first-rows-only]\n");
      return 2;
    }
  path = argv[1];
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_printerr ("bench-foundation: no database at %s\n", path);
      return 1;
    }

  /* ---- open + count + first 50 rows ---- */
  t0 = now_ms ();
  /* As the app opens a file: a session with its main connection. */
  session = crm_session_new (path);
  if (!crm_session_open (session, &error))
    {
      g_printerr ("bench-foundation: %s\n", error->message);
      return 1;
    }
  store = crm_session_get_store (session);
  t_open = now_ms ();
  list = crm_customer_list_new (session);
  if (!crm_customer_list_refresh_sync (list, &error))
    {
      g_printerr ("bench-foundation: %s\n", error->message);
      return 1;
    }
  n_items = g_list_model_get_n_items (G_LIST_MODEL (list));
  t_count = now_ms ();
  for (guint i = 0; i < MIN (50u, n_items); i++)
    {
      g_autoptr(CrmCustomer) c = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_assert (c != NULL);
    }
  t_rows = now_ms ();
  first_rows = t_rows - t0;

  printf ("| Measure | Value | Budget | |\n|---|---|---|---|\n");
  printf ("| Open + count + first 50 rows (default view, %u customers) | %.0f ms (open %.0f, ids+count %.0f, rows %.0f) | < %.0f ms | %s |\n",
          n_items, first_rows, t_open - t0, t_count - t_open, t_rows - t_count, BUDGET_FIRST_ROWS_MS,
          verdict (first_rows, BUDGET_FIRST_ROWS_MS));
  fflush (stdout);

  if (first_rows_only)
    return 0;

  /* ---- RSS after the list and 10,000 random rows (before any search or sort) ---- */
  {
    double t = now_ms ();

    for (guint i = 0; i < 10000 && n_items > 0; i++)
      {
        g_autoptr(CrmCustomer) c = g_list_model_get_item (G_LIST_MODEL (list), g_rand_int_range (rand, 0, n_items));
        g_assert (c != NULL);
      }
    printf ("| Touch 10,000 random rows via get_item | %.0f ms (%.2f ms per row) | | |\n",
            now_ms () - t, (now_ms () - t) / 10000);
    printf ("| RSS after the list + 10,000 random rows (VmRSS; peak VmHWM) | %.0f MB (peak %.0f MB) | < %.0f MB | %s |\n",
            rss_mb ("VmRSS:"), rss_mb ("VmHWM:"), BUDGET_RSS_MB, verdict (rss_mb ("VmRSS:"), BUDGET_RSS_MB));
  }



  /* ---- search ---- */
  {
    g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GString) detail = g_string_new (NULL);

    for (Kind k = 0; k < N_KINDS; k++)
      {
        g_autoptr(GPtrArray) queries = sample_queries (store, k, queries_per_kind, rand);
        g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
        g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (double));
        double worst = 0;
        const char *worst_query = "";

        for (guint i = 0; i < queries->len; i++)
          {
            g_autoptr(CrmQuery) query = crm_query_new ();
            g_autoptr(GArray) ids = NULL;
            double t, dt, h;

            crm_query_set_search_text (query, g_ptr_array_index (queries, i));
            t = now_ms ();
            ids = crm_query_run_ids (query, store, NULL, &error);
            dt = now_ms () - t;
            if (ids == NULL)
              {
                g_printerr ("bench-foundation: search “%s”: %s\n", (char *) g_ptr_array_index (queries, i), error->message);
                return 1;
              }
            h = ids->len;
            g_array_append_val (times, dt);
            g_array_append_val (all, dt);
            g_array_append_val (hits, h);
            if (dt > worst)
              {
                worst = dt;
                worst_query = g_ptr_array_index (queries, i);
              }
          }
        g_array_sort (times, cmp_double);
        g_array_sort (hits, cmp_double);
        g_string_append_printf (detail, "| Search p50 / p95, %s (%u queries, median %.0f hits, max %.0f) | %.2f / %.2f ms (worst %.1f ms: “%s”) | p95 < %.0f ms | %s |\n",
                                kind_names[k], times->len, percentile (hits, 50), percentile (hits, 100),
                                percentile (times, 50), percentile (times, 95), worst, worst_query,
                                BUDGET_SEARCH_P95_MS, verdict (percentile (times, 95), BUDGET_SEARCH_P95_MS));
      }
    g_array_sort (all, cmp_double);
    printf ("| Search p50 / p95, all %u queries | %.2f / %.2f ms | p95 < %.0f ms | %s |\n", all->len,
            percentile (all, 50), percentile (all, 95), BUDGET_SEARCH_P95_MS,
            verdict (percentile (all, 95), BUDGET_SEARCH_P95_MS));
    fputs (detail->str, stdout);
    fflush (stdout);
  }

  /* ---- sort: the full id list ---- */
  {
    const struct { const char *column; gboolean desc; } sorts[] = {
      { "name", FALSE }, { "name", TRUE }, { "total_spent", TRUE }, { "total_spent", FALSE },
      { "last_order_at", TRUE }, { "last_order_at", FALSE },
    };

    for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
      {
        g_autoptr(CrmQuery) query = crm_query_new ();
        g_autoptr(GArray) ids = NULL;
        double t, dt;

        crm_query_set_sort (query, sorts[i].column, sorts[i].desc, NULL);
        t = now_ms ();
        ids = crm_query_run_ids (query, store, NULL, &error);
        dt = now_ms () - t;
        if (ids == NULL)
          {
            g_printerr ("bench-foundation: sort %s: %s\n", sorts[i].column, error->message);
            return 1;
          }
        printf ("| Sort by %s%s (full id list, %u ids) | %.0f ms | < %.0f ms | %s |\n", sorts[i].column,
                sorts[i].desc ? " desc" : "", ids->len, dt, BUDGET_SORT_MS, verdict (dt, BUDGET_SORT_MS));
      }
    fflush (stdout);
  }

  printf ("| RSS at the end of the run (after searches and sorts; informative) | %.0f MB (peak %.0f MB) | | |\n",
          rss_mb ("VmRSS:"), rss_mb ("VmHWM:"));

  return 0;
}

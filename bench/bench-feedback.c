/* bench-feedback.c: feedback stats (NPS, CSAT, reviews, open and overdue) over N answers.
 *
 *   bench-feedback [--answers N] [--customers M] [--db PATH]
 *
 * Makes a database with M customers (default N / 10) and N answers (60 % NPS, 30 % CSAT,
 * 10 % reviews, received over the last 365 days) and 1 % of N complaints, then times
 * crm_feedback_stats_load() over all time and over 90 days, crm_feedback_trend() over 12 months
 * and the stats of a segment (customers of one city), 5 runs each (best and median), with the
 * load average.  The budget: stats over 1M answers < 1 s.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm-feedback-stats.h"
#include "crm-store.h"

#define DAY_MS (G_GINT64_CONSTANT (86400000))
#define RUNS 5

static char *
load_average (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return g_strdup ("?");
  return g_strndup (text, strcspn (text, " ") + 5);
}

static void
fill (CrmStore *store,
      guint     customers,
      guint     answers,
      gint64    now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  static const char *cities[] = { "Shanghai", "Beijing", "Berlin", "Chengdu", "Hangzhou" };
  sqlite3_stmt *stmt;

  g_assert_true (crm_store_begin (store, &error));
  stmt = crm_store_prepare (store, "INSERT INTO customers (uuid, created_at, updated_at, name, city)"
                                   " VALUES (?, ?, ?, ?, ?)", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < customers; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *name = g_strdup_printf ("Customer %u", i);

      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, now);
      sqlite3_bind_int64 (stmt, 3, now);
      sqlite3_bind_text (stmt, 4, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, cities[i % G_N_ELEMENTS (cities)], -1, SQLITE_STATIC);
      g_assert_true (crm_store_step (store, stmt, &error));
    }
  stmt = crm_store_prepare (store, "INSERT INTO feedback (uuid, created_at, updated_at, customer_id, kind, score,"
                                   " received_at, status, priority, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            &error);
  g_assert_no_error (error);
  for (guint i = 0; i < answers + answers / 100; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      gint64 at = now - g_rand_int_range (rand, 0, 365) * DAY_MS - g_rand_int_range (rand, 0, 86400) * 1000;
      guint pick = g_rand_int_range (rand, 0, 10);
      gboolean complaint = i >= answers;
      const char *kind = complaint ? "complaint" : pick < 6 ? "nps" : pick < 9 ? "csat" : "review";
      int score = complaint ? 0 : g_str_equal (kind, "nps") ? g_rand_int_range (rand, 0, 11) : g_rand_int_range (rand, 1, 6);

      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, at);
      sqlite3_bind_int64 (stmt, 3, at);
      sqlite3_bind_int64 (stmt, 4, 1 + g_rand_int_range (rand, 0, (gint32) customers));
      sqlite3_bind_text (stmt, 5, kind, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 6, score);
      sqlite3_bind_int64 (stmt, 7, at);
      if (complaint)
        {
          sqlite3_bind_text (stmt, 8, pick < 7 ? "closed" : "open", -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 9, "normal", -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 10, at + 72 * 3600 * 1000);
        }
      else
        {
          sqlite3_bind_null (stmt, 8);
          sqlite3_bind_null (stmt, 9);
          sqlite3_bind_null (stmt, 10);
        }
      g_assert_true (crm_store_step (store, stmt, &error));
    }
  g_assert_true (crm_store_commit (store, &error));
  g_assert_true (crm_store_exec (store, "ANALYZE", &error));
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

typedef enum { ALL, PERIOD_90, TREND_12, SEGMENT } Measure;

static double
measure (CrmStore *store,
         Measure   what,
         gint64    now,
         CrmRule  *rule,
         double   *median,
         double   *nps)
{
  double times[RUNS];

  for (guint r = 0; r < RUNS; r++)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      CrmFeedbackStats s;

      if (what == TREND_12)
        {
          g_autoptr(GArray) trend = crm_feedback_trend (store, 12, now, NULL, NULL, NULL, &error);

          g_assert_no_error (error);
          *nps = g_array_index (trend, CrmFeedbackTrendPoint, 11).stats.nps;
        }
      else
        {
          g_assert_true (crm_feedback_stats_load (store, what == PERIOD_90 ? now - 90 * DAY_MS : 0, now, now,
                                                  what == SEGMENT ? rule : NULL, &s, NULL, &error));
          g_assert_no_error (error);
          *nps = s.nps;
        }
      times[r] = (g_get_monotonic_time () - start) / 1000.0;
    }
  qsort (times, RUNS, sizeof (double), compare_double);
  *median = times[RUNS / 2];
  return times[0];
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(CrmStore) store = NULL;
  g_autoptr(CrmRule) rule = NULL;
  g_autofree char *db = NULL;
  g_autofree char *load_before = NULL;
  gint answers = 200000, customers = 0;
  static const char *names[] = { "all time", "90 days", "trend, 12 months", "segment (1 city of 5)" };
  gint64 now = G_GINT64_CONSTANT (1796000000000), start;
  GOptionEntry entries[] = {
    { "answers", 0, 0, G_OPTION_ARG_INT, &answers, "Survey answers and reviews", "N" },
    { "customers", 0, 0, G_OPTION_ARG_INT, &customers, "Customers (default N / 10)", "M" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Database to make (default: a temporary file)", "PATH" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || answers < 1)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--answers must be at least 1");
      return 2;
    }
  if (customers <= 0)
    customers = MAX (1, answers / 10);
  if (db == NULL)
    db = g_build_filename (g_get_tmp_dir (), "bench-feedback.db", NULL);
  g_unlink (db);
  store = crm_store_open (db, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  fill (store, (guint) customers, (guint) answers, now);
  printf ("made %d customers, %d answers, %d complaints in %.1f s\n", customers, answers, answers / 100,
          (g_get_monotonic_time () - start) / 1e6);

  rule = crm_rule_new_from_json ("{\"field\":\"city\",\"op\":\"is\",\"value\":\"Berlin\"}", &error);
  g_assert_no_error (error);
  load_before = load_average ();
  printf ("load average before: %s\n", load_before);
  for (Measure m = ALL; m <= SEGMENT; m++)
    {
      double median, nps;
      double best = measure (store, m, now, rule, &median, &nps);

      printf ("stats %-24s best %8.1f ms  median %8.1f ms  (NPS %+.1f)\n", names[m], best, median, nps);
    }
  {
    g_autofree char *load_after = load_average ();
    printf ("load average after: %s\n", load_after);
  }
  g_clear_object (&store);
  g_unlink (db);
  return 0;
}

/* bench-predict.c: customer-value predictions, co-purchase, sales aggregates, the
 * dashboard data and the PDF report on a large database.
 *
 *   bench-predict [--db PATH] [--customers N --orders M] [--repeat K] [--pdf FILE]
 *
 * Without --db it uses /tmp/bench-db/bench.db when that exists (built by the
 * generator's bench), else generates N customers / M orders (default 1M / 10M, seed 1)
 * into /tmp/bench-predict.db once and reuses it.  Every figure is the best of K runs
 * (default 3) except the one-off steps, which say so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm-dashboard-data.h"
#include "crm-forecast.h"
#include "crm-generate.h"
#include "crm-predict.h"
#include "crm-recommend.h"
#include "crm-recompute.h"
#include "crm-report.h"

static void
die (GError *error)
{
  g_printerr ("bench-predict: %s\n", error->message);
  exit (1);
}

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

static gint64
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (p = strstr (status, "VmHWM:")) == NULL)
    return -1;
  return g_ascii_strtoll (p + 6, NULL, 10);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *db = NULL;
  g_autofree char *pdf = NULL;
  gint64 customers = 1000000, orders = 10000000;
  int repeat = 3;
  g_autoptr(GOptionContext) context = g_option_context_new ("");
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Database", "PATH" },
    { "customers", 0, 0, G_OPTION_ARG_INT64, &customers, "Customers to generate", "N" },
    { "orders", 0, 0, G_OPTION_ARG_INT64, &orders, "Orders to generate", "M" },
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "Runs per timing", "K" },
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf, "Report file", "FILE" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = NULL;
  double t0, best;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die (error);

  if (db == NULL)
    db = g_strdup (g_file_test ("/tmp/bench-db/bench.db", G_FILE_TEST_EXISTS) ? "/tmp/bench-db/bench.db"
                                                                              : "/tmp/bench-predict.db");
  if (pdf == NULL)
    pdf = g_strdup ("/tmp/bench-predict-report.pdf");

  {
    gboolean fresh = !g_file_test (db, G_FILE_TEST_EXISTS);

    if (!(store = crm_store_open (db, &error)))
      die (error);
    if (fresh)
      {
        CrmGenerateOptions opts = { customers, orders, 1, 0 };

        t0 = now_s ();
        if (!crm_generate (store, &opts, NULL, NULL, NULL, &error))
          die (error);
        printf ("generate %" G_GINT64_FORMAT " customers, %" G_GINT64_FORMAT " orders: %.1f s (once)\n",
                customers, orders, now_s () - t0);
      }
  }
  printf ("database: %s\n\n", db);

  /* RFM, tiers and lifecycle feed the dashboard; run once if never run. */
  if (crm_store_get_setting (store, "rfm.computed_at") == NULL)
    {
      CrmRecomputeOptions ro;
      CrmRecomputeReport rr;

      crm_recompute_options_init (&ro, store);
      t0 = now_s ();
      if (!crm_recompute (store, &ro, NULL, NULL, NULL, &rr, &error))
        die (error);
      printf ("recompute (RFM, tiers, lifecycle; once): %.2f s\n", now_s () - t0);
    }

  /* Predictions: summarize + fit + score + write, all in crm_predict_run. */
  {
    CrmPredictOptions options;
    CrmPredictReport r, best_r = { 0 };

    crm_predict_options_init (&options, store);
    best = G_MAXDOUBLE;
    for (int k = 0; k < repeat; k++)
      {
        if (!crm_predict_run (store, &options, NULL, NULL, NULL, &r, &error))
          die (error);
        if (r.seconds < best)
          {
            best = r.seconds;
            best_r = r;
          }
      }
    printf ("predict (best of %d): %zu customers, %zu counted orders, %zu transactions, %zu repeat buyers\n",
            repeat, best_r.customers, best_r.orders, best_r.transactions, best_r.model.n_repeat_buyers);
    printf ("| step | s |\n|---|---:|\n");
    printf ("| read: one pass over orders_customer (2 connections) | %.3f |\n", best_r.seconds_read);
    printf ("| fit: BG/NBD + Gamma-Gamma | %.3f |\n", best_r.seconds_fit);
    printf ("| score: E[purchases] 30/90/365 d, P(alive), CLV | %.3f |\n", best_r.seconds_score);
    printf ("| write: customer_predictions + index + settings, commit | %.3f |\n", best_r.seconds_write);
    printf ("| **total** | **%.3f** |\n", best_r.seconds);
    printf ("fit + score alone: %.3f s\n", best_r.seconds_fit + best_r.seconds_score);
    printf ("BG/NBD r = %.4f, alpha = %.4f, a = %.4f, b = %.4f, LL = %.1f\n",
            best_r.model.bgnbd.r, best_r.model.bgnbd.alpha, best_r.model.bgnbd.a, best_r.model.bgnbd.b,
            best_r.model.bgnbd_info.log_likelihood);
    printf ("Gamma-Gamma p = %.4f, q = %.4f, gamma = %.4f, LL = %.1f\n",
            best_r.model.gamma_gamma.p, best_r.model.gamma_gamma.q, best_r.model.gamma_gamma.gamma,
            best_r.model.gamma_gamma_info.log_likelihood);
    printf ("risk: low %zu, medium %zu, high %zu\n\n", best_r.risk[0], best_r.risk[1], best_r.risk[2]);
  }

  /* Co-purchase (one run: it rewrites the same tables). */
  {
    CrmRecommendOptions options;
    CrmRecommendReport r;

    crm_recommend_options_init (&options);
    if (!crm_recommend_compute (store, &options, NULL, NULL, NULL, &r, &error))
      die (error);
    printf ("co-purchase: %zu baskets (%zu over the cap), %zu lines, %zu products, %zu pairs stored: %.2f s\n",
            r.baskets, r.skipped_baskets, r.lines, r.products, r.pairs, r.seconds);

    best = G_MAXDOUBLE;
    for (gint64 id = 1; id <= 1000; id++)
      {
        g_autoptr(GPtrArray) recs = NULL;

        t0 = now_s ();
        if (!(recs = crm_recommend_for_customer (store, id * 997 % MAX (customers, 1) + 1, 5, &error)))
          die (error);
        best = MIN (best, now_s () - t0);
      }
    t0 = now_s ();
    for (gint64 id = 1; id <= 1000; id++)
      {
        g_autoptr(GPtrArray) recs = crm_recommend_for_customer (store, id * 997 % MAX (customers, 1) + 1, 5, NULL);
      }
    printf ("recommendations for one customer: mean %.3f ms over 1000 customers\n\n",
            (now_s () - t0) * 1000 / 1000);
  }

  /* Sales aggregates (the background refresh behind the dashboard). */
  t0 = now_s ();
  if (!crm_sales_refresh (store, NULL, NULL, NULL, &error))
    die (error);
  printf ("sales aggregates refresh (daily + category months; once): %.2f s\n", now_s () - t0);

  /* Dashboard data per period. */
  {
    printf ("| dashboard period | best of %d, ms |\n|---|---:|\n", repeat);
    for (int p = CRM_DASHBOARD_PERIOD_30_DAYS; p <= CRM_DASHBOARD_PERIOD_ALL; p++)
      {
        best = G_MAXDOUBLE;
        for (int k = 0; k < repeat; k++)
          {
            g_autoptr(CrmDashboardData) data = NULL;

            t0 = now_s ();
            if (!(data = crm_dashboard_data_load (store, p, 0, 20, NULL, &error)))
              die (error);
            best = MIN (best, now_s () - t0);
          }
        printf ("| %s | %.1f |\n", crm_dashboard_period_get_label (p), best * 1000);
      }
  }

  /* The PDF report. */
  t0 = now_s ();
  if (!crm_report_write_pdf (store, CRM_DASHBOARD_PERIOD_365_DAYS, pdf, NULL, &error))
    die (error);
  printf ("\nPDF report (365 days) %s: %.2f s\n", pdf, now_s () - t0);
  printf ("peak RSS: %" G_GINT64_FORMAT " MB\n", rss_kb () / 1024);

  return 0;
}

/* bench-clv.c: timings and the hold-out check of the customer-value models.
 *
 *   bench-clv [--data DIR] [--customers N] [--repeat K] [--threads T]
 *
 * 1. CDNOW sample: load, BG/NBD fit, Gamma-Gamma fit (best of K runs).
 * 2. Hold-out (weeks 40-78): predicted vs actual repeat transactions, total and
 *    cumulative per week, for the sample and the full master file.
 * 3. Synthetic N customers drawn from known parameters (fixed seeds): group,
 *    fit both models, score 30/90/365-day purchases, P(alive) and 12-month CLV.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "crm-bgnbd.h"
#include "crm-cdnow.h"
#include "crm-gamma-gamma.h"

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static CrmCdnowSummary *
load (const char *dir, const char *name, double *ms)
{
  g_autofree char *path = g_build_filename (dir, "cdnow", name, NULL);
  g_autoptr(GError) error = NULL;
  GDate cal, hold;
  CrmCdnowSummary *s;
  double t0;

  g_date_clear (&cal, 1);
  g_date_clear (&hold, 1);
  g_date_set_dmy (&cal, 30, G_DATE_SEPTEMBER, 1997);
  g_date_set_dmy (&hold, 30, G_DATE_JUNE, 1998);
  t0 = now_ms ();
  s = crm_cdnow_load (path, &cal, &hold, &error);
  *ms = now_ms () - t0;
  if (s == NULL)
    {
      g_printerr ("%s\n", error->message);
      exit (1);
    }
  return s;
}

static void
cdnow_section (const char *dir, const char *name, guint repeat, gboolean weekly)
{
  g_autoptr(CrmCdnowSummary) s = NULL;
  g_autofree double *x = NULL, *t_x = NULL, *T = NULL, *m = NULL;
  g_autoptr(GError) error = NULL;
  CrmBgnbdParams p;
  CrmBgnbdFitInfo info;
  CrmGammaGammaParams gg;
  CrmGammaGammaFitInfo gg_info;
  double load_ms, fit_best = INFINITY, gg_best = INFINITY;
  double t[39], cum_pred[39] = { 0 }, pred_total = 0;
  guint actual_total = 0, cum_actual = 0;

  s = load (dir, name, &load_ms);
  crm_cdnow_summary_get_arrays (s, &x, &t_x, &T, &m);

  for (guint k = 0; k < repeat; k++)
    {
      double t0 = now_ms ();
      g_autoptr(CrmBgnbdData) data = crm_bgnbd_data_new (x, t_x, T, NULL, s->n_customers, &error);

      if (data == NULL || !crm_bgnbd_fit (data, &p, &info, &error))
        {
          g_printerr ("%s\n", error->message);
          exit (1);
        }
      fit_best = MIN (fit_best, now_ms () - t0);

      t0 = now_ms ();
      if (!crm_gamma_gamma_fit (x, m, NULL, s->n_customers, &gg, &gg_info, &error))
        {
          g_printerr ("%s\n", error->message);
          exit (1);
        }
      gg_best = MIN (gg_best, now_ms () - t0);
    }

  printf ("## %s\n\n", name);
  printf ("- %zu customers, %u purchase lines, %u transactions after merging same-day purchases; load %.1f ms\n",
          s->n_customers, s->n_lines, s->n_transactions, load_ms);
  printf ("- BG/NBD fit (grouping + ML, best of %u): **%.2f ms**; %zu distinct (x, t_x, T); %u BFGS iterations over %u starts\n",
          repeat, fit_best, info.n_groups, info.iterations, info.starts);
  printf ("- BG/NBD: r = %.4f, alpha = %.4f, a = %.4f, b = %.4f, LL = %.4f\n",
          p.r, p.alpha, p.a, p.b, info.log_likelihood);
  printf ("- Gamma-Gamma fit (best of %u): %.2f ms on %g repeat buyers (%g left out: repeat purchases worth $0)\n",
          repeat, gg_best, gg_info.n_customers, gg_info.n_zero_value);
  printf ("- Gamma-Gamma: p = %.4f, q = %.4f, gamma = %.4f, LL = %.4f\n\n",
          gg.p, gg.q, gg.gamma, gg_info.log_likelihood);

  for (guint w = 0; w < 39; w++)
    t[w] = w + 1;
  for (gsize i = 0; i < s->n_customers; i++)
    {
      double out[39];
      crm_bgnbd_conditional_expected_purchases_multi (&p, x[i], t_x[i], T[i], t, 39, out);
      for (guint w = 0; w < 39; w++)
        cum_pred[w] += out[w];
      actual_total += s->customers[i].holdout_x;
    }
  pred_total = cum_pred[38];

  printf ("Hold-out, weeks 40-78: predicted %.1f repeat transactions, actual %u (%+.1f%%)\n\n",
          pred_total, actual_total, 100.0 * (pred_total - actual_total) / actual_total);

  if (!weekly)
    return;

  printf ("| week | predicted (cum.) | actual (cum.) | actual in week |\n");
  printf ("|-----:|-----------------:|--------------:|---------------:|\n");
  for (guint w = 0; w < s->n_holdout_weeks && w < 39; w++)
    {
      cum_actual += s->holdout_weekly[w];
      printf ("| %u | %.1f | %u | %u |\n", 40 + w, cum_pred[w], cum_actual, s->holdout_weekly[w]);
    }
  printf ("\n");
}

static void
synthetic_section (gsize n, guint n_threads)
{
  const CrmBgnbdParams truth = { 0.243, 4.414, 0.793, 2.426 };
  const CrmGammaGammaParams gg_truth = { 6.25, 3.74, 15.44 };
  const double horizons[] = { 30 / 7.0, 90 / 7.0, 365 / 7.0 };
  CrmBgnbdScoreOptions opts = { horizons, 3, 12, CRM_WEEKS_PER_MONTH, 0.01, n_threads };
  g_autofree double *x = g_new (double, n), *t_x = g_new (double, n), *T = g_new (double, n);
  g_autofree double *m = g_new (double, n), *expected = g_new (double, n * 3);
  g_autofree double *alive = g_new (double, n), *clv = g_new (double, n);
  g_autoptr(CrmBgnbdData) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  CrmBgnbdParams p;
  CrmBgnbdFitInfo info;
  CrmGammaGammaParams gg;
  CrmGammaGammaFitInfo gg_info;
  double t0, t_gen, t_group, t_fit, t_gg, t_score, sum_clv = 0, sum_alive = 0, sum_e365 = 0;
  gsize repeaters = 0;

  t0 = now_ms ();
  /* First purchases spread over a year before the end of calibration, on whole days. */
  for (gsize i = 0; i < n; i++)
    T[i] = g_rand_int_range (rand, 0, 365) / 7.0;
  crm_bgnbd_simulate (&truth, T, n, 42, x, t_x);
  crm_gamma_gamma_simulate (&gg_truth, x, n, 43, m);
  t_gen = now_ms () - t0;
  for (gsize i = 0; i < n; i++)
    repeaters += x[i] > 0;

  t0 = now_ms ();
  data = crm_bgnbd_data_new (x, t_x, T, NULL, n, &error);
  t_group = now_ms () - t0;
  t0 = now_ms ();
  if (data == NULL || !crm_bgnbd_fit (data, &p, &info, &error))
    {
      g_printerr ("%s\n", error->message);
      exit (1);
    }
  t_fit = now_ms () - t0;

  t0 = now_ms ();
  if (!crm_gamma_gamma_fit (x, m, NULL, n, &gg, &gg_info, &error))
    {
      g_printerr ("%s\n", error->message);
      exit (1);
    }
  t_gg = now_ms () - t0;

  t0 = now_ms ();
  if (!crm_gamma_gamma_score (&p, &gg, x, t_x, T, m, n, &opts, expected, alive, clv, &error))
    {
      g_printerr ("%s\n", error->message);
      exit (1);
    }
  t_score = now_ms () - t0;

  for (gsize i = 0; i < n; i++)
    {
      sum_clv += clv[i];
      sum_alive += alive[i];
      sum_e365 += expected[i * 3 + 2];
    }

  printf ("## Synthetic: %zu customers (%zu repeat buyers), seeds 7/42/43, %u threads\n\n",
          n, repeaters, n_threads);
  printf ("| step | ms |\n|---|---:|\n");
  printf ("| generate (not counted) | %.0f |\n", t_gen);
  printf ("| group identical (x, t_x, T) -> %zu groups | %.0f |\n", info.n_groups, t_group);
  printf ("| BG/NBD fit (%u iterations, %u likelihood+gradient evaluations, %u starts) | %.0f |\n",
          info.iterations, info.evaluations, info.starts, t_fit);
  printf ("| Gamma-Gamma fit (%u iterations) | %.0f |\n", gg_info.iterations, t_gg);
  printf ("| score: E[purchases] 30/90/365 d, P(alive), 12-month CLV at 1%%/month | %.0f |\n", t_score);
  printf ("| **total fit + score** | **%.0f** |\n\n", t_group + t_fit + t_gg + t_score);
  printf ("- truth  BG/NBD r = %.4f, alpha = %.4f, a = %.4f, b = %.4f; Gamma-Gamma p = %.3f, q = %.3f, gamma = %.3f\n",
          truth.r, truth.alpha, truth.a, truth.b, gg_truth.p, gg_truth.q, gg_truth.gamma);
  printf ("- fitted BG/NBD r = %.4f, alpha = %.4f, a = %.4f, b = %.4f; Gamma-Gamma p = %.3f, q = %.3f, gamma = %.3f\n",
          p.r, p.alpha, p.a, p.b, gg.p, gg.q, gg.gamma);
  printf ("- mean P(alive) %.4f, mean expected purchases next 365 days %.4f, mean CLV %.2f\n\n",
          sum_alive / n, sum_e365 / n, sum_clv / n);
}

int
main (int argc, char **argv)
{
  g_autofree char *data_dir = NULL;
  gint64 n = 1000000;
  gint repeat = 20, threads = 0;
  GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "Shared data directory (contains cdnow/)", "DIR" },
    { "customers", 0, 0, G_OPTION_ARG_INT64, &n, "Synthetic customers (0: skip)", "N" },
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "Runs of the CDNOW fits", "K" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "Scoring threads (0: all processors)", "T" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- CLV model benchmark");
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (data_dir == NULL)
    data_dir = g_strdup (g_getenv ("CLIENTELE_SHARED_DATA") ? g_getenv ("CLIENTELE_SHARED_DATA")
                                                            : "../shared/data");

  printf ("# CLV models (%u processors)\n\n", g_get_num_processors ());
  cdnow_section (data_dir, "CDNOW_sample.txt", MAX (repeat, 1), TRUE);
  cdnow_section (data_dir, "CDNOW_master.txt", MAX (repeat / 4, 1), FALSE);
  if (n > 0)
    synthetic_section (n, threads > 0 ? (guint) threads : g_get_num_processors ());
  return 0;
}

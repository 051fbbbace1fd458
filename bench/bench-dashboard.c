/* bench-dashboard.c: the dashboard's refresh on a big database, in the real window.
 *
 *   xvfb-run -a -s "-screen 0 1280x800x24" bench-dashboard DB [ROUNDS]
 *
 * Opens the main window (the same CrmApplication and CrmWindow as the app) on
 * DB, shows the Dashboard and waits until it is loaded (bringing the sales
 * aggregates up to date first if they are stale, as the page does).  Then, for
 * ROUNDS (default 3) rounds over the periods 90 days, 365 days, all time and
 * 30 days, measures the time from the period change to the moment every chart
 * has been drawn with the new data (and the page no longer loads), the worker's
 * own time in crm_dashboard_data_load(), and the longest gap between the ticks of
 * a high-priority 1 ms timeout on the main thread meanwhile, with the main
 * thread's own CPU time within that gap (the main thread must stay responsive
 * while the worker reads; on a shared machine, wall-clock gaps also include
 * time the thread was not scheduled).
 *
 * Prints one line per refresh and a summary per period.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "crm-application.h"
#include "crm-bench.h"
#include "crm-window.h"

static CrmDashboardPage *page;
static gint64 last_tick;
static gint64 last_cpu;
static gint64 longest_gap;
static gint64 longest_gap_cpu;   /* the main thread's own CPU time during that gap */

static gboolean
tick (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = crm_bench_thread_cpu_us ();

  if (last_tick != 0 && now - last_tick > longest_gap)
    {
      longest_gap = now - last_tick;
      longest_gap_cpu = cpu - last_cpu;
    }
  last_tick = now;
  last_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

static gboolean
settled (void)
{
  return !crm_dashboard_page_get_loading (page) && !crm_dashboard_page_get_busy (page) &&
         crm_dashboard_page_get_data (page) != NULL;
}

static gboolean
charts_drawn_since (gint64 since)
{
  for (CrmChartKind kind = CRM_CHART_KIND_REVENUE; kind <= CRM_CHART_KIND_FORECAST; kind++)
    if (crm_chart_get_drawn_at (crm_dashboard_page_get_chart (page, kind)) <= since)
      return FALSE;
  return TRUE;
}

static void
iterate_until (gboolean (*done) (gint64), gint64 arg, double timeout_s)
{
  gint64 end = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);

  while (!done (arg))
    {
      if (g_get_monotonic_time () > end)
        {
          fprintf (stderr, "timed out\n");
          exit (1);
        }
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
settled_arg (gint64 unused)
{
  return settled ();
}

static gboolean
refreshed (gint64 since)
{
  return settled () && charts_drawn_since (since);
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  static const CrmDashboardPeriod order[] = {
    CRM_DASHBOARD_PERIOD_90_DAYS, CRM_DASHBOARD_PERIOD_365_DAYS, CRM_DASHBOARD_PERIOD_ALL, CRM_DASHBOARD_PERIOD_30_DAYS,
  };
  g_autoptr(CrmApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  CrmWindow *window;
  guint rounds = argc > 2 ? (guint) atoi (argv[2]) : 3;
  double ms[4][64], load[4][64];
  gint64 t0;

  if (argc < 2 || rounds == 0 || rounds > 64)
    {
      fprintf (stderr, "usage: %s DB [ROUNDS ≤ 64]\n", argv[0]);
      return 2;
    }
  setlocale (LC_ALL, "");
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  settings = g_settings_new (APP_ID);
  g_settings_set_string (settings, "last-section", "customers");
  g_settings_set_string (settings, "dashboard-period", "30");

  app = crm_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  crm_application_set_database_path (app, argv[1]);
  window = crm_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  page = crm_window_get_dashboard_page (window);

  t0 = g_get_monotonic_time ();
  crm_window_set_section (window, "dashboard");
  iterate_until (settled_arg, 0, 600);
  printf ("first load (incl. any sales refresh): %.0f ms, %s\n",
          (g_get_monotonic_time () - t0) / 1000.0, crm_dashboard_page_get_view (page));

  g_timeout_add_full (G_PRIORITY_HIGH, 1, tick, NULL, NULL);
  for (guint r = 0; r < rounds; r++)
    for (guint p = 0; p < G_N_ELEMENTS (order); p++)
      {
        t0 = g_get_monotonic_time ();
        last_tick = t0;
        last_cpu = crm_bench_thread_cpu_us ();
        longest_gap = 0;
        longest_gap_cpu = 0;
        crm_dashboard_page_set_period (page, order[p]);
        iterate_until (refreshed, t0, 60);
        ms[p][r] = (g_get_monotonic_time () - t0) / 1000.0;
        load[p][r] = crm_dashboard_page_get_data (page)->seconds * 1000;
        printf ("%-14s period change → charts drawn %6.0f ms (worker load %6.0f ms, longest main-thread gap %4.0f ms, of it main-thread CPU %3.0f ms)\n",
                crm_dashboard_period_get_label (order[p]), ms[p][r], load[p][r], longest_gap / 1000.0,
                longest_gap_cpu / 1000.0);
      }

  printf ("\nperiod          median ms   max ms   (of %u)\n", rounds);
  for (guint p = 0; p < G_N_ELEMENTS (order); p++)
    {
      double max = 0;

      for (guint r = 0; r < rounds; r++)
        max = MAX (max, ms[p][r]);
      qsort (ms[p], rounds, sizeof (double), compare_double);
      printf ("%-14s %9.0f %8.0f\n", crm_dashboard_period_get_label (order[p]), ms[p][rounds / 2], max);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

/* bench-ui.c: main-thread stalls of the real window on a big database.
 *
 *   bench-ui DB [ROUNDS]
 *
 * Opens the main window (the same CrmApplication and CrmWindow as the app) on
 * DB under an X server (run it with xvfb-run, see bench/bench-ui.sh) and
 * measures, with a high-priority 1 ms timeout that records the longest gap
 * between its ticks (wall clock, and the main thread's own CPU time over the
 * same gap, which other processes on the machine cannot inflate):
 *
 *  - first rows: main() to the first frame painted with customer rows;
 *  - typing: each search typed one character every 100 ms into the search
 *    entry, until the list has settled on the result (and clearing it again);
 *  - sorting: a header click (total spent, descending) and back to name;
 *  - scrolling: jumps of the scroll bar across all rows, each until a frame
 *    with rows was painted, and a steady wheel-like scroll of 3 rows per frame;
 *  - page loads: get_item() of a far position, which reads one page of 200
 *    rows in one statement on the main thread.
 *
 * Prints one "name: value" line per figure.
 *
 *   bench-ui DB --screenshot OUT.png
 *
 * instead renders the window to OUT.png for the README: the list sorted by
 * total spent (biggest customers first) with the first one open in the form.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "crm-application.h"
#include "crm-bench.h"
#include "crm-window.h"

#define KEY_INTERVAL_MS 100
#define SETTLE_MS       400

static CrmCustomersPage *page;
static GtkColumnView *view;
static GdkFrameClock *frame_clock;

/* The stall monitor. */
static gint64 last_tick;
static gint64 last_tick_cpu;
static gint64 max_gap;
static gint64 max_gap_cpu;
static guint  n_frames;
static gint64 last_paint;
static gint64 max_frame_interval;
static gboolean trace;

static gboolean
on_tick (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = crm_bench_thread_cpu_us ();

  if (last_tick != 0)
    {
      max_gap = MAX (max_gap, now - last_tick);
      max_gap_cpu = MAX (max_gap_cpu, cpu - last_tick_cpu);
      /* BENCH_UI_TRACE=1: when, to match with `perf record -k CLOCK_MONOTONIC`. */
      if (trace && cpu - last_tick_cpu > 25000)
        g_printerr ("stall %.1f ms cpu, %.6f .. %.6f s\n", (cpu - last_tick_cpu) / 1000.0,
                    last_tick / 1e6, now / 1e6);
    }
  last_tick = now;
  last_tick_cpu = cpu;

  return G_SOURCE_CONTINUE;
}

static void
reset_monitor (void)
{
  last_tick = g_get_monotonic_time ();
  last_tick_cpu = crm_bench_thread_cpu_us ();
  max_gap = max_gap_cpu = 0;
  n_frames = 0;
  last_paint = 0;
  max_frame_interval = 0;
}

static void
on_after_paint (GdkFrameClock *clock)
{
  gint64 now = g_get_monotonic_time ();

  if (last_paint != 0)
    max_frame_interval = MAX (max_frame_interval, now - last_paint);
  last_paint = now;
  n_frames++;
}

static void
spin_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
}

typedef gboolean (*Predicate) (void);

static gboolean
spin_until (Predicate done,
            guint     timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!done ())
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, TRUE);
    }

  return TRUE;
}

static gboolean
rows_shown (void)
{
  return crm_bench_rows_shown (view);
}

static gboolean
list_idle (void)
{
  return !crm_customer_list_get_loading (crm_customers_page_get_list (page));
}

/* Waits for a frame painted after now. */
static void
wait_frame (void)
{
  guint frames = n_frames;

  gtk_widget_queue_draw (GTK_WIDGET (view));
  while (n_frames == frames)
    g_main_context_iteration (NULL, TRUE);
}

static void
report (const char *name,
        gint64      wall_us,
        gint64      cpu_us)
{
  g_print ("%s-max-stall-ms: %.1f\n", name, wall_us / 1000.0);
  g_print ("%s-max-stall-cpu-ms: %.1f\n", name, cpu_us / 1000.0);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Types @text one character at a time, then waits for the result. */
static void
type_search (const char *label,
             const char *text)
{
  GtkEditable *entry = crm_customers_page_get_search_entry (page);
  GString *typed = g_string_new (NULL);
  g_autofree char *name = g_strdup_printf ("type-%s", label);
  gint64 last_key, settled;

  reset_monitor ();
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      g_string_append_len (typed, p, g_utf8_next_char (p) - p);
      gtk_editable_set_text (entry, typed->str);
      gtk_editable_set_position (entry, -1);
      spin_ms (KEY_INTERVAL_MS);
    }
  last_key = g_get_monotonic_time () - KEY_INTERVAL_MS * 1000;

  /* The entry's search delay, the query on its worker, the swap, the frame. */
  spin_ms (SETTLE_MS);
  spin_until (list_idle, 10000);
  wait_frame ();
  settled = g_get_monotonic_time ();

  report (name, max_gap, max_gap_cpu);
  g_print ("%s-result: %s\n", name, crm_customers_page_get_count_text (page));
  g_print ("%s-max-frame-interval-ms: %.1f\n", name, max_frame_interval / 1000.0);
  g_print ("%s-last-key-to-result-ms: <= %.1f\n", name, (settled - last_key) / 1000.0);
  g_string_free (typed, TRUE);
}

static void
clear_search (const char *label)
{
  g_autofree char *name = g_strdup_printf ("clear-%s", label);

  reset_monitor ();
  gtk_editable_set_text (crm_customers_page_get_search_entry (page), "");
  spin_ms (SETTLE_MS);
  spin_until (list_idle, 10000);
  wait_frame ();
  report (name, max_gap, max_gap_cpu);
}

static void
sort_by (guint        column_index,
         GtkSortType  direction,
         const char  *label)
{
  GListModel *columns = gtk_column_view_get_columns (view);
  g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, column_index);
  g_autofree char *name = g_strdup_printf ("sort-%s", label);
  gint64 start;

  reset_monitor ();
  start = g_get_monotonic_time ();
  gtk_column_view_sort_by_column (view, column, direction);
  spin_ms (50);
  spin_until (list_idle, 30000);
  wait_frame ();
  report (name, max_gap, max_gap_cpu);
  g_print ("%s-click-to-rows-ms: %.1f\n", name, (g_get_monotonic_time () - start) / 1000.0);
}

static GtkAdjustment *
vadjustment (void)
{
  return gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
}

static void
scroll_jumps (guint rounds)
{
  GtkAdjustment *adj = vadjustment ();
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  GRand *rand = g_rand_new_with_seed (42);
  gint64 worst = 0;

  reset_monitor ();
  for (guint i = 0; i < rounds; i++)
    {
      double range = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj);
      double to = g_rand_double (rand) * range;
      gint64 start = g_get_monotonic_time ();
      gint64 took;

      gtk_adjustment_set_value (adj, to);
      wait_frame ();
      /* The frame drew rows (not a blank gap while pages load). */
      spin_until (rows_shown, 5000);
      took = g_get_monotonic_time () - start;
      g_array_append_val (times, took);
      worst = MAX (worst, took);
      spin_ms (30);
    }
  g_array_sort (times, compare_gint64);

  report ("scroll-jump", max_gap, max_gap_cpu);
  g_print ("scroll-jump-count: %u\n", rounds);
  g_print ("scroll-jump-to-frame-median-ms: %.1f\n", g_array_index (times, gint64, times->len / 2) / 1000.0);
  g_print ("scroll-jump-to-frame-max-ms: %.1f\n", worst / 1000.0);
  g_rand_free (rand);
}

static void
scroll_steady (guint seconds)
{
  GtkAdjustment *adj = vadjustment ();
  gint64 end;
  double row_height;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (crm_customers_page_get_list (page)));
  double start_value = gtk_adjustment_get_upper (adj) * 0.37;

  /* Three rows per frame: a brisk wheel or touchpad scroll, crossing a
   * 200-row page every ~67 frames. */
  row_height = n > 0 ? gtk_adjustment_get_upper (adj) / n : 30;
  gtk_adjustment_set_value (adj, start_value);
  wait_frame ();
  spin_ms (100);

  reset_monitor ();
  end = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end)
    {
      gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) + 3 * row_height);
      wait_frame ();
    }

  report ("scroll-steady", max_gap, max_gap_cpu);
  g_print ("scroll-steady-frames: %u\n", n_frames);
  g_print ("scroll-steady-rows: %.0f\n", (gtk_adjustment_get_value (adj) - start_value) / row_height);
  g_print ("scroll-steady-max-frame-interval-ms: %.1f\n", max_frame_interval / 1000.0);
}

static void
page_loads (guint rounds)
{
  GListModel *list = G_LIST_MODEL (crm_customers_page_get_list (page));
  guint n = g_list_model_get_n_items (list);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  GRand *rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < rounds && n > 0; i++)
    {
      /* A position nobody has looked at: its page is not loaded yet. */
      guint position = g_rand_int_range (rand, 0, (gint32) n);
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GObject) item = g_list_model_get_item (list, position);
      gint64 took = g_get_monotonic_time () - start;

      g_assert (item != NULL);
      g_array_append_val (times, took);
    }
  g_array_sort (times, compare_gint64);

  if (times->len > 0)
    {
      g_print ("page-load-count: %u\n", times->len);
      g_print ("page-load-median-ms: %.2f\n", g_array_index (times, gint64, times->len / 2) / 1000.0);
      g_print ("page-load-p95-ms: %.2f\n", g_array_index (times, gint64, times->len * 95 / 100) / 1000.0);
      g_print ("page-load-max-ms: %.2f\n", g_array_index (times, gint64, times->len - 1) / 1000.0);
    }
  g_rand_free (rand);
}

static gboolean
save_png (GtkWidget  *window,
          const char *path)
{
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  /* A window waiting for a layout paints nothing yet: try over a few frames. */
  for (guint attempt = 0; node == NULL && attempt < 100; attempt++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_to_node (snapshot);
      if (node == NULL)
        spin_ms (20);
    }
  if (node == NULL)
    return FALSE;

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  return texture != NULL && gdk_texture_save_to_png (texture, path);
}

static int
screenshot (GtkWidget  *window,
            const char *path)
{
  GtkSelectionModel *model = gtk_column_view_get_model (view);

  /* Names descending: Chinese names (higher code points) first, and the header
   * arrow tells the truth (GTK 4.8 would also leave one on Name if another
   * column were sorted). */
  sort_by (0, GTK_SORT_DESCENDING, "screenshot");
  spin_ms (1000);
  {
    CrmQuery *query = crm_customer_list_get_query (crm_customers_page_get_list (page));
    g_autoptr(CrmCustomer) first = g_list_model_get_item (G_LIST_MODEL (model), 0);

    g_print ("sorted by %s%s; first %s\n", crm_query_get_sort_column (query),
             crm_query_get_sort_descending (query) ? " descending" : "", crm_customer_get_name (first));
  }
  /* BENCH_UI_SHOT_LIST=1: the list alone, every column. */
  if (g_getenv ("BENCH_UI_SHOT_LIST") == NULL)
    gtk_selection_model_select_item (model, 0, TRUE);
  spin_ms (1500);

  if (!save_png (window, path))
    {
      g_printerr ("could not write %s\n", path);
      return 1;
    }
  g_print ("screenshot: %s (%dx%d)\n", path, gtk_widget_get_width (window), gtk_widget_get_height (window));
  return 0;
}

static void
on_realize (GtkWidget *window)
{
  frame_clock = gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (window)));
  g_signal_connect (frame_clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CrmApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  CrmWindow *window;
  gboolean shot = argc > 3 && g_str_equal (argv[2], "--screenshot");
  guint rounds = argc > 2 && !shot ? (guint) atoi (argv[2]) : 40;
  gint64 first_rows;

  crm_bench_mark_main ();
  setlocale (LC_ALL, "");
  /* The build tree's catalogues (CLIENTELE_LOCALEDIR=BUILDDIR/po), else the installed ones. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("CLIENTELE_LOCALEDIR") ? g_getenv ("CLIENTELE_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  trace = g_getenv ("BENCH_UI_TRACE") != NULL;

  if (argc < 2)
    {
      g_printerr ("usage: %s DB [ROUNDS | --screenshot OUT.png]\n", argv[0]);
      return 2;
    }
  if (!g_file_test (argv[1], G_FILE_TEST_IS_REGULAR))
    {
      g_printerr ("%s: no database at %s\n", argv[0], argv[1]);
      return 1;
    }

  app = crm_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return 1;
    }
  crm_application_set_database_path (app, argv[1]);

  g_timeout_add_full (G_PRIORITY_HIGH, 1, on_tick, NULL, NULL);

  window = crm_window_new (app);
  g_signal_connect (window, "realize", G_CALLBACK (on_realize), NULL);
  /* Screenshots: wide enough for the list's amounts next to the open form
   * (run with an X screen of 1920x1080; BENCH_UI_SHOT_HEIGHT=N for a taller window that
   * shows the whole form, with a screen as tall). */
  if (shot)
    gtk_window_set_default_size (GTK_WINDOW (window), 1600,
                                 g_getenv ("BENCH_UI_SHOT_HEIGHT") ? atoi (g_getenv ("BENCH_UI_SHOT_HEIGHT")) : 900);
  else
    gtk_window_set_default_size (GTK_WINDOW (window), 1180, 760);
  page = crm_window_get_customers_page (window);
  view = crm_customers_page_get_column_view (page);
  if (crm_window_get_store (window) == NULL)
    {
      g_printerr ("%s: cannot open %s\n", argv[0], argv[1]);
      return 1;
    }
  reset_monitor ();
  gtk_window_present (GTK_WINDOW (window));

  /* First rows, in-process (the app's own figure, from exec, is
   * CLIENTELE_BENCH_FIRST_ROWS in bench-ui.sh). */
  while (!(n_frames > 0 && rows_shown ()))
    g_main_context_iteration (NULL, TRUE);
  first_rows = g_get_monotonic_time ();
  g_print ("customers: %u\n", g_list_model_get_n_items (G_LIST_MODEL (crm_customers_page_get_list (page))));
  g_print ("in-process-first-rows-ms: %.1f\n", (first_rows - crm_bench_get_main_time ()) / 1000.0);
  if (shot)
    {
      int ret;

      spin_ms (500);
      ret = screenshot (GTK_WIDGET (window), argv[3]);
      gtk_window_destroy (GTK_WINDOW (window));
      spin_ms (50);
      return ret;
    }
  report ("startup", max_gap, max_gap_cpu);
  {
    guint rows = 0;

    for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (view)); child != NULL;
         child = gtk_widget_get_next_sibling (child))
      if (GTK_IS_LIST_VIEW (child))
        for (GtkWidget *row = gtk_widget_get_first_child (child); row != NULL;
             row = gtk_widget_get_next_sibling (row))
          rows++;
    g_print ("row-widgets: %u\n", rows);
  }
  spin_ms (1000);

  type_search ("latin", "wan");
  clear_search ("latin");
  type_search ("cjk", "王丽娟");
  clear_search ("cjk");
  type_search ("digits", "138");
  clear_search ("digits");

  sort_by (6, GTK_SORT_DESCENDING, "total-spent");
  sort_by (0, GTK_SORT_ASCENDING, "name");

  scroll_jumps (rounds);
  scroll_steady (3);
  page_loads (rounds * 5);

  gtk_window_destroy (GTK_WINDOW (window));
  spin_ms (50);

  return 0;
}

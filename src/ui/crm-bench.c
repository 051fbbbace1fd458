/* crm-bench.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <time.h>

#include "crm-bench.h"

static gint64 main_time;

void
crm_bench_mark_main (void)
{
  main_time = g_get_monotonic_time ();
}

gint64
crm_bench_get_main_time (void)
{
  return main_time;
}

/* A mapped, non-empty label or inscription (list cells) inside @widget. */
static gboolean
has_text (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  if (GTK_IS_LABEL (widget) && gtk_label_get_label (GTK_LABEL (widget))[0] != '\0')
    return TRUE;
  if (GTK_IS_INSCRIPTION (widget) && gtk_inscription_get_text (GTK_INSCRIPTION (widget)) != NULL &&
      gtk_inscription_get_text (GTK_INSCRIPTION (widget))[0] != '\0')
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_text (child))
      return TRUE;

  return FALSE;
}

gint64
crm_bench_thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

gboolean
crm_bench_rows_shown (GtkColumnView *view)
{
  g_return_val_if_fail (GTK_IS_COLUMN_VIEW (view), FALSE);

  /* The rows live in the column view's inner GtkListView; the header's
   * titles are outside it. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child) && has_text (child))
      return TRUE;

  return FALSE;
}

typedef struct
{
  GApplication  *app;
  GtkColumnView *view;
  GdkFrameClock *clock;
  gulong         handler;
  gint64         mapped_at;
  gint64         rows_at;
  guint          frames;
} Watch;

static double
since_main_ms (gint64 t)
{
  return (t - main_time) / 1000.0;
}

static void
on_after_paint (GdkFrameClock *clock,
                Watch         *watch)
{
  gint64 now = g_get_monotonic_time ();

  watch->frames++;
  if (watch->mapped_at == 0)
    watch->mapped_at = now;

  /* Layout ran before this paint: if rows are mapped now, this frame drew them. */
  if (!crm_bench_rows_shown (watch->view))
    return;

  watch->rows_at = now;
  g_print ("first-rows-ms: %.1f\n", since_main_ms (now));
  g_print ("first-frame-ms: %.1f\n", since_main_ms (watch->mapped_at));
  g_print ("frames: %u\n", watch->frames);
  g_print ("main-monotonic-us: %" G_GINT64_FORMAT "\n", main_time);
  fflush (stdout);

  g_signal_handler_disconnect (clock, watch->handler);
  g_application_quit (watch->app);
  g_object_unref (watch->app);
  g_object_unref (watch->view);
  g_free (watch);
}

static void
on_window_realize (GtkWidget *window,
                   Watch     *watch)
{
  GdkFrameClock *clock = gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (window)));

  watch->handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), watch);
}

void
crm_bench_watch_first_rows (GApplication  *app,
                            GtkWindow     *window,
                            GtkColumnView *view)
{
  Watch *watch;

  g_return_if_fail (G_IS_APPLICATION (app));
  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (GTK_IS_COLUMN_VIEW (view));

  if (g_getenv ("CLIENTELE_BENCH_FIRST_ROWS") == NULL)
    return;

  watch = g_new0 (Watch, 1);
  watch->app = g_object_ref (app);
  watch->view = g_object_ref (view);

  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    on_window_realize (GTK_WIDGET (window), watch);
  else
    g_signal_connect (window, "realize", G_CALLBACK (on_window_realize), watch);
}

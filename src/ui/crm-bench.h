/* crm-bench.h: instrumentation for the UI benchmarks (bench/bench-ui.sh).
 *
 * Costs nothing unless asked: CLIENTELE_BENCH_FIRST_ROWS=1 makes the app print
 * the time from main() to the first frame drawn with customer rows, then quit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Called first thing in main(): the zero of the measurements. */
void     crm_bench_mark_main         (void);
/* Monotonic time (µs) of crm_bench_mark_main(), 0 if never called. */
gint64   crm_bench_get_main_time     (void);
/* CPU time (µs) the calling thread has used: what a main-loop stall spent working. */
gint64   crm_bench_thread_cpu_us     (void);
/* TRUE when a row of @view shows text (a customer row is mapped). */
gboolean crm_bench_rows_shown        (GtkColumnView *view);
/* If CLIENTELE_BENCH_FIRST_ROWS is set: once @view has rows mapped and a frame
 * has been painted after that, prints "first-rows-ms: N" (and the stages) on
 * stdout and quits @app. */
void     crm_bench_watch_first_rows  (GApplication  *app,
                                      GtkWindow     *window,
                                      GtkColumnView *view);

G_END_DECLS

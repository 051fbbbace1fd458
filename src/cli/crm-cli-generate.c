/* crm-cli-generate.c: the generate command of clientele-cli, which adds
 * realistic sample customers and orders (local demo data, never synced).
 *
 *   generate --customers N --orders M [--seed S] [--as-of YYYY-MM-DD] [--force]
 *
 * Ctrl+C cancels: the run rolls back and leaves the database as it was.  A database that
 * already holds customers is refused (exit 1, nothing written) unless --force: sample
 * customers mixed into a shop's own cannot be told apart afterwards.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <inttypes.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "crm-cli.h"
#include "crm-generate.h"
#include "crm-text.h"

static char *opt_customers, *opt_orders, *opt_seed, *opt_as_of;
static gboolean opt_force;

static const GOptionEntry generate_entries[] = {
  { "customers", 0, 0, G_OPTION_ARG_FILENAME, &opt_customers, N_("Number of customers to add (required)"), N_("N") },
  { "orders", 0, 0, G_OPTION_ARG_FILENAME, &opt_orders, N_("Number of orders to add, spread over them (required)"), N_("M") },
  { "seed", 0, 0, G_OPTION_ARG_FILENAME, &opt_seed, N_("Random seed: the same seed gives the same data (default 1)"), N_("S") },
  { "as-of", 0, 0, G_OPTION_ARG_FILENAME, &opt_as_of, N_("Date the data end at (default today)"), N_("YYYY-MM-DD") },
  { "force", 0, 0, G_OPTION_ARG_NONE, &opt_force, N_("Add the sample data even if the database already holds customers"), NULL },
  { NULL }
};

typedef struct
{
  CrmStore           *store;
  CrmGenerateOptions  opts;
  GCancellable       *cancellable;
  GMainLoop          *loop;
  GError             *error;
  gboolean            ok;
  gboolean            tty;
  gint64              started;
  CrmGenerateProgressInfo last;
} GenerateRun;

static void
generate_progress (const CrmGenerateProgressInfo *info,
                   gpointer                       user_data)
{
  GenerateRun *run = user_data;

  run->last = *info;
  if (!run->tty)
    return;

  if (info->phase == CRM_GENERATE_PHASE_WRITING)
    {
      /* customers are written first, then the orders: count both */
      double total = (double) info->customers_total + info->orders_total;
      double done = total > 0 ? (info->customers_done + info->orders_done) / total : 1.0;
      fputc ('\r', stderr);
      fprintf (stderr, _("%3.0f%%  %" PRIu64 " customers, %" PRIu64 " orders, %"
                         PRIu64 " order lines"),
               100 * done, info->customers_done, info->orders_done, info->lines_done);
    }
  else if (info->phase == CRM_GENERATE_PHASE_INDEXING)
    fprintf (stderr, "\r%-70s", _("Indexing…"));
  else if (info->phase == CRM_GENERATE_PHASE_COMMITTING)
    fprintf (stderr, "\r%-70s", _("Saving…"));
  else
    fprintf (stderr, "\r%-70s\r", "");
  fflush (stderr);
}

static gboolean
quit_loop (GMainLoop *loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static gpointer
generate_thread (gpointer data)
{
  GenerateRun *run = data;

  run->ok = crm_generate (run->store, &run->opts, generate_progress, run, run->cancellable, &run->error);
  /* Through the main context, not g_main_loop_quit() from here: a run that ends before the main
   * thread got to g_main_loop_run() would quit a loop not yet running, which then ran forever (a
   * small generate on a loaded machine hung the kill campaign's set-up so). */
  g_idle_add_full (G_PRIORITY_DEFAULT, (GSourceFunc) quit_loop, g_main_loop_ref (run->loop),
                   (GDestroyNotify) g_main_loop_unref);
  return NULL;
}

static gboolean
on_interrupt (gpointer data)
{
  GenerateRun *run = data;

  g_cancellable_cancel (run->cancellable);
  crm_cli_wait_interrupt ();
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_as_of (const char  *text,
             gint64      *out,
             GError     **error)
{
  g_autoptr(GError) date_error = NULL;
  g_autoptr(GDateTime) dt = NULL;
  int y, m, d;

  if (!crm_text_check_date (text, &date_error) || sscanf (text, "%d-%d-%d", &y, &m, &d) != 3)
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--as-of: “%s” is not a date: use YYYY-MM-DD, e.g. 2025-01-01"), valid);
      return FALSE;
    }
  /* The end of that day, UTC. */
  dt = g_date_time_new_utc (y, m, d, 23, 59, 59.0);
  *out = g_date_time_to_unix (dt) * 1000 + 999;
  return TRUE;
}

static int
cmd_generate (CrmStore  *store,
              char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GenerateRun run = { 0 };
  GThread *thread;
  guint sigint, sigterm;
  guint64 rows;
  double seconds;

  if (opt_customers == NULL || opt_orders == NULL)
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("generate needs --customers N and --orders M"));

  run.opts.seed = 1;
  run.opts.force = opt_force;
  if (!crm_cli_parse_count ("--customers", opt_customers, 100000000, &run.opts.customers, &error) ||
      !crm_cli_parse_count ("--orders", opt_orders, 2000000000, &run.opts.orders, &error) ||
      (opt_seed && !crm_cli_parse_count ("--seed", opt_seed, G_MAXUINT64, &run.opts.seed, &error)) ||
      (opt_as_of && !parse_as_of (opt_as_of, &run.opts.as_of, &error)))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", error->message);
  if (run.opts.orders > 0 && run.opts.customers == 0)
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("--orders needs at least one customer (--customers)"));

  loop = g_main_loop_new (NULL, FALSE);
  run.store = store;
  run.cancellable = cancellable;
  run.loop = loop;
  run.tty = isatty (STDERR_FILENO);
  run.started = g_get_monotonic_time ();

  /* Ctrl+C cancels: the run rolls back and leaves the database as it was. */
  sigint = g_unix_signal_add (SIGINT, on_interrupt, &run);
  sigterm = g_unix_signal_add (SIGTERM, on_interrupt, &run);
  thread = g_thread_new ("generate", generate_thread, &run);
  g_main_loop_run (loop);
  g_thread_join (thread);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  if (!run.ok)
    {
      if (g_error_matches (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&run.error);
          return crm_cli_fail (CRM_CLI_EXIT_FAILED, _("Cancelled: nothing was added"));
        }
      error = run.error;
      if (g_error_matches (error, CRM_GENERATE_ERROR, CRM_GENERATE_ERROR_NOT_EMPTY))
        return crm_cli_fail (CRM_CLI_EXIT_FAILED, "%s %s", error->message,
                             _("Use another database (--database), or add --force to add them anyway."));
      return crm_cli_fail_error (error);
    }

  seconds = (g_get_monotonic_time () - run.started) / 1e6;
  rows = run.last.customers_done + run.last.orders_done + run.last.lines_done;

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "customers");
      json_builder_add_int_value (b, run.last.customers_done);
      json_builder_set_member_name (b, "orders");
      json_builder_add_int_value (b, run.last.orders_done);
      json_builder_set_member_name (b, "order_lines");
      json_builder_add_int_value (b, run.last.lines_done);
      json_builder_set_member_name (b, "seed");
      json_builder_add_int_value (b, (gint64) run.opts.seed);
      json_builder_set_member_name (b, "seconds");
      json_builder_add_double_value (b, seconds);
      json_builder_set_member_name (b, "rows_per_second");
      json_builder_add_double_value (b, seconds > 0 ? rows / seconds : 0);
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else
    printf (_("Added %" PRIu64 " customers, %" PRIu64 " orders and %" PRIu64
              " order lines in %.1f s (%.0f rows/s, seed %" PRIu64 ")\n"),
            run.last.customers_done, run.last.orders_done, run.last.lines_done, seconds,
            seconds > 0 ? rows / seconds : 0, run.opts.seed);

  return CRM_CLI_EXIT_OK;
}

const CrmCliCommand crm_cli_generate_commands[] = {
  { "generate", NULL, N_("Add realistic sample customers and orders (local demo data, never synced)"), 0, 0,
    generate_entries, TRUE, cmd_generate },
  { NULL }
};

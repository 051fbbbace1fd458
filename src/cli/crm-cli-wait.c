/* crm-cli-wait.c: clientele-cli waits while another program writes to the database.
 *
 * A cron job that runs while the app (or another clientele-cli) imports or recomputes waits
 * for it instead of failing after a few seconds.  After a second it says on stderr what it
 * waits for; it gives up after --wait seconds (default 600) or on Ctrl+C, and then its error
 * names the operation that holds the database when that program said so (crm-store-wait.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "crm-cli.h"

#define SAY_AFTER_MS 1000

static volatile sig_atomic_t interrupted;
/* CLOCK_MONOTONIC second of the last call of the wait function: the store calls it every
 * 100 ms while it waits, so a signal within a second of it came during a wait. */
static volatile sig_atomic_t last_wait_s = -10;
static gint64 limit_ms;
static gboolean said;

static sig_atomic_t
monotonic_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);   /* async-signal-safe */
  return (sig_atomic_t) ts.tv_sec;
}

/* Ctrl+C or SIGTERM during a wait ends the wait (and the command, with its error); otherwise
 * the signal does what it always did. */
static void
on_signal (int signum)
{
  if (monotonic_s () - last_wait_s <= 1)
    {
      interrupted = 1;
      return;
    }
  signal (signum, SIG_DFL);
  raise (signum);
}

static gboolean
on_wait (CrmStore *store,
         gint64    waited_ms,
         gpointer  user_data)
{
  last_wait_s = monotonic_s ();
  if (interrupted || waited_ms >= limit_ms)
    return FALSE;

  if (waited_ms < SAY_AFTER_MS)
    said = FALSE;
  else if (!said)
    {
      g_autofree char *holder = crm_store_describe_writer (store);
      g_autofree char *line = NULL;

      said = TRUE;
      if (holder != NULL)
        line = g_strdup_printf (_("waiting for %s to finish…"), holder);
      else
        line = g_strdup (_("waiting for another program to finish writing to the database…"));
      g_strdelimit (line, "\r\n", ' ');
      fprintf (stderr, "%s: %s\n", CRM_CLI_PROGRAM, line);
      fflush (stderr);
    }
  return TRUE;
}

/* Every store the CLI opens from now on waits so, up to @limit_s seconds. */
void
crm_cli_wait_install (guint64 limit_s)
{
  struct sigaction action;

  limit_ms = (gint64) MIN (limit_s, G_MAXINT64 / 1000) * 1000;
  memset (&action, 0, sizeof action);
  action.sa_handler = on_signal;
  sigemptyset (&action.sa_mask);
  sigaction (SIGINT, &action, NULL);
  sigaction (SIGTERM, &action, NULL);
  crm_store_set_default_wait_func (on_wait, NULL);
}

/* For a command that handles Ctrl+C itself (generate): a wait in progress ends too. */
void
crm_cli_wait_interrupt (void)
{
  interrupted = 1;
}

/* bench-locks.c: what the lock layer (crm-store-lock.c) costs on small, lock-heavy work.
 *
 *   bench-locks [N]                           # the OFD layer
 *   CLIENTELE_POSIX_LOCKS=1 bench-locks [N]   # SQLite's stock POSIX locks
 *
 * N single-row INSERTs, each its own transaction, with synchronous=FULL (the store's setting:
 * an fsync per commit) and with synchronous=OFF (the lock calls without the fsync to hide them),
 * then 10 N point SELECTs (a read transaction each: two lock calls on the -shm).  The file is in
 * the current directory (or $BENCH_DIR): where the database would be.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "crm-store.h"

/* CPU time of the process, µs: less at the mercy of other programs than the wall clock. */
static gint64
cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

typedef struct
{
  double wall;   /* µs per operation */
  double cpu;
} Cost;

static Cost
run_inserts (sqlite3    *db,
             const char *synchronous,
             guint       n)
{
  g_autofree char *pragma = g_strdup_printf ("PRAGMA synchronous = %s", synchronous);
  sqlite3_stmt *stmt = NULL;
  gint64 start, start_cpu;

  sqlite3_exec (db, pragma, NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO bench (v) VALUES (?)", -1, &stmt, NULL);
  start = g_get_monotonic_time ();
  start_cpu = cpu_us ();
  for (guint i = 0; i < n; i++)
    {
      sqlite3_bind_int64 (stmt, 1, i);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        g_error ("insert: %s", sqlite3_errmsg (db));
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  return (Cost) { (g_get_monotonic_time () - start) / (double) n, (cpu_us () - start_cpu) / (double) n };
}

static Cost
run_selects (sqlite3 *db,
             guint    n)
{
  sqlite3_stmt *stmt = NULL;
  gint64 start, start_cpu, sum = 0;

  sqlite3_prepare_v2 (db, "SELECT v FROM bench WHERE id = ?", -1, &stmt, NULL);
  start = g_get_monotonic_time ();
  start_cpu = cpu_us ();
  for (guint i = 0; i < n; i++)
    {
      sqlite3_bind_int64 (stmt, 1, 1 + i % 1000);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        sum += sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  return (Cost) { (g_get_monotonic_time () - start) / (double) n, (cpu_us () - start_cpu) / (double) n };
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = NULL;
  g_autofree char *path = NULL;
  const char *dir = g_getenv ("BENCH_DIR");
  guint n = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 10000;
  Cost full, off, sel;
  sqlite3 *db;

  crm_store_lock_install ();
  path = g_strdup_printf ("%s/bench-locks-%d.db", dir ? dir : ".", (int) getpid ());
  store = crm_store_open (path, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  db = crm_store_get_db (store);
  sqlite3_exec (db, "CREATE TABLE bench (id INTEGER PRIMARY KEY, v INTEGER)", NULL, NULL, NULL);

  full = run_inserts (db, "FULL", n);
  off = run_inserts (db, "OFF", n);
  sel = run_selects (db, n * 10);
  printf ("%s locks: %u inserts, synchronous=FULL %.1f µs each (CPU %.2f), synchronous=OFF %.2f µs "
          "(CPU %.2f); %u selects %.2f µs (CPU %.2f)\n",
          crm_store_lock_is_private () ? "OFD" : "POSIX", n, full.wall, full.cpu, off.wall, off.cpu,
          n * 10, sel.wall, sel.cpu);

  g_clear_object (&store);
  g_unlink (path);
  return 0;
}

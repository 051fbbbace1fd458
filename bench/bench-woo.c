/* bench-woo.c: one WooCommerce round pulling a shop's customers and orders into a new database.
 *
 *   bench-woo URL KEY SECRET DB
 *
 * bench/bench-woo.sh starts the fake shop (tests/sync/woo-fake.py) with N orders on loopback and
 * runs this, then curl fetching the same pages as the reference.  Prints the counts, the wall
 * and CPU time of the round and the orders pulled per second.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <time.h>

#include "crm-account.h"
#include "crm-store.h"
#include "crm-woo.h"

static gint64
cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = NULL;
  g_autoptr(CrmAccount) account = NULL;
  g_autoptr(CrmWoo) woo = NULL;
  CrmSyncCounts counts = { 0 };
  gint64 start, start_cpu, orders;
  double wall;

  if (argc != 5)
    {
      fprintf (stderr, "usage: %s URL KEY SECRET DB\n", argv[0]);
      return 2;
    }
  if (!(store = crm_store_open (argv[4], &error)))
    g_error ("%s", error->message);
  account = crm_account_new (CRM_ACCOUNT_WOOCOMMERCE, "Bench", argv[1], argv[2]);
  if (!crm_account_add (store, account, NULL, NULL, &error))
    g_error ("%s", error->message);
  woo = crm_woo_new (argv[1], argv[2], argv[3], NULL);
  start = g_get_monotonic_time ();
  start_cpu = cpu_us ();
  if (!crm_woo_round (store, account, woo, &counts, &error))
    g_error ("%s", error->message);
  wall = (g_get_monotonic_time () - start) / 1e6;
  orders = crm_db_query_int64 (crm_store_get_db (store), "SELECT count(*) FROM sync_orders", -1);
  printf ("pulled %u records (%" G_GINT64_FORMAT " orders) in %.2f s wall, %.2f s CPU, %u requests: %.0f orders/s\n",
          counts.pulled, orders, wall, (cpu_us () - start_cpu) / 1e6, crm_woo_get_requests (woo), orders / wall);
  return 0;
}

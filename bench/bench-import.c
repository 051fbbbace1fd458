/* bench-import.c: export and import rates at scale (see bench/bench-import.sh, RESULTS.md).
 *
 *   bench-import generate N DB CSV     make DB with N generated customers, export them to CSV
 *   bench-import import DB CSV         import CSV into DB (fresh or not), report rows/s
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>

#include "crm-export.h"
#include "crm-generate.h"
#include "crm-import.h"

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = NULL;
  double t0;

  if (argc == 5 && g_str_equal (argv[1], "generate"))
    {
      CrmGenerateOptions opts = { g_ascii_strtoull (argv[2], NULL, 10), 0, 42, 0 };
      guint64 rows = 0;

      if (!(store = crm_store_open (argv[3], &error)))
        goto fail;
      t0 = now_s ();
      if (!crm_generate (store, &opts, NULL, NULL, NULL, &error))
        goto fail;
      printf ("generate: %" G_GUINT64_FORMAT " customers in %.2f s\n", opts.customers, now_s () - t0);
      t0 = now_s ();
      if (!crm_export_customers_csv (store, NULL, argv[4], CRM_CSV_ENCODING_UTF8, NULL, NULL, NULL, &rows, &error))
        goto fail;
      {
        double dt = now_s () - t0;
        printf ("export: %" G_GUINT64_FORMAT " rows in %.2f s = %.0f rows/s\n", rows, dt, rows / dt);
      }
      return 0;
    }
  if (argc == 4 && g_str_equal (argv[1], "import"))
    {
      g_autoptr(CrmImporter) imp = NULL;
      const CrmImportReport *r;

      if (!(store = crm_store_open (argv[2], &error)))
        goto fail;
      imp = crm_importer_new (store, CRM_IMPORT_CUSTOMERS, argv[3]);
      t0 = now_s ();
      if (!crm_importer_prepare (imp, NULL, &error) || !crm_importer_run (imp, NULL, NULL, NULL, &error))
        goto fail;
      r = crm_importer_get_report (imp);
      printf ("import (%s%s%s): %" G_GUINT64_FORMAT " inserted, %" G_GUINT64_FORMAT " updated, %" G_GUINT64_FORMAT
              " skipped, %" G_GUINT64_FORMAT " rejected in %.2f s = %.0f rows/s\n",
              g_getenv ("CLIENTELE_IMPORT_MODE") ? g_getenv ("CLIENTELE_IMPORT_MODE") : "auto",
              g_getenv ("CLIENTELE_IMPORT_JOURNAL") ? ", journal off" : "",
              g_getenv ("CLIENTELE_IMPORT_FTS") ? ", FTS by trigger" : "",
              r->inserted, r->updated, r->skipped, r->rejected, now_s () - t0, r->rows / (now_s () - t0));
      return 0;
    }
  fprintf (stderr, "usage: bench-import generate N DB CSV | import DB CSV\n");
  return 2;

fail:
  fprintf (stderr, "bench-import: %s\n", error->message);
  return 1;
}

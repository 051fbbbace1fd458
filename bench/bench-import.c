/* bench-import.c: export and import rates at scale (see bench/bench-import.sh, RESULTS.md).
 *
 *   bench-import generate N DB CSV              make DB with N generated customers, export to CSV
 *   bench-import import [KNOB...] DB CSV        import CSV into DB (fresh or not), report rows/s
 *
 * The knobs measure one design choice of the importer against its alternative; the app and the
 * CLI always run with none (crm-import-tuning-private.h):
 *   --mode=auto|bulk|incremental   duplicate detection in memory with indexes re-made, or SQL
 *   --journal=off                  no change journal rows
 *   --fts=trigger                  the per-row FTS triggers instead of one fill at the end
 *   --journal-mode=wal             keep the WAL on a large run
 *   --cache-mb=N                   the run's page cache (default 256)
 *   --threads=1                    customers on one thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>

#include "crm-export.h"
#include "crm-generate.h"
#include "crm-import.h"
#include "crm-import-tuning-private.h"

/* The knobs in argv[2..argc - 3]; FALSE on an unknown one. */
static gboolean
parse_knobs (int               argc,
             char            **argv,
             CrmImportTuning  *tuning)
{
  for (int i = 2; i < argc - 2; i++)
    {
      const char *a = argv[i];

      if (g_str_has_prefix (a, "--mode=") && crm_import_mode_from_string (a + 7, &tuning->mode))
        continue;
      else if (g_str_equal (a, "--journal=off"))
        tuning->no_journal = TRUE;
      else if (g_str_equal (a, "--fts=trigger"))
        tuning->fts_by_trigger = TRUE;
      else if (g_str_equal (a, "--journal-mode=wal"))
        tuning->keep_wal = TRUE;
      else if (g_str_has_prefix (a, "--cache-mb=") && g_ascii_strtoull (a + 11, NULL, 10) > 0)
        tuning->cache_mb = g_ascii_strtoull (a + 11, NULL, 10);
      else if (g_str_equal (a, "--threads=1"))
        tuning->one_thread = TRUE;
      else
        {
          fprintf (stderr, "bench-import: unknown knob %s\n", a);
          return FALSE;
        }
    }
  return TRUE;
}

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
  if (argc >= 4 && g_str_equal (argv[1], "import"))
    {
      g_autoptr(CrmImporter) imp = NULL;
      const CrmImportReport *r;
      CrmImportTuning tuning = { 0 };

      if (!parse_knobs (argc, argv, &tuning))
        return 2;
      if (!(store = crm_store_open (argv[argc - 2], &error)))
        goto fail;
      imp = crm_importer_new (store, CRM_IMPORT_CUSTOMERS, argv[argc - 1]);
      crm_importer_set_tuning (imp, &tuning);
      t0 = now_s ();
      if (!crm_importer_prepare (imp, NULL, &error) || !crm_importer_run (imp, NULL, NULL, NULL, &error))
        goto fail;
      r = crm_importer_get_report (imp);
      printf ("import (%s%s%s%s%s): %" G_GUINT64_FORMAT " inserted, %" G_GUINT64_FORMAT " updated, %" G_GUINT64_FORMAT
              " skipped, %" G_GUINT64_FORMAT " rejected in %.2f s = %.0f rows/s\n",
              crm_import_mode_to_string (tuning.mode),
              tuning.no_journal ? ", journal off" : "",
              tuning.fts_by_trigger ? ", FTS by trigger" : "",
              tuning.keep_wal ? ", WAL kept" : "",
              tuning.one_thread ? ", one thread" : "",
              r->inserted, r->updated, r->skipped, r->rejected, now_s () - t0, r->rows / (now_s () - t0));
      return 0;
    }
  fprintf (stderr, "usage: bench-import generate N DB CSV | import [KNOB...] DB CSV\n");
  return 2;

fail:
  fprintf (stderr, "bench-import: %s\n", error->message);
  return 1;
}

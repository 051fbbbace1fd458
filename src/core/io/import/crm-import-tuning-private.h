/* crm-import-tuning-private.h: the importer's measuring knobs, for bench/bench-import.c and the
 * tests only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The product never sets them: every field's zero value is what the app and the CLI do.  They
 * exist to measure one design choice against its alternative (bench/RESULTS.md) and to run both
 * duplicate-detection modes on small files in the tests.  They used to be CLIENTELE_IMPORT_*
 * environment variables read on the product path.
 */
#pragma once

#include "crm-import.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_IMPORT_MODE_AUTO,          /* bulk when the file adds at least as many customers as there
                                  * are, and 50,000 or more (crm-import.c says why) */
  CRM_IMPORT_MODE_BULK,          /* indexes dropped and made again, duplicates found in memory */
  CRM_IMPORT_MODE_INCREMENTAL,   /* every index kept, duplicates looked up with SQL */
} CrmImportMode;

typedef struct
{
  CrmImportMode mode;            /* customers from CSV only, as before */
  gboolean      no_journal;      /* write no change journal rows: what the journal costs */
  gboolean      fts_by_trigger;  /* keep the per-row FTS triggers instead of one fill at the end */
  gboolean      keep_wal;        /* never switch a large run to a rollback journal */
  guint         cache_mb;        /* the run's page cache in MiB; 0: 256 */
  gboolean      one_thread;      /* customers from CSV on one thread (run_csv()) */
} CrmImportTuning;

/* Copies @tuning (NULL: the defaults) for the next runs of @self. */
void                 crm_importer_set_tuning         (CrmImporter           *self,
                                                      const CrmImportTuning *tuning);
const char          *crm_import_mode_to_string       (CrmImportMode          mode);
/* "auto", "bulk" or "incremental"; FALSE for anything else. */
gboolean             crm_import_mode_from_string     (const char            *text,
                                                      CrmImportMode         *mode);

G_END_DECLS

/* crm-io-jobs.h: imports, exports, counts and the sample shop a window runs off the main
 * thread, as _async/_finish pairs over CrmJob.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-export.h"
#include "crm-generate.h"
#include "crm-import.h"
#include "crm-job.h"
#include "crm-query.h"
#include "crm-rule.h"

G_BEGIN_DECLS

/* crm_importer_run() on a worker, on the importer's own connection (make it with
 * crm_session_open_store() so its commit is announced and runs the order hooks).  Progress:
 * the rows read as text and the file read as the fraction, a pulse while indexes are built,
 * and "committed" once the rows are saved and a cancel can no longer undo them. */
void      crm_importer_run_async   (CrmImporter         *importer,
                                    CrmSession          *session,
                                    GCancellable        *cancellable,
                                    CrmJobProgressFunc   progress,
                                    gpointer             progress_data,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean  crm_importer_run_finish  (GAsyncResult        *result,
                                    GError             **error);

typedef enum
{
  CRM_EXPORT_CUSTOMERS_CSV,
  CRM_EXPORT_CUSTOMERS_VCARD_3,
  CRM_EXPORT_CUSTOMERS_VCARD_4,
  CRM_EXPORT_ORDERS_CSV,
} CrmExportKind;

/* The customers @query selects (a copy is taken; NULL: everybody), or every order, to @path on a
 * read-only connection (one snapshot, whatever writes meanwhile).  @total: the rows expected,
 * for the progress; -1 counts them first.  Progress: rows done of total. */
void      crm_export_async         (CrmSession          *session,
                                    CrmExportKind        kind,
                                    CrmQuery            *query,
                                    const char          *path,
                                    CrmCsvEncoding       encoding,
                                    gint64               total,
                                    GCancellable        *cancellable,
                                    CrmJobProgressFunc   progress,
                                    gpointer             progress_data,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean  crm_export_finish        (GAsyncResult        *result,
                                    guint64             *rows,
                                    GError             **error);

/* How many live customers @rule selects; a newer count supersedes the older (a rule being
 * edited). */
void      crm_rule_count_async     (CrmSession          *session,
                                    CrmRule             *rule,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gint64    crm_rule_count_finish    (GAsyncResult        *result,
                                    GError             **error);

/* crm_generate() (a sample shop) on a writing connection.  Progress: the share written, with
 * the phase as text. */
void      crm_generate_async       (CrmSession               *session,
                                    const CrmGenerateOptions *options,
                                    GCancellable             *cancellable,
                                    CrmJobProgressFunc        progress,
                                    gpointer                  progress_data,
                                    GAsyncReadyCallback       callback,
                                    gpointer                  user_data);
gboolean  crm_generate_finish      (GAsyncResult             *result,
                                    GError                  **error);

G_END_DECLS

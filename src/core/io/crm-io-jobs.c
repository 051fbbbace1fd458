/* crm-io-jobs.c: imports, exports, counts and the sample shop a window runs off the main
 * thread.
 *
 * Each is a CrmJob around the function the CLI calls.  What the dialogs used to format from
 * their own progress structs (rows per second, "Building indexes…") is said here once, as the
 * job's progress text, so a dialog only shows it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-io-jobs.h"

#include <glib/gi18n-lib.h>

#include "crm-format.h"
#include "crm-vcard.h"

/* Import ------------------------------------------------------------------------ */

static void
import_progress (const CrmImportProgressInfo *info,
                 gpointer                     job)
{
  g_autofree char *rows = NULL;
  g_autofree char *rate = NULL;
  g_autofree char *text = NULL;

  if (info->committed)
    {
      /* The customers are saved: a cancel could no longer undo the import. */
      crm_job_set_committed (job);
      crm_job_progress (job, -1, _("Saved · updating the search index…"));
      return;
    }
  if (info->indexing)
    {
      /* The rows are read; their indexes are made before they are saved. */
      crm_job_progress (job, -1, _("Building indexes…"));
      return;
    }

  rows = crm_format_count (info->rows);
  rate = crm_format_count ((gint64) info->rows_per_second);
  /* Translators: import progress: rows read so far and rows per second. */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s row · %s rows/s", "%s rows · %s rows/s", info->rows),
                          rows, rate);
  crm_job_progress (job, info->bytes_total > 0 ? (double) info->bytes_read / info->bytes_total : -1, text);
}

static gboolean
import_job (CrmJob    *job,
            CrmStore  *store,
            gpointer   importer,
            GError   **error)
{
  /* The importer runs on its own connection and wires the cancel to it itself. */
  return crm_importer_run (importer, import_progress, job, crm_job_get_cancellable (job), error);
}

void
crm_importer_run_async (CrmImporter         *importer,
                        CrmSession          *session,
                        GCancellable        *cancellable,
                        CrmJobProgressFunc   progress,
                        gpointer             progress_data,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (CRM_IS_IMPORTER (importer));

  crm_job_run (crm_job_new (session, NULL, CRM_JOB_NO_STORE, cancellable, progress, progress_data, callback,
                            user_data),
               import_job, g_object_ref (importer), g_object_unref);
}

gboolean
crm_importer_run_finish (GAsyncResult  *result,
                         GError       **error)
{
  return crm_job_propagate_boolean (result, error);
}

/* Export ------------------------------------------------------------------------ */

typedef struct
{
  CrmExportKind   kind;
  CrmQuery       *query;
  char           *path;
  CrmCsvEncoding  encoding;
  gint64          total;
  CrmJob         *job;
} ExportJob;

static void
export_job_free (ExportJob *export)
{
  g_clear_object (&export->query);
  g_free (export->path);
  g_free (export);
}

static void
export_progress (guint64  rows,
                 gpointer data)
{
  ExportJob *export = data;

  crm_job_progress_count (export->job, rows, MAX (export->total, 0));
}

static gboolean
export_job (CrmJob    *job,
            CrmStore  *store,
            gpointer   data,
            GError   **error)
{
  ExportJob *export = data;
  GCancellable *cancellable = crm_job_get_cancellable (job);
  guint64 rows = 0;
  gboolean ok;

  export->job = job;
  if (export->total < 0)
    {
      export->total = crm_query_count (export->query, store, error);
      if (export->total < 0)
        return FALSE;
    }
  export_progress (0, export);

  switch (export->kind)
    {
    case CRM_EXPORT_ORDERS_CSV:
      ok = crm_export_orders_csv (store, 0, export->path, export->encoding, export_progress, export, cancellable,
                                  &rows, error);
      break;
    case CRM_EXPORT_CUSTOMERS_CSV:
      ok = crm_export_customers_csv (store, export->query, export->path, export->encoding, export_progress, export,
                                     cancellable, &rows, error);
      break;
    default:
      ok = crm_vcard_export_customers (store, export->query, export->path,
                                       export->kind == CRM_EXPORT_CUSTOMERS_VCARD_4 ? CRM_VCARD_VERSION_4_0
                                                                                    : CRM_VCARD_VERSION_3_0,
                                       export_progress, export, cancellable, &rows, error);
      break;
    }
  if (!ok)
    return FALSE;

  crm_job_return_pointer (job, g_memdup2 (&rows, sizeof rows), g_free);
  return TRUE;
}

void
crm_export_async (CrmSession          *session,
                  CrmExportKind        kind,
                  CrmQuery            *query,
                  const char          *path,
                  CrmCsvEncoding       encoding,
                  gint64               total,
                  GCancellable        *cancellable,
                  CrmJobProgressFunc   progress,
                  gpointer             progress_data,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  ExportJob *export = g_new0 (ExportJob, 1);

  export->kind = kind;
  /* A copy: the view's query may change while the worker reads. */
  export->query = query != NULL ? crm_query_copy (query) : crm_query_new ();
  export->path = g_strdup (path);
  export->encoding = encoding;
  export->total = total;
  crm_job_run (crm_job_new (session, NULL, CRM_JOB_READ, cancellable, progress, progress_data, callback, user_data),
               export_job, export, (GDestroyNotify) export_job_free);
}

gboolean
crm_export_finish (GAsyncResult  *result,
                   guint64       *rows,
                   GError       **error)
{
  g_autofree guint64 *found = crm_job_propagate_pointer (result, error);

  if (found == NULL)
    return FALSE;
  if (rows != NULL)
    *rows = *found;
  return TRUE;
}

/* Rule count ---------------------------------------------------------------------- */

static gboolean
count_job (CrmJob    *job,
           CrmStore  *store,
           gpointer   json,
           GError   **error)
{
  g_autoptr(CrmRule) rule = crm_rule_new_from_json (json, error);
  g_autoptr(CrmQuery) query = NULL;
  gint64 count;

  if (rule == NULL)
    return FALSE;
  query = crm_query_new ();
  crm_query_set_rule (query, rule);
  count = crm_query_count (query, store, error);
  if (count < 0)
    return FALSE;

  crm_job_return_pointer (job, g_memdup2 (&count, sizeof count), g_free);
  return TRUE;
}

void
crm_rule_count_async (CrmSession          *session,
                      CrmRule             *rule,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  /* As JSON: the editor goes on changing its rule while the worker counts. */
  crm_job_run (crm_job_new (session, "rule-count", CRM_JOB_READ, cancellable, NULL, NULL, callback, user_data),
               count_job, crm_rule_to_json (rule), g_free);
}

gint64
crm_rule_count_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_autofree gint64 *count = crm_job_propagate_pointer (result, error);

  return count != NULL ? *count : -1;
}

/* Sample shop --------------------------------------------------------------------- */

static void
generate_progress (const CrmGenerateProgressInfo *info,
                   gpointer                       job)
{
  double total = (double) info->customers_total + info->orders_total;

  if (info->phase == CRM_GENERATE_PHASE_WRITING)
    crm_job_progress (job, total > 0 ? 0.9 * (info->customers_done + info->orders_done) / total : 0,
                      _("Writing customers and orders…"));
  else
    crm_job_progress (job, 0.95, _("Building the search index…"));
}

static gboolean
generate_job (CrmJob    *job,
              CrmStore  *store,
              gpointer   options,
              GError   **error)
{
  return crm_generate (store, options, generate_progress, job, crm_job_get_cancellable (job), error);
}

void
crm_generate_async (CrmSession               *session,
                    const CrmGenerateOptions *options,
                    GCancellable             *cancellable,
                    CrmJobProgressFunc        progress,
                    gpointer                  progress_data,
                    GAsyncReadyCallback       callback,
                    gpointer                  user_data)
{
  crm_job_run (crm_job_new (session, NULL, CRM_JOB_WRITE, cancellable, progress, progress_data, callback, user_data),
               generate_job, g_memdup2 (options, sizeof *options), g_free);
}

gboolean
crm_generate_finish (GAsyncResult  *result,
                     GError       **error)
{
  return crm_job_propagate_boolean (result, error);
}

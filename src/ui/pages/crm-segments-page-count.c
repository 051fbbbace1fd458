/* crm-segments-page-count.c: the live count of the rule being edited
 *
 * crm_query_count() runs in a worker with its own read-only connection,
 * ~150 ms after the last edit; a newer edit cancels the run it supersedes and
 * only the newest answer is shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-export.h"
#include "crm-format.h"
#include "crm-query.h"
#include "crm-segments-page-private.h"
#include "crm-ui-util.h"
#include "crm-value-report.h"

#define COUNT_DELAY_MS 150

/* Live count --------------------------------------------------------------- */

typedef struct
{
  char  *db_path;
  char  *json;
  guint  serial;
} CountJob;

static void
count_job_free (CountJob *job)
{
  g_free (job->db_path);
  g_free (job->json);
  g_free (job);
}

/* A worker's own connection and the query of a segment's rule (JSON): FALSE with @error. */
gboolean
_crm_segments_page_open_rule_query (const char  *db_path,
                                    const char  *json,
                                    CrmStore   **reader,
                                    CrmQuery   **query,
                                    GError     **error)
{
  g_autoptr(CrmRule) rule = NULL;

  if (!(*reader = crm_store_open_reader (db_path, error)) || !(rule = crm_rule_new_from_json (json, error)))
    return FALSE;
  *query = crm_query_new ();
  crm_query_set_rule (*query, rule);
  return TRUE;
}

static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CountJob *job = task_data;
  g_autoptr(CrmStore) reader = NULL;
  g_autoptr(CrmQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  gint64 count;

  /* Superseded before it started: do not touch the disk at all. */
  if (g_task_return_error_if_cancelled (task))
    return;

  if (!_crm_segments_page_open_rule_query (job->db_path, job->json, &reader, &query, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  count = crm_query_count (query, reader, &error);
  if (count < 0)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, count);
}

static void
set_count_text (CrmSegmentsPage *self,
                const char      *text)
{
  g_free (self->count_text);
  self->count_text = g_strdup (text);
  gtk_label_set_label (self->count_label, text != NULL ? text : "");
}

static void
count_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  CrmSegmentsPage *self = CRM_SEGMENTS_PAGE (object);
  CountJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gssize count = g_task_propagate_int (G_TASK (result), &error);
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;

  /* An answer to an edit that was followed by another. */
  if (job->serial != self->count_serial)
    return;

  gtk_spinner_stop (self->count_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->count_spinner), FALSE);

  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_count_text (self, error->message);
      return;
    }

  number = crm_format_count (count);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s matching customer", "%s matching customers",
                                       count), number);
  set_count_text (self, text);
}

static gboolean
start_count (gpointer user_data)
{
  CrmSegmentsPage *self = user_data;
  CrmRule *rule = crm_rule_editor_get_rule (self->rule_editor);
  g_autoptr(GTask) task = NULL;
  CountJob *job;

  self->count_source = 0;
  if (self->store == NULL || rule == NULL)
    return G_SOURCE_REMOVE;

  job = g_new0 (CountJob, 1);
  job->db_path = g_strdup (crm_store_get_path (self->store));
  job->json = crm_rule_to_json (rule);
  job->serial = self->count_serial;

  self->count_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->count_cancellable, count_done, NULL);
  g_task_set_source_tag (task, start_count);
  g_task_set_task_data (task, job, (GDestroyNotify) count_job_free);
  g_task_run_in_thread (task, count_thread);

  return G_SOURCE_REMOVE;
}

void
_crm_segments_page_schedule_count (CrmSegmentsPage *self)
{
  self->count_serial++;
  if (self->count_cancellable != NULL)
    g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);
  g_clear_handle_id (&self->count_source, g_source_remove);

  set_count_text (self, NULL);
  if (self->store == NULL || !crm_rule_editor_get_valid (self->rule_editor))
    {
      gtk_spinner_stop (self->count_spinner);
      gtk_widget_set_visible (GTK_WIDGET (self->count_spinner), FALSE);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->count_spinner), TRUE);
  gtk_spinner_start (self->count_spinner);
  self->count_source = g_timeout_add (COUNT_DELAY_MS, start_count, self);
}

void
_crm_segments_page_on_rule_changed (CrmSegmentsPage *self)
{
  _crm_segments_page_update_actions (self);
  _crm_segments_page_schedule_count (self);
}

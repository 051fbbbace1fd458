/* crm-job.c: long work on a worker thread — the one way the program does it.
 *
 * Before CrmJob every page wrote its own thread: a job struct, a connection opened from the
 * store's path, progress handed back through its own g_main_context_invoke(), its own idea of
 * "the newest load wins", and a cancel that came back as one of two errors.  A job is those
 * things once:
 *
 *  - its own connection (DESIGN.md §4): WAL lets a reader see one committed state while the
 *    window's connection and other jobs write.  It comes from the session, so a writer carries
 *    the order hooks and its commits are announced ("customers-changed", ...) when they are
 *    durable; idle connections are kept a while, so the next job finds SQLite's cache warm.
 *  - a GCancellable wired to SQLite (crm_store_set_cancellable()): Cancel stops a statement in
 *    the middle, the transaction rolls back, and the error is G_IO_ERROR_CANCELLED — the one
 *    cancel error of the program.
 *  - progress (a fraction, a text, "committed") coalesced: the worker overwrites one slot and at
 *    most one idle is queued on the session's main context; nothing arrives after the callback.
 *  - a kind: a newer job of the same kind (the dashboard's next load, the next customer's
 *    value panel) cancels the older, whose result is never delivered even if it finished first.
 *  - GAsyncResult underneath (a GTask), so core offers plain _async/_finish pairs and the UI
 *    holds no thread and no SQL.
 *
 * The CLI calls the same core functions synchronously; a job is only the way to run them off
 * the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-job.h"

#include "crm-session-private.h"

struct _CrmJob
{
  GObject             parent_instance;

  CrmSession         *session;
  char               *kind;
  CrmJobAccess        access;
  CrmStore           *store;           /* given with crm_job_set_store(), or NULL */
  GCancellable       *cancellable;     /* the job's own: the caller's, or a supersede, cancels it */
  GCancellable       *caller_cancellable;
  gulong              cancelled_id;
  GTask              *task;

  CrmJobFunc          func;
  gpointer            data;
  GDestroyNotify      data_free;
  gpointer            result;
  GDestroyNotify      result_free;

  CrmJobProgressFunc  progress;
  gpointer            progress_data;

  /* Written on the worker, read on the main context. */
  GMutex              lock;
  double              base;
  double              span;
  double              fraction;
  char               *text;
  guint64             done_items;
  guint64             total_items;
  gboolean            committed;
  gboolean            progress_queued;

  /* Main context only. */
  gboolean            superseded;
  gboolean            done;
};

G_DEFINE_FINAL_TYPE (CrmJob, crm_job, G_TYPE_OBJECT)

static void
crm_job_finalize (GObject *object)
{
  CrmJob *self = CRM_JOB (object);

  if (self->caller_cancellable != NULL)
    g_cancellable_disconnect (self->caller_cancellable, self->cancelled_id);
  g_clear_object (&self->caller_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  if (self->data_free != NULL)
    self->data_free (self->data);
  if (self->result != NULL && self->result_free != NULL)
    self->result_free (self->result);
  g_free (self->text);
  g_free (self->kind);
  g_clear_object (&self->session);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (crm_job_parent_class)->finalize (object);
}

static void
crm_job_class_init (CrmJobClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = crm_job_finalize;
}

static void
crm_job_init (CrmJob *self)
{
  g_mutex_init (&self->lock);
  self->span = 1;
  self->fraction = -1;
  self->cancellable = g_cancellable_new ();
}

static void
caller_cancelled (GCancellable *caller,
                  GCancellable *own)
{
  g_cancellable_cancel (own);
}

CrmJob *
crm_job_new (CrmSession          *session,
             const char          *kind,
             CrmJobAccess         access,
             GCancellable        *cancellable,
             CrmJobProgressFunc   progress,
             gpointer             progress_data,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  CrmJob *self;

  g_return_val_if_fail (CRM_IS_SESSION (session), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  self = g_object_new (CRM_TYPE_JOB, NULL);
  self->session = g_object_ref (session);
  self->kind = g_strdup (kind);
  self->access = access;
  self->progress = progress;
  self->progress_data = progress_data;
  if (cancellable != NULL)
    {
      self->caller_cancellable = g_object_ref (cancellable);
      /* Runs at once if it is cancelled already. */
      self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled),
                                                  self->cancellable, NULL);
    }

  /* The callback is the caller's; whether the result counts is decided in _propagate. */
  self->task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_check_cancellable (self->task, FALSE);
  g_task_set_task_data (self->task, g_object_ref (self), g_object_unref);

  return self;
}

void
crm_job_set_store (CrmJob   *self,
                   CrmStore *store)
{
  g_return_if_fail (CRM_IS_JOB (self));
  g_return_if_fail (store == NULL || CRM_IS_STORE (store));

  g_set_object (&self->store, store);
}

GCancellable *
crm_job_get_cancellable (CrmJob *self)
{
  g_return_val_if_fail (CRM_IS_JOB (self), NULL);

  return self->cancellable;
}

/* Progress ----------------------------------------------------------------- */

static gboolean
deliver_progress (gpointer data)
{
  CrmJob *self = data;
  g_autofree char *text = NULL;
  CrmJobProgress progress;

  g_mutex_lock (&self->lock);
  progress.fraction = self->fraction;
  progress.done = self->done_items;
  progress.total = self->total_items;
  progress.committed = self->committed;
  text = g_steal_pointer (&self->text);
  self->progress_queued = FALSE;
  g_mutex_unlock (&self->lock);

  progress.text = text;
  if (!self->done && !self->superseded && self->progress != NULL)
    self->progress (&progress, self->progress_data);

  return G_SOURCE_REMOVE;
}

/* Called with the lock held. */
static void
queue_progress (CrmJob *self)
{
  GSource *source;

  if (self->progress == NULL || self->progress_queued)
    return;

  self->progress_queued = TRUE;
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver_progress, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[clientele] job progress");
  g_source_attach (source, crm_session_get_context (self->session));
  g_source_unref (source);
}

void
crm_job_progress (CrmJob     *self,
                  double      fraction,
                  const char *text)
{
  g_return_if_fail (CRM_IS_JOB (self));

  g_mutex_lock (&self->lock);
  self->fraction = fraction < 0 ? -1 : self->base + self->span * CLAMP (fraction, 0, 1);
  if (text != NULL)
    {
      g_free (self->text);
      self->text = g_strdup (text);
    }
  queue_progress (self);
  g_mutex_unlock (&self->lock);
}

void
crm_job_progress_count (CrmJob  *self,
                        guint64  done,
                        guint64  total)
{
  g_return_if_fail (CRM_IS_JOB (self));

  g_mutex_lock (&self->lock);
  self->done_items = done;
  self->total_items = total;
  if (total > 0)
    self->fraction = self->base + self->span * CLAMP ((double) done / total, 0, 1);
  queue_progress (self);
  g_mutex_unlock (&self->lock);
}

void
crm_job_progress_fraction (double   fraction,
                           gpointer job)
{
  crm_job_progress (job, fraction, NULL);
}

void
crm_job_set_progress_range (CrmJob *self,
                            double  base,
                            double  span)
{
  g_return_if_fail (CRM_IS_JOB (self));

  g_mutex_lock (&self->lock);
  self->base = base;
  self->span = span;
  g_mutex_unlock (&self->lock);
}

void
crm_job_set_committed (CrmJob *self)
{
  g_return_if_fail (CRM_IS_JOB (self));

  g_mutex_lock (&self->lock);
  self->committed = TRUE;
  queue_progress (self);
  g_mutex_unlock (&self->lock);
}

void
crm_job_return_pointer (CrmJob         *self,
                        gpointer        result,
                        GDestroyNotify  result_free)
{
  g_return_if_fail (CRM_IS_JOB (self));

  if (self->result != NULL && self->result_free != NULL)
    self->result_free (self->result);
  self->result = result;
  self->result_free = result_free;
}

/* Running ------------------------------------------------------------------ */

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  CrmJob *self = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) taken = NULL;
  CrmStore *store = self->store;
  GCancellable *previous = NULL;
  gboolean ok = FALSE;

  if (g_cancellable_set_error_if_cancelled (self->cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (store == NULL && self->access != CRM_JOB_NO_STORE)
    store = taken = crm_session_take_store (self->session, self->access == CRM_JOB_READ, &error);

  if (store != NULL || self->access == CRM_JOB_NO_STORE)
    {
      if (store != NULL)
        previous = crm_store_set_cancellable (store, self->cancellable);
      ok = self->func (self, store, self->data, &error);
      if (store != NULL)
        crm_store_set_cancellable (store, previous);
    }

  if (taken != NULL)
    crm_session_return_store (self->session, g_steal_pointer (&taken), self->access == CRM_JOB_READ);

  /* A failure after the cancel is the cancel, whatever the step said. */
  if (!ok && g_cancellable_is_cancelled (self->cancellable) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      g_cancellable_set_error_if_cancelled (self->cancellable, &error);
    }

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    {
      g_assert (error != NULL);
      g_task_return_error (task, g_steal_pointer (&error));
    }
}

static void
on_completed (GTask      *task,
              GParamSpec *pspec,
              CrmJob     *self)
{
  self->done = TRUE;
  if (self->kind != NULL)
    crm_session_job_done (self->session, self->kind, self);
}

void
crm_job_run (CrmJob         *self,
             CrmJobFunc      func,
             gpointer        data,
             GDestroyNotify  data_free)
{
  /* The caller's reference is taken: dropped when this returns. */
  G_GNUC_UNUSED g_autoptr(CrmJob) owned = self;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CRM_IS_JOB (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (self->func == NULL);

  self->func = func;
  self->data = data;
  self->data_free = data_free;

  if (self->kind != NULL)
    {
      g_autoptr(CrmJob) older = crm_session_replace_job (self->session, self->kind, self);

      if (older != NULL)
        {
          older->superseded = TRUE;
          g_cancellable_cancel (older->cancellable);
        }
    }

  task = g_steal_pointer (&self->task);
  g_signal_connect_object (task, "notify::completed", G_CALLBACK (on_completed), self, 0);
  g_task_run_in_thread (task, job_thread);
}

/* Results ------------------------------------------------------------------ */

static CrmJob *
job_of (GAsyncResult *result)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return CRM_JOB (g_task_get_task_data (G_TASK (result)));
}

gboolean
crm_job_is_valid (GAsyncResult *result,
                  CrmSession   *session)
{
  return g_task_is_valid (result, session) && CRM_IS_JOB (g_task_get_task_data (G_TASK (result)));
}

gboolean
crm_job_propagate_boolean (GAsyncResult  *result,
                           GError       **error)
{
  CrmJob *self = job_of (result);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  /* Whatever it found, a newer job of its kind has the say now; and a job of a kind (a load,
   * wanted only while it is) cancelled after it finished is not wanted either. */
  if (self->superseded || (self->kind != NULL && g_cancellable_is_cancelled (self->cancellable)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Superseded by a newer job");
      return FALSE;
    }
  return TRUE;
}

gpointer
crm_job_propagate_pointer (GAsyncResult  *result,
                           GError       **error)
{
  CrmJob *self = job_of (result);

  if (!crm_job_propagate_boolean (result, error))
    return NULL;

  self->result_free = NULL;
  return g_steal_pointer (&self->result);
}

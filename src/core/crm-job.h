/* crm-job.h: long work on a worker thread — the one way the program does it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-store.h"

G_BEGIN_DECLS

typedef struct _CrmSession CrmSession;

#define CRM_TYPE_JOB (crm_job_get_type ())
G_DECLARE_FINAL_TYPE (CrmJob, crm_job, CRM, JOB, GObject)

typedef enum
{
  CRM_JOB_NO_STORE,   /* files only */
  CRM_JOB_READ,       /* a read-only connection: sees one committed state while others write */
  CRM_JOB_WRITE,      /* a writing connection with the session's order hooks */
} CrmJobAccess;

/* What a job reports, delivered on the session's main context. */
typedef struct
{
  double      fraction;    /* 0–1; below 0 when unknown (pulse) */
  const char *text;        /* translated, or NULL to keep what is shown */
  guint64     done;        /* items (rows, customers) done so far, if the job counts them */
  guint64     total;       /* … out of this many; 0 when not known */
  gboolean    committed;   /* the work is saved: a cancel can no longer undo it */
} CrmJobProgress;

typedef void (*CrmJobProgressFunc) (const CrmJobProgress *progress,
                                    gpointer              user_data);

/* Runs on the worker with the job's connection (NULL for CRM_JOB_NO_STORE).  FALSE with @error
 * on failure; a result is given with crm_job_return_pointer(). */
typedef gboolean (*CrmJobFunc) (CrmJob    *job,
                                CrmStore  *store,
                                gpointer   data,
                                GError   **error);

/* @kind: a newer job of the same kind in the session supersedes this one: it is cancelled and
 * its result never delivered (its callback gets G_IO_ERROR_CANCELLED, as it does when it is
 * cancelled after it finished: a job of a kind is a load that matters only while wanted).
 * NULL: no such kind; the result of a job that finished is delivered even if a cancel came
 * too late to stop it (what it wrote is written).
 * @progress is called on the session's context while the job runs, never after its callback. */
CrmJob       *crm_job_new               (CrmSession          *session,
                                         const char          *kind,
                                         CrmJobAccess         access,
                                         GCancellable        *cancellable,
                                         CrmJobProgressFunc   progress,
                                         gpointer             progress_data,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* Work on @store instead of a connection of the session's (the importer's own, say). */
void          crm_job_set_store         (CrmJob              *self,
                                         CrmStore            *store);
/* Starts the job; consumes the reference crm_job_new() gave. */
void          crm_job_run               (CrmJob              *self,
                                         CrmJobFunc           func,
                                         gpointer             data,
                                         GDestroyNotify       data_free);

/* On the worker. */
GCancellable *crm_job_get_cancellable   (CrmJob              *self);
void          crm_job_progress          (CrmJob              *self,
                                         double               fraction,
                                         const char          *text);
/* @done items of @total (0: not known); the fraction follows when @total is known. */
void          crm_job_progress_count    (CrmJob              *self,
                                         guint64              done,
                                         guint64              total);
/* Later fractions F are shown as @base + @span × F: a step of a longer job. */
void          crm_job_set_progress_range (CrmJob             *self,
                                         double               base,
                                         double               span);
/* Past this point a cancel cannot undo the job. */
void          crm_job_set_committed     (CrmJob              *self);
void          crm_job_return_pointer    (CrmJob              *self,
                                         gpointer             result,
                                         GDestroyNotify       result_free);
/* A CrmProgressFunc (fraction, user_data) for core functions: @user_data is the job. */
void          crm_job_progress_fraction (double               fraction,
                                         gpointer             job);

/* In the callback: the result (transfer full), NULL with @error on failure.  A superseded job
 * gives G_IO_ERROR_CANCELLED whatever it found. */
gpointer      crm_job_propagate_pointer (GAsyncResult        *result,
                                         GError             **error);
gboolean      crm_job_propagate_boolean (GAsyncResult        *result,
                                         GError             **error);
gboolean      crm_job_is_valid          (GAsyncResult        *result,
                                         CrmSession          *session);

G_END_DECLS

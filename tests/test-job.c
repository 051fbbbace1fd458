/* test-job.c: the one worker pattern — cancel, supersede, progress.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>

#include "crm-job.h"
#include "crm-recompute.h"
#include "crm-session.h"
#include "crm-test-util.h"

#define DAY (G_GINT64_CONSTANT (86400000))

typedef struct
{
  CrmSession *session;
  CrmStore   *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->session = crm_test_session_new (NULL);
  f->store = crm_session_get_store (f->session);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
}

/* What a job's callback saw. */
typedef struct
{
  gboolean  done;
  gpointer  result;
  GError   *error;
} Outcome;

static void
outcome_clear (Outcome *o)
{
  g_clear_error (&o->error);
  g_clear_pointer (&o->result, g_free);
  o->done = FALSE;
}

static void
pointer_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Outcome *o = user_data;

  o->result = crm_job_propagate_pointer (result, &o->error);
  o->done = TRUE;
}

/* A shop whose recompute has real work: customers with orders. */
static void
add_shop (Fixture *f,
          guint    n_customers)
{
  gint64 now = g_get_real_time () / 1000;

  g_assert_true (crm_store_begin (f->store, NULL));
  for (guint i = 0; i < n_customers; i++)
    {
      g_autofree char *name = g_strdup_printf ("Customer %u", i);
      gint64 id = crm_test_add_customer (f->store, name);

      for (guint k = 0; k < 1 + i % 4; k++)
        crm_test_add_order (f->store, id, now - (gint64) (i % 300 + 30 * k) * DAY, 1000 + i, NULL);
    }
  g_assert_true (crm_store_commit (f->store, NULL));
}

/* Cancels the job's cancellable once the scores are computed, before anything is written:
 * from the worker, so the moment is the same every run. */
static void
cancel_after_scoring (double   fraction,
                      gpointer job)
{
  if (fraction >= 0.75)
    g_cancellable_cancel (crm_job_get_cancellable (job));
}

static gboolean
recompute_cancelled_midway (CrmJob    *job,
                            CrmStore  *store,
                            gpointer   data,
                            GError   **error)
{
  CrmRecomputeOptions options;

  crm_recompute_options_init (&options, store);
  return crm_recompute (store, &options, cancel_after_scoring, job, crm_job_get_cancellable (job), NULL, error);
}

/* Cancel in the middle of a recompute: the error is G_IO_ERROR_CANCELLED and not one score,
 * tier or stage was written. */
static void
test_cancel_recompute (Fixture       *f,
                       gconstpointer  data)
{
  Outcome o = { 0 };
  gint64 stages;

  /* The order hooks gave every customer a stage already (and no scores: there are no cutoffs
   * before a first recompute). */
  add_shop (f, 300);
  g_assert_cmpint (crm_test_query_int (f->store, "SELECT count(*) FROM customer_rfm"), ==, 0);
  stages = crm_test_query_int (f->store, "SELECT count(*) FROM lifecycle_history");

  crm_job_run (crm_job_new (f->session, NULL, CRM_JOB_WRITE, NULL, NULL, NULL, pointer_done, &o),
               recompute_cancelled_midway, NULL, NULL);
  g_assert_true (crm_test_wait_for (&o.done, 20000));

  g_assert_error (o.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (o.result);
  g_assert_cmpint (crm_test_query_int (f->store, "SELECT count(*) FROM customer_rfm"), ==, 0);
  g_assert_cmpint (crm_test_query_int (f->store, "SELECT count(*) FROM tier_history"), ==, 0);
  g_assert_cmpint (crm_test_query_int (f->store, "SELECT count(*) FROM lifecycle_history"), ==, stages);
  g_assert_null (crm_store_get_setting (f->store, "rfm.computed_at"));
  outcome_clear (&o);

  /* A cancel before the job starts touches nothing either. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    crm_recompute_async (f->session, NULL, cancellable, NULL, NULL, pointer_done, &o);
    g_assert_true (crm_test_wait_for (&o.done, 20000));
    g_assert_error (o.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    outcome_clear (&o);
  }

  /* Not cancelled, the same work writes them all. */
  crm_recompute_async (f->session, NULL, NULL, NULL, NULL, pointer_done, &o);
  g_assert_true (crm_test_wait_for (&o.done, 20000));
  g_assert_no_error (o.error);
  g_assert_cmpint (crm_test_query_int (f->store, "SELECT count(*) FROM customer_rfm"), >, 0);
  outcome_clear (&o);
}

/* A job that writes rows, then runs a statement that only a cancel stops: the statement is
 * interrupted (the one cancel handler), the transaction rolls back. */
static gboolean
write_then_spin (CrmJob    *job,
                 CrmStore  *store,
                 gpointer   data,
                 GError   **error)
{
  gboolean *started = data;

  if (!crm_store_begin (store, error))
    return FALSE;
  crm_test_add_customer (store, "Half-written");
  g_atomic_int_set (started, TRUE);
  if (!crm_store_exec (store,
                       "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
                       " SELECT count(*) FROM n", error))
    {
      crm_store_rollback (store);
      return FALSE;
    }
  return crm_store_commit (store, error);
}

static gboolean
cancel_when_started (gpointer data)
{
  gpointer *pair = data;

  if (!g_atomic_int_get ((gboolean *) pair[0]))
    return G_SOURCE_CONTINUE;
  g_cancellable_cancel (pair[1]);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_statement (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gboolean started = FALSE;
  gpointer pair[2] = { &started, cancellable };
  Outcome o = { 0 };
  CrmJob *job;

  job = crm_job_new (f->session, NULL, CRM_JOB_WRITE, cancellable, NULL, NULL, pointer_done, &o);
  crm_job_run (job, write_then_spin, &started, NULL);
  g_timeout_add (10, cancel_when_started, pair);
  g_assert_true (crm_test_wait_for (&o.done, 20000));

  g_assert_error (o.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (crm_test_query_int (f->store, "SELECT count(*) FROM customers"), ==, 0);
  outcome_clear (&o);
}

/* Returns its name after waiting for its cancel, or at once. */
typedef struct
{
  const char *name;
  gboolean    wait_for_cancel;
  gboolean    finished;   /* set by the worker */
} Named;

static gboolean
named_job (CrmJob    *job,
           CrmStore  *store,
           gpointer   data,
           GError   **error)
{
  Named *n = data;

  if (n->wait_for_cancel)
    {
      gint64 until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

      while (!g_cancellable_is_cancelled (crm_job_get_cancellable (job)) && g_get_monotonic_time () < until)
        g_usleep (1000);
    }
  crm_job_return_pointer (job, g_strdup (n->name), g_free);
  g_atomic_int_set (&n->finished, TRUE);
  return TRUE;
}

/* Two jobs of one kind: only the newer one's result is delivered — the older gets
 * G_IO_ERROR_CANCELLED, even when it had finished before the newer one started. */
static void
test_supersede (Fixture       *f,
                gconstpointer  data)
{
  Named first = { "first", TRUE, FALSE }, second = { "second", FALSE, FALSE };
  Named quick = { "quick", FALSE, FALSE }, last = { "last", FALSE, FALSE };
  Outcome a = { 0 }, b = { 0 };

  crm_job_run (crm_job_new (f->session, "load", CRM_JOB_READ, NULL, NULL, NULL, pointer_done, &a),
               named_job, &first, NULL);
  crm_job_run (crm_job_new (f->session, "load", CRM_JOB_READ, NULL, NULL, NULL, pointer_done, &b),
               named_job, &second, NULL);
  g_assert_true (crm_test_wait_for (&a.done, 20000));
  g_assert_true (crm_test_wait_for (&b.done, 20000));
  g_assert_error (a.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (a.result);
  g_assert_no_error (b.error);
  g_assert_cmpstr (b.result, ==, "second");
  outcome_clear (&a);
  outcome_clear (&b);

  /* Finished on its worker, but its callback not run yet when the newer one starts. */
  crm_job_run (crm_job_new (f->session, "load", CRM_JOB_READ, NULL, NULL, NULL, pointer_done, &a),
               named_job, &quick, NULL);
  while (!g_atomic_int_get (&quick.finished))
    g_usleep (1000);
  crm_job_run (crm_job_new (f->session, "load", CRM_JOB_READ, NULL, NULL, NULL, pointer_done, &b),
               named_job, &last, NULL);
  g_assert_true (crm_test_wait_for (&a.done, 20000));
  g_assert_true (crm_test_wait_for (&b.done, 20000));
  g_assert_error (a.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (b.result, ==, "last");
  outcome_clear (&a);
  outcome_clear (&b);

  /* A load (a job of a kind) cancelled after it finished is not delivered; a job without a kind
   * says what it did. */
  {
    g_autoptr(GCancellable) late = g_cancellable_new ();
    g_autoptr(GCancellable) late_too = g_cancellable_new ();
    Named load = { "load", FALSE, FALSE }, work = { "work", FALSE, FALSE };

    crm_job_run (crm_job_new (f->session, "load", CRM_JOB_READ, late, NULL, NULL, pointer_done, &a),
                 named_job, &load, NULL);
    crm_job_run (crm_job_new (f->session, NULL, CRM_JOB_READ, late_too, NULL, NULL, pointer_done, &b),
                 named_job, &work, NULL);
    while (!g_atomic_int_get (&load.finished) || !g_atomic_int_get (&work.finished))
      g_usleep (1000);
    g_cancellable_cancel (late);
    g_cancellable_cancel (late_too);
    g_assert_true (crm_test_wait_for (&a.done, 20000));
    g_assert_true (crm_test_wait_for (&b.done, 20000));
    g_assert_error (a.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpstr (b.result, ==, "work");
    outcome_clear (&a);
    outcome_clear (&b);
  }

  /* Another kind is left alone. */
  first.wait_for_cancel = FALSE;
  crm_job_run (crm_job_new (f->session, "load", CRM_JOB_READ, NULL, NULL, NULL, pointer_done, &a),
               named_job, &first, NULL);
  crm_job_run (crm_job_new (f->session, "count", CRM_JOB_READ, NULL, NULL, NULL, pointer_done, &b),
               named_job, &second, NULL);
  g_assert_true (crm_test_wait_for (&a.done, 20000));
  g_assert_true (crm_test_wait_for (&b.done, 20000));
  g_assert_cmpstr (a.result, ==, "first");
  g_assert_cmpstr (b.result, ==, "second");
  outcome_clear (&a);
  outcome_clear (&b);
}

typedef struct
{
  GThread *main_thread;
  guint    calls;
  double   last;
  gboolean after_done;
  Outcome *outcome;
  char    *text;
} ProgressLog;

static void
log_progress (const CrmJobProgress *progress,
              gpointer              data)
{
  ProgressLog *log = data;

  g_assert_true (g_thread_self () == log->main_thread);
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  g_assert_cmpfloat (progress->fraction, >=, log->last);
  log->last = progress->fraction;
  log->calls++;
  if (log->outcome->done)
    log->after_done = TRUE;
  if (progress->text != NULL)
    {
      g_free (log->text);
      log->text = g_strdup (progress->text);
    }
}

static gboolean
report_steps (CrmJob    *job,
              CrmStore  *store,
              gpointer   data,
              GError   **error)
{
  for (guint i = 1; i <= 50; i++)
    {
      g_autofree char *text = g_strdup_printf ("step %u", i);

      crm_job_progress (job, i / 50.0, text);
      g_usleep (2000);
    }
  return TRUE;
}

/* Progress from the worker arrives on the main context, in order, coalesced, never after the
 * callback; the last text is the last one reported. */
static void
test_progress (Fixture       *f,
               gconstpointer  data)
{
  Outcome o = { 0 };
  ProgressLog log = { g_thread_self (), 0, 0, FALSE, &o, NULL };

  crm_job_run (crm_job_new (f->session, NULL, CRM_JOB_NO_STORE, NULL, log_progress, &log, pointer_done, &o),
               report_steps, NULL, NULL);
  g_assert_true (crm_test_wait_for (&o.done, 20000));
  g_assert_no_error (o.error);
  g_assert_cmpuint (log.calls, >, 0);
  g_assert_cmpuint (log.calls, <=, 50);
  g_assert_cmpfloat (log.last, ==, 1.0);
  g_assert_cmpstr (log.text, ==, "step 50");

  /* Whatever is still queued is dropped. */
  for (guint i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (log.after_done);
  g_free (log.text);
  outcome_clear (&o);
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add ("/core/job/cancel-recompute", Fixture, NULL, fixture_setup, test_cancel_recompute, fixture_teardown);
  g_test_add ("/core/job/cancel-statement", Fixture, NULL, fixture_setup, test_cancel_statement, fixture_teardown);
  g_test_add ("/core/job/supersede", Fixture, NULL, fixture_setup, test_supersede, fixture_teardown);
  g_test_add ("/core/job/progress", Fixture, NULL, fixture_setup, test_progress, fixture_teardown);

  return g_test_run ();
}

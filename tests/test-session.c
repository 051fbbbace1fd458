/* test-session.c: changes announced by the session, and order hooks for every writer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>

#include "crm-customer.h"
#include "crm-job.h"
#include "crm-recompute.h"
#include "crm-session.h"
#include "crm-test-util.h"
#include "crm-tiers.h"

#define DAY (G_GINT64_CONSTANT (86400000))

typedef struct
{
  char       *path;
  CrmSession *session;
  CrmStore   *store;

  /* What the session said. */
  GArray     *customers;        /* ids announced, in order */
  guint       customers_many;
  guint       customers_signals;
  GArray     *orders;
  guint       orders_many;
  guint       values;
  GPtrArray  *settings;         /* keys; "(all)" for NULL */
} Fixture;

static void
on_customers_changed (CrmSession *session,
                      GArray     *ids,
                      Fixture    *f)
{
  f->customers_signals++;
  if (ids == NULL)
    f->customers_many++;
  else
    g_array_append_vals (f->customers, ids->data, ids->len);
}

static void
on_orders_changed (CrmSession *session,
                   GArray     *ids,
                   Fixture    *f)
{
  if (ids == NULL)
    f->orders_many++;
  else
    g_array_append_vals (f->orders, ids->data, ids->len);
}

static void
on_values_recomputed (CrmSession *session,
                      Fixture    *f)
{
  f->values++;
}

static void
on_settings_changed (CrmSession *session,
                     const char *key,
                     Fixture    *f)
{
  g_ptr_array_add (f->settings, g_strdup (key != NULL ? key : "(all)"));
}

static void
forget (Fixture *f)
{
  g_array_set_size (f->customers, 0);
  g_array_set_size (f->orders, 0);
  g_ptr_array_set_size (f->settings, 0);
  f->customers_many = f->customers_signals = f->orders_many = f->values = 0;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->session = crm_test_session_new (&f->path);
  f->store = crm_session_get_store (f->session);
  f->customers = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->orders = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->settings = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->session, "customers-changed", G_CALLBACK (on_customers_changed), f);
  g_signal_connect (f->session, "orders-changed", G_CALLBACK (on_orders_changed), f);
  g_signal_connect (f->session, "values-recomputed", G_CALLBACK (on_values_recomputed), f);
  g_signal_connect (f->session, "settings-changed", G_CALLBACK (on_settings_changed), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  g_array_unref (f->customers);
  g_array_unref (f->orders);
  g_ptr_array_unref (f->settings);
  g_free (f->path);
}

/* Runs the main loop for @ms. */
static void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

static gboolean
contains (GArray *ids,
          gint64  id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;
  return FALSE;
}

typedef struct
{
  gboolean  done;
  GError   *error;
} Outcome;

static void
boolean_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Outcome *o = user_data;

  crm_job_propagate_boolean (result, &o->error);
  o->done = TRUE;
}

typedef struct
{
  const char *name;
  gboolean    fail;
  gint64      id;
  gboolean    announced_before_commit;
  Fixture    *f;
} AddJob;

static gboolean
add_customer_job (CrmJob    *job,
                  CrmStore  *store,
                  gpointer   data,
                  GError   **error)
{
  AddJob *a = data;

  if (!crm_store_begin (store, error))
    return FALSE;
  a->id = crm_test_add_customer (store, a->name);
  /* Two rows for one that fails: the next commit's one row reuses the first id. */
  if (a->fail)
    crm_test_add_customer (store, a->name);
  /* Written but not committed: nothing may be announced yet (the main thread would see it in
   * its next iteration; give it the chance). */
  g_usleep (100000);
  if (a->fail)
    {
      crm_store_rollback (store);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Changed my mind");
      return FALSE;
    }
  return crm_store_commit (store, error);
}

static gboolean
watch_early (gpointer data)
{
  AddJob *a = data;

  if (a->f->customers_signals > 0 && crm_test_query_int (a->f->store, "SELECT count(*) FROM customers") == 0)
    a->announced_before_commit = TRUE;
  return G_SOURCE_CONTINUE;
}

/* A write committed on a job's connection is announced once, after the commit, with its id; the
 * poll for other programs does not announce it again. */
static void
test_job_commit_announced_once (Fixture       *f,
                                gconstpointer  data)
{
  AddJob a = { "Wang Fang", FALSE, 0, FALSE, f };
  Outcome o = { 0 };
  guint watch = g_timeout_add (5, watch_early, &a);

  crm_job_run (crm_job_new (f->session, NULL, CRM_JOB_WRITE, NULL, NULL, NULL, boolean_done, &o),
               add_customer_job, &a, NULL);
  g_assert_true (crm_test_wait_for (&o.done, 20000));
  g_assert_no_error (o.error);
  spin (200);
  g_source_remove (watch);

  g_assert_false (a.announced_before_commit);
  g_assert_cmpuint (f->customers_signals, ==, 1);
  g_assert_cmpuint (f->customers_many, ==, 0);
  g_assert_cmpuint (f->customers->len, ==, 1);
  g_assert_cmpint (g_array_index (f->customers, gint64, 0), ==, a.id);

  /* The main connection sees another connection's commit in data_version: it is ours. */
  crm_session_check_external (f->session);
  spin (50);
  g_assert_cmpuint (f->customers_signals, ==, 1);
}

/* A rolled-back write is not announced, neither by the hooks nor by the poll. */
static void
test_rollback_not_announced (Fixture       *f,
                             gconstpointer  data)
{
  AddJob a = { "Li Lei", TRUE, 0, FALSE, f };
  Outcome o = { 0 };

  crm_job_run (crm_job_new (f->session, NULL, CRM_JOB_WRITE, NULL, NULL, NULL, boolean_done, &o),
               add_customer_job, &a, NULL);
  g_assert_true (crm_test_wait_for (&o.done, 20000));
  g_assert_error (o.error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&o.error);
  spin (200);
  crm_session_check_external (f->session);
  spin (50);

  g_assert_cmpuint (f->customers_signals, ==, 0);
  g_assert_cmpint (crm_test_query_int (f->store, "SELECT count(*) FROM customers"), ==, 0);

  /* The next commit on that connection (jobs reuse idle ones) names only its own customer. */
  {
    AddJob b = { "Han Mei", FALSE, 0, FALSE, f };

    o.done = FALSE;
    crm_job_run (crm_job_new (f->session, NULL, CRM_JOB_WRITE, NULL, NULL, NULL, boolean_done, &o),
                 add_customer_job, &b, NULL);
    g_assert_true (crm_test_wait_for (&o.done, 20000));
    g_assert_no_error (o.error);
    spin (100);
    g_assert_cmpuint (f->customers_signals, ==, 1);
    g_assert_cmpuint (f->customers->len, ==, 1);
    g_assert_cmpint (g_array_index (f->customers, gint64, 0), ==, b.id);
  }
}

/* The main connection's own writes and its settings are announced the same way. */
static void
test_main_connection (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *currency = NULL;
  gint64 id;

  id = crm_test_add_customer (f->store, "Zhao Min");
  g_assert_cmpuint (f->customers_signals, ==, 0);   /* not before the main loop runs */
  spin (50);
  g_assert_cmpuint (f->customers_signals, ==, 1);
  g_assert_true (contains (f->customers, id));

  g_assert_true (crm_session_set_currency (f->session, "EUR", &error));
  g_assert_no_error (error);
  spin (50);
  g_assert_cmpuint (f->settings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->settings, 0), ==, "currency");
  currency = crm_session_dup_currency (f->session);
  g_assert_cmpstr (currency, ==, "EUR");

  g_assert_true (crm_session_set_region (f->session, "de", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (crm_session_get_region (f->session), ==, "DE");
  g_assert_false (crm_session_set_region (f->session, "Germany", &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_cmpstr (crm_session_get_region (f->session), ==, "DE");
}

static void
test_locale_region (void)
{
  const char *saved = g_getenv ("LC_ALL");
  g_autofree char *copy = g_strdup (saved);

  g_setenv ("LC_ALL", "zh_CN.UTF-8", TRUE);
  g_assert_cmpstr (crm_session_locale_region (), ==, "CN");
  g_setenv ("LC_ALL", "de_DE@euro", TRUE);
  g_assert_cmpstr (crm_session_locale_region (), ==, "DE");
  g_setenv ("LC_ALL", "C", TRUE);
  g_assert_null (crm_session_locale_region ());
  if (copy != NULL)
    g_setenv ("LC_ALL", copy, TRUE);
  else
    g_unsetenv ("LC_ALL");
}

/* The real clientele-cli, built in the tree. */
static void
run_cli (const char *const *args)
{
  const char *cli = g_getenv ("CLIENTELE_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (cli == NULL)
    g_error ("CLIENTELE_CLI is not set: run this test through meson test");
  g_ptr_array_add (argv, (char *) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("clientele-cli failed: %s", err);
}

static gboolean
announced (gpointer data)
{
  Fixture *f = data;

  return f->customers_many > 0;
}

static gboolean
wait_until (gboolean (*done) (gpointer),
            gpointer  data,
            guint     ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (!done (data) && g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
  return done (data);
}

/* Another program (clientele-cli from cron, say) adds a customer while the session is open: the
 * poll notices it and says "many". */
static void
test_cli_write_announced (Fixture       *f,
                          gconstpointer  data)
{
  const char *args[] = { "--database", f->path, "add-customer", "--name", "Chen Jie", NULL };

  spin (50);
  forget (f);
  run_cli (args);

  /* Within the poll's two seconds, without anybody asking. */
  g_assert_true (wait_until (announced, f, 5000));
  g_assert_cmpuint (f->customers_many, ==, 1);
  g_assert_cmpuint (f->orders_many, ==, 1);
  g_assert_cmpint (crm_test_query_int (f->store, "SELECT count(*) FROM customers WHERE name = 'Chen Jie'"), ==, 1);

  /* Once. */
  crm_session_check_external (f->session);
  spin (50);
  g_assert_cmpuint (f->customers_many, ==, 1);
}

/* A customer with a first full recompute behind them, so that their scores have cutoffs. */
static gint64
prepare_customer (Fixture *f)
{
  g_autoptr(CrmCustomer) c = crm_customer_new ();
  g_autoptr(GError) error = NULL;
  CrmRecomputeOptions options;
  gint64 other, now = g_get_real_time () / 1000;

  crm_customer_set_name (c, "Sun Li");
  crm_customer_set_email (c, "sun.li@example.com");
  g_assert_true (crm_store_insert (f->store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *name = g_strdup_printf ("Regular %u", i);

      other = crm_test_add_customer (f->store, name);
      crm_test_add_order (f->store, other, now - (i + 1) * 20 * DAY, 5000 + 100 * i, NULL);
    }
  crm_recompute_options_init (&options, f->store);
  g_assert_true (crm_recompute (f->store, &options, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (crm_store_reload (f->store, CRM_ENTITY (c), &error));
  g_assert_cmpint (crm_customer_get_lifecycle (c), ==, CRM_LIFECYCLE_PROSPECT);
  return crm_entity_get_id (CRM_ENTITY (c));
}

/* Whether the customer's aggregates, stage and tier are what a full recompute now gives: a
 * recompute that changes nothing. */
static void
assert_current (Fixture *f,
                gint64   id,
                gint64   n_orders)
{
  g_autoptr(CrmCustomer) c = crm_store_load (f->store, CRM_TYPE_CUSTOMER, id, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM lifecycle_history WHERE customer_id = %" G_GINT64_FORMAT, id);
  CrmRecomputeOptions options;
  CrmRecomputeReport report;
  gint64 tier = crm_customer_get_tier_id (c);
  int stage = crm_customer_get_lifecycle (c);

  g_assert_cmpint (crm_customer_get_order_count (c), ==, n_orders);
  g_assert_cmpint (stage, ==, CRM_LIFECYCLE_NEW);
  g_assert_cmpint (crm_test_query_int (f->store, sql), ==, 1);

  crm_recompute_options_init (&options, f->store);
  g_assert_true (crm_recompute (f->store, &options, NULL, NULL, NULL, &report, &error));
  g_assert_no_error (error);
  g_clear_object (&c);
  c = crm_store_load (f->store, CRM_TYPE_CUSTOMER, id, NULL);
  g_assert_cmpint (crm_customer_get_lifecycle (c), ==, stage);
  g_assert_cmpint (crm_customer_get_tier_id (c), ==, tier);
}

typedef struct
{
  gint64 customer;
  gint64 placed_at;
} OrderJob;

static gboolean
add_order_job (CrmJob    *job,
               CrmStore  *store,
               gpointer   data,
               GError   **error)
{
  OrderJob *oj = data;

  crm_test_add_order (store, oj->customer, oj->placed_at, 9900, NULL);
  return TRUE;
}

/* An order written on a job's connection runs the session's order hooks in its transaction:
 * the customer's aggregates, stage and tier are current when it commits. */
static void
test_order_hooks_job (Fixture       *f,
                      gconstpointer  data)
{
  OrderJob oj = { prepare_customer (f), g_get_real_time () / 1000 - 3 * DAY };
  Outcome o = { 0 };

  spin (50);
  forget (f);
  crm_job_run (crm_job_new (f->session, NULL, CRM_JOB_WRITE, NULL, NULL, NULL, boolean_done, &o),
               add_order_job, &oj, NULL);
  g_assert_true (crm_test_wait_for (&o.done, 20000));
  g_assert_no_error (o.error);
  spin (100);
  g_assert_true (contains (f->orders, oj.customer));
  g_assert_true (contains (f->customers, oj.customer));

  assert_current (f, oj.customer, 1);
}

/* … and so does an order imported by clientele-cli, another program with a session of its own. */
static void
test_order_hooks_cli (Fixture       *f,
                      gconstpointer  data)
{
  gint64 id = prepare_customer (f);
  g_autofree char *csv = g_strconcat (f->path, ".orders.csv", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) when = g_date_time_add_days (now, -3);
  g_autofree char *day = g_date_time_format (when, "%Y-%m-%d");
  g_autofree char *text = g_strdup_printf ("customer_email,customer_name,order_date,total\n"
                                           "sun.li@example.com,Sun Li,%s,99.00\n", day);
  const char *args[] = { "--database", f->path, "import", "orders", csv, NULL };

  g_assert_true (g_file_set_contents (csv, text, -1, NULL));
  spin (50);
  forget (f);
  run_cli (args);
  g_assert_true (wait_until (announced, f, 5000));

  assert_current (f, id, 1);
}

static void
recompute_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Outcome *o = user_data;

  crm_recompute_finish (result, NULL, &o->error);
  o->done = TRUE;
}

/* A full recompute on a job's connection is announced as recomputed values (every view that
 * shows tiers, stages or scores reloads them), once. */
static void
test_values_recomputed (Fixture       *f,
                        gconstpointer  data)
{
  Outcome o = { 0 };
  gint64 now = g_get_real_time () / 1000;

  for (guint i = 0; i < 5; i++)
    crm_test_add_order (f->store, crm_test_add_customer (f->store, "Zhou"), now - (i + 1) * 30 * DAY, 1000, NULL);
  spin (50);
  forget (f);

  crm_recompute_async (f->session, NULL, NULL, NULL, NULL, recompute_done, &o);
  g_assert_true (crm_test_wait_for (&o.done, 20000));
  g_assert_no_error (o.error);
  spin (100);
  g_assert_cmpuint (f->values, ==, 1);
  g_assert_cmpuint (f->settings->len, >, 0);   /* rfm.computed_at and its neighbours */
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add ("/core/session/job-commit-announced-once", Fixture, NULL, fixture_setup,
              test_job_commit_announced_once, fixture_teardown);
  g_test_add ("/core/session/rollback-not-announced", Fixture, NULL, fixture_setup,
              test_rollback_not_announced, fixture_teardown);
  g_test_add ("/core/session/main-connection", Fixture, NULL, fixture_setup, test_main_connection,
              fixture_teardown);
  g_test_add_func ("/core/session/locale-region", test_locale_region);
  g_test_add ("/core/session/cli-write-announced", Fixture, NULL, fixture_setup, test_cli_write_announced,
              fixture_teardown);
  g_test_add ("/core/session/order-hooks-job", Fixture, NULL, fixture_setup, test_order_hooks_job,
              fixture_teardown);
  g_test_add ("/core/session/values-recomputed", Fixture, NULL, fixture_setup, test_values_recomputed,
              fixture_teardown);
  g_test_add ("/core/session/order-hooks-cli", Fixture, NULL, fixture_setup, test_order_hooks_cli,
              fixture_teardown);

  return g_test_run ();
}

/* test-busy.c: a write waits while another process holds the write lock longer than the old
 * 5 s busy timeout, and whoever waits can say what holds it (crm-store-wait.c).
 *
 * The other process is this program run again as a lock holder (crm_test_start_holder): it opens
 * the store as an import, takes the write lock, writes a row and sleeps before committing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-test-util.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crm-customer.h"
#include "crm-store.h"

static const char *self_exe;

typedef CrmTestHolder Holder;

static Holder
start_holder (const char *path,
              guint       ms)
{
  return crm_test_start_holder (self_exe, path, ms);
}

static void
wait_holder (Holder *h)
{
  g_assert_cmpint (crm_test_wait_cli (h->pid), ==, 0);
}

static CrmStore *
new_store (char **path)
{
  g_autoptr(GError) error = NULL;
  CrmStore *store;

  *path = crm_test_db_path ();
  store = crm_store_open (*path, &error);
  g_assert_no_error (error);
  return store;
}

static gboolean
add (CrmStore    *store,
     const char  *name,
     GError     **error)
{
  g_autoptr(CrmCustomer) c = crm_customer_new ();

  crm_customer_set_name (c, name);
  return crm_store_insert (store, CRM_ENTITY (c), error);
}

static gint64
count_named (CrmStore   *store,
             const char *name)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM customers WHERE name = '%s'", name);

  return crm_test_query_int (store, sql);
}

/* The failure of a CLI that gave up names @h, and wrote nothing. */
static void
assert_gave_up_naming (CrmStore   *store,
                       const char *err,
                       Holder     *h,
                       const char *name)
{
  g_autofree char *needle = g_strdup_printf ("is busy with an import by test-holder (process %d) since ", (int) h->pid);

  g_assert_nonnull (strstr (err, needle));
  wait_holder (h);
  g_assert_cmpint (count_named (store, name), ==, 0);
}

/* ---- blocking waits ------------------------------------------------------------------ */

typedef struct
{
  guint   calls;
  gint64  first_ms;
  char   *holder;
  gint64  give_up_ms;   /* 0: never */
} Waited;

static gboolean
record_wait (CrmStore *store,
             gint64    waited_ms,
             gpointer  data)
{
  Waited *w = data;

  if (w->calls++ == 0)
    {
      w->first_ms = waited_ms;
      w->holder = crm_store_describe_writer (store);
    }
  return w->give_up_ms == 0 || waited_ms < w->give_up_ms;
}

static void
test_waits_past_timeout (void)
{
  g_autofree char *path = NULL;
  g_autoptr(CrmStore) store = new_store (&path);
  g_autoptr(GError) error = NULL;
  g_autofree char *pid = NULL;
  Waited w = { 0 };
  Holder h;

  h = start_holder (path, 6500);
  crm_store_set_wait_func (store, record_wait, &w);
  /* The app's own write waits, past the old 5 s limit, instead of failing. */
  g_assert_true (add (store, "Waited row", &error));
  g_assert_no_error (error);
  g_assert_cmpint ((g_get_monotonic_time () - h.started) / 1000, >=, 6000);
  wait_holder (&h);

  g_assert_cmpuint (w.calls, >, 20);
  g_assert_cmpint (w.first_ms, >=, 300);
  g_assert_cmpint (w.first_ms, <, 1000);
  pid = g_strdup_printf ("(process %d)", (int) h.pid);
  g_assert_nonnull (w.holder);
  g_assert_true (g_str_has_prefix (w.holder, "an import by test-holder "));
  g_assert_nonnull (strstr (w.holder, pid));
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM settings WHERE key = 'test.holder'"), ==, 1);
  g_assert_cmpint (count_named (store, "Waited row"), ==, 1);
  /* The holder's note went with its transaction. */
  g_assert_null (crm_store_describe_writer (store));
  g_free (w.holder);
}

static void
test_gives_up_naming_holder (void)
{
  g_autofree char *path = NULL;
  g_autoptr(CrmStore) store = new_store (&path);
  g_autoptr(GError) error = NULL;
  Waited w = { .give_up_ms = 800 };
  Holder h = start_holder (path, 2500);

  crm_store_set_wait_func (store, record_wait, &w);
  g_assert_false (add (store, "Not written", &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "is busy with an import by test-holder (process"));
  g_assert_nonnull (strstr (error->message, path));
  wait_holder (&h);
  g_assert_cmpint (count_named (store, "Not written"), ==, 0);
  g_free (w.holder);

  /* Without a wait function the old limit holds: 5 s, then the same error. */
  g_clear_error (&error);
  crm_store_set_wait_func (store, NULL, NULL);
  h = start_holder (path, 7000);
  g_assert_false (add (store, "Not written", &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_LOCKED);
  g_assert_cmpint ((g_get_monotonic_time () - h.started) / 1000, >=, 4900);
  g_assert_nonnull (strstr (error->message, "an import by"));
  kill (h.pid, SIGKILL);
  waitpid (h.pid, NULL, 0);
  g_spawn_close_pid (h.pid);
}

/* A job's Cancel (the connection's cancellable) ends a wait at once. */
static gpointer
cancel_later (gpointer cancellable)
{
  g_usleep (600 * 1000);
  g_cancellable_cancel (cancellable);
  return NULL;
}

static void
test_cancel_ends_wait (void)
{
  g_autofree char *path = NULL;
  g_autoptr(CrmStore) store = new_store (&path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Waited w = { 0 };
  Holder h = start_holder (path, 4000);
  GThread *canceller;
  gint64 start = g_get_monotonic_time ();

  crm_store_set_wait_func (store, record_wait, &w);
  crm_store_set_cancellable (store, cancellable);
  canceller = g_thread_new ("cancel", cancel_later, cancellable);
  g_assert_false (add (store, "Cancelled while waiting", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, 1500);
  g_thread_join (canceller);
  crm_store_set_cancellable (store, NULL);
  wait_holder (&h);
  g_assert_cmpint (count_named (store, "Cancelled while waiting"), ==, 0);
  g_free (w.holder);
}

/* ---- writing without blocking -------------------------------------------------------- */

typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  gboolean      done;
  GError       *error;
  guint         ticks;      /* the main loop kept running meanwhile */
  guint         waiting;
  char         *holder;
  gboolean      cancel_when_waiting;
} Async;

static gboolean
write_row (CrmStore  *store,
           gpointer   data,
           GError   **error)
{
  return add (store, data, error);
}

static gboolean
on_waiting (CrmStore *store,
            gint64    waited_ms,
            gpointer  data)
{
  Async *a = data;

  if (a->waiting++ == 0)
    a->holder = crm_store_describe_writer (store);
  if (a->cancel_when_waiting)
    g_cancellable_cancel (a->cancellable);
  return TRUE;
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Async *a = data;

  crm_store_write_finish (CRM_STORE (source), result, &a->error);
  a->done = TRUE;
  g_main_loop_quit (a->loop);
}

static gboolean
tick (gpointer data)
{
  ((Async *) data)->ticks++;
  return G_SOURCE_CONTINUE;
}

static void
run_async (CrmStore   *store,
           const char *name,
           Async      *a)
{
  guint ticker = g_timeout_add (20, tick, a);

  a->loop = g_main_loop_new (NULL, FALSE);
  a->cancellable = g_cancellable_new ();
  crm_store_write_async (store, write_row, g_strdup (name), g_free, on_waiting, a,
                         a->cancellable, on_written, a);
  if (!a->done)
    g_main_loop_run (a->loop);
  g_source_remove (ticker);
  g_clear_pointer (&a->loop, g_main_loop_unref);
  g_clear_object (&a->cancellable);
}

static void
test_write_async (void)
{
  g_autofree char *path = NULL;
  g_autoptr(CrmStore) store = new_store (&path);
  Async now = { 0 }, later = { 0 }, cancelled = { .cancel_when_waiting = TRUE };
  Holder h;

  /* A free lock: written at once, nobody told to wait. */
  run_async (store, "At once", &now);
  g_assert_no_error (now.error);
  g_assert_cmpuint (now.waiting, ==, 0);
  g_assert_cmpint (count_named (store, "At once"), ==, 1);

  h = start_holder (path, 2000);
  run_async (store, "Later", &later);
  g_assert_no_error (later.error);
  g_assert_cmpint ((g_get_monotonic_time () - h.started) / 1000, >=, 1900);
  wait_holder (&h);
  g_assert_cmpuint (later.waiting, >, 5);
  g_assert_cmpuint (later.ticks, >, 40);   /* ~100 over 2 s: the thread never blocked */
  g_assert_nonnull (later.holder);
  g_assert_true (g_str_has_prefix (later.holder, "an import by test-holder "));
  g_assert_cmpint (count_named (store, "Later"), ==, 1);
  g_free (later.holder);

  h = start_holder (path, 1500);
  run_async (store, "Cancelled", &cancelled);
  g_assert_error (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint ((g_get_monotonic_time () - h.started) / 1000, <, 1400);
  wait_holder (&h);
  g_assert_cmpint (count_named (store, "Cancelled"), ==, 0);
  g_clear_error (&cancelled.error);
  g_free (cancelled.holder);
}

/* ---- the writer note ------------------------------------------------------------------ */

static void
test_stale_note (void)
{
  g_autofree char *path = NULL;
  g_autoptr(CrmStore) store = new_store (&path);
  g_autofree char *note = g_strconcat (path, "-writer", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "true", NULL };
  GPid dead = 0;

  /* A labelled write leaves no note behind, committed or rolled back. */
  {
    g_autoptr(CrmStoreOperation) op = crm_store_operation_push (store, "recompute");

    g_assert_true (crm_store_begin (store, &error));
    g_assert_true (g_file_test (note, G_FILE_TEST_IS_REGULAR));
    crm_store_rollback (store);
    g_assert_false (g_file_test (note, G_FILE_TEST_EXISTS));
    g_assert_true (add (store, "Labelled", &error));
    g_assert_false (g_file_test (note, G_FILE_TEST_EXISTS));
  }
  /* … nor does an unlabelled one write one. */
  g_assert_true (crm_store_begin (store, &error));
  g_assert_false (g_file_test (note, G_FILE_TEST_EXISTS));
  crm_store_rollback (store);

  /* The note of a process that is gone (killed while it held the lock) is not believed, and
   * the next open removes it. */
  g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                 NULL, NULL, &dead, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_test_wait_cli (dead), ==, 0);
  text = g_strdup_printf ("import\nclientele-cli\n%d\n%" G_GINT64_FORMAT "\n", (int) dead,
                          g_get_real_time () / 1000);
  g_assert_true (g_file_set_contents (note, text, -1, NULL));
  g_assert_null (crm_store_describe_writer (store));
  g_clear_object (&store);
  store = crm_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (note, G_FILE_TEST_EXISTS));

  /* Garbage is no note; nor is the empty file of a holder killed before it wrote its note, which
   * the next open removes too. */
  g_assert_true (g_file_set_contents (note, "import\n\xff\n", -1, NULL));
  g_assert_null (crm_store_describe_writer (store));
  g_assert_true (g_file_set_contents (note, "", 0, NULL));
  g_assert_null (crm_store_describe_writer (store));
  g_clear_object (&store);
  store = crm_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (note, G_FILE_TEST_EXISTS));
}

/* ---- clientele-cli ----------------------------------------------------------------------- */

static void
test_cli_waits (void)
{
  g_autofree char *path = NULL;
  g_autoptr(CrmStore) store = new_store (&path);
  g_autofree char *err = NULL;
  g_autofree char *expected = NULL;
  Holder h = start_holder (path, 2500);
  int status;

  status = crm_test_run_cli ((const char *const[]) { "--database", path, "add-customer", "--name", "From cron", NULL },
                             NULL, &err);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpint ((g_get_monotonic_time () - h.started) / 1000, >=, 2400);
  wait_holder (&h);
  /* After a second it said what it waits for: one line. */
  expected = g_strdup_printf ("clientele-cli: waiting for an import by test-holder (process %d) since ", (int) h.pid);
  g_assert_true (g_str_has_prefix (err, expected));
  g_assert_true (g_str_has_suffix (err, " to finish…\n"));
  g_assert_cmpint (count_named (store, "From cron"), ==, 1);
}

static void
test_cli_gives_up (void)
{
  g_autofree char *path = NULL;
  g_autoptr(CrmStore) store = new_store (&path);
  g_autofree char *err = NULL;
  Holder h = start_holder (path, 3000);
  int status;

  status = crm_test_run_cli ((const char *const[]) { "--database", path, "--wait", "1", "add-customer",
                                                     "--name", "Gave up", NULL }, NULL, &err);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpint ((g_get_monotonic_time () - h.started) / 1000, <, 2900);
  assert_gave_up_naming (store, err, &h, "Gave up");
}

static void
test_cli_interrupted (void)
{
  g_autofree char *path = NULL;
  g_autoptr(CrmStore) store = new_store (&path);
  g_autofree char *err = NULL;
  Holder h = start_holder (path, 4000);
  int err_fd = -1;
  GPid cli = crm_test_spawn_cli ((const char *const[]) { "--database", path, "add-customer",
                                                         "--name", "Interrupted", NULL }, &err_fd);
  gsize len = 0;
  int status;

  g_usleep (1500 * 1000);
  kill (cli, SIGINT);
  status = crm_test_wait_cli (cli);
  g_assert_cmpint ((g_get_monotonic_time () - h.started) / 1000, <, 3500);
  g_assert_cmpint (status, ==, 1);
  {
    g_autoptr(GIOChannel) ch = g_io_channel_unix_new (err_fd);

    g_io_channel_set_close_on_unref (ch, TRUE);
    g_io_channel_read_to_end (ch, &err, &len, NULL);
  }
  assert_gave_up_naming (store, err, &h, "Interrupted");
}

int
main (int   argc,
      char *argv[])
{
  int held = crm_test_holder_main (argc, argv);

  if (held >= 0)
    return held;
  self_exe = argv[0];
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  crm_test_init (&argc, &argv);

  g_test_add_func ("/core/busy/waits-past-timeout", test_waits_past_timeout);
  g_test_add_func ("/core/busy/gives-up-naming-holder", test_gives_up_naming_holder);
  g_test_add_func ("/core/busy/cancel-ends-wait", test_cancel_ends_wait);
  g_test_add_func ("/core/busy/write-async", test_write_async);
  g_test_add_func ("/core/busy/stale-note", test_stale_note);
  g_test_add_func ("/core/busy/cli-waits", test_cli_waits);
  g_test_add_func ("/core/busy/cli-gives-up", test_cli_gives_up);
  g_test_add_func ("/core/busy/cli-interrupted", test_cli_interrupted);

  return g_test_run ();
}

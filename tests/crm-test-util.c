/* crm-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include "crm-customer.h"
#include "crm-order.h"
#include "crm-order-line.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#include "crm-search.h"

#include "crm-csv-reader.h"

static char *tmp_dir;
static guint db_counter;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);
        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static void
cleanup (void)
{
  if (tmp_dir != NULL && g_getenv ("CRM_TEST_KEEP_TMP") == NULL)
    remove_tree (tmp_dir);
}

void
crm_test_init (int    *argc,
               char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;

  setlocale (LC_ALL, "");
  g_test_init (argc, argv, NULL);
  /* Before a test opens a database with sqlite3_open() of its own. */
  if (g_getenv ("CLIENTELE_POSIX_LOCKS") == NULL)
    crm_store_lock_install ();

  tmp_dir = g_dir_make_tmp ("clientele-test-XXXXXX", &error);
  g_assert_no_error (error);
  data_home = g_build_filename (tmp_dir, "data", NULL);
  g_mkdir_with_parents (data_home, 0700);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_unsetenv ("CLIENTELE_DB");
  atexit (cleanup);
}

const char *
crm_test_tmp_dir (void)
{
  return tmp_dir;
}

const char crm_test_undo_after_schema_9[] =
  /* 16: consent history */
  "DROP TRIGGER customers_consent_au; DROP TABLE consent_events;"
  /* 15: WooCommerce orders */
  "DROP TABLE sync_orders;"
  /* 14: loyalty points */
  "DROP TABLE points_ledger; DROP TABLE points_balances;"
  /* 13: campaigns */
  "DROP TABLE campaign_recipients; DROP TABLE email_unsubscribes;"
  "ALTER TABLE campaigns DROP COLUMN html_body;"
  /* 12: the feedback workflow */
  "DROP TABLE feedback_history; DROP TABLE feedback_fts; DROP TRIGGER feedback_received_ai;"
  "DROP INDEX feedback_stats; DROP INDEX feedback_status;"
  "ALTER TABLE feedback DROP COLUMN received_at; ALTER TABLE feedback DROP COLUMN source;"
  "ALTER TABLE feedback DROP COLUMN order_id; ALTER TABLE feedback DROP COLUMN priority;"
  "ALTER TABLE feedback DROP COLUMN assignee; ALTER TABLE feedback DROP COLUMN due_at;"
  /* 11: follow-ups, owners and the pool */
  "DROP TRIGGER customers_owner_ai; DROP TRIGGER customers_owner_au;"
  "DROP INDEX customers_owner; DROP INDEX customers_birthday_md;"
  "DROP TABLE tasks; DROP TABLE pool_history; DROP TABLE owners;"
  /* 10: coupons and member cards */
  "DROP TABLE coupon_redemptions; DROP TABLE member_cards; DROP TABLE coupon_codes;"
  "DROP TABLE coupon_batches;";

char *
crm_test_db_path (void)
{
  return g_strdup_printf ("%s/test-%u.db", tmp_dir, ++db_counter);
}

char *
crm_test_shared_data (const char *relative)
{
  const char *dir = g_getenv ("CLIENTELE_SHARED_DATA");

  if (dir != NULL)
    return g_build_filename (dir, relative, NULL);

  return g_build_filename (g_getenv ("G_TEST_SRCDIR") ? g_getenv ("G_TEST_SRCDIR") : ".",
                           "..", "..", "shared", "data", relative, NULL);
}

void
crm_test_require_file (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return;

  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    g_error ("required test data missing under CI: %s", path);

  g_test_skip_printf ("test data missing: %s", path);
}

gint64
crm_test_query_int (CrmStore   *store,
                    const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  if (sqlite3_prepare_v2 (crm_store_get_db (store), sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (crm_store_get_db (store)));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

char *
crm_test_query_text (CrmStore   *store,
                     const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  if (sqlite3_prepare_v2 (crm_store_get_db (store), sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (crm_store_get_db (store)));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return value;
}

int
crm_test_file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

gint64
crm_test_add_unindexed_customer (CrmStore   *store,
                                 const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) c = crm_customer_new ();
  g_autofree char *trigger = crm_test_query_text (store, "SELECT sql FROM sqlite_master WHERE name = 'customers_fts_ai'");
  gint64 id;

  g_assert_true (crm_store_begin (store, &error));
  g_assert_true (crm_store_exec (store, "DROP TRIGGER customers_fts_ai", &error));
  crm_customer_set_name (c, name);
  g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);
  id = crm_entity_get_id (CRM_ENTITY (c));
  g_assert_true (crm_store_exec (store, trigger, &error));
  g_assert_true (crm_store_exec (store, "DELETE FROM customer_terms WHERE customer_id = (SELECT max(id) FROM customers)", &error));
  g_assert_true (crm_store_set_search_pending (store, id, &error));
  g_assert_true (crm_store_commit (store, &error));
  g_assert_no_error (error);
  return id;
}

gboolean
crm_test_obey_file_modes (void)
{
  struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[2] = { { 0 } };
  const guint32 drop = (1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH);

  if (geteuid () != 0)
    return TRUE;
  if (syscall (SYS_capget, &header, data) != 0)
    return FALSE;
  data[0].effective &= ~drop;
  data[0].permitted &= ~drop;
  data[0].inheritable &= ~drop;
  return syscall (SYS_capset, &header, data) == 0;
}

char *
crm_test_deep_rule (guint levels)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < levels; i++)
    g_string_append (s, "{\"match\":\"all\",\"rules\":[");
  g_string_append (s, "{\"field\":\"city\",\"op\":\"is\",\"value\":\"x\"}");
  for (guint i = 0; i < levels; i++)
    g_string_append (s, "]}");
  return g_string_free (s, FALSE);
}

struct _CrmTestFifoReader
{
  char    *path;
  GString *read;
  GThread *thread;
  gint     done;
};

static gpointer
read_fifo (gpointer data)
{
  CrmTestFifoReader *f = data;
  char buf[4096];
  ssize_t n;
  int fd = g_open (f->path, O_RDONLY, 0);

  g_assert_cmpint (fd, >=, 0);
  while ((n = read (fd, buf, sizeof buf)) > 0)
    g_string_append_len (f->read, buf, n);
  close (fd);
  g_atomic_int_set (&f->done, 1);
  return NULL;
}

CrmTestFifoReader *
crm_test_fifo_reader_start (const char *path)
{
  CrmTestFifoReader *f = g_new0 (CrmTestFifoReader, 1);

  f->path = g_strdup (path);
  f->read = g_string_new (NULL);
  f->thread = g_thread_new ("fifo-reader", read_fifo, f);
  return f;
}

/* Called once the writer has exited.  A writer that failed before it opened the FIFO left the
 * reader blocked in open(): opening the write end (non-blocking: ENXIO when no reader waits) and
 * closing it gives that reader end-of-file, so a failing writer makes the test fail on its exit
 * status instead of hanging it. */
char *
crm_test_fifo_reader_finish (CrmTestFifoReader *f)
{
  while (!g_atomic_int_get (&f->done))
    {
      int fd = g_open (f->path, O_WRONLY | O_NONBLOCK, 0);

      if (fd >= 0)
        close (fd);
      g_usleep (10000);
    }
  g_thread_join (f->thread);
  g_free (f->path);
  char *text = g_string_free (f->read, FALSE);

  g_free (f);
  return text;
}

char *
crm_test_write_file (const char *name,
                     const char *contents,
                     gssize      len)
{
  char *path = g_build_filename (crm_test_tmp_dir (), name, NULL);

  g_assert_true (g_file_set_contents (path, contents, len, NULL));
  return path;
}

char *
crm_test_unpack_db (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *gz = g_test_build_filename (G_TEST_DIST, "data", "store", name, NULL);
  char *path = crm_test_db_path ();
  g_autoptr(GFile) in = g_file_new_for_path (gz);
  g_autoptr(GFile) out = g_file_new_for_path (path);
  g_autoptr(GInputStream) raw = NULL;
  g_autoptr(GInputStream) plain = NULL;
  g_autoptr(GOutputStream) dest = NULL;
  g_autoptr(GZlibDecompressor) zlib = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);

  raw = G_INPUT_STREAM (g_file_read (in, NULL, &error));
  g_assert_no_error (error);
  plain = g_converter_input_stream_new (raw, G_CONVERTER (zlib));
  dest = G_OUTPUT_STREAM (g_file_replace (out, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_output_stream_splice (dest, plain, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                                           G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error), >, 4096);
  g_assert_no_error (error);

  return path;
}

gint64
crm_test_journal_count (CrmStore         *store,
                        CrmJournalEntity  entity,
                        CrmJournalOp      op)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM changes WHERE (%d = 0 OR entity = %d)"
                                          " AND (%d = 0 OR op = %d)", entity, entity, op, op);
  return crm_test_query_int (store, sql);
}

GPtrArray *
crm_test_read_csv (const char     *path,
                   CrmCsvEncoding  encoding)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCsvReader) reader = crm_csv_reader_new_for_path (path, &error);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  g_assert_no_error (error);
  crm_csv_reader_set_encoding (reader, encoding);
  crm_csv_reader_set_header_mode (reader, CRM_CSV_HEADER_ABSENT);
  while (crm_csv_reader_next (reader, NULL, &error))
    {
      guint n;
      const char * const *fields = crm_csv_reader_get_fields (reader, &n);
      g_ptr_array_add (rows, g_strdupv ((char **) fields));
    }
  g_assert_no_error (error);

  return rows;
}

CrmStore *
crm_test_store_new (char **out_path)
{
  g_autofree char *path = crm_test_db_path ();
  g_autoptr(GError) error = NULL;
  CrmStore *store = crm_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  if (out_path != NULL)
    *out_path = g_steal_pointer (&path);
  return store;
}

CrmSession *
crm_test_session_new (char **out_path)
{
  g_autofree char *path = crm_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmSession) session = crm_session_new (path);

  g_assert_true (crm_session_open (session, &error));
  g_assert_no_error (error);
  if (out_path != NULL)
    *out_path = g_steal_pointer (&path);
  return g_steal_pointer (&session);
}

gint64
crm_test_add_customer (CrmStore   *store,
                       const char *name)
{
  g_autoptr(CrmCustomer) c = crm_customer_new ();
  g_autoptr(GError) error = NULL;

  crm_customer_set_name (c, name);
  g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);
  return crm_entity_get_id (CRM_ENTITY (c));
}

static gint64
insert_order (CrmStore     *store,
              CrmOrder     *order,
              gint64        customer_id,
              gint64        placed_at,
              gint64        total,
              const char   *status,
              GPtrArray    *lines)
{
  g_autoptr(GError) error = NULL;

  crm_order_set_customer_id (order, customer_id);
  crm_order_set_placed_at (order, placed_at);
  crm_order_set_total (order, total);
  if (status != NULL)
    crm_order_set_status (order, status);
  crm_order_set_currency (order, "CNY");
  g_assert_true (crm_store_insert_order (store, CRM_ENTITY (order), lines, &error));
  g_assert_no_error (error);
  return crm_entity_get_id (CRM_ENTITY (order));
}

gint64
crm_test_add_order (CrmStore   *store,
                    gint64      customer_id,
                    gint64      placed_at,
                    gint64      total,
                    const char *status)
{
  g_autoptr(CrmOrder) order = crm_order_new ();

  return insert_order (store, order, customer_id, placed_at, total, status, NULL);
}

gint64
crm_test_add_order_line (CrmStore   *store,
                         gint64      customer_id,
                         gint64      placed_at,
                         const char *status,
                         const char *category,
                         gint64      quantity,
                         gint64      amount)
{
  g_autoptr(CrmOrder) order = crm_order_new ();
  g_autoptr(CrmOrderLine) line = crm_order_line_new ();
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();

  crm_order_line_set_sku (line, category);
  crm_order_line_set_product (line, category);
  crm_order_line_set_category (line, category);
  crm_order_line_set_quantity (line, quantity);
  crm_order_line_set_amount (line, amount);
  g_ptr_array_add (lines, line);
  return insert_order (store, order, customer_id, placed_at, amount, status, lines);
}

static gboolean
give_up (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
crm_test_wait_for (gboolean *flag,
                   guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, give_up, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return *flag;
}

const char *
crm_test_cli_path (void)
{
  const char *path = g_getenv ("CLIENTELE_CLI");

  if (path == NULL)
    g_error ("CLIENTELE_CLI is not set: run this test through meson test");
  return path;
}

static char **
cli_argv (const char *const *args)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, g_strdup (crm_test_cli_path ()));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  return (char **) g_ptr_array_free (argv, FALSE);
}

int
crm_test_run_cli (const char *const  *args,
                  char              **out,
                  char              **err)
{
  g_auto(GStrv) argv = cli_argv (args);
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  /* Output not asked for goes nowhere: the test's own stdout is its TAP stream. */
  g_spawn_sync (NULL, argv, NULL, out == NULL ? G_SPAWN_STDOUT_TO_DEV_NULL : G_SPAWN_DEFAULT, NULL, NULL,
                out, err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  return WEXITSTATUS (wait_status);
}

int
crm_test_run_cli_input (const char *const  *args,
                        const char         *input,
                        char              **out,
                        char              **err)
{
  g_auto(GStrv) argv = cli_argv (args);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *o = NULL;
  g_autofree char *e = NULL;

  process = g_subprocess_newv ((const char *const *) argv,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &o, &e, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  if (out != NULL)
    *out = g_steal_pointer (&o);
  if (err != NULL)
    *err = g_steal_pointer (&e);
  return g_subprocess_get_exit_status (process);
}

GPid
crm_test_spawn_cli (const char *const *args,
                    int               *err_fd)
{
  g_auto(GStrv) argv = cli_argv (args);
  g_autoptr(GError) error = NULL;
  GPid pid = 0;

  g_spawn_async_with_pipes (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, &pid,
                            NULL, NULL, err_fd, &error);
  g_assert_no_error (error);
  return pid;
}

int
crm_test_wait_cli (GPid pid)
{
  int wait_status = 0;

  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (wait_status));
  return WEXITSTATUS (wait_status);
}

int
crm_test_holder_main (int    argc,
                      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = NULL;
  g_autoptr(CrmStoreOperation) operation = NULL;

  if (argc != 4 || !g_str_equal (argv[1], "--hold-write-lock"))
    return -1;

  g_set_prgname ("test-holder");
  store = crm_store_open (argv[2], &error);
  if (store == NULL)
    g_error ("holder: %s", error->message);
  operation = crm_store_operation_push (store, "import");
  if (!crm_store_begin (store, &error) ||
      !crm_store_set_setting (store, "test.holder", argv[3], &error))
    g_error ("holder: %s", error->message);
  printf ("holding\n");
  fflush (stdout);
  g_usleep (g_ascii_strtoull (argv[3], NULL, 10) * 1000);
  if (!crm_store_commit (store, &error))
    g_error ("holder: %s", error->message);
  return 0;
}

CrmTestHolder
crm_test_start_holder (const char *self_exe,
                       const char *path,
                       guint       ms)
{
  g_autofree char *ms_text = g_strdup_printf ("%u", ms);
  const char *argv[] = { self_exe, "--hold-write-lock", path, ms_text, NULL };
  g_autoptr(GError) error = NULL;
  CrmTestHolder h = { 0 };
  char line[16] = "";
  int out = -1;
  FILE *f;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &h.pid, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  f = fdopen (out, "r");
  g_assert_nonnull (fgets (line, sizeof line, f));
  g_assert_cmpstr (line, ==, "holding\n");
  fclose (f);
  h.started = g_get_monotonic_time ();
  return h;
}

void
crm_test_poke (const char *path)
{
  char buf[4096];
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    {
      g_assert_cmpint (errno, ==, ENOENT);
      return;
    }
  g_assert_cmpint (read (fd, buf, sizeof buf), >=, 0);
  close (fd);
}

void
crm_test_poke_database (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  crm_test_poke (path);
  crm_test_poke (wal);
  crm_test_poke (shm);
}

struct _CrmTestPoker
{
  char    *path;
  guint    interval_ms;
  gint     stop;
  guint    pokes;
  GThread *thread;
};

static gpointer
poker_thread (gpointer data)
{
  CrmTestPoker *p = data;

  while (!g_atomic_int_get (&p->stop))
    {
      crm_test_poke_database (p->path);
      p->pokes++;
      g_usleep (p->interval_ms * 1000);
    }
  return NULL;
}

CrmTestPoker *
crm_test_poker_start (const char *path,
                      guint       interval_ms)
{
  CrmTestPoker *p = g_new0 (CrmTestPoker, 1);

  p->path = g_strdup (path);
  p->interval_ms = interval_ms;
  p->thread = g_thread_new ("poker", poker_thread, p);
  return p;
}

guint
crm_test_poker_stop (CrmTestPoker *p)
{
  guint pokes;

  g_atomic_int_set (&p->stop, 1);
  g_thread_join (p->thread);
  pokes = p->pokes;
  g_free (p->path);
  g_free (p);
  return pokes;
}

/* clientele-cli in its own process ----------------------------------------------------- */

void
crm_test_cli_run_clear (CrmTestCliRun *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
  g_clear_pointer (&r->json, json_node_unref);
  r->status = -1;
}

void
crm_test_cli_run (CrmTestCliRun     *r,
                  const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_environ_unsetenv (g_get_environ (), "CLIENTELE_DB");
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  crm_test_cli_run_clear (r);
  envp = g_environ_setenv (envp, "LANGUAGE", "en", TRUE);
  g_ptr_array_add (argv, (gpointer) crm_test_cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &r->out, &r->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r->status = WEXITSTATUS (wait_status);
  if (r->out != NULL && r->out[0] == '{')
    {
      r->json = json_from_string (r->out, &error);
      g_assert_no_error (error);
    }
}

void
crm_test_cli_assert_ok (CrmTestCliRun *r)
{
  if (r->status != 0)
    g_printerr ("stdout: %s\nstderr: %s\n", r->out, r->err);
  g_assert_cmpint (r->status, ==, 0);
}

void
crm_test_cli_assert_failed (CrmTestCliRun *r,
                            int            code,
                            const char    *needle)
{
  if (r->status != code || strstr (r->err, needle) == NULL)
    g_printerr ("stdout: %s\nstderr: %s\n", r->out, r->err);
  g_assert_cmpint (r->status, ==, code);
  g_assert_cmpstr (r->out, ==, "");
  g_assert_true (g_str_has_prefix (r->err, "clientele-cli: "));
  g_assert_nonnull (strstr (r->err, needle));
  g_assert_true (strchr (r->err, '\n') == r->err + strlen (r->err) - 1);
}

JsonObject *
crm_test_cli_object (CrmTestCliRun *r)
{
  g_assert_nonnull (r->json);
  return json_node_get_object (r->json);
}

gint64
crm_test_count_rows (const char *db,
                     const char *sql)
{
  g_autoptr(CrmStore) store = crm_store_open (db, NULL);

  g_assert_nonnull (store);
  return crm_test_query_int (store, sql);
}

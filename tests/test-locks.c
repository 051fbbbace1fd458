/* test-locks.c: no committed write is lost, and the file stays consistent, whatever else in the
 * process opens and closes the database file (GTK's file chooser sniffing the folder, a
 * thumbnailer, a copy) while another process — clientele-cli, the stock sqlite3 shell — writes
 * to it.  With POSIX advisory locks the first close() of any descriptor of the file dropped
 * every lock of the process ("How To Corrupt An SQLite Database File", §2.2): the CLI then
 * believed it was the last user, checkpointed and deleted the -wal and -shm files the app was
 * still writing to (crm-store-lock.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crm-customer.h"
#include "crm-store.h"

/* ---- helpers ------------------------------------------------------------------- */

/* A customer added through @store: its uuid. */
static char *
app_add (CrmStore   *store,
         const char *name)
{
  g_autoptr(CrmCustomer) c = crm_customer_new ();
  g_autoptr(GError) error = NULL;

  crm_customer_set_name (c, name);
  crm_store_insert (store, CRM_ENTITY (c), &error);
  g_assert_no_error (error);
  return g_strdup (crm_entity_get_uuid (CRM_ENTITY (c)));
}

/* A customer added by clientele-cli, its own process: its uuid. */
static char *
cli_add (const char *path,
         const char *name)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = crm_test_run_cli ((const char *const[]) { "--database", path, "add-customer",
                                                         "--name", name, NULL }, &out, &err);

  if (status != 0)
    g_error ("clientele-cli add-customer %s: %s", name, err);
  return g_strstrip (g_steal_pointer (&out));
}

/* Another process sees @uuid at once. */
static void
assert_cli_sees (const char *path,
                 const char *uuid)
{
  g_autofree char *err = NULL;
  int status = crm_test_run_cli ((const char *const[]) { "--database", path, "show", uuid, NULL },
                                 NULL, &err);

  if (status != 0)
    g_error ("another process does not see %s: %s", uuid, err);
}

/* After every connection is closed: each of @names is there once and the file is sound. */
static void
assert_all_there (const char         *path,
                  const char *const  *names)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM customers WHERE name = ?", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  for (guint i = 0; names[i] != NULL; i++)
    {
      sqlite3_bind_text (stmt, 1, names[i], -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      if (sqlite3_column_int (stmt, 0) != 1)
        g_error ("“%s” is there %d times, not once", names[i], sqlite3_column_int (stmt, 0));
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static CrmStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  CrmStore *store = crm_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

/* ---- the issue's own sequence ------------------------------------------------------ */

static void
test_foreign_close_and_cli (void)
{
  g_autofree char *path = crm_test_db_path ();
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(CrmStore) store = open_store (path);
  g_autofree char *a1 = NULL, *a2 = NULL, *a3 = NULL, *c1 = NULL, *c2 = NULL;

  a1 = app_add (store, "App one");
  crm_test_poke (path);
  c1 = cli_add (path, "CLI one");
  /* The CLI was not the last user: the -wal stays, as the app still uses it. */
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  a2 = app_add (store, "App two");
  assert_cli_sees (path, a2);
  c2 = cli_add (path, "CLI two");
  a3 = app_add (store, "App three");
  assert_cli_sees (path, a3);
  assert_cli_sees (path, c2);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM customers"), ==, 5);
  g_clear_object (&store);

  /* The last connection checkpointed and removed the -wal. */
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  assert_all_there (path, (const char *const[]) { "App one", "App two", "App three", "CLI one", "CLI two", NULL });
}

/* The -wal and -shm opened and closed by someone else in the process, then the database. */
static void
test_foreign_close_wal_shm (void)
{
  g_autofree char *path = crm_test_db_path ();
  g_autoptr(CrmStore) store = open_store (path);
  g_autofree char *a = NULL, *b = NULL;

  g_free (app_add (store, "W1"));
  crm_test_poke_database (path);
  g_free (cli_add (path, "W2"));
  crm_test_poke_database (path);
  a = app_add (store, "W3");
  assert_cli_sees (path, a);
  crm_test_poke_database (path);
  g_free (cli_add (path, "W4"));
  b = app_add (store, "W5");
  assert_cli_sees (path, b);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM customers"), ==, 5);
  g_clear_object (&store);

  assert_all_there (path, (const char *const[]) { "W1", "W2", "W3", "W4", "W5", NULL });
}

/* Two write connections and a reader in the process, closed one by one while the CLI writes. */
static void
test_two_connections (void)
{
  g_autofree char *path = crm_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) first = open_store (path);
  g_autoptr(CrmStore) second = open_store (path);
  g_autoptr(CrmStore) reader = crm_store_open_reader (path, &error);
  g_autofree char *a = NULL, *b = NULL;
  gint64 seen;

  g_assert_no_error (error);
  g_free (app_add (first, "T1"));
  g_free (app_add (second, "T2"));
  seen = crm_store_get_data_version (reader);
  g_assert_cmpint (crm_store_count (reader, CRM_TYPE_CUSTOMER, NULL), ==, 2);
  crm_test_poke (path);
  g_free (cli_add (path, "T3"));
  g_assert_cmpint (crm_store_count (reader, CRM_TYPE_CUSTOMER, NULL), ==, 3);
  g_assert_cmpint (crm_store_get_data_version (reader), !=, seen);

  /* The first connection goes: its descriptors wait for the others' locks (SQLite's pUnused). */
  g_clear_object (&first);
  crm_test_poke_database (path);
  g_free (cli_add (path, "T4"));
  a = app_add (second, "T5");
  assert_cli_sees (path, a);
  g_assert_cmpint (crm_store_count (reader, CRM_TYPE_CUSTOMER, NULL), ==, 5);

  g_clear_object (&second);
  crm_test_poke (path);
  g_free (cli_add (path, "T6"));
  g_assert_cmpint (crm_store_count (reader, CRM_TYPE_CUSTOMER, NULL), ==, 6);

  /* A writer comes back while only the reader is left. */
  second = open_store (path);
  b = app_add (second, "T7");
  assert_cli_sees (path, b);
  g_clear_object (&reader);
  crm_test_poke (path);
  g_free (cli_add (path, "T8"));
  g_clear_object (&second);

  assert_all_there (path, (const char *const[]) { "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", NULL });
}

/* The stock sqlite3 shell (POSIX locks) as the other process: OFD and POSIX locks conflict. */
static void
run_shell (const char  *path,
           const char  *sql,
           char       **out)
{
  const char *argv[] = { "sqlite3", "-bail", "-cmd", ".timeout 5000", path, sql, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int wait_status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, &err, &wait_status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (wait_status, NULL))
    g_error ("sqlite3 %s: %s", sql, err);
}

static void
test_sqlite3_shell (void)
{
  g_autofree char *path = crm_test_db_path ();
  g_autofree char *shell = g_find_program_in_path ("sqlite3");
  g_autoptr(CrmStore) store = NULL;
  g_autofree char *out = NULL;

  if (shell == NULL)
    {
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        g_error ("the sqlite3 shell is missing under CI");
      g_test_skip ("no sqlite3 shell");
      return;
    }

  store = open_store (path);
  g_free (app_add (store, "S1"));
  crm_test_poke_database (path);
  run_shell (path, "INSERT INTO settings (key, value) VALUES ('shell.one', '1')", NULL);
  g_free (app_add (store, "S2"));
  run_shell (path, "SELECT count(*) FROM customers WHERE name = 'S2'", &out);
  g_assert_cmpstr (out, ==, "1\n");
  crm_test_poke (path);
  run_shell (path, "INSERT INTO settings (key, value) VALUES ('shell.two', '2')", NULL);
  g_free (app_add (store, "S3"));
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM settings WHERE key LIKE 'shell.%'"), ==, 2);

  /* The shell holds a write transaction: the app waits for it, it does not write over it. */
  {
    g_autoptr(GError) error = NULL;

    g_clear_pointer (&out, g_free);
    run_shell (path, "PRAGMA journal_mode", &out);
    g_assert_cmpstr (out, ==, "wal\n");
    sqlite3_busy_timeout (crm_store_get_db (store), 100);
    {
      GPid pid = 0;
      const char *argv[] = { "sqlite3", path, NULL };
      int in_fd = -1;

      g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                                G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, &pid, &in_fd, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (write (in_fd, "BEGIN IMMEDIATE;\nSELECT 'held';\n",
                              strlen ("BEGIN IMMEDIATE;\nSELECT 'held';\n")), >, 0);
      /* Until the shell holds the lock, the app may still get it. */
      for (int i = 0; i < 500 && crm_store_begin (store, &error); i++)
        {
          crm_store_rollback (store);
          g_usleep (10000);
        }
      g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_LOCKED);
      g_clear_error (&error);
      g_assert_cmpint (write (in_fd, "COMMIT;\n.quit\n", strlen ("COMMIT;\n.quit\n")), >, 0);
      close (in_fd);
      g_assert_cmpint (crm_test_wait_cli (pid), ==, 0);
    }
  }

  g_clear_object (&store);
  assert_all_there (path, (const char *const[]) { "S1", "S2", "S3", NULL });
}

/* ---- the locks themselves ----------------------------------------------------------- */

#define PENDING_BYTE  0x40000000
#define SHARED_FIRST  (PENDING_BYTE + 2)
#define SHARED_SIZE   510
#define SHM_WRITE     ((22 + 8) * 4)   /* the WAL's write lock, first of the -shm's lock bytes */
#define SHM_DMS       (SHM_WRITE + 8)

/* In a child process (whose POSIX locks conflict with ours): the type of lock someone holds on
 * @len bytes at @start of @path, F_UNLCK if none. */
static int
lock_seen_by_another_process (const char *path,
                              off_t       start,
                              off_t       len)
{
  pid_t pid = fork ();
  int status = 0;

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
      int fd = open (path, O_RDONLY);

      if (fd < 0 || fcntl (fd, F_GETLK, &lk) != 0)
        _exit (99);
      _exit (lk.l_type);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static guint
count_open_descriptors (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
test_locks_outlive_foreign_close (void)
{
  g_autofree char *path = crm_test_db_path ();
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(CrmStore) store = NULL;
  guint before;

  /* Descriptors are counted once the database is made. */
  store = open_store (path);
  g_clear_object (&store);
  before = count_open_descriptors ();

  store = open_store (path);
  g_free (app_add (store, "L1"));
  /* WAL mode keeps a SHARED lock on the database and one on the -shm's DMS byte while open. */
  g_assert_cmpint (lock_seen_by_another_process (path, SHARED_FIRST, SHARED_SIZE), ==, F_RDLCK);
  g_assert_cmpint (lock_seen_by_another_process (shm, SHM_DMS, 1), ==, F_RDLCK);

  crm_test_poke_database (path);
  g_assert_cmpint (lock_seen_by_another_process (path, SHARED_FIRST, SHARED_SIZE), ==, F_RDLCK);
  g_assert_cmpint (lock_seen_by_another_process (shm, SHM_DMS, 1), ==, F_RDLCK);

  /* A write transaction's lock (in WAL mode, the -shm's write byte) is seen too. */
  {
    g_autoptr(GError) error = NULL;

    crm_store_begin (store, &error);
    g_assert_no_error (error);
    crm_test_poke (path);
    crm_test_poke (shm);
    g_assert_cmpint (lock_seen_by_another_process (shm, SHM_WRITE, 1), ==, F_WRLCK);
    crm_store_rollback (store);
    g_assert_cmpint (lock_seen_by_another_process (shm, SHM_WRITE, 1), ==, F_UNLCK);
  }

  g_clear_object (&store);
  /* Nothing held, nothing left open (the private descriptors go with the last connection). */
  g_assert_cmpint (lock_seen_by_another_process (path, 0, 0), ==, F_UNLCK);
  g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_open_descriptors (), ==, before);
}

/* Without open-file-description locks (an old kernel, another system) the store falls back to
 * SQLite's own POSIX locks and says so once. */
static void
test_fallback (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *path = crm_test_db_path ();
      g_autoptr(CrmStore) store = NULL;

      g_test_expect_message ("Clientele-Core", G_LOG_LEVEL_WARNING, "*POSIX*");
      store = open_store (path);
      g_test_assert_expected_messages ();
      g_assert_false (crm_store_lock_is_private ());
      g_free (app_add (store, "F1"));
      g_clear_object (&store);
      assert_all_there (path, (const char *const[]) { "F1", NULL });
      return;
    }

  g_setenv ("CLIENTELE_POSIX_LOCKS", "1", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("CLIENTELE_POSIX_LOCKS");
  g_test_trap_assert_passed ();
}

/* ---- a thread of the process opens and closes the file all the time ---------------- */

/* A worker's own connection, as a job has one, writing while the rest goes on. */
static gpointer
writer_thread (gpointer path)
{
  g_autoptr(CrmStore) store = open_store (path);

  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *name = g_strdup_printf ("worker %u", i);
      g_free (app_add (store, name));
    }
  return NULL;
}

static void
test_poking_thread (void)
{
  g_autofree char *path = crm_test_db_path ();
  g_autoptr(CrmStore) store = open_store (path);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  CrmTestPoker *poker = crm_test_poker_start (path, 2);
  GThread *writer = g_thread_new ("writer", writer_thread, path);

  for (guint round = 0; round < 6; round++)
    {
      g_autofree char *app = g_strdup_printf ("app %u", round);
      g_autofree char *cli = g_strdup_printf ("cli %u", round);
      g_autofree char *uuid = NULL;
      int err_fd = -1;
      GPid pid = crm_test_spawn_cli ((const char *const[]) { "--database", path, "add-customer",
                                                             "--name", cli, NULL }, &err_fd);

      /* The app writes while the CLI does. */
      uuid = app_add (store, app);
      g_assert_cmpint (crm_test_wait_cli (pid), ==, 0);
      close (err_fd);
      assert_cli_sees (path, uuid);
      g_ptr_array_add (names, g_steal_pointer (&app));
      g_ptr_array_add (names, g_steal_pointer (&cli));
    }
  g_thread_join (writer);
  g_assert_cmpuint (crm_test_poker_stop (poker), >, 0);
  g_clear_object (&store);

  for (guint i = 0; i < 30; i++)
    g_ptr_array_add (names, g_strdup_printf ("worker %u", i));
  g_ptr_array_add (names, NULL);
  assert_all_there (path, (const char *const *) names->pdata);
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/core/locks/foreign-close-and-cli", test_foreign_close_and_cli);
  g_test_add_func ("/core/locks/foreign-close-wal-shm", test_foreign_close_wal_shm);
  g_test_add_func ("/core/locks/two-connections", test_two_connections);
  g_test_add_func ("/core/locks/sqlite3-shell", test_sqlite3_shell);
  g_test_add_func ("/core/locks/outlive-foreign-close", test_locks_outlive_foreign_close);
  g_test_add_func ("/core/locks/poking-thread", test_poking_thread);
  g_test_add_func ("/core/locks/fallback", test_fallback);

  return g_test_run ();
}

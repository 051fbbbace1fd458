/* test-backup.c: encrypted backups — what a shop owner notices when the laptop died: the backup
 * opens with the passphrase and gives back every customer; a wrong passphrase or a damaged file
 * changes nothing; a backup made while clientele-cli writes restores to a consistent state.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crm-backup-private.h"
#include "crm-customer.h"
#include "crm-generate.h"
#include "crm-order.h"
#include "crm-test-util.h"

#define PASSPHRASE "correct horse battery staple"

static const char *self_exe;
static gboolean obeys_modes;

/* ---- helpers ---------------------------------------------------------------------------------- */

static CrmStore *
shop_new (char   **out_path,
          guint64  customers,
          guint64  orders)
{
  g_autoptr(GError) error = NULL;
  CrmStore *store = crm_test_store_new (out_path);
  CrmGenerateOptions opts = { .customers = customers, .orders = orders, .seed = 7 };

  g_assert_true (crm_generate (store, &opts, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return store;
}

static char *
backup_path (const char *name)
{
  return g_build_filename (crm_test_tmp_dir (), name, NULL);
}

static void
make_backup (CrmStore   *store,
             const char *path)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_backup_create (store, path, PASSPHRASE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static gint64
customers (CrmStore *store)
{
  return crm_test_query_int (store, "SELECT count(*) FROM customers");
}

static gint64
orders (CrmStore *store)
{
  return crm_test_query_int (store, "SELECT count(*) FROM orders");
}

static void
assert_integrity (CrmStore *store)
{
  g_autofree char *result = crm_test_query_text (store, "PRAGMA integrity_check");

  g_assert_cmpstr (result, ==, "ok");
}

/* Temporary files of backups and restores, of output files, and dated copies in the folder. */
static guint
leftovers (const char *what)
{
  g_autoptr(GDir) dir = g_dir_open (crm_test_tmp_dir (), 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    if (strstr (name, what) != NULL)
      n++;
  return n;
}

static guchar *
read_all (const char *path,
          gsize      *len)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, len, &error));
  g_assert_no_error (error);
  return (guchar *) contents;
}

static void
write_all (const char   *path,
           const guchar *data,
           gsize         len)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, (const char *) data, len, &error));
  g_assert_no_error (error);
}

/* A restore of @path into @store must fail with @code and change nothing. */
static void
assert_refused (CrmStore   *store,
                const char *path,
                const char *passphrase,
                GQuark      domain,
                int         code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  gint64 before = customers (store);
  guint copies = leftovers ("before-restore");

  g_assert_false (crm_backup_verify (path, passphrase, crm_test_tmp_dir (), NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, domain, code);
  g_clear_error (&error);
  g_assert_false (crm_backup_restore (store, path, passphrase, &kept, NULL, NULL, NULL, &error));
  g_assert_error (error, domain, code);
  g_assert_null (kept);
  g_assert_cmpint (customers (store), ==, before);
  g_assert_cmpuint (leftovers ("before-restore"), ==, copies);
  g_assert_cmpuint (leftovers (".backup-"), ==, 0);
  assert_integrity (store);
}

/* ---- tests ------------------------------------------------------------------------------------ */

/* Backup, change the shop, restore: the shop is as it was, and the changed one is kept. */
static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *file = backup_path ("round-trip.clbackup");
  g_autofree char *kept = NULL;
  g_autoptr(CrmStore) store = shop_new (&db, 300, 1500);
  g_autoptr(CrmStore) copy = NULL;
  CrmBackupInfo info = { 0 };
  gint64 n_customers = customers (store), n_orders = orders (store);

  make_backup (store, file);
  g_assert_cmpint (crm_test_file_mode (file), ==, 0600);

  g_assert_true (crm_backup_read_info (file, &info, &error));
  g_assert_no_error (error);
  g_assert_cmpint (info.schema_version, ==, CRM_STORE_SCHEMA_VERSION);
  g_assert_cmpuint (info.format_version, ==, 1);

  g_assert_true (crm_backup_verify (file, PASSPHRASE, crm_test_tmp_dir (), &info, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (info.customers, ==, n_customers);
  g_assert_cmpint (info.orders, ==, n_orders);

  /* The shop changes after the backup. */
  crm_test_add_customer (store, "After the backup");
  g_assert_true (crm_store_exec (store, "UPDATE orders SET deleted_at = 1 WHERE id <= 10", &error));
  g_assert_no_error (error);

  g_assert_true (crm_backup_restore (store, file, PASSPHRASE, &kept, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (customers (store), ==, n_customers);
  g_assert_cmpint (orders (store), ==, n_orders);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM orders WHERE deleted_at IS NOT NULL"), ==, 0);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM customers WHERE name = 'After the backup'"), ==, 0);
  assert_integrity (store);
  /* Search works on the restored data (its index came with it). */
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM customers_fts"), >, 0);

  /* The data as it was before the restore is kept beside the database. */
  g_assert_nonnull (kept);
  g_assert_true (g_str_has_prefix (kept, db));
  g_assert_true (strstr (kept, ".before-restore-") != NULL);
  g_assert_cmpint (crm_test_file_mode (kept), ==, 0600);
  copy = crm_store_open (kept, &error);
  g_assert_no_error (error);
  g_assert_cmpint (customers (copy), ==, n_customers + 1);
  g_assert_cmpint (crm_test_query_int (copy, "SELECT count(*) FROM customers WHERE name = 'After the backup'"), ==, 1);
  assert_integrity (copy);
  g_assert_cmpuint (leftovers (".backup-"), ==, 0);
}

/* A second connection and a second process see the restored data without reopening. */
static void
test_restore_seen_by_others (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *file = backup_path ("others.clbackup");
  g_autofree char *kept = NULL;
  g_autofree char *out = NULL;
  g_autoptr(CrmStore) store = shop_new (&db, 50, 100);
  g_autoptr(CrmStore) other = NULL;
  g_autoptr(CrmStore) reader = NULL;

  make_backup (store, file);
  other = crm_store_open (db, &error);
  g_assert_no_error (error);
  reader = crm_store_open_reader (db, &error);
  g_assert_no_error (error);
  crm_test_add_customer (other, "Added by another connection");
  g_assert_cmpint (customers (reader), ==, 51);

  g_assert_true (crm_backup_restore (store, file, PASSPHRASE, &kept, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (customers (other), ==, 50);
  g_assert_cmpint (customers (reader), ==, 50);
  /* The other connection keeps writing to the restored data. */
  crm_test_add_customer (other, "After the restore");
  g_assert_cmpint (customers (store), ==, 51);
  g_assert_cmpint (crm_test_run_cli ((const char *const[]) { "--database", db, "stats", NULL }, &out, NULL), ==, 0);
  g_assert_true (strstr (out, "Customers: 51\n") != NULL);
  assert_integrity (store);
}

/* The writer process of test_concurrent_writer: a customer and its order per transaction, for
 * @ms; "writing" once the first is committed. */
static int
writer_main (const char *path,
             guint       ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_store_open (path, &error);
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  if (store == NULL)
    g_error ("writer: %s", error->message);
  for (guint i = 0; g_get_monotonic_time () < end; i++)
    {
      g_autofree char *name = g_strdup_printf ("Writer %u", i);
      g_autoptr(CrmCustomer) c = crm_customer_new ();
      g_autoptr(CrmOrder) order = crm_order_new ();

      if (!crm_store_begin (store, &error))
        g_error ("writer: %s", error->message);
      crm_customer_set_name (c, name);
      if (!crm_store_insert (store, CRM_ENTITY (c), &error))
        g_error ("writer: %s", error->message);
      crm_order_set_customer_id (order, crm_entity_get_id (CRM_ENTITY (c)));
      crm_order_set_placed_at (order, g_get_real_time () / 1000);
      crm_order_set_total (order, 1000 + i);
      crm_order_set_currency (order, "CNY");
      if (!crm_store_insert_order (store, CRM_ENTITY (order), NULL, &error) || !crm_store_commit (store, &error))
        g_error ("writer: %s", error->message);
      if (i == 0)
        {
          printf ("writing\n");
          fflush (stdout);
        }
    }
  return 0;
}

/* A backup made while another process commits customers with their orders restores to one
 * consistent state: every customer with its order, integrity ok. */
static void
test_concurrent_writer (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *target = NULL;
  g_autofree char *file = backup_path ("concurrent.clbackup");
  g_autoptr(CrmStore) store = shop_new (&db, 3000, 20000);
  g_autoptr(CrmStore) restored = crm_test_store_new (&target);
  const char *argv[] = { self_exe, "--writer", db, "4000", NULL };
  GPid pid = 0;
  char line[16] = "";
  int out = -1, status = 0;
  gint64 at_start, written;
  FILE *f;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL, &out,
                            NULL, &error);
  g_assert_no_error (error);
  f = fdopen (out, "r");
  g_assert_nonnull (fgets (line, sizeof line, f));
  g_assert_cmpstr (line, ==, "writing\n");
  fclose (f);
  at_start = crm_test_query_int (store, "SELECT count(*) FROM customers WHERE name LIKE 'Writer %'");

  make_backup (store, file);
  /* The writer was still at work when the backup was done. */
  g_assert_cmpint (waitpid (pid, &status, WNOHANG), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  written = crm_test_query_int (store, "SELECT count(*) FROM customers WHERE name LIKE 'Writer %'");
  g_assert_cmpint (written, >, at_start);

  g_assert_true (crm_backup_restore (restored, file, PASSPHRASE, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_integrity (restored);
  g_assert_cmpint (crm_test_query_int (restored, "SELECT count(*) FROM customers WHERE name LIKE 'Writer %'"), >=, at_start);
  g_assert_cmpint (crm_test_query_int (restored, "SELECT count(*) FROM customers WHERE name LIKE 'Writer %'"), <=, written);
  /* Each customer came with its order, and its aggregates with both. */
  g_assert_cmpint (crm_test_query_int (restored,
                                       "SELECT count(*) FROM customers c WHERE c.order_count != "
                                       "(SELECT count(*) FROM orders o WHERE o.customer_id = c.id AND o.deleted_at IS NULL "
                                       "AND o.status NOT IN ('cancelled', 'refunded', 'failed'))"),
                   ==, 0);
  g_assert_cmpint (crm_test_query_int (restored, "SELECT count(*) FROM customers WHERE name LIKE 'Writer %' AND order_count != 1"),
                   ==, 0);
  g_assert_cmpint (crm_test_query_int (restored, "SELECT count(*) FROM orders"), ==,
                   20000 + crm_test_query_int (restored, "SELECT count(*) FROM customers WHERE name LIKE 'Writer %'"));
}

static void
test_wrong_passphrase (void)
{
  g_autofree char *db = NULL;
  g_autofree char *file = backup_path ("wrong.clbackup");
  g_autoptr(CrmStore) store = shop_new (&db, 20, 40);

  make_backup (store, file);
  crm_test_add_customer (store, "Still here");
  assert_refused (store, file, "not the passphrase", CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_PASSPHRASE);
  assert_refused (store, file, "", CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_PASSPHRASE);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM customers WHERE name = 'Still here'"), ==, 1);
}

/* A file cut short anywhere is refused, and a file with something after its end. */
static void
test_truncated (void)
{
  g_autofree char *db = NULL;
  g_autofree char *file = backup_path ("whole.clbackup");
  g_autofree char *cut = backup_path ("cut.clbackup");
  g_autoptr(CrmStore) store = shop_new (&db, 1500, 8000);
  g_autofree guchar *data = NULL;
  gsize len = 0;

  make_backup (store, file);
  data = read_all (file, &len);
  g_assert_cmpuint (len, >, CRM_BACKUP_CHUNK_SIZE + 1000);

  write_all (cut, data, 0);
  assert_refused (store, cut, PASSPHRASE, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_NOT_BACKUP);
  write_all (cut, data, 10);
  assert_refused (store, cut, PASSPHRASE, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_NOT_BACKUP);

  {
    const gsize offsets[] = {
      CRM_BACKUP_HEADER_SIZE - 1, CRM_BACKUP_HEADER_SIZE, CRM_BACKUP_HEADER_SIZE + 10,
      CRM_BACKUP_HEADER_SIZE + 17, CRM_BACKUP_HEADER_SIZE + 17 + 4096,
      CRM_BACKUP_HEADER_SIZE + 17 + CRM_BACKUP_CHUNK_SIZE + 17,   /* exactly after the first chunk */
      len / 2, len - 17, len - 1,
    };

    for (guint i = 0; i < G_N_ELEMENTS (offsets); i++)
      {
        g_test_message ("cut at %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT, offsets[i], len);
        write_all (cut, data, offsets[i]);
        assert_refused (store, cut, PASSPHRASE, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_DAMAGED);
      }
  }

  /* Whole, plus one byte. */
  {
    g_autofree guchar *longer = g_malloc (len + 1);

    memcpy (longer, data, len);
    longer[len] = 0;
    write_all (cut, longer, len + 1);
    assert_refused (store, cut, PASSPHRASE, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_DAMAGED);
  }
}

/* One byte changed anywhere — header, key check, first chunk, last chunk, last tag — is refused. */
static void
test_tampered (void)
{
  g_autofree char *db = NULL;
  g_autofree char *file = backup_path ("orig.clbackup");
  g_autofree char *bad = backup_path ("bad.clbackup");
  g_autoptr(CrmStore) store = shop_new (&db, 1500, 8000);
  g_autofree guchar *data = NULL;
  gsize len = 0;
  const struct { gsize offset; int code; } cases[] = {
    { 20, CRM_BACKUP_ERROR_DAMAGED },    /* the header size */
    { 24, CRM_BACKUP_ERROR_DAMAGED },    /* the schema version */
    { 32, CRM_BACKUP_ERROR_DAMAGED },    /* the database size */
    { 80, CRM_BACKUP_ERROR_DAMAGED },    /* the salt */
    { 120, CRM_BACKUP_ERROR_DAMAGED },   /* the header's checksum */
    { CRM_BACKUP_HEADER_SIZE + 3, CRM_BACKUP_ERROR_PASSPHRASE },   /* the key check */
    { CRM_BACKUP_HEADER_SIZE + 17 + 100, CRM_BACKUP_ERROR_DAMAGED },   /* the first chunk */
    { 0, CRM_BACKUP_ERROR_DAMAGED },     /* the last chunk (set below) */
    { 0, CRM_BACKUP_ERROR_DAMAGED },     /* the last tag */
  };

  make_backup (store, file);
  data = read_all (file, &len);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize offset = i == G_N_ELEMENTS (cases) - 2 ? len - 40 : i == G_N_ELEMENTS (cases) - 1 ? len - 1 : cases[i].offset;

      g_test_message ("byte %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " flipped", offset, len);
      data[offset] ^= 0x01;
      write_all (bad, data, len);
      data[offset] ^= 0x01;
      assert_refused (store, bad, PASSPHRASE, CRM_BACKUP_ERROR, cases[i].code);
    }
  write_all (bad, data, len);
  g_assert_true (crm_backup_verify (bad, PASSPHRASE, crm_test_tmp_dir (), NULL, NULL, NULL, NULL, NULL));

  /* Not a backup at all. */
  write_all (bad, (const guchar *) "SQLite format 3\0 and more bytes than a header has", 50);
  assert_refused (store, bad, PASSPHRASE, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_NOT_BACKUP);
}

static void
cancel_at (double   fraction,
           gpointer data)
{
  GCancellable *cancellable = data;

  if (fraction > 0.3)
    g_cancellable_cancel (cancellable);
}

/* Cancelled half-way: no backup file, no temporary file, the database untouched. */
static void
test_cancel (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *file = backup_path ("cancelled.clbackup");
  g_autofree char *good = backup_path ("good.clbackup");
  g_autofree char *kept = NULL;
  g_autoptr(CrmStore) store = shop_new (&db, 3000, 20000);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  guint copies = leftovers ("before-restore");
  gint64 before;

  g_assert_false (crm_backup_create (store, file, PASSPHRASE, cancel_at, cancellable, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (leftovers (".backup-"), ==, 0);
  g_assert_cmpuint (leftovers (".clientele-tmp"), ==, 0);

  make_backup (store, good);
  crm_test_add_customer (store, "Kept through the cancel");
  before = customers (store);
  g_cancellable_reset (cancellable);
  g_assert_false (crm_backup_restore (store, good, PASSPHRASE, &kept, cancel_at, cancellable, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (kept);
  g_assert_cmpint (customers (store), ==, before);
  g_assert_cmpuint (leftovers (".backup-"), ==, 0);
  g_assert_cmpuint (leftovers ("before-restore"), ==, copies);
  assert_integrity (store);
}

/* A database in a folder that cannot be written (opened read-only) is still backed up: its private
 * copy goes to the user's cache folder, and nothing is left there. */
static void
test_read_only_folder (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (crm_test_tmp_dir (), "read-only", NULL);
  g_autofree char *db = g_build_filename (folder, "shop.db", NULL);
  g_autofree char *cache = g_build_filename (crm_test_tmp_dir (), "cache", NULL);
  g_autofree char *file = backup_path ("read-only.clbackup");
  g_autofree char *cache_dir = NULL;
  g_autoptr(CrmStore) store = NULL;
  CrmBackupInfo info = { 0 };

  if (!obeys_modes)
    {
      g_test_skip ("file modes are not enforced for this process");
      return;
    }
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  store = crm_store_open (db, &error);
  g_assert_no_error (error);
  crm_test_add_customer (store, "Read only");
  g_clear_object (&store);
  g_assert_cmpint (g_chmod (folder, 0500), ==, 0);
  store = crm_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_true (crm_store_get_read_only (store));

  make_backup (store, file);
  g_assert_true (crm_backup_verify (file, PASSPHRASE, crm_test_tmp_dir (), &info, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (info.customers, ==, 1);
  cache_dir = g_build_filename (cache, "clientele", NULL);
  {
    g_autoptr(GDir) dir = g_dir_open (cache_dir, 0, NULL);

    g_assert_nonnull (dir);
    g_assert_null (g_dir_read_name (dir));
  }
  g_clear_object (&store);
  g_chmod (folder, 0700);
}

static void
test_weak_passphrase (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = backup_path ("weak.clbackup");
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);

  g_assert_false (crm_backup_create (store, file, "short", NULL, NULL, NULL, &error));
  g_assert_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_WEAK);
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
}

/* Scheduled backups keep the N newest and leave every other file alone. */
static void
test_prune (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (crm_test_tmp_dir (), "scheduled", NULL);
  g_autofree char *other = g_build_filename (folder, "clientele-notes.clbackup", NULL);
  gint64 t = 1700000000000;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *path = crm_backup_scheduled_path (folder, t + (gint64) i * 3600 * 1000);
      g_autofree char *base = g_path_get_basename (path);

      g_assert_true (g_str_has_prefix (base, "clientele-") && g_str_has_suffix (base, ".clbackup"));
      g_assert_true (g_file_set_contents (path, "x", 1, NULL));
    }
  g_assert_true (g_file_set_contents (other, "x", 1, NULL));

  g_assert_cmpint (crm_backup_prune (folder, 2, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *path = crm_backup_scheduled_path (folder, t + (gint64) i * 3600 * 1000);

      g_assert_cmpint (g_file_test (path, G_FILE_TEST_EXISTS), ==, i >= 3);
    }
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static void
count_signal (CrmSession *session,
              GArray     *ids,
              gpointer    data)
{
  if (ids == NULL)
    (*(guint *) data)++;
}

static void
progress_cb (const CrmJobProgress *progress,
             gpointer              data)
{
  double *last = data;

  g_assert_cmpfloat (progress->fraction, >=, *last);
  *last = progress->fraction;
}

/* The jobs the app runs: progress, and after a restore every view hears that everything changed. */
static void
test_jobs (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *file = backup_path ("job.clbackup");
  g_autofree char *kept = NULL;
  g_autoptr(CrmSession) session = crm_test_session_new (&db);
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree CrmBackupInfo *info = NULL;
  CrmStore *store = crm_session_get_store (session);
  double last = 0;
  guint many = 0;

  crm_test_add_customer (store, "One");
  crm_test_add_customer (store, "Two");

  crm_backup_create_async (session, file, PASSPHRASE, NULL, progress_cb, &last, done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (crm_backup_create_finish (result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  crm_backup_verify_async (session, file, PASSPHRASE, NULL, NULL, NULL, done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  info = crm_backup_verify_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->customers, ==, 2);
  g_clear_object (&result);

  crm_test_add_customer (store, "Three");
  g_signal_connect (session, "customers-changed", G_CALLBACK (count_signal), &many);
  crm_backup_restore_async (session, file, PASSPHRASE, NULL, NULL, NULL, done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  kept = crm_backup_restore_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (kept);
  g_assert_cmpint (customers (store), ==, 2);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (many, >=, 1);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--writer"))
    return writer_main (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));

  self_exe = argv[0];
  obeys_modes = crm_test_obey_file_modes ();
  crm_test_init (&argc, &argv);
  /* Hundreds of keys are derived here: the cheapest Argon2id (the header records it). */
  crm_backup_set_pwhash_limits (1, 8192);

  g_test_add_func ("/backup/round-trip", test_round_trip);
  g_test_add_func ("/backup/restore-seen-by-others", test_restore_seen_by_others);
  g_test_add_func ("/backup/concurrent-writer", test_concurrent_writer);
  g_test_add_func ("/backup/wrong-passphrase", test_wrong_passphrase);
  g_test_add_func ("/backup/truncated", test_truncated);
  g_test_add_func ("/backup/tampered", test_tampered);
  g_test_add_func ("/backup/cancel", test_cancel);
  g_test_add_func ("/backup/weak-passphrase", test_weak_passphrase);
  g_test_add_func ("/backup/read-only-folder", test_read_only_folder);
  g_test_add_func ("/backup/prune", test_prune);
  g_test_add_func ("/backup/jobs", test_jobs);

  return g_test_run ();
}

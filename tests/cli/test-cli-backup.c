/* test-cli-backup.c: clientele-cli backup create/verify/restore — the real binary, as a cron job
 * and a shop owner with a new laptop use it: a backup restores every customer; a wrong
 * passphrase, a damaged file or a missing --yes is one line, exit 1 (2 for the command line),
 * and nothing changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-test-util.h"
#include "crm-store.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#define PASS "a long enough passphrase\n"

static char *db;
static char *backup;

static int
run (const char        *input,
     char             **out,
     char             **err,
     const char *const *args)
{
  return crm_test_run_cli_input (args, input, out, err);
}

#define RUN(input, out, err, ...) run ((input), (out), (err), (const char *const[]) { __VA_ARGS__, NULL })

/* @code, nothing on stdout, one line on stderr containing @needle. */
static void
assert_failed (int         status,
               const char *out,
               const char *err,
               int         code,
               const char *needle)
{
  if (status != code)
    g_printerr ("stdout: %s\nstderr: %s\n", out, err);
  g_assert_cmpint (status, ==, code);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "clientele-cli: "));
  g_assert_cmpuint (strlen (err), ==, (gsize) (strchr (err, '\n') - err) + 1);
  if (needle != NULL && strstr (err, needle) == NULL)
    g_error ("expected “%s” in: %s", needle, err);
}

static gint64
count_customers (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_store_open (path, &error);

  g_assert_no_error (error);
  return crm_test_query_int (store, "SELECT count(*) FROM customers");
}

static void
add_customer (const char *name)
{
  g_assert_cmpint (RUN (NULL, NULL, NULL, "--database", db, "add-customer", "--name", name), ==, 0);
}

static void
test_create_verify (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;

  g_assert_cmpint (RUN (NULL, NULL, NULL, "--database", db, "init"), ==, 0);
  add_customer ("王芳");
  add_customer ("Li Lei");

  g_assert_cmpint (RUN (PASS, &out, &err, "--database", db, "backup", "create", "-o", backup, "--passphrase-stdin"), ==, 0);
  g_assert_true (strstr (out, "Backup written to") != NULL);
  g_assert_cmpint (crm_test_file_mode (backup), ==, 0600);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (RUN (PASS, &out, &err, "--database", db, "backup", "verify", backup, "--passphrase-stdin"), ==, 0);
  g_assert_true (strstr (out, ": OK") != NULL);
  g_assert_true (strstr (out, "2 customers") != NULL);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (RUN (PASS, &out, &err, "--database", db, "--json", "backup", "verify", backup, "--passphrase-stdin"), ==, 0);
  node = json_from_string (out, NULL);
  g_assert_nonnull (node);
  o = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (o, "customers"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (o, "schema_version"), ==, CRM_STORE_SCHEMA_VERSION);
}

static void
test_refused (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *cut = g_build_filename (crm_test_tmp_dir (), "cut.clbackup", NULL);
  g_autofree char *other = g_build_filename (crm_test_tmp_dir (), "other.clbackup", NULL);
  g_autofree char *data = NULL;
  gsize len = 0;
  gint64 before = count_customers (db);
  int status;

  /* Wrong passphrase. */
  status = RUN ("not the passphrase\n", &out, &err, "--database", db, "backup", "verify", backup, "--passphrase-stdin");
  assert_failed (status, out, err, 1, "Wrong passphrase");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = RUN ("not the passphrase\n", &out, &err, "--database", db, "backup", "restore", backup, "--passphrase-stdin", "--yes");
  assert_failed (status, out, err, 1, "Wrong passphrase");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Cut short, and one byte altered. */
  g_assert_true (g_file_get_contents (backup, &data, &len, NULL));
  g_assert_true (g_file_set_contents (cut, data, len - 100, NULL));
  status = RUN (PASS, &out, &err, "--database", db, "backup", "restore", cut, "--passphrase-stdin", "--yes");
  assert_failed (status, out, err, 1, "damaged");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  data[len - 50] ^= 0x40;
  g_assert_true (g_file_set_contents (cut, data, len, NULL));
  status = RUN (PASS, &out, &err, "--database", db, "backup", "verify", cut, "--passphrase-stdin");
  assert_failed (status, out, err, 1, "damaged");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* No --yes without a terminal to ask on; no passphrase without a terminal or --passphrase-stdin. */
  status = RUN (PASS, &out, &err, "--database", db, "backup", "restore", backup, "--passphrase-stdin");
  assert_failed (status, out, err, 2, "--yes");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = RUN (PASS, &out, &err, "--database", db, "backup", "create", "-o", other);
  assert_failed (status, out, err, 2, "--passphrase-stdin");
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A passphrase too short to protect customers' data. */
  status = RUN ("short\n", &out, &err, "--database", db, "backup", "create", "-o", other, "--passphrase-stdin");
  assert_failed (status, out, err, 1, "at least 8 characters");
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Not a backup. */
  status = RUN (PASS, &out, &err, "--database", db, "backup", "restore", db, "--passphrase-stdin", "--yes");
  assert_failed (status, out, err, 1, "not a Clientele backup");

  g_assert_cmpint (count_customers (db), ==, before);
}

static void
test_restore (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *fresh = g_build_filename (crm_test_tmp_dir (), "new-laptop.db", NULL);
  g_autoptr(JsonNode) node = NULL;
  const char *kept;

  add_customer ("After the backup");
  g_assert_cmpint (count_customers (db), ==, 3);
  g_assert_cmpint (RUN (PASS, &out, &err, "--database", db, "--json", "backup", "restore", backup,
                        "--passphrase-stdin", "--yes"), ==, 0);
  g_assert_cmpint (count_customers (db), ==, 2);
  node = json_from_string (out, NULL);
  g_assert_nonnull (node);
  kept = json_object_get_string_member (json_node_get_object (node), "previous_data");
  g_assert_true (g_str_has_prefix (kept, db));
  g_assert_cmpint (count_customers (kept), ==, 3);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The laptop died: a new machine has no database yet. */
  g_assert_cmpint (RUN (PASS, &out, &err, "--database", fresh, "backup", "restore", backup,
                        "--passphrase-stdin", "--yes"), ==, 0);
  g_assert_true (strstr (out, "Restored.") != NULL);
  g_assert_cmpint (count_customers (fresh), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);
  db = crm_test_db_path ();
  backup = g_build_filename (crm_test_tmp_dir (), "shop.clbackup", NULL);

  /* In order: each builds on the last. */
  g_test_add_func ("/cli/backup/create-verify", test_create_verify);
  g_test_add_func ("/cli/backup/refused", test_refused);
  g_test_add_func ("/cli/backup/restore", test_restore);

  return g_test_run ();
}

/* test-accounts.c: sync accounts through clientele-cli, with a real GNOME Keyring in the test's
 * own D-Bus session: the password goes to the keyring and nowhere else (not the database file,
 * not its journal, not the output), and a keyring that cannot be reached leaves nothing behind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-test-util.h"
#include "crm-sync-test-util.h"
#include "crm-account.h"
#include "crm-journal.h"
#include "crm-secret.h"
#include "crm-store.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define PASSWORD "correct horse 电池 staple"

static char *
init_db (void)
{
  char *db = crm_test_db_path ();
  const char *const args[] = { "--database", db, "init", NULL };

  g_assert_cmpint (crm_sync_test_cli (NULL, NULL, args, NULL, NULL), ==, 0);
  return db;
}

static int
cli (const char         *input,
     char              **out,
     char              **err,
     const char *const  *args)
{
  return crm_sync_test_cli (input, NULL, args, out, err);
}

#define CLI(input, out, err, ...) cli ((input), (out), (err), (const char *const[]) { __VA_ARGS__, NULL })

static void
assert_one_line (const char *err,
                 const char *needle)
{
  g_assert_nonnull (err);
  if (err == NULL)
    return;
  g_assert_true (g_str_has_prefix (err, "clientele-cli: "));
  g_assert_cmpuint (strlen (err), ==, (gsize) (strchr (err, '\n') - err) + 1);
  if (needle != NULL && strstr (err, needle) == NULL)
    g_error ("expected “%s” in: %s", needle, err);
}

static CrmAccount *
find_account (const char *db,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_store_open (db, &error);
  CrmAccount *account;

  g_assert_no_error (error);
  account = crm_account_find (store, name, &error);
  g_assert_no_error (error);
  return account;
}

static gint64
count_accounts (const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_store_open (db, &error);

  g_assert_no_error (error);
  return crm_test_query_int (store, "SELECT count(*) FROM sync_accounts");
}

/* A CardDAV account with a password: listed without it, the password in the keyring under the
 * account's schema and nowhere in the database file; removed with its keyring item. */
static void
test_account_carddav (void)
{
  g_autofree char *db = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *secret = NULL;
  g_autoptr(CrmAccount) account = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  JsonObject *o;

  if (!crm_sync_test_keyring_start ())
    return;
  db = init_db ();

  g_assert_cmpint (CLI (PASSWORD "\n", &out, &err, "--database", db, "account", "add", "carddav", "--name", "Team",
                        "--url", "https://dav.example.com/", "--user", "alice", "--password-stdin"), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_null (strstr (out, PASSWORD));

  g_clear_pointer (&out, g_free);
  g_assert_cmpint (CLI (NULL, &out, NULL, "--database", db, "--json", "account", "list"), ==, 0);
  g_assert_null (strstr (out, PASSWORD));
  node = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 1);
  o = json_array_get_object_element (json_node_get_array (node), 0);
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "Team");
  g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "carddav");
  g_assert_cmpstr (json_object_get_string_member (o, "url"), ==, "https://dav.example.com/");
  g_assert_cmpstr (json_object_get_string_member (o, "user"), ==, "alice");
  g_assert_true (json_object_get_boolean_member (o, "has_secret"));

  /* In the keyring, found by the account's uuid, exactly as typed. */
  account = find_account (db, "Team");
  uuid = g_strdup (crm_account_get_uuid (account));
  secret = crm_secret_lookup (uuid, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, PASSWORD);
  /* Not in the database file nor its WAL: neither the accounts table nor the journal. */
  g_assert_false (crm_sync_test_file_contains (db, PASSWORD));
  g_assert_false (crm_sync_test_file_contains (db, "correct horse"));
  g_assert_true (crm_sync_test_file_contains (db, "dav.example.com"));   /* the check can see */

  /* The account reads the journal from now on, as its own consumer. */
  {
    g_autoptr(CrmStore) store = crm_store_open (db, &error);
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM journal_consumers WHERE name = 'sync:%s'", uuid);

    g_assert_no_error (error);
    g_assert_cmpint (crm_test_query_int (store, sql), ==, 1);
  }

  g_clear_pointer (&out, g_free);
  g_assert_cmpint (CLI (NULL, &out, NULL, "--database", db, "account", "remove", "Team"), ==, 0);
  g_assert_cmpint (count_accounts (db), ==, 0);
  g_clear_pointer (&secret, crm_secret_free);
  secret = crm_secret_lookup (uuid, NULL, &error);
  g_assert_error (error, CRM_SECRET_ERROR, CRM_SECRET_ERROR_NOT_FOUND);
  g_assert_null (secret);
}

/* A WooCommerce shop: the consumer key is stored (it names the key), the secret only in the
 * keyring; a CardDAV account without a password needs no keyring. */
static void
test_account_woocommerce (void)
{
  g_autofree char *db = NULL;
  g_autofree char *out = NULL;
  g_autofree char *secret = NULL;
  g_autoptr(CrmAccount) shop = NULL;
  g_autoptr(CrmAccount) open_book = NULL;
  g_autoptr(GError) error = NULL;

  if (!crm_sync_test_keyring_start ())
    return;
  db = init_db ();
  g_assert_cmpint (CLI ("cs_0123456789abcdef\n", NULL, NULL, "--database", db, "account", "add", "woocommerce",
                        "--name", "Shop", "--url", "https://shop.example.com", "--key", "ck_feedface",
                        "--secret-stdin"), ==, 0);
  g_assert_cmpint (CLI (NULL, NULL, NULL, "--database", db, "account", "add", "carddav", "--name", "Open book",
                        "--url", "http://127.0.0.1:1/book/"), ==, 0);

  shop = find_account (db, "Shop");
  g_assert_cmpint (crm_account_get_kind (shop), ==, CRM_ACCOUNT_WOOCOMMERCE);
  g_assert_cmpstr (crm_account_get_user (shop), ==, "ck_feedface");
  secret = crm_account_lookup_secret (shop, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "cs_0123456789abcdef");
  g_assert_false (crm_sync_test_file_contains (db, "cs_0123456789abcdef"));

  open_book = find_account (db, "Open book");
  g_assert_false (crm_account_has_secret (open_book));

  g_assert_cmpint (CLI (NULL, &out, NULL, "--database", db, "account", "list"), ==, 0);
  g_assert_nonnull (strstr (out, "Shop\twoocommerce\thttps://shop.example.com"));
  g_assert_nonnull (strstr (out, "Open book\tcarddav"));
}

/* Refused: nothing saved, one line, the right exit status. */
static void
test_account_refused (void)
{
  g_autofree char *db = NULL;

  if (!crm_sync_test_keyring_start ())
    return;
  db = init_db ();
  g_assert_cmpint (CLI (PASSWORD, NULL, NULL, "--database", db, "account", "add", "carddav", "--name", "Team",
                        "--url", "https://dav.example.com/", "--password-stdin"), ==, 0);

  {
    struct { int code; const char *needle; const char *input; const char *args[12]; } cases[] = {
      { 1, "already an account", "other\n", { "account", "add", "carddav", "--name", "Team", "--url", "https://x.example/", "--password-stdin" } },
      { 1, "not a server address", NULL, { "account", "add", "carddav", "--name", "Bad", "--url", "ftp://x.example/" } },
      { 1, "not a server address", NULL, { "account", "add", "carddav", "--name", "Bad", "--url", "dav.example.com" } },
      { 2, "no password", "", { "account", "add", "carddav", "--name", "Empty", "--url", "https://x.example/", "--password-stdin" } },
      { 2, "not a kind of account", NULL, { "account", "add", "ldap", "--name", "L", "--url", "https://x.example/" } },
      { 2, "needs --key", NULL, { "account", "add", "woocommerce", "--name", "W", "--url", "https://x.example/" } },
      { 2, "needs --name and --url", NULL, { "account", "add", "carddav", "--url", "https://x.example/" } },
      { 1, "no account “Nobody”", NULL, { "account", "remove", "Nobody" } },
      { 2, "account: expected", NULL, { "account", "frobnicate" } },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(GPtrArray) argv = g_ptr_array_new ();
        g_autofree char *out = NULL;
        g_autofree char *err = NULL;
        int status;

        g_ptr_array_add (argv, (gpointer) "--database");
        g_ptr_array_add (argv, db);
        for (guint a = 0; cases[i].args[a] != NULL; a++)
          g_ptr_array_add (argv, (gpointer) cases[i].args[a]);
        g_ptr_array_add (argv, NULL);
        status = crm_sync_test_cli (cases[i].input, NULL, (const char *const *) argv->pdata, &out, &err);
        if (status != cases[i].code)
          g_error ("case %u: exit %d, expected %d: %s", i, status, cases[i].code, err);
        g_assert_cmpstr (out, ==, "");
        assert_one_line (err, cases[i].needle);
        g_assert_cmpint (count_accounts (db), ==, 1);
      }
  }}

/* No Secret Service reachable (no session bus): one line saying so, exit 1, no account; an
 * account without a password is still fine. */
static void
test_account_no_keyring (void)
{
  g_autofree char *db = init_db ();
  g_autofree char *bus = g_strdup_printf ("DBUS_SESSION_BUS_ADDRESS=unix:path=%s/no-bus", crm_test_tmp_dir ());
  const char *const no_bus[] = { bus, NULL };
  const char *const *envs[] = { no_bus };

  for (guint i = 0; i < G_N_ELEMENTS (envs); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      const char *const args[] = { "--database", db, "account", "add", "carddav", "--name", "Team",
                                   "--url", "https://dav.example.com/", "--password-stdin", NULL };

      g_assert_cmpint (crm_sync_test_cli (PASSWORD "\n", envs[i], args, &out, &err), ==, 1);
      g_assert_cmpstr (out, ==, "");
      assert_one_line (err, "No Secret Service is reachable");
      g_assert_cmpint (count_accounts (db), ==, 0);
      g_assert_false (crm_sync_test_file_contains (db, PASSWORD));
    }

  {
    const char *const args[] = { "--database", db, "account", "add", "carddav", "--name", "Open",
                                 "--url", "http://127.0.0.1:1/", NULL };
    g_assert_cmpint (crm_sync_test_cli (NULL, no_bus, args, NULL, NULL), ==, 0);
    g_assert_cmpint (count_accounts (db), ==, 1);
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  crm_test_init (&argc, &argv);

  g_test_add_func ("/sync/account/carddav", test_account_carddav);
  g_test_add_func ("/sync/account/woocommerce", test_account_woocommerce);
  g_test_add_func ("/sync/account/refused", test_account_refused);
  g_test_add_func ("/sync/account/no-keyring", test_account_no_keyring);

  status = g_test_run ();
  crm_secret_disconnect ();
  crm_sync_test_keyring_stop ();
  return status;
}

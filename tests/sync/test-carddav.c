/* test-carddav.c: CardDAV sync against a real Radicale (htpasswd auth, a temporary storage
 * folder, a free loopback port), the password in a real GNOME Keyring, through clientele-cli:
 * discovery, pull, an edit pushed and seen on the server, an ETag conflict (If-Match), and
 * server errors (401, 500, a stopped server) that leave nothing half-written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-secret.h"
#include "crm-test-util.h"
#include "crm-sync-test-util.h"
#include "crm-account.h"
#include "crm-customer.h"
#include "crm-dav.h"
#include "crm-journal.h"
#include "crm-session.h"
#include "crm-store.h"
#include "crm-sync.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#define USER "alice"
#define PASSWORD "secret 密码"

typedef struct
{
  CrmTestRadicale *radicale;
  CrmTestProxy    *proxy;
  char            *db;
} Fixture;

static int
cli (char              **out,
     char              **err,
     const char         *input,
     const char *const  *args)
{
  return crm_sync_test_cli (input, NULL, args, out, err);
}

#define CLI(out, err, ...) cli ((out), (err), NULL, (const char *const[]) { __VA_ARGS__, NULL })

static void
add_account (Fixture    *f,
             const char *name,
             const char *url,
             const char *password)
{
  g_autofree char *input = g_strconcat (password, "\n", NULL);
  const char *const args[] = { "--database", f->db, "account", "add", "carddav", "--name", name, "--url", url,
                               "--user", USER, "--password-stdin", NULL };
  g_autofree char *err = NULL;

  if (cli (NULL, &err, input, args) != 0)
    g_error ("account add: %s", err);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  /* The keyring first: the accounts' passwords go there. */
  if (!crm_sync_test_keyring_start ())
    return;
  f->radicale = crm_sync_test_radicale_start (USER, PASSWORD);
  if (f->radicale == NULL)
    return;
  f->proxy = crm_sync_test_proxy_new (f->radicale);
  f->db = crm_test_db_path ();
  g_assert_cmpint (CLI (NULL, NULL, "--database", f->db, "init"), ==, 0);
  add_account (f, "Team", f->radicale->book, PASSWORD);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  crm_sync_test_proxy_free (f->proxy);
  crm_sync_test_radicale_free (f->radicale);
  g_free (f->db);
}

/* clientele-cli --json sync NAME: its exit status; the account's object in @node. */
static int
sync_account (Fixture     *f,
              const char  *name,
              JsonObject **account,
              JsonNode   **node,
              char       **err)
{
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *const args[] = { "--database", f->db, "--json", "sync", name, NULL };
  int status = cli (&out, err, NULL, args);
  JsonArray *accounts;

  *node = json_from_string (out, &error);
  g_assert_no_error (error);
  accounts = json_object_get_array_member (json_node_get_object (*node), "accounts");
  g_assert_cmpuint (json_array_get_length (accounts), ==, 1);
  *account = json_array_get_object_element (accounts, 0);
  g_assert_cmpstr (json_object_get_string_member (*account, "name"), ==, name);
  return status;
}

/* A round that must succeed with these counts (-1: any). */
static void
assert_sync (Fixture    *f,
             const char *name,
             int         pulled,
             int         pushed,
             int         conflicts)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *err = NULL;
  JsonObject *a = NULL;
  int status = sync_account (f, name, &a, &node, &err);

  if (status != 0)
    g_error ("sync %s: %s", name, err);
  g_assert_cmpint (json_object_get_int_member (a, "errors"), ==, 0);
  if (pulled >= 0)
    g_assert_cmpint (json_object_get_int_member (a, "pulled"), ==, pulled);
  if (pushed >= 0)
    g_assert_cmpint (json_object_get_int_member (a, "pushed"), ==, pushed);
  if (conflicts >= 0)
    g_assert_cmpint (json_object_get_int_member (a, "conflicts"), ==, conflicts);
}

/* A round that must fail: exit 1, one stderr line with @needle, the error in the JSON. */
static void
assert_sync_fails (Fixture    *f,
                   const char *name,
                   const char *needle)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *err = NULL;
  JsonObject *a = NULL;

  g_assert_cmpint (sync_account (f, name, &a, &node, &err), ==, 1);
  g_assert_cmpint (json_object_get_int_member (a, "errors"), ==, 1);
  g_assert_nonnull (strstr (json_object_get_string_member (a, "error"), needle));
  g_assert_true (g_str_has_prefix (err, "clientele-cli: "));
  g_assert_cmpuint (strlen (err), ==, (gsize) (strchr (err, '\n') - err) + 1);
  if (strstr (err, needle) == NULL)
    g_error ("expected “%s” in: %s", needle, err);
}

static char *
add_customer (Fixture    *f,
              const char *name,
              const char *city)
{
  g_autofree char *out = NULL;

  g_assert_cmpint (CLI (&out, NULL, "--database", f->db, "add-customer", "--name", name, "--city", city), ==, 0);
  return g_strdup (g_strstrip (out));
}

static char *
card_url (Fixture    *f,
          const char *uuid)
{
  return g_strdup_printf ("%s%s.vcf", f->radicale->book, uuid);
}

/* GET of the card on the server, as any client would: its text (NULL for 404). */
static char *
server_card (Fixture    *f,
             const char *uuid)
{
  g_autofree char *url = card_url (f, uuid);
  char *body = NULL;
  guint status = crm_sync_test_http ("GET", url, USER, PASSWORD, NULL, NULL, &body, NULL);

  if (status == 404)
    {
      g_free (body);
      return NULL;
    }
  g_assert_cmpuint (status, ==, 200);
  return body;
}

static guint
server_count (Fixture *f)
{
  g_autofree char *dir = g_build_filename (f->radicale->storage, "collection-root", USER, "contacts", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    n += g_str_has_suffix (name, ".vcf");
  return n;
}

static void
server_put (Fixture    *f,
            const char *file,
            const char *card)
{
  g_autofree char *url = g_strconcat (f->radicale->book, file, NULL);

  g_assert_cmpuint (crm_sync_test_http ("PUT", url, USER, PASSWORD, NULL, card, NULL, NULL) / 100, ==, 2);
}

static gint64
db_int (Fixture    *f,
        const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_store_open (f->db, &error);

  g_assert_no_error (error);
  return crm_test_query_int (store, sql);
}

static CrmCustomer *
load (Fixture    *f,
      const char *uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_store_open (f->db, &error);
  CrmCustomer *customer;

  g_assert_no_error (error);
  customer = crm_store_load_by_uuid (store, CRM_TYPE_CUSTOMER, uuid, &error);
  g_assert_no_error (error);
  return customer;
}

#define SKIP_WITHOUT_PEERS(f) G_STMT_START { if ((f)->radicale == NULL) return; } G_STMT_END

/* ---- tests ------------------------------------------------------------------------------ */

/* A server address finds the address book (current-user-principal, addressbook-home-set), so
 * does a path that is not WebDAV (/.well-known/carddav); a wrong password is refused. */
static void
test_discovery (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *root = NULL;
  g_autofree char *elsewhere = NULL;
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmAccount) wrong = NULL;
  g_autofree char *found = NULL;
  JsonArray *accounts;

  SKIP_WITHOUT_PEERS (f);
  root = g_strconcat (f->radicale->base, "/", NULL);
  elsewhere = g_strconcat (f->radicale->base, "/nothing/here/", NULL);
  add_account (f, "Root", root, PASSWORD);
  add_account (f, "Elsewhere", elsewhere, PASSWORD);
  assert_sync (f, "Root", 0, 0, 0);
  assert_sync (f, "Elsewhere", 0, 0, 0);
  assert_sync (f, "Team", 0, 0, 0);

  g_assert_cmpint (CLI (&out, NULL, "--database", f->db, "--json", "account", "list"), ==, 0);
  node = json_from_string (out, &error);
  g_assert_no_error (error);
  accounts = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (accounts), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *a = json_array_get_object_element (accounts, i);
      g_assert_cmpstr (json_object_get_string_member (a, "collection"), ==, f->radicale->book);
      g_assert_false (json_object_get_null_member (a, "synced_at"));
    }

  /* Test connection: the address book with the right password, refused with a wrong one. */
  wrong = crm_account_new (CRM_ACCOUNT_CARDDAV, "Probe", root, USER);
  found = crm_sync_test_connection (wrong, PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, f->radicale->book);
  g_clear_pointer (&found, g_free);
  found = crm_sync_test_connection (wrong, "wrong", NULL, &error);
  g_assert_error (error, CRM_DAV_ERROR, CRM_DAV_ERROR_AUTH);
  g_assert_null (found);
}

static const char foreign_card[] =
  "BEGIN:VCARD\r\n"
  "VERSION:3.0\r\n"
  "UID:made-by-another-client-42\r\n"
  "FN:李雷\r\n"
  "N:李;雷;;;\r\n"
  "TEL;TYPE=CELL:+86 139 0000 0000\r\n"
  "item1.TEL;TYPE=WORK:+86 10 6543 2100\r\n"
  "ORG:北京\\, 示例公司\r\n"
  "URL:https://example.com/li-lei\r\n"
  "X-OTHER-APP-MOOD:keep me\r\n"
  "NOTE:这是一段很长的备注，由另一个客户端写成，按照 RFC 6350 的规定在七十五个八位字节处\r\n"
  " 折行，续行以一个空格开始。\r\n"
  "END:VCARD\r\n";

/* Cards on the server become customers (a card from another client keeps its UID there); a
 * second round changes nothing and pushes nothing back; a change on the server is pulled; an
 * edit here changes only its own properties of the other client's card. */
static void
test_pull (Fixture       *f,
           gconstpointer  data)
{
  const char *known = "8d7e4c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6";
  g_autofree char *card2 = NULL;
  g_autofree char *out = NULL;
  g_autofree char *on_server = NULL;
  g_autoptr(CrmCustomer) lilei = NULL;
  g_autoptr(CrmCustomer) hanmeimei = NULL;
  g_autofree char *lilei_uuid = NULL;

  SKIP_WITHOUT_PEERS (f);
  server_put (f, "foreign.vcf", foreign_card);
  card2 = g_strdup_printf ("BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:%s\r\nFN:韩梅梅\r\n"
                           "EMAIL:han@example.com\r\nCATEGORIES:vip,老客户\r\nEND:VCARD\r\n", known);
  server_put (f, "han.vcf", card2);

  assert_sync (f, "Team", 2, 0, 0);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM customers WHERE deleted_at IS NULL"), ==, 2);
  hanmeimei = load (f, known);
  g_assert_cmpstr (crm_customer_get_name (hanmeimei), ==, "韩梅梅");
  g_assert_cmpstr (crm_customer_get_email (hanmeimei), ==, "han@example.com");
  g_assert_cmpstr (crm_customer_get_tags (hanmeimei), ==, "vip, 老客户");
  {
    g_autoptr(CrmStore) store = crm_store_open (f->db, NULL);
    lilei_uuid = crm_test_query_text (store, "SELECT uuid FROM customers WHERE name = '李雷'");
  }
  lilei = load (f, lilei_uuid);
  g_assert_cmpstr (crm_customer_get_company (lilei), ==, "北京, 示例公司");
  g_assert_cmpstr (crm_customer_get_phone (lilei), ==, "+86 139 0000 0000");
  g_assert_true (g_str_has_suffix (crm_customer_get_notes (lilei), "七十五个八位字节处折行，续行以一个空格开始。"));
  g_assert_null (crm_customer_get_external_id (lilei));

  /* Nothing pulled is pushed back; nothing is pulled twice. */
  assert_sync (f, "Team", 0, 0, 0);
  g_assert_cmpuint (server_count (f), ==, 2);

  /* Another client changes the phone: pulled, and the card keeps its own UID on the server. */
  {
    g_autoptr(GString) changed = g_string_new (foreign_card);
    g_autoptr(CrmCustomer) again = NULL;

    g_string_replace (changed, "+86 139 0000 0000", "+86 139 1111 2222", 1);
    server_put (f, "foreign.vcf", changed->str);
    assert_sync (f, "Team", 1, 0, 0);
    again = load (f, lilei_uuid);
    g_assert_cmpstr (crm_customer_get_phone (again), ==, "+86 139 1111 2222");
  }
  /* An edit here goes to the same card, under its UID. */
  g_assert_cmpint (CLI (NULL, NULL, "--database", f->db, "edit", lilei_uuid, "--city", "北京"), ==, 0);
  assert_sync (f, "Team", 0, 1, 0);
  {
    g_autofree char *url = g_strconcat (f->radicale->book, "foreign.vcf", NULL);

    g_assert_cmpuint (crm_sync_test_http ("GET", url, USER, PASSWORD, NULL, NULL, &on_server, NULL), ==, 200);
    g_assert_nonnull (strstr (on_server, "UID:made-by-another-client-42"));
    g_assert_nonnull (strstr (on_server, "ADR:;;;北京;;;"));
    /* What Clientele does not keep is left as the other client wrote it. */
    g_assert_nonnull (strstr (on_server, "item1.TEL;TYPE=WORK:+86 10 6543 2100"));
    g_assert_nonnull (strstr (on_server, "URL:https://example.com/li-lei"));
    g_assert_nonnull (strstr (on_server, "X-OTHER-APP-MOOD:keep me"));
    g_assert_nonnull (strstr (on_server, "NOTE:这是一段很长的备注"));
    g_assert_cmpuint (server_count (f), ==, 2);
  }
}

/* A customer added here reaches the server; an edit with clientele-cli edit follows; a delete
 * removes the card; an edit made while the server is down is kept and pushed later. */
static void
test_push_edit (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *uuid = NULL;
  g_autofree char *card = NULL;

  SKIP_WITHOUT_PEERS (f);
  uuid = add_customer (f, "王芳", "上海");
  assert_sync (f, "Team", 0, 1, 0);
  card = server_card (f, uuid);
  g_assert_nonnull (strstr (card, "FN:王芳"));
  g_assert_nonnull (strstr (card, "上海"));
  g_assert_nonnull (strstr (card, uuid));
  g_clear_pointer (&card, g_free);

  g_assert_cmpint (CLI (NULL, NULL, "--database", f->db, "edit", uuid, "--city", "杭州", "--email",
                        "wang.fang@example.com", "--tags", "vip"), ==, 0);
  assert_sync (f, "Team", 0, 1, 0);
  card = server_card (f, uuid);
  g_assert_nonnull (strstr (card, "杭州"));
  g_assert_null (strstr (card, "上海"));
  g_assert_nonnull (strstr (card, "EMAIL;TYPE=INTERNET:wang.fang@example.com"));
  g_assert_nonnull (strstr (card, "CATEGORIES:vip"));
  g_clear_pointer (&card, g_free);
  assert_sync (f, "Team", 0, 0, 0);

  /* Offline: the round fails in one line, the edit waits in the journal. */
  crm_sync_test_radicale_stop (f->radicale);
  g_assert_cmpint (CLI (NULL, NULL, "--database", f->db, "edit", uuid, "--city", "苏州"), ==, 0);
  assert_sync_fails (f, "Team", "Could not reach");
  crm_sync_test_radicale_restart (f->radicale);
  assert_sync (f, "Team", 0, 1, 0);
  card = server_card (f, uuid);
  g_assert_nonnull (strstr (card, "苏州"));
  g_clear_pointer (&card, g_free);

  g_assert_cmpint (CLI (NULL, NULL, "--database", f->db, "delete", uuid), ==, 0);
  assert_sync (f, "Team", 0, 1, 0);
  g_assert_null (server_card (f, uuid));
  g_assert_cmpuint (server_count (f), ==, 0);
}

/* The card changes on the server between this round's pull and its push: the PUT's If-Match
 * fails (412), the card is fetched again and merged per field, and both edits end up on the
 * server and here. */
static void
test_conflict (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *uuid = NULL;
  g_autofree char *card = NULL;
  g_autofree char *proxied = NULL;
  g_autoptr(GString) theirs = NULL;
  g_autoptr(CrmCustomer) here = NULL;

  SKIP_WITHOUT_PEERS (f);
  proxied = g_strconcat (f->proxy->base, "/", USER, "/contacts/", NULL);
  add_account (f, "Proxied", proxied, PASSWORD);
  uuid = add_customer (f, "王芳", "上海");
  assert_sync (f, "Proxied", 0, 1, 0);

  /* Another client will add a phone number just before our PUT of the new city. */
  card = server_card (f, uuid);
  theirs = g_string_new (card);
  g_string_replace (theirs, "END:VCARD", "TEL;TYPE=CELL:+86 138 0013 8000\r\nEND:VCARD", 1);
  f->proxy->conflict_suffix = g_strconcat (uuid, ".vcf", NULL);
  f->proxy->conflict_card = g_strdup (theirs->str);
  g_assert_cmpint (CLI (NULL, NULL, "--database", f->db, "edit", uuid, "--city", "杭州"), ==, 0);

  assert_sync (f, "Proxied", 0, -1, 1);
  g_assert_null (f->proxy->conflict_suffix);   /* the other client did write first */
  g_clear_pointer (&card, g_free);
  card = server_card (f, uuid);
  g_assert_nonnull (strstr (card, "杭州"));
  g_assert_nonnull (strstr (card, "+86 138 0013 8000"));
  here = load (f, uuid);
  g_assert_cmpstr (crm_customer_get_city (here), ==, "杭州");
  g_assert_cmpstr (crm_customer_get_phone (here), ==, "+86 138 0013 8000");
  assert_sync (f, "Proxied", 0, 0, 0);
}

/* 401 and 500: a clear one-line error, and nothing half-written — no customer pulled, no
 * sync-token kept, a push resumed where it stopped without duplicates. */
static void
test_server_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *proxied = NULL;
  g_autofree char *card = NULL;

  SKIP_WITHOUT_PEERS (f);
  proxied = g_strconcat (f->proxy->base, "/", USER, "/contacts/", NULL);
  add_account (f, "Wrong", f->radicale->book, "not the password");
  add_account (f, "Proxied", proxied, PASSWORD);
  server_put (f, "foreign.vcf", foreign_card);
  card = g_strdup_printf ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:second\r\nFN:Second\r\nEND:VCARD\r\n");
  server_put (f, "second.vcf", card);

  assert_sync_fails (f, "Wrong", "refused the user name or password (HTTP 401");
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM customers"), ==, 0);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM sync_links"), ==, 0);

  /* The listing works, fetching the cards fails: nothing is applied, the token stays unset. */
  crm_sync_test_proxy_fail (f->proxy, "REPORT", 500, 1, 1);
  assert_sync_fails (f, "Proxied", "The server failed (HTTP 500");
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM customers"), ==, 0);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM sync_accounts WHERE sync_token IS NOT NULL"), ==, 0);
  assert_sync (f, "Proxied", 2, 0, 0);
  assert_sync (f, "Proxied", 0, 0, 0);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM customers"), ==, 2);

  /* Three new customers, the second PUT fails: the first is on the server and linked, the rest
   * follow in the next round, none twice. */
  g_free (add_customer (f, "甲", "上海"));
  g_free (add_customer (f, "乙", "上海"));
  g_free (add_customer (f, "丙", "上海"));
  crm_sync_test_proxy_fail (f->proxy, "PUT", 500, 1, 1);
  assert_sync_fails (f, "Proxied", "The server failed (HTTP 500");
  g_assert_cmpuint (server_count (f), ==, 3);
  assert_sync (f, "Proxied", 0, 2, 0);
  g_assert_cmpuint (server_count (f), ==, 5);
  assert_sync (f, "Proxied", 0, 0, 0);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM customers"), ==, 5);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM sync_links"), ==, 5);

  /* The failed accounts say why in the list. */
  {
    g_autofree char *out = NULL;

    g_assert_cmpint (CLI (&out, NULL, "--database", f->db, "account", "list"), ==, 0);
    g_assert_nonnull (strstr (out, "HTTP 401"));
  }
}

/* A card deleted on the server is deleted here (a tombstone, restorable); a sync-token the
 * server no longer knows gives a full listing, compared with what is linked: nothing twice. */
static void
test_deletes_and_expired_token (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *url = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(CrmCustomer) gone = NULL;
  g_autoptr(GString) second = NULL;

  SKIP_WITHOUT_PEERS (f);
  server_put (f, "foreign.vcf", foreign_card);
  second = g_string_new ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:second\r\nFN:Second\r\nEND:VCARD\r\n");
  server_put (f, "second.vcf", second->str);
  kept = add_customer (f, "王芳", "上海");
  assert_sync (f, "Team", 2, 1, 0);
  g_assert_cmpuint (server_count (f), ==, 3);

  /* Deleted by another client: a tombstone here, nothing pushed back. */
  url = g_strconcat (f->radicale->book, "second.vcf", NULL);
  g_assert_cmpuint (crm_sync_test_http ("DELETE", url, USER, PASSWORD, NULL, NULL, NULL, NULL) / 100, ==, 2);
  assert_sync (f, "Team", 1, 0, 0);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM customers WHERE name = 'Second' AND deleted_at IS NOT NULL"), ==, 1);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM customers WHERE deleted_at IS NULL"), ==, 2);
  g_assert_cmpuint (server_count (f), ==, 2);

  /* The token expired (the server forgot it): a full listing; the cards already here are not
   * pulled again, a card deleted meanwhile is still noticed. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CrmStore) store = crm_store_open (f->db, &error);

    g_assert_no_error (error);
    g_assert_true (crm_store_exec (store, "UPDATE sync_accounts SET sync_token = 'http://radicale.org/ns/sync/"
                                          "0000000000000000000000000000000000000000000000000000000000000000'", &error));
    g_assert_no_error (error);
  }
  g_clear_pointer (&url, g_free);
  url = g_strconcat (f->radicale->book, "foreign.vcf", NULL);
  g_assert_cmpuint (crm_sync_test_http ("DELETE", url, USER, PASSWORD, NULL, NULL, NULL, NULL) / 100, ==, 2);
  assert_sync (f, "Team", 1, 0, 0);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM customers WHERE deleted_at IS NULL"), ==, 1);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM customers"), ==, 3);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM sync_links"), ==, 1);
  gone = load (f, kept);
  g_assert_false (crm_entity_is_deleted (CRM_ENTITY (gone)));
  assert_sync (f, "Team", 0, 0, 0);
}

/* A self-signed server: refused, with its fingerprint in the error (TLS is verified); trusted
 * once the user gives that fingerprint, and only that one. */
static void
test_self_signed (Fixture       *f,
                  gconstpointer  data)
{
  CrmTestRadicale *tls;
  g_autofree char *book = NULL;
  g_autofree char *wrong = NULL;

  SKIP_WITHOUT_PEERS (f);
  tls = crm_sync_test_radicale_start_tls (USER, PASSWORD);
  book = g_strconcat (tls->base, "/", USER, "/contacts/", NULL);

  add_account (f, "Untrusted", book, PASSWORD);
  assert_sync_fails (f, "Untrusted", "is not trusted");
  assert_sync_fails (f, "Untrusted", tls->fingerprint);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM customers"), ==, 0);

  wrong = g_strdup (tls->fingerprint);
  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  {
    g_autofree char *input = g_strconcat (PASSWORD, "\n", NULL);
    const char *const trusted[] = { "--database", f->db, "account", "add", "carddav", "--name", "Trusted", "--url", book,
                                    "--user", USER, "--password-stdin", "--trust-certificate", tls->fingerprint, NULL };
    const char *const other[] = { "--database", f->db, "account", "add", "carddav", "--name", "Other", "--url", book,
                                  "--user", USER, "--password-stdin", "--trust-certificate", wrong, NULL };
    const char *const bad[] = { "--database", f->db, "account", "add", "carddav", "--name", "Bad", "--url", book,
                                "--trust-certificate", "not a fingerprint", NULL };

    g_assert_cmpint (cli (NULL, NULL, input, trusted), ==, 0);
    g_assert_cmpint (cli (NULL, NULL, input, other), ==, 0);
    g_assert_cmpint (cli (NULL, NULL, NULL, bad), ==, 1);
  }
  assert_sync_fails (f, "Other", "is not trusted");
  assert_sync (f, "Trusted", 0, 0, 0);   /* the TLS server's own (empty) address book */
  {
    g_autofree char *url = g_strconcat (book, "tls.vcf", NULL);
    g_assert_cmpuint (crm_sync_test_http ("PUT", url, USER, PASSWORD, NULL, foreign_card, NULL, NULL) / 100, ==, 2);
  }
  assert_sync (f, "Trusted", 1, 0, 0);
  crm_sync_test_radicale_free (tls);
}

/* The database the next commands of the test run on. */
static void
use_db (Fixture    *f,
        const char *path)
{
  g_free (f->db);
  f->db = g_strdup (path);
}

/* Two databases (two sales reps) through one address book: what one adds the other gets;
 * concurrent edits of different fields are both kept on both sides; the same field edited on
 * both sides ends the same on both (the one the server had first wins, counted as a conflict);
 * a delete on either side reaches the other. */
static void
test_two_databases (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *db_a = NULL;
  g_autofree char *db_b = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *other = NULL;

  SKIP_WITHOUT_PEERS (f);
  db_a = g_steal_pointer (&f->db);   /* the fixture's database, with its account "Team" */
  f->db = crm_test_db_path ();
  db_b = g_strdup (f->db);
  g_assert_cmpint (CLI (NULL, NULL, "--database", db_b, "init"), ==, 0);
  add_account (f, "Team", f->radicale->book, PASSWORD);

  use_db (f, db_a);
  uuid = add_customer (f, "王芳", "上海");
  assert_sync (f, "Team", 0, 1, 0);
  use_db (f, db_b);
  other = add_customer (f, "李雷", "北京");
  assert_sync (f, "Team", 1, 1, 0);
  use_db (f, db_a);
  assert_sync (f, "Team", 1, 0, 0);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM customers WHERE deleted_at IS NULL"), ==, 2);

  /* Different fields: A the city, B the phone. */
  g_assert_cmpint (CLI (NULL, NULL, "--database", db_a, "edit", uuid, "--city", "杭州"), ==, 0);
  g_assert_cmpint (CLI (NULL, NULL, "--database", db_b, "edit", uuid, "--phone", "+86 138 0013 8000"), ==, 0);
  assert_sync (f, "Team", 0, 1, 0);            /* A pushes the city */
  use_db (f, db_b);
  assert_sync (f, "Team", 1, 1, 0);            /* B pulls it, keeps its phone, pushes both */
  use_db (f, db_a);
  assert_sync (f, "Team", 1, 0, 0);
  for (guint side = 0; side < 2; side++)
    {
      g_autoptr(CrmCustomer) c = NULL;

      use_db (f, side == 0 ? db_a : db_b);
      c = load (f, uuid);
      g_assert_cmpstr (crm_customer_get_city (c), ==, "杭州");
      g_assert_nonnull (crm_customer_get_phone (c));
      g_assert_nonnull (strstr (crm_customer_get_phone (c), "138"));
    }

  /* The same field on both sides: both end with the value the server got first. */
  g_assert_cmpint (CLI (NULL, NULL, "--database", db_a, "edit", uuid, "--city", "苏州"), ==, 0);
  g_assert_cmpint (CLI (NULL, NULL, "--database", db_b, "edit", uuid, "--city", "宁波"), ==, 0);
  use_db (f, db_a);
  assert_sync (f, "Team", 0, 1, 0);
  use_db (f, db_b);
  assert_sync (f, "Team", 1, 0, 1);
  use_db (f, db_a);
  assert_sync (f, "Team", 0, 0, 0);
  for (guint side = 0; side < 2; side++)
    {
      g_autoptr(CrmCustomer) c = NULL;

      use_db (f, side == 0 ? db_a : db_b);
      c = load (f, uuid);
      g_assert_cmpstr (crm_customer_get_city (c), ==, "苏州");
    }

  /* A delete on B reaches A; one on A reaches B. */
  g_assert_cmpint (CLI (NULL, NULL, "--database", db_b, "delete", uuid), ==, 0);
  use_db (f, db_b);
  assert_sync (f, "Team", 0, 1, 0);
  use_db (f, db_a);
  assert_sync (f, "Team", 1, 0, 0);
  g_assert_cmpint (CLI (NULL, NULL, "--database", db_a, "delete", other), ==, 0);
  assert_sync (f, "Team", 0, 1, 0);
  use_db (f, db_b);
  assert_sync (f, "Team", 1, 0, 0);
  for (guint side = 0; side < 2; side++)
    {
      use_db (f, side == 0 ? db_a : db_b);
      g_assert_cmpint (db_int (f, "SELECT count(*) FROM customers WHERE deleted_at IS NULL"), ==, 0);
      g_assert_cmpint (db_int (f, "SELECT count(*) FROM customers"), ==, 2);
    }
  g_assert_cmpuint (server_count (f), ==, 0);
}

static void
on_synced (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static void
on_customers_changed (gboolean *changed)
{
  *changed = TRUE;
}

/* The app's way: a CrmJob of the session, the customers it pulls announced like any write. */
static void
test_job (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(CrmSession) session = NULL;
  g_autoptr(CrmAccount) account = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree CrmSyncCounts *counts = NULL;
  gboolean changed = FALSE;

  SKIP_WITHOUT_PEERS (f);
  server_put (f, "foreign.vcf", foreign_card);
  session = crm_session_new (f->db);
  g_assert_true (crm_session_open (session, &error));
  g_assert_no_error (error);
  g_signal_connect_swapped (session, "customers-changed", G_CALLBACK (on_customers_changed), &changed);
  account = crm_account_find (crm_session_get_store (session), "Team", &error);
  g_assert_no_error (error);

  crm_sync_account_async (session, account, NULL, on_synced, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  counts = crm_sync_account_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (counts->pulled, ==, 1);
  for (guint i = 0; i < 100 && !changed; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  g_assert_true (changed);
  g_assert_cmpint (crm_store_count (crm_session_get_store (session), CRM_TYPE_CUSTOMER, NULL), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  crm_test_init (&argc, &argv);

  g_test_add ("/sync/carddav/discovery", Fixture, NULL, fixture_set_up, test_discovery, fixture_tear_down);
  g_test_add ("/sync/carddav/pull", Fixture, NULL, fixture_set_up, test_pull, fixture_tear_down);
  g_test_add ("/sync/carddav/push-edit", Fixture, NULL, fixture_set_up, test_push_edit, fixture_tear_down);
  g_test_add ("/sync/carddav/conflict", Fixture, NULL, fixture_set_up, test_conflict, fixture_tear_down);
  g_test_add ("/sync/carddav/server-errors", Fixture, NULL, fixture_set_up, test_server_errors, fixture_tear_down);
  g_test_add ("/sync/carddav/deletes-and-expired-token", Fixture, NULL, fixture_set_up, test_deletes_and_expired_token,
              fixture_tear_down);
  g_test_add ("/sync/carddav/self-signed", Fixture, NULL, fixture_set_up, test_self_signed, fixture_tear_down);
  g_test_add ("/sync/carddav/two-databases", Fixture, NULL, fixture_set_up, test_two_databases, fixture_tear_down);
  g_test_add ("/sync/carddav/job", Fixture, NULL, fixture_set_up, test_job, fixture_tear_down);

  status = g_test_run ();
  crm_secret_disconnect ();
  crm_sync_test_keyring_stop ();
  return status;
}

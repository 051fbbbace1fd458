/* test-woo.c: WooCommerce sync against the fake shop (woo-fake.py, started on a free loopback
 * port, built from the documentation's payloads): paging, the incremental order cursor, identity
 * matching, push and conflicts, every injected fault followed by a round that ends exactly as a
 * clean run, refused keys, a site that is not a shop, TLS with Basic auth, the CLI with the secret
 * in a real GNOME Keyring, and the official JavaScript client getting the same pages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-test-util.h"
#include "crm-sync-test-util.h"
#include "crm-account.h"
#include "crm-customer.h"
#include "crm-store.h"
#include "crm-sync.h"
#include "crm-woo-private.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define SEEDED "--customers", "150", "--orders", "250"

typedef struct
{
  CrmStore   *store;
  CrmAccount *account;
  char       *path;
} Db;

static Db *
db_new (CrmTestWoo *shop)
{
  g_autoptr(GError) error = NULL;
  Db *db = g_new0 (Db, 1);

  db->path = crm_test_db_path ();
  db->store = crm_store_open (db->path, &error);
  g_assert_no_error (error);
  db->account = crm_account_new (CRM_ACCOUNT_WOOCOMMERCE, "Shop", shop->base, shop->key);
  g_assert_true (crm_account_add (db->store, db->account, NULL, NULL, &error));
  g_assert_no_error (error);
  return db;
}

static void
db_free (Db *db)
{
  g_object_unref (db->account);
  g_object_unref (db->store);
  g_free (db->path);
  g_free (db);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Db, db_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmTestWoo, crm_sync_test_woo_free)

static CrmWoo *
client (CrmTestWoo *shop,
        const char *secret)
{
  CrmWoo *woo = crm_woo_new (shop->base, shop->key, secret != NULL ? secret : shop->secret, NULL);

  /* Small limits: a timeout after 2 s, 3 more tries, never more than 2 s between. */
  crm_woo_set_limits (woo, 2, 3, 2);
  crm_woo_set_trusted_certificate (woo, shop->fingerprint);
  return woo;
}

static gboolean
round_ (Db            *db,
        CrmTestWoo    *shop,
        CrmSyncCounts *counts,
        GError       **error)
{
  g_autoptr(CrmWoo) woo = client (shop, NULL);

  memset (counts, 0, sizeof *counts);
  return crm_woo_round (db->store, db->account, woo, counts, error);
}

static void
round_ok (Db            *db,
          CrmTestWoo    *shop,
          CrmSyncCounts *counts)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (round_ (db, shop, counts, &error));
  g_assert_no_error (error);
}

/* What the sync wrote, as text: the linked customers and the pulled orders with their lines. */
static char *
dump (Db *db)
{
  static const char *const queries[] = {
    "SELECT group_concat(x, char(10)) FROM (SELECT l.href || '|' || c.name || '|' || ifnull(c.email, '') || '|' ||"
    " ifnull(c.phone, '') || '|' || ifnull(c.address, '') || '|' || ifnull(c.city, '') || '|' || ifnull(c.region, '') ||"
    " '|' || ifnull(c.country, '') || '|' || ifnull(c.postal_code, '') || '|' || c.order_count || '|' || c.total_spent AS x"
    " FROM sync_links l JOIN customers c ON c.id = l.customer_id ORDER BY l.href)",
    "SELECT group_concat(x, char(10)) FROM (SELECT so.remote_id || '|' || o.number || '|' || o.status || '|' || o.currency ||"
    " '|' || o.total || '|' || o.subtotal || '|' || o.tax || '|' || o.shipping || '|' || o.placed_at || '|' ||"
    " ifnull(o.notes, '') || '|' || ifnull(c.email, '') || '|' || (SELECT group_concat(ifnull(sku, '') || ':' || product"
    " || ':' || quantity || ':' || unit_price || ':' || amount, ';') FROM order_lines WHERE order_id = o.id AND deleted_at"
    " IS NULL) AS x FROM sync_orders so JOIN orders o ON o.id = so.order_id JOIN customers c ON c.id = o.customer_id"
    " ORDER BY so.remote_id)",
    "SELECT 'customers ' || count(*) FROM customers WHERE deleted_at IS NULL",
    "SELECT 'orders ' || count(*) FROM orders WHERE deleted_at IS NULL",
    "SELECT 'lines ' || count(*) FROM order_lines WHERE deleted_at IS NULL",
  };
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autofree char *text = crm_test_query_text (db->store, queries[i]);
      g_string_append_printf (out, "%s\n", text != NULL ? text : "");
    }
  return g_string_free (out, FALSE);
}

static gint64
count (Db         *db,
       const char *sql)
{
  return crm_test_query_int (db->store, sql);
}

/* ---- pull ---------------------------------------------------------------------------------- */

static void
test_pull (void)
{
  g_autoptr(CrmTestWoo) shop = crm_sync_test_woo_start (FALSE, (const char *const[]) { SEEDED, NULL });
  g_autoptr(Db) db = db_new (shop);
  g_autoptr(CrmWoo) woo = client (shop, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *doc = NULL;
  CrmSyncCounts counts = { 0 };

  g_assert_true (crm_woo_round (db->store, db->account, woo, &counts, &error));
  g_assert_no_error (error);
  /* The documentation's 2 customers and 2 orders, and the seeded ones: 2 pages of customers,
   * 3 of orders. */
  g_assert_cmpint (count (db, "SELECT count(*) FROM sync_links"), ==, 152);
  g_assert_cmpint (count (db, "SELECT count(*) FROM sync_orders"), ==, 252);
  g_assert_cmpint (count (db, "SELECT count(*) FROM orders WHERE channel = 'woocommerce'"), ==, 252);
  g_assert_cmpuint (counts.pulled, >=, 152 + 252);
  g_assert_cmpuint (counts.pushed, ==, 0);
  /* index, key probe, 2 + 3 pages */
  g_assert_cmpuint (crm_woo_get_requests (woo), ==, 7);

  /* Order 727 of the documentation: totals in cents, its two lines, the GMT date. */
  doc = crm_test_query_text (db->store, "SELECT o.status || '|' || o.currency || '|' || o.total || '|' || o.shipping || '|' ||"
                                        " o.tax || '|' || o.subtotal || '|' || o.placed_at || '|' || o.payment_method || '|' ||"
                                        " (SELECT group_concat(ifnull(sku, '-') || ':' || quantity || ':' || unit_price || ':' || amount, ';')"
                                        "  FROM order_lines WHERE order_id = o.id) FROM sync_orders s JOIN orders o ON o.id = s.order_id"
                                        " WHERE s.remote_id = 727");
  g_assert_cmpstr (doc, ==, "processing|USD|2935|1000|135|1800|1490210882000|Direct Bank Transfer|-:2:300:600;Bar3:1:1200:1200");
  g_clear_pointer (&doc, g_free);
  /* Customer 25 (John Doe) is linked, with his billing address. */
  doc = crm_test_query_text (db->store, "SELECT c.name || '|' || c.email || '|' || c.phone || '|' || c.city || '|' || c.region"
                                        " FROM sync_links l JOIN customers c ON c.id = l.customer_id WHERE l.href = 'customers/25'");
  g_assert_cmpstr (doc, ==, "John Doe|john.doe@example.com|(555) 555-5555|San Francisco|CA");
  g_assert_nonnull (crm_account_get_sync_token (db->account));
}

static void
test_incremental (void)
{
  g_autoptr(CrmTestWoo) shop = crm_sync_test_woo_start (FALSE, (const char *const[]) { SEEDED, NULL });
  g_autoptr(Db) db = db_new (shop);
  g_autofree char *answer = NULL;
  g_autofree char *status = NULL;
  g_autofree char *cursor = NULL;
  CrmSyncCounts counts;

  round_ok (db, shop, &counts);
  cursor = g_strdup (crm_account_get_sync_token (db->account));
  round_ok (db, shop, &counts);
  g_assert_cmpuint (counts.pulled, ==, 0);
  g_assert_cmpstr (crm_account_get_sync_token (db->account), ==, cursor);

  answer = crm_sync_test_woo_control (shop, "orders/1100", "{\"status\": \"refunded\"}");
  round_ok (db, shop, &counts);
  g_assert_cmpuint (counts.pulled, ==, 1);
  status = crm_test_query_text (db->store, "SELECT o.status FROM sync_orders s JOIN orders o ON o.id = s.order_id WHERE s.remote_id = 1100");
  g_assert_cmpstr (status, ==, "refunded");
  g_assert_cmpstr (crm_account_get_sync_token (db->account), >, cursor);
}

/* Customers already here are found by e-mail, then phone, not made again. */
static void
test_identity (void)
{
  g_autoptr(CrmTestWoo) shop = crm_sync_test_woo_start (FALSE, (const char *const[]) { SEEDED, NULL });
  g_autoptr(Db) db = db_new (shop);
  g_autoptr(CrmCustomer) by_email = crm_customer_new ();
  g_autoptr(CrmCustomer) by_phone = crm_customer_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  CrmSyncCounts counts;

  crm_customer_set_name (by_email, "Anna from the fair");
  crm_customer_set_email (by_email, "Customer101@Example.com");
  crm_customer_set_city (by_email, "Lyon");
  crm_customer_set_name (by_phone, "Caller");
  crm_customer_set_phone (by_phone, "+1 (555) 000-0102");
  g_assert_true (crm_store_insert (db->store, CRM_ENTITY (by_email), &error));
  g_assert_true (crm_store_insert (db->store, CRM_ENTITY (by_phone), &error));
  g_assert_no_error (error);

  round_ok (db, shop, &counts);
  sql = g_strdup_printf ("SELECT href FROM sync_links WHERE customer_id = %" G_GINT64_FORMAT, crm_entity_get_id (CRM_ENTITY (by_email)));
  {
    g_autofree char *href = crm_test_query_text (db->store, sql);

    g_assert_cmpstr (href, ==, "customers/101");
  }
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT href FROM sync_links WHERE customer_id = %" G_GINT64_FORMAT, crm_entity_get_id (CRM_ENTITY (by_phone)));
  {
    g_autofree char *href = crm_test_query_text (db->store, sql);

    g_assert_cmpstr (href, ==, "customers/102");
  }
  g_clear_pointer (&sql, g_free);
  /* Nothing made twice: the 152 shop customers and the guests of the orders. */
  g_assert_cmpint (count (db, "SELECT count(*) FROM customers WHERE email_key = 'customer101@example.com'"), ==, 1);
  g_assert_cmpint (count (db, "SELECT count(DISTINCT email_key) FROM customers"), ==,
                   count (db, "SELECT count(*) FROM customers WHERE email_key IS NOT NULL"));
  /* A field the user had is kept; an empty one filled in. */
  g_assert_true (crm_store_reload (db->store, CRM_ENTITY (by_email), &error));
  g_assert_cmpstr (crm_customer_get_city (by_email), ==, "Lyon");
  g_assert_cmpstr (crm_customer_get_phone (by_email), ==, "+1 555 000 0101");
  /* Guest orders: one customer per guest address however many orders. */
  g_assert_cmpint (count (db, "SELECT count(*) FROM customers WHERE email LIKE 'guest%@example.org'"), ==,
                   count (db, "SELECT count(DISTINCT o.customer_id) FROM orders o JOIN customers c ON c.id = o.customer_id"
                              " WHERE c.email LIKE 'guest%@example.org'"));
}

/* ---- push and conflicts ------------------------------------------------------------------------ */

static JsonObject *
shop_customer (CrmTestWoo *shop,
               gint64      id,
               JsonParser *parser)
{
  g_autofree char *state = crm_sync_test_woo_control (shop, "state", NULL);
  JsonArray *customers;

  g_assert_true (json_parser_load_from_data (parser, state, -1, NULL));
  customers = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "customers");
  for (guint i = 0; i < json_array_get_length (customers); i++)
    if (json_object_get_int_member (json_array_get_object_element (customers, i), "id") == id)
      return json_array_get_object_element (customers, i);
  g_assert_not_reached ();
}

static CrmCustomer *
linked (Db     *db,
        gint64  remote_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT customer_id FROM sync_links WHERE href = 'customers/%" G_GINT64_FORMAT "'", remote_id);
  g_autoptr(GError) error = NULL;
  CrmCustomer *c = crm_store_load (db->store, CRM_TYPE_CUSTOMER, count (db, sql), &error);

  g_assert_no_error (error);
  return c;
}

static void
test_push (void)
{
  g_autoptr(CrmTestWoo) shop = crm_sync_test_woo_start (FALSE, (const char *const[]) { SEEDED, NULL });
  g_autoptr(Db) db = db_new (shop);
  g_autoptr(CrmCustomer) c = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *remote;
  CrmSyncCounts counts;

  round_ok (db, shop, &counts);
  c = linked (db, 120);
  crm_customer_set_city (c, "Hangzhou");
  crm_customer_set_name (c, "Mei Lin Zhang");
  g_assert_true (crm_store_update (db->store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);

  round_ok (db, shop, &counts);
  g_assert_cmpuint (counts.pushed, ==, 1);
  g_assert_cmpuint (counts.conflicts, ==, 0);
  remote = shop_customer (shop, 120, parser);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (remote, "billing"), "city"), ==, "Hangzhou");
  g_assert_cmpstr (json_object_get_string_member (remote, "first_name"), ==, "Mei");
  g_assert_cmpstr (json_object_get_string_member (remote, "last_name"), ==, "Lin Zhang");

  /* What the account wrote is not handed back; nothing moved since. */
  round_ok (db, shop, &counts);
  g_assert_cmpuint (counts.pushed, ==, 0);
  g_assert_cmpuint (counts.pulled, ==, 0);
}

static void
test_conflict (void)
{
  g_autoptr(CrmTestWoo) shop = crm_sync_test_woo_start (FALSE, (const char *const[]) { SEEDED, NULL });
  g_autoptr(Db) db = db_new (shop);
  g_autoptr(CrmCustomer) a = NULL;
  g_autoptr(CrmCustomer) b = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *note = NULL;
  g_autofree char *answer = NULL;
  JsonObject *remote;
  CrmSyncCounts counts;

  round_ok (db, shop, &counts);
  /* Customer 130: edited here, then in the shop (newer): the shop's city wins, the phone
   * changed here only is pushed. */
  a = linked (db, 130);
  crm_customer_set_city (a, "Here-city");
  crm_customer_set_phone (a, "+1 555 999 0130");
  g_assert_true (crm_store_update (db->store, CRM_ENTITY (a), &error));
  g_usleep (1100 * 1000);
  answer = crm_sync_test_woo_control (shop, "customers/130", "{\"billing\": {\"city\": \"Shop-city\"}}");
  g_clear_pointer (&answer, g_free);
  /* Customer 131: edited in the shop, then here (newer): this side's city wins and is pushed. */
  g_clear_pointer (&answer, g_free);
  answer = crm_sync_test_woo_control (shop, "customers/131", "{\"billing\": {\"city\": \"Old-shop-city\"}}");
  g_usleep (1600 * 1000);
  b = linked (db, 131);
  crm_customer_set_city (b, "New-here-city");
  g_assert_true (crm_store_update (db->store, CRM_ENTITY (b), &error));
  g_assert_no_error (error);

  round_ok (db, shop, &counts);
  g_assert_cmpuint (counts.conflicts, ==, 2);
  g_assert_true (crm_store_reload (db->store, CRM_ENTITY (a), &error));
  g_assert_true (crm_store_reload (db->store, CRM_ENTITY (b), &error));
  g_assert_cmpstr (crm_customer_get_city (a), ==, "Shop-city");
  g_assert_cmpstr (crm_customer_get_phone (a), ==, "+1 555 999 0130");
  g_assert_cmpstr (crm_customer_get_city (b), ==, "New-here-city");
  remote = shop_customer (shop, 130, parser);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (remote, "billing"), "phone"), ==, "+1 555 999 0130");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (remote, "billing"), "city"), ==, "Shop-city");
  remote = shop_customer (shop, 131, parser);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (remote, "billing"), "city"), ==, "New-here-city");

  /* The values that lost are in each customer's history. */
  sql = g_strdup_printf ("SELECT body FROM interactions WHERE customer_id = %" G_GINT64_FORMAT,
                         crm_entity_get_id (CRM_ENTITY (a)));
  note = crm_test_query_text (db->store, sql);
  g_clear_pointer (&sql, g_free);
  g_assert_nonnull (strstr (note, "Here-city"));
  g_clear_pointer (&note, g_free);
  sql = g_strdup_printf ("SELECT body FROM interactions WHERE customer_id = %" G_GINT64_FORMAT,
                         crm_entity_get_id (CRM_ENTITY (b)));
  note = crm_test_query_text (db->store, sql);
  g_clear_pointer (&sql, g_free);
  g_assert_nonnull (strstr (note, "Old-shop-city"));

  round_ok (db, shop, &counts);
  g_assert_cmpuint (counts.conflicts, ==, 0);
  g_assert_cmpuint (counts.pushed, ==, 0);
}

/* ---- faults ---------------------------------------------------------------------------------- */

typedef struct
{
  const char *fault;       /* the control request */
  gboolean    first_fails; /* the faulted round fails (and the next one heals) */
  guint       min_ms;      /* the faulted round waits at least this long (Retry-After) */
} Fault;

static const Fault faults[] = {
  { "{\"kind\": \"drop\", \"path\": \"/wp-json/wc/v3/orders\", \"page\": 2}", FALSE, 0 },
  { "{\"kind\": \"500\", \"path\": \"/wp-json/wc/v3/customers\", \"page\": 2, \"count\": 2}", FALSE, 0 },
  { "{\"kind\": \"429\", \"path\": \"/wp-json/wc/v3/orders\", \"page\": 3, \"retry_after\": 1}", FALSE, 1000 },
  { "{\"kind\": \"timeout\", \"path\": \"/wp-json/wc/v3/orders\", \"page\": 1, \"seconds\": 4}", FALSE, 2000 },
  { "{\"kind\": \"malformed\", \"path\": \"/wp-json/wc/v3/orders\", \"page\": 2}", TRUE, 0 },
  { "{\"kind\": \"repeat\", \"path\": \"/wp-json/wc/v3/orders\", \"page\": 2}", FALSE, 0 },
  { "{\"kind\": \"repeat\", \"path\": \"/wp-json/wc/v3/customers\", \"page\": 2}", FALSE, 0 },
  { "{\"kind\": \"change\", \"path\": \"/wp-json/wc/v3/orders\", \"page\": 2}", FALSE, 0 },
  { "{\"kind\": \"500\", \"path\": \"/wp-json/wc/v3/orders\", \"page\": 2, \"count\": 4}", TRUE, 0 },
};

static void
test_fault (gconstpointer data)
{
  const Fault *f = data;
  g_autoptr(CrmTestWoo) shop = crm_sync_test_woo_start (FALSE, (const char *const[]) { SEEDED, NULL });
  g_autoptr(Db) faulted = db_new (shop);
  g_autoptr(Db) clean = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = crm_sync_test_woo_control (shop, "fault", f->fault);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  CrmSyncCounts counts;
  gint64 start = g_get_monotonic_time ();
  gboolean ok = round_ (faulted, shop, &counts, &error);

  if (f->first_fails)
    {
      g_assert_false (ok);
      int code = strstr (f->fault, "malformed") != NULL ? CRM_WOO_ERROR_MALFORMED : CRM_WOO_ERROR_SERVER;

      g_assert_error (error, CRM_WOO_ERROR, code);
      g_test_message ("faulted round: %s", error->message);
      /* Nothing of the bad page is written, and the cursor has not moved. */
      g_assert_cmpint (count (faulted, "SELECT count(*) FROM sync_orders"), ==, 100);
      g_assert_null (crm_account_get_sync_token (faulted->account));
      g_clear_error (&error);
    }
  else
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, >=, f->min_ms);

  round_ok (faulted, shop, &counts);
  /* The shop as it is now, pulled once without faults. */
  clean = db_new (shop);
  round_ok (clean, shop, &counts);
  a = dump (faulted);
  b = dump (clean);
  g_assert_cmpstr (a, ==, b);
}

/* ---- auth and sites ------------------------------------------------------------------------------ */

static void
test_auth (void)
{
  g_autoptr(CrmTestWoo) shop = crm_sync_test_woo_start (FALSE, NULL);
  g_autoptr(CrmWoo) bad_secret = client (shop, "cs_wrong");
  g_autoptr(CrmWoo) bad_key = crm_woo_new (shop->base, "ck_wrong", shop->secret, NULL);
  g_autoptr(CrmWoo) good = client (shop, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  g_assert_null (crm_woo_check (bad_secret, &error));
  g_assert_error (error, CRM_WOO_ERROR, CRM_WOO_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "refused the key"));
  g_assert_nonnull (strstr (error->message, "signature"));
  g_clear_error (&error);
  g_assert_null (crm_woo_check (bad_key, &error));
  g_assert_error (error, CRM_WOO_ERROR, CRM_WOO_ERROR_REFUSED);
  g_clear_error (&error);
  name = crm_woo_check (good, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "Fake Shop");
  /* The secret is never in a request over plain HTTP: only its signature. */
  g_assert_cmpint (crm_woo_get_gmt_offset (good), ==, -3 * 3600);
}

static void
test_tls (void)
{
  g_autoptr(CrmTestWoo) shop = crm_sync_test_woo_start (TRUE, (const char *const[]) { "--customers", "5", "--orders", "5", NULL });
  g_autoptr(CrmWoo) untrusted = crm_woo_new (shop->base, shop->key, shop->secret, NULL);
  g_autoptr(CrmWoo) bad = crm_woo_new (shop->base, shop->key, "cs_wrong", NULL);
  g_autoptr(Db) db = db_new (shop);
  g_autoptr(GError) error = NULL;
  CrmSyncCounts counts;

  g_assert_null (crm_woo_check (untrusted, &error));
  g_assert_error (error, CRM_WOO_ERROR, CRM_WOO_ERROR_CERTIFICATE);
  g_assert_nonnull (strstr (error->message, shop->fingerprint));
  g_clear_error (&error);
  crm_woo_set_trusted_certificate (bad, shop->fingerprint);
  g_assert_null (crm_woo_check (bad, &error));
  g_assert_error (error, CRM_WOO_ERROR, CRM_WOO_ERROR_REFUSED);
  g_clear_error (&error);
  /* Basic auth over HTTPS. */
  round_ok (db, shop, &counts);
  g_assert_cmpint (count (db, "SELECT count(*) FROM sync_orders"), ==, 7);
}

/* A server that drops the Authorization header (PHP as CGI): the key goes in the query string,
 * as WooCommerce's documentation says. */
static void
test_tls_query_string (void)
{
  g_autoptr(CrmTestWoo) shop = crm_sync_test_woo_start (TRUE, (const char *const[]) { "--no-auth-header", NULL });
  g_autoptr(CrmWoo) woo = client (shop, NULL);
  g_autoptr(CrmWoo) bad = client (shop, "cs_wrong");
  g_autoptr(GError) error = NULL;
  g_autofree char *name = crm_woo_check (woo, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "Fake Shop");
  /* index, the probe with Basic (refused: no credentials seen), the probe in the query string */
  g_assert_cmpuint (crm_woo_get_requests (woo), ==, 3);
  g_assert_null (crm_woo_check (bad, &error));
  g_assert_error (error, CRM_WOO_ERROR, CRM_WOO_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "Consumer secret is invalid"));
}

static void
test_not_a_shop (void)
{
  g_autoptr(CrmTestWoo) site = crm_sync_test_woo_start (FALSE, (const char *const[]) { "--not-woo", NULL });
  g_autoptr(CrmWoo) woo = client (site, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (crm_woo_check (woo, &error));
  g_assert_error (error, CRM_WOO_ERROR, CRM_WOO_ERROR_NOT_A_SHOP);
  g_assert_nonnull (strstr (error->message, "not a WooCommerce site"));
}

/* ---- the CLI, with the secret in the keyring ---------------------------------------------------- */

static void
test_cli (void)
{
  g_autoptr(CrmTestWoo) shop = NULL;
  g_autofree char *db = NULL;
  g_autofree char *input = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *first;

  if (!crm_sync_test_keyring_start ())
    return;
  shop = crm_sync_test_woo_start (FALSE, (const char *const[]) { "--customers", "20", "--orders", "30", NULL });
  db = crm_test_db_path ();
  input = g_strconcat (shop->secret, "\n", NULL);
  g_assert_cmpint (crm_sync_test_cli (NULL, NULL, (const char *const[]) { "--database", db, "init", NULL }, NULL, NULL), ==, 0);
  g_assert_cmpint (crm_sync_test_cli (input, NULL, (const char *const[]) { "--database", db, "account", "add", "woocommerce",
                                                                           "--name", "Shop", "--url", shop->base, "--key", shop->key,
                                                                           "--secret-stdin", NULL }, NULL, &err), ==, 0);
  g_assert_cmpint (crm_sync_test_cli ("cs_wrong\n", NULL, (const char *const[]) { "--database", db, "account", "add", "woocommerce",
                                                                                  "--name", "Wrong", "--url", shop->base, "--key", shop->key,
                                                                                  "--secret-stdin", NULL }, NULL, NULL), ==, 0);
  g_assert_cmpint (crm_sync_test_cli (NULL, NULL, (const char *const[]) { "--database", db, "--json", "sync", "Shop", NULL }, &out, &err), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  first = json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "accounts"), 0);
  g_assert_cmpint (json_object_get_int_member (first, "pulled"), >=, 22 + 32);
  g_assert_cmpint (json_object_get_int_member (first, "errors"), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Every account: the wrong key fails (exit 1), the good one still syncs. */
  g_assert_cmpint (crm_sync_test_cli (NULL, NULL, (const char *const[]) { "--database", db, "--json", "sync", NULL }, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "refused the key"));
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  {
    JsonArray *accounts = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "accounts");

    g_assert_cmpuint (json_array_get_length (accounts), ==, 2);
    for (guint i = 0; i < 2; i++)
      {
        JsonObject *a = json_array_get_object_element (accounts, i);
        gboolean wrong = g_str_equal (json_object_get_string_member (a, "name"), "Wrong");

        g_assert_cmpint (json_object_get_int_member (a, "errors"), ==, wrong ? 1 : 0);
      }
  }
  g_assert_false (crm_sync_test_file_contains (db, shop->secret));
}

/* ---- the official client ------------------------------------------------------------------------- */

/* The ids of every page of @route as Clientele's client reads them (one line a page). */
static char *
c_pages (CrmTestWoo         *shop,
         const char         *route,
         const char *const  *params)
{
  g_autoptr(CrmWoo) woo = client (shop, NULL);
  GString *out = g_string_new (NULL);

  for (guint page = 1;; page++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
      CrmWooAnswer answer = { 0 };
      JsonArray *items;
      gboolean more;

      for (guint i = 0; params[i] != NULL; i++)
        g_ptr_array_add (all, g_strdup (params[i]));
      g_ptr_array_add (all, g_strdup ("page"));
      g_ptr_array_add (all, g_strdup_printf ("%u", page));
      g_ptr_array_add (all, NULL);
      g_assert_true (crm_woo_request (woo, "GET", route, (const char *const *) all->pdata, NULL, &answer, &error));
      g_assert_no_error (error);
      items = json_node_get_array (answer.root);
      g_string_append_printf (out, "%u %u:", page, answer.total_pages);
      for (guint i = 0; i < json_array_get_length (items); i++)
        g_string_append_printf (out, " %" G_GINT64_FORMAT, json_object_get_int_member (json_array_get_object_element (items, i), "id"));
      g_string_append_c (out, '\n');
      more = answer.has_next;
      crm_woo_answer_clear (&answer);
      if (!more)
        return g_string_free (out, FALSE);
    }
}

static char *
js_pages (CrmTestWoo         *shop,
          const char         *route,
          const char *const  *params)
{
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "woo-official.js", NULL);
  g_autofree char *module = g_test_build_filename (G_TEST_DIST, "woo-js", "node_modules", "@woocommerce", "woocommerce-rest-api", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  GString *pages = g_string_new (NULL);
  int status = 0;

  if (node == NULL)
    g_error ("node is not installed: the test runs the official WooCommerce client");
  if (!g_file_test (module, G_FILE_TEST_IS_DIR))
    g_error ("%s is missing: run build-aux/fetch-woo-client.sh", module);
  for (const char *const *a = (const char *const[]) { node, script, shop->base, shop->key, shop->secret, route, NULL }; *a; a++)
    g_ptr_array_add (argv, g_strdup (*a));
  for (guint i = 0; params[i] != NULL; i += 2)
    g_ptr_array_add (argv, g_strconcat (params[i], "=", params[i + 1], NULL));
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, 0, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *o;
      JsonArray *ids;

      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, NULL));
      o = json_node_get_object (json_parser_get_root (parser));
      if (json_object_get_int_member (o, "status") != 200)
        g_error ("the official client was refused: %s", lines[i]);
      ids = json_object_get_array_member (o, "ids");
      g_string_append_printf (pages, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT ":", json_object_get_int_member (o, "page"),
                              json_object_get_int_member (o, "total_pages"));
      for (guint j = 0; j < json_array_get_length (ids); j++)
        g_string_append_printf (pages, " %" G_GINT64_FORMAT, json_array_get_int_element (ids, j));
      g_string_append_c (pages, '\n');
    }
  return g_string_free (pages, FALSE);
}

static void
test_official_client (void)
{
  g_autoptr(CrmTestWoo) shop = crm_sync_test_woo_start (FALSE, (const char *const[]) { SEEDED, NULL });
  const char *const orders[] = { "per_page", "100", "orderby", "id", "order", "asc", "dates_are_gmt", "true",
                                 "modified_after", "2024-01-01T01:00:00", NULL };
  const char *const customers[] = { "per_page", "40", NULL };
  const char *const defaults[] = { NULL };
  g_autofree char *c_orders = c_pages (shop, "orders", orders);
  g_autofree char *js_orders = js_pages (shop, "orders", orders);
  g_autofree char *c_customers = c_pages (shop, "customers", customers);
  g_autofree char *js_customers = js_pages (shop, "customers", customers);
  g_autofree char *c_default = c_pages (shop, "orders", defaults);
  g_autofree char *js_default = js_pages (shop, "orders", defaults);

  /* 250 seeded orders every 30 s from midnight: those after 01:00 are 130, in 2 pages. */
  g_assert_cmpstr (c_orders, ==, js_orders);
  g_assert_nonnull (strstr (c_orders, "2 2:"));
  g_assert_cmpstr (c_customers, ==, js_customers);
  g_assert_nonnull (strstr (c_customers, "4 4:"));
  /* The defaults: 10 a page, newest first. */
  g_assert_cmpstr (c_default, ==, js_default);
  g_assert_true (g_str_has_prefix (c_default, "1 26: 1250 1249"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  crm_test_init (&argc, &argv);
  g_test_add_func ("/woo/pull", test_pull);
  g_test_add_func ("/woo/incremental", test_incremental);
  g_test_add_func ("/woo/identity", test_identity);
  g_test_add_func ("/woo/push", test_push);
  g_test_add_func ("/woo/conflict", test_conflict);
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autofree char *name = NULL;
      const char *kind = strstr (faults[i].fault, "\"kind\": \"") + 9;
      const char *path = strstr (faults[i].fault, "/v3/") + 4;

      name = g_strdup_printf ("/woo/fault/%.*s-%.*s%s", (int) (strchr (kind, '"') - kind), kind,
                              (int) (strchr (path, '"') - path), path, strstr (faults[i].fault, "\"count\": 4") ? "-persistent" : "");
      g_test_add_data_func (name, &faults[i], test_fault);
    }
  g_test_add_func ("/woo/auth", test_auth);
  g_test_add_func ("/woo/tls", test_tls);
  g_test_add_func ("/woo/tls-query-string", test_tls_query_string);
  g_test_add_func ("/woo/not-a-shop", test_not_a_shop);
  g_test_add_func ("/woo/cli", test_cli);
  g_test_add_func ("/woo/official-client", test_official_client);
  status = g_test_run ();
  crm_sync_test_keyring_stop ();
  return status;
}

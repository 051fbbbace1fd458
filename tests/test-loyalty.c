/* test-loyalty.c: the points ledger — earning from every writer of orders, edits and refunds
 * reversing, redemption never beyond the balance, first-in-first-out expiry, and the cached
 * balance always equal to the ledger's sum.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <string.h>

#include "crm-customer.h"
#include "crm-import.h"
#include "crm-import-tuning-private.h"
#include "crm-order.h"
#include "crm-points-private.h"
#include "crm-recompute.h"
#include "crm-sales.h"
#include "crm-test-util.h"
#include "crm-tiers.h"

#define DAY (G_GINT64_CONSTANT (86400000))

static gint64
local_ms (int y, int mo, int d, int h, int mi, int s)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local (y, mo, d, h, mi, s);

  return g_date_time_to_unix (dt) * 1000;
}

/* A database whose writes earn points, as a session's do; the programme started long ago. */
static CrmStore *
loyalty_store (gboolean with_recompute)
{
  g_autoptr(GError) error = NULL;
  CrmStore *store = crm_test_store_new (NULL);
  CrmPointsSettings s;

  if (with_recompute)
    crm_recompute_watch_orders (store);
  crm_points_watch_orders (store);
  crm_points_settings_load (store, &s);
  s.start = 1;
  g_assert_true (crm_points_settings_save (store, &s, &error));
  g_assert_no_error (error);
  return store;
}

/* The cache every list reads equals the ledger's sum for every customer. */
static void
assert_cache_is_sum (CrmStore *store)
{
  g_assert_cmpint (crm_test_query_int (store,
    "SELECT count(*) FROM (SELECT customer_id, sum(points) AS s FROM points_ledger GROUP BY customer_id) l"
    " LEFT JOIN points_balances b USING (customer_id) WHERE b.balance IS NOT l.s"), ==, 0);
  g_assert_cmpint (crm_test_query_int (store,
    "SELECT count(*) FROM points_balances b WHERE b.balance <>"
    " (SELECT coalesce(sum(points), 0) FROM points_ledger l WHERE l.customer_id = b.customer_id)"), ==, 0);
}

static gint64
balance_of (CrmStore *store,
            gint64    customer_id)
{
  g_autoptr(GError) error = NULL;
  CrmPointsBalance b;

  g_assert_true (crm_points_get_balance (store, customer_id, 0, &b, &error));
  g_assert_no_error (error);
  assert_cache_is_sum (store);
  return b.balance;
}

static gint64
order_points (CrmStore *store,
              gint64    order_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce(sum(points), 0) FROM points_ledger WHERE order_id = %"
                                          G_GINT64_FORMAT " AND kind IN ('earn', 'reverse')", order_id);
  return crm_test_query_int (store, sql);
}

static CrmOrder *
load_order (CrmStore *store,
            gint64    id)
{
  g_autoptr(GError) error = NULL;
  CrmOrder *order = crm_store_load (store, CRM_TYPE_ORDER, id, &error);

  g_assert_no_error (error);
  return order;
}

/* A paid order earns 1 point per ¥1 (rounded down); pending earns nothing until it is paid; an
 * edit re-computes; a cancel and a delete reverse everything. */
static void
test_earn_orders (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = loyalty_store (FALSE);
  g_autoptr(CrmOrder) order = NULL;
  gint64 id = crm_test_add_customer (store, "Lin Fang");
  gint64 now = g_get_real_time () / 1000;
  gint64 paid = crm_test_add_order (store, id, now - DAY, 123456, "completed");
  gint64 pending = crm_test_add_order (store, id, now - DAY, 50000, "pending");

  g_assert_cmpint (order_points (store, paid), ==, 1234);
  g_assert_cmpint (order_points (store, pending), ==, 0);
  g_assert_cmpint (balance_of (store, id), ==, 1234);

  order = load_order (store, pending);
  crm_order_set_status (order, "paid");
  g_assert_true (crm_store_update (store, CRM_ENTITY (order), &error));
  g_assert_no_error (error);
  g_assert_cmpint (order_points (store, pending), ==, 500);

  /* Edited up and down: each change is one more entry, the order's sum what it earns now. */
  crm_order_set_total (order, 80099);
  g_assert_true (crm_store_update (store, CRM_ENTITY (order), &error));
  g_assert_cmpint (order_points (store, pending), ==, 800);
  crm_order_set_total (order, 20000);
  g_assert_true (crm_store_update (store, CRM_ENTITY (order), &error));
  g_assert_cmpint (order_points (store, pending), ==, 200);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM points_ledger WHERE kind = 'reverse'"), ==, 1);

  crm_order_set_status (order, "cancelled");
  g_assert_true (crm_store_update (store, CRM_ENTITY (order), &error));
  g_assert_cmpint (order_points (store, pending), ==, 0);
  g_clear_object (&order);

  order = load_order (store, paid);
  g_assert_true (crm_store_delete (store, CRM_ENTITY (order), &error));
  g_assert_no_error (error);
  g_assert_cmpint (order_points (store, paid), ==, 0);
  g_assert_cmpint (balance_of (store, id), ==, 0);
  /* Restored, it earns again, at the rate it first earned. */
  g_assert_true (crm_store_restore (store, CRM_ENTITY (order), &error));
  g_assert_cmpint (order_points (store, paid), ==, 1234);
  g_assert_cmpint (balance_of (store, id), ==, 1234);

  /* A synced order (written by a sync account) earns like any other. */
  crm_store_set_origin (store, "woo:1");
  paid = crm_test_add_order (store, id, now - DAY, 1999, NULL);
  crm_store_set_origin (store, NULL);
  g_assert_cmpint (order_points (store, paid), ==, 19);

  /* The ledger is append-only. */
  g_assert_false (crm_store_exec (store, "UPDATE points_ledger SET points = 1000000", &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "append-only"));
}

/* Orders before the programme's start earn nothing; moving the start earlier earns them, later
 * reverses them. */
static void
test_start_date (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  CrmPointsSettings s;
  gint64 now = g_get_real_time () / 1000;
  gint64 id, old, recent;

  crm_points_watch_orders (store);
  crm_points_settings_load (store, &s);
  /* A new database's programme starts when it was made. */
  g_assert_cmpint (s.start, >, now - 60000);
  g_assert_cmpint (s.start, <=, now + 1000);
  g_assert_cmpint (s.expiry_months, ==, 12);
  g_assert_cmpfloat (s.points_per_unit, ==, 1.0);

  id = crm_test_add_customer (store, "Wang Lei");
  old = crm_test_add_order (store, id, now - 400 * DAY, 10000, NULL);
  recent = crm_test_add_order (store, id, now + 1000, 20000, NULL);
  g_assert_cmpint (order_points (store, old), ==, 0);
  g_assert_cmpint (order_points (store, recent), ==, 200);

  s.start = now - 500 * DAY;
  g_assert_true (crm_points_settings_save (store, &s, &error));
  g_assert_no_error (error);
  g_assert_cmpint (order_points (store, old), ==, 100);

  s.start = now - 100 * DAY;
  s.points_per_unit = 2;
  g_assert_true (crm_points_settings_save (store, &s, &error));
  g_assert_cmpint (order_points (store, old), ==, 0);
  /* A new rate is for orders that earn from now on, never for past ones. */
  g_assert_cmpint (order_points (store, recent), ==, 200);
  g_assert_cmpint (order_points (store, crm_test_add_order (store, id, now + 2000, 10000, NULL)), ==, 200);

  s.expiry_months = 0;
  g_assert_false (crm_points_settings_save (store, &s, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  s.expiry_months = 12;
  s.points_per_unit = 0;
  g_assert_false (crm_points_settings_save (store, &s, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  crm_points_settings_load (store, &s);
  g_assert_cmpfloat (s.points_per_unit, ==, 2.0);
}

static CrmOrderLine *
line_new (const char *product,
          gint64      price)
{
  CrmOrderLine *line = crm_order_line_new ();

  crm_order_line_set_product (line, product);
  crm_order_line_set_quantity (line, 1);
  crm_order_line_set_unit_price (line, price);
  return line;
}

static gint64
sell (CrmStore *store,
      gint64    customer_id,
      gint64    price)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmOrder) order = crm_order_new ();
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (lines, line_new ("Tea", price));
  crm_order_set_customer_id (order, customer_id);
  g_assert_true (crm_sales_add_order (store, order, lines, &error));
  g_assert_no_error (error);
  return crm_entity_get_id (CRM_ENTITY (order));
}

/* A refund reverses its share of what the order earned, even when the points were spent: the
 * balance goes negative and says so. */
static void
test_refund_after_spending (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = loyalty_store (FALSE);
  g_autoptr(CrmRefund) r1 = NULL;
  g_autoptr(CrmRefund) r2 = NULL;
  g_autoptr(CrmRefund) r3 = NULL;
  gint64 id = crm_test_add_customer (store, "Zhao Min");
  gint64 order = sell (store, id, 100000);
  gint64 odd = sell (store, id, 33333);
  CrmPointsBalance b;

  g_assert_cmpint (balance_of (store, id), ==, 1333);
  g_assert_true (crm_points_redeem (store, id, 1200, order, "Gift", &error));
  g_assert_no_error (error);
  g_assert_cmpint (balance_of (store, id), ==, 133);
  g_assert_cmpint (crm_test_query_int (store, "SELECT order_id FROM points_ledger WHERE kind = 'redeem'"), ==, order);

  /* Half of ¥1,000 back: 500 of its 1,000 points reverse. */
  r1 = crm_sales_refund (store, order, 50000, "Broken cup", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (order_points (store, order), ==, 500);
  g_assert_cmpint (balance_of (store, id), ==, -367);
  g_assert_true (crm_points_get_balance (store, id, 0, &b, &error));
  g_assert_cmpint (b.balance, ==, -367);

  /* ¥100 of ¥333.33: the order earns what ¥233.33 earns. */
  r2 = crm_sales_refund (store, odd, 10000, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (order_points (store, odd), ==, 233);

  /* The rest: nothing earned is left of the order. */
  r3 = crm_sales_refund (store, order, 0, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (order_points (store, order), ==, 0);
  g_assert_cmpint (balance_of (store, id), ==, 233 - 1200);

  /* Nothing may be redeemed from a negative balance. */
  g_assert_false (crm_points_redeem (store, id, 1, 0, NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Not enough points"));
}

/* The birthday-month bonus applies from the first to the last moment of the month, local time. */
static void
test_birthday_edges (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = loyalty_store (FALSE);
  g_autoptr(CrmCustomer) c = NULL;
  CrmPointsSettings s;
  gint64 id = crm_test_add_customer (store, "Chen Jing");
  struct { gint64 at; gint64 points; } cases[] = {
    { local_ms (2024, 2, 29, 23, 59, 59), 100 },
    { local_ms (2024, 3, 1, 0, 0, 0), 250 },
    { local_ms (2024, 3, 31, 23, 59, 59), 250 },
    { local_ms (2024, 4, 1, 0, 0, 0), 100 },
    { local_ms (2025, 3, 15, 12, 0, 0), 250 },
  };

  crm_points_settings_load (store, &s);
  s.birthday_multiplier = 2.5;
  g_assert_true (crm_points_settings_save (store, &s, &error));
  c = crm_store_load (store, CRM_TYPE_CUSTOMER, id, &error);
  crm_customer_set_birthday (c, "1990-03-31");
  g_assert_true (crm_store_update (store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 order = crm_test_add_order (store, id, cases[i].at, 10000, NULL);

      g_test_message ("case %u", i);
      g_assert_cmpint (order_points (store, order), ==, cases[i].points);
    }

  /* Without a birthday, no bonus. */
  g_assert_cmpint (order_points (store, crm_test_add_order (store, crm_test_add_customer (store, "No Birthday"),
                                                            cases[1].at, 10000, NULL)), ==, 100);
}

static gint64
tier_id_of (CrmStore   *store,
            const char *preset)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM tiers WHERE preset = '%s'", preset);
  return crm_test_query_int (store, sql);
}

/* The tier's multiplier is the one the customer had when the order was placed: the order that
 * made them Silver earns at their tier before it, the next at Silver's 1.2×, an old order
 * found later at the tier of its time. */
static void
test_tier_at_order_time (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = loyalty_store (TRUE);
  gint64 now = g_get_real_time () / 1000;
  gint64 id = crm_test_add_customer (store, "Sun Li");
  gint64 first, second, third, old;

  g_assert_true (crm_tiers_ensure_default (store, &error));
  g_assert_no_error (error);
  g_assert_true (crm_store_exec (store, "UPDATE tiers SET points_multiplier = 1.0 WHERE preset = 'regular'", &error));

  first = crm_test_add_order (store, id, now - 1000, 100000, NULL);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT tier_id FROM customer_state WHERE customer_id = %" G_GINT64_FORMAT, id);
    g_assert_cmpint (crm_test_query_int (store, sql), ==, tier_id_of (store, "silver"));
  }
  g_assert_cmpint (order_points (store, first), ==, 1000);

  second = crm_test_add_order (store, id, now + 60000, 10000, NULL);
  g_assert_cmpint (order_points (store, second), ==, 120);

  /* A tier's new multiplier is for later orders. */
  g_assert_true (crm_store_exec (store, "UPDATE tiers SET points_multiplier = 3.0 WHERE preset = 'silver'", &error));
  third = crm_test_add_order (store, id, now + 120000, 10000, NULL);
  g_assert_cmpint (order_points (store, third), ==, 300);
  g_assert_cmpint (order_points (store, second), ==, 120);

  /* An order of last year, entered now: the customer had no tier then. */
  old = crm_test_add_order (store, id, now - 300 * DAY, 10000, NULL);
  g_assert_cmpint (order_points (store, old), ==, 100);
  /* (Two of the orders are dated a minute ahead: the cache, not the balance as of now.) */
  g_assert_cmpint (crm_test_query_int (store, "SELECT balance FROM points_balances"), ==, 1000 + 120 + 300 + 100);
  assert_cache_is_sum (store);
}

static char *
orders_csv (guint n_customers,
            guint per_customer)
{
  GString *csv = g_string_new ("number,placed_at,customer_email,total,currency\n");

  for (guint c = 0; c < n_customers; c++)
    for (guint o = 0; o < per_customer; o++)
      g_string_append_printf (csv, "N%u-%u,2026-0%u-1%u,c%u@example.com,%u.%02u,CNY\n", c, o, 1 + o % 9, o % 10,
                              c, 10 + c % 500, (c * 7 + o) % 100);
  return g_string_free (csv, FALSE);
}

static gint64
expected_points (guint n_customers,
                 guint per_customer)
{
  gint64 sum = 0;

  for (guint c = 0; c < n_customers; c++)
    sum += (gint64) per_customer * (10 + c % 500);
  return sum;
}

static void
import_orders (CrmStore      *store,
               const char    *csv,
               CrmImportMode  mode)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = crm_test_write_file ("orders.csv", csv, -1);
  g_autoptr(CrmImporter) imp = crm_importer_new (store, CRM_IMPORT_ORDERS, path);
  CrmImportTuning tuning = { .mode = mode };

  crm_importer_set_tuning (imp, &tuning);
  crm_importer_set_duplicate_policy (imp, CRM_DUPLICATE_SKIP);
  g_assert_true (crm_importer_prepare (imp, NULL, &error));
  g_assert_true (crm_importer_run (imp, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (crm_importer_get_report (imp)->rejected, ==, 0);
}

/* Imported orders earn, in the import's transaction (the hook's one set-based statement over
 * the customers the import touched), incremental and bulk; a second import of the same file
 * earns nothing twice. */
static void
test_import_earns (void)
{
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(CrmStore) store = loyalty_store (FALSE);
      guint customers = round == 0 ? 40 : 6000;
      g_autofree char *csv = orders_csv (customers, round == 0 ? 3 : 1);
      gint64 want = expected_points (customers, round == 0 ? 3 : 1);

      import_orders (store, csv, round == 0 ? CRM_IMPORT_MODE_INCREMENTAL : CRM_IMPORT_MODE_BULK);
      g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM orders"), ==, customers * (round == 0 ? 3 : 1));
      g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM points_ledger WHERE kind = 'earn'"), ==,
                       crm_test_query_int (store, "SELECT count(*) FROM orders"));
      g_assert_cmpint (crm_test_query_int (store, "SELECT sum(points) FROM points_ledger"), ==, want);
      g_assert_cmpint (crm_test_query_int (store, "SELECT sum(balance) FROM points_balances"), ==, want);
      assert_cache_is_sum (store);

      /* Imported again: every order earns once, the old ones no more. */
      import_orders (store, csv, CRM_IMPORT_MODE_INCREMENTAL);
      g_assert_cmpint (crm_test_query_int (store, "SELECT sum(points) FROM points_ledger"), ==,
                       crm_test_query_int (store, "SELECT sum(total / 100) FROM orders"));
      g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM points_ledger"), ==,
                       crm_test_query_int (store, "SELECT count(*) FROM orders"));
    }
}

/* Redemption: never more than the balance, at least the minimum, only the customer's own order;
 * a refusal writes nothing. */
static void
test_redeem_refusals (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = loyalty_store (FALSE);
  gint64 now = g_get_real_time () / 1000;
  gint64 a = crm_test_add_customer (store, "A");
  gint64 b = crm_test_add_customer (store, "B");
  gint64 order_b = crm_test_add_order (store, b, now, 1000, NULL);
  CrmPointsSettings s;
  gint64 rows;

  g_assert_true (crm_points_add (store, a, CRM_POINTS_EARN, 300, "Welcome gift", 0, &error));
  g_assert_no_error (error);
  rows = crm_test_query_int (store, "SELECT count(*) FROM points_ledger");

  g_assert_false (crm_points_redeem (store, a, 301, 0, NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "has 300, 301 points were asked for"));
  g_clear_error (&error);
  g_assert_false (crm_points_redeem (store, a, 10, order_b, NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (crm_points_redeem (store, a, 0, 0, NULL, &error));
  g_clear_error (&error);
  g_assert_false (crm_points_add (store, a, CRM_POINTS_ADJUST, -301, "Mistake", 0, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (crm_points_add (store, a, CRM_POINTS_ADJUST, 5, NULL, 0, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (crm_points_add (store, 999, CRM_POINTS_EARN, 5, NULL, 0, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  crm_points_settings_load (store, &s);
  s.min_redemption = 100;
  g_assert_true (crm_points_settings_save (store, &s, &error));
  g_assert_false (crm_points_redeem (store, a, 99, 0, NULL, &error));
  g_assert_nonnull (strstr (error->message, "at least 100 points"));
  g_clear_error (&error);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM points_ledger"), ==, rows);

  g_assert_true (crm_points_redeem (store, a, 300, 0, NULL, &error));
  g_assert_cmpint (balance_of (store, a), ==, 0);
}

/* What the reference model holds: lots in expiry order with what is left of each. */
typedef struct
{
  gint64 expires_at;
  gint64 left;
} Lot;

static gint64
model_expire (GArray *lots,
              gint64  now)
{
  gint64 expired = 0;

  for (guint i = 0; i < lots->len; i++)
    {
      Lot *lot = &g_array_index (lots, Lot, i);

      if (lot->expires_at <= now)
        {
          expired += lot->left;
          lot->left = 0;
        }
    }
  return expired;
}

static gint64
model_balance (GArray *lots)
{
  gint64 sum = 0;

  for (guint i = 0; i < lots->len; i++)
    sum += g_array_index (lots, Lot, i).left;
  return sum;
}

/* Spends from the lots that expire first. */
static void
model_spend (GArray *lots,
             gint64  points)
{
  for (guint i = 0; points > 0 && i < lots->len; i++)
    {
      Lot *lot = &g_array_index (lots, Lot, i);
      gint64 take = MIN (lot->left, points);

      lot->left -= take;
      points -= take;
    }
  g_assert_cmpint (points, ==, 0);
}

static gint64
add_months_utc (gint64 at,
                guint  months)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (at / 1000);
  g_autoptr(GDateTime) e = g_date_time_add_months (t, months);

  return g_date_time_to_unix (e) * 1000 + at % 1000;
}

/* Random sequences of earning, spending, adjusting and expiry runs, checked after every step
 * against a model that keeps each lot: the balance (also as of earlier dates), the points an
 * expiry run takes (first in, first out), what expires next, refusals exactly when more than the
 * balance is asked for, and the cache equal to the sum. */
static void
test_random_invariants (void)
{
  for (guint seed = 1; seed <= 12; seed++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CrmStore) store = loyalty_store (FALSE);
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(GArray) lots = g_array_new (FALSE, FALSE, sizeof (Lot));
      gint64 id = crm_test_add_customer (store, "Random");
      gint64 now = local_ms (2024, 1, 1, 9, 0, 0);
      CrmPointsBalance b;

      for (guint step = 0; step < 150; step++)
        {
          guint op = g_rand_int_range (rand, 0, 10);
          gint64 balance;

          now += g_rand_int_range (rand, 1, 40) * DAY + g_rand_int_range (rand, 0, 86400) * 1000;
          crm_points_set_clock_for_testing (now);
          if (op < 4)
            {
              gint64 n = g_rand_int_range (rand, 1, 500);
              Lot lot = { add_months_utc (now, 12), n };

              g_assert_true (crm_points_add (store, id, op == 0 ? CRM_POINTS_ADJUST : CRM_POINTS_EARN, n,
                                             "Bonus", now, &error));
              g_assert_no_error (error);
              g_array_append_val (lots, lot);
            }
          else if (op < 8)
            {
              gint64 n = g_rand_int_range (rand, 1, 600);
              gboolean ok;

              model_expire (lots, now);
              balance = model_balance (lots);
              ok = op < 7 ? crm_points_redeem (store, id, n, 0, NULL, &error)
                          : crm_points_add (store, id, CRM_POINTS_ADJUST, -n, "Correction", now, &error);
              g_assert_cmpint (ok, ==, n <= balance);
              if (ok)
                model_spend (lots, n);
              else
                {
                  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
                  g_clear_error (&error);
                }
            }
          else
            {
              gint64 points = -1, customers = -1;
              gint64 due = model_expire (lots, now);

              g_assert_true (crm_points_expire (store, now, &points, &customers, &error));
              g_assert_no_error (error);
              /* At least what fell due since the last step (more if nothing wrote it since). */
              g_assert_cmpint (points, >=, due);
              g_assert_cmpint (customers, ==, points > 0 ? 1 : 0);
              g_assert_cmpint (crm_test_query_int (store, "SELECT sum(points) FROM points_ledger"), ==,
                               model_balance (lots));
            }

          /* The balance as of now and as of later dates. */
          model_expire (lots, now);
          g_assert_true (crm_points_get_balance (store, id, now, &b, &error));
          g_assert_cmpint (b.balance, ==, model_balance (lots));
          g_assert_cmpint (b.balance, >=, 0);
          {
            gint64 next_at = 0, next = 0;

            for (guint i = 0; i < lots->len; i++)
              {
                Lot *lot = &g_array_index (lots, Lot, i);

                if (lot->left > 0 && (next_at == 0 || lot->expires_at < next_at))
                  next_at = lot->expires_at;
              }
            for (guint i = 0; i < lots->len; i++)
              if (g_array_index (lots, Lot, i).expires_at == next_at)
                next += g_array_index (lots, Lot, i).left;
            g_assert_cmpint (b.expiring_at, ==, next_at);
            g_assert_cmpint (b.expiring_next, ==, next);
          }
          assert_cache_is_sum (store);
        }
      crm_points_set_clock_for_testing (0);
    }
}

/* The ledger browser's filters, and the liability. */
static void
test_list_and_liability (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = loyalty_store (FALSE);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) redeemed = NULL;
  g_autoptr(GPtrArray) period = NULL;
  gint64 now = g_get_real_time () / 1000;
  gint64 a = crm_test_add_customer (store, "Li Na");
  gint64 b = crm_test_add_customer (store, "Guo Jie");
  CrmPointsFilter f = { -1, 0, 0, 0, NULL };
  CrmPointsLiability l;
  CrmPointsSettings s;

  crm_test_add_order (store, a, now - 10 * DAY, 50000, NULL);
  crm_test_add_order (store, b, now - 5 * DAY, 20000, NULL);
  g_assert_true (crm_points_redeem (store, a, 100, 0, "Mug", &error));
  g_assert_no_error (error);

  all = crm_points_list (store, NULL, 0, &error);
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpint (((CrmPointsEntry *) all->pdata[0])->kind, ==, CRM_POINTS_REDEEM);
  g_assert_cmpstr (((CrmPointsEntry *) all->pdata[0])->reason, ==, "Mug");
  g_assert_cmpstr (((CrmPointsEntry *) all->pdata[0])->customer_name, ==, "Li Na");
  g_assert_nonnull (((CrmPointsEntry *) all->pdata[2])->order_uuid);
  g_assert_cmpint (((CrmPointsEntry *) all->pdata[2])->expires_at, ==, add_months_utc (now - 10 * DAY, 12));

  f.kind = CRM_POINTS_REDEEM;
  redeemed = crm_points_list (store, &f, 0, &error);
  g_assert_cmpuint (redeemed->len, ==, 1);
  f.kind = -1;
  f.customer_id = b;
  f.from = now - 7 * DAY;
  f.until = now;
  period = crm_points_list (store, &f, 0, &error);
  g_assert_cmpuint (period->len, ==, 1);
  g_assert_cmpint (((CrmPointsEntry *) period->pdata[0])->points, ==, 200);
  {
    CrmPointsFilter by_name = { -1, 0, 0, 0, "li n" };
    g_autoptr(GPtrArray) named = crm_points_list (store, &by_name, 0, &error);

    g_assert_cmpuint (named->len, ==, 2);
    g_assert_cmpstr (((CrmPointsEntry *) named->pdata[1])->customer_name, ==, "Li Na");
  }

  crm_points_settings_load (store, &s);
  s.point_value = 2;
  g_assert_true (crm_points_settings_save (store, &s, &error));
  g_assert_true (crm_points_get_liability (store, &l, &error));
  g_assert_cmpint (l.outstanding, ==, 600);
  g_assert_cmpint (l.customers, ==, 2);
  g_assert_cmpint (l.value, ==, 1200);
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/loyalty/earn/orders", test_earn_orders);
  g_test_add_func ("/loyalty/earn/start-date", test_start_date);
  g_test_add_func ("/loyalty/earn/refund-after-spending", test_refund_after_spending);
  g_test_add_func ("/loyalty/earn/birthday-edges", test_birthday_edges);
  g_test_add_func ("/loyalty/earn/tier-at-order-time", test_tier_at_order_time);
  g_test_add_func ("/loyalty/earn/import", test_import_earns);
  g_test_add_func ("/loyalty/redeem/refusals", test_redeem_refusals);
  g_test_add_func ("/loyalty/ledger/random-invariants", test_random_invariants);
  g_test_add_func ("/loyalty/ledger/list-and-liability", test_list_and_liability);

  return g_test_run ();
}

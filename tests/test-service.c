/* test-service.c: a sale recorded by hand, its refunds, and the interaction timeline.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <string.h>
#include <time.h>

#include "crm-customer.h"
#include "crm-feedback.h"
#include "crm-interaction.h"
#include "crm-merge.h"
#include "crm-query.h"
#include "crm-recompute.h"
#include "crm-sales.h"
#include "crm-test-util.h"
#include "crm-tier.h"
#include "crm-tiers.h"
#include "crm-timeline.h"

#define DAY (G_GINT64_CONSTANT (86400000))

static CrmCustomer *
reload_customer (CrmStore *store,
                 gint64    id)
{
  g_autoptr(GError) error = NULL;
  CrmCustomer *c = crm_store_load (store, CRM_TYPE_CUSTOMER, id, &error);

  g_assert_no_error (error);
  return c;
}

static gint64
tier_id_of (CrmStore   *store,
            const char *preset)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM tiers WHERE preset = '%s'", preset);
  return crm_test_query_int (store, sql);
}

static CrmOrderLine *
line_new (const char *product,
          gint64      quantity,
          gint64      price)
{
  CrmOrderLine *line = crm_order_line_new ();

  crm_order_line_set_product (line, product);
  crm_order_line_set_quantity (line, quantity);
  crm_order_line_set_unit_price (line, price);
  return line;
}

/* An order with two items and a discount: totals in minor units, and what the customer shows
 * at once — spent, count, tier, stage — in the same transaction. */
static void
test_order_add (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  g_autoptr(CrmOrder) order = crm_order_new ();
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(CrmCustomer) c = NULL;
  gint64 id = crm_test_add_customer (store, "Lin Fang");

  /* What every session adds to its connections. */
  crm_recompute_watch_orders (store);
  g_assert_true (crm_tiers_ensure_default (store, &error));
  g_assert_no_error (error);
  c = reload_customer (store, id);
  g_assert_cmpint (crm_customer_get_lifecycle (c), ==, CRM_LIFECYCLE_PROSPECT);

  g_ptr_array_add (lines, line_new ("Green tea", 2, 3850));
  g_ptr_array_add (lines, line_new ("Tea set", 1, 92500));
  crm_order_set_customer_id (order, id);
  crm_order_set_discount (order, 200);
  crm_order_set_channel (order, "store");
  crm_order_set_payment_method (order, "cash");
  g_assert_true (crm_sales_add_order (store, order, lines, &error));
  g_assert_no_error (error);

  g_assert_cmpint (crm_order_get_subtotal (order), ==, 100200);
  g_assert_cmpint (crm_order_get_total (order), ==, 100000);
  g_assert_cmpstr (crm_order_get_status (order), ==, "paid");
  g_assert_cmpstr (crm_order_get_currency (order), ==, "CNY");
  g_assert_cmpint (crm_order_get_refunded (order), ==, 0);
  stored = crm_store_list (store, CRM_TYPE_ORDER_LINE, "order_id", crm_entity_get_id (CRM_ENTITY (order)), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 2);
  g_assert_cmpint (crm_test_query_int (store, "SELECT sum(amount) FROM order_lines"), ==, 100200);
  g_assert_cmpint (crm_test_query_int (store, "SELECT amount FROM order_lines WHERE product = 'Green tea'"), ==, 7700);
  {
    g_autofree char *method = crm_test_query_text (store, "SELECT payment_method FROM orders");
    g_assert_cmpstr (method, ==, "cash");
  }

  g_clear_object (&c);
  c = reload_customer (store, id);
  g_assert_cmpint (crm_customer_get_total_spent (c), ==, 100000);
  g_assert_cmpint (crm_customer_get_order_count (c), ==, 1);
  g_assert_cmpint (crm_customer_get_lifecycle (c), ==, CRM_LIFECYCLE_NEW);
  /* Silver starts at ¥1,000.00. */
  g_assert_cmpint (crm_customer_get_tier_id (c), ==, tier_id_of (store, "silver"));

  g_assert_cmpint (crm_test_journal_count (store, CRM_JOURNAL_ENTITY_ORDER, CRM_JOURNAL_INSERT), ==, 1);
  g_assert_cmpint (crm_test_journal_count (store, CRM_JOURNAL_ENTITY_ORDER_LINE, CRM_JOURNAL_INSERT), ==, 2);
}

/* Bad orders are refused with a message and leave nothing behind. */
static void
test_order_invalid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  g_autoptr(CrmCustomer) gone = NULL;
  gint64 id = crm_test_add_customer (store, "Zhou Min");
  gint64 gone_id = crm_test_add_customer (store, "Deleted Dai");
  gint64 journal = crm_test_journal_count (store, 0, 0);
  struct { gint64 quantity, price, discount; const char *product; gint64 customer; } cases[] = {
    { 0, 1000, 0, "Tea", 0 },          /* no quantity */
    { 1, -5, 0, "Tea", 0 },            /* negative price */
    { 1, 1000, 1001, "Tea", 0 },       /* discount above the items */
    { 1, 1000, 0, "  ", 0 },           /* no product */
    { 1, 1000, 0, "Tea", -1 },         /* deleted customer */
    { 1, G_MAXINT64 / 2, 0, "Tea", 0 }, /* overflow */
  };

  gone = reload_customer (store, gone_id);
  g_assert_true (crm_store_delete (store, CRM_ENTITY (gone), &error));
  journal = crm_test_journal_count (store, 0, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CrmOrder) order = crm_order_new ();
      g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_object_unref);

      g_ptr_array_add (lines, line_new (cases[i].product, cases[i].quantity, cases[i].price));
      crm_order_set_customer_id (order, cases[i].customer < 0 ? gone_id : id);
      crm_order_set_discount (order, cases[i].discount);
      g_assert_false (crm_sales_add_order (store, order, lines, &error));
      g_assert_nonnull (error);
      g_test_message ("case %u: %s", i, error->message);
      g_clear_error (&error);
      g_assert_cmpint (crm_entity_get_id (CRM_ENTITY (order)), ==, 0);
    }

  {
    g_autoptr(CrmOrder) order = crm_order_new ();
    g_autoptr(GPtrArray) none = g_ptr_array_new ();

    crm_order_set_customer_id (order, id);
    g_assert_false (crm_sales_add_order (store, order, none, &error));
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }

  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM orders"), ==, 0);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM order_lines"), ==, 0);
  g_assert_cmpint (crm_test_journal_count (store, 0, 0), ==, journal);
}

static void
test_parse_item (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmOrderLine) a = crm_sales_parse_item ("Green tea:2:38.50", "CNY", &error);
  g_autoptr(CrmOrderLine) b = NULL;
  g_autoptr(CrmOrderLine) y = NULL;
  const char *bad[] = { "Tea", "Tea:2", ":2:10", "Tea:0:10", "Tea:two:10", "Tea:2:-1", "Tea:2:abc",
                        "Tea:2:10.123", "a:b:c:d:e", "Tea:1.5:10" };

  g_assert_no_error (error);
  g_assert_cmpstr (crm_order_line_get_product (a), ==, "Green tea");
  g_assert_cmpint (crm_order_line_get_quantity (a), ==, 2);
  g_assert_cmpint (crm_order_line_get_unit_price (a), ==, 3850);
  g_assert_null (crm_order_line_get_category (a));

  b = crm_sales_parse_item ("茶杯:1:1,200:茶具", "CNY", &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_order_line_get_unit_price (b), ==, 120000);
  g_assert_cmpstr (crm_order_line_get_category (b), ==, "茶具");

  /* No minor units in yen. */
  y = crm_sales_parse_item ("Matcha:3:1500", "JPY", &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_order_line_get_unit_price (y), ==, 1500);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(CrmOrderLine) line = crm_sales_parse_item (bad[i], "CNY", &error);

      g_assert_null (line);
      g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
      g_assert_true (strstr (error->message, "NAME:QTY:PRICE") != NULL);
      g_clear_error (&error);
    }
}

static gint64
add_sale (CrmStore *store,
          gint64    customer,
          gint64    price,
          gint64    placed_at,
          const char *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmOrder) order = crm_order_new ();
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (lines, line_new ("Tea set", 1, price));
  crm_order_set_customer_id (order, customer);
  crm_order_set_placed_at (order, placed_at);
  crm_order_set_status (order, status);
  g_assert_true (crm_sales_add_order (store, order, lines, &error));
  g_assert_no_error (error);
  return crm_entity_get_id (CRM_ENTITY (order));
}

/* A partial refund lowers what the customer spent (and the tier with it); more than is left
 * is refused; the rest refunds the whole order, which stops counting. */
static void
test_refund (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  g_autoptr(CrmRefund) partial = NULL;
  g_autoptr(CrmRefund) rest = NULL;
  g_autoptr(CrmRefund) again = NULL;
  g_autoptr(CrmRefund) too_much = NULL;
  g_autoptr(CrmCustomer) c = NULL;
  g_autoptr(CrmOrder) order = NULL;
  gint64 id = crm_test_add_customer (store, "Wang Lei");
  gint64 order_id;

  crm_recompute_watch_orders (store);
  g_assert_true (crm_tiers_ensure_default (store, &error));
  order_id = add_sale (store, id, 120000, crm_now_ms () - DAY, NULL);
  c = reload_customer (store, id);
  g_assert_cmpint (crm_customer_get_tier_id (c), ==, tier_id_of (store, "silver"));

  partial = crm_sales_refund (store, order_id, 30000, "Cracked cup", 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (partial);
  g_assert_cmpint (crm_refund_get_amount (partial), ==, 30000);
  g_clear_object (&c);
  c = reload_customer (store, id);
  g_assert_cmpint (crm_customer_get_total_spent (c), ==, 90000);
  g_assert_cmpint (crm_customer_get_order_count (c), ==, 1);
  g_assert_cmpint (crm_customer_get_tier_id (c), ==, tier_id_of (store, "regular"));
  order = crm_store_load (store, CRM_TYPE_ORDER, order_id, &error);
  g_assert_cmpint (crm_order_get_total (order), ==, 90000);
  g_assert_cmpint (crm_order_get_refunded (order), ==, 30000);
  g_assert_cmpstr (crm_order_get_status (order), ==, "paid");

  /* More than what is left: refused, nothing written. */
  too_much = crm_sales_refund (store, order_id, 90001, NULL, 0, &error);
  g_assert_null (too_much);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_true (strstr (error->message, "900.00") != NULL);
  g_clear_error (&error);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM refunds"), ==, 1);
  g_assert_cmpint (crm_test_query_int (store, "SELECT total FROM orders"), ==, 90000);

  /* The rest. */
  rest = crm_sales_refund (store, order_id, 0, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_refund_get_amount (rest), ==, 90000);
  g_clear_object (&c);
  c = reload_customer (store, id);
  g_assert_cmpint (crm_customer_get_total_spent (c), ==, 0);
  g_assert_cmpint (crm_customer_get_order_count (c), ==, 0);
  {
    g_autofree char *status = crm_test_query_text (store, "SELECT status FROM orders");
    g_assert_cmpstr (status, ==, "refunded");
  }
  g_assert_cmpint (crm_test_query_int (store, "SELECT refunded FROM orders"), ==, 120000);

  again = crm_sales_refund (store, order_id, 0, NULL, 0, &error);
  g_assert_null (again);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Journaled: two refunds and the order's two updates; a refund cannot be hidden. */
  g_assert_cmpint (crm_test_journal_count (store, CRM_JOURNAL_ENTITY_REFUND, CRM_JOURNAL_INSERT), ==, 2);
  g_assert_cmpint (crm_test_journal_count (store, CRM_JOURNAL_ENTITY_ORDER, CRM_JOURNAL_UPDATE), ==, 2);
  g_assert_false (crm_store_delete (store, CRM_ENTITY (partial), &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* An order never paid has nothing to refund; an unknown one is not found. */
  {
    gint64 pending = add_sale (store, id, 5000, crm_now_ms (), "pending");
    g_autoptr(CrmRefund) r = crm_sales_refund (store, pending, 0, NULL, 0, &error);

    g_assert_null (r);
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_null (crm_sales_refund (store, 4242, 0, NULL, 0, &error));
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
}

static void
test_find_customer (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  g_autoptr(CrmCustomer) a = crm_customer_new ();
  g_autoptr(CrmCustomer) b = crm_customer_new ();
  g_autoptr(CrmCustomer) twin = crm_customer_new ();

  crm_customer_set_name (a, "A");
  crm_customer_set_phone (a, "138 0013 8000");
  crm_customer_set_email (a, "A.Person@Example.com");
  crm_customer_set_name (b, "B");
  crm_customer_set_phone (b, "139 0000 0001");
  crm_customer_set_name (twin, "B's twin");
  crm_customer_set_phone (twin, "13900000001");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (a), &error));
  g_assert_true (crm_store_insert (store, CRM_ENTITY (b), &error));
  g_assert_true (crm_store_insert (store, CRM_ENTITY (twin), &error));

  g_assert_cmpint (crm_sales_find_customer (store, "13800138000", NULL, &error), ==, crm_entity_get_id (CRM_ENTITY (a)));
  g_assert_no_error (error);
  g_assert_cmpint (crm_sales_find_customer (store, NULL, "a.person@example.COM", &error), ==, crm_entity_get_id (CRM_ENTITY (a)));
  g_assert_no_error (error);
  /* Nothing on a suffix: the last digits alone are another number. */
  g_assert_cmpint (crm_sales_find_customer (store, "0013 8000", NULL, &error), ==, 0);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (crm_sales_find_customer (store, "13900000001", NULL, &error), ==, 0);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (crm_sales_find_customer (store, NULL, "nobody@example.com", &error), ==, 0);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

static void
on_activity (CrmSession *session,
             GArray     *ids,
             GArray     *seen)
{
  gint64 many = -1;

  if (ids == NULL)
    g_array_append_val (seen, many);
  else
    g_array_append_vals (seen, ids->data, ids->len);
}

static CrmInteraction *
interaction_new (gint64      customer,
                 const char *channel,
                 const char *direction,
                 const char *summary,
                 gint64      at)
{
  CrmInteraction *i = crm_interaction_new ();

  crm_interaction_set_customer_id (i, customer);
  crm_interaction_set_channel (i, channel);
  crm_interaction_set_direction (i, direction);
  crm_interaction_set_subject (i, summary);
  crm_interaction_set_occurred_at (i, at);
  return i;
}

/* Logging a contact: who and when filled in, bad input refused, the session tells, the
 * timeline merges it with orders, refunds and feedback, newest first, and search finds it. */
static void
test_interactions (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(CrmSession) session = crm_test_session_new (&path);
  CrmStore *store = crm_session_get_store (session);
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(CrmInteraction) call = NULL;
  g_autoptr(CrmInteraction) visit = NULL;
  g_autoptr(CrmFeedback) fb = crm_feedback_new ();
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(CrmQuery) query = crm_query_new ();
  g_autoptr(GArray) hits = NULL;
  g_autoptr(CrmRefund) refund = NULL;
  gint64 now = crm_now_ms ();
  gint64 id = crm_test_add_customer (store, "Chen Jing");
  gint64 other = crm_test_add_customer (store, "Other Person");
  gint64 order_id;
  gboolean more = TRUE;
  const char *bad[][3] = {
    { "fax", "in", "Sent a fax" },
    { "phone", "sideways", "Called" },
    { "phone", "in", "   " },
  };

  g_signal_connect (session, "activity-changed", G_CALLBACK (on_activity), seen);
  order_id = add_sale (store, id, 5000, now - 3 * DAY, NULL);
  refund = crm_sales_refund (store, order_id, 1000, "Late delivery", now - 2 * DAY, &error);
  g_assert_no_error (error);
  crm_feedback_set_customer_id (fb, id);
  crm_feedback_set_kind (fb, "review");
  crm_feedback_set_comment (fb, "Lovely tea");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (fb), &error));

  call = interaction_new (id, "phone", "in", "Asked about the autumn oolong delivery", now - DAY);
  g_assert_true (crm_timeline_log (store, call, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (crm_interaction_get_logged_by (call), ==, g_get_user_name ());
  visit = interaction_new (id, "visit", NULL, "Tasted three teas in the shop", 0);
  g_assert_true (crm_timeline_log (store, visit, &error));
  g_assert_cmpint (crm_interaction_get_occurred_at (visit), >=, now);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(CrmInteraction) b = interaction_new (id, bad[i][0], bad[i][1], bad[i][2], now);

      g_assert_false (crm_timeline_log (store, b, &error));
      g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
      g_clear_error (&error);
    }
  {
    g_autoptr(CrmInteraction) b = interaction_new (999, "phone", "in", "Nobody", now);

    g_assert_false (crm_timeline_log (store, b, &error));
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM interactions"), ==, 2);
  g_assert_cmpint (crm_test_journal_count (store, CRM_JOURNAL_ENTITY_INTERACTION, CRM_JOURNAL_INSERT), ==, 2);

  /* Announced once committed. */
  for (guint tries = 0; tries < 100 && seen->len < 2; tries++)
    g_main_context_iteration (NULL, FALSE), g_usleep (10000);
  g_assert_cmpuint (seen->len, >=, 1);
  g_assert_cmpint (g_array_index (seen, gint64, 0), ==, id);

  events = crm_timeline_load (store, id, 10, &more, &error);
  g_assert_no_error (error);
  g_assert_false (more);
  g_assert_cmpuint (events->len, ==, 5);
  g_assert_cmpint (((CrmTimelineEvent *) events->pdata[0])->kind, ==, CRM_TIMELINE_INTERACTION);
  g_assert_cmpstr (((CrmTimelineEvent *) events->pdata[0])->text, ==, "Tasted three teas in the shop");
  /* The feedback was written just now too, before the visit. */
  g_assert_cmpint (((CrmTimelineEvent *) events->pdata[1])->kind, ==, CRM_TIMELINE_FEEDBACK);
  g_assert_cmpstr (((CrmTimelineEvent *) events->pdata[1])->text, ==, "Lovely tea");
  g_assert_cmpint (((CrmTimelineEvent *) events->pdata[2])->kind, ==, CRM_TIMELINE_INTERACTION);
  g_assert_cmpstr (((CrmTimelineEvent *) events->pdata[2])->channel, ==, "phone");
  g_assert_cmpstr (((CrmTimelineEvent *) events->pdata[2])->direction, ==, "in");
  g_assert_cmpint (((CrmTimelineEvent *) events->pdata[3])->kind, ==, CRM_TIMELINE_REFUND);
  g_assert_cmpint (((CrmTimelineEvent *) events->pdata[3])->amount, ==, 1000);
  g_assert_cmpint (((CrmTimelineEvent *) events->pdata[4])->kind, ==, CRM_TIMELINE_ORDER);
  g_assert_cmpint (((CrmTimelineEvent *) events->pdata[4])->amount, ==, 4000);
  g_clear_pointer (&events, g_ptr_array_unref);
  events = crm_timeline_load (store, id, 2, &more, &error);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_true (more);

  /* Search finds the customer by a summary; not once the interaction is deleted. */
  crm_query_set_search_text (query, "oolong");
  hits = crm_query_run_ids (query, store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpint (g_array_index (hits, gint64, 0), ==, id);
  g_assert_true (crm_store_delete (store, CRM_ENTITY (call), &error));
  g_assert_cmpint (crm_query_count (query, store, &error), ==, 0);
  g_assert_true (crm_store_restore (store, CRM_ENTITY (call), &error));
  g_assert_cmpint (crm_query_count (query, store, &error), ==, 1);
  crm_interaction_set_subject (call, "Asked about jasmine");
  g_assert_true (crm_store_update (store, CRM_ENTITY (call), &error));
  g_assert_cmpint (crm_query_count (query, store, &error), ==, 0);
  crm_query_set_search_text (query, "jasmine");
  g_assert_cmpint (crm_query_count (query, store, &error), ==, 1);

  /* Two characters (a common Chinese query) cannot use trigrams: the summaries' short terms. */
  {
    g_autoptr(CrmInteraction) complaint = interaction_new (other, "wechat", "in", "要求退货，茶叶受潮", now);

    g_assert_true (crm_timeline_log (store, complaint, &error));
    crm_query_set_search_text (query, "退货");
    g_clear_pointer (&hits, g_array_unref);
    hits = crm_query_run_ids (query, store, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (hits->len, ==, 1);
    g_assert_cmpint (g_array_index (hits, gint64, 0), ==, other);
    crm_query_set_search_text (query, "茶");
    g_assert_cmpint (crm_query_count (query, store, &error), ==, 1);
    g_assert_true (crm_store_delete (store, CRM_ENTITY (complaint), &error));
    crm_query_set_search_text (query, "退货");
    g_assert_cmpint (crm_query_count (query, store, &error), ==, 0);
  }
  g_assert_no_error (error);
}

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* A customer with 10,000 events: the first page of the timeline in well under 50 ms. */
static void
test_timeline_large (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  g_autoptr(GPtrArray) events = NULL;
  gint64 id = crm_test_add_customer (store, "Busy Bee");
  gint64 other = crm_test_add_customer (store, "Quiet Bee");
  gint64 now = crm_now_ms (), best = G_MAXINT64, best_wall = G_MAXINT64;
  gboolean more;
  sqlite3_stmt *stmt;

  g_assert_true (crm_store_begin (store, &error));
  stmt = crm_store_prepare (store, "INSERT INTO interactions (uuid, created_at, updated_at, customer_id, channel,"
                                   " direction, subject, occurred_at) VALUES (?1, ?2, ?2, ?3, 'phone', 'in', ?4, ?5)", &error);
  for (guint i = 0; i < 12000; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *summary = g_strdup_printf ("Call %u", i);

      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, now);
      sqlite3_bind_int64 (stmt, 3, i < 7000 ? id : other);
      sqlite3_bind_text (stmt, 4, summary, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 5, now - (gint64) i * 60000);
      g_assert_true (crm_store_step (store, stmt, &error));
    }
  for (guint i = 0; i < 3000; i++)
    crm_test_add_order (store, id, now - (gint64) i * 3600000 - 30000, 1000 + i, NULL);
  g_assert_true (crm_store_commit (store, &error));

  /* CPU time of this thread, which other work on a shared machine does not inflate (the wall
   * time is printed too). */
  for (guint run = 0; run < 5; run++)
    {
      gint64 start = g_get_monotonic_time (), cpu_start = thread_cpu_us ();

      g_clear_pointer (&events, g_ptr_array_unref);
      events = crm_timeline_load (store, id, 100, &more, &error);
      best = MIN (best, thread_cpu_us () - cpu_start);
      best_wall = MIN (best_wall, g_get_monotonic_time () - start);
    }
  g_assert_no_error (error);
  g_test_message ("timeline of 10,000 events, first 100: %.2f ms CPU, %.2f ms wall (best of 5)",
                  best / 1000.0, best_wall / 1000.0);
  g_assert_cmpuint (events->len, ==, 100);
  g_assert_true (more);
  g_assert_cmpstr (((CrmTimelineEvent *) events->pdata[0])->text, ==, "Call 0");
  g_assert_cmpint (((CrmTimelineEvent *) events->pdata[1])->kind, ==, CRM_TIMELINE_ORDER);
  /* The 50 ms budget is measured (bench/RESULTS.md), not asserted: a timed assertion fails on
   * a loaded machine and under the sanitizers (119 ms under ASan) without any defect. */
}

/* Merging two customers carries the other's contacts, orders and refunds onto the survivor's
 * timeline, its summaries stay searchable (now finding the survivor), and an undo takes them
 * back. */
static void
test_merge (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  g_autoptr(CrmInteraction) call = NULL;
  g_autoptr(CrmRefund) refund = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(CrmQuery) query = crm_query_new ();
  g_autoptr(GArray) hits = NULL;
  gint64 survivor = crm_test_add_customer (store, "Zhao Lei");
  gint64 other = crm_test_add_customer (store, "赵磊");
  gint64 order_id, merge_id;

  order_id = add_sale (store, other, 20000, crm_now_ms () - 5 * DAY, NULL);
  refund = crm_sales_refund (store, order_id, 5000, NULL, crm_now_ms () - 4 * DAY, &error);
  g_assert_no_error (error);
  call = interaction_new (other, "chat", "in", "Wants the pu-erh gift box", crm_now_ms () - DAY);
  g_assert_true (crm_timeline_log (store, call, &error));

  merge_id = crm_merge_customers (store, survivor, other, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (merge_id, >, 0);
  events = crm_timeline_load (store, survivor, 10, NULL, &error);
  g_assert_cmpuint (events->len, ==, 3);
  g_assert_cmpint (((CrmTimelineEvent *) events->pdata[0])->kind, ==, CRM_TIMELINE_INTERACTION);
  g_assert_cmpint (((CrmTimelineEvent *) events->pdata[1])->kind, ==, CRM_TIMELINE_REFUND);
  g_assert_cmpint (((CrmTimelineEvent *) events->pdata[2])->kind, ==, CRM_TIMELINE_ORDER);
  g_assert_cmpint (((CrmTimelineEvent *) events->pdata[2])->amount, ==, 15000);
  crm_query_set_search_text (query, "pu-erh");
  hits = crm_query_run_ids (query, store, NULL, &error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpint (g_array_index (hits, gint64, 0), ==, survivor);

  g_assert_true (crm_merge_undo (store, merge_id, &error));
  g_assert_no_error (error);
  g_clear_pointer (&events, g_ptr_array_unref);
  events = crm_timeline_load (store, survivor, 10, NULL, &error);
  g_assert_cmpuint (events->len, ==, 0);
  g_clear_pointer (&hits, g_array_unref);
  hits = crm_query_run_ids (query, store, NULL, &error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpint (g_array_index (hits, gint64, 0), ==, other);
}

/* A file of schema 4 (an order with lines, feedback) upgrades: its orders keep their totals,
 * have nothing refunded, and can be refunded. */
static void
test_migrate (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = crm_test_unpack_db ("v4.db.gz");
  g_autoptr(CrmStore) store = crm_store_open (path, &error);
  g_autoptr(CrmRefund) refund = NULL;
  gint64 order_id, total, spent_before;

  g_assert_no_error (error);
  g_assert_cmpint (crm_store_get_schema_version (store), ==, CRM_STORE_SCHEMA_VERSION);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM orders WHERE refunded = 0 AND payment_method IS NULL"),
                   ==, crm_test_query_int (store, "SELECT count(*) FROM orders"));
  order_id = crm_test_query_int (store, "SELECT id FROM orders WHERE deleted_at IS NULL AND total > 0"
                                        " AND status NOT IN ('cancelled', 'refunded', 'failed', 'pending') ORDER BY id LIMIT 1");
  g_assert_cmpint (order_id, >, 0);
  total = crm_test_query_int (store, "SELECT total FROM orders WHERE id = (SELECT min(id) FROM orders WHERE total > 0"
                                     " AND deleted_at IS NULL AND status NOT IN ('cancelled', 'refunded', 'failed', 'pending'))");
  spent_before = crm_test_query_int (store, "SELECT total_spent FROM customers WHERE id = (SELECT customer_id FROM orders"
                                            " WHERE id = (SELECT min(id) FROM orders WHERE total > 0 AND deleted_at IS NULL"
                                            " AND status NOT IN ('cancelled', 'refunded', 'failed', 'pending')))");
  refund = crm_sales_refund (store, order_id, 1, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_test_query_int (store, "SELECT total + refunded FROM orders WHERE id = (SELECT order_id FROM refunds)"),
                   ==, total);
  g_assert_cmpint (crm_test_query_int (store, "SELECT total_spent FROM customers WHERE id = (SELECT customer_id FROM orders"
                                              " WHERE id = (SELECT order_id FROM refunds))"), ==, spent_before - 1);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/service/order/add", test_order_add);
  g_test_add_func ("/service/order/invalid", test_order_invalid);
  g_test_add_func ("/service/order/parse-item", test_parse_item);
  g_test_add_func ("/service/order/refund", test_refund);
  g_test_add_func ("/service/order/find-customer", test_find_customer);
  g_test_add_func ("/service/timeline/interactions", test_interactions);
  g_test_add_func ("/service/timeline/large", test_timeline_large);
  g_test_add_func ("/service/timeline/merge", test_merge);
  g_test_add_func ("/service/migrate", test_migrate);

  return g_test_run ();
}

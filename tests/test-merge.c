/* test-merge.c: two records of one customer become one, and the merge can be undone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-test-util.h"
#include "crm-customer.h"
#include "crm-feedback.h"
#include "crm-interaction.h"
#include "crm-merge.h"
#include "crm-order.h"

static gint64
count (CrmStore   *store,
       const char *sql)
{
  return crm_test_query_int (store, sql);
}

static CrmCustomer *
customer (CrmStore   *store,
          const char *name,
          const char *email,
          const char *phone,
          const char *city)
{
  CrmCustomer *c = crm_customer_new ();

  crm_customer_set_name (c, name);
  crm_customer_set_email (c, email);
  crm_customer_set_phone (c, phone);
  crm_customer_set_city (c, city);
  g_assert_true (crm_store_insert (store, CRM_ENTITY (c), NULL));
  return c;
}

static void
order (CrmStore *store,
       gint64    customer_id,
       gint64    total)
{
  g_autoptr(CrmOrder) o = crm_order_new ();

  crm_order_set_customer_id (o, customer_id);
  crm_order_set_placed_at (o, crm_now_ms () - 86400000);
  crm_order_set_total (o, total);
  g_assert_true (crm_store_insert_order (store, CRM_ENTITY (o), NULL, NULL));
}

static void
test_merge_and_undo (void)
{
  g_autofree char *db = crm_test_db_path ();
  g_autoptr(CrmStore) store = crm_store_open (db, NULL);
  g_autoptr(CrmCustomer) a = customer (store, "Wang Fang", "wang@example.cn", NULL, "Shanghai");
  g_autoptr(CrmCustomer) b = customer (store, "王芳", NULL, "13800138000", "上海");
  g_autoptr(CrmFeedback) fb = crm_feedback_new ();
  g_autoptr(CrmInteraction) in = crm_interaction_new ();
  g_autoptr(CrmCustomer) merged = NULL;
  g_autoptr(CrmCustomer) loser = NULL;
  g_autoptr(GError) error = NULL;
  CrmMergeChoice choices[CRM_CUSTOMER_N_FIELDS];
  gint64 ida = crm_entity_get_id (CRM_ENTITY (a)), idb = crm_entity_get_id (CRM_ENTITY (b));
  gint64 merge_id, journal;

  order (store, ida, 10000);
  order (store, idb, 5000);
  order (store, idb, 2500);
  crm_feedback_set_customer_id (fb, idb);
  crm_feedback_set_comment (fb, "Great tea");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (fb), NULL));
  crm_interaction_set_customer_id (in, idb);
  crm_interaction_set_subject (in, "Call");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (in), NULL));

  /* Defaults: fill the survivor's gaps; here also take the other's Chinese name. */
  crm_merge_default_choices (a, b, choices);
  g_assert_cmpint (choices[CRM_CUSTOMER_PHONE], ==, CRM_MERGE_TAKE_OTHER);
  g_assert_cmpint (choices[CRM_CUSTOMER_EMAIL], ==, CRM_MERGE_KEEP);
  choices[CRM_CUSTOMER_NAME] = CRM_MERGE_TAKE_OTHER;

  journal = count (store, "SELECT count(*) FROM changes");
  merge_id = crm_merge_customers (store, ida, idb, choices, &error);
  g_assert_no_error (error);
  g_assert_cmpint (merge_id, >, 0);

  merged = crm_store_load (store, CRM_TYPE_CUSTOMER, ida, NULL);
  g_assert_cmpstr (crm_customer_get_name (merged), ==, "王芳");
  g_assert_cmpstr (crm_customer_get_email (merged), ==, "wang@example.cn");
  g_assert_cmpstr (crm_customer_get_phone (merged), ==, "13800138000");
  g_assert_cmpstr (crm_customer_get_city (merged), ==, "Shanghai");
  g_assert_cmpint (crm_customer_get_order_count (merged), ==, 3);
  g_assert_cmpint (crm_customer_get_total_spent (merged), ==, 17500);
  g_assert_cmpint (count (store, "SELECT count(*) FROM feedback WHERE customer_id = 1"), ==, 1);
  g_assert_cmpint (count (store, "SELECT count(*) FROM interactions WHERE customer_id = 1"), ==, 1);

  loser = crm_store_load (store, CRM_TYPE_CUSTOMER, idb, NULL);
  g_assert_true (crm_entity_is_deleted (CRM_ENTITY (loser)));
  g_assert_cmpint (count (store, "SELECT merged_into FROM customers WHERE id = 2"), ==, ida);
  g_assert_cmpint (crm_customer_get_order_count (loser), ==, 0);
  /* Journaled: the survivor's update, the tombstone, two orders, feedback, interaction. */
  g_assert_cmpint (count (store, "SELECT count(*) FROM changes"), ==, journal + 6);
  /* The survivor is found by the other's phone now. */
  g_assert_cmpint (count (store, "SELECT id FROM customers WHERE phone_digits = '13800138000' AND deleted_at IS NULL"), ==, ida);

  /* Undo: everything back where it was. */
  g_assert_true (crm_merge_undo (store, merge_id, &error));
  g_assert_no_error (error);
  g_clear_object (&merged);
  g_clear_object (&loser);
  merged = crm_store_load (store, CRM_TYPE_CUSTOMER, ida, NULL);
  loser = crm_store_load (store, CRM_TYPE_CUSTOMER, idb, NULL);
  g_assert_cmpstr (crm_customer_get_name (merged), ==, "Wang Fang");
  g_assert_null (crm_customer_get_phone (merged));
  g_assert_false (crm_entity_is_deleted (CRM_ENTITY (loser)));
  g_assert_cmpint (count (store, "SELECT merged_into IS NULL FROM customers WHERE id = 2"), ==, 1);
  g_assert_cmpint (crm_customer_get_order_count (merged), ==, 1);
  g_assert_cmpint (crm_customer_get_order_count (loser), ==, 2);
  g_assert_cmpint (crm_customer_get_total_spent (loser), ==, 7500);
  g_assert_cmpint (count (store, "SELECT count(*) FROM feedback WHERE customer_id = 2"), ==, 1);
  g_assert_cmpint (count (store, "SELECT count(*) FROM interactions WHERE customer_id = 2"), ==, 1);

  /* Twice is refused. */
  g_assert_false (crm_merge_undo (store, merge_id, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Merging a customer with itself or a deleted one is refused, and changes nothing. */
  journal = count (store, "SELECT count(*) FROM changes");
  g_assert_cmpint (crm_merge_customers (store, ida, ida, NULL, &error), ==, 0);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (crm_store_delete (store, CRM_ENTITY (loser), NULL));
  journal = count (store, "SELECT count(*) FROM changes");
  g_assert_cmpint (crm_merge_customers (store, ida, idb, NULL, &error), ==, 0);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_cmpint (count (store, "SELECT count(*) FROM changes"), ==, journal);
}

int
main (int    argc,
      char **argv)
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/core/merge/merge-and-undo", test_merge_and_undo);

  return g_test_run ();
}

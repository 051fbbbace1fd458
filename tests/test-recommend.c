/* test-recommend.c: co-purchase statistics and per-customer recommendations.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "crm-test-util.h"
#include "crm-customer.h"
#include "crm-order-line.h"
#include "crm-order.h"
#include "crm-recommend.h"

/* 2025-06-01T00:00:00Z */
#define T0 (G_GINT64_CONSTANT (1748736000000))

typedef struct
{
  CrmStore *store;
  gint64    zhang;      /* owns {A, C} */
  gint64    lapsed;     /* only a cancelled order {B, D} */
  gint64    nobody;     /* no orders */
} Fixture;

/* @items: "SKU" or "=Name" (a line without SKU), separated by spaces. */
static void
add_basket (CrmStore   *store,
            gint64      customer,
            const char *items,
            const char *status)
{
  g_autoptr(CrmOrder) o = crm_order_new ();
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) keys = g_strsplit (items, " ", -1);
  g_autoptr(GError) error = NULL;
  static int n;

  for (guint i = 0; keys[i] != NULL; i++)
    {
      CrmOrderLine *line = crm_order_line_new ();
      g_autofree char *name = NULL;

      if (keys[i][0] == '=')
        crm_order_line_set_product (line, keys[i] + 1);
      else
        {
          name = g_strdup_printf ("Product %s", keys[i]);
          crm_order_line_set_sku (line, keys[i]);
          crm_order_line_set_product (line, name);
        }
      crm_order_line_set_category (line, "Test");
      crm_order_line_set_quantity (line, 1);
      crm_order_line_set_unit_price (line, 1000);
      crm_order_line_set_amount (line, 1000);
      g_ptr_array_add (lines, line);
    }
  crm_order_set_customer_id (o, customer);
  crm_order_set_placed_at (o, T0 + (n++) * 3600000);
  crm_order_set_status (o, status);
  crm_order_set_total (o, 1000 * g_strv_length (keys));
  g_assert_true (crm_store_insert_order (store, CRM_ENTITY (o), lines, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = crm_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) big = g_string_new ("A B");

  f->store = crm_store_open (path, &error);
  g_assert_no_error (error);

  f->zhang = crm_test_add_customer (f->store, "张伟");
  f->lapsed = crm_test_add_customer (f->store, "Lapsed Buyer");
  f->nobody = crm_test_add_customer (f->store, "Nobody");

  /* Counted baskets (N = 9):
   *   1 {A,B}  2 {A,B}  3 {A,B,C}  4 {A,C} (Zhang)  5 {C,D}  6 {D}  8 {A,A,B} → {A,B}
   *   9 {Tea,D}  10 {Tea,D}
   * Not counted: 7 {B,D} cancelled (the lapsed customer's) and 11, a 31-product order
   * (over the basket cap of 30). */
  add_basket (f->store, crm_test_add_customer (f->store, "c1"), "A B", "completed");
  add_basket (f->store, crm_test_add_customer (f->store, "c2"), "A B", "completed");
  add_basket (f->store, crm_test_add_customer (f->store, "c3"), "A B C", "shipped");
  add_basket (f->store, f->zhang, "A C", "completed");
  add_basket (f->store, crm_test_add_customer (f->store, "c5"), "C D", "completed");
  add_basket (f->store, crm_test_add_customer (f->store, "c6"), "D", "completed");
  add_basket (f->store, f->lapsed, "B D", "cancelled");
  add_basket (f->store, crm_test_add_customer (f->store, "c8"), "A A B", "completed");
  add_basket (f->store, crm_test_add_customer (f->store, "c9"), "=Tea D", "completed");
  add_basket (f->store, crm_test_add_customer (f->store, "c10"), "=Tea D", "processing");
  for (int i = 0; i < 29; i++)
    g_string_append_printf (big, " X%d", i);
  add_basket (f->store, crm_test_add_customer (f->store, "wholesale"), big->str, "completed");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
}

static void
compute (Fixture            *f,
         CrmRecommendReport *report)
{
  CrmRecommendOptions options;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  crm_recommend_options_init (&options);
  ok = crm_recommend_compute (f->store, &options, NULL, NULL, NULL, report, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
assert_pair (Fixture    *f,
             const char *a,
             const char *b,
             gint64      count,
             double      support,
             double      confidence,
             double      lift)
{
  CrmProductPair pair;
  g_autoptr(GError) error = NULL;

  if (!crm_recommend_get_pair (f->store, a, b, &pair, &error))
    g_error ("pair %s → %s is not stored", a, b);
  g_assert_cmpint (pair.count, ==, count);
  g_assert_cmpfloat_with_epsilon (pair.support, support, 1e-12);
  g_assert_cmpfloat_with_epsilon (pair.confidence, confidence, 1e-12);
  g_assert_cmpfloat_with_epsilon (pair.lift, lift, 1e-12);
  crm_product_pair_clear (&pair);
}

static void
test_pairs_hand_computed (Fixture       *f,
                          gconstpointer  data)
{
  CrmRecommendReport report;
  CrmProductPair pair;

  compute (f, &report);
  g_assert_cmpuint (report.baskets, ==, 9);
  g_assert_cmpuint (report.skipped_baskets, ==, 1);
  g_assert_cmpuint (report.products, ==, 5 + 29);

  /* n(A) = 5, n(B) = 4, n(C) = 3, n(D) = 4, n(Tea) = 2; N = 9.
   * A,B together in 1, 2, 3, 8: support 4/9, conf(A→B) 4/5, conf(B→A) 4/4, lift 4·9/(5·4). */
  assert_pair (f, "A", "B", 4, 4.0 / 9, 0.8, 1.8);
  assert_pair (f, "B", "A", 4, 4.0 / 9, 1.0, 1.8);
  /* A,C in 3, 4: conf(A→C) 2/5, conf(C→A) 2/3, lift 2·9/(5·3) = 1.2. */
  assert_pair (f, "A", "C", 2, 2.0 / 9, 0.4, 1.2);
  assert_pair (f, "C", "A", 2, 2.0 / 9, 2.0 / 3, 1.2);
  /* Tea has no SKU: its name is its identity.  Tea,D in 9, 10: lift 2·9/(2·4) = 2.25. */
  assert_pair (f, "Tea", "D", 2, 2.0 / 9, 1.0, 2.25);
  assert_pair (f, "D", "Tea", 2, 2.0 / 9, 0.5, 2.25);

  /* Seen together once only (B,C; C,D) or never (A,D): not stored.  The cancelled
   * B,D and the over-sized basket do not count. */
  g_assert_false (crm_recommend_get_pair (f->store, "B", "C", &pair, NULL));
  g_assert_false (crm_recommend_get_pair (f->store, "C", "D", &pair, NULL));
  g_assert_false (crm_recommend_get_pair (f->store, "A", "D", &pair, NULL));
  g_assert_false (crm_recommend_get_pair (f->store, "B", "D", &pair, NULL));
  g_assert_false (crm_recommend_get_pair (f->store, "A", "X1", &pair, NULL));
  g_assert_cmpuint (report.pairs, ==, 6);

  /* Running again replaces, it does not add. */
  compute (f, &report);
  assert_pair (f, "A", "B", 4, 4.0 / 9, 0.8, 1.8);
  g_assert_cmpuint (report.pairs, ==, 6);
}

static gboolean
has_product (GPtrArray  *recs,
             const char *key)
{
  for (guint i = 0; i < recs->len; i++)
    if (strcmp (((CrmRecommendation *) g_ptr_array_index (recs, i))->product, key) == 0)
      return TRUE;
  return FALSE;
}

static void
test_customer_recommendations (Fixture       *f,
                               gconstpointer  data)
{
  CrmRecommendReport report;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) recs = NULL;
  const CrmRecommendation *r;

  /* Before anything is computed: nothing to recommend, no error. */
  recs = crm_recommend_for_customer (f->store, f->zhang, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recs->len, ==, 0);
  g_clear_pointer (&recs, g_ptr_array_unref);

  compute (f, &report);

  /* Zhang owns A and C.  A pulls B (conf 0.8); C pulls A, which Zhang has. */
  recs = crm_recommend_for_customer (f->store, f->zhang, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recs->len, ==, 1);
  r = g_ptr_array_index (recs, 0);
  g_assert_cmpstr (r->product, ==, "B");
  g_assert_cmpstr (r->name, ==, "Product B");
  g_assert_cmpstr (r->category, ==, "Test");
  g_assert_cmpstr (r->because, ==, "A");
  g_assert_cmpfloat_with_epsilon (r->score, 0.8, 1e-12);
  g_assert_cmpfloat_with_epsilon (r->lift, 1.8, 1e-12);
  g_assert_false (has_product (recs, "A"));
  g_assert_false (has_product (recs, "C"));
  g_clear_pointer (&recs, g_ptr_array_unref);

  /* The lapsed customer ordered B and D (cancelled: not bought, but never offered back).
   * B pulls A (conf 1.0), D pulls Tea (conf 0.5): A first, then Tea. */
  recs = crm_recommend_for_customer (f->store, f->lapsed, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recs->len, ==, 2);
  g_assert_cmpstr (((CrmRecommendation *) g_ptr_array_index (recs, 0))->product, ==, "A");
  g_assert_cmpstr (((CrmRecommendation *) g_ptr_array_index (recs, 1))->product, ==, "Tea");
  g_assert_false (has_product (recs, "B"));
  g_assert_false (has_product (recs, "D"));
  g_clear_pointer (&recs, g_ptr_array_unref);

  /* The limit holds. */
  recs = crm_recommend_for_customer (f->store, f->lapsed, 1, &error);
  g_assert_cmpuint (recs->len, ==, 1);
  g_clear_pointer (&recs, g_ptr_array_unref);

  /* No orders: nothing. */
  recs = crm_recommend_for_customer (f->store, f->nobody, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recs->len, ==, 0);
}

static void
test_export_csv (Fixture       *f,
                 gconstpointer  data)
{
  CrmRecommendReport report;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (crm_test_tmp_dir (), "recs.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(CrmCsvWriter) writer = NULL;
  g_autoptr(CrmCustomer) zhang = NULL;
  g_autofree char *expected = NULL;
  gint64 ids[2] = { f->zhang, f->lapsed };

  compute (f, &report);
  writer = crm_csv_writer_new_for_path (path, CRM_CSV_ENCODING_UTF8, &error);
  g_assert_no_error (error);
  g_assert_true (crm_recommend_export_csv (f->store, writer, ids, 2, 5, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (crm_csv_writer_close (writer, NULL, &error));
  g_assert_cmpuint (crm_csv_writer_get_n_records (writer), ==, 1 + 1 + 2);

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  zhang = crm_store_load (f->store, CRM_TYPE_CUSTOMER, f->zhang, &error);
  g_assert_true (g_str_has_prefix (contents, "customer_uuid,customer_name,rank,product,product_name,category,score,lift,because"));
  expected = g_strdup_printf ("%s,张伟,1,B,Product B,Test,0.8000,1.800,A",
                              crm_entity_get_uuid (CRM_ENTITY (zhang)));
  g_assert_nonnull (strstr (contents, expected));
  g_assert_nonnull (strstr (contents, ",Lapsed Buyer,2,Tea,Tea,Test,0.5000,2.250,D"));

  /* An unknown customer is an error naming it. */
  {
    gint64 bad = 999999;
    g_autoptr(CrmCsvWriter) w2 = crm_csv_writer_new_for_path (path, CRM_CSV_ENCODING_UTF8, &error);

    g_assert_false (crm_recommend_export_csv (f->store, w2, &bad, 1, 5, NULL, &error));
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "999999"));
  }
}

static void
test_cancel_and_bad_options (Fixture       *f,
                             gconstpointer  data)
{
  CrmRecommendOptions options;
  CrmRecommendReport report;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CrmProductPair pair;

  compute (f, &report);

  /* A cancelled run with other limits would drop A→C (min 3 baskets): nothing changes. */
  crm_recommend_options_init (&options);
  options.min_pair_orders = 3;
  g_cancellable_cancel (cancellable);
  g_assert_false (crm_recommend_compute (f->store, &options, NULL, NULL, cancellable, &report, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  assert_pair (f, "A", "C", 2, 2.0 / 9, 0.4, 1.2);

  /* Done for real, the weak pair goes. */
  g_assert_true (crm_recommend_compute (f->store, &options, NULL, NULL, NULL, &report, &error));
  g_assert_false (crm_recommend_get_pair (f->store, "A", "C", &pair, NULL));
  assert_pair (f, "A", "B", 4, 4.0 / 9, 0.8, 1.8);

  options.max_basket = 1;
  g_assert_false (crm_recommend_compute (f->store, &options, NULL, NULL, NULL, &report, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  assert_pair (f, "A", "B", 4, 4.0 / 9, 0.8, 1.8);
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add ("/analytics/recommend/pairs-hand-computed", Fixture, NULL,
              fixture_setup, test_pairs_hand_computed, fixture_teardown);
  g_test_add ("/analytics/recommend/customer-gets-co-purchased-not-owned", Fixture, NULL,
              fixture_setup, test_customer_recommendations, fixture_teardown);
  g_test_add ("/analytics/recommend/export-csv", Fixture, NULL,
              fixture_setup, test_export_csv, fixture_teardown);
  g_test_add ("/analytics/recommend/cancel-and-bad-options", Fixture, NULL,
              fixture_setup, test_cancel_and_bad_options, fixture_teardown);

  return g_test_run ();
}

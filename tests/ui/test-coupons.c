/* test-coupons.c: coupons and member cards as staff meet them — the Coupons section with a
 * batch's issued and redeemed codes, "New Batch…" refusing a bad discount and then issuing to a
 * segment, exporting the codes; in the customer detail the member card (issued, reissued,
 * printed as PDF) and the customer's open coupons.
 *
 * Runs in English and in zh_CN (see meson.build).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <string.h>

#include "crm-application.h"
#include "crm-coupon-batch-dialog.h"
#include "crm-coupon.h"
#include "crm-coupons-page.h"
#include "crm-customer-editor-private.h"
#include "crm-customer-loyalty.h"
#include "crm-customer.h"
#include "crm-customers-page-private.h"
#include "crm-member-card.h"
#include "crm-segment.h"
#include "crm-test-util.h"
#include "crm-ui-test-util.h"
#include "crm-window.h"

static CrmApplication *app;
static CrmWindow *window;
static CrmStore *store;   /* the test's own connection */
static char *db_path;

static gint64
add_customer (const char *name,
              const char *city)
{
  g_autoptr(CrmCustomer) c = crm_customer_new ();
  g_autoptr(GError) error = NULL;

  crm_customer_set_name (c, name);
  crm_customer_set_city (c, city);
  g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
  return crm_entity_get_id (CRM_ENTITY (c));
}

static void
seed_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmSegment) seg = crm_segment_new ();
  g_autoptr(CrmCouponBatch) b = crm_coupon_batch_new ();
  gint64 wang = add_customer ("王芳", "上海");
  g_autofree char *code = NULL;

  add_customer ("李娜", "上海");
  add_customer ("Alice Archer", "Porto");
  crm_segment_set_name (seg, "Shanghai");
  crm_segment_set_rule (seg, "{\"match\": \"all\", \"rules\": [{\"field\": \"city\", \"op\": \"is\", \"value\": \"上海\"}]}");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (seg), &error));

  /* A batch of four codes, one issued to 王芳 and one redeemed by someone. */
  b->name = g_strdup ("Spring");
  b->prefix = g_strdup ("SPRING");
  b->kind = CRM_COUPON_AMOUNT;
  b->value = 2000;
  g_assert_true (crm_coupon_batch_create (store, b, 4, &error));
  g_assert_true (crm_coupon_issue (store, b, &wang, 1, NULL, &error));
  code = crm_test_query_text (store, "SELECT code FROM coupon_codes WHERE customer_id IS NULL LIMIT 1");
  g_assert_true (crm_coupon_redeem (store, code, add_customer ("Bob Baker", "Lyon"), 0, -1, 0, NULL, &error));
  g_assert_no_error (error);
}

static CrmCouponsPage *
coupons_page (void)
{
  return CRM_COUPONS_PAGE (find_widget (GTK_WIDGET (window), CRM_TYPE_COUPONS_PAGE));
}

static gboolean
dialog_gone (gpointer data)
{
  return find_shown_window (CRM_TYPE_COUPON_BATCH_DIALOG) == NULL;
}

static void
test_page (void)
{
  CrmCouponsPage *page = coupons_page ();
  g_autofree char *path = g_build_filename (crm_test_tmp_dir (), "spring.csv", NULL);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  const char *subtitle;

  g_assert_true (crm_window_set_section (window, "coupons"));
  g_assert_true (wait_until (is_mapped, page, 5000));
  g_assert_cmpuint (crm_coupons_page_get_n_batches (page), ==, 1);
  /* 4 issued, 1 redeemed, 25 % (the words are the language's). */
  subtitle = crm_coupons_page_get_subtitle (page, "Spring");
  g_assert_nonnull (subtitle);
  g_assert_nonnull (strstr (subtitle, "4"));
  g_assert_nonnull (strstr (subtitle, "25.0"));
  g_assert_nonnull (find_label (GTK_WIDGET (page), "Spring"));

  /* Issue… to the Shanghai segment: 李娜 gets a code; 王芳 holds one already. */
  {
    guint issued = 0;

    g_assert_true (crm_coupons_page_issue (page, "Spring", "Shanghai", &issued, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (issued, ==, 1);
    g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM coupon_codes WHERE customer_id IS NOT NULL"), ==, 2);
    g_assert_false (crm_coupons_page_issue (page, "Spring", "Nowhere", &issued, &error));
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  g_assert_true (crm_coupons_page_export (page, "Spring", path, &error));
  g_assert_no_error (error);
  rows = crm_test_read_csv (path, CRM_CSV_ENCODING_UTF8);
  g_assert_cmpuint (rows->len, ==, 5);
}

static void
test_new_batch (void)
{
  CrmCouponsPage *page = coupons_page ();
  g_autoptr(GError) error = NULL;
  CrmCouponBatchDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "coupons.new-batch", NULL));
  g_assert_true (wait_until (window_mapped, GSIZE_TO_POINTER (CRM_TYPE_COUPON_BATCH_DIALOG), 5000));
  dialog = CRM_COUPON_BATCH_DIALOG (find_shown_window (CRM_TYPE_COUPON_BATCH_DIALOG));

  /* 150 % is refused in the dialog, which stays open; nothing is made. */
  crm_coupon_batch_dialog_fill (dialog, "Members", "vip", 0, TRUE, "150", NULL, "2099-12-31", "Shanghai");
  g_assert_false (crm_coupon_batch_dialog_create (dialog, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_nonnull (find_shown_window (CRM_TYPE_COUPON_BATCH_DIALOG));
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM coupon_batches"), ==, 1);
  /* A bad day, too. */
  crm_coupon_batch_dialog_fill (dialog, "Members", "vip", 0, TRUE, "15", NULL, "2099-13-45", "Shanghai");
  g_assert_false (crm_coupon_batch_dialog_create (dialog, &error));
  g_clear_error (&error);

  /* 15 % for the Shanghai segment: one code each for its two members. */
  crm_coupon_batch_dialog_fill (dialog, "Members", "vip", 0, TRUE, "15", "100", "2099-12-31", "Shanghai");
  g_assert_true (crm_coupon_batch_dialog_create (dialog, &error));
  g_assert_no_error (error);
  g_assert_true (wait_until (dialog_gone, NULL, 5000));
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM coupon_codes c JOIN coupon_batches b"
                                              " ON b.id = c.batch_id WHERE b.name = 'Members'"), ==, 2);
  g_assert_cmpint (crm_test_query_int (store, "SELECT min_spend FROM coupon_batches WHERE name = 'Members'"), ==, 10000);
  g_assert_cmpuint (crm_coupons_page_get_n_batches (page), ==, 2);
  g_assert_nonnull (crm_coupons_page_get_subtitle (page, "Members"));
}

static gboolean
card_is (gpointer text)
{
  CrmCustomerEditor *editor = crm_customers_page_get_editor (crm_window_get_customers_page (window));

  return g_strcmp0 (crm_customer_loyalty_get_card_text (editor->loyalty_view), text) == 0;
}

static void
test_customer_detail (void)
{
  CrmCustomersPage *customers = crm_window_get_customers_page (window);
  CrmCustomerEditor *editor = crm_customers_page_get_editor (customers);
  gint64 wang = find_customer_id (store, "王芳");
  g_autofree char *pdf = g_build_filename (crm_test_tmp_dir (), "wang-card.pdf", NULL);
  g_autoptr(CrmMemberCard) card = NULL;
  g_autoptr(CrmMemberCard) fresh = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *fresh_shown = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_window_set_section (window, "customers"));
  g_assert_true (crm_customers_page_open_customer (customers, wang));
  g_assert_true (wait_until (is_mapped, editor->loyalty_view, 5000));
  /* The Spring code and the Members code. */
  g_assert_cmpuint (crm_customer_loyalty_get_n_coupons (editor->loyalty_view), ==, 2);
  g_assert_null (crm_member_card_get (store, wang, NULL));

  /* Issue Card: the number is shown. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor->loyalty_view), "loyalty.issue-card", NULL));
  card = crm_member_card_get (store, wang, &error);
  g_assert_no_error (error);
  shown = crm_member_card_format (card->number);
  g_assert_true (wait_until (card_is, shown, 5000));

  /* Reissue…: a new number; the old one is refused. */
  g_assert_true (crm_customer_loyalty_reissue (editor->loyalty_view, &error));
  g_assert_no_error (error);
  fresh = crm_member_card_get (store, wang, &error);
  fresh_shown = crm_member_card_format (fresh->number);
  g_assert_true (wait_until (card_is, fresh_shown, 5000));
  g_assert_cmpint (crm_member_card_lookup (store, card->number, &error), ==, 0);
  g_assert_error (error, CRM_MEMBER_CARD_ERROR, CRM_MEMBER_CARD_ERROR_REVOKED);
  g_clear_error (&error);

  /* Print Card…: the PDF. */
  g_assert_true (crm_customer_loyalty_print (editor->loyalty_view, pdf, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));

  /* The search box finds 王芳 by the card number. */
  g_assert_cmpint (find_customer_id (store, fresh_shown), ==, wang);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  crm_test_init (&argc, &argv);
  ui_test_init_i18n ();

  db_path = crm_test_db_path ();
  store = crm_store_open (db_path, NULL);
  g_assert_nonnull (store);
  seed_database ();

  window = ui_test_open_window (db_path, 1200, 760, &app);
  g_assert_nonnull (crm_window_get_store (window));

  g_test_add_func ("/ui/coupons/page", test_page);
  g_test_add_func ("/ui/coupons/new-batch", test_new_batch);
  g_test_add_func ("/ui/coupons/customer-detail", test_customer_detail);

  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&store);
  g_clear_object (&app);
  g_free (db_path);

  return ret;
}

/* test-coupon.c: coupon batches, codes, issuing, every refusal of a redemption, the race of two
 * processes over one single-use code, and member cards (Luhn, reissue, search, the PDF).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-test-util.h"

#include <qrencode.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "crm-coupon.h"
#include "crm-customer.h"
#include "crm-member-card.h"
#include "crm-query.h"
#include "crm-segment.h"

static const char *self_exe;

#define DAY_MS (24 * 3600 * (gint64) 1000)

static gint64
add_customer_in (CrmStore   *store,
                 const char *name,
                 const char *city)
{
  g_autoptr(CrmCustomer) c = crm_customer_new ();
  g_autoptr(GError) error = NULL;

  crm_customer_set_name (c, name);
  crm_customer_set_city (c, city);
  g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);
  return crm_entity_get_id (CRM_ENTITY (c));
}

static CrmCouponBatch *
make_batch (CrmStore   *store,
            const char *name,
            guint       count,
            void      (*tweak) (CrmCouponBatch *))
{
  g_autoptr(GError) error = NULL;
  CrmCouponBatch *b = crm_coupon_batch_new ();

  b->name = g_strdup (name);
  b->prefix = g_strdup ("spring");
  b->kind = CRM_COUPON_PERCENT;
  b->value = 10;
  if (tweak != NULL)
    tweak (b);
  g_assert_true (crm_coupon_batch_create (store, b, count, &error));
  g_assert_no_error (error);
  g_assert_cmpint (b->id, >, 0);
  return b;
}

static char *
first_code (CrmStore       *store,
            CrmCouponBatch *b)
{
  g_autofree char *sql = g_strdup_printf ("SELECT code FROM coupon_codes WHERE batch_id = %" G_GINT64_FORMAT
                                          " ORDER BY id LIMIT 1", b->id);
  return crm_test_query_text (store, sql);
}

static void
test_codes (void)
{
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  g_autoptr(CrmCouponBatch) b = make_batch (store, "Spring", 2000, NULL);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  guint n = 0;

  g_assert_cmpstr (b->prefix, ==, "SPRING");
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(DISTINCT code) FROM coupon_codes"), ==, 2000);

  /* Every code: the prefix, a dash, eight characters of the alphabet — never 0, O, 1 or I. */
  stmt = crm_store_prepare (store, "SELECT code FROM coupon_codes", &error);
  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *code = (const char *) sqlite3_column_text (stmt, 0);

      g_assert_true (g_str_has_prefix (code, "SPRING-"));
      g_assert_cmpuint (strlen (code), ==, 7 + CRM_COUPON_RANDOM_LEN);
      for (const char *p = code + 7; *p; p++)
        {
          g_assert_nonnull (strchr (CRM_COUPON_ALPHABET, *p));
          g_assert_true (*p != '0' && *p != 'O' && *p != '1' && *p != 'I');
        }
      n++;
    }
  sqlite3_reset (stmt);
  g_assert_cmpuint (n, ==, 2000);
  g_assert_cmpuint (strlen (CRM_COUPON_ALPHABET), ==, 32);

  /* Unique across batches, by the table's constraint: a second batch with the same prefix. */
  {
    g_autoptr(CrmCouponBatch) b2 = make_batch (store, "Spring again", 500, NULL);
    g_assert_cmpint (crm_test_query_int (store, "SELECT count(DISTINCT code) FROM coupon_codes"), ==, 2500);
  }

  /* The same name twice is refused; so are bad prefixes and values. */
  {
    g_autoptr(CrmCouponBatch) dup = crm_coupon_batch_new ();
    dup->name = g_strdup ("Spring");
    dup->prefix = g_strdup ("X");
    dup->kind = CRM_COUPON_AMOUNT;
    dup->value = 100;
    g_assert_false (crm_coupon_batch_create (store, dup, 1, &error));
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
    g_clear_error (&error);
    g_free (dup->name);
    dup->name = g_strdup ("Other");
    g_free (dup->prefix);
    dup->prefix = g_strdup ("NO WAY!");
    g_assert_false (crm_coupon_batch_create (store, dup, 1, &error));
    g_assert_nonnull (strstr (error->message, "not a code prefix"));
    g_clear_error (&error);
    g_free (dup->prefix);
    dup->prefix = g_strdup ("OK");
    dup->kind = CRM_COUPON_PERCENT;
    dup->value = 150;
    g_assert_false (crm_coupon_batch_create (store, dup, 1, &error));
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM coupon_batches"), ==, 2);
  }
}

static void
test_case_insensitive (void)
{
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  g_autoptr(CrmCouponBatch) b = make_batch (store, "Spring", 1, NULL);
  g_autofree char *code = first_code (store, b);
  g_autofree char *lower = g_ascii_strdown (code, -1);
  g_autofree char *spaced = g_strdup_printf ("  %s ", lower);
  gint64 c = crm_test_add_customer (store, "王芳");
  g_autoptr(GError) error = NULL;
  CrmCouponRedemption r;

  g_assert_true (crm_coupon_redeem (store, spaced, c, 0, 20000, 0, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.discount, ==, 2000);
  g_assert_cmpint (crm_test_query_int (store, "SELECT uses FROM coupon_codes"), ==, 1);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM coupon_redemptions"), ==, 1);
}

static void
amount_min_spend (CrmCouponBatch *b)
{
  b->kind = CRM_COUPON_AMOUNT;
  b->value = 2000;
  b->min_spend = 10000;
}

static void
two_uses (CrmCouponBatch *b)
{
  b->uses_per_code = 2;
}

static void
many_per_customer (CrmCouponBatch *b)
{
  b->uses_per_customer = 100;
}

static void
window (CrmCouponBatch *b)
{
  b->valid_from = 10 * DAY_MS;
  b->valid_until = 20 * DAY_MS;
}

static void
assert_refused (CrmStore       *store,
                const char     *code,
                gint64          customer,
                gint64          order,
                gint64          spend,
                gint64          now,
                CrmCouponError  why,
                const char     *needle)
{
  g_autoptr(GError) error = NULL;
  gint64 before = crm_test_query_int (store, "SELECT count(*) FROM coupon_redemptions");

  g_assert_false (crm_coupon_redeem (store, code, customer, order, spend, now, NULL, &error));
  g_assert_error (error, CRM_COUPON_ERROR, (int) why);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” does not say “%s”", error->message, needle);
  /* Nothing written by a refusal. */
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM coupon_redemptions"), ==, before);
}

static void
test_refusals (void)
{
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  gint64 anna = crm_test_add_customer (store, "Anna"), bert = crm_test_add_customer (store, "Bert");
  g_autoptr(GError) error = NULL;
  CrmCouponRedemption r;

  /* Unknown code; text that cannot be a code at all. */
  assert_refused (store, "NOPE-ABCDEFGH", anna, 0, -1, 0, CRM_COUPON_ERROR_UNKNOWN, "no coupon");
  assert_refused (store, "优惠", anna, 0, -1, 0, CRM_COUPON_ERROR_UNKNOWN, "not a coupon code");

  /* Not yet valid, expired; valid inside the window. */
  {
    g_autoptr(CrmCouponBatch) b = make_batch (store, "Window", 1, window);
    g_autofree char *code = first_code (store, b);

    assert_refused (store, code, anna, 0, -1, 5 * DAY_MS, CRM_COUPON_ERROR_NOT_YET_VALID, "not valid before");
    assert_refused (store, code, anna, 0, -1, 25 * DAY_MS, CRM_COUPON_ERROR_EXPIRED, "expired");
    g_assert_true (crm_coupon_redeem (store, code, anna, 0, -1, 15 * DAY_MS, &r, &error));
    g_assert_no_error (error);
    /* Used up. */
    assert_refused (store, code, bert, 0, -1, 15 * DAY_MS, CRM_COUPON_ERROR_USED_UP, "already been used");
  }

  /* Minimum spend: unknown, too low, from the order; the discount is the fixed amount. */
  {
    g_autoptr(CrmCouponBatch) b = make_batch (store, "Min", 1, amount_min_spend);
    g_autofree char *code = first_code (store, b);
    gint64 small = crm_test_add_order (store, anna, crm_now_ms (), 8000, NULL);
    gint64 big = crm_test_add_order (store, anna, crm_now_ms (), 15000, NULL);
    gint64 berts = crm_test_add_order (store, bert, crm_now_ms (), 15000, NULL);

    assert_refused (store, code, anna, 0, -1, 0, CRM_COUPON_ERROR_MIN_SPEND, "give the order or the amount");
    assert_refused (store, code, anna, 0, 9999, 0, CRM_COUPON_ERROR_MIN_SPEND, "at least ¥100.00 (this one: ¥99.99)");
    assert_refused (store, code, anna, small, -1, 0, CRM_COUPON_ERROR_MIN_SPEND, "this one: ¥80.00");
    g_assert_false (crm_coupon_redeem (store, code, anna, berts, -1, 0, NULL, &error));
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_true (crm_coupon_redeem (store, code, anna, big, -1, 0, &r, &error));
    g_assert_no_error (error);
    g_assert_cmpint (r.discount, ==, 2000);
    g_assert_cmpint (r.spend, ==, 15000);
    g_assert_cmpint (crm_test_query_int (store, "SELECT order_id FROM coupon_redemptions ORDER BY id DESC LIMIT 1"), ==, big);
  }

  /* Issued to Anna: not Bert's. */
  {
    g_autoptr(CrmCouponBatch) b = make_batch (store, "Anna's", 0, NULL);
    g_autofree char *code = NULL;
    guint issued = 0;

    g_assert_true (crm_coupon_issue (store, b, &anna, 1, &issued, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (issued, ==, 1);
    g_assert_cmpint (b->customer_id, ==, anna);
    code = first_code (store, b);
    assert_refused (store, code, bert, 0, -1, 0, CRM_COUPON_ERROR_WRONG_CUSTOMER, "another customer");
    g_assert_true (crm_coupon_redeem (store, code, anna, 0, -1, 0, &r, &error));
    g_assert_no_error (error);
  }

  /* Per customer: two codes of one batch, one use per customer. */
  {
    g_autoptr(CrmCouponBatch) b = make_batch (store, "Per customer", 2, two_uses);
    g_autofree char *sql = g_strdup_printf ("SELECT code FROM coupon_codes WHERE batch_id = %" G_GINT64_FORMAT
                                            " ORDER BY id DESC LIMIT 1", b->id);
    g_autofree char *first = first_code (store, b);
    g_autofree char *second = crm_test_query_text (store, sql);

    g_assert_true (crm_coupon_redeem (store, first, anna, 0, -1, 0, &r, &error));
    g_assert_no_error (error);
    assert_refused (store, second, anna, 0, -1, 0, CRM_COUPON_ERROR_CUSTOMER_LIMIT, "as often as allowed");
    assert_refused (store, first, anna, 0, -1, 0, CRM_COUPON_ERROR_CUSTOMER_LIMIT, "as often as allowed");
    /* The code has a second use for someone else. */
    g_assert_true (crm_coupon_redeem (store, first, bert, 0, -1, 0, &r, &error));
    g_assert_no_error (error);
    assert_refused (store, first, add_customer_in (store, "Carl", NULL), 0, -1, 0, CRM_COUPON_ERROR_USED_UP, "already been used");
  }

  /* The trigger refuses a use over the limit whatever writes it. */
  {
    g_autoptr(GError) e = NULL;
    g_assert_false (crm_store_exec (store, "UPDATE coupon_codes SET uses = uses + 5", &e));
    g_assert_nonnull (e);
  }
}

static void
test_issue_segment (void)
{
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  g_autoptr(CrmSegment) seg = crm_segment_new ();
  g_autoptr(CrmCouponBatch) b = make_batch (store, "Shanghai", 2, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 first = 0;
  guint issued = 0;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("上海客户%u", i);
      gint64 id = add_customer_in (store, name, "上海");
      if (i == 0)
        first = id;
    }
  add_customer_in (store, "北京客户", "北京");
  crm_segment_set_name (seg, "上海客户");
  crm_segment_set_rule (seg, "{\"match\": \"all\", \"rules\": [{\"field\": \"city\", \"op\": \"is\", \"value\": \"上海\"}]}");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (seg), &error));
  g_assert_no_error (error);

  g_assert_false (crm_coupon_issue_segment (store, b, "nobody", &issued, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (crm_coupon_issue_segment (store, b, "上海客户", &issued, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (issued, ==, 5);
  /* The two codes made with the batch went first, then three new ones. */
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM coupon_codes"), ==, 5);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(DISTINCT customer_id) FROM coupon_codes"), ==, 5);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM coupon_codes c JOIN customers u ON u.id = c.customer_id"
                                              " WHERE u.city <> '上海'"), ==, 0);
  g_assert_cmpstr (b->segment, ==, "上海客户");

  /* Again: members who hold one get none. */
  g_assert_true (crm_coupon_issue_segment (store, b, "上海客户", &issued, &error));
  g_assert_cmpuint (issued, ==, 0);

  open = crm_coupon_list_open (store, first, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, ==, 1);
  g_assert_cmpstr (((CrmCouponHeld *) open->pdata[0])->batch, ==, "Shanghai");
  g_assert_cmpstr (((CrmCouponHeld *) open->pdata[0])->description, ==, "10 % off");

  /* Redeemed: no longer open; the batch's figures. */
  g_assert_true (crm_coupon_redeem (store, ((CrmCouponHeld *) open->pdata[0])->code, first, 0, -1, 0, NULL, &error));
  g_clear_pointer (&open, g_ptr_array_unref);
  open = crm_coupon_list_open (store, first, 0, &error);
  g_assert_cmpuint (open->len, ==, 0);
  list = crm_coupon_batch_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  {
    CrmCouponBatch *got = list->pdata[0];
    g_assert_cmpint (got->codes, ==, 5);
    g_assert_cmpint (got->assigned, ==, 5);
    g_assert_cmpint (got->redeemed, ==, 1);
    g_assert_cmpfloat_with_epsilon (crm_coupon_batch_get_rate (got), 0.2, 1e-9);
  }
}

static void
test_export (void)
{
  g_autofree char *db = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (&db);
  g_autoptr(CrmCouponBatch) b = make_batch (store, "Export", 3, window);
  g_autofree char *path = g_build_filename (crm_test_tmp_dir (), "codes.csv", NULL);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  gint64 anna = crm_test_add_customer (store, "=cmd|' /C calc'!A0");
  guint64 n = 0;

  g_assert_true (crm_coupon_issue (store, b, &anna, 1, NULL, &error));
  g_assert_true (crm_coupon_export_csv (store, b, path, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (crm_test_file_mode (path), ==, 0600);
  rows = crm_test_read_csv (path, CRM_CSV_ENCODING_UTF8);
  g_assert_cmpuint (rows->len, ==, 4);
  g_assert_cmpstr (((char **) rows->pdata[0])[0], ==, "code");
  g_assert_true (g_str_has_prefix (((char **) rows->pdata[1])[0], "SPRING-"));
  /* The assigned code carries its customer, the name neutralised for spreadsheets. */
  g_assert_cmpstr (((char **) rows->pdata[1])[2], !=, "=cmd|' /C calc'!A0");
  g_assert_nonnull (strstr (((char **) rows->pdata[1])[2], "cmd|"));
  g_assert_cmpstr (((char **) rows->pdata[2])[1], ==, "");
  {
    /* Dates in the local zone, as the shop keys them in. */
    g_autoptr(GDateTime) until = g_date_time_new_from_unix_local (20 * 24 * 3600);
    g_autofree char *day = g_date_time_format (until, "%Y-%m-%d");
    g_assert_cmpstr (((char **) rows->pdata[3])[6], ==, day);
  }
}

/* ---- the race ---------------------------------------------------------------------------- */

/* The other process: "--redeem DB CODE CUSTOMER START_US" redeems at the monotonic time START_US:
 * exit 0 redeemed, 3 refused as used up, 4 anything else (printed). */
static int
redeem_main (int    argc,
             char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = NULL;
  gint64 start;

  if (argc != 6 || g_strcmp0 (argv[1], "--redeem") != 0)
    return -1;
  crm_store_lock_install ();
  if (!(store = crm_store_open (argv[2], &error)))
    {
      g_printerr ("%s\n", error->message);
      return 4;
    }
  start = g_ascii_strtoll (argv[5], NULL, 10);
  while (g_get_monotonic_time () < start)
    g_usleep (200);
  if (crm_coupon_redeem (store, argv[3], g_ascii_strtoll (argv[4], NULL, 10), 0, -1, 0, NULL, &error))
    return 0;
  if (g_error_matches (error, CRM_COUPON_ERROR, CRM_COUPON_ERROR_USED_UP))
    return 3;
  g_printerr ("%s\n", error->message);
  return 4;
}

static void
test_race (void)
{
  g_autofree char *db = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (&db);
  g_autoptr(CrmCouponBatch) b = make_batch (store, "Race", 20, many_per_customer);
  g_autofree char *c1 = g_strdup_printf ("%" G_GINT64_FORMAT, crm_test_add_customer (store, "One"));
  g_autofree char *c2 = g_strdup_printf ("%" G_GINT64_FORMAT, crm_test_add_customer (store, "Two"));
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = crm_store_prepare (store, "SELECT code FROM coupon_codes ORDER BY id", &error);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (codes, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  g_assert_cmpuint (codes->len, ==, 20);

  /* Twenty rounds, each two processes redeeming one single-use code at the same instant (for two
   * customers, so nothing but the code's use tells them apart): exactly one wins each time. */
  for (guint round = 0; round < codes->len; round++)
    {
      g_autofree char *start = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_monotonic_time () + 300 * 1000);
      const char *a1[] = { self_exe, "--redeem", db, codes->pdata[round], c1, start, NULL };
      const char *a2[] = { self_exe, "--redeem", db, codes->pdata[round], c2, start, NULL };
      GPid p1, p2;
      int s1 = 0, s2 = 0;

      g_spawn_async (NULL, (char **) a1, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &p1, &error);
      g_assert_no_error (error);
      g_spawn_async (NULL, (char **) a2, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &p2, &error);
      g_assert_no_error (error);
      g_assert_cmpint (waitpid (p1, &s1, 0), ==, p1);
      g_assert_cmpint (waitpid (p2, &s2, 0), ==, p2);
      g_spawn_close_pid (p1);
      g_spawn_close_pid (p2);
      g_assert_true (WIFEXITED (s1) && WIFEXITED (s2));
      s1 = WEXITSTATUS (s1);
      s2 = WEXITSTATUS (s2);
      g_assert_true ((s1 == 0 && s2 == 3) || (s1 == 3 && s2 == 0));
    }
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM coupon_redemptions"), ==, 20);
  g_assert_cmpint (crm_test_query_int (store, "SELECT max(uses) FROM coupon_codes"), ==, 1);
}

/* ---- member cards ------------------------------------------------------------------------ */

static void
test_luhn (void)
{
  g_autofree char *ok = NULL;

  /* Known vectors: the Luhn article's 7992739871 → 3; test card numbers. */
  g_assert_cmpint (crm_member_card_luhn_digit ("7992739871"), ==, 3);
  g_assert_true (crm_member_card_luhn_valid ("79927398713"));
  g_assert_false (crm_member_card_luhn_valid ("79927398710"));
  g_assert_true (crm_member_card_luhn_valid ("4111111111111111"));
  g_assert_true (crm_member_card_luhn_valid ("5555555555554444"));
  g_assert_true (crm_member_card_luhn_valid ("378282246310005"));
  g_assert_false (crm_member_card_luhn_valid ("4111111111111112"));
  /* A swap of neighbours is caught. */
  g_assert_false (crm_member_card_luhn_valid ("4111111111111121"));
  g_assert_cmpint (crm_member_card_luhn_digit ("12a"), ==, -1);

  ok = crm_member_card_normalize ("4111 1111-1111 1111");
  g_assert_cmpstr (ok, ==, "4111111111111111");
  g_assert_null (crm_member_card_normalize ("4111 1111 1111 1112"));
  g_assert_null (crm_member_card_normalize ("411111111111111"));
  g_assert_null (crm_member_card_normalize ("41111111111111110"));
  g_assert_null (crm_member_card_normalize ("138 0013 8000"));
  {
    g_autofree char *f = crm_member_card_format ("4111111111111111");
    g_assert_cmpstr (f, ==, "4111 1111 1111 1111");
  }
}

static GArray *
search (CrmStore   *store,
        const char *text)
{
  g_autoptr(CrmQuery) q = crm_query_new ();
  g_autoptr(GError) error = NULL;
  GArray *ids;

  crm_query_set_search_text (q, text);
  ids = crm_query_run_ids (q, store, NULL, &error);
  g_assert_no_error (error);
  return ids;
}

static void
test_cards (void)
{
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  gint64 anna = crm_test_add_customer (store, "Anna Card");
  g_autoptr(CrmMemberCard) card = NULL;
  g_autoptr(CrmMemberCard) again = NULL;
  g_autoptr(CrmMemberCard) fresh = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *spaced = NULL;

  card = crm_member_card_get (store, anna, &error);
  g_assert_null (card);
  g_assert_error (error, CRM_MEMBER_CARD_ERROR, CRM_MEMBER_CARD_ERROR_NONE);
  g_clear_error (&error);

  card = crm_member_card_issue (store, anna, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (card->number), ==, 16);
  g_assert_true (card->number[0] == '8');
  g_assert_true (crm_member_card_luhn_valid (card->number));
  g_assert_null (crm_member_card_issue (store, anna, &error));
  g_assert_error (error, CRM_MEMBER_CARD_ERROR, CRM_MEMBER_CARD_ERROR_EXISTS);
  g_clear_error (&error);

  /* Found by its number, written any way; the search box finds the customer. */
  spaced = crm_member_card_format (card->number);
  g_assert_cmpint (crm_member_card_lookup (store, spaced, &error), ==, anna);
  g_assert_no_error (error);
  {
    g_autoptr(GArray) ids = search (store, spaced);
    g_assert_cmpuint (ids->len, ==, 1);
    g_assert_cmpint (g_array_index (ids, gint64, 0), ==, anna);
  }

  /* A wrong check digit is not a card. */
  {
    g_autofree char *wrong = g_strdup (card->number);
    wrong[15] = '0' + (wrong[15] - '0' + 1) % 10;
    g_assert_cmpint (crm_member_card_lookup (store, wrong, &error), ==, 0);
    g_assert_error (error, CRM_MEMBER_CARD_ERROR, CRM_MEMBER_CARD_ERROR_INVALID);
    g_clear_error (&error);
  }

  /* Lost: reissued; the old number is refused and not found, the new one is; history kept. */
  fresh = crm_member_card_reissue (store, anna, "lost", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fresh->number, !=, card->number);
  g_assert_cmpint (crm_member_card_lookup (store, card->number, &error), ==, 0);
  g_assert_error (error, CRM_MEMBER_CARD_ERROR, CRM_MEMBER_CARD_ERROR_REVOKED);
  g_assert_nonnull (strstr (error->message, "no longer valid"));
  g_clear_error (&error);
  {
    g_autoptr(GArray) old_ids = search (store, card->number);
    g_autoptr(GArray) new_ids = search (store, fresh->number);
    g_assert_cmpuint (old_ids->len, ==, 0);
    g_assert_cmpuint (new_ids->len, ==, 1);
  }
  again = crm_member_card_get (store, anna, &error);
  g_assert_cmpstr (again->number, ==, fresh->number);
  history = crm_member_card_history (store, anna, &error);
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_cmpint (((CrmMemberCard *) history->pdata[1])->revoked_at, >, 0);
  g_assert_cmpstr (((CrmMemberCard *) history->pdata[1])->reason, ==, "lost");

  /* No card to reissue. */
  g_assert_null (crm_member_card_reissue (store, crm_test_add_customer (store, "No card"), NULL, &error));
  g_assert_error (error, CRM_MEMBER_CARD_ERROR, CRM_MEMBER_CARD_ERROR_NONE);
}

static void
test_card_pdf (void)
{
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  gint64 anna = crm_test_add_customer (store, "王芳 Wang");
  g_autoptr(CrmMemberCard) card = crm_member_card_issue (store, anna, NULL);
  g_autofree char *path = g_build_filename (crm_test_tmp_dir (), "card.pdf", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *spaced = crm_member_card_format (card->number);
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "pdftotext", path, "-", NULL };
  int status = -1;

  g_assert_true (crm_member_card_write_pdf (store, anna, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_test_file_mode (path), ==, 0600);
  /* poppler-utils is a build dependency (build-aux/setup.sh): missing, this fails. */
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "王芳 Wang"));
  g_assert_nonnull (strstr (out, spaced));

  /* The QR code: rendered at 4 pixels a point, the centre of every module is dark exactly where
   * libqrencode's encoding of the number has a dark module — the printed code is the number. */
  {
    g_autofree char *base = g_build_filename (crm_test_tmp_dir (), "card-gray", NULL);
    g_autofree char *pgm = g_strconcat (base, ".pgm", NULL);
    const char *render[] = { "pdftoppm", "-gray", "-r", "288", "-singlefile", path, base, NULL };
    g_autofree char *pixels = NULL;
    QRcode *qr = QRcode_encodeString (card->number, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    int w = 0, h = 0, maxval = 0, header = 0, mismatches = 0, dark = 0;
    double x0, y0, module;
    gsize len = 0;

    g_spawn_sync (NULL, (char **) render, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_cmpint (status, ==, 0);
    g_assert_true (g_file_get_contents (pgm, &pixels, &len, &error));
    g_assert_cmpint (sscanf (pixels, "P5 %d %d %d%n", &w, &h, &maxval, &header), ==, 3);
    header++;   /* the one whitespace after maxval */
    g_assert_cmpuint (len, ==, (gsize) header + (gsize) w * h);
    crm_member_card_qr_geometry (qr->width, &x0, &y0, &module);
    for (int my = 0; my < qr->width; my++)
      for (int mx = 0; mx < qr->width; mx++)
        {
          int px = (int) ((x0 + (mx + 0.5) * module) * 4), py = (int) ((y0 + (my + 0.5) * module) * 4);
          gboolean is_dark = (guchar) pixels[header + py * w + px] < 128;

          g_assert_true (px < w && py < h);
          dark += is_dark;
          mismatches += is_dark != (qr->data[my * qr->width + mx] & 1);
        }
    g_assert_cmpint (mismatches, ==, 0);
    g_assert_cmpint (dark, >, qr->width * qr->width / 4);
    QRcode_free (qr);
  }

  /* No card, no PDF. */
  g_assert_false (crm_member_card_write_pdf (store, crm_test_add_customer (store, "X"), path, &error));
  g_assert_error (error, CRM_MEMBER_CARD_ERROR, CRM_MEMBER_CARD_ERROR_NONE);
}

int
main (int   argc,
      char *argv[])
{
  int other = redeem_main (argc, argv);

  if (other >= 0)
    return other;
  self_exe = argv[0];
  crm_test_init (&argc, &argv);

  g_test_add_func ("/loyalty/coupon/codes", test_codes);
  g_test_add_func ("/loyalty/coupon/case-insensitive", test_case_insensitive);
  g_test_add_func ("/loyalty/coupon/refusals", test_refusals);
  g_test_add_func ("/loyalty/coupon/issue-segment", test_issue_segment);
  g_test_add_func ("/loyalty/coupon/export", test_export);
  g_test_add_func ("/loyalty/coupon/race", test_race);
  g_test_add_func ("/loyalty/card/luhn", test_luhn);
  g_test_add_func ("/loyalty/card/issue-reissue-search", test_cards);
  g_test_add_func ("/loyalty/card/pdf", test_card_pdf);

  return g_test_run ();
}

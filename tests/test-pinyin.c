/* test-pinyin.c: names as a Chinese user expects a contact list to show and find them — pinyin
 * order (陈 < 王 < 张, Latin names in their letter's place) and search by full pinyin, spaced
 * pinyin and initials, with surnames read as surnames; kept right on every kind of write and
 * made by the migration for a database from before.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sqlite3.h>
#include <string.h>

#include "crm-session.h"
#include "crm-test-util.h"
#include "crm-customer.h"
#include "crm-customer-list.h"
#include "crm-generate.h"
#include "crm-import.h"
#include "crm-import-tuning-private.h"
#include "crm-pinyin.h"
#include "crm-query.h"

/* The names of the customers @text finds (all of them for NULL), in the list's name order,
 * joined with '|'. */
static char *
names_for (CrmStore   *store,
           const char *text,
           gboolean    descending)
{
  g_autoptr(CrmQuery) q = crm_query_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  crm_query_set_search_text (q, text);
  g_assert_true (crm_query_set_sort (q, "name", descending, &error));
  ids = crm_query_run_ids (q, store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_query_count (q, store, NULL), ==, ids->len);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(CrmCustomer) c = crm_store_load (store, CRM_TYPE_CUSTOMER, g_array_index (ids, gint64, i), &error);

      g_assert_no_error (error);
      g_string_append_printf (out, "%s%s", i ? "|" : "", crm_customer_get_name (c));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

#define assert_names(store, text, desc, expected) \
  G_STMT_START { \
    g_autofree char *got_ = names_for (store, text, desc); \
    g_assert_cmpstr (got_, ==, expected); \
  } G_STMT_END
#define assert_finds(store, text, expected) assert_names (store, text, FALSE, expected)

static void
set_order (CrmStore   *store,
           const char *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_store_set_setting (store, CRM_NAME_ORDER_SETTING, value, &error));
  g_assert_no_error (error);
}

static void
add_names (CrmStore          *store,
           const char *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    crm_test_add_customer (store, names[i]);
}

/* The sort keys alone: memcmp order is the contact-list order. */
static void
test_sort_keys (void)
{
  const char *expected[] = { "Adams", "陈", "丁", "欧阳娜娜", "王", "张", "Zhou" };
  gsize len_a, len_b;

  for (guint i = 1; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree guint8 *a = crm_pinyin_sort_key (expected[i - 1], &len_a);
      g_autofree guint8 *b = crm_pinyin_sort_key (expected[i], &len_b);
      int cmp = memcmp (a, b, MIN (len_a, len_b));

      if (cmp == 0)
        cmp = len_a < len_b ? -1 : len_a > len_b;
      if (cmp >= 0)
        g_error ("“%s” does not sort before “%s”", expected[i - 1], expected[i]);
    }
}

/* A mixed list in zh_CN: pinyin order both ways; in another locale letter by letter unless the
 * setting asks for pinyin; the setting "plain" wins over a Chinese locale. */
static void
test_sort_order (void)
{
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  const char *names[] = { "张", "王", "陈", "Adams", "Zhou", "丁", "欧阳娜娜", NULL };

  add_names (store, names);

  g_setenv ("LC_ALL", "zh_CN.UTF-8", TRUE);
  assert_names (store, NULL, FALSE, "Adams|陈|丁|欧阳娜娜|王|张|Zhou");
  assert_names (store, NULL, TRUE, "Zhou|张|王|欧阳娜娜|丁|陈|Adams");
  /* A search's hits in the same order: 张 (zhang) and Zhou. */
  assert_finds (store, "z", "张|Zhou");
  set_order (store, "plain");
  assert_names (store, NULL, FALSE, "Adams|Zhou|丁|张|欧阳娜娜|王|陈");

  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  set_order (store, "locale");
  assert_names (store, NULL, FALSE, "Adams|Zhou|丁|张|欧阳娜娜|王|陈");
  set_order (store, "pinyin");
  assert_names (store, NULL, FALSE, "Adams|陈|丁|欧阳娜娜|王|张|Zhou");
  g_unsetenv ("LC_ALL");
}

/* The app's customer list (the model of the Customers page) sorts by name in pinyin order in a
 * Chinese locale, and its search finds by initials. */
static void
test_customer_list (void)
{
  g_autoptr(CrmSession) session = crm_test_session_new (NULL);
  CrmStore *store = crm_session_get_store (session);
  g_autoptr(CrmCustomerList) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) got = g_string_new (NULL);
  const char *names[] = { "张", "王", "陈", "Adams", "Zhou", "丁", "欧阳娜娜", NULL };

  add_names (store, names);
  g_setenv ("LC_ALL", "zh_CN.UTF-8", TRUE);
  list = crm_customer_list_new (session);
  g_assert_true (crm_query_set_sort (crm_customer_list_get_query (list), "name", FALSE, &error));
  g_assert_true (crm_customer_list_refresh_sync (list, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(CrmCustomer) c = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_string_append_printf (got, "%s%s", i ? "|" : "", crm_customer_get_name (c));
    }
  g_assert_cmpstr (got->str, ==, "Adams|陈|丁|欧阳娜娜|王|张|Zhou");

  crm_query_set_search_text (crm_customer_list_get_query (list), "oynn");
  g_assert_true (crm_customer_list_refresh_sync (list, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  {
    g_autoptr(CrmCustomer) c = g_list_model_get_item (G_LIST_MODEL (list), 0);
    g_assert_cmpstr (crm_customer_get_name (c), ==, "欧阳娜娜");
  }
  g_unsetenv ("LC_ALL");
}

/* A polyphonic surname sorts by its surname reading: 单 is shan (after 邓 deng, before 孙 sun),
 * 曾 is zeng (before 张 zhang), not dan and ceng. */
static void
test_sort_surnames (void)
{
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  const char *names[] = { "孙丽", "单雄信", "邓超", "曾国藩", "张三", "蔡明", NULL };

  add_names (store, names);
  set_order (store, "pinyin");
  assert_names (store, NULL, FALSE, "蔡明|邓超|单雄信|孙丽|曾国藩|张三");
}

static void
test_search (void)
{
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  const char *names[] = {
    "王芳", "王小明", "Wang Lee", "欧阳娜娜", "单雄信", "曾国藩", "解缙", "区志", "仇英", "朴槿惠",
    "查良镛", "盖聂", "乐嘉", "缪可", "尉迟恭", "司马光", "诸葛亮", "上官婉儿", "陈静",
    "北京东方明珠广播电视塔有限公司", "々〆", "😀 王", NULL,
  };

  add_names (store, names);
  set_order (store, "pinyin");

  /* Full pinyin, spaced, any case; the initials. */
  assert_finds (store, "wangfang", "王芳");
  assert_finds (store, "wang fang", "王芳");
  assert_finds (store, "WangFang", "王芳");
  assert_finds (store, "wf", "王芳");
  assert_finds (store, "WF", "王芳");
  assert_finds (store, "wxm", "王小明");
  /* From the given name on, and as the user types (a prefix). */
  assert_finds (store, "xiaoming", "王小明");
  assert_finds (store, "xm", "王小明");
  assert_finds (store, "wangf", "王芳");
  assert_finds (store, "wangx", "王小明");
  /* Latin names still by their words, in pinyin order among the others. */
  assert_finds (store, "wang", "😀 王|王芳|Wang Lee|王小明");
  /* Compound surnames. */
  assert_finds (store, "ouyang", "欧阳娜娜");
  assert_finds (store, "oynn", "欧阳娜娜");
  assert_finds (store, "simaguang", "司马光");
  assert_finds (store, "zhugeliang", "诸葛亮");
  assert_finds (store, "shangguan", "上官婉儿");
  assert_finds (store, "yuchigong", "尉迟恭");
  /* Polyphonic surnames by their surname reading, not the character's usual one. */
  assert_finds (store, "shanxiongxin", "单雄信");
  assert_finds (store, "sxx", "单雄信");
  assert_finds (store, "danxiongxin", "");
  assert_finds (store, "zengguofan", "曾国藩");
  assert_finds (store, "cengguofan", "");
  assert_finds (store, "xiejin", "解缙");
  assert_finds (store, "jiejin", "");
  assert_finds (store, "ouzhi", "区志");
  assert_finds (store, "qiuying", "仇英");
  assert_finds (store, "piaojinhui", "朴槿惠");
  assert_finds (store, "zhaliangyong", "查良镛");
  assert_finds (store, "genie", "盖聂");
  assert_finds (store, "yuejia", "乐嘉");
  assert_finds (store, "miaoke", "缪可");
  /* A long name: keys from its first eight syllables.  Characters without a reading are left
   * out; an emoji before a Han character sorts first (symbols before letters). */
  assert_finds (store, "bjdfmz", "北京东方明珠广播电视塔有限公司");
  assert_finds (store, "beijingdongfang", "北京东方明珠广播电视塔有限公司");
  assert_finds (store, "youxiangongsi", "");
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM customer_terms t JOIN customers c"
                                              " ON c.id = t.customer_id WHERE c.name = '々〆'"
                                              " AND t.term GLOB '[a-z]*'"), ==, 0);
  /* Not pinyin: no pinyin match, and the other searches as before. */
  assert_finds (store, "wang-fang", "");
  assert_finds (store, "王芳", "王芳");
  assert_finds (store, "陈", "陈静");
}

/* The keys follow the name: a rename drops the old ones; a deleted customer is not found. */
static void
test_keys_on_edit (void)
{
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) c = crm_customer_new ();
  const char *names[] = { "陈静", "张伟", NULL };

  add_names (store, names);
  set_order (store, "pinyin");
  crm_customer_set_name (c, "王芳");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);
  assert_names (store, NULL, FALSE, "陈静|王芳|张伟");
  assert_finds (store, "wf", "王芳");

  crm_customer_set_name (c, "安娜");
  g_assert_true (crm_store_update (store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);
  assert_finds (store, "wf", "");
  assert_finds (store, "wangfang", "");
  assert_finds (store, "anna", "安娜");
  assert_finds (store, "an", "安娜");
  assert_names (store, NULL, FALSE, "安娜|陈静|张伟");

  /* Another field changes: the keys stay. */
  crm_customer_set_city (c, "上海");
  g_assert_true (crm_store_update (store, CRM_ENTITY (c), &error));
  assert_finds (store, "anna", "安娜");

  g_assert_true (crm_store_delete (store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);
  assert_finds (store, "anna", "");
}

static void
keep_first (const char *key,
            gsize       len,
            gpointer    out)
{
  if (*(char **) out == NULL)
    *(char **) out = g_strndup (key, len);
}

/* Bulk writers: an import in either mode and the generator leave every row with its keys. */
static void
test_bulk_writers (void)
{
  const char *modes[] = { "bulk", "incremental" };

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_autoptr(CrmStore) store = crm_test_store_new (NULL);
      g_autofree char *path = crm_test_write_file ("pinyin.csv", "name,email\n王芳,wf@example.cn\n欧阳娜娜,\n"
                                                   "单雄信,sxx@example.cn\nAdams,adams@example.com\n", -1);
      g_autoptr(CrmImporter) imp = crm_importer_new (store, CRM_IMPORT_CUSTOMERS, path);
      CrmImportTuning tuning = { 0 };
      g_autoptr(GError) error = NULL;

      g_assert_true (crm_import_mode_from_string (modes[m], &tuning.mode));
      crm_importer_set_tuning (imp, &tuning);
      g_assert_true (crm_importer_prepare (imp, NULL, &error));
      g_assert_true (crm_importer_run (imp, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      set_order (store, "pinyin");
      g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM customers WHERE name_key IS NULL"), ==, 0);
      assert_names (store, NULL, FALSE, "Adams|欧阳娜娜|单雄信|王芳");
      assert_finds (store, "wf", "王芳");
      assert_finds (store, "ouyang", "欧阳娜娜");
      assert_finds (store, "shan", "单雄信");
    }

  {
    g_autoptr(CrmStore) store = crm_test_store_new (NULL);
    g_autoptr(GError) error = NULL;
    CrmGenerateOptions opts = { 300, 0, 7, 0 };
    g_autofree char *first = NULL;
    g_autofree char *full = NULL;
    g_autofree char *found = NULL;

    g_assert_true (crm_generate (store, &opts, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM customers WHERE name_key IS NULL"), ==, 0);
    g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM sqlite_master WHERE name = 'customers_name_key'"), ==, 1);
    /* A generated Chinese name is found by its full pinyin. */
    first = crm_test_query_text (store, "SELECT name FROM customers WHERE unicode(name) >= 19968 ORDER BY id LIMIT 1");
    g_assert_nonnull (first);
    crm_pinyin_keys_foreach (first, keep_first, &full);
    g_assert_nonnull (full);
    set_order (store, "pinyin");
    found = names_for (store, full, FALSE);
    g_assert_nonnull (strstr (found, first));
  }
}

/* A database of schema 5 (no keys) gets them for every row, deleted ones included, in batches
 * (more rows than one batch), and the index the list sorts with. */
static void
test_migration (void)
{
  g_autofree char *path = NULL;
  const char *family[] = { "王", "李", "张", "刘", "陈", "单", "欧阳", "曾" };
  const char *given[] = { "芳", "伟", "娜", "静", "小明", "雄信" };
  sqlite3 *db = NULL;
  char *message = NULL;
  guint n = 0;

  {
    g_autoptr(CrmStore) store = crm_test_store_new (&path);
    g_autoptr(GError) error = NULL;

    g_assert_true (crm_store_begin (store, &error));
    for (guint r = 0; r < 60; r++)
      for (guint f = 0; f < G_N_ELEMENTS (family); f++)
        for (guint g = 0; g < G_N_ELEMENTS (given); g++, n++)
          {
            g_autofree char *name = g_strconcat (family[f], given[g], NULL);
            crm_test_add_customer (store, name);
          }
    crm_test_add_customer (store, "Adams");
    n++;
    g_assert_true (crm_store_commit (store, &error));
  }
  g_assert_cmpuint (n, >, 2000);

  /* Back to schema 6 (before the pinyin step): no column, no index, no pinyin terms. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_exec (db, "DROP INDEX customers_name_key;"
                    "DROP INDEX customers_id_name_key;"
                    "ALTER TABLE customers DROP COLUMN name_key;"
                    "DELETE FROM customer_terms WHERE term GLOB '[a-z]*' AND customer_id IN"
                    " (SELECT id FROM customers WHERE name <> 'Adams');"
                    "UPDATE customers SET deleted_at = 1 WHERE id = 2;"
                    /* … and the steps after it undone (7 → 8 sales and interactions, 8 → 9 sync,
                     * 9 → 10 follow-ups, owners and the pool). */
                    "DROP TRIGGER customers_owner_ai; DROP TRIGGER customers_owner_au;"
                    "DROP INDEX customers_owner; DROP INDEX customers_birthday_md;"
                    "DROP TABLE tasks; DROP TABLE pool_history; DROP TABLE owners;"
                    /* … and the steps after it undone (7 → 8 sales and interactions, 8 → 9 sync). */
                    "DROP TABLE sync_orders;"   /* 9 → 10 WooCommerce orders */
                    "DROP TABLE sync_links; DROP TABLE sync_accounts;"
                    /* 9 → 10: coupons and member cards. */
                    "DROP TABLE coupon_redemptions; DROP TABLE coupon_codes; DROP TABLE coupon_batches;"
                    "DROP TABLE member_cards;"
                    /* 9 → 10 feedback workflow */
                    "DROP TABLE feedback_history; DROP TABLE feedback_fts; DROP TRIGGER feedback_received_ai;"
                    "DROP INDEX feedback_stats; DROP INDEX feedback_status;"
                    "ALTER TABLE feedback DROP COLUMN received_at; ALTER TABLE feedback DROP COLUMN source;"
                    "ALTER TABLE feedback DROP COLUMN order_id; ALTER TABLE feedback DROP COLUMN priority;"
                    "ALTER TABLE feedback DROP COLUMN assignee; ALTER TABLE feedback DROP COLUMN due_at;"
                    /* 9 → 10 campaigns */
                    "DROP TABLE campaign_recipients; DROP TABLE email_unsubscribes;"
                    "ALTER TABLE campaigns DROP COLUMN html_body;"
                    /* 9 → 10: consent history. */
                    "DROP TRIGGER customers_consent_au; DROP TABLE consent_events;"
                    "DROP TABLE refunds; DROP TABLE interactions_fts; DROP TABLE interaction_terms;"
                    "ALTER TABLE orders DROP COLUMN payment_method;"
                    "ALTER TABLE orders DROP COLUMN refunded;"
                    "ALTER TABLE interactions DROP COLUMN logged_by;"
                    /* 9 → 10 loyalty points */
                    "DROP TABLE points_ledger; DROP TABLE points_balances;"
                    "DELETE FROM settings WHERE key GLOB 'loyalty.*';"
                    "PRAGMA user_version = 6;", NULL, NULL, &message);
  g_assert_null (message);
  sqlite3_close (db);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CrmStore) store = crm_store_open (path, &error);
    g_autofree char *first = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (crm_test_query_int (store, "PRAGMA user_version"), ==, CRM_STORE_SCHEMA_VERSION);
    g_assert_cmpint (crm_test_query_int (store, "SELECT count(name_key) FROM customers"), ==, n);
    g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM sqlite_master"
                                                " WHERE name IN ('customers_name_key', 'customers_id_name_key')"), ==, 2);
    set_order (store, "pinyin");
    /* 王芳 60 times (one of them deleted: id 2 is 王伟); 单雄信 by its surname reading. */
    g_assert_cmpint (crm_test_query_int (store, "SELECT count(DISTINCT customer_id) FROM customer_terms WHERE term = 'wf'"), ==, 60);
    {
      g_autoptr(CrmQuery) q = crm_query_new ();
      g_autoptr(GArray) ids = NULL;

      crm_query_set_search_text (q, "wangwei");
      ids = crm_query_run_ids (q, store, NULL, &error);
      g_assert_cmpuint (ids->len, ==, 59);
      crm_query_set_search_text (q, "shanxiongxin");
      g_clear_pointer (&ids, g_array_unref);
      ids = crm_query_run_ids (q, store, NULL, &error);
      g_assert_cmpuint (ids->len, ==, 60);
      crm_query_set_search_text (q, NULL);
      g_clear_pointer (&ids, g_array_unref);
      ids = crm_query_run_ids (q, store, NULL, &error);
      g_assert_cmpuint (ids->len, ==, n - 1);
      first = crm_test_query_text (store, "SELECT name FROM customers WHERE deleted_at IS NULL ORDER BY name_key LIMIT 1");
      g_assert_cmpstr (first, ==, "Adams");
    }
  }
}

/* The oldest fixture database (schema 4) comes up through both steps: its Chinese name (a
 * deleted customer) has its keys, and is found by pinyin once restored. */
static void
test_migration_fixture (void)
{
  g_autofree char *path = crm_test_unpack_db ("v4.db.gz");
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_store_open (path, &error);
  g_autoptr(CrmCustomer) deleted = NULL;

  g_assert_no_error (error);
  set_order (store, "pinyin");
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(name_key) FROM customers"), ==, 4);
  assert_finds (store, "wangfang", "");
  assert_finds (store, "wang fang", "Wang Fang");
  deleted = crm_store_load (store, CRM_TYPE_CUSTOMER, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_customer_get_name (deleted), ==, "王芳");
  g_assert_true (crm_store_restore (store, CRM_ENTITY (deleted), &error));
  g_assert_no_error (error);
  assert_finds (store, "wangfang", "王芳");
  assert_finds (store, "wang fang", "王芳|Wang Fang");
  assert_names (store, NULL, FALSE, "Li Lei|王芳|Wang Fang|Zhao Min");
}

int
main (int    argc,
      char **argv)
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/pinyin/sort-keys", test_sort_keys);
  g_test_add_func ("/pinyin/sort-order", test_sort_order);
  g_test_add_func ("/pinyin/sort-surnames", test_sort_surnames);
  g_test_add_func ("/pinyin/customer-list", test_customer_list);
  g_test_add_func ("/pinyin/search", test_search);
  g_test_add_func ("/pinyin/keys-on-edit", test_keys_on_edit);
  g_test_add_func ("/pinyin/bulk-writers", test_bulk_writers);
  g_test_add_func ("/pinyin/migration", test_migration);
  g_test_add_func ("/pinyin/migration-fixture", test_migration_fixture);

  return g_test_run ();
}

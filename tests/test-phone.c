/* test-phone.c: a phone number is one customer's whole number — the forms of one number match,
 * distinct numbers never do, however many digits they share at the end — in the key, the
 * duplicate finder, the importer, the upgrade of an older database and a change of region.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sqlite3.h>
#include <string.h>

#include "crm-test-util.h"
#include "crm-customer.h"
#include "crm-import.h"
#include "crm-import-tuning-private.h"
#include "crm-phone.h"
#include "crm-search.h"

static void
assert_key (const char *phone,
            const char *region,
            const char *expected)
{
  g_autofree char *key = crm_phone_key (phone, region);

  if (g_strcmp0 (key, expected) != 0)
    g_error ("“%s” in %s: key %s, expected %s", phone, region ? region : "(none)",
             key ? key : "(none)", expected ? expected : "(none)");
}

/* +86 138 0013 8000, 008613800138000 and 13800138000 in China are one number. */
static void
test_china (void)
{
  const char *same[] = {
    "+86 138 0013 8000", "008613800138000", "13800138000", "138-0013-8000", "(+86) 138 0013 8000",
    "0086-138-0013-8000", "86 138 0013 8000", "+86 (0)138 0013 8000", "tel:+86-138-0013-8000",
    "＋８６ １３８ ００１３ ８０００",   /* full-width, from a Chinese IME */
  };

  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    assert_key (same[i], "CN", "+8613800138000");
  /* Written with its country code, the region does not matter. */
  assert_key ("+86 138 0013 8000", "US", "+8613800138000");
  assert_key ("008613800138000", "DE", "+8613800138000");
  /* A landline: the trunk prefix 0 is dropped, with or without the country code. */
  assert_key ("0571 8888 8888", "CN", "+8657188888888");
  assert_key ("+86 571 8888 8888", NULL, "+8657188888888");
  assert_key ("+86 0571 8888 8888", NULL, "+8657188888888");
}

/* Numbers that share their last 8 (or 10) digits are other people. */
static void
test_distinct (void)
{
  g_autofree char *a = crm_phone_key ("+86 138 0000 0005", "CN");
  g_autofree char *b = crm_phone_key ("+86 139 0000 0005", "CN");
  g_autofree char *c = crm_phone_key ("13800138000", "CN");
  g_autofree char *d = crm_phone_key ("+1 380 013 8000", "CN");
  g_autofree char *e = crm_phone_key ("13800138000", "US");

  g_assert_cmpstr (a, !=, b);
  g_assert_cmpstr (c, !=, d);
  /* The same digits are a number of the region they were written in. */
  g_assert_cmpstr (c, !=, e);
  g_assert_cmpstr (e, ==, "+13800138000");
}

static void
test_regions (void)
{
  /* Hong Kong: eight digits, no trunk prefix. */
  assert_key ("9123 4567", "HK", "+85291234567");
  assert_key ("+852 9123 4567", "CN", "+85291234567");
  assert_key ("852 9123 4567", "HK", "+85291234567");
  assert_key ("00852 9123 4567", "CN", "+85291234567");
  /* … and the same eight digits in China are not that number. */
  assert_key ("9123 4567", "CN", "+8691234567");

  /* Taiwan: the trunk prefix 0 is dropped. */
  assert_key ("02 2345 6789", "TW", "+886223456789");
  assert_key ("+886 2 2345 6789", "CN", "+886223456789");
  assert_key ("+886 (0)2 2345 6789", "CN", "+886223456789");
  assert_key ("0912 345 678", "TW", "+886912345678");

  /* United States and Canada: a leading 1 of 11 digits is the country code. */
  assert_key ("(415) 555-0100", "US", "+14155550100");
  assert_key ("+1 415 555 0100", "CN", "+14155550100");
  assert_key ("1 415 555 0100", "US", "+14155550100");
  assert_key ("1-415-555-0100", "CA", "+14155550100");
  assert_key ("011 86 138 0013 8000", "US", "+8613800138000");

  /* Elsewhere: the UK's "(0)", Italy's 0 that is part of the number, lower-case regions. */
  assert_key ("+44 (0)20 7946 0958", NULL, "+442079460958");
  assert_key ("020 7946 0958", "gb", "+442079460958");
  assert_key ("+39 06 1234 5678", NULL, "+390612345678");
  assert_key ("06 1234 5678", "IT", "+390612345678");
  assert_key ("030 1234567", "DE", "+49301234567");

  /* A region without a calling code in the table: national numbers keep their digits, which
   * match the same digits only, never an international number. */
  assert_key ("0912 345 678", "ZZ", "0912345678");
  assert_key ("0912 345 678", NULL, "0912345678");
  assert_key ("+886 912 345 678", "ZZ", "+886912345678");
}

/* Fewer than 7 digits: no key, so never a match — not even with the same short number. */
static void
test_short (void)
{
  const char *regions[] = { "CN", "HK", "US", "ZZ", NULL };
  const char *shorts[] = { "8000", "123456", "12-34-56", "+86 1234", "0086 1234", "1 2 3 4 5 6", "", "call me" };

  for (guint r = 0; r < G_N_ELEMENTS (regions); r++)
    for (guint i = 0; i < G_N_ELEMENTS (shorts); i++)
      assert_key (shorts[i], regions[r], NULL);
  assert_key (NULL, "CN", NULL);
  /* A country code with almost nothing after it. */
  assert_key ("+852 1234", "CN", NULL);
  /* Seven digits are enough. */
  assert_key ("555 0100", "US", "+15550100");
}

/* An extension is not part of the number. */
static void
test_extensions (void)
{
  const char *same[] = {
    "138 0013 8000 x123", "138-0013-8000 ext. 12", "+86 13800138000;ext=5", "13800138000#7",
    "13800138000 转 8", "tel:+86-138-0013-8000;ext=102", "138 0013 8000, 1", "13800138000 EXT 9",
  };

  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    assert_key (same[i], "CN", "+8613800138000");
  assert_key ("+1-418-656-9254;ext=102", NULL, "+14186569254");
  /* An extension does not make a short number long enough. */
  assert_key ("8000 x1234567", "CN", NULL);
}

static void
test_locale_region (void)
{
  const char *saved = g_getenv ("LC_ALL");
  g_autofree char *copy = g_strdup (saved);

  g_setenv ("LC_ALL", "zh_TW.UTF-8", TRUE);
  g_assert_cmpstr (crm_phone_locale_region (), ==, "TW");
  g_assert_cmpstr (crm_phone_default_region (), ==, "TW");
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_assert_null (crm_phone_locale_region ());
  g_assert_cmpstr (crm_phone_default_region (), ==, "CN");
  if (copy != NULL)
    g_setenv ("LC_ALL", copy, TRUE);
  else
    g_unsetenv ("LC_ALL");

  g_assert_nonnull (crm_phone_region_lookup ("hk"));
  g_assert_cmpstr (crm_phone_region_lookup ("HK")->calling_code, ==, "852");
  g_assert_null (crm_phone_region_lookup ("ZZ"));
  g_assert_true (crm_phone_region_is_valid ("cn"));
  g_assert_false (crm_phone_region_is_valid ("CHN"));
  g_assert_false (crm_phone_region_is_valid ("C1"));
  g_assert_false (crm_phone_region_is_valid (NULL));
}

/* ---- the store ------------------------------------------------------------------------ */

static gint64
add (CrmStore   *store,
     const char *name,
     const char *phone)
{
  g_autoptr(CrmCustomer) c = crm_customer_new ();
  g_autoptr(GError) error = NULL;

  crm_customer_set_name (c, name);
  crm_customer_set_phone (c, phone);
  crm_store_insert (store, CRM_ENTITY (c), &error);
  g_assert_no_error (error);
  return crm_entity_get_id (CRM_ENTITY (c));
}

/* The ids crm_store_find_duplicates() gives for customer @id, as "2,3". */
static char *
duplicates_of (CrmStore *store,
               gint64    id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) c = crm_store_load (store, CRM_TYPE_CUSTOMER, id, &error);
  g_autoptr(GArray) ids = NULL;
  GString *s = g_string_new (NULL);

  g_assert_no_error (error);
  ids = crm_store_find_duplicates (store, CRM_ENTITY (c), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? "," : "", g_array_index (ids, gint64, i));
  return g_string_free (s, FALSE);
}

#define assert_duplicates(store, id, expected) \
  G_STMT_START { g_autofree char *_d = duplicates_of (store, id); g_assert_cmpstr (_d, ==, expected); } G_STMT_END

static void
set_region (CrmStore   *store,
            const char *region)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_store_set_region (store, region, NULL, &error));
  g_assert_no_error (error);
}

/* What the app's editor, the merge dialog and the CLI's add-customer warn about. */
static void
test_find_duplicates (void)
{
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  gint64 a, b, c, d, e, f, g, h;

  set_region (store, "CN");
  a = add (store, "Wang Fang", "+86 138 0013 8000");
  b = add (store, "Wang Fang 2", "008613800138000");
  c = add (store, "Wang Fang 3", "13800138000");
  d = add (store, "Zhao Min", "+86 138 0000 0005");
  e = add (store, "Zhang Wei", "+86 139 0000 0005");
  f = add (store, "Short", "8000");
  g = add (store, "Short again", "8000");
  h = add (store, "Punctuated", "(+86) 138-0013-8000");

  {
    g_autofree char *abch = g_strdup_printf ("%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT,
                                             b, c, h);
    assert_duplicates (store, a, abch);
  }
  assert_duplicates (store, d, "");
  assert_duplicates (store, e, "");
  assert_duplicates (store, f, "");
  assert_duplicates (store, g, "");

  /* The search by the last digits still finds every one of them (crm-query.c). */
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM customers WHERE phone_rev >= '50000000'"
                                              " AND phone_rev < '50000001'"), ==, 2);
}

static CrmImporter *
import_csv (CrmStore      *store,
            const char    *csv,
            CrmImportMode  mode)
{
  g_autofree char *path = crm_test_write_file ("phones.csv", csv, -1);
  g_autoptr(GError) error = NULL;
  CrmImporter *imp = crm_importer_new (store, CRM_IMPORT_CUSTOMERS, path);
  CrmImportTuning tuning = { .mode = mode };

  crm_importer_set_tuning (imp, &tuning);
  crm_importer_set_duplicate_policy (imp, CRM_DUPLICATE_SKIP);
  g_assert_true (crm_importer_prepare (imp, NULL, &error));
  g_assert_true (crm_importer_run (imp, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return imp;
}

/* Two customers whose numbers share the last 8 digits are both added; the forms of one number
 * are one customer — in either way the importer finds duplicates. */
static void
test_import (gconstpointer data)
{
  CrmImportMode mode = GPOINTER_TO_INT (data);
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  g_autoptr(CrmImporter) first = NULL;
  g_autoptr(CrmImporter) second = NULL;

  set_region (store, "CN");
  add (store, "Already Here", "13700137003");
  first = import_csv (store,
                      "name,phone\n"
                      "Zhao Min,+86 138 0000 0005\n"
                      "Zhang Wei,+86 139 0000 0005\n"
                      "Li Na,+86 137 0000 0005\n"
                      "Short,8000\n"
                      "Short Too,8000\n"
                      "Zhao Min again,13800000005\n"        /* Zhao Min, national form */
                      "Already Here again,0086 137 0013 7003\n",
                      mode);
  g_assert_cmpuint (crm_importer_get_report (first)->inserted, ==, 5);
  g_assert_cmpuint (crm_importer_get_report (first)->skipped, ==, 2);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM customers WHERE name IN"
                                              " ('Zhao Min', 'Zhang Wei', 'Li Na', 'Short', 'Short Too')"), ==, 5);

  /* A second file: the numbers already there are found whatever their form. */
  second = import_csv (store,
                       "name,phone\n"
                       "Zhang Wei,008613900000005\n"
                       "Wu Lei,+86 136 0000 0005\n",
                       mode);
  g_assert_cmpuint (crm_importer_get_report (second)->inserted, ==, 1);
  g_assert_cmpuint (crm_importer_get_report (second)->skipped, ==, 1);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM customers"), ==, 7);
}

/* A database of schema 5 (made by the previous version, region TW, phones in every form, one
 * customer deleted) is upgraded with its numbers keyed in international form. */
static char *
rev_of (CrmStore   *store,
        const char *name)
{
  g_autofree char *sql = g_strdup_printf ("SELECT phone_rev FROM customers WHERE name = '%s'", name);
  g_autofree char *rev = crm_test_query_text (store, sql);

  return g_strreverse (g_steal_pointer (&rev));
}

#define assert_rev(store, name, key) \
  G_STMT_START { g_autofree char *_k = rev_of (store, name); g_assert_cmpstr (_k, ==, key); } G_STMT_END

static void
assert_upgraded (CrmStore   *store,
                 const char *region,
                 const char *li_na,
                 const char *chen_jie)
{
  g_autofree char *stored = crm_store_get_setting (store, "region");
  g_autofree char *integrity = crm_test_query_text (store, "PRAGMA integrity_check");

  g_assert_cmpint (crm_store_get_schema_version (store), ==, CRM_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (stored, ==, region);
  g_assert_cmpstr (integrity, ==, "ok");
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM customers"), ==, 9);
  assert_rev (store, "Wang Fang", "+8613800138000");
  assert_rev (store, "Deleted Twin", "+8613800138000");
  assert_rev (store, "Zhang Wei", "+8613900000005");
  assert_rev (store, "Zhao Min", "+8613800000005");
  assert_rev (store, "Ann Smith", "+14155550100");
  assert_rev (store, "Li Na", li_na);
  assert_rev (store, "Chen Jie", chen_jie);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM customers WHERE name = 'Short'"
                                              " AND phone_rev IS NULL AND phone_digits = '8000'"), ==, 1);
  /* The index is there again, and used. */
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM sqlite_schema WHERE name = 'customers_phone_rev'"),
                   ==, 1);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM customers INDEXED BY customers_phone_rev"
                                              " WHERE phone_rev = '0008310083168+'"), ==, 2);
}

static void
test_migrate (void)
{
  g_autofree char *path = crm_test_unpack_db ("v5.db.gz");
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = NULL;
  g_autoptr(CrmCustomer) zhao = NULL;
  gint64 zhang_id;

  store = crm_store_open (path, &error);
  g_assert_no_error (error);
  assert_upgraded (store, "TW", "+886912345678", "+88613700137003");
  assert_rev (store, "Taipei Office", "+886223456789");

  /* Zhao Min and Zhang Wei were one customer by their last 8 digits; no longer. */
  zhang_id = crm_test_query_int (store, "SELECT id FROM customers WHERE name = 'Zhang Wei'");
  assert_duplicates (store, zhang_id, "");
  zhao = crm_store_load (store, CRM_TYPE_CUSTOMER,
                         crm_test_query_int (store, "SELECT id FROM customers WHERE name = 'Zhao Min'"), &error);
  g_assert_no_error (error);
  crm_customer_set_notes (zhao, "saved after the upgrade");
  g_assert_true (crm_store_update (store, CRM_ENTITY (zhao), &error));
  assert_rev (store, "Zhao Min", "+8613800000005");
}

/* The same file without a region: the one the locale gives is used and written down. */
static void
test_migrate_locale (void)
{
  g_autofree char *path = crm_test_unpack_db ("v5.db.gz");
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = NULL;
  const char *saved = g_getenv ("LC_ALL");
  g_autofree char *copy = g_strdup (saved);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM settings WHERE key = 'region'", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  g_setenv ("LC_ALL", "zh_CN.UTF-8", TRUE);
  store = crm_store_open (path, &error);
  if (copy != NULL)
    g_setenv ("LC_ALL", copy, TRUE);
  else
    g_unsetenv ("LC_ALL");
  g_assert_no_error (error);
  assert_upgraded (store, "CN", "+86912345678", "+8613700137003");
}

/* A new region re-keys the national numbers, in one transaction; an invalid one changes
 * nothing. */
static void
test_change_region (void)
{
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *region = NULL;
  gint64 local, hk;

  set_region (store, "CN");
  local = add (store, "Local", "9123 4567");
  hk = add (store, "Hong Kong", "+852 9123 4567");
  assert_duplicates (store, hk, "");

  set_region (store, "hk");
  region = crm_store_dup_region (store);
  g_assert_cmpstr (region, ==, "HK");
  assert_rev (store, "Local", "+85291234567");
  {
    g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT, local);
    assert_duplicates (store, hk, expected);
  }

  g_assert_false (crm_store_set_region (store, "Hong Kong", NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_pointer (&region, g_free);
  region = crm_store_dup_region (store);
  g_assert_cmpstr (region, ==, "HK");
  assert_rev (store, "Local", "+85291234567");
}

static void
on_region_set (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_session_set_region_finish (CRM_SESSION (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

/* The app's way: a job on a connection of its own, announced to the session like any write. */
static void
test_change_region_job (void)
{
  g_autoptr(CrmSession) session = crm_test_session_new (NULL);
  CrmStore *store = crm_session_get_store (session);
  gboolean done = FALSE;

  set_region (store, "CN");
  add (store, "Taipei", "02 2345 6789");
  assert_rev (store, "Taipei", "+86223456789");
  g_assert_cmpstr (crm_session_get_region (session), ==, "CN");

  crm_session_set_region_async (session, "TW", NULL, NULL, NULL, on_region_set, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  /* The cached region follows the announcement of the setting. */
  while (g_strcmp0 (crm_session_get_region (session), "TW") != 0)
    g_main_context_iteration (NULL, TRUE);
  assert_rev (store, "Taipei", "+886223456789");
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/core/phone/china", test_china);
  g_test_add_func ("/core/phone/distinct", test_distinct);
  g_test_add_func ("/core/phone/regions", test_regions);
  g_test_add_func ("/core/phone/short", test_short);
  g_test_add_func ("/core/phone/extensions", test_extensions);
  g_test_add_func ("/core/phone/locale-region", test_locale_region);
  g_test_add_func ("/core/phone/find-duplicates", test_find_duplicates);
  g_test_add_data_func ("/core/phone/import/bulk", GINT_TO_POINTER (CRM_IMPORT_MODE_BULK), test_import);
  g_test_add_data_func ("/core/phone/import/incremental", GINT_TO_POINTER (CRM_IMPORT_MODE_INCREMENTAL),
                        test_import);
  g_test_add_func ("/core/phone/migrate", test_migrate);
  g_test_add_func ("/core/phone/migrate-locale", test_migrate_locale);
  g_test_add_func ("/core/phone/change-region", test_change_region);
  g_test_add_func ("/core/phone/change-region-job", test_change_region_job);

  return g_test_run ();
}

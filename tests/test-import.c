/* test-import.c: what a shop owner gets when importing customers and orders from CSV files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "crm-test-util.h"
#include "crm-csv-reader.h"
#include "crm-customer.h"
#include "crm-export.h"
#include "crm-import.h"
#include "crm-import-tuning-private.h"
#include "crm-order.h"

typedef struct
{
  CrmStore      *store;
  char          *db;
  CrmImportMode  mode;    /* of the importers new_importer() makes */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->db = crm_test_db_path ();
  f->store = crm_store_open (f->db, NULL);
  g_assert_nonnull (f->store);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  g_free (f->db);
}

/* An importer in the fixture's duplicate-detection mode (auto unless a test sets one). */
static CrmImporter *
new_importer (Fixture       *f,
              CrmImportKind  kind,
              const char    *path)
{
  CrmImporter *imp = crm_importer_new (f->store, kind, path);
  CrmImportTuning tuning = { .mode = f->mode };

  crm_importer_set_tuning (imp, &tuning);
  return imp;
}

static void
set_mode (Fixture    *f,
          const char *mode)
{
  g_assert_true (crm_import_mode_from_string (mode, &f->mode));
}

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "import", name, NULL);
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return crm_test_query_int (f->store, sql);
}

static char *
text (Fixture    *f,
      const char *sql)
{
  return crm_test_query_text (f->store, sql);
}

#define assert_text(f, sql, expected) \
  G_STMT_START { g_autofree char *_t = text (f, sql); g_assert_cmpstr (_t, ==, expected); } G_STMT_END

static CrmImporter *
import (Fixture            *f,
        CrmImportKind       kind,
        const char         *path,
        CrmDuplicatePolicy  policy,
        GError            **error)
{
  CrmImporter *imp = new_importer (f, kind, path);

  crm_importer_set_duplicate_policy (imp, policy);
  if (!crm_importer_prepare (imp, NULL, error) || !crm_importer_run (imp, NULL, NULL, NULL, error))
    {
      g_object_unref (imp);
      return NULL;
    }
  return imp;
}

/* A lifecycle column sets the state of new customers; a later line of the same file about the
 * same customer (duplicate policy "update") wins; every new customer has a state row, in both
 * modes, and an existing customer's stage changes in place. */
static void
test_stages (Fixture       *f,
             gconstpointer  data)
{
  const char *csv =
    "name,email,lifecycle\n"
    "Ann,ann@example.com,active\n"
    "Ben,ben@example.com,\n"
    "Cat,cat@example.com,at-risk\n"
    "Ann Again,ANN@example.com,churned\n";
  g_autofree char *path = crm_test_write_file ("stages.csv", csv, -1);
  g_autofree char *again = crm_test_write_file ("stages2.csv", "name,email,lifecycle\nBen,ben@example.com,won-back\n", -1);
  g_autoptr(CrmImporter) imp = NULL;
  g_autoptr(CrmImporter) imp2 = NULL;
  g_autoptr(GError) error = NULL;

  set_mode (f, data);
  imp = import (f, CRM_IMPORT_CUSTOMERS, path, CRM_DUPLICATE_UPDATE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (crm_importer_get_report (imp)->inserted, ==, 3);
  assert_text (f, "SELECT group_concat(c.name || ':' || s.lifecycle, ',') FROM customers c"
                  " JOIN customer_state s ON s.customer_id = c.id", "Ann Again:4,Ben:0,Cat:3");

  imp2 = import (f, CRM_IMPORT_CUSTOMERS, again, CRM_DUPLICATE_UPDATE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (crm_importer_get_report (imp2)->updated, ==, 1);
  g_assert_cmpint (count (f, "SELECT lifecycle FROM customer_state WHERE customer_id ="
                             " (SELECT id FROM customers WHERE name = 'Ben')"), ==, 5);
  g_assert_cmpint (count (f, "SELECT count(*) FROM customer_state"), ==, 3);
}

/* A uuid stays taken after its customer is deleted: a row that brings it back is refused, in
 * bulk mode (the unique index is dropped for the run) as in incremental mode, and the rest of
 * the file goes in; afterwards the unique index is there again. */
static void
test_deleted_uuid (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CrmCustomer) gone = crm_customer_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmImporter) imp = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *path = NULL;
  const char *uuid;

  set_mode (f, data);
  crm_customer_set_name (gone, "Deleted Dora");
  g_assert_true (crm_store_insert (f->store, CRM_ENTITY (gone), &error));
  g_assert_true (crm_store_delete (f->store, CRM_ENTITY (gone), &error));
  g_assert_no_error (error);
  uuid = crm_entity_get_uuid (CRM_ENTITY (gone));

  csv = g_strdup_printf ("uuid,name\n%s,Back Again\n,New Nora\n0190a7c2-0000-7000-8000-000000000001,Kept Kim\n", uuid);
  path = crm_test_write_file ("deleted-uuid.csv", csv, -1);
  imp = import (f, CRM_IMPORT_CUSTOMERS, path, CRM_DUPLICATE_SKIP, &error);
  g_assert_no_error (error);
  g_assert_nonnull (imp);
  g_assert_cmpuint (crm_importer_get_report (imp)->inserted, ==, 2);
  g_assert_cmpuint (crm_importer_get_report (imp)->rejected, ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM customers WHERE name = 'Back Again'"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM customers WHERE name IN ('New Nora', 'Kept Kim')"), ==, 2);
  assert_text (f, "SELECT name FROM customers WHERE uuid = '0190a7c2-0000-7000-8000-000000000001'", "Kept Kim");
  g_assert_cmpint (count (f, "SELECT count(*) FROM sqlite_master WHERE name = 'customers_uuid'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM pragma_index_list('customers') WHERE name = 'customers_uuid' AND \"unique\""), ==, 1);
}

static void
test_shopify_customers (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *path = data_path ("shopify-customers.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmImporter) imp = new_importer (f, CRM_IMPORT_CUSTOMERS, path);
  const CrmImportReport *r;

  g_assert_true (crm_importer_prepare (imp, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_importer_get_format (imp), ==, CRM_IMPORT_FORMAT_SHOPIFY_CUSTOMERS);
  g_assert_cmpstr (crm_importer_get_mapping (imp, 1), ==, "first_name");
  g_assert_cmpstr (crm_importer_get_mapping (imp, 15), ==, NULL);   /* Total Spent: computed here */
  g_assert_true (crm_importer_run (imp, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  r = crm_importer_get_report (imp);
  g_assert_cmpuint (r->inserted, ==, 3);
  g_assert_cmpuint (r->rejected, ==, 0);

  /* The customer's own phone wins over the address's; apostrophes are gone. */
  assert_text (f, "SELECT phone FROM customers WHERE email = 'ann@example.com'", "+1 613-555-0199");
  assert_text (f, "SELECT name FROM customers WHERE email = 'ann@example.com'", "Ann Lee");
  assert_text (f, "SELECT external_id FROM customers WHERE email = 'ann@example.com'", "7001234567890");
  assert_text (f, "SELECT postal_code FROM customers WHERE email = 'ann@example.com'", "K1A 0B1");
  assert_text (f, "SELECT address FROM customers WHERE email = 'ann@example.com'", "1 Main St, Apt 2");
  assert_text (f, "SELECT region || '/' || country FROM customers WHERE email = 'ann@example.com'", "ON/CA");
  assert_text (f, "SELECT email_consent || sms_consent FROM customers WHERE email = 'ann@example.com'", "10");
  assert_text (f, "SELECT tags FROM customers WHERE email = 'ann@example.com'", "vip, wholesale");
  assert_text (f, "SELECT source FROM customers WHERE email = 'ann@example.com'", "shopify");
  /* Chinese names: family name first, no space. */
  assert_text (f, "SELECT name FROM customers WHERE email = 'wang.fang@example.cn'", "王芳");
  assert_text (f, "SELECT phone_digits FROM customers WHERE email = 'wang.fang@example.cn'", "13800138000");
  /* No name at all: the e-mail names the customer rather than losing the row. */
  assert_text (f, "SELECT name FROM customers WHERE email = 'only.email@example.com'", "only.email@example.com");

  /* Search keys, tags, short terms and the full-text index are up to date. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH 'wholesale'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM customer_tags WHERE tag = '老客户'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM customer_terms WHERE term = '王芳'"), ==, 1);
  g_assert_cmpint (crm_test_journal_count (f->store, CRM_JOURNAL_ENTITY_CUSTOMER, CRM_JOURNAL_INSERT), ==, 3);
  g_assert_cmpint (count (f, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'customers_fts_a%'"), ==, 3);
}

static void
test_shopify_orders (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = data_path ("shopify-orders.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmImporter) imp = new_importer (f, CRM_IMPORT_ORDERS, path);
  const CrmImportReport *r;
  const CrmImportReject *rej;

  g_assert_true (crm_importer_prepare (imp, NULL, &error));
  g_assert_cmpint (crm_importer_get_format (imp), ==, CRM_IMPORT_FORMAT_SHOPIFY_ORDERS);
  g_assert_true (crm_importer_run (imp, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  r = crm_importer_get_report (imp);
  g_assert_cmpuint (r->inserted, ==, 2);
  g_assert_cmpuint (r->order_lines, ==, 3);
  g_assert_cmpuint (r->customers_created, ==, 2);
  g_assert_cmpuint (r->rejected, ==, 1);
  rej = crm_importer_get_reject (imp, 0);
  g_test_message ("reject: line %" G_GUINT64_FORMAT ": %s", rej->line, rej->reason);
  g_assert_cmpuint (rej->line, ==, 5);
  g_assert_nonnull (strstr (rej->reason, "customer"));

  /* One order of two line items (one row each), with the customer made from its billing fields. */
  assert_text (f, "SELECT total || '/' || subtotal || '/' || discount || '/' || shipping FROM orders WHERE number = '#1001'",
               "119000/120000/2000/1000");
  assert_text (f, "SELECT group_concat(sku || 'x' || quantity || '@' || unit_price, ' ') FROM"
                  " (SELECT * FROM order_lines ORDER BY id)", "TEA-250x2@50000 CUP-1x1@20000 TEA-Gx1@9900");
  assert_text (f, "SELECT c.name || '|' || c.phone || '|' || c.city FROM customers c JOIN orders o"
                  " ON o.customer_id = c.id WHERE o.number = '#1001'", "Ann Lee|+1 613-555-0101|Ottawa");
  assert_text (f, "SELECT external_id FROM orders WHERE number = '#1001'", "5551001");
  /* 10:15 at +08:00 is 02:15 UTC. */
  g_assert_cmpint (count (f, "SELECT placed_at FROM orders WHERE number = '#1001'"), ==, G_GINT64_CONSTANT (1709604900000));
  /* Cancelled orders do not count towards what the customer spent. */
  assert_text (f, "SELECT status FROM orders WHERE number = '#1002'", "cancelled");
  assert_text (f, "SELECT total_spent || '/' || order_count FROM customers WHERE name = 'Ann Lee'", "119000/1");
  assert_text (f, "SELECT total_spent || '/' || order_count FROM customers WHERE name = '陈静'", "0/0");
  g_assert_cmpint (crm_test_journal_count (f->store, CRM_JOURNAL_ENTITY_ORDER, 0), ==, 2);
  g_assert_cmpint (crm_test_journal_count (f->store, CRM_JOURNAL_ENTITY_ORDER_LINE, 0), ==, 3);
  g_assert_cmpint (count (f, "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH '\"Ann Lee\"'"), ==, 1);
}

static void
test_woocommerce (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *customers = data_path ("woocommerce-customers.csv");
  g_autofree char *orders = data_path ("woocommerce-orders.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmImporter) ci = import (f, CRM_IMPORT_CUSTOMERS, customers, CRM_DUPLICATE_SKIP, &error);
  g_autoptr(CrmImporter) oi = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (crm_importer_get_format (ci), ==, CRM_IMPORT_FORMAT_WOOCOMMERCE_CUSTOMERS);
  g_assert_cmpuint (crm_importer_get_report (ci)->inserted, ==, 2);
  assert_text (f, "SELECT name || '|' || phone || '|' || city || '|' || external_id FROM customers WHERE email = 'john.doe@example.com'",
               "John Doe|(555) 555-5555|San Francisco|25");
  /* Billing names when the account has none. */
  assert_text (f, "SELECT name || '|' || email FROM customers WHERE external_id = '26'", "林琳|lin@example.cn");
  g_assert_cmpint (count (f, "SELECT created_at FROM customers WHERE external_id = '25'"), >, 0);

  oi = import (f, CRM_IMPORT_ORDERS, orders, CRM_DUPLICATE_SKIP, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_importer_get_format (oi), ==, CRM_IMPORT_FORMAT_WOOCOMMERCE_ORDERS);
  g_assert_cmpuint (crm_importer_get_report (oi)->inserted, ==, 2);
  g_assert_cmpuint (crm_importer_get_report (oi)->customers_created, ==, 1);
  g_assert_cmpuint (crm_importer_get_report (oi)->order_lines, ==, 3);
  /* Order 727 attaches to customer 25 by the shop's customer id. */
  assert_text (f, "SELECT c.email || '|' || o.total || '|' || o.currency || '|' || o.status FROM orders o"
                  " JOIN customers c ON c.id = o.customer_id WHERE o.external_id = '727'",
               "john.doe@example.com|2935|USD|processing");
  assert_text (f, "SELECT group_concat(product, ';') FROM order_lines WHERE order_id ="
                  " (SELECT id FROM orders WHERE external_id = '727')", "Woo Single #1;Ship Your Idea");
  assert_text (f, "SELECT name || '|' || city FROM customers WHERE email = 'mary@example.com'", "Mary Major|New York");

  /* The same orders again: duplicates by the shop's order id are skipped. */
  g_clear_object (&oi);
  oi = import (f, CRM_IMPORT_ORDERS, orders, CRM_DUPLICATE_SKIP, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (crm_importer_get_report (oi)->skipped, ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM orders"), ==, 2);
}

static void
test_gbk (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *path = data_path ("gbk-customers.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmImporter) imp = import (f, CRM_IMPORT_CUSTOMERS, path, CRM_DUPLICATE_SKIP, &error);
  CrmCsvEncoding enc;

  g_assert_no_error (error);
  enc = crm_importer_get_encoding (imp);
  g_assert_true (enc == CRM_CSV_ENCODING_GB18030 || enc == CRM_CSV_ENCODING_GBK);
  g_assert_cmpint (crm_importer_get_format (imp), ==, CRM_IMPORT_FORMAT_GENERIC);
  g_assert_cmpstr (crm_importer_get_mapping (imp, 0), ==, "name");
  g_assert_cmpstr (crm_importer_get_mapping (imp, 5), ==, "birthday");
  g_assert_cmpuint (crm_importer_get_report (imp)->inserted, ==, 3);
  assert_text (f, "SELECT gender || '|' || birthday || '|' || tags || '|' || company || '|' || notes"
                  " FROM customers WHERE name = '张伟'", "2|1985-03-05|VIP,批发|伟业公司|老客户");
  assert_text (f, "SELECT gender || '|' || birthday || '|' || notes FROM customers WHERE name = '王芳'",
               "1|1990-05-17|喜欢\"红色\"");
  assert_text (f, "SELECT phone_digits FROM customers WHERE name = '李娜'", "13700137003");
}

/* 100 rows, every tenth bad in a different way.  One bad cell never costs the row (issue 12):
 * 6 rows are imported with the value in the notes or left out, and a warning naming its line
 * and column; 4 that cannot be read as a customer at all go to the rejects file with a reason. */
static void
test_bad_rows (Fixture       *f,
               gconstpointer  data)
{
  static const char *bad[] = {
    "Bad Mail %d,not-an-email,1380000%d,1990-01-01,female",
    "Bad Date %d,b%d@example.com,1381000%d,1990-13-45,female",
    "Bad Gender %d,b%d@example.com,1382000%d,1990-01-01,robot",
    ",not an email,MobilePhone,1990-01-01,female",
    "Bad Phone %d,b%d@example.com,call me,1990-01-01,female",
    "Short row %d,b%d@example.com",
    "Long row %d,b%d@example.com,138,1990-01-01,female,extra",
    "Bad \xff\xfe text %d,b%d@example.com,1383000%d,1990-01-01,male",
    "Control \x01 char %d,b%d@example.com,1384000%d,1990-01-01,male",
    "Bad Day %d,b%d@example.com,1385000%d,2023-02-29,male",
  };
  g_autoptr(GString) csv = g_string_new ("name,email,phone,birthday,gender\n");
  g_autofree char *path = NULL;
  g_autofree char *rejects = g_build_filename (crm_test_tmp_dir (), "bad-rows.rejects.csv", NULL);
  g_autoptr(CrmImporter) imp = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCsvReader) reader = NULL;
  const CrmImportReport *r;
  const CrmImportWarning *w;
  guint n_rows = 0;

  for (int i = 0; i < 100; i++)
    {
      if (i % 10 == 9)
        {
          g_autoptr(GString) row = g_string_new (bad[i / 10]);
          g_autofree char *n = g_strdup_printf ("%d", i);

          g_string_replace (row, "%d", n, 0);
          g_string_append (csv, row->str);
        }
      else
        g_string_append_printf (csv, "Good %d,g%d@example.com,+86 138 %04d %04d,1990-01-%02d,male", i, i, i, i, 1 + i % 28);
      g_string_append_c (csv, '\n');
    }
  path = crm_test_write_file ("bad-rows.csv", csv->str, csv->len);

  imp = new_importer (f, CRM_IMPORT_CUSTOMERS, path);
  crm_importer_set_rejects_path (imp, rejects);
  g_assert_true (crm_importer_prepare (imp, NULL, &error));
  g_assert_true (crm_importer_run (imp, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  r = crm_importer_get_report (imp);
  for (guint i = 0; i < crm_importer_get_n_warnings (imp); i++)
    g_test_message ("warning: %" G_GUINT64_FORMAT ": %s", crm_importer_get_warning (imp, i)->line,
                    crm_importer_get_warning (imp, i)->message);
  g_assert_cmpuint (r->inserted, ==, 96);
  g_assert_cmpuint (r->rejected, ==, 4);
  g_assert_cmpuint (crm_importer_get_n_rejects (imp), ==, 4);
  g_assert_cmpuint (r->warnings, ==, 6);
  g_assert_cmpuint (crm_importer_get_n_warnings (imp), ==, 6);
  g_assert_cmpint (count (f, "SELECT count(*) FROM customers WHERE name LIKE 'Good %'"), ==, 90);

  /* The values that could not be used: in the notes, or left out when they say nothing. */
  assert_text (f, "SELECT coalesce(email, '-') || '|' || phone || '|' || notes FROM customers WHERE name = 'Bad Mail 9'",
               "-|13800009|E-mail: not-an-email");
  assert_text (f, "SELECT coalesce(birthday, '-') || '|' || notes FROM customers WHERE name = 'Bad Date 19'",
               "-|Birthday: 1990-13-45");
  assert_text (f, "SELECT gender || '|' || birthday || '|' || notes FROM customers WHERE name = 'Bad Gender 29'",
               "0|1990-01-01|Gender: robot");
  assert_text (f, "SELECT coalesce(phone, '-') || '|' || coalesce(notes, '-') FROM customers WHERE name = 'Bad Phone 49'",
               "-|-");
  assert_text (f, "SELECT email FROM customers WHERE name = 'Control   char 89'", "b89@example.com");
  assert_text (f, "SELECT coalesce(birthday, '-') || '|' || notes FROM customers WHERE name = 'Bad Day 99'",
               "-|Birthday: 2023-02-29");

  /* Each warning names its line and column, and says what became of the value. */
  w = crm_importer_get_warning (imp, 0);
  g_assert_cmpuint (w->line, ==, 11);
  g_assert_cmpstr (w->column_name, ==, "email");
  g_assert_nonnull (strstr (w->message, "not-an-email"));
  g_assert_nonnull (strstr (w->message, "notes"));
  w = crm_importer_get_warning (imp, 3);
  g_assert_cmpuint (w->line, ==, 51);
  g_assert_cmpstr (w->column_name, ==, "phone");
  g_assert_nonnull (strstr (w->message, "left out"));
  w = crm_importer_get_warning (imp, 4);
  g_assert_cmpuint (w->line, ==, 91);
  g_assert_cmpstr (w->column_name, ==, "name");
  g_assert_nonnull (strstr (w->message, "control character"));

  /* The refused rows name their line and why. */
  g_assert_cmpuint (crm_importer_get_reject (imp, 0)->line, ==, 41);
  g_assert_nonnull (strstr (crm_importer_get_reject (imp, 0)->reason, "not a valid e-mail"));
  g_assert_nonnull (strstr (crm_importer_get_reject (imp, 0)->reason, "no other name"));
  g_assert_cmpuint (crm_importer_get_reject (imp, 3)->line, ==, 81);
  for (guint i = 0; i < 4; i++)
    g_assert_true (crm_importer_get_reject (imp, i)->reason[0] != '\0');

  /* The rejects file: the header + "reason", then each refused row as it was. */
  reader = crm_csv_reader_new_for_path (rejects, &error);
  g_assert_no_error (error);
  while (crm_csv_reader_next (reader, NULL, &error))
    {
      guint n;
      const char * const *cells = crm_csv_reader_get_fields (reader, &n);

      g_assert_cmpuint (n, ==, 6);
      g_assert_cmpstr (cells[5], !=, "");
      if (n_rows == 0)
        g_assert_cmpstr (cells[1], ==, "not an email");
      n_rows++;
    }
  g_assert_no_error (error);
  g_assert_cmpstr (crm_csv_reader_get_header (reader, NULL)[5], ==, "reason");
  g_assert_cmpuint (n_rows, ==, 4);
}

static void
make_customer (Fixture    *f,
               const char *name,
               const char *email,
               const char *phone,
               const char *city)
{
  g_autoptr(CrmCustomer) c = crm_customer_new ();

  crm_customer_set_name (c, name);
  crm_customer_set_email (c, email);
  crm_customer_set_phone (c, phone);
  crm_customer_set_city (c, city);
  g_assert_true (crm_store_insert (f->store, CRM_ENTITY (c), NULL));
}

static void
test_duplicates (Fixture       *f,
                 gconstpointer  data)
{
  const char *mode = data;
  const char *csv =
    "name,email,phone,city\n"
    "Alice B,ALICE@Example.com,,Hangzhou\n"          /* same e-mail, other case */
    "Bob,,+86 138 0013 8000,Suzhou\n"                 /* same phone with country code */
    "Carol,carol@example.com,139 0000 0000,Nanjing\n" /* new */
    "Carol again,CAROL@example.com,,Xiamen\n";        /* duplicate of a row of this file */
  g_autofree char *path = crm_test_write_file ("dups.csv", csv, -1);
  CrmDuplicatePolicy policies[] = { CRM_DUPLICATE_SKIP, CRM_DUPLICATE_UPDATE, CRM_DUPLICATE_CREATE };

  if (mode != NULL)
    set_mode (f, mode);

  for (guint p = 0; p < G_N_ELEMENTS (policies); p++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CrmImporter) imp = NULL;
      const CrmImportReport *r;

      g_clear_object (&f->store);
      g_free (f->db);
      f->db = crm_test_db_path ();
      f->store = crm_store_open (f->db, NULL);
      make_customer (f, "Alice", "alice@example.com", NULL, "Beijing");
      make_customer (f, "Bob", NULL, "13800138000", "Beijing");

      imp = import (f, CRM_IMPORT_CUSTOMERS, path, policies[p], &error);
      g_assert_no_error (error);
      r = crm_importer_get_report (imp);
      switch (policies[p])
        {
        case CRM_DUPLICATE_SKIP:
          g_assert_cmpuint (r->inserted, ==, 1);
          g_assert_cmpuint (r->skipped, ==, 3);
          g_assert_cmpint (count (f, "SELECT count(*) FROM customers"), ==, 3);
          assert_text (f, "SELECT city FROM customers WHERE name = 'Alice'", "Beijing");
          break;
        case CRM_DUPLICATE_UPDATE:
          g_assert_cmpuint (r->inserted, ==, 1);
          g_assert_cmpuint (r->updated, ==, 3);
          g_assert_cmpint (count (f, "SELECT count(*) FROM customers"), ==, 3);
          assert_text (f, "SELECT name || '|' || city FROM customers WHERE email_key = 'alice@example.com'", "Alice B|Hangzhou");
          assert_text (f, "SELECT city FROM customers WHERE name = 'Bob'", "Suzhou");
          /* Empty cells do not erase what is known. */
          assert_text (f, "SELECT phone FROM customers WHERE name = 'Carol again'", "139 0000 0000");
          /* Alice and Bob were there: two updates; Carol, whom the file adds, is one insert with
           * her final fields. */
          g_assert_cmpint (crm_test_journal_count (f->store, 0, CRM_JOURNAL_UPDATE), ==, 2);
          g_assert_cmpint (crm_test_journal_count (f->store, CRM_JOURNAL_ENTITY_CUSTOMER, CRM_JOURNAL_INSERT), ==, 3);
          /* The search index follows the update (old name gone, new one in). */
          g_assert_cmpint (count (f, "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH 'Hangzhou'"), ==, 1);
          g_assert_cmpint (count (f, "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH 'Beijing'"), ==, 0);
          g_assert_cmpint (count (f, "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH 'Xiamen'"), ==, 1);
          break;
        case CRM_DUPLICATE_CREATE:
        default:
          g_assert_cmpuint (r->inserted, ==, 4);
          g_assert_cmpint (count (f, "SELECT count(*) FROM customers"), ==, 6);
          break;
        }
      /* The full-text index matches the table. */
      g_assert_cmpint (sqlite3_exec (crm_store_get_db (f->store),
                                     "INSERT INTO customers_fts (customers_fts, rank) VALUES ('integrity-check', 1)",
                                     NULL, NULL, NULL), ==, SQLITE_OK);
    }
}

static void
test_mapping_remembered (Fixture       *f,
                         gconstpointer  data)
{
  const char *csv = "Kunde,Telefonnummer,Wohnort\nJonas,0170 1234567,Berlin\n";
  g_autofree char *path = crm_test_write_file ("kunden.csv", csv, -1);
  g_autofree char *path2 = crm_test_write_file ("kunden2.csv", "Kunde,Telefonnummer,Wohnort\nLena,0171 7654321,Hamburg\n", -1);
  g_autoptr(CrmImporter) imp = new_importer (f, CRM_IMPORT_CUSTOMERS, path);
  g_autoptr(CrmImporter) imp2 = new_importer (f, CRM_IMPORT_CUSTOMERS, path2);
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_importer_prepare (imp, NULL, &error));
  g_assert_null (crm_importer_get_mapping (imp, 0));
  g_assert_false (crm_importer_set_mapping_string (imp, "Kunde=nickname", &error));
  g_assert_error (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_BAD_MAPPING);
  g_clear_error (&error);
  g_assert_false (crm_importer_set_mapping_string (imp, "Nope=name", &error));
  g_assert_error (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_BAD_MAPPING);
  g_clear_error (&error);
  g_assert_true (crm_importer_set_mapping_string (imp, "Kunde=name, Telefonnummer=phone,Wohnort=city", &error));
  g_assert_true (crm_importer_run (imp, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_text (f, "SELECT phone || '|' || city FROM customers WHERE name = 'Jonas'", "0170 1234567|Berlin");

  /* The same header set next time: mapped without asking. */
  g_assert_true (crm_importer_prepare (imp2, NULL, &error));
  g_assert_true (crm_importer_get_mapping_remembered (imp2));
  g_assert_cmpstr (crm_importer_get_mapping (imp2, 0), ==, "name");
  g_assert_cmpstr (crm_importer_get_mapping (imp2, 2), ==, "city");
  g_assert_true (crm_importer_run (imp2, NULL, NULL, NULL, &error));
  assert_text (f, "SELECT city FROM customers WHERE name = 'Lena'", "Hamburg");
}

/* CSV → database → CSV keeps every mapped field. */
static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *first = g_build_filename (crm_test_tmp_dir (), "rt1.csv", NULL);
  g_autofree char *second = g_build_filename (crm_test_tmp_dir (), "rt2.csv", NULL);
  g_autofree char *db2 = crm_test_db_path ();
  g_autoptr(CrmStore) store2 = crm_store_open (db2, NULL);
  g_autoptr(CrmCustomer) c = crm_customer_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmImporter) imp = NULL;
  g_autofree char *a = NULL, *b = NULL;
  guint64 n;

  crm_customer_set_name (c, "王芳");
  crm_customer_set_gender (c, CRM_GENDER_FEMALE);
  crm_customer_set_birthday (c, "1990-05-17");
  crm_customer_set_phone (c, "+86 138 0013 8000");
  crm_customer_set_email (c, "wang@example.cn");
  crm_customer_set_company (c, "=SUM(A1)");
  crm_customer_set_occupation (c, "店长");
  crm_customer_set_address (c, "人民路 1 号, 2 楼");
  crm_customer_set_city (c, "上海");
  crm_customer_set_region (c, "上海");
  crm_customer_set_country (c, "CN");
  crm_customer_set_postal_code (c, "0200000");
  crm_customer_set_source (c, "wechat");
  crm_customer_set_tags (c, "vip, 老客户");
  crm_customer_set_notes (c, "喜欢乌龙茶\n第二行, \"quoted\"  ");
  crm_customer_set_email_consent (c, TRUE);
  crm_customer_set_email_consent_at (c, G_GINT64_CONSTANT (1700000000000));
  crm_customer_set_owner (c, "李经理");
  crm_customer_set_external_id (c, "0042");
  g_assert_true (crm_store_insert (f->store, CRM_ENTITY (c), NULL));
  /* A stage the recompute gave: exported, and imported into the other shop's state rows. */
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE customer_state SET lifecycle = %d WHERE customer_id = %" G_GINT64_FORMAT,
                                            CRM_LIFECYCLE_ACTIVE, crm_entity_get_id (CRM_ENTITY (c)));
    g_assert_true (crm_store_exec (f->store, sql, NULL));
  }
  make_customer (f, "O'Brien, \"Bob\"", "bob@example.com", "+353 1 234 5678", "-Dublin-");

  g_assert_true (crm_export_customers_csv (f->store, NULL, first, CRM_CSV_ENCODING_UTF8_BOM, NULL, NULL, NULL, &n, &error));
  g_assert_no_error (error);

  imp = crm_importer_new (store2, CRM_IMPORT_CUSTOMERS, first);
  g_assert_true (crm_importer_prepare (imp, NULL, &error));
  g_assert_true (crm_importer_run (imp, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (crm_importer_get_report (imp)->inserted, ==, 2);
  g_assert_cmpuint (crm_importer_get_report (imp)->rejected, ==, 0);
  g_assert_cmpint (crm_db_query_int64 (crm_store_get_db (store2),
                                       "SELECT count(*) FROM customer_state WHERE lifecycle = 2", -1), ==, 1);
  /* Every imported customer has its state row, and the insert trigger is back after the run. */
  g_assert_cmpint (crm_db_query_int64 (crm_store_get_db (store2), "SELECT count(*) FROM customers"
                                       " WHERE id NOT IN (SELECT customer_id FROM customer_state)", -1), ==, 0);
  g_assert_cmpint (crm_db_query_int64 (crm_store_get_db (store2), "SELECT count(*) FROM sqlite_master"
                                       " WHERE name = 'customers_state_ai'", -1), ==, 1);

  g_assert_true (crm_export_customers_csv (store2, NULL, second, CRM_CSV_ENCODING_UTF8_BOM, NULL, NULL, NULL, &n, &error));
  g_assert_true (g_file_get_contents (first, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (second, &b, NULL, NULL));
  g_assert_cmpstr (a, ==, b);

  /* Importing the export again changes nothing: every row is a duplicate (same uuid). */
  g_clear_object (&imp);
  imp = crm_importer_new (store2, CRM_IMPORT_CUSTOMERS, first);
  crm_importer_set_duplicate_policy (imp, CRM_DUPLICATE_UPDATE);
  g_assert_true (crm_importer_run (imp, NULL, NULL, NULL, &error));
  g_assert_cmpuint (crm_importer_get_report (imp)->skipped, ==, 2);
}

typedef struct
{
  const char *name;
  gboolean    fatal;      /* the import fails and nothing is imported */
  guint       rejected;
} Hostile;

static void
test_hostile (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GString) big = g_string_new ("name,notes\nOk,fine\nBig,");
  g_autoptr(GString) wide = g_string_new (NULL);
  g_autoptr(GString) wide_row = g_string_new ("name,notes\nOk,fine\n");
  struct { const char *name; const char *data; gssize len; gboolean fatal; guint rejected; guint inserted; } cases[] = {
    { "unterminated", "name,notes\nOk,fine\nBad,\"never closed\nmore\n", -1, TRUE, 0, 0 },
    { "nul", "name,notes\nOk,fine\nN\0L,x\nOk2,y\n", 30, FALSE, 1, 2 },
    { "utf8", "name,notes\nOk,fine\nBad\xc3\x28,x\nOk2,y\n", -1, FALSE, 1, 2 },
    { "truncated", "name,email,city\nOk,ok@example.com,Rome\nCut,cut@exa", -1, FALSE, 1, 1 },
    { "empty", "", 0, TRUE, 0, 0 },
    { "binary", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0", 16, TRUE, 0, 0 },
  };

  for (guint i = 0; i < 1024 * 1024; i++)
    g_string_append_c (big, 'a' + i % 26);
  g_string_append (big, "\nOk2,y\n");
  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (wide, "%sc%u", i ? "," : "", i);
  g_string_append (wide, "\n");
  g_string_append (wide, wide->str);
  for (guint i = 0; i < 100000; i++)
    g_string_append (wide_row, ",x");
  g_string_append (wide_row, "\nOk2,y\n");

  make_customer (f, "Existing", NULL, NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases) + 3; i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;
      g_autoptr(CrmImporter) imp = NULL;
      g_autoptr(GError) error = NULL;
      gint64 before = count (f, "SELECT count(*) FROM customers");
      gint64 journal = count (f, "SELECT count(*) FROM changes");
      gboolean fatal;
      guint rejected, inserted;
      gboolean ok;

      if (i < G_N_ELEMENTS (cases))
        {
          name = g_strdup_printf ("hostile-%s.csv", cases[i].name);
          path = crm_test_write_file (name, cases[i].data, cases[i].len);
          fatal = cases[i].fatal;
          rejected = cases[i].rejected;
          inserted = cases[i].inserted;
        }
      else if (i == G_N_ELEMENTS (cases))
        {
          /* A 1 MB field: more than the notes take; the row is imported with its notes cut to
           * their limit, and a warning says so (issue 12: one cell never costs the row). */
          path = crm_test_write_file ("hostile-big.csv", big->str, big->len);
          fatal = FALSE, rejected = 0, inserted = 3;
        }
      else if (i == G_N_ELEMENTS (cases) + 1)
        {
          /* 100,000 columns in the header: the file cannot be mapped. */
          path = crm_test_write_file ("hostile-wide.csv", wide->str, wide->len);
          fatal = TRUE, rejected = 0, inserted = 0;
        }
      else
        {
          /* A data row of 100,000 columns: that row is refused. */
          path = crm_test_write_file ("hostile-wide-row.csv", wide_row->str, wide_row->len);
          fatal = FALSE, rejected = 1, inserted = 2;
        }

      imp = new_importer (f, CRM_IMPORT_CUSTOMERS, path);
      crm_importer_set_header_mode (imp, CRM_CSV_HEADER_PRESENT);
      ok = crm_importer_prepare (imp, NULL, &error) && crm_importer_run (imp, NULL, NULL, NULL, &error);
      g_test_message ("%s: %s", path, error ? error->message : "ok");
      if (fatal)
        {
          g_assert_false (ok);
          g_assert_nonnull (error);
          g_assert_cmpint (count (f, "SELECT count(*) FROM customers"), ==, before);
          g_assert_cmpint (count (f, "SELECT count(*) FROM changes"), ==, journal);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_cmpuint (crm_importer_get_report (imp)->rejected, ==, rejected);
          g_assert_cmpuint (crm_importer_get_report (imp)->inserted, ==, inserted);
          g_assert_cmpint (count (f, "SELECT count(*) FROM customers"), ==, before + inserted);
          if (i == G_N_ELEMENTS (cases))
            {
              g_assert_cmpuint (crm_importer_get_report (imp)->warnings, ==, 1);
              g_assert_nonnull (strstr (crm_importer_get_warning (imp, 0)->message, "cut to 100000"));
              g_assert_cmpint (count (f, "SELECT length(notes) FROM customers WHERE name = 'Big'"), ==, 100000);
            }
        }
    }
  /* Indexes and triggers survived every failure. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'customers_fts_a%'"), ==, 3);
}

typedef struct
{
  GCancellable *cancellable;
  guint64       cancel_at;
  guint         calls;
  gboolean      indexing_seen;
} CancelData;

static void
cancel_progress (const CrmImportProgressInfo *info,
                 gpointer                     user_data)
{
  CancelData *d = user_data;

  d->calls++;
  g_assert_cmpuint (info->bytes_read, <=, info->bytes_total);
  if (info->rows >= d->cancel_at)
    g_cancellable_cancel (d->cancellable);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  const char *mode = data;
  g_autoptr(GString) csv = g_string_new ("name,email,phone,city,tags\n");
  g_autofree char *path = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CrmImporter) imp = NULL;
  g_autoptr(GError) error = NULL;
  CancelData d = { cancellable, 30000, 0, FALSE };
  gint64 customers, journal, objects, terms, fts;

  set_mode (f, mode);
  make_customer (f, "Before", "before@example.com", "13912345678", "Xi'an");
  for (guint i = 0; i < 60000; i++)
    g_string_append_printf (csv, "客户%u,c%u@example.com,138%08u,City %u,tag%u\n", i, i, i, i % 100, i % 7);
  path = crm_test_write_file ("cancel.csv", csv->str, csv->len);

  customers = count (f, "SELECT count(*) FROM customers");
  journal = count (f, "SELECT count(*) FROM changes");
  objects = count (f, "SELECT count(*) FROM sqlite_master");
  terms = count (f, "SELECT count(*) FROM customer_terms");
  fts = count (f, "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH '\"Xi''an\"'");
  g_assert_cmpint (fts, ==, 1);   /* "Before", as a phrase (an unquoted ' is an FTS5 syntax error) */

  imp = new_importer (f, CRM_IMPORT_CUSTOMERS, path);
  g_assert_false (crm_importer_run (imp, cancel_progress, &d, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (d.calls, >, 0);

  g_assert_cmpint (count (f, "SELECT count(*) FROM customers"), ==, customers);
  g_assert_cmpint (count (f, "SELECT count(*) FROM changes"), ==, journal);
  g_assert_cmpint (count (f, "SELECT count(*) FROM sqlite_master"), ==, objects);
  g_assert_cmpint (count (f, "SELECT count(*) FROM customer_terms"), ==, terms);
  g_assert_cmpint (count (f, "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH '\"Xi''an\"'"), ==, fts);

  /* And the same file without cancel imports fully, indexes and all. */
  g_clear_object (&imp);
  g_clear_error (&error);
  imp = new_importer (f, CRM_IMPORT_CUSTOMERS, path);
  g_assert_true (crm_importer_run (imp, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (crm_importer_get_report (imp)->inserted, ==, 60000);
  g_assert_cmpint (count (f, "SELECT count(*) FROM sqlite_master"), ==, objects);
  g_assert_cmpint (count (f, "SELECT count(*) FROM customers WHERE city = 'City 42'"), ==, 600);
  g_assert_cmpint (count (f, "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH '\"City 42\"'"), ==, 600);
  g_assert_cmpint (count (f, "SELECT count(*) FROM customer_tags WHERE tag = 'tag3'"), >, 8000);
  g_assert_cmpint (count (f, "SELECT count(*) FROM changes"), ==, journal + 60000);
  g_assert_cmpint (count (f, "SELECT count(*) FROM customers WHERE email_key = 'c59999@example.com'"), ==, 1);
}

static void
test_dates (void)
{
  struct { const char *text; CrmDateOrder order; const char *iso; } cases[] = {
    { "2024-03-05", CRM_DATE_MONTH_FIRST, "2024-03-05" },
    { "2024/3/5", CRM_DATE_MONTH_FIRST, "2024-03-05" },
    { "2024年3月5日", CRM_DATE_MONTH_FIRST, "2024-03-05" },
    { "05/03/2024", CRM_DATE_DAY_FIRST, "2024-03-05" },
    { "3/5/2024", CRM_DATE_MONTH_FIRST, "2024-03-05" },
    { "25/12/2023", CRM_DATE_MONTH_FIRST, "2023-12-25" },
    { "05.03.2024", CRM_DATE_MONTH_FIRST, "2024-03-05" },
    { "20240305", CRM_DATE_MONTH_FIRST, "2024-03-05" },
    { "2024-03-05 10:15:00 +0800", CRM_DATE_MONTH_FIRST, "2024-03-05" },
    { "2024-03-05T10:15:00Z", CRM_DATE_MONTH_FIRST, "2024-03-05" },
    { "5/31/2016 0:37", CRM_DATE_MONTH_FIRST, "2016-05-31" },
    { "3/5/2024 2:30 PM", CRM_DATE_MONTH_FIRST, "2024-03-05" },
  };
  const char *bad[] = { "", "2024-02-30", "13/13/2024", "yesterday", "2024-03-05 25:00", "2024-03-05x" };
  gint64 ms;
  char iso[11];

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_true (crm_import_parse_date (cases[i].text, cases[i].order, TRUE, &ms, iso));
      g_assert_cmpstr (iso, ==, cases[i].iso);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (crm_import_parse_date (bad[i], CRM_DATE_MONTH_FIRST, TRUE, &ms, iso));

  g_assert_true (crm_import_parse_date ("2024-03-05 10:15:00 +0800", CRM_DATE_MONTH_FIRST, FALSE, &ms, NULL));
  g_assert_cmpint (ms, ==, G_GINT64_CONSTANT (1709604900000));
  g_assert_true (crm_import_parse_date ("2024-03-05T02:15:00.250Z", CRM_DATE_MONTH_FIRST, FALSE, &ms, NULL));
  g_assert_cmpint (ms, ==, G_GINT64_CONSTANT (1709604900250));
}

/* Amounts as shops write them, and the decimal comma when the user says so. */
static void
test_amounts (Fixture       *f,
              gconstpointer  data)
{
  const char *csv =
    "number;placed_at;customer_email;total;currency\n"
    "A1;2024-01-02;x@example.com;1.234,50;EUR\n"
    "A2;2024-01-03;x@example.com;€ 99,90;EUR\n"
    "A3;2024-01-04;y@example.com;12,5x;EUR\n";
  g_autofree char *path = crm_test_write_file ("amounts.csv", csv, -1);
  g_autoptr(CrmImporter) imp = new_importer (f, CRM_IMPORT_ORDERS, path);
  g_autoptr(GError) error = NULL;

  crm_importer_set_decimal_comma (imp, TRUE);
  g_assert_true (crm_importer_prepare (imp, NULL, &error));
  g_assert_cmpint (crm_importer_get_delimiter (imp), ==, ';');
  g_assert_true (crm_importer_run (imp, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (crm_importer_get_report (imp)->inserted, ==, 2);
  g_assert_cmpuint (crm_importer_get_report (imp)->rejected, ==, 1);
  g_assert_cmpuint (crm_importer_get_report (imp)->customers_created, ==, 1);
  assert_text (f, "SELECT group_concat(total, ' ') FROM orders", "123450 9990");
  assert_text (f, "SELECT total_spent || '/' || order_count FROM customers", "133440/2");
}

/* The tuning the bench and these tests use picks the mode a small file would not get by itself
 * (bulk), and the importer says which one it ran. */
static void
test_tuning (Fixture       *f,
             gconstpointer  data)
{
  const char *modes[] = { "bulk", "incremental" };
  g_autofree char *path = crm_test_write_file ("tuning.csv", "name,email\nAnn,ann@example.com\n", -1);

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(CrmImporter) imp = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *expected = g_strdup_printf ("import: %s mode, %u customers before", modes[i], i);

      set_mode (f, modes[i]);
      g_assert_cmpstr (crm_import_mode_to_string (f->mode), ==, modes[i]);
      g_test_expect_message ("Clientele-Core", G_LOG_LEVEL_DEBUG, expected);
      imp = import (f, CRM_IMPORT_CUSTOMERS, path, CRM_DUPLICATE_CREATE, &error);
      g_assert_no_error (error);
      g_test_assert_expected_messages ();
      g_assert_cmpuint (crm_importer_get_report (imp)->inserted, ==, 1);
    }
}

/* Updating a customer from a row with an unusable value (issue 12): the value is added to the
 * customer's notes, not written over them, and only once however often the file is imported;
 * in bulk mode too (the reading thread parses, this one writes). */
static void
test_bad_cell_update (Fixture       *f,
                      gconstpointer  data)
{
  const char *csv = "name,email,birthday\nAlice,alice@example.com,1990-13-45\nDora,dora@example.com,31st May\n";
  g_autofree char *path = crm_test_write_file ("bad-cell-update.csv", csv, -1);
  g_autoptr(CrmCustomer) alice = crm_customer_new ();

  set_mode (f, data);
  crm_customer_set_name (alice, "Alice");
  crm_customer_set_email (alice, "alice@example.com");
  crm_customer_set_notes (alice, "Prefers green tea");
  g_assert_true (crm_store_insert (f->store, CRM_ENTITY (alice), NULL));

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CrmImporter) imp = import (f, CRM_IMPORT_CUSTOMERS, path, CRM_DUPLICATE_UPDATE, &error);
      const CrmImportReport *r;

      g_assert_no_error (error);
      r = crm_importer_get_report (imp);
      g_assert_cmpuint (r->rejected, ==, 0);
      if (round == 0)
        {
          g_assert_cmpuint (r->updated, ==, 1);
          g_assert_cmpuint (r->inserted, ==, 1);
          g_assert_cmpuint (r->warnings, ==, 2);
          g_assert_cmpuint (crm_importer_get_warning (imp, 1)->line, ==, 3);
        }
      else
        {
          /* Nothing left to change: skipped, and no warning for rows not written. */
          g_assert_cmpuint (r->skipped, ==, 2);
          g_assert_cmpuint (r->warnings, ==, 0);
        }
      assert_text (f, "SELECT notes FROM customers WHERE name = 'Alice'", "Prefers green tea\nBirthday: 1990-13-45");
      assert_text (f, "SELECT notes FROM customers WHERE name = 'Dora'", "Birthday: 31st May");
    }
}

/* A name of zero-width or text-direction marks alone: the row is refused with that reason (the
 * others go in), in both modes. */
static void
test_invisible_names (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmImporter) imp = NULL;
  g_autofree char *path = crm_test_write_file ("invisible-names.csv",
                                               "name,city\n"
                                               "Ann Lee,Lyon\n"
                                               "\u200B\u200D,Paris\n"
                                               "\u202E\u2066\u2069,Porto\n"
                                               "\u200F\u0645\u062D\u0645\u062F,Cairo\n", -1);

  set_mode (f, data);
  imp = import (f, CRM_IMPORT_CUSTOMERS, path, CRM_DUPLICATE_SKIP, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (crm_importer_get_report (imp)->inserted, ==, 2);
  g_assert_cmpuint (crm_importer_get_report (imp)->rejected, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      const CrmImportReject *rej = crm_importer_get_reject (imp, i);

      g_assert_cmpuint (rej->line, ==, 3 + i);
      g_assert_nonnull (strstr (rej->reason, "no visible characters"));
      g_assert_cmpstr (rej->column_name, ==, "name");
    }
  g_assert_cmpint (count (f, "SELECT count(*) FROM customers WHERE city IN ('Paris', 'Porto')"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM customers WHERE city IN ('Lyon', 'Cairo')"), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  crm_test_init (&argc, &argv);

#define ADD(path, fn, data) \
  g_test_add (path, Fixture, data, fixture_setup, fn, fixture_teardown)

  ADD ("/io/import/shopify-customers", test_shopify_customers, NULL);
  ADD ("/io/import/shopify-orders", test_shopify_orders, NULL);
  ADD ("/io/import/woocommerce", test_woocommerce, NULL);
  ADD ("/io/import/gbk", test_gbk, NULL);
  ADD ("/io/import/bad-rows", test_bad_rows, NULL);
  ADD ("/io/import/bad-cell-update", test_bad_cell_update, "incremental");
  ADD ("/io/import/bad-cell-update-bulk", test_bad_cell_update, "bulk");
  ADD ("/io/import/duplicates", test_duplicates, "incremental");
  ADD ("/io/import/duplicates-bulk", test_duplicates, "bulk");
  ADD ("/io/import/deleted-uuid", test_deleted_uuid, "incremental");
  ADD ("/io/import/deleted-uuid-bulk", test_deleted_uuid, "bulk");
  ADD ("/io/import/mapping-remembered", test_mapping_remembered, NULL);
  ADD ("/io/import/round-trip", test_round_trip, NULL);
  ADD ("/io/import/stages", test_stages, "incremental");
  ADD ("/io/import/stages-bulk", test_stages, "bulk");
  ADD ("/io/import/hostile", test_hostile, NULL);
  ADD ("/io/import/invisible-names", test_invisible_names, "incremental");
  ADD ("/io/import/invisible-names-bulk", test_invisible_names, "bulk");
  ADD ("/io/import/cancel", test_cancel, "incremental");
  ADD ("/io/import/cancel-bulk", test_cancel, "bulk");
  ADD ("/io/import/amounts", test_amounts, NULL);
  ADD ("/io/import/tuning", test_tuning, NULL);
  g_test_add_func ("/io/import/dates", test_dates);

  return g_test_run ();
}

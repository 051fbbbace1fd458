/* test-export.c: what a shop owner gets when exporting a customer view or orders.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "crm-test-util.h"
#include "crm-csv-reader.h"
#include "crm-customer.h"
#include "crm-export.h"
#include "crm-order.h"
#include "crm-recompute.h"

typedef struct
{
  CrmStore *store;
  char     *path;
} Fixture;

static gint64
add (Fixture    *f,
     const char *name,
     const char *city,
     const char *notes)
{
  g_autoptr(CrmCustomer) c = crm_customer_new ();

  crm_customer_set_name (c, name);
  crm_customer_set_city (c, city);
  crm_customer_set_notes (c, notes);
  crm_customer_set_email_consent (c, TRUE);
  g_assert_true (crm_store_insert (f->store, CRM_ENTITY (c), NULL));
  return crm_entity_get_id (CRM_ENTITY (c));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *db = crm_test_db_path ();
  g_autoptr(CrmOrder) o = crm_order_new ();
  CrmRecomputeOptions options;
  gint64 wang;

  f->store = crm_store_open (db, NULL);
  f->path = g_strconcat (db, ".export.csv", NULL);

  wang = add (f, "王芳", "上海", "喜欢乌龙茶\n第二行");
  add (f, "=HYPERLINK(\"http://evil\")", "Berlin", "+1 call me");
  add (f, "O'Brien, \"Bob\"", "Dublin", "@admin -2");

  crm_order_set_customer_id (o, wang);
  crm_order_set_placed_at (o, crm_now_ms () - 86400000);
  crm_order_set_total (o, 123450);
  g_assert_true (crm_store_insert_order (f->store, CRM_ENTITY (o), NULL, NULL));

  crm_recompute_options_init (&options, f->store);
  g_assert_true (crm_recompute (f->store, &options, NULL, NULL, NULL, NULL, NULL));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  g_free (f->path);
}

static int
column (GPtrArray  *rows,
        const char *name)
{
  char **header = g_ptr_array_index (rows, 0);

  for (int i = 0; header[i]; i++)
    if (g_str_equal (header[i], name))
      return i;
  g_assert_not_reached ();
}

static void
test_view_and_computed_columns (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(CrmQuery) q = crm_query_new ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  guint64 n = 0;
  char **wang;

  /* The view's sort is the file's order. */
  crm_query_set_sort (q, "city", TRUE, NULL);
  g_assert_true (crm_export_customers_csv (f->store, q, f->path, CRM_CSV_ENCODING_UTF8, NULL, NULL, NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);

  rows = crm_test_read_csv (f->path, CRM_CSV_ENCODING_UTF8);
  g_assert_cmpuint (rows->len, ==, 4);
  wang = g_ptr_array_index (rows, 1);   /* 上海 sorts after the Latin cities, descending first */
  g_assert_cmpstr (wang[column (rows, "name")], ==, "王芳");
  g_assert_cmpstr (wang[column (rows, "notes")], ==, "喜欢乌龙茶\n第二行");
  g_assert_cmpstr (wang[column (rows, "total_spent")], ==, "1234.50");
  g_assert_cmpstr (wang[column (rows, "order_count")], ==, "1");
  g_assert_cmpstr (wang[column (rows, "email_consent")], ==, "true");
  g_assert_cmpstr (wang[column (rows, "lifecycle")], ==, "new");
  g_assert_cmpstr (wang[column (rows, "frequency")], ==, "1");
  g_assert_cmpstr (wang[column (rows, "monetary")], ==, "1234.50");
  g_assert_cmpstr (wang[column (rows, "r_score")], !=, "");
  g_assert_cmpstr (wang[column (rows, "rfm_segment")], !=, "");
  g_assert_cmpuint (strlen (wang[column (rows, "last_order")]), ==, 10);
  g_assert_cmpstr (wang[column (rows, "tier")], ==, "Silver");

  /* Customers without orders have empty RFM cells. */
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 2))[column (rows, "r_score")], ==, "");

  /* A filter exports only its matches. */
  crm_query_set_search_text (q, "王芳");
  g_assert_true (crm_export_customers_csv (f->store, q, f->path, CRM_CSV_ENCODING_UTF8, NULL, NULL, NULL, &n, &error));
  g_assert_cmpuint (n, ==, 1);
}

static void
test_formulas_neutralised (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *raw = NULL;

  g_assert_true (crm_export_customers_csv (f->store, NULL, f->path, CRM_CSV_ENCODING_UTF8, NULL, NULL, NULL, NULL, NULL));
  g_assert_true (g_file_get_contents (f->path, &raw, NULL, NULL));
  /* No cell starts with a formula character a spreadsheet would run. */
  g_assert_null (strstr (raw, ",=HYPERLINK"));
  g_assert_null (strstr (raw, "\n=HYPERLINK"));
  g_assert_nonnull (strstr (raw, "'=HYPERLINK"));
  g_assert_nonnull (strstr (raw, "'+1 call me"));
  g_assert_nonnull (strstr (raw, "'@admin -2"));
  /* Quotes and commas survive. */
  rows = crm_test_read_csv (f->path, CRM_CSV_ENCODING_UTF8);
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 2))[1], ==, "O'Brien, \"Bob\"");
}

static void
test_encodings (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *raw = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  gsize len;

  g_assert_true (crm_export_customers_csv (f->store, NULL, f->path, CRM_CSV_ENCODING_UTF8_BOM, NULL, NULL, NULL, NULL, NULL));
  g_assert_true (g_file_get_contents (f->path, &raw, &len, NULL));
  g_assert_cmpint (memcmp (raw, "\xef\xbb\xbf", 3), ==, 0);
  g_clear_pointer (&raw, g_free);

  g_assert_true (crm_export_customers_csv (f->store, NULL, f->path, CRM_CSV_ENCODING_GBK, NULL, NULL, NULL, NULL, NULL));
  g_assert_true (g_file_get_contents (f->path, &raw, &len, NULL));
  /* 王芳 in GBK is CD F5 B7 BC. */
  g_assert_nonnull (g_strstr_len (raw, len, "\xcd\xf5\xb7\xbc"));
  g_assert_false (g_utf8_validate (raw, len, NULL));
  rows = crm_test_read_csv (f->path, CRM_CSV_ENCODING_GBK);
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 3))[1], ==, "王芳");
}

static void
test_orders (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  guint64 n = 0;

  g_assert_true (crm_export_orders_csv (f->store, 0, f->path, CRM_CSV_ENCODING_UTF8, NULL, NULL, NULL, &n, NULL));
  g_assert_cmpuint (n, ==, 1);
  rows = crm_test_read_csv (f->path, CRM_CSV_ENCODING_UTF8);
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 1))[column (rows, "total")], ==, "1234.50");
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 1))[column (rows, "customer_name")], ==, "王芳");
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 1))[column (rows, "currency")], ==, "CNY");
}

static void
test_no_partial_file (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *partial = g_strconcat (f->path, ".partial", NULL);
  g_autofree char *bad = g_build_filename (crm_test_tmp_dir (), "no-such-dir", "x.csv", NULL);

  g_cancellable_cancel (cancellable);
  g_assert_false (crm_export_customers_csv (f->store, NULL, f->path, CRM_CSV_ENCODING_UTF8, NULL, NULL,
                                            cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  g_assert_false (crm_export_customers_csv (f->store, NULL, bad, CRM_CSV_ENCODING_UTF8, NULL, NULL, NULL, NULL, &error));
  g_assert_nonnull (error);
}

/* The writer thread fails half-way (a customer whose notes GBK cannot hold, behind several
 * batches of rows): the error names the record, and the file that was there stays as it was. */
static void
test_writer_fails_midway (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *partial = g_strconcat (f->path, ".partial", NULL);
  g_autofree char *contents = NULL;

  g_assert_true (crm_store_begin (f->store, NULL));
  for (int i = 0; i < 2000; i++)
    {
      g_autofree char *name = g_strdup_printf ("客户 %04d", i);
      add (f, name, "杭州", i == 1500 ? "loves 🍵" : "普通");
    }
  g_assert_true (crm_store_commit (f->store, NULL));
  g_assert_true (g_file_set_contents (f->path, "the export of yesterday\n", -1, NULL));

  g_assert_false (crm_export_customers_csv (f->store, NULL, f->path, CRM_CSV_ENCODING_GBK, NULL, NULL, NULL,
                                            NULL, &error));
  g_assert_error (error, CRM_CSV_ERROR, CRM_CSV_ERROR_UNREPRESENTABLE);
  g_assert_nonnull (strstr (error->message, "🍵"));
  g_assert_true (g_file_get_contents (f->path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "the export of yesterday\n");
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));

  /* In UTF-8 the same rows all go out. */
  g_clear_error (&error);
  g_assert_true (crm_export_customers_csv (f->store, NULL, f->path, CRM_CSV_ENCODING_UTF8, NULL, NULL, NULL,
                                           NULL, &error));
  g_assert_no_error (error);
}

static void
test_amounts (void)
{
  g_autofree char *a = crm_export_format_amount (-5, 2);
  g_autofree char *b = crm_export_format_amount (123456, 0);
  g_autofree char *c = crm_export_format_amount (G_MININT64, 2);
  g_autofree char *t = crm_export_format_time (1767225600000);

  g_assert_cmpstr (a, ==, "-0.05");
  g_assert_cmpstr (b, ==, "123456");
  g_assert_cmpstr (c, ==, "-92233720368547758.08");
  g_assert_cmpstr (t, ==, "2026-01-01T00:00:00Z");

  /* The integer calendar agrees with GDateTime across centuries, leap days and
   * times before 1970. */
  {
    g_autoptr(GRand) rand = g_rand_new_with_seed (1);

    for (int i = 0; i < 20000; i++)
      {
        gint64 ms = (gint64) g_rand_double_range (rand, -5e12, 8e12);
        g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000));
        g_autofree char *expected = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
        g_autofree char *got = crm_export_format_time (ms);

        if (ms == 0)
          continue;
        g_assert_cmpstr (got, ==, expected);
      }
  }
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/io/export/amounts", test_amounts);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/io/export/view-and-computed-columns", test_view_and_computed_columns);
  ADD ("/io/export/formulas-neutralised", test_formulas_neutralised);
  ADD ("/io/export/encodings", test_encodings);
  ADD ("/io/export/orders", test_orders);
  ADD ("/io/export/no-partial-file", test_no_partial_file);
  ADD ("/io/export/writer-fails-midway", test_writer_fails_midway);
#undef ADD

  return g_test_run ();
}

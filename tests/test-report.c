/* test-report.c: the dashboard data and the PDF report, read back with poppler's
 * pdftotext and pdfinfo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "crm-test-util.h"
#include "crm-charts.h"
#include "crm-customer.h"
#include "crm-dashboard-data.h"
#include "crm-format.h"
#include "crm-optimize.h"
#include "crm-order-line.h"
#include "crm-order.h"
#include "crm-predict.h"
#include "crm-recompute.h"
#include "crm-report.h"

#define DAY (G_GINT64_CONSTANT (86400000))
#define N_SIMULATED 200

static gint64 now_ms;

static char *
run_tool (const char *tool,
          const char *path)
{
  const char *argv[] = { tool, path, tool[3] == 't' ? "-" : NULL, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *found = g_find_program_in_path (tool);
  int status;

  if (found == NULL)
    {
      g_test_skip ("poppler-utils is not installed");
      return NULL;
    }
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s\n%s", tool, error->message, err);
  return g_steal_pointer (&out);
}

static int
pdf_pages (const char *path)
{
  g_autofree char *info = run_tool ("pdfinfo", path);
  const char *p;

  if (info == NULL)
    return -1;
  p = strstr (info, "Pages:");
  g_assert_nonnull (p);
  return atoi (p + 6);
}

/* 200 customers over two years with gamma-distributed spend; 王芳 spends the most by far. */
static CrmStore *
make_store (gint64 *wang)
{
  static const char *categories[] = { "图书", "Tea", "Garden" };
  g_autofree char *path = crm_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (21);
  CrmStore *store = crm_store_open (path, &error);
  CrmRecomputeOptions ro;
  CrmPredictOptions po;

  g_assert_no_error (error);
  g_assert_true (crm_store_begin (store, &error));
  *wang = crm_test_add_customer (store, "王芳");
  for (int k = 0; k < 12; k++)
    crm_test_add_order_line (store, *wang, now_ms - (700 - 30 * k) * DAY, NULL, "图书", 1, 5000000);
  /* Histories drawn from a BG/NBD population, so the models are well identified. */
  {
    const CrmBgnbdParams truth = { 0.6, 3.0, 0.8, 2.5 };
    double T[N_SIMULATED], x[N_SIMULATED], t_x[N_SIMULATED];

    for (int i = 0; i < N_SIMULATED; i++)
      T[i] = g_rand_int_range (rand, 14, 700) / 7.0;
    crm_bgnbd_simulate (&truth, T, N_SIMULATED, 5, x, t_x);
    for (int i = 0; i < N_SIMULATED; i++)
      {
        g_autofree char *name = g_strdup_printf ("Customer %03d", i);
        gint64 id = crm_test_add_customer (store, name);
        double nu = crm_random_gamma (rand, 4.0, 15.0);
        int T_days = (int) lround (T[i] * 7), xi = MIN ((int) x[i], T_days);
        int span = CLAMP ((int) lround (t_x[i] * 7), xi, T_days);

        for (int j = 0; j <= xi; j++)
          {
            gint64 at = now_ms - (T_days - (j == 0 ? 0 : (int) ceil ((double) j * span / xi))) * DAY;
            gint64 total = MAX (100, llround (100 * crm_random_gamma (rand, 6.0, nu)));

            crm_test_add_order_line (store, id, at, NULL, categories[g_rand_int_range (rand, 0, 3)], 1, total);
          }
      }
  }
  crm_test_add_customer (store, "Prospect");
  g_assert_true (crm_store_commit (store, &error));

  crm_recompute_options_init (&ro, store);
  ro.as_of = now_ms;
  g_assert_true (crm_recompute (store, &ro, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  crm_predict_options_init (&po, store);
  po.calibration_end = now_ms;
  g_assert_true (crm_predict_run (store, &po, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (crm_sales_refresh (store, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return store;
}

static void
test_dashboard_data (void)
{
  gint64 wang;
  g_autoptr(CrmStore) store = make_store (&wang);
  g_autoptr(CrmDashboardData) data = NULL;
  g_autoptr(CrmDashboardData) all = NULL;
  g_autoptr(GError) error = NULL;
  gint64 sum = 0, rfm = 0, stages = 0, tiers = 0;
  sqlite3_stmt *stmt;

  data = crm_dashboard_data_load (store, CRM_DASHBOARD_PERIOD_365_DAYS, now_ms, 10, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (data->customers, ==, N_SIMULATED + 2);
  g_assert_cmpint (data->buyers, ==, N_SIMULATED + 1);
  g_assert_cmpfloat_with_epsilon (data->repeat_rate, (double) data->repeat_buyers / (N_SIMULATED + 1), 1e-12);
  g_assert_cmpint (data->bucket, ==, CRM_DASHBOARD_BUCKET_MONTH);
  g_assert_cmpuint (data->revenue->len, >=, 12);
  g_assert_cmpuint (data->revenue->len, <=, 13);
  for (guint i = 0; i < data->revenue->len; i++)
    sum += g_array_index (data->revenue, CrmRevenueBucket, i).revenue;
  g_assert_cmpint (sum, ==, data->revenue_period);

  /* The last 30 days, worked out from the orders directly: every order is a whole
   * number of days before now, so its local day is today − k. */
  {
    g_autoptr(CrmDashboardData) d30 = crm_dashboard_data_load (store, CRM_DASHBOARD_PERIOD_30_DAYS,
                                                               now_ms, 10, NULL, &error);

    stmt = crm_store_prepare (store, "SELECT coalesce(sum(total), 0) FROM orders WHERE placed_at >= ?", NULL);
    sqlite3_bind_int64 (stmt, 1, now_ms - 29 * DAY);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (d30->revenue_30_days, ==, sqlite3_column_int64 (stmt, 0));
    sqlite3_reset (stmt);
    g_assert_cmpint (d30->bucket, ==, CRM_DASHBOARD_BUCKET_DAY);
    g_assert_cmpuint (d30->revenue->len, ==, 30);
    g_assert_cmpint (d30->revenue_30_days, ==, data->revenue_30_days);
    g_assert_cmpint (d30->revenue_30_days, ==, d30->revenue_period);
  }

  /* The RFM grid holds every scored customer once. */
  for (int r = 0; r < 5; r++)
    for (int fm = 0; fm < 5; fm++)
      rfm += data->rfm[r][fm];
  stmt = crm_store_prepare (store, "SELECT count(*) FROM customer_rfm", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (rfm, ==, sqlite3_column_int64 (stmt, 0));
  g_assert_cmpint (rfm, >, 0);
  sqlite3_reset (stmt);

  for (int s = 0; s < CRM_LIFECYCLE_N_STAGES; s++)
    stages += data->lifecycle[s];
  g_assert_cmpint (stages, ==, N_SIMULATED + 2);
  for (guint i = 0; i < data->tiers->len; i++)
    tiers += g_array_index (data->tiers, CrmTierSlice, i).customers;
  g_assert_cmpint (tiers, ==, N_SIMULATED + 2);

  g_assert_cmpint (data->scored, ==, N_SIMULATED + 1);
  g_assert_cmpfloat (data->average_clv, >, 0);
  g_assert_false (data->sales_stale);
  g_assert_cmpuint (data->forecasts->len, ==, 3);

  /* Top customer: 王芳, with her prediction. */
  g_assert_cmpuint (data->top_customers->len, ==, 10);
  g_assert_cmpstr (g_array_index (data->top_customers, CrmDashboardCustomer, 0).name, ==, "王芳");
  g_assert_cmpint (g_array_index (data->top_customers, CrmDashboardCustomer, 0).total_spent, ==, 12 * 5000000);
  g_assert_cmpint (g_array_index (data->top_customers, CrmDashboardCustomer, 0).clv, >=, 0);

  all = crm_dashboard_data_load (store, CRM_DASHBOARD_PERIOD_ALL, now_ms, 10, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (all->active, ==, N_SIMULATED + 1);
  g_assert_cmpint (all->revenue_period, >=, data->revenue_period);
}

static void
test_pdf_read_back (void)
{
  gint64 wang;
  g_autoptr(CrmStore) store = make_store (&wang);
  g_autoptr(CrmDashboardData) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (crm_test_tmp_dir (), "report.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *customers = NULL;
  g_autofree char *revenue = NULL;
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  const char *headings[] = {
    "Customer report", "Key figures", "Customers", "Active in period", "New this month",
    "Repeat rate", "Revenue, last 30 days", "Average CLV", "Revenue", "Customers by tier",
    "Lifecycle funnel", "RFM segments", "Category forecast", "Top customers",
    "Valuable customers at risk", "Page 1 of 4", "Page 4 of 4", "Generated",
  };

  if (pdftotext == NULL)
    {
      g_test_skip ("poppler-utils is not installed");
      return;
    }

  data = crm_dashboard_data_load (store, CRM_DASHBOARD_PERIOD_ALL, now_ms, 20, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (crm_report_write_pdf_for_data (data, path, &error));
  g_assert_no_error (error);
  {
    g_autofree char *part = g_strconcat (path, ".part", NULL);
    g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  }

  g_assert_cmpint (pdf_pages (path), ==, CRM_REPORT_N_PAGES);
  text = run_tool ("pdftotext", path);
  for (guint i = 0; i < G_N_ELEMENTS (headings); i++)
    if (strstr (text, headings[i]) == NULL)
      g_error ("the report lacks “%s”:\n%s", headings[i], text);

  /* A KPI figure, a money amount, and a Chinese name (CJK glyphs that map back to text). */
  customers = crm_format_count (data->customers);
  g_assert_nonnull (strstr (text, customers));
  revenue = crm_format_money (data->revenue_30_days, "CNY");
  if (strstr (text, revenue) == NULL)
    g_error ("the report lacks the 30-day revenue “%s”:\n%s", revenue, text);
  g_assert_nonnull (strstr (text, "王芳"));
  g_assert_nonnull (strstr (text, "图书"));   /* a category in the forecast legend */

  /* Through the store, for the CLI's path. */
  g_assert_true (crm_report_write_pdf (store, CRM_DASHBOARD_PERIOD_30_DAYS, path, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pdf_pages (path), ==, CRM_REPORT_N_PAGES);
}

static void
test_empty_store_and_errors (void)
{
  g_autofree char *db = crm_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_store_open (db, &error);
  g_autoptr(CrmDashboardData) data = NULL;
  g_autofree char *path = g_build_filename (crm_test_tmp_dir (), "empty.pdf", NULL);
  g_autofree char *bad = g_build_filename (crm_test_tmp_dir (), "no-such-dir", "r.pdf", NULL);
  g_autofree char *text = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;

  data = crm_dashboard_data_load (store, CRM_DASHBOARD_PERIOD_90_DAYS, now_ms, 10, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (data->customers, ==, 0);
  g_assert_cmpint (data->bucket, ==, CRM_DASHBOARD_BUCKET_WEEK);
  g_assert_cmpuint (data->revenue->len, ==, 13);
  g_assert_cmpfloat (data->repeat_rate, ==, 0);

  /* Every chart draws on empty data without a cairo error. */
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
  cr = cairo_create (surface);
  crm_chart_draw_revenue (cr, 400, 300, data);
  crm_chart_draw_tiers (cr, 400, 300, data);
  crm_chart_draw_rfm_grid (cr, 400, 300, data);
  crm_chart_draw_lifecycle (cr, 400, 300, data);
  crm_chart_draw_forecast (cr, 400, 300, data);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  g_assert_true (crm_report_write_pdf_for_data (data, path, &error));
  g_assert_no_error (error);
  if ((text = run_tool ("pdftotext", path)) != NULL)
    {
      g_assert_nonnull (strstr (text, "No customer has ordered yet."));
      g_assert_nonnull (strstr (text, "Customer values have not been computed yet."));
      g_assert_cmpint (pdf_pages (path), ==, CRM_REPORT_N_PAGES);
    }

  /* An unwritable place: a clear error, no file. */
  g_assert_false (crm_report_write_pdf_for_data (data, bad, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no-such-dir"));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
}

/* Money axes read "¥200k" in English and "20万" in Chinese, never "¥200,000.00". */
static void
test_axis_money (void)
{
  struct { const char *language; double minor; const char *shown; } cases[] = {
    { "en", 20000000, "¥200k" }, { "en", 150000000, "¥1.5M" }, { "en", 50000, "¥500" },
    { "zh_CN", 20000000, "20万" }, { "zh_CN", 15000000000.0, "1.5亿" }, { "zh_CN", 1500000, "1.5万" }, { "zh_CN", 150000, "¥1,500" },
  };
  g_autofree char *saved = g_strdup (g_getenv ("LANGUAGE"));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *label = NULL;

      g_setenv ("LANGUAGE", cases[i].language, TRUE);
      label = crm_chart_axis_money (cases[i].minor, "CNY");
      g_assert_cmpstr (label, ==, cases[i].shown);
    }
  if (saved != NULL)
    g_setenv ("LANGUAGE", saved, TRUE);
  else
    g_unsetenv ("LANGUAGE");
}

static void
clear_slice (gpointer data)
{
  CrmTierSlice *t = data;

  g_free (t->name);
  g_free (t->color);
}

/* The tier bars share the card's height (no empty half card): the last tier's bar is drawn
 * in the bottom quarter of a 400 × 320 chart with four tiers. */
static void
test_tier_bars_fill_height (void)
{
  g_autoptr(CrmDashboardData) data = g_new0 (CrmDashboardData, 1);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 400, 320);
  cairo_t *cr = cairo_create (surface);
  const char *names[] = { "VIP", "Gold", "Silver", "Regular" };
  gint64 counts[] = { 80, 408, 767, 1745 };
  guint32 *pixels;
  int stride, painted_rows = 0;

  data->tiers = g_array_new (FALSE, TRUE, sizeof (CrmTierSlice));
  g_array_set_clear_func (data->tiers, clear_slice);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      CrmTierSlice slice = { .name = g_strdup (names[i]), .color = g_strdup ("#336699"), .customers = counts[i] };
      g_array_append_val (data->tiers, slice);
    }
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  crm_chart_draw_tiers (cr, 400, 320, data);
  cairo_surface_flush (surface);
  pixels = (guint32 *) cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface) / 4;
  /* The first pixel column of the bars (x = label width + 2): rows painted the bar's blue. */
  for (int y = 240; y < 320; y++)
    if ((pixels[y * stride + 112] & 0xffffff) == 0x336699)
      painted_rows++;
  g_assert_cmpint (painted_rows, >=, 20);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);
  /* Noon today UTC, fixed for the run: whole days before it are whole days in any zone. */
  now_ms = g_get_real_time () / 1000 / DAY * DAY + DAY / 2;

  g_test_add_func ("/io/report/dashboard-data", test_dashboard_data);
  g_test_add_func ("/io/report/axis-money", test_axis_money);
  g_test_add_func ("/io/report/tier-bars-fill-height", test_tier_bars_fill_height);
  g_test_add_func ("/io/report/pdf-read-back", test_pdf_read_back);
  g_test_add_func ("/io/report/empty-store-and-errors", test_empty_store_and_errors);

  return g_test_run ();
}

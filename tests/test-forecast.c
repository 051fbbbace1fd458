/* test-forecast.c: Holt's linear trend and the monthly category series.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "crm-test-util.h"
#include "crm-customer.h"
#include "crm-forecast.h"
#include "crm-order-line.h"
#include "crm-order.h"

static void
test_holt_exact_line (void)
{
  double y[12];
  CrmHoltFit fit;
  g_autoptr(GError) error = NULL;

  for (int t = 0; t < 12; t++)
    y[t] = 100 + 10 * t;
  g_assert_true (crm_holt_fit (y, 12, &fit, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (fit.trend, 10, 1e-9);
  g_assert_cmpfloat_with_epsilon (crm_holt_forecast (&fit, 1), 220, 1e-6);
  g_assert_cmpfloat_with_epsilon (crm_holt_forecast (&fit, 3), 240, 1e-6);
  g_assert_cmpfloat_with_epsilon (fit.sse, 0, 1e-9);
}

static void
test_holt_noisy_trend (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  double y[36];
  CrmHoltFit fit;

  /* A line of slope 50 with noise of ±10%: the trend comes back within 10%. */
  for (int t = 0; t < 36; t++)
    y[t] = 1000 + 50 * t + g_rand_double_range (rand, -100, 100);
  g_assert_true (crm_holt_fit (y, 36, &fit, NULL));
  g_assert_cmpfloat (fabs (fit.trend - 50), <, 5);
  g_assert_cmpfloat (fabs (crm_holt_forecast (&fit, 3) - (1000 + 50 * 38)), <, 150);
  g_assert_cmpfloat (fit.alpha, >=, 0);
  g_assert_cmpfloat (fit.alpha, <=, 1);
  g_assert_cmpfloat (fit.beta, >=, 0);
  g_assert_cmpfloat (fit.beta, <=, 1);

  /* Holt's SSE at the fitted α, β is no worse than at a grid of others. */
  for (double a = 0.05; a < 1; a += 0.15)
    for (double b = 0.05; b < 1; b += 0.15)
      {
        double l = y[0], tr = y[1] - y[0], sse = 0;
        for (int t = 1; t < 36; t++)
          {
            double e = y[t] - (l + tr), lp = l;
            sse += e * e;
            l = a * y[t] + (1 - a) * (l + tr);
            tr = b * (l - lp) + (1 - b) * tr;
          }
        g_assert_cmpfloat (fit.sse, <=, sse * (1 + 1e-6));
      }
}

static void
test_holt_too_short (void)
{
  double y[2] = { 1, 2 };
  CrmHoltFit fit;
  g_autoptr(GError) error = NULL;

  g_assert_false (crm_holt_fit (y, 2, &fit, &error));
  g_assert_error (error, CRM_FORECAST_ERROR, CRM_FORECAST_ERROR_TOO_SHORT);
}

/* ---- from the store ---- */

static gint64
month_start_ms (int year, int month)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local (year, month, 15, 12, 0, 0);
  return g_date_time_to_unix (dt) * 1000;
}

static void
test_store_series (void)
{
  g_autofree char *path = crm_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_store_open (path, &error);
  g_autoptr(CrmCustomer) c = crm_customer_new ();
  g_autoptr(GPtrArray) series = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  const CrmCategoryForecast *books, *tea;
  gint64 id;
  gint64 now = month_start_ms (2025, 1);   /* mid January 2025: December 2024 is the last month */
  sqlite3_stmt *stmt;

  crm_customer_set_name (c, "李雷");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
  id = crm_entity_get_id (CRM_ENTITY (c));

  /* Books: 12 months of 2024, revenue 10,000 + 1,000 m (¥100.00 + ¥10.00 a month), units
   * 5 + m.  Tea: three months only, smaller.  A cancelled order and one in the current
   * (incomplete) month must not count. */
  g_assert_true (crm_store_begin (store, &error));
  for (int m = 0; m < 12; m++)
    {
      crm_test_add_order_line (store, id, month_start_ms (2024, m + 1), "completed", "Books", 5 + m, 10000 + 1000 * m);
      if (m >= 9)
        crm_test_add_order_line (store, id, month_start_ms (2024, m + 1), "completed", "Tea", 1, 500);
    }
  crm_test_add_order_line (store, id, month_start_ms (2024, 6), "cancelled", "Books", 100, 999999);
  crm_test_add_order_line (store, id, now, "completed", "Books", 100, 999999);
  g_assert_true (crm_store_commit (store, &error));

  /* A cancelled refresh leaves nothing behind. */
  g_assert_true (crm_sales_is_stale (store));
  g_cancellable_cancel (cancellable);
  g_assert_false (crm_sales_refresh (store, NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_true (crm_sales_is_stale (store));
  series = crm_forecast_categories (store, 5, 3, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (series->len, ==, 0);
  g_clear_pointer (&series, g_ptr_array_unref);

  g_assert_true (crm_sales_refresh (store, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (crm_sales_is_stale (store));

  series = crm_forecast_categories (store, 5, 3, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (series->len, ==, 2);
  books = g_ptr_array_index (series, 0);
  tea = g_ptr_array_index (series, 1);
  g_assert_cmpstr (books->category, ==, "Books");
  g_assert_cmpstr (tea->category, ==, "Tea");
  g_assert_cmpuint (books->n_history, ==, 12);
  g_assert_cmpuint (books->n_points, ==, 15);
  g_assert_cmpint (books->points[0].month, ==, crm_month_index (2024, 1));
  for (int m = 0; m < 12; m++)
    {
      g_assert_cmpfloat (books->points[m].revenue, ==, 10000 + 1000 * m);
      g_assert_cmpfloat (books->points[m].units, ==, 5 + m);
      g_assert_false (books->points[m].forecast);
    }
  /* The trend continues: January–March 2025 at 22,000, 23,000, 24,000. */
  for (int h = 0; h < 3; h++)
    {
      g_assert_true (books->points[12 + h].forecast);
      g_assert_cmpint (books->points[12 + h].month, ==, crm_month_index (2025, h + 1));
      g_assert_cmpfloat_with_epsilon (books->points[12 + h].revenue, 22000 + 1000 * h, 1e-3);
      g_assert_cmpfloat_with_epsilon (books->points[12 + h].units, 17 + h, 1e-6);
    }
  /* Tea: zero before October, then a flat 500. */
  g_assert_cmpfloat (tea->points[0].revenue, ==, 0);
  g_assert_cmpfloat (tea->points[11].revenue, ==, 500);

  /* Daily aggregates: 12 + 3 orders in 2024 + 1 in January; one new customer on day one. */
  stmt = crm_store_prepare (store, "SELECT sum(orders), sum(revenue), sum(new_customers) FROM sales_daily", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, 16);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, 12 * 10000 + 1000 * 66 + 3 * 500 + 999999);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 2), ==, 1);
  sqlite3_reset (stmt);
  stmt = crm_store_prepare (store, "SELECT new_customers FROM sales_daily WHERE day = ?", NULL);
  sqlite3_bind_int (stmt, 1, crm_local_day (month_start_ms (2024, 1)));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_reset (stmt);

  /* A new order makes the aggregates stale. */
  crm_test_add_order_line (store, id, now, "completed", "Tea", 1, 500);
  g_assert_true (crm_sales_is_stale (store));
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/analytics/forecast/holt-exact-line", test_holt_exact_line);
  g_test_add_func ("/analytics/forecast/holt-noisy-trend", test_holt_noisy_trend);
  g_test_add_func ("/analytics/forecast/holt-too-short", test_holt_too_short);
  g_test_add_func ("/analytics/forecast/store-series", test_store_series);

  return g_test_run ();
}

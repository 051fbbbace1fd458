/* test-dashboard.c: the dashboard as a user meets it — the empty state of a new
 * database, the key figures of a generated shop, computing the predictions with
 * progress and Cancel, the period selector, NPS appearing with the first
 * answers, an at-risk customer opening in the Customers section with their
 * predictions and recommendations, the report saved as PDF and printed, and the
 * page actually drawn.
 *
 * Runs in English and in zh_CN (see meson.build).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "crm-application.h"
#include "crm-customer-predictions.h"
#include "crm-customers-page.h"
#include "crm-dashboard-page-private.h"
#include "crm-dashboard-data.h"
#include "crm-feedback.h"
#include "crm-format.h"
#include "crm-generate.h"
#include "crm-order.h"
#include "crm-predict.h"
#include "crm-recommend.h"
#include "crm-recompute.h"
#include "crm-test-util.h"
#include "crm-ui-test-util.h"
#include "crm-window.h"

#define N_CUSTOMERS 400
#define N_ORDERS    3000

static const char *const lapsed[] = { "欧阳娜娜", "Greta Gold", "司马光" };

static CrmApplication *app;
static CrmWindow *window;
static CrmStore *store;   /* the test's own connection, to check what was stored */
static char *db_path;
static gboolean chinese;

static const char *
expect (const char *english,
        const char *chinese_text)
{
  return chinese ? chinese_text : english;
}

static CrmDashboardPage *
page (void)
{
  return crm_window_get_dashboard_page (window);
}

static gboolean
settled (gpointer data)
{
  return !crm_dashboard_page_get_loading (page ()) && !crm_dashboard_page_get_busy (page ()) &&
         crm_dashboard_page_get_data (page ()) != NULL;
}

static void
reload_and_wait (void)
{
  crm_dashboard_page_reload (page ());
  g_assert_true (wait_until (settled, NULL, 30000));
}

static char *
pdf_text (const char *path)
{
  const char *argv[] = { "pdftotext", path, "-", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

static gboolean
have_poppler (void)
{
  g_autofree char *tool = g_find_program_in_path ("pdftotext");

  if (tool == NULL)
    {
      /* build-aux/setup.sh installs poppler-utils; CI must have it. */
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        g_error ("pdftotext (poppler-utils) is missing");
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      return FALSE;
    }
  return TRUE;
}

/* The figures as the core computes them right now, for the same period. */
static CrmDashboardData *
expected_data (CrmDashboardPeriod period)
{
  g_autoptr(GError) error = NULL;
  CrmDashboardData *data = crm_dashboard_data_load (store, period, 0, 20, NULL, &error);

  g_assert_no_error (error);
  return data;
}

/* 1. A new database ----------------------------------------------------------- */

static void
test_empty_state (void)
{
  g_assert_true (crm_window_set_section (window, "dashboard"));
  g_assert_true (wait_until (is_mapped, page (), 5000));
  g_assert_true (wait_until (settled, NULL, 10000));

  g_assert_cmpstr (crm_dashboard_page_get_view (page ()), ==, "empty");
  /* Nothing to predict yet: no offer to compute. */
  g_assert_null (crm_dashboard_page_get_banner_text (page ()));
}

/* 2. A shop appears: figures, the offer to compute, the computation ------------- */

static void
seed_shop (void)
{
  CrmGenerateOptions options = { .customers = N_CUSTOMERS, .orders = N_ORDERS, .seed = 11, .as_of = 0 };
  CrmRecomputeOptions recompute_options;
  CrmRecomputeReport report;
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Big spenders who bought every week, then stopped: valuable, and at risk. */
  for (guint i = 0; i < G_N_ELEMENTS (lapsed); i++)
    {
      g_autoptr(CrmCustomer) c = crm_customer_new ();

      crm_customer_set_name (c, lapsed[i]);
      g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
      g_assert_no_error (error);
      for (int k = 0; k < 15; k++)
        {
          g_autoptr(CrmOrder) order = crm_order_new ();

          crm_order_set_customer_id (order, crm_entity_get_id (CRM_ENTITY (c)));
          crm_order_set_placed_at (order, crm_now_ms () - (gint64) (250 + 30 * i + 7 * k) * 86400000);
          crm_order_set_currency (order, "CNY");
          crm_order_set_total (order, 2000000 + 100000 * i);
          crm_order_set_status (order, "completed");
          g_assert_true (crm_store_insert_order (store, CRM_ENTITY (order), NULL, &error));
          g_assert_no_error (error);
        }
    }
  crm_recompute_options_init (&recompute_options, store);
  g_assert_true (crm_recompute (store, &recompute_options, NULL, NULL, NULL, &report, &error));
  g_assert_no_error (error);
}

static void
test_figures_and_compute (void)
{
  g_autoptr(CrmDashboardData) expected = NULL;
  g_autofree char *count = NULL;
  g_autoptr(GError) error = NULL;
  CrmPrediction p;

  seed_shop ();

  /* Shown again: the generated orders make the sales aggregates stale, so the
   * page brings them up to date by itself and reads again. */
  g_assert_true (crm_sales_is_stale (store));
  crm_dashboard_page_reload (page ());
  g_assert_true (wait_until (settled, NULL, 60000));
  g_assert_false (crm_sales_is_stale (store));
  g_assert_cmpstr (crm_dashboard_page_get_view (page ()), ==, "dashboard");

  count = crm_format_count (crm_store_count (store, CRM_TYPE_CUSTOMER, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (crm_dashboard_page_get_kpi_text (page (), CRM_DASHBOARD_KPI_CUSTOMERS), ==, count);
  g_assert_cmpstr (count, ==, "403");

  /* No predictions yet: the banner offers them, the CLV card says so. */
  g_assert_nonnull (crm_dashboard_page_get_banner_text (page ()));
  g_assert_cmpstr (crm_dashboard_page_get_kpi_text (page (), CRM_DASHBOARD_KPI_AVERAGE_CLV), ==, "—");
  g_assert_false (crm_predict_get (store, 1, &p, NULL));

  /* A customer with orders says why there is no prediction, and offers to compute. */
  {
    CrmCustomersPage *customers = crm_window_get_customers_page (window);
    CrmCustomerEditor *editor = crm_customers_page_get_editor (customers);
    sqlite3_stmt *stmt = crm_store_prepare (store, "SELECT id FROM customers WHERE order_count > 0 "
                                                   "AND deleted_at IS NULL LIMIT 1", &error);
    CrmCustomerPredictions *predictions;
    gint64 buyer;

    g_assert_no_error (error);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    buyer = sqlite3_column_int64 (stmt, 0);
    sqlite3_reset (stmt);
    g_assert_true (crm_window_set_section (window, "customers"));
    g_assert_true (crm_customers_page_open_customer (customers, buyer));
    predictions = CRM_CUSTOMER_PREDICTIONS (find_widget (GTK_WIDGET (editor), CRM_TYPE_CUSTOMER_PREDICTIONS));
    g_assert_nonnull (predictions);
    g_assert_cmpstr (crm_customer_predictions_get_reason (predictions), ==,
                     _("Predictions have not been computed for this shop yet."));
    g_assert_null (strstr (crm_customer_predictions_get_reason (predictions), _("no order yet")));
    g_assert_true (gtk_widget_get_visible (crm_customer_predictions_get_compute_button (predictions)));
    g_signal_emit_by_name (crm_customer_predictions_get_compute_button (predictions), "clicked");
    g_assert_true (crm_dashboard_page_get_busy (page ()));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "dashboard.cancel-job", NULL));
    g_assert_true (wait_until (settled, NULL, 60000));
    g_assert_true (crm_window_set_section (window, "dashboard"));
  }

  /* Cancel at once: nothing is stored. */
  g_assert_true (crm_dashboard_page_compute_predictions (page ()));
  g_assert_true (crm_dashboard_page_get_busy (page ()));
  g_assert_false (crm_dashboard_page_compute_predictions (page ()));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "dashboard.cancel-job", NULL));
  g_assert_true (wait_until (settled, NULL, 60000));
  expected = expected_data (CRM_DASHBOARD_PERIOD_30_DAYS);
  g_assert_cmpint (expected->scored, ==, 0);
  g_clear_pointer (&expected, crm_dashboard_data_free);

  /* Compute, as the banner's button does. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "dashboard.compute", NULL));
  g_assert_true (crm_dashboard_page_get_busy (page ()));
  g_assert_true (wait_until (settled, NULL, 120000));
  spin (50);
  g_assert_true (wait_until (settled, NULL, 30000));

  expected = expected_data (crm_dashboard_page_get_period (page ()));
  g_assert_cmpint (expected->scored, >, 0);
  g_assert_null (crm_dashboard_page_get_banner_text (page ()));
  {
    g_autofree char *clv = crm_format_money ((gint64) llround (expected->average_clv), "CNY");

    g_assert_cmpstr (crm_dashboard_page_get_kpi_text (page (), CRM_DASHBOARD_KPI_AVERAGE_CLV), ==, clv);
  }
  {
    g_autofree char *repeat = g_strdup_printf ("%.1f%%", 100 * expected->repeat_rate);

    g_assert_cmpstr (crm_dashboard_page_get_kpi_text (page (), CRM_DASHBOARD_KPI_REPEAT_RATE), ==, repeat);
  }
}

/* 3. The period selector ---------------------------------------------------------- */

typedef struct
{
  CrmDashboardPeriod period;
  gint64             since;
} PeriodWait;

static gboolean
period_shown (gpointer data)
{
  PeriodWait *w = data;
  const CrmDashboardData *d = crm_dashboard_page_get_data (page ());

  return settled (NULL) && d->period == w->period &&
         crm_chart_get_drawn_at (crm_dashboard_page_get_chart (page (), CRM_CHART_KIND_REVENUE)) > w->since;
}

static char *
revenue_after_switch (CrmDashboardPeriod period)
{
  PeriodWait w = { period, g_get_monotonic_time () };
  g_autoptr(CrmDashboardData) expected = NULL;
  g_autofree char *money = NULL;

  crm_dashboard_page_set_period (page (), period);
  g_assert_true (crm_dashboard_page_get_loading (page ()));
  g_assert_true (wait_until (period_shown, &w, 30000));

  expected = expected_data (period);
  money = crm_format_money (expected->revenue_period, "CNY");
  g_assert_cmpstr (crm_dashboard_page_get_kpi_text (page (), CRM_DASHBOARD_KPI_REVENUE), ==, money);
  {
    g_autofree char *active = crm_format_count (expected->active);

    g_assert_cmpstr (crm_dashboard_page_get_kpi_text (page (), CRM_DASHBOARD_KPI_ACTIVE), ==, active);
  }
  return g_steal_pointer (&money);
}

static void
test_period (void)
{
  g_autofree char *last_365 = revenue_after_switch (CRM_DASHBOARD_PERIOD_365_DAYS);
  g_autofree char *last_30 = NULL;
  g_autofree char *all = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  last_30 = revenue_after_switch (CRM_DASHBOARD_PERIOD_30_DAYS);
  g_assert_cmpstr (last_30, !=, last_365);
  all = revenue_after_switch (CRM_DASHBOARD_PERIOD_ALL);
  g_assert_cmpstr (all, !=, last_30);
  /* Remembered for the next start. */
  {
    g_autofree char *saved = g_settings_get_string (settings, "dashboard-period");

    g_assert_cmpstr (saved, ==, "all");
  }
  g_free (revenue_after_switch (CRM_DASHBOARD_PERIOD_30_DAYS));
}

/* 4. NPS and CSAT once feedback exists --------------------------------------------------------- */

static void
add_answer (const char *kind,
            gint64      score)
{
  g_autoptr(CrmFeedback) f = crm_feedback_new ();
  g_autoptr(GError) error = NULL;

  crm_feedback_set_customer_id (f, 1);
  crm_feedback_set_kind (f, kind);
  crm_feedback_set_score (f, score);
  g_assert_true (crm_store_insert (store, CRM_ENTITY (f), &error));
  g_assert_no_error (error);
}

static void
test_nps (void)
{
  GtkWidget *card = crm_dashboard_page_get_kpi (page (), CRM_DASHBOARD_KPI_NPS);

  g_assert_false (gtk_widget_get_visible (card));

  /* Two promoters and a detractor: (2 − 1) / 3 = +33. */
  add_answer ("nps", 10);
  add_answer ("nps", 9);
  add_answer ("nps", 3);
  reload_and_wait ();
  g_assert_true (gtk_widget_get_visible (card));
  g_assert_cmpstr (crm_dashboard_page_get_kpi_text (page (), CRM_DASHBOARD_KPI_NPS), ==, "+33");

  /* CSAT beside it: two of three answers are 4 or 5. */
  card = crm_dashboard_page_get_kpi (page (), CRM_DASHBOARD_KPI_CSAT);
  g_assert_false (gtk_widget_get_visible (card));
  add_answer ("csat", 5);
  add_answer ("csat", 4);
  add_answer ("csat", 2);
  reload_and_wait ();
  g_assert_true (gtk_widget_get_visible (card));
  g_assert_cmpstr (crm_dashboard_page_get_kpi_text (page (), CRM_DASHBOARD_KPI_CSAT), ==, "67%");
}

/* 5. An at-risk customer opens, with their predictions ------------------------------- */

static gboolean
editor_shows (gpointer data)
{
  CrmCustomerEditor *editor = crm_customers_page_get_editor (crm_window_get_customers_page (window));
  CrmCustomer *shown = crm_customer_editor_get_customer (editor);

  return gtk_widget_get_mapped (GTK_WIDGET (editor)) && shown != NULL &&
         crm_entity_get_id (CRM_ENTITY (shown)) == (gint64) GPOINTER_TO_SIZE (data);
}

static void
test_at_risk_opens_customer (void)
{
  GtkListBox *list = crm_dashboard_page_get_at_risk_list (page ());
  CrmCustomersPage *customers = crm_window_get_customers_page (window);
  CrmCustomerEditor *editor = crm_customers_page_get_editor (customers);
  g_autoptr(GArray) risky = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) recs = NULL;
  g_auto(GStrv) shown = NULL;
  g_autoptr(CrmCustomer) customer = NULL;
  GtkListBoxRow *row;
  CrmCustomerPredictions *predictions;
  CrmPrediction p;
  gint64 id;

  risky = crm_predict_at_risk_valuable (store, 0.2, 0.5, 20, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (risky->len, >, 0);
  id = g_array_index (risky, gint64, 0);
  customer = crm_store_load (store, CRM_TYPE_CUSTOMER, id, &error);
  g_assert_no_error (error);

  /* Highest value first, by name. */
  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, crm_customer_get_name (customer));
  /* What the list is: spent so far first, P(alive) as a percentage with one decimal. */
  {
    g_autofree char *spent = crm_format_money (crm_customer_get_total_spent (customer), "CNY");
    g_autofree char *alive = NULL;
    const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

    g_assert_true (crm_predict_get (store, id, &p, &error));
    alive = g_strdup_printf ("%.1f%%", 100 * p.p_alive);
    g_assert_true (g_str_has_prefix (subtitle, expect ("Spent ", "已消费 ")));
    g_assert_nonnull (strstr (subtitle, spent));
    g_assert_nonnull (strstr (subtitle, alive));
    g_assert_cmpfloat (p.p_alive, <, 0.5);
  }
  {
    guint n = 0;

    while (gtk_list_box_get_row_at_index (list, n) != NULL)
      n++;
    g_assert_cmpuint (n, ==, risky->len);
  }

  g_signal_emit_by_name (list, "row-activated", row);
  g_assert_cmpstr (crm_window_get_section (window), ==, "customers");
  g_assert_true (wait_until (editor_shows, GSIZE_TO_POINTER ((gsize) id), 10000));

  /* The detail shows the stored prediction. */
  predictions = CRM_CUSTOMER_PREDICTIONS (find_widget (GTK_WIDGET (editor), CRM_TYPE_CUSTOMER_PREDICTIONS));
  g_assert_nonnull (predictions);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (predictions)));
  g_assert_true (crm_predict_get (store, id, &p, &error));
  {
    g_autofree char *alive = g_strdup_printf ("%.0f%%", 100 * p.p_alive);
    g_autofree char *clv = crm_format_money (p.clv, "CNY");

    g_assert_cmpfloat (p.p_alive, <, 0.5);
    g_assert_cmpstr (crm_customer_predictions_get_p_alive_text (predictions), ==, alive);
    g_assert_cmpstr (crm_customer_predictions_get_clv_text (predictions), ==, clv);
    g_assert_cmpstr (crm_customer_predictions_get_risk_text (predictions), ==, crm_churn_risk_get_label (p.risk));
  }

  /* ... and the products they have not bought yet, best first. */
  recs = crm_recommend_for_customer (store, id, 5, &error);
  g_assert_no_error (error);
  shown = crm_customer_predictions_dup_products (predictions);
  g_assert_cmpuint (g_strv_length (shown), ==, recs->len);
  for (guint i = 0; i < recs->len; i++)
    {
      CrmRecommendation *r = g_ptr_array_index (recs, i);

      g_assert_cmpstr (shown[i], ==, r->name != NULL && r->name[0] ? r->name : r->product);
    }

  g_assert_true (crm_window_set_section (window, "dashboard"));
  g_assert_true (wait_until (settled, NULL, 30000));
}

/* 6. The report --------------------------------------------------------------------- */

static gboolean
not_busy (gpointer data)
{
  return !crm_dashboard_page_get_busy (page ());
}

static void
check_report_text (const char *path)
{
  const CrmDashboardData *d = crm_dashboard_page_get_data (page ());
  g_autofree char *text = pdf_text (path);
  g_autofree char *customers = crm_format_count (d->customers);
  const CrmDashboardCustomer *first = &g_array_index (d->at_risk, CrmDashboardCustomer, 0);

  g_assert_nonnull (strstr (text, expect ("Customer report", "客户报告")));
  g_assert_nonnull (strstr (text, expect ("Key figures", "关键指标")));
  g_assert_nonnull (strstr (text, expect ("Valuable customers at risk", "有流失风险的高价值客户")));
  g_assert_nonnull (strstr (text, expect ("Page 4 of 4", "第 4 页，共 4 页")));
  g_assert_nonnull (strstr (text, customers));
  g_assert_cmpuint (d->at_risk->len, >, 0);
  g_assert_nonnull (strstr (text, first->name));
}

static void
test_save_pdf (void)
{
  g_autofree char *path = g_build_filename (crm_test_tmp_dir (), "report.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) bad = g_file_new_for_path ("/nonexistent-dir/report.pdf");

  if (!have_poppler ())
    return;

  g_assert_true (crm_dashboard_page_save_pdf (page (), file));
  g_assert_true (crm_dashboard_page_get_busy (page ()));
  g_assert_true (wait_until (not_busy, NULL, 60000));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  check_report_text (path);

  /* A folder that does not exist: no file, no half-written one, the page is usable again. */
  g_assert_true (crm_dashboard_page_save_pdf (page (), bad));
  g_assert_true (wait_until (not_busy, NULL, 60000));
  g_assert_false (g_file_test ("/nonexistent-dir/report.pdf.part", G_FILE_TEST_EXISTS));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "dashboard.refresh", NULL));
  g_assert_true (wait_until (settled, NULL, 30000));
}

static void
test_print (void)
{
  g_autofree char *path = g_build_filename (crm_test_tmp_dir (), "printed.pdf", NULL);
  g_autoptr(GError) error = NULL;

  if (!have_poppler ())
    return;

  /* The print path draws the same pages: export it to a file instead of a printer. */
  g_assert_true (crm_dashboard_page_print (page (), path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  check_report_text (path);

  /* Printing again works (the first one let go of its data). */
  g_assert_true (crm_dashboard_page_print (page (), path, &error));
  g_assert_no_error (error);
}

/* 7. Drawn ------------------------------------------------------------------------------ */

static GdkTexture *
render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
}

/* Share of pixels that differ from the most common colour. */
static double
ink (GdkTexture *texture)
{
  int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
  g_autofree guint32 *pixels = g_new (guint32, (gsize) w * h);
  g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
  guint best = 0;
  gsize other = 0;

  gdk_texture_download (texture, (guchar *) pixels, (gsize) w * 4);
  for (gsize i = 0; i < (gsize) w * h; i++)
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, GUINT_TO_POINTER (pixels[i]))) + 1;

      g_hash_table_insert (counts, GUINT_TO_POINTER (pixels[i]), GUINT_TO_POINTER (n));
      best = MAX (best, n);
    }
  other = (gsize) w * h - best;
  return (double) other / ((double) w * h);
}

static void
test_render_png (void)
{
  g_autofree char *path = g_build_filename (crm_test_tmp_dir (), "dashboard.png", NULL);
  g_autoptr(GdkTexture) page_texture = NULL;
  g_autoptr(GdkTexture) chart_texture = NULL;
  CrmChart *chart = crm_dashboard_page_get_chart (page (), CRM_CHART_KIND_REVENUE);

  g_assert_cmpstr (crm_dashboard_page_get_view (page ()), ==, "dashboard");
  g_assert_true (wait_until (is_mapped, chart, 5000));
  spin (100);
  g_assert_cmpuint (crm_chart_get_draw_count (chart), >, 0);

  page_texture = render (GTK_WIDGET (page ()));
  g_assert_true (gdk_texture_save_to_png (page_texture, path));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpfloat (ink (page_texture), >, 0.02);

  /* The revenue chart itself has bars and labels on it. */
  chart_texture = render (GTK_WIDGET (chart));
  g_assert_cmpfloat (ink (chart_texture), >, 0.02);
  if (g_getenv ("CRM_TEST_KEEP_PNG") != NULL)
    g_assert_true (gdk_texture_save_to_png (page_texture, g_getenv ("CRM_TEST_KEEP_PNG")));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *language = g_getenv ("LANGUAGE");

  crm_test_init (&argc, &argv);
  chinese = language != NULL && g_str_has_prefix (language, "zh");
  ui_test_init_i18n ();

  db_path = crm_test_db_path ();
  store = crm_store_open (db_path, &error);
  g_assert_no_error (error);

  ui_test_set_settings ("default-currency", "CNY", "last-section", "customers", "dashboard-period", "30", NULL);

  window = ui_test_open_window (db_path, 1280, 800, &app);

  g_test_add_func ("/ui/dashboard/empty-state", test_empty_state);
  g_test_add_func ("/ui/dashboard/figures-and-compute", test_figures_and_compute);
  g_test_add_func ("/ui/dashboard/period", test_period);
  g_test_add_func ("/ui/dashboard/nps", test_nps);
  g_test_add_func ("/ui/dashboard/at-risk-opens-customer", test_at_risk_opens_customer);
  g_test_add_func ("/ui/dashboard/save-pdf", test_save_pdf);
  g_test_add_func ("/ui/dashboard/print", test_print);
  g_test_add_func ("/ui/dashboard/render-png", test_render_png);

  return ui_test_run_and_close (window, app, store, db_path);
}

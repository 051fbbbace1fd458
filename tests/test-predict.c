/* test-predict.c: customer-value predictions computed from the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "crm-test-util.h"
#include "crm-customer.h"
#include "crm-order.h"
#include "crm-optimize.h"
#include "crm-predict.h"

#define DAY (G_GINT64_CONSTANT (86400000))
#define HOUR (G_GINT64_CONSTANT (3600000))
/* Calibration ends 2025-06-30 12:00 UTC; day 0 of the tests is that UTC day. */
#define CAL_END (G_GINT64_CONSTANT (1751284800000))
#define CAL_DAY_START (CAL_END - 12 * HOUR)

typedef struct
{
  CrmStore *store;
  gint64    a, b, gone, only_cancelled;
  /* The simulated population: ids and the (x, t_x, T) their orders were made from. */
  GArray   *ids;
  GArray   *want_x, *want_tx, *want_T;
} Fixture;

/* An order @day days after the calibration day (negative: before), at @hour UTC. */
static CrmOrder *
add_order (CrmStore   *store,
           gint64      customer,
           int         day,
           int         hour,
           gint64      total,
           const char *status)
{
  CrmOrder *o = crm_order_new ();
  g_autoptr(GError) error = NULL;

  crm_order_set_customer_id (o, customer);
  crm_order_set_placed_at (o, CAL_DAY_START + day * DAY + hour * HOUR);
  crm_order_set_total (o, total);
  crm_order_set_status (o, status);
  crm_order_set_currency (o, "CNY");
  g_assert_true (crm_store_insert_order (store, CRM_ENTITY (o), NULL, &error));
  g_assert_no_error (error);
  return o;
}

static void
add_simulated (Fixture *f,
               guint    n)
{
  /* Purchase histories drawn from a BG/NBD population (r, alpha in weeks), turned
   * into orders on whole days; the expected summaries follow from those days. */
  const CrmBgnbdParams truth = { 0.6, 3.0, 0.8, 2.5 };
  g_autofree double *T = g_new (double, n);
  g_autofree double *x = g_new (double, n);
  g_autofree double *t_x = g_new (double, n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    T[i] = g_rand_int_range (rand, 14, 400) / 7.0;
  crm_bgnbd_simulate (&truth, T, n, 5, x, t_x);

  g_assert_true (crm_store_begin (f->store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("Simulated %u", i);
      gint64 id = crm_test_add_customer (f->store, name);
      int T_days = (int) lround (T[i] * 7);
      int first = -T_days;
      int span = (int) lround (t_x[i] * 7);
      int xi = (int) x[i];
      int last = first;
      /* Spend per purchase from a Gamma-Gamma population: nu ~ gamma(q, gamma), each
       * value ~ gamma(p, nu), in yuan (p = 6, q = 4, gamma = 15: ¥30 on average). */
      double nu = crm_random_gamma (rand, 4.0, 15.0);
#define SPEND() ((gint64) MAX (1, llround (100 * crm_random_gamma (rand, 6.0, nu))))

      /* Whole days: at most one repeat purchase a day, the last no later than day 0. */
      xi = MIN (xi, T_days);
      span = CLAMP (span, xi, T_days);
      g_object_unref (add_order (f->store, id, first, 9, SPEND (), "completed"));
      for (int j = 1; j <= xi; j++)
        {
          int day = first + (int) ceil ((double) j * span / xi);
          g_assert_cmpint (day, >, last);
          last = day;
          g_object_unref (add_order (f->store, id, day, 10, SPEND (), "completed"));
        }

      g_array_append_val (f->ids, id);
      {
        double wx = xi, wtx = (last - first) / 7.0, wT = T_days / 7.0;
        g_array_append_val (f->want_x, wx);
        g_array_append_val (f->want_tx, wtx);
        g_array_append_val (f->want_T, wT);
      }
    }
  g_assert_true (crm_store_commit (f->store, &error));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = crm_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmOrder) deleted = NULL;
  g_autoptr(CrmCustomer) gone = NULL;

  f->store = crm_store_open (path, &error);
  g_assert_no_error (error);
  f->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->want_x = g_array_new (FALSE, FALSE, sizeof (double));
  f->want_tx = g_array_new (FALSE, FALSE, sizeof (double));
  f->want_T = g_array_new (FALSE, FALSE, sizeof (double));

  /* A: days −100 (twice: one transaction), −30, −16 cancelled, −9 deleted, −2, +5 (after
   * the calibration end) → transactions on days −100, −30, −2: x = 2, t_x = 98/7 = 14
   * weeks, T = 100/7 weeks; repeat spend (80 + 40) / 2 = ¥60. */
  f->a = crm_test_add_customer (f->store, "王芳");
  g_object_unref (add_order (f->store, f->a, -100, 2, 10000, "completed"));
  g_object_unref (add_order (f->store, f->a, -100, 20, 5000, "completed"));
  g_object_unref (add_order (f->store, f->a, -30, 8, 8000, "shipped"));
  g_object_unref (add_order (f->store, f->a, -16, 8, 99900, "cancelled"));
  deleted = add_order (f->store, f->a, -9, 8, 77700, "completed");
  g_assert_true (crm_store_delete (f->store, CRM_ENTITY (deleted), &error));
  g_assert_no_error (error);
  g_object_unref (add_order (f->store, f->a, -2, 23, 4000, "completed"));
  g_object_unref (add_order (f->store, f->a, 5, 8, 12300, "completed"));

  /* B: one order 70 days before → x = 0, t_x = 0, T = 10 weeks. */
  f->b = crm_test_add_customer (f->store, "Bob Lee");
  g_object_unref (add_order (f->store, f->b, -70, 12, 2500, "completed"));

  /* A deleted customer and one with nothing that counts: no predictions. */
  f->gone = crm_test_add_customer (f->store, "Gone");
  g_object_unref (add_order (f->store, f->gone, -50, 12, 2500, "completed"));
  g_object_unref (add_order (f->store, f->gone, -10, 12, 2500, "completed"));
  gone = crm_store_load (f->store, CRM_TYPE_CUSTOMER, f->gone, &error);
  g_assert_true (crm_store_delete (f->store, CRM_ENTITY (gone), &error));
  f->only_cancelled = crm_test_add_customer (f->store, "Cancelled");
  g_object_unref (add_order (f->store, f->only_cancelled, -5, 12, 2500, "refunded"));
  g_object_unref (add_order (f->store, f->only_cancelled, -4, 12, 2500, "failed"));
  crm_test_add_customer (f->store, "Prospect");

  if (data != NULL)
    add_simulated (f, GPOINTER_TO_UINT (data));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  g_array_unref (f->ids);
  g_array_unref (f->want_x);
  g_array_unref (f->want_tx);
  g_array_unref (f->want_T);
}

static gsize
find (const CrmPredictSummary *s,
      gint64                   id)
{
  for (gsize i = 0; i < s->n; i++)
    if (s->ids[i] == id)
      return i;
  return G_MAXSIZE;
}

static void
test_summary_hand_checked (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmPredictSummary) s = crm_predict_summarize (f->store, CAL_END, NULL, &error);
  gsize ia, ib;

  g_assert_no_error (error);
  g_assert_nonnull (s);
  g_assert_cmpuint (s->n, ==, 2 + f->ids->len);
  g_assert_cmpstr (s->currency, ==, "CNY");

  ia = find (s, f->a);
  g_assert_cmpuint (ia, !=, G_MAXSIZE);
  g_assert_cmpfloat (s->x[ia], ==, 2);
  g_assert_cmpfloat_with_epsilon (s->t_x[ia], 14.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (s->T[ia], 100.0 / 7.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (s->m[ia], 60.0, 1e-9);

  ib = find (s, f->b);
  g_assert_cmpuint (ib, !=, G_MAXSIZE);
  g_assert_cmpfloat (s->x[ib], ==, 0);
  g_assert_cmpfloat (s->t_x[ib], ==, 0);
  g_assert_cmpfloat_with_epsilon (s->T[ib], 10.0, 1e-12);
  g_assert_cmpfloat (s->m[ib], ==, 0);

  g_assert_cmpuint (find (s, f->gone), ==, G_MAXSIZE);
  g_assert_cmpuint (find (s, f->only_cancelled), ==, G_MAXSIZE);

  for (guint i = 0; i < f->ids->len; i++)
    {
      gsize k = find (s, g_array_index (f->ids, gint64, i));

      g_assert_cmpuint (k, !=, G_MAXSIZE);
      g_assert_cmpfloat (s->x[k], ==, g_array_index (f->want_x, double, i));
      g_assert_cmpfloat_with_epsilon (s->t_x[k], g_array_index (f->want_tx, double, i), 1e-12);
      g_assert_cmpfloat_with_epsilon (s->T[k], g_array_index (f->want_T, double, i), 1e-12);
    }
  /* Ids ascending: the merge pass relies on it and so do callers. */
  for (gsize i = 1; i < s->n; i++)
    g_assert_cmpint (s->ids[i - 1], <, s->ids[i]);
}

static double
stored_double (CrmStore   *store,
               const char *sql)
{
  sqlite3_stmt *stmt = crm_store_prepare (store, sql, NULL);
  double v;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = sqlite3_column_double (stmt, 0);
  sqlite3_reset (stmt);
  return v;
}

static void
run_default (Fixture          *f,
             CrmPredictReport *report)
{
  CrmPredictOptions options;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  crm_predict_options_init (&options, f->store);
  options.calibration_end = CAL_END;
  ok = crm_predict_run (f->store, &options, NULL, NULL, NULL, report, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
test_scores_match_models (Fixture       *f,
                          gconstpointer  data)
{
  CrmPredictReport report;
  CrmPredictOptions options;
  CrmPredictModel stored;
  CrmPrediction pa, pb;
  const CrmBgnbdParams *bg = &report.model.bgnbd;
  const CrmGammaGammaParams *gg = &report.model.gamma_gamma;
  g_autoptr(GError) error = NULL;
  gint64 sum_clv = 0;

  run_default (f, &report);
  crm_predict_options_init (&options, f->store);
  g_assert_cmpuint (report.customers, ==, 2 + f->ids->len);
  g_assert_cmpfloat (stored_double (f->store, "SELECT count(*) FROM customer_predictions"), ==,
                     report.customers);
  g_assert_cmpuint (report.risk[0] + report.risk[1] + report.risk[2], ==, report.customers);

  /* Customer A against the models called directly with the hand-checked inputs. */
  g_assert_true (crm_predict_get (f->store, f->a, &pa, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pa.x, ==, 2);
  g_assert_cmpfloat_with_epsilon (pa.t_x, 14.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (pa.expected_30,
                                  crm_bgnbd_conditional_expected_purchases (bg, 30 / 7.0, 2, 14, 100 / 7.0), 1e-9);
  g_assert_cmpfloat_with_epsilon (pa.expected_90,
                                  crm_bgnbd_conditional_expected_purchases (bg, 90 / 7.0, 2, 14, 100 / 7.0), 1e-9);
  g_assert_cmpfloat_with_epsilon (pa.expected_365,
                                  crm_bgnbd_conditional_expected_purchases (bg, 365 / 7.0, 2, 14, 100 / 7.0), 1e-9);
  g_assert_cmpfloat_with_epsilon (pa.p_alive, crm_bgnbd_probability_alive (bg, 2, 14, 100 / 7.0), 1e-12);
  g_assert_cmpint (pa.clv, ==,
                   llround (100 * crm_gamma_gamma_clv (bg, gg, 2, 14, 100 / 7.0, 60.0, 12,
                                                       CRM_WEEKS_PER_MONTH, 0.01)));
  g_assert_cmpint (pa.risk, ==, crm_churn_risk_for (&options, pa.p_alive));
  g_assert_cmpint (pa.expected_30, <, pa.expected_90);
  g_assert_cmpint (pa.expected_90, <, pa.expected_365);

  /* B bought once: P(alive) is 1 in BG/NBD; the spend is the population mean. */
  g_assert_true (crm_predict_get (f->store, f->b, &pb, NULL));
  g_assert_cmpfloat (pb.p_alive, ==, 1.0);
  g_assert_cmpint (pb.risk, ==, CRM_CHURN_RISK_LOW);
  g_assert_cmpint (pb.clv, ==,
                   llround (100 * crm_gamma_gamma_clv (bg, gg, 0, 0, 10, 0, 12, CRM_WEEKS_PER_MONTH, 0.01)));

  /* No row for the deleted customer, the cancelled-only one or a prospect. */
  g_assert_false (crm_predict_get (f->store, f->gone, &pb, &error));
  g_assert_no_error (error);
  g_assert_false (crm_predict_get (f->store, f->only_cancelled, &pb, NULL));

  /* The parameters are in the settings, as the fit produced them. */
  g_assert_true (crm_predict_model_load (f->store, &stored, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (stored.bgnbd.r, ==, bg->r);
  g_assert_cmpfloat (stored.bgnbd.alpha, ==, bg->alpha);
  g_assert_cmpfloat (stored.bgnbd.a, ==, bg->a);
  g_assert_cmpfloat (stored.bgnbd.b, ==, bg->b);
  g_assert_cmpfloat (stored.gamma_gamma.p, ==, gg->p);
  g_assert_cmpfloat (stored.gamma_gamma.q, ==, gg->q);
  g_assert_cmpfloat (stored.gamma_gamma.gamma, ==, gg->gamma);
  g_assert_cmpfloat (stored.bgnbd_info.log_likelihood, ==, report.model.bgnbd_info.log_likelihood);
  g_assert_cmpfloat (stored.gamma_gamma_info.log_likelihood, ==, report.model.gamma_gamma_info.log_likelihood);
  g_assert_cmpint (stored.calibration_end, ==, CAL_END);
  g_assert_true (report.model.bgnbd_info.log_likelihood < 0);

  /* Every stored row agrees with the models on its own inputs. */
  {
    sqlite3_stmt *stmt = crm_store_prepare (f->store,
      "SELECT x, t_x, T, expected_365, p_alive, clv FROM customer_predictions", NULL);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        double x = sqlite3_column_double (stmt, 0), t_x = sqlite3_column_double (stmt, 1);
        double T = sqlite3_column_double (stmt, 2);

        g_assert_cmpfloat_with_epsilon (sqlite3_column_double (stmt, 3),
                                        crm_bgnbd_conditional_expected_purchases (bg, 365 / 7.0, x, t_x, T), 1e-9);
        g_assert_cmpfloat_with_epsilon (sqlite3_column_double (stmt, 4),
                                        crm_bgnbd_probability_alive (bg, x, t_x, T), 1e-12);
        sum_clv += sqlite3_column_int64 (stmt, 5);
      }
    sqlite3_reset (stmt);
  }
  g_assert_cmpint (sum_clv, ==, report.total_clv);
  g_assert_cmpint (sum_clv, >, 0);
}

static void
test_at_risk_valuable (Fixture       *f,
                       gconstpointer  data)
{
  CrmPredictReport report;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) clvs = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  gint64 threshold;
  guint expected = 0, n;

  /* Nothing scored yet: an empty list, not an error. */
  ids = crm_predict_at_risk_valuable (f->store, 0.2, 0.5, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 0);
  g_clear_pointer (&ids, g_array_unref);

  run_default (f, &report);

  /* Worked out here from the whole table: the spend of the customer at the 20% mark
   * (of the customers scored), among customers who spent anything. */
  stmt = crm_store_prepare (f->store, "SELECT count(*) FROM customer_predictions", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  stmt = crm_store_prepare (f->store, "SELECT total_spent FROM customers WHERE deleted_at IS NULL"
                            " AND total_spent > 0", NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 v = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (clvs, v);
    }
  sqlite3_reset (stmt);
  for (guint i = 0; i < clvs->len; i++)       /* descending selection sort: small */
    for (guint j = i + 1; j < clvs->len; j++)
      if (g_array_index (clvs, gint64, j) > g_array_index (clvs, gint64, i))
        {
          gint64 t = g_array_index (clvs, gint64, i);
          g_array_index (clvs, gint64, i) = g_array_index (clvs, gint64, j);
          g_array_index (clvs, gint64, j) = t;
        }
  threshold = g_array_index (clvs, gint64, MIN ((guint) ceil (0.2 * n), clvs->len) - 1);

  stmt = crm_store_prepare (f->store, "SELECT count(*) FROM customer_predictions p JOIN customers c"
                            " ON c.id = p.customer_id WHERE c.total_spent >= ? AND p.p_alive < 0.5", NULL);
  sqlite3_bind_int64 (stmt, 1, threshold);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  expected = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  g_assert_cmpuint (expected, >, 0);   /* the population has lapsed big spenders */

  ids = crm_predict_at_risk_valuable (f->store, 0.2, 0.5, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, expected);
  for (guint i = 0; i < ids->len; i++)
    {
      CrmPrediction p;
      g_autoptr(CrmCustomer) c = crm_store_load (f->store, CRM_TYPE_CUSTOMER, g_array_index (ids, gint64, i), NULL);

      g_assert_true (crm_predict_get (f->store, g_array_index (ids, gint64, i), &p, NULL));
      g_assert_cmpfloat (p.p_alive, <, 0.5);
      g_assert_cmpint (crm_customer_get_total_spent (c), >=, threshold);
      if (i > 0)
        {
          g_autoptr(CrmCustomer) prev = crm_store_load (f->store, CRM_TYPE_CUSTOMER, g_array_index (ids, gint64, i - 1), NULL);
          g_assert_cmpint (crm_customer_get_total_spent (prev), >=, crm_customer_get_total_spent (c));
        }
    }
  g_clear_pointer (&ids, g_array_unref);

  ids = crm_predict_at_risk_valuable (f->store, 0.2, 0.5, 3, &error);
  g_assert_cmpuint (ids->len, ==, MIN (3, expected));
}

static gint64
count_rows (CrmStore *store)
{
  return (gint64) stored_double (store, "SELECT count(*) FROM customer_predictions");
}

static void
test_thin_data (Fixture       *f,
                gconstpointer  data)
{
  CrmPredictOptions options;
  CrmPredictReport report;
  g_autoptr(GError) error = NULL;
  g_autofree char *model_before = NULL;
  g_autofree char *model_after = NULL;
  double sum_before;

  /* Only two buyers: too thin, nothing written. */
  crm_predict_options_init (&options, f->store);
  options.calibration_end = CAL_END;
  g_assert_false (crm_predict_run (f->store, &options, NULL, NULL, NULL, &report, &error));
  g_assert_error (error, CRM_BGNBD_ERROR, CRM_BGNBD_ERROR_TOO_FEW_CUSTOMERS);
  g_assert_nonnull (strstr (error->message, "20"));
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f->store), ==, 0);
  g_assert_null (crm_store_get_setting (f->store, "clv.model"));

  /* With a population scored, a calibration end before nearly all of it fails too —
   * and leaves the previous predictions and parameters exactly as they were. */
  add_simulated (f, 60);
  run_default (f, &report);
  model_before = crm_store_get_setting (f->store, "clv.model");
  sum_before = stored_double (f->store, "SELECT sum(clv) + sum(p_alive) FROM customer_predictions");

  options.calibration_end = CAL_END - 380 * DAY;
  g_assert_false (crm_predict_run (f->store, &options, NULL, NULL, NULL, &report, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == CRM_BGNBD_ERROR || error->domain == CRM_GAMMA_GAMMA_ERROR);
  g_test_message ("thin data: %s", error->message);
  g_clear_error (&error);

  model_after = crm_store_get_setting (f->store, "clv.model");
  g_assert_cmpstr (model_after, ==, model_before);
  g_assert_cmpint (count_rows (f->store), ==, 62);
  g_assert_cmpfloat (stored_double (f->store, "SELECT sum(clv) + sum(p_alive) FROM customer_predictions"),
                     ==, sum_before);

  /* Nobody has bought more than once: the error says so. */
  {
    g_autofree char *path = crm_test_db_path ();
    g_autoptr(CrmStore) store = crm_store_open (path, &error);

    g_assert_true (crm_store_begin (store, &error));
    for (int i = 0; i < 30; i++)
      {
        gint64 id = crm_test_add_customer (store, "Once");
        g_object_unref (add_order (store, id, -10 - i, 12, 1000, "completed"));
      }
    g_assert_true (crm_store_commit (store, &error));
    options.calibration_end = CAL_END;
    g_assert_false (crm_predict_run (store, &options, NULL, NULL, NULL, &report, &error));
    g_assert_error (error, CRM_BGNBD_ERROR, CRM_BGNBD_ERROR_NO_REPEAT_BUYERS);
    g_assert_cmpint (count_rows (store), ==, 0);
  }
}

typedef struct
{
  GCancellable *cancellable;
  double        at;
  gboolean      fired;
} CancelAt;

static void
cancel_progress (double   fraction,
                 gpointer user_data)
{
  CancelAt *c = user_data;

  if (fraction >= c->at && !c->fired)
    {
      c->fired = TRUE;
      g_cancellable_cancel (c->cancellable);
    }
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  const double points[] = { 0.0, 0.4, 0.55, 0.7 };
  CrmPredictOptions options;
  CrmPredictReport report;
  g_autofree char *model_before = NULL;
  double sum_before;

  run_default (f, &report);
  model_before = crm_store_get_setting (f->store, "clv.model");
  sum_before = stored_double (f->store, "SELECT sum(clv) + sum(p_alive) + sum(computed_at) FROM customer_predictions");

  crm_predict_options_init (&options, f->store);
  options.calibration_end = CAL_END - 20 * DAY;   /* a different result, were it written */
  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *model_after = NULL;
      CancelAt c = { cancellable, points[i], FALSE };

      if (points[i] == 0.0)
        g_cancellable_cancel (cancellable);
      g_assert_false (crm_predict_run (f->store, &options, cancel_progress, &c, cancellable, &report, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

      model_after = crm_store_get_setting (f->store, "clv.model");
      g_assert_cmpstr (model_after, ==, model_before);
      g_assert_cmpint (count_rows (f->store), ==, 2 + f->ids->len);
      g_assert_cmpfloat (stored_double (f->store, "SELECT sum(clv) + sum(p_alive) + sum(computed_at) FROM customer_predictions"),
                         ==, sum_before);
    }

  /* The store still works after the cancels. */
  options.calibration_end = CAL_END;
  {
    g_autoptr(GError) error = NULL;
    g_assert_true (crm_predict_run (f->store, &options, NULL, NULL, NULL, &report, &error));
    g_assert_no_error (error);
  }
}

static void
test_risk_bands_and_options (void)
{
  g_autofree char *path = crm_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_store_open (path, &error);
  CrmPredictOptions o, back;

  crm_predict_options_init (&o, NULL);
  g_assert_cmpuint (o.clv_months, ==, 12);
  g_assert_cmpint (crm_churn_risk_for (&o, 0.95), ==, CRM_CHURN_RISK_LOW);
  g_assert_cmpint (crm_churn_risk_for (&o, 0.7), ==, CRM_CHURN_RISK_LOW);
  g_assert_cmpint (crm_churn_risk_for (&o, 0.69), ==, CRM_CHURN_RISK_MEDIUM);
  g_assert_cmpint (crm_churn_risk_for (&o, 0.3), ==, CRM_CHURN_RISK_MEDIUM);
  g_assert_cmpint (crm_churn_risk_for (&o, 0.29), ==, CRM_CHURN_RISK_HIGH);
  for (int r = 0; r < CRM_CHURN_RISK_N; r++)
    {
      g_assert_cmpint (crm_churn_risk_from_string (crm_churn_risk_to_string (r)), ==, r);
      g_assert_nonnull (crm_churn_risk_get_label (r));
    }
  g_assert_cmpint (crm_churn_risk_from_string ("bogus"), ==, -1);

  o.clv_months = 24;
  o.monthly_discount_rate = 0.02;
  o.medium_risk_below = 0.8;
  o.high_risk_below = 0.4;
  g_assert_true (crm_predict_options_save (&o, store, &error));
  g_assert_no_error (error);
  crm_predict_options_init (&back, store);
  g_assert_cmpuint (back.clv_months, ==, 24);
  g_assert_cmpfloat (back.monthly_discount_rate, ==, 0.02);
  g_assert_cmpfloat (back.medium_risk_below, ==, 0.8);
  g_assert_cmpfloat (back.high_risk_below, ==, 0.4);

  /* Inconsistent limits are refused and the saved ones stay. */
  o.high_risk_below = 0.9;
  g_assert_false (crm_predict_options_save (&o, store, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  crm_predict_options_init (&back, store);
  g_assert_cmpfloat (back.high_risk_below, ==, 0.4);
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add ("/analytics/predict/summary-hand-checked", Fixture, GUINT_TO_POINTER (150),
              fixture_setup, test_summary_hand_checked, fixture_teardown);
  g_test_add ("/analytics/predict/scores-match-models", Fixture, GUINT_TO_POINTER (400),
              fixture_setup, test_scores_match_models, fixture_teardown);
  g_test_add ("/analytics/predict/at-risk-valuable", Fixture, GUINT_TO_POINTER (400),
              fixture_setup, test_at_risk_valuable, fixture_teardown);
  g_test_add ("/analytics/predict/thin-data-writes-nothing", Fixture, NULL,
              fixture_setup, test_thin_data, fixture_teardown);
  g_test_add ("/analytics/predict/cancel-writes-nothing", Fixture, GUINT_TO_POINTER (300),
              fixture_setup, test_cancel, fixture_teardown);
  g_test_add_func ("/analytics/predict/risk-bands-and-options", test_risk_bands_and_options);

  return g_test_run ();
}

/* crm-gamma-gamma.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-gamma-gamma.h"
#include "crm-optimize.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

G_DEFINE_QUARK (crm-gamma-gamma-error-quark, crm_gamma_gamma_error)

double
crm_gamma_gamma_customer_log_likelihood (const CrmGammaGammaParams *pr,
                                         double                     x,
                                         double                     m)
{
  double px = pr->p * x;

  if (x <= 0)
    return 0.0;
  return lgamma (px + pr->q) - lgamma (px) - lgamma (pr->q) + pr->q * log (pr->gamma)
         + (px - 1) * log (m) + px * log (x) - (px + pr->q) * log (pr->gamma + m * x);
}

double
crm_gamma_gamma_log_likelihood (const CrmGammaGammaParams *params,
                                const double              *x,
                                const double              *m,
                                const double              *weights,
                                gsize                      n)
{
  double sum = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      double w = weights != NULL ? weights[i] : 1.0;
      if (w != 0 && x[i] > 0)
        sum += w * crm_gamma_gamma_customer_log_likelihood (params, x[i], m[i]);
    }
  return sum;
}

/* Repeat buyers sorted by x: per distinct x the constant parts are summed once. */
typedef struct
{
  guint   n_x;
  double *xval;
  double *xw;       /* sum of weights */
  double *xls;      /* sum of w * log(m x) */
  gsize  *offset;   /* customers of x index k: offset[k] .. offset[k+1] */
  double *s;        /* m * x per customer */
  double *w;
  double  n_customers;
  double  n_zero;
  double  mean_m;
} GgData;

static void
gg_data_clear (GgData *d)
{
  g_free (d->xval);
  g_free (d->xw);
  g_free (d->xls);
  g_free (d->offset);
  g_free (d->s);
  g_free (d->w);
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;
  return (da > db) - (da < db);
}

static gboolean
gg_data_build (GgData *d, const double *x, const double *m, const double *weights, gsize n,
               GError **error)
{
  g_autoptr(GHashTable) index = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree gsize *fill = NULL;
  g_autofree gint64 *keys = NULL;
  double sum_wm = 0.0;
  gsize n_rep = 0;

  memset (d, 0, sizeof *d);

  for (gsize i = 0; i < n; i++)
    {
      double w = weights != NULL ? weights[i] : 1.0;

      if (!isfinite (x[i]) || x[i] < 0 || x[i] != floor (x[i]) || x[i] > 1e9 || !isfinite (w) || w < 0)
        {
          g_set_error (error, CRM_GAMMA_GAMMA_ERROR, CRM_GAMMA_GAMMA_ERROR_INVALID_INPUT,
                       _("Customer %zu: the number of repeat purchases must be a whole number ≥ 0 and the weight ≥ 0"),
                       i + 1);
          return FALSE;
        }
      if (x[i] == 0 || w == 0)
        continue;
      if (m[i] == 0)
        {
          /* A gamma density has no mass at zero: free repeat purchases say nothing
           * about spend and are left out (counted in the fit info). */
          d->n_zero += w;
          continue;
        }
      if (!isfinite (m[i]) || !(m[i] > 0))
        {
          g_set_error (error, CRM_GAMMA_GAMMA_ERROR, CRM_GAMMA_GAMMA_ERROR_INVALID_INPUT,
                       _("Customer %zu: the average repeat purchase value must be a positive amount, not %g"),
                       i + 1, m[i]);
          return FALSE;
        }
      n_rep++;
      d->n_customers += w;
      sum_wm += w * m[i];
      g_array_append_val (xs, x[i]);
    }

  if (d->n_customers < CRM_GAMMA_GAMMA_MIN_CUSTOMERS)
    {
      g_set_error (error, CRM_GAMMA_GAMMA_ERROR, CRM_GAMMA_GAMMA_ERROR_TOO_FEW_CUSTOMERS,
                   _("Too few repeat buyers to estimate spend per purchase: %g, at least %d are needed"),
                   d->n_customers, CRM_GAMMA_GAMMA_MIN_CUSTOMERS);
      return FALSE;
    }
  d->mean_m = sum_wm / d->n_customers;

  /* Distinct x in increasing order. */
  g_array_sort (xs, compare_double);
  d->xval = g_new (double, xs->len);
  for (guint i = 0; i < xs->len; i++)
    if (d->n_x == 0 || d->xval[d->n_x - 1] != g_array_index (xs, double, i))
      d->xval[d->n_x++] = g_array_index (xs, double, i);

  keys = g_new (gint64, d->n_x);
  for (guint k = 0; k < d->n_x; k++)
    {
      keys[k] = (gint64) d->xval[k];
      g_hash_table_insert (index, &keys[k], GUINT_TO_POINTER (k));
    }

  d->xw = g_new0 (double, d->n_x);
  d->xls = g_new0 (double, d->n_x);
  d->offset = g_new0 (gsize, d->n_x + 1);
  fill = g_new0 (gsize, d->n_x);
  d->s = g_new (double, n_rep);
  d->w = g_new (double, n_rep);

  for (gsize i = 0; i < n; i++)
    {
      double w = weights != NULL ? weights[i] : 1.0;
      gint64 key = (gint64) x[i];

      if (x[i] > 0 && w != 0 && m[i] != 0)
        d->offset[GPOINTER_TO_UINT (g_hash_table_lookup (index, &key)) + 1]++;
    }
  for (guint k = 0; k < d->n_x; k++)
    d->offset[k + 1] += d->offset[k];

  for (gsize i = 0; i < n; i++)
    {
      double w = weights != NULL ? weights[i] : 1.0;
      gint64 key = (gint64) x[i];
      guint k;
      gsize j;

      if (x[i] == 0 || w == 0 || m[i] == 0)
        continue;
      k = GPOINTER_TO_UINT (g_hash_table_lookup (index, &key));
      j = d->offset[k] + fill[k]++;
      d->s[j] = m[i] * x[i];
      d->w[j] = w;
      d->xw[k] += w;
      d->xls[k] += w * log (d->s[j]);
    }

  return TRUE;
}

static double
gg_data_log_likelihood (const GgData *d, const CrmGammaGammaParams *pr, double *grad)
{
  double ll = 0.0, gp = 0.0, gq = 0.0, gg = 0.0;
  double lg_q = lgamma (pr->q), ps_q = crm_digamma (pr->q), log_gamma = log (pr->gamma);

  if (!(pr->p > 0 && pr->q > 0 && pr->gamma > 0) || !isfinite (pr->p + pr->q + pr->gamma))
    return NAN;

  for (guint k = 0; k < d->n_x; k++)
    {
      double x = d->xval[k], px = pr->p * x, W = d->xw[k];
      double A = 0.0, B = 0.0;

      for (gsize j = d->offset[k]; j < d->offset[k + 1]; j++)
        {
          double den = pr->gamma + d->s[j];
          A += d->w[j] * log (den);
          B += d->w[j] / den;
        }

      ll += W * (lgamma (px + pr->q) - lgamma (px) - lg_q + pr->q * log_gamma + log (x))
            + (px - 1) * d->xls[k] - (px + pr->q) * A;
      if (grad != NULL)
        {
          double ps_pxq = crm_digamma (px + pr->q);
          gp += x * (W * (ps_pxq - crm_digamma (px)) + d->xls[k] - A);
          gq += W * (ps_pxq - ps_q + log_gamma) - A;
          gg += W * pr->q / pr->gamma - (px + pr->q) * B;
        }
    }

  if (grad != NULL)
    {
      grad[0] = gp;
      grad[1] = gq;
      grad[2] = gg;
    }
  return ll;
}

typedef struct
{
  const GgData *data;
} GgProblem;

static void
gg_theta_to_params (const GgData *d, const double *theta, CrmGammaGammaParams *pr)
{
  pr->p = exp (theta[0]);
  pr->q = exp (theta[1]);
  pr->gamma = d->mean_m * exp (theta[2]);
}

static double
gg_objective (const double *theta, double *grad, gpointer user_data)
{
  const GgData *d = user_data;
  CrmGammaGammaParams pr;
  double g[3], ll;

  gg_theta_to_params (d, theta, &pr);
  ll = gg_data_log_likelihood (d, &pr, grad != NULL ? g : NULL);
  if (!isfinite (ll))
    return NAN;
  if (grad != NULL)
    {
      grad[0] = -g[0] * pr.p / d->n_customers;
      grad[1] = -g[1] * pr.q / d->n_customers;
      grad[2] = -g[2] * pr.gamma / d->n_customers;
    }
  return -ll / d->n_customers;
}

gboolean
crm_gamma_gamma_fit (const double          *x,
                     const double          *m,
                     const double          *weights,
                     gsize                  n,
                     CrmGammaGammaParams   *out_params,
                     CrmGammaGammaFitInfo  *out_info,
                     GError               **error)
{
  /* p, q; gamma then matches the mean spend: p gamma / (q - 1) = mean. */
  static const double starts[][2] = { { 2.0, 3.0 }, { 6.0, 4.0 }, { 1.0, 1.5 }, { 15.0, 10.0 } };
  const double lower[3] = { -14, -14, -14 };
  const double upper[3] = { 14, 14, 14 };
  CrmOptimizeOptions opts = { .max_iterations = 400, .gradient_tolerance = 1e-10 };
  GgData d;
  double best[3] = { 0 }, best_value = INFINITY, best_grad = INFINITY;
  guint iterations = 0, evaluations = 0, n_starts = 0, n_agree = 0;
  gboolean have_best = FALSE;

  g_return_val_if_fail (out_params != NULL, FALSE);

  if (!gg_data_build (&d, x, m, weights, n, error))
    {
      gg_data_clear (&d);
      return FALSE;
    }

  for (guint s = 0; s < G_N_ELEMENTS (starts); s++)
    {
      CrmOptimizeResult res = { 0 };
      double theta[3] = { log (starts[s][0]), log (starts[s][1]),
                          log ((starts[s][1] - 1.0) / starts[s][0]) };

      n_starts++;
      if (!crm_optimize_minimize (3, theta, lower, upper, gg_objective, &d, &opts, &res, NULL))
        continue;
      iterations += res.iterations;
      evaluations += res.evaluations;
      if (have_best && fabs (res.value - best_value) < 1e-9 * MAX (1.0, fabs (best_value)))
        n_agree++;
      if (!have_best || res.value < best_value)
        {
          memcpy (best, theta, sizeof best);
          best_value = res.value;
          best_grad = res.gradient_norm;
          have_best = TRUE;
        }
      if (n_agree >= 1 && best_grad < 1e-6)
        break;
    }

  /* Per customer and in log-parameter space: 1e-4 is far below what moves a
   * prediction, and an optimum on a flat likelihood rarely gets closer. */
  if (!have_best || !(best_grad < 1e-4))
    {
      gg_data_clear (&d);
      g_set_error (error, CRM_GAMMA_GAMMA_ERROR, CRM_GAMMA_GAMMA_ERROR_NOT_CONVERGED,
                   _("The spend model did not converge (gradient %.3g); the data may be too thin"),
                   best_grad);
      return FALSE;
    }
  for (guint i = 0; i < 3; i++)
    if (best[i] <= lower[i] + 1e-6 || best[i] >= upper[i] - 1e-6)
      {
        gg_data_clear (&d);
        g_set_error (error, CRM_GAMMA_GAMMA_ERROR, CRM_GAMMA_GAMMA_ERROR_NOT_CONVERGED,
                     _("The spend model is not identified by these data: the amounts per purchase vary too little between customers"));
        return FALSE;
      }

  gg_theta_to_params (&d, best, out_params);
  if (out_info != NULL)
    {
      out_info->log_likelihood = -best_value * d.n_customers;
      out_info->gradient_norm = best_grad;
      out_info->n_customers = d.n_customers;
      out_info->n_zero_value = d.n_zero;
      out_info->iterations = iterations;
      out_info->evaluations = evaluations;
      out_info->starts = n_starts;
    }
  gg_data_clear (&d);
  return TRUE;
}

double
crm_gamma_gamma_population_mean (const CrmGammaGammaParams *params)
{
  if (params->q <= 1)
    return INFINITY;
  return params->p * params->gamma / (params->q - 1);
}

double
crm_gamma_gamma_conditional_expected_value (const CrmGammaGammaParams *pr,
                                            double                     x,
                                            double                     m)
{
  if (x <= 0)
    return crm_gamma_gamma_population_mean (pr);
  /* Posterior mean of p / nu given x transactions averaging m. */
  return pr->p * (pr->gamma + m * x) / (pr->p * x + pr->q - 1);
}

double
crm_gamma_gamma_clv (const CrmBgnbdParams      *bgnbd,
                     const CrmGammaGammaParams *params,
                     double                     x,
                     double                     t_x,
                     double                     T,
                     double                     m,
                     guint                      months,
                     double                     periods_per_month,
                     double                     monthly_discount_rate)
{
  return crm_gamma_gamma_conditional_expected_value (params, x, m)
         * crm_bgnbd_discounted_purchases (bgnbd, x, t_x, T, months, periods_per_month,
                                           monthly_discount_rate);
}

gboolean
crm_gamma_gamma_score (const CrmBgnbdParams        *bgnbd,
                       const CrmGammaGammaParams   *params,
                       const double                *x,
                       const double                *t_x,
                       const double                *T,
                       const double                *m,
                       gsize                        n,
                       const CrmBgnbdScoreOptions  *options,
                       double                      *expected,
                       double                      *p_alive,
                       double                      *clv,
                       GError                     **error)
{
  if (!crm_bgnbd_score (bgnbd, x, t_x, T, n, options, expected, p_alive, clv, error))
    return FALSE;
  if (clv != NULL)
    for (gsize i = 0; i < n; i++)
      clv[i] *= crm_gamma_gamma_conditional_expected_value (params, x[i], m[i]);
  return TRUE;
}

void
crm_gamma_gamma_simulate (const CrmGammaGammaParams *params,
                          const double              *x,
                          gsize                      n,
                          guint32                    seed,
                          double                    *m)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (gsize i = 0; i < n; i++)
    {
      double nu = crm_random_gamma (rand, params->q, params->gamma);
      m[i] = x[i] > 0 ? crm_random_gamma (rand, params->p * x[i], nu) / x[i] : 0.0;
    }
}

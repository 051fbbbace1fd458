/* crm-optimize.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-optimize.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

G_DEFINE_QUARK (crm-optimize-error-quark, crm_optimize_error)

#define HYP2F1_MAX_TERMS 2000000
#define HYP2F1_REL_TOL   1e-15

typedef struct
{
  guint             n;
  const double     *lower;
  const double     *upper;
  CrmObjectiveFunc  func;
  gpointer          user_data;
  gboolean          numeric;
  guint             evaluations;
  double           *scratch;
} Problem;

static inline double
lower_of (const Problem *pb, guint i)
{
  return pb->lower != NULL ? pb->lower[i] : -INFINITY;
}

static inline double
upper_of (const Problem *pb, guint i)
{
  return pb->upper != NULL ? pb->upper[i] : INFINITY;
}

static void
project (const Problem *pb, double *x)
{
  for (guint i = 0; i < pb->n; i++)
    x[i] = CLAMP (x[i], lower_of (pb, i), upper_of (pb, i));
}

static double
evaluate (Problem *pb, const double *x, double *grad)
{
  double f;

  pb->evaluations++;
  if (!pb->numeric || grad == NULL)
    return pb->func (x, grad, pb->user_data);

  f = pb->func (x, NULL, pb->user_data);
  if (!isfinite (f))
    return f;

  /* Central differences; one-sided next to a bound so we never leave the box. */
  memcpy (pb->scratch, x, pb->n * sizeof (double));
  for (guint i = 0; i < pb->n; i++)
    {
      double h = 1e-6 * MAX (1.0, fabs (x[i]));
      double hi = MIN (x[i] + h, upper_of (pb, i));
      double lo = MAX (x[i] - h, lower_of (pb, i));
      double fh, fl;

      pb->scratch[i] = hi;
      fh = hi > x[i] ? pb->func (pb->scratch, NULL, pb->user_data) : f;
      pb->scratch[i] = lo;
      fl = lo < x[i] ? pb->func (pb->scratch, NULL, pb->user_data) : f;
      pb->scratch[i] = x[i];
      pb->evaluations += 2;
      grad[i] = (hi > lo) ? (fh - fl) / (hi - lo) : 0.0;
    }

  return f;
}

/* Components that sit on a bound and are pushed outwards by the gradient are frozen. */
static double
projected_gradient (const Problem *pb, const double *x, const double *g, gboolean *free_var)
{
  double norm = 0.0;

  for (guint i = 0; i < pb->n; i++)
    {
      gboolean at_lower = x[i] <= lower_of (pb, i) && g[i] > 0;
      gboolean at_upper = x[i] >= upper_of (pb, i) && g[i] < 0;

      free_var[i] = !(at_lower || at_upper);
      if (free_var[i])
        norm = MAX (norm, fabs (g[i]));
    }

  return norm;
}

static void
identity (double *h, guint n)
{
  memset (h, 0, n * n * sizeof (double));
  for (guint i = 0; i < n; i++)
    h[i * n + i] = 1.0;
}

/* d = −H g over the free variables; back to steepest descent when the curvature information
 * went bad.  Returns the slope g·d. */
static double
search_direction (guint          n,
                  double        *h,
                  const double  *g,
                  const gboolean *free_var,
                  double        *d,
                  gboolean      *h_is_identity)
{
  double slope = 0.0;

  for (guint i = 0; i < n; i++)
    {
      d[i] = 0.0;
      if (!free_var[i])
        continue;
      for (guint j = 0; j < n; j++)
        if (free_var[j])
          d[i] -= h[i * n + j] * g[j];
      slope += d[i] * g[i];
    }

  if (!(slope < 0.0))
    {
      identity (h, n);
      *h_is_identity = TRUE;
      slope = 0.0;
      for (guint i = 0; i < n; i++)
        {
          d[i] = free_var[i] ? -g[i] : 0.0;
          slope += d[i] * g[i];
        }
    }
  return slope;
}

/* Backtracking along d from x (projected on the bounds) to a point with sufficient decrease
 * (Armijo); FALSE if there is none. */
static gboolean
line_search (Problem      *pb,
             const double *x,
             double        f,
             const double *g,
             const double *d,
             double        step,
             double       *xn,
             double       *gn,
             double       *fn)
{
  for (guint ls = 0; ls < 60; ls++)
    {
      double decrease = 0.0;

      for (guint i = 0; i < pb->n; i++)
        xn[i] = x[i] + step * d[i];
      project (pb, xn);
      for (guint i = 0; i < pb->n; i++)
        decrease += g[i] * (xn[i] - x[i]);

      *fn = evaluate (pb, xn, gn);
      if (isfinite (*fn) && *fn <= f + 1e-4 * decrease)
        return TRUE;
      step *= (isfinite (*fn) ? 0.5 : 0.1);
    }
  return FALSE;
}

/* The BFGS update of the inverse Hessian from the step s = xn − x and y = gn − g. */
static void
bfgs_update (guint          n,
             double        *h,
             const double  *x,
             const double  *xn,
             const double  *g,
             const double  *gn,
             double        *s,
             double        *y,
             double        *hy,
             gboolean      *h_is_identity)
{
  double sy = 0.0, yy = 0.0, yhy = 0.0;

  for (guint i = 0; i < n; i++)
    {
      s[i] = xn[i] - x[i];
      y[i] = gn[i] - g[i];
      sy += s[i] * y[i];
      yy += y[i] * y[i];
    }
  if (!(sy > 1e-300 && yy > 0))
    return;

  if (*h_is_identity)
    {
      /* Shanno–Phua scaling of the first inverse Hessian. */
      for (guint i = 0; i < n * n; i++)
        h[i] *= sy / yy;
      *h_is_identity = FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      hy[i] = 0.0;
      for (guint j = 0; j < n; j++)
        hy[i] += h[i * n + j] * y[j];
      yhy += y[i] * hy[i];
    }
  /* H += ((sy + yHy) s s^T) / sy^2 - (Hy s^T + s (Hy)^T) / sy */
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      h[i * n + j] += (sy + yhy) * s[i] * s[j] / (sy * sy) - (hy[i] * s[j] + s[i] * hy[j]) / sy;
}

gboolean
crm_optimize_minimize (guint                      n,
                       double                    *x,
                       const double              *lower,
                       const double              *upper,
                       CrmObjectiveFunc           func,
                       gpointer                   user_data,
                       const CrmOptimizeOptions  *options,
                       CrmOptimizeResult         *result,
                       GError                   **error)
{
  CrmOptimizeOptions opts = { 0 };
  Problem pb = { n, lower, upper, func, user_data, FALSE, 0, NULL };
  g_autofree double *work = NULL;
  double *g, *gn, *xn, *d, *h, *s, *y, *hy;
  g_autofree gboolean *free_var = NULL;
  double f, pg_norm;
  guint iter = 0, stalls = 0;
  gboolean converged = FALSE, h_is_identity = TRUE;

  g_return_val_if_fail (n > 0 && x != NULL && func != NULL, FALSE);

  if (options != NULL)
    opts = *options;
  if (opts.max_iterations == 0)
    opts.max_iterations = 500;
  if (opts.gradient_tolerance <= 0)
    opts.gradient_tolerance = 1e-8;
  if (opts.value_tolerance <= 0)
    opts.value_tolerance = 1e-15;
  pb.numeric = opts.numeric_gradient;

  work = g_new0 (double, 7 * n + n * n);
  g = work;
  gn = g + n;
  xn = gn + n;
  d = xn + n;
  s = d + n;
  y = s + n;
  hy = y + n;
  h = hy + n;
  pb.scratch = g_new0 (double, n);
  free_var = g_new0 (gboolean, n);

  project (&pb, x);
  f = evaluate (&pb, x, g);
  if (!isfinite (f))
    {
      g_free (pb.scratch);
      g_set_error (error, CRM_OPTIMIZE_ERROR, CRM_OPTIMIZE_ERROR_INVALID_START,
                   _("The optimiser's starting point has no finite objective value"));
      return FALSE;
    }

  identity (h, n);
  pg_norm = projected_gradient (&pb, x, g, free_var);

  while (iter < opts.max_iterations)
    {
      double step = 1.0, fn = NAN;

      if (pg_norm < opts.gradient_tolerance)
        {
          converged = TRUE;
          break;
        }
      iter++;

      search_direction (n, h, g, free_var, d, &h_is_identity);
      if (h_is_identity)
        {
          double dmax = 0.0;
          for (guint i = 0; i < n; i++)
            dmax = MAX (dmax, fabs (d[i]));
          if (dmax > 1.0)
            step = 1.0 / dmax;
        }

      if (!line_search (&pb, x, f, g, d, step, xn, gn, &fn))
        {
          if (!h_is_identity)
            {
              identity (h, n);
              h_is_identity = TRUE;
              continue;
            }
          break;
        }

      bfgs_update (n, h, x, xn, g, gn, s, y, hy, &h_is_identity);

      if (fabs (f - fn) <= opts.value_tolerance * MAX (1.0, fabs (f)))
        stalls++;
      else
        stalls = 0;

      memcpy (x, xn, n * sizeof (double));
      memcpy (g, gn, n * sizeof (double));
      f = fn;
      pg_norm = projected_gradient (&pb, x, g, free_var);

      /* f no longer moves at double precision: stop if the gradient is small
       * enough that rounding in f explains it. */
      if (stalls >= 3)
        {
          converged = pg_norm < MAX (opts.gradient_tolerance, 1e-6);
          break;
        }
    }

  if (pg_norm < opts.gradient_tolerance)
    converged = TRUE;

  g_free (pb.scratch);

  if (result != NULL)
    {
      result->iterations = iter;
      result->evaluations = pb.evaluations;
      result->value = f;
      result->gradient_norm = pg_norm;
      result->converged = converged;
    }

  return TRUE;
}

double
crm_digamma (double x)
{
  double result = 0.0, inv, inv2;

  if (!(x > 0.0) || !isfinite (x))
    return NAN;

  /* Recurrence up to where the asymptotic series is accurate to ~1e-16. */
  while (x < 8.0)
    {
      result -= 1.0 / x;
      x += 1.0;
    }

  inv = 1.0 / x;
  inv2 = inv * inv;
  result += log (x) - 0.5 * inv
            - inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 * (1.0 / 132)))));
  return result;
}

gboolean
crm_hyp2f1_multi (double        a,
                  double        b,
                  double        c,
                  const double *z,
                  guint         n_z,
                  double       *result)
{
  double coef = 1.0, zmax = 0.0;
  double pw[64], sum[64];
  gboolean converged = FALSE;

  g_return_val_if_fail (n_z <= G_N_ELEMENTS (pw), FALSE);

  for (guint k = 0; k < n_z; k++)
    {
      result[k] = NAN;
      if (!(z[k] >= 0.0 && z[k] < 1.0))
        return FALSE;
      zmax = MAX (zmax, z[k]);
      pw[k] = 1.0;
      sum[k] = 1.0;
    }

  if (!isfinite (a) || !isfinite (b) || !isfinite (c) || (c <= 0 && c == floor (c)))
    return FALSE;

  for (guint m = 0; m < HYP2F1_MAX_TERMS; m++)
    {
      double ratio = (a + m) * (b + m) / ((c + m) * (m + 1.0));
      double term_max = 0.0, sum_min = INFINITY, q;

      coef *= ratio;
      if (coef == 0.0)
        {
          converged = TRUE; /* a or b is a non-positive integer: a polynomial */
          break;
        }

      for (guint k = 0; k < n_z; k++)
        {
          double t;
          pw[k] *= z[k];
          t = coef * pw[k];
          sum[k] += t;
          if (z[k] == zmax)
            term_max = fabs (t);
          sum_min = MIN (sum_min, fabs (sum[k]));
        }

      if (!isfinite (coef) || !isfinite (sum_min))
        return FALSE;

      /* The term ratio tends to z from one side; once it is below one the tail
       * is bounded by a geometric series with the larger of both ratios. */
      q = MAX (fabs (ratio) * zmax, zmax);
      if (q < 1.0 && term_max * q / (1.0 - q) <= HYP2F1_REL_TOL * sum_min)
        {
          converged = TRUE;
          break;
        }
    }

  if (!converged)
    return FALSE;

  memcpy (result, sum, n_z * sizeof (double));
  return TRUE;
}

gboolean
crm_hyp2f1 (double  a,
            double  b,
            double  c,
            double  z,
            double *result)
{
  return crm_hyp2f1_multi (a, b, c, &z, 1, result);
}

static double
random_normal (GRand *rand)
{
  /* Box–Muller; one of the pair is thrown away to keep the stream simple. */
  double u1 = 1.0 - g_rand_double (rand), u2 = g_rand_double (rand);
  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

double
crm_random_gamma (GRand  *rand,
                  double  shape,
                  double  rate)
{
  double d, c;

  g_return_val_if_fail (shape > 0 && rate > 0, NAN);

  if (shape < 1.0)
    {
      /* Boost to shape + 1 and scale back by U^(1/shape). */
      double u = 1.0 - g_rand_double (rand);
      return crm_random_gamma (rand, shape + 1.0, rate) * pow (u, 1.0 / shape);
    }

  d = shape - 1.0 / 3.0;
  c = 1.0 / sqrt (9.0 * d);
  for (;;)
    {
      double z, v, u;

      do
        {
          z = random_normal (rand);
          v = 1.0 + c * z;
        }
      while (v <= 0.0);
      v = v * v * v;
      u = 1.0 - g_rand_double (rand);
      if (log (u) < 0.5 * z * z + d - d * v + d * log (v))
        return d * v / rate;
    }
}

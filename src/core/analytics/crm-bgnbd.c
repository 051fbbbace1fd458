/* crm-bgnbd.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-bgnbd.h"
#include "crm-optimize.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

G_DEFINE_QUARK (crm-bgnbd-error-quark, crm_bgnbd_error)

/* The likelihood sum is split into this many fixed chunks whatever the number of
 * threads, and the chunk sums are added in order: results do not depend on the machine. */
#define N_CHUNKS 8
/* Below this many groups threads cost more than they save. */
#define PARALLEL_MIN_GROUPS 50000
#define SERIES_MAX_TERMS 2000000
#define MAX_SCORE_POINTS 64

struct _CrmBgnbdData
{
  gsize    n_groups;
  guint32 *gx;        /* index into xval */
  guint32 *gT;        /* index into times */
  guint32 *gtx;       /* index into times */
  double  *gw;        /* summed weight */

  guint    n_x;
  double  *xval;
  double  *xw;        /* summed weight per distinct x */

  gsize    n_times;
  double  *times;

  double   n_customers;
  double   n_repeat;
  double   sum_x;
  double   sum_T;
};

/* ---- a small open-addressing map from 128-bit keys to dense indices ---- */

typedef struct
{
  guint64 *k0;
  guint64 *k1;
  guint32 *val;
  gsize    cap;
  gsize    len;
} KeyTable;

static inline guint64
mix64 (guint64 h)
{
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  h ^= h >> 33;
  return h;
}

static void
key_table_init (KeyTable *t, gsize expected)
{
  t->cap = 64;
  while (t->cap < expected * 2)
    t->cap *= 2;
  t->k0 = g_new (guint64, t->cap);
  t->k1 = g_new (guint64, t->cap);
  t->val = g_new (guint32, t->cap);
  memset (t->val, 0xff, t->cap * sizeof (guint32));
  t->len = 0;
}

static void
key_table_clear (KeyTable *t)
{
  g_clear_pointer (&t->k0, g_free);
  g_clear_pointer (&t->k1, g_free);
  g_clear_pointer (&t->val, g_free);
}

static void key_table_grow (KeyTable *t);

/* Returns the index stored for (k0, k1), or inserts @next and returns it. */
static guint32
key_table_intern (KeyTable *t, guint64 k0, guint64 k1, guint32 next)
{
  gsize mask, i;

  if ((t->len + 1) * 10 > t->cap * 6)
    key_table_grow (t);

  mask = t->cap - 1;
  i = mix64 (k0 ^ mix64 (k1 + 0x9e3779b97f4a7c15ULL)) & mask;
  while (t->val[i] != G_MAXUINT32)
    {
      if (t->k0[i] == k0 && t->k1[i] == k1)
        return t->val[i];
      i = (i + 1) & mask;
    }
  t->k0[i] = k0;
  t->k1[i] = k1;
  t->val[i] = next;
  t->len++;
  return next;
}

static void
key_table_grow (KeyTable *t)
{
  KeyTable old = *t;

  key_table_init (t, old.cap);
  for (gsize i = 0; i < old.cap; i++)
    if (old.val[i] != G_MAXUINT32)
      key_table_intern (t, old.k0[i], old.k1[i], old.val[i]);
  key_table_clear (&old);
}

static inline guint64
double_bits (double v)
{
  guint64 bits;

  if (v == 0.0)
    v = 0.0; /* -0.0 and 0.0 are the same time */
  memcpy (&bits, &v, sizeof bits);
  return bits;
}

/* ---- grouping ---- */

static gboolean
validate_customer (gsize i, double x, double t_x, double T, double w, GError **error)
{
  if (!isfinite (x) || !isfinite (t_x) || !isfinite (T) || !isfinite (w))
    {
      g_set_error (error, CRM_BGNBD_ERROR, CRM_BGNBD_ERROR_INVALID_INPUT,
                   _("Customer %zu: the purchase summary contains a value that is not a number"),
                   i + 1);
      return FALSE;
    }
  if (x < 0 || x != floor (x) || x > 1e9)
    {
      g_set_error (error, CRM_BGNBD_ERROR, CRM_BGNBD_ERROR_INVALID_INPUT,
                   _("Customer %zu: the number of repeat purchases (%g) must be a whole number ≥ 0"),
                   i + 1, x);
      return FALSE;
    }
  if (t_x < 0 || T < 0 || t_x > T)
    {
      g_set_error (error, CRM_BGNBD_ERROR, CRM_BGNBD_ERROR_INVALID_INPUT,
                   _("Customer %zu: the time of the last purchase (%g) must lie between 0 and the observation time (%g)"),
                   i + 1, t_x, T);
      return FALSE;
    }
  if (x == 0 && t_x != 0)
    {
      g_set_error (error, CRM_BGNBD_ERROR, CRM_BGNBD_ERROR_INVALID_INPUT,
                   _("Customer %zu: a customer without repeat purchases must have last-purchase time 0, not %g"),
                   i + 1, t_x);
      return FALSE;
    }
  if (w < 0)
    {
      g_set_error (error, CRM_BGNBD_ERROR, CRM_BGNBD_ERROR_INVALID_INPUT,
                   _("Customer %zu: the weight %g is negative"), i + 1, w);
      return FALSE;
    }
  return TRUE;
}

/* Builds the grouped data; @customer_group (nullable, n entries) receives each
 * customer's group index (G_MAXUINT32 for zero weight). */
static CrmBgnbdData *
build_groups (const double  *x,
              const double  *t_x,
              const double  *T,
              const double  *weights,
              gsize          n,
              guint32       *customer_group,
              GError       **error)
{
  g_autoptr(CrmBgnbdData) data = g_new0 (CrmBgnbdData, 1);
  KeyTable xt, tt, gt;
  GArray *gx, *gT, *gtx, *gw, *xval, *xw, *times;
  gboolean failed = FALSE;

  if (n >= G_MAXUINT32 / 2)
    {
      g_set_error (error, CRM_BGNBD_ERROR, CRM_BGNBD_ERROR_INVALID_INPUT,
                   _("Too many customers for one model (%zu)"), n);
      return NULL;
    }

  key_table_init (&xt, 256);
  key_table_init (&tt, MIN (n, 1 << 16));
  key_table_init (&gt, MIN (n, 1 << 16));
  gx = g_array_new (FALSE, FALSE, sizeof (guint32));
  gT = g_array_new (FALSE, FALSE, sizeof (guint32));
  gtx = g_array_new (FALSE, FALSE, sizeof (guint32));
  gw = g_array_new (FALSE, FALSE, sizeof (double));
  xval = g_array_new (FALSE, FALSE, sizeof (double));
  xw = g_array_new (FALSE, FALSE, sizeof (double));
  times = g_array_new (FALSE, FALSE, sizeof (double));

  for (gsize i = 0; i < n; i++)
    {
      double w = weights != NULL ? weights[i] : 1.0;
      guint32 xi, ti, txi, gi;
      double zero = 0.0;

      if (!validate_customer (i, x[i], t_x[i], T[i], w, error))
        {
          failed = TRUE;
          break;
        }
      if (w == 0)
        {
          if (customer_group != NULL)
            customer_group[i] = G_MAXUINT32;
          continue;
        }

      xi = key_table_intern (&xt, (guint64) x[i], 0, xval->len);
      if (xi == xval->len)
        {
          g_array_append_val (xval, x[i]);
          g_array_append_val (xw, zero);
        }
      g_array_index (xw, double, xi) += w;

      ti = key_table_intern (&tt, double_bits (T[i]), 0, times->len);
      if (ti == times->len)
        g_array_append_val (times, T[i]);
      txi = key_table_intern (&tt, double_bits (t_x[i]), 0, times->len);
      if (txi == times->len)
        g_array_append_val (times, t_x[i]);

      gi = key_table_intern (&gt, ((guint64) xi << 32) | ti, txi, gx->len);
      if (gi == gx->len)
        {
          g_array_append_val (gx, xi);
          g_array_append_val (gT, ti);
          g_array_append_val (gtx, txi);
          g_array_append_val (gw, zero);
        }
      g_array_index (gw, double, gi) += w;
      if (customer_group != NULL)
        customer_group[i] = gi;

      data->n_customers += w;
      data->sum_x += w * x[i];
      data->sum_T += w * T[i];
      if (x[i] > 0)
        data->n_repeat += w;
    }

  key_table_clear (&xt);
  key_table_clear (&tt);
  key_table_clear (&gt);

  if (failed)
    {
      g_array_free (gx, TRUE);
      g_array_free (gT, TRUE);
      g_array_free (gtx, TRUE);
      g_array_free (gw, TRUE);
      g_array_free (xval, TRUE);
      g_array_free (xw, TRUE);
      g_array_free (times, TRUE);
      return NULL;
    }

  data->n_groups = gx->len;
  data->n_x = xval->len;
  data->n_times = times->len;
  data->gx = (guint32 *) g_array_free (gx, FALSE);
  data->gT = (guint32 *) g_array_free (gT, FALSE);
  data->gtx = (guint32 *) g_array_free (gtx, FALSE);
  data->gw = (double *) g_array_free (gw, FALSE);
  data->xval = (double *) g_array_free (xval, FALSE);
  data->xw = (double *) g_array_free (xw, FALSE);
  data->times = (double *) g_array_free (times, FALSE);

  return g_steal_pointer (&data);
}

CrmBgnbdData *
crm_bgnbd_data_new (const double  *x,
                    const double  *t_x,
                    const double  *T,
                    const double  *weights,
                    gsize          n,
                    GError       **error)
{
  g_return_val_if_fail (n == 0 || (x != NULL && t_x != NULL && T != NULL), NULL);

  return build_groups (x, t_x, T, weights, n, NULL, error);
}

void
crm_bgnbd_data_free (CrmBgnbdData *data)
{
  if (data == NULL)
    return;
  g_free (data->gx);
  g_free (data->gT);
  g_free (data->gtx);
  g_free (data->gw);
  g_free (data->xval);
  g_free (data->xw);
  g_free (data->times);
  g_free (data);
}

gsize
crm_bgnbd_data_get_n_groups (const CrmBgnbdData *data)
{
  return data->n_groups;
}

double
crm_bgnbd_data_get_n_customers (const CrmBgnbdData *data)
{
  return data->n_customers;
}

double
crm_bgnbd_data_get_n_repeat_buyers (const CrmBgnbdData *data)
{
  return data->n_repeat;
}

/* ---- likelihood ---- */

static inline double
log_add_exp (double u, double v)
{
  if (u < v)
    return v + log1p (exp (u - v));
  return u + log1p (exp (v - u));
}

double
crm_bgnbd_customer_log_likelihood (const CrmBgnbdParams *p,
                                   double                x,
                                   double                t_x,
                                   double                T)
{
  double a1, a2, a3, a4;

  a1 = lgamma (p->r + x) - lgamma (p->r) + p->r * log (p->alpha);
  a2 = lgamma (p->a + p->b) + lgamma (p->b + x) - lgamma (p->b) - lgamma (p->a + p->b + x);
  a3 = -(p->r + x) * log (p->alpha + T);
  if (x <= 0)
    return a1 + a2 + a3;
  a4 = log (p->a) - log (p->b + x - 1) - (p->r + x) * log (p->alpha + t_x);
  return a1 + a2 + log_add_exp (a3, a4);
}

double
crm_bgnbd_log_likelihood (const CrmBgnbdParams *params,
                          const double         *x,
                          const double         *t_x,
                          const double         *T,
                          const double         *weights,
                          gsize                 n)
{
  double sum = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      double w = weights != NULL ? weights[i] : 1.0;
      if (w != 0)
        sum += w * crm_bgnbd_customer_log_likelihood (params, x[i], t_x[i], T[i]);
    }
  return sum;
}

typedef struct
{
  const CrmBgnbdData *data;
  CrmBgnbdParams      p;
  /* per distinct time */
  double             *lt;
  double             *it;
  /* per distinct x */
  double             *rx;
  double             *dx;
  double             *ibx1;
} Workspace;

typedef struct
{
  Workspace *ws;
  guint      chunk_first;
  guint      chunk_step;
  gboolean   times_phase;
  double     sums[N_CHUNKS][5];
} ChunkJob;

static void
workspace_init (Workspace *ws, const CrmBgnbdData *data)
{
  ws->data = data;
  ws->lt = g_new (double, MAX (data->n_times, 1));
  ws->it = g_new (double, MAX (data->n_times, 1));
  ws->rx = g_new (double, MAX (data->n_x, 1));
  ws->dx = g_new (double, MAX (data->n_x, 1));
  ws->ibx1 = g_new (double, MAX (data->n_x, 1));
}

static void
workspace_clear (Workspace *ws)
{
  g_clear_pointer (&ws->lt, g_free);
  g_clear_pointer (&ws->it, g_free);
  g_clear_pointer (&ws->rx, g_free);
  g_clear_pointer (&ws->dx, g_free);
  g_clear_pointer (&ws->ibx1, g_free);
}

static inline void
chunk_range (gsize total, guint chunk, gsize *first, gsize *end)
{
  *first = total * chunk / N_CHUNKS;
  *end = total * (chunk + 1) / N_CHUNKS;
}

static void
run_times_chunk (Workspace *ws, guint chunk)
{
  const CrmBgnbdData *d = ws->data;
  double alpha = ws->p.alpha;
  gsize first, end;

  chunk_range (d->n_times, chunk, &first, &end);
  for (gsize i = first; i < end; i++)
    {
      ws->lt[i] = log (alpha + d->times[i]);
      ws->it[i] = 1.0 / (alpha + d->times[i]);
    }
}

static void
run_groups_chunk (Workspace *ws, guint chunk, double *out)
{
  const CrmBgnbdData *d = ws->data;
  const double *lt = ws->lt, *it = ws->it, *rxv = ws->rx, *dxv = ws->dx, *ibx1 = ws->ibx1;
  double ll = 0, sr = 0, sal = 0, sa = 0, sb = 0;
  gsize first, end;

  chunk_range (d->n_groups, chunk, &first, &end);
  for (gsize g = first; g < end; g++)
    {
      guint32 xi = d->gx[g], ti = d->gT[g];
      double wg = d->gw[g], lT = lt[ti], rx = rxv[xi];

      if (d->xval[xi] == 0)
        {
          ll -= wg * rx * lT;
          sr -= wg * lT;
          sal += wg * rx * it[ti];
        }
      else
        {
          guint32 txi = d->gtx[g];
          double ltx = lt[txi];
          double dd = dxv[xi] + rx * (lT - ltx);
          double e, sp, w;

          /* log(e^u + e^v) = u + softplus(v - u); w is the share of the "dropped out
           * right after the last purchase" branch. */
          if (dd > 0)
            {
              e = exp (-dd);
              sp = dd + log1p (e);
              w = 1.0 / (1.0 + e);
            }
          else
            {
              e = exp (dd);
              sp = log1p (e);
              w = e / (1.0 + e);
            }
          ll += wg * (sp - rx * lT);
          sr -= wg * ((1 - w) * lT + w * ltx);
          sal += wg * rx * ((1 - w) * it[ti] + w * it[txi]);
          sa += wg * w;
          sb += wg * w * ibx1[xi];
        }
    }

  out[0] = ll;
  out[1] = sr;
  out[2] = sal;
  out[3] = sa;
  out[4] = sb;
}

static gpointer
chunk_thread (gpointer user_data)
{
  ChunkJob *job = user_data;

  for (guint c = job->chunk_first; c < N_CHUNKS; c += job->chunk_step)
    {
      if (job->times_phase)
        run_times_chunk (job->ws, c);
      else
        run_groups_chunk (job->ws, c, job->sums[c]);
    }
  return NULL;
}

static void
run_parallel (Workspace *ws, gboolean times_phase, double sums[N_CHUNKS][5], gsize work)
{
  guint n_threads = MIN (g_get_num_processors (), N_CHUNKS);
  ChunkJob jobs[N_CHUNKS];
  GThread *threads[N_CHUNKS];

  if (work < PARALLEL_MIN_GROUPS)
    n_threads = 1;

  for (guint t = 0; t < n_threads; t++)
    {
      jobs[t].ws = ws;
      jobs[t].chunk_first = t;
      jobs[t].chunk_step = n_threads;
      jobs[t].times_phase = times_phase;
      threads[t] = t == 0 ? NULL : g_thread_new ("crm-bgnbd", chunk_thread, &jobs[t]);
    }
  chunk_thread (&jobs[0]);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);

  if (sums != NULL)
    for (guint c = 0; c < N_CHUNKS; c++)
      memcpy (sums[c], jobs[c % n_threads].sums[c], sizeof sums[c]);
}

static double
workspace_log_likelihood (Workspace *ws, const CrmBgnbdParams *p, double *grad)
{
  const CrmBgnbdData *d = ws->data;
  double sums[N_CHUNKS][5];
  double total[5] = { 0 };
  double ll_x = 0, gr_x = 0, ga_x = 0, gb_x = 0;
  double lg_r = lgamma (p->r), lg_b = lgamma (p->b), lg_ab = lgamma (p->a + p->b);
  double ps_r = crm_digamma (p->r), ps_b = crm_digamma (p->b), ps_ab = crm_digamma (p->a + p->b);
  double log_alpha = log (p->alpha), log_a = log (p->a);

  if (!(p->r > 0 && p->alpha > 0 && p->a > 0 && p->b > 0)
      || !isfinite (p->r + p->alpha + p->a + p->b))
    return NAN;

  ws->p = *p;
  run_parallel (ws, TRUE, NULL, d->n_times);

  for (guint i = 0; i < d->n_x; i++)
    {
      double x = d->xval[i], w = d->xw[i];

      ws->rx[i] = p->r + x;
      ws->dx[i] = x > 0 ? log_a - log (p->b + x - 1) : 0.0;
      ws->ibx1[i] = x > 0 ? 1.0 / (p->b + x - 1) : 0.0;

      ll_x += w * (lgamma (p->r + x) - lg_r + p->r * log_alpha
                   + lg_ab + lgamma (p->b + x) - lg_b - lgamma (p->a + p->b + x));
      if (grad != NULL)
        {
          double ps_abx = crm_digamma (p->a + p->b + x);
          gr_x += w * (crm_digamma (p->r + x) - ps_r + log_alpha);
          ga_x += w * (ps_ab - ps_abx);
          gb_x += w * (ps_ab + crm_digamma (p->b + x) - ps_b - ps_abx);
        }
    }

  run_parallel (ws, FALSE, sums, d->n_groups);
  for (guint c = 0; c < N_CHUNKS; c++)
    for (guint k = 0; k < 5; k++)
      total[k] += sums[c][k];

  if (grad != NULL)
    {
      grad[0] = gr_x + total[1];
      grad[1] = d->n_customers * p->r / p->alpha - total[2];
      grad[2] = ga_x + total[3] / p->a;
      grad[3] = gb_x - total[4];
    }

  return ll_x + total[0];
}

double
crm_bgnbd_data_log_likelihood (const CrmBgnbdData   *data,
                               const CrmBgnbdParams *params,
                               double               *gradient)
{
  Workspace ws;
  double ll;

  workspace_init (&ws, data);
  ll = workspace_log_likelihood (&ws, params, gradient);
  workspace_clear (&ws);
  return ll;
}

/* ---- fitting ---- */

typedef struct
{
  Workspace *ws;
  double     time_scale;
} FitProblem;

static void
theta_to_params (const FitProblem *fp, const double *theta, CrmBgnbdParams *p)
{
  p->r = exp (theta[0]);
  p->alpha = fp->time_scale * exp (theta[1]);
  p->a = exp (theta[2]);
  p->b = exp (theta[3]);
}

/* -LL per customer, on log-parameters (alpha relative to the data's time scale) so
 * the optimiser sees comparable, unconstrained-looking coordinates. */
static double
fit_objective (const double *theta, double *grad, gpointer user_data)
{
  FitProblem *fp = user_data;
  CrmBgnbdParams p;
  double g[4], ll, n = fp->ws->data->n_customers;

  theta_to_params (fp, theta, &p);
  ll = workspace_log_likelihood (fp->ws, &p, grad != NULL ? g : NULL);
  if (!isfinite (ll))
    return NAN;
  if (grad != NULL)
    {
      grad[0] = -g[0] * p.r / n;
      grad[1] = -g[1] * p.alpha / n;
      grad[2] = -g[2] * p.a / n;
      grad[3] = -g[3] * p.b / n;
    }
  return -ll / n;
}

gboolean
crm_bgnbd_fit (const CrmBgnbdData   *data,
               CrmBgnbdParams       *out_params,
               CrmBgnbdFitInfo      *out_info,
               GError              **error)
{
  static const double starts[][3] = {
    /* r, a, b; alpha follows from the mean purchase rate */
    { 1.0, 1.0, 1.0 },
    { 0.5, 0.5, 2.0 },
    { 2.0, 2.0, 8.0 },
    { 0.2, 1.5, 0.5 },
  };
  static const char *names[] = { "r", "alpha", "a", "b" };
  const double lower[4] = { -14, -14, -14, -14 };
  const double upper[4] = { 14, 14, 14, 14 };
  CrmOptimizeOptions opts = { .max_iterations = 400, .gradient_tolerance = 1e-9 };
  Workspace ws;
  FitProblem fp;
  double best[4] = { 0 }, best_value = INFINITY, best_grad = INFINITY;
  double mean_rate;
  guint iterations = 0, evaluations = 0, n_starts = 0, n_agree = 0;
  gboolean have_best = FALSE;

  g_return_val_if_fail (data != NULL && out_params != NULL, FALSE);

  if (data->n_customers < CRM_BGNBD_MIN_CUSTOMERS)
    {
      g_set_error (error, CRM_BGNBD_ERROR, CRM_BGNBD_ERROR_TOO_FEW_CUSTOMERS,
                   _("Too few customers to estimate purchase behaviour: %g, at least %d are needed"),
                   data->n_customers, CRM_BGNBD_MIN_CUSTOMERS);
      return FALSE;
    }
  if (data->n_repeat < CRM_BGNBD_MIN_REPEAT_BUYERS)
    {
      g_set_error (error, CRM_BGNBD_ERROR, CRM_BGNBD_ERROR_NO_REPEAT_BUYERS,
                   data->n_repeat == 0
                   ? _("No customer has bought more than once, so repeat buying cannot be estimated")
                   : _("Too few repeat buyers to estimate purchase behaviour: %g, at least %d are needed"),
                   data->n_repeat, CRM_BGNBD_MIN_REPEAT_BUYERS);
      return FALSE;
    }
  if (data->sum_T <= 0)
    {
      g_set_error (error, CRM_BGNBD_ERROR, CRM_BGNBD_ERROR_TOO_FEW_CUSTOMERS,
                   _("All customers were observed for zero time; choose a later end of the calibration period"));
      return FALSE;
    }

  workspace_init (&ws, data);
  fp.ws = &ws;
  fp.time_scale = data->sum_T / data->n_customers;
  mean_rate = data->sum_x / data->sum_T;

  for (guint s = 0; s < G_N_ELEMENTS (starts); s++)
    {
      CrmOptimizeResult res = { 0 };
      double theta[4];

      /* E[lambda] = r / alpha matches the observed repeat rate. */
      theta[0] = log (starts[s][0]);
      theta[1] = log (starts[s][0] / mean_rate / fp.time_scale);
      theta[1] = CLAMP (theta[1], -10, 10);
      theta[2] = log (starts[s][1]);
      theta[3] = log (starts[s][2]);

      n_starts++;
      if (!crm_optimize_minimize (4, theta, lower, upper, fit_objective, &fp, &opts, &res, NULL))
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
      /* Two independent starts reaching the same optimum is evidence enough. */
      if (n_agree >= 1 && best_grad < 1e-6)
        break;
    }

  workspace_clear (&ws);

  /* Per customer and in log-parameter space: 1e-4 is far below what moves a
   * prediction, and an optimum on a flat likelihood rarely gets closer. */
  if (!have_best || !(best_grad < 1e-4))
    {
      g_set_error (error, CRM_BGNBD_ERROR, CRM_BGNBD_ERROR_NOT_CONVERGED,
                   _("The purchase model did not converge (gradient %.3g); the data may be too thin or too irregular"),
                   best_grad);
      return FALSE;
    }
  for (guint i = 0; i < 4; i++)
    if (best[i] <= lower[i] + 1e-6 || best[i] >= upper[i] - 1e-6)
      {
        g_set_error (error, CRM_BGNBD_ERROR, CRM_BGNBD_ERROR_NOT_CONVERGED,
                     _("The purchase model is not identified by these data: parameter %s ran to its limit"),
                     names[i]);
        return FALSE;
      }

  theta_to_params (&fp, best, out_params);
  if (out_info != NULL)
    {
      out_info->log_likelihood = -best_value * data->n_customers;
      out_info->gradient_norm = best_grad;
      out_info->iterations = iterations;
      out_info->evaluations = evaluations;
      out_info->starts = n_starts;
      out_info->n_groups = data->n_groups;
    }
  return TRUE;
}

/* ---- predictions ---- */

/* H(z) = (2F1(A, a-1; C; z) - 1) / (a-1) = sum_{n>=1} (A)_n (a)_{n-1} / ((C)_n n!) z^n,
 * which stays finite as a -> 1. */
static gboolean
h_series_multi (double A, double a, double C, const double *z, guint n_z, double *out)
{
  double coef = A / C, zmax = 0.0;
  double pw[MAX_SCORE_POINTS];

  for (guint k = 0; k < n_z; k++)
    {
      zmax = MAX (zmax, z[k]);
      pw[k] = z[k];
      out[k] = coef * z[k];
    }
  if (coef == 0.0 || zmax == 0.0)
    return TRUE;

  for (guint m = 1; m < SERIES_MAX_TERMS; m++)
    {
      double ratio = (A + m) * (a + m - 1) / ((C + m) * (m + 1.0));
      double term_max = 0.0, sum_min = INFINITY, q;

      coef *= ratio;
      if (coef == 0.0)
        return TRUE;
      for (guint k = 0; k < n_z; k++)
        {
          double t;
          pw[k] *= z[k];
          t = coef * pw[k];
          out[k] += t;
          if (z[k] == zmax)
            term_max = fabs (t);
          sum_min = MIN (sum_min, fabs (out[k]));
        }
      if (!isfinite (coef))
        return FALSE;
      q = MAX (fabs (ratio) * zmax, zmax);
      if (q < 1.0 && term_max * q / (1.0 - q) <= 1e-15 * MAX (sum_min, 1e-300))
        return TRUE;
    }
  return FALSE;
}

gboolean
crm_bgnbd_conditional_expected_purchases_multi (const CrmBgnbdParams *p,
                                                double                x,
                                                double                t_x,
                                                double                T,
                                                const double         *t,
                                                guint                 n_t,
                                                double               *out)
{
  double z[MAX_SCORE_POINTS], L[MAX_SCORE_POINTS], H[MAX_SCORE_POINTS];
  double eps = p->a - 1.0, log_aT = log (p->alpha + T), denom = 1.0;
  guint n_pos = 0;
  gboolean ok;

  g_return_val_if_fail (n_t <= MAX_SCORE_POINTS, FALSE);

  for (guint k = 0; k < n_t; k++)
    {
      double tk = MAX (t[k], 0.0);
      z[k] = tk / (p->alpha + T + tk);
      L[k] = log_aT - log (p->alpha + T + tk); /* log(1 - z) without cancellation */
      n_pos += tk > 0;
    }
  if (n_pos == 0)
    {
      for (guint k = 0; k < n_t; k++)
        out[k] = 0.0;
      return TRUE;
    }

  /* Euler's transformation 2F1(r+x, b+x; C; z) = (1-z)^(a-1-r-x) 2F1(a+b-1-r, a-1; C; z)
   * turns a series whose terms first grow like n^(r+x) into one that shrinks. */
  ok = h_series_multi (p->a + p->b - 1.0 - p->r, p->a, p->a + p->b + x - 1.0, z, n_t, H);

  if (x > 0)
    denom += exp (log (p->a) - log (p->b + x - 1) + (p->r + x) * (log_aT - log (p->alpha + t_x)));

  for (guint k = 0; k < n_t; k++)
    {
      double g = eps != 0.0 ? -expm1 (eps * L[k]) / eps : -L[k];
      double bracket = g - exp (eps * L[k]) * H[k];

      out[k] = ok ? (p->a + p->b + x - 1.0) * bracket / denom : NAN;
      if (t[k] <= 0)
        out[k] = 0.0;
    }
  return ok;
}

double
crm_bgnbd_conditional_expected_purchases (const CrmBgnbdParams *params,
                                          double                t,
                                          double                x,
                                          double                t_x,
                                          double                T)
{
  double out;

  crm_bgnbd_conditional_expected_purchases_multi (params, x, t_x, T, &t, 1, &out);
  return out;
}

double
crm_bgnbd_expected_purchases (const CrmBgnbdParams *params,
                              double                t)
{
  /* A customer just acquired: no repeat purchases, observed for no time. */
  return crm_bgnbd_conditional_expected_purchases (params, t, 0, 0, 0);
}

double
crm_bgnbd_probability_alive (const CrmBgnbdParams *p,
                             double                x,
                             double                t_x,
                             double                T)
{
  double lr;

  if (x <= 0)
    return 1.0;
  lr = log (p->a) - log (p->b + x - 1) + (p->r + x) * (log (p->alpha + T) - log (p->alpha + t_x));
  return 1.0 / (1.0 + exp (lr));
}

static double
discount_sum (const double *cum, guint months, double rate)
{
  double sum = 0.0, prev = 0.0, factor = 1.0;

  for (guint k = 0; k < months; k++)
    {
      factor /= 1.0 + rate;
      sum += (cum[k] - prev) * factor;
      prev = cum[k];
    }
  return sum;
}

double
crm_bgnbd_discounted_purchases (const CrmBgnbdParams *params,
                                double                x,
                                double                t_x,
                                double                T,
                                guint                 months,
                                double                periods_per_month,
                                double                monthly_discount_rate)
{
  double t[MAX_SCORE_POINTS], cum[MAX_SCORE_POINTS];

  g_return_val_if_fail (months <= MAX_SCORE_POINTS, NAN);

  if (months == 0)
    return 0.0;
  for (guint k = 0; k < months; k++)
    t[k] = (k + 1) * periods_per_month;
  if (!crm_bgnbd_conditional_expected_purchases_multi (params, x, t_x, T, t, months, cum))
    return NAN;
  return discount_sum (cum, months, monthly_discount_rate);
}

typedef struct
{
  const CrmBgnbdParams       *params;
  const CrmBgnbdData         *data;
  const CrmBgnbdScoreOptions *opts;
  double                     *g_expected;
  double                     *g_alive;
  double                     *g_discounted;
  gsize                       first;
  gsize                       end;
  gboolean                    ok;
} ScoreJob;

static gpointer
score_thread (gpointer user_data)
{
  ScoreJob *job = user_data;
  const CrmBgnbdScoreOptions *o = job->opts;
  const CrmBgnbdData *d = job->data;
  double t[MAX_SCORE_POINTS], out[MAX_SCORE_POINTS];
  guint n_t = o->n_horizons + o->clv_months;

  for (guint k = 0; k < o->n_horizons; k++)
    t[k] = o->horizons[k];
  for (guint k = 0; k < o->clv_months; k++)
    t[o->n_horizons + k] = (k + 1) * o->periods_per_month;

  job->ok = TRUE;
  for (gsize g = job->first; g < job->end; g++)
    {
      double x = d->xval[d->gx[g]], T = d->times[d->gT[g]], t_x = d->times[d->gtx[g]];

      if (n_t > 0)
        {
          if (!crm_bgnbd_conditional_expected_purchases_multi (job->params, x, t_x, T, t, n_t, out))
            job->ok = FALSE;
          memcpy (job->g_expected + g * o->n_horizons, out, o->n_horizons * sizeof (double));
          job->g_discounted[g] = discount_sum (out + o->n_horizons, o->clv_months,
                                               o->monthly_discount_rate);
        }
      job->g_alive[g] = crm_bgnbd_probability_alive (job->params, x, t_x, T);
    }
  return NULL;
}

gboolean
crm_bgnbd_score (const CrmBgnbdParams        *params,
                 const double                *x,
                 const double                *t_x,
                 const double                *T,
                 gsize                        n,
                 const CrmBgnbdScoreOptions  *options,
                 double                      *expected,
                 double                      *p_alive,
                 double                      *discounted,
                 GError                     **error)
{
  CrmBgnbdScoreOptions opts = { 0 };
  g_autoptr(CrmBgnbdData) data = NULL;
  g_autofree guint32 *group = NULL;
  g_autofree double *g_expected = NULL, *g_alive = NULL, *g_discounted = NULL;
  ScoreJob jobs[16];
  GThread *threads[16];
  guint n_threads;
  gboolean ok = TRUE;

  if (options != NULL)
    opts = *options;
  if (opts.n_horizons > 16 || opts.n_horizons + opts.clv_months > MAX_SCORE_POINTS)
    {
      g_set_error (error, CRM_BGNBD_ERROR, CRM_BGNBD_ERROR_INVALID_INPUT,
                   _("Too many prediction horizons or months (at most 16 horizons and %d points in all)"),
                   MAX_SCORE_POINTS);
      return FALSE;
    }
  if (opts.clv_months > 0 && !(opts.periods_per_month > 0))
    {
      g_set_error (error, CRM_BGNBD_ERROR, CRM_BGNBD_ERROR_INVALID_INPUT,
                   _("The length of a month in model time units must be positive"));
      return FALSE;
    }
  if (!(opts.monthly_discount_rate > -1))
    {
      g_set_error (error, CRM_BGNBD_ERROR, CRM_BGNBD_ERROR_INVALID_INPUT,
                   _("The monthly discount rate must be greater than -100%%"));
      return FALSE;
    }

  group = g_new (guint32, MAX (n, 1));
  data = build_groups (x, t_x, T, NULL, n, group, error);
  if (data == NULL)
    return FALSE;

  g_expected = g_new0 (double, MAX (data->n_groups * opts.n_horizons, 1));
  g_alive = g_new0 (double, MAX (data->n_groups, 1));
  g_discounted = g_new0 (double, MAX (data->n_groups, 1));

  n_threads = opts.n_threads > 0 ? opts.n_threads : g_get_num_processors ();
  n_threads = CLAMP (n_threads, 1, G_N_ELEMENTS (jobs));
  if (data->n_groups < 2000)
    n_threads = 1;

  for (guint i = 0; i < n_threads; i++)
    {
      jobs[i] = (ScoreJob) { params, data, &opts, g_expected, g_alive, g_discounted,
                             data->n_groups * i / n_threads, data->n_groups * (i + 1) / n_threads,
                             TRUE };
      threads[i] = i == 0 ? NULL : g_thread_new ("crm-bgnbd-score", score_thread, &jobs[i]);
    }
  score_thread (&jobs[0]);
  for (guint i = 1; i < n_threads; i++)
    g_thread_join (threads[i]);
  for (guint i = 0; i < n_threads; i++)
    ok = ok && jobs[i].ok;

  for (gsize i = 0; i < n; i++)
    {
      guint32 gi = group[i];

      if (expected != NULL)
        memcpy (expected + i * opts.n_horizons, g_expected + (gsize) gi * opts.n_horizons,
                opts.n_horizons * sizeof (double));
      if (p_alive != NULL)
        p_alive[i] = g_alive[gi];
      if (discounted != NULL)
        discounted[i] = g_discounted[gi];
    }

  if (!ok)
    {
      g_set_error (error, CRM_BGNBD_ERROR, CRM_BGNBD_ERROR_NOT_CONVERGED,
                   _("Some purchase forecasts could not be computed (the horizon is too long for the model's time scale); they are marked as not a number"));
      return FALSE;
    }
  return TRUE;
}

void
crm_bgnbd_simulate (const CrmBgnbdParams *params,
                    const double         *T,
                    gsize                 n,
                    guint32               seed,
                    double               *x,
                    double               *t_x)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (gsize i = 0; i < n; i++)
    {
      double lambda = crm_random_gamma (rand, params->r, params->alpha);
      double ga = crm_random_gamma (rand, params->a, 1.0);
      double gb = crm_random_gamma (rand, params->b, 1.0);
      double p = ga / (ga + gb);
      double t = 0.0;

      x[i] = 0;
      t_x[i] = 0;
      for (;;)
        {
          t += -log (1.0 - g_rand_double (rand)) / lambda;
          if (!(t <= T[i]))
            break;
          x[i] += 1;
          t_x[i] = t;
          if (g_rand_double (rand) < p)
            break;
        }
    }
}

/* test-clv.c: customer-value models (BG/NBD, Gamma-Gamma, CLV) and the CDNOW loader.
 *
 * Model outputs are checked against published fits and against values computed here
 * independently, by numerical integration over the gamma/beta mixing distributions of
 * the individual-level model — never by calling the same closed form.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "crm-test-util.h"
#include "crm-bgnbd.h"
#include "crm-cdnow.h"
#include "crm-gamma-gamma.h"
#include "crm-optimize.h"

static const CrmBgnbdParams published = { 0.243, 4.414, 0.793, 2.426 };

static void
assert_rel (double got, double want, double rel, const char *what)
{
  if (!(fabs (got - want) <= rel * fabs (want)))
    g_error ("%s: got %.10g, expected %.10g within %.3g%%", what, got, want, rel * 100);
}

/* ---- quadrature: composite Gauss–Legendre ---- */

#define GL_N 16
static double gl_x[GL_N], gl_w[GL_N];

static void
gl_init (void)
{
  if (gl_w[0] != 0)
    return;
  for (int i = 0; i < GL_N; i++)
    {
      double z = cos (G_PI * (i + 0.75) / (GL_N + 0.5)), dp = 0;
      for (int it = 0; it < 100; it++)
        {
          double p0 = 1, p1 = z, z1;
          for (int k = 2; k <= GL_N; k++)
            {
              double p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
              p0 = p1;
              p1 = p2;
            }
          dp = GL_N * (z * p1 - p0) / (z * z - 1);
          z1 = z;
          z = z1 - p1 / dp;
          if (fabs (z - z1) < 1e-16)
            break;
        }
      gl_x[i] = z;
      gl_w[i] = 2 / ((1 - z * z) * dp * dp);
    }
}

typedef double (*Fn1) (double v, gpointer data);

static double
gl_panel (Fn1 f, gpointer data, double lo, double hi)
{
  double sum = 0, mid = 0.5 * (lo + hi), half = 0.5 * (hi - lo);

  for (int i = 0; i < GL_N; i++)
    sum += gl_w[i] * f (mid + half * gl_x[i], data);
  return sum * half;
}

/* Uniform panels, except that the first one is split geometrically towards @lo:
 * the integrands after substitution behave like (v - lo)^c with fractional c there. */
static double
integrate (Fn1 f, gpointer data, double lo, double hi, int panels)
{
  double sum = 0, h = (hi - lo) / panels, top = lo + h;

  gl_init ();
  for (int k = 1; k < panels; k++)
    sum += gl_panel (f, data, lo + k * h, lo + (k + 1) * h);
  for (int level = 0; level < 60; level++)
    {
      sum += gl_panel (f, data, lo + 0.5 * (top - lo), top);
      top = lo + 0.5 * (top - lo);
    }
  return sum;
}

/* The mixing distributions, written out directly.  lambda ~ gamma(r, alpha): with
 * lambda = s^(1/r) the density times d lambda is alpha^r/(r Gamma(r)) e^(-alpha lambda) ds,
 * smooth at 0 even for r < 1.  p ~ beta(a, b): with p = u^(1/a) it is
 * (1-p)^(b-1)/(a B(a,b)) du. */
typedef struct
{
  const CrmBgnbdParams *pr;
  double x, t_x, T, t;
  int    kind;
  double p;       /* outer variable for the 2-D integrals */
} Mix;

static double
lambda_max (const Mix *m)
{
  return (m->x + 60 + 10 * sqrt (m->x + 1)) / m->pr->alpha;
}

static double
gamma_weight (const CrmBgnbdParams *pr, double s, double *lambda)
{
  *lambda = pow (s, 1 / pr->r);
  return exp (pr->r * log (pr->alpha) - log (pr->r) - lgamma (pr->r) - pr->alpha * *lambda);
}

static double
beta_weight (const CrmBgnbdParams *pr, double u, double *p)
{
  *p = pow (u, 1 / pr->a);
  return exp ((pr->b - 1) * log1p (-*p) - log (pr->a)
              - (lgamma (pr->a) + lgamma (pr->b) - lgamma (pr->a + pr->b)));
}

/* kind 0: lambda^x e^(-lambda T)   kind 1: lambda^x e^(-lambda t_x)
 * kind 2: lambda^x e^(-lambda T) (1 - e^(-lambda p t)) / p  (p from the outer integral)
 * kind 3: (1 - e^(-lambda p t)) / p */
static double
lambda_integrand (double s, gpointer data)
{
  Mix *m = data;
  double lambda, w = gamma_weight (m->pr, s, &lambda);

  switch (m->kind)
    {
    case 0:
      return w * exp (m->x * log (lambda) - lambda * m->T);
    case 1:
      return w * exp (m->x * log (lambda) - lambda * m->t_x);
    case 2:
      return w * exp (m->x * log (lambda) - lambda * m->T) * -expm1 (-lambda * m->p * m->t) / m->p;
    default:
      return w * -expm1 (-lambda * m->p * m->t) / m->p;
    }
}

static double
lambda_integral (Mix *m, int kind, int panels)
{
  m->kind = kind;
  return integrate (lambda_integrand, m, 0, pow (lambda_max (m), m->pr->r), panels);
}

/* kind 0: (1-p)^x   kind 1: p (1-p)^(x-1) */
static double
p_integrand (double u, gpointer data)
{
  Mix *m = data;
  double p, w = beta_weight (m->pr, u, &p);

  if (m->kind == 0)
    return w * pow (1 - p, m->x);
  return w * p * pow (1 - p, m->x - 1);
}

static double
p_integral (Mix *m, int kind)
{
  m->kind = kind;
  return integrate (p_integrand, m, 0, 1, 400);
}

/* Outer p integral of an inner lambda integral (kinds 2, 3), times (1-p)^x for kind 2. */
static double
p_outer_integrand (double u, gpointer data)
{
  Mix *m = data;
  Mix inner = *m;
  double p, w = beta_weight (m->pr, u, &p);

  if (p <= 0)
    return 0;
  inner.p = p;
  return w * (m->kind == 2 ? pow (1 - p, m->x) : 1.0) * lambda_integral (&inner, m->kind, 60);
}

/* Likelihood of (x, t_x, T) from the individual-level model, integrated numerically. */
static double
numeric_likelihood (const CrmBgnbdParams *pr, double x, double t_x, double T)
{
  Mix m = { pr, x, t_x, T, 0, 0, 0 };
  double alive = p_integral (&m, 0) * lambda_integral (&m, 0, 400);

  if (x == 0)
    return alive;
  return alive + p_integral (&m, 1) * lambda_integral (&m, 1, 400);
}

static double
numeric_p_alive (const CrmBgnbdParams *pr, double x, double t_x, double T)
{
  Mix m = { pr, x, t_x, T, 0, 0, 0 };
  double alive = p_integral (&m, 0) * lambda_integral (&m, 0, 400);

  return alive / numeric_likelihood (pr, x, t_x, T);
}

/* E[Y(t) | x, t_x, T]: an alive customer with (lambda, p) makes (1 - e^(-lambda p t))/p
 * purchases in expectation; average over the posterior of being alive with (lambda, p). */
static double
numeric_conditional (const CrmBgnbdParams *pr, double t, double x, double t_x, double T)
{
  Mix m = { pr, x, t_x, T, t, 2, 0 };
  double num = integrate (p_outer_integrand, &m, 0, 1, 80);

  return num / numeric_likelihood (pr, x, t_x, T);
}

static double
numeric_unconditional (const CrmBgnbdParams *pr, double t)
{
  Mix m = { pr, 0, 0, 0, t, 3, 0 };
  return integrate (p_outer_integrand, &m, 0, 1, 80);
}

/* ---- CDNOW ---- */

static CrmCdnowSummary *
load_sample (void)
{
  g_autofree char *path = crm_test_shared_data ("cdnow/CDNOW_sample.txt");
  g_autoptr(GError) error = NULL;
  GDate cal, hold;
  CrmCdnowSummary *s;

  crm_test_require_file (path);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;

  g_date_clear (&cal, 1);
  g_date_clear (&hold, 1);
  g_date_set_dmy (&cal, 30, G_DATE_SEPTEMBER, 1997);
  g_date_set_dmy (&hold, 30, G_DATE_JUNE, 1998);
  s = crm_cdnow_load (path, &cal, &hold, &error);
  g_assert_no_error (error);
  g_assert_nonnull (s);
  return s;
}

static void
test_cdnow_load (void)
{
  g_autoptr(CrmCdnowSummary) s = load_sample ();
  const CrmCdnowCustomer *c;
  guint hold_total = 0, weekly_total = 0;

  if (s == NULL)
    return;

  g_assert_cmpuint (s->n_customers, ==, 2357);
  g_assert_cmpuint (s->n_lines, ==, 6919);
  g_assert_cmpuint (s->n_skipped, ==, 0);
  g_assert_cmpuint (s->n_holdout_weeks, ==, 39);
  g_assert_cmpuint (s->n_transactions, <, s->n_lines); /* same-day purchases merged */

  /* Customer 4: 1997-01-01 $29.33, 01-18 $29.73, 08-02 $14.96, 12-12 $26.48. */
  c = &s->customers[0];
  g_assert_cmpuint (c->customer_id, ==, 4);
  g_assert_cmpuint (c->x, ==, 2);
  g_assert_cmpfloat_with_epsilon (c->t_x, 213.0 / 7, 1e-12);
  g_assert_cmpfloat_with_epsilon (c->T, 272.0 / 7, 1e-12);
  g_assert_cmpuint (c->holdout_x, ==, 1);
  g_assert_cmpfloat_with_epsilon (c->holdout_value, 26.48, 1e-9);
  g_assert_cmpfloat_with_epsilon (c->first_value, 29.33, 1e-9);
  g_assert_cmpfloat_with_epsilon (c->monetary_value, (29.73 + 14.96) / 2, 1e-9);

  for (gsize i = 0; i < s->n_customers; i++)
    {
      hold_total += s->customers[i].holdout_x;
      g_assert_cmpfloat (s->customers[i].t_x, <=, s->customers[i].T);
      g_assert_true (s->customers[i].x > 0 || s->customers[i].t_x == 0);
    }
  for (guint w = 0; w < s->n_holdout_weeks; w++)
    weekly_total += s->holdout_weekly[w];
  g_assert_cmpuint (weekly_total, ==, hold_total);
  g_assert_cmpuint (hold_total, >, 1000);
}

static CrmCdnowSummary *
parse_text (const char *text, GError **error)
{
  GDate cal, hold;

  g_date_clear (&cal, 1);
  g_date_clear (&hold, 1);
  g_date_set_dmy (&cal, 30, G_DATE_SEPTEMBER, 1997);
  g_date_set_dmy (&hold, 30, G_DATE_JUNE, 1998);
  return crm_cdnow_parse (text, strlen (text), &cal, &hold, error);
}

static void
test_cdnow_same_day_and_header (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCdnowSummary) s = NULL;

  /* Header line, CRLF, tabs, blank lines, unsorted dates, two purchases on one day. */
  s = parse_text (" customer_id  date number_of_cds  dollar_value\r\n"
                  " 00007 19970301  1   10.00\r\n"
                  "\r\n"
                  "00007\t19970115 2 5.50\r\n"
                  " 00007 19970301  1   2.50\n"
                  " 00007 19971001  1   7.00\n"
                  " 00007 19971008  1   1.00\n"
                  " 00009 19971231  1   1.00\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s->n_lines, ==, 6);
  g_assert_cmpuint (s->n_transactions, ==, 5);
  g_assert_cmpuint (s->n_customers, ==, 1);
  g_assert_cmpuint (s->n_skipped, ==, 1); /* customer 9 starts in the hold-out */
  g_assert_cmpuint (s->customers[0].x, ==, 1);
  g_assert_cmpfloat_with_epsilon (s->customers[0].monetary_value, 12.50, 1e-12);
  g_assert_cmpfloat_with_epsilon (s->customers[0].t_x, 45.0 / 7, 1e-12);
  g_assert_cmpuint (s->customers[0].holdout_x, ==, 2);
  g_assert_cmpuint (s->holdout_weekly[0], ==, 1); /* Oct 1 */
  g_assert_cmpuint (s->holdout_weekly[1], ==, 1); /* Oct 8 */
}

static void
test_cdnow_bad_lines (void)
{
  static const struct
  {
    const char *text;
    int         code;
    const char *needle;
  } cases[] = {
    { " 1 19970101 1 10.0\n 2 19970231 1 3.0\n", CRM_CDNOW_ERROR_PARSE, "Line 2" },
    { " 1 19970101 1 10.0\n 2 19970102 1\n", CRM_CDNOW_ERROR_PARSE, "Line 2" },
    { " 1 19970101 1 10.0\n\n 2 19970102 1 -4\n", CRM_CDNOW_ERROR_PARSE, "Line 3" },
    { " 1 19970101 1 ten\n", CRM_CDNOW_ERROR_PARSE, "Line 1" },
    { " x1 19970101 1 1.0\n 1 19970101 1 1.0 7\n", CRM_CDNOW_ERROR_PARSE, "Line 2" },
    { " 1 1997011 1 1.0\n", CRM_CDNOW_ERROR_PARSE, "YYYYMMDD" },
    { " 1 19970101 1.5 1.0\n", CRM_CDNOW_ERROR_PARSE, "CDs" },
    { " 1 2 3 4 5 6 7\n", CRM_CDNOW_ERROR_PARSE, "Line 1" },
    { "\n  \n", CRM_CDNOW_ERROR_EMPTY, "no purchases" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CrmCdnowSummary) s = parse_text (cases[i].text, &error);

      g_assert_null (s);
      g_assert_error (error, CRM_CDNOW_ERROR, cases[i].code);
      if (strstr (error->message, cases[i].needle) == NULL)
        g_error ("case %u: “%s” does not mention “%s”", i, error->message, cases[i].needle);
    }
}

/* ---- BG/NBD ---- */

static void
test_bgnbd_cdnow_fit (void)
{
  g_autoptr(CrmCdnowSummary) s = load_sample ();
  g_autoptr(CrmBgnbdData) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *x = NULL, *t_x = NULL, *T = NULL;
  CrmBgnbdParams p;
  CrmBgnbdFitInfo info;
  double ll, grad[4];

  if (s == NULL)
    return;

  crm_cdnow_summary_get_arrays (s, &x, &t_x, &T, NULL);
  data = crm_bgnbd_data_new (x, t_x, T, NULL, s->n_customers, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (crm_bgnbd_data_get_n_groups (data), <, s->n_customers);

  g_assert_true (crm_bgnbd_fit (data, &p, &info, &error));
  g_assert_no_error (error);
  g_test_message ("CDNOW sample BG/NBD: r=%.5f alpha=%.5f a=%.5f b=%.5f LL=%.4f (%u iterations, %u starts)",
                  p.r, p.alpha, p.a, p.b, info.log_likelihood, info.iterations, info.starts);

  /* Fader, Hardie & Lee (2005), Table 1. */
  assert_rel (p.r, 0.243, 0.005, "r");
  assert_rel (p.alpha, 4.414, 0.005, "alpha");
  assert_rel (p.a, 0.793, 0.005, "a");
  assert_rel (p.b, 2.426, 0.005, "b");
  g_assert_cmpfloat (fabs (info.log_likelihood - -9582.4), <, 0.05);

  /* Grouped likelihood = plain per-customer sum; the optimum beats the published
   * (rounded) parameters and every ±1% step around it. */
  ll = crm_bgnbd_data_log_likelihood (data, &p, grad);
  assert_rel (ll, crm_bgnbd_log_likelihood (&p, x, t_x, T, NULL, s->n_customers), 1e-12, "grouped LL");
  assert_rel (ll, info.log_likelihood, 1e-12, "reported LL");
  g_assert_cmpfloat (ll, >=, crm_bgnbd_data_log_likelihood (data, &published, NULL));
  for (int i = 0; i < 4; i++)
    {
      g_assert_cmpfloat (fabs (grad[i] * ((double *) &p)[i]), <, 1e-3);
      for (int sign = -1; sign <= 1; sign += 2)
        {
          CrmBgnbdParams q = p;
          ((double *) &q)[i] *= 1 + sign * 0.01;
          g_assert_cmpfloat (crm_bgnbd_data_log_likelihood (data, &q, NULL), <, ll);
        }
    }
}

static void
test_bgnbd_gradient (void)
{
  const double x[] = { 0, 0, 1, 2, 5, 12, 1, 0 };
  const double t_x[] = { 0, 0, 3.5, 10, 20.25, 30, 0.5, 0 };
  const double T[] = { 10, 38, 38, 30, 25, 31, 2, 0.5 };
  const double w[] = { 1, 3, 2, 1, 1, 4, 1, 2 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmBgnbdData) data = crm_bgnbd_data_new (x, t_x, T, w, G_N_ELEMENTS (x), &error);
  double grad[4];

  g_assert_no_error (error);
  crm_bgnbd_data_log_likelihood (data, &published, grad);
  for (int i = 0; i < 4; i++)
    {
      CrmBgnbdParams hi = published, lo = published;
      double h = 1e-6 * ((double *) &published)[i], num;

      ((double *) &hi)[i] += h;
      ((double *) &lo)[i] -= h;
      num = (crm_bgnbd_log_likelihood (&hi, x, t_x, T, w, G_N_ELEMENTS (x))
             - crm_bgnbd_log_likelihood (&lo, x, t_x, T, w, G_N_ELEMENTS (x))) / (2 * h);
      assert_rel (grad[i], num, 1e-6, "analytic gradient");
    }
}

static void
test_bgnbd_likelihood_integral (void)
{
  static const double cases[][3] = {
    { 0, 0, 38.86 }, { 0, 0, 0.5 }, { 1, 2.0, 30.0 }, { 2, 30.43, 38.86 }, { 7, 35.0, 36.0 }, { 20, 12.0, 39.0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double closed = crm_bgnbd_customer_log_likelihood (&published, cases[i][0], cases[i][1], cases[i][2]);
      double numeric = log (numeric_likelihood (&published, cases[i][0], cases[i][1], cases[i][2]));
      g_assert_cmpfloat (fabs (closed - numeric), <, 1e-8);
    }
}

static void
test_bgnbd_p_alive (void)
{
  static const double cases[][3] = {
    { 1, 2.0, 30.0 }, { 1, 29.0, 30.0 }, { 2, 30.43, 38.86 }, { 7, 10.0, 36.0 }, { 20, 38.0, 39.0 }, { 3, 0.2, 1.0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double got = crm_bgnbd_probability_alive (&published, cases[i][0], cases[i][1], cases[i][2]);
      double want = numeric_p_alive (&published, cases[i][0], cases[i][1], cases[i][2]);
      g_assert_cmpfloat (fabs (got - want), <, 1e-9);
      g_assert_cmpfloat (got, >, 0);
      g_assert_cmpfloat (got, <, 1);
    }

  /* x = 0: BG/NBD lets customers drop out only right after a repeat purchase, so a
   * customer who never came back is alive by the model's assumption, whatever T is. */
  for (double T = 0; T <= 80; T += 20)
    g_assert_cmpfloat (crm_bgnbd_probability_alive (&published, 0, 0, T), ==, 1.0);

  /* Someone who used to buy often but has been silent for long is likely gone. */
  g_assert_cmpfloat (crm_bgnbd_probability_alive (&published, 10, 5, 39), <,
                     crm_bgnbd_probability_alive (&published, 10, 38, 39));
}

static void
test_bgnbd_conditional_expectation (void)
{
  static const double cases[][4] = {
    /* t, x, t_x, T */
    { 39, 0, 0, 38.86 },
    { 4.3, 0, 0, 0.2 },
    { 52, 0, 0, 0 },
    { 39, 2, 30.43, 38.86 },
    { 10, 1, 2.0, 30.0 },
    { 52, 7, 35.0, 36.0 },
    { 39, 20, 38.0, 39.0 },
  };
  const CrmBgnbdParams a_above_one = { 0.55, 10.6, 2.4, 4.7 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double got = crm_bgnbd_conditional_expected_purchases (&published, cases[i][0], cases[i][1],
                                                             cases[i][2], cases[i][3]);
      double want = numeric_conditional (&published, cases[i][0], cases[i][1], cases[i][2], cases[i][3]);
      assert_rel (got, want, 1e-7, "E[Y(t) | x, t_x, T]");

      got = crm_bgnbd_conditional_expected_purchases (&a_above_one, cases[i][0], cases[i][1],
                                                      cases[i][2], cases[i][3]);
      want = numeric_conditional (&a_above_one, cases[i][0], cases[i][1], cases[i][2], cases[i][3]);
      assert_rel (got, want, 1e-7, "E[Y(t) | x, t_x, T], a > 1");
    }

  for (double t = 1; t <= 104; t *= 3)
    assert_rel (crm_bgnbd_expected_purchases (&published, t), numeric_unconditional (&published, t),
                1e-7, "E[X(t)]");

  /* Zero horizon, zero purchases; longer horizons, more purchases. */
  g_assert_cmpfloat (crm_bgnbd_conditional_expected_purchases (&published, 0, 3, 20, 30), ==, 0);
  g_assert_cmpfloat (crm_bgnbd_conditional_expected_purchases (&published, 10, 3, 20, 30), <,
                     crm_bgnbd_conditional_expected_purchases (&published, 20, 3, 20, 30));
}

static void
test_bgnbd_a_near_one (void)
{
  /* (a+b+x-1)/(a-1) * [...] is 0/0 at a = 1; the implementation must stay smooth. */
  CrmBgnbdParams p = { 0.4, 5.0, 1.0, 3.0 };
  double at_one = crm_bgnbd_conditional_expected_purchases (&p, 20, 3, 25, 38);
  double want;

  p.a = 1 + 1e-4;
  want = numeric_conditional (&p, 20, 3, 25, 38);
  assert_rel (crm_bgnbd_conditional_expected_purchases (&p, 20, 3, 25, 38), want, 1e-7, "a = 1 + 1e-4");
  assert_rel (at_one, want, 1e-3, "a = 1");
  for (double d = 1e-12; d < 1e-5; d *= 10)
    {
      p.a = 1 - d;
      /* dE/da is of order one here, so the change must be of order d — no blow-up. */
      assert_rel (crm_bgnbd_conditional_expected_purchases (&p, 20, 3, 25, 38), at_one, 10 * d + 1e-13, "a -> 1");
    }
}

static void
test_hyp2f1 (void)
{
  double v, z[3] = { 0.1, 0.5, 0.95 }, out[3];

  for (double zz = 0; zz < 0.99; zz += 0.07)
    {
      g_assert_true (crm_hyp2f1 (1, 1, 2, zz, &v));
      assert_rel (v, zz == 0 ? 1 : -log1p (-zz) / zz, 1e-13, "2F1(1,1;2;z)");
      g_assert_true (crm_hyp2f1 (0.7, 2.5, 2.5, zz, &v));
      assert_rel (v, pow (1 - zz, -0.7), 1e-13, "2F1(a,b;b;z)");
    }
  /* Terminating series: 2F1(-2, b; c; z) = 1 - 2bz/c + b(b+1)z^2/(c(c+1)). */
  g_assert_true (crm_hyp2f1 (-2, 3, 4, 0.5, &v));
  assert_rel (v, 1 - 2 * 3 * 0.5 / 4 + 3 * 4 * 0.25 / (4 * 5), 1e-15, "polynomial");

  g_assert_true (crm_hyp2f1_multi (0.5, 1.5, 2.5, z, 3, out));
  for (int i = 0; i < 3; i++)
    {
      g_assert_true (crm_hyp2f1 (0.5, 1.5, 2.5, z[i], &v));
      assert_rel (out[i], v, 1e-14, "multi");
    }

  g_assert_false (crm_hyp2f1 (1, 1, 2, 1.0, &v));
  g_assert_true (isnan (v));
  g_assert_false (crm_hyp2f1 (1, 1, -3, 0.5, &v));
}

static void
test_bgnbd_synthetic_recovery (void)
{
  const CrmBgnbdParams truth = { 0.6, 8.0, 0.9, 3.0 };
  const gsize n = 40000;
  g_autofree double *x = g_new (double, n), *t_x = g_new (double, n), *T = g_new (double, n);
  g_autofree double *x2 = g_new (double, n), *t_x2 = g_new (double, n);
  g_autoptr(CrmBgnbdData) data = NULL;
  g_autoptr(GError) error = NULL;
  CrmBgnbdParams p;

  for (gsize i = 0; i < n; i++)
    T[i] = 13 + (i % 365) / 7.0; /* cohorts over a year, observed 13..65 weeks */
  crm_bgnbd_simulate (&truth, T, n, 42, x, t_x);
  crm_bgnbd_simulate (&truth, T, n, 42, x2, t_x2);
  g_assert_cmpmem (x, n * sizeof (double), x2, n * sizeof (double));
  g_assert_cmpmem (t_x, n * sizeof (double), t_x2, n * sizeof (double));

  data = crm_bgnbd_data_new (x, t_x, T, NULL, n, &error);
  g_assert_no_error (error);
  g_assert_true (crm_bgnbd_fit (data, &p, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("recovered r=%.4f alpha=%.4f a=%.4f b=%.4f", p.r, p.alpha, p.a, p.b);
  assert_rel (p.r, truth.r, 0.08, "r");
  assert_rel (p.alpha, truth.alpha, 0.10, "alpha");
  assert_rel (p.a, truth.a, 0.20, "a");
  assert_rel (p.b, truth.b, 0.25, "b");
}

static void
test_bgnbd_thin_data (void)
{
  double x[40] = { 0 }, t_x[40] = { 0 }, T[40];
  g_autoptr(GError) error = NULL;
  CrmBgnbdData *data;
  CrmBgnbdParams p;

  for (int i = 0; i < 40; i++)
    T[i] = 10 + i;

  /* Nobody came back. */
  data = crm_bgnbd_data_new (x, t_x, T, NULL, 40, &error);
  g_assert_no_error (error);
  g_assert_false (crm_bgnbd_fit (data, &p, NULL, &error));
  g_assert_error (error, CRM_BGNBD_ERROR, CRM_BGNBD_ERROR_NO_REPEAT_BUYERS);
  g_clear_error (&error);
  crm_bgnbd_data_free (data);

  /* Too few customers. */
  for (int i = 0; i < 10; i++)
    {
      x[i] = 1 + i % 3;
      t_x[i] = 5;
    }
  data = crm_bgnbd_data_new (x, t_x, T, NULL, 12, &error);
  g_assert_no_error (error);
  g_assert_false (crm_bgnbd_fit (data, &p, NULL, &error));
  g_assert_error (error, CRM_BGNBD_ERROR, CRM_BGNBD_ERROR_TOO_FEW_CUSTOMERS);
  g_assert_nonnull (strstr (error->message, "20"));
  g_clear_error (&error);
  crm_bgnbd_data_free (data);

  /* Bad summaries are refused with the customer's position. */
  {
    static const double bad[][3] = { { 1, 12, 10 }, { 1.5, 2, 10 }, { 0, 3, 10 }, { -1, 0, 10 }, { 1, 1, NAN } };
    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        double bx[3] = { 1, 0, bad[i][0] }, btx[3] = { 2, 0, bad[i][1] }, bT[3] = { 5, 5, bad[i][2] };
        data = crm_bgnbd_data_new (bx, btx, bT, NULL, 3, &error);
        g_assert_null (data);
        g_assert_error (error, CRM_BGNBD_ERROR, CRM_BGNBD_ERROR_INVALID_INPUT);
        g_assert_nonnull (strstr (error->message, "Customer 3"));
        g_clear_error (&error);
      }
  }
}

/* ---- Gamma-Gamma and CLV ---- */

static void
test_gamma_gamma_cdnow_fit (void)
{
  g_autoptr(CrmCdnowSummary) s = load_sample ();
  g_autoptr(GError) error = NULL;
  g_autofree double *x = NULL, *m = NULL;
  CrmGammaGammaParams p;
  CrmGammaGammaFitInfo info;
  double ll;

  if (s == NULL)
    return;

  crm_cdnow_summary_get_arrays (s, &x, NULL, NULL, &m);
  g_assert_true (crm_gamma_gamma_fit (x, m, NULL, s->n_customers, &p, &info, &error));
  g_assert_no_error (error);
  g_test_message ("CDNOW sample Gamma-Gamma: p=%.5f q=%.5f gamma=%.5f LL=%.4f on %g repeat buyers",
                  p.p, p.q, p.gamma, info.log_likelihood, info.n_customers);

  /* 946 repeat buyers; Fader & Hardie (2013) / lifetimes: p = 6.25, q = 3.74, gamma = 15.44. */
  g_assert_cmpfloat (info.n_customers, ==, 946);
  assert_rel (p.p, 6.25, 0.005, "p");
  assert_rel (p.q, 3.74, 0.005, "q");
  assert_rel (p.gamma, 15.44, 0.005, "gamma");

  ll = crm_gamma_gamma_log_likelihood (&p, x, m, NULL, s->n_customers);
  assert_rel (ll, info.log_likelihood, 1e-10, "reported LL");
  for (int i = 0; i < 3; i++)
    for (int sign = -1; sign <= 1; sign += 2)
      {
        CrmGammaGammaParams q = p;
        ((double *) &q)[i] *= 1 + sign * 0.01;
        g_assert_cmpfloat (crm_gamma_gamma_log_likelihood (&q, x, m, NULL, s->n_customers), <, ll);
      }
}

static double
gg_posterior_integrand (double nu, gpointer data)
{
  const double *c = data; /* p, q, gamma, x, m, moment */
  double shape = c[0] * c[3] + c[1], rate = c[2] + c[4] * c[3];
  double dens = exp (shape * log (rate) - lgamma (shape) + (shape - 1) * log (nu) - rate * nu);
  return dens * (c[5] == 0 ? 1 : c[0] / nu);
}

static void
test_gamma_gamma_expectation (void)
{
  const CrmGammaGammaParams p = { 6, 4, 15 };
  double c[6] = { 6, 4, 15, 2, 20, 0 };
  double norm, mean;

  /* By hand: p (gamma + m x) / (p x + q - 1) = 6 (15 + 40) / 15 = 22, which is the
   * credibility mix 3/15 * 30 + 12/15 * 20 of the population mean 30 and m = 20. */
  g_assert_cmpfloat_with_epsilon (crm_gamma_gamma_population_mean (&p), 30.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (crm_gamma_gamma_conditional_expected_value (&p, 2, 20), 22.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (crm_gamma_gamma_conditional_expected_value (&p, 0, 0), 30.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (crm_gamma_gamma_conditional_expected_value (&p, 1, 30), 30.0, 1e-12);
  /* Many purchases: the customer's own average dominates. */
  assert_rel (crm_gamma_gamma_conditional_expected_value (&p, 1000, 50), 50, 0.01, "large x");

  /* The same from the posterior of nu, integrated numerically: E[p / nu | x, m]. */
  norm = integrate (gg_posterior_integrand, c, 1e-9, 3, 400);
  c[5] = 1;
  mean = integrate (gg_posterior_integrand, c, 1e-9, 3, 400) / norm;
  assert_rel (mean, 22.0, 1e-9, "posterior integral");
}

static void
test_gamma_gamma_thin_data (void)
{
  double x[30], m[30];
  g_autoptr(GError) error = NULL;
  CrmGammaGammaParams p;

  for (int i = 0; i < 30; i++)
    {
      x[i] = i < 8 ? 1 + i % 3 : 0;
      m[i] = i < 8 ? 10 + i : 0;
    }
  g_assert_false (crm_gamma_gamma_fit (x, m, NULL, 30, &p, NULL, &error));
  g_assert_error (error, CRM_GAMMA_GAMMA_ERROR, CRM_GAMMA_GAMMA_ERROR_TOO_FEW_CUSTOMERS);
  g_clear_error (&error);

  /* Everyone spends exactly the same: nothing varies between customers. */
  for (int i = 0; i < 30; i++)
    {
      x[i] = 1 + i % 4;
      m[i] = 25.0;
    }
  g_assert_false (crm_gamma_gamma_fit (x, m, NULL, 30, &p, NULL, &error));
  g_assert_error (error, CRM_GAMMA_GAMMA_ERROR, CRM_GAMMA_GAMMA_ERROR_NOT_CONVERGED);
  g_clear_error (&error);

  m[3] = -5;
  g_assert_false (crm_gamma_gamma_fit (x, m, NULL, 30, &p, NULL, &error));
  g_assert_error (error, CRM_GAMMA_GAMMA_ERROR, CRM_GAMMA_GAMMA_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "Customer 4"));
}

static void
test_clv (void)
{
  const CrmGammaGammaParams gg = { 6.25, 3.74, 15.44 };
  const double ppm = CRM_WEEKS_PER_MONTH, d = 0.01;
  const double x[] = { 0, 0, 2, 2, 7, 1 }, t_x[] = { 0, 0, 30.43, 30.43, 35, 2 };
  const double T[] = { 38.86, 10, 38.86, 38.86, 36, 30 }, m[] = { 0, 0, 22.345, 22.345, 40, 9.99 };
  const double horizons[] = { 30 / 7.0, 90 / 7.0, 365 / 7.0 };
  CrmBgnbdScoreOptions opts = { horizons, 3, 12, ppm, d, 2 };
  double expected[6 * 3], alive[6], clv[6];
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (x); i++)
    {
      double ev = crm_gamma_gamma_conditional_expected_value (&gg, x[i], m[i]);
      double e1 = crm_bgnbd_conditional_expected_purchases (&published, ppm, x[i], t_x[i], T[i]);
      double e2 = crm_bgnbd_conditional_expected_purchases (&published, 2 * ppm, x[i], t_x[i], T[i]);
      double e3 = crm_bgnbd_conditional_expected_purchases (&published, 3 * ppm, x[i], t_x[i], T[i]);
      double e12 = crm_bgnbd_conditional_expected_purchases (&published, 12 * ppm, x[i], t_x[i], T[i]);

      /* Three months by hand: month k's purchases, discounted by (1 + d)^k. */
      assert_rel (crm_gamma_gamma_clv (&published, &gg, x[i], t_x[i], T[i], m[i], 3, ppm, d),
                  ev * (e1 / 1.01 + (e2 - e1) / (1.01 * 1.01) + (e3 - e2) / (1.01 * 1.01 * 1.01)),
                  1e-12, "3-month CLV");
      /* Undiscounted: a year's expected purchases times the expected spend. */
      assert_rel (crm_gamma_gamma_clv (&published, &gg, x[i], t_x[i], T[i], m[i], 12, ppm, 0),
                  ev * e12, 1e-12, "undiscounted CLV");
    }

  /* Bulk scoring (with de-duplication of identical customers) equals one-by-one. */
  g_assert_true (crm_gamma_gamma_score (&published, &gg, x, t_x, T, m, G_N_ELEMENTS (x), &opts,
                                        expected, alive, clv, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (x); i++)
    {
      for (int h = 0; h < 3; h++)
        assert_rel (expected[i * 3 + h],
                    crm_bgnbd_conditional_expected_purchases (&published, horizons[h], x[i], t_x[i], T[i]),
                    1e-12, "bulk expected purchases");
      g_assert_cmpfloat (alive[i], ==, crm_bgnbd_probability_alive (&published, x[i], t_x[i], T[i]));
      assert_rel (clv[i], crm_gamma_gamma_clv (&published, &gg, x[i], t_x[i], T[i], m[i], 12, ppm, d),
                  1e-12, "bulk CLV");
    }
  g_assert_cmpfloat (clv[2], ==, clv[3]);
  g_assert_cmpfloat (clv[0], <, clv[1]) /* newer customer, same history: more value left */;
}

/* ---- optimiser ---- */

static double
rosenbrock (const double *v, double *g, gpointer data)
{
  double a = 1 - v[0], b = v[1] - v[0] * v[0];

  if (g != NULL)
    {
      g[0] = -2 * a - 400 * v[0] * b;
      g[1] = 200 * b;
    }
  return a * a + 100 * b * b;
}

static void
test_optimize_bounded (void)
{
  CrmOptimizeResult res;
  CrmOptimizeOptions numeric = { .numeric_gradient = TRUE, .gradient_tolerance = 1e-6 };
  double v[2] = { -1.2, 1.0 };
  const double lo[2] = { -5, -5 }, hi[2] = { 0.5, 5 };
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_optimize_minimize (2, v, NULL, NULL, rosenbrock, NULL, NULL, &res, &error));
  g_assert_true (res.converged);
  g_assert_cmpfloat (fabs (v[0] - 1), <, 1e-6);
  g_assert_cmpfloat (fabs (v[1] - 1), <, 1e-6);

  /* With x <= 0.5 the minimum sits on the bound at (0.5, 0.25). */
  v[0] = -1.2;
  v[1] = 1.0;
  g_assert_true (crm_optimize_minimize (2, v, lo, hi, rosenbrock, NULL, &numeric, &res, &error));
  g_assert_true (res.converged);
  g_assert_cmpfloat (v[0], ==, 0.5);
  g_assert_cmpfloat (fabs (v[1] - 0.25), <, 1e-5);
}

int
main (int argc, char **argv)
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/analytics/cdnow/load-sample", test_cdnow_load);
  g_test_add_func ("/analytics/cdnow/same-day-and-header", test_cdnow_same_day_and_header);
  g_test_add_func ("/analytics/cdnow/bad-lines", test_cdnow_bad_lines);
  g_test_add_func ("/analytics/bgnbd/cdnow-published-fit", test_bgnbd_cdnow_fit);
  g_test_add_func ("/analytics/bgnbd/gradient", test_bgnbd_gradient);
  g_test_add_func ("/analytics/bgnbd/likelihood-vs-integral", test_bgnbd_likelihood_integral);
  g_test_add_func ("/analytics/bgnbd/p-alive-vs-integral", test_bgnbd_p_alive);
  g_test_add_func ("/analytics/bgnbd/expected-purchases-vs-integral", test_bgnbd_conditional_expectation);
  g_test_add_func ("/analytics/bgnbd/a-near-one", test_bgnbd_a_near_one);
  g_test_add_func ("/analytics/bgnbd/synthetic-recovery", test_bgnbd_synthetic_recovery);
  g_test_add_func ("/analytics/bgnbd/thin-data", test_bgnbd_thin_data);
  g_test_add_func ("/analytics/hyp2f1", test_hyp2f1);
  g_test_add_func ("/analytics/gamma-gamma/cdnow-fit", test_gamma_gamma_cdnow_fit);
  g_test_add_func ("/analytics/gamma-gamma/expected-value", test_gamma_gamma_expectation);
  g_test_add_func ("/analytics/gamma-gamma/thin-data", test_gamma_gamma_thin_data);
  g_test_add_func ("/analytics/clv/discounted-sum", test_clv);
  g_test_add_func ("/analytics/optimize/bounded-rosenbrock", test_optimize_bounded);

  return g_test_run ();
}

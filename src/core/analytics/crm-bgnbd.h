/* crm-bgnbd.h: the BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005,
 * "Counting your customers the easy way", Marketing Science 24(2)).
 *
 * Per customer: x repeat transactions in (0, T], the last at t_x (t_x = 0 when x = 0),
 * T the time from the first purchase to the end of the calibration period.  Time is in
 * whatever unit the caller uses consistently (weeks for CDNOW); alpha is in that unit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CRM_BGNBD_ERROR (crm_bgnbd_error_quark ())

typedef enum
{
  CRM_BGNBD_ERROR_INVALID_INPUT,
  CRM_BGNBD_ERROR_TOO_FEW_CUSTOMERS,
  CRM_BGNBD_ERROR_NO_REPEAT_BUYERS,
  CRM_BGNBD_ERROR_NOT_CONVERGED,
} CrmBgnbdError;

/* Fewer customers (sum of weights) than this cannot identify four parameters. */
#define CRM_BGNBD_MIN_CUSTOMERS 20
/* At least this many customers with x > 0 are needed for the dropout process. */
#define CRM_BGNBD_MIN_REPEAT_BUYERS 5

typedef struct
{
  double r;
  double alpha;
  double a;
  double b;
} CrmBgnbdParams;

typedef struct
{
  double   log_likelihood;
  double   gradient_norm; /* max |d LL / d log(param)| / customers at the optimum */
  guint    iterations;
  guint    evaluations;
  guint    starts;        /* starting points tried */
  gsize    n_groups;      /* distinct (x, t_x, T) triples the likelihood ran over */
} CrmBgnbdFitInfo;

typedef struct
{
  const double *horizons;         /* prediction horizons in model time units */
  guint         n_horizons;       /* at most 16 */
  guint         clv_months;       /* months summed by the discounted purchases; 0: none */
  double        periods_per_month;/* model time units per month, e.g. CRM_WEEKS_PER_MONTH */
  double        monthly_discount_rate;
  guint         n_threads;        /* 0: number of processors */
} CrmBgnbdScoreOptions;

#define CRM_WEEKS_PER_MONTH (365.25 / 12.0 / 7.0)

/* Customers grouped by identical (x, t_x, T) so the likelihood runs once per group. */
typedef struct _CrmBgnbdData CrmBgnbdData;

GQuark         crm_bgnbd_error_quark                    (void);

CrmBgnbdData  *crm_bgnbd_data_new                       (const double         *x,
                                                         const double         *t_x,
                                                         const double         *T,
                                                         const double         *weights,
                                                         gsize                 n,
                                                         GError              **error);
void           crm_bgnbd_data_free                      (CrmBgnbdData         *data);
gsize          crm_bgnbd_data_get_n_groups              (const CrmBgnbdData   *data);
double         crm_bgnbd_data_get_n_customers           (const CrmBgnbdData   *data);
double         crm_bgnbd_data_get_n_repeat_buyers       (const CrmBgnbdData   *data);

/* Log-likelihood of one customer (lgamma, log space, no underflow for large x). */
double         crm_bgnbd_customer_log_likelihood        (const CrmBgnbdParams *params,
                                                         double                x,
                                                         double                t_x,
                                                         double                T);
/* Sum over customers, each weighted by @weights[i] (NULL: 1). */
double         crm_bgnbd_log_likelihood                 (const CrmBgnbdParams *params,
                                                         const double         *x,
                                                         const double         *t_x,
                                                         const double         *T,
                                                         const double         *weights,
                                                         gsize                 n);
/* The same sum over grouped data; @gradient (nullable) receives d LL / d (r, alpha, a, b). */
double         crm_bgnbd_data_log_likelihood            (const CrmBgnbdData   *data,
                                                         const CrmBgnbdParams *params,
                                                         double               *gradient);

/* Maximum likelihood.  Errors: too few customers, no repeat buyers, no convergence. */
gboolean       crm_bgnbd_fit                            (const CrmBgnbdData   *data,
                                                         CrmBgnbdParams       *out_params,
                                                         CrmBgnbdFitInfo      *out_info,
                                                         GError              **error);

/* E[X(t)] for a customer just acquired. */
double         crm_bgnbd_expected_purchases             (const CrmBgnbdParams *params,
                                                         double                t);
/* E[Y(t) | x, t_x, T]: repeat purchases in (T, T + t].  NAN if 2F1 does not converge. */
double         crm_bgnbd_conditional_expected_purchases (const CrmBgnbdParams *params,
                                                         double                t,
                                                         double                x,
                                                         double                t_x,
                                                         double                T);
/* The same at several horizons (at most 64), sharing one hypergeometric series. */
gboolean       crm_bgnbd_conditional_expected_purchases_multi (const CrmBgnbdParams *params,
                                                               double                x,
                                                               double                t_x,
                                                               double                T,
                                                               const double         *t,
                                                               guint                 n_t,
                                                               double               *out);
/* P(alive | x, t_x, T).  Exactly 1 for x = 0: in BG/NBD a customer can only drop
 * out right after a repeat purchase. */
double         crm_bgnbd_probability_alive              (const CrmBgnbdParams *params,
                                                         double                x,
                                                         double                t_x,
                                                         double                T);
/* Sum over months k = 1..@months of the expected purchases in month k divided by
 * (1 + d)^k — multiplied by an expected spend per purchase this is the CLV. */
double         crm_bgnbd_discounted_purchases           (const CrmBgnbdParams *params,
                                                         double                x,
                                                         double                t_x,
                                                         double                T,
                                                         guint                 months,
                                                         double                periods_per_month,
                                                         double                monthly_discount_rate);

/* Bulk scoring: identical (x, t_x, T) are computed once, the rest spread over threads.
 * @expected (n * n_horizons, row per customer), @p_alive (n), @discounted (n) are nullable. */
gboolean       crm_bgnbd_score                          (const CrmBgnbdParams        *params,
                                                         const double                *x,
                                                         const double                *t_x,
                                                         const double                *T,
                                                         gsize                        n,
                                                         const CrmBgnbdScoreOptions  *options,
                                                         double                      *expected,
                                                         double                      *p_alive,
                                                         double                      *discounted,
                                                         GError                     **error);

/* Draws customers from the model: each gets lambda ~ gamma(r, alpha), p ~ beta(a, b),
 * purchases at rate lambda and drops out after each repeat purchase with probability p.
 * @T[i] is the observation time; @x and @t_x receive the summary.  Same seed, same data. */
void           crm_bgnbd_simulate                       (const CrmBgnbdParams *params,
                                                         const double         *T,
                                                         gsize                 n,
                                                         guint32               seed,
                                                         double               *x,
                                                         double               *t_x);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmBgnbdData, crm_bgnbd_data_free)

G_END_DECLS

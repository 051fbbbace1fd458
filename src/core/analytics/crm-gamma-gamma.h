/* crm-gamma-gamma.h: the Gamma-Gamma model of spend per transaction (Fader & Hardie
 * 2013, "The Gamma-Gamma Model of Monetary Value") and customer lifetime value on top
 * of BG/NBD.
 *
 * A customer's transaction values are gamma(p, nu), nu ~ gamma(q, gamma) across
 * customers.  The model is fitted on customers with x > 0 repeat transactions and
 * m = the mean value of those repeat transactions; m = 0 (only free repeat purchases)
 * has no gamma density and is left out of the fit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "crm-bgnbd.h"

G_BEGIN_DECLS

#define CRM_GAMMA_GAMMA_ERROR (crm_gamma_gamma_error_quark ())

typedef enum
{
  CRM_GAMMA_GAMMA_ERROR_INVALID_INPUT,
  CRM_GAMMA_GAMMA_ERROR_TOO_FEW_CUSTOMERS,
  CRM_GAMMA_GAMMA_ERROR_NOT_CONVERGED,
} CrmGammaGammaError;

#define CRM_GAMMA_GAMMA_MIN_CUSTOMERS 10

typedef struct
{
  double p;
  double q;
  double gamma;
} CrmGammaGammaParams;

typedef struct
{
  double log_likelihood;
  double gradient_norm;
  double n_customers;   /* repeat buyers the fit used (sum of weights) */
  double n_zero_value;  /* repeat buyers left out: their repeat purchases were worth 0 */
  guint  iterations;
  guint  evaluations;
  guint  starts;
} CrmGammaGammaFitInfo;

GQuark   crm_gamma_gamma_error_quark              (void);

/* Customers with x = 0 are skipped (they carry no repeat-spend information). */
double   crm_gamma_gamma_customer_log_likelihood  (const CrmGammaGammaParams *params,
                                                   double                     x,
                                                   double                     m);
double   crm_gamma_gamma_log_likelihood           (const CrmGammaGammaParams *params,
                                                   const double              *x,
                                                   const double              *m,
                                                   const double              *weights,
                                                   gsize                      n);
gboolean crm_gamma_gamma_fit                      (const double              *x,
                                                   const double              *m,
                                                   const double              *weights,
                                                   gsize                      n,
                                                   CrmGammaGammaParams       *out_params,
                                                   CrmGammaGammaFitInfo      *out_info,
                                                   GError                   **error);

/* E[Z] over the population, p gamma / (q - 1); infinite for q <= 1. */
double   crm_gamma_gamma_population_mean          (const CrmGammaGammaParams *params);
/* E[Z | x, m] = (q - 1)/(p x + q - 1) * population mean + p x/(p x + q - 1) * m;
 * the population mean for x = 0. */
double   crm_gamma_gamma_conditional_expected_value (const CrmGammaGammaParams *params,
                                                     double                     x,
                                                     double                     m);

/* Sum over months k = 1..@months of E[purchases in month k] * E[Z | x, m] / (1 + d)^k
 * (the formula of the lifetimes package). */
double   crm_gamma_gamma_clv                      (const CrmBgnbdParams      *bgnbd,
                                                   const CrmGammaGammaParams *params,
                                                   double                     x,
                                                   double                     t_x,
                                                   double                     T,
                                                   double                     m,
                                                   guint                      months,
                                                   double                     periods_per_month,
                                                   double                     monthly_discount_rate);

/* crm_bgnbd_score() plus CLV (@clv, n entries, nullable) from @options->clv_months. */
gboolean crm_gamma_gamma_score                    (const CrmBgnbdParams        *bgnbd,
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
                                                   GError                     **error);

/* Draws each customer's mean repeat-transaction value for @x[i] transactions
 * (0 where x[i] = 0): nu ~ gamma(q, gamma), the sum of x values ~ gamma(p x, nu). */
void     crm_gamma_gamma_simulate                 (const CrmGammaGammaParams *params,
                                                   const double              *x,
                                                   gsize                      n,
                                                   guint32                    seed,
                                                   double                    *m);

G_END_DECLS

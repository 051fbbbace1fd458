/* crm-predict.h: customer-value predictions from the store — BG/NBD purchase counts and
 * P(alive), Gamma-Gamma spend, CLV and a churn-risk band for every customer.
 *
 * Inputs per customer (weeks, like the CDNOW reference): orders that count (not
 * cancelled, refunded or failed; not deleted) placed up to the calibration end; orders on
 * the same UTC day are one transaction; x = transactions − 1, t_x = weeks from the first
 * to the last transaction, T = weeks from the first transaction to the calibration end.
 * m = the mean value of the repeat transactions in major currency units (the models are
 * fitted in major units so γ reads like the published CDNOW fits; CLV is stored in minor
 * units).  All amounts are summed as they are stored: a shop with several currencies
 * should convert them first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-bgnbd.h"
#include "crm-gamma-gamma.h"
#include "crm-recompute.h"
#include "crm-store.h"

G_BEGIN_DECLS

/* The churn-risk band is read off P(alive):
 *   low     P(alive) >= medium_risk_below (default 0.7)
 *   medium  high_risk_below <= P(alive) < medium_risk_below
 *   high    P(alive) < high_risk_below (default 0.3)
 * In BG/NBD a customer can only drop out right after a repeat purchase, so customers
 * with a single transaction always have P(alive) = 1 and low risk; their fading value
 * shows in the expected purchases and the CLV instead. */
typedef enum
{
  CRM_CHURN_RISK_LOW,
  CRM_CHURN_RISK_MEDIUM,
  CRM_CHURN_RISK_HIGH,
  CRM_CHURN_RISK_N
} CrmChurnRisk;

#define CRM_PREDICT_DEFAULT_MEDIUM_RISK_BELOW 0.7
#define CRM_PREDICT_DEFAULT_HIGH_RISK_BELOW   0.3

typedef struct
{
  gint64  calibration_end;       /* ms UTC, orders after it are ignored; 0 = now */
  guint   clv_months;            /* CLV horizon; default 12 */
  double  monthly_discount_rate; /* default 0.01 (about 12.7% a year) */
  double  medium_risk_below;
  double  high_risk_below;
} CrmPredictOptions;

/* One row per customer with a counted order up to the calibration end, in id order. */
typedef struct
{
  gsize    n;
  gint64  *ids;
  double  *x;
  double  *t_x;
  double  *T;
  double  *m;                    /* major units; 0 when x = 0 */
  gint64   calibration_end;      /* ms UTC actually used */
  gsize    n_orders;             /* counted orders read */
  gsize    n_transactions;       /* after merging same-day orders */
  gsize    n_repeat_buyers;
  char    *currency;             /* the store's "currency" setting (default CNY) */
  guint    exponent;             /* its minor-unit digits */
} CrmPredictSummary;

typedef struct
{
  CrmBgnbdParams       bgnbd;
  CrmBgnbdFitInfo      bgnbd_info;
  CrmGammaGammaParams  gamma_gamma;
  CrmGammaGammaFitInfo gamma_gamma_info;
  gint64               calibration_end;
  gsize                n_customers;
  gsize                n_repeat_buyers;
} CrmPredictModel;

typedef struct
{
  gint64        customer_id;
  guint         x;
  double        t_x;
  double        T;
  double        expected_30;     /* NAN: could not be computed (see crm_predict_run) */
  double        expected_90;
  double        expected_365;
  double        p_alive;
  gint64        clv;             /* minor units; -1: could not be computed */
  CrmChurnRisk  risk;
  gint64        computed_at;     /* ms UTC */
} CrmPrediction;

typedef struct
{
  CrmPredictModel model;
  gsize           customers;     /* customers scored */
  gsize           orders;
  gsize           transactions;
  gsize           risk[CRM_CHURN_RISK_N];
  gint64          total_clv;     /* minor units */
  gsize           not_computed;  /* customers whose expectations did not converge */
  double          seconds_read;
  double          seconds_fit;
  double          seconds_score;
  double          seconds_write;
  double          seconds;
} CrmPredictReport;

const char   *crm_churn_risk_to_string   (CrmChurnRisk risk);     /* "low", "medium", "high" */
const char   *crm_churn_risk_get_label   (CrmChurnRisk risk);     /* translated */
int           crm_churn_risk_from_string (const char  *key);      /* -1 if unknown */
CrmChurnRisk  crm_churn_risk_for         (const CrmPredictOptions *options,
                                          double                   p_alive);

/* Defaults, then the options saved in the store ("clv.options"), if any. */
void          crm_predict_options_init   (CrmPredictOptions       *options,
                                          CrmStore                *store);
gboolean      crm_predict_options_save   (const CrmPredictOptions *options,
                                          CrmStore                *store,
                                          GError                 **error);

/* One pass over the covering index orders_customer (one consistent snapshot). */
CrmPredictSummary *crm_predict_summarize (CrmStore             *store,
                                          gint64                calibration_end,
                                          GCancellable         *cancellable,
                                          GError              **error);
void          crm_predict_summary_free   (CrmPredictSummary    *summary);

/* Both models; errors (CRM_BGNBD_ERROR, CRM_GAMMA_GAMMA_ERROR) say what is missing when
 * the history is too thin. */
gboolean      crm_predict_fit            (const CrmPredictSummary *summary,
                                          CrmPredictModel         *out_model,
                                          GError                 **error);
char         *crm_predict_model_to_json  (const CrmPredictModel   *model,
                                          const CrmPredictOptions *options);
/* The model stored by the last crm_predict_run() ("clv.model"); FALSE if none. */
gboolean      crm_predict_model_load     (CrmStore                *store,
                                          CrmPredictModel         *out_model,
                                          GError                 **error);

/* Summarize, fit, score every customer and replace customer_predictions and the
 * "clv.model" setting, in one transaction.  When the hypergeometric series of a customer
 * does not converge (extreme histories under extreme parameters), that customer's
 * expected purchases and CLV are stored as NULL and counted in @report->not_computed;
 * P(alive) and the risk band are always stored.  An error or a cancel (G_IO_ERROR_CANCELLED)
 * leaves the database as it was.  @progress runs on the calling thread. */
gboolean      crm_predict_run            (CrmStore                *store,
                                          const CrmPredictOptions *options,
                                          CrmProgressFunc          progress,
                                          gpointer                 user_data,
                                          GCancellable            *cancellable,
                                          CrmPredictReport        *report,
                                          GError                 **error);

/* The stored prediction of one customer; FALSE (no error) if there is none. */
gboolean      crm_predict_get            (CrmStore                *store,
                                          gint64                   customer_id,
                                          CrmPrediction           *out,
                                          GError                 **error);

/* "Valuable customers at risk": what they spent so far among the top @top_fraction
 * (e.g. 0.2) of scored customers, and P(alive) < @max_p_alive (e.g. 0.5); customer ids
 * (gint64), biggest spenders first, at most @limit (0: all).  (Their predicted future
 * CLV is low by definition once P(alive) is.)  Empty when nothing has been scored yet. */
GArray       *crm_predict_at_risk_valuable (CrmStore              *store,
                                            double                 top_fraction,
                                            double                 max_p_alive,
                                            guint                  limit,
                                            GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmPredictSummary, crm_predict_summary_free)

G_END_DECLS

/* crm-dashboard-data.h: every KPI and series the dashboard and the PDF report show,
 * gathered for a period in one call.
 *
 * Fast on 1M customers because nothing scans the orders: counts come from the
 * per-customer aggregates and their partial indexes, RFM from customer_rfm, CLV from
 * customer_predictions, and money over time from the sales aggregates that
 * crm_sales_refresh() keeps (sales_stale says when they lag behind the orders).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-customer.h"
#include "crm-forecast.h"
#include "crm-store.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_DASHBOARD_PERIOD_30_DAYS,
  CRM_DASHBOARD_PERIOD_90_DAYS,
  CRM_DASHBOARD_PERIOD_365_DAYS,
  CRM_DASHBOARD_PERIOD_ALL,
} CrmDashboardPeriod;

/* Bars of the revenue chart: days for 30 days, weeks for 90, months otherwise. */
typedef enum
{
  CRM_DASHBOARD_BUCKET_DAY,
  CRM_DASHBOARD_BUCKET_WEEK,
  CRM_DASHBOARD_BUCKET_MONTH,
} CrmDashboardBucket;

typedef struct
{
  gint32 start_day;    /* local days since 1970-01-01 */
  gint64 revenue;      /* minor units */
  gint64 orders;
} CrmRevenueBucket;

typedef struct
{
  char   *name;
  char   *color;       /* "#rrggbb" or NULL */
  gint64  customers;
} CrmTierSlice;

typedef struct
{
  gint64  id;
  char   *uuid;
  char   *name;
  gint64  total_spent;
  gint64  orders;
  gint64  last_order_at;
  gint64  clv;          /* -1 when not scored */
  double  p_alive;      /* -1 when not scored */
} CrmDashboardCustomer;

typedef struct
{
  CrmDashboardPeriod  period;
  gint64              now;              /* ms UTC */
  char               *currency;

  gint64              customers;
  gint64              active;           /* last order within the period */
  gint64              new_this_month;   /* first order in this local month */
  gint64              buyers;           /* at least one order */
  gint64              repeat_buyers;    /* at least two */
  double              repeat_rate;      /* repeat_buyers / buyers; 0 without buyers */
  gint64              revenue_30_days;  /* minor units, counted orders */
  gint64              revenue_period;
  gint64              orders_period;
  gint64              scored;           /* customers with a prediction */
  double              average_clv;      /* minor units; 0 when nothing is scored */
  gboolean            sales_stale;

  CrmDashboardBucket  bucket;
  GArray             *revenue;          /* CrmRevenueBucket, oldest first */
  GArray             *tiers;            /* CrmTierSlice, highest rank first; "no tier" last */
  gint64              rfm[5][5];        /* [R − 1][FM − 1]; FM = ⌈(F + M) / 2⌉ */
  gint64              lifecycle[CRM_LIFECYCLE_N_STAGES];
  GPtrArray          *forecasts;        /* CrmCategoryForecast, top 5 categories */
  GArray             *top_customers;    /* CrmDashboardCustomer, by total spent */
  GArray             *at_risk;          /* CrmDashboardCustomer: top-20% spend, P(alive) < 0.5 */
  gint64              nps_responses;    /* feedback of kind "nps" (score 0–10) in the period */
  double              nps;              /* % promoters (9–10) − % detractors (0–6); 0 without responses */
  gint64              csat_responses;   /* feedback of kind "csat" (score 1–5) in the period */
  double              csat;             /* % of them 4 or 5; 0 without responses */
  gboolean            has_model;        /* a customer-value model was fitted … */
  gint64              model_end;        /* … up to this calibration end (ms UTC) */
  double              seconds;
} CrmDashboardData;

int                crm_dashboard_period_days   (CrmDashboardPeriod period);  /* 0 for all */
/* "30", "90", "365", "all" ↔ period; FALSE for anything else. */
gboolean           crm_dashboard_period_parse  (const char         *text,
                                                CrmDashboardPeriod *out);
const char        *crm_dashboard_period_get_label (CrmDashboardPeriod period);

/* @now 0: now.  @max_rows: rows of the two customer tables (e.g. 10). */
CrmDashboardData  *crm_dashboard_data_load     (CrmStore           *store,
                                                CrmDashboardPeriod  period,
                                                gint64              now,
                                                guint               max_rows,
                                                GCancellable       *cancellable,
                                                GError            **error);
void               crm_dashboard_data_free     (CrmDashboardData   *data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmDashboardData, crm_dashboard_data_free)

G_END_DECLS

/* crm-forecast.h: sales aggregates (by local day; by local month and category) and a
 * demand forecast per category by Holt's linear trend.
 *
 * Holt's linear method rather than Holt-Winters: most shops have fewer than the two full
 * years a seasonal model needs, and with short histories a seasonal fit mostly follows
 * noise.  α and β minimise the one-step-ahead SSE (crm-optimize, bounded to [0, 1]);
 * level and trend start at y₀ and y₁ − y₀.  The current month is incomplete, so a
 * history never includes it.  Forecasts below zero are shown as zero.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-recompute.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_FORECAST_ERROR (crm_forecast_error_quark ())

typedef enum
{
  CRM_FORECAST_ERROR_TOO_SHORT,
} CrmForecastError;

typedef struct
{
  double alpha;
  double beta;
  double level;     /* at the end of the series */
  double trend;
  double sse;       /* one-step-ahead squared errors */
} CrmHoltFit;

typedef struct
{
  gint32   month;      /* months since year 0: year × 12 + (month − 1) */
  double   revenue;    /* minor units */
  double   units;
  gboolean forecast;
} CrmForecastPoint;

typedef struct
{
  char             *category;     /* "" for lines without a category */
  CrmForecastPoint *points;       /* history, then the forecast */
  guint             n_points;
  guint             n_history;
  CrmHoltFit        revenue_fit;
  CrmHoltFit        units_fit;
} CrmCategoryForecast;

GQuark    crm_forecast_error_quark     (void);

/* Fits Holt's linear trend to @y (at least 3 values). */
gboolean  crm_holt_fit                 (const double   *y,
                                        guint           n,
                                        CrmHoltFit     *out,
                                        GError        **error);
/* level + h × trend */
double    crm_holt_forecast            (const CrmHoltFit *fit,
                                        guint             h);

static inline gint32
crm_month_index (int year, int month)
{
  return year * 12 + (month - 1);
}

/* Recomputes sales_daily and sales_category_monthly from every counted order in one
 * transaction (a cancel leaves them as they were), and remembers what they were
 * computed from, so crm_sales_is_stale() can tell. */
gboolean  crm_sales_refresh            (CrmStore        *store,
                                        CrmProgressFunc  progress,
                                        gpointer         user_data,
                                        GCancellable    *cancellable,
                                        GError         **error);
/* TRUE when orders were added or changed since the last refresh (cheap: two index
 * lookups). */
gboolean  crm_sales_is_stale           (CrmStore        *store);

/* The @max_categories categories with the most revenue in the last 12 months of
 * history, each with its monthly history and @horizon forecast months (array of
 * CrmCategoryForecast *).  Categories with fewer than 3 months of history get a flat
 * forecast at their last value.  @now (ms UTC, 0 = now) fixes the current month. */
GPtrArray *crm_forecast_categories     (CrmStore        *store,
                                        guint            max_categories,
                                        guint            horizon,
                                        gint64           now,
                                        GError         **error);
void      crm_category_forecast_free   (CrmCategoryForecast *forecast);

/* Local calendar helpers shared by the dashboard. */
gint32    crm_local_day                (gint64           ms_utc);
gint32    crm_local_month              (gint64           ms_utc);

G_END_DECLS

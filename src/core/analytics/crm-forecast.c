/* crm-forecast.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-forecast.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "crm-journal.h"
#include "crm-optimize.h"

G_DEFINE_QUARK (crm-forecast-error-quark, crm_forecast_error)

#define DAY_MS (G_GINT64_CONSTANT (86400000))

/* ---- Holt's linear trend ------------------------------------------------------ */

typedef struct
{
  const double *y;
  guint         n;
} HoltData;

static double
holt_run (const double *y,
          guint         n,
          double        alpha,
          double        beta,
          double       *level,
          double       *trend)
{
  double l = y[0], b = y[1] - y[0], sse = 0;

  for (guint t = 1; t < n; t++)
    {
      double predicted = l + b, l_prev = l;
      double e = y[t] - predicted;

      sse += e * e;
      l = alpha * y[t] + (1 - alpha) * (l + b);
      b = beta * (l - l_prev) + (1 - beta) * b;
    }
  if (level != NULL)
    *level = l;
  if (trend != NULL)
    *trend = b;
  return sse;
}

static double
holt_objective (const double *x,
                double       *grad,
                gpointer      user_data)
{
  HoltData *d = user_data;

  return holt_run (d->y, d->n, x[0], x[1], NULL, NULL);
}

gboolean
crm_holt_fit (const double  *y,
              guint          n,
              CrmHoltFit    *out,
              GError       **error)
{
  static const double starts[][2] = { { 0.5, 0.1 }, { 0.2, 0.2 }, { 0.9, 0.5 } };
  const double lower[2] = { 0, 0 }, upper[2] = { 1, 1 };
  CrmOptimizeOptions opts = { .max_iterations = 200, .numeric_gradient = TRUE };
  HoltData d = { y, n };
  double scale = 0, best[2] = { 0.5, 0.1 }, best_value = INFINITY;

  memset (out, 0, sizeof *out);
  if (n < 3)
    {
      g_set_error (error, CRM_FORECAST_ERROR, CRM_FORECAST_ERROR_TOO_SHORT,
                   _("A trend needs at least 3 months of history; there are %u"), n);
      return FALSE;
    }

  /* The SSE scales with y²: normalise so the optimiser's tolerances mean the same for
   * ¥10 and ¥10,000,000 a month. */
  for (guint i = 0; i < n; i++)
    scale = MAX (scale, fabs (y[i]));
  if (scale == 0)
    scale = 1;
  {
    g_autofree double *z = g_new (double, n);

    for (guint i = 0; i < n; i++)
      z[i] = y[i] / scale;
    d.y = z;
    for (guint s = 0; s < G_N_ELEMENTS (starts); s++)
      {
        double x[2] = { starts[s][0], starts[s][1] };
        CrmOptimizeResult res = { 0 };

        if (!crm_optimize_minimize (2, x, lower, upper, holt_objective, &d, &opts, &res, NULL))
          continue;
        if (res.value < best_value)
          {
            best_value = res.value;
            best[0] = x[0];
            best[1] = x[1];
          }
      }
  }

  out->alpha = best[0];
  out->beta = best[1];
  out->sse = holt_run (y, n, out->alpha, out->beta, &out->level, &out->trend);
  return TRUE;
}

double
crm_holt_forecast (const CrmHoltFit *fit,
                   guint             h)
{
  return fit->level + h * fit->trend;
}

/* ---- local calendar ----------------------------------------------------------- */

gint32
crm_local_day (gint64 ms_utc)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms_utc / 1000);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
  gint64 secs;

  if (local == NULL)
    return (gint32) (ms_utc / DAY_MS);
  secs = g_date_time_to_unix (local) + g_date_time_get_utc_offset (local) / G_USEC_PER_SEC;
  return (gint32) (secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400));
}

static gint32
month_of_day (gint32 day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, day + 719163);   /* 1970-01-01 is Julian day 719163 in GDate */
  return crm_month_index (g_date_get_year (&date), g_date_get_month (&date));
}

gint32
crm_local_month (gint64 ms_utc)
{
  return month_of_day (crm_local_day (ms_utc));
}

/* The zone offset of each UTC day, cached direct-mapped: one GTimeZone lookup per
 * day seen instead of one per order.  The offset at noon stands for the whole day
 * (a daylight-saving change moves at most the orders of a few night hours). */
typedef struct
{
  GTimeZone *tz;
  gint32     tag[4096];
  gint32     offset[4096];   /* seconds */
} DayCache;

static void
day_cache_init (DayCache *c)
{
  c->tz = g_time_zone_new_local ();
  for (guint i = 0; i < G_N_ELEMENTS (c->tag); i++)
    c->tag[i] = G_MININT32;
}

static gint32
day_cache_local_day (DayCache *c,
                     gint64    ms)
{
  gint64 secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
  gint32 utc_day = (gint32) (secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400));
  guint slot = (guint) utc_day & 4095;
  gint64 local;

  if (c->tag[slot] != utc_day)
    {
      int interval = g_time_zone_find_interval (c->tz, G_TIME_TYPE_UNIVERSAL, (gint64) utc_day * 86400 + 43200);
      c->offset[slot] = interval >= 0 ? g_time_zone_get_offset (c->tz, interval) : 0;
      c->tag[slot] = utc_day;
    }
  local = secs + c->offset[slot];
  return (gint32) (local >= 0 ? local / 86400 : -((-local + 86399) / 86400));
}

/* ---- sales aggregates --------------------------------------------------------- */

typedef struct
{
  gint64 orders, revenue, new_customers;
} Daily;

typedef struct
{
  gint64 revenue, units;
} Monthly;

static char *
sales_token (CrmStore *store)
{
  /* Any journaled write (an order edited, deleted, moved) moves the journal's last seq. */
  gint64 journal = crm_journal_last_seq (store, NULL);
  sqlite3_stmt *stmt = crm_store_prepare (store,
    "SELECT (SELECT coalesce(max(id), 0) FROM orders), (SELECT coalesce(max(id), 0) FROM order_lines)", NULL);
  char *token = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();

  if (stmt == NULL || journal < 0)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    token = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%s",
                             (gint64) sqlite3_column_int64 (stmt, 0), journal,
                             (gint64) sqlite3_column_int64 (stmt, 1), g_time_zone_get_identifier (tz));
  sqlite3_reset (stmt);
  return token;
}

gboolean
crm_sales_is_stale (CrmStore *store)
{
  g_autofree char *now = sales_token (store);
  g_autofree char *then = crm_store_get_setting (store, "sales.token");

  return now == NULL || then == NULL || strcmp (now, then) != 0;
}

/* Category months, on a second connection and thread while the daily pass runs. */
typedef struct
{
  CrmStore     *store;
  GCancellable *cancellable;
  GHashTable   *categories;     /* name → index + 1 */
  GPtrArray    *names;
  GHashTable   *months;         /* (month << 12 | category) → Monthly */
  GError       *error;
} CategoryPass;

static gpointer
category_pass (gpointer data)
{
  CategoryPass *p = data;
  GCancellable *previous;
  sqlite3_stmt *stmt;
  DayCache cache;
  int rc;

  day_cache_init (&cache);
  stmt = crm_store_prepare (p->store,
    "SELECT o.placed_at, l.category, l.quantity, l.amount FROM orders o"
    " JOIN order_lines l ON l.order_id = o.id"
    " WHERE o.deleted_at IS NULL AND o.status NOT IN ('cancelled', 'refunded', 'failed')"
    "  AND l.deleted_at IS NULL", &p->error);
  if (stmt == NULL)
    {
      g_time_zone_unref (cache.tz);
      return NULL;
    }
  previous = p->cancellable != NULL ? crm_store_set_cancellable (p->store, p->cancellable) : NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint32 month = month_of_day (day_cache_local_day (&cache, sqlite3_column_int64 (stmt, 0)));
      const char *category = (const char *) sqlite3_column_text (stmt, 1);
      guint index = GPOINTER_TO_UINT (g_hash_table_lookup (p->categories, category ? category : ""));
      gint64 key;
      Monthly *m;

      if (index == 0)
        {
          char *copy = g_strdup (category ? category : "");

          if (p->names->len >= 4095)
            continue;   /* a pathological number of categories: the rest are left out */
          g_ptr_array_add (p->names, copy);
          index = p->names->len;
          g_hash_table_insert (p->categories, copy, GUINT_TO_POINTER (index));
        }
      key = ((gint64) month << 12) | index;
      m = g_hash_table_lookup (p->months, &key);
      if (m == NULL)
        {
          gint64 *k = g_new (gint64, 1);

          *k = key;
          m = g_new0 (Monthly, 1);
          g_hash_table_insert (p->months, k, m);
        }
      m->revenue += sqlite3_column_int64 (stmt, 3);
      m->units += sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (p->cancellable != NULL)
    crm_store_set_cancellable (p->store, previous);
  if (rc != SQLITE_DONE && !g_cancellable_set_error_if_cancelled (p->cancellable, &p->error))
    crm_store_set_error (p->store, rc, &p->error);
  g_time_zone_unref (cache.tz);
  return NULL;
}

/* Revenue, orders and new customers per local day.  Each customer's orders come in time order:
 * the first one is the day they became a customer. */
static gboolean
read_daily (CrmStore      *store,
            GHashTable    *daily,
            GCancellable  *cancellable,
            GError       **error)
{
  DayCache cache;
  sqlite3_stmt *stmt;
  gint64 current = -1;
  gint32 last_day = G_MININT32;
  Daily *last = NULL;
  int rc;

  stmt = crm_store_prepare (store,
    "SELECT customer_id, placed_at, total FROM orders INDEXED BY orders_customer"
    " WHERE deleted_at IS NULL AND status NOT IN ('cancelled', 'refunded', 'failed')"
    " ORDER BY customer_id, placed_at", error);
  if (stmt == NULL)
    return FALSE;
  day_cache_init (&cache);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 customer = sqlite3_column_int64 (stmt, 0);
      gint32 day = day_cache_local_day (&cache, sqlite3_column_int64 (stmt, 1));

      if (day != last_day || last == NULL)
        {
          last = g_hash_table_lookup (daily, &day);
          if (last == NULL)
            {
              gint32 *k = g_new (gint32, 1);

              *k = day;
              last = g_new0 (Daily, 1);
              g_hash_table_insert (daily, k, last);
            }
          last_day = day;
        }
      last->orders++;
      last->revenue += sqlite3_column_int64 (stmt, 2);
      if (customer != current)
        {
          last->new_customers++;
          current = customer;
        }
    }
  sqlite3_reset (stmt);
  g_time_zone_unref (cache.tz);
  if (rc != SQLITE_DONE)
    {
      if (!g_cancellable_set_error_if_cancelled (cancellable, error))
        crm_store_set_error (store, rc, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_aggregates (CrmStore      *store,
                  GHashTable    *daily,
                  CategoryPass  *cat,
                  GError       **error)
{
  sqlite3_stmt *stmt;
  GHashTableIter iter;
  gpointer key, value;

  if (!crm_store_exec (store, "DELETE FROM sales_daily; DELETE FROM sales_category_monthly;", error))
    return FALSE;
  if (!(stmt = crm_store_prepare (store,
          "INSERT INTO sales_daily (day, orders, revenue, new_customers) VALUES (?, ?, ?, ?)", error)))
    return FALSE;
  g_hash_table_iter_init (&iter, daily);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const Daily *d = value;

      sqlite3_bind_int (stmt, 1, *(gint32 *) key);
      sqlite3_bind_int64 (stmt, 2, d->orders);
      sqlite3_bind_int64 (stmt, 3, d->revenue);
      sqlite3_bind_int64 (stmt, 4, d->new_customers);
      if (!crm_store_step (store, stmt, error))
        return FALSE;
    }
  if (!(stmt = crm_store_prepare (store,
          "INSERT INTO sales_category_monthly (month, category, revenue, units) VALUES (?, ?, ?, ?)", error)))
    return FALSE;
  g_hash_table_iter_init (&iter, cat->months);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const Monthly *m = value;
      gint64 k = *(gint64 *) key;

      sqlite3_bind_int (stmt, 1, (gint32) (k >> 12));
      sqlite3_bind_text (stmt, 2, g_ptr_array_index (cat->names, (k & 4095) - 1), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, m->revenue);
      sqlite3_bind_int64 (stmt, 4, m->units);
      if (!crm_store_step (store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  CategoryPass    *cat;
  CrmProgressFunc  progress;
  gpointer         user_data;
} SalesRun;

/* Both passes and the writes, inside the transaction. */
static gboolean
refresh_in_transaction (CrmStore  *store,
                        gpointer   data,
                        GError   **error)
{
  SalesRun *run = data;
  CategoryPass *cat = run->cat;
  CrmProgressFunc progress = run->progress;
  gpointer user_data = run->user_data;
  GCancellable *cancellable = cat->cancellable;
  g_autoptr(GHashTable) daily = g_hash_table_new_full (g_int_hash, g_int_equal, g_free, g_free);
  g_autoptr(CrmStore) reader = NULL;
  g_autofree char *token = sales_token (store);
  GThread *thread = NULL;
  gboolean ok;

  /* The lines pass runs on its own connection when the file can be reopened. */
  reader = crm_store_open_reader (crm_store_get_path (store), NULL);
  cat->store = reader != NULL ? reader : store;
  if (reader != NULL)
    thread = g_thread_new ("crm-sales-categories", category_pass, cat);

  ok = read_daily (store, daily, cancellable, error);
  if (ok && progress != NULL)
    progress (0.5, user_data);

  if (thread != NULL)
    g_thread_join (thread);
  else if (ok)
    category_pass (cat);
  if (!ok)
    return FALSE;
  if (cat->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&cat->error));
      return FALSE;
    }
  if (progress != NULL)
    progress (0.8, user_data);

  return write_aggregates (store, daily, cat, error) &&
         (token == NULL || crm_store_set_setting (store, "sales.token", token, error)) &&
         !g_cancellable_set_error_if_cancelled (cancellable, error);
}

gboolean
crm_sales_refresh (CrmStore         *store,
                   CrmProgressFunc   progress,
                   gpointer          user_data,
                   GCancellable     *cancellable,
                   GError          **error)
{
  CategoryPass cat = { 0 };
  SalesRun run = { &cat, progress, user_data };
  gboolean ok;

  cat.categories = g_hash_table_new (g_str_hash, g_str_equal);
  cat.names = g_ptr_array_new_with_free_func (g_free);
  cat.months = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  cat.cancellable = cancellable;

  ok = crm_store_transact (store, cancellable, refresh_in_transaction, &run, error);

  g_clear_error (&cat.error);
  g_hash_table_unref (cat.categories);
  g_ptr_array_unref (cat.names);
  g_hash_table_unref (cat.months);

  if (!ok)
    return FALSE;
  if (progress != NULL)
    progress (1.0, user_data);
  return TRUE;
}

/* ---- category forecasts --------------------------------------------------------- */

void
crm_category_forecast_free (CrmCategoryForecast *forecast)
{
  if (forecast == NULL)
    return;
  g_free (forecast->category);
  g_free (forecast->points);
  g_free (forecast);
}

GPtrArray *
crm_forecast_categories (CrmStore  *store,
                         guint      max_categories,
                         guint      horizon,
                         gint64     now,
                         GError   **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_category_forecast_free);
  sqlite3_stmt *stmt;
  gint32 first = G_MAXINT32, last = G_MININT32, this_month;
  int rc;

  this_month = crm_local_month (now ? now : crm_now_ms ());

  /* The span of the history: up to the last complete month with data. */
  if (!(stmt = crm_store_prepare (store,
          "SELECT min(month), max(month) FROM sales_category_monthly WHERE month < ?", error)))
    return NULL;
  sqlite3_bind_int (stmt, 1, this_month);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    {
      first = sqlite3_column_int (stmt, 0);
      last = sqlite3_column_int (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      crm_store_set_error (store, rc, error);
      return NULL;
    }
  if (first > last)
    return g_steal_pointer (&result);

  /* Categories by revenue over the last 12 months of the history. */
  if (!(stmt = crm_store_prepare (store,
          "SELECT category FROM sales_category_monthly WHERE month > ?1 - 12 AND month <= ?1"
          " GROUP BY category ORDER BY sum(revenue) DESC, category LIMIT ?2", error)))
    return NULL;
  sqlite3_bind_int (stmt, 1, last);
  sqlite3_bind_int (stmt, 2, max_categories);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmCategoryForecast *f = g_new0 (CrmCategoryForecast, 1);

      f->category = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      f->n_history = last - first + 1;
      f->n_points = f->n_history + horizon;
      f->points = g_new0 (CrmForecastPoint, f->n_points);
      for (guint i = 0; i < f->n_points; i++)
        {
          f->points[i].month = first + i;
          f->points[i].forecast = i >= f->n_history;
        }
      g_ptr_array_add (result, f);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, rc, error);
      return NULL;
    }

  if (!(stmt = crm_store_prepare (store,
          "SELECT month, revenue, units FROM sales_category_monthly"
          " WHERE category = ? AND month >= ? AND month <= ?", error)))
    return NULL;
  for (guint c = 0; c < result->len; c++)
    {
      CrmCategoryForecast *f = g_ptr_array_index (result, c);
      g_autofree double *rev = g_new (double, f->n_history);
      g_autofree double *units = g_new (double, f->n_history);

      sqlite3_bind_text (stmt, 1, f->category, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, first);
      sqlite3_bind_int (stmt, 3, last);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          CrmForecastPoint *p = &f->points[sqlite3_column_int (stmt, 0) - first];

          p->revenue = sqlite3_column_int64 (stmt, 1);
          p->units = sqlite3_column_int64 (stmt, 2);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          crm_store_set_error (store, rc, error);
          return NULL;
        }

      for (guint i = 0; i < f->n_history; i++)
        {
          rev[i] = f->points[i].revenue;
          units[i] = f->points[i].units;
        }
      if (!crm_holt_fit (rev, f->n_history, &f->revenue_fit, NULL) ||
          !crm_holt_fit (units, f->n_history, &f->units_fit, NULL))
        {
          /* Too short for a trend: flat at the last value. */
          f->revenue_fit = (CrmHoltFit) { 1, 0, rev[f->n_history - 1], 0, 0 };
          f->units_fit = (CrmHoltFit) { 1, 0, units[f->n_history - 1], 0, 0 };
        }
      for (guint h = 1; h <= horizon; h++)
        {
          CrmForecastPoint *p = &f->points[f->n_history + h - 1];

          p->revenue = MAX (0, crm_holt_forecast (&f->revenue_fit, h));
          p->units = MAX (0, crm_holt_forecast (&f->units_fit, h));
        }
    }

  return g_steal_pointer (&result);
}

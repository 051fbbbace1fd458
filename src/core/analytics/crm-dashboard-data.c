/* crm-dashboard-data.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-dashboard-data.h"

#include "crm-feedback-stats.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-predict.h"
#include "crm-tier.h"
#include "crm-value-report.h"

#define DAY_MS (G_GINT64_CONSTANT (86400000))

int
crm_dashboard_period_days (CrmDashboardPeriod period)
{
  switch (period)
    {
    case CRM_DASHBOARD_PERIOD_30_DAYS:
      return 30;
    case CRM_DASHBOARD_PERIOD_90_DAYS:
      return 90;
    case CRM_DASHBOARD_PERIOD_365_DAYS:
      return 365;
    case CRM_DASHBOARD_PERIOD_ALL:
    default:
      return 0;
    }
}

gboolean
crm_dashboard_period_parse (const char         *text,
                            CrmDashboardPeriod *out)
{
  static const char *const keys[] = { "30", "90", "365", "all" };

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (keys); i++)
    if (strcmp (text, keys[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
crm_dashboard_period_get_label (CrmDashboardPeriod period)
{
  switch (period)
    {
    case CRM_DASHBOARD_PERIOD_30_DAYS:
      return _("Last 30 days");
    case CRM_DASHBOARD_PERIOD_90_DAYS:
      return _("Last 90 days");
    case CRM_DASHBOARD_PERIOD_365_DAYS:
      return _("Last 365 days");
    case CRM_DASHBOARD_PERIOD_ALL:
    default:
      return _("All time");
    }
}

static void
customer_clear (gpointer data)
{
  CrmDashboardCustomer *c = data;

  g_free (c->uuid);
  g_free (c->name);
}

static void
tier_clear (gpointer data)
{
  CrmTierSlice *t = data;

  g_free (t->name);
  g_free (t->color);
}

void
crm_dashboard_data_free (CrmDashboardData *data)
{
  if (data == NULL)
    return;
  g_free (data->currency);
  g_clear_pointer (&data->revenue, g_array_unref);
  g_clear_pointer (&data->tiers, g_array_unref);
  g_clear_pointer (&data->forecasts, g_ptr_array_unref);
  g_clear_pointer (&data->top_customers, g_array_unref);
  g_clear_pointer (&data->at_risk, g_array_unref);
  g_free (data);
}

/* One int64 from a statement with up to two int64 parameters; -1 on error. */
static gint64
query_int64 (CrmStore    *store,
             const char  *sql,
             gint64       p1,
             gint64       p2,
             GError     **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store, sql, error);
  gint64 v = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  if (sqlite3_bind_parameter_count (stmt) >= 1)
    sqlite3_bind_int64 (stmt, 1, p1);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_int64 (stmt, 2, p2);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      crm_store_set_error (store, rc, error);
      return -1;
    }
  return v;
}

static gint32
first_of_month (gint32 day)
{
  GDate d;

  g_date_clear (&d, 1);
  g_date_set_julian (&d, day + 719163);
  g_date_set_day (&d, 1);
  return (gint32) g_date_get_julian (&d) - 719163;
}

static gint32
next_month (gint32 day)
{
  GDate d;

  g_date_clear (&d, 1);
  g_date_set_julian (&d, first_of_month (day) + 719163);
  g_date_add_months (&d, 1);
  return (gint32) g_date_get_julian (&d) - 719163;
}

static gboolean
load_revenue (CrmStore          *store,
              CrmDashboardData  *data,
              gint32             today,
              GError           **error)
{
  int days = crm_dashboard_period_days (data->period);
  gint32 from, month30 = today - 29;
  sqlite3_stmt *stmt;
  int rc;

  data->revenue = g_array_new (FALSE, TRUE, sizeof (CrmRevenueBucket));
  data->bucket = days == 30 ? CRM_DASHBOARD_BUCKET_DAY
               : days == 90 ? CRM_DASHBOARD_BUCKET_WEEK : CRM_DASHBOARD_BUCKET_MONTH;

  if (days > 0)
    from = today - days + 1;
  else
    {
      gint64 min = query_int64 (store, "SELECT coalesce(min(day), ?1) FROM sales_daily WHERE day <= ?1",
                                today, 0, error);
      if (min == -1 && error != NULL && *error != NULL)
        return FALSE;
      from = (gint32) MIN (min, today);
    }
  if (data->bucket == CRM_DASHBOARD_BUCKET_MONTH)
    from = first_of_month (from);

  /* The empty buckets too, so bars line up with the calendar. */
  for (gint32 d = from; d <= today;)
    {
      CrmRevenueBucket b = { d, 0, 0 };

      g_array_append_val (data->revenue, b);
      d = data->bucket == CRM_DASHBOARD_BUCKET_DAY ? d + 1
        : data->bucket == CRM_DASHBOARD_BUCKET_WEEK ? d + 7 : next_month (d);
    }

  if (!(stmt = crm_store_prepare (store,
          "SELECT day, orders, revenue FROM sales_daily WHERE day >= ?1 AND day <= ?2 ORDER BY day", error)))
    return FALSE;
  sqlite3_bind_int (stmt, 1, MIN (from, month30));
  sqlite3_bind_int (stmt, 2, today);
  {
    guint k = 0;

    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint32 day = sqlite3_column_int (stmt, 0);
        gint64 orders = sqlite3_column_int64 (stmt, 1), revenue = sqlite3_column_int64 (stmt, 2);

        if (day >= month30)
          data->revenue_30_days += revenue;
        if (day < from)
          continue;
        data->revenue_period += revenue;
        data->orders_period += orders;
        while (k + 1 < data->revenue->len && g_array_index (data->revenue, CrmRevenueBucket, k + 1).start_day <= day)
          k++;
        g_array_index (data->revenue, CrmRevenueBucket, k).revenue += revenue;
        g_array_index (data->revenue, CrmRevenueBucket, k).orders += orders;
      }
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (store, rc, error);

  data->new_this_month = query_int64 (store,
    "SELECT coalesce(sum(new_customers), 0) FROM sales_daily WHERE day >= ? AND day <= ?",
    first_of_month (today), today, error);
  return data->new_this_month >= 0;
}

static gboolean
load_tiers (CrmStore          *store,
            CrmDashboardData  *data,
            GError           **error)
{
  sqlite3_stmt *stmt;
  gint64 none = 0;
  int rc;

  data->tiers = g_array_new (FALSE, TRUE, sizeof (CrmTierSlice));
  g_array_set_clear_func (data->tiers, tier_clear);

  /* Counted on the partial index customer_state_tier, then named. */
  if (!(stmt = crm_store_prepare (store,
          "SELECT t.name, t.color, c.n, t.preset FROM"
          " (SELECT tier_id, count(*) AS n FROM customer_state WHERE deleted = 0 GROUP BY tier_id) c"
          " LEFT JOIN tiers t ON t.id = c.tier_id AND t.deleted_at IS NULL"
          " ORDER BY t.name IS NULL, t.rank DESC, t.id", error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmTierSlice slice = { 0 };

      if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
        {
          none += sqlite3_column_int64 (stmt, 2);
          continue;
        }
      /* A built-in tier in the interface's language (crm_tier_get_display_name()). */
      slice.name = g_strdup (crm_tier_preset_name ((const char *) sqlite3_column_text (stmt, 3))
                             ? crm_tier_preset_name ((const char *) sqlite3_column_text (stmt, 3))
                             : (const char *) sqlite3_column_text (stmt, 0));
      slice.color = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      slice.customers = sqlite3_column_int64 (stmt, 2);
      g_array_append_val (data->tiers, slice);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (store, rc, error);
  if (none > 0)
    {
      CrmTierSlice slice = { g_strdup (_("No tier")), NULL, none };
      g_array_append_val (data->tiers, slice);
    }
  return TRUE;
}

static gboolean
load_customer_rows (CrmStore          *store,
                    GArray            *rows,
                    const gint64      *ids,
                    guint              n_ids,
                    guint              max_rows,
                    GError           **error)
{
  sqlite3_stmt *stmt;
  int rc;

  for (guint i = 0; i < n_ids; i++)
    {
      CrmDashboardCustomer row = { .id = ids[i], .clv = -1, .p_alive = -1 };
      CrmPrediction p;

      if (!(stmt = crm_store_prepare (store,
              "SELECT uuid, name, total_spent, order_count, coalesce(last_order_at, 0)"
              " FROM customers WHERE id = ?", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, ids[i]);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          row.uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          row.name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          row.total_spent = sqlite3_column_int64 (stmt, 2);
          row.orders = sqlite3_column_int64 (stmt, 3);
          row.last_order_at = sqlite3_column_int64 (stmt, 4);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW)
        {
          if (rc != SQLITE_DONE)
            return crm_store_set_error (store, rc, error);
          continue;
        }
      if (crm_predict_get (store, ids[i], &p, NULL))
        {
          row.clv = p.clv;
          row.p_alive = p.p_alive;
        }
      g_array_append_val (rows, row);
      if (rows->len >= max_rows)
        break;
    }
  return TRUE;
}

CrmDashboardData *
crm_dashboard_data_load (CrmStore            *store,
                         CrmDashboardPeriod   period,
                         gint64               now,
                         guint                max_rows,
                         GCancellable        *cancellable,
                         GError             **error)
{
  g_autoptr(CrmDashboardData) data = g_new0 (CrmDashboardData, 1);
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) risky = NULL;
  sqlite3_stmt *stmt;
  int days = crm_dashboard_period_days (period);
  gint32 today;
  int rc;

  if (max_rows == 0)
    max_rows = 10;
  data->period = period;
  data->now = now ? now : crm_now_ms ();
  data->currency = crm_store_get_setting (store, "currency");
  if (data->currency == NULL)
    data->currency = g_strdup ("CNY");
  today = crm_local_day (data->now);
  data->top_customers = g_array_new (FALSE, TRUE, sizeof (CrmDashboardCustomer));
  g_array_set_clear_func (data->top_customers, customer_clear);
  data->at_risk = g_array_new (FALSE, TRUE, sizeof (CrmDashboardCustomer));
  g_array_set_clear_func (data->at_risk, customer_clear);

  /* Every count below reads a partial index over live customers, not the table. */
  if ((data->customers = query_int64 (store, "SELECT count(*) FROM customers WHERE deleted_at IS NULL",
                                      0, 0, error)) < 0)
    return NULL;
  if ((data->buyers = query_int64 (store,
         "SELECT count(*) FROM customers WHERE deleted_at IS NULL AND order_count >= 1", 0, 0, error)) < 0 ||
      (data->repeat_buyers = query_int64 (store,
         "SELECT count(*) FROM customers WHERE deleted_at IS NULL AND order_count >= 2", 0, 0, error)) < 0)
    return NULL;
  data->repeat_rate = data->buyers > 0 ? (double) data->repeat_buyers / data->buyers : 0.0;
  if (days > 0)
    data->active = query_int64 (store,
      "SELECT count(*) FROM customers WHERE deleted_at IS NULL AND last_order_at > ?",
      data->now - (gint64) days * DAY_MS, 0, error);
  else
    data->active = data->buyers;
  if (data->active < 0)
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* NPS and CSAT of the period's answers (crm-feedback-stats.c: one index range per kind). */
  {
    CrmFeedbackStats fs;

    if (!crm_feedback_stats_load (store, days > 0 ? data->now - (gint64) days * DAY_MS : 0, data->now, data->now,
                                  NULL, &fs, cancellable, error))
      return NULL;
    data->nps_responses = fs.nps_answers;
    data->nps = fs.nps;
    data->csat_responses = fs.csat_answers;
    data->csat = fs.csat;
  }

  data->sales_stale = crm_sales_is_stale (store);
  {
    CrmPredictModel model;

    data->has_model = crm_predict_model_load (store, &model, NULL);
    data->model_end = data->has_model ? model.calibration_end : 0;
  }
  if (!load_revenue (store, data, today, error) || !load_tiers (store, data, error))
    return NULL;

  if (!crm_value_report_stage_counts (store, data->lifecycle, error))
    return NULL;

  if (!(stmt = crm_store_prepare (store,
          "SELECT r_score, (f_score + m_score + 1) / 2, count(*) FROM customer_rfm GROUP BY 1, 2", error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int r = sqlite3_column_int (stmt, 0), fm = sqlite3_column_int (stmt, 1);
      if (r >= 1 && r <= 5 && fm >= 1 && fm <= 5)
        data->rfm[r - 1][fm - 1] = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, rc, error);
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (!(stmt = crm_store_prepare (store,
          "SELECT count(*), coalesce(avg(clv), 0) FROM customer_predictions INDEXED BY customer_predictions_clv",
          error)))
    return NULL;
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      data->scored = sqlite3_column_int64 (stmt, 0);
      data->average_clv = sqlite3_column_double (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      crm_store_set_error (store, rc, error);
      return NULL;
    }

  if (!(data->forecasts = crm_forecast_categories (store, 5, 3, data->now, error)))
    return NULL;

  /* Top customers by lifetime spend, from the index on total_spent. */
  if (!(stmt = crm_store_prepare (store,
          "SELECT id FROM customers WHERE deleted_at IS NULL AND total_spent > 0"
          " ORDER BY total_spent DESC, id DESC LIMIT ?", error)))
    return NULL;
  sqlite3_bind_int (stmt, 1, max_rows);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, rc, error);
      return NULL;
    }
  if (!load_customer_rows (store, data->top_customers, (const gint64 *) ids->data, ids->len, max_rows, error))
    return NULL;

  if (!(risky = crm_predict_at_risk_valuable (store, 0.2, 0.5, max_rows, error)))
    return NULL;
  if (!load_customer_rows (store, data->at_risk, (const gint64 *) risky->data, risky->len, max_rows, error))
    return NULL;

  data->seconds = g_timer_elapsed (timer, NULL);
  return g_steal_pointer (&data);
}

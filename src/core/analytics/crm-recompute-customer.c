/* crm-recompute-customer.c: one customer at a time — what a new or edited order, or a manual
 * tier, changes at once (scored against the last full pass's population), the order hook every
 * session installs, and what the customer detail reads back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-recompute-private.h"

#include <glib/gi18n-lib.h>

#include "crm-customer.h"
#include "crm-tiers.h"

/* A stage change and its history row. */
static gboolean
write_stage (CrmStore  *store,
             gint64     customer_id,
             int        old_stage,
             int        new_stage,
             gint64     at,
             GError   **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = crm_store_prepare (store, "UPDATE customer_state SET lifecycle = ? WHERE customer_id = ?", error)))
    return FALSE;
  sqlite3_bind_int (stmt, 1, new_stage);
  sqlite3_bind_int64 (stmt, 2, customer_id);
  if (!crm_store_step (store, stmt, error))
    return FALSE;

  if (!(stmt = crm_store_prepare (store,
          "INSERT INTO lifecycle_history (customer_id, from_stage, to_stage, at) VALUES (?, ?, ?, ?)",
          error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_int (stmt, 2, old_stage);
  sqlite3_bind_int (stmt, 3, new_stage);
  sqlite3_bind_int64 (stmt, 4, at);

  return crm_store_step (store, stmt, error);
}

/* A tier change and its history row, with the override's reason when one decided it. */
static gboolean
write_tier (CrmStore  *store,
            gint64     customer_id,
            gint64     old_tier,
            gint64     new_tier,
            gboolean   by_override,
            gint64     at,
            GError   **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = crm_store_prepare (store, "UPDATE customer_state SET tier_id = ? WHERE customer_id = ?", error)))
    return FALSE;
  if (new_tier)
    sqlite3_bind_int64 (stmt, 1, new_tier);
  sqlite3_bind_int64 (stmt, 2, customer_id);
  if (!crm_store_step (store, stmt, error))
    return FALSE;

  if (!(stmt = crm_store_prepare (store,
          "INSERT INTO tier_history (customer_id, from_tier, to_tier, at, reason)"
          " VALUES (?1, ?2, ?3, ?4, CASE WHEN ?5 THEN (SELECT 'override: ' || reason"
          "  FROM tier_overrides WHERE customer_id = ?1) ELSE 'rule' END)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  if (old_tier)
    sqlite3_bind_int64 (stmt, 2, old_tier);
  if (new_tier)
    sqlite3_bind_int64 (stmt, 3, new_tier);
  sqlite3_bind_int64 (stmt, 4, at);
  sqlite3_bind_int (stmt, 5, by_override);

  return crm_store_step (store, stmt, error);
}

gboolean
crm_recompute_get_rfm (CrmStore  *store,
                       gint64     customer_id,
                       CrmRfmRow *out)
{
  sqlite3_stmt *stmt = crm_store_prepare (store,
    "SELECT r_days, frequency, monetary, r_score, f_score, m_score, segment"
    " FROM customer_rfm WHERE customer_id = ?", NULL);
  gboolean found = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      out->customer_id = customer_id;
      out->r_days = sqlite3_column_int (stmt, 0);
      out->frequency = sqlite3_column_int (stmt, 1);
      out->monetary = sqlite3_column_int64 (stmt, 2);
      out->r_score = sqlite3_column_int (stmt, 3);
      out->f_score = sqlite3_column_int (stmt, 4);
      out->m_score = sqlite3_column_int (stmt, 5);
      out->segment = MAX (crm_rfm_segment_from_string ((const char *) sqlite3_column_text (stmt, 6)), 0);
      found = TRUE;
    }
  sqlite3_reset (stmt);

  return found;
}

GArray *
crm_lifecycle_history (CrmStore  *store,
                       gint64     customer_id,
                       GError   **error)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, TRUE, sizeof (CrmStageChange));
  sqlite3_stmt *stmt = crm_store_prepare (store,
    "SELECT coalesce(from_stage, -1), to_stage, at FROM lifecycle_history"
    " WHERE customer_id = ? ORDER BY at, id", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      CrmStageChange c = { sqlite3_column_int (stmt, 0), sqlite3_column_int (stmt, 1),
                           sqlite3_column_int64 (stmt, 2) };
      g_array_append_val (changes, c);
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&changes);
}

/* What recomputing one customer reads once for many: the options, the last full run's RFM
 * cutoffs and the tier rules. */
typedef struct
{
  CrmRecomputeOptions options;
  CrmRfmCutoffs       cutoffs;
  gboolean            have_cutoffs;
  GArray             *rules;
  gint64              as_of;
  gint64              now;
} OneContext;

static gboolean
one_context_init (OneContext  *ctx,
                  CrmStore    *store,
                  gint64       as_of,
                  GError     **error)
{
  g_autofree char *cutoffs_json = crm_store_get_setting (store, "rfm.cutoffs");

  crm_recompute_options_init (&ctx->options, store);
  ctx->now = crm_now_ms ();
  ctx->as_of = as_of != 0 ? as_of : ctx->now;
  ctx->have_cutoffs = crm_rfm_cutoffs_from_json (&ctx->cutoffs, cutoffs_json);
  ctx->rules = crm_tiers_load_rules (store, error);

  return ctx->rules != NULL;
}

/* The customer's orders in the window, as days and an RFM row. */
static gboolean
read_one (CrmStore    *store,
          OneContext  *ctx,
          gint64       customer_id,
          GArray      *days,
          CrmRfmRow   *row,
          GError     **error)
{
  gint64 window_start = ctx->as_of - (gint64) ctx->options.window_days * DAY_MS;
  gint64 last = 0;
  sqlite3_stmt *stmt;

  if (!(stmt = crm_store_prepare (store,
          "SELECT placed_at, total FROM orders INDEXED BY orders_customer"
          " WHERE customer_id = ? AND deleted_at IS NULL AND status NOT IN ('cancelled', 'refunded', 'failed')"
          "  AND placed_at <= ? ORDER BY placed_at", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_int64 (stmt, 2, ctx->as_of);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 placed = sqlite3_column_int64 (stmt, 0);
      gint32 d = day_of (placed);

      g_array_append_val (days, d);
      last = placed;
      if (placed > window_start)
        {
          row->frequency++;
          row->monetary += sqlite3_column_int64 (stmt, 1);
        }
    }
  sqlite3_reset (stmt);

  row->customer_id = customer_id;
  row->r_days = (gint32) ((ctx->as_of - last) / DAY_MS);
  return TRUE;
}

/* RFM against the population of the last full recompute. */
static gboolean
write_one_rfm (CrmStore    *store,
               OneContext  *ctx,
               CrmRfmRow   *row,
               GError     **error)
{
  sqlite3_stmt *stmt;

  if (row->frequency == 0 || !ctx->have_cutoffs)
    {
      row->segment = CRM_RFM_NONE;
      if (!(stmt = crm_store_prepare (store, "DELETE FROM customer_rfm WHERE customer_id = ?", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, row->customer_id);
      return crm_store_step (store, stmt, error);
    }

  crm_rfm_score_one (&ctx->cutoffs, row);
  if (!(stmt = crm_store_prepare (store,
          "INSERT OR REPLACE INTO customer_rfm (customer_id, r_days, frequency, monetary, r_score,"
          " f_score, m_score, segment, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row->customer_id);
  sqlite3_bind_int (stmt, 2, row->r_days);
  sqlite3_bind_int (stmt, 3, row->frequency);
  sqlite3_bind_int64 (stmt, 4, row->monetary);
  sqlite3_bind_int (stmt, 5, row->r_score);
  sqlite3_bind_int (stmt, 6, row->f_score);
  sqlite3_bind_int (stmt, 7, row->m_score);
  sqlite3_bind_text (stmt, 8, crm_rfm_segment_to_string (row->segment), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 9, ctx->now);
  return crm_store_step (store, stmt, error);
}

static gboolean
recompute_one (CrmStore    *store,
               OneContext  *ctx,
               gint64       customer_id,
               GError     **error)
{
  g_autoptr(GArray) days = g_array_new (FALSE, FALSE, sizeof (gint32));
  CrmRfmRow row = { 0 };
  sqlite3_stmt *stmt;
  gint64 old_tier = 0, override_tier = 0, new_tier;
  int old_stage = 0, new_stage;
  gint32 since = 0;
  gboolean found = FALSE;

  if (!(stmt = crm_store_prepare (store,
          "SELECT coalesce(s.tier_id, 0), s.lifecycle, coalesce(o.tier_id, 0) FROM customer_state s"
          " LEFT JOIN tier_overrides o ON o.customer_id = s.customer_id"
          "  AND (o.expires_at IS NULL OR o.expires_at > ?2)"
          " WHERE s.customer_id = ?1 AND s.deleted = 0", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_int64 (stmt, 2, ctx->as_of);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      old_tier = sqlite3_column_int64 (stmt, 0);
      old_stage = sqlite3_column_int (stmt, 1);
      override_tier = sqlite3_column_int64 (stmt, 2);
      found = TRUE;
    }
  sqlite3_reset (stmt);
  if (!found)
    return TRUE;   /* deleted meanwhile: nothing to keep current */

  if (!read_one (store, ctx, customer_id, days, &row, error) || !write_one_rfm (store, ctx, &row, error))
    return FALSE;

  new_stage = crm_lifecycle_classify (&ctx->options.lifecycle, (const gint32 *) days->data, days->len,
                                      day_of (ctx->as_of), &since);
  if (new_stage != old_stage &&
      !write_stage (store, customer_id, old_stage, new_stage,
                    new_stage == CRM_LIFECYCLE_PROSPECT ? ctx->as_of : (gint64) since * DAY_MS, error))
    return FALSE;

  new_tier = override_tier ? override_tier : crm_tiers_evaluate (ctx->rules, row.frequency > 0 ? &row : NULL);
  if (ctx->rules->len > 0 && new_tier != old_tier &&
      !write_tier (store, customer_id, old_tier, new_tier, override_tier != 0, ctx->now, error))
    return FALSE;

  return TRUE;
}

gboolean
crm_recompute_customer (CrmStore  *store,
                        gint64     customer_id,
                        gint64     as_of,
                        GError   **error)
{
  OneContext ctx = { 0 };
  gboolean ok = one_context_init (&ctx, store, as_of, error) &&
                recompute_one (store, &ctx, customer_id, error);

  g_clear_pointer (&ctx.rules, g_array_unref);
  return ok;
}

/* Past this many customers in one write (an import of orders) one full pass, which also scores
 * everybody against the new population, costs less than a look at each customer (~50 µs). */
#define ORDER_HOOK_FULL_PASS 5000

gboolean
crm_recompute_order_hook (CrmStore      *store,
                          const gint64  *customer_ids,
                          guint          n_customers,
                          gpointer       user_data,
                          GError       **error)
{
  OneContext ctx = { 0 };
  gboolean ok;

  (void) user_data;
  if (n_customers > ORDER_HOOK_FULL_PASS)
    {
      CrmRecomputeOptions options;

      crm_recompute_options_init (&options, store);
      return crm_recompute (store, &options, NULL, NULL, NULL, NULL, error);
    }

  ok = one_context_init (&ctx, store, 0, error);
  for (guint i = 0; ok && i < n_customers; i++)
    ok = recompute_one (store, &ctx, customer_ids[i], error);
  g_clear_pointer (&ctx.rules, g_array_unref);

  return ok;
}

gboolean
crm_recompute_set_manual_tier (CrmStore    *store,
                               gint64       customer_id,
                               gint64       tier_id,
                               const char  *reason,
                               gint64       expires_at,
                               GError     **error)
{
  gboolean ok;

  /* One user action, one transaction: the override and its effect. */
  if (!crm_store_begin (store, error))
    return FALSE;
  ok = tier_id > 0
       ? crm_tiers_set_override (store, customer_id, tier_id, reason, expires_at, error)
       : crm_tiers_clear_override (store, customer_id, error);
  ok = ok && crm_recompute_customer (store, customer_id, 0, error);
  if (!ok || !crm_store_commit (store, error))
    {
      crm_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

void
crm_recompute_watch_orders (CrmStore *store)
{
  crm_store_add_order_hook (store, crm_recompute_order_hook, NULL, NULL);
}

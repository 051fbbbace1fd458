/* crm-value-report.c
 *
 * Small read-only queries for the pages that show customer value; the widgets
 * hold no SQL.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-value-report.h"

#include <string.h>

#include "crm-segment.h"

static gboolean
step_done (CrmStore      *store,
           sqlite3_stmt  *stmt,
           int            rc,
           GError       **error)
{
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (store, rc, error);
  return TRUE;
}

GPtrArray *
crm_value_report_segments (CrmStore  *store,
                           GError   **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) loaded = NULL;
  GPtrArray *result;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  stmt = crm_store_prepare (store,
                            "SELECT id FROM segments WHERE deleted_at IS NULL ORDER BY position, id",
                            error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  if (!step_done (store, stmt, rc, error))
    return NULL;

  loaded = crm_store_load_many (store, CRM_TYPE_SEGMENT, (const gint64 *) ids->data, ids->len, error);
  if (loaded == NULL)
    return NULL;

  /* load_many returns rows in no particular order: put them back in position order. */
  result = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < ids->len; i++)
    for (guint j = 0; j < loaded->len; j++)
      {
        CrmEntity *segment = g_ptr_array_index (loaded, j);

        if (crm_entity_get_id (segment) == g_array_index (ids, gint64, i))
          {
            g_ptr_array_add (result, g_object_ref (segment));
            break;
          }
      }

  return result;
}

gint64
crm_value_report_next_position (CrmStore *store)
{
  sqlite3_stmt *stmt;
  gint64 next = 0;

  g_return_val_if_fail (CRM_IS_STORE (store), 0);

  stmt = crm_store_prepare (store, "SELECT coalesce(max(position), -1) + 1 FROM segments", NULL);
  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    next = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return next;
}

GArray *
crm_value_report_tier_counts (CrmStore  *store,
                              GError   **error)
{
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (CrmTierCount));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  /* customer_state_tier is a partial index over live rows: this counts from the index. */
  stmt = crm_store_prepare (store,
                            "SELECT coalesce(tier_id, 0), count(*) FROM customer_state"
                            " WHERE deleted = 0 GROUP BY tier_id",
                            error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmTierCount c = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1) };
      g_array_append_val (counts, c);
    }
  if (!step_done (store, stmt, rc, error))
    return NULL;

  return g_steal_pointer (&counts);
}

gboolean
crm_value_report_stage_counts (CrmStore  *store,
                               gint64     counts[CRM_LIFECYCLE_N_STAGES],
                               GError   **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);

  memset (counts, 0, sizeof (gint64) * CRM_LIFECYCLE_N_STAGES);
  /* customer_state_lifecycle is a partial index over live rows: this counts from the index. */
  stmt = crm_store_prepare (store,
                            "SELECT lifecycle, count(*) FROM customer_state"
                            " WHERE deleted = 0 GROUP BY lifecycle",
                            error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 stage = sqlite3_column_int64 (stmt, 0);

      if (stage >= 0 && stage < CRM_LIFECYCLE_N_STAGES)
        counts[stage] = sqlite3_column_int64 (stmt, 1);
    }

  return step_done (store, stmt, rc, error);
}

static void
clear_move (gpointer data)
{
  g_free (((CrmTierMove *) data)->name);
}

void
crm_tier_moves_free (CrmTierMoves *moves)
{
  if (moves == NULL)
    return;
  g_clear_pointer (&moves->moves, g_array_unref);
  g_free (moves);
}

CrmTierMoves *
crm_value_report_tier_moves (CrmStore  *store,
                             guint      max_listed,
                             GError   **error)
{
  g_autoptr(CrmTierMoves) moves = g_new0 (CrmTierMoves, 1);
  g_autofree char *computed = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  moves->moves = g_array_new (FALSE, TRUE, sizeof (CrmTierMove));
  g_array_set_clear_func (moves->moves, clear_move);

  computed = crm_store_get_setting (store, "rfm.computed_at");
  if (computed == NULL || (moves->computed_at = g_ascii_strtoll (computed, NULL, 10)) <= 0)
    {
      moves->computed_at = 0;
      return g_steal_pointer (&moves);
    }

  /* A recompute writes every history row with its own start time; "up" is a
   * higher rank, and a first tier counts as up. */
  stmt = crm_store_prepare (store,
                            "SELECT h.customer_id, c.name, coalesce(h.from_tier, 0), coalesce(h.to_tier, 0),"
                            "  CASE WHEN f.id IS NULL THEN t.id IS NOT NULL"
                            "       WHEN t.id IS NULL THEN 0"
                            "       ELSE t.rank > f.rank END AS up"
                            " FROM tier_history h JOIN customers c ON c.id = h.customer_id"
                            " LEFT JOIN tiers f ON f.id = h.from_tier"
                            " LEFT JOIN tiers t ON t.id = h.to_tier"
                            " WHERE h.at = ?1 AND c.deleted_at IS NULL"
                            " ORDER BY up DESC, c.name COLLATE NOCASE, c.id",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, moves->computed_at);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gboolean up = sqlite3_column_int (stmt, 4) != 0;

      if (up)
        moves->n_up++;
      else
        moves->n_down++;

      if (moves->moves->len < max_listed)
        {
          CrmTierMove m = {
            sqlite3_column_int64 (stmt, 0),
            g_strdup ((const char *) sqlite3_column_text (stmt, 1)),
            sqlite3_column_int64 (stmt, 2),
            sqlite3_column_int64 (stmt, 3),
            up,
          };
          g_array_append_val (moves->moves, m);
        }
    }
  if (!step_done (store, stmt, rc, error))
    return NULL;

  return g_steal_pointer (&moves);
}

gboolean
crm_value_report_get_override (CrmStore  *store,
                               gint64     customer_id,
                               gint64    *tier_id,
                               char     **reason,
                               gint64    *expires_at)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);

  stmt = crm_store_prepare (store,
                            "SELECT tier_id, reason, coalesce(expires_at, 0) FROM tier_overrides"
                            " WHERE customer_id = ?", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (tier_id != NULL)
        *tier_id = sqlite3_column_int64 (stmt, 0);
      if (reason != NULL)
        *reason = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      if (expires_at != NULL)
        *expires_at = sqlite3_column_int64 (stmt, 2);
      found = TRUE;
    }
  sqlite3_reset (stmt);

  return found;
}

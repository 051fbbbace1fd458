/* crm-points-query.c: reading the points ledger — a customer's balance and what expires next,
 * the ledger's entries, the programme's liability.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-points-private.h"

#include <string.h>

gint64
crm_points_cached_balance (CrmStore *store,
                           gint64    customer_id)
{
  sqlite3_stmt *stmt = crm_store_prepare (store, "SELECT balance FROM points_balances WHERE customer_id = ?", NULL);
  gint64 balance = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    balance = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return balance;
}

/* From the customer's entries up to @as_of in expiry order (not lots first): the sum, what is
 * already due, and the first later expiry date at which more falls due.  Each step adds the
 * lots expiring at one date; what falls due there is the running sum beyond what fell due
 * before (crm-points.h). */
gboolean
crm_points_get_balance (CrmStore          *store,
                        gint64             customer_id,
                        gint64             as_of,
                        CrmPointsBalance  *out,
                        GError           **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store,
    "SELECT expires_at, sum(points) FROM points_ledger WHERE customer_id = ? AND at <= ?"
    " GROUP BY expires_at ORDER BY expires_at IS NOT NULL, expires_at", error);
  gint64 sum = 0, pending = 0, running = 0;
  gboolean pending_done = FALSE;
  int rc;

  memset (out, 0, sizeof *out);
  if (stmt == NULL)
    return FALSE;
  if (as_of == 0)
    as_of = crm_points_now ();
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_int64 (stmt, 2, as_of);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gboolean lot = sqlite3_column_type (stmt, 0) != SQLITE_NULL;
      gint64 expires_at = sqlite3_column_int64 (stmt, 0);
      gint64 points = sqlite3_column_int64 (stmt, 1);

      sum += points;
      if (!lot || expires_at <= as_of)
        {
          running += points;
          continue;
        }
      if (!pending_done)
        {
          pending = MAX (0, running);
          pending_done = TRUE;
        }
      running += points;
      if (out->expiring_at == 0 && running - pending > 0)
        {
          out->expiring_next = running - pending;
          out->expiring_at = expires_at;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (store, rc, error);
  if (!pending_done)
    pending = MAX (0, running);
  out->balance = sum - pending;
  return TRUE;
}

void
crm_points_entry_free (CrmPointsEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->customer_name);
  g_free (entry->order_uuid);
  g_free (entry->order_number);
  g_free (entry->reason);
  g_free (entry);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

GPtrArray *
crm_points_list (CrmStore               *store,
                 const CrmPointsFilter  *filter,
                 guint                   limit,
                 GError                **error)
{
  CrmPointsFilter all = { -1, 0, 0, 0, NULL };
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_points_entry_free);
  g_autoptr(GString) sql = g_string_new (
    "SELECT l.id, l.customer_id, c.name, l.kind, l.points, l.at, l.expires_at, l.order_id, o.uuid, o.number,"
    " l.reason FROM points_ledger l JOIN customers c ON c.id = l.customer_id"
    " LEFT JOIN orders o ON o.id = l.order_id WHERE 1");
  sqlite3_stmt *stmt;
  int rc;

  if (filter == NULL)
    filter = &all;
  /* Only the conditions given, so that the planner takes the customer's index for one
   * customer (an "?2 IS NULL OR" condition makes it scan the ledger by time). */
  if (filter->kind >= 0 && filter->kind < CRM_POINTS_N_KINDS)
    g_string_append (sql, " AND l.kind = ?1");
  if (filter->customer_id != 0)
    g_string_append (sql, " AND l.customer_id = ?2");
  if (filter->from != 0)
    g_string_append (sql, " AND l.at >= ?3");
  if (filter->until != 0)
    g_string_append (sql, " AND l.at < ?4");
  if (filter->customer_text != NULL && filter->customer_text[0] != '\0')
    g_string_append (sql, " AND instr(lower(c.name), lower(?6)) > 0");
  g_string_append (sql, " ORDER BY l.at DESC, l.id DESC LIMIT ?5");
  if ((stmt = crm_store_prepare (store, sql->str, error)) == NULL)
    return NULL;
  if (filter->kind >= 0 && filter->kind < CRM_POINTS_N_KINDS)
    sqlite3_bind_text (stmt, 1, crm_points_kind_to_string (filter->kind), -1, SQLITE_STATIC);
  if (filter->customer_id != 0)
    sqlite3_bind_int64 (stmt, 2, filter->customer_id);
  if (filter->from != 0)
    sqlite3_bind_int64 (stmt, 3, filter->from);
  if (filter->until != 0)
    sqlite3_bind_int64 (stmt, 4, filter->until);
  sqlite3_bind_int64 (stmt, 5, limit != 0 ? limit : 1000);
  if (filter->customer_text != NULL && filter->customer_text[0] != '\0')
    sqlite3_bind_text (stmt, 6, filter->customer_text, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmPointsEntry *e = g_new0 (CrmPointsEntry, 1);
      CrmPointsKind kind = CRM_POINTS_ADJUST;

      e->id = sqlite3_column_int64 (stmt, 0);
      e->customer_id = sqlite3_column_int64 (stmt, 1);
      e->customer_name = column_dup (stmt, 2);
      crm_points_kind_from_string ((const char *) sqlite3_column_text (stmt, 3), &kind);
      e->kind = kind;
      e->points = sqlite3_column_int64 (stmt, 4);
      e->at = sqlite3_column_int64 (stmt, 5);
      e->expires_at = sqlite3_column_int64 (stmt, 6);
      e->order_id = sqlite3_column_int64 (stmt, 7);
      e->order_uuid = column_dup (stmt, 8);
      e->order_number = column_dup (stmt, 9);
      e->reason = column_dup (stmt, 10);
      g_ptr_array_add (entries, e);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

gboolean
crm_points_get_liability (CrmStore            *store,
                          CrmPointsLiability  *out,
                          GError             **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store,
    "SELECT coalesce(sum(max(balance, 0)), 0), coalesce(sum(min(balance, 0)), 0), count(*) FILTER (WHERE balance > 0)"
    " FROM points_balances b JOIN customer_state s ON s.customer_id = b.customer_id AND s.deleted = 0", error);
  CrmPointsSettings settings;
  int rc;

  memset (out, 0, sizeof *out);
  if (stmt == NULL)
    return FALSE;
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      out->outstanding = sqlite3_column_int64 (stmt, 0);
      out->negative = sqlite3_column_int64 (stmt, 1);
      out->customers = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return crm_store_set_error (store, rc, error);
  crm_points_settings_load (store, &settings);
  out->value = out->outstanding * settings.point_value;
  return TRUE;
}

GArray *
crm_points_balances (CrmStore  *store,
                     GError   **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store, "SELECT customer_id, balance FROM points_balances ORDER BY customer_id",
                                          error);
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 pair[2] = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1) };

      g_array_append_vals (pairs, pair, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&pairs);
}

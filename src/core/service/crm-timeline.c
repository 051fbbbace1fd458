/* crm-timeline.c: a customer's contacts, orders, refunds and feedback, newest first.
 *
 * One statement over four indexed ranges of the customer (interactions_customer, the covering
 * orders_customer with the refunds of those orders, feedback_customer), merged and cut to the
 * page by SQLite: a customer with 10,000 events opens in a few milliseconds (test-service's
 * /service/timeline/large measures it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-timeline.h"

#include <glib/gi18n-lib.h>

#include "crm-customer.h"

void
crm_timeline_event_free (CrmTimelineEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->uuid);
  g_free (event->channel);
  g_free (event->direction);
  g_free (event->text);
  g_free (event->detail);
  g_free (event->currency);
  g_free (event->logged_by);
  g_free (event);
}

static const char timeline_sql[] =
  "SELECT kind, id, at, channel, direction, text, detail, amount, currency, logged_by, uuid FROM ("
  "  SELECT 0 AS kind, id, coalesce(occurred_at, created_at) AS at, channel, direction, subject AS text,"
  "    NULL AS detail, 0 AS amount, NULL AS currency, logged_by, uuid"
  "  FROM interactions WHERE customer_id = ?1 AND deleted_at IS NULL"
  " UNION ALL"
  "  SELECT 1, id, placed_at, channel, payment_method, number, status, total, currency, NULL, uuid"
  "  FROM orders WHERE customer_id = ?1 AND deleted_at IS NULL"
  " UNION ALL"
  "  SELECT 2, r.id, r.refunded_at, NULL, NULL, r.reason, coalesce(o.number, o.id), r.amount, o.currency, NULL, r.uuid"
  "  FROM orders o JOIN refunds r ON r.order_id = o.id"
  "  WHERE o.customer_id = ?1 AND o.deleted_at IS NULL AND r.deleted_at IS NULL"
  " UNION ALL"
  "  SELECT 3, id, coalesce(received_at, created_at), channel, status, comment, kind, coalesce(score, 0), NULL,"
  "    assignee, uuid"
  "  FROM feedback WHERE customer_id = ?1 AND deleted_at IS NULL"
  ") ORDER BY at DESC, kind DESC, id DESC LIMIT ?2";

static char *
column_text (sqlite3_stmt *stmt,
             int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

GPtrArray *
crm_timeline_load (CrmStore     *store,
                   gint64        customer_id,
                   guint         limit,
                   gboolean     *more,
                   GError      **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_timeline_event_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  if (more != NULL)
    *more = FALSE;
  if (!(stmt = crm_store_prepare (store, timeline_sql, error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_int64 (stmt, 2, (gint64) limit + 1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmTimelineEvent *e;

      if (events->len == limit)
        {
          if (more != NULL)
            *more = TRUE;
          continue;
        }
      e = g_new0 (CrmTimelineEvent, 1);
      e->kind = sqlite3_column_int (stmt, 0);
      e->id = sqlite3_column_int64 (stmt, 1);
      e->at = sqlite3_column_int64 (stmt, 2);
      e->channel = column_text (stmt, 3);
      e->direction = column_text (stmt, 4);
      e->text = column_text (stmt, 5);
      e->detail = column_text (stmt, 6);
      e->amount = sqlite3_column_int64 (stmt, 7);
      e->currency = column_text (stmt, 8);
      e->logged_by = column_text (stmt, 9);
      e->uuid = column_text (stmt, 10);
      g_ptr_array_add (events, e);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&events);
}

static gboolean
refuse (GError     **error,
        const char  *message)
{
  g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return text == NULL;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

const char *
crm_timeline_user_name (void)
{
  return g_get_user_name ();
}

gboolean
crm_timeline_log (CrmStore        *store,
                  CrmInteraction  *interaction,
                  GError         **error)
{
  g_autoptr(CrmCustomer) customer = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 customer_id;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (CRM_IS_INTERACTION (interaction), FALSE);

  customer_id = crm_interaction_get_customer_id (interaction);
  if (customer_id <= 0)
    return refuse (error, _("An interaction needs a customer"));
  if (!crm_interaction_channel_is_known (crm_interaction_get_channel (interaction)))
    return refuse (error, _("The channel must be one of phone, email, visit, chat, wechat, social or note"));
  if (is_blank (crm_interaction_get_subject (interaction)))
    return refuse (error, _("Summary is required"));
  if (customer_id > 0)
    customer = crm_store_load (store, CRM_TYPE_CUSTOMER, customer_id, &local_error);
  if (customer_id > 0 && (customer == NULL || crm_entity_is_deleted (CRM_ENTITY (customer))))
    {
      if (local_error != NULL && !g_error_matches (local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                           _("The customer of this interaction does not exist or was deleted"));
      return FALSE;
    }

  if (crm_interaction_get_occurred_at (interaction) == 0)
    crm_interaction_set_occurred_at (interaction, crm_now_ms ());
  if (crm_interaction_get_logged_by (interaction) == NULL)
    crm_interaction_set_logged_by (interaction, crm_timeline_user_name ());

  return crm_store_insert (store, CRM_ENTITY (interaction), error);
}

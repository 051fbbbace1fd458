/* crm-consent.c: the consent history (table consent_events, schema step 10).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-consent.h"

#include <glib/gi18n-lib.h>

#include "crm-customer.h"
#include "crm-text.h"

/* A day of slack for clocks: a grant "now" on a machine slightly ahead is not the future. */
#define FUTURE_SLACK_MS (24 * 3600 * (gint64) 1000)
#define MAX_NOTE_CHARS  2000

static const char *const channels[CRM_CONSENT_N_CHANNELS] = { "email", "sms", "phone", "wechat" };
static const char *const sources[] = { "form", "import", "unsubscribe", "manual" };

void
crm_consent_event_free (CrmConsentEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->source);
  g_free (event->note);
  g_free (event);
}

const char *
crm_consent_channel_to_string (CrmConsentChannel channel)
{
  g_return_val_if_fail (channel < CRM_CONSENT_N_CHANNELS, NULL);
  return channels[channel];
}

gboolean
crm_consent_channel_parse (const char        *text,
                           CrmConsentChannel *out)
{
  for (guint i = 0; text != NULL && i < CRM_CONSENT_N_CHANNELS; i++)
    if (g_str_equal (text, channels[i]))
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
crm_consent_source_is_valid (const char *source)
{
  for (guint i = 0; source != NULL && i < G_N_ELEMENTS (sources); i++)
    if (g_str_equal (source, sources[i]))
      return TRUE;
  return FALSE;
}

static gboolean
invalid (GError     **error,
         const char  *message)
{
  g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, message);
  return FALSE;
}

gboolean
crm_consent_current (CrmStore           *store,
                     gint64              customer_id,
                     CrmConsentChannel   channel,
                     gint64             *out_at,
                     GError            **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store,
    "SELECT granted, at FROM consent_events WHERE customer_id = ?1 AND channel = ?2"
    " ORDER BY at DESC, id DESC LIMIT 1", error);
  gboolean granted = FALSE;
  int rc;

  if (out_at != NULL)
    *out_at = 0;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_text (stmt, 2, channels[channel], -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      granted = sqlite3_column_int (stmt, 0) != 0;
      if (out_at != NULL)
        *out_at = sqlite3_column_int64 (stmt, 1);
    }
  else if (rc != SQLITE_DONE)
    crm_store_set_error (store, rc, error);
  sqlite3_reset (stmt);
  return granted;
}

/* E-mail and SMS: the customer's fields follow the current state (journaled as an edit). */
static gboolean
sync_customer_fields (CrmStore           *store,
                      CrmCustomer        *customer,
                      CrmConsentChannel   channel,
                      GError            **error)
{
  GError *local_error = NULL;
  gint64 at = 0;
  gboolean granted = crm_consent_current (store, crm_entity_get_id (CRM_ENTITY (customer)), channel, &at, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (channel == CRM_CONSENT_EMAIL)
    {
      if (crm_customer_get_email_consent (customer) == granted && crm_customer_get_email_consent_at (customer) == at)
        return TRUE;
      crm_customer_set_email_consent (customer, granted);
      crm_customer_set_email_consent_at (customer, at);
    }
  else if (channel == CRM_CONSENT_SMS)
    {
      if (crm_customer_get_sms_consent (customer) == granted && crm_customer_get_sms_consent_at (customer) == at)
        return TRUE;
      crm_customer_set_sms_consent (customer, granted);
      crm_customer_set_sms_consent_at (customer, at);
    }
  else
    return TRUE;
  return crm_store_update (store, CRM_ENTITY (customer), error);
}

gboolean
crm_consent_record (CrmStore           *store,
                    gint64              customer_id,
                    CrmConsentChannel   channel,
                    gboolean            granted,
                    gint64              at,
                    const char         *source,
                    const char         *note,
                    GError            **error)
{
  g_autoptr(CrmCustomer) customer = NULL;
  gint64 now = crm_now_ms ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);

  if (channel >= CRM_CONSENT_N_CHANNELS)
    return invalid (error, _("Unknown consent channel: use email, sms, phone or wechat"));
  if (!crm_consent_source_is_valid (source))
    return invalid (error, _("Unknown consent source: use form, import, unsubscribe or manual"));
  if (at == 0)
    at = now;
  if (at < 0 || at > now + FUTURE_SLACK_MS)
    return invalid (error, _("The time of a consent cannot be in the future"));
  if (note != NULL && !crm_text_validate (note, -1, MAX_NOTE_CHARS, _("Note"), error))
    return FALSE;

  customer = crm_store_load (store, CRM_TYPE_CUSTOMER, customer_id, error);
  if (customer == NULL)
    return FALSE;
  if (crm_entity_get_deleted_at (CRM_ENTITY (customer)) != 0)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                           _("The customer was deleted: restore them first"));
      return FALSE;
    }

  if (!crm_store_begin (store, error))
    return FALSE;
  stmt = crm_store_prepare (store,
    "INSERT INTO consent_events (customer_id, channel, granted, at, source, note, recorded_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_text (stmt, 2, channels[channel], -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, granted ? 1 : 0);
  sqlite3_bind_int64 (stmt, 4, at);
  sqlite3_bind_text (stmt, 5, source, -1, SQLITE_TRANSIENT);
  if (note != NULL && *note != '\0')
    sqlite3_bind_text (stmt, 6, note, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, now);
  if (!crm_store_step (store, stmt, error) || !sync_customer_fields (store, customer, channel, error))
    goto fail;
  return crm_store_commit (store, error);

fail:
  crm_store_rollback (store);
  return FALSE;
}

GPtrArray *
crm_consent_history (CrmStore  *store,
                     gint64     customer_id,
                     GError   **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_consent_event_free);
  sqlite3_stmt *stmt = crm_store_prepare (store,
    "SELECT id, channel, granted, at, source, note, recorded_at FROM consent_events"
    " WHERE customer_id = ?1 ORDER BY at, id", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmConsentEvent *e = g_new0 (CrmConsentEvent, 1);

      e->id = sqlite3_column_int64 (stmt, 0);
      crm_consent_channel_parse ((const char *) sqlite3_column_text (stmt, 1), &e->channel);
      e->granted = sqlite3_column_int (stmt, 2) != 0;
      e->at = sqlite3_column_int64 (stmt, 3);
      e->source = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      e->note = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      e->recorded_at = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (events, e);
    }
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, rc, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&events);
}

gboolean
crm_consent_add_imported (CrmStore  *store,
                          gint64     first_id,
                          gint64     last_id,
                          gint64     now_ms,
                          GError   **error)
{
  sqlite3_stmt *stmt;

  if (last_id < first_id)
    return TRUE;
  stmt = crm_store_prepare (store,
    "INSERT INTO consent_events (customer_id, channel, granted, at, source, recorded_at)"
    " SELECT id, 'email', 1, coalesce(email_consent_at, ?3), 'import', ?3 FROM customers"
    "  WHERE id BETWEEN ?1 AND ?2 AND email_consent = 1"
    " UNION ALL"
    " SELECT id, 'sms', 1, coalesce(sms_consent_at, ?3), 'import', ?3 FROM customers"
    "  WHERE id BETWEEN ?1 AND ?2 AND sms_consent = 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first_id);
  sqlite3_bind_int64 (stmt, 2, last_id);
  sqlite3_bind_int64 (stmt, 3, now_ms);
  return crm_store_step (store, stmt, error);
}

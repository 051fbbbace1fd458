/* crm-campaign-jobs.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-campaign-jobs.h"

#include <glib/gi18n-lib.h>

#include "crm-customer.h"
#include "crm-pinyin.h"
#include "crm-query.h"
#include "crm-rule.h"
#include "crm-segment.h"

void
crm_campaign_summary_free (CrmCampaignSummary *s)
{
  if (s == NULL)
    return;
  g_clear_object (&s->campaign);
  g_free (s->segment);
  g_free (s);
}

/* ---- the list ---------------------------------------------------------------------------- */

static gboolean
load_job (CrmJob    *job,
          CrmStore  *store,
          gpointer   data,
          GError   **error)
{
  g_autoptr(GPtrArray) all = crm_store_list_all (store, CRM_TYPE_CAMPAIGN, "name", error);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_campaign_summary_free);

  if (all == NULL)
    return FALSE;
  for (guint i = 0; i < all->len; i++)
    {
      CrmCampaignSummary *s = g_new0 (CrmCampaignSummary, 1);

      s->campaign = g_object_ref (g_ptr_array_index (all, i));
      s->segment = crm_campaign_dup_segment_name (store, s->campaign, NULL);
      g_ptr_array_add (out, s);
      if (!crm_campaign_get_stats (store, s->campaign, 0, &s->stats, error))
        return FALSE;
    }
  crm_job_return_pointer (job, g_steal_pointer (&out), (GDestroyNotify) g_ptr_array_unref);
  return TRUE;
}

void
crm_campaigns_load_async (CrmSession          *session,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  crm_job_run (crm_job_new (session, "campaigns", CRM_JOB_READ, cancellable, NULL, NULL, callback, user_data),
               load_job, NULL, NULL);
}

GPtrArray *
crm_campaigns_load_finish (GAsyncResult  *result,
                           GError       **error)
{
  return crm_job_propagate_pointer (result, error);
}

/* ---- recipients -------------------------------------------------------------------------- */

static gboolean
recipients_job (CrmJob    *job,
                CrmStore  *store,
                gpointer   uuid,
                GError   **error)
{
  g_autoptr(CrmCampaign) c = crm_store_load_by_uuid (store, CRM_TYPE_CAMPAIGN, uuid, error);
  GPtrArray *out;

  if (c == NULL || !(out = crm_campaign_list_recipients (store, c, error)))
    return FALSE;
  crm_job_return_pointer (job, out, (GDestroyNotify) g_ptr_array_unref);
  return TRUE;
}

void
crm_campaign_recipients_async (CrmSession          *session,
                               const char          *campaign_uuid,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  crm_job_run (crm_job_new (session, "campaign-recipients", CRM_JOB_READ, cancellable, NULL, NULL, callback, user_data),
               recipients_job, g_strdup (campaign_uuid), g_free);
}

GPtrArray *
crm_campaign_recipients_finish (GAsyncResult  *result,
                                GError       **error)
{
  return crm_job_propagate_pointer (result, error);
}

/* ---- a sample of a segment ------------------------------------------------------------- */

typedef struct
{
  char  *segment;
  guint  limit;
} Sample;

static void
sample_free (Sample *s)
{
  g_free (s->segment);
  g_free (s);
}

static gboolean
sample_job (CrmJob    *job,
            CrmStore  *store,
            gpointer   data,
            GError   **error)
{
  Sample *s = data;
  g_autoptr(GPtrArray) segments = crm_store_list_all (store, CRM_TYPE_SEGMENT, "position", error);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_campaign_recipient_free);
  g_autoptr(CrmRule) rule = NULL;
  g_autoptr(CrmQuery) q = crm_query_new ();
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (segments == NULL)
    return FALSE;
  for (guint i = 0; i < segments->len && rule == NULL; i++)
    if (g_strcmp0 (crm_segment_get_name (g_ptr_array_index (segments, i)), s->segment) == 0 &&
        !(rule = crm_rule_new_from_json (crm_segment_get_rule (g_ptr_array_index (segments, i)), error)))
      return FALSE;
  if (rule == NULL)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND, _("No segment named “%s”"), s->segment);
      return FALSE;
    }
  crm_query_set_rule (q, rule);
  crm_query_set_name_order (q, crm_name_order_of_locale ());
  sql = crm_query_to_sql_columns (q, "c.id, c.name, c.email", "");
  if ((rc = sqlite3_prepare_v2 (crm_store_get_db (store), sql, -1, &stmt, NULL)) != SQLITE_OK)
    return crm_store_set_error (store, rc, error);
  crm_query_bind (q, stmt);
  while (out->len < s->limit && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmCampaignRecipient *r = g_new0 (CrmCampaignRecipient, 1);

      r->customer_id = sqlite3_column_int64 (stmt, 0);
      r->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      r->email = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      g_ptr_array_add (out, r);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return crm_store_set_error (store, rc, error);
  crm_job_return_pointer (job, g_steal_pointer (&out), (GDestroyNotify) g_ptr_array_unref);
  return TRUE;
}

void
crm_campaign_sample_async (CrmSession          *session,
                           const char          *segment,
                           guint                limit,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  Sample *s = g_new0 (Sample, 1);

  s->segment = g_strdup (segment);
  s->limit = limit;
  crm_job_run (crm_job_new (session, "campaign-sample", CRM_JOB_READ, cancellable, NULL, NULL, callback, user_data),
               sample_job, s, (GDestroyNotify) sample_free);
}

GPtrArray *
crm_campaign_sample_finish (GAsyncResult  *result,
                            GError       **error)
{
  return crm_job_propagate_pointer (result, error);
}

/* ---- mail server settings ---------------------------------------------------------------- */

static gboolean
save_job (CrmJob    *job,
          CrmStore  *store,
          gpointer   settings,
          GError   **error)
{
  return crm_smtp_settings_save (store, settings, crm_job_get_cancellable (job), error);
}

void
crm_smtp_settings_save_async (CrmSession          *session,
                              CrmSmtpSettings     *settings,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  crm_job_run (crm_job_new (session, NULL, CRM_JOB_WRITE, cancellable, NULL, NULL, callback, user_data),
               save_job, settings, (GDestroyNotify) crm_smtp_settings_free);
}

gboolean
crm_smtp_settings_save_finish (GAsyncResult  *result,
                               GError       **error)
{
  return crm_job_propagate_boolean (result, error);
}

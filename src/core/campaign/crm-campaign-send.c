/* crm-campaign-send.c: sending a campaign — one SMTP transaction per recipient, its state
 * committed before and after it (see crm-campaigns.h for what a resume does).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-campaigns.h"
#include "crm-campaigns-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-format.h"
#include "crm-mail.h"

typedef struct
{
  gint64  id;
  char   *email;
  char   *token;
  char   *name;
  gint64  tier_id;
} Recipient;

static void
recipient_free (Recipient *r)
{
  g_free (r->email);
  g_free (r->token);
  g_free (r->name);
  g_free (r);
}

/* A row left in 'sending' by a run that died or lost its connection in the middle of the SMTP
 * transaction: the server may have taken the message.  It is never sent again automatically. */
static gboolean
settle_interrupted (CrmStore     *store,
                    gint64        campaign_id,
                    GError      **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store, "UPDATE campaign_recipients SET status = 'failed', reason = ?,"
                                                 " updated_at = ? WHERE campaign_id = ? AND status = 'sending'", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, _("Interrupted while sending: the message may have been delivered, so it is not sent again"),
                     -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / 1000);
  sqlite3_bind_int64 (stmt, 3, campaign_id);
  return crm_store_step (store, stmt, error);
}

static GPtrArray *
load_queued (CrmStore  *store,
             gint64     campaign_id,
             GError   **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) recipient_free);
  sqlite3_stmt *stmt = crm_store_prepare (store, "SELECT r.id, r.email, r.token, c.name, s.tier_id"
                                                 " FROM campaign_recipients r JOIN customers c ON c.id = r.customer_id"
                                                 " LEFT JOIN customer_state s ON s.customer_id = r.customer_id"
                                                 " WHERE r.campaign_id = ? AND r.status = 'queued' ORDER BY r.id", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, campaign_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Recipient *r = g_new0 (Recipient, 1);

      r->id = sqlite3_column_int64 (stmt, 0);
      r->email = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      r->token = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      r->name = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      r->tier_id = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (out, r);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* One autocommitted write: durable (synchronous=FULL) before the next step. */
static gboolean
set_state (CrmStore     *store,
           gint64        id,
           const char   *status,
           const char   *reason,
           const char   *message_id,
           GError      **error)
{
  gint64 now = g_get_real_time () / 1000;
  sqlite3_stmt *stmt = crm_store_prepare (store, "UPDATE campaign_recipients SET status = ?, reason = ?,"
                                                 " message_id = coalesce(?, message_id), updated_at = ?,"
                                                 " sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END WHERE id = ?",
                                          error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, message_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_text (stmt, 5, status, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, now);
  sqlite3_bind_int64 (stmt, 7, id);
  return crm_store_step (store, stmt, error);
}

/* Takes @id for this run: 'queued' → 'sending', committed.  FALSE in *@taken when another run
 * (the app and clientele-cli at once) took it first: it is that run's to send. */
static gboolean
claim (CrmStore     *store,
       gint64        id,
       const char   *message_id,
       gboolean     *taken,
       GError      **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store, "UPDATE campaign_recipients SET status = 'sending', message_id = ?,"
                                                 " updated_at = ? WHERE id = ? AND status = 'queued'", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, message_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / 1000);
  sqlite3_bind_int64 (stmt, 3, id);
  if (!crm_store_step (store, stmt, error))
    return FALSE;
  *taken = sqlite3_changes (crm_store_get_db (store)) == 1;
  return TRUE;
}

/* Waits until @until (monotonic µs) or a cancel; FALSE when cancelled. */
static gboolean
throttle (gint64         until,
          GCancellable  *cancellable)
{
  gint64 now;

  while ((now = g_get_monotonic_time ()) < until)
    {
      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;
      g_usleep (MIN (until - now, 100000));
    }
  return !g_cancellable_is_cancelled (cancellable);
}

/* One recipient: 'sending', the transaction, then 'sent', 'failed' or back to 'queued'.
 * FALSE (with @error) stops the run. */
static gboolean
send_one (CrmStore            *store,
          CrmCampaign         *campaign,
          CrmCampaignContext  *ctx,
          const CrmSmtpSettings *settings,
          CrmSmtpSender       *sender,
          Recipient           *r,
          GError             **error)
{
  g_autofree char *subject = NULL;
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  g_autofree char *message = NULL;
  g_autofree char *message_id = NULL;
  g_autoptr(GError) smtp_error = NULL;
  CrmMailMessage m = { 0 };
  gboolean taken = FALSE;
  gsize length = 0;

  crm_campaign_render (ctx, campaign, r->name, r->tier_id, &subject, &text, &html);
  m.from_name = settings->from_name;
  m.from_address = settings->from_address;
  m.to_name = r->name;
  m.to_address = r->email;
  m.subject = subject;
  m.text = text;
  m.html = html;
  m.token = r->token;
  m.date = g_get_real_time () / 1000;
  message = crm_mail_build (&m, &length, &message_id);

  if (!claim (store, r->id, message_id, &taken, error))
    return FALSE;
  if (!taken)
    return TRUE;
  if (crm_smtp_sender_send (sender, r->email, message, length, &smtp_error))
    return set_state (store, r->id, "sent", NULL, NULL, error);

  if (g_error_matches (smtp_error, CRM_SMTP_ERROR, CRM_SMTP_ERROR_REFUSED))
    return set_state (store, r->id, "failed", smtp_error->message, NULL, error);
  if (g_error_matches (smtp_error, CRM_SMTP_ERROR, CRM_SMTP_ERROR_UNKNOWN))
    {
      /* Maybe delivered: failed for good (at most once), and the run stops. */
      if (!set_state (store, r->id, "failed", smtp_error->message, NULL, error))
        return FALSE;
    }
  /* Not connected, or the login refused: nothing of it went out. */
  else if (!set_state (store, r->id, "queued", NULL, NULL, error))
    return FALSE;
  g_propagate_error (error, g_steal_pointer (&smtp_error));
  return FALSE;
}

static gboolean
finish_campaign (CrmStore     *store,
                 CrmCampaign  *campaign,
                 GError      **error)
{
  CrmCampaignStats stats;

  if (!crm_campaign_get_stats (store, campaign, 1, &stats, error))
    return FALSE;
  if (stats.queued > 0 || stats.sending > 0 || g_strcmp0 (crm_campaign_get_status (campaign), "sent") == 0)
    return TRUE;
  crm_campaign_set_status (campaign, "sent");
  return crm_store_update (store, CRM_ENTITY (campaign), error);
}

gboolean
crm_campaign_send (CrmStore                *store,
                   CrmCampaign             *campaign,
                   const CrmSmtpSettings   *settings,
                   GCancellable            *cancellable,
                   CrmCampaignProgressFunc  progress,
                   gpointer                 progress_data,
                   CrmCampaignStats        *stats,
                   GError                 **error)
{
  gint64 campaign_id = crm_entity_get_id (CRM_ENTITY (campaign));
  g_autoptr(GPtrArray) queued = NULL;
  g_autoptr(CrmSmtpSender) sender = NULL;
  CrmCampaignContext *ctx = NULL;
  GCancellable *previous;
  gint64 start = g_get_monotonic_time ();
  gboolean ok = TRUE;
  guint i;

  if (stats)
    memset (stats, 0, sizeof *stats);
  /* Cancelling stops the run between two messages, never inside the write of a recipient's
   * state: a 'sent' interrupted by SQLite would leave a delivered message marked in doubt. */
  previous = crm_store_set_cancellable (store, NULL);
  if (previous != NULL)
    g_object_ref (previous);
  if (!crm_campaign_freeze (store, campaign, cancellable, error) ||
      !settle_interrupted (store, campaign_id, error) ||
      !(queued = load_queued (store, campaign_id, error)) ||
      !(ctx = crm_campaign_context_new (store, settings, error)))
    ok = FALSE;

  if (ok && queued->len > 0)
    sender = crm_smtp_sender_new (settings);
  for (i = 0; ok && i < queued->len; i++)
    {
      if (progress)
        progress (i, queued->len, progress_data);
      if (settings->rate > 0 ? !throttle (start + (gint64) i * 60 * G_USEC_PER_SEC / settings->rate, cancellable)
                             : g_cancellable_is_cancelled (cancellable))
        {
          g_cancellable_set_error_if_cancelled (cancellable, error);
          ok = FALSE;
          break;
        }
      ok = send_one (store, campaign, ctx, settings, sender, g_ptr_array_index (queued, i), error);
    }
  if (ok && progress)
    progress (queued->len, queued->len, progress_data);
  crm_campaign_context_free (ctx);

  if (ok)
    ok = finish_campaign (store, campaign, error);
  if (stats)
    crm_campaign_get_stats (store, campaign, 0, stats, NULL);
  crm_store_set_cancellable (store, previous);
  g_clear_object (&previous);
  return ok;
}

gboolean
crm_campaign_send_test (CrmStore               *store,
                        CrmCampaign            *campaign,
                        const CrmSmtpSettings  *settings,
                        gint64                  customer_id,
                        const char             *address,
                        GError                **error)
{
  g_autoptr(CrmSmtpSender) sender = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  g_autofree char *message = NULL;
  g_autofree char *name = NULL;
  CrmCampaignContext *ctx;
  CrmMailMessage m = { 0 };
  sqlite3_stmt *stmt;
  gint64 tier_id = 0;
  gsize length = 0;

  if (!crm_smtp_parse_mailbox (address, NULL, NULL, error) ||
      !(stmt = crm_store_prepare (store, "SELECT c.name, s.tier_id FROM customers c"
                                         " LEFT JOIN customer_state s ON s.customer_id = c.id WHERE c.id = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      tier_id = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (name == NULL)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND, _("No such customer"));
      return FALSE;
    }
  if (!(ctx = crm_campaign_context_new (store, settings, error)))
    return FALSE;
  crm_campaign_render (ctx, campaign, name, tier_id, &subject, &text, &html);
  crm_campaign_context_free (ctx);
  m.from_name = settings->from_name;
  m.from_address = settings->from_address;
  m.to_address = address;
  m.subject = subject;
  m.text = text;
  m.html = html;
  m.token = "TEST";
  m.date = g_get_real_time () / 1000;
  message = crm_mail_build (&m, &length, NULL);
  sender = crm_smtp_sender_new (settings);
  return crm_smtp_sender_send (sender, address, message, length, error);
}

/* ---- the window's job ------------------------------------------------------------------- */

typedef struct
{
  char *uuid;
} SendData;

static void
send_data_free (SendData *d)
{
  g_free (d->uuid);
  g_free (d);
}

static void
send_progress (guint64  done,
               guint64  total,
               gpointer job)
{
  g_autofree char *d = crm_format_count ((gint64) done);
  g_autofree char *t = crm_format_count ((gint64) total);
  /* Translators: campaign progress: messages done of all. */
  g_autofree char *text = g_strdup_printf (_("Sent %s of %s"), d, t);

  crm_job_progress_count (job, done, total);
  crm_job_progress (job, total > 0 ? (double) done / total : -1, text);
}

static gboolean
send_job (CrmJob    *job,
          CrmStore  *store,
          gpointer   data,
          GError   **error)
{
  SendData *d = data;
  g_autoptr(CrmCampaign) campaign = crm_store_load_by_uuid (store, CRM_TYPE_CAMPAIGN, d->uuid, error);
  g_autoptr(CrmSmtpSettings) settings = NULL;
  CrmCampaignStats *stats;
  gboolean ok;

  if (campaign == NULL || !(settings = crm_smtp_settings_load (store, error)) ||
      !crm_smtp_settings_load_password (settings, crm_job_get_cancellable (job), error))
    return FALSE;
  /* Every message is committed as it goes: a cancel stops the run, it undoes nothing. */
  crm_job_set_committed (job);
  stats = g_new0 (CrmCampaignStats, 1);
  ok = crm_campaign_send (store, campaign, settings, crm_job_get_cancellable (job), send_progress, job, stats, error);
  if (!ok)
    {
      g_free (stats);
      return FALSE;
    }
  crm_job_return_pointer (job, stats, g_free);
  return TRUE;
}

void
crm_campaign_send_async (CrmSession          *session,
                         const char          *campaign_uuid,
                         GCancellable        *cancellable,
                         CrmJobProgressFunc   progress,
                         gpointer             progress_data,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  SendData *d = g_new0 (SendData, 1);

  d->uuid = g_strdup (campaign_uuid);
  crm_job_run (crm_job_new (session, NULL, CRM_JOB_WRITE, cancellable, progress, progress_data, callback, user_data),
               send_job, d, (GDestroyNotify) send_data_free);
}

CrmCampaignStats *
crm_campaign_send_finish (GAsyncResult  *result,
                          GError       **error)
{
  return crm_job_propagate_pointer (result, error);
}

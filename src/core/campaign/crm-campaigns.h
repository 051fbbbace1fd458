/* crm-campaigns.h: e-mail campaigns — create, preview, send over SMTP, unsubscribes and
 * attribution.
 *
 * A campaign targets a saved segment.  Sending freezes its recipients (campaign_recipients, one
 * row per customer of the segment at that moment) with a status each:
 *   queued → sending → sent | failed (with its reason);
 *   skipped_unsubscribed: e-mail consent off and an unsubscribe on record (email_unsubscribes);
 *   skipped_no_consent: e-mail consent off otherwise (consent is the customer's email_consent);
 *   skipped_no_address: consent on but no usable e-mail address.
 * 'sending' is committed before each SMTP transaction and 'sent' after it.  A run that finds a
 * row still in 'sending' (the process died, or the connection broke, during that transaction)
 * cannot know whether the server took the message: the row becomes failed ("interrupted") and
 * is never sent again automatically — at most once, never twice.  Queued rows are sent by the
 * next run; nobody is sent the campaign twice.
 *
 * Attribution: a counted order (not cancelled, refunded or failed) placed by a recipient within
 * N days (the "campaign.attribution-days" setting, default 7) after its message was sent is a
 * conversion; revenue is the sum of those orders' totals (minor units of the shop's currency).
 *
 * Blocking functions: call them from a worker (the _async jobs) or the CLI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-campaign.h"
#include "crm-job.h"
#include "crm-smtp.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_CAMPAIGN_ATTRIBUTION_DAYS 7

typedef struct
{
  gint64 recipients;
  gint64 queued;
  gint64 sending;
  gint64 sent;
  gint64 failed;
  gint64 skipped_no_consent;
  gint64 skipped_no_address;
  gint64 skipped_unsubscribed;
  gint64 conversions;
  gint64 revenue;       /* minor units */
  guint  days;          /* the attribution window used */
} CrmCampaignStats;

typedef struct
{
  gint64  customer_id;
  char   *customer_uuid;
  char   *name;
  char   *email;
  char   *status;
  char   *reason;
  gint64  sent_at;
} CrmCampaignRecipient;

void          crm_campaign_recipient_free (CrmCampaignRecipient *recipient);

typedef struct
{
  char *to;          /* "Name <address>" or what the customer has */
  char *subject;
  char *text;        /* with the unsubscribe line */
  char *html;        /* NULL without an HTML body */
} CrmCampaignPreview;

void          crm_campaign_preview_free   (CrmCampaignPreview *preview);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmCampaignPreview, crm_campaign_preview_free)

/* The campaign named @name (or of that uuid); NULL with CRM_STORE_ERROR_NOT_FOUND. */
CrmCampaign  *crm_campaign_find           (CrmStore            *store,
                                           const char          *name,
                                           GError             **error);
/* A new e-mail campaign (a draft) for the saved segment named @segment; the fields of @subject,
 * @body and @html (NULL: none) are checked (an unknown one is refused).  The name must be new. */
CrmCampaign  *crm_campaign_create         (CrmStore            *store,
                                           const char          *name,
                                           const char          *segment,
                                           const char          *subject,
                                           const char          *body,
                                           const char          *html,
                                           GError             **error);
/* The segment's name of @campaign (NULL if it was deleted). */
char         *crm_campaign_dup_segment_name (CrmStore          *store,
                                           CrmCampaign         *campaign,
                                           GError             **error);
/* What @customer_id would receive; @settings may be NULL (no mail server yet). */
CrmCampaignPreview *crm_campaign_preview  (CrmStore            *store,
                                           CrmCampaign         *campaign,
                                           gint64               customer_id,
                                           const CrmSmtpSettings *settings,
                                           GError             **error);

typedef void (*CrmCampaignProgressFunc) (guint64   done,
                                         guint64   total,
                                         gpointer  user_data);

/* Freezes the recipients (first run) and sends every queued one, at most @settings->rate a
 * minute.  Stops with an error when the server cannot be reached, refuses the login or the
 * connection breaks mid-message (the rest stay queued for the next run); a message the server
 * refuses fails alone.  Cancelling stops between two messages (G_IO_ERROR_CANCELLED).  @stats,
 * if not NULL, gets the counts afterwards, also on failure. */
gboolean      crm_campaign_send           (CrmStore            *store,
                                           CrmCampaign         *campaign,
                                           const CrmSmtpSettings *settings,
                                           GCancellable        *cancellable,
                                           CrmCampaignProgressFunc progress,
                                           gpointer             progress_data,
                                           CrmCampaignStats    *stats,
                                           GError             **error);
/* A test send to yourself: the message @customer_id would receive (its token "TEST"), to
 * @address instead, now.  The campaign stays as it was (a draft is not frozen). */
gboolean      crm_campaign_send_test      (CrmStore            *store,
                                           CrmCampaign         *campaign,
                                           const CrmSmtpSettings *settings,
                                           gint64               customer_id,
                                           const char          *address,
                                           GError             **error);
/* @days 0: the store's setting, else CRM_CAMPAIGN_ATTRIBUTION_DAYS. */
gboolean      crm_campaign_get_stats      (CrmStore            *store,
                                           CrmCampaign         *campaign,
                                           guint                days,
                                           CrmCampaignStats    *stats,
                                           GError             **error);
/* The recipients with their status, by name; NULL with an error.  Element: CrmCampaignRecipient. */
GPtrArray    *crm_campaign_list_recipients (CrmStore           *store,
                                           CrmCampaign         *campaign,
                                           GError             **error);

typedef struct
{
  guint64 unsubscribed;   /* consent turned off */
  guint64 already;        /* consent was already off */
  guint64 unknown;        /* no recipient with that token, no customer with that address */
} CrmUnsubscribeCounts;

/* A CSV of unsubscribe tokens ("unsubscribe-TOKEN" or TOKEN) or e-mail addresses in its first
 * column (a header row "token"/"email" is skipped): every customer named gets e-mail consent off
 * (with the time) and an unsubscribe on record with @source.  One transaction. */
gboolean      crm_campaign_import_unsubscribes (CrmStore       *store,
                                           const char          *path,
                                           const char          *source,
                                           CrmUnsubscribeCounts *counts,
                                           GError             **error);

/* The window's jobs. */
void          crm_campaign_send_async     (CrmSession          *session,
                                           const char          *campaign_uuid,
                                           GCancellable        *cancellable,
                                           CrmJobProgressFunc   progress,
                                           gpointer             progress_data,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
/* The counts after the run (g_free()), NULL with the error. */
CrmCampaignStats *crm_campaign_send_finish (GAsyncResult       *result,
                                           GError             **error);

G_END_DECLS

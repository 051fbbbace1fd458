/* crm-campaign-jobs.h: what the Campaigns page and the mail server preferences read and write
 * off the main thread, as CrmJobs around the functions of crm-campaigns.h and crm-smtp.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-campaigns.h"

G_BEGIN_DECLS

typedef struct
{
  CrmCampaign      *campaign;
  char             *segment;    /* its segment's name, NULL if deleted */
  CrmCampaignStats  stats;
} CrmCampaignSummary;

void       crm_campaign_summary_free       (CrmCampaignSummary *summary);

/* Every campaign with its counts, by name (element: CrmCampaignSummary). */
void       crm_campaigns_load_async        (CrmSession          *session,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray *crm_campaigns_load_finish       (GAsyncResult        *result,
                                            GError             **error);

/* The recipients of @campaign_uuid (element: CrmCampaignRecipient). */
void       crm_campaign_recipients_async   (CrmSession          *session,
                                            const char          *campaign_uuid,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray *crm_campaign_recipients_finish  (GAsyncResult        *result,
                                            GError             **error);

/* The first @limit customers of the saved segment named @segment, by name, to preview a
 * campaign for (element: CrmCampaignRecipient with customer_id, name and email). */
void       crm_campaign_sample_async       (CrmSession          *session,
                                            const char          *segment,
                                            guint                limit,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray *crm_campaign_sample_finish      (GAsyncResult        *result,
                                            GError             **error);

/* crm_smtp_settings_save() on a worker (the keyring blocks); takes @settings. */
void       crm_smtp_settings_save_async    (CrmSession          *session,
                                            CrmSmtpSettings     *settings,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean   crm_smtp_settings_save_finish   (GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS

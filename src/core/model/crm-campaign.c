/* crm-campaign.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-campaign.h"

#include <glib/gi18n-lib.h>

/* In the order of CrmCampaignField; the column names follow the property names. */
static const CrmField fields[] = {
  { "name", G_TYPE_STRING, 200, CRM_FIELD_FLAG_REQUIRED, N_("Name") },
  { "channel", G_TYPE_STRING, 30, CRM_FIELD_FLAG_NONE, N_("Channel") },
  { "status", G_TYPE_STRING, 30, CRM_FIELD_FLAG_NONE, N_("Status") },
  { "segment", G_TYPE_STRING, 200, CRM_FIELD_FLAG_NONE, N_("Segment") },
  { "subject", G_TYPE_STRING, 300, CRM_FIELD_FLAG_NONE, N_("Subject") },
  { "body", G_TYPE_STRING, 100000, CRM_FIELD_FLAG_NONE, N_("Message") },
  { "scheduled-at", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Scheduled") },
  { "sent-at", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Sent") },
  { "html-body", G_TYPE_STRING, 200000, CRM_FIELD_FLAG_NONE, N_("HTML message") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (fields) == CRM_CAMPAIGN_N_FIELDS);

CRM_ENTITY_DEFINE_MODEL (CrmCampaign, crm_campaign, "campaigns", "campaign", fields)

CRM_ENTITY_DEFINE_STRING (CrmCampaign, crm_campaign, name, CRM_CAMPAIGN_NAME)
CRM_ENTITY_DEFINE_STRING (CrmCampaign, crm_campaign, channel, CRM_CAMPAIGN_CHANNEL)
CRM_ENTITY_DEFINE_STRING (CrmCampaign, crm_campaign, status, CRM_CAMPAIGN_STATUS)
CRM_ENTITY_DEFINE_STRING (CrmCampaign, crm_campaign, segment, CRM_CAMPAIGN_SEGMENT)
CRM_ENTITY_DEFINE_STRING (CrmCampaign, crm_campaign, subject, CRM_CAMPAIGN_SUBJECT)
CRM_ENTITY_DEFINE_STRING (CrmCampaign, crm_campaign, body, CRM_CAMPAIGN_BODY)
CRM_ENTITY_DEFINE_INT64 (CrmCampaign, crm_campaign, scheduled_at, CRM_CAMPAIGN_SCHEDULED_AT)
CRM_ENTITY_DEFINE_INT64 (CrmCampaign, crm_campaign, sent_at, CRM_CAMPAIGN_SENT_AT)
CRM_ENTITY_DEFINE_STRING (CrmCampaign, crm_campaign, html_body, CRM_CAMPAIGN_HTML_BODY)

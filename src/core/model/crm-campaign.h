/* crm-campaign.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-entity.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_CAMPAIGN_NAME,
  CRM_CAMPAIGN_CHANNEL,
  CRM_CAMPAIGN_STATUS,
  CRM_CAMPAIGN_SEGMENT,
  CRM_CAMPAIGN_SUBJECT,
  CRM_CAMPAIGN_BODY,
  CRM_CAMPAIGN_SCHEDULED_AT,
  CRM_CAMPAIGN_SENT_AT,
  CRM_CAMPAIGN_HTML_BODY,   /* schema 10 */
  CRM_CAMPAIGN_N_FIELDS
} CrmCampaignField;

#define CRM_TYPE_CAMPAIGN (crm_campaign_get_type ())
G_DECLARE_FINAL_TYPE (CrmCampaign, crm_campaign, CRM, CAMPAIGN, CrmEntity)

CrmCampaign *crm_campaign_new (void);

CRM_ENTITY_DECLARE_STRING (CrmCampaign, crm_campaign, name)
CRM_ENTITY_DECLARE_STRING (CrmCampaign, crm_campaign, channel)
CRM_ENTITY_DECLARE_STRING (CrmCampaign, crm_campaign, status)
CRM_ENTITY_DECLARE_STRING (CrmCampaign, crm_campaign, segment)
CRM_ENTITY_DECLARE_STRING (CrmCampaign, crm_campaign, subject)
CRM_ENTITY_DECLARE_STRING (CrmCampaign, crm_campaign, body)
CRM_ENTITY_DECLARE_INT64 (CrmCampaign, crm_campaign, scheduled_at)
CRM_ENTITY_DECLARE_INT64 (CrmCampaign, crm_campaign, sent_at)
CRM_ENTITY_DECLARE_STRING (CrmCampaign, crm_campaign, html_body)

G_END_DECLS

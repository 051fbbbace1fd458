/* crm-campaigns-private.h: what crm-campaigns.c and crm-campaign-send.c share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-campaigns.h"

G_BEGIN_DECLS

/* What every message of a run shares: the tiers' names, the shop and its address. */
typedef struct
{
  GHashTable *tiers;          /* gint64 id → display name */
  char       *shop;
  char       *from_address;
} CrmCampaignContext;

CrmCampaignContext *crm_campaign_context_new  (CrmStore               *store,
                                               const CrmSmtpSettings  *settings,
                                               GError                **error);
void                crm_campaign_context_free (CrmCampaignContext     *ctx);
void                crm_campaign_render       (CrmCampaignContext     *ctx,
                                               CrmCampaign            *campaign,
                                               const char             *name,
                                               gint64                  tier_id,
                                               char                  **subject,
                                               char                  **text,
                                               char                  **html);
/* The recipients of a draft, in one transaction; the campaign becomes "sending".  Nothing to do
 * for a campaign frozen before. */
gboolean            crm_campaign_freeze       (CrmStore               *store,
                                               CrmCampaign            *campaign,
                                               GCancellable           *cancellable,
                                               GError                **error);

G_END_DECLS

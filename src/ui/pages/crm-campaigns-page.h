/* crm-campaigns-page.h: the Campaigns section — e-mail campaigns with their sent, failed,
 * conversions and revenue; New Campaign… with a live preview per recipient; sending with
 * progress and Cancel; every recipient's status.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-session.h"

G_BEGIN_DECLS

#define CRM_TYPE_CAMPAIGNS_PAGE (crm_campaigns_page_get_type ())
G_DECLARE_FINAL_TYPE (CrmCampaignsPage, crm_campaigns_page, CRM, CAMPAIGNS_PAGE, AdwBin)

void     crm_campaigns_page_set_session (CrmCampaignsPage *self,
                                         CrmSession       *session);
void     crm_campaigns_page_set_folded  (CrmCampaignsPage *self,
                                         gboolean          folded);
/* Re-reads the campaigns and their counts (in the background). */
void     crm_campaigns_page_reload      (CrmCampaignsPage *self);
gboolean crm_campaigns_page_get_loading (CrmCampaignsPage *self);

G_END_DECLS

/* crm-campaigns-page-private.h: what the UI tests reach.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-campaigns-page.h"

G_BEGIN_DECLS

GtkWindow   *crm_campaigns_page_get_new_dialog    (CrmCampaignsPage *self);
AdwEntryRow *crm_campaigns_page_get_name_row      (CrmCampaignsPage *self);
AdwEntryRow *crm_campaigns_page_get_subject_row   (CrmCampaignsPage *self);
AdwComboRow *crm_campaigns_page_get_segment_row   (CrmCampaignsPage *self);
AdwComboRow *crm_campaigns_page_get_recipient_row (CrmCampaignsPage *self);
GtkTextView *crm_campaigns_page_get_body_view     (CrmCampaignsPage *self);
GtkWidget   *crm_campaigns_page_get_create_button (CrmCampaignsPage *self);
/* The preview's text as shown (subject, recipient, body). */
const char  *crm_campaigns_page_get_preview_text  (CrmCampaignsPage *self);
GtkListBox  *crm_campaigns_page_get_campaign_list (CrmCampaignsPage *self);
GtkListBox  *crm_campaigns_page_get_recipient_list (CrmCampaignsPage *self);
/* TRUE while the recipients of a segment are being read for the preview. */
gboolean     crm_campaigns_page_get_sampling      (CrmCampaignsPage *self);

G_END_DECLS

/* crm-loyalty-page.h: the Loyalty section — the points liability, the programme's settings
 * and the ledger browser (by customer, kind of entry and period).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-session.h"

G_BEGIN_DECLS

#define CRM_TYPE_LOYALTY_PAGE (crm_loyalty_page_get_type ())
G_DECLARE_FINAL_TYPE (CrmLoyaltyPage, crm_loyalty_page, CRM, LOYALTY_PAGE, AdwBin)

/* Works on @session's shop and follows what it announces; NULL shows nothing. */
void        crm_loyalty_page_set_session    (CrmLoyaltyPage *self,
                                             CrmSession     *session);
void        crm_loyalty_page_set_folded     (CrmLoyaltyPage *self,
                                             gboolean        folded);
/* Re-reads the ledger and the liability (in the background). */
void        crm_loyalty_page_reload         (CrmLoyaltyPage *self);
gboolean    crm_loyalty_page_get_loading    (CrmLoyaltyPage *self);
/* "3 entries", and the points outstanding as shown ("1,250"). */
const char *crm_loyalty_page_get_count_text (CrmLoyaltyPage *self);
const char *crm_loyalty_page_get_outstanding_text (CrmLoyaltyPage *self);

G_END_DECLS

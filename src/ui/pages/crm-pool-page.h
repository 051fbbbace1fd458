/* crm-pool-page.h: the Pool section (客户公海) — the customers without an owner, most recently
 * active first, each with Claim for the sales rep chosen at the top (the operator of
 * Preferences by default); Return Inactive puts the customers without activity for the
 * configured days back.  A row opens its customer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-session.h"

G_BEGIN_DECLS

#define CRM_TYPE_POOL_PAGE (crm_pool_page_get_type ())
G_DECLARE_FINAL_TYPE (CrmPoolPage, crm_pool_page, CRM, POOL_PAGE, AdwBin)

void        crm_pool_page_set_session   (CrmPoolPage *self,
                                         CrmSession  *session);
void        crm_pool_page_set_folded    (CrmPoolPage *self,
                                         gboolean     folded);
void        crm_pool_page_reload        (CrmPoolPage *self);

/* For tests: whether a read is running; the customer rows (AdwActionRow with a Claim button). */
gboolean    crm_pool_page_get_loading   (CrmPoolPage *self);
GPtrArray  *crm_pool_page_get_rows      (CrmPoolPage *self);

G_END_DECLS

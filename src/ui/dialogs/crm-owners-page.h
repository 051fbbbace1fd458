/* crm-owners-page.h: Preferences → Sales — who the person at this computer is (the operator
 * owner, a GSettings key), the managed list of owners (add one), and the days after which an
 * inactive customer returns to the pool (a setting of the database).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-session.h"

G_BEGIN_DECLS

#define CRM_TYPE_OWNERS_PAGE (crm_owners_page_get_type ())
G_DECLARE_FINAL_TYPE (CrmOwnersPage, crm_owners_page, CRM, OWNERS_PAGE, AdwPreferencesPage)

CrmOwnersPage *crm_owners_page_new (CrmSession *session);

G_END_DECLS

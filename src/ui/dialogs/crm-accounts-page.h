/* crm-accounts-page.h: Preferences → Accounts — the sync accounts of the open database: add a
 * CardDAV address book (its connection tested first if wanted), sync one now, remove one.  The keyring and
 * the network are reached through CrmJobs (crm-sync.h), never from the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-session.h"

G_BEGIN_DECLS

#define CRM_TYPE_ACCOUNTS_PAGE (crm_accounts_page_get_type ())
G_DECLARE_FINAL_TYPE (CrmAccountsPage, crm_accounts_page, CRM, ACCOUNTS_PAGE, AdwPreferencesPage)

CrmAccountsPage *crm_accounts_page_new (CrmSession *session);

G_END_DECLS

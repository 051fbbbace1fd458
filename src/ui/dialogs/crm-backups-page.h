/* crm-backups-page.h: Preferences → Backups — the folder, interval and number of scheduled
 * backups (GSettings), the passphrase (kept in the keyring, never shown again), "Back Up Now"
 * and "Restore…".  Every backup, restore and keyring call runs as a CrmJob (crm-backup.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-session.h"

G_BEGIN_DECLS

#define CRM_TYPE_BACKUPS_PAGE (crm_backups_page_get_type ())
G_DECLARE_FINAL_TYPE (CrmBackupsPage, crm_backups_page, CRM, BACKUPS_PAGE, AdwPreferencesPage)

CrmBackupsPage *crm_backups_page_new (CrmSession *session,
                                      GSettings  *settings);

G_END_DECLS

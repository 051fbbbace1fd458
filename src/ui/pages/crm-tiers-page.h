/* crm-tiers-page.h: the Tiers section — tiers by rank with their rules and
 * members, editing, the lifecycle limits and customers per stage, who moved
 * at the last recompute, and "Recompute Now".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-session.h"
#include "crm-store.h"
#include "crm-tier-editor.h"
#include "crm-tier.h"

G_BEGIN_DECLS

#define CRM_TYPE_TIERS_PAGE (crm_tiers_page_get_type ())
G_DECLARE_FINAL_TYPE (CrmTiersPage, crm_tiers_page, CRM, TIERS_PAGE, AdwBin)

/* Works on @session's shop and follows what it announces; NULL shows nothing.  A shop with
 * customers but no scores yet gets its first recompute. */
void           crm_tiers_page_set_session    (CrmTiersPage *self,
                                              CrmSession   *session);
void           crm_tiers_page_set_folded     (CrmTiersPage *self,
                                              gboolean      folded);
/* Re-reads tiers, members and moves (in the background). */
void           crm_tiers_page_reload         (CrmTiersPage *self);
/* TRUE while tiers, members or moves are being read. */
gboolean       crm_tiers_page_get_loading    (CrmTiersPage *self);
/* Starts a full recompute in the background (progress and Cancel on the
 * page); FALSE if one is running or there is no database.  The session
 * announces it when it has committed. */
gboolean       crm_tiers_page_recompute      (CrmTiersPage *self);
gboolean       crm_tiers_page_get_recomputing (CrmTiersPage *self);
/* Opens the editor for @tier (NULL: a new tier). */
CrmTierEditor *crm_tiers_page_edit_tier      (CrmTiersPage *self,
                                              CrmTier      *tier);
gboolean       crm_tiers_page_delete_tier    (CrmTiersPage *self,
                                              CrmTier      *tier,
                                              GError      **error);
/* Puts the lifecycle limits back to their defaults, saves them and recomputes. */
void           crm_tiers_page_reset_lifecycle (CrmTiersPage *self);

G_END_DECLS

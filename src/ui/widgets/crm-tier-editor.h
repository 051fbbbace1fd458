/* crm-tier-editor.h: a dialog to edit or create a tier — name, rank, colour,
 * rule (minimum spend and orders, RFM condition, all/any), benefits, points.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-store.h"
#include "crm-tier.h"

G_BEGIN_DECLS

#define CRM_TYPE_TIER_EDITOR (crm_tier_editor_get_type ())
G_DECLARE_FINAL_TYPE (CrmTierEditor, crm_tier_editor, CRM, TIER_EDITOR, AdwWindow)

/* @tier: the tier to edit (a copy is edited), or NULL for a new one.
 * @currency: of the minimum spend. */
CrmTierEditor *crm_tier_editor_new       (GtkWindow     *parent,
                                          CrmStore      *store,
                                          CrmTier       *tier,
                                          const char    *currency);
/* For tests: the entry of CRM_TIER_NAME, _MIN_SPEND, _RFM_RULE or _BENEFITS. */
GtkEditable   *crm_tier_editor_get_entry (CrmTierEditor *self,
                                          CrmTierField   field);
/* What is wrong, as shown in the dialog; NULL when it can be saved. */
const char    *crm_tier_editor_get_error (CrmTierEditor *self);
/* Stores the tier and closes the dialog. */
gboolean       crm_tier_editor_save      (CrmTierEditor *self,
                                          GError       **error);

G_END_DECLS

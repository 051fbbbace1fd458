/* crm-tier.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-entity.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_TIER_NAME,
  CRM_TIER_RANK,
  CRM_TIER_COLOR,
  CRM_TIER_MIN_SPEND,
  CRM_TIER_MIN_ORDERS,
  CRM_TIER_WINDOW_DAYS,
  CRM_TIER_RFM_RULE,
  CRM_TIER_MATCH_ANY,
  CRM_TIER_BENEFITS,
  CRM_TIER_POINTS_MULTIPLIER,
  CRM_TIER_PRESET,
  CRM_TIER_N_FIELDS
} CrmTierField;

#define CRM_TYPE_TIER (crm_tier_get_type ())
G_DECLARE_FINAL_TYPE (CrmTier, crm_tier, CRM, TIER, CrmEntity)

CrmTier *crm_tier_new (void);

CRM_ENTITY_DECLARE_STRING (CrmTier, crm_tier, name)
CRM_ENTITY_DECLARE_INT64 (CrmTier, crm_tier, rank)
CRM_ENTITY_DECLARE_STRING (CrmTier, crm_tier, color)
CRM_ENTITY_DECLARE_INT64 (CrmTier, crm_tier, min_spend)
CRM_ENTITY_DECLARE_INT64 (CrmTier, crm_tier, min_orders)
CRM_ENTITY_DECLARE_INT64 (CrmTier, crm_tier, window_days)
CRM_ENTITY_DECLARE_STRING (CrmTier, crm_tier, rfm_rule)
CRM_ENTITY_DECLARE_BOOLEAN (CrmTier, crm_tier, match_any)
CRM_ENTITY_DECLARE_STRING (CrmTier, crm_tier, benefits)
CRM_ENTITY_DECLARE_DOUBLE (CrmTier, crm_tier, points_multiplier)
CRM_ENTITY_DECLARE_STRING (CrmTier, crm_tier, preset)

/* The built-in tiers (crm_tiers_ensure_default()) carry a preset key ("regular", "silver",
 * "gold", "vip").  While a tier keeps it, its name and benefits show in the language of the
 * user interface, whichever language made them; crm_tier_set_texts() drops it when the user
 * gives the tier texts of their own. */
const char *crm_tier_preset_name         (const char *key);   /* translated; NULL if unknown */
const char *crm_tier_preset_benefits     (const char *key);   /* translated; NULL if unknown */
const char *crm_tier_get_display_name    (CrmTier    *self);
const char *crm_tier_get_display_benefits (CrmTier   *self);
void        crm_tier_set_texts           (CrmTier    *self,
                                          const char *name,
                                          const char *benefits);

G_END_DECLS

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

G_END_DECLS

/* crm-tier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-tier.h"

#include <glib/gi18n-lib.h>

/* In the order of CrmTierField; the column names follow the property names. */
static const CrmField fields[] = {
  { "name", G_TYPE_STRING, 100, CRM_FIELD_FLAG_REQUIRED, N_("Name") },
  { "rank", G_TYPE_INT, 0, CRM_FIELD_FLAG_NONE, N_("Rank") },
  { "color", G_TYPE_STRING, 20, CRM_FIELD_FLAG_NONE, N_("Colour") },
  { "min-spend", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Minimum spend") },
  { "min-orders", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Minimum orders") },
  { "window-days", G_TYPE_INT, 0, CRM_FIELD_FLAG_NONE, N_("Window (days)"), 365 },
  { "rfm-rule", G_TYPE_STRING, 200, CRM_FIELD_FLAG_NONE, N_("RFM condition") },
  { "match-any", G_TYPE_BOOLEAN, 0, CRM_FIELD_FLAG_NONE, N_("Any condition is enough") },
  { "benefits", G_TYPE_STRING, 2000, CRM_FIELD_FLAG_NONE, N_("Benefits") },
  { "points-multiplier", G_TYPE_DOUBLE, 0, CRM_FIELD_FLAG_NONE, N_("Points multiplier"), 1.0 },
};

G_STATIC_ASSERT (G_N_ELEMENTS (fields) == CRM_TIER_N_FIELDS);

CRM_ENTITY_DEFINE_MODEL (CrmTier, crm_tier, "tiers", "tier", fields)

CRM_ENTITY_DEFINE_STRING (CrmTier, crm_tier, name, CRM_TIER_NAME)
CRM_ENTITY_DEFINE_INT64 (CrmTier, crm_tier, rank, CRM_TIER_RANK)
CRM_ENTITY_DEFINE_STRING (CrmTier, crm_tier, color, CRM_TIER_COLOR)
CRM_ENTITY_DEFINE_INT64 (CrmTier, crm_tier, min_spend, CRM_TIER_MIN_SPEND)
CRM_ENTITY_DEFINE_INT64 (CrmTier, crm_tier, min_orders, CRM_TIER_MIN_ORDERS)
CRM_ENTITY_DEFINE_INT64 (CrmTier, crm_tier, window_days, CRM_TIER_WINDOW_DAYS)
CRM_ENTITY_DEFINE_STRING (CrmTier, crm_tier, rfm_rule, CRM_TIER_RFM_RULE)
CRM_ENTITY_DEFINE_BOOLEAN (CrmTier, crm_tier, match_any, CRM_TIER_MATCH_ANY)
CRM_ENTITY_DEFINE_STRING (CrmTier, crm_tier, benefits, CRM_TIER_BENEFITS)
CRM_ENTITY_DEFINE_DOUBLE (CrmTier, crm_tier, points_multiplier, CRM_TIER_POINTS_MULTIPLIER)

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
  { "preset", G_TYPE_STRING, 20, CRM_FIELD_FLAG_NONE, N_("Built-in tier") },
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
CRM_ENTITY_DEFINE_STRING (CrmTier, crm_tier, preset, CRM_TIER_PRESET)

static const struct
{
  const char *key;
  const char *name;
  const char *benefits;
} presets[] = {
  /* Translators: the base member tier (普通会员) */
  { "regular", N_("Regular"), N_("Points on every purchase") },
  /* Translators: the second member tier (银卡会员) */
  { "silver", N_("Silver"), N_("5% birthday coupon, 1.2× points") },
  /* Translators: the third member tier (金卡会员) */
  { "gold", N_("Gold"),
    /* xgettext:no-c-format */
    N_("10% off twice a year, free shipping, 1.5× points") },
  { "vip", N_("VIP"), N_("Personal contact, early access, 2× points") },
};

static int
preset_index (const char *key)
{
  for (guint i = 0; key != NULL && i < G_N_ELEMENTS (presets); i++)
    if (g_str_equal (key, presets[i].key))
      return i;
  return -1;
}

const char *
crm_tier_preset_name (const char *key)
{
  int i = preset_index (key);

  return i >= 0 ? _(presets[i].name) : NULL;
}

const char *
crm_tier_preset_benefits (const char *key)
{
  int i = preset_index (key);

  return i >= 0 ? _(presets[i].benefits) : NULL;
}

const char *
crm_tier_get_display_name (CrmTier *self)
{
  const char *name = crm_tier_preset_name (crm_tier_get_preset (self));

  return name != NULL ? name : crm_tier_get_name (self);
}

const char *
crm_tier_get_display_benefits (CrmTier *self)
{
  const char *benefits = crm_tier_preset_benefits (crm_tier_get_preset (self));

  return benefits != NULL ? benefits : crm_tier_get_benefits (self);
}

/* Texts from the tier editor: the shown ones unchanged keep a built-in tier built in. */
void
crm_tier_set_texts (CrmTier    *self,
                    const char *name,
                    const char *benefits)
{
  if (preset_index (crm_tier_get_preset (self)) >= 0 &&
      g_strcmp0 (name, crm_tier_get_display_name (self)) == 0 &&
      g_strcmp0 (benefits, crm_tier_get_display_benefits (self)) == 0)
    return;

  crm_tier_set_name (self, name);
  crm_tier_set_benefits (self, benefits);
  crm_tier_set_preset (self, NULL);
}

/* crm-interaction.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-interaction.h"

#include <glib/gi18n-lib.h>

/* In the order of CrmInteractionField; the column names follow the property names. */
static const CrmField fields[] = {
  { "customer-id", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Customer") },
  { "channel", G_TYPE_STRING, 30, CRM_FIELD_FLAG_NONE, N_("Channel") },
  { "direction", G_TYPE_STRING, 10, CRM_FIELD_FLAG_NONE, N_("Direction") },
  { "subject", G_TYPE_STRING, 300, CRM_FIELD_FLAG_NONE, N_("Summary") },
  { "body", G_TYPE_STRING, 100000, CRM_FIELD_FLAG_NONE, N_("Notes") },
  { "occurred-at", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("When") },
  { "follow-up-at", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Follow up") },
  { "owner", G_TYPE_STRING, 100, CRM_FIELD_FLAG_NONE, N_("Sales rep") },
  /* Schema 6. */
  { "logged-by", G_TYPE_STRING, 100, CRM_FIELD_FLAG_NONE, N_("Logged by") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (fields) == CRM_INTERACTION_N_FIELDS);

CRM_ENTITY_DEFINE_MODEL (CrmInteraction, crm_interaction, "interactions", "interaction", fields)

CRM_ENTITY_DEFINE_INT64 (CrmInteraction, crm_interaction, customer_id, CRM_INTERACTION_CUSTOMER_ID)
CRM_ENTITY_DEFINE_STRING (CrmInteraction, crm_interaction, channel, CRM_INTERACTION_CHANNEL)
CRM_ENTITY_DEFINE_STRING (CrmInteraction, crm_interaction, direction, CRM_INTERACTION_DIRECTION)
CRM_ENTITY_DEFINE_STRING (CrmInteraction, crm_interaction, subject, CRM_INTERACTION_SUBJECT)
CRM_ENTITY_DEFINE_STRING (CrmInteraction, crm_interaction, body, CRM_INTERACTION_BODY)
CRM_ENTITY_DEFINE_INT64 (CrmInteraction, crm_interaction, occurred_at, CRM_INTERACTION_OCCURRED_AT)
CRM_ENTITY_DEFINE_INT64 (CrmInteraction, crm_interaction, follow_up_at, CRM_INTERACTION_FOLLOW_UP_AT)
CRM_ENTITY_DEFINE_STRING (CrmInteraction, crm_interaction, owner, CRM_INTERACTION_OWNER)
CRM_ENTITY_DEFINE_STRING (CrmInteraction, crm_interaction, logged_by, CRM_INTERACTION_LOGGED_BY)

static const char *const channel_keys[] = { "phone", "email", "visit", "chat", "wechat", "social", "note", NULL };
static const char *const channel_labels[] = {
  N_("Phone"), N_("E-mail"), N_("Visit"), N_("Chat"), N_("WeChat"), N_("Social media"), N_("Note")
};

G_STATIC_ASSERT (G_N_ELEMENTS (channel_keys) == G_N_ELEMENTS (channel_labels) + 1);

const char * const *
crm_interaction_channels (void)
{
  return channel_keys;
}

gboolean
crm_interaction_channel_is_known (const char *channel)
{
  return channel != NULL && g_strv_contains (channel_keys, channel);
}

const char *
crm_interaction_channel_get_label (const char *channel)
{
  for (guint i = 0; channel_keys[i] != NULL; i++)
    if (g_strcmp0 (channel, channel_keys[i]) == 0)
      return _(channel_labels[i]);
  return channel;
}

gboolean
crm_interaction_direction_is_known (const char *direction)
{
  return direction == NULL || g_str_equal (direction, "in") || g_str_equal (direction, "out");
}

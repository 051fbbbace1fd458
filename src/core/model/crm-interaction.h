/* crm-interaction.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-entity.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_INTERACTION_CUSTOMER_ID,
  CRM_INTERACTION_CHANNEL,
  CRM_INTERACTION_DIRECTION,
  CRM_INTERACTION_SUBJECT,
  CRM_INTERACTION_BODY,
  CRM_INTERACTION_OCCURRED_AT,
  CRM_INTERACTION_FOLLOW_UP_AT,
  CRM_INTERACTION_OWNER,
  CRM_INTERACTION_LOGGED_BY,
  CRM_INTERACTION_N_FIELDS
} CrmInteractionField;

#define CRM_TYPE_INTERACTION (crm_interaction_get_type ())
G_DECLARE_FINAL_TYPE (CrmInteraction, crm_interaction, CRM, INTERACTION, CrmEntity)

CrmInteraction *crm_interaction_new (void);

CRM_ENTITY_DECLARE_INT64 (CrmInteraction, crm_interaction, customer_id)
CRM_ENTITY_DECLARE_STRING (CrmInteraction, crm_interaction, channel)
CRM_ENTITY_DECLARE_STRING (CrmInteraction, crm_interaction, direction)
/* The summary of the contact, one line; body holds longer notes. */
CRM_ENTITY_DECLARE_STRING (CrmInteraction, crm_interaction, subject)
CRM_ENTITY_DECLARE_STRING (CrmInteraction, crm_interaction, body)
CRM_ENTITY_DECLARE_INT64 (CrmInteraction, crm_interaction, occurred_at)
CRM_ENTITY_DECLARE_INT64 (CrmInteraction, crm_interaction, follow_up_at)
CRM_ENTITY_DECLARE_STRING (CrmInteraction, crm_interaction, owner)
/* Who entered it: the user name of the account that logged it. */
CRM_ENTITY_DECLARE_STRING (CrmInteraction, crm_interaction, logged_by)

/* The channels a contact can come through, as stored: "phone", "email", "visit", "chat",
 * "wechat", "social", "note" (NULL-terminated), and their labels. */
const char * const *crm_interaction_channels          (void);
gboolean            crm_interaction_channel_is_known  (const char *channel);
const char         *crm_interaction_channel_get_label (const char *channel);
/* "in" (the customer reached out), "out" (the shop did), or NULL (a note). */
gboolean            crm_interaction_direction_is_known (const char *direction);

G_END_DECLS

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
  CRM_INTERACTION_N_FIELDS
} CrmInteractionField;

#define CRM_TYPE_INTERACTION (crm_interaction_get_type ())
G_DECLARE_FINAL_TYPE (CrmInteraction, crm_interaction, CRM, INTERACTION, CrmEntity)

CrmInteraction *crm_interaction_new (void);

CRM_ENTITY_DECLARE_INT64 (CrmInteraction, crm_interaction, customer_id)
CRM_ENTITY_DECLARE_STRING (CrmInteraction, crm_interaction, channel)
CRM_ENTITY_DECLARE_STRING (CrmInteraction, crm_interaction, direction)
CRM_ENTITY_DECLARE_STRING (CrmInteraction, crm_interaction, subject)
CRM_ENTITY_DECLARE_STRING (CrmInteraction, crm_interaction, body)
CRM_ENTITY_DECLARE_INT64 (CrmInteraction, crm_interaction, occurred_at)
CRM_ENTITY_DECLARE_INT64 (CrmInteraction, crm_interaction, follow_up_at)
CRM_ENTITY_DECLARE_STRING (CrmInteraction, crm_interaction, owner)

G_END_DECLS

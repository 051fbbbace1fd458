/* crm-feedback.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-entity.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_FEEDBACK_CUSTOMER_ID,
  CRM_FEEDBACK_KIND,
  CRM_FEEDBACK_SCORE,
  CRM_FEEDBACK_COMMENT,
  CRM_FEEDBACK_STATUS,
  CRM_FEEDBACK_CHANNEL,
  CRM_FEEDBACK_RESOLUTION,
  CRM_FEEDBACK_RESOLVED_AT,
  CRM_FEEDBACK_RECEIVED_AT,
  CRM_FEEDBACK_SOURCE,
  CRM_FEEDBACK_ORDER_ID,
  CRM_FEEDBACK_PRIORITY,
  CRM_FEEDBACK_ASSIGNEE,
  CRM_FEEDBACK_DUE_AT,
  CRM_FEEDBACK_N_FIELDS
} CrmFeedbackField;

#define CRM_TYPE_FEEDBACK (crm_feedback_get_type ())
G_DECLARE_FINAL_TYPE (CrmFeedback, crm_feedback, CRM, FEEDBACK, CrmEntity)

CrmFeedback *crm_feedback_new (void);

CRM_ENTITY_DECLARE_INT64 (CrmFeedback, crm_feedback, customer_id)
CRM_ENTITY_DECLARE_STRING (CrmFeedback, crm_feedback, kind)
CRM_ENTITY_DECLARE_INT64 (CrmFeedback, crm_feedback, score)
CRM_ENTITY_DECLARE_STRING (CrmFeedback, crm_feedback, comment)
CRM_ENTITY_DECLARE_STRING (CrmFeedback, crm_feedback, status)
CRM_ENTITY_DECLARE_STRING (CrmFeedback, crm_feedback, channel)
CRM_ENTITY_DECLARE_STRING (CrmFeedback, crm_feedback, resolution)
CRM_ENTITY_DECLARE_INT64 (CrmFeedback, crm_feedback, resolved_at)
CRM_ENTITY_DECLARE_INT64 (CrmFeedback, crm_feedback, received_at)
CRM_ENTITY_DECLARE_STRING (CrmFeedback, crm_feedback, source)
CRM_ENTITY_DECLARE_INT64 (CrmFeedback, crm_feedback, order_id)
CRM_ENTITY_DECLARE_STRING (CrmFeedback, crm_feedback, priority)
CRM_ENTITY_DECLARE_STRING (CrmFeedback, crm_feedback, assignee)
CRM_ENTITY_DECLARE_INT64 (CrmFeedback, crm_feedback, due_at)

G_END_DECLS

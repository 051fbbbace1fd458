/* crm-feedback.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-feedback.h"

#include <glib/gi18n-lib.h>

/* In the order of CrmFeedbackField; the column names follow the property names. */
static const CrmField fields[] = {
  { "customer-id", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Customer") },
  { "kind", G_TYPE_STRING, 30, CRM_FIELD_FLAG_NONE, N_("Kind") },
  { "score", G_TYPE_INT, 0, CRM_FIELD_FLAG_NONE, N_("Score") },
  { "comment", G_TYPE_STRING, 10000, CRM_FIELD_FLAG_NONE, N_("Comment") },
  { "status", G_TYPE_STRING, 30, CRM_FIELD_FLAG_NONE, N_("Status") },
  { "channel", G_TYPE_STRING, 30, CRM_FIELD_FLAG_NONE, N_("Channel") },
  { "resolution", G_TYPE_STRING, 10000, CRM_FIELD_FLAG_NONE, N_("Resolution") },
  { "resolved-at", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Resolved") },
  /* Schema 10 (the workflow, crm-feedback-service.c). */
  { "received-at", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Received") },
  { "source", G_TYPE_STRING, 100, CRM_FIELD_FLAG_NONE, N_("Source") },
  { "order-id", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Order") },
  { "priority", G_TYPE_STRING, 10, CRM_FIELD_FLAG_NONE, N_("Priority") },
  { "assignee", G_TYPE_STRING, 100, CRM_FIELD_FLAG_NONE, N_("Assignee") },
  { "due-at", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Due") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (fields) == CRM_FEEDBACK_N_FIELDS);

CRM_ENTITY_DEFINE_MODEL (CrmFeedback, crm_feedback, "feedback", "feedback", fields)

CRM_ENTITY_DEFINE_INT64 (CrmFeedback, crm_feedback, customer_id, CRM_FEEDBACK_CUSTOMER_ID)
CRM_ENTITY_DEFINE_STRING (CrmFeedback, crm_feedback, kind, CRM_FEEDBACK_KIND)
CRM_ENTITY_DEFINE_INT64 (CrmFeedback, crm_feedback, score, CRM_FEEDBACK_SCORE)
CRM_ENTITY_DEFINE_STRING (CrmFeedback, crm_feedback, comment, CRM_FEEDBACK_COMMENT)
CRM_ENTITY_DEFINE_STRING (CrmFeedback, crm_feedback, status, CRM_FEEDBACK_STATUS)
CRM_ENTITY_DEFINE_STRING (CrmFeedback, crm_feedback, channel, CRM_FEEDBACK_CHANNEL)
CRM_ENTITY_DEFINE_STRING (CrmFeedback, crm_feedback, resolution, CRM_FEEDBACK_RESOLUTION)
CRM_ENTITY_DEFINE_INT64 (CrmFeedback, crm_feedback, resolved_at, CRM_FEEDBACK_RESOLVED_AT)
CRM_ENTITY_DEFINE_INT64 (CrmFeedback, crm_feedback, received_at, CRM_FEEDBACK_RECEIVED_AT)
CRM_ENTITY_DEFINE_STRING (CrmFeedback, crm_feedback, source, CRM_FEEDBACK_SOURCE)
CRM_ENTITY_DEFINE_INT64 (CrmFeedback, crm_feedback, order_id, CRM_FEEDBACK_ORDER_ID)
CRM_ENTITY_DEFINE_STRING (CrmFeedback, crm_feedback, priority, CRM_FEEDBACK_PRIORITY)
CRM_ENTITY_DEFINE_STRING (CrmFeedback, crm_feedback, assignee, CRM_FEEDBACK_ASSIGNEE)
CRM_ENTITY_DEFINE_INT64 (CrmFeedback, crm_feedback, due_at, CRM_FEEDBACK_DUE_AT)

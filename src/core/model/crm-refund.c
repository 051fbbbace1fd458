/* crm-refund.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-refund.h"

#include <glib/gi18n-lib.h>

/* In the order of CrmRefundField; the column names follow the property names. */
static const CrmField fields[] = {
  { "order-id", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Order") },
  { "amount", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Amount") },
  { "reason", G_TYPE_STRING, 1000, CRM_FIELD_FLAG_NONE, N_("Reason") },
  { "refunded-at", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Refunded") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (fields) == CRM_REFUND_N_FIELDS);

CRM_ENTITY_DEFINE_MODEL (CrmRefund, crm_refund, "refunds", "refund", fields)

CRM_ENTITY_DEFINE_INT64 (CrmRefund, crm_refund, order_id, CRM_REFUND_ORDER_ID)
CRM_ENTITY_DEFINE_INT64 (CrmRefund, crm_refund, amount, CRM_REFUND_AMOUNT)
CRM_ENTITY_DEFINE_STRING (CrmRefund, crm_refund, reason, CRM_REFUND_REASON)
CRM_ENTITY_DEFINE_INT64 (CrmRefund, crm_refund, refunded_at, CRM_REFUND_REFUNDED_AT)

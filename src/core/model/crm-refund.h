/* crm-refund.h: money given back on an order, whole or in part, as a record of its own
 * (crm_sales_refund() writes it and keeps the order and the customer's totals).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-entity.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_REFUND_ORDER_ID,
  CRM_REFUND_AMOUNT,
  CRM_REFUND_REASON,
  CRM_REFUND_REFUNDED_AT,
  CRM_REFUND_N_FIELDS
} CrmRefundField;

#define CRM_TYPE_REFUND (crm_refund_get_type ())
G_DECLARE_FINAL_TYPE (CrmRefund, crm_refund, CRM, REFUND, CrmEntity)

CrmRefund *crm_refund_new (void);

CRM_ENTITY_DECLARE_INT64 (CrmRefund, crm_refund, order_id)
/* In the order's currency, minor units; more than 0. */
CRM_ENTITY_DECLARE_INT64 (CrmRefund, crm_refund, amount)
CRM_ENTITY_DECLARE_STRING (CrmRefund, crm_refund, reason)
CRM_ENTITY_DECLARE_INT64 (CrmRefund, crm_refund, refunded_at)

G_END_DECLS

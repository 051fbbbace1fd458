/* crm-order.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-entity.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_ORDER_CUSTOMER_ID,
  CRM_ORDER_NUMBER,
  CRM_ORDER_PLACED_AT,
  CRM_ORDER_STATUS,
  CRM_ORDER_CHANNEL,
  CRM_ORDER_CURRENCY,
  CRM_ORDER_SUBTOTAL,
  CRM_ORDER_DISCOUNT,
  CRM_ORDER_SHIPPING,
  CRM_ORDER_TAX,
  CRM_ORDER_TOTAL,
  CRM_ORDER_EXTERNAL_ID,
  CRM_ORDER_NOTES,
  CRM_ORDER_PAYMENT_METHOD,
  CRM_ORDER_REFUNDED,
  CRM_ORDER_N_FIELDS
} CrmOrderField;

#define CRM_TYPE_ORDER (crm_order_get_type ())
G_DECLARE_FINAL_TYPE (CrmOrder, crm_order, CRM, ORDER, CrmEntity)

CrmOrder *crm_order_new (void);

CRM_ENTITY_DECLARE_INT64 (CrmOrder, crm_order, customer_id)
CRM_ENTITY_DECLARE_STRING (CrmOrder, crm_order, number)
CRM_ENTITY_DECLARE_INT64 (CrmOrder, crm_order, placed_at)
CRM_ENTITY_DECLARE_STRING (CrmOrder, crm_order, status)
CRM_ENTITY_DECLARE_STRING (CrmOrder, crm_order, channel)
CRM_ENTITY_DECLARE_STRING (CrmOrder, crm_order, currency)
CRM_ENTITY_DECLARE_INT64 (CrmOrder, crm_order, subtotal)
CRM_ENTITY_DECLARE_INT64 (CrmOrder, crm_order, discount)
CRM_ENTITY_DECLARE_INT64 (CrmOrder, crm_order, shipping)
CRM_ENTITY_DECLARE_INT64 (CrmOrder, crm_order, tax)
CRM_ENTITY_DECLARE_INT64 (CrmOrder, crm_order, total)
CRM_ENTITY_DECLARE_STRING (CrmOrder, crm_order, external_id)
CRM_ENTITY_DECLARE_STRING (CrmOrder, crm_order, notes)
CRM_ENTITY_DECLARE_STRING (CrmOrder, crm_order, payment_method)
/* What was refunded of the order (crm-sales.c); total is what the customer paid net of it. */
CRM_ENTITY_DECLARE_INT64 (CrmOrder, crm_order, refunded)

G_END_DECLS

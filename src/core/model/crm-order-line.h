/* crm-order-line.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-entity.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_ORDER_LINE_ORDER_ID,
  CRM_ORDER_LINE_SKU,
  CRM_ORDER_LINE_PRODUCT,
  CRM_ORDER_LINE_CATEGORY,
  CRM_ORDER_LINE_QUANTITY,
  CRM_ORDER_LINE_UNIT_PRICE,
  CRM_ORDER_LINE_AMOUNT,
  CRM_ORDER_LINE_N_FIELDS
} CrmOrderLineField;

#define CRM_TYPE_ORDER_LINE (crm_order_line_get_type ())
G_DECLARE_FINAL_TYPE (CrmOrderLine, crm_order_line, CRM, ORDER_LINE, CrmEntity)

CrmOrderLine *crm_order_line_new (void);

CRM_ENTITY_DECLARE_INT64 (CrmOrderLine, crm_order_line, order_id)
CRM_ENTITY_DECLARE_STRING (CrmOrderLine, crm_order_line, sku)
CRM_ENTITY_DECLARE_STRING (CrmOrderLine, crm_order_line, product)
CRM_ENTITY_DECLARE_STRING (CrmOrderLine, crm_order_line, category)
CRM_ENTITY_DECLARE_INT64 (CrmOrderLine, crm_order_line, quantity)
CRM_ENTITY_DECLARE_INT64 (CrmOrderLine, crm_order_line, unit_price)
CRM_ENTITY_DECLARE_INT64 (CrmOrderLine, crm_order_line, amount)

G_END_DECLS

/* crm-order-line.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-order-line.h"

#include <glib/gi18n-lib.h>

/* In the order of CrmOrderLineField; the column names follow the property names. */
static const CrmField fields[] = {
  { "order-id", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Order") },
  { "sku", G_TYPE_STRING, 100, CRM_FIELD_FLAG_NONE, N_("SKU") },
  { "product", G_TYPE_STRING, 300, CRM_FIELD_FLAG_NONE, N_("Product") },
  { "category", G_TYPE_STRING, 100, CRM_FIELD_FLAG_NONE, N_("Category") },
  { "quantity", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Quantity"), 1 },
  { "unit-price", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Unit price") },
  { "amount", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Amount") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (fields) == CRM_ORDER_LINE_N_FIELDS);

CRM_ENTITY_DEFINE_MODEL (CrmOrderLine, crm_order_line, "order_lines", "order_line", fields)

CRM_ENTITY_DEFINE_INT64 (CrmOrderLine, crm_order_line, order_id, CRM_ORDER_LINE_ORDER_ID)
CRM_ENTITY_DEFINE_STRING (CrmOrderLine, crm_order_line, sku, CRM_ORDER_LINE_SKU)
CRM_ENTITY_DEFINE_STRING (CrmOrderLine, crm_order_line, product, CRM_ORDER_LINE_PRODUCT)
CRM_ENTITY_DEFINE_STRING (CrmOrderLine, crm_order_line, category, CRM_ORDER_LINE_CATEGORY)
CRM_ENTITY_DEFINE_INT64 (CrmOrderLine, crm_order_line, quantity, CRM_ORDER_LINE_QUANTITY)
CRM_ENTITY_DEFINE_INT64 (CrmOrderLine, crm_order_line, unit_price, CRM_ORDER_LINE_UNIT_PRICE)
CRM_ENTITY_DEFINE_INT64 (CrmOrderLine, crm_order_line, amount, CRM_ORDER_LINE_AMOUNT)

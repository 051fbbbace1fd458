/* crm-order.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-order.h"

#include <glib/gi18n-lib.h>

/* In the order of CrmOrderField; the column names follow the property names. */
static const CrmField fields[] = {
  { "customer-id", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Customer") },
  { "number", G_TYPE_STRING, 100, CRM_FIELD_FLAG_NONE, N_("Order number") },
  { "placed-at", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Placed") },
  { "status", G_TYPE_STRING, 30, CRM_FIELD_FLAG_NONE, N_("Status") },
  { "channel", G_TYPE_STRING, 50, CRM_FIELD_FLAG_NONE, N_("Channel") },
  { "currency", G_TYPE_STRING, 3, CRM_FIELD_FLAG_NONE, N_("Currency") },
  { "subtotal", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Subtotal") },
  { "discount", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Discount") },
  { "shipping", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Shipping") },
  { "tax", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Tax") },
  { "total", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Total") },
  { "external-id", G_TYPE_STRING, 200, CRM_FIELD_FLAG_NONE, N_("External ID") },
  { "notes", G_TYPE_STRING, 10000, CRM_FIELD_FLAG_NONE, N_("Notes") },
  /* Schema 6. */
  { "payment-method", G_TYPE_STRING, 50, CRM_FIELD_FLAG_NONE, N_("Payment method") },
  /* Kept by the refunds (crm_sales_refund()), never written from the object. */
  { "refunded", G_TYPE_INT64, 0, CRM_FIELD_FLAG_COMPUTED, N_("Refunded") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (fields) == CRM_ORDER_N_FIELDS);

CRM_ENTITY_DEFINE_MODEL (CrmOrder, crm_order, "orders", "order", fields)

CRM_ENTITY_DEFINE_INT64 (CrmOrder, crm_order, customer_id, CRM_ORDER_CUSTOMER_ID)
CRM_ENTITY_DEFINE_STRING (CrmOrder, crm_order, number, CRM_ORDER_NUMBER)
CRM_ENTITY_DEFINE_INT64 (CrmOrder, crm_order, placed_at, CRM_ORDER_PLACED_AT)
CRM_ENTITY_DEFINE_STRING (CrmOrder, crm_order, status, CRM_ORDER_STATUS)
CRM_ENTITY_DEFINE_STRING (CrmOrder, crm_order, channel, CRM_ORDER_CHANNEL)
CRM_ENTITY_DEFINE_STRING (CrmOrder, crm_order, currency, CRM_ORDER_CURRENCY)
CRM_ENTITY_DEFINE_INT64 (CrmOrder, crm_order, subtotal, CRM_ORDER_SUBTOTAL)
CRM_ENTITY_DEFINE_INT64 (CrmOrder, crm_order, discount, CRM_ORDER_DISCOUNT)
CRM_ENTITY_DEFINE_INT64 (CrmOrder, crm_order, shipping, CRM_ORDER_SHIPPING)
CRM_ENTITY_DEFINE_INT64 (CrmOrder, crm_order, tax, CRM_ORDER_TAX)
CRM_ENTITY_DEFINE_INT64 (CrmOrder, crm_order, total, CRM_ORDER_TOTAL)
CRM_ENTITY_DEFINE_STRING (CrmOrder, crm_order, external_id, CRM_ORDER_EXTERNAL_ID)
CRM_ENTITY_DEFINE_STRING (CrmOrder, crm_order, notes, CRM_ORDER_NOTES)
CRM_ENTITY_DEFINE_STRING (CrmOrder, crm_order, payment_method, CRM_ORDER_PAYMENT_METHOD)
CRM_ENTITY_DEFINE_INT64 (CrmOrder, crm_order, refunded, CRM_ORDER_REFUNDED)

/* crm-sales.h: a sale recorded by hand — an order with its lines, totals in minor units, and
 * refunds (whole or partial) as records of their own — through the store's order writes, so
 * that aggregates, scores, tier and stage follow in the same transaction (the order hooks).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-order.h"
#include "crm-order-line.h"
#include "crm-refund.h"
#include "crm-store.h"

G_BEGIN_DECLS

/* Stored keys, NULL-terminated: what the order form offers (their words: crm_code_get_label()
 * with CRM_CODE_CHANNEL, CRM_CODE_PAYMENT, CRM_CODE_ORDER_STATUS).  Channels and payment
 * methods of imported orders may be other text; statuses a hand-entered order may take. */
const char * const *crm_sales_channels            (void);   /* store, phone, wechat, web, marketplace, other */
const char * const *crm_sales_payment_methods     (void);   /* cash, card, wechat-pay, alipay, transfer, other */
const char * const *crm_sales_statuses            (void);   /* paid, pending, completed, cancelled */

/* "NAME:QTY:PRICE[:CATEGORY]" (the CLI's --item): a line with its amount; PRICE in the
 * currency's major units ("12.50").  A usage error (G_OPTION_ERROR_BAD_VALUE) says what is
 * wrong. */
CrmOrderLine       *crm_sales_parse_item          (const char  *spec,
                                                   const char  *currency,
                                                   GError     **error);
/* Each line's amount (quantity × unit price) and the order's subtotal and total (subtotal −
 * discount + shipping + tax); refused (CRM_STORE_ERROR_INVALID): no line, a line without a
 * product, a quantity under 1, a negative price, a discount above the subtotal, an overflow. */
gboolean            crm_sales_compute_totals      (CrmOrder    *order,
                                                   GPtrArray   *lines,
                                                   GError     **error);
/* Totals computed, then the order and its lines in one transaction (status "paid" and the time
 * now unless set; the store's currency unless set). */
gboolean            crm_sales_add_order           (CrmStore    *store,
                                                   CrmOrder    *order,
                                                   GPtrArray   *lines,
                                                   GError     **error);
/* Gives back @amount (0: all that is left) of order @order_id at @at (0: now), in one
 * transaction: the refund record, the order's total and refunded (and status "refunded" once
 * nothing is left), the customer's aggregates and the order hooks.  Refused: a deleted,
 * cancelled or failed order, nothing left to refund, more than what is left. */
CrmRefund          *crm_sales_refund              (CrmStore    *store,
                                                   gint64       order_id,
                                                   gint64       amount,
                                                   const char  *reason,
                                                   gint64       at,
                                                   GError     **error);
/* The live customer with this phone number (same digits) or e-mail address (any case): its
 * id; 0 with CRM_STORE_ERROR_NOT_FOUND when none, or CRM_STORE_ERROR_INVALID when several
 * share it. */
gint64              crm_sales_find_customer       (CrmStore    *store,
                                                   const char  *phone,
                                                   const char  *email,
                                                   GError     **error);

G_END_DECLS

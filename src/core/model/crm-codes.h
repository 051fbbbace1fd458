/* crm-codes.h: the words users read for the codes stored in orders and customers
 * (an order's status "completed", a channel "wechat", a customer's source "event").
 *
 * The stored codes stay as they are (exports, rules and scripts use them); only what is
 * shown is translated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CRM_CODE_ORDER_STATUS,
  CRM_CODE_CHANNEL,      /* an order's channel and a customer's source share these */
  CRM_CODE_PAYMENT,      /* an order's payment method ("wechat-pay") */
  CRM_CODE_CHURN_RISK,   /* a prediction's "low", "medium", "high" */
} CrmCodeKind;

/* The translated word for @code, or @code itself when it is not a known one (a shop's own
 * word is shown as typed).  NULL for NULL. */
const char *crm_code_get_label (CrmCodeKind  kind,
                                const char  *code);
/* The same where the word stands alone, without the heading that says what it is ("Low risk"
 * beside a customer, where a "Churn risk" column says "Low"); the label for most codes. */
const char *crm_code_get_phrase (CrmCodeKind  kind,
                                 const char  *code);
/* The code whose translated (or English) word is @label, or @label itself. */
const char *crm_code_from_label (CrmCodeKind  kind,
                                 const char  *label);

G_END_DECLS

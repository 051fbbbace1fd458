/* crm-order-history.h: a customer's orders, newest first, each expanding to its
 * lines, under a summary of what the customer bought (total, count, average,
 * first and last order).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-customer.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_ORDER_HISTORY (crm_order_history_get_type ())
G_DECLARE_FINAL_TYPE (CrmOrderHistory, crm_order_history, CRM, ORDER_HISTORY, AdwBin)

CrmOrderHistory *crm_order_history_new           (void);
/* Shows @customer's orders from @store (NULL @customer: nothing); amounts without
 * a currency of their own are shown in @currency. */
void             crm_order_history_set_customer  (CrmOrderHistory *self,
                                                  CrmStore        *store,
                                                  CrmCustomer     *customer,
                                                  const char      *currency);
/* The summary sentence under the title, for tests. */
const char      *crm_order_history_get_summary   (CrmOrderHistory *self);
/* The expandable order rows, newest first (AdwExpanderRow), for tests. */
GPtrArray       *crm_order_history_get_order_rows (CrmOrderHistory *self);

G_END_DECLS

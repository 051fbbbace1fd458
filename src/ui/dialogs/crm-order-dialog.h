/* crm-order-dialog.h: "New Order" — a sale recorded by hand for the customer open in the
 * detail: its items (product, quantity, unit price, category), channel, payment, status and
 * discount, with the totals computed as it is typed.  Saving records it through crm-sales.c;
 * the session then tells every view (the customer's spend, tier, stage, history, timeline).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-window.h"

G_BEGIN_DECLS

#define CRM_TYPE_ORDER_DIALOG (crm_order_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CrmOrderDialog, crm_order_dialog, CRM, ORDER_DIALOG, AdwWindow)

CrmOrderDialog *crm_order_dialog_new             (CrmWindow      *window,
                                                  gint64          customer_id);
/* GtkWidgetActionActivateFunc for "window.new-order" (Ctrl+Shift+N): for the customer open in
 * the detail pane; a toast says to open one first otherwise. */
void            crm_order_dialog_open            (GtkWidget      *widget,
                                                  const char     *action_name,
                                                  GVariant       *parameter);

/* For tests: the number of item rows, the entries of row @i (0 product, 1 price, 2 category),
 * its quantity, the totals as shown and what the form says is wrong (NULL: can be saved). */
guint           crm_order_dialog_get_n_items     (CrmOrderDialog *self);
GtkEditable    *crm_order_dialog_get_item_entry  (CrmOrderDialog *self,
                                                  guint           i,
                                                  guint           which);
GtkSpinButton  *crm_order_dialog_get_item_quantity (CrmOrderDialog *self,
                                                  guint           i);
GtkEditable    *crm_order_dialog_get_discount_entry (CrmOrderDialog *self);
GtkEditable    *crm_order_dialog_get_date_entry  (CrmOrderDialog *self);
const char     *crm_order_dialog_get_total_text  (CrmOrderDialog *self);
const char     *crm_order_dialog_get_problem     (CrmOrderDialog *self);

G_END_DECLS

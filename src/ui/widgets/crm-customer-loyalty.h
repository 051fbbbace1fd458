/* crm-customer-loyalty.h: the "Loyalty" group of the customer detail — the member card number
 * with Issue, Print Card… and Reissue…, and the customer's coupons that can still be used.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_CUSTOMER_LOYALTY (crm_customer_loyalty_get_type ())
G_DECLARE_FINAL_TYPE (CrmCustomerLoyalty, crm_customer_loyalty, CRM, CUSTOMER_LOYALTY, AdwBin)

/* Shows customer @customer_id of @store; 0 hides the group (a new customer). */
void        crm_customer_loyalty_set_customer  (CrmCustomerLoyalty *self,
                                                CrmStore           *store,
                                                gint64              customer_id);
void        crm_customer_loyalty_refresh       (CrmCustomerLoyalty *self);

/* For tests: the card number shown ("8123 4567 …" or the no-card text), the coupons listed,
 * and what the buttons do without their dialogs. */
const char *crm_customer_loyalty_get_card_text (CrmCustomerLoyalty *self);
guint       crm_customer_loyalty_get_n_coupons (CrmCustomerLoyalty *self);
gboolean    crm_customer_loyalty_reissue       (CrmCustomerLoyalty *self,
                                                GError            **error);
gboolean    crm_customer_loyalty_print         (CrmCustomerLoyalty *self,
                                                const char         *path,
                                                GError            **error);

G_END_DECLS

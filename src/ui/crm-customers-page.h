/* crm-customers-page.h: the Customers section.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CRM_TYPE_CUSTOMERS_PAGE (crm_customers_page_get_type ())
G_DECLARE_FINAL_TYPE (CrmCustomersPage, crm_customers_page, CRM, CUSTOMERS_PAGE, AdwBin)

gboolean crm_customers_page_get_folded (CrmCustomersPage *self);
void     crm_customers_page_set_folded (CrmCustomersPage *self,
                                        gboolean          folded);

G_END_DECLS

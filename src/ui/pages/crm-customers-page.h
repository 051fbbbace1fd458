/* crm-customers-page.h: the Customers section — list, search, filters, form.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-customer-editor.h"
#include "crm-customer-list.h"
#include "crm-segment.h"
#include "crm-session.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_CUSTOMERS_PAGE (crm_customers_page_get_type ())
G_DECLARE_FINAL_TYPE (CrmCustomersPage, crm_customers_page, CRM, CUSTOMERS_PAGE, AdwBin)

gboolean           crm_customers_page_get_folded (CrmCustomersPage *self);
void               crm_customers_page_set_folded (CrmCustomersPage *self,
                                                  gboolean          folded);
/* Works on @session's shop and follows what it announces; NULL shows nothing. */
void               crm_customers_page_set_session (CrmCustomersPage *self,
                                                   CrmSession       *session);
CrmStore          *crm_customers_page_get_store  (CrmCustomersPage *self);
/* The database is being upgraded (a spinner), or could not be opened (why), instead of the list. */
void               crm_customers_page_show_upgrading (CrmCustomersPage *self,
                                                     const char       *path);
void               crm_customers_page_show_error (CrmCustomersPage *self,
                                                  const char       *message);
/* For tests and the window's shortcuts. */
CrmCustomerList   *crm_customers_page_get_list        (CrmCustomersPage *self);
CrmCustomerEditor *crm_customers_page_get_editor      (CrmCustomersPage *self);
GtkEditable       *crm_customers_page_get_search_entry (CrmCustomersPage *self);
GtkColumnView     *crm_customers_page_get_column_view (CrmCustomersPage *self);
/* The count under the title, e.g. "1,234 customers". */
const char        *crm_customers_page_get_count_text  (CrmCustomersPage *self);
/* Opens customer @id in the form (selecting its row when it is listed). */
gboolean           crm_customers_page_open_customer   (CrmCustomersPage *self,
                                                       gint64            id);
/* Re-reads the shop's currency (the page does when the session says it changed). */
void               crm_customers_page_update_currency (CrmCustomersPage *self);
/* Narrows the list to @segment's customers, titled with its name; NULL shows
 * all customers again. */
void               crm_customers_page_show_segment    (CrmCustomersPage *self,
                                                       CrmSegment       *segment);
CrmSegment        *crm_customers_page_get_segment     (CrmCustomersPage *self);
/* Re-reads everything shown (the page does when the session says many customers, or
 * their scores, changed). */
void               crm_customers_page_reload          (CrmCustomersPage *self);

G_END_DECLS

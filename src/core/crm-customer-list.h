/* crm-customer-list.h: a lazy GListModel of CrmCustomer over a CrmQuery.
 *
 * A query change runs `SELECT id … ORDER BY …, id` as a CrmJob of the session (a read
 * connection of its own; a newer refresh of the list supersedes the older) and swaps the
 * id array in with one items-changed.  get_item() loads a page of rows around the asked
 * position in one statement on the session's main connection; the same id gives the same
 * object while anything holds it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-customer.h"
#include "crm-query.h"
#include "crm-session.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_CUSTOMER_LIST (crm_customer_list_get_type ())
G_DECLARE_FINAL_TYPE (CrmCustomerList, crm_customer_list, CRM, CUSTOMER_LIST, GObject)

/* @session must be open: its main connection reads the rows. */
CrmCustomerList *crm_customer_list_new        (CrmSession      *session);
CrmStore        *crm_customer_list_get_store  (CrmCustomerList *self);
/* The list watches the query: any change to it re-runs the ids. */
CrmQuery        *crm_customer_list_get_query  (CrmCustomerList *self);
void             crm_customer_list_set_query  (CrmCustomerList *self,
                                               CrmQuery        *query);
/* Re-run the ids (after inserts/deletes that change membership). */
void             crm_customer_list_refresh    (CrmCustomerList *self);
gboolean         crm_customer_list_get_loading (CrmCustomerList *self);
/* Position of the customer with @id, or G_MAXUINT. */
guint            crm_customer_list_find       (CrmCustomerList *self,
                                               gint64           id);
/* An edit saved elsewhere: update the live object if the list holds one. */
void             crm_customer_list_update_item (CrmCustomerList *self,
                                               CrmCustomer     *saved);
/* After a bulk change (recompute, import): re-read every row the list has
 * loaded, so live objects (and the widgets bound to them) show the new values. */
void             crm_customer_list_reload_rows (CrmCustomerList *self);
/* Re-reads the rows of @ids the list holds (a change the session announced); TRUE when the
 * list's membership may have changed with it: one of them is not held, or is deleted now. */
gboolean         crm_customer_list_reload_ids (CrmCustomerList *self,
                                               const gint64    *ids,
                                               guint            n_ids);
/* Last error of a refresh, if any (e.g. the database disappeared). */
const GError    *crm_customer_list_get_error  (CrmCustomerList *self);
/* For tests and benchmarks: run the pending refresh synchronously. */
gboolean         crm_customer_list_refresh_sync (CrmCustomerList *self,
                                                 GError         **error);

G_END_DECLS

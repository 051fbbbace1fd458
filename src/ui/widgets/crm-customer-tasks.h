/* crm-customer-tasks.h: a customer's owner and follow-ups in the detail pane.  The owner is a
 * choice of the managed owners (or none: the pool); a change is an assignment or a release with
 * its pool history.  The open follow-ups, soonest first (tick one when done), then the last done;
 * "Add Follow-up…" opens CrmTaskDialog.  Follows the session like the timeline.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-session.h"

G_BEGIN_DECLS

#define CRM_TYPE_CUSTOMER_TASKS (crm_customer_tasks_get_type ())
G_DECLARE_FINAL_TYPE (CrmCustomerTasks, crm_customer_tasks, CRM, CUSTOMER_TASKS, AdwBin)

/* Shows customer @customer_id (0: nothing) of @session's database. */
void         crm_customer_tasks_set_customer (CrmCustomerTasks *self,
                                              CrmSession       *session,
                                              gint64            customer_id);

/* For tests: the owner choice (0: none, then the owners by name) and the task rows. */
AdwComboRow *crm_customer_tasks_get_owner_row (CrmCustomerTasks *self);
GPtrArray   *crm_customer_tasks_get_rows      (CrmCustomerTasks *self);

G_END_DECLS

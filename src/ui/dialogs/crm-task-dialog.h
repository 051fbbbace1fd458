/* crm-task-dialog.h: "Add Follow-up" for one customer — what to do, the owner (the customer's
 * by default), the day and time (tomorrow 09:00 by default).  Add writes it through
 * crm_store_write_async() and closes; a refusal shows under the form.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_TASK_DIALOG (crm_task_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CrmTaskDialog, crm_task_dialog, CRM, TASK_DIALOG, AdwWindow)

CrmTaskDialog *crm_task_dialog_new        (GtkWindow  *parent,
                                           CrmStore   *store,
                                           gint64      customer_id,
                                           const char *owner);
/* For tests: the title entry, and Add as the button does. */
GtkEditable   *crm_task_dialog_get_title_entry (CrmTaskDialog *self);
void           crm_task_dialog_add        (CrmTaskDialog *self);

G_END_DECLS

/* crm-customer-timeline.h: a customer's timeline in the detail pane — the contacts logged by
 * hand, orders, refunds and feedback, newest first (crm-timeline.c) — with a quick-log entry:
 * Ctrl+L focuses it, Enter saves.  It follows the session: a contact or an order written
 * anywhere (a job, clientele-cli) shows at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-session.h"

G_BEGIN_DECLS

#define CRM_TYPE_CUSTOMER_TIMELINE (crm_customer_timeline_get_type ())
G_DECLARE_FINAL_TYPE (CrmCustomerTimeline, crm_customer_timeline, CRM, CUSTOMER_TIMELINE, AdwBin)

/* Shows customer @customer_id (0: nothing) of @session's database. */
void         crm_customer_timeline_set_customer    (CrmCustomerTimeline *self,
                                                    CrmSession          *session,
                                                    gint64               customer_id);
/* Puts the keyboard in the quick-log entry. */
void         crm_customer_timeline_focus_quick_log (CrmCustomerTimeline *self);

/* For tests: the entry, the channel picker, and the event rows shown, newest first
 * (AdwActionRow), and the text of the empty state (NULL when there are events). */
GtkEditable *crm_customer_timeline_get_quick_entry (CrmCustomerTimeline *self);
GtkDropDown *crm_customer_timeline_get_channel_dropdown (CrmCustomerTimeline *self);
GPtrArray   *crm_customer_timeline_get_event_rows  (CrmCustomerTimeline *self);
const char  *crm_customer_timeline_get_empty_text  (CrmCustomerTimeline *self);

G_END_DECLS

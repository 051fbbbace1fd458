/* crm-reminders.h: follow-up reminders while the application runs.  Once a session is open, the
 * follow-ups due by now that were never reminded of (those missed while the app was closed
 * included) are each sent once as a GNotification whose action ("app.open-customer" with the
 * customer's UUID) opens the customer; then every minute.  When the shop turned it on
 * (crm_pool_get_auto_return()), once a day (at start and after midnight) the customers without
 * activity for the pool's days return to the pool.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-session.h"

G_BEGIN_DECLS

/* Starts the reminders of @session for @app (once per session; they stop with it). */
void     crm_reminders_watch (GApplication *app,
                              CrmSession   *session);
/* Checks now (tests; the timer does it every minute); how many notifications it will send is
 * known when the write is done. */
void     crm_reminders_check (CrmSession   *session);
/* Notifications sent so far for @session. */
guint    crm_reminders_get_sent (CrmSession *session);

G_END_DECLS

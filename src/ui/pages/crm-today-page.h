/* crm-today-page.h: the Today section — the follow-ups due and overdue (tick one when done),
 * the birthdays of today and the next 7 days, and the suggested follow-ups, each made a task
 * with one click; a row opens its customer.  Read in the background when shown and when the
 * session says the shop changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-session.h"

G_BEGIN_DECLS

#define CRM_TYPE_TODAY_PAGE (crm_today_page_get_type ())
G_DECLARE_FINAL_TYPE (CrmTodayPage, crm_today_page, CRM, TODAY_PAGE, AdwBin)

void        crm_today_page_set_session   (CrmTodayPage *self,
                                          CrmSession   *session);
void        crm_today_page_set_folded    (CrmTodayPage *self,
                                          gboolean      folded);
/* Reads everything again in the background. */
void        crm_today_page_reload        (CrmTodayPage *self);

/* For tests: whether a read is running; the task rows shown (AdwActionRow, each with a
 * GtkCheckButton prefix that marks it done), the birthday and suggestion rows (each with a
 * "Create Task" button suffix). */
gboolean    crm_today_page_get_loading   (CrmTodayPage *self);
GPtrArray  *crm_today_page_get_task_rows (CrmTodayPage *self);
GPtrArray  *crm_today_page_get_birthday_rows (CrmTodayPage *self);
GPtrArray  *crm_today_page_get_suggestion_rows (CrmTodayPage *self);

G_END_DECLS

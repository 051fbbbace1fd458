/* crm-smtp-page.h: Preferences › E-mail — the mail server campaigns are sent through.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-session.h"

G_BEGIN_DECLS

#define CRM_TYPE_SMTP_PAGE (crm_smtp_page_get_type ())
G_DECLARE_FINAL_TYPE (CrmSmtpPage, crm_smtp_page, CRM, SMTP_PAGE, AdwPreferencesPage)

GtkWidget *crm_smtp_page_new (CrmSession *session);

G_END_DECLS

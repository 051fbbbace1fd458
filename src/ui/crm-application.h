/* crm-application.h: the Clientele application — options, settings, app actions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-session.h"

G_BEGIN_DECLS

#define CRM_TYPE_APPLICATION (crm_application_get_type ())
G_DECLARE_FINAL_TYPE (CrmApplication, crm_application, CRM, APPLICATION, AdwApplication)

CrmApplication *crm_application_new               (void);
GSettings      *crm_application_get_settings      (CrmApplication *self);
/* The database file the windows work on: --database, $CLIENTELE_DB, the
 * database-path setting, or the default file in the user data directory. */
const char     *crm_application_get_database_path (CrmApplication *self);
void            crm_application_set_database_path (CrmApplication *self,
                                                   const char     *path);
/* The shop at the database path: its connection, settings and change signals.  A new path
 * drops it; the next call makes the new one (not opened yet: see crm_session_open()). */
CrmSession     *crm_application_get_session       (CrmApplication *self);

/* --demo: a temporary database that the window fills with a sample shop. */
gboolean        crm_application_get_demo          (CrmApplication *self);

G_END_DECLS

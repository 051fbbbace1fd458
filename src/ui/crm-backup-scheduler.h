/* crm-backup-scheduler.h: the scheduled backups of Preferences → Backups, made while the app
 * runs (GSettings backup-folder, backup-interval, backup-keep; the passphrase in the keyring).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-application.h"

G_BEGIN_DECLS

#define CRM_TYPE_BACKUP_SCHEDULER (crm_backup_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (CrmBackupScheduler, crm_backup_scheduler, CRM, BACKUP_SCHEDULER, GObject)

/* Checks once a minute whether a backup of the application's open database is due. */
CrmBackupScheduler *crm_backup_scheduler_new   (CrmApplication *application);

/* What a backup (scheduled or "Back Up Now") came to, in GSettings: @path written, or @error. */
void                crm_backup_scheduler_record (GSettings      *settings,
                                                 const char     *path,
                                                 const GError   *error);
/* The interval of the "backup-interval" setting in ms; 0 for never. */
gint64              crm_backup_scheduler_interval_ms (GSettings *settings);

G_END_DECLS

/* crm-backup-private.h: shared by crm-backup*.c and the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "crm-backup.h"

G_BEGIN_DECLS

/* Argon2id's cost for new backups (the header records it, so any backup reads back): the tests
 * make hundreds of keys and set the library's minimum; 0, 0 goes back to the default. */
void      crm_backup_set_pwhash_limits (guint64  opslimit,
                                        gsize    memlimit);

/* A passphrase strong enough for a new backup: at least CRM_BACKUP_MIN_PASSPHRASE characters of
 * valid UTF-8 (CRM_BACKUP_ERROR_WEAK otherwise). */
gboolean  crm_backup_check_passphrase  (const char  *passphrase,
                                        GError     **error);

/* The bytes of the header, for the tests that alter them. */
#define CRM_BACKUP_HEADER_SIZE 144
/* The plain text of each chunk but the last. */
#define CRM_BACKUP_CHUNK_SIZE  (1024 * 1024)

/* A private temporary file "DIR/.BASE.backup-XXXXXX" (0600, flock()ed while it is in use, so a
 * later call can remove those that a killed process left): its path, the open descriptor in
 * @out_fd.  Earlier unlocked ones of @base are removed first. */
char     *crm_backup_temp_new          (const char  *dir,
                                        const char  *base,
                                        int         *out_fd,
                                        GError     **error);
void      crm_backup_temp_free         (char        *path,
                                        int          fd);

/* SQLite's backup API from @src to @dst in steps, with progress and cancel; BUSY is waited for
 * (the destination's busy handler runs first).  Nothing is committed to @dst unless it ends. */
gboolean  crm_backup_copy_pages        (sqlite3     *dst,
                                        sqlite3     *src,
                                        const char  *what,
                                        CrmBackupProgressFunc progress,
                                        gpointer     progress_data,
                                        double       base,
                                        double       span,
                                        GCancellable *cancellable,
                                        GError     **error);

/* Decrypts and checks @path (crm-backup.c): the database stays in the private temporary file
 * *@out_tmp, open as *@out_fd, for the caller to use and then give to crm_backup_temp_free().
 * Progress goes from 0 to @span. */
gboolean  crm_backup_open_checked      (const char  *path,
                                        const char  *passphrase,
                                        const char  *work_dir,
                                        const char  *work_base,
                                        CrmBackupInfo *info,
                                        char       **out_tmp,
                                        int         *out_fd,
                                        CrmBackupProgressFunc progress,
                                        gpointer     progress_data,
                                        double       span,
                                        GCancellable *cancellable,
                                        GError     **error);

G_END_DECLS

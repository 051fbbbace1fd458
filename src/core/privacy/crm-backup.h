/* crm-backup.h: encrypted backups of the whole database, and restoring them.
 *
 * A backup is a consistent copy made with SQLite's online backup API from a connection of the
 * store (never a copy of the file: see crm-backup.c), encrypted with a passphrase (libsodium:
 * Argon2id, XChaCha20-Poly1305 secretstream).  Verifying and restoring check the passphrase,
 * every chunk's tag and the decrypted database's integrity before anything is replaced.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-job.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_BACKUP_ERROR (crm_backup_error_quark ())

typedef enum
{
  CRM_BACKUP_ERROR_FAILED,
  CRM_BACKUP_ERROR_NOT_BACKUP,    /* not a Clientele backup at all */
  CRM_BACKUP_ERROR_UNSUPPORTED,   /* made by a newer version of Clientele */
  CRM_BACKUP_ERROR_PASSPHRASE,    /* the passphrase does not open it */
  CRM_BACKUP_ERROR_DAMAGED,       /* truncated, altered, or the database in it is damaged */
  CRM_BACKUP_ERROR_WEAK,          /* a passphrase too short to protect a backup */
} CrmBackupError;

/* The file name extension of backups, and the fewest characters of a passphrase. */
#define CRM_BACKUP_EXTENSION      ".clbackup"
#define CRM_BACKUP_MIN_PASSPHRASE 8

typedef struct
{
  guint32 format_version;
  int     schema_version;   /* the database's, when it was backed up */
  gint64  created_at;       /* ms UTC */
  guint64 database_size;    /* bytes of the database inside */
  /* Filled by verify only (the database is read): */
  gint64  customers;
  gint64  orders;
} CrmBackupInfo;

typedef void (*CrmBackupProgressFunc) (double   fraction,
                                       gpointer user_data);

GQuark    crm_backup_error_quark   (void);

/* What the header of @path says, without the passphrase (a list of backups, the scheduler). */
gboolean  crm_backup_read_info     (const char             *path,
                                    CrmBackupInfo          *info,
                                    GError                **error);

/* A backup of @store's database to @path (written as an output file: complete or not at all).
 * @store may be any connection, a reader included; what it copies is one committed state, whatever
 * other connections and programs write meanwhile. */
gboolean  crm_backup_create        (CrmStore               *store,
                                    const char             *path,
                                    const char             *passphrase,
                                    CrmBackupProgressFunc   progress,
                                    gpointer                progress_data,
                                    GCancellable           *cancellable,
                                    GError                **error);
/* Decrypts @path into a temporary file in @work_dir (the database's folder: the plain text is
 * as private there as the database itself), checks every tag and runs PRAGMA integrity_check,
 * then removes it.  @info may be NULL. */
gboolean  crm_backup_verify        (const char             *path,
                                    const char             *passphrase,
                                    const char             *work_dir,
                                    CrmBackupInfo          *info,
                                    CrmBackupProgressFunc   progress,
                                    gpointer                progress_data,
                                    GCancellable           *cancellable,
                                    GError                **error);
/* Verifies @path as above, keeps the current database as a dated copy beside it (its path in
 * @out_kept), then puts the backup's data into @live's database through SQLite's backup API, in
 * one transaction: other connections and programs see the old data or the restored data, never a
 * mix, and keep working.  A backup of an older schema is upgraded first; a newer one is refused.
 * Any failure or cancel before the last step leaves the database as it was. */
gboolean  crm_backup_restore       (CrmStore               *live,
                                    const char             *path,
                                    const char             *passphrase,
                                    char                  **out_kept,
                                    CrmBackupProgressFunc   progress,
                                    gpointer                progress_data,
                                    GCancellable           *cancellable,
                                    GError                **error);

/* Scheduled backups in @folder: "clientele-YYYY-MM-DD-HHMMSS.clbackup" for @now_ms (local time). */
char     *crm_backup_scheduled_path (const char            *folder,
                                     gint64                 now_ms);
/* Removes the oldest scheduled backups in @folder beyond the @keep newest (@keep ≥ 1); files
 * of any other name are left alone.  How many were removed, -1 with @error. */
int       crm_backup_prune         (const char             *folder,
                                    guint                   keep,
                                    GError                **error);

/* As CrmJobs on the session: create on a reading connection, verify without one, restore on a
 * writing one.  After a restore the session announces that everything changed. */
void      crm_backup_create_async  (CrmSession             *session,
                                    const char             *path,
                                    const char             *passphrase,
                                    GCancellable           *cancellable,
                                    CrmJobProgressFunc      progress,
                                    gpointer                progress_data,
                                    GAsyncReadyCallback     callback,
                                    gpointer                user_data);
gboolean  crm_backup_create_finish (GAsyncResult           *result,
                                    GError                **error);
void      crm_backup_verify_async  (CrmSession             *session,
                                    const char             *path,
                                    const char             *passphrase,
                                    GCancellable           *cancellable,
                                    CrmJobProgressFunc      progress,
                                    gpointer                progress_data,
                                    GAsyncReadyCallback     callback,
                                    gpointer                user_data);
/* The backup's info (free with g_free()), or NULL with @error. */
CrmBackupInfo *crm_backup_verify_finish (GAsyncResult      *result,
                                    GError                **error);
void      crm_backup_restore_async (CrmSession             *session,
                                    const char             *path,
                                    const char             *passphrase,
                                    GCancellable           *cancellable,
                                    CrmJobProgressFunc      progress,
                                    gpointer                progress_data,
                                    GAsyncReadyCallback     callback,
                                    gpointer                user_data);
/* The dated copy of the database as it was, or NULL with @error. */
char     *crm_backup_restore_finish (CrmSession            *session,
                                     GAsyncResult          *result,
                                     GError               **error);

/* Backups with the passphrase kept in the keyring for the session's database (crm-secret.h), as
 * Preferences → Backups and the schedule make them (crm-backup-schedule.c). */
/* Checks @passphrase (CRM_BACKUP_ERROR_WEAK) and keeps it; NULL removes the kept one. */
void      crm_backup_save_passphrase_async  (CrmSession          *session,
                                             const char          *passphrase,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean  crm_backup_save_passphrase_finish (GAsyncResult        *result,
                                             GError             **error);
/* Whether a passphrase is kept: TRUE/FALSE, or FALSE with @error when the keyring is unreachable. */
void      crm_backup_has_passphrase_async   (CrmSession          *session,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean  crm_backup_has_passphrase_finish  (GAsyncResult        *result,
                                             GError             **error);
/* A backup with the kept passphrase to crm_backup_scheduled_path (@folder, now), then
 * crm_backup_prune (@folder, @keep).  The file written, or NULL with @error. */
void      crm_backup_scheduled_async        (CrmSession          *session,
                                             const char          *folder,
                                             guint                keep,
                                             GCancellable        *cancellable,
                                             CrmJobProgressFunc   progress,
                                             gpointer             progress_data,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
char     *crm_backup_scheduled_finish       (GAsyncResult        *result,
                                             GError             **error);

G_END_DECLS

/* crm-backup-restore.c: putting a backup back, scheduled backups, and the jobs.
 *
 * How a restore replaces the database.  Two ways were weighed:
 * - Renaming the decrypted file over the database.  Every connection open on it — the app's,
 *   its workers', a clientele-cli run from cron — keeps the old inode, and worse, keeps using
 *   the -wal and -shm beside the path, which now belong to a different database: its next
 *   checkpoint writes old pages into the new file.  It could only be done with every other user
 *   gone, and no lock says so reliably (another process may open the file a moment later).
 * - SQLite's backup API *into* the live database, on a connection of the store (what is done
 *   here).  It is an ordinary write transaction through SQLite's own locks (the lock layer's
 *   OFD locks, crm-store-lock.c): it waits for another writer as any edit does, it is atomic
 *   (every other connection, in this process or another, reads either the old data or the
 *   restored data, never a mix, and none of them has to close), and a crash or a cancel
 *   before it commits leaves the old data, by SQLite's own journal.  In WAL mode the restored
 *   pages pass through the -wal once (it grows to the database's size until the checkpoint).
 *   Its one condition, the same page size on both sides, is met by converting the decrypted
 *   copy first.  So nothing ever needs to refuse because someone else has the file open.
 * Before that: the backup is decrypted, every tag checked, PRAGMA integrity_check run and an
 * older schema upgraded, all on a private copy; then the current database is copied (backup API
 * again) to "DB.before-restore-DATE" beside it.  A write another program makes between that
 * copy and the restore itself is in neither: the restore is meant to replace the data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include "crm-backup-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "crm-session.h"

/* ---- restore ---------------------------------------------------------------------------------- */

static gboolean
db_failed (GError     **error,
           sqlite3     *db,
           const char  *path)
{
  g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_FAILED,
               _("Could not prepare the restored database “%s”: %s"), path,
               db != NULL ? sqlite3_errmsg (db) : "");
  return FALSE;
}

/* The decrypted copy at @tmp, made ready to go into @live: its schema upgraded, its page size
 * @live's (the backup API cannot change the page size of a WAL database). */
static gboolean
prepare_copy (CrmStore      *live,
              const char    *tmp,
              int            schema,
              const char    *path,
              GError       **error)
{
  gint64 live_size = crm_db_query_int64 (crm_store_get_db (live), "PRAGMA page_size", 0);
  sqlite3 *db = NULL;
  gint64 size;

  if (schema > CRM_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_UNSUPPORTED,
                   _("The backup “%s” was made by a newer version of Clientele (database version %d; "
                     "this version understands up to %d). Update Clientele to restore it. Nothing was changed."),
                   path, schema, CRM_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  if (schema < CRM_STORE_SCHEMA_VERSION)
    {
      g_autoptr(CrmStore) upgraded = crm_store_open (tmp, error);

      if (upgraded == NULL)
        return FALSE;
    }

  if (sqlite3_open_v2 (tmp, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      db_failed (error, db, tmp);
      sqlite3_close (db);
      return FALSE;
    }
  size = crm_db_query_int64 (db, "PRAGMA page_size", 0);
  if (live_size > 0 && size != live_size)
    {
      g_autofree char *sql = g_strdup_printf ("PRAGMA journal_mode = DELETE; PRAGMA page_size = %" G_GINT64_FORMAT "; VACUUM;",
                                              live_size);

      if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
        {
          db_failed (error, db, tmp);
          sqlite3_close (db);
          return FALSE;
        }
    }
  sqlite3_close (db);
  return TRUE;
}

static void
fsync_dir (const char *dir)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

/* @live's database as it is now, to "DB.before-restore-DATE" beside it: its path. */
static char *
keep_copy (CrmStore               *live,
           CrmBackupProgressFunc   progress,
           gpointer                progress_data,
           GCancellable           *cancellable,
           GError                **error)
{
  const char *live_path = crm_store_get_path (live);
  g_autofree char *dir = g_path_get_dirname (live_path);
  g_autofree char *base = g_path_get_basename (live_path);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d-%H%M%S");
  sqlite3 *src = crm_store_get_db (live);
  sqlite3 *dst = NULL;
  char *tmp;
  int fd = -1;
  gboolean ok;

  tmp = crm_backup_temp_new (dir, base, &fd, error);
  if (tmp == NULL)
    return NULL;
  ok = sqlite3_open_v2 (tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK &&
       sqlite3_exec (dst, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;", NULL, NULL, NULL) == SQLITE_OK;
  if (!ok)
    db_failed (error, dst, tmp);
  /* One committed state, as a backup takes it (crm-backup.c). */
  ok = ok && sqlite3_exec (src, "BEGIN DEFERRED; SELECT count(*) FROM sqlite_master;", NULL, NULL, NULL) == SQLITE_OK;
  if (ok)
    {
      ok = crm_backup_copy_pages (dst, src, live_path, progress, progress_data, 0.55, 0.2, cancellable, error);
      sqlite3_exec (src, "COMMIT", NULL, NULL, NULL);
    }
  else if (error != NULL && *error == NULL)
    db_failed (error, src, live_path);
  if (sqlite3_close (dst) != SQLITE_OK && ok)
    ok = db_failed (error, NULL, tmp);
  if (ok && fsync (fd) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write “%s”: %s"), tmp, g_strerror (saved));
      ok = FALSE;
    }

  /* link() never replaces a file: a second restore in the same second gets its own name. */
  for (guint i = 1; ok; i++)
    {
      g_autofree char *kept = i == 1 ? g_strdup_printf ("%s.before-restore-%s", live_path, stamp)
                                     : g_strdup_printf ("%s.before-restore-%s-%u", live_path, stamp, i);

      if (link (tmp, kept) == 0)
        {
          fsync_dir (dir);
          crm_backup_temp_free (tmp, fd);
          return g_steal_pointer (&kept);
        }
      if (errno != EEXIST || i > 100)
        {
          int saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not keep the current database as “%s”: %s"), kept, g_strerror (saved));
          break;
        }
    }
  crm_backup_temp_free (tmp, fd);
  return NULL;
}

gboolean
crm_backup_restore (CrmStore               *live,
                    const char             *path,
                    const char             *passphrase,
                    char                  **out_kept,
                    CrmBackupProgressFunc   progress,
                    gpointer                progress_data,
                    GCancellable           *cancellable,
                    GError                **error)
{
  const char *live_path;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *kept = NULL;
  CrmBackupInfo info = { 0 };
  char *tmp = NULL;
  sqlite3 *src = NULL;
  int tmp_fd = -1;
  gboolean ok = FALSE;

  g_return_val_if_fail (CRM_IS_STORE (live), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  live_path = crm_store_get_path (live);
  if (crm_store_get_read_only (live))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_READ_ONLY,
                   _("The database “%s” cannot be written: check its permissions."), live_path);
      return FALSE;
    }
  dir = g_path_get_dirname (live_path);
  base = g_path_get_basename (live_path);
  if (!crm_backup_open_checked (path, passphrase, dir, base, &info, &tmp, &tmp_fd, progress, progress_data,
                                0.45, cancellable, error))
    return FALSE;
  if (!prepare_copy (live, tmp, info.schema_version, path, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;
  if (progress != NULL)
    progress (0.55, progress_data);

  kept = keep_copy (live, progress, progress_data, cancellable, error);
  if (kept == NULL)
    goto out;

  if (sqlite3_open_v2 (tmp, &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      db_failed (error, src, tmp);
      goto out;
    }
  ok = crm_backup_copy_pages (crm_store_get_db (live), src, live_path, progress, progress_data, 0.75, 0.25,
                              cancellable, error);
  if (ok)
    /* Best effort: the -wal holds a whole database now; readers may keep part of it a while. */
    sqlite3_wal_checkpoint_v2 (crm_store_get_db (live), "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);

out:
  sqlite3_close (src);
  crm_backup_temp_free (tmp, tmp_fd);
  if (!ok && kept != NULL)
    {
      /* Nothing was replaced: the dated copy would only be a stray second copy. */
      g_unlink (kept);
      g_clear_pointer (&kept, g_free);
    }
  if (ok && out_kept != NULL)
    *out_kept = g_steal_pointer (&kept);
  return ok;
}

/* ---- scheduled backups ------------------------------------------------------------------------ */

#define SCHEDULED_PREFIX "clientele-"

char *
crm_backup_scheduled_path (const char *folder,
                           gint64      now_ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (now_ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);
  g_autofree char *stamp = g_date_time_format (local, "%Y-%m-%d-%H%M%S");
  g_autofree char *name = g_strconcat (SCHEDULED_PREFIX, stamp, CRM_BACKUP_EXTENSION, NULL);

  return g_build_filename (folder, name, NULL);
}

/* "clientele-YYYY-MM-DD-HHMMSS.clbackup" exactly. */
static gboolean
is_scheduled_name (const char *name)
{
  static const char pattern[] = "dddd-dd-dd-dddddd";
  gsize prefix = strlen (SCHEDULED_PREFIX);

  if (strlen (name) != prefix + strlen (pattern) + strlen (CRM_BACKUP_EXTENSION) ||
      !g_str_has_prefix (name, SCHEDULED_PREFIX) || !g_str_has_suffix (name, CRM_BACKUP_EXTENSION))
    return FALSE;
  for (gsize i = 0; pattern[i] != '\0'; i++)
    if (pattern[i] == 'd' ? !g_ascii_isdigit (name[prefix + i]) : name[prefix + i] != '-')
      return FALSE;
  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) b, *(const char *const *) a);   /* newest first */
}

int
crm_backup_prune (const char  *folder,
                  guint        keep,
                  GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  int removed = 0;

  g_return_val_if_fail (keep >= 1, -1);

  dir = g_dir_open (folder, 0, error);
  if (dir == NULL)
    return -1;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *full = NULL;
      GStatBuf st;

      if (!is_scheduled_name (name))
        continue;
      full = g_build_filename (folder, name, NULL);
      if (g_lstat (full, &st) == 0 && S_ISREG (st.st_mode))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names);
  for (guint i = keep; i < names->len; i++)
    {
      g_autofree char *full = g_build_filename (folder, g_ptr_array_index (names, i), NULL);

      if (g_unlink (full) == 0)
        removed++;
    }
  return removed;
}

/* ---- jobs ------------------------------------------------------------------------------------- */

typedef struct
{
  char *path;
  char *passphrase;
  char *work_dir;
} BackupJob;

static void
backup_job_free (BackupJob *data)
{
  g_free (data->path);
  if (data->passphrase != NULL)
    {
      memset (data->passphrase, 0, strlen (data->passphrase));
      g_free (data->passphrase);
    }
  g_free (data->work_dir);
  g_free (data);
}

static BackupJob *
backup_job_new (CrmSession *session,
                const char *path,
                const char *passphrase)
{
  BackupJob *data = g_new0 (BackupJob, 1);

  data->path = g_strdup (path);
  data->passphrase = g_strdup (passphrase);
  data->work_dir = g_path_get_dirname (crm_session_get_path (session));
  return data;
}

static gboolean
create_job (CrmJob    *job,
            CrmStore  *store,
            gpointer   user_data,
            GError   **error)
{
  BackupJob *data = user_data;

  return crm_backup_create (store, data->path, data->passphrase, crm_job_progress_fraction, job,
                            crm_job_get_cancellable (job), error);
}

void
crm_backup_create_async (CrmSession          *session,
                         const char          *path,
                         const char          *passphrase,
                         GCancellable        *cancellable,
                         CrmJobProgressFunc   progress,
                         gpointer             progress_data,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  crm_job_run (crm_job_new (session, NULL, CRM_JOB_READ, cancellable, progress, progress_data, callback, user_data),
               create_job, backup_job_new (session, path, passphrase), (GDestroyNotify) backup_job_free);
}

gboolean
crm_backup_create_finish (GAsyncResult  *result,
                          GError       **error)
{
  return crm_job_propagate_boolean (result, error);
}

static gboolean
verify_job (CrmJob    *job,
            CrmStore  *store,
            gpointer   user_data,
            GError   **error)
{
  BackupJob *data = user_data;
  CrmBackupInfo info = { 0 };

  if (!crm_backup_verify (data->path, data->passphrase, data->work_dir, &info, crm_job_progress_fraction, job,
                          crm_job_get_cancellable (job), error))
    return FALSE;
  crm_job_return_pointer (job, g_memdup2 (&info, sizeof info), g_free);
  return TRUE;
}

void
crm_backup_verify_async (CrmSession          *session,
                         const char          *path,
                         const char          *passphrase,
                         GCancellable        *cancellable,
                         CrmJobProgressFunc   progress,
                         gpointer             progress_data,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  crm_job_run (crm_job_new (session, NULL, CRM_JOB_NO_STORE, cancellable, progress, progress_data, callback,
                            user_data),
               verify_job, backup_job_new (session, path, passphrase), (GDestroyNotify) backup_job_free);
}

CrmBackupInfo *
crm_backup_verify_finish (GAsyncResult  *result,
                          GError       **error)
{
  return crm_job_propagate_pointer (result, error);
}

static gboolean
restore_job (CrmJob    *job,
             CrmStore  *store,
             gpointer   user_data,
             GError   **error)
{
  BackupJob *data = user_data;
  char *kept = NULL;

  if (!crm_backup_restore (store, data->path, data->passphrase, &kept, crm_job_progress_fraction, job,
                           crm_job_get_cancellable (job), error))
    return FALSE;
  crm_job_set_committed (job);
  crm_job_return_pointer (job, kept, g_free);
  return TRUE;
}

void
crm_backup_restore_async (CrmSession          *session,
                          const char          *path,
                          const char          *passphrase,
                          GCancellable        *cancellable,
                          CrmJobProgressFunc   progress,
                          gpointer             progress_data,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  crm_job_run (crm_job_new (session, NULL, CRM_JOB_WRITE, cancellable, progress, progress_data, callback, user_data),
               restore_job, backup_job_new (session, path, passphrase), (GDestroyNotify) backup_job_free);
}

char *
crm_backup_restore_finish (CrmSession    *session,
                           GAsyncResult  *result,
                           GError       **error)
{
  char *kept = crm_job_propagate_pointer (result, error);

  /* The restore wrote pages, not rows: no connection's hooks saw what changed, so everything did. */
  if (kept != NULL)
    crm_session_check_external (session);
  return kept;
}

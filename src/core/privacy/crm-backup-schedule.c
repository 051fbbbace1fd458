/* crm-backup-schedule.c: backups with the passphrase kept in the keyring — what Preferences →
 * Backups' "Back Up Now" and the app's schedule run.  The keyring is reached on the job's worker
 * (libsecret's calls block), never on the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-backup-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-secret.h"
#include "crm-session.h"

typedef struct
{
  char  *database;
  char  *passphrase;
  char  *folder;
  guint  keep;
} KeyringJob;

static void
keyring_job_free (KeyringJob *data)
{
  g_free (data->database);
  if (data->passphrase != NULL)
    {
      memset (data->passphrase, 0, strlen (data->passphrase));
      g_free (data->passphrase);
    }
  g_free (data->folder);
  g_free (data);
}

static KeyringJob *
keyring_job_new (CrmSession *session)
{
  KeyringJob *data = g_new0 (KeyringJob, 1);

  data->database = g_strdup (crm_session_get_path (session));
  return data;
}

static gboolean
save_job (CrmJob    *job,
          CrmStore  *store,
          gpointer   user_data,
          GError   **error)
{
  KeyringJob *data = user_data;

  if (data->passphrase == NULL)
    return crm_secret_clear_backup (data->database, crm_job_get_cancellable (job), error);
  if (!crm_backup_check_passphrase (data->passphrase, error))
    return FALSE;
  return crm_secret_store_backup (data->database, data->passphrase, crm_job_get_cancellable (job), error);
}

void
crm_backup_save_passphrase_async (CrmSession          *session,
                                  const char          *passphrase,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  KeyringJob *data = keyring_job_new (session);

  data->passphrase = g_strdup (passphrase);
  crm_job_run (crm_job_new (session, NULL, CRM_JOB_NO_STORE, cancellable, NULL, NULL, callback, user_data),
               save_job, data, (GDestroyNotify) keyring_job_free);
}

gboolean
crm_backup_save_passphrase_finish (GAsyncResult  *result,
                                   GError       **error)
{
  return crm_job_propagate_boolean (result, error);
}

static gboolean
has_job (CrmJob    *job,
         CrmStore  *store,
         gpointer   user_data,
         GError   **error)
{
  KeyringJob *data = user_data;
  g_autoptr(GError) local_error = NULL;
  char *secret = crm_secret_lookup_backup (data->database, crm_job_get_cancellable (job), &local_error);

  if (secret != NULL)
    {
      crm_secret_free (secret);
      crm_job_return_pointer (job, GINT_TO_POINTER (TRUE), NULL);
      return TRUE;
    }
  if (g_error_matches (local_error, CRM_SECRET_ERROR, CRM_SECRET_ERROR_NOT_FOUND))
    {
      crm_job_return_pointer (job, GINT_TO_POINTER (FALSE), NULL);
      return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

void
crm_backup_has_passphrase_async (CrmSession          *session,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  crm_job_run (crm_job_new (session, NULL, CRM_JOB_NO_STORE, cancellable, NULL, NULL, callback, user_data),
               has_job, keyring_job_new (session), (GDestroyNotify) keyring_job_free);
}

gboolean
crm_backup_has_passphrase_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return GPOINTER_TO_INT (crm_job_propagate_pointer (result, error));
}

static gboolean
scheduled_job (CrmJob    *job,
               CrmStore  *store,
               gpointer   user_data,
               GError   **error)
{
  KeyringJob *data = user_data;
  GCancellable *cancellable = crm_job_get_cancellable (job);
  g_autofree char *path = NULL;
  char *passphrase;
  gboolean ok;

  if (data->folder == NULL || *data->folder == '\0' || !g_file_test (data->folder, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The backup folder “%s” does not exist: choose one in Preferences → Backups"),
                   data->folder != NULL ? data->folder : "");
      return FALSE;
    }
  passphrase = crm_secret_lookup_backup (data->database, cancellable, error);
  if (passphrase == NULL)
    return FALSE;
  path = crm_backup_scheduled_path (data->folder, g_get_real_time () / 1000);
  ok = crm_backup_create (store, path, passphrase, crm_job_progress_fraction, job, cancellable, error);
  crm_secret_free (passphrase);
  if (!ok)
    return FALSE;
  crm_job_set_committed (job);
  /* Pruning is housekeeping: the backup is made whether or not an old one can go. */
  crm_backup_prune (data->folder, MAX (data->keep, 1), NULL);
  crm_job_return_pointer (job, g_steal_pointer (&path), g_free);
  return TRUE;
}

void
crm_backup_scheduled_async (CrmSession          *session,
                            const char          *folder,
                            guint                keep,
                            GCancellable        *cancellable,
                            CrmJobProgressFunc   progress,
                            gpointer             progress_data,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  KeyringJob *data = keyring_job_new (session);

  data->folder = g_strdup (folder);
  data->keep = keep;
  crm_job_run (crm_job_new (session, NULL, CRM_JOB_READ, cancellable, progress, progress_data, callback, user_data),
               scheduled_job, data, (GDestroyNotify) keyring_job_free);
}

char *
crm_backup_scheduled_finish (GAsyncResult  *result,
                             GError       **error)
{
  return crm_job_propagate_pointer (result, error);
}

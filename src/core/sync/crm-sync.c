/* crm-sync.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-sync.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-dav.h"
#include "crm-secret.h"
#include "crm-woo.h"

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  crm_secret_free (secret);
}

static CrmDav *
dav_for (CrmAccount    *account,
         const char    *password,
         GCancellable  *cancellable,
         GError       **error)
{
  char *secret = NULL;
  CrmDav *dav;

  if (password == NULL && crm_account_has_secret (account) &&
      !(secret = crm_account_lookup_secret (account, cancellable, error)))
    return NULL;
  dav = crm_dav_new (crm_account_get_user (account), password != NULL ? password : secret, cancellable);
  crm_dav_set_trusted_certificate (dav, crm_account_get_trusted_certificate (account));
  wipe_free (secret);
  return dav;
}

static CrmWoo *
woo_for (CrmAccount    *account,
         const char    *secret,
         GCancellable  *cancellable,
         GError       **error)
{
  char *stored = NULL;
  CrmWoo *woo;

  if (secret == NULL && crm_account_has_secret (account) &&
      !(stored = crm_account_lookup_secret (account, cancellable, error)))
    return NULL;
  woo = crm_woo_new (crm_account_get_url (account), crm_account_get_user (account),
                     secret != NULL ? secret : stored, cancellable);
  crm_woo_set_trusted_certificate (woo, crm_account_get_trusted_certificate (account));
  wipe_free (stored);
  return woo;
}

gboolean
crm_sync_account (CrmStore       *store,
                  CrmAccount     *account,
                  GCancellable   *cancellable,
                  CrmSyncCounts  *counts,
                  GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(CrmDav) dav = NULL;
  gboolean ok;

  memset (counts, 0, sizeof *counts);
  if (crm_account_get_kind (account) == CRM_ACCOUNT_WOOCOMMERCE)
    {
      g_autoptr(CrmWoo) woo = woo_for (account, NULL, cancellable, &local_error);

      ok = woo != NULL && crm_woo_round (store, account, woo, counts, &local_error);
    }
  else
    ok = (dav = dav_for (account, NULL, cancellable, &local_error)) != NULL &&
         crm_carddav_round (store, account, dav, counts, &local_error);

  /* The outcome is kept with the account, whatever it was (a failed save is no reason to hide
   * the round's own error). */
  crm_account_save_result (store, account, ok ? crm_now_ms () : 0, ok ? NULL : local_error->message, NULL);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}

char *
crm_sync_test_connection (CrmAccount    *account,
                          const char    *password,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(CrmDav) dav = NULL;

  if (crm_account_get_kind (account) == CRM_ACCOUNT_WOOCOMMERCE)
    {
      g_autoptr(CrmWoo) woo = woo_for (account, password, cancellable, error);

      return woo != NULL ? crm_woo_check (woo, error) : NULL;
    }
  if (!(dav = dav_for (account, password, cancellable, error)))
    return NULL;
  return crm_carddav_discover (dav, crm_account_get_url (account), error);
}

static gboolean
sync_job (CrmJob    *job,
          CrmStore  *store,
          gpointer   data,
          GError   **error)
{
  CrmAccount *account = data;
  CrmSyncCounts counts;

  crm_job_progress (job, -1, _("Syncing…"));
  if (!crm_sync_account (store, account, crm_job_get_cancellable (job), &counts, error))
    return FALSE;
  crm_job_return_pointer (job, g_memdup2 (&counts, sizeof counts), g_free);
  return TRUE;
}

void
crm_sync_account_async (CrmSession          *session,
                        CrmAccount          *account,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  CrmJob *job = crm_job_new (session, NULL, CRM_JOB_WRITE, cancellable, NULL, NULL, callback, user_data);

  crm_job_run (job, sync_job, g_object_ref (account), g_object_unref);
}

CrmSyncCounts *
crm_sync_account_finish (GAsyncResult  *result,
                         GError       **error)
{
  return crm_job_propagate_pointer (result, error);
}

/* ---- accounts as jobs ------------------------------------------------------------------- */

typedef struct
{
  CrmAccount *account;
  char       *secret;
} AccountJob;

static void
account_job_free (gpointer data)
{
  AccountJob *a = data;

  g_clear_object (&a->account);
  if (a->secret != NULL)
    memset (a->secret, 0, strlen (a->secret));
  g_free (a->secret);
  g_free (a);
}

static AccountJob *
account_job_new (CrmAccount *account,
                 const char *secret)
{
  AccountJob *a = g_new0 (AccountJob, 1);

  a->account = g_object_ref (account);
  a->secret = g_strdup (secret);
  return a;
}

static gboolean
add_job (CrmJob    *job,
         CrmStore  *store,
         gpointer   data,
         GError   **error)
{
  AccountJob *a = data;

  return crm_account_add (store, a->account, a->secret, crm_job_get_cancellable (job), error);
}

void
crm_account_add_async (CrmSession          *session,
                       CrmAccount          *account,
                       const char          *secret,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  CrmJob *job = crm_job_new (session, NULL, CRM_JOB_WRITE, cancellable, NULL, NULL, callback, user_data);

  crm_job_run (job, add_job, account_job_new (account, secret), account_job_free);
}

gboolean
crm_account_add_finish (GAsyncResult  *result,
                        GError       **error)
{
  return crm_job_propagate_boolean (result, error);
}

static gboolean
remove_job (CrmJob    *job,
            CrmStore  *store,
            gpointer   data,
            GError   **error)
{
  AccountJob *a = data;

  return crm_account_remove (store, a->account, crm_job_get_cancellable (job), error);
}

void
crm_account_remove_async (CrmSession          *session,
                          CrmAccount          *account,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  CrmJob *job = crm_job_new (session, NULL, CRM_JOB_WRITE, cancellable, NULL, NULL, callback, user_data);

  crm_job_run (job, remove_job, account_job_new (account, NULL), account_job_free);
}

gboolean
crm_account_remove_finish (GAsyncResult  *result,
                           GError       **error)
{
  return crm_job_propagate_boolean (result, error);
}

static gboolean
test_connection_job (CrmJob    *job,
                     CrmStore  *store,
                     gpointer   data,
                     GError   **error)
{
  AccountJob *a = data;
  char *collection = crm_sync_test_connection (a->account, a->secret, crm_job_get_cancellable (job), error);

  if (collection == NULL)
    return FALSE;
  crm_job_return_pointer (job, collection, g_free);
  return TRUE;
}

void
crm_sync_test_connection_async (CrmSession          *session,
                                CrmAccount          *account,
                                const char          *password,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  CrmJob *job = crm_job_new (session, NULL, CRM_JOB_NO_STORE, cancellable, NULL, NULL, callback, user_data);

  crm_job_run (job, test_connection_job, account_job_new (account, password), account_job_free);
}

char *
crm_sync_test_connection_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return crm_job_propagate_pointer (result, error);
}

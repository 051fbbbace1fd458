/* crm-sync.h: a sync round of an account, as a CrmJob (never on the main thread).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-account.h"
#include "crm-carddav.h"
#include "crm-job.h"

G_BEGIN_DECLS

/* One round of @account on @store (blocking): its secret from the keyring, the network, the
 * result saved with the account (synced_at, last_error). */
gboolean       crm_sync_account          (CrmStore       *store,
                                          CrmAccount     *account,
                                          GCancellable   *cancellable,
                                          CrmSyncCounts  *counts,
                                          GError        **error);
/* Whether the account's server answers with @password (NULL: the keyring's): for CardDAV, finds
 * the address book and returns its URL; for WooCommerce, checks the site and the key and returns
 * the shop's name.  Blocking. */
char          *crm_sync_test_connection  (CrmAccount     *account,
                                          const char     *password,
                                          GCancellable   *cancellable,
                                          GError        **error);

/* crm_sync_account() as a CrmJob of @session; the counts (g_free) in the finish. */
void           crm_sync_account_async    (CrmSession          *session,
                                          CrmAccount          *account,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
CrmSyncCounts *crm_sync_account_finish   (GAsyncResult        *result,
                                          GError             **error);

/* The blocking account operations as CrmJobs of @session, for the interface: the keyring and
 * the network are never waited for on the main thread. */
void           crm_account_add_async     (CrmSession          *session,
                                          CrmAccount          *account,
                                          const char          *secret,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean       crm_account_add_finish    (GAsyncResult        *result,
                                          GError             **error);
void           crm_account_remove_async  (CrmSession          *session,
                                          CrmAccount          *account,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean       crm_account_remove_finish (GAsyncResult        *result,
                                          GError             **error);
/* @password NULL: the keyring's.  The address book's URL in the finish. */
void           crm_sync_test_connection_async  (CrmSession          *session,
                                                CrmAccount          *account,
                                                const char          *password,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
char          *crm_sync_test_connection_finish (GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS

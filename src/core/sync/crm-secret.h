/* crm-secret.h: passwords and API secrets of sync accounts, in the Secret Service (libsecret).
 *
 * Secrets never go to the database, GSettings, logs or the journal: the database keeps whether an
 * account has one.  Items use the schema io.github.clientele.Clientele.Account, found by the
 * account's uuid.  @kind is the account's ("carddav", "woocommerce") or "smtp" for the mail server
 * campaigns are sent through (crm-smtp.c; its uuid is the database's smtp.secret-id setting).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CRM_SECRET_ERROR (crm_secret_error_quark ())

typedef enum
{
  CRM_SECRET_ERROR_UNAVAILABLE,   /* no Secret Service reachable (no keyring running, no D-Bus) */
  CRM_SECRET_ERROR_FAILED,        /* it answered with an error (locked, refused) */
  CRM_SECRET_ERROR_NOT_FOUND,     /* no secret for the account */
} CrmSecretError;

GQuark   crm_secret_error_quark (void);

/* Blocking: call them from a worker or the CLI, never the UI's main thread. */
gboolean crm_secret_store       (const char    *account_uuid,
                                 const char    *kind,
                                 const char    *label,
                                 const char    *secret,
                                 GCancellable  *cancellable,
                                 GError       **error);
/* The secret (free with crm_secret_free()), or NULL with CRM_SECRET_ERROR_NOT_FOUND or another error. */
char    *crm_secret_lookup      (const char    *account_uuid,
                                 GCancellable  *cancellable,
                                 GError       **error);
/* TRUE also when there was nothing to remove. */
gboolean crm_secret_clear       (const char    *account_uuid,
                                 GCancellable  *cancellable,
                                 GError       **error);
/* Wipes the memory before freeing it. */
void     crm_secret_free        (char          *secret);
/* The passphrase of a database's backups (Preferences → Backups, scheduled backups), found by
 * the database's path: schema io.github.clientele.Clientele.Backup, attribute "database".
 * Blocking, as the above; lookup fails with CRM_SECRET_ERROR_NOT_FOUND when none is kept. */
gboolean crm_secret_store_backup  (const char    *database,
                                   const char    *passphrase,
                                   GCancellable  *cancellable,
                                   GError       **error);
char    *crm_secret_lookup_backup (const char    *database,
                                   GCancellable  *cancellable,
                                   GError       **error);
gboolean crm_secret_clear_backup  (const char    *database,
                                   GCancellable  *cancellable,
                                   GError       **error);
/* Drops libsecret's shared connection to the Secret Service, if one was made: at the end of a
 * process, so that nothing it cached is left behind (LeakSanitizer counts it as a leak). */
void     crm_secret_disconnect  (void);


G_END_DECLS

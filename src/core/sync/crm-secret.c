/* crm-secret.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-secret.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

G_DEFINE_QUARK (crm-secret-error-quark, crm_secret_error)

static const SecretSchema *
account_schema (void)
{
  static const SecretSchema schema = {
    "io.github.clientele.Clientele.Account", SECRET_SCHEMA_NONE,
    {
      { "uuid", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };

  return &schema;
}

static const SecretSchema *
backup_schema (void)
{
  static const SecretSchema schema = {
    "io.github.clientele.Clientele.Backup", SECRET_SCHEMA_NONE,
    {
      { "database", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };

  return &schema;
}

/* libsecret's error as ours: the Secret Service answered (SECRET_ERROR: locked, refused) or
 * nobody did (no bus, no keyring to activate). */
static gboolean
translate (GError  *local_error,
           GError **error)
{
  if (local_error == NULL)
    return TRUE;
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, local_error);
  else if (local_error->domain == SECRET_ERROR)
    {
      g_set_error (error, CRM_SECRET_ERROR, CRM_SECRET_ERROR_FAILED,
                   _("The keyring refused: %s"), local_error->message);
      g_error_free (local_error);
    }
  else
    {
      g_set_error (error, CRM_SECRET_ERROR, CRM_SECRET_ERROR_UNAVAILABLE,
                   _("No Secret Service is reachable to keep the password (is a keyring such as GNOME Keyring running?): %s"),
                   local_error->message);
      g_error_free (local_error);
    }
  return FALSE;
}

gboolean
crm_secret_store (const char    *account_uuid,
                  const char    *kind,
                  const char    *label,
                  const char    *secret,
                  GCancellable  *cancellable,
                  GError       **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (account_uuid != NULL && kind != NULL && secret != NULL, FALSE);

  secret_password_store_sync (account_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                              cancellable, &local_error,
                              "uuid", account_uuid, "kind", kind, NULL);
  return translate (local_error, error);
}

char *
crm_secret_lookup (const char    *account_uuid,
                   GCancellable  *cancellable,
                   GError       **error)
{
  GError *local_error = NULL;
  char *secret;

  secret = secret_password_lookup_sync (account_schema (), cancellable, &local_error,
                                        "uuid", account_uuid, NULL);
  if (!translate (local_error, error))
    return NULL;
  if (secret == NULL)
    g_set_error (error, CRM_SECRET_ERROR, CRM_SECRET_ERROR_NOT_FOUND,
                 _("The keyring has no password for this account: enter it again"));
  return secret;
}

gboolean
crm_secret_clear (const char    *account_uuid,
                  GCancellable  *cancellable,
                  GError       **error)
{
  GError *local_error = NULL;

  secret_password_clear_sync (account_schema (), cancellable, &local_error, "uuid", account_uuid, NULL);
  return translate (local_error, error);
}

gboolean
crm_secret_store_backup (const char    *database,
                         const char    *passphrase,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *label = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (database != NULL && passphrase != NULL, FALSE);

  /* Translators: the keyring item's name; %s is the database file. */
  label = g_strdup_printf (_("Clientele backup passphrase for %s"), database);
  secret_password_store_sync (backup_schema (), SECRET_COLLECTION_DEFAULT, label, passphrase,
                              cancellable, &local_error, "database", database, NULL);
  return translate (local_error, error);
}

char *
crm_secret_lookup_backup (const char    *database,
                          GCancellable  *cancellable,
                          GError       **error)
{
  GError *local_error = NULL;
  char *secret;

  secret = secret_password_lookup_sync (backup_schema (), cancellable, &local_error,
                                        "database", database, NULL);
  if (!translate (local_error, error))
    return NULL;
  if (secret == NULL)
    g_set_error (error, CRM_SECRET_ERROR, CRM_SECRET_ERROR_NOT_FOUND,
                 _("No backup passphrase is saved in the keyring: set one in Preferences → Backups"));
  return secret;
}

gboolean
crm_secret_clear_backup (const char    *database,
                         GCancellable  *cancellable,
                         GError       **error)
{
  GError *local_error = NULL;

  secret_password_clear_sync (backup_schema (), cancellable, &local_error, "database", database, NULL);
  return translate (local_error, error);
}

void
crm_secret_disconnect (void)
{
  secret_service_disconnect ();
}

void
crm_secret_free (char *secret)
{
  if (secret != NULL)
    secret_password_free (secret);
}

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

/* libsecret's *_sync() calls are not used here.  Each runs on a GMainContext of its own that is
 * dropped when the call returns, and the Secret Service proxy made in the first call subscribes
 * its D-Bus signals on that context.  When the proxy goes (secret_service_disconnect() at the
 * end of a process), GDBus (2.74) gives the subscriptions' data back through idle callbacks on
 * that context, which nobody iterates any more: three blocks lost per process, which
 * LeakSanitizer rightly reports (and a suppression could only name "anything inside libsecret").
 * So every call here runs libsecret's asynchronous API on one context of ours, kept for the life
 * of the process, and crm_secret_disconnect() runs it until the proxy's data is given back.
 * One call at a time: a context is iterated by one thread, and jobs may call from several. */
static GMutex lock;
static GMainContext *context;   /* made on first use, never freed (a global: not a leak) */

static void
begin (void)
{
  g_mutex_lock (&lock);
  if (context == NULL)
    context = g_main_context_new ();
  g_main_context_push_thread_default (context);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

/* Runs the context until the call started since begin() has its result. */
static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (context, TRUE);
  return *result;
}

/* Runs what the call left on the context (GDBus's idle callbacks), then lets others in. */
static void
end (GAsyncResult *result)
{
  g_clear_object (&result);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  g_mutex_unlock (&lock);
}

gboolean
crm_secret_store (const char    *account_uuid,
                  const char    *kind,
                  const char    *label,
                  const char    *secret,
                  GCancellable  *cancellable,
                  GError       **error)
{
  GAsyncResult *result = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (account_uuid != NULL && kind != NULL && secret != NULL, FALSE);

  begin ();
  secret_password_store (account_schema (), SECRET_COLLECTION_DEFAULT, label, secret, cancellable,
                         on_done, &result, "uuid", account_uuid, "kind", kind, NULL);
  secret_password_store_finish (wait_for (&result), &local_error);
  end (result);
  return translate (local_error, error);
}

/* Not secret_password_lookup(): in libsecret 0.20.5 (Debian 12) it goes through
 * secret_service_get_secret_for_dbus_path_finish(), which drops the D-Bus reply that carries
 * the secret without releasing it (fixed upstream in 0.21.2: "secret-paths: Make sure to unref
 * GVariant") — one reply lost per lookup.  Searching with SECRET_SEARCH_LOAD_SECRETS loads the
 * secret through the item (GetSecrets with the item's own handling), which releases its reply;
 * it unlocks and picks the first match as secret_password_lookup() does. */
/* The first item of @schema matching @attributes, its secret as ordinary memory (NULL with
 * @local_error unset when there is none). */
static char *
lookup (const SecretSchema  *schema,
        GHashTable          *attributes,
        GCancellable        *cancellable,
        GError             **local_error)
{
  GAsyncResult *result = NULL;
  SecretValue *value = NULL;
  GList *items;
  char *secret;

  begin ();
  secret_service_search (NULL, schema, attributes, SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                         cancellable, on_done, &result);
  items = secret_service_search_finish (NULL, wait_for (&result), local_error);
  if (items != NULL)
    value = secret_item_get_secret (items->data);
  /* The items' proxies go now, while end() can run what they hand back on the context. */
  g_list_free_full (items, g_object_unref);
  end (result);
  /* Ordinary memory, as secret_password_lookup() gave (freed with crm_secret_free() or g_free()). */
  secret = value != NULL ? g_strdup (secret_value_get_text (value)) : NULL;
  g_clear_pointer (&value, secret_value_unref);
  return secret;
}

char *
crm_secret_lookup (const char    *account_uuid,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GHashTable) attributes = secret_attributes_build (account_schema (), "uuid", account_uuid, NULL);
  GError *local_error = NULL;
  char *secret = lookup (account_schema (), attributes, cancellable, &local_error);

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
  GAsyncResult *result = NULL;
  GError *local_error = NULL;

  begin ();
  secret_password_clear (account_schema (), cancellable, on_done, &result, "uuid", account_uuid, NULL);
  secret_password_clear_finish (wait_for (&result), &local_error);
  end (result);
  return translate (local_error, error);
}

gboolean
crm_secret_store_backup (const char    *database,
                         const char    *passphrase,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *label = NULL;
  GAsyncResult *result = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (database != NULL && passphrase != NULL, FALSE);

  /* Translators: the keyring item's name; %s is the database file. */
  label = g_strdup_printf (_("Clientele backup passphrase for %s"), database);
  begin ();
  secret_password_store (backup_schema (), SECRET_COLLECTION_DEFAULT, label, passphrase, cancellable,
                         on_done, &result, "database", database, NULL);
  secret_password_store_finish (wait_for (&result), &local_error);
  end (result);
  return translate (local_error, error);
}

char *
crm_secret_lookup_backup (const char    *database,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GHashTable) attributes = secret_attributes_build (backup_schema (), "database", database, NULL);
  GError *local_error = NULL;
  char *secret = lookup (backup_schema (), attributes, cancellable, &local_error);

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
  GAsyncResult *result = NULL;
  GError *local_error = NULL;

  begin ();
  secret_password_clear (backup_schema (), cancellable, on_done, &result, "database", database, NULL);
  secret_password_clear_finish (wait_for (&result), &local_error);
  end (result);
  return translate (local_error, error);
}

void
crm_secret_disconnect (void)
{
  begin ();
  secret_service_disconnect ();
  /* The proxy's subscriptions hand their data back on the context: end() runs them. */
  end (NULL);
}

void
crm_secret_free (char *secret)
{
  if (secret != NULL)
    secret_password_free (secret);
}

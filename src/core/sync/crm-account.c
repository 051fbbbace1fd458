/* crm-account.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-account.h"

#include <glib/gi18n-lib.h>

#include "crm-entity.h"
#include "crm-journal.h"
#include "crm-secret.h"
#include "crm-text.h"

struct _CrmAccount
{
  GObject         parent_instance;

  gint64          id;
  char           *uuid;
  CrmAccountKind  kind;
  char           *name;
  char           *url;
  char           *user;
  gboolean        has_secret;
  char           *trusted_certificate;
  char           *collection;
  char           *sync_token;
  gint64          synced_at;
  char           *last_error;
  char           *origin;
};

G_DEFINE_FINAL_TYPE (CrmAccount, crm_account, G_TYPE_OBJECT)

static const char *const kind_names[] = { "carddav", "woocommerce" };

int
crm_account_kind_from_string (const char *kind)
{
  for (guint i = 0; kind != NULL && i < G_N_ELEMENTS (kind_names); i++)
    if (g_str_equal (kind, kind_names[i]))
      return (int) i;
  return -1;
}

const char *
crm_account_kind_to_string (CrmAccountKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

const char *
crm_account_kind_get_label (CrmAccountKind kind)
{
  return kind == CRM_ACCOUNT_CARDDAV ? _("CardDAV address book") : _("WooCommerce shop");
}

static void
crm_account_finalize (GObject *object)
{
  CrmAccount *self = CRM_ACCOUNT (object);

  g_free (self->uuid);
  g_free (self->name);
  g_free (self->url);
  g_free (self->user);
  g_free (self->collection);
  g_free (self->sync_token);
  g_free (self->last_error);
  g_free (self->origin);
  g_free (self->trusted_certificate);
  G_OBJECT_CLASS (crm_account_parent_class)->finalize (object);
}

static void
crm_account_class_init (CrmAccountClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = crm_account_finalize;
}

static void
crm_account_init (CrmAccount *self)
{
}

static void
set_uuid (CrmAccount *self,
          const char *uuid)
{
  g_free (self->uuid);
  g_free (self->origin);
  self->uuid = g_strdup (uuid);
  self->origin = g_strconcat ("sync:", uuid, NULL);
}

CrmAccount *
crm_account_new (CrmAccountKind  kind,
                 const char     *name,
                 const char     *url,
                 const char     *user)
{
  CrmAccount *self = g_object_new (CRM_TYPE_ACCOUNT, NULL);
  g_autofree char *uuid = g_uuid_string_random ();

  set_uuid (self, uuid);
  self->kind = kind;
  self->name = g_strdup (name);
  self->url = g_strdup (url);
  self->user = user != NULL && *user != '\0' ? g_strdup (user) : NULL;
  return self;
}

gint64 crm_account_get_id (CrmAccount *self) { return self->id; }
const char *crm_account_get_uuid (CrmAccount *self) { return self->uuid; }
CrmAccountKind crm_account_get_kind (CrmAccount *self) { return self->kind; }
const char *crm_account_get_name (CrmAccount *self) { return self->name; }
const char *crm_account_get_url (CrmAccount *self) { return self->url; }
const char *crm_account_get_user (CrmAccount *self) { return self->user; }
gboolean crm_account_has_secret (CrmAccount *self) { return self->has_secret; }
const char *crm_account_get_collection (CrmAccount *self) { return self->collection; }
const char *crm_account_get_sync_token (CrmAccount *self) { return self->sync_token; }
gint64 crm_account_get_synced_at (CrmAccount *self) { return self->synced_at; }
const char *crm_account_get_last_error (CrmAccount *self) { return self->last_error; }
const char *crm_account_get_origin (CrmAccount *self) { return self->origin; }
const char *crm_account_get_trusted_certificate (CrmAccount *self) { return self->trusted_certificate; }

void
crm_account_set_trusted_certificate (CrmAccount *self,
                                     const char *fingerprint)
{
  g_free (self->trusted_certificate);
  self->trusted_certificate = fingerprint != NULL && *fingerprint != '\0' ? g_ascii_strup (fingerprint, -1) : NULL;
}

gboolean
crm_account_validate (CrmAccount  *self,
                      GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;

  if (self->name == NULL || *g_strstrip (self->name) == '\0')
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, _("An account needs a name"));
      return FALSE;
    }
  if (!crm_text_validate (self->name, -1, 100, _("Account name"), error) ||
      !crm_text_validate (self->url, -1, 2000, _("Server address"), error) ||
      !crm_text_validate (self->user, -1, 200, _("User name"), error))
    return FALSE;

  if (self->trusted_certificate != NULL && !g_regex_match_simple ("^([0-9A-F]{2}:){31}[0-9A-F]{2}$", self->trusted_certificate, 0, 0))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("“%s” is not a SHA-256 certificate fingerprint (32 pairs of hex digits separated by colons)"),
                   self->trusted_certificate);
      return FALSE;
    }

  uri = self->url != NULL ? g_uri_parse (self->url, G_URI_FLAGS_NONE, &local_error) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "http") != 0))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("“%s” is not a server address (expected https://host/…)"), self->url ? self->url : "");
      return FALSE;
    }
  return TRUE;
}

/* ---- the table --------------------------------------------------------------------- */

#define ACCOUNT_COLUMNS "id, uuid, kind, name, url, user, has_secret, collection, sync_token, synced_at, last_error," \
                        " trusted_certificate"

static char *
column_text (sqlite3_stmt *stmt,
             int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

static CrmAccount *
account_from_row (sqlite3_stmt *stmt)
{
  CrmAccount *self = g_object_new (CRM_TYPE_ACCOUNT, NULL);
  int kind = crm_account_kind_from_string ((const char *) sqlite3_column_text (stmt, 2));

  self->id = sqlite3_column_int64 (stmt, 0);
  set_uuid (self, (const char *) sqlite3_column_text (stmt, 1));
  self->kind = kind >= 0 ? (CrmAccountKind) kind : CRM_ACCOUNT_CARDDAV;
  self->name = column_text (stmt, 3);
  self->url = column_text (stmt, 4);
  self->user = column_text (stmt, 5);
  self->has_secret = sqlite3_column_int (stmt, 6) != 0;
  self->collection = column_text (stmt, 7);
  self->sync_token = column_text (stmt, 8);
  self->synced_at = sqlite3_column_int64 (stmt, 9);
  self->last_error = column_text (stmt, 10);
  self->trusted_certificate = column_text (stmt, 11);
  return self;
}

GPtrArray *
crm_account_list (CrmStore  *store,
                  GError   **error)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = crm_store_prepare (store, "SELECT " ACCOUNT_COLUMNS " FROM sync_accounts ORDER BY name, id", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (accounts, account_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&accounts);
}

CrmAccount *
crm_account_find (CrmStore    *store,
                  const char  *name,
                  GError     **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store, "SELECT " ACCOUNT_COLUMNS " FROM sync_accounts WHERE name = ?", error);
  CrmAccount *account = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    account = account_from_row (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return account;
  if (rc == SQLITE_DONE)
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND, _("There is no account “%s”"), name);
  else
    crm_store_set_error (store, rc, error);
  return NULL;
}

gboolean
crm_account_add (CrmStore      *store,
                 CrmAccount    *account,
                 const char    *secret,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(CrmAccount) existing = NULL;
  g_autofree char *label = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (account->id == 0, FALSE);

  if (!crm_account_validate (account, error))
    return FALSE;
  if ((existing = crm_account_find (store, account->name, NULL)) != NULL)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("There is already an account “%s”"), account->name);
      return FALSE;
    }

  /* The row and the reader first, in a transaction that the keyring's answer commits: a secret
   * that cannot be stored leaves nothing behind. */
  if (!crm_store_begin (store, error))
    return FALSE;
  stmt = crm_store_prepare (store, "INSERT INTO sync_accounts (uuid, kind, name, url, user, has_secret, created_at,"
                                   " trusted_certificate) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, account->uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, crm_account_kind_to_string (account->kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, account->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, account->url, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, account->user, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 6, secret != NULL);
  sqlite3_bind_int64 (stmt, 7, crm_now_ms ());
  sqlite3_bind_text (stmt, 8, account->trusted_certificate, -1, SQLITE_TRANSIENT);
  if (!crm_store_step (store, stmt, error) ||
      !crm_journal_add_consumer (store, account->origin, account->origin, error))
    goto fail;
  account->id = sqlite3_last_insert_rowid (crm_store_get_db (store));

  /* Translators: the keyring item's label, e.g. "Clientele: Team contacts" */
  label = g_strdup_printf (_("Clientele: %s"), account->name);
  if (secret != NULL &&
      !crm_secret_store (account->uuid, crm_account_kind_to_string (account->kind), label, secret, cancellable, error))
    goto fail;
  if (!crm_store_commit (store, error))
    {
      if (secret != NULL)
        crm_secret_clear (account->uuid, NULL, NULL);
      goto fail;
    }
  account->has_secret = secret != NULL;
  return TRUE;

fail:
  crm_store_rollback (store);
  account->id = 0;
  return FALSE;
}

gboolean
crm_account_remove (CrmStore      *store,
                    CrmAccount    *account,
                    GCancellable  *cancellable,
                    GError       **error)
{
  sqlite3_stmt *stmt;

  if (!crm_store_begin (store, error))
    return FALSE;
  if (!(stmt = crm_store_prepare (store, "DELETE FROM sync_accounts WHERE id = ?", error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, account->id);
  if (!crm_store_step (store, stmt, error) ||
      !crm_journal_remove_consumer (store, account->origin, error))
    goto fail;
  /* The secret goes before the commit: when the keyring cannot be reached, the account stays,
   * so that removing it again later removes the secret too. */
  if (account->has_secret && !crm_secret_clear (account->uuid, cancellable, error))
    goto fail;
  return crm_store_commit (store, error);

fail:
  crm_store_rollback (store);
  return FALSE;
}

char *
crm_account_lookup_secret (CrmAccount    *self,
                           GCancellable  *cancellable,
                           GError       **error)
{
  if (!self->has_secret)
    return NULL;
  return crm_secret_lookup (self->uuid, cancellable, error);
}

gboolean
crm_account_save_state (CrmStore    *store,
                        CrmAccount  *self,
                        const char  *collection,
                        const char  *sync_token,
                        GError     **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store, "UPDATE sync_accounts SET collection = ?, sync_token = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, sync_token, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, self->id);
  if (!crm_store_step (store, stmt, error))
    return FALSE;
  if (collection != self->collection)
    {
      g_free (self->collection);
      self->collection = g_strdup (collection);
    }
  if (sync_token != self->sync_token)
    {
      g_free (self->sync_token);
      self->sync_token = g_strdup (sync_token);
    }
  return TRUE;
}

gboolean
crm_account_save_result (CrmStore    *store,
                         CrmAccount  *self,
                         gint64       synced_at,
                         const char  *last_error,
                         GError     **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store, "UPDATE sync_accounts SET synced_at = coalesce(?, synced_at),"
                                                 " last_error = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  if (synced_at != 0)
    sqlite3_bind_int64 (stmt, 1, synced_at);
  sqlite3_bind_text (stmt, 2, last_error, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, self->id);
  if (!crm_store_step (store, stmt, error))
    return FALSE;
  if (synced_at != 0)
    self->synced_at = synced_at;
  g_free (self->last_error);
  self->last_error = g_strdup (last_error);
  return TRUE;
}

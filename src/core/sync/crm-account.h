/* crm-account.h: a sync account — a CardDAV address book or a WooCommerce shop.
 *
 * Accounts live in the database (sync_accounts): kind, name, URL, user, and where a round got to.
 * Their password or API secret is in the keyring (crm-secret.h), never in the database.  Each
 * account reads the change journal as its own consumer ("sync:UUID"), and what it writes while
 * applying what it pulled is tagged with its origin (the same name), so that it is not pushed back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-store.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_ACCOUNT_CARDDAV,
  CRM_ACCOUNT_WOOCOMMERCE,
} CrmAccountKind;

#define CRM_TYPE_ACCOUNT (crm_account_get_type ())
G_DECLARE_FINAL_TYPE (CrmAccount, crm_account, CRM, ACCOUNT, GObject)

/* "carddav", "woocommerce"; -1 for another name. */
int             crm_account_kind_from_string (const char     *kind);
const char     *crm_account_kind_to_string   (CrmAccountKind  kind);
const char     *crm_account_kind_get_label   (CrmAccountKind  kind);   /* translated */

CrmAccount     *crm_account_new              (CrmAccountKind  kind,
                                              const char     *name,
                                              const char     *url,
                                              const char     *user);
gint64          crm_account_get_id           (CrmAccount     *self);
const char     *crm_account_get_uuid         (CrmAccount     *self);
CrmAccountKind  crm_account_get_kind         (CrmAccount     *self);
const char     *crm_account_get_name         (CrmAccount     *self);
const char     *crm_account_get_url          (CrmAccount     *self);
const char     *crm_account_get_user         (CrmAccount     *self);
gboolean        crm_account_has_secret       (CrmAccount     *self);
/* CardDAV: the address book found by discovery (NULL before); the sync-token of the last pull. */
const char     *crm_account_get_collection   (CrmAccount     *self);
const char     *crm_account_get_sync_token   (CrmAccount     *self);
gint64          crm_account_get_synced_at    (CrmAccount     *self);
const char     *crm_account_get_last_error   (CrmAccount     *self);
/* The SHA-256 fingerprint ("AB:CD:…") of a server certificate the user trusts although no
 * authority vouches for it (a self-signed server); NULL: only what the system trusts. */
const char     *crm_account_get_trusted_certificate (CrmAccount *self);
void            crm_account_set_trusted_certificate (CrmAccount *self,
                                                     const char *fingerprint);
/* The journal consumer and origin of the account: "sync:UUID". */
const char     *crm_account_get_origin       (CrmAccount     *self);

/* Checks the name (non-empty text), the URL (http or https with a host) and the user. */
gboolean        crm_account_validate         (CrmAccount     *self,
                                              GError        **error);

/* Every account, by name. */
GPtrArray      *crm_account_list             (CrmStore       *store,
                                              GError        **error);
/* The account called @name; CRM_STORE_ERROR_NOT_FOUND if there is none. */
CrmAccount     *crm_account_find             (CrmStore       *store,
                                              const char     *name,
                                              GError        **error);
/* Saves a new account and, when @secret is given, puts it in the keyring: all or nothing (a
 * keyring that cannot be reached leaves no account behind).  Blocking (the keyring). */
gboolean        crm_account_add              (CrmStore       *store,
                                              CrmAccount     *account,
                                              const char     *secret,
                                              GCancellable   *cancellable,
                                              GError        **error);
/* Removes the account, its links and journal reader, and its secret from the keyring. */
gboolean        crm_account_remove           (CrmStore       *store,
                                              CrmAccount     *account,
                                              GCancellable   *cancellable,
                                              GError        **error);
/* The account's secret from the keyring; NULL without error when it has none. */
char           *crm_account_lookup_secret    (CrmAccount     *self,
                                              GCancellable   *cancellable,
                                              GError        **error);

/* After a round (in the caller's transaction or alone). */
gboolean        crm_account_save_state       (CrmStore       *store,
                                              CrmAccount     *self,
                                              const char     *collection,
                                              const char     *sync_token,
                                              GError        **error);
gboolean        crm_account_save_result      (CrmStore       *store,
                                              CrmAccount     *self,
                                              gint64          synced_at,
                                              const char     *last_error,
                                              GError        **error);

G_END_DECLS

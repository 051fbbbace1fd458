/* crm-carddav.h: two-way sync of customers with a CardDAV address book (RFC 6352).
 *
 * A round pulls first (sync-collection, RFC 6578, from the stored sync-token; a full listing
 * when there is none or the server refuses it), fetches the changed cards with
 * addressbook-multiget and applies them in one transaction tagged with the account's origin, so
 * that the journal does not hand them back as local edits.  Then it pushes what the account's
 * journal reader has not acknowledged (and, on the first round, every customer the address book
 * does not have yet): creates with If-None-Match: *, updates and deletes with If-Match.  A 412
 * is a conflict: the card is fetched again and merged per field against the version last synced
 * (a field changed on one side only takes that side's value; changed on both, the server's
 * wins, counted as a conflict), then pushed again.  Customers are vCards through the field
 * catalogue (crm-vcard.c); a card's UID is the customer's uuid, and a card made elsewhere keeps
 * its own UID.
 *
 * Everything here blocks: run it in a CrmJob (crm-sync.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-account.h"
#include "crm-dav.h"
#include "crm-store.h"

G_BEGIN_DECLS

typedef struct
{
  guint pulled;      /* customers created, changed or deleted here from the server */
  guint pushed;      /* cards created, changed or deleted on the server */
  guint conflicts;   /* cards changed on both sides since the last round */
  guint skipped;     /* cards that could not be read (no name, bad text) */
} CrmSyncCounts;

/* The address book behind @url: @url itself when it is one; else through the server's
 * /.well-known/carddav, current-user-principal and addressbook-home-set, the first address
 * book there.  Its URL. */
char     *crm_carddav_discover (CrmDav         *dav,
                                const char     *url,
                                GError        **error);
/* One round for @account (its collection discovered and saved on the first). */
gboolean  crm_carddav_round    (CrmStore       *store,
                                CrmAccount     *account,
                                CrmDav         *dav,
                                CrmSyncCounts  *counts,
                                GError        **error);

G_END_DECLS

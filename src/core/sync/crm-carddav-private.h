/* crm-carddav-private.h: what the files of the CardDAV worker share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-carddav.h"
#include "crm-customer.h"

G_BEGIN_DECLS

/* A customer as one account's address book has it. */
typedef struct
{
  gint64  customer_id;
  char   *href;    /* absolute URL of the card */
  char   *etag;
  char   *uid;     /* the card's UID when it is not the customer's uuid (made elsewhere) */
  char   *card;    /* the card as last synced: the base of a merge */
} CrmCarddavLink;

typedef struct
{
  GHashTable *by_href;       /* href → CrmCarddavLink (owning) */
  GHashTable *by_customer;   /* &customer_id → the same */
} CrmCarddavLinks;

/* The customer's vCard cells (crm_vcard_columns() order; "" for none); @uid NULL: its uuid. */
GStrv            crm_carddav_customer_cells (CrmCustomer        *customer,
                                             const char         *uid);
char            *crm_carddav_card_text      (const char * const *cells);
/* The card @base_text (whose cells are @base) with the properties of the fields that differ in
 * @cells written anew and every other property kept as it is; a new card without a base. */
char            *crm_carddav_card_update    (const char         *base_text,
                                             const char * const *base,
                                             const char * const *cells);
/* The cells of the first card of @text, with a name made up when FN is missing; the card's
 * own UID as written in @uid. */
GStrv            crm_carddav_parse_card     (const char         *text,
                                             char              **uid,
                                             GError            **error);
/* The customer uuid a card's UID names ("" when it is not a uuid). */
const char      *crm_carddav_cells_uid      (const char * const *cells);
/* Whether the stored fields of two cards are the same. */
gboolean         crm_carddav_cells_equal    (const char * const *a,
                                             const char * const *b);
/* Applies @remote to @customer field by field against @base (NULL: never synced); the number of
 * fields changed on both sides. */
guint            crm_carddav_merge          (CrmCustomer        *customer,
                                             const char * const *base,
                                             const char * const *remote);

void             crm_carddav_link_free      (CrmCarddavLink     *link);
CrmCarddavLinks *crm_carddav_links_load     (CrmStore           *store,
                                             CrmAccount         *account,
                                             GError            **error);
void             crm_carddav_links_free     (CrmCarddavLinks    *links);
gboolean         crm_carddav_link_save      (CrmStore           *store,
                                             CrmAccount         *account,
                                             CrmCarddavLinks    *links,
                                             gint64              customer_id,
                                             const char         *href,
                                             const char         *etag,
                                             const char         *uid,
                                             const char         *card,
                                             GError            **error);
gboolean         crm_carddav_link_delete    (CrmStore           *store,
                                             CrmAccount         *account,
                                             CrmCarddavLinks    *links,
                                             gint64              customer_id,
                                             GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmCarddavLinks, crm_carddav_links_free)

G_END_DECLS

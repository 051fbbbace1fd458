/* crm-member-card.h: member card numbers (issue 15).
 *
 * A card number is 16 digits: "8", fourteen random digits and a Luhn check digit (ISO/IEC 7812),
 * so a mistyped digit or two swapped neighbours are caught before the database is asked.  A
 * customer has at most one live card; a lost card is reissued: the old number is revoked (its
 * row stays, as history) and refused from then on, and a new number is issued.  The search box
 * finds a customer by the live number (crm-query.c asks crm_member_card_normalize()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_MEMBER_CARD_ERROR (crm_member_card_error_quark ())

typedef enum
{
  CRM_MEMBER_CARD_ERROR_INVALID,   /* not a card number: length or check digit */
  CRM_MEMBER_CARD_ERROR_UNKNOWN,   /* a valid number no card has */
  CRM_MEMBER_CARD_ERROR_REVOKED,   /* a reissued card's old number */
  CRM_MEMBER_CARD_ERROR_EXISTS,    /* the customer has a card already */
  CRM_MEMBER_CARD_ERROR_NONE,      /* the customer has no card */
} CrmMemberCardError;

GQuark crm_member_card_error_quark (void);

#define CRM_MEMBER_CARD_DIGITS 16

/* The Luhn check digit (0–9) of @digits (ASCII digits only), or -1 if it holds anything else. */
int       crm_member_card_luhn_digit (const char *digits);
/* Whether @number (ASCII digits) ends in the right check digit. */
gboolean  crm_member_card_luhn_valid (const char *number);
/* @text without spaces and dashes, if that is CRM_MEMBER_CARD_DIGITS digits with a valid check
 * digit; NULL otherwise. */
char     *crm_member_card_normalize  (const char *text);
/* "8123 4567 8901 2345". */
char     *crm_member_card_format     (const char *number);

typedef struct
{
  gint64  id;
  char   *number;
  gint64  customer_id;
  gint64  issued_at;
  gint64  revoked_at;   /* 0: the live card */
  char   *reason;       /* why it was revoked */
} CrmMemberCard;

void           crm_member_card_free     (CrmMemberCard *card);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmMemberCard, crm_member_card_free)

/* A new card for @customer_id (refused with _EXISTS if it has one). */
CrmMemberCard *crm_member_card_issue    (CrmStore      *store,
                                         gint64         customer_id,
                                         GError       **error);
/* The live card of @customer_id; NULL with _NONE if there is none. */
CrmMemberCard *crm_member_card_get      (CrmStore      *store,
                                         gint64         customer_id,
                                         GError       **error);
/* Revokes the live card (for @reason, may be NULL) and issues a new one, in one transaction;
 * refused with _NONE if there is no live card. */
CrmMemberCard *crm_member_card_reissue  (CrmStore      *store,
                                         gint64         customer_id,
                                         const char    *reason,
                                         GError       **error);
/* Every card of @customer_id, newest first (CrmMemberCard). */
GPtrArray     *crm_member_card_history  (CrmStore      *store,
                                         gint64         customer_id,
                                         GError       **error);
/* The customer whose live card has @text's number; 0 with _INVALID, _UNKNOWN or _REVOKED. */
gint64         crm_member_card_lookup   (CrmStore      *store,
                                         const char    *text,
                                         GError       **error);

/* The printable card of @customer_id (name, tier, number, a QR code of the number) as a one-page
 * PDF of ID-1 size (85.6 × 54 mm) into @path. */
gboolean       crm_member_card_write_pdf (CrmStore     *store,
                                          gint64        customer_id,
                                          const char   *path,
                                          GError      **error);

/* Where the printed card draws a QR code of @n_modules modules a side (QRcode.width): the top-left
 * corner of its first module and a module's size, in points from the card's top left (the QR code
 * is the number as libqrencode encodes it at level M; tests read it back from the PDF). */
void           crm_member_card_qr_geometry (int          n_modules,
                                            double      *x,
                                            double      *y,
                                            double      *module);

G_END_DECLS

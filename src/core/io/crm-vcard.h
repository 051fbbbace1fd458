/* crm-vcard.h: vCard 2.1/3.0/4.0 reading (as GNOME Contacts, Evolution, Thunderbird and Google
 * write them) and vCard 3.0/4.0 export of customers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading maps each card onto the columns of crm_vcard_columns() (names of the customer import's
 * fields), so CrmImporter imports a .vcf file with the same duplicate policy and reject reports
 * as a CSV file.  A card keeps one phone and one e-mail (the preferred, else a mobile, else the
 * first), one address (preferred, else the first) and the first ORG component.  A value that
 * cannot be read as it is does not cost the card: text in a character set the card does not
 * name is decoded as GB18030 or Windows-1252 (or made valid), a tel: URI's extension is kept
 * after the number, a birthday without a year goes into the notes; each says so in a warning
 * with its line (crm_vcard_card_get_warning()).
 */
#pragma once

#include <gio/gio.h>

#include "crm-query.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_VCARD_ERROR (crm_vcard_error_quark ())

typedef enum
{
  CRM_VCARD_ERROR_TRUNCATED,     /* BEGIN:VCARD without END:VCARD */
  CRM_VCARD_ERROR_INVALID_TEXT,  /* a NUL byte in a card; a damaged UTF-16 file */
  CRM_VCARD_ERROR_TOO_LARGE,     /* a card over 16 MiB */
  CRM_VCARD_ERROR_EMPTY,         /* no name, e-mail, phone or organisation */
} CrmVcardError;

typedef enum
{
  CRM_VCARD_VERSION_3_0 = 3,
  CRM_VCARD_VERSION_4_0 = 4,
} CrmVcardVersion;

typedef struct _CrmVcardParser CrmVcardParser;
typedef struct _CrmVcardCard CrmVcardCard;

GQuark              crm_vcard_error_quark        (void);

/* uuid, name, first_name, last_name, phone, email, company, occupation, address, city, region,
 * postal_code, country, birthday, notes, tags, external_id */
const char * const *crm_vcard_columns            (guint            *n_columns);

/* A file's bytes as UTF-8 for the parser: UTF-16 (LE or BE, with a byte order mark or without:
 * Windows' "Unicode") is converted; UTF-8 behind a UTF-16 byte order mark is taken as UTF-8;
 * anything else is returned as it is, without a UTF-16 byte order mark (NUL-terminated). */
char               *crm_vcard_decode             (const char       *data,
                                                  gsize             len,
                                                  gsize            *out_len,
                                                  GError          **error);
/* @data must stay alive as long as the parser. */
CrmVcardParser     *crm_vcard_parser_new         (const char       *data,
                                                  gsize             len);
void                crm_vcard_parser_free        (CrmVcardParser   *parser);
/* The next card; NULL without error at the end; NULL with an error for a bad card (skipped: the
 * next call goes on after it). */
CrmVcardCard       *crm_vcard_parser_next        (CrmVcardParser   *parser,
                                                  GError          **error);
gsize               crm_vcard_parser_get_offset  (CrmVcardParser   *parser);
/* Text and first line of the card last returned or refused. */
char               *crm_vcard_parser_get_last_raw  (CrmVcardParser *parser);
guint64             crm_vcard_parser_get_last_line (CrmVcardParser *parser);

/* Cells in crm_vcard_columns() order; "" for a missing value. */
const char * const *crm_vcard_card_get_cells     (CrmVcardCard     *card,
                                                  guint            *n_cells);
/* The line of the property each cell came from (0 for an empty cell), in the order of the cells. */
const guint64      *crm_vcard_card_get_cell_lines (CrmVcardCard    *card);
/* What the reader could not take as it was but kept (a guessed character set, a phone
 * extension, ...): a translated message and the line of its property. */
guint               crm_vcard_card_get_n_warnings (CrmVcardCard    *card);
const char         *crm_vcard_card_get_warning   (CrmVcardCard     *card,
                                                  guint             index,
                                                  guint64          *line);
const char         *crm_vcard_card_get_raw       (CrmVcardCard     *card);
guint64             crm_vcard_card_get_line      (CrmVcardCard     *card);
void                crm_vcard_card_free          (CrmVcardCard     *card);

/* Text value escaping (RFC 6350 §3.4): \ , ; and line breaks. */
char               *crm_vcard_escape             (const char       *text);
/* Appends one card for @cells (crm_vcard_columns() order, NULL or "" = none), folded at 75 octets. */
void                crm_vcard_append_card        (GString            *out,
                                                  CrmVcardVersion     version,
                                                  const char * const *cells);

typedef void (*CrmVcardExportProgress) (guint64 rows, gpointer user_data);

/* The customers @query selects (NULL: all), in its order; the file appears only when complete. */
gboolean            crm_vcard_export_customers   (CrmStore               *store,
                                                  CrmQuery               *query,
                                                  const char             *path,
                                                  CrmVcardVersion         version,
                                                  CrmVcardExportProgress  progress,
                                                  gpointer                user_data,
                                                  GCancellable           *cancellable,
                                                  guint64                *out_rows,
                                                  GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmVcardParser, crm_vcard_parser_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmVcardCard, crm_vcard_card_free)

G_END_DECLS

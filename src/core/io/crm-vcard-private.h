/* crm-vcard-private.h: what the vCard reader (crm-vcard.c) and writer (crm-vcard-write.c) share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-customer-fields.h"

G_BEGIN_DECLS

/* The cells of a card are the catalogue's fields that have a vCard property, in its order. */
typedef struct
{
  const CrmCustomerFieldInfo **fields;
  const char                 **names;    /* NULL-terminated */
  guint                        n;
  char                        *select;   /* their stored values, for the export */
  /* The cells of the properties read or written in a way of their own; -1 for none. */
  int                          uid, fn, family, given, org, title, tel, email, bday, note, categories;
  int                          adr[8];   /* by component, 1 to 7 */
  int                          external_id;   /* where a UID that is not a UUID goes */
} CrmVcardColumns;

const CrmVcardColumns *crm_vcard_columns_info (void);

G_END_DECLS

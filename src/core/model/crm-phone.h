/* crm-phone.h: the identity of a phone number — its full international form, completed with the
 * shop's region when it was written as dialled inside the country.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Fewer digits than this (extension left out) and a number is nobody's identity. */
#define CRM_PHONE_MIN_DIGITS 7

typedef struct
{
  const char *code;            /* ISO 3166-1 alpha-2: "CN" */
  const char *name;            /* N_(): translate with _() */
  const char *calling_code;    /* "86" */
} CrmPhoneRegion;

/* The identity key of @phone: "+" and the digits of its international form (E.164), so
 * "+86 138 0013 8000", "008613800138000" and, in @region "CN", "138-0013-8000" all give
 * "+8613800138000".  A number written without "+" or an international prefix is completed with
 * @region's calling code, its trunk prefix dropped ("0571 8888 8888" → "+8657188888888"; in
 * "US" "1 415 555 0100" → "+14155550100"); a trunk prefix kept after a country code
 * ("+44 (0)20 …") is dropped too.  An extension (";ext=12", "x12", "ext. 12", "#12", "转12") is
 * not part of the number.  NULL when @phone has fewer than CRM_PHONE_MIN_DIGITS digits (or
 * none).  When @region is NULL or not in crm_phone_regions(), a national number keeps its
 * digits as written, without "+": it matches itself only. */
char                 *crm_phone_key           (const char  *phone,
                                               const char  *region);

/* The regions whose numbers are completed, in the order a list shows them. */
const CrmPhoneRegion *crm_phone_regions       (guint       *n_regions);
/* @code (any case) in crm_phone_regions(), or NULL. */
const CrmPhoneRegion *crm_phone_region_lookup (const char  *code);
/* Whether @code looks like an ISO 3166-1 alpha-2 code (two ASCII letters, any case). */
gboolean              crm_phone_region_is_valid (const char *code);
/* The length of the country calling code @digits start with (after "+" or "00"). */
guint                 crm_phone_calling_code_length (const char *digits);

/* The territory of the user's locale ("CN" for zh_CN.UTF-8), or NULL: LC_ALL, LC_TELEPHONE,
 * LC_ADDRESS then LANG, the first that is set. */
const char           *crm_phone_locale_region (void);
/* The region a database without a "region" setting uses: the locale's, else "CN". */
const char           *crm_phone_default_region (void);

G_END_DECLS

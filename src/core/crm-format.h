/* crm-format.h: money, numbers and times as the user's locale writes them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Digits after the decimal point of an ISO 4217 currency (JPY 0, CNY 2, ...). */
guint   crm_currency_exponent   (const char *currency);
/* "¥1,234.50", "€1.234,50" per locale; @minor in the currency's minor units. */
char   *crm_format_money        (gint64      minor,
                                 const char *currency);
/* Grouped integer: "1,234,567" (or the locale's separator). */
char   *crm_format_count        (gint64      n);
/* "¥" for CNY, "$" for USD…; NULL for a currency without a known symbol. */
const char *crm_currency_symbol (const char *currency);
/* A date in the local zone and locale; NULL or "" for 0. */
char   *crm_format_date         (gint64      ms_utc);
char   *crm_format_date_time    (gint64      ms_utc);
/* Parses "1,234.50", "¥1,234", "1234" (and "1.234,50" with @decimal_comma) to
 * minor units; FALSE if it is not an amount. */
gboolean crm_parse_money        (const char *text,
                                 guint       exponent,
                                 gboolean    decimal_comma,
                                 gint64     *out_minor);

G_END_DECLS

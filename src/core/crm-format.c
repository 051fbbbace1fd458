/* crm-format.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-format.h"

#include <langinfo.h>
#include <locale.h>
#include <string.h>

guint
crm_currency_exponent (const char *currency)
{
  static const char *zero[] = { "JPY", "KRW", "VND", "CLP", "ISK", "TWD0", "UGX", "XAF", "XOF" };

  if (currency == NULL)
    return 2;
  for (guint i = 0; i < G_N_ELEMENTS (zero); i++)
    if (g_ascii_strcasecmp (currency, zero[i]) == 0)
      return 0;

  return 2;
}

static const char *
currency_symbol (const char *currency);

const char *
crm_currency_symbol (const char *currency)
{
  return currency_symbol (currency);
}

static const char *
currency_symbol (const char *currency)
{
  static const struct { const char *code, *symbol; } symbols[] = {
    { "CNY", "¥" }, { "JPY", "¥" }, { "USD", "$" }, { "EUR", "€" }, { "GBP", "£" },
    { "HKD", "HK$" }, { "TWD", "NT$" }, { "KRW", "₩" }, { "SGD", "S$" }, { "AUD", "A$" },
    { "CAD", "CA$" }, { "INR", "₹" },
  };

  for (guint i = 0; currency && i < G_N_ELEMENTS (symbols); i++)
    if (g_ascii_strcasecmp (currency, symbols[i].code) == 0)
      return symbols[i].symbol;

  return NULL;
}

static void
locale_separators (const char **decimal,
                   const char **thousands)
{
  struct lconv *lc = localeconv ();

  *decimal = (lc->decimal_point && *lc->decimal_point) ? lc->decimal_point : ".";
  *thousands = (lc->thousands_sep && *lc->thousands_sep) ? lc->thousands_sep : ",";
}

static void
append_grouped (GString    *out,
                guint64     n,
                const char *sep)
{
  char digits[32];
  int len = g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, n);

  for (int i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, sep);
      g_string_append_c (out, digits[i]);
    }
}

char *
crm_format_count (gint64 n)
{
  const char *dec, *sep;
  GString *out = g_string_new (NULL);

  locale_separators (&dec, &sep);
  if (n < 0)
    g_string_append_c (out, '-');
  append_grouped (out, n < 0 ? (guint64) -(n + 1) + 1 : (guint64) n, sep);

  return g_string_free (out, FALSE);
}

/* Integer arithmetic only: money is never a double here. */
char *
crm_format_money (gint64      minor,
                  const char *currency)
{
  guint exp = crm_currency_exponent (currency);
  guint64 scale = 1, abs_minor;
  const char *dec, *sep, *symbol = currency_symbol (currency);
  GString *out = g_string_new (NULL);

  locale_separators (&dec, &sep);
  for (guint i = 0; i < exp; i++)
    scale *= 10;
  abs_minor = minor < 0 ? (guint64) -(minor + 1) + 1 : (guint64) minor;

  if (minor < 0)
    g_string_append_c (out, '-');
  if (symbol != NULL)
    g_string_append (out, symbol);
  append_grouped (out, abs_minor / scale, sep);
  if (exp > 0)
    g_string_append_printf (out, "%s%0*" G_GUINT64_FORMAT, dec, (int) exp, abs_minor % scale);
  if (symbol == NULL && currency != NULL)
    g_string_append_printf (out, " %s", currency);

  return g_string_free (out, FALSE);
}

static char *
format_ms (gint64      ms_utc,
           const char *format)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (ms_utc == 0)
    return g_strdup ("");

  utc = g_date_time_new_from_unix_utc (ms_utc / 1000);
  if (utc == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (utc);

  return g_date_time_format (local, format);
}

/* The locale's date format with a four-digit year; the C locale's MM/DD/YY becomes
 * ISO 8601; a date written with 年月日 (zh, ja) has no zero padding ("2026年7月24日"). */
static char *
date_format (void)
{
  const char *fmt = nl_langinfo (D_FMT);
  gboolean cjk;
  GString *out;

  if (fmt == NULL || fmt[0] == '\0' || strcmp (fmt, "%m/%d/%y") == 0)
    return g_strdup ("%Y-%m-%d");

  cjk = strstr (fmt, "年") != NULL || strstr (fmt, "月") != NULL;
  out = g_string_new (NULL);
  for (const char *p = fmt; *p != '\0'; p++)
    {
      if (p[0] == '%' && p[1] != '\0')
        {
          char c = p[1];

          if (c == 'y')
            g_string_append (out, "%Y");
          else if (cjk && (c == 'm' || c == 'd'))
            g_string_append_printf (out, "%%-%c", c);
          else if (cjk && c == 'e')
            g_string_append (out, "%-d");
          else
            g_string_append_len (out, p, 2);
          p++;
          continue;
        }
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

char *
crm_format_date (gint64 ms_utc)
{
  g_autofree char *format = date_format ();

  return format_ms (ms_utc, format);
}

char *
crm_format_date_time (gint64 ms_utc)
{
  g_autofree char *date = date_format ();
  g_autofree char *format = g_strconcat (date, " %H:%M", NULL);

  return format_ms (ms_utc, format);
}

gboolean
crm_parse_money (const char *text,
                 guint       exponent,
                 gboolean    decimal_comma,
                 gint64     *out_minor)
{
  char dec = decimal_comma ? ',' : '.';
  char group = decimal_comma ? '.' : ',';
  gboolean negative = FALSE, seen_digit = FALSE, in_fraction = FALSE;
  guint64 whole = 0;
  guint frac_digits = 0;
  const char *p;

  if (text == NULL)
    return FALSE;

  p = text;
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p == '-' || *p == '(')
    {
      negative = TRUE;
      p++;
    }
  /* Leading currency symbols or codes: ¥ $ € £ or letters. */
  while (*p && !g_ascii_isdigit (*p) && *p != dec)
    {
      if (*p == ' ' || g_ascii_isalpha (*p) || (guchar) *p >= 0x80 || *p == '$')
        p++;
      else if (*p == '-' && !negative)
        {
          negative = TRUE;
          p++;
        }
      else
        return FALSE;
    }

  for (; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          if (in_fraction)
            {
              if (frac_digits == exponent)
                {
                  /* More decimals than the currency has: only zeros may follow. */
                  if (*p != '0')
                    return FALSE;
                  continue;
                }
              frac_digits++;
            }
          if (whole > (G_MAXINT64 / 10) - 10)
            return FALSE;
          whole = whole * 10 + (*p - '0');
          seen_digit = TRUE;
        }
      else if (*p == group && !in_fraction)
        continue;
      else if (*p == dec && !in_fraction)
        in_fraction = TRUE;
      else if (*p == ')' && negative)
        continue;
      else if (*p == ' ')
        continue;
      else
        return FALSE;
    }

  if (!seen_digit)
    return FALSE;

  for (; frac_digits < exponent; frac_digits++)
    {
      if (whole > G_MAXINT64 / 10)
        return FALSE;
      whole *= 10;
    }

  *out_minor = negative ? -(gint64) whole : (gint64) whole;
  return TRUE;
}

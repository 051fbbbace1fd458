/* crm-phone.c: phone numbers in their international form, the identity duplicates are found by.
 *
 * Two customers are the same person by phone only when their whole numbers are: the last 8
 * digits of +86 138 0000 0005 and +86 139 0000 0005 are the same, the people are not.  A number
 * written as dialled inside its country is completed with the shop's region — a small table of
 * calling codes and trunk prefixes below, not a full numbering plan: a number is not checked
 * for being valid in its country, only put in the one form its other spellings share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-phone.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define MAX_DIGITS 32
/* A country code with fewer digits than this after it is not a number (the shortest numbering
 * plans, a few islands', are left out). */
#define MIN_NATIONAL_DIGITS 5

typedef struct
{
  CrmPhoneRegion region;
  const char    *trunk;       /* national (trunk) prefix dropped from the number, or "" */
  const char    *idd;         /* international prefix besides "00", or NULL */
  guint          max_length;  /* longest national number, trunk prefix left out; 0: not known */
} Country;

/* Greater China first (the shops this program is made for), then by name in English. */
static const Country countries[] = {
  { { "CN", N_("China"), "86" }, "0", NULL, 11 },
  { { "HK", N_("Hong Kong"), "852" }, "", NULL, 8 },
  { { "MO", N_("Macao"), "853" }, "", NULL, 8 },
  { { "TW", N_("Taiwan"), "886" }, "0", NULL, 9 },
  { { "AR", N_("Argentina"), "54" }, "0", NULL, 10 },
  { { "AU", N_("Australia"), "61" }, "0", "0011", 9 },
  { { "AT", N_("Austria"), "43" }, "0", NULL, 0 },
  { { "BD", N_("Bangladesh"), "880" }, "0", NULL, 10 },
  { { "BE", N_("Belgium"), "32" }, "0", NULL, 9 },
  { { "BR", N_("Brazil"), "55" }, "0", NULL, 11 },
  { { "CA", N_("Canada"), "1" }, "1", "011", 10 },
  { { "CL", N_("Chile"), "56" }, "", NULL, 9 },
  { { "CO", N_("Colombia"), "57" }, "", NULL, 10 },
  { { "CZ", N_("Czechia"), "420" }, "", NULL, 9 },
  { { "DK", N_("Denmark"), "45" }, "", NULL, 8 },
  { { "EG", N_("Egypt"), "20" }, "0", NULL, 10 },
  { { "FI", N_("Finland"), "358" }, "0", NULL, 0 },
  { { "FR", N_("France"), "33" }, "0", NULL, 9 },
  { { "DE", N_("Germany"), "49" }, "0", NULL, 0 },
  { { "GR", N_("Greece"), "30" }, "", NULL, 10 },
  { { "HU", N_("Hungary"), "36" }, "06", NULL, 9 },
  { { "IN", N_("India"), "91" }, "0", NULL, 10 },
  { { "ID", N_("Indonesia"), "62" }, "0", NULL, 12 },
  { { "IE", N_("Ireland"), "353" }, "0", NULL, 9 },
  { { "IL", N_("Israel"), "972" }, "0", NULL, 9 },
  { { "IT", N_("Italy"), "39" }, "", NULL, 0 },
  { { "JP", N_("Japan"), "81" }, "0", "010", 10 },
  { { "KE", N_("Kenya"), "254" }, "0", NULL, 9 },
  { { "MY", N_("Malaysia"), "60" }, "0", NULL, 10 },
  { { "MX", N_("Mexico"), "52" }, "", NULL, 10 },
  { { "NL", N_("Netherlands"), "31" }, "0", NULL, 9 },
  { { "NZ", N_("New Zealand"), "64" }, "0", NULL, 10 },
  { { "NG", N_("Nigeria"), "234" }, "0", NULL, 10 },
  { { "NO", N_("Norway"), "47" }, "", NULL, 8 },
  { { "PK", N_("Pakistan"), "92" }, "0", NULL, 10 },
  { { "PE", N_("Peru"), "51" }, "0", NULL, 9 },
  { { "PH", N_("Philippines"), "63" }, "0", NULL, 10 },
  { { "PL", N_("Poland"), "48" }, "", NULL, 9 },
  { { "PT", N_("Portugal"), "351" }, "", NULL, 9 },
  { { "RU", N_("Russia"), "7" }, "8", "810", 10 },
  { { "SA", N_("Saudi Arabia"), "966" }, "0", NULL, 9 },
  { { "SG", N_("Singapore"), "65" }, "", NULL, 8 },
  { { "ZA", N_("South Africa"), "27" }, "0", NULL, 9 },
  { { "KR", N_("South Korea"), "82" }, "0", NULL, 10 },
  { { "ES", N_("Spain"), "34" }, "", NULL, 9 },
  { { "SE", N_("Sweden"), "46" }, "0", NULL, 0 },
  { { "CH", N_("Switzerland"), "41" }, "0", NULL, 9 },
  { { "TH", N_("Thailand"), "66" }, "0", NULL, 9 },
  { { "TR", N_("Turkey"), "90" }, "0", NULL, 10 },
  { { "UA", N_("Ukraine"), "380" }, "0", NULL, 9 },
  { { "AE", N_("United Arab Emirates"), "971" }, "0", NULL, 9 },
  { { "GB", N_("United Kingdom"), "44" }, "0", NULL, 10 },
  { { "US", N_("United States"), "1" }, "1", "011", 10 },
  { { "VN", N_("Vietnam"), "84" }, "0", NULL, 10 },
};

const CrmPhoneRegion *
crm_phone_regions (guint *n_regions)
{
  static CrmPhoneRegion regions[G_N_ELEMENTS (countries)];
  static gsize filled = 0;

  if (g_once_init_enter (&filled))
    {
      for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
        regions[i] = countries[i].region;
      g_once_init_leave (&filled, 1);
    }
  *n_regions = G_N_ELEMENTS (countries);
  return regions;
}

static const Country *
lookup (const char *code)
{
  if (code == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    if (g_ascii_strcasecmp (countries[i].region.code, code) == 0)
      return &countries[i];
  return NULL;
}

const CrmPhoneRegion *
crm_phone_region_lookup (const char *code)
{
  guint n;
  const CrmPhoneRegion *regions = crm_phone_regions (&n);
  const Country *c = lookup (code);

  return c != NULL ? &regions[c - countries] : NULL;
}

gboolean
crm_phone_region_is_valid (const char *code)
{
  return code != NULL && g_ascii_isalpha (code[0]) && g_ascii_isalpha (code[1]) && code[2] == '\0';
}

/* Country calling codes are prefix-free (ITU-T E.164): one of these one- or two-digit codes, or
 * else three digits long. */
guint
crm_phone_calling_code_length (const char *digits)
{
  static const char *short_codes[] = {
    "1", "7", "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44",
    "45", "46", "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61",
    "62", "63", "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
  };

  for (guint i = 0; i < G_N_ELEMENTS (short_codes); i++)
    if (g_str_has_prefix (digits, short_codes[i]))
      return strlen (short_codes[i]);

  return 3;
}

typedef struct
{
  gboolean plus;                  /* written with "+" */
  char     digits[MAX_DIGITS + 1];
  guint    n;
} Parsed;

/* The digits of the number itself: from an optional "tel:" to the first letter or ; , # *
 * (an extension, a pause, a comment), with full-width digits and "＋" from Chinese IMEs. */
static gboolean
parse (const char *phone,
       Parsed     *out)
{
  const char *p = phone;

  memset (out, 0, sizeof *out);
  while (*p == ' ' || *p == '\t' || *p == '(')
    p++;
  if (g_ascii_strncasecmp (p, "tel:", 4) == 0)
    p += 4;

  for (; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int d = g_unichar_digit_value (c);

      if (d >= 0)
        {
          if (out->n == MAX_DIGITS)
            return FALSE;
          out->digits[out->n++] = (char) ('0' + d);
        }
      else if ((c == '+' || c == 0xFF0B) && out->n == 0)
        out->plus = TRUE;
      else if (c < 0x80 ? g_ascii_isalpha (c) || strchr (";,#*", (int) c) != NULL
                        : g_unichar_isalpha (c))
        break;
    }
  out->digits[out->n] = '\0';
  return TRUE;
}

/* @digits: a calling code and the number after it. */
static char *
international_key (const char *digits)
{
  guint cc_len = crm_phone_calling_code_length (digits);
  const char *national;

  if (strlen (digits) < cc_len + MIN_NATIONAL_DIGITS)
    return NULL;
  national = digits + cc_len;
  /* "+44 (0)20 …", "+86 0571 …": the trunk prefix 0 is not dialled from abroad.  Where it is
   * part of the number (Italy: trunk "" in the table) it stays. */
  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    if (strlen (countries[i].region.calling_code) == cc_len &&
        strncmp (countries[i].region.calling_code, digits, cc_len) == 0)
      {
        if (g_str_equal (countries[i].trunk, "0") && national[0] == '0' &&
            strlen (national) > MIN_NATIONAL_DIGITS)
          national++;
        break;
      }

  return g_strdup_printf ("+%.*s%s", (int) cc_len, digits, national);
}

/* @digits as dialled in @home. */
static char *
national_key (const Country *home,
              const char    *digits)
{
  const char *cc = home->region.calling_code;
  gboolean nanp = g_str_equal (cc, "1");
  gsize len = strlen (digits);

  /* The trunk prefix; in North America the leading 1 of an 11-digit number. */
  if (home->trunk[0] != '\0' && g_str_has_prefix (digits, home->trunk) && (!nanp || len == 11))
    digits += strlen (home->trunk);
  /* "86 138 0013 8000": a calling code without its "+", told by a number too long without it. */
  else if (home->max_length != 0 && len > home->max_length && g_str_has_prefix (digits, cc) &&
           len - strlen (cc) <= home->max_length)
    return international_key (digits);

  if (strlen (digits) < MIN_NATIONAL_DIGITS)
    return NULL;
  return g_strconcat ("+", cc, digits, NULL);
}

char *
crm_phone_key (const char *phone,
               const char *region)
{
  const Country *home = lookup (region);
  Parsed p;
  const char *digits;

  if (phone == NULL || !parse (phone, &p) || p.n < CRM_PHONE_MIN_DIGITS)
    return NULL;

  /* The digits after an international prefix count: "0086 1234" is a short number. */
  digits = p.digits;
  if (p.plus)
    return international_key (digits);
  if (home != NULL && home->idd != NULL && g_str_has_prefix (digits, home->idd))
    digits += strlen (home->idd);
  else if (g_str_has_prefix (digits, "00"))
    digits += 2;
  if (strlen (digits) < CRM_PHONE_MIN_DIGITS)
    return NULL;
  if (digits != p.digits)
    return international_key (digits);
  if (home == NULL)
    return g_strdup (digits);
  return national_key (home, digits);
}

const char *
crm_phone_locale_region (void)
{
  const char *vars[] = { "LC_ALL", "LC_TELEPHONE", "LC_ADDRESS", "LANG" };

  /* "zh_CN.UTF-8", "en_US@euro": the territory follows the underscore.  The first variable that
   * is set decides, as for setlocale(). */
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      const char *value = g_getenv (vars[i]);
      const char *u;
      char region[3];

      if (value == NULL || value[0] == '\0')
        continue;
      u = strchr (value, '_');
      if (u == NULL || !g_ascii_isalpha (u[1]) || !g_ascii_isalpha (u[2]) || g_ascii_isalpha (u[3]))
        return NULL;
      region[0] = g_ascii_toupper (u[1]);
      region[1] = g_ascii_toupper (u[2]);
      region[2] = '\0';
      return g_intern_string (region);
    }

  return NULL;
}

const char *
crm_phone_default_region (void)
{
  const char *locale = crm_phone_locale_region ();

  return locale != NULL ? locale : "CN";
}

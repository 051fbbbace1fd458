/* crm-import-parse.c: cell parsers: yes/no, gender, dates and times, amounts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-import-private.h"

/* Spreadsheet apostrophe: Shopify writes '+86 138…, '0123 and our writer '=… so a
 * spreadsheet keeps them as text; the apostrophe is not part of the value. */
const char *
strip_apostrophe (const char *s)
{
  if (s[0] == '\'' && s[1] != '\0' &&
      (g_ascii_isdigit (s[1]) || crm_csv_cell_needs_neutralizing (s + 1) || s[1] == '+' || s[1] == '-'))
    return s + 1;
  return s;
}

static gboolean
ascii_eq (const char *a,
          const char *b)
{
  return g_ascii_strcasecmp (a, b) == 0;
}

/* 1 true, 0 false, -1 not a yes/no. */
int
parse_bool (const char *s)
{
  static const char *yes[] = { "true", "yes", "y", "1", "t", "x", "是", "subscribed", "opt-in",
                               "opted_in", "on", "checked", "✓" };
  static const char *no[] = { "false", "no", "n", "0", "f", "否", "not_subscribed", "unsubscribed",
                              "opt-out", "off", "pending", "invalid", "redacted", "not subscribed" };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    if (ascii_eq (s, yes[i]))
      return 1;
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    if (ascii_eq (s, no[i]))
      return 0;
  return -1;
}

int
parse_gender (const char *s)
{
  static const struct { const char *text; int value; } map[] = {
    { "female", CRM_GENDER_FEMALE }, { "f", CRM_GENDER_FEMALE }, { "woman", CRM_GENDER_FEMALE },
    { "w", CRM_GENDER_FEMALE }, { "女", CRM_GENDER_FEMALE }, { "女士", CRM_GENDER_FEMALE },
    { "女性", CRM_GENDER_FEMALE }, { "male", CRM_GENDER_MALE }, { "m", CRM_GENDER_MALE },
    { "man", CRM_GENDER_MALE }, { "男", CRM_GENDER_MALE }, { "先生", CRM_GENDER_MALE },
    { "男性", CRM_GENDER_MALE }, { "other", CRM_GENDER_OTHER }, { "o", CRM_GENDER_OTHER },
    { "x", CRM_GENDER_OTHER }, { "diverse", CRM_GENDER_OTHER }, { "non-binary", CRM_GENDER_OTHER },
    { "其他", CRM_GENDER_OTHER }, { "unknown", CRM_GENDER_UNKNOWN }, { "u", CRM_GENDER_UNKNOWN },
    { "n/a", CRM_GENDER_UNKNOWN }, { "未知", CRM_GENDER_UNKNOWN }, { "保密", CRM_GENDER_UNKNOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (ascii_eq (s, map[i].text))
      return map[i].value;
  return -1;
}

static gint64
days_from_civil (gint64 y,
                 unsigned m,
                 unsigned d)
{
  gint64 era;
  unsigned yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = (unsigned) (y - era * 400);
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (gint64) doe - 719468;
}

static const char *
read_uint (const char *p,
           guint      *out,
           guint      *n_digits)
{
  guint v = 0, n = 0;

  while (g_ascii_isdigit (*p) && n < 9)
    {
      v = v * 10 + (*p - '0');
      p++;
      n++;
    }
  *out = v;
  *n_digits = n;
  return p;
}

/* The date: 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 20240305, 05/03/2024 or 3/5/24 (per
 * @order, unless a part over 12 or the German '.' says which is the day).  Returns where it
 * ends, or NULL. */
static const char *
parse_day (const char   *p,
           CrmDateOrder  order,
           guint        *out_y,
           guint        *out_m,
           guint        *out_d)
{
  guint a, b, c, na, nb, nc, y, m, d;
  char sep;

  p = read_uint (p, &a, &na);
  if (na == 0)
    return NULL;

  if (na == 4 || na == 8)
    {
      if (na == 8)
        {
          /* 20240305 */
          y = a / 10000;
          m = a / 100 % 100;
          d = a % 100;
        }
      else
        {
          y = a;
          if (g_str_has_prefix (p, "年"))
            p += strlen ("年");
          else if (*p == '-' || *p == '/' || *p == '.')
            sep = *p++;
          else
            return NULL;
          p = read_uint (p, &m, &nb);
          if (nb == 0 || nb > 2)
            return NULL;
          if (g_str_has_prefix (p, "月"))
            p += strlen ("月");
          else if (*p == '-' || *p == '/' || *p == '.')
            p++;
          else
            return NULL;
          p = read_uint (p, &d, &nc);
          if (nc == 0 || nc > 2)
            return NULL;
          if (g_str_has_prefix (p, "日"))
            p += strlen ("日");
          else if (g_str_has_prefix (p, "号"))
            p += strlen ("号");
        }
    }
  else if (na <= 2)
    {
      gboolean day_first;

      sep = *p;
      if (sep != '/' && sep != '.' && sep != '-')
        return NULL;
      p = read_uint (p + 1, &b, &nb);
      if (nb == 0 || nb > 2 || *p != sep)
        return NULL;
      p = read_uint (p + 1, &c, &nc);
      if (nc != 4 && nc != 2)
        return NULL;
      y = nc == 4 ? c : (c < 70 ? 2000 + c : 1900 + c);
      if (sep == '.')
        day_first = TRUE;            /* 05.03.2024: German style is always day first */
      else if (a > 12)
        day_first = TRUE;
      else if (b > 12)
        day_first = FALSE;
      else
        day_first = order == CRM_DATE_DAY_FIRST;
      d = day_first ? a : b;
      m = day_first ? b : a;
    }
  else
    return NULL;

  if (y < 1000 || y > 9999 || !g_date_valid_dmy (d, m, y))
    return NULL;
  *out_y = y;
  *out_m = m;
  *out_d = d;
  return p;
}

/* The time of day after the date, if any: "T10:15", " 10:15:30.250", " 3:05 pm".  Returns where
 * it ends (@p when there is none), or NULL. */
static const char *
parse_time_of_day (const char *p,
                   guint      *out_hh,
                   guint      *out_mi,
                   guint      *out_ss,
                   guint      *out_ms)
{
  guint hh = 0, mi = 0, ss = 0, ms = 0, n;

  if (*p == 'T' || *p == ' ' || *p == 't')
    {
      const char *q = p + 1;

      while (*q == ' ')
        q++;
      if (g_ascii_isdigit (*q))
        {
          q = read_uint (q, &hh, &n);
          if (n == 0 || n > 2 || *q != ':')
            return NULL;
          q = read_uint (q + 1, &mi, &n);
          if (n != 2)
            return NULL;
          if (*q == ':')
            {
              q = read_uint (q + 1, &ss, &n);
              if (n != 2)
                return NULL;
              if (*q == '.' || *q == ',')
                {
                  guint frac, nf;
                  q = read_uint (q + 1, &frac, &nf);
                  ms = nf >= 3 ? frac / (nf == 3 ? 1 : nf == 4 ? 10 : nf == 5 ? 100 : nf == 6 ? 1000 : 1000000) : frac * (nf == 1 ? 100 : 10);
                  while (g_ascii_isdigit (*q))
                    q++;
                }
            }
          while (*q == ' ')
            q++;
          if (g_ascii_strncasecmp (q, "pm", 2) == 0 || g_ascii_strncasecmp (q, "am", 2) == 0)
            {
              if (hh == 0 || hh > 12)
                return NULL;
              if (g_ascii_tolower (q[0]) == 'p' && hh != 12)
                hh += 12;
              else if (g_ascii_tolower (q[0]) == 'a' && hh == 12)
                hh = 0;
              q += 2;
            }
          if (hh > 23 || mi > 59 || ss > 60)
            return NULL;
          p = q;
        }
    }
  *out_hh = hh;
  *out_mi = mi;
  *out_ss = ss;
  *out_ms = ms;
  return p;
}

/* The zone, if any: Z, UTC, GMT, +08:00, +0800, -5.  Returns where it ends, or NULL. */
static const char *
parse_zone (const char *p,
            gboolean   *have_zone,
            int        *zone_sign,
            guint      *out_zh,
            guint      *out_zm)
{
  guint zh = 0, zm = 0, n;

  while (*p == ' ')
    p++;
  if (*p == 'Z' || *p == 'z')
    {
      *have_zone = TRUE;
      p++;
    }
  else if (g_ascii_strncasecmp (p, "UTC", 3) == 0 || g_ascii_strncasecmp (p, "GMT", 3) == 0)
    {
      *have_zone = TRUE;
      p += 3;
    }
  if (*p == '+' || *p == '-')
    {
      *have_zone = TRUE;
      *zone_sign = *p == '-' ? -1 : 1;
      p = read_uint (p + 1, &zh, &n);
      if (n == 4)
        {
          zm = zh % 100;
          zh /= 100;
        }
      else if (n == 1 || n == 2)
        {
          if (*p == ':')
            {
              p = read_uint (p + 1, &zm, &n);
              if (n != 2)
                return NULL;
            }
        }
      else
        return NULL;
      if (zh > 14 || zm > 59)
        return NULL;
    }
  *out_zh = zh;
  *out_zm = zm;
  return p;
}

gboolean
crm_import_parse_date (const char   *text,
                       CrmDateOrder  order,
                       gboolean      utc_if_no_zone,
                       gint64       *out_ms,
                       char          out_iso_date[11])
{
  const char *p = text;
  guint y, m, d;
  guint hh = 0, mi = 0, ss = 0, ms = 0;
  gboolean have_zone = FALSE;
  int zone_sign = 1;
  guint zh = 0, zm = 0;

  while (is_space (*p))
    p++;
  if ((p = parse_day (p, order, &y, &m, &d)) == NULL ||
      (p = parse_time_of_day (p, &hh, &mi, &ss, &ms)) == NULL ||
      (p = parse_zone (p, &have_zone, &zone_sign, &zh, &zm)) == NULL)
    return FALSE;
  while (is_space (*p))
    p++;
  if (*p != '\0')
    return FALSE;

  if (out_iso_date != NULL)
    g_snprintf (out_iso_date, 11, "%04u-%02u-%02u", y, m, d);

  if (out_ms != NULL)
    {
      if (have_zone || utc_if_no_zone)
        {
          gint64 secs = days_from_civil (y, m, d) * 86400 + hh * 3600 + mi * 60 + MIN (ss, 59);
          secs -= zone_sign * (gint64) (zh * 3600 + zm * 60);
          *out_ms = secs * 1000 + ms;
        }
      else
        {
          g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
          g_autoptr(GDateTime) dt = g_date_time_new (tz, y, m, d, hh, mi, MIN (ss, 59));

          if (dt == NULL)
            return FALSE;
          *out_ms = g_date_time_to_unix (dt) * 1000 + ms;
        }
    }
  return TRUE;
}

char *
money_reason (const char *text)
{
  return g_strdup_printf (_("“%s” is not an amount"), text);
}

gboolean
parse_amount (Run        *run,
              const char *text,
              guint       exponent,
              gint64     *out)
{
  *out = 0;
  if (text == NULL)
    return TRUE;
  return crm_parse_money (text, exponent, run->self->decimal_comma, out);
}

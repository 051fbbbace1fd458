/* crm-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-phone.h"
#include "crm-text.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

G_DEFINE_QUARK (crm-text-error-quark, crm_text_error)

/* Checks text from any boundary (import, sync, UI) before it reaches the database:
 * valid UTF-8, no NUL inside, no C0 control characters other than tab and newlines,
 * and at most @max_chars characters.  @field_label names the field in the message. */
gboolean
crm_text_validate (const char  *text,
                   gssize       len,
                   guint        max_chars,
                   const char  *field_label,
                   GError     **error)
{
  const char *end = NULL;
  glong n_chars;

  if (text == NULL)
    return TRUE;

  if (len < 0)
    len = strlen (text);

  if (!g_utf8_validate (text, len, &end))
    {
      g_set_error (error, CRM_TEXT_ERROR, CRM_TEXT_ERROR_INVALID_UTF8,
                   /* Translators: %s is a field name such as "Name" */
                   _("%s is not valid UTF-8 text (bad byte at position %ld)"),
                   field_label, (long) (end - text));
      return FALSE;
    }

  for (gssize i = 0; i < len; i++)
    {
      guchar c = (guchar) text[i];
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
        {
          g_set_error (error, CRM_TEXT_ERROR, CRM_TEXT_ERROR_CONTROL_CHARS,
                       _("%s contains a control character (code %u) at position %ld"),
                       field_label, c, (long) i);
          return FALSE;
        }
    }

  n_chars = g_utf8_strlen (text, len);
  if (max_chars > 0 && n_chars > (glong) max_chars)
    {
      g_set_error (error, CRM_TEXT_ERROR, CRM_TEXT_ERROR_TOO_LONG,
                   _("%s is too long: %ld characters, at most %u are allowed"),
                   field_label, n_chars, max_chars);
      return FALSE;
    }

  return TRUE;
}

/* An extension after a phone number: " ext. 102", " ext 102", ";ext=102" (RFC 3966), " x102",
 * " 转 102", " 分机 102" — a marker, then 1 to 8 digits to the end.  Returns where the number
 * ends (the blanks or ';' before the marker), or NULL without an extension. */
const char *
crm_text_phone_extension (const char *phone)
{
  static const char *markers[] = { "extension", "ext.", "ext=", "ext", "x", "#", "转", "分机" };

  if (phone == NULL)
    return NULL;
  for (const char *p = phone; *p; p++)
    for (guint m = 0; m < G_N_ELEMENTS (markers); m++)
      {
        gsize ml;
        const char *q, *num_end = p;
        guint digits = 0;

        /* The markers are lower case: their first byte rules out most places at once. */
        if (g_ascii_tolower (*p) != markers[m][0])
          continue;
        ml = strlen (markers[m]);
        if (g_ascii_strncasecmp (p, markers[m], ml) != 0)
          continue;
        q = p + ml;
        while (num_end > phone && (num_end[-1] == ' ' || num_end[-1] == ';' || num_end[-1] == ','))
          num_end--;
        if (num_end == phone || !(g_ascii_isdigit (num_end[-1]) || num_end[-1] == ')'))
          continue;
        while (*q == ' ' || *q == '.' || *q == ':' || *q == '=')
          q++;
        for (; g_ascii_isdigit (*q); q++)
          digits++;
        while (*q == ' ')
          q++;
        if (*q == '\0' && digits >= 1 && digits <= 8)
          return num_end;
      }
  return NULL;
}

gboolean
crm_text_is_invisible_char (gunichar c)
{
  return (c >= 0x200B && c <= 0x200F) ||   /* zero-width space, (non-)joiner, LRM, RLM */
         (c >= 0x202A && c <= 0x202E) ||   /* bidi embeddings and overrides, PDF */
         (c >= 0x2060 && c <= 0x2064) ||   /* word joiner, invisible operators */
         (c >= 0x2066 && c <= 0x2069) ||   /* bidi isolates */
         c == 0xFEFF;                      /* zero-width no-break space (BOM) */
}

gboolean
crm_text_check_visible (const char  *text,
                        const char  *field_label,
                        GError     **error)
{
  gboolean invisible = FALSE;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return TRUE;   /* crm_text_validate() reports invalid UTF-8 */

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (crm_text_is_invisible_char (c))
        invisible = TRUE;
      else if (!g_unichar_isspace (c))
        return TRUE;
    }
  if (!invisible)
    return TRUE;

  g_set_error (error, CRM_TEXT_ERROR, CRM_TEXT_ERROR_INVISIBLE,
               /* Translators: %s is a field name such as "Name" */
               _("%s has no visible characters, only zero-width or text-direction marks"), field_label);
  return FALSE;
}

/* The digits of a phone number, whatever its punctuation: "+86 (138) 0013-8000" → "8613800138000";
 * an extension is not part of them. */
char *
crm_text_phone_digits (const char *phone)
{
  GString *s;
  const char *ext;

  if (phone == NULL || *phone == '\0')
    return NULL;

  ext = crm_text_phone_extension (phone);
  s = g_string_sized_new (strlen (phone));
  for (const char *p = phone; *p && p != ext; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int d = g_unichar_digit_value (c);  /* also full-width digits from Chinese IMEs */
      if (d >= 0)
        g_string_append_c (s, '0' + d);
    }

  if (s->len == 0)
    return g_string_free (s, TRUE), NULL;

  return g_string_free (s, FALSE);
}

/* The number as dialled inside its country: digits without an international
 * prefix and country code, so "+86 138 0013 8000", "0086 13800138000" and
 * "138-0013-8000" share a key and "138 0013" finds all three. */
char *
crm_text_phone_key (const char *phone)
{
  g_autofree char *digits = crm_text_phone_digits (phone);
  const char *p;
  const char *rest;

  if (digits == NULL)
    return NULL;

  for (p = phone; *p == ' ' || *p == '('; p++)
    ;
  if (*p == '+')
    rest = digits;
  else if (g_str_has_prefix (digits, "00"))
    rest = digits + 2;
  else
    return g_steal_pointer (&digits);

  rest += MIN (strlen (rest), crm_phone_calling_code_length (rest));
  /* A national trunk prefix kept after the code, as in "+44 (0)20 …". */
  if (rest[0] == '0' && rest[1] != '\0')
    rest++;
  if (*rest == '\0')
    return g_steal_pointer (&digits);

  return g_strdup (rest);
}

char *
crm_text_reverse_ascii (const char *ascii)
{
  gsize len;
  char *r;

  if (ascii == NULL)
    return NULL;

  len = strlen (ascii);
  r = g_malloc (len + 1);
  for (gsize i = 0; i < len; i++)
    r[i] = ascii[len - 1 - i];
  r[len] = '\0';

  return r;
}

/* Case-folded e-mail, trimmed: the key duplicates and search match on. */
char *
crm_text_email_key (const char *email)
{
  g_autofree char *stripped = NULL;

  if (email == NULL)
    return NULL;

  stripped = g_strstrip (g_strdup (email));
  if (*stripped == '\0')
    return NULL;

  return g_utf8_strdown (stripped, -1);
}

const char *
crm_text_email_domain (const char *email_key)
{
  const char *at;

  if (email_key == NULL)
    return NULL;

  at = strrchr (email_key, '@');
  if (at == NULL || at[1] == '\0')
    return NULL;

  return at + 1;
}

/* A query made only of digits and phone punctuation with at least three digits
 * is looked up as a phone number. */
gboolean
crm_text_is_phone_query (const char *query)
{
  guint digits = 0;

  if (query == NULL)
    return FALSE;

  for (const char *p = query; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_digit_value (c) >= 0)
        digits++;
      else if (!(c == ' ' || c == '+' || c == '-' || c == '(' || c == ')' || c == '.' || c == '/'))
        return FALSE;
    }

  return digits >= 3;
}

gboolean
crm_text_is_cjk (gunichar c)
{
  return (c >= 0x3400 && c <= 0x4DBF)     /* Extension A */
      || (c >= 0x4E00 && c <= 0x9FFF)     /* Unified Ideographs */
      || (c >= 0xF900 && c <= 0xFAFF)     /* Compatibility Ideographs */
      || (c >= 0x20000 && c <= 0x3134F)   /* Extensions B–G */
      || (c >= 0x3040 && c <= 0x30FF)     /* Hiragana, Katakana */
      || (c >= 0xAC00 && c <= 0xD7AF);    /* Hangul syllables */
}

/* Case folding used for every comparison the search makes. */
char *
crm_text_fold (const char *text)
{
  if (text == NULL)
    return NULL;

  return g_utf8_casefold (text, -1);
}

/* Terms that let one- and two-character queries use an index instead of a scan
 * (FTS5 trigrams need three characters).  For runs of CJK characters: every one-
 * and two-character substring, so 王芳 is found by 王, 芳 and 王芳, and 欧阳娜娜
 * by 欧阳 or 娜娜.  For other words: their first one and two characters, so "li"
 * finds "Li Wei" and "Lisa".  Terms are case-folded. */
/* Case folding into @buf (or a new string in *@heap): ASCII text, by far the commonest,
 * folds byte by byte, exactly as g_utf8_casefold() would. */
static const char *
fold_into (const char  *text,
           gsize        len,
           char        *buf,
           gsize        buf_size,
           char       **heap)
{
  gboolean ascii = TRUE;

  for (gsize i = 0; i < len && ascii; i++)
    ascii = (guchar) text[i] < 0x80;
  if (!ascii || len + 1 > buf_size)
    {
      if (ascii)
        {
          *heap = g_ascii_strdown (text, len);
          return *heap;
        }
      *heap = g_utf8_casefold (text, len);
      return *heap;
    }
  for (gsize i = 0; i < len; i++)
    buf[i] = g_ascii_tolower (text[i]);
  buf[len] = '\0';
  return buf;
}

static inline gboolean
term_is_alnum (gunichar c)
{
  return c < 0x80 ? g_ascii_isalnum (c) : g_unichar_isalnum (c);
}

/* As crm_text_short_terms(), without a hash table: @func gets each term (not NUL-terminated,
 * valid only during the call; a term may come more than once). */
void
crm_text_short_terms_foreach (const char       *text,
                              CrmTextTermFunc   func,
                              gpointer          user_data)
{
  char buf[512];
  g_autofree char *heap = NULL;
  const char *folded, *p;

  if (text == NULL || *text == '\0')
    return;

  folded = fold_into (text, strlen (text), buf, sizeof buf, &heap);
  p = folded;

  while (*p)
    {
      gunichar c;

      if ((guchar) *p < 0x80)
        {
          /* ASCII: never CJK. */
          if (g_ascii_isalnum (*p))
            {
              const char *next = p + 1;
              gunichar c2 = *next ? g_utf8_get_char (next) : 0;

              func (p, 1, user_data);
              if (c2 != 0 && term_is_alnum (c2) && !crm_text_is_cjk (c2))
                func (p, g_utf8_next_char (next) - p, user_data);
              while (*p && term_is_alnum (c = g_utf8_get_char (p)) && !crm_text_is_cjk (c))
                p = g_utf8_next_char (p);
            }
          else
            p++;
          continue;
        }

      c = g_utf8_get_char (p);
      if (crm_text_is_cjk (c))
        {
          const char *next = g_utf8_next_char (p);
          gunichar c2 = *next ? g_utf8_get_char (next) : 0;

          func (p, next - p, user_data);
          if (c2 != 0 && crm_text_is_cjk (c2))
            func (p, g_utf8_next_char (next) - p, user_data);
          p = next;
        }
      else if (g_unichar_isalnum (c))
        {
          const char *next = g_utf8_next_char (p);
          gunichar c2 = *next ? g_utf8_get_char (next) : 0;

          func (p, next - p, user_data);
          if (c2 != 0 && term_is_alnum (c2) && !crm_text_is_cjk (c2))
            func (p, g_utf8_next_char (next) - p, user_data);

          /* skip the rest of the word */
          while (*p && term_is_alnum (c = g_utf8_get_char (p)) && !crm_text_is_cjk (c))
            p = g_utf8_next_char (p);
        }
      else
        p = g_utf8_next_char (p);
    }
}

static void
add_term (const char *term,
          gsize       len,
          gpointer    user_data)
{
  GHashTable *out = user_data;

  g_hash_table_add (out, g_strndup (term, len));
}

void
crm_text_short_terms (const char *text,
                      GHashTable *out_terms)
{
  crm_text_short_terms_foreach (text, add_term, out_terms);
}

/* The smallest string greater than every string starting with @prefix, for
 * `col >= prefix AND col < bound` range scans on a BINARY index. */
char *
crm_text_prefix_upper_bound (const char *prefix)
{
  /* U+10FFFF encoded is F4 8F BF BF; any valid UTF-8 continuation sorts below it. */
  return g_strconcat (prefix, "\xf4\x8f\xbf\xbf", NULL);
}

/* Tags are typed by hand as "vip, 老客户；wholesale": any of , ; ， ； 、 | separates them. */
void
crm_text_split_tags (const char *tags,
                     GHashTable *out_tags)
{
  crm_text_split_tags_foreach (tags, add_term, out_tags);
}

/* The length of the separator at @p (, ; | ， ； 、), or 0. */
static inline guint
tag_separator (const char *p)
{
  if (*p == ',' || *p == ';' || *p == '|')
    return 1;
  if ((guchar) p[0] == 0xef && (guchar) p[1] == 0xbc && ((guchar) p[2] == 0x8c || (guchar) p[2] == 0x9b))
    return 3;   /* ， ； */
  if ((guchar) p[0] == 0xe3 && (guchar) p[1] == 0x80 && (guchar) p[2] == 0x81)
    return 3;   /* 、 */
  return 0;
}

/* As crm_text_split_tags(), without a hash table: @func gets each folded tag (NUL-terminated,
 * valid only during the call; a tag may come more than once). */
void
crm_text_split_tags_foreach (const char       *tags,
                             CrmTextTermFunc   func,
                             gpointer          user_data)
{
  const char *p = tags;

  if (tags == NULL || *tags == '\0')
    return;

  for (;;)
    {
      const char *start = p, *end;
      guint sep = 0;

      while (*p && !(sep = tag_separator (p)))
        p++;
      end = p;
      while (start < end && g_ascii_isspace (*start))
        start++;
      while (end > start && g_ascii_isspace (end[-1]))
        end--;
      if (end > start)
        {
          char buf[256];
          g_autofree char *heap = NULL;
          const char *folded = fold_into (start, end - start, buf, sizeof buf, &heap);

          func (folded, strlen (folded), user_data);
        }
      if (*p == '\0')
        break;
      p += sep;
    }
}

gboolean
crm_text_check_email (const char  *email,
                      GError     **error)
{
  const char *at;

  if (email == NULL || *email == '\0')
    return TRUE;

  at = strchr (email, '@');
  if (at == NULL || at == email || strchr (at + 1, '@') != NULL ||
      strchr (at + 1, '.') == NULL || at[1] == '.' || g_str_has_suffix (email, ".") ||
      strpbrk (email, " \t\n\r,;<>\"") != NULL)
    {
      g_set_error (error, CRM_TEXT_ERROR, CRM_TEXT_ERROR_BAD_EMAIL,
                   _("“%s” is not a valid e-mail address"), email);
      return FALSE;
    }

  return TRUE;
}

gboolean
crm_text_check_phone (const char  *phone,
                      GError     **error)
{
  guint digits = 0;
  const char *ext;

  if (phone == NULL || *phone == '\0')
    return TRUE;

  /* "+1 418 656 9254 ext. 102": the number before the extension follows the rules. */
  ext = crm_text_phone_extension (phone);
  for (const char *p = phone; *p && p != ext; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_digit_value (c) >= 0)
        digits++;
      /* strchr() takes a char: test c < 0x80 first, or 丫 (U+4E2B) passes as '+'. */
      else if (c >= 0x80 || strchr (" +-()./", (int) c) == NULL)
        {
          g_set_error (error, CRM_TEXT_ERROR, CRM_TEXT_ERROR_BAD_PHONE,
                       _("“%s” is not a valid phone number: use digits, spaces and + - ( )"), phone);
          return FALSE;
        }
    }

  if (digits < 3 || digits > 20)
    {
      g_set_error (error, CRM_TEXT_ERROR, CRM_TEXT_ERROR_BAD_PHONE,
                   _("“%s” is not a valid phone number: it needs 3 to 20 digits"), phone);
      return FALSE;
    }

  return TRUE;
}

static gboolean
digits_at (const char *s,
           guint       start,
           guint       n)
{
  for (guint i = start; i < start + n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* Birthdays and other calendar dates are stored as ISO 8601 "YYYY-MM-DD". */
gboolean
crm_text_check_date (const char  *iso_date,
                     GError     **error)
{
  unsigned y, m, d;
  char tail;

  if (iso_date == NULL || *iso_date == '\0')
    return TRUE;

  /* sscanf's %u also takes signs and spaces ("1990-+5-17"): check the shape first. */
  if (strlen (iso_date) != 10 || !digits_at (iso_date, 0, 4) || iso_date[4] != '-' ||
      !digits_at (iso_date, 5, 2) || iso_date[7] != '-' || !digits_at (iso_date, 8, 2) ||
      sscanf (iso_date, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3 ||
      y < 1900 || y > 2200 || !g_date_valid_dmy (d, m, y))
    {
      g_set_error (error, CRM_TEXT_ERROR, CRM_TEXT_ERROR_BAD_DATE,
                   _("“%s” is not a valid date: use YYYY-MM-DD, e.g. 1990-05-17"), iso_date);
      return FALSE;
    }

  return TRUE;
}

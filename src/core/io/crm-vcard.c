/* crm-vcard.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading follows RFC 2425/6350 and what real programs write: CRLF or LF line ends; folded lines
 * (a line starting with a space or tab continues the previous one, even inside a UTF-8
 * sequence, as some writers fold at 75 octets blindly); group prefixes ("item1.TEL"); vCard 2.1
 * parameters without names ("TEL;CELL;PREF:"), QUOTED-PRINTABLE values with soft line breaks and
 * CHARSET= parameters (GB2312/GBK/Big5/ISO-8859-1 from old phones); quoted parameter values
 * (4.0); escaped \, \; \\ \n in values.  Cards are limited to 16 MiB (photos are skipped).
 */
#include "crm-vcard.h"
#include "crm-vcard-private.h"

#include "crm-text.h"

#include <glib/gi18n-lib.h>
#include <string.h>

G_DEFINE_QUARK (crm-vcard-error-quark, crm_vcard_error)

#define MAX_CARD (16 * 1024 * 1024)

/* ---- the cells ---------------------------------------------------------------------------- */

static int
find_column (const CrmVcardColumns *cols,
             const char            *property,
             guint                  part)
{
  for (guint i = 0; i < cols->n; i++)
    if (cols->fields[i]->vcard_part == part && g_ascii_strcasecmp (cols->fields[i]->vcard, property) == 0)
      return i;
  return -1;
}

const CrmVcardColumns *
crm_vcard_columns_info (void)
{
  static CrmVcardColumns *cols;

  if (g_once_init_enter (&cols))
    {
      CrmVcardColumns *made = g_new0 (CrmVcardColumns, 1);
      GPtrArray *fields = g_ptr_array_new (), *names = g_ptr_array_new ();
      GString *select = g_string_new (NULL);
      const CrmCustomerFieldInfo *all;
      guint n_all;

      all = crm_customer_fields_get (&n_all);
      for (guint i = 0; i < n_all; i++)
        {
          if (all[i].vcard == NULL)
            continue;
          g_ptr_array_add (fields, (gpointer) &all[i]);
          g_ptr_array_add (names, (gpointer) all[i].key);
          if (select->len > 0)
            g_string_append (select, ", ");
          if (all[i].stored == CRM_FIELD_STORED_CUSTOMERS)
            g_string_append_printf (select, "c.%s", crm_customer_field_get_column (&all[i]));
          else
            g_string_append (select, "NULL");
          if (g_str_equal (all[i].key, "external_id"))
            made->external_id = fields->len - 1;
        }
      made->n = fields->len;
      g_ptr_array_add (names, NULL);
      made->fields = (const CrmCustomerFieldInfo **) g_ptr_array_free (fields, FALSE);
      made->names = (const char **) g_ptr_array_free (names, FALSE);
      made->select = g_string_free (select, FALSE);

      made->uid = find_column (made, "UID", 0);
      made->fn = find_column (made, "FN", 0);
      made->family = find_column (made, "N", 1);
      made->given = find_column (made, "N", 2);
      made->org = find_column (made, "ORG", 0);
      made->title = find_column (made, "TITLE", 0);
      made->tel = find_column (made, "TEL", 0);
      made->email = find_column (made, "EMAIL", 0);
      made->bday = find_column (made, "BDAY", 0);
      made->note = find_column (made, "NOTE", 0);
      made->categories = find_column (made, "CATEGORIES", 0);
      for (guint c = 0; c < G_N_ELEMENTS (made->adr); c++)
        made->adr[c] = c > 0 ? find_column (made, "ADR", c) : -1;
      if (crm_customer_fields_find ("external_id")->vcard == NULL)
        made->external_id = -1;

      g_once_init_leave (&cols, made);
    }

  return cols;
}

const char * const *
crm_vcard_columns (guint *n_columns)
{
  const CrmVcardColumns *cols = crm_vcard_columns_info ();

  if (n_columns != NULL)
    *n_columns = cols->n;
  return cols->names;
}

struct _CrmVcardParser
{
  const char *data;
  gsize       len;
  gsize       pos;
  guint64     line;
  char       *last_raw;
  guint64     last_line;
};

typedef struct
{
  guint64  line;
  char    *message;
} CardWarning;

struct _CrmVcardCard
{
  char    **cells;      /* crm_vcard_columns() */
  guint64  *lines;      /* the line of each cell's property */
  guint64   cur_line;   /* of the property being read */
  GArray   *warnings;   /* CardWarning, or NULL */
  char     *raw;
  guint64   line;
};

CrmVcardParser *
crm_vcard_parser_new (const char *data,
                      gsize       len)
{
  CrmVcardParser *p = g_new0 (CrmVcardParser, 1);

  p->data = data;
  p->len = len;
  p->line = 1;
  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    p->pos = 3;
  return p;
}

void
crm_vcard_parser_free (CrmVcardParser *parser)
{
  if (parser == NULL)
    return;
  g_free (parser->last_raw);
  g_free (parser);
}

gsize
crm_vcard_parser_get_offset (CrmVcardParser *parser)
{
  return parser->pos;
}

char *
crm_vcard_parser_get_last_raw (CrmVcardParser *parser)
{
  return g_strdup (parser->last_raw);
}

guint64
crm_vcard_parser_get_last_line (CrmVcardParser *parser)
{
  return parser->last_line;
}

const char * const *
crm_vcard_card_get_cells (CrmVcardCard *card,
                          guint        *n_cells)
{
  if (n_cells != NULL)
    *n_cells = crm_vcard_columns_info ()->n;
  return (const char * const *) card->cells;
}

const guint64 *
crm_vcard_card_get_cell_lines (CrmVcardCard *card)
{
  return card->lines;
}

guint
crm_vcard_card_get_n_warnings (CrmVcardCard *card)
{
  return card->warnings != NULL ? card->warnings->len : 0;
}

const char *
crm_vcard_card_get_warning (CrmVcardCard *card,
                            guint         index,
                            guint64      *line)
{
  CardWarning *w;

  g_return_val_if_fail (index < crm_vcard_card_get_n_warnings (card), NULL);
  w = &g_array_index (card->warnings, CardWarning, index);
  if (line != NULL)
    *line = w->line;
  return w->message;
}

static void
card_warn (CrmVcardCard *card,
           char         *message)
{
  CardWarning w = { card->cur_line, message };

  if (card->warnings == NULL)
    card->warnings = g_array_new (FALSE, FALSE, sizeof (CardWarning));
  g_array_append_val (card->warnings, w);
}

const char *
crm_vcard_card_get_raw (CrmVcardCard *card)
{
  return card->raw;
}

guint64
crm_vcard_card_get_line (CrmVcardCard *card)
{
  return card->line;
}

void
crm_vcard_card_free (CrmVcardCard *card)
{
  if (card == NULL)
    return;
  /* Not g_strfreev(): a card dropped half-read has NULL holes, and g_strfreev() stops at the
   * first one (found by fuzz-vcard as a leak). */
  for (guint i = 0; i < crm_vcard_columns_info ()->n; i++)
    g_free (card->cells[i]);
  g_free (card->cells);
  g_free (card->lines);
  if (card->warnings != NULL)
    {
      for (guint i = 0; i < card->warnings->len; i++)
        g_free (g_array_index (card->warnings, CardWarning, i).message);
      g_array_unref (card->warnings);
    }
  g_free (card->raw);
  g_free (card);
}

/* ---- reading ------------------------------------------------------------------------------ */

/* One physical line: [*start, *end) without its line end; returns FALSE at the end of data. */
static gboolean
next_physical (CrmVcardParser *p,
               gsize          *start,
               gsize          *end)
{
  const char *nl;

  if (p->pos >= p->len)
    return FALSE;
  *start = p->pos;
  nl = memchr (p->data + p->pos, '\n', p->len - p->pos);
  *end = nl ? (gsize) (nl - p->data) : p->len;
  p->pos = nl ? *end + 1 : p->len;
  p->line++;
  if (*end > *start && p->data[*end - 1] == '\r')
    (*end)--;
  return TRUE;
}

typedef struct
{
  char  *name;     /* upper case, without group */
  GPtrArray *params;  /* "NAME=value" upper-cased names; 2.1 bare values become TYPE=value */
  char  *value;    /* raw (still escaped, possibly QP) */
  guint64 line;    /* where the property starts */
} Prop;

static void
prop_free (gpointer data)
{
  Prop *p = data;

  g_free (p->name);
  g_ptr_array_unref (p->params);
  g_free (p->value);
  g_free (p);
}

static const char *
param_get (Prop       *prop,
           const char *name)
{
  gsize n = strlen (name);

  for (guint i = 0; i < prop->params->len; i++)
    {
      const char *s = g_ptr_array_index (prop->params, i);
      if (g_ascii_strncasecmp (s, name, n) == 0 && s[n] == '=')
        return s + n + 1;
    }
  return NULL;
}

static gboolean
param_has_type (Prop       *prop,
                const char *type)
{
  for (guint i = 0; i < prop->params->len; i++)
    {
      const char *s = g_ptr_array_index (prop->params, i);

      if (g_ascii_strncasecmp (s, "TYPE=", 5) == 0)
        {
          g_auto(GStrv) parts = g_strsplit (s + 5, ",", -1);
          for (guint j = 0; parts[j]; j++)
            if (g_ascii_strcasecmp (g_strstrip (parts[j]), type) == 0)
              return TRUE;
        }
      if (g_ascii_strcasecmp (type, "PREF") == 0 && g_ascii_strncasecmp (s, "PREF=", 5) == 0)
        return TRUE;
    }
  return FALSE;
}

/* "NAME;P1=a;P2="b;c":value" → Prop; NULL if the line is no property. */
static Prop *
parse_prop (const char *line)
{
  const char *p = line, *name_end;
  Prop *prop;

  /* NAME (with an optional "group.") ends at ';' or ':'. */
  while (*p && *p != ';' && *p != ':')
    p++;
  if (*p == '\0')
    return NULL;
  name_end = p;
  prop = g_new0 (Prop, 1);
  prop->params = g_ptr_array_new_with_free_func (g_free);
  {
    const char *dot = memchr (line, '.', name_end - line);
    const char *n = dot ? dot + 1 : line;
    g_autofree char *raw = g_strndup (n, name_end - n);
    prop->name = g_ascii_strup (g_strstrip (raw), -1);
  }

  while (*p == ';')
    {
      GString *param = g_string_new (NULL);
      gboolean quoted = FALSE;

      p++;
      while (*p && (quoted || (*p != ';' && *p != ':')))
        {
          if (*p == '"')
            quoted = !quoted;
          else
            g_string_append_c (param, *p);
          p++;
        }
      if (param->len > 0)
        {
          char *eq = strchr (param->str, '=');

          if (eq == NULL)
            {
              /* vCard 2.1: "TEL;CELL;PREF" and "ENCODING" values without a name. */
              if (g_ascii_strcasecmp (param->str, "QUOTED-PRINTABLE") == 0 ||
                  g_ascii_strcasecmp (param->str, "BASE64") == 0)
                g_ptr_array_add (prop->params, g_strconcat ("ENCODING=", param->str, NULL));
              else
                g_ptr_array_add (prop->params, g_strconcat ("TYPE=", param->str, NULL));
            }
          else
            {
              g_autofree char *pname = g_ascii_strup (param->str, eq - param->str);
              g_ptr_array_add (prop->params, g_strconcat (pname, eq, NULL));
            }
        }
      g_string_free (param, TRUE);
    }
  if (*p != ':')
    {
      prop_free (prop);
      return NULL;
    }
  prop->value = g_strdup (p + 1);
  return prop;
}

static char *
decode_qp (const char *s)
{
  GString *out = g_string_new (NULL);

  for (const char *p = s; *p; p++)
    {
      if (*p == '=' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))
        {
          g_string_append_c (out, (char) (g_ascii_xdigit_value (p[1]) * 16 + g_ascii_xdigit_value (p[2])));
          p += 2;
        }
      else if (*p == '=' && (p[1] == '\r' || p[1] == '\n'))
        {
          /* A soft line break left in the value. */
          p++;
          if (*p == '\r' && p[1] == '\n')
            p++;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* Whether 8-bit text without a named character set reads as Chinese (GB2312/GBK/GB18030):
 * its bytes over 0x7F come in pairs, as a GB2312 character's two bytes do.  Western text
 * (Windows-1252: "Soci\xe9t\xe9") has them alone between ASCII letters. */
static gboolean
looks_like_gb (const char *bytes)
{
  guint pairs = 0;

  for (const guchar *p = (const guchar *) bytes; *p; p++)
    {
      if (*p < 0x80)
        continue;
      if (p[1] < 0x80)
        return FALSE;
      pairs++;
      p++;
    }
  return pairs > 0;
}

/* 8-bit text in a character set the card does not name (or names wrongly): GB18030 when it
 * reads as Chinese, else Windows-1252 (which Outlook writes), else UTF-8 with the bytes that
 * cannot be read replaced by U+FFFD.  @prop's card gets a warning saying which. */
static char *
guess_charset (CrmVcardCard *card,
               Prop         *prop,
               const char   *bytes,
               const char   *declared)
{
  const char *used = NULL;
  char *out = NULL;

  if (looks_like_gb (bytes) && (out = g_convert (bytes, -1, "UTF-8", "GB18030", NULL, NULL, NULL)) != NULL)
    used = "GB18030";
  else if ((out = g_convert (bytes, -1, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL)) != NULL)
    used = "Windows-1252";
  if (out != NULL && !g_utf8_validate (out, -1, NULL))
    g_clear_pointer (&out, g_free);
  if (out == NULL)
    {
      out = g_utf8_make_valid (bytes, -1);
      card_warn (card, g_strdup_printf (_("The %s value is not text in a character set that can be recognised; the bytes that cannot be read are replaced by “\uFFFD”"),
                                        prop->name));
    }
  else if (declared != NULL)
    card_warn (card, g_strdup_printf (_("The %s value is not valid %s text; it was read as %s: check it"),
                                      prop->name, declared, used));
  else
    card_warn (card, g_strdup_printf (_("The %s value is not UTF-8 and names no character set; it was read as %s: check it"),
                                      prop->name, used));
  return out;
}

/* The value as UTF-8 (QP decoded, converted from CHARSET or guessed); never NULL. */
static char *
decode_value (CrmVcardCard *card,
              Prop         *prop)
{
  const char *enc = param_get (prop, "ENCODING");
  const char *charset = param_get (prop, "CHARSET");
  g_autofree char *bytes = NULL;

  if (enc && (g_ascii_strcasecmp (enc, "B") == 0 || g_ascii_strcasecmp (enc, "BASE64") == 0))
    return g_strdup ("");   /* photos, keys: not imported */
  bytes = enc && g_ascii_strcasecmp (enc, "QUOTED-PRINTABLE") == 0 ? decode_qp (prop->value) : g_strdup (prop->value);

  if (charset && g_ascii_strcasecmp (charset, "UTF-8") != 0)
    {
      /* GB2312 files are often really GBK/GB18030: the superset decodes both. */
      const char *from = g_ascii_strcasecmp (charset, "GB2312") == 0 || g_ascii_strcasecmp (charset, "GBK") == 0
                         ? "GB18030" : charset;
      char *out = g_convert (bytes, -1, "UTF-8", from, NULL, NULL, NULL);

      /* iconv takes odd names ("UTF@8") for charsets that pass bytes through
       * unchecked: only valid UTF-8 leaves here. */
      if (out != NULL && g_utf8_validate (out, -1, NULL))
        return out;
      g_free (out);
    }
  if (!g_utf8_validate (bytes, -1, NULL))
    return guess_charset (card, prop, bytes, charset);
  return g_steal_pointer (&bytes);
}

/* Splits @s at unescaped @sep and unescapes each part. */
static GPtrArray *
split_unescape (const char *s,
                char        sep)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  GString *cur = g_string_new (NULL);

  for (const char *p = s; ; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        {
          p++;
          if (*p == 'n' || *p == 'N')
            g_string_append_c (cur, '\n');
          else
            g_string_append_c (cur, *p);
        }
      else if (*p == sep || *p == '\0')
        {
          g_ptr_array_add (parts, g_string_free (cur, FALSE));
          if (*p == '\0')
            break;
          cur = g_string_new (NULL);
        }
      else
        g_string_append_c (cur, *p);
    }
  return parts;
}

static char *
unescape (const char *s)
{
  g_autoptr(GPtrArray) parts = split_unescape (s, '\0');
  return g_strdup (g_ptr_array_index (parts, 0));
}

static void
set_cell (CrmVcardCard *card,
          int           col,
          const char   *value,
          gboolean      replace)
{
  g_autofree char *stripped = NULL;

  if (value == NULL || col < 0)
    return;
  /* Notes keep their own spacing; other values lose the blanks around them. */
  stripped = col == crm_vcard_columns_info ()->note ? g_strdup (value) : g_strstrip (g_strdup (value));
  if (*stripped == '\0' || (card->cells[col] != NULL && !replace))
    return;
  g_free (card->cells[col]);
  card->cells[col] = g_steal_pointer (&stripped);
  card->lines[col] = card->cur_line;
}

/* Rank of a TEL/EMAIL/ADR: preferred first, then mobile (phones), then the first seen. */
enum { RANK_TEL, RANK_EMAIL, RANK_ADR, N_RANKS };

static int
rank (Prop     *prop,
      gboolean  phone)
{
  if (param_has_type (prop, "PREF"))
    return 3;
  if (phone && param_has_type (prop, "CELL"))
    return 2;
  return 1;
}

/* BDAY as vCard gives it: 4.0's basic date "19800229" and a date with a time ("1980-02-29T00:00:00Z",
 * "19800229T000000") become ISO "1980-02-29", the form the catalogue stores and the writer was given;
 * anything else (text, partial dates) is returned as NULL and kept as written. */
static char *
bday_to_iso (const char *value)
{
  g_autofree char *iso = NULL;
  gsize n = strspn (value, "0123456789");

  if (n == 8 && (value[8] == '\0' || value[8] == 'T'))
    iso = g_strdup_printf ("%.4s-%.2s-%.2s", value, value + 4, value + 6);
  else if (n == 4 && strlen (value) >= 10 && value[4] == '-' && value[7] == '-' &&
           (value[10] == '\0' || value[10] == 'T'))
    iso = g_strndup (value, 10);
  if (iso == NULL || !crm_text_check_date (iso, NULL))
    return NULL;
  return g_steal_pointer (&iso);
}

/* ADR: post office box; extended address; street; locality; region; postal code; country.  The
 * first three make the street address. */
static void
apply_adr (CrmVcardCard *card,
           const char   *value)
{
  const CrmVcardColumns *cols = crm_vcard_columns_info ();
  g_autoptr(GPtrArray) parts = split_unescape (value, ';');
  g_autoptr(GString) street = g_string_new (NULL);

  for (guint i = 0; i < 3 && i < parts->len; i++)
    {
      const char *part = g_ptr_array_index (parts, i);
      if (*part == '\0')
        continue;
      if (street->len > 0)
        g_string_append (street, ", ");
      g_string_append (street, part);
    }
  for (guint c = 3; c < G_N_ELEMENTS (cols->adr); c++)
    {
      if (cols->adr[c] < 0)
        continue;
      g_clear_pointer (&card->cells[cols->adr[c]], g_free);
      if (c == 3)
        set_cell (card, cols->adr[c], street->str, TRUE);
      else if (c <= parts->len)
        set_cell (card, cols->adr[c], g_ptr_array_index (parts, c - 1), TRUE);
    }
}

/* A phone number as text: a 4.0 "tel:" URI loses its scheme and parameters, and its extension
 * ("tel:+1-418-656-9254;ext=102", RFC 3966) is kept after the number ("+1-418-656-9254 ext.
 * 102"), as it is when a 3.0 card writes the URI's form as text. */
static char *
phone_text (const char  *value,
            gboolean    *has_ext)
{
  g_autofree char *s = unescape (value);
  g_auto(GStrv) parts = NULL;
  const char *number;
  const char *ext = NULL;

  *has_ext = FALSE;
  number = g_ascii_strncasecmp (g_strstrip (s), "tel:", 4) == 0 ? s + 4 : s;
  if (strchr (number, ';') == NULL)
    return g_strdup (number);
  parts = g_strsplit (number, ";", -1);
  for (guint i = 1; parts[i] != NULL; i++)
    if (g_ascii_strncasecmp (parts[i], "ext=", 4) == 0 && parts[i][4] != '\0')
      ext = parts[i] + 4;
  if (ext == NULL)
    return g_strdup (parts[0]);
  *has_ext = TRUE;
  return g_strdup_printf ("%s ext. %s", g_strstrip (parts[0]), ext);
}

static void
append_note (CrmVcardCard *card,
             const char   *s)
{
  int note = crm_vcard_columns_info ()->note;

  if (note < 0)
    ;
  else if (card->cells[note] == NULL)
    set_cell (card, note, s, FALSE);
  else if (*s != '\0')
    {
      char *joined = g_strconcat (card->cells[note], "\n", s, NULL);
      g_free (card->cells[note]);
      card->cells[note] = joined;
    }
}

/* The properties apply_prop() reads; the others are not even decoded (nor warned about). */
static gboolean
is_read (const char *n)
{
  static const char *names[] = { "FN", "N", "TEL", "EMAIL", "ORG", "TITLE", "ROLE", "ADR", "BDAY",
                                 "NOTE", "CATEGORIES", "UID" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (n, names[i]))
      return TRUE;
  return find_column (crm_vcard_columns_info (), n, 0) >= 0;
}

static gboolean
has_digit (const char *s)
{
  for (; *s; s++)
    if (g_ascii_isdigit (*s))
      return TRUE;
  return FALSE;
}

static void
apply_prop (CrmVcardCard *card,
            Prop         *prop,
            int          *ranks)
{
  const CrmVcardColumns *cols = crm_vcard_columns_info ();
  g_autofree char *value = NULL;
  const char *n = prop->name;
  int col;

  if (!is_read (n))
    return;
  card->cur_line = prop->line;
  value = decode_value (card, prop);

  if (g_str_equal (n, "FN"))
    {
      g_autofree char *s = unescape (value);
      set_cell (card, cols->fn, s, FALSE);
    }
  else if (g_str_equal (n, "N"))
    {
      g_autoptr(GPtrArray) parts = split_unescape (value, ';');

      set_cell (card, cols->family, g_ptr_array_index (parts, 0), FALSE);
      if (parts->len > 1)
        set_cell (card, cols->given, g_ptr_array_index (parts, 1), FALSE);
    }
  else if (g_str_equal (n, "TEL") || g_str_equal (n, "EMAIL"))
    {
      gboolean phone = n[0] == 'T';
      int which = phone ? RANK_TEL : RANK_EMAIL;
      int r = rank (prop, phone);
      gboolean has_ext = FALSE;
      g_autofree char *s = phone ? phone_text (value, &has_ext) : unescape (value);
      int c = phone ? cols->tel : cols->email;

      /* Placeholder text where a number should be ("TEL;CELL:MobilePhone") is taken only
       * while the card has no number: any real one replaces it. */
      if (phone && !has_digit (s))
        {
          if (ranks[which] == 0 && c >= 0 && card->cells[c] == NULL)
            set_cell (card, c, s, TRUE);
        }
      else if (*g_strstrip (s) != '\0' && r > ranks[which])
        {
          set_cell (card, c, s, TRUE);
          ranks[which] = r;
          if (has_ext)
            card_warn (card, g_strdup_printf (_("The phone number “%s” has an extension: it is kept as part of the number"), s));
        }
    }
  else if (g_str_equal (n, "ORG"))
    {
      g_autoptr(GPtrArray) parts = split_unescape (value, ';');
      set_cell (card, cols->org, g_ptr_array_index (parts, 0), FALSE);
    }
  else if (g_str_equal (n, "TITLE") || g_str_equal (n, "ROLE"))
    {
      g_autofree char *s = unescape (value);
      set_cell (card, cols->title, s, n[0] == 'T');
    }
  else if (g_str_equal (n, "ADR"))
    {
      int r = rank (prop, FALSE);

      if (r > ranks[RANK_ADR])
        {
          ranks[RANK_ADR] = r;
          apply_adr (card, value);
        }
    }
  else if (g_str_equal (n, "BDAY"))
    {
      g_autofree char *s = unescape (value);
      g_autofree char *iso = NULL;

      /* "--0517" (no year) cannot be stored: kept in the notes. */
      if (!g_str_has_prefix (g_strstrip (s), "--"))
        {
          iso = bday_to_iso (s);
          set_cell (card, cols->bday, iso != NULL ? iso : s, FALSE);
        }
      else
        {
          /* Translators: a birthday without a year, kept in the notes */
          g_autofree char *line = g_strdup_printf (_("Birthday: %s"), s);

          append_note (card, line);
          card_warn (card, g_strdup_printf (_("The birthday %s has no year and cannot be stored as one; kept in the notes"), s));
        }
    }
  else if (g_str_equal (n, "NOTE"))
    {
      g_autofree char *s = unescape (value);

      append_note (card, s);
    }
  else if (g_str_equal (n, "CATEGORIES"))
    {
      g_autoptr(GPtrArray) parts = split_unescape (value, ',');
      g_autoptr(GString) tags = g_string_new (cols->categories >= 0 ? card->cells[cols->categories] : NULL);

      for (guint i = 0; i < parts->len; i++)
        {
          char *t = g_strstrip ((char *) g_ptr_array_index (parts, i));
          if (*t == '\0')
            continue;
          if (tags->len > 0)
            g_string_append (tags, ", ");
          g_string_append (tags, t);
        }
      set_cell (card, cols->categories, tags->str, TRUE);
    }
  else if (g_str_equal (n, "UID"))
    {
      g_autofree char *s = unescape (value);
      const char *u = g_strstrip (s);

      if (g_ascii_strncasecmp (u, "urn:uuid:", 9) == 0)
        u += 9;
      if (g_uuid_string_is_valid (u))
        {
          g_autofree char *lower = g_ascii_strdown (u, -1);
          set_cell (card, cols->uid, lower, TRUE);
        }
      else
        /* Another program's id for the contact. */
        set_cell (card, cols->external_id, u, TRUE);
    }
  else if ((col = find_column (cols, n, 0)) >= 0)
    {
      /* Any other property the catalogue names (X-CLIENTELE-EXTERNAL-ID): its text. */
      g_autofree char *s = unescape (value);
      set_cell (card, col, s, TRUE);
    }
}

/* Whether the property part of a line (before the first ':') asks for
 * quoted-printable: only then is a trailing '=' a soft line break.  The value
 * itself may well contain the words. */
static gboolean
declares_quoted_printable (const char *line)
{
  const char *colon = strchr (line, ':');
  gsize len = colon ? (gsize) (colon - line) : strlen (line);
  static const char qp[] = "QUOTED-PRINTABLE";

  for (gsize i = 0; i + sizeof qp - 1 <= len; i++)
    if (g_ascii_strncasecmp (line + i, qp, sizeof qp - 1) == 0)
      return TRUE;

  return FALSE;
}

CrmVcardCard *
crm_vcard_parser_next (CrmVcardParser  *p,
                       GError         **error)
{
  gsize start, end, card_start = 0;
  gboolean in_card = FALSE;
  guint depth = 0;
  g_autoptr(GString) logical = NULL;
  g_autoptr(GPtrArray) props = NULL;
  g_autoptr(GError) card_error = NULL;
  gboolean qp_soft = FALSE;
  guint64 line_no = 0, logical_line = 0;

  g_clear_pointer (&p->last_raw, g_free);

  for (;;)
    {
      gboolean have = next_physical (p, &start, &end);
      /* Without a line, start is not set: no pointer is made from it (UBSan). */
      const char *s = have ? p->data + start : p->data;
      gsize n = have ? end - start : 0;

      if (!in_card)
        {
          if (!have)
            return NULL;
          while (n > 0 && (*s == ' ' || *s == '\t'))
            s++, n--;
          if (n >= 11 && g_ascii_strncasecmp (s, "BEGIN:VCARD", 11) == 0)
            {
              in_card = TRUE;
              depth = 1;
              card_start = start;
              line_no = p->line - 1;
              logical = g_string_new (NULL);
              props = g_ptr_array_new_with_free_func (prop_free);
            }
          continue;
        }

      if (have && p->pos - card_start > MAX_CARD && card_error == NULL)
        card_error = g_error_new (CRM_VCARD_ERROR, CRM_VCARD_ERROR_TOO_LARGE,
                                  _("The card is larger than %d MiB"), MAX_CARD / (1024 * 1024));

      /* Continuation lines: folded (leading blank), or a quoted-printable soft break. */
      if (have && logical->len > 0 && (qp_soft || (n > 0 && (s[0] == ' ' || s[0] == '\t'))))
        {
          if (qp_soft)
            {
              g_string_truncate (logical, logical->len - 1);   /* the '=' */
              if (logical->len < MAX_CARD)
                g_string_append_len (logical, s, n);
            }
          else if (logical->len < MAX_CARD)
            g_string_append_len (logical, s + 1, n - 1);
          qp_soft = logical->len > 0 && logical->str[logical->len - 1] == '=' &&
                    declares_quoted_printable (logical->str);
          continue;
        }

      /* The logical line before this one is complete. */
      if (logical->len > 0)
        {
          Prop *prop = parse_prop (logical->str);

          if (prop != NULL)
            {
              prop->line = logical_line;
              if (g_str_equal (prop->name, "BEGIN") && g_ascii_strcasecmp (prop->value, "VCARD") == 0)
                depth++;   /* an embedded AGENT card: its lines are not ours */
              if (depth == 1)
                g_ptr_array_add (props, prop);
              else
                prop_free (prop);
            }
          g_string_truncate (logical, 0);
        }

      if (!have)
        {
          p->last_raw = g_strndup (p->data + card_start, p->len - card_start);
          p->last_line = line_no;
          g_set_error_literal (error, CRM_VCARD_ERROR, CRM_VCARD_ERROR_TRUNCATED,
                               _("The card is not closed by END:VCARD: the file may be cut off"));
          return NULL;
        }

      if (n >= 9 && g_ascii_strncasecmp (s, "END:VCARD", 9) == 0)
        {
          if (--depth > 0)
            continue;
          break;
        }
      if (depth == 1 && n > 0)
        {
          logical_line = p->line - 1;
          g_string_append_len (logical, s, MIN (n, MAX_CARD));
          qp_soft = logical->str[logical->len - 1] == '=' && declares_quoted_printable (logical->str);
        }
    }

  /* A whole card. */
  {
    CrmVcardCard *card = g_new0 (CrmVcardCard, 1);
    int ranks[N_RANKS] = { 0 };

    card->cells = g_new0 (char *, crm_vcard_columns_info ()->n + 1);
    card->lines = g_new0 (guint64, crm_vcard_columns_info ()->n);
    card->raw = g_strndup (p->data + card_start, MIN (p->pos, p->len) - card_start);
    card->line = line_no;
    p->last_raw = g_strdup (card->raw);
    p->last_line = line_no;

    if (card_error != NULL)
      {
        crm_vcard_card_free (card);
        g_propagate_error (error, g_steal_pointer (&card_error));
        return NULL;
      }
    if (strlen (card->raw) != MIN (p->pos, p->len) - card_start)
      {
        crm_vcard_card_free (card);
        g_set_error_literal (error, CRM_VCARD_ERROR, CRM_VCARD_ERROR_INVALID_TEXT,
                             _("The card contains a NUL byte"));
        return NULL;
      }
    for (guint i = 0; i < props->len; i++)
      apply_prop (card, g_ptr_array_index (props, i), ranks);
    /* Google and others write N without FN and FN without N: the importer composes the name. */
    for (guint i = 0; i < crm_vcard_columns_info ()->n; i++)
      if (card->cells[i] == NULL)
        card->cells[i] = g_strdup ("");
    return card;
  }
}

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
#include "crm-output-file.h"

#include "crm-customer-fields.h"
#include "crm-text.h"

#include <glib/gi18n-lib.h>
#include <string.h>

G_DEFINE_QUARK (crm-vcard-error-quark, crm_vcard_error)

#define MAX_CARD (16 * 1024 * 1024)

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
} Columns;

static int
find_column (const Columns *cols,
             const char    *property,
             guint          part)
{
  for (guint i = 0; i < cols->n; i++)
    if (cols->fields[i]->vcard_part == part && g_ascii_strcasecmp (cols->fields[i]->vcard, property) == 0)
      return i;
  return -1;
}

static const Columns *
columns (void)
{
  static Columns *cols;

  if (g_once_init_enter (&cols))
    {
      Columns *made = g_new0 (Columns, 1);
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

/* Properties written and read in a way of their own; the catalogue may name any other, whose
 * value is then kept as text. */
static gboolean
is_structured_or_special (const char *property)
{
  static const char *special[] = {
    "UID", "FN", "N", "ORG", "TITLE", "TEL", "EMAIL", "ADR", "BDAY", "NOTE", "CATEGORIES",
  };

  for (guint i = 0; i < G_N_ELEMENTS (special); i++)
    if (g_ascii_strcasecmp (property, special[i]) == 0)
      return TRUE;
  return FALSE;
}

const char * const *
crm_vcard_columns (guint *n_columns)
{
  const Columns *cols = columns ();

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

struct _CrmVcardCard
{
  char   **cells;    /* crm_vcard_columns() */
  char    *raw;
  guint64  line;
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
    *n_cells = columns ()->n;
  return (const char * const *) card->cells;
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
  g_strfreev (card->cells);
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

/* The value as UTF-8 (QP decoded, converted from CHARSET); NULL if it cannot be. */
static char *
decode_value (Prop *prop)
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
    return NULL;
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
  stripped = col == columns ()->note ? g_strdup (value) : g_strstrip (g_strdup (value));
  if (*stripped == '\0' || (card->cells[col] != NULL && !replace))
    return;
  g_free (card->cells[col]);
  card->cells[col] = g_steal_pointer (&stripped);
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

/* ADR: post office box; extended address; street; locality; region; postal code; country.  The
 * first three make the street address. */
static void
apply_adr (CrmVcardCard *card,
           const char   *value)
{
  const Columns *cols = columns ();
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

static gboolean
apply_prop (CrmVcardCard *card,
            Prop         *prop,
            int          *ranks,
            GError      **error)
{
  const Columns *cols = columns ();
  g_autofree char *value = decode_value (prop);
  const char *n = prop->name;
  int col;

  if (value == NULL)
    {
      g_set_error (error, CRM_VCARD_ERROR, CRM_VCARD_ERROR_INVALID_TEXT,
                   _("The %s value is not UTF-8 text and names no known character set"), n);
      return FALSE;
    }

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
      g_autofree char *s = unescape (value);

      /* 4.0 "tel:+86-138…" URIs */
      if (phone && g_ascii_strncasecmp (s, "tel:", 4) == 0)
        memmove (s, s + 4, strlen (s) - 3);
      if (*g_strstrip (s) != '\0' && r > ranks[which])
        {
          set_cell (card, phone ? cols->tel : cols->email, s, TRUE);
          ranks[which] = r;
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
      /* "--0517" (no year) cannot be stored: left out. */
      if (!g_str_has_prefix (g_strstrip (s), "--"))
        set_cell (card, cols->bday, s, FALSE);
    }
  else if (g_str_equal (n, "NOTE"))
    {
      g_autofree char *s = unescape (value);

      if (cols->note < 0)
        ;
      else if (card->cells[cols->note] == NULL)
        set_cell (card, cols->note, s, FALSE);
      else if (*s != '\0')
        {
          char *joined = g_strconcat (card->cells[cols->note], "\n", s, NULL);
          g_free (card->cells[cols->note]);
          card->cells[cols->note] = joined;
        }
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
  return TRUE;
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
  guint64 line_no = 0;

  g_clear_pointer (&p->last_raw, g_free);

  for (;;)
    {
      gboolean have = next_physical (p, &start, &end);
      const char *s = p->data + start;
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
          g_string_append_len (logical, s, MIN (n, MAX_CARD));
          qp_soft = logical->str[logical->len - 1] == '=' && declares_quoted_printable (logical->str);
        }
    }

  /* A whole card. */
  {
    CrmVcardCard *card = g_new0 (CrmVcardCard, 1);
    int ranks[N_RANKS] = { 0 };

    card->cells = g_new0 (char *, columns ()->n + 1);
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
      if (!apply_prop (card, g_ptr_array_index (props, i), ranks, error))
        {
          crm_vcard_card_free (card);
          return NULL;
        }
    /* Google and others write N without FN and FN without N: the importer composes the name. */
    for (guint i = 0; i < columns ()->n; i++)
      if (card->cells[i] == NULL)
        card->cells[i] = g_strdup ("");
    return card;
  }
}

/* ---- writing ---------------------------------------------------------------------------------- */

char *
crm_vcard_escape (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text ? text : ""; *p; p++)
    switch (*p)
      {
      case '\\':
        g_string_append (s, "\\\\");
        break;
      case ',':
        g_string_append (s, "\\,");
        break;
      case ';':
        g_string_append (s, "\\;");
        break;
      case '\r':
        if (p[1] == '\n')
          p++;
        G_GNUC_FALLTHROUGH;
      case '\n':
        g_string_append (s, "\\n");
        break;
      default:
        g_string_append_c (s, *p);
      }
  return g_string_free (s, FALSE);
}

/* Appends "line\r\n" folded so no physical line exceeds 75 octets, never inside a UTF-8 sequence. */
static void
append_folded (GString    *out,
               const char *line)
{
  gsize len = strlen (line), pos = 0;
  gsize limit = 75;

  while (len - pos > limit)
    {
      gsize cut = pos + limit;

      while (cut > pos && ((guchar) line[cut] & 0xC0) == 0x80)
        cut--;
      g_string_append_len (out, line + pos, cut - pos);
      g_string_append (out, "\r\n ");
      pos = cut;
      limit = 74;   /* the leading space counts */
    }
  g_string_append (out, line + pos);
  g_string_append (out, "\r\n");
}

static gboolean
is_set (const char *s)
{
  return s != NULL && *s != '\0';
}

static gboolean
all_cjk (const char *s)
{
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (!((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2FFFF)))
        return FALSE;
    }
  return TRUE;
}

/* "PROPERTY:value", the value escaped; nothing for an empty value. */
static void
append_text (GString            *out,
             const char         *property,
             const char * const *c,
             int                 col)
{
  g_autofree char *e = NULL;
  g_autofree char *line = NULL;

  if (col < 0 || !is_set (c[col]))
    return;
  e = crm_vcard_escape (c[col]);
  line = g_strconcat (property, ":", e, NULL);
  append_folded (out, line);
}

/* N: the stored name is one string.  Chinese names: the first character is the family name
 * (two for the common compound surnames is not guessed); others: the last word. */
static void
append_n (GString            *out,
          const char * const *c,
          const Columns      *cols)
{
  const char *name = cols->fn >= 0 ? c[cols->fn] : NULL;
  const char *family_cell = cols->family >= 0 ? c[cols->family] : NULL;
  const char *given_cell = cols->given >= 0 ? c[cols->given] : NULL;
  g_autofree char *family = NULL, *given = NULL, *line = NULL;

  if (is_set (family_cell) || is_set (given_cell))
    {
      family = crm_vcard_escape (family_cell);
      given = crm_vcard_escape (given_cell);
    }
  else if (is_set (name) && all_cjk (name) && g_utf8_strlen (name, -1) >= 2)
    {
      const char *second = g_utf8_next_char (name);
      g_autofree char *f = g_strndup (name, second - name);
      family = crm_vcard_escape (f);
      given = crm_vcard_escape (second);
    }
  else if (is_set (name) && strrchr (name, ' ') != NULL)
    {
      const char *sp = strrchr (name, ' ');
      g_autofree char *g = g_strndup (name, sp - name);
      family = crm_vcard_escape (sp + 1);
      given = crm_vcard_escape (g);
    }
  else
    {
      family = crm_vcard_escape (name);
      given = g_strdup ("");
    }
  line = g_strdup_printf ("N:%s;%s;;;", family, given);
  append_folded (out, line);
}

/* ADR from its components (see apply_adr()); nothing when all are empty. */
static void
append_adr (GString            *out,
            const char * const *c,
            const Columns      *cols)
{
  g_autoptr(GString) line = g_string_new ("ADR:");
  gboolean any = FALSE;

  for (guint part = 1; part < G_N_ELEMENTS (cols->adr); part++)
    {
      int col = cols->adr[part];
      g_autofree char *e = col >= 0 ? crm_vcard_escape (c[col]) : NULL;

      any |= col >= 0 && is_set (c[col]);
      if (part > 1)
        g_string_append_c (line, ';');
      if (e != NULL)
        g_string_append (line, e);
    }
  if (any)
    append_folded (out, line->str);
}

static void
append_bday (GString            *out,
             CrmVcardVersion     version,
             const char         *bday)
{
  g_autofree char *line = NULL;

  if (!is_set (bday))
    return;
  /* Only a real ISO date is compacted to 4.0's YYYYMMDD; anything else is kept
   * as written (slicing bytes could split a UTF-8 sequence). */
  if (version == CRM_VCARD_VERSION_4_0 && crm_text_check_date (bday, NULL))
    line = g_strdup_printf ("BDAY:%.4s%.2s%.2s", bday, bday + 5, bday + 8);
  else
    {
      /* Not a date: text, escaped like any other (it may hold a line break). */
      g_autofree char *e = crm_vcard_escape (bday);
      line = g_strdup_printf ("BDAY:%s", e);
    }
  append_folded (out, line);
}

static void
append_categories (GString    *out,
                   const char *tags)
{
  /* Tags are typed as "vip, 老客户；wholesale": each one escaped, joined by ','. */
  g_autoptr(GString) cats = g_string_new ("CATEGORIES:");
  g_autoptr(GString) norm = g_string_new (tags);
  g_auto(GStrv) parts = NULL;
  gboolean first = TRUE;

  if (!is_set (tags))
    return;
  g_string_replace (norm, "，", ",", 0);
  g_string_replace (norm, "；", ",", 0);
  g_string_replace (norm, "、", ",", 0);
  g_strdelimit (norm->str, ";|", ',');
  parts = g_strsplit (norm->str, ",", -1);
  for (guint i = 0; parts[i]; i++)
    {
      g_autofree char *e = NULL;
      if (*g_strstrip (parts[i]) == '\0')
        continue;
      e = crm_vcard_escape (parts[i]);
      g_string_append_printf (cats, "%s%s", first ? "" : ",", e);
      first = FALSE;
    }
  if (!first)
    append_folded (out, cats->str);
}

void
crm_vcard_append_card (GString            *out,
                       CrmVcardVersion     version,
                       const char * const *c)
{
  const Columns *cols = columns ();
  g_autofree char *fn = crm_vcard_escape (cols->fn >= 0 ? c[cols->fn] : NULL);
  char *line;

  g_string_append (out, "BEGIN:VCARD\r\n");
  g_string_append (out, version == CRM_VCARD_VERSION_4_0 ? "VERSION:4.0\r\n" : "VERSION:3.0\r\n");
  if (cols->uid >= 0 && is_set (c[cols->uid]))
    {
      g_autofree char *uid = crm_vcard_escape (c[cols->uid]);
      line = g_strdup_printf ("UID:%s%s", version == CRM_VCARD_VERSION_4_0 ? "urn:uuid:" : "", uid);
      append_folded (out, line);
      g_free (line);
    }
  line = g_strconcat ("FN:", fn, NULL);
  append_folded (out, line);
  g_free (line);
  append_n (out, c, cols);

  append_text (out, "ORG", c, cols->org);
  append_text (out, "TITLE", c, cols->title);
  if (version == CRM_VCARD_VERSION_4_0)
    {
      append_text (out, "TEL;VALUE=text;TYPE=cell", c, cols->tel);
      append_text (out, "EMAIL", c, cols->email);
    }
  else
    {
      append_text (out, "TEL;TYPE=CELL", c, cols->tel);
      append_text (out, "EMAIL;TYPE=INTERNET", c, cols->email);
    }
  append_adr (out, c, cols);
  append_bday (out, version, cols->bday >= 0 ? c[cols->bday] : NULL);
  append_text (out, "NOTE", c, cols->note);
  append_categories (out, cols->categories >= 0 ? c[cols->categories] : NULL);

  /* Every other property the catalogue names, as text, in its order. */
  for (guint i = 0; i < cols->n; i++)
    if (!is_structured_or_special (cols->fields[i]->vcard) && cols->fields[i]->vcard_part == 0)
      append_text (out, cols->fields[i]->vcard, c, i);

  g_string_append (out, "END:VCARD\r\n");
}

static int
progress_handler (void *data)
{
  return g_cancellable_is_cancelled (data) ? 1 : 0;
}

gboolean
crm_vcard_export_customers (CrmStore               *store,
                            CrmQuery               *query,
                            const char             *path,
                            CrmVcardVersion         version,
                            CrmVcardExportProgress  progress,
                            gpointer                user_data,
                            GCancellable           *cancellable,
                            guint64                *out_rows,
                            GError                **error)
{
  g_autoptr(CrmQuery) q = query ? crm_query_copy (query) : crm_query_new ();
  const Columns *cols = columns ();
  g_autofree char *sql = crm_query_to_sql_columns (q, cols->select, "");
  g_autofree const char **cells = g_new0 (const char *, cols->n + 1);
  g_autoptr(CrmOutputFile) file = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GString) buf = g_string_sized_new (256 * 1024);
  sqlite3_stmt *stmt;
  guint64 rows = 0;
  gboolean ok = TRUE;
  int rc = SQLITE_DONE;

  /* Through a CrmOutputFile: the target changes only at the commit below; returning before it
   * drops what was written. */
  if (!(file = crm_output_file_new (path, error)))
    return FALSE;
  out = g_buffered_output_stream_new_sized (crm_output_file_get_stream (file), 256 * 1024);
  g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (out), FALSE);

  if (!(stmt = crm_store_prepare (store, sql, error)))
    return FALSE;
  crm_query_bind (q, stmt);
  crm_store_exec (store, "SAVEPOINT vcard_export", NULL);
  if (cancellable != NULL)
    sqlite3_progress_handler (crm_store_get_db (store), 100000, progress_handler, cancellable);

  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (guint i = 0; i < cols->n; i++)
        cells[i] = (const char *) sqlite3_column_text (stmt, i);
      crm_vcard_append_card (buf, version, cells);
      rows++;
      if (buf->len > 128 * 1024)
        {
          ok = g_output_stream_write_all (out, buf->str, buf->len, NULL, cancellable, error);
          g_string_truncate (buf, 0);
        }
      if (progress != NULL && rows % 10000 == 0)
        progress (rows, user_data);
    }
  if (cancellable != NULL)
    sqlite3_progress_handler (crm_store_get_db (store), 0, NULL, NULL);
  if (ok && rc != SQLITE_DONE)
    {
      if (!g_cancellable_set_error_if_cancelled (cancellable, error))
        crm_store_set_error (store, rc, error);
      ok = FALSE;
    }
  sqlite3_reset (stmt);
  crm_store_exec (store, "RELEASE vcard_export", NULL);

  if (ok)
    ok = g_output_stream_write_all (out, buf->str, buf->len, NULL, cancellable, error) &&
         g_output_stream_flush (out, cancellable, error) &&
         crm_output_file_commit (file, cancellable, error);

  if (ok && out_rows != NULL)
    *out_rows = rows;
  return ok;
}

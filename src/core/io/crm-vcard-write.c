/* crm-vcard-write.c: cards from customers (vCard 3.0 and 4.0, RFC 2426 and 6350), and the
 * export of a customer view as a .vcf file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-vcard.h"
#include "crm-vcard-private.h"

#include "crm-output-file.h"
#include "crm-text.h"

#include <glib/gi18n-lib.h>
#include <string.h>

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
append_n (GString               *out,
          const char * const    *c,
          const CrmVcardColumns *cols)
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
append_adr (GString               *out,
            const char * const    *c,
            const CrmVcardColumns *cols)
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
  const CrmVcardColumns *cols = crm_vcard_columns_info ();
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
  const CrmVcardColumns *cols = crm_vcard_columns_info ();
  g_autofree char *sql = crm_query_to_sql_columns (q, cols->select, "");
  g_autofree const char **cells = g_new0 (const char *, cols->n + 1);
  g_autoptr(CrmOutputFile) file = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GString) buf = g_string_sized_new (256 * 1024);
  sqlite3_stmt *stmt;
  guint64 rows = 0;
  gboolean ok = TRUE;
  GCancellable *previous;
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
  previous = crm_store_set_cancellable (store, cancellable);

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
  crm_store_set_cancellable (store, previous);
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

/* crm-mail.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-mail.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <gmime/gmime.h>
#include <string.h>

static const char *const field_names[] = { "name", "tier", "points", "coupon", "shop" };

static const char *
field_value (const CrmMailFields *f,
             const char          *name)
{
  const char *values[] = { f->name, f->tier, f->points, f->coupon, f->shop };

  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (g_str_equal (name, field_names[i]))
      return values[i] ? values[i] : "";
  return NULL;
}

/* Walks @text: calls @each for every literal run and every field name (trimmed). */
typedef gboolean (*Each) (const char *start, gsize len, gboolean field, gpointer data);

static gboolean
walk (const char *text,
      Each        each,
      gpointer    data)
{
  const char *p = text;

  while (*p)
    {
      const char *open = strstr (p, "{{");
      const char *close;
      g_autofree char *name = NULL;

      if (open == NULL)
        return each (p, strlen (p), FALSE, data);
      if (!each (p, open - p, FALSE, data))
        return FALSE;
      close = strstr (open + 2, "}}");
      if (close == NULL)
        return each (open, strlen (open), TRUE, data);   /* unclosed: a field of no name */
      name = g_strstrip (g_strndup (open + 2, close - open - 2));
      if (!each (name, strlen (name), TRUE, data))
        return FALSE;
      p = close + 2;
    }
  return TRUE;
}

typedef struct
{
  const char  *what;
  GError     **error;
} Check;

static gboolean
check_one (const char *start,
           gsize       len,
           gboolean    field,
           gpointer    data)
{
  Check *c = data;
  g_autofree char *name = g_strndup (start, len);

  if (!field)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (g_str_equal (name, field_names[i]))
      return TRUE;
  if (g_str_has_prefix (name, "{{"))
    g_set_error (c->error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 /* Translators: %s is "the subject" or "the message". */
                 _("A field in %s is not closed with “}}”"), c->what);
  else
    g_set_error (c->error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 /* Translators: the first %s is a field name, the second "the subject" or "the message". */
                 _("Unknown field {{%s}} in %s: the fields are {{name}}, {{tier}}, {{points}}, {{coupon}} and {{shop}}"),
                 name, c->what);
  return FALSE;
}

gboolean
crm_mail_template_check (const char  *text,
                         const char  *what,
                         GError     **error)
{
  Check c = { what, error };

  if (text == NULL)
    return TRUE;
  return walk (text, check_one, &c);
}

typedef struct
{
  GString             *out;
  const CrmMailFields *fields;
  gboolean             html;
} Render;

static gboolean
render_one (const char *start,
            gsize       len,
            gboolean    field,
            gpointer    data)
{
  Render *r = data;
  g_autofree char *name = NULL;
  const char *value;

  if (!field)
    {
      g_string_append_len (r->out, start, len);
      return TRUE;
    }
  name = g_strndup (start, len);
  value = field_value (r->fields, name);
  if (value == NULL)
    g_string_append_printf (r->out, g_str_has_prefix (name, "{{") ? "%s" : "{{%s}}", name);
  else if (r->html)
    {
      g_autofree char *escaped = g_markup_escape_text (value, -1);
      g_string_append (r->out, escaped);
    }
  else
    g_string_append (r->out, value);
  return TRUE;
}

char *
crm_mail_template_render (const char          *text,
                          const CrmMailFields *fields,
                          gboolean             html)
{
  Render r = { g_string_new (NULL), fields, html };

  if (text != NULL)
    walk (text, render_one, &r);
  return g_string_free (r.out, FALSE);
}

char *
crm_mail_unsubscribe_line (const char *from_address,
                           const char *token)
{
  /* Translators: the visible unsubscribe line at the end of every campaign e-mail; %s are the
   * shop's address and the recipient's token. */
  return g_strdup_printf (_("To stop these e-mails, write to %s with the subject unsubscribe-%s."),
                          from_address, token);
}

static void
ensure_gmime (void)
{
  static gsize ready;

  if (g_once_init_enter (&ready))
    {
      g_mime_init ();
      g_once_init_leave (&ready, 1);
    }
}

static GMimeObject *
text_part (const char *subtype,
           const char *text)
{
  GMimeTextPart *part = g_mime_text_part_new_with_subtype (subtype);

  g_mime_text_part_set_text (part, text);
  /* 7-bit safe for every relay: quoted-printable or base64 (Chinese) as fits the text best. */
  g_mime_part_set_content_encoding (GMIME_PART (part),
                                    g_mime_part_get_best_content_encoding (GMIME_PART (part),
                                                                           GMIME_ENCODING_CONSTRAINT_7BIT));
  return GMIME_OBJECT (part);
}

char *
crm_mail_build (const CrmMailMessage  *m,
                gsize                 *length,
                char                 **message_id)
{
  GMimeMessage *msg;
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *unsubscribe = crm_mail_unsubscribe_line (m->from_address, m->token);
  g_autofree char *text = g_strdup_printf ("%s\n\n-- \n%s\n", m->text, unsubscribe);
  g_autofree char *list_unsubscribe = g_strdup_printf ("<mailto:%s?subject=unsubscribe-%s>", m->from_address,
                                                       m->token);
  const char *domain = strchr (m->from_address, '@') + 1;
  g_autofree char *id = NULL;
  GMimeFormatOptions *format;
  GMimeObject *body;
  char *out;

  ensure_gmime ();
  msg = g_mime_message_new (TRUE);
  g_mime_message_add_mailbox (msg, GMIME_ADDRESS_TYPE_FROM, m->from_name, m->from_address);
  g_mime_message_add_mailbox (msg, GMIME_ADDRESS_TYPE_TO, m->to_name, m->to_address);
  /* Encoded per RFC 2047 when it is not ASCII. */
  g_mime_message_set_subject (msg, m->subject, "utf-8");
  date = g_date_time_new_from_unix_utc (m->date / 1000);
  g_mime_message_set_date (msg, date);
  id = g_mime_utils_generate_message_id (domain);
  g_mime_message_set_message_id (msg, id);
  g_mime_object_set_header (GMIME_OBJECT (msg), "List-Unsubscribe", list_unsubscribe, NULL);
  {
    /* A URL is no text to fold or encode (RFC 2369): GMime would make a long one into encoded
     * words, which no mail client reads as a link.  Its raw value goes out as it is. */
    GMimeHeader *header = g_mime_header_list_get_header (g_mime_object_get_header_list (GMIME_OBJECT (msg)),
                                                         "List-Unsubscribe");
    g_autofree char *raw = g_strdup_printf (" %s\n", list_unsubscribe);

    g_mime_header_set_raw_value (header, raw);
  }

  body = text_part ("plain", text);
  if (m->html != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (unsubscribe, -1);
      g_autofree char *html = g_strdup_printf ("%s\n<p style=\"font-size:small;color:#666\">%s</p>\n", m->html,
                                               escaped);
      GMimeMultipart *alternative = g_mime_multipart_new_with_subtype ("alternative");
      GMimeObject *html_part = text_part ("html", html);

      g_mime_multipart_add (alternative, body);
      g_mime_multipart_add (alternative, html_part);
      g_object_unref (body);
      g_object_unref (html_part);
      body = GMIME_OBJECT (alternative);
    }
  g_mime_message_set_mime_part (msg, body);
  g_object_unref (body);

  format = g_mime_format_options_new ();
  g_mime_format_options_set_newline_format (format, GMIME_NEWLINE_FORMAT_DOS);
  out = g_mime_object_to_string (GMIME_OBJECT (msg), format);
  g_mime_format_options_free (format);
  g_object_unref (msg);
  if (length)
    *length = strlen (out);
  if (message_id)
    *message_id = g_steal_pointer (&id);
  return out;
}

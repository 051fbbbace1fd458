/* crm-import-vcard.c: customers from a vCard file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-import-private.h"

gboolean
file_is_vcard (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  char buf[256];
  g_autofree char *decoded = NULL;
  gsize len;
  gssize n;
  const char *p;

  if (g_str_has_suffix (path, ".vcf") || g_str_has_suffix (path, ".vcard"))
    return TRUE;
  if (in == NULL || (n = g_input_stream_read (G_INPUT_STREAM (in), buf, sizeof buf - 1, NULL, NULL)) <= 0)
    return FALSE;
  buf[n] = '\0';
  /* UTF-16 with or without a byte order mark, as crm_vcard_decode() reads it. */
  decoded = crm_vcard_decode (buf, n & ~(gssize) 1, &len, NULL);
  p = decoded != NULL ? decoded : buf;
  if (g_str_has_prefix (p, "\xef\xbb\xbf"))
    p += 3;
  while (*p == ' ' || *p == '\r' || *p == '\n')
    p++;
  return g_ascii_strncasecmp (p, "BEGIN:VCARD", 11) == 0;
}

/* A rejected card in the rejects file: the card as read, with the reason in a property every
 * reader ignores. */
gboolean
reject_vcard (Run         *run,
              const char  *raw_text,
              const char  *reason,
              GError     **error)
{
  g_autoptr(GString) s = g_string_new (raw_text ? raw_text : "BEGIN:VCARD\r\nVERSION:3.0\r\n");
  g_autofree char *esc = crm_vcard_escape (reason);

  /* Drop the card's own END:VCARD (and trailing line ends) to add the reason before it. */
  while (s->len > 0 && (s->str[s->len - 1] == '\n' || s->str[s->len - 1] == '\r'))
    g_string_truncate (s, s->len - 1);
  if (s->len >= 9 && g_ascii_strcasecmp (s->str + s->len - 9, "END:VCARD") == 0)
    g_string_truncate (s, s->len - 9);
  else
    g_string_append (s, "\r\n");
  while (s->len > 0 && (s->str[s->len - 1] == '\n' || s->str[s->len - 1] == '\r'))
    g_string_truncate (s, s->len - 1);
  g_string_append (s, "\r\n");
  g_string_append_printf (s, "X-CLIENTELE-REJECTED:%s\r\nEND:VCARD\r\n", esc);
  /* crm_csv_writer is for CSV; a vCard rejects file is written as plain text. */
  return g_output_stream_write_all (crm_output_file_get_stream (run->rejects_file), s->str, s->len,
                                    NULL, NULL, error);
}

gboolean
run_vcard (Run      *run,
           GError  **error)
{
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr(CrmVcardParser) parser = NULL;

  g_autofree char *bytes = NULL;

  if (!g_file_get_contents (run->self->path, &bytes, &len, error))
    return FALSE;
  /* UTF-16 files ("Unicode" from Windows) are converted first, or refused with a reason. */
  if ((data = crm_vcard_decode (bytes, len, &len, error)) == NULL)
    return FALSE;
  g_clear_pointer (&bytes, g_free);
  parser = crm_vcard_parser_new (data, len);

  for (;;)
    {
      g_autoptr(CrmVcardCard) card = NULL;
      g_autoptr(GError) card_error = NULL;

      card = crm_vcard_parser_next (parser, &card_error);
      run->vcard_bytes = crm_vcard_parser_get_offset (parser);
      if (card == NULL && card_error == NULL)
        break;
      run->rows++;
      if (card == NULL)
        {
          g_autofree char *raw = crm_vcard_parser_get_last_raw (parser);

          run->cells = NULL;
          run->n_cells = 0;
          run->raw_text = raw;
          run->line = crm_vcard_parser_get_last_line (parser);
          if (!reject (run, -1, card_error->message, error))
            return FALSE;
          run->raw_text = NULL;
          continue;
        }

      run->cells = crm_vcard_card_get_cells (card, &run->n_cells);
      run->cell_lines = crm_vcard_card_get_cell_lines (card);
      run->raw_text = crm_vcard_card_get_raw (card);
      run->line = crm_vcard_card_get_line (card);
      for (guint i = 0; i < crm_vcard_card_get_n_warnings (card); i++)
        {
          guint64 line;
          const char *message = crm_vcard_card_get_warning (card, i, &line);

          row_warning (&run->card_warnings, -1, g_strdup (message));
          g_array_index (run->card_warnings, RowWarning, run->card_warnings->len - 1).line = line;
        }
      if (!import_customer_cells (run, run->cells, run->n_cells, error))
        return FALSE;
      g_clear_pointer (&run->card_warnings, g_array_unref);
      run->raw_text = NULL;
      run->cell_lines = NULL;

      if ((run->rows & 255) == 0)
        {
          if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
            return FALSE;
          report_progress (run, FALSE, FALSE);
        }
    }
  return TRUE;
}

/* crm-csv-reader-decode.c: CrmCsvReader's input: reading it in blocks, decoding it to UTF-8,
 * and detecting its encoding, delimiter and header (crm_csv_reader_detect()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-csv-reader-private.h"

#include <inttypes.h>
#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>

/* Converts as much of *in as fits into *out.  An undecodable sequence becomes 0xFF (never
 * valid UTF-8, so the record check reports it with its line); an incomplete one at the end of
 * the input is left for the next block unless @at_eof. */
static void
convert_block (GIConv         cd,
               guint          unit,
               const guint8 **in,
               gsize         *in_left,
               guint8       **out,
               gsize         *out_left,
               gboolean       at_eof)
{
  while (*in_left > 0 && *out_left > 0)
    {
      gsize r = g_iconv (cd, (char **) in, in_left, (char **) out, out_left);
      gsize skip;

      if (r != (gsize) -1)
        break;
      if (errno == E2BIG)
        break;
      if (errno == EINVAL && !at_eof)
        break;
      /* EILSEQ, or a sequence cut off by the end of the file. */
      skip = errno == EINVAL ? *in_left : MIN (unit, *in_left);
      **out = 0xFF;
      (*out)++;
      (*out_left)--;
      *in += skip;
      *in_left -= skip;
    }
}

static gboolean
read_more_raw (CrmCsvReader  *self,
               gsize          want,
               GCancellable  *cancellable,
               GError       **error)
{
  gssize n;

  /* Small files (and detection, which reads 64 KiB) never need a full block. */
  if (self->raw == NULL)
    {
      self->raw_alloc = SAMPLE_SIZE;
      self->raw = g_malloc (self->raw_alloc);
    }
  else if (self->sample_read && self->raw_alloc < BLOCK_SIZE)
    {
      self->raw_alloc = BLOCK_SIZE;
      self->raw = g_realloc (self->raw, self->raw_alloc);
    }
  if (self->raw_pos > 0)
    {
      memmove (self->raw, self->raw + self->raw_pos, self->raw_len - self->raw_pos);
      self->raw_len -= self->raw_pos;
      self->raw_pos = 0;
    }
  want = MIN (want, self->raw_alloc - self->raw_len);
  n = g_input_stream_read (self->stream, self->raw + self->raw_len, want, cancellable, error);
  if (n < 0)
    return FALSE;
  if (n == 0)
    self->input_eof = TRUE;
  self->raw_len += n;
  self->bytes_read += n;
  return TRUE;
}

/* Refills buf with UTF-8.  Returns the bytes available, 0 at the end, -1 on error. */
gssize
crm_csv_reader_fill (CrmCsvReader  *self,
                     GCancellable  *cancellable,
                     GError       **error)
{
  if (self->cd == (GIConv) -1)
    {
      gssize n;

      /* UTF-8: at the end the block keeps the last record (crm_csv_reader_invalid_text()). */
      if (self->input_eof)
        return 0;
      n = g_input_stream_read (self->stream, self->buf, self->buf_alloc, cancellable, error);
      if (n <= 0)
        {
          self->input_eof = n == 0;
          return n < 0 ? -1 : 0;
        }
      self->record_in_buf = FALSE;
      self->bytes_read += n;
      self->buf_pos = 0;
      self->buf_len = n;
      return n;
    }

  self->buf_pos = self->buf_len = 0;
  self->record_in_buf = FALSE;

  for (;;)
    {
      if (self->raw_pos < self->raw_len)
        {
          const guint8 *in = self->raw + self->raw_pos;
          gsize in_left = self->raw_len - self->raw_pos;
          guint8 *out = self->buf;
          gsize out_left = self->buf_alloc;

          convert_block (self->cd, self->unit, &in, &in_left, &out, &out_left, self->input_eof);
          self->raw_pos = in - self->raw;
          self->buf_len = out - self->buf;
          if (self->buf_len > 0)
            return self->buf_len;
        }
      if (self->input_eof)
        return 0;
      if (!read_more_raw (self, BLOCK_SIZE, cancellable, error))
        return -1;
    }
}

/* Detection */

static gboolean
looks_like_data (const char *cell)
{
  gboolean digit = FALSE;

  if (*cell == '\0' || strchr (cell, '@') != NULL)
    return TRUE;
  /* Numbers, amounts, dates, times and phone numbers are made of these. */
  for (const char *p = cell; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digit = TRUE;
      else if (strchr (" +-.,/:()%$", *p) == NULL)
        return FALSE;
    }
  return digit;
}

static gboolean
guess_header (char **first)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (first == NULL || first[0] == NULL)
    return FALSE;
  for (guint i = 0; first[i] != NULL; i++)
    {
      char *cell = g_strstrip (g_utf8_casefold (first[i], -1));

      if (looks_like_data (cell) || g_hash_table_contains (seen, cell))
        {
          g_free (cell);
          return FALSE;
        }
      g_hash_table_add (seen, cell);
    }
  return TRUE;
}

typedef struct
{
  char     delimiter;
  guint    n_records;
  guint    mode;
  guint    n_mode;
  char   **first;
} LayoutScore;

static void
score_delimiter (const guint8 *text,
                 gsize         len,
                 gboolean      complete,
                 LayoutScore  *score)
{
  g_autoptr(GInputStream) mem = g_memory_input_stream_new_from_data (text, len, NULL);
  g_autoptr(CrmCsvReader) sub = crm_csv_reader_new (mem);
  guint counts[SAMPLE_RECORDS];
  guint n = 0;
  gboolean hit_end = FALSE;

  crm_csv_reader_set_encoding (sub, CRM_CSV_ENCODING_UTF8);
  crm_csv_reader_set_delimiter (sub, score->delimiter);
  crm_csv_reader_set_header_mode (sub, CRM_CSV_HEADER_ABSENT);

  while (n < SAMPLE_RECORDS)
    {
      g_autoptr(GError) error = NULL;

      if (crm_csv_reader_next (sub, NULL, &error))
        {
          if (n == 0)
            score->first = g_strdupv ((char **) sub->fields);
          counts[n++] = sub->n_fields;
        }
      else if (error == NULL || sub->finished)
        {
          hit_end = TRUE;
          break;
        }
      else
        counts[n++] = 0;
    }

  /* The last record of a cut-off sample may be cut off too. */
  if (hit_end && !complete && n > 1)
    n--;

  score->n_records = n;
  for (guint i = 0; i < n; i++)
    {
      guint same = 0;

      for (guint j = 0; j < n; j++)
        same += counts[j] == counts[i];
      if (same > score->n_mode || (same == score->n_mode && counts[i] > score->mode))
        {
          score->n_mode = same;
          score->mode = counts[i];
        }
    }
}

static gboolean
better_layout (const LayoutScore *a,
               const LayoutScore *b)
{
  /* Share of records with the most common field count, compared without division. */
  guint64 fa = a->mode > 1 ? (guint64) a->n_mode * MAX (b->n_records, 1) : 0;
  guint64 fb = b->mode > 1 ? (guint64) b->n_mode * MAX (a->n_records, 1) : 0;

  if (fa != fb)
    return fa > fb;
  return a->mode > b->mode;
}

static void
detect_layout (CrmCsvReader *self,
               const guint8 *text,
               gsize         len,
               gboolean      complete)
{
  static const char candidates[] = { ',', ';', '\t' };
  LayoutScore scores[G_N_ELEMENTS (candidates)] = { { 0 } };
  guint best = 0;

  if (self->delimiter_req != 0)
    {
      scores[0].delimiter = self->delimiter_req;
      score_delimiter (text, len, complete, &scores[0]);
    }
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
        {
          scores[i].delimiter = candidates[i];
          score_delimiter (text, len, complete, &scores[i]);
          if (i > 0 && better_layout (&scores[i], &scores[best]))
            best = i;
        }
    }

  self->delimiter = scores[best].delimiter;
  if (self->header_mode == CRM_CSV_HEADER_AUTO)
    self->has_header = guess_header (scores[best].first);
  else
    self->has_header = self->header_mode == CRM_CSV_HEADER_PRESENT;

  for (guint i = 0; i < G_N_ELEMENTS (scores); i++)
    g_strfreev (scores[i].first);
}

static gboolean
open_converter (CrmCsvEncoding   encoding,
                GIConv          *cd,
                GError         **error)
{
  const char *charset = crm_csv_encoding_get_charset (encoding);

  *cd = (GIConv) -1;
  if (encoding == CRM_CSV_ENCODING_UTF8 || encoding == CRM_CSV_ENCODING_UTF8_BOM)
    return TRUE;
  *cd = g_iconv_open ("UTF-8", charset);
  if (*cd == (GIConv) -1)
    {
      g_set_error (error, CRM_CSV_ERROR, CRM_CSV_ERROR_UNSUPPORTED_ENCODING,
                   _("This system cannot read %s text"), charset);
      return FALSE;
    }
  return TRUE;
}

static gsize
bom_matches (CrmCsvEncoding  encoding,
             const guint8   *data,
             gsize           len)
{
  const guint8 *bom = NULL;
  gsize bom_len;

  if (encoding == CRM_CSV_ENCODING_UTF8)
    encoding = CRM_CSV_ENCODING_UTF8_BOM;
  bom_len = crm_csv_encoding_get_bom (encoding, &bom);
  return bom_len > 0 && len >= bom_len && memcmp (data, bom, bom_len) == 0 ? bom_len : 0;
}

/**
 * crm_csv_reader_detect:
 *
 * Reads up to 64 KiB (kept for the records) and works out what was not chosen: the encoding
 * (see crm_csv_detect_encoding()), the delimiter (of ',', ';' and tab, the one giving the most
 * records with the same number of fields, more than one) and whether the first record is a
 * header (every cell non-empty, distinct, and neither a number, date, phone nor e-mail).
 * The results are in the getters so an import dialog can show them and let the user change
 * them; a change re-runs detection over the same sample.
 *
 * Returns: %FALSE on a read error or an encoding this system cannot convert.
 */
gboolean
crm_csv_reader_detect (CrmCsvReader  *self,
                       GCancellable  *cancellable,
                       GError       **error)
{
  CrmCsvEncoding old_encoding = self->encoding;
  char old_delimiter = self->delimiter;
  gboolean old_has_header = self->has_header;
  const guint8 *sample;
  gsize sample_len;
  g_autofree guint8 *decoded = NULL;
  GIConv cd;

  g_return_val_if_fail (CRM_IS_CSV_READER (self), FALSE);

  if (self->detected || self->started)
    return TRUE;

  while (!self->sample_read)
    {
      if (!read_more_raw (self, SAMPLE_SIZE - self->raw_len, cancellable, error))
        {
          self->finished = TRUE;
          return FALSE;
        }
      self->sample_read = self->input_eof || self->raw_len >= SAMPLE_SIZE;
    }

  sample = self->raw;
  sample_len = self->raw_len;

  if (self->encoding_req == CRM_CSV_ENCODING_AUTO)
    self->encoding = crm_csv_detect_encoding (sample, sample_len, self->input_eof, &self->bom_len);
  else
    {
      self->encoding = self->encoding_req;
      self->bom_len = bom_matches (self->encoding, sample, sample_len);
    }
  sample += self->bom_len;
  sample_len -= self->bom_len;

  if (!open_converter (self->encoding, &cd, error))
    {
      self->finished = TRUE;
      return FALSE;
    }
  if (cd != (GIConv) -1)
    {
      /* Up to 3 bytes of UTF-8 per byte of input (GB18030 2 → 3, UTF-16 2 → 3). */
      gsize out_left = sample_len * 3 + 1;
      guint8 *out = decoded = g_malloc (out_left);

      convert_block (cd, self->unit, &sample, &sample_len, &out, &out_left, self->input_eof);
      g_iconv_close (cd);
      sample = decoded;
      sample_len = out - decoded;
    }

  self->unit = (self->encoding == CRM_CSV_ENCODING_UTF16LE
                || self->encoding == CRM_CSV_ENCODING_UTF16BE) ? 2 : 1;

  if (self->delimiter_req != 0 && self->header_mode != CRM_CSV_HEADER_AUTO)
    {
      self->delimiter = self->delimiter_req;
      self->has_header = self->header_mode == CRM_CSV_HEADER_PRESENT;
    }
  else
    detect_layout (self, sample, sample_len, self->input_eof);

  self->detected = TRUE;

  if (old_encoding != self->encoding && self->encoding_req == CRM_CSV_ENCODING_AUTO)
    g_object_notify (G_OBJECT (self), "encoding");
  if (old_delimiter != self->delimiter && self->delimiter_req == 0)
    g_object_notify (G_OBJECT (self), "delimiter");
  if (old_has_header != self->has_header)
    g_object_notify (G_OBJECT (self), "has-header");
  return TRUE;
}

gboolean
crm_csv_reader_start (CrmCsvReader  *self,
                      GCancellable  *cancellable,
                      GError       **error)
{
  if (!crm_csv_reader_detect (self, cancellable, error))
    return FALSE;

  self->started = TRUE;
  self->raw_pos = self->bom_len;
  if (!open_converter (self->encoding, &self->cd, error))
    {
      self->finished = TRUE;
      return FALSE;
    }
  if (self->cd == (GIConv) -1)
    {
      /* UTF-8: the sample is the first block. */
      self->buf = g_steal_pointer (&self->raw);
      self->buf_pos = self->raw_pos;
      self->buf_len = self->raw_len;
      self->buf_alloc = self->raw_alloc;
      if (!self->input_eof)
        {
          self->buf_alloc = BLOCK_SIZE;
          self->buf = g_realloc (self->buf, self->buf_alloc);
        }
    }
  else
    {
      self->buf_alloc = self->input_eof ? MIN (BLOCK_SIZE, self->raw_len * 3 + 16) : BLOCK_SIZE;
      self->buf = g_malloc (self->buf_alloc);
    }

  memset (self->special, 0, sizeof self->special);
  memset (self->qspecial, 0, sizeof self->qspecial);
  self->special[(guchar) self->delimiter] = 1;
  self->special['\n'] = self->special['\r'] = self->special[0] = 1;
  self->qspecial['"'] = self->qspecial['\n'] = self->qspecial['\r'] = self->qspecial[0] = 1;
  return TRUE;
}

/* Why field @field (0-based) of the record just read is refused: for UTF-8 input still in the
 * block, the line, the byte in it and its offset in the file, found again in the raw bytes;
 * otherwise the line and field.  Either way, what to do about it. */
void
crm_csv_reader_invalid_text (CrmCsvReader  *self,
                             guint          field,
                             guint64        line,
                             GError       **error)
{
  const char *charset = crm_csv_encoding_get_charset (self->encoding);

  if (self->cd == (GIConv) -1 && self->record_in_buf && self->buf_pos <= self->buf_len &&
      self->record_buf_pos < self->buf_pos)
    {
      const char *start = (const char *) self->buf + self->record_buf_pos;
      const char *end = (const char *) self->buf + self->buf_pos;
      const char *bad = NULL, *line_start = start;
      guint64 bad_line = self->record_line;

      if (!g_utf8_validate_len (start, end - start, &bad))
        {
          for (const char *q = start; q < bad; q++)
            if (*q == '\n' || (*q == '\r' && q + 1 < end && q[1] != '\n'))
              {
                bad_line++;
                line_start = q + 1;
              }
          g_set_error (error, CRM_CSV_ERROR, CRM_CSV_ERROR_INVALID_TEXT,
                       _("Line %" PRIu64 ", byte %" PRIu64 " (offset %" PRIu64 " in the file): the byte 0x%02X is not valid %s text. "
                         "If the file was saved in another encoding, choose it for the import (Windows-1252 for Western European text, GB18030 for Chinese); "
                         "otherwise correct or delete this byte and import the row again"),
                       bad_line, (guint64) (bad - line_start) + 1, self->record_offset + (guint64) (bad - start),
                       (guchar) *bad, charset);
          return;
        }
    }
  g_set_error (error, CRM_CSV_ERROR, CRM_CSV_ERROR_INVALID_TEXT,
               _("Line %" PRIu64 ", field %u is not valid %s text. If the file was saved in another encoding, choose it for the import; "
                 "otherwise correct the line and import it again"),
               line, field + 1, charset);
}

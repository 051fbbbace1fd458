/* crm-csv-reader.c: streaming RFC 4180 reader.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is decoded to UTF-8 in 256 KiB blocks (no conversion at all for UTF-8 files), and
 * the parser walks each block with table look-ups, copying runs of ordinary bytes into one
 * record buffer.  Fields are NUL-terminated slices of that buffer, valid until the next call.
 *
 * What is accepted beyond RFC 4180, because spreadsheets and hand-made files produce it:
 * LF, CR and CRLF line ends (also mixed); a final record without a line end; blank lines
 * between records are skipped (a record of one empty field is written as "" by CrmCsvWriter,
 * so nothing is lost on a round trip); a quote inside an unquoted field is taken literally;
 * text after a closing quote is appended to the field (`"ab"c` gives `abc`, as Python does).
 *
 * Bytes that cannot be decoded become 0xFF in the UTF-8 block, which can never be valid
 * UTF-8, so the per-record UTF-8 check finds them and names the line.
 */
#include "crm-csv-reader-private.h"

#include <inttypes.h>
#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>

G_DEFINE_FINAL_TYPE (CrmCsvReader, crm_csv_reader, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STREAM,
  PROP_ENCODING,
  PROP_DELIMITER,
  PROP_HEADER_MODE,
  PROP_HAS_HEADER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


static void
crm_csv_reader_finalize (GObject *object)
{
  CrmCsvReader *self = CRM_CSV_READER (object);

  if (self->cd != (GIConv) -1)
    g_iconv_close (self->cd);
  g_clear_object (&self->stream);
  g_free (self->raw);
  g_free (self->buf);
  g_free (self->rec);
  g_free (self->starts);
  g_free (self->fields);
  g_strfreev (self->header);

  G_OBJECT_CLASS (crm_csv_reader_parent_class)->finalize (object);
}

static void
crm_csv_reader_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CrmCsvReader *self = CRM_CSV_READER (object);

  switch (prop_id)
    {
    case PROP_STREAM:
      g_value_set_object (value, self->stream);
      break;
    case PROP_ENCODING:
      g_value_set_enum (value, crm_csv_reader_get_encoding (self));
      break;
    case PROP_DELIMITER:
      g_value_set_uint (value, (guchar) crm_csv_reader_get_delimiter (self));
      break;
    case PROP_HEADER_MODE:
      g_value_set_enum (value, self->header_mode);
      break;
    case PROP_HAS_HEADER:
      g_value_set_boolean (value, crm_csv_reader_get_has_header (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_csv_reader_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CrmCsvReader *self = CRM_CSV_READER (object);

  switch (prop_id)
    {
    case PROP_STREAM:
      self->stream = g_value_dup_object (value);
      break;
    case PROP_ENCODING:
      crm_csv_reader_set_encoding (self, g_value_get_enum (value));
      break;
    case PROP_DELIMITER:
      crm_csv_reader_set_delimiter (self, (char) g_value_get_uint (value));
      break;
    case PROP_HEADER_MODE:
      crm_csv_reader_set_header_mode (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_csv_reader_class_init (CrmCsvReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = crm_csv_reader_finalize;
  object_class->get_property = crm_csv_reader_get_property;
  object_class->set_property = crm_csv_reader_set_property;

  properties[PROP_STREAM] =
    g_param_spec_object ("stream", NULL, NULL, G_TYPE_INPUT_STREAM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Reads give the detected value once crm_csv_reader_detect() has run. */
  properties[PROP_ENCODING] =
    g_param_spec_enum ("encoding", NULL, NULL, CRM_TYPE_CSV_ENCODING, CRM_CSV_ENCODING_AUTO,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DELIMITER] =
    g_param_spec_uint ("delimiter", NULL, NULL, 0, 127, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEADER_MODE] =
    g_param_spec_enum ("header-mode", NULL, NULL, CRM_TYPE_CSV_HEADER_MODE, CRM_CSV_HEADER_AUTO,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_HEADER] =
    g_param_spec_boolean ("has-header", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_csv_reader_init (CrmCsvReader *self)
{
  self->encoding_req = CRM_CSV_ENCODING_AUTO;
  self->header_mode = CRM_CSV_HEADER_AUTO;
  self->max_field = CRM_CSV_DEFAULT_MAX_FIELD_SIZE;
  self->max_record = CRM_CSV_DEFAULT_MAX_RECORD_SIZE;
  self->max_columns = CRM_CSV_DEFAULT_MAX_COLUMNS;
  self->cd = (GIConv) -1;
  self->unit = 1;
  self->line = 1;
}

/**
 * crm_csv_reader_new:
 * @stream: the CSV bytes; read from the current position, never seeked
 *
 * Returns: (transfer full): a reader that detects encoding, delimiter and header unless told.
 */
CrmCsvReader *
crm_csv_reader_new (GInputStream *stream)
{
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  return g_object_new (CRM_TYPE_CSV_READER, "stream", stream, NULL);
}

CrmCsvReader *
crm_csv_reader_new_for_path (const char  *path,
                             GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_file_new_for_path (path);
  stream = g_file_read (file, NULL, error);
  if (stream == NULL)
    return NULL;
  return crm_csv_reader_new (G_INPUT_STREAM (stream));
}

/* A choice made after crm_csv_reader_detect() makes the next detect() (or next()) look at the
 * kept sample again, so the dialog can show what the override does to the rest. */
static gboolean
check_not_started (CrmCsvReader *self)
{
  g_return_val_if_fail (!self->started, FALSE);
  return TRUE;
}

void
crm_csv_reader_set_encoding (CrmCsvReader   *self,
                             CrmCsvEncoding  encoding)
{
  g_return_if_fail (CRM_IS_CSV_READER (self));
  g_return_if_fail (encoding <= CRM_CSV_ENCODING_WINDOWS_1252);

  if (!check_not_started (self) || self->encoding_req == encoding)
    return;
  self->encoding_req = encoding;
  self->detected = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENCODING]);
}

/**
 * crm_csv_reader_set_delimiter:
 * @delimiter: an ASCII character other than '"', CR and LF, or 0 to detect (',' ';' or tab)
 */
void
crm_csv_reader_set_delimiter (CrmCsvReader *self,
                              char          delimiter)
{
  g_return_if_fail (CRM_IS_CSV_READER (self));
  g_return_if_fail ((guchar) delimiter < 128 && delimiter != '"' && delimiter != '\n' && delimiter != '\r');

  if (!check_not_started (self) || self->delimiter_req == delimiter)
    return;
  self->delimiter_req = delimiter;
  self->detected = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELIMITER]);
}

void
crm_csv_reader_set_header_mode (CrmCsvReader     *self,
                                CrmCsvHeaderMode  mode)
{
  g_return_if_fail (CRM_IS_CSV_READER (self));
  g_return_if_fail (mode <= CRM_CSV_HEADER_ABSENT);

  if (!check_not_started (self) || self->header_mode == mode)
    return;
  self->header_mode = mode;
  self->detected = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADER_MODE]);
}

/* Limits: a field or record over them is reported and skipped; the reader goes on. */
void
crm_csv_reader_set_max_field_size (CrmCsvReader *self,
                                   gsize         max_bytes)
{
  g_return_if_fail (CRM_IS_CSV_READER (self));
  g_return_if_fail (max_bytes > 0);
  self->max_field = max_bytes;
}

void
crm_csv_reader_set_max_record_size (CrmCsvReader *self,
                                    gsize         max_bytes)
{
  g_return_if_fail (CRM_IS_CSV_READER (self));
  g_return_if_fail (max_bytes > 0);
  self->max_record = max_bytes;
}

void
crm_csv_reader_set_max_columns (CrmCsvReader *self,
                                guint         max_columns)
{
  g_return_if_fail (CRM_IS_CSV_READER (self));
  g_return_if_fail (max_columns > 0);
  self->max_columns = max_columns;
}

CrmCsvEncoding
crm_csv_reader_get_encoding (CrmCsvReader *self)
{
  g_return_val_if_fail (CRM_IS_CSV_READER (self), CRM_CSV_ENCODING_AUTO);
  return self->detected || self->started ? self->encoding : self->encoding_req;
}

/* The delimiter in use, or 0 before detection when none was chosen. */
char
crm_csv_reader_get_delimiter (CrmCsvReader *self)
{
  g_return_val_if_fail (CRM_IS_CSV_READER (self), 0);
  return self->detected || self->started ? self->delimiter : self->delimiter_req;
}

CrmCsvHeaderMode
crm_csv_reader_get_header_mode (CrmCsvReader *self)
{
  g_return_val_if_fail (CRM_IS_CSV_READER (self), CRM_CSV_HEADER_AUTO);
  return self->header_mode;
}

/* Whether the first record is taken as column names (detected or chosen). */
gboolean
crm_csv_reader_get_has_header (CrmCsvReader *self)
{
  g_return_val_if_fail (CRM_IS_CSV_READER (self), FALSE);
  if (self->detected || self->started)
    return self->has_header;
  return self->header_mode == CRM_CSV_HEADER_PRESENT;
}

gboolean
crm_csv_reader_is_finished (CrmCsvReader *self)
{
  g_return_val_if_fail (CRM_IS_CSV_READER (self), TRUE);
  return self->finished;
}

/* Bytes taken from the stream so far, for progress against the file size. */
guint64
crm_csv_reader_get_bytes_read (CrmCsvReader *self)
{
  g_return_val_if_fail (CRM_IS_CSV_READER (self), 0);
  return self->bytes_read;
}

/* 1-based physical line where the last record (or the bad one) started. */
guint64
crm_csv_reader_get_line (CrmCsvReader *self)
{
  g_return_val_if_fail (CRM_IS_CSV_READER (self), 0);
  return self->record_line;
}

const char * const *
crm_csv_reader_get_fields (CrmCsvReader *self,
                           guint        *n_fields)
{
  g_return_val_if_fail (CRM_IS_CSV_READER (self), NULL);
  if (n_fields != NULL)
    *n_fields = self->fields != NULL ? self->n_fields : 0;
  return (const char * const *) self->fields;
}

guint
crm_csv_reader_get_n_fields (CrmCsvReader *self)
{
  g_return_val_if_fail (CRM_IS_CSV_READER (self), 0);
  return self->fields != NULL ? self->n_fields : 0;
}

const char *
crm_csv_reader_get_field (CrmCsvReader *self,
                          guint         index,
                          gsize        *length)
{
  g_return_val_if_fail (CRM_IS_CSV_READER (self), NULL);
  g_return_val_if_fail (self->fields != NULL && index < self->n_fields, NULL);

  if (length != NULL)
    *length = self->starts[index + 1] - self->starts[index] - 1;
  return self->fields[index];
}

/* The column names when crm_csv_reader_get_has_header() is TRUE and the first next() ran. */
const char * const *
crm_csv_reader_get_header (CrmCsvReader *self,
                           guint        *n_fields)
{
  g_return_val_if_fail (CRM_IS_CSV_READER (self), NULL);
  if (n_fields != NULL)
    *n_fields = self->n_header;
  return (const char * const *) self->header;
}

/* Decoding */

enum
{
  ST_RECORD_START,
  ST_FIELD_START,
  ST_UNQUOTED,
  ST_QUOTED,
  ST_QUOTED_QUOTE,
};

/* Parsing */

typedef struct
{
  gsize     field_start;
  gboolean  discard;
  GError   *error;
} RecordState;

static void
record_fail (CrmCsvReader *self,
             RecordState  *st,
             GError       *error)
{
  if (st->error == NULL)
    st->error = error;
  else
    g_error_free (error);
  st->discard = TRUE;
}

static inline void
append (CrmCsvReader *self,
        RecordState  *st,
        const void   *data,
        gsize         n)
{
  if (st->discard)
    return;
  if (self->rec_len - st->field_start + n > self->max_field)
    {
      record_fail (self, st,
                   g_error_new (CRM_CSV_ERROR, CRM_CSV_ERROR_FIELD_TOO_LARGE,
                                _("Line %" PRIu64 ": field %u is larger than %zu bytes"),
                                self->line, self->n_fields + 1, self->max_field));
      return;
    }
  if (self->rec_len + n + 1 > self->max_record)
    {
      record_fail (self, st,
                   g_error_new (CRM_CSV_ERROR, CRM_CSV_ERROR_RECORD_TOO_LARGE,
                                _("Line %" PRIu64 ": the record is larger than %zu bytes"),
                                self->record_line, self->max_record));
      return;
    }
  if (self->rec_len + n + 1 > self->rec_alloc)
    {
      self->rec_alloc = MAX (self->rec_alloc * 2, self->rec_len + n + 1);
      self->rec_alloc = MAX (self->rec_alloc, 4096);
      self->rec = g_realloc (self->rec, self->rec_alloc);
    }
  memcpy (self->rec + self->rec_len, data, n);
  self->rec_len += n;
}

static inline void
end_field (CrmCsvReader *self,
           RecordState  *st)
{
  if (st->discard)
    return;
  if (self->n_fields >= self->max_columns)
    {
      record_fail (self, st,
                   g_error_new (CRM_CSV_ERROR, CRM_CSV_ERROR_TOO_MANY_COLUMNS,
                                _("Line %" PRIu64 ": the record has more than %u fields"),
                                self->record_line, self->max_columns));
      return;
    }
  if (self->rec_len + 1 > self->rec_alloc)
    {
      self->rec_alloc = MAX (self->rec_alloc * 2, 4096);
      self->rec = g_realloc (self->rec, self->rec_alloc);
    }
  self->rec[self->rec_len++] = '\0';
  if (self->n_fields + 2 > self->starts_alloc)
    {
      self->starts_alloc = MAX (self->starts_alloc * 2, 64);
      self->starts = g_renew (gsize, self->starts, self->starts_alloc);
    }
  self->starts[self->n_fields++] = st->field_start;
  st->field_start = self->rec_len;
}

static void
nul_byte (CrmCsvReader *self,
          RecordState  *st)
{
  record_fail (self, st,
               g_error_new (CRM_CSV_ERROR, CRM_CSV_ERROR_NUL_BYTE,
                            _("Line %" PRIu64 " contains a NUL byte; this does not look like a text file in the chosen encoding"),
                            self->line));
}

static gboolean
has_high_bytes (const char *data,
                gsize       len)
{
  gsize i = 0;

  for (; i + 8 <= len; i += 8)
    {
      guint64 w;

      memcpy (&w, data + i, 8);
      if (w & G_GUINT64_CONSTANT (0x8080808080808080))
        return TRUE;
    }
  for (; i < len; i++)
    if ((guchar) data[i] & 0x80)
      return TRUE;
  return FALSE;
}

static guint64
count_lines (const char *data,
             gsize       len)
{
  guint64 n = 0;

  for (gsize i = 0; i < len; i++)
    if (data[i] == '\n' || (data[i] == '\r' && (i + 1 == len || data[i + 1] != '\n')))
      n++;
  return n;
}

static gboolean
finish_record (CrmCsvReader  *self,
               GError       **error)
{
  guint n = self->n_fields;

  if (n + 1 > self->fields_alloc)
    {
      self->fields_alloc = MAX (n + 1, self->fields_alloc * 2);
      self->fields = g_renew (const char *, self->fields, self->fields_alloc);
    }
  for (guint i = 0; i < n; i++)
    self->fields[i] = self->rec + self->starts[i];
  self->fields[n] = NULL;
  self->starts[n] = self->rec_len;

  if (has_high_bytes (self->rec, self->rec_len))
    {
      guint64 line = self->record_line;

      for (guint i = 0; i < n; i++)
        {
          gsize len = self->starts[i + 1] - self->starts[i] - 1;
          const char *bad = NULL;

          if (!g_utf8_validate (self->fields[i], len, &bad))
            {
              line += count_lines (self->fields[i], bad - self->fields[i]);
              crm_csv_reader_invalid_text (self, i, line, error);
              self->n_fields = 0;
              self->fields[0] = NULL;
              return FALSE;
            }
          line += count_lines (self->fields[i], len);
        }
    }
  return TRUE;
}

enum { REFILL_MORE, REFILL_DONE, REFILL_END, REFILL_ERROR };

/* The block is used up: reads the next one.  REFILL_MORE when there is more input, else
 * REFILL_DONE (the last record ends with the input), REFILL_END (no record left) or
 * REFILL_ERROR. */
static int
refill (CrmCsvReader  *self,
        RecordState   *st,
        int            state,
        guint64        quote_line,
        GCancellable  *cancellable,
        GError       **error)
{
  gssize n = crm_csv_reader_fill (self, cancellable, error);

  if (n > 0)
    return REFILL_MORE;
  if (n < 0)
    {
      self->finished = TRUE;
      g_clear_error (&st->error);
      return REFILL_ERROR;
    }
  if (state == ST_RECORD_START)
    {
      self->finished = TRUE;
      return REFILL_END;
    }
  if (state == ST_QUOTED)
    {
      self->finished = TRUE;
      g_clear_error (&st->error);
      g_set_error (error, CRM_CSV_ERROR, CRM_CSV_ERROR_UNTERMINATED_QUOTE,
                   _("Line %" PRIu64 ": the quoted field that starts here is never closed; the file may be cut off or have a stray quote"),
                   quote_line);
      return REFILL_ERROR;
    }
  end_field (self, st);
  return REFILL_DONE;
}

/* Inside quotes: a run of ordinary bytes, then the quote, line end or NUL that ends it.
 * Returns where it stopped. */
static inline const guint8 *
scan_quoted (CrmCsvReader  *self,
             RecordState   *st,
             const guint8  *p,
             const guint8  *end,
             gboolean      *prev_cr,
             int           *state)
{
  const guint8 *s = p;
  guint8 c;

  while (p < end && !self->qspecial[*p])
    p++;
  if (p > s)
    {
      append (self, st, s, p - s);
      *prev_cr = FALSE;
    }
  if (p == end)
    return p;
  c = *p++;
  if (c == '"')
    {
      *prev_cr = FALSE;
      *state = ST_QUOTED_QUOTE;
    }
  else if (c == '\n')
    {
      if (!*prev_cr)
        self->line++;
      *prev_cr = FALSE;
      append (self, st, &c, 1);
    }
  else if (c == '\r')
    {
      self->line++;
      *prev_cr = TRUE;
      append (self, st, &c, 1);
    }
  else
    nul_byte (self, st);
  return p;
}

/* Returns 1 for a record, 0 at the end, -1 on error (self->finished tells if final). */
static int
read_record (CrmCsvReader  *self,
             GCancellable  *cancellable,
             GError       **error)
{
  const guint8 *special = self->special;
  const guint8 delim = (guint8) self->delimiter;
  RecordState st = { 0, FALSE, NULL };
  int state = ST_RECORD_START;
  gboolean prev_cr = FALSE;
  guint64 quote_line = 0;

  if (self->rec_alloc > KEEP_RECORD_ALLOC)
    {
      g_clear_pointer (&self->rec, g_free);
      self->rec_alloc = 0;
    }
  self->rec_len = 0;
  self->n_fields = 0;
  if (self->fields != NULL)
    self->fields[0] = NULL;

  for (;;)
    {
      const guint8 *p, *end;

      if (self->buf_pos == self->buf_len)
        {
          int r = refill (self, &st, state, quote_line, cancellable, error);

          if (r == REFILL_DONE)
            goto record_done;
          if (r != REFILL_MORE)
            return r == REFILL_END ? 0 : -1;
        }

      p = self->buf + self->buf_pos;
      end = self->buf + self->buf_len;

      while (p < end)
        {
          guint8 c;

          switch (state)
            {
            case ST_RECORD_START:
              if (*p == '\n')
                {
                  if (self->skip_lf)
                    self->skip_lf = FALSE;
                  else
                    self->line++;
                  p++;
                  continue;
                }
              if (*p == '\r')
                {
                  self->line++;
                  self->skip_lf = TRUE;
                  p++;
                  continue;
                }
              self->skip_lf = FALSE;
              self->record_line = self->line;
              self->record_buf_pos = p - self->buf;
              self->record_offset = self->bytes_read - self->buf_len + self->record_buf_pos;
              self->record_in_buf = TRUE;
              state = ST_FIELD_START;
              G_GNUC_FALLTHROUGH;

            case ST_FIELD_START:
              if (*p == '"')
                {
                  p++;
                  quote_line = self->line;
                  prev_cr = FALSE;
                  state = ST_QUOTED;
                  continue;
                }
              state = ST_UNQUOTED;
              G_GNUC_FALLTHROUGH;

            case ST_UNQUOTED:
              {
                const guint8 *s = p;

                while (p < end && !special[*p])
                  p++;
                if (p > s)
                  append (self, &st, s, p - s);
              }
              if (p == end)
                break;
              c = *p++;
              if (c == delim)
                {
                  end_field (self, &st);
                  state = ST_FIELD_START;
                }
              else if (c == '\n' || c == '\r')
                {
                  self->line++;
                  self->skip_lf = c == '\r';
                  end_field (self, &st);
                  self->buf_pos = p - self->buf;
                  goto record_done;
                }
              else
                nul_byte (self, &st);
              continue;

            case ST_QUOTED:
              p = scan_quoted (self, &st, p, end, &prev_cr, &state);
              continue;

            case ST_QUOTED_QUOTE:
              if (*p == '"')
                {
                  append (self, &st, p, 1);
                  p++;
                  state = ST_QUOTED;
                  continue;
                }
              /* The closing quote: a delimiter or line end follows, or (lenient) more text. */
              state = ST_UNQUOTED;
              continue;

            default:
              g_assert_not_reached ();
            }
        }
      self->buf_pos = p - self->buf;
    }

record_done:
  if (st.error != NULL)
    {
      g_propagate_error (error, st.error);
      self->n_fields = 0;
      return -1;
    }
  if (!finish_record (self, error))
    return -1;
  return 1;
}

/**
 * crm_csv_reader_next:
 *
 * Reads the next record; then crm_csv_reader_get_fields() holds its cells (valid UTF-8) and
 * crm_csv_reader_get_line() the line it starts on.  The first call runs crm_csv_reader_detect()
 * if needed and, when there is a header, reads it first (see crm_csv_reader_get_header()).
 *
 * Returns: %TRUE for a record.  %FALSE without error at the end of the input.  %FALSE with an
 * error for a bad record: the error names its line; unless crm_csv_reader_is_finished(), the
 * reader has skipped it and the next call goes on with the following record.
 */
gboolean
crm_csv_reader_next (CrmCsvReader  *self,
                     GCancellable  *cancellable,
                     GError       **error)
{
  int r;

  g_return_val_if_fail (CRM_IS_CSV_READER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->finished)
    return FALSE;
  if (!self->started && !crm_csv_reader_start (self, cancellable, error))
    return FALSE;

  if (self->has_header && !self->header_done)
    {
      self->header_done = TRUE;
      r = read_record (self, cancellable, error);
      if (r <= 0)
        {
          /* Without its header the file cannot be mapped to fields: stop here. */
          self->finished = TRUE;
          return FALSE;
        }
      self->header = g_strdupv ((char **) self->fields);
      self->n_header = self->n_fields;
    }

  r = read_record (self, cancellable, error);
  if (r <= 0)
    self->n_fields = 0;
  return r > 0;
}

/* crm-csv-writer.c: RFC 4180 writer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Output: CRLF after every record; a field is quoted when it holds the delimiter, a quote, CR
 * or LF, starts or ends with a space or tab (some readers trim those) or starts with U+FEFF;
 * quotes inside are doubled.  A record of a single empty field is written as "" so that readers do not take it
 * for a blank line.  Records are formatted in UTF-8, then converted as a whole, so a record
 * that cannot be expressed in the chosen encoding is refused whole and nothing half-written
 * reaches the file.
 */
#include "crm-csv-writer.h"
#include "crm-output-file.h"

#include <inttypes.h>
#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#define FLUSH_SIZE (64 * 1024)

struct _CrmCsvWriter
{
  GObject         parent_instance;

  GOutputStream  *stream;
  CrmOutputFile  *file;        /* for a path: what close() commits */
  CrmCsvEncoding  encoding;
  char            delimiter;
  gboolean        neutralize;

  GIConv          cd;
  gboolean        cd_failed;
  gboolean        closed;
  gboolean        failed;
  guint64         n_records;

  guint8          special[256]; /* bytes that make a field quoted: delimiter, quote, CR, LF */

  GString        *rec;        /* the record, when it is converted to another encoding */
  GString        *dst;        /* where the record is formatted: rec, or out for UTF-8 */
  gsize           rec_start;  /* where it starts in dst */
  GArray         *offsets;    /* start of each field, from rec_start */
  GString        *out;        /* encoded bytes waiting to be written */
};

G_DEFINE_FINAL_TYPE (CrmCsvWriter, crm_csv_writer, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STREAM,
  PROP_ENCODING,
  PROP_DELIMITER,
  PROP_NEUTRALIZE_FORMULAS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
crm_csv_writer_constructed (GObject *object)
{
  CrmCsvWriter *self = CRM_CSV_WRITER (object);
  const guint8 *bom = NULL;
  gsize bom_len;

  G_OBJECT_CLASS (crm_csv_writer_parent_class)->constructed (object);

  if (self->encoding == CRM_CSV_ENCODING_AUTO)
    {
      g_critical ("CrmCsvWriter needs an explicit encoding; using UTF-8");
      self->encoding = CRM_CSV_ENCODING_UTF8;
    }
  if (self->encoding != CRM_CSV_ENCODING_UTF8 && self->encoding != CRM_CSV_ENCODING_UTF8_BOM)
    {
      self->cd = g_iconv_open (crm_csv_encoding_get_charset (self->encoding), "UTF-8");
      self->cd_failed = self->cd == (GIConv) -1;
    }

  /* Excel only takes a UTF-8 CSV for UTF-8 (rather than the ANSI code page) with a BOM. */
  bom_len = crm_csv_encoding_get_bom (self->encoding, &bom);
  g_string_append_len (self->out, (const char *) bom, bom_len);
}

static void
crm_csv_writer_finalize (GObject *object)
{
  CrmCsvWriter *self = CRM_CSV_WRITER (object);

  if (!self->closed && self->stream != NULL)
    {
      /* Abandoned without close(): closing with a cancelled cancellable makes a
       * g_file_replace() stream keep the old file instead of publishing half an export. */
      g_autoptr(GCancellable) cancelled = g_cancellable_new ();

      g_cancellable_cancel (cancelled);
      g_output_stream_close (self->stream, cancelled, NULL);
    }
  if (self->cd != (GIConv) -1)
    g_iconv_close (self->cd);
  g_clear_object (&self->stream);
  g_clear_object (&self->file);   /* not committed: the target stays as it was */
  g_string_free (self->rec, TRUE);
  g_string_free (self->out, TRUE);
  g_array_unref (self->offsets);

  G_OBJECT_CLASS (crm_csv_writer_parent_class)->finalize (object);
}

static void
crm_csv_writer_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CrmCsvWriter *self = CRM_CSV_WRITER (object);

  switch (prop_id)
    {
    case PROP_STREAM:
      g_value_set_object (value, self->stream);
      break;
    case PROP_ENCODING:
      g_value_set_enum (value, self->encoding);
      break;
    case PROP_DELIMITER:
      g_value_set_uint (value, (guchar) self->delimiter);
      break;
    case PROP_NEUTRALIZE_FORMULAS:
      g_value_set_boolean (value, self->neutralize);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_csv_writer_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CrmCsvWriter *self = CRM_CSV_WRITER (object);

  switch (prop_id)
    {
    case PROP_STREAM:
      self->stream = g_value_dup_object (value);
      break;
    case PROP_ENCODING:
      self->encoding = g_value_get_enum (value);
      break;
    case PROP_DELIMITER:
      crm_csv_writer_set_delimiter (self, (char) g_value_get_uint (value));
      break;
    case PROP_NEUTRALIZE_FORMULAS:
      crm_csv_writer_set_neutralize_formulas (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_csv_writer_class_init (CrmCsvWriterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = crm_csv_writer_constructed;
  object_class->finalize = crm_csv_writer_finalize;
  object_class->get_property = crm_csv_writer_get_property;
  object_class->set_property = crm_csv_writer_set_property;

  properties[PROP_STREAM] =
    g_param_spec_object ("stream", NULL, NULL, G_TYPE_OUTPUT_STREAM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENCODING] =
    g_param_spec_enum ("encoding", NULL, NULL, CRM_TYPE_CSV_ENCODING, CRM_CSV_ENCODING_UTF8,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DELIMITER] =
    g_param_spec_uint ("delimiter", NULL, NULL, 1, 127, ',',
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEUTRALIZE_FORMULAS] =
    g_param_spec_boolean ("neutralize-formulas", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_csv_writer_init (CrmCsvWriter *self)
{
  self->encoding = CRM_CSV_ENCODING_UTF8;
  self->delimiter = ',';
  self->neutralize = TRUE;
  self->cd = (GIConv) -1;
  self->rec = g_string_sized_new (1024);
  self->out = g_string_sized_new (FLUSH_SIZE + 4096);
  self->offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->special['"'] = self->special['\r'] = self->special['\n'] = self->special[','] = 1;
}

/**
 * crm_csv_writer_new:
 * @stream: where the bytes go; closed by crm_csv_writer_close()
 * @encoding: any but %CRM_CSV_ENCODING_AUTO; the UTF-16 and UTF-8-with-BOM ones start with a BOM
 *
 * Formula neutralisation is on; see crm_csv_writer_set_neutralize_formulas().
 */
CrmCsvWriter *
crm_csv_writer_new (GOutputStream  *stream,
                    CrmCsvEncoding  encoding)
{
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);
  g_return_val_if_fail (encoding != CRM_CSV_ENCODING_AUTO, NULL);

  return g_object_new (CRM_TYPE_CSV_WRITER, "stream", stream, "encoding", encoding, NULL);
}

/* Writes through a CrmOutputFile: @path ("-" for standard output) becomes the CSV only when
 * crm_csv_writer_close() succeeds; dropping the writer before that leaves it as it was. */
CrmCsvWriter *
crm_csv_writer_new_for_path (const char      *path,
                             CrmCsvEncoding   encoding,
                             GError         **error)
{
  g_autoptr(CrmOutputFile) file = NULL;
  CrmCsvWriter *self;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (encoding != CRM_CSV_ENCODING_AUTO, NULL);

  if (!(file = crm_output_file_new (path, error)))
    return NULL;
  self = crm_csv_writer_new (crm_output_file_get_stream (file), encoding);
  self->file = g_steal_pointer (&file);
  return self;
}

CrmCsvEncoding
crm_csv_writer_get_encoding (CrmCsvWriter *self)
{
  g_return_val_if_fail (CRM_IS_CSV_WRITER (self), CRM_CSV_ENCODING_UTF8);
  return self->encoding;
}

void
crm_csv_writer_set_delimiter (CrmCsvWriter *self,
                              char          delimiter)
{
  g_return_if_fail (CRM_IS_CSV_WRITER (self));
  g_return_if_fail ((guchar) delimiter > 0 && (guchar) delimiter < 128);
  g_return_if_fail (delimiter != '"' && delimiter != '\r' && delimiter != '\n');

  if (self->delimiter == delimiter)
    return;
  self->special[(guchar) self->delimiter] = 0;
  self->delimiter = delimiter;
  self->special[(guchar) delimiter] = 1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELIMITER]);
}

char
crm_csv_writer_get_delimiter (CrmCsvWriter *self)
{
  g_return_val_if_fail (CRM_IS_CSV_WRITER (self), ',');
  return self->delimiter;
}

/**
 * crm_csv_writer_set_neutralize_formulas:
 * @neutralize: whether to prefix cells that a spreadsheet would run as a formula
 *
 * On by default, for files meant for Excel or LibreOffice: see
 * crm_csv_cell_needs_neutralizing() for the rule (plain numbers such as "-12.50" are kept).
 * Turn it off for files read back by programs, where the cells must stay exactly as stored.
 */
void
crm_csv_writer_set_neutralize_formulas (CrmCsvWriter *self,
                                        gboolean      neutralize)
{
  g_return_if_fail (CRM_IS_CSV_WRITER (self));

  neutralize = !!neutralize;
  if (self->neutralize == neutralize)
    return;
  self->neutralize = neutralize;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEUTRALIZE_FORMULAS]);
}

gboolean
crm_csv_writer_get_neutralize_formulas (CrmCsvWriter *self)
{
  g_return_val_if_fail (CRM_IS_CSV_WRITER (self), TRUE);
  return self->neutralize;
}

guint64
crm_csv_writer_get_n_records (CrmCsvWriter *self)
{
  g_return_val_if_fail (CRM_IS_CSV_WRITER (self), 0);
  return self->n_records;
}

/* Room for @n more bytes at the end of the record; returns where they go. */
static inline char *
rec_reserve (CrmCsvWriter *self,
             gsize         n)
{
  GString *rec = self->dst;
  gsize len = rec->len;

  if (len + n + 1 > rec->allocated_len)
    {
      g_string_set_size (rec, len + n);
      rec->len = len;
    }
  return rec->str + len;
}

static inline void
rec_append (CrmCsvWriter *self,
            const char   *p,
            gsize         n)
{
  memcpy (rec_reserve (self, n), p, n);
  self->dst->len += n;
  self->dst->str[self->dst->len] = '\0';
}

static void
append_field (CrmCsvWriter *self,
              const char   *field,
              gsize         len,
              gboolean      only_field)
{
  gboolean neutral = self->neutralize && len > 0 && crm_csv_cell_needs_neutralizing (field);
  /* A leading U+FEFF is quoted so that it cannot be taken for a byte order mark. */
  gboolean quote = len == 0 ? only_field : (field[0] == ' ' || field[0] == '\t'
                                            || field[len - 1] == ' ' || field[len - 1] == '\t'
                                            || (len >= 3 && memcmp (field, "\xEF\xBB\xBF", 3) == 0));
  const guchar *p, *end = (const guchar *) field + len;
  char *out;

  for (p = (const guchar *) field; !quote && p < end; p++)
    quote = self->special[*p];

  if (!quote)
    {
      out = rec_reserve (self, len + 1);
      if (neutral)
        *out++ = '\'';
      memcpy (out, field, len);
      self->dst->len = out + len - self->dst->str;
      self->dst->str[self->dst->len] = '\0';
      return;
    }

  /* At most every byte doubled, the quotes and the apostrophe. */
  out = rec_reserve (self, 2 * len + 3);
  *out++ = '"';
  if (neutral)
    *out++ = '\'';
  for (p = (const guchar *) field; p < end; p++)
    {
      *out++ = *p;
      if (*p == '"')
        *out++ = '"';
    }
  *out++ = '"';
  self->dst->len = out - self->dst->str;
  self->dst->str[self->dst->len] = '\0';
}

/* UTF-8 check with an ASCII fast path (most cells are ASCII, eight bytes at a time); a NUL
 * byte is not text. */
static inline gboolean
valid_utf8 (const char *s,
            gsize       len)
{
  const guint64 high = G_GUINT64_CONSTANT (0x8080808080808080);
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  gsize i = 0;

  for (; i + 8 <= len; i += 8)
    {
      guint64 w;

      memcpy (&w, s + i, 8);
      if ((w & high) || ((w - ones) & ~w & high))
        break;
    }
  for (; i < len; i++)
    {
      if ((guchar) s[i] & 0x80)
        return g_utf8_validate_len (s + i, len - i, NULL);
      if (s[i] == '\0')
        return FALSE;
    }
  return TRUE;
}

static guint
field_at (CrmCsvWriter *self,
          gsize         pos)
{
  guint i = 0;

  while (i + 1 < self->offsets->len && g_array_index (self->offsets, gsize, i + 1) <= pos)
    i++;
  return i + 1;
}

static gboolean
encode_record (CrmCsvWriter  *self,
               GError       **error)
{
  gsize start = self->out->len;
  char *in = self->rec->str;
  gsize in_left = self->rec->len;

  while (in_left > 0)
    {
      gsize room = in_left * 2 + 16;
      gsize used = self->out->len;
      char *out;
      gsize out_left = room;

      g_string_set_size (self->out, used + room);
      out = self->out->str + used;
      if (g_iconv (self->cd, &in, &in_left, &out, &out_left) == (gsize) -1 && errno != E2BIG)
        {
          gsize pos = in - self->rec->str;
          char ch[8] = { 0 };

          g_unichar_to_utf8 (g_utf8_get_char_validated (in, in_left), ch);
          g_iconv (self->cd, NULL, NULL, NULL, NULL);
          g_string_truncate (self->out, start);
          g_set_error (error, CRM_CSV_ERROR, CRM_CSV_ERROR_UNREPRESENTABLE,
                       _("Record %" PRIu64 ", field %u contains “%s”, which cannot be written as %s; choose UTF-8 or GB18030 instead"),
                       self->n_records + 1, field_at (self, pos), ch,
                       crm_csv_encoding_get_charset (self->encoding));
          return FALSE;
        }
      g_string_truncate (self->out, used + (room - out_left));
    }
  return TRUE;
}

static gboolean
flush_out (CrmCsvWriter  *self,
           GCancellable  *cancellable,
           GError       **error)
{
  if (self->out->len == 0)
    return TRUE;
  if (!g_output_stream_write_all (self->stream, self->out->str, self->out->len, NULL,
                                  cancellable, error))
    {
      self->failed = TRUE;
      return FALSE;
    }
  g_string_truncate (self->out, 0);
  return TRUE;
}

/**
 * crm_csv_writer_write_record:
 * @fields: (array length=n_fields): UTF-8 cells; a %NULL cell is written empty
 * @n_fields: number of cells, or -1 if @fields is %NULL-terminated; at least one
 *
 * A record with a cell that is not valid UTF-8 or cannot be expressed in the output encoding
 * is refused whole (%CRM_CSV_ERROR_INVALID_TEXT, %CRM_CSV_ERROR_UNREPRESENTABLE, naming the
 * record and field) and the writer can go on; an I/O error is final.
 */
gboolean
crm_csv_writer_write_record (CrmCsvWriter        *self,
                             const char * const  *fields,
                             int                  n_fields,
                             GCancellable        *cancellable,
                             GError             **error)
{
  gsize lens_buf[64];
  g_autofree gsize *lens_heap = NULL;
  gsize *lens;
  guint n;

  g_return_val_if_fail (CRM_IS_CSV_WRITER (self), FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);

  n = n_fields < 0 ? g_strv_length ((char **) fields) : (guint) n_fields;
  lens = n <= G_N_ELEMENTS (lens_buf) ? lens_buf : (lens_heap = g_new (gsize, n));
  for (guint i = 0; i < n; i++)
    lens[i] = fields[i] != NULL ? strlen (fields[i]) : 0;

  return crm_csv_writer_write_record_len (self, fields, lens, n, cancellable, error);
}

/**
 * crm_csv_writer_write_record_len:
 * @fields: (array length=n_fields): UTF-8 cells; a %NULL cell is written empty
 * @lens: (array length=n_fields): the byte length of each cell
 * @n_fields: number of cells, at least one
 *
 * As crm_csv_writer_write_record(), for cells whose lengths are known (a database row): a NUL
 * byte inside a cell makes it invalid text.
 */
gboolean
crm_csv_writer_write_record_len (CrmCsvWriter        *self,
                                 const char * const  *fields,
                                 const gsize         *lens,
                                 guint                n,
                                 GCancellable        *cancellable,
                                 GError             **error)
{
  g_return_val_if_fail (CRM_IS_CSV_WRITER (self), FALSE);
  g_return_val_if_fail (fields != NULL && lens != NULL, FALSE);
  g_return_val_if_fail (!self->closed, FALSE);
  g_return_val_if_fail (n > 0, FALSE);

  if (self->failed)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("An earlier write to this file failed"));
      return FALSE;
    }
  if (self->cd_failed)
    {
      g_set_error (error, CRM_CSV_ERROR, CRM_CSV_ERROR_UNSUPPORTED_ENCODING,
                   _("This system cannot write %s text"),
                   crm_csv_encoding_get_charset (self->encoding));
      return FALSE;
    }

  /* UTF-8 output is formatted straight into the output buffer; other encodings convert the
   * record as a whole. */
  if (self->cd == (GIConv) -1)
    self->dst = self->out;
  else
    {
      g_string_truncate (self->rec, 0);
      self->dst = self->rec;
    }
  self->rec_start = self->dst->len;
  g_array_set_size (self->offsets, n);

  for (guint i = 0; i < n; i++)
    {
      const char *field = fields[i] != NULL ? fields[i] : "";
      gsize len = fields[i] != NULL ? lens[i] : 0;

      if (!valid_utf8 (field, len))
        {
          g_string_truncate (self->dst, self->rec_start);
          g_set_error (error, CRM_CSV_ERROR, CRM_CSV_ERROR_INVALID_TEXT,
                       _("Record %" PRIu64 ", field %u is not valid UTF-8 text"),
                       self->n_records + 1, i + 1);
          return FALSE;
        }
      if (i > 0)
        rec_append (self, &self->delimiter, 1);
      g_array_index (self->offsets, gsize, i) = self->dst->len - self->rec_start;
      append_field (self, field, len, n == 1);
    }
  rec_append (self, "\r\n", 2);

  if (self->dst == self->rec && !encode_record (self, error))
    return FALSE;
  self->n_records++;

  if (self->out->len >= FLUSH_SIZE)
    return flush_out (self, cancellable, error);
  return TRUE;
}

/* Writes what is buffered and closes the stream (for a path: commits the file). */
gboolean
crm_csv_writer_close (CrmCsvWriter  *self,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_return_val_if_fail (CRM_IS_CSV_WRITER (self), FALSE);

  if (self->closed)
    return TRUE;
  if (self->failed)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("An earlier write to this file failed"));
      return FALSE;
    }
  if (!flush_out (self, cancellable, error))
    return FALSE;
  self->closed = TRUE;
  if (!g_output_stream_close (self->stream, cancellable, error))
    return FALSE;
  return self->file == NULL || crm_output_file_commit (self->file, cancellable, error);
}

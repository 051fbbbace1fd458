/* fuzz-csv.c: libFuzzer target for CrmCsvReader and CrmCsvWriter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Beyond "no crash, no leak, no sanitizer report", it checks what the reader promises: every
 * record has at least one field and every field is valid UTF-8 without NUL; and a round trip
 * (records → writer → reader) gives the same records back.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gio/gio.h>

#include "crm-csv-reader.h"
#include "crm-csv-writer.h"

#define MAX_FIELD   (64 * 1024)
#define MAX_COLUMNS 1000

static void
fail (const char *what)
{
  fprintf (stderr, "fuzz-csv: %s\n", what);
  abort ();
}

static GPtrArray *
read_records (CrmCsvReader *reader)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  crm_csv_reader_set_max_field_size (reader, MAX_FIELD);
  crm_csv_reader_set_max_columns (reader, MAX_COLUMNS);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      const char * const *fields;
      guint n = 0;

      if (!crm_csv_reader_next (reader, NULL, &error))
        {
          if (error == NULL || crm_csv_reader_is_finished (reader))
            break;
          if (error->domain != CRM_CSV_ERROR || strstr (error->message, "Line ") == NULL)
            fail ("per-record error without a line number");
          continue;
        }

      if (records->len == 0 && crm_csv_reader_get_has_header (reader))
        {
          const char * const *header = crm_csv_reader_get_header (reader, &n);

          if (header == NULL || n == 0)
            fail ("header missing");
          g_ptr_array_add (records, g_strdupv ((char **) header));
        }

      fields = crm_csv_reader_get_fields (reader, &n);
      if (n == 0 || n > MAX_COLUMNS || fields[n] != NULL)
        fail ("bad field count");
      for (guint i = 0; i < n; i++)
        {
          gsize len = 0;
          const char *f = crm_csv_reader_get_field (reader, i, &len);

          if (f != fields[i] || strlen (f) != len || len > MAX_FIELD)
            fail ("field length");
          if (!g_utf8_validate (f, len, NULL))
            fail ("field is not valid UTF-8");
        }
      g_ptr_array_add (records, g_strdupv ((char **) fields));
    }
  return records;
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (data, size, NULL);
  g_autoptr(CrmCsvReader) reader = crm_csv_reader_new (in);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(CrmCsvWriter) writer = NULL;
  g_autoptr(GInputStream) back_in = NULL;
  g_autoptr(CrmCsvReader) back = NULL;
  g_autoptr(GPtrArray) again = NULL;
  CrmCsvEncoding out_encoding;
  guint choice = size > 0 ? data[size - 1] % 16 : 15;
  char delimiter;

  /* The last byte sometimes forces an encoding, so every decoder gets fuzzed. */
  if (choice <= CRM_CSV_ENCODING_WINDOWS_1252)
    crm_csv_reader_set_encoding (reader, (CrmCsvEncoding) choice);

  records = read_records (reader);
  delimiter = crm_csv_reader_get_delimiter (reader);

  out_encoding = (choice & 1) ? CRM_CSV_ENCODING_GB18030 : CRM_CSV_ENCODING_UTF8_BOM;
  out = g_memory_output_stream_new_resizable ();
  writer = crm_csv_writer_new (out, out_encoding);
  crm_csv_writer_set_delimiter (writer, delimiter);
  crm_csv_writer_set_neutralize_formulas (writer, FALSE);
  for (guint i = 0; i < records->len;)
    {
      g_autoptr(GError) error = NULL;

      if (crm_csv_writer_write_record (writer, g_ptr_array_index (records, i), -1, NULL, &error))
        i++;
      else if (g_error_matches (error, CRM_CSV_ERROR, CRM_CSV_ERROR_UNREPRESENTABLE)
               && out_encoding == CRM_CSV_ENCODING_GB18030)
        g_ptr_array_remove_index (records, i);  /* glibc lacks a few private-use code points */
      else
        fail ("writer refused a record the reader produced");
    }
  if (!crm_csv_writer_close (writer, NULL, NULL))
    fail ("close");

  back_in = g_memory_input_stream_new_from_data (
    g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), NULL);
  back = crm_csv_reader_new (back_in);
  crm_csv_reader_set_encoding (back, out_encoding);
  crm_csv_reader_set_delimiter (back, delimiter);
  crm_csv_reader_set_header_mode (back, CRM_CSV_HEADER_ABSENT);
  again = read_records (back);

  if (again->len != records->len)
    fail ("round trip changed the number of records");
  for (guint i = 0; i < records->len; i++)
    if (!g_strv_equal (g_ptr_array_index (records, i), g_ptr_array_index (again, i)))
      fail ("round trip changed a record");

  /* And with neutralisation on, for coverage of that path. */
  {
    g_autoptr(GOutputStream) out2 = g_memory_output_stream_new_resizable ();
    g_autoptr(CrmCsvWriter) w2 = crm_csv_writer_new (out2, CRM_CSV_ENCODING_GBK);

    for (guint i = 0; i < records->len; i++)
      crm_csv_writer_write_record (w2, g_ptr_array_index (records, i), -1, NULL, NULL);
    crm_csv_writer_close (w2, NULL, NULL);
  }
  return 0;
}

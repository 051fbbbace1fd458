/* crm-csv.h: shared definitions of the CSV reader and writer (error domain, encodings, limits).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CRM_CSV_ERROR (crm_csv_error_quark ())

/**
 * CrmCsvError:
 * @CRM_CSV_ERROR_UNTERMINATED_QUOTE: a quoted field is still open at the end of the file
 *   (final: nothing more can be read).
 * @CRM_CSV_ERROR_FIELD_TOO_LARGE: a field is larger than the maximum field size (record skipped).
 * @CRM_CSV_ERROR_RECORD_TOO_LARGE: a record is larger than the maximum record size (record skipped).
 * @CRM_CSV_ERROR_TOO_MANY_COLUMNS: a record has more fields than allowed (record skipped).
 * @CRM_CSV_ERROR_NUL_BYTE: a record contains a NUL byte (record skipped).
 * @CRM_CSV_ERROR_INVALID_TEXT: a record is not valid text in the file's encoding (record
 *   skipped); for the writer: a cell is not valid UTF-8 (record not written).
 * @CRM_CSV_ERROR_UNREPRESENTABLE: the writer cannot express a character in the chosen
 *   output encoding (record not written).
 * @CRM_CSV_ERROR_UNSUPPORTED_ENCODING: the system cannot convert the chosen encoding (final).
 *
 * Errors a reader reports from crm_csv_reader_next() are per record (the reader skipped the
 * bad record and can go on) unless crm_csv_reader_is_finished() says otherwise.  I/O errors
 * and cancellation come in the G_IO_ERROR domain and are always final.
 */
typedef enum
{
  CRM_CSV_ERROR_UNTERMINATED_QUOTE,
  CRM_CSV_ERROR_FIELD_TOO_LARGE,
  CRM_CSV_ERROR_RECORD_TOO_LARGE,
  CRM_CSV_ERROR_TOO_MANY_COLUMNS,
  CRM_CSV_ERROR_NUL_BYTE,
  CRM_CSV_ERROR_INVALID_TEXT,
  CRM_CSV_ERROR_UNREPRESENTABLE,
  CRM_CSV_ERROR_UNSUPPORTED_ENCODING,
} CrmCsvError;

/**
 * CrmCsvEncoding:
 * @CRM_CSV_ENCODING_AUTO: reader only: detect from the first bytes (see crm_csv_reader_detect()).
 * @CRM_CSV_ENCODING_UTF8: UTF-8 without byte order mark.
 * @CRM_CSV_ENCODING_UTF8_BOM: UTF-8 with a byte order mark (what Excel needs to show
 *   Chinese text of a UTF-8 CSV correctly).
 * @CRM_CSV_ENCODING_UTF16LE: UTF-16 little endian (with BOM when written).
 * @CRM_CSV_ENCODING_UTF16BE: UTF-16 big endian (with BOM when written).
 * @CRM_CSV_ENCODING_GB18030: GB18030, a superset of GBK and GB2312; covers Unicode except a few
 *   private-use code points that glibc's converter does not map (the writer refuses those).
 * @CRM_CSV_ENCODING_GBK: GBK (CP936) as written by Excel on Chinese Windows; the writer
 *   refuses characters outside GBK, such as emoji.
 * @CRM_CSV_ENCODING_WINDOWS_1252: Western Windows code page; never detected, only chosen.
 */
typedef enum
{
  CRM_CSV_ENCODING_AUTO,
  CRM_CSV_ENCODING_UTF8,
  CRM_CSV_ENCODING_UTF8_BOM,
  CRM_CSV_ENCODING_UTF16LE,
  CRM_CSV_ENCODING_UTF16BE,
  CRM_CSV_ENCODING_GB18030,
  CRM_CSV_ENCODING_GBK,
  CRM_CSV_ENCODING_WINDOWS_1252,
} CrmCsvEncoding;

/**
 * CrmCsvHeaderMode:
 * @CRM_CSV_HEADER_AUTO: guess (first record of distinct, non-empty, non-numeric cells).
 * @CRM_CSV_HEADER_PRESENT: the first record holds column names.
 * @CRM_CSV_HEADER_ABSENT: every record is data.
 */
typedef enum
{
  CRM_CSV_HEADER_AUTO,
  CRM_CSV_HEADER_PRESENT,
  CRM_CSV_HEADER_ABSENT,
} CrmCsvHeaderMode;

/* Default limits of the reader.  A customer record never needs more; the limits exist so that a
 * hostile or broken file costs at most about CRM_CSV_DEFAULT_MAX_RECORD_SIZE of memory. */
#define CRM_CSV_DEFAULT_MAX_FIELD_SIZE  (16 * 1024 * 1024)  /* bytes of UTF-8 per field */
#define CRM_CSV_DEFAULT_MAX_RECORD_SIZE (64 * 1024 * 1024)  /* bytes of UTF-8 per record */
#define CRM_CSV_DEFAULT_MAX_COLUMNS     10000

#define CRM_TYPE_CSV_ENCODING    (crm_csv_encoding_get_type ())
#define CRM_TYPE_CSV_HEADER_MODE (crm_csv_header_mode_get_type ())

GQuark       crm_csv_error_quark           (void);
GType        crm_csv_encoding_get_type     (void);
GType        crm_csv_header_mode_get_type  (void);

const char  *crm_csv_encoding_get_label    (CrmCsvEncoding  encoding);
const char  *crm_csv_encoding_get_charset  (CrmCsvEncoding  encoding);
gsize        crm_csv_encoding_get_bom      (CrmCsvEncoding  encoding,
                                            const guint8  **bom);

CrmCsvEncoding crm_csv_detect_encoding     (const guint8   *data,
                                            gsize           len,
                                            gboolean        complete,
                                            gsize          *bom_len);

gboolean     crm_csv_cell_is_plain_number  (const char     *cell);
gboolean     crm_csv_cell_needs_neutralizing (const char   *cell);

G_END_DECLS

/* crm-csv-reader-private.h: what the files of CrmCsvReader share (crm-csv-reader.c parses
 * records; crm-csv-reader-decode.c reads and decodes the input and detects its layout).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-csv-reader.h"

G_BEGIN_DECLS

#define BLOCK_SIZE  (256 * 1024)
#define SAMPLE_SIZE (64 * 1024)
#define SAMPLE_RECORDS 50
#define KEEP_RECORD_ALLOC (1024 * 1024)

struct _CrmCsvReader
{
  GObject           parent_instance;

  GInputStream     *stream;

  /* What the caller asked for (AUTO / 0 = detect). */
  CrmCsvEncoding    encoding_req;
  char              delimiter_req;
  CrmCsvHeaderMode  header_mode;
  gsize             max_field;
  gsize             max_record;
  guint             max_columns;

  /* What is used. */
  CrmCsvEncoding    encoding;
  char              delimiter;
  gboolean          has_header;
  gsize             bom_len;

  guint             sample_read : 1;
  guint             detected : 1;
  guint             started : 1;
  guint             finished : 1;
  guint             input_eof : 1;
  guint             skip_lf : 1;
  guint             header_done : 1;

  GIConv            cd;
  guint             unit;          /* bytes skipped after an undecodable sequence */

  guint8           *raw;           /* undecoded input (the sample, or input to convert) */
  gsize             raw_pos;
  gsize             raw_len;
  gsize             raw_alloc;
  guint8           *buf;           /* UTF-8 for the parser */
  gsize             buf_pos;
  gsize             buf_len;
  gsize             buf_alloc;
  guint64           bytes_read;

  char             *rec;
  gsize             rec_len;
  gsize             rec_alloc;
  gsize            *starts;        /* n_fields + 1 offsets into rec */
  guint             n_fields;
  guint             starts_alloc;
  const char      **fields;        /* NULL-terminated */
  guint             fields_alloc;
  char            **header;
  guint             n_header;

  guint64           line;          /* physical line of the next byte, 1-based */
  guint64           record_line;
  /* UTF-8 input: where the record starts in buf and in the file, while buf still holds it (for
   * the byte offset of an invalid byte). */
  gsize             record_buf_pos;
  guint64           record_offset;
  gboolean          record_in_buf;

  guint8            special[256];  /* bytes ending a run outside quotes */
  guint8            qspecial[256]; /* bytes ending a run inside quotes */
};

/* crm-csv-reader-decode.c */
gssize   crm_csv_reader_fill         (CrmCsvReader  *self,
                                      GCancellable  *cancellable,
                                      GError       **error);
gboolean crm_csv_reader_start        (CrmCsvReader  *self,
                                      GCancellable  *cancellable,
                                      GError       **error);
void     crm_csv_reader_invalid_text (CrmCsvReader  *self,
                                      guint          field,
                                      guint64        line,
                                      GError       **error);

G_END_DECLS

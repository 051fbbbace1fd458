/* crm-csv-reader.h: streaming RFC 4180 reader with encoding, delimiter and header detection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-csv.h"

G_BEGIN_DECLS

#define CRM_TYPE_CSV_READER (crm_csv_reader_get_type ())

G_DECLARE_FINAL_TYPE (CrmCsvReader, crm_csv_reader, CRM, CSV_READER, GObject)

CrmCsvReader       *crm_csv_reader_new                 (GInputStream     *stream);
CrmCsvReader       *crm_csv_reader_new_for_path        (const char       *path,
                                                        GError          **error);

/* Choices; each must be made before the first crm_csv_reader_next(). */
void                crm_csv_reader_set_encoding        (CrmCsvReader     *self,
                                                        CrmCsvEncoding    encoding);
void                crm_csv_reader_set_delimiter       (CrmCsvReader     *self,
                                                        char              delimiter);
void                crm_csv_reader_set_header_mode     (CrmCsvReader     *self,
                                                        CrmCsvHeaderMode  mode);
void                crm_csv_reader_set_max_field_size  (CrmCsvReader     *self,
                                                        gsize             max_bytes);
void                crm_csv_reader_set_max_record_size (CrmCsvReader     *self,
                                                        gsize             max_bytes);
void                crm_csv_reader_set_max_columns     (CrmCsvReader     *self,
                                                        guint             max_columns);

/* Looks at the first 64 KiB without consuming them; called by the first next() otherwise. */
gboolean            crm_csv_reader_detect              (CrmCsvReader     *self,
                                                        GCancellable     *cancellable,
                                                        GError          **error);
CrmCsvEncoding      crm_csv_reader_get_encoding        (CrmCsvReader     *self);
char                crm_csv_reader_get_delimiter       (CrmCsvReader     *self);
CrmCsvHeaderMode    crm_csv_reader_get_header_mode     (CrmCsvReader     *self);
gboolean            crm_csv_reader_get_has_header      (CrmCsvReader     *self);

gboolean            crm_csv_reader_next                (CrmCsvReader     *self,
                                                        GCancellable     *cancellable,
                                                        GError          **error);
gboolean            crm_csv_reader_is_finished         (CrmCsvReader     *self);
const char * const *crm_csv_reader_get_header          (CrmCsvReader     *self,
                                                        guint            *n_fields);
const char * const *crm_csv_reader_get_fields          (CrmCsvReader     *self,
                                                        guint            *n_fields);
guint               crm_csv_reader_get_n_fields        (CrmCsvReader     *self);
const char         *crm_csv_reader_get_field           (CrmCsvReader     *self,
                                                        guint             index,
                                                        gsize            *length);
guint64             crm_csv_reader_get_line            (CrmCsvReader     *self);
guint64             crm_csv_reader_get_bytes_read      (CrmCsvReader     *self);

G_END_DECLS

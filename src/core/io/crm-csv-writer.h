/* crm-csv-writer.h: RFC 4180 writer with Excel-friendly encodings and formula neutralisation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-csv.h"

G_BEGIN_DECLS

#define CRM_TYPE_CSV_WRITER (crm_csv_writer_get_type ())

G_DECLARE_FINAL_TYPE (CrmCsvWriter, crm_csv_writer, CRM, CSV_WRITER, GObject)

CrmCsvWriter   *crm_csv_writer_new                      (GOutputStream       *stream,
                                                         CrmCsvEncoding       encoding);
CrmCsvWriter   *crm_csv_writer_new_for_path             (const char          *path,
                                                         CrmCsvEncoding       encoding,
                                                         GError             **error);
CrmCsvEncoding  crm_csv_writer_get_encoding             (CrmCsvWriter        *self);
void            crm_csv_writer_set_delimiter            (CrmCsvWriter        *self,
                                                         char                 delimiter);
char            crm_csv_writer_get_delimiter            (CrmCsvWriter        *self);
void            crm_csv_writer_set_neutralize_formulas  (CrmCsvWriter        *self,
                                                         gboolean             neutralize);
gboolean        crm_csv_writer_get_neutralize_formulas  (CrmCsvWriter        *self);
gboolean        crm_csv_writer_write_record             (CrmCsvWriter        *self,
                                                         const char * const  *fields,
                                                         int                  n_fields,
                                                         GCancellable        *cancellable,
                                                         GError             **error);
gboolean        crm_csv_writer_write_record_len         (CrmCsvWriter        *self,
                                                         const char * const  *fields,
                                                         const gsize         *lens,
                                                         guint                n_fields,
                                                         GCancellable        *cancellable,
                                                         GError             **error);
guint64         crm_csv_writer_get_n_records            (CrmCsvWriter        *self);
gboolean        crm_csv_writer_close                    (CrmCsvWriter        *self,
                                                         GCancellable        *cancellable,
                                                         GError             **error);

G_END_DECLS

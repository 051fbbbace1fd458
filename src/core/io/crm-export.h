/* crm-export.h: customers (a view: its filter and sort) and orders to CSV.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-csv.h"
#include "crm-query.h"
#include "crm-store.h"

G_BEGIN_DECLS

typedef void (*CrmExportProgress) (guint64 rows, gpointer user_data);

/* The columns of a customer export, in order (stable: importers map them back). */
const char * const *crm_export_customer_columns (guint *n_columns);

/* Writes the customers @query selects, in its order, with the computed columns
 * (total spent, order count, first and last order, tier, lifecycle, RFM).  The
 * file appears only when complete: a cancel or an error leaves no partial file. */
gboolean  crm_export_customers_csv (CrmStore          *store,
                                    CrmQuery          *query,
                                    const char        *path,
                                    CrmCsvEncoding     encoding,
                                    CrmExportProgress  progress,
                                    gpointer           user_data,
                                    GCancellable      *cancellable,
                                    guint64           *out_rows,
                                    GError           **error);

/* As crm_export_customers_csv(); with @local_headers the headers are the fields' names in
 * the user's language and coded values are words ("女", "是", "活动", "流失风险高" …): a file
 * for people to read, not to import back. */
gboolean  crm_export_customers_csv_full (CrmStore          *store,
                                         CrmQuery          *query,
                                         const char        *path,
                                         CrmCsvEncoding     encoding,
                                         gboolean           local_headers,
                                         CrmExportProgress  progress,
                                         gpointer           user_data,
                                         GCancellable      *cancellable,
                                         guint64           *out_rows,
                                         GError           **error);

/* Every live order, one row each, oldest first; @customer_id 0 for all customers. */
gboolean  crm_export_orders_csv    (CrmStore          *store,
                                    gint64             customer_id,
                                    const char        *path,
                                    CrmCsvEncoding     encoding,
                                    CrmExportProgress  progress,
                                    gpointer           user_data,
                                    GCancellable      *cancellable,
                                    guint64           *out_rows,
                                    GError           **error);

/* Minor units as a plain decimal ("-12.50"); machine-readable, not localised. */
char     *crm_export_format_amount (gint64             minor,
                                    guint              exponent);
/* ms UTC → "2026-11-26T08:30:00Z"; "" for 0. */
char     *crm_export_format_time   (gint64             ms_utc);

G_END_DECLS

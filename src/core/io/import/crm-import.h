/* crm-import.h: customers and orders from CSV files (generic, Shopify, WooCommerce) and vCards.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Use:
 *   importer = crm_importer_new (store, CRM_IMPORT_CUSTOMERS, path);
 *   crm_importer_prepare (importer, NULL, &error);      detects encoding, delimiter, header,
 *                                                       the format and a mapping; gives a preview
 *   (show crm_importer_get_columns () / _get_preview () / _get_mapping (); let the user change
 *    encoding, delimiter, header or mapping: setters of the file layout need prepare() again)
 *   crm_importer_run (importer, progress, data, cancellable, &error);
 *   crm_importer_get_report (importer), crm_importer_get_reject (importer, i),
 *   crm_importer_get_warning (importer, i)     values of imported rows not used as they were
 *
 * The whole run is ONE transaction on @store's connection: an error or a cancel leaves the
 * database exactly as it was (and no rejects file).  It runs on the calling thread; the UI calls
 * it from a GTask thread with a CrmStore of its own.
 */
#pragma once

#include <gio/gio.h>

#include "crm-csv.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_IMPORT_ERROR (crm_import_error_quark ())

typedef enum
{
  CRM_IMPORT_ERROR_NO_HEADER,     /* the file has no readable header row */
  CRM_IMPORT_ERROR_BAD_MAPPING,   /* unknown field, unknown column, nothing mapped */
  CRM_IMPORT_ERROR_UNREADABLE,    /* the file cannot be read to its end (cut off, ...) */
} CrmImportError;

typedef enum
{
  CRM_IMPORT_CUSTOMERS,
  CRM_IMPORT_ORDERS,
} CrmImportKind;

typedef enum
{
  CRM_IMPORT_FORMAT_GENERIC,
  CRM_IMPORT_FORMAT_SHOPIFY_CUSTOMERS,
  CRM_IMPORT_FORMAT_SHOPIFY_ORDERS,
  CRM_IMPORT_FORMAT_WOOCOMMERCE_CUSTOMERS,
  CRM_IMPORT_FORMAT_WOOCOMMERCE_ORDERS,
  CRM_IMPORT_FORMAT_VCARD,
} CrmImportFormat;

typedef enum
{
  CRM_DUPLICATE_SKIP,     /* keep the existing customer/order as it is */
  CRM_DUPLICATE_UPDATE,   /* fill the existing record with the row's non-empty cells */
  CRM_DUPLICATE_CREATE,   /* add the row as a new record anyway */
} CrmDuplicatePolicy;

typedef enum
{
  CRM_DATE_MONTH_FIRST,   /* 3/5/2024 is March 5 (US) */
  CRM_DATE_DAY_FIRST,     /* 05/03/2024 is March 5 (Europe, most of the world) */
} CrmDateOrder;

typedef struct
{
  guint64 rows;            /* data rows read so far */
  guint64 bytes_read;
  guint64 bytes_total;     /* size of the file */
  double  rows_per_second;
  gboolean indexing;       /* rows are read; indexes and the search index are being built */
  gboolean committed;      /* the rows are saved; only the search index is left, and a cancel
                            * can no longer undo the import */
} CrmImportProgressInfo;

typedef void (*CrmImportProgress) (const CrmImportProgressInfo *info,
                                   gpointer                     user_data);

typedef struct
{
  guint64  line;           /* physical line where the row starts, 1-based */
  int      column;         /* 0-based source column the reason is about, -1 for the whole row */
  char    *column_name;    /* its header name, or NULL */
  char    *reason;         /* translated, for the user */
} CrmImportReject;

/* A value the import could not use as it was, in a row or card that was imported all the same
 * ("a contact is never lost for one field"): what was done with it is in the message (kept in
 * the notes, left out, cut, cleaned). */
typedef struct
{
  guint64  line;           /* physical line of the value (vCard: of its property), 1-based */
  int      column;         /* 0-based source column, -1 when the message names the field itself */
  char    *column_name;    /* its header name, or NULL */
  char    *message;        /* translated, for the user */
} CrmImportWarning;

typedef struct
{
  guint64 inserted;           /* customers (or orders) added */
  guint64 updated;            /* existing ones changed (duplicate policy "update") */
  guint64 skipped;            /* duplicates left alone, or updates that changed nothing */
  guint64 rejected;           /* rows refused; see crm_importer_get_reject() */
  guint64 customers_created;  /* orders import: customers made from an order's own fields */
  guint64 order_lines;        /* orders import: line items added */
  guint64 rows;               /* data rows read */
  double  seconds;
  guint64 warnings;           /* values not used as they were; see crm_importer_get_warning() */
} CrmImportReport;

#define CRM_TYPE_IMPORTER (crm_importer_get_type ())
G_DECLARE_FINAL_TYPE (CrmImporter, crm_importer, CRM, IMPORTER, GObject)

GQuark               crm_import_error_quark          (void);

CrmImporter         *crm_importer_new                (CrmStore           *store,
                                                      CrmImportKind       kind,
                                                      const char         *path);

/* The file layout (CSV only); 0 / AUTO = detect.  Call prepare() again after changing them. */
void                 crm_importer_set_encoding       (CrmImporter        *self,
                                                      CrmCsvEncoding      encoding);
void                 crm_importer_set_delimiter      (CrmImporter        *self,
                                                      char                delimiter);
void                 crm_importer_set_header_mode    (CrmImporter        *self,
                                                      CrmCsvHeaderMode    mode);

/* Reads the header and up to 20 preview rows, recognises the format and picks the mapping:
 * the remembered one for this header set, a known export's, or the generic aliases. */
gboolean             crm_importer_prepare            (CrmImporter        *self,
                                                      GCancellable       *cancellable,
                                                      GError            **error);
CrmCsvEncoding       crm_importer_get_encoding       (CrmImporter        *self);
char                 crm_importer_get_delimiter      (CrmImporter        *self);
gboolean             crm_importer_get_has_header     (CrmImporter        *self);
CrmImportFormat      crm_importer_get_format         (CrmImporter        *self);
const char          *crm_import_format_get_label     (CrmImportFormat     format);
/* The source columns (header names, or "Column 1"… without a header). */
const char * const  *crm_importer_get_columns        (CrmImporter        *self,
                                                      guint              *n_columns);
/* The first rows as read (GStrv each). */
GPtrArray           *crm_importer_get_preview        (CrmImporter        *self);

/* Field names a column can be mapped to, for @kind ("name", "phone", "placed_at", ...). */
const char * const  *crm_import_get_fields           (CrmImportKind       kind,
                                                      guint              *n_fields);
const char          *crm_import_field_get_label      (CrmImportKind       kind,
                                                      const char         *field);
/* The field @column is mapped to, or NULL (ignored). */
const char          *crm_importer_get_mapping        (CrmImporter        *self,
                                                      guint               column);
/* @field NULL or "" ignores the column. */
gboolean             crm_importer_set_mapping        (CrmImporter        *self,
                                                      guint               column,
                                                      const char         *field,
                                                      GError            **error);
/* "Source column=field,Other=field2" (as --map takes it); applied over the current mapping. */
gboolean             crm_importer_set_mapping_string (CrmImporter        *self,
                                                      const char         *spec,
                                                      GError            **error);
gboolean             crm_importer_get_mapping_remembered (CrmImporter    *self);

void                 crm_importer_set_duplicate_policy (CrmImporter      *self,
                                                      CrmDuplicatePolicy  policy);
void                 crm_importer_set_decimal_comma  (CrmImporter        *self,
                                                      gboolean            decimal_comma);
void                 crm_importer_set_date_order     (CrmImporter        *self,
                                                      CrmDateOrder        order);
/* ISO 4217 code for amounts without a currency column (default: the store's, or CNY). */
void                 crm_importer_set_currency       (CrmImporter        *self,
                                                      const char         *currency);
/* Where rejected rows go (the original cells + a "reason" column); NULL: nowhere. */
void                 crm_importer_set_rejects_path   (CrmImporter        *self,
                                                      const char         *path);

gboolean             crm_importer_run                (CrmImporter        *self,
                                                      CrmImportProgress   progress,
                                                      gpointer            user_data,
                                                      GCancellable       *cancellable,
                                                      GError            **error);
const CrmImportReport *crm_importer_get_report       (CrmImporter        *self);
/* Rejected rows, in file order (all of them, up to 100,000; the report has the count). */
guint                crm_importer_get_n_rejects      (CrmImporter        *self);
const CrmImportReject *crm_importer_get_reject       (CrmImporter        *self,
                                                      guint               index);
/* Warnings, in file order (up to 100,000; the report has the count). */
guint                crm_importer_get_n_warnings     (CrmImporter        *self);
const CrmImportWarning *crm_importer_get_warning     (CrmImporter        *self,
                                                      guint               index);

/* Parsers shared with the vCard and sync code.  Dates: "2024-03-05", "2024/3/5", "2024年3月5日",
 * "05/03/2024" (per @order), "2024-03-05 10:15:00 +0800", "2024-03-05T10:15:00Z", ... */
gboolean             crm_import_parse_date           (const char         *text,
                                                      CrmDateOrder        order,
                                                      gboolean            utc_if_no_zone,
                                                      gint64             *out_ms,
                                                      char                out_iso_date[11]);
G_END_DECLS

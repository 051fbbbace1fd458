/* crm-import-private.h: what the files of src/core/io/import/ share, and nothing else includes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The importer object, the state of one run (Run), the target fields, the parsed row (Values,
 * Customer, OrderGroup) and the small helpers the row loop calls for every cell, inline here so
 * that splitting the importer into files costs no call per cell.  crm-import.c says what lives
 * in which file.  The functions are short-named and not prefixed because they belong to this
 * folder alone; libcrm-core is a static library, so a clash with another file would be a link
 * error, not a silent one.
 */
#pragma once

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "crm-csv-reader.h"
#include "crm-csv-writer.h"
#include "crm-customer.h"
#include "crm-customer-fields.h"
#include "crm-format.h"
#include "crm-import.h"
#include "crm-import-tuning-private.h"
#include "crm-journal.h"
#include "crm-output-file.h"
#include "crm-order.h"
#include "crm-search.h"
#include "crm-text.h"
#include "crm-vcard.h"

#define PREVIEW_ROWS      20
#define MAX_KEPT_REJECTS  100000
#define BULK_MIN_ROWS     50000
#define PROGRESS_EVERY    4096

typedef enum
{
  /* A customer's own fields are the catalogue's (crm-customer-fields.c), by their CrmFieldId:
   * those it marks CRM_FIELD_IO_IMPORT are targets (customers import; "customer_…" in an orders
   * import), the others never get a value.  The names below are the ones the code handles. */
  T_UUID = CRM_FIELD_ID_UUID, T_NAME = CRM_FIELD_ID_NAME, T_FIRST_NAME = CRM_FIELD_ID_FIRST_NAME,
  T_LAST_NAME = CRM_FIELD_ID_LAST_NAME, T_GENDER = CRM_FIELD_ID_GENDER,
  T_BIRTHDAY = CRM_FIELD_ID_BIRTHDAY, T_PHONE = CRM_FIELD_ID_PHONE, T_EMAIL = CRM_FIELD_ID_EMAIL,
  T_COMPANY = CRM_FIELD_ID_COMPANY, T_OCCUPATION = CRM_FIELD_ID_OCCUPATION,
  T_ADDRESS = CRM_FIELD_ID_ADDRESS, T_ADDRESS2 = CRM_FIELD_ID_ADDRESS2, T_CITY = CRM_FIELD_ID_CITY,
  T_REGION = CRM_FIELD_ID_REGION, T_COUNTRY = CRM_FIELD_ID_COUNTRY,
  T_POSTAL_CODE = CRM_FIELD_ID_POSTAL_CODE, T_SOURCE = CRM_FIELD_ID_SOURCE, T_TAGS = CRM_FIELD_ID_TAGS,
  T_NOTES = CRM_FIELD_ID_NOTES, T_EMAIL_CONSENT = CRM_FIELD_ID_EMAIL_CONSENT,
  T_EMAIL_CONSENT_AT = CRM_FIELD_ID_EMAIL_CONSENT_AT, T_SMS_CONSENT = CRM_FIELD_ID_SMS_CONSENT,
  T_SMS_CONSENT_AT = CRM_FIELD_ID_SMS_CONSENT_AT, T_OWNER = CRM_FIELD_ID_OWNER,
  T_EXTERNAL_ID = CRM_FIELD_ID_EXTERNAL_ID, T_CREATED_AT = CRM_FIELD_ID_CREATED_AT,
  T_LIFECYCLE = CRM_FIELD_ID_LIFECYCLE,
  T_N_CUSTOMER = CRM_FIELD_ID_N,
  /* An order's fields. */
  T_O_UUID = T_N_CUSTOMER, T_O_NUMBER, T_O_EXTERNAL_ID, T_O_PLACED_AT, T_O_STATUS, T_O_CHANNEL,
  T_O_CURRENCY, T_O_SUBTOTAL, T_O_DISCOUNT, T_O_SHIPPING, T_O_TAX, T_O_TOTAL, T_O_NOTES,
  T_O_CANCELLED_AT,
  /* A line item's. */
  T_L_SKU, T_L_PRODUCT, T_L_CATEGORY, T_L_QUANTITY, T_L_UNIT_PRICE, T_L_AMOUNT, T_L_ITEMS,
  T_N,
  T_IGNORE = -2,   /* known column with nothing to store (computed, or not kept) */
} Target;

typedef struct
{
  const char *header;   /* normalized */
  int         target;
  int         prio;     /* higher wins when two columns give the same field */
} Alias;

typedef struct
{
  CrmImportFormat  format;
  CrmImportKind    kind;
  const char      *signature[7];   /* normalized headers that must all be present */
  CrmFieldHeaders  headers;        /* its headers (alias_table()) */
  const char      *source;         /* customers' source channel when not mapped */
} Preset;

typedef struct
{
  guint64 h;
  gint64  id;
} KeySlot;

typedef struct
{
  KeySlot *slots;
  gsize    mask;
  gsize    n;
} KeyTable;

struct _CrmImporter
{
  GObject            parent_instance;

  CrmStore          *store;
  CrmImportKind      kind;
  char              *path;

  CrmCsvEncoding     encoding_req;
  char               delimiter_req;
  CrmCsvHeaderMode   header_req;

  gboolean           prepared;
  gboolean           is_vcard;
  CrmCsvEncoding     encoding;
  char               delimiter;
  gboolean           has_header;
  CrmImportFormat    format;
  const Preset      *preset;
  char             **columns;
  guint              n_columns;
  GPtrArray         *preview;
  int               *plan;           /* per column: target or -1 */
  int               *prio;
  gboolean           remembered;
  gsize              preview_bytes;
  guint              preview_rows;

  CrmDuplicatePolicy policy;
  gboolean           decimal_comma;
  CrmDateOrder       date_order;
  char              *currency;
  char              *rejects_path;

  CrmImportTuning    tuning;         /* bench and tests only (crm-import-tuning-private.h) */

  CrmImportReport    report;
  GArray            *rejects;        /* CrmImportReject */
  GArray            *warnings;       /* CrmImportWarning */
};

/* Small per-row arena for the few values that need a copy (trimmed, composed names). */
typedef struct
{
  char  *buf;
  gsize  len;
  gsize  alloc;
  GPtrArray *big;
} Arena;

static inline const char *
arena_dup (Arena      *a,
           const char *s,
           gsize       n)
{
  char *out;

  if (a->len + n + 1 > a->alloc)
    {
      /* Pointers already handed out stay valid: large or overflowing values get their own block. */
      out = g_malloc (n + 1);
      g_ptr_array_add (a->big, out);
    }
  else
    {
      out = a->buf + a->len;
      a->len += n + 1;
    }
  memcpy (out, s, n);
  out[n] = '\0';
  return out;
}

static inline void
arena_reset (Arena *a)
{
  a->len = 0;
  if (a->big->len > 0)
    g_ptr_array_set_size (a->big, 0);
}

static inline gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

typedef struct
{
  const char *v[T_N];
  int         col[T_N];    /* source column of each value (for reject reports) */
  int         prio[T_N];
} Values;

/* A value of a row that parse_customer() could not use as it was (crm_importer_get_warning()). */
typedef struct
{
  int      column;
  guint64  line;      /* 0: the line of the column's value (warn_row()) */
  char    *message;
} RowWarning;

/* A customer the run added, and the stage the file gave it (0: none). */
typedef struct
{
  gint64 id;
  gint32 stage;
} NewState;

typedef struct
{
  CrmImporter   *self;
  CrmStore      *store;
  sqlite3       *db;
  GCancellable  *cancellable;
  CrmImportProgress progress;
  gpointer       user_data;

  gboolean       bulk;
  gboolean       fts_by_trigger;     /* tuning: keep the per-row FTS trigger */
  gboolean       journal;
  gint64         first_new_id;
  gint64         next_id;
  gint64         now;
  guint          exponent;
  KeyTable       keys;
  char          *region;             /* the shop's, for the phone keys (crm_store_dup_region()) */
  GHashTable    *deleted_uuids;      /* bulk mode: uuids of deleted customers, which stay taken */
  gboolean       committed;          /* the rows are saved; the search index is being filled */
  /* The new customers' short-query terms and tags, written sorted at the end (crm-search.c);
   * interned by the reading thread, added by the writing one. */
  CrmSearchPairs *terms;
  CrmSearchPairs *tags;
  GArray        *new_states;         /* NewState: the customers added, for add_state_rows() */
  sqlite3_stmt  *insert_stmt;        /* cached: the SQL is looked up once, not per row */
  gint           stop;               /* reading thread: stop at the next batch */
  GHashTable    *touched_customers;  /* orders: ids whose aggregates need an update */
  Arena          arena;
  guint          max_chars[T_N_CUSTOMER];

  CrmCsvWriter  *rejects;
  CrmOutputFile *rejects_file;       /* vCard rejects (CSV ones: rejects), committed at the end */
  guint64        uuid_counter;
  gint64         last_uuid_ms;
  guint64        rows;
  guint64        bytes_total;
  gint64         t_start;
  gint64         t_last_progress;
  CrmCsvReader  *reader;
  guint64        vcard_bytes;

  /* The row being imported (for reject reports). */
  guint64        line;
  const char * const *cells;
  guint          n_cells;
  const char    *raw_text;            /* vCard: the card as read */
  const guint64 *cell_lines;          /* vCard: the line each cell came from (0: none), or NULL */
  GArray        *card_warnings;       /* vCard: the reader's RowWarnings for the card, or NULL */

  /* Set-up and tear-down of the run (crm-import-run.c). */
  gboolean       in_tx;
  GPtrArray     *triggers;           /* SQL of the triggers dropped for the run */
  GPtrArray     *indexes;            /* and of the indexes (bulk mode) */
  gint64         cache_size;         /* PRAGMA cache_size before the run */
  char          *journal_mode;       /* before the run, when it switched away from WAL */
  gboolean       search_pending;     /* the search index is filled after the commit */
  gint64         data_version;
} Run;

typedef enum
{
  ROW_INSERTED,
  ROW_UPDATED,
  ROW_SKIPPED,
  ROW_REJECTED,
} RowResult;

typedef struct
{
  /* Parsed customer fields ready to bind. */
  const char *uuid;
  const char *name;
  int         gender;
  char        birthday[11];
  gboolean    has_birthday;
  int         email_consent;
  gint64      email_consent_at;
  int         sms_consent;
  gint64      sms_consent_at;
  gint64      created_at;
  int         lifecycle;
  const char *address;
  const char *kept;          /* values kept in the notes (parse_customer()), or NULL */
  gboolean    notes_in_row;  /* the row has notes of its own (else the kept values are added) */
  CrmSearchKeys keys;
  /* Short-query terms and tags, interned by the reading thread (terms_ready), else NULL. */
  gboolean        terms_ready;
  const guint32  *term_ids;
  guint           n_terms;
  const guint32  *tag_ids;
  guint           n_tags;
} Customer;

/* An order line: LINE_SLOTS cells (sku, name, category, quantity, unit price, amount), any of
 * them NULL, so not a NULL-terminated vector. */
#define LINE_SLOTS 6

typedef struct
{
  char   *v[T_N];           /* order-level and customer values: first non-empty of the group */
  int     col[T_N];
  GPtrArray *lines;         /* char ** [6]: sku, product, category, quantity, unit price, amount */
  GPtrArray *rows;          /* GStrv: the rows as read, for rejects */
  GArray    *row_lines;     /* guint64 line of each row */
  char   *key;
} OrderGroup;

static inline void
bind_opt_text (sqlite3_stmt *stmt,
               int           i,
               const char   *s)
{
  if (s)
    sqlite3_bind_text (stmt, i, s, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, i);
}

static inline void
bind_opt_time (sqlite3_stmt *stmt,
               int           i,
               gint64        t)
{
  if (t)
    sqlite3_bind_int64 (stmt, i, t);
  else
    sqlite3_bind_null (stmt, i);
}

/* crm-import.c: the object, prepare */
CrmCsvReader        *open_reader            (CrmImporter          *self,
                                             GError              **error);

/* crm-import-fields.c */
int                  target_from_name       (CrmImportKind         kind,
                                             const char           *name);
const char          *target_name            (CrmImportKind         kind,
                                             int                   target);
const char          *target_label           (CrmImportKind         kind,
                                             int                   target);
const Preset        *find_preset            (CrmImportKind         kind,
                                             GHashTable           *normalized_headers);
const Alias         *alias_table            (CrmFieldHeaders       headers,
                                             guint                *n_aliases);
const Alias         *generic_aliases        (CrmImportKind         kind,
                                             guint                *n_aliases);

/* crm-import-mapping.c */
void                 apply_aliases          (CrmImporter          *self,
                                             const Alias          *aliases,
                                             guint                 n_aliases);
gboolean             load_remembered        (CrmImporter          *self);
gboolean             save_mapping           (CrmImporter          *self,
                                             GError              **error);

/* crm-import-parse.c */
const char          *strip_apostrophe       (const char           *s);
int                  parse_bool             (const char           *s);
int                  parse_gender           (const char           *s);
char                *money_reason           (const char           *text);
gboolean             parse_amount           (Run                  *run,
                                             const char           *text,
                                             guint                 exponent,
                                             gint64               *out);

/* crm-import-keys.c */
gint64               find_by_sql            (Run                  *run,
                                             const char           *sql,
                                             const char           *a,
                                             const char           *b);
gint64               find_customer          (Run                  *run,
                                             const char           *uuid,
                                             const char           *external_id,
                                             const char           *email_key,
                                             const char           *phone_rev);
void                 remember_keys          (Run                  *run,
                                             gint64                id,
                                             const char           *uuid,
                                             const char           *external_id,
                                             const char           *email_key,
                                             const char           *phone_rev);
gboolean             load_existing_keys     (Run                  *run,
                                             GError              **error);
void                 write_terms            (Run                  *run,
                                             gint64                id,
                                             Customer             *c,
                                             const char           *tags);

/* crm-import-customers.c */
void                 collect_values         (Run                  *run,
                                             Arena                *arena,
                                             const char * const   *cells,
                                             guint                 n_cells,
                                             Values               *v);
void                 customer_clear         (Customer             *c);
char                *parse_customer         (Run                  *run,
                                             Arena                *arena,
                                             Values               *v,
                                             Customer             *c,
                                             int                  *col,
                                             GArray              **warnings);
gboolean             import_customer        (Run                  *run,
                                             Values               *v,
                                             gboolean              for_order,
                                             gint64               *out_id,
                                             RowResult            *result,
                                             GError              **error);
gboolean             import_parsed_customer (Run                  *run,
                                             Values               *v,
                                             Customer             *cp,
                                             GArray               *warnings,
                                             gboolean              for_order,
                                             gint64               *out_id,
                                             RowResult            *result,
                                             GError              **error);
void                 count_result           (CrmImportReport      *report,
                                             RowResult             res);
gboolean             import_customer_cells  (Run                  *run,
                                             const char * const   *cells,
                                             guint                 n_cells,
                                             GError              **error);

/* crm-import-orders.c */
void                 group_clear            (OrderGroup           *g);
void                 free_line              (char                **line);
gboolean             flush_order            (Run                  *run,
                                             OrderGroup           *g,
                                             GError              **error);
gboolean             add_order_row          (Run                  *run,
                                             OrderGroup           *g,
                                             const char * const   *cells,
                                             guint                 n_cells,
                                             GError              **error);
gboolean             update_aggregates      (Run                  *run,
                                             GError              **error);

/* crm-import-pipeline.c */
gboolean             run_csv                (Run                  *run,
                                             GError              **error);
gboolean             run_csv_customers      (Run                  *run,
                                             GError              **error);

/* crm-import-vcard.c */
gboolean             file_is_vcard          (const char           *path);
gboolean             reject_vcard           (Run                  *run,
                                             const char           *raw_text,
                                             const char           *reason,
                                             GError              **error);
gboolean             run_vcard              (Run                  *run,
                                             GError              **error);

/* crm-import-run.c */
gboolean             reject_cells           (Run                  *run,
                                             guint64               line,
                                             const char * const   *cells,
                                             guint                 n_cells,
                                             const char           *raw_text,
                                             int                   column,
                                             const char           *reason,
                                             GError              **error);
gboolean             reject                 (Run                  *run,
                                             int                   column,
                                             const char           *reason,
                                             GError              **error);
void                 warn                   (Run                  *run,
                                             guint64               line,
                                             int                   column,
                                             const char           *message);
void                 warn_row               (Run                  *run,
                                             GArray               *warnings);
void                 row_warning            (GArray              **warnings,
                                             int                   column,
                                             char                 *message);
gboolean             step_done              (Run                  *run,
                                             sqlite3_stmt         *stmt,
                                             GError              **error);
void                 make_uuid              (Run                  *run,
                                             char                  out[37]);
gboolean             write_journal          (Run                  *run,
                                             CrmJournalEntity      entity,
                                             gint64                row_id,
                                             CrmJournalOp          op,
                                             guint64               fields,
                                             GError              **error);
void                 report_progress        (Run                  *run,
                                             gboolean              indexing,
                                             gboolean              force);

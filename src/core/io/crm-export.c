/* crm-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-export.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "crm-codes.h"
#include "crm-csv-writer.h"
#include "crm-customer-fields.h"
#include "crm-format.h"
#include "crm-tier.h"

/* The customer export's columns are the catalogue's fields marked for export, in its order;
 * their headers are the fields' keys (stable: importers map them back). */
typedef struct
{
  const CrmCustomerFieldInfo **fields;
  const char                 **headers;   /* NULL-terminated */
  guint                        n;
  char                        *select;    /* the values, in the same order */
} CustomerColumns;

/* Tier names come from a small map, not a join: one B-tree seek less per row. */
#define CUSTOMER_JOINS "LEFT JOIN customer_state s ON s.customer_id = c.id" \
                       " LEFT JOIN customer_rfm r ON r.customer_id = c.id" \
                       " LEFT JOIN customer_predictions p ON p.customer_id = c.id"

static const CustomerColumns *
customer_columns (void)
{
  static CustomerColumns *columns;

  if (g_once_init_enter (&columns))
    {
      static const char *aliases[] = {
        [CRM_FIELD_STORED_CUSTOMERS] = "c", [CRM_FIELD_STORED_STATE] = "s", [CRM_FIELD_STORED_RFM] = "r",
        [CRM_FIELD_STORED_PREDICTIONS] = "p",
      };
      CustomerColumns *made = g_new0 (CustomerColumns, 1);
      GPtrArray *fields = g_ptr_array_new ();
      GPtrArray *headers = g_ptr_array_new ();
      GString *select = g_string_new (NULL);
      const CrmCustomerFieldInfo *all;
      guint n_all;

      all = crm_customer_fields_get (&n_all);
      for (guint i = 0; i < n_all; i++)
        {
          if (!(all[i].io & CRM_FIELD_IO_EXPORT))
            continue;
          g_assert (all[i].stored != CRM_FIELD_STORED_NONE);
          g_ptr_array_add (fields, (gpointer) &all[i]);
          g_ptr_array_add (headers, (gpointer) all[i].key);
          g_string_append_printf (select, "%s%s.%s", select->len > 0 ? ", " : "",
                                  aliases[all[i].stored], crm_customer_field_get_column (&all[i]));
        }
      made->n = fields->len;
      g_ptr_array_add (headers, NULL);
      made->fields = (const CrmCustomerFieldInfo **) g_ptr_array_free (fields, FALSE);
      made->headers = (const char **) g_ptr_array_free (headers, FALSE);
      made->select = g_string_free (select, FALSE);
      g_once_init_leave (&columns, made);
    }

  return columns;
}

const char * const *
crm_export_customer_columns (guint *n_columns)
{
  const CustomerColumns *columns = customer_columns ();

  *n_columns = columns->n;
  return columns->headers;
}

/* Buffers big enough for any gint64 amount or time the formatters write. */
#define AMOUNT_BUF 32
#define TIME_BUF 24

/* Minor units as "-1234.50": integer arithmetic into @buf, no allocation. */
static const char *
format_amount (char   *buf,
               gint64  minor,
               guint   exponent)
{
  guint64 abs_minor = minor < 0 ? (guint64) -(minor + 1) + 1 : (guint64) minor;
  char tmp[AMOUNT_BUF];
  int n = 0, len = 0;

  /* Digits backwards, with the decimal point after @exponent of them. */
  do
    {
      if (n == (int) exponent && exponent > 0)
        tmp[len++] = '.';
      tmp[len++] = '0' + abs_minor % 10;
      abs_minor /= 10;
      n++;
    }
  while (abs_minor > 0 || n <= (int) exponent);

  n = 0;
  if (minor < 0)
    buf[n++] = '-';
  while (len > 0)
    buf[n++] = tmp[--len];
  buf[n] = '\0';

  return buf;
}

/* Days since 1970-01-01 → civil date (H. Hinnant's algorithm), proleptic Gregorian. */
static void
civil_from_days (gint64  z,
                 gint64 *y,
                 guint  *m,
                 guint  *d)
{
  gint64 era, yoe, doy, mp, doe;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  *y = yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y += *m <= 2;
}

/* ms UTC → "2026-11-26T08:30:00Z" (@with_time) or "2026-11-26"; "" for 0. */
static const char *
format_time (char    *buf,
             gint64   ms_utc,
             gboolean with_time)
{
  gint64 secs, days, y;
  guint m, d, sod;

  if (ms_utc == 0)
    return "";

  secs = ms_utc >= 0 ? ms_utc / 1000 : -((-ms_utc + 999) / 1000);
  days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  sod = (guint) (secs - days * 86400);
  civil_from_days (days, &y, &m, &d);

  if (y < 0 || y > 9999)
    {
      /* Outside ISO 8601's four digits: rare enough for printf. */
      if (with_time)
        g_snprintf (buf, TIME_BUF, "%04" G_GINT64_FORMAT "-%02u-%02uT%02u:%02u:%02uZ", y, m, d,
                    sod / 3600, sod / 60 % 60, sod % 60);
      else
        g_snprintf (buf, TIME_BUF, "%04" G_GINT64_FORMAT "-%02u-%02u", y, m, d);
      return buf;
    }

  /* The digits by hand: a million rows have three of these each. */
  buf[0] = '0' + y / 1000;
  buf[1] = '0' + y / 100 % 10;
  buf[2] = '0' + y / 10 % 10;
  buf[3] = '0' + y % 10;
  buf[4] = '-';
  buf[5] = '0' + m / 10;
  buf[6] = '0' + m % 10;
  buf[7] = '-';
  buf[8] = '0' + d / 10;
  buf[9] = '0' + d % 10;
  if (!with_time)
    {
      buf[10] = '\0';
      return buf;
    }
  buf[10] = 'T';
  buf[11] = '0' + sod / 36000;
  buf[12] = '0' + sod / 3600 % 10;
  buf[13] = ':';
  buf[14] = '0' + sod / 600 % 6;
  buf[15] = '0' + sod / 60 % 10;
  buf[16] = ':';
  buf[17] = '0' + sod % 60 / 10;
  buf[18] = '0' + sod % 10;
  buf[19] = 'Z';
  buf[20] = '\0';
  return buf;
}

char *
crm_export_format_amount (gint64 minor,
                          guint  exponent)
{
  char buf[AMOUNT_BUF];
  return g_strdup (format_amount (buf, minor, exponent));
}

char *
crm_export_format_time (gint64 ms_utc)
{
  char buf[TIME_BUF];
  return g_strdup (format_time (buf, ms_utc, TRUE));
}

static const char *
gender_key (int gender)
{
  static const char *keys[] = { "", "female", "male", "other" };
  return gender >= 0 && gender < (int) G_N_ELEMENTS (keys) ? keys[gender] : "";
}

/* The CSV goes through a CrmOutputFile (crm_csv_writer_new_for_path()): readers never see half
 * a file, and an error or a cancel leaves the target as it was. */
typedef struct
{
  CrmCsvWriter *writer;
} Output;

static gboolean
output_open (Output          *out,
             const char      *path,
             CrmCsvEncoding   encoding,
             GError         **error)
{
  out->writer = crm_csv_writer_new_for_path (path, encoding, error);

  return out->writer != NULL;
}

static gboolean
output_finish (Output        *out,
               gboolean       ok,
               GCancellable  *cancellable,
               GError       **error)
{
  if (ok)
    ok = crm_csv_writer_close (out->writer, cancellable, error);
  g_clear_object (&out->writer);
  return ok;
}

/* ---- rows to the CSV writer on a second thread -------------------------------------------------
 *
 * Reading the rows (SQLite: in the view's order, a B-tree seek per row) and writing them as CSV
 * (quoting, checks, conversion, the file) each take about half of an export.  The calling thread
 * reads and copies each row's cells into a batch; a writer thread formats the batches, so both
 * halves run at once.  The writer owns the CrmCsvWriter until pipe_finish() returns. */

#define PIPE_ROWS    512
#define PIPE_BATCHES 4

typedef struct
{
  GString *text;    /* the cells of the batch's rows, back to back */
  GArray  *cells;   /* gsize offset, gsize length: two per cell */
  guint    n_rows;
} Batch;

typedef struct
{
  CrmCsvWriter  *writer;
  guint          n_cols;
  GCancellable  *cancellable;
  GAsyncQueue   *full;      /* batches to write, then end_batch */
  GAsyncQueue   *empty;     /* batches to fill */
  GThread       *thread;
  Batch         *cur;
  Batch         *all[PIPE_BATCHES];
  GError        *error;     /* the writer's, set before failed */
  gint           failed;
} Pipe;

static Batch end_batch;

static gpointer
pipe_thread (gpointer data)
{
  Pipe *p = data;
  g_autofree const char **cells = g_new (const char *, p->n_cols);
  g_autofree gsize *lens = g_new (gsize, p->n_cols);

  for (;;)
    {
      Batch *b = g_async_queue_pop (p->full);

      if (b == &end_batch)
        break;
      for (guint r = 0; r < b->n_rows && !g_atomic_int_get (&p->failed); r++)
        {
          const gsize *refs = &g_array_index (b->cells, gsize, (gsize) r * p->n_cols * 2);

          for (guint c = 0; c < p->n_cols; c++)
            {
              cells[c] = b->text->str + refs[2 * c];
              lens[c] = refs[2 * c + 1];
            }
          if (!crm_csv_writer_write_record_len (p->writer, cells, lens, p->n_cols, p->cancellable, &p->error))
            g_atomic_int_set (&p->failed, 1);
        }
      b->n_rows = 0;
      g_string_truncate (b->text, 0);
      g_array_set_size (b->cells, 0);
      g_async_queue_push (p->empty, b);
    }
  return NULL;
}

static void
pipe_start (Pipe         *p,
            CrmCsvWriter *writer,
            guint         n_cols,
            GCancellable *cancellable)
{
  memset (p, 0, sizeof *p);
  p->writer = writer;
  p->n_cols = n_cols;
  p->cancellable = cancellable;
  p->full = g_async_queue_new ();
  p->empty = g_async_queue_new ();
  for (guint i = 0; i < PIPE_BATCHES; i++)
    {
      p->all[i] = g_new0 (Batch, 1);
      p->all[i]->text = g_string_sized_new (PIPE_ROWS * 512);
      p->all[i]->cells = g_array_sized_new (FALSE, FALSE, sizeof (gsize), PIPE_ROWS * n_cols * 2);
      g_async_queue_push (p->empty, p->all[i]);
    }
  p->cur = g_async_queue_pop (p->empty);
  p->thread = g_thread_new ("crm-export-write", pipe_thread, p);
}

/* Copies one row's cells; FALSE once the writer has failed (pipe_finish() says why). */
static gboolean
pipe_row (Pipe               *p,
          const char * const *cells,
          const gsize        *lens)
{
  Batch *b = p->cur;
  GString *text = b->text;
  gsize need = p->n_cols, used = text->len, at = b->cells->len;
  gsize *refs;
  char *out;

  for (guint c = 0; c < p->n_cols; c++)
    need += lens[c];
  if (used + need + 1 > text->allocated_len)
    {
      g_string_set_size (text, used + need);
      text->len = used;
    }
  g_array_set_size (b->cells, at + 2 * p->n_cols);
  refs = &g_array_index (b->cells, gsize, at);
  out = text->str + used;
  for (guint c = 0; c < p->n_cols; c++)
    {
      refs[2 * c] = out - text->str;
      refs[2 * c + 1] = lens[c];
      memcpy (out, cells[c], lens[c]);
      out += lens[c];
      *out++ = '\0';
    }
  text->len = out - text->str;
  if (++b->n_rows == PIPE_ROWS)
    {
      g_async_queue_push (p->full, b);
      p->cur = g_async_queue_pop (p->empty);
    }
  return !g_atomic_int_get (&p->failed);
}

/* Writes what is left and stops the writer thread; FALSE with the writer's error. */
static gboolean
pipe_finish (Pipe    *p,
             GError **error)
{
  gboolean ok;

  if (p->cur->n_rows > 0)
    g_async_queue_push (p->full, p->cur);
  g_async_queue_push (p->full, &end_batch);
  g_thread_join (p->thread);

  for (guint i = 0; i < PIPE_BATCHES; i++)
    {
      g_string_free (p->all[i]->text, TRUE);
      g_array_unref (p->all[i]->cells);
      g_free (p->all[i]);
    }
  g_async_queue_unref (p->full);
  g_async_queue_unref (p->empty);

  ok = !g_atomic_int_get (&p->failed);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&p->error));
  g_clear_error (&p->error);
  return ok;
}

/* The end of every export: the read snapshot released, the error if the rows
 * stopped early, the count reported, the file kept or removed. */
static gboolean
end_export (Output             *out,
            CrmStore           *store,
            sqlite3_stmt       *stmt,
            gboolean            ok,
            int                 rc,
            guint64             rows,
            CrmExportProgress   progress,
            gpointer            user_data,
            GCancellable       *cancellable,
            guint64            *out_rows,
            GError            **error)
{
  if (cancellable != NULL)
    crm_store_set_cancellable (store, NULL);

  if (ok && rc != SQLITE_DONE)
    {
      if (!g_cancellable_set_error_if_cancelled (cancellable, error))
        crm_store_set_error (store, rc, error);
      ok = FALSE;
    }
  sqlite3_reset (stmt);
  crm_store_exec (store, "RELEASE export; PRAGMA mmap_size = 0", NULL);

  if (ok && out_rows != NULL)
    *out_rows = rows;
  if (ok && progress != NULL)
    progress (rows, user_data);

  return output_finish (out, ok, cancellable, ok ? error : NULL);
}

gboolean
crm_export_customers_csv (CrmStore          *store,
                          CrmQuery          *query,
                          const char        *path,
                          CrmCsvEncoding     encoding,
                          CrmExportProgress  progress,
                          gpointer           user_data,
                          GCancellable      *cancellable,
                          guint64           *out_rows,
                          GError           **error)
{
  return crm_export_customers_csv_full (store, query, path, encoding, FALSE, progress, user_data,
                                        cancellable, out_rows, error);
}

/* A coded cell in words, for a file people read (local headers); NULL: as it is. */
static const char *
local_value (const CrmCustomerFieldInfo *field,
             sqlite3_stmt               *stmt,
             int                         i)
{
  static const char *genders[] = { "", N_("Female"), N_("Male"), N_("Other") };
  const char *text;

  switch (field->value)
    {
    case CRM_FIELD_VALUE_GENDER:
      {
        int g = sqlite3_column_int (stmt, i);

        return g > 0 && g < (int) G_N_ELEMENTS (genders) ? g_dgettext (GETTEXT_PACKAGE, genders[g]) : "";
      }
    case CRM_FIELD_VALUE_BOOLEAN:
      return sqlite3_column_int (stmt, i) ? g_dgettext (GETTEXT_PACKAGE, N_("Yes")) : g_dgettext (GETTEXT_PACKAGE, N_("No"));
    case CRM_FIELD_VALUE_LIFECYCLE:
      if (sqlite3_column_type (stmt, i) == SQLITE_NULL)
        return "";
      return crm_lifecycle_get_label (CLAMP (sqlite3_column_int (stmt, i), 0, CRM_LIFECYCLE_N_STAGES - 1));
    case CRM_FIELD_VALUE_TEXT:
      text = (const char *) sqlite3_column_text (stmt, i);
      if (text == NULL)
        return NULL;
      if (g_strcmp0 (field->key, "source") == 0)
        return crm_code_get_label (CRM_CODE_CHANNEL, text);
      if (g_strcmp0 (field->key, "churn_risk") == 0)
        return crm_code_get_label (CRM_CODE_CHURN_RISK, text);
      return NULL;
    default:
      return NULL;
    }
}

gboolean
crm_export_customers_csv_full (CrmStore          *store,
                               CrmQuery          *query,
                               const char        *path,
                               CrmCsvEncoding     encoding,
                               gboolean           local_headers,
                               CrmExportProgress  progress,
                               gpointer           user_data,
                               GCancellable      *cancellable,
                               guint64           *out_rows,
                               GError           **error)
{
  const CustomerColumns *columns = customer_columns ();
  guint n_cols = columns->n;
  g_autoptr(CrmQuery) q = query ? crm_query_copy (query) : crm_query_new ();
  g_autofree char *sql = crm_query_to_sql_columns (q, columns->select, CUSTOMER_JOINS);
  g_autofree char *currency = crm_store_get_setting (store, "currency");
  guint exponent = crm_currency_exponent (currency ? currency : "CNY");
  g_autofree const char **cells = g_new (const char *, n_cols);
  g_autofree gsize *lens = g_new (gsize, n_cols);
  g_autofree char *bufs = g_malloc ((gsize) n_cols * AMOUNT_BUF);   /* one for each cell */
  Output out = { 0 };
  Pipe pipe;
  sqlite3_stmt *stmt;
  guint64 rows = 0;
  gboolean ok;
  int rc;
  g_autoptr(GHashTable) tier_names = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr(GPtrArray) tiers = crm_store_list_all (store, CRM_TYPE_TIER, NULL, error);

  if (tiers == NULL)
    return FALSE;
  for (guint i = 0; i < tiers->len; i++)
    g_hash_table_insert (tier_names, GINT_TO_POINTER (crm_entity_get_id (g_ptr_array_index (tiers, i))),
                         g_strdup (crm_tier_get_display_name (g_ptr_array_index (tiers, i))));

  if (!output_open (&out, path, encoding, error))
    return output_finish (&out, FALSE, cancellable, NULL);

  g_autofree const char **headers = g_new0 (const char *, n_cols + 1);

  for (guint i = 0; i < n_cols; i++)
    headers[i] = local_headers ? g_dgettext (GETTEXT_PACKAGE, columns->fields[i]->label) : columns->headers[i];
  if (!crm_csv_writer_write_record (out.writer, headers, n_cols, cancellable, error) ||
      !(stmt = crm_store_prepare (store, sql, error)))
    return output_finish (&out, FALSE, cancellable, NULL);
  crm_query_bind (q, stmt);

  /* A read transaction: one consistent snapshot, whatever writes meanwhile.
   * Reading through a memory map saves a system call per page: the view's order
   * (by name, say) visits the table's pages in no particular order. */
  crm_store_exec (store, "PRAGMA mmap_size = 4294967296; SAVEPOINT export", NULL);
  if (cancellable != NULL)
    crm_store_set_cancellable (store, cancellable);

  pipe_start (&pipe, out.writer, n_cols, cancellable);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (guint i = 0; i < n_cols; i++)
        {
          if (local_headers && (cells[i] = local_value (columns->fields[i], stmt, i)) != NULL)
            {
              lens[i] = strlen (cells[i]);
              continue;
            }
          switch (columns->fields[i]->value)
            {
            case CRM_FIELD_VALUE_REAL:
              if (sqlite3_column_type (stmt, i) == SQLITE_NULL)
                cells[i] = "";
              else
                cells[i] = g_ascii_formatd (bufs + i * AMOUNT_BUF, AMOUNT_BUF, "%.4f", sqlite3_column_double (stmt, i));
              break;
            case CRM_FIELD_VALUE_GENDER:
              cells[i] = gender_key (sqlite3_column_int (stmt, i));
              break;
            case CRM_FIELD_VALUE_BOOLEAN:
              cells[i] = sqlite3_column_int (stmt, i) ? "true" : "false";
              break;
            case CRM_FIELD_VALUE_TIME:
              cells[i] = format_time (bufs + i * AMOUNT_BUF, sqlite3_column_int64 (stmt, i), TRUE);
              break;
            case CRM_FIELD_VALUE_DAY:
              cells[i] = format_time (bufs + i * AMOUNT_BUF, sqlite3_column_int64 (stmt, i), FALSE);
              break;
            case CRM_FIELD_VALUE_MONEY:
              if (sqlite3_column_type (stmt, i) == SQLITE_NULL)
                cells[i] = "";
              else
                cells[i] = format_amount (bufs + i * AMOUNT_BUF, sqlite3_column_int64 (stmt, i), exponent);
              break;
            case CRM_FIELD_VALUE_COUNT:
              /* Integers formatted here: SQLite would make each one a string and copy it. */
              if (sqlite3_column_type (stmt, i) == SQLITE_NULL)
                cells[i] = "";
              else
                cells[i] = format_amount (bufs + i * AMOUNT_BUF, sqlite3_column_int64 (stmt, i), 0);
              break;
            case CRM_FIELD_VALUE_TIER:
              cells[i] = g_hash_table_lookup (tier_names, GINT_TO_POINTER (sqlite3_column_int64 (stmt, i)));
              if (cells[i] == NULL)
                cells[i] = "";
              break;
            case CRM_FIELD_VALUE_LIFECYCLE:
              cells[i] = crm_lifecycle_to_string (CLAMP (sqlite3_column_int (stmt, i), 0, CRM_LIFECYCLE_N_STAGES - 1));
              break;
            case CRM_FIELD_VALUE_TEXT:
            case CRM_FIELD_VALUE_DATE:
            default:
              /* The bytes as stored: sqlite3_column_text() would copy each value to end it
               * with a NUL, and pipe_row() copies it anyway. */
              cells[i] = (const char *) sqlite3_column_blob (stmt, i);
              lens[i] = sqlite3_column_bytes (stmt, i);
              if (cells[i] == NULL)
                cells[i] = "";
              continue;
            }
          lens[i] = strlen (cells[i]);
        }

      if (!pipe_row (&pipe, cells, lens))
        break;
      if ((++rows % 50000) == 0 && progress != NULL)
        progress (rows, user_data);
    }
  ok = pipe_finish (&pipe, error);

  return end_export (&out, store, stmt, ok, rc, rows, progress, user_data, cancellable, out_rows, error);
}

gboolean
crm_export_orders_csv (CrmStore          *store,
                       gint64             customer_id,
                       const char        *path,
                       CrmCsvEncoding     encoding,
                       CrmExportProgress  progress,
                       gpointer           user_data,
                       GCancellable      *cancellable,
                       guint64           *out_rows,
                       GError           **error)
{
  static const char *columns[] = {
    "uuid", "customer_uuid", "customer_name", "number", "placed_at", "status", "channel", "currency",
    "subtotal", "discount", "shipping", "tax", "total", "external_id", "notes",
  };
  const char *cells[G_N_ELEMENTS (columns)];
  char bufs[G_N_ELEMENTS (columns)][AMOUNT_BUF];
  Output out = { 0 };
  sqlite3_stmt *stmt;
  guint64 rows = 0;
  gboolean ok = TRUE;
  int rc;

  if (!output_open (&out, path, encoding, error))
    return output_finish (&out, FALSE, cancellable, NULL);

  if (!crm_csv_writer_write_record (out.writer, columns, G_N_ELEMENTS (columns), cancellable, error) ||
      !(stmt = crm_store_prepare (store,
          "SELECT o.uuid, c.uuid, c.name, o.number, o.placed_at, o.status, o.channel, o.currency,"
          " o.subtotal, o.discount, o.shipping, o.tax, o.total, o.external_id, o.notes"
          " FROM orders o JOIN customers c ON c.id = o.customer_id"
          " WHERE o.deleted_at IS NULL AND (?1 = 0 OR o.customer_id = ?1)"
          " ORDER BY o.placed_at, o.id", error)))
    return output_finish (&out, FALSE, cancellable, NULL);
  sqlite3_bind_int64 (stmt, 1, customer_id);

  crm_store_exec (store, "PRAGMA mmap_size = 4294967296; SAVEPOINT export", NULL);
  if (cancellable != NULL)
    crm_store_set_cancellable (store, cancellable);

  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint exponent = crm_currency_exponent ((const char *) sqlite3_column_text (stmt, 7));

      for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
        {
          if (i == 4)
            cells[i] = format_time (bufs[i], sqlite3_column_int64 (stmt, i), TRUE);
          else if (i >= 8 && i <= 12)
            cells[i] = format_amount (bufs[i], sqlite3_column_int64 (stmt, i), exponent);
          else
            {
              cells[i] = (const char *) sqlite3_column_text (stmt, i);
              if (cells[i] == NULL)
                cells[i] = "";
            }
        }
      ok = crm_csv_writer_write_record (out.writer, cells, G_N_ELEMENTS (columns), cancellable, error);
      if (ok && (++rows % 50000) == 0 && progress != NULL)
        progress (rows, user_data);
    }

  return end_export (&out, store, stmt, ok, rc, rows, progress, user_data, cancellable, out_rows, error);
}

/* crm-import.c: customers and orders from CSV files and vCards — the importer object and
 * prepare(); the folder's map.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What lives where (src/core/io/import/), in the order a run meets it:
 *   crm-import.h                  the public API: the app's import dialog and the CLI use only this
 *   crm-import-tuning-private.h   the measuring knobs (bulk/incremental, journal off, …), for
 *                                 bench/bench-import.c and the tests; the product leaves them zero
 *   crm-import-private.h          what the files below share: the object's struct, Run (one run's
 *                                 state), the target fields, the parsed row, inline cell helpers
 *   crm-import.c                  the object, its setters and getters, prepare(): encoding,
 *                                 delimiter, header, preview, format and first mapping
 *   crm-import-fields.c           the fields a column can be mapped to, and the header aliases of
 *                                 generic, Chinese, Shopify and WooCommerce files
 *   crm-import-mapping.c          the mapping set by hand or by --map, remembered per header set
 *   crm-import-parse.c            cell parsers: yes/no, gender, dates and times, amounts
 *   crm-import-run.c              crm_importer_run() in phases: set-up, rows, indexes, commit,
 *                                 search index, rejects file; rejects, the journal, progress
 *   crm-import-pipeline.c         CSV rows: one thread, or (customers) a reading thread that
 *                                 fills batches of checked rows while this one writes them
 *   crm-import-vcard.c            vCard input
 *   crm-import-customers.c        a row to a customer: checked, then inserted, updated or skipped
 *   crm-import-keys.c             duplicates (the bulk key table, or SQL) and the short-query
 *                                 terms and tags kept to be written in key order
 *   crm-import-orders.c           rows grouped into orders, with their customer and line items
 * One file per concern, so that a change to (say) the customer fields or the journal touches
 * one or two files; the per-row path stays free of extra calls because the helpers it calls for
 * every cell are inline in crm-import-private.h.
 *
 * How a run works, and why:
 * - One transaction (BEGIN IMMEDIATE … COMMIT) for the whole file: an error or a cancel rolls
 *   back to the database as it was, and nobody sees half an import.  A rejected row is not an
 *   error: it is reported and written to the rejects file, and the run goes on.
 * - A contact is never lost for one field: a cell that cannot be used (an e-mail or phone that
 *   is none, a date that is no date, a value too long for its field) does not reject the row.
 *   parse_customer() keeps it in the notes ("Birthday: 31/02/1990"), cleans or cuts it, or
 *   leaves it out when it says nothing (a phone without a digit), and the run reports a warning
 *   with its line and column (crm_importer_get_warning(); a vCard's warnings carry the line of
 *   the property).  Only a row with nothing to name the customer by is rejected, as are rows
 *   the reader cannot read or whose cells do not line up with the header.  An order's own date
 *   and amounts are still checked strictly: an order with a wrong total would be wrong in every
 *   figure built on it.
 * - Customers are written straight from the cells through a column plan (source column →
 *   target field, with a priority for exports that carry the same field twice) with cached
 *   prepared statements: no GObject per row.  Search keys (phone digits, e-mail key, short
 *   terms, tags) come from crm-search.c (CrmSearchKeys, CrmSearchPairs), the one writer of the
 *   search tables.  The change journal gets, in the same transaction (an import is a user
 *   action on syncable data), one 'update' entry per existing customer the file changed as it
 *   goes and one 'insert' per new customer from one statement at the end
 *   (crm_journal_append_range()); an orders import journals its orders, lines and new customers
 *   as it goes, in file order, so that a customer comes before its orders.
 * - The full-text index: the FTS insert/update triggers are dropped for the run and restored in
 *   the same transaction (crm_search_suspend_fts()); the new rows are added to the index with
 *   one INSERT … SELECT (row by row through the trigger costs about 10× more: FTS5 flushes at
 *   every statement savepoint), and updates of older rows delete and re-add their FTS entries
 *   (crm_search_fts_remove()/_add()).
 * - Bulk mode, when the file is expected to add at least as many customers as the table holds
 *   (and 50,000 or more): the secondary indexes of customers are dropped for the run and made
 *   again with CREATE INDEX at the end (a sort per index instead of a random B-tree insert per
 *   row and index).  Duplicates are then found in memory: a table of 64-bit key hashes (e-mail,
 *   phone, external id, uuid) of the existing customers and of the rows added, verified against
 *   the row on a hit.  Otherwise every index stays and duplicates are looked up with SQL.
 *   bench/RESULTS.md has the figures behind both choices.
 * - Customers from CSV: a second thread reads and checks the rows (run_csv_customers()); this
 *   one decides duplicates, ids and rejects in file order and writes.  Short-query terms and tags
 *   are kept as (term, customer) pairs and written sorted at the end (append-only B-tree writes).
 *   A large run on a file no other connection has open uses a rollback journal instead of the
 *   WAL (pages written once), as `generate` does; synchronous stays as the store set it.
 */
#include "crm-import-private.h"

G_DEFINE_QUARK (crm-import-error-quark, crm_import_error)

G_DEFINE_FINAL_TYPE (CrmImporter, crm_importer, G_TYPE_OBJECT)

static void
clear_reject (gpointer data)
{
  CrmImportReject *r = data;

  g_free (r->column_name);
  g_free (r->reason);
}

static void
clear_warning (gpointer data)
{
  CrmImportWarning *w = data;

  g_free (w->column_name);
  g_free (w->message);
}

static void
crm_importer_finalize (GObject *object)
{
  CrmImporter *self = CRM_IMPORTER (object);

  g_clear_object (&self->store);
  g_free (self->path);
  g_strfreev (self->columns);
  g_clear_pointer (&self->preview, g_ptr_array_unref);
  g_free (self->plan);
  g_free (self->prio);
  g_free (self->currency);
  g_free (self->rejects_path);
  g_array_unref (self->rejects);
  g_array_unref (self->warnings);

  G_OBJECT_CLASS (crm_importer_parent_class)->finalize (object);
}

static void
crm_importer_class_init (CrmImporterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = crm_importer_finalize;
}

static void
crm_importer_init (CrmImporter *self)
{
  self->rejects = g_array_new (FALSE, TRUE, sizeof (CrmImportReject));
  g_array_set_clear_func (self->rejects, clear_reject);
  self->warnings = g_array_new (FALSE, TRUE, sizeof (CrmImportWarning));
  g_array_set_clear_func (self->warnings, clear_warning);
  self->policy = CRM_DUPLICATE_SKIP;
  self->date_order = CRM_DATE_MONTH_FIRST;
}

CrmImporter *
crm_importer_new (CrmStore      *store,
                  CrmImportKind  kind,
                  const char    *path)
{
  CrmImporter *self;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (CRM_TYPE_IMPORTER, NULL);
  self->store = g_object_ref (store);
  self->kind = kind;
  self->path = g_strdup (path);
  return self;
}

void
crm_importer_set_encoding (CrmImporter    *self,
                           CrmCsvEncoding  encoding)
{
  self->encoding_req = encoding;
  self->prepared = FALSE;
}

void
crm_importer_set_delimiter (CrmImporter *self,
                            char         delimiter)
{
  self->delimiter_req = delimiter;
  self->prepared = FALSE;
}

void
crm_importer_set_header_mode (CrmImporter      *self,
                              CrmCsvHeaderMode  mode)
{
  self->header_req = mode;
  self->prepared = FALSE;
}

void
crm_importer_set_duplicate_policy (CrmImporter        *self,
                                   CrmDuplicatePolicy  policy)
{
  self->policy = policy;
}

void
crm_importer_set_decimal_comma (CrmImporter *self,
                                gboolean     decimal_comma)
{
  self->decimal_comma = decimal_comma;
}

void
crm_importer_set_date_order (CrmImporter  *self,
                             CrmDateOrder  order)
{
  self->date_order = order;
}

void
crm_importer_set_currency (CrmImporter *self,
                           const char  *currency)
{
  g_free (self->currency);
  self->currency = currency ? g_ascii_strup (currency, -1) : NULL;
}

void
crm_importer_set_rejects_path (CrmImporter *self,
                               const char  *path)
{
  g_free (self->rejects_path);
  self->rejects_path = g_strdup (path);
}

CrmCsvEncoding
crm_importer_get_encoding (CrmImporter *self)
{
  return self->encoding;
}

char
crm_importer_get_delimiter (CrmImporter *self)
{
  return self->delimiter;
}

gboolean
crm_importer_get_has_header (CrmImporter *self)
{
  return self->has_header;
}

CrmImportFormat
crm_importer_get_format (CrmImporter *self)
{
  return self->format;
}

const char * const *
crm_importer_get_columns (CrmImporter *self,
                          guint       *n_columns)
{
  if (n_columns != NULL)
    *n_columns = self->n_columns;
  return (const char * const *) self->columns;
}

GPtrArray *
crm_importer_get_preview (CrmImporter *self)
{
  return self->preview;
}

gboolean
crm_importer_get_mapping_remembered (CrmImporter *self)
{
  return self->remembered;
}

const CrmImportReport *
crm_importer_get_report (CrmImporter *self)
{
  return &self->report;
}

guint
crm_importer_get_n_rejects (CrmImporter *self)
{
  return self->rejects->len;
}

const CrmImportReject *
crm_importer_get_reject (CrmImporter *self,
                         guint        index)
{
  g_return_val_if_fail (index < self->rejects->len, NULL);
  return &g_array_index (self->rejects, CrmImportReject, index);
}

guint
crm_importer_get_n_warnings (CrmImporter *self)
{
  return self->warnings->len;
}

const CrmImportWarning *
crm_importer_get_warning (CrmImporter *self,
                          guint        index)
{
  g_return_val_if_fail (index < self->warnings->len, NULL);
  return &g_array_index (self->warnings, CrmImportWarning, index);
}

void
crm_importer_set_tuning (CrmImporter           *self,
                         const CrmImportTuning *tuning)
{
  g_return_if_fail (CRM_IS_IMPORTER (self));

  if (tuning != NULL)
    self->tuning = *tuning;
  else
    memset (&self->tuning, 0, sizeof self->tuning);
}

static const char * const mode_names[] = { "auto", "bulk", "incremental" };

const char *
crm_import_mode_to_string (CrmImportMode mode)
{
  g_return_val_if_fail (mode < G_N_ELEMENTS (mode_names), NULL);
  return mode_names[mode];
}

gboolean
crm_import_mode_from_string (const char    *text,
                             CrmImportMode *mode)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (mode_names); i++)
    if (g_str_equal (text, mode_names[i]))
      {
        *mode = i;
        return TRUE;
      }
  return FALSE;
}

/* ---- prepare ------------------------------------------------------------------------------ */

CrmCsvReader *
open_reader (CrmImporter  *self,
             GError      **error)
{
  CrmCsvReader *reader = crm_csv_reader_new_for_path (self->path, error);

  if (reader == NULL)
    return NULL;
  crm_csv_reader_set_encoding (reader, self->encoding_req);
  crm_csv_reader_set_delimiter (reader, self->delimiter_req);
  crm_csv_reader_set_header_mode (reader, self->header_req);
  return reader;
}

gboolean
crm_importer_prepare (CrmImporter   *self,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(CrmCsvReader) reader = NULL;
  g_autoptr(GError) local_error = NULL;
  const char * const *header;
  guint n_header = 0;
  gboolean got_row;

  g_strfreev (self->columns);
  self->columns = NULL;
  g_clear_pointer (&self->preview, g_ptr_array_unref);
  g_clear_pointer (&self->plan, g_free);
  g_clear_pointer (&self->prio, g_free);
  self->preview = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  self->remembered = FALSE;
  self->preset = NULL;
  self->format = CRM_IMPORT_FORMAT_GENERIC;
  self->preview_bytes = 0;
  self->preview_rows = 0;

  if (self->kind == CRM_IMPORT_CUSTOMERS && file_is_vcard (self->path))
    {
      guint n;
      const char * const *cols = crm_vcard_columns (&n);

      self->is_vcard = TRUE;
      self->format = CRM_IMPORT_FORMAT_VCARD;
      self->encoding = CRM_CSV_ENCODING_UTF8;
      self->has_header = TRUE;
      self->columns = g_strdupv ((char **) cols);
      self->n_columns = n;
      self->plan = g_new (int, n);
      self->prio = g_new (int, n);
      for (guint c = 0; c < n; c++)
        {
          self->plan[c] = target_from_name (CRM_IMPORT_CUSTOMERS, cols[c]);
          self->prio[c] = 1;
        }
      self->prepared = TRUE;
      return TRUE;
    }
  self->is_vcard = FALSE;

  if (!(reader = open_reader (self, error)))
    return FALSE;

  got_row = crm_csv_reader_next (reader, cancellable, &local_error);
  if (!got_row && crm_csv_reader_is_finished (reader) && local_error != NULL &&
      !g_error_matches (local_error, CRM_CSV_ERROR, CRM_CSV_ERROR_UNTERMINATED_QUOTE))
    {
      if (local_error->domain != CRM_CSV_ERROR)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_set_error (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_NO_HEADER,
                   _("The first row of the file cannot be read: %s"), local_error->message);
      return FALSE;
    }

  self->encoding = crm_csv_reader_get_encoding (reader);
  self->delimiter = crm_csv_reader_get_delimiter (reader);
  self->has_header = crm_csv_reader_get_has_header (reader);
  header = crm_csv_reader_get_header (reader, &n_header);

  if (self->has_header && header == NULL)
    {
      g_set_error (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_NO_HEADER,
                   _("The file is empty or its header row cannot be read%s%s"),
                   local_error ? ": " : "", local_error ? local_error->message : "");
      return FALSE;
    }

  /* Preview rows (bad ones are left out of the preview; the run reports them). */
  for (;;)
    {
      if (got_row)
        {
          guint n;
          const char * const *fields = crm_csv_reader_get_fields (reader, &n);

          g_ptr_array_add (self->preview, g_strdupv ((char **) fields));
          self->preview_rows++;
        }
      g_clear_error (&local_error);
      if (self->preview->len >= PREVIEW_ROWS || crm_csv_reader_is_finished (reader))
        break;
      got_row = crm_csv_reader_next (reader, cancellable, &local_error);
      if (!got_row && local_error == NULL)
        break;
    }
  self->preview_bytes = crm_csv_reader_get_bytes_read (reader);

  if (self->has_header)
    {
      self->columns = g_strdupv ((char **) header);
      self->n_columns = n_header;
    }
  else
    {
      guint n = 0;

      for (guint i = 0; i < self->preview->len; i++)
        n = MAX (n, g_strv_length (g_ptr_array_index (self->preview, i)));
      self->n_columns = n;
      self->columns = g_new0 (char *, n + 1);
      for (guint i = 0; i < n; i++)
        self->columns[i] = g_strdup_printf (_("Column %u"), i + 1);
    }

  self->plan = g_new (int, MAX (self->n_columns, 1));
  self->prio = g_new (int, MAX (self->n_columns, 1));

  /* A known export? */
  if (self->has_header)
    {
      g_autoptr(GHashTable) norm = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      for (guint c = 0; c < self->n_columns; c++)
        g_hash_table_add (norm, crm_customer_fields_normalize_header (self->columns[c]));
      self->preset = find_preset (self->kind, norm);
    }

  if (self->preset != NULL)
    {
      guint n_aliases;
      const Alias *aliases = alias_table (self->preset->headers, &n_aliases);

      self->format = self->preset->format;
      apply_aliases (self, aliases, n_aliases);
    }
  else
    {
      guint n_aliases;
      const Alias *aliases = generic_aliases (self->kind, &n_aliases);

      apply_aliases (self, aliases, n_aliases);
    }

  if (self->has_header && load_remembered (self))
    self->remembered = TRUE;

  self->prepared = TRUE;
  return TRUE;
}

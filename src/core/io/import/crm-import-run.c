/* crm-import-run.c: crm_importer_run() in phases, and what every part of a run uses: rejects,
 * the change journal, new uuids, progress.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The phases, in order (crm-import.c says why each is done this way):
 *   run_init()          the Run: dictionaries, arena, text limits, file size
 *   open_rejects()      the rejects file, a CrmOutputFile: the target changes only at the end
 *   begin_run()         page cache and journal mode, BEGIN, cached statements, FTS triggers off
 *   choose_mode()       bulk (indexes dropped, keys in memory) or incremental
 *   write_rows()        the file's rows (crm-import-pipeline.c, crm-import-vcard.c)
 *   finish_and_commit() terms, tags, state rows, CREATE INDEX, triggers back, mapping, COMMIT
 *   after_commit()      the search index, the rejects file committed when rows were refused
 *   run_clear()         rollback on failure, pragmas back, memory freed
 */
#include "crm-import-private.h"
#include "crm-consent.h"

#include <time.h>

static void
clear_row_warning (gpointer data)
{
  g_free (((RowWarning *) data)->message);
}

/* Rejects: kept in memory (up to a limit) and written to the rejects file. */
gboolean
reject_cells (Run                 *run,
              guint64              line,
              const char * const  *cells,
              guint                n_cells,
              const char          *raw_text,
              int                  column,
              const char          *reason,
              GError             **error)
{
  CrmImporter *self = run->self;

  self->report.rejected++;
  if (self->rejects->len < MAX_KEPT_REJECTS)
    {
      CrmImportReject r = { line, column, NULL, g_strdup (reason) };

      if (column >= 0 && (guint) column < self->n_columns)
        r.column_name = g_strdup (self->columns[column]);
      g_array_append_val (self->rejects, r);
    }

  if (run->rejects_file != NULL)
    return reject_vcard (run, raw_text, reason, error);

  if (run->rejects != NULL)
    {
      g_autofree const char **row = g_new0 (const char *, self->n_columns + 2);
      g_autofree char *where = NULL;

      for (guint i = 0; i < self->n_columns; i++)
        row[i] = cells != NULL && i < n_cells ? cells[i] : "";
      if (cells == NULL)
        where = g_strdup_printf (_("Line %" PRIu64 ": %s"), line, reason);
      row[self->n_columns] = where ? where : reason;
      if (!crm_csv_writer_write_record (run->rejects, row, self->n_columns + 1, NULL, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
reject (Run         *run,
        int          column,
        const char  *reason,
        GError     **error)
{
  return reject_cells (run, run->line, run->cells, run->n_cells, run->raw_text, column, reason, error);
}

/* Warnings: a value the run could not use as it was, in a row it imported. */
void
warn (Run        *run,
      guint64     line,
      int         column,
      const char *message)
{
  CrmImporter *self = run->self;

  self->report.warnings++;
  if (self->warnings->len < MAX_KEPT_REJECTS)
    {
      CrmImportWarning w = { line, column, NULL, g_strdup (message) };

      if (column >= 0 && (guint) column < self->n_columns)
        w.column_name = g_strdup (self->columns[column]);
      g_array_append_val (self->warnings, w);
    }
}

static int
compare_row_warnings (gconstpointer a,
                      gconstpointer b)
{
  guint64 la = ((const RowWarning *) a)->line, lb = ((const RowWarning *) b)->line;

  return la < lb ? -1 : la > lb;
}

/* The warnings parse_customer() gave the row being written (freed); a vCard's name the line of
 * the property a cell came from. */
void
warn_row (Run     *run,
          GArray  *warnings)
{
  if (warnings == NULL)
    return;
  for (guint i = 0; i < warnings->len; i++)
    {
      RowWarning *w = &g_array_index (warnings, RowWarning, i);

      if (w->line != 0)
        continue;
      w->line = run->line;
      if (run->cell_lines != NULL && w->column >= 0 && (guint) w->column < run->n_cells &&
          run->cell_lines[w->column] != 0)
        w->line = run->cell_lines[w->column];
    }
  /* In file order (a card's own warnings were made first); the sort is stable. */
  g_array_sort (warnings, compare_row_warnings);
  for (guint i = 0; i < warnings->len; i++)
    {
      RowWarning *w = &g_array_index (warnings, RowWarning, i);
      warn (run, w->line, w->column, w->message);
    }
  g_array_unref (warnings);
}

void
row_warning (GArray     **warnings,
             int          column,
             char        *message)
{
  RowWarning w = { column, 0, message };

  if (*warnings == NULL)
    {
      *warnings = g_array_new (FALSE, FALSE, sizeof (RowWarning));
      g_array_set_clear_func (*warnings, clear_row_warning);
    }
  g_array_append_val (*warnings, w);
}

gboolean
step_done (Run           *run,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      if (rc == SQLITE_INTERRUPT && g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;
      return crm_store_set_error (run->store, rc, error);
    }
  return TRUE;
}

void
make_uuid (Run  *run,
           char  out[37])
{
  /* Version 7 (RFC 9562): time first, so the UNIQUE(uuid) index is appended to. */
  gint64 ms = run->now;
  guint8 b[16];
  guint64 rnd = g_random_int () | ((guint64) g_random_int () << 32);
  guint64 counter = run->uuid_counter++;

  b[0] = ms >> 40; b[1] = ms >> 32; b[2] = ms >> 24; b[3] = ms >> 16; b[4] = ms >> 8; b[5] = ms;
  b[6] = 0x70 | ((counter >> 36) & 0x0f);
  b[7] = counter >> 28;
  b[8] = 0x80 | ((counter >> 22) & 0x3f);
  b[9] = counter >> 14;
  b[10] = counter >> 6;
  b[11] = (counter << 2) | (rnd & 3);
  b[12] = rnd >> 8; b[13] = rnd >> 16; b[14] = rnd >> 24; b[15] = rnd >> 32;
  g_snprintf (out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
              b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
              b[13], b[14], b[15]);
}

/* One journal entry, at the run's time.  (A customers import journals its new customers with
 * one statement at the end: finish_and_commit().) */
gboolean
write_journal (Run               *run,
               CrmJournalEntity   entity,
               gint64             row_id,
               CrmJournalOp       op,
               guint64            fields,
               GError           **error)
{
  if (!run->journal)
    return TRUE;
  return crm_journal_append (run->store, entity, row_id, op, fields, run->now, error);
}

static void
new_state_column (gconstpointer    row,
                  int              column,
                  sqlite3_context *ctx)
{
  const NewState *st = row;

  if (column == 0)
    sqlite3_result_int64 (ctx, st->id);
  else
    sqlite3_result_int (ctx, st->stage);
}

/* Every customer added by the run gets its customer_state row: its stage from the file, else a
 * prospect, without a tier until the next recompute.  A row that a later line of the file made
 * already (set_stage() on a customer added earlier in the run) is kept. */
static gboolean
add_state_rows (Run     *run,
                GError **error)
{
  gboolean ok;

  if (run->new_states->len == 0)
    return TRUE;
  crm_store_attach_rows (run->store, "crm_import_states", "id, stage", run->new_states->data,
                         run->new_states->len, sizeof (NewState), new_state_column);
  ok = crm_store_exec (run->store, "INSERT OR IGNORE INTO customer_state (customer_id, lifecycle)"
                                   " SELECT id, stage FROM crm_import_states", error);
  crm_store_detach_rows (run->store, "crm_import_states");

  return ok;
}

/* Makes again the triggers or indexes a run dropped (crm_store_drop_objects()). */
static gboolean
recreate (Run        *run,
          GPtrArray  *saved,
          GError    **error)
{
  for (guint i = 0; i < saved->len; i++)
    if (!crm_store_exec (run->store, g_ptr_array_index (saved, i), error))
      {
        if (g_cancellable_is_cancelled (run->cancellable))
          {
            g_clear_error (error);
            g_cancellable_set_error_if_cancelled (run->cancellable, error);
          }
        return FALSE;
      }
  g_ptr_array_set_size (saved, 0);
  return TRUE;
}

/* The secondary indexes of customers (and of customer_state, whose rows add_state_rows() writes
 * in one statement) a bulk run drops and makes again with CREATE INDEX (a scan and a sort each).  Measured at 1M rows, keeping even the indexes a new row appends to
 * (aggregates, tier, lifecycle, city, e-mail domain: few values, every new id larger) costs as
 * much per row as CREATE INDEX does (≈ 0.5 µs per row and index), and the indexes written at a
 * random place (name, phone, e-mail, uuid) cost several times that.  Kept: the partial indexes
 * over a field no column is mapped to, which the run leaves empty (a CREATE INDEX would scan
 * the table for nothing). */
static char *
dropped_index_select (Run *run)
{
  CrmImporter *self = run->self;
  gboolean mapped[T_N] = { FALSE };
  g_autoptr(GString) unmapped = g_string_new ("''");

  for (guint c = 0; c < self->n_columns; c++)
    if (self->plan[c] >= 0)
      mapped[self->plan[c]] = TRUE;
  if (!mapped[T_PHONE])
    g_string_append (unmapped, ", 'phone_digits', 'phone_rev'");
  if (!mapped[T_EMAIL])
    g_string_append (unmapped, ", 'email_key', 'email_domain'");
  if (!mapped[T_EXTERNAL_ID])
    g_string_append (unmapped, ", 'external_id'");
  return g_strdup_printf ("SELECT m.name, m.sql FROM sqlite_master AS m, pragma_index_info (m.name) AS i"
                          " WHERE m.type = 'index' AND m.tbl_name IN ('customers', 'customer_state')"
                          " AND m.sql IS NOT NULL"
                          " AND i.seqno = 0 AND i.name NOT IN (%s)", unmapped->str);
}

void
report_progress (Run      *run,
                 gboolean  indexing,
                 gboolean  force)
{
  gint64 now = g_get_monotonic_time ();
  CrmImportProgressInfo info;

  if (run->progress == NULL || (!force && now - run->t_last_progress < 100000))
    return;
  run->t_last_progress = now;
  info.rows = run->rows;
  info.bytes_read = run->reader ? crm_csv_reader_get_bytes_read (run->reader) : run->vcard_bytes;
  info.bytes_total = run->bytes_total;
  info.rows_per_second = now > run->t_start ? run->rows / ((now - run->t_start) / 1e6) : 0;
  info.indexing = indexing;
  info.committed = run->committed;
  run->progress (&info, run->user_data);
}

/* Phases of a run for G_MESSAGES_DEBUG (bench/RESULTS.md): wall time, and the CPU time
 * of this thread and of the whole process, which a busy machine disturbs much less. */
static void
phase_debug (Run        *run,
             const char *what)
{
  struct timespec self = { 0 }, thread = { 0 };

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &self);
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &thread);
  g_debug ("import: %s after %.2f s (CPU: writer %.2f s, process %.2f s)", what,
           (g_get_monotonic_time () - run->t_start) / 1e6,
           thread.tv_sec + thread.tv_nsec / 1e9, self.tv_sec + self.tv_nsec / 1e9);
}

/* A run needs at least one mapped column, and an orders run the order date. */
static gboolean
check_mapping (CrmImporter  *self,
               GError      **error)
{
  gboolean have_mapping = FALSE;

  for (guint c = 0; c < self->n_columns; c++)
    have_mapping |= self->plan[c] >= 0;
  if (!have_mapping)
    {
      g_set_error_literal (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_BAD_MAPPING,
                           _("No column is mapped to a field: choose at least one"));
      return FALSE;
    }
  if (self->kind == CRM_IMPORT_ORDERS)
    {
      gboolean has_date = FALSE;

      for (guint c = 0; c < self->n_columns; c++)
        has_date |= self->plan[c] == T_O_PLACED_AT;
      if (!has_date)
        {
          g_set_error_literal (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_BAD_MAPPING,
                               _("No column is mapped to the order date (placed_at)"));
          return FALSE;
        }
    }
  return TRUE;
}

static void
run_init (Run                *run,
          CrmImporter        *self,
          CrmImportProgress   progress,
          gpointer            user_data,
          GCancellable       *cancellable)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFile) file = NULL;
  const CrmCustomerFieldInfo *fields;
  guint n_fields;

  run->self = self;
  run->store = self->store;
  run->db = crm_store_get_db (self->store);
  run->cancellable = cancellable;
  run->progress = progress;
  run->user_data = user_data;
  run->now = crm_now_ms ();
  run->journal = !self->tuning.no_journal;
  run->fts_by_trigger = self->tuning.fts_by_trigger;
  run->touched_customers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  run->arena.alloc = 64 * 1024;
  run->arena.buf = g_malloc (run->arena.alloc);
  run->arena.big = g_ptr_array_new_with_free_func (g_free);
  run->triggers = g_ptr_array_new_with_free_func (g_free);
  run->indexes = g_ptr_array_new_with_free_func (g_free);
  run->t_start = g_get_monotonic_time ();

  fields = crm_customer_fields_get (&n_fields);
  for (guint t = 0; t < n_fields; t++)
    if (crm_customer_field_get_gtype (&fields[t]) == G_TYPE_STRING)
      run->max_chars[t] = fields[t].max_chars;
  /* The parts are held to the limit of what they are joined into. */
  run->max_chars[T_FIRST_NAME] = run->max_chars[T_LAST_NAME] = run->max_chars[T_NAME];
  run->max_chars[T_ADDRESS2] = run->max_chars[T_ADDRESS];

  file = g_file_new_for_path (self->path);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, cancellable, NULL);
  run->bytes_total = info ? g_file_info_get_size (info) : 0;
}

/* The rejected rows become the rejects file. */
static gboolean
commit_rejects (Run     *run,
                GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if ((run->rejects == NULL || crm_csv_writer_close (run->rejects, NULL, &local_error)) &&
      (run->rejects_file == NULL || crm_output_file_commit (run->rejects_file, NULL, &local_error)))
    return TRUE;
  g_set_error (error, local_error->domain, local_error->code,
               _("The import is done, but the rejected rows could not be saved: %s"), local_error->message);
  return FALSE;
}

static gboolean
open_rejects (Run     *run,
              GError **error)
{
  CrmImporter *self = run->self;

  if (self->rejects_path == NULL)
    return TRUE;
  /* Through a CrmOutputFile (the CSV writer's own, or this one): nothing at a name beside the
   * target, and the target only changes when there are rejected rows to put there. */
  if (self->is_vcard)
    return (run->rejects_file = crm_output_file_new (self->rejects_path, error)) != NULL;
  else
    {
      g_autofree const char **header = g_new0 (const char *, self->n_columns + 2);

      /* UTF-8 with BOM: what the user opens next is Excel, to fix the rows. */
      run->rejects = crm_csv_writer_new_for_path (self->rejects_path, CRM_CSV_ENCODING_UTF8_BOM, error);
      if (run->rejects == NULL)
        return FALSE;
      for (guint c = 0; c < self->n_columns; c++)
        header[c] = self->columns[c];
      header[self->n_columns] = "reason";
      if (self->has_header &&
          !crm_csv_writer_write_record (run->rejects, header, self->n_columns + 1, run->cancellable, error))
        return FALSE;
    }
  return TRUE;
}

/* The connection set for the run, the transaction begun, the statements of every row prepared
 * and the per-row triggers dropped. */
static gboolean
begin_run (Run     *run,
           GError **error)
{
  CrmImporter *self = run->self;

  run->cache_size = crm_db_query_int64 (run->db, "PRAGMA cache_size", -2000);
  /* A large run on a file nobody else has open (the CLI): a rollback journal instead of the WAL,
   * so that the pages are written once, to the database, and not to the WAL and then again by
   * the checkpoint; new pages at the end of the file need no journal at all.  synchronous stays
   * as the store set it.  With another connection open the switch fails and WAL stays. */
  if (self->kind == CRM_IMPORT_CUSTOMERS && !self->is_vcard && self->preview_rows > 0 &&
      run->bytes_total / MAX (1, self->preview_bytes / self->preview_rows) >= BULK_MIN_ROWS &&
      !self->tuning.keep_wal)
    {
      run->journal_mode = crm_db_query_text (run->db, "PRAGMA journal_mode");
      g_free (crm_db_query_text (run->db, "PRAGMA journal_mode = TRUNCATE"));
    }
  {
    /* The page cache of the run, in MiB. */
    guint64 mb = self->tuning.cache_mb ? self->tuning.cache_mb : 256;
    g_autofree char *pragma = g_strdup_printf ("PRAGMA cache_size = -%" G_GUINT64_FORMAT, mb * 1024);
    if (!crm_store_exec (self->store, pragma, error))
      return FALSE;
  }
  if (!crm_store_begin (self->store, error))
    return FALSE;
  run->in_tx = TRUE;
  /* Consent changes of the customers it updates are the import's (customers_consent_au); the
   * row goes before the commit, and with a rollback. */
  if (!crm_store_exec (self->store, "INSERT OR REPLACE INTO settings (key, value) VALUES ('consent.source', 'import')",
                       error))
    return FALSE;
  if (run->cancellable != NULL)
    crm_store_set_cancellable (self->store, run->cancellable);

  /* Read in the transaction: a change of region (which re-keys the numbers) waits for the run. */
  run->region = crm_store_dup_region (self->store);
  run->first_new_id = crm_db_query_int64 (run->db, "SELECT coalesce(max(id), 0) + 1 FROM customers", 1);
  run->new_states = g_array_new (FALSE, FALSE, sizeof (NewState));
  run->next_id = run->first_new_id;
  run->terms = crm_search_pairs_new (CRM_SEARCH_TERMS, run->first_new_id);
  run->tags = crm_search_pairs_new (CRM_SEARCH_TAGS, run->first_new_id);
  if (!(run->insert_stmt = crm_store_prepare (self->store,
          "INSERT INTO customers (id, uuid, created_at, updated_at, name, gender, birthday, phone, email,"
          " company, occupation, address, city, region, country, postal_code, source, tags, notes,"
          " email_consent, email_consent_at, sms_consent, sms_consent_at, owner, external_id, "
          CRM_SEARCH_KEY_COLUMNS ", " CRM_SEARCH_NAME_KEY_COLUMN ")"
          " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", error)))
    return FALSE;

  if (!run->fts_by_trigger && !crm_search_suspend_fts (self->store, TRUE, run->triggers, error))
    return FALSE;
  return crm_store_drop_objects (self->store, "TRIGGER",
                                 "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                                 " AND name = 'customers_state_ai'", run->triggers, error);
}

/* Bulk mode: the file adds at least as many customers as there are. */
static gboolean
choose_mode (Run     *run,
             GError **error)
{
  CrmImporter *self = run->self;
  gint64 existing_rows = crm_db_query_int64 (run->db, "SELECT count(*) FROM customers", 0);

  if (self->kind == CRM_IMPORT_CUSTOMERS && !self->is_vcard)
    {
      /* Rows in the file, from the preview rows' length (cells + delimiters + line end). */
      gsize preview_len = 0;
      guint64 estimate;

      for (guint i = 0; i < self->preview->len; i++)
        {
          char **cells = g_ptr_array_index (self->preview, i);
          for (guint c = 0; cells[c]; c++)
            preview_len += strlen (cells[c]) + 1;
        }
      estimate = preview_len > 0 ? run->bytes_total / MAX (1, preview_len / self->preview->len) : 0;

      run->bulk = estimate >= BULK_MIN_ROWS && (gint64) estimate >= existing_rows;
      if (self->tuning.mode == CRM_IMPORT_MODE_BULK)
        run->bulk = TRUE;
      else if (self->tuning.mode == CRM_IMPORT_MODE_INCREMENTAL)
        run->bulk = FALSE;
    }
  if (run->bulk)
    {
      g_autofree char *select = dropped_index_select (run);

      if (!crm_store_drop_objects (self->store, "INDEX", select, run->indexes, error) ||
          !load_existing_keys (run, error))
        return FALSE;
    }
  g_debug ("import: %s mode, %" G_GINT64_FORMAT " customers before", run->bulk ? "bulk" : "incremental", existing_rows);
  return TRUE;
}

static gboolean
write_rows (Run     *run,
            GError **error)
{
  CrmImporter *self = run->self;

  if (self->is_vcard ? !run_vcard (run, error) :
      self->kind == CRM_IMPORT_CUSTOMERS && !self->tuning.one_thread ? !run_csv_customers (run, error) :
      !run_csv (run, error))
    return FALSE;

  report_progress (run, TRUE, TRUE);
  phase_debug (run, "rows read and written");
  return self->kind != CRM_IMPORT_ORDERS || update_aggregates (run, error);
}

/* Everything the rows need besides themselves, written in this transaction, and the commit. */
static gboolean
finish_and_commit (Run     *run,
                   GError **error)
{
  CrmImporter *self = run->self;
  GCancellable *cancellable = run->cancellable;

  /* The short-query terms are part of the search index, written after the commit with the
   * full-text index (below); the tags are a filter and go in with the rows. */
  run->search_pending = !run->fts_by_trigger && run->next_id > run->first_new_id;
  if ((!run->search_pending && !crm_search_pairs_write (run->terms, self->store, error)) ||
      !crm_search_pairs_write (run->tags, self->store, error))
    return FALSE;
  phase_debug (run, "tags written");
  /* The new customers of a customers import: one journal entry each, by one statement (an
   * orders import journals the customers it makes as it goes, before their orders). */
  if (self->kind == CRM_IMPORT_CUSTOMERS && run->journal &&
      !crm_journal_append_range (self->store, CRM_JOURNAL_ENTITY_CUSTOMER, CRM_JOURNAL_INSERT,
                                 run->first_new_id, run->next_id - 1, run->now, error))
    return FALSE;
  phase_debug (run, "journal written");
  /* Consent columns of the file (Shopify's "Accepts Email Marketing"): the new customers' grants
   * start their consent history. */
  if ((self->kind == CRM_IMPORT_CUSTOMERS &&
       !crm_consent_add_imported (self->store, run->first_new_id, run->next_id - 1, run->now, error)) ||
      !crm_store_exec (self->store, "DELETE FROM settings WHERE key = 'consent.source'", error))
    return FALSE;
  if (!add_state_rows (run, error))
    return FALSE;
  phase_debug (run, "state rows written");
  if (!crm_store_create_indexes (self->store, run->indexes, error))
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_clear_error (error);
          g_cancellable_set_error_if_cancelled (cancellable, error);
        }
      return FALSE;
    }
  phase_debug (run, "indexes made");
  if (!recreate (run, run->triggers, error))
    return FALSE;
  /* The new rows reach the search index after the commit (crm_store_finish_search_index()):
   * the mark below, in this transaction, makes sure they do even if this process stops. */
  if (run->search_pending)
    {
      run->data_version = crm_store_get_data_version (self->store);
      if (!crm_store_set_search_pending (self->store, run->first_new_id, error))
        return FALSE;
    }

  if (self->has_header && !self->is_vcard && !save_mapping (self, error))
    return FALSE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  /* The order hooks run in the commit, still cancellable. */
  if (!crm_store_commit (self->store, error))
    return FALSE;
  run->in_tx = FALSE;
  if (cancellable != NULL)
    crm_store_set_cancellable (self->store, NULL);
  phase_debug (run, "committed");
  return TRUE;
}

/* Committed: from here on a cancel cannot undo the import, so the indexing is not cancelled. */
static gboolean
after_commit (Run     *run,
              GError **error)
{
  CrmImporter *self = run->self;

  run->committed = TRUE;
  report_progress (run, TRUE, TRUE);
  if (run->search_pending &&
      !crm_store_finish_search_index (self->store, run->data_version, run->terms, error))
    return FALSE;
  phase_debug (run, "search index filled");

  return self->report.rejected == 0 || commit_rejects (run, error);
}

/* After the run, whatever its outcome: a rollback if it failed, the connection as it was. */
static void
run_clear (Run      *run,
           gboolean  ok,
           GError  **error)
{
  CrmImporter *self = run->self;
  GCancellable *cancellable = run->cancellable;

  if (cancellable != NULL)
    crm_store_set_cancellable (self->store, NULL);
  /* A statement interrupted by the cancel reports itself as a database error: say what it was. */
  if (!ok && g_cancellable_is_cancelled (cancellable) && error != NULL && *error != NULL &&
      !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (error);
      g_cancellable_set_error_if_cancelled (cancellable, error);
    }
  if (run->in_tx)
    {
      /* The dropped triggers and indexes come back with the rollback. */
      crm_store_rollback (self->store);
      memset (&self->report, 0, sizeof self->report);
      g_array_set_size (self->rejects, 0);
      g_array_set_size (self->warnings, 0);
    }
  if (run->cache_size != 0)
    {
      g_autofree char *sql = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, run->cache_size);
      crm_store_exec (self->store, sql, NULL);
    }
  if (run->journal_mode != NULL)
    {
      /* The mode is a keyword SQLite itself returned ("wal"). */
      g_autofree char *sql = g_strdup_printf ("PRAGMA journal_mode = %s", run->journal_mode);
      g_autofree char *mode = crm_db_query_text (run->db, sql);

      if (mode == NULL || g_ascii_strcasecmp (mode, run->journal_mode) != 0)
        g_warning ("Could not set the journal mode of the database back to %s", run->journal_mode);
    }
  /* Not committed (nothing refused, or the import failed): the target stays as it was. */
  g_clear_object (&run->rejects);
  g_clear_object (&run->rejects_file);
  g_free (run->keys.slots);
  g_clear_pointer (&run->deleted_uuids, g_hash_table_unref);
  g_clear_pointer (&run->terms, crm_search_pairs_free);
  g_clear_pointer (&run->tags, crm_search_pairs_free);
  g_clear_pointer (&run->new_states, g_array_unref);
  g_hash_table_unref (run->touched_customers);
  g_free (run->arena.buf);
  g_ptr_array_unref (run->arena.big);
  g_ptr_array_unref (run->triggers);
  g_ptr_array_unref (run->indexes);
  g_free (run->journal_mode);
  g_free (run->region);
}

gboolean
crm_importer_run (CrmImporter        *self,
                  CrmImportProgress   progress,
                  gpointer            user_data,
                  GCancellable       *cancellable,
                  GError            **error)
{
  Run run = { 0 };
  g_autofree char *store_currency = NULL;
  g_autoptr(CrmStoreOperation) operation = NULL;
  gboolean ok;

  g_return_val_if_fail (CRM_IS_IMPORTER (self), FALSE);
  /* Others waiting for the lock can say an import holds it. */
  operation = crm_store_operation_push (self->store, "import");

  memset (&self->report, 0, sizeof self->report);
  g_array_set_size (self->rejects, 0);
  g_array_set_size (self->warnings, 0);

  if (!self->prepared && !crm_importer_prepare (self, cancellable, error))
    return FALSE;
  if (!check_mapping (self, error))
    return FALSE;

  if (self->currency == NULL)
    {
      store_currency = crm_store_get_setting (self->store, "currency");
      crm_importer_set_currency (self, store_currency ? store_currency : "CNY");
    }

  run_init (&run, self, progress, user_data, cancellable);
  ok = open_rejects (&run, error) &&
       begin_run (&run, error) &&
       choose_mode (&run, error) &&
       write_rows (&run, error) &&
       finish_and_commit (&run, error) &&
       after_commit (&run, error);
  /* A statement the cancel interrupted fails with SQLite's error: the run was cancelled. */
  if (!ok && !run.committed && g_cancellable_is_cancelled (cancellable) &&
      !g_error_matches (error ? *error : NULL, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (error);
      g_cancellable_set_error_if_cancelled (cancellable, error);
    }
  run_clear (&run, ok, error);

  self->report.rows = ok ? run.rows : 0;
  self->report.seconds = (g_get_monotonic_time () - run.t_start) / 1e6;
  if (ok)
    report_progress (&run, FALSE, TRUE);
  return ok;
}

/* crm-import-pipeline.c: the rows of a CSV file, read on one thread (run_csv()) or,
 * for customers, on two (run_csv_customers())
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-import-private.h"

/* Why a row does not fit the header, or NULL. */
static char *
row_shape_reason (CrmImporter         *self,
                  const char * const  *cells,
                  guint                n_cells)
{
  if (!self->has_header)
    return NULL;
  if (n_cells < self->n_columns)
    return g_strdup_printf (_("The row has %u of the %u columns; the file may be cut off, or a cell holds an unquoted line break"),
                            n_cells, self->n_columns);
  for (guint c = self->n_columns; c < n_cells; c++)
    if (cells[c][0] != '\0')
      return g_strdup_printf (_("The row has %u columns, the header %u; a cell may hold an unquoted delimiter"),
                              n_cells, self->n_columns);
  return NULL;
}

static gboolean
check_row_shape (Run                 *run,
                 const char * const  *cells,
                 guint                n_cells,
                 GError             **error,
                 gboolean            *ok)
{
  g_autofree char *reason = row_shape_reason (run->self, cells, n_cells);

  *ok = reason == NULL;
  if (reason != NULL)
    return reject (run, -1, reason, error);
  return TRUE;
}

gboolean
run_csv (Run      *run,
         GError  **error)
{
  CrmImporter *self = run->self;
  g_autoptr(CrmCsvReader) reader = NULL;
  OrderGroup group = { 0 };
  gboolean ok = TRUE;

  if (!(reader = open_reader (self, error)))
    return FALSE;
  run->reader = reader;
  group.lines = g_ptr_array_new_with_free_func ((GDestroyNotify) free_line);
  group.rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  group.row_lines = g_array_new (FALSE, FALSE, sizeof (guint64));

  for (;;)
    {
      g_autoptr(GError) row_error = NULL;
      const char * const *cells;
      guint n_cells;
      gboolean shape_ok;

      if (!crm_csv_reader_next (reader, run->cancellable, &row_error))
        {
          if (row_error == NULL)
            break;
          if (crm_csv_reader_is_finished (reader))
            {
              /* The rest of the file cannot be read: nothing of it is imported. */
              if (row_error->domain == CRM_CSV_ERROR)
                g_set_error (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_UNREADABLE,
                             _("Nothing was imported: %s"), row_error->message);
              else
                g_propagate_error (error, g_steal_pointer (&row_error));
              ok = FALSE;
              break;
            }
          /* A record the reader could not read (bad bytes, NUL, too large): rejected as a whole. */
          run->rows++;
          run->cells = NULL;
          run->n_cells = 0;
          run->line = crm_csv_reader_get_line (reader);
          if (!(ok = reject (run, -1, row_error->message, error)))
            break;
          continue;
        }

      run->rows++;
      cells = crm_csv_reader_get_fields (reader, &n_cells);
      run->cells = cells;
      run->n_cells = n_cells;
      run->line = crm_csv_reader_get_line (reader);

      if (!(ok = check_row_shape (run, cells, n_cells, error, &shape_ok)))
        break;
      if (shape_ok)
        {
          if (self->kind == CRM_IMPORT_CUSTOMERS)
            ok = import_customer_cells (run, cells, n_cells, error);
          else
            ok = add_order_row (run, &group, cells, n_cells, error);
          if (!ok)
            break;
        }

      if ((run->rows & (PROGRESS_EVERY - 1)) == 0)
        {
          if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
            {
              ok = FALSE;
              break;
            }
          report_progress (run, FALSE, FALSE);
        }
    }

  if (ok && self->kind == CRM_IMPORT_ORDERS)
    ok = flush_order (run, &group, error);
  group_clear (&group);
  g_ptr_array_unref (group.lines);
  g_ptr_array_unref (group.rows);
  g_array_unref (group.row_lines);
  run->reader = NULL;
  return ok;
}

/* ---- customers from CSV on two threads ----
 *
 * Reading, decoding and checking a row (CSV parsing, UTF-8 and length checks, dates, search
 * keys, short-query terms) is pure C and takes about as long as writing it; SQLite writes are
 * single-threaded.  So a reading thread fills batches of parsed rows and this thread writes
 * them, in file order: duplicates, rejects (and their order in the rejects file), ids and the
 * journal are decided here exactly as in run_csv(). */

#define BATCH_ROWS     2048
#define BATCH_ARENA    (2 * 1024 * 1024)
#define N_BATCHES      4

typedef struct
{
  guint64   line;
  guint     first_cell;
  guint     n_cells;
  gboolean  has_cells;     /* FALSE: the reader could not read the record */
  gboolean  rejected;
  int       reject_col;
  char     *reason;
  GArray   *warnings;      /* RowWarning, or NULL */
  guint     first_term, n_terms, first_tag, n_tags;
  Values    v;
  Customer  c;
} ParsedRow;

typedef struct
{
  ParsedRow  *rows;
  guint       n_rows;
  GPtrArray  *cells;       /* const char *, into arena */
  GArray     *ids;         /* guint32 term and tag ids */
  Arena       arena;
  guint64     bytes_read;
  gboolean    end;         /* the last batch */
  GError     *error;       /* with end: why the file could not be read to its end */
} Batch;

static Batch *
batch_new (void)
{
  Batch *b = g_new0 (Batch, 1);

  b->rows = g_new0 (ParsedRow, BATCH_ROWS);
  b->cells = g_ptr_array_sized_new (BATCH_ROWS * 40);
  b->ids = g_array_sized_new (FALSE, FALSE, sizeof (guint32), BATCH_ROWS * 8);
  b->arena.alloc = BATCH_ARENA;
  b->arena.buf = g_malloc (BATCH_ARENA);
  b->arena.big = g_ptr_array_new_with_free_func (g_free);
  return b;
}

static void
batch_reset (Batch *b)
{
  for (guint i = 0; i < b->n_rows; i++)
    {
      g_clear_pointer (&b->rows[i].reason, g_free);
      g_clear_pointer (&b->rows[i].warnings, g_array_unref);
      customer_clear (&b->rows[i].c);
    }
  b->n_rows = 0;
  g_ptr_array_set_size (b->cells, 0);
  g_array_set_size (b->ids, 0);
  arena_reset (&b->arena);
  b->end = FALSE;
  g_clear_error (&b->error);
}

static void
batch_free (Batch *b)
{
  batch_reset (b);
  g_free (b->rows);
  g_ptr_array_unref (b->cells);
  g_array_unref (b->ids);
  g_free (b->arena.buf);
  g_ptr_array_unref (b->arena.big);
  g_free (b);
}

typedef struct
{
  Run           *run;
  CrmCsvReader  *reader;
  GAsyncQueue   *free_batches;
  GAsyncQueue   *full_batches;
} Pipe;

static void
parse_row (Run                 *run,
           Batch               *b,
           const char * const  *cells,
           guint                n_cells,
           guint64              line)
{
  ParsedRow *r = &b->rows[b->n_rows++];
  const char * const *copy;
  int col = -1;

  r->line = line;
  r->has_cells = TRUE;
  r->rejected = FALSE;
  r->first_cell = b->cells->len;
  r->n_cells = n_cells;
  for (guint i = 0; i < n_cells; i++)
    g_ptr_array_add (b->cells, (gpointer) arena_dup (&b->arena, cells[i], strlen (cells[i])));
  copy = (const char * const *) b->cells->pdata + r->first_cell;

  if ((r->reason = row_shape_reason (run->self, copy, n_cells)) != NULL)
    {
      r->rejected = TRUE;
      r->reject_col = -1;
      return;
    }
  collect_values (run, &b->arena, copy, n_cells, &r->v);
  if ((r->reason = parse_customer (run, &b->arena, &r->v, &r->c, &col, &r->warnings)) != NULL)
    {
      customer_clear (&r->c);
      g_clear_pointer (&r->warnings, g_array_unref);
      r->rejected = TRUE;
      r->reject_col = col;
      return;
    }

  /* Interned here, on the reading thread; the writing thread adds the customer's rows. */
  r->first_term = b->ids->len;
  crm_search_pairs_intern (run->terms, r->c.name, b->ids);
  r->n_terms = b->ids->len - r->first_term;
  r->first_tag = b->ids->len;
  crm_search_pairs_intern (run->tags, r->v.v[T_TAGS], b->ids);
  r->n_tags = b->ids->len - r->first_tag;
}

static gpointer
read_rows (gpointer data)
{
  Pipe *pipe = data;
  Run *run = pipe->run;

  for (;;)
    {
      Batch *b = g_async_queue_pop (pipe->free_batches);

      batch_reset (b);
      if (g_atomic_int_get (&run->stop))
        b->end = TRUE;
      while (!b->end && b->n_rows < BATCH_ROWS && b->arena.len < BATCH_ARENA / 2)
        {
          GError *row_error = NULL;
          const char * const *cells;
          guint n_cells;

          if (!crm_csv_reader_next (pipe->reader, run->cancellable, &row_error))
            {
              if (row_error == NULL || crm_csv_reader_is_finished (pipe->reader))
                {
                  b->end = TRUE;
                  b->error = row_error;
                  break;
                }
              /* A record the reader could not read (bad bytes, NUL, too large): rejected whole. */
              {
                ParsedRow *r = &b->rows[b->n_rows++];

                r->line = crm_csv_reader_get_line (pipe->reader);
                r->has_cells = FALSE;
                r->n_cells = 0;
                r->rejected = TRUE;
                r->reject_col = -1;
                r->reason = g_strdup (row_error->message);
                g_error_free (row_error);
              }
              continue;
            }
          cells = crm_csv_reader_get_fields (pipe->reader, &n_cells);
          parse_row (run, b, cells, n_cells, crm_csv_reader_get_line (pipe->reader));
        }
      b->bytes_read = crm_csv_reader_get_bytes_read (pipe->reader);
      g_async_queue_push (pipe->full_batches, b);
      if (b->end)
        return NULL;
    }
}

static gboolean
write_parsed_row (Run        *run,
                  Batch      *b,
                  ParsedRow  *r,
                  GError    **error)
{
  CrmImporter *self = run->self;
  RowResult res;
  gint64 id;

  run->rows++;
  run->line = r->line;
  run->cells = r->has_cells ? (const char * const *) b->cells->pdata + r->first_cell : NULL;
  run->n_cells = r->has_cells ? r->n_cells : 0;
  if (r->rejected)
    return reject (run, r->reject_col, r->reason, error);

  r->c.terms_ready = TRUE;
  r->c.term_ids = (const guint32 *) b->ids->data + r->first_term;
  r->c.n_terms = r->n_terms;
  r->c.tag_ids = (const guint32 *) b->ids->data + r->first_tag;
  r->c.n_tags = r->n_tags;
  if (!import_parsed_customer (run, &r->v, &r->c, g_steal_pointer (&r->warnings), FALSE, &id, &res, error))
    return FALSE;
  count_result (&self->report, res);
  return TRUE;
}

gboolean
run_csv_customers (Run      *run,
                   GError  **error)
{
  g_autoptr(CrmCsvReader) reader = NULL;
  Pipe pipe = { run, NULL, NULL, NULL };
  GThread *thread;
  gboolean ok = TRUE, done = FALSE;
  Batch *b;

  if (!(reader = open_reader (run->self, error)))
    return FALSE;
  pipe.reader = reader;
  pipe.free_batches = g_async_queue_new ();
  pipe.full_batches = g_async_queue_new ();
  for (guint i = 0; i < N_BATCHES; i++)
    g_async_queue_push (pipe.free_batches, batch_new ());
  g_atomic_int_set (&run->stop, 0);
  thread = g_thread_new ("import-read", read_rows, &pipe);

  while (!done)
    {
      b = g_async_queue_pop (pipe.full_batches);
      for (guint i = 0; ok && i < b->n_rows; i++)
        ok = write_parsed_row (run, b, &b->rows[i], error);
      run->vcard_bytes = b->bytes_read;
      if (ok && b->error != NULL)
        {
          /* The rest of the file cannot be read: nothing of it is imported. */
          if (b->error->domain == CRM_CSV_ERROR)
            g_set_error (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_UNREADABLE,
                         _("Nothing was imported: %s"), b->error->message);
          else
            g_propagate_error (error, g_steal_pointer (&b->error));
          ok = FALSE;
        }
      if (ok && g_cancellable_set_error_if_cancelled (run->cancellable, error))
        ok = FALSE;
      if (ok)
        report_progress (run, FALSE, FALSE);
      else
        g_atomic_int_set (&run->stop, 1);
      done = b->end;
      if (!done)
        g_async_queue_push (pipe.free_batches, b);
    }
  g_thread_join (thread);
  batch_free (b);
  while ((b = g_async_queue_try_pop (pipe.free_batches)) != NULL)
    batch_free (b);
  g_async_queue_unref (pipe.free_batches);
  g_async_queue_unref (pipe.full_batches);
  return ok;
}

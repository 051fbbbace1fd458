/* crm-store-rows.c: an array of C structs as a read-only SQL table.
 *
 * Bulk writers that computed their rows in C (the recompute: 1M tier and stage changes,
 * 600k RFM scores) hand them to SQLite as one INSERT … SELECT or UPDATE … FROM over this
 * table, instead of binding, stepping and resetting a statement per row, which costs about
 * 1 µs a row more.  It is an eponymous-only virtual table (https://sqlite.org/vtab.html):
 * registered under its name for the time of the writes, read in array order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-store.h"

#include <string.h>

typedef struct
{
  char              *schema;   /* CREATE TABLE x(columns) */
  const guint8      *rows;
  gsize              n_rows;
  gsize              stride;
  CrmRowsColumnFunc  column;
} Rows;

typedef struct
{
  sqlite3_vtab  base;
  Rows         *rows;
} RowsTable;

typedef struct
{
  sqlite3_vtab_cursor  base;
  gsize                at;
} RowsCursor;

static void
rows_free (void *data)
{
  Rows *rows = data;

  g_free (rows->schema);
  g_free (rows);
}

static int
rows_connect (sqlite3             *db,
              void                *aux,
              int                  argc,
              const char * const  *argv,
              sqlite3_vtab       **out,
              char               **err)
{
  Rows *rows = aux;
  RowsTable *table;
  int rc = sqlite3_declare_vtab (db, rows->schema);

  (void) argc; (void) argv; (void) err;
  if (rc != SQLITE_OK)
    return rc;
  table = sqlite3_malloc (sizeof *table);
  if (table == NULL)
    return SQLITE_NOMEM;
  memset (table, 0, sizeof *table);
  table->rows = rows;
  *out = &table->base;

  return SQLITE_OK;
}

static int
rows_disconnect (sqlite3_vtab *vtab)
{
  sqlite3_free (vtab);
  return SQLITE_OK;
}

/* No constraint is used (every read is a full scan); a scan comes out in rowid order. */
static int
rows_best_index (sqlite3_vtab       *vtab,
                 sqlite3_index_info *info)
{
  Rows *rows = ((RowsTable *) vtab)->rows;

  info->estimatedCost = (double) rows->n_rows + 1;
  info->estimatedRows = (sqlite3_int64) rows->n_rows;
  if (info->nOrderBy == 1 && info->aOrderBy[0].iColumn < 0 && !info->aOrderBy[0].desc)
    info->orderByConsumed = 1;

  return SQLITE_OK;
}

static int
rows_open (sqlite3_vtab         *vtab,
           sqlite3_vtab_cursor **out)
{
  RowsCursor *cursor = sqlite3_malloc (sizeof *cursor);

  (void) vtab;
  if (cursor == NULL)
    return SQLITE_NOMEM;
  memset (cursor, 0, sizeof *cursor);
  *out = &cursor->base;

  return SQLITE_OK;
}

static int
rows_close (sqlite3_vtab_cursor *cursor)
{
  sqlite3_free (cursor);
  return SQLITE_OK;
}

static int
rows_filter (sqlite3_vtab_cursor  *cursor,
             int                   index_num,
             const char           *index_str,
             int                   argc,
             sqlite3_value       **argv)
{
  (void) index_num; (void) index_str; (void) argc; (void) argv;
  ((RowsCursor *) cursor)->at = 0;
  return SQLITE_OK;
}

static int
rows_next (sqlite3_vtab_cursor *cursor)
{
  ((RowsCursor *) cursor)->at++;
  return SQLITE_OK;
}

static int
rows_eof (sqlite3_vtab_cursor *cursor)
{
  Rows *rows = ((RowsTable *) cursor->pVtab)->rows;

  return ((RowsCursor *) cursor)->at >= rows->n_rows;
}

static int
rows_column (sqlite3_vtab_cursor *cursor,
             sqlite3_context     *ctx,
             int                  column)
{
  Rows *rows = ((RowsTable *) cursor->pVtab)->rows;

  rows->column (rows->rows + ((RowsCursor *) cursor)->at * rows->stride, column, ctx);
  return SQLITE_OK;
}

static int
rows_rowid (sqlite3_vtab_cursor *cursor,
            sqlite3_int64       *rowid)
{
  *rowid = (sqlite3_int64) ((RowsCursor *) cursor)->at;
  return SQLITE_OK;
}

static const sqlite3_module rows_module = {
  .iVersion = 1,
  .xCreate = NULL,            /* eponymous only: no CREATE VIRTUAL TABLE */
  .xConnect = rows_connect,
  .xBestIndex = rows_best_index,
  .xDisconnect = rows_disconnect,
  .xDestroy = rows_disconnect,
  .xOpen = rows_open,
  .xClose = rows_close,
  .xFilter = rows_filter,
  .xNext = rows_next,
  .xEof = rows_eof,
  .xColumn = rows_column,
  .xRowid = rows_rowid,
};

/**
 * crm_store_attach_rows:
 * @name: the table's name in SQL
 * @columns: its column list, as in CREATE TABLE (e.g. "id, tier, stage")
 * @rows: (array): @n_rows structs of @stride bytes, alive until crm_store_detach_rows()
 * @column: gives column @i of a row (sqlite3_result_*())
 *
 * Makes @rows readable as the table @name on this store's connection.  Statements over it run
 * with crm_store_exec() (or are prepared and finalized before the detach), never from the
 * store's statement cache: the table goes away with the detach.
 */
void
crm_store_attach_rows (CrmStore          *self,
                       const char        *name,
                       const char        *columns,
                       gconstpointer      rows,
                       gsize              n_rows,
                       gsize              stride,
                       CrmRowsColumnFunc  column)
{
  Rows *r = g_new0 (Rows, 1);

  r->schema = g_strdup_printf ("CREATE TABLE x(%s)", columns);
  r->rows = rows;
  r->n_rows = n_rows;
  r->stride = stride;
  r->column = column;
  /* Registering a name again replaces the module (and frees the old rows' record). */
  sqlite3_create_module_v2 (crm_store_get_db (self), name, &rows_module, r, rows_free);
}

void
crm_store_detach_rows (CrmStore   *self,
                       const char *name)
{
  sqlite3_create_module_v2 (crm_store_get_db (self), name, NULL, NULL, NULL);
}

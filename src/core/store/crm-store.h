/* crm-store.h: the local database — connection, PRAGMAs, migrations, transactions,
 * statement cache and the generic CRUD every model goes through.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "crm-entity.h"

G_BEGIN_DECLS

#define CRM_STORE_ERROR (crm_store_error_quark ())

typedef enum
{
  CRM_STORE_ERROR_FAILED,
  CRM_STORE_ERROR_CANT_OPEN,     /* missing directory, permissions */
  CRM_STORE_ERROR_NOT_DATABASE,  /* not an SQLite file, or damaged */
  CRM_STORE_ERROR_TOO_NEW,       /* schema newer than this program */
  CRM_STORE_ERROR_LOCKED,        /* another program holds the lock */
  CRM_STORE_ERROR_FULL,          /* disk full */
  CRM_STORE_ERROR_READ_ONLY,
  CRM_STORE_ERROR_INVALID,       /* refused input: bad text, missing field, constraint */
  CRM_STORE_ERROR_NOT_FOUND,
} CrmStoreError;

/* A cancelled operation, whether it stopped between steps or inside a statement
 * (crm_store_set_cancellable()), fails with G_IO_ERROR_CANCELLED: there is one cancel
 * error everywhere. */

/* The schema version this program writes. */
#define CRM_STORE_SCHEMA_VERSION 16

#define CRM_TYPE_STORE (crm_store_get_type ())
G_DECLARE_FINAL_TYPE (CrmStore, crm_store, CRM, STORE, GObject)

GQuark        crm_store_error_quark        (void);

/* SQLite's file locks made safe from the rest of the process (crm-store-lock.c): once per
 * process, before any database is opened.  crm_store_open() and friends call it; the programs'
 * main() call it first thing. */
void          crm_store_lock_install       (void);
/* Whether the locks are open-file-description locks (FALSE: SQLite's stock POSIX locks). */
gboolean      crm_store_lock_is_private    (void);

/* @path NULL: $CLIENTELE_DB or $XDG_DATA_HOME/clientele/clientele.db. */
char         *crm_store_default_path       (void);
CrmStore     *crm_store_open               (const char    *path,
                                            GError       **error);
/* A second connection to the same file for a worker thread (WAL lets it read
 * while the main connection writes). */
CrmStore     *crm_store_open_reader        (const char    *path,
                                            GError       **error);
const char   *crm_store_get_path           (CrmStore      *self);
/* The file (or its folder) cannot be written by this process: crm_store_open() opened it for
 * reading only, and every write fails with CRM_STORE_ERROR_READ_ONLY. */
gboolean      crm_store_get_read_only      (CrmStore      *self);
/* How many customers search cannot find: an import's rows whose search index was not finished
 * (the file was read-only when it was opened, so it could not be finished then).  0 normally. */
gint64        crm_store_get_unsearchable   (CrmStore      *self);
sqlite3      *crm_store_get_db             (CrmStore      *self);
int           crm_store_get_schema_version (CrmStore      *self);

/* Statement cache: the returned statement is reset and unbound; do not finalize it. */
sqlite3_stmt *crm_store_prepare            (CrmStore      *self,
                                            const char    *sql,
                                            GError       **error);
gboolean      crm_store_exec               (CrmStore      *self,
                                            const char    *sql,
                                            GError       **error);
gboolean      crm_store_set_error          (CrmStore      *self,
                                            int            rc,
                                            GError       **error);
/* Steps @stmt once and resets it: FALSE with the database's error unless it was done (or gave
 * a row). */
gboolean      crm_store_step               (CrmStore      *self,
                                            sqlite3_stmt  *stmt,
                                            GError       **error);
/* The first column of the first row of @sql (a PRAGMA, a count): @fallback, or NULL, if none. */
gint64        crm_db_query_int64           (sqlite3       *db,
                                            const char    *sql,
                                            gint64         fallback);
char         *crm_db_query_text            (sqlite3       *db,
                                            const char    *sql);

/* Bulk work in a transaction: drop indexes, write, make them again with a sort per index. */
gboolean      crm_store_drop_objects       (CrmStore      *self,
                                            const char    *what,
                                            const char    *select,
                                            GPtrArray     *saved,
                                            GError       **error);
gboolean      crm_store_create_indexes     (CrmStore      *self,
                                            GPtrArray     *statements,
                                            GError       **error);

/* An array of structs as a read-only SQL table, for one bulk INSERT … SELECT or UPDATE … FROM
 * (crm-store-rows.c). */
typedef void (*CrmRowsColumnFunc) (gconstpointer    row,
                                   int              column,
                                   sqlite3_context *ctx);
void          crm_store_attach_rows        (CrmStore          *self,
                                            const char        *name,
                                            const char        *columns,
                                            gconstpointer      rows,
                                            gsize              n_rows,
                                            gsize              stride,
                                            CrmRowsColumnFunc  column);
void          crm_store_detach_rows        (CrmStore          *self,
                                            const char        *name);

/* Nestable: the outermost pair is BEGIN IMMEDIATE/COMMIT, inner ones savepoints.  While another
 * connection holds the write lock, BEGIN waits as crm_store_set_wait_func() says. */
gboolean      crm_store_begin              (CrmStore      *self,
                                            GError       **error);
gboolean      crm_store_commit             (CrmStore      *self,
                                            GError       **error);
void          crm_store_rollback           (CrmStore      *self);

/* Waiting for another connection's write lock (crm-store-wait.c).  Called on the waiting thread
 * after 300 ms and then about every 100 ms with the time waited; FALSE stops the wait and the
 * write fails as locked (CRM_STORE_ERROR_LOCKED, naming the holder when it is known).  Without
 * a function a wait ends after 5 s. */
typedef gboolean (*CrmStoreWaitFunc) (CrmStore   *store,
                                      gint64      waited_ms,
                                      gpointer    user_data);
void          crm_store_set_wait_func      (CrmStore         *self,
                                            CrmStoreWaitFunc  func,
                                            gpointer          user_data);
/* Every store opened afterwards in this process starts with @func (clientele-cli). */
void          crm_store_set_default_wait_func (CrmStoreWaitFunc func,
                                            gpointer          user_data);
/* Who holds the write lock, when it said so: "an import by clientele-cli (process 4242) since
 * 10:42:07"; NULL if unknown (another program, or nobody). */
char         *crm_store_describe_writer    (CrmStore         *self);

/* Labels the writes of @self ("import", "recompute", a CLI command) so that others can say what
 * they wait for; the label goes back with crm_store_operation_pop() or g_autoptr. */
typedef struct _CrmStoreOperation CrmStoreOperation;
CrmStoreOperation *crm_store_operation_push (CrmStore        *self,
                                            const char       *operation);
void          crm_store_operation_pop      (CrmStoreOperation *op);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmStoreOperation, crm_store_operation_pop)

/* One user action's writes without blocking the calling thread: @write runs inside a
 * transaction (committed when it returns TRUE) now, or as soon as no other connection holds
 * the write lock; @waiting is told meanwhile (after 300 ms, then every 100 ms) and may stop the
 * wait; cancelling stops it with G_IO_ERROR_CANCELLED and nothing written. */
typedef gboolean (*CrmStoreWriteFunc) (CrmStore   *store,
                                       gpointer    user_data,
                                       GError    **error);
void          crm_store_write_async        (CrmStore            *self,
                                            CrmStoreWriteFunc    write,
                                            gpointer             write_data,
                                            GDestroyNotify       write_destroy,
                                            CrmStoreWaitFunc     waiting,
                                            gpointer             waiting_data,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      crm_store_write_finish       (CrmStore            *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* Generic CRUD, one transaction each (or part of an open one). */
gboolean      crm_store_insert             (CrmStore      *self,
                                            CrmEntity     *entity,
                                            GError       **error);
gboolean      crm_store_update             (CrmStore      *self,
                                            CrmEntity     *entity,
                                            GError       **error);
gboolean      crm_store_delete             (CrmStore      *self,
                                            CrmEntity     *entity,
                                            GError       **error);
/* A customer merged into @into_id (crm-merge.c): tombstoned with merged_into set, journaled
 * as a merge.  crm_store_restore() of a customer clears merged_into again. */
gboolean      crm_store_delete_merged      (CrmStore      *self,
                                            CrmEntity     *customer,
                                            gint64         into_id,
                                            GError       **error);
gboolean      crm_store_restore            (CrmStore      *self,
                                            CrmEntity     *entity,
                                            GError       **error);
gpointer      crm_store_load               (CrmStore      *self,
                                            GType          type,
                                            gint64         id,
                                            GError       **error);
gpointer      crm_store_load_by_uuid       (CrmStore      *self,
                                            GType          type,
                                            const char    *uuid,
                                            GError       **error);
gboolean      crm_store_reload             (CrmStore      *self,
                                            CrmEntity     *entity,
                                            GError       **error);
/* Rows of @type for @ids, in no particular order; deleted ones included. */
GPtrArray    *crm_store_load_many          (CrmStore      *self,
                                            GType          type,
                                            const gint64  *ids,
                                            guint          n_ids,
                                            GError       **error);
/* Live rows of @type whose @column equals @value, ordered by id. */
GPtrArray    *crm_store_list               (CrmStore      *self,
                                            GType          type,
                                            const char    *column,
                                            gint64         value,
                                            GError       **error);
/* Every live row of @type, ordered by @order_column (a field name) then id. */
GPtrArray    *crm_store_list_all           (CrmStore      *self,
                                            GType          type,
                                            const char    *order_column,
                                            GError       **error);
gint64        crm_store_count              (CrmStore      *self,
                                            GType          type,
                                            GError       **error);

/* An order and its lines in one transaction; keeps the customer's aggregates. */
gboolean      crm_store_insert_order       (CrmStore      *self,
                                            CrmEntity     *order,
                                            GPtrArray     *lines,
                                            GError       **error);
gboolean      crm_store_update_customer_aggregates (CrmStore *self,
                                            gint64         customer_id,
                                            GError       **error);

/* Order-write hooks run for every writer of an order, inside its transaction, just before the
 * outermost COMMIT: once per transaction with every customer whose orders changed in it (sorted,
 * each once), after their aggregates are updated.  A FALSE return (with an error) rolls the
 * whole write back.  Analytics keeps scores, tier and stage current there
 * (crm_recompute_order_hook); a session adds its hooks to every connection it opens. */
typedef gboolean (*CrmStoreOrderHook) (CrmStore      *store,
                                       const gint64  *customer_ids,
                                       guint          n_customers,
                                       gpointer       user_data,
                                       GError       **error);
void          crm_store_add_order_hook     (CrmStore          *self,
                                            CrmStoreOrderHook  hook,
                                            gpointer           user_data,
                                            GDestroyNotify     destroy);

/* Wires @cancellable to SQLite's progress handler (the one cancel handler of the program): a
 * statement running when it is cancelled stops with SQLITE_INTERRUPT, which every function of
 * the store reports as G_IO_ERROR_CANCELLED.  Returns the one set before, for the caller to put
 * back when it is done; NULL removes the handler.  Not a reference: the caller keeps
 * @cancellable alive while it is set. */
GCancellable *crm_store_set_cancellable    (CrmStore      *self,
                                            GCancellable  *cancellable);

/* What one committed transaction (or several, merged) wrote, as a session announces it.
 * A list that grows past CRM_STORE_CHANGES_MAX ids becomes "many" (its array NULL and the
 * many_ flag set): every row may have changed. */
#define CRM_STORE_CHANGES_MAX 1000

typedef struct
{
  GArray    *customers;        /* gint64 ids of customers (or their state) written */
  gboolean   many_customers;
  GArray    *orders;           /* gint64 ids of customers whose orders were written */
  gboolean   many_orders;
  GArray    *activity;         /* gint64 ids of customers whose interactions or feedback were written */
  gboolean   many_activity;
  gboolean   values;           /* scores, tiers, stages, predictions or the tiers themselves */
  GPtrArray *settings;         /* keys written through crm_store_set_setting() */
  gboolean   many_settings;    /* the settings table written some other way */
} CrmStoreChanges;

void          crm_store_changes_clear      (CrmStoreChanges       *changes);
gboolean      crm_store_changes_is_empty   (const CrmStoreChanges *changes);
/* Adds @from to @into and empties @from. */
void          crm_store_changes_take       (CrmStoreChanges       *into,
                                            CrmStoreChanges       *from);
void          crm_store_changes_add_customer (CrmStoreChanges     *changes,
                                            gint64                 id);
void          crm_store_changes_add_order  (CrmStoreChanges       *changes,
                                            gint64                 customer_id);
void          crm_store_changes_add_activity (CrmStoreChanges     *changes,
                                            gint64                 customer_id);
void          crm_store_changes_add_setting (CrmStoreChanges      *changes,
                                            const char            *key);
/* Sorts the id lists and drops repeated ids. */
void          crm_store_changes_compact    (CrmStoreChanges       *changes);

/* Called on the committing thread once a write transaction of this connection is durable
 * (SQLite's WAL hook), with what it wrote; @changes is emptied afterwards.  @committing is
 * called with TRUE when a COMMIT starts and FALSE when it is done or rolled back, so that a
 * watcher polling PRAGMA data_version can tell a commit of its own process in flight. */
typedef void (*CrmStoreCommitFunc) (CrmStore        *store,
                                    CrmStoreChanges *changes,
                                    gpointer         user_data);
typedef void (*CrmStoreCommittingFunc) (CrmStore *store,
                                        gboolean  committing,
                                        gpointer  user_data);
void          crm_store_watch_commits      (CrmStore               *self,
                                            CrmStoreCommitFunc      committed,
                                            CrmStoreCommittingFunc  committing,
                                            gpointer                user_data,
                                            GDestroyNotify          destroy);
/* For writes the update hook cannot see as customers or orders: raw SQL over the settings
 * table, or computed values written in bulk. */
void          crm_store_note_setting       (CrmStore      *self,
                                            const char    *key);
void          crm_store_note_values        (CrmStore      *self);
/* @func inside one transaction (or a savepoint of the open one), with @cancellable wired to its
 * statements (NULL: whatever is set stays): committed when it returns TRUE, rolled back with
 * its error otherwise — bulk work that a cancel leaves as it was. */
typedef gboolean (*CrmStoreTransactFunc) (CrmStore  *store,
                                          gpointer   data,
                                          GError   **error);
gboolean      crm_store_transact           (CrmStore             *self,
                                            GCancellable         *cancellable,
                                            CrmStoreTransactFunc  func,
                                            gpointer              data,
                                            GError              **error);
/* Whether the connection is inside a transaction (of the store's or raw BEGIN). */
gboolean      crm_store_in_transaction     (CrmStore      *self);

/* Who writes through this connection, for the change journal (crm-journal.h): NULL is this
 * program (the default), otherwise a sync account ("woo:3") applying what it pulled, so that its
 * own changes are not pushed back to it.  Set it around the pull, not in a transaction. */
void          crm_store_set_origin         (CrmStore          *self,
                                            const char        *origin);
const char   *crm_store_get_origin         (CrmStore          *self);

/* Key/value settings stored in the database (e.g. "currency"). */
char         *crm_store_get_setting        (CrmStore      *self,
                                            const char    *key);
gboolean      crm_store_set_setting        (CrmStore      *self,
                                            const char    *key,
                                            const char    *value,
                                            GError       **error);
/* The shop's region (ISO 3166-1 alpha-2, upper case) that national phone numbers are completed
 * with: the "region" setting, else crm_phone_default_region().  A new or upgraded database has
 * the setting (schema 6), so that the keys do not follow whoever opens the file; it changes with
 * crm_store_set_region() (crm-search.h), which re-keys the numbers. */
char         *crm_store_dup_region         (CrmStore      *self);

/* Whether crm_store_open() of @path will first upgrade it or finish work left by a crash,
 * which can take a while on a large file: a UI then opens it off the main thread. */
gboolean      crm_store_needs_upgrade      (const char    *path);

/* Changes when another connection commits (PRAGMA data_version). */
gint64        crm_store_get_data_version   (CrmStore      *self);

G_END_DECLS

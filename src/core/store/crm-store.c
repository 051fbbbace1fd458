/* crm-store.c: the connection — opening and creating the file, PRAGMAs, errors a user can act
 * on, the statement cache, nested transactions and the settings table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm-phone.h"
#include "crm-search.h"
#include "crm-text.h"

G_DEFINE_FINAL_TYPE (CrmStore, crm_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (crm-store-error-quark, crm_store_error)

static void
crm_store_finalize (GObject *object)
{
  CrmStore *self = CRM_STORE (object);

  crm_store_watch_finalize (self);
  for (guint i = 0; i < self->order_hooks->len; i++)
    {
      OrderHook *h = &g_array_index (self->order_hooks, OrderHook, i);

      if (h->destroy != NULL)
        h->destroy (h->data);
    }
  g_clear_pointer (&self->order_hooks, g_array_unref);
  g_clear_pointer (&self->hook_customers, g_array_unref);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_free (self->operation);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);
  g_free (self->origin);
  g_free (self->fts_columns);

  G_OBJECT_CLASS (crm_store_parent_class)->finalize (object);
}

static void
crm_store_class_init (CrmStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = crm_store_finalize;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
crm_store_init (CrmStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
  self->order_hooks = g_array_new (FALSE, FALSE, sizeof (OrderHook));
  self->hook_customers = g_array_new (FALSE, FALSE, sizeof (gint64));
}

/* Turns an SQLite result code into a message a user can act on. */
void
crm_store_set_error_for_code (GError     **error,
                              const char  *path,
                              int          rc,
                              const char  *detail)
{
  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FULL,
                   _("The disk holding “%s” is full. Free some space and try again."), path);
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_LOCKED,
                   _("The database “%s” is locked by another program. Close it and try again."), path);
      break;
    case SQLITE_NOTADB:
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_DATABASE,
                   _("“%s” is not a Clientele database."), path);
      break;
    case SQLITE_CORRUPT:
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_DATABASE,
                   _("The database “%s” is damaged. Restore it from a backup."), path);
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_READ_ONLY,
                   _("The database “%s” cannot be written: check its permissions."), path);
      break;
    case SQLITE_CANTOPEN:
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CANT_OPEN,
                   _("The database “%s” cannot be opened: check that its folder exists and can be written."), path);
      break;
    case SQLITE_CONSTRAINT:
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("The change was refused by the database: %s"), detail);
      break;
    case SQLITE_INTERRUPT:
      /* Only the cancel handler interrupts a statement (crm_store_set_cancellable()). */
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
      break;
    default:
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED,
                   _("Database error on “%s”: %s"), path, detail);
    }
}

gboolean
crm_store_set_error (CrmStore  *self,
                     int        rc,
                     GError   **error)
{
  crm_store_set_error_for_code (error, self->path, rc, sqlite3_errmsg (self->db));
  return FALSE;
}

char *
crm_store_default_path (void)
{
  const char *env = g_getenv ("CLIENTELE_DB");

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  return g_build_filename (g_get_user_data_dir (), "clientele", "clientele.db", NULL);
}

/* The file is created 0600 before SQLite sees it: customer data is nobody else's
 * business, and SQLite gives the -wal and -shm files the same mode. */
static gboolean
create_private_file (const char  *path,
                     GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CANT_OPEN,
                   _("Cannot create the folder “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EEXIST)
    {
      int saved = errno;
      g_set_error (error, CRM_STORE_ERROR,
                   saved == ENOSPC ? CRM_STORE_ERROR_FULL : CRM_STORE_ERROR_CANT_OPEN,
                   _("Cannot create the database “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  if (fd < 0)
    {
      /* An empty file made beforehand (`touch shop.db`) is about to hold the customers: it
       * gets the mode a file of ours would have; a file with content keeps its mode.  By
       * path, not through a descriptor: closing one would drop this process's SQLite locks. */
      GStatBuf st;

      if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode) && st.st_size == 0 &&
          (st.st_mode & 077) != 0 && st.st_uid == geteuid ())
        g_chmod (path, st.st_mode & 0700);
    }
  else
    close (fd);

  return TRUE;
}

/* Whether this process may not write @path (its effective rights: a root without
 * CAP_DAC_OVERRIDE is refused like anyone).  By faccessat(), not by opening the file: closing a
 * descriptor would drop this process's POSIX locks on it (see crm-store-lock.c). */
static gboolean
cannot_write (const char *path)
{
  return faccessat (AT_FDCWD, path, W_OK, AT_EACCESS) != 0 && (errno == EACCES || errno == EROFS || errno == EPERM);
}

/* A read-only file in WAL mode is read through its -shm, which SQLite must create if it is not
 * there; in a folder that cannot be written it cannot, and every read fails "attempt to write
 * a readonly database".  Without a -wal nor a -shm there is no write in progress either (a
 * writer in WAL mode creates both first, and that folder does not let this process, nor its
 * owner without changing its mode, create them), so the file is read as it is, with SQLite's
 * immutable=1: no locks, no -shm.  The one risk, accepted for a read, is another user who may
 * write that folder starting a write in the middle of this read. */
/* … nor write it in WAL mode: a folder where the -wal cannot be created is as read-only. */
static gboolean
cannot_write_file (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  return cannot_write (path) || (cannot_write (dir) && !g_file_test (wal, G_FILE_TEST_EXISTS));
}

static char *
immutable_uri (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *escaped = NULL;

  if (!cannot_write (dir) || g_file_test (wal, G_FILE_TEST_EXISTS) || g_file_test (shm, G_FILE_TEST_EXISTS))
    return NULL;
  escaped = g_uri_escape_string (path, "/", FALSE);
  return g_strconcat ("file:", escaped, "?immutable=1", NULL);
}

static CrmStore *
open_connection (const char  *path,
                 gboolean     read_only,
                 GError     **error)
{
  g_autoptr(CrmStore) self = NULL;
  g_autofree char *resolved = NULL;
  g_autofree char *uri = NULL;
  int flags;
  int rc;

  crm_store_lock_install ();
  resolved = path != NULL ? g_strdup (path) : crm_store_default_path ();

  /* A file this process may read but not write is opened for reading (and said so), not
   * refused: `clientele-cli list` on a copy in a read-only folder works. */
  if (!read_only && g_file_test (resolved, G_FILE_TEST_IS_REGULAR) && cannot_write_file (resolved))
    read_only = TRUE;
  if (!read_only && !create_private_file (resolved, error))
    return NULL;

  self = g_object_new (CRM_TYPE_STORE, NULL);
  self->path = g_steal_pointer (&resolved);
  self->read_only = read_only;

  flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
  if (read_only && (uri = immutable_uri (self->path)) != NULL)
    flags |= SQLITE_OPEN_URI;
  rc = sqlite3_open_v2 (uri != NULL ? uri : self->path, &self->db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      crm_store_set_error_for_code (error, self->path, rc, self->db ? sqlite3_errmsg (self->db) : "");
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, TRUE);
  crm_store_init_waiting (self);

  return g_steal_pointer (&self);
}

gboolean
crm_store_get_read_only (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  return self->read_only;
}

gint64
crm_store_get_unsearchable (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), 0);

  return self->unsearchable;
}

/* A bulk writer that switches to TRUNCATE journal mode (generate, a first import) and is killed
 * while it switches leaves a PATH-journal that SQLite never reads again: a file in WAL mode
 * ignores its -journal (a hot one is rolled back while the file is still in rollback mode, before
 * it gets here).  Nobody can be using one now either: this connection holds a SHARED lock for
 * as long as it is open in WAL mode, and leaving WAL needs an EXCLUSIVE one.  So it goes. */
static void
remove_stale_journal (CrmStore *self)
{
  g_autofree char *mode = crm_db_query_text (self->db, "PRAGMA journal_mode");
  g_autofree char *journal = g_strconcat (self->path, "-journal", NULL);
  GStatBuf st;

  if (g_strcmp0 (mode, "wal") == 0 && g_lstat (journal, &st) == 0 && S_ISREG (st.st_mode))
    g_unlink (journal);
}

int
crm_store_query_int (CrmStore    *self,
                     const char  *sql,
                     GError     **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (self, sql, error);
  int rc, value;

  if (stmt == NULL)
    return -1;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      crm_store_set_error (self, rc, error);
      sqlite3_reset (stmt);
      return -1;
    }
  value = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  return value;
}

/* user_version is a signed 32-bit field any program can set; a negative one was never ours
 * (and crm_store_query_int() returns -1 for failure too, so it is read here by itself). */
static gboolean
read_schema_version (CrmStore  *self,
                     int       *out_version,
                     GError   **error)
{
  GError *local_error = NULL;
  int version = crm_store_query_int (self, "PRAGMA user_version", &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (version < 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_DATABASE,
                   _("“%s” is not a Clientele database (schema version %d)."), self->path, version);
      return FALSE;
    }
  *out_version = version;
  return TRUE;
}

/* The rest of crm_store_open() for a file this process cannot write: nothing is changed.  A
 * file that needs an upgrade cannot be read by this version; a search index an import left
 * pending cannot be finished, so search leaves those customers out until the file can be
 * written, and crm_store_get_unsearchable() says how many. */
static CrmStore *
open_read_only (CrmStore  *self,
                int        version,
                GError   **error)
{
  g_autoptr(CrmStore) owned = self;

  if (version != CRM_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_READ_ONLY,
                   version == 0 ? _("The database “%s” cannot be written: check its permissions.")
                                : _("The database “%s” needs an upgrade to this version of Clientele, but it "
                                    "cannot be written: check its permissions."),
                   self->path);
      return NULL;
    }
  if (!crm_store_exec (self,
                       "PRAGMA foreign_keys = ON;"
                       "PRAGMA temp_store = MEMORY;"
                       "PRAGMA cache_size = -32000;",
                       error))
    return NULL;

  self->unsearchable = crm_store_count_search_pending (self, error);
  if (self->unsearchable < 0)
    return NULL;
  if (self->unsearchable > 0)
    g_debug ("store: %s is read-only; %" G_GINT64_FORMAT " customers are not in its search index",
             self->path, self->unsearchable);

  return g_steal_pointer (&owned);
}

CrmStore *
crm_store_open (const char  *path,
                GError     **error)
{
  g_autoptr(CrmStore) self = open_connection (path, FALSE, error);
  int version;

  if (self == NULL)
    return NULL;

  /* Reading user_version is the first read of the file: this is where a file that
   * is not a database is caught. */
  if (!read_schema_version (self, &version, error))
    return NULL;

  if (version > CRM_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_TOO_NEW,
                   _("“%s” was made by a newer version of Clientele (database version %d; this "
                     "version understands up to %d). Update Clientele to open it."),
                   self->path, version, CRM_STORE_SCHEMA_VERSION);
      return NULL;
    }

  /* Version 0 is a new file, or another program's SQLite database: never add our
   * tables to the latter (checked before the PRAGMAs below, which write the file). */
  if (version == 0)
    {
      int n_objects = crm_store_query_int (self, "SELECT count(*) FROM sqlite_master", error);

      if (n_objects < 0)
        return NULL;
      if (n_objects > 0)
        {
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_DATABASE,
                       _("“%s” is a database of another program, not a Clientele database. "
                         "Choose another file."), self->path);
          return NULL;
        }
    }

  if (self->read_only)
    return open_read_only (g_steal_pointer (&self), version, error);

  /* WAL lets worker connections read while this one writes; FULL makes every user
   * edit durable (bulk work batches its commits, so the fsyncs cost little). */
  if (!crm_store_exec (self,
                       "PRAGMA journal_mode = WAL;"
                       "PRAGMA synchronous = FULL;"
                       "PRAGMA foreign_keys = ON;"
                       "PRAGMA temp_store = MEMORY;"
                       "PRAGMA cache_size = -32000;",
                       error))
    return NULL;

  if (version < CRM_STORE_SCHEMA_VERSION && !crm_store_migrate (self, version, error))
    return NULL;

  remove_stale_journal (self);
  crm_store_note_remove_stale (self);

  /* An import stopped between committing its rows and indexing them for search. */
  if (crm_store_is_search_pending (self) && !crm_store_finish_search_index (self, -1, NULL, error))
    return NULL;

  return g_steal_pointer (&self);
}

CrmStore *
crm_store_open_reader (const char  *path,
                       GError     **error)
{
  g_autoptr(CrmStore) self = open_connection (path, TRUE, error);
  int version;

  if (self == NULL)
    return NULL;

  if (!read_schema_version (self, &version, error))
    return NULL;
  if (version != CRM_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_TOO_NEW,
                   _("“%s” has database version %d; this version of Clientele reads %d."),
                   self->path, version, CRM_STORE_SCHEMA_VERSION);
      return NULL;
    }

  if (!crm_store_exec (self, "PRAGMA cache_size = -16000; PRAGMA temp_store = MEMORY;", error))
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
crm_store_needs_upgrade (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean needs = FALSE;

  crm_store_lock_install ();
  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR) ||
      sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      sqlite3_close (db);
      return FALSE;
    }
  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    {
      int version = sqlite3_column_int (stmt, 0);
      needs = version > 0 && version < CRM_STORE_SCHEMA_VERSION;
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (!needs && sqlite3_prepare_v2 (db, "SELECT 1 FROM settings WHERE key = '" SEARCH_PENDING_KEY "'",
                                    -1, &stmt, NULL) == SQLITE_OK)
    needs = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return needs;
}

const char *
crm_store_get_path (CrmStore *self)
{
  return self->path;
}

sqlite3 *
crm_store_get_db (CrmStore *self)
{
  return self->db;
}

int
crm_store_get_schema_version (CrmStore *self)
{
  return crm_store_query_int (self, "PRAGMA user_version", NULL);
}

sqlite3_stmt *
crm_store_prepare (CrmStore    *self,
                   const char  *sql,
                   GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      crm_store_set_error (self, rc, error);
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
crm_store_exec (CrmStore    *self,
                const char  *sql,
                GError     **error)
{
  char *msg = NULL;
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, &msg);

  if (rc != SQLITE_OK)
    {
      crm_store_set_error_for_code (error, self->path, rc, msg ? msg : sqlite3_errstr (rc));
      sqlite3_free (msg);
      return FALSE;
    }

  crm_store_watch_settle (self);
  return TRUE;
}

/**
 * crm_store_drop_objects:
 * @what: "INDEX" or "TRIGGER"
 * @select: SQL giving the name and the CREATE statement of each one to drop, e.g.
 *   "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN ('a', 'b')"
 * @saved: where their CREATE statements are appended
 *
 * For bulk writes inside a transaction: they come back with crm_store_create_indexes() (or
 * crm_store_exec() for triggers) or with a rollback.
 */
gboolean
crm_store_drop_objects (CrmStore    *self,
                        const char  *what,
                        const char  *select,
                        GPtrArray   *saved,
                        GError     **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, select, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    return crm_store_set_error (self, rc, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (sqlite3_column_text (stmt, 1) != NULL)
      {
        g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
        g_ptr_array_add (saved, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (self, rc, error);

  for (guint i = 0; i < names->len; i++)
    {
      /* Names come from sqlite_master, quoted anyway. */
      g_autofree char *sql = g_strdup_printf ("DROP %s \"%s\"", what, (char *) g_ptr_array_index (names, i));
      if (!crm_store_exec (self, sql, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * crm_store_create_indexes:
 * @statements: CREATE INDEX statements, from crm_store_drop_objects()
 *
 * CREATE INDEX sorts with a memory budget of the page cache's size, and SQLite sorts on helper
 * threads only with temporary files.  One big in-memory sort per index is the slowest way: at 1M
 * customers the thirteen indexes took 6.9 s with a 256 MiB cache, 3.5 s in 2 MiB runs merged on
 * helper threads (bench/RESULTS.md).  The cache, temp_store and threads settings are restored.
 */
gboolean
crm_store_create_indexes (CrmStore   *self,
                          GPtrArray  *statements,
                          GError    **error)
{
  g_autofree char *threads = g_strdup_printf ("PRAGMA threads = %u", MIN (4, g_get_num_processors ()));
  g_autofree char *restore = NULL;
  int cache_pages = crm_store_query_int (self, "PRAGMA cache_size", NULL);
  int temp_store = crm_store_query_int (self, "PRAGMA temp_store", NULL);
  gboolean ok = TRUE;

  if (statements->len == 0)
    return TRUE;

  /* temp_store cannot change while temporary tables are in use: then the sort stays in memory. */
  crm_store_exec (self, "PRAGMA cache_size = -2000", NULL);
  crm_store_exec (self, "PRAGMA temp_store = FILE", NULL);
  crm_store_exec (self, threads, NULL);
  for (guint i = 0; ok && i < statements->len; i++)
    ok = crm_store_exec (self, g_ptr_array_index (statements, i), error);

  restore = g_strdup_printf ("PRAGMA threads = 0; PRAGMA cache_size = %d; PRAGMA temp_store = %d",
                             cache_pages, MAX (temp_store, 0));
  crm_store_exec (self, restore, NULL);
  if (ok)
    g_ptr_array_set_size (statements, 0);
  return ok;
}

gboolean
crm_store_begin (CrmStore  *self,
                 GError   **error)
{
  g_autofree char *sql = NULL;
  char *msg = NULL;
  int rc;

  if (self->tx_depth == 0)
    sql = g_strdup ("BEGIN IMMEDIATE");
  else
    sql = g_strdup_printf ("SAVEPOINT sp%u", self->tx_depth);

  rc = sqlite3_exec (self->db, sql, NULL, NULL, &msg);
  if (rc != SQLITE_OK)
    {
      /* Given up waiting for another writer: say who it is, if it said so. */
      if ((rc & 0xff) == SQLITE_BUSY)
        crm_store_set_busy_error (self, error);
      else
        crm_store_set_error_for_code (error, self->path, rc, msg ? msg : sqlite3_errstr (rc));
      sqlite3_free (msg);
      return FALSE;
    }

  if (self->tx_depth == 0)
    crm_store_note_write (self);
  self->tx_depth++;
  return TRUE;
}

gboolean
crm_store_commit (CrmStore  *self,
                  GError   **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  /* The order hooks see the transaction's orders before anybody else can. */
  if (self->tx_depth == 1 && !crm_store_run_order_hooks (self, error))
    return FALSE;

  if (self->tx_depth == 1)
    {
      crm_store_note_remove (self);
      sql = g_strdup ("COMMIT");
    }
  else
    sql = g_strdup_printf ("RELEASE sp%u", self->tx_depth - 1);

  if (!crm_store_exec (self, sql, error))
    return FALSE;

  self->tx_depth--;
  return TRUE;
}

void
crm_store_rollback (CrmStore *self)
{
  g_autofree char *sql = NULL;

  g_return_if_fail (self->tx_depth > 0);

  if (self->tx_depth == 1)
    {
      crm_store_note_remove (self);
      sql = g_strdup ("ROLLBACK");
    }
  else
    sql = g_strdup_printf ("ROLLBACK TO sp%u; RELEASE sp%u", self->tx_depth - 1, self->tx_depth - 1);

  /* A failed COMMIT may already have ended the transaction. */
  if (self->tx_depth > 1 || !sqlite3_get_autocommit (self->db))
    crm_store_exec (self, sql, NULL);
  self->tx_depth--;
  if (self->tx_depth == 0)
    g_array_set_size (self->hook_customers, 0);
  /* The origin's row may have been made in what was rolled back (crm-journal.c). */
  self->origin_id = 0;
}

/* Every journal entry this connection writes from now on is the sync account's (NULL: local). */
void
crm_store_set_origin (CrmStore   *self,
                      const char *origin)
{
  g_return_if_fail (CRM_IS_STORE (self));

  if (g_strcmp0 (origin, self->origin) == 0)
    return;
  g_free (self->origin);
  self->origin = g_strdup (origin);
  self->origin_id = 0;
}

const char *
crm_store_get_origin (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  return self->origin;
}

gboolean
crm_store_transact (CrmStore              *self,
                    GCancellable          *cancellable,
                    CrmStoreTransactFunc   func,
                    gpointer               data,
                    GError               **error)
{
  GCancellable *previous = NULL;
  gboolean ok;

  if (!crm_store_begin (self, error))
    return FALSE;
  if (cancellable != NULL)
    previous = crm_store_set_cancellable (self, cancellable);
  ok = func (self, data, error);
  if (cancellable != NULL)
    crm_store_set_cancellable (self, previous);
  if (ok)
    ok = crm_store_commit (self, error);
  if (!ok)
    crm_store_rollback (self);
  return ok;
}

gboolean
crm_store_in_transaction (CrmStore *self)
{
  return self->tx_depth > 0 || !sqlite3_get_autocommit (self->db);
}

/* The one cancel handler: SQLite calls it every few thousand virtual machine steps. */
static int
interrupt_if_cancelled (void *data)
{
  CrmStore *self = data;

  return self->cancellable != NULL && g_cancellable_is_cancelled (self->cancellable);
}

/* About 20–100 µs of work between two looks at the cancellable: a cancel stops a statement at
 * once, and the look itself costs nothing measurable. */
#define CANCEL_CHECK_STEPS 10000

GCancellable *
crm_store_set_cancellable (CrmStore     *self,
                           GCancellable *cancellable)
{
  GCancellable *previous = self->cancellable;

  self->cancellable = cancellable;
  if (cancellable != NULL && previous == NULL)
    sqlite3_progress_handler (self->db, CANCEL_CHECK_STEPS, interrupt_if_cancelled, self);
  else if (cancellable == NULL && previous != NULL)
    sqlite3_progress_handler (self->db, 0, NULL, NULL);

  return previous;
}

gboolean
crm_store_step (CrmStore      *self,
                sqlite3_stmt  *stmt,
                GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return crm_store_set_error (self, rc, error);
  crm_store_watch_settle (self);
  return TRUE;
}

gint64
crm_db_query_int64 (sqlite3    *db,
                    const char *sql,
                    gint64      fallback)
{
  sqlite3_stmt *stmt = NULL;
  gint64 v = fallback;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return v;
}

char *
crm_db_query_text (sqlite3    *db,
                   const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *v = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    v = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return v;
}

char *
crm_store_get_setting (CrmStore   *self,
                       const char *key)
{
  sqlite3_stmt *stmt = crm_store_prepare (self, "SELECT value FROM settings WHERE key = ?", NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return value;
}

char *
crm_store_dup_region (CrmStore *self)
{
  g_autofree char *stored = crm_store_get_setting (self, "region");

  if (crm_phone_region_is_valid (stored))
    return g_ascii_strup (stored, -1);
  return g_strdup (crm_phone_default_region ());
}

/* Changes when another connection commits (PRAGMA data_version). */
gint64
crm_store_get_data_version (CrmStore *self)
{
  return crm_store_query_int (self, "PRAGMA data_version", NULL);
}

gboolean
crm_store_set_setting (CrmStore    *self,
                       const char  *key,
                       const char  *value,
                       GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  if (!crm_text_validate (value, -1, 10000, key, &local_error))
    {
      /* Refused input is CRM_STORE_ERROR_INVALID here as for every other write. */
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, local_error->message);
      return FALSE;
    }

  stmt = crm_store_prepare (self, "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  /* Settings are a WITHOUT ROWID table, out of the update hook's sight. */
  crm_store_note_setting (self, key);

  return crm_store_step (self, stmt, error);
}

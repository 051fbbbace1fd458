/* crm-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "crm-customer.h"
#include "crm-order.h"
#include "crm-order-line.h"
#include "crm-text.h"

struct _CrmStore
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  GHashTable *statements;   /* SQL text → sqlite3_stmt* */
  guint       tx_depth;
  gboolean    read_only;

  CrmStoreOrderHook order_hook;
  gpointer          order_hook_data;
  gboolean          in_order_hook;
};

G_DEFINE_FINAL_TYPE (CrmStore, crm_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (crm-store-error-quark, crm_store_error)

static void
crm_store_finalize (GObject *object)
{
  CrmStore *self = CRM_STORE (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);

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
}

/* Turns an SQLite result code into a message a user can act on. */
static void
set_error_for_code (GError     **error,
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
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CANCELLED, _("Cancelled"));
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
  set_error_for_code (error, self->path, rc, sqlite3_errmsg (self->db));
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
  if (fd >= 0)
    close (fd);

  return TRUE;
}

static CrmStore *
open_connection (const char  *path,
                 gboolean     read_only,
                 GError     **error)
{
  g_autoptr(CrmStore) self = NULL;
  g_autofree char *resolved = NULL;
  int flags;
  int rc;

  resolved = path != NULL ? g_strdup (path) : crm_store_default_path ();

  if (!read_only && !create_private_file (resolved, error))
    return NULL;

  self = g_object_new (CRM_TYPE_STORE, NULL);
  self->path = g_steal_pointer (&resolved);
  self->read_only = read_only;

  flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
  rc = sqlite3_open_v2 (self->path, &self->db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      set_error_for_code (error, self->path, rc, self->db ? sqlite3_errmsg (self->db) : "");
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 5000);

  return g_steal_pointer (&self);
}

static int
query_int (CrmStore    *self,
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
  version = query_int (self, "PRAGMA user_version", error);
  if (version < 0)
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
      int n_objects = query_int (self, "SELECT count(*) FROM sqlite_master", error);

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

  /* An import stopped between committing its rows and indexing them for search. */
  if (crm_store_is_search_pending (self) && !crm_store_finish_search_index (self, -1, NULL, NULL, error))
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

  version = query_int (self, "PRAGMA user_version", error);
  if (version < 0)
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
  return query_int (self, "PRAGMA user_version", NULL);
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
      set_error_for_code (error, self->path, rc, msg ? msg : sqlite3_errstr (rc));
      sqlite3_free (msg);
      return FALSE;
    }

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
  int cache_pages = query_int (self, "PRAGMA cache_size", NULL);
  int temp_store = query_int (self, "PRAGMA temp_store", NULL);
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

  if (self->tx_depth == 0)
    sql = g_strdup ("BEGIN IMMEDIATE");
  else
    sql = g_strdup_printf ("SAVEPOINT sp%u", self->tx_depth);

  if (!crm_store_exec (self, sql, error))
    return FALSE;

  self->tx_depth++;
  return TRUE;
}

gboolean
crm_store_commit (CrmStore  *self,
                  GError   **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  if (self->tx_depth == 1)
    sql = g_strdup ("COMMIT");
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
    sql = g_strdup ("ROLLBACK");
  else
    sql = g_strdup_printf ("ROLLBACK TO sp%u; RELEASE sp%u", self->tx_depth - 1, self->tx_depth - 1);

  /* A failed COMMIT may already have ended the transaction. */
  if (self->tx_depth > 1 || !sqlite3_get_autocommit (self->db))
    crm_store_exec (self, sql, NULL);
  self->tx_depth--;
}

/* ---- generic CRUD ---------------------------------------------------------- */

static gboolean
field_is_nullable_zero (const CrmField *f)
{
  /* Times and references: 0 means "not set" and is stored as NULL. */
  return f->type == G_TYPE_INT64 &&
         (g_str_has_suffix (f->name, "-at") || g_str_has_suffix (f->name, "-id"));
}

static void
bind_field (sqlite3_stmt   *stmt,
            int             index,
            const CrmField *f,
            const GValue   *value)
{
  switch (f->type)
    {
    case G_TYPE_STRING:
      if (g_value_get_string (value) == NULL)
        sqlite3_bind_null (stmt, index);
      else
        sqlite3_bind_text (stmt, index, g_value_get_string (value), -1, SQLITE_TRANSIENT);
      break;
    case G_TYPE_INT64:
      if (g_value_get_int64 (value) == 0 && field_is_nullable_zero (f))
        sqlite3_bind_null (stmt, index);
      else
        sqlite3_bind_int64 (stmt, index, g_value_get_int64 (value));
      break;
    case G_TYPE_INT:
      sqlite3_bind_int (stmt, index, g_value_get_int (value));
      break;
    case G_TYPE_BOOLEAN:
      sqlite3_bind_int (stmt, index, g_value_get_boolean (value) ? 1 : 0);
      break;
    case G_TYPE_DOUBLE:
      sqlite3_bind_double (stmt, index, g_value_get_double (value));
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
read_field (sqlite3_stmt   *stmt,
            int             col,
            const CrmField *f,
            GValue         *value)
{
  g_value_init (value, f->type);
  switch (f->type)
    {
    case G_TYPE_STRING:
      g_value_set_string (value, (const char *) sqlite3_column_text (stmt, col));
      break;
    case G_TYPE_INT64:
      g_value_set_int64 (value, sqlite3_column_int64 (stmt, col));
      break;
    case G_TYPE_INT:
      g_value_set_int (value, sqlite3_column_int (stmt, col));
      break;
    case G_TYPE_BOOLEAN:
      g_value_set_boolean (value, sqlite3_column_int (stmt, col) != 0);
      break;
    case G_TYPE_DOUBLE:
      g_value_set_double (value, sqlite3_column_double (stmt, col));
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Spaces alone are no name: a required field needs something visible. */
static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;

  /* Invalid UTF-8 is not blank: crm_text_validate() reports it. */
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

/* Every text that reaches the database is checked here, whatever its source. */
static gboolean
validate_entity (CrmEntity  *entity,
                 GError    **error)
{
  CrmEntityClass *klass = CRM_ENTITY_GET_CLASS (entity);

  for (guint i = 0; i < klass->n_fields; i++)
    {
      const CrmField *f = &klass->fields[i];
      g_autoptr(GError) local_error = NULL;
      const char *text;

      if (f->type != G_TYPE_STRING || (f->flags & CRM_FIELD_FLAG_COMPUTED))
        continue;

      text = crm_entity_get_string (entity, i);
      if ((f->flags & CRM_FIELD_FLAG_REQUIRED) && is_blank (text))
        {
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                       _("%s is required"), g_dgettext (GETTEXT_PACKAGE, f->label));
          return FALSE;
        }
      if (!crm_text_validate (text, -1, f->max_chars, g_dgettext (GETTEXT_PACKAGE, f->label),
                              &local_error))
        {
          g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, local_error->message);
          return FALSE;
        }
    }

  if (CRM_IS_ORDER (entity))
    {
      CrmOrder *o = CRM_ORDER (entity);

      if (crm_order_get_customer_id (o) <= 0)
        {
          g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                               _("An order needs a customer"));
          return FALSE;
        }
      if (crm_order_get_placed_at (o) == 0)
        {
          g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                               _("An order needs the date it was placed"));
          return FALSE;
        }
      /* Defaults a shop would expect rather than a constraint error. */
      if (crm_order_get_status (o) == NULL)
        crm_order_set_status (o, "completed");
      if (crm_order_get_currency (o) == NULL)
        crm_order_set_currency (o, "CNY");
    }

  if (CRM_IS_CUSTOMER (entity))
    {
      CrmCustomer *c = CRM_CUSTOMER (entity);
      g_autoptr(GError) local_error = NULL;

      if (!crm_text_check_email (crm_customer_get_email (c), &local_error) ||
          !crm_text_check_phone (crm_customer_get_phone (c), &local_error) ||
          !crm_text_check_date (crm_customer_get_birthday (c), &local_error))
        {
          g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, local_error->message);
          return FALSE;
        }
    }

  return TRUE;
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
/* Which fields a journal row names: the dirty ones (update), none for an insert (the whole
 * row; see the changes table), a delete or a restore (unsaved edits on the object are not part
 * of them). */
typedef enum
{
  JOURNAL_DIRTY_FIELDS,
  JOURNAL_NO_FIELDS,
} JournalFields;

static gboolean
journal (CrmStore       *self,
         CrmEntity      *entity,
         const char     *op,
         gint64          at,
         JournalFields   which,
         GError        **error)
{
  CrmEntityClass *klass = CRM_ENTITY_GET_CLASS (entity);
  g_autoptr(GString) fields = g_string_new ("[");
  sqlite3_stmt *stmt;

  for (guint i = 0; which != JOURNAL_NO_FIELDS && i < klass->n_fields; i++)
    {
      if (klass->fields[i].flags & CRM_FIELD_FLAG_COMPUTED)
        continue;
      if (which == JOURNAL_DIRTY_FIELDS && !crm_entity_field_is_dirty (entity, i))
        continue;
      if (fields->len > 1)
        g_string_append_c (fields, ',');
      g_string_append_printf (fields, "\"%s\"", klass->columns[i]);
    }
  g_string_append_c (fields, ']');

  stmt = crm_store_prepare (self,
                            "INSERT INTO changes (entity, uuid, op, at, fields) VALUES (?, ?, ?, ?, ?)",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, klass->entity_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, crm_entity_get_uuid (entity), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, op, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, at);
  if (fields->len > 2)
    sqlite3_bind_text (stmt, 5, fields->str, -1, SQLITE_TRANSIENT);

  return crm_store_step (self, stmt, error);
}

/* Keys for e-mail/phone lookups and the short-query terms; @replace drops the old ones. */
gboolean
crm_store_index_customer (CrmStore    *self,
                          gint64       id,
                          const char  *name,
                          const char  *phone,
                          const char  *email,
                          const char  *tags,
                          gboolean     replace,
                          GError     **error)
{
  g_autofree char *digits = crm_text_phone_key (phone);
  g_autofree char *rev = crm_text_reverse_ascii (digits);
  g_autofree char *email_key = crm_text_email_key (email);
  g_autoptr(GHashTable) terms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) tag_set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  GHashTableIter iter;
  gpointer key;

  stmt = crm_store_prepare (self,
                            "UPDATE customers SET phone_digits = ?, phone_rev = ?, email_key = ?,"
                            " email_domain = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, digits, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, rev, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, email_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, crm_text_email_domain (email_key), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, id);
  if (!crm_store_step (self, stmt, error))
    return FALSE;

  if (replace)
    {
      if (!(stmt = crm_store_prepare (self, "DELETE FROM customer_terms WHERE customer_id = ?", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      if (!crm_store_step (self, stmt, error))
        return FALSE;
      if (!(stmt = crm_store_prepare (self, "DELETE FROM customer_tags WHERE customer_id = ?", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      if (!crm_store_step (self, stmt, error))
        return FALSE;
    }

  crm_text_short_terms (name, terms);
  if (!(stmt = crm_store_prepare (self, "INSERT OR IGNORE INTO customer_terms (term, customer_id) VALUES (?, ?)", error)))
    return FALSE;
  g_hash_table_iter_init (&iter, terms);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, id);
      if (!crm_store_step (self, stmt, error))
        return FALSE;
    }

  crm_text_split_tags (tags, tag_set);
  if (!(stmt = crm_store_prepare (self, "INSERT OR IGNORE INTO customer_tags (tag, customer_id) VALUES (?, ?)", error)))
    return FALSE;
  g_hash_table_iter_init (&iter, tag_set);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, id);
      if (!crm_store_step (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
after_write (CrmStore   *self,
             CrmEntity  *entity,
             gboolean    replace,
             GError    **error)
{
  if (CRM_IS_CUSTOMER (entity))
    {
      CrmCustomer *c = CRM_CUSTOMER (entity);

      if (replace &&
          !crm_entity_field_is_dirty (entity, CRM_CUSTOMER_NAME) &&
          !crm_entity_field_is_dirty (entity, CRM_CUSTOMER_PHONE) &&
          !crm_entity_field_is_dirty (entity, CRM_CUSTOMER_EMAIL) &&
          !crm_entity_field_is_dirty (entity, CRM_CUSTOMER_TAGS))
        return TRUE;

      return crm_store_index_customer (self, crm_entity_get_id (entity),
                                       crm_customer_get_name (c), crm_customer_get_phone (c),
                                       crm_customer_get_email (c), crm_customer_get_tags (c),
                                       replace, error);
    }

  if (CRM_IS_ORDER (entity))
    return crm_store_update_customer_aggregates (self, crm_order_get_customer_id (CRM_ORDER (entity)),
                                                 error);

  return TRUE;
}

/* Reloads the computed fields (aggregates) so the live object shows them. */
static gboolean
refresh_computed (CrmStore   *self,
                  CrmEntity  *entity,
                  GError    **error)
{
  CrmEntityClass *klass = CRM_ENTITY_GET_CLASS (entity);
  gboolean any = FALSE;

  for (guint i = 0; i < klass->n_fields; i++)
    any |= (klass->fields[i].flags & CRM_FIELD_FLAG_COMPUTED) != 0;

  return any ? crm_store_reload (self, entity, error) : TRUE;
}

gboolean
crm_store_insert (CrmStore   *self,
                  CrmEntity  *entity,
                  GError    **error)
{
  CrmEntityClass *klass = CRM_ENTITY_GET_CLASS (entity);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GString) params = g_string_new (NULL);
  g_autofree char *uuid = NULL;
  /* A uuid given before the insert (a record pulled by sync) survives a failure. */
  g_autofree char *preset_uuid = g_strdup (crm_entity_get_uuid (entity));
  sqlite3_stmt *stmt;
  gint64 now;
  int n = 3;

  g_return_val_if_fail (crm_entity_get_id (entity) == 0, FALSE);

  if (!validate_entity (entity, error))
    return FALSE;

  g_string_printf (sql, "INSERT INTO %s (uuid, created_at, updated_at", klass->table);
  for (guint i = 0; i < klass->n_fields; i++)
    if (!(klass->fields[i].flags & CRM_FIELD_FLAG_COMPUTED))
      {
        g_string_append_printf (sql, ", %s", klass->columns[i]);
        g_string_append (params, ", ?");
      }
  g_string_append_printf (sql, ") VALUES (?, ?, ?%s)", params->str);

  if (!crm_store_begin (self, error))
    return FALSE;

  if (!(stmt = crm_store_prepare (self, sql->str, error)))
    goto fail;

  uuid = crm_entity_get_uuid (entity) ? g_strdup (crm_entity_get_uuid (entity)) : g_uuid_string_random ();
  now = crm_now_ms ();
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, now);
  for (guint i = 0; i < klass->n_fields; i++)
    if (!(klass->fields[i].flags & CRM_FIELD_FLAG_COMPUTED))
      bind_field (stmt, ++n, &klass->fields[i], crm_entity_get_value (entity, i));

  if (!crm_store_step (self, stmt, error))
    goto fail;

  crm_entity_set_identity (entity, sqlite3_last_insert_rowid (self->db), uuid, now, now, 0);

  if (!after_write (self, entity, FALSE, error) ||
      !journal (self, entity, "insert", now, JOURNAL_NO_FIELDS, error) ||
      !crm_store_commit (self, error))
    goto fail;

  crm_entity_clear_dirty (entity);
  return refresh_computed (self, entity, error);

fail:
  crm_store_rollback (self);
  crm_entity_set_identity (entity, 0, preset_uuid, 0, 0, 0);
  return FALSE;
}

gboolean
crm_store_update (CrmStore   *self,
                  CrmEntity  *entity,
                  GError    **error)
{
  CrmEntityClass *klass = CRM_ENTITY_GET_CLASS (entity);
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt;
  gint64 now, old_customer = 0;
  int n = 1;

  g_return_val_if_fail (crm_entity_get_id (entity) != 0, FALSE);

  if (!crm_entity_is_dirty (entity))
    return TRUE;

  if (!validate_entity (entity, error))
    return FALSE;

  g_string_printf (sql, "UPDATE %s SET updated_at = ?", klass->table);
  for (guint i = 0; i < klass->n_fields; i++)
    if (!(klass->fields[i].flags & CRM_FIELD_FLAG_COMPUTED) && crm_entity_field_is_dirty (entity, i))
      g_string_append_printf (sql, ", %s = ?", klass->columns[i]);
  g_string_append (sql, " WHERE id = ?");

  if (!crm_store_begin (self, error))
    return FALSE;

  /* An order moved to another customer changes two customers' aggregates. */
  if (CRM_IS_ORDER (entity) && crm_entity_field_is_dirty (entity, CRM_ORDER_CUSTOMER_ID))
    {
      if (!(stmt = crm_store_prepare (self, "SELECT customer_id FROM orders WHERE id = ?", error)))
        goto fail;
      sqlite3_bind_int64 (stmt, 1, crm_entity_get_id (entity));
      if (sqlite3_step (stmt) == SQLITE_ROW)
        old_customer = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }

  if (!(stmt = crm_store_prepare (self, sql->str, error)))
    goto fail;

  now = MAX (crm_now_ms (), crm_entity_get_updated_at (entity) + 1);
  sqlite3_bind_int64 (stmt, n, now);
  for (guint i = 0; i < klass->n_fields; i++)
    if (!(klass->fields[i].flags & CRM_FIELD_FLAG_COMPUTED) && crm_entity_field_is_dirty (entity, i))
      bind_field (stmt, ++n, &klass->fields[i], crm_entity_get_value (entity, i));
  sqlite3_bind_int64 (stmt, ++n, crm_entity_get_id (entity));

  if (!crm_store_step (self, stmt, error))
    goto fail;

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("This record no longer exists."));
      goto fail;
    }

  if (!after_write (self, entity, TRUE, error) ||
      (old_customer != 0 && !crm_store_update_customer_aggregates (self, old_customer, error)) ||
      !journal (self, entity, "update", now, JOURNAL_DIRTY_FIELDS, error) ||
      !crm_store_commit (self, error))
    goto fail;

  crm_entity_set_identity (entity, crm_entity_get_id (entity), crm_entity_get_uuid (entity),
                           crm_entity_get_created_at (entity), now,
                           crm_entity_get_deleted_at (entity));
  crm_entity_clear_dirty (entity);
  return refresh_computed (self, entity, error);

fail:
  crm_store_rollback (self);
  return FALSE;
}

static gboolean
set_deleted (CrmStore   *self,
             CrmEntity  *entity,
             gboolean    deleted,
             GError    **error)
{
  CrmEntityClass *klass = CRM_ENTITY_GET_CLASS (entity);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 now = MAX (crm_now_ms (), crm_entity_get_updated_at (entity) + 1);

  g_return_val_if_fail (crm_entity_get_id (entity) != 0, FALSE);

  sql = g_strdup_printf ("UPDATE %s SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS %s",
                         klass->table, deleted ? "NULL" : "NOT NULL");

  if (!crm_store_begin (self, error))
    return FALSE;

  if (!(stmt = crm_store_prepare (self, sql, error)))
    goto fail;
  if (deleted)
    sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, crm_entity_get_id (entity));
  if (!crm_store_step (self, stmt, error))
    goto fail;

  if (sqlite3_changes (self->db) == 0)
    {
      /* Already in the wanted state: nothing to journal. */
      crm_store_rollback (self);
      return crm_store_reload (self, entity, error);
    }

  crm_entity_set_identity (entity, crm_entity_get_id (entity), crm_entity_get_uuid (entity),
                           crm_entity_get_created_at (entity), now, deleted ? now : 0);

  /* The database, not a possibly stale object, says whose order this is. */
  if (CRM_IS_ORDER (entity))
    {
      gint64 customer_id = 0;

      if (!(stmt = crm_store_prepare (self, "SELECT customer_id FROM orders WHERE id = ?", error)))
        goto fail;
      sqlite3_bind_int64 (stmt, 1, crm_entity_get_id (entity));
      if (sqlite3_step (stmt) == SQLITE_ROW)
        customer_id = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (!crm_store_update_customer_aggregates (self, customer_id, error))
        goto fail;
    }

  if (
      !journal (self, entity, deleted ? "delete" : "restore", now, JOURNAL_NO_FIELDS, error) ||
      !crm_store_commit (self, error))
    goto fail;

  return TRUE;

fail:
  crm_store_rollback (self);
  return FALSE;
}

gboolean
crm_store_delete (CrmStore   *self,
                  CrmEntity  *entity,
                  GError    **error)
{
  return set_deleted (self, entity, TRUE, error);
}

gboolean
crm_store_restore (CrmStore   *self,
                   CrmEntity  *entity,
                   GError    **error)
{
  return set_deleted (self, entity, FALSE, error);
}

static char *
select_sql (CrmEntityClass *klass,
            const char     *where)
{
  GString *sql = g_string_new ("SELECT id, uuid, created_at, updated_at, deleted_at");

  for (guint i = 0; i < klass->n_fields; i++)
    g_string_append_printf (sql, ", %s", klass->columns[i]);
  g_string_append_printf (sql, " FROM %s WHERE %s", klass->from, where);

  return g_string_free (sql, FALSE);
}

static void
fill_from_row (CrmEntity    *entity,
               sqlite3_stmt *stmt)
{
  CrmEntityClass *klass = CRM_ENTITY_GET_CLASS (entity);

  g_object_freeze_notify (G_OBJECT (entity));
  crm_entity_set_identity (entity,
                           sqlite3_column_int64 (stmt, 0),
                           (const char *) sqlite3_column_text (stmt, 1),
                           sqlite3_column_int64 (stmt, 2),
                           sqlite3_column_int64 (stmt, 3),
                           sqlite3_column_int64 (stmt, 4));
  for (guint i = 0; i < klass->n_fields; i++)
    {
      GValue v = G_VALUE_INIT;

      read_field (stmt, 5 + i, &klass->fields[i], &v);
      crm_entity_load_value (entity, i, &v);
      g_value_unset (&v);
    }
  crm_entity_clear_dirty (entity);
  g_object_thaw_notify (G_OBJECT (entity));
}

static gpointer
load_one (CrmStore    *self,
          GType        type,
          const char  *where,
          gint64       id,
          const char  *uuid,
          GError     **error)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (type);
  g_autofree char *sql = select_sql ((CrmEntityClass *) klass, where);
  sqlite3_stmt *stmt = crm_store_prepare (self, sql, error);
  CrmEntity *entity;
  int rc;

  if (stmt == NULL)
    return NULL;

  if (uuid != NULL)
    sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64 (stmt, 1, id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("No such record: %s"), uuid ? uuid : "");
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      crm_store_set_error (self, rc, error);
      sqlite3_reset (stmt);
      return NULL;
    }

  entity = g_object_new (type, NULL);
  fill_from_row (entity, stmt);
  sqlite3_reset (stmt);

  return entity;
}

gpointer
crm_store_load (CrmStore  *self,
                GType      type,
                gint64     id,
                GError   **error)
{
  return load_one (self, type, "id = ?", id, NULL, error);
}

gpointer
crm_store_load_by_uuid (CrmStore    *self,
                        GType        type,
                        const char  *uuid,
                        GError     **error)
{
  return load_one (self, type, "uuid = ?", 0, uuid, error);
}

gboolean
crm_store_reload (CrmStore   *self,
                  CrmEntity  *entity,
                  GError    **error)
{
  g_autoptr(CrmEntity) fresh = crm_store_load (self, G_OBJECT_TYPE (entity),
                                               crm_entity_get_id (entity), error);

  if (fresh == NULL)
    return FALSE;

  crm_entity_copy_fields (entity, fresh);
  crm_entity_clear_dirty (entity);
  return TRUE;
}

/* Steps @stmt to the end, one @type object per row, into @result (taken). */
static GPtrArray *
collect_rows (CrmStore      *self,
              sqlite3_stmt  *stmt,
              GType          type,
              GPtrArray     *result,
              GError       **error)
{
  g_autoptr(GPtrArray) rows = result;
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmEntity *entity = g_object_new (type, NULL);
      fill_from_row (entity, stmt);
      g_ptr_array_add (rows, entity);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&rows);
}

/* Ids per statement: far below SQLite's limit on bound variables (32766), and a list page
 * (up to 200 rows) fits in one. */
#define LOAD_MANY_CHUNK 500

GPtrArray *
crm_store_load_many (CrmStore      *self,
                     GType          type,
                     const gint64  *ids,
                     guint          n_ids,
                     GError       **error)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (type);
  g_autoptr(GPtrArray) result = g_ptr_array_new_full (n_ids, g_object_unref);

  for (guint done = 0; done < n_ids;)
    {
      guint n = MIN (n_ids - done, LOAD_MANY_CHUNK);
      g_autoptr(GString) where = g_string_new ("id IN (");
      g_autofree char *sql = NULL;
      sqlite3_stmt *stmt;

      /* Pages have a fixed size most of the time, so the statement is cached per size. */
      for (guint i = 0; i < n; i++)
        g_string_append (where, i ? ",?" : "?");
      g_string_append_c (where, ')');
      sql = select_sql ((CrmEntityClass *) klass, where->str);

      if (!(stmt = crm_store_prepare (self, sql, error)))
        return NULL;
      for (guint i = 0; i < n; i++)
        sqlite3_bind_int64 (stmt, i + 1, ids[done + i]);
      if (!(result = collect_rows (self, stmt, type, g_steal_pointer (&result), error)))
        return NULL;
      done += n;
    }

  return g_steal_pointer (&result);
}

GPtrArray *
crm_store_list (CrmStore    *self,
                GType        type,
                const char  *column,
                gint64       value,
                GError     **error)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (type);
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int field;

  /* The column name comes from code, never from a user: check it anyway.  Callers
   * may name the field as a property ("customer-id"); the SQL needs the column. */
  field = crm_entity_find_field ((CrmEntityClass *) klass, column);
  if (field < 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, "Unknown column “%s”", column);
      return NULL;
    }

  where = g_strdup_printf ("%s = ? AND deleted_at IS NULL ORDER BY id",
                           ((CrmEntityClass *) klass)->columns[field]);
  sql = select_sql ((CrmEntityClass *) klass, where);
  if (!(stmt = crm_store_prepare (self, sql, error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, value);

  return collect_rows (self, stmt, type, g_steal_pointer (&result), error);
}

GPtrArray *
crm_store_list_all (CrmStore    *self,
                    GType        type,
                    const char  *order_column,
                    GError     **error)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (type);
  CrmEntityClass *eklass = (CrmEntityClass *) klass;
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int field = order_column ? crm_entity_find_field (eklass, order_column) : -1;

  if (order_column != NULL && field < 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, "Unknown column “%s”", order_column);
      return NULL;
    }

  /* The column comes from the field table, never from the caller's text. */
  where = g_strdup_printf ("deleted_at IS NULL ORDER BY %s%sid",
                           field >= 0 ? eklass->columns[field] : "", field >= 0 ? ", " : "");
  sql = select_sql (eklass, where);
  if (!(stmt = crm_store_prepare (self, sql, error)))
    return NULL;

  return collect_rows (self, stmt, type, g_steal_pointer (&result), error);
}

gint64
crm_store_count (CrmStore  *self,
                 GType      type,
                 GError   **error)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (type);
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE deleted_at IS NULL",
                                          ((CrmEntityClass *) klass)->table);
  sqlite3_stmt *stmt = crm_store_prepare (self, sql, error);
  gint64 count;
  int rc;

  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      crm_store_set_error (self, rc, error);
      sqlite3_reset (stmt);
      return -1;
    }
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return count;
}

gboolean
crm_store_insert_order (CrmStore   *self,
                        CrmEntity  *order,
                        GPtrArray  *lines,
                        GError    **error)
{
  g_autoptr(GPtrArray) preset = g_ptr_array_new_with_free_func (g_free);

  /* Uuids given before the insert survive a failure; generated ones are undone. */
  g_ptr_array_add (preset, g_strdup (crm_entity_get_uuid (order)));
  for (guint i = 0; lines != NULL && i < lines->len; i++)
    g_ptr_array_add (preset, g_strdup (crm_entity_get_uuid (g_ptr_array_index (lines, i))));

  if (!crm_store_begin (self, error))
    return FALSE;

  if (!crm_store_insert (self, order, error))
    goto fail;

  for (guint i = 0; lines != NULL && i < lines->len; i++)
    {
      CrmOrderLine *line = g_ptr_array_index (lines, i);

      crm_order_line_set_order_id (line, crm_entity_get_id (order));
      if (!crm_store_insert (self, CRM_ENTITY (line), error))
        goto fail;
    }

  if (!crm_store_commit (self, error))
    goto fail;

  return TRUE;

fail:
  crm_store_rollback (self);
  for (guint i = 0; lines != NULL && i < lines->len; i++)
    crm_entity_set_identity (g_ptr_array_index (lines, i), 0, g_ptr_array_index (preset, i + 1), 0, 0, 0);
  crm_entity_set_identity (order, 0, g_ptr_array_index (preset, 0), 0, 0, 0);
  return FALSE;
}

/* Orders that count towards what a customer spent. */
#define COUNTED_ORDER "deleted_at IS NULL AND status NOT IN ('cancelled', 'refunded', 'failed')"

gboolean
crm_store_update_customer_aggregates (CrmStore  *self,
                                      gint64     customer_id,
                                      GError   **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (self,
    "UPDATE customers SET (total_spent, order_count, first_order_at, last_order_at) ="
    " (SELECT coalesce(sum(total), 0), count(*), min(placed_at), max(placed_at)"
    "  FROM orders WHERE customer_id = ?1 AND " COUNTED_ORDER ")"
    " WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);

  if (!crm_store_step (self, stmt, error))
    return FALSE;

  /* The hook may write orders itself: no recursion. */
  if (self->order_hook != NULL && !self->in_order_hook && customer_id > 0)
    {
      gboolean ok;

      self->in_order_hook = TRUE;
      ok = self->order_hook (self, customer_id, self->order_hook_data, error);
      self->in_order_hook = FALSE;
      return ok;
    }

  return TRUE;
}

void
crm_store_set_order_hook (CrmStore          *self,
                          CrmStoreOrderHook  hook,
                          gpointer           user_data)
{
  self->order_hook = hook;
  self->order_hook_data = user_data;
}

GArray *
crm_store_find_duplicates (CrmStore   *self,
                           CrmEntity  *customer,
                           GError    **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *email_key = crm_text_email_key (crm_customer_get_email (CRM_CUSTOMER (customer)));
  g_autofree char *digits = crm_text_phone_key (crm_customer_get_phone (CRM_CUSTOMER (customer)));
  g_autofree char *rev = NULL;
  g_autofree char *rev_tail = NULL;
  g_autofree char *rev_bound = NULL;
  sqlite3_stmt *stmt;
  int rc;

  /* Phone numbers match on their last 8 digits, so "+86 138 0013 8000" and
   * "13800138000" are the same number.  A number shorter than that must match
   * exactly: "8000" is not a duplicate of every number ending in 8000.  The range
   * [rev, rev + "\x01") holds only rev itself, as every digit sorts above 0x01. */
  if (digits != NULL)
    {
      rev = crm_text_reverse_ascii (digits);
      if (strlen (rev) >= 8)
        {
          rev_tail = g_strndup (rev, 8);
          rev_bound = crm_text_prefix_upper_bound (rev_tail);
        }
      else
        {
          rev_tail = g_strdup (rev);
          rev_bound = g_strconcat (rev, "\x01", NULL);
        }
    }

  stmt = crm_store_prepare (self,
    "SELECT id FROM customers WHERE deleted_at IS NULL AND id != ?1 AND email_key = ?2"
    " UNION SELECT id FROM customers WHERE deleted_at IS NULL AND id != ?1"
    "  AND phone_rev >= ?3 AND phone_rev < ?4"
    " ORDER BY 1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, crm_entity_get_id (customer));
  sqlite3_bind_text (stmt, 2, email_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, rev_tail, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, rev_bound, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&ids);
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

/* ---- the full-text index after a bulk import ----------------------------------------------
 *
 * A bulk import commits its rows with every B-tree index up to date and records, in the same
 * transaction, from which customer id the search index (FTS5 and the short-query terms of
 * customer_terms) still lacks rows.  It then fills the index
 * in a second transaction and removes the mark.  If the process stops in between, the next
 * crm_store_open() finishes the index before anything can search.  Filling only the new ids is
 * right only if no other connection wrote in between (its FTS triggers may have indexed or
 * "deleted" rows the index never had, which FTS5's external-content tables cannot take); the
 * caller passes the data version it saw inside the import's transaction, and any other writer
 * since then makes this a full 'rebuild' from the customers table. */

#define SEARCH_PENDING_KEY "search.pending_from"

gboolean
crm_store_needs_upgrade (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean needs = FALSE;

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

/* Changes when another connection commits (PRAGMA data_version). */
gint64
crm_store_get_data_version (CrmStore *self)
{
  return query_int (self, "PRAGMA data_version", NULL);
}

/* In the caller's transaction: customers with an id ≥ @from_id are not in the FTS index yet. */
gboolean
crm_store_set_search_pending (CrmStore  *self,
                              gint64     from_id,
                              GError   **error)
{
  g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, from_id);
  return crm_store_set_setting (self, SEARCH_PENDING_KEY, value, error);
}

gboolean
crm_store_is_search_pending (CrmStore *self)
{
  g_autofree char *value = crm_store_get_setting (self, SEARCH_PENDING_KEY);
  return value != NULL;
}

/* The short-query terms of the customers from @from_id on, made again from their names. */
static gboolean
index_terms_from (CrmStore  *self,
                  gint64     from_id,
                  GError   **error)
{
  g_autoptr(GHashTable) terms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt, *rows = NULL;
  int rc;

  if (!(stmt = crm_store_prepare (self, "DELETE FROM customer_terms WHERE customer_id >= ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, from_id);
  if (!crm_store_step (self, stmt, error) ||
      !(stmt = crm_store_prepare (self, "INSERT OR IGNORE INTO customer_terms (term, customer_id) VALUES (?, ?)", error)))
    return FALSE;

  rc = sqlite3_prepare_v2 (self->db, "SELECT id, name FROM customers WHERE id >= ?", -1, &rows, NULL);
  if (rc == SQLITE_OK)
    sqlite3_bind_int64 (rows, 1, from_id);
  while (rc == SQLITE_OK && (rc = sqlite3_step (rows)) == SQLITE_ROW)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_remove_all (terms);
      crm_text_short_terms ((const char *) sqlite3_column_text (rows, 1), terms);
      g_hash_table_iter_init (&iter, terms);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 2, sqlite3_column_int64 (rows, 0));
          if (!crm_store_step (self, stmt, error))
            {
              sqlite3_finalize (rows);
              return FALSE;
            }
        }
      rc = SQLITE_OK;
    }
  sqlite3_finalize (rows);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (self, rc, error);
  return TRUE;
}

/**
 * crm_store_finish_search_index:
 * @data_version: what crm_store_get_data_version() gave inside the transaction that set the
 *   mark, or -1 when unknown (a crash): then the whole index is made again
 * @fill_terms: (nullable): writes the short-query terms of the new rows, as the importer has
 *   them; called only if nobody else wrote since @data_version.  Otherwise (or if %NULL) they
 *   are made again from the rows' names.
 *
 * Not cancellable: the rows are already committed, and a search must find them.
 */
gboolean
crm_store_finish_search_index (CrmStore          *self,
                               gint64             data_version,
                               CrmStoreFillFunc   fill_terms,
                               gpointer           data,
                               GError           **error)
{
  g_autoptr(GString) cols = g_string_new (NULL);
  g_autofree char *pending = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean alone;
  gint64 from;

  if (!crm_store_begin (self, error))
    return FALSE;
  pending = crm_store_get_setting (self, SEARCH_PENDING_KEY);
  if (pending == NULL)
    return crm_store_commit (self, error);
  from = g_ascii_strtoll (pending, NULL, 10);
  alone = data_version >= 0 && crm_store_get_data_version (self) == data_version && from > 0;

  if (!alone)
    sql = g_strdup ("INSERT INTO customers_fts (customers_fts) VALUES ('rebuild')");
  else
    {
      if (sqlite3_prepare_v2 (self->db, "SELECT name FROM pragma_table_info('customers_fts')", -1, &stmt, NULL) == SQLITE_OK)
        while (sqlite3_step (stmt) == SQLITE_ROW)
          g_string_append_printf (cols, ", \"%s\"", (const char *) sqlite3_column_text (stmt, 0));
      sqlite3_finalize (stmt);
      sql = g_strdup_printf ("INSERT INTO customers_fts (rowid%s) SELECT id%s FROM customers WHERE id >= %" G_GINT64_FORMAT,
                             cols->str, cols->str, from);
    }

  if (!crm_store_exec (self, sql, error))
    goto fail;
  if (alone && fill_terms != NULL ? !fill_terms (data, error) : !index_terms_from (self, MAX (from, 1), error))
    goto fail;
  stmt = crm_store_prepare (self, "DELETE FROM settings WHERE key = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, SEARCH_PENDING_KEY, -1, SQLITE_STATIC);
  if (!crm_store_step (self, stmt, error))
    goto fail;
  return crm_store_commit (self, error);

fail:
  crm_store_rollback (self);
  return FALSE;
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

  return crm_store_step (self, stmt, error);
}

/* test-store.c: the database file, its PRAGMAs and migrations, and what the store
 * keeps in step on every write (change journal, aggregates, search keys, FTS).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-search.h"
#include "crm-test-util.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "crm-customer.h"
#include "crm-order-line.h"
#include "crm-order.h"
#include "crm-segment.h"
#include "crm-store.h"
#include "crm-tier.h"
#include "crm-text.h"

/* ---- helpers ------------------------------------------------------------------- */

static gint64
scalar (CrmStore   *store,
        const char *sql)
{
  return crm_test_query_int (store, sql);
}

static char *
text_query (CrmStore   *store,
            const char *sql,
            gint64      param)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (crm_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, param);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return value;
}

/* All values of a one-column query, joined by '|' in the query's order. */
static char *
joined (CrmStore   *store,
        const char *sql,
        gint64      param)
{
  GString *s = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (crm_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, param);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (s->len > 0)
        g_string_append_c (s, '|');
      g_string_append (s, (const char *) sqlite3_column_text (stmt, 0));
    }
  sqlite3_finalize (stmt);

  return g_string_free (s, FALSE);
}

/* Live customers whose FTS row matches @phrase. */
static gint64
fts_count (CrmStore   *store,
           const char *phrase)
{
  g_autoptr(GString) quoted = g_string_new (phrase);
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  /* An FTS5 string: double quotes doubled, so user text is never query syntax. */
  g_string_replace (quoted, "\"", "\"\"", 0);
  g_string_prepend_c (quoted, '"');
  g_string_append_c (quoted, '"');

  g_assert_cmpint (sqlite3_prepare_v2 (crm_store_get_db (store),
                                       "SELECT count(*) FROM customers_fts JOIN customers c ON c.id = customers_fts.rowid"
                                       " WHERE customers_fts MATCH ? AND c.deleted_at IS NULL",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, quoted->str, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return n;
}

static void
assert_fts_intact (CrmStore *store)
{
  g_autoptr(GError) error = NULL;

  /* rank 1: for an external-content table, also compare the index with the customers rows. */
  g_assert_true (crm_store_exec (store, "INSERT INTO customers_fts (customers_fts, rank) VALUES ('integrity-check', 1)",
                                 &error));
  g_assert_no_error (error);
}

/* Row counts of every table a write can touch, to show that a refused write changed nothing. */
static char *
fingerprint (CrmStore *store)
{
  return g_strdup_printf ("customers=%" G_GINT64_FORMAT " orders=%" G_GINT64_FORMAT
                          " lines=%" G_GINT64_FORMAT " changes=%" G_GINT64_FORMAT
                          " terms=%" G_GINT64_FORMAT " tags=%" G_GINT64_FORMAT
                          " upd=%" G_GINT64_FORMAT " spent=%" G_GINT64_FORMAT,
                          scalar (store, "SELECT count(*) FROM customers"),
                          scalar (store, "SELECT count(*) FROM orders"),
                          scalar (store, "SELECT count(*) FROM order_lines"),
                          scalar (store, "SELECT count(*) FROM changes"),
                          scalar (store, "SELECT count(*) FROM customer_terms"),
                          scalar (store, "SELECT count(*) FROM customer_tags"),
                          scalar (store, "SELECT coalesce(sum(updated_at), 0) FROM customers"),
                          scalar (store, "SELECT coalesce(sum(total_spent), 0) FROM customers"));
}

static CrmStore *
new_store (char **out_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = crm_test_db_path ();
  CrmStore *store = crm_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  if (out_path != NULL)
    *out_path = g_steal_pointer (&path);

  return store;
}

static CrmCustomer *
add_customer (CrmStore   *store,
              const char *name,
              const char *phone,
              const char *email)
{
  g_autoptr(GError) error = NULL;
  CrmCustomer *c = crm_customer_new ();

  crm_customer_set_name (c, name);
  crm_customer_set_phone (c, phone);
  crm_customer_set_email (c, email);
  g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);

  return c;
}

static CrmOrder *
add_order (CrmStore   *store,
           gint64      customer_id,
           gint64      placed_at,
           gint64      total,
           const char *status)
{
  g_autoptr(GError) error = NULL;
  CrmOrder *o = crm_order_new ();

  crm_order_set_customer_id (o, customer_id);
  crm_order_set_placed_at (o, placed_at);
  crm_order_set_total (o, total);
  crm_order_set_status (o, status);
  crm_order_set_currency (o, "CNY");
  g_assert_true (crm_store_insert_order (store, CRM_ENTITY (o), NULL, &error));
  g_assert_no_error (error);

  return o;
}

static GBytes *
file_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

/* ---- open / create ------------------------------------------------------------- */

static void
test_default_path (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_build_filename (crm_test_tmp_dir (), "data", "clientele", "clientele.db", NULL);
  g_autofree char *dir = g_path_get_dirname (expected);
  g_autofree char *path = NULL;
  g_autofree char *custom = g_build_filename (crm_test_tmp_dir (), "custom place", "mine.db", NULL);
  g_autofree char *custom_path = NULL;
  g_autoptr(CrmStore) store = NULL;
  g_autoptr(CrmStore) custom_store = NULL;

  /* crm_test_init() pointed XDG_DATA_HOME into the temporary directory. */
  g_unsetenv ("CLIENTELE_DB");
  path = crm_store_default_path ();
  g_assert_cmpstr (path, ==, expected);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));

  store = crm_store_open (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_store_get_path (store), ==, expected);
  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (crm_test_file_mode (expected), ==, 0600);
  g_assert_cmpint (crm_test_file_mode (dir), ==, 0700);

  /* CLIENTELE_DB wins over XDG_DATA_HOME. */
  g_setenv ("CLIENTELE_DB", custom, TRUE);
  custom_path = crm_store_default_path ();
  g_assert_cmpstr (custom_path, ==, custom);
  custom_store = crm_store_open (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_store_get_path (custom_store), ==, custom);
  g_assert_cmpint (crm_test_file_mode (custom), ==, 0600);
  g_unsetenv ("CLIENTELE_DB");
}

static void
test_file_mode (void)
{
  g_autofree char *path = NULL;
  g_autoptr(CrmStore) store = NULL;
  g_autoptr(CrmCustomer) c = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  mode_t old_umask;

  /* Whatever the umask, the data is the user's alone (SQLite copies the mode to -wal/-shm). */
  old_umask = umask (0);
  store = new_store (&path);
  c = add_customer (store, "Mode Check", NULL, NULL);
  umask (old_umask);

  wal = g_strconcat (path, "-wal", NULL);
  shm = g_strconcat (path, "-shm", NULL);
  g_assert_cmpint (crm_test_file_mode (path), ==, 0600);
  g_assert_cmpint (crm_test_file_mode (wal), ==, 0600);
  g_assert_cmpint (crm_test_file_mode (shm), ==, 0600);
}

static void
test_pragmas (void)
{
  g_autoptr(CrmStore) store = new_store (NULL);
  g_autofree char *mode = text_query (store, "PRAGMA journal_mode", 0);

  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (scalar (store, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (scalar (store, "PRAGMA synchronous"), ==, 2);
  /* No busy_timeout: the store's own busy handler waits (tests/test-busy.c). */
  g_assert_cmpint (scalar (store, "PRAGMA user_version"), ==, CRM_STORE_SCHEMA_VERSION);
  g_assert_cmpint (crm_store_get_schema_version (store), ==, CRM_STORE_SCHEMA_VERSION);
}

/* generate killed while it switched the file from WAL to TRUNCATE left a -journal next to a file
 * still in WAL mode, which SQLite never reads (kill campaign): the next open removes it.  A file
 * left in rollback mode with a hot journal is rolled back by SQLite, then turned back to WAL. */
static void
test_stale_journal (void)
{
  g_autofree char *path = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *mode = NULL;
  g_autoptr(CrmStore) store = new_store (&path);
  g_autoptr(GError) error = NULL;
  char junk[4616];
  sqlite3 *db = NULL;

  g_object_unref (g_steal_pointer (&store));
  journal = g_strconcat (path, "-journal", NULL);
  /* As the kill left it: a committed switch's journal, its header zeroed (not hot), page 1. */
  memset (junk, 0, 512);
  memset (junk + 512, 0x5a, sizeof junk - 512);
  g_assert_true (g_file_set_contents (journal, junk, sizeof junk, NULL));
  store = crm_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
  g_object_unref (g_steal_pointer (&store));

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode = TRUNCATE;"
                                     "INSERT INTO settings VALUES ('before.kill', '1')", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (g_file_test (journal, G_FILE_TEST_IS_REGULAR));

  store = crm_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
  mode = text_query (store, "PRAGMA journal_mode", 0);
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM settings WHERE key = 'before.kill'"), ==, 1);
}

static void
test_reopen (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(CrmStore) store = new_store (&path);
  g_autoptr(CrmCustomer) c = add_customer (store, "欧阳娜娜", "13800138000", "nana@example.cn");
  g_autoptr(CrmCustomer) again = NULL;
  g_autofree char *uuid = g_strdup (crm_entity_get_uuid (CRM_ENTITY (c)));

  g_clear_object (&store);
  store = crm_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_store_get_schema_version (store), ==, CRM_STORE_SCHEMA_VERSION);
  again = crm_store_load_by_uuid (store, CRM_TYPE_CUSTOMER, uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_customer_get_name (again), ==, "欧阳娜娜");
  g_assert_cmpstr (crm_customer_get_email (again), ==, "nana@example.cn");
  g_assert_cmpint (crm_store_count (store, CRM_TYPE_CUSTOMER, NULL), ==, 1);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM changes"), ==, 1);
}

/* A worker's read connection sees what the main connection committed. */
static void
test_reader (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(CrmStore) store = new_store (&path);
  g_autoptr(CrmCustomer) c = add_customer (store, "First", NULL, NULL);
  g_autoptr(CrmStore) reader = crm_store_open_reader (path, &error);
  g_autoptr(CrmCustomer) d = NULL;
  g_autoptr(CrmCustomer) seen = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (crm_store_count (reader, CRM_TYPE_CUSTOMER, NULL), ==, 1);
  d = add_customer (store, "Second", NULL, NULL);
  g_assert_cmpint (crm_store_count (reader, CRM_TYPE_CUSTOMER, NULL), ==, 2);
  seen = crm_store_load (reader, CRM_TYPE_CUSTOMER, crm_entity_get_id (CRM_ENTITY (d)), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_customer_get_name (seen), ==, "Second");

  /* A reader never creates a file. */
  {
    g_autofree char *missing = crm_test_db_path ();
    g_autoptr(CrmStore) none = crm_store_open_reader (missing, &error);
    g_assert_null (none);
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CANT_OPEN);
    g_clear_error (&error);
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }

  /* It cannot write. */
  crm_customer_set_name (seen, "Changed");
  g_assert_false (crm_store_update (reader, CRM_ENTITY (seen), &error));
  g_assert_nonnull (error);
}

/* ---- migrate ------------------------------------------------------------------- */

static void
test_migrate_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = crm_test_db_path ();
  g_autofree char *path2 = crm_test_db_path ();
  g_autoptr(CrmStore) store = NULL;
  sqlite3 *db = NULL;

  /* A zero-byte file. */
  g_assert_true (g_file_set_contents (path, "", 0, &error));
  store = crm_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_store_get_schema_version (store), ==, CRM_STORE_SCHEMA_VERSION);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM sqlite_master WHERE name = 'customers'"), ==, 1);
  g_clear_object (&store);

  /* An SQLite file at user_version 0 with nothing in it. */
  g_assert_cmpint (sqlite3_open (path2, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE t (x); DROP TABLE t;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  store = crm_store_open (path2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_store_get_schema_version (store), ==, CRM_STORE_SCHEMA_VERSION);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM sqlite_master WHERE name = 'changes'"), ==, 1);
}

/* A database written by schema version 1 (40 customers, 120 orders, scores and tiers, made by
 * the release before the step 1 → 2) opens with every row, search and reference intact. */
static void
test_migrate_v1 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = crm_test_unpack_db ("v1.db.gz");
  g_autoptr(CrmStore) store = NULL;
  g_autoptr(CrmCustomer) copy = crm_customer_new ();
  g_autofree char *taken = NULL;
  g_autofree char *states = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *presets = NULL;

  /* Each customer's tier and stage, as version 1 kept them in the customers row. */
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT group_concat(id || ':' || coalesce(tier_id, '-') || ':' || lifecycle)"
                                             " FROM (SELECT * FROM customers ORDER BY id)", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    states = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    g_assert_nonnull (strstr (states, ":2:"));   /* some tiers and stages to keep */
  }

  store = crm_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_store_get_schema_version (store), ==, CRM_STORE_SCHEMA_VERSION);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM customers"), ==, 40);
  /* 2 → 3: they live on in customer_state, and the customers row has them no more. */
  kept = text_query (store, "SELECT group_concat(customer_id || ':' || coalesce(tier_id, '-') || ':' || lifecycle)"
                            " FROM (SELECT * FROM customer_state ORDER BY customer_id)", 0);
  g_assert_cmpstr (kept, ==, states);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM pragma_table_info('customers')"
                                  " WHERE name IN ('tier_id', 'lifecycle')"), ==, 0);
  /* 3 → 4: the four built-in tiers, made in English, are known as such. */
  presets = text_query (store, "SELECT group_concat(preset, ',') FROM (SELECT preset FROM tiers ORDER BY rank)", 0);
  g_assert_cmpstr (presets, ==, "regular,silver,gold,vip");
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM orders"), ==, 120);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM tier_history"), ==, 40);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id"), ==, 120);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
  /* The uuid is unique through its own index now; every other index and trigger is back. */
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM pragma_index_list('customers')"
                                  " WHERE name = 'customers_uuid' AND \"unique\""), ==, 1);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_autoindex_customers_1'"), ==, 0);
  /* Six made by the schema up to 9, the two that register owners (tasks step) and the consent
   * history's (consent step). */
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM sqlite_master WHERE tbl_name = 'customers' AND type = 'trigger'"), ==, 9);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM sqlite_master WHERE tbl_name = 'customers' AND type = 'index'"), >=, 12);
  g_assert_cmpint (fts_count (store, "欧阳静"), ==, 1);
  assert_fts_intact (store);

  /* Writes go on as before: a new customer is found, a taken uuid is refused. */
  taken = text_query (store, "SELECT uuid FROM customers WHERE name = 'Wu Kai'", 0);
  crm_customer_set_name (copy, "Copy of Wu Kai");
  crm_entity_set_identity (CRM_ENTITY (copy), 0, taken, 0, 0, 0);
  g_assert_false (crm_store_insert (store, CRM_ENTITY (copy), &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&copy);
  copy = add_customer (store, "Migrated Later", NULL, NULL);
  g_assert_cmpint (fts_count (store, "Migrated Later"), ==, 1);
  assert_fts_intact (store);
  /* ... and has a state row of its own: a prospect without a tier. */
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM customer_state WHERE lifecycle = 0 AND tier_id IS NULL"
                                  " AND customer_id = (SELECT id FROM customers WHERE name = 'Migrated Later')"), ==, 1);
}

/* A database written by schema version 4 (customers edited, deleted, restored and merged, an
 * order with lines, feedback, an import; one customer erased by hand) opens with every row and
 * its journal in the compact form of schema 5 (what each entry became: test-journal.c). */
static void
test_migrate_v4 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = crm_test_unpack_db ("v4.db.gz");
  g_autoptr(CrmStore) store = crm_store_open (path, &error);
  g_autoptr(CrmCustomer) later = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (crm_store_get_schema_version (store), ==, CRM_STORE_SCHEMA_VERSION);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM customers"), ==, 4);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM customers WHERE merged_into IS NOT NULL"), ==, 1);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM changes"), ==, 16);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM pragma_table_info('changes') WHERE name = 'entity' AND type = 'INTEGER'"), ==, 1);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
  g_assert_cmpint (fts_count (store, "Zhao Min"), ==, 1);
  assert_fts_intact (store);

  /* Writes go on: the next entry follows the old ones. */
  later = add_customer (store, "Migrated Later", NULL, NULL);
  g_assert_cmpint (scalar (store, "SELECT max(seq) FROM changes"), ==, 17);
}

/* Every customer has one customer_state row (tier and stage of the recompute), made by the
 * insert, following soft deletes and restores, and gone with an erased customer; the model reads
 * it through its FROM clause and never writes it. */
static void
test_customer_state (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = new_store (NULL);
  g_autoptr(CrmCustomer) c = add_customer (store, "State", NULL, NULL);
  g_autoptr(CrmCustomer) loaded = NULL;
  g_autofree char *sql = NULL;
  gint64 id = crm_entity_get_id (CRM_ENTITY (c));

  g_assert_cmpint (scalar (store, "SELECT count(*) FROM customer_state"), ==, 1);
  g_assert_cmpint (scalar (store, "SELECT deleted + lifecycle + coalesce(tier_id, 0) FROM customer_state"), ==, 0);

  g_assert_true (crm_store_exec (store, "UPDATE customer_state SET lifecycle = 4", NULL));
  loaded = crm_store_load (store, CRM_TYPE_CUSTOMER, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_customer_get_lifecycle (loaded), ==, CRM_LIFECYCLE_CHURNED);

  /* Written from the object: ignored, the recompute owns it. */
  crm_customer_set_lifecycle (loaded, CRM_LIFECYCLE_ACTIVE);
  crm_customer_set_notes (loaded, "edited");
  g_assert_true (crm_store_update (store, CRM_ENTITY (loaded), &error));
  g_assert_cmpint (scalar (store, "SELECT lifecycle FROM customer_state"), ==, CRM_LIFECYCLE_CHURNED);
  g_assert_cmpint (crm_customer_get_lifecycle (loaded), ==, CRM_LIFECYCLE_CHURNED);
  /* … and the journal names only the notes. */
  g_assert_cmpint (scalar (store, "SELECT fields FROM changes ORDER BY seq DESC LIMIT 1"), ==, 1 << CRM_CUSTOMER_NOTES);

  g_assert_true (crm_store_delete (store, CRM_ENTITY (c), &error));
  g_assert_cmpint (scalar (store, "SELECT deleted FROM customer_state"), ==, 1);
  g_assert_true (crm_store_restore (store, CRM_ENTITY (c), &error));
  g_assert_cmpint (scalar (store, "SELECT deleted FROM customer_state"), ==, 0);

  sql = g_strdup_printf ("DELETE FROM customers WHERE id = %" G_GINT64_FORMAT, id);
  g_assert_true (crm_store_exec (store, sql, &error));
  g_assert_no_error (error);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM customer_state"), ==, 0);
}

/* Any number of ids, beyond SQLite's limit on bound variables (a CLI "list --limit 0" of
 * 1M customers failed with "too many SQL variables"); missing ids are left out. */
static void
test_load_many (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = new_store (NULL);
  g_autoptr(CrmCustomer) a = add_customer (store, "First", NULL, NULL);
  g_autoptr(CrmCustomer) b = add_customer (store, "Second", NULL, NULL);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) loaded = NULL;

  for (gint64 id = 40000; id > 0; id--)
    g_array_append_val (ids, id);
  loaded = crm_store_load_many (store, CRM_TYPE_CUSTOMER, (const gint64 *) ids->data, ids->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 2);
  g_clear_pointer (&loaded, g_ptr_array_unref);
  loaded = crm_store_load_many (store, CRM_TYPE_CUSTOMER, (const gint64 *) ids->data + 39999, 1, &error);
  g_assert_cmpuint (loaded->len, ==, 1);
  g_assert_cmpstr (crm_customer_get_name (g_ptr_array_index (loaded, 0)), ==, "First");
}

/* An array of structs read as a table, for bulk writes; gone after the detach. */
typedef struct { gint64 id; const char *name; } RowsTestRow;

static void
rows_test_column (gconstpointer    row,
                  int              column,
                  sqlite3_context *ctx)
{
  const RowsTestRow *r = row;

  if (column == 0)
    sqlite3_result_int64 (ctx, r->id);
  else
    sqlite3_result_text (ctx, r->name, -1, SQLITE_STATIC);
}

static void
test_attach_rows (void)
{
  g_autoptr(CrmStore) store = new_store (NULL);
  sqlite3 *db = crm_store_get_db (store);
  const RowsTestRow rows[] = { { 3, "三" }, { 1, "one" }, { 2, "it's" } };
  g_autofree char *text = NULL;

  crm_store_attach_rows (store, "crm_test_rows", "id, name", rows, G_N_ELEMENTS (rows), sizeof rows[0],
                         rows_test_column);
  text = crm_db_query_text (db, "SELECT group_concat(id || '=' || name, ';') FROM crm_test_rows");
  g_assert_cmpstr (text, ==, "3=三;1=one;2=it's");
  g_assert_true (crm_store_exec (store, "CREATE TABLE copy (id INTEGER PRIMARY KEY, name TEXT);"
                                        "INSERT INTO copy SELECT * FROM crm_test_rows WHERE id > 1", NULL));
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM copy"), ==, 2);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM crm_test_rows a JOIN crm_test_rows b ON a.id = b.id"), ==, 3);

  /* Attached again: the new rows replace the old. */
  crm_store_attach_rows (store, "crm_test_rows", "id, name", rows, 1, sizeof rows[0], rows_test_column);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM crm_test_rows"), ==, 1);

  crm_store_detach_rows (store, "crm_test_rows");
  g_assert_cmpint (crm_db_query_int64 (db, "SELECT count(*) FROM crm_test_rows", -1), ==, -1);
}

static void
test_migrate_too_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = crm_test_db_path ();
  g_autofree char *newer = g_strdup_printf ("%d", 99);
  g_autofree char *ours = g_strdup_printf ("%d", CRM_STORE_SCHEMA_VERSION);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(CrmStore) store = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE future (x); INSERT INTO future VALUES (42);"
                                 "PRAGMA user_version = 99;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  before = file_bytes (path);

  store = crm_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, newer));
  g_assert_nonnull (strstr (error->message, ours));
  g_clear_error (&error);

  g_assert_null (crm_store_open_reader (path, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_TOO_NEW);

  /* Untouched: same bytes, same version, no journal left behind. */
  after = file_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 99);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
test_not_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = crm_test_db_path ();
  g_autofree char *small = crm_test_db_path ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;

  for (int i = 0; i < 200; i++)
    g_string_append_printf (text, "name,phone\nCustomer %d,138%08d\n", i, i * 7919);
  g_assert_true (g_file_set_contents (path, text->str, text->len, &error));
  before = file_bytes (path);

  g_assert_null (crm_store_open (path, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_DATABASE);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  after = file_bytes (path);
  g_assert_true (g_bytes_equal (before, after));

  /* A few bytes of text are no database either. */
  g_assert_true (g_file_set_contents (small, "hello\n", -1, &error));
  g_assert_null (crm_store_open (small, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_DATABASE);
}

/* user_version is signed: a negative one is refused with an error, not a NULL without one. */
static void
test_negative_version (void)
{
  const char *versions[] = { "-1", "-2147483648" };

  for (guint i = 0; i < G_N_ELEMENTS (versions); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = crm_test_db_path ();
      g_autofree char *sql = g_strdup_printf ("CREATE TABLE t (x); PRAGMA user_version = %s;", versions[i]);
      g_autofree char *expected = g_strdup_printf ("not a Clientele database (schema version %s)", versions[i]);
      g_autoptr(GBytes) before = NULL;
      g_autoptr(GBytes) after = NULL;
      sqlite3 *db = NULL;

      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);
      before = file_bytes (path);

      g_assert_null (crm_store_open (path, &error));
      g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_DATABASE);
      g_assert_nonnull (strstr (error->message, expected));
      g_assert_nonnull (strstr (error->message, path));
      g_clear_error (&error);

      g_assert_null (crm_store_open_reader (path, &error));
      g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_DATABASE);
      g_assert_false (crm_store_needs_upgrade (path));

      after = file_bytes (path);
      g_assert_true (g_bytes_equal (before, after));
    }
}

/* An empty file made beforehand becomes a private database; a file with data keeps its mode. */
static void
test_empty_file_mode (void)
{
  g_autofree char *path = crm_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = NULL;

  g_assert_true (g_file_set_contents (path, "", 0, &error));
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  store = crm_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_test_file_mode (path), ==, 0600);
  g_clear_object (&store);

  /* The user widened a working database on purpose: reopening it does not undo that. */
  g_assert_cmpint (g_chmod (path, 0640), ==, 0);
  store = crm_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_test_file_mode (path), ==, 0640);
}

/* Another program's SQLite database is not silently turned into a Clientele one. */
static void
test_foreign_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = crm_test_db_path ();
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);"
                                 "INSERT INTO moz_places (url) VALUES ('https://gnome.org');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  before = file_bytes (path);

  g_assert_null (crm_store_open (path, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_DATABASE);
  g_assert_nonnull (strstr (error->message, path));

  after = file_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_cant_open (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *blocker = g_build_filename (crm_test_tmp_dir (), "a-file", NULL);
  g_autofree char *path = g_build_filename (blocker, "sub", "clientele.db", NULL);

  /* The folder cannot be made: a plain file stands where it should be. */
  g_assert_true (g_file_set_contents (blocker, "x", -1, &error));
  g_assert_null (crm_store_open (path, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CANT_OPEN);
  g_assert_nonnull (strstr (error->message, blocker));
  g_clear_error (&error);

  /* A path that is a folder. */
  g_assert_null (crm_store_open (crm_test_tmp_dir (), &error));
  g_assert_nonnull (error);
}

static void
test_locked (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(CrmStore) store = new_store (&path);
  g_autoptr(CrmCustomer) c = crm_customer_new ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  sqlite3 *other = NULL;
  gint64 start, elapsed_ms;

  g_assert_cmpint (sqlite3_open (path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN EXCLUSIVE; INSERT INTO settings VALUES ('held', 'yes');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  sqlite3_busy_timeout (crm_store_get_db (store), 200);
  before = fingerprint (store);
  crm_customer_set_name (c, "Blocked");
  start = g_get_monotonic_time ();
  g_assert_false (crm_store_insert (store, CRM_ENTITY (c), &error));
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_cmpint (elapsed_ms, >=, 150);
  g_assert_cmpint (crm_entity_get_id (CRM_ENTITY (c)), ==, 0);
  g_clear_error (&error);

  g_assert_false (crm_store_set_setting (store, "currency", "EUR", &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_LOCKED);
  g_clear_error (&error);

  /* Opening and reading still work while another program writes (WAL). */
  {
    g_autoptr(CrmStore) second = crm_store_open (path, &error);
    g_assert_no_error (error);
    g_assert_cmpint (crm_store_count (second, CRM_TYPE_CUSTOMER, &error), ==, 0);
    g_assert_no_error (error);
  }

  /* Once the other program lets go, the same save works and nothing was half-written. */
  g_assert_cmpint (sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  after = fingerprint (store);
  g_assert_cmpstr (before, ==, after);
  g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM changes"), ==, 1);
}

/* ---- aggregates ---------------------------------------------------------------- */

static void
assert_aggregates (CrmStore *store,
                   gint64    customer_id,
                   gint64    spent,
                   gint64    count,
                   gint64    first,
                   gint64    last)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) c = crm_store_load (store, CRM_TYPE_CUSTOMER, customer_id, &error);

  g_assert_no_error (error);
  g_assert_cmpint (crm_customer_get_total_spent (c), ==, spent);
  g_assert_cmpint (crm_customer_get_order_count (c), ==, count);
  g_assert_cmpint (crm_customer_get_first_order_at (c), ==, first);
  g_assert_cmpint (crm_customer_get_last_order_at (c), ==, last);
}

static void
test_aggregates (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = new_store (NULL);
  g_autoptr(CrmCustomer) a = add_customer (store, "Alice Aggregate", NULL, NULL);
  g_autoptr(CrmCustomer) b = add_customer (store, "Bob Aggregate", NULL, NULL);
  gint64 ida = crm_entity_get_id (CRM_ENTITY (a));
  gint64 idb = crm_entity_get_id (CRM_ENTITY (b));
  const gint64 t1 = 1700000000000, t2 = 1710000000000, t3 = 1720000000000;
  g_autoptr(CrmOrder) o1 = add_order (store, ida, t2, 2500, "completed");
  g_autoptr(CrmOrder) o2 = add_order (store, ida, t1, 1000, "processing");
  g_autoptr(CrmOrder) o3 = add_order (store, ida, t3, 99900, "cancelled");
  g_autoptr(CrmOrder) o4 = add_order (store, ida, t3, 50000, "refunded");

  /* Cancelled and refunded orders are not spending. */
  assert_aggregates (store, ida, 3500, 2, t1, t2);
  assert_aggregates (store, idb, 0, 0, 0, 0);

  /* The status of an order changes. */
  crm_order_set_status (o3, "completed");
  g_assert_true (crm_store_update (store, CRM_ENTITY (o3), &error));
  g_assert_no_error (error);
  assert_aggregates (store, ida, 103400, 3, t1, t3);
  crm_order_set_status (o3, "cancelled");
  g_assert_true (crm_store_update (store, CRM_ENTITY (o3), &error));
  assert_aggregates (store, ida, 3500, 2, t1, t2);

  /* The total is corrected. */
  crm_order_set_total (o1, 3000);
  g_assert_true (crm_store_update (store, CRM_ENTITY (o1), &error));
  assert_aggregates (store, ida, 4000, 2, t1, t2);

  /* Delete and undo. */
  g_assert_true (crm_store_delete (store, CRM_ENTITY (o2), &error));
  g_assert_no_error (error);
  assert_aggregates (store, ida, 3000, 1, t2, t2);
  g_assert_true (crm_store_restore (store, CRM_ENTITY (o2), &error));
  g_assert_no_error (error);
  assert_aggregates (store, ida, 4000, 2, t1, t2);

  /* Moved to another customer: both change. */
  crm_order_set_customer_id (o1, idb);
  g_assert_true (crm_store_update (store, CRM_ENTITY (o1), &error));
  g_assert_no_error (error);
  assert_aggregates (store, ida, 1000, 1, t1, t1);
  assert_aggregates (store, idb, 3000, 1, t2, t2);

  /* The last counted order goes: back to nothing. */
  g_assert_true (crm_store_delete (store, CRM_ENTITY (o2), &error));
  assert_aggregates (store, ida, 0, 0, 0, 0);

  /* An order for a customer that does not exist is refused. */
  {
    g_autoptr(CrmOrder) orphan = crm_order_new ();
    g_autofree char *before = fingerprint (store);
    g_autofree char *after = NULL;

    crm_order_set_customer_id (orphan, 424242);
    crm_order_set_placed_at (orphan, t1);
    crm_order_set_status (orphan, "completed");
    crm_order_set_currency (orphan, "CNY");
    g_assert_false (crm_store_insert_order (store, CRM_ENTITY (orphan), NULL, &error));
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
    after = fingerprint (store);
    g_assert_cmpstr (before, ==, after);
  }
  (void) o4;
}

/* ---- search keys and FTS ------------------------------------------------------- */

static void
test_fts (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = new_store (NULL);
  g_autoptr(CrmCustomer) c = crm_customer_new ();
  g_autoptr(CrmCustomer) other = add_customer (store, "Someone Else", NULL, NULL);
  g_autofree char *sql = NULL;

  crm_customer_set_name (c, "Alexandra Lindqvist");
  crm_customer_set_company (c, "Nordwind Handel");
  crm_customer_set_city (c, "Göteborg");
  crm_customer_set_notes (c, "prefers e-mail");
  crm_customer_set_tags (c, "wholesale");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);

  g_assert_cmpint (fts_count (store, "Alexandra"), ==, 1);
  g_assert_cmpint (fts_count (store, "lindqvist"), ==, 1);   /* any case */
  g_assert_cmpint (fts_count (store, "xandra Lin"), ==, 1);  /* inside words */
  g_assert_cmpint (fts_count (store, "Nordwind"), ==, 1);
  g_assert_cmpint (fts_count (store, "göteborg"), ==, 1);
  g_assert_cmpint (fts_count (store, "prefers"), ==, 1);
  g_assert_cmpint (fts_count (store, "wholesale"), ==, 1);
  g_assert_cmpint (fts_count (store, "Bartholomew"), ==, 0);

  crm_customer_set_name (c, "Bartholomew Okafor");
  crm_customer_set_city (c, "Lagos");
  g_assert_true (crm_store_update (store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);
  g_assert_cmpint (fts_count (store, "Alexandra"), ==, 0);
  g_assert_cmpint (fts_count (store, "Göteborg"), ==, 0);
  g_assert_cmpint (fts_count (store, "Bartholomew"), ==, 1);
  g_assert_cmpint (fts_count (store, "Lagos"), ==, 1);
  g_assert_cmpint (fts_count (store, "Nordwind"), ==, 1);  /* untouched columns stay */
  assert_fts_intact (store);

  /* An edit of a column outside the index leaves it as it was. */
  crm_customer_set_phone (c, "+86 138 0013 8000");
  g_assert_true (crm_store_update (store, CRM_ENTITY (c), &error));
  g_assert_cmpint (fts_count (store, "Bartholomew"), ==, 1);
  assert_fts_intact (store);

  /* Soft delete hides, restore shows again. */
  g_assert_true (crm_store_delete (store, CRM_ENTITY (c), &error));
  g_assert_cmpint (fts_count (store, "Bartholomew"), ==, 0);
  g_assert_true (crm_store_restore (store, CRM_ENTITY (c), &error));
  g_assert_cmpint (fts_count (store, "Bartholomew"), ==, 1);

  /* A privacy erase removes the row for real: the index follows. */
  sql = g_strdup_printf ("DELETE FROM customers WHERE id = %" G_GINT64_FORMAT, crm_entity_get_id (CRM_ENTITY (c)));
  g_assert_true (crm_store_exec (store, sql, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fts_count (store, "Bartholomew"), ==, 0);
  g_assert_cmpint (fts_count (store, "Someone"), ==, 1);
  assert_fts_intact (store);
}

/* Rows committed before they are indexed for search (a bulk import), as the importer does it:
 * the insert trigger is off while they are written and the mark is set in the same transaction. */
static gint64
add_unindexed (CrmStore   *store,
               const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *trigger = NULL;
  g_autoptr(CrmCustomer) c = crm_customer_new ();
  gint64 id;

  trigger = text_query (store, "SELECT sql FROM sqlite_master WHERE name = 'customers_fts_ai'", 0);
  g_assert_true (crm_store_exec (store, "DROP TRIGGER customers_fts_ai", &error));
  crm_customer_set_name (c, name);
  g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);
  id = crm_entity_get_id (CRM_ENTITY (c));
  g_assert_true (crm_store_exec (store, trigger, &error));
  /* The short-query terms come later too. */
  g_assert_true (crm_store_exec (store, "DELETE FROM customer_terms WHERE customer_id = (SELECT max(id) FROM customers)", &error));
  return id;
}

static gint64
term_count (CrmStore   *store,
            const char *term)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM customer_terms WHERE term = '%s'", term);
  return scalar (store, sql);
}

static void
test_search_pending (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(CrmStore) store = new_store (&path);
  g_autoptr(CrmStore) other = NULL;
  g_autoptr(CrmCustomer) known = add_customer (store, "Known Before", NULL, NULL);
  gint64 first, version;

  /* No other writer: the new rows are added to the index. */
  g_assert_true (crm_store_begin (store, &error));
  first = add_unindexed (store, "Imported Alpha");
  add_unindexed (store, "Imported Beta");
  version = crm_store_get_data_version (store);
  g_assert_true (crm_store_set_search_pending (store, first, &error));
  g_assert_true (crm_store_commit (store, &error));
  g_assert_true (crm_store_is_search_pending (store));
  g_assert_cmpint (fts_count (store, "Imported"), ==, 0);
  g_assert_cmpint (term_count (store, "im"), ==, 0);
  g_assert_true (crm_store_finish_search_index (store, version, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (crm_store_is_search_pending (store));
  g_assert_cmpint (fts_count (store, "Imported"), ==, 2);
  g_assert_cmpint (term_count (store, "im"), ==, 2);      /* "Imported …": a name's first letters */
  g_assert_cmpint (fts_count (store, "Known Before"), ==, 1);
  assert_fts_intact (store);

  /* Another connection writes before the index is filled: it adds a customer (its insert
   * trigger indexes it; filling from the mark would index it twice) and edits a pending one,
   * so the whole index is made again. */
  other = crm_store_open (path, &error);      /* open before: it does not see the mark */
  g_assert_no_error (error);
  g_assert_true (crm_store_begin (store, &error));
  first = add_unindexed (store, "Imported Gamma");
  version = crm_store_get_data_version (store);
  g_assert_true (crm_store_set_search_pending (store, first, &error));
  g_assert_true (crm_store_commit (store, &error));
  {
    g_autoptr(CrmCustomer) gamma = crm_store_load (other, CRM_TYPE_CUSTOMER, first, &error);
    g_autoptr(CrmCustomer) late = add_customer (other, "Late Zeta", NULL, NULL);

    crm_customer_set_name (gamma, "Renamed Delta");
    g_assert_true (crm_store_update (other, CRM_ENTITY (gamma), &error));
    g_assert_no_error (error);
  }
  g_assert_true (crm_store_finish_search_index (store, version, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fts_count (store, "Renamed Delta"), ==, 1);
  g_assert_cmpint (fts_count (store, "Gamma"), ==, 0);
  g_assert_cmpint (fts_count (store, "Late Zeta"), ==, 1);
  g_assert_cmpint (term_count (store, "re"), ==, 1);      /* Renamed Delta, by its new name */
  g_assert_cmpint (term_count (store, "im"), ==, 2);
  g_assert_cmpint (fts_count (store, "Imported"), ==, 2);
  assert_fts_intact (store);
  g_clear_object (&other);

  /* The process stops between the two transactions: the next open finishes the index (any
   * connection's: a second one opened meanwhile would do it too). */
  g_assert_true (crm_store_begin (store, &error));
  first = add_unindexed (store, "Imported Epsilon");
  g_assert_true (crm_store_set_search_pending (store, first, &error));
  g_assert_true (crm_store_commit (store, &error));
  g_clear_object (&store);
  store = crm_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_false (crm_store_is_search_pending (store));
  g_assert_cmpint (fts_count (store, "Epsilon"), ==, 1);
  g_assert_cmpint (term_count (store, "im"), ==, 3);
  g_assert_cmpint (fts_count (store, "Imported"), ==, 3);
  assert_fts_intact (store);
}

static void
test_short_terms (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = new_store (NULL);
  g_autoptr(CrmCustomer) c = crm_customer_new ();
  g_autofree char *terms = NULL;
  g_autofree char *tags = NULL;
  g_autofree char *by_term = NULL;
  gint64 id;

  crm_customer_set_name (c, "王芳");
  crm_customer_set_tags (c, "VIP, 老客户；wholesale");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);
  id = crm_entity_get_id (CRM_ENTITY (c));

  terms = joined (store, "SELECT term FROM customer_terms WHERE customer_id = ? ORDER BY term", id);
  /* With the name's pinyin keys: full pinyin from each syllable, initials. */
  g_assert_cmpstr (terms, ==, "fang|wangfang|wf|王|王芳|芳");
  tags = joined (store, "SELECT tag FROM customer_tags WHERE customer_id = ? ORDER BY tag", id);
  g_assert_cmpstr (tags, ==, "vip|wholesale|老客户");

  /* The two-character name is found through the index. */
  by_term = joined (store, "SELECT customer_id FROM customer_terms WHERE term = '王芳'", 0);
  g_assert_cmpstr (by_term, ==, "1");

  /* Renamed: the old terms go. */
  crm_customer_set_name (c, "李娜");
  crm_customer_set_tags (c, "vip");
  g_assert_true (crm_store_update (store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);
  g_free (terms);
  g_free (tags);
  terms = joined (store, "SELECT term FROM customer_terms WHERE customer_id = ? ORDER BY term", id);
  g_assert_cmpstr (terms, ==, "lina|ln|na|娜|李|李娜");
  tags = joined (store, "SELECT tag FROM customer_tags WHERE customer_id = ? ORDER BY tag", id);
  g_assert_cmpstr (tags, ==, "vip");

  /* Latin names: first letters of each word, case-folded. */
  crm_customer_set_name (c, "Li Wei");
  crm_customer_set_tags (c, NULL);
  g_assert_true (crm_store_update (store, CRM_ENTITY (c), &error));
  g_free (terms);
  g_free (tags);
  terms = joined (store, "SELECT term FROM customer_terms WHERE customer_id = ? ORDER BY term", id);
  g_assert_cmpstr (terms, ==, "l|li|w|we");
  tags = joined (store, "SELECT tag FROM customer_tags WHERE customer_id = ? ORDER BY tag", id);
  g_assert_cmpstr (tags, ==, "");
}

static void
test_search_keys (void)
{
  g_autoptr(CrmStore) store = new_store (NULL);
  g_autoptr(CrmCustomer) c = add_customer (store, "Keys", "+86 (138) 0013-8000", "Wang.Fang@Example.COM");
  g_autoptr(GError) error = NULL;
  gint64 id = crm_entity_get_id (CRM_ENTITY (c));
  g_autofree char *digits = text_query (store, "SELECT phone_digits FROM customers WHERE id = ?", id);
  g_autofree char *rev = text_query (store, "SELECT phone_rev FROM customers WHERE id = ?", id);
  g_autofree char *key = text_query (store, "SELECT email_key FROM customers WHERE id = ?", id);
  g_autofree char *domain = text_query (store, "SELECT email_domain FROM customers WHERE id = ?", id);
  g_autofree char *cleared = NULL;

  /* The national number, +86 and punctuation gone (leading-digit search); the whole number in
   * international form, reversed (its identity, and trailing-digit search). */
  g_assert_cmpstr (digits, ==, "13800138000");
  g_assert_cmpstr (rev, ==, "0008310083168+");
  g_assert_cmpstr (key, ==, "wang.fang@example.com");
  g_assert_cmpstr (domain, ==, "example.com");

  crm_customer_set_phone (c, NULL);
  g_assert_true (crm_store_update (store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);
  cleared = text_query (store, "SELECT phone_digits FROM customers WHERE id = ?", id);
  g_assert_null (cleared);
}

/* ---- hostile and invalid input ------------------------------------------------- */

static void
test_hostile_strings (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = new_store (NULL);
  g_autoptr(GString) cjk = g_string_new (NULL);
  g_autoptr(GPtrArray) saved = g_ptr_array_new_with_free_func (g_object_unref);
  const char *hostile[] = {
    "O'Brien \"the Quote\" `tick`",
    "'; DROP TABLE customers; --",
    "Robert'); DELETE FROM changes; --",
    "100% off_sale \\ backslash",
    "%",
    "_",
    "😀👨‍👩‍👧‍👦 emoji family",
    "محمد العلي",                 /* Arabic, right to left */
    "שלום עליכם",                  /* Hebrew */
    "\u202eevil\u202c bidi override",
    "tab\tand\nnewline",
    "e\xcc\x81 decomposed é",
    NULL,
  };

  for (int i = 0; i < 200; i++)
    g_string_append_unichar (cjk, 0x4E00 + i * 37);
  g_assert_cmpint (g_utf8_strlen (cjk->str, -1), ==, 200);

  for (int i = 0; i <= (int) G_N_ELEMENTS (hostile) - 1; i++)
    {
      const char *s = hostile[i] != NULL ? hostile[i] : cjk->str;
      CrmCustomer *c = crm_customer_new ();

      crm_customer_set_name (c, s);
      crm_customer_set_notes (c, s);
      crm_customer_set_city (c, g_utf8_strlen (s, -1) <= 100 ? s : "city");
      crm_customer_set_tags (c, g_utf8_strlen (s, -1) <= 1000 ? s : NULL);
      if (!crm_store_insert (store, CRM_ENTITY (c), &error))
        g_error ("could not store “%s”: %s", s, error->message);
      g_ptr_array_add (saved, c);
    }

  for (guint i = 0; i < saved->len; i++)
    {
      CrmCustomer *c = g_ptr_array_index (saved, i);
      const char *s = hostile[i] != NULL ? hostile[i] : cjk->str;
      g_autoptr(CrmCustomer) back = crm_store_load (store, CRM_TYPE_CUSTOMER, crm_entity_get_id (CRM_ENTITY (c)), &error);

      g_assert_no_error (error);
      g_assert_cmpstr (crm_customer_get_name (back), ==, s);
      g_assert_cmpstr (crm_customer_get_notes (back), ==, s);
      g_assert_cmpint (strlen (crm_customer_get_name (back)), ==, strlen (s));
      /* Found verbatim, not as a pattern: the phrase itself, with its quotes and percent signs. */
      if (g_utf8_strlen (s, -1) >= 3)
        g_assert_cmpint (fts_count (store, s), >=, 1);
    }

  /* Nothing was executed: the tables and rows are all there. */
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                                  "('customers', 'changes', 'orders')"), ==, 3);
  g_assert_cmpint (crm_store_count (store, CRM_TYPE_CUSTOMER, NULL), ==, saved->len);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM changes"), ==, saved->len);
  /* LIKE-style wildcards are not wildcards: "%" finds only names containing it. */
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM customers WHERE instr(name, '%') > 0"), ==, 2);
  assert_fts_intact (store);
}

typedef struct
{
  const char *what;
  guint       field;
  const char *value;
} BadInput;

/* Names of zero-width or text-direction marks alone: refused for every kind of thing with a name,
 * with a message that says why; nothing written. */
static void
test_invisible_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = new_store (NULL);
  g_autoptr(CrmCustomer) c = crm_customer_new ();
  g_autoptr(CrmSegment) seg = crm_segment_new ();
  g_autoptr(CrmTier) tier = crm_tier_new ();

  crm_customer_set_name (c, "\u200B\u200F");
  g_assert_false (crm_store_insert (store, CRM_ENTITY (c), &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "no visible characters"));
  g_clear_error (&error);

  crm_segment_set_name (seg, "\u2066\u2069");
  crm_segment_set_rule (seg, "{\"field\":\"city\",\"op\":\"is\",\"value\":\"Lyon\"}");
  g_assert_false (crm_store_insert (store, CRM_ENTITY (seg), &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);

  crm_tier_set_name (tier, "\uFEFF");
  g_assert_false (crm_store_insert (store, CRM_ENTITY (tier), &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (crm_store_count (store, CRM_TYPE_CUSTOMER, NULL), ==, 0);
  g_assert_cmpint (crm_store_count (store, CRM_TYPE_SEGMENT, NULL), ==, 0);

  /* A real name with a mark in it is the user's to keep. */
  crm_customer_set_name (c, "\u200Fمحمد");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);
}

static void
test_invalid_input (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = new_store (NULL);
  g_autoptr(CrmCustomer) existing = add_customer (store, "Existing Customer", "13900139000", "ok@example.cn");
  g_autoptr(GString) long_name = g_string_new (NULL);
  g_autoptr(GString) long_notes = g_string_new (NULL);
  g_autofree char *fp_before = NULL;
  const char *name_before;

  for (int i = 0; i < 201; i++)
    g_string_append (long_name, "王");
  for (int i = 0; i < 100001; i++)
    g_string_append_c (long_notes, 'n');

  {
    const BadInput cases[] = {
      { "invalid UTF-8 name", CRM_CUSTOMER_NAME, "Wang \xff\xfe Fang" },
      { "truncated UTF-8 sequence", CRM_CUSTOMER_NAME, "Wang \xe7\x8e" },
      { "overlong UTF-8 slash", CRM_CUSTOMER_CITY, "a\xc0\xafz" },
      { "201-character name", CRM_CUSTOMER_NAME, long_name->str },
      { "100001-character notes", CRM_CUSTOMER_NOTES, long_notes->str },
      { "empty name", CRM_CUSTOMER_NAME, NULL },
      { "blank name", CRM_CUSTOMER_NAME, "   " },
      { "zero-width name", CRM_CUSTOMER_NAME, "\u200B\u200D" },
      { "text-direction marks for a name", CRM_CUSTOMER_NAME, "\u202E \u2066\u2069" },
      { "byte order marks for a name", CRM_CUSTOMER_NAME, "\uFEFF\u2060" },
      { "bad e-mail", CRM_CUSTOMER_EMAIL, "wang.fang at example" },
      { "two @ e-mail", CRM_CUSTOMER_EMAIL, "a@b@example.cn" },
      { "bad phone", CRM_CUSTOMER_PHONE, "call me maybe" },
      { "CJK in a phone", CRM_CUSTOMER_PHONE, "138丫0013丫8000" },
      { "short phone", CRM_CUSTOMER_PHONE, "12" },
      { "impossible birthday", CRM_CUSTOMER_BIRTHDAY, "1990-02-30" },
      { "birthday with slashes", CRM_CUSTOMER_BIRTHDAY, "1990/05/17" },
      { "birthday with a sign", CRM_CUSTOMER_BIRTHDAY, "1990-+5-17" },
      { "birthday with spaces", CRM_CUSTOMER_BIRTHDAY, "1990- 5-17" },
      { "control character", CRM_CUSTOMER_NAME, "Wang\x01" "Fang" },
      { "escape character", CRM_CUSTOMER_NOTES, "\x1b[31mred" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(CrmCustomer) fresh = crm_customer_new ();
        g_autoptr(CrmCustomer) edit = crm_store_load (store, CRM_TYPE_CUSTOMER,
                                                      crm_entity_get_id (CRM_ENTITY (existing)), NULL);
        g_autoptr(CrmCustomer) back = NULL;
        g_autofree char *fp_after = NULL;

        g_test_message ("case: %s", cases[i].what);
        fp_before = (g_free (fp_before), fingerprint (store));
        name_before = crm_customer_get_name (edit);

        /* A new customer with the bad value. */
        crm_customer_set_name (fresh, "Valid Name");
        crm_entity_set_string (CRM_ENTITY (fresh), cases[i].field, cases[i].value);
        if (crm_store_insert (store, CRM_ENTITY (fresh), &error))
          g_error ("%s was accepted on insert", cases[i].what);
        g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
        g_assert_cmpstr (error->message, !=, "");
        g_assert_cmpint (crm_entity_get_id (CRM_ENTITY (fresh)), ==, 0);
        g_clear_error (&error);

        /* An edit of an existing customer with the bad value. */
        crm_entity_set_string (CRM_ENTITY (edit), cases[i].field, cases[i].value);
        if (crm_store_update (store, CRM_ENTITY (edit), &error))
          g_error ("%s was accepted on update", cases[i].what);
        g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
        g_clear_error (&error);

        fp_after = fingerprint (store);
        g_assert_cmpstr (fp_before, ==, fp_after);
        back = crm_store_load (store, CRM_TYPE_CUSTOMER, crm_entity_get_id (CRM_ENTITY (existing)), &error);
        g_assert_cmpstr (crm_customer_get_name (back), ==, "Existing Customer");
        (void) name_before;
      }
  }

  /* The message names the field so the user knows what to fix. */
  {
    g_autoptr(CrmCustomer) c = crm_customer_new ();
    crm_customer_set_name (c, "Valid");
    crm_customer_set_city (c, "Bad \xff");
    g_assert_false (crm_store_insert (store, CRM_ENTITY (c), &error));
    g_assert_nonnull (strstr (error->message, "City"));
    g_clear_error (&error);

    crm_customer_set_city (c, NULL);
    crm_customer_set_email (c, "nope");
    g_assert_false (crm_store_insert (store, CRM_ENTITY (c), &error));
    g_assert_nonnull (strstr (error->message, "nope"));
    g_clear_error (&error);
  }

  /* Valid edge values are accepted. */
  {
    g_autoptr(CrmCustomer) c = crm_customer_new ();
    g_autoptr(GString) name200 = g_string_new (NULL);

    for (int i = 0; i < 200; i++)
      g_string_append (name200, "芳");
    crm_customer_set_name (c, name200->str);
    crm_customer_set_phone (c, "+86 (138) 0013-8000");
    crm_customer_set_email (c, "o'brien+crm@例子.中国");
    crm_customer_set_birthday (c, "2000-02-29");
    crm_customer_set_notes (c, "line one\nline two\ttabbed");
    g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
    g_assert_no_error (error);
  }

  /* An order line with bad text is refused, like a customer. */
  {
    g_autoptr(CrmOrderLine) line = crm_order_line_new ();
    crm_order_line_set_product (line, "Tea \xff");
    g_assert_false (crm_store_insert (store, CRM_ENTITY (line), &error));
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  }
}

/* ---- transactions -------------------------------------------------------------- */

static void
test_transactions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = new_store (NULL);
  g_autoptr(CrmCustomer) outer = crm_customer_new ();
  g_autoptr(CrmCustomer) inner = crm_customer_new ();
  g_autoptr(CrmCustomer) kept = crm_customer_new ();
  sqlite3 *db = crm_store_get_db (store);

  /* Nested begin/commit: only the outermost commit ends the transaction. */
  g_assert_true (crm_store_begin (store, &error));
  g_assert_true (crm_store_begin (store, &error));
  g_assert_false (sqlite3_get_autocommit (db));
  crm_customer_set_name (outer, "Outer");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (outer), &error));
  g_assert_true (crm_store_commit (store, &error));
  g_assert_false (sqlite3_get_autocommit (db));

  /* An inner savepoint rolled back keeps the outer work. */
  g_assert_true (crm_store_begin (store, &error));
  crm_customer_set_name (inner, "Inner");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (inner), &error));
  crm_store_rollback (store);
  crm_customer_set_name (kept, "Kept");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (kept), &error));
  g_assert_true (crm_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_true (sqlite3_get_autocommit (db));

  g_assert_cmpint (scalar (store, "SELECT count(*) FROM customers"), ==, 2);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM customers WHERE name = 'Inner'"), ==, 0);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM changes"), ==, 2);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM customer_terms WHERE term = 'in'"), ==, 0);

  /* An outer rollback undoes everything, including committed inner work. */
  g_assert_true (crm_store_begin (store, &error));
  g_assert_true (crm_store_begin (store, &error));
  {
    g_autoptr(CrmCustomer) gone = crm_customer_new ();
    crm_customer_set_name (gone, "Gone");
    g_assert_true (crm_store_insert (store, CRM_ENTITY (gone), &error));
  }
  g_assert_true (crm_store_commit (store, &error));
  crm_store_rollback (store);
  g_assert_true (sqlite3_get_autocommit (db));
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM customers"), ==, 2);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM changes"), ==, 2);

  /* The store is usable afterwards. */
  {
    g_autoptr(CrmCustomer) after = add_customer (store, "After", NULL, NULL);
    g_assert_cmpint (scalar (store, "SELECT count(*) FROM customers"), ==, 3);
  }
}

static void
test_order_atomic (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = new_store (NULL);
  g_autoptr(CrmCustomer) c = add_customer (store, "Atomic Buyer", NULL, NULL);
  g_autoptr(CrmOrder) order = crm_order_new ();
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) stored = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 cid = crm_entity_get_id (CRM_ENTITY (c));
  CrmOrderLine *good, *bad;

  crm_order_set_customer_id (order, cid);
  crm_order_set_placed_at (order, 1700000000000);
  crm_order_set_status (order, "completed");
  crm_order_set_currency (order, "CNY");
  crm_order_set_total (order, 4200);

  good = crm_order_line_new ();
  crm_order_line_set_product (good, "龙井茶 Longjing tea");
  crm_order_line_set_quantity (good, 2);
  crm_order_line_set_unit_price (good, 1100);
  crm_order_line_set_amount (good, 2200);
  g_ptr_array_add (lines, good);
  bad = crm_order_line_new ();
  crm_order_line_set_product (bad, "Tea set \xff\xfe");
  crm_order_line_set_amount (bad, 2000);
  g_ptr_array_add (lines, bad);

  before = fingerprint (store);
  g_assert_false (crm_store_insert_order (store, CRM_ENTITY (order), lines, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  after = fingerprint (store);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (crm_entity_get_id (CRM_ENTITY (order)), ==, 0);
  g_assert_cmpint (crm_entity_get_id (CRM_ENTITY (good)), ==, 0);
  g_assert_true (sqlite3_get_autocommit (crm_store_get_db (store)));
  assert_aggregates (store, cid, 0, 0, 0, 0);

  /* Fixed, the same objects go in whole. */
  crm_order_line_set_product (bad, "Tea set");
  g_assert_true (crm_store_insert_order (store, CRM_ENTITY (order), lines, &error));
  g_assert_no_error (error);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM orders"), ==, 1);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM order_lines"), ==, 2);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM changes"), ==, 1 + 1 + 2);
  assert_aggregates (store, cid, 4200, 1, 1700000000000, 1700000000000);

  stored = crm_store_list (store, CRM_TYPE_ORDER_LINE, "order_id", crm_entity_get_id (CRM_ENTITY (order)), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 2);
  g_assert_cmpstr (crm_order_line_get_product (g_ptr_array_index (stored, 0)), ==, "龙井茶 Longjing tea");
  g_assert_cmpint (crm_order_line_get_quantity (g_ptr_array_index (stored, 0)), ==, 2);
}

/* A record pulled by sync keeps its uuid, also when its first insert fails. */
static void
test_preset_uuid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = new_store (NULL);
  g_autoptr(CrmCustomer) c = crm_customer_new ();
  g_autoptr(CrmCustomer) twin = crm_customer_new ();
  g_autoptr(CrmCustomer) loaded = NULL;
  g_autoptr(CrmOrder) order = crm_order_new ();
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *uuid = "6f1c2a3e-9b7d-4e21-8a5f-0c3d2e1f4a5b";
  const char *order_uuid = "0e4b8c2d-1f3a-4b5c-9d6e-7f8a9b0c1d2e";
  CrmOrderLine *line;

  crm_entity_set_identity (CRM_ENTITY (c), 0, uuid, 0, 0, 0);
  crm_customer_set_name (c, "Synced");
  /* The database refuses the row (as it would a broken reference). */
  g_assert_true (crm_store_exec (store, "CREATE TEMP TRIGGER refuse BEFORE INSERT ON customers"
                                        " BEGIN SELECT RAISE(ABORT, 'refused'); END", NULL));
  before = fingerprint (store);
  g_assert_false (crm_store_insert (store, CRM_ENTITY (c), &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  after = fingerprint (store);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (crm_entity_get_id (CRM_ENTITY (c)), ==, 0);
  g_assert_cmpstr (crm_entity_get_uuid (CRM_ENTITY (c)), ==, uuid);

  g_assert_true (crm_store_exec (store, "DROP TRIGGER refuse", NULL));
  g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (crm_entity_get_uuid (CRM_ENTITY (c)), ==, uuid);
  loaded = crm_store_load_by_uuid (store, CRM_TYPE_CUSTOMER, uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_entity_get_id (CRM_ENTITY (loaded)), ==, crm_entity_get_id (CRM_ENTITY (c)));

  /* The same uuid twice is refused. */
  crm_entity_set_identity (CRM_ENTITY (twin), 0, uuid, 0, 0, 0);
  crm_customer_set_name (twin, "Twin");
  g_assert_false (crm_store_insert (store, CRM_ENTITY (twin), &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpstr (crm_entity_get_uuid (CRM_ENTITY (twin)), ==, uuid);

  /* An order with a failing line: the order's given uuid stays, the line's generated one goes. */
  crm_entity_set_identity (CRM_ENTITY (order), 0, order_uuid, 0, 0, 0);
  crm_order_set_customer_id (order, crm_entity_get_id (CRM_ENTITY (c)));
  crm_order_set_placed_at (order, 1700000000000);
  crm_order_set_status (order, "completed");
  crm_order_set_currency (order, "CNY");
  line = crm_order_line_new ();
  crm_order_line_set_product (line, "ok");
  g_ptr_array_add (lines, line);
  line = crm_order_line_new ();
  crm_order_line_set_product (line, "\xff");
  g_ptr_array_add (lines, line);
  g_assert_false (crm_store_insert_order (store, CRM_ENTITY (order), lines, &error));
  g_clear_error (&error);
  g_assert_cmpstr (crm_entity_get_uuid (CRM_ENTITY (order)), ==, order_uuid);
  g_assert_null (crm_entity_get_uuid (g_ptr_array_index (lines, 0)));
}

/* A full disk (simulated with max_page_count): a clear error, nothing half-written,
 * and the same save works once there is room. */
static void
test_disk_full (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = new_store (NULL);
  g_autoptr(CrmCustomer) c = add_customer (store, "Buyer", NULL, NULL);
  g_autoptr(CrmCustomer) big = crm_customer_new ();
  g_autoptr(CrmOrder) order = crm_order_new ();
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) notes = g_string_new (NULL);
  g_autofree char *product = NULL;
  g_autofree char *limit = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  for (int i = 0; i < 20000; i++)
    g_string_append (notes, "备注");

  limit = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, scalar (store, "PRAGMA page_count"));
  g_assert_true (crm_store_exec (store, limit, &error));
  g_assert_no_error (error);
  before = fingerprint (store);

  crm_customer_set_name (big, "Many Notes");
  crm_customer_set_notes (big, notes->str);
  g_assert_false (crm_store_insert (store, CRM_ENTITY (big), &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FULL);
  g_assert_nonnull (strstr (error->message, crm_store_get_path (store)));
  g_clear_error (&error);
  g_assert_cmpint (crm_entity_get_id (CRM_ENTITY (big)), ==, 0);

  /* An order whose line does not fit. */
  crm_order_set_customer_id (order, crm_entity_get_id (CRM_ENTITY (c)));
  crm_order_set_placed_at (order, 1700000000000);
  crm_order_set_status (order, "completed");
  crm_order_set_currency (order, "CNY");
  crm_order_set_total (order, 100);
  /* 40 lines with 300-character products: more than the page budget allows. */
  product = g_strndup (notes->str, g_utf8_offset_to_pointer (notes->str, 300) - notes->str);
  for (int i = 0; i < 40; i++)
    {
      CrmOrderLine *line = crm_order_line_new ();
      crm_order_line_set_product (line, product);
      g_ptr_array_add (lines, line);
    }
  g_assert_false (crm_store_insert_order (store, CRM_ENTITY (order), lines, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FULL);
  g_clear_error (&error);
  g_assert_true (sqlite3_get_autocommit (crm_store_get_db (store)));

  after = fingerprint (store);
  g_assert_cmpstr (before, ==, after);
  assert_aggregates (store, crm_entity_get_id (CRM_ENTITY (c)), 0, 0, 0, 0);

  g_assert_true (crm_store_exec (store, "PRAGMA max_page_count = 1073741823", &error));
  g_assert_true (crm_store_insert (store, CRM_ENTITY (big), &error));
  g_assert_no_error (error);
  g_assert_true (crm_store_insert_order (store, CRM_ENTITY (order), lines, &error));
  g_assert_no_error (error);
  assert_aggregates (store, crm_entity_get_id (CRM_ENTITY (c)), 100, 1, 1700000000000, 1700000000000);
}

/* ---- duplicates ---------------------------------------------------------------- */

static char *
dup_ids (CrmStore  *store,
         CrmCustomer *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = crm_store_find_duplicates (store, CRM_ENTITY (c), &error);
  GString *s = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? "," : "", g_array_index (ids, gint64, i));

  return g_string_free (s, FALSE);
}

static void
test_duplicates (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = new_store (NULL);
  g_autoptr(CrmCustomer) c1 = add_customer (store, "Wang Fang", "+86 138-0013-8000", "Wang.Fang@Example.com");
  g_autoptr(CrmCustomer) c2 = add_customer (store, "W. Fang", NULL, "wang.fang@example.COM");
  g_autoptr(CrmCustomer) c3 = add_customer (store, "Fang W", "13800138000", NULL);
  g_autoptr(CrmCustomer) c4 = add_customer (store, "Fang Wang", "(138) 0013 8000", "other@example.com");
  g_autoptr(CrmCustomer) c5 = add_customer (store, "Unrelated", "13900139000", "unrelated@example.com");
  g_autoptr(CrmCustomer) c6 = add_customer (store, "Deleted Twin", "13800138000", "wang.fang@example.com");
  g_autoptr(CrmCustomer) c7 = add_customer (store, "Short Number", "8000", NULL);
  g_autoptr(CrmCustomer) c8 = add_customer (store, "Same Short", "8-000", NULL);
  g_autoptr(CrmCustomer) fresh = crm_customer_new ();
  g_autofree char *expected = NULL;
  g_autofree char *d1 = NULL;
  g_autofree char *d5 = NULL;
  g_autofree char *d7 = NULL;
  g_autofree char *dfresh = NULL;

  g_assert_true (crm_store_delete (store, CRM_ENTITY (c6), &error));
  g_assert_no_error (error);

  /* Same e-mail in another case, same number with and without +86 and punctuation;
   * never itself, never a deleted customer. */
  d1 = dup_ids (store, c1);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT,
                              crm_entity_get_id (CRM_ENTITY (c2)), crm_entity_get_id (CRM_ENTITY (c3)),
                              crm_entity_get_id (CRM_ENTITY (c4)));
  g_assert_cmpstr (d1, ==, expected);

  d5 = dup_ids (store, c5);
  g_assert_cmpstr (d5, ==, "");

  /* A number shorter than 7 digits is nobody's identity: not every number ending in it, not even
   * the same short number (an extension, a switchboard's). */
  d7 = dup_ids (store, c7);
  g_assert_cmpstr (d7, ==, "");

  /* A customer not saved yet (typed in the form) is checked too. */
  crm_customer_set_name (fresh, "New");
  crm_customer_set_email (fresh, " WANG.FANG@example.com");
  dfresh = dup_ids (store, fresh);
  g_free (expected);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT,
                              crm_entity_get_id (CRM_ENTITY (c1)), crm_entity_get_id (CRM_ENTITY (c2)));
  g_assert_cmpstr (dfresh, ==, expected);
}

/* ---- settings ------------------------------------------------------------------ */

static void
test_settings (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(CrmStore) store = new_store (&path);
  g_autofree char *missing = crm_store_get_setting (store, "currency");
  g_autofree char *v1 = NULL;
  g_autofree char *v2 = NULL;
  g_autofree char *v3 = NULL;
  g_autofree char *v4 = NULL;

  g_assert_null (missing);
  g_assert_true (crm_store_set_setting (store, "currency", "CNY", &error));
  g_assert_no_error (error);
  v1 = crm_store_get_setting (store, "currency");
  g_assert_cmpstr (v1, ==, "CNY");

  g_assert_true (crm_store_set_setting (store, "currency", "EUR", &error));
  v2 = crm_store_get_setting (store, "currency");
  g_assert_cmpstr (v2, ==, "EUR");

  g_assert_false (crm_store_set_setting (store, "currency", "bad \xff", &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  v3 = crm_store_get_setting (store, "currency");
  g_assert_cmpstr (v3, ==, "EUR");

  g_assert_true (crm_store_set_setting (store, "shop-name", "'; DROP TABLE settings; --", &error));

  g_clear_object (&store);
  store = crm_store_open (path, &error);
  g_assert_no_error (error);
  v4 = crm_store_get_setting (store, "shop-name");
  g_assert_cmpstr (v4, ==, "'; DROP TABLE settings; --");
  g_free (v1);
  v1 = crm_store_get_setting (store, "currency");
  g_assert_cmpstr (v1, ==, "EUR");
}

int
main (int    argc,
      char **argv)
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/core/store/open/default-path", test_default_path);
  g_test_add_func ("/core/store/open/file-mode", test_file_mode);
  g_test_add_func ("/core/store/open/pragmas", test_pragmas);
  g_test_add_func ("/core/store/open/reopen", test_reopen);
  g_test_add_func ("/core/store/open/stale-journal", test_stale_journal);
  g_test_add_func ("/core/store/open/reader", test_reader);
  g_test_add_func ("/core/store/migrate/empty", test_migrate_empty);
  g_test_add_func ("/core/store/migrate/v1", test_migrate_v1);
  g_test_add_func ("/core/store/migrate/v4", test_migrate_v4);
  g_test_add_func ("/core/store/migrate/too-new", test_migrate_too_new);
  g_test_add_func ("/core/store/customer-state", test_customer_state);
  g_test_add_func ("/core/store/attach-rows", test_attach_rows);
  g_test_add_func ("/core/store/load-many", test_load_many);
  g_test_add_func ("/core/store/migrate/not-database", test_not_database);
  g_test_add_func ("/core/store/migrate/foreign-database", test_foreign_database);
  g_test_add_func ("/core/store/migrate/negative-version", test_negative_version);
  g_test_add_func ("/core/store/open/empty-file-mode", test_empty_file_mode);
  g_test_add_func ("/core/store/open/cant-open", test_cant_open);
  g_test_add_func ("/core/store/open/locked", test_locked);
  g_test_add_func ("/core/store/aggregates", test_aggregates);
  g_test_add_func ("/core/store/fts", test_fts);
  g_test_add_func ("/core/store/search-pending", test_search_pending);
  g_test_add_func ("/core/store/short-terms", test_short_terms);
  g_test_add_func ("/core/store/search-keys", test_search_keys);
  g_test_add_func ("/core/store/hostile-strings", test_hostile_strings);
  g_test_add_func ("/core/store/invalid-input", test_invalid_input);
  g_test_add_func ("/core/store/invisible-names", test_invisible_names);
  g_test_add_func ("/core/store/transactions", test_transactions);
  g_test_add_func ("/core/store/order-atomic", test_order_atomic);
  g_test_add_func ("/core/store/preset-uuid", test_preset_uuid);
  g_test_add_func ("/core/store/disk-full", test_disk_full);
  g_test_add_func ("/core/store/duplicates", test_duplicates);
  g_test_add_func ("/core/store/settings", test_settings);

  return g_test_run ();
}

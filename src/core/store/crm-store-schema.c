/* crm-store-schema.c: the forward-only migrations.
 *
 * Each step takes the database from user_version N-1 to N and is frozen once
 * released: a later change is a new step, never an edit of an old one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-store-private.h"

#include <glib/gi18n-lib.h>

#include "crm-journal.h"
#include "crm-search.h"

/* Columns every syncable table shares (DESIGN §2). */
#define ENTITY_COLUMNS \
  "id INTEGER PRIMARY KEY," \
  "uuid TEXT NOT NULL UNIQUE," \
  "created_at INTEGER NOT NULL," \
  "updated_at INTEGER NOT NULL," \
  "deleted_at INTEGER,"

static const char schema_v1[] =
  "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"

  "CREATE TABLE tiers (" ENTITY_COLUMNS
  "  name TEXT NOT NULL, rank INTEGER NOT NULL DEFAULT 0, color TEXT,"
  "  min_spend INTEGER, min_orders INTEGER, window_days INTEGER NOT NULL DEFAULT 365,"
  "  rfm_rule TEXT, match_any INTEGER NOT NULL DEFAULT 0, benefits TEXT,"
  "  points_multiplier REAL NOT NULL DEFAULT 1.0);"

  "CREATE TABLE customers (" ENTITY_COLUMNS
  "  name TEXT NOT NULL, gender INTEGER NOT NULL DEFAULT 0, birthday TEXT,"
  "  phone TEXT, email TEXT, company TEXT, occupation TEXT, address TEXT,"
  "  city TEXT, region TEXT, country TEXT, postal_code TEXT, source TEXT,"
  "  tags TEXT, notes TEXT,"
  "  email_consent INTEGER NOT NULL DEFAULT 0, email_consent_at INTEGER,"
  "  sms_consent INTEGER NOT NULL DEFAULT 0, sms_consent_at INTEGER,"
  "  owner TEXT, external_id TEXT,"
  /* Moved to customer_state in schema 3, with their two indexes below. */
  "  tier_id INTEGER REFERENCES tiers(id), lifecycle INTEGER NOT NULL DEFAULT 0,"
  /* Aggregates kept by the store in the same transaction as each order write. */
  "  total_spent INTEGER NOT NULL DEFAULT 0, order_count INTEGER NOT NULL DEFAULT 0,"
  "  first_order_at INTEGER, last_order_at INTEGER,"
  /* Search keys kept by the store: the national phone digits (crm_text_phone_key)
   * forwards and backwards (leading- and trailing-digit lookups), case-folded
   * e-mail and its domain. */
  "  phone_digits TEXT, phone_rev TEXT, email_key TEXT, email_domain TEXT,"
  "  merged_into INTEGER REFERENCES customers(id));"

  /* Partial indexes: every list hides tombstones, so they need not be indexed. */
  "CREATE INDEX customers_name ON customers (name COLLATE NOCASE, id) WHERE deleted_at IS NULL;"
  /* Search hits are joined back by id and sorted by name: this covering index
   * answers both without touching the (wide) table rows, halving Latin search. */
  "CREATE INDEX customers_id_name ON customers (id, name COLLATE NOCASE) WHERE deleted_at IS NULL;"
  "CREATE INDEX customers_total_spent ON customers (total_spent, id) WHERE deleted_at IS NULL;"
  "CREATE INDEX customers_order_count ON customers (order_count, id) WHERE deleted_at IS NULL;"
  "CREATE INDEX customers_last_order ON customers (last_order_at, id) WHERE deleted_at IS NULL;"
  "CREATE INDEX customers_city ON customers (city COLLATE NOCASE, id) WHERE deleted_at IS NULL;"
  "CREATE INDEX customers_tier ON customers (tier_id) WHERE deleted_at IS NULL;"
  "CREATE INDEX customers_lifecycle ON customers (lifecycle) WHERE deleted_at IS NULL;"
  "CREATE INDEX customers_phone_digits ON customers (phone_digits) WHERE phone_digits IS NOT NULL;"
  "CREATE INDEX customers_phone_rev ON customers (phone_rev) WHERE phone_rev IS NOT NULL;"
  "CREATE INDEX customers_email_key ON customers (email_key) WHERE email_key IS NOT NULL;"
  "CREATE INDEX customers_email_domain ON customers (email_domain) WHERE email_domain IS NOT NULL;"
  "CREATE INDEX customers_external_id ON customers (external_id) WHERE external_id IS NOT NULL;"

  /* One- and two-character queries (王芳, 李) cannot use trigrams: see crm_text_short_terms(). */
  "CREATE TABLE customer_terms (term TEXT NOT NULL, customer_id INTEGER NOT NULL,"
  "  PRIMARY KEY (term, customer_id)) WITHOUT ROWID;"
  "CREATE TABLE customer_tags (tag TEXT NOT NULL, customer_id INTEGER NOT NULL,"
  "  PRIMARY KEY (tag, customer_id)) WITHOUT ROWID;"

  "CREATE VIRTUAL TABLE customers_fts USING fts5 (name, company, city, tags, notes,"
  "  content='customers', content_rowid='id', tokenize='trigram');"
  "CREATE TRIGGER customers_fts_ai AFTER INSERT ON customers BEGIN"
  "  INSERT INTO customers_fts (rowid, name, company, city, tags, notes)"
  "  VALUES (new.id, new.name, new.company, new.city, new.tags, new.notes);"
  "END;"
  "CREATE TRIGGER customers_fts_ad AFTER DELETE ON customers BEGIN"
  "  INSERT INTO customers_fts (customers_fts, rowid, name, company, city, tags, notes)"
  "  VALUES ('delete', old.id, old.name, old.company, old.city, old.tags, old.notes);"
  "END;"
  "CREATE TRIGGER customers_fts_au AFTER UPDATE OF name, company, city, tags, notes ON customers BEGIN"
  "  INSERT INTO customers_fts (customers_fts, rowid, name, company, city, tags, notes)"
  "  VALUES ('delete', old.id, old.name, old.company, old.city, old.tags, old.notes);"
  "  INSERT INTO customers_fts (rowid, name, company, city, tags, notes)"
  "  VALUES (new.id, new.name, new.company, new.city, new.tags, new.notes);"
  "END;"

  "CREATE TABLE orders (" ENTITY_COLUMNS
  "  customer_id INTEGER NOT NULL REFERENCES customers(id), number TEXT,"
  "  placed_at INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'completed', channel TEXT,"
  "  currency TEXT NOT NULL DEFAULT 'CNY', subtotal INTEGER NOT NULL DEFAULT 0,"
  "  discount INTEGER NOT NULL DEFAULT 0, shipping INTEGER NOT NULL DEFAULT 0,"
  "  tax INTEGER NOT NULL DEFAULT 0, total INTEGER NOT NULL DEFAULT 0,"
  "  external_id TEXT, notes TEXT);"
  /* Covering for the aggregates and for RFM: one index range per customer. */
  "CREATE INDEX orders_customer ON orders (customer_id, placed_at, total, status) WHERE deleted_at IS NULL;"
  "CREATE INDEX orders_external_id ON orders (external_id) WHERE external_id IS NOT NULL;"

  "CREATE TABLE order_lines (" ENTITY_COLUMNS
  "  order_id INTEGER NOT NULL REFERENCES orders(id), sku TEXT, product TEXT, category TEXT,"
  "  quantity INTEGER NOT NULL DEFAULT 1, unit_price INTEGER NOT NULL DEFAULT 0,"
  "  amount INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX order_lines_order ON order_lines (order_id);"

  "CREATE TABLE campaigns (" ENTITY_COLUMNS
  "  name TEXT NOT NULL, channel TEXT, status TEXT, segment TEXT, subject TEXT, body TEXT,"
  "  scheduled_at INTEGER, sent_at INTEGER);"

  "CREATE TABLE feedback (" ENTITY_COLUMNS
  "  customer_id INTEGER REFERENCES customers(id), kind TEXT, score INTEGER, comment TEXT,"
  "  status TEXT, channel TEXT, resolution TEXT, resolved_at INTEGER);"
  "CREATE INDEX feedback_customer ON feedback (customer_id);"

  "CREATE TABLE interactions (" ENTITY_COLUMNS
  "  customer_id INTEGER REFERENCES customers(id), channel TEXT, direction TEXT, subject TEXT,"
  "  body TEXT, occurred_at INTEGER, follow_up_at INTEGER, owner TEXT);"
  "CREATE INDEX interactions_customer ON interactions (customer_id, occurred_at);"

  /* RFM scores of the last recompute: only customers with an order in the window. */
  "CREATE TABLE customer_rfm (customer_id INTEGER PRIMARY KEY REFERENCES customers(id),"
  "  r_days INTEGER NOT NULL, frequency INTEGER NOT NULL, monetary INTEGER NOT NULL,"
  "  r_score INTEGER NOT NULL, f_score INTEGER NOT NULL, m_score INTEGER NOT NULL,"
  "  segment TEXT NOT NULL, computed_at INTEGER NOT NULL);"

  "CREATE TABLE tier_overrides (customer_id INTEGER PRIMARY KEY REFERENCES customers(id),"
  "  tier_id INTEGER NOT NULL REFERENCES tiers(id), reason TEXT NOT NULL,"
  "  expires_at INTEGER, created_at INTEGER NOT NULL);"
  "CREATE TABLE tier_history (id INTEGER PRIMARY KEY,"
  "  customer_id INTEGER NOT NULL REFERENCES customers(id),"
  "  from_tier INTEGER, to_tier INTEGER, at INTEGER NOT NULL, reason TEXT NOT NULL);"
  "CREATE INDEX tier_history_customer ON tier_history (customer_id, at);"
  "CREATE INDEX tier_history_at ON tier_history (at);"
  "CREATE TABLE lifecycle_history (id INTEGER PRIMARY KEY,"
  "  customer_id INTEGER NOT NULL REFERENCES customers(id),"
  "  from_stage INTEGER, to_stage INTEGER NOT NULL, at INTEGER NOT NULL);"
  "CREATE INDEX lifecycle_history_customer ON lifecycle_history (customer_id, at);"

  "CREATE TABLE segments (" ENTITY_COLUMNS
  "  name TEXT NOT NULL, rule TEXT NOT NULL, position INTEGER NOT NULL DEFAULT 0);"

  /* Customer-value predictions of the last scoring run (crm-predict.c): customers with a
   * counted order before the calibration end.  x, t_x, T (weeks) are the model inputs. */
  "CREATE TABLE customer_predictions (customer_id INTEGER PRIMARY KEY REFERENCES customers(id),"
  "  x INTEGER NOT NULL, t_x REAL NOT NULL, T REAL NOT NULL,"
  "  expected_30 REAL, expected_90 REAL, expected_365 REAL,"   /* NULL: the series did not converge */
  "  p_alive REAL NOT NULL, clv INTEGER, risk TEXT NOT NULL, computed_at INTEGER NOT NULL);"
  /* Covering for "valuable customers at risk": CLV range, P(alive) filter, id. */
  "CREATE INDEX customer_predictions_clv ON customer_predictions (clv, p_alive);"

  /* Item-to-item co-purchase (crm-recommend.c).  product: the SKU, or the product name
   * for lines without one.  Pairs are directed: confidence is P(b | a). */
  "CREATE TABLE product_stats (product TEXT PRIMARY KEY, name TEXT, category TEXT,"
  "  orders INTEGER NOT NULL, support REAL NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE product_pairs (a TEXT NOT NULL, b TEXT NOT NULL, count INTEGER NOT NULL,"
  "  support REAL NOT NULL, confidence REAL NOT NULL, lift REAL NOT NULL,"
  "  PRIMARY KEY (a, b)) WITHOUT ROWID;"

  /* Sales aggregates for the dashboard and the demand forecast (crm-forecast.c), by
   * local day (days since 1970-01-01) and local month (yyyymm), counted orders only. */
  "CREATE TABLE sales_daily (day INTEGER PRIMARY KEY, orders INTEGER NOT NULL,"
  "  revenue INTEGER NOT NULL, new_customers INTEGER NOT NULL);"
  "CREATE TABLE sales_category_monthly (month INTEGER NOT NULL, category TEXT NOT NULL,"
  "  revenue INTEGER NOT NULL, units INTEGER NOT NULL, PRIMARY KEY (month, category)) WITHOUT ROWID;"

  /* Column mappings of CSV imports, remembered per header set (import/crm-import-mapping.c):
   * header_hash is SHA-256 of the kind and the header names; mapping is {"Source column": "field", ...}. */
  "CREATE TABLE import_mappings (header_hash TEXT PRIMARY KEY, kind TEXT NOT NULL,"
  "  mapping TEXT NOT NULL, updated_at INTEGER NOT NULL) WITHOUT ROWID;"
  /* Merges of two customers and what undoing one needs (crm-merge.c): data is JSON with the
   * loser's and survivor's fields before the merge and the ids of the records moved. */
  "CREATE TABLE merge_log (id INTEGER PRIMARY KEY, survivor_id INTEGER NOT NULL REFERENCES customers(id),"
  "  loser_id INTEGER NOT NULL REFERENCES customers(id), at INTEGER NOT NULL, data TEXT NOT NULL,"
  "  undone_at INTEGER);"
  "CREATE INDEX merge_log_loser ON merge_log (loser_id);"

  /* The sync outbox: one row per change to a syncable row, in the same transaction.  fields is
   * the JSON array of the columns an 'update' changed; an 'insert' (the whole row), 'delete'
   * and 'restore' carry NULL.  Rows journaled before 2026-11-26 may list every column on an
   * 'insert', which means the same.  Made compact in schema 5 (migrate_v5()). */
  "CREATE TABLE changes (id INTEGER PRIMARY KEY, entity TEXT NOT NULL, uuid TEXT NOT NULL,"
  "  op TEXT NOT NULL, at INTEGER NOT NULL, fields TEXT);"
  ;

/* 1 → 2: customers.uuid is unique through an index of its own (customers_uuid) instead of a
 * UNIQUE constraint, so that a bulk import can drop it and make it again with one sort like
 * the other indexes: written row by row in the file's order, the uuids of a re-imported export
 * land at random places of the index (1.3 s of a 1M-row import's 5 s of row writing).  SQLite
 * cannot drop a constraint, so the table is made again and the rows copied (ids kept, so the
 * full-text index, keyed by rowid, stays right); its indexes and triggers are made again from
 * their stored SQL.  Foreign keys are off during migrations (crm_store_migrate()). */
static gboolean
migrate_v2 (CrmStore  *self,
            GError   **error)
{
  sqlite3 *db = crm_store_get_db (self);
  g_autoptr(GPtrArray) indexes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) triggers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) table = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean secure_delete, ok;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT sql FROM sqlite_master WHERE name = 'customers' AND type = 'table'",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    table = g_string_new ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (table == NULL)
    return crm_store_set_error (self, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, error);
  if (g_string_replace (table, "CREATE TABLE customers (", "CREATE TABLE customers_v2 (", 1) != 1 ||
      g_string_replace (table, "uuid TEXT NOT NULL UNIQUE,", "uuid TEXT NOT NULL,", 1) != 1)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_DATABASE,
                   _("The customers table is not the one this version of Clientele made"));
      return FALSE;
    }

  rc = sqlite3_prepare_v2 (db, "SELECT type, sql FROM sqlite_master WHERE tbl_name = 'customers'"
                               " AND type IN ('index', 'trigger') AND sql IS NOT NULL", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      g_ptr_array_add (g_str_equal ((const char *) sqlite3_column_text (stmt, 0), "index") ? indexes : triggers,
                       g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (self, rc, error);
  g_ptr_array_add (indexes, g_strdup ("CREATE UNIQUE INDEX customers_uuid ON customers (uuid)"));

  /* The old table's pages need no zeroing: every row lives on in the new one (at 1M customers
   * that write was a quarter of the step). */
  secure_delete = sqlite3_exec (db, "PRAGMA secure_delete = OFF", NULL, NULL, NULL) == SQLITE_OK;
  ok = crm_store_exec (self, table->str, error) &&
       crm_store_exec (self, "INSERT INTO customers_v2 SELECT * FROM customers;"
                             "DROP TABLE customers;"
                             "ALTER TABLE customers_v2 RENAME TO customers;", error);
  if (secure_delete)
    sqlite3_exec (db, "PRAGMA secure_delete = ON", NULL, NULL, NULL);
  if (!ok || !crm_store_create_indexes (self, indexes, error))
    return FALSE;
  for (guint i = 0; i < triggers->len; i++)
    if (!crm_store_exec (self, g_ptr_array_index (triggers, i), error))
      return FALSE;

  return TRUE;
}

/* 2 → 3: a customer's tier and lifecycle stage move out of the wide customers row (~300 bytes)
 * into customer_state, a narrow table of one row per customer.  A recompute rewrites them for
 * most customers the first time it runs (every tier starts empty): in the customers table that
 * rewrote 300 MB at 1M customers, 2.6 s of a 7.5 s first run; here it is ~15 MB.  Readers join
 * it (crm_customer's FROM clause, CRM_CUSTOMER_STATE_SQL); `deleted` mirrors customers.deleted_at
 * so that counts per tier or stage need not read the customers table.  The triggers keep one
 * row per customer whoever inserts one; bulk writers that drop the insert trigger write the rows
 * themselves (crm-generate.c).  DROP COLUMN rewrites the customers table: ~4 s at 1M. */
static const char schema_v3[] =
  "CREATE TABLE customer_state (customer_id INTEGER PRIMARY KEY REFERENCES customers(id),"
  "  tier_id INTEGER REFERENCES tiers(id), lifecycle INTEGER NOT NULL DEFAULT 0,"
  "  deleted INTEGER NOT NULL DEFAULT 0);"
  "INSERT INTO customer_state (customer_id, tier_id, lifecycle, deleted)"
  "  SELECT id, tier_id, lifecycle, deleted_at IS NOT NULL FROM customers ORDER BY id;"
  "DROP INDEX customers_tier;"
  "DROP INDEX customers_lifecycle;"
  "ALTER TABLE customers DROP COLUMN tier_id;"
  "ALTER TABLE customers DROP COLUMN lifecycle;"
  "CREATE INDEX customer_state_tier ON customer_state (tier_id) WHERE deleted = 0;"
  "CREATE INDEX customer_state_lifecycle ON customer_state (lifecycle) WHERE deleted = 0;"
  "CREATE TRIGGER customers_state_ai AFTER INSERT ON customers BEGIN"
  "  INSERT INTO customer_state (customer_id, deleted) VALUES (new.id, new.deleted_at IS NOT NULL);"
  "END;"
  "CREATE TRIGGER customers_state_au AFTER UPDATE OF deleted_at ON customers BEGIN"
  "  UPDATE customer_state SET deleted = (new.deleted_at IS NOT NULL) WHERE customer_id = new.id;"
  "END;"
  /* A customer erased for real (privacy) takes its state along. */
  "CREATE TRIGGER customers_state_ad AFTER DELETE ON customers BEGIN"
  "  DELETE FROM customer_state WHERE customer_id = old.id;"
  "END;";

/* 3 → 4: tiers.preset, the key of a built-in tier (crm-tier.c), so that its name and benefits
 * show in the interface's language instead of the language of the run that made them.  The
 * built-in tiers made before are recognised by their name and benefits together, as made in
 * English or in Chinese (the shipped translation). */
static const char schema_v4[] =
  "ALTER TABLE tiers ADD COLUMN preset TEXT;"
  "UPDATE tiers SET preset = CASE"
  "  WHEN (name, benefits) IN (VALUES ('Regular', 'Points on every purchase'),"
  "                                  ('普通会员', '每次消费均可积分')) THEN 'regular'"
  "  WHEN (name, benefits) IN (VALUES ('Silver', '5% birthday coupon, 1.2× points'),"
  "                                  ('银卡会员', '生日九五折优惠券，1.2 倍积分')) THEN 'silver'"
  "  WHEN (name, benefits) IN (VALUES ('Gold', '10% off twice a year, free shipping, 1.5× points'),"
  "                                  ('金卡会员', '每年两次九折、包邮，1.5 倍积分')) THEN 'gold'"
  "  WHEN (name, benefits) IN (VALUES ('VIP', 'Personal contact, early access, 2× points'),"
  "                                  ('VIP', '专属客服、抢先购，2 倍积分')) THEN 'vip' END;"
  ;

/* 4 → 5: the change journal becomes a compact record with readers (crm-journal.c).  An entry
 * was the entity, uuid and op as text (~70 bytes a row; after a 1M import the table was larger
 * than wanted); it is now small integers, the row's id (the uuid is read from the row: rows are
 * tombstoned, not removed), the changed fields as a bit mask over the entity's field table, the
 * time and an origin (NULL: local; else the sync account that wrote it, in journal_origins).
 * uuid is kept only for a row no table has any more (erased).  seq keeps the old ids and is
 * AUTOINCREMENT, so that a number a reader has passed never comes back after a prune.  An
 * insert's field list (rows written before 2026-11-26 listed every column) means nothing more
 * than "the whole row": dropped. */
static const char schema_v5[] =
  "CREATE TABLE journal_origins (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
  "CREATE TABLE journal_consumers (name TEXT PRIMARY KEY, acked_seq INTEGER NOT NULL,"
  "  origin INTEGER REFERENCES journal_origins(id)) WITHOUT ROWID;"
  "CREATE TABLE journal_v5 (seq INTEGER PRIMARY KEY AUTOINCREMENT, entity INTEGER NOT NULL,"
  "  row_id INTEGER, op INTEGER NOT NULL, at INTEGER NOT NULL, fields INTEGER,"
  "  origin INTEGER REFERENCES journal_origins(id), uuid TEXT);"
  "INSERT INTO journal_v5 (seq, entity, row_id, op, at, fields, uuid)"
  "  SELECT id, code, row_id, op, at, fields, CASE WHEN row_id IS NULL THEN uuid END FROM ("
  "    SELECT c.id, c.uuid, c.at,"
  "      CASE c.entity WHEN 'customer' THEN 1 WHEN 'order' THEN 2 WHEN 'order_line' THEN 3"
  "        WHEN 'feedback' THEN 4 WHEN 'interaction' THEN 5 WHEN 'tier' THEN 6 WHEN 'segment' THEN 7"
  "        WHEN 'campaign' THEN 8 ELSE 0 END AS code,"
  "      CASE c.entity"
  "        WHEN 'customer' THEN (SELECT id FROM customers WHERE uuid = c.uuid)"
  "        WHEN 'order' THEN (SELECT id FROM orders WHERE uuid = c.uuid)"
  "        WHEN 'order_line' THEN (SELECT id FROM order_lines WHERE uuid = c.uuid)"
  "        WHEN 'feedback' THEN (SELECT id FROM feedback WHERE uuid = c.uuid)"
  "        WHEN 'interaction' THEN (SELECT id FROM interactions WHERE uuid = c.uuid)"
  "        WHEN 'tier' THEN (SELECT id FROM tiers WHERE uuid = c.uuid)"
  "        WHEN 'segment' THEN (SELECT id FROM segments WHERE uuid = c.uuid)"
  "        WHEN 'campaign' THEN (SELECT id FROM campaigns WHERE uuid = c.uuid) END AS row_id,"
  "      CASE c.op WHEN 'insert' THEN 1 WHEN 'delete' THEN 3 WHEN 'restore' THEN 4 ELSE 2 END AS op,"
  "      CASE WHEN c.op = 'update' AND json_valid(c.fields) THEN"
  "        (SELECT sum(DISTINCT 1 << b.bit) FROM json_each(c.fields) j"
  "         JOIN temp.journal_v5_bits b ON b.entity = c.entity AND b.col = j.value) END AS fields"
  "    FROM changes c) ORDER BY id;"
  "DROP TABLE changes;"
  "ALTER TABLE journal_v5 RENAME TO changes;"
  "DROP TABLE temp.journal_v5_bits;";

/* The bit of every column, by the field tables of this program: the old entries named their
 * columns, so their masks are right for the program that reads them. */
static gboolean
migrate_v5 (CrmStore  *self,
            GError   **error)
{
  static const CrmJournalEntity codes[] = {
    CRM_JOURNAL_ENTITY_CUSTOMER, CRM_JOURNAL_ENTITY_ORDER, CRM_JOURNAL_ENTITY_ORDER_LINE,
    CRM_JOURNAL_ENTITY_FEEDBACK, CRM_JOURNAL_ENTITY_INTERACTION, CRM_JOURNAL_ENTITY_TIER,
    CRM_JOURNAL_ENTITY_SEGMENT, CRM_JOURNAL_ENTITY_CAMPAIGN,
  };
  sqlite3_stmt *stmt;

  if (!crm_store_exec (self, "CREATE TEMP TABLE journal_v5_bits (entity TEXT NOT NULL, col TEXT NOT NULL,"
                             " bit INTEGER NOT NULL, PRIMARY KEY (entity, col)) WITHOUT ROWID", error) ||
      !(stmt = crm_store_prepare (self, "INSERT INTO temp.journal_v5_bits VALUES (?, ?, ?)", error)))
    return FALSE;
  for (guint e = 0; e < G_N_ELEMENTS (codes); e++)
    for (guint bit = 0; bit < 64; bit++)
      {
        g_auto(GStrv) name = crm_journal_field_names (codes[e], G_GUINT64_CONSTANT (1) << bit);

        if (name[0] == NULL)
          break;
        sqlite3_bind_text (stmt, 1, crm_journal_entity_to_string (codes[e]), -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 2, name[0], -1, SQLITE_TRANSIENT);
        sqlite3_bind_int (stmt, 3, bit);
        if (!crm_store_step (self, stmt, error))
          return FALSE;
      }
  return crm_store_exec (self, schema_v5, error);
}

/* Phone identity (issue 12): phone_rev was the national digits reversed, and duplicates were
 * customers sharing the last 8 of them — +86 138 0000 0005 and +86 139 0000 0005 were one
 * person.  It becomes the whole number in international form (crm_phone_key()), reversed,
 * completed with the database's region; the region a database without one used all along
 * (the locale's) is written down, so that the keys no longer depend on who opens the file. */
static gboolean
migrate_v6 (CrmStore  *self,
            GError   **error)
{
  g_autofree char *region = crm_store_dup_region (self);
  sqlite3_stmt *stmt = crm_store_prepare (self, "INSERT OR IGNORE INTO settings (key, value) VALUES ('region', ?)",
                                          error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, region, -1, SQLITE_STATIC);
  return crm_store_step (self, stmt, error) &&
         crm_search_rekey_phones (self, region, TRUE, error);
}

/* 6 → 7: names sort in pinyin order and are found by their pinyin (crm-pinyin.c).  name_key
 * is the ICU sort key of the name, indexed as the list sorts; the pinyin search keys join the
 * short-query terms in customer_terms.  Both are made here for every existing customer (names
 * read and keys written in batches by id, the terms written once in the table's order), and the
 * indexes are built after them, with one sort each: (name_key, id) gives the list's order,
 * (id, name_key) sorts a search's hits without reading the rows, as customers_id_name does. */
static gboolean
migrate_pinyin (CrmStore  *self,
                GError   **error)
{
  return crm_store_exec (self, "ALTER TABLE customers ADD COLUMN name_key BLOB", error) &&
         crm_search_add_pinyin (self, error) &&
         crm_store_exec (self, "CREATE INDEX customers_name_key ON customers (name_key, id)"
                               " WHERE deleted_at IS NULL;"
                               "CREATE INDEX customers_id_name_key ON customers (id, name_key)"
                               " WHERE deleted_at IS NULL", error);
}

/* 7 → 8: recording a sale and every contact by hand (crm-sales.c, crm-interactions.c).
 * - orders.payment_method; orders.refunded, what refunds gave back of the order.  A refund is a
 *   record of its own (refunds) and lowers orders.total, which is what the customer paid net of
 *   refunds: the aggregates, scores, tiers and sales figures, which all read total through the
 *   covering index orders_customer, follow a refund without another column in that index (at
 *   10M orders a new index would cost the upgrade tens of seconds).  The order's gross figure
 *   is total + refunded.  A whole refund sets the status to 'refunded' (not counted).
 *   Existing orders keep their totals: refunded is 0.
 * - interactions.logged_by: who logged the contact (the account's user name); subject is its
 *   one-line summary.
 * - interactions_fts: the summaries and notes of live interactions for search, keyed by the
 *   interaction's id; written only by crm-search.c (crm_search_index_interaction()).  It keeps
 *   its own copy of the text (no external content), so an edit or tombstone needs only the id;
 *   interaction_terms, the short terms of the summaries for one- and two-character queries. */
static const char schema_sales[] =
  "ALTER TABLE orders ADD COLUMN payment_method TEXT;"
  "ALTER TABLE orders ADD COLUMN refunded INTEGER NOT NULL DEFAULT 0;"
  "CREATE TABLE refunds (" ENTITY_COLUMNS
  "  order_id INTEGER NOT NULL REFERENCES orders(id), amount INTEGER NOT NULL,"
  "  reason TEXT, refunded_at INTEGER NOT NULL);"
  "CREATE INDEX refunds_order ON refunds (order_id);"
  "ALTER TABLE interactions ADD COLUMN logged_by TEXT;"
  "CREATE VIRTUAL TABLE interactions_fts USING fts5 (subject, body, tokenize='trigram');"
  /* Trigrams cannot match one- or two-character queries (退货, 茶): the summaries' short terms
   * (crm_text_short_terms()), as customer_terms has for names. */
  "CREATE TABLE interaction_terms (term TEXT NOT NULL, interaction_id INTEGER NOT NULL,"
  "  PRIMARY KEY (term, interaction_id)) WITHOUT ROWID;"
  "CREATE INDEX interaction_terms_interaction ON interaction_terms (interaction_id);";

static gboolean
migrate_sales (CrmStore  *self,
               GError   **error)
{
  return crm_store_exec (self, schema_sales, error) &&
         crm_search_fill_interactions (self, error);
}

/* 8 → 9: sync accounts (src/core/sync/).  An account is its kind, name, URL and user; its
 * password or secret is in the keyring (has_secret says whether there is one), never here.
 * collection and sync_token are where a CardDAV account syncs and how far; trusted_certificate
 * the SHA-256 fingerprint of a certificate the user chose to trust (a self-signed server).  A link is a customer
 * as one account knows it: the remote resource, its ETag, the card's UID there and the card as
 * last synced (the base of a three-way merge). */
static const char schema_sync[] =
  "CREATE TABLE sync_accounts (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, url TEXT NOT NULL, user TEXT,"
  "  has_secret INTEGER NOT NULL DEFAULT 0, trusted_certificate TEXT, collection TEXT, sync_token TEXT,"
  "  created_at INTEGER NOT NULL, synced_at INTEGER, last_error TEXT);"
  "CREATE TABLE sync_links (account_id INTEGER NOT NULL REFERENCES sync_accounts(id) ON DELETE CASCADE,"
  "  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
  "  href TEXT NOT NULL, etag TEXT, uid TEXT, card TEXT, synced_at INTEGER NOT NULL,"
  "  PRIMARY KEY (account_id, customer_id)) WITHOUT ROWID;"
  "CREATE UNIQUE INDEX sync_links_href ON sync_links (account_id, href);"
  "CREATE INDEX sync_links_customer ON sync_links (customer_id);";

/* 9 → 10: coupons and member cards (src/core/loyalty/crm-coupon.c, crm-member-card.c).
 * - coupon_batches: a campaign of codes; kind 'percent' (value 1–100) or 'amount' (minor units
 *   of currency); segment / customer_id: whom it was last issued to.
 * - coupon_codes: code stored upper case (matched case-insensitively by normalising the input),
 *   unique across batches; customer_id: the one customer who may use it (NULL: anyone); uses,
 *   how often it was redeemed, which a trigger keeps within the batch's uses_per_code — the last
 *   guard of "a single-use code succeeds once" behind the BEGIN IMMEDIATE of a redemption.
 * - coupon_redemptions: code, customer, order and time (spend: what the minimum was checked on).
 * - member_cards: card numbers with a Luhn check digit; one live card per customer (the partial
 *   unique index); a reissue sets revoked_at on the old row, which stays as history and whose
 *   number is refused afterwards. */
static const char schema_loyalty_coupons[] =
  "CREATE TABLE coupon_batches (" ENTITY_COLUMNS
  "  name TEXT NOT NULL, prefix TEXT NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('percent', 'amount')), value INTEGER NOT NULL,"
  "  currency TEXT NOT NULL DEFAULT 'CNY', min_spend INTEGER NOT NULL DEFAULT 0,"
  "  valid_from INTEGER, valid_until INTEGER,"
  "  uses_per_code INTEGER NOT NULL DEFAULT 1 CHECK (uses_per_code >= 1),"
  "  uses_per_customer INTEGER NOT NULL DEFAULT 1 CHECK (uses_per_customer >= 1),"
  "  segment TEXT, customer_id INTEGER REFERENCES customers(id));"
  "CREATE UNIQUE INDEX coupon_batches_name ON coupon_batches (name) WHERE deleted_at IS NULL;"
  "CREATE TABLE coupon_codes (id INTEGER PRIMARY KEY,"
  "  batch_id INTEGER NOT NULL REFERENCES coupon_batches(id), code TEXT NOT NULL UNIQUE,"
  "  customer_id INTEGER REFERENCES customers(id), issued_at INTEGER NOT NULL,"
  "  uses INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0));"
  "CREATE INDEX coupon_codes_batch ON coupon_codes (batch_id, customer_id);"
  "CREATE INDEX coupon_codes_customer ON coupon_codes (customer_id) WHERE customer_id IS NOT NULL;"
  "CREATE TRIGGER coupon_codes_uses BEFORE UPDATE OF uses ON coupon_codes"
  "  WHEN new.uses > (SELECT uses_per_code FROM coupon_batches WHERE id = new.batch_id) BEGIN"
  "  SELECT RAISE (ABORT, 'coupon code used up');"
  "END;"
  "CREATE TABLE coupon_redemptions (id INTEGER PRIMARY KEY,"
  "  code_id INTEGER NOT NULL REFERENCES coupon_codes(id),"
  "  customer_id INTEGER NOT NULL REFERENCES customers(id), order_id INTEGER REFERENCES orders(id),"
  "  spend INTEGER, redeemed_at INTEGER NOT NULL);"
  "CREATE INDEX coupon_redemptions_code ON coupon_redemptions (code_id, customer_id);"
  "CREATE INDEX coupon_redemptions_customer ON coupon_redemptions (customer_id);"
  "CREATE TABLE member_cards (id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE,"
  "  customer_id INTEGER NOT NULL REFERENCES customers(id), issued_at INTEGER NOT NULL,"
  "  revoked_at INTEGER, reason TEXT);"
  "CREATE UNIQUE INDEX member_cards_live ON member_cards (customer_id) WHERE revoked_at IS NULL;";
/* 10 → 11: follow-ups, owners and the customer pool (service/crm-tasks.c, service/crm-pool.c).
 * - owners: the managed list of sales reps.  customers.owner stays the owner's name (imports,
 *   exports, rules and the customer list read it as before), and refers to owners.name: the
 *   triggers register a name written by any writer (an import, sync, the generator), so a
 *   customer's owner is always one of the list.  The free-text owners of earlier files become
 *   owners here.  customers_owner serves "My customers" and the pool (owner IS NULL).
 * - tasks: follow-ups on a customer, due at a time, with an owner; done_at set when done.
 *   origin: 'manual', 'birthday', 'at-risk' (suggested) or 'complaint' (feedback_id names the
 *   complaint).  suggestion_key is unique, so a suggestion becomes a task at most once;
 *   reminded_at is when a reminder was shown.  Not synced: no journal.
 * - pool_history: every claim, assignment, release and return to the pool, with the owner
 *   before and after and who did it. */
/* A random (version 4) UUID and the time now in ms, in SQL (SQLite 3.40 has no 'subsec'). */
#define SQL_UUID \
  "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2)" \
  " || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-'" \
  " || hex(randomblob(6)))"
#define SQL_NOW_MS "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"

static const char schema_tasks[] =
  "CREATE TABLE owners (" ENTITY_COLUMNS
  "  name TEXT NOT NULL UNIQUE COLLATE NOCASE);"
  "INSERT INTO owners (uuid, created_at, updated_at, name)"
  "  SELECT " SQL_UUID ", " SQL_NOW_MS ", " SQL_NOW_MS ", name FROM ("
  /* With min(id) selected, name is that row's: the spelling of the first customer. */
  "    SELECT trim(owner) AS name, min(id) AS first FROM customers"
  "    WHERE owner IS NOT NULL AND trim(owner) <> '' GROUP BY trim(owner) COLLATE NOCASE)"
  "  ORDER BY first;"
  /* Blank owners were no owner; padded ones take the list's spelling. */
  "UPDATE customers SET owner = NULL WHERE owner IS NOT NULL AND trim(owner) = '';"
  "UPDATE customers SET owner = (SELECT name FROM owners WHERE name = trim(customers.owner))"
  "  WHERE owner IS NOT NULL AND owner IS NOT (SELECT name FROM owners WHERE name = trim(customers.owner));"
  "CREATE INDEX customers_owner ON customers (owner, id) WHERE deleted_at IS NULL;"
  /* The birthdays of the next days (crm_tasks_suggest()) by month and day. */
  "CREATE INDEX customers_birthday_md ON customers (substr(birthday, 6, 5))"
  "  WHERE birthday IS NOT NULL AND deleted_at IS NULL;"
  "CREATE TRIGGER customers_owner_ai AFTER INSERT ON customers WHEN new.owner IS NOT NULL BEGIN"
  "  INSERT OR IGNORE INTO owners (uuid, created_at, updated_at, name)"
  "  VALUES (" SQL_UUID ", " SQL_NOW_MS ", " SQL_NOW_MS ", new.owner);"
  "END;"
  "CREATE TRIGGER customers_owner_au AFTER UPDATE OF owner ON customers WHEN new.owner IS NOT NULL BEGIN"
  "  INSERT OR IGNORE INTO owners (uuid, created_at, updated_at, name)"
  "  VALUES (" SQL_UUID ", " SQL_NOW_MS ", " SQL_NOW_MS ", new.owner);"
  "END;"
  "CREATE TABLE tasks (" ENTITY_COLUMNS
  "  customer_id INTEGER NOT NULL REFERENCES customers(id), title TEXT NOT NULL,"
  "  notes TEXT, due_at INTEGER NOT NULL, owner TEXT, done_at INTEGER,"
  "  origin TEXT NOT NULL DEFAULT 'manual', feedback_id INTEGER REFERENCES feedback(id),"
  "  suggestion_key TEXT UNIQUE, reminded_at INTEGER);"
  "CREATE INDEX tasks_customer ON tasks (customer_id, due_at);"
  "CREATE INDEX tasks_open ON tasks (due_at) WHERE done_at IS NULL AND deleted_at IS NULL;"
  "CREATE INDEX tasks_feedback ON tasks (feedback_id) WHERE feedback_id IS NOT NULL;"
  "CREATE TABLE pool_history (id INTEGER PRIMARY KEY,"
  "  customer_id INTEGER NOT NULL REFERENCES customers(id),"
  "  action TEXT NOT NULL, from_owner TEXT, to_owner TEXT, at INTEGER NOT NULL, by TEXT);"
  "CREATE INDEX pool_history_customer ON pool_history (customer_id, at);";

/* 11 → 12: feedback and complaints with a workflow (service/crm-feedback-service.c).
 * - feedback.received_at: when the answer, review or complaint was given (created_at is when it
 *   was written down; an import or --at gives an earlier time); stats and the timeline read it.
 * - source (a review's site), order_id (the order it is about), priority, assignee and due_at
 *   (the SLA due time, from the priority's setting) of complaints and inquiries.
 * - feedback_history: every status change and reassignment of an item, who/when/note, in the
 *   same transaction as the change; it follows the item (feedback_id), so a merge of two
 *   customers, which moves the feedback rows, carries it along.
 * - feedback_stats: covering for the scores of a period (1M answers in one index range per
 *   kind); feedback_status for the open and overdue counts and lists.
 * - feedback_fts: the comments of live feedback for customer search, keyed by the feedback id,
 *   written only by crm-search.c (crm_search_index_feedback()), as interactions_fts. */
static const char schema_feedback[] =
  "ALTER TABLE feedback ADD COLUMN received_at INTEGER;"
  "ALTER TABLE feedback ADD COLUMN source TEXT;"
  /* No REFERENCES: SQLite cannot drop a column of a foreign key, and the step must stay
   * reversible for the upgrade tests; crm_feedback_add() checks the order. */
  "ALTER TABLE feedback ADD COLUMN order_id INTEGER;"
  "ALTER TABLE feedback ADD COLUMN priority TEXT;"
  "ALTER TABLE feedback ADD COLUMN assignee TEXT;"
  "ALTER TABLE feedback ADD COLUMN due_at INTEGER;"
  "UPDATE feedback SET received_at = created_at;"
  "CREATE INDEX feedback_stats ON feedback (kind, received_at, score, customer_id) WHERE deleted_at IS NULL;"
  "CREATE INDEX feedback_status ON feedback (status, due_at) WHERE deleted_at IS NULL;"
  "CREATE TABLE feedback_history (id INTEGER PRIMARY KEY,"
  "  feedback_id INTEGER NOT NULL REFERENCES feedback(id), from_status TEXT, to_status TEXT,"
  "  assignee TEXT, priority TEXT, at INTEGER NOT NULL, by TEXT, note TEXT);"
  "CREATE INDEX feedback_history_feedback ON feedback_history (feedback_id, at);"
  /* Every writer (an import, a sync, a test) gets a received time: the time written. */
  "CREATE TRIGGER feedback_received_ai AFTER INSERT ON feedback WHEN new.received_at IS NULL BEGIN"
  "  UPDATE feedback SET received_at = new.created_at WHERE id = new.id;"
  "END;"
  "CREATE VIRTUAL TABLE feedback_fts USING fts5 (comment, tokenize='trigram');"
  "INSERT INTO feedback_fts (rowid, comment)"
  "  SELECT id, comment FROM feedback WHERE deleted_at IS NULL AND comment IS NOT NULL ORDER BY id;";
/* 12 → 13: e-mail campaigns (src/core/campaign/).  campaigns.html_body, the optional HTML
 * alternative of the plain body.  campaign_recipients: the recipients of a campaign, frozen when
 * its sending starts (one row per customer of the segment then), with a per-recipient status
 * (queued, sending, sent, failed, skipped_no_consent, skipped_no_address, skipped_unsubscribed),
 * the reason of a failure, and the unsubscribe token of its List-Unsubscribe header.  'sending'
 * is committed before the SMTP transaction and 'sent' after it, so that a crash leaves at most
 * one row in 'sending' (crm-campaign-send.c says what a resume does with it).  Local state: not
 * journaled.  email_unsubscribes: where a customer's e-mail consent was turned off by an
 * unsubscribe (the time, the source: the file imported, and the token when one came back). */
static const char schema_campaigns[] =
  "ALTER TABLE campaigns ADD COLUMN html_body TEXT;"
  "CREATE TABLE campaign_recipients (id INTEGER PRIMARY KEY,"
  "  campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,"
  "  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
  "  email TEXT, token TEXT NOT NULL UNIQUE, status TEXT NOT NULL, reason TEXT, message_id TEXT,"
  "  updated_at INTEGER NOT NULL, sent_at INTEGER, UNIQUE (campaign_id, customer_id));"
  "CREATE INDEX campaign_recipients_status ON campaign_recipients (campaign_id, status);"
  "CREATE INDEX campaign_recipients_customer ON campaign_recipients (customer_id);"
  "CREATE TABLE email_unsubscribes (id INTEGER PRIMARY KEY,"
  "  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
  "  at INTEGER NOT NULL, source TEXT NOT NULL, token TEXT);"
  "CREATE INDEX email_unsubscribes_customer ON email_unsubscribes (customer_id);";
/* 13 → 14: the loyalty programme's points (src/core/loyalty/crm-points.h).  points_ledger is
 * append-only (an UPDATE is refused); kind is earn, redeem, adjust, expire or reverse; a lot
 * (every positive entry, and the reverses of an order's lot) has expires_at; rate is the points
 * per minor unit an order earns at, fixed by its first entry.  order_id names no foreign key:
 * an order erased for real leaves its points.  points_balances caches each customer's sum of
 * the ledger, kept by the triggers in the same statement.  The programme starts when the
 * database gets this step, so that no earlier order earns until the user says so. */
static const char schema_points[] =
  "CREATE TABLE points_ledger (id INTEGER PRIMARY KEY,"
  "  customer_id INTEGER NOT NULL REFERENCES customers(id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('earn', 'redeem', 'adjust', 'expire', 'reverse')),"
  "  points INTEGER NOT NULL, at INTEGER NOT NULL, expires_at INTEGER, order_id INTEGER,"
  "  rate REAL, reason TEXT, created_at INTEGER NOT NULL);"
  /* Covering for balances as of a date and for expiry: one range per customer. */
  "CREATE INDEX points_ledger_customer ON points_ledger (customer_id, expires_at, points, at);"
  "CREATE INDEX points_ledger_at ON points_ledger (at);"
  "CREATE TABLE points_balances (customer_id INTEGER PRIMARY KEY REFERENCES customers(id),"
  "  balance INTEGER NOT NULL);"
  "CREATE TRIGGER points_ledger_ai AFTER INSERT ON points_ledger BEGIN"
  "  INSERT INTO points_balances (customer_id, balance) VALUES (new.customer_id, new.points)"
  "  ON CONFLICT (customer_id) DO UPDATE SET balance = balance + excluded.balance;"
  "END;"
  "CREATE TRIGGER points_ledger_bu BEFORE UPDATE ON points_ledger BEGIN"
  "  SELECT RAISE(ABORT, 'the points ledger is append-only');"
  "END;"
  /* Only a privacy erase removes entries: it deletes the customer's entries and balance row
   * before the customer (both refer to it). */
  "CREATE TRIGGER points_ledger_ad AFTER DELETE ON points_ledger BEGIN"
  "  UPDATE points_balances SET balance = balance - old.points WHERE customer_id = old.customer_id;"
  "END;"
  "INSERT OR IGNORE INTO settings (key, value)"
  "  VALUES ('loyalty.start', CAST(strftime('%s', 'now') AS INTEGER) * 1000);";
/* 14 → 15: orders pulled from a WooCommerce shop (crm-woo.c).  An order as one account knows it:
 * its id in the shop, the local order, and the shop's date_modified_gmt when it was last pulled
 * (an unchanged order is not written again).  The shop's customers are sync_links rows (href
 * "customers/ID", etag their date_modified_gmt, card the fields as last synced, in JSON); the
 * orders' modified_after cursor is the account's sync_token. */
static const char schema_woo[] =
  "CREATE TABLE sync_orders (account_id INTEGER NOT NULL REFERENCES sync_accounts(id) ON DELETE CASCADE,"
  "  remote_id INTEGER NOT NULL, order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,"
  "  modified TEXT, PRIMARY KEY (account_id, remote_id)) WITHOUT ROWID;"
  "CREATE INDEX sync_orders_order ON sync_orders (order_id);";

typedef struct
{
  const char *sql;
  gboolean  (*run) (CrmStore *self, GError **error);
} Migration;

/* 15 → 16: consent per channel as a history (privacy, issue 18).  Each grant or withdrawal is a
 * row with its time, source and note; the current state of a channel is its last row by time
 * (crm-consent.c).  customers.email_consent/sms_consent stay as the current state of those two
 * channels, kept in step by crm_consent_record(), because rules, segments and exports read them.
 * The existing grants become the first rows of the history (source "migrated"). */
static const char schema_consent[] =
  "CREATE TABLE consent_events (id INTEGER PRIMARY KEY,"
  "  customer_id INTEGER NOT NULL REFERENCES customers(id),"
  "  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'phone', 'wechat')),"
  "  granted INTEGER NOT NULL CHECK (granted IN (0, 1)),"
  "  at INTEGER NOT NULL,"
  "  source TEXT NOT NULL CHECK (source IN ('form', 'import', 'unsubscribe', 'manual', 'migrated')),"
  "  note TEXT,"
  "  recorded_at INTEGER NOT NULL);"
  "CREATE INDEX consent_events_customer ON consent_events (customer_id, channel, at, id);"
  /* A change of the e-mail or SMS field by any other way (the form, clientele-cli edit, an
   * import updating a customer) is an entry too, so the history and the fields never disagree.
   * Its source is "form", or what the writing transaction put in settings "consent.source" (an
   * import says "import").  crm_consent_record() writes its entry first, so its own change of
   * the field finds the last entry equal and adds nothing. */
  "CREATE TRIGGER customers_consent_au AFTER UPDATE OF email_consent, sms_consent ON customers BEGIN"
  "  INSERT INTO consent_events (customer_id, channel, granted, at, source, recorded_at)"
  "    SELECT new.id, 'email', new.email_consent, new.updated_at,"
  "           coalesce((SELECT value FROM settings WHERE key = 'consent.source'), 'form'), new.updated_at"
  "    WHERE new.email_consent IS NOT old.email_consent AND new.email_consent IS NOT"
  "      (SELECT granted FROM consent_events WHERE customer_id = new.id AND channel = 'email'"
  "       ORDER BY at DESC, id DESC LIMIT 1);"
  "  INSERT INTO consent_events (customer_id, channel, granted, at, source, recorded_at)"
  "    SELECT new.id, 'sms', new.sms_consent, new.updated_at,"
  "           coalesce((SELECT value FROM settings WHERE key = 'consent.source'), 'form'), new.updated_at"
  "    WHERE new.sms_consent IS NOT old.sms_consent AND new.sms_consent IS NOT"
  "      (SELECT granted FROM consent_events WHERE customer_id = new.id AND channel = 'sms'"
  "       ORDER BY at DESC, id DESC LIMIT 1);"
  "END;"
  "INSERT INTO consent_events (customer_id, channel, granted, at, source, recorded_at)"
  "  SELECT id, 'email', 1, coalesce(email_consent_at, updated_at), 'migrated',"
  "         CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
  "  FROM customers WHERE email_consent = 1;"
  "INSERT INTO consent_events (customer_id, channel, granted, at, source, recorded_at)"
  "  SELECT id, 'sms', 1, coalesce(sms_consent_at, updated_at), 'migrated',"
  "         CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
  "  FROM customers WHERE sms_consent = 1;";

static const Migration migrations[] = {
  { NULL, NULL },          /* 0: empty file */
  { schema_v1, NULL },     /* 0 → 1 */
  { NULL, migrate_v2 },    /* 1 → 2 */
  { schema_v3, NULL },     /* 2 → 3 */
  { schema_v4, NULL },     /* 3 → 4 */
  { NULL, migrate_v5 },    /* 4 → 5 */
  { NULL, migrate_v6 },    /* 5 → 6 */
  { NULL, migrate_pinyin }, /* 6 → 7 */
  { NULL, migrate_sales },  /* 7 → 8 */
  { schema_sync, NULL },   /* 8 → 9 */
  { schema_loyalty_coupons, NULL }, /* 9 → 10 */
  { schema_tasks, NULL },  /* 10 → 11: follow-ups, owners, the pool */
  { schema_feedback, NULL }, /* 11 → 12: feedback workflow */
  { schema_campaigns, NULL }, /* 12 → 13: e-mail campaigns */
  { schema_points, NULL }, /* 13 → 14: loyalty points */
  { schema_woo, NULL },    /* 14 → 15: WooCommerce orders */
  { schema_consent, NULL }, /* 15 → 16: consent history */
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == CRM_STORE_SCHEMA_VERSION + 1);

static gboolean
foreign_keys_hold (CrmStore  *self,
                   GError   **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (crm_store_get_db (self), "PRAGMA foreign_key_check", -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc == SQLITE_ROW)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_DATABASE,
                   _("A row refers to another that does not exist"));
      return FALSE;
    }
  return crm_store_set_error (self, rc, error);
}

gboolean
crm_store_migrate (CrmStore  *self,
                   int        from_version,
                   GError   **error)
{
  gboolean ok = TRUE;

  /* A step may make a table again (1 → 2): no foreign-key actions while it does, and a check
   * of every reference before it commits.  The pragma only takes effect outside a transaction. */
  crm_store_exec (self, "PRAGMA foreign_keys = OFF", NULL);
  /* A step that makes a table again reads it whole once per index.  With a rollback journal the
   * new pages go straight to the file (new pages need no journal) and are read back through a
   * memory map, instead of being written to the WAL, read from it a page per system call, and
   * copied once more by the checkpoint.  The switch fails harmlessly, and WAL stays, when
   * another connection has the file open. */
  crm_store_exec (self, "PRAGMA journal_mode = TRUNCATE; PRAGMA mmap_size = 2147418112", NULL);
  for (int v = from_version + 1; ok && v <= CRM_STORE_SCHEMA_VERSION; v++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", v);

      if (!crm_store_begin (self, error))
        {
          ok = FALSE;
          break;
        }
      if ((migrations[v].sql != NULL && !crm_store_exec (self, migrations[v].sql, error)) ||
          (migrations[v].run != NULL && !migrations[v].run (self, error)) ||
          !foreign_keys_hold (self, error) ||
          !crm_store_exec (self, set_version, error) ||
          !crm_store_commit (self, error))
        {
          crm_store_rollback (self);
          g_prefix_error (error, _("Could not upgrade the database to version %d: "), v);
          ok = FALSE;
        }
    }
  crm_store_exec (self, "PRAGMA foreign_keys = ON; PRAGMA mmap_size = 0; PRAGMA journal_mode = WAL", NULL);

  return ok;
}

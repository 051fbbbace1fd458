/* crm-search.c: the search keys of customers — e-mail and phone keys, the short-query terms,
 * tags — and the full-text index left pending by a bulk import.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-store-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-customer.h"
#include "crm-search.h"
#include "crm-text.h"

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

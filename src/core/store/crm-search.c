/* crm-search.c: the search tables of customers — e-mail and phone keys, the short-query terms,
 * tags, the full-text index — written here and nowhere else: by the store for one row, and for
 * the bulk writers (importer, generator) as sorted pairs and whole-range fills.  The full-text
 * index otherwise follows the customers table through its triggers (crm-store-schema.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-store-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-customer.h"
#include "crm-phone.h"
#include "crm-pinyin.h"
#include "crm-search.h"
#include "crm-text.h"

/* ---- keys ---------------------------------------------------------------------------------- */

/* The identity of a phone, reversed: equal for the same number, and the last digits first for
 * lookups by the end of the number. */
static char *
phone_rev (const char *phone,
           const char *region)
{
  g_autofree char *key = crm_phone_key (phone, region);

  return crm_text_reverse_ascii (key);
}

void
crm_search_keys_init_in_region (CrmSearchKeys *keys,
                                const char    *phone,
                                const char    *email,
                                const char    *region)
{
  keys->phone_digits = crm_text_phone_key (phone);
  keys->phone_rev = phone_rev (phone, region);
  keys->email_key = crm_text_email_key (email);
  keys->email_domain = crm_text_email_domain (keys->email_key);
  keys->name_key = NULL;
  keys->name_key_len = 0;
}

void
crm_search_keys_init (CrmSearchKeys *keys,
                      const char    *phone,
                      const char    *email)
{
  crm_search_keys_init_in_region (keys, phone, email, NULL);
}

void
crm_search_keys_set_name (CrmSearchKeys *keys,
                          const char    *name)
{
  g_free (keys->name_key);
  keys->name_key = crm_pinyin_sort_key (name, &keys->name_key_len);
}

void
crm_search_keys_bind_name (const CrmSearchKeys *keys,
                           sqlite3_stmt        *stmt,
                           int                  index)
{
  if (keys->name_key != NULL)
    sqlite3_bind_blob (stmt, index, keys->name_key, (int) keys->name_key_len, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

void
crm_search_keys_clear (CrmSearchKeys *keys)
{
  g_clear_pointer (&keys->phone_digits, g_free);
  g_clear_pointer (&keys->phone_rev, g_free);
  g_clear_pointer (&keys->email_key, g_free);
  keys->email_domain = NULL;
  g_clear_pointer (&keys->name_key, g_free);
  keys->name_key_len = 0;
}

void
crm_search_keys_bind (const CrmSearchKeys *keys,
                      sqlite3_stmt        *stmt,
                      int                  first)
{
  const char *values[CRM_SEARCH_N_KEY_COLUMNS] = {
    keys->phone_digits, keys->phone_rev, keys->email_key, keys->email_domain,
  };

  for (int i = 0; i < CRM_SEARCH_N_KEY_COLUMNS; i++)
    if (values[i] != NULL)
      sqlite3_bind_text (stmt, first + i, values[i], -1, SQLITE_STATIC);
    else
      sqlite3_bind_null (stmt, first + i);
}

/* Each (term, customer) of @set into @list's table. */
static gboolean
insert_set (CrmStore       *self,
            CrmSearchList   list,
            gint64          id,
            GHashTable     *set,
            GError        **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (self, list == CRM_SEARCH_TERMS
                                                ? "INSERT OR IGNORE INTO customer_terms (term, customer_id) VALUES (?, ?)"
                                                : "INSERT OR IGNORE INTO customer_tags (tag, customer_id) VALUES (?, ?)",
                                          error);
  GHashTableIter iter;
  gpointer key;

  if (stmt == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, set);
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
delete_rows (CrmStore    *self,
             const char  *sql,
             gint64       id,
             GError     **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return crm_store_step (self, stmt, error);
}

static void
add_pinyin_key (const char *key,
                gsize       len,
                gpointer    set)
{
  g_hash_table_add (set, g_strndup (key, len));
}

/* customers.name_key of one row (crm_pinyin_sort_key()). */
static gboolean
set_name_key (CrmStore    *self,
              gint64       id,
              const char  *name,
              GError     **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (self, "UPDATE customers SET name_key = ? WHERE id = ?", error);
  gsize len;
  guint8 *key;

  if (stmt == NULL)
    return FALSE;
  key = crm_pinyin_sort_key (name, &len);
  sqlite3_bind_blob (stmt, 1, key, (int) len, g_free);
  sqlite3_bind_int64 (stmt, 2, id);
  return crm_store_step (self, stmt, error);
}

/* Keys for e-mail/phone lookups, the name's sort key and the short-query terms (with the
 * name's pinyin keys); @replace drops the old ones. */
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
  CrmSearchKeys keys;
  g_autoptr(GHashTable) terms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) tag_set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *region = phone != NULL ? crm_store_dup_region (self) : NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  stmt = crm_store_prepare (self, "UPDATE customers SET (" CRM_SEARCH_KEY_COLUMNS ") = (?, ?, ?, ?) WHERE id = ?",
                            error);
  if (stmt == NULL)
    return FALSE;
  crm_search_keys_init_in_region (&keys, phone, email, region);
  crm_search_keys_bind (&keys, stmt, 1);
  sqlite3_bind_int64 (stmt, CRM_SEARCH_N_KEY_COLUMNS + 1, id);
  ok = crm_store_step (self, stmt, error);
  crm_search_keys_clear (&keys);
  if (!ok || !set_name_key (self, id, name, error))
    return FALSE;

  if (replace &&
      (!delete_rows (self, "DELETE FROM customer_terms WHERE customer_id = ?", id, error) ||
       !delete_rows (self, "DELETE FROM customer_tags WHERE customer_id = ?", id, error)))
    return FALSE;

  crm_text_short_terms (name, terms);
  crm_pinyin_keys_foreach (name, add_pinyin_key, terms);
  crm_text_split_tags (tags, tag_set);
  return insert_set (self, CRM_SEARCH_TERMS, id, terms, error) &&
         insert_set (self, CRM_SEARCH_TAGS, id, tag_set, error);
}

GArray *
crm_store_find_duplicates (CrmStore   *self,
                           CrmEntity  *customer,
                           GError    **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *email_key = crm_text_email_key (crm_customer_get_email (CRM_CUSTOMER (customer)));
  const char *phone = crm_customer_get_phone (CRM_CUSTOMER (customer));
  g_autofree char *region = phone != NULL ? crm_store_dup_region (self) : NULL;
  /* The whole number, never a part of it: +86 138 0000 0005 is not +86 139 0000 0005, and a
   * number too short to have a key (8000) is nobody's duplicate. */
  g_autofree char *rev = phone_rev (phone, region);
  sqlite3_stmt *stmt;
  int rc;

  stmt = crm_store_prepare (self,
    "SELECT id FROM customers WHERE deleted_at IS NULL AND id != ?1 AND email_key = ?2"
    " UNION SELECT id FROM customers WHERE deleted_at IS NULL AND id != ?1 AND phone_rev = ?3"
    " ORDER BY 1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, crm_entity_get_id (customer));
  sqlite3_bind_text (stmt, 2, email_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, rev, -1, SQLITE_STATIC);

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

/* crm_phone_rev(phone, region): phone_rev of a number, for the re-keying UPDATE. */
static void
phone_rev_function (sqlite3_context  *ctx,
                    int               argc,
                    sqlite3_value   **argv)
{
  char *rev = phone_rev ((const char *) sqlite3_value_text (argv[0]), (const char *) sqlite3_value_text (argv[1]));

  if (rev != NULL)
    sqlite3_result_text (ctx, rev, -1, g_free);
  else
    sqlite3_result_null (ctx);
}

gboolean
crm_search_rekey_phones (CrmStore     *self,
                         const char   *region,
                         gboolean      upgrade,
                         GError      **error)
{
  sqlite3 *db = crm_store_get_db (self);
  sqlite3_stmt *stmt;
  gboolean ok;

  /* A function of this connection only, for one statement: the file needs nothing to be read
   * by other programs.  In an upgrade every key changes: the index is made again from the sorted
   * keys rather than updated a row at a time at random places. */
  if (sqlite3_create_function_v2 (db, "crm_phone_rev", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                  phone_rev_function, NULL, NULL, NULL) != SQLITE_OK)
    return crm_store_set_error (self, sqlite3_errcode (db), error);
  ok = !upgrade || crm_store_exec (self, "DROP INDEX IF EXISTS customers_phone_rev", error);
  if (ok)
    {
      /* A number written with "+" has the same key in every region: a change of region leaves
       * it alone (an upgrade goes through every number).  Not the store's cache of statements:
       * the function is gone after this one. */
      g_autofree char *sql = g_strdup_printf ("UPDATE customers SET phone_rev = crm_phone_rev (phone, ?1)"
                                              " WHERE phone IS NOT NULL%s"
                                              " AND phone_rev IS NOT crm_phone_rev (phone, ?1)",
                                              upgrade ? "" : " AND ltrim (phone, ' (') NOT LIKE '+%'");
      int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

      if (rc == SQLITE_OK)
        {
          sqlite3_bind_text (stmt, 1, region, -1, SQLITE_TRANSIENT);
          rc = sqlite3_step (stmt);
        }
      sqlite3_finalize (stmt);
      ok = rc == SQLITE_DONE || crm_store_set_error (self, rc, error);
    }
  ok = ok && (!upgrade ||
              crm_store_exec (self, "CREATE INDEX customers_phone_rev ON customers (phone_rev)"
                                    " WHERE phone_rev IS NOT NULL", error));
  sqlite3_create_function_v2 (db, "crm_phone_rev", 2, SQLITE_UTF8, NULL, NULL, NULL, NULL, NULL);
  return ok;
}

gboolean
crm_store_set_region (CrmStore      *self,
                      const char    *region,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autofree char *upper = NULL;
  GCancellable *previous;
  gboolean ok;

  if (!crm_phone_region_is_valid (region))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("“%s” is not a region: use its two-letter code, such as CN or DE."), region);
      return FALSE;
    }
  upper = g_ascii_strup (region, -1);

  previous = crm_store_set_cancellable (self, cancellable);
  ok = crm_store_begin (self, error);
  if (ok && !(crm_store_set_setting (self, "region", upper, error) &&
              crm_search_rekey_phones (self, upper, FALSE, error) &&
              crm_store_commit (self, error)))
    {
      crm_store_rollback (self);
      ok = FALSE;
    }
  crm_store_set_cancellable (self, previous);
  return ok;
}

/* ---- terms and tags of many customers ------------------------------------------------------ */

struct _CrmSearchPairs
{
  CrmSearchList  list;
  gint64         first_id;
  GHashTable    *numbers;   /* term → its number + 1 */
  GStringChunk  *chunk;
  GPtrArray     *strings;   /* number → term */
  GArray        *rows;      /* guint64: number << 32 | (customer id - first_id) */
  GHashTable    *stale;     /* gint64 ids whose rows are left out */
  gboolean       pinyin_only;   /* terms: only the names' pinyin keys (migrate_pinyin()) */
};

CrmSearchPairs *
crm_search_pairs_new (CrmSearchList list,
                      gint64        first_id)
{
  CrmSearchPairs *pairs = g_new0 (CrmSearchPairs, 1);

  pairs->list = list;
  pairs->first_id = first_id;
  pairs->numbers = g_hash_table_new (g_str_hash, g_str_equal);
  pairs->chunk = g_string_chunk_new (64 * 1024);
  pairs->strings = g_ptr_array_new ();
  pairs->rows = g_array_new (FALSE, FALSE, sizeof (guint64));
  return pairs;
}

void
crm_search_pairs_free (CrmSearchPairs *pairs)
{
  if (pairs == NULL)
    return;
  g_hash_table_unref (pairs->numbers);
  g_string_chunk_free (pairs->chunk);
  g_ptr_array_unref (pairs->strings);
  g_array_unref (pairs->rows);
  g_clear_pointer (&pairs->stale, g_hash_table_unref);
  g_free (pairs);
}

typedef struct
{
  CrmSearchPairs *pairs;
  GArray         *ids;
  guint           first;   /* this text's first number in @ids */
} Sink;

static void
sink_term (const char *term,
           gsize       len,
           gpointer    user_data)
{
  Sink *sink = user_data;
  CrmSearchPairs *pairs = sink->pairs;
  char buf[256];
  g_autofree char *heap = NULL;
  char *key = len < sizeof buf ? buf : (heap = g_malloc (len + 1));
  gpointer found;
  guint32 number;

  memcpy (key, term, len);
  key[len] = '\0';
  if ((found = g_hash_table_lookup (pairs->numbers, key)) != NULL)
    number = GPOINTER_TO_UINT (found) - 1;
  else
    {
      char *stored = g_string_chunk_insert_len (pairs->chunk, term, len);

      g_ptr_array_add (pairs->strings, stored);
      g_hash_table_insert (pairs->numbers, stored, GUINT_TO_POINTER (pairs->strings->len));
      number = pairs->strings->len - 1;
    }

  /* The same term twice in one name ("Ann Anderson"): once is enough. */
  for (guint i = sink->first; i < sink->ids->len; i++)
    if (g_array_index (sink->ids, guint32, i) == number)
      return;
  g_array_append_val (sink->ids, number);
}

void
crm_search_pairs_intern (CrmSearchPairs *pairs,
                         const char     *text,
                         GArray         *ids)
{
  Sink sink = { pairs, ids, ids->len };

  if (pairs->list == CRM_SEARCH_TERMS)
    {
      if (!pairs->pinyin_only)
        crm_text_short_terms_foreach (text, sink_term, &sink);
      crm_pinyin_keys_foreach (text, sink_term, &sink);
    }
  else
    crm_text_split_tags_foreach (text, sink_term, &sink);
}

void
crm_search_pairs_add (CrmSearchPairs *pairs,
                      gint64          id,
                      const guint32  *ids,
                      guint           n_ids)
{
  guint64 offset = (guint64) (id - pairs->first_id);

  g_return_if_fail (id >= pairs->first_id && offset <= G_MAXUINT32);

  for (guint i = 0; i < n_ids; i++)
    {
      guint64 row = ((guint64) ids[i] << 32) | offset;
      g_array_append_val (pairs->rows, row);
    }
}

void
crm_search_pairs_add_text (CrmSearchPairs *pairs,
                           gint64          id,
                           const char     *text)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint32));

  crm_search_pairs_intern (pairs, text, ids);
  crm_search_pairs_add (pairs, id, (const guint32 *) ids->data, ids->len);
}

void
crm_search_pairs_forget (CrmSearchPairs *pairs,
                         gint64          id)
{
  if (pairs->stale == NULL)
    pairs->stale = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_hash_table_add (pairs->stale, g_memdup2 (&id, sizeof id));
}

static void
radix_sort_u64 (guint64 *a,
                gsize    n)
{
  g_autofree guint64 *tmp = g_new (guint64, MAX (n, 1));
  guint64 *src = a, *dst = tmp;

  for (int shift = 0; shift < 64 && n > 1; shift += 8)
    {
      gsize count[256] = { 0 };
      gsize pos = 0;
      guint64 *swap;

      for (gsize i = 0; i < n; i++)
        count[(src[i] >> shift) & 0xff]++;
      if (count[(src[0] >> shift) & 0xff] == n)
        continue;
      for (guint b = 0; b < 256; b++)
        {
          gsize c = count[b];
          count[b] = pos;
          pos += c;
        }
      for (gsize i = 0; i < n; i++)
        dst[count[(src[i] >> shift) & 0xff]++] = src[i];
      swap = src;
      src = dst;
      dst = swap;
    }
  if (src != a)
    memcpy (a, src, n * sizeof *a);
}

static int
compare_terms (gconstpointer a,
               gconstpointer b,
               gpointer      strings)
{
  char **s = strings;

  /* BINARY collation, as the (term, customer_id) primary key sorts. */
  return strcmp (s[*(const guint32 *) a], s[*(const guint32 *) b]);
}

#define PAIRS_PER_STATEMENT 64
#define NAME_KEY_BATCH 1000

/* customers.name_key of the rows from @from_id on that have none: read a batch of names by id,
 * then write their keys, so that no statement reads the table while another writes it. */
static gboolean
fill_name_keys (CrmStore  *self,
                gint64     from_id,
                GError   **error)
{
  gint64 ids[NAME_KEY_BATCH];
  char *names[NAME_KEY_BATCH];
  gint64 after = from_id - 1;

  for (;;)
    {
      sqlite3_stmt *read = crm_store_prepare (self, "SELECT id, name FROM customers"
                                                    " WHERE id > ? AND name_key IS NULL ORDER BY id LIMIT ?",
                                              error);
      guint n = 0;
      gboolean ok = TRUE;
      int rc;

      if (read == NULL)
        return FALSE;
      sqlite3_bind_int64 (read, 1, after);
      sqlite3_bind_int (read, 2, NAME_KEY_BATCH);
      while ((rc = sqlite3_step (read)) == SQLITE_ROW)
        {
          ids[n] = sqlite3_column_int64 (read, 0);
          names[n++] = g_strdup ((const char *) sqlite3_column_text (read, 1));
        }
      sqlite3_reset (read);
      if (rc != SQLITE_DONE)
        ok = crm_store_set_error (self, rc, error);
      for (guint i = 0; i < n; i++)
        {
          ok = ok && set_name_key (self, ids[i], names[i], error);
          g_free (names[i]);
        }
      if (!ok)
        return FALSE;
      if (n < NAME_KEY_BATCH)
        return TRUE;
      after = ids[n - 1];
    }
}

/* Sorts the rows by (term, customer) in place: each term's number becomes its rank in BINARY
 * order (@order maps a rank back to the term). */
static guint32 *
sort_rows (CrmSearchPairs *pairs)
{
  guint n_terms = pairs->strings->len;
  guint32 *order = g_new (guint32, MAX (n_terms, 1));
  g_autofree guint32 *rank = g_new (guint32, MAX (n_terms, 1));
  guint64 *keys = (guint64 *) pairs->rows->data;

  for (guint i = 0; i < n_terms; i++)
    order[i] = i;
  g_qsort_with_data (order, n_terms, sizeof (guint32), compare_terms, pairs->strings->pdata);
  for (guint r = 0; r < n_terms; r++)
    rank[order[r]] = r;
  for (guint i = 0; i < pairs->rows->len; i++)
    keys[i] = ((guint64) rank[keys[i] >> 32] << 32) | (keys[i] & 0xffffffff);
  radix_sort_u64 (keys, pairs->rows->len);
  return order;
}

gboolean
crm_search_pairs_write (CrmSearchPairs  *pairs,
                        CrmStore        *store,
                        GError         **error)
{
  const char *table = pairs->list == CRM_SEARCH_TERMS ? "customer_terms (term" : "customer_tags (tag";
  g_autofree guint32 *order = NULL;
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *many, *one;
  guint64 prev = G_MAXUINT64;
  const char *p_term[PAIRS_PER_STATEMENT];
  gint64 p_id[PAIRS_PER_STATEMENT];
  guint pending = 0;
  const guint64 *keys;

  /* The names' sort keys go with their terms: the bulk writers insert rows without them. */
  if (pairs->list == CRM_SEARCH_TERMS && !fill_name_keys (store, pairs->first_id, error))
    return FALSE;
  if (pairs->rows->len == 0)
    return TRUE;
  order = sort_rows (pairs);
  keys = (const guint64 *) pairs->rows->data;

  g_string_printf (sql, "INSERT OR IGNORE INTO %s, customer_id) VALUES (?, ?)", table);
  if (!(one = crm_store_prepare (store, sql->str, error)))
    return FALSE;
  for (guint i = 1; i < PAIRS_PER_STATEMENT; i++)
    g_string_append (sql, ", (?, ?)");
  if (!(many = crm_store_prepare (store, sql->str, error)))
    return FALSE;

  for (guint i = 0; i < pairs->rows->len; i++)
    {
      guint64 key = keys[i];
      gint64 id = pairs->first_id + (gint64) (key & 0xffffffff);

      if (key == prev)
        continue;
      prev = key;
      if (pairs->stale != NULL && g_hash_table_contains (pairs->stale, &id))
        continue;
      p_term[pending] = pairs->strings->pdata[order[key >> 32]];
      p_id[pending] = id;
      if (++pending == PAIRS_PER_STATEMENT)
        {
          for (guint k = 0; k < pending; k++)
            {
              sqlite3_bind_text (many, 2 * k + 1, p_term[k], -1, SQLITE_STATIC);
              sqlite3_bind_int64 (many, 2 * k + 2, p_id[k]);
            }
          if (!crm_store_step (store, many, error))
            return FALSE;
          pending = 0;
        }
    }
  for (guint k = 0; k < pending; k++)
    {
      sqlite3_bind_text (one, 1, p_term[k], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (one, 2, p_id[k]);
      if (!crm_store_step (store, one, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- the full-text index -------------------------------------------------------------------- */

gboolean
crm_search_suspend_fts (CrmStore   *self,
                        gboolean    updates_too,
                        GPtrArray  *saved,
                        GError    **error)
{
  return crm_store_drop_objects (self, "TRIGGER",
                                 updates_too
                                 ? "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'customers'"
                                   " AND name IN ('customers_fts_ai', 'customers_fts_au')"
                                 : "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'customers'"
                                   " AND name = 'customers_fts_ai'",
                                 saved, error);
}

/* ", name, company, …": the index's columns, which an external-content table names as in
 * customers (read once per connection: a bulk update asks for every row). */
static const char *
fts_columns (CrmStore  *self,
             GError   **error)
{
  g_autoptr(GString) cols = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (self->fts_columns != NULL)
    return self->fts_columns;
  cols = g_string_new (NULL);
  rc = sqlite3_prepare_v2 (self->db, "SELECT name FROM pragma_table_info('customers_fts')", -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_string_append_printf (cols, ", \"%s\"", (const char *) sqlite3_column_text (stmt, 0));
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (self, rc, error);
      return NULL;
    }
  self->fts_columns = g_string_free (g_steal_pointer (&cols), FALSE);
  return self->fts_columns;
}

/* INSERT INTO customers_fts (@head, <columns>) SELECT @select, <columns> FROM customers WHERE
 * @where, with the customer id as the one parameter. */
static gboolean
fts_write (CrmStore    *self,
           const char  *head,
           const char  *select,
           const char  *where,
           gint64       id,
           GError     **error)
{
  const char *cols = fts_columns (self, error);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  if (cols == NULL)
    return FALSE;
  sql = g_strconcat ("INSERT INTO customers_fts (", head, cols, ") SELECT ", select, cols,
                     " FROM customers WHERE ", where, NULL);
  if (!(stmt = crm_store_prepare (self, sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return crm_store_step (self, stmt, error);
}

gboolean
crm_search_fts_fill (CrmStore  *self,
                     gint64     from_id,
                     GError   **error)
{
  return fts_write (self, "rowid", "id", "id >= ?", from_id, error);
}

gboolean
crm_search_resume_fts (CrmStore   *self,
                       gint64      from_id,
                       GPtrArray  *saved,
                       GError    **error)
{
  if (!crm_search_fts_fill (self, from_id, error))
    return FALSE;
  for (guint i = 0; i < saved->len; i++)
    if (!crm_store_exec (self, g_ptr_array_index (saved, i), error))
      return FALSE;
  g_ptr_array_set_size (saved, 0);
  return TRUE;
}

/* Before the row's indexed columns change: an external-content index removes a row by the
 * values it was indexed with. */
gboolean
crm_search_fts_remove (CrmStore  *self,
                       gint64     id,
                       GError   **error)
{
  return fts_write (self, "customers_fts, rowid", "'delete', id", "id = ?", id, error);
}

gboolean
crm_search_fts_add (CrmStore  *self,
                    gint64     id,
                    GError   **error)
{
  return fts_write (self, "rowid", "id", "id = ?", id, error);
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

gint64
crm_store_count_search_pending (CrmStore  *self,
                                GError   **error)
{
  g_autofree char *value = crm_store_get_setting (self, SEARCH_PENDING_KEY);
  sqlite3_stmt *stmt;
  gint64 n;

  if (value == NULL)
    return 0;
  if (!(stmt = crm_store_prepare (self, "SELECT count(*) FROM customers WHERE id >= ?", error)))
    return -1;
  sqlite3_bind_int64 (stmt, 1, MAX (g_ascii_strtoll (value, NULL, 10), 1));
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      crm_store_set_error (self, sqlite3_reset (stmt), error);
      return -1;
    }
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

/* The short-query terms of the customers from @from_id on, made again from their names. */
static gboolean
index_terms_from (CrmStore  *self,
                  gint64     from_id,
                  GError   **error)
{
  g_autoptr(CrmSearchPairs) terms = crm_search_pairs_new (CRM_SEARCH_TERMS, from_id);
  sqlite3_stmt *rows = NULL;
  int rc;

  if (!delete_rows (self, "DELETE FROM customer_terms WHERE customer_id >= ?", from_id, error))
    return FALSE;
  rc = sqlite3_prepare_v2 (self->db, "SELECT id, name FROM customers WHERE id >= ?", -1, &rows, NULL);
  if (rc == SQLITE_OK)
    sqlite3_bind_int64 (rows, 1, from_id);
  while (rc == SQLITE_OK && (rc = sqlite3_step (rows)) == SQLITE_ROW)
    {
      crm_search_pairs_add_text (terms, sqlite3_column_int64 (rows, 0), (const char *) sqlite3_column_text (rows, 1));
      rc = SQLITE_OK;
    }
  sqlite3_finalize (rows);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (self, rc, error);
  return crm_search_pairs_write (terms, self, error);
}

/**
 * crm_store_finish_search_index:
 * @data_version: what crm_store_get_data_version() gave inside the transaction that set the
 *   mark, or -1 when unknown (a crash): then the whole index is made again
 * @terms: (nullable): the short-query terms of the new rows, as the importer has them; written
 *   only if nobody else wrote since @data_version.  Otherwise (or if %NULL) they are made again
 *   from the rows' names.
 *
 * Not cancellable: the rows are already committed, and a search must find them.
 */
gboolean
crm_store_finish_search_index (CrmStore        *self,
                               gint64           data_version,
                               CrmSearchPairs  *terms,
                               GError         **error)
{
  g_autofree char *pending = NULL;
  sqlite3_stmt *stmt;
  gboolean alone;
  gint64 from;
  g_autoptr(CrmStoreOperation) operation = crm_store_operation_push (self, "search-index");

  if (!crm_store_begin (self, error))
    return FALSE;
  pending = crm_store_get_setting (self, SEARCH_PENDING_KEY);
  if (pending == NULL)
    return crm_store_commit (self, error);
  from = g_ascii_strtoll (pending, NULL, 10);
  alone = data_version >= 0 && crm_store_get_data_version (self) == data_version && from > 0;

  if (!(alone ? crm_search_fts_fill (self, from, error)
              : crm_store_exec (self, "INSERT INTO customers_fts (customers_fts) VALUES ('rebuild')", error)))
    goto fail;
  if (!(alone && terms != NULL ? crm_search_pairs_write (terms, self, error)
                               : index_terms_from (self, MAX (from, 1), error)))
    goto fail;
  if (!(stmt = crm_store_prepare (self, "DELETE FROM settings WHERE key = ?", error)))
    goto fail;
  sqlite3_bind_text (stmt, 1, SEARCH_PENDING_KEY, -1, SQLITE_STATIC);
  if (!crm_store_step (self, stmt, error))
    goto fail;
  return crm_store_commit (self, error);

fail:
  crm_store_rollback (self);
  return FALSE;
}

/* ---- pinyin keys of a database made before them ----------------------------------------- */

/**
 * crm_search_add_pinyin:
 *
 * For a migration: the sort key of every customer's name (customers.name_key, which must
 * exist) and the pinyin search keys of every name, added to customer_terms.  The keys are
 * written by id in batches; the terms are collected as compact pairs and written once in the
 * table's order.
 */
gboolean
crm_search_add_pinyin (CrmStore  *self,
                       GError   **error)
{
  g_autoptr(CrmSearchPairs) terms = crm_search_pairs_new (CRM_SEARCH_TERMS, 1);
  sqlite3_stmt *rows = NULL;
  int rc;

  terms->pinyin_only = TRUE;
  rc = sqlite3_prepare_v2 (self->db, "SELECT id, name FROM customers ORDER BY id", -1, &rows, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (rows)) == SQLITE_ROW)
    {
      crm_search_pairs_add_text (terms, sqlite3_column_int64 (rows, 0), (const char *) sqlite3_column_text (rows, 1));
      rc = SQLITE_OK;
    }
  sqlite3_finalize (rows);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (self, rc, error);
  return crm_search_pairs_write (terms, self, error);
}

/* The short terms of interaction @id's summary, made again (@replace: the old ones go first). */
static gboolean
index_interaction_terms (CrmStore  *self,
                         gint64     id,
                         gboolean   replace,
                         GError   **error)
{
  g_autoptr(GHashTable) terms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *summary = NULL;
  sqlite3_stmt *stmt;
  GHashTableIter iter;
  gpointer term;

  if (replace)
    {
      if (!(stmt = crm_store_prepare (self, "DELETE FROM interaction_terms WHERE interaction_id = ?", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      if (!crm_store_step (self, stmt, error))
        return FALSE;
    }
  if (!(stmt = crm_store_prepare (self, "SELECT subject FROM interactions WHERE id = ? AND deleted_at IS NULL", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    summary = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (summary == NULL)
    return TRUE;

  crm_text_short_terms (summary, terms);
  if (!(stmt = crm_store_prepare (self, "INSERT OR IGNORE INTO interaction_terms (term, interaction_id) VALUES (?, ?)",
                                  error)))
    return FALSE;
  g_hash_table_iter_init (&iter, terms);
  while (g_hash_table_iter_next (&iter, &term, NULL))
    {
      sqlite3_bind_text (stmt, 1, term, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, id);
      if (!crm_store_step (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- the summaries of interactions -------------------------------------------------------
 *
 * interactions_fts (schema 6) holds the summary and notes of every live interaction under the
 * interaction's id, with its own copy of the text: the store calls this after each write of an
 * interaction (insert, edit, tombstone, restore), and a search finds the customer through the
 * interaction's customer_id, whoever the interaction moved to since (a merge). */
gboolean
crm_search_index_interaction (CrmStore  *self,
                              gint64     id,
                              GError   **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = crm_store_prepare (self, "DELETE FROM interactions_fts WHERE rowid = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!crm_store_step (self, stmt, error))
    return FALSE;

  if (!(stmt = crm_store_prepare (self,
          "INSERT INTO interactions_fts (rowid, subject, body)"
          " SELECT id, subject, body FROM interactions WHERE id = ? AND deleted_at IS NULL", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!crm_store_step (self, stmt, error))
    return FALSE;

  return index_interaction_terms (self, id, TRUE, error);
}

/* Every live interaction (the upgrade to schema 6): the full-text rows in one statement, the
 * short terms one interaction at a time (shops have logged few by hand before this version). */
gboolean
crm_search_fill_interactions (CrmStore  *self,
                              GError   **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;

  if (!crm_store_exec (self,
                       "DELETE FROM interactions_fts; DELETE FROM interaction_terms;"
                       "INSERT INTO interactions_fts (rowid, subject, body)"
                       " SELECT id, subject, body FROM interactions WHERE deleted_at IS NULL ORDER BY id",
                       error) ||
      !(stmt = crm_store_prepare (self, "SELECT id FROM interactions WHERE deleted_at IS NULL ORDER BY id", error)))
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  for (guint i = 0; i < ids->len; i++)
    if (!index_interaction_terms (self, g_array_index (ids, gint64, i), FALSE, error))
      return FALSE;
  return TRUE;
}

/* The comments of feedback are found by trigrams only (three characters or more): complaints
 * are searched by what they say, and the customer's name finds the short ones. */
gboolean
crm_search_index_feedback (CrmStore  *self,
                           gint64     id,
                           GError   **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = crm_store_prepare (self, "DELETE FROM feedback_fts WHERE rowid = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!crm_store_step (self, stmt, error))
    return FALSE;

  if (!(stmt = crm_store_prepare (self,
          "INSERT INTO feedback_fts (rowid, comment)"
          " SELECT id, comment FROM feedback WHERE id = ? AND deleted_at IS NULL AND comment IS NOT NULL", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return crm_store_step (self, stmt, error);
}

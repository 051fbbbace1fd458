/* crm-import-keys.c: duplicate detection (the bulk key table, or SQL) and the
 * short-query terms and tags a run keeps to write in key order (crm-search.c writes them)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-import-private.h"

/* ---- key table (bulk mode duplicate detection) -------------------------------------------------- */

static guint64
key_hash (char        kind,
          const char *key)
{
  guint64 h = 0xcbf29ce484222325ULL ^ (guchar) kind;

  h *= 0x100000001b3ULL;
  for (const guchar *p = (const guchar *) key; *p; p++)
    {
      h ^= *p;
      h *= 0x100000001b3ULL;
    }
  /* splitmix64 finaliser: FNV alone leaves the low bits (the slot) poorly mixed. */
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h ? h : 1;
}

static void key_table_add (KeyTable *t, guint64 h, gint64 id);

static void
key_table_grow (KeyTable *t)
{
  KeyTable old = *t;
  gsize cap = old.slots ? (old.mask + 1) * 2 : 1 << 16;

  t->slots = g_new0 (KeySlot, cap);
  t->mask = cap - 1;
  t->n = 0;
  for (gsize i = 0; old.slots && i <= old.mask; i++)
    if (old.slots[i].h)
      key_table_add (t, old.slots[i].h, old.slots[i].id);
  g_free (old.slots);
}

/* Several ids may share a key (create-anyway): the first added is found first. */
static void
key_table_add (KeyTable *t,
               guint64   h,
               gint64    id)
{
  gsize i;

  if (t->slots == NULL || (t->n + 1) * 4 > (t->mask + 1) * 3)
    key_table_grow (t);
  for (i = h & t->mask; t->slots[i].h; i = (i + 1) & t->mask)
    ;
  t->slots[i].h = h;
  t->slots[i].id = id;
  t->n++;
}

/* Calls @check for each id stored under @h until it returns TRUE; returns that id or 0. */
static gint64
key_table_find (KeyTable  *t,
                guint64    h,
                gboolean (*check) (gpointer data, gint64 id),
                gpointer   data)
{
  if (t->slots == NULL)
    return 0;
  for (gsize i = h & t->mask; t->slots[i].h; i = (i + 1) & t->mask)
    if (t->slots[i].h == h && check (data, t->slots[i].id))
      return t->slots[i].id;
  return 0;
}

/* ---- duplicates ---- */

typedef struct
{
  Run        *run;
  char        kind;
  const char *key;
} KeyCheck;

static gboolean
check_key (gpointer data,
           gint64   id)
{
  KeyCheck *k = data;
  sqlite3_stmt *stmt = crm_store_prepare (k->run->store,
    "SELECT uuid, external_id, email_key, phone_rev FROM customers WHERE id = ? AND deleted_at IS NULL", NULL);
  gboolean match = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *s = (const char *) sqlite3_column_text (stmt, k->kind == 'u' ? 0 : k->kind == 'x' ? 1 :
                                                                 k->kind == 'e' ? 2 : 3);
      match = g_strcmp0 (s, k->key) == 0;
    }
  sqlite3_reset (stmt);
  return match;
}

gint64
find_by_sql (Run        *run,
             const char *sql,
             const char *a,
             const char *b)
{
  sqlite3_stmt *stmt = crm_store_prepare (run->store, sql, NULL);
  gint64 id = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, a, -1, SQLITE_STATIC);
  if (b != NULL)
    sqlite3_bind_text (stmt, 2, b, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return id;
}

/* The existing live customer this row is, by uuid, external id, e-mail or phone (the whole
 * number: phone_rev is its identity, crm_phone_key() reversed); 0 if none. */
gint64
find_customer (Run         *run,
               const char  *uuid,
               const char  *external_id,
               const char  *email_key,
               const char  *phone_rev)
{
  const struct { char kind; const char *key; } keys[] = {
    { 'u', uuid }, { 'x', external_id }, { 'e', email_key }, { 'p', phone_rev },
  };

  if (run->bulk)
    {
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        if (keys[i].key != NULL)
          {
            KeyCheck k = { run, keys[i].kind, keys[i].key };
            gint64 id = key_table_find (&run->keys, key_hash (keys[i].kind, keys[i].key), check_key, &k);
            if (id != 0)
              return id;
          }
      return 0;
    }

  if (uuid != NULL)
    {
      gint64 id = find_by_sql (run, "SELECT id FROM customers WHERE uuid = ? AND deleted_at IS NULL", uuid, NULL);
      if (id)
        return id;
    }
  if (external_id != NULL)
    {
      gint64 id = find_by_sql (run, "SELECT min(id) FROM customers WHERE external_id = ? AND deleted_at IS NULL",
                               external_id, NULL);
      if (id)
        return id;
    }
  if (email_key != NULL)
    {
      gint64 id = find_by_sql (run, "SELECT min(id) FROM customers WHERE email_key = ? AND deleted_at IS NULL",
                               email_key, NULL);
      if (id)
        return id;
    }
  if (phone_rev != NULL)
    return find_by_sql (run, "SELECT min(id) FROM customers WHERE phone_rev = ? AND deleted_at IS NULL",
                        phone_rev, NULL);
  return 0;
}

void
remember_keys (Run         *run,
               gint64       id,
               const char  *uuid,
               const char  *external_id,
               const char  *email_key,
               const char  *phone_rev)
{
  if (!run->bulk)
    return;
  if (uuid)
    key_table_add (&run->keys, key_hash ('u', uuid), id);
  if (external_id)
    key_table_add (&run->keys, key_hash ('x', external_id), id);
  if (email_key)
    key_table_add (&run->keys, key_hash ('e', email_key), id);
  if (phone_rev)
    key_table_add (&run->keys, key_hash ('p', phone_rev), id);
}

gboolean
load_existing_keys (Run     *run,
                    GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (run->db,
    "SELECT id, uuid, external_id, email_key, phone_rev FROM customers WHERE deleted_at IS NULL",
    -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    return crm_store_set_error (run->store, rc, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    remember_keys (run, sqlite3_column_int64 (stmt, 0), (const char *) sqlite3_column_text (stmt, 1),
                   (const char *) sqlite3_column_text (stmt, 2), (const char *) sqlite3_column_text (stmt, 3),
                   (const char *) sqlite3_column_text (stmt, 4));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (run->store, rc, error);

  /* The unique uuid index is dropped for the run too: a deleted customer's uuid is checked
   * here, and its row refused as the index would have. */
  run->deleted_uuids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  rc = sqlite3_prepare_v2 (run->db, "SELECT uuid FROM customers WHERE deleted_at IS NOT NULL", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return crm_store_set_error (run->store, rc, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (run->deleted_uuids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (run->store, rc, error);
  return TRUE;
}

/* ---- terms and tags ---- */

/* The customer's short-query terms and tags: kept to be written in key order at the end. */
void
write_terms (Run         *run,
             gint64       id,
             Customer    *c,
             const char  *tags)
{
  if (c->terms_ready)
    {
      crm_search_pairs_add (run->terms, id, c->term_ids, c->n_terms);
      crm_search_pairs_add (run->tags, id, c->tag_ids, c->n_tags);
    }
  else
    {
      crm_search_pairs_add_text (run->terms, id, c->name);
      crm_search_pairs_add_text (run->tags, id, tags);
    }
}

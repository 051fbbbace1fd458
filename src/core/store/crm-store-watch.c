/* crm-store-watch.c: what a transaction wrote, told once it is durable.
 *
 * A view must hear of a write only when it can read it, and never of a write that was rolled
 * back.  SQLite has the three hooks for that on each connection: the update hook sees every row
 * written (rowid tables only: its cost is a name comparison per row, and a list that grows past
 * CRM_STORE_CHANGES_MAX ids turns into "many" and stops growing), the rollback hook forgets them,
 * and the WAL hook runs after COMMIT on the committing thread once the frames are written and the
 * write lock is released — the moment another connection can see the rows.  The watcher (a
 * session) takes them there.
 *
 * Setting a WAL hook removes SQLite's own auto-checkpoint, which is a WAL hook too: the same
 * rule is applied here (checkpoint once the log holds 1000 frames, as sqlite3WalDefaultHook
 * does), so the log does not grow without end.
 *
 * Settings are a WITHOUT ROWID table, which the update hook does not see: crm_store_set_setting()
 * names the key itself.  Orders are seen as rows, but their customers are named by
 * crm_store_update_customer_aggregates(), which every order write calls.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-store-private.h"

#include <string.h>

#define CHECKPOINT_FRAMES 1000

/* Changes lists ----------------------------------------------------------- */

void
crm_store_changes_clear (CrmStoreChanges *changes)
{
  g_clear_pointer (&changes->customers, g_array_unref);
  g_clear_pointer (&changes->orders, g_array_unref);
  g_clear_pointer (&changes->activity, g_array_unref);
  g_clear_pointer (&changes->settings, g_ptr_array_unref);
  memset (changes, 0, sizeof *changes);
}

gboolean
crm_store_changes_is_empty (const CrmStoreChanges *changes)
{
  return changes->customers == NULL && !changes->many_customers &&
         changes->orders == NULL && !changes->many_orders &&
         changes->activity == NULL && !changes->many_activity &&
         !changes->values &&
         changes->settings == NULL && !changes->many_settings;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Sorted, each id once. */
void
crm_store_sort_ids (GArray *ids)
{
  guint kept = 0;

  g_array_sort (ids, compare_ids);
  for (guint i = 0; i < ids->len; i++)
    if (kept == 0 || g_array_index (ids, gint64, kept - 1) != g_array_index (ids, gint64, i))
      g_array_index (ids, gint64, kept++) = g_array_index (ids, gint64, i);
  g_array_set_size (ids, kept);
}

/* Appends @id unless the list is "many" already; turns it into "many" when it grows too long
 * even without repeats. */
static void
add_id (GArray   **ids,
        gboolean  *many,
        gint64     id)
{
  if (*many)
    return;
  if (*ids == NULL)
    *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  else if ((*ids)->len > 0 && g_array_index (*ids, gint64, (*ids)->len - 1) == id)
    return;
  g_array_append_val (*ids, id);

  if ((*ids)->len > CRM_STORE_CHANGES_MAX)
    {
      crm_store_sort_ids (*ids);
      if ((*ids)->len > CRM_STORE_CHANGES_MAX)
        {
          g_clear_pointer (ids, g_array_unref);
          *many = TRUE;
        }
    }
}

void
crm_store_changes_add_customer (CrmStoreChanges *changes,
                                gint64           id)
{
  add_id (&changes->customers, &changes->many_customers, id);
}

void
crm_store_changes_add_order (CrmStoreChanges *changes,
                             gint64           customer_id)
{
  add_id (&changes->orders, &changes->many_orders, customer_id);
}

void
crm_store_changes_add_activity (CrmStoreChanges *changes,
                                gint64           customer_id)
{
  add_id (&changes->activity, &changes->many_activity, customer_id);
}

void
crm_store_changes_add_setting (CrmStoreChanges *changes,
                               const char      *key)
{
  if (changes->many_settings)
    return;
  if (changes->settings == NULL)
    changes->settings = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < changes->settings->len; i++)
    if (g_str_equal (g_ptr_array_index (changes->settings, i), key))
      return;
  g_ptr_array_add (changes->settings, g_strdup (key));
}

void
crm_store_changes_compact (CrmStoreChanges *changes)
{
  if (changes->customers != NULL)
    crm_store_sort_ids (changes->customers);
  if (changes->orders != NULL)
    crm_store_sort_ids (changes->orders);
  if (changes->activity != NULL)
    crm_store_sort_ids (changes->activity);
}

static void
take_ids (GArray   **into,
          gboolean  *into_many,
          GArray   **from,
          gboolean  *from_many)
{
  if (*from_many)
    {
      g_clear_pointer (into, g_array_unref);
      *into_many = TRUE;
    }
  else if (*from != NULL)
    for (guint i = 0; i < (*from)->len; i++)
      add_id (into, into_many, g_array_index (*from, gint64, i));
}

void
crm_store_changes_take (CrmStoreChanges *into,
                        CrmStoreChanges *from)
{
  take_ids (&into->customers, &into->many_customers, &from->customers, &from->many_customers);
  take_ids (&into->orders, &into->many_orders, &from->orders, &from->many_orders);
  take_ids (&into->activity, &into->many_activity, &from->activity, &from->many_activity);
  into->values |= from->values;
  if (from->many_settings)
    {
      g_clear_pointer (&into->settings, g_ptr_array_unref);
      into->many_settings = TRUE;
    }
  else
    for (guint i = 0; from->settings != NULL && i < from->settings->len; i++)
      crm_store_changes_add_setting (into, g_ptr_array_index (from->settings, i));
  crm_store_changes_clear (from);
}

/* The hooks ---------------------------------------------------------------- */

/* Rows of computed tables above which a write counts as a recompute of values. */
static const char *const computed_tables[] = {
  "customer_rfm", "customer_predictions", "tier_history", "lifecycle_history",
  "product_stats", "product_pairs", "sales_daily", "sales_category_monthly",
};

static void
update_hook (void          *data,
             int            op,
             const char    *db_name,
             const char    *table,
             sqlite3_int64  rowid)
{
  CrmStore *self = data;

  (void) op;
  if (db_name[0] != 'm' || strcmp (db_name, "main") != 0)
    return;

  switch (table[0])
    {
    case 'c':
      if (strcmp (table, "customers") == 0 || strcmp (table, "customer_state") == 0)
        {
          crm_store_changes_add_customer (&self->pending, rowid);
          return;
        }
      break;
    case 'o':
      /* Their customers are named by crm_store_update_customer_aggregates(); rows without a
       * named customer make it "many" when the transaction commits. */
      if (strcmp (table, "orders") == 0 || strcmp (table, "order_lines") == 0)
        {
          self->order_rows++;
          return;
        }
      break;
    case 't':
      if (strcmp (table, "tiers") == 0)
        {
          self->pending.values = TRUE;
          return;
        }
      if (strcmp (table, "tier_overrides") == 0)
        {
          crm_store_changes_add_customer (&self->pending, rowid);
          return;
        }
      break;
    case 'p':
      /* A customer's points changed: their balance row (keyed by the customer's id). */
      if (strcmp (table, "points_balances") == 0)
        {
          crm_store_changes_add_customer (&self->pending, rowid);
          return;
        }
      break;
    case 'i':
    case 'f':
      /* Their customers are named by the store's writes (crm_store_note_activity_customer()). */
      if (strcmp (table, "interactions") == 0 || strcmp (table, "feedback") == 0)
        {
          self->activity_rows++;
          return;
        }
      break;
    default:
      break;
    }

  for (guint i = 0; i < G_N_ELEMENTS (computed_tables); i++)
    if (strcmp (table, computed_tables[i]) == 0)
      {
        if (++self->computed_rows > CRM_STORE_CHANGES_MAX)
          self->pending.values = TRUE;
        /* The customer's own row of scores or predictions is part of what a view shows of
         * the customer. */
        if (i < 2)
          crm_store_changes_add_customer (&self->pending, rowid);
        return;
      }
}

static void
forget_pending (CrmStore *self)
{
  crm_store_changes_clear (&self->pending);
  self->order_rows = 0;
  self->activity_rows = 0;
  self->computed_rows = 0;
}

static int
commit_hook (void *data)
{
  CrmStore *self = data;

  if (!self->in_commit)
    {
      self->in_commit = TRUE;
      if (self->committing != NULL)
        self->committing (self, TRUE, self->watch_data);
    }
  return 0;
}

static void
rollback_hook (void *data)
{
  CrmStore *self = data;

  forget_pending (self);
  if (self->in_commit)
    {
      self->in_commit = FALSE;
      if (self->committing != NULL)
        self->committing (self, FALSE, self->watch_data);
    }
}

/* The transaction is durable: hand over what it wrote. */
void
crm_store_watch_end_commit (CrmStore *self)
{
  if (!self->in_commit)
    return;

  if (self->order_rows > 0 && self->pending.orders == NULL)
    self->pending.many_orders = TRUE;
  if (self->activity_rows > 0 && self->pending.activity == NULL)
    self->pending.many_activity = TRUE;
  if (self->committed != NULL && !crm_store_changes_is_empty (&self->pending))
    {
      crm_store_changes_compact (&self->pending);
      self->committed (self, &self->pending, self->watch_data);
    }
  forget_pending (self);

  self->in_commit = FALSE;
  if (self->committing != NULL)
    self->committing (self, FALSE, self->watch_data);
}

/* After a statement of the store's: a write transaction that wrote no WAL frame commits without
 * the WAL hook. */
void
crm_store_watch_settle (CrmStore *self)
{
  if (self->in_commit && sqlite3_get_autocommit (self->db))
    crm_store_watch_end_commit (self);
}

static int
wal_hook (void       *data,
          sqlite3    *db,
          const char *db_name,
          int         n_frames)
{
  CrmStore *self = data;

  crm_store_watch_end_commit (self);

  /* What sqlite3WalDefaultHook does, which this hook replaces. */
  if (n_frames >= CHECKPOINT_FRAMES)
    sqlite3_wal_checkpoint (db, db_name);

  return SQLITE_OK;
}

void
crm_store_watch_commits (CrmStore               *self,
                         CrmStoreCommitFunc      committed,
                         CrmStoreCommittingFunc  committing,
                         gpointer                user_data,
                         GDestroyNotify          destroy)
{
  g_return_if_fail (CRM_IS_STORE (self));
  g_return_if_fail (self->committed == NULL);

  self->committed = committed;
  self->committing = committing;
  self->watch_data = user_data;
  self->watch_destroy = destroy;

  sqlite3_update_hook (self->db, update_hook, self);
  sqlite3_commit_hook (self->db, commit_hook, self);
  sqlite3_rollback_hook (self->db, rollback_hook, self);
  sqlite3_wal_hook (self->db, wal_hook, self);
}

void
crm_store_watch_finalize (CrmStore *self)
{
  if (self->db != NULL && self->committed != NULL)
    {
      sqlite3_update_hook (self->db, NULL, NULL);
      sqlite3_commit_hook (self->db, NULL, NULL);
      sqlite3_rollback_hook (self->db, NULL, NULL);
      sqlite3_wal_autocheckpoint (self->db, CHECKPOINT_FRAMES);
    }
  if (self->in_commit && self->committing != NULL)
    self->committing (self, FALSE, self->watch_data);
  self->in_commit = FALSE;
  if (self->watch_destroy != NULL)
    self->watch_destroy (self->watch_data);
  self->committed = NULL;
  self->committing = NULL;
  self->watch_destroy = NULL;
  forget_pending (self);
}

void
crm_store_note_setting (CrmStore   *self,
                        const char *key)
{
  if (self->committed == NULL)
    return;
  if (key != NULL)
    crm_store_changes_add_setting (&self->pending, key);
  else
    {
      g_clear_pointer (&self->pending.settings, g_ptr_array_unref);
      self->pending.many_settings = TRUE;
    }
}

void
crm_store_note_values (CrmStore *self)
{
  if (self->committed != NULL)
    self->pending.values = TRUE;
}

void
crm_store_note_activity_customer (CrmStore *self,
                                  gint64    customer_id)
{
  if (self->committed != NULL && customer_id > 0)
    crm_store_changes_add_activity (&self->pending, customer_id);
}

void
crm_store_note_order_customer (CrmStore *self,
                               gint64    customer_id)
{
  if (self->committed != NULL)
    crm_store_changes_add_order (&self->pending, customer_id);
}

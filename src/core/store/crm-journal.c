/* crm-journal.c: the change journal — every change to a syncable row, in the transaction that
 * makes it; the outbox of sync and the feed of anything else that follows changes.
 *
 * This file is the only one that writes `changes`.  An entry is a compact record (schema 5):
 * the entity and op as small integers, the row's id (its uuid is read from the row when the
 * entry is read: rows are tombstoned, never removed, except by a privacy erase, which scrubs the
 * row's entries and leaves one ERASE entry that carries the uuid itself), the changed fields of
 * an update as a bit mask over the entity's field table, the time, and the origin (NULL: made
 * here; else an id in journal_origins, the sync account whose pull wrote it).  A 1M-row import
 * writes ~24 bytes per entry where schema 4 wrote ~70 (entity, uuid and op as text).
 *
 * Readers are consumers with a cursor each (journal_consumers: name, acked_seq, origin).  What
 * every consumer has acknowledged is pruned; with no consumer at all nothing is kept by a prune,
 * as a consumer that registers later starts at the end (its first pass reads the tables, as a
 * sync account's first sync does).  A prune runs after every acknowledgement and registration;
 * the single-row writers never prune (they stay one INSERT), so with no consumer the journal
 * grows until something calls crm_journal_prune() — a maintenance job may, off the main thread.
 * seq comes from AUTOINCREMENT, so a prune never lets a number come back to a cursor that has
 * passed it.
 *
 * The bit numbering of fields is the order of each model's CrmField table: it is stored, so the
 * tables only grow at their end (test-journal's /core/journal/field-bits freezes them).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-store-private.h"

#include <glib/gi18n-lib.h>

#include "crm-campaign.h"
#include "crm-customer.h"
#include "crm-feedback.h"
#include "crm-interaction.h"
#include "crm-journal.h"
#include "crm-order.h"
#include "crm-order-line.h"
#include "crm-refund.h"
#include "crm-segment.h"
#include "crm-tier.h"

typedef struct
{
  CrmJournalEntity  code;
  const char       *name;      /* as the journal of schema ≤ 4 wrote it, and sync names it */
  const char       *table;
  GType           (*get_type) (void);
} EntityInfo;

static const EntityInfo entities[] = {
  { CRM_JOURNAL_ENTITY_CUSTOMER, "customer", "customers", crm_customer_get_type },
  { CRM_JOURNAL_ENTITY_ORDER, "order", "orders", crm_order_get_type },
  { CRM_JOURNAL_ENTITY_ORDER_LINE, "order_line", "order_lines", crm_order_line_get_type },
  { CRM_JOURNAL_ENTITY_FEEDBACK, "feedback", "feedback", crm_feedback_get_type },
  { CRM_JOURNAL_ENTITY_INTERACTION, "interaction", "interactions", crm_interaction_get_type },
  { CRM_JOURNAL_ENTITY_TIER, "tier", "tiers", crm_tier_get_type },
  { CRM_JOURNAL_ENTITY_SEGMENT, "segment", "segments", crm_segment_get_type },
  { CRM_JOURNAL_ENTITY_CAMPAIGN, "campaign", "campaigns", crm_campaign_get_type },
  { CRM_JOURNAL_ENTITY_REFUND, "refund", "refunds", crm_refund_get_type },
};

static const char *op_names[] = { NULL, "insert", "update", "delete", "restore", "merge", "erase" };

static const EntityInfo *
entity_info (CrmJournalEntity entity)
{
  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    if (entities[i].code == entity)
      return &entities[i];
  return NULL;
}

const char *
crm_journal_entity_to_string (CrmJournalEntity entity)
{
  const EntityInfo *info = entity_info (entity);
  return info != NULL ? info->name : NULL;
}

const char *
crm_journal_op_to_string (CrmJournalOp op)
{
  return op > 0 && op < G_N_ELEMENTS (op_names) ? op_names[op] : NULL;
}

CrmJournalEntity
crm_journal_entity_for_type (GType type)
{
  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    if (entities[i].get_type () == type)
      return entities[i].code;
  return CRM_JOURNAL_ENTITY_UNKNOWN;
}

GStrv
crm_journal_field_names (CrmJournalEntity entity,
                         guint64          mask)
{
  const EntityInfo *info = entity_info (entity);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  if (info != NULL && mask != 0)
    {
      g_autoptr(GTypeClass) klass = g_type_class_ref (info->get_type ());
      CrmEntityClass *eklass = (CrmEntityClass *) klass;

      for (guint i = 0; i < eklass->n_fields && i < 64; i++)
        if (mask & (G_GUINT64_CONSTANT (1) << i))
          g_strv_builder_add (names, eklass->columns[i]);
    }
  return g_strv_builder_end (names);
}

/* The id of the connection's origin in journal_origins, made on first use in the writer's
 * transaction (crm_store_rollback() forgets it, as the row may be gone with the transaction). */
static gboolean
origin_id (CrmStore    *self,
           const char  *name,
           gint64      *id,
           GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *id = 0;
  if (name == NULL)
    return TRUE;
  if (!(stmt = crm_store_prepare (self, "INSERT OR IGNORE INTO journal_origins (name) VALUES (?)", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (!crm_store_step (self, stmt, error) ||
      !(stmt = crm_store_prepare (self, "SELECT id FROM journal_origins WHERE name = ?", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return crm_store_set_error (self, rc, error);
  return TRUE;
}

static gboolean
bind_origin (CrmStore      *self,
             sqlite3_stmt  *stmt,
             int            index,
             GError       **error)
{
  if (self->origin != NULL && self->origin_id == 0 &&
      !origin_id (self, self->origin, &self->origin_id, error))
    return FALSE;
  if (self->origin_id != 0)
    sqlite3_bind_int64 (stmt, index, self->origin_id);
  return TRUE;
}

gboolean
crm_journal_append (CrmStore          *self,
                    CrmJournalEntity   entity,
                    gint64             row_id,
                    CrmJournalOp       op,
                    guint64            fields,
                    gint64             at,
                    GError           **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (self,
    "INSERT INTO changes (entity, row_id, op, at, fields, origin) VALUES (?, ?, ?, ?, ?, ?)", error);

  g_return_val_if_fail (entity_info (entity) != NULL, FALSE);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, entity);
  sqlite3_bind_int64 (stmt, 2, row_id);
  sqlite3_bind_int (stmt, 3, op);
  sqlite3_bind_int64 (stmt, 4, at);
  if (fields != 0)
    sqlite3_bind_int64 (stmt, 5, (gint64) fields);
  if (!bind_origin (self, stmt, 6, error))
    {
      sqlite3_clear_bindings (stmt);
      return FALSE;
    }
  return crm_store_step (self, stmt, error);
}

gboolean
crm_journal_append_entity (CrmStore          *self,
                           CrmEntity         *entity,
                           CrmJournalOp       op,
                           gint64             at,
                           CrmJournalFields   which,
                           GError           **error)
{
  CrmEntityClass *klass = CRM_ENTITY_GET_CLASS (entity);
  guint64 fields = 0;

  for (guint i = 0; which == CRM_JOURNAL_DIRTY_FIELDS && i < klass->n_fields; i++)
    if (!(klass->fields[i].flags & CRM_FIELD_FLAG_COMPUTED) && crm_entity_field_is_dirty (entity, i))
      fields |= G_GUINT64_CONSTANT (1) << i;

  return crm_journal_append (self, crm_journal_entity_for_type (G_OBJECT_TYPE (entity)),
                             crm_entity_get_id (entity), op, fields, at, error);
}

gboolean
crm_journal_append_range (CrmStore          *self,
                          CrmJournalEntity   entity,
                          CrmJournalOp       op,
                          gint64             first_id,
                          gint64             last_id,
                          gint64             at,
                          GError           **error)
{
  const EntityInfo *info = entity_info (entity);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (info != NULL, FALSE);

  if (first_id > last_id)
    return TRUE;
  /* The table's name comes from the table above, never from a caller. */
  sql = g_strdup_printf ("INSERT INTO changes (entity, row_id, op, at, origin)"
                         " SELECT ?1, id, ?2, ?3, ?4 FROM %s WHERE id BETWEEN ?5 AND ?6 ORDER BY id",
                         info->table);
  if (!(stmt = crm_store_prepare (self, sql, error)))
    return FALSE;
  sqlite3_bind_int (stmt, 1, entity);
  sqlite3_bind_int (stmt, 2, op);
  sqlite3_bind_int64 (stmt, 3, at);
  sqlite3_bind_int64 (stmt, 5, first_id);
  sqlite3_bind_int64 (stmt, 6, last_id);
  if (!bind_origin (self, stmt, 4, error))
    {
      sqlite3_clear_bindings (stmt);
      return FALSE;
    }
  return crm_store_step (self, stmt, error);
}

gboolean
crm_journal_erase_row (CrmStore          *self,
                       CrmJournalEntity   entity,
                       gint64             row_id,
                       const char        *uuid,
                       gint64             at,
                       GError           **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (entity_info (entity) != NULL && uuid != NULL, FALSE);

  if (!crm_store_begin (self, error))
    return FALSE;
  if (!(stmt = crm_store_prepare (self, "DELETE FROM changes WHERE entity = ? AND row_id = ?", error)))
    goto fail;
  sqlite3_bind_int (stmt, 1, entity);
  sqlite3_bind_int64 (stmt, 2, row_id);
  if (!crm_store_step (self, stmt, error) ||
      !(stmt = crm_store_prepare (self,
          "INSERT INTO changes (entity, op, at, origin, uuid) VALUES (?, ?, ?, ?, ?)", error)))
    goto fail;
  sqlite3_bind_int (stmt, 1, entity);
  sqlite3_bind_int (stmt, 2, CRM_JOURNAL_ERASE);
  sqlite3_bind_int64 (stmt, 3, at);
  sqlite3_bind_text (stmt, 5, uuid, -1, SQLITE_TRANSIENT);
  if (!bind_origin (self, stmt, 4, error))
    {
      sqlite3_clear_bindings (stmt);
      goto fail;
    }
  if (!crm_store_step (self, stmt, error) || !crm_store_commit (self, error))
    goto fail;
  return TRUE;

fail:
  crm_store_rollback (self);
  return FALSE;
}

gint64
crm_journal_last_seq (CrmStore  *self,
                      GError   **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (self,
    "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0)", error);
  gint64 seq;
  int rc;

  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      crm_store_set_error (self, rc, error);
      return -1;
    }
  return seq;
}

/* ---- consumers ---------------------------------------------------------------------------- */

static gboolean
check_consumer_name (const char  *consumer,
                     GError     **error)
{
  if (consumer != NULL && *consumer != '\0' && g_utf8_validate (consumer, -1, NULL))
    return TRUE;
  g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                       _("A journal reader needs a name"));
  return FALSE;
}

static gboolean
unknown_consumer (const char  *consumer,
                  GError     **error)
{
  g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
               _("No journal reader is called “%s”"), consumer);
  return FALSE;
}

gboolean
crm_journal_add_consumer (CrmStore     *self,
                          const char   *consumer,
                          const char   *origin,
                          GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 origin_row, last;

  if (!check_consumer_name (consumer, error) ||
      (origin != NULL && !check_consumer_name (origin, error)))
    return FALSE;

  if (!crm_store_begin (self, error))
    return FALSE;
  if ((last = crm_journal_last_seq (self, error)) < 0 ||
      !origin_id (self, origin, &origin_row, error) ||
      !(stmt = crm_store_prepare (self,
          "INSERT INTO journal_consumers (name, acked_seq, origin) VALUES (?1, ?2, ?3)"
          " ON CONFLICT (name) DO UPDATE SET origin = ?3", error)))
    goto fail;
  sqlite3_bind_text (stmt, 1, consumer, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, last);
  if (origin_row != 0)
    sqlite3_bind_int64 (stmt, 3, origin_row);
  if (!crm_store_step (self, stmt, error) ||
      !crm_journal_prune (self, error) ||
      !crm_store_commit (self, error))
    goto fail;
  return TRUE;

fail:
  crm_store_rollback (self);
  return FALSE;
}

/* Steps @stmt, a change of @consumer's row bound by the caller (NULL: its prepare failed), then
 * prunes and commits the transaction the caller began; rolls it back on an error or if there
 * is no such consumer. */
static gboolean
finish_consumer_change (CrmStore      *self,
                        sqlite3_stmt  *stmt,
                        const char    *consumer,
                        GError       **error)
{
  if (stmt != NULL && crm_store_step (self, stmt, error))
    {
      if (sqlite3_changes (self->db) == 0)
        unknown_consumer (consumer, error);
      else if (crm_journal_prune (self, error) && crm_store_commit (self, error))
        return TRUE;
    }
  crm_store_rollback (self);
  return FALSE;
}

gboolean
crm_journal_remove_consumer (CrmStore     *self,
                             const char   *consumer,
                             GError      **error)
{
  sqlite3_stmt *stmt;

  if (!check_consumer_name (consumer, error) || !crm_store_begin (self, error))
    return FALSE;
  if ((stmt = crm_store_prepare (self, "DELETE FROM journal_consumers WHERE name = ?", error)) != NULL)
    sqlite3_bind_text (stmt, 1, consumer, -1, SQLITE_TRANSIENT);
  return finish_consumer_change (self, stmt, consumer, error);
}

/* The consumer's acknowledged seq and origin id (0: none); FALSE if there is no such consumer. */
static gboolean
lookup_consumer (CrmStore    *self,
                 const char  *consumer,
                 gint64      *acked,
                 gint64      *origin,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!check_consumer_name (consumer, error) ||
      !(stmt = crm_store_prepare (self, "SELECT acked_seq, origin FROM journal_consumers WHERE name = ?", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, consumer, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *acked = sqlite3_column_int64 (stmt, 0);
      *origin = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return unknown_consumer (consumer, error);
  if (rc != SQLITE_ROW)
    return crm_store_set_error (self, rc, error);
  return TRUE;
}

gint64
crm_journal_get_acked (CrmStore     *self,
                       const char   *consumer,
                       GError      **error)
{
  gint64 acked = -1, origin;

  if (!lookup_consumer (self, consumer, &acked, &origin, error))
    return -1;
  return acked;
}

/* ---- reading ------------------------------------------------------------------------------ */

static void
clear_entry (gpointer data)
{
  CrmJournalEntry *entry = data;

  g_free (entry->uuid);
  g_free (entry->origin);
}

/* An entry's uuid: its own (an erased row), else its row's. */
static char *
read_sql (void)
{
  GString *sql = g_string_new ("SELECT c.seq, c.entity, c.row_id, coalesce(c.uuid, CASE c.entity");

  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    g_string_append_printf (sql, " WHEN %d THEN (SELECT uuid FROM %s WHERE id = c.row_id)",
                            entities[i].code, entities[i].table);
  g_string_append (sql, " END), c.op, c.fields, c.at, o.name"
                        " FROM changes c LEFT JOIN journal_origins o ON o.id = c.origin"
                        " WHERE c.seq > ?1 AND c.seq <= ?2 AND (?3 IS NULL OR c.origin IS NOT ?3)"
                        " ORDER BY c.seq LIMIT ?4");
  return g_string_free (sql, FALSE);
}

GArray *
crm_journal_read (CrmStore     *self,
                  const char   *consumer,
                  gint64        after,
                  guint         limit,
                  gint64       *next,
                  GError      **error)
{
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (CrmJournalEntry));
  g_autofree char *sql = read_sql ();
  sqlite3_stmt *stmt;
  gint64 acked, origin, last;
  int rc;

  g_return_val_if_fail (limit > 0, NULL);

  g_array_set_clear_func (entries, clear_entry);
  if (!lookup_consumer (self, consumer, &acked, &origin, error))
    return NULL;
  if (after == CRM_JOURNAL_AFTER_ACKED)
    after = acked;
  /* Read up to the end as it is now, so that @next is right even if a writer appends meanwhile. */
  if ((last = crm_journal_last_seq (self, error)) < 0 ||
      !(stmt = crm_store_prepare (self, sql, error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after);
  sqlite3_bind_int64 (stmt, 2, last);
  if (origin != 0)
    sqlite3_bind_int64 (stmt, 3, origin);
  sqlite3_bind_int64 (stmt, 4, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmJournalEntry e = {
        .seq = sqlite3_column_int64 (stmt, 0),
        .entity = sqlite3_column_int (stmt, 1),
        .row_id = sqlite3_column_int64 (stmt, 2),
        .uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 3)),
        .op = sqlite3_column_int (stmt, 4),
        .fields = (guint64) sqlite3_column_int64 (stmt, 5),
        .at = sqlite3_column_int64 (stmt, 6),
        .origin = g_strdup ((const char *) sqlite3_column_text (stmt, 7)),
      };
      g_array_append_val (entries, e);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (self, rc, error);
      return NULL;
    }

  /* A short batch saw everything up to the end, the skipped entries included. */
  if (next != NULL)
    *next = entries->len == limit ? g_array_index (entries, CrmJournalEntry, limit - 1).seq : MAX (last, after);
  return g_steal_pointer (&entries);
}

gboolean
crm_journal_ack (CrmStore     *self,
                 const char   *consumer,
                 gint64        seq,
                 GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 last;

  if (!check_consumer_name (consumer, error) || !crm_store_begin (self, error))
    return FALSE;
  if ((last = crm_journal_last_seq (self, error)) < 0)
    goto fail;
  if (seq < 0 || seq > last)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, seq);

      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("The journal has no entry %s to acknowledge"), number);
      goto fail;
    }
  stmt = crm_store_prepare (self, "UPDATE journal_consumers SET acked_seq = max(acked_seq, ?) WHERE name = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, seq);
      sqlite3_bind_text (stmt, 2, consumer, -1, SQLITE_TRANSIENT);
    }
  return finish_consumer_change (self, stmt, consumer, error);

fail:
  crm_store_rollback (self);
  return FALSE;
}

gboolean
crm_journal_prune (CrmStore  *self,
                   GError   **error)
{
  /* With no consumer, min() is NULL and everything up to the end goes. */
  return crm_store_exec (self,
                         "DELETE FROM changes WHERE seq <= coalesce((SELECT min(acked_seq) FROM journal_consumers),"
                         " (SELECT seq FROM sqlite_sequence WHERE name = 'changes'))",
                         error);
}

/* crm-merge.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What an undo needs is kept in merge_log.data (JSON): the survivor's stored fields before the
 * merge ("survivor") and the ids of the orders, feedback, interactions, follow-ups (tasks) and
 * pool history rows that moved ("moved"); a merge made before tasks existed has none to move back.
 * Both the merge and its undo are one transaction each and journal every row they change, so
 * sync sees the same story as the user.
 */
#include "crm-merge.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "crm-feedback.h"
#include "crm-interaction.h"
#include "crm-journal.h"
#include "crm-json.h"
#include "crm-order.h"

/* What moves with the loser.  Tasks and the pool history are not synced: no journal (entity 0),
 * and the history has no updated_at. */
static const char *moved_tables[] = { "orders", "feedback", "interactions", "tasks", "pool_history" };
static const CrmJournalEntity moved_entities[] = {
  CRM_JOURNAL_ENTITY_ORDER, CRM_JOURNAL_ENTITY_FEEDBACK, CRM_JOURNAL_ENTITY_INTERACTION,
  CRM_JOURNAL_ENTITY_UNKNOWN, CRM_JOURNAL_ENTITY_UNKNOWN,
};
/* Their customer_id, as a journal field mask. */
static const guint64 moved_fields[] = {
  G_GUINT64_CONSTANT (1) << CRM_ORDER_CUSTOMER_ID,
  G_GUINT64_CONSTANT (1) << CRM_FEEDBACK_CUSTOMER_ID,
  G_GUINT64_CONSTANT (1) << CRM_INTERACTION_CUSTOMER_ID,
  0, 0,
};

void
crm_merge_default_choices (CrmCustomer    *survivor,
                           CrmCustomer    *other,
                           CrmMergeChoice *choices)
{
  CrmEntityClass *klass = CRM_ENTITY_GET_CLASS (survivor);

  for (guint i = 0; i < klass->n_fields; i++)
    {
      const CrmField *f = &klass->fields[i];
      const GValue *a = crm_entity_get_value (CRM_ENTITY (survivor), i);
      const GValue *b = crm_entity_get_value (CRM_ENTITY (other), i);
      gboolean a_empty, b_empty;

      choices[i] = CRM_MERGE_KEEP;
      if (f->flags & CRM_FIELD_FLAG_COMPUTED)
        continue;
      switch (f->type)
        {
        case G_TYPE_STRING:
          a_empty = g_value_get_string (a) == NULL || *g_value_get_string (a) == '\0';
          b_empty = g_value_get_string (b) == NULL || *g_value_get_string (b) == '\0';
          break;
        case G_TYPE_INT64:
          a_empty = g_value_get_int64 (a) == 0;
          b_empty = g_value_get_int64 (b) == 0;
          break;
        case G_TYPE_INT:
          a_empty = g_value_get_int (a) == 0;
          b_empty = g_value_get_int (b) == 0;
          break;
        case G_TYPE_BOOLEAN:
          a_empty = !g_value_get_boolean (a);
          b_empty = !g_value_get_boolean (b);
          break;
        default:
          a_empty = b_empty = TRUE;
        }
      if (a_empty && !b_empty)
        choices[i] = CRM_MERGE_TAKE_OTHER;
    }
}

static JsonNode *
value_to_json (const GValue *v)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  switch (G_VALUE_TYPE (v))
    {
    case G_TYPE_STRING:
      if (g_value_get_string (v) == NULL)
        json_node_init_null (node);
      else
        json_node_set_string (node, g_value_get_string (v));
      break;
    case G_TYPE_INT64:
      json_node_set_int (node, g_value_get_int64 (v));
      break;
    case G_TYPE_INT:
      json_node_set_int (node, g_value_get_int (v));
      break;
    case G_TYPE_BOOLEAN:
      json_node_set_boolean (node, g_value_get_boolean (v));
      break;
    case G_TYPE_DOUBLE:
      json_node_set_double (node, g_value_get_double (v));
      break;
    default:
      json_node_init_null (node);
    }
  return node;
}

static void
json_to_value (JsonNode *node,
               GType     type,
               GValue   *v)
{
  g_value_init (v, type);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;
  switch (type)
    {
    case G_TYPE_STRING:
      g_value_set_string (v, json_node_get_string (node));
      break;
    case G_TYPE_INT64:
      g_value_set_int64 (v, json_node_get_int (node));
      break;
    case G_TYPE_INT:
      g_value_set_int (v, (int) json_node_get_int (node));
      break;
    case G_TYPE_BOOLEAN:
      g_value_set_boolean (v, json_node_get_boolean (node));
      break;
    case G_TYPE_DOUBLE:
      g_value_set_double (v, json_node_get_double (node));
      break;
    default:
      break;
    }
}

/* Moves the records of table @t from @from to @to; @only (if not NULL) limits it to those ids.
 * Appends the ids moved to @moved. */
static gboolean
move_records (CrmStore   *store,
              guint       t,
              gint64      from,
              gint64      to,
              JsonArray  *only,
              JsonArray  *moved,
              gint64      now,
              GError    **error)
{
  g_autofree char *select = g_strdup_printf ("SELECT id FROM %s WHERE customer_id = ?", moved_tables[t]);
  g_autofree char *update = g_strdup_printf (g_str_equal (moved_tables[t], "pool_history")
                                             ? "UPDATE %s SET customer_id = ?1 WHERE id = ?3"
                                             : "UPDATE %s SET customer_id = ?, updated_at = max(updated_at + 1, ?)"
                                               " WHERE id = ?", moved_tables[t]);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) allowed = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (only != NULL)
    {
      allowed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      for (guint i = 0; i < json_array_get_length (only); i++)
        {
          gint64 id = json_array_get_int_element (only, i);
          g_hash_table_add (allowed, g_memdup2 (&id, sizeof id));
        }
    }

  if (!(stmt = crm_store_prepare (store, select, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, from);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (allowed != NULL && !g_hash_table_contains (allowed, &id))
        continue;
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (store, rc, error);

  for (guint i = 0; i < ids->len; i++)
    {
      if (!(stmt = crm_store_prepare (store, update, error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, to);
      sqlite3_bind_int64 (stmt, 2, now);
      sqlite3_bind_int64 (stmt, 3, g_array_index (ids, gint64, i));
      if (!crm_store_step (store, stmt, error) ||
          (moved_entities[t] != CRM_JOURNAL_ENTITY_UNKNOWN &&
           !crm_journal_append (store, moved_entities[t], g_array_index (ids, gint64, i), CRM_JOURNAL_UPDATE,
                                moved_fields[t], now, error)))
        return FALSE;
      if (moved != NULL)
        json_array_add_int_element (moved, g_array_index (ids, gint64, i));
    }
  return TRUE;
}

gint64
crm_merge_customers (CrmStore             *store,
                     gint64                survivor_id,
                     gint64                other_id,
                     const CrmMergeChoice *choices,
                     GError              **error)
{
  g_autoptr(CrmCustomer) survivor = NULL;
  g_autoptr(CrmCustomer) other = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(JsonObject) before = json_object_new ();
  g_autoptr(JsonObject) moved = json_object_new ();
  g_autofree char *json = NULL;
  CrmMergeChoice defaults[CRM_CUSTOMER_N_FIELDS];
  CrmEntityClass *klass;
  sqlite3_stmt *stmt;
  gint64 now = crm_now_ms (), merge_id;

  if (survivor_id == other_id)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("A customer cannot be merged with itself"));
      return 0;
    }
  if (!(survivor = crm_store_load (store, CRM_TYPE_CUSTOMER, survivor_id, error)) ||
      !(other = crm_store_load (store, CRM_TYPE_CUSTOMER, other_id, error)))
    return 0;
  if (crm_entity_is_deleted (CRM_ENTITY (survivor)) || crm_entity_is_deleted (CRM_ENTITY (other)))
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("Only customers that are not deleted can be merged"));
      return 0;
    }
  if (choices == NULL)
    {
      crm_merge_default_choices (survivor, other, defaults);
      choices = defaults;
    }

  klass = CRM_ENTITY_GET_CLASS (survivor);
  for (guint i = 0; i < klass->n_fields; i++)
    if (!(klass->fields[i].flags & CRM_FIELD_FLAG_COMPUTED))
      json_object_set_member (before, klass->columns[i], value_to_json (crm_entity_get_value (CRM_ENTITY (survivor), i)));

  if (!crm_store_begin (store, error))
    return 0;

  /* The loser goes first: its e-mail or external id may be unique per live customer in a
   * future schema, and a survivor taking them must not collide. */
  if (!crm_store_delete_merged (store, CRM_ENTITY (other), survivor_id, error))
    goto fail;

  for (guint i = 0; i < klass->n_fields; i++)
    if (!(klass->fields[i].flags & CRM_FIELD_FLAG_COMPUTED) && choices[i] == CRM_MERGE_TAKE_OTHER)
      crm_entity_set_value (CRM_ENTITY (survivor), i, crm_entity_get_value (CRM_ENTITY (other), i));
  if (!crm_store_update (store, CRM_ENTITY (survivor), error))
    goto fail;

  for (guint t = 0; t < G_N_ELEMENTS (moved_tables); t++)
    {
      JsonArray *ids = json_array_new ();

      json_object_set_array_member (moved, moved_tables[t], ids);
      if (!move_records (store, t, other_id, survivor_id, NULL, ids, now, error))
        goto fail;
    }

  if (!crm_store_update_customer_aggregates (store, survivor_id, error) ||
      !crm_store_update_customer_aggregates (store, other_id, error))
    goto fail;

  json_object_set_object_member (data, "survivor", json_object_ref (before));
  json_object_set_object_member (data, "moved", json_object_ref (moved));
  root = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (root, data);
  json_generator_set_root (gen, root);
  json = json_generator_to_data (gen, NULL);

  if (!(stmt = crm_store_prepare (store, "INSERT INTO merge_log (survivor_id, loser_id, at, data) VALUES (?, ?, ?, ?)", error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, survivor_id);
  sqlite3_bind_int64 (stmt, 2, other_id);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_text (stmt, 4, json, -1, SQLITE_STATIC);
  if (!crm_store_step (store, stmt, error))
    goto fail;
  merge_id = sqlite3_last_insert_rowid (crm_store_get_db (store));

  if (!crm_store_commit (store, error))
    goto fail;
  return merge_id;

fail:
  crm_store_rollback (store);
  return 0;
}

gboolean
crm_merge_undo (CrmStore  *store,
                gint64     merge_id,
                GError   **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(CrmCustomer) survivor = NULL;
  g_autoptr(CrmCustomer) other = NULL;
  g_autofree char *json = NULL;
  JsonObject *data, *before, *moved;
  CrmEntityClass *klass;
  gint64 survivor_id = 0, other_id = 0, now = crm_now_ms ();
  sqlite3_stmt *stmt;

  if (!(stmt = crm_store_prepare (store, "SELECT survivor_id, loser_id, data FROM merge_log WHERE id = ? AND undone_at IS NULL", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, merge_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      survivor_id = sqlite3_column_int64 (stmt, 0);
      other_id = sqlite3_column_int64 (stmt, 1);
      json = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  if (json == NULL)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                           _("This merge cannot be undone: it was undone already or is unknown"));
      return FALSE;
    }
  if (!crm_json_load (parser, json, CRM_JSON_MAX_DEPTH, error))
    return FALSE;
  data = json_node_get_object (json_parser_get_root (parser));
  before = json_object_get_object_member (data, "survivor");
  moved = json_object_get_object_member (data, "moved");

  if (!(survivor = crm_store_load (store, CRM_TYPE_CUSTOMER, survivor_id, error)) ||
      !(other = crm_store_load (store, CRM_TYPE_CUSTOMER, other_id, error)))
    return FALSE;

  if (!crm_store_begin (store, error))
    return FALSE;

  klass = CRM_ENTITY_GET_CLASS (survivor);
  for (guint i = 0; i < klass->n_fields; i++)
    if (!(klass->fields[i].flags & CRM_FIELD_FLAG_COMPUTED) && json_object_has_member (before, klass->columns[i]))
      {
        GValue v = G_VALUE_INIT;

        json_to_value (json_object_get_member (before, klass->columns[i]), klass->fields[i].type, &v);
        crm_entity_set_value (CRM_ENTITY (survivor), i, &v);
        g_value_unset (&v);
      }
  if (!crm_store_update (store, CRM_ENTITY (survivor), error))
    goto fail;

  for (guint t = 0; t < G_N_ELEMENTS (moved_tables); t++)
    {
      JsonArray *ids = json_object_has_member (moved, moved_tables[t])
                       ? json_object_get_array_member (moved, moved_tables[t]) : NULL;

      if (ids != NULL && json_array_get_length (ids) > 0 &&
          !move_records (store, t, survivor_id, other_id, ids, NULL, now, error))
        goto fail;
    }

  if (!crm_store_restore (store, CRM_ENTITY (other), error) ||
      !crm_store_update_customer_aggregates (store, survivor_id, error) ||
      !crm_store_update_customer_aggregates (store, other_id, error))
    goto fail;

  if (!(stmt = crm_store_prepare (store, "UPDATE merge_log SET undone_at = ? WHERE id = ?", error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, merge_id);
  if (!crm_store_step (store, stmt, error) || !crm_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  crm_store_rollback (store);
  return FALSE;
}

/* crm-store-crud.c: the generic CRUD every model goes through: validation of every text that
 * reaches the database, one transaction per write with its journal row, loading rows into
 * objects, and orders with the customer aggregates they keep.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-store-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-customer.h"
#include "crm-feedback.h"
#include "crm-interaction.h"
#include "crm-journal.h"
#include "crm-order.h"
#include "crm-order-line.h"
#include "crm-refund.h"
#include "crm-search.h"
#include "crm-text.h"

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

/* Interactions and refunds (schema 6): what every writer must give them. */
static gboolean
validate_activity (CrmEntity  *entity,
                   GError    **error)
{
  const char *message = NULL;

  if (CRM_IS_INTERACTION (entity))
    {
      CrmInteraction *i = CRM_INTERACTION (entity);

      /* Rows of older programs and of sync may lack a channel; a channel given must be one of
       * the known ones.  crm_timeline_log() asks more of a contact logged by hand. */
      if (crm_interaction_get_channel (i) != NULL &&
          !crm_interaction_channel_is_known (crm_interaction_get_channel (i)))
        message = _("The channel must be one of phone, email, visit, chat, wechat, social or note");
      else if (!crm_interaction_direction_is_known (crm_interaction_get_direction (i)))
        message = _("The direction must be “in” or “out”");
    }
  else if (CRM_IS_REFUND (entity))
    {
      CrmRefund *r = CRM_REFUND (entity);

      if (crm_refund_get_order_id (r) <= 0)
        message = _("A refund needs an order");
      else if (crm_refund_get_amount (r) <= 0)
        message = _("A refund must be more than zero");
      else if (crm_refund_get_refunded_at (r) <= 0)
        message = _("A refund needs the time it was made");
    }

  if (message != NULL)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, message);
      return FALSE;
    }
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
                              &local_error) ||
          ((f->flags & CRM_FIELD_FLAG_REQUIRED) &&
           !crm_text_check_visible (text, g_dgettext (GETTEXT_PACKAGE, f->label), &local_error)))
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

  if (CRM_IS_INTERACTION (entity) || CRM_IS_REFUND (entity))
    return validate_activity (entity, error);

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

  if (CRM_IS_INTERACTION (entity))
    {
      crm_store_note_activity_customer (self, crm_interaction_get_customer_id (CRM_INTERACTION (entity)));
      return crm_search_index_interaction (self, crm_entity_get_id (entity), error);
    }

  if (CRM_IS_FEEDBACK (entity))
    {
      crm_store_note_activity_customer (self, crm_feedback_get_customer_id (CRM_FEEDBACK (entity)));
      return crm_search_index_feedback (self, crm_entity_get_id (entity), error);
    }

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
      !crm_journal_append_entity (self, entity, CRM_JOURNAL_INSERT, now, CRM_JOURNAL_NO_FIELDS, error) ||
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
      !crm_journal_append_entity (self, entity, CRM_JOURNAL_UPDATE, now, CRM_JOURNAL_DIRTY_FIELDS, error) ||
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

/* Tombstones (@op DELETE or MERGE, into @merged_into) or restores a row, journaled as @op.  A
 * customer's merged_into follows: set by a merge, cleared by a restore (it stands alone again). */
static gboolean
set_deleted (CrmStore      *self,
             CrmEntity     *entity,
             CrmJournalOp   op,
             gint64         merged_into,
             GError       **error)
{
  CrmEntityClass *klass = CRM_ENTITY_GET_CLASS (entity);
  gboolean deleted = op != CRM_JOURNAL_RESTORE;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 now = MAX (crm_now_ms (), crm_entity_get_updated_at (entity) + 1);

  g_return_val_if_fail (crm_entity_get_id (entity) != 0, FALSE);
  g_return_val_if_fail (op != CRM_JOURNAL_MERGE || (CRM_IS_CUSTOMER (entity) && merged_into > 0), FALSE);

  /* A refund changed its order's total: it is undone by another record, not by hiding it. */
  if (CRM_IS_REFUND (entity))
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("A refund cannot be deleted"));
      return FALSE;
    }

  sql = g_strdup_printf ("UPDATE %s SET deleted_at = ?1, updated_at = ?2%s WHERE id = ?3 AND deleted_at IS %s",
                         klass->table,
                         !CRM_IS_CUSTOMER (entity) ? "" : op == CRM_JOURNAL_MERGE ? ", merged_into = ?4"
                         : op == CRM_JOURNAL_RESTORE ? ", merged_into = NULL" : "",
                         deleted ? "NULL" : "NOT NULL");

  if (!crm_store_begin (self, error))
    return FALSE;

  if (!(stmt = crm_store_prepare (self, sql, error)))
    goto fail;
  if (deleted)
    sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, crm_entity_get_id (entity));
  if (op == CRM_JOURNAL_MERGE)
    sqlite3_bind_int64 (stmt, 4, merged_into);
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

  if ((CRM_IS_INTERACTION (entity) || CRM_IS_FEEDBACK (entity)) && !after_write (self, entity, TRUE, error))
    goto fail;

  if (!crm_journal_append_entity (self, entity, op, now, CRM_JOURNAL_NO_FIELDS, error) ||
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
  return set_deleted (self, entity, CRM_JOURNAL_DELETE, 0, error);
}

gboolean
crm_store_delete_merged (CrmStore   *self,
                         CrmEntity  *customer,
                         gint64      into_id,
                         GError    **error)
{
  return set_deleted (self, customer, CRM_JOURNAL_MERGE, into_id, error);
}

gboolean
crm_store_restore (CrmStore   *self,
                   CrmEntity  *entity,
                   GError    **error)
{
  return set_deleted (self, entity, CRM_JOURNAL_RESTORE, 0, error);
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

  if (customer_id > 0)
    {
      crm_store_note_order_customer (self, customer_id);
      if (self->order_hooks->len > 0 && !self->in_order_hook)
        g_array_append_val (self->hook_customers, customer_id);
    }

  /* Outside a transaction of the store's the write is its own transaction. */
  if (self->tx_depth == 0)
    return crm_store_run_order_hooks (self, error);

  return TRUE;
}

gboolean
crm_store_run_order_hooks (CrmStore  *self,
                           GError   **error)
{
  g_autoptr(GArray) ids = NULL;
  gboolean ok = TRUE;

  if (self->hook_customers->len == 0 || self->in_order_hook)
    return TRUE;

  ids = g_steal_pointer (&self->hook_customers);
  self->hook_customers = g_array_new (FALSE, FALSE, sizeof (gint64));
  crm_store_sort_ids (ids);

  /* A hook may write orders itself: no recursion. */
  self->in_order_hook = TRUE;
  for (guint i = 0; ok && i < self->order_hooks->len; i++)
    {
      OrderHook *h = &g_array_index (self->order_hooks, OrderHook, i);

      ok = h->hook (self, (const gint64 *) ids->data, ids->len, h->data, error);
    }
  self->in_order_hook = FALSE;

  return ok;
}

void
crm_store_add_order_hook (CrmStore          *self,
                          CrmStoreOrderHook  hook,
                          gpointer           user_data,
                          GDestroyNotify     destroy)
{
  OrderHook h = { hook, user_data, destroy };

  g_return_if_fail (CRM_IS_STORE (self));
  g_return_if_fail (hook != NULL);

  g_array_append_val (self->order_hooks, h);
}

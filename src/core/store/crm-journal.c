/* crm-journal.c: the change journal — every change to a syncable row, in the transaction that
 * makes it; the outbox of sync.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-store-private.h"

#include "crm-journal.h"

gboolean
crm_journal_append_entity (CrmStore          *self,
                           CrmEntity         *entity,
                           const char        *op,
                           gint64             at,
                           CrmJournalFields   which,
                           GError           **error)
{
  CrmEntityClass *klass = CRM_ENTITY_GET_CLASS (entity);
  g_autoptr(GString) fields = g_string_new ("[");
  sqlite3_stmt *stmt;

  for (guint i = 0; which != CRM_JOURNAL_NO_FIELDS && i < klass->n_fields; i++)
    {
      if (klass->fields[i].flags & CRM_FIELD_FLAG_COMPUTED)
        continue;
      if (which == CRM_JOURNAL_DIRTY_FIELDS && !crm_entity_field_is_dirty (entity, i))
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

/* crm-import-mapping.c: a file's columns mapped to fields: by aliases, by hand, and
 * remembered per header set (import_mappings)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-import-private.h"

#include <json-glib/json-glib.h>

#include "crm-json.h"

static char *
header_hash (CrmImporter *self)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (sum, (const guchar *) (self->kind == CRM_IMPORT_CUSTOMERS ? "customers" : "orders"), -1);
  for (guint i = 0; i < self->n_columns; i++)
    {
      g_checksum_update (sum, (const guchar *) "\x1f", 1);
      g_checksum_update (sum, (const guchar *) self->columns[i], -1);
    }
  return g_strdup (g_checksum_get_string (sum));
}

void
apply_aliases (CrmImporter  *self,
               const Alias  *aliases,
               guint         n_aliases)
{
  for (guint c = 0; c < self->n_columns; c++)
    {
      g_autofree char *norm = crm_customer_fields_normalize_header (self->columns[c]);

      self->plan[c] = -1;
      self->prio[c] = 0;
      for (guint a = 0; a < n_aliases; a++)
        if (g_str_equal (norm, aliases[a].header))
          {
            self->plan[c] = aliases[a].target;
            self->prio[c] = aliases[a].prio;
            break;
          }
    }
}

/* A remembered mapping: {"Header": "field", ...}; columns not named stay ignored. */
gboolean
load_remembered (CrmImporter *self)
{
  g_autofree char *hash = header_hash (self);
  g_autoptr(JsonParser) parser = json_parser_new ();
  sqlite3_stmt *stmt;
  g_autofree char *json = NULL;
  JsonObject *obj;

  stmt = crm_store_prepare (self->store, "SELECT mapping FROM import_mappings WHERE header_hash = ?", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    json = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (json == NULL || !crm_json_load (parser, json, CRM_JSON_MAX_DEPTH, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;

  obj = json_node_get_object (json_parser_get_root (parser));
  for (guint c = 0; c < self->n_columns; c++)
    {
      const char *field = json_object_has_member (obj, self->columns[c])
                          ? json_object_get_string_member (obj, self->columns[c]) : NULL;
      int t = field ? target_from_name (self->kind, field) : -1;

      self->plan[c] = t;
      self->prio[c] = 1;
    }
  return TRUE;
}

gboolean
save_mapping (CrmImporter  *self,
              GError      **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *hash = header_hash (self);
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;
  int rc;

  json_builder_begin_object (b);
  for (guint c = 0; c < self->n_columns; c++)
    if (self->plan[c] >= 0)
      {
        json_builder_set_member_name (b, self->columns[c]);
        json_builder_add_string_value (b, target_name (self->kind, self->plan[c]));
      }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json = json_generator_to_data (gen, NULL);

  stmt = crm_store_prepare (self->store,
                            "INSERT OR REPLACE INTO import_mappings (header_hash, kind, mapping, updated_at)"
                            " VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, self->kind == CRM_IMPORT_CUSTOMERS ? "customers" : "orders", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, crm_now_ms ());
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (self->store, rc, error);
  return TRUE;
}

const char *
crm_importer_get_mapping (CrmImporter *self,
                          guint        column)
{
  g_return_val_if_fail (column < self->n_columns, NULL);
  return self->plan[column] >= 0 ? target_name (self->kind, self->plan[column]) : NULL;
}

gboolean
crm_importer_set_mapping (CrmImporter  *self,
                          guint         column,
                          const char   *field,
                          GError      **error)
{
  int t;

  g_return_val_if_fail (self->prepared, FALSE);
  if (column >= self->n_columns)
    {
      g_set_error (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_BAD_MAPPING,
                   _("The file has no column %u"), column + 1);
      return FALSE;
    }
  if (field == NULL || *field == '\0')
    {
      self->plan[column] = -1;
      return TRUE;
    }
  t = target_from_name (self->kind, field);
  if (t < 0)
    {
      g_autofree char *known = g_strjoinv (", ", (char **) crm_import_get_fields (self->kind, NULL));
      g_set_error (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_BAD_MAPPING,
                   _("“%s” is not a field that can be imported; use one of: %s"), field, known);
      return FALSE;
    }
  self->plan[column] = t;
  /* A choice made by hand wins over the columns mapped automatically. */
  self->prio[column] = 10;
  return TRUE;
}

gboolean
crm_importer_set_mapping_string (CrmImporter  *self,
                                 const char   *spec,
                                 GError      **error)
{
  g_auto(GStrv) pairs = g_strsplit (spec, ",", -1);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *eq, *source, *field;
      guint c;

      if (g_strstrip (pairs[i])[0] == '\0')
        continue;
      eq = strrchr (pairs[i], '=');
      if (eq == NULL)
        {
          g_set_error (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_BAD_MAPPING,
                       _("“%s” is not a mapping: write “Source column=field”"), pairs[i]);
          return FALSE;
        }
      *eq = '\0';
      source = g_strstrip (pairs[i]);
      field = g_strstrip (eq + 1);
      for (c = 0; c < self->n_columns; c++)
        if (g_str_equal (self->columns[c], source))
          break;
      if (c == self->n_columns)
        {
          g_set_error (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_BAD_MAPPING,
                       _("The file has no column “%s”"), source);
          return FALSE;
        }
      if (!crm_importer_set_mapping (self, c, field, error))
        return FALSE;
    }
  return TRUE;
}

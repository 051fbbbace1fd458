/* crm-cli-customers.c: the customer commands of clientele-cli.
 *
 *   add-customer --name TEXT [--phone …] [--email …] [--city …] [--company …] [--tags …]
 *   show UUID · delete UUID · restore UUID
 *   list [--search TEXT] [--sort FIELD] [--limit N] [--offset N]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "crm-cli.h"
#include "crm-customer.h"
#include "crm-format.h"
#include "crm-query.h"
#include "crm-search.h"
#include "crm-store.h"
#include "crm-text.h"

/* ---- output ------------------------------------------------------------------------- */

/* A field of a model as JSON: times and references that are unset are null. */
static void
add_field_json (JsonBuilder    *b,
                CrmEntity      *entity,
                const CrmField *f,
                guint           index,
                const char     *column)
{
  json_builder_set_member_name (b, column);
  switch (f->type)
    {
    case G_TYPE_STRING:
      if (crm_entity_get_string (entity, index) != NULL)
        json_builder_add_string_value (b, crm_entity_get_string (entity, index));
      else
        json_builder_add_null_value (b);
      break;
    case G_TYPE_INT64:
      if (crm_entity_get_int64 (entity, index) == 0 &&
          (g_str_has_suffix (f->name, "-at") || g_str_has_suffix (f->name, "-id")))
        json_builder_add_null_value (b);
      else
        json_builder_add_int_value (b, crm_entity_get_int64 (entity, index));
      break;
    case G_TYPE_INT:
      json_builder_add_int_value (b, g_value_get_int (crm_entity_get_value (entity, index)));
      break;
    case G_TYPE_BOOLEAN:
      json_builder_add_boolean_value (b, crm_entity_get_boolean (entity, index));
      break;
    case G_TYPE_DOUBLE:
      json_builder_add_double_value (b, crm_entity_get_double (entity, index));
      break;
    default:
      json_builder_add_null_value (b);
    }
}

static void
add_time_member (JsonBuilder *b,
                 const char  *name,
                 gint64       ms)
{
  json_builder_set_member_name (b, name);
  if (ms != 0)
    json_builder_add_int_value (b, ms);
  else
    json_builder_add_null_value (b);
}

static void
add_customer_json (JsonBuilder *b,
                   CrmCustomer *customer)
{
  CrmEntity *entity = CRM_ENTITY (customer);
  CrmEntityClass *klass = CRM_ENTITY_GET_CLASS (entity);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "uuid");
  json_builder_add_string_value (b, crm_entity_get_uuid (entity));
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, crm_entity_get_id (entity));
  add_time_member (b, "created_at", crm_entity_get_created_at (entity));
  add_time_member (b, "updated_at", crm_entity_get_updated_at (entity));
  add_time_member (b, "deleted_at", crm_entity_get_deleted_at (entity));
  for (guint i = 0; i < klass->n_fields; i++)
    add_field_json (b, entity, &klass->fields[i], i, klass->columns[i]);
  json_builder_end_object (b);
}

static char *
currency_of (CrmStore *store)
{
  char *currency = crm_store_get_setting (store, "currency");

  return currency != NULL ? currency : g_strdup ("CNY");
}

/* A field of a model as text for people; NULL when there is nothing to show. */
static char *
field_text (CrmStore       *store,
            CrmEntity      *entity,
            const CrmField *f,
            guint           index)
{
  switch (f->type)
    {
    case G_TYPE_STRING:
      {
        const char *s = crm_entity_get_string (entity, index);
        return s != NULL && *s != '\0' ? g_strdup (s) : NULL;
      }
    case G_TYPE_INT64:
      {
        gint64 v = crm_entity_get_int64 (entity, index);

        if (g_str_has_suffix (f->name, "-at"))
          return v != 0 ? crm_format_date_time (v) : NULL;
        if (g_str_has_suffix (f->name, "-id"))
          return v != 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, v) : NULL;
        if (g_str_equal (f->name, "total-spent"))
          {
            g_autofree char *currency = currency_of (store);
            return crm_format_money (v, currency);
          }
        return crm_format_count (v);
      }
    case G_TYPE_INT:
      {
        int v = g_value_get_int (crm_entity_get_value (entity, index));

        if (g_str_equal (f->name, "gender"))
          return g_strdup (crm_gender_get_label (v));
        if (g_str_equal (f->name, "lifecycle") && v >= 0 && v < CRM_LIFECYCLE_N_STAGES)
          return g_strdup (crm_lifecycle_get_label (v));
        return g_strdup_printf ("%d", v);
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (crm_entity_get_boolean (entity, index) ? _("Yes") : _("No"));
    case G_TYPE_DOUBLE:
      return g_strdup_printf ("%g", crm_entity_get_double (entity, index));
    default:
      return NULL;
    }
}

/* Columns of text line up even with double-width (CJK) characters. */
/* ---- arguments ---------------------------------------------------------------------- */

static gboolean
check_uuid (const char  *text,
            GError     **error)
{
  if (!g_uuid_string_is_valid (text))
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a UUID (expected something like 123e4567-e89b-12d3-a456-426614174000)"),
                   valid);
      return FALSE;
    }
  return TRUE;
}

/* Text from the command line reaches the store as is; check it like any boundary. */
static gboolean
check_text (const char  *label,
            const char  *text,
            GError     **error)
{
  return crm_text_validate (text, -1, 0, label, error);
}

static CrmCustomer *
load_customer (CrmStore    *store,
               const char  *uuid,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  CrmCustomer *customer = crm_store_load_by_uuid (store, CRM_TYPE_CUSTOMER, uuid, &local_error);

  if (customer == NULL)
    {
      if (g_error_matches (local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND))
        g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                     _("No customer with UUID %s"), uuid);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return customer;
}

/* Shared with the other command files (crm-cli.h). */
CrmCustomer *
crm_cli_load_customer (CrmStore    *store,
                       const char  *uuid,
                       GError     **error)
{
  if (!check_uuid (uuid, error))
    return NULL;
  return load_customer (store, uuid, error);
}

/* ---- add-customer ----------------------------------------------------------------- */

static char *opt_name, *opt_phone, *opt_email, *opt_city, *opt_company, *opt_tags;

static const GOptionEntry add_entries[] = {
  { "name", 0, 0, G_OPTION_ARG_FILENAME, &opt_name, N_("Name (required)"), N_("TEXT") },
  { "phone", 0, 0, G_OPTION_ARG_FILENAME, &opt_phone, N_("Phone number"), N_("NUMBER") },
  { "email", 0, 0, G_OPTION_ARG_FILENAME, &opt_email, N_("E-mail address"), N_("ADDRESS") },
  { "city", 0, 0, G_OPTION_ARG_FILENAME, &opt_city, N_("City"), N_("TEXT") },
  { "company", 0, 0, G_OPTION_ARG_FILENAME, &opt_company, N_("Company"), N_("TEXT") },
  { "tags", 0, 0, G_OPTION_ARG_FILENAME, &opt_tags, N_("Tags, separated by commas"), N_("TAGS") },
  { NULL }
};

static const char *
empty_to_null (const char *s)
{
  return s != NULL && *s != '\0' ? s : NULL;
}

static int
cmd_add_customer (CrmStore  *store,
                  char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) customer = crm_customer_new ();
  g_autoptr(GArray) dups = NULL;
  g_autoptr(GPtrArray) dup_rows = NULL;

  /* An empty value ("--phone ''") means "not given". */
  crm_customer_set_name (customer, opt_name);
  crm_customer_set_phone (customer, empty_to_null (opt_phone));
  crm_customer_set_email (customer, empty_to_null (opt_email));
  crm_customer_set_city (customer, empty_to_null (opt_city));
  crm_customer_set_company (customer, empty_to_null (opt_company));
  crm_customer_set_tags (customer, empty_to_null (opt_tags));

  /* The store checks every text (UTF-8, length, e-mail and phone shape). */
  if (!crm_store_insert (store, CRM_ENTITY (customer), &error))
    return crm_cli_fail_error (error);

  dups = crm_store_find_duplicates (store, CRM_ENTITY (customer), &error);
  if (dups == NULL)
    return crm_cli_fail_error (error);
  if (dups->len > 0)
    {
      g_autoptr(GString) list = g_string_new (NULL);
      g_autofree char *message = NULL;

      dup_rows = crm_store_load_many (store, CRM_TYPE_CUSTOMER, (gint64 *) (gpointer) dups->data, dups->len, &error);
      if (dup_rows == NULL)
        return crm_cli_fail_error (error);
      for (guint i = 0; i < dup_rows->len; i++)
        g_string_append_printf (list, "%s%s", i ? ", " : "",
                                crm_entity_get_uuid (g_ptr_array_index (dup_rows, i)));
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u other customer has the same e-mail address or phone number: %s",
                                              "%u other customers have the same e-mail address or phone number: %s",
                                              dup_rows->len),
                                 dup_rows->len, list->str);
      crm_cli_warn (message);
    }

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "uuid");
      json_builder_add_string_value (b, crm_entity_get_uuid (CRM_ENTITY (customer)));
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, crm_entity_get_id (CRM_ENTITY (customer)));
      json_builder_set_member_name (b, "duplicates");
      json_builder_begin_array (b);
      for (guint i = 0; dup_rows != NULL && i < dup_rows->len; i++)
        json_builder_add_string_value (b, crm_entity_get_uuid (g_ptr_array_index (dup_rows, i)));
      json_builder_end_array (b);
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else
    printf ("%s\n", crm_entity_get_uuid (CRM_ENTITY (customer)));

  return CRM_CLI_EXIT_OK;
}

/* ---- show, delete, restore ---------------------------------------------------------- */

static void
print_customer_text (CrmStore    *store,
                     CrmCustomer *customer)
{
  CrmEntity *entity = CRM_ENTITY (customer);
  CrmEntityClass *klass = CRM_ENTITY_GET_CLASS (entity);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  guint width = 0;

  g_ptr_array_add (labels, g_strdup ("UUID"));
  g_ptr_array_add (values, g_strdup (crm_entity_get_uuid (entity)));
  g_ptr_array_add (labels, g_strdup (_("Created")));
  g_ptr_array_add (values, crm_format_date_time (crm_entity_get_created_at (entity)));
  g_ptr_array_add (labels, g_strdup (_("Updated")));
  g_ptr_array_add (values, crm_format_date_time (crm_entity_get_updated_at (entity)));
  if (crm_entity_is_deleted (entity))
    {
      g_ptr_array_add (labels, g_strdup (_("Deleted")));
      g_ptr_array_add (values, crm_format_date_time (crm_entity_get_deleted_at (entity)));
    }

  for (guint i = 0; i < klass->n_fields; i++)
    {
      char *value = field_text (store, entity, &klass->fields[i], i);

      if (value == NULL)
        continue;
      g_ptr_array_add (labels, g_strdup (g_dgettext (GETTEXT_PACKAGE, klass->fields[i].label)));
      g_ptr_array_add (values, value);
    }

  for (guint i = 0; i < labels->len; i++)
    width = MAX (width, crm_cli_display_width (g_ptr_array_index (labels, i)));
  for (guint i = 0; i < labels->len; i++)
    {
      crm_cli_print_padded (g_ptr_array_index (labels, i), width + 2);
      printf ("%s\n", (const char *) g_ptr_array_index (values, i));
    }
}

static int
cmd_show (CrmStore  *store,
          char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) customer = NULL;

  if (!check_uuid (args[0], &error))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", error->message);
  if (!(customer = load_customer (store, args[0], &error)))
    return crm_cli_fail_error (error);

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      add_customer_json (b, customer);
      crm_cli_print_json (b);
    }
  else
    print_customer_text (store, customer);

  return CRM_CLI_EXIT_OK;
}

static int
set_deleted (CrmStore  *store,
             char     **args,
             gboolean   deleted)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) customer = NULL;
  gboolean was_deleted;

  if (!check_uuid (args[0], &error))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", error->message);
  if (!(customer = load_customer (store, args[0], &error)))
    return crm_cli_fail_error (error);

  was_deleted = crm_entity_is_deleted (CRM_ENTITY (customer));
  if (deleted ? !crm_store_delete (store, CRM_ENTITY (customer), &error)
              : !crm_store_restore (store, CRM_ENTITY (customer), &error))
    return crm_cli_fail_error (error);

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "uuid");
      json_builder_add_string_value (b, crm_entity_get_uuid (CRM_ENTITY (customer)));
      json_builder_set_member_name (b, "deleted");
      json_builder_add_boolean_value (b, crm_entity_is_deleted (CRM_ENTITY (customer)));
      json_builder_set_member_name (b, "changed");
      json_builder_add_boolean_value (b, was_deleted != deleted);
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else if (was_deleted == deleted)
    printf (deleted ? _("%s (%s) was already deleted\n") : _("%s (%s) is not deleted\n"),
            crm_customer_get_name (customer), args[0]);
  else if (deleted)
    printf (_("Deleted %s (%s); undo with: %s restore %s\n"), crm_customer_get_name (customer),
            args[0], CRM_CLI_PROGRAM, args[0]);
  else
    printf (_("Restored %s (%s)\n"), crm_customer_get_name (customer), args[0]);

  return CRM_CLI_EXIT_OK;
}

static int
cmd_delete (CrmStore  *store,
            char     **args)
{
  return set_deleted (store, args, TRUE);
}

static int
cmd_restore (CrmStore  *store,
             char     **args)
{
  return set_deleted (store, args, FALSE);
}

/* ---- list ------------------------------------------------------------------------------ */

static char *opt_search, *opt_sort, *opt_limit, *opt_offset;

static const GOptionEntry list_entries[] = {
  { "search", 's', 0, G_OPTION_ARG_FILENAME, &opt_search,
    N_("Only customers matching TEXT (name, company, city, tags, notes, e-mail, phone)"), N_("TEXT") },
  { "sort", 0, 0, G_OPTION_ARG_FILENAME, &opt_sort,
    N_("Sort by a column, e.g. name, total_spent:desc, last_order_at:desc"), N_("COLUMN[:desc]") },
  { "limit", 'n', 0, G_OPTION_ARG_FILENAME, &opt_limit, N_("Show at most N customers (default 50, 0 = all)"), N_("N") },
  { "offset", 0, 0, G_OPTION_ARG_FILENAME, &opt_offset, N_("Skip the first N customers"), N_("N") },
  { NULL }
};

static int
cmd_list (CrmStore  *store,
          char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmQuery) query = crm_query_new ();
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) by_id = NULL;
  g_autoptr(GPtrArray) page = g_ptr_array_new ();
  g_autofree char *currency = NULL;
  guint64 limit = 50, offset = 0;
  guint first, n;

  if ((opt_limit && !crm_cli_parse_count ("--limit", opt_limit, G_MAXUINT32, &limit, &error)) ||
      (opt_offset && !crm_cli_parse_count ("--offset", opt_offset, G_MAXUINT32, &offset, &error)))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", error->message);

  if (opt_sort != NULL)
    {
      g_autofree char *column = g_strdup (opt_sort);
      char *colon = strchr (column, ':');
      gboolean descending = FALSE;

      if (colon != NULL)
        {
          *colon = '\0';
          if (g_ascii_strcasecmp (colon + 1, "desc") == 0)
            descending = TRUE;
          else if (g_ascii_strcasecmp (colon + 1, "asc") != 0)
            {
              g_autofree char *valid = g_utf8_make_valid (opt_sort, -1);
              return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("--sort: “%s” must be COLUMN, COLUMN:asc or COLUMN:desc"), valid);
            }
        }
      if (!g_utf8_validate (column, -1, NULL))
        return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("--sort: the column name is not valid UTF-8"));
      if (!crm_query_set_sort (query, column, descending, &error))
        return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", error->message);
    }

  if (opt_search != NULL)
    {
      if (!check_text (_("Search text"), opt_search, &error))
        return crm_cli_fail_error (error);
      crm_query_set_search_text (query, opt_search);
    }

  if (!(ids = crm_query_run_ids (query, store, NULL, &error)))
    return crm_cli_fail_error (error);

  first = (guint) MIN (offset, (guint64) ids->len);
  n = ids->len - first;
  if (limit > 0 && limit < n)
    n = (guint) limit;

  rows = crm_store_load_many (store, CRM_TYPE_CUSTOMER, &g_array_index (ids, gint64, 0) + first, n, &error);
  if (rows == NULL)
    return crm_cli_fail_error (error);

  /* load_many returns rows in no particular order: put them back in the query's. */
  by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < rows->len; i++)
    {
      CrmEntity *e = g_ptr_array_index (rows, i);
      gint64 *key = g_new (gint64, 1);

      *key = crm_entity_get_id (e);
      g_hash_table_insert (by_id, key, e);
    }
  for (guint i = 0; i < n; i++)
    {
      CrmEntity *e = g_hash_table_lookup (by_id, &g_array_index (ids, gint64, first + i));
      if (e != NULL)
        g_ptr_array_add (page, e);
    }

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "total");
      json_builder_add_int_value (b, ids->len);
      json_builder_set_member_name (b, "offset");
      json_builder_add_int_value (b, first);
      json_builder_set_member_name (b, "customers");
      json_builder_begin_array (b);
      for (guint i = 0; i < page->len; i++)
        add_customer_json (b, g_ptr_array_index (page, i));
      json_builder_end_array (b);
      json_builder_end_object (b);
      crm_cli_print_json (b);
      return CRM_CLI_EXIT_OK;
    }

  currency = currency_of (store);
  {
    const char *headers[] = { "UUID", _("Name"), _("City"), _("Phone"), _("E-mail"), _("Orders"), _("Total spent") };
    g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
    guint widths[G_N_ELEMENTS (headers)] = { 0 };
    guint cols = G_N_ELEMENTS (headers);

    for (guint c = 0; c < cols; c++)
      g_ptr_array_add (cells, g_strdup (headers[c]));
    for (guint i = 0; i < page->len; i++)
      {
        CrmCustomer *cu = g_ptr_array_index (page, i);

        g_ptr_array_add (cells, g_strdup (crm_entity_get_uuid (CRM_ENTITY (cu))));
        g_ptr_array_add (cells, g_strdup (crm_customer_get_name (cu)));
        g_ptr_array_add (cells, g_strdup (crm_customer_get_city (cu) ? crm_customer_get_city (cu) : ""));
        g_ptr_array_add (cells, g_strdup (crm_customer_get_phone (cu) ? crm_customer_get_phone (cu) : ""));
        g_ptr_array_add (cells, g_strdup (crm_customer_get_email (cu) ? crm_customer_get_email (cu) : ""));
        g_ptr_array_add (cells, crm_format_count (crm_customer_get_order_count (cu)));
        g_ptr_array_add (cells, crm_format_money (crm_customer_get_total_spent (cu), currency));
      }
    for (guint i = 0; i < cells->len; i++)
      widths[i % cols] = MAX (widths[i % cols], crm_cli_display_width (g_ptr_array_index (cells, i)));
    for (guint i = 0; i < cells->len; i++)
      {
        if (i % cols == cols - 1)
          printf ("%s\n", (const char *) g_ptr_array_index (cells, i));
        else
          crm_cli_print_padded (g_ptr_array_index (cells, i), widths[i % cols] + 2);
      }
    {
      g_autofree char *shown = crm_format_count (page->len);
      g_autofree char *total = crm_format_count (ids->len);

      printf (g_dngettext (GETTEXT_PACKAGE, "%s of %s customer\n", "%s of %s customers\n", ids->len),
              shown, total);
    }
  }

  return CRM_CLI_EXIT_OK;
}

gboolean
crm_cli_customers_missing_name (const CrmCliCommand *command)
{
  return command->run == cmd_add_customer && (opt_name == NULL || *opt_name == '\0');
}

const CrmCliCommand crm_cli_customer_commands[] = {
  { "add-customer", NULL, N_("Add a customer and print their UUID"), 0, 0, add_entries, TRUE, cmd_add_customer },
  { "show", "UUID", N_("Show a customer"), 1, 0, NULL, FALSE, cmd_show },
  { "delete", "UUID", N_("Delete a customer (it can be restored)"), 1, 0, NULL, FALSE, cmd_delete },
  { "restore", "UUID", N_("Restore a deleted customer"), 1, 0, NULL, FALSE, cmd_restore },
  { "list", NULL, N_("List customers, optionally searched and sorted"), 0, 0, list_entries, FALSE, cmd_list },
  { NULL }
};

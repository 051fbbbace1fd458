/* clientele-cli.c: the same core as the app, for scripts, cron jobs and benchmarks.
 *
 *   clientele-cli [--database PATH] [--json] COMMAND [OPTIONS…] [ARGUMENTS…]
 *
 * Exit status: 0 success; 1 the command was understood but failed (database error,
 * no such customer, input refused such as invalid UTF-8 or a malformed e-mail
 * address, cancelled); 2 the command line itself is wrong (unknown command or
 * option, missing required option, malformed number or UUID, wrong number of
 * arguments).  On failure exactly one line goes to stderr: "clientele-cli: …".
 *
 * Output is UTF-8 whatever the locale: scripts get the stored text byte for byte.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <inttypes.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "crm-customer.h"
#include "crm-format.h"
#include "crm-generate.h"
#include "crm-paths.h"
#include "crm-order.h"
#include "crm-query.h"
#include "crm-search.h"
#include "crm-store.h"
#include "crm-text.h"
#include "crm-cli.h"

#define PROGRAM CRM_CLI_PROGRAM

enum
{
  EXIT_OK = CRM_CLI_EXIT_OK,
  EXIT_FAILED = CRM_CLI_EXIT_FAILED,
  EXIT_USAGE = CRM_CLI_EXIT_USAGE,
};

/* Global options: accepted before the command and after it. */
static char *opt_database;
static gboolean opt_json;
static gboolean opt_version;

static const GOptionEntry global_entries[] = {
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, &opt_database,
    N_("Database file (default: $CLIENTELE_DB, else ~/.local/share/clientele/clientele.db)"), N_("PATH") },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Print the result as JSON"), NULL },
  { NULL }
};

typedef CrmCliCommand Command;

/* ---- output helpers ------------------------------------------------------------- */

/* Error and warning lines are one line each, whatever the message holds. */
static void
print_line (FILE       *stream,
            const char *prefix,
            const char *message)
{
  g_autofree char *valid = g_utf8_make_valid (message, -1);

  g_strdelimit (valid, "\r\n", ' ');
  fprintf (stream, "%s: %s%s\n", PROGRAM, prefix, valid);
  fflush (stream);
}

/* The one-line failure of crm-cli.h, by its short name in this file. */
#define fail crm_cli_fail

static int
fail_error (const GError *error)
{
  return fail (EXIT_FAILED, "%s", error->message);
}

static void
warn (const char *message)
{
  /* Translators: prefix of a warning line, e.g. "clientele-cli: warning: …" */
  print_line (stderr, _("warning: "), message);
}

static void
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  fputs (text, stdout);
  fputc ('\n', stdout);
}

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
static guint
display_width (const char *s)
{
  guint w = 0;

  for (const char *p = s; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_iszerowidth (c))
        continue;
      w += g_unichar_iswide (c) ? 2 : 1;
    }
  return w;
}

static void
print_padded (const char *s,
              guint       width)
{
  guint w = display_width (s);

  fputs (s, stdout);
  for (; w < width; w++)
    fputc (' ', stdout);
}

/* ---- arguments ------------------------------------------------------------------- */

static gboolean
parse_count (const char  *option,
             const char  *text,
             guint64      max,
             guint64     *out,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_ascii_string_to_unsigned (text, 10, 0, max, out, &local_error))
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   /* Translators: e.g. "--limit: “abc” is not a whole number from 0 to 100" */
                   _("%s: “%s” is not a whole number from 0 to %" PRIu64),
                   option, valid, max);
      return FALSE;
    }
  return TRUE;
}

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

/* ---- shared with the command files (crm-cli.h) ------------------------------------ */

gboolean
crm_cli_get_json (void)
{
  return opt_json;
}

int
crm_cli_fail (int         code,
              const char *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  print_line (stderr, "", message);

  return code;
}

int
crm_cli_fail_error (const GError *error)
{
  return fail_error (error);
}

void
crm_cli_warn (const char *message)
{
  warn (message);
}

void
crm_cli_print_json (JsonBuilder *builder)
{
  print_json (builder);
}

void
crm_cli_print_written (guint64     rows,
                       const char *file)
{
  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "rows");
      json_builder_add_int_value (b, rows);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, file);
      json_builder_end_object (b);
      print_json (b);
    }
  else
    printf (_("%" PRIu64 " rows written to %s\n"), rows, file);
}

CrmCustomer *
crm_cli_load_customer (CrmStore    *store,
                       const char  *uuid,
                       GError     **error)
{
  if (!check_uuid (uuid, error))
    return NULL;
  return load_customer (store, uuid, error);
}

gboolean
crm_cli_parse_date (const char  *option,
                    const char  *text,
                    gint64      *out_ms,
                    GError     **error)
{
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) end = NULL;
  int y, m, d;

  if (!crm_text_check_date (text, NULL) || sscanf (text, "%d-%d-%d", &y, &m, &d) != 3 ||
      (day = g_date_time_new_local (y, m, d, 0, 0, 0)) == NULL)
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s: “%s” is not a date (expected YYYY-MM-DD)"), option, valid);
      return FALSE;
    }
  end = g_date_time_add_days (day, 1);
  *out_ms = g_date_time_to_unix (end) * 1000 - 1;
  return TRUE;
}

/* ---- init, stats ------------------------------------------------------------------ */

static int
cmd_init (CrmStore  *store,
          char     **args)
{
  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, crm_store_get_path (store));
      json_builder_set_member_name (b, "schema_version");
      json_builder_add_int_value (b, crm_store_get_schema_version (store));
      json_builder_end_object (b);
      print_json (b);
    }
  else
    printf (_("Database ready: %s (schema version %d)\n"), crm_store_get_path (store),
            crm_store_get_schema_version (store));

  return EXIT_OK;
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

static int
cmd_stats (CrmStore  *store,
           char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (crm_store_get_path (store), "-wal", NULL);
  gint64 customers, orders, size;

  if ((customers = crm_store_count (store, CRM_TYPE_CUSTOMER, &error)) < 0 ||
      (orders = crm_store_count (store, CRM_TYPE_ORDER, &error)) < 0)
    return fail_error (error);
  size = file_size (crm_store_get_path (store)) + file_size (wal);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, crm_store_get_path (store));
      json_builder_set_member_name (b, "schema_version");
      json_builder_add_int_value (b, crm_store_get_schema_version (store));
      json_builder_set_member_name (b, "customers");
      json_builder_add_int_value (b, customers);
      json_builder_set_member_name (b, "orders");
      json_builder_add_int_value (b, orders);
      json_builder_set_member_name (b, "size_bytes");
      json_builder_add_int_value (b, size);
      json_builder_end_object (b);
      print_json (b);
    }
  else
    {
      g_autofree char *c = crm_format_count (customers);
      g_autofree char *o = crm_format_count (orders);
      g_autofree char *s = g_format_size (size);

      printf ("%s %s\n", _("Database:"), crm_store_get_path (store));
      printf ("%s %d\n", _("Schema version:"), crm_store_get_schema_version (store));
      printf ("%s %s\n", _("Customers:"), c);
      printf ("%s %s\n", _("Orders:"), o);
      printf ("%s %s\n", _("Size:"), s);
    }

  return EXIT_OK;
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
    return fail_error (error);

  dups = crm_store_find_duplicates (store, CRM_ENTITY (customer), &error);
  if (dups == NULL)
    return fail_error (error);
  if (dups->len > 0)
    {
      g_autoptr(GString) list = g_string_new (NULL);
      g_autofree char *message = NULL;

      dup_rows = crm_store_load_many (store, CRM_TYPE_CUSTOMER, (gint64 *) (gpointer) dups->data, dups->len, &error);
      if (dup_rows == NULL)
        return fail_error (error);
      for (guint i = 0; i < dup_rows->len; i++)
        g_string_append_printf (list, "%s%s", i ? ", " : "",
                                crm_entity_get_uuid (g_ptr_array_index (dup_rows, i)));
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u other customer has the same e-mail address or phone number: %s",
                                              "%u other customers have the same e-mail address or phone number: %s",
                                              dup_rows->len),
                                 dup_rows->len, list->str);
      warn (message);
    }

  if (opt_json)
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
      print_json (b);
    }
  else
    printf ("%s\n", crm_entity_get_uuid (CRM_ENTITY (customer)));

  return EXIT_OK;
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
    width = MAX (width, display_width (g_ptr_array_index (labels, i)));
  for (guint i = 0; i < labels->len; i++)
    {
      print_padded (g_ptr_array_index (labels, i), width + 2);
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
    return fail (EXIT_USAGE, "%s", error->message);
  if (!(customer = load_customer (store, args[0], &error)))
    return fail_error (error);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      add_customer_json (b, customer);
      print_json (b);
    }
  else
    print_customer_text (store, customer);

  return EXIT_OK;
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
    return fail (EXIT_USAGE, "%s", error->message);
  if (!(customer = load_customer (store, args[0], &error)))
    return fail_error (error);

  was_deleted = crm_entity_is_deleted (CRM_ENTITY (customer));
  if (deleted ? !crm_store_delete (store, CRM_ENTITY (customer), &error)
              : !crm_store_restore (store, CRM_ENTITY (customer), &error))
    return fail_error (error);

  if (opt_json)
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
      print_json (b);
    }
  else if (was_deleted == deleted)
    printf (deleted ? _("%s (%s) was already deleted\n") : _("%s (%s) is not deleted\n"),
            crm_customer_get_name (customer), args[0]);
  else if (deleted)
    printf (_("Deleted %s (%s); undo with: %s restore %s\n"), crm_customer_get_name (customer),
            args[0], PROGRAM, args[0]);
  else
    printf (_("Restored %s (%s)\n"), crm_customer_get_name (customer), args[0]);

  return EXIT_OK;
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

  if ((opt_limit && !parse_count ("--limit", opt_limit, G_MAXUINT32, &limit, &error)) ||
      (opt_offset && !parse_count ("--offset", opt_offset, G_MAXUINT32, &offset, &error)))
    return fail (EXIT_USAGE, "%s", error->message);

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
              return fail (EXIT_USAGE, _("--sort: “%s” must be COLUMN, COLUMN:asc or COLUMN:desc"), valid);
            }
        }
      if (!g_utf8_validate (column, -1, NULL))
        return fail (EXIT_USAGE, _("--sort: the column name is not valid UTF-8"));
      if (!crm_query_set_sort (query, column, descending, &error))
        return fail (EXIT_USAGE, "%s", error->message);
    }

  if (opt_search != NULL)
    {
      if (!check_text (_("Search text"), opt_search, &error))
        return fail_error (error);
      crm_query_set_search_text (query, opt_search);
    }

  if (!(ids = crm_query_run_ids (query, store, NULL, &error)))
    return fail_error (error);

  first = (guint) MIN (offset, (guint64) ids->len);
  n = ids->len - first;
  if (limit > 0 && limit < n)
    n = (guint) limit;

  rows = crm_store_load_many (store, CRM_TYPE_CUSTOMER, &g_array_index (ids, gint64, 0) + first, n, &error);
  if (rows == NULL)
    return fail_error (error);

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

  if (opt_json)
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
      print_json (b);
      return EXIT_OK;
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
      widths[i % cols] = MAX (widths[i % cols], display_width (g_ptr_array_index (cells, i)));
    for (guint i = 0; i < cells->len; i++)
      {
        if (i % cols == cols - 1)
          printf ("%s\n", (const char *) g_ptr_array_index (cells, i));
        else
          print_padded (g_ptr_array_index (cells, i), widths[i % cols] + 2);
      }
    printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u customer\n", "%u of %u customers\n", ids->len),
            page->len, ids->len);
  }

  return EXIT_OK;
}

/* ---- generate ---------------------------------------------------------------------------- */

static char *opt_customers, *opt_orders, *opt_seed, *opt_as_of;

static const GOptionEntry generate_entries[] = {
  { "customers", 0, 0, G_OPTION_ARG_FILENAME, &opt_customers, N_("Number of customers to add (required)"), N_("N") },
  { "orders", 0, 0, G_OPTION_ARG_FILENAME, &opt_orders, N_("Number of orders to add, spread over them (required)"), N_("M") },
  { "seed", 0, 0, G_OPTION_ARG_FILENAME, &opt_seed, N_("Random seed: the same seed gives the same data (default 1)"), N_("S") },
  { "as-of", 0, 0, G_OPTION_ARG_FILENAME, &opt_as_of, N_("Date the data end at (default today)"), N_("YYYY-MM-DD") },
  { NULL }
};

typedef struct
{
  CrmStore           *store;
  CrmGenerateOptions  opts;
  GCancellable       *cancellable;
  GMainLoop          *loop;
  GError             *error;
  gboolean            ok;
  gboolean            tty;
  gint64              started;
  CrmGenerateProgressInfo last;
} GenerateRun;

static void
generate_progress (const CrmGenerateProgressInfo *info,
                   gpointer                       user_data)
{
  GenerateRun *run = user_data;

  run->last = *info;
  if (!run->tty)
    return;

  if (info->phase == CRM_GENERATE_PHASE_WRITING)
    {
      /* customers are written first, then the orders: count both */
      double total = (double) info->customers_total + info->orders_total;
      double done = total > 0 ? (info->customers_done + info->orders_done) / total : 1.0;
      fputc ('\r', stderr);
      fprintf (stderr, _("%3.0f%%  %" PRIu64 " customers, %" PRIu64 " orders, %"
                         PRIu64 " order lines"),
               100 * done, info->customers_done, info->orders_done, info->lines_done);
    }
  else if (info->phase == CRM_GENERATE_PHASE_INDEXING)
    fprintf (stderr, "\r%-70s", _("Indexing…"));
  else if (info->phase == CRM_GENERATE_PHASE_COMMITTING)
    fprintf (stderr, "\r%-70s", _("Saving…"));
  else
    fprintf (stderr, "\r%-70s\r", "");
  fflush (stderr);
}

static gpointer
generate_thread (gpointer data)
{
  GenerateRun *run = data;

  run->ok = crm_generate (run->store, &run->opts, generate_progress, run, run->cancellable, &run->error);
  g_main_loop_quit (run->loop);
  return NULL;
}

static gboolean
on_interrupt (gpointer data)
{
  GenerateRun *run = data;

  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_as_of (const char  *text,
             gint64      *out,
             GError     **error)
{
  g_autoptr(GError) date_error = NULL;
  g_autoptr(GDateTime) dt = NULL;
  int y, m, d;

  if (!crm_text_check_date (text, &date_error) || sscanf (text, "%d-%d-%d", &y, &m, &d) != 3)
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--as-of: “%s” is not a date: use YYYY-MM-DD, e.g. 2025-01-01"), valid);
      return FALSE;
    }
  /* The end of that day, UTC. */
  dt = g_date_time_new_utc (y, m, d, 23, 59, 59.0);
  *out = g_date_time_to_unix (dt) * 1000 + 999;
  return TRUE;
}

static int
cmd_generate (CrmStore  *store,
              char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GenerateRun run = { 0 };
  GThread *thread;
  guint sigint, sigterm;
  guint64 rows;
  double seconds;

  if (opt_customers == NULL || opt_orders == NULL)
    return fail (EXIT_USAGE, _("generate needs --customers N and --orders M"));

  run.opts.seed = 1;
  if (!parse_count ("--customers", opt_customers, 100000000, &run.opts.customers, &error) ||
      !parse_count ("--orders", opt_orders, 2000000000, &run.opts.orders, &error) ||
      (opt_seed && !parse_count ("--seed", opt_seed, G_MAXUINT64, &run.opts.seed, &error)) ||
      (opt_as_of && !parse_as_of (opt_as_of, &run.opts.as_of, &error)))
    return fail (EXIT_USAGE, "%s", error->message);
  if (run.opts.orders > 0 && run.opts.customers == 0)
    return fail (EXIT_USAGE, _("--orders needs at least one customer (--customers)"));

  loop = g_main_loop_new (NULL, FALSE);
  run.store = store;
  run.cancellable = cancellable;
  run.loop = loop;
  run.tty = isatty (STDERR_FILENO);
  run.started = g_get_monotonic_time ();

  /* Ctrl+C cancels: the run rolls back and leaves the database as it was. */
  sigint = g_unix_signal_add (SIGINT, on_interrupt, &run);
  sigterm = g_unix_signal_add (SIGTERM, on_interrupt, &run);
  thread = g_thread_new ("generate", generate_thread, &run);
  g_main_loop_run (loop);
  g_thread_join (thread);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  if (!run.ok)
    {
      if (g_error_matches (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&run.error);
          return fail (EXIT_FAILED, _("Cancelled: nothing was added"));
        }
      error = run.error;
      return fail_error (error);
    }

  seconds = (g_get_monotonic_time () - run.started) / 1e6;
  rows = run.last.customers_done + run.last.orders_done + run.last.lines_done;

  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "customers");
      json_builder_add_int_value (b, run.last.customers_done);
      json_builder_set_member_name (b, "orders");
      json_builder_add_int_value (b, run.last.orders_done);
      json_builder_set_member_name (b, "order_lines");
      json_builder_add_int_value (b, run.last.lines_done);
      json_builder_set_member_name (b, "seed");
      json_builder_add_int_value (b, (gint64) run.opts.seed);
      json_builder_set_member_name (b, "seconds");
      json_builder_add_double_value (b, seconds);
      json_builder_set_member_name (b, "rows_per_second");
      json_builder_add_double_value (b, seconds > 0 ? rows / seconds : 0);
      json_builder_end_object (b);
      print_json (b);
    }
  else
    printf (_("Added %" PRIu64 " customers, %" PRIu64 " orders and %" PRIu64
              " order lines in %.1f s (%.0f rows/s, seed %" PRIu64 ")\n"),
            run.last.customers_done, run.last.orders_done, run.last.lines_done, seconds,
            seconds > 0 ? rows / seconds : 0, run.opts.seed);

  return EXIT_OK;
}

/* ---- main ------------------------------------------------------------------------------- */

static const Command commands[] = {
  { "init", NULL, N_("Create the database, or upgrade it to this version"), 0, 0, NULL, TRUE, cmd_init },
  { "stats", NULL, N_("Count customers and orders; show the database size and version"), 0, 0, NULL, FALSE, cmd_stats },
  { "add-customer", NULL, N_("Add a customer and print their UUID"), 0, 0, add_entries, TRUE, cmd_add_customer },
  { "show", "UUID", N_("Show a customer"), 1, 0, NULL, FALSE, cmd_show },
  { "delete", "UUID", N_("Delete a customer (it can be restored)"), 1, 0, NULL, FALSE, cmd_delete },
  { "restore", "UUID", N_("Restore a deleted customer"), 1, 0, NULL, FALSE, cmd_restore },
  { "list", NULL, N_("List customers, optionally searched and sorted"), 0, 0, list_entries, FALSE, cmd_list },
  { "generate", NULL, N_("Add realistic sample customers and orders (local demo data, never synced)"), 0, 0,
    generate_entries, TRUE, cmd_generate },
  { NULL }
};

/* Every room's table; each ends with a NULL name. */
static const Command *const command_tables[] = {
  commands,
  crm_cli_segment_commands,
  crm_cli_analytics_commands,
  crm_cli_io_commands,
};

static const Command *
find_command (const char *name)
{
  for (guint t = 0; t < G_N_ELEMENTS (command_tables); t++)
    for (const Command *c = command_tables[t]; c->name != NULL; c++)
      if (g_str_equal (name, c->name))
        return c;

  return NULL;
}

static char *
commands_summary (void)
{
  GString *s = g_string_new (_("Commands:"));

  for (guint t = 0; t < G_N_ELEMENTS (command_tables); t++)
    for (const Command *c = command_tables[t]; c->name != NULL; c++)
      {
        g_autofree char *left = g_strdup_printf ("%s%s%s", c->name, c->parameter ? " " : "",
                                                 c->parameter ? c->parameter : "");
        g_string_append_printf (s, "\n  %-24s %s", left, _(c->summary));
      }
  g_string_append_printf (s, "\n\n%s", _("Run “clientele-cli COMMAND --help” for the options of a command."));

  return g_string_free (s, FALSE);
}

static const char *exit_status_help =
  N_("Exit status: 0 success; 1 the command failed (database error, no such customer, input "
     "refused); 2 the command line is wrong (unknown command or option, missing or malformed value).");

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GOptionContext) cmd_context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *path = NULL;
  g_autofree char *prgname = NULL;
  const Command *command = NULL;
  const GOptionEntry version_entry[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &opt_version, N_("Show the version and exit"), NULL },
    { NULL }
  };

  crm_paths_init_i18n ();
  g_set_prgname (PROGRAM);

  /* Global options stop at the command; the command's own context parses the rest. */
  context = g_option_context_new (_("COMMAND [OPTIONS…] [ARGUMENTS…]"));
  g_option_context_set_strict_posix (context, TRUE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, global_entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, version_entry, GETTEXT_PACKAGE);
  summary = commands_summary ();
  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context, _(exit_status_help));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (EXIT_USAGE, "%s", error->message);

  if (opt_version)
    {
      printf ("%s %s\n", PROGRAM, PACKAGE_VERSION);
      return EXIT_OK;
    }
  if (argc < 2)
    return fail (EXIT_USAGE, _("No command given: run “%s --help” to see the commands"), PROGRAM);

  command = find_command (argv[1]);
  if (command == NULL)
    {
      g_autofree char *valid = g_utf8_make_valid (argv[1], -1);
      return fail (EXIT_USAGE, _("Unknown command “%s”: run “%s --help” to see the commands"), valid, PROGRAM);
    }

  /* argv[1] (the command) plays the program name for the command's context. */
  argc--;
  argv++;
  cmd_context = g_option_context_new (command->parameter);
  g_option_context_set_translation_domain (cmd_context, GETTEXT_PACKAGE);
  g_option_context_set_summary (cmd_context, _(command->summary));
  g_option_context_set_description (cmd_context, _(exit_status_help));
  if (command->entries)
    g_option_context_add_main_entries (cmd_context, command->entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (cmd_context, global_entries, GETTEXT_PACKAGE);
  prgname = g_strdup_printf ("%s %s", PROGRAM, command->name);
  g_set_prgname (prgname);   /* "Usage: clientele-cli show [OPTION…] UUID" */
  if (!g_option_context_parse (cmd_context, &argc, &argv, &error))
    return fail (EXIT_USAGE, "%s", error->message);

  if ((guint) (argc - 1) < command->n_args ||
      (guint) (argc - 1) > MAX (command->n_args, command->max_args))
    {
      if ((guint) (argc - 1) > MAX (command->n_args, command->max_args))
        {
          g_autofree char *valid = g_utf8_make_valid (argv[1 + MAX (command->n_args, command->max_args)], -1);
          return fail (EXIT_USAGE, _("%s: unexpected argument “%s”"), command->name, valid);
        }
      return fail (EXIT_USAGE, _("%s needs %s"), command->name, command->parameter);
    }

  if (command->run == cmd_add_customer && (opt_name == NULL || *opt_name == '\0'))
    return fail (EXIT_USAGE, _("add-customer needs --name"));

  path = opt_database != NULL ? g_strdup (opt_database) : crm_store_default_path ();
  /* Reading commands never create a database: a mistyped path must not look empty. */
  if (!command->creates && !g_file_test (path, G_FILE_TEST_EXISTS))
    return fail (EXIT_FAILED, _("There is no database at “%s”: create one with “%s init”"), path, PROGRAM);

  store = crm_store_open (path, &error);
  if (store == NULL)
    return fail_error (error);

  return command->run (store, argv + 1);
}

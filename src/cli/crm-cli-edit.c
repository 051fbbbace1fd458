/* crm-cli-edit.c: clientele-cli edit — change a customer's fields as the app's form does.
 *
 *   edit UUID [--name TEXT] [--phone NUMBER] [--email ADDRESS] [--city TEXT] … [--clear FIELD]…
 *
 * The options are made from the field catalogue (crm-customer-fields.c): every field the
 * customer form edits has one, named after its key ("postal_code" → --postal-code).  The write
 * is the form's: crm_store_update() of the changed fields, one transaction, journaled as an
 * update of those fields (what sync pushes).  A value is checked before anything is written; a
 * refused one writes nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "crm-cli.h"
#include "crm-customer.h"
#include "crm-customer-fields.h"
#include "crm-store.h"
#include "crm-text.h"

/* One --FIELD VALUE or --clear FIELD, in command-line order (a later one wins). */
typedef struct
{
  const CrmCustomerFieldInfo *field;
  char                       *value;   /* NULL: clear */
} Change;

static GArray *changes;
static GPtrArray *unknown_clears;

static void
change_clear (gpointer data)
{
  g_free (((Change *) data)->value);
}

static GArray *
get_changes (void)
{
  if (changes == NULL)
    {
      changes = g_array_new (FALSE, TRUE, sizeof (Change));
      g_array_set_clear_func (changes, change_clear);
    }
  return changes;
}

static gboolean
is_editable (const CrmCustomerFieldInfo *field)
{
  return field->form.kind != CRM_FIELD_EDITOR_NONE && crm_customer_field_get_model (field) >= 0 &&
         !(field->flags & CRM_FIELD_FLAG_COMPUTED);
}

/* "postal_code", "postal-code" or "--postal-code": the editable field, or NULL. */
static const CrmCustomerFieldInfo *
find_field (const char *name)
{
  g_autofree char *key = NULL;
  const CrmCustomerFieldInfo *field;

  if (g_str_has_prefix (name, "--"))
    name += 2;
  key = g_strdelimit (g_strdup (name), "-", '_');
  field = crm_customer_fields_find (key);

  return field != NULL && is_editable (field) ? field : NULL;
}

static gboolean
on_field_option (const char  *option_name,
                 const char  *value,
                 gpointer     data,
                 GError     **error)
{
  Change change = { find_field (option_name), g_strdup (value) };

  g_assert (change.field != NULL);
  g_array_append_val (get_changes (), change);
  return TRUE;
}

static gboolean
on_clear_option (const char  *option_name,
                 const char  *value,
                 gpointer     data,
                 GError     **error)
{
  Change change = { find_field (value), NULL };

  if (change.field == NULL)
    {
      if (unknown_clears == NULL)
        unknown_clears = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (unknown_clears, g_utf8_make_valid (value, -1));
      return TRUE;
    }
  g_array_append_val (get_changes (), change);
  return TRUE;
}

static const char *
value_placeholder (const CrmCustomerFieldInfo *field)
{
  switch (field->form.kind)
    {
    case CRM_FIELD_EDITOR_PHONE:
      return N_("NUMBER");
    case CRM_FIELD_EDITOR_EMAIL:
      return N_("ADDRESS");
    case CRM_FIELD_EDITOR_DATE:
      return N_("YYYY-MM-DD");
    case CRM_FIELD_EDITOR_GENDER:
      return N_("female|male|other|unknown");
    case CRM_FIELD_EDITOR_SWITCH:
      return N_("true|false");
    default:
      return N_("TEXT");
    }
}

/* The options, made once from the catalogue; they live as long as the program. */
static const GOptionEntry *
edit_entries (void)
{
  static GOptionEntry *entries;
  const CrmCustomerFieldInfo *fields;
  guint n_fields, n = 0;

  if (entries != NULL)
    return entries;

  fields = crm_customer_fields_get (&n_fields);
  entries = g_new0 (GOptionEntry, n_fields + 2);
  for (guint i = 0; i < n_fields; i++)
    {
      if (!is_editable (&fields[i]))
        continue;
      entries[n].long_name = g_strdelimit (g_strdup (fields[i].key), "_", '-');
      entries[n].flags = G_OPTION_FLAG_FILENAME;
      entries[n].arg = G_OPTION_ARG_CALLBACK;
      entries[n].arg_data = (gpointer) on_field_option;
      entries[n].description = fields[i].label;
      entries[n].arg_description = value_placeholder (&fields[i]);
      n++;
    }
  entries[n].long_name = "clear";
  entries[n].flags = G_OPTION_FLAG_FILENAME;
  entries[n].arg = G_OPTION_ARG_CALLBACK;
  entries[n].arg_data = (gpointer) on_clear_option;
  entries[n].description = N_("Empty a field (its name, e.g. city or postal-code); may be repeated");
  entries[n].arg_description = N_("FIELD");

  return entries;
}

static gboolean
parse_boolean (const char *text,
               gboolean   *out)
{
  static const char *yes[] = { "true", "yes", "1", "on" };
  static const char *no[] = { "false", "no", "0", "off" };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    if (g_ascii_strcasecmp (text, yes[i]) == 0)
      {
        *out = TRUE;
        return TRUE;
      }
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    if (g_ascii_strcasecmp (text, no[i]) == 0)
      {
        *out = FALSE;
        return TRUE;
      }
  return FALSE;
}

static gboolean
parse_gender (const char *text,
              CrmGender  *out)
{
  static const struct { const char *key; CrmGender gender; } genders[] = {
    { "female", CRM_GENDER_FEMALE }, { "male", CRM_GENDER_MALE },
    { "other", CRM_GENDER_OTHER }, { "unknown", CRM_GENDER_UNKNOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (genders); i++)
    if (g_ascii_strcasecmp (text, genders[i].key) == 0)
      {
        *out = genders[i].gender;
        return TRUE;
      }
  return FALSE;
}

/* The consent switch keeps the moment consent was given (as the form does). */
static int
consent_at_of (int model)
{
  return model == CRM_CUSTOMER_EMAIL_CONSENT ? CRM_CUSTOMER_EMAIL_CONSENT_AT : CRM_CUSTOMER_SMS_CONSENT_AT;
}

/* Applies one change to @customer, checking the value as the form does. */
static gboolean
apply_change (CrmCustomer   *customer,
              const Change  *change,
              GError       **error)
{
  CrmEntity *entity = CRM_ENTITY (customer);
  const CrmCustomerFieldInfo *field = change->field;
  const char *label = g_dgettext (GETTEXT_PACKAGE, field->label);
  int model = crm_customer_field_get_model (field);
  const char *value = change->value;
  gboolean on = FALSE;
  CrmGender gender = CRM_GENDER_UNKNOWN;

  if (value != NULL && !crm_text_validate (value, -1, field->max_chars, label, error))
    return FALSE;

  switch (field->form.kind)
    {
    case CRM_FIELD_EDITOR_GENDER:
      if (value != NULL && !parse_gender (value, &gender))
        {
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                       _("%s: “%s” is not one of female, male, other, unknown"), label, value);
          return FALSE;
        }
      crm_entity_set_int64 (entity, model, gender);
      return TRUE;

    case CRM_FIELD_EDITOR_SWITCH:
      if (value != NULL && !parse_boolean (value, &on))
        {
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                       _("%s: “%s” is neither true nor false"), label, value);
          return FALSE;
        }
      if (on != crm_entity_get_boolean (entity, model))
        {
          crm_entity_set_boolean (entity, model, on);
          crm_entity_set_int64 (entity, consent_at_of (model), on ? crm_now_ms () : 0);
        }
      return TRUE;

    case CRM_FIELD_EDITOR_EMAIL:
      if (value != NULL && *value != '\0' && !crm_text_check_email (value, error))
        return FALSE;
      break;
    case CRM_FIELD_EDITOR_PHONE:
      if (value != NULL && *value != '\0' && !crm_text_check_phone (value, error))
        return FALSE;
      break;
    case CRM_FIELD_EDITOR_DATE:
      if (value != NULL && *value != '\0' && !crm_text_check_date (value, error))
        return FALSE;
      break;
    default:
      break;
    }

  if ((field->flags & CRM_FIELD_FLAG_REQUIRED) && (value == NULL || *value == '\0'))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, _("%s is required"), label);
      return FALSE;
    }
  crm_entity_set_string (entity, model, value != NULL && *value != '\0' ? value : NULL);
  return TRUE;
}

/* The keys of the fields @customer has changed, in the catalogue's order. */
static GPtrArray *
changed_keys (CrmCustomer *customer)
{
  GPtrArray *keys = g_ptr_array_new ();
  const CrmCustomerFieldInfo *fields;
  guint n_fields;

  fields = crm_customer_fields_get (&n_fields);
  for (guint i = 0; i < n_fields; i++)
    if (crm_customer_field_get_model (&fields[i]) >= 0 &&
        crm_entity_field_is_dirty (CRM_ENTITY (customer), crm_customer_field_get_model (&fields[i])))
      g_ptr_array_add (keys, (gpointer) fields[i].key);
  return keys;
}

static void
print_result (CrmCustomer *customer,
              GPtrArray   *keys)
{
  const char *uuid = crm_entity_get_uuid (CRM_ENTITY (customer));

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "uuid");
      json_builder_add_string_value (b, uuid);
      json_builder_set_member_name (b, "changed");
      json_builder_begin_array (b);
      for (guint i = 0; i < keys->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (keys, i));
      json_builder_end_array (b);
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else if (keys->len == 0)
    printf (_("%s (%s): nothing to change\n"), crm_customer_get_name (customer), uuid);
  else
    {
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint i = 0; i < keys->len; i++)
        g_string_append_printf (list, "%s%s", i ? ", " : "", (const char *) g_ptr_array_index (keys, i));
      /* Translators: "Changed Wang Fang (UUID): city, phone" */
      printf (_("Changed %s (%s): %s\n"), crm_customer_get_name (customer), uuid, list->str);
    }
}

static int
cmd_edit (CrmStore  *store,
          char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) customer = NULL;
  g_autoptr(GPtrArray) keys = NULL;

  if (unknown_clears != NULL)
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("--clear: “%s” is not a field the customer form edits"),
                         (const char *) g_ptr_array_index (unknown_clears, 0));
  if (changes == NULL || changes->len == 0)
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("edit needs a field to change: run “%s edit --help” to see them"),
                         CRM_CLI_PROGRAM);
  if (!g_uuid_string_is_valid (args[0]))
    {
      g_autofree char *valid = g_utf8_make_valid (args[0], -1);
      return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("“%s” is not a UUID"), valid);
    }
  if (!(customer = crm_cli_load_customer (store, args[0], &error)))
    return crm_cli_fail_error (error);
  if (crm_entity_is_deleted (CRM_ENTITY (customer)))
    return crm_cli_fail (CRM_CLI_EXIT_FAILED, _("%s (%s) is deleted: restore it first"),
                         crm_customer_get_name (customer), args[0]);

  for (guint i = 0; i < changes->len; i++)
    if (!apply_change (customer, &g_array_index (changes, Change, i), &error))
      return crm_cli_fail_error (error);

  keys = changed_keys (customer);
  if (!crm_store_update (store, CRM_ENTITY (customer), &error))
    return crm_cli_fail_error (error);

  print_result (customer, keys);
  return CRM_CLI_EXIT_OK;
}

const CrmCliCommand crm_cli_edit_commands[] = {
  { "edit", "UUID", N_("Change fields of a customer (journaled like an edit in the app)"), 1, 0, NULL,
    FALSE, cmd_edit, edit_entries },
  { NULL }
};

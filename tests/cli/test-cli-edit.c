/* test-cli-edit.c: clientele-cli edit — the real binary changing a customer as the app's form
 * does: the changed fields stored and journaled as one update (what sync pushes), and a refused
 * edit (no such customer, no such field, a bad value) failing in one line with nothing written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-test-util.h"
#include "crm-cli-test-util.h"
#include "crm-customer.h"
#include "crm-customer-fields.h"
#include "crm-journal.h"
#include "crm-store.h"

#include <json-glib/json-glib.h>
#include <string.h>

typedef struct
{
  char *db;
  char *uuid;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_auto(Run) r = { 0 };

  f->db = crm_test_db_path ();
  RUN (&r, "--database", f->db, "--json", "add-customer", "--name", "王芳", "--city", "上海",
       "--phone", "+86 138 0013 8000");
  assert_ok (&r);
  f->uuid = g_strdup (json_object_get_string_member (json_obj (&r), "uuid"));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_free (f->db);
  g_free (f->uuid);
}

/* The stored customer and the journal's update entries of customers, read by another connection. */
static CrmCustomer *
load (Fixture *f,
      gint64  *n_updates)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_store_open (f->db, &error);
  CrmCustomer *customer;

  g_assert_no_error (error);
  customer = crm_store_load_by_uuid (store, CRM_TYPE_CUSTOMER, f->uuid, &error);
  g_assert_no_error (error);
  if (n_updates != NULL)
    *n_updates = crm_test_journal_count (store, CRM_JOURNAL_ENTITY_CUSTOMER, CRM_JOURNAL_UPDATE);
  return customer;
}

/* The fields the newest customer update names, as column names joined by ",". */
static char *
last_update_fields (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_store_open (f->db, &error);
  gint64 mask;
  g_auto(GStrv) names = NULL;

  g_assert_no_error (error);
  mask = crm_test_query_int (store, "SELECT fields FROM changes WHERE entity = 1 AND op = 2 ORDER BY seq DESC LIMIT 1");
  names = crm_journal_field_names (CRM_JOURNAL_ENTITY_CUSTOMER, (guint64) mask);
  return g_strjoinv (",", names);
}

/* Several fields at once, by the catalogue's names: stored, and one journal entry naming them. */
static void
test_edit_fields (Fixture       *f,
                  gconstpointer  data)
{
  g_auto(Run) r = { 0 };
  g_autofree char *fields = NULL;
  g_autoptr(CrmCustomer) customer = NULL;
  g_autoptr(CrmCustomer) before = load (f, NULL);
  JsonArray *changed;
  gint64 updates = -1;

  RUN (&r, "--database", f->db, "--json", "edit", f->uuid, "--city", "杭州", "--email", "wang.fang@example.com",
       "--postal-code", "310000", "--gender", "female", "--email-consent", "true", "--notes", "VIP 客户");
  assert_ok (&r);
  changed = json_object_get_array_member (json_obj (&r), "changed");
  g_assert_cmpuint (json_array_get_length (changed), ==, 7);   /* consent and its time */
  g_assert_cmpstr (json_array_get_string_element (changed, 0), ==, "gender");

  customer = load (f, &updates);
  g_assert_cmpstr (crm_customer_get_city (customer), ==, "杭州");
  g_assert_cmpstr (crm_customer_get_email (customer), ==, "wang.fang@example.com");
  g_assert_cmpstr (crm_customer_get_postal_code (customer), ==, "310000");
  g_assert_cmpstr (crm_customer_get_notes (customer), ==, "VIP 客户");
  g_assert_cmpint (crm_customer_get_gender (customer), ==, CRM_GENDER_FEMALE);
  g_assert_true (crm_customer_get_email_consent (customer));
  g_assert_cmpint (crm_customer_get_email_consent_at (customer), >, 0);
  g_assert_cmpstr (crm_customer_get_phone (customer), ==, crm_customer_get_phone (before));   /* untouched */
  g_assert_cmpint (updates, ==, 1);

  fields = last_update_fields (f);
  g_assert_cmpstr (fields, ==, "gender,email,city,postal_code,notes,email_consent,email_consent_at");
}

/* --clear empties a field, by key or option name; the text output names what changed. */
static void
test_edit_clear (Fixture       *f,
                 gconstpointer  data)
{
  g_auto(Run) r = { 0 };
  g_autofree char *fields = NULL;
  g_autoptr(CrmCustomer) customer = NULL;
  gint64 updates = -1;

  RUN (&r, "--database", f->db, "edit", f->uuid, "--clear", "city", "--clear", "phone");
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "phone, city"));
  customer = load (f, &updates);
  g_assert_null (crm_customer_get_city (customer));
  g_assert_null (crm_customer_get_phone (customer));
  g_assert_cmpint (updates, ==, 1);
  fields = last_update_fields (f);
  g_assert_cmpstr (fields, ==, "phone,city");

  /* The same values again: nothing to change, nothing journaled. */
  g_clear_object (&customer);
  RUN (&r, "--database", f->db, "edit", f->uuid, "--clear", "city");
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "nothing to change"));
  customer = load (f, &updates);
  g_assert_cmpint (updates, ==, 1);
}

/* Every field the customer form edits has its option, named after the catalogue's key. */
static void
test_edit_options_from_catalogue (void)
{
  g_auto(Run) r = { 0 };
  const CrmCustomerFieldInfo *fields;
  guint n_fields, n_options = 0;

  RUN (&r, "edit", "--help");
  assert_ok (&r);
  fields = crm_customer_fields_get (&n_fields);
  for (guint i = 0; i < n_fields; i++)
    {
      g_autofree char *option = g_strdelimit (g_strdup_printf ("--%s=", fields[i].key), "_", '-');
      gboolean editable = fields[i].form.kind != CRM_FIELD_EDITOR_NONE;

      if (editable != (strstr (r.out, option) != NULL))
        g_error ("%s: %s in edit --help", fields[i].key, editable ? "missing" : "unexpected");
      n_options += editable;
    }
  g_assert_cmpuint (n_options, >=, 17);
  g_assert_nonnull (strstr (r.out, "--clear=FIELD"));
}

/* A refused edit: the exit status, one stderr line, and the customer and journal as before
 * (the good values given with the bad one are not written either). */
static void
assert_refused (Fixture    *f,
                int         code,
                const char *needle,
                const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(Run) r = { 0 };
  g_autoptr(CrmCustomer) before = NULL;
  g_autoptr(CrmCustomer) after = NULL;
  gint64 updates_before = -1, updates_after = -1;

  before = load (f, &updates_before);
  g_ptr_array_add (argv, (gpointer) "--database");
  g_ptr_array_add (argv, f->db);
  g_ptr_array_add (argv, (gpointer) "edit");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  run_env (&r, NULL, (const char *const *) argv->pdata);
  assert_failed (&r, code, needle);

  after = load (f, &updates_after);
  g_assert_cmpint (updates_after, ==, updates_before);
  g_assert_cmpint (crm_entity_get_updated_at (CRM_ENTITY (after)), ==, crm_entity_get_updated_at (CRM_ENTITY (before)));
  g_assert_cmpstr (crm_customer_get_city (after), ==, "上海");
  g_assert_cmpstr (crm_customer_get_name (after), ==, "王芳");
}

#define REFUSED(f, code, needle, ...) assert_refused ((f), (code), (needle), (const char *const[]) { __VA_ARGS__, NULL })

static void
test_edit_refused (Fixture       *f,
                   gconstpointer  data)
{
  const char *missing = "123e4567-e89b-12d3-a456-426614174000";
  const char bad_utf8[] = { 'B', (char) 0xff, 'j', 0 };

  /* No such customer; not a UUID. */
  REFUSED (f, 1, "No customer with UUID 123e4567", missing, "--city", "北京");
  REFUSED (f, 2, "is not a UUID", "not-a-uuid", "--city", "北京");
  /* No such field: an option GOption does not know, or a --clear of a field the form does not edit. */
  REFUSED (f, 2, "--shoe-size", f->uuid, "--city", "北京", "--shoe-size", "42");
  REFUSED (f, 2, "“shoe_size” is not a field", f->uuid, "--city", "北京", "--clear", "shoe_size");
  REFUSED (f, 2, "“total_spent” is not a field", f->uuid, "--clear", "total_spent");
  REFUSED (f, 2, "edit needs a field", f->uuid);
  /* Bad values: nothing of the edit is written, the good city neither. */
  REFUSED (f, 1, NULL, f->uuid, "--city", "北京", "--email", "not an address");
  REFUSED (f, 1, NULL, f->uuid, "--city", "北京", "--phone", "call me maybe");
  REFUSED (f, 1, NULL, f->uuid, "--city", "北京", "--birthday", "1980-02-30");
  REFUSED (f, 1, "female, male, other", f->uuid, "--city", "北京", "--gender", "sometimes");
  REFUSED (f, 1, "neither true nor false", f->uuid, "--city", "北京", "--sms-consent", "perhaps");
  REFUSED (f, 1, "Name is required", f->uuid, "--city", "北京", "--clear", "name");
  REFUSED (f, 1, NULL, f->uuid, "--city", bad_utf8);
}

/* A deleted customer is restored before it is edited. */
static void
test_edit_deleted (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(Run) r = { 0 };

  RUN (&r, "--database", f->db, "delete", f->uuid);
  assert_ok (&r);
  REFUSED (f, 1, "restore it first", f->uuid, "--city", "北京");
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add ("/cli/edit/fields", Fixture, NULL, fixture_set_up, test_edit_fields, fixture_tear_down);
  g_test_add ("/cli/edit/clear", Fixture, NULL, fixture_set_up, test_edit_clear, fixture_tear_down);
  g_test_add_func ("/cli/edit/options-from-catalogue", test_edit_options_from_catalogue);
  g_test_add ("/cli/edit/refused", Fixture, NULL, fixture_set_up, test_edit_refused, fixture_tear_down);
  g_test_add ("/cli/edit/deleted", Fixture, NULL, fixture_set_up, test_edit_deleted, fixture_tear_down);

  return g_test_run ();
}

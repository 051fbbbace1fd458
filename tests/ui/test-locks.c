/* test-locks.c: the app's Save while something else touches its database.
 *
 * - A thread of the app's own process opens and closes the database file (and its -wal and
 *   -shm) every 100 ms, as GTK's file chooser does when it shows the folder, while
 *   clientele-cli writes and the app saves through the customer form: every write of both is
 *   there, the CLI sees each of the app's saves at once, and integrity_check is ok
 *   (crm-store-lock.c).
 * - Another process holds the write lock longer than the old 5 s busy timeout: Save waits, with
 *   a banner naming the import and a Cancel button, and the window keeps running; Cancel keeps
 *   the changes in the form and writes nothing (crm-store-wait.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "crm-application.h"
#include "crm-customer-editor-private.h"
#include "crm-customers-page.h"
#include "crm-test-util.h"
#include "crm-ui-test-util.h"
#include "crm-window.h"

static const char *self_exe;
static CrmApplication *app;
static CrmWindow *window;
static CrmCustomerEditor *editor;
static CrmStore *store;   /* the test's own connection */
static char *db_path;

static void
set_field (CrmCustomerField  field,
           const char       *text)
{
  gtk_editable_set_text (GTK_EDITABLE (crm_customer_editor_get_field_widget (editor, field)), text);
}

/* What another process sees: the city of @uuid, as `clientele-cli show --json` prints it. */
static char *
cli_city (const char *uuid)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;

  if (crm_test_run_cli ((const char *const[]) { "--database", db_path, "--json", "show", uuid, NULL },
                        &out, &err) != 0)
    return g_strdup_printf ("(not found: %s)", err);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  o = json_node_get_object (json_parser_get_root (parser));
  return g_strdup (json_object_get_string_member_with_default (o, "city", ""));
}

static gboolean
stored_city_is (gpointer expected)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM customers WHERE city = '%s'", (char *) expected);

  return crm_test_query_int (store, sql) == 1;
}

/* ---- a thread of the app opens and closes the file all the time --------------------------- */

static gboolean
not_new (gpointer data)
{
  return !crm_customer_editor_get_is_new (editor);
}

static void
test_poking_thread (void)
{
  CrmTestPoker *poker = crm_test_poker_start (db_path, 100);
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);

  for (guint round = 0; round < 8; round++)
    {
      g_autofree char *cli_name = g_strdup_printf ("Locks CLI %u", round);
      g_autofree char *app_name = g_strdup_printf ("Locks App %u", round);
      g_autofree char *city = g_strdup_printf ("Pokeville %u", round);
      g_autofree char *seen = NULL;
      int err_fd = -1;
      GPid cli = crm_test_spawn_cli ((const char *const[]) { "--database", db_path, "add-customer",
                                                             "--name", cli_name, NULL }, &err_fd);
      const char *uuid;

      /* Meanwhile the app creates a customer through the form. */
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.new-customer", NULL));
      set_field (CRM_CUSTOMER_NAME, app_name);
      set_field (CRM_CUSTOMER_CITY, city);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
      g_assert_true (wait_until (not_new, NULL, 15000));
      g_assert_true (wait_until (stored_city_is, city, 5000));
      g_assert_cmpint (crm_test_wait_cli (cli), ==, 0);
      close (err_fd);

      /* Another process sees the save at once. */
      uuid = crm_entity_get_uuid (CRM_ENTITY (crm_customer_editor_get_customer (editor)));
      seen = cli_city (uuid);
      g_assert_cmpstr (seen, ==, city);
      g_ptr_array_add (uuids, g_strdup (uuid));
      spin (150);
    }
  g_assert_cmpuint (crm_test_poker_stop (poker), >, 5);

  /* Every write of both is there, once; the file is sound. */
  for (guint round = 0; round < 8; round++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM customers WHERE name IN "
                                              "('Locks CLI %u', 'Locks App %u')", round, round);
      g_assert_cmpint (crm_test_query_int (store, sql), ==, 2);
    }
  for (guint i = 0; i < uuids->len; i++)
    {
      g_autofree char *seen = cli_city (g_ptr_array_index (uuids, i));
      g_autofree char *city = g_strdup_printf ("Pokeville %u", i);
      g_assert_cmpstr (seen, ==, city);
    }
  {
    g_autofree char *check = crm_test_query_text (store, "PRAGMA integrity_check");
    g_assert_cmpstr (check, ==, "ok");
  }
}

/* ---- Save waits for another program's write lock ------------------------------------------- */

static gboolean
waiting_shown (gpointer data)
{
  return crm_customer_editor_get_waiting_text (editor) != NULL;
}

static gboolean
waiting_hidden (gpointer data)
{
  return crm_customer_editor_get_waiting_text (editor) == NULL;
}

/* The seeded customer's city typed as @city and saved while another process holds the write
 * lock for @ms: returns once the form says it waits. */
static CrmTestHolder
save_while_held (const char *city,
                 guint       ms)
{
  CrmTestHolder holder;

  g_assert_true (crm_customers_page_open_customer (crm_window_get_customers_page (window),
                                                    find_customer_id (store, "Seeded Customer")));
  set_field (CRM_CUSTOMER_CITY, city);
  g_assert_true (crm_customer_editor_get_dirty (editor));
  holder = crm_test_start_holder (self_exe, db_path, ms);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  /* Within a second or so the form says what it waits for; the window keeps running. */
  g_assert_true (wait_until (waiting_shown, NULL, 1500));
  return holder;
}

static void
test_save_waits (void)
{
  g_autofree char *expected = NULL;
  CrmTestHolder holder;
  const char *text;

  holder = save_while_held ("Waited City", 6500);
  text = crm_customer_editor_get_waiting_text (editor);
  expected = g_strdup_printf ("Waiting for an import by test-holder (process %d) since ", (int) holder.pid);
  g_assert_true (g_str_has_prefix (text, expected));
  g_assert_true (wait_until (is_mapped, find_action_widget (GTK_WIDGET (editor), "editor.stop-waiting"), 1000));
  g_assert_false (stored_city_is ("Waited City"));

  /* Saved once the import is done, past the old 5 s limit, and the banner goes. */
  g_assert_true (wait_until (stored_city_is, "Waited City", 15000));
  g_assert_cmpint ((g_get_monotonic_time () - holder.started) / 1000, >=, 6000);
  g_assert_cmpint (crm_test_wait_cli (holder.pid), ==, 0);
  g_assert_true (wait_until (waiting_hidden, NULL, 2000));
  g_assert_false (crm_customer_editor_get_dirty (editor));
}

static void
test_save_wait_cancel (void)
{
  CrmTestHolder holder;
  const char *city;

  holder = save_while_held ("Never Saved", 3000);

  gtk_widget_activate (find_action_widget (GTK_WIDGET (editor), "editor.stop-waiting"));
  g_assert_true (wait_until (waiting_hidden, NULL, 1000));
  g_assert_cmpint (crm_test_wait_cli (holder.pid), ==, 0);
  spin (300);

  /* Nothing written; the change is still in the form, ready for another Save. */
  g_assert_false (stored_city_is ("Never Saved"));
  g_assert_true (crm_customer_editor_get_dirty (editor));
  city = crm_customer_get_city (crm_customer_editor_get_customer (editor));
  g_assert_cmpstr (city, ==, "Never Saved");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_true (wait_until (stored_city_is, "Never Saved", 5000));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) seeded = crm_customer_new ();
  int held = crm_test_holder_main (argc, argv);

  if (held >= 0)
    return held;
  self_exe = argv[0];
  crm_test_init (&argc, &argv);

  db_path = crm_test_db_path ();
  store = crm_store_open (db_path, &error);
  g_assert_no_error (error);
  crm_customer_set_name (seeded, "Seeded Customer");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (seeded), &error));

  window = ui_test_open_window (db_path, 1100, 720, &app);
  editor = crm_customers_page_get_editor (crm_window_get_customers_page (window));

  g_test_add_func ("/ui/locks/poking-thread", test_poking_thread);
  g_test_add_func ("/ui/locks/save-waits", test_save_waits);
  g_test_add_func ("/ui/locks/save-wait-cancel", test_save_wait_cancel);

  return ui_test_run_and_close (window, app, store, db_path);
}

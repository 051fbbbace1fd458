/* test-tasks.c: follow-ups and the pool the way a sales rep meets them — the Today page lists the
 * overdue follow-up and today's birthday, ticking the follow-up removes it, "Create Task" on the
 * birthday makes a follow-up of it; the reminder of the overdue one was sent when the window
 * opened; in the customer's pane the owner is picked from the managed owners (kept in the pool
 * history) and a follow-up is added with the dialog; the Pool page claims the customer left.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "crm-application.h"
#include "crm-customer-editor-private.h"
#include "crm-customer-tasks.h"
#include "crm-customers-page-private.h"
#include "crm-pool.h"
#include "crm-reminders.h"
#include "crm-task-dialog.h"
#include "crm-tasks.h"
#include "crm-test-util.h"
#include "crm-ui-test-util.h"
#include "crm-window.h"

static CrmApplication *app;
static CrmWindow *window;
static char *db_path;
static gint64 wang_id, li_id;
static GPtrArray *notifications;   /* GVariant (a{sv}) of each notification shown */

/* The desktop's notification server as GTK's backend talks to it (org.gtk.Notifications on the
 * session bus of dbus-run-session): what the app sends is what a user would see. */
static const char notifications_xml[] =
  "<node><interface name='org.gtk.Notifications'>"
  "  <method name='AddNotification'><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "    <arg type='a{sv}' direction='in'/></method>"
  "  <method name='RemoveNotification'><arg type='s' direction='in'/><arg type='s' direction='in'/></method>"
  "</interface></node>";

static void
on_notification_call (GDBusConnection       *connection,
                      const char            *sender,
                      const char            *path,
                      const char            *interface,
                      const char            *method,
                      GVariant              *parameters,
                      GDBusMethodInvocation *invocation,
                      gpointer               data)
{
  if (g_str_equal (method, "AddNotification"))
    g_ptr_array_add (notifications, g_variant_get_child_value (parameters, 2));
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean
name_owned (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         data)
{
  *(gboolean *) data = TRUE;
}

static void
start_notification_server (void)
{
  static const GDBusInterfaceVTable vtable = { on_notification_call, NULL, NULL, { 0 } };
  static gboolean owned;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

  g_assert_no_error (error);
  notifications = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_assert_cmpuint (g_dbus_connection_register_object (bus, "/org/gtk/Notifications", info->interfaces[0], &vtable,
                                                       NULL, NULL, &error), >, 0);
  g_bus_own_name_on_connection (bus, "org.gtk.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE, on_name_acquired, NULL,
                                &owned, NULL);
  g_assert_true (wait_until (name_owned, &owned, 10000));
}

static void
seed_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_store_open (db_path, &error);
  g_autoptr(CrmOwner) owner = NULL;
  g_autoptr(CrmTask) overdue = crm_task_new ();
  g_autoptr(CrmTask) later = crm_task_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *birthday = g_date_time_format (now, "1990-%m-%d");
  g_autofree char *sql = NULL;

  g_assert_no_error (error);
  wang_id = crm_test_add_customer (store, "王芳");
  li_id = crm_test_add_customer (store, "Li Wei");
  owner = crm_owners_add (store, "Alice", &error);
  g_assert_no_error (error);
  sql = g_strdup_printf ("UPDATE customers SET birthday = '%s' WHERE id = %" G_GINT64_FORMAT, birthday, li_id);
  g_assert_true (crm_store_exec (store, sql, &error));

  overdue->customer_id = wang_id;
  overdue->title = g_strdup ("Call back about the tea set");
  overdue->due_at = crm_now_ms () - 3600000;
  g_assert_true (crm_tasks_add (store, overdue, &error));
  later->customer_id = li_id;
  later->title = g_strdup ("Visit next week");
  later->due_at = crm_tasks_day_start (crm_now_ms (), 7) + 3600000;
  g_assert_true (crm_tasks_add (store, later, &error));
  g_assert_no_error (error);
}

static gboolean
today_loaded (gpointer page)
{
  return !crm_today_page_get_loading (page);
}

static gboolean
today_tasks_are (gpointer n)
{
  CrmTodayPage *page = crm_window_get_today_page (window);

  return !crm_today_page_get_loading (page) && crm_today_page_get_task_rows (page)->len == GPOINTER_TO_UINT (n);
}

static gboolean
reminder_sent (gpointer data)
{
  return crm_reminders_get_sent (crm_window_get_session (window)) == 1;
}

static gint64
count (const char *sql)
{
  return crm_test_query_int (crm_window_get_store (window), sql);
}

static gboolean
sql_is_one (gpointer sql)
{
  return count (sql) == 1;
}

/* The Today page: the overdue follow-up (not next week's) and the birthday; ticking it removes
 * it; the birthday becomes a follow-up due today. */
static void
test_today (void)
{
  CrmTodayPage *page = crm_window_get_today_page (window);
  GtkWidget *row, *check, *button;

  g_autofree char *uuid = crm_test_query_text (crm_window_get_store (window), "SELECT uuid FROM customers WHERE id = 1");
  g_autofree char *action = NULL;
  g_autoptr(GVariant) target = NULL;
  const char *title = NULL;

  /* Reminded of once when the window opened, the follow-up missed while it was closed: a
   * notification naming the customer, whose action opens them. */
  g_assert_true (wait_until (reminder_sent, NULL, 10000));
  g_assert_true (wait_until (name_owned, &notifications->len, 10000));
  g_assert_cmpuint (notifications->len, ==, 1);
  g_assert_true (g_variant_lookup (notifications->pdata[0], "title", "&s", &title));
  g_assert_nonnull (strstr (title, "王芳"));
  g_assert_true (g_variant_lookup (notifications->pdata[0], "default-action", "s", &action));
  g_assert_cmpstr (action, ==, "app.open-customer");
  target = g_variant_lookup_value (notifications->pdata[0], "default-action-target", G_VARIANT_TYPE_STRING);
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, uuid);
  g_assert_cmpint (count ("SELECT count(*) FROM tasks WHERE reminded_at IS NOT NULL"), ==, 1);
  /* The action shows the customer. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "open-customer", target);
  g_assert_cmpstr (crm_window_get_section (window), ==, "customers");

  g_assert_true (crm_window_set_section (window, "today"));
  g_assert_true (wait_until (today_tasks_are, GUINT_TO_POINTER (1), 10000));
  row = g_ptr_array_index (crm_today_page_get_task_rows (page), 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Call back about the tea set");
  g_assert_true (gtk_widget_has_css_class (row, "error"));   /* overdue */
  g_assert_cmpuint (crm_today_page_get_birthday_rows (page)->len, ==, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (crm_today_page_get_birthday_rows (page)->pdata[0])),
                   ==, "Li Wei");
  assert_controls_named (GTK_WIDGET (page));

  check = find_widget (row, GTK_TYPE_CHECK_BUTTON);
  g_assert_nonnull (check);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_assert_true (wait_until (today_tasks_are, GUINT_TO_POINTER (0), 10000));
  g_assert_cmpint (count ("SELECT count(*) FROM tasks WHERE done_at IS NOT NULL"), ==, 1);

  button = find_widget (crm_today_page_get_birthday_rows (page)->pdata[0], GTK_TYPE_BUTTON);
  g_assert_nonnull (button);
  gtk_widget_activate (button);
  g_assert_true (wait_until (today_tasks_are, GUINT_TO_POINTER (1), 10000));
  g_assert_true (wait_until (today_loaded, page, 10000));
  g_assert_cmpuint (crm_today_page_get_birthday_rows (page)->len, ==, 0);
  g_assert_cmpint (count ("SELECT count(*) FROM tasks WHERE origin = 'birthday'"), ==, 1);
}

static gboolean
customer_rows_are (gpointer n)
{
  CrmCustomerEditor *editor = crm_customers_page_get_editor (crm_window_get_customers_page (window));

  return crm_customer_tasks_get_rows (editor->tasks_view)->len == GPOINTER_TO_UINT (n);
}

/* The customer's pane: the owner from the managed list (history kept), a follow-up added. */
static void
test_customer (void)
{
  CrmCustomersPage *customers = crm_window_get_customers_page (window);
  CrmCustomerEditor *editor = crm_customers_page_get_editor (customers);
  AdwComboRow *owner_row = crm_customer_tasks_get_owner_row (editor->tasks_view);
  CrmTaskDialog *dialog;

  g_assert_true (crm_customers_page_open_customer (customers, wang_id));
  g_assert_true (wait_until (customer_rows_are, GUINT_TO_POINTER (1), 5000));   /* the done one */
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (owner_row)), ==, 2);
  g_assert_cmpuint (adw_combo_row_get_selected (owner_row), ==, 0);
  adw_combo_row_set_selected (owner_row, 1);
  g_assert_true (wait_until (sql_is_one, "SELECT count(*) FROM customers WHERE owner = 'Alice'", 5000));
  g_assert_cmpint (count ("SELECT count(*) FROM pool_history WHERE action = 'assign' AND to_owner = 'Alice'"), ==, 1);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor->tasks_view), "customer-tasks.add", NULL));
  g_assert_true (wait_until (window_mapped, GSIZE_TO_POINTER (CRM_TYPE_TASK_DIALOG), 5000));
  dialog = CRM_TASK_DIALOG (find_shown_window (CRM_TYPE_TASK_DIALOG));
  assert_controls_named (GTK_WIDGET (dialog));
  /* Nothing to do: refused, the dialog stays. */
  crm_task_dialog_add (dialog);
  spin (300);
  g_assert_nonnull (find_shown_window (CRM_TYPE_TASK_DIALOG));
  gtk_editable_set_text (crm_task_dialog_get_title_entry (dialog), "Bring the new catalogue");
  crm_task_dialog_add (dialog);
  g_assert_true (wait_until (customer_rows_are, GUINT_TO_POINTER (2), 5000));
  g_assert_null (find_shown_window (CRM_TYPE_TASK_DIALOG));
  /* Due tomorrow 09:00 by default, for the customer's owner. */
  g_assert_true (sql_is_one ("SELECT count(*) FROM tasks WHERE title = 'Bring the new catalogue' AND owner = 'Alice'"));
}

static gboolean
pool_rows_are (gpointer n)
{
  CrmPoolPage *page = crm_window_get_pool_page (window);

  return !crm_pool_page_get_loading (page) && crm_pool_page_get_rows (page)->len == GPOINTER_TO_UINT (n);
}

/* The Pool page: Li Wei has no owner; Claim gives them to the owner chosen at the top. */
static void
test_pool (void)
{
  CrmPoolPage *page = crm_window_get_pool_page (window);
  GtkWidget *row, *button;

  g_assert_true (crm_window_set_section (window, "pool"));
  g_assert_true (wait_until (pool_rows_are, GUINT_TO_POINTER (1), 10000));
  row = g_ptr_array_index (crm_pool_page_get_rows (page), 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Li Wei");
  assert_controls_named (GTK_WIDGET (page));
  button = find_widget (row, GTK_TYPE_BUTTON);
  gtk_widget_activate (button);
  g_assert_true (wait_until (pool_rows_are, GUINT_TO_POINTER (0), 10000));
  g_assert_cmpint (count ("SELECT count(*) FROM customers WHERE owner = 'Alice'"), ==, 2);
  g_assert_cmpint (count ("SELECT count(*) FROM pool_history WHERE action = 'claim'"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* The test accessibility backend, for assert_controls_named() (as test-window does). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  crm_test_init (&argc, &argv);
  ui_test_init_i18n ();

  db_path = crm_test_db_path ();
  seed_database ();
  start_notification_server ();

  window = ui_test_open_window (db_path, 1200, 760, &app);
  g_assert_nonnull (crm_window_get_store (window));

  g_test_add_func ("/ui/tasks/today", test_today);
  g_test_add_func ("/ui/tasks/customer", test_customer);
  g_test_add_func ("/ui/tasks/pool", test_pool);

  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);
  g_free (db_path);
  g_clear_pointer (&notifications, g_ptr_array_unref);

  return ret;
}

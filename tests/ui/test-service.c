/* test-service.c: recording a sale and logging a contact from the customer's detail pane, the
 * way a shop owner would — New Order (Ctrl+Shift+N) with two items and a discount, then the
 * quick-log entry (Ctrl+L, type, Enter) — and what they then see: the order in the history,
 * the spend updated, the contact at the top of the timeline, the customer found by it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gi18n.h>

#include "crm-application.h"
#include "crm-customer-editor-private.h"
#include "crm-customer-timeline.h"
#include "crm-customers-page-private.h"
#include "crm-format.h"
#include "crm-order-dialog.h"
#include "crm-order.h"
#include "crm-query.h"
#include "crm-test-util.h"
#include "crm-ui-test-util.h"
#include "crm-window.h"

static CrmApplication *app;
static CrmWindow *window;
static CrmCustomersPage *page;
static CrmStore *store;
static char *db_path;

static gboolean
dialog_gone (gpointer data)
{
  return find_shown_window (CRM_TYPE_ORDER_DIALOG) == NULL;
}

static gboolean
history_has (gpointer n)
{
  CrmCustomerEditor *editor = crm_customers_page_get_editor (page);

  return crm_order_history_get_order_rows (editor->order_history)->len == GPOINTER_TO_UINT (n);
}

static const char *
row_title (GtkWidget *row)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
}

static void
set_item (CrmOrderDialog *dialog,
          guint           i,
          const char     *product,
          int             quantity,
          const char     *price,
          const char     *category)
{
  gtk_editable_set_text (crm_order_dialog_get_item_entry (dialog, i, 0), product);
  gtk_spin_button_set_value (crm_order_dialog_get_item_quantity (dialog, i), quantity);
  gtk_editable_set_text (crm_order_dialog_get_item_entry (dialog, i, 1), price);
  gtk_editable_set_text (crm_order_dialog_get_item_entry (dialog, i, 2), category);
}

/* New Order from the detail pane: the totals follow the items, a bad price keeps Save off, and
 * once saved the order is in the history and the customer's spend is updated. */
static void
test_order_form (void)
{
  CrmCustomerEditor *editor = crm_customers_page_get_editor (page);
  gint64 id = find_customer_id (store, "Hana Sato");
  CrmOrderDialog *dialog;
  g_autofree char *expected_total = crm_format_money (8800, "CNY");
  g_autofree char *expected_spent = crm_format_money (17340 + 8800, "CNY");
  g_autoptr(CrmCustomer) hana = NULL;
  LabelQuery spent = { GTK_WIDGET (editor), expected_spent };
  GPtrArray *rows;

  g_assert_true (crm_customers_page_open_customer (page, id));
  g_assert_true (wait_until (history_has, GUINT_TO_POINTER (2), 5000));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.new-order", NULL));
  g_assert_true (wait_until (window_mapped, GSIZE_TO_POINTER (CRM_TYPE_ORDER_DIALOG), 5000));
  dialog = CRM_ORDER_DIALOG (find_shown_window (CRM_TYPE_ORDER_DIALOG));
  g_assert_cmpuint (crm_order_dialog_get_n_items (dialog), ==, 1);
  /* Nothing typed yet: nothing to save. */
  g_assert_nonnull (crm_order_dialog_get_problem (dialog));

  set_item (dialog, 0, "Oolong", 2, "38.50", "Tea");
  g_assert_null (crm_order_dialog_get_problem (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "order.add-item", NULL));
  g_assert_cmpuint (crm_order_dialog_get_n_items (dialog), ==, 2);
  set_item (dialog, 1, "Cup", 1, "twelve", "");
  /* The second row's price is the problem, and Save cannot run. */
  g_assert_nonnull (crm_order_dialog_get_problem (dialog));
  g_assert_nonnull (strstr (crm_order_dialog_get_problem (dialog), "2"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "order.save", NULL));
  spin (100);
  g_assert_nonnull (find_shown_window (CRM_TYPE_ORDER_DIALOG));
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM orders"), ==, 2);

  gtk_editable_set_text (crm_order_dialog_get_item_entry (dialog, 1, 1), "12");
  gtk_editable_set_text (crm_order_dialog_get_discount_entry (dialog), "1");
  g_assert_null (crm_order_dialog_get_problem (dialog));
  /* A day that does not exist, or has not come yet, is refused; the sale was yesterday. */
  gtk_editable_set_text (crm_order_dialog_get_date_entry (dialog), "2026-02-30");
  g_assert_nonnull (crm_order_dialog_get_problem (dialog));
  gtk_editable_set_text (crm_order_dialog_get_date_entry (dialog), "2999-01-01");
  g_assert_nonnull (crm_order_dialog_get_problem (dialog));
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
    g_autofree char *text = g_date_time_format (yesterday, "%Y-%m-%d");

    gtk_editable_set_text (crm_order_dialog_get_date_entry (dialog), text);
  }
  g_assert_null (crm_order_dialog_get_problem (dialog));
  g_assert_cmpstr (crm_order_dialog_get_total_text (dialog), ==, expected_total);
  ui_test_keep_png (GTK_WIDGET (dialog), "order-form");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "order.save", NULL));
  g_assert_true (wait_until (dialog_gone, NULL, 5000));

  /* The database has it, with both lines … */
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM orders"), ==, 3);
  g_assert_cmpint (crm_test_query_int (store, "SELECT total FROM orders ORDER BY id DESC LIMIT 1"), ==, 8800);
  g_assert_cmpint (crm_test_query_int (store, "SELECT date(placed_at / 1000, 'unixepoch', 'localtime') ="
                                              " date('now', 'localtime', '-1 day') FROM orders ORDER BY id DESC LIMIT 1"), ==, 1);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM order_lines"), ==, 2);
  hana = crm_store_load (store, CRM_TYPE_CUSTOMER, id, NULL);
  g_assert_cmpint (crm_customer_get_total_spent (hana), ==, 17340 + 8800);
  g_assert_cmpint (crm_customer_get_lifecycle (hana), !=, CRM_LIFECYCLE_PROSPECT);

  /* … and the user sees it: a third order, newest first, and the new spend. */
  g_assert_true (wait_until (history_has, GUINT_TO_POINTER (3), 5000));
  g_assert_true (wait_until (label_shown, &spent, 5000));
  rows = crm_customer_timeline_get_event_rows (crm_customer_editor_get_timeline (editor));
  g_assert_cmpuint (rows->len, >=, 3);
  g_assert_nonnull (strstr (row_title (g_ptr_array_index (rows, 0)), expected_total));
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static gboolean
spent_is (gpointer expected)
{
  g_autoptr(CrmCustomer) hana = crm_store_load (store, CRM_TYPE_CUSTOMER, find_customer_id (store, "Hana Sato"), NULL);

  return crm_customer_get_total_spent (hana) == *(gint64 *) expected;
}

/* Refund… under the newest order's lines: part of it back, and the spend follows. */
static void
test_refund (void)
{
  CrmCustomerEditor *editor = crm_customers_page_get_editor (page);
  GPtrArray *rows = crm_order_history_get_order_rows (editor->order_history);
  AdwExpanderRow *newest;
  GtkWidget *button, *dialog, *entry;
  gint64 spent = 17340 + 8800 - 2000;
  g_autofree char *expected_spent = crm_format_money (spent, "CNY");
  LabelQuery shown = { GTK_WIDGET (editor), expected_spent };

  g_assert_cmpuint (rows->len, ==, 3);
  newest = ADW_EXPANDER_ROW (g_ptr_array_index (rows, 0));
  adw_expander_row_set_expanded (newest, TRUE);
  spin (50);
  button = find_widget_matching (GTK_WIDGET (newest), is_button_labelled, _("_Refund…"));
  g_assert_nonnull (button);
  /* The expander opens with an animation. */
  g_assert_true (wait_until (is_mapped, button, 5000));
  gtk_widget_activate (button);
  g_assert_true (wait_until (window_mapped, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), 5000));
  dialog = find_shown_window (ADW_TYPE_MESSAGE_DIALOG);
  entry = find_widget (dialog, GTK_TYPE_ENTRY);
  /* It offers all that is left. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "88.00");
  gtk_editable_set_text (GTK_EDITABLE (entry), "20");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "refund");
  if (find_shown_window (ADW_TYPE_MESSAGE_DIALOG) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));

  g_assert_true (wait_until (spent_is, &spent, 5000));
  g_assert_cmpint (crm_test_query_int (store, "SELECT refunded FROM orders ORDER BY id DESC LIMIT 1"), ==, 2000);
  g_assert_true (wait_until (label_shown, &shown, 5000));
}

/* Whether @window's class has @accel bound to @action ("Ctrl+Shift+N opens New Order"). */
static gboolean
has_binding (GtkWidget  *widget,
             const char *accel,
             const char *action)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GtkShortcutTrigger) wanted = gtk_shortcut_trigger_parse_string (accel);

  g_assert_nonnull (wanted);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (controller)); k++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), k);
          GtkShortcutAction *a = gtk_shortcut_get_action (shortcut);

          if (GTK_IS_NAMED_ACTION (a) && g_str_equal (gtk_named_action_get_action_name (GTK_NAMED_ACTION (a)), action) &&
              gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            return TRUE;
        }
    }
  return FALSE;
}

static void
test_shortcuts (void)
{
  g_assert_true (has_binding (GTK_WIDGET (window), "<Control><Shift>n", "window.new-order"));
  g_assert_true (has_binding (GTK_WIDGET (window), "<Control>l", "window.log-interaction"));
  /* Ctrl+N stays New Customer. */
  g_assert_true (has_binding (GTK_WIDGET (window), "<Control>n", "window.new-customer"));
  g_assert_false (has_binding (GTK_WIDGET (window), "<Control>n", "window.new-order"));
}

typedef struct
{
  CrmCustomerTimeline *timeline;
  const char          *title;
} TopQuery;

static gboolean
top_is (gpointer data)
{
  TopQuery *q = data;
  GPtrArray *rows = crm_customer_timeline_get_event_rows (q->timeline);

  return rows->len > 0 && g_strcmp0 (row_title (g_ptr_array_index (rows, 0)), q->title) == 0;
}

/* The list shows exactly one customer: Hana. */
static gboolean
one_found (gpointer data)
{
  CrmCustomerList *list = crm_customers_page_get_list (page);
  g_autoptr(CrmCustomer) first = NULL;

  if (crm_customer_list_get_loading (list) || g_list_model_get_n_items (G_LIST_MODEL (list)) != 1)
    return FALSE;
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  return g_strcmp0 (crm_customer_get_name (first), "Hana Sato") == 0;
}

/* Ctrl+L puts the keyboard in the quick-log entry; Enter logs the contact, which shows at the
 * top of the timeline and makes the customer findable by what was said. */
static void
test_quick_log (void)
{
  CrmCustomerEditor *editor = crm_customers_page_get_editor (page);
  CrmCustomerTimeline *timeline = crm_customer_editor_get_timeline (editor);
  GtkEditable *entry = crm_customer_timeline_get_quick_entry (timeline);
  const char *summary = "Came by to taste the new osmanthus oolong";
  TopQuery top = { timeline, summary };
  GtkWidget *focus;
  g_autofree char *logged_by = NULL;
  g_autofree char *expected_by = g_strconcat ("visit ", g_get_user_name (), NULL);

  /* A customer with no history: the empty state says what to do. */
  g_assert_true (crm_customers_page_open_customer (page, find_customer_id (store, "Alice Archer")));
  spin (50);
  g_assert_nonnull (crm_customer_timeline_get_empty_text (timeline));
  g_assert_cmpuint (crm_customer_timeline_get_event_rows (timeline)->len, ==, 0);

  g_assert_true (crm_customers_page_open_customer (page, find_customer_id (store, "Hana Sato")));
  spin (50);
  g_assert_null (crm_customer_timeline_get_empty_text (timeline));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.log-interaction", NULL));
  spin (50);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (focus == GTK_WIDGET (entry) || gtk_widget_is_ancestor (focus, GTK_WIDGET (entry)));

  gtk_drop_down_set_selected (crm_customer_timeline_get_channel_dropdown (timeline), 2);   /* visit */
  gtk_editable_set_text (entry, summary);
  g_signal_emit_by_name (entry, "activate");
  g_assert_true (wait_until (top_is, &top, 5000));
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "");
  {
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (editor->scroller);
    graphene_point_t at;

    /* The timeline at the top of the detail pane, as after scrolling to it. */
    if (gtk_widget_compute_point (GTK_WIDGET (timeline), gtk_scrolled_window_get_child (editor->scroller),
                                  &GRAPHENE_POINT_INIT (0, 0), &at))
      gtk_adjustment_set_value (adj, at.y - 12);
    ui_test_keep_png (GTK_WIDGET (window), "timeline");
  }

  logged_by = crm_test_query_text (store, "SELECT channel || ' ' || logged_by FROM interactions");
  g_assert_cmpstr (logged_by, ==, expected_by);

  /* An empty entry logs nothing. */
  gtk_editable_set_text (entry, "   ");
  g_signal_emit_by_name (entry, "activate");
  spin (100);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM interactions"), ==, 1);

  /* Search covers what was said. */
  gtk_editable_set_text (GTK_EDITABLE (crm_customers_page_get_search_entry (page)), "osmanthus");
  g_assert_true (wait_until (one_found, NULL, 10000));
  {
    g_autoptr(CrmQuery) query = crm_query_new ();

    crm_query_set_search_text (query, "osmanthus");
    g_assert_cmpint (crm_query_count (query, store, NULL), ==, 1);
  }
  gtk_editable_set_text (GTK_EDITABLE (crm_customers_page_get_search_entry (page)), "");
}

static void
seed_database (void)
{
  g_autoptr(GError) error = NULL;
  const char *names[] = { "Alice Archer", "Bob Baker", "Hana Sato" };

  store = crm_store_open (db_path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      gint64 id = crm_test_add_customer (store, names[i]);

      if (g_str_equal (names[i], "Hana Sato"))
        {
          crm_test_add_order (store, id, crm_now_ms () - 40 * 86400000LL, 12340, NULL);
          crm_test_add_order (store, id, crm_now_ms () - 10 * 86400000LL, 5000, NULL);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);
  ui_test_init_i18n ();

  db_path = crm_test_db_path ();
  seed_database ();

  window = ui_test_open_window (db_path, 1200, 760, &app);
  page = crm_window_get_customers_page (window);

  g_test_add_func ("/ui/service/shortcuts", test_shortcuts);
  g_test_add_func ("/ui/service/order-form", test_order_form);
  g_test_add_func ("/ui/service/refund", test_refund);
  g_test_add_func ("/ui/service/quick-log", test_quick_log);

  return ui_test_run_and_close (window, app, store, db_path);
}

/* test-loyalty.c: points at the counter, the way staff use them — the customer's detail shows
 * the balance and what expires next; Redeem… never offers more than the balance and takes the
 * points off; Adjust… needs a reason; the Loyalty section lists the entries and the liability.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gi18n.h>

#include "crm-application.h"
#include "crm-customer-editor-private.h"
#include "crm-customer-points.h"
#include "crm-customers-page-private.h"
#include "crm-loyalty-page.h"
#include "crm-points.h"
#include "crm-test-util.h"
#include "crm-ui-test-util.h"
#include "crm-window.h"

static CrmApplication *app;
static CrmWindow *window;
static CrmStore *store;
static char *db_path;
static gint64 customer_id;

static gboolean
balance_is (gpointer expected)
{
  CrmCustomersPage *page = crm_window_get_customers_page (window);
  CrmCustomerEditor *editor = crm_customers_page_get_editor (page);

  return crm_customer_points_get_balance (editor->points_view) == *(gint64 *) expected &&
         gtk_widget_get_mapped (GTK_WIDGET (editor->points_view));
}

/* What a click on the dialog's button does: the answer, then the dialog closes
 * (adw_message_dialog_response() alone leaves it open). */
static void
answer (AdwMessageDialog *dialog,
        const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static AdwMessageDialog *
open_dialog (CrmCustomerPoints *points,
             const char        *action)
{
  GtkWidget *button = find_action_widget (GTK_WIDGET (points), action);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  gtk_widget_activate (button);
  g_assert_true (wait_until (window_mapped, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), 5000));
  return ADW_MESSAGE_DIALOG (find_shown_window (ADW_TYPE_MESSAGE_DIALOG));
}

static void
test_redeem (void)
{
  CrmCustomersPage *page = crm_window_get_customers_page (window);
  CrmCustomerEditor *editor;
  CrmCustomerPoints *points;
  AdwMessageDialog *dialog;
  GtkSpinButton *spin;
  gint64 expected = 500;
  g_autofree char *shown = NULL;
  LabelQuery query;

  g_assert_true (crm_customers_page_open_customer (page, customer_id));
  editor = crm_customers_page_get_editor (page);
  points = editor->points_view;
  g_assert_true (wait_until (balance_is, &expected, 5000));
  shown = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s point", "%s points", 500), "500");
  g_assert_cmpstr (crm_customer_points_get_balance_text (points), ==, shown);
  query.root = GTK_WIDGET (points);
  query.text = shown;
  g_assert_true (wait_until (label_shown, &query, 5000));

  /* More than the balance cannot even be asked for. */
  dialog = open_dialog (points, "points.redeem");
  spin = g_object_get_data (G_OBJECT (dialog), "points");
  gtk_spin_button_set_value (spin, 800);
  g_assert_cmpfloat (gtk_spin_button_get_value (spin), ==, 500);
  gtk_spin_button_set_value (spin, 120);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "apply"));
  ui_test_keep_png (GTK_WIDGET (dialog), "points-redeem");
  answer (dialog, "apply");

  expected = 380;
  g_assert_true (wait_until (balance_is, &expected, 5000));
  g_assert_cmpint (crm_test_query_int (store, "SELECT -sum(points) FROM points_ledger WHERE kind = 'redeem'"), ==, 120);
  g_clear_pointer (&shown, g_free);
  shown = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s point", "%s points", 380), "380");
  query.text = shown;
  g_assert_true (wait_until (label_shown, &query, 5000));

  /* Another program spends points while the dialog is open: the write is refused, nothing is
   * taken, and the window says why. */
  dialog = open_dialog (points, "points.redeem");
  spin = g_object_get_data (G_OBJECT (dialog), "points");
  gtk_spin_button_set_value (spin, 300);
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (crm_points_redeem (store, customer_id, 200, 0, "Elsewhere", &error));
    g_assert_no_error (error);
  }
  answer (dialog, "apply");
  expected = 180;
  g_assert_true (wait_until (balance_is, &expected, 5000));
  {
    g_autofree char *refusal = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "Not enough points: the customer has %2$s, %1$s point was asked for",
                                                             "Not enough points: the customer has %2$s, %1$s points were asked for",
                                                             300), "300", "180");
    LabelQuery toast = { GTK_WIDGET (window), refusal };

    g_assert_true (wait_until (label_shown, &toast, 5000));
  }
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM points_ledger WHERE kind = 'redeem'"), ==, 2);
  /* Back to where the rest of the test expects it. */
  g_assert_true (crm_points_add (store, customer_id, CRM_POINTS_ADJUST, 200, "Undo elsewhere", 0, NULL));
  expected = 380;
  g_assert_true (wait_until (balance_is, &expected, 5000));

  /* An adjustment needs a reason before it can be applied. */
  dialog = open_dialog (points, "points.adjust");
  spin = g_object_get_data (G_OBJECT (dialog), "points");
  gtk_spin_button_set_value (spin, -30);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "apply"));
  gtk_editable_set_text (GTK_EDITABLE (g_object_get_data (G_OBJECT (dialog), "reason")), "Broken mug");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "apply"));
  answer (dialog, "apply");
  expected = 350;
  g_assert_true (wait_until (balance_is, &expected, 5000));
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM points_ledger WHERE reason = 'Broken mug'"), ==, 1);
}

static gboolean
ledger_shown (gpointer data)
{
  CrmLoyaltyPage *page = crm_window_get_loyalty_page (window);

  return !crm_loyalty_page_get_loading (page) &&
         g_strcmp0 (crm_loyalty_page_get_count_text (page), data) == 0;
}

static void
test_loyalty_page (void)
{
  CrmLoyaltyPage *page = crm_window_get_loyalty_page (window);
  g_autofree char *all = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s entry", "%s entries", 5), "5");
  g_autofree char *two = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s entry", "%s entries", 2), "2");
  GtkDropDown *kinds;

  g_assert_true (crm_window_set_section (window, "loyalty"));
  g_assert_true (wait_until (ledger_shown, all, 5000));
  g_assert_cmpstr (crm_loyalty_page_get_outstanding_text (page), ==, "350");

  /* Only the redemptions: the kind filter's third entry (after All Kinds and Earned). */
  kinds = GTK_DROP_DOWN (find_widget (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN));
  gtk_drop_down_set_selected (kinds, 1 + CRM_POINTS_REDEEM);
  g_assert_true (wait_until (ledger_shown, two, 5000));
  gtk_drop_down_set_selected (kinds, 0);
  g_assert_true (wait_until (ledger_shown, all, 5000));
  ui_test_keep_png (GTK_WIDGET (window), "loyalty");
}

static void
seed_database (void)
{
  g_autoptr(GError) error = NULL;

  store = crm_store_open (db_path, &error);
  g_assert_no_error (error);
  crm_test_add_customer (store, "Alice Archer");
  customer_id = crm_test_add_customer (store, "Mei Lin");
  g_assert_true (crm_points_add (store, customer_id, CRM_POINTS_EARN, 500, "Welcome", 0, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  crm_test_init (&argc, &argv);
  ui_test_init_i18n ();

  db_path = crm_test_db_path ();
  seed_database ();

  window = ui_test_open_window (db_path, 1200, 760, &app);
  g_assert_nonnull (crm_window_get_store (window));

  g_test_add_func ("/ui/loyalty/redeem", test_redeem);
  g_test_add_func ("/ui/loyalty/page", test_loyalty_page);

  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&store);
  g_clear_object (&app);
  g_free (db_path);

  return ret;
}

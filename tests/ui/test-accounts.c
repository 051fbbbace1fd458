/* test-accounts.c: Preferences → Accounts in a real window, with a real GNOME Keyring in the
 * test's D-Bus session and a real Radicale: Test connection finds the address book (and says
 * why it cannot with a wrong password), Add keeps the password in the keyring only, Sync now
 * brings the address book's cards into the open database, Remove asks first and takes the
 * keyring item away too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>

#include "crm-test-util.h"
#include "crm-ui-test-util.h"
#include "crm-sync-test-util.h"
#include "crm-account.h"
#include "crm-customer.h"
#include "crm-accounts-page.h"
#include "crm-preferences-window.h"
#include "crm-secret.h"

#define PASSWORD "hunter2 口令"

static CrmApplication *app;
static CrmWindow *window;
static char *db_path;

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  title)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static GtkWidget *
row (GtkWidget  *root,
     const char *title)
{
  GtkWidget *found = find_widget_matching (root, is_row_titled, title);

  g_assert_nonnull (found);
  return found;
}

typedef struct
{
  GtkWidget  *row;
  const char *prefix;
} Subtitle;

static gboolean
subtitle_starts (gpointer data)
{
  Subtitle *s = data;
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (s->row));

  return subtitle != NULL && g_str_has_prefix (subtitle, s->prefix);
}

typedef struct
{
  GtkWidget  *root;
  const char *title;
  gboolean    present;
} RowQuery;

static gboolean
row_presence (gpointer data)
{
  RowQuery *q = data;

  return (find_widget_matching (q->root, is_row_titled, q->title) != NULL) == q->present;
}

/* The row titled @title, found again each time (the list is made anew after each change). */
typedef struct
{
  GtkWidget  *root;
  const char *title;
  const char *prefix;
} RowSubtitle;

static gboolean
row_subtitle_starts (gpointer data)
{
  RowSubtitle *q = data;
  GtkWidget *found = find_widget_matching (q->root, is_row_titled, q->title);
  Subtitle s = { found, q->prefix };

  return found != NULL && ADW_IS_ACTION_ROW (found) && subtitle_starts (&s);
}

static gboolean
customer_count_is (gpointer n)
{
  return crm_store_count (crm_window_get_store (window), CRM_TYPE_CUSTOMER, NULL) == GPOINTER_TO_INT (n);
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_shown_window (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static void
test_accounts_page (void)
{
  g_autofree char *root_url = NULL;
  g_autofree char *connected = NULL;
  g_autoptr(CrmAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *uuid = NULL;
  CrmTestRadicale *radicale;
  CrmPreferencesWindow *prefs = NULL;
  GtkWidget *page, *status;
  Subtitle wait;
  RowQuery team;

  if (!crm_sync_test_keyring_start () || !(radicale = crm_sync_test_radicale_start ("alice", PASSWORD)))
    return;
  root_url = g_strconcat (radicale->base, "/", NULL);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.preferences", NULL));
  spin (50);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (CRM_IS_PREFERENCES_WINDOW (l->data))
      prefs = l->data;
  g_assert_nonnull (prefs);
  page = find_widget (GTK_WIDGET (prefs), CRM_TYPE_ACCOUNTS_PAGE);
  g_assert_nonnull (page);
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (prefs), ADW_PREFERENCES_PAGE (page));
  spin (50);
  row (page, "No accounts yet");
  status = row (page, "Connection");

  gtk_editable_set_text (GTK_EDITABLE (row (page, "Name")), "Team");
  gtk_editable_set_text (GTK_EDITABLE (row (page, "Server Address")), root_url);
  gtk_editable_set_text (GTK_EDITABLE (row (page, "User Name")), "alice");

  /* A wrong password: the reason, in the row. */
  gtk_editable_set_text (GTK_EDITABLE (row (page, "Password")), "wrong");
  g_assert_true (gtk_widget_activate_action (page, "accounts.test", NULL));
  wait = (Subtitle) { status, "Could not connect: The server refused the user name or password" };
  g_assert_true (wait_until (subtitle_starts, &wait, 20000));

  /* The right one: the address book the server leads to. */
  gtk_editable_set_text (GTK_EDITABLE (row (page, "Password")), PASSWORD);
  g_assert_true (gtk_widget_activate_action (page, "accounts.test", NULL));
  connected = g_strconcat ("Connected: address book found at ", radicale->book, NULL);
  wait = (Subtitle) { status, connected };
  g_assert_true (wait_until (subtitle_starts, &wait, 20000));

  /* Add: listed, the password in the keyring and not in the database file. */
  g_assert_true (gtk_widget_activate_action (page, "accounts.add", NULL));
  team = (RowQuery) { page, "Team", TRUE };
  g_assert_true (wait_until (row_presence, &team, 20000));
  g_assert_null (find_widget_matching (page, is_row_titled, "No accounts yet"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (page, "Password"))), ==, "");
  account = crm_account_find (crm_window_get_store (window), "Team", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_account_get_url (account), ==, root_url);
  uuid = g_strdup (crm_account_get_uuid (account));
  secret = crm_account_lookup_secret (account, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, PASSWORD);
  g_assert_false (crm_sync_test_file_contains (db_path, PASSWORD));

  /* Sync now: a card on the server becomes a customer of the open window's database, and the
   * row says when it synced. */
  {
    g_autofree char *url = g_strconcat (radicale->book, "li.vcf", NULL);
    RowSubtitle synced = { page, "Team", NULL };
    g_autofree char *prefix = NULL;

    g_assert_cmpuint (crm_sync_test_http ("PUT", url, "alice", PASSWORD, NULL,
                                          "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:li\r\nFN:李雷\r\nEND:VCARD\r\n",
                                          NULL, NULL) / 100, ==, 2);
    g_assert_true (gtk_widget_activate_action (row (page, "Team"), "accounts.sync", "s", "Team"));
    g_assert_true (wait_until (customer_count_is, GINT_TO_POINTER (1), 20000));
    prefix = g_strdup_printf ("CardDAV address book · %s · Synced ", root_url);
    synced.prefix = prefix;
    g_assert_true (wait_until (row_subtitle_starts, &synced, 20000));
  }

  /* Remove asks first; then the account and its keyring item are gone. */
  g_assert_true (gtk_widget_activate_action (row (page, "Team"), "accounts.remove", "s", "Team"));
  g_assert_true (wait_until (message_dialog_shown, NULL, 5000));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (find_shown_window (ADW_TYPE_MESSAGE_DIALOG)), "remove");
  team.present = FALSE;
  g_assert_true (wait_until (row_presence, &team, 20000));
  g_clear_pointer (&secret, crm_secret_free);
  secret = crm_secret_lookup (uuid, NULL, &error);
  g_assert_error (error, CRM_SECRET_ERROR, CRM_SECRET_ERROR_NOT_FOUND);

  gtk_window_close (GTK_WINDOW (prefs));
  crm_sync_test_radicale_free (radicale);
}

/* A WooCommerce shop (the fake shop of the sync tests): the form asks for a shop's address, key
 * and secret; Test connection checks the key; Sync now pulls the shop into the open database. */
static void
test_accounts_woocommerce (void)
{
  g_autoptr(CrmAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *prefix = NULL;
  CrmTestWoo *shop;
  CrmPreferencesWindow *prefs = NULL;
  GtkWidget *page, *status;
  Subtitle wait;
  RowQuery added;
  RowSubtitle synced;

  if (!crm_sync_test_keyring_start ())
    return;
  shop = crm_sync_test_woo_start (FALSE, (const char *const[]) { "--customers", "3", "--orders", "4", NULL });
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.preferences", NULL));
  spin (50);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (CRM_IS_PREFERENCES_WINDOW (l->data))
      prefs = l->data;
  g_assert_nonnull (prefs);
  page = find_widget (GTK_WIDGET (prefs), CRM_TYPE_ACCOUNTS_PAGE);
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (prefs), ADW_PREFERENCES_PAGE (page));
  spin (50);
  status = row (page, "Connection");

  adw_combo_row_set_selected (ADW_COMBO_ROW (row (page, "Kind")), 1);
  g_assert_null (find_widget_matching (page, is_row_titled, "User Name"));
  gtk_editable_set_text (GTK_EDITABLE (row (page, "Name")), "Fake shop");
  gtk_editable_set_text (GTK_EDITABLE (row (page, "Shop Address")), shop->base);
  gtk_editable_set_text (GTK_EDITABLE (row (page, "Consumer Key")), shop->key);

  /* A wrong secret: the key is refused, in the row. */
  gtk_editable_set_text (GTK_EDITABLE (row (page, "Consumer Secret")), "cs_wrong");
  g_assert_true (gtk_widget_activate_action (page, "accounts.test", NULL));
  wait = (Subtitle) { status, "Could not connect: The shop refused the key" };
  g_assert_true (wait_until (subtitle_starts, &wait, 20000));
  gtk_editable_set_text (GTK_EDITABLE (row (page, "Consumer Secret")), shop->secret);
  g_assert_true (gtk_widget_activate_action (page, "accounts.test", NULL));
  wait = (Subtitle) { status, "Connected to the shop “Fake Shop”" };
  g_assert_true (wait_until (subtitle_starts, &wait, 20000));

  g_assert_true (gtk_widget_activate_action (page, "accounts.add", NULL));
  added = (RowQuery) { page, "Fake shop", TRUE };
  g_assert_true (wait_until (row_presence, &added, 20000));
  account = crm_account_find (crm_window_get_store (window), "Fake shop", &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_account_get_kind (account), ==, CRM_ACCOUNT_WOOCOMMERCE);
  g_assert_cmpstr (crm_account_get_user (account), ==, shop->key);
  secret = crm_account_lookup_secret (account, NULL, &error);
  g_assert_cmpstr (secret, ==, shop->secret);
  g_assert_false (crm_sync_test_file_contains (db_path, shop->secret));

  g_assert_true (gtk_widget_activate_action (row (page, "Fake shop"), "accounts.sync", "s", "Fake shop"));
  prefix = g_strdup_printf ("WooCommerce shop · %s · Synced ", shop->base);
  synced = (RowSubtitle) { page, "Fake shop", prefix };
  g_assert_true (wait_until (row_subtitle_starts, &synced, 20000));
  g_assert_cmpint (crm_test_query_int (crm_window_get_store (window), "SELECT count(*) FROM sync_orders"), ==, 6);

  gtk_window_close (GTK_WINDOW (prefs));
  crm_sync_test_woo_free (shop);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  crm_test_init (&argc, &argv);
  db_path = crm_test_db_path ();
  window = ui_test_open_window (db_path, 0, 0, &app);

  g_test_add_func ("/ui/accounts/add-test-sync-remove", test_accounts_page);
  g_test_add_func ("/ui/accounts/woocommerce", test_accounts_woocommerce);

  status = ui_test_run_and_close (window, app, NULL, db_path);
  /* libsecret's connection to the keyring (the app's job made it) goes before the keyring. */
  crm_secret_disconnect ();
  crm_sync_test_keyring_stop ();
  return status;
}

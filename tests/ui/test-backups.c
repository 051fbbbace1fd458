/* test-backups.c: Preferences → Backups in a real window, with a real GNOME Keyring in the
 * test's D-Bus session: the passphrase goes to the keyring (a short one is refused), "Back Up
 * Now" writes an encrypted backup of the open database into the chosen folder and says when, and
 * "Restore…" (passphrase and confirmation in one dialog) brings the window back to the backup's
 * customers, keeping the data as it was in a dated copy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "crm-test-util.h"
#include "crm-ui-test-util.h"
#include "crm-sync-test-util.h"
#include "crm-application.h"
#include "crm-backup.h"
#include "crm-backups-page.h"
#include "crm-customer.h"
#include "crm-preferences-window.h"
#include "crm-secret.h"

#define PASSPHRASE "绿色的门 green door"

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

static gboolean
backup_recorded (gpointer data)
{
  return g_settings_get_int64 (crm_application_get_settings (app), "backup-last-attempt") > 0;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_shown_window (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
customer_count_is (gpointer n)
{
  return crm_store_count (crm_window_get_store (window), CRM_TYPE_CUSTOMER, NULL) == GPOINTER_TO_INT (n);
}

static char *
only_backup_in (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  char *found = NULL;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_null (found);
      g_assert_true (g_str_has_prefix (name, "clientele-") && g_str_has_suffix (name, ".clbackup"));
      found = g_build_filename (folder, name, NULL);
    }
  g_assert_nonnull (found);
  return found;
}

static void
test_backup_now_and_restore (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (crm_test_tmp_dir (), "backups", NULL);
  g_autofree char *file = NULL;
  g_autofree char *secret = NULL;
  GSettings *settings = crm_application_get_settings (app);
  CrmStore *store = crm_window_get_store (window);
  CrmPreferencesWindow *prefs = NULL;
  CrmBackupInfo info = { 0 };
  GtkWidget *page, *entry, *last;
  AdwMessageDialog *dialog;
  Subtitle wait;

  if (!crm_sync_test_keyring_start ())
    return;
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  crm_test_add_customer (store, "王芳");
  crm_test_add_customer (store, "Li Lei");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.preferences", NULL));
  spin (50);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (CRM_IS_PREFERENCES_WINDOW (l->data))
      prefs = l->data;
  g_assert_nonnull (prefs);
  page = find_widget (GTK_WIDGET (prefs), CRM_TYPE_BACKUPS_PAGE);
  g_assert_nonnull (page);
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (prefs), ADW_PREFERENCES_PAGE (page));
  spin (50);

  /* No folder yet: said in the row, and Back Up Now writes nothing. */
  wait = (Subtitle) { row (page, _("Folder")), _("None chosen: no backups are made") };
  g_assert_true (subtitle_starts (&wait));
  wait = (Subtitle) { row (page, _("Keyring")), _("No passphrase saved yet: backups are not made until one is set") };
  g_assert_true (wait_until (subtitle_starts, &wait, 20000));
  g_settings_set_string (settings, "backup-folder", folder);
  wait = (Subtitle) { row (page, _("Folder")), folder };
  g_assert_true (subtitle_starts (&wait));

  /* A passphrase too short is refused; a good one goes to the keyring and the row is emptied. */
  entry = row (page, _("New Passphrase"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "short");
  g_signal_emit_by_name (entry, "apply");
  spin (500);
  secret = crm_secret_lookup_backup (db_path, NULL, &error);
  g_assert_error (error, CRM_SECRET_ERROR, CRM_SECRET_ERROR_NOT_FOUND);
  g_clear_error (&error);
  gtk_editable_set_text (GTK_EDITABLE (entry), PASSPHRASE);
  g_signal_emit_by_name (entry, "apply");
  wait = (Subtitle) { row (page, _("Keyring")), _("A passphrase for this database is saved") };
  g_assert_true (wait_until (subtitle_starts, &wait, 20000));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  secret = crm_secret_lookup_backup (db_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, PASSPHRASE);
  g_assert_false (crm_sync_test_file_contains (db_path, "green door"));

  /* Back Up Now: one backup in the folder, that opens with the passphrase and holds both. */
  last = row (page, _("Last Backup"));
  wait = (Subtitle) { last, _("Never") };
  g_assert_true (subtitle_starts (&wait));
  g_assert_true (gtk_widget_activate_action (page, "backups.backup-now", NULL));
  g_assert_true (wait_until (backup_recorded, NULL, 60000));
  {
    g_autofree char *last_error = g_settings_get_string (settings, "backup-last-error");

    g_assert_cmpstr (last_error, ==, "");
  }
  g_assert_cmpint (g_settings_get_int64 (settings, "backup-last"), >, 0);
  spin (50);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (last)), !=, _("Never"));
  file = only_backup_in (folder);
  g_assert_cmpint (crm_test_file_mode (file), ==, 0600);
  g_assert_false (crm_sync_test_file_contains (file, "Li Lei"));
  g_assert_true (crm_backup_verify (file, PASSPHRASE, crm_test_tmp_dir (), &info, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (info.customers, ==, 2);

  /* Restore…: the passphrase and the confirmation, then the window shows the backup's customers. */
  crm_test_add_customer (store, "After the backup");
  g_assert_true (wait_until (customer_count_is, GINT_TO_POINTER (3), 5000));
  g_assert_true (gtk_widget_activate_action (page, "backups.restore", "s", file));
  g_assert_true (wait_until (message_dialog_shown, NULL, 5000));
  dialog = ADW_MESSAGE_DIALOG (find_shown_window (ADW_TYPE_MESSAGE_DIALOG));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), PASSPHRASE);
  adw_message_dialog_response (dialog, "restore");
  g_assert_true (wait_until (customer_count_is, GINT_TO_POINTER (2), 60000));
  {
    g_autofree char *kept_prefix = g_strconcat (db_path, ".before-restore-", NULL);
    g_autofree char *dir = g_path_get_dirname (db_path);
    g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
    const char *name;
    guint kept = 0;

    while ((name = g_dir_read_name (listing)) != NULL)
      {
        g_autofree char *full = g_build_filename (dir, name, NULL);
        kept += g_str_has_prefix (full, kept_prefix);
      }
    g_assert_cmpuint (kept, ==, 1);
  }

  gtk_window_close (GTK_WINDOW (prefs));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  crm_test_init (&argc, &argv);
  ui_test_init_i18n ();
  db_path = crm_test_db_path ();
  window = ui_test_open_window (db_path, 0, 0, &app);

  g_test_add_func ("/ui/backups/backup-now-and-restore", test_backup_now_and_restore);

  status = g_test_run ();
  crm_sync_test_keyring_stop ();
  return status;
}

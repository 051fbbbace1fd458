/* crm-backups-page.c
 *
 * The settings are the application's (GSettings: the same folder and schedule whichever
 * database is open); the passphrase belongs to the open database, in the keyring.  A restore
 * asks for the backup's passphrase and the confirmation in one dialog, then runs as a job; when
 * it is done the session announces that everything changed, and every page shows the restored
 * data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-backup.h"
#include "crm-backup-scheduler.h"
#include "crm-backups-page.h"
#include "crm-format.h"

static const char *const intervals[] = { "never", "hourly", "daily", "weekly" };

struct _CrmBackupsPage
{
  AdwPreferencesPage    parent_instance;

  CrmSession           *session;
  GSettings            *settings;
  GCancellable         *cancellable;    /* the page's life: cancelled when it goes */
  GCancellable         *job;            /* the backup or restore under way */
  GtkFileChooserNative *chooser;
  char                 *restore_path;
  const char           *running_text;   /* "Backing up…", "Restoring…" */

  /* template children */
  AdwActionRow         *folder_row;
  AdwComboRow          *interval_row;
  GtkSpinButton        *keep_spin;
  AdwPasswordEntryRow  *passphrase_row;
  AdwActionRow         *keyring_row;
  AdwActionRow         *last_row;
  GtkProgressBar       *progress_bar;
  GtkWidget            *cancel_button;
};

G_DEFINE_FINAL_TYPE (CrmBackupsPage, crm_backups_page, ADW_TYPE_PREFERENCES_PAGE)

static void setup (CrmBackupsPage *self);

CrmBackupsPage *
crm_backups_page_new (CrmSession *session,
                      GSettings  *settings)
{
  CrmBackupsPage *self = g_object_new (CRM_TYPE_BACKUPS_PAGE, NULL);

  self->session = g_object_ref (session);
  self->settings = g_object_ref (settings);
  setup (self);
  return self;
}

static void
toast (CrmBackupsPage *self,
       const char     *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (message));
}

static gboolean
gone (CrmBackupsPage *self)
{
  return g_cancellable_is_cancelled (self->cancellable);
}

/* ---- showing the settings ------------------------------------------------------------------- */

static void
update_folder (CrmBackupsPage *self)
{
  g_autofree char *folder = g_settings_get_string (self->settings, "backup-folder");

  adw_action_row_set_subtitle (self->folder_row, *folder != '\0' ? folder : _("None chosen: no backups are made"));
}

static void
update_last (CrmBackupsPage *self)
{
  g_autofree char *error = g_settings_get_string (self->settings, "backup-last-error");
  gint64 last = g_settings_get_int64 (self->settings, "backup-last");
  g_autofree char *when = last > 0 ? crm_format_date_time (last) : NULL;
  g_autofree char *text = NULL;

  if (self->job != NULL)
    text = g_strdup (self->running_text);
  else if (*error != '\0')
    /* Translators: the last backup failed: why. */
    text = g_strdup_printf (_("Failed: %s"), error);
  else if (when != NULL)
    text = g_strdup (when);
  else
    text = g_strdup (_("Never"));
  adw_action_row_set_subtitle (self->last_row, text);
}

static void
set_running (CrmBackupsPage *self,
             const char     *text)
{
  gboolean running = text != NULL;

  if (running)
    self->job = g_cancellable_new ();
  else
    g_clear_object (&self->job);
  self->running_text = text;
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), running);
  gtk_widget_set_visible (self->cancel_button, running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backups.backup-now", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backups.restore", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backups.cancel", running);
  update_last (self);
}

static void
on_progress (const CrmJobProgress *progress,
             gpointer              data)
{
  CrmBackupsPage *self = data;

  if (progress->fraction >= 0)
    gtk_progress_bar_set_fraction (self->progress_bar, progress->fraction);
  else
    gtk_progress_bar_pulse (self->progress_bar);
}

static void
on_has_passphrase (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(CrmBackupsPage) self = data;
  g_autoptr(GError) error = NULL;
  gboolean has = crm_backup_has_passphrase_finish (result, &error);

  if (gone (self))
    return;
  if (error != NULL)
    adw_action_row_set_subtitle (self->keyring_row, error->message);
  else
    adw_action_row_set_subtitle (self->keyring_row,
                                 has ? _("A passphrase for this database is saved")
                                     : _("No passphrase saved yet: backups are not made until one is set"));
}

static void
check_keyring (CrmBackupsPage *self)
{
  adw_action_row_set_subtitle (self->keyring_row, _("Looking in the keyring…"));
  crm_backup_has_passphrase_async (self->session, self->cancellable, on_has_passphrase, g_object_ref (self));
}

/* ---- changing them ---------------------------------------------------------------------------- */

static void
on_interval_selected (CrmBackupsPage *self)
{
  guint i = adw_combo_row_get_selected (self->interval_row);

  if (i < G_N_ELEMENTS (intervals))
    g_settings_set_string (self->settings, "backup-interval", intervals[i]);
}

static void
on_keep_changed (CrmBackupsPage *self)
{
  g_settings_set_uint (self->settings, "backup-keep", (guint) gtk_spin_button_get_value_as_int (self->keep_spin));
}

static void
on_passphrase_saved (GObject      *source,
                     GAsyncResult *result,
                     gpointer      data)
{
  g_autoptr(CrmBackupsPage) self = data;
  g_autoptr(GError) error = NULL;

  if (!crm_backup_save_passphrase_finish (result, &error))
    {
      if (!gone (self))
        toast (self, error->message);
      return;
    }
  if (gone (self))
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  toast (self, _("The passphrase is saved in the keyring"));
  check_keyring (self);
}

static void
on_passphrase_apply (CrmBackupsPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));

  if (*text == '\0')
    return;
  crm_backup_save_passphrase_async (self->session, text, self->cancellable, on_passphrase_saved, g_object_ref (self));
}

/* The local path the chooser was answered with; NULL when it was not accepted (or, said in a
 * toast, when the choice has no local path). */
static char *
chosen_path (CrmBackupsPage       *self,
             int                   response,
             GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  char *path;

  if (response != GTK_RESPONSE_ACCEPT)
    return NULL;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  path = file != NULL ? g_file_get_path (file) : NULL;
  if (path == NULL)
    toast (self, _("Choose a folder on this computer or a mounted disk"));
  return path;
}

static void
on_folder_chosen (CrmBackupsPage       *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  g_autofree char *path = chosen_path (self, response, chooser);

  if (path != NULL)
    g_settings_set_string (self->settings, "backup-folder", path);
  g_clear_object (&self->chooser);
}

static void
choose_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CrmBackupsPage *self = CRM_BACKUPS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Backup Folder"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_folder_chosen), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---- Back Up Now ------------------------------------------------------------------------------ */

static void
on_backup_done (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(CrmBackupsPage) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = crm_backup_scheduled_finish (result, &error);
  gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  if (!cancelled)
    crm_backup_scheduler_record (self->settings, path, error);
  if (gone (self))
    return;
  set_running (self, NULL);
  if (path != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Backup written to %s"), path);
      toast (self, message);
    }
  else if (cancelled)
    toast (self, _("The backup was cancelled: nothing was written"));
  else
    toast (self, error->message);
}

static void
backup_now_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CrmBackupsPage *self = CRM_BACKUPS_PAGE (widget);
  g_autofree char *folder = g_settings_get_string (self->settings, "backup-folder");

  if (*folder == '\0')
    {
      toast (self, _("Choose a folder for the backups first"));
      return;
    }
  set_running (self, _("Backing up…"));
  crm_backup_scheduled_async (self->session, folder, g_settings_get_uint (self->settings, "backup-keep"), self->job,
                              on_progress, self, on_backup_done, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmBackupsPage *self = CRM_BACKUPS_PAGE (widget);

  if (self->job != NULL)
    g_cancellable_cancel (self->job);
}

/* ---- Restore… --------------------------------------------------------------------------------- */

static void
on_restore_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  g_autoptr(CrmBackupsPage) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = crm_backup_restore_finish (self->session, result, &error);

  if (gone (self))
    return;
  set_running (self, NULL);
  if (kept != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Restored. The data as it was before is kept in %s"), kept);
      toast (self, message);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, _("The restore was cancelled: nothing was changed"));
  else
    toast (self, error->message);
}

static void
on_restore_response (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          data)
{
  CrmBackupsPage *self = data;
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);
  g_autofree char *passphrase = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  if (!g_str_equal (response, "restore") || gone (self) || self->restore_path == NULL)
    return;
  set_running (self, _("Restoring…"));
  crm_backup_restore_async (self->session, self->restore_path, passphrase, self->job, on_progress, self,
                            on_restore_done, g_object_ref (self));
  memset (passphrase, 0, strlen (passphrase));
}

static void
ask_restore (CrmBackupsPage *self,
             const char     *path)
{
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  CrmBackupInfo info = { 0 };
  g_autofree char *made = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  /* The header only (144 bytes): a file that is no backup is said at once. */
  if (!crm_backup_read_info (path, &info, &error))
    {
      toast (self, error->message);
      return;
    }
  g_free (self->restore_path);
  self->restore_path = g_strdup (path);
  made = crm_format_date_time (info.created_at);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       _("Restore This Backup?"), NULL));
  adw_message_dialog_format_body (dialog,
                                  _("The backup made %s replaces every customer, order and setting in “%s”. "
                                    "The current data is kept as a dated copy beside the database."),
                                  made, crm_session_get_path (self->session));
  /* A GtkEntry, not a GtkPasswordEntry: GTK 4.8's password entry watches its window's focus and
   * is called after it is gone when the dialog closes with it focused. */
  entry = gtk_entry_new ();
  gtk_entry_set_visibility (GTK_ENTRY (entry), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_PASSWORD);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Passphrase of the backup"), -1);
  g_object_set (entry, "placeholder-text", _("Passphrase of the backup"), "activates-default", TRUE, NULL);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "restore", _("_Restore"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "restore", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "restore");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_restore_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_backup_chosen (CrmBackupsPage       *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  g_autofree char *path = chosen_path (self, response, chooser);

  if (path != NULL)
    ask_restore (self, path);
  g_clear_object (&self->chooser);
}

static void
restore_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CrmBackupsPage *self = CRM_BACKUPS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *folder = g_settings_get_string (self->settings, "backup-folder");
  g_autoptr(GtkFileFilter) backups = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  /* With a path as parameter (tests, a future "restore this one" list): no chooser. */
  if (parameter != NULL && *g_variant_get_string (parameter, NULL) != '\0')
    {
      ask_restore (self, g_variant_get_string (parameter, NULL));
      return;
    }

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Restore a Backup"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (backups, _("Clientele Backups"));
  gtk_file_filter_add_suffix (backups, "clbackup");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), backups);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  if (*folder != '\0' && g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) dir = g_file_new_for_path (folder);
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), dir, NULL);
    }
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_backup_chosen), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---- the object ------------------------------------------------------------------------------- */

/* The settings shown and followed, once the page has them. */
static void
setup (CrmBackupsPage *self)
{
  g_autofree char *interval = g_settings_get_string (self->settings, "backup-interval");

  for (guint i = 0; i < G_N_ELEMENTS (intervals); i++)
    if (g_str_equal (interval, intervals[i]))
      adw_combo_row_set_selected (self->interval_row, i);
  gtk_spin_button_set_value (self->keep_spin, g_settings_get_uint (self->settings, "backup-keep"));
  update_folder (self);
  update_last (self);
  check_keyring (self);

  g_signal_connect_object (self->settings, "changed::backup-folder", G_CALLBACK (update_folder), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::backup-last", G_CALLBACK (update_last), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::backup-last-error", G_CALLBACK (update_last), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->interval_row, "notify::selected", G_CALLBACK (on_interval_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->keep_spin, "value-changed", G_CALLBACK (on_keep_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->passphrase_row, "apply", G_CALLBACK (on_passphrase_apply), self, G_CONNECT_SWAPPED);
}

static void
crm_backups_page_dispose (GObject *object)
{
  CrmBackupsPage *self = CRM_BACKUPS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->job != NULL)
    g_cancellable_cancel (self->job);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_BACKUPS_PAGE);
  G_OBJECT_CLASS (crm_backups_page_parent_class)->dispose (object);
}

static void
crm_backups_page_finalize (GObject *object)
{
  CrmBackupsPage *self = CRM_BACKUPS_PAGE (object);

  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->job);
  g_free (self->restore_path);
  G_OBJECT_CLASS (crm_backups_page_parent_class)->finalize (object);
}

static void
crm_backups_page_class_init (CrmBackupsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_backups_page_dispose;
  object_class->finalize = crm_backups_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/clientele/Clientele/ui/crm-backups-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmBackupsPage, folder_row);
  gtk_widget_class_bind_template_child (widget_class, CrmBackupsPage, interval_row);
  gtk_widget_class_bind_template_child (widget_class, CrmBackupsPage, keep_spin);
  gtk_widget_class_bind_template_child (widget_class, CrmBackupsPage, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, CrmBackupsPage, keyring_row);
  gtk_widget_class_bind_template_child (widget_class, CrmBackupsPage, last_row);
  gtk_widget_class_bind_template_child (widget_class, CrmBackupsPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CrmBackupsPage, cancel_button);

  gtk_widget_class_install_action (widget_class, "backups.choose-folder", NULL, choose_folder_action);
  gtk_widget_class_install_action (widget_class, "backups.backup-now", NULL, backup_now_action);
  gtk_widget_class_install_action (widget_class, "backups.restore", "s", restore_action);
  gtk_widget_class_install_action (widget_class, "backups.cancel", NULL, cancel_action);
}

static void
crm_backups_page_init (CrmBackupsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backups.cancel", FALSE);
}

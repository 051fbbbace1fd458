/* crm-import-dialog-actions.c: the buttons of the import dialog, running the
 * import and its summary, and saving the rejected rows.
 *
 * The run is a core job (crm_importer_run_async) while the main window keeps
 * reading through its own connection (WAL).  It is one transaction, so Cancel
 * leaves the database as it was.  Nothing here tells the rest of the window: the
 * session announces the import when it commits (the order hooks have placed the
 * customers of imported orders by then), and each view refreshes itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "crm-format.h"
#include "crm-import-dialog-private.h"
#include "crm-io-jobs.h"
#include "crm-output-file.h"
#include "crm-ui-util.h"

#define MAX_REJECTS_LISTED   500

/* Buttons and pages -------------------------------------------------------- */

void
_crm_import_dialog_update_buttons (CrmImportDialog *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  gboolean running = self->cancellable != NULL;

  if (page == NULL)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->back_button),
                          g_str_equal (page, "mapping") || g_str_equal (page, "error"));
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button),
                          g_str_equal (page, "setup") || g_str_equal (page, "mapping"));
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), !running && !g_str_equal (page, "error"));

  if (g_str_equal (page, "setup") && _crm_import_dialog_needs_mapping (self))
    gtk_button_set_label (self->next_button, _("_Next"));
  else if (g_str_equal (page, "summary"))
    gtk_button_set_label (self->next_button, _("_Done"));
  else
    gtk_button_set_label (self->next_button, _("_Import"));

  /* Nothing mapped yet: Next still leads to the mapping, Import waits for one column. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.next",
                                 g_str_equal (page, "summary") ||
                                 (!running && self->prepared &&
                                  ((g_str_equal (page, "setup") && _crm_import_dialog_needs_mapping (self)) ||
                                   _crm_import_dialog_count_mapped (self, NULL) > 0)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.cancel", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.review", !running && self->prepared);
}

void
_crm_import_dialog_show_page (CrmImportDialog *self,
                              const char      *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  _crm_import_dialog_update_buttons (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmImportDialog *self = CRM_IMPORT_DIALOG (widget);

  if (self->cancellable == NULL)
    _crm_import_dialog_show_page (self, "setup");
}

static void
review_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  _crm_import_dialog_show_page (CRM_IMPORT_DIALOG (widget), "mapping");
}

/* Running ------------------------------------------------------------------ */

static void
import_progress (const CrmJobProgress *progress,
                 gpointer              user_data)
{
  CrmImportDialog *self = user_data;

  /* The customers are saved: a cancel could no longer undo the import. */
  if (progress->committed)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.cancel", FALSE);
  if (progress->fraction < 0)
    gtk_progress_bar_pulse (self->progress_bar);
  else
    gtk_progress_bar_set_fraction (self->progress_bar, progress->fraction);
  if (progress->text != NULL)
    gtk_progress_bar_set_text (self->progress_bar, progress->text);
}

static void
set_count (GtkLabel *label,
           guint64   n)
{
  g_autofree char *text = crm_format_count (n);

  gtk_label_set_label (label, text);
}

static void
fill_rejects (CrmImportDialog *self)
{
  GtkWidget *child;
  guint n = crm_importer_get_n_rejects (self->importer);
  const CrmImportReport *report = crm_importer_get_report (self->importer);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rejects_list))) != NULL)
    gtk_list_box_remove (self->rejects_list, child);

  for (guint i = 0; i < MIN (n, MAX_REJECTS_LISTED); i++)
    {
      const CrmImportReject *reject = crm_importer_get_reject (self->importer, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *line = crm_format_count ((gint64) reject->line);
      g_autofree char *where = NULL;

      if (reject->column_name != NULL)
        /* Translators: where a rejected row is: line number and column name. */
        where = g_strdup_printf (_("Line %s, column “%s”"), line, reject->column_name);
      else if (reject->column >= 0)
        where = g_strdup_printf (_("Line %s, column %d"), line, reject->column + 1);
      else
        where = g_strdup_printf (_("Line %s"), line);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), where);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), reject->reason);
      g_object_set_data (G_OBJECT (row), "crm-line", GSIZE_TO_POINTER ((gsize) reject->line));
      gtk_list_box_append (self->rejects_list, row);
    }

  if (report->rejected > MIN (n, MAX_REJECTS_LISTED))
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *more = crm_format_count (report->rejected - MIN (n, MAX_REJECTS_LISTED));
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "%s more rejected row is in the saved file",
                                                             "%s more rejected rows are in the saved file",
                                                             report->rejected - MIN (n, MAX_REJECTS_LISTED)),
                                                more);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->rejects_list, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->rejects_group), report->rejected > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.save-rejects",
                                 report->rejected > 0 && g_file_test (self->rejects_path, G_FILE_TEST_EXISTS));
}

/* Values of imported rows that could not be used as they were (issue 12), each with its line. */
static void
fill_warnings (CrmImportDialog *self)
{
  GtkWidget *child;
  guint n = crm_importer_get_n_warnings (self->importer);
  const CrmImportReport *report = crm_importer_get_report (self->importer);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->warnings_list))) != NULL)
    gtk_list_box_remove (self->warnings_list, child);

  for (guint i = 0; i < MIN (n, MAX_REJECTS_LISTED); i++)
    {
      const CrmImportWarning *w = crm_importer_get_warning (self->importer, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *line = crm_format_count ((gint64) w->line);
      g_autofree char *where = NULL;

      if (w->column_name != NULL)
        where = g_strdup_printf (_("Line %s, column “%s”"), line, w->column_name);
      else
        where = g_strdup_printf (_("Line %s"), line);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), where);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), w->message);
      gtk_list_box_append (self->warnings_list, row);
    }
  if (report->warnings > MIN (n, MAX_REJECTS_LISTED))
    {
      GtkWidget *row = adw_action_row_new ();
      guint64 rest = report->warnings - MIN (n, MAX_REJECTS_LISTED);
      g_autofree char *more = crm_format_count (rest);
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "and %s more value",
                                                             "and %s more values", rest), more);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->warnings_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->warnings_group), report->warnings > 0);
}

static void
fill_summary (CrmImportDialog *self)
{
  const CrmImportReport *report = crm_importer_get_report (self->importer);
  gboolean orders = self->kind == CRM_IMPORT_ORDERS;
  g_autofree char *count = crm_format_count (report->inserted + report->updated);
  g_autofree char *title = NULL;

  if (orders)
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %s order", "Imported %s orders",
                                          report->inserted + report->updated), count);
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %s customer", "Imported %s customers",
                                          report->inserted + report->updated), count);
  gtk_label_set_label (self->summary_title, title);

  set_count (self->inserted_label, report->inserted);
  set_count (self->updated_label, report->updated);
  set_count (self->skipped_label, report->skipped);
  set_count (self->rejected_label, report->rejected);
  set_count (self->created_label, report->customers_created);
  set_count (self->lines_label, report->order_lines);
  gtk_widget_set_visible (GTK_WIDGET (self->created_row), orders);
  gtk_widget_set_visible (GTK_WIDGET (self->lines_row), orders);

  fill_rejects (self);
  fill_warnings (self);
}

static void
import_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CrmImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->cancellable);

  if (!crm_importer_run_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          _crm_import_dialog_show_page (self, _crm_import_dialog_needs_mapping (self) ? "mapping" : "setup");
          adw_toast_overlay_add_toast (self->toast_overlay,
                                       adw_toast_new (_("Import cancelled; nothing was changed.")));
        }
      else
        {
          adw_status_page_set_description (self->error_page, error->message);
          _crm_import_dialog_show_page (self, "error");
        }
    }
  else
    {
      fill_summary (self);
      _crm_import_dialog_show_page (self, "summary");
    }

  if (self->close_when_done)
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
start_import (CrmImportDialog *self)
{
  static const CrmDuplicatePolicy policies[] = { CRM_DUPLICATE_SKIP, CRM_DUPLICATE_UPDATE, CRM_DUPLICATE_CREATE };
  guint policy = adw_combo_row_get_selected (self->duplicates_row);

  if (self->cancellable != NULL || !self->prepared || self->window == NULL)
    return;

  crm_importer_set_duplicate_policy (self->importer, policies[MIN (policy, G_N_ELEMENTS (policies) - 1)]);
  crm_importer_set_decimal_comma (self->importer, gtk_switch_get_active (self->decimal_switch));
  crm_importer_set_date_order (self->importer, adw_combo_row_get_selected (self->date_order_row) == 1
                                               ? CRM_DATE_MONTH_FIRST : CRM_DATE_DAY_FIRST);
  g_remove (self->rejects_path);

  self->cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, _("Starting…"));
  adw_status_page_set_title (self->progress_page,
                             self->kind == CRM_IMPORT_ORDERS ? _("Importing Orders…") : _("Importing Customers…"));
  _crm_import_dialog_show_page (self, "progress");

  crm_importer_run_async (self->importer, crm_window_get_session (self->window), self->cancellable, import_progress,
                          self, import_done, g_object_ref (self));
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmImportDialog *self = CRM_IMPORT_DIALOG (widget);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (g_str_equal (page, "summary"))
    gtk_window_close (GTK_WINDOW (self));
  else if (g_str_equal (page, "setup") && _crm_import_dialog_needs_mapping (self))
    _crm_import_dialog_show_page (self, "mapping");
  else if (g_str_equal (page, "setup") || g_str_equal (page, "mapping"))
    start_import (self);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmImportDialog *self = CRM_IMPORT_DIALOG (widget);

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      gtk_progress_bar_set_text (self->progress_bar, _("Cancelling…"));
    }
}

/* Rejects ------------------------------------------------------------------ */

gboolean
crm_import_dialog_save_rejects (CrmImportDialog  *self,
                                GFile            *destination,
                                GError          **error)
{
  g_autoptr(GFile) source = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (CRM_IS_IMPORT_DIALOG (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (destination), FALSE);

  /* A local file as every other output (0600, never through a link planted beside it);
   * only a remote location (GVfs) goes through GIO's copy. */
  if ((path = g_file_get_path (destination)) != NULL)
    return crm_output_file_copy (self->rejects_path, path, NULL, error);
  source = g_file_new_for_path (self->rejects_path);
  return g_file_copy (source, destination, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error);
}

static void
on_save_rejects_response (GtkNativeDialog *chooser,
                          int              response,
                          CrmImportDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      if (!crm_import_dialog_save_rejects (self, file, &error))
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      else
        {
          g_autofree char *name = g_file_get_basename (file);

          adw_toast_overlay_add_toast (self->toast_overlay,
                                       adw_toast_new_format (_("Saved the rejected rows to “%s”"), name));
        }
    }

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
save_rejects_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CrmImportDialog *self = CRM_IMPORT_DIALOG (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *base = g_path_get_basename (self->path);
  g_autofree char *stem = NULL;
  g_autofree char *name = NULL;
  char *dot;

  chooser = gtk_file_chooser_native_new (_("Save Rejected Rows"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  stem = g_strdup (base);
  if ((dot = strrchr (stem, '.')) != NULL && dot != stem)
    *dot = '\0';
  /* Translators: file name of the rejected rows; %s is the imported file's name without extension. */
  name = g_strdup_printf (_("%s-rejected"), stem);
  {
    g_autofree char *full = g_strconcat (name, g_str_has_suffix (self->rejects_path, ".vcf") ? ".vcf" : ".csv", NULL);

    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), full);
  }
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_rejects_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_crm_import_dialog_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "import.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "import.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "import.review", NULL, review_action);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "import.save-rejects", NULL, save_rejects_action);
}

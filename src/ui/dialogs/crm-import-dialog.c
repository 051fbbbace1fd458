/* crm-import-dialog.c
 *
 * The importer works on a connection of its own, the session's (opened when the dialog
 * opens): _crm_import_dialog_prepare() reads the header and a few rows on the main thread,
 * which is quick for any size of file; the run is a core job (crm_importer_run_async) while
 * the main window keeps reading through its own connection (WAL).  It is one transaction,
 * so Cancel leaves the database as it was; when it commits the session tells every view.
 *
 * The class spreads over three files as gnome-text-editor's do: this one holds
 * the window (construction, template, choosing the file),
 * crm-import-dialog-setup.c the setup and mapping pages and preparing the
 * importer, crm-import-dialog-actions.c the buttons, running the import, the
 * summary and the rejected rows; the instance struct is in
 * crm-import-dialog-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <langinfo.h>

#include "crm-import-dialog-private.h"
#include "crm-ui-util.h"

G_DEFINE_FINAL_TYPE (CrmImportDialog, crm_import_dialog, ADW_TYPE_WINDOW)

/* Accessors ---------------------------------------------------------------- */

const char *
crm_import_dialog_get_page (CrmImportDialog *self)
{
  g_return_val_if_fail (CRM_IS_IMPORT_DIALOG (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

CrmImporter *
crm_import_dialog_get_importer (CrmImportDialog *self)
{
  g_return_val_if_fail (CRM_IS_IMPORT_DIALOG (self), NULL);

  return self->importer;
}

AdwComboRow *
crm_import_dialog_get_encoding_row (CrmImportDialog *self)
{
  g_return_val_if_fail (CRM_IS_IMPORT_DIALOG (self), NULL);

  return self->encoding_row;
}

AdwComboRow *
crm_import_dialog_get_kind_row (CrmImportDialog *self)
{
  g_return_val_if_fail (CRM_IS_IMPORT_DIALOG (self), NULL);

  return self->kind_row;
}

const char *
crm_import_dialog_get_format_text (CrmImportDialog *self)
{
  g_return_val_if_fail (CRM_IS_IMPORT_DIALOG (self), NULL);

  return gtk_label_get_label (self->format_label);
}

GtkDropDown *
crm_import_dialog_get_mapping_dropdown (CrmImportDialog *self,
                                        guint            column)
{
  g_return_val_if_fail (CRM_IS_IMPORT_DIALOG (self), NULL);

  return column < self->dropdowns->len ? g_ptr_array_index (self->dropdowns, column) : NULL;
}

GtkListBox *
crm_import_dialog_get_rejects_list (CrmImportDialog *self)
{
  g_return_val_if_fail (CRM_IS_IMPORT_DIALOG (self), NULL);

  return self->rejects_list;
}

GtkListBox *
crm_import_dialog_get_warnings_list (CrmImportDialog *self)
{
  g_return_val_if_fail (CRM_IS_IMPORT_DIALOG (self), NULL);

  return self->warnings_list;
}

GtkProgressBar *
crm_import_dialog_get_progress_bar (CrmImportDialog *self)
{
  g_return_val_if_fail (CRM_IS_IMPORT_DIALOG (self), NULL);

  return self->progress_bar;
}

/* Construction ------------------------------------------------------------- */

static gboolean
crm_import_dialog_close_request (GtkWindow *window)
{
  CrmImportDialog *self = CRM_IMPORT_DIALOG (window);

  /* Closing mid-import cancels it; the window goes once the database is as before. */
  if (self->cancellable != NULL)
    {
      self->close_when_done = TRUE;
      g_cancellable_cancel (self->cancellable);
      return TRUE;
    }

  return GTK_WINDOW_CLASS (crm_import_dialog_parent_class)->close_request (window);
}

static void
remove_tmp_dir (CrmImportDialog *self)
{
  if (self->tmp_dir == NULL)
    return;
  if (self->rejects_path != NULL)
    g_remove (self->rejects_path);
  g_rmdir (self->tmp_dir);
}

static void
crm_import_dialog_dispose (GObject *object)
{
  CrmImportDialog *self = CRM_IMPORT_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (crm_import_dialog_parent_class)->dispose (object);
}

static void
crm_import_dialog_finalize (GObject *object)
{
  CrmImportDialog *self = CRM_IMPORT_DIALOG (object);

  remove_tmp_dir (self);
  g_clear_weak_pointer (&self->window);
  g_clear_object (&self->importer);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->field_model);
  g_clear_pointer (&self->dropdowns, g_ptr_array_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->tmp_dir, g_free);
  g_clear_pointer (&self->rejects_path, g_free);

  G_OBJECT_CLASS (crm_import_dialog_parent_class)->finalize (object);
}

static void
crm_import_dialog_class_init (CrmImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = crm_import_dialog_dispose;
  object_class->finalize = crm_import_dialog_finalize;
  window_class->close_request = crm_import_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, back_button);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, next_button);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, title_widget);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, prepare_error);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, format_label);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, encoding_row);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, delimiter_row);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, header_row);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, columns_group);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, options_group);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, mapping_row);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, duplicates_row);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, decimal_switch);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, date_order_row);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, mapping_grid);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, progress_page);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, summary_title);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, inserted_label);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, updated_label);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, skipped_label);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, rejected_label);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, created_row);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, created_label);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, lines_row);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, lines_label);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, rejects_group);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, rejects_list);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, warnings_group);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, warnings_list);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, error_page);
  gtk_widget_class_bind_template_callback_full (widget_class, "update_buttons", G_CALLBACK (_crm_import_dialog_update_buttons));

  _crm_import_dialog_class_actions_init (widget_class);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

/* Day first unless the locale writes dates month first (en_US: %m/%d/%y). */
static gboolean
locale_month_first (void)
{
  const char *format = nl_langinfo (D_FMT);

  return format != NULL && g_str_has_prefix (format, "%m");
}

static void
crm_import_dialog_init (CrmImportDialog *self)
{
  g_autoptr(GtkStringList) encoding_model = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->dropdowns = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (_crm_import_dialog_encodings); i++)
    gtk_string_list_append (encoding_model, crm_csv_encoding_get_label (_crm_import_dialog_encodings[i]));
  adw_combo_row_set_model (self->encoding_row, G_LIST_MODEL (encoding_model));
  crm_ui_combo_row_show_whole (self->encoding_row);
  adw_combo_row_set_selected (self->date_order_row, locale_month_first () ? 1 : 0);

  g_signal_connect_swapped (self->kind_row, "notify::selected", G_CALLBACK (_crm_import_dialog_on_kind_selected), self);
  g_signal_connect_swapped (self->encoding_row, "notify::selected", G_CALLBACK (_crm_import_dialog_on_layout_selected), self);
  g_signal_connect_swapped (self->delimiter_row, "notify::selected", G_CALLBACK (_crm_import_dialog_on_layout_selected), self);
  g_signal_connect_swapped (self->header_row, "notify::selected", G_CALLBACK (_crm_import_dialog_on_layout_selected), self);
  g_signal_connect_swapped (self->decimal_switch, "notify::active", G_CALLBACK (_crm_import_dialog_on_decimal_changed), self);
}

CrmImportDialog *
crm_import_dialog_new (CrmWindow *window,
                       GFile     *file)
{
  CrmImportDialog *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  CrmStore *main_store;

  g_return_val_if_fail (CRM_IS_WINDOW (window), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (CRM_TYPE_IMPORT_DIALOG,
                       "transient-for", window,
                       NULL);
  g_set_weak_pointer (&self->window, window);
  self->path = g_file_get_path (file);
  if (self->path == NULL)
    self->path = g_file_get_uri (file);

  base = g_path_get_basename (self->path);
  self->tmp_dir = g_dir_make_tmp ("clientele-import-XXXXXX", NULL);
  {
    g_autofree char *name = g_strconcat (base, ".rejects",
                                         g_str_has_suffix (base, ".vcf") || g_str_has_suffix (base, ".vcard")
                                         ? ".vcf" : ".csv", NULL);

    self->rejects_path = g_build_filename (self->tmp_dir != NULL ? self->tmp_dir : g_get_tmp_dir (), name, NULL);
  }

  main_store = crm_window_get_store (window);
  if (main_store != NULL)
    self->store = crm_session_open_store (crm_window_get_session (window), FALSE, &error);
  if (self->store == NULL)
    {
      adw_status_page_set_description (self->error_page,
                                       error != NULL ? error->message : _("No database is open."));
      _crm_import_dialog_show_page (self, "error");
      gtk_widget_set_visible (GTK_WIDGET (self->back_button), FALSE);
      return self;
    }

  /* Customers unless the file is a shop's order export. */
  _crm_import_dialog_make_importer (self, CRM_IMPORT_CUSTOMERS);
  if (crm_importer_prepare (self->importer, NULL, NULL) &&
      crm_importer_get_format (self->importer) == CRM_IMPORT_FORMAT_GENERIC)
    {
      g_autoptr(CrmImporter) orders = crm_importer_new (self->store, CRM_IMPORT_ORDERS, self->path);

      if (crm_importer_prepare (orders, NULL, NULL) &&
          crm_importer_get_format (orders) != CRM_IMPORT_FORMAT_GENERIC)
        _crm_import_dialog_make_importer (self, CRM_IMPORT_ORDERS);
    }
  _crm_import_dialog_prepare (self);
  _crm_import_dialog_show_page (self, "setup");

  return self;
}

/* Choosing the file -------------------------------------------------------- */

static void
on_choose_response (GtkNativeDialog *chooser,
                    int              response,
                    CrmWindow       *window)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      CrmImportDialog *dialog = crm_import_dialog_new (window, file);

      gtk_window_present (GTK_WINDOW (dialog));
    }

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (window);
}

void
crm_import_dialog_choose_file (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  CrmWindow *window = CRM_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) vcf = gtk_file_filter_new ();
  const char *patterns[] = { "*.csv", "*.CSV", "*.tsv", "*.TSV", "*.txt", "*.TXT" };

  if (crm_window_get_store (window) == NULL)
    {
      crm_window_add_toast (window, adw_toast_new (_("No database is open to import into.")));
      return;
    }

  chooser = gtk_file_chooser_native_new (_("Import Customers or Orders"), GTK_WINDOW (window),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  gtk_file_filter_set_name (all, _("Spreadsheets and Contacts"));
  gtk_file_filter_set_name (csv, _("Spreadsheets (CSV, TSV, TXT)"));
  gtk_file_filter_set_name (vcf, _("Contacts (vCard)"));
  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    {
      gtk_file_filter_add_pattern (all, patterns[i]);
      gtk_file_filter_add_pattern (csv, patterns[i]);
    }
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_mime_type (csv, "text/tab-separated-values");
  gtk_file_filter_add_mime_type (all, "text/csv");
  gtk_file_filter_add_mime_type (all, "text/vcard");
  gtk_file_filter_add_mime_type (vcf, "text/vcard");
  gtk_file_filter_add_mime_type (vcf, "text/x-vcard");
  gtk_file_filter_add_pattern (all, "*.vcf");
  gtk_file_filter_add_pattern (vcf, "*.vcf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), vcf);

  g_signal_connect (chooser, "response", G_CALLBACK (on_choose_response), g_object_ref (window));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* crm-import-dialog.c
 *
 * The importer works on a connection of its own (opened when the dialog opens):
 * prepare() reads the header and a few rows on the main thread, which is quick
 * for any size of file; run() happens in a GTask thread while the main window
 * keeps reading through its own connection (WAL).  run() is one transaction, so
 * Cancel leaves the database as it was.  Progress from the worker lands in a
 * mutex-guarded copy that a 100 ms timer shows, rather than one main-loop
 * callback per batch of rows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <langinfo.h>
#include <string.h>

#include "crm-customers-page.h"
#include "crm-format.h"
#include "crm-import-dialog.h"
#include "crm-tiers-page.h"
#include "crm-ui-util.h"

#define PREVIEW_ROWS_SHOWN   8
#define MAX_MAPPING_COLUMNS  200
#define MAX_REJECTS_LISTED   500

static const CrmCsvEncoding encodings[] = {
  CRM_CSV_ENCODING_UTF8,
  CRM_CSV_ENCODING_UTF8_BOM,
  CRM_CSV_ENCODING_UTF16LE,
  CRM_CSV_ENCODING_UTF16BE,
  CRM_CSV_ENCODING_GB18030,
  CRM_CSV_ENCODING_GBK,
  CRM_CSV_ENCODING_WINDOWS_1252,
};

static const char delimiters[] = { ',', ';', '\t' };

typedef struct
{
  GMutex                 lock;
  CrmImporter           *importer;
  CrmImportProgressInfo  info;
  gboolean               has_info;
} ImportJob;

struct _CrmImportDialog
{
  AdwWindow        parent_instance;

  CrmWindow       *window;        /* weak */
  char            *path;
  char            *tmp_dir;
  char            *rejects_path;
  CrmStore        *store;         /* the import's own connection */
  CrmImporter     *importer;
  CrmImportKind    kind;
  gboolean         prepared;
  gboolean         filling;
  gboolean         user_encoding;
  gboolean         user_delimiter;
  gboolean         user_header;
  gboolean         user_decimal;
  GPtrArray       *dropdowns;     /* GtkDropDown per source column */
  GtkStringList   *field_model;

  GCancellable    *cancellable;   /* while an import runs */
  ImportJob       *job;
  guint            tick_id;
  gboolean         close_when_done;

  /* template children */
  AdwToastOverlay *toast_overlay;
  GtkButton       *back_button;
  GtkButton       *cancel_button;
  GtkButton       *next_button;
  AdwWindowTitle  *title_widget;
  GtkStack        *stack;
  GtkLabel        *prepare_error;
  AdwActionRow    *format_row;
  GtkLabel        *format_label;
  AdwComboRow     *kind_row;
  AdwComboRow     *encoding_row;
  AdwComboRow     *delimiter_row;
  AdwComboRow     *header_row;
  AdwPreferencesGroup *columns_group;
  AdwPreferencesGroup *options_group;
  AdwActionRow    *mapping_row;
  AdwComboRow     *duplicates_row;
  GtkSwitch       *decimal_switch;
  AdwComboRow     *date_order_row;
  GtkGrid         *mapping_grid;
  AdwStatusPage   *progress_page;
  GtkProgressBar  *progress_bar;
  GtkLabel        *summary_title;
  GtkLabel        *inserted_label;
  GtkLabel        *updated_label;
  GtkLabel        *skipped_label;
  GtkLabel        *rejected_label;
  AdwActionRow    *created_row;
  GtkLabel        *created_label;
  AdwActionRow    *lines_row;
  GtkLabel        *lines_label;
  AdwPreferencesGroup *rejects_group;
  GtkListBox      *rejects_list;
  AdwStatusPage   *error_page;
};

G_DEFINE_FINAL_TYPE (CrmImportDialog, crm_import_dialog, ADW_TYPE_WINDOW)

static void update_buttons (CrmImportDialog *self);

static void
import_job_free (ImportJob *job)
{
  g_mutex_clear (&job->lock);
  g_clear_object (&job->importer);
  g_free (job);
}

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

GtkProgressBar *
crm_import_dialog_get_progress_bar (CrmImportDialog *self)
{
  g_return_val_if_fail (CRM_IS_IMPORT_DIALOG (self), NULL);

  return self->progress_bar;
}

/* Setup page --------------------------------------------------------------- */

static gboolean
needs_mapping (CrmImportDialog *self)
{
  return self->prepared && crm_importer_get_format (self->importer) == CRM_IMPORT_FORMAT_GENERIC;
}

static guint
count_mapped (CrmImportDialog *self,
              guint           *n_columns)
{
  guint n = 0, mapped = 0;

  crm_importer_get_columns (self->importer, &n);
  for (guint c = 0; c < n; c++)
    mapped += crm_importer_get_mapping (self->importer, c) != NULL;
  if (n_columns != NULL)
    *n_columns = n;
  return mapped;
}

static void
update_mapping_row (CrmImportDialog *self)
{
  g_autofree char *text = NULL;
  guint n_columns = 0, mapped;

  if (!self->prepared)
    {
      adw_action_row_set_subtitle (self->mapping_row, "");
      return;
    }

  mapped = count_mapped (self, &n_columns);
  if (crm_importer_get_format (self->importer) != CRM_IMPORT_FORMAT_GENERIC)
    /* Translators: %u of %u columns. */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Recognised: %u of %u column is mapped automatically",
                                         "Recognised: %u of %u columns are mapped automatically", n_columns),
                            mapped, n_columns);
  else if (crm_importer_get_mapping_remembered (self->importer))
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "As last time: %u of %u column is mapped",
                                         "As last time: %u of %u columns are mapped", n_columns),
                            mapped, n_columns);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u of %u column is mapped; check the rest on the next page",
                                         "%u of %u columns are mapped; check the rest on the next page", n_columns),
                            mapped, n_columns);
  adw_action_row_set_subtitle (self->mapping_row, text);
}

static void
update_title (CrmImportDialog *self)
{
  g_autofree char *name = g_path_get_basename (self->path);

  adw_window_title_set_title (self->title_widget,
                              self->kind == CRM_IMPORT_ORDERS ? _("Import Orders") : _("Import Customers"));
  adw_window_title_set_subtitle (self->title_widget, name);
}

static void
fill_setup (CrmImportDialog *self)
{
  gboolean vcard = self->prepared && crm_importer_get_format (self->importer) == CRM_IMPORT_FORMAT_VCARD;

  self->filling = TRUE;

  adw_combo_row_set_selected (self->kind_row, self->kind == CRM_IMPORT_ORDERS ? 1 : 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->kind_row), !vcard);
  gtk_widget_set_visible (GTK_WIDGET (self->encoding_row), !vcard);
  gtk_widget_set_visible (GTK_WIDGET (self->delimiter_row), !vcard);
  gtk_widget_set_visible (GTK_WIDGET (self->header_row), !vcard);

  if (self->prepared)
    {
      CrmCsvEncoding encoding = crm_importer_get_encoding (self->importer);
      char delimiter = crm_importer_get_delimiter (self->importer);

      gtk_label_set_label (self->format_label,
                           crm_import_format_get_label (crm_importer_get_format (self->importer)));
      for (guint i = 0; i < G_N_ELEMENTS (encodings); i++)
        if (encodings[i] == encoding)
          adw_combo_row_set_selected (self->encoding_row, i);
      for (guint i = 0; i < G_N_ELEMENTS (delimiters); i++)
        if (delimiters[i] == delimiter)
          adw_combo_row_set_selected (self->delimiter_row, i);
      adw_combo_row_set_selected (self->header_row, crm_importer_get_has_header (self->importer) ? 0 : 1);

      /* Semicolon files come from spreadsheets set to a decimal comma. */
      if (!self->user_decimal)
        gtk_switch_set_active (self->decimal_switch, delimiter == ';');
    }
  else
    gtk_label_set_label (self->format_label, "—");

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->encoding_row),
                               self->user_encoding ? _("Chosen by you") : _("Detected"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->delimiter_row),
                               self->user_delimiter ? _("Chosen by you") : _("Detected"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->header_row),
                               self->user_header ? _("Chosen by you") : _("Detected"));

  gtk_widget_set_sensitive (GTK_WIDGET (self->columns_group), self->prepared);
  gtk_widget_set_sensitive (GTK_WIDGET (self->options_group), self->prepared);
  self->filling = FALSE;

  update_title (self);
  update_mapping_row (self);
}

/* Mapping page ------------------------------------------------------------- */

static void
on_mapping_selected (GtkDropDown     *dropdown,
                     GParamSpec      *pspec,
                     CrmImportDialog *self)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dropdown), "crm-column"));
  guint selected = gtk_drop_down_get_selected (dropdown);
  const char * const *fields;
  guint n_fields;
  g_autoptr(GError) error = NULL;

  if (self->filling || self->importer == NULL)
    return;

  fields = crm_import_get_fields (self->kind, &n_fields);
  if (!crm_importer_set_mapping (self->importer, column,
                                 selected > 0 && selected <= n_fields ? fields[selected - 1] : NULL, &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));

  update_mapping_row (self);
  update_buttons (self);
}

static void
build_mapping (CrmImportDialog *self)
{
  GtkWidget *child;
  const char * const *columns;
  const char * const *fields;
  guint n_columns = 0, n_fields = 0, shown;
  GPtrArray *preview;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->mapping_grid))) != NULL)
    gtk_grid_remove (self->mapping_grid, child);
  g_ptr_array_set_size (self->dropdowns, 0);

  if (!self->prepared)
    return;

  fields = crm_import_get_fields (self->kind, &n_fields);
  g_clear_object (&self->field_model);
  self->field_model = gtk_string_list_new (NULL);
  /* Translators: the mapping choice of a column that is not imported. */
  gtk_string_list_append (self->field_model, _("Ignore"));
  for (guint f = 0; f < n_fields; f++)
    gtk_string_list_append (self->field_model, crm_import_field_get_label (self->kind, fields[f]));

  columns = crm_importer_get_columns (self->importer, &n_columns);
  preview = crm_importer_get_preview (self->importer);
  shown = MIN (n_columns, MAX_MAPPING_COLUMNS);

  self->filling = TRUE;
  for (guint c = 0; c < shown; c++)
    {
      GtkWidget *header = gtk_label_new (columns[c]);
      GtkWidget *dropdown;
      GtkExpression *expression;
      const char *field = crm_importer_get_mapping (self->importer, c);
      guint selected = 0;

      gtk_label_set_xalign (GTK_LABEL (header), 0.0);
      gtk_label_set_ellipsize (GTK_LABEL (header), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (header), 22);
      gtk_widget_set_tooltip_text (header, columns[c]);
      gtk_widget_add_css_class (header, "heading");
      gtk_grid_attach (self->mapping_grid, header, c, 0, 1, 1);

      expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
      dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->field_model)), expression);
      gtk_drop_down_set_enable_search (GTK_DROP_DOWN (dropdown), TRUE);
      gtk_widget_set_size_request (dropdown, 170, -1);
      for (guint f = 0; field != NULL && f < n_fields; f++)
        if (g_str_equal (fields[f], field))
          selected = f + 1;
      gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), selected);
      {
        /* Translators: accessible name of a column's field chooser; %s is the column's name. */
        g_autofree char *name = g_strdup_printf (_("Field for column “%s”"), columns[c]);

        gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      }
      g_object_set_data (G_OBJECT (dropdown), "crm-column", GUINT_TO_POINTER (c));
      g_signal_connect (dropdown, "notify::selected", G_CALLBACK (on_mapping_selected), self);
      gtk_grid_attach (self->mapping_grid, dropdown, c, 1, 1, 1);
      g_ptr_array_add (self->dropdowns, dropdown);

      for (guint r = 0; preview != NULL && r < MIN (preview->len, PREVIEW_ROWS_SHOWN); r++)
        {
          char **cells = g_ptr_array_index (preview, r);
          const char *text = c < g_strv_length (cells) ? cells[c] : "";
          GtkWidget *cell = gtk_label_new (text);

          gtk_label_set_xalign (GTK_LABEL (cell), 0.0);
          gtk_label_set_ellipsize (GTK_LABEL (cell), PANGO_ELLIPSIZE_END);
          gtk_label_set_max_width_chars (GTK_LABEL (cell), 22);
          gtk_label_set_single_line_mode (GTK_LABEL (cell), TRUE);
          if (r == 0)
            gtk_widget_set_margin_top (cell, 6);
          gtk_grid_attach (self->mapping_grid, cell, c, 2 + r, 1, 1);
        }
    }
  self->filling = FALSE;

  if (n_columns > shown)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u more column is not shown and is imported as mapped automatically",
                                                            "%u more columns are not shown and are imported as mapped automatically",
                                                            n_columns - shown),
                                               n_columns - shown);
      GtkWidget *more = gtk_label_new (text);

      gtk_widget_add_css_class (more, "dim-label");
      gtk_grid_attach (self->mapping_grid, more, shown, 0, 1, 2);
    }
}

/* Preparing ---------------------------------------------------------------- */

static void
prepare (CrmImportDialog *self)
{
  g_autoptr(GError) error = NULL;

  self->prepared = crm_importer_prepare (self->importer, NULL, &error);
  gtk_widget_set_visible (GTK_WIDGET (self->prepare_error), !self->prepared);
  if (!self->prepared)
    gtk_label_set_label (self->prepare_error, error->message);

  fill_setup (self);
  build_mapping (self);
  update_buttons (self);
}

static void
make_importer (CrmImportDialog *self,
               CrmImportKind    kind)
{
  g_clear_object (&self->importer);
  self->kind = kind;
  self->importer = crm_importer_new (self->store, kind, self->path);
  crm_importer_set_rejects_path (self->importer, self->rejects_path);
  if (self->user_encoding)
    crm_importer_set_encoding (self->importer, encodings[MIN (adw_combo_row_get_selected (self->encoding_row),
                                                              G_N_ELEMENTS (encodings) - 1)]);
  if (self->user_delimiter)
    crm_importer_set_delimiter (self->importer, delimiters[MIN (adw_combo_row_get_selected (self->delimiter_row),
                                                                G_N_ELEMENTS (delimiters) - 1)]);
  if (self->user_header)
    crm_importer_set_header_mode (self->importer, adw_combo_row_get_selected (self->header_row) == 0
                                                  ? CRM_CSV_HEADER_PRESENT : CRM_CSV_HEADER_ABSENT);
}

static void
on_kind_selected (CrmImportDialog *self)
{
  if (self->filling)
    return;

  make_importer (self, adw_combo_row_get_selected (self->kind_row) == 1 ? CRM_IMPORT_ORDERS : CRM_IMPORT_CUSTOMERS);
  prepare (self);
}

static void
on_layout_selected (CrmImportDialog *self,
                    GParamSpec      *pspec,
                    AdwComboRow     *row)
{
  guint selected = adw_combo_row_get_selected (row);

  if (self->filling || selected == GTK_INVALID_LIST_POSITION)
    return;

  if (row == self->encoding_row && selected < G_N_ELEMENTS (encodings))
    {
      self->user_encoding = TRUE;
      crm_importer_set_encoding (self->importer, encodings[selected]);
    }
  else if (row == self->delimiter_row && selected < G_N_ELEMENTS (delimiters))
    {
      self->user_delimiter = TRUE;
      crm_importer_set_delimiter (self->importer, delimiters[selected]);
    }
  else if (row == self->header_row)
    {
      self->user_header = TRUE;
      crm_importer_set_header_mode (self->importer, selected == 0 ? CRM_CSV_HEADER_PRESENT : CRM_CSV_HEADER_ABSENT);
    }

  prepare (self);
}

static void
on_decimal_changed (CrmImportDialog *self)
{
  if (!self->filling)
    self->user_decimal = TRUE;
}

/* Buttons and pages -------------------------------------------------------- */

static void
update_buttons (CrmImportDialog *self)
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

  if (g_str_equal (page, "setup") && needs_mapping (self))
    gtk_button_set_label (self->next_button, _("_Next"));
  else if (g_str_equal (page, "summary"))
    gtk_button_set_label (self->next_button, _("_Done"));
  else
    gtk_button_set_label (self->next_button, _("_Import"));

  /* Nothing mapped yet: Next still leads to the mapping, Import waits for one column. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.next",
                                 g_str_equal (page, "summary") ||
                                 (!running && self->prepared &&
                                  ((g_str_equal (page, "setup") && needs_mapping (self)) ||
                                   count_mapped (self, NULL) > 0)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.cancel", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.review", !running && self->prepared);
}

static void
show_page (CrmImportDialog *self,
           const char      *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  update_buttons (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmImportDialog *self = CRM_IMPORT_DIALOG (widget);

  if (self->cancellable == NULL)
    show_page (self, "setup");
}

static void
review_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  show_page (CRM_IMPORT_DIALOG (widget), "mapping");
}

/* Running ------------------------------------------------------------------ */

static void
import_progress (const CrmImportProgressInfo *info,
                 gpointer                     user_data)
{
  ImportJob *job = user_data;

  g_mutex_lock (&job->lock);
  job->info = *info;
  job->has_info = TRUE;
  g_mutex_unlock (&job->lock);
}

static gboolean
progress_tick (gpointer user_data)
{
  CrmImportDialog *self = user_data;
  CrmImportProgressInfo info;
  gboolean has_info;

  if (self->job == NULL)
    return G_SOURCE_CONTINUE;

  g_mutex_lock (&self->job->lock);
  info = self->job->info;
  has_info = self->job->has_info;
  g_mutex_unlock (&self->job->lock);

  if (!has_info)
    return G_SOURCE_CONTINUE;

  if (info.committed)
    {
      /* The customers are saved: a cancel could no longer undo the import. */
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.cancel", FALSE);
      gtk_progress_bar_pulse (self->progress_bar);
      gtk_progress_bar_set_text (self->progress_bar, _("Saved · updating the search index…"));
    }
  else if (info.indexing)
    {
      /* The rows are read; their indexes are made before they are saved. */
      gtk_progress_bar_pulse (self->progress_bar);
      gtk_progress_bar_set_text (self->progress_bar, _("Building indexes…"));
    }
  else
    {
      g_autofree char *rows = crm_format_count (info.rows);
      g_autofree char *rate = crm_format_count ((gint64) info.rows_per_second);
      g_autofree char *text = NULL;

      /* Translators: import progress: rows read so far and rows per second. */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s row · %s rows/s", "%s rows · %s rows/s",
                                           info.rows), rows, rate);
      if (info.bytes_total > 0)
        gtk_progress_bar_set_fraction (self->progress_bar,
                                       CLAMP ((double) info.bytes_read / info.bytes_total, 0.0, 1.0));
      gtk_progress_bar_set_text (self->progress_bar, text);
    }

  return G_SOURCE_CONTINUE;
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportJob *job = task_data;
  GError *error = NULL;

  if (!crm_importer_run (job->importer, import_progress, job, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
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
}

/* The main window's views catch up with what the import wrote. */
static void
after_import (CrmImportDialog *self)
{
  const CrmImportReport *report = crm_importer_get_report (self->importer);
  CrmCustomersPage *page;
  CrmCustomerList *list;

  if (self->window == NULL)
    return;

  page = crm_window_get_customers_page (self->window);
  crm_customers_page_update_currency (page);
  list = crm_customers_page_get_list (page);
  if (list != NULL)
    crm_customer_list_refresh (list);

  /* New orders change scores, tiers and stages; the recompute's "recomputed"
   * signal reloads what the list shows of them. */
  if (self->kind == CRM_IMPORT_ORDERS &&
      (report->inserted > 0 || report->updated > 0 || report->customers_created > 0))
    crm_tiers_page_recompute (crm_window_get_tiers_page (self->window));
}

static void
import_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CrmImportDialog *self = CRM_IMPORT_DIALOG (object);
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_object (&self->cancellable);
  self->job = NULL;   /* owned by the task */

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CANCELLED))
        {
          show_page (self, needs_mapping (self) ? "mapping" : "setup");
          adw_toast_overlay_add_toast (self->toast_overlay,
                                       adw_toast_new (_("Import cancelled; nothing was changed.")));
        }
      else
        {
          adw_status_page_set_description (self->error_page, error->message);
          show_page (self, "error");
        }
    }
  else
    {
      fill_summary (self);
      show_page (self, "summary");
      after_import (self);
    }

  if (self->close_when_done)
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
start_import (CrmImportDialog *self)
{
  g_autoptr(GTask) task = NULL;
  ImportJob *job;
  static const CrmDuplicatePolicy policies[] = { CRM_DUPLICATE_SKIP, CRM_DUPLICATE_UPDATE, CRM_DUPLICATE_CREATE };
  guint policy = adw_combo_row_get_selected (self->duplicates_row);

  if (self->cancellable != NULL || !self->prepared)
    return;

  crm_importer_set_duplicate_policy (self->importer, policies[MIN (policy, G_N_ELEMENTS (policies) - 1)]);
  crm_importer_set_decimal_comma (self->importer, gtk_switch_get_active (self->decimal_switch));
  crm_importer_set_date_order (self->importer, adw_combo_row_get_selected (self->date_order_row) == 1
                                               ? CRM_DATE_MONTH_FIRST : CRM_DATE_DAY_FIRST);
  g_remove (self->rejects_path);

  job = g_new0 (ImportJob, 1);
  g_mutex_init (&job->lock);
  job->importer = g_object_ref (self->importer);
  self->job = job;

  self->cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, _("Starting…"));
  adw_status_page_set_title (self->progress_page,
                             self->kind == CRM_IMPORT_ORDERS ? _("Importing Orders…") : _("Importing Customers…"));
  show_page (self, "progress");
  self->tick_id = g_timeout_add (100, progress_tick, self);

  task = g_task_new (self, self->cancellable, import_done, NULL);
  g_task_set_source_tag (task, start_import);
  g_task_set_task_data (task, job, (GDestroyNotify) import_job_free);
  g_task_run_in_thread (task, import_thread);
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
  else if (g_str_equal (page, "setup") && needs_mapping (self))
    show_page (self, "mapping");
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

  g_return_val_if_fail (CRM_IS_IMPORT_DIALOG (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (destination), FALSE);

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
  g_clear_handle_id (&self->tick_id, g_source_remove);
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
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, error_page);
  gtk_widget_class_bind_template_callback (widget_class, update_buttons);

  gtk_widget_class_install_action (widget_class, "import.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "import.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "import.review", NULL, review_action);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "import.save-rejects", NULL, save_rejects_action);
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

  for (guint i = 0; i < G_N_ELEMENTS (encodings); i++)
    gtk_string_list_append (encoding_model, crm_csv_encoding_get_label (encodings[i]));
  adw_combo_row_set_model (self->encoding_row, G_LIST_MODEL (encoding_model));
  adw_combo_row_set_selected (self->date_order_row, locale_month_first () ? 1 : 0);

  g_signal_connect_swapped (self->kind_row, "notify::selected", G_CALLBACK (on_kind_selected), self);
  g_signal_connect_swapped (self->encoding_row, "notify::selected", G_CALLBACK (on_layout_selected), self);
  g_signal_connect_swapped (self->delimiter_row, "notify::selected", G_CALLBACK (on_layout_selected), self);
  g_signal_connect_swapped (self->header_row, "notify::selected", G_CALLBACK (on_layout_selected), self);
  g_signal_connect_swapped (self->decimal_switch, "notify::active", G_CALLBACK (on_decimal_changed), self);
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
    self->store = crm_store_open (crm_store_get_path (main_store), &error);
  if (self->store == NULL)
    {
      adw_status_page_set_description (self->error_page,
                                       error != NULL ? error->message : _("No database is open."));
      show_page (self, "error");
      gtk_widget_set_visible (GTK_WIDGET (self->back_button), FALSE);
      return self;
    }

  /* Customers unless the file is a shop's order export. */
  make_importer (self, CRM_IMPORT_CUSTOMERS);
  if (crm_importer_prepare (self->importer, NULL, NULL) &&
      crm_importer_get_format (self->importer) == CRM_IMPORT_FORMAT_GENERIC)
    {
      g_autoptr(CrmImporter) orders = crm_importer_new (self->store, CRM_IMPORT_ORDERS, self->path);

      if (crm_importer_prepare (orders, NULL, NULL) &&
          crm_importer_get_format (orders) != CRM_IMPORT_FORMAT_GENERIC)
        make_importer (self, CRM_IMPORT_ORDERS);
    }
  prepare (self);
  show_page (self, "setup");

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

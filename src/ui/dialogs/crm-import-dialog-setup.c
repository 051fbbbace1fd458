/* crm-import-dialog-setup.c: the setup and mapping pages of the import
 * dialog.  _crm_import_dialog_prepare() reads the header and a few rows on the main thread, which
 * is quick for any size of file; the rows shown follow the choices made here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <string.h>

#include "crm-format.h"
#include "crm-import-dialog-private.h"
#include "crm-ui-util.h"

#define PREVIEW_ROWS_SHOWN   8
#define MAX_MAPPING_COLUMNS  200

const CrmCsvEncoding _crm_import_dialog_encodings[N_ENCODINGS] = {
  CRM_CSV_ENCODING_UTF8,
  CRM_CSV_ENCODING_UTF8_BOM,
  CRM_CSV_ENCODING_UTF16LE,
  CRM_CSV_ENCODING_UTF16BE,
  CRM_CSV_ENCODING_GB18030,
  CRM_CSV_ENCODING_GBK,
  CRM_CSV_ENCODING_WINDOWS_1252,
};

static const char delimiters[] = { ',', ';', '\t' };

/* Setup page --------------------------------------------------------------- */

gboolean
_crm_import_dialog_needs_mapping (CrmImportDialog *self)
{
  return self->prepared && crm_importer_get_format (self->importer) == CRM_IMPORT_FORMAT_GENERIC;
}

guint
_crm_import_dialog_count_mapped (CrmImportDialog *self,
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

  mapped = _crm_import_dialog_count_mapped (self, &n_columns);
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
      for (guint i = 0; i < G_N_ELEMENTS (_crm_import_dialog_encodings); i++)
        if (_crm_import_dialog_encodings[i] == encoding)
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
  _crm_import_dialog_update_buttons (self);
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

void
_crm_import_dialog_prepare (CrmImportDialog *self)
{
  g_autoptr(GError) error = NULL;

  self->prepared = crm_importer_prepare (self->importer, NULL, &error);
  gtk_widget_set_visible (GTK_WIDGET (self->prepare_error), !self->prepared);
  if (!self->prepared)
    gtk_label_set_label (self->prepare_error, error->message);

  fill_setup (self);
  build_mapping (self);
  _crm_import_dialog_update_buttons (self);
}

void
_crm_import_dialog_make_importer (CrmImportDialog *self,
                                  CrmImportKind    kind)
{
  g_clear_object (&self->importer);
  self->kind = kind;
  self->importer = crm_importer_new (self->store, kind, self->path);
  crm_importer_set_rejects_path (self->importer, self->rejects_path);
  if (self->user_encoding)
    crm_importer_set_encoding (self->importer, _crm_import_dialog_encodings[MIN (adw_combo_row_get_selected (self->encoding_row),
                                                                                 G_N_ELEMENTS (_crm_import_dialog_encodings) - 1)]);
  if (self->user_delimiter)
    crm_importer_set_delimiter (self->importer, delimiters[MIN (adw_combo_row_get_selected (self->delimiter_row),
                                                                G_N_ELEMENTS (delimiters) - 1)]);
  if (self->user_header)
    crm_importer_set_header_mode (self->importer, adw_combo_row_get_selected (self->header_row) == 0
                                                  ? CRM_CSV_HEADER_PRESENT : CRM_CSV_HEADER_ABSENT);
}

void
_crm_import_dialog_on_kind_selected (CrmImportDialog *self)
{
  if (self->filling)
    return;

  _crm_import_dialog_make_importer (self, adw_combo_row_get_selected (self->kind_row) == 1 ? CRM_IMPORT_ORDERS : CRM_IMPORT_CUSTOMERS);
  _crm_import_dialog_prepare (self);
}

void
_crm_import_dialog_on_layout_selected (CrmImportDialog *self,
                                       GParamSpec      *pspec,
                                       AdwComboRow     *row)
{
  guint selected = adw_combo_row_get_selected (row);

  if (self->filling || selected == GTK_INVALID_LIST_POSITION)
    return;

  if (row == self->encoding_row && selected < G_N_ELEMENTS (_crm_import_dialog_encodings))
    {
      self->user_encoding = TRUE;
      crm_importer_set_encoding (self->importer, _crm_import_dialog_encodings[selected]);
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

  _crm_import_dialog_prepare (self);
}

void
_crm_import_dialog_on_decimal_changed (CrmImportDialog *self)
{
  if (!self->filling)
    self->user_decimal = TRUE;
}

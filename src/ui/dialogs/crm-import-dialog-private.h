/* crm-import-dialog-private.h: the instance struct shared by the pieces of the
 * import dialog (see crm-import-dialog.c) and the functions they call in each
 * other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-import-dialog.h"

G_BEGIN_DECLS

/* The encodings the Encoding row offers, in its order (crm-import-dialog-setup.c). */
#define N_ENCODINGS 7
extern const CrmCsvEncoding _crm_import_dialog_encodings[N_ENCODINGS];

struct _CrmImportDialog
{
  AdwWindow        parent_instance;

  CrmWindow       *window;        /* weak */
  char            *path;
  char            *tmp_dir;
  char            *rejects_path;
  CrmStore        *store;         /* the import's own connection (the session's, so its
                                   * commit runs the order hooks and is announced) */
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
  AdwPreferencesGroup *warnings_group;
  GtkListBox      *warnings_list;
  AdwStatusPage   *error_page;
};


/* For tests: the page shown ("setup", "mapping", "progress", "summary" or
 * "error"), the importer, and the widgets a user reads and changes. */
const char      *crm_import_dialog_get_page       (CrmImportDialog *self);
CrmImporter     *crm_import_dialog_get_importer   (CrmImportDialog *self);
AdwComboRow     *crm_import_dialog_get_encoding_row  (CrmImportDialog *self);
AdwComboRow     *crm_import_dialog_get_kind_row      (CrmImportDialog *self);
const char      *crm_import_dialog_get_format_text   (CrmImportDialog *self);
/* The field chooser of source column @column on the mapping page (NULL if none). */
GtkDropDown     *crm_import_dialog_get_mapping_dropdown (CrmImportDialog *self,
                                                         guint            column);
GtkListBox      *crm_import_dialog_get_rejects_list  (CrmImportDialog *self);
GtkListBox      *crm_import_dialog_get_warnings_list (CrmImportDialog *self);
GtkProgressBar  *crm_import_dialog_get_progress_bar  (CrmImportDialog *self);

/* crm-import-dialog-setup.c */
gboolean _crm_import_dialog_needs_mapping      (CrmImportDialog *self);
guint    _crm_import_dialog_count_mapped       (CrmImportDialog *self,
                                                guint           *n_columns);
void     _crm_import_dialog_prepare            (CrmImportDialog *self);
void     _crm_import_dialog_make_importer      (CrmImportDialog *self,
                                                CrmImportKind    kind);
void     _crm_import_dialog_on_kind_selected   (CrmImportDialog *self);
void     _crm_import_dialog_on_layout_selected (CrmImportDialog *self,
                                                GParamSpec      *pspec,
                                                AdwComboRow     *row);
void     _crm_import_dialog_on_decimal_changed (CrmImportDialog *self);

/* crm-import-dialog-actions.c */
void     _crm_import_dialog_update_buttons     (CrmImportDialog *self);
void     _crm_import_dialog_show_page          (CrmImportDialog *self,
                                                const char      *name);
void     _crm_import_dialog_class_actions_init (GtkWidgetClass *widget_class);

G_END_DECLS

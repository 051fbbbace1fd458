/* crm-export-dialog.h: exporting the current customer view (its search, filters,
 * sort and saved segment) or all orders, to CSV (UTF-8 with or without BOM, GBK)
 * or vCard 3.0/4.0, in the background with progress and Cancel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-csv.h"
#include "crm-window.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_EXPORT_FORMAT_CSV,
  CRM_EXPORT_FORMAT_VCARD_3,
  CRM_EXPORT_FORMAT_VCARD_4,
} CrmExportFormat;

#define CRM_TYPE_EXPORT_DIALOG (crm_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CrmExportDialog, crm_export_dialog, CRM, EXPORT_DIALOG, AdwWindow)

CrmExportDialog *crm_export_dialog_new          (CrmWindow       *window);
/* "Export…": shows the dialog; a GtkWidgetActionActivateFunc for "window.export". */
void             crm_export_dialog_open         (GtkWidget       *widget,
                                                 const char      *action_name,
                                                 GVariant        *parameter);
/* What the user chose; for tests. */
void             crm_export_dialog_set_orders   (CrmExportDialog *self,
                                                 gboolean         orders);
void             crm_export_dialog_set_format   (CrmExportDialog *self,
                                                 CrmExportFormat  format);
void             crm_export_dialog_set_encoding (CrmExportDialog *self,
                                                 CrmCsvEncoding   encoding);
/* Starts writing @file (what the file chooser's Save does); the dialog closes and
 * the main window shows a toast when the file is complete. */
void             crm_export_dialog_export_to    (CrmExportDialog *self,
                                                 GFile           *file);
gboolean         crm_export_dialog_get_running  (CrmExportDialog *self);
/* The line describing the customer view being exported, e.g. "3 customers · matching “zhang”". */
const char      *crm_export_dialog_get_view_description (CrmExportDialog *self);

G_END_DECLS

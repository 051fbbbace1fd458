/* crm-import-dialog.h: importing customers or orders from a CSV or vCard file —
 * what was detected, the column mapping with a preview, options, progress with
 * Cancel, and the result with the rejected rows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-import.h"
#include "crm-window.h"

G_BEGIN_DECLS

#define CRM_TYPE_IMPORT_DIALOG (crm_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CrmImportDialog, crm_import_dialog, CRM, IMPORT_DIALOG, AdwWindow)

/* A dialog for @file over @window's database (not shown yet). */
CrmImportDialog *crm_import_dialog_new            (CrmWindow       *window,
                                                   GFile           *file);
/* "Import…": asks for a file, then shows the dialog.  A GtkWidgetActionActivateFunc
 * for "window.import" (@widget is the CrmWindow). */
void             crm_import_dialog_choose_file    (GtkWidget       *widget,
                                                   const char      *action_name,
                                                   GVariant        *parameter);

/* Copies the rejected rows of the last import to @destination. */
gboolean         crm_import_dialog_save_rejects   (CrmImportDialog *self,
                                                   GFile           *destination,
                                                   GError         **error);

G_END_DECLS

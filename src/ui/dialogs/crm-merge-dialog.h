/* crm-merge-dialog.h: "Merge Customers" — pick the other customer, choose the
 * value to keep per field, merge, and undo from the toast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-customer.h"
#include "crm-window.h"

G_BEGIN_DECLS

#define CRM_TYPE_MERGE_DIALOG (crm_merge_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CrmMergeDialog, crm_merge_dialog, CRM, MERGE_DIALOG, AdwWindow)

/* Merges into @survivor_id; @other_id 0 lets the user search for the other one. */
CrmMergeDialog *crm_merge_dialog_new          (CrmWindow      *window,
                                               gint64          survivor_id,
                                               gint64          other_id);
/* GtkWidgetActionActivateFunc for "window.merge-customer" (search for the other)
 * and "window.merge-duplicate" (the duplicate the editor warns about), both on
 * the customer open in the detail. */
void            crm_merge_dialog_open         (GtkWidget      *widget,
                                               const char     *action_name,
                                               GVariant       *parameter);

/* "choose" or "compare". */
const char     *crm_merge_dialog_get_page     (CrmMergeDialog *self);
/* Shows @other_id side by side with the survivor. */
gboolean        crm_merge_dialog_set_other    (CrmMergeDialog *self,
                                               gint64          other_id,
                                               GError        **error);
/* The radio of @field on the survivor's (@other FALSE) or the other's side;
 * NULL when the field is not offered (same value on both sides). */
GtkCheckButton *crm_merge_dialog_get_choice   (CrmMergeDialog   *self,
                                               CrmCustomerField  field,
                                               gboolean          other);
/* After Merge: the merge's id and its toast (with the Undo button). */
gint64          crm_merge_dialog_get_merge_id (CrmMergeDialog *self);
AdwToast       *crm_merge_dialog_get_toast    (CrmMergeDialog *self);
/* For tests: the search field and the list of candidates. */
GtkEditable    *crm_merge_dialog_get_search_entry (CrmMergeDialog *self);
GListModel     *crm_merge_dialog_get_candidates   (CrmMergeDialog *self);
/* Picks candidate @position as the other customer (what a click does). */
void            crm_merge_dialog_choose_candidate (CrmMergeDialog *self,
                                                   guint           position);

G_END_DECLS

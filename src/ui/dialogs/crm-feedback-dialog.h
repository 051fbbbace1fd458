/* crm-feedback-dialog.h: "Add Feedback…" for the customer open in the detail pane — a survey
 * answer, review, complaint, inquiry or suggestion (crm_feedback_add()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-window.h"

G_BEGIN_DECLS

#define CRM_TYPE_FEEDBACK_DIALOG (crm_feedback_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CrmFeedbackDialog, crm_feedback_dialog, CRM, FEEDBACK_DIALOG, AdwWindow)

CrmFeedbackDialog *crm_feedback_dialog_new   (CrmWindow         *window,
                                              gint64             customer_id);
/* GtkWidgetActionActivateFunc for "window.add-feedback": for the customer open in the detail
 * pane; a toast says to open one first otherwise. */
void               crm_feedback_dialog_open  (GtkWidget         *widget,
                                              const char        *action_name,
                                              GVariant          *parameter);

/* For tests: pick kind @kind (a key of crm_feedback_kinds()) and priority @priority. */
void               crm_feedback_dialog_set_kind     (CrmFeedbackDialog *self,
                                                     const char        *kind);
void               crm_feedback_dialog_set_priority (CrmFeedbackDialog *self,
                                                     const char        *priority);
GtkEditable       *crm_feedback_dialog_get_text_entry (CrmFeedbackDialog *self);
GtkSpinButton     *crm_feedback_dialog_get_score_spin (CrmFeedbackDialog *self);
/* What the last save attempt said was wrong, or NULL. */
const char        *crm_feedback_dialog_get_problem  (CrmFeedbackDialog *self);

G_END_DECLS

/* crm-feedback-page.h: the Feedback section — every survey answer, review, complaint, inquiry
 * and suggestion, filtered (open, overdue, mine, kind), with NPS, CSAT and the open and overdue
 * counts; the detail of an item with its workflow (only the legal next statuses are offered),
 * priority, assignee, a note and the history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-feedback.h"
#include "crm-session.h"

G_BEGIN_DECLS

#define CRM_TYPE_FEEDBACK_PAGE (crm_feedback_page_get_type ())
G_DECLARE_FINAL_TYPE (CrmFeedbackPage, crm_feedback_page, CRM, FEEDBACK_PAGE, AdwBin)

/* Works on @session's shop and follows what it announces; NULL shows nothing. */
void          crm_feedback_page_set_session    (CrmFeedbackPage *self,
                                                CrmSession      *session);
void          crm_feedback_page_set_folded     (CrmFeedbackPage *self,
                                                gboolean         folded);
/* The saved segments (CrmSegment) whose customers' scores the page can show. */
void          crm_feedback_page_set_segments   (CrmFeedbackPage *self,
                                                GListModel      *segments);
/* Re-reads the list (in the background). */
void          crm_feedback_page_reload         (CrmFeedbackPage *self);

/* For tests. */
GtkDropDown  *crm_feedback_page_get_segment_dropdown (CrmFeedbackPage *self);
gboolean      crm_feedback_page_get_loading    (CrmFeedbackPage *self);
/* The items listed, newest first (CrmFeedback). */
GPtrArray    *crm_feedback_page_get_items      (CrmFeedbackPage *self);
GtkListBox   *crm_feedback_page_get_list       (CrmFeedbackPage *self);
GtkToggleButton *crm_feedback_page_get_filter  (CrmFeedbackPage *self,
                                                const char      *which);   /* open, overdue, mine */
/* Selects the @i-th item and shows it. */
void          crm_feedback_page_select         (CrmFeedbackPage *self,
                                                guint            i);
CrmFeedback  *crm_feedback_page_get_shown      (CrmFeedbackPage *self);
/* The status button for @status in the detail, or NULL when that step is not offered. */
GtkButton    *crm_feedback_page_get_status_button (CrmFeedbackPage *self,
                                                const char      *status);
GtkEditable  *crm_feedback_page_get_note_entry (CrmFeedbackPage *self);
GtkEditable  *crm_feedback_page_get_assignee_entry (CrmFeedbackPage *self);
/* The history rows shown (AdwActionRow). */
guint         crm_feedback_page_get_n_history  (CrmFeedbackPage *self);
const char   *crm_feedback_page_get_summary    (CrmFeedbackPage *self);
/* "NPS by month: …", the last 6 months. */
const char   *crm_feedback_page_get_trend      (CrmFeedbackPage *self);
/* TRUE while a change is being written. */
gboolean      crm_feedback_page_get_saving     (CrmFeedbackPage *self);

G_END_DECLS

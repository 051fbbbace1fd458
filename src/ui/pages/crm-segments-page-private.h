/* crm-segments-page-private.h: the instance struct shared by the pieces of the
 * Segments page (see crm-segments-page.c) and the functions they call in each
 * other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-segments-page.h"

G_BEGIN_DECLS

struct _CrmSegmentsPage
{
  AdwBin               parent_instance;

  CrmSession          *session;
  CrmStore            *store;      /* the session's */
  GListStore          *segments;
  CrmSegment          *editing;
  GCancellable        *count_cancellable;
  guint                count_source;
  char                *count_text;
  GCancellable        *export_cancellable;
  char                *export_name;  /* the file being written, for the toast */
  gboolean             folded;

  /* template children */
  AdwHeaderBar        *header;
  GtkWidget           *back_button;
  AdwWindowTitle      *title_widget;
  GtkStack            *stack;
  AdwPreferencesGroup *rule_group;
  GtkSpinner          *count_spinner;
  GtkLabel            *count_label;
  CrmRuleEditor       *rule_editor;
  AdwEntryRow         *name_row;
  GtkWidget           *save_button;
  GtkListBox          *saved_list;
  GtkRevealer         *export_revealer;
  GtkProgressBar      *export_progress;
};

/* For tests only. */
CrmRuleEditor *crm_segments_page_get_rule_editor (CrmSegmentsPage *self);
GtkEditable   *crm_segments_page_get_name_entry  (CrmSegmentsPage *self);
/* "1,234 matching customers" for the rule being edited; NULL while counting
 * or while the rule is not valid. */
const char    *crm_segments_page_get_count_text  (CrmSegmentsPage *self);
/* Save is possible: a valid rule with a condition, and a name. */
gboolean       crm_segments_page_get_can_save    (CrmSegmentsPage *self);
/* TRUE while an export runs. */
gboolean       crm_segments_page_get_exporting   (CrmSegmentsPage *self);

/* crm-segments-page.c */
char       *_crm_segments_page_typed_name         (CrmSegmentsPage *self);
void        _crm_segments_page_update_actions     (CrmSegmentsPage *self);
void        _crm_segments_page_update_title       (CrmSegmentsPage *self);
CrmSegment *_crm_segments_page_find_segment       (CrmSegmentsPage *self,
                                                   gint64           id,
                                                   guint           *position);
/* The saved segment called @name other than @except, or NULL. */
CrmSegment *_crm_segments_page_find_named         (CrmSegmentsPage *self,
                                                   const char      *name,
                                                   CrmSegment      *except);
/* Saves the builder's rule; a namesake (another segment of that name) is refused, or its
 * rule replaced with @replace. */
gboolean    _crm_segments_page_save_full          (CrmSegmentsPage *self,
                                                   gboolean         replace,
                                                   GError         **error);

/* crm-segments-page-count.c */
void        _crm_segments_page_schedule_count     (CrmSegmentsPage *self);
void        _crm_segments_page_on_rule_changed    (CrmSegmentsPage *self);

/* crm-segments-page-actions.c */
void        _crm_segments_page_set_exporting      (CrmSegmentsPage *self,
                                                   gboolean         exporting);
void        _crm_segments_page_on_name_activated  (CrmSegmentsPage *self);
void        _crm_segments_page_class_actions_init (GtkWidgetClass *widget_class);

G_END_DECLS

/* crm-segments-page.h: the Segments section — the rule builder with a live
 * count, saved segments (rename, delete with undo, export to CSV).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-rule-editor.h"
#include "crm-segment.h"
#include "crm-session.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_SEGMENTS_PAGE (crm_segments_page_get_type ())
G_DECLARE_FINAL_TYPE (CrmSegmentsPage, crm_segments_page, CRM, SEGMENTS_PAGE, AdwBin)

/* Works on @session's shop (NULL: none); the live count follows what it announces. */
void           crm_segments_page_set_session     (CrmSegmentsPage *self,
                                                  CrmSession      *session);
void           crm_segments_page_set_folded      (CrmSegmentsPage *self,
                                                  gboolean         folded);
/* The saved segments (CrmSegment), in their order; the sidebar shows the same model. */
GListModel    *crm_segments_page_get_segments    (CrmSegmentsPage *self);
/* Loads a saved segment into the builder; saving then updates it. */
void           crm_segments_page_edit_segment    (CrmSegmentsPage *self,
                                                  CrmSegment      *segment);
/* Saves the builder's rule under the name typed. */
gboolean       crm_segments_page_save            (CrmSegmentsPage *self,
                                                  GError         **error);
gboolean       crm_segments_page_rename_segment  (CrmSegmentsPage *self,
                                                  CrmSegment      *segment,
                                                  const char      *name,
                                                  GError         **error);
/* Deletes it and offers Undo in a toast. */
gboolean       crm_segments_page_delete_segment  (CrmSegmentsPage *self,
                                                  CrmSegment      *segment,
                                                  GError         **error);
/* Writes the segment's customers to @file in the background (progress, Cancel). */
void           crm_segments_page_export_segment  (CrmSegmentsPage *self,
                                                  CrmSegment      *segment,
                                                  GFile           *file);

G_END_DECLS

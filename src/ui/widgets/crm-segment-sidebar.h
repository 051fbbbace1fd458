/* crm-segment-sidebar.h: saved segments in the window's sidebar, under a
 * "Segments" heading, as smart lists that open the customers they select.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "crm-segment.h"

G_BEGIN_DECLS

#define CRM_TYPE_SEGMENT_SIDEBAR (crm_segment_sidebar_get_type ())
G_DECLARE_FINAL_TYPE (CrmSegmentSidebar, crm_segment_sidebar, CRM, SEGMENT_SIDEBAR, GtkBox)

/* @model: CrmSegment items; the rows follow it. */
void        crm_segment_sidebar_set_model     (CrmSegmentSidebar *self,
                                               GListModel        *model);
GtkListBox *crm_segment_sidebar_get_list_box  (CrmSegmentSidebar *self);
void        crm_segment_sidebar_unselect      (CrmSegmentSidebar *self);
/* The segment of a row of the list box. */
CrmSegment *crm_segment_sidebar_get_row_segment (CrmSegmentSidebar *self,
                                                 GtkListBoxRow     *row);

G_END_DECLS

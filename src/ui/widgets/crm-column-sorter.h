/* crm-column-sorter.h: names a column for sorting in SQL, never sorts anything itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CRM_TYPE_COLUMN_SORTER (crm_column_sorter_get_type ())
G_DECLARE_FINAL_TYPE (CrmColumnSorter, crm_column_sorter, CRM, COLUMN_SORTER, GtkSorter)

CrmColumnSorter *crm_column_sorter_new        (const char *column);
const char      *crm_column_sorter_get_column (CrmColumnSorter *self);

/* Which column the user sorts by, read from a GtkColumnView's sorter: the
 * primary column's CrmColumnSorter column name (or NULL if the view is not
 * sorted) and whether it is descending. */
const char      *crm_column_sorter_get_primary (GtkSorter *view_sorter,
                                                gboolean  *descending);

G_END_DECLS

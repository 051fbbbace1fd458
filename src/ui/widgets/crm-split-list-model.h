/* crm-split-list-model.h: passes a list model through, splitting each large
 * replacement into a removal and an insertion.
 *
 * GTK 4.8's list views, when an items-changed removes a row they track (the
 * one at the top of the view, the focused or the selected one), look for it
 * among ALL the added items, one get_item() each.  CrmCustomerList swaps a new
 * result in with one items-changed (0, old, new): clearing a search over a
 * million customers then reads every page of the database on the main thread
 * (8 s measured, bench/bench-ui.sh).  And whatever the change, the view
 * keeps ~200 rows of widgets (GTK_LIST_VIEW_MAX_LIST_ITEMS): a new result
 * destroys and builds 200 rows of nine cells in one go (~110 ms).  Here the
 * old rows are removed and the new ones added a few dozen per main-loop turn
 * (see crm-split-list-model.c), never a tracked row among many added ones.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CRM_TYPE_SPLIT_LIST_MODEL (crm_split_list_model_get_type ())
G_DECLARE_FINAL_TYPE (CrmSplitListModel, crm_split_list_model, CRM, SPLIT_LIST_MODEL, GObject)

typedef void (*CrmSplitListModelFunc) (CrmSplitListModel *self,
                                       gpointer           user_data);

/* Changes removing or adding more than @max_rescan items are played in steps; @on_replace is called when one starts (the view should scroll to
 * the top, where the new rows are). */
CrmSplitListModel *crm_split_list_model_new         (GListModel            *model,
                                                     guint                  max_rescan,
                                                     CrmSplitListModelFunc  on_replace,
                                                     gpointer               user_data);
GListModel        *crm_split_list_model_get_model   (CrmSplitListModel     *self);
/* TRUE while a replacement is being played (positions past the rows shown so
 * far are not in the view yet). */
gboolean           crm_split_list_model_get_playing (CrmSplitListModel     *self);
/* Plays the rest of it now. */
void               crm_split_list_model_flush       (CrmSplitListModel     *self);

G_END_DECLS

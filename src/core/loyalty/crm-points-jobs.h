/* crm-points-jobs.h: the points ledger's reads and the programme's settings as CrmJobs, for
 * the interface (off the main thread).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-points.h"
#include "crm-session.h"

G_BEGIN_DECLS

typedef struct
{
  GPtrArray          *entries;     /* CrmPointsEntry, newest first */
  CrmPointsLiability  liability;
} CrmPointsView;

void           crm_points_view_free           (CrmPointsView *view);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmPointsView, crm_points_view_free)

/* The entries matching @filter (copied; at most @limit) and the liability; a newer load
 * supersedes one still running. */
void           crm_points_view_load_async     (CrmSession             *session,
                                               const CrmPointsFilter  *filter,
                                               guint                   limit,
                                               GCancellable           *cancellable,
                                               GAsyncReadyCallback     callback,
                                               gpointer                user_data);
CrmPointsView *crm_points_view_load_finish    (GAsyncResult           *result,
                                               GError                **error);

/* crm_points_settings_save() on a writing connection: a new start date re-earns every order. */
void           crm_points_settings_save_async (CrmSession              *session,
                                               const CrmPointsSettings *settings,
                                               GCancellable            *cancellable,
                                               GAsyncReadyCallback      callback,
                                               gpointer                 user_data);
gboolean       crm_points_settings_save_finish (GAsyncResult           *result,
                                               GError                **error);

G_END_DECLS

/* crm-session.h: one open shop — its database, its settings, and the news of every change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-job.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_SESSION (crm_session_get_type ())
G_DECLARE_FINAL_TYPE (CrmSession, crm_session, CRM, SESSION, GObject)

/* @path NULL: $CLIENTELE_DB or the default file (crm_store_default_path()).  Nothing is opened
 * yet; signals are delivered on the thread-default main context of the caller. */
CrmSession   *crm_session_new                 (const char          *path);
const char   *crm_session_get_path            (CrmSession          *self);
GMainContext *crm_session_get_context         (CrmSession          *self);

/* Whether opening will first upgrade the file or finish work a crash left, which takes a while
 * on a large file: a UI then opens with crm_session_open_async(). */
gboolean      crm_session_needs_upgrade       (CrmSession          *self);
/* Opens the main connection (creating or upgrading the file) and starts watching for changes. */
gboolean      crm_session_open                (CrmSession          *self,
                                               GError             **error);
/* The upgrade on a worker (a CrmJob), then crm_session_open() on the session's context. */
void          crm_session_open_async          (CrmSession          *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean      crm_session_open_finish         (CrmSession          *self,
                                               GAsyncResult        *result,
                                               GError             **error);
/* The main connection, for the session's thread only; NULL before crm_session_open(). */
CrmStore     *crm_session_get_store           (CrmSession          *self);

/* A new connection to the session's file for any thread: a writer carries the session's order
 * hooks and has its commits announced like the main connection's. */
CrmStore     *crm_session_open_store          (CrmSession          *self,
                                               gboolean             read_only,
                                               GError             **error);

/* Added to every writing connection of the session, the main one included and those opened
 * before.  A new session has crm_recompute_order_hook() and crm_points_order_hook() already. */
void          crm_session_add_order_hook      (CrmSession          *self,
                                               CrmStoreOrderHook    hook,
                                               gpointer             user_data,
                                               GDestroyNotify       destroy);

/* Shop settings.  The currency is the database's "currency" setting, else the default (the
 * app's preference, else the locale's); the region (ISO 3166-1 alpha-2, e.g. "CN") is the
 * database's "region" (crm_store_dup_region(): written when the database is made or upgraded to
 * schema 6, from the locale's territory, else "CN").  National phone numbers are completed with
 * it, so setting it re-keys them (crm_store_set_region()): crm_session_set_region() does it on
 * the main connection, crm_session_set_region_async() as a CrmJob, for a large file.  A change
 * is announced by "settings-changed" like any other. */
char         *crm_session_dup_currency        (CrmSession          *self);
gboolean      crm_session_set_currency        (CrmSession          *self,
                                               const char          *code,
                                               GError             **error);
void          crm_session_set_default_currency (CrmSession         *self,
                                               const char          *code);
const char   *crm_session_get_region          (CrmSession          *self);
gboolean      crm_session_set_region          (CrmSession          *self,
                                               const char          *region,
                                               GError             **error);
void          crm_session_set_region_async    (CrmSession          *self,
                                               const char          *region,
                                               GCancellable        *cancellable,
                                               CrmJobProgressFunc   progress,
                                               gpointer             progress_data,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean      crm_session_set_region_finish   (CrmSession          *self,
                                               GAsyncResult        *result,
                                               GError             **error);
/* The territory of the user's locale ("CN" for zh_CN.UTF-8), or NULL (crm_phone_locale_region()). */
const char   *crm_session_locale_region       (void);

/* Looks for writes of other programs (PRAGMA data_version) now rather than at the next poll;
 * e.g. when a window gains the focus. */
void          crm_session_check_external      (CrmSession          *self);

G_END_DECLS

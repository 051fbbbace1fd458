/* crm-session-private.h: what CrmJob needs of the session.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-job.h"
#include "crm-session.h"

G_BEGIN_DECLS

/* A connection for a job, from the session's few idle ones (their page cache stays warm
 * between jobs) or new; give it back when done. Any thread. */
CrmStore *crm_session_take_store   (CrmSession  *self,
                                    gboolean     read_only,
                                    GError     **error);
void      crm_session_return_store (CrmSession  *self,
                                    CrmStore    *store,
                                    gboolean     read_only);

/* Session's thread: @job becomes the running job of @kind; the one it replaces is returned
 * (a new reference), or NULL. */
CrmJob   *crm_session_replace_job  (CrmSession  *self,
                                    const char  *kind,
                                    CrmJob      *job);
/* Session's thread: @job is over; it stops being the running job of @kind. */
void      crm_session_job_done     (CrmSession  *self,
                                    const char  *kind,
                                    CrmJob      *job);

G_END_DECLS

/* crm-feedback-service.h: feedback and complaints — survey answers (NPS, CSAT), reviews,
 * complaints, inquiries and suggestions — and the workflow of complaints and inquiries: status,
 * assignee, priority with an SLA due time, and the history of every change.
 *
 * The workflow (crm_feedback_can_transition()):
 *
 *   from \ to      open   in-progress   waiting   resolved   closed
 *   open            ·         ✓            ✓          ✓         ·
 *   in-progress     ·         ·            ✓          ✓         ·
 *   waiting         ·         ✓            ·          ✓         ·
 *   resolved        ✓ (re-open)            ·          ·         ✓
 *   closed          ✓ (re-open)            ·          ·         ·
 *
 * "waiting" is waiting on the customer.  Nothing is closed without being resolved first, and
 * work in hand is not put back to "open" (re-opening is for resolved and closed items).  The
 * SLA clock starts when an item is opened or re-opened: due = that time + the priority's SLA
 * (crm_feedback_get_sla()).  An item is overdue as of T when it is open, in progress or waiting
 * and T is after its due time (at the due time itself it is still on time).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-feedback.h"
#include "crm-store.h"

G_BEGIN_DECLS

/* Stored keys, NULL-terminated. */
const char * const *crm_feedback_kinds              (void);  /* nps, csat, review, complaint, inquiry, suggestion */
const char * const *crm_feedback_statuses           (void);  /* open, in-progress, waiting, resolved, closed */
const char * const *crm_feedback_priorities         (void);  /* low, normal, high, urgent */
const char * const *crm_feedback_channels           (void);  /* phone, email, visit, chat, wechat, social, web, survey, other */
const char         *crm_feedback_kind_get_label     (const char *kind);
const char         *crm_feedback_status_get_label   (const char *status);
const char         *crm_feedback_priority_get_label (const char *priority);
const char         *crm_feedback_channel_get_label  (const char *channel);
gboolean            crm_feedback_kind_is_known      (const char *kind);
/* Complaints and inquiries have a status, an assignee and a due time. */
gboolean            crm_feedback_kind_has_workflow  (const char *kind);
/* open, in-progress and waiting. */
gboolean            crm_feedback_status_is_open     (const char *status);
gboolean            crm_feedback_can_transition     (const char *from,
                                                     const char *to);
/* The statuses @from may go to, in workflow order (NULL-terminated, static). */
const char * const *crm_feedback_next_statuses      (const char *from);

/* ---- SLA ---- */

/* "7d" (calendar days in the local zone: the same wall-clock time, whatever DST does) or
 * "72h" (elapsed hours); 1–365 days or 1–8760 hours.  A usage message otherwise. */
gboolean            crm_feedback_sla_parse          (const char *text,
                                                     guint      *amount,
                                                     gboolean   *days,
                                                     GError    **error);
/* The SLA of @priority: the setting "feedback_sla_PRIORITY", else the default (low 7d,
 * normal 72h, high 24h, urgent 4h).  Newly allocated. */
char               *crm_feedback_get_sla            (CrmStore   *store,
                                                     const char *priority);
gboolean            crm_feedback_set_sla            (CrmStore   *store,
                                                     const char *priority,
                                                     const char *sla,
                                                     GError    **error);
/* @from_ms + @sla; @tz NULL: the local zone.  0 when @sla is not valid. */
gint64              crm_feedback_sla_due            (const char *sla,
                                                     gint64      from_ms,
                                                     GTimeZone  *tz);
gboolean            crm_feedback_is_overdue         (CrmFeedback *feedback,
                                                     gint64       as_of);

/* ---- writing ---- */

/* Validates and stores @feedback (one transaction): a live customer; a known kind; a score
 * 0–10 for nps, 1–5 for csat and review, none for the rest; a known channel if any; the order,
 * if any, one of the customer's.  received_at is now unless set.  A complaint or inquiry starts
 * "open" with priority "normal" unless set, its due time from the SLA (@tz NULL: local), and a
 * first history entry. */
gboolean            crm_feedback_add                (CrmStore    *store,
                                                     CrmFeedback *feedback,
                                                     GTimeZone   *tz,
                                                     GError     **error);

typedef struct
{
  const char *status;    /* NULL: unchanged */
  const char *assignee;  /* NULL: unchanged; "": nobody */
  const char *priority;  /* NULL: unchanged; else the due time follows it */
  const char *note;      /* NULL or text kept in the history */
  const char *by;        /* NULL: crm_timeline_user_name() */
  gint64      at;        /* 0: now */
} CrmFeedbackChange;

/* Applies @change to @feedback (loaded from @store) and keeps it in the history, in one
 * transaction.  Refused with a translated message (CRM_STORE_ERROR_INVALID): an item without a
 * workflow, an unknown status or priority, a transition the table above does not allow (the
 * message lists the allowed ones), a change that changes nothing. */
gboolean            crm_feedback_apply              (CrmStore                *store,
                                                     CrmFeedback             *feedback,
                                                     const CrmFeedbackChange *change,
                                                     GTimeZone               *tz,
                                                     GError                 **error);

/* ---- reading ---- */

typedef struct
{
  gint64  at;
  char   *from_status;   /* NULL for the first entry */
  char   *to_status;
  char   *assignee;      /* after the change */
  char   *priority;      /* after the change */
  char   *by;
  char   *note;
} CrmFeedbackEvent;

void                crm_feedback_event_free         (CrmFeedbackEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmFeedbackEvent, crm_feedback_event_free)

/* The history of item @feedback_id, oldest first: a GPtrArray of CrmFeedbackEvent. */
GPtrArray          *crm_feedback_history            (CrmStore   *store,
                                                     gint64      feedback_id,
                                                     GError    **error);

typedef struct
{
  gint64      customer_id;  /* 0: all */
  const char *kind;         /* NULL: all */
  const char *assignee;     /* NULL: anyone */
  gboolean    open_only;    /* open, in progress or waiting */
  gboolean    overdue_only; /* … and past due as of @as_of */
  gint64      as_of;        /* 0: now */
  guint       limit;        /* 0: 1000 */
} CrmFeedbackFilter;

/* Live feedback matching @filter, newest received first: a GPtrArray of CrmFeedback. */
GPtrArray          *crm_feedback_list               (CrmStore                *store,
                                                     const CrmFeedbackFilter *filter,
                                                     GError                 **error);
/* The names of the customers @items (CrmFeedback) are about: customer id (gint64 *) → name. */
GHashTable         *crm_feedback_customer_names     (CrmStore                *store,
                                                     GPtrArray               *items,
                                                     GError                 **error);

G_END_DECLS

/* crm-timeline.h: every contact with a customer on one line of time — interactions logged by
 * hand, orders, refunds and feedback — newest first; and the logging of an interaction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-interaction.h"
#include "crm-store.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_TIMELINE_INTERACTION,
  CRM_TIMELINE_ORDER,
  CRM_TIMELINE_REFUND,
  CRM_TIMELINE_FEEDBACK,
} CrmTimelineKind;

typedef struct
{
  CrmTimelineKind  kind;
  gint64           id;          /* of the interaction, order, refund or feedback row */
  char            *uuid;        /* … and its uuid */
  gint64           at;          /* ms UTC */
  char            *channel;     /* interaction, order or feedback channel; may be NULL */
  char            *direction;   /* interaction: "in", "out" or NULL; order: payment method;
                                 * feedback: its workflow status or NULL */
  char            *text;        /* summary, order number, refund reason, feedback comment */
  char            *detail;      /* order status, the refunded order's number, feedback kind */
  gint64           amount;      /* order total, refund amount (minor units), feedback score */
  char            *currency;    /* orders and refunds */
  char            *logged_by;   /* interactions; feedback: the assignee */
} CrmTimelineEvent;

void           crm_timeline_event_free (CrmTimelineEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmTimelineEvent, crm_timeline_event_free)

/* Up to @limit events of customer @customer_id, newest first (the same instant: the latest
 * written first); @more (nullable) says whether older ones were left out.  A GPtrArray of
 * CrmTimelineEvent. */
GPtrArray     *crm_timeline_load       (CrmStore     *store,
                                        gint64        customer_id,
                                        guint         limit,
                                        gboolean     *more,
                                        GError      **error);

/* The user name of this account, for interactions' logged_by. */
const char    *crm_timeline_user_name  (void);

/* Logs @interaction: the time now and who logs it (crm_timeline_user_name()) unless set; the
 * store refuses an unknown channel or direction, an empty summary, a missing customer. */
gboolean       crm_timeline_log        (CrmStore       *store,
                                        CrmInteraction *interaction,
                                        GError        **error);

G_END_DECLS

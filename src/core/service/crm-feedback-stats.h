/* crm-feedback-stats.h: the scores of feedback — NPS and CSAT per period and segment, with
 * the trend per month — and the open and overdue complaints and inquiries.
 *
 * NPS = % promoters (9–10) − % detractors (0–6) of the NPS answers (7 and 8 are passives);
 * CSAT = % of the CSAT answers that are 4 or 5.  Both are 0 without answers (the counts say
 * whether there were any).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-rule.h"
#include "crm-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 nps_answers;
  gint64 promoters;
  gint64 passives;
  gint64 detractors;
  double nps;             /* −100 … 100 */
  gint64 csat_answers;
  gint64 satisfied;       /* CSAT 4 or 5 */
  double csat;            /* 0 … 100 */
  gint64 reviews;
  double review_average;  /* 1 … 5; 0 without reviews */
  gint64 open;            /* complaints and inquiries open, in progress or waiting (any time) */
  gint64 overdue;         /* … of which past due as of the stats' as_of */
} CrmFeedbackStats;

double    crm_feedback_nps          (gint64 promoters,
                                     gint64 detractors,
                                     gint64 answers);
double    crm_feedback_csat         (gint64 satisfied,
                                     gint64 answers);

/* Scores of the feedback received in (@from, @to] (@from 0: since always; @to 0: @as_of) of the
 * customers @segment matches (NULL: every customer), and the open and overdue items as of
 * @as_of (0: now), which no period or segment limits. */
gboolean  crm_feedback_stats_load   (CrmStore          *store,
                                     gint64             from,
                                     gint64             to,
                                     gint64             as_of,
                                     CrmRule           *segment,
                                     CrmFeedbackStats  *stats,
                                     GCancellable      *cancellable,
                                     GError           **error);

typedef struct
{
  int              year;
  int              month;    /* 1–12, local */
  gint64           start;    /* ms UTC, the first instant of the local month */
  CrmFeedbackStats stats;    /* scores only */
} CrmFeedbackTrendPoint;

/* The scores per local month (@tz NULL: local), the @months months up to and including the one
 * of @as_of (0: now), oldest first: a GArray of CrmFeedbackTrendPoint. */
GArray   *crm_feedback_trend        (CrmStore          *store,
                                     guint              months,
                                     gint64             as_of,
                                     GTimeZone         *tz,
                                     CrmRule           *segment,
                                     GCancellable      *cancellable,
                                     GError           **error);

G_END_DECLS

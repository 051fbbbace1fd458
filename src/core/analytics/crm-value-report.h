/* crm-value-report.h: what the Segments and Tiers pages and the customer
 * detail read — saved segments in order, members per tier and per lifecycle
 * stage, who moved tier at the last recompute, a customer's manual tier.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-customer.h"
#include "crm-store.h"

G_BEGIN_DECLS

/* Live saved segments (CrmSegment), by position then id. */
GPtrArray *crm_value_report_segments      (CrmStore   *store,
                                           GError    **error);
/* The next free position for a new segment. */
gint64     crm_value_report_next_position (CrmStore   *store);

typedef struct
{
  gint64  tier_id;      /* 0 = no tier */
  gint64  customers;
} CrmTierCount;

/* Live customers per tier (tiers without members are absent). */
GArray    *crm_value_report_tier_counts   (CrmStore   *store,
                                           GError    **error);

/* Live customers per lifecycle stage, indexed by CrmLifecycle. */
gboolean   crm_value_report_stage_counts  (CrmStore   *store,
                                           gint64      counts[CRM_LIFECYCLE_N_STAGES],
                                           GError    **error);

typedef struct
{
  gint64  customer_id;
  char   *name;
  gint64  from_id;      /* 0 = none */
  gint64  to_id;        /* 0 = none */
  gboolean up;          /* to a higher-ranked tier (or from none) */
} CrmTierMove;

typedef struct
{
  gint64  computed_at;  /* ms UTC of the last full recompute; 0 = never */
  gint64  n_up;
  gint64  n_down;
  GArray *moves;        /* CrmTierMove, at most the number asked for, ups first */
} CrmTierMoves;

/* The tier changes the last full recompute wrote (history rows at its time). */
CrmTierMoves *crm_value_report_tier_moves (CrmStore   *store,
                                           guint       max_listed,
                                           GError    **error);
void       crm_tier_moves_free            (CrmTierMoves *moves);

/* A customer's manual tier; FALSE if there is none.  @reason: free with g_free. */
gboolean   crm_value_report_get_override  (CrmStore   *store,
                                           gint64      customer_id,
                                           gint64     *tier_id,
                                           char      **reason,
                                           gint64     *expires_at);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmTierMoves, crm_tier_moves_free)

G_END_DECLS

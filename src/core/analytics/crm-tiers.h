/* crm-tiers.h: value tiers — rules, the default preset, overrides and history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-rfm.h"
#include "crm-store.h"
#include "crm-tier.h"

G_BEGIN_DECLS

/* The RFM condition of a tier, parsed from text such as
 *   "r>=4 fm>=3"  or  "segment=champions|loyal"  or  "r>=3, m=5"
 * Terms: r, f, m, fm with = >= <= > < and a score 1–5; segment= with keys of
 * crm_rfm_segment_to_string() separated by |.  All terms must hold. */
typedef struct
{
  guint8   min[4];        /* r, f, m, fm */
  guint8   max[4];
  guint32  segments;      /* bit per CrmRfmSegment; 0 = any */
  gboolean empty;
} CrmRfmCondition;

typedef struct
{
  gint64          tier_id;
  int             rank;
  gint64          min_spend;    /* 0 = no condition */
  gint64          min_orders;   /* 0 = no condition */
  gboolean        match_any;
  CrmRfmCondition rfm;
} CrmTierRule;

gboolean   crm_rfm_condition_parse   (const char            *text,
                                      CrmRfmCondition       *out,
                                      GError               **error);
gboolean   crm_rfm_condition_holds   (const CrmRfmCondition *cond,
                                      const CrmRfmRow       *row);

/* Live tiers, highest rank first, with parsed rules. */
GArray    *crm_tiers_load_rules      (CrmStore              *store,
                                      GError               **error);
/* The tier of a customer (spend and orders in the window, RFM row or NULL). */
gint64     crm_tiers_evaluate        (const GArray          *rules,
                                      const CrmRfmRow       *row);
/* Regular, Silver, Gold, VIP (translated names) when the store has no tiers. */
gboolean   crm_tiers_ensure_default  (CrmStore              *store,
                                      GError               **error);

gboolean   crm_tiers_set_override    (CrmStore              *store,
                                      gint64                 customer_id,
                                      gint64                 tier_id,
                                      const char            *reason,
                                      gint64                 expires_at,
                                      GError               **error);
gboolean   crm_tiers_clear_override  (CrmStore              *store,
                                      gint64                 customer_id,
                                      GError               **error);

typedef struct
{
  gint64  from_id;    /* 0 = none */
  gint64  to_id;
  gint64  at;         /* ms UTC */
  char   *reason;
} CrmTierChange;

/* The tier's rule in words, e.g. "spent ¥1,000.00 or more or 3 orders or more in the last 365
 * days", or "Every customer"; amounts in @currency. */
char      *crm_tier_describe_rule    (CrmTier               *tier,
                                      const char            *currency);

/* A customer's tier changes, oldest first. */
GArray    *crm_tiers_history         (CrmStore              *store,
                                      gint64                 customer_id,
                                      GError               **error);

G_END_DECLS

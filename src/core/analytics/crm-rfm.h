/* crm-rfm.h: recency, frequency and monetary scores and the named segments.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CRM_RFM_NONE,               /* not scored: no order in the window */
  CRM_RFM_CHAMPIONS,
  CRM_RFM_LOYAL,
  CRM_RFM_POTENTIAL_LOYALIST,
  CRM_RFM_NEW,
  CRM_RFM_PROMISING,
  CRM_RFM_NEED_ATTENTION,
  CRM_RFM_ABOUT_TO_SLEEP,
  CRM_RFM_AT_RISK,
  CRM_RFM_CANT_LOSE,
  CRM_RFM_HIBERNATING,
  CRM_RFM_LOST,
  CRM_RFM_N_SEGMENTS
} CrmRfmSegment;

typedef struct
{
  gint64  customer_id;
  gint64  monetary;     /* spend in the window, minor units */
  gint32  r_days;       /* days since the last order */
  gint32  frequency;    /* orders in the window */
  guint8  r_score;
  guint8  f_score;
  guint8  m_score;
  guint8  segment;      /* CrmRfmSegment */
} CrmRfmRow;

/* What a recompute knew about the population, to score one customer later the
 * same way: score >= s exactly when the value is above the cutoff for s
 * (r holds negated days, so "above" is "more recent"). */
typedef struct
{
  gint64  n;
  gint64  r[4];   /* cutoffs for scores 2, 3, 4, 5 */
  gint64  f[4];
  gint64  m[4];
} CrmRfmCutoffs;

/* Fills the scores and segments of @rows (any order); @cutoffs may be NULL. */
void           crm_rfm_score               (CrmRfmRow     *rows,
                                            gsize          n_rows,
                                            CrmRfmCutoffs *cutoffs);
/* Scores one row against a population's cutoffs. */
void           crm_rfm_score_one           (const CrmRfmCutoffs *cutoffs,
                                            CrmRfmRow     *row);
char          *crm_rfm_cutoffs_to_json     (const CrmRfmCutoffs *cutoffs);
gboolean       crm_rfm_cutoffs_from_json   (CrmRfmCutoffs *cutoffs,
                                            const char    *json);
CrmRfmSegment  crm_rfm_segment_for         (guint          r_score,
                                            guint          f_score,
                                            guint          m_score);
const char    *crm_rfm_segment_to_string   (CrmRfmSegment  segment);   /* "champions", ... */
const char    *crm_rfm_segment_get_label   (CrmRfmSegment  segment);   /* translated */
int            crm_rfm_segment_from_string (const char    *key);       /* -1 if unknown */

G_END_DECLS

/* crm-cdnow.h: reads the CDNOW purchase files (the reference data set of the
 * customer-value models) into per-customer calibration/hold-out summaries.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CRM_CDNOW_ERROR (crm_cdnow_error_quark ())

typedef enum
{
  CRM_CDNOW_ERROR_PARSE,
  CRM_CDNOW_ERROR_EMPTY,
  CRM_CDNOW_ERROR_INVALID_PERIOD,
} CrmCdnowError;

typedef struct
{
  guint  customer_id;    /* the master customer id (first column) */
  guint  x;              /* repeat transactions in the calibration period */
  double t_x;            /* weeks from the first purchase to the last calibration one */
  double T;              /* weeks from the first purchase to the end of calibration */
  guint  holdout_x;      /* transactions in the hold-out period */
  double holdout_value;  /* dollars spent in the hold-out period */
  double first_value;    /* dollars of the first transaction */
  double monetary_value; /* mean dollars of the calibration repeat transactions; 0 if x = 0 */
} CrmCdnowCustomer;

typedef struct
{
  CrmCdnowCustomer *customers;
  gsize             n_customers;
  guint             n_lines;          /* purchase lines read */
  guint             n_transactions;   /* after merging same-day purchases */
  guint             n_skipped;        /* customers whose first purchase is after calibration */
  guint             n_holdout_weeks;
  guint            *holdout_weekly;   /* all customers' transactions in each hold-out week */
} CrmCdnowSummary;

GQuark           crm_cdnow_error_quark (void);

/* Parses CDNOW_master.txt (id, date, CDs, dollars) or CDNOW_sample.txt
 * (master id, sample id, date, CDs, dollars) — the column count of the first line
 * decides.  Purchases on the same day are one transaction.  The calibration period
 * ends at the end of @calibration_end, the hold-out at the end of @holdout_end.
 * Errors name the line number. */
CrmCdnowSummary *crm_cdnow_parse       (const char       *contents,
                                        gsize             length,
                                        const GDate      *calibration_end,
                                        const GDate      *holdout_end,
                                        GError          **error);
CrmCdnowSummary *crm_cdnow_load        (const char       *path,
                                        const GDate      *calibration_end,
                                        const GDate      *holdout_end,
                                        GError          **error);
void             crm_cdnow_summary_free (CrmCdnowSummary *summary);

/* Column arrays for the models (g_free each); any out-pointer may be NULL. */
void             crm_cdnow_summary_get_arrays (const CrmCdnowSummary *summary,
                                               double               **x,
                                               double               **t_x,
                                               double               **T,
                                               double               **monetary_value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmCdnowSummary, crm_cdnow_summary_free)

G_END_DECLS

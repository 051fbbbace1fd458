/* crm-recompute.h: RFM scores, tiers and lifecycle stages for every customer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-job.h"
#include "crm-lifecycle.h"
#include "crm-rfm.h"
#include "crm-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64            as_of;          /* ms UTC; the end of the analysis window (0 = now) */
  int               window_days;    /* default 365 */
  CrmLifecycleRules lifecycle;
  gboolean          save;           /* store the window and the limits with the run, in its transaction */
} CrmRecomputeOptions;

typedef struct
{
  gsize   customers;
  gsize   scored;                         /* with an order in the window */
  gsize   tier_changes;
  gsize   lifecycle_changes;
  gsize   segments[CRM_RFM_N_SEGMENTS];
  gsize   stages[CRM_LIFECYCLE_N_STAGES];
  double  seconds;
} CrmRecomputeReport;

/* fraction in [0,1]; called on the calling thread. */
typedef void (*CrmProgressFunc) (double fraction, gpointer user_data);

/* Reads the options stored in the database (window, lifecycle limits). */
void      crm_recompute_options_init (CrmRecomputeOptions       *options,
                                      CrmStore                  *store);
gboolean  crm_recompute_options_save (const CrmRecomputeOptions *options,
                                      CrmStore                  *store,
                                      GError                   **error);

/* One pass over the orders in customer order; one transaction: a cancel or an
 * error leaves every score, tier and stage as it was. */
gboolean  crm_recompute              (CrmStore                  *store,
                                      const CrmRecomputeOptions *options,
                                      CrmProgressFunc            progress,
                                      gpointer                   user_data,
                                      GCancellable              *cancellable,
                                      CrmRecomputeReport        *report,
                                      GError                   **error);

/* crm_recompute() as a job on a writing connection of @session; @options NULL: the ones stored
 * in the database.  Progress: fractions. */
void      crm_recompute_async        (CrmSession                *session,
                                      const CrmRecomputeOptions *options,
                                      GCancellable              *cancellable,
                                      CrmJobProgressFunc         progress,
                                      gpointer                   progress_data,
                                      GAsyncReadyCallback        callback,
                                      gpointer                   user_data);
gboolean  crm_recompute_finish       (GAsyncResult              *result,
                                      CrmRecomputeReport        *report,
                                      GError                   **error);

/* A manual tier (@tier_id > 0: set it with @reason, until @expires_at ms UTC or 0; 0: clear it)
 * and what it changes for the customer, in one transaction. */
gboolean  crm_recompute_set_manual_tier (CrmStore               *store,
                                      gint64                     customer_id,
                                      gint64                     tier_id,
                                      const char                *reason,
                                      gint64                     expires_at,
                                      GError                   **error);

/* One customer's RFM row (scored against the last recompute's population),
 * stage and tier, now — what a new or edited order changes at once.  Runs in
 * the caller's transaction. */
gboolean  crm_recompute_customer     (CrmStore                  *store,
                                      gint64                     customer_id,
                                      gint64                     as_of,
                                      GError                   **error);
/* The order-write hook (CrmStoreOrderHook) every session installs: the customers whose orders a
 * transaction wrote get their scores, tier and stage as crm_recompute_customer() gives them;
 * past a few thousand customers (an import of orders) it runs one full crm_recompute() in the
 * writer's transaction instead. */
gboolean  crm_recompute_order_hook   (CrmStore                  *store,
                                      const gint64              *customer_ids,
                                      guint                      n_customers,
                                      gpointer                   user_data,
                                      GError                   **error);
/* Adds crm_recompute_order_hook() to @store. */
void      crm_recompute_watch_orders (CrmStore                  *store);

/* The RFM row stored for a customer by the last recompute; FALSE if none. */
gboolean  crm_recompute_get_rfm      (CrmStore                  *store,
                                      gint64                     customer_id,
                                      CrmRfmRow                 *out);

typedef struct
{
  int     from_stage;   /* -1 = none */
  int     to_stage;
  gint64  at;           /* ms UTC */
} CrmStageChange;

GArray   *crm_lifecycle_history      (CrmStore                  *store,
                                      gint64                     customer_id,
                                      GError                   **error);

G_END_DECLS

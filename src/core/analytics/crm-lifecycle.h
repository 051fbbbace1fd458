/* crm-lifecycle.h: where a customer stands, from the days of their orders.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "crm-customer.h"
#include "crm-store.h"

G_BEGIN_DECLS

typedef struct
{
  int    new_days;             /* first order at most this many days ago: New */
  double at_risk_factor;       /* silent for longer than k × the customer's median gap: At risk */
  double churn_factor;         /* … longer than this × the median gap: Churned */
  int    single_at_risk_days;  /* customers with one order: At risk after this many days */
  int    single_churn_days;    /*   … Churned after this many */
  int    min_at_risk_days;     /* a floor, so that weekly buyers are not At risk after 15 days */
} CrmLifecycleRules;

/* The database setting that holds the rules as JSON (crm_recompute_options_init reads it). */
#define CRM_LIFECYCLE_RULES_SETTING "lifecycle.rules"

void          crm_lifecycle_rules_init_default (CrmLifecycleRules       *rules);
gboolean      crm_lifecycle_rules_equal        (const CrmLifecycleRules *a,
                                                const CrmLifecycleRules *b);
/* FALSE with G_IO_ERROR_INVALID_DATA naming what is wrong (e.g. churn before
 * at risk); @field, if not NULL, gets the JSON member of the limit to fix
 * ("churn_factor", …) or NULL. */
gboolean      crm_lifecycle_rules_check        (const CrmLifecycleRules *rules,
                                                const char             **field,
                                                GError                 **error);
/* Defaults, overridden by the members present in @json (NULL: defaults), then checked. */
gboolean      crm_lifecycle_rules_load         (CrmLifecycleRules       *rules,
                                                const char              *json,
                                                GError                 **error);
/* Locale-independent JSON (a decimal point, never a comma). */
char         *crm_lifecycle_rules_to_json      (const CrmLifecycleRules *rules);
/* Checks @rules and stores them in the database; rules that fail the check are
 * refused and the stored ones stay.  Stages change at the next recompute. */
gboolean      crm_lifecycle_rules_save         (CrmStore                *store,
                                                const CrmLifecycleRules *rules,
                                                GError                 **error);

/* @days: the days (since 1970-01-01 UTC) of the customer's orders up to @today,
 * ascending (same-day orders may repeat).  Returns the stage and, in @since, the
 * day that stage began (an order's day, or the day a silence crossed a limit). */
CrmLifecycle  crm_lifecycle_classify           (const CrmLifecycleRules *rules,
                                                const gint32            *days,
                                                gsize                    n_days,
                                                gint32                   today,
                                                gint32                  *since);

G_END_DECLS

/* crm-customer-value.h: the "Value" group of the customer detail — RFM scores
 * and segment, tier with its history and a manual tier, lifecycle stage with
 * its history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-session.h"

G_BEGIN_DECLS

#define CRM_TYPE_CUSTOMER_VALUE (crm_customer_value_get_type ())
G_DECLARE_FINAL_TYPE (CrmCustomerValue, crm_customer_value, CRM, CUSTOMER_VALUE, AdwBin)

/* Shows customer @customer_id of @session's shop; 0 hides the group (a new customer).  The
 * values are read by a job: they show a moment later. */
void        crm_customer_value_set_customer     (CrmCustomerValue *self,
                                                 CrmSession       *session,
                                                 gint64            customer_id);
/* Re-reads what is shown (by a job). */
void        crm_customer_value_refresh          (CrmCustomerValue *self);
/* Whether a read is under way (tests wait for it). */
gboolean    crm_customer_value_get_loading      (CrmCustomerValue *self);
/* The RFM segment label shown ("Champions"), or the "not scored" text. */
const char *crm_customer_value_get_segment_text (CrmCustomerValue *self);
const char *crm_customer_value_get_tier_text    (CrmCustomerValue *self);
/* Sets (tier_id > 0) or clears (0) the manual tier and places the customer at
 * once, in one transaction; @expires_at ms UTC or 0.  The session announces the change. */
gboolean    crm_customer_value_set_manual_tier  (CrmCustomerValue *self,
                                                 gint64            tier_id,
                                                 const char       *reason,
                                                 gint64            expires_at,
                                                 GError          **error);

G_END_DECLS

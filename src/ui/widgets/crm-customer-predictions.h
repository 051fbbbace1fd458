/* crm-customer-predictions.h: the "Predictions" group of the customer detail —
 * expected purchases in the next 30/90/365 days, the probability of still being
 * a customer, the predicted lifetime value, the churn-risk band and the
 * products to offer next.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_CUSTOMER_PREDICTIONS (crm_customer_predictions_get_type ())
G_DECLARE_FINAL_TYPE (CrmCustomerPredictions, crm_customer_predictions, CRM, CUSTOMER_PREDICTIONS, AdwBin)

/* Shows customer @customer_id of @store; 0 hides the group (a new customer). */
void        crm_customer_predictions_set_customer     (CrmCustomerPredictions *self,
                                                       CrmStore               *store,
                                                       gint64                  customer_id);
/* Re-reads the stored prediction and recommendations (two indexed look-ups). */
void        crm_customer_predictions_refresh          (CrmCustomerPredictions *self);
/* What is shown, for tests: P(alive) as a percentage ("83%"), NULL when the
 * customer has no prediction; the CLV; the risk band's label; the
 * recommended products' names, best first. */
const char *crm_customer_predictions_get_p_alive_text (CrmCustomerPredictions *self);
const char *crm_customer_predictions_get_clv_text     (CrmCustomerPredictions *self);
const char *crm_customer_predictions_get_risk_text    (CrmCustomerPredictions *self);
GStrv       crm_customer_predictions_dup_products     (CrmCustomerPredictions *self);

/* For tests: "Compute Now" (visible when computing would give this customer a prediction)
 * and the group's description (when there is none, why). */
GtkWidget  *crm_customer_predictions_get_compute_button (CrmCustomerPredictions *self);
const char *crm_customer_predictions_get_reason         (CrmCustomerPredictions *self);

G_END_DECLS

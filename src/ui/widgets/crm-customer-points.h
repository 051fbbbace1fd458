/* crm-customer-points.h: the "Loyalty Points" group of the customer detail — the balance
 * (negative when refunds took back points already spent), what expires next, and Redeem… and
 * Adjust… for the counter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-session.h"

G_BEGIN_DECLS

#define CRM_TYPE_CUSTOMER_POINTS (crm_customer_points_get_type ())
G_DECLARE_FINAL_TYPE (CrmCustomerPoints, crm_customer_points, CRM, CUSTOMER_POINTS, AdwBin)

/* Shows customer @customer_id of @session's shop (0 hides the group) and follows the session's
 * news of them. */
void        crm_customer_points_set_customer     (CrmCustomerPoints *self,
                                                  CrmSession        *session,
                                                  gint64             customer_id);
void        crm_customer_points_refresh          (CrmCustomerPoints *self);
gint64      crm_customer_points_get_balance      (CrmCustomerPoints *self);
const char *crm_customer_points_get_balance_text (CrmCustomerPoints *self);

/* The dialog of Redeem… (@redeem) or Adjust…, shown over the window; for tests: its spin
 * button and reason entry are its data "points" and "reason", its answer "apply". */
AdwMessageDialog *crm_customer_points_open_dialog (CrmCustomerPoints *self,
                                                   gboolean           redeem);

G_END_DECLS

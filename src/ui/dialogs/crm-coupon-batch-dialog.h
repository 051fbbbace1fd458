/* crm-coupon-batch-dialog.h: "New Coupon Batch" — name, prefix, codes to make or a segment to
 * issue to, the discount, its minimum spend and validity, uses per code and per customer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_COUPON_BATCH_DIALOG (crm_coupon_batch_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CrmCouponBatchDialog, crm_coupon_batch_dialog, CRM, COUPON_BATCH_DIALOG, AdwWindow)

/* Over @parent, for @store's shop (amounts in @currency).  "created" is emitted once the batch is
 * made (and issued); the dialog then closes. */
CrmCouponBatchDialog *crm_coupon_batch_dialog_new    (GtkWindow            *parent,
                                                      CrmStore             *store,
                                                      const char           *currency);
/* What "Create" does: checks the form, makes the batch; FALSE with the error shown in the dialog. */
gboolean              crm_coupon_batch_dialog_create (CrmCouponBatchDialog *self,
                                                      GError              **error);

/* For tests: fills the form as a user would type it. */
void                  crm_coupon_batch_dialog_fill   (CrmCouponBatchDialog *self,
                                                      const char           *name,
                                                      const char           *prefix,
                                                      guint                 count,
                                                      gboolean              percent,
                                                      const char           *value,
                                                      const char           *min_spend,
                                                      const char           *until,
                                                      const char           *segment);

G_END_DECLS

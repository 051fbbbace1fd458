/* crm-coupons-page.h: the Coupons section — coupon batches with their discount, issued and
 * redeemed codes and redemption rate, "New Batch…" and the export of a batch's codes as CSV.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-session.h"

G_BEGIN_DECLS

#define CRM_TYPE_COUPONS_PAGE (crm_coupons_page_get_type ())
G_DECLARE_FINAL_TYPE (CrmCouponsPage, crm_coupons_page, CRM, COUPONS_PAGE, AdwBin)

/* Works on @session's shop; NULL shows nothing. */
void      crm_coupons_page_set_session  (CrmCouponsPage *self,
                                         CrmSession     *session);
void      crm_coupons_page_set_folded   (CrmCouponsPage *self,
                                         gboolean        folded);
/* Reads the batches again. */
void      crm_coupons_page_reload       (CrmCouponsPage *self);

/* For tests: the rows shown (batch names and their subtitles), the dialog "New Batch…" opened,
 * and the export of batch @name without the file chooser. */
guint       crm_coupons_page_get_n_batches (CrmCouponsPage *self);
const char *crm_coupons_page_get_subtitle  (CrmCouponsPage *self,
                                            const char     *name);
GtkWindow  *crm_coupons_page_new_batch     (CrmCouponsPage *self);
/* What "Issue…" does once a segment is chosen: one code of batch @name for every member of
 * @segment who holds none; how many in @out_issued. */
gboolean    crm_coupons_page_issue         (CrmCouponsPage *self,
                                            const char     *name,
                                            const char     *segment,
                                            guint          *out_issued,
                                            GError        **error);
gboolean    crm_coupons_page_export        (CrmCouponsPage *self,
                                            const char     *name,
                                            const char     *path,
                                            GError        **error);

G_END_DECLS

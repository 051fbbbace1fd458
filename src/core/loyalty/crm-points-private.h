/* crm-points-private.h: what crm-points.c and crm-points-query.c share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-points.h"

G_BEGIN_DECLS

gint64    crm_points_now            (void);
/* Tests: "now" is @now_ms for redemptions, reversals and expiry (0: the real time again). */
void      crm_points_set_clock_for_testing (gint64 now_ms);
/* The customer's row of points_balances: the sum of their ledger. */
gint64    crm_points_cached_balance (CrmStore       *store,
                                     gint64          customer_id);
gboolean  crm_points_insert         (CrmStore       *store,
                                     gint64          customer_id,
                                     CrmPointsKind   kind,
                                     gint64          points,
                                     gint64          at,
                                     gint64          expires_at,
                                     gint64          order_id,
                                     const char     *reason,
                                     GError        **error);
/* Writes what is due to expire at @as_of for @customer_id (0: everybody), in the open
 * transaction. */
gboolean  crm_points_expire_due     (CrmStore       *store,
                                     gint64          customer_id,
                                     gint64          as_of,
                                     gint64         *out_points,
                                     gint64         *out_customers,
                                     GError        **error);

G_END_DECLS

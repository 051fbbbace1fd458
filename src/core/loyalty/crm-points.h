/* crm-points.h: the loyalty programme's points — an append-only ledger per customer and the
 * programme's settings.
 *
 * The ledger (points_ledger) has five kinds of entry: earn (an order, or points given by hand),
 * redeem, adjust (by hand, with a reason), expire and reverse (what an order earned and no longer
 * does: refunded, cancelled, edited down, deleted).  A customer's balance is the sum of the
 * ledger; points_balances caches it per customer, kept by a trigger in the same statement as each
 * entry (tests/test-loyalty.c checks it equals the sum after every operation).
 *
 * Earning: crm_points_order_hook() runs for every writer of orders (a session adds it to all its
 * connections), and makes each touched order's points what its paid net total earns: a new
 * order earns, an edit earns or reverses the difference, a refund (which lowers the order's
 * total) reverses its share, a cancelled or deleted order reverses all.  An order earns at the
 * rate of its first entry (points per currency unit × the tier's multiplier at the order's time
 * × the birthday-month bonus), so that changing the settings never changes what past orders
 * are worth.  Points expire first-in-first-out: every positive entry is a lot expiring
 * expiry-months after it; a reverse takes from its order's lot; other spending takes from the
 * oldest lots.  What is due on a date is therefore sum(points) over the entries that are not
 * lots or whose lot expired by then, when it is above zero.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-store.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_POINTS_EARN,
  CRM_POINTS_REDEEM,
  CRM_POINTS_ADJUST,
  CRM_POINTS_EXPIRE,
  CRM_POINTS_REVERSE,
} CrmPointsKind;

#define CRM_POINTS_N_KINDS 5

/* "earn", "redeem", … as stored; NULL for an unknown kind. */
const char   *crm_points_kind_to_string  (CrmPointsKind  kind);
gboolean      crm_points_kind_from_string (const char    *text,
                                           CrmPointsKind *out);
/* Translated: "Earned", "Redeemed", … */
const char   *crm_points_kind_get_label  (CrmPointsKind  kind);

typedef struct
{
  gint64  start;                /* ms UTC: orders placed from then on earn */
  double  points_per_unit;      /* per major unit of the order's currency (¥1): default 1 */
  guint   expiry_months;        /* 1–120, default 12 */
  double  birthday_multiplier;  /* orders in the customer's birthday month: default 1 (none) */
  gint64  min_redemption;       /* fewest points one redemption takes: default 1 */
  gint64  point_value;          /* minor units a point is worth, for the liability: default 1 */
} CrmPointsSettings;

void          crm_points_settings_load   (CrmStore                *store,
                                          CrmPointsSettings       *out);
/* Checks and writes @settings in one transaction; a new start date re-earns every customer's
 * orders by it (orders now before the start reverse, those now after earn).  Refused
 * (CRM_STORE_ERROR_INVALID) with a message: a rate not above 0 or over 1000, expiry outside
 * 1–120 months, a birthday multiplier under 1 or over 10, a minimum under 1, a value under 0. */
gboolean      crm_points_settings_save   (CrmStore                *store,
                                          const CrmPointsSettings *settings,
                                          GError                 **error);

/* The order hook (crm_store_add_order_hook()): brings the points of every order of
 * @customer_ids (and of orders that moved away from them) to what the order earns now. */
gboolean      crm_points_order_hook      (CrmStore      *store,
                                          const gint64  *customer_ids,
                                          guint          n_customers,
                                          gpointer       user_data,
                                          GError       **error);
/* The same for every customer at once (a new start date). */
gboolean      crm_points_earn_all        (CrmStore      *store,
                                          GError       **error);
/* Adds crm_points_order_hook() to @store (what a session does for each connection). */
void          crm_points_watch_orders    (CrmStore      *store);

/* Points given (CRM_POINTS_EARN, @points > 0) or corrected (CRM_POINTS_ADJUST, not 0) by hand,
 * with a reason, at @at (0: now).  A negative adjustment is refused if it takes more than the
 * balance.  One transaction. */
gboolean      crm_points_add             (CrmStore      *store,
                                          gint64         customer_id,
                                          CrmPointsKind  kind,
                                          gint64         points,
                                          const char    *reason,
                                          gint64         at,
                                          GError       **error);
/* Takes @points (> 0) from the customer's balance, after expiring what is due now; optionally
 * for order @order_id (0: none), which must be the customer's.  Refused with a message: more
 * than the balance, fewer than the programme's minimum.  One transaction. */
gboolean      crm_points_redeem          (CrmStore      *store,
                                          gint64         customer_id,
                                          gint64         points,
                                          gint64         order_id,
                                          const char    *reason,
                                          GError       **error);
/* Writes the expiry due at @as_of (0: now) for every customer, one entry each, in one
 * transaction; how many points and customers in @out_points, @out_customers (may be NULL). */
gboolean      crm_points_expire          (CrmStore      *store,
                                          gint64         as_of,
                                          gint64        *out_points,
                                          gint64        *out_customers,
                                          GError       **error);

typedef struct
{
  gint64 balance;        /* the ledger up to as_of, less what is due to expire by then */
  gint64 expiring_next;  /* points of the next lot to expire after as_of (0: none) */
  gint64 expiring_at;    /* when (ms UTC; 0: none) */
} CrmPointsBalance;

gboolean      crm_points_get_balance     (CrmStore         *store,
                                          gint64            customer_id,
                                          gint64            as_of,
                                          CrmPointsBalance *out,
                                          GError          **error);

typedef struct
{
  gint64         id;
  gint64         customer_id;
  char          *customer_name;
  CrmPointsKind  kind;
  gint64         points;
  gint64         at;
  gint64         expires_at;   /* 0: not a lot */
  gint64         order_id;     /* 0: none */
  char          *order_uuid;
  char          *order_number;
  char          *reason;
} CrmPointsEntry;

void          crm_points_entry_free      (CrmPointsEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmPointsEntry, crm_points_entry_free)

typedef struct
{
  int     kind;          /* a CrmPointsKind, or -1: any */
  gint64  customer_id;   /* 0: any */
  gint64  from;          /* ms UTC, inclusive; 0: no bound */
  gint64  until;         /* ms UTC, exclusive; 0: no bound */
  const char *customer_text;  /* part of the customer's name (any case), or NULL */
} CrmPointsFilter;

/* Entries matching @filter (NULL: all), newest first, at most @limit (0: 1000); CrmPointsEntry. */
GPtrArray    *crm_points_list            (CrmStore              *store,
                                          const CrmPointsFilter *filter,
                                          guint                  limit,
                                          GError               **error);

typedef struct
{
  gint64 outstanding;    /* points held by customers with a positive balance */
  gint64 negative;       /* points owed by customers with a negative balance (≤ 0) */
  gint64 customers;      /* customers with a positive balance */
  gint64 value;          /* outstanding × the point's value, in minor units */
} CrmPointsLiability;

gboolean      crm_points_get_liability   (CrmStore           *store,
                                          CrmPointsLiability *out,
                                          GError            **error);
/* Every customer's balance from the cache, in id order: pairs of gint64 (id, balance). */
GArray       *crm_points_balances        (CrmStore      *store,
                                          GError       **error);

G_END_DECLS

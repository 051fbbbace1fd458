/* crm-coupon.h: coupon batches, their codes and redemptions (issue 15).
 *
 * A batch is a campaign: a name, a code prefix, a percent or fixed discount, a minimum spend,
 * a validity window, how often one code and one customer may use it.  Its codes are the prefix,
 * a dash and eight characters of an alphabet without 0/O/1/I, unique across every batch and
 * matched case-insensitively (stored upper case).  A code may be assigned to one customer
 * (issued to a segment — one code per member — or to one customer); an unassigned code is for
 * anyone (exported for the shop system).  A redemption records code, customer, order and time.
 *
 * Redemption checks and writes in one BEGIN IMMEDIATE transaction, so two processes redeeming
 * a single-use code at the same moment are serialised by the write lock and the second sees the
 * first's use; a trigger refuses any redemption over the code's uses as a last guard.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_COUPON_ERROR (crm_coupon_error_quark ())

/* Why a redemption was refused. */
typedef enum
{
  CRM_COUPON_ERROR_UNKNOWN,          /* no such code */
  CRM_COUPON_ERROR_NOT_YET_VALID,
  CRM_COUPON_ERROR_EXPIRED,
  CRM_COUPON_ERROR_USED_UP,          /* the code's uses are spent */
  CRM_COUPON_ERROR_WRONG_CUSTOMER,   /* the code was issued to someone else */
  CRM_COUPON_ERROR_MIN_SPEND,
  CRM_COUPON_ERROR_CUSTOMER_LIMIT,   /* this customer used the batch as often as allowed */
} CrmCouponError;

GQuark crm_coupon_error_quark (void);

/* The characters of a code after its prefix: no 0, O, 1 or I. */
#define CRM_COUPON_ALPHABET "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
#define CRM_COUPON_RANDOM_LEN 8
/* Codes made at most by one create or issue. */
#define CRM_COUPON_MAX_COUNT 1000000

typedef enum
{
  CRM_COUPON_PERCENT,   /* value: whole percent, 1–100 */
  CRM_COUPON_AMOUNT,    /* value: minor units of the shop's currency */
} CrmCouponKind;

typedef struct
{
  gint64         id;
  char          *uuid;
  char          *name;
  char          *prefix;
  CrmCouponKind  kind;
  gint64         value;
  char          *currency;
  gint64         min_spend;          /* minor units; 0: none */
  gint64         valid_from;         /* ms UTC; 0: from creation */
  gint64         valid_until;        /* ms UTC; 0: no end */
  gint64         uses_per_code;      /* ≥ 1 */
  gint64         uses_per_customer;  /* ≥ 1 */
  char          *segment;            /* the segment it was last issued to, or NULL */
  gint64         customer_id;        /* the customer it was last issued to, or 0 */
  gint64         created_at;
  /* Figures (crm_coupon_batch_list(), crm_coupon_batch_find()). */
  gint64         codes;              /* codes made */
  gint64         assigned;           /* … of them assigned to a customer */
  gint64         redeemed;           /* … used at least once */
  gint64         redemptions;        /* uses in all */
} CrmCouponBatch;

CrmCouponBatch *crm_coupon_batch_new        (void);
void            crm_coupon_batch_free       (CrmCouponBatch *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmCouponBatch, crm_coupon_batch_free)
/* redeemed / codes, 0 for a batch without codes. */
double          crm_coupon_batch_get_rate   (const CrmCouponBatch *batch);
/* "10 %" or "¥20.00"; with the minimum spend: "¥20.00 off ¥100.00". */
char           *crm_coupon_batch_describe   (const CrmCouponBatch *batch);

/* The code as stored: spaces dropped, upper case; NULL (with CRM_COUPON_ERROR_UNKNOWN) for text
 * that cannot be a code. */
char           *crm_coupon_normalize_code   (const char      *text,
                                             GError         **error);
/* A prefix the user typed, checked (1–12 letters or digits, upper-cased); NULL with an error. */
char           *crm_coupon_normalize_prefix (const char      *text,
                                             GError         **error);

/* Checks @batch (name, prefix, value, uses, validity), inserts it and makes @count codes in one
 * transaction; sets its id and uuid. */
gboolean        crm_coupon_batch_create     (CrmStore        *store,
                                             CrmCouponBatch  *batch,
                                             guint            count,
                                             GError         **error);
/* By name or UUID, with its figures. */
CrmCouponBatch *crm_coupon_batch_find       (CrmStore        *store,
                                             const char      *name_or_uuid,
                                             GError         **error);
/* Every live batch with its figures, newest first (CrmCouponBatch). */
GPtrArray      *crm_coupon_batch_list       (CrmStore        *store,
                                             GError         **error);

/* One code per live customer of @customer_ids that holds none of the batch yet: an unassigned
 * code of the batch if there is one left, else a new one.  One transaction; how many codes were
 * assigned in @out_issued. */
gboolean        crm_coupon_issue            (CrmStore        *store,
                                             CrmCouponBatch  *batch,
                                             const gint64    *customer_ids,
                                             guint            n_customers,
                                             guint           *out_issued,
                                             GError         **error);
/* … to the members of the saved segment @segment_name (its rule evaluated now). */
gboolean        crm_coupon_issue_segment    (CrmStore        *store,
                                             CrmCouponBatch  *batch,
                                             const char      *segment_name,
                                             guint           *out_issued,
                                             GError         **error);

typedef struct
{
  gint64 id;            /* the redemption */
  gint64 discount;      /* minor units: what the coupon takes off @spend (0 if spend unknown) */
  gint64 spend;         /* what it was checked against; -1 unknown */
  gint64 redeemed_at;
} CrmCouponRedemption;

/* Redeems @code for @customer_id at @now (ms UTC; 0: now), for @order_id (0: none) and a
 * purchase of @spend minor units (-1: the order's, or unknown without an order).  Refused with
 * a CRM_COUPON_ERROR and a message that says why; nothing is written then. */
gboolean        crm_coupon_redeem           (CrmStore            *store,
                                             const char          *code,
                                             gint64               customer_id,
                                             gint64               order_id,
                                             gint64               spend,
                                             gint64               now,
                                             CrmCouponRedemption *out,
                                             GError             **error);

/* A code of a customer, for the customer page. */
typedef struct
{
  char   *code;
  char   *batch;          /* its batch's name */
  char   *description;    /* crm_coupon_batch_describe() */
  gint64  valid_until;    /* 0: no end */
  gint64  uses_left;      /* of the code */
} CrmCouponHeld;

void            crm_coupon_held_free        (CrmCouponHeld   *held);
/* The codes assigned to @customer_id that can still be used at @now (0: now), soonest ending
 * first (CrmCouponHeld). */
GPtrArray      *crm_coupon_list_open        (CrmStore        *store,
                                             gint64           customer_id,
                                             gint64           now,
                                             GError         **error);

/* The codes of @batch as CSV (code, customer UUID, customer name, uses, used, valid from,
 * valid until) into @path through a CrmOutputFile ("-": standard output); rows in @out_rows. */
gboolean        crm_coupon_export_csv       (CrmStore        *store,
                                             CrmCouponBatch  *batch,
                                             const char      *path,
                                             guint64         *out_rows,
                                             GError         **error);

G_END_DECLS

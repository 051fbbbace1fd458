/* crm-pool.h: the sales reps who own customers, and the customer pool (客户公海): customers with
 * no owner, whom a rep claims or is assigned; an owned customer with no interaction, order or
 * claim for N days (the "pool.return_days" setting, default 30) returns to it.  Every claim,
 * assignment, release and return is kept in the pool history.
 *
 * The limit, precisely: a customer whose last activity fell on local day D is held through day
 * D + N and returns from the first moment of day D + N + 1 (30 days after it stays, 31 returns).
 * Activity: an order (last_order_at), a live interaction, a claim or an assignment; a customer
 * with none counts from when it was added.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_POOL_DEFAULT_RETURN_DAYS 30
#define CRM_POOL_MAX_RETURN_DAYS     3650

typedef struct
{
  gint64  id;
  char   *uuid;
  char   *name;
  gint64  customers;   /* live customers it owns */
} CrmOwner;

void          crm_owner_free            (CrmOwner     *owner);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmOwner, crm_owner_free)

/* Adds a sales rep: the name trimmed; refused (CRM_STORE_ERROR_INVALID) when empty, not UTF-8,
 * longer than 100 characters, or the name of one already (in any case). */
CrmOwner     *crm_owners_add            (CrmStore     *store,
                                         const char   *name,
                                         GError      **error);
/* Every owner by name, with the customers each owns; a GPtrArray of CrmOwner. */
GPtrArray    *crm_owners_list           (CrmStore     *store,
                                         GError      **error);
/* The owner's name as the list spells it ("alice" → "Alice"); NULL with CRM_STORE_ERROR_INVALID
 * (naming @name) when it is none of the list. */
char         *crm_owners_resolve        (CrmStore     *store,
                                         const char   *name,
                                         GError      **error);
/* The owner of customer @customer_id (NULL when the customer is in the pool or unknown). */
char         *crm_pool_dup_owner        (CrmStore     *store,
                                         gint64        customer_id,
                                         GError      **error);

typedef enum
{
  CRM_POOL_CLAIM,     /* a rep took a customer from the pool */
  CRM_POOL_ASSIGN,    /* a customer was given to a rep (from the pool or from another rep) */
  CRM_POOL_RELEASE,   /* a rep gave a customer back */
  CRM_POOL_RETURN,    /* back to the pool after N days without activity */
} CrmPoolAction;

const char   *crm_pool_action_to_string (CrmPoolAction action);   /* "claim", "assign", "release", "return" */
const char   *crm_pool_action_get_label (CrmPoolAction action);   /* translated */

guint         crm_pool_get_return_days  (CrmStore     *store);
/* 1 … CRM_POOL_MAX_RETURN_DAYS. */
gboolean      crm_pool_set_return_days  (CrmStore     *store,
                                         guint         days,
                                         GError      **error);
/* Whether the app returns inactive customers to the pool by itself (once a day while it runs;
 * the "pool.auto_return" setting).  Off until the shop turns it on: a shop that never used the
 * pool would otherwise lose every owner on the first start.  `clientele-cli pool return` (cron)
 * and the Pool page's Return Inactive do it either way. */
gboolean      crm_pool_get_auto_return  (CrmStore     *store);
gboolean      crm_pool_set_auto_return  (CrmStore     *store,
                                         gboolean      on,
                                         GError      **error);
/* The first moment (ms UTC) from which an activity no later than @activity is too old as of
 * @as_of: local midnight starting the day @days days before the local day of @as_of. */
gint64        crm_pool_cutoff           (gint64        as_of,
                                         guint         days);

/* @customer_id taken by @owner from the pool at @at (0: now); refused (CRM_STORE_ERROR_INVALID)
 * when it has an owner already (naming them) or @owner is not one of the owners. */
gboolean      crm_pool_claim            (CrmStore     *store,
                                         gint64        customer_id,
                                         const char   *owner,
                                         gint64        at,
                                         GError      **error);
/* @customer_id given to @owner, whoever had it (NULL @owner: released). */
gboolean      crm_pool_assign           (CrmStore     *store,
                                         gint64        customer_id,
                                         const char   *owner,
                                         gint64        at,
                                         GError      **error);
/* Back to the pool; refused when it has no owner. */
gboolean      crm_pool_release          (CrmStore     *store,
                                         gint64        customer_id,
                                         gint64        at,
                                         GError      **error);
/* Every owned customer whose last activity is before crm_pool_cutoff (@as_of, return days)
 * back to the pool, recorded at @as_of, in one transaction: how many (-1 on error). */
gint64        crm_pool_return_due       (CrmStore     *store,
                                         gint64        as_of,
                                         GError      **error);

typedef struct
{
  gint64  customer_id;
  char   *uuid;
  char   *name;
  char   *owner;          /* NULL: in the pool */
  gint64  last_activity;  /* ms UTC */
  gint64  since;          /* in the pool since (its last release or return), 0 if never owned */
} CrmPoolCustomer;

void          crm_pool_customer_free    (CrmPoolCustomer *customer);

/* The customers in the pool: those without an owner, the most recent last order first (then
 * the newest customers), at most @limit (0: all) — through the last-order index, so the first
 * page of a large pool is quick.  With @returning, first the owned customers due to return by
 * @as_of (owner set), most recently active first: that reads every owned customer's activity,
 * as crm_pool_return_due() does. */
GPtrArray    *crm_pool_list             (CrmStore     *store,
                                         gint64        as_of,
                                         gboolean      returning,
                                         guint         limit,
                                         GError      **error);

typedef struct
{
  CrmPoolAction  action;
  char          *from_owner;
  char          *to_owner;
  gint64         at;
  char          *by;       /* the user name of who did it */
} CrmPoolEvent;

void          crm_pool_event_free       (CrmPoolEvent *event);

/* The pool history of a customer, newest first; a GPtrArray of CrmPoolEvent. */
GPtrArray    *crm_pool_history          (CrmStore     *store,
                                         gint64        customer_id,
                                         GError      **error);

G_END_DECLS

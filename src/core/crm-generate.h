/* crm-generate.h: realistic synthetic shop data (customers, orders, order lines)
 * for demos, tests and benchmarks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-store.h"

G_BEGIN_DECLS

typedef struct
{
  guint64 customers;   /* customers to add */
  guint64 orders;      /* orders to add, exactly, spread over the customers */
  guint64 seed;        /* same seed + same as_of on an empty database → same data */
  gint64  as_of;       /* "today" of the data set, ms UTC; 0 = now */
  gboolean force;     /* add to a database that already holds customers */
} CrmGenerateOptions;

#define CRM_GENERATE_ERROR (crm_generate_error_quark ())

typedef enum
{
  CRM_GENERATE_ERROR_NOT_EMPTY,   /* the database holds customers and opts->force is not set */
} CrmGenerateError;

GQuark crm_generate_error_quark (void);

typedef enum
{
  CRM_GENERATE_PHASE_WRITING,    /* customers, orders and lines being written */
  CRM_GENERATE_PHASE_INDEXING,   /* secondary indexes being rebuilt */
  CRM_GENERATE_PHASE_COMMITTING,
  CRM_GENERATE_PHASE_DONE,
} CrmGeneratePhase;

typedef struct
{
  CrmGeneratePhase phase;
  guint64          customers_done;
  guint64          customers_total;
  guint64          orders_done;
  guint64          orders_total;
  guint64          lines_done;      /* order lines written so far (1–4 per order) */
} CrmGenerateProgressInfo;

/* Called on the calling thread between batches, and once with phase DONE. */
typedef void (*CrmGenerateProgress) (const CrmGenerateProgressInfo *info,
                                     gpointer                       user_data);

/* Adds @opts->customers customers and exactly @opts->orders orders with their lines
 * to @store, all in one transaction: on error or cancel (G_IO_ERROR_CANCELLED) the
 * database is left exactly as it was.  A database that holds customers (deleted ones
 * included) is refused with CRM_GENERATE_ERROR_NOT_EMPTY unless @opts->force.  The
 * connection's synchronous setting stays as it is (FULL).  Phones (their last eight
 * digits too) and e-mail addresses are unique among the generated customers, e-mails also
 * across runs into one database, phones too while customer ids stay at most 10^7. */
gboolean crm_generate (CrmStore                 *store,
                       const CrmGenerateOptions *opts,
                       CrmGenerateProgress       progress,
                       gpointer                  user_data,
                       GCancellable             *cancellable,
                       GError                  **error);

G_END_DECLS

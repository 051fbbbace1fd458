/* crm-recommend.h: item-to-item co-purchase ("bought together") and per-customer
 * product recommendations.
 *
 * A product is its SKU, or its name for lines without a SKU (the same article sold with
 * and without a SKU counts as two products).  A basket is one counted order (not
 * cancelled, refunded or failed; not deleted); a product appears at most once per basket.
 * Over N baskets, with n(a) baskets holding a and n(a,b) holding both:
 *   support(a)        = n(a) / N
 *   support(a, b)     = n(a,b) / N
 *   confidence(a → b) = n(a,b) / n(a)                 (how often b comes with a)
 *   lift(a, b)        = n(a,b) N / (n(a) n(b))        (> 1: together more than chance)
 *
 * Caps, so that 10M orders stay within seconds and a bounded memory:
 *   max_orders   only the most recent orders (by id, i.e. as recorded) are read (2M);
 *   max_basket   orders with more distinct products are left out entirely (30): bulk
 *                and wholesale orders say little about affinity and cost O(n²) pairs;
 *   max_products only the most frequently bought products take part in pairs (2,000;
 *                a dense triangular count matrix of 8 MB);
 *   min_pair_orders  a pair must be seen in this many baskets (2);
 *   max_pairs_per_product  the strongest partners stored per product (50).
 * Only pairs with lift > 1 are stored: the others never raise a recommendation.
 *
 * A customer's score for a product b they have never ordered (in any order, whatever its
 * status) is the sum over the products a they have ordered of confidence(a → b) — roughly
 * the expected number of their products that "pull" b into a basket.  Ties go to the
 * higher lift, then the product key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-csv-writer.h"
#include "crm-recompute.h"
#include "crm-store.h"

G_BEGIN_DECLS

typedef struct
{
  guint max_orders;
  guint max_basket;
  guint max_products;
  guint min_pair_orders;
  guint max_pairs_per_product;
} CrmRecommendOptions;

typedef struct
{
  gsize   baskets;           /* orders counted (N) */
  gsize   skipped_baskets;   /* orders over max_basket */
  gsize   lines;
  gsize   products;          /* distinct products seen */
  gsize   products_kept;     /* after max_products */
  gsize   pairs;             /* directed pairs stored */
  double  seconds;
} CrmRecommendReport;

typedef struct
{
  char   *product;           /* key: SKU or name */
  char   *name;
  char   *category;
  double  score;
  double  lift;              /* the strongest lift behind the score */
  char   *because;           /* the customer's product with the largest contribution */
} CrmRecommendation;

typedef struct
{
  char   *a;
  char   *b;
  gint64  count;
  double  support;
  double  confidence;
  double  lift;
} CrmProductPair;

void      crm_recommend_options_init   (CrmRecommendOptions       *options);

/* One pass over the order lines; replaces product_stats and product_pairs in one
 * transaction (an error or a cancel leaves them as they were). */
gboolean  crm_recommend_compute        (CrmStore                  *store,
                                        const CrmRecommendOptions *options,
                                        CrmProgressFunc            progress,
                                        gpointer                   user_data,
                                        GCancellable              *cancellable,
                                        CrmRecommendReport        *report,
                                        GError                   **error);

/* The stored pair a → b; FALSE (no error) if it is not stored. */
gboolean  crm_recommend_get_pair       (CrmStore                  *store,
                                        const char                *a,
                                        const char                *b,
                                        CrmProductPair            *out,
                                        GError                   **error);
void      crm_product_pair_clear       (CrmProductPair            *pair);

/* The top @limit recommendations for a customer, best first (CrmRecommendation *,
 * freed with the array).  Empty when nothing is known. */
GPtrArray *crm_recommend_for_customer  (CrmStore                  *store,
                                        gint64                     customer_id,
                                        guint                      limit,
                                        GError                   **error);
void      crm_recommendation_free      (CrmRecommendation         *rec);

/* CSV: customer_uuid, customer_name, rank, product, product_name, category, score,
 * lift, because — for @customer_ids (NULL: every live customer with orders). */
gboolean  crm_recommend_export_csv     (CrmStore                  *store,
                                        CrmCsvWriter              *writer,
                                        const gint64              *customer_ids,
                                        gsize                      n_customers,
                                        guint                      limit,
                                        GCancellable              *cancellable,
                                        GError                   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmRecommendation, crm_recommendation_free)

G_END_DECLS

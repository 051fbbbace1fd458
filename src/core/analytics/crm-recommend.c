/* crm-recommend.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-recommend.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

void
crm_recommend_options_init (CrmRecommendOptions *options)
{
  options->max_orders = 2000000;
  options->max_basket = 30;
  options->max_products = 2000;
  options->min_pair_orders = 2;
  options->max_pairs_per_product = 50;
}

typedef struct
{
  char   *key;
  char   *name;
  char   *category;
  guint32 orders;
  gint32  rank;      /* index among the kept products, or -1 */
} Product;

static void
product_free (gpointer data)
{
  Product *p = data;

  g_free (p->key);
  g_free (p->name);
  g_free (p->category);
  g_free (p);
}

static int
cmp_u32 (const void *a,
         const void *b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;
  return (x > y) - (x < y);
}

/* Most baskets first; ties by key, so the kept set does not depend on hash order. */
static int
cmp_product_by_orders (const void *a,
                       const void *b)
{
  const Product *x = *(Product * const *) a, *y = *(Product * const *) b;

  if (x->orders != y->orders)
    return x->orders > y->orders ? -1 : 1;
  return strcmp (x->key, y->key);
}

typedef struct
{
  guint32 b;
  guint32 count;
  double  confidence;
  double  lift;
} Partner;

static int
cmp_partner (const void *a,
             const void *b)
{
  const Partner *x = a, *y = b;

  if (x->confidence != y->confidence)
    return x->confidence > y->confidence ? -1 : 1;
  if (x->lift != y->lift)
    return x->lift > y->lift ? -1 : 1;
  return (x->b > y->b) - (x->b < y->b);
}

/* Ends the basket in @basket: dedups it and appends it to @baskets, or drops it when
 * it exceeds the cap. */
static void
close_basket (GArray                    *basket,
              GArray                    *baskets,
              GArray                    *offsets,
              GPtrArray                 *products,
              const CrmRecommendOptions *options,
              CrmRecommendReport        *report)
{
  guint32 *items = (guint32 *) basket->data;
  guint n = 0;

  if (basket->len == 0)
    return;

  qsort (items, basket->len, sizeof (guint32), cmp_u32);
  for (guint i = 0; i < basket->len; i++)
    if (i == 0 || items[i] != items[i - 1])
      items[n++] = items[i];

  if (n > options->max_basket)
    {
      report->skipped_baskets++;
      g_array_set_size (basket, 0);
      return;
    }

  report->baskets++;
  for (guint i = 0; i < n; i++)
    ((Product *) g_ptr_array_index (products, items[i]))->orders++;
  if (n > 1)
    {
      guint32 end;

      g_array_append_vals (baskets, items, n);
      end = baskets->len;
      g_array_append_val (offsets, end);
    }
  /* Only now: with G_DEBUG=gc-friendly shrinking an array clears what it held. */
  g_array_set_size (basket, 0);
}

/* One run of crm_recommend_compute(). */
typedef struct
{
  CrmStore                  *store;
  const CrmRecommendOptions *options;
  CrmProgressFunc            progress;
  gpointer                   user_data;
  GCancellable              *cancellable;
  CrmRecommendReport        *report;
  GHashTable                *by_key;     /* key → Product */
  GPtrArray                 *products;   /* Product, in the order first seen */
  GPtrArray                 *kept;       /* the most bought ones, by rank */
  GArray                    *baskets;    /* product indexes, basket after basket */
  GArray                    *offsets;    /* where each basket ends */
  guint32                   *pair_counts;
  guint                      K;
  double                     N;
} Mine;

static void
mine_progress (Mine   *m,
               double  fraction)
{
  if (m->progress != NULL)
    m->progress (fraction, m->user_data);
}

/* The baskets of the most recent max_orders orders, by id (the order they were recorded in). */
static gboolean
read_baskets (Mine    *m,
              GError **error)
{
  g_autoptr(GArray) basket = g_array_new (FALSE, FALSE, sizeof (guint32));
  sqlite3_stmt *stmt;
  gint64 min_order = 0, current = -1;
  int rc;

  if (!(stmt = crm_store_prepare (m->store, "SELECT id FROM orders ORDER BY id DESC LIMIT 1 OFFSET ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (gint64) m->options->max_orders - 1);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    min_order = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  /* Orders by rowid, each one's lines through order_lines_order: both walk forward. */
  stmt = crm_store_prepare (m->store,
    "SELECT o.id, l.sku, l.product, l.category FROM orders o"
    " JOIN order_lines l ON l.order_id = o.id"
    " WHERE o.id >= ? AND o.deleted_at IS NULL"
    "  AND o.status NOT IN ('cancelled', 'refunded', 'failed') AND l.deleted_at IS NULL"
    " ORDER BY o.id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, min_order);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 order = sqlite3_column_int64 (stmt, 0);
      const char *sku = (const char *) sqlite3_column_text (stmt, 1);
      const char *name = (const char *) sqlite3_column_text (stmt, 2);
      const char *key = sku != NULL && *sku ? sku : name;
      Product *p;
      guint32 index;

      if (order != current)
        {
          close_basket (basket, m->baskets, m->offsets, m->products, m->options, m->report);
          current = order;
        }
      m->report->lines++;
      if (key == NULL || *key == '\0')
        continue;

      p = g_hash_table_lookup (m->by_key, key);
      if (p == NULL)
        {
          const char *category = (const char *) sqlite3_column_text (stmt, 3);

          p = g_new0 (Product, 1);
          p->key = g_strdup (key);
          p->name = g_strdup (name != NULL && *name ? name : key);
          p->category = g_strdup (category);
          p->rank = m->products->len;   /* its index until ranks are given */
          g_ptr_array_add (m->products, p);
          g_hash_table_insert (m->by_key, p->key, p);
        }
      index = p->rank;
      g_array_append_val (basket, index);

      if ((m->report->lines & 0xfffff) == 0)
        mine_progress (m, 0.6 * MIN (1.0, (double) m->report->lines / (2.5 * m->options->max_orders)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      if (!g_cancellable_set_error_if_cancelled (m->cancellable, error))
        crm_store_set_error (m->store, rc, error);
      return FALSE;
    }
  close_basket (basket, m->baskets, m->offsets, m->products, m->options, m->report);
  m->report->products = m->products->len;
  return TRUE;
}

/* Keeps the most bought products; the others get rank -1. */
static void
rank_products (Mine *m)
{
  for (guint i = 0; i < m->products->len; i++)
    g_ptr_array_add (m->kept, g_ptr_array_index (m->products, i));
  g_ptr_array_sort (m->kept, cmp_product_by_orders);
  if (m->kept->len > m->options->max_products)
    g_ptr_array_set_size (m->kept, m->options->max_products);
  for (guint i = 0; i < m->products->len; i++)
    ((Product *) g_ptr_array_index (m->products, i))->rank = -1;
  for (guint i = 0; i < m->kept->len; i++)
    ((Product *) g_ptr_array_index (m->kept, i))->rank = i;
  m->K = m->kept->len;
  m->report->products_kept = m->K;
}

/* Pair counts in an upper-triangular matrix: index of (i < j) is i K - i(i+1)/2 + j - i - 1. */
static gsize
pair_index (gsize K,
            gsize a,
            gsize b)
{
  return a * K - a * (a + 1) / 2 + b - a - 1;
}

static void
count_pairs (Mine *m)
{
  guint32 start = 0;
  gint32 ranks[256];

  m->pair_counts = g_new0 (guint32, MAX ((gsize) m->K * (m->K - 1) / 2, 1));
  for (guint o = 0; o < m->offsets->len; o++)
    {
      guint32 end = g_array_index (m->offsets, guint32, o);
      guint n = 0;

      for (guint32 k = start; k < end && n < G_N_ELEMENTS (ranks); k++)
        {
          gint32 r = ((Product *) g_ptr_array_index (m->products, g_array_index (m->baskets, guint32, k)))->rank;
          if (r >= 0)
            ranks[n++] = r;
        }
      for (guint i = 0; i < n; i++)
        for (guint j = 0; j < n; j++)
          if (ranks[i] < ranks[j])
            m->pair_counts[pair_index (m->K, ranks[i], ranks[j])]++;
      start = end;
    }
  g_array_set_size (m->baskets, 0);
}

static gboolean
write_products (Mine    *m,
                GError **error)
{
  sqlite3_stmt *stmt;

  if (!crm_store_exec (m->store, "DELETE FROM product_pairs; DELETE FROM product_stats;", error))
    return FALSE;
  if (!(stmt = crm_store_prepare (m->store,
          "INSERT INTO product_stats (product, name, category, orders, support) VALUES (?, ?, ?, ?, ?)",
          error)))
    return FALSE;
  for (guint i = 0; i < m->K; i++)
    {
      Product *p = g_ptr_array_index (m->kept, i);

      sqlite3_bind_text (stmt, 1, p->key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, p->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, p->category, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, p->orders);
      sqlite3_bind_double (stmt, 5, p->orders / m->N);
      if (!crm_store_step (m->store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Product @a's partners that are bought with it more often than chance, best first. */
static void
find_partners (Mine   *m,
               guint   a,
               GArray *partners)
{
  Product *pa = g_ptr_array_index (m->kept, a);

  g_array_set_size (partners, 0);
  for (guint b = 0; b < m->K; b++)
    {
      Product *pb = g_ptr_array_index (m->kept, b);
      Partner partner;
      guint32 n_ab;

      if (a == b)
        continue;
      n_ab = m->pair_counts[pair_index (m->K, MIN (a, b), MAX (a, b))];
      if (n_ab < MAX (m->options->min_pair_orders, 1))
        continue;
      partner.b = b;
      partner.count = n_ab;
      partner.confidence = (double) n_ab / pa->orders;
      partner.lift = (double) n_ab * m->N / ((double) pa->orders * pb->orders);
      if (partner.lift > 1.0)
        g_array_append_val (partners, partner);
    }
  g_array_sort (partners, cmp_partner);
}

static gboolean
write_pairs (Mine    *m,
             GError **error)
{
  g_autoptr(GArray) partners = g_array_new (FALSE, FALSE, sizeof (Partner));
  sqlite3_stmt *stmt;

  if (!(stmt = crm_store_prepare (m->store,
          "INSERT INTO product_pairs (a, b, count, support, confidence, lift) VALUES (?, ?, ?, ?, ?, ?)",
          error)))
    return FALSE;
  for (guint a = 0; a < m->K; a++)
    {
      Product *pa = g_ptr_array_index (m->kept, a);

      find_partners (m, a, partners);
      for (guint k = 0; k < MIN (partners->len, m->options->max_pairs_per_product); k++)
        {
          const Partner *partner = &g_array_index (partners, Partner, k);

          sqlite3_bind_text (stmt, 1, pa->key, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, ((Product *) g_ptr_array_index (m->kept, partner->b))->key, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 3, partner->count);
          sqlite3_bind_double (stmt, 4, partner->count / m->N);
          sqlite3_bind_double (stmt, 5, partner->confidence);
          sqlite3_bind_double (stmt, 6, partner->lift);
          if (!crm_store_step (m->store, stmt, error))
            return FALSE;
          m->report->pairs++;
        }
      if ((a & 0xff) == 0)
        mine_progress (m, 0.7 + 0.3 * a / MAX (m->K, 1));
    }
  return TRUE;
}

/* Everything of crm_recommend_compute() between BEGIN and COMMIT. */
static gboolean
mine_in_transaction (CrmStore  *store,
                     gpointer   data,
                     GError   **error)
{
  Mine *m = data;

  if (!read_baskets (m, error))
    return FALSE;
  rank_products (m);
  count_pairs (m);
  mine_progress (m, 0.7);
  m->N = MAX (m->report->baskets, 1);
  return write_products (m, error) && write_pairs (m, error) &&
         !g_cancellable_set_error_if_cancelled (m->cancellable, error);
}

gboolean
crm_recommend_compute (CrmStore                  *store,
                       const CrmRecommendOptions *options,
                       CrmProgressFunc            progress,
                       gpointer                   user_data,
                       GCancellable              *cancellable,
                       CrmRecommendReport        *report,
                       GError                   **error)
{
  g_autoptr(GHashTable) by_key = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) products = g_ptr_array_new_with_free_func (product_free);
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  g_autoptr(GArray) baskets = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GTimer) timer = g_timer_new ();
  CrmRecommendReport local_report;
  Mine m = { 0 };
  gboolean ok;

  if (report == NULL)
    report = &local_report;
  memset (report, 0, sizeof *report);

  if (options->max_orders == 0 || options->max_basket < 2 || options->max_basket > 256 || options->max_products < 2 ||
      options->max_products > 20000)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("The co-purchase limits are out of range: at least one order, 2–256 "
                             "products per basket and 2–20,000 products are needed"));
      return FALSE;
    }

  m = (Mine) { store, options, progress, user_data, cancellable, report, by_key, products, kept, baskets, offsets };
  ok = crm_store_transact (store, cancellable, mine_in_transaction, &m, error);
  g_free (m.pair_counts);
  if (!ok)
    return FALSE;

  report->seconds = g_timer_elapsed (timer, NULL);
  mine_progress (&m, 1.0);
  return TRUE;
}

void
crm_product_pair_clear (CrmProductPair *pair)
{
  g_clear_pointer (&pair->a, g_free);
  g_clear_pointer (&pair->b, g_free);
}

gboolean
crm_recommend_get_pair (CrmStore        *store,
                        const char      *a,
                        const char      *b,
                        CrmProductPair  *out,
                        GError         **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store,
    "SELECT count, support, confidence, lift FROM product_pairs WHERE a = ? AND b = ?", error);
  gboolean found = FALSE;
  int rc;

  memset (out, 0, sizeof *out);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, a, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, b, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      out->a = g_strdup (a);
      out->b = g_strdup (b);
      out->count = sqlite3_column_int64 (stmt, 0);
      out->support = sqlite3_column_double (stmt, 1);
      out->confidence = sqlite3_column_double (stmt, 2);
      out->lift = sqlite3_column_double (stmt, 3);
      found = TRUE;
    }
  else if (rc != SQLITE_DONE)
    crm_store_set_error (store, rc, error);
  sqlite3_reset (stmt);
  return found;
}

void
crm_recommendation_free (CrmRecommendation *rec)
{
  if (rec == NULL)
    return;
  g_free (rec->product);
  g_free (rec->name);
  g_free (rec->category);
  g_free (rec->because);
  g_free (rec);
}

static int
cmp_recommendation (gconstpointer a,
                    gconstpointer b)
{
  const CrmRecommendation *x = *(CrmRecommendation * const *) a;
  const CrmRecommendation *y = *(CrmRecommendation * const *) b;

  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  if (x->lift != y->lift)
    return x->lift > y->lift ? -1 : 1;
  return strcmp (x->product, y->product);
}

typedef struct
{
  CrmRecommendation *rec;
  double             best_contribution;
} Candidate;

GPtrArray *
crm_recommend_for_customer (CrmStore  *store,
                            gint64     customer_id,
                            guint      limit,
                            GError   **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_recommendation_free);
  g_autoptr(GHashTable) owned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) candidates = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GPtrArray) owned_keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;
  sqlite3_stmt *stmt;
  int rc;

  /* Everything the customer ever ordered, whatever became of the order. */
  if (!(stmt = crm_store_prepare (store,
          "SELECT DISTINCT coalesce(nullif(l.sku, ''), l.product) FROM orders o"
          " JOIN order_lines l ON l.order_id = o.id"
          " WHERE o.customer_id = ? AND o.deleted_at IS NULL AND l.deleted_at IS NULL", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);
      if (key != NULL && *key && !g_hash_table_contains (owned, key))
        {
          char *copy = g_strdup (key);
          g_hash_table_add (owned, copy);
          g_ptr_array_add (owned_keys, copy);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, rc, error);
      return NULL;
    }

  if (!(stmt = crm_store_prepare (store,
          "SELECT p.b, p.confidence, p.lift, s.name, s.category FROM product_pairs p"
          " LEFT JOIN product_stats s ON s.product = p.b WHERE p.a = ?", error)))
    return NULL;
  for (guint i = 0; i < owned_keys->len; i++)
    {
      const char *a = g_ptr_array_index (owned_keys, i);

      sqlite3_bind_text (stmt, 1, a, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *b = (const char *) sqlite3_column_text (stmt, 0);
          double confidence = sqlite3_column_double (stmt, 1);
          double lift = sqlite3_column_double (stmt, 2);
          Candidate *c;

          if (b == NULL || g_hash_table_contains (owned, b))
            continue;
          c = g_hash_table_lookup (candidates, b);
          if (c == NULL)
            {
              const char *name = (const char *) sqlite3_column_text (stmt, 3);

              c = g_new0 (Candidate, 1);
              c->rec = g_new0 (CrmRecommendation, 1);
              c->rec->product = g_strdup (b);
              c->rec->name = g_strdup (name != NULL ? name : b);
              c->rec->category = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
              g_hash_table_insert (candidates, c->rec->product, c);
            }
          c->rec->score += confidence;
          c->rec->lift = MAX (c->rec->lift, lift);
          if (confidence > c->best_contribution ||
              (confidence == c->best_contribution && strcmp (a, c->rec->because) < 0))
            {
              c->best_contribution = confidence;
              g_free (c->rec->because);
              c->rec->because = g_strdup (a);
            }
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          crm_store_set_error (store, rc, error);
          g_hash_table_iter_init (&iter, candidates);
          while (g_hash_table_iter_next (&iter, NULL, &value))
            crm_recommendation_free (((Candidate *) value)->rec);
          return NULL;
        }
    }

  g_hash_table_iter_init (&iter, candidates);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (result, g_steal_pointer (&((Candidate *) value)->rec));
  g_ptr_array_sort (result, cmp_recommendation);
  if (limit > 0 && result->len > limit)
    g_ptr_array_set_size (result, limit);

  return g_steal_pointer (&result);
}

gboolean
crm_recommend_export_csv (CrmStore      *store,
                          CrmCsvWriter  *writer,
                          const gint64  *customer_ids,
                          gsize          n_customers,
                          guint          limit,
                          GCancellable  *cancellable,
                          GError       **error)
{
  static const char *const header[] = {
    "customer_uuid", "customer_name", "rank", "product", "product_name", "category",
    "score", "lift", "because",
  };
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  if (!crm_csv_writer_write_record (writer, header, G_N_ELEMENTS (header), cancellable, error))
    return FALSE;

  if (customer_ids != NULL)
    g_array_append_vals (ids, customer_ids, n_customers);
  else
    {
      if (!(stmt = crm_store_prepare (store,
              "SELECT id FROM customers WHERE deleted_at IS NULL AND order_count > 0 ORDER BY id", error)))
        return FALSE;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);
          g_array_append_val (ids, id);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return crm_store_set_error (store, rc, error);
    }

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr(GPtrArray) recs = NULL;
      g_autofree char *uuid = NULL;
      g_autofree char *name = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (!(stmt = crm_store_prepare (store, "SELECT uuid, name FROM customers WHERE id = ?", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
        }
      sqlite3_reset (stmt);
      if (uuid == NULL)
        {
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                       _("Customer %" PRId64 " does not exist"), id);
          return FALSE;
        }

      if (!(recs = crm_recommend_for_customer (store, id, limit, error)))
        return FALSE;
      for (guint k = 0; k < recs->len; k++)
        {
          const CrmRecommendation *r = g_ptr_array_index (recs, k);
          char rank[16], score[G_ASCII_DTOSTR_BUF_SIZE], lift[G_ASCII_DTOSTR_BUF_SIZE];
          const char *fields[G_N_ELEMENTS (header)];

          g_snprintf (rank, sizeof rank, "%u", k + 1);
          g_ascii_formatd (score, sizeof score, "%.4f", r->score);
          g_ascii_formatd (lift, sizeof lift, "%.3f", r->lift);
          fields[0] = uuid;
          fields[1] = name;
          fields[2] = rank;
          fields[3] = r->product;
          fields[4] = r->name;
          fields[5] = r->category ? r->category : "";
          fields[6] = score;
          fields[7] = lift;
          fields[8] = r->because ? r->because : "";
          if (!crm_csv_writer_write_record (writer, fields, G_N_ELEMENTS (fields), cancellable, error))
            return FALSE;
        }
    }

  return TRUE;
}

/* crm-generate-orders.c: what the generated customers buy — the catalogue, how
 * exactly opts->orders orders are shared out, each customer's order history (made
 * twice from the customer's order stream: once for the aggregates on the customer
 * row, once when the orders are written after all customers) and the order and
 * order-line rows, ROWS_PER_INSERT to a statement.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-generate-private.h"

#include <string.h>

#include "crm-generate-catalogue.h"

struct _GenCatalogue
{
  char    *product_name[2][N_PRODUCTS];   /* [0] zh, [1] en */
  char     product_sku[N_PRODUCTS][12];
  gint32   product_price[N_PRODUCTS];
  guint16  by_price[N_CATEGORIES][N_ITEMS * N_VARIANTS];
  guint32  channel_cum[G_N_ELEMENTS (channels)];
};

GenCatalogue *
crm_gen_catalogue_new (void)
{
  GenCatalogue *k = g_new0 (GenCatalogue, 1);

  for (guint c = 0; c < N_CATEGORIES; c++)
    {
      for (guint it = 0; it < N_ITEMS; it++)
        for (guint v = 0; v < N_VARIANTS; v++)
          {
            guint p = (c * N_ITEMS + it) * N_VARIANTS + v;
            const GenItem *item = &categories[c].items[it];
            gint64 yuan = (gint64) floor (item->yuan * variants[v].price_factor);

            /* Shop prices end in 9 once they are above a few yuan. */
            if (yuan > 20)
              yuan = yuan / 10 * 10 + 9;
            k->product_price[p] = (gint32) (yuan * 100);
            k->product_name[0][p] = g_strconcat (item->zh, variants[v].zh, NULL);
            k->product_name[1][p] = g_strconcat (item->en, variants[v].en, NULL);
            g_snprintf (k->product_sku[p], sizeof k->product_sku[p], "%s-%02u%s",
                        categories[c].code, it + 1, v ? "P" : "");
            k->by_price[c][it * N_VARIANTS + v] = p;
          }

      /* Insertion sort by price: a customer's price level picks a position. */
      for (guint i = 1; i < N_ITEMS * N_VARIANTS; i++)
        for (guint j = i; j > 0 && k->product_price[k->by_price[c][j - 1]] > k->product_price[k->by_price[c][j]]; j--)
          {
            guint16 t = k->by_price[c][j];
            k->by_price[c][j] = k->by_price[c][j - 1];
            k->by_price[c][j - 1] = t;
          }
    }

  build_cum (k->channel_cum, &channels[0].weight, sizeof channels[0], G_N_ELEMENTS (channels));
  return k;
}

void
crm_gen_catalogue_free (GenCatalogue *k)
{
  if (k == NULL)
    return;
  for (guint l = 0; l < 2; l++)
    for (guint p = 0; p < N_PRODUCTS; p++)
      g_free (k->product_name[l][p]);
  g_free (k);
}

/* ---- order allocation --------------------------------------------------------- */

/* The first two draws of a customer's stream: role and repeat weight. */
static GenRole
customer_role (Gen    *g,
               Rng    *r,
               double *weight)
{
  double u = rng_double (r);
  double w = pow (1.0 - rng_double (r), -1.0 / 1.3);
  GenRole role = u < 0.12 ? ROLE_PROSPECT : u < 0.42 ? ROLE_ONCE : ROLE_REPEAT;

  if (w > 60.0)
    w = 60.0;
  if (g->all_buyers && role == ROLE_PROSPECT)
    role = ROLE_ONCE;
  if (g->all_repeaters && role == ROLE_ONCE)
    {
      role = ROLE_REPEAT;
      w = 1.0;
    }
  *weight = role == ROLE_REPEAT ? w : 0.0;
  return role;
}

static void
count_roles (Gen *g)
{
  g->n_buyers = g->n_repeaters = 0;
  g->total_weight = 0;

  for (guint64 i = 0; i < g->n_customers; i++)
    {
      Rng r;
      double w;
      GenRole role;

      rng_seed (&r, g->seed, i);
      role = customer_role (g, &r, &w);
      g->n_buyers += role != ROLE_PROSPECT;
      g->n_repeaters += role == ROLE_REPEAT;
      g->total_weight += w;
    }
}

/* Decides how the orders are shared so that they add up to opts->orders exactly
 * whatever the ratio: every buyer gets one order (or, when there are more buyers
 * than orders, buyers get one each in an evenly spread pattern), and the rest goes
 * to repeat buyers in proportion to their weight. */
void
crm_gen_plan_allocation (Gen *g)
{
  count_roles (g);
  if (g->n_orders > 0 && g->n_buyers == 0)
    {
      g->all_buyers = TRUE;
      count_roles (g);
    }
  if (g->n_orders > g->n_buyers && g->n_repeaters == 0)
    {
      g->all_repeaters = TRUE;
      count_roles (g);
    }

  g->base_each = g->n_orders >= g->n_buyers ? 1 : 0;
  g->extra_total = g->base_each ? g->n_orders - g->n_buyers : 0;
}

void
crm_gen_restart_allocation (Gen *g)
{
  g->buyers_seen = g->repeaters_seen = 0;
  g->weight_seen = 0;
  g->base_given = g->extra_given = 0;
}

static guint64
allocate_orders (Gen     *g,
                 GenRole  role,
                 double   weight)
{
  guint64 n = 0;

  if (role == ROLE_PROSPECT)
    return 0;

  if (g->base_each)
    n = 1;
  else
    {
      /* fewer orders than buyers: floor((k+1)·N/B) − floor(k·N/B) */
      guint64 k = g->buyers_seen;
      n = (k + 1) * g->n_orders / g->n_buyers - k * g->n_orders / g->n_buyers;
    }
  g->buyers_seen++;
  g->base_given += n;

  if (role == ROLE_REPEAT && g->extra_total > 0)
    {
      guint64 extra;

      g->repeaters_seen++;
      g->weight_seen += weight;
      if (g->repeaters_seen == g->n_repeaters)
        extra = g->extra_total - g->extra_given;
      else
        {
          double target = floor (g->weight_seen / g->total_weight * (double) g->extra_total);
          extra = target > (double) g->extra_given ? (guint64) target - g->extra_given : 0;
          if (g->extra_given + extra > g->extra_total)
            extra = g->extra_total - g->extra_given;
        }
      g->extra_given += extra;
      n += extra;
    }

  return n;
}

guint64
crm_gen_customer_orders (Gen *g,
                         Rng *r)
{
  double weight;
  GenRole role = customer_role (g, r, &weight);

  return allocate_orders (g, role, weight);
}

/* ---- one customer's orders ---------------------------------------------------------- */

/* Gamma(k, 1) for small integer k: a sum of exponentials. */
static double
rng_gamma_int (Rng  *r,
               guint k)
{
  double s = 0;

  for (guint i = 0; i < k; i++)
    s += rng_exp (r);
  return s;
}

/* Status, channel, lines and amounts of order @o placed at @o->placed_at. */
static void
make_order (Gen      *g,
            Rng      *r,
            GenOrder *o,
            guint     pref_channel,
            guint     fav1,
            guint     fav2,
            double    level)
{
  GenCatalogue *k = g->catalogue;
  gint64 as_of = g->as_of;
  gint64 age_days = (as_of - o->placed_at) / DAY_MS;
  double u = rng_double (r);

  if (age_days < 2)
    o->status = u < 0.7 ? ST_PROCESSING : ST_SHIPPED;
  else if (age_days < 7)
    o->status = u < 0.6 ? ST_SHIPPED : u < 0.97 ? ST_COMPLETED : ST_CANCELLED;
  else
    o->status = u < 0.035 ? ST_CANCELLED : u < 0.07 ? ST_REFUNDED : ST_COMPLETED;

  o->channel = rng_chance (r, 0.7) ? pref_channel : pick_cum (r, k->channel_cum, G_N_ELEMENTS (channels));

  u = rng_double (r);
  o->n_lines = u < 0.5 ? 1 : u < 0.78 ? 2 : u < 0.92 ? 3 : 4;
  o->subtotal = 0;
  for (guint l = 0; l < o->n_lines; l++)
    {
      double uc = rng_double (r);
      guint cat = uc < 0.4 ? fav1 : uc < 0.65 ? fav2 : rng_below (r, N_CATEGORIES);
      double pos = level * (N_ITEMS * N_VARIANTS - 1) + (rng_double (r) + rng_double (r) - 1.0) * 5.0;
      int idx = CLAMP ((int) lround (pos), 0, N_ITEMS * N_VARIANTS - 1);
      guint16 prod = k->by_price[cat][idx];
      double uq = rng_double (r);
      gint32 price = k->product_price[prod];

      if (rng_chance (r, 0.15))
        price = price / 10 * 9;   /* promotion: 10 % off */
      o->product[l] = prod;
      o->qty[l] = uq < 0.75 ? 1 : uq < 0.92 ? 2 : uq < 0.97 ? 3 : 4 + rng_below (r, 3);
      o->unit_price[l] = price;
      o->subtotal += (gint64) price * o->qty[l];
    }

  o->discount = rng_chance (r, 0.12) ? o->subtotal * (5 + rng_below (r, 16)) / 100 : 0;
  /* free shipping from 99 yuan; shops ship free in store */
  o->shipping = (o->channel != 3 && o->subtotal - o->discount < 9900) ? 1000 : 0;
  /* prices include VAT, so tax stays 0 */
  o->total = o->subtotal - o->discount + o->shipping;
  o->updated_at = o->placed_at;
  if (o->status == ST_REFUNDED || o->status == ST_CANCELLED)
    o->updated_at = MIN (as_of, o->placed_at + (1 + rng_below (r, 14)) * DAY_MS);
}

/* The @n orders of a customer into g->orders, from the customer's order stream @r. */
static void
make_orders (Gen        *g,
             Rng        *r,
             guint64     n,
             GenHistory *h)
{
  static const guint shapes[] = { 1, 2, 4 };
  gint64 as_of = g->as_of;
  gint64 history = HISTORY_DAYS * DAY_MS;
  gint64 a, c, ret, active;
  guint shape = PICK (r, shapes);
  guint fav1 = rng_below (r, N_CATEGORIES), fav2 = rng_below (r, N_CATEGORIES);
  double level = pow (rng_double (r), 1.6);   /* most customers buy cheaper items */
  guint pref_channel = pick_cum (r, g->catalogue->channel_cum, G_N_ELEMENTS (channels));
  double sum = 0;
  gboolean churn, returns;

  g_array_set_size (g->orders, n);
  g_array_set_size (g->positions, n);

  /* Acquisition: the shop grows, so recent customers are more numerous. */
  a = as_of - (gint64) (history * pow (rng_double (r), 1.3)) - 3600000;
  churn = n > 1 && rng_chance (r, 0.35);
  c = churn ? a + (gint64) ((as_of - a) * (0.2 + 0.7 * rng_double (r))) : as_of;
  returns = churn && rng_chance (r, 0.3);
  ret = returns ? c + (gint64) ((as_of - c) * (0.3 + 0.5 * rng_double (r))) : as_of;
  active = (c - a) + (as_of - ret);

  /* Renewal process with this customer's regularity, scaled to the active time. */
  g_array_index (g->positions, double, 0) = 0;
  for (guint64 j = 1; j < n; j++)
    {
      sum += rng_gamma_int (r, shape);
      g_array_index (g->positions, double, j) = sum;
    }
  sum += rng_gamma_int (r, shape);

  for (guint64 j = 0; j < n; j++)
    {
      GenOrder *o = &g_array_index (g->orders, GenOrder, j);
      gint64 x = (gint64) (g_array_index (g->positions, double, j) / sum * active);
      gint64 t = x < c - a ? a + x : ret + (x - (c - a));

      if (t >= as_of)
        t = as_of - 1;
      o->placed_at = t;
      make_order (g, r, o, pref_channel, fav1, fav2, level);
    }

  h->acquired_at = a;
  h->returned = returns;
  h->returned_at = ret;
  h->mean_gap_days = n > 1 ? (double) active / DAY_MS / n : 0;
}

void
crm_gen_history (Gen        *g,
                 guint64     index,
                 guint64     n,
                 GenHistory *h)
{
  Rng ro;

  memset (h, 0, sizeof *h);
  h->n = n;
  g_array_set_size (g->orders, 0);
  if (n == 0)
    return;

  rng_seed (&ro, g->seed ^ ORDER_STREAM, index);
  make_orders (g, &ro, n, h);

  for (guint64 j = 0; j < n; j++)
    {
      const GenOrder *o = &g_array_index (g->orders, GenOrder, j);

      if (o->status == ST_CANCELLED || o->status == ST_REFUNDED)
        continue;
      h->total_spent += o->total;
      h->order_count++;
      if (h->first_at == 0 || o->placed_at < h->first_at)
        h->first_at = o->placed_at;
      if (o->placed_at > h->last_at)
        h->last_at = o->placed_at;
    }
  h->last_placed_at = g_array_index (g->orders, GenOrder, n - 1).placed_at;
}

/* ---- rows ------------------------------------------------------------------------------ */

static void
bind_order (sqlite3_stmt   *st,
            int             k,
            const OrderRow *row)
{
  sqlite3_bind_int64 (st, ++k, row->id);
  sqlite3_bind_text (st, ++k, row->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, ++k, row->placed_at);
  sqlite3_bind_int64 (st, ++k, row->updated_at);
  sqlite3_bind_int64 (st, ++k, row->customer_id);
  sqlite3_bind_text (st, ++k, row->number, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, ++k, row->placed_at);
  sqlite3_bind_text (st, ++k, row->status, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, ++k, row->channel, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, ++k, row->subtotal);
  sqlite3_bind_int64 (st, ++k, row->discount);
  sqlite3_bind_int64 (st, ++k, row->shipping);
  sqlite3_bind_int64 (st, ++k, row->total);
}

static void
bind_line (sqlite3_stmt  *st,
           int            k,
           const LineRow *row)
{
  sqlite3_bind_int64 (st, ++k, row->id);
  sqlite3_bind_text (st, ++k, row->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, ++k, row->placed_at);
  sqlite3_bind_int64 (st, ++k, row->placed_at);
  sqlite3_bind_int64 (st, ++k, row->order_id);
  sqlite3_bind_text (st, ++k, row->sku, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, ++k, row->product, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, ++k, row->category, -1, SQLITE_STATIC);
  sqlite3_bind_int (st, ++k, row->quantity);
  sqlite3_bind_int64 (st, ++k, row->unit_price);
  sqlite3_bind_int64 (st, ++k, row->unit_price * row->quantity);
}

/* A full batch in one statement, a partial one (the end of the run) row by row. */
static gboolean
flush_orders (Gen     *g,
              GError **error)
{
  if (g->n_order_rows == ROWS_PER_INSERT)
    {
      for (guint i = 0; i < ROWS_PER_INSERT; i++)
        bind_order (g->ins_orders, i * ORDER_COLS, &g->order_rows[i]);
      if (!crm_gen_step (g, g->ins_orders, error))
        return FALSE;
    }
  else
    for (guint i = 0; i < g->n_order_rows; i++)
      {
        bind_order (g->ins_order, 0, &g->order_rows[i]);
        if (!crm_gen_step (g, g->ins_order, error))
          return FALSE;
      }
  g->n_order_rows = 0;
  return TRUE;
}

static gboolean
flush_lines (Gen     *g,
             GError **error)
{
  if (g->n_line_rows == ROWS_PER_INSERT)
    {
      for (guint i = 0; i < ROWS_PER_INSERT; i++)
        bind_line (g->ins_lines, i * LINE_COLS, &g->line_rows[i]);
      if (!crm_gen_step (g, g->ins_lines, error))
        return FALSE;
    }
  else
    for (guint i = 0; i < g->n_line_rows; i++)
      {
        bind_line (g->ins_line, 0, &g->line_rows[i]);
        if (!crm_gen_step (g, g->ins_line, error))
          return FALSE;
      }
  g->n_line_rows = 0;
  return TRUE;
}

gboolean
crm_gen_flush (Gen     *g,
               GError **error)
{
  return flush_orders (g, error) && flush_lines (g, error);
}

static gboolean
queue_lines (Gen            *g,
             const GenOrder *o,
             gint64          oid,
             gboolean        zh_name,
             GError        **error)
{
  GenCatalogue *k = g->catalogue;

  for (guint l = 0; l < o->n_lines; l++)
    {
      LineRow *line = &g->line_rows[g->n_line_rows++];
      guint prod = o->product[l];

      line->id = g->next_line_id++;
      line->order_id = oid;
      line->placed_at = o->placed_at;
      line->unit_price = o->unit_price[l];
      line->quantity = o->qty[l];
      line->sku = k->product_sku[prod];
      line->product = k->product_name[zh_name ? 0 : 1][prod];
      line->category = categories[prod / (N_ITEMS * N_VARIANTS)].zh;
      crm_gen_make_uuid (line->uuid, g->as_of, 3, g->seed_bits, line->id);
      if (g->n_line_rows == ROWS_PER_INSERT && !flush_lines (g, error))
        return FALSE;
      g->info.lines_done++;
    }
  return TRUE;
}

/* Second pass: the orders and lines of customer @index, made again from the same
 * streams as for the customer row.  Customers are all written first so that their
 * table and indexes sit together at the start of the file instead of being
 * scattered through gigabytes of order pages: a cold start reads the name index
 * sequentially. */
gboolean
crm_gen_write_orders (Gen      *g,
                      guint64   index,
                      GError  **error)
{
  gint64 id = g->first_customer_id + (gint64) index;
  GenHistory h;
  gboolean zh_name;
  Rng r;
  guint64 n;

  rng_seed (&r, g->seed, index);
  n = crm_gen_customer_orders (g, &r);
  zh_name = rng_chance (&r, 0.6);   /* order lines speak the customer's language */
  if (n == 0)
    return TRUE;

  crm_gen_history (g, index, n, &h);

  for (guint64 j = 0; j < n; j++)
    {
      const GenOrder *o = &g_array_index (g->orders, GenOrder, j);
      gint64 oid = g->next_order_id++;
      OrderRow *row = &g->order_rows[g->n_order_rows++];

      row->id = oid;
      row->customer_id = id;
      row->placed_at = o->placed_at;
      row->updated_at = o->updated_at;
      row->subtotal = o->subtotal;
      row->discount = o->discount;
      row->shipping = o->shipping;
      row->total = o->total;
      row->status = statuses[o->status];
      row->channel = channels[o->channel].key;
      crm_gen_make_uuid (row->uuid, g->as_of, 2, g->seed_bits, oid);
      g_snprintf (row->number, sizeof row->number, "SO%010" G_GINT64_FORMAT, oid);
      if (g->n_order_rows == ROWS_PER_INSERT && !flush_orders (g, error))
        return FALSE;
      if (!queue_lines (g, o, oid, zh_name, error))
        return FALSE;
      g->info.orders_done++;
    }

  return TRUE;
}

/* ---- statements -------------------------------------------------------------------------- */

static sqlite3_stmt *
prepare_multi (CrmStore    *store,
               const char  *head,
               const char  *tuple,
               GError     **error)
{
  g_autoptr(GString) sql = g_string_new (head);

  for (guint i = 0; i < ROWS_PER_INSERT; i++)
    g_string_append_printf (sql, "%s%s", i ? "," : "", tuple);
  return crm_store_prepare (store, sql->str, error);
}

gboolean
crm_gen_prepare_orders (Gen     *g,
                        GError **error)
{
  return (g->ins_order = crm_store_prepare (g->store,
            "INSERT INTO orders (id, uuid, created_at, updated_at, customer_id, number, placed_at, status,"
            " channel, currency, subtotal, discount, shipping, tax, total)"
            " VALUES (?,?,?,?,?,?,?,?,?,'CNY',?,?,?,0,?)", error)) &&
         (g->ins_line = crm_store_prepare (g->store,
            "INSERT INTO order_lines (id, uuid, created_at, updated_at, order_id, sku, product, category,"
            " quantity, unit_price, amount) VALUES (?,?,?,?,?,?,?,?,?,?,?)", error)) &&
         (g->ins_orders = prepare_multi (g->store,
            "INSERT INTO orders (id, uuid, created_at, updated_at, customer_id, number, placed_at, status,"
            " channel, currency, subtotal, discount, shipping, tax, total) VALUES ",
            "(?,?,?,?,?,?,?,?,?,'CNY',?,?,?,0,?)", error)) &&
         (g->ins_lines = prepare_multi (g->store,
            "INSERT INTO order_lines (id, uuid, created_at, updated_at, order_id, sku, product, category,"
            " quantity, unit_price, amount) VALUES ", "(?,?,?,?,?,?,?,?,?,?,?)", error));
}

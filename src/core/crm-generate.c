/* crm-generate.c: realistic synthetic shop data.
 *
 * How the data are made (and why):
 * - Our own PRNG (xoshiro256**, seeded through splitmix64), one stream per customer
 *   derived from (seed, customer index): the data depend only on the seed, @as_of
 *   and the database's next free ids — not on batch sizes, not on GLib's generator.
 * - Orders: opts->orders exactly.  12 % of customers are prospects (no orders),
 *   30 % buy once, the others repeat with a Pareto(α = 1.3) weight, so a few
 *   customers place many orders; each customer also has a price level, which makes
 *   spend per customer heavy-tailed.  Every buyer has an acquisition date, a
 *   regularity (gamma-distributed gaps of shape 1, 2 or 4, so some buy like
 *   clockwork and some in bursts) and thus their own mean gap; 35 % of repeat
 *   buyers churn at some date and 30 % of those come back after a pause.
 * - Aggregates (total spent, order count, first/last order over the statuses
 *   crm_store_update_customer_aggregates() counts) and the search keys are written
 *   with each customer row: no UPDATE per row afterwards.
 * - Everything is one transaction: a cancel or an error rolls back to the database
 *   as it was (batches only pace progress reports and cancel checks).  For speed
 *   the run switches the connection to a rollback journal (pages new to the file
 *   need no journal, where WAL would write every page twice), synchronous=OFF (one
 *   commit; a crash before it leaves the old database intact either way), no
 *   foreign-key checks (ids are ours) and a large page cache; all four are restored
 *   afterwards.  If another connection has the file open the journal stays WAL.
 * - Nothing is written to the change journal: generated customers are local demo
 *   data and must never be pushed to a remote by sync.
 * - Order of work: all customers (with the customers' secondary indexes dropped
 *   when the table starts empty), then those indexes and the full-text index in
 *   one sorted pass each, then all orders and lines (16 rows per INSERT).  Each
 *   customer's orders come from their own stream, so they are made once for the
 *   aggregates and again, identically, when written.  The customers' part of the
 *   file is thus compact and its indexes consecutive: measured at 1M/10M, a cold
 *   open to first rows fell from 0.45–0.68 s to 0.11–0.13 s.
 * - UUIDs use the version 7 layout (RFC 9562): the 48-bit time is @as_of, then a
 *   table tag and seed bits, then the row id.  Within one run they grow with the
 *   row id, so the UNIQUE(uuid) indexes are appended to rather than written all
 *   over an index of tens of millions of entries that the cache cannot hold.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-generate.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "crm-customer.h"
#include "crm-generate-data.h"
#include "crm-search.h"
#include "crm-text.h"

#define DAY_MS          G_GINT64_CONSTANT (86400000)
#define HISTORY_DAYS    1461     /* four years of orders before as_of */
#define BATCH_CUSTOMERS 5000     /* progress and cancel granularity */
#define ORDER_STREAM    G_GUINT64_CONSTANT (0x6f72646572730000)   /* "orders" */
#define MAX_CUSTOMERS   G_GUINT64_CONSTANT (100000000)
#define MAX_ORDERS      G_GUINT64_CONSTANT (2000000000)
#define GEN_CACHE_KIB   524288    /* page cache while generating */

/* ---- PRNG: xoshiro256** (Blackman & Vigna) ----------------------------------- */

typedef struct
{
  guint64 s[4];
} Rng;

static inline guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static void
rng_seed (Rng     *r,
          guint64  seed,
          guint64  stream)
{
  guint64 x = seed ^ splitmix64 (&stream);

  for (guint i = 0; i < 4; i++)
    r->s[i] = splitmix64 (&x);
}

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

static inline guint64
rng_next (Rng *r)
{
  guint64 *s = r->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);

  return result;
}

/* [0, 1) */
static inline double
rng_double (Rng *r)
{
  return (rng_next (r) >> 11) * 0x1.0p-53;
}

/* [0, n) */
static inline guint32
rng_below (Rng     *r,
           guint32  n)
{
  return (guint32) (((rng_next (r) >> 32) * n) >> 32);
}

static inline gboolean
rng_chance (Rng    *r,
            double  p)
{
  return rng_double (r) < p;
}

static inline double
rng_exp (Rng *r)
{
  return -log1p (-rng_double (r));
}

#define PICK(r, array) ((array)[rng_below ((r), G_N_ELEMENTS (array))])

/* ---- state ------------------------------------------------------------------ */

typedef struct
{
  gint64  placed_at;
  gint64  updated_at;
  gint64  subtotal;
  gint64  discount;
  gint64  shipping;
  gint64  total;
  guint8  status;
  guint8  channel;
  guint8  n_lines;
  guint8  qty[4];
  guint16 product[4];
  gint32  unit_price[4];
} GenOrder;

/* Orders and lines go in ROWS_PER_INSERT rows per INSERT statement: one VDBE run
 * per 16 rows instead of per row. */
#define ROWS_PER_INSERT 16
#define ORDER_COLS      13
#define LINE_COLS       11

typedef struct
{
  gint64      id;
  gint64      updated_at;
  gint64      customer_id;
  gint64      placed_at;
  gint64      subtotal;
  gint64      discount;
  gint64      shipping;
  gint64      total;
  const char *status;
  const char *channel;
  char        uuid[37];
  char        number[16];
} OrderRow;

typedef struct
{
  gint64      id;
  gint64      order_id;
  gint64      placed_at;
  gint64      unit_price;
  int         quantity;
  const char *sku;
  const char *product;
  const char *category;
  char        uuid[37];
} LineRow;

typedef enum
{
  ROLE_PROSPECT,
  ROLE_ONCE,
  ROLE_REPEAT,
} GenRole;

typedef struct
{
  CrmStore                *store;
  sqlite3                 *db;
  sqlite3_stmt            *ins_customer;
  sqlite3_stmt            *ins_order;
  sqlite3_stmt            *ins_orders;     /* ROWS_PER_INSERT rows */
  sqlite3_stmt            *ins_line;
  sqlite3_stmt            *ins_lines;
  OrderRow                 order_rows[ROWS_PER_INSERT];
  guint                    n_order_rows;
  LineRow                  line_rows[ROWS_PER_INSERT];
  guint                    n_line_rows;
  sqlite3_stmt            *ins_state;

  guint64                  seed;
  guint64                  seed_bits;
  gint64                   as_of;
  int                      as_of_year;
  gint64                   first_customer_id;
  gint64                   next_order_id;
  gint64                   next_line_id;

  /* weighted choices: cumulative weights */
  guint32                  surname_cum[G_N_ELEMENTS (surnames)];
  guint32                  cn_city_cum[N_CN_CITIES];
  guint32                  intl_city_cum[G_N_ELEMENTS (cities) - N_CN_CITIES];
  guint32                  source_cum[G_N_ELEMENTS (sources)];
  guint32                  channel_cum[G_N_ELEMENTS (channels)];

  /* catalogue */
  char                    *product_name[2][N_PRODUCTS];   /* [0] zh, [1] en */
  char                     product_sku[N_PRODUCTS][12];
  gint32                   product_price[N_PRODUCTS];
  guint16                  by_price[N_CATEGORIES][N_ITEMS * N_VARIANTS];

  /* order allocation */
  guint64                  n_customers;
  guint64                  n_orders;
  gboolean                 all_buyers;     /* too few natural buyers for the orders */
  gboolean                 all_repeaters;  /* extra orders but no natural repeater */
  guint64                  n_buyers;
  guint64                  n_repeaters;
  double                   total_weight;
  guint64                  base_each;      /* 1 when every buyer gets one order first */
  guint64                  extra_total;
  guint64                  buyers_seen;
  guint64                  repeaters_seen;
  double                   weight_seen;
  guint64                  base_given;
  guint64                  extra_given;

  GArray                  *orders;
  GArray                  *positions;
  CrmSearchPairs          *terms;    /* written sorted after the customers (crm-search.c) */
  CrmSearchPairs          *tags;

  CrmGenerateProgressInfo  info;
} Gen;

static void
build_cum (guint32       *cum,
           const guint   *weights,
           gsize          stride,
           guint          n)
{
  guint32 total = 0;

  for (guint i = 0; i < n; i++)
    {
      total += *(const guint *) ((const char *) weights + i * stride);
      cum[i] = total;
    }
}

static guint
pick_cum (Rng           *r,
          const guint32 *cum,
          guint          n)
{
  guint32 x = rng_below (r, cum[n - 1]);
  guint lo = 0, hi = n - 1;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      if (cum[mid] > x)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}

/* Days since 1970-01-01 → civil date (H. Hinnant's algorithm). */
static void
civil_from_days (gint64  z,
                 int    *y,
                 int    *m,
                 int    *d)
{
  gint64 era, yoe, doy, mp;
  unsigned doe;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = (unsigned) (z - era * 146097);
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = (int) (doy - (153 * mp + 2) / 5 + 1);
  *m = (int) (mp < 10 ? mp + 3 : mp - 9);
  *y = (int) (yoe + era * 400 + (*m <= 2));
}

static gint64
days_from_civil (int y,
                 int m,
                 int d)
{
  gint64 era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void
make_uuid (char     out[37],
           gint64   as_of,
           guint    table_tag,
           guint64  seed_bits,
           gint64   row_id)
{
  static const char hex[] = "0123456789abcdef";
  guint64 hi = ((guint64) as_of & G_GUINT64_CONSTANT (0xFFFFFFFFFFFF)) << 16 |
               0x7000 | (table_tag & 0xF) << 8 | (seed_bits & 0xFF);
  guint64 lo = G_GUINT64_CONSTANT (0x8000000000000000) |
               ((seed_bits >> 8) & 0x3FFFFF) << 40 |
               ((guint64) row_id & G_GUINT64_CONSTANT (0xFFFFFFFFFF));
  int pos = 0;

  for (int i = 15; i >= 0; i--)
    {
      if (pos == 8 || pos == 13 || pos == 18)
        out[pos++] = '-';
      out[pos++] = hex[(hi >> (i * 4)) & 0xF];
    }
  for (int i = 15; i >= 0; i--)
    {
      if (pos == 18 || pos == 23)
        out[pos++] = '-';
      out[pos++] = hex[(lo >> (i * 4)) & 0xF];
    }
  out[pos] = '\0';
}

/* Fills '#' with digits and '@' with capital letters. */
static void
fill_pattern (Rng        *r,
              const char *pattern,
              char       *out,
              gsize       size)
{
  gsize i = 0;

  for (const char *p = pattern; *p && i + 1 < size; p++)
    {
      if (*p == '#')
        out[i++] = '0' + rng_below (r, 10);
      else if (*p == '@')
        out[i++] = 'A' + rng_below (r, 26);
      else
        out[i++] = *p;
    }
  out[i] = '\0';
}

static void
build_catalogue (Gen *g)
{
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
            g->product_price[p] = (gint32) (yuan * 100);
            g->product_name[0][p] = g_strconcat (item->zh, variants[v].zh, NULL);
            g->product_name[1][p] = g_strconcat (item->en, variants[v].en, NULL);
            g_snprintf (g->product_sku[p], sizeof g->product_sku[p], "%s-%02u%s",
                        categories[c].code, it + 1, v ? "P" : "");
            g->by_price[c][it * N_VARIANTS + v] = p;
          }

      /* Insertion sort by price: a customer's price level picks a position. */
      for (guint i = 1; i < N_ITEMS * N_VARIANTS; i++)
        for (guint j = i; j > 0 && g->product_price[g->by_price[c][j - 1]] > g->product_price[g->by_price[c][j]]; j--)
          {
            guint16 t = g->by_price[c][j];
            g->by_price[c][j] = g->by_price[c][j - 1];
            g->by_price[c][j - 1] = t;
          }
    }
}

static void
gen_free (Gen *g)
{
  for (guint l = 0; l < 2; l++)
    for (guint p = 0; p < N_PRODUCTS; p++)
      g_free (g->product_name[l][p]);
  g_clear_pointer (&g->orders, g_array_unref);
  g_clear_pointer (&g->positions, g_array_unref);
  g_clear_pointer (&g->terms, crm_search_pairs_free);
  g_clear_pointer (&g->tags, crm_search_pairs_free);
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
static void
plan_allocation (Gen *g)
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

static void
restart_allocation (Gen *g)
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

/* ---- one customer -------------------------------------------------------------- */

typedef struct
{
  char name[96];
  char email[96];
  char phone[40];
  char birthday[11];
  char company[96];
  char address[160];
  char postal[16];
  char tags[160];
  char uuid[37];
  GenLang lang;
  gboolean zh_name;
} GenPerson;

static void
append_tag (char       *tags,
            gsize       size,
            const char *tag)
{
  if (strstr (tags, tag) != NULL)
    return;
  if (*tags)
    g_strlcat (tags, ", ", size);
  g_strlcat (tags, tag, size);
}

static void
make_person (Gen       *g,
             Rng       *r,
             GenPerson *p,
             gboolean   zh_name,
             int        gender,
             const GenCity **city_out)
{
  const GenCity *city;
  int sex = gender == CRM_GENDER_FEMALE ? 0 : gender == CRM_GENDER_MALE ? 1 : (int) rng_below (r, 2);
  const char *local_a = NULL, *local_b = NULL;
  char digits[16] = "";

  p->zh_name = zh_name;
  if (p->zh_name ? rng_chance (r, 0.98) : rng_chance (r, 0.25))
    city = &cities[pick_cum (r, g->cn_city_cum, N_CN_CITIES)];
  else
    city = &cities[N_CN_CITIES + pick_cum (r, g->intl_city_cum, G_N_ELEMENTS (g->intl_city_cum))];
  *city_out = city;
  p->lang = city->lang;

  if (p->zh_name)
    {
      const GenSurname *s = &surnames[pick_cum (r, g->surname_cum, G_N_ELEMENTS (surnames))];
      /* two-character names (surname + one character) are common */
      const GenGiven *gv = rng_chance (r, 0.35) ? &given1[sex][rng_below (r, 24)]
                                                : &given2[sex][rng_below (r, 24)];
      g_snprintf (p->name, sizeof p->name, "%s%s", s->zh, gv->zh);
      local_a = gv->py;
      local_b = s->py;
      p->lang = LANG_ZH;
    }
  else if (city->lang == LANG_ZH)
    {
      /* Latin spelling in China: "Zhang Wei" or an English given name, "Lily Chen" */
      const GenSurname *s = &surnames[pick_cum (r, g->surname_cum, G_N_ELEMENTS (surnames))];

      if (rng_chance (r, 0.5))
        {
          const GenGiven *gv = &given1[sex][rng_below (r, 24)];
          g_snprintf (p->name, sizeof p->name, "%c%s %c%s", g_ascii_toupper (s->py[0]), s->py + 1,
                      g_ascii_toupper (gv->py[0]), gv->py + 1);
          local_a = gv->py;
        }
      else
        {
          const GenLatin *f = &first_names[LANG_ZH][sex][rng_below (r, N_FIRST)];
          g_snprintf (p->name, sizeof p->name, "%s %c%s", f->name, g_ascii_toupper (s->py[0]), s->py + 1);
          local_a = f->ascii;
        }
      local_b = s->py;
    }
  else
    {
      const GenLatin *f = &first_names[city->lang][sex][rng_below (r, N_FIRST)];
      const GenLatin *l = &last_names[city->lang][rng_below (r, N_LAST)];

      g_snprintf (p->name, sizeof p->name, "%s %s", f->name, l->name);
      local_a = f->ascii;
      local_b = l->ascii;
    }

  /* e-mail: 85 % have one; addresses get digits so that they are unique-ish */
  p->email[0] = '\0';
  if (rng_chance (r, 0.85))
    {
      double u = rng_double (r);

      if (p->lang == LANG_ZH && u < 0.35)
        {
          /* a QQ number */
          guint64 qq = 10000 + (rng_next (r) % G_GUINT64_CONSTANT (3999990000));
          g_snprintf (p->email, sizeof p->email, "%" G_GUINT64_FORMAT "@qq.com", qq);
        }
      else
        {
          const char *domain = p->lang == LANG_ZH ? PICK (r, cn_mail_domains)
                                                  : mail_domains[p->lang][rng_below (r, 4)];
          if (rng_chance (r, 0.8))
            g_snprintf (digits, sizeof digits, "%u", rng_below (r, 10000));
          switch (rng_below (r, 3))
            {
            case 0:
              g_snprintf (p->email, sizeof p->email, "%s.%s%s@%s", local_a, local_b, digits, domain);
              break;
            case 1:
              g_snprintf (p->email, sizeof p->email, "%s%s%s@%s", local_b, local_a, digits, domain);
              break;
            default:
              g_snprintf (p->email, sizeof p->email, "%c.%s%s@%s", local_a[0], local_b, digits, domain);
            }
        }
    }

  /* phone: 90 % have one */
  p->phone[0] = '\0';
  if (rng_chance (r, 0.9))
    {
      if (city->phone == NULL)
        {
          char tail[10];
          fill_pattern (r, "#### ####", tail, sizeof tail);
          g_snprintf (p->phone, sizeof p->phone, "+86 %s %s", PICK (r, cn_mobile_prefixes), tail);
        }
      else
        fill_pattern (r, city->phone, p->phone, sizeof p->phone);
    }

  /* address and postal code: 80 % */
  p->address[0] = p->postal[0] = '\0';
  if (rng_chance (r, 0.8))
    {
      if (city->lang == LANG_ZH)
        {
          if (rng_chance (r, 0.6))
            g_snprintf (p->address, sizeof p->address, "%s%u号%u栋%u室", PICK (r, cn_roads),
                        1 + rng_below (r, 300), 1 + rng_below (r, 20),
                        (1 + rng_below (r, 30)) * 100 + 1 + rng_below (r, 6));
          else
            g_snprintf (p->address, sizeof p->address, "%s%u号", PICK (r, cn_roads), 1 + rng_below (r, 300));
        }
      else if (city->lang == LANG_EN || city->lang == LANG_FR)
        g_snprintf (p->address, sizeof p->address, "%u %s", 1 + rng_below (r, 200),
                    streets[city->lang][rng_below (r, 6)]);
      else
        g_snprintf (p->address, sizeof p->address, "%s %u", streets[city->lang][rng_below (r, 6)],
                    1 + rng_below (r, 200));
      fill_pattern (r, city->postal, p->postal, sizeof p->postal);
    }
}

static int
pick_gender (Rng *r)
{
  double u = rng_double (r);

  return u < 0.49 ? CRM_GENDER_FEMALE : u < 0.97 ? CRM_GENDER_MALE
                                      : u < 0.995 ? CRM_GENDER_UNKNOWN : CRM_GENDER_OTHER;
}

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

static void
make_orders (Gen       *g,
             Rng       *r,
             guint64    n,
             gint64    *acquired_at,
             gboolean  *returned_out,
             gint64    *returned_at_out,
             double    *mean_gap_days)
{
  static const guint shapes[] = { 1, 2, 4 };
  gint64 as_of = g->as_of;
  gint64 history = HISTORY_DAYS * DAY_MS;
  gint64 a, c, ret, active;
  guint shape = PICK (r, shapes);
  guint fav1 = rng_below (r, N_CATEGORIES), fav2 = rng_below (r, N_CATEGORIES);
  double level = pow (rng_double (r), 1.6);   /* most customers buy cheaper items */
  guint pref_channel = pick_cum (r, g->channel_cum, G_N_ELEMENTS (channels));
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
      gint64 age_days;
      double u;

      if (t >= as_of)
        t = as_of - 1;
      o->placed_at = t;
      age_days = (as_of - t) / DAY_MS;

      u = rng_double (r);
      if (age_days < 2)
        o->status = u < 0.7 ? ST_PROCESSING : ST_SHIPPED;
      else if (age_days < 7)
        o->status = u < 0.6 ? ST_SHIPPED : u < 0.97 ? ST_COMPLETED : ST_CANCELLED;
      else
        o->status = u < 0.035 ? ST_CANCELLED : u < 0.07 ? ST_REFUNDED : ST_COMPLETED;

      o->channel = rng_chance (r, 0.7) ? pref_channel : pick_cum (r, g->channel_cum, G_N_ELEMENTS (channels));

      u = rng_double (r);
      o->n_lines = u < 0.5 ? 1 : u < 0.78 ? 2 : u < 0.92 ? 3 : 4;
      o->subtotal = 0;
      for (guint l = 0; l < o->n_lines; l++)
        {
          double uc = rng_double (r);
          guint cat = uc < 0.4 ? fav1 : uc < 0.65 ? fav2 : rng_below (r, N_CATEGORIES);
          double pos = level * (N_ITEMS * N_VARIANTS - 1) + (rng_double (r) + rng_double (r) - 1.0) * 5.0;
          int idx = CLAMP ((int) lround (pos), 0, N_ITEMS * N_VARIANTS - 1);
          guint16 prod = g->by_price[cat][idx];
          double uq = rng_double (r);
          gint32 price = g->product_price[prod];

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

  *acquired_at = a;
  *returned_out = returns;
  *returned_at_out = ret;
  *mean_gap_days = n > 1 ? (double) active / DAY_MS / n : 0;
}

static gboolean
step (Gen           *g,
      sqlite3_stmt  *stmt,
      GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (g->store, rc, error);
  return TRUE;
}

static inline void
bind_text (sqlite3_stmt *stmt,
           int           i,
           const char   *text)
{
  if (text == NULL || *text == '\0')
    sqlite3_bind_null (stmt, i);
  else
    sqlite3_bind_text (stmt, i, text, -1, SQLITE_STATIC);
}

static inline void
bind_time (sqlite3_stmt *stmt,
           int           i,
           gint64        t)
{
  if (t == 0)
    sqlite3_bind_null (stmt, i);
  else
    sqlite3_bind_int64 (stmt, i, t);
}

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
      if (!step (g, g->ins_orders, error))
        return FALSE;
    }
  else
    for (guint i = 0; i < g->n_order_rows; i++)
      {
        bind_order (g->ins_order, 0, &g->order_rows[i]);
        if (!step (g, g->ins_order, error))
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
      if (!step (g, g->ins_lines, error))
        return FALSE;
    }
  else
    for (guint i = 0; i < g->n_line_rows; i++)
      {
        bind_line (g->ins_line, 0, &g->line_rows[i]);
        if (!step (g, g->ins_line, error))
          return FALSE;
      }
  g->n_line_rows = 0;
  return TRUE;
}

static gboolean
make_customer (Gen      *g,
               guint64   index,
               GError  **error)
{
  gint64 id = g->first_customer_id + (gint64) index;
  gint64 as_of = g->as_of;
  gint64 history = HISTORY_DAYS * DAY_MS;
  GenPerson p;
  const GenCity *city;
  Rng r, ro;
  double weight, mean_gap = 0;
  GenRole role;
  guint64 n;
  gboolean zh_name;
  int gender, lifecycle;
  gint64 acquired = 0, returned_at = 0, created_at, updated_at;
  gint64 total_spent = 0, order_count = 0, first_at = 0, last_at = 0;
  gint64 email_consent_at = 0, sms_consent_at = 0;
  gboolean returned = FALSE;
  const char *company = NULL, *occupation = NULL, *note = NULL;
  CrmSearchKeys keys;
  sqlite3_stmt *st;
  gboolean ok;
  int k = 0;

  rng_seed (&r, g->seed, index);
  role = customer_role (g, &r, &weight);
  n = allocate_orders (g, role, weight);
  zh_name = rng_chance (&r, 0.6);

  gender = pick_gender (&r);
  make_person (g, &r, &p, zh_name, gender, &city);

  /* The orders are made here for the aggregates, and made again, identically
   * from their own stream, when they are written after all customers. */
  rng_seed (&ro, g->seed ^ ORDER_STREAM, index);
  if (n > 0)
    make_orders (g, &ro, n, &acquired, &returned, &returned_at, &mean_gap);
  else
    g_array_set_size (g->orders, 0);

  for (guint64 j = 0; j < n; j++)
    {
      const GenOrder *o = &g_array_index (g->orders, GenOrder, j);

      if (o->status == ST_CANCELLED || o->status == ST_REFUNDED)
        continue;
      total_spent += o->total;
      order_count++;
      if (first_at == 0 || o->placed_at < first_at)
        first_at = o->placed_at;
      if (o->placed_at > last_at)
        last_at = o->placed_at;
    }

  if (n > 0)
    created_at = acquired - (gint64) rng_below (&r, 30 * 24) * 3600000;
  else
    created_at = as_of - (gint64) (rng_double (&r) * history);
  updated_at = n > 0 ? MAX (created_at, g_array_index (g->orders, GenOrder, n - 1).placed_at) : created_at;

  if (order_count == 0)
    lifecycle = CRM_LIFECYCLE_PROSPECT;
  else if (as_of - first_at < 90 * DAY_MS)
    lifecycle = CRM_LIFECYCLE_NEW;
  else if (as_of - last_at > 365 * DAY_MS)
    lifecycle = CRM_LIFECYCLE_CHURNED;
  else if (returned && last_at >= returned_at)
    lifecycle = CRM_LIFECYCLE_WON_BACK;
  else if (as_of - last_at > MAX (120.0, 3 * mean_gap) * DAY_MS)
    lifecycle = CRM_LIFECYCLE_AT_RISK;
  else
    lifecycle = CRM_LIFECYCLE_ACTIVE;

  /* birthday: 90 %, ages 18–75 */
  p.birthday[0] = '\0';
  if (rng_chance (&r, 0.9))
    {
      int age = 18 + (int) ((rng_double (&r) + rng_double (&r)) * 28.5);
      int y = g->as_of_year - age, m, d;
      gint64 day = days_from_civil (y, 1, 1) + rng_below (&r, 365);

      civil_from_days (day, &y, &m, &d);
      g_snprintf (p.birthday, sizeof p.birthday, "%04d-%02d-%02d", y, m, d);
    }

  if (rng_chance (&r, 0.25))
    {
      if (p.lang == LANG_ZH)
        g_snprintf (p.company, sizeof p.company, "%s%s%s", city->lang == LANG_ZH ? city->city : "",
                    PICK (&r, cn_company_heads), PICK (&r, cn_company_tails));
      else
        {
          const char *last = strchr (p.name, ' ');
          g_snprintf (p.company, sizeof p.company, "%s %s", last ? last + 1 : p.name, PICK (&r, company_tails));
        }
      company = p.company;
    }
  if (rng_chance (&r, 0.5))
    occupation = p.lang == LANG_ZH ? PICK (&r, cn_occupations) : PICK (&r, occupations);
  if (rng_chance (&r, 0.04))
    note = p.lang == LANG_ZH ? PICK (&r, cn_notes) : PICK (&r, notes);

  p.tags[0] = '\0';
  if (total_spent >= 1000000)    /* 10 000 yuan */
    append_tag (p.tags, sizeof p.tags, "VIP");
  if (order_count >= 5 && as_of - first_at > 2 * 365 * DAY_MS)
    append_tag (p.tags, sizeof p.tags, "老客户");
  if (lifecycle == CRM_LIFECYCLE_AT_RISK)
    append_tag (p.tags, sizeof p.tags, "潜在流失");
  while (rng_chance (&r, 0.2))
    append_tag (p.tags, sizeof p.tags, PICK (&r, random_tags));

  if (p.email[0] && rng_chance (&r, 0.55))
    email_consent_at = MIN (as_of, created_at + (gint64) rng_below (&r, 30 * 24) * 3600000);
  if (p.phone[0] && rng_chance (&r, 0.4))
    sms_consent_at = MIN (as_of, created_at + (gint64) rng_below (&r, 30 * 24) * 3600000);

  make_uuid (p.uuid, as_of, 1, g->seed_bits, id);
  crm_search_keys_init (&keys, p.phone, p.email);

  st = g->ins_customer;
  sqlite3_bind_int64 (st, ++k, id);
  sqlite3_bind_text (st, ++k, p.uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, ++k, created_at);
  sqlite3_bind_int64 (st, ++k, updated_at);
  bind_text (st, ++k, p.name);
  sqlite3_bind_int (st, ++k, gender);
  bind_text (st, ++k, p.birthday);
  bind_text (st, ++k, p.phone);
  bind_text (st, ++k, p.email);
  bind_text (st, ++k, company);
  bind_text (st, ++k, occupation);
  bind_text (st, ++k, p.address);
  bind_text (st, ++k, city->city);
  bind_text (st, ++k, city->region);
  bind_text (st, ++k, city->country);
  bind_text (st, ++k, p.postal);
  bind_text (st, ++k, sources[pick_cum (&r, g->source_cum, G_N_ELEMENTS (sources))].key);
  bind_text (st, ++k, p.tags);
  bind_text (st, ++k, note);
  sqlite3_bind_int (st, ++k, email_consent_at != 0);
  bind_time (st, ++k, email_consent_at);
  sqlite3_bind_int (st, ++k, sms_consent_at != 0);
  bind_time (st, ++k, sms_consent_at);
  bind_text (st, ++k, rng_chance (&r, 0.7) ? PICK (&r, owners) : NULL);
  sqlite3_bind_int64 (st, ++k, total_spent);
  sqlite3_bind_int64 (st, ++k, order_count);
  bind_time (st, ++k, first_at);
  bind_time (st, ++k, last_at);
  crm_search_keys_bind (&keys, st, k + 1);
  ok = step (g, st, error);
  crm_search_keys_clear (&keys);
  if (!ok)
    return FALSE;

  /* The stage the story above gives the customer, until a recompute says otherwise. */
  sqlite3_bind_int64 (g->ins_state, 1, id);
  sqlite3_bind_int (g->ins_state, 2, lifecycle);
  if (!step (g, g->ins_state, error))
    return FALSE;

  /* The same rows crm_store_index_customer() writes, kept to be written in key order. */
  crm_search_pairs_add_text (g->terms, id, p.name);
  crm_search_pairs_add_text (g->tags, id, p.tags);

  g->info.customers_done++;
  return TRUE;
}

/* Second pass: the orders and lines of customer @index, made again from the same
 * streams as in make_customer().  Customers are all written first so that their
 * table and indexes sit together at the start of the file instead of being
 * scattered through gigabytes of order pages: a cold start reads the name index
 * sequentially. */
static gboolean
write_orders (Gen      *g,
              guint64   index,
              GError  **error)
{
  gint64 id = g->first_customer_id + (gint64) index;
  gint64 as_of = g->as_of;
  gint64 acquired, returned_at;
  gboolean returned, zh_name;
  double weight, mean_gap;
  Rng r, ro;
  GenRole role;
  guint64 n;

  rng_seed (&r, g->seed, index);
  role = customer_role (g, &r, &weight);
  n = allocate_orders (g, role, weight);
  zh_name = rng_chance (&r, 0.6);   /* order lines speak the customer's language */
  if (n == 0)
    return TRUE;

  rng_seed (&ro, g->seed ^ ORDER_STREAM, index);
  make_orders (g, &ro, n, &acquired, &returned, &returned_at, &mean_gap);

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
      make_uuid (row->uuid, as_of, 2, g->seed_bits, oid);
      g_snprintf (row->number, sizeof row->number, "SO%010" G_GINT64_FORMAT, oid);
      if (g->n_order_rows == ROWS_PER_INSERT && !flush_orders (g, error))
        return FALSE;

      for (guint l = 0; l < o->n_lines; l++)
        {
          LineRow *line = &g->line_rows[g->n_line_rows++];
          guint prod = o->product[l];

          line->id = g->next_line_id++;
          line->order_id = oid;
          line->placed_at = o->placed_at;
          line->unit_price = o->unit_price[l];
          line->quantity = o->qty[l];
          line->sku = g->product_sku[prod];
          line->product = g->product_name[zh_name ? 0 : 1][prod];
          line->category = categories[prod / (N_ITEMS * N_VARIANTS)].zh;
          make_uuid (line->uuid, as_of, 3, g->seed_bits, line->id);
          if (g->n_line_rows == ROWS_PER_INSERT && !flush_lines (g, error))
            return FALSE;
          g->info.lines_done++;
        }
      g->info.orders_done++;
    }

  return TRUE;
}

/* ---- the run --------------------------------------------------------------------- */

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

typedef struct
{
  gboolean  saved;
  char     *journal_mode;
  gint64    synchronous;
  gint64    foreign_keys;
  gint64    cache_size;
} SavedPragmas;

static void
tune_for_bulk (sqlite3      *db,
               SavedPragmas *s)
{
  g_autofree char *mode = NULL;
  g_autofree char *sql = NULL;

  s->saved = TRUE;
  s->journal_mode = crm_db_query_text (db, "PRAGMA journal_mode");
  s->synchronous = crm_db_query_int64 (db, "PRAGMA synchronous", 2);
  s->foreign_keys = crm_db_query_int64 (db, "PRAGMA foreign_keys", 1);
  s->cache_size = crm_db_query_int64 (db, "PRAGMA cache_size", -2000);

  /* Fails harmlessly (stays WAL) while another connection has the file open. */
  mode = crm_db_query_text (db, "PRAGMA journal_mode = TRUNCATE");
  g_debug ("generate: journal mode %s", mode ? mode : "(unchanged)");

  sql = g_strdup_printf ("PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF; PRAGMA cache_size = -%d;",
                         GEN_CACHE_KIB);
  sqlite3_exec (db, sql, NULL, NULL, NULL);
}

static void
restore_pragmas (sqlite3      *db,
                 SavedPragmas *s)
{
  g_autofree char *sql = NULL;
  g_autofree char *mode = NULL;

  if (!s->saved)
    return;

  sql = g_strdup_printf ("PRAGMA synchronous = %" G_GINT64_FORMAT "; PRAGMA foreign_keys = %" G_GINT64_FORMAT ";"
                         " PRAGMA cache_size = %" G_GINT64_FORMAT ";",
                         s->synchronous, s->foreign_keys, s->cache_size);
  sqlite3_exec (db, sql, NULL, NULL, NULL);
  /* The saved mode is a keyword SQLite itself returned ("wal", "delete", ...). */
  if (s->journal_mode != NULL)
    {
      g_autofree char *set = g_strdup_printf ("PRAGMA journal_mode = %s", s->journal_mode);
      mode = crm_db_query_text (db, set);
      if (mode == NULL || g_ascii_strcasecmp (mode, s->journal_mode) != 0)
        g_warning ("Could not set the journal mode of the database back to %s", s->journal_mode);
    }
  g_clear_pointer (&s->journal_mode, g_free);
  s->saved = FALSE;
}

static void
report (Gen                 *g,
        CrmGenerateProgress  progress,
        gpointer             user_data,
        CrmGeneratePhase     phase)
{
  g->info.phase = phase;
  if (progress != NULL)
    progress (&g->info, user_data);
}

gboolean
crm_generate (CrmStore                  *store,
              const CrmGenerateOptions  *opts,
              CrmGenerateProgress        progress,
              gpointer                   user_data,
              GCancellable              *cancellable,
              GError                   **error)
{
  Gen g = { 0 };
  SavedPragmas saved = { 0 };
  g_autoptr(GPtrArray) fts_trigger = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *state_trigger = NULL;
  g_autoptr(GPtrArray) index_sql = NULL;
  gboolean ok = FALSE;
  gboolean in_tx = FALSE;
  int y, m, d;
  g_autoptr(CrmStoreOperation) operation = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (opts != NULL, FALSE);
  operation = crm_store_operation_push (store, "generate");

  if (opts->customers > MAX_CUSTOMERS || opts->orders > MAX_ORDERS)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("Too much sample data asked for: at most %" PRIu64 " customers and %"
                     PRIu64 " orders"), MAX_CUSTOMERS, MAX_ORDERS);
      return FALSE;
    }
  if (opts->orders > 0 && opts->customers == 0)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("Orders need customers: ask for at least one customer"));
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  g.store = store;
  g.db = crm_store_get_db (store);
  g.seed = opts->seed;
  g.seed_bits = splitmix64 (&(guint64) { opts->seed });
  g.as_of = opts->as_of != 0 ? opts->as_of : crm_now_ms ();
  civil_from_days (g.as_of / DAY_MS, &y, &m, &d);
  g.as_of_year = y;
  g.n_customers = opts->customers;
  g.n_orders = opts->orders;
  g.info.customers_total = opts->customers;
  g.info.orders_total = opts->orders;
  g.orders = g_array_new (FALSE, FALSE, sizeof (GenOrder));
  g.positions = g_array_new (FALSE, FALSE, sizeof (double));

  build_cum (g.surname_cum, &surnames[0].weight, sizeof surnames[0], G_N_ELEMENTS (surnames));
  build_cum (g.cn_city_cum, &cities[0].weight, sizeof cities[0], N_CN_CITIES);
  build_cum (g.intl_city_cum, &cities[N_CN_CITIES].weight, sizeof cities[0], G_N_ELEMENTS (g.intl_city_cum));
  build_cum (g.source_cum, &sources[0].weight, sizeof sources[0], G_N_ELEMENTS (sources));
  build_cum (g.channel_cum, &channels[0].weight, sizeof channels[0], G_N_ELEMENTS (channels));
  build_catalogue (&g);
  plan_allocation (&g);

  /* Pragmas cannot change inside a transaction: only tune when we own the outermost one. */
  if (sqlite3_get_autocommit (g.db))
    tune_for_bulk (g.db, &saved);

  if (!crm_store_begin (store, error))
    goto out;
  in_tx = TRUE;

  g.first_customer_id = crm_db_query_int64 (g.db, "SELECT coalesce(max(id), 0) + 1 FROM customers", 1);
  g.terms = crm_search_pairs_new (CRM_SEARCH_TERMS, g.first_customer_id);
  g.tags = crm_search_pairs_new (CRM_SEARCH_TAGS, g.first_customer_id);
  g.next_order_id = crm_db_query_int64 (g.db, "SELECT coalesce(max(id), 0) + 1 FROM orders", 1);
  g.next_line_id = crm_db_query_int64 (g.db, "SELECT coalesce(max(id), 0) + 1 FROM order_lines", 1);

  /* The orders are in yuan: a shop that had none yet now counts in CNY (the UI
   * shows amounts in the database's currency); an existing one keeps its own. */
  if (!crm_store_exec (store, g.next_order_id == 1
                              ? "INSERT OR REPLACE INTO settings (key, value) VALUES ('currency', 'CNY')"
                              : "INSERT OR IGNORE INTO settings (key, value) VALUES ('currency', 'CNY')",
                       error))
    goto out;
  crm_store_note_setting (store, "currency");

  if (!(g.ins_customer = crm_store_prepare (store,
          "INSERT INTO customers (id, uuid, created_at, updated_at, name, gender, birthday, phone, email,"
          " company, occupation, address, city, region, country, postal_code, source, tags, notes,"
          " email_consent, email_consent_at, sms_consent, sms_consent_at, owner,"
          " total_spent, order_count, first_order_at, last_order_at, " CRM_SEARCH_KEY_COLUMNS ")"
          " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", error)) ||
      !(g.ins_state = crm_store_prepare (store,
          "INSERT INTO customer_state (customer_id, lifecycle) VALUES (?, ?)", error)) ||
      !(g.ins_order = crm_store_prepare (store,
          "INSERT INTO orders (id, uuid, created_at, updated_at, customer_id, number, placed_at, status,"
          " channel, currency, subtotal, discount, shipping, tax, total)"
          " VALUES (?,?,?,?,?,?,?,?,?,'CNY',?,?,?,0,?)", error)) ||
      !(g.ins_line = crm_store_prepare (store,
          "INSERT INTO order_lines (id, uuid, created_at, updated_at, order_id, sku, product, category,"
          " quantity, unit_price, amount) VALUES (?,?,?,?,?,?,?,?,?,?,?)", error)) ||
      !(g.ins_orders = prepare_multi (store,
          "INSERT INTO orders (id, uuid, created_at, updated_at, customer_id, number, placed_at, status,"
          " channel, currency, subtotal, discount, shipping, tax, total) VALUES ",
          "(?,?,?,?,?,?,?,?,?,'CNY',?,?,?,0,?)", error)) ||
      !(g.ins_lines = prepare_multi (store,
          "INSERT INTO order_lines (id, uuid, created_at, updated_at, order_id, sku, product, category,"
          " quantity, unit_price, amount) VALUES ", "(?,?,?,?,?,?,?,?,?,?,?)", error)))
    goto out;

  /* FTS5 flushes its pending terms at every statement savepoint, and each row
   * insert through the trigger opens one: row by row the index costs 10× more
   * than filling it with one statement at the end (measured: 4.6 s against 0.3 s
   * per 100k customers).  The trigger is restored in the same transaction. */
  if (!crm_search_suspend_fts (store, FALSE, fts_trigger, error))
    goto out;
  /* Each customer's state row is written with its stage (below), not made empty by the trigger. */
  state_trigger = crm_db_query_text (g.db, "SELECT sql FROM sqlite_master WHERE type = 'trigger'"
                                    " AND name = 'customers_state_ai'");
  if (state_trigger != NULL && !crm_store_exec (store, "DROP TRIGGER customers_state_ai", error))
    goto out;

  /* Into a table that is empty (or small next to what comes), the customers'
   * secondary indexes are built after the rows: sorted, and so in consecutive
   * pages.  Filled row by row their pages end up scattered over the customers'
   * part of the file, and a cold start then reads the name index at random
   * (measured at 1M customers: 0.45–0.68 s to the first rows instead of ~0.1 s). */
  if (crm_db_query_int64 (g.db, "SELECT count(*) FROM customers", 0) < (gint64) g.n_customers &&
      !crm_store_drop_objects (store, "INDEX", "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                                               " AND tbl_name = 'customers'",
                               (index_sql = g_ptr_array_new_with_free_func (g_free)), error))
    goto out;

  report (&g, progress, user_data, CRM_GENERATE_PHASE_WRITING);
  for (guint64 i = 0; i < g.n_customers; i++)
    {
      if (!make_customer (&g, i, error))
        goto out;

      if ((i + 1) % BATCH_CUSTOMERS == 0 || i + 1 == g.n_customers)
        {
          report (&g, progress, user_data, CRM_GENERATE_PHASE_WRITING);
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            goto out;
        }
    }

  report (&g, progress, user_data, CRM_GENERATE_PHASE_INDEXING);
  crm_store_set_cancellable (store, cancellable);
  if (!crm_search_pairs_write (g.terms, store, error) || !crm_search_pairs_write (g.tags, store, error))
    goto indexing_failed;
  if (index_sql != NULL && !crm_store_create_indexes (store, index_sql, error))
    goto indexing_failed;
  if (fts_trigger->len > 0 && !crm_search_resume_fts (store, g.first_customer_id, fts_trigger, error))
    goto indexing_failed;
  if (state_trigger != NULL && !crm_store_exec (store, state_trigger, error))
    goto indexing_failed;
  crm_store_set_cancellable (store, NULL);

  restart_allocation (&g);
  for (guint64 i = 0; i < g.n_customers; i++)
    {
      if (!write_orders (&g, i, error))
        goto out;

      if ((i + 1) % BATCH_CUSTOMERS == 0 || i + 1 == g.n_customers)
        {
          report (&g, progress, user_data, CRM_GENERATE_PHASE_WRITING);
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            goto out;
        }
    }

  if (!flush_orders (&g, error) || !flush_lines (&g, error))
    goto out;
  g_assert (g.info.orders_done == g.n_orders);

  report (&g, progress, user_data, CRM_GENERATE_PHASE_COMMITTING);
  if (!crm_store_commit (store, error))
    goto out;
  in_tx = FALSE;
  ok = TRUE;

indexing_failed:
  crm_store_set_cancellable (store, NULL);
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_clear_error (error);
      g_cancellable_set_error_if_cancelled (cancellable, error);
    }

out:
  if (in_tx)
    crm_store_rollback (store);
  restore_pragmas (g.db, &saved);
  if (ok)
    report (&g, progress, user_data, CRM_GENERATE_PHASE_DONE);
  gen_free (&g);
  return ok;
}

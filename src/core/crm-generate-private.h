/* crm-generate-private.h: what the three parts of the generator share.
 *
 *   crm-generate.c         the run: pragmas, statements, phases, one customer row
 *   crm-generate-people.c  who the customers are: names, unique phones and e-mails,
 *                          addresses, birthdays, companies, tags (crm-generate-data.h)
 *   crm-generate-orders.c  what they buy: the catalogue, how the orders are shared out,
 *                          each customer's order history and the order/line rows
 *                          (crm-generate-catalogue.h)
 *
 * Each word list is included by the one file that uses it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <math.h>
#include <sqlite3.h>

#include "crm-generate.h"
#include "crm-search.h"

G_BEGIN_DECLS

#define DAY_MS          G_GINT64_CONSTANT (86400000)
#define HISTORY_DAYS    1461     /* four years of orders before as_of */
#define ORDER_STREAM    G_GUINT64_CONSTANT (0x6f72646572730000)   /* "orders" */

/* Orders and lines go in ROWS_PER_INSERT rows per INSERT statement: one VDBE run
 * per 16 rows instead of per row. */
#define ROWS_PER_INSERT 16
#define ORDER_COLS      13
#define LINE_COLS       11

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

static inline void
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

/* Weighted choices: @cum holds the running sums of the weights. */
static inline void
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

static inline guint
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

/* ---- state ------------------------------------------------------------------ */

typedef enum
{
  LANG_ZH,
  LANG_EN,
  LANG_DE,
  LANG_FR,
  LANG_ES,
  LANG_IT,
  LANG_NL,
  LANG_SV,
  N_LANGS
} GenLang;

typedef struct
{
  const char *key;
  guint       weight;
} GenChoice;

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

typedef struct _GenPeople    GenPeople;      /* crm-generate-people.c */
typedef struct _GenCatalogue GenCatalogue;   /* crm-generate-orders.c */

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
  /* Every customer id of the run is at most 10^7: the last seven digits of the phone
   * numbers are unique on their own (see crm-generate-people.c). */
  gboolean                 ids_below_1e7;

  GenPeople               *people;
  GenCatalogue            *catalogue;

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

/* One customer as crm-generate-people.c makes them. */
typedef struct
{
  char        name[96];
  char        email[96];
  char        phone[40];
  char        birthday[11];
  char        company[96];
  char        address[160];
  char        postal[16];
  char        tags[160];
  char        uuid[37];
  GenLang     lang;
  gboolean    zh_name;
  gboolean    city_zh;     /* a city in China: a company there carries its name */
  const char *city;
  const char *region;
  const char *country;
  const char *occupation;
  const char *note;
  const char *source;
  const char *owner;
} GenPerson;

/* What a customer's orders add up to (the statuses the store counts). */
typedef struct
{
  guint64  n;              /* orders of any status */
  gint64   total_spent;
  gint64   order_count;
  gint64   first_at;
  gint64   last_at;
  gint64   last_placed_at; /* the last order of any status */
  gint64   acquired_at;
  gboolean returned;
  gint64   returned_at;
  double   mean_gap_days;
} GenHistory;

/* crm-generate.c */
gboolean   crm_gen_step                (Gen            *g,
                                        sqlite3_stmt   *stmt,
                                        GError        **error);
void       crm_gen_make_uuid           (char            out[37],
                                        gint64          as_of,
                                        guint           table_tag,
                                        guint64         seed_bits,
                                        gint64          row_id);
void       crm_gen_civil_from_days     (gint64          z,
                                        int            *y,
                                        int            *m,
                                        int            *d);
gint64     crm_gen_days_from_civil     (int             y,
                                        int             m,
                                        int             d);

/* crm-generate-people.c */
GenPeople *crm_gen_people_new          (void);
void       crm_gen_people_free         (GenPeople      *people);
int        crm_gen_pick_gender         (Rng            *r);
void       crm_gen_make_person         (Gen            *g,
                                        Rng            *r,
                                        GenPerson      *p,
                                        gint64          id,
                                        gboolean        zh_name,
                                        int             gender);
void       crm_gen_make_birthday       (Gen            *g,
                                        Rng            *r,
                                        GenPerson      *p);
void       crm_gen_make_work           (Rng            *r,
                                        GenPerson      *p);
void       crm_gen_make_tags           (Rng            *r,
                                        GenPerson      *p,
                                        gint64          as_of,
                                        const GenHistory *h,
                                        int             lifecycle);
void       crm_gen_make_source_owner   (Gen            *g,
                                        Rng            *r,
                                        GenPerson      *p);
/* The unique parts of a phone number and of an e-mail address of customer @id. */
guint32    crm_gen_phone_code          (gint64          id);
void       crm_gen_email_code          (gint64          id,
                                        char           *out,
                                        gsize           size);
guint32    crm_gen_qq_code             (gint64          id);

/* crm-generate-orders.c */
GenCatalogue *crm_gen_catalogue_new    (void);
void       crm_gen_catalogue_free      (GenCatalogue   *catalogue);
void       crm_gen_plan_allocation     (Gen            *g);
void       crm_gen_restart_allocation  (Gen            *g);
/* The first draws of a customer's stream @r: role, repeat weight; the number of orders. */
guint64    crm_gen_customer_orders     (Gen            *g,
                                        Rng            *r);
/* Makes the @n orders of customer @index (their own stream) and what they add up to. */
void       crm_gen_history             (Gen            *g,
                                        guint64         index,
                                        guint64         n,
                                        GenHistory     *h);
gboolean   crm_gen_write_orders        (Gen            *g,
                                        guint64         index,
                                        GError        **error);
gboolean   crm_gen_flush               (Gen            *g,
                                        GError        **error);
gboolean   crm_gen_prepare_orders      (Gen            *g,
                                        GError        **error);

G_END_DECLS

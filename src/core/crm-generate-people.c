/* crm-generate-people.c: who the generated customers are — names, phones, e-mail
 * addresses, addresses, birthdays, work and tags.
 *
 * Every draw comes from the customer's own stream (crm-generate.c), in a fixed order.
 *
 * Phones and e-mail addresses are unique, because duplicates are found by them: an
 * export of a sample shop imported into an empty database must add every customer
 * (before, distinct customers shared the last eight digits of their phone — the
 * importer's duplicate key — or a whole e-mail address, and such a round trip skipped
 * about 7 % of the rows).  Their unique parts are not drawn but computed from the
 * customer's row id through fixed permutations (a small Feistel network, cycle-walked
 * onto a decimal range), so they look random, are the same for the same id whatever
 * the seed, and stay unique across runs appended to one database:
 *
 * - Phones: the last seven digits are a permutation of (id − 1) mod 10^7, so while
 *   every id is at most 10^7 no two customers share them, and thus not the last eight
 *   digits either: a number's fixed digits (a US area code's last digit, say) can
 *   stay.  The eighth digit from the end (when the pattern leaves it free) mixes in
 *   (id − 1) / 10^7, and a run whose ids go beyond 10^7 also overwrites a fixed eighth
 *   digit with it, so the last eight digits are a permutation of (id − 1) mod 10^8.
 *   Chinese mobiles keep the operators' real prefixes (138, 159, 186, ...).
 * - E-mail addresses: a QQ address is a nine- or ten-digit QQ number ending in a
 *   permutation of the id; any other address is letters (the name) followed by the
 *   digits of the id permuted within its number of digits (at least four), so the
 *   digits alone tell two addresses apart.
 * The draws that made these digits before are still made, and thrown away, so every
 * other field of a customer is what it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-generate-private.h"

#include <string.h>

#include "crm-customer.h"
#include "crm-generate-data.h"

struct _GenPeople
{
  /* weighted choices: cumulative weights */
  guint32 surname_cum[G_N_ELEMENTS (surnames)];
  guint32 cn_city_cum[N_CN_CITIES];
  guint32 intl_city_cum[G_N_ELEMENTS (cities) - N_CN_CITIES];
  guint32 source_cum[G_N_ELEMENTS (sources)];
};

GenPeople *
crm_gen_people_new (void)
{
  GenPeople *people = g_new0 (GenPeople, 1);

  build_cum (people->surname_cum, &surnames[0].weight, sizeof surnames[0], G_N_ELEMENTS (surnames));
  build_cum (people->cn_city_cum, &cities[0].weight, sizeof cities[0], N_CN_CITIES);
  build_cum (people->intl_city_cum, &cities[N_CN_CITIES].weight, sizeof cities[0],
             G_N_ELEMENTS (people->intl_city_cum));
  build_cum (people->source_cum, &sources[0].weight, sizeof sources[0], G_N_ELEMENTS (sources));
  return people;
}

void
crm_gen_people_free (GenPeople *people)
{
  g_free (people);
}

/* ---- unique codes ------------------------------------------------------------------ */

#define KEY_PHONE G_GUINT64_CONSTANT (0x70686f6e65000001)   /* "phone" */
#define KEY_QQ    G_GUINT64_CONSTANT (0x7171000000000002)   /* "qq" */
#define KEY_MAIL  G_GUINT64_CONSTANT (0x6d61696c00000003)   /* "mail" */
#define E7        G_GUINT64_CONSTANT (10000000)
#define E8        G_GUINT64_CONSTANT (100000000)

/* A permutation of [0, n): a four-round Feistel network over the smallest even number
 * of bits that holds n (a permutation of [0, 2^bits)), walked along its cycle until
 * the value falls below n again — which makes it a permutation of [0, n). */
static guint64
permute (guint64 x,
         guint64 n,
         guint64 key)
{
  guint bits = 2;
  guint half;
  guint64 mask;

  g_assert (x < n);
  while ((G_GUINT64_CONSTANT (1) << bits) < n)
    bits += 2;
  half = bits / 2;
  mask = (G_GUINT64_CONSTANT (1) << half) - 1;

  do
    {
      guint64 l = x >> half, r = x & mask;

      for (guint64 round = 0; round < 4; round++)
        {
          guint64 s = key ^ (round << 56) ^ r;
          guint64 t = l ^ (splitmix64 (&s) & mask);

          l = r;
          r = t;
        }
      x = l << half | r;
    }
  while (x >= n);

  return x;
}

guint32
crm_gen_phone_code (gint64 id)
{
  guint64 x = (guint64) (id - 1) % E8;
  guint64 low = permute (x % E7, E7, KEY_PHONE);
  guint64 s = low ^ KEY_PHONE;
  guint64 high = (x / E7 + splitmix64 (&s) % 10) % 10;

  return (guint32) (high * E7 + low);
}

guint32
crm_gen_qq_code (gint64 id)
{
  return (guint32) permute ((guint64) (id - 1) % E8, E8, KEY_QQ);
}

/* The digits of @id permuted among the numbers with as many digits (at least four:
 * ids 1–9999 give 0000–9999, zeros in front; 10000–99999 give 10000–99999; ...): as a
 * string, a different id gives a different code. */
void
crm_gen_email_code (gint64  id,
                    char   *out,
                    gsize   size)
{
  guint64 x = (guint64) id;
  guint64 low = 10000;

  if (x < low)
    {
      g_snprintf (out, size, "%04" G_GUINT64_FORMAT, permute (x, low, KEY_MAIL));
      return;
    }
  if (x >= G_GUINT64_CONSTANT (1000000000000))
    {
      /* no shop has a trillion customers; the id itself is unique too */
      g_snprintf (out, size, "%" G_GUINT64_FORMAT, x);
      return;
    }
  while (x / low >= 10)
    low *= 10;
  g_snprintf (out, size, "%" G_GUINT64_FORMAT, low + permute (x - low, 9 * low, KEY_MAIL));
}

/* ---- one person ----------------------------------------------------------------------- */

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

/* Writes the eight digits of @code over the last eight digits of @phone, made from
 * @pattern by fill_pattern(): the last seven always, the eighth where the pattern
 * leaves it free or @keep_fixed is FALSE. */
static void
stamp_code (char       *phone,
            const char *pattern,
            guint32     code,
            gboolean    keep_fixed)
{
  gsize len = strlen (phone);
  guint k = 0;

  g_assert (len == strlen (pattern));
  for (gsize i = len; i-- > 0 && k < 8;)
    {
      if (!g_ascii_isdigit (phone[i]))
        continue;
      if (k < 7 || pattern[i] == '#' || !keep_fixed)
        phone[i] = '0' + code % 10;
      code /= 10;
      k++;
    }
  g_assert (k == 8);
}

static void
make_phone (Gen           *g,
            Rng           *r,
            GenPerson     *p,
            gint64         id,
            const GenCity *city)
{
  guint32 code = crm_gen_phone_code (id);

  if (city->phone == NULL)
    {
      /* the eight digits after the operator's prefix: drawn as before, then replaced */
      char tail[10];

      fill_pattern (r, "#### ####", tail, sizeof tail);
      g_snprintf (p->phone, sizeof p->phone, "+86 %s %04u %04u", PICK (r, cn_mobile_prefixes),
                  code / 10000, code % 10000);
    }
  else
    {
      fill_pattern (r, city->phone, p->phone, sizeof p->phone);
      stamp_code (p->phone, city->phone, code, g->ids_below_1e7);
    }
}

static void
make_email (Rng        *r,
            GenPerson  *p,
            gint64      id,
            const char *local_a,
            const char *local_b)
{
  double u = rng_double (r);

  if (p->lang == LANG_ZH && u < 0.35)
    {
      /* a QQ number: 1–39 hundred million, plus the id's code */
      guint64 qq = (1 + rng_next (r) % 39) * E8 + crm_gen_qq_code (id);

      g_snprintf (p->email, sizeof p->email, "%" G_GUINT64_FORMAT "@qq.com", qq);
    }
  else
    {
      const char *domain = p->lang == LANG_ZH ? PICK (r, cn_mail_domains)
                                              : mail_domains[p->lang][rng_below (r, 4)];
      char digits[24];

      /* Once 80 % had four random digits and the rest none; now all carry the id's code. */
      if (rng_chance (r, 0.8))
        (void) rng_below (r, 10000);
      crm_gen_email_code (id, digits, sizeof digits);
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

/* The name; the ASCII parts of e-mail addresses in @local_a and @local_b. */
static void
make_name (Gen            *g,
           Rng            *r,
           GenPerson      *p,
           const GenCity  *city,
           int             sex,
           const char    **local_a,
           const char    **local_b)
{
  GenPeople *people = g->people;

  if (p->zh_name)
    {
      const GenSurname *s = &surnames[pick_cum (r, people->surname_cum, G_N_ELEMENTS (surnames))];
      /* two-character names (surname + one character) are common */
      const GenGiven *gv = rng_chance (r, 0.35) ? &given1[sex][rng_below (r, 24)]
                                                : &given2[sex][rng_below (r, 24)];
      g_snprintf (p->name, sizeof p->name, "%s%s", s->zh, gv->zh);
      *local_a = gv->py;
      *local_b = s->py;
      p->lang = LANG_ZH;
    }
  else if (city->lang == LANG_ZH)
    {
      /* Latin spelling in China: "Zhang Wei" or an English given name, "Lily Chen" */
      const GenSurname *s = &surnames[pick_cum (r, people->surname_cum, G_N_ELEMENTS (surnames))];

      if (rng_chance (r, 0.5))
        {
          const GenGiven *gv = &given1[sex][rng_below (r, 24)];
          g_snprintf (p->name, sizeof p->name, "%c%s %c%s", g_ascii_toupper (s->py[0]), s->py + 1,
                      g_ascii_toupper (gv->py[0]), gv->py + 1);
          *local_a = gv->py;
        }
      else
        {
          const GenLatin *f = &first_names[LANG_ZH][sex][rng_below (r, N_FIRST)];
          g_snprintf (p->name, sizeof p->name, "%s %c%s", f->name, g_ascii_toupper (s->py[0]), s->py + 1);
          *local_a = f->ascii;
        }
      *local_b = s->py;
    }
  else
    {
      const GenLatin *f = &first_names[city->lang][sex][rng_below (r, N_FIRST)];
      const GenLatin *l = &last_names[city->lang][rng_below (r, N_LAST)];

      g_snprintf (p->name, sizeof p->name, "%s %s", f->name, l->name);
      *local_a = f->ascii;
      *local_b = l->ascii;
    }
}

static void
make_address (Rng           *r,
              GenPerson     *p,
              const GenCity *city)
{
  p->address[0] = p->postal[0] = '\0';
  if (!rng_chance (r, 0.8))
    return;

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

/* Name, city, e-mail (85 %), phone (90 %), address and postal code (80 %) of customer
 * @id; the rest of @p is cleared. */
void
crm_gen_make_person (Gen       *g,
                     Rng       *r,
                     GenPerson *p,
                     gint64     id,
                     gboolean   zh_name,
                     int        gender)
{
  GenPeople *people = g->people;
  const GenCity *city;
  int sex = gender == CRM_GENDER_FEMALE ? 0 : gender == CRM_GENDER_MALE ? 1 : (int) rng_below (r, 2);
  const char *local_a = NULL, *local_b = NULL;

  memset (p, 0, sizeof *p);
  p->zh_name = zh_name;
  if (p->zh_name ? rng_chance (r, 0.98) : rng_chance (r, 0.25))
    city = &cities[pick_cum (r, people->cn_city_cum, N_CN_CITIES)];
  else
    city = &cities[N_CN_CITIES + pick_cum (r, people->intl_city_cum, G_N_ELEMENTS (people->intl_city_cum))];
  p->lang = city->lang;
  p->city_zh = city->lang == LANG_ZH;
  p->city = city->city;
  p->region = city->region;
  p->country = city->country;

  make_name (g, r, p, city, sex, &local_a, &local_b);
  if (rng_chance (r, 0.85))
    make_email (r, p, id, local_a, local_b);
  if (rng_chance (r, 0.9))
    make_phone (g, r, p, id, city);
  make_address (r, p, city);
}

int
crm_gen_pick_gender (Rng *r)
{
  double u = rng_double (r);

  return u < 0.49 ? CRM_GENDER_FEMALE : u < 0.97 ? CRM_GENDER_MALE
                                      : u < 0.995 ? CRM_GENDER_UNKNOWN : CRM_GENDER_OTHER;
}

/* 90 % have one: ages 18–75. */
void
crm_gen_make_birthday (Gen       *g,
                       Rng       *r,
                       GenPerson *p)
{
  int age, y, m, d;
  gint64 day;

  p->birthday[0] = '\0';
  if (!rng_chance (r, 0.9))
    return;

  age = 18 + (int) ((rng_double (r) + rng_double (r)) * 28.5);
  y = g->as_of_year - age;
  day = crm_gen_days_from_civil (y, 1, 1) + rng_below (r, 365);
  crm_gen_civil_from_days (day, &y, &m, &d);
  g_snprintf (p->birthday, sizeof p->birthday, "%04d-%02d-%02d", y, m, d);
}

/* Company (25 %), occupation (50 %) and a note (4 %). */
void
crm_gen_make_work (Rng       *r,
                   GenPerson *p)
{
  if (rng_chance (r, 0.25))
    {
      if (p->lang == LANG_ZH)
        g_snprintf (p->company, sizeof p->company, "%s%s%s", p->city_zh ? p->city : "",
                    PICK (r, cn_company_heads), PICK (r, cn_company_tails));
      else
        {
          const char *last = strchr (p->name, ' ');
          g_snprintf (p->company, sizeof p->company, "%s %s", last ? last + 1 : p->name, PICK (r, company_tails));
        }
    }
  if (rng_chance (r, 0.5))
    p->occupation = p->lang == LANG_ZH ? PICK (r, cn_occupations) : PICK (r, occupations);
  if (rng_chance (r, 0.04))
    p->note = p->lang == LANG_ZH ? PICK (r, cn_notes) : PICK (r, notes);
}

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

/* The tags a shop gives by behaviour, and some it types. */
void
crm_gen_make_tags (Rng              *r,
                   GenPerson        *p,
                   gint64            as_of,
                   const GenHistory *h,
                   int               lifecycle)
{
  p->tags[0] = '\0';
  if (h->total_spent >= 1000000)    /* 10 000 yuan */
    append_tag (p->tags, sizeof p->tags, "VIP");
  if (h->order_count >= 5 && as_of - h->first_at > 2 * 365 * DAY_MS)
    append_tag (p->tags, sizeof p->tags, "老客户");
  if (lifecycle == CRM_LIFECYCLE_AT_RISK)
    append_tag (p->tags, sizeof p->tags, "潜在流失");
  while (rng_chance (r, 0.2))
    append_tag (p->tags, sizeof p->tags, PICK (r, random_tags));
}

/* Where the customer came from, and who looks after them (70 %). */
void
crm_gen_make_source_owner (Gen       *g,
                           Rng       *r,
                           GenPerson *p)
{
  p->source = sources[pick_cum (r, g->people->source_cum, G_N_ELEMENTS (sources))].key;
  p->owner = rng_chance (r, 0.7) ? PICK (r, owners) : NULL;
}

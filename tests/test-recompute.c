/* test-recompute.c: RFM scores, tiers and lifecycle stages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>

#include "crm-test-util.h"
#include "crm-customer.h"
#include "crm-order.h"
#include "crm-recompute.h"
#include "crm-tiers.h"
#include "crm-value-report.h"

#define DAY (G_GINT64_CONSTANT (86400000))
/* 2026-01-01T00:00:00Z */
#define AS_OF (G_GINT64_CONSTANT (1767225600000))

static void
test_scores_hand_computed (void)
{
  /* n = 5; score = min (5, 1 + floor (5 × worse / n)). Worked out by hand:
   *   R days 10,10,50,100,200 → worse 3,3,2,1,0 → 4,4,3,2,1 (the tie at the top shares 4)
   *   F 5,3,3,1,1             → worse 4,2,2,0,0 → 5,3,3,1,1
   *   M 1000,500,500,100,50   → worse 4,2,2,1,0 → 5,3,3,2,1 */
  CrmRfmRow rows[] = {
    { 1, 1000, 10, 5 }, { 2, 500, 10, 3 }, { 3, 500, 50, 3 }, { 4, 100, 100, 1 }, { 5, 50, 200, 1 },
  };
  const guint8 r[] = { 4, 4, 3, 2, 1 }, f[] = { 5, 3, 3, 1, 1 }, m[] = { 5, 3, 3, 2, 1 };
  const CrmRfmSegment seg[] = { CRM_RFM_LOYAL, CRM_RFM_POTENTIAL_LOYALIST, CRM_RFM_NEED_ATTENTION,
                                CRM_RFM_HIBERNATING, CRM_RFM_LOST };

  crm_rfm_score (rows, G_N_ELEMENTS (rows), NULL);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_assert_cmpuint (rows[i].r_score, ==, r[i]);
      g_assert_cmpuint (rows[i].f_score, ==, f[i]);
      g_assert_cmpuint (rows[i].m_score, ==, m[i]);
      g_assert_cmpuint (rows[i].segment, ==, seg[i]);
    }

  /* Everyone equal: everyone scores 1 (nobody is better than anybody). */
  {
    CrmRfmRow same[3] = { { 1, 10, 5, 1 }, { 2, 10, 5, 1 }, { 3, 10, 5, 1 } };
    crm_rfm_score (same, 3, NULL);
    for (int i = 0; i < 3; i++)
      g_assert_cmpuint (same[i].r_score + same[i].f_score + same[i].m_score, ==, 3);
  }
}

static void
test_cutoffs_reproduce_scores (void)
{
  /* Scoring one customer against the stored cutoffs gives exactly what the full
   * pass gave, ties and all. */
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  CrmRfmRow rows[997];
  CrmRfmCutoffs cut, back;
  g_autofree char *json = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      rows[i] = (CrmRfmRow) { i + 1, g_rand_int_range (rand, 1, 5000) * 100,
                              g_rand_int_range (rand, 0, 365), g_rand_int_range (rand, 1, 12) };
    }
  crm_rfm_score (rows, G_N_ELEMENTS (rows), &cut);
  json = crm_rfm_cutoffs_to_json (&cut);
  g_assert_true (crm_rfm_cutoffs_from_json (&back, json));
  g_assert_cmpmem (&cut, sizeof cut, &back, sizeof back);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      CrmRfmRow one = rows[i];

      crm_rfm_score_one (&back, &one);
      g_assert_cmpuint (one.r_score, ==, rows[i].r_score);
      g_assert_cmpuint (one.f_score, ==, rows[i].f_score);
      g_assert_cmpuint (one.m_score, ==, rows[i].m_score);
      g_assert_cmpuint (one.segment, ==, rows[i].segment);
    }

  g_assert_false (crm_rfm_cutoffs_from_json (&back, "{\"n\": \"x\"}"));
}

static void
test_segment_grid (void)
{
  g_assert_cmpint (crm_rfm_segment_for (5, 5, 5), ==, CRM_RFM_CHAMPIONS);
  g_assert_cmpint (crm_rfm_segment_for (5, 1, 1), ==, CRM_RFM_NEW);
  g_assert_cmpint (crm_rfm_segment_for (4, 1, 1), ==, CRM_RFM_PROMISING);
  g_assert_cmpint (crm_rfm_segment_for (1, 5, 5), ==, CRM_RFM_CANT_LOSE);
  g_assert_cmpint (crm_rfm_segment_for (2, 3, 4), ==, CRM_RFM_AT_RISK);
  g_assert_cmpint (crm_rfm_segment_for (3, 2, 1), ==, CRM_RFM_ABOUT_TO_SLEEP);
  g_assert_cmpint (crm_rfm_segment_for (1, 1, 1), ==, CRM_RFM_LOST);
  g_assert_cmpint (crm_rfm_segment_for (0, 1, 1), ==, CRM_RFM_NONE);

  /* Every segment has a key and a label, and keys round-trip. */
  for (int s = 0; s < CRM_RFM_N_SEGMENTS; s++)
    {
      g_assert_nonnull (crm_rfm_segment_get_label (s));
      g_assert_cmpint (crm_rfm_segment_from_string (crm_rfm_segment_to_string (s)), ==, s);
    }
  g_assert_cmpint (crm_rfm_segment_from_string ("'; DROP"), ==, -1);
}

static void
test_condition_parse (void)
{
  CrmRfmCondition c;
  g_autoptr(GError) error = NULL;
  CrmRfmRow row = { 1, 100, 5, 2, 4, 2, 3, CRM_RFM_POTENTIAL_LOYALIST };

  g_assert_true (crm_rfm_condition_parse ("r>=4, fm>=3", &c, &error));
  g_assert_true (crm_rfm_condition_holds (&c, &row));
  g_assert_true (crm_rfm_condition_parse ("r>4", &c, &error));
  g_assert_false (crm_rfm_condition_holds (&c, &row));
  g_assert_true (crm_rfm_condition_parse ("segment=champions|potential-loyalist", &c, &error));
  g_assert_true (crm_rfm_condition_holds (&c, &row));
  g_assert_true (crm_rfm_condition_parse ("segment=lost", &c, &error));
  g_assert_false (crm_rfm_condition_holds (&c, &row));
  g_assert_true (crm_rfm_condition_parse ("", &c, &error));
  g_assert_true (crm_rfm_condition_holds (&c, NULL));

  g_assert_false (crm_rfm_condition_parse ("r>=9", &c, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (crm_rfm_condition_parse ("x>=1", &c, NULL));
  g_assert_false (crm_rfm_condition_parse ("segment=nonsense", &c, NULL));
  g_assert_false (crm_rfm_condition_parse ("r>=1'; DROP TABLE tiers", &c, NULL));
}

static CrmLifecycle
classify (const gint32 *days,
          gsize         n,
          gint32        today,
          gint32       *since)
{
  CrmLifecycleRules rules;

  crm_lifecycle_rules_init_default (&rules);
  return crm_lifecycle_classify (&rules, days, n, today, since);
}

static void
test_lifecycle_timeline (void)
{
  /* A customer who buys every 10 days (median gap 10 → at risk after
   * max(2×10, 30) = 30 silent days, churned after max(4×10, 60) = 60). */
  const gint32 d[] = { 1000, 1010, 1020, 1030, 1200 };
  gint32 since;

  g_assert_cmpint (classify (d, 0, 1000, &since), ==, CRM_LIFECYCLE_PROSPECT);
  g_assert_cmpint (classify (d, 1, 1000, &since), ==, CRM_LIFECYCLE_NEW);
  g_assert_cmpint (since, ==, 1000);
  g_assert_cmpint (classify (d, 4, 1030, &since), ==, CRM_LIFECYCLE_NEW);       /* 30 days in */
  g_assert_cmpint (classify (d, 4, 1040, &since), ==, CRM_LIFECYCLE_ACTIVE);
  g_assert_cmpint (since, ==, 1031);
  g_assert_cmpint (classify (d, 4, 1060, &since), ==, CRM_LIFECYCLE_ACTIVE);    /* exactly at the limit */
  g_assert_cmpint (classify (d, 4, 1061, &since), ==, CRM_LIFECYCLE_AT_RISK);
  g_assert_cmpint (since, ==, 1061);
  g_assert_cmpint (classify (d, 4, 1090, &since), ==, CRM_LIFECYCLE_AT_RISK);
  g_assert_cmpint (classify (d, 4, 1091, &since), ==, CRM_LIFECYCLE_CHURNED);
  g_assert_cmpint (since, ==, 1091);
  /* Buys again after churning: won back from that day. */
  g_assert_cmpint (classify (d, 5, 1200, &since), ==, CRM_LIFECYCLE_WON_BACK);
  g_assert_cmpint (since, ==, 1200);

  /* One order only: the global limits (90 / 180 days). */
  g_assert_cmpint (classify (d, 1, 1090, NULL), ==, CRM_LIFECYCLE_ACTIVE);
  g_assert_cmpint (classify (d, 1, 1091, NULL), ==, CRM_LIFECYCLE_AT_RISK);
  g_assert_cmpint (classify (d, 1, 1181, NULL), ==, CRM_LIFECYCLE_CHURNED);

  /* Same-day orders are one visit; orders after "today" do not exist yet. */
  {
    const gint32 same[] = { 1000, 1000, 1000, 1500 };
    g_assert_cmpint (classify (same, 4, 1100, NULL), ==, CRM_LIFECYCLE_AT_RISK);
  }
}

static void
test_rules_json (void)
{
  CrmLifecycleRules a, b;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;

  crm_lifecycle_rules_init_default (&a);
  a.new_days = 45;
  a.churn_factor = 5.5;
  json = crm_lifecycle_rules_to_json (&a);
  g_assert_true (crm_lifecycle_rules_load (&b, json, &error));
  g_assert_cmpint (b.new_days, ==, 45);
  g_assert_cmpfloat (b.churn_factor, ==, 5.5);

  g_assert_false (crm_lifecycle_rules_load (&b, "{\"churn_factor\": 1, \"at_risk_factor\": 2}", NULL));
  g_assert_false (crm_lifecycle_rules_load (&b, "not json", NULL));
}

/* What the Tiers page's lifecycle form shows inline: each broken limit is
 * named, with the field to fix, and load refuses the same rules. */
static void
test_rules_check (void)
{
  CrmLifecycleRules r;
  const char *field = "unset";
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  CrmLifecycleRules loaded;

  crm_lifecycle_rules_init_default (&r);
  g_assert_true (crm_lifecycle_rules_check (&r, &field, &error));
  g_assert_no_error (error);
  g_assert_null (field);

  /* Equal factors are allowed: at risk and churned on the same day. */
  r.churn_factor = r.at_risk_factor;
  g_assert_true (crm_lifecycle_rules_check (&r, &field, NULL));

  r.churn_factor = 1.5;
  g_assert_false (crm_lifecycle_rules_check (&r, &field, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpstr (field, ==, "churn_factor");
  g_clear_error (&error);
  json = crm_lifecycle_rules_to_json (&r);
  g_assert_false (crm_lifecycle_rules_load (&loaded, json, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  crm_lifecycle_rules_init_default (&r);
  r.single_churn_days = r.single_at_risk_days - 1;
  g_assert_false (crm_lifecycle_rules_check (&r, &field, NULL));
  g_assert_cmpstr (field, ==, "single_churn_days");

  crm_lifecycle_rules_init_default (&r);
  r.at_risk_factor = 0;
  g_assert_false (crm_lifecycle_rules_check (&r, &field, NULL));
  g_assert_cmpstr (field, ==, "at_risk_factor");

  crm_lifecycle_rules_init_default (&r);
  r.new_days = -1;
  g_assert_false (crm_lifecycle_rules_check (&r, &field, NULL));
  g_assert_cmpstr (field, ==, "new_days");

  crm_lifecycle_rules_init_default (&r);
  r.single_at_risk_days = 0;
  r.single_churn_days = 0;
  g_assert_false (crm_lifecycle_rules_check (&r, &field, NULL));
  g_assert_cmpstr (field, ==, "single_at_risk_days");

  crm_lifecycle_rules_init_default (&r);
  r.min_at_risk_days = -5;
  g_assert_false (crm_lifecycle_rules_check (&r, &field, NULL));
  g_assert_cmpstr (field, ==, "min_at_risk_days");
}

/* A factor like 2.5 survives a locale that writes decimal commas. */
static void
test_rules_json_locale (void)
{
  const char *locales[] = { "de_DE.UTF-8", "fr_FR.UTF-8", "ru_RU.UTF-8" };
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));
  CrmLifecycleRules a, b;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (locales) && !found; i++)
    found = setlocale (LC_NUMERIC, locales[i]) != NULL;
  if (!found)
    {
      g_test_skip ("no locale with a decimal comma is installed");
      return;
    }

  crm_lifecycle_rules_init_default (&a);
  a.at_risk_factor = 2.5;
  a.churn_factor = 4.25;
  json = crm_lifecycle_rules_to_json (&a);
  setlocale (LC_NUMERIC, saved);

  g_assert_nonnull (strstr (json, "2.5"));
  g_assert_true (crm_lifecycle_rules_load (&b, json, &error));
  g_assert_no_error (error);
  g_assert_true (crm_lifecycle_rules_equal (&a, &b));
}

/* ---- against a database ---------------------------------------------------- */

typedef struct
{
  CrmStore *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->store = crm_test_store_new (NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
}

static gboolean
run (Fixture            *f,
     CrmRecomputeReport *report)
{
  CrmRecomputeOptions options;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  crm_recompute_options_init (&options, f->store);
  options.as_of = AS_OF;
  ok = crm_recompute (f->store, &options, NULL, NULL, NULL, report, &error);
  g_assert_no_error (error);
  return ok;
}

static gint64
tier_named (Fixture    *f,
            const char *name)
{
  sqlite3_stmt *s = crm_store_prepare (f->store, "SELECT id FROM tiers WHERE name = ?", NULL);
  gint64 id = 0;

  sqlite3_bind_text (s, 1, name, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    id = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gint64
tier_of (Fixture *f,
         gint64   customer)
{
  g_autoptr(CrmCustomer) c = crm_store_load (f->store, CRM_TYPE_CUSTOMER, customer, NULL);
  return crm_customer_get_tier_id (c);
}

static gint64
count_rows (Fixture    *f,
            const char *sql)
{
  return crm_test_query_int (f->store, sql);
}

static void
test_db_window_and_scores (Fixture       *f,
                           gconstpointer  data)
{
  CrmRecomputeReport report;
  CrmRfmRow row;
  gint64 a = crm_test_add_customer (f->store, "甲");
  gint64 b = crm_test_add_customer (f->store, "乙");
  gint64 old = crm_test_add_customer (f->store, "Old Timer");
  gint64 cancelled = crm_test_add_customer (f->store, "Cancelled Only");
  gint64 prospect = crm_test_add_customer (f->store, "Prospect");

  crm_test_add_order (f->store, a, AS_OF - 10 * DAY, 50000, "completed");
  crm_test_add_order (f->store, a, AS_OF - 40 * DAY, 50000, "completed");
  crm_test_add_order (f->store, a, AS_OF - 400 * DAY, 999900, "completed");   /* outside the 365-day window */
  crm_test_add_order (f->store, b, AS_OF - 100 * DAY, 30000, "completed");
  crm_test_add_order (f->store, old, AS_OF - 500 * DAY, 10000, "completed");   /* nothing in the window: not scored */
  crm_test_add_order (f->store, cancelled, AS_OF - 5 * DAY, 10000, "cancelled");

  g_assert_true (run (f, &report));
  g_assert_cmpuint (report.customers, ==, 5);
  g_assert_cmpuint (report.scored, ==, 2);

  g_assert_true (crm_recompute_get_rfm (f->store, a, &row));
  g_assert_cmpint (row.r_days, ==, 10);
  g_assert_cmpint (row.frequency, ==, 2);
  g_assert_cmpint (row.monetary, ==, 100000);
  /* n = 2: a is better on all three (worse = 1 → 1 + floor(5/2) = 3), b worst (1). */
  g_assert_cmpuint (row.r_score, ==, 3);
  g_assert_cmpuint (row.f_score, ==, 3);
  g_assert_cmpuint (row.m_score, ==, 3);
  g_assert_cmpuint (row.segment, ==, CRM_RFM_NEED_ATTENTION);
  g_assert_true (crm_recompute_get_rfm (f->store, b, &row));
  g_assert_cmpuint (row.r_score + row.f_score + row.m_score, ==, 3);
  g_assert_false (crm_recompute_get_rfm (f->store, old, &row));
  g_assert_false (crm_recompute_get_rfm (f->store, cancelled, &row));

  /* Stages. */
  {
    g_autoptr(CrmCustomer) ca = crm_store_load (f->store, CRM_TYPE_CUSTOMER, a, NULL);
    g_autoptr(CrmCustomer) co = crm_store_load (f->store, CRM_TYPE_CUSTOMER, old, NULL);
    g_autoptr(CrmCustomer) cc = crm_store_load (f->store, CRM_TYPE_CUSTOMER, cancelled, NULL);
    g_autoptr(CrmCustomer) cp = crm_store_load (f->store, CRM_TYPE_CUSTOMER, prospect, NULL);

    g_assert_cmpint (crm_customer_get_lifecycle (co), ==, CRM_LIFECYCLE_CHURNED);
    g_assert_cmpint (crm_customer_get_lifecycle (cc), ==, CRM_LIFECYCLE_PROSPECT);
    g_assert_cmpint (crm_customer_get_lifecycle (cp), ==, CRM_LIFECYCLE_PROSPECT);
    /* a: gaps 360 and 30 → median 195 → at risk after 390 silent days; the gap
     * before the last order (30 days) is inside its limit, so not won back: active. */
    g_assert_cmpint (crm_customer_get_lifecycle (ca), ==, CRM_LIFECYCLE_ACTIVE);
  }
}

static void
test_db_tiers_at_limit (Fixture       *f,
                        gconstpointer  data)
{
  gint64 exact = crm_test_add_customer (f->store, "Exactly Silver");
  gint64 below = crm_test_add_customer (f->store, "Just Below");
  gint64 orders3 = crm_test_add_customer (f->store, "Three Orders");

  crm_test_add_order (f->store, exact, AS_OF - 3 * DAY, 100000, "completed");       /* Silver: spend ≥ ¥1,000.00 */
  crm_test_add_order (f->store, below, AS_OF - 3 * DAY, 99999, "completed");
  crm_test_add_order (f->store, orders3, AS_OF - 1 * DAY, 100, "completed");        /* … or ≥ 3 orders */
  crm_test_add_order (f->store, orders3, AS_OF - 2 * DAY, 100, "completed");
  crm_test_add_order (f->store, orders3, AS_OF - 3 * DAY, 100, "completed");

  g_assert_true (run (f, NULL));
  g_assert_cmpint (tier_of (f, exact), ==, tier_named (f, "Silver"));
  g_assert_cmpint (tier_of (f, below), ==, tier_named (f, "Regular"));
  g_assert_cmpint (tier_of (f, orders3), ==, tier_named (f, "Silver"));
}

static void
test_db_override_expiry (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) history = NULL;
  CrmRecomputeOptions options;
  gint64 c = crm_test_add_customer (f->store, "Friend of the owner");
  gint64 vip;

  crm_test_add_order (f->store, c, AS_OF - 3 * DAY, 100, "completed");
  g_assert_true (run (f, NULL));
  vip = tier_named (f, "VIP");
  g_assert_cmpint (tier_of (f, c), ==, tier_named (f, "Regular"));

  g_assert_false (crm_tiers_set_override (f->store, c, vip, "  ", 0, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* VIP until ten days after the as-of date. */
  g_assert_true (crm_tiers_set_override (f->store, c, vip, "Opening partner", AS_OF + 10 * DAY, &error));
  g_assert_true (run (f, NULL));
  g_assert_cmpint (tier_of (f, c), ==, vip);

  /* Eleven days later the override has expired and the rule applies again. */
  crm_recompute_options_init (&options, f->store);
  options.as_of = AS_OF + 11 * DAY;
  g_assert_true (crm_recompute (f->store, &options, NULL, NULL, NULL, NULL, &error));
  g_assert_cmpint (tier_of (f, c), ==, tier_named (f, "Regular"));

  history = crm_tiers_history (f->store, c, &error);
  g_assert_cmpuint (history->len, ==, 3);
  g_assert_cmpint (g_array_index (history, CrmTierChange, 0).from_id, ==, 0);
  g_assert_cmpstr (g_array_index (history, CrmTierChange, 0).reason, ==, "rule");
  g_assert_cmpint (g_array_index (history, CrmTierChange, 1).to_id, ==, vip);
  g_assert_cmpstr (g_array_index (history, CrmTierChange, 1).reason, ==, "override: Opening partner");
  g_assert_cmpint (g_array_index (history, CrmTierChange, 2).from_id, ==, vip);
}

static char *
snapshot (Fixture *f)
{
  GString *s = g_string_new (NULL);
  sqlite3_stmt *st = crm_store_prepare (f->store,
    "SELECT coalesce(group_concat(customer_id || ':' || r_score || f_score || m_score || segment, ','), '')"
    " FROM (SELECT * FROM customer_rfm ORDER BY customer_id)", NULL);

  sqlite3_step (st);
  g_string_append (s, (const char *) sqlite3_column_text (st, 0));
  sqlite3_reset (st);
  st = crm_store_prepare (f->store,
    "SELECT group_concat(id || ':' || lifecycle || ':' || coalesce(tier_id, 0), ',')"
    " || '|' || (SELECT count(*) FROM tier_history) || '|' || (SELECT count(*) FROM lifecycle_history)"
    " FROM customers LEFT JOIN customer_state ON customer_id = id", NULL);
  sqlite3_step (st);
  g_string_append (s, (const char *) sqlite3_column_text (st, 0));
  sqlite3_reset (st);

  return g_string_free (s, FALSE);
}

static void
test_db_twice_same (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  CrmRecomputeReport report;

  for (int i = 0; i < 40; i++)
    {
      g_autofree char *name = g_strdup_printf ("客户%d", i);
      gint64 c = crm_test_add_customer (f->store, name);
      for (int k = 0; k < i % 7; k++)
        crm_test_add_order (f->store, c, AS_OF - (5 + (i * 37 + k * 53) % 300) * DAY, 1000 * (1 + (i * k) % 13), "completed");
    }

  g_assert_true (run (f, &report));
  first = snapshot (f);
  g_assert_true (run (f, &report));
  second = snapshot (f);

  g_assert_cmpstr (first, ==, second);
  g_assert_cmpuint (report.tier_changes, ==, 0);
  g_assert_cmpuint (report.lifecycle_changes, ==, 0);
}

/* A few changes among many customers are written by id, many by one scan of the table: both
 * give the same tiers, stages and history. */
static void
test_db_few_and_many_changes (Fixture       *f,
                              gconstpointer  data)
{
  CrmRecomputeReport report;
  gint64 ids[60];
  gint64 silver, regular;
  gint64 stage_rows;

  for (int i = 0; i < 60; i++)
    {
      g_autofree char *name = g_strdup_printf ("Customer %d", i);
      ids[i] = crm_test_add_customer (f->store, name);
      if (i % 2)
        crm_test_add_order (f->store, ids[i], AS_OF - (10 + i) * DAY, 5000, "completed");
    }

  /* First run: every customer gets a tier (the scan). */
  g_assert_true (run (f, &report));
  g_assert_cmpuint (report.tier_changes, ==, 60);
  silver = tier_named (f, "Silver");
  regular = tier_named (f, "Regular");
  for (int i = 0; i < 60; i++)
    g_assert_cmpint (tier_of (f, ids[i]), ==, regular);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM tier_history"), ==, 60);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM customer_state WHERE lifecycle = 0"), ==, 30);
  /* The indexes over tier and stage, made again after the bulk write, are back and right. */
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                                  " AND name IN ('customer_state_tier', 'customer_state_lifecycle')"), ==, 2);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM customer_state INDEXED BY customer_state_lifecycle"
                                  " WHERE lifecycle = 0 AND deleted = 0"), ==, 30);

  /* Two customers change (under 1 in 20): written by id.  A prospect's first order makes it
   * New; a big order makes both Silver. */
  crm_test_add_order (f->store, ids[10], AS_OF - 2 * DAY, 200000, "completed");
  crm_test_add_order (f->store, ids[11], AS_OF - 2 * DAY, 200000, "completed");
  stage_rows = count_rows (f, "SELECT count(*) FROM lifecycle_history");
  g_assert_true (run (f, &report));
  g_assert_cmpuint (report.tier_changes, ==, 2);
  g_assert_cmpint (tier_of (f, ids[10]), ==, silver);
  g_assert_cmpint (tier_of (f, ids[11]), ==, silver);
  g_assert_cmpint (tier_of (f, ids[12]), ==, regular);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM tier_history WHERE to_tier = (SELECT id FROM tiers WHERE name = 'Silver')"), ==, 2);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM tier_history"), ==, 62);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM lifecycle_history"), ==,
                   stage_rows + (gint64) report.lifecycle_changes);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM customer_state WHERE lifecycle = 0"), ==, 29);

  /* Nothing to change: nothing written. */
  g_assert_true (run (f, &report));
  g_assert_cmpuint (report.tier_changes + report.lifecycle_changes, ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM tier_history"), ==, 62);
}

static void
test_db_cancel_changes_nothing (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  CrmRecomputeOptions options;
  gint64 c = crm_test_add_customer (f->store, "Someone");

  crm_test_add_order (f->store, c, AS_OF - 3 * DAY, 100, "completed");
  before = snapshot (f);

  crm_recompute_options_init (&options, f->store);
  options.as_of = AS_OF;
  g_cancellable_cancel (cancellable);
  g_assert_false (crm_recompute (f->store, &options, NULL, NULL, cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  after = snapshot (f);
  g_assert_cmpstr (before, ==, after);

  /* A bad tier rule is a clear error, and nothing is half-written. */
  {
    g_autoptr(CrmTier) t = crm_tier_new ();
    g_autoptr(GError) e2 = NULL;

    crm_tier_set_name (t, "Broken");
    crm_tier_set_rank (t, 9);
    crm_tier_set_rfm_rule (t, "r>=seven");
    g_assert_true (crm_store_insert (f->store, CRM_ENTITY (t), NULL));
    /* New limits go with the run that failed: one change, kept whole or not at all. */
    options.window_days = 90;
    options.save = TRUE;
    g_assert_false (crm_recompute (f->store, &options, NULL, NULL, NULL, NULL, &e2));
    g_assert_error (e2, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (e2->message, "Broken"));
    g_assert_null (crm_store_get_setting (f->store, "rfm.window_days"));

    g_assert_true (crm_store_delete (f->store, CRM_ENTITY (t), NULL));
    g_assert_true (crm_recompute (f->store, &options, NULL, NULL, NULL, NULL, NULL));
    {
      g_autofree char *window = crm_store_get_setting (f->store, "rfm.window_days");
      g_assert_cmpstr (window, ==, "90");
    }
  }
}

static void
test_db_order_updates_at_once (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) c = NULL;
  g_autoptr(CrmOrder) o = crm_order_new ();
  gint64 id = crm_test_add_customer (f->store, "New Buyer");
  CrmRfmRow row;

  /* A population to score against. */
  for (int i = 0; i < 20; i++)
    {
      g_autofree char *name = g_strdup_printf ("c%d", i);
      gint64 other = crm_test_add_customer (f->store, name);
      crm_test_add_order (f->store, other, AS_OF - (10 + i * 15) * DAY, 1000 * (i + 1), "completed");
    }
  g_assert_true (run (f, NULL));
  g_assert_false (crm_recompute_get_rfm (f->store, id, &row));

  /* With the store watched, entering an order updates this customer in the same
   * transaction: scores, stage and tier, without a full recompute. */
  crm_recompute_watch_orders (f->store);
  crm_order_set_customer_id (o, id);
  crm_order_set_placed_at (o, crm_now_ms ());
  crm_order_set_total (o, 5000000);
  g_assert_true (crm_store_insert_order (f->store, CRM_ENTITY (o), NULL, &error));
  g_assert_no_error (error);

  g_assert_true (crm_recompute_get_rfm (f->store, id, &row));
  g_assert_cmpuint (row.r_score, ==, 5);
  g_assert_cmpuint (row.m_score, ==, 5);
  c = crm_store_load (f->store, CRM_TYPE_CUSTOMER, id, NULL);
  g_assert_cmpint (crm_customer_get_lifecycle (c), ==, CRM_LIFECYCLE_NEW);
  g_assert_cmpint (crm_customer_get_tier_id (c), ==, tier_named (f, "VIP"));

  /* Deleting the order takes it all back. */
  g_assert_true (crm_store_delete (f->store, CRM_ENTITY (o), &error));
  g_clear_object (&c);
  c = crm_store_load (f->store, CRM_TYPE_CUSTOMER, id, NULL);
  g_assert_false (crm_recompute_get_rfm (f->store, id, &row));
  g_assert_cmpint (crm_customer_get_lifecycle (c), ==, CRM_LIFECYCLE_PROSPECT);
  g_assert_cmpint (crm_customer_get_tier_id (c), ==, tier_named (f, "Regular"));
}

/* Limits saved by the UI are what the next recompute uses; bad ones are
 * refused and change nothing. */
static void
test_db_rules_save (Fixture       *f,
                    gconstpointer  data)
{
  CrmRecomputeOptions options;
  CrmLifecycleRules rules, bad;
  g_autoptr(CrmCustomer) c = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *still = NULL;
  gint64 counts[CRM_LIFECYCLE_N_STAGES];
  gint64 id = crm_test_add_customer (f->store, "Forty Days");

  /* One order 40 days ago: past the default 30-day New period. */
  crm_test_add_order (f->store, id, AS_OF - 40 * DAY, 1000, "completed");
  g_assert_true (run (f, NULL));
  c = crm_store_load (f->store, CRM_TYPE_CUSTOMER, id, NULL);
  g_assert_cmpint (crm_customer_get_lifecycle (c), ==, CRM_LIFECYCLE_ACTIVE);
  g_clear_object (&c);

  crm_lifecycle_rules_init_default (&rules);
  rules.new_days = 60;
  rules.churn_factor = 5.5;
  g_assert_true (crm_lifecycle_rules_save (f->store, &rules, &error));
  g_assert_no_error (error);
  crm_recompute_options_init (&options, f->store);
  g_assert_true (crm_lifecycle_rules_equal (&options.lifecycle, &rules));

  g_assert_true (run (f, NULL));
  c = crm_store_load (f->store, CRM_TYPE_CUSTOMER, id, NULL);
  g_assert_cmpint (crm_customer_get_lifecycle (c), ==, CRM_LIFECYCLE_NEW);
  g_clear_object (&c);

  /* What the Tiers page counts per stage. */
  g_assert_true (crm_value_report_stage_counts (f->store, counts, &error));
  g_assert_no_error (error);
  g_assert_cmpint (counts[CRM_LIFECYCLE_NEW], ==, 1);
  g_assert_cmpint (counts[CRM_LIFECYCLE_ACTIVE], ==, 0);

  /* Churn before at risk: refused, the stored rules stay. */
  stored = crm_store_get_setting (f->store, CRM_LIFECYCLE_RULES_SETTING);
  bad = rules;
  bad.churn_factor = 1.0;
  g_assert_false (crm_lifecycle_rules_save (f->store, &bad, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  still = crm_store_get_setting (f->store, CRM_LIFECYCLE_RULES_SETTING);
  g_assert_cmpstr (still, ==, stored);
  crm_recompute_options_init (&options, f->store);
  g_assert_cmpint (options.lifecycle.new_days, ==, 60);
  g_assert_cmpfloat (options.lifecycle.churn_factor, ==, 5.5);
}

/* The documented formula, counted directly: score = min(5, 1 + floor(5 × worse(v) / n)), with
 * worse(v) the scored customers strictly worse than v.  Random values over the whole range
 * (negative amounts are refunds larger than the orders), many ties. */
static void
test_scores_formula (void)
{
  const gsize n = 1500;
  g_autofree CrmRfmRow *rows = g_new0 (CrmRfmRow, n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261126);

  for (gsize i = 0; i < n; i++)
    {
      rows[i].customer_id = i + 1;
      rows[i].r_days = g_rand_int_range (rand, 0, 40);
      rows[i].frequency = g_rand_boolean (rand) ? g_rand_int_range (rand, 1, 5) : g_rand_int_range (rand, 1, 100000);
      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0: rows[i].monetary = g_rand_int_range (rand, -3, 3); break;
        case 1: rows[i].monetary = (gint64) g_rand_int (rand) * 1000003; break;
        case 2: rows[i].monetary = -(gint64) g_rand_int (rand) * 7919; break;
        default: rows[i].monetary = i % 3 == 0 ? G_MAXINT64 / 2 : G_MININT64 / 2; break;
        }
    }

  crm_rfm_score (rows, n, NULL);

  for (gsize i = 0; i < n; i++)
    {
      gsize worse_r = 0, worse_f = 0, worse_m = 0;

      for (gsize j = 0; j < n; j++)
        {
          worse_r += rows[j].r_days > rows[i].r_days;
          worse_f += rows[j].frequency < rows[i].frequency;
          worse_m += rows[j].monetary < rows[i].monetary;
        }
      g_assert_cmpint (rows[i].r_score, ==, MIN (5, 1 + 5 * worse_r / n));
      g_assert_cmpint (rows[i].f_score, ==, MIN (5, 1 + 5 * worse_f / n));
      g_assert_cmpint (rows[i].m_score, ==, MIN (5, 1 + 5 * worse_m / n));
    }
}

/* A tier's rule in words: only the conditions it has, joined by its "any"/"all". */
static void
test_describe_rule (void)
{
  g_autoptr(CrmTier) tier = crm_tier_new ();
  g_autofree char *every = NULL, *vip = NULL, *any = NULL;

  every = crm_tier_describe_rule (tier, "CNY");
  g_assert_cmpstr (every, ==, "Every customer");

  crm_tier_set_min_spend (tier, 2000000);
  crm_tier_set_rfm_rule (tier, "r>=3");
  vip = crm_tier_describe_rule (tier, "CNY");
  g_assert_cmpstr (vip, ==, "spent ¥20,000.00 or more and RFM r>=3 in the last 365 days");

  crm_tier_set_min_spend (tier, 0);
  crm_tier_set_rfm_rule (tier, NULL);
  crm_tier_set_min_orders (tier, 1);
  crm_tier_set_match_any (tier, TRUE);
  crm_tier_set_window_days (tier, 30);
  any = crm_tier_describe_rule (tier, "CNY");
  g_assert_cmpstr (any, ==, "1 order or more in the last 30 days");
}

/* A built-in tier keeps its key while the editor gives back the texts it showed; new texts
 * of the user's own replace the key. */
static void
test_tier_texts (void)
{
  g_autoptr(CrmTier) tier = crm_tier_new ();

  crm_tier_set_preset (tier, "gold");
  crm_tier_set_name (tier, "金卡会员");        /* made by a run in Chinese */
  crm_tier_set_benefits (tier, "每年两次九折、包邮，1.5 倍积分");
  g_assert_cmpstr (crm_tier_get_display_name (tier), ==, "Gold");
  g_assert_cmpstr (crm_tier_get_display_benefits (tier), ==, "10% off twice a year, free shipping, 1.5× points");

  crm_tier_set_texts (tier, "Gold", "10% off twice a year, free shipping, 1.5× points");
  g_assert_cmpstr (crm_tier_get_preset (tier), ==, "gold");
  g_assert_cmpstr (crm_tier_get_name (tier), ==, "金卡会员");

  crm_tier_set_texts (tier, "Gold", "Free shipping");
  g_assert_null (crm_tier_get_preset (tier));
  g_assert_cmpstr (crm_tier_get_display_name (tier), ==, "Gold");
  g_assert_cmpstr (crm_tier_get_name (tier), ==, "Gold");
  g_assert_cmpstr (crm_tier_get_display_benefits (tier), ==, "Free shipping");

  g_assert_null (crm_tier_preset_name ("platinum"));
  g_assert_null (crm_tier_preset_name (NULL));
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/analytics/rfm/hand-computed", test_scores_hand_computed);
  g_test_add_func ("/analytics/rfm/formula", test_scores_formula);
  g_test_add_func ("/analytics/rfm/segment-grid", test_segment_grid);
  g_test_add_func ("/analytics/rfm/cutoffs-reproduce-scores", test_cutoffs_reproduce_scores);
  g_test_add_func ("/analytics/tiers/condition-parse", test_condition_parse);
  g_test_add_func ("/analytics/tiers/describe-rule", test_describe_rule);
  g_test_add_func ("/analytics/tiers/texts", test_tier_texts);
  g_test_add_func ("/analytics/lifecycle/timeline", test_lifecycle_timeline);
  g_test_add_func ("/analytics/lifecycle/rules-json", test_rules_json);
  g_test_add_func ("/analytics/lifecycle/rules-check", test_rules_check);
  g_test_add_func ("/analytics/lifecycle/rules-json-decimal-comma", test_rules_json_locale);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/analytics/recompute/window-and-scores", test_db_window_and_scores);
  ADD ("/analytics/recompute/tiers-at-limit", test_db_tiers_at_limit);
  ADD ("/analytics/recompute/override-expiry", test_db_override_expiry);
  ADD ("/analytics/recompute/few-and-many-changes", test_db_few_and_many_changes);
  ADD ("/analytics/recompute/twice-same", test_db_twice_same);
  ADD ("/analytics/recompute/cancel-changes-nothing", test_db_cancel_changes_nothing);
  ADD ("/analytics/recompute/order-updates-at-once", test_db_order_updates_at_once);
  ADD ("/analytics/lifecycle/rules-save", test_db_rules_save);
#undef ADD

  return g_test_run ();
}

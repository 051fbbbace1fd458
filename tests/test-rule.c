/* test-rule.c: segment rules — validation, SQL, and who they pick.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "crm-test-util.h"
#include "crm-customer.h"
#include "crm-json.h"
#include "crm-lifecycle.h"
#include "crm-order.h"
#include "crm-order-line.h"
#include "crm-query.h"
#include "crm-recompute.h"
#include "crm-rule.h"

#define DAY (G_GINT64_CONSTANT (86400000))

typedef struct
{
  CrmStore *store;
} Fixture;

static gint64
add (Fixture    *f,
     const char *name,
     const char *city,
     const char *birthday,
     int         gender,
     const char *tags,
     gboolean    email_consent)
{
  g_autoptr(CrmCustomer) c = crm_customer_new ();

  crm_customer_set_name (c, name);
  crm_customer_set_city (c, city);
  crm_customer_set_birthday (c, birthday);
  crm_customer_set_gender (c, gender);
  crm_customer_set_tags (c, tags);
  crm_customer_set_email_consent (c, email_consent);
  g_assert_true (crm_store_insert (f->store, CRM_ENTITY (c), NULL));
  return crm_entity_get_id (CRM_ENTITY (c));
}

static void
order (Fixture    *f,
       gint64      customer,
       gint64      days_ago,
       gint64      total,
       const char *channel,
       const char *category)
{
  g_autoptr(CrmOrder) o = crm_order_new ();
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_object_unref);
  CrmOrderLine *l = crm_order_line_new ();
  g_autoptr(GError) error = NULL;

  crm_order_set_customer_id (o, customer);
  crm_order_set_placed_at (o, crm_now_ms () - days_ago * DAY);
  crm_order_set_total (o, total);
  crm_order_set_status (o, "completed");
  crm_order_set_channel (o, channel);
  crm_order_line_set_category (l, category);
  crm_order_line_set_product (l, "thing");
  crm_order_line_set_amount (l, total);
  g_ptr_array_add (lines, l);
  crm_store_insert_order (f->store, CRM_ENTITY (o), lines, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = crm_test_db_path ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *thirty = g_strdup_printf ("%04d-01-01", g_date_time_get_year (now) - 30);
  g_autofree char *twenty = g_strdup_printf ("%04d-01-01", g_date_time_get_year (now) - 20);
  gint64 a, b, c;

  f->store = crm_store_open (path, NULL);
  g_assert_nonnull (f->store);

  a = add (f, "王芳", "上海", thirty, CRM_GENDER_FEMALE, "VIP, 茶叶", TRUE);
  b = add (f, "Li Wei", "Shanghai", twenty, CRM_GENDER_MALE, "wholesale", FALSE);
  c = add (f, "O'Brien 100%_", "Dublin", NULL, CRM_GENDER_UNKNOWN, NULL, TRUE);
  add (f, "Prospect", "上海", NULL, CRM_GENDER_FEMALE, NULL, FALSE);

  order (f, a, 5, 200000, "wechat", "茶叶");
  order (f, a, 20, 100000, "web", "茶具");
  order (f, b, 100, 5000, "store", "Tea");
  order (f, c, 400, 1000, "web", "Gifts");

  {
    CrmRecomputeOptions options;
    crm_recompute_options_init (&options, f->store);
    g_assert_true (crm_recompute (f->store, &options, NULL, NULL, NULL, NULL, NULL));
  }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
}

static char *
names (Fixture    *f,
       const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRule) rule = crm_rule_new_from_json (json, &error);
  g_autoptr(CrmQuery) q = crm_query_new ();
  g_autoptr(GArray) ids = NULL;
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  crm_query_set_rule (q, rule);
  ids = crm_query_run_ids (q, f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_query_count (q, f->store, NULL), ==, ids->len);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(CrmCustomer) c = crm_store_load (f->store, CRM_TYPE_CUSTOMER, g_array_index (ids, gint64, i), NULL);
      g_string_append_printf (out, "%s%s", i ? "|" : "", crm_customer_get_name (c));
    }

  return g_string_free (out, FALSE);
}

#define assert_picks(f, json, expected) \
  G_STMT_START { g_autofree char *got = names (f, json); g_assert_cmpstr (got, ==, expected); } G_STMT_END

static void
test_conditions (Fixture       *f,
                 gconstpointer  data)
{
  assert_picks (f, "{\"field\":\"city\",\"op\":\"is\",\"value\":\"上海\"}", "Prospect|王芳");
  assert_picks (f, "{\"field\":\"city\",\"op\":\"starts-with\",\"value\":\"shang\"}", "Li Wei");
  assert_picks (f, "{\"field\":\"age\",\"op\":\">=\",\"value\":25}", "王芳");
  assert_picks (f, "{\"field\":\"age\",\"op\":\"<\",\"value\":25}", "Li Wei");
  assert_picks (f, "{\"field\":\"gender\",\"op\":\"is\",\"value\":\"female\"}", "Prospect|王芳");
  assert_picks (f, "{\"field\":\"total_spent\",\"op\":\">=\",\"value\":300000}", "王芳");
  assert_picks (f, "{\"field\":\"order_count\",\"op\":\"=\",\"value\":0}", "Prospect");
  assert_picks (f, "{\"field\":\"average_order\",\"op\":\">\",\"value\":4000}", "Li Wei|王芳");
  assert_picks (f, "{\"field\":\"days_since_order\",\"op\":\">\",\"value\":365}", "O'Brien 100%_");
  assert_picks (f, "{\"field\":\"category\",\"op\":\"is\",\"value\":\"茶具\"}", "王芳");
  assert_picks (f, "{\"field\":\"category\",\"op\":\"is-not\",\"value\":\"茶具\"}", "Li Wei|O'Brien 100%_|Prospect");
  assert_picks (f, "{\"field\":\"channel\",\"op\":\"is\",\"value\":\"web\"}", "O'Brien 100%_|王芳");
  assert_picks (f, "{\"field\":\"tag\",\"op\":\"is\",\"value\":\"vip\"}", "王芳");
  assert_picks (f, "{\"field\":\"tag\",\"op\":\"is-empty\"}", "O'Brien 100%_|Prospect");
  assert_picks (f, "{\"field\":\"email_consent\",\"op\":\"is\",\"value\":true}", "O'Brien 100%_|王芳");
  assert_picks (f, "{\"field\":\"lifecycle\",\"op\":\"is\",\"value\":\"prospect\"}", "Prospect");
  assert_picks (f, "{\"field\":\"r_score\",\"op\":\">=\",\"value\":1}", "Li Wei|王芳");
  assert_picks (f, "{\"field\":\"rfm_segment\",\"op\":\"is\",\"value\":\"none\"}", "O'Brien 100%_|Prospect");
  assert_picks (f, "{\"field\":\"tier\",\"op\":\"is-not-empty\"}", "Li Wei|O'Brien 100%_|Prospect|王芳");
}

/* "Tier is" compares the names the user sees: a built-in tier's in the interface's language
 * (English here), whatever language stored it; a renamed tier by its own name. */
static void
test_tier_names (Fixture       *f,
                 gconstpointer  data)
{
  assert_picks (f, "{\"field\":\"tier\",\"op\":\"is\",\"value\":\"silver\"}", "王芳");
  g_assert_true (crm_store_exec (f->store, "UPDATE tiers SET name = '银卡会员' WHERE preset = 'silver'", NULL));
  assert_picks (f, "{\"field\":\"tier\",\"op\":\"is\",\"value\":\"Silver\"}", "王芳");
  assert_picks (f, "{\"field\":\"tier\",\"op\":\"is\",\"value\":\"银卡会员\"}", "");
  g_assert_true (crm_store_exec (f->store, "UPDATE tiers SET name = 'Premium', preset = NULL WHERE preset = 'silver'", NULL));
  assert_picks (f, "{\"field\":\"tier\",\"op\":\"is\",\"value\":\"Premium\"}", "王芳");
  assert_picks (f, "{\"field\":\"tier\",\"op\":\"is\",\"value\":\"Silver\"}", "");
}

static void
test_groups (Fixture       *f,
             gconstpointer  data)
{
  assert_picks (f,
    "{\"match\":\"all\",\"rules\":["
    " {\"field\":\"city\",\"op\":\"is\",\"value\":\"上海\"},"
    " {\"match\":\"any\",\"rules\":["
    "   {\"field\":\"order_count\",\"op\":\">\",\"value\":1},"
    "   {\"field\":\"email_consent\",\"op\":\"is\",\"value\":false}]}]}",
    "Prospect|王芳");
  assert_picks (f, "{\"match\":\"any\",\"rules\":[]}", "");
  assert_picks (f, "{\"match\":\"all\",\"rules\":[]}", "Li Wei|O'Brien 100%_|Prospect|王芳");
}

static void
test_hostile (Fixture       *f,
              gconstpointer  data)
{
  /* Values are data, never SQL or patterns. */
  assert_picks (f, "{\"field\":\"city\",\"op\":\"is\",\"value\":\"'; DROP TABLE customers; --\"}", "");
  assert_picks (f, "{\"field\":\"city\",\"op\":\"contains\",\"value\":\"%\"}", "");
  assert_picks (f, "{\"field\":\"city\",\"op\":\"contains\",\"value\":\"_\"}", "");
  assert_picks (f, "{\"field\":\"tag\",\"op\":\"is\",\"value\":\"\\\" OR 1=1 --\"}", "");
  g_assert_cmpint (crm_store_count (f->store, CRM_TYPE_CUSTOMER, NULL), ==, 4);
}

static void
test_invalid (void)
{
  static const char *bad[] = {
    "",
    "not json",
    "[]",
    "{\"field\":\"password\",\"op\":\"is\",\"value\":\"x\"}",
    "{\"field\":\"city\",\"op\":\"LIKE\",\"value\":\"x\"}",
    "{\"field\":\"city\",\"op\":\"is\"}",
    "{\"field\":\"city\",\"op\":\"is\",\"value\":5}",
    "{\"field\":\"age\",\"op\":\">\",\"value\":\"old\"}",
    "{\"field\":\"age\",\"op\":\"contains\",\"value\":1}",
    "{\"field\":\"lifecycle\",\"op\":\"is\",\"value\":\"zombie\"}",
    "{\"field\":\"first_order\",\"op\":\">\",\"value\":\"yesterday\"}",
    "{\"match\":\"some\",\"rules\":[]}",
    "{\"match\":\"all\",\"rules\":{}}",
    "{\"field\":\"city\",\"op\":\"is\",\"value\":\"\\u0001\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CrmRule) rule = crm_rule_new_from_json (bad[i], &error);

      g_assert_null (rule);
      g_assert_nonnull (error);
      g_assert_cmpuint (strlen (error->message), >, 10);
    }

  /* Too deep. */
  {
    GString *deep = g_string_new (NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(CrmRule) rule = NULL;

    for (int i = 0; i < 20; i++)
      g_string_append (deep, "{\"match\":\"all\",\"rules\":[");
    for (int i = 0; i < 20; i++)
      g_string_append (deep, "]}");
    rule = crm_rule_new_from_json (deep->str, &error);
    g_assert_null (rule);
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
    g_string_free (deep, TRUE);
  }
}

static void
test_json_round_trip (void)
{
  const char *json = "{\"match\":\"any\",\"rules\":[{\"field\":\"city\",\"op\":\"is\",\"value\":\"上海\"},"
                     "{\"field\":\"total_spent\",\"op\":\">=\",\"value\":100},"
                     "{\"field\":\"tag\",\"op\":\"is-empty\"},"
                     "{\"field\":\"sms_consent\",\"op\":\"is\",\"value\":true}]}";
  g_autoptr(CrmRule) a = crm_rule_new_from_json (json, NULL);
  g_autofree char *out = crm_rule_to_json (a);
  g_autoptr(CrmRule) b = crm_rule_new_from_json (out, NULL);
  g_autofree char *out2 = crm_rule_to_json (b);

  g_assert_cmpstr (out, ==, json);
  g_assert_cmpstr (out2, ==, out);
  g_assert_cmpuint (crm_rule_count_conditions (a), ==, 4);
}

/* json-glib recursed 50,000 levels and overflowed the stack before the depth limit ran. */
static void
test_deep_json (void)
{
  g_autofree char *deep = crm_test_deep_rule (50000);
  g_autofree char *deepest_ok = crm_test_deep_rule (8);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRule) rule = NULL;
  g_autofree char *message = g_strdup_printf ("Segment rules can nest at most %d groups deep", 8);
  CrmLifecycleRules lifecycle;

  rule = crm_rule_new_from_json (deep, &error);
  g_assert_null (rule);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, message);
  g_clear_error (&error);

  /* The same message as the structural check gives one level past the limit. */
  {
    g_autofree char *nine = crm_test_deep_rule (9);

    g_assert_null (crm_rule_new_from_json (nine, &error));
    g_assert_cmpstr (error->message, ==, message);
    g_clear_error (&error);
  }

  rule = crm_rule_new_from_json (deepest_ok, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rule);

  /* Other JSON read back from the database goes through the same check. */
  g_assert_false (crm_lifecycle_rules_load (&lifecycle, deep, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void
test_json_depth (void)
{
  g_autofree char *arrays = g_strnfill (100000, '[');

  g_assert_true (crm_json_check_depth ("[[1]]", -1, 2));
  g_assert_false (crm_json_check_depth ("[[1]]", -1, 1));
  g_assert_true (crm_json_check_depth ("{\"a\":{\"b\":[]}}", -1, 3));
  g_assert_false (crm_json_check_depth ("{\"a\":{\"b\":[]}}", -1, 2));
  /* Brackets inside strings, escaped quotes and escaped backslashes. */
  g_assert_true (crm_json_check_depth ("[\"[[[{{{\"]", -1, 1));
  g_assert_true (crm_json_check_depth ("[\"\\\"[[[\"]", -1, 1));
  g_assert_false (crm_json_check_depth ("[\"\\\\\",[[]]]", -1, 2));
  /* Closing brackets do not make room for more openings than the limit. */
  g_assert_true (crm_json_check_depth ("[]]]][]", -1, 1));
  g_assert_false (crm_json_check_depth ("]]][[", -1, 1));
  /* The length bounds the scan. */
  g_assert_true (crm_json_check_depth ("[[[", 1, 1));
  g_assert_false (crm_json_check_depth (arrays, -1, CRM_JSON_MAX_DEPTH));
  g_assert_true (crm_json_check_depth (NULL, -1, 0));
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/core/rule/invalid", test_invalid);
  g_test_add_func ("/core/rule/json-round-trip", test_json_round_trip);
  g_test_add_func ("/core/rule/deep-json", test_deep_json);
  g_test_add_func ("/core/json/depth", test_json_depth);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/core/rule/conditions", test_conditions);
  ADD ("/core/rule/groups", test_groups);
  ADD ("/core/rule/tier-names", test_tier_names);
  ADD ("/core/rule/hostile", test_hostile);
#undef ADD

  return g_test_run ();
}

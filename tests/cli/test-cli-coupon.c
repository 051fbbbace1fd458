/* test-cli-coupon.c: clientele-cli coupon … and card … end to end — the real binary against
 * temporary databases: JSON on stdout, exit 1 with the one-line reason when a redemption is
 * refused, two processes racing for one single-use code, the CSV export and the card PDF.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-test-util.h"
#include "crm-store.h"

#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>

typedef struct
{
  char     *out;
  char     *err;
  int       status;
  JsonNode *json;
} Run;

static void
run_clear (Run *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
  g_clear_pointer (&r->json, json_node_unref);
  r->status = -1;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_args (Run               *r,
          const char *const *args)
{
  g_autoptr(GError) error = NULL;

  run_clear (r);
  r->status = crm_test_run_cli (args, &r->out, &r->err);
  if (r->out != NULL && (r->out[0] == '{' || r->out[0] == '['))
    {
      r->json = json_from_string (r->out, &error);
      g_assert_no_error (error);
    }
}

#define RUN(r, ...) run_args ((r), (const char *const[]) { __VA_ARGS__, NULL })

static void
assert_ok (Run *r)
{
  if (r->status != 0)
    g_printerr ("stdout: %s\nstderr: %s\n", r->out, r->err);
  g_assert_cmpint (r->status, ==, 0);
}

/* A failure: the exit code, nothing on stdout and exactly one stderr line holding @needle. */
static void
assert_failed (Run        *r,
               int         code,
               const char *needle)
{
  if (r->status != code || strstr (r->err, needle) == NULL)
    g_printerr ("stdout: %s\nstderr: %s\n", r->out, r->err);
  g_assert_cmpint (r->status, ==, code);
  g_assert_cmpstr (r->out, ==, "");
  g_assert_true (g_str_has_prefix (r->err, "clientele-cli: "));
  g_assert_nonnull (strstr (r->err, needle));
  g_assert_true (strchr (r->err, '\n') == r->err + strlen (r->err) - 1);
}

static char *
add_customer (const char *db,
              const char *name,
              const char *city)
{
  g_auto(Run) r = { 0 };

  RUN (&r, "--database", db, "add-customer", "--name", name, "--city", city);
  assert_ok (&r);
  /* The new customer's UUID (first field of the line). */
  r.out[strcspn (r.out, "\t\n")] = '\0';
  g_assert_true (g_uuid_string_is_valid (r.out));
  return g_strdup (r.out);
}

static char *
setup (void)
{
  char *db = crm_test_db_path ();
  g_auto(Run) r = { 0 };

  RUN (&r, "--database", db, "init");
  assert_ok (&r);
  return db;
}

static char *
code_of (const char *db,
         const char *sql)
{
  g_autoptr(CrmStore) store = crm_store_open (db, NULL);

  g_assert_nonnull (store);
  return crm_test_query_text (store, sql);
}

static void
test_create_list (void)
{
  g_autofree char *db = setup ();
  g_auto(Run) r = { 0 };
  JsonObject *o;

  RUN (&r, "--database", db, "--json", "coupon", "create", "Spring sale", "--prefix", "spring", "--count", "5",
       "--amount", "20", "--min-spend", "100", "--from", "2026-01-01", "--until", "2099-12-31",
       "--uses-per-code", "1", "--uses-per-customer", "2");
  assert_ok (&r);
  o = json_node_get_object (r.json);
  g_assert_cmpstr (json_object_get_string_member (o, "prefix"), ==, "SPRING");
  g_assert_cmpint (json_object_get_int_member (o, "value"), ==, 2000);
  g_assert_cmpint (json_object_get_int_member (o, "min_spend"), ==, 10000);
  g_assert_cmpint (json_object_get_int_member (o, "issued"), ==, 5);

  /* Usage errors: exit 2, nothing made. */
  RUN (&r, "--database", db, "coupon", "create", "Bad", "--prefix", "X", "--count", "1");
  assert_failed (&r, 2, "either --percent or --amount");
  RUN (&r, "--database", db, "coupon", "create", "Bad", "--prefix", "X", "--percent", "101");
  assert_failed (&r, 2, "--percent");
  RUN (&r, "--database", db, "coupon", "create", "Bad", "--percent", "5");
  assert_failed (&r, 2, "--prefix");
  RUN (&r, "--database", db, "coupon", "create", "Spring sale", "--prefix", "X", "--percent", "5");
  assert_failed (&r, 1, "already a coupon batch");

  RUN (&r, "--database", db, "--json", "coupon", "list");
  assert_ok (&r);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (r.json)), ==, 1);
  o = json_array_get_object_element (json_node_get_array (r.json), 0);
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "Spring sale");
  g_assert_cmpint (json_object_get_int_member (o, "issued"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (o, "redeemed"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (o, "redemption_rate"), ==, 0.0);

  RUN (&r, "--database", db, "coupon", "list");
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "Spring sale"));
  g_assert_nonnull (strstr (r.out, "¥20.00 off, spend ¥100.00"));
}

static void
test_issue_redeem (void)
{
  g_autofree char *db = setup ();
  g_autofree char *anna = add_customer (db, "Anna", "上海");
  g_autofree char *bert = add_customer (db, "Bert", "上海");
  g_autofree char *carl = add_customer (db, "Carl", "北京");
  g_autofree char *code = NULL;
  g_autofree char *lower = NULL;
  g_auto(Run) r = { 0 };
  JsonObject *o;

  RUN (&r, "--database", db, "segment", "save", "Shanghai", "--rule",
       "{\"match\": \"all\", \"rules\": [{\"field\": \"city\", \"op\": \"is\", \"value\": \"上海\"}]}");
  assert_ok (&r);
  RUN (&r, "--database", db, "coupon", "create", "Welcome", "--prefix", "HI", "--percent", "10", "--min-spend", "50");
  assert_ok (&r);
  RUN (&r, "--database", db, "coupon", "issue", "Welcome");
  assert_failed (&r, 2, "--segment NAME or --customer UUID");
  RUN (&r, "--database", db, "--json", "coupon", "issue", "Welcome", "--segment", "Shanghai");
  assert_ok (&r);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (r.json), "issued"), ==, 2);
  RUN (&r, "--database", db, "coupon", "issue", "Nope", "--customer", carl);
  assert_failed (&r, 1, "No coupon batch named “Nope”");

  code = code_of (db, "SELECT code FROM coupon_codes c JOIN customers u ON u.id = c.customer_id WHERE u.name = 'Anna'");
  lower = g_ascii_strdown (code, -1);

  /* Every refusal: exit 1 and the reason. */
  RUN (&r, "--database", db, "coupon", "redeem", "HI-ZZZZZZZZ", "--customer", anna, "--spend", "80");
  assert_failed (&r, 1, "There is no coupon “HI-ZZZZZZZZ”");
  RUN (&r, "--database", db, "coupon", "redeem", code, "--customer", bert, "--spend", "80");
  assert_failed (&r, 1, "issued to another customer");
  RUN (&r, "--database", db, "coupon", "redeem", code, "--customer", anna, "--spend", "40");
  assert_failed (&r, 1, "at least ¥50.00 (this one: ¥40.00)");
  RUN (&r, "--database", db, "coupon", "redeem", code, "--customer", anna);
  assert_failed (&r, 1, "give the order or the amount spent");
  RUN (&r, "--database", db, "coupon", "redeem", code);
  assert_failed (&r, 2, "--customer");

  /* An order by its number: its amount is what the minimum is checked on. */
  RUN (&r, "--database", db, "order", "add", "--customer", anna, "--item", "Tea:1:80", "--number", "A-1");
  assert_ok (&r);
  RUN (&r, "--database", db, "--json", "coupon", "redeem", lower, "--customer", anna, "--order", "A-1");
  assert_ok (&r);
  o = json_node_get_object (r.json);
  g_assert_cmpstr (json_object_get_string_member (o, "code"), ==, code);
  g_assert_cmpint (json_object_get_int_member (o, "discount"), ==, 800);
  g_assert_cmpstr (json_object_get_string_member (o, "order"), ==, "A-1");

  RUN (&r, "--database", db, "coupon", "redeem", code, "--customer", anna, "--spend", "80");
  assert_failed (&r, 1, "has already been used");

  /* Expired and not yet valid. */
  RUN (&r, "--database", db, "coupon", "create", "Old", "--prefix", "OLD", "--count", "1", "--percent", "5",
       "--until", "2020-01-31");
  assert_ok (&r);
  g_free (code);
  code = code_of (db, "SELECT code FROM coupon_codes WHERE code LIKE 'OLD-%'");
  RUN (&r, "--database", db, "coupon", "redeem", code, "--customer", carl);
  assert_failed (&r, 1, "expired");
  RUN (&r, "--database", db, "coupon", "create", "Future", "--prefix", "NEW", "--count", "1", "--percent", "5",
       "--from", "2099-01-01");
  assert_ok (&r);
  g_free (code);
  code = code_of (db, "SELECT code FROM coupon_codes WHERE code LIKE 'NEW-%'");
  RUN (&r, "--database", db, "coupon", "redeem", code, "--customer", carl);
  assert_failed (&r, 1, "not valid before");

  /* Per customer: two codes, one use each customer. */
  RUN (&r, "--database", db, "coupon", "create", "Twice", "--prefix", "TW", "--count", "2", "--amount", "5");
  assert_ok (&r);
  g_free (code);
  code = code_of (db, "SELECT code FROM coupon_codes WHERE code LIKE 'TW-%' ORDER BY id LIMIT 1");
  RUN (&r, "--database", db, "coupon", "redeem", code, "--customer", carl);
  assert_ok (&r);
  g_free (code);
  code = code_of (db, "SELECT code FROM coupon_codes WHERE code LIKE 'TW-%' ORDER BY id DESC LIMIT 1");
  RUN (&r, "--database", db, "coupon", "redeem", code, "--customer", carl);
  assert_failed (&r, 1, "as often as allowed");

  RUN (&r, "--database", db, "--json", "coupon", "list");
  assert_ok (&r);
  {
    JsonArray *all = json_node_get_array (r.json);
    gboolean seen = FALSE;

    for (guint i = 0; i < json_array_get_length (all); i++)
      {
        o = json_array_get_object_element (all, i);
        if (g_str_equal (json_object_get_string_member (o, "name"), "Welcome"))
          {
            seen = TRUE;
            g_assert_cmpint (json_object_get_int_member (o, "issued"), ==, 2);
            g_assert_cmpint (json_object_get_int_member (o, "redeemed"), ==, 1);
            g_assert_cmpfloat (json_object_get_double_member (o, "redemption_rate"), ==, 0.5);
            g_assert_cmpstr (json_object_get_string_member (o, "segment"), ==, "Shanghai");
          }
      }
    g_assert_true (seen);
  }
}

/* Two clientele-cli processes redeem one single-use code at once, ten times: one wins each time,
 * the other is told it was used. */
static void
test_race (void)
{
  g_autofree char *db = setup ();
  g_autofree char *anna = add_customer (db, "Anna", "上海");
  g_autofree char *bert = add_customer (db, "Bert", "上海");
  g_auto(Run) r = { 0 };

  RUN (&r, "--database", db, "coupon", "create", "Race", "--prefix", "RACE", "--count", "10", "--amount", "1",
       "--uses-per-customer", "10");
  assert_ok (&r);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT code FROM coupon_codes ORDER BY id LIMIT 1 OFFSET %u", i);
      g_autofree char *code = code_of (db, sql);
      const char *a1[] = { "--database", db, "coupon", "redeem", code, "--customer", anna, NULL };
      const char *a2[] = { "--database", db, "coupon", "redeem", code, "--customer", bert, NULL };
      int e1 = -1, e2 = -1, s1, s2;
      GPid p1 = crm_test_spawn_cli (a1, &e1);
      GPid p2 = crm_test_spawn_cli (a2, &e2);
      char buf1[512] = "", buf2[512] = "";

      s1 = crm_test_wait_cli (p1);
      s2 = crm_test_wait_cli (p2);
      g_assert_cmpint (read (e1, buf1, sizeof buf1 - 1), >=, 0);
      g_assert_cmpint (read (e2, buf2, sizeof buf2 - 1), >=, 0);
      close (e1);
      close (e2);
      g_assert_cmpint (s1 + s2, ==, 1);
      g_assert_nonnull (strstr (s1 ? buf1 : buf2, "has already been used"));
    }
  {
    g_autofree char *redemptions = code_of (db, "SELECT count(*) FROM coupon_redemptions");

    g_assert_cmpstr (redemptions, ==, "10");
  }
}

static void
test_export (void)
{
  g_autofree char *db = setup ();
  g_autofree char *path = g_build_filename (crm_test_tmp_dir (), "coupon-codes.csv", NULL);
  g_autoptr(GPtrArray) rows = NULL;
  g_auto(Run) r = { 0 };

  RUN (&r, "--database", db, "coupon", "create", "Shop", "--prefix", "SHOP", "--count", "4", "--percent", "15");
  assert_ok (&r);
  RUN (&r, "--database", db, "coupon", "export", "Shop");
  assert_failed (&r, 2, "-o FILE");
  RUN (&r, "--database", db, "--json", "coupon", "export", "Shop", "-o", path);
  assert_ok (&r);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (r.json), "rows"), ==, 4);
  rows = crm_test_read_csv (path, CRM_CSV_ENCODING_UTF8);
  g_assert_cmpuint (rows->len, ==, 5);
  g_assert_true (g_str_has_prefix (((char **) rows->pdata[4])[0], "SHOP-"));
  g_assert_cmpint (crm_test_file_mode (path), ==, 0600);
}

static void
test_card (void)
{
  g_autofree char *db = setup ();
  g_autofree char *anna = add_customer (db, "Anna Card", "上海");
  g_autofree char *pdf = g_build_filename (crm_test_tmp_dir (), "anna-card.pdf", NULL);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_auto(Run) r = { 0 };
  JsonObject *o;

  RUN (&r, "--database", db, "card", "show", anna);
  assert_failed (&r, 1, "no member card");
  RUN (&r, "--database", db, "card", "issue", anna);
  assert_ok (&r);
  first = g_strdup (g_strstrip (r.out));
  g_assert_cmpuint (strlen (first), ==, 19);
  RUN (&r, "--database", db, "card", "issue", anna);
  assert_failed (&r, 1, "already has member card");

  /* The search finds the customer by the number. */
  RUN (&r, "--database", db, "--json", "list", "--search", first);
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "Anna Card"));

  RUN (&r, "--database", db, "--json", "card", "reissue", anna, "--reason", "lost");
  assert_ok (&r);
  second = g_strdup (json_object_get_string_member (json_node_get_object (r.json), "formatted"));
  g_assert_cmpstr (second, !=, first);
  RUN (&r, "--database", db, "--json", "list", "--search", first);
  assert_ok (&r);
  g_assert_null (strstr (r.out, "Anna Card"));
  RUN (&r, "--database", db, "--json", "list", "--search", second);
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "Anna Card"));

  RUN (&r, "--database", db, "--json", "card", "show", anna);
  assert_ok (&r);
  o = json_node_get_object (r.json);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "card"), "formatted"), ==, second);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "history")), ==, 2);

  RUN (&r, "--database", db, "card", "print", anna);
  assert_failed (&r, 2, "-o FILE.pdf");
  RUN (&r, "--database", db, "card", "print", anna, "-o", pdf);
  assert_ok (&r);
  {
    const char *argv[] = { "pdftotext", pdf, "-", NULL };
    g_autofree char *text = NULL;
    g_autoptr(GError) error = NULL;
    int status = -1;

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &text, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (text, "Anna Card"));
    g_assert_nonnull (strstr (text, second));
  }
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/cli/coupon/create-list", test_create_list);
  g_test_add_func ("/cli/coupon/issue-redeem", test_issue_redeem);
  g_test_add_func ("/cli/coupon/race", test_race);
  g_test_add_func ("/cli/coupon/export", test_export);
  g_test_add_func ("/cli/card/issue-reissue-print", test_card);

  return g_test_run ();
}

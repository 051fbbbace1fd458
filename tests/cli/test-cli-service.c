/* test-cli-service.c: clientele-cli order add / order refund / interaction add / interaction
 * list end to end — the real binary against temporary databases: stdout JSON, the one stderr
 * line of a failure and the exit codes (0 success, 1 failure, 2 usage), and nothing written by
 * a refused command.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-test-util.h"
#include "crm-store.h"
#include "crm-tiers.h"

#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>

/* clientele-cli run in its own process (crm-test-util.h). */
typedef CrmTestCliRun Run;
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, crm_test_cli_run_clear)
#define RUN(r, ...) crm_test_cli_run ((r), (const char *const[]) { __VA_ARGS__, NULL })
#define assert_ok crm_test_cli_assert_ok
#define assert_failed crm_test_cli_assert_failed
#define obj crm_test_cli_object
#define count_rows crm_test_count_rows

/* A database with the default tiers and one customer: its UUID. */
static char *
setup (char **out_db)
{
  g_autofree char *db = crm_test_db_path ();
  g_auto(Run) r = { 0 };
  g_autoptr(GError) error = NULL;

  RUN (&r, "--database", db, "init");
  assert_ok (&r);
  {
    g_autoptr(CrmStore) store = crm_store_open (db, &error);
    g_assert_no_error (error);
    g_assert_true (crm_tiers_ensure_default (store, &error));
  }
  RUN (&r, "--database", db, "add-customer", "--name", "李娜", "--phone", "138 0013 8000",
       "--email", "li.na@example.cn");
  assert_ok (&r);
  *out_db = g_steal_pointer (&db);
  return g_strstrip (g_strdup (r.out));
}

/* An order by UUID, phone and e-mail: totals in minor units, and the customer's spend, tier and
 * stage at once. */
static void
test_order_add (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uuid = setup (&db);
  g_auto(Run) r = { 0 };
  JsonObject *customer;
  JsonArray *lines;

  RUN (&r, "--database", db, "--json", "order", "add", "--customer", uuid,
       "--item", "Green tea:2:38.50:Tea", "--item", "Tea set:1:925", "--discount", "2",
       "--channel", "wechat", "--payment", "wechat-pay", "--at", "2026-11-30T15:20");
  assert_ok (&r);
  g_assert_cmpint (json_object_get_int_member (obj (&r), "subtotal"), ==, 100200);
  g_assert_cmpint (json_object_get_int_member (obj (&r), "total"), ==, 100000);
  g_assert_cmpstr (json_object_get_string_member (obj (&r), "status"), ==, "paid");
  g_assert_cmpstr (json_object_get_string_member (obj (&r), "channel"), ==, "wechat");
  g_assert_cmpstr (json_object_get_string_member (obj (&r), "payment_method"), ==, "wechat-pay");
  lines = json_object_get_array_member (obj (&r), "lines");
  g_assert_cmpuint (json_array_get_length (lines), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (lines, 0), "amount"), ==, 7700);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (lines, 0), "category"), ==, "Tea");
  customer = json_object_get_object_member (obj (&r), "customer");
  g_assert_cmpint (json_object_get_int_member (customer, "total_spent"), ==, 100000);
  g_assert_cmpint (json_object_get_int_member (customer, "order_count"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (customer, "lifecycle"), ==, "new");
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM customer_state s JOIN tiers t ON t.id = s.tier_id"
                                   " WHERE t.preset = 'silver'"), ==, 1);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM orders WHERE placed_at ="
                                   " strftime('%s', '2026-11-30 15:20', 'utc') * 1000"), ==, 1);

  RUN (&r, "--database", db, "--json", "order", "add", "--phone", "13800138000", "--item", "Cup:1:10");
  assert_ok (&r);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (obj (&r), "customer"), "order_count"), ==, 2);
  RUN (&r, "--database", db, "order", "add", "--email", "LI.NA@example.cn", "--item", "Cup:3:10", "--status", "pending");
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "¥30.00"));
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM orders"), ==, 3);
}

/* Each refused command says why in one line, with the right exit status, and writes nothing. */
static void
test_order_errors (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uuid = setup (&db);
  g_auto(Run) r = { 0 };
  const char *nobody = "123e4567-e89b-12d3-a456-426614174000";
  gint64 journal = count_rows (db, "SELECT count(*) FROM changes");

  RUN (&r, "--database", db, "order", "add", "--customer", nobody, "--item", "Tea:1:10");
  assert_failed (&r, 1, "No customer with UUID");
  RUN (&r, "--database", db, "order", "add", "--phone", "139 9999 9999", "--item", "Tea:1:10");
  assert_failed (&r, 1, "No customer with");
  RUN (&r, "--database", db, "order", "add", "--customer", uuid, "--item", "Tea:1");
  assert_failed (&r, 2, "NAME:QTY:PRICE");
  RUN (&r, "--database", db, "order", "add", "--customer", uuid, "--item", "Tea:0:10");
  assert_failed (&r, 2, "quantity");
  RUN (&r, "--database", db, "order", "add", "--customer", uuid, "--item", "Tea:1:ten");
  assert_failed (&r, 2, "price");
  RUN (&r, "--database", db, "order", "add", "--customer", uuid);
  assert_failed (&r, 2, "--item");
  RUN (&r, "--database", db, "order", "add", "--customer", uuid, "--phone", "13800138000", "--item", "Tea:1:10");
  assert_failed (&r, 2, "exactly one");
  RUN (&r, "--database", db, "order", "add", "--customer", uuid, "--item", "Tea:1:10", "--status", "shipped");
  assert_failed (&r, 2, "--status");
  RUN (&r, "--database", db, "order", "add", "--customer", uuid, "--item", "Tea:1:10", "--at", "2026-02-30");
  assert_failed (&r, 2, "--at");
  RUN (&r, "--database", db, "order", "add", "--customer", uuid, "--item", "Tea:1:10", "--discount", "11");
  assert_failed (&r, 1, "discount");
  RUN (&r, "--database", db, "order");
  assert_failed (&r, 2, "add, refund");
  RUN (&r, "--database", db, "order", "ship");
  assert_failed (&r, 2, "add, refund");

  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM orders"), ==, 0);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM changes"), ==, journal);
}

/* Part of an order back, then the rest; more than was paid is refused and changes nothing. */
static void
test_order_refund (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uuid = setup (&db);
  g_autofree char *order = NULL;
  g_auto(Run) r = { 0 };

  RUN (&r, "--database", db, "--json", "order", "add", "--customer", uuid, "--item", "Tea set:1:1200",
       "--number", "A-1001");
  assert_ok (&r);
  order = g_strdup (json_object_get_string_member (obj (&r), "uuid"));

  RUN (&r, "--database", db, "--json", "order", "refund", order, "--amount", "300", "--reason", "Chipped cup");
  assert_ok (&r);
  g_assert_cmpint (json_object_get_int_member (obj (&r), "amount"), ==, 30000);
  g_assert_cmpint (json_object_get_int_member (obj (&r), "order_total"), ==, 90000);
  g_assert_cmpstr (json_object_get_string_member (obj (&r), "order_status"), ==, "paid");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (obj (&r), "customer"), "total_spent"),
                   ==, 90000);

  RUN (&r, "--database", db, "order", "refund", "A-1001", "--amount", "900.01");
  assert_failed (&r, 1, "only ¥900.00");
  RUN (&r, "--database", db, "order", "refund", order, "--amount", "-5");
  assert_failed (&r, 2, "--amount");
  RUN (&r, "--database", db, "order", "refund", "A-9999");
  assert_failed (&r, 1, "No order");
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM refunds"), ==, 1);

  /* By its number, all that is left. */
  RUN (&r, "--database", db, "--json", "order", "refund", "A-1001");
  assert_ok (&r);
  g_assert_cmpint (json_object_get_int_member (obj (&r), "amount"), ==, 90000);
  g_assert_cmpstr (json_object_get_string_member (obj (&r), "order_status"), ==, "refunded");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (obj (&r), "customer"), "order_count"),
                   ==, 0);
  RUN (&r, "--database", db, "order", "refund", order);
  assert_failed (&r, 1, "refunded already");
}

/* A contact logged from the command line is at the top of the customer's timeline, with the
 * orders under it, and search finds the customer by its summary. */
static void
test_interactions (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uuid = setup (&db);
  g_auto(Run) r = { 0 };
  JsonArray *events;
  JsonObject *first;

  RUN (&r, "--database", db, "order", "add", "--customer", uuid, "--item", "Tea:1:10", "--at", "2026-11-01");
  assert_ok (&r);
  RUN (&r, "--database", db, "--json", "interaction", "add", "--customer", uuid, "--channel", "wechat",
       "--direction", "in", "--summary", "Asked for the osmanthus oolong", "--at", "2026-11-20T09:30");
  assert_ok (&r);
  g_assert_cmpstr (json_object_get_string_member (obj (&r), "logged_by"), ==, g_get_user_name ());
  RUN (&r, "--database", db, "interaction", "add", "--customer", uuid, "--channel", "note",
       "--summary", "Prefers calls after 6 pm", "--at", "2026-10-01");
  assert_ok (&r);

  RUN (&r, "--database", db, "--json", "interaction", "list", "--customer", uuid);
  assert_ok (&r);
  events = json_object_get_array_member (obj (&r), "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 3);
  first = json_array_get_object_element (events, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "kind"), ==, "interaction");
  g_assert_cmpstr (json_object_get_string_member (first, "channel"), ==, "wechat");
  g_assert_cmpstr (json_object_get_string_member (first, "direction"), ==, "in");
  g_assert_cmpstr (json_object_get_string_member (first, "summary"), ==, "Asked for the osmanthus oolong");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 1), "kind"), ==, "order");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 2), "kind"), ==, "interaction");
  g_assert_false (json_object_get_boolean_member (obj (&r), "more"));

  RUN (&r, "--database", db, "--json", "interaction", "list", "--customer", uuid, "--limit", "1");
  assert_ok (&r);
  g_assert_true (json_object_get_boolean_member (obj (&r), "more"));

  RUN (&r, "--database", db, "list", "--search", "osmanthus");
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "李娜"));

  RUN (&r, "--database", db, "interaction", "add", "--customer", uuid, "--channel", "fax", "--summary", "x");
  assert_failed (&r, 2, "--channel");
  RUN (&r, "--database", db, "interaction", "add", "--customer", uuid, "--channel", "phone");
  assert_failed (&r, 2, "--summary");
  RUN (&r, "--database", db, "interaction", "add", "--customer", uuid, "--channel", "phone", "--summary", " ");
  assert_failed (&r, 1, "Summary");
  RUN (&r, "--database", db, "interaction", "add", "--customer", "123e4567-e89b-12d3-a456-426614174000",
       "--channel", "phone", "--summary", "Hello");
  assert_failed (&r, 1, "No customer with UUID");
  RUN (&r, "--database", db, "interaction", "list");
  assert_failed (&r, 2, "--customer");
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM interactions"), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/cli/order/add", test_order_add);
  g_test_add_func ("/cli/order/errors", test_order_errors);
  g_test_add_func ("/cli/order/refund", test_order_refund);
  g_test_add_func ("/cli/interaction/add-list", test_interactions);

  return g_test_run ();
}

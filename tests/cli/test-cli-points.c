/* test-cli-points.c: clientele-cli points … and loyalty settings end to end — the real binary
 * against a temporary database: orders earning, expiry, redemption refused beyond the balance,
 * adjustments, the history, a refund driving the balance negative; JSON keys and exit codes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-test-util.h"

#include <json-glib/json-glib.h>
#include <string.h>

typedef struct
{
  char       *db;
  char       *out;
  char       *err;
  int         status;
  JsonObject *json;
  JsonNode   *node;
} Cli;

static void
cli_run (Cli               *c,
         const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&c->out, g_free);
  g_clear_pointer (&c->err, g_free);
  g_clear_pointer (&c->node, json_node_unref);
  c->json = NULL;
  g_ptr_array_add (argv, (gpointer) "--database");
  g_ptr_array_add (argv, c->db);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  c->status = crm_test_run_cli ((const char *const *) argv->pdata, &c->out, &c->err);
  if (c->out[0] == '{')
    {
      c->node = json_from_string (c->out, &error);
      g_assert_no_error (error);
      c->json = json_node_get_object (c->node);
    }
}

#define RUN(c, ...) cli_run ((c), (const char *const[]) { __VA_ARGS__, NULL })

static void
assert_ok (Cli *c)
{
  if (c->status != 0)
    g_printerr ("stdout: %s\nstderr: %s\n", c->out, c->err);
  g_assert_cmpint (c->status, ==, 0);
}

/* Refused: @code, nothing on stdout, one stderr line holding @needle. */
static void
assert_refused (Cli        *c,
                int         code,
                const char *needle)
{
  if (c->status != code || strstr (c->err, needle) == NULL)
    g_printerr ("stdout: %s\nstderr: %s\n", c->out, c->err);
  g_assert_cmpint (c->status, ==, code);
  g_assert_cmpstr (c->out, ==, "");
  g_assert_nonnull (strstr (c->err, needle));
  g_assert_null (strchr (strchr (c->err, '\n') + 1, '\n'));
}

static gint64
member (Cli        *c,
        const char *name)
{
  g_assert_nonnull (c->json);
  g_assert_true (json_object_has_member (c->json, name));
  return json_object_get_int_member (c->json, name);
}

static void
test_points (void)
{
  Cli c = { .db = crm_test_db_path () };
  g_autofree char *uuid = NULL;
  JsonArray *entries;
  static const char *const kinds[] = { "earn", "adjust", "redeem", "expire", "earn", "earn" };
  static const gint64 points[] = { 10, -20, -50, -100, 250, 100 };

  RUN (&c, "init");
  assert_ok (&c);
  RUN (&c, "add-customer", "--name", "Han Mei");
  assert_ok (&c);
  uuid = g_strstrip (g_strdup (c.out));

  RUN (&c, "--json", "loyalty", "settings", "--start", "2020-01-01");
  assert_ok (&c);
  g_assert_cmpint (member (&c, "expiry_months"), ==, 12);
  g_assert_cmpint (member (&c, "min_redemption"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (c.json, "points_per_unit"), ==, 1.0);

  /* An order of 2024 (its points past their 12 months) and one of today. */
  RUN (&c, "order", "add", "--customer", uuid, "--item", "Tea:1:100.00", "--number", "A1", "--at", "2024-01-10");
  assert_ok (&c);
  RUN (&c, "order", "add", "--customer", uuid, "--item", "Tea set:1:250.50", "--number", "A2");
  assert_ok (&c);

  RUN (&c, "--json", "points", "balance", uuid);
  assert_ok (&c);
  g_assert_cmpint (member (&c, "balance"), ==, 250);
  g_assert_cmpint (member (&c, "expiring_next"), ==, 250);
  g_assert_cmpint (member (&c, "expiring_at"), >, g_get_real_time () / 1000 + 300LL * 86400000);
  /* As of the end of 2024-06-01, the first order's points were still there. */
  RUN (&c, "--json", "points", "balance", uuid, "--as-of", "2024-06-01");
  assert_ok (&c);
  g_assert_cmpint (member (&c, "balance"), ==, 100);
  g_assert_true (json_object_get_null_member (c.json, "expiring_at") == FALSE);

  RUN (&c, "--json", "points", "expire");
  assert_ok (&c);
  g_assert_cmpint (member (&c, "points"), ==, 100);
  g_assert_cmpint (member (&c, "customers"), ==, 1);
  RUN (&c, "points", "expire", "--as-of", "2090-01-01");
  assert_refused (&c, 1, "ahead of time");

  RUN (&c, "points", "redeem", uuid, "300");
  assert_refused (&c, 1, "Not enough points: the customer has 250, 300 points were asked for");
  RUN (&c, "points", "redeem", uuid, "lots");
  assert_refused (&c, 2, "is not a number of points");
  RUN (&c, "points", "redeem", uuid, "10", "--order", "NOPE");
  assert_refused (&c, 1, "No order");
  RUN (&c, "--json", "points", "redeem", uuid, "50", "--order", "A2");
  assert_ok (&c);
  g_assert_cmpint (member (&c, "balance"), ==, 200);

  RUN (&c, "points", "adjust", uuid, "5");
  assert_refused (&c, 2, "--reason");
  RUN (&c, "--json", "points", "adjust", uuid, "--reason", "Typo at the counter", "--", "-20");
  assert_ok (&c);
  g_assert_cmpint (member (&c, "balance"), ==, 180);
  RUN (&c, "--json", "points", "earn", uuid, "10", "--reason", "Survey");
  assert_ok (&c);
  g_assert_cmpint (member (&c, "balance"), ==, 190);

  RUN (&c, "--json", "points", "history", uuid);
  assert_ok (&c);
  entries = json_object_get_array_member (c.json, "entries");
  g_assert_cmpuint (json_array_get_length (entries), ==, G_N_ELEMENTS (kinds));
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      JsonObject *e = json_array_get_object_element (entries, i);

      g_assert_cmpstr (json_object_get_string_member (e, "kind"), ==, kinds[i]);
      g_assert_cmpint (json_object_get_int_member (e, "points"), ==, points[i]);
      g_assert_true (json_object_has_member (e, "at"));
      g_assert_true (json_object_has_member (e, "expires_at"));
      g_assert_true (json_object_has_member (e, "order"));
    }
  /* The redemption names its order; earned points their expiry. */
  g_assert_nonnull (json_object_get_string_member (json_array_get_object_element (entries, 2), "order"));
  g_assert_true (json_object_get_null_member (json_array_get_object_element (entries, 2), "expires_at"));
  g_assert_false (json_object_get_null_member (json_array_get_object_element (entries, 4), "expires_at"));

  /* A2 refunded in full after 50 of its points were spent: the balance goes below zero. */
  RUN (&c, "order", "refund", "A2");
  assert_ok (&c);
  RUN (&c, "--json", "points", "balance", uuid);
  assert_ok (&c);
  g_assert_cmpint (member (&c, "balance"), ==, -60);
  RUN (&c, "points", "balance", uuid);
  assert_ok (&c);
  g_assert_nonnull (strstr (c.out, "Balance: -60 points"));

  RUN (&c, "loyalty", "settings", "--expiry-months", "0");
  assert_refused (&c, 1, "1 to 120 months");
  RUN (&c, "loyalty", "settings", "--points-per-unit", "two");
  assert_refused (&c, 2, "is not a number");
  RUN (&c, "points", "balance", "0b7a3c3e-1d7e-4a57-9d3c-3f6f9d8d2b11");
  g_assert_cmpint (c.status, ==, 1);

  g_clear_pointer (&c.node, json_node_unref);
  g_free (c.out);
  g_free (c.err);
  g_free (c.db);
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);
  g_test_add_func ("/cli/points", test_points);
  return g_test_run ();
}

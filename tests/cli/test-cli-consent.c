/* test-cli-consent.c: clientele-cli consent set/history — the real binary recording a customer's
 * grants and withdrawals per channel and showing them; wrong channels, sources and customers
 * refused in one line with nothing written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-test-util.h"
#include "crm-store.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define RUN(out, err, ...) crm_test_run_cli ((const char *const[]) { __VA_ARGS__, NULL }, (out), (err))

static void
test_set_and_history (void)
{
  g_autofree char *db = crm_test_db_path ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *uuid = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *root;
  JsonArray *history;

  g_assert_cmpint (RUN (NULL, NULL, "--database", db, "init"), ==, 0);
  g_assert_cmpint (RUN (&out, NULL, "--database", db, "--json", "add-customer", "--name", "王芳"), ==, 0);
  node = json_from_string (out, NULL);
  uuid = g_strdup (json_object_get_string_member (json_node_get_object (node), "uuid"));
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (RUN (NULL, NULL, "--database", db, "consent", "set", uuid, "--channel", "sms", "--granted",
                        "--source", "form", "--at", "2026-01-05T10:30", "--note", "门店登记"), ==, 0);
  g_assert_cmpint (RUN (NULL, NULL, "--database", db, "consent", "set", uuid, "--channel", "sms", "--withdrawn",
                        "--source", "unsubscribe", "--at", "2026-03-01"), ==, 0);
  g_assert_cmpint (RUN (NULL, NULL, "--database", db, "consent", "set", uuid, "--channel", "wechat", "--granted",
                        "--source", "manual"), ==, 0);

  g_assert_cmpint (RUN (&out, NULL, "--database", db, "--json", "consent", "history", uuid), ==, 0);
  node = json_from_string (out, NULL);
  g_assert_nonnull (node);
  root = json_node_get_object (node);
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (root, "current"), "sms"));
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (root, "current"), "wechat"));
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (root, "current"), "email"));
  history = json_object_get_array_member (root, "history");
  g_assert_cmpuint (json_array_get_length (history), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (history, 0), "note"), ==, "门店登记");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (history, 1), "source"), ==, "unsubscribe");
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (RUN (&out, NULL, "--database", db, "consent", "history", uuid), ==, 0);
  g_assert_true (strstr (out, "withdrawn") != NULL && strstr (out, "wechat") != NULL);
  g_clear_pointer (&out, g_free);

  /* Refused: one line, nothing written. */
  g_assert_cmpint (RUN (&out, &err, "--database", db, "consent", "set", uuid, "--channel", "fax", "--granted",
                        "--source", "form"), ==, 2);
  g_assert_true (strstr (err, "--channel") != NULL);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (RUN (&out, &err, "--database", db, "consent", "set", uuid, "--channel", "sms", "--granted",
                        "--withdrawn", "--source", "form"), ==, 2);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (RUN (&out, &err, "--database", db, "consent", "set", uuid, "--channel", "sms", "--granted",
                        "--source", "hearsay"), ==, 2);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (RUN (&out, &err, "--database", db, "consent", "set", "00000000-0000-4000-8000-000000000000",
                        "--channel", "sms", "--granted", "--source", "form"), ==, 1);
  g_assert_true (g_str_has_prefix (err, "clientele-cli: "));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CrmStore) store = crm_store_open (db, &error);

    g_assert_no_error (error);
    g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM consent_events"), ==, 3);
  }
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);
  g_test_add_func ("/cli/consent/set-and-history", test_set_and_history);
  return g_test_run ();
}

/* test-cli-tasks.c: clientele-cli task / owner / pool end to end — the real binary against
 * temporary databases: JSON on stdout, one stderr line and the exit code of a refusal (1 failed,
 * 2 usage), and nothing written by a refused command.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-test-util.h"
#include "crm-store.h"

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

/* A database with one customer: its UUID. */
static char *
setup (char **out_db,
       const char *name)
{
  g_autofree char *db = crm_test_db_path ();
  g_auto(Run) r = { 0 };

  RUN (&r, "--database", db, "add-customer", "--name", name);
  assert_ok (&r);
  *out_db = g_steal_pointer (&db);
  return g_strstrip (g_strdup (r.out));
}

static char *
add_customer (const char *db,
              const char *name)
{
  g_auto(Run) r = { 0 };

  RUN (&r, "--database", db, "add-customer", "--name", name);
  assert_ok (&r);
  return g_strstrip (g_strdup (r.out));
}

/* task add, list (due before, JSON), done; the refusals. */
static void
test_tasks (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uuid = setup (&db, "王芳");
  g_autofree char *task = NULL;
  g_auto(Run) r = { 0 };
  JsonArray *tasks;
  JsonObject *t;

  RUN (&r, "--database", db, "owner", "add", "Alice");
  assert_ok (&r);
  g_assert_cmpstr (r.out, ==, "Alice\n");
  RUN (&r, "--database", db, "--json", "task", "add", "--customer", uuid, "--title", "Call back about the tea set",
       "--due", "2026-12-08", "--owner", "alice");
  assert_ok (&r);
  g_assert_cmpstr (json_object_get_string_member (obj (&r), "owner"), ==, "Alice");
  g_assert_cmpstr (json_object_get_string_member (obj (&r), "customer"), ==, uuid);
  g_assert_cmpstr (json_object_get_string_member (obj (&r), "origin"), ==, "manual");
  g_assert_false (json_object_get_boolean_member (obj (&r), "done"));
  task = g_strdup (json_object_get_string_member (obj (&r), "uuid"));
  /* A date alone is 09:00 that day. */
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM tasks WHERE due_at ="
                                   " strftime('%s', '2026-12-08 09:00', 'utc') * 1000"), ==, 1);
  RUN (&r, "--database", db, "task", "add", "--customer", uuid, "--title", "Visit", "--due", "2026-12-20T15:30");
  assert_ok (&r);

  RUN (&r, "--database", db, "--json", "task", "list");
  assert_ok (&r);
  tasks = json_object_get_array_member (obj (&r), "tasks");
  g_assert_cmpuint (json_array_get_length (tasks), ==, 2);
  RUN (&r, "--database", db, "--json", "task", "list", "--due-before", "2026-12-09");
  assert_ok (&r);
  tasks = json_object_get_array_member (obj (&r), "tasks");
  g_assert_cmpuint (json_array_get_length (tasks), ==, 1);
  t = json_array_get_object_element (tasks, 0);
  g_assert_cmpstr (json_object_get_string_member (t, "title"), ==, "Call back about the tea set");
  g_assert_cmpstr (json_object_get_string_member (t, "customer_name"), ==, "王芳");
  RUN (&r, "--database", db, "task", "list");
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "王芳"));
  g_assert_nonnull (strstr (r.out, "Visit"));

  RUN (&r, "--database", db, "--json", "task", "done", task);
  assert_ok (&r);
  g_assert_true (json_object_get_boolean_member (obj (&r), "done"));
  g_assert_cmpstr (json_object_get_string_member (obj (&r), "state"), ==, "done");
  RUN (&r, "--database", db, "--json", "task", "list", "--due-before", "2026-12-09");
  tasks = json_object_get_array_member (obj (&r), "tasks");
  g_assert_cmpuint (json_array_get_length (tasks), ==, 0);
  RUN (&r, "--database", db, "--json", "task", "list", "--all", "--owner", "Alice");
  tasks = json_object_get_array_member (obj (&r), "tasks");
  g_assert_cmpuint (json_array_get_length (tasks), ==, 1);

  RUN (&r, "--database", db, "task", "add", "--customer", uuid, "--title", "X", "--due", "2026-12-32");
  assert_failed (&r, 2, "--due");
  RUN (&r, "--database", db, "task", "add", "--customer", uuid, "--title", "X");
  assert_failed (&r, 2, "--due");
  RUN (&r, "--database", db, "task", "add", "--customer", uuid, "--title", " ", "--due", "2026-12-10");
  assert_failed (&r, 1, "title");
  RUN (&r, "--database", db, "task", "add", "--customer", uuid, "--title", "X", "--due", "2026-12-10", "--owner", "Bob");
  assert_failed (&r, 1, "“Bob” is not one of the owners");
  RUN (&r, "--database", db, "task", "add", "--customer", "123e4567-e89b-12d3-a456-426614174000", "--title", "X",
       "--due", "2026-12-10");
  assert_failed (&r, 1, "No customer");
  RUN (&r, "--database", db, "task", "done", "999");
  assert_failed (&r, 1, "No such follow-up");
  RUN (&r, "--database", db, "task", "done", "tomorrow");
  assert_failed (&r, 2, "not a task");
  RUN (&r, "--database", db, "task", "list", "--due-before", "soon");
  assert_failed (&r, 2, "--due-before");
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM tasks"), ==, 2);
}

/* owner add/list; pool claim (refused for an owned customer), assign, release, return at the
 * limit, settings; the history of every change. */
static void
test_pool (void)
{
  g_autofree char *db = NULL;
  g_autofree char *zhang = setup (&db, "张伟");
  g_autofree char *li = add_customer (db, "李静");
  g_auto(Run) r = { 0 };
  JsonArray *list;

  RUN (&r, "--database", db, "owner", "add", "Alice");
  assert_ok (&r);
  RUN (&r, "--database", db, "owner", "add", "刘洋");
  assert_ok (&r);
  RUN (&r, "--database", db, "owner", "add", "alice");
  assert_failed (&r, 1, "is an owner already");
  RUN (&r, "--database", db, "owner", "add");
  g_assert_cmpint (r.status, ==, 2);

  RUN (&r, "--database", db, "--json", "pool", "list");
  assert_ok (&r);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (&r), "customers")), ==, 2);
  g_assert_cmpint (json_object_get_int_member (obj (&r), "return_days"), ==, 30);

  RUN (&r, "--database", db, "--json", "pool", "claim", zhang, "--owner", "alice");
  assert_ok (&r);
  g_assert_cmpstr (json_object_get_string_member (obj (&r), "owner"), ==, "Alice");
  RUN (&r, "--database", db, "pool", "claim", zhang, "--owner", "刘洋");
  assert_failed (&r, 1, "Alice owns it");
  RUN (&r, "--database", db, "pool", "claim", li, "--owner", "Nobody");
  assert_failed (&r, 1, "“Nobody” is not one of the owners");
  RUN (&r, "--database", db, "pool", "claim", li);
  assert_failed (&r, 2, "--owner");
  RUN (&r, "--database", db, "pool", "release", li);
  assert_failed (&r, 1, "in the pool already");
  RUN (&r, "--database", db, "pool", "assign", li, "--owner", "刘洋");
  assert_ok (&r);

  RUN (&r, "--database", db, "--json", "owner", "list");
  assert_ok (&r);
  list = json_object_get_array_member (obj (&r), "owners");
  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (list, 0), "customers"), ==, 1);
  RUN (&r, "--database", db, "--json", "pool", "list");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (&r), "customers")), ==, 0);

  /* Claimed today: held through 30 days from now, returning on the 31st. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autoptr(GDateTime) d30 = g_date_time_add_days (now, 30);
    g_autoptr(GDateTime) d31 = g_date_time_add_days (now, 31);
    g_autofree char *day30 = g_date_time_format (d30, "%Y-%m-%dT23:59");
    g_autofree char *day31 = g_date_time_format (d31, "%Y-%m-%d");

    RUN (&r, "--database", db, "--json", "pool", "list", "--as-of", day30);
    assert_ok (&r);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (&r), "customers")), ==, 0);
    RUN (&r, "--database", db, "--json", "pool", "list", "--as-of", day31);
    list = json_object_get_array_member (obj (&r), "customers");
    g_assert_cmpuint (json_array_get_length (list), ==, 2);
    g_assert_true (json_object_get_boolean_member (json_array_get_object_element (list, 0), "returning"));
    RUN (&r, "--database", db, "--json", "pool", "return", "--as-of", day30);
    assert_ok (&r);
    g_assert_cmpint (json_object_get_int_member (obj (&r), "returned"), ==, 0);
    RUN (&r, "--database", db, "pool", "return", "--as-of", day31);
    assert_ok (&r);
    g_assert_cmpstr (r.out, ==, "2 customers returned to the pool\n");
  }
  RUN (&r, "--database", db, "--json", "pool", "claim", li, "--owner", "Alice");
  assert_ok (&r);
  RUN (&r, "--database", db, "--json", "pool", "release", li);
  assert_ok (&r);
  g_assert_true (json_node_is_null (json_object_get_member (obj (&r), "owner")));
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM pool_history"), ==, 6);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM pool_history WHERE action = 'return'"), ==, 2);

  RUN (&r, "--database", db, "--json", "pool", "settings", "--return-days", "45");
  assert_ok (&r);
  g_assert_cmpint (json_object_get_int_member (obj (&r), "return_days"), ==, 45);
  RUN (&r, "--database", db, "pool", "settings");
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "45 days"));
  g_assert_nonnull (strstr (r.out, "does not by itself"));
  RUN (&r, "--database", db, "--json", "pool", "settings", "--auto-return", "on");
  assert_ok (&r);
  g_assert_true (json_object_get_boolean_member (obj (&r), "auto_return"));
  g_assert_cmpint (json_object_get_int_member (obj (&r), "return_days"), ==, 45);
  RUN (&r, "--database", db, "pool", "settings", "--auto-return", "maybe");
  assert_failed (&r, 2, "--auto-return");
  RUN (&r, "--database", db, "pool", "settings", "--return-days", "0");
  assert_failed (&r, 2, "--return-days");
  RUN (&r, "--database", db, "pool", "settings", "--return-days", "lots");
  assert_failed (&r, 2, "--return-days");
  RUN (&r, "--database", db, "pool", "claim", "not-a-uuid", "--owner", "Alice");
  assert_failed (&r, 2, "UUID");
  RUN (&r, "--database", db, "pool", "return", "--as-of", "yesterday");
  assert_failed (&r, 2, "--as-of");
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/cli/tasks/tasks", test_tasks);
  g_test_add_func ("/cli/tasks/pool", test_pool);

  return g_test_run ();
}

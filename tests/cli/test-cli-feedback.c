/* test-cli-feedback.c: clientele-cli feedback add / set / show / list / stats / sla end to end —
 * the real binary against temporary databases: JSON on stdout, one stderr line and the exit
 * code of a refusal (1 refused, 2 usage), and nothing written by a refused command.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-test-util.h"
#include "crm-store.h"
#include "crm-tiers.h"

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
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_environ_unsetenv (g_get_environ (), "CLIENTELE_DB");
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  run_clear (r);
  envp = g_environ_setenv (envp, "LANGUAGE", "en", TRUE);
  /* Times given on the command line are local: UTC makes the due times plain to read. */
  envp = g_environ_setenv (envp, "TZ", "UTC", TRUE);
  g_ptr_array_add (argv, (gpointer) crm_test_cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &r->out, &r->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r->status = WEXITSTATUS (wait_status);
  if (r->out != NULL && r->out[0] == '{')
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

static JsonObject *
obj (Run *r)
{
  g_assert_nonnull (r->json);
  return json_node_get_object (r->json);
}

static gint64
count_rows (const char *db,
            const char *sql)
{
  g_autoptr(CrmStore) store = crm_store_open (db, NULL);

  g_assert_nonnull (store);
  return crm_test_query_int (store, sql);
}

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

static char *
add (const char *db,
     const char *const *extra)
{
  g_auto(Run) r = { 0 };
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  g_ptr_array_add (args, (gpointer) "--database");
  g_ptr_array_add (args, (gpointer) db);
  g_ptr_array_add (args, (gpointer) "feedback");
  g_ptr_array_add (args, (gpointer) "add");
  for (guint i = 0; extra[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) extra[i]);
  g_ptr_array_add (args, NULL);
  run_args (&r, (const char *const *) args->pdata);
  assert_ok (&r);
  return g_strstrip (g_strdup (r.out));
}

#define ADD(db, ...) add ((db), (const char *const[]) { __VA_ARGS__, NULL })

/* Survey answers and a review: the scores over a period, with the keys scripts read. */
static void
test_stats (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uuid = setup (&db);
  g_auto(Run) r = { 0 };
  const char *nps[] = { "10", "9", "8", "7", "6", "0" };
  JsonArray *trend;

  for (guint i = 0; i < G_N_ELEMENTS (nps); i++)
    g_free (ADD (db, "--customer", uuid, "--kind", "nps", "--score", nps[i], "--at", "2026-03-10T09:00"));
  g_free (ADD (db, "--customer", uuid, "--kind", "csat", "--score", "4", "--at", "2026-03-10T09:00"));
  g_free (ADD (db, "--customer", uuid, "--kind", "csat", "--score", "3", "--at", "2026-03-10T09:00"));
  g_free (ADD (db, "--customer", uuid, "--kind", "nps", "--score", "10", "--at", "2026-01-05"));
  g_free (ADD (db, "--customer", uuid, "--kind", "review", "--score", "5", "--text", "Lovely tea",
               "--source", "dianping", "--channel", "web", "--at", "2026-03-11"));
  g_free (ADD (db, "--customer", uuid, "--kind", "complaint", "--priority", "urgent", "--at", "2026-03-12T08:00"));

  RUN (&r, "--database", db, "--json", "feedback", "stats", "--period-days", "30", "--as-of", "2026-03-31",
       "--months", "3");
  assert_ok (&r);
  /* 2 promoters, 2 detractors of 6 → 0; CSAT 1 of 2 → 50. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (obj (&r), "nps"), 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (obj (&r), "csat"), 50, 1e-9);
  g_assert_cmpint (json_object_get_int_member (obj (&r), "answers"), ==, 8);
  g_assert_cmpint (json_object_get_int_member (obj (&r), "open"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (obj (&r), "overdue"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (obj (&r), "reviews"), ==, 1);
  trend = json_object_get_array_member (obj (&r), "trend");
  g_assert_cmpuint (json_array_get_length (trend), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (trend, 0), "month"), ==, "2026-01");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_array_get_object_element (trend, 0), "nps"),
                                  100, 1e-9);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (trend, 1), "nps_answers"), ==, 0);

  /* All of time: the January promoter too: 3 of 7 promote, 2 detract. */
  RUN (&r, "--database", db, "--json", "feedback", "stats", "--as-of", "2026-03-31");
  assert_ok (&r);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (obj (&r), "nps"), 100.0 / 7, 1e-9);

  RUN (&r, "--database", db, "feedback", "stats", "--period-days", "0");
  assert_failed (&r, 2, "--period-days");
  RUN (&r, "--database", db, "feedback", "stats", "--segment", "Nobody");
  assert_failed (&r, 1, "No segment named");
}

/* A complaint through its workflow from the command line: due time from the priority, overdue
 * as of a time, a refused step naming the allowed ones, re-open, the history. */
static void
test_workflow (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uuid = setup (&db);
  g_autofree char *id = NULL;
  g_auto(Run) r = { 0 };
  JsonArray *items, *history;

  RUN (&r, "--database", db, "--json", "feedback", "add", "--customer", uuid, "--kind", "complaint",
       "--priority", "urgent", "--text", "Wrong tea in the box", "--channel", "phone", "--at", "2026-03-01T10:00");
  assert_ok (&r);
  id = g_strdup (json_object_get_string_member (obj (&r), "uuid"));
  g_assert_cmpstr (json_object_get_string_member (obj (&r), "status"), ==, "open");
  g_assert_cmpint (json_object_get_int_member (obj (&r), "due_at"), ==,
                   json_object_get_int_member (obj (&r), "received_at") + 4 * 3600 * 1000);

  RUN (&r, "--database", db, "--json", "feedback", "list", "--overdue", "--as-of", "2026-03-01T14:00");
  assert_ok (&r);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (&r), "feedback")), ==, 0);
  RUN (&r, "--database", db, "--json", "feedback", "list", "--overdue", "--as-of", "2026-03-01T14:01");
  assert_ok (&r);
  items = json_object_get_array_member (obj (&r), "feedback");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (items, 0), "overdue"));

  RUN (&r, "--database", db, "feedback", "set", id, "--status", "closed");
  assert_failed (&r, 1, "cannot go to");
  g_assert_nonnull (strstr (r.err, "Resolved"));
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM feedback_history"), ==, 1);
  RUN (&r, "--database", db, "feedback", "set", id, "--status", "done");
  assert_failed (&r, 2, "--status");
  RUN (&r, "--database", db, "feedback", "set", id);
  assert_failed (&r, 2, "feedback set needs");

  RUN (&r, "--database", db, "--json", "feedback", "set", id, "--status", "in-progress", "--assignee", "王磊",
       "--note", "Called the customer");
  assert_ok (&r);
  g_assert_cmpstr (json_object_get_string_member (obj (&r), "assignee"), ==, "王磊");
  RUN (&r, "--database", db, "--json", "feedback", "set", id, "--status", "resolved");
  assert_ok (&r);
  RUN (&r, "--database", db, "--json", "feedback", "list", "--open");
  assert_ok (&r);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (&r), "feedback")), ==, 0);
  RUN (&r, "--database", db, "--json", "feedback", "set", id, "--status", "open", "--note", "Again");
  assert_ok (&r);
  history = json_object_get_array_member (obj (&r), "history");
  g_assert_cmpuint (json_array_get_length (history), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (history, 1), "note"), ==,
                   "Called the customer");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (history, 3), "from"), ==,
                   "resolved");

  RUN (&r, "--database", db, "feedback", "show", id);
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "Wrong tea in the box"));
  g_assert_nonnull (strstr (r.out, "王磊"));
}

/* Refused input: nothing written, one line, the right exit code. */
static void
test_refused (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uuid = setup (&db);
  g_auto(Run) r = { 0 };

  RUN (&r, "--database", db, "feedback", "add", "--customer", uuid, "--kind", "praise");
  assert_failed (&r, 2, "--kind");
  RUN (&r, "--database", db, "feedback", "add", "--customer", uuid, "--kind", "nps");
  assert_failed (&r, 2, "--score");
  RUN (&r, "--database", db, "feedback", "add", "--customer", uuid, "--kind", "nps", "--score", "11");
  assert_failed (&r, 1, "0 to 10");
  RUN (&r, "--database", db, "feedback", "add", "--customer", uuid, "--kind", "complaint", "--priority", "asap");
  assert_failed (&r, 1, "low, normal, high or urgent");
  RUN (&r, "--database", db, "feedback", "add", "--customer", uuid, "--kind", "review", "--score", "4",
       "--order", "NO-SUCH");
  assert_failed (&r, 1, "NO-SUCH");
  RUN (&r, "--database", db, "feedback", "add", "--customer", "00000000-0000-4000-8000-000000000000",
       "--kind", "suggestion");
  assert_failed (&r, 1, "00000000");
  RUN (&r, "--database", db, "feedback", "set", "00000000-0000-4000-8000-000000000000", "--status", "open");
  assert_failed (&r, 1, "No feedback");
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM feedback"), ==, 0);
}

/* The SLA per priority: defaults, a change, a refusal; a complaint added afterwards follows it. */
static void
test_sla (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uuid = setup (&db);
  g_auto(Run) r = { 0 };

  RUN (&r, "--database", db, "--json", "feedback", "sla");
  assert_ok (&r);
  g_assert_cmpstr (json_object_get_string_member (obj (&r), "low"), ==, "7d");
  g_assert_cmpstr (json_object_get_string_member (obj (&r), "urgent"), ==, "4h");
  RUN (&r, "--database", db, "--json", "feedback", "sla", "high", "12h");
  assert_ok (&r);
  g_assert_cmpstr (json_object_get_string_member (obj (&r), "high"), ==, "12h");
  RUN (&r, "--database", db, "feedback", "sla", "high", "twelve");
  assert_failed (&r, 2, "SLA");
  RUN (&r, "--database", db, "feedback", "sla", "someday");
  assert_failed (&r, 2, "priority");

  RUN (&r, "--database", db, "--json", "feedback", "add", "--customer", uuid, "--kind", "inquiry",
       "--priority", "high", "--at", "2026-06-01T09:00");
  assert_ok (&r);
  g_assert_cmpint (json_object_get_int_member (obj (&r), "due_at") - json_object_get_int_member (obj (&r), "received_at"),
                   ==, 12 * 3600 * 1000);
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/cli/feedback/stats", test_stats);
  g_test_add_func ("/cli/feedback/workflow", test_workflow);
  g_test_add_func ("/cli/feedback/refused", test_refused);
  g_test_add_func ("/cli/feedback/sla", test_sla);

  return g_test_run ();
}

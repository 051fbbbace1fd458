/* test-cli.c: clientele-cli end to end — the real binary against temporary
 * databases: stdout JSON, the one stderr line of a failure and the exit codes
 * (0 success, 1 failure, 2 usage).
 *
 * The binary comes from $CLIENTELE_CLI (set by tests/cli/meson.build); crm-cli-test-util.h runs it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-test-util.h"
#include "crm-cli-test-util.h"
#include "crm-store.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

/* The README's `_build/src/cli/clientele-cli` under a Chinese locale speaks Chinese: the
 * translations are taken from the build tree, not only from the install prefix. */
static void
test_uninstalled_translations (void)
{
  g_auto(Run) r = { 0 };
  const char *const zh[] = { "LANG=zh_CN.UTF-8", "LC_ALL=zh_CN.UTF-8", "LANGUAGE=zh_CN", NULL };

  /* build-aux/setup.sh generates the locale: CI fails without it, a developer's machine skips. */
  if (setlocale (LC_ALL, "zh_CN.UTF-8") == NULL)
    {
      g_assert_cmpstr (g_getenv ("CI"), !=, "true");
      g_test_skip ("no zh_CN.UTF-8 locale (build-aux/setup.sh generates it)");
      return;
    }
  setlocale (LC_ALL, "C");

  run_env (&r, zh, (const char *const[]) { "--help", NULL });
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "命令"));              /* "Commands:" */
  g_assert_nonnull (strstr (r.out, "显示一位客户"));      /* "show UUID: Show one customer" */
}

static char *
add_customer (const char *db,
              const char *name,
              const char *phone,
              const char *email)
{
  g_auto(Run) r = { 0 };
  char *uuid;

  RUN (&r, "--database", db, "--json", "add-customer", "--name", name,
       "--phone", phone ? phone : "", "--email", email ? email : "");
  assert_ok (&r);
  uuid = g_strdup (json_object_get_string_member (json_obj (&r), "uuid"));
  g_assert_true (g_uuid_string_is_valid (uuid));
  return uuid;
}

static gint64
count_customers (const char *db)
{
  g_auto(Run) r = { 0 };

  RUN (&r, "--database", db, "--json", "stats");
  assert_ok (&r);
  return json_object_get_int_member (json_obj (&r), "customers");
}

/* ---- tests ----------------------------------------------------------------------- */

static void
test_help (void)
{
  g_auto(Run) r = { 0 };
  const char *commands[] = { "init", "stats", "add-customer", "show", "delete", "restore", "list", "generate" };

  RUN (&r, "--help");
  assert_ok (&r);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_assert_nonnull (strstr (r.out, commands[i]));
  g_assert_nonnull (strstr (r.out, "--database"));
  g_assert_nonnull (strstr (r.out, "--json"));
  g_assert_nonnull (strstr (r.out, "Exit status"));

  RUN (&r, "list", "--help");
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "--search"));
  g_assert_nonnull (strstr (r.out, "--sort"));
}

static void
test_usage_errors (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *db = crm_test_db_path ();

  RUN (&r, "--database", db);
  assert_failed (&r, 2, "No command");

  RUN (&r, "--database", db, "frobnicate");
  assert_failed (&r, 2, "frobnicate");

  RUN (&r, "--database", db, "--bogus", "stats");
  assert_failed (&r, 2, "--bogus");

  RUN (&r, "--database", db, "list", "--bogus");
  assert_failed (&r, 2, "--bogus");

  RUN (&r, "--database", db, "stats", "extra");
  assert_failed (&r, 2, "extra");

  RUN (&r, "--database", db, "show");
  assert_failed (&r, 2, "UUID");

  /* nothing was created by all that */
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
}

static void
test_init_and_stats (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *db = crm_test_db_path ();
  JsonObject *o;
  GStatBuf st;

  /* A reading command never creates a database at a mistyped path. */
  RUN (&r, "--database", db, "stats");
  assert_failed (&r, 1, "init");
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));

  RUN (&r, "--database", db, "--json", "init");
  assert_ok (&r);
  g_assert_cmpstr (r.err, ==, "");
  o = json_obj (&r);
  g_assert_cmpstr (json_object_get_string_member (o, "path"), ==, db);
  g_assert_cmpint (json_object_get_int_member (o, "schema_version"), >=, 1);
  g_assert_cmpint (g_stat (db, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* --json after the command works as well */
  RUN (&r, "--database", db, "stats", "--json");
  assert_ok (&r);
  o = json_obj (&r);
  g_assert_cmpint (json_object_get_int_member (o, "customers"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (o, "orders"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (o, "schema_version"), >=, 1);
  g_assert_cmpint (json_object_get_int_member (o, "size_bytes"), >, 0);

  RUN (&r, "--database", db, "stats");
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "Customers:"));
  g_assert_nonnull (strstr (r.out, db));
}

static void
test_database_from_environment (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *db = crm_test_db_path ();
  g_autofree char *env = g_strconcat ("CLIENTELE_DB=", db, NULL);
  const char *envp[] = { env, NULL };

  run_env (&r, envp, (const char *const[]) { "--json", "init", NULL });
  assert_ok (&r);
  g_assert_cmpstr (json_object_get_string_member (json_obj (&r), "path"), ==, db);
  g_assert_true (g_file_test (db, G_FILE_TEST_EXISTS));
}

static void
test_add_show (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *db = crm_test_db_path ();
  g_autofree char *uuid = NULL;
  JsonObject *o;

  RUN (&r, "--database", db, "add-customer", "--name", "王芳", "--phone", "+86 138 0013 8000",
       "--email", "Wang.Fang@Example.com", "--city", "上海");
  assert_ok (&r);
  g_assert_cmpstr (r.err, ==, "");
  uuid = g_strstrip (g_strdup (r.out));
  g_assert_true (g_uuid_string_is_valid (uuid));

  RUN (&r, "--database", db, "--json", "show", uuid);
  assert_ok (&r);
  o = json_obj (&r);
  g_assert_cmpstr (json_object_get_string_member (o, "uuid"), ==, uuid);
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "王芳");
  g_assert_cmpstr (json_object_get_string_member (o, "phone"), ==, "+86 138 0013 8000");
  g_assert_cmpstr (json_object_get_string_member (o, "email"), ==, "Wang.Fang@Example.com");
  g_assert_cmpstr (json_object_get_string_member (o, "city"), ==, "上海");
  g_assert_true (json_object_get_null_member (o, "deleted_at"));
  g_assert_cmpint (json_object_get_int_member (o, "total_spent"), ==, 0);

  RUN (&r, "--database", db, "show", uuid);
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "王芳"));
  g_assert_nonnull (strstr (r.out, "上海"));
}

static void
test_add_duplicate_warning (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *db = crm_test_db_path ();
  g_autofree char *first = add_customer (db, "李娜", "+86 139 1234 5678", "li.na@example.com");
  JsonArray *dups;

  /* Same number, other punctuation: a warning naming the first, and still added. */
  RUN (&r, "--database", db, "--json", "add-customer", "--name", "Li Na", "--phone", "13912345678");
  assert_ok (&r);
  g_assert_true (g_str_has_prefix (r.err, "clientele-cli: "));
  g_assert_nonnull (strstr (r.err, first));
  g_assert_cmpuint (strlen (r.err), ==, (gsize) (strchr (r.err, '\n') - r.err) + 1);   /* one line */
  dups = json_object_get_array_member (json_obj (&r), "duplicates");
  g_assert_cmpuint (json_array_get_length (dups), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (dups, 0), ==, first);

  /* Same e-mail in other case */
  RUN (&r, "--database", db, "add-customer", "--name", "Nina Li", "--email", "LI.NA@example.com");
  assert_ok (&r);
  g_assert_nonnull (strstr (r.err, first));

  /* Nobody alike: no warning */
  RUN (&r, "--database", db, "add-customer", "--name", "Someone Else", "--email", "else@example.org");
  assert_ok (&r);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (count_customers (db), ==, 4);
}

/* settings region: the country of numbers written without a country code.  Duplicates are the
 * whole number: distinct numbers with the same last 8 digits are not; a change of region
 * re-keys the numbers already there. */
static void
test_settings_region (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *db = crm_test_db_path ();
  g_autofree char *taipei = NULL;
  JsonObject *o;

  RUN (&r, "--database", db, "init");
  assert_ok (&r);
  RUN (&r, "--database", db, "settings", "region", "cn");
  assert_ok (&r);
  g_assert_cmpstr (r.out, ==, "CN (China, +86)\n");
  taipei = add_customer (db, "Taipei", "0912 345 678", NULL);

  /* +86 138 0000 0005 and +86 139 0000 0005 are two people: no warning. */
  g_free (add_customer (db, "Zhao Min", "+86 138 0000 0005", NULL));
  RUN (&r, "--database", db, "add-customer", "--name", "Zhang Wei", "--phone", "+86 139 0000 0005");
  assert_ok (&r);
  g_assert_cmpstr (r.err, ==, "");
  /* In China, 0912 345 678 is not Taiwan's +886 912 345 678. */
  RUN (&r, "--database", db, "add-customer", "--name", "Taipei Too", "--phone", "+886 912 345 678");
  assert_ok (&r);
  g_assert_cmpstr (r.err, ==, "");

  RUN (&r, "--database", db, "--json", "settings", "region", "TW");
  assert_ok (&r);
  o = json_obj (&r);
  g_assert_cmpstr (json_object_get_string_member (o, "region"), ==, "TW");
  g_assert_cmpstr (json_object_get_string_member (o, "calling_code"), ==, "886");
  RUN (&r, "--database", db, "settings", "region");
  assert_ok (&r);
  g_assert_cmpstr (r.out, ==, "TW (Taiwan, +886)\n");
  /* Now it is: the next one with that number is named as a duplicate of the first. */
  RUN (&r, "--database", db, "add-customer", "--name", "Taipei Again", "--phone", "00886912345678");
  assert_ok (&r);
  g_assert_nonnull (strstr (r.err, taipei));

  /* Wrong input: a usage error, and nothing changed. */
  RUN (&r, "--database", db, "settings", "region", "Taiwan");
  assert_failed (&r, 2, "two-letter code");
  RUN (&r, "--database", db, "settings", "colour");
  assert_failed (&r, 2, "colour");
  RUN (&r, "--database", db, "settings");
  g_assert_cmpint (r.status, ==, 2);
  RUN (&r, "--database", db, "settings", "region");
  g_assert_cmpstr (r.out, ==, "TW (Taiwan, +886)\n");
  g_assert_cmpint (count_customers (db), ==, 5);
}

static void
test_add_invalid_input (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *db = crm_test_db_path ();
  g_autofree char *long_name = g_strnfill (201, 'x');

  RUN (&r, "--database", db, "init");
  assert_ok (&r);

  RUN (&r, "--database", db, "add-customer", "--phone", "123456");
  assert_failed (&r, 2, "--name");

  /* Invalid UTF-8 straight from argv is refused by the store, with nothing written. */
  RUN (&r, "--database", db, "add-customer", "--name", "Bad \xff\xfe name");
  assert_failed (&r, 1, "UTF-8");
  g_assert_true (g_utf8_validate (r.err, -1, NULL));

  RUN (&r, "--database", db, "add-customer", "--name", "Ok", "--email", "not-an-email");
  assert_failed (&r, 1, "not-an-email");

  RUN (&r, "--database", db, "add-customer", "--name", "Ok", "--phone", "call me");
  assert_failed (&r, 1, "phone");

  RUN (&r, "--database", db, "add-customer", "--name", long_name);
  assert_failed (&r, 1, "too long");

  /* Zero-width and text-direction marks alone are no name. */
  RUN (&r, "--database", db, "add-customer", "--name", "\u200B\u202E");
  assert_failed (&r, 1, "no visible characters");
  RUN (&r, "--database", db, "segment", "save", "\u2066\u2069", "--rule", "{\"field\":\"city\",\"op\":\"is\",\"value\":\"Lyon\"}");
  assert_failed (&r, 1, "no visible characters");

  g_assert_cmpint (count_customers (db), ==, 0);
}

static void
test_show_errors (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *db = crm_test_db_path ();
  g_autofree char *random_uuid = g_uuid_string_random ();

  RUN (&r, "--database", db, "init");
  assert_ok (&r);

  RUN (&r, "--database", db, "show", "1234");
  assert_failed (&r, 2, "1234");
  RUN (&r, "--database", db, "show", "bad\xff");
  assert_failed (&r, 2, "not a UUID");
  g_assert_true (g_utf8_validate (r.err, -1, NULL));

  RUN (&r, "--database", db, "show", random_uuid);
  assert_failed (&r, 1, random_uuid);
  RUN (&r, "--database", db, "delete", random_uuid);
  assert_failed (&r, 1, random_uuid);
  RUN (&r, "--database", db, "restore", random_uuid);
  assert_failed (&r, 1, random_uuid);
  RUN (&r, "--database", db, "delete", "nope");
  assert_failed (&r, 2, "nope");
}

static guint
list_total (const char *db,
            const char *search)
{
  g_auto(Run) r = { 0 };

  if (search != NULL)
    RUN (&r, "--database", db, "--json", "list", "--search", search);
  else
    RUN (&r, "--database", db, "--json", "list");
  assert_ok (&r);
  return json_object_get_int_member (json_obj (&r), "total");
}

static void
test_delete_restore (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *db = crm_test_db_path ();
  g_autofree char *uuid = add_customer (db, "Zhang Wei", "13800001111", NULL);
  g_autofree char *other = add_customer (db, "Anna Müller", NULL, "anna@example.de");
  JsonObject *o;

  g_assert_cmpuint (list_total (db, NULL), ==, 2);

  RUN (&r, "--database", db, "--json", "delete", uuid);
  assert_ok (&r);
  o = json_obj (&r);
  g_assert_true (json_object_get_boolean_member (o, "deleted"));
  g_assert_true (json_object_get_boolean_member (o, "changed"));
  g_assert_cmpuint (list_total (db, NULL), ==, 1);
  g_assert_cmpuint (list_total (db, "Zhang"), ==, 0);

  /* still there for undo */
  RUN (&r, "--database", db, "--json", "show", uuid);
  assert_ok (&r);
  g_assert_false (json_object_get_null_member (json_obj (&r), "deleted_at"));

  /* deleting twice is not an error, and says so */
  RUN (&r, "--database", db, "--json", "delete", uuid);
  assert_ok (&r);
  g_assert_false (json_object_get_boolean_member (json_obj (&r), "changed"));

  RUN (&r, "--database", db, "restore", uuid);
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "Zhang Wei"));
  g_assert_cmpuint (list_total (db, NULL), ==, 2);
  g_assert_cmpuint (list_total (db, "Zhang"), ==, 1);

  RUN (&r, "--database", db, "--json", "show", uuid);
  assert_ok (&r);
  g_assert_true (json_object_get_null_member (json_obj (&r), "deleted_at"));
}

/* The terminal column where @needle starts on its line of @text (CJK characters count
 * two), -1 if absent. */
static int
display_column (const char *text,
                const char *needle)
{
  const char *at = strstr (text, needle);
  const char *line;
  int column = 0;

  if (at == NULL)
    return -1;
  for (line = at; line > text && line[-1] != '\n'; line--)
    ;
  for (const char *p = line; p < at; p = g_utf8_next_char (p))
    column += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;

  return column;
}

static void
test_list (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *db = crm_test_db_path ();
  const char *hostile = "O'Brien'; DROP TABLE customers; -- 100%_off";
  g_autofree char *a = add_customer (db, "Alice Archer", "+49 30 1234567", "alice@example.com");
  g_autofree char *b = add_customer (db, "王芳", "+86 138 0013 8000", "wf@example.cn");
  g_autofree char *c = add_customer (db, hostile, NULL, NULL);
  g_autofree char *d = add_customer (db, "欧阳娜娜", NULL, NULL);
  JsonArray *rows;
  JsonObject *o;

  RUN (&r, "--database", db, "--json", "list", "--sort", "name");
  assert_ok (&r);
  o = json_obj (&r);
  g_assert_cmpint (json_object_get_int_member (o, "total"), ==, 4);
  rows = json_object_get_array_member (o, "customers");
  g_assert_cmpuint (json_array_get_length (rows), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0), "name"), ==, "Alice Archer");

  RUN (&r, "--database", db, "--json", "list", "--sort", "name:desc", "--limit", "1", "--offset", "1");
  assert_ok (&r);
  o = json_obj (&r);
  g_assert_cmpint (json_object_get_int_member (o, "total"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (o, "offset"), ==, 1);
  rows = json_object_get_array_member (o, "customers");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);

  /* searches: two-character Chinese name, a surname, a compound surname, phone digits
   * whatever the punctuation, e-mail, and hostile text found verbatim */
  g_assert_cmpuint (list_total (db, "王芳"), ==, 1);
  g_assert_cmpuint (list_total (db, "欧阳"), ==, 1);
  g_assert_cmpuint (list_total (db, "138-0013"), ==, 1);
  g_assert_cmpuint (list_total (db, "alice@"), ==, 1);
  g_assert_cmpuint (list_total (db, "archer"), ==, 1);
  RUN (&r, "--database", db, "--json", "list", "--search", "DROP TABLE");
  assert_ok (&r);
  rows = json_object_get_array_member (json_obj (&r), "customers");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0), "name"), ==, hostile);
  g_assert_cmpuint (list_total (db, "%_off"), ==, 1);
  g_assert_cmpuint (list_total (db, NULL), ==, 4);

  /* the text table lines up under Chinese names: each phone starts in the same terminal
   * column (a CJK character takes two) */
  RUN (&r, "--database", db, "list");
  assert_ok (&r);
  g_assert_cmpint (display_column (r.out, "+49 30"), >, 0);
  g_assert_cmpint (display_column (r.out, "+49 30"), ==, display_column (r.out, "+86 138"));
  g_assert_nonnull (strstr (r.out, "4 of 4 customers"));

  /* the text table has a header and one row per customer */
  RUN (&r, "--database", db, "list", "--search", "王芳");
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, b));
  g_assert_null (strstr (r.out, a));

  /* usage errors */
  RUN (&r, "--database", db, "list", "--sort", "no_such_column");
  assert_failed (&r, 2, "no_such_column");
  RUN (&r, "--database", db, "list", "--sort", "name:sideways");
  assert_failed (&r, 2, "sideways");
  RUN (&r, "--database", db, "list", "--limit", "abc");
  assert_failed (&r, 2, "abc");
  RUN (&r, "--database", db, "list", "--offset", "-1");
  assert_failed (&r, 2, "-1");
  RUN (&r, "--database", db, "list", "--search", "bad \xff");
  assert_failed (&r, 1, "UTF-8");
  (void) c;
  (void) d;
}

/* The names of a `list --json` run, joined with '|'. */
static char *
listed_names (Run *r)
{
  JsonArray *rows = json_object_get_array_member (json_obj (r), "customers");
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (rows); i++)
    g_string_append_printf (out, "%s%s", i ? "|" : "",
                            json_object_get_string_member (json_array_get_object_element (rows, i), "name"));
  return g_string_free (out, FALSE);
}

/* Pinyin: `list --sort name` in a Chinese locale sorts 陈 < 王 < 张 with Latin names in their
 * letter's place (letter by letter elsewhere); `list --search` finds by pinyin and initials. */
static void
test_list_pinyin (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *db = crm_test_db_path ();
  const char *zh[] = { "LC_ALL=zh_CN.UTF-8", NULL };
  const char *c[] = { "LC_ALL=C.UTF-8", NULL };
  const char *names[] = { "张伟", "王芳", "陈静", "Adams", "Zhou Li", "欧阳娜娜", "单雄信" };
  char *got;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_free (add_customer (db, names[i], NULL, NULL));

  run_env (&r, zh, (const char *const[]) { "--database", db, "--json", "list", "--sort", "name", NULL });
  assert_ok (&r);
  got = listed_names (&r);
  g_assert_cmpstr (got, ==, "Adams|陈静|欧阳娜娜|单雄信|王芳|张伟|Zhou Li");
  g_free (got);
  run_env (&r, zh, (const char *const[]) { "--database", db, "--json", "list", "--sort", "name:desc", NULL });
  assert_ok (&r);
  got = listed_names (&r);
  g_assert_cmpstr (got, ==, "Zhou Li|张伟|王芳|单雄信|欧阳娜娜|陈静|Adams");
  g_free (got);
  run_env (&r, c, (const char *const[]) { "--database", db, "--json", "list", "--sort", "name", NULL });
  assert_ok (&r);
  got = listed_names (&r);
  g_assert_cmpstr (got, ==, "Adams|Zhou Li|单雄信|张伟|欧阳娜娜|王芳|陈静");
  g_free (got);

  /* Initials, full pinyin with and without spaces, a compound surname, a surname reading;
   * the text table too. */
  const char *queries[][2] = {
    { "wf", "王芳" }, { "wangfang", "王芳" }, { "wang fang", "王芳" }, { "ouyang", "欧阳娜娜" },
    { "shanxiongxin", "单雄信" }, { "zw", "张伟" }, { "z", "张伟|Zhou Li" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      run_env (&r, zh, (const char *const[]) { "--database", db, "--json", "list", "--search", queries[i][0], NULL });
      assert_ok (&r);
      got = listed_names (&r);
      g_assert_cmpstr (got, ==, queries[i][1]);
      g_free (got);
    }
  RUN (&r, "--database", db, "list", "--search", "wf");
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "王芳"));
  g_assert_null (strstr (r.out, "张伟"));
}

static void
test_generate (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *db1 = crm_test_db_path ();
  g_autofree char *db2 = crm_test_db_path ();
  g_autofree char *list1 = NULL;
  JsonObject *o;

  RUN (&r, "--database", db1, "--json", "generate", "--customers", "400", "--orders", "3000",
       "--seed", "5", "--as-of", "2024-12-31");
  assert_ok (&r);
  o = json_obj (&r);
  g_assert_cmpint (json_object_get_int_member (o, "customers"), ==, 400);
  g_assert_cmpint (json_object_get_int_member (o, "orders"), ==, 3000);
  g_assert_cmpint (json_object_get_int_member (o, "order_lines"), >=, 3000);
  g_assert_cmpint (json_object_get_int_member (o, "seed"), ==, 5);
  g_assert_cmpfloat (json_object_get_double_member (o, "rows_per_second"), >, 0);
  /* not a terminal: no progress output */
  g_assert_cmpstr (r.err, ==, "");

  RUN (&r, "--database", db1, "--json", "stats");
  assert_ok (&r);
  g_assert_cmpint (json_object_get_int_member (json_obj (&r), "customers"), ==, 400);
  g_assert_cmpint (json_object_get_int_member (json_obj (&r), "orders"), ==, 3000);

  /* the same seed and date give the same customers */
  RUN (&r, "--database", db1, "--json", "list", "--sort", "total_spent:desc", "--limit", "20");
  assert_ok (&r);
  list1 = g_strdup (r.out);
  RUN (&r, "--database", db2, "generate", "--customers", "400", "--orders", "3000", "--seed", "5",
       "--as-of", "2024-12-31");
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "400"));
  RUN (&r, "--database", db2, "--json", "list", "--sort", "total_spent:desc", "--limit", "20");
  assert_ok (&r);
  g_assert_cmpstr (r.out, ==, list1);
}

/* A database that holds customers is not mixed with sample data unless --force: exit 1,
 * one clear line, nothing written. */
static void
test_generate_refuses_customers (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *db = crm_test_db_path ();
  g_autofree char *id = add_customer (db, "Real Customer", "+86 138 0013 8000", "real@example.com");
  g_autofree char *before = NULL;

  RUN (&r, "--database", db, "--json", "stats");
  assert_ok (&r);
  before = g_strdup (r.out);

  RUN (&r, "--database", db, "generate", "--customers", "50", "--orders", "100");
  assert_failed (&r, 1, "--force");
  g_assert_nonnull (strstr (r.err, "1 customer"));
  RUN (&r, "--database", db, "--json", "stats");
  assert_ok (&r);
  g_assert_cmpstr (r.out, ==, before);

  RUN (&r, "--database", db, "--json", "generate", "--customers", "50", "--orders", "100", "--force");
  assert_ok (&r);
  g_assert_cmpint (json_object_get_int_member (json_obj (&r), "customers"), ==, 50);
  g_assert_cmpint (count_customers (db), ==, 51);
  (void) id;
}

/* generate → export → import into an empty database adds every customer: no two generated
 * customers share a phone (or its last eight digits) or an e-mail address. */
static void
test_generate_round_trip (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *db = crm_test_db_path ();
  g_autofree char *db2 = crm_test_db_path ();
  g_autofree char *csv = g_strconcat (db, ".round-trip.csv", NULL);
  JsonObject *o;

  RUN (&r, "--database", db, "generate", "--customers", "4000", "--orders", "0", "--seed", "9");
  assert_ok (&r);
  RUN (&r, "--database", db, "--json", "export", "customers", "-o", csv);
  assert_ok (&r);
  g_assert_cmpint (json_object_get_int_member (json_obj (&r), "rows"), ==, 4000);

  RUN (&r, "--database", db2, "--json", "import", "customers", csv);
  assert_ok (&r);
  o = json_obj (&r);
  g_assert_cmpint (json_object_get_int_member (o, "skipped"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (o, "rejected"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (o, "inserted"), ==, 4000);
  g_assert_cmpint (count_customers (db2), ==, 4000);
  g_unlink (csv);
}

static void
test_generate_usage_errors (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *db = crm_test_db_path ();

  RUN (&r, "--database", db, "generate", "--customers", "10");
  assert_failed (&r, 2, "--orders");
  RUN (&r, "--database", db, "generate", "--customers", "-5", "--orders", "1");
  assert_failed (&r, 2, "-5");
  RUN (&r, "--database", db, "generate", "--customers", "ten", "--orders", "1");
  assert_failed (&r, 2, "ten");
  RUN (&r, "--database", db, "generate", "--customers", "0", "--orders", "5");
  assert_failed (&r, 2, "customer");
  RUN (&r, "--database", db, "generate", "--customers", "5", "--orders", "5", "--as-of", "2024-13-45");
  assert_failed (&r, 2, "2024-13-45");
  RUN (&r, "--database", db, "generate", "--customers", "5", "--orders", "5", "--seed", "x");
  assert_failed (&r, 2, "--seed");
}

static void
test_newer_schema (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *db = crm_test_db_path ();
  sqlite3 *handle = NULL;

  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, "CREATE TABLE future (x); PRAGMA user_version = 999;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (handle);

  RUN (&r, "--database", db, "stats");
  assert_failed (&r, 1, "newer version");
  RUN (&r, "--database", db, "add-customer", "--name", "X");
  assert_failed (&r, 1, "newer version");
  RUN (&r, "--database", db, "generate", "--customers", "1", "--orders", "1");
  assert_failed (&r, 1, "newer version");
}

static void
test_not_a_database (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *db = crm_test_db_path ();
  g_autofree char *contents = NULL;
  const char *text = "name,phone\nthis is a CSV file, not a database\n";

  g_assert_true (g_file_set_contents (db, text, -1, NULL));

  RUN (&r, "--database", db, "stats");
  assert_failed (&r, 1, "not a Clientele database");
  RUN (&r, "--database", db, "init");
  assert_failed (&r, 1, "not a Clientele database");
  RUN (&r, "--database", db, "add-customer", "--name", "X");
  assert_failed (&r, 1, NULL);

  /* and the file is left alone */
  g_assert_true (g_file_get_contents (db, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, text);
}

/* A negative user_version crashed the error printer (the store failed without an error). */
static void
test_negative_schema_version (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *db = crm_test_db_path ();
  sqlite3 *handle = NULL;

  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, "CREATE TABLE t (x); PRAGMA user_version = -1;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (handle);

  RUN (&r, "--database", db, "list");
  assert_failed (&r, 1, "not a Clientele database (schema version -1)");
  RUN (&r, "--database", db, "init");
  assert_failed (&r, 1, "not a Clientele database (schema version -1)");
}

/* `init` on an empty file made beforehand (`touch shop.db`, 0644) makes it the user's alone. */
static void
test_init_empty_file (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *db = crm_test_db_path ();
  GStatBuf st;

  g_assert_true (g_file_set_contents (db, "", 0, NULL));
  g_assert_cmpint (g_chmod (db, 0644), ==, 0);
  RUN (&r, "--database", db, "init");
  assert_ok (&r);
  g_assert_cmpint (g_stat (db, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

/* A rule nested 50,000 levels deep overflowed json-glib's recursion: refused when saved, and
 * one already in the database (written by another program) breaks no command. */
static void
test_segment_deep_rule (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *db = crm_test_db_path ();
  g_autofree char *deep = crm_test_deep_rule (50000);
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;

  RUN (&r, "--database", db, "init");
  assert_ok (&r);
  RUN_INPUT (&r, deep, "--database", db, "segment", "save", "deep", "--rule", "-");
  assert_failed (&r, 1, "Segment rules can nest at most 8 groups deep");
  RUN_INPUT (&r, "{\"field\":\"city\",\"op\":\"is\",\"value\":\"Lyon\"}",
             "--database", db, "segment", "save", "deep", "--rule", "-");
  assert_ok (&r);

  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "UPDATE segments SET rule = ?", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, deep, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (handle);

  RUN (&r, "--database", db, "segment", "list");
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "deep"));
  RUN (&r, "--database", db, "segment", "count", "deep");
  assert_failed (&r, 1, "Segment rules can nest at most 8 groups deep");
}

/* `segment save NAME` over an existing segment replaced its rule without a word: now only with
 * --replace; without it, one line, exit 1, and the saved rule untouched. */
static void
test_segment_save_replace (void)
{
  g_autofree char *db = crm_test_db_path ();
  g_auto(Run) r = { 0 };
  g_autofree char *uuid = NULL;
  JsonArray *list;

  RUN (&r, "--database", db, "init");
  assert_ok (&r);
  RUN (&r, "--database", db, "--json", "segment", "save", "Lyon", "--rule", "{\"field\":\"city\",\"op\":\"is\",\"value\":\"Lyon\"}");
  assert_ok (&r);
  uuid = g_strdup (json_object_get_string_member (json_obj (&r), "uuid"));

  RUN (&r, "--database", db, "segment", "save", "Lyon", "--rule", "{\"field\":\"city\",\"op\":\"is\",\"value\":\"Paris\"}");
  assert_failed (&r, 1, "--replace");
  g_assert_nonnull (strstr (r.err, "“Lyon” already exists"));
  RUN_INPUT (&r, "{\"field\":\"city\",\"op\":\"is\",\"value\":\"Paris\"}",
             "--database", db, "segment", "save", "Lyon", "--rule", "-");
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "--replace"));

  RUN (&r, "--database", db, "--json", "segment", "list");
  assert_ok (&r);
  list = json_node_get_array (r.json);
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (list, 0), "rule"), "Lyon"));

  /* With --replace: the same segment (same uuid), the new rule, still one. */
  RUN (&r, "--database", db, "--json", "segment", "save", "Lyon", "--replace",
       "--rule", "{\"field\":\"city\",\"op\":\"is\",\"value\":\"Paris\"}");
  assert_ok (&r);
  g_assert_cmpstr (json_object_get_string_member (json_obj (&r), "uuid"), ==, uuid);
  RUN (&r, "--database", db, "--json", "segment", "list");
  assert_ok (&r);
  list = json_node_get_array (r.json);
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (list, 0), "rule"), "Paris"));

  /* --replace on a new name simply saves it. */
  RUN (&r, "--database", db, "segment", "save", "Porto", "--replace", "--rule", "{\"field\":\"city\",\"op\":\"is\",\"value\":\"Porto\"}");
  assert_ok (&r);
  RUN (&r, "--database", db, "--json", "segment", "list");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (r.json)), ==, 2);
}

/* A database the user may read but not write (file 0444 in a folder 0555), whose search index an
 * import left pending: it failed with "cannot be written".  Now it is read as it is, search
 * leaves out the unindexed customers and says so, writes are refused, and nothing is created
 * beside it; writable again, the next open finishes the index. */
static void
test_read_only_pending_index (void)
{
  g_autofree char *dir = g_build_filename (crm_test_tmp_dir (), "read-only", NULL);
  g_autofree char *db = g_build_filename (dir, "shop.db", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(Run) r = { 0 };
  g_autoptr(GDir) listing = NULL;
  g_autofree char *setpriv = g_find_program_in_path ("setpriv");

  if (geteuid () == 0 && setpriv == NULL)
    {
      g_test_skip ("running as root without setpriv: a read-only file cannot be made");
      return;
    }
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  RUN (&r, "--database", db, "add-customer", "--name", "Known Before");
  assert_ok (&r);
  {
    g_autoptr(CrmStore) s = crm_store_open (db, &error);

    g_assert_no_error (error);
    crm_test_add_unindexed_customer (s, "Imported Alpha");
  }
  g_assert_cmpint (g_chmod (db, 0444), ==, 0);
  g_assert_cmpint (g_chmod (dir, 0555), ==, 0);
  run_unprivileged = TRUE;

  RUN (&r, "--database", db, "list");
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "Known Before"));
  g_assert_nonnull (strstr (r.out, "Imported Alpha"));
  g_assert_nonnull (strstr (r.err, "warning: the search index is incomplete: 1 customer of an unfinished import"));
  RUN (&r, "--database", db, "list", "--search", "Known");
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "Known Before"));
  g_assert_nonnull (strstr (r.err, "search index is incomplete"));
  RUN (&r, "--database", db, "--json", "list", "--search", "Imported");
  assert_ok (&r);
  g_assert_null (strstr (r.out, "Imported Alpha"));
  g_assert_nonnull (strstr (r.err, "search index is incomplete"));
  RUN (&r, "--database", db, "--json", "stats");
  assert_ok (&r);
  g_assert_cmpint (json_object_get_int_member (json_obj (&r), "customers"), ==, 2);

  RUN (&r, "--database", db, "add-customer", "--name", "Refused");
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "cannot be written"));

  /* Nothing made beside it (no -wal, -shm, writer note). */
  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_dir_read_name (listing), ==, "shop.db");
  g_assert_null (g_dir_read_name (listing));

  /* The file alone read-only, its folder writable: the same. */
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  RUN (&r, "--database", db, "list", "--search", "Known");
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "Known Before"));
  g_assert_nonnull (strstr (r.err, "search index is incomplete"));

  /* Writable again: the index is finished on open, the customer found, no warning. */
  run_unprivileged = FALSE;
  g_assert_cmpint (g_chmod (db, 0600), ==, 0);
  RUN (&r, "--database", db, "list", "--search", "Imported");
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "Imported Alpha"));
  g_assert_cmpstr (r.err, ==, "");
}

static void
test_recompute_segments_tiers (void)
{
  g_autofree char *db = crm_test_db_path ();
  g_autofree char *csv = g_strconcat (db, ".segment.csv", NULL);
  g_autofree char *contents = NULL;
  g_auto(Run) r = { 0 };
  JsonObject *o;
  gint64 shanghai, total = 0;

  RUN (&r, "--database", db, "generate", "--customers", "300", "--orders", "1500", "--seed", "7");
  assert_ok (&r);

  RUN (&r, "--database", db, "--json", "recompute", "--window-days", "730");
  assert_ok (&r);
  o = json_obj (&r);
  g_assert_cmpint (json_object_get_int_member (o, "customers"), ==, 300);
  g_assert_cmpint (json_object_get_int_member (o, "window_days"), ==, 730);
  g_assert_cmpint (json_object_get_int_member (o, "scored"), >, 0);
  {
    JsonObject *stages = json_object_get_object_member (o, "stages");
    GList *members = json_object_get_members (stages);
    for (GList *l = members; l; l = l->next)
      total += json_object_get_int_member (stages, l->data);
    g_list_free (members);
  }
  g_assert_cmpint (total, ==, 300);   /* every customer has exactly one stage */

  /* Tiers: the default preset, members adding up to every customer. */
  RUN (&r, "--database", db, "--json", "tier", "list");
  assert_ok (&r);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (r.json));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (r.json)), ==, 4);
  total = 0;
  for (guint i = 0; i < 4; i++)
    total += json_object_get_int_member (json_array_get_object_element (json_node_get_array (r.json), i), "members");
  g_assert_cmpint (total, ==, 300);

  /* A saved segment counts and exports the same customers. */
  RUN (&r, "--database", db, "segment", "save", "上海客户",
       "--rule", "{\"field\":\"city\",\"op\":\"is\",\"value\":\"上海\"}");
  assert_ok (&r);
  RUN (&r, "--database", db, "--json", "segment", "count", "上海客户");
  assert_ok (&r);
  shanghai = json_object_get_int_member (json_obj (&r), "customers");
  g_assert_cmpint (shanghai, >, 0);
  g_assert_cmpint (shanghai, <, 300);

  RUN (&r, "--database", db, "--json", "segment", "list");
  assert_ok (&r);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (json_node_get_array (r.json), 0),
                                               "customers"), ==, shanghai);

  RUN (&r, "--database", db, "--json", "segment", "export", "上海客户", "-o", csv, "--bom");
  assert_ok (&r);
  g_assert_cmpint (json_object_get_int_member (json_obj (&r), "rows"), ==, shanghai);
  g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "\xef\xbb\xbfuuid,name,"));
  g_assert_nonnull (strstr (contents, ",上海,"));

  /* Errors: one line each, the right exit code. */
  RUN (&r, "--database", db, "segment", "count", "nobody");
  assert_failed (&r, 1, "nobody");
  RUN (&r, "--database", db, "segment", "frobnicate", "x");
  assert_failed (&r, 2, "frobnicate");
  RUN (&r, "--database", db, "segment", "save", "bad", "--rule", "{\"field\":\"password\",\"op\":\"is\",\"value\":\"x\"}");
  assert_failed (&r, 1, "password");
  RUN (&r, "--database", db, "segment", "save", "bad", "--rule", "'; DROP TABLE customers; --");
  assert_failed (&r, 1, NULL);
  RUN (&r, "--database", db, "recompute", "--as-of", "yesterday");
  assert_failed (&r, 2, "yesterday");
  RUN (&r, "--database", db, "recompute", "--window-days", "0");
  assert_failed (&r, 2, NULL);

  /* Lifecycle limits are configurable and kept; inconsistent ones are refused. */
  RUN (&r, "--database", db, "--json", "recompute", "--at-risk-factor", "3", "--churn-factor", "6",
       "--single-churn-days", "365");
  assert_ok (&r);
  {
    g_autoptr(CrmStore) s = crm_store_open (db, NULL);
    g_autofree char *rules = crm_store_get_setting (s, "lifecycle.rules");

    g_assert_nonnull (strstr (rules, "\"at_risk_factor\":3"));
    g_assert_nonnull (strstr (rules, "\"churn_factor\":6"));
    g_assert_nonnull (strstr (rules, "\"single_churn_days\":365"));
  }
  RUN (&r, "--database", db, "recompute", "--churn-factor", "1");
  assert_failed (&r, 2, "churn");
  RUN (&r, "--database", db, "recompute", "--new-days", "soon");
  assert_failed (&r, 2, "soon");
  RUN (&r, "--database", db, "tier", "list", "extra");
  assert_failed (&r, 2, "extra");
  g_assert_cmpint (count_customers (db), ==, 300);
}

static void
test_clv_recommend_report (void)
{
  g_autofree char *db = crm_test_db_path ();
  g_autofree char *pdf = g_strconcat (db, ".report.pdf", NULL);
  g_autofree char *uuid = NULL;
  g_autofree char *contents = NULL;
  g_auto(Run) r = { 0 };
  JsonObject *o;

  RUN (&r, "--database", db, "generate", "--customers", "800", "--orders", "5000", "--seed", "3");
  assert_ok (&r);

  RUN (&r, "--database", db, "--json", "clv", "fit");
  assert_ok (&r);
  o = json_obj (&r);
  {
    const char *params[] = { "r", "alpha", "a", "b", "p", "q", "gamma" };
    for (guint i = 0; i < G_N_ELEMENTS (params); i++)
      g_assert_cmpfloat (json_object_get_double_member (o, params[i]), >, 0);
  }
  g_assert_cmpfloat (json_object_get_double_member (o, "bgnbd_log_likelihood"), <, 0);
  g_assert_cmpfloat (json_object_get_double_member (o, "gamma_gamma_log_likelihood"), <, 0);

  RUN (&r, "--database", db, "--json", "clv", "score");
  assert_ok (&r);
  o = json_obj (&r);
  g_assert_cmpint (json_object_get_int_member (o, "scored"), >, 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "risk"), "low")
                   + json_object_get_int_member (json_object_get_object_member (o, "risk"), "medium")
                   + json_object_get_int_member (json_object_get_object_member (o, "risk"), "high"),
                   ==, json_object_get_int_member (o, "scored"));

  /* The best customer gets recommendations, none of which they already bought. */
  RUN (&r, "--database", db, "--json", "list", "--sort", "order_count:desc", "--limit", "1");
  assert_ok (&r);
  {
    JsonNode *n = r.json;
    JsonArray *a = JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n)
                                             : json_object_get_array_member (json_node_get_object (n), "customers");
    uuid = g_strdup (json_object_get_string_member (json_array_get_object_element (a, 0), "uuid"));
  }
  RUN (&r, "--database", db, "--json", "recommend", uuid, "--limit", "3");
  assert_ok (&r);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (r.json));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (r.json)), <=, 3);

  /* Everyone's recommendations as CSV. */
  {
    g_autofree char *recs = g_strconcat (db, ".recs.csv", NULL);
    g_autofree char *text = NULL;

    RUN (&r, "--database", db, "--json", "recommend", "--all", "-o", recs, "--limit", "2");
    assert_ok (&r);
    g_assert_cmpint (json_object_get_int_member (json_obj (&r), "rows"), >, 0);
    g_assert_true (g_file_get_contents (recs, &text, NULL, NULL));
    g_assert_true (g_str_has_prefix (text, "customer_uuid,customer_name,rank,product,"));
    RUN (&r, "--database", db, "recommend", "--all");
    assert_failed (&r, 2, "-o");
    RUN (&r, "--database", db, "recommend");
    assert_failed (&r, 2, "--all");
  }

  RUN (&r, "--database", db, "--json", "report", "--pdf", pdf, "--period", "365");
  assert_ok (&r);
  g_assert_true (g_file_get_contents (pdf, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));

  RUN (&r, "--database", db, "clv", "predict");
  assert_failed (&r, 2, "predict");
  RUN (&r, "--database", db, "clv", "fit", "--calibration-end", "1997-13-01");
  assert_failed (&r, 2, "1997-13-01");
  RUN (&r, "--database", db, "recommend", "not-a-uuid");
  assert_failed (&r, 2, "not-a-uuid");
  RUN (&r, "--database", db, "recommend", "123e4567-e89b-12d3-a456-426614174000");
  assert_failed (&r, 1, NULL);
  RUN (&r, "--database", db, "report");
  assert_failed (&r, 2, "--pdf");
  RUN (&r, "--database", db, "report", "--pdf", pdf, "--period", "week");
  assert_failed (&r, 2, "week");
}

static void
test_import_export (void)
{
  g_autofree char *db = crm_test_db_path ();
  g_autofree char *db2 = crm_test_db_path ();
  g_autofree char *csv = g_strconcat (db, ".customers.csv", NULL);
  g_autofree char *vcf = g_strconcat (db, ".customers.vcf", NULL);
  g_autofree char *gbk = g_strconcat (db, ".gbk.csv", NULL);
  g_autofree char *bad = g_strconcat (db, ".bad.csv", NULL);
  g_autofree char *rejects = g_strconcat (db, ".rejects.csv", NULL);
  g_autofree char *contents = NULL;
  g_auto(Run) r = { 0 };
  JsonObject *o;
  gint64 exported;

  RUN (&r, "--database", db, "generate", "--customers", "200", "--orders", "600", "--seed", "5");
  assert_ok (&r);

  RUN (&r, "--database", db, "--json", "export", "customers", "-o", csv);
  assert_ok (&r);
  exported = json_object_get_int_member (json_obj (&r), "rows");
  g_assert_cmpint (exported, ==, 200);

  /* Into a new database: every row is accounted for. */
  RUN (&r, "--database", db2, "init");
  assert_ok (&r);
  RUN (&r, "--database", db2, "--json", "import", "customers", csv, "--rejects", rejects);
  assert_ok (&r);
  o = json_obj (&r);
  g_assert_cmpint (json_object_get_int_member (o, "inserted") + json_object_get_int_member (o, "skipped")
                   + json_object_get_int_member (o, "rejected"), ==, exported);
  g_assert_cmpint (json_object_get_int_member (o, "rejected"), ==, 0);
  g_assert_cmpint (count_customers (db2), ==, json_object_get_int_member (o, "inserted"));

  /* Again with "skip": nothing new. */
  RUN (&r, "--database", db2, "--json", "import", "customers", csv, "--on-duplicate", "skip");
  assert_ok (&r);
  g_assert_cmpint (json_object_get_int_member (json_obj (&r), "inserted"), ==, 0);

  /* The default order is the order the customers were added; --sort name sorts by name. */
  {
    g_autofree char *sorted = g_strconcat (db, ".sorted.csv", NULL);
    g_auto(GStrv) lines = NULL;
    g_auto(GStrv) by_id = NULL;
    sqlite3 *handle = NULL;
    sqlite3_stmt *st = NULL;
    guint i = 1;

    g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
    by_id = g_strsplit (contents, "\r\n", -1);
    g_clear_pointer (&contents, g_free);
    g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT uuid FROM customers WHERE deleted_at IS NULL ORDER BY id",
                                         -1, &st, NULL), ==, SQLITE_OK);
    while (sqlite3_step (st) == SQLITE_ROW)
      g_assert_true (g_str_has_prefix (by_id[i++], (const char *) sqlite3_column_text (st, 0)));
    sqlite3_finalize (st);
    sqlite3_close (handle);
    g_assert_cmpuint (i, ==, 201);

    RUN (&r, "--database", db, "export", "customers", "--sort", "name", "-o", sorted);
    assert_ok (&r);
    g_assert_true (g_file_get_contents (sorted, &contents, NULL, NULL));
    lines = g_strsplit (contents, "\r\n", -1);
    g_clear_pointer (&contents, g_free);
    g_assert_cmpuint (g_strv_length (lines), ==, 202);   /* header, 200 rows, "" after the last CRLF */
    for (i = 2; i + 1 < g_strv_length (lines); i++)
      {
        /* uuid,name,…: a uuid holds no comma, and the generated names none either. */
        g_auto(GStrv) a = g_strsplit (lines[i - 1], ",", 3);
        g_auto(GStrv) b = g_strsplit (lines[i], ",", 3);
        g_assert_cmpint (g_ascii_strcasecmp (a[1], b[1]), <=, 0);
      }
    g_assert_cmpstr (lines[1], !=, by_id[1]);

    RUN (&r, "--database", db, "export", "customers", "--sort", "shoe_size", "-o", sorted);
    assert_failed (&r, 2, "shoe_size");
    g_unlink (sorted);
  }

  /* After scoring, each customer's prediction is in the export: P(alive) a probability,
   * the expected purchases and CLV numbers, the churn risk a level. */
  {
    g_autofree char *scored = g_strconcat (db, ".scored.csv", NULL);
    g_auto(GStrv) lines = NULL;
    g_auto(GStrv) header = NULL;
    int p_alive = -1, expected = -1, clv = -1, risk = -1;
    guint filled = 0;

    RUN (&r, "--database", db, "clv", "score");
    assert_ok (&r);
    RUN (&r, "--database", db, "export", "customers", "-o", scored);
    assert_ok (&r);
    g_assert_true (g_file_get_contents (scored, &contents, NULL, NULL));
    lines = g_strsplit (contents, "\r\n", -1);
    g_clear_pointer (&contents, g_free);
    header = g_strsplit (lines[0], ",", -1);
    for (int c = 0; header[c] != NULL; c++)
      {
        if (g_str_equal (header[c], "p_alive")) p_alive = c;
        if (g_str_equal (header[c], "expected_purchases_90d")) expected = c;
        if (g_str_equal (header[c], "clv")) clv = c;
        if (g_str_equal (header[c], "churn_risk")) risk = c;
      }
    g_assert_cmpint (p_alive, >=, 0);
    g_assert_cmpint (expected, >=, 0);
    g_assert_cmpint (clv, >=, 0);
    g_assert_cmpint (risk, >=, 0);
    /* They are the last four: counted from the end, a quoted comma earlier does not matter. */
    g_assert_cmpint (p_alive, ==, (int) g_strv_length (header) - 4);
    g_assert_cmpint (risk, ==, (int) g_strv_length (header) - 1);
    for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
      {
        g_auto(GStrv) all = g_strsplit (lines[i], ",", -1);
        char **cells = all + g_strv_length (all) - g_strv_length (header);
        double p;

        if (cells[p_alive][0] == '\0')
          continue;   /* not scored: no order before the calibration end */
        p = g_ascii_strtod (cells[p_alive], NULL);
        g_assert_cmpfloat (p, >=, 0.0);
        g_assert_cmpfloat (p, <=, 1.0);
        g_assert_true (g_strv_contains ((const char *const[]) { "low", "medium", "high", NULL }, cells[risk]));
        filled++;
      }
    g_assert_cmpuint (filled, >, 100);

    /* --headers local: the same rows for people, names and levels in their language. */
    RUN (&r, "--database", db, "export", "customers", "--headers", "local", "-o", scored);
    assert_ok (&r);
    g_assert_true (g_file_get_contents (scored, &contents, NULL, NULL));
    g_assert_true (g_str_has_prefix (contents, "UUID,Name,"));
    g_assert_nonnull (strstr (contents, "Churn risk"));
    g_assert_nonnull (strstr (contents, "Probability still active"));
    g_assert_true (strstr (contents, ",High\r\n") != NULL || strstr (contents, ",Medium\r\n") != NULL ||
                   strstr (contents, ",Low\r\n") != NULL);
    g_assert_null (strstr (contents, ",low\r\n"));
    g_clear_pointer (&contents, g_free);
    RUN (&r, "--database", db, "export", "customers", "--headers", "people", "-o", scored);
    assert_failed (&r, 2, "people");
    g_unlink (scored);
  }

  /* vCard export. */
  RUN (&r, "--database", db, "--json", "export", "customers", "--format", "vcard", "-o", vcf);
  assert_ok (&r);
  g_assert_true (g_file_get_contents (vcf, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "BEGIN:VCARD\r\n"));
  g_clear_pointer (&contents, g_free);

  /* A GBK file from Excel, with an explicit mapping. */
  g_assert_true (g_file_set_contents (gbk, "\xd0\xd5\xc3\xfb,\xca\xd6\xbb\xfa\r\n\xcd\xf5\xb7\xbc,13800138000\r\n", -1, NULL));
  RUN (&r, "--database", db2, "--json", "import", "customers", gbk, "--encoding", "gbk",
       "--map", "姓名=name,手机=phone");
  assert_ok (&r);
  g_assert_cmpint (json_object_get_int_member (json_obj (&r), "inserted"), ==, 1);
  RUN (&r, "--database", db2, "--json", "list", "--search", "王芳");
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "13800138000"));

  /* A bad cell costs no row: the value goes into the notes, with a warning naming its line and
   * column (text and JSON); a row with nothing to name the customer by is refused and written
   * to the rejects file. */
  g_assert_true (g_file_set_contents (bad, "name,email,birthday\nGood One,good@example.com,1990-01-02\n"
                                           "Bad Mail,not-an-email,\nBad Date,x@example.com,1990-02-31\n"
                                           ",no-mail,\n", -1, NULL));
  RUN (&r, "--database", db2, "--json", "import", "customers", bad, "--rejects", rejects);
  assert_ok (&r);
  o = json_obj (&r);
  g_assert_cmpint (json_object_get_int_member (o, "inserted"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "rejected"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "warning_count"), ==, 2);
  {
    JsonArray *warnings = json_object_get_array_member (o, "warnings");
    JsonObject *w = json_array_get_object_element (warnings, 1);

    g_assert_cmpuint (json_array_get_length (warnings), ==, 2);
    g_assert_cmpint (json_object_get_int_member (w, "line"), ==, 4);
    g_assert_cmpstr (json_object_get_string_member (w, "column"), ==, "birthday");
    g_assert_nonnull (strstr (json_object_get_string_member (w, "message"), "1990-02-31"));
  }
  g_assert_true (g_file_get_contents (rejects, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "no-mail"));
  g_assert_null (strstr (contents, "Bad Mail"));
  g_assert_null (strstr (contents, "Good One"));
  g_clear_pointer (&contents, g_free);
  RUN (&r, "--database", db2, "list", "--search", "Bad Mail", "--json");
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "E-mail: not-an-email"));
  /* Without --json: the summary, then each warning with its line on standard error. */
  {
    g_autofree char *db3 = crm_test_db_path ();

    RUN (&r, "--database", db3, "import", "customers", bad);
    assert_ok (&r);
  }
  g_assert_nonnull (strstr (r.err, "warning: line 3, email: “not-an-email” is not a valid e-mail address; kept in the notes"));
  g_assert_nonnull (strstr (r.err, "warning: line 4, birthday:"));

  /* Errors. */
  RUN (&r, "--database", db2, "import", "customers", "/nonexistent/file.csv");
  assert_failed (&r, 1, "file.csv");
  RUN (&r, "--database", db2, "import", "planets", csv);
  assert_failed (&r, 2, "planets");
  RUN (&r, "--database", db2, "import", "customers", csv, "--on-duplicate", "merge");
  assert_failed (&r, 2, "--on-duplicate");
  RUN (&r, "--database", db2, "export", "customers");
  assert_failed (&r, 2, NULL);
}

/* The CDNOW sample through the generic CSV import, then the CLV fit: the
 * published BG/NBD parameters come back (Fader, Hardie & Lee 2005). */
static void
test_cdnow_import_and_fit (void)
{
  g_autofree char *src = crm_test_shared_data ("cdnow/CDNOW_sample.txt");
  g_autofree char *db = crm_test_db_path ();
  g_autofree char *csv = g_strconcat (db, ".cdnow.csv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) out = g_string_new ("customer_id,customer_name,order_date,total,quantity\n");
  g_auto(Run) r = { 0 };
  JsonObject *o;
  const struct { const char *name; double published; } params[] = {
    { "r", 0.243 }, { "alpha", 4.414 }, { "a", 0.793 }, { "b", 2.426 },
  };

  crm_test_require_file (src);
  if (g_test_failed () || !g_file_test (src, G_FILE_TEST_EXISTS))
    return;

  /* Whitespace-separated "master id, sample id, YYYYMMDD, CDs, dollars" → CSV. */
  g_assert_true (g_file_get_contents (src, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
      g_autoptr(GPtrArray) cells = g_ptr_array_new ();

      for (guint k = 0; f[k] != NULL; k++)
        if (*f[k] != '\0')
          g_ptr_array_add (cells, f[k]);
      if (cells->len != 5 || strlen (g_ptr_array_index (cells, 2)) != 8)
        continue;
      {
        const char *d = g_ptr_array_index (cells, 2);
        g_string_append_printf (out, "CD%s,CDNOW %s,%.4s-%.2s-%.2s,%s,%s\n",
                                (char *) g_ptr_array_index (cells, 0), (char *) g_ptr_array_index (cells, 0),
                                d, d + 4, d + 6, (char *) g_ptr_array_index (cells, 4),
                                (char *) g_ptr_array_index (cells, 3));
      }
    }
  g_assert_true (g_file_set_contents (csv, out->str, out->len, NULL));

  RUN (&r, "--database", db, "init");
  assert_ok (&r);
  RUN (&r, "--database", db, "--json", "import", "orders", csv);
  assert_ok (&r);
  o = json_obj (&r);
  g_assert_cmpint (json_object_get_int_member (o, "inserted"), ==, 6919);
  g_assert_cmpint (json_object_get_int_member (o, "customers_created"), ==, 2357);

  RUN (&r, "--database", db, "--json", "clv", "fit", "--calibration-end", "1997-09-30");
  assert_ok (&r);
  o = json_obj (&r);
  for (guint i = 0; i < G_N_ELEMENTS (params); i++)
    {
      double got = json_object_get_double_member (o, params[i].name);
      g_assert_cmpfloat_with_epsilon (got / params[i].published, 1.0, 0.005);
    }
  g_assert_cmpint (json_object_get_int_member (o, "repeat_buyers"), ==, 946);
}

/* ---- output files: every writer ---------------------------------------------------------- */

/* The commands that write a file, with the option that names it (the file goes last). */
static const struct
{
  const char *args[6];
  const char *starts;   /* what the output starts with */
} writers[] = {
  { { "export", "customers", "-o" }, "uuid," },
  { { "export", "customers", "--format", "vcard", "-o" }, "BEGIN:VCARD" },
  { { "export", "orders", "-o" }, "uuid," },
  { { "segment", "export", "Everyone", "-o" }, "uuid," },
  { { "report", "--pdf" }, "%PDF" },
  { { "recommend", "--all", "-o" }, "customer_uuid" },
};

/* Runs writer @w of @db with @target as its file. */
static void
run_writer (Run        *r,
            guint       w,
            const char *db,
            const char *target)
{
  const char *argv[12] = { "--database", db };
  guint n = 2;

  for (guint i = 0; writers[w].args[i] != NULL; i++)
    argv[n++] = writers[w].args[i];
  argv[n++] = target;
  argv[n] = NULL;
  run_env (r, NULL, argv);
}

static char *
output_db (void)
{
  char *db = crm_test_db_path ();
  g_auto(Run) r = { 0 };

  RUN (&r, "--database", db, "generate", "--customers", "60", "--orders", "400", "--seed", "11");
  assert_ok (&r);
  RUN (&r, "--database", db, "segment", "save", "Everyone", "--rule", "{\"field\":\"order_count\",\"op\":\">=\",\"value\":0}");
  assert_ok (&r);
  return db;
}

/* ln -s ~/precious out.csv.partial (and .part): no writer writes through it; an earlier file
 * the user made 0600 stays 0600; a new file is 0600. */
static void
test_output_planted_links (void)
{
  g_autofree char *db = output_db ();
  g_autofree char *precious = g_build_filename (crm_test_tmp_dir (), "precious", NULL);

  g_assert_true (g_file_set_contents (precious, "precious", -1, NULL));
  for (guint w = 0; w < G_N_ELEMENTS (writers); w++)
    {
      g_autofree char *dir = g_strdup_printf ("%s/planted-%u", crm_test_tmp_dir (), w);
      g_autofree char *out = g_build_filename (dir, "out", NULL);
      g_autofree char *fresh = g_build_filename (dir, "fresh", NULL);
      const char *suffixes[] = { ".partial", ".part" };
      g_autofree char *text = NULL;
      g_auto(Run) r = { 0 };

      g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
      g_assert_true (g_file_set_contents (out, "earlier", -1, NULL));
      g_assert_cmpint (g_chmod (out, 0600), ==, 0);
      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *link = g_strconcat (out, suffixes[i], NULL);
          g_assert_cmpint (symlink (precious, link), ==, 0);
        }

      run_writer (&r, w, db, out);
      assert_ok (&r);
      g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
      if (!g_str_has_prefix (text, writers[w].starts))
        g_error ("%s wrote: %.40s", writers[w].args[0], text);
      g_assert_cmpint (crm_test_file_mode (out), ==, 0600);
      g_clear_pointer (&text, g_free);
      g_assert_true (g_file_get_contents (precious, &text, NULL, NULL));
      g_assert_cmpstr (text, ==, "precious");
      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *link = g_strconcat (out, suffixes[i], NULL);
          g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
        }

      run_writer (&r, w, db, fresh);
      assert_ok (&r);
      g_assert_cmpint (crm_test_file_mode (fresh), ==, 0600);
    }
}

/* -o -: the data on standard output, the summary on standard error, no file named "-". */
static void
test_output_stdout (void)
{
  g_autofree char *db = output_db ();

  for (guint w = 0; w < G_N_ELEMENTS (writers); w++)
    {
      g_auto(Run) r = { 0 };

      run_writer (&r, w, db, "-");
      assert_ok (&r);
      if (!g_str_has_prefix (r.out, writers[w].starts))
        g_error ("%s wrote: %.40s", writers[w].args[0], r.out);
      g_assert_cmpuint (strlen (r.err), >, 0);
      g_assert_false (g_file_test ("-", G_FILE_TEST_EXISTS));
    }
}

/* A FIFO is written into and stays a FIFO; /dev/null stays a device; /dev/full fails with a
 * message that names it. */
static void
test_output_special_files (void)
{
  g_autofree char *db = output_db ();
  g_autofree char *fifo = g_build_filename (crm_test_tmp_dir (), "export.fifo", NULL);
  GStatBuf st;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  for (guint w = 0; w < G_N_ELEMENTS (writers); w++)
    {
      g_auto(Run) r = { 0 };
      CrmTestFifoReader *reader = crm_test_fifo_reader_start (fifo);
      g_autofree char *read = NULL;

      run_writer (&r, w, db, fifo);
      read = crm_test_fifo_reader_finish (reader);
      assert_ok (&r);
      g_assert_true (g_str_has_prefix (read, writers[w].starts));
      g_assert_cmpint (g_lstat (fifo, &st), ==, 0);
      g_assert_true (S_ISFIFO (st.st_mode));

      run_writer (&r, w, db, "/dev/null");
      assert_ok (&r);
      g_assert_cmpint (g_lstat ("/dev/null", &st), ==, 0);
      g_assert_true (S_ISCHR (st.st_mode));

      if (g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
        {
          run_writer (&r, w, db, "/dev/full");
          assert_failed (&r, 1, "/dev/full");
          g_assert_cmpint (g_lstat ("/dev/full", &st), ==, 0);
          g_assert_true (S_ISCHR (st.st_mode));
        }
    }
}

/* --rejects: the same rules (FIFO, device, mode, planted link). */
static void
test_output_rejects (void)
{
  g_autofree char *db = crm_test_db_path ();
  g_autofree char *dir = g_build_filename (crm_test_tmp_dir (), "rejects", NULL);
  g_autofree char *csv = g_build_filename (dir, "in.csv", NULL);
  g_autofree char *out = g_build_filename (dir, "rejects.csv", NULL);
  g_autofree char *link = g_strconcat (out, ".partial", NULL);
  g_autofree char *fifo = g_build_filename (dir, "rejects.fifo", NULL);
  g_autofree char *precious = g_build_filename (crm_test_tmp_dir (), "precious-rejects", NULL);
  g_autofree char *text = NULL;
  g_auto(Run) r = { 0 };
  GStatBuf st;

  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (csv, "name,email\nGood One,good@example.com\n,not-an-email\n", -1, NULL));
  g_assert_true (g_file_set_contents (precious, "precious", -1, NULL));
  g_assert_true (g_file_set_contents (out, "earlier", -1, NULL));
  g_assert_cmpint (g_chmod (out, 0600), ==, 0);
  g_assert_cmpint (symlink (precious, link), ==, 0);
  RUN (&r, "--database", db, "init");
  assert_ok (&r);

  RUN (&r, "--database", db, "import", "customers", csv, "--on-duplicate", "create", "--rejects", out);
  assert_ok (&r);
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "not-an-email"));
  g_assert_cmpint (crm_test_file_mode (out), ==, 0600);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (precious, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "precious");
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  {
    CrmTestFifoReader *reader = crm_test_fifo_reader_start (fifo);
    g_autofree char *read = NULL;

    RUN (&r, "--database", db, "import", "customers", csv, "--on-duplicate", "create", "--rejects", fifo);
    read = crm_test_fifo_reader_finish (reader);
    assert_ok (&r);
    g_assert_nonnull (strstr (read, "not-an-email"));
  }
  g_assert_cmpint (g_lstat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));

  RUN (&r, "--database", db, "import", "customers", csv, "--on-duplicate", "create", "--rejects", "/dev/null");
  assert_ok (&r);
  g_assert_cmpint (g_lstat ("/dev/null", &st), ==, 0);
  g_assert_true (S_ISCHR (st.st_mode));

  /* Standard output: the rejected rows there, the summary on standard error. */
  RUN (&r, "--database", db, "import", "customers", csv, "--on-duplicate", "create", "--rejects", "-");
  assert_ok (&r);
  g_assert_nonnull (strstr (r.out, "not-an-email"));
  g_assert_null (strstr (r.out, "added"));
  g_assert_nonnull (strstr (r.err, "added"));
}

/* Whether process @pid holds a descriptor of a file in @dir other than its input @name (the
 * rejects file being written). */
static gboolean
writes_in (GPid        pid,
           const char *dir,
           const char *name)
{
  g_autofree char *fds = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autoptr(GDir) d = g_dir_open (fds, 0, NULL);
  g_autofree char *prefix = g_strconcat (dir, "/", NULL);
  g_autofree char *input = g_build_filename (dir, name, NULL);
  const char *fd_name;

  while (d != NULL && (fd_name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *fd = g_build_filename (fds, fd_name, NULL);
      g_autofree char *target = g_file_read_link (fd, NULL);

      if (target != NULL && g_str_has_prefix (target, prefix) && !g_str_equal (target, input))
        return TRUE;
    }
  return FALSE;
}

/* kill -9 in the middle of an import of @name (@text) that writes rejected rows to @rejects:
 * no stale rejects file (the old empty .partial) nor any other file is left beside the target.
 * With @named (CLIENTELE_NO_TMPFILE=1: the way of file systems without O_TMPFILE) the rejects
 * are written at a random hidden name, which a kill may leave: then it must be the only thing
 * left, and the next write to the same target must remove it. */
static void
kill_import (const char *name,
             const char *text,
             const char *rejects,
             gboolean    named)
{
  g_autofree char *db = crm_test_db_path ();
  g_autofree char *dir = g_strconcat (db, ".killed", NULL);
  g_autofree char *input = g_build_filename (dir, name, NULL);
  g_autofree char *out = g_build_filename (dir, rejects, NULL);
  g_autoptr(GDir) d = NULL;
  const char *argv[] = { crm_test_cli_path (), "--database", db, "import", "customers", input, "--rejects", out, NULL };
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) left = g_ptr_array_new_with_free_func (g_free);
  g_auto(Run) r = { 0 };
  gint64 deadline;
  const char *entry;
  GPid pid;
  int status;

  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (input, text, -1, NULL));
  RUN (&r, "--database", db, "init");
  assert_ok (&r);

  envp = named ? g_environ_setenv (envp, "CLIENTELE_NO_TMPFILE", "1", TRUE) : g_environ_unsetenv (envp, "CLIENTELE_NO_TMPFILE");
  g_assert_true (g_spawn_async (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!writes_in (pid, dir, name) && g_get_monotonic_time () < deadline)
    g_usleep (2000);
  g_assert_true (writes_in (pid, dir, name));
  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFSIGNALED (status));

  d = g_dir_open (dir, 0, NULL);
  while ((entry = g_dir_read_name (d)) != NULL)
    if (!g_str_equal (entry, name))
      g_ptr_array_add (left, g_strdup (entry));
  if (!named)
    {
      g_assert_cmpuint (left->len, ==, 0);
      return;
    }

  /* Named: at most the one temporary file, hidden, at a name nobody could have guessed. */
  g_assert_cmpuint (left->len, <=, 1);
  if (left->len == 1)
    {
      g_autofree char *prefix = g_strconcat (".", rejects, ".", NULL);

      g_test_message ("left by the kill: %s", (char *) left->pdata[0]);
      g_assert_true (g_str_has_prefix (left->pdata[0], prefix));
      g_assert_true (g_str_has_suffix (left->pdata[0], ".clientele-tmp"));
    }
  /* The next write to that target removes it: only the input and the new file remain. */
  RUN (&r, "--database", db, "export", "customers", "-o", out);
  assert_ok (&r);
  g_clear_pointer (&d, g_dir_close);
  g_ptr_array_set_size (left, 0);
  d = g_dir_open (dir, 0, NULL);
  while ((entry = g_dir_read_name (d)) != NULL)
    if (!g_str_equal (entry, name))
      g_ptr_array_add (left, g_strdup (entry));
  g_assert_cmpuint (left->len, ==, 1);
  g_assert_cmpstr (left->pdata[0], ==, rejects);
}

static void
test_output_kill (void)
{
  g_autoptr(GString) csv = g_string_new ("name,email\n");
  g_autoptr(GString) vcf = g_string_new (NULL);

  for (guint i = 0; i < 300000; i++)
    g_string_append_printf (csv, "Person %u,%s%u@example.com\n", i, i % 2 ? "bad " : "p", i);
  kill_import ("in.csv", csv->str, "rejects.csv", FALSE);
  kill_import ("in.csv", csv->str, "rejects.csv", TRUE);

  for (guint i = 0; i < 150000; i++)
    g_string_append_printf (vcf, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person %u\r\nEMAIL:%s%u@example.com\r\nEND:VCARD\r\n",
                            i, i % 2 ? "bad " : "p", i);
  kill_import ("in.vcf", vcf->str, "rejects.vcf", FALSE);
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/uninstalled-translations", test_uninstalled_translations);
  g_test_add_func ("/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/init-and-stats", test_init_and_stats);
  g_test_add_func ("/cli/database-from-environment", test_database_from_environment);
  g_test_add_func ("/cli/add-show", test_add_show);
  g_test_add_func ("/cli/add-duplicate-warning", test_add_duplicate_warning);
  g_test_add_func ("/cli/settings-region", test_settings_region);
  g_test_add_func ("/cli/add-invalid-input", test_add_invalid_input);
  g_test_add_func ("/cli/show-errors", test_show_errors);
  g_test_add_func ("/cli/delete-restore", test_delete_restore);
  g_test_add_func ("/cli/list", test_list);
  g_test_add_func ("/cli/list-pinyin", test_list_pinyin);
  g_test_add_func ("/cli/generate", test_generate);
  g_test_add_func ("/cli/generate-usage-errors", test_generate_usage_errors);
  g_test_add_func ("/cli/generate-refuses-customers", test_generate_refuses_customers);
  g_test_add_func ("/cli/generate-round-trip", test_generate_round_trip);
  g_test_add_func ("/cli/newer-schema", test_newer_schema);
  g_test_add_func ("/cli/not-a-database", test_not_a_database);
  g_test_add_func ("/cli/negative-schema-version", test_negative_schema_version);
  g_test_add_func ("/cli/init-empty-file", test_init_empty_file);
  g_test_add_func ("/cli/segment-deep-rule", test_segment_deep_rule);
  g_test_add_func ("/cli/segment-save-replace", test_segment_save_replace);
  g_test_add_func ("/cli/read-only-pending-index", test_read_only_pending_index);
  g_test_add_func ("/cli/recompute-segments-tiers", test_recompute_segments_tiers);
  g_test_add_func ("/cli/clv-recommend-report", test_clv_recommend_report);
  g_test_add_func ("/cli/import-export", test_import_export);
  g_test_add_func ("/cli/cdnow-import-and-fit", test_cdnow_import_and_fit);
  g_test_add_func ("/cli/output/planted-links", test_output_planted_links);
  g_test_add_func ("/cli/output/stdout", test_output_stdout);
  g_test_add_func ("/cli/output/special-files", test_output_special_files);
  g_test_add_func ("/cli/output/rejects", test_output_rejects);
  g_test_add_func ("/cli/output/kill", test_output_kill);

  return g_test_run ();
}

/* crm-cli-test-util.c: see crm-cli-test-util.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-cli-test-util.h"
#include "crm-test-util.h"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

gboolean run_unprivileged;

void
run_clear (Run *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
  g_clear_pointer (&r->json, json_node_unref);
  r->status = -1;
}

/* The command line: clientele-cli and @args, under setpriv while run_unprivileged (as root). */
static GPtrArray *
cli_argv (const char *const *args)
{
  GPtrArray *argv = g_ptr_array_new ();

  if (run_unprivileged && geteuid () == 0)
    {
      g_ptr_array_add (argv, (gpointer) "setpriv");
      g_ptr_array_add (argv, (gpointer) "--bounding-set=-dac_override,-dac_read_search");
      g_ptr_array_add (argv, (gpointer) "--inh-caps=-all");
    }
  g_ptr_array_add (argv, (gpointer) crm_test_cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  return argv;
}

void
run_env (Run               *r,
         const char *const *extra_env,
         const char *const *args)
{
  g_autoptr(GPtrArray) argv = cli_argv (args);
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  run_clear (r);
  envp = g_environ_unsetenv (envp, "CLIENTELE_DB");
  envp = g_environ_setenv (envp, "LANGUAGE", "en", TRUE);
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (extra_env[i], "=", 2);
      envp = g_environ_setenv (envp, kv[0], kv[1], TRUE);
    }

  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &r->out, &r->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r->status = WEXITSTATUS (wait_status);

  if (r->out != NULL && (r->out[0] == '{' || r->out[0] == '['))
    {
      r->json = json_from_string (r->out, &error);
      g_assert_no_error (error);
    }
}

void
run_input (Run               *r,
           const char        *input,
           const char *const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = cli_argv (args);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  run_clear (r);
  g_subprocess_launcher_unsetenv (launcher, "CLIENTELE_DB");
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, input, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  r->status = g_subprocess_get_exit_status (proc);
}

void
assert_ok (Run *r)
{
  if (r->status != 0)
    g_printerr ("stdout: %s\nstderr: %s\n", r->out, r->err);
  g_assert_cmpint (r->status, ==, 0);
}

void
assert_failed (Run        *r,
               int         code,
               const char *needle)
{
  if (r->status != code)
    g_printerr ("stdout: %s\nstderr: %s\n", r->out, r->err);
  g_assert_cmpint (r->status, ==, code);
  g_assert_cmpstr (r->out, ==, "");
  g_assert_nonnull (r->err);
  g_assert_true (g_str_has_prefix (r->err, "clientele-cli: "));
  g_assert_true (g_str_has_suffix (r->err, "\n"));
  g_assert_cmpuint (strlen (r->err), ==, (gsize) (strchr (r->err, '\n') - r->err) + 1);   /* one line */
  if (needle != NULL && strstr (r->err, needle) == NULL)
    g_error ("expected “%s” in: %s", needle, r->err);
}

JsonObject *
json_obj (Run *r)
{
  g_assert_nonnull (r->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (r->json));
  return json_node_get_object (r->json);
}

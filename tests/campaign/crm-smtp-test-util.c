/* crm-smtp-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-smtp-test-util.h"
#include "crm-test-util.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

/* The sink ends with the test, even one that aborts before its tear-down. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
make_certificate (CrmTestSmtp *smtp)
{
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                         "-keyout", NULL, "-out", NULL, NULL };

  smtp->certificate = g_build_filename (smtp->dir, "..", "cert.pem", NULL);
  smtp->key = g_build_filename (smtp->dir, "..", "key.pem", NULL);
  argv[13] = smtp->key;
  argv[15] = smtp->certificate;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
}

CrmTestSmtp *
crm_test_smtp_start (const char *const *extra)
{
  static guint serial;
  CrmTestSmtp *smtp = g_new0 (CrmTestSmtp, 1);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "smtp-sink.py", NULL);
  g_autofree char *name = g_strdup_printf ("smtp-%u", ++serial);
  g_autofree char *line = NULL;
  g_autofree char *log = NULL;

  /* From tests/campaign, or another folder of tests/ (the UI tests). */
  if (!g_file_test (script, G_FILE_TEST_EXISTS))
    {
      g_free (script);
      script = g_test_build_filename (G_TEST_DIST, "..", "campaign", "smtp-sink.py", NULL);
    }
  /* Debian's python3 has aiosmtpd (build-aux/setup.sh installs it); a python3 earlier in PATH
   * (pyenv) may not. */
  g_assert_true (g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE));
  smtp->dir = g_build_filename (crm_test_tmp_dir (), name, "messages", NULL);
  g_assert_cmpint (g_mkdir_with_parents (smtp->dir, 0700), ==, 0);
  log = g_build_filename (smtp->dir, "..", "sink.log", NULL);

  g_ptr_array_add (argv, "/usr/bin/python3");
  g_ptr_array_add (argv, script);
  g_ptr_array_add (argv, "--store");
  g_ptr_array_add (argv, smtp->dir);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    {
      if (g_str_equal (extra[i], "@CERT") || g_str_equal (extra[i], "@KEY"))
        {
          if (smtp->certificate == NULL)
            make_certificate (smtp);
          g_ptr_array_add (argv, g_str_equal (extra[i], "@CERT") ? smtp->certificate : smtp->key);
        }
      else
        g_ptr_array_add (argv, (gpointer) extra[i]);
    }
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  smtp->proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (smtp->proc));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL || !g_str_has_prefix (line, "READY "))
    {
      g_autofree char *text = NULL;
      g_file_get_contents (log, &text, NULL, NULL);
      g_error ("The SMTP sink (aiosmtpd) did not start: %s", text ? text : "(no log)");
    }
  smtp->port = (guint16) g_ascii_strtoull (line + 6, NULL, 10);
  g_assert_cmpuint (smtp->port, >, 0);
  return smtp;
}

void
crm_test_smtp_free (CrmTestSmtp *smtp)
{
  if (smtp == NULL)
    return;
  g_subprocess_send_signal (smtp->proc, SIGTERM);
  g_subprocess_wait (smtp->proc, NULL, NULL);
  g_object_unref (smtp->proc);
  g_free (smtp->dir);
  g_free (smtp->certificate);
  g_free (smtp->key);
  g_free (smtp);
}

static void
message_free (CrmTestSmtpMessage *m)
{
  g_free (m->mail_from);
  g_strfreev (m->rcpt_to);
  g_free (m->data);
  g_free (m);
}

GPtrArray *
crm_test_smtp_messages (CrmTestSmtp *smtp)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) message_free);

  for (guint n = 1;; n++)
    {
      g_autofree char *rcpt_path = g_strdup_printf ("%s/%06u.rcpt", smtp->dir, n);
      g_autofree char *eml_path = g_strdup_printf ("%s/%06u.eml", smtp->dir, n);
      g_autofree char *rcpt = NULL;
      CrmTestSmtpMessage *m;
      char **lines;

      /* .rcpt is renamed into place after the .eml is written: a message is whole once it is. */
      if (!g_file_get_contents (rcpt_path, &rcpt, NULL, NULL))
        break;
      m = g_new0 (CrmTestSmtpMessage, 1);
      g_assert_true (g_file_get_contents (eml_path, &m->data, &m->length, NULL));
      g_strchomp (rcpt);
      lines = g_strsplit (rcpt, "\n", -1);
      m->mail_from = g_strdup (lines[0]);
      m->rcpt_to = g_strdupv (lines + 1);
      g_strfreev (lines);
      g_ptr_array_add (out, m);
    }
  return out;
}

guint
crm_test_smtp_count (CrmTestSmtp *smtp)
{
  g_autofree char *path = g_build_filename (smtp->dir, "count", NULL);
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  return (guint) g_ascii_strtoull (text, NULL, 10);
}

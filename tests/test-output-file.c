/* test-output-file.c: the one way Clientele writes a file for the user — planted links at every
 * name it could predict, modes, FIFOs and devices, standard output, failed writes, cancels and
 * kills.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "crm-output-file.h"
#include "crm-output-file-private.h"
#include "crm-test-util.h"

/* A fresh folder for one test. */
static char *
new_dir (void)
{
  static guint counter;
  char *dir = g_strdup_printf ("%s/out-%u", crm_test_tmp_dir (), ++counter);

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  return dir;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The names in @dir, sorted, joined with spaces. */
static char *
list_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static char *
contents_of (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

/* @dir holds @name alone (no temporary file beside it), with @contents. */
static void
assert_alone (const char *dir,
              const char *name,
              const char *contents)
{
  g_autofree char *names = list_dir (dir);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = contents_of (path);

  g_assert_cmpstr (names, ==, name);
  g_assert_cmpstr (text, ==, contents);
}

/* Writes @text to @path through a CrmOutputFile and commits. */
static gboolean
write_file (const char  *path,
            const char  *text,
            GError     **error)
{
  g_autoptr(CrmOutputFile) out = crm_output_file_new (path, error);

  return out != NULL &&
         g_output_stream_write_all (crm_output_file_get_stream (out), text, strlen (text), NULL, NULL, error) &&
         crm_output_file_commit (out, NULL, error);
}

static void
test_new_file (void)
{
  g_autofree char *dir = new_dir ();
  g_autofree char *path = g_build_filename (dir, "out.csv", NULL);
  g_autofree char *text = NULL;
  g_autofree char *names = NULL;
  g_autoptr(GError) error = NULL;
  mode_t old_umask = umask (0);

  /* 0600 whatever the umask: it names customers. */
  g_assert_true (write_file (path, "a,b\r\n", &error));
  umask (old_umask);
  g_assert_no_error (error);
  g_assert_cmpint (crm_test_file_mode (path), ==, 0600);
  assert_alone (dir, "out.csv", "a,b\r\n");
}

static void
test_keeps_mode (void)
{
  g_autofree char *dir = new_dir ();
  g_autofree char *path = g_build_filename (dir, "out.csv", NULL);
  const int modes[] = { 0600, 0640, 0644, 0400 };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autofree char *text = NULL;

      g_assert_true (g_file_set_contents (path, "old", -1, NULL));
      g_assert_cmpint (g_chmod (path, modes[i]), ==, 0);
      g_assert_true (write_file (path, "new", &error));
      g_assert_no_error (error);
      g_assert_cmpint (crm_test_file_mode (path), ==, modes[i]);
      text = contents_of (path);
      g_assert_cmpstr (text, ==, "new");
    }
}

/* Every name a writer used or could be guessed to use beside the target: none is written
 * through, and each stays a link to the untouched file. */
static void
test_planted_links (void)
{
  const char *planted[] = { "out.csv.partial", "out.csv.part", "out.csv.tmp", ".out.csv.partial", "out.csv~",
                            ".goutputstream-XXXXXX", ".out.csv.clientele-tmp" };
  g_autofree char *dir = new_dir ();
  g_autofree char *precious = g_build_filename (crm_test_tmp_dir (), "precious", NULL);
  g_autofree char *path = g_build_filename (dir, "out.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  int precious_mode;

  g_assert_true (g_file_set_contents (precious, "precious", -1, NULL));
  precious_mode = crm_test_file_mode (precious);
  for (guint i = 0; i < G_N_ELEMENTS (planted); i++)
    {
      g_autofree char *link = g_build_filename (dir, planted[i], NULL);
      g_assert_cmpint (symlink (precious, link), ==, 0);
    }

  for (int anonymous = 1; anonymous >= 0; anonymous--)
    {
      crm_output_file_set_anonymous_allowed (anonymous);
      g_assert_true (write_file (path, "export", &error));
      g_assert_no_error (error);
      g_clear_pointer (&text, g_free);
      text = contents_of (precious);
      g_assert_cmpstr (text, ==, "precious");
      g_clear_pointer (&text, g_free);
      text = contents_of (path);
      g_assert_cmpstr (text, ==, "export");
    }
  crm_output_file_set_anonymous_allowed (TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (planted); i++)
    {
      g_autofree char *link = g_build_filename (dir, planted[i], NULL);
      g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
    }
  g_assert_cmpint (crm_test_file_mode (precious), ==, precious_mode);
}

/* A link at the target itself: followed when it is the user's (the file it names is replaced,
 * the link stays), refused when another user planted it. */
static void
test_link_at_target (void)
{
  g_autofree char *dir = new_dir ();
  g_autofree char *real = g_build_filename (dir, "real.csv", NULL);
  g_autofree char *link = g_build_filename (dir, "latest.csv", NULL);
  g_autofree char *dangling = g_build_filename (dir, "dangling.csv", NULL);
  g_autofree char *made = g_build_filename (dir, "made.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (real, "old", -1, NULL));
  g_assert_cmpint (g_chmod (real, 0640), ==, 0);
  g_assert_cmpint (symlink ("real.csv", link), ==, 0);
  g_assert_true (write_file (link, "new", &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  text = contents_of (real);
  g_assert_cmpstr (text, ==, "new");
  g_assert_cmpint (crm_test_file_mode (real), ==, 0640);

  /* A link to a file that is not there yet: the file is made where it points. */
  g_assert_cmpint (symlink (made, dangling), ==, 0);
  g_assert_true (write_file (dangling, "made", &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (dangling, G_FILE_TEST_IS_SYMLINK));
  g_clear_pointer (&text, g_free);
  text = contents_of (made);
  g_assert_cmpstr (text, ==, "made");
  g_assert_cmpint (crm_test_file_mode (made), ==, 0600);

  /* Someone else's link in a folder that is not theirs (as in /tmp). */
  if (geteuid () == 0)
    {
      g_assert_cmpint (lchown (link, 4242, 4242), ==, 0);
      g_assert_false (write_file (link, "stolen", &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
      g_assert_nonnull (strstr (error->message, link));
      g_clear_pointer (&text, g_free);
      text = contents_of (real);
      g_assert_cmpstr (text, ==, "new");
    }
  else
    g_test_message ("not root: another user's link cannot be made here");
}

static void
test_fifo (void)
{
  g_autofree char *dir = new_dir ();
  g_autofree char *fifo = g_build_filename (dir, "rejects.csv", NULL);
  g_autofree char *names = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *read = NULL;
  CrmTestFifoReader *reader;
  GStatBuf st;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  reader = crm_test_fifo_reader_start (fifo);
  g_assert_true (write_file (fifo, "through the pipe", &error));
  g_assert_no_error (error);
  read = crm_test_fifo_reader_finish (reader);

  g_assert_cmpstr (read, ==, "through the pipe");
  g_assert_cmpint (g_lstat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
  names = list_dir (dir);
  g_assert_cmpstr (names, ==, "rejects.csv");
}

static void
test_devices (void)
{
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  if (!g_file_test ("/dev/null", G_FILE_TEST_EXISTS) || !g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/null or /dev/full");
      return;
    }
  g_assert_true (write_file ("/dev/null", "nothing", &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_lstat ("/dev/null", &st), ==, 0);
  g_assert_true (S_ISCHR (st.st_mode));

  /* A full device: the error names it, and it stays a device. */
  g_assert_false (write_file ("/dev/full", "nothing", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (error->message, "/dev/full"));
  g_assert_cmpint (g_lstat ("/dev/full", &st), ==, 0);
  g_assert_true (S_ISCHR (st.st_mode));
}

static void
test_refused (void)
{
  g_autofree char *dir = new_dir ();
  g_autofree char *sock_path = g_build_filename (dir, "socket", NULL);
  g_autoptr(GError) error = NULL;
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int sock;

  g_assert_false (write_file (dir, "x", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_clear_error (&error);

  g_assert_false (write_file ("", "x", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME);
  g_clear_error (&error);

  sock = socket (AF_UNIX, SOCK_STREAM, 0);
  g_assert_cmpint (sock, >=, 0);
  g_strlcpy (addr.sun_path, sock_path, sizeof addr.sun_path);
  g_assert_cmpint (bind (sock, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_false (write_file (sock_path, "x", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_assert_nonnull (strstr (error->message, sock_path));
  close (sock);
}

static void
test_stdout (void)
{
  g_autofree char *dir = new_dir ();
  g_autofree char *capture = g_build_filename (dir, "captured", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  int saved = dup (STDOUT_FILENO);
  int fd = g_open (capture, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  gboolean ok;

  g_assert_cmpint (fd, >=, 0);
  fflush (stdout);
  dup2 (fd, STDOUT_FILENO);
  ok = write_file ("-", "to standard output", &error);
  dup2 (saved, STDOUT_FILENO);
  close (saved);
  close (fd);

  g_assert_no_error (error);
  g_assert_true (ok);
  text = contents_of (capture);
  g_assert_cmpstr (text, ==, "to standard output");
  g_assert_false (g_file_test ("-", G_FILE_TEST_EXISTS));
}

/* A write that fails half-way (the file size limit, as a full disk would): the earlier file is
 * unchanged and no temporary file is left. */
static void
test_failed_write (void)
{
  g_autofree char *dir = new_dir ();
  g_autofree char *path = g_build_filename (dir, "out.csv", NULL);
  g_autofree char *big = g_strnfill (64 * 1024, 'x');
  struct rlimit old, small;
  void (*old_handler) (int);

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &old), ==, 0);
  for (int anonymous = 1; anonymous >= 0; anonymous--)
    {
      g_autoptr(CrmOutputFile) out = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      g_autofree char *names = NULL;
      gboolean ok;

      crm_output_file_set_anonymous_allowed (anonymous);
      g_assert_true (g_file_set_contents (path, "the earlier export", -1, NULL));
      out = crm_output_file_new (path, &error);
      g_assert_no_error (error);

      small = old;
      small.rlim_cur = 4096;
      old_handler = signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &small), ==, 0);
      ok = g_output_stream_write_all (crm_output_file_get_stream (out), big, strlen (big), NULL, NULL, &error);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &old), ==, 0);
      signal (SIGXFSZ, old_handler);

      g_assert_false (ok);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, path));
      g_clear_object (&out);

      assert_alone (dir, "out.csv", "the earlier export");
    }
  crm_output_file_set_anonymous_allowed (TRUE);
}

/* Dropped without a commit, or committed after a cancel: the target stays as it was. */
static void
test_abort_and_cancel (void)
{
  g_autofree char *dir = new_dir ();
  g_autofree char *path = g_build_filename (dir, "out.csv", NULL);
  g_autofree char *fresh = g_build_filename (dir, "fresh.csv", NULL);

  g_assert_true (g_file_set_contents (path, "kept", -1, NULL));
  for (int anonymous = 1; anonymous >= 0; anonymous--)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      g_autofree char *names = NULL;

      crm_output_file_set_anonymous_allowed (anonymous);
      {
        g_autoptr(CrmOutputFile) out = crm_output_file_new (path, &error);
        g_assert_true (g_output_stream_write_all (crm_output_file_get_stream (out), "lost", 4, NULL, NULL, &error));
      }
      {
        g_autoptr(CrmOutputFile) out = crm_output_file_new (path, &error);
        g_assert_true (g_output_stream_write_all (crm_output_file_get_stream (out), "lost", 4, NULL, NULL, &error));
        g_cancellable_cancel (cancellable);
        g_assert_false (crm_output_file_commit (out, cancellable, &error));
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
        g_clear_error (&error);
        /* Done with: a second commit changes nothing. */
        g_assert_false (crm_output_file_commit (out, NULL, &error));
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
        g_clear_error (&error);
      }
      {
        g_autoptr(CrmOutputFile) out = crm_output_file_new (fresh, &error);
        crm_output_file_abort (out);
      }
      assert_alone (dir, "out.csv", "kept");
    }
  crm_output_file_set_anonymous_allowed (TRUE);
}

/* The child of test_kill(): writes without committing, then dies as SIGKILL makes it die. */
static void
write_and_die (gboolean anonymous)
{
  const char *path = g_getenv ("CRM_TEST_KILL_TARGET");
  g_autoptr(CrmOutputFile) out = NULL;
  g_autofree char *data = g_build_filename (crm_test_tmp_dir (), "data", NULL);

  crm_output_file_set_anonymous_allowed (anonymous);
  out = crm_output_file_new (path, NULL);
  g_assert_nonnull (out);
  g_assert_true (g_output_stream_write_all (crm_output_file_get_stream (out), "half", 4, NULL, NULL, NULL));
  /* SIGKILL runs no atexit(): the child's own test folder goes first. */
  g_rmdir (data);
  g_rmdir (crm_test_tmp_dir ());
  raise (SIGKILL);
}

static void
test_kill_child_anonymous (void)
{
  if (g_test_subprocess ())
    write_and_die (TRUE);
}

static void
test_kill_child_named (void)
{
  if (g_test_subprocess ())
    write_and_die (FALSE);
}

/* A writer killed with SIGKILL: nothing is left with O_TMPFILE; a named temporary file is, and
 * the next write to the same target removes it — but never one a live writer holds. */
static void
test_kill (void)
{
  g_autofree char *dir = new_dir ();
  g_autofree char *path = g_build_filename (dir, "out.csv", NULL);
  g_autofree char *names = NULL;
  g_autofree char *text = NULL;
  g_autoptr(CrmOutputFile) live = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "before", -1, NULL));
  g_setenv ("CRM_TEST_KILL_TARGET", path, TRUE);

  g_test_trap_subprocess ("/io/output-file/kill-child-anonymous", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  names = list_dir (dir);
  g_assert_cmpstr (names, ==, "out.csv");

  g_test_trap_subprocess ("/io/output-file/kill-child-named", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_clear_pointer (&names, g_free);
  names = list_dir (dir);
  g_assert_true (g_str_has_prefix (names, ".out.csv."));
  g_assert_true (g_str_has_suffix (names, ".clientele-tmp out.csv"));
  text = contents_of (path);
  g_assert_cmpstr (text, ==, "before");

  /* A live writer's temporary file (named, locked) next to the stale one. */
  crm_output_file_set_anonymous_allowed (FALSE);
  live = crm_output_file_new (path, &error);
  g_assert_no_error (error);
  crm_output_file_set_anonymous_allowed (TRUE);
  g_clear_pointer (&names, g_free);
  names = list_dir (dir);
  g_assert_true (g_str_has_suffix (names, ".clientele-tmp out.csv"));
  {
    g_auto(GStrv) entries = g_strsplit (names, " ", -1);
    g_assert_cmpuint (g_strv_length (entries), ==, 2);   /* the stale one went */
  }

  g_assert_true (write_file (path, "after", &error));
  g_assert_no_error (error);
  g_clear_pointer (&names, g_free);
  names = list_dir (dir);
  g_assert_true (g_str_has_suffix (names, ".clientele-tmp out.csv"));   /* the live one stays */
  g_assert_true (g_output_stream_write_all (crm_output_file_get_stream (live), "live", 4, NULL, NULL, &error));
  g_assert_true (crm_output_file_commit (live, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&names, g_free);
  names = list_dir (dir);
  g_assert_cmpstr (names, ==, "out.csv");
  g_clear_pointer (&text, g_free);
  text = contents_of (path);
  g_assert_cmpstr (text, ==, "live");
}

static void
test_copy (void)
{
  g_autofree char *dir = new_dir ();
  g_autofree char *source = g_build_filename (dir, "source", NULL);
  g_autofree char *target = g_build_filename (dir, "target.csv", NULL);
  g_autofree char *partial = g_build_filename (dir, "target.csv.partial", NULL);
  g_autofree char *precious = g_build_filename (crm_test_tmp_dir (), "precious-copy", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (source, "rejected rows", -1, NULL));
  g_assert_true (g_file_set_contents (precious, "precious", -1, NULL));
  g_assert_cmpint (symlink (precious, partial), ==, 0);
  g_assert_true (crm_output_file_copy (source, target, NULL, &error));
  g_assert_no_error (error);
  text = contents_of (target);
  g_assert_cmpstr (text, ==, "rejected rows");
  g_assert_cmpint (crm_test_file_mode (target), ==, 0600);
  g_clear_pointer (&text, g_free);
  text = contents_of (precious);
  g_assert_cmpstr (text, ==, "precious");

  g_assert_false (crm_output_file_copy (partial, dir, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/io/output-file/new-file", test_new_file);
  g_test_add_func ("/io/output-file/keeps-mode", test_keeps_mode);
  g_test_add_func ("/io/output-file/planted-links", test_planted_links);
  g_test_add_func ("/io/output-file/link-at-target", test_link_at_target);
  g_test_add_func ("/io/output-file/fifo", test_fifo);
  g_test_add_func ("/io/output-file/devices", test_devices);
  g_test_add_func ("/io/output-file/refused", test_refused);
  g_test_add_func ("/io/output-file/stdout", test_stdout);
  g_test_add_func ("/io/output-file/failed-write", test_failed_write);
  g_test_add_func ("/io/output-file/abort-and-cancel", test_abort_and_cancel);
  g_test_add_func ("/io/output-file/kill", test_kill);
  g_test_add_func ("/io/output-file/kill-child-anonymous", test_kill_child_anonymous);
  g_test_add_func ("/io/output-file/kill-child-named", test_kill_child_named);
  g_test_add_func ("/io/output-file/copy", test_copy);

  return g_test_run ();
}

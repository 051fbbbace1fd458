/* crm-sync-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-sync-test-util.h"
#include "crm-test-util.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static GSubprocess *keyring;

/* A peer ends with the test, even one that aborts before its tear-down. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
skip_or_fail (const char *what)
{
  /* build-aux/setup.sh installs it: CI fails without it, a developer's machine skips. */
  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    g_error ("%s is not installed (build-aux/setup.sh installs it)", what);
  g_test_skip ("a peer of the sync tests is not installed (build-aux/setup.sh installs it)");
}

static gboolean
name_has_owner (GDBusConnection *bus,
                const char      *name)
{
  g_autoptr(GVariant) reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                           "org.freedesktop.DBus", "NameHasOwner",
                                                           g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                                           G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  gboolean owned = FALSE;

  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

gboolean
crm_sync_test_keyring_start (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *program = g_find_program_in_path ("gnome-keyring-daemon");
  g_autofree char *runtime = g_build_filename (crm_test_tmp_dir (), "run", NULL);

  if (program == NULL)
    {
      skip_or_fail ("gnome-keyring");
      return FALSE;
    }
  /* Once per test program: libsecret keeps its connection to the first one. */
  if (keyring != NULL)
    return TRUE;
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);   /* tests/sync/meson.build runs the test under dbus-run-session */

  g_mkdir_with_parents (runtime, 0700);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  /* --unlock reads the login keyring's password from standard input: an empty one (a line
   * break; an empty input makes no keyring at all). */
  keyring = g_subprocess_launcher_spawn (launcher, &error, program, "--foreground", "--unlock",
                                         "--components=secrets", NULL);
  g_assert_no_error (error);
  g_output_stream_write_all (g_subprocess_get_stdin_pipe (keyring), "\n", 1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (keyring), NULL, NULL);

  for (guint i = 0; i < 500 && !name_has_owner (bus, "org.freedesktop.secrets"); i++)
    g_usleep (10000);
  g_assert_true (name_has_owner (bus, "org.freedesktop.secrets"));
  return TRUE;
}

void
crm_sync_test_keyring_stop (void)
{
  if (keyring == NULL)
    return;
  g_subprocess_send_signal (keyring, SIGTERM);
  g_subprocess_wait (keyring, NULL, NULL);
  g_clear_object (&keyring);
}

/* ---- Radicale ------------------------------------------------------------------------ */

static guint16
free_port (void)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;
  int fd = socket (AF_INET, SOCK_STREAM, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &addr, &len), ==, 0);
  close (fd);
  return ntohs (addr.sin_port);
}

static void
radicale_spawn (CrmTestRadicale *r)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hosts = g_strdup_printf ("127.0.0.1:%u", r->port);
  g_autofree char *users = g_build_filename (r->storage, "..", "users", NULL);
  g_autofree char *log = g_build_filename (r->storage, "..", "radicale.log", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autofree char *program = g_find_program_in_path ("radicale");

  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  /* Without a certificate the list ends where "--ssl" would be. */
  const char *argv[] = { program, "--config", "", "--server-hosts", hosts, "--storage-filesystem-folder", r->storage,
                         "--auth-type", "htpasswd", "--auth-htpasswd-filename", users,
                         "--auth-htpasswd-encryption", "plain", "--rights-type", "owner_only",
                         r->certificate ? "--ssl" : NULL, "--certificate", r->certificate, "--key", r->key, NULL };

  r->proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);

  /* Up when it answers. */
  for (guint i = 0; i < 1000; i++)
    {
      if (crm_sync_test_http ("OPTIONS", r->base, NULL, NULL, NULL, NULL, NULL, NULL) != 0)
        return;
      g_usleep (10000);
    }
  g_error ("Radicale did not start on port %u", r->port);
}

static CrmTestRadicale *radicale_start (const char *user,
                                        const char *password,
                                        gboolean    tls);

CrmTestRadicale *
crm_sync_test_radicale_start (const char *user,
                              const char *password)
{
  return radicale_start (user, password, FALSE);
}

CrmTestRadicale *
crm_sync_test_radicale_start_tls (const char *user,
                                  const char *password)
{
  return radicale_start (user, password, TRUE);
}

/* A self-signed certificate for 127.0.0.1, and its fingerprint as openssl prints it. */
static void
make_certificate_files (const char  *dir,
                        char       **certificate,
                        char       **key,
                        char       **fingerprint)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;
  char *eq;

  *certificate = g_build_filename (dir, "cert.pem", NULL);
  *key = g_build_filename (dir, "key.pem", NULL);
  {
    const char *argv[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                           "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                           "-keyout", *key, "-out", *certificate, NULL };
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_cmpint (status, ==, 0);
  }
  {
    const char *argv[] = { "openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in", *certificate, NULL };
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, &error);
    g_assert_no_error (error);
  }
  /* "sha256 Fingerprint=AB:CD:…" */
  eq = strchr (out, '=');
  g_assert_nonnull (eq);
  *fingerprint = g_strdup (g_strstrip (eq + 1));
}

static void
make_certificate (CrmTestRadicale *r,
                  const char      *dir)
{
  make_certificate_files (dir, &r->certificate, &r->key, &r->fingerprint);
}

static CrmTestRadicale *
radicale_start (const char *user,
                const char *password,
                gboolean    tls)
{
  CrmTestRadicale *r;
  g_autofree char *program = g_find_program_in_path ("radicale");
  g_autofree char *dir = NULL;
  g_autofree char *book = NULL;
  g_autofree char *props = NULL;
  g_autofree char *users = NULL;
  g_autofree char *users_text = NULL;
  static guint counter;

  if (program == NULL)
    {
      skip_or_fail ("radicale");
      return NULL;
    }
  r = g_new0 (CrmTestRadicale, 1);
  dir = g_strdup_printf ("%s/radicale-%u", crm_test_tmp_dir (), ++counter);
  r->storage = g_build_filename (dir, "storage", NULL);
  book = g_build_filename (r->storage, "collection-root", user, "contacts", NULL);
  g_assert_cmpint (g_mkdir_with_parents (book, 0700), ==, 0);
  props = g_build_filename (book, ".Radicale.props", NULL);
  g_assert_true (g_file_set_contents (props, "{\"tag\": \"VADDRESSBOOK\", \"D:displayname\": \"Contacts\"}", -1, NULL));
  users = g_build_filename (dir, "users", NULL);
  users_text = g_strdup_printf ("%s:%s\n", user, password);
  g_assert_true (g_file_set_contents (users, users_text, -1, NULL));

  r->user = g_strdup (user);
  r->password = g_strdup (password);
  if (tls)
    make_certificate (r, dir);
  r->port = free_port ();
  r->base = g_strdup_printf ("%s://127.0.0.1:%u", tls ? "https" : "http", r->port);
  r->book = g_strdup_printf ("%s/%s/contacts/", r->base, user);
  radicale_spawn (r);
  return r;
}

void
crm_sync_test_radicale_stop (CrmTestRadicale *r)
{
  if (r == NULL || r->proc == NULL)
    return;
  g_subprocess_send_signal (r->proc, SIGTERM);
  g_subprocess_wait (r->proc, NULL, NULL);
  g_clear_object (&r->proc);
}

void
crm_sync_test_radicale_restart (CrmTestRadicale *r)
{
  crm_sync_test_radicale_stop (r);
  radicale_spawn (r);
}

void
crm_sync_test_radicale_free (CrmTestRadicale *r)
{
  if (r == NULL)
    return;
  crm_sync_test_radicale_stop (r);
  g_free (r->base);
  g_free (r->storage);
  g_free (r->book);
  g_free (r->user);
  g_free (r->password);
  g_free (r->certificate);
  g_free (r->key);
  g_free (r->fingerprint);
  g_free (r);
}

static gboolean
accept_any (void)
{
  return TRUE;
}

guint
crm_sync_test_http (const char         *method,
                    const char         *url,
                    const char         *user,
                    const char         *password,
                    const char *const  *headers,
                    const char         *request_body,
                    char              **body,
                    char              **etag)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageHeaders *h = soup_message_get_request_headers (msg);

  if (user != NULL)
    {
      g_autofree char *pair = g_strdup_printf ("%s:%s", user, password);
      g_autofree char *b64 = g_base64_encode ((const guchar *) pair, strlen (pair));
      g_autofree char *auth = g_strconcat ("Basic ", b64, NULL);
      soup_message_headers_replace (h, "Authorization", auth);
    }
  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    soup_message_headers_replace (h, headers[i], headers[i + 1]);
  /* The test's own requests accept the test's self-signed certificate. */
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any), NULL);
  if (request_body != NULL)
    {
      g_autoptr(GBytes) req = g_bytes_new (request_body, strlen (request_body));
      soup_message_set_request_body_from_bytes (msg, g_str_has_prefix (request_body, "BEGIN:VCARD") ? "text/vcard; charset=utf-8"
                                                                                             : "application/xml; charset=utf-8", req);
    }
  bytes = soup_session_send_and_read (session, msg, NULL, NULL);
  if (body != NULL)
    *body = bytes != NULL ? g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)) : NULL;
  if (etag != NULL)
    *etag = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg), "ETag"));
  return bytes != NULL ? soup_message_get_status (msg) : 0;
}

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

int
crm_sync_test_cli (const char         *input,
                   const char *const  *env,
                   const char *const  *args,
                   char              **out,
                   char              **err)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *o = NULL;
  g_autofree char *e = NULL;

  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (env[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, kv[0], kv[1], TRUE);
    }
  g_ptr_array_add (argv, (gpointer) crm_test_cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  /* The input written here (communicate closes the pipe) before the output is read: GIO's communicate
   * with input (2.74) loses a 16-byte block on the way (LeakSanitizer), and a line or two of
   * input fits in any pipe's buffer. */
  {
    GOutputStream *stdin_pipe = g_subprocess_get_stdin_pipe (proc);

    if (input != NULL && *input != '\0')
      g_output_stream_write_all (stdin_pipe, input, strlen (input), NULL, NULL, &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;

    g_subprocess_communicate_utf8_async (proc, NULL, NULL, on_communicated, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_subprocess_communicate_utf8_finish (proc, result, &o, &e, &error);
    g_assert_no_error (error);
  }
  g_assert_true (g_subprocess_get_if_exited (proc));
  if (out != NULL)
    *out = g_steal_pointer (&o);
  if (err != NULL)
    *err = g_steal_pointer (&e);
  return g_subprocess_get_exit_status (proc);
}

static gboolean
bytes_contain (const char *path,
               const char *needle)
{
  g_autofree char *data = NULL;
  gsize len = 0, n = strlen (needle);

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

gboolean
crm_sync_test_file_contains (const char *path,
                             const char *needle)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  return bytes_contain (path, needle) || bytes_contain (wal, needle);
}

/* ---- proxy ----------------------------------------------------------------------------- */

static const char *const forwarded[] = {
  "Authorization", "Depth", "If-Match", "If-None-Match", "Content-Type", NULL
};

static void
forward (CrmTestProxy      *proxy,
         SoupServerMessage *smsg,
         const char        *method,
         const char        *url)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  SoupMessageHeaders *in = soup_server_message_get_request_headers (smsg);
  SoupMessageBody *body = soup_server_message_get_request_body (smsg);
  g_autoptr(GBytes) request = soup_message_body_flatten (body);
  g_autoptr(GBytes) reply = NULL;
  const char *const copied[] = { "ETag", "Content-Type", "Location", NULL };

  for (guint i = 0; forwarded[i] != NULL; i++)
    if (soup_message_headers_get_one (in, forwarded[i]) != NULL)
      soup_message_headers_replace (soup_message_get_request_headers (msg), forwarded[i],
                                    soup_message_headers_get_one (in, forwarded[i]));
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (g_bytes_get_size (request) > 0)
    soup_message_set_request_body_from_bytes (msg, soup_message_headers_get_one (in, "Content-Type"), request);
  reply = soup_session_send_and_read (proxy->session, msg, NULL, NULL);
  g_assert_nonnull (reply);
  for (guint i = 0; copied[i] != NULL; i++)
    {
      const char *v = soup_message_headers_get_one (soup_message_get_response_headers (msg), copied[i]);
      if (v != NULL)
        soup_message_headers_replace (soup_server_message_get_response_headers (smsg), copied[i], v);
    }
  soup_server_message_set_status (smsg, soup_message_get_status (msg), NULL);
  if (g_bytes_get_size (reply) > 0)
    soup_message_body_append_bytes (soup_server_message_get_response_body (smsg), reply);
}

static void
proxy_handle (SoupServer        *server,
              SoupServerMessage *smsg,
              const char        *path,
              GHashTable        *query,
              gpointer           data)
{
  CrmTestProxy *proxy = data;
  const char *method = soup_server_message_get_method (smsg);
  SoupMessageHeaders *in = soup_server_message_get_request_headers (smsg);
  GUri *uri = soup_server_message_get_uri (smsg);
  g_autofree char *url = g_strconcat (proxy->radicale->base, g_uri_get_path (uri), NULL);

  proxy->requests++;
  if (proxy->fail_method != NULL && g_str_equal (method, proxy->fail_method) && proxy->seen++ >= proxy->fail_after &&
      proxy->fail_count > 0)
    {
      proxy->fail_count--;
      soup_server_message_set_status (smsg, proxy->fail_status, NULL);
      soup_server_message_set_response (smsg, "text/plain", SOUP_MEMORY_STATIC, "injected failure", 16);
      return;
    }
  if (proxy->conflict_suffix != NULL && g_str_equal (method, "PUT") && g_str_has_suffix (path, proxy->conflict_suffix) &&
      soup_message_headers_get_one (in, "If-Match") != NULL)
    {
      /* Another client saves the card first: the If-Match of this PUT is now stale. */
      guint status = crm_sync_test_http ("PUT", url, proxy->radicale->user, proxy->radicale->password, NULL,
                                         proxy->conflict_card, NULL, NULL);
      g_assert_cmpuint (status / 100, ==, 2);
      g_clear_pointer (&proxy->conflict_suffix, g_free);
    }
  forward (proxy, smsg, method, url);
}

CrmTestProxy *
crm_sync_test_proxy_new (CrmTestRadicale *radicale)
{
  CrmTestProxy *proxy = g_new0 (CrmTestProxy, 1);
  g_autoptr(GError) error = NULL;
  guint16 port = free_port ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);

  proxy->radicale = radicale;
  proxy->server = soup_server_new (NULL, NULL);
  proxy->session = soup_session_new ();
  soup_server_add_handler (proxy->server, NULL, proxy_handle, proxy, NULL);
  soup_server_listen (proxy->server, address, 0, &error);
  g_assert_no_error (error);
  proxy->base = g_strdup_printf ("http://127.0.0.1:%u", port);
  return proxy;
}

void
crm_sync_test_proxy_fail (CrmTestProxy *proxy,
                          const char   *method,
                          guint         status,
                          guint         after,
                          guint         count)
{
  g_free (proxy->fail_method);
  proxy->fail_method = g_strdup (method);
  proxy->fail_status = status;
  proxy->fail_after = after;
  proxy->fail_count = count;
  proxy->seen = 0;
}

void
crm_sync_test_proxy_free (CrmTestProxy *proxy)
{
  if (proxy == NULL)
    return;
  soup_server_disconnect (proxy->server);
  g_clear_object (&proxy->server);
  g_clear_object (&proxy->session);
  g_free (proxy->base);
  g_free (proxy->fail_method);
  g_free (proxy->conflict_suffix);
  g_free (proxy->conflict_card);
  g_free (proxy);
}

/* ---- the fake WooCommerce shop ---------------------------------------------------------- */

CrmTestWoo *
crm_sync_test_woo_start (gboolean            tls,
                         const char *const  *extra)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "woo-fake.py", NULL);
  g_autofree char *data = g_test_build_filename (G_TEST_DIST, "woo-data", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *line = NULL;
  g_autofree char *key = NULL;
  static guint counter;
  CrmTestWoo *woo;

  if (python == NULL)
    g_error ("python3 is not installed: the fake WooCommerce shop needs it");
  /* From another suite's folder (tests/ui): the sync tests' files. */
  if (!g_file_test (script, G_FILE_TEST_EXISTS))
    {
      g_free (script);
      g_free (data);
      script = g_test_build_filename (G_TEST_DIST, "..", "sync", "woo-fake.py", NULL);
      data = g_test_build_filename (G_TEST_DIST, "..", "sync", "woo-data", NULL);
    }
  woo = g_new0 (CrmTestWoo, 1);
  woo->key = g_strdup ("ck_0123456789abcdef");
  woo->secret = g_strdup ("cs_fedcba9876543210");
  g_ptr_array_add (argv, g_strdup (python));
  g_ptr_array_add (argv, g_strdup (script));
  for (const char *const *a = (const char *const[]) { "--data", data, "--key", woo->key, "--secret", woo->secret, NULL }; *a; a++)
    g_ptr_array_add (argv, g_strdup (*a));
  if (tls)
    {
      g_autofree char *dir = g_strdup_printf ("%s/woo-%u", crm_test_tmp_dir (), ++counter);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      make_certificate_files (dir, &woo->certificate, &key, &woo->fingerprint);
      g_ptr_array_add (argv, g_strdup ("--tls"));
      g_ptr_array_add (argv, g_strdup (woo->certificate));
      g_ptr_array_add (argv, g_strdup (key));
    }
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra[i]));
  g_ptr_array_add (argv, NULL);
  woo->proc = g_subprocess_newv ((const char *const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  /* Its first line is the port it listens on. */
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (woo->proc));
  line = g_data_input_stream_read_line (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  woo->port = (guint16) g_ascii_strtoull (line, NULL, 10);
  g_assert_cmpuint (woo->port, >, 0);
  woo->base = g_strdup_printf ("%s://127.0.0.1:%u", tls ? "https" : "http", woo->port);
  return woo;
}

void
crm_sync_test_woo_free (CrmTestWoo *woo)
{
  if (woo == NULL)
    return;
  if (woo->proc != NULL)
    {
      g_subprocess_force_exit (woo->proc);
      g_subprocess_wait (woo->proc, NULL, NULL);
      g_object_unref (woo->proc);
    }
  g_free (woo->base);
  g_free (woo->key);
  g_free (woo->secret);
  g_free (woo->certificate);
  g_free (woo->fingerprint);
  g_free (woo);
}

char *
crm_sync_test_woo_control (CrmTestWoo *woo,
                           const char *path,
                           const char *json)
{
  g_autofree char *url = g_strdup_printf ("%s/_fake/%s", woo->base, path);
  char *body = NULL;
  guint status = crm_sync_test_http (json != NULL ? "POST" : "GET", url, NULL, NULL, NULL, json, &body, NULL);

  g_assert_cmpuint (status, ==, 200);
  return body;
}

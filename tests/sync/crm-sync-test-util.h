/* crm-sync-test-util.h: the real peers of the sync tests — a GNOME Keyring in the test's own
 * D-Bus session and a Radicale server on a free loopback port — and clientele-cli with input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* gnome-keyring-daemon on the session bus (the test runs under dbus-run-session), its login
 * keyring unlocked with an empty password, in the test's XDG_DATA_HOME.  Skips the test (fails
 * under CI) when gnome-keyring is not installed: FALSE then.  Started once per test program
 * (libsecret keeps its connection to the first one); stopped with _stop() at the end of main(). */
gboolean     crm_sync_test_keyring_start (void);
void         crm_sync_test_keyring_stop  (void);

typedef struct
{
  GSubprocess *proc;
  guint16      port;
  char        *base;         /* "http://127.0.0.1:PORT" */
  char        *storage;      /* its folder */
  char        *book;         /* the address book's URL: BASE/USER/contacts/ */
  char        *user;
  char        *password;
  char        *certificate;  /* PEM files of a self-signed certificate (TLS), or NULL */
  char        *key;
  char        *fingerprint;  /* its SHA-256 fingerprint as openssl prints it */
} CrmTestRadicale;

/* Radicale with htpasswd (plain) auth for @user/@password and one empty address book; NULL (the
 * test skipped; failed under CI) when radicale is not installed. */
CrmTestRadicale *crm_sync_test_radicale_start (const char      *user,
                                               const char      *password);
/* … over TLS with a self-signed certificate made by openssl for 127.0.0.1. */
CrmTestRadicale *crm_sync_test_radicale_start_tls (const char  *user,
                                                   const char  *password);
/* Stops it; the storage stays for a restart on the same port. */
void             crm_sync_test_radicale_stop  (CrmTestRadicale *radicale);
void             crm_sync_test_radicale_restart (CrmTestRadicale *radicale);
void             crm_sync_test_radicale_free  (CrmTestRadicale *radicale);

/* A plain HTTP request to the server as @user (NULL: no auth): its status, and the body in
 * @body; @headers "Name: value" pairs (NULL-terminated) or NULL. */
guint        crm_sync_test_http         (const char         *method,
                                         const char         *url,
                                         const char         *user,
                                         const char         *password,
                                         const char *const  *headers,
                                         const char         *request_body,
                                         char              **body,
                                         char              **etag);

/* A proxy in front of Radicale on another free loopback port (served by the test's default main
 * context), that can fail requests: the @fail_count requests of @fail_method (e.g. "PUT",
 * "REPORT") after the first @fail_after ones answer @fail_status; and the first PUT with
 * If-Match to a path that ends in @conflict_suffix is preceded by a PUT of @conflict_card to the
 * same path, as another client would make. */
typedef struct
{
  CrmTestRadicale *radicale;
  gpointer         server;    /* SoupServer */
  gpointer         session;   /* SoupSession to Radicale */
  char            *base;      /* "http://127.0.0.1:PORT" */
  char            *fail_method;
  guint            fail_status;
  guint            fail_after;
  guint            fail_count;
  guint            seen;      /* requests of fail_method so far */
  char            *conflict_suffix;
  char            *conflict_card;
  guint            requests;
} CrmTestProxy;

CrmTestProxy *crm_sync_test_proxy_new  (CrmTestRadicale *radicale);
void          crm_sync_test_proxy_fail (CrmTestProxy    *proxy,
                                        const char      *method,
                                        guint            status,
                                        guint            after,
                                        guint            count);
void          crm_sync_test_proxy_free (CrmTestProxy    *proxy);

/* clientele-cli with @input on its standard input (NULL: none) and @env extras ("K=V"):
 * its exit status, what it wrote in @out and @err.  The default main context runs meanwhile
 * (a proxy of the test serves it). */
int          crm_sync_test_cli          (const char         *input,
                                         const char *const  *env,
                                         const char *const  *args,
                                         char              **out,
                                         char              **err);

/* The fake WooCommerce shop (tests/sync/woo-fake.py, built from the documentation's payloads in
 * tests/sync/woo-data/) on a free loopback port, with @extra arguments (NULL-terminated, e.g.
 * "--customers", "20"); @tls: over HTTPS with a self-signed certificate.  A missing python3
 * fails the test. */
typedef struct
{
  GSubprocess *proc;
  guint16      port;
  char        *base;         /* "http://127.0.0.1:PORT" */
  char        *key;          /* the consumer key and secret it accepts */
  char        *secret;
  char        *certificate;  /* TLS only */
  char        *fingerprint;
} CrmTestWoo;

CrmTestWoo  *crm_sync_test_woo_start    (gboolean            tls,
                                         const char *const  *extra);
void         crm_sync_test_woo_free     (CrmTestWoo         *woo);
/* POST of @json to the fake's control route @path ("fault", "customers/12"); its answer. */
char        *crm_sync_test_woo_control  (CrmTestWoo         *woo,
                                         const char         *path,
                                         const char         *json);

/* Whether any byte sequence of @needle is in the file @path (or its -wal). */
gboolean     crm_sync_test_file_contains (const char        *path,
                                          const char        *needle);

G_END_DECLS

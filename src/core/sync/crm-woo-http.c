/* crm-woo-http.c: requests to the WooCommerce REST API — authentication, paging headers,
 * retries (crm-woo.h says which).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-woo-private.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "crm-dav.h"

G_DEFINE_QUARK (crm-woo-error-quark, crm_woo_error)

struct _CrmWoo
{
  SoupSession  *session;
  char         *base;        /* the site's home, without a final slash */
  gboolean      https;
  char         *key;
  char         *secret;
  gboolean      query_auth;  /* Basic was not passed on by the server: key and secret in the query */
  GCancellable *cancellable;
  char         *trusted;     /* fingerprint of a certificate the user trusts */
  char         *refused;     /* fingerprint of the last certificate refused */
  guint         retries;
  guint         max_wait;
  guint         requests;
  gint64        gmt_offset;  /* seconds */
};

static void
wipe (char *text)
{
  if (text != NULL)
    memset (text, 0, strlen (text));
  g_free (text);
}

CrmWoo *
crm_woo_new (const char   *url,
             const char   *key,
             const char   *secret,
             GCancellable *cancellable)
{
  CrmWoo *woo = g_new0 (CrmWoo, 1);
  gsize len = strlen (url);

  while (len > 0 && url[len - 1] == '/')
    len--;
  woo->base = g_strndup (url, len);
  woo->https = g_ascii_strncasecmp (url, "https:", 6) == 0;
  woo->key = g_strdup (key != NULL ? key : "");
  woo->secret = g_strdup (secret != NULL ? secret : "");
  woo->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  woo->retries = 5;
  woo->max_wait = 60;
  /* TLS is verified against the system's certificates (libsoup's default). */
  woo->session = soup_session_new_with_options ("timeout", 60, "idle-timeout", 60,
                                                "user-agent", "Clientele/" PACKAGE_VERSION " ", NULL);
  return woo;
}

void
crm_woo_free (CrmWoo *woo)
{
  if (woo == NULL)
    return;
  g_clear_object (&woo->session);
  g_free (woo->base);
  g_free (woo->key);
  wipe (woo->secret);
  g_clear_object (&woo->cancellable);
  g_free (woo->trusted);
  g_free (woo->refused);
  g_free (woo);
}

void
crm_woo_set_trusted_certificate (CrmWoo     *woo,
                                 const char *fingerprint)
{
  g_free (woo->trusted);
  woo->trusted = fingerprint != NULL ? g_ascii_strup (fingerprint, -1) : NULL;
}

void
crm_woo_set_limits (CrmWoo *woo,
                    guint   timeout,
                    guint   retries,
                    guint   max_wait)
{
  g_object_set (woo->session, "timeout", timeout, "idle-timeout", timeout, NULL);
  woo->retries = retries;
  woo->max_wait = max_wait;
}

guint
crm_woo_get_requests (CrmWoo *woo)
{
  return woo->requests;
}

gint64
crm_woo_get_gmt_offset (CrmWoo *woo)
{
  return woo->gmt_offset;
}

void
crm_woo_answer_clear (CrmWooAnswer *answer)
{
  g_clear_pointer (&answer->root, json_node_unref);
  memset (answer, 0, sizeof *answer);
}

/* ---- signing ------------------------------------------------------------------------------ */

static char *
enc (const char *text)
{
  /* RFC 3986: everything but ALPHA DIGIT - . _ ~ is escaped. */
  return g_uri_escape_string (text, NULL, FALSE);
}

static int
compare_pairs (gconstpointer a,
               gconstpointer b)
{
  const char *const *pa = *(const char *const *const *) a;
  const char *const *pb = *(const char *const *const *) b;
  int c = strcmp (pa[0], pb[0]);

  return c != 0 ? c : strcmp (pa[1], pb[1]);
}

/* The query string of @params (and, over plain HTTP, the OAuth 1.0a parameters and signature of
 * @method on @url: WC_REST_Authentication::check_oauth_signature's base string). */
static char *
query_string (CrmWoo             *woo,
              const char         *method,
              const char         *url,
              const char * const *params)
{
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GString) query = g_string_new (NULL);
  g_autofree char *nonce = NULL;
  g_autofree char *timestamp = NULL;

  for (guint i = 0; params != NULL && params[i] != NULL; i += 2)
    g_ptr_array_add (pairs, g_strdupv ((char *[]) { (char *) params[i], (char *) params[i + 1], NULL }));
  if (woo->https && woo->query_auth)
    {
      g_ptr_array_add (pairs, g_strdupv ((char *[]) { "consumer_key", woo->key, NULL }));
      g_ptr_array_add (pairs, g_strdupv ((char *[]) { "consumer_secret", woo->secret, NULL }));
    }
  else if (!woo->https)
    {
      nonce = g_uuid_string_random ();
      timestamp = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
      g_ptr_array_add (pairs, g_strdupv ((char *[]) { "oauth_consumer_key", woo->key, NULL }));
      g_ptr_array_add (pairs, g_strdupv ((char *[]) { "oauth_nonce", nonce, NULL }));
      g_ptr_array_add (pairs, g_strdupv ((char *[]) { "oauth_signature_method", "HMAC-SHA256", NULL }));
      g_ptr_array_add (pairs, g_strdupv ((char *[]) { "oauth_timestamp", timestamp, NULL }));
      g_ptr_array_add (pairs, g_strdupv ((char *[]) { "oauth_version", "1.0", NULL }));
    }
  g_ptr_array_sort (pairs, compare_pairs);
  for (guint i = 0; i < pairs->len; i++)
    {
      char **pair = g_ptr_array_index (pairs, i);
      g_autofree char *k = enc (pair[0]);
      g_autofree char *v = enc (pair[1]);

      g_string_append_printf (query, "%s%s=%s", i > 0 ? "&" : "", k, v);
    }
  if (!woo->https)
    {
      g_autofree char *key = g_strconcat (woo->secret, "&", NULL);
      g_autofree char *e_url = enc (url);
      g_autofree char *e_query = enc (query->str);
      g_autofree char *base = g_strconcat (method, "&", e_url, "&", e_query, NULL);
      g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) key, strlen (key));
      guint8 digest[32];
      gsize len = sizeof digest;
      g_autofree char *signature = NULL;
      g_autofree char *e_signature = NULL;

      g_hmac_update (hmac, (const guchar *) base, strlen (base));
      g_hmac_get_digest (hmac, digest, &len);
      signature = g_base64_encode (digest, len);
      e_signature = enc (signature);
      g_string_append_printf (query, "%soauth_signature=%s", query->len > 0 ? "&" : "", e_signature);
      memset (key, 0, strlen (key));
    }
  return g_string_free (g_steal_pointer (&query), FALSE);
}

/* ---- one try ------------------------------------------------------------------------------ */

static gboolean
on_accept_certificate (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              data)
{
  CrmWoo *woo = data;
  g_autofree char *fingerprint = crm_dav_certificate_fingerprint (certificate);

  if (woo->trusted != NULL && g_str_equal (fingerprint, woo->trusted))
    return TRUE;
  g_free (woo->refused);
  woo->refused = g_steal_pointer (&fingerprint);
  return FALSE;
}

typedef enum
{
  TRY_DONE,     /* an answer to give back (or an error that retrying will not cure) */
  TRY_AGAIN,    /* a failure worth another try; @wait seconds first (0: the back-off's) */
} Try;

static char *
error_message_of (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (bytes == NULL || !json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (root), "message", NULL));
}

static void
set_status_error (CrmWoo     *woo,
                  guint       status,
                  const char *route,
                  GBytes     *bytes,
                  GError    **error)
{
  g_autofree char *says = error_message_of (bytes);

  if (status == 401 || status == 403)
    g_set_error (error, CRM_WOO_ERROR, CRM_WOO_ERROR_REFUSED, _("The shop refused the key (HTTP %u%s%s)"),
                 status, says != NULL ? ": " : "", says != NULL ? says : "");
  else if (route == NULL && status == 404)
    g_set_error (error, CRM_WOO_ERROR, CRM_WOO_ERROR_NOT_A_SHOP,
                 _("%s is not a WooCommerce site (no REST API at /wp-json/)"), woo->base);
  else if (status == 429 || status >= 500)
    g_set_error (error, CRM_WOO_ERROR, CRM_WOO_ERROR_SERVER, _("The shop failed (HTTP %u%s%s) at %s"),
                 status, says != NULL ? ": " : "", says != NULL ? says : "", route != NULL ? route : "/wp-json/");
  else
    g_set_error (error, CRM_WOO_ERROR, CRM_WOO_ERROR_HTTP, _("The shop answered HTTP %u%s%s at %s"),
                 status, says != NULL ? ": " : "", says != NULL ? says : "", route != NULL ? route : "/wp-json/");
}

static void
read_headers (SoupMessage  *msg,
              CrmWooAnswer *answer)
{
  SoupMessageHeaders *h = soup_message_get_response_headers (msg);
  const char *pages = soup_message_headers_get_one (h, "X-WP-TotalPages");
  const char *link = soup_message_headers_get_one (h, "Link");
  const char *date = soup_message_headers_get_one (h, "Date");

  answer->total_pages = pages != NULL ? (guint) g_ascii_strtoull (pages, NULL, 10) : 0;
  answer->has_next = link != NULL && strstr (link, "rel=\"next\"") != NULL;
  if (date != NULL)
    {
      g_autoptr(GDateTime) dt = soup_date_time_new_from_http_string (date);
      answer->date = dt != NULL ? g_date_time_to_unix (dt) : 0;
    }
}

static Try
try_once (CrmWoo             *woo,
          const char         *method,
          const char         *route,
          const char * const *params,
          const char         *body,
          CrmWooAnswer       *answer,
          guint              *wait,
          GError            **error)
{
  g_autofree char *url = route != NULL ? g_strconcat (woo->base, "/wp-json/wc/v3/", route, NULL)
                                       : g_strconcat (woo->base, "/wp-json/", NULL);
  g_autofree char *query = route != NULL ? query_string (woo, method, url, params) : g_strdup ("");
  g_autofree char *full = *query != '\0' ? g_strconcat (url, "?", query, NULL) : g_strdup (url);
  g_autoptr(SoupMessage) msg = soup_message_new (method, full);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = NULL;
  guint status;

  if (msg == NULL)
    {
      g_set_error (error, CRM_WOO_ERROR, CRM_WOO_ERROR_HTTP, _("“%s” is not a shop address"), woo->base);
      return TRY_DONE;
    }
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (on_accept_certificate), woo);
  g_clear_pointer (&woo->refused, g_free);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  if (woo->https && !woo->query_auth && route != NULL)
    {
      g_autofree char *pair = g_strconcat (woo->key, ":", woo->secret, NULL);
      g_autofree char *b64 = g_base64_encode ((const guchar *) pair, strlen (pair));
      g_autofree char *auth = g_strconcat ("Basic ", b64, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      memset (pair, 0, strlen (pair));
      memset (auth, 0, strlen (auth));
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) req = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json; charset=utf-8", req);
    }
  woo->requests++;
  bytes = soup_session_send_and_read (woo->session, msg, woo->cancellable, &local_error);
  if (bytes == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (woo->refused != NULL)
        g_set_error (error, CRM_WOO_ERROR, CRM_WOO_ERROR_CERTIFICATE,
                     _("The certificate of %s is not trusted (self-signed or unknown issuer); its SHA-256 "
                       "fingerprint is %s: trust it only if the shop’s owner confirms it"),
                     g_uri_get_host (soup_message_get_uri (msg)), woo->refused);
      else
        {
          /* No answer, a timeout, or a connection dropped half-way through the body. */
          g_set_error (error, CRM_WOO_ERROR, CRM_WOO_ERROR_UNREACHABLE, _("Could not reach %s: %s"),
                       woo->base, local_error->message);
          return TRY_AGAIN;
        }
      return TRY_DONE;
    }
  status = soup_message_get_status (msg);
  if (status == 429 || status >= 500)
    {
      const char *after = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");

      *wait = after != NULL ? (guint) MIN (g_ascii_strtoull (after, NULL, 10), G_MAXUINT) : 0;
      set_status_error (woo, status, route, bytes, error);
      return TRY_AGAIN;
    }
  /* Basic auth that the server never saw (a CGI setup drops the header): the query string. */
  if (status == 401 && woo->https && !woo->query_auth && route != NULL)
    {
      g_autofree char *says = error_message_of (bytes);

      if (says != NULL && strstr (says, "cannot") != NULL)
        {
          woo->query_auth = TRUE;
          *wait = 0;
          g_set_error_literal (error, CRM_WOO_ERROR, CRM_WOO_ERROR_REFUSED, says);
          return TRY_AGAIN;
        }
    }
  if (status < 200 || status >= 300)
    {
      set_status_error (woo, status, route, bytes, error);
      return TRY_DONE;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &local_error) ||
      json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, CRM_WOO_ERROR, CRM_WOO_ERROR_MALFORMED, _("The shop’s answer at %s is not valid JSON: %s"),
                   route != NULL ? route : "/wp-json/", local_error != NULL ? local_error->message : _("empty"));
      return TRY_DONE;
    }
  answer->root = json_node_ref (json_parser_get_root (parser));
  read_headers (msg, answer);
  return TRY_DONE;
}

gboolean
crm_woo_request (CrmWoo             *woo,
                 const char         *method,
                 const char         *route,
                 const char * const *params,
                 const char         *body,
                 CrmWooAnswer       *answer,
                 GError            **error)
{
  guint backoff = 1;

  memset (answer, 0, sizeof *answer);
  for (guint attempt = 0;; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      guint wait = 0;

      if (try_once (woo, method, route, params, body, answer, &wait, &local_error) == TRY_DONE ||
          attempt >= woo->retries)
        {
          if (local_error == NULL)
            return TRUE;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (g_error_matches (local_error, CRM_WOO_ERROR, CRM_WOO_ERROR_REFUSED))
        continue;   /* straight to the query string */
      /* Retry-After when the server gives one, else doubling from one second; never more than
       * max_wait, so a server asking for an hour makes the round fail instead of hang. */
      wait = MIN (wait > 0 ? wait : backoff, woo->max_wait);
      backoff = MIN (backoff * 2, MAX (woo->max_wait, 1u));
      g_debug ("WooCommerce: %s; trying again in %u s", local_error->message, wait);
      for (guint i = 0; i < wait * 10; i++)
        {
          if (g_cancellable_set_error_if_cancelled (woo->cancellable, error))
            return FALSE;
          g_usleep (G_USEC_PER_SEC / 10);
        }
    }
}

char *
crm_woo_check (CrmWoo  *woo,
               GError **error)
{
  static const char *const probe[] = { "per_page", "1", NULL };
  CrmWooAnswer index = { 0 };
  CrmWooAnswer customers = { 0 };
  JsonObject *site;
  JsonArray *namespaces;
  char *name = NULL;
  gboolean shop = FALSE;

  if (!crm_woo_request (woo, "GET", NULL, NULL, NULL, &index, error))
    return NULL;
  site = JSON_NODE_HOLDS_OBJECT (index.root) ? json_node_get_object (index.root) : NULL;
  namespaces = site != NULL && json_object_has_member (site, "namespaces") &&
               JSON_NODE_HOLDS_ARRAY (json_object_get_member (site, "namespaces"))
               ? json_object_get_array_member (site, "namespaces") : NULL;
  for (guint i = 0; namespaces != NULL && i < json_array_get_length (namespaces); i++)
    if (g_strcmp0 (json_node_get_string (json_array_get_element (namespaces, i)), "wc/v3") == 0)
      shop = TRUE;
  if (!shop)
    {
      crm_woo_answer_clear (&index);
      g_set_error (error, CRM_WOO_ERROR, CRM_WOO_ERROR_NOT_A_SHOP,
                   _("%s is not a WooCommerce site (its REST API has no wc/v3)"), woo->base);
      return NULL;
    }
  if (json_object_has_member (site, "gmt_offset"))
    {
      JsonNode *offset = json_object_get_member (site, "gmt_offset");
      double hours = JSON_NODE_HOLDS_VALUE (offset) && json_node_get_value_type (offset) == G_TYPE_STRING
                     ? g_ascii_strtod (json_node_get_string (offset), NULL) : json_node_get_double (offset);
      woo->gmt_offset = (gint64) (hours * 3600);
    }
  name = g_strdup (json_object_get_string_member_with_default (site, "name", woo->base));
  crm_woo_answer_clear (&index);
  /* The key itself: one customer asked for. */
  if (!crm_woo_request (woo, "GET", "customers", probe, NULL, &customers, error))
    {
      g_free (name);
      return NULL;
    }
  crm_woo_answer_clear (&customers);
  return name;
}

/* crm-dav.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-dav.h"

#include <glib/gi18n-lib.h>
#include <string.h>

G_DEFINE_QUARK (crm-dav-error-quark, crm_dav_error)

/* ---- XML ------------------------------------------------------------------------------ */

static CrmDavNode *
node_new (const char *qualified)
{
  CrmDavNode *node = g_new0 (CrmDavNode, 1);
  const char *colon = strrchr (qualified, ':');

  node->name = g_strdup (colon != NULL ? colon + 1 : qualified);
  node->text = g_string_new (NULL);
  node->children = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_dav_node_free);
  return node;
}

void
crm_dav_node_free (CrmDavNode *node)
{
  if (node == NULL)
    return;
  g_free (node->name);
  g_string_free (node->text, TRUE);
  g_ptr_array_unref (node->children);
  g_free (node);
}

typedef struct
{
  CrmDavNode *root;
  GPtrArray  *stack;
} Parse;

static void
on_start (GMarkupParseContext  *context,
          const char           *element,
          const char          **names,
          const char          **values,
          gpointer              data,
          GError              **error)
{
  Parse *p = data;
  CrmDavNode *node = node_new (element);

  if (p->stack->len == 0)
    {
      if (p->root != NULL)
        {
          crm_dav_node_free (node);
          g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "two root elements");
          return;
        }
      p->root = node;
    }
  else
    g_ptr_array_add (((CrmDavNode *) g_ptr_array_index (p->stack, p->stack->len - 1))->children, node);
  g_ptr_array_add (p->stack, node);
}

static void
on_end (GMarkupParseContext  *context,
        const char           *element,
        gpointer              data,
        GError              **error)
{
  Parse *p = data;

  g_ptr_array_set_size (p->stack, p->stack->len - 1);
}

static void
on_text (GMarkupParseContext  *context,
         const char           *text,
         gsize                 len,
         gpointer              data,
         GError              **error)
{
  Parse *p = data;

  if (p->stack->len > 0)
    g_string_append_len (((CrmDavNode *) g_ptr_array_index (p->stack, p->stack->len - 1))->text, text, len);
}

CrmDavNode *
crm_dav_parse (const char  *xml,
               gsize        len,
               GError     **error)
{
  static const GMarkupParser parser = { on_start, on_end, on_text, NULL, NULL };
  g_autoptr(GError) local_error = NULL;
  Parse p = { NULL, g_ptr_array_new () };
  GMarkupParseContext *context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &p, NULL);
  gboolean ok = g_markup_parse_context_parse (context, xml, len, &local_error) &&
                g_markup_parse_context_end_parse (context, &local_error);

  g_markup_parse_context_free (context);
  g_ptr_array_unref (p.stack);
  if (!ok || p.root == NULL)
    {
      crm_dav_node_free (p.root);
      g_set_error (error, CRM_DAV_ERROR, CRM_DAV_ERROR_MALFORMED, _("The server’s answer is not valid XML: %s"),
                   local_error != NULL ? local_error->message : _("empty"));
      return NULL;
    }
  return p.root;
}

CrmDavNode *
crm_dav_node_child (CrmDavNode *node,
                    const char *name)
{
  for (guint i = 0; node != NULL && i < node->children->len; i++)
    {
      CrmDavNode *child = g_ptr_array_index (node->children, i);
      if (g_str_equal (child->name, name))
        return child;
    }
  return NULL;
}

CrmDavNode *
crm_dav_node_find (CrmDavNode *node,
                   const char *name)
{
  for (guint i = 0; node != NULL && i < node->children->len; i++)
    {
      CrmDavNode *child = g_ptr_array_index (node->children, i);
      CrmDavNode *found;

      if (g_str_equal (child->name, name))
        return child;
      if ((found = crm_dav_node_find (child, name)) != NULL)
        return found;
    }
  return NULL;
}

const char *
crm_dav_node_text (CrmDavNode *node)
{
  if (node == NULL)
    return "";
  /* In place: trailing and leading white space of the element's text. */
  g_strstrip (node->text->str);
  node->text->len = strlen (node->text->str);
  return node->text->str;
}

/* "HTTP/1.1 404 Not Found" → 404 */
static guint
parse_status_line (const char *line)
{
  const char *sp = line != NULL ? strchr (line, ' ') : NULL;

  return sp != NULL ? (guint) g_ascii_strtoull (sp + 1, NULL, 10) : 0;
}

static void
response_free (gpointer data)
{
  CrmDavResponse *r = data;

  g_free (r->href);
  g_free (r);
}

GPtrArray *
crm_dav_responses (CrmDavNode *root,
                   GUri       *base)
{
  GPtrArray *responses = g_ptr_array_new_with_free_func (response_free);

  for (guint i = 0; root != NULL && i < root->children->len; i++)
    {
      CrmDavNode *node = g_ptr_array_index (root->children, i);
      CrmDavNode *href = crm_dav_node_child (node, "href");
      CrmDavResponse *r;
      g_autoptr(GUri) uri = NULL;

      if (!g_str_equal (node->name, "response") || href == NULL)
        continue;
      uri = g_uri_parse_relative (base, crm_dav_node_text (href), G_URI_FLAGS_ENCODED, NULL);
      if (uri == NULL)
        continue;
      r = g_new0 (CrmDavResponse, 1);
      r->href = g_uri_to_string (uri);
      r->status = parse_status_line (crm_dav_node_text (crm_dav_node_child (node, "status")));
      for (guint j = 0; j < node->children->len; j++)
        {
          CrmDavNode *propstat = g_ptr_array_index (node->children, j);
          guint status;

          if (!g_str_equal (propstat->name, "propstat"))
            continue;
          status = parse_status_line (crm_dav_node_text (crm_dav_node_child (propstat, "status")));
          if (status >= 200 && status < 300 && r->prop == NULL)
            r->prop = crm_dav_node_child (propstat, "prop");
        }
      g_ptr_array_add (responses, r);
    }
  return responses;
}

/* ---- HTTP ----------------------------------------------------------------------------- */

struct _CrmDav
{
  SoupSession  *session;
  char         *auth;        /* "Basic …", or NULL */
  char         *auth_host;   /* the host the first request went to: auth goes nowhere else */
  GCancellable *cancellable;
  char         *trusted;     /* fingerprint of a certificate the user trusts */
  char         *refused;     /* fingerprint of the last certificate refused */
};

char *
crm_dav_certificate_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *hex = NULL;
  GString *out = g_string_new (NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  for (guint i = 0; hex[i] != '\0'; i += 2)
    g_string_append_printf (out, "%s%c%c", i ? ":" : "", g_ascii_toupper (hex[i]), g_ascii_toupper (hex[i + 1]));
  return g_string_free (out, FALSE);
}

void
crm_dav_set_trusted_certificate (CrmDav     *dav,
                                 const char *fingerprint)
{
  g_free (dav->trusted);
  dav->trusted = fingerprint != NULL ? g_ascii_strup (fingerprint, -1) : NULL;
}

/* Only for a certificate that failed the system's verification: accepted when it is the one the
 * user trusts, and remembered otherwise so that the error can show it. */
static gboolean
on_accept_certificate (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              data)
{
  CrmDav *dav = data;
  g_autofree char *fingerprint = crm_dav_certificate_fingerprint (certificate);

  if (dav->trusted != NULL && g_str_equal (fingerprint, dav->trusted))
    return TRUE;
  g_free (dav->refused);
  dav->refused = g_steal_pointer (&fingerprint);
  return FALSE;
}

CrmDav *
crm_dav_new (const char   *user,
             const char   *password,
             GCancellable *cancellable)
{
  CrmDav *dav = g_new0 (CrmDav, 1);

  /* TLS is verified against the system's certificates (libsoup's default). */
  dav->session = soup_session_new_with_options ("timeout", 60, "idle-timeout", 60,
                                                "user-agent", "Clientele/" PACKAGE_VERSION " ", NULL);
  if (user != NULL || password != NULL)
    {
      g_autofree char *pair = g_strdup_printf ("%s:%s", user ? user : "", password ? password : "");
      g_autofree char *b64 = g_base64_encode ((const guchar *) pair, strlen (pair));

      dav->auth = g_strconcat ("Basic ", b64, NULL);
      memset (pair, 0, strlen (pair));
    }
  dav->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  return dav;
}

void
crm_dav_free (CrmDav *dav)
{
  if (dav == NULL)
    return;
  g_clear_object (&dav->session);
  if (dav->auth != NULL)
    memset (dav->auth, 0, strlen (dav->auth));
  g_free (dav->auth);
  g_free (dav->auth_host);
  g_clear_object (&dav->cancellable);
  g_free (dav->trusted);
  g_free (dav->refused);
  g_free (dav);
}

void
crm_dav_set_status_error (GError     **error,
                          guint        status,
                          const char  *url)
{
  const char *reason = soup_status_get_phrase (status);

  if (status == SOUP_STATUS_UNAUTHORIZED)
    g_set_error (error, CRM_DAV_ERROR, CRM_DAV_ERROR_AUTH,
                 _("The server refused the user name or password (HTTP %u %s) at %s"), status,
                 reason ? reason : "", url);
  else if (status == SOUP_STATUS_FORBIDDEN)
    g_set_error (error, CRM_DAV_ERROR, CRM_DAV_ERROR_FORBIDDEN,
                 _("The server does not let this user in at %s (HTTP 403)"), url);
  else if (status >= 500)
    g_set_error (error, CRM_DAV_ERROR, CRM_DAV_ERROR_SERVER,
                 _("The server failed (HTTP %u %s) at %s"), status, reason ? reason : "", url);
  else if (status == SOUP_STATUS_NOT_FOUND)
    g_set_error (error, CRM_DAV_ERROR, CRM_DAV_ERROR_NOT_FOUND,
                 _("Nothing found at %s (HTTP 404)"), url);
  else
    g_set_error (error, CRM_DAV_ERROR, CRM_DAV_ERROR_HTTP,
                 _("The server answered HTTP %u %s at %s"), status, reason ? reason : "", url);
}

GBytes *
crm_dav_send (CrmDav             *dav,
              const char         *method,
              const char         *url,
              const char *const  *headers,
              const char         *content_type,
              const char         *body,
              guint              *status,
              char              **etag,
              char              **final_url,
              GError            **error)
{
  g_autofree char *current = g_strdup (url);

  for (guint hops = 0; hops < 5; hops++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new (method, current);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      SoupMessageHeaders *h;
      GUri *uri;
      guint code;

      if (msg == NULL)
        {
          g_set_error (error, CRM_DAV_ERROR, CRM_DAV_ERROR_HTTP, _("“%s” is not a server address"), current);
          return NULL;
        }
      uri = soup_message_get_uri (msg);
      if (dav->auth_host == NULL)
        dav->auth_host = g_strdup (g_uri_get_host (uri));
      soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
      g_signal_connect (msg, "accept-certificate", G_CALLBACK (on_accept_certificate), dav);
      g_clear_pointer (&dav->refused, g_free);
      h = soup_message_get_request_headers (msg);
      if (dav->auth != NULL && g_strcmp0 (g_uri_get_host (uri), dav->auth_host) == 0)
        soup_message_headers_replace (h, "Authorization", dav->auth);
      for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
        soup_message_headers_replace (h, headers[i], headers[i + 1]);
      if (body != NULL)
        {
          g_autoptr(GBytes) req = g_bytes_new (body, strlen (body));
          soup_message_set_request_body_from_bytes (msg, content_type, req);
        }

      bytes = soup_session_send_and_read (dav->session, msg, dav->cancellable, &local_error);
      if (bytes == NULL)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else if (dav->refused != NULL)
            g_set_error (error, CRM_DAV_ERROR, CRM_DAV_ERROR_CERTIFICATE,
                         _("The certificate of %s is not trusted (self-signed or unknown issuer); its SHA-256 "
                           "fingerprint is %s: trust it only if the server’s owner confirms it"),
                         g_uri_get_host (uri), dav->refused);
          else
            g_set_error (error, CRM_DAV_ERROR, CRM_DAV_ERROR_UNREACHABLE, _("Could not reach %s: %s"),
                         current, local_error->message);
          return NULL;
        }
      code = soup_message_get_status (msg);
      if (SOUP_STATUS_IS_REDIRECTION (code) &&
          soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location") != NULL)
        {
          g_autoptr(GUri) next = g_uri_parse_relative (uri, soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location"),
                                                       G_URI_FLAGS_ENCODED, NULL);
          if (next != NULL)
            {
              g_free (current);
              current = g_uri_to_string (next);
              continue;
            }
        }
      *status = code;
      if (etag != NULL)
        *etag = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg), "ETag"));
      if (final_url != NULL)
        *final_url = g_steal_pointer (&current);
      return g_steal_pointer (&bytes);
    }
  g_set_error (error, CRM_DAV_ERROR, CRM_DAV_ERROR_HTTP, _("Too many redirects from %s"), url);
  return NULL;
}

CrmDavNode *
crm_dav_multistatus (CrmDav             *dav,
                     const char         *method,
                     const char         *url,
                     int                 depth,
                     const char         *body,
                     guint              *status,
                     GPtrArray         **responses,
                     GError            **error)
{
  g_autofree char *final_url = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GUri) base = NULL;
  const char *headers[] = { "Depth", depth == 0 ? "0" : "1", NULL };
  CrmDavNode *root;

  bytes = crm_dav_send (dav, method, url, depth >= 0 ? headers : NULL, "application/xml; charset=utf-8", body,
                        status, NULL, &final_url, error);
  if (bytes == NULL)
    return NULL;
  if (*status != SOUP_STATUS_MULTI_STATUS)
    {
      crm_dav_set_status_error (error, *status, url);
      return NULL;
    }
  if (!(root = crm_dav_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error)))
    return NULL;
  if (!g_str_equal (root->name, "multistatus"))
    {
      crm_dav_node_free (root);
      g_set_error (error, CRM_DAV_ERROR, CRM_DAV_ERROR_MALFORMED, _("The server’s answer at %s is not a WebDAV multistatus"), url);
      return NULL;
    }
  base = g_uri_parse (final_url, G_URI_FLAGS_ENCODED, NULL);
  *responses = crm_dav_responses (root, base);
  return root;
}

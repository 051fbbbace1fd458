/* crm-dav.h: WebDAV for the CardDAV worker — requests with Basic auth on a libsoup session owned
 * by the worker, and the multistatus answers read into a small tree.
 *
 * XML is read with GMarkup, by local names: the elements CardDAV answers with (href, propstat,
 * getetag, address-data, sync-token, …) are not ambiguous across the DAV: and CardDAV
 * namespaces, whatever prefixes a server picks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define CRM_DAV_ERROR (crm_dav_error_quark ())

typedef enum
{
  CRM_DAV_ERROR_UNREACHABLE,   /* no connection, TLS refused, timeout */
  CRM_DAV_ERROR_AUTH,          /* 401: the user name or password refused */
  CRM_DAV_ERROR_FORBIDDEN,     /* 403: no access to that address */
  CRM_DAV_ERROR_SERVER,        /* 5xx */
  CRM_DAV_ERROR_HTTP,          /* another unexpected status */
  CRM_DAV_ERROR_MALFORMED,     /* an answer that is not the XML or vCard it should be */
  CRM_DAV_ERROR_NOT_FOUND,     /* no address book where it should be */
  CRM_DAV_ERROR_CERTIFICATE,   /* a certificate neither the system nor the user trusts */
} CrmDavError;

GQuark crm_dav_error_quark (void);

typedef struct _CrmDavNode CrmDavNode;
struct _CrmDavNode
{
  char       *name;       /* local name, "href" */
  GString    *text;
  GPtrArray  *children;   /* CrmDavNode */
};

CrmDavNode *crm_dav_parse           (const char  *xml,
                                     gsize        len,
                                     GError     **error);
void        crm_dav_node_free       (CrmDavNode  *node);
/* The first child (direct) named @name, or NULL. */
CrmDavNode *crm_dav_node_child      (CrmDavNode  *node,
                                     const char  *name);
/* The first descendant (depth first) named @name, or NULL. */
CrmDavNode *crm_dav_node_find       (CrmDavNode  *node,
                                     const char  *name);
/* Its text, stripped ("" for none). */
const char *crm_dav_node_text       (CrmDavNode  *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmDavNode, crm_dav_node_free)

/* One response of a multistatus: the href (resolved against the request's URL), the status of
 * the response itself (0 when it only has propstats), and the prop element of its 2xx propstat
 * (NULL when none). */
typedef struct
{
  char       *href;
  guint       status;
  CrmDavNode *prop;
} CrmDavResponse;

/* The responses of a multistatus (CrmDavResponse, owning) in @root (kept alive by the caller). */
GPtrArray  *crm_dav_responses       (CrmDavNode  *root,
                                     GUri        *base);

typedef struct _CrmDav CrmDav;

/* A client for one account: @user NULL for none. */
CrmDav     *crm_dav_new             (const char   *user,
                                     const char   *password,
                                     GCancellable *cancellable);
void        crm_dav_free            (CrmDav       *dav);
/* A certificate (its SHA-256 fingerprint, "AB:CD:…") accepted although no authority vouches
 * for it: the one the user chose to trust. */
void        crm_dav_set_trusted_certificate (CrmDav     *dav,
                                             const char *fingerprint);
/* The fingerprint of @certificate in that form. */
char       *crm_dav_certificate_fingerprint (GTlsCertificate *certificate);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmDav, crm_dav_free)

/* Sends @method to @url with @body (NULL: none; @content_type its type) and @headers (name,
 * value pairs, NULL-terminated).  Redirects are followed (auth kept on the same host only).
 * Returns the body, with the status in @status and the response's ETag in @etag; NULL with an
 * error for no answer.  Any status comes back: the caller decides which ones are errors. */
GBytes     *crm_dav_send            (CrmDav             *dav,
                                     const char         *method,
                                     const char         *url,
                                     const char *const  *headers,
                                     const char         *content_type,
                                     const char         *body,
                                     guint              *status,
                                     char              **etag,
                                     char              **final_url,
                                     GError            **error);
/* A status that is not 2xx as an error naming @url: 401 as refused credentials, 403 as no
 * access there, 5xx as the server's failure. */
void        crm_dav_set_status_error (GError          **error,
                                      guint             status,
                                      const char       *url);
/* PROPFIND or REPORT (@method) with an XML @body and @depth (-1: no Depth header) that must
 * answer 207: the parsed tree and its responses. */
CrmDavNode *crm_dav_multistatus     (CrmDav             *dav,
                                     const char         *method,
                                     const char         *url,
                                     int                 depth,
                                     const char         *body,
                                     guint              *status,
                                     GPtrArray         **responses,
                                     GError            **error);

G_END_DECLS

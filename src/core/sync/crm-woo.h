/* crm-woo.h: sync with a WooCommerce shop through its REST API v3.
 *
 * A round checks the site (GET /wp-json/: a site without the wc/v3 namespace is not a shop),
 * pulls the shop's customers (every page: a full diff against the links, each page applied in
 * one transaction tagged with the account's origin), then its orders incrementally
 * (modified_after the stored cursor, dates_are_gmt), then pushes the customers edited here since
 * the last round (PUT of the changed fields only).  A customer changed on both sides is merged
 * per field: the newer edit wins and the value it replaced is kept in the customer's history (a
 * note in its timeline).
 *
 * Authentication is WooCommerce's: over HTTPS, Basic with the consumer key and secret (the query
 * string when the server drops the header); over plain HTTP, OAuth 1.0a one-legged with
 * HMAC-SHA256.  429 and 5xx answers are retried after Retry-After (bounded); a timeout or a
 * connection dropped in the middle of a body retries the page; a body that is not JSON fails the
 * round before anything of that page is written.
 *
 * Everything here blocks: run it in a CrmJob (crm-sync.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-account.h"
#include "crm-carddav.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_WOO_ERROR (crm_woo_error_quark ())

typedef enum
{
  CRM_WOO_ERROR_UNREACHABLE,   /* no connection, TLS refused, timeouts past the retries */
  CRM_WOO_ERROR_REFUSED,       /* 401/403: the key was refused */
  CRM_WOO_ERROR_NOT_A_SHOP,    /* 404 on /wp-json/, or no wc/v3 there */
  CRM_WOO_ERROR_SERVER,        /* 5xx or 429 past the retries */
  CRM_WOO_ERROR_MALFORMED,     /* a body that is not the JSON it should be */
  CRM_WOO_ERROR_HTTP,          /* another unexpected status */
  CRM_WOO_ERROR_CERTIFICATE,   /* a certificate neither the system nor the user trusts */
} CrmWooError;

GQuark  crm_woo_error_quark (void);

typedef struct _CrmWoo CrmWoo;

/* A client of the shop at @url (its home: "https://shop.example") with the consumer key and
 * secret. */
CrmWoo   *crm_woo_new                     (const char     *url,
                                           const char     *key,
                                           const char     *secret,
                                           GCancellable   *cancellable);
void      crm_woo_free                    (CrmWoo         *woo);
void      crm_woo_set_trusted_certificate (CrmWoo         *woo,
                                           const char     *fingerprint);
/* @timeout seconds for an answer (default 60), @retries further tries of a request (default 5),
 * @max_wait seconds at most between two (default 60; Retry-After is honoured up to it). */
void      crm_woo_set_limits              (CrmWoo         *woo,
                                           guint           timeout,
                                           guint           retries,
                                           guint           max_wait);
/* Requests sent so far (tries included). */
guint     crm_woo_get_requests            (CrmWoo         *woo);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmWoo, crm_woo_free)

/* Whether the site is a WooCommerce shop that accepts the key: its name. */
char     *crm_woo_check                   (CrmWoo         *woo,
                                           GError        **error);
/* One round for @account. */
gboolean  crm_woo_round                   (CrmStore       *store,
                                           CrmAccount     *account,
                                           CrmWoo         *woo,
                                           CrmSyncCounts  *counts,
                                           GError        **error);

G_END_DECLS

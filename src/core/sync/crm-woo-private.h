/* crm-woo-private.h: what the files of the WooCommerce worker share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "crm-customer.h"
#include "crm-order.h"
#include "crm-woo.h"

G_BEGIN_DECLS

/* An answer of the REST API: its JSON, and the paging headers of a list. */
typedef struct
{
  JsonNode *root;
  guint     total_pages;   /* X-WP-TotalPages (0 when absent) */
  gboolean  has_next;      /* a Link rel="next" */
  gint64    date;          /* the server's Date header, seconds UTC (0: none) */
} CrmWooAnswer;

void      crm_woo_answer_clear (CrmWooAnswer        *answer);

/* @method on the API route @route ("customers", "orders/12"; NULL: the site index /wp-json/)
 * with the query @params (name, value pairs, NULL-terminated) and a JSON @body (NULL: none),
 * signed as the scheme asks, retried as crm-woo.h says.  A 2xx answer with a JSON body, or an
 * error. */
gboolean  crm_woo_request      (CrmWoo              *woo,
                                const char          *method,
                                const char          *route,
                                const char * const  *params,
                                const char          *body,
                                CrmWooAnswer        *answer,
                                GError             **error);
/* The site's UTC offset in seconds from /wp-json/ (0 before crm_woo_check()). */
gint64    crm_woo_get_gmt_offset (CrmWoo            *woo);

/* ---- JSON and orders (crm-woo-orders.c) ---- */

/* A string member (NULL when absent or not a string); an integer one (0 when absent). */
const char *crm_woo_json_string   (JsonObject          *object,
                                   const char          *name);
gint64      crm_woo_json_int      (JsonObject          *object,
                                   const char          *name);
/* "29.35" in minor units of a currency with @exponent decimals. */
gint64      crm_woo_money         (const char          *text,
                                   guint                exponent);
/* The shop's order @object as @order of @customer_id (dates without _gmt: less @gmt_offset s). */
void        crm_woo_fill_order    (CrmOrder            *order,
                                   JsonObject          *object,
                                   gint64               customer_id,
                                   gint64               gmt_offset);
/* Its line items as new order lines. */
GPtrArray  *crm_woo_order_lines   (JsonObject          *object,
                                   guint                exponent);
/* An order pulled again: its fields written, its lines replaced in place. */
gboolean    crm_woo_update_order  (CrmStore            *store,
                                   CrmOrder            *order,
                                   GPtrArray           *lines,
                                   GError             **error);

/* ---- customers (crm-woo-customers.c) ---- */

/* The customer fields a shop carries, in this order. */
typedef enum
{
  WOO_NAME,
  WOO_EMAIL,
  WOO_PHONE,
  WOO_COMPANY,
  WOO_ADDRESS,
  WOO_CITY,
  WOO_REGION,
  WOO_COUNTRY,
  WOO_POSTAL_CODE,
  WOO_N_FIELDS
} CrmWooField;

typedef struct
{
  char *v[WOO_N_FIELDS];   /* "" for none */
} CrmWooCells;

void         crm_woo_cells_clear       (CrmWooCells        *cells);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CrmWooCells, crm_woo_cells_clear)
/* From a shop's customer (or an order's billing address when @billing_only). */
void         crm_woo_cells_from_json   (CrmWooCells        *cells,
                                        JsonObject         *object,
                                        gboolean            billing_only);
void         crm_woo_cells_from_customer (CrmWooCells      *cells,
                                        CrmCustomer        *customer);
/* As stored in sync_links.card, and back (FALSE for a card that is not one). */
char        *crm_woo_cells_to_card     (const CrmWooCells  *cells);
gboolean     crm_woo_cells_from_card   (CrmWooCells        *cells,
                                        const char         *card);
void         crm_woo_cells_apply       (const CrmWooCells  *cells,
                                        guint               field,
                                        CrmCustomer        *customer);
/* The PUT body of the fields where @cells and @base differ ("" for none). */
char        *crm_woo_cells_put_body    (const CrmWooCells  *cells,
                                        const CrmWooCells  *base);
const char  *crm_woo_field_label       (guint               field);
/* "2017-03-22T19:28:08" (UTC) as ms; 0 for none. */
gint64       crm_woo_parse_gmt         (const char         *text);

G_END_DECLS

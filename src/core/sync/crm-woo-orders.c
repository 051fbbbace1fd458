/* crm-woo-orders.c: a shop's order as an order of Clientele — status, totals in the currency's
 * minor units, lines, the date it was placed (UTC) — and the JSON readers the worker shares.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-woo-private.h"

#include <math.h>

#include "crm-format.h"
#include "crm-order-line.h"

const char *
crm_woo_json_string (JsonObject *o,
                     const char *name)
{
  JsonNode *node = o != NULL && json_object_has_member (o, name) ? json_object_get_member (o, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

gint64
crm_woo_json_int (JsonObject *o,
                  const char *name)
{
  JsonNode *node = o != NULL && json_object_has_member (o, name) ? json_object_get_member (o, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strtoll (json_node_get_string (node), NULL, 10);
  return json_node_get_value_type (node) == G_TYPE_DOUBLE ? (gint64) json_node_get_double (node) : json_node_get_int (node);
}

gint64
crm_woo_money (const char *text,
               guint       exponent)
{
  gint64 minor = 0;

  if (text == NULL || *text == '\0')
    return 0;
  if (!crm_parse_money (text, exponent, FALSE, &minor))
    minor = (gint64) llround (g_ascii_strtod (text, NULL) * pow (10, exponent));
  return minor;
}

void
crm_woo_fill_order (CrmOrder   *order,
                    JsonObject *object,
                    gint64      customer_id,
                    gint64      gmt_offset)
{
  const char *currency = crm_woo_json_string (object, "currency");
  guint exp = crm_currency_exponent (currency != NULL ? currency : "USD");
  gint64 placed = crm_woo_parse_gmt (crm_woo_json_string (object, "date_created_gmt"));
  JsonArray *items = json_object_has_member (object, "line_items") &&
                     JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "line_items"))
                     ? json_object_get_array_member (object, "line_items") : NULL;
  gint64 subtotal = 0;

  /* Without the _gmt form, the site-local date less the site's offset. */
  if (placed == 0)
    placed = crm_woo_parse_gmt (crm_woo_json_string (object, "date_created")) - gmt_offset * 1000;
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (items, i)))
      subtotal += crm_woo_money (crm_woo_json_string (json_array_get_object_element (items, i), "subtotal"), exp);

  crm_order_set_customer_id (order, customer_id);
  crm_order_set_number (order, crm_woo_json_string (object, "number"));
  crm_order_set_placed_at (order, placed != 0 ? placed : crm_now_ms ());
  crm_order_set_status (order, crm_woo_json_string (object, "status") != NULL ? crm_woo_json_string (object, "status") : "pending");
  crm_order_set_channel (order, "woocommerce");
  crm_order_set_currency (order, currency != NULL ? currency : "USD");
  crm_order_set_subtotal (order, subtotal);
  crm_order_set_discount (order, crm_woo_money (crm_woo_json_string (object, "discount_total"), exp));
  crm_order_set_shipping (order, crm_woo_money (crm_woo_json_string (object, "shipping_total"), exp));
  crm_order_set_tax (order, crm_woo_money (crm_woo_json_string (object, "total_tax"), exp));
  crm_order_set_total (order, crm_woo_money (crm_woo_json_string (object, "total"), exp));
  crm_order_set_payment_method (order, crm_woo_json_string (object, "payment_method_title"));
  crm_order_set_notes (order, crm_woo_json_string (object, "customer_note") != NULL && *crm_woo_json_string (object, "customer_note") != '\0'
                              ? crm_woo_json_string (object, "customer_note") : NULL);
}

/* The order's line items as order lines (new objects). */
GPtrArray *
crm_woo_order_lines (JsonObject *object,
                     guint       exp)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *items = json_object_has_member (object, "line_items") &&
                     JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "line_items"))
                     ? json_object_get_array_member (object, "line_items") : NULL;

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (json_array_get_element (items, i)) ? json_array_get_object_element (items, i) : NULL;
      CrmOrderLine *line;
      JsonNode *price;
      const char *sku;

      if (item == NULL)
        continue;
      line = crm_order_line_new ();
      sku = crm_woo_json_string (item, "sku");
      crm_order_line_set_sku (line, sku != NULL && *sku != '\0' ? sku : NULL);
      crm_order_line_set_product (line, crm_woo_json_string (item, "name"));
      crm_order_line_set_quantity (line, MAX (crm_woo_json_int (item, "quantity"), 0));
      price = json_object_has_member (item, "price") ? json_object_get_member (item, "price") : NULL;
      if (price != NULL && JSON_NODE_HOLDS_VALUE (price) && json_node_get_value_type (price) != G_TYPE_STRING)
        crm_order_line_set_unit_price (line, (gint64) llround (json_node_get_double (price) * pow (10, exp)));
      else
        crm_order_line_set_unit_price (line, crm_woo_money (crm_woo_json_string (item, "price"), exp));
      crm_order_line_set_amount (line, crm_woo_money (crm_woo_json_string (item, "total"), exp));
      g_ptr_array_add (lines, line);
    }
  return lines;
}

/* An order pulled again: its fields, and its lines replaced in place. */
gboolean
crm_woo_update_order (CrmStore    *store,
                      CrmOrder    *order,
                      GPtrArray   *lines,
                      GError     **error)
{
  g_autoptr(GPtrArray) old = crm_store_list (store, CRM_TYPE_ORDER_LINE, "order_id", crm_entity_get_id (CRM_ENTITY (order)), error);

  if (old == NULL || !crm_store_update (store, CRM_ENTITY (order), error))
    return FALSE;
  for (guint i = 0; i < MAX (old->len, lines->len); i++)
    {
      CrmEntity *have = i < old->len ? g_ptr_array_index (old, i) : NULL;
      CrmEntity *want = i < lines->len ? g_ptr_array_index (lines, i) : NULL;

      if (want == NULL)
        {
          if (!crm_store_delete (store, have, error))
            return FALSE;
          continue;
        }
      crm_order_line_set_order_id (CRM_ORDER_LINE (want), crm_entity_get_id (CRM_ENTITY (order)));
      if (have == NULL)
        {
          if (!crm_store_insert (store, want, error))
            return FALSE;
          continue;
        }
      for (guint f = CRM_ORDER_LINE_SKU; f < CRM_ORDER_LINE_N_FIELDS; f++)
        crm_entity_set_value (have, f, crm_entity_get_value (want, f));
      if (crm_entity_is_dirty (have) && !crm_store_update (store, have, error))
        return FALSE;
    }
  return TRUE;
}


/* crm-sales.c: a sale recorded by hand, and its refunds.
 *
 * The order goes through crm_store_insert_order(), like an imported one: the customer's
 * aggregates are updated in the same transaction and the order hooks (scores, tier, stage) run
 * before it commits, and the session announces it.  A refund is a record of its own that
 * lowers the order's total (schema 6, crm-store-schema.c: total is what the customer paid net
 * of refunds, refunded what was given back), so that every figure read from orders follows it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-sales.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-codes.h"
#include "crm-customer.h"
#include "crm-format.h"
#include "crm-journal.h"
#include "crm-search.h"
#include "crm-text.h"

/* The keys the order form offers; their words are crm-codes.c's. */
static const char *const channel_keys[] = { "store", "phone", "wechat", "web", "marketplace", "other", NULL };
static const char *const payment_keys[] = { "cash", "card", "wechat-pay", "alipay", "transfer", "other", NULL };
static const char *const status_keys[] = { "paid", "pending", "completed", "cancelled", NULL };

const char * const *
crm_sales_channels (void)
{
  return channel_keys;
}

const char * const *
crm_sales_payment_methods (void)
{
  return payment_keys;
}

const char * const *
crm_sales_statuses (void)
{
  return status_keys;
}

/* ---- lines and totals ------------------------------------------------------------------- */

static CrmOrderLine *
bad_item (GError     **error,
          const char  *spec,
          const char  *why)
{
  g_autofree char *valid = g_utf8_make_valid (spec, -1);

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               /* Translators: --item 'NAME:QTY:PRICE[:CATEGORY]' is refused; the second %s says why. */
               _("--item “%s”: %s (expected NAME:QTY:PRICE or NAME:QTY:PRICE:CATEGORY, e.g. “Green tea:2:38.50”)"),
               valid, why);
  return NULL;
}

CrmOrderLine *
crm_sales_parse_item (const char  *spec,
                      const char  *currency,
                      GError     **error)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(CrmOrderLine) line = NULL;
  g_autofree char *name = NULL;
  guint n;
  guint64 quantity;
  gint64 price;

  if (!g_utf8_validate (spec, -1, NULL))
    return bad_item (error, spec, _("not valid UTF-8"));
  parts = g_strsplit (spec, ":", -1);
  n = g_strv_length (parts);
  if (n < 3 || n > 4)
    return bad_item (error, spec, n < 3 ? _("too few parts") : _("too many “:”"));

  name = g_strstrip (g_strdup (parts[0]));
  if (name[0] == '\0')
    return bad_item (error, spec, _("the product name is empty"));
  if (!g_ascii_string_to_unsigned (g_strstrip (parts[1]), 10, 1, 1000000, &quantity, NULL))
    return bad_item (error, spec, _("the quantity must be a whole number from 1 to 1,000,000"));
  if (!crm_parse_money (g_strstrip (parts[2]), crm_currency_exponent (currency), FALSE, &price) || price < 0 ||
      strchr (parts[2], '-') != NULL || strchr (parts[2], '(') != NULL)
    return bad_item (error, spec, _("the price is not an amount"));

  line = crm_order_line_new ();
  crm_order_line_set_product (line, name);
  crm_order_line_set_quantity (line, (gint64) quantity);
  crm_order_line_set_unit_price (line, price);
  if (n == 4 && g_strstrip (parts[3])[0] != '\0')
    crm_order_line_set_category (line, parts[3]);

  return g_steal_pointer (&line);
}

static gboolean
refuse (GError     **error,
        const char  *message)
{
  g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

gboolean
crm_sales_compute_totals (CrmOrder   *order,
                          GPtrArray  *lines,
                          GError    **error)
{
  gint64 subtotal = 0, discount, shipping, tax, total;

  g_return_val_if_fail (CRM_IS_ORDER (order), FALSE);

  if (lines == NULL || lines->len == 0)
    return refuse (error, _("An order needs at least one item"));

  for (guint i = 0; i < lines->len; i++)
    {
      CrmOrderLine *line = g_ptr_array_index (lines, i);
      gint64 quantity = crm_order_line_get_quantity (line);
      gint64 price = crm_order_line_get_unit_price (line);

      if (is_blank (crm_order_line_get_product (line)) && is_blank (crm_order_line_get_sku (line)))
        return refuse (error, _("Every item needs a product name"));
      if (quantity < 1)
        return refuse (error, _("Every item needs a quantity of at least 1"));
      if (price < 0)
        return refuse (error, _("A price cannot be negative"));
      if (price > 0 && quantity > G_MAXINT64 / 4 / price)
        return refuse (error, _("The amount is too large"));
      crm_order_line_set_amount (line, quantity * price);
      if (subtotal > G_MAXINT64 / 4 - quantity * price)
        return refuse (error, _("The amount is too large"));
      subtotal += quantity * price;
    }

  discount = crm_order_get_discount (order);
  shipping = crm_order_get_shipping (order);
  tax = crm_order_get_tax (order);
  if (discount < 0 || shipping < 0 || tax < 0)
    return refuse (error, _("Discount, shipping and tax cannot be negative"));
  if (discount > subtotal)
    return refuse (error, _("The discount is larger than the items’ total"));
  if (shipping > G_MAXINT64 / 4 || tax > G_MAXINT64 / 4)
    return refuse (error, _("The amount is too large"));

  total = subtotal - discount + shipping + tax;
  crm_order_set_subtotal (order, subtotal);
  crm_order_set_total (order, total);
  return TRUE;
}

gboolean
crm_sales_add_order (CrmStore   *store,
                     CrmOrder   *order,
                     GPtrArray  *lines,
                     GError    **error)
{
  g_autoptr(CrmCustomer) customer = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (CRM_IS_ORDER (order), FALSE);

  if (crm_order_get_customer_id (order) <= 0)
    return refuse (error, _("An order needs a customer"));
  customer = crm_store_load (store, CRM_TYPE_CUSTOMER, crm_order_get_customer_id (order), &local_error);
  if (customer == NULL || crm_entity_is_deleted (CRM_ENTITY (customer)))
    {
      if (local_error != NULL && !g_error_matches (local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                           _("The customer of this order does not exist or was deleted"));
      return FALSE;
    }

  if (!crm_sales_compute_totals (order, lines, error))
    return FALSE;
  if (crm_order_get_status (order) == NULL)
    crm_order_set_status (order, "paid");
  if (crm_order_get_placed_at (order) == 0)
    crm_order_set_placed_at (order, crm_now_ms ());
  if (crm_order_get_currency (order) == NULL)
    {
      g_autofree char *currency = crm_store_get_setting (store, "currency");
      crm_order_set_currency (order, currency != NULL ? currency : "CNY");
    }

  return crm_store_insert_order (store, CRM_ENTITY (order), lines, error);
}

/* ---- refunds ------------------------------------------------------------------------------ */

static gboolean
check_refundable (CrmOrder    *order,
                  gint64      *amount,
                  GError     **error)
{
  const char *status = crm_order_get_status (order);
  const char *number = crm_order_get_number (order);
  g_autofree char *name = number != NULL ? g_strdup (number)
                          : g_strdup_printf ("%" G_GINT64_FORMAT, crm_entity_get_id (CRM_ENTITY (order)));
  gint64 left = crm_order_get_total (order);

  if (crm_entity_is_deleted (CRM_ENTITY (order)))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND, _("Order %s was deleted"), name);
      return FALSE;
    }
  if (g_strcmp0 (status, "cancelled") == 0 || g_strcmp0 (status, "failed") == 0 ||
      g_strcmp0 (status, "pending") == 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("Order %s was not paid (its status is “%s”): there is nothing to refund"),
                   name, crm_code_get_label (CRM_CODE_ORDER_STATUS, status));
      return FALSE;
    }
  if (left <= 0 || g_strcmp0 (status, "refunded") == 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("Order %s is refunded already"), name);
      return FALSE;
    }
  if (*amount == 0)
    *amount = left;
  if (*amount < 0)
    return refuse (error, _("A refund must be more than zero"));
  if (*amount > left)
    {
      const char *currency = crm_order_get_currency (order);
      g_autofree char *asked = crm_format_money (*amount, currency);
      g_autofree char *paid = crm_format_money (left, currency);

      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("Cannot refund %s on order %s: only %s was paid and not refunded yet"), asked, name, paid);
      return FALSE;
    }
  return TRUE;
}

/* The order's row follows the refund; journaled as an update of the fields that changed. */
static gboolean
apply_refund (CrmStore  *store,
              CrmOrder  *order,
              gint64     amount,
              gint64     now,
              GError   **error)
{
  gboolean whole = amount == crm_order_get_total (order);
  guint64 fields = (G_GUINT64_CONSTANT (1) << CRM_ORDER_TOTAL) | (G_GUINT64_CONSTANT (1) << CRM_ORDER_REFUNDED);
  sqlite3_stmt *stmt = crm_store_prepare (store,
    "UPDATE orders SET total = total - ?1, refunded = refunded + ?1, updated_at = max(updated_at + 1, ?2),"
    " status = CASE WHEN ?3 THEN 'refunded' ELSE status END WHERE id = ?4 AND deleted_at IS NULL", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, amount);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int (stmt, 3, whole);
  sqlite3_bind_int64 (stmt, 4, crm_entity_get_id (CRM_ENTITY (order)));
  if (!crm_store_step (store, stmt, error))
    return FALSE;
  if (whole)
    fields |= G_GUINT64_CONSTANT (1) << CRM_ORDER_STATUS;

  return crm_journal_append (store, CRM_JOURNAL_ENTITY_ORDER, crm_entity_get_id (CRM_ENTITY (order)),
                             CRM_JOURNAL_UPDATE, fields, now, error) &&
         crm_store_update_customer_aggregates (store, crm_order_get_customer_id (order), error);
}

CrmRefund *
crm_sales_refund (CrmStore    *store,
                  gint64       order_id,
                  gint64       amount,
                  const char  *reason,
                  gint64       at,
                  GError     **error)
{
  g_autoptr(CrmOrder) order = NULL;
  g_autoptr(CrmRefund) refund = crm_refund_new ();
  g_autoptr(GError) local_error = NULL;
  gint64 now = crm_now_ms ();

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  /* Read inside the transaction: another writer cannot refund the same money meanwhile. */
  if (!crm_store_begin (store, error))
    return NULL;
  order = crm_store_load (store, CRM_TYPE_ORDER, order_id, &local_error);
  if (order == NULL)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, order_id);

      if (g_error_matches (local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND))
        g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND, _("There is no order %s"), id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      goto fail;
    }
  if (!check_refundable (order, &amount, error))
    goto fail;

  crm_refund_set_order_id (refund, order_id);
  crm_refund_set_amount (refund, amount);
  crm_refund_set_reason (refund, reason != NULL && reason[0] != '\0' ? reason : NULL);
  crm_refund_set_refunded_at (refund, at > 0 ? at : now);
  if (!crm_store_insert (store, CRM_ENTITY (refund), error) ||
      !apply_refund (store, order, amount, now, error) ||
      !crm_store_commit (store, error))
    goto fail;

  return g_steal_pointer (&refund);

fail:
  crm_store_rollback (store);
  return NULL;
}

/* ---- finding the customer ------------------------------------------------------------------ */

gint64
crm_sales_find_customer (CrmStore    *store,
                         const char  *phone,
                         const char  *email,
                         GError     **error)
{
  CrmSearchKeys keys;
  sqlite3_stmt *stmt = NULL;
  gint64 id = 0;
  guint found = 0;
  const char *given = phone != NULL ? phone : email;

  g_return_val_if_fail (phone != NULL || email != NULL, 0);

  crm_search_keys_init (&keys, phone, email);
  if (phone != NULL && keys.phone_digits == NULL)
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, _("“%s” is not a phone number"), phone);
  else if (phone == NULL && keys.email_key == NULL)
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, _("“%s” is not an e-mail address"), email);
  else
    stmt = crm_store_prepare (store, phone != NULL
                              ? "SELECT id FROM customers WHERE phone_digits = ? AND deleted_at IS NULL ORDER BY id LIMIT 2"
                              : "SELECT id FROM customers WHERE email_key = ? AND deleted_at IS NULL ORDER BY id LIMIT 2",
                              error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, phone != NULL ? keys.phone_digits : keys.email_key, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        if (found++ == 0)
          id = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (found == 0)
        g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND, _("No customer with %s"), given);
      else if (found > 1)
        g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                     _("Several customers have %s: give the customer’s UUID instead"), given);
    }
  crm_search_keys_clear (&keys);

  return found == 1 ? id : 0;
}

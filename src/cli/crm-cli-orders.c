/* crm-cli-orders.c: recording a sale and refunding it from the command line.
 *
 *   order add (--customer UUID | --phone P | --email E) --item 'NAME:QTY:PRICE[:CATEGORY]'…
 *             [--channel C] [--payment M] [--status S] [--discount X] [--number N]
 *             [--at YYYY-MM-DD[THH:MM]]
 *   order refund ORDER [--amount X] [--reason T] [--at …]
 *
 * Amounts are in the shop's currency, major units ("38.50"); stored in minor units.  The order
 * runs the same order hooks as in the app: the customer's totals, tier and stage are current
 * when the command returns, and --json shows them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "crm-cli.h"
#include "crm-customer.h"
#include "crm-format.h"
#include "crm-sales.h"
#include "crm-tier.h"

/* ---- shared ------------------------------------------------------------------------------ */

static gboolean
usage_error (GError     **error,
             const char  *message)
{
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, message);
  return FALSE;
}

gboolean
crm_cli_parse_time (const char  *option,
                    const char  *text,
                    gint64      *out_ms,
                    GError     **error)
{
  g_autoptr(GDateTime) t = NULL;
  int y, mo, d, h = 0, mi = 0, used = 0;
  gsize len = strlen (text);

  if ((sscanf (text, "%4d-%2d-%2d%n", &y, &mo, &d, &used) == 3 && (gsize) used == len && len == 10) ||
      (sscanf (text, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &used) == 5 && (gsize) used == len &&
       len == 16))
    t = g_date_time_new_local (y, mo, d, h, mi, 0);
  if (t == NULL || g_date_time_get_month (t) != mo || g_date_time_get_day_of_month (t) != d)
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s: “%s” is not a date or time (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM)"), option, valid);
      return FALSE;
    }
  *out_ms = g_date_time_to_unix (t) * 1000;
  return TRUE;
}

char *
crm_cli_currency (CrmStore *store)
{
  char *currency = crm_store_get_setting (store, "currency");

  return currency != NULL ? currency : g_strdup ("CNY");
}

gboolean
crm_cli_parse_amount (const char  *option,
                      const char  *text,
                      const char  *currency,
                      gint64      *out_minor,
                      GError     **error)
{
  if (!crm_parse_money (text, crm_currency_exponent (currency), FALSE, out_minor) || *out_minor < 0 ||
      strchr (text, '-') != NULL || strchr (text, '(') != NULL)
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   /* Translators: e.g. "--amount: “ten” is not an amount of CNY (e.g. 12.50)" */
                   _("%s: “%s” is not an amount of %s (e.g. 12.50)"), option, valid, currency);
      return FALSE;
    }
  return TRUE;
}

static void
add_money (JsonBuilder *b,
           const char  *name,
           gint64       minor)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, minor);
}

/* The customer as the order left them: totals, tier, stage. */
static void
add_customer_state (JsonBuilder *b,
                    CrmStore    *store,
                    gint64       customer_id)
{
  g_autoptr(CrmCustomer) c = crm_store_load (store, CRM_TYPE_CUSTOMER, customer_id, NULL);
  g_autoptr(CrmTier) tier = NULL;

  json_builder_set_member_name (b, "customer");
  if (c == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  if (crm_customer_get_tier_id (c) > 0)
    tier = crm_store_load (store, CRM_TYPE_TIER, crm_customer_get_tier_id (c), NULL);
  json_builder_begin_object (b);
  crm_cli_json_add_text (b, "uuid", crm_entity_get_uuid (CRM_ENTITY (c)));
  crm_cli_json_add_text (b, "name", crm_customer_get_name (c));
  add_money (b, "total_spent", crm_customer_get_total_spent (c));
  json_builder_set_member_name (b, "order_count");
  json_builder_add_int_value (b, crm_customer_get_order_count (c));
  crm_cli_json_add_text (b, "tier", tier != NULL ? crm_tier_get_name (tier) : NULL);
  crm_cli_json_add_text (b, "lifecycle", crm_customer_get_lifecycle (c) < CRM_LIFECYCLE_N_STAGES
                                           ? crm_lifecycle_to_string (crm_customer_get_lifecycle (c)) : NULL);
  json_builder_end_object (b);
}

/* ---- order add ---------------------------------------------------------------------------- */

static char *opt_customer, *opt_phone, *opt_email, *opt_channel, *opt_payment, *opt_status;
static char *opt_discount, *opt_number, *opt_at, *opt_amount, *opt_reason;
static char **opt_items;

static const GOptionEntry add_entries[] = {
  { "customer", 0, 0, G_OPTION_ARG_FILENAME, &opt_customer, N_("The customer, by UUID"), N_("UUID") },
  { "phone", 0, 0, G_OPTION_ARG_FILENAME, &opt_phone, N_("… or by phone number"), N_("NUMBER") },
  { "email", 0, 0, G_OPTION_ARG_FILENAME, &opt_email, N_("… or by e-mail address"), N_("ADDRESS") },
  { "item", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_items,
    N_("An item, e.g. “Green tea:2:38.50:Tea” (repeat for each)"), N_("NAME:QTY:PRICE[:CATEGORY]") },
  { "channel", 0, 0, G_OPTION_ARG_FILENAME, &opt_channel,
    N_("Where it was sold: store, phone, wechat, web, marketplace, other"), N_("CHANNEL") },
  { "payment", 0, 0, G_OPTION_ARG_FILENAME, &opt_payment,
    N_("How it was paid: cash, card, wechat-pay, alipay, transfer, other"), N_("METHOD") },
  { "status", 0, 0, G_OPTION_ARG_FILENAME, &opt_status, N_("paid (default), pending, completed or cancelled"),
    N_("STATUS") },
  { "discount", 0, 0, G_OPTION_ARG_FILENAME, &opt_discount, N_("Discount on the whole order"), N_("AMOUNT") },
  { "number", 0, 0, G_OPTION_ARG_FILENAME, &opt_number, N_("Order number"), N_("TEXT") },
  { "at", 0, 0, G_OPTION_ARG_FILENAME, &opt_at, N_("When it was sold (default: now)"), N_("YYYY-MM-DD[THH:MM]") },
  { NULL }
};

static gboolean
in_list (const char *const *keys,
         const char        *value)
{
  return g_strv_contains (keys, value);
}

/* The options that need no database, checked first: a usage error is exit status 2. */
static gboolean
check_add_options (const char  *currency,
                   CrmOrder    *order,
                   GPtrArray   *lines,
                   GError     **error)
{
  guint ways = (opt_customer != NULL) + (opt_phone != NULL) + (opt_email != NULL);
  gint64 value;

  if (ways != 1)
    return usage_error (error, _("order add needs exactly one of --customer, --phone or --email"));
  if (opt_items == NULL || opt_items[0] == NULL)
    return usage_error (error, _("order add needs at least one --item NAME:QTY:PRICE"));
  if (opt_customer != NULL && !g_uuid_string_is_valid (opt_customer))
    {
      g_autofree char *valid = g_utf8_make_valid (opt_customer, -1);
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("--customer: “%s” is not a UUID"), valid);
      return FALSE;
    }
  for (guint i = 0; opt_items[i] != NULL; i++)
    {
      CrmOrderLine *line = crm_sales_parse_item (opt_items[i], currency, error);

      if (line == NULL)
        return FALSE;
      g_ptr_array_add (lines, line);
    }
  if (opt_status != NULL && !in_list (crm_sales_statuses (), opt_status))
    return usage_error (error, _("--status must be paid, pending, completed or cancelled"));
  if (opt_payment != NULL && !in_list (crm_sales_payment_methods (), opt_payment))
    return usage_error (error, _("--payment must be cash, card, wechat-pay, alipay, transfer or other"));
  if (opt_discount != NULL)
    {
      if (!crm_cli_parse_amount ("--discount", opt_discount, currency, &value, error))
        return FALSE;
      crm_order_set_discount (order, value);
    }
  if (opt_at != NULL)
    {
      if (!crm_cli_parse_time ("--at", opt_at, &value, error))
        return FALSE;
      crm_order_set_placed_at (order, value);
    }
  crm_order_set_channel (order, opt_channel != NULL && opt_channel[0] != '\0' ? opt_channel : "store");
  crm_order_set_payment_method (order, opt_payment);
  crm_order_set_status (order, opt_status);
  crm_order_set_number (order, opt_number);
  crm_order_set_currency (order, currency);
  return TRUE;
}

static void
print_order_json (CrmStore  *store,
                  CrmOrder  *order,
                  GPtrArray *lines)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  crm_cli_json_add_text (b, "uuid", crm_entity_get_uuid (CRM_ENTITY (order)));
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, crm_entity_get_id (CRM_ENTITY (order)));
  crm_cli_json_add_text (b, "number", crm_order_get_number (order));
  json_builder_set_member_name (b, "placed_at");
  json_builder_add_int_value (b, crm_order_get_placed_at (order));
  crm_cli_json_add_text (b, "status", crm_order_get_status (order));
  crm_cli_json_add_text (b, "channel", crm_order_get_channel (order));
  crm_cli_json_add_text (b, "payment_method", crm_order_get_payment_method (order));
  crm_cli_json_add_text (b, "currency", crm_order_get_currency (order));
  add_money (b, "subtotal", crm_order_get_subtotal (order));
  add_money (b, "discount", crm_order_get_discount (order));
  add_money (b, "total", crm_order_get_total (order));
  json_builder_set_member_name (b, "lines");
  json_builder_begin_array (b);
  for (guint i = 0; i < lines->len; i++)
    {
      CrmOrderLine *line = g_ptr_array_index (lines, i);

      json_builder_begin_object (b);
      crm_cli_json_add_text (b, "product", crm_order_line_get_product (line));
      crm_cli_json_add_text (b, "category", crm_order_line_get_category (line));
      json_builder_set_member_name (b, "quantity");
      json_builder_add_int_value (b, crm_order_line_get_quantity (line));
      add_money (b, "unit_price", crm_order_line_get_unit_price (line));
      add_money (b, "amount", crm_order_line_get_amount (line));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  add_customer_state (b, store, crm_order_get_customer_id (order));
  json_builder_end_object (b);
  crm_cli_print_json (b);
}

static int
cmd_order_add (CrmStore  *store,
               char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmOrder) order = crm_order_new ();
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *currency = crm_cli_currency (store);
  g_autofree char *total = NULL;
  gint64 customer_id;

  if (!check_add_options (currency, order, lines, &error))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", error->message);

  if (opt_customer != NULL)
    {
      g_autoptr(CrmCustomer) c = crm_cli_load_customer (store, opt_customer, &error);

      if (c == NULL)
        return crm_cli_fail_error (error);
      if (crm_entity_is_deleted (CRM_ENTITY (c)))
        return crm_cli_fail (CRM_CLI_EXIT_FAILED, _("Customer %s was deleted"), opt_customer);
      customer_id = crm_entity_get_id (CRM_ENTITY (c));
    }
  else if ((customer_id = crm_sales_find_customer (store, opt_phone, opt_email, &error)) == 0)
    return crm_cli_fail_error (error);

  crm_order_set_customer_id (order, customer_id);
  if (!crm_sales_add_order (store, order, lines, &error))
    return crm_cli_fail_error (error);

  if (crm_cli_get_json ())
    print_order_json (store, order, lines);
  else
    {
      total = crm_format_money (crm_order_get_total (order), crm_order_get_currency (order));
      /* Translators: after "order add": the new order's UUID and its total. */
      printf (_("%s\t%s\n"), crm_entity_get_uuid (CRM_ENTITY (order)), total);
    }
  return CRM_CLI_EXIT_OK;
}

/* ---- order refund ------------------------------------------------------------------------- */

static const GOptionEntry refund_entries[] = {
  { "amount", 0, 0, G_OPTION_ARG_FILENAME, &opt_amount, N_("How much to give back (default: all that is left)"),
    N_("AMOUNT") },
  { "reason", 0, 0, G_OPTION_ARG_FILENAME, &opt_reason, N_("Why"), N_("TEXT") },
  { "at", 0, 0, G_OPTION_ARG_FILENAME, &opt_at, N_("When (default: now)"), N_("YYYY-MM-DD[THH:MM]") },
  { NULL }
};

/* An order by its UUID, else by its number (one live order must have it). */
gint64
crm_cli_find_order (CrmStore    *store,
                    const char  *key,
                    GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;
  guint found = 0;
  g_autofree char *valid = g_utf8_make_valid (key, -1);

  stmt = crm_store_prepare (store, g_uuid_string_is_valid (key)
                            ? "SELECT id FROM orders WHERE uuid = ? LIMIT 2"
                            : "SELECT id FROM orders WHERE number = ? AND deleted_at IS NULL LIMIT 2", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (found++ == 0)
      id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (found == 0)
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND, _("No order with UUID or number “%s”"), valid);
  else if (found > 1)
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                 _("Several orders have the number “%s”: give the order’s UUID instead"), valid);
  return found == 1 ? id : 0;
}

static int
cmd_order_refund (CrmStore  *store,
                  char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRefund) refund = NULL;
  g_autoptr(CrmOrder) order = NULL;
  g_autofree char *currency = NULL;
  gint64 order_id, amount = 0, at = 0;

  if (opt_at != NULL && !crm_cli_parse_time ("--at", opt_at, &at, &error))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", error->message);
  if ((order_id = crm_cli_find_order (store, args[0], &error)) == 0 ||
      (order = crm_store_load (store, CRM_TYPE_ORDER, order_id, &error)) == NULL)
    return crm_cli_fail_error (error);
  currency = g_strdup (crm_order_get_currency (order));
  if (opt_amount != NULL)
    {
      if (!crm_cli_parse_amount ("--amount", opt_amount, currency, &amount, &error))
        return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", error->message);
      if (amount == 0)
        return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", _("--amount: a refund must be more than zero"));
    }

  refund = crm_sales_refund (store, order_id, amount, opt_reason, at, &error);
  if (refund == NULL)
    return crm_cli_fail_error (error);
  g_clear_object (&order);
  order = crm_store_load (store, CRM_TYPE_ORDER, order_id, &error);
  if (order == NULL)
    return crm_cli_fail_error (error);

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      crm_cli_json_add_text (b, "uuid", crm_entity_get_uuid (CRM_ENTITY (refund)));
      crm_cli_json_add_text (b, "order", crm_entity_get_uuid (CRM_ENTITY (order)));
      add_money (b, "amount", crm_refund_get_amount (refund));
      crm_cli_json_add_text (b, "currency", currency);
      add_money (b, "order_total", crm_order_get_total (order));
      add_money (b, "order_refunded", crm_order_get_refunded (order));
      crm_cli_json_add_text (b, "order_status", crm_order_get_status (order));
      add_customer_state (b, store, crm_order_get_customer_id (order));
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else
    {
      g_autofree char *given = crm_format_money (crm_refund_get_amount (refund), currency);
      g_autofree char *left = crm_format_money (crm_order_get_total (order), currency);

      /* Translators: after "order refund": the refund's UUID, the amount, what the order is worth now. */
      printf (_("%s\trefunded %s; the order now stands at %s\n"), crm_entity_get_uuid (CRM_ENTITY (refund)),
              given, left);
    }
  return CRM_CLI_EXIT_OK;
}

const CrmCliCommand crm_cli_order_commands[] = {
  { "order add", NULL, N_("Record a sale: the customer, its items, channel, payment and status"),
    0, 0, add_entries, FALSE, cmd_order_add },
  { "order refund", "ORDER", N_("Refund an order (by UUID or number), in whole or in part"),
    1, 0, refund_entries, FALSE, cmd_order_refund },
  { NULL }
};

/* crm-import-fields.c: the fields a column can be mapped to, and the header names that
 * map to them (generic, Chinese, Shopify and WooCommerce exports).  A customer's fields and
 * their headers are the catalogue's (crm-customer-fields.c); orders and their lines are the
 * importer's own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-import-private.h"

/* ---- target fields ---------------------------------------------------------------- */

/* Customer targets: the catalogue's fields marked for import, named as the export's columns;
 * orders: the orders export's, with customer fields as "customer_<name>" and line fields as
 * "line_<name>". */
static gboolean
is_customer_target (int target)
{
  guint n;

  return target >= 0 && target < T_N_CUSTOMER &&
         (crm_customer_fields_get (&n)[target].io & CRM_FIELD_IO_IMPORT);
}

static const struct { const char *name; const char *label; } order_targets[T_N - T_N_CUSTOMER] = {
  { "uuid", N_("Order UUID") }, { "number", N_("Order number") },
  { "external_id", N_("Order external ID") }, { "placed_at", N_("Placed") },
  { "status", N_("Status") }, { "channel", N_("Channel") }, { "currency", N_("Currency") },
  { "subtotal", N_("Subtotal") }, { "discount", N_("Discount") }, { "shipping", N_("Shipping") },
  { "tax", N_("Tax") }, { "total", N_("Total") }, { "notes", N_("Order notes") },
  { "cancelled_at", N_("Cancelled") },
  { "line_sku", N_("Item SKU") }, { "line_product", N_("Item name") },
  { "line_category", N_("Item category") }, { "line_quantity", N_("Item quantity") },
  { "line_unit_price", N_("Item price") }, { "line_amount", N_("Item amount") },
  { "line_items", N_("Items (several in one cell)") },
};

static char **field_names[2];
static char *customer_names[T_N_CUSTOMER];   /* "customer_<name>" */

static void
ensure_field_names (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      GPtrArray *c = g_ptr_array_new (), *o = g_ptr_array_new ();
      guint n;
      const CrmCustomerFieldInfo *fields = crm_customer_fields_get (&n);

      for (int t = 0; t < T_N_CUSTOMER; t++)
        if (is_customer_target (t))
          {
            g_ptr_array_add (c, g_strdup (fields[t].key));
            customer_names[t] = g_strconcat ("customer_", fields[t].key, NULL);
          }
      for (guint i = 0; i < T_N - T_N_CUSTOMER; i++)
        g_ptr_array_add (o, g_strdup (order_targets[i].name));
      for (int t = 0; t < T_N_CUSTOMER; t++)
        if (is_customer_target (t))
          g_ptr_array_add (o, g_strdup (customer_names[t]));
      g_ptr_array_add (c, NULL);
      g_ptr_array_add (o, NULL);
      field_names[0] = (char **) g_ptr_array_free (c, FALSE);
      field_names[1] = (char **) g_ptr_array_free (o, FALSE);
      g_once_init_leave (&once, 1);
    }
}

const char * const *
crm_import_get_fields (CrmImportKind  kind,
                       guint         *n_fields)
{
  ensure_field_names ();
  if (n_fields != NULL)
    *n_fields = g_strv_length (field_names[kind]);
  return (const char * const *) field_names[kind];
}

static int
customer_target (const char *name)
{
  const CrmCustomerFieldInfo *field = crm_customer_fields_find (name);
  guint n;
  int t;

  if (field == NULL)
    return -1;
  t = field - crm_customer_fields_get (&n);
  return is_customer_target (t) ? t : -1;
}

int
target_from_name (CrmImportKind  kind,
                  const char    *name)
{
  if (kind == CRM_IMPORT_CUSTOMERS)
    return customer_target (name);
  for (int i = 0; i < T_N - T_N_CUSTOMER; i++)
    if (g_str_equal (name, order_targets[i].name))
      return T_N_CUSTOMER + i;
  if (g_str_has_prefix (name, "customer_"))
    return customer_target (name + 9);
  return -1;
}

const char *
target_name (CrmImportKind kind,
             int           target)
{
  guint n;

  ensure_field_names ();
  if (target >= T_N_CUSTOMER && target < T_N)
    return kind == CRM_IMPORT_ORDERS ? order_targets[target - T_N_CUSTOMER].name : NULL;
  if (!is_customer_target (target))
    return NULL;
  return kind == CRM_IMPORT_CUSTOMERS ? crm_customer_fields_get (&n)[target].key : customer_names[target];
}

const char *
target_label (CrmImportKind kind,
              int           target)
{
  guint n;

  if (target < 0)
    return "";
  if (target >= T_N_CUSTOMER)
    return _(order_targets[target - T_N_CUSTOMER].label);
  return _(crm_customer_fields_get (&n)[target].label);
}

const char *
crm_import_field_get_label (CrmImportKind  kind,
                            const char    *field)
{
  int t = target_from_name (kind, field);
  return t >= 0 ? target_label (kind, t) : NULL;
}

const char *
crm_import_format_get_label (CrmImportFormat format)
{
  switch (format)
    {
    case CRM_IMPORT_FORMAT_SHOPIFY_CUSTOMERS:
      return _("Shopify customer export");
    case CRM_IMPORT_FORMAT_SHOPIFY_ORDERS:
      return _("Shopify order export");
    case CRM_IMPORT_FORMAT_WOOCOMMERCE_CUSTOMERS:
      return _("WooCommerce customer export");
    case CRM_IMPORT_FORMAT_WOOCOMMERCE_ORDERS:
      return _("WooCommerce order export");
    case CRM_IMPORT_FORMAT_VCARD:
      return _("vCard contacts");
    case CRM_IMPORT_FORMAT_GENERIC:
    default:
      return _("Spreadsheet (CSV)");
    }
}

/* ---- header recognition ------------------------------------------------------------- */

/* Headers are compared as crm_customer_fields_normalize_header() leaves them.  A customer's
 * fields bring their own headers from the catalogue; the tables here hold the rest of each kind
 * of file: an order's fields and its lines, and the shops' columns that hold nothing kept. */

static const Alias generic_order_aliases[] = {
  { "uuid", T_O_UUID, 1 }, { "number", T_O_NUMBER, 1 }, { "ordernumber", T_O_NUMBER, 1 },
  { "orderno", T_O_NUMBER, 1 }, { "订单号", T_O_NUMBER, 1 }, { "订单编号", T_O_NUMBER, 1 },
  { "externalid", T_O_EXTERNAL_ID, 1 }, { "orderid", T_O_EXTERNAL_ID, 1 },
  { "placedat", T_O_PLACED_AT, 1 }, { "date", T_O_PLACED_AT, 1 },
  { "orderdate", T_O_PLACED_AT, 1 }, { "createdat", T_O_PLACED_AT, 1 },
  { "下单时间", T_O_PLACED_AT, 1 }, { "日期", T_O_PLACED_AT, 1 }, { "订单日期", T_O_PLACED_AT, 1 },
  { "status", T_O_STATUS, 1 }, { "订单状态", T_O_STATUS, 1 }, { "状态", T_O_STATUS, 1 },
  { "channel", T_O_CHANNEL, 1 }, { "渠道", T_O_CHANNEL, 1 }, { "currency", T_O_CURRENCY, 1 },
  { "币种", T_O_CURRENCY, 1 }, { "subtotal", T_O_SUBTOTAL, 1 }, { "小计", T_O_SUBTOTAL, 1 },
  { "discount", T_O_DISCOUNT, 1 }, { "折扣", T_O_DISCOUNT, 1 }, { "优惠", T_O_DISCOUNT, 1 },
  { "shipping", T_O_SHIPPING, 1 }, { "运费", T_O_SHIPPING, 1 }, { "tax", T_O_TAX, 1 },
  { "taxes", T_O_TAX, 1 }, { "税费", T_O_TAX, 1 }, { "total", T_O_TOTAL, 1 },
  { "amount", T_O_TOTAL, 1 }, { "金额", T_O_TOTAL, 1 }, { "总额", T_O_TOTAL, 1 },
  { "订单金额", T_O_TOTAL, 1 }, { "实付金额", T_O_TOTAL, 1 }, { "notes", T_O_NOTES, 1 },
  { "note", T_O_NOTES, 1 }, { "备注", T_O_NOTES, 1 }, { "sku", T_L_SKU, 1 },
  { "linesku", T_L_SKU, 1 }, { "product", T_L_PRODUCT, 1 }, { "lineproduct", T_L_PRODUCT, 1 },
  { "商品", T_L_PRODUCT, 1 }, { "商品名称", T_L_PRODUCT, 1 }, { "category", T_L_CATEGORY, 1 },
  { "linecategory", T_L_CATEGORY, 1 }, { "类目", T_L_CATEGORY, 1 },
  { "quantity", T_L_QUANTITY, 1 }, { "qty", T_L_QUANTITY, 1 },
  { "linequantity", T_L_QUANTITY, 1 }, { "数量", T_L_QUANTITY, 1 },
  { "unitprice", T_L_UNIT_PRICE, 1 }, { "price", T_L_UNIT_PRICE, 1 },
  { "lineunitprice", T_L_UNIT_PRICE, 1 }, { "单价", T_L_UNIT_PRICE, 1 },
  { "lineamount", T_L_AMOUNT, 1 }, { "lineitems", T_L_ITEMS, 1 },
};

static const Alias shopify_customer_aliases[] = {
  { "taxexempt", T_IGNORE, 1 },
};

static const Alias shopify_order_aliases[] = {
  { "name", T_O_NUMBER, 1 }, { "id", T_O_EXTERNAL_ID, 1 }, { "financialstatus", T_O_STATUS, 1 },
  { "currency", T_O_CURRENCY, 1 }, { "subtotal", T_O_SUBTOTAL, 1 },
  { "shipping", T_O_SHIPPING, 1 }, { "taxes", T_O_TAX, 1 }, { "total", T_O_TOTAL, 1 },
  { "discountamount", T_O_DISCOUNT, 1 }, { "createdat", T_O_PLACED_AT, 1 },
  { "cancelledat", T_O_CANCELLED_AT, 1 }, { "notes", T_O_NOTES, 1 },
  { "source", T_O_CHANNEL, 1 }, { "lineitemquantity", T_L_QUANTITY, 1 },
  { "lineitemname", T_L_PRODUCT, 1 }, { "lineitemprice", T_L_UNIT_PRICE, 1 },
  { "lineitemsku", T_L_SKU, 1 }, { "paidat", T_IGNORE, 1 }, { "fulfillmentstatus", T_IGNORE, 1 },
  { "fulfilledat", T_IGNORE, 1 }, { "tags", T_IGNORE, 1 }, { "paymentmethod", T_IGNORE, 1 },
  { "vendor", T_IGNORE, 1 },
};

static const Alias woo_customer_aliases[] = {
  { "userlogin", T_IGNORE, 1 }, { "username", T_IGNORE, 1 }, { "userpass", T_IGNORE, 1 },
  { "lastactive", T_IGNORE, 1 },
};

static const Alias woo_order_aliases[] = {
  { "orderid", T_O_EXTERNAL_ID, 1 }, { "ordernumber", T_O_NUMBER, 1 },
  { "orderdate", T_O_PLACED_AT, 1 }, { "status", T_O_STATUS, 1 },
  { "shippingtotal", T_O_SHIPPING, 1 }, { "ordershipping", T_O_SHIPPING, 1 },
  { "taxtotal", T_O_TAX, 1 }, { "ordertax", T_O_TAX, 1 }, { "discounttotal", T_O_DISCOUNT, 2 },
  { "cartdiscount", T_O_DISCOUNT, 1 }, { "ordertotal", T_O_TOTAL, 1 },
  { "ordercurrency", T_O_CURRENCY, 1 }, { "customernote", T_O_NOTES, 1 },
  { "itemname", T_L_PRODUCT, 1 }, { "itemsku", T_L_SKU, 1 }, { "itemquantity", T_L_QUANTITY, 1 },
  { "itemtotal", T_L_AMOUNT, 1 }, { "lineitems", T_L_ITEMS, 1 },
  { "createdvia", T_O_CHANNEL, 1 }, { "paymentmethod", T_IGNORE, 1 },
  { "shippingmethod", T_IGNORE, 1 },
};

/* The importer's own headers of each kind of file (CrmFieldHeaders). */
static const struct
{
  const Alias *aliases;
  guint        n_aliases;
} own_aliases[CRM_FIELD_HEADERS_N] = {
  [CRM_FIELD_HEADERS_CUSTOMERS] = { NULL, 0 },
  [CRM_FIELD_HEADERS_ORDERS] = { generic_order_aliases, G_N_ELEMENTS (generic_order_aliases) },
  [CRM_FIELD_HEADERS_SHOPIFY_CUSTOMERS] = { shopify_customer_aliases, G_N_ELEMENTS (shopify_customer_aliases) },
  [CRM_FIELD_HEADERS_SHOPIFY_ORDERS] = { shopify_order_aliases, G_N_ELEMENTS (shopify_order_aliases) },
  [CRM_FIELD_HEADERS_WOO_CUSTOMERS] = { woo_customer_aliases, G_N_ELEMENTS (woo_customer_aliases) },
  [CRM_FIELD_HEADERS_WOO_ORDERS] = { woo_order_aliases, G_N_ELEMENTS (woo_order_aliases) },
};

static const Preset presets[] = {
  { CRM_IMPORT_FORMAT_SHOPIFY_CUSTOMERS, CRM_IMPORT_CUSTOMERS,
    { "firstname", "lastname", "email", "totalspent", "totalorders", "taxexempt", NULL },
    CRM_FIELD_HEADERS_SHOPIFY_CUSTOMERS, "shopify" },
  { CRM_IMPORT_FORMAT_SHOPIFY_ORDERS, CRM_IMPORT_ORDERS,
    { "name", "email", "financialstatus", "lineitemquantity", "lineitemname", "billingname", NULL },
    CRM_FIELD_HEADERS_SHOPIFY_ORDERS, "shopify" },
  { CRM_IMPORT_FORMAT_WOOCOMMERCE_CUSTOMERS, CRM_IMPORT_CUSTOMERS,
    { "customerid", "userlogin", "email", "billingfirstname", "billingemail", NULL },
    CRM_FIELD_HEADERS_WOO_CUSTOMERS, "woocommerce" },
  /* WooCommerce Analytics → Customers → Download. */
  { CRM_IMPORT_FORMAT_WOOCOMMERCE_CUSTOMERS, CRM_IMPORT_CUSTOMERS,
    { "name", "username", "dateregistered", "email", "totalspend", "aov", NULL },
    CRM_FIELD_HEADERS_WOO_CUSTOMERS, "woocommerce" },
  { CRM_IMPORT_FORMAT_WOOCOMMERCE_ORDERS, CRM_IMPORT_ORDERS,
    { "orderid", "orderdate", "status", "ordertotal", "billingfirstname", "billingemail", NULL },
    CRM_FIELD_HEADERS_WOO_ORDERS, "woocommerce" },
};

/* The importer's own headers of @set, then the catalogue's: a field it imports is the target,
 * any other (computed, the shops' own totals) is known and skipped.  A header the importer
 * lists first wins, so a catalogue header cannot take an order field's place unnoticed
 * (test-fields maps every catalogue header). */
static GArray *
make_alias_table (CrmFieldHeaders set)
{
  GArray *table = g_array_new (FALSE, FALSE, sizeof (Alias));
  guint n;
  const CrmCustomerFieldInfo *fields = crm_customer_fields_get (&n);

  g_array_append_vals (table, own_aliases[set].aliases, own_aliases[set].n_aliases);
  for (guint t = 0; t < n; t++)
    {
      const gboolean *preferred;
      const char * const *headers = crm_customer_field_get_headers (&fields[t], set, &preferred);

      for (guint h = 0; headers[h] != NULL; h++)
        {
          Alias a = { headers[h], is_customer_target (t) ? (int) t : T_IGNORE, preferred[h] ? 2 : 1 };
          g_array_append_val (table, a);
        }
    }
  return table;
}

const Alias *
alias_table (CrmFieldHeaders  set,
             guint           *n_aliases)
{
  static GArray *tables[CRM_FIELD_HEADERS_N];
  static gsize once = 0;

  g_return_val_if_fail (set < CRM_FIELD_HEADERS_N, NULL);

  if (g_once_init_enter (&once))
    {
      for (guint i = 0; i < CRM_FIELD_HEADERS_N; i++)
        tables[i] = make_alias_table (i);
      g_once_init_leave (&once, 1);
    }

  *n_aliases = tables[set]->len;
  return (const Alias *) tables[set]->data;
}

/* A known export (Shopify, WooCommerce) whose signature headers are all in @normalized_headers
 * (crm_customer_fields_normalize_header() of each column), or NULL. */
const Preset *
find_preset (CrmImportKind  kind,
             GHashTable    *normalized_headers)
{
  for (guint p = 0; p < G_N_ELEMENTS (presets); p++)
    {
      gboolean all = presets[p].kind == kind;

      for (guint s = 0; all && presets[p].signature[s]; s++)
        all = g_hash_table_contains (normalized_headers, presets[p].signature[s]);
      if (all)
        return &presets[p];
    }
  return NULL;
}

/* The aliases of a file that is no known export. */
const Alias *
generic_aliases (CrmImportKind  kind,
                 guint         *n_aliases)
{
  return alias_table (kind == CRM_IMPORT_CUSTOMERS ? CRM_FIELD_HEADERS_CUSTOMERS : CRM_FIELD_HEADERS_ORDERS,
                      n_aliases);
}

/* crm-import-fields.c: the fields a column can be mapped to, and the header names that
 * map to them (generic, Chinese, Shopify and WooCommerce exports)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-import-private.h"

/* ---- target fields ---------------------------------------------------------------- */

/* Customer targets: the export's column names; orders: the orders export's, with customer
 * fields as "customer_<name>" and line fields as "line_<name>". */
static const struct { const char *name; const char *label; } customer_targets[T_N_CUSTOMER] = {
  { "uuid", N_("UUID") }, { "name", N_("Name") }, { "first_name", N_("First name") },
  { "last_name", N_("Last name") }, { "gender", N_("Gender") }, { "birthday", N_("Birthday") },
  { "phone", N_("Phone") }, { "email", N_("E-mail") }, { "company", N_("Company") },
  { "occupation", N_("Occupation") }, { "address", N_("Address") },
  { "address2", N_("Address line 2") }, { "city", N_("City") }, { "region", N_("Region") },
  { "country", N_("Country") }, { "postal_code", N_("Postal code") },
  { "source", N_("Source channel") }, { "tags", N_("Tags") }, { "notes", N_("Notes") },
  { "email_consent", N_("E-mail marketing consent") },
  { "email_consent_at", N_("E-mail consent given") },
  { "sms_consent", N_("SMS marketing consent") }, { "sms_consent_at", N_("SMS consent given") },
  { "owner", N_("Sales rep") }, { "external_id", N_("External ID") },
  { "created_at", N_("Created") }, { "lifecycle", N_("Lifecycle stage") },
};

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
static char **field_labels[2];

static void
ensure_field_names (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      GPtrArray *c = g_ptr_array_new (), *cl = g_ptr_array_new ();
      GPtrArray *o = g_ptr_array_new (), *ol = g_ptr_array_new ();

      for (guint i = 0; i < T_N_CUSTOMER; i++)
        {
          g_ptr_array_add (c, g_strdup (customer_targets[i].name));
          g_ptr_array_add (cl, g_strdup (customer_targets[i].label));
        }
      for (guint i = 0; i < T_N - T_N_CUSTOMER; i++)
        {
          g_ptr_array_add (o, g_strdup (order_targets[i].name));
          g_ptr_array_add (ol, g_strdup (order_targets[i].label));
        }
      for (guint i = 0; i < T_N_CUSTOMER; i++)
        {
          g_ptr_array_add (o, g_strconcat ("customer_", customer_targets[i].name, NULL));
          g_ptr_array_add (ol, g_strdup (customer_targets[i].label));
        }
      g_ptr_array_add (c, NULL);
      g_ptr_array_add (cl, NULL);
      g_ptr_array_add (o, NULL);
      g_ptr_array_add (ol, NULL);
      field_names[0] = (char **) g_ptr_array_free (c, FALSE);
      field_labels[0] = (char **) g_ptr_array_free (cl, FALSE);
      field_names[1] = (char **) g_ptr_array_free (o, FALSE);
      field_labels[1] = (char **) g_ptr_array_free (ol, FALSE);
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

int
target_from_name (CrmImportKind  kind,
                  const char    *name)
{
  if (kind == CRM_IMPORT_CUSTOMERS)
    {
      for (int i = 0; i < T_N_CUSTOMER; i++)
        if (g_str_equal (name, customer_targets[i].name))
          return i;
      return -1;
    }
  for (int i = 0; i < T_N - T_N_CUSTOMER; i++)
    if (g_str_equal (name, order_targets[i].name))
      return T_N_CUSTOMER + i;
  if (g_str_has_prefix (name, "customer_"))
    for (int i = 0; i < T_N_CUSTOMER; i++)
      if (g_str_equal (name + 9, customer_targets[i].name))
        return i;
  return -1;
}

const char *
target_name (CrmImportKind kind,
             int           target)
{
  ensure_field_names ();
  if (target < 0)
    return NULL;
  if (kind == CRM_IMPORT_CUSTOMERS)
    return target < T_N_CUSTOMER ? customer_targets[target].name : NULL;
  if (target >= T_N_CUSTOMER)
    return field_names[1][target - T_N_CUSTOMER];
  return field_names[1][T_N - T_N_CUSTOMER + target];
}

const char *
target_label (CrmImportKind kind,
              int           target)
{
  if (target < 0)
    return "";
  if (target >= T_N_CUSTOMER)
    return _(order_targets[target - T_N_CUSTOMER].label);
  return _(customer_targets[target].label);
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

/* Header names compared without case, spaces, '_', '-', '*', '.', ':' and '/':
 * "Default Address Zip", "default_address_zip" and "E-mail:" all match. */
char *
normalize_header (const char *h)
{
  GString *s = g_string_new (NULL);
  g_autofree char *lower = g_utf8_strdown (h, -1);

  for (const char *p = lower; *p; p++)
    if (!strchr (" _-*.:/()\t\xef\xbb\xbf", *p) || ((guchar) *p >= 0x80 && (guchar) *p != 0xef &&
                                                     (guchar) *p != 0xbb && (guchar) *p != 0xbf))
      {
        if ((guchar) *p < 0x80 && strchr (" _-*.:/()\t", *p))
          continue;
        g_string_append_c (s, *p);
      }
  /* Full-width colon of Chinese headers ("姓名：") */
  if (g_str_has_suffix (s->str, "\xef\xbc\x9a"))
    g_string_truncate (s, s->len - 3);
  return g_string_free (s, FALSE);
}

static const Alias generic_customer_aliases[] = {
  { "uuid", T_UUID, 1 },
  { "name", T_NAME, 1 }, { "fullname", T_NAME, 1 }, { "customername", T_NAME, 1 },
  { "customer", T_NAME, 1 }, { "contact", T_NAME, 1 }, { "contactname", T_NAME, 1 },
  { "姓名", T_NAME, 1 }, { "名字", T_NAME, 1 }, { "客户", T_NAME, 1 }, { "客户名称", T_NAME, 1 },
  { "客户姓名", T_NAME, 1 }, { "联系人", T_NAME, 1 }, { "名称", T_NAME, 1 },
  { "firstname", T_FIRST_NAME, 1 }, { "givenname", T_FIRST_NAME, 1 }, { "名", T_FIRST_NAME, 1 },
  { "lastname", T_LAST_NAME, 1 }, { "surname", T_LAST_NAME, 1 }, { "familyname", T_LAST_NAME, 1 },
  { "姓", T_LAST_NAME, 1 },
  { "gender", T_GENDER, 1 }, { "sex", T_GENDER, 1 }, { "性别", T_GENDER, 1 },
  { "birthday", T_BIRTHDAY, 1 }, { "birthdate", T_BIRTHDAY, 1 }, { "dateofbirth", T_BIRTHDAY, 1 },
  { "dob", T_BIRTHDAY, 1 }, { "生日", T_BIRTHDAY, 1 }, { "出生日期", T_BIRTHDAY, 1 },
  { "phone", T_PHONE, 1 }, { "telephone", T_PHONE, 1 }, { "tel", T_PHONE, 1 },
  { "mobile", T_PHONE, 1 }, { "cell", T_PHONE, 1 }, { "phonenumber", T_PHONE, 1 },
  { "mobilephone", T_PHONE, 1 }, { "手机", T_PHONE, 1 }, { "电话", T_PHONE, 1 },
  { "手机号", T_PHONE, 1 }, { "手机号码", T_PHONE, 1 }, { "联系电话", T_PHONE, 1 },
  { "电话号码", T_PHONE, 1 },
  { "email", T_EMAIL, 1 }, { "mail", T_EMAIL, 1 }, { "emailaddress", T_EMAIL, 1 },
  { "邮箱", T_EMAIL, 1 }, { "电子邮件", T_EMAIL, 1 }, { "电子邮箱", T_EMAIL, 1 },
  { "邮件", T_EMAIL, 1 },
  { "company", T_COMPANY, 1 }, { "organization", T_COMPANY, 1 }, { "organisation", T_COMPANY, 1 },
  { "org", T_COMPANY, 1 }, { "公司", T_COMPANY, 1 }, { "单位", T_COMPANY, 1 },
  { "公司名称", T_COMPANY, 1 },
  { "occupation", T_OCCUPATION, 1 }, { "jobtitle", T_OCCUPATION, 1 }, { "title", T_OCCUPATION, 1 },
  { "job", T_OCCUPATION, 1 }, { "position", T_OCCUPATION, 1 }, { "职业", T_OCCUPATION, 1 },
  { "职位", T_OCCUPATION, 1 }, { "职务", T_OCCUPATION, 1 },
  { "address", T_ADDRESS, 1 }, { "street", T_ADDRESS, 1 }, { "address1", T_ADDRESS, 1 },
  { "addressline1", T_ADDRESS, 1 }, { "地址", T_ADDRESS, 1 }, { "详细地址", T_ADDRESS, 1 },
  { "收货地址", T_ADDRESS, 1 }, { "address2", T_ADDRESS2, 1 }, { "addressline2", T_ADDRESS2, 1 },
  { "city", T_CITY, 1 }, { "town", T_CITY, 1 }, { "城市", T_CITY, 1 }, { "市", T_CITY, 1 },
  { "所在城市", T_CITY, 1 }, { "所在地", T_CITY, 1 }, { "所在省份", T_REGION, 1 },
  { "region", T_REGION, 1 }, { "province", T_REGION, 1 }, { "state", T_REGION, 1 },
  { "county", T_REGION, 1 }, { "省份", T_REGION, 1 }, { "省", T_REGION, 1 },
  { "地区", T_REGION, 1 },
  { "country", T_COUNTRY, 1 }, { "countrycode", T_COUNTRY, 1 }, { "国家", T_COUNTRY, 1 },
  { "postalcode", T_POSTAL_CODE, 1 }, { "postcode", T_POSTAL_CODE, 1 }, { "zip", T_POSTAL_CODE, 1 },
  { "zipcode", T_POSTAL_CODE, 1 }, { "邮编", T_POSTAL_CODE, 1 }, { "邮政编码", T_POSTAL_CODE, 1 },
  { "source", T_SOURCE, 1 }, { "leadsource", T_SOURCE, 1 }, { "来源", T_SOURCE, 1 },
  { "渠道", T_SOURCE, 1 },
  { "tags", T_TAGS, 1 }, { "tag", T_TAGS, 1 }, { "labels", T_TAGS, 1 }, { "标签", T_TAGS, 1 },
  { "notes", T_NOTES, 1 }, { "note", T_NOTES, 1 }, { "comment", T_NOTES, 1 },
  { "comments", T_NOTES, 1 }, { "remarks", T_NOTES, 1 }, { "备注", T_NOTES, 1 },
  { "说明", T_NOTES, 1 },
  { "emailconsent", T_EMAIL_CONSENT, 1 }, { "acceptsmarketing", T_EMAIL_CONSENT, 1 },
  { "acceptsemailmarketing", T_EMAIL_CONSENT, 1 }, { "emailconsentat", T_EMAIL_CONSENT_AT, 1 },
  { "smsconsent", T_SMS_CONSENT, 1 }, { "acceptssmsmarketing", T_SMS_CONSENT, 1 },
  { "smsconsentat", T_SMS_CONSENT_AT, 1 },
  { "owner", T_OWNER, 1 }, { "salesrep", T_OWNER, 1 }, { "负责人", T_OWNER, 1 },
  { "externalid", T_EXTERNAL_ID, 1 }, { "customerid", T_EXTERNAL_ID, 1 }, { "id", T_EXTERNAL_ID, 1 },
  { "客户编号", T_EXTERNAL_ID, 1 }, { "编号", T_EXTERNAL_ID, 1 },
  { "createdat", T_CREATED_AT, 1 }, { "created", T_CREATED_AT, 1 },
  { "datecreated", T_CREATED_AT, 1 }, { "创建时间", T_CREATED_AT, 1 },
  { "注册时间", T_CREATED_AT, 1 },
  { "lifecycle", T_LIFECYCLE, 1 },
  /* Computed by Clientele: an export's columns that are not imported. */
  { "totalspent", T_IGNORE, 1 }, { "ordercount", T_IGNORE, 1 }, { "firstorder", T_IGNORE, 1 },
  { "lastorder", T_IGNORE, 1 }, { "tier", T_IGNORE, 1 }, { "rdays", T_IGNORE, 1 },
  { "frequency", T_IGNORE, 1 }, { "monetary", T_IGNORE, 1 }, { "rscore", T_IGNORE, 1 },
  { "fscore", T_IGNORE, 1 }, { "mscore", T_IGNORE, 1 }, { "rfmsegment", T_IGNORE, 1 },
};

static const Alias generic_order_aliases[] = {
  { "uuid", T_O_UUID, 1 }, { "number", T_O_NUMBER, 1 }, { "ordernumber", T_O_NUMBER, 1 },
  { "orderno", T_O_NUMBER, 1 }, { "订单号", T_O_NUMBER, 1 }, { "订单编号", T_O_NUMBER, 1 },
  { "externalid", T_O_EXTERNAL_ID, 1 }, { "orderid", T_O_EXTERNAL_ID, 1 },
  { "placedat", T_O_PLACED_AT, 1 }, { "date", T_O_PLACED_AT, 1 }, { "orderdate", T_O_PLACED_AT, 1 },
  { "createdat", T_O_PLACED_AT, 1 }, { "下单时间", T_O_PLACED_AT, 1 }, { "日期", T_O_PLACED_AT, 1 },
  { "订单日期", T_O_PLACED_AT, 1 },
  { "status", T_O_STATUS, 1 }, { "订单状态", T_O_STATUS, 1 }, { "状态", T_O_STATUS, 1 },
  { "channel", T_O_CHANNEL, 1 }, { "渠道", T_O_CHANNEL, 1 },
  { "currency", T_O_CURRENCY, 1 }, { "币种", T_O_CURRENCY, 1 },
  { "subtotal", T_O_SUBTOTAL, 1 }, { "小计", T_O_SUBTOTAL, 1 },
  { "discount", T_O_DISCOUNT, 1 }, { "折扣", T_O_DISCOUNT, 1 }, { "优惠", T_O_DISCOUNT, 1 },
  { "shipping", T_O_SHIPPING, 1 }, { "运费", T_O_SHIPPING, 1 },
  { "tax", T_O_TAX, 1 }, { "taxes", T_O_TAX, 1 }, { "税费", T_O_TAX, 1 },
  { "total", T_O_TOTAL, 1 }, { "amount", T_O_TOTAL, 1 }, { "金额", T_O_TOTAL, 1 },
  { "总额", T_O_TOTAL, 1 }, { "订单金额", T_O_TOTAL, 1 }, { "实付金额", T_O_TOTAL, 1 },
  { "notes", T_O_NOTES, 1 }, { "note", T_O_NOTES, 1 }, { "备注", T_O_NOTES, 1 },
  { "customeruuid", T_UUID, 1 }, { "customername", T_NAME, 1 }, { "customer", T_NAME, 1 },
  { "name", T_NAME, 1 }, { "客户", T_NAME, 1 }, { "姓名", T_NAME, 1 }, { "客户姓名", T_NAME, 1 },
  { "customeremail", T_EMAIL, 1 }, { "email", T_EMAIL, 1 }, { "邮箱", T_EMAIL, 1 },
  { "customerphone", T_PHONE, 1 }, { "phone", T_PHONE, 1 }, { "手机", T_PHONE, 1 },
  { "电话", T_PHONE, 1 }, { "customerexternalid", T_EXTERNAL_ID, 1 },
  { "customerid", T_EXTERNAL_ID, 1 },
  { "sku", T_L_SKU, 1 }, { "linesku", T_L_SKU, 1 }, { "product", T_L_PRODUCT, 1 },
  { "lineproduct", T_L_PRODUCT, 1 }, { "商品", T_L_PRODUCT, 1 }, { "商品名称", T_L_PRODUCT, 1 },
  { "category", T_L_CATEGORY, 1 }, { "linecategory", T_L_CATEGORY, 1 }, { "类目", T_L_CATEGORY, 1 },
  { "quantity", T_L_QUANTITY, 1 }, { "qty", T_L_QUANTITY, 1 }, { "linequantity", T_L_QUANTITY, 1 },
  { "数量", T_L_QUANTITY, 1 }, { "unitprice", T_L_UNIT_PRICE, 1 }, { "price", T_L_UNIT_PRICE, 1 },
  { "lineunitprice", T_L_UNIT_PRICE, 1 }, { "单价", T_L_UNIT_PRICE, 1 },
  { "lineamount", T_L_AMOUNT, 1 }, { "lineitems", T_L_ITEMS, 1 },
};

static const Alias shopify_customer_aliases[] = {
  { "customerid", T_EXTERNAL_ID, 1 }, { "firstname", T_FIRST_NAME, 1 },
  { "lastname", T_LAST_NAME, 1 }, { "email", T_EMAIL, 1 },
  { "acceptsemailmarketing", T_EMAIL_CONSENT, 1 }, { "acceptsmarketing", T_EMAIL_CONSENT, 1 },
  { "defaultaddresscompany", T_COMPANY, 1 }, { "company", T_COMPANY, 1 },
  { "defaultaddressaddress1", T_ADDRESS, 1 }, { "address1", T_ADDRESS, 1 },
  { "defaultaddressaddress2", T_ADDRESS2, 1 }, { "address2", T_ADDRESS2, 1 },
  { "defaultaddresscity", T_CITY, 1 }, { "city", T_CITY, 1 },
  { "defaultaddressprovincecode", T_REGION, 2 }, { "provincecode", T_REGION, 2 },
  { "province", T_REGION, 1 },
  { "defaultaddresscountrycode", T_COUNTRY, 2 }, { "countrycode", T_COUNTRY, 2 },
  { "country", T_COUNTRY, 1 },
  { "defaultaddresszip", T_POSTAL_CODE, 1 }, { "zip", T_POSTAL_CODE, 1 },
  { "phone", T_PHONE, 2 }, { "defaultaddressphone", T_PHONE, 1 },
  { "acceptssmsmarketing", T_SMS_CONSENT, 1 }, { "tags", T_TAGS, 1 }, { "note", T_NOTES, 1 },
  { "totalspent", T_IGNORE, 1 }, { "totalorders", T_IGNORE, 1 }, { "taxexempt", T_IGNORE, 1 },
};

static const Alias shopify_order_aliases[] = {
  { "name", T_O_NUMBER, 1 }, { "id", T_O_EXTERNAL_ID, 1 }, { "email", T_EMAIL, 1 },
  { "financialstatus", T_O_STATUS, 1 }, { "currency", T_O_CURRENCY, 1 },
  { "subtotal", T_O_SUBTOTAL, 1 }, { "shipping", T_O_SHIPPING, 1 }, { "taxes", T_O_TAX, 1 },
  { "total", T_O_TOTAL, 1 }, { "discountamount", T_O_DISCOUNT, 1 },
  { "createdat", T_O_PLACED_AT, 1 }, { "cancelledat", T_O_CANCELLED_AT, 1 },
  { "notes", T_O_NOTES, 1 }, { "source", T_O_CHANNEL, 1 },
  { "lineitemquantity", T_L_QUANTITY, 1 }, { "lineitemname", T_L_PRODUCT, 1 },
  { "lineitemprice", T_L_UNIT_PRICE, 1 }, { "lineitemsku", T_L_SKU, 1 },
  { "billingname", T_NAME, 1 }, { "billingphone", T_PHONE, 1 }, { "phone", T_PHONE, 2 },
  { "billingaddress1", T_ADDRESS, 2 }, { "billingstreet", T_ADDRESS, 1 },
  { "billingaddress2", T_ADDRESS2, 1 }, { "billingcompany", T_COMPANY, 1 },
  { "billingcity", T_CITY, 1 }, { "billingzip", T_POSTAL_CODE, 1 },
  { "billingprovince", T_REGION, 1 }, { "billingcountry", T_COUNTRY, 1 },
  { "acceptsmarketing", T_EMAIL_CONSENT, 1 },
  { "paidat", T_IGNORE, 1 }, { "fulfillmentstatus", T_IGNORE, 1 }, { "fulfilledat", T_IGNORE, 1 },
  { "tags", T_IGNORE, 1 }, { "paymentmethod", T_IGNORE, 1 }, { "vendor", T_IGNORE, 1 },
};

static const Alias woo_customer_aliases[] = {
  { "customerid", T_EXTERNAL_ID, 1 }, { "id", T_EXTERNAL_ID, 1 },
  { "firstname", T_FIRST_NAME, 2 }, { "billingfirstname", T_FIRST_NAME, 1 },
  { "lastname", T_LAST_NAME, 2 }, { "billinglastname", T_LAST_NAME, 1 },
  { "name", T_NAME, 1 }, { "email", T_EMAIL, 2 }, { "billingemail", T_EMAIL, 1 },
  { "billingcompany", T_COMPANY, 1 }, { "billingphone", T_PHONE, 1 },
  { "billingaddress1", T_ADDRESS, 1 }, { "billingaddress2", T_ADDRESS2, 1 },
  { "billingpostcode", T_POSTAL_CODE, 1 }, { "postalcode", T_POSTAL_CODE, 1 },
  { "billingcity", T_CITY, 1 }, { "city", T_CITY, 1 }, { "billingstate", T_REGION, 1 },
  { "region", T_REGION, 1 }, { "billingcountry", T_COUNTRY, 1 }, { "countryregion", T_COUNTRY, 1 },
  { "dateregistered", T_CREATED_AT, 1 },
  { "userlogin", T_IGNORE, 1 }, { "username", T_IGNORE, 1 }, { "userpass", T_IGNORE, 1 },
  { "totalspent", T_IGNORE, 1 }, { "totalspend", T_IGNORE, 1 }, { "ordercount", T_IGNORE, 1 },
  { "orders", T_IGNORE, 1 }, { "aov", T_IGNORE, 1 }, { "lastactive", T_IGNORE, 1 },
};

static const Alias woo_order_aliases[] = {
  { "orderid", T_O_EXTERNAL_ID, 1 }, { "ordernumber", T_O_NUMBER, 1 },
  { "orderdate", T_O_PLACED_AT, 1 }, { "status", T_O_STATUS, 1 },
  { "shippingtotal", T_O_SHIPPING, 1 }, { "ordershipping", T_O_SHIPPING, 1 },
  { "taxtotal", T_O_TAX, 1 }, { "ordertax", T_O_TAX, 1 },
  { "discounttotal", T_O_DISCOUNT, 2 }, { "cartdiscount", T_O_DISCOUNT, 1 },
  { "ordertotal", T_O_TOTAL, 1 }, { "ordercurrency", T_O_CURRENCY, 1 },
  { "customerid", T_EXTERNAL_ID, 1 }, { "customeruser", T_EXTERNAL_ID, 1 },
  { "billingfirstname", T_FIRST_NAME, 1 }, { "billinglastname", T_LAST_NAME, 1 },
  { "billingcompany", T_COMPANY, 1 }, { "billingemail", T_EMAIL, 1 },
  { "billingphone", T_PHONE, 1 }, { "billingaddress1", T_ADDRESS, 1 },
  { "billingaddress2", T_ADDRESS2, 1 }, { "billingpostcode", T_POSTAL_CODE, 1 },
  { "billingcity", T_CITY, 1 }, { "billingstate", T_REGION, 1 },
  { "billingcountry", T_COUNTRY, 1 }, { "customernote", T_O_NOTES, 1 },
  { "itemname", T_L_PRODUCT, 1 }, { "itemsku", T_L_SKU, 1 }, { "itemquantity", T_L_QUANTITY, 1 },
  { "itemtotal", T_L_AMOUNT, 1 }, { "lineitems", T_L_ITEMS, 1 }, { "createdvia", T_O_CHANNEL, 1 },
  { "paymentmethod", T_IGNORE, 1 }, { "shippingmethod", T_IGNORE, 1 },
};

static const Preset presets[] = {
  { CRM_IMPORT_FORMAT_SHOPIFY_CUSTOMERS, CRM_IMPORT_CUSTOMERS,
    { "firstname", "lastname", "email", "totalspent", "totalorders", "taxexempt", NULL },
    shopify_customer_aliases, G_N_ELEMENTS (shopify_customer_aliases), "shopify" },
  { CRM_IMPORT_FORMAT_SHOPIFY_ORDERS, CRM_IMPORT_ORDERS,
    { "name", "email", "financialstatus", "lineitemquantity", "lineitemname", "billingname", NULL },
    shopify_order_aliases, G_N_ELEMENTS (shopify_order_aliases), "shopify" },
  { CRM_IMPORT_FORMAT_WOOCOMMERCE_CUSTOMERS, CRM_IMPORT_CUSTOMERS,
    { "customerid", "userlogin", "email", "billingfirstname", "billingemail", NULL },
    woo_customer_aliases, G_N_ELEMENTS (woo_customer_aliases), "woocommerce" },
  /* WooCommerce Analytics → Customers → Download. */
  { CRM_IMPORT_FORMAT_WOOCOMMERCE_CUSTOMERS, CRM_IMPORT_CUSTOMERS,
    { "name", "username", "dateregistered", "email", "totalspend", "aov", NULL },
    woo_customer_aliases, G_N_ELEMENTS (woo_customer_aliases), "woocommerce" },
  { CRM_IMPORT_FORMAT_WOOCOMMERCE_ORDERS, CRM_IMPORT_ORDERS,
    { "orderid", "orderdate", "status", "ordertotal", "billingfirstname", "billingemail", NULL },
    woo_order_aliases, G_N_ELEMENTS (woo_order_aliases), "woocommerce" },
};

/* A known export (Shopify, WooCommerce) whose signature headers are all in @normalized_headers
 * (normalize_header() of each column), or NULL. */
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
  if (kind == CRM_IMPORT_CUSTOMERS)
    {
      *n_aliases = G_N_ELEMENTS (generic_customer_aliases);
      return generic_customer_aliases;
    }
  *n_aliases = G_N_ELEMENTS (generic_order_aliases);
  return generic_order_aliases;
}

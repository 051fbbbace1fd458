/* crm-import.c: customers and orders from CSV files and vCards.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How a run works, and why:
 * - One transaction (BEGIN IMMEDIATE … COMMIT) for the whole file: an error or a cancel rolls
 *   back to the database as it was, and nobody sees half an import.  A rejected row is not an
 *   error: it is reported and written to the rejects file, and the run goes on.
 * - Customers are written straight from the cells through a column plan (source column →
 *   target field, with a priority for exports that carry the same field twice) with cached
 *   prepared statements: no GObject per row.  Search keys (phone digits, e-mail key, short
 *   terms, tags) are computed in C as crm_store_index_customer() does, and one 'insert' row per
 *   customer goes to the change journal in the same transaction (an import is a user action on
 *   syncable data).
 * - The full-text index: the FTS insert/update triggers are dropped for the run and restored in
 *   the same transaction; the new rows are added to the index with one INSERT … SELECT at the
 *   end (row by row through the trigger costs about 10× more: FTS5 flushes at every statement
 *   savepoint), and updates of older rows delete and re-add their FTS entries by hand.  The
 *   index is up to date when the run commits.
 * - Bulk mode, when the file is expected to add at least as many customers as the table holds
 *   (and 50,000 or more): the secondary indexes of customers are dropped for the run and made
 *   again with CREATE INDEX at the end (a sort per index instead of a random B-tree insert per
 *   row and index).  Duplicates are then found in memory: a table of 64-bit key hashes (e-mail,
 *   phone, external id, uuid) of the existing customers and of the rows added, verified against
 *   the row on a hit.  Otherwise every index stays and duplicates are looked up with SQL.
 *   bench/RESULTS.md has the figures behind both choices.
 * - Customers from CSV: a second thread reads and checks the rows (run_csv_customers()); this
 *   one decides duplicates, ids and rejects in file order and writes.  Short-query terms and tags
 *   are kept as (term, customer) pairs and written sorted at the end (append-only B-tree writes).
 *   A large run on a file no other connection has open uses a rollback journal instead of the
 *   WAL (pages written once), as `generate` does; synchronous stays as the store set it.
 */
#include "crm-import.h"

#include <inttypes.h>
#include <errno.h>
#include <time.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "crm-csv-reader.h"
#include "crm-csv-writer.h"
#include "crm-customer.h"
#include "crm-format.h"
#include "crm-order.h"
#include "crm-search.h"
#include "crm-text.h"
#include "crm-vcard.h"

G_DEFINE_QUARK (crm-import-error-quark, crm_import_error)

#define PREVIEW_ROWS      20
#define MAX_KEPT_REJECTS  100000
#define BULK_MIN_ROWS     50000
#define PROGRESS_EVERY    4096

/* ---- target fields ---------------------------------------------------------------- */

typedef enum
{
  /* A customer's own fields (customers import; "customer_…" in an orders import). */
  T_UUID, T_NAME, T_FIRST_NAME, T_LAST_NAME, T_GENDER, T_BIRTHDAY, T_PHONE, T_EMAIL,
  T_COMPANY, T_OCCUPATION, T_ADDRESS, T_ADDRESS2, T_CITY, T_REGION, T_COUNTRY, T_POSTAL_CODE,
  T_SOURCE, T_TAGS, T_NOTES, T_EMAIL_CONSENT, T_EMAIL_CONSENT_AT, T_SMS_CONSENT,
  T_SMS_CONSENT_AT, T_OWNER, T_EXTERNAL_ID, T_CREATED_AT, T_LIFECYCLE,
  T_N_CUSTOMER,
  /* An order's fields. */
  T_O_UUID = T_N_CUSTOMER, T_O_NUMBER, T_O_EXTERNAL_ID, T_O_PLACED_AT, T_O_STATUS, T_O_CHANNEL,
  T_O_CURRENCY, T_O_SUBTOTAL, T_O_DISCOUNT, T_O_SHIPPING, T_O_TAX, T_O_TOTAL, T_O_NOTES,
  T_O_CANCELLED_AT,
  /* A line item's. */
  T_L_SKU, T_L_PRODUCT, T_L_CATEGORY, T_L_QUANTITY, T_L_UNIT_PRICE, T_L_AMOUNT, T_L_ITEMS,
  T_N,
  T_IGNORE = -2,   /* known column with nothing to store (computed, or not kept) */
} Target;

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

static int
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

static const char *
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

static const char *
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
static char *
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

typedef struct
{
  const char *header;   /* normalized */
  int         target;
  int         prio;     /* higher wins when two columns give the same field */
} Alias;

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

typedef struct
{
  CrmImportFormat  format;
  CrmImportKind    kind;
  const char      *signature[7];   /* normalized headers that must all be present */
  const Alias     *aliases;
  guint            n_aliases;
  const char      *source;         /* customers' source channel when not mapped */
} Preset;

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

/* ---- the object ----------------------------------------------------------------------- */

typedef struct
{
  guint64 h;
  gint64  id;
} KeySlot;

typedef struct
{
  KeySlot *slots;
  gsize    mask;
  gsize    n;
} KeyTable;

struct _CrmImporter
{
  GObject            parent_instance;

  CrmStore          *store;
  CrmImportKind      kind;
  char              *path;

  CrmCsvEncoding     encoding_req;
  char               delimiter_req;
  CrmCsvHeaderMode   header_req;

  gboolean           prepared;
  gboolean           is_vcard;
  CrmCsvEncoding     encoding;
  char               delimiter;
  gboolean           has_header;
  CrmImportFormat    format;
  const Preset      *preset;
  char             **columns;
  guint              n_columns;
  GPtrArray         *preview;
  int               *plan;           /* per column: target or -1 */
  int               *prio;
  gboolean           remembered;
  gsize              preview_bytes;
  guint              preview_rows;

  CrmDuplicatePolicy policy;
  gboolean           decimal_comma;
  CrmDateOrder       date_order;
  char              *currency;
  char              *rejects_path;

  CrmImportReport    report;
  GArray            *rejects;        /* CrmImportReject */
};

G_DEFINE_FINAL_TYPE (CrmImporter, crm_importer, G_TYPE_OBJECT)

static void
clear_reject (gpointer data)
{
  CrmImportReject *r = data;

  g_free (r->column_name);
  g_free (r->reason);
}

static void
crm_importer_finalize (GObject *object)
{
  CrmImporter *self = CRM_IMPORTER (object);

  g_clear_object (&self->store);
  g_free (self->path);
  g_strfreev (self->columns);
  g_clear_pointer (&self->preview, g_ptr_array_unref);
  g_free (self->plan);
  g_free (self->prio);
  g_free (self->currency);
  g_free (self->rejects_path);
  g_array_unref (self->rejects);

  G_OBJECT_CLASS (crm_importer_parent_class)->finalize (object);
}

static void
crm_importer_class_init (CrmImporterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = crm_importer_finalize;
}

static void
crm_importer_init (CrmImporter *self)
{
  self->rejects = g_array_new (FALSE, TRUE, sizeof (CrmImportReject));
  g_array_set_clear_func (self->rejects, clear_reject);
  self->policy = CRM_DUPLICATE_SKIP;
  self->date_order = CRM_DATE_MONTH_FIRST;
}

CrmImporter *
crm_importer_new (CrmStore      *store,
                  CrmImportKind  kind,
                  const char    *path)
{
  CrmImporter *self;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (CRM_TYPE_IMPORTER, NULL);
  self->store = g_object_ref (store);
  self->kind = kind;
  self->path = g_strdup (path);
  return self;
}

void
crm_importer_set_encoding (CrmImporter    *self,
                           CrmCsvEncoding  encoding)
{
  self->encoding_req = encoding;
  self->prepared = FALSE;
}

void
crm_importer_set_delimiter (CrmImporter *self,
                            char         delimiter)
{
  self->delimiter_req = delimiter;
  self->prepared = FALSE;
}

void
crm_importer_set_header_mode (CrmImporter      *self,
                              CrmCsvHeaderMode  mode)
{
  self->header_req = mode;
  self->prepared = FALSE;
}

void
crm_importer_set_duplicate_policy (CrmImporter        *self,
                                   CrmDuplicatePolicy  policy)
{
  self->policy = policy;
}

void
crm_importer_set_decimal_comma (CrmImporter *self,
                                gboolean     decimal_comma)
{
  self->decimal_comma = decimal_comma;
}

void
crm_importer_set_date_order (CrmImporter  *self,
                             CrmDateOrder  order)
{
  self->date_order = order;
}

void
crm_importer_set_currency (CrmImporter *self,
                           const char  *currency)
{
  g_free (self->currency);
  self->currency = currency ? g_ascii_strup (currency, -1) : NULL;
}

void
crm_importer_set_rejects_path (CrmImporter *self,
                               const char  *path)
{
  g_free (self->rejects_path);
  self->rejects_path = g_strdup (path);
}

CrmCsvEncoding
crm_importer_get_encoding (CrmImporter *self)
{
  return self->encoding;
}

char
crm_importer_get_delimiter (CrmImporter *self)
{
  return self->delimiter;
}

gboolean
crm_importer_get_has_header (CrmImporter *self)
{
  return self->has_header;
}

CrmImportFormat
crm_importer_get_format (CrmImporter *self)
{
  return self->format;
}

const char * const *
crm_importer_get_columns (CrmImporter *self,
                          guint       *n_columns)
{
  if (n_columns != NULL)
    *n_columns = self->n_columns;
  return (const char * const *) self->columns;
}

GPtrArray *
crm_importer_get_preview (CrmImporter *self)
{
  return self->preview;
}

gboolean
crm_importer_get_mapping_remembered (CrmImporter *self)
{
  return self->remembered;
}

const CrmImportReport *
crm_importer_get_report (CrmImporter *self)
{
  return &self->report;
}

guint
crm_importer_get_n_rejects (CrmImporter *self)
{
  return self->rejects->len;
}

const CrmImportReject *
crm_importer_get_reject (CrmImporter *self,
                         guint        index)
{
  g_return_val_if_fail (index < self->rejects->len, NULL);
  return &g_array_index (self->rejects, CrmImportReject, index);
}

/* ---- mapping ------------------------------------------------------------------------------ */

static char *
header_hash (CrmImporter *self)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (sum, (const guchar *) (self->kind == CRM_IMPORT_CUSTOMERS ? "customers" : "orders"), -1);
  for (guint i = 0; i < self->n_columns; i++)
    {
      g_checksum_update (sum, (const guchar *) "\x1f", 1);
      g_checksum_update (sum, (const guchar *) self->columns[i], -1);
    }
  return g_strdup (g_checksum_get_string (sum));
}

static void
apply_aliases (CrmImporter  *self,
               const Alias  *aliases,
               guint         n_aliases)
{
  for (guint c = 0; c < self->n_columns; c++)
    {
      g_autofree char *norm = normalize_header (self->columns[c]);

      self->plan[c] = -1;
      self->prio[c] = 0;
      for (guint a = 0; a < n_aliases; a++)
        if (g_str_equal (norm, aliases[a].header))
          {
            self->plan[c] = aliases[a].target;
            self->prio[c] = aliases[a].prio;
            break;
          }
    }
}

/* A remembered mapping: {"Header": "field", ...}; columns not named stay ignored. */
static gboolean
load_remembered (CrmImporter *self)
{
  g_autofree char *hash = header_hash (self);
  g_autoptr(JsonParser) parser = json_parser_new ();
  sqlite3_stmt *stmt;
  g_autofree char *json = NULL;
  JsonObject *obj;

  stmt = crm_store_prepare (self->store, "SELECT mapping FROM import_mappings WHERE header_hash = ?", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    json = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;

  obj = json_node_get_object (json_parser_get_root (parser));
  for (guint c = 0; c < self->n_columns; c++)
    {
      const char *field = json_object_has_member (obj, self->columns[c])
                          ? json_object_get_string_member (obj, self->columns[c]) : NULL;
      int t = field ? target_from_name (self->kind, field) : -1;

      self->plan[c] = t;
      self->prio[c] = 1;
    }
  return TRUE;
}

static gboolean
save_mapping (CrmImporter  *self,
              GError      **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *hash = header_hash (self);
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;
  int rc;

  json_builder_begin_object (b);
  for (guint c = 0; c < self->n_columns; c++)
    if (self->plan[c] >= 0)
      {
        json_builder_set_member_name (b, self->columns[c]);
        json_builder_add_string_value (b, target_name (self->kind, self->plan[c]));
      }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json = json_generator_to_data (gen, NULL);

  stmt = crm_store_prepare (self->store,
                            "INSERT OR REPLACE INTO import_mappings (header_hash, kind, mapping, updated_at)"
                            " VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, self->kind == CRM_IMPORT_CUSTOMERS ? "customers" : "orders", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, crm_now_ms ());
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (self->store, rc, error);
  return TRUE;
}

const char *
crm_importer_get_mapping (CrmImporter *self,
                          guint        column)
{
  g_return_val_if_fail (column < self->n_columns, NULL);
  return self->plan[column] >= 0 ? target_name (self->kind, self->plan[column]) : NULL;
}

gboolean
crm_importer_set_mapping (CrmImporter  *self,
                          guint         column,
                          const char   *field,
                          GError      **error)
{
  int t;

  g_return_val_if_fail (self->prepared, FALSE);
  if (column >= self->n_columns)
    {
      g_set_error (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_BAD_MAPPING,
                   _("The file has no column %u"), column + 1);
      return FALSE;
    }
  if (field == NULL || *field == '\0')
    {
      self->plan[column] = -1;
      return TRUE;
    }
  t = target_from_name (self->kind, field);
  if (t < 0)
    {
      g_autofree char *known = g_strjoinv (", ", (char **) crm_import_get_fields (self->kind, NULL));
      g_set_error (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_BAD_MAPPING,
                   _("“%s” is not a field that can be imported; use one of: %s"), field, known);
      return FALSE;
    }
  self->plan[column] = t;
  /* A choice made by hand wins over the columns mapped automatically. */
  self->prio[column] = 10;
  return TRUE;
}

gboolean
crm_importer_set_mapping_string (CrmImporter  *self,
                                 const char   *spec,
                                 GError      **error)
{
  g_auto(GStrv) pairs = g_strsplit (spec, ",", -1);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *eq, *source, *field;
      guint c;

      if (g_strstrip (pairs[i])[0] == '\0')
        continue;
      eq = strrchr (pairs[i], '=');
      if (eq == NULL)
        {
          g_set_error (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_BAD_MAPPING,
                       _("“%s” is not a mapping: write “Source column=field”"), pairs[i]);
          return FALSE;
        }
      *eq = '\0';
      source = g_strstrip (pairs[i]);
      field = g_strstrip (eq + 1);
      for (c = 0; c < self->n_columns; c++)
        if (g_str_equal (self->columns[c], source))
          break;
      if (c == self->n_columns)
        {
          g_set_error (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_BAD_MAPPING,
                       _("The file has no column “%s”"), source);
          return FALSE;
        }
      if (!crm_importer_set_mapping (self, c, field, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- prepare ------------------------------------------------------------------------------ */

static gboolean
file_is_vcard (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  char buf[256];
  gssize n;
  const char *p;

  if (g_str_has_suffix (path, ".vcf") || g_str_has_suffix (path, ".vcard"))
    return TRUE;
  if (in == NULL || (n = g_input_stream_read (G_INPUT_STREAM (in), buf, sizeof buf - 1, NULL, NULL)) <= 0)
    return FALSE;
  buf[n] = '\0';
  p = buf;
  if (g_str_has_prefix (p, "\xef\xbb\xbf"))
    p += 3;
  while (*p == ' ' || *p == '\r' || *p == '\n')
    p++;
  return g_ascii_strncasecmp (p, "BEGIN:VCARD", 11) == 0;
}

static CrmCsvReader *
open_reader (CrmImporter  *self,
             GError      **error)
{
  CrmCsvReader *reader = crm_csv_reader_new_for_path (self->path, error);

  if (reader == NULL)
    return NULL;
  crm_csv_reader_set_encoding (reader, self->encoding_req);
  crm_csv_reader_set_delimiter (reader, self->delimiter_req);
  crm_csv_reader_set_header_mode (reader, self->header_req);
  return reader;
}

gboolean
crm_importer_prepare (CrmImporter   *self,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(CrmCsvReader) reader = NULL;
  g_autoptr(GError) local_error = NULL;
  const char * const *header;
  guint n_header = 0;
  gboolean got_row;

  g_strfreev (self->columns);
  self->columns = NULL;
  g_clear_pointer (&self->preview, g_ptr_array_unref);
  g_clear_pointer (&self->plan, g_free);
  g_clear_pointer (&self->prio, g_free);
  self->preview = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  self->remembered = FALSE;
  self->preset = NULL;
  self->format = CRM_IMPORT_FORMAT_GENERIC;
  self->preview_bytes = 0;
  self->preview_rows = 0;

  if (self->kind == CRM_IMPORT_CUSTOMERS && file_is_vcard (self->path))
    {
      guint n;
      const char * const *cols = crm_vcard_columns (&n);

      self->is_vcard = TRUE;
      self->format = CRM_IMPORT_FORMAT_VCARD;
      self->encoding = CRM_CSV_ENCODING_UTF8;
      self->has_header = TRUE;
      self->columns = g_strdupv ((char **) cols);
      self->n_columns = n;
      self->plan = g_new (int, n);
      self->prio = g_new (int, n);
      for (guint c = 0; c < n; c++)
        {
          self->plan[c] = target_from_name (CRM_IMPORT_CUSTOMERS, cols[c]);
          self->prio[c] = 1;
        }
      self->prepared = TRUE;
      return TRUE;
    }
  self->is_vcard = FALSE;

  if (!(reader = open_reader (self, error)))
    return FALSE;

  got_row = crm_csv_reader_next (reader, cancellable, &local_error);
  if (!got_row && crm_csv_reader_is_finished (reader) && local_error != NULL &&
      !g_error_matches (local_error, CRM_CSV_ERROR, CRM_CSV_ERROR_UNTERMINATED_QUOTE))
    {
      if (local_error->domain != CRM_CSV_ERROR)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_set_error (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_NO_HEADER,
                   _("The first row of the file cannot be read: %s"), local_error->message);
      return FALSE;
    }

  self->encoding = crm_csv_reader_get_encoding (reader);
  self->delimiter = crm_csv_reader_get_delimiter (reader);
  self->has_header = crm_csv_reader_get_has_header (reader);
  header = crm_csv_reader_get_header (reader, &n_header);

  if (self->has_header && header == NULL)
    {
      g_set_error (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_NO_HEADER,
                   _("The file is empty or its header row cannot be read%s%s"),
                   local_error ? ": " : "", local_error ? local_error->message : "");
      return FALSE;
    }

  /* Preview rows (bad ones are left out of the preview; the run reports them). */
  for (;;)
    {
      if (got_row)
        {
          guint n;
          const char * const *fields = crm_csv_reader_get_fields (reader, &n);

          g_ptr_array_add (self->preview, g_strdupv ((char **) fields));
          self->preview_rows++;
        }
      g_clear_error (&local_error);
      if (self->preview->len >= PREVIEW_ROWS || crm_csv_reader_is_finished (reader))
        break;
      got_row = crm_csv_reader_next (reader, cancellable, &local_error);
      if (!got_row && local_error == NULL)
        break;
    }
  self->preview_bytes = crm_csv_reader_get_bytes_read (reader);

  if (self->has_header)
    {
      self->columns = g_strdupv ((char **) header);
      self->n_columns = n_header;
    }
  else
    {
      guint n = 0;

      for (guint i = 0; i < self->preview->len; i++)
        n = MAX (n, g_strv_length (g_ptr_array_index (self->preview, i)));
      self->n_columns = n;
      self->columns = g_new0 (char *, n + 1);
      for (guint i = 0; i < n; i++)
        self->columns[i] = g_strdup_printf (_("Column %u"), i + 1);
    }

  self->plan = g_new (int, MAX (self->n_columns, 1));
  self->prio = g_new (int, MAX (self->n_columns, 1));

  /* A known export? */
  if (self->has_header)
    {
      g_autoptr(GHashTable) norm = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      for (guint c = 0; c < self->n_columns; c++)
        g_hash_table_add (norm, normalize_header (self->columns[c]));
      for (guint p = 0; p < G_N_ELEMENTS (presets) && self->preset == NULL; p++)
        {
          gboolean all = presets[p].kind == self->kind;

          for (guint s = 0; all && presets[p].signature[s]; s++)
            all = g_hash_table_contains (norm, presets[p].signature[s]);
          if (all)
            self->preset = &presets[p];
        }
    }

  if (self->preset != NULL)
    {
      self->format = self->preset->format;
      apply_aliases (self, self->preset->aliases, self->preset->n_aliases);
    }
  else if (self->kind == CRM_IMPORT_CUSTOMERS)
    apply_aliases (self, generic_customer_aliases, G_N_ELEMENTS (generic_customer_aliases));
  else
    apply_aliases (self, generic_order_aliases, G_N_ELEMENTS (generic_order_aliases));

  if (self->has_header && load_remembered (self))
    self->remembered = TRUE;

  self->prepared = TRUE;
  return TRUE;
}

/* ---- cell parsers ---------------------------------------------------------------------------- */

static inline gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Spreadsheet apostrophe: Shopify writes '+86 138…, '0123 and our writer '=… so a
 * spreadsheet keeps them as text; the apostrophe is not part of the value. */
static const char *
strip_apostrophe (const char *s)
{
  if (s[0] == '\'' && s[1] != '\0' &&
      (g_ascii_isdigit (s[1]) || crm_csv_cell_needs_neutralizing (s + 1) || s[1] == '+' || s[1] == '-'))
    return s + 1;
  return s;
}

static gboolean
ascii_eq (const char *a,
          const char *b)
{
  return g_ascii_strcasecmp (a, b) == 0;
}

/* 1 true, 0 false, -1 not a yes/no. */
static int
parse_bool (const char *s)
{
  static const char *yes[] = { "true", "yes", "y", "1", "t", "x", "是", "subscribed", "opt-in",
                               "opted_in", "on", "checked", "✓" };
  static const char *no[] = { "false", "no", "n", "0", "f", "否", "not_subscribed", "unsubscribed",
                              "opt-out", "off", "pending", "invalid", "redacted", "not subscribed" };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    if (ascii_eq (s, yes[i]))
      return 1;
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    if (ascii_eq (s, no[i]))
      return 0;
  return -1;
}

static int
parse_gender (const char *s)
{
  static const struct { const char *text; int value; } map[] = {
    { "female", CRM_GENDER_FEMALE }, { "f", CRM_GENDER_FEMALE }, { "woman", CRM_GENDER_FEMALE },
    { "w", CRM_GENDER_FEMALE }, { "女", CRM_GENDER_FEMALE }, { "女士", CRM_GENDER_FEMALE },
    { "女性", CRM_GENDER_FEMALE }, { "male", CRM_GENDER_MALE }, { "m", CRM_GENDER_MALE },
    { "man", CRM_GENDER_MALE }, { "男", CRM_GENDER_MALE }, { "先生", CRM_GENDER_MALE },
    { "男性", CRM_GENDER_MALE }, { "other", CRM_GENDER_OTHER }, { "o", CRM_GENDER_OTHER },
    { "x", CRM_GENDER_OTHER }, { "diverse", CRM_GENDER_OTHER }, { "non-binary", CRM_GENDER_OTHER },
    { "其他", CRM_GENDER_OTHER }, { "unknown", CRM_GENDER_UNKNOWN }, { "u", CRM_GENDER_UNKNOWN },
    { "n/a", CRM_GENDER_UNKNOWN }, { "未知", CRM_GENDER_UNKNOWN }, { "保密", CRM_GENDER_UNKNOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (ascii_eq (s, map[i].text))
      return map[i].value;
  return -1;
}

static gint64
days_from_civil (gint64 y,
                 unsigned m,
                 unsigned d)
{
  gint64 era;
  unsigned yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = (unsigned) (y - era * 400);
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (gint64) doe - 719468;
}

static const char *
read_uint (const char *p,
           guint      *out,
           guint      *n_digits)
{
  guint v = 0, n = 0;

  while (g_ascii_isdigit (*p) && n < 9)
    {
      v = v * 10 + (*p - '0');
      p++;
      n++;
    }
  *out = v;
  *n_digits = n;
  return p;
}

gboolean
crm_import_parse_date (const char   *text,
                       CrmDateOrder  order,
                       gboolean      utc_if_no_zone,
                       gint64       *out_ms,
                       char          out_iso_date[11])
{
  const char *p = text;
  guint a, b, c, na, nb, nc, y, m, d;
  guint hh = 0, mi = 0, ss = 0, ms = 0, n;
  gboolean have_zone = FALSE;
  int zone_sign = 1;
  guint zh = 0, zm = 0;
  char sep;

  while (is_space (*p))
    p++;
  p = read_uint (p, &a, &na);
  if (na == 0)
    return FALSE;

  if (na == 4 || na == 8)
    {
      if (na == 8)
        {
          /* 20240305 */
          y = a / 10000;
          m = a / 100 % 100;
          d = a % 100;
        }
      else
        {
          y = a;
          if (g_str_has_prefix (p, "年"))
            p += strlen ("年");
          else if (*p == '-' || *p == '/' || *p == '.')
            sep = *p++;
          else
            return FALSE;
          p = read_uint (p, &m, &nb);
          if (nb == 0 || nb > 2)
            return FALSE;
          if (g_str_has_prefix (p, "月"))
            p += strlen ("月");
          else if (*p == '-' || *p == '/' || *p == '.')
            p++;
          else
            return FALSE;
          p = read_uint (p, &d, &nc);
          if (nc == 0 || nc > 2)
            return FALSE;
          if (g_str_has_prefix (p, "日"))
            p += strlen ("日");
          else if (g_str_has_prefix (p, "号"))
            p += strlen ("号");
        }
    }
  else if (na <= 2)
    {
      gboolean day_first;

      sep = *p;
      if (sep != '/' && sep != '.' && sep != '-')
        return FALSE;
      p = read_uint (p + 1, &b, &nb);
      if (nb == 0 || nb > 2 || *p != sep)
        return FALSE;
      p = read_uint (p + 1, &c, &nc);
      if (nc != 4 && nc != 2)
        return FALSE;
      y = nc == 4 ? c : (c < 70 ? 2000 + c : 1900 + c);
      if (sep == '.')
        day_first = TRUE;            /* 05.03.2024: German style is always day first */
      else if (a > 12)
        day_first = TRUE;
      else if (b > 12)
        day_first = FALSE;
      else
        day_first = order == CRM_DATE_DAY_FIRST;
      d = day_first ? a : b;
      m = day_first ? b : a;
    }
  else
    return FALSE;

  if (y < 1000 || y > 9999 || !g_date_valid_dmy (d, m, y))
    return FALSE;

  /* Time of day. */
  if (*p == 'T' || *p == ' ' || *p == 't')
    {
      const char *q = p + 1;

      while (*q == ' ')
        q++;
      if (g_ascii_isdigit (*q))
        {
          q = read_uint (q, &hh, &n);
          if (n == 0 || n > 2 || *q != ':')
            return FALSE;
          q = read_uint (q + 1, &mi, &n);
          if (n != 2)
            return FALSE;
          if (*q == ':')
            {
              q = read_uint (q + 1, &ss, &n);
              if (n != 2)
                return FALSE;
              if (*q == '.' || *q == ',')
                {
                  guint frac, nf;
                  q = read_uint (q + 1, &frac, &nf);
                  ms = nf >= 3 ? frac / (nf == 3 ? 1 : nf == 4 ? 10 : nf == 5 ? 100 : nf == 6 ? 1000 : 1000000) : frac * (nf == 1 ? 100 : 10);
                  while (g_ascii_isdigit (*q))
                    q++;
                }
            }
          while (*q == ' ')
            q++;
          if (g_ascii_strncasecmp (q, "pm", 2) == 0 || g_ascii_strncasecmp (q, "am", 2) == 0)
            {
              if (hh == 0 || hh > 12)
                return FALSE;
              if (g_ascii_tolower (q[0]) == 'p' && hh != 12)
                hh += 12;
              else if (g_ascii_tolower (q[0]) == 'a' && hh == 12)
                hh = 0;
              q += 2;
            }
          if (hh > 23 || mi > 59 || ss > 60)
            return FALSE;
          p = q;
        }
    }

  while (*p == ' ')
    p++;
  if (*p == 'Z' || *p == 'z')
    {
      have_zone = TRUE;
      p++;
    }
  else if (g_ascii_strncasecmp (p, "UTC", 3) == 0 || g_ascii_strncasecmp (p, "GMT", 3) == 0)
    {
      have_zone = TRUE;
      p += 3;
    }
  if (*p == '+' || *p == '-')
    {
      have_zone = TRUE;
      zone_sign = *p == '-' ? -1 : 1;
      p = read_uint (p + 1, &zh, &n);
      if (n == 4)
        {
          zm = zh % 100;
          zh /= 100;
        }
      else if (n == 1 || n == 2)
        {
          if (*p == ':')
            {
              p = read_uint (p + 1, &zm, &n);
              if (n != 2)
                return FALSE;
            }
        }
      else
        return FALSE;
      if (zh > 14 || zm > 59)
        return FALSE;
    }
  while (is_space (*p))
    p++;
  if (*p != '\0')
    return FALSE;

  if (out_iso_date != NULL)
    g_snprintf (out_iso_date, 11, "%04u-%02u-%02u", y, m, d);

  if (out_ms != NULL)
    {
      if (have_zone || utc_if_no_zone)
        {
          gint64 secs = days_from_civil (y, m, d) * 86400 + hh * 3600 + mi * 60 + MIN (ss, 59);
          secs -= zone_sign * (gint64) (zh * 3600 + zm * 60);
          *out_ms = secs * 1000 + ms;
        }
      else
        {
          g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
          g_autoptr(GDateTime) dt = g_date_time_new (tz, y, m, d, hh, mi, MIN (ss, 59));

          if (dt == NULL)
            return FALSE;
          *out_ms = g_date_time_to_unix (dt) * 1000 + ms;
        }
    }
  return TRUE;
}

/* ---- key table (bulk mode duplicate detection) -------------------------------------------------- */

static guint64
key_hash (char        kind,
          const char *key)
{
  guint64 h = 0xcbf29ce484222325ULL ^ (guchar) kind;

  h *= 0x100000001b3ULL;
  for (const guchar *p = (const guchar *) key; *p; p++)
    {
      h ^= *p;
      h *= 0x100000001b3ULL;
    }
  /* splitmix64 finaliser: FNV alone leaves the low bits (the slot) poorly mixed. */
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h ? h : 1;
}

static void key_table_add (KeyTable *t, guint64 h, gint64 id);

static void
key_table_grow (KeyTable *t)
{
  KeyTable old = *t;
  gsize cap = old.slots ? (old.mask + 1) * 2 : 1 << 16;

  t->slots = g_new0 (KeySlot, cap);
  t->mask = cap - 1;
  t->n = 0;
  for (gsize i = 0; old.slots && i <= old.mask; i++)
    if (old.slots[i].h)
      key_table_add (t, old.slots[i].h, old.slots[i].id);
  g_free (old.slots);
}

/* Several ids may share a key (create-anyway): the first added is found first. */
static void
key_table_add (KeyTable *t,
               guint64   h,
               gint64    id)
{
  gsize i;

  if (t->slots == NULL || (t->n + 1) * 4 > (t->mask + 1) * 3)
    key_table_grow (t);
  for (i = h & t->mask; t->slots[i].h; i = (i + 1) & t->mask)
    ;
  t->slots[i].h = h;
  t->slots[i].id = id;
  t->n++;
}

/* Calls @check for each id stored under @h until it returns TRUE; returns that id or 0. */
static gint64
key_table_find (KeyTable  *t,
                guint64    h,
                gboolean (*check) (gpointer data, gint64 id),
                gpointer   data)
{
  if (t->slots == NULL)
    return 0;
  for (gsize i = h & t->mask; t->slots[i].h; i = (i + 1) & t->mask)
    if (t->slots[i].h == h && check (data, t->slots[i].id))
      return t->slots[i].id;
  return 0;
}

/* ---- the run -------------------------------------------------------------------------------------- */

/* Small per-row arena for the few values that need a copy (trimmed, composed names). */
typedef struct
{
  char  *buf;
  gsize  len;
  gsize  alloc;
  GPtrArray *big;
} Arena;

static const char *
arena_dup (Arena      *a,
           const char *s,
           gsize       n)
{
  char *out;

  if (a->len + n + 1 > a->alloc)
    {
      /* Pointers already handed out stay valid: large or overflowing values get their own block. */
      out = g_malloc (n + 1);
      g_ptr_array_add (a->big, out);
    }
  else
    {
      out = a->buf + a->len;
      a->len += n + 1;
    }
  memcpy (out, s, n);
  out[n] = '\0';
  return out;
}

static void
arena_reset (Arena *a)
{
  a->len = 0;
  if (a->big->len > 0)
    g_ptr_array_set_size (a->big, 0);
}

typedef struct
{
  const char *v[T_N];
  int         col[T_N];    /* source column of each value (for reject reports) */
  int         prio[T_N];
} Values;

/* Distinct short-query terms (or tags) of a run: customer_terms and customer_tags rows are
 * kept as (term index, customer) pairs and written in key order at the end, so the B-tree is
 * appended to instead of being written at a random place 4–6 times per customer. */
typedef struct
{
  GHashTable   *ids;       /* term → its index + 1 */
  GStringChunk *chunk;
  GPtrArray    *strings;   /* index → term */
} TermDict;

static void
term_dict_init (TermDict *d)
{
  d->ids = g_hash_table_new (g_str_hash, g_str_equal);
  d->chunk = g_string_chunk_new (64 * 1024);
  d->strings = g_ptr_array_new ();
}

static void
term_dict_clear (TermDict *d)
{
  g_clear_pointer (&d->ids, g_hash_table_unref);
  g_clear_pointer (&d->chunk, g_string_chunk_free);
  g_clear_pointer (&d->strings, g_ptr_array_unref);
}

static guint32
term_dict_intern (TermDict   *d,
                  const char *term,
                  gsize       len)
{
  char buf[256];
  g_autofree char *heap = NULL;
  char *key = len < sizeof buf ? buf : (heap = g_malloc (len + 1));
  gpointer found;
  char *stored;

  memcpy (key, term, len);
  key[len] = '\0';
  if ((found = g_hash_table_lookup (d->ids, key)) != NULL)
    return GPOINTER_TO_UINT (found) - 1;
  stored = g_string_chunk_insert_len (d->chunk, term, len);
  g_ptr_array_add (d->strings, stored);
  g_hash_table_insert (d->ids, stored, GUINT_TO_POINTER (d->strings->len));
  return d->strings->len - 1;
}

/* A customer the run added, and the stage the file gave it (0: none). */
typedef struct
{
  gint64 id;
  gint32 stage;
} NewState;

typedef struct
{
  CrmImporter   *self;
  CrmStore      *store;
  sqlite3       *db;
  GCancellable  *cancellable;
  CrmImportProgress progress;
  gpointer       user_data;

  gboolean       bulk;
  gboolean       fts_by_trigger;     /* bench knob: keep the per-row FTS trigger */
  gboolean       journal;
  gint64         first_new_id;
  gint64         next_id;
  gint64         now;
  guint          exponent;
  char          *fts_cols;           /* ", name, company, …" */
  KeyTable       keys;
  GHashTable    *deleted_uuids;      /* bulk mode: uuids of deleted customers, which stay taken */
  gboolean       committed;          /* the rows are saved; the search index is being filled */
  TermDict       term_dict;
  TermDict       tag_dict;
  GArray        *term_rows;          /* guint64: term index << 32 | (customer id - first_new_id) */
  GArray        *tag_rows;
  GHashTable    *stale_terms;        /* new customers whose terms an update rewrote already */
  GArray        *new_states;         /* NewState: the customers added, for add_state_rows() */
  sqlite3_stmt  *insert_stmt;        /* cached: the SQL is looked up once, not per row */
  sqlite3_stmt  *journal_stmt;
  gint           stop;               /* reading thread: stop at the next batch */
  GHashTable    *touched_customers;  /* orders: ids whose aggregates need an update */
  Arena          arena;
  guint          max_chars[T_N_CUSTOMER];

  CrmCsvWriter  *rejects;
  char          *rejects_partial;
  guint64        uuid_counter;
  gint64         last_uuid_ms;
  guint64        rows;
  guint64        bytes_total;
  gint64         t_start;
  gint64         t_last_progress;
  CrmCsvReader  *reader;
  guint64        vcard_bytes;

  /* The row being imported (for reject reports). */
  guint64        line;
  const char * const *cells;
  guint          n_cells;
  const char    *raw_text;            /* vCard: the card as read */
} Run;

typedef enum
{
  ROW_INSERTED,
  ROW_UPDATED,
  ROW_SKIPPED,
  ROW_REJECTED,
} RowResult;

/* Rejects: kept in memory (up to a limit) and written to the rejects file. */
static gboolean
reject_cells (Run                 *run,
              guint64              line,
              const char * const  *cells,
              guint                n_cells,
              const char          *raw_text,
              int                  column,
              const char          *reason,
              GError             **error)
{
  CrmImporter *self = run->self;

  self->report.rejected++;
  if (self->rejects->len < MAX_KEPT_REJECTS)
    {
      CrmImportReject r = { line, column, NULL, g_strdup (reason) };

      if (column >= 0 && (guint) column < self->n_columns)
        r.column_name = g_strdup (self->columns[column]);
      g_array_append_val (self->rejects, r);
    }

  if (run->rejects_partial != NULL && self->is_vcard)
    {
      /* The card as read, with the reason in a property every reader ignores. */
      g_autoptr(GString) s = g_string_new (raw_text ? raw_text : "BEGIN:VCARD\r\nVERSION:3.0\r\n");
      g_autofree char *esc = crm_vcard_escape (reason);

      /* Drop the card's own END:VCARD (and trailing line ends) to add the reason before it. */
      while (s->len > 0 && (s->str[s->len - 1] == '\n' || s->str[s->len - 1] == '\r'))
        g_string_truncate (s, s->len - 1);
      if (s->len >= 9 && g_ascii_strcasecmp (s->str + s->len - 9, "END:VCARD") == 0)
        g_string_truncate (s, s->len - 9);
      else
        g_string_append (s, "\r\n");
      while (s->len > 0 && (s->str[s->len - 1] == '\n' || s->str[s->len - 1] == '\r'))
        g_string_truncate (s, s->len - 1);
      g_string_append (s, "\r\n");
      g_string_append_printf (s, "X-CLIENTELE-REJECTED:%s\r\nEND:VCARD\r\n", esc);
      /* crm_csv_writer is for CSV; a vCard rejects file is written as plain text. */
      {
        g_autoptr(GFile) f = g_file_new_for_path (run->rejects_partial);
        g_autoptr(GFileOutputStream) out = g_file_append_to (f, G_FILE_CREATE_PRIVATE, NULL, error);

        if (out == NULL ||
            !g_output_stream_write_all (G_OUTPUT_STREAM (out), s->str, s->len, NULL, NULL, error))
          return FALSE;
      }
      return TRUE;
    }

  if (run->rejects != NULL)
    {
      g_autofree const char **row = g_new0 (const char *, self->n_columns + 2);
      g_autofree char *where = NULL;

      for (guint i = 0; i < self->n_columns; i++)
        row[i] = cells != NULL && i < n_cells ? cells[i] : "";
      if (cells == NULL)
        where = g_strdup_printf (_("Line %" PRIu64 ": %s"), line, reason);
      row[self->n_columns] = where ? where : reason;
      if (!crm_csv_writer_write_record (run->rejects, row, self->n_columns + 1, NULL, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
reject (Run         *run,
        int          column,
        const char  *reason,
        GError     **error)
{
  return reject_cells (run, run->line, run->cells, run->n_cells, run->raw_text, column, reason, error);
}

static gboolean
step_done (Run           *run,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      if (rc == SQLITE_INTERRUPT && g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;
      return crm_store_set_error (run->store, rc, error);
    }
  return TRUE;
}

/* A lifecycle stage from the file, into the customer's state row, made if need be (see
 * add_state_rows()).  sqlite3_changes() says whether it changed. */
static gboolean
set_stage (Run     *run,
           gint64   id,
           int      stage,
           GError **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (run->store,
    "INSERT INTO customer_state (customer_id, lifecycle) VALUES (?2, ?1)"
    " ON CONFLICT (customer_id) DO UPDATE SET lifecycle = ?1 WHERE lifecycle <> ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, stage);
  sqlite3_bind_int64 (stmt, 2, id);

  return step_done (run, stmt, error);
}

static void
make_uuid (Run  *run,
           char  out[37])
{
  /* Version 7 (RFC 9562): time first, so the UNIQUE(uuid) index is appended to. */
  gint64 ms = run->now;
  guint8 b[16];
  guint64 rnd = g_random_int () | ((guint64) g_random_int () << 32);
  guint64 counter = run->uuid_counter++;

  b[0] = ms >> 40; b[1] = ms >> 32; b[2] = ms >> 24; b[3] = ms >> 16; b[4] = ms >> 8; b[5] = ms;
  b[6] = 0x70 | ((counter >> 36) & 0x0f);
  b[7] = counter >> 28;
  b[8] = 0x80 | ((counter >> 22) & 0x3f);
  b[9] = counter >> 14;
  b[10] = counter >> 6;
  b[11] = (counter << 2) | (rnd & 3);
  b[12] = rnd >> 8; b[13] = rnd >> 16; b[14] = rnd >> 24; b[15] = rnd >> 32;
  g_snprintf (out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
              b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
              b[13], b[14], b[15]);
}

/* Values of a row: the best (highest priority, then leftmost) non-empty cell per target. */
static void
collect_values (Run                 *run,
                Arena               *arena,
                const char * const  *cells,
                guint                n_cells,
                Values              *v)
{
  CrmImporter *self = run->self;

  memset (v->v, 0, sizeof v->v);
  for (guint c = 0; c < self->n_columns && c < n_cells; c++)
    {
      int t = self->plan[c];
      const char *s;
      gsize len;

      if (t < 0)
        continue;
      s = cells[c];
      while (*s == ' ' || *s == '\t')
        s++;
      if (*s == '\0')
        continue;
      if (v->v[t] != NULL && v->prio[t] >= self->prio[c])
        continue;
      /* Ids, phone numbers and postal codes: Shopify quotes them all ('K1A 0B1). */
      if (s[0] == '\'' && s[1] != '\0' &&
          (t == T_PHONE || t == T_POSTAL_CODE || t == T_EXTERNAL_ID || t == T_O_EXTERNAL_ID || t == T_O_NUMBER))
        s++;
      else
        s = strip_apostrophe (s);
      len = strlen (s);
      /* Trailing blanks: not for notes, whose line breaks are the user's. */
      if (t != T_NOTES && t != T_O_NOTES && len > 0 && is_space (s[len - 1]))
        {
          while (len > 0 && is_space (s[len - 1]))
            len--;
          s = arena_dup (arena, s, len);
        }
      if (*s == '\0')
        continue;
      v->v[t] = s;
      v->col[t] = c;
      v->prio[t] = self->prio[c];
    }
}

typedef struct
{
  /* Parsed customer fields ready to bind. */
  const char *uuid;
  const char *name;
  int         gender;
  char        birthday[11];
  gboolean    has_birthday;
  int         email_consent;
  gint64      email_consent_at;
  int         sms_consent;
  gint64      sms_consent_at;
  gint64      created_at;
  int         lifecycle;
  const char *address;
  char       *phone_key;
  char       *phone_rev;
  char       *email_key;
  /* Short-query terms and tags, interned by the reading thread (terms_ready), else NULL. */
  gboolean        terms_ready;
  const guint32  *term_ids;
  guint           n_terms;
  const guint32  *tag_ids;
  guint           n_tags;
} Customer;

static void
customer_clear (Customer *c)
{
  g_free (c->phone_key);
  g_free (c->phone_rev);
  g_free (c->email_key);
  memset (c, 0, sizeof *c);
}

static gboolean
all_cjk (const char *s)
{
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    if (!crm_text_is_cjk (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* Checks and converts the customer part of @v; on a bad value sets *col and returns a reason. */
static char *
parse_customer (Run       *run,
                Arena     *arena,
                Values    *v,
                Customer  *c,
                int       *col)
{
  g_autoptr(GError) err = NULL;

  memset (c, 0, sizeof *c);
  c->email_consent = c->sms_consent = -1;

  /* The name: given, or composed (王 + 芳 → 王芳; Ann + Lee → Ann Lee), or what else names them. */
  c->name = v->v[T_NAME];
  if (c->name == NULL && (v->v[T_FIRST_NAME] || v->v[T_LAST_NAME]))
    {
      const char *first = v->v[T_FIRST_NAME] ? v->v[T_FIRST_NAME] : "";
      const char *last = v->v[T_LAST_NAME] ? v->v[T_LAST_NAME] : "";
      g_autofree char *composed = NULL;

      if (all_cjk (first) && all_cjk (last))
        composed = g_strconcat (last, first, NULL);
      else
        composed = g_strconcat (first, *first && *last ? " " : "", last, NULL);
      c->name = arena_dup (arena, composed, strlen (composed));
    }
  if (c->name == NULL)
    c->name = v->v[T_COMPANY] ? v->v[T_COMPANY] : v->v[T_EMAIL] ? v->v[T_EMAIL] : v->v[T_PHONE];
  if (c->name == NULL)
    {
      *col = -1;
      return g_strdup (_("The row has no name, company, e-mail or phone"));
    }

  /* Text limits, control characters (every text field). */
  for (int t = 0; t < T_N_CUSTOMER; t++)
    {
      const char *s = t == T_NAME ? c->name : v->v[t];

      if (s == NULL || run->max_chars[t] == 0)
        continue;
      if (!crm_text_validate (s, -1, run->max_chars[t], target_label (CRM_IMPORT_CUSTOMERS, t), &err))
        {
          *col = t == T_NAME && v->v[T_NAME] == NULL ? -1 : v->col[t];
          return g_strdup (err->message);
        }
    }

  if (v->v[T_EMAIL] && !crm_text_check_email (v->v[T_EMAIL], &err))
    return (*col = v->col[T_EMAIL], g_strdup (err->message));
  if (v->v[T_PHONE] && !crm_text_check_phone (v->v[T_PHONE], &err))
    return (*col = v->col[T_PHONE], g_strdup (err->message));

  if (v->v[T_UUID] && !g_uuid_string_is_valid (v->v[T_UUID]))
    return (*col = v->col[T_UUID], g_strdup_printf (_("“%s” is not a UUID"), v->v[T_UUID]));
  c->uuid = v->v[T_UUID];

  if (v->v[T_GENDER] && (c->gender = parse_gender (v->v[T_GENDER])) < 0)
    return (*col = v->col[T_GENDER],
            g_strdup_printf (_("“%s” is not a gender: use female, male, other, 女 or 男"), v->v[T_GENDER]));
  if (c->gender < 0)
    c->gender = 0;

  if (v->v[T_BIRTHDAY])
    {
      if (!crm_import_parse_date (v->v[T_BIRTHDAY], run->self->date_order, TRUE, NULL, c->birthday) ||
          !crm_text_check_date (c->birthday, NULL))
        return (*col = v->col[T_BIRTHDAY],
                g_strdup_printf (_("“%s” is not a date (e.g. 1990-05-17)"), v->v[T_BIRTHDAY]));
      c->has_birthday = TRUE;
    }

#define PARSE_BOOL(T, out) \
  if (v->v[T] && (out = parse_bool (v->v[T])) < 0) \
    return (*col = v->col[T], g_strdup_printf (_("“%s” is not yes or no"), v->v[T]));
#define PARSE_TIME(T, out) \
  if (v->v[T] && !crm_import_parse_date (v->v[T], run->self->date_order, FALSE, &out, NULL)) \
    return (*col = v->col[T], g_strdup_printf (_("“%s” is not a date and time"), v->v[T]));

  PARSE_BOOL (T_EMAIL_CONSENT, c->email_consent)
  PARSE_BOOL (T_SMS_CONSENT, c->sms_consent)
  PARSE_TIME (T_EMAIL_CONSENT_AT, c->email_consent_at)
  PARSE_TIME (T_SMS_CONSENT_AT, c->sms_consent_at)
  PARSE_TIME (T_CREATED_AT, c->created_at)

  c->lifecycle = -1;
  if (v->v[T_LIFECYCLE] && (c->lifecycle = crm_lifecycle_from_string (v->v[T_LIFECYCLE])) < 0)
    return (*col = v->col[T_LIFECYCLE], g_strdup_printf (_("“%s” is not a lifecycle stage"), v->v[T_LIFECYCLE]));

  c->address = v->v[T_ADDRESS];
  if (v->v[T_ADDRESS2])
    {
      g_autofree char *joined = g_strconcat (c->address ? c->address : "", c->address ? ", " : "",
                                             v->v[T_ADDRESS2], NULL);
      c->address = arena_dup (arena, joined, strlen (joined));
      if (g_utf8_strlen (c->address, -1) > run->max_chars[T_ADDRESS])
        return (*col = v->col[T_ADDRESS2], g_strdup_printf (_("%s is too long"), _("Address")));
    }

  c->phone_key = crm_text_phone_key (v->v[T_PHONE]);
  c->phone_rev = crm_text_reverse_ascii (c->phone_key);
  c->email_key = crm_text_email_key (v->v[T_EMAIL]);
  return NULL;
}

/* ---- duplicates ---- */

static char *
phone_match_key (const char *rev)
{
  if (rev == NULL)
    return NULL;
  /* As crm_store_find_duplicates(): the last 8 digits, or the exact number when shorter. */
  return strlen (rev) >= 8 ? g_strndup (rev, 8) : g_strconcat ("=", rev, NULL);
}

typedef struct
{
  Run        *run;
  char        kind;
  const char *key;
} KeyCheck;

static gboolean
check_key (gpointer data,
           gint64   id)
{
  KeyCheck *k = data;
  sqlite3_stmt *stmt = crm_store_prepare (k->run->store,
    "SELECT uuid, external_id, email_key, phone_rev FROM customers WHERE id = ? AND deleted_at IS NULL", NULL);
  gboolean match = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *s = (const char *) sqlite3_column_text (stmt, k->kind == 'u' ? 0 : k->kind == 'x' ? 1 :
                                                                 k->kind == 'e' ? 2 : 3);
      if (k->kind == 'p')
        {
          g_autofree char *pk = phone_match_key (s);
          match = g_strcmp0 (pk, k->key) == 0;
        }
      else
        match = g_strcmp0 (s, k->key) == 0;
    }
  sqlite3_reset (stmt);
  return match;
}

static gint64
find_by_sql (Run        *run,
             const char *sql,
             const char *a,
             const char *b)
{
  sqlite3_stmt *stmt = crm_store_prepare (run->store, sql, NULL);
  gint64 id = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, a, -1, SQLITE_STATIC);
  if (b != NULL)
    sqlite3_bind_text (stmt, 2, b, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return id;
}

/* The existing live customer this row is, by uuid, external id, e-mail or phone; 0 if none. */
static gint64
find_customer (Run         *run,
               const char  *uuid,
               const char  *external_id,
               const char  *email_key,
               const char  *phone_rev)
{
  g_autofree char *pkey = phone_match_key (phone_rev);
  const struct { char kind; const char *key; } keys[] = {
    { 'u', uuid }, { 'x', external_id }, { 'e', email_key }, { 'p', pkey },
  };

  if (run->bulk)
    {
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        if (keys[i].key != NULL)
          {
            KeyCheck k = { run, keys[i].kind, keys[i].key };
            gint64 id = key_table_find (&run->keys, key_hash (keys[i].kind, keys[i].key), check_key, &k);
            if (id != 0)
              return id;
          }
      return 0;
    }

  if (uuid != NULL)
    {
      gint64 id = find_by_sql (run, "SELECT id FROM customers WHERE uuid = ? AND deleted_at IS NULL", uuid, NULL);
      if (id)
        return id;
    }
  if (external_id != NULL)
    {
      gint64 id = find_by_sql (run, "SELECT min(id) FROM customers WHERE external_id = ? AND deleted_at IS NULL",
                               external_id, NULL);
      if (id)
        return id;
    }
  if (email_key != NULL)
    {
      gint64 id = find_by_sql (run, "SELECT min(id) FROM customers WHERE email_key = ? AND deleted_at IS NULL",
                               email_key, NULL);
      if (id)
        return id;
    }
  if (phone_rev != NULL)
    {
      g_autofree char *tail = NULL, *bound = NULL;

      if (strlen (phone_rev) >= 8)
        {
          tail = g_strndup (phone_rev, 8);
          bound = crm_text_prefix_upper_bound (tail);
        }
      else
        {
          tail = g_strdup (phone_rev);
          bound = g_strconcat (phone_rev, "\x01", NULL);
        }
      return find_by_sql (run, "SELECT min(id) FROM customers WHERE phone_rev >= ? AND phone_rev < ?"
                               " AND deleted_at IS NULL", tail, bound);
    }
  return 0;
}

static void
remember_keys (Run         *run,
               gint64       id,
               const char  *uuid,
               const char  *external_id,
               const char  *email_key,
               const char  *phone_rev)
{
  g_autofree char *pkey = NULL;

  if (!run->bulk)
    return;
  pkey = phone_match_key (phone_rev);
  if (uuid)
    key_table_add (&run->keys, key_hash ('u', uuid), id);
  if (external_id)
    key_table_add (&run->keys, key_hash ('x', external_id), id);
  if (email_key)
    key_table_add (&run->keys, key_hash ('e', email_key), id);
  if (pkey)
    key_table_add (&run->keys, key_hash ('p', pkey), id);
}

/* ---- writing customers ---- */

typedef struct
{
  TermDict *dict;
  GArray   *ids;     /* guint32 */
  guint     first;   /* this customer's first id in @ids */
} TermSink;

static void
sink_term (const char *term,
           gsize       len,
           gpointer    user_data)
{
  TermSink *sink = user_data;
  guint32 id = term_dict_intern (sink->dict, term, len);

  /* The same term twice in one name ("Ann Anderson"): once is enough. */
  for (guint i = sink->first; i < sink->ids->len; i++)
    if (g_array_index (sink->ids, guint32, i) == id)
      return;
  g_array_append_val (sink->ids, id);
}

static void
push_term_rows (GArray        *rows,
                gint64         offset,
                const guint32 *ids,
                guint          n)
{
  for (guint i = 0; i < n; i++)
    {
      guint64 row = ((guint64) ids[i] << 32) | (guint64) offset;
      g_array_append_val (rows, row);
    }
}

/* The customer's short-query terms and tags: kept to be written in key order at the end. */
static void
write_terms (Run         *run,
             gint64       id,
             Customer    *c,
             const char  *tags)
{
  gint64 offset = id - run->first_new_id;

  if (c->terms_ready)
    {
      push_term_rows (run->term_rows, offset, c->term_ids, c->n_terms);
      push_term_rows (run->tag_rows, offset, c->tag_ids, c->n_tags);
      return;
    }
  else
    {
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint32));
      TermSink sink = { &run->term_dict, ids, 0 };

      crm_text_short_terms_foreach (c->name, sink_term, &sink);
      push_term_rows (run->term_rows, offset, (guint32 *) ids->data, ids->len);
      g_array_set_size (ids, 0);
      sink.dict = &run->tag_dict;
      crm_text_split_tags_foreach (tags, sink_term, &sink);
      push_term_rows (run->tag_rows, offset, (guint32 *) ids->data, ids->len);
    }
}

static void
radix_sort_u64 (guint64 *a,
                gsize    n)
{
  g_autofree guint64 *tmp = g_new (guint64, MAX (n, 1));
  guint64 *src = a, *dst = tmp;

  for (int shift = 0; shift < 64 && n > 1; shift += 8)
    {
      gsize count[256] = { 0 };
      gsize pos = 0;
      guint64 *swap;

      for (gsize i = 0; i < n; i++)
        count[(src[i] >> shift) & 0xff]++;
      if (count[(src[0] >> shift) & 0xff] == n)
        continue;
      for (guint b = 0; b < 256; b++)
        {
          gsize c = count[b];
          count[b] = pos;
          pos += c;
        }
      for (gsize i = 0; i < n; i++)
        dst[count[(src[i] >> shift) & 0xff]++] = src[i];
      swap = src;
      src = dst;
      dst = swap;
    }
  if (src != a)
    memcpy (a, src, n * sizeof *a);
}

static int
compare_terms (gconstpointer a,
               gconstpointer b,
               gpointer      strings)
{
  char **s = strings;

  /* BINARY collation, as the (term, customer_id) primary key sorts. */
  return strcmp (s[*(const guint32 *) a], s[*(const guint32 *) b]);
}

#define TERM_ROWS_PER_STATEMENT 64

/* Writes the kept (term, customer) rows of @dict into @table in key order. */
static gboolean
flush_terms (Run         *run,
             TermDict    *dict,
             GArray      *rows,
             const char  *table,
             const char  *column,
             GError     **error)
{
  guint n_terms = dict->strings->len;
  g_autofree guint32 *order = NULL;
  g_autofree guint32 *rank = NULL;
  g_autoptr(GString) sql = NULL;
  guint64 *keys = (guint64 *) rows->data;
  sqlite3_stmt *many, *one;
  guint64 prev = G_MAXUINT64;
  const char *p_term[TERM_ROWS_PER_STATEMENT];
  gint64 p_id[TERM_ROWS_PER_STATEMENT];
  guint pending = 0;

  if (rows->len == 0)
    return TRUE;

  order = g_new (guint32, n_terms);
  rank = g_new (guint32, n_terms);
  for (guint i = 0; i < n_terms; i++)
    order[i] = i;
  g_qsort_with_data (order, n_terms, sizeof (guint32), compare_terms, dict->strings->pdata);
  for (guint r = 0; r < n_terms; r++)
    rank[order[r]] = r;
  for (guint i = 0; i < rows->len; i++)
    keys[i] = ((guint64) rank[keys[i] >> 32] << 32) | (keys[i] & 0xffffffff);
  radix_sort_u64 (keys, rows->len);

  sql = g_string_new (NULL);
  g_string_printf (sql, "INSERT OR IGNORE INTO %s (%s, customer_id) VALUES (?, ?)", table, column);
  if (!(one = crm_store_prepare (run->store, sql->str, error)))
    return FALSE;
  g_string_printf (sql, "INSERT OR IGNORE INTO %s (%s, customer_id) VALUES (?, ?)", table, column);
  for (guint i = 1; i < TERM_ROWS_PER_STATEMENT; i++)
    g_string_append (sql, ", (?, ?)");
  if (!(many = crm_store_prepare (run->store, sql->str, error)))
    return FALSE;

  for (guint i = 0; i < rows->len; i++)
    {
      guint64 key = keys[i];
      gint64 id = run->first_new_id + (gint64) (key & 0xffffffff);

      if (key == prev)
        continue;
      prev = key;
      if (run->stale_terms != NULL && g_hash_table_contains (run->stale_terms, &id))
        continue;
      p_term[pending] = dict->strings->pdata[order[key >> 32]];
      p_id[pending] = id;
      if (++pending == TERM_ROWS_PER_STATEMENT)
        {
          for (guint k = 0; k < pending; k++)
            {
              sqlite3_bind_text (many, 2 * k + 1, p_term[k], -1, SQLITE_STATIC);
              sqlite3_bind_int64 (many, 2 * k + 2, p_id[k]);
            }
          if (!step_done (run, many, error))
            return FALSE;
          pending = 0;
        }
    }
  for (guint k = 0; k < pending; k++)
    {
      sqlite3_bind_text (one, 1, p_term[k], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (one, 2, p_id[k]);
      if (!step_done (run, one, error))
        return FALSE;
    }
  return TRUE;
}

/* crm_store_finish_search_index() callback: the short-query terms this run collected. */
static gboolean
flush_search_terms (gpointer   data,
                    GError   **error)
{
  Run *run = data;
  return flush_terms (run, &run->term_dict, run->term_rows, "customer_terms", "term", error);
}

static gboolean
write_journal (Run         *run,
               const char  *entity,
               const char  *uuid,
               const char  *op,
               const char  *fields,
               GError     **error)
{
  sqlite3_stmt *stmt;

  if (!run->journal)
    return TRUE;
  stmt = run->journal_stmt;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, op, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, run->now);
  sqlite3_bind_text (stmt, 5, fields, -1, SQLITE_STATIC);
  return step_done (run, stmt, error);
}

static inline void
bind_opt_text (sqlite3_stmt *stmt,
               int           i,
               const char   *s)
{
  if (s)
    sqlite3_bind_text (stmt, i, s, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, i);
}

static inline void
bind_opt_time (sqlite3_stmt *stmt,
               int           i,
               gint64        t)
{
  if (t)
    sqlite3_bind_int64 (stmt, i, t);
  else
    sqlite3_bind_null (stmt, i);
}

static gboolean
insert_customer (Run         *run,
                 Values      *v,
                 Customer    *c,
                 gint64      *out_id,
                 GError     **error)
{
  CrmImporter *self = run->self;
  sqlite3_stmt *stmt;
  char uuid[37];
  gint64 id = run->next_id;
  const char *source = v->v[T_SOURCE];
  int k = 0, rc;

  stmt = run->insert_stmt;

  if (c->uuid != NULL && run->deleted_uuids != NULL && g_hash_table_contains (run->deleted_uuids, c->uuid))
    {
      /* As the unique index does outside bulk mode (below). */
      *out_id = 0;
      return TRUE;
    }
  if (c->uuid != NULL)
    g_strlcpy (uuid, c->uuid, sizeof uuid);
  else
    make_uuid (run, uuid);
  if (source == NULL && self->preset != NULL)
    source = self->preset->source;

  sqlite3_bind_int64 (stmt, ++k, id);
  sqlite3_bind_text (stmt, ++k, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, ++k, c->created_at ? c->created_at : run->now);
  sqlite3_bind_int64 (stmt, ++k, run->now);
  sqlite3_bind_text (stmt, ++k, c->name, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, ++k, c->gender);
  bind_opt_text (stmt, ++k, c->has_birthday ? c->birthday : NULL);
  bind_opt_text (stmt, ++k, v->v[T_PHONE]);
  bind_opt_text (stmt, ++k, v->v[T_EMAIL]);
  bind_opt_text (stmt, ++k, v->v[T_COMPANY]);
  bind_opt_text (stmt, ++k, v->v[T_OCCUPATION]);
  bind_opt_text (stmt, ++k, c->address);
  bind_opt_text (stmt, ++k, v->v[T_CITY]);
  bind_opt_text (stmt, ++k, v->v[T_REGION]);
  bind_opt_text (stmt, ++k, v->v[T_COUNTRY]);
  bind_opt_text (stmt, ++k, v->v[T_POSTAL_CODE]);
  bind_opt_text (stmt, ++k, source);
  bind_opt_text (stmt, ++k, v->v[T_TAGS]);
  bind_opt_text (stmt, ++k, v->v[T_NOTES]);
  sqlite3_bind_int (stmt, ++k, c->email_consent > 0);
  bind_opt_time (stmt, ++k, c->email_consent_at);
  sqlite3_bind_int (stmt, ++k, c->sms_consent > 0);
  bind_opt_time (stmt, ++k, c->sms_consent_at);
  bind_opt_text (stmt, ++k, v->v[T_OWNER]);
  bind_opt_text (stmt, ++k, v->v[T_EXTERNAL_ID]);
  bind_opt_text (stmt, ++k, c->phone_key);
  bind_opt_text (stmt, ++k, c->phone_rev);
  bind_opt_text (stmt, ++k, c->email_key);
  bind_opt_text (stmt, ++k, crm_text_email_domain (c->email_key));

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      if ((rc & 0xff) == SQLITE_CONSTRAINT)
        {
          /* A uuid already used (by a deleted customer): a reject, not a failed import. */
          *out_id = 0;
          return TRUE;
        }
      return crm_store_set_error (run->store, rc, error);
    }

  run->next_id++;
  /* The new customers' state rows are made with one statement at the end (the insert trigger
   * is off for the run): written here one by one, with the trigger or not, they cost 1.0–1.5 s
   * per 1M rows. */
  {
    NewState st = { id, MAX (c->lifecycle, 0) };
    g_array_append_val (run->new_states, st);
  }
  write_terms (run, id, c, v->v[T_TAGS]);
  if (!write_journal (run, "customer", uuid, "insert", NULL, error))
    return FALSE;
  remember_keys (run, id, uuid, v->v[T_EXTERNAL_ID], c->email_key, c->phone_rev);
  *out_id = id;
  return TRUE;
}

/* Fills an existing customer with the row's non-empty values; *changed says if anything did. */
static gboolean
update_customer (Run         *run,
                 gint64       id,
                 Values      *v,
                 Customer    *c,
                 gboolean    *changed,
                 GError     **error)
{
  static const char *cols[] = {
    "name", "gender", "birthday", "phone", "email", "company", "occupation", "address", "city",
    "region", "country", "postal_code", "source", "tags", "notes", "email_consent",
    "email_consent_at", "sms_consent", "sms_consent_at", "owner", "external_id",
  };
  char num[8][24];
  const char *nv[G_N_ELEMENTS (cols)];
  g_autoptr(GString) sql = g_string_new ("SELECT uuid");
  g_autoptr(GString) set = g_string_new ("UPDATE customers SET updated_at = ?");
  g_autoptr(GString) fields = g_string_new ("[");
  g_autofree char *uuid = NULL;
  g_autofree char *old_name = NULL, *old_phone = NULL, *old_email = NULL, *old_tags = NULL;
  gboolean fts_changed = FALSE, keys_changed = FALSE;
  sqlite3_stmt *stmt;
  guint n_set = 0;
  int k;

  *changed = FALSE;
  g_snprintf (num[0], 24, "%d", c->gender);
  g_snprintf (num[1], 24, "%d", c->email_consent);
  g_snprintf (num[2], 24, "%" G_GINT64_FORMAT, c->email_consent_at);
  g_snprintf (num[3], 24, "%d", c->sms_consent);
  g_snprintf (num[4], 24, "%" G_GINT64_FORMAT, c->sms_consent_at);
  nv[0] = v->v[T_NAME] || v->v[T_FIRST_NAME] || v->v[T_LAST_NAME] ? c->name : NULL;
  nv[1] = v->v[T_GENDER] ? num[0] : NULL;
  nv[2] = c->has_birthday ? c->birthday : NULL;
  nv[3] = v->v[T_PHONE];
  nv[4] = v->v[T_EMAIL];
  nv[5] = v->v[T_COMPANY];
  nv[6] = v->v[T_OCCUPATION];
  nv[7] = c->address;
  nv[8] = v->v[T_CITY];
  nv[9] = v->v[T_REGION];
  nv[10] = v->v[T_COUNTRY];
  nv[11] = v->v[T_POSTAL_CODE];
  nv[12] = v->v[T_SOURCE];
  nv[13] = v->v[T_TAGS];
  nv[14] = v->v[T_NOTES];
  nv[15] = c->email_consent >= 0 ? num[1] : NULL;
  nv[16] = c->email_consent_at ? num[2] : NULL;
  nv[17] = c->sms_consent >= 0 ? num[3] : NULL;
  nv[18] = c->sms_consent_at ? num[4] : NULL;
  nv[19] = v->v[T_OWNER];
  nv[20] = v->v[T_EXTERNAL_ID];

  for (guint i = 0; i < G_N_ELEMENTS (cols); i++)
    g_string_append_printf (sql, ", %s", cols[i]);
  g_string_append (sql, " FROM customers WHERE id = ?");
  if (!(stmt = crm_store_prepare (run->store, sql->str, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return TRUE;
    }
  uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  old_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  old_phone = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  old_email = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  old_tags = g_strdup ((const char *) sqlite3_column_text (stmt, 14));
  /* Which columns change: compared as text, as SQLite would give them. */
  {
    gboolean differs[G_N_ELEMENTS (cols)];

    for (guint i = 0; i < G_N_ELEMENTS (cols); i++)
      {
        const char *old = (const char *) sqlite3_column_text (stmt, i + 1);
        differs[i] = nv[i] != NULL && g_strcmp0 (old, nv[i]) != 0;
      }
    sqlite3_reset (stmt);

    for (guint i = 0; i < G_N_ELEMENTS (cols); i++)
      if (differs[i])
        {
          g_string_append_printf (set, ", %s = ?", cols[i]);
          g_string_append_printf (fields, "%s\"%s\"", n_set ? "," : "", cols[i]);
          n_set++;
          if (i == 0 || i == 5 || i == 8 || i == 13 || i == 14)
            fts_changed = TRUE;
          if (i == 0 || i == 3 || i == 4 || i == 13)
            keys_changed = TRUE;
        }
      else
        nv[i] = NULL;
  }
  /* The stage is the recompute's, kept apart and not journaled: a file may still set one. */
  if (c->lifecycle >= 0)
    {
      if (!set_stage (run, id, c->lifecycle, error))
        return FALSE;
      *changed = sqlite3_changes (run->db) > 0;
    }
  if (n_set == 0)
    return TRUE;
  g_string_append (set, " WHERE id = ?");
  g_string_append_c (fields, ']');

  /* The FTS triggers are off for the run: rows from before it keep their index entries by hand. */
  if (fts_changed && id < run->first_new_id && !run->fts_by_trigger)
    {
      g_autofree char *del = g_strdup_printf ("INSERT INTO customers_fts (customers_fts, rowid%s)"
                                              " SELECT 'delete', id%s FROM customers WHERE id = ?",
                                              run->fts_cols, run->fts_cols);
      if (!(stmt = crm_store_prepare (run->store, del, error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      if (!step_done (run, stmt, error))
        return FALSE;
    }

  if (!(stmt = crm_store_prepare (run->store, set->str, error)))
    return FALSE;
  k = 0;
  sqlite3_bind_int64 (stmt, ++k, run->now);
  for (guint i = 0; i < G_N_ELEMENTS (cols); i++)
    if (nv[i] != NULL)
      {
        if (i == 1 || i == 15 || i == 16 || i == 17 || i == 18)
          sqlite3_bind_int64 (stmt, ++k, g_ascii_strtoll (nv[i], NULL, 10));
        else
          sqlite3_bind_text (stmt, ++k, nv[i], -1, SQLITE_STATIC);
      }
  sqlite3_bind_int64 (stmt, ++k, id);
  if (!step_done (run, stmt, error))
    return FALSE;

  if (fts_changed && id < run->first_new_id && !run->fts_by_trigger)
    {
      g_autofree char *ins = g_strdup_printf ("INSERT INTO customers_fts (rowid%s)"
                                              " SELECT id%s FROM customers WHERE id = ?",
                                              run->fts_cols, run->fts_cols);
      if (!(stmt = crm_store_prepare (run->store, ins, error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      if (!step_done (run, stmt, error))
        return FALSE;
    }

  if (keys_changed)
    {
      const char *name = nv[0] ? nv[0] : old_name;
      const char *phone = nv[3] ? nv[3] : old_phone;
      const char *email = nv[4] ? nv[4] : old_email;
      const char *tags = nv[13] ? nv[13] : old_tags;

      if (!crm_store_index_customer (run->store, id, name, phone, email, tags, TRUE, error))
        return FALSE;
      /* A customer added earlier in this run: its kept terms are out of date now. */
      if (id >= run->first_new_id)
        {
          gint64 *key = g_new (gint64, 1);

          *key = id;
          if (run->stale_terms == NULL)
            run->stale_terms = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
          g_hash_table_add (run->stale_terms, key);
        }
      if (run->bulk)
        {
          g_autofree char *pk = crm_text_phone_key (phone);
          g_autofree char *rev = crm_text_reverse_ascii (pk);
          g_autofree char *ek = crm_text_email_key (email);
          remember_keys (run, id, NULL, NULL, ek, rev);
        }
    }
  if (nv[20] != NULL)
    remember_keys (run, id, NULL, nv[20], NULL, NULL);

  *changed = TRUE;
  return write_journal (run, "customer", uuid, "update", fields->str, error);
}

static gboolean import_parsed_customer (Run *run, Values *v, Customer *cp, gboolean for_order,
                                        gint64 *out_id, RowResult *result, GError **error);

/* One customer from @v: inserted, updated, skipped (duplicate) or rejected. */
static gboolean
import_customer (Run        *run,
                 Values     *v,
                 gboolean    for_order,
                 gint64     *out_id,
                 RowResult  *result,
                 GError    **error)
{
  Customer c;
  g_autofree char *reason = NULL;
  int col = -1;

  *out_id = 0;
  reason = parse_customer (run, &run->arena, v, &c, &col);
  if (reason != NULL)
    {
      customer_clear (&c);
      *result = ROW_REJECTED;
      return for_order ? (g_set_error_literal (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_BAD_MAPPING, reason), FALSE)
                       : reject (run, col, reason, error);
    }
  return import_parsed_customer (run, v, &c, for_order, out_id, result, error);
}

/* The rest of import_customer(), for a row parse_customer() accepted; clears @c. */
static gboolean
import_parsed_customer (Run        *run,
                        Values     *v,
                        Customer   *cp,
                        gboolean    for_order,
                        gint64     *out_id,
                        RowResult  *result,
                        GError    **error)
{
  Customer c = *cp;
  gint64 existing, id = 0;

  memset (cp, 0, sizeof *cp);
  *out_id = 0;
  existing = find_customer (run, c.uuid, v->v[T_EXTERNAL_ID], c.email_key, c.phone_rev);
  if (existing != 0 && (for_order || run->self->policy == CRM_DUPLICATE_SKIP))
    {
      *out_id = existing;
      *result = ROW_SKIPPED;
      customer_clear (&c);
      return TRUE;
    }
  if (existing != 0 && run->self->policy == CRM_DUPLICATE_UPDATE)
    {
      gboolean changed;
      gboolean ok = update_customer (run, existing, v, &c, &changed, error);

      customer_clear (&c);
      *out_id = existing;
      *result = changed ? ROW_UPDATED : ROW_SKIPPED;
      return ok;
    }
  /* Create anyway: a uuid cannot be shared, so the copy gets its own. */
  if (existing != 0 && c.uuid != NULL)
    c.uuid = NULL;

  if (!insert_customer (run, v, &c, &id, error))
    {
      customer_clear (&c);
      return FALSE;
    }
  customer_clear (&c);
  if (id == 0)
    {
      *result = ROW_REJECTED;
      if (for_order)
        return TRUE;
      return reject (run, v->v[T_UUID] ? v->col[T_UUID] : -1,
                     _("A customer with this UUID exists already (it may have been deleted)"), error);
    }
  *out_id = id;
  *result = ROW_INSERTED;
  return TRUE;
}

/* ---- orders ---- */

typedef struct
{
  char   *v[T_N];           /* order-level and customer values: first non-empty of the group */
  int     col[T_N];
  GPtrArray *lines;         /* char ** [6]: sku, product, category, quantity, unit price, amount */
  GPtrArray *rows;          /* GStrv: the rows as read, for rejects */
  GArray    *row_lines;     /* guint64 line of each row */
  char   *key;
} OrderGroup;

static void
group_clear (OrderGroup *g)
{
  for (int t = 0; t < T_N; t++)
    g_clear_pointer (&g->v[t], g_free);
  if (g->lines)
    g_ptr_array_set_size (g->lines, 0);
  if (g->rows)
    g_ptr_array_set_size (g->rows, 0);
  if (g->row_lines)
    g_array_set_size (g->row_lines, 0);
  g_clear_pointer (&g->key, g_free);
}

static gboolean
reject_group (Run         *run,
              OrderGroup  *g,
              int          column,
              const char  *reason,
              GError     **error)
{
  for (guint i = 0; i < g->rows->len; i++)
    {
      char **cells = g_ptr_array_index (g->rows, i);

      if (!reject_cells (run, g_array_index (g->row_lines, guint64, i), (const char * const *) cells,
                         g_strv_length (cells), NULL, column, reason, error))
        return FALSE;
      /* One order, one count: the other rows are reported but counted once. */
      if (i > 0)
        run->self->report.rejected--;
    }
  return TRUE;
}

static char *
money_reason (const char *text)
{
  return g_strdup_printf (_("“%s” is not an amount"), text);
}

static gboolean
parse_amount (Run        *run,
              const char *text,
              guint       exponent,
              gint64     *out)
{
  *out = 0;
  if (text == NULL)
    return TRUE;
  return crm_parse_money (text, exponent, run->self->decimal_comma, out);
}

/* WooCommerce's packed "line_items" cell: "name:Tea|sku:T1|quantity:2|total:20.00;name:…". */
/* An order line: LINE_SLOTS cells (sku, name, category, quantity, unit price, amount), any of
 * them NULL, so not a NULL-terminated vector. */
#define LINE_SLOTS 6

static void
free_line (char **line)
{
  for (guint i = 0; i < LINE_SLOTS; i++)
    g_free (line[i]);
  g_free (line);
}

static void
unpack_items (OrderGroup *g,
              const char *cell)
{
  g_auto(GStrv) items = g_strsplit (cell, ";", -1);

  for (guint i = 0; items[i]; i++)
    {
      g_auto(GStrv) parts = g_strsplit (items[i], "|", -1);
      char **line = g_new0 (char *, LINE_SLOTS);

      for (guint j = 0; parts[j]; j++)
        {
          char *colon = strchr (parts[j], ':');
          const char *k = parts[j];
          int slot = -1;

          if (colon == NULL)
            continue;
          *colon = '\0';
          if (g_str_equal (k, "sku"))
            slot = 0;
          else if (g_str_equal (k, "name"))
            slot = 1;
          else if (g_str_equal (k, "quantity"))
            slot = 3;
          else if (g_str_equal (k, "total"))
            slot = 5;
          if (slot >= 0 && line[slot] == NULL)
            line[slot] = g_strdup (g_strstrip (colon + 1));
        }
      if (line[1] || line[0])
        g_ptr_array_add (g->lines, line);
      else
        free_line (line);
    }
}

static const char *
normalize_status (const char *s,
                  const char *cancelled_at,
                  char        buf[32])
{
  g_autofree char *lower = NULL;

  if (cancelled_at != NULL)
    return "cancelled";
  if (s == NULL)
    return "completed";
  lower = g_ascii_strdown (s, -1);
  if (g_str_has_prefix (lower, "wc-"))
    memmove (lower, lower + 3, strlen (lower) - 2);
  if (g_str_equal (lower, "voided") || g_str_equal (lower, "canceled"))
    return "cancelled";
  if (g_str_equal (lower, "paid"))
    return "completed";
  g_strlcpy (buf, lower, 32);
  return buf;
}

static gboolean
flush_order (Run         *run,
             OrderGroup  *g,
             GError     **error)
{
  CrmImporter *self = run->self;
  Values cv;
  RowResult cres;
  g_autoptr(GError) cerr = NULL;
  g_autofree char *reason = NULL;
  gint64 customer_id = 0, order_id, placed_at = 0, existing = 0;
  gint64 amounts[5] = { 0 };  /* subtotal, discount, shipping, tax, total */
  const int amount_t[5] = { T_O_SUBTOTAL, T_O_DISCOUNT, T_O_SHIPPING, T_O_TAX, T_O_TOTAL };
  const char *currency;
  char cur[4], status_buf[32], uuid[37];
  guint exponent;
  gint64 lines_sum = 0;
  sqlite3_stmt *stmt;
  int k;

  if (g->rows->len == 0)
    return TRUE;

  run->line = g_array_index (g->row_lines, guint64, 0);

  /* Order fields. */
  currency = g->v[T_O_CURRENCY] ? g->v[T_O_CURRENCY] : self->currency;
  if (strlen (currency) != 3)
    return reject_group (run, g, g->col[T_O_CURRENCY],
                         reason = g_strdup_printf (_("“%s” is not a currency code such as CNY or USD"), currency), error);
  g_strlcpy (cur, currency, sizeof cur);
  for (int i = 0; i < 3; i++)
    cur[i] = g_ascii_toupper (cur[i]);
  exponent = crm_currency_exponent (cur);

  if (g->v[T_O_PLACED_AT] == NULL)
    return reject_group (run, g, -1, _("The order has no date"), error);
  if (!crm_import_parse_date (g->v[T_O_PLACED_AT], self->date_order, FALSE, &placed_at, NULL))
    return reject_group (run, g, g->col[T_O_PLACED_AT],
                         reason = g_strdup_printf (_("“%s” is not a date"), g->v[T_O_PLACED_AT]), error);
  for (int i = 0; i < 5; i++)
    if (!parse_amount (run, g->v[amount_t[i]], exponent, &amounts[i]))
      return reject_group (run, g, g->col[amount_t[i]], reason = money_reason (g->v[amount_t[i]]), error);
  if (g->v[T_O_UUID] && !g_uuid_string_is_valid (g->v[T_O_UUID]))
    return reject_group (run, g, g->col[T_O_UUID],
                         reason = g_strdup_printf (_("“%s” is not a UUID"), g->v[T_O_UUID]), error);
  for (int t = T_O_NUMBER; t <= T_O_NOTES; t++)
    {
      static const guint max[] = { [T_O_NUMBER - T_O_NUMBER] = 100, [T_O_EXTERNAL_ID - T_O_NUMBER] = 200,
                                   [T_O_STATUS - T_O_NUMBER] = 30, [T_O_CHANNEL - T_O_NUMBER] = 50,
                                   [T_O_NOTES - T_O_NUMBER] = 10000 };
      g_autoptr(GError) e = NULL;

      if (g->v[t] && max[t - T_O_NUMBER] &&
          !crm_text_validate (g->v[t], -1, max[t - T_O_NUMBER], target_label (CRM_IMPORT_ORDERS, t), &e))
        return reject_group (run, g, g->col[t], e->message, error);
    }

  /* Lines. */
  for (guint i = 0; i < g->lines->len; i++)
    {
      char **l = g_ptr_array_index (g->lines, i);
      gint64 qty = 1, price = 0, amount = 0;

      if (l[3] != NULL)
        {
          char *end;
          qty = g_ascii_strtoll (l[3], &end, 10);
          if (*end != '\0' || qty < 0 || qty > 1000000)
            return reject_group (run, g, g->col[T_L_QUANTITY],
                                 reason = g_strdup_printf (_("“%s” is not a quantity"), l[3]), error);
        }
      if (!parse_amount (run, l[4], exponent, &price))
        return reject_group (run, g, g->col[T_L_UNIT_PRICE], reason = money_reason (l[4]), error);
      if (l[5] != NULL && !parse_amount (run, l[5], exponent, &amount))
        return reject_group (run, g, g->col[T_L_AMOUNT], reason = money_reason (l[5]), error);
      if (l[5] == NULL)
        amount = price * qty;
      if (l[4] == NULL && qty > 0)
        price = amount / qty;
      lines_sum += amount;
      g_free (l[3]);
      g_free (l[4]);
      g_free (l[5]);
      l[3] = g_strdup_printf ("%" G_GINT64_FORMAT, qty);
      l[4] = g_strdup_printf ("%" G_GINT64_FORMAT, price);
      l[5] = g_strdup_printf ("%" G_GINT64_FORMAT, amount);
    }
  if (g->v[T_O_SUBTOTAL] == NULL && g->lines->len > 0)
    amounts[0] = lines_sum;
  if (g->v[T_O_TOTAL] == NULL)
    amounts[4] = amounts[0] - amounts[1] + amounts[2] + amounts[3];

  /* A duplicate order? (by uuid or the shop's order id) */
  if (g->v[T_O_UUID])
    existing = find_by_sql (run, "SELECT id FROM orders WHERE uuid = ? AND deleted_at IS NULL", g->v[T_O_UUID], NULL);
  if (existing == 0 && g->v[T_O_EXTERNAL_ID])
    existing = find_by_sql (run, "SELECT min(id) FROM orders WHERE external_id = ? AND deleted_at IS NULL",
                            g->v[T_O_EXTERNAL_ID], NULL);
  if (existing != 0 && self->policy == CRM_DUPLICATE_SKIP)
    {
      self->report.skipped++;
      return TRUE;
    }

  /* The customer: known by uuid, external id, e-mail or phone, or made from the order. */
  memset (&cv, 0, sizeof cv);
  for (int t = 0; t < T_N_CUSTOMER; t++)
    {
      cv.v[t] = g->v[t];
      cv.col[t] = g->col[t];
    }
  if (cv.v[T_UUID] && !cv.v[T_NAME] && !cv.v[T_EMAIL] && !cv.v[T_PHONE] && !cv.v[T_EXTERNAL_ID])
    {
      customer_id = find_customer (run, cv.v[T_UUID], NULL, NULL, NULL);
      if (customer_id == 0)
        return reject_group (run, g, cv.col[T_UUID], _("No customer has this UUID"), error);
    }
  else if (!cv.v[T_UUID] && !cv.v[T_NAME] && !cv.v[T_EMAIL] && !cv.v[T_PHONE] && !cv.v[T_EXTERNAL_ID] &&
           !cv.v[T_FIRST_NAME] && !cv.v[T_LAST_NAME] && !cv.v[T_COMPANY])
    return reject_group (run, g, -1, _("The order names no customer (e-mail, phone, name or customer id)"), error);
  else
    {
      if (!import_customer (run, &cv, TRUE, &customer_id, &cres, &cerr))
        {
          if (cerr != NULL && cerr->domain == CRM_IMPORT_ERROR)
            return reject_group (run, g, -1, cerr->message, error);
          g_propagate_error (error, g_steal_pointer (&cerr));
          return FALSE;
        }
      if (customer_id == 0)
        return reject_group (run, g, cv.col[T_UUID], _("The order's customer cannot be added"), error);
      if (cres == ROW_INSERTED)
        self->report.customers_created++;
    }
  arena_reset (&run->arena);

  if (existing != 0 && self->policy == CRM_DUPLICATE_UPDATE)
    {
      /* The order's own fields; its lines stay as they are. */
      {
        gint64 old_customer = 0;
        sqlite3_stmt *q = crm_store_prepare (run->store, "SELECT customer_id, uuid FROM orders WHERE id = ?", error);
        g_autofree char *ouuid = NULL;

        if (q == NULL)
          return FALSE;
        sqlite3_bind_int64 (q, 1, existing);
        if (sqlite3_step (q) == SQLITE_ROW)
          {
            old_customer = sqlite3_column_int64 (q, 0);
            ouuid = g_strdup ((const char *) sqlite3_column_text (q, 1));
          }
        sqlite3_reset (q);

        stmt = crm_store_prepare (run->store,
          "UPDATE orders SET updated_at = ?1, customer_id = ?2, number = coalesce(?3, number), placed_at = ?4,"
          " status = ?5, channel = coalesce(?6, channel), currency = ?7, subtotal = ?8, discount = ?9,"
          " shipping = ?10, tax = ?11, total = ?12, notes = coalesce(?13, notes) WHERE id = ?14", error);
        if (stmt == NULL)
          return FALSE;
        sqlite3_bind_int64 (stmt, 1, run->now);
        sqlite3_bind_int64 (stmt, 2, customer_id);
        bind_opt_text (stmt, 3, g->v[T_O_NUMBER]);
        sqlite3_bind_int64 (stmt, 4, placed_at);
        sqlite3_bind_text (stmt, 5, normalize_status (g->v[T_O_STATUS], g->v[T_O_CANCELLED_AT], status_buf), -1, SQLITE_TRANSIENT);
        bind_opt_text (stmt, 6, g->v[T_O_CHANNEL]);
        sqlite3_bind_text (stmt, 7, cur, -1, SQLITE_STATIC);
        for (int i = 0; i < 5; i++)
          sqlite3_bind_int64 (stmt, 8 + i, amounts[i]);
        bind_opt_text (stmt, 13, g->v[T_O_NOTES]);
        sqlite3_bind_int64 (stmt, 14, existing);
        if (!step_done (run, stmt, error) ||
            !write_journal (run, "order", ouuid, "update",
                            "[\"customer_id\",\"number\",\"placed_at\",\"status\",\"channel\",\"currency\","
                            "\"subtotal\",\"discount\",\"shipping\",\"tax\",\"total\",\"notes\"]", error))
          return FALSE;
        g_hash_table_add (run->touched_customers, g_memdup2 (&customer_id, sizeof customer_id));
        g_hash_table_add (run->touched_customers, g_memdup2 (&old_customer, sizeof old_customer));
      }
      self->report.updated++;
      return TRUE;
    }

  /* Insert the order and its lines. */
  if (g->v[T_O_UUID] && existing == 0)
    g_strlcpy (uuid, g->v[T_O_UUID], sizeof uuid);
  else
    make_uuid (run, uuid);
  stmt = crm_store_prepare (run->store,
    "INSERT INTO orders (uuid, created_at, updated_at, customer_id, number, placed_at, status, channel,"
    " currency, subtotal, discount, shipping, tax, total, external_id, notes)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", error);
  if (stmt == NULL)
    return FALSE;
  k = 0;
  sqlite3_bind_text (stmt, ++k, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, ++k, run->now);
  sqlite3_bind_int64 (stmt, ++k, run->now);
  sqlite3_bind_int64 (stmt, ++k, customer_id);
  bind_opt_text (stmt, ++k, g->v[T_O_NUMBER]);
  sqlite3_bind_int64 (stmt, ++k, placed_at);
  sqlite3_bind_text (stmt, ++k, normalize_status (g->v[T_O_STATUS], g->v[T_O_CANCELLED_AT], status_buf), -1, SQLITE_TRANSIENT);
  bind_opt_text (stmt, ++k, g->v[T_O_CHANNEL]);
  sqlite3_bind_text (stmt, ++k, cur, -1, SQLITE_STATIC);
  for (int i = 0; i < 5; i++)
    sqlite3_bind_int64 (stmt, ++k, amounts[i]);
  bind_opt_text (stmt, ++k, g->v[T_O_EXTERNAL_ID]);
  bind_opt_text (stmt, ++k, g->v[T_O_NOTES]);
  if (!step_done (run, stmt, error))
    return FALSE;
  order_id = sqlite3_last_insert_rowid (run->db);
  if (!write_journal (run, "order", uuid, "insert", NULL, error))
    return FALSE;

  for (guint i = 0; i < g->lines->len; i++)
    {
      char **l = g_ptr_array_index (g->lines, i);
      char luuid[37];

      make_uuid (run, luuid);
      stmt = crm_store_prepare (run->store,
        "INSERT INTO order_lines (uuid, created_at, updated_at, order_id, sku, product, category,"
        " quantity, unit_price, amount) VALUES (?,?,?,?,?,?,?,?,?,?)", error);
      if (stmt == NULL)
        return FALSE;
      k = 0;
      sqlite3_bind_text (stmt, ++k, luuid, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, ++k, run->now);
      sqlite3_bind_int64 (stmt, ++k, run->now);
      sqlite3_bind_int64 (stmt, ++k, order_id);
      bind_opt_text (stmt, ++k, l[0]);
      bind_opt_text (stmt, ++k, l[1]);
      bind_opt_text (stmt, ++k, l[2]);
      sqlite3_bind_int64 (stmt, ++k, g_ascii_strtoll (l[3], NULL, 10));
      sqlite3_bind_int64 (stmt, ++k, g_ascii_strtoll (l[4], NULL, 10));
      sqlite3_bind_int64 (stmt, ++k, g_ascii_strtoll (l[5], NULL, 10));
      if (!step_done (run, stmt, error) ||
          !write_journal (run, "order_line", luuid, "insert", NULL, error))
        return FALSE;
      self->report.order_lines++;
    }

  g_hash_table_add (run->touched_customers, g_memdup2 (&customer_id, sizeof customer_id));
  self->report.inserted++;
  return TRUE;
}

/* Adds a row to the current order group, flushing the group first if the row starts another. */
static gboolean
add_order_row (Run                 *run,
               OrderGroup          *g,
               const char * const  *cells,
               guint                n_cells,
               GError             **error)
{
  Values v;
  const char *key;
  guint64 line = run->line;   /* flush_order() below points run->line at the order it writes */

  collect_values (run, &run->arena, cells, n_cells, &v);
  key = v.v[T_O_NUMBER] ? v.v[T_O_NUMBER] : v.v[T_O_EXTERNAL_ID] ? v.v[T_O_EXTERNAL_ID] : v.v[T_O_UUID];

  /* Rows of one order follow each other (Shopify: one row per line item, the order's fields on
   * the first).  A row without a key continues the current order. */
  if (g->rows->len > 0 && (key == NULL ? FALSE : g_strcmp0 (key, g->key) != 0))
    {
      if (!flush_order (run, g, error))
        return FALSE;
      group_clear (g);
    }
  else if (g->rows->len > 0 && key == NULL && g->key == NULL)
    {
      if (!flush_order (run, g, error))
        return FALSE;
      group_clear (g);
    }

  if (g->rows->len == 0)
    g->key = g_strdup (key);
  g_ptr_array_add (g->rows, g_strdupv ((char **) cells));
  g_array_append_val (g->row_lines, line);

  for (int t = 0; t < T_L_SKU; t++)
    if (g->v[t] == NULL && v.v[t] != NULL)
      {
        g->v[t] = g_strdup (v.v[t]);
        g->col[t] = v.col[t];
      }
  for (int t = T_L_SKU; t < T_N; t++)
    if (v.v[t] != NULL)
      g->col[t] = v.col[t];

  if (v.v[T_L_ITEMS])
    unpack_items (g, v.v[T_L_ITEMS]);
  if (v.v[T_L_SKU] || v.v[T_L_PRODUCT] || v.v[T_L_QUANTITY] || v.v[T_L_UNIT_PRICE] || v.v[T_L_AMOUNT])
    {
      char **slots = g_new0 (char *, LINE_SLOTS);

      slots[0] = g_strdup (v.v[T_L_SKU]);
      slots[1] = g_strdup (v.v[T_L_PRODUCT]);
      slots[2] = g_strdup (v.v[T_L_CATEGORY]);
      slots[3] = g_strdup (v.v[T_L_QUANTITY]);
      slots[4] = g_strdup (v.v[T_L_UNIT_PRICE]);
      slots[5] = g_strdup (v.v[T_L_AMOUNT]);
      g_ptr_array_add (g->lines, slots);
    }
  arena_reset (&run->arena);
  return TRUE;
}

/* ---- set-up and tear-down of a run ---- */

static void
new_state_column (gconstpointer    row,
                  int              column,
                  sqlite3_context *ctx)
{
  const NewState *st = row;

  if (column == 0)
    sqlite3_result_int64 (ctx, st->id);
  else
    sqlite3_result_int (ctx, st->stage);
}

/* Every customer added by the run gets its customer_state row: its stage from the file, else a
 * prospect, without a tier until the next recompute.  A row that a later line of the file made
 * already (set_stage() on a customer added earlier in the run) is kept. */
static gboolean
add_state_rows (Run     *run,
                GError **error)
{
  gboolean ok;

  if (run->new_states->len == 0)
    return TRUE;
  crm_store_attach_rows (run->store, "crm_import_states", "id, stage", run->new_states->data,
                         run->new_states->len, sizeof (NewState), new_state_column);
  ok = crm_store_exec (run->store, "INSERT OR IGNORE INTO customer_state (customer_id, lifecycle)"
                                   " SELECT id, stage FROM crm_import_states", error);
  crm_store_detach_rows (run->store, "crm_import_states");

  return ok;
}

/* Makes again the triggers or indexes a run dropped (crm_store_drop_objects()). */
static gboolean
recreate (Run        *run,
          GPtrArray  *saved,
          GError    **error)
{
  for (guint i = 0; i < saved->len; i++)
    if (!crm_store_exec (run->store, g_ptr_array_index (saved, i), error))
      {
        if (g_cancellable_is_cancelled (run->cancellable))
          {
            g_clear_error (error);
            g_cancellable_set_error_if_cancelled (run->cancellable, error);
          }
        return FALSE;
      }
  g_ptr_array_set_size (saved, 0);
  return TRUE;
}

static gboolean
load_existing_keys (Run     *run,
                    GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (run->db,
    "SELECT id, uuid, external_id, email_key, phone_rev FROM customers WHERE deleted_at IS NULL",
    -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    return crm_store_set_error (run->store, rc, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    remember_keys (run, sqlite3_column_int64 (stmt, 0), (const char *) sqlite3_column_text (stmt, 1),
                   (const char *) sqlite3_column_text (stmt, 2), (const char *) sqlite3_column_text (stmt, 3),
                   (const char *) sqlite3_column_text (stmt, 4));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (run->store, rc, error);

  /* The unique uuid index is dropped for the run too: a deleted customer's uuid is checked
   * here, and its row refused as the index would have. */
  run->deleted_uuids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  rc = sqlite3_prepare_v2 (run->db, "SELECT uuid FROM customers WHERE deleted_at IS NOT NULL", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return crm_store_set_error (run->store, rc, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (run->deleted_uuids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (run->store, rc, error);
  return TRUE;
}

static gboolean
env_is (const char *name,
        const char *value)
{
  return g_strcmp0 (g_getenv (name), value) == 0;
}

/* The secondary indexes of customers (and of customer_state, whose rows add_state_rows() writes
 * in one statement) a bulk run drops and makes again with CREATE INDEX (a scan and a sort each).  Measured at 1M rows, keeping even the indexes a new row appends to
 * (aggregates, tier, lifecycle, city, e-mail domain: few values, every new id larger) costs as
 * much per row as CREATE INDEX does (≈ 0.5 µs per row and index), and the indexes written at a
 * random place (name, phone, e-mail, uuid) cost several times that.  Kept: the partial indexes
 * over a field no column is mapped to, which the run leaves empty (a CREATE INDEX would scan
 * the table for nothing). */
static char *
dropped_index_select (Run *run)
{
  CrmImporter *self = run->self;
  gboolean mapped[T_N] = { FALSE };
  g_autoptr(GString) unmapped = g_string_new ("''");

  for (guint c = 0; c < self->n_columns; c++)
    if (self->plan[c] >= 0)
      mapped[self->plan[c]] = TRUE;
  if (!mapped[T_PHONE])
    g_string_append (unmapped, ", 'phone_digits', 'phone_rev'");
  if (!mapped[T_EMAIL])
    g_string_append (unmapped, ", 'email_key', 'email_domain'");
  if (!mapped[T_EXTERNAL_ID])
    g_string_append (unmapped, ", 'external_id'");
  return g_strdup_printf ("SELECT m.name, m.sql FROM sqlite_master AS m, pragma_index_info (m.name) AS i"
                          " WHERE m.type = 'index' AND m.tbl_name IN ('customers', 'customer_state')"
                          " AND m.sql IS NOT NULL"
                          " AND i.seqno = 0 AND i.name NOT IN (%s)", unmapped->str);
}

static int
progress_handler (void *data)
{
  return g_cancellable_is_cancelled (data) ? 1 : 0;
}

static void
report_progress (Run      *run,
                 gboolean  indexing,
                 gboolean  force)
{
  gint64 now = g_get_monotonic_time ();
  CrmImportProgressInfo info;

  if (run->progress == NULL || (!force && now - run->t_last_progress < 100000))
    return;
  run->t_last_progress = now;
  info.rows = run->rows;
  info.bytes_read = run->reader ? crm_csv_reader_get_bytes_read (run->reader) : run->vcard_bytes;
  info.bytes_total = run->bytes_total;
  info.rows_per_second = now > run->t_start ? run->rows / ((now - run->t_start) / 1e6) : 0;
  info.indexing = indexing;
  info.committed = run->committed;
  run->progress (&info, run->user_data);
}

/* A customer row's outcome in the report (a rejected row is counted where it is refused). */
static void
count_result (CrmImportReport *report,
              RowResult        res)
{
  switch (res)
    {
    case ROW_INSERTED:
      report->inserted++;
      break;
    case ROW_UPDATED:
      report->updated++;
      break;
    case ROW_SKIPPED:
      report->skipped++;
      break;
    case ROW_REJECTED:
    default:
      break;
    }
}

static gboolean
import_customer_cells (Run                 *run,
                       const char * const  *cells,
                       guint                n_cells,
                       GError             **error)
{
  CrmImporter *self = run->self;
  Values v;
  RowResult res;
  gint64 id;

  collect_values (run, &run->arena, cells, n_cells, &v);
  if (!import_customer (run, &v, FALSE, &id, &res, error))
    return FALSE;
  count_result (&self->report, res);
  arena_reset (&run->arena);
  return TRUE;
}

/* Why a row does not fit the header, or NULL. */
static char *
row_shape_reason (CrmImporter         *self,
                  const char * const  *cells,
                  guint                n_cells)
{
  if (!self->has_header)
    return NULL;
  if (n_cells < self->n_columns)
    return g_strdup_printf (_("The row has %u of the %u columns; the file may be cut off, or a cell holds an unquoted line break"),
                            n_cells, self->n_columns);
  for (guint c = self->n_columns; c < n_cells; c++)
    if (cells[c][0] != '\0')
      return g_strdup_printf (_("The row has %u columns, the header %u; a cell may hold an unquoted delimiter"),
                              n_cells, self->n_columns);
  return NULL;
}

static gboolean
check_row_shape (Run                 *run,
                 const char * const  *cells,
                 guint                n_cells,
                 GError             **error,
                 gboolean            *ok)
{
  g_autofree char *reason = row_shape_reason (run->self, cells, n_cells);

  *ok = reason == NULL;
  if (reason != NULL)
    return reject (run, -1, reason, error);
  return TRUE;
}

static gboolean
run_csv (Run      *run,
         GError  **error)
{
  CrmImporter *self = run->self;
  g_autoptr(CrmCsvReader) reader = NULL;
  OrderGroup group = { 0 };
  gboolean ok = TRUE;

  if (!(reader = open_reader (self, error)))
    return FALSE;
  run->reader = reader;
  group.lines = g_ptr_array_new_with_free_func ((GDestroyNotify) free_line);
  group.rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  group.row_lines = g_array_new (FALSE, FALSE, sizeof (guint64));

  for (;;)
    {
      g_autoptr(GError) row_error = NULL;
      const char * const *cells;
      guint n_cells;
      gboolean shape_ok;

      if (!crm_csv_reader_next (reader, run->cancellable, &row_error))
        {
          if (row_error == NULL)
            break;
          if (crm_csv_reader_is_finished (reader))
            {
              /* The rest of the file cannot be read: nothing of it is imported. */
              if (row_error->domain == CRM_CSV_ERROR)
                g_set_error (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_UNREADABLE,
                             _("Nothing was imported: %s"), row_error->message);
              else
                g_propagate_error (error, g_steal_pointer (&row_error));
              ok = FALSE;
              break;
            }
          /* A record the reader could not read (bad bytes, NUL, too large): rejected as a whole. */
          run->rows++;
          run->cells = NULL;
          run->n_cells = 0;
          run->line = crm_csv_reader_get_line (reader);
          if (!(ok = reject (run, -1, row_error->message, error)))
            break;
          continue;
        }

      run->rows++;
      cells = crm_csv_reader_get_fields (reader, &n_cells);
      run->cells = cells;
      run->n_cells = n_cells;
      run->line = crm_csv_reader_get_line (reader);

      if (!(ok = check_row_shape (run, cells, n_cells, error, &shape_ok)))
        break;
      if (shape_ok)
        {
          if (self->kind == CRM_IMPORT_CUSTOMERS)
            ok = import_customer_cells (run, cells, n_cells, error);
          else
            ok = add_order_row (run, &group, cells, n_cells, error);
          if (!ok)
            break;
        }

      if ((run->rows & (PROGRESS_EVERY - 1)) == 0)
        {
          if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
            {
              ok = FALSE;
              break;
            }
          report_progress (run, FALSE, FALSE);
        }
    }

  if (ok && self->kind == CRM_IMPORT_ORDERS)
    ok = flush_order (run, &group, error);
  group_clear (&group);
  g_ptr_array_unref (group.lines);
  g_ptr_array_unref (group.rows);
  g_array_unref (group.row_lines);
  run->reader = NULL;
  return ok;
}

/* ---- customers from CSV on two threads ----
 *
 * Reading, decoding and checking a row (CSV parsing, UTF-8 and length checks, dates, search
 * keys, short-query terms) is pure C and takes about as long as writing it; SQLite writes are
 * single-threaded.  So a reading thread fills batches of parsed rows and this thread writes
 * them, in file order: duplicates, rejects (and their order in the rejects file), ids and the
 * journal are decided here exactly as in run_csv(). */

#define BATCH_ROWS     2048
#define BATCH_ARENA    (2 * 1024 * 1024)
#define N_BATCHES      4

typedef struct
{
  guint64   line;
  guint     first_cell;
  guint     n_cells;
  gboolean  has_cells;     /* FALSE: the reader could not read the record */
  gboolean  rejected;
  int       reject_col;
  char     *reason;
  guint     first_term, n_terms, first_tag, n_tags;
  Values    v;
  Customer  c;
} ParsedRow;

typedef struct
{
  ParsedRow  *rows;
  guint       n_rows;
  GPtrArray  *cells;       /* const char *, into arena */
  GArray     *ids;         /* guint32 term and tag ids */
  Arena       arena;
  guint64     bytes_read;
  gboolean    end;         /* the last batch */
  GError     *error;       /* with end: why the file could not be read to its end */
} Batch;

static Batch *
batch_new (void)
{
  Batch *b = g_new0 (Batch, 1);

  b->rows = g_new0 (ParsedRow, BATCH_ROWS);
  b->cells = g_ptr_array_sized_new (BATCH_ROWS * 40);
  b->ids = g_array_sized_new (FALSE, FALSE, sizeof (guint32), BATCH_ROWS * 8);
  b->arena.alloc = BATCH_ARENA;
  b->arena.buf = g_malloc (BATCH_ARENA);
  b->arena.big = g_ptr_array_new_with_free_func (g_free);
  return b;
}

static void
batch_reset (Batch *b)
{
  for (guint i = 0; i < b->n_rows; i++)
    {
      g_clear_pointer (&b->rows[i].reason, g_free);
      customer_clear (&b->rows[i].c);
    }
  b->n_rows = 0;
  g_ptr_array_set_size (b->cells, 0);
  g_array_set_size (b->ids, 0);
  arena_reset (&b->arena);
  b->end = FALSE;
  g_clear_error (&b->error);
}

static void
batch_free (Batch *b)
{
  batch_reset (b);
  g_free (b->rows);
  g_ptr_array_unref (b->cells);
  g_array_unref (b->ids);
  g_free (b->arena.buf);
  g_ptr_array_unref (b->arena.big);
  g_free (b);
}

typedef struct
{
  Run           *run;
  CrmCsvReader  *reader;
  GAsyncQueue   *free_batches;
  GAsyncQueue   *full_batches;
} Pipe;

static void
parse_row (Run                 *run,
           Batch               *b,
           const char * const  *cells,
           guint                n_cells,
           guint64              line)
{
  ParsedRow *r = &b->rows[b->n_rows++];
  const char * const *copy;
  TermSink sink;
  int col = -1;

  r->line = line;
  r->has_cells = TRUE;
  r->rejected = FALSE;
  r->first_cell = b->cells->len;
  r->n_cells = n_cells;
  for (guint i = 0; i < n_cells; i++)
    g_ptr_array_add (b->cells, (gpointer) arena_dup (&b->arena, cells[i], strlen (cells[i])));
  copy = (const char * const *) b->cells->pdata + r->first_cell;

  if ((r->reason = row_shape_reason (run->self, copy, n_cells)) != NULL)
    {
      r->rejected = TRUE;
      r->reject_col = -1;
      return;
    }
  collect_values (run, &b->arena, copy, n_cells, &r->v);
  if ((r->reason = parse_customer (run, &b->arena, &r->v, &r->c, &col)) != NULL)
    {
      customer_clear (&r->c);
      r->rejected = TRUE;
      r->reject_col = col;
      return;
    }

  sink.ids = b->ids;
  sink.dict = &run->term_dict;
  sink.first = r->first_term = b->ids->len;
  crm_text_short_terms_foreach (r->c.name, sink_term, &sink);
  r->n_terms = b->ids->len - r->first_term;
  sink.dict = &run->tag_dict;
  sink.first = r->first_tag = b->ids->len;
  crm_text_split_tags_foreach (r->v.v[T_TAGS], sink_term, &sink);
  r->n_tags = b->ids->len - r->first_tag;
}

static gpointer
read_rows (gpointer data)
{
  Pipe *pipe = data;
  Run *run = pipe->run;

  for (;;)
    {
      Batch *b = g_async_queue_pop (pipe->free_batches);

      batch_reset (b);
      if (g_atomic_int_get (&run->stop))
        b->end = TRUE;
      while (!b->end && b->n_rows < BATCH_ROWS && b->arena.len < BATCH_ARENA / 2)
        {
          GError *row_error = NULL;
          const char * const *cells;
          guint n_cells;

          if (!crm_csv_reader_next (pipe->reader, run->cancellable, &row_error))
            {
              if (row_error == NULL || crm_csv_reader_is_finished (pipe->reader))
                {
                  b->end = TRUE;
                  b->error = row_error;
                  break;
                }
              /* A record the reader could not read (bad bytes, NUL, too large): rejected whole. */
              {
                ParsedRow *r = &b->rows[b->n_rows++];

                r->line = crm_csv_reader_get_line (pipe->reader);
                r->has_cells = FALSE;
                r->n_cells = 0;
                r->rejected = TRUE;
                r->reject_col = -1;
                r->reason = g_strdup (row_error->message);
                g_error_free (row_error);
              }
              continue;
            }
          cells = crm_csv_reader_get_fields (pipe->reader, &n_cells);
          parse_row (run, b, cells, n_cells, crm_csv_reader_get_line (pipe->reader));
        }
      b->bytes_read = crm_csv_reader_get_bytes_read (pipe->reader);
      g_async_queue_push (pipe->full_batches, b);
      if (b->end)
        return NULL;
    }
}

static gboolean
write_parsed_row (Run        *run,
                  Batch      *b,
                  ParsedRow  *r,
                  GError    **error)
{
  CrmImporter *self = run->self;
  RowResult res;
  gint64 id;

  run->rows++;
  run->line = r->line;
  run->cells = r->has_cells ? (const char * const *) b->cells->pdata + r->first_cell : NULL;
  run->n_cells = r->has_cells ? r->n_cells : 0;
  if (r->rejected)
    return reject (run, r->reject_col, r->reason, error);

  r->c.terms_ready = TRUE;
  r->c.term_ids = (const guint32 *) b->ids->data + r->first_term;
  r->c.n_terms = r->n_terms;
  r->c.tag_ids = (const guint32 *) b->ids->data + r->first_tag;
  r->c.n_tags = r->n_tags;
  if (!import_parsed_customer (run, &r->v, &r->c, FALSE, &id, &res, error))
    return FALSE;
  count_result (&self->report, res);
  return TRUE;
}

static gboolean
run_csv_customers (Run      *run,
                   GError  **error)
{
  g_autoptr(CrmCsvReader) reader = NULL;
  Pipe pipe = { run, NULL, NULL, NULL };
  GThread *thread;
  gboolean ok = TRUE, done = FALSE;
  Batch *b;

  if (!(reader = open_reader (run->self, error)))
    return FALSE;
  pipe.reader = reader;
  pipe.free_batches = g_async_queue_new ();
  pipe.full_batches = g_async_queue_new ();
  for (guint i = 0; i < N_BATCHES; i++)
    g_async_queue_push (pipe.free_batches, batch_new ());
  g_atomic_int_set (&run->stop, 0);
  thread = g_thread_new ("import-read", read_rows, &pipe);

  while (!done)
    {
      b = g_async_queue_pop (pipe.full_batches);
      for (guint i = 0; ok && i < b->n_rows; i++)
        ok = write_parsed_row (run, b, &b->rows[i], error);
      run->vcard_bytes = b->bytes_read;
      if (ok && b->error != NULL)
        {
          /* The rest of the file cannot be read: nothing of it is imported. */
          if (b->error->domain == CRM_CSV_ERROR)
            g_set_error (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_UNREADABLE,
                         _("Nothing was imported: %s"), b->error->message);
          else
            g_propagate_error (error, g_steal_pointer (&b->error));
          ok = FALSE;
        }
      if (ok && g_cancellable_set_error_if_cancelled (run->cancellable, error))
        ok = FALSE;
      if (ok)
        report_progress (run, FALSE, FALSE);
      else
        g_atomic_int_set (&run->stop, 1);
      done = b->end;
      if (!done)
        g_async_queue_push (pipe.free_batches, b);
    }
  g_thread_join (thread);
  batch_free (b);
  while ((b = g_async_queue_try_pop (pipe.free_batches)) != NULL)
    batch_free (b);
  g_async_queue_unref (pipe.free_batches);
  g_async_queue_unref (pipe.full_batches);
  return ok;
}

static gboolean
run_vcard (Run      *run,
           GError  **error)
{
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr(CrmVcardParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!g_file_get_contents (run->self->path, &data, &len, error))
    return FALSE;
  parser = crm_vcard_parser_new (data, len);

  for (;;)
    {
      g_autoptr(CrmVcardCard) card = NULL;
      g_autoptr(GError) card_error = NULL;

      card = crm_vcard_parser_next (parser, &card_error);
      run->vcard_bytes = crm_vcard_parser_get_offset (parser);
      if (card == NULL && card_error == NULL)
        break;
      run->rows++;
      if (card == NULL)
        {
          g_autofree char *raw = crm_vcard_parser_get_last_raw (parser);

          run->cells = NULL;
          run->n_cells = 0;
          run->raw_text = raw;
          run->line = crm_vcard_parser_get_last_line (parser);
          if (!reject (run, -1, card_error->message, error))
            return FALSE;
          run->raw_text = NULL;
          continue;
        }

      run->cells = crm_vcard_card_get_cells (card, &run->n_cells);
      run->raw_text = crm_vcard_card_get_raw (card);
      run->line = crm_vcard_card_get_line (card);
      if (!import_customer_cells (run, run->cells, run->n_cells, error))
        return FALSE;
      run->raw_text = NULL;

      if ((run->rows & 255) == 0)
        {
          if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
            return FALSE;
          report_progress (run, FALSE, FALSE);
        }
    }
  return TRUE;
}

static gboolean
update_aggregates (Run     *run,
                   GError **error)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, run->touched_customers);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (*(gint64 *) key != 0 && !crm_store_update_customer_aggregates (run->store, *(gint64 *) key, error))
      return FALSE;
  return TRUE;
}

/* Phases of a run for G_MESSAGES_DEBUG (bench/RESULTS.md): wall time, and the CPU time
 * of this thread and of the whole process, which a busy machine disturbs much less. */
static void
phase_debug (Run        *run,
             const char *what)
{
  struct timespec self = { 0 }, thread = { 0 };

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &self);
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &thread);
  g_debug ("import: %s after %.2f s (CPU: writer %.2f s, process %.2f s)", what,
           (g_get_monotonic_time () - run->t_start) / 1e6,
           thread.tv_sec + thread.tv_nsec / 1e9, self.tv_sec + self.tv_nsec / 1e9);
}


gboolean
crm_importer_run (CrmImporter        *self,
                  CrmImportProgress   progress,
                  gpointer            user_data,
                  GCancellable       *cancellable,
                  GError            **error)
{
  Run run = { 0 };
  g_autoptr(GPtrArray) triggers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) indexes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GString) fts_cols = g_string_new (NULL);
  g_autofree char *store_currency = NULL;
  gint64 cache_size = 0;
  g_autofree char *journal_mode = NULL;
  gboolean search_pending = FALSE;
  gint64 data_version = -1;
  gboolean in_tx = FALSE, ok = FALSE, have_mapping = FALSE;
  gint64 existing_rows;
  CrmEntityClass *klass;

  g_return_val_if_fail (CRM_IS_IMPORTER (self), FALSE);

  memset (&self->report, 0, sizeof self->report);
  g_array_set_size (self->rejects, 0);

  if (!self->prepared && !crm_importer_prepare (self, cancellable, error))
    return FALSE;

  for (guint c = 0; c < self->n_columns; c++)
    have_mapping |= self->plan[c] >= 0;
  if (!have_mapping)
    {
      g_set_error_literal (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_BAD_MAPPING,
                           _("No column is mapped to a field: choose at least one"));
      return FALSE;
    }
  if (self->kind == CRM_IMPORT_ORDERS)
    {
      gboolean has_date = FALSE;

      for (guint c = 0; c < self->n_columns; c++)
        has_date |= self->plan[c] == T_O_PLACED_AT;
      if (!has_date)
        {
          g_set_error_literal (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_BAD_MAPPING,
                               _("No column is mapped to the order date (placed_at)"));
          return FALSE;
        }
    }

  if (self->currency == NULL)
    {
      store_currency = crm_store_get_setting (self->store, "currency");
      crm_importer_set_currency (self, store_currency ? store_currency : "CNY");
    }

  run.self = self;
  run.store = self->store;
  run.db = crm_store_get_db (self->store);
  run.cancellable = cancellable;
  run.progress = progress;
  run.user_data = user_data;
  run.now = crm_now_ms ();
  run.journal = !env_is ("CLIENTELE_IMPORT_JOURNAL", "off");   /* bench knob: cost of the journal */
  run.fts_by_trigger = env_is ("CLIENTELE_IMPORT_FTS", "trigger");
  term_dict_init (&run.term_dict);
  term_dict_init (&run.tag_dict);
  run.term_rows = g_array_new (FALSE, FALSE, sizeof (guint64));
  run.tag_rows = g_array_new (FALSE, FALSE, sizeof (guint64));
  run.touched_customers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  run.arena.alloc = 64 * 1024;
  run.arena.buf = g_malloc (run.arena.alloc);
  run.arena.big = g_ptr_array_new_with_free_func (g_free);
  run.t_start = g_get_monotonic_time ();

  klass = g_type_class_ref (CRM_TYPE_CUSTOMER);
  for (int t = 0; t < T_N_CUSTOMER; t++)
    {
      int f = crm_entity_find_field (klass, customer_targets[t].name);
      if (f >= 0 && klass->fields[f].type == G_TYPE_STRING)
        run.max_chars[t] = klass->fields[f].max_chars;
    }
  run.max_chars[T_FIRST_NAME] = run.max_chars[T_LAST_NAME] = run.max_chars[T_NAME];
  run.max_chars[T_ADDRESS2] = run.max_chars[T_ADDRESS];
  g_type_class_unref (klass);

  file = g_file_new_for_path (self->path);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, cancellable, NULL);
  run.bytes_total = info ? g_file_info_get_size (info) : 0;

  if (self->rejects_path != NULL)
    {
      run.rejects_partial = g_strconcat (self->rejects_path, ".partial", NULL);
      if (self->is_vcard)
        {
          if (!g_file_set_contents_full (run.rejects_partial, "", 0, G_FILE_SET_CONTENTS_NONE, 0600, error))
            goto out;
        }
      else
        {
          g_autofree const char **header = g_new0 (const char *, self->n_columns + 2);

          /* UTF-8 with BOM: what the user opens next is Excel, to fix the rows. */
          run.rejects = crm_csv_writer_new_for_path (run.rejects_partial, CRM_CSV_ENCODING_UTF8_BOM, error);
          if (run.rejects == NULL)
            goto out;
          for (guint c = 0; c < self->n_columns; c++)
            header[c] = self->columns[c];
          header[self->n_columns] = "reason";
          if (self->has_header &&
              !crm_csv_writer_write_record (run.rejects, header, self->n_columns + 1, cancellable, error))
            goto out;
        }
    }

  cache_size = crm_db_query_int64 (run.db, "PRAGMA cache_size", -2000);
  /* A large run on a file nobody else has open (the CLI): a rollback journal instead of the WAL,
   * so that the pages are written once, to the database, and not to the WAL and then again by
   * the checkpoint; new pages at the end of the file need no journal at all.  synchronous stays
   * as the store set it.  With another connection open the switch fails and WAL stays. */
  if (self->kind == CRM_IMPORT_CUSTOMERS && !self->is_vcard && self->preview_rows > 0 &&
      run.bytes_total / MAX (1, self->preview_bytes / self->preview_rows) >= BULK_MIN_ROWS &&
      !env_is ("CLIENTELE_IMPORT_JOURNAL_MODE", "wal"))
    {
      journal_mode = crm_db_query_text (run.db, "PRAGMA journal_mode");
      g_free (crm_db_query_text (run.db, "PRAGMA journal_mode = TRUNCATE"));
    }
  {
    /* Bench knob: the page cache of the run, in MiB. */
    const char *mb = g_getenv ("CLIENTELE_IMPORT_CACHE_MB");
    g_autofree char *pragma = g_strdup_printf ("PRAGMA cache_size = -%" G_GUINT64_FORMAT,
                                               (mb ? g_ascii_strtoull (mb, NULL, 10) : 256) * 1024);
    if (!crm_store_exec (self->store, pragma, error))
      goto out;
  }
  if (
      !crm_store_begin (self->store, error))
    goto out;
  in_tx = TRUE;
  if (cancellable != NULL)
    sqlite3_progress_handler (run.db, 10000, progress_handler, cancellable);

  run.first_new_id = crm_db_query_int64 (run.db, "SELECT coalesce(max(id), 0) + 1 FROM customers", 1);
  run.new_states = g_array_new (FALSE, FALSE, sizeof (NewState));
  run.next_id = run.first_new_id;
  if (!(run.insert_stmt = crm_store_prepare (self->store,
          "INSERT INTO customers (id, uuid, created_at, updated_at, name, gender, birthday, phone, email,"
          " company, occupation, address, city, region, country, postal_code, source, tags, notes,"
          " email_consent, email_consent_at, sms_consent, sms_consent_at, owner, external_id,"
          " phone_digits, phone_rev, email_key, email_domain)"
          " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", error)) ||
      !(run.journal_stmt = crm_store_prepare (self->store,
          "INSERT INTO changes (entity, uuid, op, at, fields) VALUES (?, ?, ?, ?, ?)", error)))
    goto out;

  /* FTS column list, as the FTS table names them. */
  {
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (run.db, "SELECT name FROM pragma_table_info('customers_fts')", -1, &stmt, NULL) == SQLITE_OK)
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_string_append_printf (fts_cols, ", %s", (const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
    run.fts_cols = fts_cols->str;
  }

  if (!run.fts_by_trigger &&
      !crm_store_drop_objects (self->store, "TRIGGER",
                               "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'customers'"
                               " AND name IN ('customers_fts_ai', 'customers_fts_au')", triggers, error))
    goto out;
  if (!crm_store_drop_objects (self->store, "TRIGGER",
                               "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                               " AND name = 'customers_state_ai'", triggers, error))
    goto out;

  /* Bulk mode: the file adds at least as many customers as there are. */
  existing_rows = crm_db_query_int64 (run.db, "SELECT count(*) FROM customers", 0);
  if (self->kind == CRM_IMPORT_CUSTOMERS && !self->is_vcard)
    {
      /* Rows in the file, from the preview rows' length (cells + delimiters + line end). */
      gsize preview_len = 0;
      guint64 estimate;

      for (guint i = 0; i < self->preview->len; i++)
        {
          char **cells = g_ptr_array_index (self->preview, i);
          for (guint c = 0; cells[c]; c++)
            preview_len += strlen (cells[c]) + 1;
        }
      estimate = preview_len > 0 ? run.bytes_total / MAX (1, preview_len / self->preview->len) : 0;

      run.bulk = estimate >= BULK_MIN_ROWS && (gint64) estimate >= existing_rows;
      if (env_is ("CLIENTELE_IMPORT_MODE", "bulk"))
        run.bulk = TRUE;
      else if (env_is ("CLIENTELE_IMPORT_MODE", "incremental"))
        run.bulk = FALSE;
    }
  if (run.bulk)
    {
      g_autofree char *select = dropped_index_select (&run);

      if (!crm_store_drop_objects (self->store, "INDEX", select, indexes, error) ||
          !load_existing_keys (&run, error))
        goto out;
    }
  g_debug ("import: %s mode, %" G_GINT64_FORMAT " customers before", run.bulk ? "bulk" : "incremental", existing_rows);

  if (self->is_vcard ? !run_vcard (&run, error) :
      self->kind == CRM_IMPORT_CUSTOMERS && !env_is ("CLIENTELE_IMPORT_THREADS", "1") ? !run_csv_customers (&run, error) :
      !run_csv (&run, error))
    goto out;

  report_progress (&run, TRUE, TRUE);
  phase_debug (&run, "rows read and written");
  if (self->kind == CRM_IMPORT_ORDERS && !update_aggregates (&run, error))
    goto out;

  /* The short-query terms are part of the search index, written after the commit with the
   * full-text index (below); the tags are a filter and go in with the rows. */
  search_pending = !run.fts_by_trigger && run.next_id > run.first_new_id;
  if ((!search_pending && !flush_terms (&run, &run.term_dict, run.term_rows, "customer_terms", "term", error)) ||
      !flush_terms (&run, &run.tag_dict, run.tag_rows, "customer_tags", "tag", error))
    goto out;
  phase_debug (&run, "tags written");
  if (!add_state_rows (&run, error))
    goto out;
  phase_debug (&run, "state rows written");
  if (!crm_store_create_indexes (self->store, indexes, error))
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_clear_error (error);
          g_cancellable_set_error_if_cancelled (cancellable, error);
        }
      goto out;
    }
  phase_debug (&run, "indexes made");
  if (!recreate (&run, triggers, error))
    goto out;
  /* The new rows reach the search index after the commit (crm_store_finish_search_index()):
   * the mark below, in this transaction, makes sure they do even if this process stops. */
  if (search_pending)
    {
      data_version = crm_store_get_data_version (self->store);
      if (!crm_store_set_search_pending (self->store, run.first_new_id, error))
        goto out;
    }

  if (self->has_header && !self->is_vcard && !save_mapping (self, error))
    goto out;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;
  if (cancellable != NULL)
    sqlite3_progress_handler (run.db, 0, NULL, NULL);
  if (!crm_store_commit (self->store, error))
    goto out;
  in_tx = FALSE;
  phase_debug (&run, "committed");

  /* Committed: from here on a cancel cannot undo the import, so the indexing is not cancelled. */
  run.committed = TRUE;
  report_progress (&run, TRUE, TRUE);
  if (search_pending && !crm_store_finish_search_index (self->store, data_version, flush_search_terms, &run, error))
    goto out;
  phase_debug (&run, "search index filled");

  if (run.rejects != NULL && !crm_csv_writer_close (run.rejects, NULL, error))
    goto out;
  if (run.rejects_partial != NULL)
    {
      if (self->report.rejected == 0)
        g_unlink (run.rejects_partial);
      else if (g_rename (run.rejects_partial, self->rejects_path) != 0)
        {
          int saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("The import is done, but the rejected rows could not be written to “%s”: %s"),
                       self->rejects_path, g_strerror (saved));
          g_clear_pointer (&run.rejects_partial, g_free);
          goto out;
        }
      g_clear_pointer (&run.rejects_partial, g_free);
    }
  ok = TRUE;

out:
  if (cancellable != NULL)
    sqlite3_progress_handler (run.db, 0, NULL, NULL);
  /* A statement interrupted by the cancel reports itself as a database error: say what it was. */
  if (!ok && g_cancellable_is_cancelled (cancellable) && error != NULL && *error != NULL &&
      !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (error);
      g_cancellable_set_error_if_cancelled (cancellable, error);
    }
  if (in_tx)
    {
      /* The dropped triggers and indexes come back with the rollback. */
      crm_store_rollback (self->store);
      memset (&self->report, 0, sizeof self->report);
      g_array_set_size (self->rejects, 0);
    }
  if (cache_size != 0)
    {
      g_autofree char *sql = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, cache_size);
      crm_store_exec (self->store, sql, NULL);
    }
  if (journal_mode != NULL)
    {
      /* The mode is a keyword SQLite itself returned ("wal"). */
      g_autofree char *sql = g_strdup_printf ("PRAGMA journal_mode = %s", journal_mode);
      g_autofree char *mode = crm_db_query_text (run.db, sql);

      if (mode == NULL || g_ascii_strcasecmp (mode, journal_mode) != 0)
        g_warning ("Could not set the journal mode of the database back to %s", journal_mode);
    }
  g_clear_object (&run.rejects);
  if (run.rejects_partial != NULL)
    g_unlink (run.rejects_partial);
  g_free (run.rejects_partial);
  g_free (run.keys.slots);
  g_clear_pointer (&run.deleted_uuids, g_hash_table_unref);
  term_dict_clear (&run.term_dict);
  term_dict_clear (&run.tag_dict);
  g_array_unref (run.term_rows);
  g_array_unref (run.tag_rows);
  g_clear_pointer (&run.stale_terms, g_hash_table_unref);
  g_clear_pointer (&run.new_states, g_array_unref);
  g_hash_table_unref (run.touched_customers);
  g_free (run.arena.buf);
  g_ptr_array_unref (run.arena.big);

  self->report.rows = ok ? run.rows : 0;
  self->report.seconds = (g_get_monotonic_time () - run.t_start) / 1e6;
  if (ok)
    report_progress (&run, FALSE, TRUE);
  return ok;
}

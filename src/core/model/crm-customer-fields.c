/* crm-customer-fields.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-customer-fields.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define MODEL(f)        (CRM_CUSTOMER_##f + 1)
#define GEOGRAPHY       N_("Geography")
#define DEMOGRAPHICS    N_("Demographics")
#define BEHAVIOUR       N_("Behaviour")
#define RFM             N_("RFM")
#define VALUE           N_("Value")
#define NEEDS           N_("Needs and tags")
#define CONSENT         N_("Consent")

#define BOTH            (CRM_FIELD_IO_IMPORT | CRM_FIELD_IO_EXPORT)
#define CUSTOMERS       CRM_FIELD_HEADERS_CUSTOMERS
#define ORDERS          CRM_FIELD_HEADERS_ORDERS
#define SHOPIFY         CRM_FIELD_HEADERS_SHOPIFY_CUSTOMERS
#define SHOPIFY_ORDERS  CRM_FIELD_HEADERS_SHOPIFY_ORDERS
#define WOO             CRM_FIELD_HEADERS_WOO_CUSTOMERS
#define WOO_ORDERS      CRM_FIELD_HEADERS_WOO_ORDERS

/* Fields without a stored column (first name, age, …) serve the consumers that know how to make
 * them: the importer joins first and last names, vCards split and join them, rules compute age. */
static const CrmCustomerFieldInfo fields[] = {
  [CRM_FIELD_ID_UUID] = {
    .key = "uuid", .label = N_("UUID"), .stored = CRM_FIELD_STORED_CUSTOMERS, .io = BOTH,
    .headers = { [ORDERS] = "customeruuid" },
    .vcard = "UID" },
  [CRM_FIELD_ID_NAME] = {
    .key = "name", .label = N_("Name"), .stored = CRM_FIELD_STORED_CUSTOMERS, .model = MODEL (NAME),
    .max_chars = 200, .flags = CRM_FIELD_FLAG_REQUIRED, .io = BOTH,
    .headers = { [CUSTOMERS] = "fullname customername customer contact contactname "
                               "姓名 名字 客户 客户名称 客户姓名 联系人 名称",
                 [ORDERS] = "customername customer name 客户 姓名 客户姓名",
                 [SHOPIFY_ORDERS] = "billingname", [WOO] = "name" },
    .vcard = "FN",   /* no .woo: WooCommerce keeps first_name and last_name only */
    .list = { 1, 160, TRUE, N_("Name") },
    .form = { CRM_FIELD_EDITOR_NAME, CRM_FIELD_SECTION_CONTACT, 1 } },
  [CRM_FIELD_ID_FIRST_NAME] = {
    .key = "first_name", .label = N_("First name"), .io = CRM_FIELD_IO_IMPORT,
    .headers = { [CUSTOMERS] = "givenname 名", [SHOPIFY] = "firstname",
                 [WOO] = "+firstname billingfirstname", [WOO_ORDERS] = "billingfirstname" },
    .vcard = "N", .vcard_part = 2, .woo = "first_name" },
  [CRM_FIELD_ID_LAST_NAME] = {
    .key = "last_name", .label = N_("Last name"), .io = CRM_FIELD_IO_IMPORT,
    .headers = { [CUSTOMERS] = "surname familyname 姓", [SHOPIFY] = "lastname",
                 [WOO] = "+lastname billinglastname", [WOO_ORDERS] = "billinglastname" },
    .vcard = "N", .vcard_part = 1, .woo = "last_name" },
  [CRM_FIELD_ID_GENDER] = {
    .key = "gender", .label = N_("Gender"), .value = CRM_FIELD_VALUE_GENDER,
    .stored = CRM_FIELD_STORED_CUSTOMERS, .model = MODEL (GENDER), .io = BOTH,
    .headers = { [CUSTOMERS] = "sex 性别" },
    .rule = { CRM_RULE_TYPE_CHOICE, 5, DEMOGRAPHICS },
    .form = { CRM_FIELD_EDITOR_GENDER, CRM_FIELD_SECTION_PERSONAL, 6 } },
  [CRM_FIELD_ID_BIRTHDAY] = {
    .key = "birthday", .label = N_("Birthday"), .value = CRM_FIELD_VALUE_DATE,
    .stored = CRM_FIELD_STORED_CUSTOMERS, .model = MODEL (BIRTHDAY), .max_chars = 10, .io = BOTH,
    .headers = { [CUSTOMERS] = "birthdate dateofbirth dob 生日 出生日期" },
    .vcard = "BDAY",
    .form = { CRM_FIELD_EDITOR_DATE, CRM_FIELD_SECTION_PERSONAL, 7 } },
  /* From the birthday, on the day the rule runs. */
  [CRM_FIELD_ID_AGE] = {
    .key = "age", .label = N_("Age"), .value = CRM_FIELD_VALUE_COUNT,
    .rule = { CRM_RULE_TYPE_NUMBER, 4, DEMOGRAPHICS } },
  [CRM_FIELD_ID_PHONE] = {
    .key = "phone", .label = N_("Phone"), .stored = CRM_FIELD_STORED_CUSTOMERS, .model = MODEL (PHONE),
    .max_chars = 40, .io = BOTH,
    .headers = { [CUSTOMERS] = "telephone tel mobile cell phonenumber mobilephone "
                               "手机 电话 手机号 手机号码 联系电话 电话号码",
                 [ORDERS] = "customerphone phone 手机 电话",
                 [SHOPIFY] = "+phone defaultaddressphone", [SHOPIFY_ORDERS] = "billingphone +phone",
                 [WOO] = "billingphone", [WOO_ORDERS] = "billingphone" },
    .vcard = "TEL", .woo = "billing.phone",
    .list = { 2, 140, FALSE, N_("Phone") },
    .form = { CRM_FIELD_EDITOR_PHONE, CRM_FIELD_SECTION_CONTACT, 2 } },
  [CRM_FIELD_ID_EMAIL] = {
    .key = "email", .label = N_("E-mail"), .stored = CRM_FIELD_STORED_CUSTOMERS, .model = MODEL (EMAIL),
    .max_chars = 254, .io = BOTH,
    .headers = { [CUSTOMERS] = "mail emailaddress 邮箱 电子邮件 电子邮箱 邮件",
                 [ORDERS] = "customeremail email 邮箱",
                 [SHOPIFY] = "email", [SHOPIFY_ORDERS] = "email",
                 [WOO] = "+email billingemail", [WOO_ORDERS] = "billingemail" },
    .vcard = "EMAIL", .woo = "email",
    .list = { 3, 200, TRUE, N_("E-mail") },
    .form = { CRM_FIELD_EDITOR_EMAIL, CRM_FIELD_SECTION_CONTACT, 3 } },
  [CRM_FIELD_ID_COMPANY] = {
    .key = "company", .label = N_("Company"), .stored = CRM_FIELD_STORED_CUSTOMERS,
    .model = MODEL (COMPANY), .max_chars = 200, .io = BOTH,
    .headers = { [CUSTOMERS] = "organization organisation org 公司 单位 公司名称",
                 [SHOPIFY] = "defaultaddresscompany company", [SHOPIFY_ORDERS] = "billingcompany",
                 [WOO] = "billingcompany", [WOO_ORDERS] = "billingcompany" },
    .vcard = "ORG", .woo = "billing.company",
    .form = { CRM_FIELD_EDITOR_TEXT, CRM_FIELD_SECTION_CONTACT, 4 } },
  [CRM_FIELD_ID_OCCUPATION] = {
    .key = "occupation", .label = N_("Occupation"), .stored = CRM_FIELD_STORED_CUSTOMERS,
    .model = MODEL (OCCUPATION), .max_chars = 100, .io = BOTH,
    .headers = { [CUSTOMERS] = "jobtitle title job position 职业 职位 职务" },
    .vcard = "TITLE",
    .rule = { CRM_RULE_TYPE_TEXT, 6, DEMOGRAPHICS },
    .form = { CRM_FIELD_EDITOR_TEXT, CRM_FIELD_SECTION_CONTACT, 5 } },
  [CRM_FIELD_ID_ADDRESS] = {
    .key = "address", .label = N_("Address"), .stored = CRM_FIELD_STORED_CUSTOMERS,
    .model = MODEL (ADDRESS), .max_chars = 500, .io = BOTH,
    .headers = { [CUSTOMERS] = "street address1 addressline1 地址 详细地址 收货地址",
                 [SHOPIFY] = "defaultaddressaddress1 address1",
                 [SHOPIFY_ORDERS] = "+billingaddress1 billingstreet",
                 [WOO] = "billingaddress1", [WOO_ORDERS] = "billingaddress1" },
    .vcard = "ADR", .vcard_part = 3, .woo = "billing.address_1",
    .form = { CRM_FIELD_EDITOR_TEXT, CRM_FIELD_SECTION_ADDRESS, 8 } },
  /* Joined to the address by the importer. */
  [CRM_FIELD_ID_ADDRESS2] = {
    .key = "address2", .label = N_("Address line 2"), .io = CRM_FIELD_IO_IMPORT,
    .headers = { [CUSTOMERS] = "addressline2", [SHOPIFY] = "defaultaddressaddress2 address2",
                 [SHOPIFY_ORDERS] = "billingaddress2", [WOO] = "billingaddress2",
                 [WOO_ORDERS] = "billingaddress2" },
    .woo = "billing.address_2" },
  [CRM_FIELD_ID_CITY] = {
    .key = "city", .label = N_("City"), .stored = CRM_FIELD_STORED_CUSTOMERS, .model = MODEL (CITY),
    .max_chars = 100, .io = BOTH,
    .headers = { [CUSTOMERS] = "town 城市 市 所在城市 所在地",
                 [SHOPIFY] = "defaultaddresscity city", [SHOPIFY_ORDERS] = "billingcity",
                 [WOO] = "billingcity city", [WOO_ORDERS] = "billingcity" },
    .vcard = "ADR", .vcard_part = 4, .woo = "billing.city",
    .rule = { CRM_RULE_TYPE_TEXT, 1, GEOGRAPHY },
    .list = { 4, 100, FALSE, N_("City") },
    .form = { CRM_FIELD_EDITOR_TEXT, CRM_FIELD_SECTION_ADDRESS, 9 } },
  [CRM_FIELD_ID_REGION] = {
    .key = "region", .label = N_("Region"), .stored = CRM_FIELD_STORED_CUSTOMERS, .model = MODEL (REGION),
    .max_chars = 100, .io = BOTH,
    .headers = { [CUSTOMERS] = "所在省份 province state county 省份 省 地区",
                 [SHOPIFY] = "+defaultaddressprovincecode +provincecode province",
                 [SHOPIFY_ORDERS] = "billingprovince", [WOO] = "billingstate region",
                 [WOO_ORDERS] = "billingstate" },
    .vcard = "ADR", .vcard_part = 5, .woo = "billing.state",
    .rule = { CRM_RULE_TYPE_TEXT, 2, GEOGRAPHY },
    .form = { CRM_FIELD_EDITOR_TEXT, CRM_FIELD_SECTION_ADDRESS, 10 } },
  [CRM_FIELD_ID_COUNTRY] = {
    .key = "country", .label = N_("Country"), .stored = CRM_FIELD_STORED_CUSTOMERS,
    .model = MODEL (COUNTRY), .max_chars = 100, .io = BOTH,
    .headers = { [CUSTOMERS] = "countrycode 国家",
                 [SHOPIFY] = "+defaultaddresscountrycode +countrycode country",
                 [SHOPIFY_ORDERS] = "billingcountry", [WOO] = "billingcountry countryregion",
                 [WOO_ORDERS] = "billingcountry" },
    .vcard = "ADR", .vcard_part = 7, .woo = "billing.country",
    .rule = { CRM_RULE_TYPE_TEXT, 3, GEOGRAPHY },
    .form = { CRM_FIELD_EDITOR_TEXT, CRM_FIELD_SECTION_ADDRESS, 12 } },
  [CRM_FIELD_ID_POSTAL_CODE] = {
    .key = "postal_code", .label = N_("Postal code"), .stored = CRM_FIELD_STORED_CUSTOMERS,
    .model = MODEL (POSTAL_CODE), .max_chars = 20, .io = BOTH,
    .headers = { [CUSTOMERS] = "postcode zip zipcode 邮编 邮政编码",
                 [SHOPIFY] = "defaultaddresszip zip", [SHOPIFY_ORDERS] = "billingzip",
                 [WOO] = "billingpostcode postalcode", [WOO_ORDERS] = "billingpostcode" },
    .vcard = "ADR", .vcard_part = 6, .woo = "billing.postcode",
    .form = { CRM_FIELD_EDITOR_TEXT, CRM_FIELD_SECTION_ADDRESS, 11 } },
  [CRM_FIELD_ID_SOURCE] = {
    .key = "source", .label = N_("Source channel"), .stored = CRM_FIELD_STORED_CUSTOMERS,
    .model = MODEL (SOURCE), .max_chars = 100, .io = BOTH,
    .headers = { [CUSTOMERS] = "leadsource 来源 渠道" },
    .rule = { CRM_RULE_TYPE_TEXT, 22, NEEDS },
    .form = { CRM_FIELD_EDITOR_TEXT, CRM_FIELD_SECTION_RELATIONSHIP, 14 } },
  [CRM_FIELD_ID_TAGS] = {
    .key = "tags", .label = N_("Tags"), .stored = CRM_FIELD_STORED_CUSTOMERS, .model = MODEL (TAGS),
    .max_chars = 1000, .io = BOTH,
    .headers = { [CUSTOMERS] = "tag labels 标签", [SHOPIFY] = "tags" },
    .vcard = "CATEGORIES",
    /* A rule matches one tag of the list (customer_tags), hence its own key. */
    .rule = { CRM_RULE_TYPE_TEXT, 21, NEEDS, "tag", N_("Tag or interest") },
    .form = { CRM_FIELD_EDITOR_TEXT, CRM_FIELD_SECTION_RELATIONSHIP, 13 } },
  [CRM_FIELD_ID_NOTES] = {
    .key = "notes", .label = N_("Notes"), .stored = CRM_FIELD_STORED_CUSTOMERS, .model = MODEL (NOTES),
    .max_chars = 100000, .io = BOTH,
    .headers = { [CUSTOMERS] = "note comment comments remarks 备注 说明", [SHOPIFY] = "note" },
    .vcard = "NOTE",
    .form = { CRM_FIELD_EDITOR_NOTES } },
  [CRM_FIELD_ID_EMAIL_CONSENT] = {
    .key = "email_consent", .label = N_("E-mail marketing consent"), .value = CRM_FIELD_VALUE_BOOLEAN,
    .stored = CRM_FIELD_STORED_CUSTOMERS, .model = MODEL (EMAIL_CONSENT), .io = BOTH,
    .headers = { [CUSTOMERS] = "acceptsmarketing acceptsemailmarketing",
                 [SHOPIFY] = "acceptsemailmarketing acceptsmarketing",
                 [SHOPIFY_ORDERS] = "acceptsmarketing" },
    .rule = { CRM_RULE_TYPE_BOOLEAN, 23, CONSENT, NULL, N_("E-mail consent") },
    .form = { CRM_FIELD_EDITOR_SWITCH, CRM_FIELD_SECTION_CONSENT, 17 } },
  [CRM_FIELD_ID_EMAIL_CONSENT_AT] = {
    .key = "email_consent_at", .label = N_("E-mail consent given"), .value = CRM_FIELD_VALUE_TIME,
    .stored = CRM_FIELD_STORED_CUSTOMERS, .model = MODEL (EMAIL_CONSENT_AT), .io = BOTH },
  [CRM_FIELD_ID_SMS_CONSENT] = {
    .key = "sms_consent", .label = N_("SMS marketing consent"), .value = CRM_FIELD_VALUE_BOOLEAN,
    .stored = CRM_FIELD_STORED_CUSTOMERS, .model = MODEL (SMS_CONSENT), .io = BOTH,
    .headers = { [CUSTOMERS] = "acceptssmsmarketing", [SHOPIFY] = "acceptssmsmarketing" },
    .rule = { CRM_RULE_TYPE_BOOLEAN, 24, CONSENT, NULL, N_("SMS consent") },
    .form = { CRM_FIELD_EDITOR_SWITCH, CRM_FIELD_SECTION_CONSENT, 18 } },
  [CRM_FIELD_ID_SMS_CONSENT_AT] = {
    .key = "sms_consent_at", .label = N_("SMS consent given"), .value = CRM_FIELD_VALUE_TIME,
    .stored = CRM_FIELD_STORED_CUSTOMERS, .model = MODEL (SMS_CONSENT_AT), .io = BOTH },
  [CRM_FIELD_ID_OWNER] = {
    .key = "owner", .label = N_("Sales rep"), .stored = CRM_FIELD_STORED_CUSTOMERS, .model = MODEL (OWNER),
    .max_chars = 100, .io = BOTH,
    .headers = { [CUSTOMERS] = "salesrep 负责人" },
    /* Not typed in the form: one of the managed owners, chosen with its pool history in the
     * detail's Owner and Follow-ups (crm-customer-tasks.c). */ },
  [CRM_FIELD_ID_EXTERNAL_ID] = {
    .key = "external_id", .label = N_("External ID"), .stored = CRM_FIELD_STORED_CUSTOMERS,
    .model = MODEL (EXTERNAL_ID), .max_chars = 200, .io = BOTH,
    .headers = { [CUSTOMERS] = "customerid id 客户编号 编号",
                 [ORDERS] = "customerexternalid customerid",
                 [SHOPIFY] = "customerid", [WOO] = "customerid id",
                 [WOO_ORDERS] = "customerid customeruser" },
    .vcard = "X-CLIENTELE-EXTERNAL-ID", .woo = "id",
    .form = { CRM_FIELD_EDITOR_TEXT, CRM_FIELD_SECTION_RELATIONSHIP, 16 } },
  [CRM_FIELD_ID_CREATED_AT] = {
    .key = "created_at", .label = N_("Created"), .value = CRM_FIELD_VALUE_TIME,
    .stored = CRM_FIELD_STORED_CUSTOMERS, .io = BOTH,
    .headers = { [CUSTOMERS] = "created datecreated 创建时间 注册时间", [WOO] = "dateregistered" },
    .woo = "date_created_gmt" },
  /* Kept up to date with every order write; the shops' exports carry their own figures, which
   * are recognised and not imported. */
  [CRM_FIELD_ID_TOTAL_SPENT] = {
    .key = "total_spent", .label = N_("Total spent"), .value = CRM_FIELD_VALUE_MONEY,
    .stored = CRM_FIELD_STORED_CUSTOMERS, .model = MODEL (TOTAL_SPENT),
    .flags = CRM_FIELD_FLAG_COMPUTED, .io = CRM_FIELD_IO_EXPORT,
    .headers = { [SHOPIFY] = "totalspent", [WOO] = "totalspent totalspend" },
    .rule = { CRM_RULE_TYPE_MONEY, 7, BEHAVIOUR },
    .list = { 7, 124, FALSE, N_("Total Spent") } },
  [CRM_FIELD_ID_ORDER_COUNT] = {
    .key = "order_count", .label = N_("Orders"), .value = CRM_FIELD_VALUE_COUNT,
    .stored = CRM_FIELD_STORED_CUSTOMERS, .model = MODEL (ORDER_COUNT),
    .flags = CRM_FIELD_FLAG_COMPUTED, .io = CRM_FIELD_IO_EXPORT,
    .headers = { [SHOPIFY] = "totalorders", [WOO] = "ordercount orders" },
    .rule = { CRM_RULE_TYPE_NUMBER, 8, BEHAVIOUR },
    .list = { 8, 70, FALSE, N_("Orders") } },
  [CRM_FIELD_ID_AVERAGE_ORDER] = {
    .key = "average_order", .label = N_("Average order value"), .value = CRM_FIELD_VALUE_MONEY,
    .headers = { [WOO] = "aov" },
    .rule = { CRM_RULE_TYPE_MONEY, 9, BEHAVIOUR } },
  [CRM_FIELD_ID_FIRST_ORDER] = {
    .key = "first_order", .label = N_("First order"), .value = CRM_FIELD_VALUE_DAY,
    .stored = CRM_FIELD_STORED_CUSTOMERS, .column = "first_order_at", .model = MODEL (FIRST_ORDER_AT),
    .flags = CRM_FIELD_FLAG_COMPUTED, .io = CRM_FIELD_IO_EXPORT,
    .rule = { CRM_RULE_TYPE_DATE, 10, BEHAVIOUR } },
  [CRM_FIELD_ID_LAST_ORDER] = {
    .key = "last_order", .label = N_("Last order"), .value = CRM_FIELD_VALUE_DAY,
    .stored = CRM_FIELD_STORED_CUSTOMERS, .column = "last_order_at", .model = MODEL (LAST_ORDER_AT),
    .flags = CRM_FIELD_FLAG_COMPUTED, .io = CRM_FIELD_IO_EXPORT,
    .rule = { CRM_RULE_TYPE_DATE, 11, BEHAVIOUR },
    .list = { 9, 128, FALSE, N_("Last Order") } },
  /* Made from the orders by the rule itself. */
  [CRM_FIELD_ID_DAYS_SINCE_ORDER] = {
    .key = "days_since_order", .label = N_("Days since last order"), .value = CRM_FIELD_VALUE_COUNT,
    .rule = { CRM_RULE_TYPE_NUMBER, 12, BEHAVIOUR } },
  [CRM_FIELD_ID_CATEGORY] = {
    .key = "category", .label = N_("Bought from category"),
    .rule = { CRM_RULE_TYPE_TEXT, 13, BEHAVIOUR } },
  [CRM_FIELD_ID_CHANNEL] = {
    .key = "channel", .label = N_("Ordered through channel"),
    .rule = { CRM_RULE_TYPE_TEXT, 14, BEHAVIOUR } },
  [CRM_FIELD_ID_TIER] = {
    .key = "tier", .label = N_("Tier"), .value = CRM_FIELD_VALUE_TIER, .stored = CRM_FIELD_STORED_STATE,
    .column = "tier_id", .model = MODEL (TIER_ID), .flags = CRM_FIELD_FLAG_COMPUTED,
    .io = CRM_FIELD_IO_EXPORT,
    .rule = { CRM_RULE_TYPE_TEXT, 19, VALUE },
    .list = { 5, 90, FALSE, N_("Tier") } },
  /* Computed, but an import may set where a new customer starts. */
  [CRM_FIELD_ID_LIFECYCLE] = {
    .key = "lifecycle", .label = N_("Lifecycle stage"), .value = CRM_FIELD_VALUE_LIFECYCLE,
    .stored = CRM_FIELD_STORED_STATE, .model = MODEL (LIFECYCLE), .flags = CRM_FIELD_FLAG_COMPUTED,
    .io = BOTH,
    .rule = { CRM_RULE_TYPE_CHOICE, 20, VALUE },
    .list = { 6, 90, FALSE, N_("Stage") } },
  [CRM_FIELD_ID_R_DAYS] = {
    .key = "r_days", .label = N_("Days since last order in the RFM window"),
    .value = CRM_FIELD_VALUE_COUNT, .stored = CRM_FIELD_STORED_RFM, .io = CRM_FIELD_IO_EXPORT },
  [CRM_FIELD_ID_FREQUENCY] = {
    .key = "frequency", .label = N_("Orders in the RFM window"), .value = CRM_FIELD_VALUE_COUNT,
    .stored = CRM_FIELD_STORED_RFM, .io = CRM_FIELD_IO_EXPORT },
  [CRM_FIELD_ID_MONETARY] = {
    .key = "monetary", .label = N_("Spent in the RFM window"), .value = CRM_FIELD_VALUE_MONEY,
    .stored = CRM_FIELD_STORED_RFM, .io = CRM_FIELD_IO_EXPORT },
  [CRM_FIELD_ID_R_SCORE] = {
    .key = "r_score", .label = N_("Recency score"), .value = CRM_FIELD_VALUE_COUNT,
    .stored = CRM_FIELD_STORED_RFM, .io = CRM_FIELD_IO_EXPORT,
    .rule = { CRM_RULE_TYPE_NUMBER, 15, RFM } },
  [CRM_FIELD_ID_F_SCORE] = {
    .key = "f_score", .label = N_("Frequency score"), .value = CRM_FIELD_VALUE_COUNT,
    .stored = CRM_FIELD_STORED_RFM, .io = CRM_FIELD_IO_EXPORT,
    .rule = { CRM_RULE_TYPE_NUMBER, 16, RFM } },
  [CRM_FIELD_ID_M_SCORE] = {
    .key = "m_score", .label = N_("Monetary score"), .value = CRM_FIELD_VALUE_COUNT,
    .stored = CRM_FIELD_STORED_RFM, .io = CRM_FIELD_IO_EXPORT,
    .rule = { CRM_RULE_TYPE_NUMBER, 17, RFM } },
  [CRM_FIELD_ID_RFM_SEGMENT] = {
    .key = "rfm_segment", .label = N_("RFM segment"), .stored = CRM_FIELD_STORED_RFM, .column = "segment",
    .io = CRM_FIELD_IO_EXPORT,
    .rule = { CRM_RULE_TYPE_CHOICE, 18, RFM } },
  /* The last prediction run's figures (crm-predict.c); empty for a customer it did not score. */
  [CRM_FIELD_ID_P_ALIVE] = {
    .key = "p_alive", .label = N_("Probability still active"), .value = CRM_FIELD_VALUE_REAL,
    .stored = CRM_FIELD_STORED_PREDICTIONS, .io = CRM_FIELD_IO_EXPORT },
  [CRM_FIELD_ID_EXPECTED_90D] = {
    .key = "expected_purchases_90d", .label = N_("Expected purchases in 90 days"), .value = CRM_FIELD_VALUE_REAL,
    .stored = CRM_FIELD_STORED_PREDICTIONS, .column = "expected_90", .io = CRM_FIELD_IO_EXPORT },
  [CRM_FIELD_ID_CLV] = {
    .key = "clv", .label = N_("Predicted customer value"), .value = CRM_FIELD_VALUE_MONEY,
    .stored = CRM_FIELD_STORED_PREDICTIONS, .io = CRM_FIELD_IO_EXPORT },
  [CRM_FIELD_ID_CHURN_RISK] = {
    .key = "churn_risk", .label = N_("Churn risk"), .stored = CRM_FIELD_STORED_PREDICTIONS, .column = "risk",
    .io = CRM_FIELD_IO_EXPORT },
};

G_STATIC_ASSERT (G_N_ELEMENTS (fields) == CRM_FIELD_ID_N);

const CrmCustomerFieldInfo *
crm_customer_fields_get (guint *n_fields)
{
  *n_fields = G_N_ELEMENTS (fields);
  return fields;
}

const CrmCustomerFieldInfo *
crm_customer_fields_find (const char *key)
{
  for (guint i = 0; key != NULL && i < G_N_ELEMENTS (fields); i++)
    if (strcmp (fields[i].key, key) == 0)
      return &fields[i];

  return NULL;
}

const char *
crm_customer_field_get_rule_key (const CrmCustomerFieldInfo *field)
{
  if (field->rule.type == CRM_RULE_TYPE_NONE)
    return NULL;
  return field->rule.key != NULL ? field->rule.key : field->key;
}

const char *
crm_customer_field_get_rule_label (const CrmCustomerFieldInfo *field)
{
  return field->rule.label != NULL ? field->rule.label : field->label;
}

const CrmCustomerFieldInfo *
crm_customer_fields_find_rule (const char *rule_key)
{
  for (guint i = 0; rule_key != NULL && i < G_N_ELEMENTS (fields); i++)
    if (g_strcmp0 (crm_customer_field_get_rule_key (&fields[i]), rule_key) == 0)
      return &fields[i];

  return NULL;
}

const char *
crm_customer_field_get_column (const CrmCustomerFieldInfo *field)
{
  return field->column != NULL ? field->column : field->key;
}

int
crm_customer_field_get_model (const CrmCustomerFieldInfo *field)
{
  return (int) field->model - 1;
}

GType
crm_customer_field_get_gtype (const CrmCustomerFieldInfo *field)
{
  switch (field->value)
    {
    case CRM_FIELD_VALUE_TEXT:
    case CRM_FIELD_VALUE_DATE:
      return G_TYPE_STRING;
    case CRM_FIELD_VALUE_GENDER:
    case CRM_FIELD_VALUE_LIFECYCLE:
      return G_TYPE_INT;
    case CRM_FIELD_VALUE_BOOLEAN:
      return G_TYPE_BOOLEAN;
    case CRM_FIELD_VALUE_REAL:
      return G_TYPE_DOUBLE;
    case CRM_FIELD_VALUE_TIME:
    case CRM_FIELD_VALUE_DAY:
    case CRM_FIELD_VALUE_MONEY:
    case CRM_FIELD_VALUE_COUNT:
    case CRM_FIELD_VALUE_TIER:
    default:
      return G_TYPE_INT64;
    }
}

/* ---- the model ------------------------------------------------------------------------------- */

/* Property names are the columns with '-' for '_' (the store maps them back). */
const char *
crm_customer_field_get_property (const CrmCustomerFieldInfo *field)
{
  g_autofree char *name = NULL;

  if (field->model == 0)
    return NULL;
  name = g_strdelimit (g_strdup (crm_customer_field_get_column (field)), "_", '-');
  return g_intern_string (name);
}

void
crm_customer_fields_fill_model (CrmField *model,
                                guint     n_model)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      int m = crm_customer_field_get_model (&fields[i]);

      if (m < 0)
        continue;
      g_assert ((guint) m < n_model && model[m].name == NULL);
      model[m] = (CrmField) {
        .name = crm_customer_field_get_property (&fields[i]),
        .type = crm_customer_field_get_gtype (&fields[i]),
        .max_chars = fields[i].max_chars,
        .flags = fields[i].flags,
        .label = fields[i].label,
      };
    }
  for (guint m = 0; m < n_model; m++)
    g_assert (model[m].name != NULL);
}

/* ---- the consumers' orders --------------------------------------------------------------------- */

typedef guint (*PositionFunc) (const CrmCustomerFieldInfo *field);

static guint
rule_position (const CrmCustomerFieldInfo *field)
{
  return field->rule.type != CRM_RULE_TYPE_NONE ? field->rule.position : 0;
}

static guint
list_position (const CrmCustomerFieldInfo *field)
{
  return field->list.position;
}

static guint
form_position (const CrmCustomerFieldInfo *field)
{
  /* The notes box has its own place in the form, after the sections. */
  if (field->form.kind == CRM_FIELD_EDITOR_NOTES)
    return G_MAXUINT;
  return field->form.kind != CRM_FIELD_EDITOR_NONE ? field->form.position : 0;
}

static int
compare_position (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  PositionFunc position = user_data;
  const CrmCustomerFieldInfo *fa = *(const CrmCustomerFieldInfo **) a;
  const CrmCustomerFieldInfo *fb = *(const CrmCustomerFieldInfo **) b;
  guint pa = position (fa), pb = position (fb);

  if (pa != pb)
    return pa < pb ? -1 : 1;
  /* Equal places keep the catalogue's order. */
  return fa < fb ? -1 : fa > fb;
}

/* The fields @position places (non-zero), in its order; made once, kept for the process. */
static const CrmCustomerFieldInfo **
sorted (PositionFunc position)
{
  GPtrArray *a = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (position (&fields[i]) > 0)
      g_ptr_array_add (a, (gpointer) &fields[i]);
  g_ptr_array_sort_with_data (a, compare_position, position);
  g_ptr_array_add (a, NULL);

  return (const CrmCustomerFieldInfo **) g_ptr_array_free (a, FALSE);
}

static const CrmCustomerFieldInfo **
sorted_once (const CrmCustomerFieldInfo ***cache,
             PositionFunc                  position,
             guint                        *n_fields)
{
  if (g_once_init_enter (cache))
    g_once_init_leave (cache, sorted (position));

  if (n_fields != NULL)
    for (*n_fields = 0; (*cache)[*n_fields] != NULL; (*n_fields)++)
      ;
  return *cache;
}

const CrmCustomerFieldInfo **
crm_customer_fields_rules (guint *n_fields)
{
  static const CrmCustomerFieldInfo **cache;
  return sorted_once (&cache, rule_position, n_fields);
}

const CrmCustomerFieldInfo **
crm_customer_fields_list_columns (guint *n_fields)
{
  static const CrmCustomerFieldInfo **cache;
  return sorted_once (&cache, list_position, n_fields);
}

const CrmCustomerFieldInfo **
crm_customer_fields_form (guint *n_fields)
{
  static const CrmCustomerFieldInfo **cache;
  return sorted_once (&cache, form_position, n_fields);
}

/* ---- import headers -------------------------------------------------------------------------- */

typedef struct
{
  char     **names;
  gboolean  *preferred;
} HeaderList;

/* Split once per field and set; the catalogue is static, so are these. */
static HeaderList header_lists[G_N_ELEMENTS (fields)][CRM_FIELD_HEADERS_N];

static void
ensure_header_lists (void)
{
  static gsize once = 0;

  if (!g_once_init_enter (&once))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    for (guint set = 0; set < CRM_FIELD_HEADERS_N; set++)
      {
        g_autoptr(GPtrArray) names = g_ptr_array_new ();
        g_autoptr(GArray) preferred = g_array_new (FALSE, FALSE, sizeof (gboolean));
        g_auto(GStrv) words = g_strsplit (fields[i].headers[set] ? fields[i].headers[set] : "", " ", -1);

        /* In a spreadsheet of customers the field's own name (the export's header) is one. */
        if (set == CRM_FIELD_HEADERS_CUSTOMERS && fields[i].io != CRM_FIELD_IO_NONE)
          {
            gboolean no = FALSE;

            g_ptr_array_add (names, crm_customer_fields_normalize_header (fields[i].key));
            g_array_append_val (preferred, no);
          }
        for (guint w = 0; words[w] != NULL; w++)
          {
            gboolean plus = words[w][0] == '+';

            if (words[w][0] == '\0')
              continue;
            g_ptr_array_add (names, g_strdup (words[w] + plus));
            g_array_append_val (preferred, plus);
          }
        g_ptr_array_add (names, NULL);
        header_lists[i][set].names = (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
        header_lists[i][set].preferred = (gboolean *) g_array_free (g_steal_pointer (&preferred), FALSE);
      }

  g_once_init_leave (&once, 1);
}

const char * const *
crm_customer_field_get_headers (const CrmCustomerFieldInfo  *field,
                                CrmFieldHeaders              set,
                                const gboolean             **preferred)
{
  guint i = field - fields;

  g_return_val_if_fail (i < G_N_ELEMENTS (fields) && set < CRM_FIELD_HEADERS_N, NULL);

  ensure_header_lists ();
  if (preferred != NULL)
    *preferred = header_lists[i][set].preferred;
  return (const char * const *) header_lists[i][set].names;
}

char *
crm_customer_fields_normalize_header (const char *header)
{
  g_autofree char *lower = g_utf8_strdown (header, -1);
  GString *s = g_string_sized_new (strlen (lower));
  const char *p = lower;

  /* A byte-order mark the CSV reader left on the first header. */
  if (g_str_has_prefix (p, "\xef\xbb\xbf"))
    p += 3;
  for (; *p != '\0'; p++)
    if (strchr (" _-*.:/()\t", *p) == NULL)
      g_string_append_c (s, *p);
  /* Full-width colon of Chinese headers ("姓名：") */
  if (g_str_has_suffix (s->str, "\xef\xbc\x9a"))
    g_string_truncate (s, s->len - 3);

  return g_string_free (s, FALSE);
}

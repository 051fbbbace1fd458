/* crm-customer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-customer.h"

#include <glib/gi18n-lib.h>

/* In the order of CrmCustomerField; the column names follow the property names. */
static const CrmField fields[] = {
  { "name", G_TYPE_STRING, 200, CRM_FIELD_FLAG_REQUIRED, N_("Name") },
  { "gender", G_TYPE_INT, 0, CRM_FIELD_FLAG_NONE, N_("Gender") },
  { "birthday", G_TYPE_STRING, 10, CRM_FIELD_FLAG_NONE, N_("Birthday") },
  { "phone", G_TYPE_STRING, 40, CRM_FIELD_FLAG_NONE, N_("Phone") },
  { "email", G_TYPE_STRING, 254, CRM_FIELD_FLAG_NONE, N_("E-mail") },
  { "company", G_TYPE_STRING, 200, CRM_FIELD_FLAG_NONE, N_("Company") },
  { "occupation", G_TYPE_STRING, 100, CRM_FIELD_FLAG_NONE, N_("Occupation") },
  { "address", G_TYPE_STRING, 500, CRM_FIELD_FLAG_NONE, N_("Address") },
  { "city", G_TYPE_STRING, 100, CRM_FIELD_FLAG_NONE, N_("City") },
  { "region", G_TYPE_STRING, 100, CRM_FIELD_FLAG_NONE, N_("Region") },
  { "country", G_TYPE_STRING, 100, CRM_FIELD_FLAG_NONE, N_("Country") },
  { "postal-code", G_TYPE_STRING, 20, CRM_FIELD_FLAG_NONE, N_("Postal code") },
  { "source", G_TYPE_STRING, 100, CRM_FIELD_FLAG_NONE, N_("Source channel") },
  { "tags", G_TYPE_STRING, 1000, CRM_FIELD_FLAG_NONE, N_("Tags") },
  { "notes", G_TYPE_STRING, 100000, CRM_FIELD_FLAG_NONE, N_("Notes") },
  { "email-consent", G_TYPE_BOOLEAN, 0, CRM_FIELD_FLAG_NONE, N_("E-mail marketing consent") },
  { "email-consent-at", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("E-mail consent given") },
  { "sms-consent", G_TYPE_BOOLEAN, 0, CRM_FIELD_FLAG_NONE, N_("SMS marketing consent") },
  { "sms-consent-at", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("SMS consent given") },
  { "owner", G_TYPE_STRING, 100, CRM_FIELD_FLAG_NONE, N_("Sales rep") },
  { "external-id", G_TYPE_STRING, 200, CRM_FIELD_FLAG_NONE, N_("External ID") },
  /* Results of the recompute, kept in the narrow customer_state table (see the schema). */
  { "tier-id", G_TYPE_INT64, 0, CRM_FIELD_FLAG_COMPUTED, N_("Tier") },
  { "lifecycle", G_TYPE_INT, 0, CRM_FIELD_FLAG_COMPUTED, N_("Lifecycle stage") },
  { "total-spent", G_TYPE_INT64, 0, CRM_FIELD_FLAG_COMPUTED, N_("Total spent") },
  { "order-count", G_TYPE_INT64, 0, CRM_FIELD_FLAG_COMPUTED, N_("Orders") },
  { "first-order-at", G_TYPE_INT64, 0, CRM_FIELD_FLAG_COMPUTED, N_("First order") },
  { "last-order-at", G_TYPE_INT64, 0, CRM_FIELD_FLAG_COMPUTED, N_("Last order") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (fields) == CRM_CUSTOMER_N_FIELDS);

CRM_ENTITY_DEFINE_MODEL_FROM (CrmCustomer, crm_customer, "customers",
                              "customers LEFT JOIN customer_state ON customer_state.customer_id = customers.id",
                              "customer", fields)

CRM_ENTITY_DEFINE_STRING (CrmCustomer, crm_customer, name, CRM_CUSTOMER_NAME)
CRM_ENTITY_DEFINE_INT64 (CrmCustomer, crm_customer, gender, CRM_CUSTOMER_GENDER)
CRM_ENTITY_DEFINE_STRING (CrmCustomer, crm_customer, birthday, CRM_CUSTOMER_BIRTHDAY)
CRM_ENTITY_DEFINE_STRING (CrmCustomer, crm_customer, phone, CRM_CUSTOMER_PHONE)
CRM_ENTITY_DEFINE_STRING (CrmCustomer, crm_customer, email, CRM_CUSTOMER_EMAIL)
CRM_ENTITY_DEFINE_STRING (CrmCustomer, crm_customer, company, CRM_CUSTOMER_COMPANY)
CRM_ENTITY_DEFINE_STRING (CrmCustomer, crm_customer, occupation, CRM_CUSTOMER_OCCUPATION)
CRM_ENTITY_DEFINE_STRING (CrmCustomer, crm_customer, address, CRM_CUSTOMER_ADDRESS)
CRM_ENTITY_DEFINE_STRING (CrmCustomer, crm_customer, city, CRM_CUSTOMER_CITY)
CRM_ENTITY_DEFINE_STRING (CrmCustomer, crm_customer, region, CRM_CUSTOMER_REGION)
CRM_ENTITY_DEFINE_STRING (CrmCustomer, crm_customer, country, CRM_CUSTOMER_COUNTRY)
CRM_ENTITY_DEFINE_STRING (CrmCustomer, crm_customer, postal_code, CRM_CUSTOMER_POSTAL_CODE)
CRM_ENTITY_DEFINE_STRING (CrmCustomer, crm_customer, source, CRM_CUSTOMER_SOURCE)
CRM_ENTITY_DEFINE_STRING (CrmCustomer, crm_customer, tags, CRM_CUSTOMER_TAGS)
CRM_ENTITY_DEFINE_STRING (CrmCustomer, crm_customer, notes, CRM_CUSTOMER_NOTES)
CRM_ENTITY_DEFINE_BOOLEAN (CrmCustomer, crm_customer, email_consent, CRM_CUSTOMER_EMAIL_CONSENT)
CRM_ENTITY_DEFINE_INT64 (CrmCustomer, crm_customer, email_consent_at, CRM_CUSTOMER_EMAIL_CONSENT_AT)
CRM_ENTITY_DEFINE_BOOLEAN (CrmCustomer, crm_customer, sms_consent, CRM_CUSTOMER_SMS_CONSENT)
CRM_ENTITY_DEFINE_INT64 (CrmCustomer, crm_customer, sms_consent_at, CRM_CUSTOMER_SMS_CONSENT_AT)
CRM_ENTITY_DEFINE_STRING (CrmCustomer, crm_customer, owner, CRM_CUSTOMER_OWNER)
CRM_ENTITY_DEFINE_STRING (CrmCustomer, crm_customer, external_id, CRM_CUSTOMER_EXTERNAL_ID)
CRM_ENTITY_DEFINE_INT64 (CrmCustomer, crm_customer, tier_id, CRM_CUSTOMER_TIER_ID)
CRM_ENTITY_DEFINE_INT64 (CrmCustomer, crm_customer, lifecycle, CRM_CUSTOMER_LIFECYCLE)
CRM_ENTITY_DEFINE_INT64 (CrmCustomer, crm_customer, total_spent, CRM_CUSTOMER_TOTAL_SPENT)
CRM_ENTITY_DEFINE_INT64 (CrmCustomer, crm_customer, order_count, CRM_CUSTOMER_ORDER_COUNT)
CRM_ENTITY_DEFINE_INT64 (CrmCustomer, crm_customer, first_order_at, CRM_CUSTOMER_FIRST_ORDER_AT)
CRM_ENTITY_DEFINE_INT64 (CrmCustomer, crm_customer, last_order_at, CRM_CUSTOMER_LAST_ORDER_AT)

static const char *lifecycle_keys[] = { "prospect", "new", "active", "at-risk", "churned", "won-back" };
static const char *lifecycle_labels[] = {
  N_("Prospect"), N_("New"), N_("Active"), N_("At risk"), N_("Churned"), N_("Won back")
};

G_STATIC_ASSERT (G_N_ELEMENTS (lifecycle_keys) == CRM_LIFECYCLE_N_STAGES);

const char *
crm_lifecycle_to_string (CrmLifecycle stage)
{
  g_return_val_if_fail (stage < CRM_LIFECYCLE_N_STAGES, NULL);
  return lifecycle_keys[stage];
}

const char *
crm_lifecycle_get_label (CrmLifecycle stage)
{
  g_return_val_if_fail (stage < CRM_LIFECYCLE_N_STAGES, NULL);
  return _(lifecycle_labels[stage]);
}

int
crm_lifecycle_from_string (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (lifecycle_keys); i++)
    if (g_strcmp0 (key, lifecycle_keys[i]) == 0)
      return i;
  return -1;
}

const char *
crm_gender_get_label (CrmGender gender)
{
  switch (gender)
    {
    case CRM_GENDER_FEMALE:
      return _("Female");
    case CRM_GENDER_MALE:
      return _("Male");
    case CRM_GENDER_OTHER:
      return _("Other");
    case CRM_GENDER_UNKNOWN:
    default:
      return _("Not specified");
    }
}

/* crm-customer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-customer.h"
#include "crm-customer-fields.h"

#include <glib/gi18n-lib.h>

/* The fields come from the catalogue (crm-customer-fields.c), in the order of CrmCustomerField. */
static CrmField fields[CRM_CUSTOMER_N_FIELDS];

struct _CrmCustomer
{
  CrmEntity parent_instance;
};

G_DEFINE_FINAL_TYPE (CrmCustomer, crm_customer, CRM_TYPE_ENTITY)

static void
crm_customer_class_init (CrmCustomerClass *klass)
{
  CrmEntityClass *entity_class = CRM_ENTITY_CLASS (klass);

  crm_customer_fields_fill_model (fields, G_N_ELEMENTS (fields));
  crm_entity_class_install_fields (entity_class, "customers", "customer", fields, G_N_ELEMENTS (fields));
  /* The recompute's results live in the narrow customer_state table (see the schema). */
  entity_class->from = "customers LEFT JOIN customer_state ON customer_state.customer_id = customers.id";
}

static void
crm_customer_init (CrmCustomer *self)
{
}

CrmCustomer *
crm_customer_new (void)
{
  return g_object_new (CRM_TYPE_CUSTOMER, NULL);
}

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

/* crm-customer.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-entity.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_CUSTOMER_NAME,
  CRM_CUSTOMER_GENDER,
  CRM_CUSTOMER_BIRTHDAY,
  CRM_CUSTOMER_PHONE,
  CRM_CUSTOMER_EMAIL,
  CRM_CUSTOMER_COMPANY,
  CRM_CUSTOMER_OCCUPATION,
  CRM_CUSTOMER_ADDRESS,
  CRM_CUSTOMER_CITY,
  CRM_CUSTOMER_REGION,
  CRM_CUSTOMER_COUNTRY,
  CRM_CUSTOMER_POSTAL_CODE,
  CRM_CUSTOMER_SOURCE,
  CRM_CUSTOMER_TAGS,
  CRM_CUSTOMER_NOTES,
  CRM_CUSTOMER_EMAIL_CONSENT,
  CRM_CUSTOMER_EMAIL_CONSENT_AT,
  CRM_CUSTOMER_SMS_CONSENT,
  CRM_CUSTOMER_SMS_CONSENT_AT,
  CRM_CUSTOMER_OWNER,
  CRM_CUSTOMER_EXTERNAL_ID,
  CRM_CUSTOMER_TIER_ID,
  CRM_CUSTOMER_LIFECYCLE,
  CRM_CUSTOMER_TOTAL_SPENT,
  CRM_CUSTOMER_ORDER_COUNT,
  CRM_CUSTOMER_FIRST_ORDER_AT,
  CRM_CUSTOMER_LAST_ORDER_AT,
  CRM_CUSTOMER_N_FIELDS
} CrmCustomerField;

typedef enum
{
  CRM_GENDER_UNKNOWN,
  CRM_GENDER_FEMALE,
  CRM_GENDER_MALE,
  CRM_GENDER_OTHER,
} CrmGender;

typedef enum
{
  CRM_LIFECYCLE_PROSPECT,
  CRM_LIFECYCLE_NEW,
  CRM_LIFECYCLE_ACTIVE,
  CRM_LIFECYCLE_AT_RISK,
  CRM_LIFECYCLE_CHURNED,
  CRM_LIFECYCLE_WON_BACK,
  CRM_LIFECYCLE_N_STAGES
} CrmLifecycle;

/* A customer's computed tier_id or lifecycle (kept in the customer_state table) as an SQL
 * expression, for a customers row named @alias: CRM_CUSTOMER_STATE_SQL ("lifecycle", "c"). */
#define CRM_CUSTOMER_STATE_SQL(column, alias) \
  "(SELECT " column " FROM customer_state WHERE customer_id = " alias ".id)"

const char *crm_lifecycle_to_string (CrmLifecycle stage);   /* stable key: "prospect", ... */
const char *crm_lifecycle_get_label (CrmLifecycle stage);   /* translated */
int         crm_lifecycle_from_string (const char *key);    /* -1 if unknown */
const char *crm_gender_get_label (CrmGender gender);

#define CRM_TYPE_CUSTOMER (crm_customer_get_type ())
G_DECLARE_FINAL_TYPE (CrmCustomer, crm_customer, CRM, CUSTOMER, CrmEntity)

CrmCustomer *crm_customer_new (void);

CRM_ENTITY_DECLARE_STRING (CrmCustomer, crm_customer, name)
CRM_ENTITY_DECLARE_INT64 (CrmCustomer, crm_customer, gender)
CRM_ENTITY_DECLARE_STRING (CrmCustomer, crm_customer, birthday)
CRM_ENTITY_DECLARE_STRING (CrmCustomer, crm_customer, phone)
CRM_ENTITY_DECLARE_STRING (CrmCustomer, crm_customer, email)
CRM_ENTITY_DECLARE_STRING (CrmCustomer, crm_customer, company)
CRM_ENTITY_DECLARE_STRING (CrmCustomer, crm_customer, occupation)
CRM_ENTITY_DECLARE_STRING (CrmCustomer, crm_customer, address)
CRM_ENTITY_DECLARE_STRING (CrmCustomer, crm_customer, city)
CRM_ENTITY_DECLARE_STRING (CrmCustomer, crm_customer, region)
CRM_ENTITY_DECLARE_STRING (CrmCustomer, crm_customer, country)
CRM_ENTITY_DECLARE_STRING (CrmCustomer, crm_customer, postal_code)
CRM_ENTITY_DECLARE_STRING (CrmCustomer, crm_customer, source)
CRM_ENTITY_DECLARE_STRING (CrmCustomer, crm_customer, tags)
CRM_ENTITY_DECLARE_STRING (CrmCustomer, crm_customer, notes)
CRM_ENTITY_DECLARE_BOOLEAN (CrmCustomer, crm_customer, email_consent)
CRM_ENTITY_DECLARE_INT64 (CrmCustomer, crm_customer, email_consent_at)
CRM_ENTITY_DECLARE_BOOLEAN (CrmCustomer, crm_customer, sms_consent)
CRM_ENTITY_DECLARE_INT64 (CrmCustomer, crm_customer, sms_consent_at)
CRM_ENTITY_DECLARE_STRING (CrmCustomer, crm_customer, owner)
CRM_ENTITY_DECLARE_STRING (CrmCustomer, crm_customer, external_id)
CRM_ENTITY_DECLARE_INT64 (CrmCustomer, crm_customer, tier_id)
CRM_ENTITY_DECLARE_INT64 (CrmCustomer, crm_customer, lifecycle)
CRM_ENTITY_DECLARE_INT64 (CrmCustomer, crm_customer, total_spent)
CRM_ENTITY_DECLARE_INT64 (CrmCustomer, crm_customer, order_count)
CRM_ENTITY_DECLARE_INT64 (CrmCustomer, crm_customer, first_order_at)
CRM_ENTITY_DECLARE_INT64 (CrmCustomer, crm_customer, last_order_at)

G_END_DECLS

/* crm-customer-fields.h: the customer field catalogue.
 *
 * Every value of a customer that crosses a boundary is described once, here: the model's
 * properties, the CSV importer (labels and the headers it recognises, Chinese and the shops'
 * exports included), the CSV exporter's columns, segment rules, vCards (and so CardDAV), the
 * WooCommerce mapping for sync, the customer list's columns and the editor's form.  Each of
 * those walks the table and uses the part (the facet) it knows; a field added here reaches every
 * consumer whose facet it fills in.  The table is in the order of the customer export's columns,
 * which is a stable file format: add new fields where they belong in that file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "crm-customer.h"

G_BEGIN_DECLS

/* The catalogue's fields, in its order: crm_customer_fields_get ()[CRM_FIELD_ID_CITY] is the city. */
typedef enum
{
  CRM_FIELD_ID_UUID,
  CRM_FIELD_ID_NAME,
  CRM_FIELD_ID_FIRST_NAME,
  CRM_FIELD_ID_LAST_NAME,
  CRM_FIELD_ID_GENDER,
  CRM_FIELD_ID_BIRTHDAY,
  CRM_FIELD_ID_AGE,
  CRM_FIELD_ID_PHONE,
  CRM_FIELD_ID_EMAIL,
  CRM_FIELD_ID_COMPANY,
  CRM_FIELD_ID_OCCUPATION,
  CRM_FIELD_ID_ADDRESS,
  CRM_FIELD_ID_ADDRESS2,
  CRM_FIELD_ID_CITY,
  CRM_FIELD_ID_REGION,
  CRM_FIELD_ID_COUNTRY,
  CRM_FIELD_ID_POSTAL_CODE,
  CRM_FIELD_ID_SOURCE,
  CRM_FIELD_ID_TAGS,
  CRM_FIELD_ID_NOTES,
  CRM_FIELD_ID_EMAIL_CONSENT,
  CRM_FIELD_ID_EMAIL_CONSENT_AT,
  CRM_FIELD_ID_SMS_CONSENT,
  CRM_FIELD_ID_SMS_CONSENT_AT,
  CRM_FIELD_ID_OWNER,
  CRM_FIELD_ID_EXTERNAL_ID,
  CRM_FIELD_ID_CREATED_AT,
  CRM_FIELD_ID_TOTAL_SPENT,
  CRM_FIELD_ID_ORDER_COUNT,
  CRM_FIELD_ID_AVERAGE_ORDER,
  CRM_FIELD_ID_FIRST_ORDER,
  CRM_FIELD_ID_LAST_ORDER,
  CRM_FIELD_ID_DAYS_SINCE_ORDER,
  CRM_FIELD_ID_CATEGORY,
  CRM_FIELD_ID_CHANNEL,
  CRM_FIELD_ID_TIER,
  CRM_FIELD_ID_LIFECYCLE,
  CRM_FIELD_ID_R_DAYS,
  CRM_FIELD_ID_FREQUENCY,
  CRM_FIELD_ID_MONETARY,
  CRM_FIELD_ID_R_SCORE,
  CRM_FIELD_ID_F_SCORE,
  CRM_FIELD_ID_M_SCORE,
  CRM_FIELD_ID_RFM_SEGMENT,
  CRM_FIELD_ID_P_ALIVE,
  CRM_FIELD_ID_EXPECTED_90D,
  CRM_FIELD_ID_CLV,
  CRM_FIELD_ID_CHURN_RISK,
  CRM_FIELD_ID_N
} CrmFieldId;

/* How a value is stored and written to files. */
typedef enum
{
  CRM_FIELD_VALUE_TEXT,       /* text as stored */
  CRM_FIELD_VALUE_DATE,       /* text, "YYYY-MM-DD" (a birthday: no time zone) */
  CRM_FIELD_VALUE_GENDER,     /* CrmGender; "female", "male", "other" or "" in files */
  CRM_FIELD_VALUE_BOOLEAN,    /* 0 or 1; "true" or "false" in files */
  CRM_FIELD_VALUE_TIME,       /* ms UTC; "2026-11-26T08:30:00Z" in files */
  CRM_FIELD_VALUE_DAY,        /* ms UTC of which the day counts; "2026-11-26" in files */
  CRM_FIELD_VALUE_MONEY,      /* minor units of the shop's currency; "-12.50" in files */
  CRM_FIELD_VALUE_COUNT,      /* a whole number */
  CRM_FIELD_VALUE_TIER,       /* a tier's id; its name in files */
  CRM_FIELD_VALUE_LIFECYCLE,  /* CrmLifecycle; its key ("at-risk") in files */
  CRM_FIELD_VALUE_REAL,       /* a probability or an expected count; "0.8123" in files */
} CrmFieldValue;

/* Where a value is kept (the alias the customer export and rules give the table). */
typedef enum
{
  CRM_FIELD_STORED_NONE,       /* nowhere: made from others (first name) or computed by a rule (age) */
  CRM_FIELD_STORED_CUSTOMERS,  /* customers, "c" */
  CRM_FIELD_STORED_STATE,      /* customer_state, "s": the recompute's tier and lifecycle stage */
  CRM_FIELD_STORED_RFM,        /* customer_rfm, "r": the recompute's RFM scores */
  CRM_FIELD_STORED_PREDICTIONS, /* customer_predictions, "p": the last prediction run's figures */
} CrmFieldStored;

typedef enum
{
  CRM_FIELD_IO_NONE   = 0,
  CRM_FIELD_IO_IMPORT = 1 << 0,  /* a field the importer fills */
  CRM_FIELD_IO_EXPORT = 1 << 1,  /* a column of the customer export (recognised by the importer,
                                  * which skips it unless it also has IMPORT) */
} CrmFieldIo;

/* The header sets of the importer: a spreadsheet of customers, one of orders (customer fields
 * beside each order), and the shops' own exports. */
typedef enum
{
  CRM_FIELD_HEADERS_CUSTOMERS,
  CRM_FIELD_HEADERS_ORDERS,
  CRM_FIELD_HEADERS_SHOPIFY_CUSTOMERS,
  CRM_FIELD_HEADERS_SHOPIFY_ORDERS,
  CRM_FIELD_HEADERS_WOO_CUSTOMERS,
  CRM_FIELD_HEADERS_WOO_ORDERS,
  CRM_FIELD_HEADERS_N
} CrmFieldHeaders;

/* What a segment rule can do with a field; the type gives the operators
 * (crm_rule_get_operators()). */
typedef enum
{
  CRM_RULE_TYPE_NONE,      /* rules cannot use the field */
  CRM_RULE_TYPE_TEXT,      /* is, is-not, contains, starts-with, is-empty, is-not-empty */
  CRM_RULE_TYPE_NUMBER,    /* = != < <= > >= */
  CRM_RULE_TYPE_MONEY,     /* like NUMBER; the value in minor units */
  CRM_RULE_TYPE_DATE,      /* = != < <= > >= on "YYYY-MM-DD" */
  CRM_RULE_TYPE_CHOICE,    /* is, is-not; the value one of the field's keys */
  CRM_RULE_TYPE_BOOLEAN,   /* is; true or false */
} CrmRuleType;

/* How the customer editor shows a field.  The widgets are the editor's; core only names them. */
typedef enum
{
  CRM_FIELD_EDITOR_NONE,     /* not in the form */
  CRM_FIELD_EDITOR_TEXT,     /* a one-line entry */
  CRM_FIELD_EDITOR_NAME,     /* … for a person's name (input purpose) */
  CRM_FIELD_EDITOR_PHONE,
  CRM_FIELD_EDITOR_EMAIL,
  CRM_FIELD_EDITOR_DATE,     /* an entry with a calendar */
  CRM_FIELD_EDITOR_GENDER,   /* a choice of CrmGender */
  CRM_FIELD_EDITOR_SWITCH,   /* on/off; a "<key>_at" TIME field says since when */
  CRM_FIELD_EDITOR_NOTES,    /* the form's multi-line notes box */
} CrmFieldEditor;

typedef enum
{
  CRM_FIELD_SECTION_CONTACT,
  CRM_FIELD_SECTION_PERSONAL,
  CRM_FIELD_SECTION_ADDRESS,
  CRM_FIELD_SECTION_RELATIONSHIP,
  CRM_FIELD_SECTION_CONSENT,
  CRM_FIELD_N_SECTIONS
} CrmFieldSection;

typedef struct
{
  CrmRuleType      type;
  guint            position;  /* place in the rule builder's field menu, from 1 */
  const char      *group;     /* N_(): the menu's section */
  const char      *key;       /* the rule's "field" in JSON; NULL: the field's key */
  const char      *label;     /* N_(); NULL: the field's label */
} CrmFieldRule;

typedef struct
{
  guint            position;  /* place among the customer list's columns, from 1; 0: not a column */
  guint            width;     /* default width in pixels */
  gboolean         expand;    /* takes a share of spare width */
  const char      *title;     /* N_(), header capitalisation */
} CrmFieldColumn;

typedef struct
{
  CrmFieldEditor   kind;
  CrmFieldSection  section;
  guint            position;  /* place in the form, from 1 */
} CrmFieldForm;

typedef struct
{
  const char      *key;        /* stable name: the export's header, the importer's field name */
  const char      *label;      /* N_(): messages, the import mapping, the form, the model */
  CrmFieldValue    value;
  CrmFieldStored   stored;
  const char      *column;     /* the column in its table; NULL: the key */
  guint            model;      /* CrmCustomerField + 1 of its property; 0: not a property */
  guint            max_chars;  /* text: longest accepted */
  CrmFieldFlags    flags;      /* the model's: required, computed */
  CrmFieldIo       io;
  /* Import: headers that mean the field, besides its key in a spreadsheet of customers, each
   * written as crm_customer_fields_normalize_header() leaves it, separated by spaces.  A leading
   * '+' makes a header win over the field's other headers in the same file. */
  const char      *headers[CRM_FIELD_HEADERS_N];
  /* vCard property (and so CardDAV's, which stores vCards), and for a structured one (N, ADR)
   * the component, from 1 (ADR: 3 street, 4 locality, 5 region, 6 postal code, 7 country). */
  const char      *vcard;
  guint            vcard_part;
  /* WooCommerce REST v3: the member of a customer object ("billing.phone"). */
  const char      *woo;
  CrmFieldRule     rule;
  CrmFieldColumn   list;
  CrmFieldForm     form;
} CrmCustomerFieldInfo;

/* The catalogue, in the customer export's order. */
const CrmCustomerFieldInfo  *crm_customer_fields_get         (guint                       *n_fields);
const CrmCustomerFieldInfo  *crm_customer_fields_find        (const char                  *key);
/* By the key a segment rule uses ("tag"); NULL for fields rules cannot use. */
const CrmCustomerFieldInfo  *crm_customer_fields_find_rule   (const char                  *rule_key);
/* The fields of one consumer in its own order, NULL-terminated (static). */
const CrmCustomerFieldInfo **crm_customer_fields_rules       (guint                       *n_fields);
const CrmCustomerFieldInfo **crm_customer_fields_list_columns (guint                      *n_fields);
const CrmCustomerFieldInfo **crm_customer_fields_form        (guint                       *n_fields);

const char                  *crm_customer_field_get_column   (const CrmCustomerFieldInfo  *field);
/* CrmCustomerField of the model property, or -1. */
int                          crm_customer_field_get_model    (const CrmCustomerFieldInfo  *field);
/* The model property's name ("postal-code"); NULL without one. */
const char                  *crm_customer_field_get_property (const CrmCustomerFieldInfo  *field);
GType                        crm_customer_field_get_gtype    (const CrmCustomerFieldInfo  *field);
const char                  *crm_customer_field_get_rule_key (const CrmCustomerFieldInfo  *field);
const char                  *crm_customer_field_get_rule_label (const CrmCustomerFieldInfo *field);

/* The headers of @field for @set: a NULL-terminated array of normalised names (static); with
 * @preferred, whether each one wins over the others (the leading '+'). */
const char * const          *crm_customer_field_get_headers  (const CrmCustomerFieldInfo  *field,
                                                              CrmFieldHeaders              set,
                                                              const gboolean             **preferred);
/* How headers are compared: lower case, without spaces, '_', '-', '*', '.', ':', '/', brackets,
 * tabs, a byte-order mark or a trailing full-width colon: "Default Address Zip",
 * "default_address_zip" and "E-mail:" all match. */
char                        *crm_customer_fields_normalize_header (const char             *header);

/* The model's field table (CrmCustomerField order), for CrmCustomer's class only. */
void                         crm_customer_fields_fill_model  (CrmField                    *fields,
                                                              guint                        n_fields);

G_END_DECLS

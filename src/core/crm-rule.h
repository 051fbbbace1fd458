/* crm-rule.h: segment rules — AND/OR groups of conditions over customers,
 * validated from JSON and compiled to parameterised SQL.
 *
 *   {"match": "all", "rules": [
 *      {"field": "city", "op": "is", "value": "上海"},
 *      {"match": "any", "rules": [
 *         {"field": "rfm_segment", "op": "is", "value": "champions"},
 *         {"field": "total_spent", "op": ">=", "value": 500000}]}]}
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "crm-customer-fields.h"

G_BEGIN_DECLS

/* The fields and their rule types come from the customer field catalogue. */
typedef struct
{
  const char                 *key;    /* "city", "age", "rfm_segment", ... */
  const char                 *label;  /* N_() */
  const char                 *group;  /* N_("Geography"), N_("Demographics"), N_("Behaviour"), ... */
  CrmRuleType                 type;
  const CrmCustomerFieldInfo *info;
} CrmRuleField;

/* Every field a rule can use, in the rule builder's order. */
const CrmRuleField *crm_rule_get_fields     (guint        *n_fields);
const CrmRuleField *crm_rule_find_field     (const char   *key);
/* Operators valid for a field type (static strings). */
const char * const *crm_rule_get_operators  (CrmRuleType   type);
const char         *crm_rule_operator_label (const char   *op);
/* Keys and labels of a CHOICE field ("lifecycle", "gender", "rfm_segment"). */
gboolean            crm_rule_choice_get     (const char   *field,
                                             guint         index,
                                             const char  **key,
                                             const char  **label);

typedef struct _CrmRule CrmRule;

#define CRM_TYPE_RULE (crm_rule_get_type ())
GType      crm_rule_get_type       (void);
CrmRule   *crm_rule_ref            (CrmRule      *self);
void       crm_rule_unref          (CrmRule      *self);

/* Parses and validates: unknown fields, operators or values are a clear error. */
CrmRule   *crm_rule_new_from_json  (const char   *json,
                                    GError      **error);
char      *crm_rule_to_json        (CrmRule      *self);
guint      crm_rule_count_conditions (CrmRule    *self);

/* Appends a boolean SQL expression over the customers alias "c"; every value
 * goes through @bind_text / @bind_int, which return the 1-based parameter index. */
typedef int (*CrmRuleBindText) (gpointer user_data, const char *text);
typedef int (*CrmRuleBindInt)  (gpointer user_data, gint64 value);

void       crm_rule_to_sql         (CrmRule         *self,
                                    GString         *sql,
                                    gint64           today_ms,
                                    CrmRuleBindText  bind_text,
                                    CrmRuleBindInt   bind_int,
                                    gpointer         user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmRule, crm_rule_unref)

G_END_DECLS

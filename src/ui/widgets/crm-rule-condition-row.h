/* crm-rule-condition-row.h: one condition of a segment rule — field, operator
 * and a value widget that fits the field's type.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CRM_TYPE_RULE_CONDITION_ROW (crm_rule_condition_row_get_type ())
G_DECLARE_FINAL_TYPE (CrmRuleConditionRow, crm_rule_condition_row, CRM, RULE_CONDITION_ROW, GtkBox)

CrmRuleConditionRow *crm_rule_condition_row_new          (void);
/* A key of crm_rule_get_fields(); picks the first operator valid for it. */
void                 crm_rule_condition_row_set_field    (CrmRuleConditionRow *self,
                                                          const char          *field);
const char          *crm_rule_condition_row_get_field    (CrmRuleConditionRow *self);
/* FALSE if @op is not valid for the field. */
gboolean             crm_rule_condition_row_set_operator (CrmRuleConditionRow *self,
                                                          const char          *op);
const char          *crm_rule_condition_row_get_operator (CrmRuleConditionRow *self);
/* The widget for the value as shown now (an entry, a dropdown, a switch), or
 * NULL when the operator takes none. */
GtkWidget           *crm_rule_condition_row_get_value_widget (CrmRuleConditionRow *self);
/* Sets the value the way a user would type it ("上海", "1,200.00",
 * "2026-01-31", a choice key, "true"). */
void                 crm_rule_condition_row_set_value_text (CrmRuleConditionRow *self,
                                                          const char          *text);

/* Writes {"field","op","value"}; FALSE with a message a user can act on when
 * the value is missing or malformed (nothing is written then). */
gboolean             crm_rule_condition_row_build        (CrmRuleConditionRow *self,
                                                          JsonBuilder         *builder,
                                                          char               **message);
/* Shows a condition as crm_rule_to_json() writes it. */
gboolean             crm_rule_condition_row_load         (CrmRuleConditionRow *self,
                                                          JsonObject          *condition,
                                                          GError             **error);

G_END_DECLS

/* crm-rule-group-row.h: an AND/OR group of a segment rule — "all" or "any" of
 * its conditions and nested groups.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "crm-rule-condition-row.h"

G_BEGIN_DECLS

#define CRM_TYPE_RULE_GROUP_ROW (crm_rule_group_row_get_type ())
G_DECLARE_FINAL_TYPE (CrmRuleGroupRow, crm_rule_group_row, CRM, RULE_GROUP_ROW, GtkBox)

/* @nested: a group inside another (it can be removed; the top one cannot). */
CrmRuleGroupRow     *crm_rule_group_row_new            (gboolean         nested);
gboolean             crm_rule_group_row_get_match_any  (CrmRuleGroupRow *self);
void                 crm_rule_group_row_set_match_any  (CrmRuleGroupRow *self,
                                                        gboolean         match_any);
CrmRuleConditionRow *crm_rule_group_row_add_condition  (CrmRuleGroupRow *self);
CrmRuleGroupRow     *crm_rule_group_row_add_group      (CrmRuleGroupRow *self);
/* Removes every condition and group. */
void                 crm_rule_group_row_clear          (CrmRuleGroupRow *self);
/* Conditions and groups, in order (CrmRuleConditionRow or CrmRuleGroupRow). */
GPtrArray           *crm_rule_group_row_get_children   (CrmRuleGroupRow *self);

/* Writes {"match","rules":[...]}; FALSE with the first problem's message. */
gboolean             crm_rule_group_row_build          (CrmRuleGroupRow *self,
                                                        JsonBuilder     *builder,
                                                        char           **message);
gboolean             crm_rule_group_row_load           (CrmRuleGroupRow *self,
                                                        JsonObject      *group,
                                                        GError         **error);

G_END_DECLS

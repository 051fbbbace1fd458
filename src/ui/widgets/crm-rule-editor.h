/* crm-rule-editor.h: the segment rule builder — nested AND/OR groups of
 * conditions, checked as they are edited.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "crm-rule-group-row.h"
#include "crm-rule.h"

G_BEGIN_DECLS

#define CRM_TYPE_RULE_EDITOR (crm_rule_editor_get_type ())
G_DECLARE_FINAL_TYPE (CrmRuleEditor, crm_rule_editor, CRM, RULE_EDITOR, GtkBox)

CrmRuleEditor   *crm_rule_editor_new          (void);
CrmRuleGroupRow *crm_rule_editor_get_root     (CrmRuleEditor *self);
/* The rule as edited, validated by crm_rule_new_from_json(); NULL while it is
 * not valid (crm_rule_editor_get_message() says why). */
CrmRule         *crm_rule_editor_get_rule     (CrmRuleEditor *self);
gboolean         crm_rule_editor_get_valid    (CrmRuleEditor *self);
/* What is wrong with the rule, as shown under it; NULL when it is fine. */
const char      *crm_rule_editor_get_message  (CrmRuleEditor *self);
/* Shows a saved rule; on error the editor is left empty. */
gboolean         crm_rule_editor_set_json     (CrmRuleEditor *self,
                                               const char    *json,
                                               GError       **error);
/* An empty "all" group. */
void             crm_rule_editor_clear        (CrmRuleEditor *self);

G_END_DECLS

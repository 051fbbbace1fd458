/* crm-rule-group-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-rule-group-row.h"

struct _CrmRuleGroupRow
{
  GtkBox       parent_instance;

  gboolean     nested;

  /* template children */
  GtkDropDown *match_dropdown;
  GtkWidget   *remove_button;
  GtkBox      *children_box;
  GtkWidget   *empty_label;
};

G_DEFINE_FINAL_TYPE (CrmRuleGroupRow, crm_rule_group_row, GTK_TYPE_BOX)

enum
{
  CHANGED,
  REMOVE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

CrmRuleGroupRow *
crm_rule_group_row_new (gboolean nested)
{
  CrmRuleGroupRow *self = g_object_new (CRM_TYPE_RULE_GROUP_ROW, NULL);

  self->nested = nested;
  gtk_widget_set_visible (self->remove_button, nested);
  if (nested)
    gtk_widget_add_css_class (GTK_WIDGET (self), "card");

  return self;
}

static void
emit_changed (CrmRuleGroupRow *self)
{
  gtk_widget_set_visible (self->empty_label,
                          gtk_widget_get_first_child (GTK_WIDGET (self->children_box)) == NULL);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_match_selected (CrmRuleGroupRow *self)
{
  emit_changed (self);
}

gboolean
crm_rule_group_row_get_match_any (CrmRuleGroupRow *self)
{
  g_return_val_if_fail (CRM_IS_RULE_GROUP_ROW (self), FALSE);

  return gtk_drop_down_get_selected (self->match_dropdown) == 1;
}

void
crm_rule_group_row_set_match_any (CrmRuleGroupRow *self,
                                  gboolean         match_any)
{
  g_return_if_fail (CRM_IS_RULE_GROUP_ROW (self));

  gtk_drop_down_set_selected (self->match_dropdown, match_any ? 1 : 0);
}

static void
on_child_remove_requested (GtkWidget       *child,
                           CrmRuleGroupRow *self)
{
  GtkWidget *focus_to = gtk_widget_get_next_sibling (child);

  if (focus_to == NULL)
    focus_to = gtk_widget_get_prev_sibling (child);
  gtk_box_remove (self->children_box, child);
  if (focus_to != NULL)
    gtk_widget_child_focus (focus_to, GTK_DIR_TAB_FORWARD);
  emit_changed (self);
}

static void
on_child_changed (CrmRuleGroupRow *self)
{
  emit_changed (self);
}

static void
append_child (CrmRuleGroupRow *self,
              GtkWidget       *child)
{
  g_signal_connect_object (child, "changed", G_CALLBACK (on_child_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (child, "remove-requested", G_CALLBACK (on_child_remove_requested), self, 0);
  gtk_box_append (self->children_box, child);
}

CrmRuleConditionRow *
crm_rule_group_row_add_condition (CrmRuleGroupRow *self)
{
  CrmRuleConditionRow *row;

  g_return_val_if_fail (CRM_IS_RULE_GROUP_ROW (self), NULL);

  row = crm_rule_condition_row_new ();
  append_child (self, GTK_WIDGET (row));
  emit_changed (self);

  return row;
}

CrmRuleGroupRow *
crm_rule_group_row_add_group (CrmRuleGroupRow *self)
{
  CrmRuleGroupRow *group;

  g_return_val_if_fail (CRM_IS_RULE_GROUP_ROW (self), NULL);

  group = crm_rule_group_row_new (TRUE);
  /* A new group inside "all" is usually an "any" (and the other way round). */
  crm_rule_group_row_set_match_any (group, !crm_rule_group_row_get_match_any (self));
  append_child (self, GTK_WIDGET (group));
  crm_rule_group_row_add_condition (group);
  emit_changed (self);

  return group;
}

void
crm_rule_group_row_clear (CrmRuleGroupRow *self)
{
  GtkWidget *child;

  g_return_if_fail (CRM_IS_RULE_GROUP_ROW (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->children_box))) != NULL)
    gtk_box_remove (self->children_box, child);
  emit_changed (self);
}

GPtrArray *
crm_rule_group_row_get_children (CrmRuleGroupRow *self)
{
  GPtrArray *children = g_ptr_array_new ();

  g_return_val_if_fail (CRM_IS_RULE_GROUP_ROW (self), children);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->children_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    g_ptr_array_add (children, child);

  return children;
}

gboolean
crm_rule_group_row_build (CrmRuleGroupRow *self,
                          JsonBuilder     *builder,
                          char           **message)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (CRM_IS_RULE_GROUP_ROW (self), FALSE);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "match");
  json_builder_add_string_value (builder, crm_rule_group_row_get_match_any (self) ? "any" : "all");
  json_builder_set_member_name (builder, "rules");
  json_builder_begin_array (builder);

  /* Every row is built even after a failure, so each wrong value gets its mark;
   * the first message is the one shown. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->children_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      char *child_message = NULL;
      gboolean child_ok;

      if (CRM_IS_RULE_GROUP_ROW (child))
        child_ok = crm_rule_group_row_build (CRM_RULE_GROUP_ROW (child), builder, &child_message);
      else
        child_ok = crm_rule_condition_row_build (CRM_RULE_CONDITION_ROW (child), builder, &child_message);

      if (!child_ok && ok && message != NULL)
        *message = g_steal_pointer (&child_message);
      ok = ok && child_ok;
      g_free (child_message);
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return ok;
}

gboolean
crm_rule_group_row_load (CrmRuleGroupRow *self,
                         JsonObject      *group,
                         GError         **error)
{
  JsonNode *rules;
  JsonArray *array;

  g_return_val_if_fail (CRM_IS_RULE_GROUP_ROW (self), FALSE);

  crm_rule_group_row_clear (self);
  crm_rule_group_row_set_match_any (self,
                                    g_strcmp0 (json_object_get_string_member_with_default (group, "match", "all"),
                                               "any") == 0);

  rules = json_object_get_member (group, "rules");
  if (rules == NULL || !JSON_NODE_HOLDS_ARRAY (rules))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("A group’s rules must be a list"));
      return FALSE;
    }

  array = json_node_get_array (rules);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("A segment rule must be a JSON object"));
          return FALSE;
        }
      object = json_node_get_object (node);

      if (json_object_has_member (object, "rules"))
        {
          CrmRuleGroupRow *child = crm_rule_group_row_new (TRUE);

          append_child (self, GTK_WIDGET (child));
          if (!crm_rule_group_row_load (child, object, error))
            return FALSE;
        }
      else
        {
          CrmRuleConditionRow *child = crm_rule_condition_row_new ();

          append_child (self, GTK_WIDGET (child));
          if (!crm_rule_condition_row_load (child, object, error))
            return FALSE;
        }
    }
  emit_changed (self);

  return TRUE;
}

static void
add_condition_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CrmRuleConditionRow *row = crm_rule_group_row_add_condition (CRM_RULE_GROUP_ROW (widget));

  gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
add_group_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  crm_rule_group_row_add_group (CRM_RULE_GROUP_ROW (widget));
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_signal_emit (widget, signals[REMOVE_REQUESTED], 0);
}

static void
crm_rule_group_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CRM_TYPE_RULE_GROUP_ROW);

  G_OBJECT_CLASS (crm_rule_group_row_parent_class)->dispose (object);
}

static void
crm_rule_group_row_class_init (CrmRuleGroupRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_rule_group_row_dispose;

  /* The group or anything inside it changed. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[REMOVE_REQUESTED] = g_signal_new ("remove-requested", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-rule-group-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmRuleGroupRow, match_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CrmRuleGroupRow, remove_button);
  gtk_widget_class_bind_template_child (widget_class, CrmRuleGroupRow, children_box);
  gtk_widget_class_bind_template_child (widget_class, CrmRuleGroupRow, empty_label);
  gtk_widget_class_bind_template_callback (widget_class, on_match_selected);

  gtk_widget_class_install_action (widget_class, "group.add-condition", NULL, add_condition_action);
  gtk_widget_class_install_action (widget_class, "group.add-group", NULL, add_group_action);
  gtk_widget_class_install_action (widget_class, "group.remove", NULL, remove_action);
}

static void
crm_rule_group_row_init (CrmRuleGroupRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* crm-rule-editor.c
 *
 * The widgets build the JSON a saved segment stores; the core parser then
 * checks it exactly as it will be checked when the segment is used, so what
 * the editor accepts is what runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-json.h"
#include "crm-rule-editor.h"

struct _CrmRuleEditor
{
  GtkBox           parent_instance;

  CrmRuleGroupRow *root;
  CrmRule         *rule;
  char            *message;
  gboolean         loading;

  /* template children */
  GtkRevealer     *message_revealer;
  GtkWidget       *message_icon;
  GtkLabel        *message_label;
};

G_DEFINE_FINAL_TYPE (CrmRuleEditor, crm_rule_editor, GTK_TYPE_BOX)

enum
{
  PROP_0,
  PROP_VALID,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

CrmRuleEditor *
crm_rule_editor_new (void)
{
  return g_object_new (CRM_TYPE_RULE_EDITOR, NULL);
}

CrmRuleGroupRow *
crm_rule_editor_get_root (CrmRuleEditor *self)
{
  g_return_val_if_fail (CRM_IS_RULE_EDITOR (self), NULL);

  return self->root;
}

CrmRule *
crm_rule_editor_get_rule (CrmRuleEditor *self)
{
  g_return_val_if_fail (CRM_IS_RULE_EDITOR (self), NULL);

  return self->rule;
}

gboolean
crm_rule_editor_get_valid (CrmRuleEditor *self)
{
  g_return_val_if_fail (CRM_IS_RULE_EDITOR (self), FALSE);

  return self->rule != NULL;
}

const char *
crm_rule_editor_get_message (CrmRuleEditor *self)
{
  g_return_val_if_fail (CRM_IS_RULE_EDITOR (self), NULL);

  return self->message;
}

static gboolean
has_marked_value (GtkWidget *widget)
{
  if (gtk_widget_has_css_class (widget, "error") && GTK_IS_EDITABLE (widget))
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_marked_value (child))
      return TRUE;

  return FALSE;
}

static void
validate (CrmRuleEditor *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *json = NULL;
  gboolean was_valid = self->rule != NULL;
  gboolean wrong = FALSE;

  g_clear_pointer (&self->rule, crm_rule_unref);

  if (crm_rule_group_row_build (self->root, builder, &message))
    {
      root = json_builder_get_root (builder);
      json = json_to_string (root, FALSE);
      self->rule = crm_rule_new_from_json (json, &error);
      if (self->rule == NULL)
        {
          message = g_strdup (error->message);
          wrong = TRUE;
        }
    }
  else
    {
      if (message == NULL)
        message = g_strdup (_("The rule is not complete."));
      /* A value not typed yet is a hint; a wrong one is an error. */
      wrong = has_marked_value (GTK_WIDGET (self->root));
    }

  gtk_widget_set_visible (self->message_icon, wrong);
  if (wrong)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "dim-label");
    }

  if (g_strcmp0 (message, self->message) != 0)
    {
      g_free (self->message);
      self->message = g_steal_pointer (&message);
      if (self->message != NULL)
        gtk_label_set_label (self->message_label, self->message);
      gtk_revealer_set_reveal_child (self->message_revealer, self->message != NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
    }
  if (was_valid != (self->rule != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
}

static void
on_root_changed (CrmRuleEditor *self)
{
  if (self->loading)
    return;

  validate (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
crm_rule_editor_clear (CrmRuleEditor *self)
{
  g_return_if_fail (CRM_IS_RULE_EDITOR (self));

  self->loading = TRUE;
  crm_rule_group_row_clear (self->root);
  crm_rule_group_row_set_match_any (self->root, FALSE);
  self->loading = FALSE;
  on_root_changed (self);
}

gboolean
crm_rule_editor_set_json (CrmRuleEditor *self,
                          const char    *json,
                          GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(CrmRule) rule = NULL;
  JsonNode *root;
  gboolean ok;

  g_return_val_if_fail (CRM_IS_RULE_EDITOR (self), FALSE);

  /* The core parser first: it has the precise messages. */
  rule = crm_rule_new_from_json (json, error);
  if (rule == NULL)
    return FALSE;
  if (!crm_json_load (parser, json, CRM_JSON_MAX_DEPTH, error))
    return FALSE;

  root = json_parser_get_root (parser);
  self->loading = TRUE;
  if (json_object_has_member (json_node_get_object (root), "rules"))
    ok = crm_rule_group_row_load (self->root, json_node_get_object (root), error);
  else
    {
      /* A single condition: shown inside the top "all" group. */
      crm_rule_group_row_clear (self->root);
      crm_rule_group_row_set_match_any (self->root, FALSE);
      ok = crm_rule_condition_row_load (crm_rule_group_row_add_condition (self->root),
                                        json_node_get_object (root), error);
    }
  self->loading = FALSE;

  if (!ok)
    crm_rule_group_row_clear (self->root);
  on_root_changed (self);

  return ok;
}

static void
crm_rule_editor_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CrmRuleEditor *self = CRM_RULE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, crm_rule_editor_get_valid (self));
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_rule_editor_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CRM_TYPE_RULE_EDITOR);

  G_OBJECT_CLASS (crm_rule_editor_parent_class)->dispose (object);
}

static void
crm_rule_editor_finalize (GObject *object)
{
  CrmRuleEditor *self = CRM_RULE_EDITOR (object);

  g_clear_pointer (&self->rule, crm_rule_unref);
  g_free (self->message);

  G_OBJECT_CLASS (crm_rule_editor_parent_class)->finalize (object);
}

static void
crm_rule_editor_class_init (CrmRuleEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_rule_editor_dispose;
  object_class->finalize = crm_rule_editor_finalize;
  object_class->get_property = crm_rule_editor_get_property;

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The rule was edited (it may have become valid or invalid). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-rule-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmRuleEditor, message_revealer);
  gtk_widget_class_bind_template_child (widget_class, CrmRuleEditor, message_icon);
  gtk_widget_class_bind_template_child (widget_class, CrmRuleEditor, message_label);
}

static void
crm_rule_editor_init (CrmRuleEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->root = crm_rule_group_row_new (FALSE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->root), FALSE);
  gtk_widget_insert_after (GTK_WIDGET (self->root), GTK_WIDGET (self), NULL);
  g_signal_connect_object (self->root, "changed", G_CALLBACK (on_root_changed), self, G_CONNECT_SWAPPED);
  validate (self);
}

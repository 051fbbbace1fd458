/* crm-rule-condition-row.c
 *
 * The field picker is a menu with a section per catalogue group (GTK 4.8 list
 * views have no sections); the menu items drive the "field" property through a
 * property action, so the menu shows which field is chosen.  Values are checked
 * here as they are typed, the whole rule once more by crm_rule_new_from_json().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <locale.h>

#include "crm-export.h"
#include "crm-format.h"
#include "crm-rule-condition-row.h"
#include "crm-rule.h"
#include "crm-text.h"

struct _CrmRuleConditionRow
{
  GtkBox              parent_instance;

  const CrmRuleField *field;
  const char * const *ops;
  GSettings          *settings;
  gboolean            updating;

  /* template children */
  GtkMenuButton      *field_button;
  GtkLabel           *field_label;
  GtkDropDown        *op_dropdown;
  GtkStack           *value_stack;
  GtkEntry           *text_entry;
  GtkEntry           *number_entry;
  GtkEntry           *money_entry;
  GtkEntry           *date_entry;
  GtkDropDown        *choice_dropdown;
  GtkSwitch          *bool_switch;
};

G_DEFINE_FINAL_TYPE (CrmRuleConditionRow, crm_rule_condition_row, GTK_TYPE_BOX)

enum
{
  PROP_0,
  PROP_FIELD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  CHANGED,
  REMOVE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

CrmRuleConditionRow *
crm_rule_condition_row_new (void)
{
  return g_object_new (CRM_TYPE_RULE_CONDITION_ROW, NULL);
}

static guint
currency_exponent (CrmRuleConditionRow *self)
{
  g_autofree char *currency = g_settings_get_string (self->settings, "default-currency");

  return crm_currency_exponent (currency);
}

static gboolean
locale_decimal_comma (void)
{
  const struct lconv *lc = localeconv ();

  return lc != NULL && lc->decimal_point != NULL && g_str_equal (lc->decimal_point, ",");
}

static const char *
value_page (CrmRuleConditionRow *self)
{
  const char *op = crm_rule_condition_row_get_operator (self);

  if (self->field == NULL || g_strcmp0 (op, "is-empty") == 0 || g_strcmp0 (op, "is-not-empty") == 0)
    return "none";

  switch (self->field->type)
    {
    case CRM_RULE_TYPE_TEXT:
      return "text";
    case CRM_RULE_TYPE_NUMBER:
      return "number";
    case CRM_RULE_TYPE_MONEY:
      return "money";
    case CRM_RULE_TYPE_DATE:
      return "date";
    case CRM_RULE_TYPE_CHOICE:
      return "choice";
    case CRM_RULE_TYPE_BOOLEAN:
    default:
      return "boolean";
    }
}

static void
emit_changed (CrmRuleConditionRow *self)
{
  if (!self->updating)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_value_changed (CrmRuleConditionRow *self)
{
  GtkWidget *value = crm_rule_condition_row_get_value_widget (self);

  /* The error mark goes as soon as the user touches the value again. */
  if (value != NULL)
    gtk_widget_remove_css_class (value, "error");
  emit_changed (self);
}

static void
on_operator_selected (CrmRuleConditionRow *self)
{
  gtk_stack_set_visible_child_name (self->value_stack, value_page (self));
  emit_changed (self);
}

/* Public ------------------------------------------------------------------- */

const char *
crm_rule_condition_row_get_field (CrmRuleConditionRow *self)
{
  g_return_val_if_fail (CRM_IS_RULE_CONDITION_ROW (self), NULL);

  return self->field != NULL ? self->field->key : NULL;
}

const char *
crm_rule_condition_row_get_operator (CrmRuleConditionRow *self)
{
  guint selected;

  g_return_val_if_fail (CRM_IS_RULE_CONDITION_ROW (self), NULL);

  if (self->ops == NULL)
    return NULL;

  selected = gtk_drop_down_get_selected (self->op_dropdown);
  if (selected == GTK_INVALID_LIST_POSITION || selected >= g_strv_length ((char **) self->ops))
    return self->ops[0];

  return self->ops[selected];
}

gboolean
crm_rule_condition_row_set_operator (CrmRuleConditionRow *self,
                                     const char          *op)
{
  g_return_val_if_fail (CRM_IS_RULE_CONDITION_ROW (self), FALSE);

  for (guint i = 0; self->ops != NULL && self->ops[i] != NULL; i++)
    if (g_strcmp0 (self->ops[i], op) == 0)
      {
        gtk_drop_down_set_selected (self->op_dropdown, i);
        return TRUE;
      }

  return FALSE;
}

void
crm_rule_condition_row_set_field (CrmRuleConditionRow *self,
                                  const char          *key)
{
  const CrmRuleField *field;
  gboolean same_type;
  g_autoptr(GtkStringList) ops = NULL;
  g_autoptr(GtkStringList) choices = NULL;
  const char *choice_key, *choice_label;

  g_return_if_fail (CRM_IS_RULE_CONDITION_ROW (self));

  field = crm_rule_find_field (key);
  if (field == NULL || field == self->field)
    return;

  same_type = self->field != NULL && self->field->type == field->type;
  self->field = field;
  gtk_label_set_label (self->field_label, _(field->label));

  self->updating = TRUE;

  if (!same_type)
    {
      self->ops = crm_rule_get_operators (field->type);
      ops = gtk_string_list_new (NULL);
      for (guint i = 0; self->ops[i] != NULL; i++)
        gtk_string_list_append (ops, crm_rule_operator_label (self->ops[i]));
      gtk_drop_down_set_model (self->op_dropdown, G_LIST_MODEL (ops));
      /* Numbers and dates read best with "at least" first. */
      if (!crm_rule_condition_row_set_operator (self, ">="))
        gtk_drop_down_set_selected (self->op_dropdown, 0);
    }

  if (field->type == CRM_RULE_TYPE_CHOICE)
    {
      choices = gtk_string_list_new (NULL);
      for (guint i = 0; crm_rule_choice_get (field->key, i, &choice_key, &choice_label); i++)
        gtk_string_list_append (choices, choice_label);
      gtk_drop_down_set_model (self->choice_dropdown, G_LIST_MODEL (choices));
      gtk_drop_down_set_selected (self->choice_dropdown, 0);
    }

  self->updating = FALSE;

  gtk_stack_set_visible_child_name (self->value_stack, value_page (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIELD]);
  emit_changed (self);
}

GtkWidget *
crm_rule_condition_row_get_value_widget (CrmRuleConditionRow *self)
{
  const char *page;

  g_return_val_if_fail (CRM_IS_RULE_CONDITION_ROW (self), NULL);

  page = value_page (self);
  if (g_str_equal (page, "none"))
    return NULL;

  return gtk_stack_get_child_by_name (self->value_stack, page);
}

void
crm_rule_condition_row_set_value_text (CrmRuleConditionRow *self,
                                       const char          *text)
{
  GtkWidget *widget;
  const char *key, *label;

  g_return_if_fail (CRM_IS_RULE_CONDITION_ROW (self));

  widget = crm_rule_condition_row_get_value_widget (self);
  if (widget == NULL)
    return;

  if (GTK_IS_EDITABLE (widget))
    gtk_editable_set_text (GTK_EDITABLE (widget), text != NULL ? text : "");
  else if (GTK_IS_SWITCH (widget))
    gtk_switch_set_active (GTK_SWITCH (widget), g_strcmp0 (text, "true") == 0);
  else if (GTK_IS_DROP_DOWN (widget))
    for (guint i = 0; crm_rule_choice_get (self->field->key, i, &key, &label); i++)
      if (g_strcmp0 (key, text) == 0)
        gtk_drop_down_set_selected (GTK_DROP_DOWN (widget), i);
}

static gboolean
fail (GtkWidget  *widget,
      char      **message,
      char       *text)
{
  if (widget != NULL)
    gtk_widget_add_css_class (widget, "error");
  if (message != NULL)
    *message = text;
  else
    g_free (text);
  return FALSE;
}

gboolean
crm_rule_condition_row_build (CrmRuleConditionRow *self,
                              JsonBuilder         *builder,
                              char               **message)
{
  GtkWidget *widget;
  const char *label;
  const char *text = NULL;
  gint64 number = 0;
  gboolean flag = FALSE;

  g_return_val_if_fail (CRM_IS_RULE_CONDITION_ROW (self), FALSE);

  if (self->field == NULL)
    return fail (NULL, message, g_strdup (_("Choose a field for every condition.")));

  label = _(self->field->label);
  widget = crm_rule_condition_row_get_value_widget (self);

  /* An empty field is unfinished rather than wrong: say so, without the red mark. */
  if (widget != NULL && GTK_IS_EDITABLE (widget) && self->field->type != CRM_RULE_TYPE_TEXT &&
      gtk_editable_get_text (GTK_EDITABLE (widget))[0] == '\0')
    return fail (NULL, message, g_strdup_printf (_("Enter a value for “%s”."), label));

  if (widget != NULL)
    {
      switch (self->field->type)
        {
        case CRM_RULE_TYPE_TEXT:
          {
            g_autofree char *copy = NULL;

            text = gtk_editable_get_text (GTK_EDITABLE (widget));
            copy = g_strstrip (g_strdup (text));
            if (copy[0] == '\0')
              return fail (NULL, message,
                           /* Translators: %s is a field such as "City". */
                           g_strdup_printf (_("Enter a value for “%s”."), label));
          }
          break;

        case CRM_RULE_TYPE_NUMBER:
          {
            g_autofree char *copy = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (widget))));

            if (!g_ascii_string_to_signed (copy, 10, -999999999, 999999999, &number, NULL))
              return fail (widget, message,
                           g_strdup_printf (_("“%s” needs a whole number."), label));
          }
          break;

        case CRM_RULE_TYPE_MONEY:
          if (!crm_parse_money (gtk_editable_get_text (GTK_EDITABLE (widget)), currency_exponent (self),
                                locale_decimal_comma (), &number))
            return fail (widget, message,
                         /* Translators: %s is a field such as "Total spent". */
                         g_strdup_printf (_("“%s” needs an amount such as 1200.50."), label));
          break;

        case CRM_RULE_TYPE_DATE:
          text = gtk_editable_get_text (GTK_EDITABLE (widget));
          if (!crm_text_check_date (text, NULL))
            return fail (widget, message,
                         /* Translators: keep YYYY-MM-DD as the placeholder of the date field says it. */
                         g_strdup_printf (_("“%s” needs a date written YYYY-MM-DD, such as 2026-01-31."),
                                          label));
          break;

        case CRM_RULE_TYPE_CHOICE:
          {
            const char *key = NULL, *choice_label = NULL;
            guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (widget));

            if (selected == GTK_INVALID_LIST_POSITION ||
                !crm_rule_choice_get (self->field->key, selected, &key, &choice_label))
              return fail (widget, message, g_strdup_printf (_("Choose a value for “%s”."), label));
            text = key;
          }
          break;

        case CRM_RULE_TYPE_BOOLEAN:
          flag = gtk_switch_get_active (GTK_SWITCH (widget));
          break;

        default:
          g_assert_not_reached ();
        }
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "field");
  json_builder_add_string_value (builder, self->field->key);
  json_builder_set_member_name (builder, "op");
  json_builder_add_string_value (builder, crm_rule_condition_row_get_operator (self));
  if (widget != NULL)
    {
      json_builder_set_member_name (builder, "value");
      switch (self->field->type)
        {
        case CRM_RULE_TYPE_NUMBER:
        case CRM_RULE_TYPE_MONEY:
          json_builder_add_int_value (builder, number);
          break;
        case CRM_RULE_TYPE_BOOLEAN:
          json_builder_add_boolean_value (builder, flag);
          break;
        default:
          json_builder_add_string_value (builder, text);
          break;
        }
    }
  json_builder_end_object (builder);

  return TRUE;
}

gboolean
crm_rule_condition_row_load (CrmRuleConditionRow *self,
                             JsonObject          *condition,
                             GError             **error)
{
  const char *key = json_object_get_string_member_with_default (condition, "field", NULL);
  const char *op = json_object_get_string_member_with_default (condition, "op", NULL);
  JsonNode *value = json_object_get_member (condition, "value");
  const CrmRuleField *field = crm_rule_find_field (key);

  g_return_val_if_fail (CRM_IS_RULE_CONDITION_ROW (self), FALSE);

  if (field == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Unknown field “%s” in the segment rule"), key != NULL ? key : "");
      return FALSE;
    }

  self->updating = TRUE;
  crm_rule_condition_row_set_field (self, key);
  self->updating = TRUE;
  if (!crm_rule_condition_row_set_operator (self, op))
    {
      self->updating = FALSE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” cannot be used with the field “%s”"), op != NULL ? op : "", _(field->label));
      return FALSE;
    }
  gtk_stack_set_visible_child_name (self->value_stack, value_page (self));

  if (value != NULL && JSON_NODE_HOLDS_VALUE (value))
    {
      GType type = json_node_get_value_type (value);

      if (type == G_TYPE_STRING)
        crm_rule_condition_row_set_value_text (self, json_node_get_string (value));
      else if (type == G_TYPE_BOOLEAN)
        crm_rule_condition_row_set_value_text (self, json_node_get_boolean (value) ? "true" : "false");
      else if (type == G_TYPE_INT64 && field->type == CRM_RULE_TYPE_MONEY)
        {
          g_autofree char *amount = crm_export_format_amount (json_node_get_int (value),
                                                              currency_exponent (self));
          crm_rule_condition_row_set_value_text (self, amount);
        }
      else if (type == G_TYPE_INT64)
        {
          g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
          crm_rule_condition_row_set_value_text (self, number);
        }
    }
  self->updating = FALSE;

  return TRUE;
}

/* Field menu --------------------------------------------------------------- */

static GMenuModel *
build_field_menu (void)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) section = NULL;
  const char *group = NULL;
  const CrmRuleField *fields;
  guint n_fields;

  fields = crm_rule_get_fields (&n_fields);
  for (guint i = 0; i < n_fields; i++)
    {
      g_autoptr(GMenuItem) item = NULL;

      if (g_strcmp0 (group, fields[i].group) != 0)
        {
          if (section != NULL)
            g_menu_append_section (menu, _(group), G_MENU_MODEL (section));
          g_clear_object (&section);
          section = g_menu_new ();
          group = fields[i].group;
        }

      item = g_menu_item_new (_(fields[i].label), NULL);
      g_menu_item_set_action_and_target (item, "condition.field", "s", fields[i].key);
      g_menu_append_item (section, item);
    }
  if (section != NULL)
    g_menu_append_section (menu, _(group), G_MENU_MODEL (section));

  return G_MENU_MODEL (g_steal_pointer (&menu));
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_signal_emit (widget, signals[REMOVE_REQUESTED], 0);
}

/* GObject ------------------------------------------------------------------ */

static void
crm_rule_condition_row_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  CrmRuleConditionRow *self = CRM_RULE_CONDITION_ROW (object);

  switch (prop_id)
    {
    case PROP_FIELD:
      g_value_set_string (value, crm_rule_condition_row_get_field (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_rule_condition_row_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  CrmRuleConditionRow *self = CRM_RULE_CONDITION_ROW (object);

  switch (prop_id)
    {
    case PROP_FIELD:
      crm_rule_condition_row_set_field (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_rule_condition_row_dispose (GObject *object)
{
  CrmRuleConditionRow *self = CRM_RULE_CONDITION_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_RULE_CONDITION_ROW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (crm_rule_condition_row_parent_class)->dispose (object);
}

static void
crm_rule_condition_row_class_init (CrmRuleConditionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_rule_condition_row_dispose;
  object_class->get_property = crm_rule_condition_row_get_property;
  object_class->set_property = crm_rule_condition_row_set_property;

  properties[PROP_FIELD] =
    g_param_spec_string ("field", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Anything about the condition changed (field, operator, value). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[REMOVE_REQUESTED] = g_signal_new ("remove-requested", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-rule-condition-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmRuleConditionRow, field_button);
  gtk_widget_class_bind_template_child (widget_class, CrmRuleConditionRow, field_label);
  gtk_widget_class_bind_template_child (widget_class, CrmRuleConditionRow, op_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CrmRuleConditionRow, value_stack);
  gtk_widget_class_bind_template_child (widget_class, CrmRuleConditionRow, text_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmRuleConditionRow, number_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmRuleConditionRow, money_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmRuleConditionRow, date_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmRuleConditionRow, choice_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CrmRuleConditionRow, bool_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_value_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_operator_selected);

  gtk_widget_class_install_property_action (widget_class, "condition.field", "field");
  gtk_widget_class_install_action (widget_class, "condition.remove", NULL, remove_action);
}

static void
crm_rule_condition_row_init (CrmRuleConditionRow *self)
{
  g_autoptr(GMenuModel) menu = build_field_menu ();
  guint n_fields;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (APP_ID);

  /* The menu reads the "field" action's state at once: it must not be NULL.  A new condition
   * starts on the first field of the menu (the catalogue's rule order). */
  crm_rule_condition_row_set_field (self, crm_rule_get_fields (&n_fields)[0].key);
  gtk_menu_button_set_menu_model (self->field_button, menu);
}

/* crm-rule.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-rule.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "crm-customer.h"
#include "crm-json.h"
#include "crm-rfm.h"
#include "crm-store.h"
#include "crm-text.h"
#include "crm-tier.h"

#define MAX_DEPTH 8
/* A group is two JSON levels (its object and its "rules" list) and conditions hold scalars, so
 * no rule parse_node() accepts nests deeper than this; deeper text is refused before parsing. */
#define MAX_JSON_DEPTH (2 * (MAX_DEPTH + 1) + 2)
#define MAX_CONDITIONS 200

static const char *text_ops[] = { "is", "is-not", "contains", "starts-with", "is-empty", "is-not-empty", NULL };
static const char *number_ops[] = { "=", "!=", "<", "<=", ">", ">=", NULL };
static const char *choice_ops[] = { "is", "is-not", NULL };
static const char *boolean_ops[] = { "is", NULL };
static const char *no_ops[] = { NULL };

/* The catalogue's fields that rules can use, in the rule builder's order; made once. */
static const CrmRuleField *
rule_fields (guint *n_fields)
{
  static CrmRuleField *fields;
  static guint n;

  if (g_once_init_enter (&fields))
    {
      const CrmCustomerFieldInfo **infos = crm_customer_fields_rules (&n);
      CrmRuleField *made = g_new0 (CrmRuleField, n);

      for (guint i = 0; i < n; i++)
        made[i] = (CrmRuleField) {
          .key = crm_customer_field_get_rule_key (infos[i]),
          .label = crm_customer_field_get_rule_label (infos[i]),
          .group = infos[i]->rule.group,
          .type = infos[i]->rule.type,
          .info = infos[i],
        };
      g_once_init_leave (&fields, made);
    }

  *n_fields = n;
  return fields;
}

const CrmRuleField *
crm_rule_get_fields (guint *n_fields)
{
  return rule_fields (n_fields);
}

const CrmRuleField *
crm_rule_find_field (const char *key)
{
  guint n;
  const CrmRuleField *fields = rule_fields (&n);

  for (guint i = 0; key != NULL && i < n; i++)
    if (strcmp (fields[i].key, key) == 0)
      return &fields[i];

  return NULL;
}

const char * const *
crm_rule_get_operators (CrmRuleType type)
{
  switch (type)
    {
    case CRM_RULE_TYPE_TEXT:
      return text_ops;
    case CRM_RULE_TYPE_NUMBER:
    case CRM_RULE_TYPE_MONEY:
    case CRM_RULE_TYPE_DATE:
      return number_ops;
    case CRM_RULE_TYPE_CHOICE:
      return choice_ops;
    case CRM_RULE_TYPE_BOOLEAN:
      return boolean_ops;
    case CRM_RULE_TYPE_NONE:
    default:
      return no_ops;
    }
}

const char *
crm_rule_operator_label (const char *op)
{
  static const struct { const char *op, *label; } labels[] = {
    { "is", N_("is") }, { "is-not", N_("is not") }, { "contains", N_("contains") },
    { "starts-with", N_("starts with") }, { "is-empty", N_("is empty") },
    { "is-not-empty", N_("is not empty") }, { "=", "=" }, { "!=", "≠" }, { "<", "<" },
    { "<=", "≤" }, { ">", ">" }, { ">=", "≥" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (op, labels[i].op) == 0)
      return g_dgettext (GETTEXT_PACKAGE, labels[i].label);

  return op;
}

gboolean
crm_rule_choice_get (const char  *field,
                     guint        index,
                     const char **key,
                     const char **label)
{
  static const char *genders[] = { "unknown", "female", "male", "other" };

  if (g_strcmp0 (field, "lifecycle") == 0 && index < CRM_LIFECYCLE_N_STAGES)
    {
      *key = crm_lifecycle_to_string (index);
      *label = crm_lifecycle_get_label (index);
      return TRUE;
    }
  if (g_strcmp0 (field, "gender") == 0 && index < G_N_ELEMENTS (genders))
    {
      *key = genders[index];
      *label = crm_gender_get_label (index);
      return TRUE;
    }
  /* Index 0 is "none": customers with no order in the RFM window. */
  if (g_strcmp0 (field, "rfm_segment") == 0 && index < CRM_RFM_N_SEGMENTS)
    {
      *key = crm_rfm_segment_to_string (index);
      *label = crm_rfm_segment_get_label (index);
      return TRUE;
    }

  return FALSE;
}

static int
choice_index (const char *field,
              const char *value)
{
  const char *key, *label;

  for (guint i = 0; crm_rule_choice_get (field, i, &key, &label); i++)
    if (g_strcmp0 (key, value) == 0)
      return i;

  return -1;
}

/* ---- the tree ---------------------------------------------------------------- */

struct _CrmRule
{
  gatomicrefcount  ref_count;
  gboolean         is_group;
  gboolean         match_any;      /* groups */
  GPtrArray       *children;       /* groups: CrmRule* */
  const CrmRuleField *field;       /* conditions */
  char            *op;
  char            *text;
  gint64           number;
  gboolean         flag;
};

G_DEFINE_BOXED_TYPE (CrmRule, crm_rule, crm_rule_ref, crm_rule_unref)

CrmRule *
crm_rule_ref (CrmRule *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
crm_rule_unref (CrmRule *self)
{
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_clear_pointer (&self->children, g_ptr_array_unref);
  g_free (self->op);
  g_free (self->text);
  g_free (self);
}

static CrmRule *
rule_alloc (void)
{
  CrmRule *self = g_new0 (CrmRule, 1);
  g_atomic_ref_count_init (&self->ref_count);
  return self;
}

static gboolean
rule_error (GError     **error,
            const char  *format,
            ...) G_GNUC_PRINTF (2, 3);

static gboolean
rule_error (GError     **error,
            const char  *format,
            ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
op_allowed (CrmRuleType  type,
            const char  *op)
{
  const char * const *ops = crm_rule_get_operators (type);

  for (guint i = 0; ops[i] != NULL; i++)
    if (g_strcmp0 (ops[i], op) == 0)
      return TRUE;

  return FALSE;
}

static CrmRule *parse_node (JsonNode *node, guint depth, guint *count, GError **error);

static CrmRule *
parse_condition (JsonObject  *o,
                 guint       *count,
                 GError     **error)
{
  g_autoptr(CrmRule) rule = rule_alloc ();
  const char *key = json_object_get_string_member_with_default (o, "field", NULL);
  const char *op = json_object_get_string_member_with_default (o, "op", NULL);
  JsonNode *value = json_object_get_member (o, "value");
  const CrmRuleField *field = crm_rule_find_field (key);

  if (++(*count) > MAX_CONDITIONS)
    return rule_error (error, _("A segment can have at most %d conditions"), MAX_CONDITIONS), NULL;
  if (field == NULL)
    return rule_error (error, _("Unknown field “%s” in the segment rule"), key ? key : ""), NULL;
  if (!op_allowed (field->type, op))
    return rule_error (error, _("“%s” cannot be used with the field “%s”"), op ? op : "",
                       g_dgettext (GETTEXT_PACKAGE, field->label)), NULL;

  rule->field = field;
  rule->op = g_strdup (op);

  if (g_str_equal (op, "is-empty") || g_str_equal (op, "is-not-empty"))
    return g_steal_pointer (&rule);

  if (value == NULL || !JSON_NODE_HOLDS_VALUE (value))
    return rule_error (error, _("The condition on “%s” needs a value"),
                       g_dgettext (GETTEXT_PACKAGE, field->label)), NULL;

  switch (field->type)
    {
    case CRM_RULE_TYPE_TEXT:
    case CRM_RULE_TYPE_DATE:
    case CRM_RULE_TYPE_CHOICE:
      if (json_node_get_value_type (value) != G_TYPE_STRING)
        return rule_error (error, _("The value for “%s” must be text"),
                           g_dgettext (GETTEXT_PACKAGE, field->label)), NULL;
      rule->text = g_strdup (json_node_get_string (value));
      if (!crm_text_validate (rule->text, -1, 500, g_dgettext (GETTEXT_PACKAGE, field->label), error))
        return NULL;
      if (field->type == CRM_RULE_TYPE_DATE && !crm_text_check_date (rule->text, error))
        return NULL;
      if (field->type == CRM_RULE_TYPE_CHOICE && choice_index (key, rule->text) < 0)
        return rule_error (error, _("“%s” is not a valid value for “%s”"), rule->text,
                           g_dgettext (GETTEXT_PACKAGE, field->label)), NULL;
      break;
    case CRM_RULE_TYPE_NUMBER:
    case CRM_RULE_TYPE_MONEY:
      if (json_node_get_value_type (value) != G_TYPE_INT64)
        return rule_error (error, _("The value for “%s” must be a whole number"),
                           g_dgettext (GETTEXT_PACKAGE, field->label)), NULL;
      rule->number = json_node_get_int (value);
      break;
    case CRM_RULE_TYPE_BOOLEAN:
      if (json_node_get_value_type (value) != G_TYPE_BOOLEAN)
        return rule_error (error, _("The value for “%s” must be true or false"),
                           g_dgettext (GETTEXT_PACKAGE, field->label)), NULL;
      rule->flag = json_node_get_boolean (value);
      break;
    default:
      g_assert_not_reached ();
    }

  return g_steal_pointer (&rule);
}

static CrmRule *
parse_node (JsonNode  *node,
            guint      depth,
            guint     *count,
            GError   **error)
{
  JsonObject *o;
  JsonArray *children;
  g_autoptr(CrmRule) group = NULL;
  const char *match;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return rule_error (error, _("A segment rule must be a JSON object")), NULL;
  if (depth > MAX_DEPTH)
    return rule_error (error, _("Segment rules can nest at most %d groups deep"), MAX_DEPTH), NULL;

  o = json_node_get_object (node);
  if (!json_object_has_member (o, "rules"))
    return parse_condition (o, count, error);

  match = json_object_get_string_member_with_default (o, "match", "all");
  if (!g_str_equal (match, "all") && !g_str_equal (match, "any"))
    return rule_error (error, _("A group must match “all” or “any”, not “%s”"), match), NULL;

  if (!JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "rules")))
    return rule_error (error, _("A group’s rules must be a list")), NULL;
  children = json_object_get_array_member (o, "rules");

  group = rule_alloc ();
  group->is_group = TRUE;
  group->match_any = g_str_equal (match, "any");
  group->children = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_rule_unref);

  for (guint i = 0; i < json_array_get_length (children); i++)
    {
      CrmRule *child = parse_node (json_array_get_element (children, i), depth + 1, count, error);
      if (child == NULL)
        return NULL;
      g_ptr_array_add (group->children, child);
    }

  return g_steal_pointer (&group);
}

CrmRule *
crm_rule_new_from_json (const char  *json,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  guint count = 0;

  if (json != NULL && !crm_json_check_depth (json, -1, MAX_JSON_DEPTH))
    return rule_error (error, _("Segment rules can nest at most %d groups deep"), MAX_DEPTH), NULL;
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, &local_error))
    {
      rule_error (error, _("The segment rule is not valid JSON: %s"),
                  local_error ? local_error->message : _("empty"));
      return NULL;
    }

  return parse_node (json_parser_get_root (parser), 0, &count, error);
}

static void
build_json (CrmRule     *self,
            JsonBuilder *b)
{
  json_builder_begin_object (b);
  if (self->is_group)
    {
      json_builder_set_member_name (b, "match");
      json_builder_add_string_value (b, self->match_any ? "any" : "all");
      json_builder_set_member_name (b, "rules");
      json_builder_begin_array (b);
      for (guint i = 0; i < self->children->len; i++)
        build_json (g_ptr_array_index (self->children, i), b);
      json_builder_end_array (b);
    }
  else
    {
      json_builder_set_member_name (b, "field");
      json_builder_add_string_value (b, self->field->key);
      json_builder_set_member_name (b, "op");
      json_builder_add_string_value (b, self->op);
      if (!g_str_has_prefix (self->op, "is-") || g_str_equal (self->op, "is-not"))
        {
          json_builder_set_member_name (b, "value");
          switch (self->field->type)
            {
            case CRM_RULE_TYPE_NUMBER:
            case CRM_RULE_TYPE_MONEY:
              json_builder_add_int_value (b, self->number);
              break;
            case CRM_RULE_TYPE_BOOLEAN:
              json_builder_add_boolean_value (b, self->flag);
              break;
            default:
              json_builder_add_string_value (b, self->text);
            }
        }
    }
  json_builder_end_object (b);
}

char *
crm_rule_to_json (CrmRule *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  build_json (self, b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);

  return json_generator_to_data (gen, NULL);
}

guint
crm_rule_count_conditions (CrmRule *self)
{
  guint n = 0;

  if (!self->is_group)
    return 1;
  for (guint i = 0; i < self->children->len; i++)
    n += crm_rule_count_conditions (g_ptr_array_index (self->children, i));

  return n;
}

/* ---- SQL ---------------------------------------------------------------------- */

typedef struct
{
  GString         *sql;
  gint64           today_ms;
  CrmRuleBindText  bind_text;
  CrmRuleBindInt   bind_int;
  gpointer         user_data;
} Compiler;

static const char *
sql_op (const char *op)
{
  /* Only ever one of the whitelisted operators reaches here. */
  return g_str_equal (op, "!=") ? "<>" : op;
}

static char *
like_pattern (const char *text,
              gboolean    prefix_only)
{
  GString *s = g_string_new (prefix_only ? "" : "%");

  for (const char *p = text; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '%');

  return g_string_free (s, FALSE);
}

/* A text comparison on an SQL expression that yields the customer's value. */
static void
text_condition (Compiler   *c,
                CrmRule    *r,
                const char *expr)
{
  if (g_str_equal (r->op, "is-empty"))
    g_string_append_printf (c->sql, "coalesce(%s, '') = ''", expr);
  else if (g_str_equal (r->op, "is-not-empty"))
    g_string_append_printf (c->sql, "coalesce(%s, '') <> ''", expr);
  else if (g_str_equal (r->op, "is"))
    g_string_append_printf (c->sql, "%s = ?%d COLLATE NOCASE", expr, c->bind_text (c->user_data, r->text));
  else if (g_str_equal (r->op, "is-not"))
    g_string_append_printf (c->sql, "coalesce(%s, '') <> ?%d COLLATE NOCASE", expr,
                            c->bind_text (c->user_data, r->text));
  else
    {
      g_autofree char *pattern = like_pattern (r->text, g_str_equal (r->op, "starts-with"));
      g_string_append_printf (c->sql, "%s LIKE ?%d ESCAPE '\\'", expr, c->bind_text (c->user_data, pattern));
    }
}

/* Conditions on something customers have several of (tags, categories, channels):
 * "is" means "has one that is", "is-not" means "has none that is". */
static void
exists_condition (Compiler   *c,
                  CrmRule    *r,
                  const char *from,
                  const char *expr)
{
  gboolean negate = g_str_equal (r->op, "is-not") || g_str_equal (r->op, "is-empty");
  g_autoptr(CrmRule) positive = crm_rule_ref (r);
  CrmRule tmp = *r;

  g_string_append_printf (c->sql, "%sEXISTS (SELECT 1 FROM %s AND ", negate ? "NOT " : "", from);
  if (g_str_equal (r->op, "is-not"))
    tmp.op = (char *) "is";
  else if (g_str_equal (r->op, "is-empty") || g_str_equal (r->op, "is-not-empty"))
    tmp.op = (char *) "is-not-empty";
  text_condition (c, &tmp, expr);
  g_string_append (c->sql, ")");
}

static void
number_condition (Compiler   *c,
                  CrmRule    *r,
                  const char *expr)
{
  g_string_append_printf (c->sql, "%s %s ?%d", expr, sql_op (r->op), c->bind_int (c->user_data, r->number));
}

/* The field's stored value, as the catalogue says where and how it is kept. */
static void
stored_condition (Compiler *c,
                  CrmRule  *r)
{
  const CrmCustomerFieldInfo *info = r->field->info;
  const char *column = crm_customer_field_get_column (info);   /* from the catalogue, not the user */
  g_autofree char *expr = NULL;

  switch (info->stored)
    {
    case CRM_FIELD_STORED_CUSTOMERS:
      expr = g_strdup_printf ("c.%s", column);
      break;
    case CRM_FIELD_STORED_STATE:
      expr = g_strdup_printf ("(SELECT %s FROM customer_state WHERE customer_id = c.id)", column);
      break;
    case CRM_FIELD_STORED_RFM:
      expr = g_strdup_printf ("(SELECT %s FROM customer_rfm WHERE customer_id = c.id)", column);
      break;
    case CRM_FIELD_STORED_PREDICTIONS:
      expr = g_strdup_printf ("(SELECT %s FROM customer_predictions WHERE customer_id = c.id)", column);
      break;
    case CRM_FIELD_STORED_NONE:
    default:
      g_assert_not_reached ();
    }

  switch (r->field->type)
    {
    case CRM_RULE_TYPE_TEXT:
      text_condition (c, r, expr);
      break;
    case CRM_RULE_TYPE_NUMBER:
    case CRM_RULE_TYPE_MONEY:
      number_condition (c, r, expr);
      break;
    case CRM_RULE_TYPE_DATE:
      /* Days of times (ms UTC) or dates kept as text. */
      if (info->value == CRM_FIELD_VALUE_TIME || info->value == CRM_FIELD_VALUE_DAY)
        g_string_append_printf (c->sql, "date(%s / 1000, 'unixepoch') %s ?%d", expr, sql_op (r->op),
                                c->bind_text (c->user_data, r->text));
      else
        g_string_append_printf (c->sql, "%s %s ?%d", expr, sql_op (r->op), c->bind_text (c->user_data, r->text));
      break;
    case CRM_RULE_TYPE_CHOICE:
      /* Choices kept as their key, or as their index (gender, lifecycle stage). */
      g_string_append_printf (c->sql, "%s %s ?%d", expr, g_str_equal (r->op, "is") ? "=" : "<>",
                              info->value == CRM_FIELD_VALUE_TEXT
                              ? c->bind_text (c->user_data, r->text)
                              : c->bind_int (c->user_data, choice_index (r->field->key, r->text)));
      break;
    case CRM_RULE_TYPE_BOOLEAN:
      g_string_append_printf (c->sql, "%s = ?%d", expr, c->bind_int (c->user_data, r->flag ? 1 : 0));
      break;
    case CRM_RULE_TYPE_NONE:
    default:
      g_assert_not_reached ();
    }
}

static void
compile (Compiler *c,
         CrmRule  *r)
{
  const char *k;

  if (r->is_group)
    {
      if (r->children->len == 0)
        {
          /* An empty "all" group holds for everyone, an empty "any" for no one. */
          g_string_append (c->sql, r->match_any ? "0" : "1");
          return;
        }
      g_string_append_c (c->sql, '(');
      for (guint i = 0; i < r->children->len; i++)
        {
          if (i > 0)
            g_string_append (c->sql, r->match_any ? " OR " : " AND ");
          compile (c, g_ptr_array_index (r->children, i));
        }
      g_string_append_c (c->sql, ')');
      return;
    }

  k = r->field->key;
  g_string_append_c (c->sql, '(');

  /* Fields a rule computes, or reads in a way of its own; every other field is compared as
   * stored (stored_condition()). */
  if (g_str_equal (k, "age"))
    {
      int today = c->bind_int (c->user_data, c->today_ms / 1000);
      g_autofree char *expr = g_strdup_printf (
        "(CASE WHEN c.birthday IS NULL THEN NULL ELSE"
        " CAST(strftime('%%Y', ?%d, 'unixepoch') AS INTEGER) - CAST(substr(c.birthday, 1, 4) AS INTEGER)"
        " - (strftime('%%m-%%d', ?%d, 'unixepoch') < substr(c.birthday, 6, 5)) END)", today, today);
      number_condition (c, r, expr);
    }
  else if (g_str_equal (k, "average_order"))
    number_condition (c, r, "(CASE WHEN c.order_count > 0 THEN c.total_spent / c.order_count END)");
  else if (g_str_equal (k, "days_since_order"))
    {
      g_autofree char *expr = g_strdup_printf ("((?%d - c.last_order_at) / 86400000)",
                                               c->bind_int (c->user_data, c->today_ms));
      number_condition (c, r, expr);
    }
  else if (g_str_equal (k, "category"))
    exists_condition (c, r, "orders o JOIN order_lines l ON l.order_id = o.id"
                            " WHERE o.customer_id = c.id AND o.deleted_at IS NULL AND l.deleted_at IS NULL",
                      "l.category");
  else if (g_str_equal (k, "channel"))
    exists_condition (c, r, "orders o WHERE o.customer_id = c.id AND o.deleted_at IS NULL", "o.channel");
  else if (g_str_equal (k, "tag"))
    {
      g_autofree char *folded = crm_text_fold (r->text ? r->text : "");
      CrmRule tmp = *r;
      tmp.text = folded;
      exists_condition (c, &tmp, "customer_tags t WHERE t.customer_id = c.id", "t.tag");
    }
  else if (g_str_equal (k, "rfm_segment"))
    g_string_append_printf (c->sql, "coalesce((SELECT segment FROM customer_rfm WHERE customer_id = c.id), 'none') %s ?%d",
                            g_str_equal (r->op, "is") ? "=" : "<>", c->bind_text (c->user_data, r->text));
  else if (g_str_equal (k, "tier"))
    {
      /* The names the user sees: a built-in tier's in the interface's language. */
      g_autofree char *expr = g_strdup_printf ("(SELECT CASE preset WHEN 'regular' THEN ?%d WHEN 'silver' THEN ?%d"
                                               " WHEN 'gold' THEN ?%d WHEN 'vip' THEN ?%d ELSE name END"
                                               " FROM tiers WHERE id = " CRM_CUSTOMER_STATE_SQL ("tier_id", "c") ")",
                                               c->bind_text (c->user_data, crm_tier_preset_name ("regular")),
                                               c->bind_text (c->user_data, crm_tier_preset_name ("silver")),
                                               c->bind_text (c->user_data, crm_tier_preset_name ("gold")),
                                               c->bind_text (c->user_data, crm_tier_preset_name ("vip")));
      text_condition (c, r, expr);
    }
  else
    stored_condition (c, r);

  g_string_append_c (c->sql, ')');
}

void
crm_rule_to_sql (CrmRule         *self,
                 GString         *sql,
                 gint64           today_ms,
                 CrmRuleBindText  bind_text,
                 CrmRuleBindInt   bind_int,
                 gpointer         user_data)
{
  Compiler c = { sql, today_ms, bind_text, bind_int, user_data };

  compile (&c, self);
}

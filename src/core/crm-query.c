/* crm-query.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-query.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-customer.h"
#include "crm-member-card.h"
#include "crm-pinyin.h"
#include "crm-text.h"

typedef struct
{
  gboolean  is_text;
  gint64    number;
  char     *text;
} Bind;

struct _CrmQuery
{
  GObject   parent_instance;

  char     *search_text;
  gint64    tier_id;
  int       lifecycle;
  char     *city;
  char     *region;
  char     *country;
  char     *tag;
  char     *owner;
  char     *sort_column;
  gboolean  sort_descending;
  CrmRule  *rule;
  CrmNameOrder name_order;

  GArray   *binds;   /* filled by crm_query_to_sql() */
  gboolean  union_all;  /* while compiling for crm_query_run_ids(): it drops repeats itself */
};

G_DEFINE_FINAL_TYPE (CrmQuery, crm_query, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SEARCH_TEXT,
  PROP_TIER_ID,
  PROP_LIFECYCLE,
  PROP_CITY,
  PROP_REGION,
  PROP_COUNTRY,
  PROP_TAG,
  PROP_OWNER,
  PROP_SORT_COLUMN,
  PROP_SORT_DESCENDING,
  PROP_RULE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
clear_bind (gpointer data)
{
  Bind *b = data;
  g_free (b->text);
}

static void
crm_query_finalize (GObject *object)
{
  CrmQuery *self = CRM_QUERY (object);

  g_free (self->search_text);
  g_free (self->city);
  g_free (self->region);
  g_free (self->country);
  g_free (self->tag);
  g_free (self->owner);
  g_free (self->sort_column);
  g_clear_pointer (&self->rule, crm_rule_unref);
  g_clear_pointer (&self->binds, g_array_unref);

  G_OBJECT_CLASS (crm_query_parent_class)->finalize (object);
}

static void
crm_query_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CrmQuery *self = CRM_QUERY (object);

  switch (prop_id)
    {
    case PROP_SEARCH_TEXT: g_value_set_string (value, self->search_text); break;
    case PROP_TIER_ID: g_value_set_int64 (value, self->tier_id); break;
    case PROP_LIFECYCLE: g_value_set_int (value, self->lifecycle); break;
    case PROP_CITY: g_value_set_string (value, self->city); break;
    case PROP_REGION: g_value_set_string (value, self->region); break;
    case PROP_COUNTRY: g_value_set_string (value, self->country); break;
    case PROP_TAG: g_value_set_string (value, self->tag); break;
    case PROP_OWNER: g_value_set_string (value, self->owner); break;
    case PROP_SORT_COLUMN: g_value_set_string (value, self->sort_column); break;
    case PROP_SORT_DESCENDING: g_value_set_boolean (value, self->sort_descending); break;
    case PROP_RULE: g_value_set_boxed (value, self->rule); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_query_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CrmQuery *self = CRM_QUERY (object);

  switch (prop_id)
    {
    case PROP_SEARCH_TEXT: crm_query_set_search_text (self, g_value_get_string (value)); break;
    case PROP_TIER_ID: crm_query_set_tier_id (self, g_value_get_int64 (value)); break;
    case PROP_LIFECYCLE: crm_query_set_lifecycle (self, g_value_get_int (value)); break;
    case PROP_CITY: crm_query_set_city (self, g_value_get_string (value)); break;
    case PROP_REGION: crm_query_set_region (self, g_value_get_string (value)); break;
    case PROP_COUNTRY: crm_query_set_country (self, g_value_get_string (value)); break;
    case PROP_TAG: crm_query_set_tag (self, g_value_get_string (value)); break;
    case PROP_OWNER: crm_query_set_owner (self, g_value_get_string (value)); break;
    case PROP_SORT_COLUMN: crm_query_set_sort (self, g_value_get_string (value), self->sort_descending, NULL); break;
    case PROP_SORT_DESCENDING: crm_query_set_sort (self, self->sort_column, g_value_get_boolean (value), NULL); break;
    case PROP_RULE: crm_query_set_rule (self, g_value_get_boxed (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_query_class_init (CrmQueryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = crm_query_finalize;
  object_class->get_property = crm_query_get_property;
  object_class->set_property = crm_query_set_property;

  properties[PROP_SEARCH_TEXT] = g_param_spec_string ("search-text", NULL, NULL, NULL, flags);
  properties[PROP_TIER_ID] = g_param_spec_int64 ("tier-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_LIFECYCLE] = g_param_spec_int ("lifecycle", NULL, NULL, -1, CRM_LIFECYCLE_N_STAGES - 1, -1, flags);
  properties[PROP_CITY] = g_param_spec_string ("city", NULL, NULL, NULL, flags);
  properties[PROP_REGION] = g_param_spec_string ("region", NULL, NULL, NULL, flags);
  properties[PROP_COUNTRY] = g_param_spec_string ("country", NULL, NULL, NULL, flags);
  properties[PROP_TAG] = g_param_spec_string ("tag", NULL, NULL, NULL, flags);
  properties[PROP_OWNER] = g_param_spec_string ("owner", NULL, NULL, NULL, flags);
  properties[PROP_SORT_COLUMN] = g_param_spec_string ("sort-column", NULL, NULL, "name", flags);
  properties[PROP_SORT_DESCENDING] = g_param_spec_boolean ("sort-descending", NULL, NULL, FALSE, flags);
  properties[PROP_RULE] = g_param_spec_boxed ("rule", NULL, NULL, CRM_TYPE_RULE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_query_init (CrmQuery *self)
{
  self->lifecycle = -1;
  self->sort_column = g_strdup ("name");
  self->name_order = crm_name_order_of_locale ();
  self->binds = g_array_new (FALSE, TRUE, sizeof (Bind));
  g_array_set_clear_func (self->binds, clear_bind);
}

CrmQuery *
crm_query_new (void)
{
  return g_object_new (CRM_TYPE_QUERY, NULL);
}

CrmQuery *
crm_query_copy (CrmQuery *self)
{
  CrmQuery *copy = crm_query_new ();

  copy->search_text = g_strdup (self->search_text);
  copy->tier_id = self->tier_id;
  copy->lifecycle = self->lifecycle;
  copy->city = g_strdup (self->city);
  copy->region = g_strdup (self->region);
  copy->country = g_strdup (self->country);
  copy->tag = g_strdup (self->tag);
  copy->owner = g_strdup (self->owner);
  g_free (copy->sort_column);
  copy->sort_column = g_strdup (self->sort_column);
  copy->sort_descending = self->sort_descending;
  copy->rule = self->rule ? crm_rule_ref (self->rule) : NULL;
  copy->name_order = self->name_order;

  return copy;
}

/* Sets a text filter; blank text means "no filter". */
static void
set_text (CrmQuery  *self,
          char     **field,
          const char *value,
          guint      prop)
{
  g_autofree char *clean = NULL;

  if (value != NULL)
    {
      clean = g_strstrip (g_strdup (value));
      if (*clean == '\0')
        g_clear_pointer (&clean, g_free);
    }

  if (g_strcmp0 (*field, clean) == 0)
    return;

  g_free (*field);
  *field = g_steal_pointer (&clean);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void crm_query_set_search_text (CrmQuery *self, const char *text) { set_text (self, &self->search_text, text, PROP_SEARCH_TEXT); }
const char *crm_query_get_search_text (CrmQuery *self) { return self->search_text; }
void crm_query_set_city (CrmQuery *self, const char *city) { set_text (self, &self->city, city, PROP_CITY); }
const char *crm_query_get_city (CrmQuery *self) { return self->city; }
void crm_query_set_region (CrmQuery *self, const char *region) { set_text (self, &self->region, region, PROP_REGION); }
const char *crm_query_get_region (CrmQuery *self) { return self->region; }
void crm_query_set_country (CrmQuery *self, const char *country) { set_text (self, &self->country, country, PROP_COUNTRY); }
const char *crm_query_get_country (CrmQuery *self) { return self->country; }
void crm_query_set_tag (CrmQuery *self, const char *tag) { set_text (self, &self->tag, tag, PROP_TAG); }
const char *crm_query_get_tag (CrmQuery *self) { return self->tag; }
void crm_query_set_owner (CrmQuery *self, const char *owner) { set_text (self, &self->owner, owner, PROP_OWNER); }
const char *crm_query_get_owner (CrmQuery *self) { return self->owner; }

void
crm_query_set_tier_id (CrmQuery *self,
                       gint64    tier_id)
{
  if (self->tier_id == tier_id)
    return;
  self->tier_id = tier_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIER_ID]);
}

gint64
crm_query_get_tier_id (CrmQuery *self)
{
  return self->tier_id;
}

void
crm_query_set_lifecycle (CrmQuery *self,
                         int       lifecycle)
{
  if (self->lifecycle == lifecycle)
    return;
  self->lifecycle = lifecycle;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIFECYCLE]);
}

int
crm_query_get_lifecycle (CrmQuery *self)
{
  return self->lifecycle;
}

void
crm_query_set_rule (CrmQuery *self,
                    CrmRule  *rule)
{
  if (self->rule == rule)
    return;

  g_clear_pointer (&self->rule, crm_rule_unref);
  self->rule = rule ? crm_rule_ref (rule) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RULE]);
}

CrmRule *
crm_query_get_rule (CrmQuery *self)
{
  return self->rule;
}

gboolean
crm_query_is_column_sortable (const char *column)
{
  g_autoptr(GTypeClass) klass = NULL;

  if (column == NULL)
    return FALSE;
  if (strcmp (column, "id") == 0 || strcmp (column, "created_at") == 0 ||
      strcmp (column, "updated_at") == 0)
    return TRUE;

  klass = g_type_class_ref (CRM_TYPE_CUSTOMER);
  return crm_entity_find_field ((CrmEntityClass *) klass, column) >= 0 && strchr (column, '-') == NULL;
}

gboolean
crm_query_set_sort (CrmQuery    *self,
                    const char  *column,
                    gboolean     descending,
                    GError     **error)
{
  if (!crm_query_is_column_sortable (column))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("Customers cannot be sorted by “%s”"), column ? column : "");
      return FALSE;
    }

  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (self->sort_column, column) != 0)
    {
      g_free (self->sort_column);
      self->sort_column = g_strdup (column);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORT_COLUMN]);
    }
  if (self->sort_descending != !!descending)
    {
      self->sort_descending = !!descending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORT_DESCENDING]);
    }
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

void
crm_query_set_name_order (CrmQuery     *self,
                          CrmNameOrder  order)
{
  self->name_order = order;
}

CrmNameOrder
crm_query_get_name_order (CrmQuery *self)
{
  return self->name_order;
}

const char *
crm_query_get_sort_column (CrmQuery *self)
{
  return self->sort_column;
}

gboolean
crm_query_get_sort_descending (CrmQuery *self)
{
  return self->sort_descending;
}

/* ---- compilation ----------------------------------------------------------- */

static int
bind_text (CrmQuery   *self,
           const char *text)
{
  Bind b = { TRUE, 0, g_strdup (text) };
  g_array_append_val (self->binds, b);
  return self->binds->len;
}

static int
bind_take_text (CrmQuery *self,
                char     *text)
{
  Bind b = { TRUE, 0, text };
  g_array_append_val (self->binds, b);
  return self->binds->len;
}

static int
bind_int (CrmQuery *self,
          gint64    value)
{
  Bind b = { FALSE, value, NULL };
  g_array_append_val (self->binds, b);
  return self->binds->len;
}

static int
rule_bind_text (gpointer    self,
                const char *text)
{
  return bind_text (self, text);
}

static int
rule_bind_int (gpointer self,
               gint64   value)
{
  return bind_int (self, value);
}

/* Appends "col >= ?a AND col < ?b": a prefix range any BINARY index can serve. */
static void
append_prefix_range (CrmQuery   *self,
                     GString    *sql,
                     const char *column,
                     const char *prefix)
{
  int lo = bind_text (self, prefix);
  int hi = bind_take_text (self, crm_text_prefix_upper_bound (prefix));

  g_string_append_printf (sql, "%s >= ?%d AND %s < ?%d", column, lo, column, hi);
}

/* " UNION … the customers whose name's pinyin starts with @text" (crm_pinyin_keys_foreach()),
 * if @text is pinyin: wangfang, wang fang, wf. */
static void
append_pinyin (CrmQuery   *self,
               GString    *sql,
               const char *text)
{
  g_autofree char *key = crm_pinyin_query_key (text);

  if (key == NULL)
    return;
  g_string_append_printf (sql, " UNION%s SELECT customer_id AS id FROM customer_terms WHERE ",
                          self->union_all ? " ALL" : "");
  append_prefix_range (self, sql, "term", key);
}

/* " UNION … the customer whose live member card has that number", if @text is one (16 digits with
 * a valid Luhn check digit, spaces and dashes allowed): one lookup of a unique index. */
static void
append_member_card (CrmQuery   *self,
                    GString    *sql,
                    const char *text)
{
  char *number = crm_member_card_normalize (text);

  if (number == NULL)
    return;
  g_string_append_printf (sql, " UNION%s SELECT customer_id AS id FROM member_cards"
                               " WHERE number = ?%d AND revoked_at IS NULL",
                          self->union_all ? " ALL" : "", bind_take_text (self, number));
}

/* A subquery giving the ids of the customers matching @text. */
static void
append_search (CrmQuery   *self,
               GString    *sql,
               const char *text)
{
  g_autofree char *folded = crm_text_fold (text);
  glong n_chars = g_utf8_strlen (folded, -1);

  if (crm_text_is_phone_query (text))
    {
      g_autofree char *digits = crm_text_phone_key (text);
      g_autofree char *rev = crm_text_reverse_ascii (digits);

      /* Leading digits, or trailing digits whatever country code the stored number has. */
      g_string_append (sql, "SELECT id FROM customers WHERE ");
      append_prefix_range (self, sql, "phone_digits", digits);
      g_string_append_printf (sql, " UNION%s SELECT id FROM customers WHERE ", self->union_all ? " ALL" : "");
      append_prefix_range (self, sql, "phone_rev", rev);
      append_member_card (self, sql, text);
      return;
    }

  if (strchr (folded, '@') != NULL)
    {
      const char *at = strchr (folded, '@');

      g_string_append (sql, "SELECT id FROM customers WHERE ");
      if (at == folded)
        append_prefix_range (self, sql, "email_domain", at + 1);
      else
        append_prefix_range (self, sql, "email_key", folded);
      return;
    }

  if (n_chars < 3)
    {
      /* Trigrams need three characters: short queries use the name terms, plus
       * cities of exactly that name (上海, 北京). */
      int term = bind_text (self, folded);
      int city = bind_text (self, text);

      g_string_append_printf (sql,
                              "SELECT customer_id AS id FROM customer_terms WHERE term = ?%d"
                              " UNION%s SELECT id FROM customers WHERE deleted_at IS NULL"
                              " AND city = ?%d COLLATE NOCASE",
                              term, self->union_all ? " ALL" : "", city);
      append_pinyin (self, sql, text);
      /* … and the summaries of their interactions (schema 6). */
      g_string_append_printf (sql, " UNION%s SELECT i.customer_id AS id FROM interaction_terms t"
                                   " JOIN interactions i ON i.id = t.interaction_id WHERE t.term = ?%d",
                              self->union_all ? " ALL" : "", term);
      return;
    }

  {
    /* One FTS5 phrase: the text is a literal, whatever operators it contains. */
    g_autoptr(GString) phrase = g_string_new ("\"");
    int match;

    for (const char *p = text; *p; p++)
      {
        if (*p == '"')
          g_string_append_c (phrase, '"');
        g_string_append_c (phrase, *p);
      }
    g_string_append_c (phrase, '"');
    match = bind_text (self, phrase->str);

    g_string_append_printf (sql, "SELECT rowid AS id FROM customers_fts WHERE customers_fts MATCH ?%d"
                                 " UNION%s SELECT id FROM customers WHERE ", match,
                            self->union_all ? " ALL" : "");
    append_prefix_range (self, sql, "email_key", folded);
    append_pinyin (self, sql, text);
    /* The summaries and notes of their interactions (schema 6). */
    g_string_append_printf (sql, " UNION%s SELECT i.customer_id AS id FROM interactions_fts f"
                                 " JOIN interactions i ON i.id = f.rowid WHERE interactions_fts MATCH ?%d",
                            self->union_all ? " ALL" : "", match);
    /* The comments of their feedback (schema 10). */
    g_string_append_printf (sql, " UNION%s SELECT fb.customer_id AS id FROM feedback_fts ff"
                                 " JOIN feedback fb ON fb.id = ff.rowid WHERE feedback_fts MATCH ?%d",
                            self->union_all ? " ALL" : "", match);
  }
}

static const char *
sort_expression (const char *column)
{
  /* Text columns sort case-insensitively; name and city have matching indexes. */
  static const char *nocase[] = { "name", "city", "company", "email", "region", "country",
                                  "occupation", "owner", "source", "tags", "phone" };

  for (guint i = 0; i < G_N_ELEMENTS (nocase); i++)
    if (strcmp (column, nocase[i]) == 0)
      return " COLLATE NOCASE";

  return "";
}

/* The computed columns a customer's row reads from customer_state. */
static gboolean
is_state_column (const char *column)
{
  return g_str_equal (column, "tier_id") || g_str_equal (column, "lifecycle");
}

static gboolean
sorts_by_name_key (CrmQuery *self)
{
  return self->name_order == CRM_NAME_ORDER_PINYIN && g_str_equal (self->sort_column, "name");
}

/* Whether the query reads no customer column but id and name (and the deleted
 * flag the partial index implies), so customers_id_name can answer it alone
 * (customers_id_name_key in pinyin order). */
static gboolean
uses_only_name (CrmQuery   *self,
                const char *columns)
{
  return (g_str_equal (columns, "c.id") || g_str_equal (columns, "count(*)")) &&
         g_str_equal (self->sort_column, "name") &&
         self->tier_id == 0 && self->lifecycle < 0 && self->city == NULL && self->region == NULL &&
         self->country == NULL && self->owner == NULL && self->rule == NULL;
}

static char *
build_sql (CrmQuery   *self,
           const char *columns,
           const char *joins,
           gboolean    count_only)
{
  GString *sql = g_string_new (NULL);
  const char *dir = self->sort_descending ? "DESC" : "ASC";
  /* Sorted by tier or stage (no search): customer_state's index over that column gives the
   * order, and the live customers' covering index answers deleted_at.  Ordering by a
   * subquery per row instead sorts 1M rows (1.4 s against 0.25 s). */
  gboolean by_state = !count_only && self->search_text == NULL && is_state_column (self->sort_column);

  g_array_set_size (self->binds, 0);

  g_string_append_printf (sql, "SELECT %s FROM ", columns);

  if (self->search_text != NULL)
    {
      /* CROSS JOIN keeps SQLite from scanning the sort index over every customer
       * and probing the matches: a search has few hits, so fetch and sort those. */
      g_string_append (sql, "(");
      append_search (self, sql, self->search_text);
      /* Sorted by name, and nothing else needed from the row: the covering index. */
      g_string_append_printf (sql, ") AS hits CROSS JOIN customers c%s ON c.id = hits.id",
                              !uses_only_name (self, columns) ? ""
                              : sorts_by_name_key (self) ? " INDEXED BY customers_id_name_key"
                              : " INDEXED BY customers_id_name");
    }
  else if (by_state)
    g_string_append (sql, "customer_state cs CROSS JOIN customers c INDEXED BY customers_id_name"
                          " ON c.id = cs.customer_id");
  else
    g_string_append (sql, "customers c");

  if (joins != NULL)
    g_string_append_printf (sql, " %s", joins);

  g_string_append (sql, by_state ? " WHERE c.deleted_at IS NULL AND cs.deleted = 0" : " WHERE c.deleted_at IS NULL");

  /* Tier and stage live in customer_state, whose partial indexes list the live customers. */
  if (self->tier_id != 0)
    g_string_append_printf (sql, " AND c.id IN (SELECT customer_id FROM customer_state"
                                 " WHERE tier_id = ?%d AND deleted = 0)", bind_int (self, self->tier_id));
  if (self->lifecycle >= 0)
    g_string_append_printf (sql, " AND c.id IN (SELECT customer_id FROM customer_state"
                                 " WHERE lifecycle = ?%d AND deleted = 0)", bind_int (self, self->lifecycle));
  if (self->city != NULL)
    g_string_append_printf (sql, " AND c.city = ?%d COLLATE NOCASE", bind_text (self, self->city));
  if (self->region != NULL)
    g_string_append_printf (sql, " AND c.region = ?%d COLLATE NOCASE", bind_text (self, self->region));
  if (self->country != NULL)
    g_string_append_printf (sql, " AND c.country = ?%d COLLATE NOCASE", bind_text (self, self->country));
  if (self->owner != NULL)
    g_string_append_printf (sql, " AND c.owner = ?%d", bind_text (self, self->owner));
  if (self->tag != NULL)
    g_string_append_printf (sql, " AND c.id IN (SELECT customer_id FROM customer_tags WHERE tag = ?%d)",
                            bind_take_text (self, crm_text_fold (self->tag)));

  if (self->rule != NULL)
    {
      g_string_append (sql, " AND ");
      crm_rule_to_sql (self->rule, sql, crm_now_ms (), rule_bind_text, rule_bind_int, self);
    }

  if (by_state)
    g_string_append_printf (sql, " ORDER BY cs.%s %s, cs.customer_id %s", self->sort_column, dir, dir);
  else if (!count_only && is_state_column (self->sort_column))
    g_string_append_printf (sql, " ORDER BY (SELECT %s FROM customer_state WHERE customer_id = c.id) %s, c.id %s",
                            self->sort_column, dir, dir);
  else if (!count_only && sorts_by_name_key (self))
    g_string_append_printf (sql, " ORDER BY c.name_key %s, c.id %s", dir, dir);
  else if (!count_only)
    g_string_append_printf (sql, " ORDER BY c.%s%s %s, c.id %s",
                            self->sort_column, sort_expression (self->sort_column), dir, dir);

  return g_string_free (sql, FALSE);
}

char *
crm_query_to_sql (CrmQuery *self,
                  gboolean  count_only)
{
  return build_sql (self, count_only ? "count(*)" : "c.id", NULL, count_only);
}

char *
crm_query_to_sql_columns (CrmQuery   *self,
                          const char *columns,
                          const char *joins)
{
  return build_sql (self, columns, joins, FALSE);
}

void
crm_query_bind (CrmQuery     *self,
                sqlite3_stmt *stmt)
{
  for (guint i = 0; i < self->binds->len; i++)
    {
      const Bind *b = &g_array_index (self->binds, Bind, i);

      if (b->is_text)
        sqlite3_bind_text (stmt, i + 1, b->text, -1, SQLITE_STATIC);
      else
        sqlite3_bind_int64 (stmt, i + 1, b->number);
    }
}

GArray *
crm_query_run_ids (CrmQuery      *self,
                   CrmStore      *store,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autofree char *sql = NULL;
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), 1024);
  GCancellable *previous = NULL;
  sqlite3_stmt *stmt;
  int rc;

  /* Names sort as the database's setting (or the locale) says. */
  self->name_order = crm_name_order_of_store (store);

  /* The parts of a search are joined with UNION ALL, which needs no temporary
   * B-tree: a customer found twice (name and e-mail) comes out twice in a row,
   * since the order ends with the id, and is dropped here. */
  self->union_all = TRUE;
  sql = crm_query_to_sql (self, FALSE);
  self->union_all = FALSE;

  if (!(stmt = crm_store_prepare (store, sql, error)))
    return NULL;
  crm_query_bind (self, stmt);

  if (cancellable != NULL)
    previous = crm_store_set_cancellable (store, cancellable);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (ids->len == 0 || g_array_index (ids, gint64, ids->len - 1) != id)
        g_array_append_val (ids, id);
    }

  if (cancellable != NULL)
    crm_store_set_cancellable (store, previous);

  if (rc != SQLITE_DONE)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        ;
      else
        crm_store_set_error (store, rc, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&ids);
}

gint64
crm_query_count (CrmQuery  *self,
                 CrmStore  *store,
                 GError   **error)
{
  g_autofree char *sql = crm_query_to_sql (self, TRUE);
  sqlite3_stmt *stmt;
  gint64 count;
  int rc;

  if (!(stmt = crm_store_prepare (store, sql, error)))
    return -1;
  crm_query_bind (self, stmt);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      crm_store_set_error (store, rc, error);
      sqlite3_reset (stmt);
      return -1;
    }
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return count;
}

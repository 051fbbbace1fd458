/* test-models.c: every model goes into the database and comes back unchanged;
 * notify, dirty tracking, soft delete and restore behave as the UI relies on.
 *
 * The CRUD tests walk each model's field table, so a field added later is
 * covered (and a field with no column is caught) without touching this file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-test-util.h"

#include <string.h>

#include "crm-campaign.h"
#include "crm-customer.h"
#include "crm-feedback.h"
#include "crm-interaction.h"
#include "crm-order-line.h"
#include "crm-refund.h"
#include "crm-order.h"
#include "crm-store.h"
#include "crm-tier.h"

typedef struct
{
  char     *path;
  CrmStore *store;
  gint64    customer_id;   /* targets for the reference fields */
  gint64    customer2_id;
  gint64    order_id;
  gint64    tier_id;
} Fixture;

static gint64
scalar (CrmStore   *store,
        const char *sql)
{
  return crm_test_query_int (store, sql);
}

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) c1 = crm_customer_new ();
  g_autoptr(CrmCustomer) c2 = crm_customer_new ();
  g_autoptr(CrmTier) tier = crm_tier_new ();
  g_autoptr(CrmOrder) order = crm_order_new ();

  fx->path = crm_test_db_path ();
  fx->store = crm_store_open (fx->path, &error);
  g_assert_no_error (error);

  crm_tier_set_name (tier, "Gold");
  g_assert_true (crm_store_insert (fx->store, CRM_ENTITY (tier), &error));
  g_assert_no_error (error);
  fx->tier_id = crm_entity_get_id (CRM_ENTITY (tier));

  crm_customer_set_name (c1, "Reference One");
  g_assert_true (crm_store_insert (fx->store, CRM_ENTITY (c1), &error));
  crm_customer_set_name (c2, "Reference Two");
  g_assert_true (crm_store_insert (fx->store, CRM_ENTITY (c2), &error));
  g_assert_no_error (error);
  fx->customer_id = crm_entity_get_id (CRM_ENTITY (c1));
  fx->customer2_id = crm_entity_get_id (CRM_ENTITY (c2));

  crm_order_set_customer_id (order, fx->customer_id);
  crm_order_set_placed_at (order, 1700000000000);
  crm_order_set_status (order, "completed");
  crm_order_set_currency (order, "CNY");
  g_assert_true (crm_store_insert (fx->store, CRM_ENTITY (order), &error));
  g_assert_no_error (error);
  fx->order_id = crm_entity_get_id (CRM_ENTITY (order));
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  g_clear_object (&fx->store);
  g_free (fx->path);
}

/* A valid value for every field, different for each @seed: formats follow what the
 * store checks (e-mail, phone, dates, currency), references point at real rows. */
static void
make_value (Fixture        *fx,
            const CrmField *f,
            guint           seed,
            GValue         *value)
{
  g_value_init (value, f->type);

  if (f->type == G_TYPE_STRING)
    {
      g_autofree char *text = NULL;

      if (strcmp (f->name, "email") == 0)
        text = g_strdup_printf ("user%u@example.cn", seed);
      else if (strcmp (f->name, "phone") == 0)
        text = g_strdup_printf ("+86 138 %04u %04u", seed, seed * 7);
      else if (strcmp (f->name, "birthday") == 0)
        text = g_strdup_printf ("19%02u-0%u-1%u", 50 + seed, 1 + seed % 9, seed % 10);
      else if (strcmp (f->name, "currency") == 0)
        text = g_strdup (seed % 2 ? "CNY" : "EUR");
      else if (strcmp (f->name, "status") == 0)
        text = g_strdup (seed % 2 ? "completed" : "processing");
      else if (strcmp (f->name, "tags") == 0)
        text = g_strdup_printf ("vip, tag%u", seed);
      /* An interaction's channel and direction are from fixed lists (any text for the others). */
      else if (strcmp (f->name, "channel") == 0)
        text = g_strdup (seed % 2 ? "phone" : "wechat");
      else if (strcmp (f->name, "direction") == 0)
        text = g_strdup (seed % 2 ? "in" : "out");
      else
        text = g_strdup_printf ("%s %u 值", f->name, seed);

      if (f->max_chars > 0 && (guint) g_utf8_strlen (text, -1) > f->max_chars)
        *g_utf8_offset_to_pointer (text, f->max_chars) = '\0';
      g_value_set_string (value, text);
    }
  else if (f->type == G_TYPE_INT64)
    {
      gint64 v;

      if (strcmp (f->name, "customer-id") == 0)
        v = seed % 2 ? fx->customer_id : fx->customer2_id;
      else if (strcmp (f->name, "order-id") == 0)
        v = fx->order_id;
      else if (strcmp (f->name, "tier-id") == 0)
        v = seed % 2 ? fx->tier_id : 0;
      else if (g_str_has_suffix (f->name, "-at"))
        v = 1700000000000 + seed * 86400000;
      else
        v = 100 * seed + 1;
      g_value_set_int64 (value, v);
    }
  else if (f->type == G_TYPE_INT)
    g_value_set_int (value, seed % 3 + 1);
  else if (f->type == G_TYPE_BOOLEAN)
    g_value_set_boolean (value, seed % 2);
  else if (f->type == G_TYPE_DOUBLE)
    g_value_set_double (value, 1.25 * seed);
  else
    g_assert_not_reached ();
}

static void
fill (Fixture   *fx,
      CrmEntity *entity,
      guint      seed)
{
  CrmEntityClass *klass = CRM_ENTITY_GET_CLASS (entity);

  for (guint i = 0; i < klass->n_fields; i++)
    {
      GValue v = G_VALUE_INIT;

      if (klass->fields[i].flags & CRM_FIELD_FLAG_COMPUTED)
        continue;
      make_value (fx, &klass->fields[i], seed, &v);
      /* Through the property, as the UI and importers do. */
      g_object_set_property (G_OBJECT (entity), klass->fields[i].name, &v);
      g_value_unset (&v);
    }
}

static gboolean
gvalues_equal (const GValue *a,
               const GValue *b)
{
  g_assert_true (G_VALUE_TYPE (a) == G_VALUE_TYPE (b));

  switch (G_VALUE_TYPE (a))
    {
    case G_TYPE_STRING:
      return g_strcmp0 (g_value_get_string (a), g_value_get_string (b)) == 0;
    case G_TYPE_INT64:
      return g_value_get_int64 (a) == g_value_get_int64 (b);
    case G_TYPE_INT:
      return g_value_get_int (a) == g_value_get_int (b);
    case G_TYPE_BOOLEAN:
      return !g_value_get_boolean (a) == !g_value_get_boolean (b);
    case G_TYPE_DOUBLE:
      return g_value_get_double (a) == g_value_get_double (b);
    default:
      g_assert_not_reached ();
    }
}

static void
assert_same_fields (CrmEntity *a,
                    CrmEntity *b)
{
  CrmEntityClass *klass = CRM_ENTITY_GET_CLASS (a);

  g_assert_true (G_OBJECT_TYPE (a) == G_OBJECT_TYPE (b));
  g_assert_cmpint (crm_entity_get_id (a), ==, crm_entity_get_id (b));
  g_assert_cmpstr (crm_entity_get_uuid (a), ==, crm_entity_get_uuid (b));
  g_assert_cmpint (crm_entity_get_created_at (a), ==, crm_entity_get_created_at (b));
  g_assert_cmpint (crm_entity_get_updated_at (a), ==, crm_entity_get_updated_at (b));
  g_assert_cmpint (crm_entity_get_deleted_at (a), ==, crm_entity_get_deleted_at (b));

  for (guint i = 0; i < klass->n_fields; i++)
    if (!gvalues_equal (crm_entity_get_value (a, i), crm_entity_get_value (b, i)))
      {
        g_autofree char *sa = g_strdup_value_contents (crm_entity_get_value (a, i));
        g_autofree char *sb = g_strdup_value_contents (crm_entity_get_value (b, i));
        g_error ("%s.%s differs: %s != %s", klass->table, klass->fields[i].name, sa, sb);
      }
}

/* A column whose value the generic list can be filtered on. */
static int
list_field (CrmEntityClass *klass)
{
  for (guint i = 0; i < klass->n_fields; i++)
    if ((klass->fields[i].type == G_TYPE_INT64 || klass->fields[i].type == G_TYPE_INT) &&
        !(klass->fields[i].flags & CRM_FIELD_FLAG_COMPUTED))
      return i;
  g_assert_not_reached ();
}

/* A plain text field that no index or check depends on, to edit. */
static int
editable_text_field (CrmEntityClass *klass,
                     int             skip)
{
  for (guint i = 0; i < klass->n_fields; i++)
    if (klass->fields[i].type == G_TYPE_STRING && (int) i != skip &&
        !(klass->fields[i].flags & CRM_FIELD_FLAG_COMPUTED) &&
        klass->fields[i].max_chars >= 20 &&
        strcmp (klass->fields[i].name, "email") != 0 && strcmp (klass->fields[i].name, "phone") != 0 &&
        strcmp (klass->fields[i].name, "status") != 0 &&
        strcmp (klass->fields[i].name, "channel") != 0)   /* an interaction's is from a list */
      return i;
  g_assert_not_reached ();
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           GPtrArray  *names)
{
  g_ptr_array_add (names, g_strdup (pspec->name));
}

static gboolean
names_contain (GPtrArray  *names,
               const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (strcmp (g_ptr_array_index (names, i), name) == 0)
      return TRUE;
  return FALSE;
}

static void
test_crud (Fixture       *fx,
           gconstpointer  data)
{
  GType type = GPOINTER_TO_SIZE (data);
  g_autoptr(GTypeClass) type_class = g_type_class_ref (type);
  CrmEntityClass *klass = (CrmEntityClass *) type_class;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmEntity) entity = g_object_new (type, NULL);
  g_autoptr(CrmEntity) by_id = NULL;
  g_autoptr(CrmEntity) by_uuid = NULL;
  g_autoptr(CrmEntity) after = NULL;
  g_autoptr(CrmEntity) deleted = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) listed = NULL;
  g_autofree char *sql = NULL;
  GValue v = G_VALUE_INIT;
  gint64 before_ms = g_get_real_time () / 1000;
  gint64 count_before, updated_before;
  int lf = list_field (klass);
  int edit = editable_text_field (klass, -1);
  int other = editable_text_field (klass, edit);
  gulong handler;
  gint64 list_value;
  gboolean stale;

  /* Insert: identity assigned, nothing left dirty. */
  fill (fx, entity, 1);
  g_assert_true (crm_entity_is_dirty (entity));
  count_before = crm_store_count (fx->store, type, &error);
  g_assert_no_error (error);
  g_assert_true (crm_store_insert (fx->store, entity, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_entity_get_id (entity), >, 0);
  g_assert_true (g_uuid_string_is_valid (crm_entity_get_uuid (entity)));
  g_assert_cmpint (crm_entity_get_created_at (entity), >=, before_ms);
  g_assert_cmpint (crm_entity_get_updated_at (entity), ==, crm_entity_get_created_at (entity));
  g_assert_cmpint (crm_entity_get_deleted_at (entity), ==, 0);
  g_assert_false (crm_entity_is_deleted (entity));
  g_assert_false (crm_entity_is_dirty (entity));
  g_assert_cmpint (crm_store_count (fx->store, type, NULL), ==, count_before + 1);

  /* Load by id and by uuid: every field as written. */
  by_id = crm_store_load (fx->store, type, crm_entity_get_id (entity), &error);
  g_assert_no_error (error);
  assert_same_fields (entity, by_id);
  g_assert_false (crm_entity_is_dirty (by_id));
  by_uuid = crm_store_load_by_uuid (fx->store, type, crm_entity_get_uuid (entity), &error);
  g_assert_no_error (error);
  assert_same_fields (entity, by_uuid);

  /* Notify: none for the same value, one for a real change, and only that field dirty. */
  handler = g_signal_connect (by_id, "notify", G_CALLBACK (on_notify), names);
  g_value_init (&v, G_TYPE_STRING);
  g_value_set_string (&v, crm_entity_get_string (by_id, edit));
  g_object_set_property (G_OBJECT (by_id), klass->fields[edit].name, &v);
  crm_entity_set_string (by_id, edit, crm_entity_get_string (entity, edit));
  g_assert_cmpuint (names->len, ==, 0);
  g_assert_false (crm_entity_is_dirty (by_id));

  crm_entity_set_string (by_id, edit, "an edited value");
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, klass->fields[edit].name);
  g_assert_true (crm_entity_field_is_dirty (by_id, edit));
  g_assert_false (crm_entity_field_is_dirty (by_id, other));
  crm_entity_set_string (by_id, edit, "an edited value");
  g_assert_cmpuint (names->len, ==, 1);
  g_value_unset (&v);

  /* Another writer changes a field this object does not touch: the update must
   * write only the dirty field and leave that change alone. */
  sql = g_strdup_printf ("UPDATE %s SET %s = 'written elsewhere' WHERE id = %" G_GINT64_FORMAT,
                         klass->table, klass->columns[other], crm_entity_get_id (by_id));
  g_assert_true (crm_store_exec (fx->store, sql, &error));
  g_assert_no_error (error);

  updated_before = crm_entity_get_updated_at (by_id);
  g_ptr_array_set_size (names, 0);
  g_assert_true (crm_store_update (fx->store, by_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_entity_get_updated_at (by_id), >, updated_before);
  g_assert_true (names_contain (names, "updated-at"));
  g_assert_false (crm_entity_is_dirty (by_id));
  g_signal_handler_disconnect (by_id, handler);

  after = crm_store_load (fx->store, type, crm_entity_get_id (entity), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_entity_get_string (after, edit), ==, "an edited value");
  g_assert_cmpstr (crm_entity_get_string (after, other), ==, "written elsewhere");
  g_assert_cmpint (crm_entity_get_updated_at (after), ==, crm_entity_get_updated_at (by_id));
  g_assert_cmpint (crm_entity_get_created_at (after), ==, crm_entity_get_created_at (entity));
  g_clear_object (&after);

  /* Reload picks up the other writer's change, with notify (customers reload on
   * every save for their aggregates, so theirs may be fresh already). */
  stale = g_strcmp0 (crm_entity_get_string (by_id, other), "written elsewhere") != 0;
  g_ptr_array_set_size (names, 0);
  handler = g_signal_connect (by_id, "notify", G_CALLBACK (on_notify), names);
  g_assert_true (crm_store_reload (fx->store, by_id, &error));
  g_assert_no_error (error);
  g_signal_handler_disconnect (by_id, handler);
  g_assert_cmpstr (crm_entity_get_string (by_id, other), ==, "written elsewhere");
  g_assert_true (names_contain (names, klass->fields[other].name) == stale);
  g_assert_false (crm_entity_is_dirty (by_id));

  /* An update with nothing dirty is a no-op: updated_at stays. */
  updated_before = crm_entity_get_updated_at (by_id);
  g_assert_true (crm_store_update (fx->store, by_id, &error));
  after = crm_store_load (fx->store, type, crm_entity_get_id (entity), &error);
  g_assert_cmpint (crm_entity_get_updated_at (after), ==, updated_before);
  g_clear_object (&after);

  /* Soft delete: hidden from lists and counts, still loadable as a tombstone. */
  list_value = crm_entity_get_int64 (by_id, lf);
  listed = crm_store_list (fx->store, type, klass->columns[lf], list_value, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, >=, 1);
  g_assert_cmpint (crm_entity_get_id (g_ptr_array_index (listed, listed->len - 1)), ==,
                   crm_entity_get_id (by_id));
  g_clear_pointer (&listed, g_ptr_array_unref);

  g_ptr_array_set_size (names, 0);
  handler = g_signal_connect (by_id, "notify", G_CALLBACK (on_notify), names);
  g_assert_true (crm_store_delete (fx->store, by_id, &error));
  g_assert_no_error (error);
  g_assert_true (crm_entity_is_deleted (by_id));
  g_assert_true (names_contain (names, "deleted-at"));
  g_signal_handler_disconnect (by_id, handler);
  g_assert_cmpint (crm_store_count (fx->store, type, NULL), ==, count_before);

  listed = crm_store_list (fx->store, type, klass->columns[lf], list_value, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < listed->len; i++)
    g_assert_cmpint (crm_entity_get_id (g_ptr_array_index (listed, i)), !=, crm_entity_get_id (by_id));
  g_clear_pointer (&listed, g_ptr_array_unref);

  deleted = crm_store_load (fx->store, type, crm_entity_get_id (entity), &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_entity_get_deleted_at (deleted), >, 0);
  g_assert_cmpint (crm_entity_get_deleted_at (deleted), ==, crm_entity_get_deleted_at (by_id));
  g_assert_cmpstr (crm_entity_get_string (deleted, edit), ==, "an edited value");

  /* Deleting again changes nothing. */
  g_assert_true (crm_store_delete (fx->store, deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_store_count (fx->store, type, NULL), ==, count_before);

  /* Restore (undo): back in lists and counts, with every field intact. */
  g_assert_true (crm_store_restore (fx->store, by_id, &error));
  g_assert_no_error (error);
  g_assert_false (crm_entity_is_deleted (by_id));
  g_assert_cmpint (crm_store_count (fx->store, type, NULL), ==, count_before + 1);
  after = crm_store_load (fx->store, type, crm_entity_get_id (entity), &error);
  g_assert_no_error (error);
  assert_same_fields (by_id, after);
  listed = crm_store_list (fx->store, type, klass->columns[lf], list_value, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_entity_get_id (g_ptr_array_index (listed, listed->len - 1)), ==,
                   crm_entity_get_id (by_id));
}

/* Every field of every model has a column of the same name: a written one in its table, a
 * computed one there or in a side table its FROM clause joins (read without ambiguity). */
static void
test_schema_drift (Fixture       *fx,
                   gconstpointer  data)
{
  const GType types[] = {
    CRM_TYPE_CUSTOMER, CRM_TYPE_ORDER, CRM_TYPE_ORDER_LINE, CRM_TYPE_TIER,
    CRM_TYPE_CAMPAIGN, CRM_TYPE_FEEDBACK, CRM_TYPE_INTERACTION, CRM_TYPE_REFUND,
  };

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      g_autoptr(GTypeClass) type_class = g_type_class_ref (types[t]);
      CrmEntityClass *klass = (CrmEntityClass *) type_class;
      g_autoptr(GHashTable) columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autofree char *sql = g_strdup_printf ("PRAGMA table_info(%s)", klass->table);
      g_autoptr(GString) select = g_string_new ("SELECT id, uuid, created_at, updated_at, deleted_at");
      const char *const common[] = { "id", "uuid", "created_at", "updated_at", "deleted_at" };
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (crm_store_get_db (fx->store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_hash_table_add (columns, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      sqlite3_finalize (stmt);

      g_assert_cmpuint (g_hash_table_size (columns), >, 0);
      for (guint i = 0; i < G_N_ELEMENTS (common); i++)
        if (!g_hash_table_contains (columns, common[i]))
          g_error ("table %s has no column %s", klass->table, common[i]);
      for (guint i = 0; i < klass->n_fields; i++)
        {
          if (!(klass->fields[i].flags & CRM_FIELD_FLAG_COMPUTED) && !g_hash_table_contains (columns, klass->columns[i]))
            g_error ("field %s of %s has no column in table %s",
                     klass->fields[i].name, g_type_name (types[t]), klass->table);
          g_string_append_printf (select, ", %s", klass->columns[i]);
        }
      g_string_append_printf (select, " FROM %s WHERE id = 1", klass->from);
      if (sqlite3_prepare_v2 (crm_store_get_db (fx->store), select->str, -1, &stmt, NULL) != SQLITE_OK)
        g_error ("%s: %s", g_type_name (types[t]), sqlite3_errmsg (crm_store_get_db (fx->store)));
      sqlite3_finalize (stmt);
      g_assert_nonnull (klass->entity_name);
    }
}

/* Properties: each field is a notify-explicit property; setting text to "" means unset. */
static void
test_properties (void)
{
  g_autoptr(CrmCustomer) c = crm_customer_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  CrmEntityClass *klass = CRM_ENTITY_GET_CLASS (c);
  g_autofree char *city = NULL;
  gint gender = -1;

  for (guint i = 0; i < klass->n_fields; i++)
    {
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (c), klass->fields[i].name);

      g_assert_nonnull (pspec);
      g_assert_true (pspec->flags & G_PARAM_EXPLICIT_NOTIFY);
      g_assert_cmpint (crm_entity_find_field (klass, klass->fields[i].name), ==, i);
      g_assert_cmpint (crm_entity_find_field (klass, klass->columns[i]), ==, i);
    }
  g_assert_cmpint (crm_entity_find_field (klass, "no-such-field"), ==, -1);
  g_assert_cmpstr (klass->columns[CRM_CUSTOMER_POSTAL_CODE], ==, "postal_code");

  g_signal_connect (c, "notify", G_CALLBACK (on_notify), names);

  g_object_set (c, "city", "杭州", "gender", CRM_GENDER_FEMALE, NULL);
  g_object_get (c, "city", &city, "gender", &gender, NULL);
  g_assert_cmpstr (city, ==, "杭州");
  g_assert_cmpint (gender, ==, CRM_GENDER_FEMALE);
  g_assert_cmpint (crm_customer_get_gender (c), ==, CRM_GENDER_FEMALE);
  g_assert_cmpuint (names->len, ==, 2);

  /* The same values again: no notify. */
  g_object_set (c, "city", "杭州", "gender", CRM_GENDER_FEMALE, NULL);
  g_assert_cmpuint (names->len, ==, 2);

  /* Empty text and NULL are one state: "" clears, a second "" is no change. */
  crm_customer_set_city (c, "");
  g_assert_null (crm_customer_get_city (c));
  g_assert_cmpuint (names->len, ==, 3);
  crm_customer_set_city (c, NULL);
  crm_customer_set_city (c, "");
  g_assert_cmpuint (names->len, ==, 3);

  /* Booleans and int64. */
  crm_customer_set_email_consent (c, TRUE);
  crm_customer_set_email_consent (c, TRUE);
  crm_customer_set_email_consent_at (c, 1700000000123);
  g_assert_true (crm_customer_get_email_consent (c));
  g_assert_cmpint (crm_customer_get_email_consent_at (c), ==, 1700000000123);
  g_assert_cmpuint (names->len, ==, 5);
  g_assert_true (crm_entity_field_is_dirty (CRM_ENTITY (c), CRM_CUSTOMER_EMAIL_CONSENT));
  g_assert_false (crm_entity_field_is_dirty (CRM_ENTITY (c), CRM_CUSTOMER_SMS_CONSENT));
}

/* How a live object picks up an edit saved elsewhere: notify for what changed only,
 * and it is not left dirty. */
static void
test_copy_fields (void)
{
  g_autoptr(CrmTier) a = crm_tier_new ();
  g_autoptr(CrmTier) b = crm_tier_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  crm_tier_set_name (a, "Silver");
  crm_tier_set_rank (a, 2);
  crm_tier_set_points_multiplier (a, 1.5);
  crm_entity_clear_dirty (CRM_ENTITY (a));

  crm_tier_set_name (b, "Silver");
  crm_tier_set_rank (b, 3);
  crm_tier_set_points_multiplier (b, 1.5);

  g_signal_connect (a, "notify", G_CALLBACK (on_notify), names);
  crm_entity_copy_fields (CRM_ENTITY (a), CRM_ENTITY (b));
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "rank");
  g_assert_cmpint (crm_tier_get_rank (a), ==, 3);
  g_assert_cmpfloat (crm_tier_get_points_multiplier (a), ==, 1.5);
  g_assert_false (crm_entity_is_dirty (CRM_ENTITY (a)));
}

/* Aggregates are the store's: writing them on the object is never saved. */
static void
test_computed_not_written (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) c = crm_store_load (fx->store, CRM_TYPE_CUSTOMER, fx->customer2_id, &error);
  g_autoptr(CrmCustomer) again = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (crm_customer_get_total_spent (c), ==, 0);
  crm_customer_set_total_spent (c, 999999);
  crm_customer_set_notes (c, "edited");
  g_assert_true (crm_store_update (fx->store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);
  /* The object shows the stored value again after the save. */
  g_assert_cmpint (crm_customer_get_total_spent (c), ==, 0);

  again = crm_store_load (fx->store, CRM_TYPE_CUSTOMER, fx->customer2_id, &error);
  g_assert_cmpint (crm_customer_get_total_spent (again), ==, 0);
  g_assert_cmpstr (crm_customer_get_notes (again), ==, "edited");
}

/* A list filtered by a reference column, named either way, in id order, live only. */
static void
test_list_and_load_many (Fixture       *fx,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) by_column = NULL;
  g_autoptr(GPtrArray) by_property = NULL;
  g_autoptr(GPtrArray) many = NULL;
  g_autoptr(GPtrArray) none = NULL;
  gint64 ids[4];

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(CrmInteraction) it = crm_interaction_new ();
      crm_interaction_set_customer_id (it, fx->customer2_id);
      crm_interaction_set_subject (it, "call");
      crm_interaction_set_occurred_at (it, 1700000000000 + i);
      g_assert_true (crm_store_insert (fx->store, CRM_ENTITY (it), &error));
      g_assert_no_error (error);
      ids[i] = crm_entity_get_id (CRM_ENTITY (it));
      if (i == 1)
        g_assert_true (crm_store_delete (fx->store, CRM_ENTITY (it), &error));
    }
  ids[3] = 987654;  /* no such row */

  by_column = crm_store_list (fx->store, CRM_TYPE_INTERACTION, "customer_id", fx->customer2_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (by_column->len, ==, 2);
  g_assert_cmpint (crm_entity_get_id (g_ptr_array_index (by_column, 0)), ==, ids[0]);
  g_assert_cmpint (crm_entity_get_id (g_ptr_array_index (by_column, 1)), ==, ids[2]);

  by_property = crm_store_list (fx->store, CRM_TYPE_INTERACTION, "customer-id", fx->customer2_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (by_property);
  g_assert_cmpuint (by_property->len, ==, 2);

  g_assert_null (crm_store_list (fx->store, CRM_TYPE_INTERACTION, "id; DROP TABLE customers", 1, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* load_many returns deleted rows too, and skips ids that do not exist. */
  many = crm_store_load_many (fx->store, CRM_TYPE_INTERACTION, ids, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (many->len, ==, 3);
  none = crm_store_load_many (fx->store, CRM_TYPE_INTERACTION, ids, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);

  /* Unknown id and uuid: NOT_FOUND. */
  g_assert_null (crm_store_load (fx->store, CRM_TYPE_INTERACTION, 987654, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (crm_store_load_by_uuid (fx->store, CRM_TYPE_CUSTOMER, "00000000-0000-4000-8000-000000000000", &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
}

/* A record removed behind the object's back: the save fails with NOT_FOUND, no journal row. */
static void
test_update_missing (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCampaign) camp = crm_campaign_new ();
  gint64 changes;

  crm_campaign_set_name (camp, "Spring sale");
  g_assert_true (crm_store_insert (fx->store, CRM_ENTITY (camp), &error));
  g_assert_true (crm_store_exec (fx->store, "DELETE FROM campaigns", &error));
  changes = scalar (fx->store, "SELECT count(*) FROM changes");

  crm_campaign_set_subject (camp, "Now 20% off");
  g_assert_false (crm_store_update (fx->store, CRM_ENTITY (camp), &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (scalar (fx->store, "SELECT count(*) FROM changes"), ==, changes);
}

/* Required text: every model with a required field refuses to save without it. */
static void
test_required (Fixture       *fx,
               gconstpointer  data)
{
  const GType types[] = { CRM_TYPE_CUSTOMER, CRM_TYPE_TIER, CRM_TYPE_CAMPAIGN };

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CrmEntity) e = g_object_new (types[t], NULL);
      gint64 before = crm_store_count (fx->store, types[t], NULL);

      g_assert_false (crm_store_insert (fx->store, e, &error));
      g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "Name"));
      g_assert_cmpint (crm_entity_get_id (e), ==, 0);
      g_assert_cmpint (crm_store_count (fx->store, types[t], NULL), ==, before);
    }
}

/* An order typed with only its customer, date and total gets the shop's defaults;
 * one without a customer or a date is refused with a message, not a constraint error. */
static void
test_order_defaults (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmOrder) order = crm_order_new ();
  g_autoptr(CrmOrder) back = NULL;
  g_autoptr(CrmOrder) no_customer = crm_order_new ();
  g_autoptr(CrmOrder) no_date = crm_order_new ();
  gint64 before = crm_store_count (fx->store, CRM_TYPE_ORDER, NULL);

  crm_order_set_customer_id (order, fx->customer2_id);
  crm_order_set_placed_at (order, 1700000000000);
  crm_order_set_total (order, 990);
  g_assert_true (crm_store_insert (fx->store, CRM_ENTITY (order), &error));
  g_assert_no_error (error);
  back = crm_store_load (fx->store, CRM_TYPE_ORDER, crm_entity_get_id (CRM_ENTITY (order)), &error);
  g_assert_cmpstr (crm_order_get_status (back), ==, "completed");
  g_assert_cmpstr (crm_order_get_currency (back), ==, "CNY");
  g_assert_cmpstr (crm_order_get_status (order), ==, "completed");

  crm_order_set_placed_at (no_customer, 1700000000000);
  g_assert_false (crm_store_insert (fx->store, CRM_ENTITY (no_customer), &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_null (strstr (error->message, "constraint"));
  g_clear_error (&error);

  crm_order_set_customer_id (no_date, fx->customer2_id);
  g_assert_false (crm_store_insert (fx->store, CRM_ENTITY (no_date), &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_null (strstr (error->message, "constraint"));
  g_assert_cmpint (crm_store_count (fx->store, CRM_TYPE_ORDER, NULL), ==, before + 1);
}

static void
test_lifecycle_keys (void)
{
  for (int s = 0; s < CRM_LIFECYCLE_N_STAGES; s++)
    {
      g_assert_cmpint (crm_lifecycle_from_string (crm_lifecycle_to_string (s)), ==, s);
      g_assert_nonnull (crm_lifecycle_get_label (s));
    }
  g_assert_cmpint (crm_lifecycle_from_string ("bogus"), ==, -1);
  g_assert_cmpint (crm_lifecycle_from_string (NULL), ==, -1);
  g_assert_cmpstr (crm_gender_get_label (CRM_GENDER_UNKNOWN), !=, crm_gender_get_label (CRM_GENDER_FEMALE));
}

int
main (int    argc,
      char **argv)
{
  struct { const char *name; GType type; } models[] = {
    { "customer", CRM_TYPE_CUSTOMER },
    { "order", CRM_TYPE_ORDER },
    { "order-line", CRM_TYPE_ORDER_LINE },
    { "tier", CRM_TYPE_TIER },
    { "campaign", CRM_TYPE_CAMPAIGN },
    { "feedback", CRM_TYPE_FEEDBACK },
    { "interaction", CRM_TYPE_INTERACTION },
  };

  crm_test_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/models/%s/crud", models[i].name);
      g_test_add (path, Fixture, GSIZE_TO_POINTER (models[i].type),
                  fixture_set_up, test_crud, fixture_tear_down);
    }

  g_test_add ("/core/models/schema-drift", Fixture, NULL, fixture_set_up, test_schema_drift, fixture_tear_down);
  g_test_add_func ("/core/models/properties", test_properties);
  g_test_add_func ("/core/models/copy-fields", test_copy_fields);
  g_test_add ("/core/models/computed-not-written", Fixture, NULL,
              fixture_set_up, test_computed_not_written, fixture_tear_down);
  g_test_add ("/core/models/list-and-load-many", Fixture, NULL,
              fixture_set_up, test_list_and_load_many, fixture_tear_down);
  g_test_add ("/core/models/update-missing", Fixture, NULL,
              fixture_set_up, test_update_missing, fixture_tear_down);
  g_test_add ("/core/models/required", Fixture, NULL, fixture_set_up, test_required, fixture_tear_down);
  g_test_add ("/core/models/order-defaults", Fixture, NULL, fixture_set_up, test_order_defaults, fixture_tear_down);
  g_test_add_func ("/core/models/lifecycle-keys", test_lifecycle_keys);

  return g_test_run ();
}

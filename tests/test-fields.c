/* test-fields.c: the customer field catalogue, and that its consumers read it — a field added
 * to the catalogue must reach the model, the export, the import, rules and vCards.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include "crm-test-util.h"
#include "crm-customer.h"
#include "crm-customer-fields.h"
#include "crm-export.h"
#include "crm-import.h"
#include "crm-query.h"
#include "crm-rule.h"
#include "crm-vcard.h"

static const CrmCustomerFieldInfo *
fields (guint *n)
{
  return crm_customer_fields_get (n);
}

/* ---- the table itself ---------------------------------------------------------------------- */

static void
assert_positions_unique (const CrmCustomerFieldInfo **sorted,
                         guint                       n,
                         guint (*position) (const CrmCustomerFieldInfo *))
{
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (position (sorted[i]), >, 0);
      if (i > 0)
        g_assert_cmpuint (position (sorted[i]), >, position (sorted[i - 1]));
    }
}

static guint rule_position (const CrmCustomerFieldInfo *f) { return f->rule.position; }
static guint list_position (const CrmCustomerFieldInfo *f) { return f->list.position; }
static guint form_position (const CrmCustomerFieldInfo *f) { return f->form.position; }

static void
test_consistent (void)
{
  guint n, n_sorted;
  const CrmCustomerFieldInfo *all = fields (&n);
  const CrmCustomerFieldInfo **sorted;
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) rule_keys = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < n; i++)
    {
      const CrmCustomerFieldInfo *f = &all[i];
      const char *rule_key = crm_customer_field_get_rule_key (f);

      g_test_message ("field %s", f->key);
      g_assert_true (g_hash_table_add (keys, (gpointer) f->key));
      g_assert_nonnull (f->label);
      g_assert_true (crm_customer_fields_find (f->key) == f);
      if (rule_key != NULL)
        {
          g_assert_true (g_hash_table_add (rule_keys, (gpointer) rule_key));
          g_assert_true (crm_customer_fields_find_rule (rule_key) == f);
          g_assert_nonnull (f->rule.group);
        }
      /* What a file holds must be stored somewhere. */
      if (f->io & CRM_FIELD_IO_EXPORT)
        g_assert_cmpint (f->stored, !=, CRM_FIELD_STORED_NONE);
      if (f->list.position > 0)
        {
          g_assert_cmpint (crm_customer_field_get_model (f), >=, 0);
          g_assert_cmpuint (f->list.width, >, 0);
          g_assert_nonnull (f->list.title);
        }
      if (f->form.kind != CRM_FIELD_EDITOR_NONE)
        g_assert_cmpint (crm_customer_field_get_model (f), >=, 0);
      if (f->vcard_part > 0)
        g_assert_true (g_str_equal (f->vcard, "N") || g_str_equal (f->vcard, "ADR"));
    }

  sorted = crm_customer_fields_rules (&n_sorted);
  assert_positions_unique (sorted, n_sorted, rule_position);
  sorted = crm_customer_fields_list_columns (&n_sorted);
  assert_positions_unique (sorted, n_sorted, list_position);
  sorted = crm_customer_fields_form (&n_sorted);
  g_assert_null (sorted[n_sorted]);
  /* The notes box comes last, outside the numbered sections. */
  g_assert_cmpint (sorted[n_sorted - 1]->form.kind, ==, CRM_FIELD_EDITOR_NOTES);
  assert_positions_unique (sorted, n_sorted - 1, form_position);
}

/* Headers are written normalised, and within one file a header means one field. */
static void
test_headers_normalised (void)
{
  guint n;
  const CrmCustomerFieldInfo *all = fields (&n);

  for (guint set = 0; set < CRM_FIELD_HEADERS_N; set++)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < n; i++)
        {
          const char * const *headers = crm_customer_field_get_headers (&all[i], set, NULL);

          for (guint h = 0; headers[h] != NULL; h++)
            {
              g_autofree char *norm = crm_customer_fields_normalize_header (headers[h]);

              g_test_message ("set %u, %s: %s", set, all[i].key, headers[h]);
              g_assert_cmpstr (norm, ==, headers[h]);
              g_assert_true (g_hash_table_add (seen, (gpointer) headers[h]));
            }
        }
    }
}

/* Chinese headers whose UTF-8 holds the bytes of a byte-order mark (EF, BB, BF) match. */
static void
test_normalize (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "\xef\xbb\xbf" "Default Address Zip", "defaultaddresszip" },
    { "E-mail:", "email" },
    { "姓名：", "姓名" },
    { "联系人", "联系人" },              /* 系 is E7 B3 BB */
    { "邮政编码 (Postal)", "邮政编码postal" },
    { "创建时间", "创建时间" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = crm_customer_fields_normalize_header (cases[i].in);
      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

/* ---- the model ------------------------------------------------------------------------------- */

static void
test_model (void)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (CRM_TYPE_CUSTOMER);
  CrmEntityClass *entity_class = CRM_ENTITY_CLASS (klass);
  guint n, n_model = 0;
  const CrmCustomerFieldInfo *all = fields (&n);

  for (guint i = 0; i < n; i++)
    {
      int m = crm_customer_field_get_model (&all[i]);
      const char *property = crm_customer_field_get_property (&all[i]);
      GParamSpec *pspec;

      if (m < 0)
        continue;
      n_model++;
      g_assert_cmpint (crm_entity_find_field (entity_class, property), ==, m);
      pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), property);
      g_assert_nonnull (pspec);
      g_assert_true (G_PARAM_SPEC_VALUE_TYPE (pspec) == crm_customer_field_get_gtype (&all[i]));
      g_assert_cmpstr (entity_class->fields[m].label, ==, all[i].label);
      g_assert_cmpuint (entity_class->fields[m].max_chars, ==, all[i].max_chars);
    }
  g_assert_cmpuint (n_model, ==, CRM_CUSTOMER_N_FIELDS);
  /* The named accessors agree with the table. */
  g_assert_cmpint (crm_entity_find_field (entity_class, "city"), ==, CRM_CUSTOMER_CITY);
  g_assert_cmpint (crm_entity_find_field (entity_class, "last-order-at"), ==, CRM_CUSTOMER_LAST_ORDER_AT);
}

/* ---- export → import ------------------------------------------------------------------------- */

#define SAMPLE_UUID "0b8f0a52-5a3e-4d6e-9f00-3c9a2b7d1e42"
#define SAMPLE_TIME G_GINT64_CONSTANT (1700000000000)   /* whole seconds: files keep seconds */

/* The whole number the sample of @f stores (choices: their index). */
static gint64
sample_int (const CrmCustomerFieldInfo *f)
{
  switch (f->value)
    {
    case CRM_FIELD_VALUE_GENDER:
      return CRM_GENDER_FEMALE;
    case CRM_FIELD_VALUE_LIFECYCLE:
      return CRM_LIFECYCLE_AT_RISK;
    case CRM_FIELD_VALUE_BOOLEAN:
      return 1;
    case CRM_FIELD_VALUE_TIME:
    case CRM_FIELD_VALUE_DAY:
      return SAMPLE_TIME;
    default:
      return 7;
    }
}

/* A value every consumer accepts for @f, set straight in its table. */
static void
set_sample (CrmStore                   *store,
            gint64                      id,
            const CrmCustomerFieldInfo *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;

  if (f->stored == CRM_FIELD_STORED_CUSTOMERS)
    sql = g_strdup_printf ("UPDATE customers SET %s = ?1 WHERE id = ?2", crm_customer_field_get_column (f));
  else if (f->stored == CRM_FIELD_STORED_STATE)
    sql = g_strdup_printf ("UPDATE customer_state SET %s = ?1 WHERE customer_id = ?2", crm_customer_field_get_column (f));
  else if (f->stored == CRM_FIELD_STORED_RFM)
    sql = g_strdup_printf ("UPDATE customer_rfm SET %s = ?1 WHERE customer_id = ?2", crm_customer_field_get_column (f));
  else
    g_assert_not_reached ();
  stmt = crm_store_prepare (store, sql, &error);
  g_assert_no_error (error);

  switch (f->value)
    {
    case CRM_FIELD_VALUE_TEXT:
      if (g_str_equal (f->key, "uuid"))
        text = g_strdup (SAMPLE_UUID);
      else if (f->form.kind == CRM_FIELD_EDITOR_EMAIL)
        text = g_strdup ("ming.li@example.cn");
      else if (f->form.kind == CRM_FIELD_EDITOR_PHONE)
        text = g_strdup ("+86 138 0013 8000");
      else
        text = g_strdup_printf ("值 %s", f->key);
      sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
      break;
    case CRM_FIELD_VALUE_DATE:
      sqlite3_bind_text (stmt, 1, "1990-05-17", -1, SQLITE_STATIC);
      break;
    default:
      sqlite3_bind_int64 (stmt, 1, sample_int (f));
    }
  sqlite3_bind_int64 (stmt, 2, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);
}

static char *
export_path (CrmStore   *store,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (crm_test_tmp_dir (), name, NULL);

  g_assert_true (crm_export_customers_csv (store, NULL, path, CRM_CSV_ENCODING_UTF8, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_export_import (void)
{
  g_autofree char *db1 = crm_test_db_path ();
  g_autofree char *db2 = crm_test_db_path ();
  g_autoptr(CrmStore) store1 = crm_store_open (db1, NULL);
  g_autoptr(CrmStore) store2 = crm_store_open (db2, NULL);
  g_autoptr(CrmCustomer) c = crm_customer_new ();
  g_autoptr(CrmImporter) imp = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL, *second = NULL;
  g_autoptr(GPtrArray) rows1 = NULL, rows2 = NULL;
  guint n, n_cols;
  const CrmCustomerFieldInfo *all = fields (&n);
  const char * const *columns = crm_export_customer_columns (&n_cols);
  guint col = 0;

  crm_customer_set_name (c, "Placeholder");
  g_assert_true (crm_store_insert (store1, CRM_ENTITY (c), NULL));
  for (guint i = 0; i < n; i++)
    if ((all[i].io & CRM_FIELD_IO_IMPORT) && (all[i].io & CRM_FIELD_IO_EXPORT))
      set_sample (store1, crm_entity_get_id (CRM_ENTITY (c)), &all[i]);

  first = export_path (store1, "fields-1.csv");
  rows1 = crm_test_read_csv (first, CRM_CSV_ENCODING_UTF8);
  g_assert_cmpuint (rows1->len, ==, 2);

  /* The header is the catalogue's exported fields, in its order. */
  for (guint i = 0; i < n; i++)
    if (all[i].io & CRM_FIELD_IO_EXPORT)
      {
        g_assert_cmpuint (col, <, n_cols);
        g_assert_cmpstr (columns[col], ==, all[i].key);
        g_assert_cmpstr (((char **) rows1->pdata[0])[col], ==, all[i].key);
        col++;
      }
  g_assert_cmpuint (col, ==, n_cols);

  imp = crm_importer_new (store2, CRM_IMPORT_CUSTOMERS, first);
  g_assert_true (crm_importer_prepare (imp, NULL, &error));
  g_assert_no_error (error);
  /* Every column is the field of its name, or known and skipped (computed ones). */
  for (guint i = 0; i < n_cols; i++)
    {
      const CrmCustomerFieldInfo *f = crm_customer_fields_find (columns[i]);
      g_assert_cmpstr (crm_importer_get_mapping (imp, i), ==, (f->io & CRM_FIELD_IO_IMPORT) ? f->key : NULL);
    }
  g_assert_true (crm_importer_run (imp, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (crm_importer_get_report (imp)->inserted, ==, 1);
  g_assert_cmpuint (crm_importer_get_report (imp)->rejected, ==, 0);

  /* Exported again, every importable field comes out as it went in, and was set. */
  second = export_path (store2, "fields-2.csv");
  rows2 = crm_test_read_csv (second, CRM_CSV_ENCODING_UTF8);
  g_assert_cmpuint (rows2->len, ==, 2);
  for (guint i = 0; i < n_cols; i++)
    {
      const CrmCustomerFieldInfo *f = crm_customer_fields_find (columns[i]);
      const char *before = ((char **) rows1->pdata[1])[i];
      const char *after = ((char **) rows2->pdata[1])[i];

      if (!(f->io & CRM_FIELD_IO_IMPORT))
        continue;
      g_test_message ("column %s: %s → %s", columns[i], before, after);
      g_assert_cmpstr (before, !=, "");
      g_assert_cmpstr (after, ==, before);
    }
}

/* ---- import headers --------------------------------------------------------------------------- */

/* The first line of a shop's export (detected by its headers), then one more column. */
static char *
header_line (const char *sample)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  if (sample == NULL)
    return g_strdup ("");
  path = g_test_build_filename (G_TEST_DIST, "data", "import", sample, NULL);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  *strchr (text, '\n') = '\0';
  return g_strconcat (text, ",", NULL);
}

/* Every header of every field, in a file of its kind, maps the column to the field (an
 * importable one) or is known and skipped; the shop's format is still recognised. */
static void
test_headers_map (void)
{
  static const struct
  {
    CrmFieldHeaders  set;
    CrmImportKind    kind;
    const char      *sample;
    CrmImportFormat  format;
  } files[] = {
    { CRM_FIELD_HEADERS_CUSTOMERS, CRM_IMPORT_CUSTOMERS, NULL, CRM_IMPORT_FORMAT_GENERIC },
    { CRM_FIELD_HEADERS_ORDERS, CRM_IMPORT_ORDERS, NULL, CRM_IMPORT_FORMAT_GENERIC },
    { CRM_FIELD_HEADERS_SHOPIFY_CUSTOMERS, CRM_IMPORT_CUSTOMERS, "shopify-customers.csv",
      CRM_IMPORT_FORMAT_SHOPIFY_CUSTOMERS },
    { CRM_FIELD_HEADERS_SHOPIFY_ORDERS, CRM_IMPORT_ORDERS, "shopify-orders.csv", CRM_IMPORT_FORMAT_SHOPIFY_ORDERS },
    { CRM_FIELD_HEADERS_WOO_CUSTOMERS, CRM_IMPORT_CUSTOMERS, "woocommerce-customers.csv",
      CRM_IMPORT_FORMAT_WOOCOMMERCE_CUSTOMERS },
    { CRM_FIELD_HEADERS_WOO_ORDERS, CRM_IMPORT_ORDERS, "woocommerce-orders.csv", CRM_IMPORT_FORMAT_WOOCOMMERCE_ORDERS },
  };
  g_autofree char *db = crm_test_db_path ();
  g_autoptr(CrmStore) store = crm_store_open (db, NULL);
  g_autofree char *path = g_build_filename (crm_test_tmp_dir (), "headers.csv", NULL);
  guint n, n_mapped = 0;
  const CrmCustomerFieldInfo *all = fields (&n);

  G_STATIC_ASSERT (G_N_ELEMENTS (files) == CRM_FIELD_HEADERS_N);
  for (guint s = 0; s < G_N_ELEMENTS (files); s++)
    {
      g_autofree char *start = header_line (files[s].sample);

      for (guint i = 0; i < n; i++)
        {
          const char * const *headers = crm_customer_field_get_headers (&all[i], files[s].set, NULL);

          for (guint h = 0; headers[h] != NULL; h++)
            {
              g_autoptr(CrmImporter) imp = crm_importer_new (store, files[s].kind, path);
              g_autoptr(GError) error = NULL;
              g_autofree char *text = g_strdup_printf ("%s%s\n", start, headers[h]);
              g_autofree char *expected = NULL;
              guint n_columns;

              if (all[i].io & CRM_FIELD_IO_IMPORT)
                expected = files[s].kind == CRM_IMPORT_ORDERS ? g_strconcat ("customer_", all[i].key, NULL)
                                                               : g_strdup (all[i].key);
              g_test_message ("%s in %s: %s", headers[h], files[s].sample ? files[s].sample : "a spreadsheet",
                              expected ? expected : "(skipped)");
              g_assert_true (g_file_set_contents (path, text, -1, NULL));
              crm_importer_set_header_mode (imp, CRM_CSV_HEADER_PRESENT);
              g_assert_true (crm_importer_prepare (imp, NULL, &error));
              g_assert_no_error (error);
              g_assert_cmpint (crm_importer_get_format (imp), ==, files[s].format);
              crm_importer_get_columns (imp, &n_columns);
              g_assert_cmpstr (crm_importer_get_mapping (imp, n_columns - 1), ==, expected);
              n_mapped++;
            }
        }
    }
  g_assert_cmpuint (n_mapped, >, 200);   /* 243 when the catalogue took them over */
}

/* ---- rules ----------------------------------------------------------------------------------- */

static char *
sample_condition (const CrmRuleField *rf,
                  const char         *op)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *key, *label;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "field");
  json_builder_add_string_value (b, rf->key);
  json_builder_set_member_name (b, "op");
  json_builder_add_string_value (b, op);
  if (!g_str_equal (op, "is-empty") && !g_str_equal (op, "is-not-empty"))
    {
      json_builder_set_member_name (b, "value");
      switch (rf->type)
        {
        case CRM_RULE_TYPE_NUMBER:
        case CRM_RULE_TYPE_MONEY:
          json_builder_add_int_value (b, 7);
          break;
        case CRM_RULE_TYPE_DATE:
          json_builder_add_string_value (b, "2023-11-14");
          break;
        case CRM_RULE_TYPE_BOOLEAN:
          json_builder_add_boolean_value (b, TRUE);
          break;
        case CRM_RULE_TYPE_CHOICE:
          g_assert_true (crm_rule_choice_get (rf->key, 1, &key, &label));
          json_builder_add_string_value (b, key);
          break;
        default:
          json_builder_add_string_value (b, "值");
        }
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static gint64
count_rule (CrmStore   *store,
            const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRule) rule = crm_rule_new_from_json (json, &error);
  g_autoptr(CrmQuery) q = crm_query_new ();
  g_autofree char *back = NULL;
  gint64 n;

  g_assert_no_error (error);
  back = crm_rule_to_json (rule);
  g_assert_cmpstr (back, ==, json);
  crm_query_set_rule (q, rule);
  n = crm_query_count (q, store, &error);
  g_assert_no_error (error);
  return n;
}

/* Every field with a rule type is a rule field, every operator of its type parses, prints back
 * the same and runs; a stored field is compared where the catalogue says it is kept. */
static void
test_rules (void)
{
  g_autofree char *db = crm_test_db_path ();
  g_autoptr(CrmStore) store = crm_store_open (db, NULL);
  g_autoptr(CrmCustomer) c = crm_customer_new ();
  guint n, n_rule_fields, n_typed = 0;
  const CrmCustomerFieldInfo *all = fields (&n);
  const CrmRuleField *rule_fields = crm_rule_get_fields (&n_rule_fields);

  crm_customer_set_name (c, "值");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (c), NULL));
  g_assert_true (crm_store_exec (store, "INSERT INTO customer_rfm SELECT id, 1, 1, 1, 1, 1, 1, 'lost', 0"
                                        " FROM customers", NULL));

  for (guint i = 0; i < n; i++)
    {
      const CrmRuleField *rf;
      const char * const *ops;

      if (all[i].rule.type == CRM_RULE_TYPE_NONE)
        {
          g_assert_null (crm_rule_find_field (all[i].key));
          continue;
        }
      n_typed++;
      rf = crm_rule_find_field (crm_customer_field_get_rule_key (&all[i]));
      g_assert_nonnull (rf);
      g_assert_true (rf->info == &all[i]);
      g_assert_cmpint (rf->type, ==, all[i].rule.type);

      /* A value kept as it is, set to the sample: "is" or "=" picks the customer. */
      if (all[i].stored != CRM_FIELD_STORED_NONE && all[i].value != CRM_FIELD_VALUE_TIER &&
          all[i].rule.key == NULL &&
          !(all[i].rule.type == CRM_RULE_TYPE_CHOICE && all[i].value == CRM_FIELD_VALUE_TEXT))
        {
          g_autofree char *json = NULL;
          const char *key, *label;

          set_sample (store, crm_entity_get_id (CRM_ENTITY (c)), &all[i]);
          if (all[i].rule.type == CRM_RULE_TYPE_CHOICE)
            {
              g_assert_true (crm_rule_choice_get (rf->key, sample_int (&all[i]), &key, &label));
              json = g_strdup_printf ("{\"field\":\"%s\",\"op\":\"is\",\"value\":\"%s\"}", rf->key, key);
            }
          else if (all[i].rule.type == CRM_RULE_TYPE_TEXT)
            json = g_strdup_printf ("{\"field\":\"%s\",\"op\":\"is\",\"value\":\"值 %s\"}", rf->key, all[i].key);
          else
            json = sample_condition (rf, rf->type == CRM_RULE_TYPE_BOOLEAN ? "is" : "=");
          g_test_message ("%s", json);
          g_assert_cmpint (count_rule (store, json), ==, 1);
        }

      ops = crm_rule_get_operators (rf->type);
      g_assert_nonnull (ops[0]);
      for (guint o = 0; ops[o] != NULL; o++)
        {
          g_autofree char *json = sample_condition (rf, ops[o]);

          g_test_message ("%s", json);
          count_rule (store, json);
        }
    }
  g_assert_cmpuint (n_typed, ==, n_rule_fields);
  /* The builder's menu is in the catalogue's rule order. */
  for (guint i = 0; i < n_rule_fields; i++)
    g_assert_true (rule_fields[i].info == crm_customer_fields_rules (NULL)[i]);
}

/* ---- vCards ---------------------------------------------------------------------------------- */

static void
test_vcard (void)
{
  guint n, n_columns;
  const CrmCustomerFieldInfo *all = fields (&n);
  const char * const *columns = crm_vcard_columns (&n_columns);
  g_autofree const char **cells = g_new0 (const char *, n_columns + 1);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  guint col = 0;

  /* The cells are the catalogue's fields with a vCard property, in its order. */
  for (guint i = 0; i < n; i++)
    if (all[i].vcard != NULL)
      {
        g_assert_cmpuint (col, <, n_columns);
        g_assert_cmpstr (columns[col], ==, all[i].key);
        if (g_str_equal (all[i].key, "uuid"))
          g_ptr_array_add (values, g_strdup (SAMPLE_UUID));
        else if (all[i].value == CRM_FIELD_VALUE_DATE)
          g_ptr_array_add (values, g_strdup ("1990-05-17"));
        else
          g_ptr_array_add (values, g_strdup_printf ("值 %s", all[i].key));
        cells[col] = g_ptr_array_index (values, col);
        col++;
      }
  g_assert_cmpuint (col, ==, n_columns);

  for (int version = CRM_VCARD_VERSION_3_0; version <= CRM_VCARD_VERSION_4_0; version++)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(CrmVcardParser) parser = NULL;
      g_autoptr(CrmVcardCard) card = NULL;
      g_autoptr(GError) error = NULL;
      const char * const *back;

      crm_vcard_append_card (out, version, cells);
      col = 0;
      for (guint i = 0; i < n; i++)
        if (all[i].vcard != NULL)
          {
            g_autofree char *start = g_strconcat ("\r\n", all[i].vcard, NULL);
            g_autofree char *escaped = crm_vcard_escape (cells[col]);

            /* The property is written, and holds the value (4.0 writes dates as 19900517). */
            g_assert_nonnull (strstr (out->str, start));
            if (all[i].value != CRM_FIELD_VALUE_DATE || version == CRM_VCARD_VERSION_3_0)
              g_assert_nonnull (strstr (out->str, escaped));
            col++;
          }

      parser = crm_vcard_parser_new (out->str, out->len);
      card = crm_vcard_parser_next (parser, &error);
      g_assert_no_error (error);
      back = crm_vcard_card_get_cells (card, NULL);
      /* Read back as given: 4.0's basic date 19900517 comes back as the ISO date it was. */
      for (guint i = 0; i < n_columns; i++)
        g_assert_cmpstr (back[i], ==, cells[i]);
    }
}

int
main (int    argc,
      char **argv)
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/core/fields/consistent", test_consistent);
  g_test_add_func ("/core/fields/headers-normalised", test_headers_normalised);
  g_test_add_func ("/core/fields/normalize", test_normalize);
  g_test_add_func ("/core/fields/model", test_model);
  g_test_add_func ("/core/fields/export-import", test_export_import);
  g_test_add_func ("/core/fields/headers-map", test_headers_map);
  g_test_add_func ("/core/fields/rules", test_rules);
  g_test_add_func ("/core/fields/vcard", test_vcard);

  return g_test_run ();
}

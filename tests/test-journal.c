/* test-journal.c: the change journal — what every kind of write leaves in it, in its own
 * transaction; readers with their cursors, acknowledgements and pruning; origins; the
 * migration of schema 4's journal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-test-util.h"

#include <glib/gstdio.h>

#include "crm-customer.h"
#include "crm-feedback.h"
#include "crm-import.h"
#include "crm-interaction.h"
#include "crm-journal.h"
#include "crm-merge.h"
#include "crm-order-line.h"
#include "crm-order.h"

/* ---- helpers ------------------------------------------------------------------- */

static CrmStore *
open_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = crm_test_db_path ();
  CrmStore *store = crm_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static CrmCustomer *
customer (CrmStore   *store,
          const char *name)
{
  g_autoptr(GError) error = NULL;
  CrmCustomer *c = crm_customer_new ();

  crm_customer_set_name (c, name);
  g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);
  return c;
}

static GArray *
read_entries (CrmStore   *store,
              const char *consumer,
              gint64      after,
              guint       limit,
              gint64     *next)
{
  g_autoptr(GError) error = NULL;
  GArray *entries = crm_journal_read (store, consumer, after, limit, next, &error);

  g_assert_no_error (error);
  g_assert_nonnull (entries);
  return entries;
}

/* Entries as "entity:op[:field|field][@origin]", joined by spaces: what a test expects at a
 * glance. */
static char *
describe (GArray *entries)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      const CrmJournalEntry *e = &g_array_index (entries, CrmJournalEntry, i);
      g_auto(GStrv) fields = crm_journal_field_names (e->entity, e->fields);

      if (i > 0)
        g_string_append_c (s, ' ');
      g_string_append_printf (s, "%s:%s", crm_journal_entity_to_string (e->entity), crm_journal_op_to_string (e->op));
      if (fields[0] != NULL)
        {
          g_autofree char *joined = g_strjoinv ("|", fields);
          g_string_append_printf (s, ":%s", joined);
        }
      if (e->origin != NULL)
        g_string_append_printf (s, "@%s", e->origin);
    }
  return g_string_free (s, FALSE);
}

/* What @consumer has not acknowledged, described; the cursor then moves past it. */
static char *
take (CrmStore   *store,
      const char *consumer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) entries = NULL;
  gint64 next = -1;

  entries = read_entries (store, consumer, CRM_JOURNAL_AFTER_ACKED, 1000, &next);
  g_assert_true (crm_journal_ack (store, consumer, next, &error));
  g_assert_no_error (error);
  return describe (entries);
}

static void
add_consumer (CrmStore   *store,
              const char *name,
              const char *origin)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_journal_add_consumer (store, name, origin, &error));
  g_assert_no_error (error);
}

static void
assert_taken (CrmStore   *store,
              const char *consumer,
              const char *expected)
{
  g_autofree char *got = take (store, consumer);
  g_assert_cmpstr (got, ==, expected);
}

/* ---- every kind of write -------------------------------------------------------- */

/* Insert, update with its fields, delete, restore: one entry each, naming the row by its uuid,
 * at the row's own time; a repeated delete, a refused write and a rolled-back one leave none. */
static void
test_writes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = open_store ();
  g_autoptr(CrmCustomer) c = NULL;
  g_autoptr(CrmCustomer) gone = crm_customer_new ();
  g_autoptr(GArray) entries = NULL;
  const CrmJournalEntry *e;

  add_consumer (store, "test", NULL);
  c = customer (store, "王芳");

  entries = read_entries (store, "test", CRM_JOURNAL_AFTER_ACKED, 10, NULL);
  g_assert_cmpuint (entries->len, ==, 1);
  e = &g_array_index (entries, CrmJournalEntry, 0);
  g_assert_cmpint (e->entity, ==, CRM_JOURNAL_ENTITY_CUSTOMER);
  g_assert_cmpint (e->op, ==, CRM_JOURNAL_INSERT);
  g_assert_cmpint (e->row_id, ==, crm_entity_get_id (CRM_ENTITY (c)));
  g_assert_cmpstr (e->uuid, ==, crm_entity_get_uuid (CRM_ENTITY (c)));
  g_assert_cmpint (e->at, ==, crm_entity_get_created_at (CRM_ENTITY (c)));
  g_assert_cmpuint (e->fields, ==, 0);   /* an insert is the whole row */
  g_assert_null (e->origin);
  assert_taken (store, "test", "customer:insert");

  crm_customer_set_city (c, "杭州");
  crm_customer_set_email (c, "fang@example.cn");
  g_assert_true (crm_store_update (store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);
  g_clear_pointer (&entries, g_array_unref);
  entries = read_entries (store, "test", CRM_JOURNAL_AFTER_ACKED, 10, NULL);
  g_assert_cmpint (g_array_index (entries, CrmJournalEntry, 0).at, ==, crm_entity_get_updated_at (CRM_ENTITY (c)));
  assert_taken (store, "test", "customer:update:email|city");

  /* An unsaved edit is not part of a delete; deleting again journals nothing. */
  crm_customer_set_notes (c, "typed but not saved");
  g_assert_true (crm_store_delete (store, CRM_ENTITY (c), &error));
  g_assert_true (crm_store_delete (store, CRM_ENTITY (c), &error));
  g_assert_true (crm_store_restore (store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);
  assert_taken (store, "test", "customer:delete customer:restore");

  /* Refused (invalid text) and rolled back: nothing. */
  crm_customer_set_name (c, "bad \xc3\x28 byte");
  g_assert_false (crm_store_update (store, CRM_ENTITY (c), &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (crm_store_begin (store, NULL));
  crm_customer_set_name (gone, "Rolled Back");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (gone), &error));
  crm_store_rollback (store);
  assert_taken (store, "test", "");
  g_assert_cmpint (crm_test_journal_count (store, 0, 0), ==, 0);
}

/* An order with its lines is one transaction of three entries; one bad line refuses the whole
 * order and leaves none.  Moving an order to another customer names customer_id. */
static void
test_orders (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = open_store ();
  g_autoptr(CrmCustomer) a = customer (store, "Ann");
  g_autoptr(CrmCustomer) b = customer (store, "Bo");
  g_autoptr(CrmOrder) o = crm_order_new ();
  g_autoptr(CrmOrder) bad = crm_order_new ();
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) bad_lines = g_ptr_array_new_with_free_func (g_object_unref);
  CrmOrderLine *line;

  add_consumer (store, "test", NULL);
  crm_order_set_customer_id (o, crm_entity_get_id (CRM_ENTITY (a)));
  crm_order_set_placed_at (o, crm_now_ms ());
  crm_order_set_total (o, 3000);
  for (int i = 0; i < 2; i++)
    {
      line = crm_order_line_new ();
      crm_order_line_set_product (line, i ? "Tea" : "Cup");
      crm_order_line_set_quantity (line, 1);
      crm_order_line_set_amount (line, 1500);
      g_ptr_array_add (lines, line);
    }
  g_assert_true (crm_store_insert_order (store, CRM_ENTITY (o), lines, &error));
  g_assert_no_error (error);
  assert_taken (store, "test", "order:insert order_line:insert order_line:insert");

  crm_order_set_customer_id (bad, crm_entity_get_id (CRM_ENTITY (a)));
  crm_order_set_placed_at (bad, crm_now_ms ());
  line = crm_order_line_new ();
  crm_order_line_set_product (line, "bad \xc3\x28 byte");
  g_ptr_array_add (bad_lines, line);
  g_assert_false (crm_store_insert_order (store, CRM_ENTITY (bad), bad_lines, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  assert_taken (store, "test", "");

  crm_order_set_customer_id (o, crm_entity_get_id (CRM_ENTITY (b)));
  crm_order_set_status (o, "cancelled");
  g_assert_true (crm_store_update (store, CRM_ENTITY (o), NULL));
  assert_taken (store, "test", "order:update:customer_id|status");
}

/* A merge: the other customer is merged away (one MERGE entry, its tombstone names the
 * survivor), the survivor's fields and every moved record are updates; the undo journals the
 * way back.  All in the merge's own transaction. */
static void
test_merge (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = open_store ();
  g_autoptr(CrmCustomer) a = customer (store, "Wang Fang");
  g_autoptr(CrmCustomer) b = customer (store, "王芳");
  g_autoptr(CrmOrder) o = crm_order_new ();
  g_autoptr(CrmFeedback) fb = crm_feedback_new ();
  g_autoptr(CrmInteraction) in = crm_interaction_new ();
  g_autoptr(GArray) entries = NULL;
  gint64 ida = crm_entity_get_id (CRM_ENTITY (a)), idb = crm_entity_get_id (CRM_ENTITY (b)), merge_id;
  guint i;

  crm_customer_set_phone (b, "13800138000");
  g_assert_true (crm_store_update (store, CRM_ENTITY (b), NULL));
  crm_order_set_customer_id (o, idb);
  crm_order_set_placed_at (o, crm_now_ms ());
  g_assert_true (crm_store_insert_order (store, CRM_ENTITY (o), NULL, NULL));
  crm_feedback_set_customer_id (fb, idb);
  g_assert_true (crm_store_insert (store, CRM_ENTITY (fb), NULL));
  crm_interaction_set_customer_id (in, idb);
  g_assert_true (crm_store_insert (store, CRM_ENTITY (in), NULL));
  add_consumer (store, "test", NULL);

  merge_id = crm_merge_customers (store, ida, idb, NULL, &error);
  g_assert_no_error (error);
  entries = read_entries (store, "test", CRM_JOURNAL_AFTER_ACKED, 10, NULL);
  for (i = 0; i < entries->len && g_array_index (entries, CrmJournalEntry, i).op != CRM_JOURNAL_MERGE; i++)
    ;
  g_assert_cmpuint (i, <, entries->len);
  g_assert_cmpstr (g_array_index (entries, CrmJournalEntry, i).uuid, ==, crm_entity_get_uuid (CRM_ENTITY (b)));
  assert_taken (store, "test", "customer:merge customer:update:phone order:update:customer_id"
                               " feedback:update:customer_id interaction:update:customer_id");
  g_assert_cmpint (crm_test_query_int (store, "SELECT merged_into FROM customers WHERE id = 2"), ==, ida);

  g_assert_true (crm_merge_undo (store, merge_id, &error));
  g_assert_no_error (error);
  assert_taken (store, "test", "customer:update:phone order:update:customer_id"
                               " feedback:update:customer_id interaction:update:customer_id customer:restore");
  g_assert_cmpint (crm_test_query_int (store, "SELECT merged_into IS NULL FROM customers WHERE id = 2"), ==, 1);

  /* A refused merge leaves nothing. */
  g_assert_cmpint (crm_merge_customers (store, ida, ida, NULL, &error), ==, 0);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  assert_taken (store, "test", "");
}

static CrmImporter *
run_import (CrmStore           *store,
            CrmImportKind       kind,
            const char         *path,
            CrmDuplicatePolicy  policy)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmImporter) imp = crm_importer_new (store, kind, path);

  g_assert_true (crm_importer_prepare (imp, NULL, &error));
  g_assert_no_error (error);
  crm_importer_set_duplicate_policy (imp, policy);
  g_assert_true (crm_importer_run (imp, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&imp);
}

/* An import: one insert per new customer (in the file's order), one update naming the fields a
 * row changed of an existing customer, nothing for a row that changes nothing; an orders import
 * journals its orders, their lines and the customers it made.  (A cancelled or failed import
 * leaves no entry: /io/import/cancel and /io/import/hostile.) */
static void
test_import (void)
{
  g_autoptr(CrmStore) store = open_store ();
  g_autoptr(CrmCustomer) old = NULL;
  g_autoptr(CrmImporter) ci = NULL;
  g_autoptr(CrmImporter) oi = NULL;
  g_autoptr(GArray) entries = NULL;
  g_autofree char *customers = NULL;
  g_autofree char *orders = NULL;
  g_autofree char *zhao = NULL;

  old = crm_customer_new ();
  crm_customer_set_name (old, "Li Lei");
  crm_customer_set_email (old, "li@example.com");
  crm_customer_set_city (old, "Suzhou");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (old), NULL));
  add_consumer (store, "test", NULL);

  customers = crm_test_write_file ("journal-customers.csv",
                                   "Name,Email,City,Tags\n"
                                   "Zhao Min,zhao@example.com,Beijing,vip\n"
                                   "Li Lei,li@example.com,Hangzhou,\n"
                                   "Qian Yu,qian@example.com,,\n", -1);
  ci = run_import (store, CRM_IMPORT_CUSTOMERS, customers, CRM_DUPLICATE_UPDATE);
  entries = read_entries (store, "test", CRM_JOURNAL_AFTER_ACKED, 10, NULL);
  g_assert_cmpuint (entries->len, ==, 3);
  zhao = crm_test_query_text (store, "SELECT uuid FROM customers WHERE name = 'Zhao Min'");
  g_assert_cmpstr (g_array_index (entries, CrmJournalEntry, 1).uuid, ==, zhao);
  assert_taken (store, "test", "customer:update:city customer:insert customer:insert");

  /* The same file again changes nothing. */
  g_clear_object (&ci);
  ci = run_import (store, CRM_IMPORT_CUSTOMERS, customers, CRM_DUPLICATE_UPDATE);
  assert_taken (store, "test", "");

  orders = crm_test_write_file ("journal-orders.csv",
                                "Order,Email,Name,Date,Total,Product,Quantity,Line total\n"
                                "A-1,zhao@example.com,Zhao Min,2025-03-01,30.00,Tea,1,30.00\n"
                                "A-2,new@example.com,New Person,2025-03-02,12.00,Cup,2,12.00\n", -1);
  oi = run_import (store, CRM_IMPORT_ORDERS, orders, CRM_DUPLICATE_SKIP);
  /* In file order: the customer the second order makes comes before the order. */
  assert_taken (store, "test", "order:insert order_line:insert customer:insert order:insert order_line:insert");
}

/* ---- readers ------------------------------------------------------------------- */

/* A reader goes through the journal in batches; what it acknowledged is pruned (it is the only
 * one); a new reader starts at the end; acknowledging goes forward only and never past the end;
 * an unknown reader is an error. */
static void
test_cursor (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = open_store ();
  g_autoptr(GArray) entries = NULL;
  gint64 next = -1, first;

  add_consumer (store, "sync", NULL);
  for (int i = 0; i < 5; i++)
    g_object_unref (customer (store, "Someone"));

  entries = read_entries (store, "sync", CRM_JOURNAL_AFTER_ACKED, 2, &next);
  g_assert_cmpuint (entries->len, ==, 2);
  first = g_array_index (entries, CrmJournalEntry, 0).seq;
  g_assert_cmpint (g_array_index (entries, CrmJournalEntry, 1).seq, ==, first + 1);
  g_assert_cmpint (next, ==, first + 1);
  /* Reading again without acknowledging gives the same; reading on from next, the rest. */
  g_clear_pointer (&entries, g_array_unref);
  entries = read_entries (store, "sync", CRM_JOURNAL_AFTER_ACKED, 2, NULL);
  g_assert_cmpint (g_array_index (entries, CrmJournalEntry, 0).seq, ==, first);
  g_clear_pointer (&entries, g_array_unref);
  entries = read_entries (store, "sync", next, 10, &next);
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpint (next, ==, first + 4);

  g_assert_true (crm_journal_ack (store, "sync", first + 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_journal_get_acked (store, "sync", NULL), ==, first + 1);
  g_assert_cmpint (crm_test_journal_count (store, 0, 0), ==, 3);
  /* Back is ignored; past the end is refused. */
  g_assert_true (crm_journal_ack (store, "sync", first, &error));
  g_assert_cmpint (crm_journal_get_acked (store, "sync", NULL), ==, first + 1);
  g_assert_false (crm_journal_ack (store, "sync", first + 5, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (crm_journal_ack (store, "sync", next, &error));
  g_assert_cmpint (crm_test_journal_count (store, 0, 0), ==, 0);

  /* Empty: next stays where it is. */
  g_clear_pointer (&entries, g_array_unref);
  entries = read_entries (store, "sync", CRM_JOURNAL_AFTER_ACKED, 10, &next);
  g_assert_cmpuint (entries->len, ==, 0);
  g_assert_cmpint (next, ==, first + 4);

  /* A new reader starts at the end. */
  g_object_unref (customer (store, "Before the reader"));
  add_consumer (store, "late", NULL);
  g_object_unref (customer (store, "After the reader"));
  assert_taken (store, "late", "customer:insert");
  g_assert_cmpint (crm_journal_get_acked (store, "late", NULL), ==, first + 6);

  g_assert_null (crm_journal_read (store, "nobody", CRM_JOURNAL_AFTER_ACKED, 10, NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (crm_journal_ack (store, "nobody", 0, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (crm_journal_add_consumer (store, "", NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
}

/* Two readers at different places: an entry stays until both have it; removing the slow one
 * prunes up to the other. */
static void
test_two_consumers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = open_store ();
  g_autoptr(GArray) entries = NULL;

  add_consumer (store, "fast", NULL);
  add_consumer (store, "slow", NULL);
  for (int i = 0; i < 4; i++)
    g_object_unref (customer (store, "Someone"));

  assert_taken (store, "fast", "customer:insert customer:insert customer:insert customer:insert");
  g_assert_cmpint (crm_test_journal_count (store, 0, 0), ==, 4);
  entries = read_entries (store, "slow", CRM_JOURNAL_AFTER_ACKED, 1, NULL);
  g_assert_true (crm_journal_ack (store, "slow", g_array_index (entries, CrmJournalEntry, 0).seq, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_test_journal_count (store, 0, 0), ==, 3);

  g_object_unref (customer (store, "Someone else"));
  g_clear_pointer (&entries, g_array_unref);
  entries = read_entries (store, "slow", CRM_JOURNAL_AFTER_ACKED, 100, NULL);
  g_assert_cmpuint (entries->len, ==, 4);
  assert_taken (store, "fast", "customer:insert");

  g_assert_true (crm_journal_remove_consumer (store, "slow", &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_test_journal_count (store, 0, 0), ==, 0);
  g_assert_false (crm_journal_remove_consumer (store, "slow", &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
}

/* What a sync account writes carries its origin and is not given back to its own reader; other
 * readers get it, with the origin.  Its reader still moves past it. */
static void
test_origin (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = open_store ();
  g_autoptr(CrmCustomer) pulled = NULL;
  g_autoptr(CrmCustomer) lost = crm_customer_new ();
  g_autoptr(GArray) entries = NULL;
  gint64 next = -1;

  add_consumer (store, "woo", "woo:3");
  add_consumer (store, "dav", "dav:1");
  add_consumer (store, "local", NULL);

  crm_store_set_origin (store, "woo:3");
  g_assert_cmpstr (crm_store_get_origin (store), ==, "woo:3");
  pulled = customer (store, "Pulled from WooCommerce");
  crm_store_set_origin (store, NULL);
  g_object_unref (customer (store, "Typed here"));

  entries = read_entries (store, "woo", CRM_JOURNAL_AFTER_ACKED, 1, &next);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpint (g_array_index (entries, CrmJournalEntry, 0).row_id, !=, crm_entity_get_id (CRM_ENTITY (pulled)));
  assert_taken (store, "woo", "customer:insert");
  assert_taken (store, "dav", "customer:insert@woo:3 customer:insert");
  assert_taken (store, "local", "customer:insert@woo:3 customer:insert");
  g_assert_cmpint (crm_test_journal_count (store, 0, 0), ==, 0);

  /* Only its own entries left: its reader gets nothing, and moves past them all the same. */
  crm_store_set_origin (store, "woo:3");
  g_object_unref (customer (store, "Pulled again"));
  g_clear_pointer (&entries, g_array_unref);
  entries = read_entries (store, "woo", CRM_JOURNAL_AFTER_ACKED, 10, &next);
  g_assert_cmpuint (entries->len, ==, 0);
  g_assert_true (crm_journal_ack (store, "woo", next, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_journal_get_acked (store, "woo", NULL), ==, crm_journal_last_seq (store, NULL));
  assert_taken (store, "dav", "customer:insert@woo:3");

  /* The first write of a new origin rolled back, and the origin's row with it: the next write
   * makes it again. */
  crm_store_set_origin (store, "csv:1");
  g_assert_true (crm_store_begin (store, NULL));
  crm_customer_set_name (lost, "Lost");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (lost), NULL));
  crm_store_rollback (store);
  g_object_unref (customer (store, "Pulled from elsewhere"));
  crm_store_set_origin (store, NULL);
  assert_taken (store, "local", "customer:insert@woo:3 customer:insert@csv:1");
}

/* With no reader a prune keeps nothing, and numbers go on from where they were: a reader that
 * had passed them never sees an old number again. */
static void
test_prune_without_consumers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = open_store ();
  gint64 last;

  for (int i = 0; i < 3; i++)
    g_object_unref (customer (store, "Someone"));
  last = crm_journal_last_seq (store, NULL);
  g_assert_cmpint (last, ==, 3);
  g_assert_true (crm_journal_prune (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_test_journal_count (store, 0, 0), ==, 0);
  g_assert_cmpint (crm_journal_last_seq (store, NULL), ==, 3);
  g_object_unref (customer (store, "Later"));
  g_assert_cmpint (crm_test_query_int (store, "SELECT seq FROM changes"), ==, 4);
}

/* A privacy erase scrubs the row's entries and leaves one that names its uuid. */
static void
test_erase (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = open_store ();
  g_autoptr(CrmCustomer) keep = customer (store, "Kept");
  g_autoptr(CrmCustomer) c = customer (store, "Forget Me");
  g_autoptr(GArray) entries = NULL;
  g_autofree char *sql = NULL;
  const CrmJournalEntry *e;

  add_consumer (store, "sync", NULL);
  crm_customer_set_notes (c, "secret");
  g_assert_true (crm_store_update (store, CRM_ENTITY (c), NULL));
  g_assert_true (crm_journal_erase_row (store, CRM_JOURNAL_ENTITY_CUSTOMER, crm_entity_get_id (CRM_ENTITY (c)),
                                        crm_entity_get_uuid (CRM_ENTITY (c)), crm_now_ms (), &error));
  g_assert_no_error (error);
  sql = g_strdup_printf ("DELETE FROM customers WHERE id = %" G_GINT64_FORMAT, crm_entity_get_id (CRM_ENTITY (c)));
  g_assert_true (crm_store_exec (store, sql, NULL));

  g_assert_cmpint (crm_test_journal_count (store, 0, 0), ==, 1);
  entries = read_entries (store, "sync", 0, 10, NULL);
  g_assert_cmpuint (entries->len, ==, 1);
  e = &g_array_index (entries, CrmJournalEntry, 0);
  g_assert_cmpint (e->op, ==, CRM_JOURNAL_ERASE);
  g_assert_cmpint (e->row_id, ==, 0);
  g_assert_cmpstr (e->uuid, ==, crm_entity_get_uuid (CRM_ENTITY (c)));
}

/* The bits of fields are stored: each model's field table only grows at its end.  A reorder
 * must come with a migration of the masks in `changes`. */
static void
test_field_bits (void)
{
  static const struct { CrmJournalEntity entity; const char *columns; } frozen[] = {
    { CRM_JOURNAL_ENTITY_CUSTOMER, "name gender birthday phone email company occupation address city region country"
                                   " postal_code source tags notes email_consent email_consent_at sms_consent"
                                   " sms_consent_at owner external_id tier_id lifecycle total_spent order_count"
                                   " first_order_at last_order_at" },
    { CRM_JOURNAL_ENTITY_ORDER, "customer_id number placed_at status channel currency subtotal discount shipping tax"
                                " total external_id notes" },
    { CRM_JOURNAL_ENTITY_ORDER_LINE, "order_id sku product category quantity unit_price amount" },
    { CRM_JOURNAL_ENTITY_FEEDBACK, "customer_id kind score comment status channel resolution resolved_at" },
    { CRM_JOURNAL_ENTITY_INTERACTION, "customer_id channel direction subject body occurred_at follow_up_at owner" },
    { CRM_JOURNAL_ENTITY_TIER, "name rank color min_spend min_orders window_days rfm_rule match_any benefits"
                               " points_multiplier preset" },
    { CRM_JOURNAL_ENTITY_SEGMENT, "name rule position" },
    { CRM_JOURNAL_ENTITY_CAMPAIGN, "name channel status segment subject body scheduled_at sent_at" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (frozen); i++)
    {
      g_auto(GStrv) expected = g_strsplit (frozen[i].columns, " ", -1);

      for (guint bit = 0; expected[bit] != NULL; bit++)
        {
          g_auto(GStrv) names = crm_journal_field_names (frozen[i].entity, G_GUINT64_CONSTANT (1) << bit);
          g_assert_cmpstr (names[0], ==, expected[bit]);
        }
    }
}

/* Schema 4's journal (entity, uuid and op as text, fields as JSON) in the form of schema 5: the
 * same entries in the same order, with their rows, fields and times; an erased row keeps its
 * uuid; an insert's old field list is gone. */
static void
test_migrate (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = crm_test_unpack_db ("v4.db.gz");
  g_autoptr(CrmStore) store = crm_store_open (path, &error);
  g_autoptr(GArray) entries = NULL;
  g_autofree char *described = NULL;
  const CrmJournalEntry *e;

  g_assert_no_error (error);
  g_assert_true (crm_store_exec (store, "INSERT INTO journal_consumers (name, acked_seq) VALUES ('all', 0)", NULL));
  entries = read_entries (store, "all", CRM_JOURNAL_AFTER_ACKED, 100, NULL);
  described = describe (entries);
  g_assert_cmpstr (described, ==,
                   "customer:insert customer:insert customer:insert customer:update:phone|notes"
                   " customer:delete customer:restore order:insert order_line:insert order_line:insert"
                   " feedback:insert customer:delete order:update:customer_id feedback:update:customer_id"
                   " customer:insert customer:insert customer:update:city");
  for (guint i = 0; i < entries->len; i++)
    {
      e = &g_array_index (entries, CrmJournalEntry, i);
      g_assert_cmpint (e->seq, ==, i + 1);
      g_assert_nonnull (e->uuid);
      g_assert_cmpint (e->at, >, G_GINT64_CONSTANT (1796671885000));
      g_assert_null (e->origin);
    }
  g_assert_cmpstr (g_array_index (entries, CrmJournalEntry, 0).uuid, ==, "0940c0a6-7edb-402e-a169-c55b9802dfc9");
  g_assert_cmpint (g_array_index (entries, CrmJournalEntry, 0).at, ==, G_GINT64_CONSTANT (1796671885543));
  e = &g_array_index (entries, CrmJournalEntry, 14);
  g_assert_cmpint (e->row_id, ==, 0);
  g_assert_cmpstr (e->uuid, ==, "01a251fd-5112-7000-8000-000521418cfa");
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM changes WHERE uuid IS NOT NULL"), ==, 1);
  g_assert_cmpint (crm_journal_last_seq (store, NULL), ==, 16);
}

int
main (int    argc,
      char **argv)
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/core/journal/writes", test_writes);
  g_test_add_func ("/core/journal/orders", test_orders);
  g_test_add_func ("/core/journal/merge", test_merge);
  g_test_add_func ("/core/journal/import", test_import);
  g_test_add_func ("/core/journal/cursor", test_cursor);
  g_test_add_func ("/core/journal/two-consumers", test_two_consumers);
  g_test_add_func ("/core/journal/origin", test_origin);
  g_test_add_func ("/core/journal/prune-without-consumers", test_prune_without_consumers);
  g_test_add_func ("/core/journal/erase", test_erase);
  g_test_add_func ("/core/journal/field-bits", test_field_bits);
  g_test_add_func ("/core/journal/migrate", test_migrate);

  return g_test_run ();
}

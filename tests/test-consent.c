/* test-consent.c: consent per channel as a history — what a shop owner relies on when a customer
 * asks "when did I agree to your SMS?": every grant and withdrawal kept with its source and note,
 * the current state the last of them (also for a grant recorded late, with an earlier time), the
 * e-mail and SMS fields that segments read following it, and the consents of a database made
 * before the history turned into its first entries.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sqlite3.h>

#include "crm-consent.h"
#include "crm-customer.h"
#include "crm-import.h"
#include "crm-test-util.h"

#define DAY (24 * 3600 * (gint64) 1000)

static void
test_record_and_current (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(CrmCustomer) customer = NULL;
  gint64 id = crm_test_add_customer (store, "王芳");
  gint64 now = crm_now_ms (), at = 0;
  CrmConsentEvent *e;

  /* No entry: no consent. */
  g_assert_false (crm_consent_current (store, id, CRM_CONSENT_SMS, &at, &error));
  g_assert_no_error (error);
  g_assert_cmpint (at, ==, 0);

  g_assert_true (crm_consent_record (store, id, CRM_CONSENT_SMS, TRUE, now - 10 * DAY, "form", "门店登记表", &error));
  g_assert_no_error (error);
  g_assert_true (crm_consent_current (store, id, CRM_CONSENT_SMS, &at, &error));
  g_assert_cmpint (at, ==, now - 10 * DAY);
  customer = crm_store_load (store, CRM_TYPE_CUSTOMER, id, &error);
  g_assert_true (crm_customer_get_sms_consent (customer));
  g_assert_cmpint (crm_customer_get_sms_consent_at (customer), ==, now - 10 * DAY);
  g_clear_object (&customer);

  g_assert_true (crm_consent_record (store, id, CRM_CONSENT_SMS, FALSE, now - DAY, "unsubscribe", NULL, &error));
  g_assert_false (crm_consent_current (store, id, CRM_CONSENT_SMS, NULL, &error));
  customer = crm_store_load (store, CRM_TYPE_CUSTOMER, id, &error);
  g_assert_false (crm_customer_get_sms_consent (customer));
  g_clear_object (&customer);

  /* A grant recorded now but dated before the withdrawal does not undo it. */
  g_assert_true (crm_consent_record (store, id, CRM_CONSENT_SMS, TRUE, now - 5 * DAY, "manual", "phone call", &error));
  g_assert_false (crm_consent_current (store, id, CRM_CONSENT_SMS, NULL, &error));

  /* Channels are separate; phone and WeChat have no field, only the history. */
  g_assert_true (crm_consent_record (store, id, CRM_CONSENT_WECHAT, TRUE, 0, "form", NULL, &error));
  g_assert_true (crm_consent_current (store, id, CRM_CONSENT_WECHAT, NULL, &error));
  g_assert_false (crm_consent_current (store, id, CRM_CONSENT_PHONE, NULL, &error));
  g_assert_false (crm_consent_current (store, id, CRM_CONSENT_EMAIL, NULL, &error));

  history = crm_consent_history (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 4);
  e = g_ptr_array_index (history, 0);
  g_assert_cmpint (e->channel, ==, CRM_CONSENT_SMS);
  g_assert_true (e->granted);
  g_assert_cmpstr (e->source, ==, "form");
  g_assert_cmpstr (e->note, ==, "门店登记表");
  e = g_ptr_array_index (history, 1);
  g_assert_cmpstr (e->source, ==, "manual");   /* by time: the late grant sits before the withdrawal */
  e = g_ptr_array_index (history, 2);
  g_assert_false (e->granted);
  g_assert_null (e->note);
  e = g_ptr_array_index (history, 3);
  g_assert_cmpint (e->channel, ==, CRM_CONSENT_WECHAT);

  /* The field change is journaled like an edit (sync pushes it). */
  g_assert_cmpint (crm_test_journal_count (store, CRM_JOURNAL_ENTITY_CUSTOMER, CRM_JOURNAL_UPDATE), >=, 2);
}

static void
test_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  gint64 id = crm_test_add_customer (store, "Li Lei");
  g_autoptr(CrmCustomer) customer = crm_store_load (store, CRM_TYPE_CUSTOMER, id, NULL);

  g_assert_false (crm_consent_record (store, id, CRM_CONSENT_EMAIL, TRUE, 0, "rumour", NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (crm_consent_record (store, id, CRM_CONSENT_EMAIL, TRUE, crm_now_ms () + 30 * DAY, "form", NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (crm_consent_record (store, id, CRM_CONSENT_EMAIL, TRUE, 0, "form", "\xff bad", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (crm_consent_record (store, id + 100, CRM_CONSENT_EMAIL, TRUE, 0, "form", NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (crm_store_delete (store, CRM_ENTITY (customer), &error));
  g_assert_false (crm_consent_record (store, id, CRM_CONSENT_EMAIL, TRUE, 0, "form", NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM consent_events"), ==, 0);
}

/* A database of schema 9: its e-mail and SMS grants become the first entries of the history. */
static void
test_migration (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (&path);
  g_autoptr(GPtrArray) history = NULL;
  gint64 a = crm_test_add_customer (store, "Granted both");
  gint64 b = crm_test_add_customer (store, "Granted none");
  sqlite3 *db = NULL;
  CrmConsentEvent *e;

  g_clear_object (&store);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, crm_test_undo_after_schema_9, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE customers SET email_consent = 1, email_consent_at = 1600000000000,"
                                     " sms_consent = 1, sms_consent_at = NULL WHERE name = 'Granted both';"
                                     "PRAGMA user_version = 9;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = crm_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_store_get_schema_version (store), ==, CRM_STORE_SCHEMA_VERSION);
  history = crm_consent_history (store, a, &error);
  g_assert_cmpuint (history->len, ==, 2);
  e = g_ptr_array_index (history, 0);
  g_assert_cmpint (e->channel, ==, CRM_CONSENT_EMAIL);
  g_assert_cmpint (e->at, ==, 1600000000000);
  g_assert_cmpstr (e->source, ==, "migrated");
  g_assert_true (crm_consent_current (store, a, CRM_CONSENT_SMS, NULL, &error));
  g_clear_pointer (&history, g_ptr_array_unref);
  history = crm_consent_history (store, b, &error);
  g_assert_cmpuint (history->len, ==, 0);
}

/* The e-mail switch of the form (any change of the field) is an entry too, once. */
static void
test_field_edit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  gint64 id = crm_test_add_customer (store, "Zhao");
  g_autoptr(CrmCustomer) customer = crm_store_load (store, CRM_TYPE_CUSTOMER, id, NULL);
  g_autoptr(GPtrArray) history = NULL;
  CrmConsentEvent *e;

  crm_customer_set_email_consent (customer, TRUE);
  g_assert_true (crm_store_update (store, CRM_ENTITY (customer), &error));
  g_assert_no_error (error);
  g_assert_true (crm_consent_current (store, id, CRM_CONSENT_EMAIL, NULL, &error));
  /* Another edit of the customer leaves the history alone. */
  crm_customer_set_city (customer, "杭州");
  g_assert_true (crm_store_update (store, CRM_ENTITY (customer), &error));
  /* A recorded withdrawal changes the field without a second entry. */
  g_assert_true (crm_consent_record (store, id, CRM_CONSENT_EMAIL, FALSE, 0, "unsubscribe", NULL, &error));
  history = crm_consent_history (store, id, &error);
  g_assert_cmpuint (history->len, ==, 2);
  e = g_ptr_array_index (history, 0);
  g_assert_true (e->granted);
  g_assert_cmpstr (e->source, ==, "form");
  e = g_ptr_array_index (history, 1);
  g_assert_false (e->granted);
  g_assert_cmpstr (e->source, ==, "unsubscribe");
}

/* A Shopify export's "Accepts Email Marketing" and "Accepts SMS Marketing": the history starts there. */
static void
test_import (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  g_autofree char *csv = crm_test_write_file ("consent.csv",
                                              "First Name,Last Name,Email,Accepts Email Marketing,Accepts SMS Marketing\n"
                                              "芳,王,wang@example.cn,yes,no\n"
                                              "Lei,Li,li@example.cn,no,yes\n"
                                              "San,Zhang,zhang@example.cn,no,no\n", -1);
  g_autoptr(CrmImporter) importer = crm_importer_new (store, CRM_IMPORT_CUSTOMERS, csv);

  g_assert_true (crm_importer_run (importer, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM customers"), ==, 3);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM consent_events WHERE source = 'import'"), ==, 2);
  g_assert_cmpint (crm_test_query_int (store,
                                       "SELECT count(*) FROM consent_events e JOIN customers c ON c.id = e.customer_id"
                                       " WHERE c.email = 'wang@example.cn' AND e.channel = 'email' AND e.granted = 1"), ==, 1);
  g_assert_cmpint (crm_test_query_int (store,
                                       "SELECT count(*) FROM consent_events e JOIN customers c ON c.id = e.customer_id"
                                       " WHERE c.email = 'li@example.cn' AND e.channel = 'sms' AND e.granted = 1"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/consent/record-and-current", test_record_and_current);
  g_test_add_func ("/consent/refused", test_refused);
  g_test_add_func ("/consent/migration", test_migration);
  g_test_add_func ("/consent/import", test_import);
  g_test_add_func ("/consent/field-edit", test_field_edit);

  return g_test_run ();
}

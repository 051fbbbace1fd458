/* test-customer-list.c: the lazy list the customers page shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-test-util.h"
#include "crm-customer-list.h"

typedef struct
{
  CrmSession      *session;
  CrmStore        *store;      /* the session's main connection */
  CrmCustomerList *list;
  guint            changes;
  guint            last_position, last_removed, last_added;
} Fixture;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *f)
{
  f->changes++;
  f->last_position = position;
  f->last_removed = removed;
  f->last_added = added;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->session = crm_test_session_new (NULL);
  f->store = g_object_ref (crm_session_get_store (f->session));

  g_assert_true (crm_store_begin (f->store, &error));
  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(CrmCustomer) c = crm_customer_new ();
      g_autofree char *name = g_strdup_printf ("Customer %04u", i);

      crm_customer_set_name (c, name);
      crm_customer_set_city (c, i % 2 ? "上海" : "Berlin");
      g_assert_true (crm_store_insert (f->store, CRM_ENTITY (c), &error));
    }
  g_assert_true (crm_store_commit (f->store, &error));

  f->list = crm_customer_list_new (f->session);
  g_signal_connect (f->list, "items-changed", G_CALLBACK (on_items_changed), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->list);
  g_clear_object (&f->store);
  g_clear_object (&f->session);
}

static void
wait_loaded (Fixture *f)
{
  while (crm_customer_list_get_loading (f->list))
    g_main_context_iteration (NULL, TRUE);
}

static void
test_async_refresh (Fixture       *f,
                    gconstpointer  data)
{
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 0);

  crm_customer_list_refresh (f->list);
  g_assert_true (crm_customer_list_get_loading (f->list));
  wait_loaded (f);

  /* One items-changed for the whole swap. */
  g_assert_cmpuint (f->changes, ==, 1);
  g_assert_cmpuint (f->last_removed, ==, 0);
  g_assert_cmpuint (f->last_added, ==, 1000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 1000);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (f->list)) == CRM_TYPE_CUSTOMER);
  g_assert_null (crm_customer_list_get_error (f->list));
}

static void
test_items_in_order (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_customer_list_refresh_sync (f->list, &error));
  for (guint i = 0; i < 1000; i += 97)
    {
      g_autoptr(CrmCustomer) c = g_list_model_get_item (G_LIST_MODEL (f->list), i);
      g_autofree char *expected = g_strdup_printf ("Customer %04u", i);

      g_assert_cmpstr (crm_customer_get_name (c), ==, expected);
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (f->list), 1000));

  /* Descending by name: the last becomes first. */
  g_assert_true (crm_query_set_sort (crm_customer_list_get_query (f->list), "name", TRUE, &error));
  g_assert_true (crm_customer_list_refresh_sync (f->list, &error));
  {
    g_autoptr(CrmCustomer) c = g_list_model_get_item (G_LIST_MODEL (f->list), 0);
    g_assert_cmpstr (crm_customer_get_name (c), ==, "Customer 0999");
  }
}

static void
test_stable_identity (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) a = NULL;
  g_autoptr(CrmCustomer) b = NULL;
  g_autoptr(CrmCustomer) c = NULL;
  guint pos;

  g_assert_true (crm_customer_list_refresh_sync (f->list, &error));
  a = g_list_model_get_item (G_LIST_MODEL (f->list), 500);

  /* Touch many other pages: a held item stays the same object. */
  for (guint i = 0; i < 1000; i += 10)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (f->list), i));
  b = g_list_model_get_item (G_LIST_MODEL (f->list), 500);
  g_assert_true (a == b);

  /* And across a re-sort, the same customer is the same object at its new place. */
  crm_query_set_sort (crm_customer_list_get_query (f->list), "name", TRUE, NULL);
  g_assert_true (crm_customer_list_refresh_sync (f->list, &error));
  pos = crm_customer_list_find (f->list, crm_entity_get_id (CRM_ENTITY (a)));
  g_assert_cmpuint (pos, ==, 499);
  c = g_list_model_get_item (G_LIST_MODEL (f->list), pos);
  g_assert_true (a == c);
}

static void
test_filter_and_edit (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) live = NULL;
  g_autoptr(CrmCustomer) copy = NULL;
  gboolean notified = FALSE;

  crm_query_set_search_text (crm_customer_list_get_query (f->list), "上海");
  /* Setting the query's text started a refresh by itself. */
  g_assert_true (crm_customer_list_get_loading (f->list));
  wait_loaded (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 500);

  /* An edit saved through another object shows up in the live one with notify. */
  live = g_list_model_get_item (G_LIST_MODEL (f->list), 0);
  g_signal_connect_swapped (live, "notify::name", G_CALLBACK (g_nullify_pointer), &notified);
  notified = TRUE;
  copy = crm_store_load (f->store, CRM_TYPE_CUSTOMER, crm_entity_get_id (CRM_ENTITY (live)), &error);
  crm_customer_set_name (copy, "Renamed 王芳");
  g_assert_true (crm_store_update (f->store, CRM_ENTITY (copy), &error));
  crm_customer_list_update_item (f->list, copy);
  g_assert_cmpstr (crm_customer_get_name (live), ==, "Renamed 王芳");
  g_assert_false (notified);   /* g_nullify_pointer ran: notify::name fired */

  /* Deleting removes it from the list on refresh. */
  g_assert_true (crm_store_delete (f->store, CRM_ENTITY (copy), &error));
  crm_customer_list_refresh (f->list);
  wait_loaded (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 499);
  g_assert_cmpuint (crm_customer_list_find (f->list, crm_entity_get_id (CRM_ENTITY (copy))), ==, G_MAXUINT);
}

static void
test_superseded_refresh (Fixture       *f,
                         gconstpointer  data)
{
  CrmQuery *q = crm_customer_list_get_query (f->list);

  /* Typing fast: only the last query's result lands. */
  crm_query_set_search_text (q, "Cus");
  crm_query_set_search_text (q, "Customer 00");
  crm_query_set_search_text (q, "Customer 001");
  wait_loaded (f);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 10);
}

static void
test_reload_rows (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) live = NULL;
  gboolean notified = FALSE;

  g_assert_true (crm_customer_list_refresh_sync (f->list, &error));
  live = g_list_model_get_item (G_LIST_MODEL (f->list), 3);
  g_assert_cmpint (crm_customer_get_lifecycle (live), ==, CRM_LIFECYCLE_PROSPECT);

  /* A bulk change behind the objects' backs, as a recompute writes it. */
  g_assert_true (crm_store_exec (f->store, "UPDATE customer_state SET lifecycle = 2", &error));
  g_assert_cmpint (crm_customer_get_lifecycle (live), ==, CRM_LIFECYCLE_PROSPECT);

  g_signal_connect_swapped (live, "notify::lifecycle", G_CALLBACK (g_nullify_pointer), &notified);
  notified = TRUE;
  crm_customer_list_reload_rows (f->list);
  g_assert_cmpint (crm_customer_get_lifecycle (live), ==, CRM_LIFECYCLE_ACTIVE);
  g_assert_false (notified);   /* notify::lifecycle fired: bound widgets update */
}

/* Each list's refresh is a job of its own kind: the merge dialog's candidates do not
 * supersede the customers page's list, or the other way round. */
static void
test_two_lists_one_session (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(CrmCustomerList) other = crm_customer_list_new (f->session);

  crm_query_set_search_text (crm_customer_list_get_query (other), "上海");
  crm_customer_list_refresh (f->list);
  g_assert_true (crm_customer_list_get_loading (other));
  g_assert_true (crm_customer_list_get_loading (f->list));
  while (crm_customer_list_get_loading (f->list) || crm_customer_list_get_loading (other))
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 1000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (other)), ==, 500);
  g_assert_null (crm_customer_list_get_error (f->list));
  g_assert_null (crm_customer_list_get_error (other));
}

/* A synchronous refresh supersedes the one in flight: only its result is shown. */
static void
test_sync_supersedes_async (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  crm_customer_list_refresh (f->list);
  g_assert_true (crm_customer_list_get_loading (f->list));
  g_assert_true (crm_customer_list_refresh_sync (f->list, &error));
  g_assert_no_error (error);
  g_assert_false (crm_customer_list_get_loading (f->list));
  g_assert_cmpuint (f->changes, ==, 1);

  /* The job ends (cancelled or not): nothing more arrives. */
  for (guint i = 0; i < 50; i++)
    {
      g_usleep (2000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  g_assert_cmpuint (f->changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 1000);
  g_assert_null (crm_customer_list_get_error (f->list));
}

/* Disposed while loading (the page goes away): the load is cancelled and never delivered. */
static void
test_dispose_cancels (Fixture       *f,
                      gconstpointer  data)
{
  crm_customer_list_refresh (f->list);
  g_assert_true (crm_customer_list_get_loading (f->list));
  g_object_run_dispose (G_OBJECT (f->list));
  wait_loaded (f);
  g_assert_cmpuint (f->changes, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 0);
  g_assert_null (crm_customer_list_get_error (f->list));
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/core/customer-list/async-refresh", test_async_refresh);
  ADD ("/core/customer-list/items-in-order", test_items_in_order);
  ADD ("/core/customer-list/stable-identity", test_stable_identity);
  ADD ("/core/customer-list/filter-and-edit", test_filter_and_edit);
  ADD ("/core/customer-list/superseded-refresh", test_superseded_refresh);
  ADD ("/core/customer-list/reload-rows", test_reload_rows);
  ADD ("/core/customer-list/two-lists-one-session", test_two_lists_one_session);
  ADD ("/core/customer-list/sync-supersedes-async", test_sync_supersedes_async);
  ADD ("/core/customer-list/dispose-cancels", test_dispose_cancels);
#undef ADD

  return g_test_run ();
}

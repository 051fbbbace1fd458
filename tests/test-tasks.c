/* test-tasks.c: follow-ups (due and overdue, reminders, suggestions), owners and the customer
 * pool (return at the limit, claims, history), the owners made from the free text of older
 * files, and a merge carrying tasks and pool history.
 *
 * The local zone is Europe/Berlin, so that the day arithmetic crosses a DST change (25 October
 * 2026) and a midnight that is not 00:00 UTC.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <string.h>
#include <time.h>

#include "crm-customer.h"
#include "crm-interaction.h"
#include "crm-merge.h"
#include "crm-pool.h"
#include "crm-tasks.h"
#include "crm-test-util.h"
#include "crm-timeline.h"

static gint64
local_ms (int y,
          int m,
          int d,
          int h,
          int mi,
          int s)
{
  g_autoptr(GDateTime) t = g_date_time_new_local (y, m, d, h, mi, s);

  return g_date_time_to_unix (t) * 1000;
}

static gint64
add_task (CrmStore   *store,
          gint64      customer_id,
          const char *title,
          gint64      due_at,
          const char *owner)
{
  g_autoptr(CrmTask) task = crm_task_new ();
  g_autoptr(GError) error = NULL;

  task->customer_id = customer_id;
  task->title = g_strdup (title);
  task->due_at = due_at;
  task->owner = g_strdup (owner);
  g_assert_true (crm_tasks_add (store, task, &error));
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (task->uuid));
  return task->id;
}

static void
add_owner (CrmStore   *store,
           const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmOwner) owner = crm_owners_add (store, name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (owner);
}

static void
set_birthday (CrmStore   *store,
              gint64      id,
              const char *birthday)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) c = crm_store_load (store, CRM_TYPE_CUSTOMER, id, &error);

  crm_customer_set_birthday (c, birthday);
  g_assert_true (crm_store_update (store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);
}

static void
log_call (CrmStore *store,
          gint64    customer_id,
          gint64    at)
{
  g_autoptr(CrmInteraction) call = crm_interaction_new ();
  g_autoptr(GError) error = NULL;

  crm_interaction_set_customer_id (call, customer_id);
  crm_interaction_set_channel (call, "phone");
  crm_interaction_set_subject (call, "Asked about the new tea");
  crm_interaction_set_occurred_at (call, at);
  g_assert_true (crm_timeline_log (store, call, &error));
  g_assert_no_error (error);
}

static CrmTaskState
state_of (CrmStore *store,
          gint64    id,
          gint64    as_of)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmTask) task = crm_tasks_get (store, id, NULL, &error);

  g_assert_no_error (error);
  return crm_task_get_state (task, as_of);
}

/* Overdue is due before the moment; due today is due later that local day; done leaves the
 * open list; the refusals say what is wrong. */
static void
test_due (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(CrmTask) bad = crm_task_new ();
  gint64 wang = crm_test_add_customer (store, "王芳");
  gint64 gone = crm_test_add_customer (store, "Gone");
  gint64 as_of = local_ms (2026, 12, 8, 12, 0, 0);
  gint64 yesterday, later, midnight, tomorrow;
  CrmTaskFilter filter = { 0 };

  add_owner (store, "Alice");
  yesterday = add_task (store, wang, "Call back about the refund", local_ms (2026, 12, 7, 16, 0, 0), "alice");
  later = add_task (store, wang, "Send the catalogue", local_ms (2026, 12, 8, 15, 0, 0), NULL);
  midnight = add_task (store, wang, "Last minute", local_ms (2026, 12, 8, 23, 59, 59), NULL);
  tomorrow = add_task (store, wang, "Visit", local_ms (2026, 12, 9, 0, 0, 0), NULL);

  g_assert_cmpint (state_of (store, yesterday, as_of), ==, CRM_TASK_STATE_OVERDUE);
  g_assert_cmpint (state_of (store, later, as_of), ==, CRM_TASK_STATE_DUE_TODAY);
  g_assert_cmpint (state_of (store, midnight, as_of), ==, CRM_TASK_STATE_DUE_TODAY);
  g_assert_cmpint (state_of (store, tomorrow, as_of), ==, CRM_TASK_STATE_UPCOMING);
  /* Exactly at its due time a task is due, not overdue; a moment later it is. */
  g_assert_cmpint (state_of (store, later, local_ms (2026, 12, 8, 15, 0, 0)), ==, CRM_TASK_STATE_DUE_TODAY);
  g_assert_cmpint (state_of (store, later, local_ms (2026, 12, 8, 15, 0, 1)), ==, CRM_TASK_STATE_OVERDUE);

  /* The owner is the list's spelling. */
  {
    g_autoptr(CrmTask) t = crm_tasks_get (store, yesterday, NULL, &error);
    g_assert_cmpstr (t->owner, ==, "Alice");
    g_assert_cmpstr (t->customer_name, ==, "王芳");
  }

  filter.due_before = crm_tasks_day_start (as_of, 1);
  open = crm_tasks_list (store, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, ==, 3);
  g_assert_cmpint (((CrmTask *) open->pdata[0])->id, ==, yesterday);
  g_assert_cmpint (((CrmTask *) open->pdata[2])->id, ==, midnight);

  g_assert_true (crm_tasks_set_done (store, yesterday, TRUE, as_of, &error));
  g_assert_cmpint (state_of (store, yesterday, as_of), ==, CRM_TASK_STATE_DONE);
  g_clear_pointer (&open, g_ptr_array_unref);
  open = crm_tasks_list (store, &filter, &error);
  g_assert_cmpuint (open->len, ==, 2);
  filter.include_done = TRUE;
  g_clear_pointer (&open, g_ptr_array_unref);
  open = crm_tasks_list (store, &filter, &error);
  g_assert_cmpuint (open->len, ==, 3);
  filter.include_done = FALSE;
  filter.owner = "Alice";
  g_clear_pointer (&open, g_ptr_array_unref);
  open = crm_tasks_list (store, &filter, &error);
  g_assert_cmpuint (open->len, ==, 0);
  g_assert_true (crm_tasks_set_done (store, yesterday, FALSE, 0, &error));
  g_assert_cmpint (state_of (store, yesterday, as_of), ==, CRM_TASK_STATE_OVERDUE);

  bad->customer_id = wang;
  bad->title = g_strdup ("  ");
  bad->due_at = as_of;
  g_assert_false (crm_tasks_add (store, bad, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "title"));
  g_clear_error (&error);
  g_free (bad->title);
  bad->title = g_strdup ("Call");
  bad->due_at = 0;
  g_assert_false (crm_tasks_add (store, bad, &error));
  g_assert_nonnull (strstr (error->message, "due time"));
  g_clear_error (&error);
  bad->due_at = as_of;
  bad->owner = g_strdup ("Mallory");
  g_assert_false (crm_tasks_add (store, bad, &error));
  g_assert_nonnull (strstr (error->message, "“Mallory” is not one of the owners"));
  g_clear_error (&error);
  g_clear_pointer (&bad->owner, g_free);
  bad->origin = CRM_TASK_ORIGIN_COMPLAINT;
  g_assert_false (crm_tasks_add (store, bad, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  bad->origin = CRM_TASK_ORIGIN_MANUAL;
  {
    g_autoptr(CrmCustomer) c = crm_store_load (store, CRM_TYPE_CUSTOMER, gone, &error);
    g_assert_true (crm_store_delete (store, CRM_ENTITY (c), &error));
  }
  bad->customer_id = gone;
  g_assert_false (crm_tasks_add (store, bad, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM tasks"), ==, 4);

  /* A complaint's follow-up names the complaint. */
  g_assert_true (crm_store_exec (store, "INSERT INTO feedback (uuid, created_at, updated_at, customer_id, kind)"
                                        " VALUES ('6f1c1c8e-0000-4000-8000-000000000001', 1, 1, 1, 'complaint')", &error));
  bad->customer_id = wang;
  bad->origin = CRM_TASK_ORIGIN_COMPLAINT;
  bad->feedback_id = crm_test_query_int (store, "SELECT id FROM feedback");
  g_assert_true (crm_tasks_add (store, bad, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_test_query_int (store, "SELECT feedback_id FROM tasks WHERE origin = 'complaint'"), ==, bad->feedback_id);
  g_assert_true (crm_tasks_delete (store, bad->id, &error));
  g_assert_null (crm_tasks_get (store, bad->id, NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
}

/* Each due task is reminded of once: those missed while the app was closed at the first check,
 * a task that falls due later at the check after it, never a done one. */
static void
test_reminders (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) third = NULL;
  gint64 li = crm_test_add_customer (store, "李伟");
  gint64 as_of = local_ms (2026, 12, 8, 9, 0, 0);
  gint64 missed, now, soon, done;

  missed = add_task (store, li, "Missed yesterday", as_of - 86400000, NULL);
  now = add_task (store, li, "Due right now", as_of, NULL);
  soon = add_task (store, li, "Due in five minutes", as_of + 300000, NULL);
  done = add_task (store, li, "Done already", as_of - 3600000, NULL);
  g_assert_true (crm_tasks_set_done (store, done, TRUE, 0, &error));

  g_assert_false (crm_tasks_reminders_pending (store, as_of - 86400001));
  g_assert_true (crm_tasks_reminders_pending (store, as_of));
  first = crm_tasks_take_reminders (store, as_of, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->len, ==, 2);
  g_assert_cmpint (((CrmTask *) first->pdata[0])->id, ==, missed);
  g_assert_cmpint (((CrmTask *) first->pdata[1])->id, ==, now);
  g_assert_cmpstr (((CrmTask *) first->pdata[0])->customer_name, ==, "李伟");
  g_assert_false (crm_tasks_reminders_pending (store, as_of + 60000));
  second = crm_tasks_take_reminders (store, as_of + 60000, &error);
  g_assert_cmpuint (second->len, ==, 0);
  third = crm_tasks_take_reminders (store, as_of + 300000, &error);
  g_assert_cmpuint (third->len, ==, 1);
  g_assert_cmpint (((CrmTask *) third->pdata[0])->id, ==, soon);

  /* A deleted customer's follow-ups remind of nothing, and nothing is pending for them. */
  add_task (store, li, "After the customer went", as_of + 600000, NULL);
  {
    g_autoptr(CrmCustomer) c = crm_store_load (store, CRM_TYPE_CUSTOMER, li, &error);
    g_assert_true (crm_store_delete (store, CRM_ENTITY (c), &error));
  }
  g_assert_false (crm_tasks_reminders_pending (store, as_of + 700000));
}

static CrmTaskSuggestion *
find_suggestion (GPtrArray *suggestions,
                 gint64     customer_id)
{
  for (guint i = 0; i < suggestions->len; i++)
    if (((CrmTaskSuggestion *) suggestions->pdata[i])->customer_id == customer_id)
      return suggestions->pdata[i];
  return NULL;
}

/* Birthdays from today to 7 days on are suggested (the 8th day and yesterday are not), soonest
 * first; a suggestion made a task is not suggested, nor made a task, again that year. */
static void
test_suggest_birthdays (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  g_autoptr(GPtrArray) s = NULL;
  g_autoptr(CrmTask) task = NULL;
  gint64 today = crm_test_add_customer (store, "Today");
  gint64 edge = crm_test_add_customer (store, "Edge");
  gint64 beyond = crm_test_add_customer (store, "Beyond");
  gint64 past = crm_test_add_customer (store, "Yesterday");
  gint64 leap = crm_test_add_customer (store, "Leap");
  gint64 newyear = crm_test_add_customer (store, "New Year");
  gint64 as_of = local_ms (2026, 3, 1, 10, 0, 0);
  CrmTaskSuggestion *x;

  set_birthday (store, today, "1990-03-01");
  set_birthday (store, edge, "1985-03-08");
  set_birthday (store, beyond, "1985-03-09");
  set_birthday (store, past, "1980-02-28");
  set_birthday (store, leap, "2000-02-29");
  set_birthday (store, newyear, "1970-01-03");

  s = crm_tasks_suggest (store, as_of, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s->len, ==, 2);
  x = s->pdata[0];
  g_assert_cmpint (x->customer_id, ==, today);
  g_assert_cmpint (x->days, ==, 0);
  g_assert_cmpint (x->origin, ==, CRM_TASK_ORIGIN_BIRTHDAY);
  g_assert_cmpint (x->due_at, ==, local_ms (2026, 3, 1, 9, 0, 0));
  x = s->pdata[1];
  g_assert_cmpint (x->customer_id, ==, edge);
  g_assert_cmpint (x->days, ==, 7);
  g_assert_nonnull (strstr (x->title, "Edge"));

  /* The eighth day comes in a day later. */
  g_clear_pointer (&s, g_ptr_array_unref);
  s = crm_tasks_suggest (store, local_ms (2026, 3, 2, 0, 0, 0), 0, &error);
  g_assert_nonnull (find_suggestion (s, beyond));
  g_assert_null (find_suggestion (s, today));

  /* Made a task: gone from the suggestions, refused a second time. */
  g_clear_pointer (&s, g_ptr_array_unref);
  s = crm_tasks_suggest (store, as_of, 0, &error);
  task = crm_tasks_accept (store, s->pdata[0], NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (task->origin, ==, CRM_TASK_ORIGIN_BIRTHDAY);
  g_assert_cmpstr (task->suggestion_key, ==, ((CrmTaskSuggestion *) s->pdata[0])->key);
  g_assert_null (crm_tasks_accept (store, s->pdata[0], NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM tasks"), ==, 1);
  /* Done or not, it stays made. */
  g_assert_true (crm_tasks_set_done (store, task->id, TRUE, 0, &error));
  g_clear_pointer (&s, g_ptr_array_unref);
  s = crm_tasks_suggest (store, as_of + 3600000, 0, &error);
  g_assert_cmpuint (s->len, ==, 1);
  g_assert_cmpint (((CrmTaskSuggestion *) s->pdata[0])->customer_id, ==, edge);
  /* Next year it is suggested again. */
  g_clear_pointer (&s, g_ptr_array_unref);
  s = crm_tasks_suggest (store, local_ms (2027, 3, 1, 8, 0, 0), 0, &error);
  g_assert_nonnull (find_suggestion (s, today));

  /* 29 February falls on the 28th in 2027; a week over New Year. */
  g_clear_pointer (&s, g_ptr_array_unref);
  s = crm_tasks_suggest (store, local_ms (2027, 2, 25, 8, 0, 0), 0, &error);
  x = find_suggestion (s, leap);
  g_assert_nonnull (x);
  g_assert_cmpint (x->days, ==, 3);
  g_clear_pointer (&s, g_ptr_array_unref);
  s = crm_tasks_suggest (store, local_ms (2026, 12, 28, 8, 0, 0), 0, &error);
  x = find_suggestion (s, newyear);
  g_assert_nonnull (x);
  g_assert_cmpint (x->days, ==, 6);
  g_assert_true (g_str_has_prefix (x->key, "birthday:2027:"));
}

/* The valuable customer at risk of the last scoring run is suggested once a month. */
static void
test_suggest_at_risk (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  g_autoptr(GPtrArray) s = NULL;
  g_autoptr(CrmTask) task = NULL;
  gint64 ids[5];
  gint64 as_of = local_ms (2026, 12, 8, 10, 0, 0);

  add_owner (store, "Bob");
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *name = g_strdup_printf ("Buyer %u", i);
      g_autofree char *sql = NULL;

      ids[i] = crm_test_add_customer (store, name);
      sql = g_strdup_printf ("UPDATE customers SET total_spent = %u, owner = %s WHERE id = %" G_GINT64_FORMAT ";"
                             "INSERT INTO customer_predictions (customer_id, x, t_x, T, p_alive, clv, risk, computed_at)"
                             " VALUES (%" G_GINT64_FORMAT ", 3, 10, 50, %s, 100, 'high', 1)",
                             (i + 1) * 10000, i == 4 ? "'Bob'" : "NULL", ids[i], ids[i], i == 4 ? "0.2" : "0.9");
      g_assert_true (crm_store_exec (store, sql, &error));
    }

  s = crm_tasks_suggest (store, as_of, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s->len, ==, 1);
  g_assert_cmpint (((CrmTaskSuggestion *) s->pdata[0])->customer_id, ==, ids[4]);
  g_assert_cmpint (((CrmTaskSuggestion *) s->pdata[0])->origin, ==, CRM_TASK_ORIGIN_AT_RISK);
  g_assert_cmpint (((CrmTaskSuggestion *) s->pdata[0])->spent, ==, 50000);
  task = crm_tasks_accept (store, s->pdata[0], NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (task->owner, ==, "Bob");   /* the customer's owner */
  g_clear_pointer (&s, g_ptr_array_unref);
  s = crm_tasks_suggest (store, local_ms (2026, 12, 31, 23, 0, 0), 0, &error);
  g_assert_cmpuint (s->len, ==, 0);
  g_clear_pointer (&s, g_ptr_array_unref);
  s = crm_tasks_suggest (store, local_ms (2027, 1, 1, 0, 0, 0), 0, &error);
  g_assert_cmpuint (s->len, ==, 1);
}

/* Return days 30: the last activity on 1 October (10:00) holds the customer through
 * 31 October (30 days after; the clocks go back on the 25th) and returns it at the first moment
 * of 1 November (31 days). */
static void
test_pool_return_edge (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  g_autoptr(GPtrArray) pool = NULL;
  g_autoptr(GPtrArray) history = NULL;
  gint64 held = crm_test_add_customer (store, "Held");
  gint64 buyer = crm_test_add_customer (store, "Buyer");
  gint64 fresh = crm_test_add_customer (store, "Fresh");
  gint64 last_day = local_ms (2026, 10, 31, 23, 59, 59) + 999;
  gint64 next_day = local_ms (2026, 11, 1, 0, 0, 0);

  g_assert_cmpuint (crm_pool_get_return_days (store), ==, 30);
  add_owner (store, "Alice");
  g_assert_true (crm_pool_claim (store, held, "Alice", local_ms (2026, 9, 1, 12, 0, 0), &error));
  g_assert_true (crm_pool_claim (store, buyer, "Alice", local_ms (2026, 9, 1, 12, 0, 0), &error));
  g_assert_true (crm_pool_claim (store, fresh, "Alice", local_ms (2026, 10, 20, 12, 0, 0), &error));
  g_assert_no_error (error);
  log_call (store, held, local_ms (2026, 10, 1, 10, 0, 0));
  crm_test_add_order (store, buyer, local_ms (2026, 10, 2, 18, 0, 0), 5000, NULL);

  g_assert_cmpint (crm_pool_cutoff (next_day, 30), ==, local_ms (2026, 10, 2, 0, 0, 0));
  g_assert_cmpint (crm_pool_cutoff (last_day, 30), ==, local_ms (2026, 10, 1, 0, 0, 0));

  /* Listed as due to return as of the 1st, not as of the 31st. */
  pool = crm_pool_list (store, last_day, TRUE, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pool->len, ==, 0);
  g_clear_pointer (&pool, g_ptr_array_unref);
  pool = crm_pool_list (store, next_day, TRUE, 0, &error);
  g_assert_cmpuint (pool->len, ==, 1);
  g_assert_cmpstr (((CrmPoolCustomer *) pool->pdata[0])->owner, ==, "Alice");

  g_assert_cmpint (crm_pool_return_due (store, last_day, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM customers WHERE owner = 'Alice'"), ==, 3);
  g_assert_cmpint (crm_pool_return_due (store, next_day, &error), ==, 1);
  g_assert_no_error (error);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT owner IS NULL FROM customers WHERE id = %" G_GINT64_FORMAT, held);
    g_assert_cmpint (crm_test_query_int (store, sql), ==, 1);
  }
  history = crm_pool_history (store, held, &error);
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_cmpint (((CrmPoolEvent *) history->pdata[0])->action, ==, CRM_POOL_RETURN);
  g_assert_cmpstr (((CrmPoolEvent *) history->pdata[0])->from_owner, ==, "Alice");
  g_assert_null (((CrmPoolEvent *) history->pdata[0])->to_owner);
  g_assert_cmpint (((CrmPoolEvent *) history->pdata[0])->at, ==, next_day);
  g_assert_cmpint (((CrmPoolEvent *) history->pdata[1])->action, ==, CRM_POOL_CLAIM);

  /* The order of 2 October holds its customer through 1 November. */
  g_assert_cmpint (crm_pool_return_due (store, local_ms (2026, 11, 1, 23, 0, 0), &error), ==, 0);
  g_assert_cmpint (crm_pool_return_due (store, local_ms (2026, 11, 2, 0, 0, 0), &error), ==, 1);
  /* Now in the pool, since the return, the latest order first (one who never ordered last). */
  g_clear_pointer (&pool, g_ptr_array_unref);
  pool = crm_pool_list (store, local_ms (2026, 11, 2, 0, 0, 0), FALSE, 0, &error);
  g_assert_cmpuint (pool->len, ==, 2);
  g_assert_cmpint (((CrmPoolCustomer *) pool->pdata[0])->customer_id, ==, buyer);
  g_assert_null (((CrmPoolCustomer *) pool->pdata[0])->owner);
  g_assert_cmpint (((CrmPoolCustomer *) pool->pdata[0])->since, ==, local_ms (2026, 11, 2, 0, 0, 0));
  g_assert_cmpint (((CrmPoolCustomer *) pool->pdata[1])->last_activity, ==, local_ms (2026, 10, 1, 10, 0, 0));

  /* A shorter limit takes the claim of 20 October back on the 31st. */
  g_assert_true (crm_pool_set_return_days (store, 10, &error));
  g_assert_cmpuint (crm_pool_get_return_days (store), ==, 10);
  g_assert_cmpint (crm_pool_return_due (store, local_ms (2026, 10, 30, 23, 0, 0), &error), ==, 0);
  g_assert_cmpint (crm_pool_return_due (store, local_ms (2026, 10, 31, 0, 0, 0), &error), ==, 1);
  g_assert_false (crm_pool_set_return_days (store, 0, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
}

/* A claim of an owned customer is refused and names the owner; so is an unknown rep and the
 * release of a customer in the pool; every change is kept. */
static void
test_pool_claim (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GPtrArray) owners = NULL;
  gint64 zhang = crm_test_add_customer (store, "张静");

  add_owner (store, "Alice");
  add_owner (store, "  刘洋 ");
  g_assert_null (crm_owners_add (store, "ALICE", &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“Alice” is an owner already"));
  g_clear_error (&error);
  g_assert_null (crm_owners_add (store, " \t", &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (crm_pool_release (store, zhang, 0, &error));
  g_assert_nonnull (strstr (error->message, "in the pool already"));
  g_clear_error (&error);
  g_assert_false (crm_pool_claim (store, zhang, "Mallory", 0, &error));
  g_assert_nonnull (strstr (error->message, "Mallory"));
  g_clear_error (&error);
  g_assert_true (crm_pool_claim (store, zhang, "alice", 1000, &error));
  g_assert_no_error (error);
  g_assert_false (crm_pool_claim (store, zhang, "刘洋", 2000, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Alice owns it"));
  g_clear_error (&error);
  g_assert_true (crm_pool_assign (store, zhang, "刘洋", 3000, &error));
  g_assert_true (crm_pool_release (store, zhang, 4000, &error));
  g_assert_no_error (error);

  history = crm_pool_history (store, zhang, &error);
  g_assert_cmpuint (history->len, ==, 3);
  g_assert_cmpint (((CrmPoolEvent *) history->pdata[0])->action, ==, CRM_POOL_RELEASE);
  g_assert_cmpstr (((CrmPoolEvent *) history->pdata[0])->from_owner, ==, "刘洋");
  g_assert_cmpint (((CrmPoolEvent *) history->pdata[1])->action, ==, CRM_POOL_ASSIGN);
  g_assert_cmpstr (((CrmPoolEvent *) history->pdata[1])->from_owner, ==, "Alice");
  g_assert_cmpstr (((CrmPoolEvent *) history->pdata[1])->to_owner, ==, "刘洋");
  g_assert_cmpint (((CrmPoolEvent *) history->pdata[2])->action, ==, CRM_POOL_CLAIM);
  g_assert_cmpstr (((CrmPoolEvent *) history->pdata[2])->by, ==, crm_timeline_user_name ());
  /* The owner changes went to the sync journal as customer updates. */
  g_assert_cmpint (crm_test_journal_count (store, CRM_JOURNAL_ENTITY_CUSTOMER, CRM_JOURNAL_UPDATE), ==, 3);

  g_assert_true (crm_pool_claim (store, zhang, "Alice", 5000, &error));
  owners = crm_owners_list (store, &error);
  g_assert_cmpuint (owners->len, ==, 2);
  g_assert_cmpstr (((CrmOwner *) owners->pdata[0])->name, ==, "Alice");
  g_assert_cmpint (((CrmOwner *) owners->pdata[0])->customers, ==, 1);
  g_assert_cmpstr (((CrmOwner *) owners->pdata[1])->name, ==, "刘洋");
  g_assert_cmpint (((CrmOwner *) owners->pdata[1])->customers, ==, 0);
}

/* A file of schema 9 had owners as free text: its distinct names (trimmed, any case) become the
 * owners, customers keep them in the list's spelling, a blank one is none; a name written
 * afterwards by any writer joins the list. */
static void
test_owner_migration (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) owners = NULL;
  sqlite3 *db = NULL;
  char *message = NULL;

  {
    g_autoptr(CrmStore) store = crm_test_store_new (&path);

    for (guint i = 0; i < 6; i++)
      crm_test_add_customer (store, "Customer");
  }
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_exec (db, crm_test_undo_after_schema_9, NULL, NULL, &message);
  g_assert_null (message);
  sqlite3_exec (db,
                    "UPDATE customers SET owner = CASE id WHEN 1 THEN ' Alice' WHEN 2 THEN 'alice'"
                    "  WHEN 3 THEN 'Bob' WHEN 4 THEN '  ' WHEN 5 THEN '王经理' END;"
                    "PRAGMA user_version = 9;", NULL, NULL, &message);
  g_assert_null (message);
  sqlite3_close (db);

  {
    g_autoptr(CrmStore) store = crm_store_open (path, &error);

    g_assert_no_error (error);
    g_assert_cmpint (crm_store_get_schema_version (store), ==, CRM_STORE_SCHEMA_VERSION);
    owners = crm_owners_list (store, &error);
    g_assert_cmpuint (owners->len, ==, 3);
    g_assert_cmpstr (((CrmOwner *) owners->pdata[0])->name, ==, "Alice");
    g_assert_cmpint (((CrmOwner *) owners->pdata[0])->customers, ==, 2);
    g_assert_true (g_uuid_string_is_valid (((CrmOwner *) owners->pdata[0])->uuid));
    g_assert_cmpstr (((CrmOwner *) owners->pdata[1])->name, ==, "Bob");
    g_assert_cmpstr (((CrmOwner *) owners->pdata[2])->name, ==, "王经理");
    g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM customers WHERE owner = 'Alice'"), ==, 2);
    g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM customers WHERE owner IS NULL"), ==, 2);

    g_assert_true (crm_store_exec (store, "UPDATE customers SET owner = 'Carol' WHERE id = 6", &error));
    g_clear_pointer (&owners, g_ptr_array_unref);
    owners = crm_owners_list (store, &error);
    g_assert_cmpuint (owners->len, ==, 4);
    g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
  }
}

/* A merge carries the other's follow-ups and pool history to the survivor; an undo takes them
 * back. */
static void
test_merge (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GPtrArray) history = NULL;
  gint64 survivor = crm_test_add_customer (store, "Zhao Lei");
  gint64 other = crm_test_add_customer (store, "赵磊");
  gint64 merge_id;
  CrmTaskFilter filter = { .customer_id = 0, .include_done = TRUE };

  add_owner (store, "Alice");
  add_task (store, survivor, "Survivor's own", local_ms (2026, 12, 9, 9, 0, 0), NULL);
  add_task (store, other, "Call about the gift box", local_ms (2026, 12, 10, 9, 0, 0), "Alice");
  g_assert_true (crm_pool_claim (store, other, "Alice", 0, &error));

  merge_id = crm_merge_customers (store, survivor, other, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (merge_id, >, 0);
  filter.customer_id = survivor;
  tasks = crm_tasks_list (store, &filter, &error);
  g_assert_cmpuint (tasks->len, ==, 2);
  g_assert_cmpstr (((CrmTask *) tasks->pdata[1])->title, ==, "Call about the gift box");
  g_assert_cmpstr (((CrmTask *) tasks->pdata[1])->customer_name, ==, "Zhao Lei");
  history = crm_pool_history (store, survivor, &error);
  g_assert_cmpuint (history->len, ==, 1);
  /* The survivor had no owner: it takes the other's. */
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM customers WHERE owner = 'Alice' AND deleted_at IS NULL"), ==, 1);

  g_assert_true (crm_merge_undo (store, merge_id, &error));
  g_assert_no_error (error);
  g_clear_pointer (&tasks, g_ptr_array_unref);
  tasks = crm_tasks_list (store, &filter, &error);
  g_assert_cmpuint (tasks->len, ==, 1);
  g_clear_pointer (&history, g_ptr_array_unref);
  history = crm_pool_history (store, other, &error);
  g_assert_cmpuint (history->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "Europe/Berlin", TRUE);
  tzset ();
  crm_test_init (&argc, &argv);

  g_test_add_func ("/tasks/due", test_due);
  g_test_add_func ("/tasks/reminders", test_reminders);
  g_test_add_func ("/tasks/suggest/birthdays", test_suggest_birthdays);
  g_test_add_func ("/tasks/suggest/at-risk", test_suggest_at_risk);
  g_test_add_func ("/pool/return-edge", test_pool_return_edge);
  g_test_add_func ("/pool/claim", test_pool_claim);
  g_test_add_func ("/pool/owner-migration", test_owner_migration);
  g_test_add_func ("/tasks/merge", test_merge);

  return g_test_run ();
}

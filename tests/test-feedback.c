/* test-feedback.c: feedback and complaints — the workflow (every legal and illegal step,
 * re-open), SLA due times (across a DST change), overdue as of a time, NPS and CSAT on
 * hand-computed sets, the timeline, search, the merge of two customers and the upgrade.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <string.h>

#include "crm-customer.h"
#include "crm-feedback-service.h"
#include "crm-feedback-stats.h"
#include "crm-merge.h"
#include "crm-query.h"
#include "crm-test-util.h"
#include "crm-timeline.h"

#define HOUR (G_GINT64_CONSTANT (3600000))
#define DAY (24 * HOUR)

static CrmFeedback *
add_feedback (CrmStore   *store,
              gint64      customer_id,
              const char *kind,
              gint64      score,
              const char *priority,
              gint64      received_at,
              GTimeZone  *tz)
{
  g_autoptr(GError) error = NULL;
  CrmFeedback *f = crm_feedback_new ();

  crm_feedback_set_customer_id (f, customer_id);
  crm_feedback_set_kind (f, kind);
  crm_feedback_set_score (f, score);
  crm_feedback_set_priority (f, priority);
  crm_feedback_set_received_at (f, received_at);
  g_assert_true (crm_feedback_add (store, f, tz, &error));
  g_assert_no_error (error);
  return f;
}

static gboolean
move (CrmStore     *store,
      CrmFeedback  *f,
      const char   *status,
      GError      **error)
{
  CrmFeedbackChange change = { .status = status, .by = "tester" };

  return crm_feedback_apply (store, f, &change, NULL, error);
}

/* Puts a fresh complaint into @status along legal steps. */
static CrmFeedback *
complaint_in (CrmStore   *store,
              gint64      customer,
              const char *status)
{
  g_autoptr(GError) error = NULL;
  CrmFeedback *f = add_feedback (store, customer, "complaint", 0, NULL, 0, NULL);

  if (g_str_equal (status, "closed"))
    {
      g_assert_true (move (store, f, "resolved", &error));
      g_assert_true (move (store, f, "closed", &error));
    }
  else if (!g_str_equal (status, "open"))
    g_assert_true (move (store, f, status, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (crm_feedback_get_status (f), ==, status);
  return f;
}

/* Every pair of statuses: the legal ones (the table in crm-feedback-service.h) are taken and
 * kept in the history; every other is refused with a message naming the allowed ones, and
 * changes nothing. */
static void
test_transitions (void)
{
  static const struct { const char *from, *to; } legal[] = {
    { "open", "in-progress" }, { "open", "waiting" }, { "open", "resolved" },
    { "in-progress", "waiting" }, { "in-progress", "resolved" },
    { "waiting", "in-progress" }, { "waiting", "resolved" },
    { "resolved", "open" }, { "resolved", "closed" }, { "closed", "open" },
  };
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  gint64 customer = crm_test_add_customer (store, "王芳");
  const char * const *statuses = crm_feedback_statuses ();
  guint n_legal = 0;

  for (guint i = 0; statuses[i] != NULL; i++)
    for (guint j = 0; statuses[j] != NULL; j++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(CrmFeedback) f = complaint_in (store, customer, statuses[i]);
        g_autoptr(GPtrArray) before = crm_feedback_history (store, crm_entity_get_id (CRM_ENTITY (f)), NULL);
        g_autoptr(GPtrArray) after = NULL;
        gboolean expected = FALSE;

        for (guint k = 0; k < G_N_ELEMENTS (legal); k++)
          expected |= g_str_equal (legal[k].from, statuses[i]) && g_str_equal (legal[k].to, statuses[j]);
        g_assert_cmpint (crm_feedback_can_transition (statuses[i], statuses[j]), ==, expected);

        if (expected)
          {
            g_assert_true (move (store, f, statuses[j], &error));
            g_assert_no_error (error);
            n_legal++;
          }
        else
          {
            g_assert_false (move (store, f, statuses[j], &error));
            g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
            g_assert_nonnull (strstr (error->message, "cannot go to"));
            g_assert_nonnull (strstr (error->message, crm_feedback_status_get_label (crm_feedback_next_statuses (statuses[i])[0])));
          }
        g_assert_true (crm_store_reload (store, CRM_ENTITY (f), NULL));
        g_assert_cmpstr (crm_feedback_get_status (f), ==, expected ? statuses[j] : statuses[i]);
        after = crm_feedback_history (store, crm_entity_get_id (CRM_ENTITY (f)), NULL);
        g_assert_cmpuint (after->len, ==, before->len + (expected ? 1 : 0));
        if (expected)
          {
            CrmFeedbackEvent *e = after->pdata[after->len - 1];

            g_assert_cmpstr (e->from_status, ==, statuses[i]);
            g_assert_cmpstr (e->to_status, ==, statuses[j]);
            g_assert_cmpstr (e->by, ==, "tester");
          }
      }
  g_assert_cmpuint (n_legal, ==, G_N_ELEMENTS (legal));
}

/* The whole way with re-open: open → in progress → waiting → resolved → closed → open again;
 * resolved sets the resolved time, re-open clears it and restarts the SLA clock; assignee and
 * note are kept with each step. */
static void
test_reopen (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  gint64 customer = crm_test_add_customer (store, "Anna Schmidt");
  gint64 t0 = G_GINT64_CONSTANT (1780000000000);
  g_autoptr(CrmFeedback) f = add_feedback (store, customer, "complaint", 0, "urgent", t0, NULL);
  g_autoptr(GPtrArray) history = NULL;
  CrmFeedbackChange take = { .status = "in-progress", .assignee = "Li Lei", .note = "Called back", .at = t0 + HOUR };
  CrmFeedbackChange wait = { .status = "waiting", .at = t0 + 2 * HOUR };
  CrmFeedbackChange fix = { .status = "resolved", .note = "Replaced the teapot", .at = t0 + 3 * HOUR };
  CrmFeedbackChange close = { .status = "closed", .at = t0 + 4 * HOUR };
  CrmFeedbackChange reopen = { .status = "open", .note = "Broke again", .at = t0 + 10 * DAY };
  CrmFeedbackChange nothing = { .assignee = "Li Lei" };
  CrmFeedbackChange note_only = { .note = "Customer happy", .at = t0 + 11 * DAY };

  g_assert_cmpstr (crm_feedback_get_status (f), ==, "open");
  g_assert_cmpint (crm_feedback_get_due_at (f), ==, t0 + 4 * HOUR);
  g_assert_true (crm_feedback_apply (store, f, &take, NULL, &error));
  g_assert_true (crm_feedback_apply (store, f, &wait, NULL, &error));
  g_assert_true (crm_feedback_apply (store, f, &fix, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_feedback_get_resolved_at (f), ==, t0 + 3 * HOUR);
  g_assert_false (crm_feedback_is_overdue (f, t0 + 100 * DAY));
  g_assert_true (crm_feedback_apply (store, f, &close, NULL, &error));
  g_assert_true (crm_feedback_apply (store, f, &reopen, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (crm_feedback_get_status (f), ==, "open");
  g_assert_cmpint (crm_feedback_get_resolved_at (f), ==, 0);
  g_assert_cmpint (crm_feedback_get_due_at (f), ==, t0 + 10 * DAY + 4 * HOUR);
  g_assert_cmpstr (crm_feedback_get_assignee (f), ==, "Li Lei");

  /* Nothing to change is refused; a note alone is kept. */
  g_assert_false (crm_feedback_apply (store, f, &nothing, NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (crm_feedback_apply (store, f, &note_only, NULL, &error));
  g_assert_no_error (error);

  history = crm_feedback_history (store, crm_entity_get_id (CRM_ENTITY (f)), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 7);
  g_assert_null (((CrmFeedbackEvent *) history->pdata[0])->from_status);
  g_assert_cmpstr (((CrmFeedbackEvent *) history->pdata[0])->to_status, ==, "open");
  g_assert_cmpstr (((CrmFeedbackEvent *) history->pdata[1])->note, ==, "Called back");
  g_assert_cmpstr (((CrmFeedbackEvent *) history->pdata[1])->assignee, ==, "Li Lei");
  g_assert_cmpint (((CrmFeedbackEvent *) history->pdata[3])->at, ==, t0 + 3 * HOUR);
  g_assert_cmpstr (((CrmFeedbackEvent *) history->pdata[5])->from_status, ==, "closed");
  g_assert_cmpstr (((CrmFeedbackEvent *) history->pdata[5])->to_status, ==, "open");
  g_assert_cmpstr (((CrmFeedbackEvent *) history->pdata[6])->note, ==, "Customer happy");
  g_assert_cmpstr (((CrmFeedbackEvent *) history->pdata[6])->to_status, ==, "open");
}

/* What is not a complaint or inquiry has no workflow; bad input is refused and nothing stored. */
static void
test_invalid (void)
{
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  gint64 customer = crm_test_add_customer (store, "Bob");
  gint64 other = crm_test_add_customer (store, "Carol");
  gint64 order = crm_test_add_order (store, other, crm_now_ms () - DAY, 1000, NULL);
  g_autoptr(CrmFeedback) review = add_feedback (store, customer, "review", 4, NULL, 0, NULL);
  static const struct { const char *kind; gint64 score; const char *priority; } bad[] = {
    { "nps", 11, NULL }, { "nps", -1, NULL }, { "csat", 0, NULL }, { "csat", 6, NULL },
    { "review", 0, NULL }, { "complaint", 3, NULL }, { "complaint", 0, "asap" },
    { "suggestion", 0, "high" }, { "praise", 0, NULL }, { NULL, 0, NULL },
  };
  gint64 count = crm_test_query_int (store, "SELECT count(*) FROM feedback");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CrmFeedback) f = crm_feedback_new ();

      crm_feedback_set_customer_id (f, customer);
      crm_feedback_set_kind (f, bad[i].kind);
      crm_feedback_set_score (f, bad[i].score);
      crm_feedback_set_priority (f, bad[i].priority);
      g_assert_false (crm_feedback_add (store, f, NULL, &error));
      g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CrmFeedback) f = crm_feedback_new ();

    /* Another customer's order. */
    crm_feedback_set_customer_id (f, customer);
    crm_feedback_set_kind (f, "complaint");
    crm_feedback_set_order_id (f, order);
    g_assert_false (crm_feedback_add (store, f, NULL, &error));
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
    g_clear_error (&error);
    crm_feedback_set_order_id (f, 0);
    crm_feedback_set_customer_id (f, 9999);
    g_assert_false (crm_feedback_add (store, f, NULL, &error));
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  }
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM feedback"), ==, count);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM feedback_history"), ==, 0);

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (move (store, review, "resolved", &error));
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  }
}

/* SLA due times: the defaults and a setting; days are calendar days in the shop's zone (across
 * the spring-forward night a week is 167 hours), hours are elapsed hours. */
static void
test_sla (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) before = NULL;
  g_autoptr(GDateTime) due = NULL;
  gint64 customer = crm_test_add_customer (store, "Jonas");
  gint64 t0;
  g_autofree char *low = NULL, *normal = NULL, *high = NULL, *urgent = NULL, *changed = NULL;
  guint amount;
  gboolean days;

  g_assert_nonnull (berlin);
  low = crm_feedback_get_sla (store, "low");
  normal = crm_feedback_get_sla (store, "normal");
  high = crm_feedback_get_sla (store, "high");
  urgent = crm_feedback_get_sla (store, "urgent");
  g_assert_cmpstr (low, ==, "7d");
  g_assert_cmpstr (normal, ==, "72h");
  g_assert_cmpstr (high, ==, "24h");
  g_assert_cmpstr (urgent, ==, "4h");

  /* Clocks go forward in Berlin on 29 March 2026 at 02:00. */
  before = g_date_time_new (berlin, 2026, 3, 25, 10, 0, 0);
  t0 = g_date_time_to_unix (before) * 1000;
  {
    g_autoptr(CrmFeedback) a = add_feedback (store, customer, "complaint", 0, "low", t0, berlin);
    g_autoptr(CrmFeedback) b = add_feedback (store, customer, "inquiry", 0, "normal", t0 + 3 * DAY, berlin);
    g_autoptr(CrmFeedback) c = add_feedback (store, customer, "complaint", 0, "high", t0, berlin);
    g_autoptr(CrmFeedback) d = add_feedback (store, customer, "complaint", 0, "urgent", t0, berlin);

    due = g_date_time_new_from_unix_utc (crm_feedback_get_due_at (a) / 1000);
    {
      g_autoptr(GDateTime) local = g_date_time_to_timezone (due, berlin);

      g_assert_cmpint (g_date_time_get_day_of_month (local), ==, 1);
      g_assert_cmpint (g_date_time_get_month (local), ==, 4);
      g_assert_cmpint (g_date_time_get_hour (local), ==, 10);
    }
    g_assert_cmpint (crm_feedback_get_due_at (a) - t0, ==, 167 * HOUR);
    /* 72 hours from 28 March 10:00 CET is 31 March 11:00 CEST: elapsed time. */
    g_assert_cmpint (crm_feedback_get_due_at (b) - (t0 + 3 * DAY), ==, 72 * HOUR);
    g_assert_cmpint (crm_feedback_get_due_at (c) - t0, ==, 24 * HOUR);
    g_assert_cmpint (crm_feedback_get_due_at (d) - t0, ==, 4 * HOUR);

    /* Overdue strictly after the due time, and only while open. */
    g_assert_false (crm_feedback_is_overdue (d, t0 + 4 * HOUR));
    g_assert_true (crm_feedback_is_overdue (d, t0 + 4 * HOUR + 1));
    g_assert_true (move (store, d, "waiting", &error));
    g_assert_true (crm_feedback_is_overdue (d, t0 + 5 * HOUR));
    g_assert_true (move (store, d, "resolved", &error));
    g_assert_false (crm_feedback_is_overdue (d, t0 + 5 * HOUR));
    g_assert_no_error (error);

    /* Escalating re-times from the opening: high → urgent makes it due 4 h after t0. */
    {
      CrmFeedbackChange up = { .priority = "urgent", .at = t0 + HOUR };

      g_assert_true (crm_feedback_apply (store, c, &up, berlin, &error));
      g_assert_no_error (error);
      g_assert_cmpint (crm_feedback_get_due_at (c) - t0, ==, 4 * HOUR);
    }

    /* overdue list as of a time */
    {
      CrmFeedbackFilter filter = { .overdue_only = TRUE, .as_of = t0 + 4 * HOUR + 1 };
      g_autoptr(GPtrArray) list = crm_feedback_list (store, &filter, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (list->len, ==, 1);
      g_assert_cmpint (crm_entity_get_id (list->pdata[0]), ==, crm_entity_get_id (CRM_ENTITY (c)));
      filter.as_of = t0 + 8 * DAY;
      g_clear_pointer (&list, g_ptr_array_unref);
      list = crm_feedback_list (store, &filter, &error);
      g_assert_cmpuint (list->len, ==, 3);
      filter.overdue_only = FALSE;
      filter.open_only = TRUE;
      filter.kind = "inquiry";
      g_clear_pointer (&list, g_ptr_array_unref);
      list = crm_feedback_list (store, &filter, &error);
      g_assert_cmpuint (list->len, ==, 1);
      g_assert_cmpint (crm_entity_get_id (list->pdata[0]), ==, crm_entity_get_id (CRM_ENTITY (b)));
    }
  }

  /* A setting changes the SLA; bad ones are refused. */
  g_assert_true (crm_feedback_set_sla (store, "high", "12h", &error));
  g_assert_no_error (error);
  changed = crm_feedback_get_sla (store, "high");
  g_assert_cmpstr (changed, ==, "12h");
  g_assert_false (crm_feedback_set_sla (store, "high", "0h", &error));
  g_clear_error (&error);
  g_assert_false (crm_feedback_set_sla (store, "high", "3w", &error));
  g_clear_error (&error);
  g_assert_false (crm_feedback_set_sla (store, "someday", "3d", &error));
  g_clear_error (&error);
  g_assert_true (crm_feedback_sla_parse (" 366h ", &amount, &days, NULL));
  g_assert_cmpuint (amount, ==, 366);
  g_assert_false (days);
  g_assert_false (crm_feedback_sla_parse ("366d", NULL, NULL, NULL));
}

static void
assert_stats (CrmStore *store,
              gint64    from,
              double    nps,
              gint64    answers,
              double    csat,
              gint64    csat_answers)
{
  g_autoptr(GError) error = NULL;
  CrmFeedbackStats s;

  g_assert_true (crm_feedback_stats_load (store, from, 0, 0, NULL, &s, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (s.nps_answers, ==, answers);
  g_assert_cmpfloat_with_epsilon (s.nps, nps, 1e-9);
  g_assert_cmpint (s.csat_answers, ==, csat_answers);
  g_assert_cmpfloat_with_epsilon (s.csat, csat, 1e-9);
}

/* NPS and CSAT on sets computed by hand: empty, all promoters, no promoters, the edges 6/7/8/9
 * (6 detracts, 7 and 8 are passive, 9 promotes), CSAT's 3/4 edge; a period leaves out older
 * answers; a deleted answer does not count. */
static void
test_scores (void)
{
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  gint64 customer = crm_test_add_customer (store, "Score");
  gint64 now = crm_now_ms ();
  gint64 t = now - 10 * DAY;

  assert_stats (store, 0, 0, 0, 0, 0);
  for (int i = 0; i < 3; i++)
    g_object_unref (add_feedback (store, customer, "nps", i == 0 ? 9 : 10, NULL, t, NULL));
  assert_stats (store, 0, 100, 3, 0, 0);

  {
    g_autoptr(CrmStore) other = crm_test_store_new (NULL);
    gint64 c = crm_test_add_customer (other, "None");

    for (int score = 0; score <= 6; score++)
      g_object_unref (add_feedback (other, c, "nps", score, NULL, t, NULL));
    assert_stats (other, 0, -100, 7, 0, 0);
    g_object_unref (add_feedback (other, c, "nps", 7, NULL, t, NULL));
    g_object_unref (add_feedback (other, c, "nps", 8, NULL, t, NULL));
    /* 7 detractors, 2 passives of 9. */
    assert_stats (other, 0, -700.0 / 9, 9, 0, 0);
  }

  /* The edges: 6, 7, 8, 9 added to 3 promoters: 4 promoters, 1 detractor of 7 → 300/7. */
  for (int score = 6; score <= 9; score++)
    g_object_unref (add_feedback (store, customer, "nps", score, NULL, t, NULL));
  assert_stats (store, 0, 300.0 / 7, 7, 0, 0);

  /* CSAT: 3 does not count, 4 and 5 do: 2 of 5 → 40 %. */
  for (int score = 1; score <= 5; score++)
    g_object_unref (add_feedback (store, customer, "csat", score, NULL, t, NULL));
  assert_stats (store, 0, 300.0 / 7, 7, 40, 5);

  /* A period: one detractor yesterday, the rest ten days ago. */
  {
    g_autoptr(CrmFeedback) late = add_feedback (store, customer, "nps", 0, NULL, now - DAY, NULL);
    g_autoptr(GError) error = NULL;

    assert_stats (store, now - 2 * DAY, -100, 1, 0, 0);
    assert_stats (store, 0, 200.0 / 8, 8, 40, 5);
    g_assert_true (crm_store_delete (store, CRM_ENTITY (late), &error));
    g_assert_no_error (error);
    assert_stats (store, now - 2 * DAY, 0, 0, 0, 0);
  }
  g_assert_cmpfloat_with_epsilon (crm_feedback_nps (0, 0, 0), 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (crm_feedback_csat (3, 4), 75, 1e-9);
}

/* Per segment (customers in Berlin) and per month: the trend's buckets are local months. */
static void
test_segment_trend (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(CrmCustomer) c = crm_customer_new ();
  g_autoptr(CrmRule) rule = crm_rule_new_from_json ("{\"field\":\"city\",\"op\":\"is\",\"value\":\"Berlin\"}", &error);
  g_autoptr(GDateTime) march = g_date_time_new (berlin, 2026, 3, 31, 23, 30, 0);   /* 21:30 UTC */
  g_autoptr(GDateTime) april = g_date_time_new (berlin, 2026, 4, 1, 0, 30, 0);
  g_autoptr(GDateTime) may = g_date_time_new (berlin, 2026, 5, 15, 12, 0, 0);
  g_autoptr(GArray) trend = NULL;
  gint64 other = crm_test_add_customer (store, "Elsewhere");
  CrmFeedbackStats s;
  CrmFeedbackTrendPoint *p;

  g_assert_no_error (error);
  crm_customer_set_name (c, "Berliner");
  crm_customer_set_city (c, "Berlin");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
  g_object_unref (add_feedback (store, crm_entity_get_id (CRM_ENTITY (c)), "nps", 10, NULL,
                                g_date_time_to_unix (march) * 1000, NULL));
  g_object_unref (add_feedback (store, crm_entity_get_id (CRM_ENTITY (c)), "nps", 3, NULL,
                                g_date_time_to_unix (april) * 1000, NULL));
  g_object_unref (add_feedback (store, other, "nps", 3, NULL, g_date_time_to_unix (april) * 1000, NULL));
  g_object_unref (add_feedback (store, other, "csat", 5, NULL, g_date_time_to_unix (april) * 1000, NULL));

  g_assert_true (crm_feedback_stats_load (store, 0, 0, g_date_time_to_unix (may) * 1000, rule, &s, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (s.nps_answers, ==, 2);
  g_assert_cmpfloat_with_epsilon (s.nps, 0, 1e-9);
  g_assert_cmpint (s.csat_answers, ==, 0);

  trend = crm_feedback_trend (store, 3, g_date_time_to_unix (may) * 1000, berlin, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (trend->len, ==, 3);
  p = &g_array_index (trend, CrmFeedbackTrendPoint, 0);
  g_assert_cmpint (p->month, ==, 3);
  g_assert_cmpint (p->stats.nps_answers, ==, 1);
  g_assert_cmpfloat_with_epsilon (p->stats.nps, 100, 1e-9);
  p = &g_array_index (trend, CrmFeedbackTrendPoint, 1);
  g_assert_cmpint (p->month, ==, 4);
  g_assert_cmpint (p->stats.nps_answers, ==, 2);
  g_assert_cmpfloat_with_epsilon (p->stats.nps, -100, 1e-9);
  g_assert_cmpint (p->stats.csat_answers, ==, 1);
  p = &g_array_index (trend, CrmFeedbackTrendPoint, 2);
  g_assert_cmpint (p->month, ==, 5);
  g_assert_cmpint (p->stats.nps_answers, ==, 0);

  g_clear_pointer (&trend, g_array_unref);
  trend = crm_feedback_trend (store, 3, g_date_time_to_unix (may) * 1000, berlin, rule, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_array_index (trend, CrmFeedbackTrendPoint, 1).stats.nps_answers, ==, 1);
}

/* Open and overdue counts as of a time. */
static void
test_open_counts (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  gint64 customer = crm_test_add_customer (store, "Counts");
  gint64 t0 = crm_now_ms () - 30 * DAY;
  g_autoptr(CrmFeedback) a = add_feedback (store, customer, "complaint", 0, "urgent", t0, NULL);
  g_autoptr(CrmFeedback) b = add_feedback (store, customer, "inquiry", 0, "low", t0, NULL);
  g_autoptr(CrmFeedback) c = add_feedback (store, customer, "complaint", 0, "high", t0, NULL);
  CrmFeedbackStats s;

  g_assert_true (move (store, c, "resolved", &error));
  g_assert_true (crm_feedback_stats_load (store, 0, 0, t0 + HOUR, NULL, &s, NULL, &error));
  g_assert_cmpint (s.open, ==, 2);
  g_assert_cmpint (s.overdue, ==, 0);
  g_assert_true (crm_feedback_stats_load (store, 0, 0, t0 + 5 * HOUR, NULL, &s, NULL, &error));
  g_assert_cmpint (s.overdue, ==, 1);
  g_assert_true (crm_feedback_stats_load (store, 0, 0, t0 + 8 * DAY, NULL, &s, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (s.overdue, ==, 2);
  (void) a;
  (void) b;
}

/* Feedback is on the customer's timeline at the time it was given, its comment finds the
 * customer, and a merge carries the items with their history (and undo takes them back). */
static void
test_timeline_search_merge (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  gint64 survivor = crm_test_add_customer (store, "Zhang Wei");
  gint64 other = crm_test_add_customer (store, "Wei Zhang");
  gint64 order = crm_test_add_order (store, other, crm_now_ms () - 3 * DAY, 5000, NULL);
  g_autoptr(CrmFeedback) f = crm_feedback_new ();
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(CrmQuery) query = crm_query_new ();
  g_autoptr(GArray) hits = NULL;
  gint64 merge_id;

  crm_feedback_set_customer_id (f, other);
  crm_feedback_set_kind (f, "complaint");
  crm_feedback_set_comment (f, "The oolong arrived crushed");
  crm_feedback_set_order_id (f, order);
  crm_feedback_set_channel (f, "wechat");
  crm_feedback_set_received_at (f, crm_now_ms () - 2 * DAY);
  g_assert_true (crm_feedback_add (store, f, NULL, &error));
  g_assert_true (move (store, f, "in-progress", &error));
  g_assert_no_error (error);

  events = crm_timeline_load (store, other, 10, NULL, &error);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpint (((CrmTimelineEvent *) events->pdata[0])->kind, ==, CRM_TIMELINE_FEEDBACK);
  g_assert_cmpint (((CrmTimelineEvent *) events->pdata[0])->at, ==, crm_feedback_get_received_at (f));
  g_assert_cmpstr (((CrmTimelineEvent *) events->pdata[0])->direction, ==, "in-progress");

  crm_query_set_search_text (query, "oolong arrived");
  hits = crm_query_run_ids (query, store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpint (g_array_index (hits, gint64, 0), ==, other);

  merge_id = crm_merge_customers (store, survivor, other, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (merge_id, >, 0);
  g_assert_true (crm_store_reload (store, CRM_ENTITY (f), &error));
  g_assert_cmpint (crm_feedback_get_customer_id (f), ==, survivor);
  history = crm_feedback_history (store, crm_entity_get_id (CRM_ENTITY (f)), &error);
  g_assert_cmpuint (history->len, ==, 2);
  g_clear_pointer (&events, g_ptr_array_unref);
  events = crm_timeline_load (store, survivor, 10, NULL, &error);
  g_assert_cmpuint (events->len, ==, 2);
  g_clear_pointer (&hits, g_array_unref);
  hits = crm_query_run_ids (query, store, NULL, &error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpint (g_array_index (hits, gint64, 0), ==, survivor);
  /* Still workable after the merge. */
  g_assert_true (move (store, f, "resolved", &error));
  g_assert_no_error (error);

  g_assert_true (crm_merge_undo (store, merge_id, &error));
  g_assert_no_error (error);
  g_assert_true (crm_store_reload (store, CRM_ENTITY (f), &error));
  g_assert_cmpint (crm_feedback_get_customer_id (f), ==, other);
  g_clear_pointer (&history, g_ptr_array_unref);
  history = crm_feedback_history (store, crm_entity_get_id (CRM_ENTITY (f)), &error);
  g_assert_cmpuint (history->len, ==, 3);
}

/* A file of schema 4 with feedback upgrades: received times are the times written, and the
 * comments are searchable. */
static void
test_migrate (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = crm_test_unpack_db ("v4.db.gz");
  g_autoptr(CrmStore) store = crm_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (crm_store_get_schema_version (store), ==, CRM_STORE_SCHEMA_VERSION);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM feedback"), >, 0);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM feedback WHERE received_at = created_at"),
                   ==, crm_test_query_int (store, "SELECT count(*) FROM feedback"));
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM feedback_fts"),
                   ==, crm_test_query_int (store, "SELECT count(*) FROM feedback WHERE deleted_at IS NULL"
                                                  " AND comment IS NOT NULL"));
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/feedback/workflow/transitions", test_transitions);
  g_test_add_func ("/feedback/workflow/reopen", test_reopen);
  g_test_add_func ("/feedback/invalid", test_invalid);
  g_test_add_func ("/feedback/sla", test_sla);
  g_test_add_func ("/feedback/stats/scores", test_scores);
  g_test_add_func ("/feedback/stats/segment-trend", test_segment_trend);
  g_test_add_func ("/feedback/stats/open", test_open_counts);
  g_test_add_func ("/feedback/timeline-search-merge", test_timeline_search_merge);
  g_test_add_func ("/feedback/migrate", test_migrate);

  return g_test_run ();
}

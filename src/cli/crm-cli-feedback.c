/* crm-cli-feedback.c: feedback and complaints from the command line.
 *
 *   feedback add --customer UUID --kind KIND [--score N] [--text T] [--priority P] [--order ID]
 *                [--channel C] [--source S] [--assignee A] [--at …]
 *   feedback set ID [--status S] [--assignee A] [--priority P] [--note T] [--at …]
 *   feedback show ID                 the item and its history
 *   feedback list [--open] [--overdue] [--as-of …] [--kind K] [--customer UUID] [--assignee A]
 *   feedback stats [--period-days N] [--as-of …] [--segment NAME] [--months N]
 *   feedback sla [PRIORITY [DURATION]]
 *
 * ID is the feedback's UUID.  With --json every command prints one object.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "crm-cli.h"
#include "crm-feedback-service.h"
#include "crm-feedback-stats.h"
#include "crm-format.h"
#include "crm-order.h"
#include "crm-segment.h"

static char *opt_customer, *opt_kind, *opt_score, *opt_text, *opt_priority, *opt_order, *opt_channel,
            *opt_source, *opt_assignee, *opt_at, *opt_status, *opt_note, *opt_as_of, *opt_period,
            *opt_segment, *opt_months, *opt_limit;
static gboolean opt_open, opt_overdue;

static const GOptionEntry add_entries[] = {
  { "customer", 0, 0, G_OPTION_ARG_FILENAME, &opt_customer, N_("The customer (required)"), N_("UUID") },
  { "kind", 0, 0, G_OPTION_ARG_FILENAME, &opt_kind,
    N_("nps, csat, review, complaint, inquiry or suggestion (required)"), N_("KIND") },
  { "score", 0, 0, G_OPTION_ARG_FILENAME, &opt_score,
    N_("The score: 0–10 for nps, 1–5 for csat and review"), N_("N") },
  { "text", 0, 0, G_OPTION_ARG_FILENAME, &opt_text, N_("What the customer said"), N_("TEXT") },
  { "priority", 0, 0, G_OPTION_ARG_FILENAME, &opt_priority,
    N_("Complaints and inquiries: low, normal (default), high or urgent"), N_("PRIORITY") },
  { "order", 0, 0, G_OPTION_ARG_FILENAME, &opt_order, N_("The order it is about (UUID or number)"), N_("ORDER") },
  { "channel", 0, 0, G_OPTION_ARG_FILENAME, &opt_channel,
    N_("phone, email, visit, chat, wechat, social, web, survey or other"), N_("CHANNEL") },
  { "source", 0, 0, G_OPTION_ARG_FILENAME, &opt_source, N_("Reviews: where it was posted"), N_("TEXT") },
  { "assignee", 0, 0, G_OPTION_ARG_FILENAME, &opt_assignee, N_("Complaints and inquiries: who handles it"),
    N_("NAME") },
  { "at", 0, 0, G_OPTION_ARG_FILENAME, &opt_at, N_("When it was received (default: now)"), N_("YYYY-MM-DD[THH:MM]") },
  { NULL }
};

static const GOptionEntry set_entries[] = {
  { "status", 0, 0, G_OPTION_ARG_FILENAME, &opt_status,
    N_("open, in-progress, waiting, resolved or closed"), N_("STATUS") },
  { "assignee", 0, 0, G_OPTION_ARG_FILENAME, &opt_assignee, N_("Who handles it (\"\" for nobody)"), N_("NAME") },
  { "priority", 0, 0, G_OPTION_ARG_FILENAME, &opt_priority, N_("low, normal, high or urgent"), N_("PRIORITY") },
  { "note", 0, 0, G_OPTION_ARG_FILENAME, &opt_note, N_("A note kept in the history"), N_("TEXT") },
  { "at", 0, 0, G_OPTION_ARG_FILENAME, &opt_at, N_("When (default: now)"), N_("YYYY-MM-DD[THH:MM]") },
  { NULL }
};

static const GOptionEntry list_entries[] = {
  { "open", 0, 0, G_OPTION_ARG_NONE, &opt_open, N_("Only complaints and inquiries not yet resolved"), NULL },
  { "overdue", 0, 0, G_OPTION_ARG_NONE, &opt_overdue, N_("Only those past their due time"), NULL },
  { "as-of", 0, 0, G_OPTION_ARG_FILENAME, &opt_as_of, N_("Overdue as of this time (default: now)"),
    N_("YYYY-MM-DD[THH:MM]") },
  { "kind", 0, 0, G_OPTION_ARG_FILENAME, &opt_kind, N_("Only this kind"), N_("KIND") },
  { "customer", 0, 0, G_OPTION_ARG_FILENAME, &opt_customer, N_("Only this customer’s"), N_("UUID") },
  { "assignee", 0, 0, G_OPTION_ARG_FILENAME, &opt_assignee, N_("Only those this person handles"), N_("NAME") },
  { "limit", 0, 0, G_OPTION_ARG_FILENAME, &opt_limit, N_("At most this many (default 1000)"), N_("N") },
  { NULL }
};

static const GOptionEntry stats_entries[] = {
  { "period-days", 0, 0, G_OPTION_ARG_FILENAME, &opt_period,
    N_("Scores of the answers of the last N days (default: all)"), N_("N") },
  { "as-of", 0, 0, G_OPTION_ARG_FILENAME, &opt_as_of, N_("The end of the period (default: now)"),
    N_("YYYY-MM-DD[THH:MM]") },
  { "segment", 0, 0, G_OPTION_ARG_FILENAME, &opt_segment, N_("Only the customers of this saved segment"),
    N_("NAME") },
  { "months", 0, 0, G_OPTION_ARG_FILENAME, &opt_months, N_("Also the trend: scores of each of the last N months"),
    N_("N") },
  { NULL }
};

static int
usage (const char *message)
{
  return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", message);
}

static void
add_text (JsonBuilder *b,
          const char  *name,
          const char  *text)
{
  json_builder_set_member_name (b, name);
  if (text != NULL)
    json_builder_add_string_value (b, text);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_time (JsonBuilder *b,
          const char  *name,
          gint64       ms)
{
  json_builder_set_member_name (b, name);
  if (ms != 0)
    json_builder_add_int_value (b, ms);
  else
    json_builder_add_null_value (b);
}

static gboolean
has_score (const char *kind)
{
  return g_strcmp0 (kind, "nps") == 0 || g_strcmp0 (kind, "csat") == 0 || g_strcmp0 (kind, "review") == 0;
}

static void
build_feedback (JsonBuilder *b,
                CrmStore    *store,
                CrmFeedback *f,
                gint64       as_of)
{
  g_autoptr(CrmCustomer) customer = crm_store_load (store, CRM_TYPE_CUSTOMER, crm_feedback_get_customer_id (f), NULL);
  const char *kind = crm_feedback_get_kind (f);

  add_text (b, "uuid", crm_entity_get_uuid (CRM_ENTITY (f)));
  add_text (b, "customer", customer != NULL ? crm_entity_get_uuid (CRM_ENTITY (customer)) : NULL);
  add_text (b, "customer_name", customer != NULL ? crm_customer_get_name (customer) : NULL);
  add_text (b, "kind", kind);
  json_builder_set_member_name (b, "score");
  if (has_score (kind))
    json_builder_add_int_value (b, crm_feedback_get_score (f));
  else
    json_builder_add_null_value (b);
  add_text (b, "text", crm_feedback_get_comment (f));
  add_text (b, "channel", crm_feedback_get_channel (f));
  add_text (b, "source", crm_feedback_get_source (f));
  add_time (b, "received_at", crm_feedback_get_received_at (f));
  add_text (b, "status", crm_feedback_get_status (f));
  add_text (b, "priority", crm_feedback_get_priority (f));
  add_text (b, "assignee", crm_feedback_get_assignee (f));
  add_time (b, "due_at", crm_feedback_get_due_at (f));
  add_time (b, "resolved_at", crm_feedback_get_resolved_at (f));
  json_builder_set_member_name (b, "overdue");
  json_builder_add_boolean_value (b, crm_feedback_is_overdue (f, as_of));
  if (crm_feedback_get_order_id (f) != 0)
    {
      g_autoptr(CrmOrder) order = crm_store_load (store, CRM_TYPE_ORDER, crm_feedback_get_order_id (f), NULL);
      add_text (b, "order", order != NULL ? crm_entity_get_uuid (CRM_ENTITY (order)) : NULL);
    }
  else
    add_text (b, "order", NULL);
}

/* ---- feedback add ----------------------------------------------------------------------- */

static int
cmd_feedback_add (CrmStore  *store,
                  char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmFeedback) f = crm_feedback_new ();
  g_autoptr(CrmCustomer) customer = NULL;
  gint64 at = 0, order_id = 0, score = 0;

  if (opt_customer == NULL || opt_kind == NULL)
    return usage (_("feedback add needs --customer and --kind"));
  if (!crm_feedback_kind_is_known (opt_kind))
    return usage (_("--kind must be nps, csat, review, complaint, inquiry or suggestion"));
  if (has_score (opt_kind) && opt_score == NULL)
    return usage (_("Survey answers and reviews need --score"));
  if (opt_score != NULL && !g_ascii_string_to_signed (opt_score, 10, -1000, 1000, &score, NULL))
    return usage (_("--score must be a whole number"));
  if (opt_at != NULL && !crm_cli_parse_time ("--at", opt_at, &at, &error))
    return usage (error->message);
  if (!g_uuid_string_is_valid (opt_customer))
    return usage (_("--customer needs a customer’s UUID"));
  if ((customer = crm_cli_load_customer (store, opt_customer, &error)) == NULL)
    return crm_cli_fail_error (error);
  if (opt_order != NULL && (order_id = crm_cli_find_order (store, opt_order, &error)) == 0)
    return crm_cli_fail_error (error);

  crm_feedback_set_customer_id (f, crm_entity_get_id (CRM_ENTITY (customer)));
  crm_feedback_set_kind (f, opt_kind);
  crm_feedback_set_score (f, score);
  crm_feedback_set_comment (f, opt_text != NULL && opt_text[0] != '\0' ? opt_text : NULL);
  crm_feedback_set_priority (f, opt_priority);
  crm_feedback_set_order_id (f, order_id);
  crm_feedback_set_channel (f, opt_channel);
  crm_feedback_set_source (f, opt_source);
  crm_feedback_set_assignee (f, opt_assignee != NULL && opt_assignee[0] != '\0' ? opt_assignee : NULL);
  crm_feedback_set_received_at (f, at);
  if (!crm_feedback_add (store, f, NULL, &error))
    return crm_cli_fail_error (error);

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      build_feedback (b, store, f, crm_now_ms ());
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else
    printf ("%s\n", crm_entity_get_uuid (CRM_ENTITY (f)));
  return CRM_CLI_EXIT_OK;
}

/* ---- feedback set / show ------------------------------------------------------------------ */

static CrmFeedback *
load_feedback (CrmStore    *store,
               const char  *uuid,
               GError     **error)
{
  CrmFeedback *f = NULL;

  if (g_uuid_string_is_valid (uuid))
    f = crm_store_load_by_uuid (store, CRM_TYPE_FEEDBACK, uuid, NULL);
  if (f == NULL || crm_entity_is_deleted (CRM_ENTITY (f)))
    {
      g_autofree char *valid = g_utf8_make_valid (uuid, -1);

      g_clear_object (&f);
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND, _("No feedback with UUID “%s”"), valid);
    }
  return f;
}

static void
build_history (JsonBuilder *b,
               GPtrArray   *history)
{
  json_builder_set_member_name (b, "history");
  json_builder_begin_array (b);
  for (guint i = 0; i < history->len; i++)
    {
      CrmFeedbackEvent *e = g_ptr_array_index (history, i);

      json_builder_begin_object (b);
      add_int (b, "at", e->at);
      add_text (b, "from", e->from_status);
      add_text (b, "to", e->to_status);
      add_text (b, "assignee", e->assignee);
      add_text (b, "priority", e->priority);
      add_text (b, "by", e->by);
      add_text (b, "note", e->note);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
print_feedback_text (CrmStore    *store,
                     CrmFeedback *f,
                     GPtrArray   *history)
{
  g_autofree char *received = crm_format_date_time (crm_feedback_get_received_at (f));

  printf ("%s  %s  %s\n", crm_entity_get_uuid (CRM_ENTITY (f)), crm_feedback_kind_get_label (crm_feedback_get_kind (f)),
          received);
  if (crm_feedback_get_status (f) != NULL)
    {
      g_autofree char *due = crm_format_date_time (crm_feedback_get_due_at (f));

      /* Translators: status, priority, due time, assignee of a complaint. */
      printf (_("%s · %s priority · due %s · %s\n"), crm_feedback_status_get_label (crm_feedback_get_status (f)),
              crm_feedback_priority_get_label (crm_feedback_get_priority (f)), due,
              crm_feedback_get_assignee (f) != NULL ? crm_feedback_get_assignee (f) : _("unassigned"));
    }
  if (crm_feedback_get_comment (f) != NULL)
    printf ("%s\n", crm_feedback_get_comment (f));
  for (guint i = 0; history != NULL && i < history->len; i++)
    {
      CrmFeedbackEvent *e = g_ptr_array_index (history, i);
      g_autofree char *when = crm_format_date_time (e->at);

      printf ("  %s  %s → %s  %s%s%s\n", when,
              e->from_status != NULL ? crm_feedback_status_get_label (e->from_status) : "—",
              crm_feedback_status_get_label (e->to_status), e->by != NULL ? e->by : "",
              e->note != NULL ? ": " : "", e->note != NULL ? e->note : "");
    }
  (void) store;
}

static int
show_feedback (CrmStore    *store,
               CrmFeedback *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = crm_feedback_history (store, crm_entity_get_id (CRM_ENTITY (f)), &error);

  if (history == NULL)
    return crm_cli_fail_error (error);
  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      build_feedback (b, store, f, crm_now_ms ());
      build_history (b, history);
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else
    print_feedback_text (store, f, history);
  return CRM_CLI_EXIT_OK;
}

static int
cmd_feedback_set (CrmStore  *store,
                  char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmFeedback) f = NULL;
  CrmFeedbackChange change = { 0 };

  if (opt_status == NULL && opt_assignee == NULL && opt_priority == NULL && opt_note == NULL)
    return usage (_("feedback set needs --status, --assignee, --priority or --note"));
  if (opt_status != NULL && !g_strv_contains (crm_feedback_statuses (), opt_status))
    return usage (_("--status must be open, in-progress, waiting, resolved or closed"));
  if (opt_priority != NULL && !g_strv_contains (crm_feedback_priorities (), opt_priority))
    return usage (_("--priority must be low, normal, high or urgent"));
  if (opt_at != NULL && !crm_cli_parse_time ("--at", opt_at, &change.at, &error))
    return usage (error->message);
  if ((f = load_feedback (store, args[0], &error)) == NULL)
    return crm_cli_fail_error (error);

  change.status = opt_status;
  change.assignee = opt_assignee;
  change.priority = opt_priority;
  change.note = opt_note;
  if (!crm_feedback_apply (store, f, &change, NULL, &error))
    return crm_cli_fail_error (error);
  return show_feedback (store, f);
}

static int
cmd_feedback_show (CrmStore  *store,
                   char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmFeedback) f = load_feedback (store, args[0], &error);

  if (f == NULL)
    return crm_cli_fail_error (error);
  return show_feedback (store, f);
}

/* ---- feedback list ------------------------------------------------------------------------ */

static int
cmd_feedback_list (CrmStore  *store,
                   char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(CrmCustomer) customer = NULL;
  CrmFeedbackFilter filter = { 0 };
  guint64 limit = 1000;

  if (opt_as_of != NULL && !crm_cli_parse_time ("--as-of", opt_as_of, &filter.as_of, &error))
    return usage (error->message);
  if (opt_kind != NULL && !crm_feedback_kind_is_known (opt_kind))
    return usage (_("--kind must be nps, csat, review, complaint, inquiry or suggestion"));
  if (opt_limit != NULL && !crm_cli_parse_count ("--limit", opt_limit, 1000000, &limit, &error))
    return usage (error->message);
  if (opt_customer != NULL)
    {
      if (!g_uuid_string_is_valid (opt_customer))
        return usage (_("--customer needs a customer’s UUID"));
      if ((customer = crm_cli_load_customer (store, opt_customer, &error)) == NULL)
        return crm_cli_fail_error (error);
      filter.customer_id = crm_entity_get_id (CRM_ENTITY (customer));
    }
  if (filter.as_of == 0)
    filter.as_of = crm_now_ms ();
  filter.kind = opt_kind;
  filter.assignee = opt_assignee;
  filter.open_only = opt_open;
  filter.overdue_only = opt_overdue;
  filter.limit = limit > 0 ? (guint) limit : 1000;
  if ((items = crm_feedback_list (store, &filter, &error)) == NULL)
    return crm_cli_fail_error (error);

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "feedback");
      json_builder_begin_array (b);
      for (guint i = 0; i < items->len; i++)
        {
          json_builder_begin_object (b);
          build_feedback (b, store, g_ptr_array_index (items, i), filter.as_of);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      crm_cli_print_json (b);
      return CRM_CLI_EXIT_OK;
    }
  for (guint i = 0; i < items->len; i++)
    {
      CrmFeedback *f = g_ptr_array_index (items, i);
      g_autofree char *when = crm_format_date_time (crm_feedback_get_received_at (f));
      g_autofree char *score = has_score (crm_feedback_get_kind (f))
                               ? g_strdup_printf ("%" G_GINT64_FORMAT, crm_feedback_get_score (f)) : g_strdup ("");

      printf ("%s  %s  ", crm_entity_get_uuid (CRM_ENTITY (f)), when);
      crm_cli_print_padded (crm_feedback_kind_get_label (crm_feedback_get_kind (f)), 22);
      crm_cli_print_padded (crm_feedback_get_status (f) != NULL
                            ? crm_feedback_status_get_label (crm_feedback_get_status (f)) : score, 20);
      printf ("%s%s\n", crm_feedback_is_overdue (f, filter.as_of) ? _("OVERDUE ") : "",
              crm_feedback_get_comment (f) != NULL ? crm_feedback_get_comment (f) : "");
    }
  return CRM_CLI_EXIT_OK;
}

/* ---- feedback stats ----------------------------------------------------------------------- */

static CrmRule *
load_segment_rule (CrmStore    *store,
                   const char  *name,
                   GError     **error)
{
  g_autoptr(GPtrArray) all = crm_store_list_all (store, CRM_TYPE_SEGMENT, "name", error);
  g_autofree char *valid = g_utf8_make_valid (name, -1);

  if (all == NULL)
    return NULL;
  for (guint i = 0; i < all->len; i++)
    if (g_strcmp0 (crm_segment_get_name (g_ptr_array_index (all, i)), name) == 0)
      return crm_rule_new_from_json (crm_segment_get_rule (g_ptr_array_index (all, i)), error);
  g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND, _("No segment named “%s”"), valid);
  return NULL;
}

static void
build_scores (JsonBuilder            *b,
              const CrmFeedbackStats *s)
{
  json_builder_set_member_name (b, "nps");
  json_builder_add_double_value (b, s->nps);
  json_builder_set_member_name (b, "csat");
  json_builder_add_double_value (b, s->csat);
  add_int (b, "answers", s->nps_answers + s->csat_answers);
  add_int (b, "nps_answers", s->nps_answers);
  add_int (b, "promoters", s->promoters);
  add_int (b, "passives", s->passives);
  add_int (b, "detractors", s->detractors);
  add_int (b, "csat_answers", s->csat_answers);
  add_int (b, "satisfied", s->satisfied);
  add_int (b, "reviews", s->reviews);
  json_builder_set_member_name (b, "review_average");
  json_builder_add_double_value (b, s->review_average);
}

static void
print_stats_json (const CrmFeedbackStats *s,
                  GArray                 *trend)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  build_scores (b, s);
  add_int (b, "open", s->open);
  add_int (b, "overdue", s->overdue);
  if (trend != NULL)
    {
      json_builder_set_member_name (b, "trend");
      json_builder_begin_array (b);
      for (guint i = 0; i < trend->len; i++)
        {
          CrmFeedbackTrendPoint *p = &g_array_index (trend, CrmFeedbackTrendPoint, i);
          g_autofree char *month = g_strdup_printf ("%04d-%02d", p->year, p->month);

          json_builder_begin_object (b);
          add_text (b, "month", month);
          build_scores (b, &p->stats);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  crm_cli_print_json (b);
}

static void
print_stats_text (const CrmFeedbackStats *s,
                  GArray                 *trend)
{
  g_autofree char *answers = crm_format_count (s->nps_answers);
  g_autofree char *promoters = crm_format_count (s->promoters);
  g_autofree char *passives = crm_format_count (s->passives);
  g_autofree char *detractors = crm_format_count (s->detractors);
  g_autofree char *csat_answers = crm_format_count (s->csat_answers);
  g_autofree char *satisfied = crm_format_count (s->satisfied);
  g_autofree char *reviews = crm_format_count (s->reviews);
  g_autofree char *open = crm_format_count (s->open);
  g_autofree char *overdue = crm_format_count (s->overdue);

  /* Translators: NPS line: the score, answers, promoters, passives, detractors. */
  printf (_("NPS   %+.1f  (%s answers: %s promoters, %s passives, %s detractors)\n"),
          s->nps, answers, promoters, passives, detractors);
  /* Translators: CSAT line: the percentage, answers, satisfied answers (4 or 5). */
  printf (_("CSAT  %.1f%%  (%s answers, %s satisfied)\n"), s->csat, csat_answers, satisfied);
  printf (_("Reviews: %s, average %.2f\n"), reviews, s->review_average);
  printf (_("Open complaints and inquiries: %s, overdue: %s\n"), open, overdue);
  for (guint i = 0; trend != NULL && i < trend->len; i++)
    {
      CrmFeedbackTrendPoint *p = &g_array_index (trend, CrmFeedbackTrendPoint, i);

      printf ("%04d-%02d  NPS %+6.1f (%" G_GINT64_FORMAT ")  CSAT %5.1f%% (%" G_GINT64_FORMAT ")\n",
              p->year, p->month, p->stats.nps, p->stats.nps_answers, p->stats.csat, p->stats.csat_answers);
    }
}

static int
cmd_feedback_stats (CrmStore  *store,
                    char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRule) rule = NULL;
  g_autoptr(GArray) trend = NULL;
  CrmFeedbackStats stats;
  guint64 days = 0, months = 0;
  gint64 as_of = 0, from = 0;

  if (opt_period != NULL && !crm_cli_parse_count ("--period-days", opt_period, 36500, &days, &error))
    return usage (error->message);
  if (opt_months != NULL && !crm_cli_parse_count ("--months", opt_months, 120, &months, &error))
    return usage (error->message);
  if (opt_as_of != NULL && !crm_cli_parse_time ("--as-of", opt_as_of, &as_of, &error))
    return usage (error->message);
  if (opt_period != NULL && days == 0)
    return usage (_("--period-days must be at least 1"));
  if (as_of == 0)
    as_of = crm_now_ms ();
  if (days > 0)
    from = as_of - (gint64) days * 86400 * 1000;
  if (opt_segment != NULL && (rule = load_segment_rule (store, opt_segment, &error)) == NULL)
    return crm_cli_fail_error (error);

  if (!crm_feedback_stats_load (store, from, as_of, as_of, rule, &stats, NULL, &error))
    return crm_cli_fail_error (error);
  if (months > 0 && !(trend = crm_feedback_trend (store, (guint) months, as_of, NULL, rule, NULL, &error)))
    return crm_cli_fail_error (error);
  if (crm_cli_get_json ())
    print_stats_json (&stats, trend);
  else
    print_stats_text (&stats, trend);
  return CRM_CLI_EXIT_OK;
}

/* ---- feedback sla ------------------------------------------------------------------------- */

static int
cmd_feedback_sla (CrmStore  *store,
                  char     **args)
{
  g_autoptr(GError) error = NULL;
  const char * const *priorities = crm_feedback_priorities ();

  if (args[0] != NULL && !g_strv_contains (priorities, args[0]))
    return usage (_("The priority must be low, normal, high or urgent"));
  if (args[0] != NULL && args[1] != NULL)
    {
      if (!crm_feedback_sla_parse (args[1], NULL, NULL, &error))
        return usage (error->message);
      if (!crm_feedback_set_sla (store, args[0], args[1], &error))
        return crm_cli_fail_error (error);
    }
  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      for (guint i = 0; priorities[i] != NULL; i++)
        {
          g_autofree char *sla = crm_feedback_get_sla (store, priorities[i]);

          if (args[0] == NULL || g_str_equal (args[0], priorities[i]))
            add_text (b, priorities[i], sla);
        }
      json_builder_end_object (b);
      crm_cli_print_json (b);
      return CRM_CLI_EXIT_OK;
    }
  for (guint i = 0; priorities[i] != NULL; i++)
    if (args[0] == NULL || g_str_equal (args[0], priorities[i]))
      {
        g_autofree char *sla = crm_feedback_get_sla (store, priorities[i]);
        printf ("%-8s %s\n", priorities[i], sla);
      }
  return CRM_CLI_EXIT_OK;
}

const CrmCliCommand crm_cli_feedback_commands[] = {
  { "feedback add", NULL, N_("Record a survey answer, review, complaint, inquiry or suggestion"),
    0, 0, add_entries, FALSE, cmd_feedback_add },
  { "feedback set", "ID", N_("Move a complaint or inquiry through its workflow, assign it or add a note"),
    1, 0, set_entries, FALSE, cmd_feedback_set },
  { "feedback show", "ID", N_("A feedback item with its history"), 1, 0, NULL, FALSE, cmd_feedback_show },
  { "feedback list", NULL, N_("Feedback, newest first: all, open or overdue"), 0, 0, list_entries, FALSE,
    cmd_feedback_list },
  { "feedback stats", NULL, N_("NPS, CSAT, reviews, open and overdue complaints; the trend per month"),
    0, 0, stats_entries, FALSE, cmd_feedback_stats },
  { "feedback sla", "[PRIORITY [DURATION]]", N_("Show or set the time to resolve per priority (e.g. “urgent 4h”, “low 7d”)"),
    0, 2, NULL, FALSE, cmd_feedback_sla },
  { NULL }
};

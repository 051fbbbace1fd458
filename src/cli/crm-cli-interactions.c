/* crm-cli-interactions.c: logging a contact and reading a customer's timeline.
 *
 *   interaction add --customer UUID --channel CH [--direction in|out] --summary T [--notes T]
 *                   [--at YYYY-MM-DD[THH:MM]]
 *   interaction list --customer UUID [--limit N]
 *
 * The list is the customer's whole timeline, newest first: the interactions with the orders,
 * refunds and feedback between them ("kind" says which).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "crm-cli.h"
#include "crm-codes.h"
#include "crm-customer.h"
#include "crm-feedback-service.h"
#include "crm-format.h"
#include "crm-sales.h"
#include "crm-timeline.h"

static char *opt_customer, *opt_channel, *opt_direction, *opt_summary, *opt_notes, *opt_at, *opt_limit;

static const GOptionEntry add_entries[] = {
  { "customer", 0, 0, G_OPTION_ARG_FILENAME, &opt_customer, N_("The customer (required)"), N_("UUID") },
  { "channel", 0, 0, G_OPTION_ARG_FILENAME, &opt_channel,
    N_("phone, email, visit, chat, wechat, social or note (required)"), N_("CHANNEL") },
  { "direction", 0, 0, G_OPTION_ARG_FILENAME, &opt_direction,
    N_("in: the customer reached out; out: the shop did"), N_("in|out") },
  { "summary", 0, 0, G_OPTION_ARG_FILENAME, &opt_summary, N_("What it was about, one line (required)"), N_("TEXT") },
  { "notes", 0, 0, G_OPTION_ARG_FILENAME, &opt_notes, N_("Longer notes"), N_("TEXT") },
  { "at", 0, 0, G_OPTION_ARG_FILENAME, &opt_at, N_("When it happened (default: now)"), N_("YYYY-MM-DD[THH:MM]") },
  { NULL }
};

static const GOptionEntry list_entries[] = {
  { "customer", 0, 0, G_OPTION_ARG_FILENAME, &opt_customer, N_("The customer (required)"), N_("UUID") },
  { "limit", 0, 0, G_OPTION_ARG_FILENAME, &opt_limit, N_("At most this many events (default 100)"), N_("N") },
  { NULL }
};

static int
usage (const char *message)
{
  return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", message);
}

static int
cmd_interaction_add (CrmStore  *store,
                     char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmInteraction) interaction = crm_interaction_new ();
  g_autoptr(CrmCustomer) customer = NULL;
  gint64 at = 0;

  if (opt_customer == NULL || opt_channel == NULL || opt_summary == NULL)
    return usage (_("interaction add needs --customer, --channel and --summary"));
  if (!crm_interaction_channel_is_known (opt_channel))
    return usage (_("--channel must be phone, email, visit, chat, wechat, social or note"));
  if (opt_direction != NULL && !crm_interaction_direction_is_known (opt_direction))
    return usage (_("--direction must be in or out"));
  if (opt_at != NULL && !crm_cli_parse_time ("--at", opt_at, &at, &error))
    return usage (error->message);
  if (!g_uuid_string_is_valid (opt_customer))
    return usage (_("--customer needs a customer’s UUID"));

  if ((customer = crm_cli_load_customer (store, opt_customer, &error)) == NULL)
    return crm_cli_fail_error (error);
  crm_interaction_set_customer_id (interaction, crm_entity_get_id (CRM_ENTITY (customer)));
  crm_interaction_set_channel (interaction, opt_channel);
  crm_interaction_set_direction (interaction, opt_direction);
  crm_interaction_set_subject (interaction, opt_summary);
  crm_interaction_set_body (interaction, opt_notes != NULL && opt_notes[0] != '\0' ? opt_notes : NULL);
  crm_interaction_set_occurred_at (interaction, at);
  if (!crm_timeline_log (store, interaction, &error))
    return crm_cli_fail_error (error);

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "uuid");
      json_builder_add_string_value (b, crm_entity_get_uuid (CRM_ENTITY (interaction)));
      json_builder_set_member_name (b, "occurred_at");
      json_builder_add_int_value (b, crm_interaction_get_occurred_at (interaction));
      json_builder_set_member_name (b, "logged_by");
      json_builder_add_string_value (b, crm_interaction_get_logged_by (interaction));
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else
    printf ("%s\n", crm_entity_get_uuid (CRM_ENTITY (interaction)));
  return CRM_CLI_EXIT_OK;
}

static const char *const kind_names[] = { "interaction", "order", "refund", "feedback" };

static void
print_events_json (GPtrArray *events,
                   gboolean   more)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "events");
  json_builder_begin_array (b);
  for (guint i = 0; i < events->len; i++)
    {
      CrmTimelineEvent *e = g_ptr_array_index (events, i);

      json_builder_begin_object (b);
      crm_cli_json_add_text (b, "kind", kind_names[e->kind]);
      crm_cli_json_add_text (b, "uuid", e->uuid);
      json_builder_set_member_name (b, "at");
      json_builder_add_int_value (b, e->at);
      crm_cli_json_add_text (b, "channel", e->channel);
      if (e->kind == CRM_TIMELINE_INTERACTION)
        {
          crm_cli_json_add_text (b, "direction", e->direction);
          crm_cli_json_add_text (b, "summary", e->text);
          crm_cli_json_add_text (b, "logged_by", e->logged_by);
        }
      else if (e->kind == CRM_TIMELINE_FEEDBACK)
        {
          crm_cli_json_add_text (b, "feedback_kind", e->detail);
          crm_cli_json_add_text (b, "comment", e->text);
        }
      else
        {
          crm_cli_json_add_text (b, e->kind == CRM_TIMELINE_ORDER ? "number" : "order_number",
                                   e->kind == CRM_TIMELINE_ORDER ? e->text : e->detail);
          if (e->kind == CRM_TIMELINE_ORDER)
            crm_cli_json_add_text (b, "status", e->detail);
          else
            crm_cli_json_add_text (b, "reason", e->text);
          json_builder_set_member_name (b, "amount");
          json_builder_add_int_value (b, e->amount);
          crm_cli_json_add_text (b, "currency", e->currency);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "more");
  json_builder_add_boolean_value (b, more);
  json_builder_end_object (b);
  crm_cli_print_json (b);
}

/* One line per event: time, what, channel, text. */
static void
print_events_text (GPtrArray *events,
                   gboolean   more)
{
  for (guint i = 0; i < events->len; i++)
    {
      CrmTimelineEvent *e = g_ptr_array_index (events, i);
      g_autofree char *when = crm_format_date_time (e->at);
      g_autofree char *money = e->currency != NULL ? crm_format_money (e->amount, e->currency) : NULL;
      g_autofree char *what = NULL;
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, e->id);

      switch (e->kind)
        {
        case CRM_TIMELINE_INTERACTION:
          what = g_strdup_printf ("%s%s%s — %s", crm_interaction_channel_get_label (e->channel),
                                  e->direction != NULL ? " " : "",
                                  e->direction == NULL ? "" : g_str_equal (e->direction, "in") ? "←" : "→",
                                  e->text != NULL ? e->text : "");
          break;
        case CRM_TIMELINE_ORDER:
          /* Translators: a timeline line: order number, total, status. */
          what = g_strdup_printf (_("Order %s — %s, %s"), e->text != NULL ? e->text : id, money,
                                  crm_code_get_label (CRM_CODE_ORDER_STATUS, e->detail));
          break;
        case CRM_TIMELINE_REFUND:
          /* Translators: a timeline line: the refunded order's number, the amount. */
          what = g_strdup_printf (_("Refund on order %s — %s"), e->detail, money);
          break;
        case CRM_TIMELINE_FEEDBACK:
        default:
          /* Translators: a timeline line: feedback kind, its comment. */
          what = g_strdup_printf (_("Feedback (%s) — %s"), e->detail != NULL ? crm_feedback_kind_get_label (e->detail) : "",
                                  e->text != NULL ? e->text : "");
          break;
        }
      printf ("%s  %s\n", when, what);
    }
  if (more)
    printf ("%s\n", _("(older events not shown: use --limit)"));
}

static int
cmd_interaction_list (CrmStore  *store,
                      char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) customer = NULL;
  g_autoptr(GPtrArray) events = NULL;
  guint64 limit = 100;
  gboolean more = FALSE;

  if (opt_customer == NULL)
    return usage (_("interaction list needs --customer"));
  if (opt_limit != NULL && !crm_cli_parse_count ("--limit", opt_limit, 100000, &limit, &error))
    return usage (error->message);
  if (!g_uuid_string_is_valid (opt_customer))
    return usage (_("--customer needs a customer’s UUID"));
  if ((customer = crm_cli_load_customer (store, opt_customer, &error)) == NULL)
    return crm_cli_fail_error (error);

  events = crm_timeline_load (store, crm_entity_get_id (CRM_ENTITY (customer)), (guint) limit, &more, &error);
  if (events == NULL)
    return crm_cli_fail_error (error);
  if (crm_cli_get_json ())
    print_events_json (events, more);
  else
    print_events_text (events, more);
  return CRM_CLI_EXIT_OK;
}

const CrmCliCommand crm_cli_interaction_commands[] = {
  { "interaction add", NULL, N_("Log a contact with a customer: a call, visit, message or note"),
    0, 0, add_entries, FALSE, cmd_interaction_add },
  { "interaction list", NULL, N_("A customer’s timeline: contacts, orders, refunds and feedback, newest first"),
    0, 0, list_entries, FALSE, cmd_interaction_list },
  { NULL }
};

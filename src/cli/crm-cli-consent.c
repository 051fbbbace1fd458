/* crm-cli-consent.c: consent set, consent history.
 *
 *   clientele-cli consent set UUID --channel email|sms|phone|wechat (--granted | --withdrawn)
 *                             --source form|import|unsubscribe|manual [--at TIME] [--note TEXT]
 *   clientele-cli consent history UUID [--json]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <stdio.h>

#include "crm-consent.h"
#include "crm-format.h"
#include "crm-cli.h"

static char *opt_channel, *opt_source, *opt_at, *opt_note;
static gboolean opt_granted, opt_withdrawn;

static const GOptionEntry set_entries[] = {
  { "channel", 0, 0, G_OPTION_ARG_STRING, &opt_channel, N_("email, sms, phone or wechat (required)"), N_("CHANNEL") },
  { "granted", 0, 0, G_OPTION_ARG_NONE, &opt_granted, N_("The customer agreed"), NULL },
  { "withdrawn", 0, 0, G_OPTION_ARG_NONE, &opt_withdrawn, N_("The customer withdrew consent"), NULL },
  { "source", 0, 0, G_OPTION_ARG_STRING, &opt_source, N_("form, import, unsubscribe or manual (required)"), N_("SOURCE") },
  { "at", 0, 0, G_OPTION_ARG_STRING, &opt_at, N_("When: YYYY-MM-DD or YYYY-MM-DDTHH:MM, local time (default: now)"), N_("TIME") },
  { "note", 0, 0, G_OPTION_ARG_FILENAME, &opt_note, N_("A note, e.g. how the customer said so"), N_("TEXT") },
  { NULL }
};

static int
cmd_set (CrmStore  *store,
         char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) customer = NULL;
  CrmConsentChannel channel;
  gint64 at = 0;

  if (opt_channel == NULL || !crm_consent_channel_parse (opt_channel, &channel))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("consent set needs --channel email, sms, phone or wechat"));
  if (opt_granted == opt_withdrawn)
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("consent set needs either --granted or --withdrawn"));
  if (opt_source == NULL || !crm_consent_source_is_valid (opt_source))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("consent set needs --source form, import, unsubscribe or manual"));
  if (opt_at != NULL && !crm_cli_parse_time ("--at", opt_at, &at, &error))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", error->message);

  customer = crm_cli_load_customer (store, args[0], &error);
  if (customer == NULL)
    return crm_cli_fail_error (error);
  if (!crm_consent_record (store, crm_entity_get_id (CRM_ENTITY (customer)), channel, opt_granted, at,
                           opt_source, opt_note, &error))
    return crm_cli_fail_error (error);

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      gint64 current_at = 0;
      gboolean current = crm_consent_current (store, crm_entity_get_id (CRM_ENTITY (customer)), channel, &current_at, NULL);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "channel");
      json_builder_add_string_value (b, opt_channel);
      json_builder_set_member_name (b, "granted");
      json_builder_add_boolean_value (b, current);
      json_builder_set_member_name (b, "at");
      json_builder_add_int_value (b, current_at);
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  return CRM_CLI_EXIT_OK;
}

static int
cmd_history (CrmStore  *store,
             char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) customer = crm_cli_load_customer (store, args[0], &error);
  g_autoptr(GPtrArray) events = NULL;

  if (customer == NULL)
    return crm_cli_fail_error (error);
  events = crm_consent_history (store, crm_entity_get_id (CRM_ENTITY (customer)), &error);
  if (events == NULL)
    return crm_cli_fail_error (error);

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "current");
      json_builder_begin_object (b);
      for (CrmConsentChannel c = 0; c < CRM_CONSENT_N_CHANNELS; c++)
        {
          json_builder_set_member_name (b, crm_consent_channel_to_string (c));
          json_builder_add_boolean_value (b, crm_consent_current (store, crm_entity_get_id (CRM_ENTITY (customer)), c, NULL, NULL));
        }
      json_builder_end_object (b);
      json_builder_set_member_name (b, "history");
      json_builder_begin_array (b);
      for (guint i = 0; i < events->len; i++)
        {
          CrmConsentEvent *e = g_ptr_array_index (events, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "channel");
          json_builder_add_string_value (b, crm_consent_channel_to_string (e->channel));
          json_builder_set_member_name (b, "granted");
          json_builder_add_boolean_value (b, e->granted);
          json_builder_set_member_name (b, "at");
          json_builder_add_int_value (b, e->at);
          json_builder_set_member_name (b, "source");
          json_builder_add_string_value (b, e->source);
          json_builder_set_member_name (b, "note");
          if (e->note != NULL)
            json_builder_add_string_value (b, e->note);
          else
            json_builder_add_null_value (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      crm_cli_print_json (b);
      return CRM_CLI_EXIT_OK;
    }

  if (events->len == 0)
    printf ("%s\n", _("No consent recorded"));
  for (guint i = 0; i < events->len; i++)
    {
      CrmConsentEvent *e = g_ptr_array_index (events, i);
      g_autofree char *when = crm_format_date_time (e->at);

      printf ("%s  %-7s %-10s %-12s %s\n", when, crm_consent_channel_to_string (e->channel),
              e->granted ? _("granted") : _("withdrawn"), e->source, e->note != NULL ? e->note : "");
    }
  return CRM_CLI_EXIT_OK;
}

const CrmCliCommand crm_cli_consent_commands[] = {
  { "consent set", "UUID", N_("Record that a customer granted or withdrew consent on a channel"),
    1, 0, set_entries, FALSE, cmd_set },
  { "consent history", "UUID", N_("Show a customer's consent history, oldest first"), 1, 0, NULL, FALSE, cmd_history },
  { NULL }
};

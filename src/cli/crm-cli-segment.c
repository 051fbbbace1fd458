/* crm-cli-segment.c: recompute, segments and tiers from the command line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "crm-cli.h"
#include "crm-csv.h"
#include "crm-export.h"
#include "crm-format.h"
#include "crm-query.h"
#include "crm-recompute.h"
#include "crm-rule.h"
#include "crm-segment.h"
#include "crm-text.h"
#include "crm-tier.h"
#include "crm-tiers.h"

/* ---- recompute ------------------------------------------------------------------- */

static char *opt_as_of, *opt_window, *opt_new_days, *opt_at_risk, *opt_churn, *opt_single_at_risk, *opt_single_churn;

static const GOptionEntry recompute_entries[] = {
  { "as-of", 0, 0, G_OPTION_ARG_FILENAME, &opt_as_of, N_("End of the analysis window (default today)"), N_("YYYY-MM-DD") },
  { "window-days", 0, 0, G_OPTION_ARG_FILENAME, &opt_window, N_("Length of the analysis window in days (default 365, or as saved)"), N_("N") },
  { "new-days", 0, 0, G_OPTION_ARG_FILENAME, &opt_new_days, N_("A first order at most this many days ago makes a customer New (default 30)"), N_("N") },
  { "at-risk-factor", 0, 0, G_OPTION_ARG_FILENAME, &opt_at_risk, N_("At risk after this many times the customer's usual gap between orders (default 2)"), N_("K") },
  { "churn-factor", 0, 0, G_OPTION_ARG_FILENAME, &opt_churn, N_("Churned after this many times the usual gap (default 4)"), N_("K") },
  { "single-at-risk-days", 0, 0, G_OPTION_ARG_FILENAME, &opt_single_at_risk, N_("Customers with one order: at risk after this many days (default 90)"), N_("N") },
  { "single-churn-days", 0, 0, G_OPTION_ARG_FILENAME, &opt_single_churn, N_("Customers with one order: churned after this many days (default 180)"), N_("N") },
  { NULL }
};

/* A lifecycle limit from the command line; FALSE with a usage message if it is not a number. */
static gboolean
parse_limit (const char  *option,
             const char  *text,
             double      *out,
             GError     **error)
{
  char *end = NULL;
  double v;

  if (text == NULL || *text == '\0')
    return TRUE;
  v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !(v > 0) || v > 36500)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s: “%s” is not a positive number"), option, text);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  if (isatty (fileno (stderr)))
    {
      fprintf (stderr, "\r%3.0f %%", fraction * 100);
      if (fraction >= 1.0)
        fputc ('\n', stderr);
    }
}

static int
cmd_recompute (CrmStore  *store,
               char     **args)
{
  g_autoptr(GError) error = NULL;
  CrmRecomputeOptions options;
  CrmRecomputeReport report;

  crm_recompute_options_init (&options, store);

  if (opt_as_of != NULL && *opt_as_of && !crm_cli_parse_date ("--as-of", opt_as_of, &options.as_of, &error))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", error->message);
  {
    double new_days = options.lifecycle.new_days, single_risk = options.lifecycle.single_at_risk_days;
    double single_churn = options.lifecycle.single_churn_days;
    g_autofree char *json = NULL;
    CrmLifecycleRules check;

    if (!parse_limit ("--new-days", opt_new_days, &new_days, &error) ||
        !parse_limit ("--at-risk-factor", opt_at_risk, &options.lifecycle.at_risk_factor, &error) ||
        !parse_limit ("--churn-factor", opt_churn, &options.lifecycle.churn_factor, &error) ||
        !parse_limit ("--single-at-risk-days", opt_single_at_risk, &single_risk, &error) ||
        !parse_limit ("--single-churn-days", opt_single_churn, &single_churn, &error))
      return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", error->message);
    options.lifecycle.new_days = (int) new_days;
    options.lifecycle.single_at_risk_days = (int) single_risk;
    options.lifecycle.single_churn_days = (int) single_churn;

    /* The same consistency rules as a saved setting: churn never before at risk. */
    json = crm_lifecycle_rules_to_json (&options.lifecycle);
    if (!crm_lifecycle_rules_load (&check, json, &error))
      return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", error->message);
    /* Saved by the recompute, in its transaction. */
    options.save = opt_new_days || opt_at_risk || opt_churn || opt_single_at_risk || opt_single_churn;
  }

  if (opt_window != NULL && *opt_window)
    {
      guint64 days;

      if (!g_ascii_string_to_unsigned (opt_window, 10, 1, 36500, &days, NULL))
        return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("--window-days: “%s” is not a whole number from 1 to 36500"),
                             opt_window);
      options.window_days = days;
      options.save = TRUE;
    }

  if (!crm_recompute (store, &options, crm_cli_get_json () ? NULL : progress_cb, NULL, NULL, &report, &error))
    return crm_cli_fail_error (error);

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "customers");
      json_builder_add_int_value (b, report.customers);
      json_builder_set_member_name (b, "scored");
      json_builder_add_int_value (b, report.scored);
      json_builder_set_member_name (b, "window_days");
      json_builder_add_int_value (b, options.window_days);
      json_builder_set_member_name (b, "tier_changes");
      json_builder_add_int_value (b, report.tier_changes);
      json_builder_set_member_name (b, "lifecycle_changes");
      json_builder_add_int_value (b, report.lifecycle_changes);
      json_builder_set_member_name (b, "segments");
      json_builder_begin_object (b);
      for (int i = 1; i < CRM_RFM_N_SEGMENTS; i++)
        {
          json_builder_set_member_name (b, crm_rfm_segment_to_string (i));
          json_builder_add_int_value (b, report.segments[i]);
        }
      json_builder_end_object (b);
      json_builder_set_member_name (b, "stages");
      json_builder_begin_object (b);
      for (int i = 0; i < CRM_LIFECYCLE_N_STAGES; i++)
        {
          json_builder_set_member_name (b, crm_lifecycle_to_string (i));
          json_builder_add_int_value (b, report.stages[i]);
        }
      json_builder_end_object (b);
      json_builder_set_member_name (b, "seconds");
      json_builder_add_double_value (b, report.seconds);
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else
    {
      g_autofree char *customers = crm_format_count (report.customers);
      g_autofree char *scored = crm_format_count (report.scored);

      g_autofree char *tier_changes = crm_format_count (report.tier_changes);
      g_autofree char *stage_changes = crm_format_count (report.lifecycle_changes);

      printf (_("Recomputed %s customers in %.2f s: %s with RFM scores, %s tier changes, %s stage changes\n"),
              customers, report.seconds, scored, tier_changes, stage_changes);
      guint width = 0;

      for (int i = 1; i < CRM_RFM_N_SEGMENTS; i++)
        width = MAX (width, crm_cli_display_width (crm_rfm_segment_get_label (i)));
      for (int i = 1; i < CRM_RFM_N_SEGMENTS; i++)
        {
          g_autofree char *n = crm_format_count (report.segments[i]);

          fputs ("  ", stdout);
          crm_cli_print_padded (crm_rfm_segment_get_label (i), width + 2);
          crm_cli_print_right (n, 10);
          fputc ('\n', stdout);
        }
    }

  return CRM_CLI_EXIT_OK;
}

/* ---- segments ------------------------------------------------------------------------ */

static char *opt_rule, *opt_output, *opt_encoding;
static gboolean opt_bom, opt_replace;

static const GOptionEntry segment_entries[] = {
  { "rule", 0, 0, G_OPTION_ARG_FILENAME, &opt_rule, N_("The rule, as JSON, or - to read it from standard input (for “save”)"), N_("JSON") },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output, N_("File to write, - for standard output (for “export”)"), N_("FILE") },
  { "bom", 0, 0, G_OPTION_ARG_NONE, &opt_bom, N_("Start the CSV with a byte order mark, so Excel reads UTF-8"), NULL },
  { "replace", 0, 0, G_OPTION_ARG_NONE, &opt_replace, N_("Replace the rule of an existing segment of that name (for “save”)"), NULL },
  { "encoding", 0, 0, G_OPTION_ARG_FILENAME, &opt_encoding, N_("utf-8 (default) or gbk"), N_("ENCODING") },
  { NULL }
};

static CrmSegment *
find_segment (CrmStore    *store,
              const char  *name,
              GError     **error)
{
  g_autoptr(GPtrArray) all = crm_store_list_all (store, CRM_TYPE_SEGMENT, "position", error);

  if (all == NULL)
    return NULL;
  for (guint i = 0; i < all->len; i++)
    if (g_strcmp0 (crm_segment_get_name (g_ptr_array_index (all, i)), name) == 0)
      return g_object_ref (g_ptr_array_index (all, i));

  g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND, _("No segment named “%s”"), name);
  return NULL;
}

static CrmQuery *
segment_query (CrmSegment  *segment,
               GError     **error)
{
  g_autoptr(CrmRule) rule = crm_rule_new_from_json (crm_segment_get_rule (segment), error);
  CrmQuery *q;

  if (rule == NULL)
    return NULL;
  q = crm_query_new ();
  crm_query_set_rule (q, rule);
  return q;
}

static int
segment_list (CrmStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = crm_store_list_all (store, CRM_TYPE_SEGMENT, "position", &error);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (all == NULL)
    return crm_cli_fail_error (error);

  json_builder_begin_array (b);
  for (guint i = 0; i < all->len; i++)
    {
      CrmSegment *seg = g_ptr_array_index (all, i);
      g_autoptr(CrmQuery) q = segment_query (seg, NULL);
      gint64 count = q ? crm_query_count (q, store, NULL) : -1;

      if (crm_cli_get_json ())
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, crm_segment_get_name (seg));
          json_builder_set_member_name (b, "uuid");
          json_builder_add_string_value (b, crm_entity_get_uuid (CRM_ENTITY (seg)));
          json_builder_set_member_name (b, "customers");
          json_builder_add_int_value (b, count);
          json_builder_set_member_name (b, "rule");
          json_builder_add_string_value (b, crm_segment_get_rule (seg));
          json_builder_end_object (b);
        }
      else
        {
          g_autofree char *n = crm_format_count (count);

          crm_cli_print_padded (crm_segment_get_name (seg), 31);
          crm_cli_print_right (n, 10);
          fputc ('\n', stdout);
        }
    }
  json_builder_end_array (b);
  if (crm_cli_get_json ())
    crm_cli_print_json (b);
  else if (all->len == 0)
    printf (_("No saved segments. Save one with “%s segment save NAME --rule JSON”.\n"), CRM_CLI_PROGRAM);

  return CRM_CLI_EXIT_OK;
}

/* "--rule -": a long rule does not fit in one argument (Linux allows 128 KiB each). */
static char *
read_rule (GError **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char buf[65536];
  size_t n;

  while ((n = fread (buf, 1, sizeof buf, stdin)) > 0)
    g_string_append_len (text, buf, n);
  if (ferror (stdin))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not read the rule from standard input"));
      return NULL;
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static int
segment_save (CrmStore   *store,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRule) rule = NULL;
  g_autoptr(CrmSegment) seg = NULL;
  g_autofree char *json = NULL;
  g_autofree char *stdin_rule = NULL;

  if (opt_rule == NULL)
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("segment save needs --rule"));
  if (g_str_equal (opt_rule, "-") && !(stdin_rule = read_rule (&error)))
    return crm_cli_fail_error (error);
  if (!(rule = crm_rule_new_from_json (stdin_rule ? stdin_rule : opt_rule, &error)))
    return crm_cli_fail (CRM_CLI_EXIT_FAILED, "%s", error->message);
  json = crm_rule_to_json (rule);

  seg = find_segment (store, name, NULL);
  if (seg == NULL)
    {
      seg = crm_segment_new ();
      crm_segment_set_name (seg, name);
      crm_segment_set_position (seg, crm_store_count (store, CRM_TYPE_SEGMENT, NULL));
      crm_segment_set_rule (seg, json);
      if (!crm_store_insert (store, CRM_ENTITY (seg), &error))
        return crm_cli_fail_error (error);
    }
  else if (!opt_replace)
    return crm_cli_fail (CRM_CLI_EXIT_FAILED,
                         _("A segment named “%s” already exists; add --replace to replace its rule"), name);
  else
    {
      crm_segment_set_rule (seg, json);
      if (!crm_store_update (store, CRM_ENTITY (seg), &error))
        return crm_cli_fail_error (error);
    }

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "uuid");
      json_builder_add_string_value (b, crm_entity_get_uuid (CRM_ENTITY (seg)));
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else
    printf ("%s\n", crm_entity_get_uuid (CRM_ENTITY (seg)));

  return CRM_CLI_EXIT_OK;
}

static int
cmd_segment (CrmStore  *store,
             char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmSegment) seg = NULL;
  g_autoptr(CrmQuery) q = NULL;
  const char *verb = args[0];
  const char *name = args[1];

  if (g_str_equal (verb, "list"))
    return name ? crm_cli_fail (CRM_CLI_EXIT_USAGE, _("segment list takes no name")) : segment_list (store);

  if (!g_str_equal (verb, "count") && !g_str_equal (verb, "export") &&
      !g_str_equal (verb, "save") && !g_str_equal (verb, "delete"))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("segment: unknown action “%s” (list, count, export, save, delete)"), verb);
  if (name == NULL)
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("segment %s needs a NAME"), verb);
  if (!crm_text_validate (name, -1, 200, _("Segment name"), &error))
    return crm_cli_fail_error (error);

  if (g_str_equal (verb, "save"))
    return segment_save (store, name);

  if (!(seg = find_segment (store, name, &error)))
    return crm_cli_fail_error (error);

  if (g_str_equal (verb, "delete"))
    {
      if (!crm_store_delete (store, CRM_ENTITY (seg), &error))
        return crm_cli_fail_error (error);
      return CRM_CLI_EXIT_OK;
    }

  if (!(q = segment_query (seg, &error)))
    return crm_cli_fail_error (error);

  if (g_str_equal (verb, "count"))
    {
      gint64 n = crm_query_count (q, store, &error);

      if (n < 0)
        return crm_cli_fail_error (error);
      if (crm_cli_get_json ())
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, name);
          json_builder_set_member_name (b, "customers");
          json_builder_add_int_value (b, n);
          json_builder_end_object (b);
          crm_cli_print_json (b);
        }
      else
        printf ("%" G_GINT64_FORMAT "\n", n);
      return CRM_CLI_EXIT_OK;
    }

  /* export */
  {
    CrmCsvEncoding encoding = opt_bom ? CRM_CSV_ENCODING_UTF8_BOM : CRM_CSV_ENCODING_UTF8;
    guint64 rows = 0;

    if (opt_output == NULL)
      return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("segment export needs -o FILE"));
    if (opt_encoding != NULL && g_ascii_strcasecmp (opt_encoding, "gbk") == 0)
      encoding = CRM_CSV_ENCODING_GBK;
    else if (opt_encoding != NULL && g_ascii_strcasecmp (opt_encoding, "utf-8") != 0 &&
             g_ascii_strcasecmp (opt_encoding, "utf8") != 0)
      return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("--encoding: “%s” is not utf-8 or gbk"), opt_encoding);

    if (!crm_export_customers_csv (store, q, opt_output, encoding, NULL, NULL, NULL, &rows, &error))
      return crm_cli_fail_error (error);

    crm_cli_print_written (rows, opt_output);
  }

  return CRM_CLI_EXIT_OK;
}

/* ---- tiers ------------------------------------------------------------------------------ */

static int
cmd_tier (CrmStore  *store,
          char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tiers = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *currency = crm_store_get_setting (store, "currency");
  sqlite3_stmt *count;

  if (!g_str_equal (args[0], "list"))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("tier: unknown action “%s” (list)"), args[0]);

  if (!crm_tiers_ensure_default (store, &error) ||
      !(tiers = crm_store_list_all (store, CRM_TYPE_TIER, "rank", &error)) ||
      !(count = crm_store_prepare (store, "SELECT count(*) FROM customer_state WHERE deleted = 0 AND tier_id = ?", &error)))
    return crm_cli_fail_error (error);

  json_builder_begin_array (b);
  for (guint i = tiers->len; i-- > 0;)
    {
      CrmTier *t = g_ptr_array_index (tiers, i);
      g_autofree char *rule = crm_tier_describe_rule (t, currency ? currency : "CNY");
      gint64 members = 0;

      sqlite3_bind_int64 (count, 1, crm_entity_get_id (CRM_ENTITY (t)));
      if (sqlite3_step (count) == SQLITE_ROW)
        members = sqlite3_column_int64 (count, 0);
      sqlite3_reset (count);

      if (crm_cli_get_json ())
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, crm_tier_get_display_name (t));
          json_builder_set_member_name (b, "preset");
          json_builder_add_string_value (b, crm_tier_get_preset (t));
          json_builder_set_member_name (b, "rank");
          json_builder_add_int_value (b, crm_tier_get_rank (t));
          json_builder_set_member_name (b, "min_spend");
          json_builder_add_int_value (b, crm_tier_get_min_spend (t));
          json_builder_set_member_name (b, "min_orders");
          json_builder_add_int_value (b, crm_tier_get_min_orders (t));
          json_builder_set_member_name (b, "rfm_rule");
          json_builder_add_string_value (b, crm_tier_get_rfm_rule (t));
          json_builder_set_member_name (b, "match_any");
          json_builder_add_boolean_value (b, crm_tier_get_match_any (t));
          json_builder_set_member_name (b, "members");
          json_builder_add_int_value (b, members);
          json_builder_end_object (b);
        }
      else
        {
          g_autofree char *n = crm_format_count (members);

          printf ("%-3" G_GINT64_FORMAT " ", crm_tier_get_rank (t));
          crm_cli_print_padded (crm_tier_get_display_name (t), 17);
          crm_cli_print_right (n, 10);
          printf ("  %s\n", rule);
        }
    }
  json_builder_end_array (b);
  if (crm_cli_get_json ())
    crm_cli_print_json (b);

  return CRM_CLI_EXIT_OK;
}

const CrmCliCommand crm_cli_segment_commands[] = {
  { "recompute", NULL, N_("Compute RFM scores, tiers and lifecycle stages for every customer"), 0, 0,
    recompute_entries, FALSE, cmd_recompute },
  { "segment", "list|count|export|save|delete [NAME]", N_("Saved segments: list them, count or export one"), 1, 2,
    segment_entries, FALSE, cmd_segment },
  { "tier", "list", N_("Value tiers with their rules and members"), 1, 0, NULL, FALSE, cmd_tier },
  { NULL }
};

/* crm-cli-analytics.c: customer value from the command line — CLV models,
 * recommendations and the PDF report.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "crm-cli.h"
#include "crm-csv-writer.h"
#include "crm-dashboard-data.h"
#include "crm-format.h"
#include "crm-predict.h"
#include "crm-recommend.h"
#include "crm-report.h"

/* ---- clv fit | score --------------------------------------------------------------- */

static char *opt_calibration_end;

static const GOptionEntry clv_entries[] = {
  { "calibration-end", 0, 0, G_OPTION_ARG_FILENAME, &opt_calibration_end,
    N_("Use the orders up to this day (default today)"), N_("YYYY-MM-DD") },
  { NULL }
};

static void
add_double (JsonBuilder *b,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (b, name);
  if (isfinite (value))
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
print_model (const CrmPredictModel *m,
             const CrmPredictReport *report)
{
  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      add_double (b, "r", m->bgnbd.r);
      add_double (b, "alpha", m->bgnbd.alpha);
      add_double (b, "a", m->bgnbd.a);
      add_double (b, "b", m->bgnbd.b);
      add_double (b, "bgnbd_log_likelihood", m->bgnbd_info.log_likelihood);
      add_double (b, "p", m->gamma_gamma.p);
      add_double (b, "q", m->gamma_gamma.q);
      add_double (b, "gamma", m->gamma_gamma.gamma);
      add_double (b, "gamma_gamma_log_likelihood", m->gamma_gamma_info.log_likelihood);
      json_builder_set_member_name (b, "customers");
      json_builder_add_int_value (b, m->n_customers);
      json_builder_set_member_name (b, "repeat_buyers");
      json_builder_add_int_value (b, m->n_repeat_buyers);
      if (report != NULL)
        {
          json_builder_set_member_name (b, "scored");
          json_builder_add_int_value (b, report->customers);
          json_builder_set_member_name (b, "not_computed");
          json_builder_add_int_value (b, report->not_computed);
          json_builder_set_member_name (b, "risk");
          json_builder_begin_object (b);
          for (int i = 0; i < CRM_CHURN_RISK_N; i++)
            {
              json_builder_set_member_name (b, crm_churn_risk_to_string (i));
              json_builder_add_int_value (b, report->risk[i]);
            }
          json_builder_end_object (b);
          add_double (b, "seconds", report->seconds);
        }
      json_builder_end_object (b);
      crm_cli_print_json (b);
      return;
    }

  printf (_("BG/NBD:      r = %.4f  alpha = %.4f  a = %.4f  b = %.4f  (log-likelihood %.2f)\n"),
          m->bgnbd.r, m->bgnbd.alpha, m->bgnbd.a, m->bgnbd.b, m->bgnbd_info.log_likelihood);
  printf (_("Gamma-Gamma: p = %.4f  q = %.4f  gamma = %.4f  (log-likelihood %.2f)\n"),
          m->gamma_gamma.p, m->gamma_gamma.q, m->gamma_gamma.gamma, m->gamma_gamma_info.log_likelihood);
  {
    g_autofree char *fitted = crm_format_count (m->n_customers);
    g_autofree char *repeat = crm_format_count (m->n_repeat_buyers);

    printf (_("Fitted on %s customers, %s of them repeat buyers\n"), fitted, repeat);
  }
  if (report != NULL)
    {
      g_autofree char *scored = crm_format_count (report->customers);
      g_autofree char *low = crm_format_count (report->risk[CRM_CHURN_RISK_LOW]);
      g_autofree char *medium = crm_format_count (report->risk[CRM_CHURN_RISK_MEDIUM]);
      g_autofree char *high = crm_format_count (report->risk[CRM_CHURN_RISK_HIGH]);

      printf (_("Scored %s customers in %.2f s: %s low, %s medium, %s high churn risk\n"),
              scored, report->seconds, low, medium, high);
    }
}

static int
cmd_clv (CrmStore  *store,
         char     **args)
{
  g_autoptr(GError) error = NULL;
  CrmPredictOptions options;

  crm_predict_options_init (&options, store);
  if (opt_calibration_end != NULL && *opt_calibration_end &&
      !crm_cli_parse_date ("--calibration-end", opt_calibration_end, &options.calibration_end, &error))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", error->message);

  if (g_str_equal (args[0], "fit"))
    {
      g_autoptr(CrmPredictSummary) summary = crm_predict_summarize (store, options.calibration_end, NULL, &error);
      CrmPredictModel model;

      if (summary == NULL || !crm_predict_fit (summary, &model, &error))
        return crm_cli_fail_error (error);
      print_model (&model, NULL);
      return CRM_CLI_EXIT_OK;
    }

  if (g_str_equal (args[0], "score"))
    {
      CrmPredictReport report;

      if (!crm_predict_run (store, &options, NULL, NULL, NULL, &report, &error))
        return crm_cli_fail_error (error);
      print_model (&report.model, &report);
      return CRM_CLI_EXIT_OK;
    }

  return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("clv: unknown action “%s” (fit, score)"), args[0]);
}

/* ---- recommend UUID ------------------------------------------------------------------ */

static char *opt_limit, *opt_rec_output;
static gboolean opt_rec_all;

static const GOptionEntry recommend_entries[] = {
  { "limit", 'n', 0, G_OPTION_ARG_FILENAME, &opt_limit, N_("How many products per customer (default 5)"), N_("N") },
  { "all", 0, 0, G_OPTION_ARG_NONE, &opt_rec_all, N_("Every customer with orders (with -o)"), NULL },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_rec_output, N_("Write the recommendations to a CSV file (- for standard output)"), N_("FILE") },
  { NULL }
};

/* Pairs are computed once and kept; the first call pays for them. */
static gboolean
ensure_pairs (CrmStore  *store,
              GError   **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store, "SELECT EXISTS (SELECT 1 FROM product_stats)", error);
  gboolean have = FALSE;
  CrmRecommendOptions options;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    have = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  if (have)
    return TRUE;

  crm_recommend_options_init (&options);
  return crm_recommend_compute (store, &options, NULL, NULL, NULL, NULL, error);
}

static int
export_recommendations (CrmStore   *store,
                        gint64      customer_id,
                        guint       limit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCsvWriter) writer = crm_csv_writer_new_for_path (opt_rec_output, CRM_CSV_ENCODING_UTF8, &error);

  if (writer == NULL ||
      !crm_recommend_export_csv (store, writer, customer_id ? &customer_id : NULL, customer_id ? 1 : 0,
                                 limit, NULL, &error) ||
      !crm_csv_writer_close (writer, NULL, &error))
    return crm_cli_fail_error (error);

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, opt_rec_output);
      json_builder_set_member_name (b, "rows");
      json_builder_add_int_value (b, crm_csv_writer_get_n_records (writer) - 1);
      json_builder_end_object (b);
      crm_cli_print_json_to (crm_cli_summary_stream (opt_rec_output), b);
    }
  else
    fprintf (crm_cli_summary_stream (opt_rec_output), _("Wrote the recommendations to %s\n"), opt_rec_output);

  return CRM_CLI_EXIT_OK;
}

static int
cmd_recommend (CrmStore  *store,
               char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) customer = NULL;
  g_autoptr(GPtrArray) recs = NULL;
  guint64 limit = 5;

  if (opt_limit != NULL && *opt_limit && !g_ascii_string_to_unsigned (opt_limit, 10, 1, 1000, &limit, NULL))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("--limit: “%s” is not a whole number from 1 to 1000"), opt_limit);

  if (opt_rec_all)
    {
      if (args[0] != NULL)
        return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("recommend: give a UUID or --all, not both"));
      if (opt_rec_output == NULL)
        return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("recommend --all needs -o FILE"));
      if (!ensure_pairs (store, &error))
        return crm_cli_fail_error (error);
      return export_recommendations (store, 0, limit);
    }
  if (args[0] == NULL)
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("recommend needs a UUID or --all"));

  customer = crm_cli_load_customer (store, args[0], &error);
  if (customer == NULL)
    return crm_cli_fail (g_error_matches (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE)
                           ? CRM_CLI_EXIT_USAGE : CRM_CLI_EXIT_FAILED, "%s", error->message);

  if (!ensure_pairs (store, &error))
    return crm_cli_fail_error (error);
  if (opt_rec_output != NULL)
    return export_recommendations (store, crm_entity_get_id (CRM_ENTITY (customer)), limit);

  recs = crm_recommend_for_customer (store, crm_entity_get_id (CRM_ENTITY (customer)), limit, &error);
  if (recs == NULL)
    return crm_cli_fail_error (error);

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < recs->len; i++)
        {
          CrmRecommendation *r = g_ptr_array_index (recs, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "product");
          json_builder_add_string_value (b, r->product);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, r->name);
          json_builder_set_member_name (b, "category");
          json_builder_add_string_value (b, r->category);
          add_double (b, "score", r->score);
          add_double (b, "lift", r->lift);
          json_builder_set_member_name (b, "because");
          json_builder_add_string_value (b, r->because);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      crm_cli_print_json (b);
    }
  else if (recs->len == 0)
    printf (_("No recommendations for %s yet: they need orders with several products.\n"),
            crm_customer_get_name (customer));
  else
    for (guint i = 0; i < recs->len; i++)
      {
        CrmRecommendation *r = g_ptr_array_index (recs, i);
        /* Translators: "1. Green tea (Tea) — bought with Teapot" */
        printf (_("%u. %s (%s) — bought with %s\n"), i + 1, r->name ? r->name : r->product,
                r->category ? r->category : "", r->because ? r->because : "");
      }

  return CRM_CLI_EXIT_OK;
}

/* ---- report --pdf FILE ----------------------------------------------------------------- */

static char *opt_pdf, *opt_period;

static const GOptionEntry report_entries[] = {
  { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &opt_pdf, N_("Write the report to this PDF file, - for standard output (required)"), N_("FILE") },
  { "period", 0, 0, G_OPTION_ARG_FILENAME, &opt_period, N_("30, 90, 365 or all (default 30)"), N_("DAYS") },
  { NULL }
};

static int
cmd_report (CrmStore  *store,
            char     **args)
{
  g_autoptr(GError) error = NULL;
  CrmDashboardPeriod period;

  if (opt_pdf == NULL || *opt_pdf == '\0')
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("report needs --pdf FILE"));
  if (!crm_dashboard_period_parse (opt_period && *opt_period ? opt_period : "30", &period))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("--period: “%s” is not 30, 90, 365 or all"), opt_period);

  if (!crm_report_write_pdf (store, period, opt_pdf, NULL, &error))
    return crm_cli_fail_error (error);

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, opt_pdf);
      json_builder_set_member_name (b, "pages");
      json_builder_add_int_value (b, CRM_REPORT_N_PAGES);
      json_builder_end_object (b);
      crm_cli_print_json_to (crm_cli_summary_stream (opt_pdf), b);
    }
  else
    fprintf (crm_cli_summary_stream (opt_pdf), _("Wrote the report to %s\n"), opt_pdf);

  return CRM_CLI_EXIT_OK;
}

const CrmCliCommand crm_cli_analytics_commands[] = {
  { "clv", "fit|score", N_("Fit the customer-value models (BG/NBD, Gamma-Gamma) or score every customer"), 1, 0,
    clv_entries, FALSE, cmd_clv },
  { "recommend", "UUID | --all -o FILE", N_("Products a customer is likely to buy next"), 0, 1,
    recommend_entries, FALSE, cmd_recommend },
  { "report", NULL, N_("Write the dashboard as a PDF report"), 0, 0, report_entries, FALSE, cmd_report },
  { NULL }
};

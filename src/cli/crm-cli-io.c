/* crm-cli-io.c: import and export commands of clientele-cli.
 *
 *   import customers|orders FILE [--encoding ENC] [--delimiter C] [--map 'Source=field,…']
 *          [--on-duplicate skip|update|create] [--rejects FILE] [--decimal-comma] [--day-first]
 *   export customers|orders [--format csv|vcard] [--bom] [--encoding gbk] [--search TEXT] -o FILE
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "crm-cli.h"
#include "crm-export.h"
#include "crm-import.h"
#include "crm-vcard.h"

static char *opt_encoding;
static char *opt_delimiter;
static char *opt_map;
static char *opt_on_duplicate;
static char *opt_rejects;
static gboolean opt_decimal_comma;
static gboolean opt_day_first;
static char *opt_format;
static gboolean opt_bom;
static char *opt_search;
static char *opt_sort;
static char *opt_output;
static char *opt_headers;

static const GOptionEntry import_entries[] = {
  { "encoding", 0, 0, G_OPTION_ARG_STRING, &opt_encoding, N_("File encoding: utf-8, utf-16, gbk, gb18030, windows-1252 (default: detect)"), N_("ENC") },
  { "delimiter", 0, 0, G_OPTION_ARG_STRING, &opt_delimiter, N_("Cell delimiter: , ; tab or | (default: detect)"), N_("C") },
  { "map", 0, 0, G_OPTION_ARG_STRING, &opt_map, N_("Column mapping, e.g. 'Kunde=name,Telefon=phone'"), N_("MAP") },
  { "on-duplicate", 0, 0, G_OPTION_ARG_STRING, &opt_on_duplicate, N_("skip (default), update or create"), N_("POLICY") },
  { "rejects", 0, 0, G_OPTION_ARG_FILENAME, &opt_rejects, N_("Write refused rows and the reasons to FILE (- for standard output)"), N_("FILE") },
  { "decimal-comma", 0, 0, G_OPTION_ARG_NONE, &opt_decimal_comma, N_("Amounts are written 1.234,50"), NULL },
  { "day-first", 0, 0, G_OPTION_ARG_NONE, &opt_day_first, N_("Dates are written day first (05/03/2024 = 5 March)"), NULL },
  { NULL }
};

static const GOptionEntry export_entries[] = {
  { "format", 0, 0, G_OPTION_ARG_STRING, &opt_format, N_("csv (default), vcard (3.0) or vcard4"), N_("FORMAT") },
  { "bom", 0, 0, G_OPTION_ARG_NONE, &opt_bom, N_("UTF-8 with a byte order mark (for Excel)"), NULL },
  { "encoding", 0, 0, G_OPTION_ARG_STRING, &opt_encoding, N_("utf-8 (default) or gbk"), N_("ENC") },
  { "search", 's', 0, G_OPTION_ARG_STRING, &opt_search, N_("Only customers matching TEXT"), N_("TEXT") },
  { "sort", 0, 0, G_OPTION_ARG_STRING, &opt_sort, N_("Customers in the order of COLUMN, e.g. name or total_spent (default: the order they were added)"), N_("COLUMN") },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output, N_("File to write, - for standard output (required)"), N_("FILE") },
  { "headers", 0, 0, G_OPTION_ARG_STRING, &opt_headers, N_("machine (default: stable field keys, for importing back) or local (names and values in your language, for people)"), N_("KIND") },
  { NULL }
};

static gboolean
parse_encoding (const char     *text,
                CrmCsvEncoding *out)
{
  static const struct { const char *name; CrmCsvEncoding enc; } map[] = {
    { "utf-8", CRM_CSV_ENCODING_UTF8 }, { "utf8", CRM_CSV_ENCODING_UTF8 },
    { "utf-8-bom", CRM_CSV_ENCODING_UTF8_BOM }, { "utf-16", CRM_CSV_ENCODING_UTF16LE },
    { "utf-16le", CRM_CSV_ENCODING_UTF16LE }, { "utf-16be", CRM_CSV_ENCODING_UTF16BE },
    { "gbk", CRM_CSV_ENCODING_GBK }, { "cp936", CRM_CSV_ENCODING_GBK },
    { "gb18030", CRM_CSV_ENCODING_GB18030 }, { "gb2312", CRM_CSV_ENCODING_GB18030 },
    { "windows-1252", CRM_CSV_ENCODING_WINDOWS_1252 }, { "cp1252", CRM_CSV_ENCODING_WINDOWS_1252 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_ascii_strcasecmp (text, map[i].name) == 0)
      {
        *out = map[i].enc;
        return TRUE;
      }
  return FALSE;
}

static int
cmd_import (CrmStore  *store,
            char     **args)
{
  g_autoptr(CrmImporter) imp = NULL;
  g_autoptr(GError) error = NULL;
  const CrmImportReport *r;
  CrmImportKind kind;

  if (g_str_equal (args[0], "customers"))
    kind = CRM_IMPORT_CUSTOMERS;
  else if (g_str_equal (args[0], "orders"))
    kind = CRM_IMPORT_ORDERS;
  else
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("import what? Use “customers” or “orders”, not “%s”"), args[0]);

  imp = crm_importer_new (store, kind, args[1]);
  if (opt_encoding != NULL)
    {
      CrmCsvEncoding enc;
      if (!parse_encoding (opt_encoding, &enc))
        return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("Unknown encoding “%s”"), opt_encoding);
      crm_importer_set_encoding (imp, enc);
    }
  if (opt_delimiter != NULL)
    {
      char d = g_ascii_strcasecmp (opt_delimiter, "tab") == 0 || g_str_equal (opt_delimiter, "\\t") ? '\t' : opt_delimiter[0];
      if (strlen (opt_delimiter) != 1 && d != '\t')
        return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("The delimiter is one character, or “tab”"));
      if (d == '"' || d == '\n' || d == '\r' || (guchar) d >= 128)
        return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("“%s” cannot be a delimiter"), opt_delimiter);
      crm_importer_set_delimiter (imp, d);
    }
  if (opt_on_duplicate == NULL || g_str_equal (opt_on_duplicate, "skip"))
    crm_importer_set_duplicate_policy (imp, CRM_DUPLICATE_SKIP);
  else if (g_str_equal (opt_on_duplicate, "update"))
    crm_importer_set_duplicate_policy (imp, CRM_DUPLICATE_UPDATE);
  else if (g_str_equal (opt_on_duplicate, "create"))
    crm_importer_set_duplicate_policy (imp, CRM_DUPLICATE_CREATE);
  else
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("--on-duplicate takes skip, update or create"));
  crm_importer_set_decimal_comma (imp, opt_decimal_comma);
  crm_importer_set_date_order (imp, opt_day_first ? CRM_DATE_DAY_FIRST : CRM_DATE_MONTH_FIRST);
  if (opt_rejects != NULL)
    crm_importer_set_rejects_path (imp, opt_rejects);

  if (!crm_importer_prepare (imp, NULL, &error))
    return crm_cli_fail_error (error);
  if (opt_map != NULL && !crm_importer_set_mapping_string (imp, opt_map, &error))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", error->message);
  if (!crm_importer_run (imp, NULL, NULL, NULL, &error))
    return crm_cli_fail_error (error);

  r = crm_importer_get_report (imp);
  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
#define MEMBER(name, value) json_builder_set_member_name (b, name); json_builder_add_int_value (b, value)
      json_builder_set_member_name (b, "format");
      json_builder_add_string_value (b, crm_import_format_get_label (crm_importer_get_format (imp)));
      MEMBER ("rows", r->rows);
      MEMBER ("inserted", r->inserted);
      MEMBER ("updated", r->updated);
      MEMBER ("skipped", r->skipped);
      MEMBER ("rejected", r->rejected);
      MEMBER ("customers_created", r->customers_created);
      MEMBER ("order_lines", r->order_lines);
#undef MEMBER
      json_builder_set_member_name (b, "rejects");
      json_builder_begin_array (b);
      for (guint i = 0; i < crm_importer_get_n_rejects (imp); i++)
        {
          const CrmImportReject *rej = crm_importer_get_reject (imp, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "line");
          json_builder_add_int_value (b, rej->line);
          json_builder_set_member_name (b, "column");
          json_builder_add_string_value (b, rej->column_name);
          json_builder_set_member_name (b, "reason");
          json_builder_add_string_value (b, rej->reason);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      /* Values of imported rows that could not be used as they were (issue 12). */
      json_builder_set_member_name (b, "warning_count");
      json_builder_add_int_value (b, r->warnings);
      json_builder_set_member_name (b, "warnings");
      json_builder_begin_array (b);
      for (guint i = 0; i < crm_importer_get_n_warnings (imp); i++)
        {
          const CrmImportWarning *w = crm_importer_get_warning (imp, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "line");
          json_builder_add_int_value (b, w->line);
          json_builder_set_member_name (b, "column");
          json_builder_add_string_value (b, w->column_name);
          json_builder_set_member_name (b, "message");
          json_builder_add_string_value (b, w->message);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      crm_cli_print_json_to (crm_cli_summary_stream (opt_rejects), b);
    }
  else
    {
      fprintf (crm_cli_summary_stream (opt_rejects),
               _("%s: %" PRIu64 " added, %" PRIu64 " updated, %" PRIu64
                 " skipped, %" PRIu64 " refused in %.1f s\n"),
               crm_import_format_get_label (crm_importer_get_format (imp)),
               r->inserted, r->updated, r->skipped, r->rejected, r->seconds);
      for (guint i = 0; i < MIN (crm_importer_get_n_rejects (imp), 20u); i++)
        {
          const CrmImportReject *rej = crm_importer_get_reject (imp, i);
          fprintf (stderr, _("line %" PRIu64 "%s%s: %s\n"), rej->line,
                   rej->column_name ? ", " : "", rej->column_name ? rej->column_name : "", rej->reason);
        }
      if (r->warnings > 0)
        fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " value was not imported as it was:\n",
                                      "%" PRIu64 " values were not imported as they were:\n", r->warnings),
                 r->warnings);
      for (guint i = 0; i < MIN (crm_importer_get_n_warnings (imp), 20u); i++)
        {
          const CrmImportWarning *w = crm_importer_get_warning (imp, i);
          /* Translators: a value imported differently: line, ", column" or "", what was done */
          fprintf (stderr, _("warning: line %" PRIu64 "%s%s: %s\n"), w->line,
                   w->column_name ? ", " : "", w->column_name ? w->column_name : "", w->message);
        }
      if (crm_importer_get_n_warnings (imp) > 20)
        fprintf (stderr, _("(and %" PRIu64 " more warnings: --json lists them all)\n"),
                 r->warnings - 20);
    }
  return CRM_CLI_EXIT_OK;
}

static int
cmd_export (CrmStore  *store,
            char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmQuery) query = crm_query_new ();
  CrmCsvEncoding enc = opt_bom ? CRM_CSV_ENCODING_UTF8_BOM : CRM_CSV_ENCODING_UTF8;
  gboolean customers = g_str_equal (args[0], "customers");
  guint64 rows = 0;
  gboolean ok;

  if (!customers && !g_str_equal (args[0], "orders"))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("export what? Use “customers” or “orders”, not “%s”"), args[0]);
  if (opt_output == NULL)
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("Say where to write with -o FILE"));
  if (opt_encoding != NULL)
    {
      if (!parse_encoding (opt_encoding, &enc) || (enc != CRM_CSV_ENCODING_UTF8 && enc != CRM_CSV_ENCODING_GBK &&
                                                   enc != CRM_CSV_ENCODING_GB18030))
        return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("Export encodings are utf-8 and gbk"));
      if (opt_bom && enc == CRM_CSV_ENCODING_UTF8)
        enc = CRM_CSV_ENCODING_UTF8_BOM;
    }
  if (opt_headers != NULL && !g_str_equal (opt_headers, "machine") && !g_str_equal (opt_headers, "local"))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("--headers takes machine or local, not “%s”"), opt_headers);
  if (opt_search != NULL)
    crm_query_set_search_text (query, opt_search);
  /* A dump in the order the rows were added, like other databases' export tools: the rows
   * are read in the table's own order, twice as fast as in name order (bench/RESULTS.md). */
  if (!crm_query_set_sort (query, opt_sort != NULL ? opt_sort : "id", FALSE, &error))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", error->message);

  if (opt_format != NULL && g_str_has_prefix (opt_format, "vcard"))
    {
      if (!customers)
        return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("Only customers can be exported as vCards"));
      ok = crm_vcard_export_customers (store, query, opt_output,
                                       g_str_equal (opt_format, "vcard4") ? CRM_VCARD_VERSION_4_0 : CRM_VCARD_VERSION_3_0,
                                       NULL, NULL, NULL, &rows, &error);
    }
  else if (opt_format != NULL && !g_str_equal (opt_format, "csv"))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("--format takes csv, vcard or vcard4"));
  else if (customers)
    ok = crm_export_customers_csv_full (store, query, opt_output, enc, g_strcmp0 (opt_headers, "local") == 0,
                                        NULL, NULL, NULL, &rows, &error);
  else
    ok = crm_export_orders_csv (store, 0, opt_output, enc, NULL, NULL, NULL, &rows, &error);

  if (!ok)
    return crm_cli_fail_error (error);
  crm_cli_print_written (rows, opt_output);
  return CRM_CLI_EXIT_OK;
}

const CrmCliCommand crm_cli_io_commands[] = {
  { "import", "customers|orders FILE", N_("Import customers or orders from CSV (Shopify, WooCommerce, any spreadsheet) or vCards"),
    2, 0, import_entries, TRUE, cmd_import },
  { "export", "customers|orders", N_("Export customers (CSV or vCard) or orders (CSV)"), 1, 0, export_entries, FALSE, cmd_export },
  { NULL }
};

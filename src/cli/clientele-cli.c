/* clientele-cli.c: the same core as the app, for scripts, cron jobs and benchmarks.
 *
 *   clientele-cli [--database PATH] [--json] COMMAND [OPTIONS…] [ARGUMENTS…]
 *
 * Exit status: 0 success; 1 the command was understood but failed (database error,
 * no such customer, input refused such as invalid UTF-8 or a malformed e-mail
 * address, cancelled); 2 the command line itself is wrong (unknown command or
 * option, missing required option, malformed number or UUID, wrong number of
 * arguments).  On failure exactly one line goes to stderr: "clientele-cli: …".
 *
 * Output is UTF-8 whatever the locale: scripts get the stored text byte for byte.
 *
 * This file holds main(), the global options, the output helpers the command
 * files share (crm-cli.h) and init and stats; the other commands live in a file
 * per room (crm-cli-customers.c, crm-cli-generate.c, crm-cli-segment.c,
 * crm-cli-analytics.c, crm-cli-io.c, crm-cli-settings.c), each with its own table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <inttypes.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "crm-format.h"
#include "crm-paths.h"
#include "crm-order.h"
#include "crm-session.h"
#include "crm-store.h"
#include "crm-text.h"
#include "crm-cli.h"
#include "crm-secret.h"

#define PROGRAM CRM_CLI_PROGRAM

enum
{
  EXIT_OK = CRM_CLI_EXIT_OK,
  EXIT_FAILED = CRM_CLI_EXIT_FAILED,
  EXIT_USAGE = CRM_CLI_EXIT_USAGE,
};

/* Table cells -------------------------------------------------------------- */

/* Terminal columns @s takes: a CJK character two, a combining mark none. */
guint
crm_cli_display_width (const char *s)
{
  guint w = 0;

  for (const char *p = s; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_iszerowidth (c))
        continue;
      w += g_unichar_iswide (c) ? 2 : 1;
    }
  return w;
}

void
crm_cli_print_padded (const char *s,
                      guint       width)
{
  guint w = crm_cli_display_width (s);

  fputs (s, stdout);
  for (; w < width; w++)
    fputc (' ', stdout);
}

void
crm_cli_print_right (const char *s,
                     guint       width)
{
  for (guint w = crm_cli_display_width (s); w < width; w++)
    fputc (' ', stdout);
  fputs (s, stdout);
}

/* Global options: accepted before the command and after it. */
static char *opt_database;
static char *opt_wait;
static gboolean opt_json;
static gboolean opt_version;

static const GOptionEntry global_entries[] = {
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, &opt_database,
    N_("Database file (default: $CLIENTELE_DB, else ~/.local/share/clientele/clientele.db)"), N_("PATH") },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Print the result as JSON"), NULL },
  { "wait", 0, 0, G_OPTION_ARG_FILENAME, &opt_wait,
    N_("While another program writes to the database, wait up to this long (default 600)"), N_("SECONDS") },
  { NULL }
};

typedef CrmCliCommand Command;

/* ---- output helpers ------------------------------------------------------------- */

/* Error and warning lines are one line each, whatever the message holds. */
static void
print_line (FILE       *stream,
            const char *prefix,
            const char *message)
{
  g_autofree char *valid = g_utf8_make_valid (message, -1);

  g_strdelimit (valid, "\r\n", ' ');
  fprintf (stream, "%s: %s%s\n", PROGRAM, prefix, valid);
  fflush (stream);
}

/* The one-line failure of crm-cli.h, by its short name in this file. */
#define fail crm_cli_fail

static int
fail_error (const GError *error)
{
  return fail (EXIT_FAILED, "%s", error->message);
}

static void
warn (const char *message)
{
  /* Translators: prefix of a warning line, e.g. "clientele-cli: warning: …" */
  print_line (stderr, _("warning: "), message);
}

static void
print_json_to (FILE        *stream,
               JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  fputs (text, stream);
  fputc ('\n', stream);
}

static void
print_json (JsonBuilder *builder)
{
  print_json_to (stdout, builder);
}

/* ---- arguments ------------------------------------------------------------------- */

gboolean
crm_cli_parse_count (const char  *option,
                     const char  *text,
                     guint64      max,
                     guint64     *out,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_ascii_string_to_unsigned (text, 10, 0, max, out, &local_error))
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   /* Translators: e.g. "--limit: “abc” is not a whole number from 0 to 100" */
                   _("%s: “%s” is not a whole number from 0 to %" PRIu64),
                   option, valid, max);
      return FALSE;
    }
  return TRUE;
}

/* ---- shared with the command files (crm-cli.h) ------------------------------------ */

gboolean
crm_cli_get_json (void)
{
  return opt_json;
}

int
crm_cli_fail (int         code,
              const char *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  print_line (stderr, "", message);

  return code;
}

int
crm_cli_fail_error (const GError *error)
{
  return fail_error (error);
}

void
crm_cli_warn (const char *message)
{
  warn (message);
}

void
crm_cli_json_add_text (JsonBuilder *builder,
                       const char  *name,
                       const char  *text)
{
  json_builder_set_member_name (builder, name);
  if (text != NULL)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_null_value (builder);
}

void
crm_cli_json_add_time (JsonBuilder *builder,
                       const char  *name,
                       gint64       ms)
{
  json_builder_set_member_name (builder, name);
  if (ms != 0)
    json_builder_add_int_value (builder, ms);
  else
    json_builder_add_null_value (builder);
}

void
crm_cli_print_json (JsonBuilder *builder)
{
  print_json (builder);
}

/* Standard output, unless the data itself went there ("-o -"): then standard error. */
FILE *
crm_cli_summary_stream (const char *output)
{
  return g_strcmp0 (output, "-") == 0 ? stderr : stdout;
}

void
crm_cli_print_json_to (FILE        *stream,
                       JsonBuilder *builder)
{
  print_json_to (stream, builder);
}

void
crm_cli_print_written (guint64     rows,
                       const char *file)
{
  FILE *stream = crm_cli_summary_stream (file);

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "rows");
      json_builder_add_int_value (b, rows);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, file);
      json_builder_end_object (b);
      print_json_to (stream, b);
    }
  else
    fprintf (stream, _("%" PRIu64 " rows written to %s\n"), rows, file);
}

gboolean
crm_cli_parse_date (const char  *option,
                    const char  *text,
                    gint64      *out_ms,
                    GError     **error)
{
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) end = NULL;
  int y, m, d;

  if (!crm_text_check_date (text, NULL) || sscanf (text, "%d-%d-%d", &y, &m, &d) != 3 ||
      (day = g_date_time_new_local (y, m, d, 0, 0, 0)) == NULL)
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s: “%s” is not a date (expected YYYY-MM-DD)"), option, valid);
      return FALSE;
    }
  end = g_date_time_add_days (day, 1);
  *out_ms = g_date_time_to_unix (end) * 1000 - 1;
  return TRUE;
}

/* ---- init, stats ------------------------------------------------------------------ */

static int
cmd_init (CrmStore  *store,
          char     **args)
{
  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, crm_store_get_path (store));
      json_builder_set_member_name (b, "schema_version");
      json_builder_add_int_value (b, crm_store_get_schema_version (store));
      json_builder_end_object (b);
      print_json (b);
    }
  else
    printf (_("Database ready: %s (schema version %d)\n"), crm_store_get_path (store),
            crm_store_get_schema_version (store));

  return EXIT_OK;
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

static int
cmd_stats (CrmStore  *store,
           char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (crm_store_get_path (store), "-wal", NULL);
  gint64 customers, orders, size;

  if ((customers = crm_store_count (store, CRM_TYPE_CUSTOMER, &error)) < 0 ||
      (orders = crm_store_count (store, CRM_TYPE_ORDER, &error)) < 0)
    return fail_error (error);
  size = file_size (crm_store_get_path (store)) + file_size (wal);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, crm_store_get_path (store));
      json_builder_set_member_name (b, "schema_version");
      json_builder_add_int_value (b, crm_store_get_schema_version (store));
      json_builder_set_member_name (b, "customers");
      json_builder_add_int_value (b, customers);
      json_builder_set_member_name (b, "orders");
      json_builder_add_int_value (b, orders);
      json_builder_set_member_name (b, "size_bytes");
      json_builder_add_int_value (b, size);
      json_builder_end_object (b);
      print_json (b);
    }
  else
    {
      g_autofree char *c = crm_format_count (customers);
      g_autofree char *o = crm_format_count (orders);
      g_autofree char *s = g_format_size (size);

      printf ("%s %s\n", _("Database:"), crm_store_get_path (store));
      printf ("%s %d\n", _("Schema version:"), crm_store_get_schema_version (store));
      printf ("%s %s\n", _("Customers:"), c);
      printf ("%s %s\n", _("Orders:"), o);
      printf ("%s %s\n", _("Size:"), s);
    }

  return EXIT_OK;
}

/* ---- main ------------------------------------------------------------------------------- */

static const Command commands[] = {
  { "init", NULL, N_("Create the database, or upgrade it to this version"), 0, 0, NULL, TRUE, cmd_init },
  { "stats", NULL, N_("Count customers and orders; show the database size and version"), 0, 0, NULL, FALSE, cmd_stats },
  { NULL }
};

/* Every room's table; each ends with a NULL name. */
static const Command *const command_tables[] = {
  commands,
  crm_cli_customer_commands,
  crm_cli_generate_commands,
  crm_cli_segment_commands,
  crm_cli_analytics_commands,
  crm_cli_io_commands,
  crm_cli_settings_commands,
  crm_cli_order_commands,
  crm_cli_interaction_commands,
  crm_cli_edit_commands,
  crm_cli_sync_commands,
  crm_cli_coupon_commands,
  crm_cli_task_commands,
  crm_cli_feedback_commands,
  crm_cli_campaign_commands,
  crm_cli_points_commands,
  crm_cli_backup_commands,
  crm_cli_consent_commands,
};

static const Command *
find_command (const char *name)
{
  for (guint t = 0; t < G_N_ELEMENTS (command_tables); t++)
    for (const Command *c = command_tables[t]; c->name != NULL; c++)
      if (g_str_equal (name, c->name))
        return c;

  return NULL;
}

/* The commands of group @group ("order": "add, refund"), or NULL if it is none. */
static char *
group_commands (const char *group)
{
  g_autofree char *prefix = g_strconcat (group, " ", NULL);
  GString *list = NULL;

  for (guint t = 0; t < G_N_ELEMENTS (command_tables); t++)
    for (const Command *c = command_tables[t]; c->name != NULL; c++)
      if (g_str_has_prefix (c->name, prefix))
        {
          if (list == NULL)
            list = g_string_new (NULL);
          g_string_append_printf (list, "%s%s", list->len > 0 ? ", " : "", c->name + strlen (prefix));
        }
  return list != NULL ? g_string_free (list, FALSE) : NULL;
}

static char *
commands_summary (void)
{
  GString *s = g_string_new (_("Commands:"));

  for (guint t = 0; t < G_N_ELEMENTS (command_tables); t++)
    for (const Command *c = command_tables[t]; c->name != NULL; c++)
      {
        g_autofree char *left = g_strdup_printf ("%s%s%s", c->name, c->parameter ? " " : "",
                                                 c->parameter ? c->parameter : "");
        g_string_append_printf (s, "\n  %-24s %s", left, _(c->summary));
      }
  g_string_append_printf (s, "\n\n%s", _("Run “clientele-cli COMMAND --help” for the options of a command."));

  return g_string_free (s, FALSE);
}

static const char *exit_status_help =
  N_("Exit status: 0 success; 1 the command failed (database error, no such customer, input "
     "refused); 2 the command line is wrong (unknown command or option, missing or malformed value).");

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GOptionContext) cmd_context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmSession) session = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *path = NULL;
  g_autofree char *prgname = NULL;
  g_autoptr(CrmStoreOperation) operation = NULL;
  guint64 wait_s = 600;
  const Command *command = NULL;
  const GOptionEntry version_entry[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &opt_version, N_("Show the version and exit"), NULL },
    { NULL }
  };

  crm_store_lock_install ();
  crm_paths_init_i18n ();
  g_set_prgname (PROGRAM);

  /* Global options stop at the command; the command's own context parses the rest. */
  context = g_option_context_new (_("COMMAND [OPTIONS…] [ARGUMENTS…]"));
  g_option_context_set_strict_posix (context, TRUE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, global_entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, version_entry, GETTEXT_PACKAGE);
  summary = commands_summary ();
  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context, _(exit_status_help));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (EXIT_USAGE, "%s", error->message);

  if (opt_version)
    {
      printf ("%s %s\n", PROGRAM, PACKAGE_VERSION);
      return EXIT_OK;
    }
  if (argc < 2)
    return fail (EXIT_USAGE, _("No command given: run “%s --help” to see the commands"), PROGRAM);

  command = find_command (argv[1]);
  if (command == NULL)
    {
      g_autofree char *valid = g_utf8_make_valid (argv[1], -1);
      g_autofree char *group = group_commands (argv[1]);
      g_autofree char *two = argc > 2 ? g_strconcat (argv[1], " ", argv[2], NULL) : NULL;

      /* "order add": the group's word goes, the command's plays the program name below. */
      if (group != NULL && two != NULL && (command = find_command (two)) != NULL)
        {
          argc--;
          argv++;
        }
      else if (group != NULL)
        return fail (EXIT_USAGE, _("“%s” needs one of: %s"), valid, group);
      else
        return fail (EXIT_USAGE, _("Unknown command “%s”: run “%s --help” to see the commands"), valid, PROGRAM);
    }

  /* argv[1] (the command) plays the program name for the command's context. */
  argc--;
  argv++;
  cmd_context = g_option_context_new (command->parameter);
  g_option_context_set_translation_domain (cmd_context, GETTEXT_PACKAGE);
  g_option_context_set_summary (cmd_context, _(command->summary));
  g_option_context_set_description (cmd_context, _(exit_status_help));
  if (command->make_entries != NULL)
    g_option_context_add_main_entries (cmd_context, command->make_entries (), GETTEXT_PACKAGE);
  else if (command->entries)
    g_option_context_add_main_entries (cmd_context, command->entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (cmd_context, global_entries, GETTEXT_PACKAGE);
  prgname = g_strdup_printf ("%s %s", PROGRAM, command->name);
  g_set_prgname (prgname);   /* "Usage: clientele-cli show [OPTION…] UUID" */
  if (!g_option_context_parse (cmd_context, &argc, &argv, &error))
    return fail (EXIT_USAGE, "%s", error->message);

  if ((guint) (argc - 1) < command->n_args ||
      (guint) (argc - 1) > MAX (command->n_args, command->max_args))
    {
      if ((guint) (argc - 1) > MAX (command->n_args, command->max_args))
        {
          g_autofree char *valid = g_utf8_make_valid (argv[1 + MAX (command->n_args, command->max_args)], -1);
          return fail (EXIT_USAGE, _("%s: unexpected argument “%s”"), command->name, valid);
        }
      return fail (EXIT_USAGE, _("%s needs %s"), command->name, command->parameter);
    }

  if (crm_cli_customers_missing_name (command))
    return fail (EXIT_USAGE, _("add-customer needs --name"));
  if (opt_wait != NULL && !crm_cli_parse_count ("--wait", opt_wait, G_MAXUINT32, &wait_s, &error))
    return fail (EXIT_USAGE, "%s", error->message);
  crm_cli_wait_install (wait_s);
  /* Account commands and sync reach the Secret Service; its shared connection goes at exit. */
  atexit (crm_secret_disconnect);

  path = opt_database != NULL ? g_strdup (opt_database) : crm_store_default_path ();
  /* Reading commands never create a database: a mistyped path must not look empty. */
  if (!command->creates && !g_file_test (path, G_FILE_TEST_EXISTS))
    return fail (EXIT_FAILED, _("There is no database at “%s”: create one with “%s init”"), path, PROGRAM);

  /* A session as the app has one: orders this program writes run the same order hooks (a
   * customer's scores, tier and stage follow), and the app notices the writes. */
  session = crm_session_new (path);
  if (!crm_session_open (session, &error))
    return fail_error (error);
  /* Whoever waits for this process meanwhile can say what it is doing. */
  operation = crm_store_operation_push (crm_session_get_store (session), command->name);

  /* A read-only file with an import's search index unfinished: read as it is, and said so. */
  if (crm_store_get_unsearchable (crm_session_get_store (session)) > 0)
    {
      gint64 n = crm_store_get_unsearchable (crm_session_get_store (session));
      g_autofree char *count = crm_format_count (n);
      g_autofree char *message =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "the search index is incomplete: %s customer of an unfinished import "
                                      "is not found by searches until the database can be written",
                                      "the search index is incomplete: %s customers of an unfinished import "
                                      "are not found by searches until the database can be written", n),
                         count);
      warn (message);
    }

  return command->run (crm_session_get_store (session), argv + 1);
}

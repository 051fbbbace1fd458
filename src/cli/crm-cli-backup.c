/* crm-cli-backup.c: backup create, backup verify, backup restore.
 *
 *   clientele-cli backup create -o FILE [--passphrase-stdin]
 *   clientele-cli backup verify FILE [--passphrase-stdin]
 *   clientele-cli backup restore FILE [--passphrase-stdin] [--yes]
 *
 * The passphrase is read from the terminal without echo (twice for create), or with
 * --passphrase-stdin as the first line of standard input (for scripts: never on the command
 * line, where other users see it in the process list).  A wrong passphrase or a damaged backup
 * is one line on stderr and exit 1, with nothing changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "crm-backup.h"
#include "crm-format.h"
#include "crm-cli.h"

#define MAX_PASSPHRASE 4096

static char *opt_output;
static gboolean opt_stdin;
static gboolean opt_yes;

static const GOptionEntry create_entries[] = {
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output, N_("File to write the backup to (required)"), N_("FILE") },
  { "passphrase-stdin", 0, 0, G_OPTION_ARG_NONE, &opt_stdin, N_("Read the passphrase from the first line of standard input"), NULL },
  { NULL }
};

static const GOptionEntry verify_entries[] = {
  { "passphrase-stdin", 0, 0, G_OPTION_ARG_NONE, &opt_stdin, N_("Read the passphrase from the first line of standard input"), NULL },
  { NULL }
};

static const GOptionEntry restore_entries[] = {
  { "passphrase-stdin", 0, 0, G_OPTION_ARG_NONE, &opt_stdin, N_("Read the passphrase from the first line of standard input"), NULL },
  { "yes", 'y', 0, G_OPTION_ARG_NONE, &opt_yes, N_("Replace the data without asking"), NULL },
  { NULL }
};

static void
wipe (char *secret)
{
  if (secret != NULL)
    {
      memset (secret, 0, strlen (secret));
      g_free (secret);
    }
}

/* One line of @f, without its line end; NULL at the end of the input. */
static char *
read_line (FILE *f)
{
  char buf[MAX_PASSPHRASE + 2];
  gsize len;

  if (fgets (buf, sizeof buf, f) == NULL)
    return NULL;
  len = strcspn (buf, "\r\n");
  buf[len] = '\0';
  return g_strndup (buf, len);
}

/* Asks on the terminal with echo off. */
static char *
prompt (const char *question)
{
  struct termios old, quiet;
  FILE *tty = fopen ("/dev/tty", "r+");
  char *answer;

  if (tty == NULL)
    return NULL;
  fprintf (tty, "%s ", question);
  fflush (tty);
  tcgetattr (fileno (tty), &old);
  quiet = old;
  quiet.c_lflag &= ~(tcflag_t) ECHO;
  tcsetattr (fileno (tty), TCSAFLUSH, &quiet);
  answer = read_line (tty);
  tcsetattr (fileno (tty), TCSAFLUSH, &old);
  fprintf (tty, "\n");
  fclose (tty);
  return answer;
}

/* The passphrase, or NULL after printing why (the exit status in @status). */
static char *
get_passphrase (gboolean  twice,
                int      *status)
{
  char *first;

  *status = CRM_CLI_EXIT_FAILED;
  if (opt_stdin)
    {
      first = read_line (stdin);
      if (first == NULL || *first == '\0')
        {
          wipe (first);
          crm_cli_fail (CRM_CLI_EXIT_FAILED, _("No passphrase on standard input"));
          return NULL;
        }
      return first;
    }
  if (!isatty (STDIN_FILENO))
    {
      *status = crm_cli_fail (CRM_CLI_EXIT_USAGE, _("No terminal to ask for the passphrase: use --passphrase-stdin"));
      return NULL;
    }
  first = prompt (_("Backup passphrase:"));
  if (first != NULL && twice)
    {
      char *again = prompt (_("The same passphrase again:"));

      if (g_strcmp0 (first, again) != 0)
        {
          wipe (first);
          wipe (again);
          crm_cli_fail (CRM_CLI_EXIT_FAILED, _("The two passphrases differ"));
          return NULL;
        }
      wipe (again);
    }
  if (first == NULL)
    crm_cli_fail (CRM_CLI_EXIT_FAILED, _("No passphrase given"));
  return first;
}

static char *
format_made (gint64 created_at)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (created_at / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);

  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static int
cmd_create (CrmStore  *store,
            char     **args)
{
  g_autoptr(GError) error = NULL;
  char *passphrase;
  CrmBackupInfo info = { 0 };
  gboolean ok;
  int status;

  if (opt_output == NULL)
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("backup create needs -o FILE"));
  if (g_str_equal (opt_output, "-"))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("A backup is written to a file, not to standard output"));
  passphrase = get_passphrase (TRUE, &status);
  if (passphrase == NULL)
    return status;
  ok = crm_backup_create (store, opt_output, passphrase, NULL, NULL, NULL, &error);
  wipe (passphrase);
  if (!ok || !crm_backup_read_info (opt_output, &info, &error))
    return crm_cli_fail_error (error);

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, opt_output);
      json_builder_set_member_name (b, "database_bytes");
      json_builder_add_int_value (b, (gint64) info.database_size);
      json_builder_set_member_name (b, "schema_version");
      json_builder_add_int_value (b, info.schema_version);
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else
    {
      g_autofree char *size = g_format_size (info.database_size);

      /* Translators: the first %s is a file, the second a size such as "12.3 MB". */
      printf (_("Backup written to %s (database of %s)\n"), opt_output, size);
    }
  return CRM_CLI_EXIT_OK;
}

static void
print_info (const char          *path,
            const CrmBackupInfo *info,
            const char          *kept)
{
  g_autofree char *made = format_made (info->created_at);

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, path);
      json_builder_set_member_name (b, "created_at");
      json_builder_add_int_value (b, info->created_at);
      json_builder_set_member_name (b, "schema_version");
      json_builder_add_int_value (b, info->schema_version);
      json_builder_set_member_name (b, "customers");
      json_builder_add_int_value (b, info->customers);
      json_builder_set_member_name (b, "orders");
      json_builder_add_int_value (b, info->orders);
      if (kept != NULL)
        {
          json_builder_set_member_name (b, "previous_data");
          json_builder_add_string_value (b, kept);
        }
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else
    {
      g_autofree char *c = crm_format_count (info->customers);
      g_autofree char *o = crm_format_count (info->orders);

      /* Translators: a backup that opened and passed every check: file, when it was made,
       * how many customers and orders it holds. */
      printf (_("%s: OK — made %s, %s customers, %s orders\n"), path, made, c, o);
      if (kept != NULL)
        printf (_("Restored. The data as it was before is kept in %s\n"), kept);
    }
}

static int
cmd_verify (CrmStore  *store,
            char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (crm_store_get_path (store));
  CrmBackupInfo info = { 0 };
  char *passphrase;
  gboolean ok;
  int status;

  passphrase = get_passphrase (FALSE, &status);
  if (passphrase == NULL)
    return status;
  ok = crm_backup_verify (args[0], passphrase, dir, &info, NULL, NULL, NULL, &error);
  wipe (passphrase);
  if (!ok)
    return crm_cli_fail_error (error);
  print_info (args[0], &info, NULL);
  return CRM_CLI_EXIT_OK;
}

static int
cmd_restore (CrmStore  *store,
             char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  CrmBackupInfo info = { 0 };
  char *passphrase;
  gboolean ok;
  int status;

  /* The header first: a file that is no backup is said before the passphrase is asked. */
  if (!crm_backup_read_info (args[0], &info, &error))
    return crm_cli_fail_error (error);
  if (!opt_yes)
    {
      g_autofree char *made = format_made (info.created_at);
      g_autofree char *question = NULL;
      g_autofree char *answer = NULL;

      if (opt_stdin || !isatty (STDIN_FILENO))
        return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("backup restore replaces the data in the database: add --yes"));
      question = g_strdup_printf (_("Replace every customer and order in %s with the backup made %s? [y/N]"),
                                  crm_store_get_path (store), made);
      printf ("%s ", question);
      fflush (stdout);
      answer = read_line (stdin);
      if (answer == NULL || (g_ascii_strcasecmp (answer, "y") != 0 && g_ascii_strcasecmp (answer, "yes") != 0 &&
                             g_strcmp0 (answer, _("y")) != 0))
        return crm_cli_fail (CRM_CLI_EXIT_FAILED, _("Nothing was restored"));
    }
  passphrase = get_passphrase (FALSE, &status);
  if (passphrase == NULL)
    return status;
  ok = crm_backup_restore (store, args[0], passphrase, &kept, NULL, NULL, NULL, &error);
  if (ok)
    /* What the restored database holds, for the summary line. */
    ok = crm_backup_read_info (args[0], &info, &error);
  wipe (passphrase);
  if (!ok)
    return crm_cli_fail_error (error);
  info.customers = crm_db_query_int64 (crm_store_get_db (store),
                                       "SELECT count(*) FROM customers WHERE deleted_at IS NULL", 0);
  info.orders = crm_db_query_int64 (crm_store_get_db (store),
                                    "SELECT count(*) FROM orders WHERE deleted_at IS NULL", 0);
  print_info (args[0], &info, kept);
  return CRM_CLI_EXIT_OK;
}

const CrmCliCommand crm_cli_backup_commands[] = {
  { "backup create", NULL, N_("Write an encrypted backup of the whole database"), 0, 0, create_entries, FALSE, cmd_create },
  { "backup verify", "FILE", N_("Check a backup: its passphrase, every part of it and the database inside"),
    1, 0, verify_entries, FALSE, cmd_verify },
  { "backup restore", "FILE", N_("Replace the data with a backup's, keeping the current database as a dated copy"),
    1, 0, restore_entries, TRUE, cmd_restore },
  { NULL }
};

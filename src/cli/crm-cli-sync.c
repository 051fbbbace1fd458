/* crm-cli-sync.c: sync accounts and rounds from the command line.
 *
 *   account add carddav --name NAME --url URL [--user USER] [--password-stdin] [--trust-certificate SHA256]
 *   account add woocommerce --name NAME --url URL --key CK [--secret-stdin]
 *   account list · account remove NAME
 *   sync [NAME]
 *
 * A password is read from standard input only (never an argument: other users see those) and
 * goes to the keyring; when no Secret Service can be reached the command says so in one line
 * and saves nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "crm-account.h"
#include "crm-cli.h"
#include "crm-format.h"
#include "crm-secret.h"
#include "crm-store.h"
#include "crm-sync.h"

/* ---- account ------------------------------------------------------------------------ */

static char *opt_name, *opt_url, *opt_user, *opt_key, *opt_trust;
static gboolean opt_password_stdin, opt_secret_stdin;

static const GOptionEntry account_entries[] = {
  { "name", 0, 0, G_OPTION_ARG_FILENAME, &opt_name, N_("Name of the account (add)"), N_("NAME") },
  { "url", 0, 0, G_OPTION_ARG_FILENAME, &opt_url,
    N_("Server, address book or shop address (add)"), N_("URL") },
  { "user", 0, 0, G_OPTION_ARG_FILENAME, &opt_user, N_("User name (add carddav)"), N_("USER") },
  { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &opt_password_stdin,
    N_("Read the password from standard input into the keyring (add carddav)"), NULL },
  { "key", 0, 0, G_OPTION_ARG_FILENAME, &opt_key, N_("Consumer key (add woocommerce)"), N_("CK") },
  { "trust-certificate", 0, 0, G_OPTION_ARG_FILENAME, &opt_trust,
    N_("Trust the server’s certificate with this SHA-256 fingerprint although no authority vouches for it (add)"),
    N_("FINGERPRINT") },
  { "secret-stdin", 0, 0, G_OPTION_ARG_NONE, &opt_secret_stdin,
    N_("Read the consumer secret from standard input into the keyring (add woocommerce)"), NULL },
  { NULL }
};

/* Standard input without its final line break; NULL with an error when it is empty. */
static char *
read_stdin_secret (GError **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char buf[4096];
  ssize_t n;

  while ((n = read (STDIN_FILENO, buf, sizeof buf)) > 0)
    g_string_append_len (text, buf, n);
  memset (buf, 0, sizeof buf);
  if (text->len > 0 && text->str[text->len - 1] == '\n')
    g_string_truncate (text, text->len - 1);
  if (text->len > 0 && text->str[text->len - 1] == '\r')
    g_string_truncate (text, text->len - 1);
  if (text->len == 0 || !g_utf8_validate (text->str, text->len, NULL) || strchr (text->str, '\n') != NULL)
    {
      memset (text->str, 0, text->len);
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Standard input holds no password (one line of UTF-8 text expected)"));
      return NULL;
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    {
      memset (secret, 0, strlen (secret));
      g_free (secret);
    }
}

static int
account_add (CrmStore   *store,
             const char *kind_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmAccount) account = NULL;
  int kind = crm_account_kind_from_string (kind_name);
  char *secret = NULL;
  gboolean ok;

  if (kind < 0)
    {
      g_autofree char *valid = g_utf8_make_valid (kind_name, -1);
      return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("account add: “%s” is not a kind of account (carddav or woocommerce)"), valid);
    }
  if (opt_name == NULL || opt_url == NULL)
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("account add needs --name and --url"));
  if (kind == CRM_ACCOUNT_CARDDAV && (opt_key != NULL || opt_secret_stdin))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("account add carddav takes --user and --password-stdin, not --key or --secret-stdin"));
  if (kind == CRM_ACCOUNT_WOOCOMMERCE && (opt_user != NULL || opt_password_stdin))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("account add woocommerce takes --key and --secret-stdin, not --user or --password-stdin"));
  if (kind == CRM_ACCOUNT_WOOCOMMERCE && opt_key == NULL)
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("account add woocommerce needs --key"));

  account = crm_account_new (kind, opt_name, opt_url, kind == CRM_ACCOUNT_CARDDAV ? opt_user : opt_key);
  crm_account_set_trusted_certificate (account, opt_trust);
  if (!crm_account_validate (account, &error))
    return crm_cli_fail_error (error);
  if ((opt_password_stdin || opt_secret_stdin) && !(secret = read_stdin_secret (&error)))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", error->message);

  ok = crm_account_add (store, account, secret, NULL, &error);
  wipe_free (secret);
  if (!ok)
    return crm_cli_fail_error (error);

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, crm_account_get_name (account));
      json_builder_set_member_name (b, "uuid");
      json_builder_add_string_value (b, crm_account_get_uuid (account));
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else
    printf (_("Added %s “%s”\n"), crm_account_kind_get_label (kind), crm_account_get_name (account));
  return CRM_CLI_EXIT_OK;
}

static int
account_list (CrmStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = crm_account_list (store, &error);

  if (accounts == NULL)
    return crm_cli_fail_error (error);

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < accounts->len; i++)
        {
          CrmAccount *a = g_ptr_array_index (accounts, i);

          json_builder_begin_object (b);
          crm_cli_json_add_text (b, "name", crm_account_get_name (a));
          crm_cli_json_add_text (b, "kind", crm_account_kind_to_string (crm_account_get_kind (a)));
          crm_cli_json_add_text (b, "url", crm_account_get_url (a));
          crm_cli_json_add_text (b, crm_account_get_kind (a) == CRM_ACCOUNT_CARDDAV ? "user" : "key",
                                   crm_account_get_user (a));
          json_builder_set_member_name (b, "has_secret");
          json_builder_add_boolean_value (b, crm_account_has_secret (a));
          crm_cli_json_add_text (b, "collection", crm_account_get_collection (a));
          crm_cli_json_add_text (b, "trusted_certificate", crm_account_get_trusted_certificate (a));
          json_builder_set_member_name (b, "synced_at");
          if (crm_account_get_synced_at (a) != 0)
            json_builder_add_int_value (b, crm_account_get_synced_at (a));
          else
            json_builder_add_null_value (b);
          crm_cli_json_add_text (b, "last_error", crm_account_get_last_error (a));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      crm_cli_print_json (b);
      return CRM_CLI_EXIT_OK;
    }

  for (guint i = 0; i < accounts->len; i++)
    {
      CrmAccount *a = g_ptr_array_index (accounts, i);
      g_autofree char *synced = crm_account_get_synced_at (a) != 0 ? crm_format_date_time (crm_account_get_synced_at (a))
                                                                  : g_strdup (_("never synced"));

      printf ("%s\t%s\t%s\t%s%s%s\n", crm_account_get_name (a), crm_account_kind_to_string (crm_account_get_kind (a)),
              crm_account_get_url (a), synced, crm_account_get_last_error (a) ? "\t" : "",
              crm_account_get_last_error (a) ? crm_account_get_last_error (a) : "");
    }
  if (accounts->len == 0)
    printf (_("No accounts: add one with “%s account add carddav --name NAME --url URL”\n"), CRM_CLI_PROGRAM);
  return CRM_CLI_EXIT_OK;
}

static int
account_remove (CrmStore   *store,
                const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmAccount) account = crm_account_find (store, name, &error);

  if (account == NULL || !crm_account_remove (store, account, NULL, &error))
    return crm_cli_fail_error (error);
  if (!crm_cli_get_json ())
    printf (_("Removed account “%s”\n"), name);
  else
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      crm_cli_json_add_text (b, "removed", name);
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  return CRM_CLI_EXIT_OK;
}

static int
cmd_account (CrmStore  *store,
             char     **args)
{
  const char *what = args[0];
  guint n_args = g_strv_length (args);

  if (g_str_equal (what, "add") && n_args == 2)
    return account_add (store, args[1]);
  if (g_str_equal (what, "list") && n_args == 1)
    return account_list (store);
  if (g_str_equal (what, "remove") && n_args == 2)
    return account_remove (store, args[1]);
  return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("account: expected “add carddav|woocommerce”, “list” or “remove NAME”"));
}

/* ---- sync ------------------------------------------------------------------------------ */

static void
add_counts_json (JsonBuilder         *b,
                 CrmAccount          *account,
                 const CrmSyncCounts *counts,
                 const GError        *error)
{
  const char *names[] = { "pulled", "pushed", "conflicts", "skipped" };
  const guint values[] = { counts->pulled, counts->pushed, counts->conflicts, counts->skipped };

  json_builder_begin_object (b);
  crm_cli_json_add_text (b, "name", crm_account_get_name (account));
  crm_cli_json_add_text (b, "kind", crm_account_kind_to_string (crm_account_get_kind (account)));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      json_builder_set_member_name (b, names[i]);
      json_builder_add_int_value (b, values[i]);
    }
  json_builder_set_member_name (b, "errors");
  json_builder_add_int_value (b, error != NULL ? 1 : 0);
  crm_cli_json_add_text (b, "error", error != NULL ? error->message : NULL);
  json_builder_end_object (b);
}

static int
cmd_sync (CrmStore  *store,
          char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *first_failure = NULL;
  guint failed = 0;

  if (args[0] != NULL)
    {
      CrmAccount *account = crm_account_find (store, args[0], &error);

      if (account == NULL)
        return crm_cli_fail_error (error);
      accounts = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (accounts, account);
    }
  else if (!(accounts = crm_account_list (store, &error)))
    return crm_cli_fail_error (error);
  if (accounts->len == 0)
    return crm_cli_fail (CRM_CLI_EXIT_FAILED, _("No accounts to sync: add one with “%s account add”"), CRM_CLI_PROGRAM);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "accounts");
  json_builder_begin_array (b);
  for (guint i = 0; i < accounts->len; i++)
    {
      CrmAccount *account = g_ptr_array_index (accounts, i);
      g_autoptr(GError) round_error = NULL;
      g_autoptr(CrmStoreOperation) op = crm_store_operation_push (store, "sync");
      CrmSyncCounts counts;

      if (!crm_sync_account (store, account, NULL, &counts, &round_error))
        {
          failed++;
          if (first_failure == NULL)
            first_failure = g_strdup_printf ("%s: %s", crm_account_get_name (account), round_error->message);
        }
      add_counts_json (b, account, &counts, round_error);
      if (!crm_cli_get_json () && round_error == NULL)
        printf (_("%s: %u pulled, %u pushed, %u conflicts, %u skipped\n"), crm_account_get_name (account),
                counts.pulled, counts.pushed, counts.conflicts, counts.skipped);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  if (crm_cli_get_json ())
    crm_cli_print_json (b);

  if (failed > 0)
    return crm_cli_fail (CRM_CLI_EXIT_FAILED, "%s", first_failure);
  return CRM_CLI_EXIT_OK;
}

const CrmCliCommand crm_cli_sync_commands[] = {
  { "sync", "[NAME]", N_("Sync every account, or the one named, once (pull, then push)"), 0, 1, NULL, FALSE, cmd_sync },
  { "account", "add KIND|list|remove NAME", N_("Add, list or remove sync accounts (CardDAV, WooCommerce)"),
    1, 2, account_entries, FALSE, cmd_account },
  { NULL }
};

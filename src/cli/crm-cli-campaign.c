/* crm-cli-campaign.c: e-mail campaigns from the command line.
 *
 *   smtp set --host H --port P [--security starttls|tls|none] [--user U --password-stdin]
 *            --from 'Shop <addr>' [--ca-file PEM] [--rate N]
 *   smtp show
 *   campaign create NAME --segment SEG --subject S --body-file F [--html-file F]
 *   campaign preview NAME --customer UUID
 *   campaign test NAME --customer UUID --to ADDRESS    (a test send to yourself)
 *   campaign send NAME            (keys of --json: sent, failed, skipped_no_consent,
 *                                  skipped_no_address, skipped_unsubscribed, queued)
 *   campaign status NAME [--days N] [--recipients]
 *   campaign list
 *   campaign unsubscribe FILE [--source TEXT]
 *
 * The SMTP password is read from standard input only and goes to the keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "crm-campaigns.h"
#include "crm-cli.h"
#include "crm-format.h"
#include "crm-secret.h"

/* ---- smtp ------------------------------------------------------------------------------- */

static char *opt_host, *opt_port, *opt_security, *opt_user, *opt_from, *opt_ca_file, *opt_rate;
static gboolean opt_password_stdin;

static const GOptionEntry smtp_entries[] = {
  { "host", 0, 0, G_OPTION_ARG_FILENAME, &opt_host, N_("Mail server host name (set)"), N_("HOST") },
  { "port", 0, 0, G_OPTION_ARG_FILENAME, &opt_port, N_("Port (set; default 587, or 465 with --security tls)"), N_("PORT") },
  { "security", 0, 0, G_OPTION_ARG_FILENAME, &opt_security, N_("starttls (default), tls or none (set)"), N_("MODE") },
  { "user", 0, 0, G_OPTION_ARG_FILENAME, &opt_user, N_("User name for AUTH (set)"), N_("USER") },
  { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &opt_password_stdin,
    N_("Read the password from standard input into the keyring (set)"), NULL },
  { "from", 0, 0, G_OPTION_ARG_FILENAME, &opt_from, N_("Sender, as “Shop <shop@example.com>” (set)"), N_("ADDRESS") },
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_ca_file,
    N_("Trust the authorities (or the self-signed certificate) in this PEM file (set)"), N_("FILE") },
  { "rate", 0, 0, G_OPTION_ARG_FILENAME, &opt_rate, N_("At most this many messages a minute; 0: no limit (set)"), N_("N") },
  { NULL }
};

/* Standard input without its final line break; NULL with an error when it is empty. */
static char *
read_stdin_password (GError **error)
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

static int
smtp_set (CrmStore *store)
{
  g_autoptr(CrmSmtpSettings) s = g_new0 (CrmSmtpSettings, 1);
  g_autoptr(GError) error = NULL;
  guint64 port = 0, rate = 0;

  if (opt_host == NULL || opt_from == NULL)
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("smtp set needs --host and --from"));
  if (opt_password_stdin && opt_user == NULL)
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("--password-stdin needs --user"));
  if (opt_security != NULL && !crm_smtp_security_from_string (opt_security, &s->security))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("--security: “%s” is not starttls, tls or none"), opt_security);
  if ((opt_port != NULL && !crm_cli_parse_count ("--port", opt_port, 65535, &port, &error)) ||
      (opt_rate != NULL && !crm_cli_parse_count ("--rate", opt_rate, 100000, &rate, &error)))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", error->message);
  if (opt_ca_file != NULL && !g_file_test (opt_ca_file, G_FILE_TEST_IS_REGULAR))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("--ca-file: “%s” is not a file"), opt_ca_file);

  s->host = g_strdup (opt_host);
  s->port = opt_port ? (guint) port : (s->security == CRM_SMTP_TLS ? 465 : 587);
  s->user = g_strdup (opt_user);
  s->from = g_strdup (opt_from);
  s->ca_file = opt_ca_file ? g_canonicalize_filename (opt_ca_file, NULL) : NULL;
  s->rate = (guint) rate;
  if (opt_password_stdin && !(s->password = read_stdin_password (&error)))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", error->message);
  if (!crm_smtp_settings_save (store, s, NULL, &error))
    return crm_cli_fail_error (error);
  return CRM_CLI_EXIT_OK;
}

static int
smtp_show (CrmStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmSmtpSettings) s = crm_smtp_settings_load (store, &error);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (s == NULL)
    return crm_cli_fail_error (error);
  if (!crm_cli_get_json ())
    {
      printf ("%s:%u (%s)\n", s->host, s->port, crm_smtp_security_to_string (s->security));
      printf (_("From: %s\n"), s->from);
      if (s->user)
        printf (_("User: %s (password in the keyring)\n"), s->user);
      if (s->ca_file)
        printf (_("Trusted certificates: %s\n"), s->ca_file);
      if (s->rate)
        printf (_("At most %u messages a minute\n"), s->rate);
      return CRM_CLI_EXIT_OK;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "host");
  json_builder_add_string_value (b, s->host);
  json_builder_set_member_name (b, "port");
  json_builder_add_int_value (b, s->port);
  json_builder_set_member_name (b, "security");
  json_builder_add_string_value (b, crm_smtp_security_to_string (s->security));
  json_builder_set_member_name (b, "user");
  json_builder_add_string_value (b, s->user);
  json_builder_set_member_name (b, "from");
  json_builder_add_string_value (b, s->from);
  json_builder_set_member_name (b, "ca_file");
  json_builder_add_string_value (b, s->ca_file);
  json_builder_set_member_name (b, "rate");
  json_builder_add_int_value (b, s->rate);
  json_builder_end_object (b);
  crm_cli_print_json (b);
  return CRM_CLI_EXIT_OK;
}

static int
cmd_smtp (CrmStore  *store,
          char     **args)
{
  if (g_str_equal (args[0], "set"))
    return smtp_set (store);
  if (g_str_equal (args[0], "show"))
    return smtp_show (store);
  return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("smtp: unknown action “%s” (set, show)"), args[0]);
}

/* ---- campaign --------------------------------------------------------------------------- */

static char *opt_segment, *opt_subject, *opt_body_file, *opt_html_file, *opt_customer, *opt_days, *opt_source, *opt_to;
static gboolean opt_recipients;

static const GOptionEntry campaign_entries[] = {
  { "segment", 0, 0, G_OPTION_ARG_FILENAME, &opt_segment, N_("Saved segment to send to (create)"), N_("SEGMENT") },
  { "subject", 0, 0, G_OPTION_ARG_FILENAME, &opt_subject, N_("Subject, with fields such as {{name}} (create)"), N_("TEXT") },
  { "body-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_body_file, N_("Plain-text message, UTF-8 (create)"), N_("FILE") },
  { "html-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_html_file, N_("HTML message, UTF-8 (create)"), N_("FILE") },
  { "customer", 0, 0, G_OPTION_ARG_FILENAME, &opt_customer, N_("The customer to preview for (preview, test)"), N_("UUID") },
  { "to", 0, 0, G_OPTION_ARG_FILENAME, &opt_to, N_("Send the test message to this address (test)"), N_("ADDRESS") },
  { "days", 0, 0, G_OPTION_ARG_FILENAME, &opt_days,
    N_("Count orders within this many days of the send as conversions (status, list; default 7)"), N_("N") },
  { "recipients", 0, 0, G_OPTION_ARG_NONE, &opt_recipients, N_("List every recipient with its status (status)"), NULL },
  { "source", 0, 0, G_OPTION_ARG_FILENAME, &opt_source, N_("Where the unsubscribes came from (unsubscribe)"), N_("TEXT") },
  { NULL }
};

static char *
read_text_file (const char  *path,
                const char  *option,
                GError     **error)
{
  g_autofree char *text = NULL;
  gsize length;

  if (!g_file_get_contents (path, &text, &length, error))
    return NULL;
  if (!g_utf8_validate_len (text, length, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s: “%s” is not UTF-8 text"), option, path);
      return NULL;
    }
  return g_steal_pointer (&text);
}

static int
campaign_create (CrmStore   *store,
                 const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCampaign) c = NULL;
  g_autofree char *body = NULL;
  g_autofree char *html = NULL;

  if (opt_segment == NULL || opt_subject == NULL || opt_body_file == NULL)
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("campaign create needs --segment, --subject and --body-file"));
  if (!(body = read_text_file (opt_body_file, "--body-file", &error)) ||
      (opt_html_file != NULL && !(html = read_text_file (opt_html_file, "--html-file", &error))))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", error->message);
  if (!(c = crm_campaign_create (store, name, opt_segment, opt_subject, body, html, &error)))
    return crm_cli_fail_error (error);
  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "uuid");
      json_builder_add_string_value (b, crm_entity_get_uuid (CRM_ENTITY (c)));
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else
    printf ("%s\n", crm_entity_get_uuid (CRM_ENTITY (c)));
  return CRM_CLI_EXIT_OK;
}

static int
campaign_preview (CrmStore    *store,
                  CrmCampaign *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) customer = NULL;
  g_autoptr(CrmSmtpSettings) settings = NULL;
  g_autoptr(CrmCampaignPreview) p = NULL;

  if (opt_customer == NULL)
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("campaign preview needs --customer UUID"));
  if (!(customer = crm_cli_load_customer (store, opt_customer, &error)))
    return crm_cli_fail_error (error);
  settings = crm_smtp_settings_load (store, NULL);
  if (!(p = crm_campaign_preview (store, c, crm_entity_get_id (CRM_ENTITY (customer)), settings, &error)))
    return crm_cli_fail_error (error);
  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "to");
      json_builder_add_string_value (b, p->to);
      json_builder_set_member_name (b, "subject");
      json_builder_add_string_value (b, p->subject);
      json_builder_set_member_name (b, "text");
      json_builder_add_string_value (b, p->text);
      json_builder_set_member_name (b, "html");
      json_builder_add_string_value (b, p->html);
      json_builder_end_object (b);
      crm_cli_print_json (b);
      return CRM_CLI_EXIT_OK;
    }
  printf (_("To: %s\n"), p->to);
  printf (_("Subject: %s\n"), p->subject);
  printf ("\n%s", p->text);
  if (p->html)
    printf ("\n%s\n%s", _("HTML:"), p->html);
  return CRM_CLI_EXIT_OK;
}

static int
campaign_test (CrmStore    *store,
               CrmCampaign *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) customer = NULL;
  g_autoptr(CrmSmtpSettings) settings = NULL;

  if (opt_customer == NULL || opt_to == NULL)
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("campaign test needs --customer UUID and --to ADDRESS"));
  if (!(customer = crm_cli_load_customer (store, opt_customer, &error)) ||
      !(settings = crm_smtp_settings_load (store, &error)) ||
      !crm_smtp_settings_load_password (settings, NULL, &error) ||
      !crm_campaign_send_test (store, c, settings, crm_entity_get_id (CRM_ENTITY (customer)), opt_to, &error))
    return crm_cli_fail_error (error);
  return CRM_CLI_EXIT_OK;
}

static void
add_counts (JsonBuilder            *b,
            const CrmCampaignStats *st)
{
  struct { const char *key; gint64 value; } keys[] = {
    { "recipients", st->recipients }, { "sent", st->sent }, { "failed", st->failed }, { "queued", st->queued },
    { "skipped_no_consent", st->skipped_no_consent }, { "skipped_no_address", st->skipped_no_address },
    { "skipped_unsubscribed", st->skipped_unsubscribed },
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      json_builder_set_member_name (b, keys[i].key);
      json_builder_add_int_value (b, keys[i].value);
    }
}

static void
print_counts (const CrmCampaignStats *st)
{
  /* Translators: a campaign's counts; each %s is a number. */
  g_autofree char *sent = crm_format_count (st->sent);
  g_autofree char *failed = crm_format_count (st->failed);
  g_autofree char *queued = crm_format_count (st->queued);
  g_autofree char *nc = crm_format_count (st->skipped_no_consent);
  g_autofree char *na = crm_format_count (st->skipped_no_address);
  g_autofree char *un = crm_format_count (st->skipped_unsubscribed);

  printf (_("Sent %s, failed %s, waiting %s; skipped: %s without consent, %s without an address, %s unsubscribed\n"),
          sent, failed, queued, nc, na, un);
}

static void
print_progress (guint64  done,
                guint64  total,
                gpointer data)
{
  if (isatty (STDERR_FILENO))
    fprintf (stderr, "\r%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT, done, total);
}

static int
campaign_send (CrmStore    *store,
               CrmCampaign *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmSmtpSettings) settings = NULL;
  CrmCampaignStats st;
  gboolean ok;

  if (!(settings = crm_smtp_settings_load (store, &error)) ||
      !crm_smtp_settings_load_password (settings, NULL, &error))
    return crm_cli_fail_error (error);
  ok = crm_campaign_send (store, c, settings, NULL, print_progress, NULL, &st, &error);
  if (isatty (STDERR_FILENO))
    fprintf (stderr, "\n");
  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      add_counts (b, &st);
      if (!ok)
        {
          json_builder_set_member_name (b, "error");
          json_builder_add_string_value (b, error->message);
        }
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else
    print_counts (&st);
  return ok ? CRM_CLI_EXIT_OK : crm_cli_fail_error (error);
}

static gboolean
parse_days (guint   *days,
            GError **error)
{
  guint64 n = 0;

  *days = 0;
  if (opt_days == NULL)
    return TRUE;
  if (!crm_cli_parse_count ("--days", opt_days, 3650, &n, error))
    return FALSE;
  if (n == 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("--days must be at least 1"));
      return FALSE;
    }
  *days = (guint) n;
  return TRUE;
}

static void
add_recipients (JsonBuilder *b,
                GPtrArray   *recipients)
{
  json_builder_set_member_name (b, "recipients");
  json_builder_begin_array (b);
  for (guint i = 0; i < recipients->len; i++)
    {
      CrmCampaignRecipient *r = g_ptr_array_index (recipients, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "customer");
      json_builder_add_string_value (b, r->customer_uuid);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, r->name);
      json_builder_set_member_name (b, "email");
      json_builder_add_string_value (b, r->email);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, r->status);
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, r->reason);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static int
campaign_status (CrmStore    *store,
                 CrmCampaign *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) recipients = NULL;
  g_autofree char *segment = crm_campaign_dup_segment_name (store, c, NULL);
  g_autofree char *currency = crm_cli_currency (store);
  g_autofree char *revenue = NULL;
  CrmCampaignStats st;
  guint days;

  if (!parse_days (&days, &error))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", error->message);
  if (!crm_campaign_get_stats (store, c, days, &st, &error) ||
      (opt_recipients && !(recipients = crm_campaign_list_recipients (store, c, &error))))
    return crm_cli_fail_error (error);
  revenue = crm_format_money (st.revenue, currency);
  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, crm_campaign_get_name (c));
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, crm_campaign_get_status (c));
      json_builder_set_member_name (b, "segment");
      json_builder_add_string_value (b, segment);
      add_counts (b, &st);
      json_builder_set_member_name (b, "conversions");
      json_builder_add_int_value (b, st.conversions);
      json_builder_set_member_name (b, "revenue");
      json_builder_add_int_value (b, st.revenue);
      json_builder_set_member_name (b, "currency");
      json_builder_add_string_value (b, currency);
      json_builder_set_member_name (b, "attribution_days");
      json_builder_add_int_value (b, st.days);
      if (recipients)
        add_recipients (b, recipients);
      json_builder_end_object (b);
      crm_cli_print_json (b);
      return CRM_CLI_EXIT_OK;
    }
  printf ("%s (%s) → %s\n", crm_campaign_get_name (c), crm_campaign_get_status (c), segment ? segment : "—");
  print_counts (&st);
  {
    g_autofree char *conversions = crm_format_count (st.conversions);

    printf (g_dngettext (GETTEXT_PACKAGE, "%s conversions within %u day, revenue %s\n",
                         "%s conversions within %u days, revenue %s\n", st.days),
            conversions, st.days, revenue);
  }
  for (guint i = 0; recipients && i < recipients->len; i++)
    {
      CrmCampaignRecipient *r = g_ptr_array_index (recipients, i);

      crm_cli_print_padded (r->name, 21);
      crm_cli_print_padded (r->email ? r->email : "—", 31);
      printf ("%s%s%s\n", r->status, r->reason ? ": " : "", r->reason ? r->reason : "");
    }
  return CRM_CLI_EXIT_OK;
}

static int
campaign_list (CrmStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = crm_store_list_all (store, CRM_TYPE_CAMPAIGN, "name", &error);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *currency = crm_cli_currency (store);
  guint days;

  if (!parse_days (&days, &error))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", error->message);
  if (all == NULL)
    return crm_cli_fail_error (error);
  json_builder_begin_array (b);
  for (guint i = 0; i < all->len; i++)
    {
      CrmCampaign *c = g_ptr_array_index (all, i);
      g_autofree char *revenue = NULL;
      g_autofree char *sent = NULL;
      g_autofree char *failed = NULL;
      g_autofree char *conversions = NULL;
      CrmCampaignStats st;

      if (!crm_campaign_get_stats (store, c, days, &st, &error))
        return crm_cli_fail_error (error);
      if (crm_cli_get_json ())
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, crm_campaign_get_name (c));
          json_builder_set_member_name (b, "status");
          json_builder_add_string_value (b, crm_campaign_get_status (c));
          add_counts (b, &st);
          json_builder_set_member_name (b, "conversions");
          json_builder_add_int_value (b, st.conversions);
          json_builder_set_member_name (b, "revenue");
          json_builder_add_int_value (b, st.revenue);
          json_builder_end_object (b);
          continue;
        }
      revenue = crm_format_money (st.revenue, currency);
      sent = crm_format_count (st.sent);
      failed = crm_format_count (st.failed);
      crm_cli_print_padded (crm_campaign_get_name (c), 25);
      crm_cli_print_padded (crm_campaign_get_status (c), 10);
      /* Translators: campaign list columns; keep them short. */
      conversions = crm_format_count (st.conversions);
      printf (_("sent %s  failed %s  conversions %s  revenue %s\n"), sent, failed, conversions, revenue);
    }
  json_builder_end_array (b);
  if (crm_cli_get_json ())
    crm_cli_print_json (b);
  else if (all->len == 0)
    printf (_("No campaigns. Make one with “%s campaign create NAME …”.\n"), CRM_CLI_PROGRAM);
  return CRM_CLI_EXIT_OK;
}

static int
campaign_unsubscribe (CrmStore   *store,
                      const char *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_path_get_basename (file);
  g_autofree char *source = opt_source ? g_strdup (opt_source) : g_strdup_printf ("import:%s", base);
  CrmUnsubscribeCounts counts;

  if (!crm_campaign_import_unsubscribes (store, file, source, &counts, &error))
    return crm_cli_fail_error (error);
  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "unsubscribed");
      json_builder_add_int_value (b, counts.unsubscribed);
      json_builder_set_member_name (b, "already");
      json_builder_add_int_value (b, counts.already);
      json_builder_set_member_name (b, "unknown");
      json_builder_add_int_value (b, counts.unknown);
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else
    {
      g_autofree char *unsubscribed = crm_format_count ((gint64) counts.unsubscribed);
      g_autofree char *already = crm_format_count ((gint64) counts.already);
      g_autofree char *unknown = crm_format_count ((gint64) counts.unknown);

      printf (_("Unsubscribed %s, already without consent %s, not found %s\n"), unsubscribed, already, unknown);
    }
  return CRM_CLI_EXIT_OK;
}

static int
cmd_campaign (CrmStore  *store,
              char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCampaign) c = NULL;
  const char *verb = args[0];
  const char *name = args[1];

  if (g_str_equal (verb, "list"))
    return name ? crm_cli_fail (CRM_CLI_EXIT_USAGE, _("campaign list takes no name")) : campaign_list (store);
  if (!g_str_equal (verb, "create") && !g_str_equal (verb, "preview") && !g_str_equal (verb, "send") &&
      !g_str_equal (verb, "status") && !g_str_equal (verb, "unsubscribe") && !g_str_equal (verb, "test"))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE,
                         _("campaign: unknown action “%s” (create, preview, test, send, status, list, unsubscribe)"), verb);
  if (name == NULL)
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, g_str_equal (verb, "unsubscribe") ? _("campaign unsubscribe needs a FILE")
                                                                               : _("campaign %s needs a NAME"), verb);
  if (g_str_equal (verb, "unsubscribe"))
    return campaign_unsubscribe (store, name);
  if (g_str_equal (verb, "create"))
    return campaign_create (store, name);
  if (!(c = crm_campaign_find (store, name, &error)))
    return crm_cli_fail_error (error);
  if (g_str_equal (verb, "preview"))
    return campaign_preview (store, c);
  if (g_str_equal (verb, "send"))
    return campaign_send (store, c);
  if (g_str_equal (verb, "test"))
    return campaign_test (store, c);
  return campaign_status (store, c);
}

const CrmCliCommand crm_cli_campaign_commands[] = {
  { "smtp", "set|show", N_("The mail server campaigns are sent through"), 1, 0, smtp_entries, FALSE, cmd_smtp },
  { "campaign", "create|preview|test|send|status|list|unsubscribe [NAME|FILE]",
    N_("E-mail campaigns to a segment: make, preview, test, send, follow; import unsubscribes"), 1, 2,
    campaign_entries, FALSE, cmd_campaign },
  { NULL }
};

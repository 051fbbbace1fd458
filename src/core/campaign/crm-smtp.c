/* crm-smtp.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-smtp.h"

#include <curl/curl.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-secret.h"
#include "crm-text.h"

G_DEFINE_QUARK (crm-smtp-error-quark, crm_smtp_error)

static const char *const security_names[] = { "starttls", "tls", "none" };

gboolean
crm_smtp_security_from_string (const char      *text,
                               CrmSmtpSecurity *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (security_names); i++)
    if (g_strcmp0 (text, security_names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
crm_smtp_security_to_string (CrmSmtpSecurity security)
{
  g_return_val_if_fail (security <= CRM_SMTP_NONE, NULL);
  return security_names[security];
}

void
crm_smtp_settings_free (CrmSmtpSettings *s)
{
  if (s == NULL)
    return;
  g_free (s->host);
  g_free (s->user);
  g_free (s->from);
  g_free (s->from_name);
  g_free (s->from_address);
  g_free (s->ca_file);
  g_free (s->secret_id);
  crm_secret_free (s->password);
  g_free (s);
}

/* An address is one line of printable ASCII with one @ and something on both sides: what SMTP
 * takes in MAIL FROM and RCPT TO without SMTPUTF8. */
static gboolean
address_is_valid (const char *a)
{
  const char *at = strchr (a, '@');

  if (at == NULL || at == a || at[1] == '\0' || strchr (at + 1, '@') != NULL)
    return FALSE;
  for (const char *p = a; *p; p++)
    if (*p <= ' ' || *p >= 0x7f || *p == '<' || *p == '>' || *p == ',' || *p == '"')
      return FALSE;
  return TRUE;
}

gboolean
crm_smtp_parse_mailbox (const char  *text,
                        char       **name,
                        char       **address,
                        GError     **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text ? text : ""));
  char *lt = strrchr (copy, '<');
  g_autofree char *n = NULL;
  g_autofree char *a = NULL;

  if (!g_utf8_validate (copy, -1, NULL))
    lt = NULL, copy[0] = '\0';
  if (lt != NULL && g_str_has_suffix (lt, ">"))
    {
      a = g_strndup (lt + 1, strlen (lt) - 2);
      *lt = '\0';
      n = g_strstrip (g_strdup (copy));
      /* "Shop" <addr>: the quotes are not part of the name. */
      if (strlen (n) >= 2 && n[0] == '"' && n[strlen (n) - 1] == '"')
        {
          char *unq = g_strndup (n + 1, strlen (n) - 2);
          g_free (n);
          n = unq;
        }
      if (n[0] == '\0')
        g_clear_pointer (&n, g_free);
    }
  else
    a = g_strdup (copy);

  if (!address_is_valid (a) || (n != NULL && (strchr (n, '\n') || strchr (n, '\r'))))
    {
      g_set_error (error, CRM_SMTP_ERROR, CRM_SMTP_ERROR_INVALID,
                   _("“%s” is not an e-mail address (expected “Shop <shop@example.com>” or “shop@example.com”)"),
                   text ? text : "");
      return FALSE;
    }
  if (name)
    *name = g_steal_pointer (&n);
  if (address)
    *address = g_steal_pointer (&a);
  return TRUE;
}

CrmSmtpSettings *
crm_smtp_settings_load (CrmStore  *store,
                        GError   **error)
{
  g_autoptr(CrmSmtpSettings) s = g_new0 (CrmSmtpSettings, 1);
  g_autofree char *port = crm_store_get_setting (store, "smtp.port");
  g_autofree char *security = crm_store_get_setting (store, "smtp.security");
  g_autofree char *rate = crm_store_get_setting (store, "smtp.rate");

  s->host = crm_store_get_setting (store, "smtp.host");
  s->from = crm_store_get_setting (store, "smtp.from");
  if (s->host == NULL || s->from == NULL)
    {
      g_set_error (error, CRM_SMTP_ERROR, CRM_SMTP_ERROR_NOT_CONFIGURED,
                   _("No mail server is set up: set one in Preferences or with “clientele-cli smtp set”"));
      return NULL;
    }
  s->user = crm_store_get_setting (store, "smtp.user");
  s->ca_file = crm_store_get_setting (store, "smtp.ca-file");
  s->secret_id = crm_store_get_setting (store, "smtp.secret-id");
  s->port = port ? (guint) g_ascii_strtoull (port, NULL, 10) : 587;
  s->rate = rate ? (guint) g_ascii_strtoull (rate, NULL, 10) : 0;
  if (!crm_smtp_security_from_string (security ? security : "starttls", &s->security) ||
      !crm_smtp_parse_mailbox (s->from, &s->from_name, &s->from_address, error))
    {
      if (error && *error == NULL)
        g_set_error (error, CRM_SMTP_ERROR, CRM_SMTP_ERROR_INVALID, _("The mail server's security “%s” is unknown"),
                     security);
      return NULL;
    }
  if (s->user != NULL && s->user[0] == '\0')
    g_clear_pointer (&s->user, g_free);
  if (s->ca_file != NULL && s->ca_file[0] == '\0')
    g_clear_pointer (&s->ca_file, g_free);
  return g_steal_pointer (&s);
}

static gboolean
check_settings (CrmSmtpSettings  *s,
                GError          **error)
{
  g_autofree char *name = NULL;
  g_autofree char *address = NULL;

  if (s->host == NULL || s->host[0] == '\0' ||
      strpbrk (s->host, " /@:\t\r\n") != NULL || !g_str_is_ascii (s->host))
    {
      g_set_error (error, CRM_SMTP_ERROR, CRM_SMTP_ERROR_INVALID,
                   _("“%s” is not a mail server's host name"), s->host ? s->host : "");
      return FALSE;
    }
  if (s->port == 0 || s->port > 65535)
    {
      g_set_error (error, CRM_SMTP_ERROR, CRM_SMTP_ERROR_INVALID, _("The port must be from 1 to 65535"));
      return FALSE;
    }
  if (s->user != NULL && !crm_text_validate (s->user, -1, 300, _("User name"), error))
    return FALSE;
  if (!crm_smtp_parse_mailbox (s->from, &name, &address, error))
    return FALSE;
  g_free (s->from_name);
  g_free (s->from_address);
  s->from_name = g_steal_pointer (&name);
  s->from_address = g_steal_pointer (&address);
  return TRUE;
}

gboolean
crm_smtp_settings_save (CrmStore         *store,
                        CrmSmtpSettings  *s,
                        GCancellable     *cancellable,
                        GError          **error)
{
  g_autofree char *port = NULL;
  g_autofree char *rate = NULL;
  gboolean ok;

  if (!check_settings (s, error))
    return FALSE;
  if (s->secret_id == NULL)
    s->secret_id = crm_store_get_setting (store, "smtp.secret-id");
  if (s->secret_id == NULL)
    s->secret_id = g_uuid_string_random ();
  /* The keyring first: settings that name a password the keyring refused would be half saved. */
  if (s->user != NULL && s->password != NULL)
    {
      g_autofree char *label = g_strdup_printf (_("Clientele mail server %s@%s"), s->user, s->host);

      if (!crm_secret_store (s->secret_id, "smtp", label, s->password, cancellable, error))
        return FALSE;
    }

  port = g_strdup_printf ("%u", s->port);
  rate = g_strdup_printf ("%u", s->rate);
  ok = crm_store_begin (store, error) &&
       crm_store_set_setting (store, "smtp.host", s->host, error) &&
       crm_store_set_setting (store, "smtp.port", port, error) &&
       crm_store_set_setting (store, "smtp.security", crm_smtp_security_to_string (s->security), error) &&
       crm_store_set_setting (store, "smtp.user", s->user ? s->user : "", error) &&
       crm_store_set_setting (store, "smtp.from", s->from, error) &&
       crm_store_set_setting (store, "smtp.ca-file", s->ca_file ? s->ca_file : "", error) &&
       crm_store_set_setting (store, "smtp.rate", rate, error) &&
       crm_store_set_setting (store, "smtp.secret-id", s->secret_id, error) &&
       crm_store_commit (store, error);
  if (!ok)
    crm_store_rollback (store);
  return ok;
}

gboolean
crm_smtp_settings_load_password (CrmSmtpSettings  *s,
                                 GCancellable     *cancellable,
                                 GError          **error)
{
  if (s->user == NULL || s->password != NULL)
    return TRUE;
  if (s->secret_id == NULL)
    {
      g_set_error (error, CRM_SECRET_ERROR, CRM_SECRET_ERROR_NOT_FOUND,
                   _("The keyring has no password for the mail server: set it again"));
      return FALSE;
    }
  s->password = crm_secret_lookup (s->secret_id, cancellable, error);
  return s->password != NULL;
}

/* ---- the transport ------------------------------------------------------------------- */

struct _CrmSmtpSender
{
  CURL              *curl;
  char              *from;   /* "<addr>" */
  char               errbuf[CURL_ERROR_SIZE];
  const char        *data;   /* the message being read by libcurl */
  gsize              length;
  gsize              offset;
};

static size_t
read_message (char   *buffer,
              size_t  size,
              size_t  nitems,
              void   *user_data)
{
  CrmSmtpSender *self = user_data;
  size_t n = MIN (size * nitems, self->length - self->offset);

  memcpy (buffer, self->data + self->offset, n);
  self->offset += n;
  return n;
}

CrmSmtpSender *
crm_smtp_sender_new (const CrmSmtpSettings *s)
{
  static gsize curl_ready;
  CrmSmtpSender *self = g_new0 (CrmSmtpSender, 1);
  g_autofree char *url = NULL;

  if (g_once_init_enter (&curl_ready))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&curl_ready, 1);
    }
  /* A numeric IPv6 address goes in brackets in a URL. */
  url = g_strdup_printf (strchr (s->host, ':') ? "%s://[%s]:%u" : "%s://%s:%u",
                         s->security == CRM_SMTP_TLS ? "smtps" : "smtp", s->host, s->port);
  self->curl = curl_easy_init ();
  self->from = g_strdup_printf ("<%s>", s->from_address);
  curl_easy_setopt (self->curl, CURLOPT_URL, url);
  curl_easy_setopt (self->curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (self->curl, CURLOPT_ERRORBUFFER, self->errbuf);
  curl_easy_setopt (self->curl, CURLOPT_CONNECTTIMEOUT, 30L);
  /* A server that stops answering: the transaction fails after a minute without progress. */
  curl_easy_setopt (self->curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt (self->curl, CURLOPT_LOW_SPEED_TIME, 60L);
  if (s->security == CRM_SMTP_STARTTLS)
    curl_easy_setopt (self->curl, CURLOPT_USE_SSL, (long) CURLUSESSL_ALL);
  if (s->ca_file != NULL)
    curl_easy_setopt (self->curl, CURLOPT_CAINFO, s->ca_file);
  if (s->user != NULL)
    {
      curl_easy_setopt (self->curl, CURLOPT_USERNAME, s->user);
      curl_easy_setopt (self->curl, CURLOPT_PASSWORD, s->password ? s->password : "");
    }
  curl_easy_setopt (self->curl, CURLOPT_MAIL_FROM, self->from);
  curl_easy_setopt (self->curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt (self->curl, CURLOPT_READFUNCTION, read_message);
  curl_easy_setopt (self->curl, CURLOPT_READDATA, self);
  return self;
}

void
crm_smtp_sender_free (CrmSmtpSender *self)
{
  if (self == NULL)
    return;
  curl_easy_cleanup (self->curl);
  g_free (self->from);
  g_free (self);
}

gboolean
crm_smtp_sender_send (CrmSmtpSender  *self,
                      const char     *recipient,
                      const char     *message,
                      gsize           length,
                      GError        **error)
{
  g_autofree char *rcpt = g_strdup_printf ("<%s>", recipient);
  struct curl_slist *rcpts = curl_slist_append (NULL, rcpt);
  const char *detail;
  long code = 0;
  CURLcode rc;

  self->data = message;
  self->length = length;
  self->offset = 0;
  self->errbuf[0] = '\0';
  curl_easy_setopt (self->curl, CURLOPT_MAIL_RCPT, rcpts);
  curl_easy_setopt (self->curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t) length);
  rc = curl_easy_perform (self->curl);
  curl_easy_setopt (self->curl, CURLOPT_MAIL_RCPT, NULL);
  curl_slist_free_all (rcpts);
  self->data = NULL;
  if (rc == CURLE_OK)
    return TRUE;

  curl_easy_getinfo (self->curl, CURLINFO_RESPONSE_CODE, &code);
  detail = self->errbuf[0] ? self->errbuf : curl_easy_strerror (rc);
  switch (rc)
    {
    case CURLE_LOGIN_DENIED:
      g_set_error (error, CRM_SMTP_ERROR, CRM_SMTP_ERROR_AUTH,
                   _("The mail server refused the user name or password (%s)"), detail);
      return FALSE;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_OPERATION_TIMEDOUT:
      if (rc != CURLE_OPERATION_TIMEDOUT || code == 0)
        {
          /* Before MAIL FROM: nothing of this message went out. */
          g_set_error (error, CRM_SMTP_ERROR, CRM_SMTP_ERROR_CONNECT,
                       _("Could not connect to the mail server: %s"), detail);
          return FALSE;
        }
      break;
    default:
      break;
    }
  /* Refusals that hold for every message: the run stops, this one was not sent. */
  if (code == 530)
    {
      g_set_error (error, CRM_SMTP_ERROR, CRM_SMTP_ERROR_AUTH,
                   _("The mail server requires a user name and password (%s)"), detail);
      return FALSE;
    }
  if (code == 421)
    {
      g_set_error (error, CRM_SMTP_ERROR, CRM_SMTP_ERROR_CONNECT,
                   _("The mail server is not taking messages now: %s"), detail);
      return FALSE;
    }
  /* An answer of 4xx or 5xx (to MAIL, RCPT or the end of DATA) is a refusal: not delivered. */
  if (code >= 400)
    {
      g_set_error (error, CRM_SMTP_ERROR, CRM_SMTP_ERROR_REFUSED,
                   _("The mail server refused the message: %ld (%s)"), code, detail);
      return FALSE;
    }
  g_set_error (error, CRM_SMTP_ERROR, CRM_SMTP_ERROR_UNKNOWN,
               _("The connection to the mail server broke during the message: it may or may not have been delivered (%s)"),
               detail);
  return FALSE;
}

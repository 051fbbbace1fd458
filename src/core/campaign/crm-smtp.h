/* crm-smtp.h: the shop's outgoing mail server and one connection to it.
 *
 * The settings live in the database's settings table (smtp.host, smtp.port, smtp.security,
 * smtp.user, smtp.from, smtp.ca-file, smtp.rate); the password lives in the keyring
 * (crm-secret.h, kind "smtp", found by smtp.secret-id), never in the database.
 *
 * The transport is libcurl's SMTP: STARTTLS (CURLOPT_USE_SSL) or implicit TLS (smtps://), AUTH
 * with CURLOPT_USERNAME/PASSWORD, certificates verified (against the system's authorities, or
 * the file named by smtp.ca-file for a server with its own authority).  One CrmSmtpSender keeps
 * its connection open between messages: libcurl reuses it for the next MAIL FROM.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_SMTP_ERROR (crm_smtp_error_quark ())

typedef enum
{
  CRM_SMTP_ERROR_NOT_CONFIGURED,  /* no server set (clientele-cli smtp set) */
  CRM_SMTP_ERROR_INVALID,         /* a setting refused: host, port, From address, security */
  CRM_SMTP_ERROR_CONNECT,         /* no connection: nothing was sent */
  CRM_SMTP_ERROR_AUTH,            /* the user name or password was refused: nothing was sent */
  CRM_SMTP_ERROR_REFUSED,         /* the server refused this message (4xx/5xx): not sent */
  CRM_SMTP_ERROR_UNKNOWN,         /* the connection broke during the transaction: maybe sent */
} CrmSmtpError;

GQuark crm_smtp_error_quark (void);

typedef enum
{
  CRM_SMTP_STARTTLS,
  CRM_SMTP_TLS,
  CRM_SMTP_NONE,
} CrmSmtpSecurity;

typedef struct
{
  char            *host;
  guint            port;
  CrmSmtpSecurity  security;
  char            *user;        /* NULL: no AUTH */
  char            *from;        /* "Shop <shop@example.com>" as given */
  char            *from_name;   /* parsed from @from: the display name (may be NULL) … */
  char            *from_address; /* … and the address */
  char            *ca_file;     /* NULL: the system's authorities */
  guint            rate;        /* messages per minute; 0: as fast as the server takes them */
  char            *secret_id;   /* the keyring item's id */
  char            *password;    /* filled by crm_smtp_settings_load_password() or the caller */
} CrmSmtpSettings;

void             crm_smtp_settings_free      (CrmSmtpSettings  *settings);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmSmtpSettings, crm_smtp_settings_free)

/* "starttls", "tls", "none" and back; FALSE for anything else. */
gboolean         crm_smtp_security_from_string (const char     *text,
                                              CrmSmtpSecurity  *out);
const char      *crm_smtp_security_to_string (CrmSmtpSecurity   security);

/* Splits "Name <addr@host>" or "addr@host"; FALSE with CRM_SMTP_ERROR_INVALID otherwise. */
gboolean         crm_smtp_parse_mailbox      (const char       *text,
                                              char            **name,
                                              char            **address,
                                              GError          **error);

/* The settings of @store; NULL with CRM_SMTP_ERROR_NOT_CONFIGURED when none are set.
 * The password is not read: see crm_smtp_settings_load_password(). */
CrmSmtpSettings *crm_smtp_settings_load      (CrmStore         *store,
                                              GError          **error);
/* Checks and saves @settings (one transaction); its password, when set, goes to the keyring
 * (blocking: a worker or the CLI) and a NULL password with a user keeps the one stored. */
gboolean         crm_smtp_settings_save      (CrmStore         *store,
                                              CrmSmtpSettings  *settings,
                                              GCancellable     *cancellable,
                                              GError          **error);
/* Reads the password from the keyring when the settings have a user and no password yet. */
gboolean         crm_smtp_settings_load_password (CrmSmtpSettings *settings,
                                              GCancellable     *cancellable,
                                              GError          **error);

typedef struct _CrmSmtpSender CrmSmtpSender;

CrmSmtpSender   *crm_smtp_sender_new         (const CrmSmtpSettings *settings);
/* One SMTP transaction: @message (CRLF lines, as GMime wrote it) from the settings' address
 * to @recipient.  The error's code says whether it may have been delivered (UNKNOWN) or surely
 * not (the others). */
gboolean         crm_smtp_sender_send        (CrmSmtpSender    *self,
                                              const char       *recipient,
                                              const char       *message,
                                              gsize             length,
                                              GError          **error);
void             crm_smtp_sender_free        (CrmSmtpSender    *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmSmtpSender, crm_smtp_sender_free)

G_END_DECLS

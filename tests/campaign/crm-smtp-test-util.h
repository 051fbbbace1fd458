/* crm-smtp-test-util.h: a real SMTP server for the campaign tests — tests/campaign/smtp-sink.py
 * (Debian's python3-aiosmtpd) on a free loopback port — and the messages it received.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  GSubprocess *proc;
  guint16      port;
  char        *dir;          /* where it stores the messages */
  char        *certificate;  /* the self-signed certificate (PEM), for TLS sinks */
  char        *key;
} CrmTestSmtp;

/* @extra: more arguments for smtp-sink.py ("--auth", "u:p", "--drop-after", "3", …), NULL-
 * terminated; "@CERT" and "@KEY" in them become a self-signed certificate for 127.0.0.1 made
 * by openssl now.  A sink that cannot start (aiosmtpd missing) fails the test. */
CrmTestSmtp *crm_test_smtp_start      (const char *const *extra);
void         crm_test_smtp_free       (CrmTestSmtp       *smtp);

typedef struct
{
  char  *mail_from;
  char **rcpt_to;
  char  *data;        /* the message as received */
  gsize  length;
} CrmTestSmtpMessage;

/* The messages received so far, in order (element: CrmTestSmtpMessage). */
GPtrArray   *crm_test_smtp_messages   (CrmTestSmtp       *smtp);
/* With --count-only: how many it received. */
guint        crm_test_smtp_count      (CrmTestSmtp       *smtp);

G_END_DECLS

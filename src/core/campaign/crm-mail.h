/* crm-mail.h: a campaign's message for one recipient — its fields filled in, made into MIME by
 * GMime 3.
 *
 * Fields: {{name}} {{tier}} {{points}} {{coupon}} {{shop}} (spaces inside the braces allowed).
 * {{points}} and {{coupon}} are empty until the loyalty room (points, coupons) exists.
 * {{shop}} is the display name of the mail server's From address ("Shop" of "Shop <a@b>").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *name;
  const char *tier;
  const char *points;
  const char *coupon;
  const char *shop;
} CrmMailFields;

/* FALSE with a G_IO_ERROR_INVALID_DATA naming the unknown field (or the unclosed "{{") and
 * @what (the translated part: "the subject", "the message"). */
gboolean crm_mail_template_check (const char           *text,
                                  const char           *what,
                                  GError              **error);
/* @text with its fields replaced; @html escapes the values for HTML.  An unknown field stays
 * as written (crm_mail_template_check() refuses it first). */
char    *crm_mail_template_render (const char          *text,
                                   const CrmMailFields *fields,
                                   gboolean             html);

typedef struct
{
  const char *from_name;       /* may be NULL */
  const char *from_address;
  const char *to_name;         /* may be NULL */
  const char *to_address;
  const char *subject;         /* rendered */
  const char *text;            /* rendered plain body, without the unsubscribe line */
  const char *html;            /* rendered HTML body or NULL */
  const char *token;           /* the recipient's unsubscribe token */
  gint64      date;            /* ms UTC */
} CrmMailMessage;

/* The unsubscribe line added to the plain body (and, escaped, to the HTML one). */
char    *crm_mail_unsubscribe_line (const char          *from_address,
                                    const char          *token);
/* The whole message, CRLF lines, ready for SMTP; its Message-ID in @message_id. */
char    *crm_mail_build          (const CrmMailMessage *message,
                                  gsize                *length,
                                  char                **message_id);

G_END_DECLS

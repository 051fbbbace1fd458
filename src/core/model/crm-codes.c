/* crm-codes.c: see crm-codes.h.
 *
 * The one table of the words shown for stored codes: the order form (crm-sales.h's key lists
 * say which of them it offers), the order history and timeline, exports and the predictions
 * all read it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-codes.h"

typedef struct
{
  const char *code;
  const char *label;    /* N_() */
  const char *phrase;   /* N_(): the label standing alone, where it differs ("Low risk") */
} Code;

static const Code statuses[] = {
  /* Translators: order statuses. */
  { "completed", N_("Completed"), NULL },
  { "processing", N_("Processing"), NULL },
  { "shipped", N_("Shipped"), NULL },
  { "paid", N_("Paid"), NULL },
  { "pending", N_("Pending"), NULL },
  { "on-hold", N_("On hold"), NULL },
  { "cancelled", N_("Cancelled"), NULL },
  { "refunded", N_("Refunded"), NULL },
  { "failed", N_("Failed"), NULL },
  { NULL, NULL, NULL }
};

static const Code channels[] = {
  /* Translators: where an order was placed or a customer came from. */
  { "web", N_("Web shop"), NULL },
  { "wechat", N_("WeChat"), NULL },
  { "marketplace", N_("Marketplace"), NULL },
  { "store", N_("In store"), NULL },
  { "phone", N_("By phone"), NULL },
  { "referral", N_("Referral"), NULL },
  { "event", N_("Event"), NULL },
  { "other", N_("Other"), NULL },
  { NULL, NULL, NULL }
};

static const Code payments[] = {
  /* Translators: how an order was paid. */
  { "cash", N_("Cash"), NULL },
  { "card", N_("Card"), NULL },
  { "wechat-pay", N_("WeChat Pay"), NULL },
  { "alipay", N_("Alipay"), NULL },
  { "transfer", N_("Bank transfer"), NULL },
  { "other", N_("Other"), NULL },
  { NULL, NULL, NULL }
};

static const Code risks[] = {
  /* Translators: a customer's churn risk: under a "Churn risk" heading, and alone. */
  { "low", N_("Low"), N_("Low risk") },
  { "medium", N_("Medium"), N_("Medium risk") },
  { "high", N_("High"), N_("High risk") },
  { NULL, NULL, NULL }
};

static const Code *
table (CrmCodeKind kind)
{
  switch (kind)
    {
    case CRM_CODE_ORDER_STATUS:
      return statuses;
    case CRM_CODE_PAYMENT:
      return payments;
    case CRM_CODE_CHURN_RISK:
      return risks;
    case CRM_CODE_CHANNEL:
    default:
      return channels;
    }
}

static const Code *
find (CrmCodeKind  kind,
      const char  *code)
{
  for (const Code *c = table (kind); code != NULL && c->code != NULL; c++)
    if (g_ascii_strcasecmp (c->code, code) == 0)
      return c;
  return NULL;
}

const char *
crm_code_get_label (CrmCodeKind  kind,
                    const char  *code)
{
  const Code *c = find (kind, code);

  return c != NULL ? g_dgettext (GETTEXT_PACKAGE, c->label) : code;
}

const char *
crm_code_get_phrase (CrmCodeKind  kind,
                     const char  *code)
{
  const Code *c = find (kind, code);

  if (c == NULL)
    return code;
  return g_dgettext (GETTEXT_PACKAGE, c->phrase != NULL ? c->phrase : c->label);
}

const char *
crm_code_from_label (CrmCodeKind  kind,
                     const char  *label)
{
  if (label == NULL)
    return NULL;

  for (const Code *c = table (kind); c->code != NULL; c++)
    if (g_strcmp0 (g_dgettext (GETTEXT_PACKAGE, c->label), label) == 0 || g_strcmp0 (c->label, label) == 0)
      return c->code;

  return label;
}

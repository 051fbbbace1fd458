/* crm-codes.c: see crm-codes.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-codes.h"

typedef struct
{
  const char *code;
  const char *label;   /* N_() */
} Code;

static const Code statuses[] = {
  /* Translators: order statuses. */
  { "completed", N_("Completed") },
  { "processing", N_("Processing") },
  { "shipped", N_("Shipped") },
  { "pending", N_("Pending") },
  { "cancelled", N_("Cancelled") },
  { "refunded", N_("Refunded") },
  { "failed", N_("Failed") },
  { NULL, NULL }
};

static const Code channels[] = {
  /* Translators: where an order was placed or a customer came from. */
  { "web", N_("Web shop") },
  { "wechat", N_("WeChat") },
  { "marketplace", N_("Marketplace") },
  { "store", N_("In store") },
  { "phone", N_("By phone") },
  { "referral", N_("Referral") },
  { "event", N_("Event") },
  { NULL, NULL }
};

static const Code risks[] = {
  /* Translators: a customer's churn risk. */
  { "low", N_("Low") },
  { "medium", N_("Medium") },
  { "high", N_("High") },
  { NULL, NULL }
};

static const Code *
table (CrmCodeKind kind)
{
  switch (kind)
    {
    case CRM_CODE_ORDER_STATUS:
      return statuses;
    case CRM_CODE_CHURN_RISK:
      return risks;
    case CRM_CODE_CHANNEL:
    default:
      return channels;
    }
}

const char *
crm_code_get_label (CrmCodeKind  kind,
                    const char  *code)
{
  if (code == NULL)
    return NULL;

  for (const Code *c = table (kind); c->code != NULL; c++)
    if (g_ascii_strcasecmp (c->code, code) == 0)
      return g_dgettext (GETTEXT_PACKAGE, c->label);

  return code;
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

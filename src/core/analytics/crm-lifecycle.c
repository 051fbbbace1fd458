/* crm-lifecycle.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-lifecycle.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>

#include "crm-json.h"

void
crm_lifecycle_rules_init_default (CrmLifecycleRules *rules)
{
  rules->new_days = 30;
  rules->at_risk_factor = 2.0;
  rules->churn_factor = 4.0;
  rules->single_at_risk_days = 90;
  rules->single_churn_days = 180;
  rules->min_at_risk_days = 30;
}

gboolean
crm_lifecycle_rules_equal (const CrmLifecycleRules *a,
                           const CrmLifecycleRules *b)
{
  return a->new_days == b->new_days && a->at_risk_factor == b->at_risk_factor &&
         a->churn_factor == b->churn_factor && a->single_at_risk_days == b->single_at_risk_days &&
         a->single_churn_days == b->single_churn_days && a->min_at_risk_days == b->min_at_risk_days;
}

char *
crm_lifecycle_rules_to_json (const CrmLifecycleRules *r)
{
  char at_risk[G_ASCII_DTOSTR_BUF_SIZE], churn[G_ASCII_DTOSTR_BUF_SIZE];

  /* Not %g: under a locale with a decimal comma that writes "2,5", which is not JSON. */
  g_ascii_dtostr (at_risk, sizeof at_risk, r->at_risk_factor);
  g_ascii_dtostr (churn, sizeof churn, r->churn_factor);

  return g_strdup_printf ("{\"new_days\":%d,\"at_risk_factor\":%s,\"churn_factor\":%s,"
                          "\"single_at_risk_days\":%d,\"single_churn_days\":%d,"
                          "\"min_at_risk_days\":%d}",
                          r->new_days, at_risk, churn,
                          r->single_at_risk_days, r->single_churn_days, r->min_at_risk_days);
}

static gboolean
refuse (const char  **field,
        const char   *member,
        GError      **error,
        const char   *message)
{
  if (field != NULL)
    *field = member;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, message);
  return FALSE;
}

gboolean
crm_lifecycle_rules_check (const CrmLifecycleRules  *r,
                           const char              **field,
                           GError                  **error)
{
  if (field != NULL)
    *field = NULL;

  /* In the order a form shows them, so the first problem named is the topmost. */
  if (r->new_days < 0)
    return refuse (field, "new_days", error, _("The New period cannot be negative."));
  if (!isfinite (r->at_risk_factor) || r->at_risk_factor <= 0)
    return refuse (field, "at_risk_factor", error, _("The at-risk factor must be greater than zero."));
  if (!isfinite (r->churn_factor) || r->churn_factor < r->at_risk_factor)
    return refuse (field, "churn_factor", error,
                   _("The churn factor must be at least the at-risk factor: "
                     "a customer is at risk before they are churned."));
  if (r->min_at_risk_days < 0)
    return refuse (field, "min_at_risk_days", error, _("The shortest at-risk silence cannot be negative."));
  if (r->single_at_risk_days <= 0)
    return refuse (field, "single_at_risk_days", error,
                   _("Customers with one order must have at least one day before they are at risk."));
  if (r->single_churn_days < r->single_at_risk_days)
    return refuse (field, "single_churn_days", error,
                   _("For customers with one order, the churn limit must be at least the at-risk limit."));

  return TRUE;
}

gboolean
crm_lifecycle_rules_load (CrmLifecycleRules  *rules,
                          const char         *json,
                          GError            **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;

  crm_lifecycle_rules_init_default (rules);
  if (json == NULL)
    return TRUE;

  if (!crm_json_load (parser, json, CRM_JSON_MAX_DEPTH, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The lifecycle settings are not a JSON object"));
      return FALSE;
    }
  o = json_node_get_object (json_parser_get_root (parser));

  rules->new_days = json_object_get_int_member_with_default (o, "new_days", rules->new_days);
  rules->at_risk_factor = json_object_get_double_member_with_default (o, "at_risk_factor", rules->at_risk_factor);
  rules->churn_factor = json_object_get_double_member_with_default (o, "churn_factor", rules->churn_factor);
  rules->single_at_risk_days = json_object_get_int_member_with_default (o, "single_at_risk_days", rules->single_at_risk_days);
  rules->single_churn_days = json_object_get_int_member_with_default (o, "single_churn_days", rules->single_churn_days);
  rules->min_at_risk_days = json_object_get_int_member_with_default (o, "min_at_risk_days", rules->min_at_risk_days);

  return crm_lifecycle_rules_check (rules, NULL, error);
}

gboolean
crm_lifecycle_rules_save (CrmStore                 *store,
                          const CrmLifecycleRules  *rules,
                          GError                  **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (rules != NULL, FALSE);

  if (!crm_lifecycle_rules_check (rules, NULL, error))
    return FALSE;

  json = crm_lifecycle_rules_to_json (rules);
  return crm_store_set_setting (store, CRM_LIFECYCLE_RULES_SETTING, json, error);
}

static int
cmp_i32 (const void *a,
         const void *b)
{
  gint32 x = *(const gint32 *) a, y = *(const gint32 *) b;
  return (x > y) - (x < y);
}

static void
sort_small (gint32 *v,
            gsize   n)
{
  /* Most customers have a handful of orders: insertion sort, no allocation. */
  if (n > 32)
    {
      qsort (v, n, sizeof (gint32), cmp_i32);
      return;
    }
  for (gsize i = 1; i < n; i++)
    {
      gint32 x = v[i];
      gsize j = i;
      for (; j > 0 && v[j - 1] > x; j--)
        v[j] = v[j - 1];
      v[j] = x;
    }
}

/* Limits for a customer whose distinct order days are days[0..n-1]. */
static void
limits (const CrmLifecycleRules *rules,
        const gint32            *days,
        gsize                    n,
        gint32                  *at_risk,
        gint32                  *churn)
{
  gint32 stack_gaps[64];
  g_autofree gint32 *heap_gaps = NULL;
  gint32 *gaps;
  double median;

  if (n <= 1)
    {
      *at_risk = rules->single_at_risk_days;
      *churn = rules->single_churn_days;
      return;
    }

  gaps = n - 1 <= G_N_ELEMENTS (stack_gaps) ? stack_gaps : (heap_gaps = g_new (gint32, n - 1));
  for (gsize i = 1; i < n; i++)
    gaps[i - 1] = days[i] - days[i - 1];
  sort_small (gaps, n - 1);
  median = (n - 1) % 2 ? gaps[(n - 1) / 2] : (gaps[(n - 1) / 2 - 1] + gaps[(n - 1) / 2]) / 2.0;

  *at_risk = MAX ((gint32) ceil (rules->at_risk_factor * median), rules->min_at_risk_days);
  *churn = MAX ((gint32) ceil (rules->churn_factor * median),
                (gint32) ceil (rules->min_at_risk_days * rules->churn_factor / rules->at_risk_factor));
}

CrmLifecycle
crm_lifecycle_classify (const CrmLifecycleRules *rules,
                        const gint32            *days,
                        gsize                    n_days,
                        gint32                   today,
                        gint32                  *since)
{
  gint32 stack_days[128];
  g_autofree gint32 *heap_days = NULL;
  gint32 *distinct;
  gsize n = 0;
  gint32 at_risk, churn, silent, unused;
  gboolean want_since = since != NULL;

  if (since == NULL)
    since = &unused;

  /* Same-day orders are one visit. */
  distinct = n_days <= G_N_ELEMENTS (stack_days) ? stack_days : (heap_days = g_new (gint32, n_days));
  for (gsize i = 0; i < n_days; i++)
    if (days[i] <= today && (n == 0 || days[i] != distinct[n - 1]))
      distinct[n++] = days[i];

  if (n == 0)
    {
      *since = 0;
      return CRM_LIFECYCLE_PROSPECT;
    }

  limits (rules, distinct, n, &at_risk, &churn);
  silent = today - distinct[n - 1];

  if (silent > churn)
    {
      *since = distinct[n - 1] + churn + 1;
      return CRM_LIFECYCLE_CHURNED;
    }
  if (silent > at_risk)
    {
      *since = distinct[n - 1] + at_risk + 1;
      return CRM_LIFECYCLE_AT_RISK;
    }

  if (today - distinct[0] <= rules->new_days)
    {
      *since = distinct[0];
      return CRM_LIFECYCLE_NEW;
    }

  /* Won back: the silence before the last order crossed the at-risk limit the
   * customer had at that time. */
  if (n >= 2)
    {
      gint32 prev_at_risk, prev_churn;

      limits (rules, distinct, n - 1, &prev_at_risk, &prev_churn);
      if (distinct[n - 1] - distinct[n - 2] > prev_at_risk)
        {
          *since = distinct[n - 1];
          return CRM_LIFECYCLE_WON_BACK;
        }
    }

  /* Active since the customer stopped being new, or since the last won-back order
   * (only worked out when asked: it costs a pass over every earlier gap). */
  *since = distinct[0] + rules->new_days + 1;
  for (gsize i = n - 1; want_since && i >= 1; i--)
    {
      gint32 a, c;
      limits (rules, distinct, i, &a, &c);
      if (distinct[i] - distinct[i - 1] > a)
        {
          *since = distinct[i];
          break;
        }
    }
  return CRM_LIFECYCLE_ACTIVE;
}

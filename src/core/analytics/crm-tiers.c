/* crm-tiers.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-tiers.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-format.h"
#include "crm-text.h"

enum { DIM_R, DIM_F, DIM_M, DIM_FM };

static gboolean
parse_error (GError     **error,
             const char  *text,
             const char  *term)
{
  g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
               _("“%s” is not a valid RFM condition (at “%s”): use terms such as r>=4, fm>=3 "
                 "or segment=champions|loyal"), text, term);
  return FALSE;
}

gboolean
crm_rfm_condition_parse (const char       *text,
                         CrmRfmCondition  *out,
                         GError          **error)
{
  g_auto(GStrv) terms = NULL;
  g_autofree char *copy = NULL;

  memset (out, 0, sizeof *out);
  for (int d = 0; d < 4; d++)
    {
      out->min[d] = 1;
      out->max[d] = 5;
    }
  out->empty = TRUE;

  if (text == NULL)
    return TRUE;

  copy = g_ascii_strdown (text, -1);
  g_strdelimit (copy, ",;\t\n", ' ');
  terms = g_strsplit (copy, " ", -1);

  for (guint i = 0; terms[i] != NULL; i++)
    {
      const char *t = terms[i];
      const char *p;
      int dim, op_len = 1;
      long value;
      char *end;

      if (*t == '\0' || g_str_equal (t, "and"))
        continue;
      out->empty = FALSE;

      if (g_str_has_prefix (t, "segment="))
        {
          g_auto(GStrv) keys = g_strsplit (t + strlen ("segment="), "|", -1);

          for (guint k = 0; keys[k] != NULL; k++)
            {
              int seg = crm_rfm_segment_from_string (keys[k]);
              if (seg <= CRM_RFM_NONE)
                return parse_error (error, text, keys[k]);
              out->segments |= 1u << seg;
            }
          continue;
        }

      if (g_str_has_prefix (t, "fm"))
        dim = DIM_FM, p = t + 2;
      else if (*t == 'r')
        dim = DIM_R, p = t + 1;
      else if (*t == 'f')
        dim = DIM_F, p = t + 1;
      else if (*t == 'm')
        dim = DIM_M, p = t + 1;
      else
        return parse_error (error, text, t);

      if (p[0] && p[1] == '=' && (p[0] == '>' || p[0] == '<'))
        op_len = 2;
      else if (!(p[0] == '=' || p[0] == '>' || p[0] == '<'))
        return parse_error (error, text, t);

      value = strtol (p + op_len, &end, 10);
      if (*end != '\0' || end == p + op_len || value < 1 || value > 5)
        return parse_error (error, text, t);

      if (op_len == 2 && p[0] == '>')
        out->min[dim] = MAX (out->min[dim], value);
      else if (op_len == 2)
        out->max[dim] = MIN (out->max[dim], value);
      else if (p[0] == '>')
        out->min[dim] = MAX (out->min[dim], value + 1);
      else if (p[0] == '<')
        out->max[dim] = MIN (out->max[dim], value - 1);
      else
        {
          out->min[dim] = MAX (out->min[dim], value);
          out->max[dim] = MIN (out->max[dim], value);
        }
    }

  return TRUE;
}

gboolean
crm_rfm_condition_holds (const CrmRfmCondition *cond,
                         const CrmRfmRow       *row)
{
  guint8 v[4];

  if (cond->empty)
    return TRUE;
  if (row == NULL || row->segment == CRM_RFM_NONE)
    return FALSE;

  v[DIM_R] = row->r_score;
  v[DIM_F] = row->f_score;
  v[DIM_M] = row->m_score;
  v[DIM_FM] = (row->f_score + row->m_score + 1) / 2;
  for (int d = 0; d < 4; d++)
    if (v[d] < cond->min[d] || v[d] > cond->max[d])
      return FALSE;

  return cond->segments == 0 || (cond->segments & (1u << row->segment)) != 0;
}

static int
by_rank_desc (gconstpointer a,
              gconstpointer b)
{
  const CrmTierRule *x = a, *y = b;
  if (x->rank != y->rank)
    return (y->rank > x->rank) - (y->rank < x->rank);
  return (x->tier_id > y->tier_id) - (x->tier_id < y->tier_id);
}

GArray *
crm_tiers_load_rules (CrmStore  *store,
                      GError   **error)
{
  g_autoptr(GPtrArray) tiers = crm_store_list_all (store, CRM_TYPE_TIER, "rank", error);
  g_autoptr(GArray) rules = g_array_new (FALSE, TRUE, sizeof (CrmTierRule));

  if (tiers == NULL)
    return NULL;

  for (guint i = 0; i < tiers->len; i++)
    {
      CrmTier *tier = g_ptr_array_index (tiers, i);
      CrmTierRule rule = { 0 };
      g_autoptr(GError) local_error = NULL;

      rule.tier_id = crm_entity_get_id (CRM_ENTITY (tier));
      rule.rank = crm_tier_get_rank (tier);
      rule.min_spend = crm_tier_get_min_spend (tier);
      rule.min_orders = crm_tier_get_min_orders (tier);
      rule.match_any = crm_tier_get_match_any (tier);
      if (!crm_rfm_condition_parse (crm_tier_get_rfm_rule (tier), &rule.rfm, &local_error))
        {
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, _("Tier “%s”: %s"),
                       crm_tier_get_display_name (tier), local_error->message);
          return NULL;
        }
      g_array_append_val (rules, rule);
    }

  g_array_sort (rules, by_rank_desc);
  return g_steal_pointer (&rules);
}

static gboolean
rule_holds (const CrmTierRule *rule,
            const CrmRfmRow   *row)
{
  gboolean conds[3];
  gboolean used[3] = { rule->min_spend > 0, rule->min_orders > 0, !rule->rfm.empty };
  gboolean any_used = used[0] || used[1] || used[2];

  /* A tier without conditions is the floor everyone reaches. */
  if (!any_used)
    return TRUE;

  conds[0] = row != NULL && row->monetary >= rule->min_spend;
  conds[1] = row != NULL && row->frequency >= rule->min_orders;
  conds[2] = crm_rfm_condition_holds (&rule->rfm, row);

  for (int i = 0; i < 3; i++)
    {
      if (!used[i])
        continue;
      if (rule->match_any && conds[i])
        return TRUE;
      if (!rule->match_any && !conds[i])
        return FALSE;
    }

  return !rule->match_any;
}

gint64
crm_tiers_evaluate (const GArray    *rules,
                    const CrmRfmRow *row)
{
  for (guint i = 0; i < rules->len; i++)
    {
      const CrmTierRule *rule = &g_array_index (rules, CrmTierRule, i);
      if (rule_holds (rule, row))
        return rule->tier_id;
    }

  return 0;
}

gboolean
crm_tiers_ensure_default (CrmStore  *store,
                          GError   **error)
{
  static const struct {
    const char *key;
    const char *color;
    gint64 min_spend;
    gint64 min_orders;
    gboolean any;
    const char *rfm;
    double multiplier;
  } preset[] = {
    { "regular", "#9a9996", 0, 0, FALSE, NULL, 1.0 },
    { "silver", "#77767b", 100000, 3, TRUE, NULL, 1.2 },
    { "gold", "#e5a50a", 500000, 8, TRUE, NULL, 1.5 },
    { "vip", "#c01c28", 2000000, 0, FALSE, "r>=3", 2.0 },
  };
  gint64 count = crm_store_count (store, CRM_TYPE_TIER, error);

  if (count != 0)
    return count > 0;

  if (!crm_store_begin (store, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (preset); i++)
    {
      g_autoptr(CrmTier) tier = crm_tier_new ();

      /* The texts in today's language; shown in the interface's (crm_tier_get_display_name()). */
      crm_tier_set_preset (tier, preset[i].key);
      crm_tier_set_name (tier, crm_tier_preset_name (preset[i].key));
      crm_tier_set_rank (tier, i);
      crm_tier_set_color (tier, preset[i].color);
      crm_tier_set_min_spend (tier, preset[i].min_spend);
      crm_tier_set_min_orders (tier, preset[i].min_orders);
      crm_tier_set_match_any (tier, preset[i].any);
      crm_tier_set_rfm_rule (tier, preset[i].rfm);
      crm_tier_set_benefits (tier, crm_tier_preset_benefits (preset[i].key));
      crm_tier_set_points_multiplier (tier, preset[i].multiplier);
      crm_tier_set_window_days (tier, 365);
      if (!crm_store_insert (store, CRM_ENTITY (tier), error))
        {
          crm_store_rollback (store);
          return FALSE;
        }
    }

  return crm_store_commit (store, error);
}

gboolean
crm_tiers_set_override (CrmStore    *store,
                        gint64       customer_id,
                        gint64       tier_id,
                        const char  *reason,
                        gint64       expires_at,
                        GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (reason ? reason : ""));
  sqlite3_stmt *stmt;
  int rc;

  if (*trimmed == '\0')
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("A manual tier needs a reason"));
      return FALSE;
    }
  if (!crm_text_validate (reason, -1, 500, _("Reason"), error))
    return FALSE;

  stmt = crm_store_prepare (store,
                            "INSERT OR REPLACE INTO tier_overrides (customer_id, tier_id, reason, expires_at, created_at)"
                            " VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_int64 (stmt, 2, tier_id);
  sqlite3_bind_text (stmt, 3, reason, -1, SQLITE_TRANSIENT);
  if (expires_at > 0)
    sqlite3_bind_int64 (stmt, 4, expires_at);
  sqlite3_bind_int64 (stmt, 5, crm_now_ms ());
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (store, rc, error);

  return TRUE;
}

gboolean
crm_tiers_clear_override (CrmStore  *store,
                          gint64     customer_id,
                          GError   **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store, "DELETE FROM tier_overrides WHERE customer_id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (store, rc, error);

  return TRUE;
}

static void
clear_change (gpointer data)
{
  g_free (((CrmTierChange *) data)->reason);
}

GArray *
crm_tiers_history (CrmStore  *store,
                   gint64     customer_id,
                   GError   **error)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, TRUE, sizeof (CrmTierChange));
  sqlite3_stmt *stmt;

  g_array_set_clear_func (changes, clear_change);
  stmt = crm_store_prepare (store,
                            "SELECT from_tier, to_tier, at, reason FROM tier_history"
                            " WHERE customer_id = ? ORDER BY at, id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      CrmTierChange c = {
        sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
        sqlite3_column_int64 (stmt, 2), g_strdup ((const char *) sqlite3_column_text (stmt, 3)),
      };
      g_array_append_val (changes, c);
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&changes);
}

char *
crm_tier_describe_rule (CrmTier    *tier,
                        const char *currency)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const char *rfm = crm_tier_get_rfm_rule (tier);
  gint64 window = crm_tier_get_window_days (tier) > 0 ? crm_tier_get_window_days (tier) : 365;
  g_autofree char *joined = NULL;

  if (crm_tier_get_min_spend (tier) > 0)
    {
      g_autofree char *money = crm_format_money (crm_tier_get_min_spend (tier), currency);

      /* Translators: part of a tier rule, e.g. "spent ¥1,000.00 or more". */
      g_ptr_array_add (parts, g_strdup_printf (_("spent %s or more"), money));
    }
  if (crm_tier_get_min_orders (tier) > 0)
    {
      gint64 n = crm_tier_get_min_orders (tier);
      g_autofree char *count = crm_format_count (n);

      g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s order or more",
                                                            "%s orders or more", n), count));
    }
  if (rfm != NULL && rfm[0] != '\0')
    /* Translators: part of a tier rule; %s is a condition such as "r>=3". */
    g_ptr_array_add (parts, g_strdup_printf (_("RFM %s"), rfm));

  if (parts->len == 0)
    return g_strdup (_("Every customer"));

  g_ptr_array_add (parts, NULL);
  joined = g_strjoinv (crm_tier_get_match_any (tier) ? _(" or ") : _(" and "), (char **) parts->pdata);

  /* Translators: a tier rule; the first %s is e.g. "spent ¥1,000.00 or more or 3 orders or more". */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s in the last %d day", "%s in the last %d days",
                                       window), joined, (int) window);
}

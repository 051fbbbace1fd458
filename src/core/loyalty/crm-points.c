/* crm-points.c: the points ledger's writes — settings, earning from orders, points given and
 * redeemed by hand, expiry.  Reading is in crm-points-query.c; what the ledger means is in
 * crm-points.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-points-private.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>

#include "crm-format.h"
#include "crm-text.h"

static const char *const kind_names[CRM_POINTS_N_KINDS] = { "earn", "redeem", "adjust", "expire", "reverse" };

const char *
crm_points_kind_to_string (CrmPointsKind kind)
{
  return (guint) kind < CRM_POINTS_N_KINDS ? kind_names[kind] : NULL;
}

gboolean
crm_points_kind_from_string (const char    *text,
                             CrmPointsKind *out)
{
  for (guint i = 0; text != NULL && i < CRM_POINTS_N_KINDS; i++)
    if (g_str_equal (text, kind_names[i]))
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
crm_points_kind_get_label (CrmPointsKind kind)
{
  switch (kind)
    {
    case CRM_POINTS_EARN: return C_("points", "Earned");
    case CRM_POINTS_REDEEM: return C_("points", "Redeemed");
    case CRM_POINTS_ADJUST: return C_("points", "Adjusted");
    case CRM_POINTS_EXPIRE: return C_("points", "Expired");
    case CRM_POINTS_REVERSE: return C_("points", "Reversed");
    default: return "";
    }
}

static gint64 test_clock;

void
crm_points_set_clock_for_testing (gint64 now_ms)
{
  test_clock = now_ms;
}

gint64
crm_points_now (void)
{
  return test_clock != 0 ? test_clock : g_get_real_time () / 1000;
}

/* Settings ------------------------------------------------------------------- */

static double
setting_double (CrmStore   *store,
                const char *key,
                double      fallback)
{
  g_autofree char *text = crm_store_get_setting (store, key);
  char *end = NULL;
  double v;

  if (text == NULL)
    return fallback;
  v = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (v) ? v : fallback;
}

static gint64
setting_int (CrmStore   *store,
             const char *key,
             gint64      fallback)
{
  g_autofree char *text = crm_store_get_setting (store, key);
  gint64 v;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &v, NULL))
    return fallback;
  return v;
}

void
crm_points_settings_load (CrmStore          *store,
                          CrmPointsSettings *out)
{
  out->start = setting_int (store, "loyalty.start", 0);
  out->points_per_unit = setting_double (store, "loyalty.points_per_unit", 1.0);
  out->expiry_months = CLAMP (setting_int (store, "loyalty.expiry_months", 12), 1, 120);
  out->birthday_multiplier = setting_double (store, "loyalty.birthday_multiplier", 1.0);
  out->min_redemption = MAX (1, setting_int (store, "loyalty.min_redemption", 1));
  out->point_value = MAX (0, setting_int (store, "loyalty.point_value", 1));
}

static gboolean
refuse (GError    **error,
        const char *message)
{
  g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
settings_check (const CrmPointsSettings  *s,
                GError                  **error)
{
  if (!(s->points_per_unit > 0 && s->points_per_unit <= 1000))
    return refuse (error, _("Points per currency unit must be above 0 and at most 1000"));
  if (s->expiry_months < 1 || s->expiry_months > 120)
    return refuse (error, _("Points must expire after 1 to 120 months"));
  if (!(s->birthday_multiplier >= 1 && s->birthday_multiplier <= 10))
    return refuse (error, _("The birthday multiplier must be from 1 to 10"));
  if (s->min_redemption < 1)
    return refuse (error, _("The minimum redemption must be at least 1 point"));
  if (s->point_value < 0)
    return refuse (error, _("A point’s value cannot be negative"));
  if (s->start < 0)
    return refuse (error, _("The programme’s start date is not a valid date"));
  return TRUE;
}

static gboolean
set_double (CrmStore    *store,
            const char  *key,
            double       value,
            GError     **error)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return crm_store_set_setting (store, key, g_ascii_dtostr (buf, sizeof buf, value), error);
}

static gboolean
set_int (CrmStore    *store,
         const char  *key,
         gint64       value,
         GError     **error)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  return crm_store_set_setting (store, key, text, error);
}

gboolean
crm_points_settings_save (CrmStore                 *store,
                          const CrmPointsSettings  *s,
                          GError                  **error)
{
  CrmPointsSettings old;
  gboolean ok;

  if (!settings_check (s, error))
    return FALSE;
  crm_points_settings_load (store, &old);
  if (!crm_store_begin (store, error))
    return FALSE;
  ok = set_int (store, "loyalty.start", s->start, error) &&
       set_double (store, "loyalty.points_per_unit", s->points_per_unit, error) &&
       set_int (store, "loyalty.expiry_months", s->expiry_months, error) &&
       set_double (store, "loyalty.birthday_multiplier", s->birthday_multiplier, error) &&
       set_int (store, "loyalty.min_redemption", s->min_redemption, error) &&
       set_int (store, "loyalty.point_value", s->point_value, error) &&
       (old.start == s->start || crm_points_earn_all (store, error));
  if (!ok || !crm_store_commit (store, error))
    {
      crm_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

/* Earning -------------------------------------------------------------------- */

/* Minor units per major unit of an order's currency (100 for CNY, 1 for JPY). */
static void
unit_function (sqlite3_context  *ctx,
               int               argc,
               sqlite3_value   **argv)
{
  const char *currency = (const char *) sqlite3_value_text (argv[0]);
  guint exponent = crm_currency_exponent (currency != NULL ? currency : "CNY");
  double unit = 1;

  (void) argc;
  for (guint i = 0; i < exponent; i++)
    unit *= 10;
  sqlite3_result_double (ctx, unit);
}

/* Orders that were paid for: what the shop has the money of. */
#define PAID_ORDER \
  "o.deleted_at IS NULL AND o.status NOT IN ('pending', 'on-hold', 'cancelled', 'refunded', 'failed'," \
  " 'draft', 'checkout-draft')"

/* The tier a customer had at @placed_at: the last change at or before then, else the tier the
 * first change after then left; a customer whose tier never changed has today's. */
#define TIER_AT(customer, placed_at) \
  "(CASE WHEN EXISTS (SELECT 1 FROM tier_history h WHERE h.customer_id = " customer ")" \
  " THEN coalesce((SELECT h.to_tier FROM tier_history h WHERE h.customer_id = " customer \
  "   AND h.at <= " placed_at " ORDER BY h.at DESC, h.id DESC LIMIT 1)," \
  "  (SELECT h.from_tier FROM tier_history h WHERE h.customer_id = " customer \
  "   AND h.at > " placed_at " ORDER BY h.at, h.id LIMIT 1))" \
  " ELSE (SELECT s.tier_id FROM customer_state s WHERE s.customer_id = " customer ") END)"

/* ?1 start, ?2 points per unit, ?3 birthday multiplier, ?4 '+N months', ?5 now.  %1$s and
 * %2$s: which customers, as the ledger's rows (l) and the live orders (o) to read; a deleted
 * order is found through its entries (lots) and reverses.  Every
 * (customer, order) pair that has orders or ledger entries gets the difference between what
 * the order earns now and what its entries hold.  want is materialized so that each new
 * order's rate (the look-ups of its tier and birthday) is computed once. */
static const char earn_sql[] =
  "WITH lots AS (SELECT l.customer_id, l.order_id, sum(l.points) AS have, max(l.rate) AS rate,"
  "    max(l.expires_at) AS expires_at"
  "  FROM %1$s AND l.order_id IS NOT NULL AND l.kind IN ('earn', 'reverse')"
  "  GROUP BY l.customer_id, l.order_id),"
  " mine AS (SELECT o.id AS order_id, o.customer_id, o.placed_at, o.total, o.currency,"
  "    (" PAID_ORDER " AND o.placed_at >= ?1 AND o.total > 0) AS earns"
  "  FROM %2$s),"
  " pairs AS (SELECT customer_id, order_id FROM mine UNION SELECT customer_id, order_id FROM lots),"
  " want AS MATERIALIZED (SELECT p.customer_id, p.order_id, m.placed_at, m.total, coalesce(m.earns, 0) AS earns,"
  "    coalesce(l.have, 0) AS have, l.expires_at AS lot_expires,"
  "    coalesce(l.rate, CASE WHEN m.earns THEN ?2 / crm_points_unit(m.currency)"
  "      * coalesce((SELECT t.points_multiplier FROM tiers t WHERE t.id = "
  TIER_AT ("p.customer_id", "m.placed_at") "), 1.0)"
  "      * (CASE WHEN (SELECT substr(c.birthday, 6, 2) FROM customers c WHERE c.id = p.customer_id)"
  "          = strftime('%%m', m.placed_at / 1000, 'unixepoch', 'localtime') THEN ?3 ELSE 1.0 END)"
  "      END) AS rate"
  "  FROM pairs p LEFT JOIN mine m ON m.order_id = p.order_id AND m.customer_id = p.customer_id"
  "  LEFT JOIN lots l ON l.order_id = p.order_id AND l.customer_id = p.customer_id),"
  " due AS (SELECT *, CASE WHEN earns THEN CAST(total * rate + 1e-6 AS INTEGER) ELSE 0 END AS w FROM want)"
  " INSERT INTO points_ledger (customer_id, kind, points, at, expires_at, order_id, rate, created_at)"
  " SELECT customer_id, CASE WHEN w > have THEN 'earn' ELSE 'reverse' END, w - have,"
  "   CASE WHEN w > have THEN placed_at ELSE ?5 END,"
  "   coalesce(lot_expires, CAST(strftime('%%s', placed_at / 1000, 'unixepoch', ?4) AS INTEGER) * 1000"
  "     + placed_at %% 1000), order_id, rate, ?5"
  " FROM due WHERE w <> have";

static gboolean
run_earn (CrmStore    *store,
          const char  *ledger_rows,
          const char  *orders,
          GError     **error)
{
  sqlite3 *db = crm_store_get_db (store);
  g_autofree char *sql = g_strdup_printf (earn_sql, ledger_rows, orders);
  g_autofree char *months = NULL;
  CrmPointsSettings s;
  sqlite3_stmt *stmt = NULL;
  int rc;

  crm_points_settings_load (store, &s);
  months = g_strdup_printf ("+%u months", s.expiry_months);
  sqlite3_create_function (db, "crm_points_unit", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                           unit_function, NULL, NULL);
  /* Not the statement cache: @customers may name a table that is there only for this run. */
  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, s.start);
      sqlite3_bind_double (stmt, 2, s.points_per_unit);
      sqlite3_bind_double (stmt, 3, s.birthday_multiplier);
      sqlite3_bind_text (stmt, 4, months, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, crm_points_now ());
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (store, rc, error);
  return TRUE;
}

static void
id_column (gconstpointer    row,
           int              column,
           sqlite3_context *ctx)
{
  (void) column;
  sqlite3_result_int64 (ctx, *(const gint64 *) row);
}

gboolean
crm_points_order_hook (CrmStore      *store,
                       const gint64  *customer_ids,
                       guint          n_customers,
                       gpointer       user_data,
                       GError       **error)
{
  gboolean ok;

  (void) user_data;
  if (n_customers == 0)
    return TRUE;

  /* One set-based statement however many customers (an import's hundreds of thousands): the
   * planner reads their orders through orders_customer, or scans the table when that is less. */
  crm_store_attach_rows (store, "crm_points_dirty", "id", customer_ids, n_customers, sizeof (gint64), id_column);
  /* The indexes named: the planner knows nothing of the attached ids, and a scan of every
   * order for one sale would be the app's slowest write. */
  ok = run_earn (store,
                 "points_ledger l INDEXED BY points_ledger_customer"
                 " WHERE l.customer_id IN (SELECT id FROM crm_points_dirty)",
                 "orders o INDEXED BY orders_customer"
                 " WHERE o.deleted_at IS NULL AND o.customer_id IN (SELECT id FROM crm_points_dirty)", error);
  crm_store_detach_rows (store, "crm_points_dirty");
  return ok;
}

gboolean
crm_points_earn_all (CrmStore  *store,
                     GError   **error)
{
  return run_earn (store, "points_ledger l WHERE 1", "orders o WHERE o.deleted_at IS NULL", error);
}

void
crm_points_watch_orders (CrmStore *store)
{
  crm_store_add_order_hook (store, crm_points_order_hook, NULL, NULL);
}

/* Entries by hand ------------------------------------------------------------ */

gboolean
crm_points_insert (CrmStore       *store,
                   gint64          customer_id,
                   CrmPointsKind   kind,
                   gint64          points,
                   gint64          at,
                   gint64          expires_at,
                   gint64          order_id,
                   const char     *reason,
                   GError        **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store,
    "INSERT INTO points_ledger (customer_id, kind, points, at, expires_at, order_id, reason, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_text (stmt, 2, kind_names[kind], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, points);
  sqlite3_bind_int64 (stmt, 4, at);
  if (expires_at != 0)
    sqlite3_bind_int64 (stmt, 5, expires_at);
  if (order_id != 0)
    sqlite3_bind_int64 (stmt, 6, order_id);
  if (reason != NULL)
    sqlite3_bind_text (stmt, 7, reason, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, crm_points_now ());
  return crm_store_step (store, stmt, error);
}

/* ?1 as of, ?2 now, ?3 the customer.  Two statements, not "?3 IS NULL OR customer_id = ?3",
 * which the planner answers with a scan of the whole ledger for one customer too. */
#define EXPIRE_SQL(which) \
  "INSERT INTO points_ledger (customer_id, kind, points, at, created_at)" \
  " SELECT customer_id, 'expire', -due, ?1, ?2 FROM (" \
  "  SELECT customer_id, sum(points) AS due FROM points_ledger" \
  "  WHERE " which " (expires_at IS NULL OR expires_at <= ?1) AND at <= ?1" \
  "  GROUP BY customer_id) WHERE due > 0 RETURNING points"

gboolean
crm_points_expire_due (CrmStore  *store,
                       gint64     customer_id,
                       gint64     as_of,
                       gint64    *out_points,
                       gint64    *out_customers,
                       GError   **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store, customer_id != 0 ? EXPIRE_SQL ("customer_id = ?3 AND")
                                                                   : EXPIRE_SQL (""), error);
  gint64 points = 0, customers = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, as_of);
  sqlite3_bind_int64 (stmt, 2, crm_points_now ());
  if (customer_id != 0)
    sqlite3_bind_int64 (stmt, 3, customer_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      points -= sqlite3_column_int64 (stmt, 0);
      customers++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (store, rc, error);
  if (out_points != NULL)
    *out_points = points;
  if (out_customers != NULL)
    *out_customers = customers;
  return TRUE;
}

gboolean
crm_points_expire (CrmStore  *store,
                   gint64     as_of,
                   gint64    *out_points,
                   gint64    *out_customers,
                   GError   **error)
{
  if (as_of > crm_points_now ())
    return refuse (error, _("Points cannot be expired ahead of time: give a date that has passed"));
  if (!crm_store_begin (store, error))
    return FALSE;
  if (!crm_points_expire_due (store, 0, as_of != 0 ? as_of : crm_points_now (), out_points, out_customers, error) ||
      !crm_store_commit (store, error))
    {
      crm_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

static gboolean
customer_exists (CrmStore  *store,
                 gint64     customer_id,
                 GError   **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store, "SELECT 1 FROM customers WHERE id = ? AND deleted_at IS NULL", error);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (!found)
    g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND, _("No such customer"));
  return found;
}

static gboolean
check_reason (const char  *reason,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (reason == NULL)
    return TRUE;
  if (!crm_text_validate (reason, -1, 1000, _("Reason"), &local_error))
    return refuse (error, local_error->message);
  return TRUE;
}

/* The balance now, after writing what is due to expire: what may be spent. */
static gboolean
spendable (CrmStore  *store,
           gint64     customer_id,
           gint64    *out,
           GError   **error)
{
  if (!crm_points_expire_due (store, customer_id, crm_points_now (), NULL, NULL, error))
    return FALSE;
  *out = crm_points_cached_balance (store, customer_id);
  return TRUE;
}

static gboolean
refuse_overdraw (gint64      balance,
                 gint64      points,
                 GError    **error)
{
  g_autofree char *asked = crm_format_count (points);
  g_autofree char *have = crm_format_count (balance);
  g_autofree char *message =
    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                  "Not enough points: the customer has %2$s, %1$s point was asked for",
                                  "Not enough points: the customer has %2$s, %1$s points were asked for", points),
                     asked, have);

  return refuse (error, message);
}

static gboolean
add_in_tx (CrmStore       *store,
           gint64          customer_id,
           CrmPointsKind   kind,
           gint64          points,
           const char     *reason,
           gint64          at,
           GError        **error)
{
  CrmPointsSettings s;
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) expires = NULL;
  gint64 balance;

  if (!customer_exists (store, customer_id, error))
    return FALSE;
  if (points < 0)
    {
      if (!spendable (store, customer_id, &balance, error))
        return FALSE;
      if (-points > balance)
        return refuse_overdraw (balance, -points, error);
      return crm_points_insert (store, customer_id, kind, points, at, 0, 0, reason, error);
    }
  crm_points_settings_load (store, &s);
  when = g_date_time_new_from_unix_utc (at / 1000);
  expires = g_date_time_add_months (when, s.expiry_months);
  return crm_points_insert (store, customer_id, kind, points, at,
                            g_date_time_to_unix (expires) * 1000 + at % 1000, 0, reason, error);
}

gboolean
crm_points_add (CrmStore       *store,
                gint64          customer_id,
                CrmPointsKind   kind,
                gint64          points,
                const char     *reason,
                gint64          at,
                GError        **error)
{
  if (kind != CRM_POINTS_EARN && kind != CRM_POINTS_ADJUST)
    return refuse (error, _("Only earned points and adjustments are entered by hand"));
  if (kind == CRM_POINTS_EARN && points <= 0)
    return refuse (error, _("Points earned must be more than 0"));
  if (points == 0)
    return refuse (error, _("An adjustment must add or take at least one point"));
  if (points > 100000000 || points < -100000000)
    return refuse (error, _("At most 100,000,000 points at a time"));
  if (kind == CRM_POINTS_ADJUST && (reason == NULL || reason[0] == '\0'))
    return refuse (error, _("An adjustment needs a reason"));
  if (!check_reason (reason, error))
    return FALSE;

  if (!crm_store_begin (store, error))
    return FALSE;
  if (!add_in_tx (store, customer_id, kind, points, reason, at != 0 ? at : crm_points_now (), error) ||
      !crm_store_commit (store, error))
    {
      crm_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

static gboolean
order_is_customers (CrmStore  *store,
                    gint64     order_id,
                    gint64     customer_id,
                    GError   **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store, "SELECT customer_id FROM orders WHERE id = ? AND deleted_at IS NULL",
                                          error);
  gint64 owner = 0;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    owner = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (owner == 0)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND, _("No such order"));
      return FALSE;
    }
  if (owner != customer_id)
    return refuse (error, _("The order is another customer’s"));
  return TRUE;
}

static gboolean
redeem_in_tx (CrmStore    *store,
              gint64       customer_id,
              gint64       points,
              gint64       order_id,
              const char  *reason,
              GError     **error)
{
  CrmPointsSettings s;
  gint64 balance;

  crm_points_settings_load (store, &s);
  if (points < s.min_redemption)
    {
      g_autofree char *min = crm_format_count (s.min_redemption);
      g_autofree char *message =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "A redemption takes at least %s point",
                                      "A redemption takes at least %s points", s.min_redemption), min);
      return refuse (error, message);
    }
  if (!customer_exists (store, customer_id, error) ||
      (order_id != 0 && !order_is_customers (store, order_id, customer_id, error)) ||
      !spendable (store, customer_id, &balance, error))
    return FALSE;
  if (points > balance)
    return refuse_overdraw (balance, points, error);
  return crm_points_insert (store, customer_id, CRM_POINTS_REDEEM, -points, crm_points_now (), 0, order_id,
                            reason, error);
}

gboolean
crm_points_redeem (CrmStore    *store,
                   gint64       customer_id,
                   gint64       points,
                   gint64       order_id,
                   const char  *reason,
                   GError     **error)
{
  if (points <= 0)
    return refuse (error, _("Points to redeem must be more than 0"));
  if (points > 100000000)
    return refuse (error, _("At most 100,000,000 points at a time"));
  if (reason != NULL && reason[0] == '\0')
    reason = NULL;
  if (!check_reason (reason, error))
    return FALSE;

  if (!crm_store_begin (store, error))
    return FALSE;
  if (!redeem_in_tx (store, customer_id, points, order_id, reason, error) || !crm_store_commit (store, error))
    {
      crm_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

/* crm-cli-points.c: the loyalty programme's points (crm-points.h).
 *
 *   points balance UUID [--as-of YYYY-MM-DD]      balance, expiring_next, expiring_at
 *   points history UUID [--limit N]               the customer's entries, newest first
 *   points earn UUID N [--reason T]               points given by hand
 *   points adjust UUID --reason T [--] N          a correction; a negative N after "--"
 *   points redeem UUID N [--order ID] [--reason T]
 *   points expire [--as-of YYYY-MM-DD]            writes what is due for every customer
 *   loyalty settings [--start YYYY-MM-DD] [--points-per-unit N] [--expiry-months N]
 *                    [--birthday-multiplier X] [--min-redemption N] [--point-value AMOUNT]
 *
 * Times in JSON are ms UTC (as everywhere in the CLI), null when there is none.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <stdio.h>

#include "crm-cli.h"
#include "crm-format.h"
#include "crm-points.h"

static char *opt_as_of, *opt_reason, *opt_order, *opt_limit;
static char *opt_start, *opt_ppu, *opt_expiry, *opt_birthday, *opt_min, *opt_value;

static const GOptionEntry balance_entries[] = {
  { "as-of", 0, 0, G_OPTION_ARG_FILENAME, &opt_as_of, N_("The balance at the end of this day (default: now)"),
    N_("YYYY-MM-DD") },
  { NULL }
};

static const GOptionEntry history_entries[] = {
  { "limit", 0, 0, G_OPTION_ARG_FILENAME, &opt_limit, N_("At most this many entries (default 1000)"), N_("N") },
  { NULL }
};

static const GOptionEntry earn_entries[] = {
  { "reason", 0, 0, G_OPTION_ARG_FILENAME, &opt_reason, N_("Why (required for an adjustment)"), N_("TEXT") },
  { NULL }
};

static const GOptionEntry redeem_entries[] = {
  { "order", 0, 0, G_OPTION_ARG_FILENAME, &opt_order, N_("The order the points pay towards (UUID or number)"),
    N_("ID") },
  { "reason", 0, 0, G_OPTION_ARG_FILENAME, &opt_reason, N_("What the points were exchanged for"), N_("TEXT") },
  { NULL }
};

static const GOptionEntry expire_entries[] = {
  { "as-of", 0, 0, G_OPTION_ARG_FILENAME, &opt_as_of, N_("Expire what is due by the end of this day (default: now)"),
    N_("YYYY-MM-DD") },
  { NULL }
};

static const GOptionEntry settings_entries[] = {
  { "start", 0, 0, G_OPTION_ARG_FILENAME, &opt_start, N_("Orders placed from this day on earn points"),
    N_("YYYY-MM-DD") },
  { "points-per-unit", 0, 0, G_OPTION_ARG_FILENAME, &opt_ppu, N_("Points per unit of the currency (¥1)"), N_("N") },
  { "expiry-months", 0, 0, G_OPTION_ARG_FILENAME, &opt_expiry, N_("Points expire this many months after earning"),
    N_("N") },
  { "birthday-multiplier", 0, 0, G_OPTION_ARG_FILENAME, &opt_birthday,
    N_("Points multiplier for orders in the customer’s birthday month"), N_("X") },
  { "min-redemption", 0, 0, G_OPTION_ARG_FILENAME, &opt_min, N_("Fewest points one redemption takes"), N_("N") },
  { "point-value", 0, 0, G_OPTION_ARG_FILENAME, &opt_value, N_("What one point is worth, in the shop’s currency"),
    N_("AMOUNT") },
  { NULL }
};

static int
usage (const char *message)
{
  return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", message);
}

static gboolean
parse_points (const char  *text,
              gint64      *out,
              GError     **error)
{
  if (!g_ascii_string_to_signed (text, 10, -100000000, 100000000, out, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);

      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a number of points (a whole number up to 100,000,000)"), valid);
      return FALSE;
    }
  return TRUE;
}

static void
add_time (JsonBuilder *b,
          const char  *name,
          gint64       ms)
{
  json_builder_set_member_name (b, name);
  if (ms != 0)
    json_builder_add_int_value (b, ms);
  else
    json_builder_add_null_value (b);
}

static void
add_text (JsonBuilder *b,
          const char  *name,
          const char  *text)
{
  json_builder_set_member_name (b, name);
  if (text != NULL)
    json_builder_add_string_value (b, text);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static int
print_balance (CrmStore *store,
               gint64    customer_id,
               gint64    as_of)
{
  g_autoptr(GError) error = NULL;
  CrmPointsBalance bal;

  if (!crm_points_get_balance (store, customer_id, as_of, &bal, &error))
    return crm_cli_fail_error (error);
  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      add_int (b, "balance", bal.balance);
      add_int (b, "expiring_next", bal.expiring_next);
      add_time (b, "expiring_at", bal.expiring_at);
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else
    {
      g_autofree char *points = crm_format_count (bal.balance);

      printf (_("Balance: %s points"), points);
      printf ("\n");
      if (bal.expiring_at != 0)
        {
          g_autofree char *next = crm_format_count (bal.expiring_next);
          g_autofree char *when = crm_format_date (bal.expiring_at);

          printf (_("Expiring next: %s points on %s"), next, when);
          printf ("\n");
        }
    }
  return CRM_CLI_EXIT_OK;
}

static int
cmd_points_balance (CrmStore  *store,
                    char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) customer = NULL;
  gint64 as_of = 0;

  if (opt_as_of != NULL && !crm_cli_parse_date ("--as-of", opt_as_of, &as_of, &error))
    return usage (error->message);
  if ((customer = crm_cli_load_customer (store, args[0], &error)) == NULL)
    return crm_cli_fail_error (error);
  return print_balance (store, crm_entity_get_id (CRM_ENTITY (customer)), as_of);
}

static void
print_history_json (GPtrArray *entries)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "entries");
  json_builder_begin_array (b);
  for (guint i = 0; i < entries->len; i++)
    {
      CrmPointsEntry *e = g_ptr_array_index (entries, i);

      json_builder_begin_object (b);
      add_text (b, "kind", crm_points_kind_to_string (e->kind));
      add_int (b, "points", e->points);
      add_time (b, "at", e->at);
      add_time (b, "expires_at", e->expires_at);
      add_text (b, "order", e->order_uuid);
      add_text (b, "order_number", e->order_number);
      add_text (b, "reason", e->reason);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  crm_cli_print_json (b);
}

static int
cmd_points_history (CrmStore  *store,
                    char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) customer = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  CrmPointsFilter filter = { -1, 0, 0, 0, NULL };
  guint64 limit = 1000;

  if (opt_limit != NULL && !crm_cli_parse_count ("--limit", opt_limit, 100000, &limit, &error))
    return usage (error->message);
  if ((customer = crm_cli_load_customer (store, args[0], &error)) == NULL)
    return crm_cli_fail_error (error);
  filter.customer_id = crm_entity_get_id (CRM_ENTITY (customer));
  if ((entries = crm_points_list (store, &filter, MAX (limit, 1), &error)) == NULL)
    return crm_cli_fail_error (error);

  if (crm_cli_get_json ())
    {
      print_history_json (entries);
      return CRM_CLI_EXIT_OK;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      CrmPointsEntry *e = g_ptr_array_index (entries, i);
      g_autofree char *when = crm_format_date_time (e->at);
      g_autofree char *points = g_strdup_printf ("%+" G_GINT64_FORMAT, e->points);

      crm_cli_print_padded (when, 18);
      printf ("  ");
      crm_cli_print_padded (crm_points_kind_get_label (e->kind), 10);
      printf ("  ");
      crm_cli_print_right (points, 9);
      if (e->order_number != NULL || e->order_uuid != NULL)
        printf ("  %s", e->order_number != NULL ? e->order_number : e->order_uuid);
      if (e->reason != NULL)
        printf ("  %s", e->reason);
      printf ("\n");
    }
  return CRM_CLI_EXIT_OK;
}

static int
points_add (CrmStore       *store,
            char          **args,
            CrmPointsKind   kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) customer = NULL;
  gint64 points, id;

  /* "UUID -- -20": the "--" that lets a negative number through stays among the arguments. */
  if (args[2] != NULL && !g_str_equal (args[1], "--"))
    return usage (_("Give the number of points once (a negative one after “--”)"));
  if (!parse_points (args[2] != NULL ? args[2] : args[1], &points, &error))
    return usage (error->message);
  if (kind == CRM_POINTS_ADJUST && opt_reason == NULL)
    return usage (_("points adjust needs --reason"));
  if ((customer = crm_cli_load_customer (store, args[0], &error)) == NULL)
    return crm_cli_fail_error (error);
  id = crm_entity_get_id (CRM_ENTITY (customer));
  if (!crm_points_add (store, id, kind, points, opt_reason, 0, &error))
    return crm_cli_fail_error (error);
  return print_balance (store, id, 0);
}

static int
cmd_points_earn (CrmStore  *store,
                 char     **args)
{
  return points_add (store, args, CRM_POINTS_EARN);
}

static int
cmd_points_adjust (CrmStore  *store,
                   char     **args)
{
  return points_add (store, args, CRM_POINTS_ADJUST);
}

static int
cmd_points_redeem (CrmStore  *store,
                   char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) customer = NULL;
  gint64 points, id, order_id = 0;

  if (!parse_points (args[1], &points, &error))
    return usage (error->message);
  if ((customer = crm_cli_load_customer (store, args[0], &error)) == NULL)
    return crm_cli_fail_error (error);
  if (opt_order != NULL && (order_id = crm_cli_find_order (store, opt_order, &error)) == 0)
    return crm_cli_fail_error (error);
  id = crm_entity_get_id (CRM_ENTITY (customer));
  if (!crm_points_redeem (store, id, points, order_id, opt_reason, &error))
    return crm_cli_fail_error (error);
  return print_balance (store, id, 0);
}

static int
cmd_points_expire (CrmStore  *store,
                   char     **args)
{
  g_autoptr(GError) error = NULL;
  gint64 as_of = 0, points = 0, customers = 0;

  (void) args;
  if (opt_as_of != NULL && !crm_cli_parse_date ("--as-of", opt_as_of, &as_of, &error))
    return usage (error->message);
  /* Today's date means now: its end is still ahead. */
  if (as_of > g_get_real_time () / 1000 && as_of - g_get_real_time () / 1000 < 86400000)
    as_of = 0;
  if (!crm_points_expire (store, as_of, &points, &customers, &error))
    return crm_cli_fail_error (error);
  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      add_int (b, "points", points);
      add_int (b, "customers", customers);
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else
    {
      g_autofree char *p = crm_format_count (points);
      g_autofree char *c = crm_format_count (customers);

      printf (g_dngettext (GETTEXT_PACKAGE, "%s points expired (%s customer)", "%s points expired (%s customers)",
                           customers), p, c);
      printf ("\n");
    }
  return CRM_CLI_EXIT_OK;
}

static gboolean
parse_double (const char  *option,
              const char  *text,
              double      *out,
              GError     **error)
{
  char *end = NULL;

  *out = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0')
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);

      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("%s: “%s” is not a number"), option, valid);
      return FALSE;
    }
  return TRUE;
}

/* The options given, over @s; a usage error for a malformed one. */
static gboolean
parse_settings (CrmStore           *store,
                CrmPointsSettings  *s,
                GError            **error)
{
  guint64 n;

  if (opt_start != NULL && !crm_cli_parse_time ("--start", opt_start, &s->start, error))
    return FALSE;
  if (opt_ppu != NULL && !parse_double ("--points-per-unit", opt_ppu, &s->points_per_unit, error))
    return FALSE;
  if (opt_birthday != NULL && !parse_double ("--birthday-multiplier", opt_birthday, &s->birthday_multiplier, error))
    return FALSE;
  if (opt_expiry != NULL)
    {
      if (!crm_cli_parse_count ("--expiry-months", opt_expiry, 100000, &n, error))
        return FALSE;
      s->expiry_months = n;
    }
  if (opt_min != NULL)
    {
      if (!crm_cli_parse_count ("--min-redemption", opt_min, 100000000, &n, error))
        return FALSE;
      s->min_redemption = n;
    }
  if (opt_value != NULL)
    {
      g_autofree char *currency = crm_cli_currency (store);

      if (!crm_cli_parse_amount ("--point-value", opt_value, currency, &s->point_value, error))
        return FALSE;
    }
  return TRUE;
}

static void
print_settings (CrmStore                *store,
                const CrmPointsSettings *s)
{
  g_autofree char *currency = crm_cli_currency (store);

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      add_time (b, "start", s->start);
      json_builder_set_member_name (b, "points_per_unit");
      json_builder_add_double_value (b, s->points_per_unit);
      add_int (b, "expiry_months", s->expiry_months);
      json_builder_set_member_name (b, "birthday_multiplier");
      json_builder_add_double_value (b, s->birthday_multiplier);
      add_int (b, "min_redemption", s->min_redemption);
      add_int (b, "point_value", s->point_value);
      add_text (b, "currency", currency);
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else
    {
      g_autofree char *start = crm_format_date (s->start);
      g_autofree char *value = crm_format_money (s->point_value, currency);

      printf ("%s: %s\n", _("Start"), start != NULL ? start : "");
      printf ("%s: %g\n", _("Points per currency unit"), s->points_per_unit);
      printf ("%s: %u\n", _("Expiry (months)"), s->expiry_months);
      printf ("%s: %g\n", _("Birthday-month multiplier"), s->birthday_multiplier);
      printf ("%s: %" G_GINT64_FORMAT "\n", _("Minimum redemption"), s->min_redemption);
      printf ("%s: %s\n", _("Value of a point"), value);
    }
}

static int
cmd_loyalty_settings (CrmStore  *store,
                      char     **args)
{
  g_autoptr(GError) error = NULL;
  CrmPointsSettings s;

  (void) args;
  crm_points_settings_load (store, &s);
  if (!parse_settings (store, &s, &error))
    return usage (error->message);
  if ((opt_start || opt_ppu || opt_expiry || opt_birthday || opt_min || opt_value) &&
      !crm_points_settings_save (store, &s, &error))
    return crm_cli_fail_error (error);
  crm_points_settings_load (store, &s);
  print_settings (store, &s);
  return CRM_CLI_EXIT_OK;
}

const CrmCliCommand crm_cli_points_commands[] = {
  { "points balance", "UUID", N_("A customer’s points balance and what expires next"),
    1, 0, balance_entries, FALSE, cmd_points_balance },
  { "points history", "UUID", N_("A customer’s points ledger, newest first"),
    1, 0, history_entries, FALSE, cmd_points_history },
  { "points earn", "UUID N", N_("Give a customer points by hand"),
    2, 0, earn_entries, FALSE, cmd_points_earn },
  { "points adjust", "UUID N", N_("Correct a customer’s points (a negative N after “--”), with a reason"),
    2, 3, earn_entries, FALSE, cmd_points_adjust },
  { "points redeem", "UUID N", N_("Take points from a customer’s balance, never more than it holds"),
    2, 0, redeem_entries, FALSE, cmd_points_redeem },
  { "points expire", NULL, N_("Expire the points due, oldest first, for every customer"),
    0, 0, expire_entries, FALSE, cmd_points_expire },
  { "loyalty settings", NULL, N_("Show or change the loyalty programme’s settings"),
    0, 0, settings_entries, FALSE, cmd_loyalty_settings },
  { NULL }
};

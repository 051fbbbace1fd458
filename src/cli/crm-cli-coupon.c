/* crm-cli-coupon.c: coupons and member cards from the command line (issue 15).
 *
 *   coupon create NAME --prefix P --count N (--percent N | --amount X) [--min-spend X]
 *                 [--from D] [--until D] [--uses-per-code N] [--uses-per-customer N]
 *   coupon issue BATCH (--segment NAME | --customer UUID)
 *   coupon redeem CODE --customer UUID [--order ID] [--spend X]   exit 1 with the reason if refused
 *   coupon list
 *   coupon export BATCH -o FILE
 *   card issue|show|reissue UUID, card print UUID -o FILE.pdf
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "crm-cli.h"
#include "crm-coupon.h"
#include "crm-format.h"
#include "crm-member-card.h"

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
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

/* A time as ISO 8601 in UTC, null for 0. */
static void
add_time (JsonBuilder *b,
          const char  *name,
          gint64       ms)
{
  g_autoptr(GDateTime) t = ms != 0 ? g_date_time_new_from_unix_utc (ms / 1000) : NULL;
  g_autofree char *text = t != NULL ? g_date_time_format_iso8601 (t) : NULL;

  add_text (b, name, text);
}

/* ---- coupon create ------------------------------------------------------------------------ */

static char *opt_prefix, *opt_count, *opt_percent, *opt_amount, *opt_min_spend, *opt_from, *opt_until;
static char *opt_uses_code, *opt_uses_customer;

static const GOptionEntry create_entries[] = {
  { "prefix", 0, 0, G_OPTION_ARG_FILENAME, &opt_prefix, N_("What every code starts with (1–12 letters or digits)"), N_("PREFIX") },
  { "count", 0, 0, G_OPTION_ARG_FILENAME, &opt_count, N_("How many codes to make now (default 0: issue them later)"), N_("N") },
  { "percent", 0, 0, G_OPTION_ARG_FILENAME, &opt_percent, N_("A discount of N percent"), N_("N") },
  { "amount", 0, 0, G_OPTION_ARG_FILENAME, &opt_amount, N_("A discount of a fixed amount"), N_("AMOUNT") },
  { "min-spend", 0, 0, G_OPTION_ARG_FILENAME, &opt_min_spend, N_("The smallest purchase a code may be used on"), N_("AMOUNT") },
  { "from", 0, 0, G_OPTION_ARG_FILENAME, &opt_from, N_("Valid from this day (default: now)"), N_("YYYY-MM-DD") },
  { "until", 0, 0, G_OPTION_ARG_FILENAME, &opt_until, N_("Valid until the end of this day (default: no end)"), N_("YYYY-MM-DD") },
  { "uses-per-code", 0, 0, G_OPTION_ARG_FILENAME, &opt_uses_code, N_("How often one code may be used (default 1)"), N_("N") },
  { "uses-per-customer", 0, 0, G_OPTION_ARG_FILENAME, &opt_uses_customer, N_("How often one customer may use the batch (default 1)"), N_("N") },
  { NULL }
};

static gboolean
parse_create_options (CrmStore        *store,
                      CrmCouponBatch  *b,
                      guint64         *count,
                      GError         **error)
{
  guint64 n;

  if (opt_prefix == NULL)
    return g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("coupon create needs --prefix")), FALSE;
  if ((opt_percent == NULL) == (opt_amount == NULL))
    return g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                                _("coupon create needs either --percent or --amount")), FALSE;
  b->prefix = g_strdup (opt_prefix);
  b->currency = crm_cli_currency (store);
  if (opt_percent != NULL)
    {
      if (!crm_cli_parse_count ("--percent", opt_percent, 100, &n, error))
        return FALSE;
      b->kind = CRM_COUPON_PERCENT;
      b->value = n;
    }
  else
    {
      b->kind = CRM_COUPON_AMOUNT;
      if (!crm_cli_parse_amount ("--amount", opt_amount, b->currency, &b->value, error))
        return FALSE;
    }
  if (opt_min_spend != NULL && !crm_cli_parse_amount ("--min-spend", opt_min_spend, b->currency, &b->min_spend, error))
    return FALSE;
  if (opt_from != NULL && !crm_cli_parse_time ("--from", opt_from, &b->valid_from, error))
    return FALSE;
  if (opt_until != NULL && !crm_cli_parse_date ("--until", opt_until, &b->valid_until, error))
    return FALSE;
  if (opt_uses_code != NULL)
    {
      if (!crm_cli_parse_count ("--uses-per-code", opt_uses_code, G_MAXINT32, &n, error))
        return FALSE;
      b->uses_per_code = n;
    }
  if (opt_uses_customer != NULL)
    {
      if (!crm_cli_parse_count ("--uses-per-customer", opt_uses_customer, G_MAXINT32, &n, error))
        return FALSE;
      b->uses_per_customer = n;
    }
  *count = 0;
  return opt_count == NULL || crm_cli_parse_count ("--count", opt_count, CRM_COUPON_MAX_COUNT, count, error);
}

static void
batch_to_json (JsonBuilder          *b,
               const CrmCouponBatch *batch)
{
  json_builder_begin_object (b);
  add_text (b, "uuid", batch->uuid);
  add_text (b, "name", batch->name);
  add_text (b, "prefix", batch->prefix);
  add_text (b, "kind", batch->kind == CRM_COUPON_PERCENT ? "percent" : "amount");
  add_int (b, "value", batch->value);
  add_text (b, "currency", batch->currency);
  add_int (b, "min_spend", batch->min_spend);
  add_time (b, "valid_from", batch->valid_from);
  add_time (b, "valid_until", batch->valid_until);
  add_int (b, "uses_per_code", batch->uses_per_code);
  add_int (b, "uses_per_customer", batch->uses_per_customer);
  add_text (b, "segment", batch->segment);
  add_int (b, "issued", batch->codes);
  add_int (b, "assigned", batch->assigned);
  add_int (b, "redeemed", batch->redeemed);
  add_int (b, "redemptions", batch->redemptions);
  json_builder_set_member_name (b, "redemption_rate");
  json_builder_add_double_value (b, crm_coupon_batch_get_rate (batch));
  json_builder_end_object (b);
}

static int
coupon_create (CrmStore   *store,
               const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCouponBatch) b = crm_coupon_batch_new ();
  guint64 count = 0;

  b->name = g_strdup (name);
  if (!parse_create_options (store, b, &count, &error))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", error->message);
  if (!crm_coupon_batch_create (store, b, count, &error))
    return crm_cli_fail_error (error);

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) jb = json_builder_new ();
      batch_to_json (jb, b);
      crm_cli_print_json (jb);
    }
  else
    {
      g_autofree char *what = crm_coupon_batch_describe (b);
      g_autofree char *n = crm_format_count (count);
      /* Translators: after "coupon create": the batch's UUID, name, discount and how many codes. */
      printf (_("%s\t%s: %s, %s codes\n"), b->uuid, b->name, what, n);
    }
  return CRM_CLI_EXIT_OK;
}

/* ---- coupon issue, redeem ----------------------------------------------------------------- */

static char *opt_segment, *opt_customer, *opt_order, *opt_spend, *opt_output;

static const GOptionEntry issue_entries[] = {
  { "segment", 0, 0, G_OPTION_ARG_FILENAME, &opt_segment, N_("Issue one code to every member of this saved segment"), N_("NAME") },
  { "customer", 0, 0, G_OPTION_ARG_FILENAME, &opt_customer, N_("Issue one code to this customer"), N_("UUID") },
  { NULL }
};

static const GOptionEntry redeem_entries[] = {
  { "customer", 0, 0, G_OPTION_ARG_FILENAME, &opt_customer, N_("The customer using the coupon"), N_("UUID") },
  { "order", 0, 0, G_OPTION_ARG_FILENAME, &opt_order, N_("The order the coupon is used on, by UUID or number"), N_("ID") },
  { "spend", 0, 0, G_OPTION_ARG_FILENAME, &opt_spend, N_("The amount of the purchase, when there is no order"), N_("AMOUNT") },
  { NULL }
};

static const GOptionEntry export_entries[] = {
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output, N_("File to write, - for standard output"), N_("FILE") },
  { NULL }
};

static int
coupon_issue (CrmStore   *store,
              const char *batch_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCouponBatch) batch = NULL;
  guint issued = 0;

  if ((opt_segment == NULL) == (opt_customer == NULL))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("coupon issue needs either --segment NAME or --customer UUID"));
  if (!(batch = crm_coupon_batch_find (store, batch_name, &error)))
    return crm_cli_fail_error (error);
  if (opt_segment != NULL)
    {
      if (!crm_coupon_issue_segment (store, batch, opt_segment, &issued, &error))
        return crm_cli_fail_error (error);
    }
  else
    {
      g_autoptr(CrmCustomer) c = crm_cli_load_customer (store, opt_customer, &error);
      gint64 id;

      if (c == NULL)
        return crm_cli_fail_error (error);
      id = crm_entity_get_id (CRM_ENTITY (c));
      if (!crm_coupon_issue (store, batch, &id, 1, &issued, &error))
        return crm_cli_fail_error (error);
    }

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      add_text (b, "batch", batch->name);
      add_int (b, "issued", issued);
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else
    {
      g_autofree char *n = crm_format_count (issued);
      printf (g_dngettext (GETTEXT_PACKAGE, "%s code issued\n", "%s codes issued\n", issued), n);
    }
  return CRM_CLI_EXIT_OK;
}

static int
coupon_redeem (CrmStore   *store,
               const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) c = NULL;
  g_autofree char *currency = crm_cli_currency (store);
  CrmCouponRedemption r = { 0 };
  gint64 order_id = 0, spend = -1;

  if (opt_customer == NULL)
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("coupon redeem needs --customer UUID"));
  if (opt_spend != NULL && !crm_cli_parse_amount ("--spend", opt_spend, currency, &spend, &error))
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", error->message);
  if (!(c = crm_cli_load_customer (store, opt_customer, &error)))
    return crm_cli_fail_error (error);
  if (opt_order != NULL && (order_id = crm_cli_find_order (store, opt_order, &error)) == 0)
    return crm_cli_fail_error (error);
  if (!crm_coupon_redeem (store, code, crm_entity_get_id (CRM_ENTITY (c)), order_id, spend, 0, &r, &error))
    return crm_cli_fail_error (error);

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autofree char *normal = crm_coupon_normalize_code (code, NULL);

      json_builder_begin_object (b);
      add_text (b, "code", normal);
      add_text (b, "customer", crm_entity_get_uuid (CRM_ENTITY (c)));
      add_text (b, "order", opt_order);
      add_int (b, "discount", r.discount);
      add_time (b, "redeemed_at", r.redeemed_at);
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else if (r.spend >= 0)
    {
      g_autofree char *off = crm_format_money (r.discount, currency);
      /* Translators: after "coupon redeem": the discount the coupon gives */
      printf (_("Redeemed: %s off\n"), off);
    }
  else
    printf ("%s\n", _("Redeemed"));
  return CRM_CLI_EXIT_OK;
}

/* ---- coupon list, export ------------------------------------------------------------------ */

static int
coupon_list (CrmStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = crm_coupon_batch_list (store, &error);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (all == NULL)
    return crm_cli_fail_error (error);
  json_builder_begin_array (b);
  for (guint i = 0; i < all->len; i++)
    {
      CrmCouponBatch *batch = g_ptr_array_index (all, i);

      if (crm_cli_get_json ())
        batch_to_json (b, batch);
      else
        {
          g_autofree char *issued = crm_format_count (batch->codes);
          g_autofree char *redeemed = crm_format_count (batch->redeemed);
          g_autofree char *rate = g_strdup_printf ("%.1f %%", 100 * crm_coupon_batch_get_rate (batch));
          g_autofree char *what = crm_coupon_batch_describe (batch);

          crm_cli_print_padded (batch->name, 25);
          crm_cli_print_right (issued, 10);
          crm_cli_print_right (redeemed, 10);
          crm_cli_print_right (rate, 9);
          printf ("  %s\n", what);
        }
    }
  json_builder_end_array (b);
  if (crm_cli_get_json ())
    crm_cli_print_json (b);
  else if (all->len == 0)
    printf (_("No coupon batches. Make one with “%s coupon create NAME --prefix P --percent N”.\n"), CRM_CLI_PROGRAM);
  return CRM_CLI_EXIT_OK;
}

static int
coupon_export (CrmStore   *store,
               const char *batch_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCouponBatch) batch = NULL;
  guint64 rows = 0;

  if (opt_output == NULL)
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("coupon export needs -o FILE"));
  if (!(batch = crm_coupon_batch_find (store, batch_name, &error)) ||
      !crm_coupon_export_csv (store, batch, opt_output, &rows, &error))
    return crm_cli_fail_error (error);
  crm_cli_print_written (rows, opt_output);
  return CRM_CLI_EXIT_OK;
}

static int
cmd_coupon_create (CrmStore  *store,
                   char     **args)
{
  return coupon_create (store, args[0]);
}

static int
cmd_coupon_issue (CrmStore  *store,
                  char     **args)
{
  return coupon_issue (store, args[0]);
}

static int
cmd_coupon_redeem (CrmStore  *store,
                   char     **args)
{
  return coupon_redeem (store, args[0]);
}

static int
cmd_coupon_list (CrmStore  *store,
                 char     **args)
{
  return coupon_list (store);
}

static int
cmd_coupon_export (CrmStore  *store,
                   char     **args)
{
  return coupon_export (store, args[0]);
}

/* ---- card ----------------------------------------------------------------------------------- */

static char *opt_reason, *opt_card_output;

static const GOptionEntry reissue_entries[] = {
  { "reason", 0, 0, G_OPTION_ARG_FILENAME, &opt_reason, N_("Why the card is replaced"), N_("TEXT") },
  { NULL }
};

static const GOptionEntry print_entries[] = {
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_card_output, N_("The PDF to write, - for standard output"), N_("FILE") },
  { NULL }
};

static void
card_to_json (JsonBuilder   *b,
              CrmMemberCard *card)
{
  g_autofree char *shown = crm_member_card_format (card->number);

  json_builder_begin_object (b);
  add_text (b, "number", card->number);
  add_text (b, "formatted", shown);
  add_time (b, "issued_at", card->issued_at);
  add_time (b, "revoked_at", card->revoked_at);
  add_text (b, "reason", card->reason);
  json_builder_end_object (b);
}

static int
card_show (CrmStore    *store,
           CrmCustomer *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmMemberCard) card = crm_member_card_get (store, crm_entity_get_id (CRM_ENTITY (c)), &error);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (card == NULL ||
      !(history = crm_member_card_history (store, crm_entity_get_id (CRM_ENTITY (c)), &error)))
    return crm_cli_fail_error (error);
  if (!crm_cli_get_json ())
    {
      g_autofree char *shown = crm_member_card_format (card->number);
      g_autofree char *since = crm_format_date (card->issued_at);
      /* Translators: "card show": the card number and the day it was issued */
      printf (_("%s\tissued %s\n"), shown, since);
      return CRM_CLI_EXIT_OK;
    }
  json_builder_begin_object (b);
  add_text (b, "customer", crm_entity_get_uuid (CRM_ENTITY (c)));
  add_text (b, "name", crm_customer_get_name (c));
  json_builder_set_member_name (b, "card");
  card_to_json (b, card);
  json_builder_set_member_name (b, "history");
  json_builder_begin_array (b);
  for (guint i = 0; i < history->len; i++)
    card_to_json (b, g_ptr_array_index (history, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  crm_cli_print_json (b);
  return CRM_CLI_EXIT_OK;
}

static int
card (CrmStore   *store,
      const char *verb,
      const char *uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) c = NULL;
  g_autoptr(CrmMemberCard) card = NULL;
  gint64 id;

  if (g_str_equal (verb, "print") && opt_card_output == NULL)
    return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("card print needs -o FILE.pdf"));
  if (!(c = crm_cli_load_customer (store, uuid, &error)))
    return crm_cli_fail_error (error);
  id = crm_entity_get_id (CRM_ENTITY (c));

  if (g_str_equal (verb, "show"))
    return card_show (store, c);
  if (g_str_equal (verb, "print"))
    {
      if (!crm_member_card_write_pdf (store, id, opt_card_output, &error))
        return crm_cli_fail_error (error);
      if (crm_cli_get_json ())
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();
          json_builder_begin_object (b);
          add_text (b, "file", opt_card_output);
          json_builder_end_object (b);
          crm_cli_print_json_to (crm_cli_summary_stream (opt_card_output), b);
        }
      else
        fprintf (crm_cli_summary_stream (opt_card_output), _("Wrote %s\n"), opt_card_output);
      return CRM_CLI_EXIT_OK;
    }

  card = g_str_equal (verb, "issue") ? crm_member_card_issue (store, id, &error)
                                     : crm_member_card_reissue (store, id, opt_reason, &error);
  if (card == NULL)
    return crm_cli_fail_error (error);
  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      card_to_json (b, card);
      crm_cli_print_json (b);
    }
  else
    {
      g_autofree char *shown = crm_member_card_format (card->number);
      printf ("%s\n", shown);
    }
  return CRM_CLI_EXIT_OK;
}

static int cmd_card_issue (CrmStore *store, char **args) { return card (store, "issue", args[0]); }
static int cmd_card_show (CrmStore *store, char **args) { return card (store, "show", args[0]); }
static int cmd_card_reissue (CrmStore *store, char **args) { return card (store, "reissue", args[0]); }
static int cmd_card_print (CrmStore *store, char **args) { return card (store, "print", args[0]); }

const CrmCliCommand crm_cli_coupon_commands[] = {
  { "coupon create", "NAME", N_("Make a batch of coupon codes"), 1, 0, create_entries, FALSE, cmd_coupon_create },
  { "coupon issue", "BATCH", N_("Issue codes of a batch to a segment (one each) or to one customer"), 1, 0,
    issue_entries, FALSE, cmd_coupon_issue },
  { "coupon redeem", "CODE", N_("Use a coupon code; refused, with the reason, if it cannot be used"), 1, 0,
    redeem_entries, FALSE, cmd_coupon_redeem },
  { "coupon list", NULL, N_("Coupon batches with their issued and redeemed codes"), 0, 0, NULL, FALSE, cmd_coupon_list },
  { "coupon export", "BATCH", N_("Write the codes of a batch as CSV, for the shop system"), 1, 0, export_entries, FALSE,
    cmd_coupon_export },
  { "card issue", "UUID", N_("Give a customer a member card number"), 1, 0, NULL, FALSE, cmd_card_issue },
  { "card show", "UUID", N_("A customer’s member card and the cards it replaced"), 1, 0, NULL, FALSE, cmd_card_show },
  { "card reissue", "UUID", N_("Replace a lost member card: the old number is refused from then on"), 1, 0,
    reissue_entries, FALSE, cmd_card_reissue },
  { "card print", "UUID", N_("The printable member card as PDF"), 1, 0, print_entries, FALSE, cmd_card_print },
  { NULL }
};

/* test-format.c: money and numbers as users read and type them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>

#include "crm-test-util.h"
#include "crm-codes.h"
#include "crm-format.h"
#include "crm-sales.h"

static void
test_money (void)
{
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL;

  setlocale (LC_NUMERIC, "C");
  a = crm_format_money (123450, "CNY");
  b = crm_format_money (-5, "USD");
  c = crm_format_money (123456789, "JPY");
  d = crm_format_money (G_MININT64, "EUR");
  e = crm_format_money (100, "XYZ");

  g_assert_cmpstr (a, ==, "¥1,234.50");
  g_assert_cmpstr (b, ==, "-$0.05");
  g_assert_cmpstr (c, ==, "¥123,456,789");
  g_assert_cmpstr (d, ==, "-€92,233,720,368,547,758.08");
  g_assert_cmpstr (e, ==, "1.00 XYZ");
}

static void
test_parse (void)
{
  gint64 v = 0;

  g_assert_true (crm_parse_money ("1,234.50", 2, FALSE, &v));
  g_assert_cmpint (v, ==, 123450);
  g_assert_true (crm_parse_money ("¥1,234", 2, FALSE, &v));
  g_assert_cmpint (v, ==, 123400);
  g_assert_true (crm_parse_money ("1.234,50", 2, TRUE, &v));
  g_assert_cmpint (v, ==, 123450);
  g_assert_true (crm_parse_money ("-12.5", 2, FALSE, &v));
  g_assert_cmpint (v, ==, -1250);
  g_assert_true (crm_parse_money ("USD 29.35", 2, FALSE, &v));
  g_assert_cmpint (v, ==, 2935);
  g_assert_true (crm_parse_money ("100", 0, FALSE, &v));
  g_assert_cmpint (v, ==, 100);
  g_assert_true (crm_parse_money ("1.50", 2, FALSE, &v));
  g_assert_cmpint (v, ==, 150);

  g_assert_false (crm_parse_money ("", 2, FALSE, &v));
  g_assert_false (crm_parse_money ("abc", 2, FALSE, &v));
  g_assert_false (crm_parse_money ("1.2.3", 2, FALSE, &v));
  g_assert_false (crm_parse_money ("1.234", 2, FALSE, &v));
  g_assert_false (crm_parse_money ("99999999999999999999", 2, FALSE, &v));
}

static void
test_count (void)
{
  g_autofree char *a = NULL;

  setlocale (LC_NUMERIC, "C");
  a = crm_format_count (1234567);
  g_assert_cmpstr (a, ==, "1,234,567");
}

/* Dates with the whole year; Chinese ones without zero padding. */
static void
test_dates (void)
{
  g_autoptr(GDateTime) local = g_date_time_new_local (2026, 7, 4, 9, 5, 0);
  gint64 ms = g_date_time_to_unix (local) * 1000;
  g_autofree char *c = NULL, *c_time = NULL, *zh = NULL, *zh_time = NULL, *de = NULL;

  g_assert_nonnull (setlocale (LC_TIME, "C.UTF-8"));
  c = crm_format_date (ms);
  c_time = crm_format_date_time (ms);
  g_assert_cmpstr (c, ==, "2026-07-04");
  g_assert_cmpstr (c_time, ==, "2026-07-04 09:05");

  if (setlocale (LC_TIME, "zh_CN.UTF-8") != NULL)
    {
      zh = crm_format_date (ms);
      zh_time = crm_format_date_time (ms);
      g_assert_cmpstr (zh, ==, "2026年7月4日");
      g_assert_cmpstr (zh_time, ==, "2026年7月4日 09:05");
    }
  else
    g_test_message ("zh_CN.UTF-8 is not installed: its dates are not checked");

  if (setlocale (LC_TIME, "de_DE.UTF-8") != NULL)
    {
      de = crm_format_date (ms);
      g_assert_cmpstr (de, ==, "04.07.2026");
    }
  setlocale (LC_TIME, "C.UTF-8");
  {
    g_autofree char *none = crm_format_date (0);

    g_assert_cmpstr (none, ==, "");
  }
}

/* Stored codes are shown as words; a shop's own word as typed; the words map back. */
static void
test_codes (void)
{
  g_assert_cmpstr (crm_code_get_label (CRM_CODE_ORDER_STATUS, "completed"), ==, "Completed");
  g_assert_cmpstr (crm_code_get_label (CRM_CODE_CHANNEL, "wechat"), ==, "WeChat");
  g_assert_cmpstr (crm_code_get_label (CRM_CODE_CHANNEL, "event"), ==, "Event");
  g_assert_cmpstr (crm_code_get_label (CRM_CODE_CHURN_RISK, "high"), ==, "High");
  g_assert_cmpstr (crm_code_get_label (CRM_CODE_CHANNEL, "Douyin live"), ==, "Douyin live");
  g_assert_null (crm_code_get_label (CRM_CODE_CHANNEL, NULL));
  g_assert_cmpstr (crm_code_from_label (CRM_CODE_CHANNEL, "Event"), ==, "event");
  g_assert_cmpstr (crm_code_from_label (CRM_CODE_CHANNEL, "Douyin live"), ==, "Douyin live");
  /* The order form's keys have their words in the same table: every one of them. */
  for (const char *const *k = crm_sales_statuses (); *k != NULL; k++)
    g_assert_cmpstr (crm_code_get_label (CRM_CODE_ORDER_STATUS, *k), !=, *k);
  for (const char *const *k = crm_sales_channels (); *k != NULL; k++)
    g_assert_cmpstr (crm_code_get_label (CRM_CODE_CHANNEL, *k), !=, *k);
  for (const char *const *k = crm_sales_payment_methods (); *k != NULL; k++)
    g_assert_cmpstr (crm_code_get_label (CRM_CODE_PAYMENT, *k), !=, *k);
  g_assert_cmpstr (crm_code_get_label (CRM_CODE_PAYMENT, "wechat-pay"), ==, "WeChat Pay");
  g_assert_cmpstr (crm_code_get_label (CRM_CODE_ORDER_STATUS, "on-hold"), ==, "On hold");
  /* Standing alone, a risk says what it is; other codes are their label. */
  g_assert_cmpstr (crm_code_get_phrase (CRM_CODE_CHURN_RISK, "medium"), ==, "Medium risk");
  g_assert_cmpstr (crm_code_get_phrase (CRM_CODE_CHANNEL, "phone"), ==, "By phone");
  g_assert_cmpstr (crm_code_get_phrase (CRM_CODE_CHANNEL, "Douyin live"), ==, "Douyin live");
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/core/format/money", test_money);
  g_test_add_func ("/core/format/parse-money", test_parse);
  g_test_add_func ("/core/format/count", test_count);
  g_test_add_func ("/core/format/dates", test_dates);
  g_test_add_func ("/core/format/codes", test_codes);

  return g_test_run ();
}

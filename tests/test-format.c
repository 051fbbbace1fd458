/* test-format.c: money and numbers as users read and type them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>

#include "crm-test-util.h"
#include "crm-format.h"

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

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/core/format/money", test_money);
  g_test_add_func ("/core/format/parse-money", test_parse);
  g_test_add_func ("/core/format/count", test_count);

  return g_test_run ();
}

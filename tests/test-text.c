/* test-text.c: the text rules every boundary applies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-test-util.h"
#include "crm-text.h"

#include <string.h>

static void
test_validate (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_text_validate ("王芳 O'Brien 😀 שלום", -1, 100, "Name", &error));
  g_assert_no_error (error);

  g_assert_false (crm_text_validate ("bad \xff\xfe byte", -1, 100, "Name", &error));
  g_assert_error (error, CRM_TEXT_ERROR, CRM_TEXT_ERROR_INVALID_UTF8);
  g_assert_nonnull (strstr (error->message, "Name"));
  g_clear_error (&error);

  g_assert_false (crm_text_validate ("abcdef", -1, 5, "City", &error));
  g_assert_error (error, CRM_TEXT_ERROR, CRM_TEXT_ERROR_TOO_LONG);
  g_clear_error (&error);

  /* Five CJK characters are five characters, not fifteen bytes. */
  g_assert_true (crm_text_validate ("欧阳娜娜娜", -1, 5, "Name", NULL));

  g_assert_false (crm_text_validate ("a\x01" "b", -1, 5, "Name", &error));
  g_assert_error (error, CRM_TEXT_ERROR, CRM_TEXT_ERROR_CONTROL_CHARS);
  g_clear_error (&error);

  /* An embedded NUL is refused, not silently truncated. */
  g_assert_false (crm_text_validate ("ab\0cd", 5, 10, "Notes", &error));
  g_assert_nonnull (error);
}

/* Names of zero-width or text-direction marks alone show nothing: refused, whichever of them. */
static void
test_invisible (void)
{
  static const char *const invisible[] = {
    "\u200B", "\u200C\u200D", "\u200E", " \u200F ", "\u202A\u202B\u202C", "\u202D\u202E",
    "\u2060", "\u2061\u2062\u2063\u2064", "\u2066\u2067\u2068\u2069", "\uFEFF", "\u200B\t\u200B",
  };
  static const char *const visible[] = {
    "a", "\u200Fمحمد", "\u202B王芳\u202C", "Ann\u200BLee", "\uFEFFAnn", "", "   ",
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (invisible); i++)
    {
      g_assert_false (crm_text_check_visible (invisible[i], "Name", &error));
      g_assert_error (error, CRM_TEXT_ERROR, CRM_TEXT_ERROR_INVISIBLE);
      g_assert_nonnull (strstr (error->message, "Name has no visible characters"));
      g_clear_error (&error);
    }
  /* Marks around visible text are the writer's business; empty is for the caller to judge. */
  for (guint i = 0; i < G_N_ELEMENTS (visible); i++)
    g_assert_true (crm_text_check_visible (visible[i], "Name", NULL));
  /* Just outside the ranges: not marks. */
  g_assert_true (crm_text_check_visible ("\u2065", "Name", NULL));
  g_assert_true (crm_text_check_visible ("\u206A", "Name", NULL));
  g_assert_true (crm_text_check_visible ("\u202F", "Name", NULL));   /* a narrow no-break space is a space */
}

static void
test_phone (void)
{
  g_autofree char *a = crm_text_phone_digits ("+86 (138) 0013-8000");
  g_autofree char *b = crm_text_phone_digits ("１３８００１３８０００");  /* full-width digits */
  g_autofree char *r = crm_text_reverse_ascii ("12345");

  g_assert_cmpstr (a, ==, "8613800138000");
  g_assert_cmpstr (b, ==, "13800138000");
  g_assert_null (crm_text_phone_digits ("n/a"));
  g_assert_cmpstr (r, ==, "54321");

  {
    g_autofree char *k1 = crm_text_phone_key ("+86 138 0013 8000");
    g_autofree char *k2 = crm_text_phone_key ("0086-13800138000");
    g_autofree char *k3 = crm_text_phone_key ("138-0013-8000");
    g_autofree char *k4 = crm_text_phone_key ("+1 (415) 555-0100");
    g_autofree char *k5 = crm_text_phone_key ("+44 (0)20 7946 0958");
    g_autofree char *k6 = crm_text_phone_key ("+353 1 234 5678");

    g_assert_cmpstr (k1, ==, "13800138000");
    g_assert_cmpstr (k2, ==, "13800138000");
    g_assert_cmpstr (k3, ==, "13800138000");
    g_assert_cmpstr (k4, ==, "4155550100");
    g_assert_cmpstr (k5, ==, "2079460958");
    g_assert_cmpstr (k6, ==, "12345678");
  }

  g_assert_true (crm_text_is_phone_query ("138 0013"));
  g_assert_true (crm_text_is_phone_query ("+86-138"));
  g_assert_false (crm_text_is_phone_query ("13"));
  g_assert_false (crm_text_is_phone_query ("王芳"));
  g_assert_false (crm_text_is_phone_query ("abc123"));

  g_assert_true (crm_text_check_phone ("+86 138-0013-8000", NULL));
  g_assert_false (crm_text_check_phone ("call me", NULL));
  g_assert_false (crm_text_check_phone ("12", NULL));
}

static void
test_email (void)
{
  g_autofree char *key = crm_text_email_key ("  Wang.Fang@Example.COM ");

  g_assert_cmpstr (key, ==, "wang.fang@example.com");
  g_assert_cmpstr (crm_text_email_domain (key), ==, "example.com");

  g_assert_true (crm_text_check_email ("a@b.cn", NULL));
  g_assert_true (crm_text_check_email ("王芳@例子.中国", NULL));
  g_assert_false (crm_text_check_email ("a@b", NULL));
  g_assert_false (crm_text_check_email ("@b.com", NULL));
  g_assert_false (crm_text_check_email ("a b@c.com", NULL));
  g_assert_false (crm_text_check_email ("a@@c.com", NULL));
}

static void
test_date (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_text_check_date ("1990-05-17", NULL));
  g_assert_true (crm_text_check_date ("2000-02-29", NULL));
  g_assert_false (crm_text_check_date ("1999-02-29", &error));
  g_assert_error (error, CRM_TEXT_ERROR, CRM_TEXT_ERROR_BAD_DATE);
  g_assert_false (crm_text_check_date ("17/05/1990", NULL));
  g_assert_false (crm_text_check_date ("1990-5-17", NULL));
}

static gboolean
has (GHashTable *set,
     const char *s)
{
  return g_hash_table_contains (set, s);
}

static void
test_short_terms (void)
{
  g_autoptr(GHashTable) t = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  crm_text_short_terms ("王芳", t);
  g_assert_true (has (t, "王"));
  g_assert_true (has (t, "芳"));
  g_assert_true (has (t, "王芳"));
  g_assert_cmpuint (g_hash_table_size (t), ==, 3);

  g_hash_table_remove_all (t);
  crm_text_short_terms ("欧阳娜娜", t);
  g_assert_true (has (t, "欧阳"));
  g_assert_true (has (t, "娜娜"));
  g_assert_true (has (t, "阳娜"));
  g_assert_false (has (t, "欧阳娜"));

  g_hash_table_remove_all (t);
  crm_text_short_terms ("Li Wei-Ming", t);
  g_assert_true (has (t, "l"));
  g_assert_true (has (t, "li"));
  g_assert_true (has (t, "we"));
  g_assert_true (has (t, "mi"));
  g_assert_false (has (t, "ei"));
}

static void
test_tags (void)
{
  g_autoptr(GHashTable) t = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  crm_text_split_tags ("VIP, 老客户；wholesale、 ,  批发 ", t);
  g_assert_cmpuint (g_hash_table_size (t), ==, 4);
  g_assert_true (has (t, "vip"));
  g_assert_true (has (t, "老客户"));
  g_assert_true (has (t, "wholesale"));
  g_assert_true (has (t, "批发"));
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/core/text/validate", test_validate);
  g_test_add_func ("/core/text/invisible", test_invisible);
  g_test_add_func ("/core/text/phone", test_phone);
  g_test_add_func ("/core/text/email", test_email);
  g_test_add_func ("/core/text/date", test_date);
  g_test_add_func ("/core/text/short-terms", test_short_terms);
  g_test_add_func ("/core/text/tags", test_tags);

  return g_test_run ();
}

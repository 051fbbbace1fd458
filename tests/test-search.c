/* test-search.c: what a user finds when typing in the search entry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "crm-test-util.h"
#include "crm-customer.h"
#include "crm-query.h"
#include "crm-store.h"

typedef struct
{
  CrmStore *store;
} Fixture;

static CrmCustomer *
add (Fixture    *f,
     const char *name,
     const char *phone,
     const char *email,
     const char *city,
     const char *tags)
{
  g_autoptr(GError) error = NULL;
  CrmCustomer *c = crm_customer_new ();

  crm_customer_set_name (c, name);
  crm_customer_set_phone (c, phone);
  crm_customer_set_email (c, email);
  crm_customer_set_city (c, city);
  crm_customer_set_tags (c, tags);
  g_assert_true (crm_store_insert (f->store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);

  return c;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = crm_test_db_path ();
  g_autoptr(GError) error = NULL;

  f->store = crm_store_open (path, &error);
  g_assert_no_error (error);
  /* Names sort letter by letter whatever the locale of the run (test-pinyin.c tests the other). */
  g_assert_true (crm_store_set_setting (f->store, "name_order", "plain", &error));

  g_object_unref (add (f, "王芳", "+86 138 0013 8000", "wangfang@example.cn", "上海", "VIP"));
  g_object_unref (add (f, "王芳芳", "139-1111-2222", "fangfang@qq.com", "北京", NULL));
  g_object_unref (add (f, "李娜", "13700001234", "lina@163.com", "杭州", "批发, 老客户"));
  g_object_unref (add (f, "李小龙", NULL, "bruce@example.com", "香港", NULL));
  g_object_unref (add (f, "欧阳娜娜", NULL, NULL, "台北", NULL));
  g_object_unref (add (f, "Li Wei", "+1 (415) 555-0100", "li.wei@Example.com", "San Francisco", "wholesale"));
  g_object_unref (add (f, "Lisa Müller", "+49 30 1234567", "lisa@mueller.de", "Berlin", NULL));
  g_object_unref (add (f, "Oliver O'Brien", NULL, "oliver@obrien.ie", "Dublin", "vip"));
  g_object_unref (add (f, "Robert'); DROP TABLE customers;--", NULL, NULL, "Bobby 100% _test_", NULL));
  g_object_unref (add (f, "😀 Emoji Fan", NULL, NULL, "Ωmega", NULL));
  g_object_unref (add (f, "محمد علي", NULL, NULL, "القاهرة", NULL));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
}

/* Names of the matches, sorted by name, joined with '|'. */
static char *
names_for (Fixture    *f,
           const char *text)
{
  g_autoptr(CrmQuery) q = crm_query_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  crm_query_set_search_text (q, text);
  ids = crm_query_run_ids (q, f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_query_count (q, f->store, NULL), ==, ids->len);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(CrmCustomer) c = crm_store_load (f->store, CRM_TYPE_CUSTOMER,
                                                 g_array_index (ids, gint64, i), &error);
      g_assert_no_error (error);
      if (i)
        g_string_append_c (out, '|');
      g_string_append (out, crm_customer_get_name (c));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

#define assert_finds(f, text, expected) \
  G_STMT_START { \
    g_autofree char *got = names_for (f, text); \
    g_assert_cmpstr (got, ==, expected); \
  } G_STMT_END

static void
test_chinese_short (Fixture       *f,
                    gconstpointer  data)
{
  /* Two-character names and one-character surnames go through the term index. */
  assert_finds (f, "王芳", "王芳|王芳芳");
  assert_finds (f, "李", "李娜|李小龙");
  assert_finds (f, "娜娜", "欧阳娜娜");
  assert_finds (f, "欧阳", "欧阳娜娜");
  /* A two-character city. */
  assert_finds (f, "上海", "王芳");
}

static void
test_chinese_long (Fixture       *f,
                   gconstpointer  data)
{
  assert_finds (f, "王芳芳", "王芳芳");
  assert_finds (f, "欧阳娜", "欧阳娜娜");
  assert_finds (f, "老客户", "李娜");
}

static void
test_latin_case_insensitive (Fixture       *f,
                             gconstpointer  data)
{
  assert_finds (f, "lisa", "Lisa Müller");
  assert_finds (f, "MÜLLER", "Lisa Müller");
  assert_finds (f, "francisco", "Li Wei");
  assert_finds (f, "o'brien", "Oliver O'Brien");
  /* One and two letters: word starts in names, and the pinyin of Chinese names (李 li). */
  assert_finds (f, "li", "Li Wei|Lisa Müller|李娜|李小龙");
  assert_finds (f, "O", "Oliver O'Brien|欧阳娜娜");
}

static void
test_email (Fixture       *f,
            gconstpointer  data)
{
  assert_finds (f, "LI.WEI@", "Li Wei");
  assert_finds (f, "@example.c", "Li Wei|李小龙|王芳");
  assert_finds (f, "fangfang@qq.com", "王芳芳");
}

static void
test_phone (Fixture       *f,
            gconstpointer  data)
{
  /* Leading digits, trailing digits, any punctuation, with or without country code. */
  assert_finds (f, "138 0013", "王芳");
  assert_finds (f, "13800138000", "王芳");
  assert_finds (f, "0013-8000", "王芳");
  assert_finds (f, "415 555", "Li Wei");
  assert_finds (f, "1234", "李娜");
  assert_finds (f, "1234567", "Lisa Müller");
}

static void
test_hostile (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  assert_finds (f, "DROP TABLE", "Robert'); DROP TABLE customers;--");
  assert_finds (f, "'); DROP", "Robert'); DROP TABLE customers;--");
  assert_finds (f, "100%", "Robert'); DROP TABLE customers;--");
  assert_finds (f, "_test_", "Robert'); DROP TABLE customers;--");
  /* LIKE wildcards and FTS operators are literals. */
  assert_finds (f, "%%%", "");
  assert_finds (f, "___", "");
  assert_finds (f, "\"\"\"", "");
  assert_finds (f, "Li* OR wei", "");
  assert_finds (f, "NEAR(a b)", "");
  assert_finds (f, "😀 Emo", "😀 Emoji Fan");
  assert_finds (f, "محمد", "محمد علي");
  assert_finds (f, "ωmega", "😀 Emoji Fan");

  /* The table is still there. */
  g_assert_cmpint (crm_store_count (f->store, CRM_TYPE_CUSTOMER, &error), ==, 11);
}

static void
test_deleted_hidden (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmQuery) q = crm_query_new ();
  g_autoptr(GArray) ids = NULL;
  g_autoptr(CrmCustomer) c = NULL;

  crm_query_set_search_text (q, "李娜");
  ids = crm_query_run_ids (q, f->store, NULL, &error);
  g_assert_cmpuint (ids->len, ==, 1);
  c = crm_store_load (f->store, CRM_TYPE_CUSTOMER, g_array_index (ids, gint64, 0), &error);

  g_assert_true (crm_store_delete (f->store, CRM_ENTITY (c), &error));
  assert_finds (f, "李娜", "");
  assert_finds (f, "李", "李小龙");
  assert_finds (f, "1234", "");

  g_assert_true (crm_store_restore (f->store, CRM_ENTITY (c), &error));
  assert_finds (f, "李娜", "李娜");

  /* A rename is found under the new name only. */
  crm_customer_set_name (c, "赵敏");
  g_assert_true (crm_store_update (f->store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);
  assert_finds (f, "李娜", "");
  assert_finds (f, "赵敏", "赵敏");
  assert_finds (f, "敏", "赵敏");
}

static void
test_filters_and_sort (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CrmQuery) q = crm_query_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;

  crm_query_set_tag (q, "VIP");
  g_assert_cmpint (crm_query_count (q, f->store, &error), ==, 2);
  crm_query_set_tag (q, NULL);

  crm_query_set_city (q, "berlin");
  g_assert_cmpint (crm_query_count (q, f->store, &error), ==, 1);
  crm_query_set_city (q, "  ");
  g_assert_null (crm_query_get_city (q));

  g_assert_false (crm_query_set_sort (q, "name; DROP TABLE customers", FALSE, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (crm_query_set_sort (q, "phone_digits", FALSE, NULL));

  g_assert_true (crm_query_set_sort (q, "name", TRUE, &error));
  ids = crm_query_run_ids (q, f->store, NULL, &error);
  g_assert_cmpuint (ids->len, ==, 11);
  for (guint i = 1; i < ids->len; i++)
    {
      g_autoptr(CrmCustomer) a = crm_store_load (f->store, CRM_TYPE_CUSTOMER, g_array_index (ids, gint64, i - 1), NULL);
      g_autoptr(CrmCustomer) b = crm_store_load (f->store, CRM_TYPE_CUSTOMER, g_array_index (ids, gint64, i), NULL);
      g_assert_cmpint (g_ascii_strcasecmp (crm_customer_get_name (a), crm_customer_get_name (b)), >=, 0);
    }
}

/* Sorted by the recompute's columns (customer_state): the stage order, ties by id, deleted
 * customers left out, with and without other filters and a search. */
static void
test_sort_by_state (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CrmQuery) q = crm_query_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) desc = NULL;
  g_autoptr(GArray) berlin = NULL;
  gint64 deleted;

  g_assert_true (crm_store_exec (f->store, "UPDATE customer_state SET lifecycle = (customer_id * 7) % 6,"
                                           " tier_id = NULL", &error));
  g_assert_true (crm_store_exec (f->store, "UPDATE customers SET deleted_at = 1 WHERE id = (SELECT min(id) FROM customers)",
                                 &error));
  deleted = crm_db_query_int64 (crm_store_get_db (f->store), "SELECT count(*) FROM customer_state WHERE deleted", 0);
  g_assert_cmpint (deleted, >, 0);

  g_assert_true (crm_query_set_sort (q, "lifecycle", FALSE, &error));
  all = crm_query_run_ids (q, f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (all->len, ==, crm_db_query_int64 (crm_store_get_db (f->store),
                                                     "SELECT count(*) FROM customers WHERE deleted_at IS NULL", -1));
  for (guint i = 1; i < all->len; i++)
    {
      gint64 a = g_array_index (all, gint64, i - 1), b = g_array_index (all, gint64, i);

      g_assert_true ((a * 7) % 6 < (b * 7) % 6 || ((a * 7) % 6 == (b * 7) % 6 && a < b));
    }

  g_assert_true (crm_query_set_sort (q, "lifecycle", TRUE, &error));
  desc = crm_query_run_ids (q, f->store, NULL, &error);
  g_assert_cmpuint (desc->len, ==, all->len);
  for (guint i = 0; i < all->len; i++)
    g_assert_cmpint (g_array_index (desc, gint64, i), ==, g_array_index (all, gint64, all->len - 1 - i));

  crm_query_set_city (q, "berlin");
  berlin = crm_query_run_ids (q, f->store, NULL, &error);
  g_assert_cmpuint (berlin->len, ==, 1);
  crm_query_set_city (q, NULL);
  crm_query_set_search_text (q, "berlin");
  g_clear_pointer (&berlin, g_array_unref);
  berlin = crm_query_run_ids (q, f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (berlin->len, >=, 1);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(CrmQuery) q = crm_query_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GArray *ids;

  g_cancellable_cancel (cancellable);
  /* Cancelled before it starts: either it was too fast to notice, or it says so. */
  ids = crm_query_run_ids (q, f->store, cancellable, &error);
  if (ids == NULL)
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  else
    g_array_unref (ids);
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/core/search/chinese-short", test_chinese_short);
  ADD ("/core/search/chinese-long", test_chinese_long);
  ADD ("/core/search/latin-case-insensitive", test_latin_case_insensitive);
  ADD ("/core/search/email", test_email);
  ADD ("/core/search/phone", test_phone);
  ADD ("/core/search/hostile", test_hostile);
  ADD ("/core/search/deleted-hidden", test_deleted_hidden);
  ADD ("/core/search/filters-and-sort", test_filters_and_sort);
  ADD ("/core/search/sort-by-state", test_sort_by_state);
  ADD ("/core/search/cancel", test_cancel);
#undef ADD

  return g_test_run ();
}

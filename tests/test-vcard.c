/* test-vcard.c: contacts in and out as vCards, as address books write and read them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "crm-test-util.h"
#include "crm-customer.h"
#include "crm-import.h"
#include "crm-vcard.h"
#include "crm-text.h"

static char *
text (CrmStore   *store,
      const char *sql)
{
  return crm_test_query_text (store, sql);
}

#define assert_text(store, sql, expected) \
  G_STMT_START { g_autofree char *_t = text (store, sql); g_assert_cmpstr (_t, ==, expected); } G_STMT_END

static CrmImporter *
import_file (CrmStore   *store,
             const char *path)
{
  CrmImporter *imp = crm_importer_new (store, CRM_IMPORT_CUSTOMERS, path);
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_importer_prepare (imp, NULL, &error));
  g_assert_cmpint (crm_importer_get_format (imp), ==, CRM_IMPORT_FORMAT_VCARD);
  g_assert_true (crm_importer_run (imp, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return imp;
}

static void
test_import_real (void)
{
  g_autofree char *db = crm_test_db_path ();
  g_autoptr(CrmStore) store = crm_store_open (db, NULL);
  g_autofree char *gnome = g_test_build_filename (G_TEST_DIST, "data", "vcard", "gnome-contacts.vcf", NULL);
  g_autofree char *google = g_test_build_filename (G_TEST_DIST, "data", "vcard", "google.vcf", NULL);
  g_autofree char *v21 = g_test_build_filename (G_TEST_DIST, "data", "vcard", "v21-qp.vcf", NULL);
  g_autoptr(CrmImporter) a = import_file (store, gnome);
  g_autoptr(CrmImporter) b = import_file (store, google);
  g_autoptr(CrmImporter) c = import_file (store, v21);

  g_assert_cmpuint (crm_importer_get_report (a)->inserted, ==, 1);
  /* Preferred e-mail, mobile phone, escaped commas and semicolons, ORG's first part. */
  assert_text (store, "SELECT name || '|' || email || '|' || phone || '|' || company || '|' || occupation"
                      " FROM customers WHERE uuid = '3f1c9a34-8f7e-4a1b-9c3d-2e5f6a7b8c9d'",
               "Ann Lee|ann@example.com|+1 613 555 0199|Lee & Co|Owner");
  assert_text (store, "SELECT address || '|' || city || '|' || region || '|' || postal_code || '|' || country"
                      " FROM customers WHERE name = 'Ann Lee'", "Apt 2, 1 Main St|Ottawa|ON|K1A 0B1|Canada");
  assert_text (store, "SELECT notes FROM customers WHERE name = 'Ann Lee'", "Met at the fair, booth 12\nCall after 5; not before");
  assert_text (store, "SELECT tags || '|' || birthday FROM customers WHERE name = 'Ann Lee'", "vip, tea,coffee|1980-02-29");

  /* Google: N without FN (a CJK name), FN without N, grouped properties, folded lines. */
  g_assert_cmpuint (crm_importer_get_report (b)->inserted, ==, 2);
  assert_text (store, "SELECT phone || '|' || notes FROM customers WHERE name = '王芳'",
               "138 0013 8000|很长的备注，需要折行的内容很长的备注，需要折行的内容");
  assert_text (store, "SELECT email FROM customers WHERE name = 'Only Formatted Name'", "only@example.com");

  /* vCard 2.1 with quoted-printable and soft line breaks. */
  assert_text (store, "SELECT phone || '|' || notes FROM customers WHERE name = '李娜'", "13700137000|line one\r\nline two");

  /* The same cards again: duplicates, skipped. */
  g_clear_object (&a);
  a = import_file (store, gnome);
  g_assert_cmpuint (crm_importer_get_report (a)->skipped, ==, 1);
}

static void
test_truncated (void)
{
  g_autofree char *db = crm_test_db_path ();
  g_autoptr(CrmStore) store = crm_store_open (db, NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "vcard", "truncated.vcf", NULL);
  g_autofree char *rejects = g_build_filename (crm_test_tmp_dir (), "rejects.vcf", NULL);
  g_autoptr(CrmImporter) imp = crm_importer_new (store, CRM_IMPORT_CUSTOMERS, path);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  crm_importer_set_rejects_path (imp, rejects);
  g_assert_true (crm_importer_run (imp, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (crm_importer_get_report (imp)->inserted, ==, 0);
  g_assert_cmpuint (crm_importer_get_report (imp)->rejected, ==, 1);
  g_assert_nonnull (strstr (crm_importer_get_reject (imp, 0)->reason, "END:VCARD"));
  /* The rejects file holds the card as it was, with the reason, closed so it can be fixed. */
  g_assert_true (g_file_get_contents (rejects, &out, NULL, NULL));
  g_assert_true (g_str_has_prefix (out, "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Truncated Card\r\n"));
  g_assert_nonnull (strstr (out, "X-CLIENTELE-REJECTED:"));
  g_assert_true (g_str_has_suffix (out, "END:VCARD\r\n"));
}

static void
add (CrmStore   *store,
     const char *name,
     const char *phone,
     const char *email,
     const char *notes,
     const char *tags)
{
  g_autoptr(CrmCustomer) c = crm_customer_new ();

  crm_customer_set_name (c, name);
  crm_customer_set_phone (c, phone);
  crm_customer_set_email (c, email);
  crm_customer_set_notes (c, notes);
  crm_customer_set_tags (c, tags);
  crm_customer_set_company (c, "Tea; Coffee, and \\ more");
  crm_customer_set_occupation (c, "店长");
  crm_customer_set_address (c, "人民路 1 号");
  crm_customer_set_city (c, "上海");
  crm_customer_set_region (c, "上海");
  crm_customer_set_postal_code (c, "200000");
  crm_customer_set_country (c, "CN");
  crm_customer_set_birthday (c, "1990-05-17");
  if (g_str_equal (name, "王芳"))
    crm_customer_set_external_id (c, "ext-1");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (c), NULL));
}

static void
check_folding (const char *vcf)
{
  g_auto(GStrv) lines = g_strsplit (vcf, "\r\n", -1);

  for (guint i = 0; lines[i]; i++)
    {
      g_assert_cmpuint (strlen (lines[i]), <=, 75);
      /* Never inside a UTF-8 sequence: every physical line is valid UTF-8 by itself. */
      g_assert_true (g_utf8_validate (lines[i], -1, NULL));
      g_assert_null (strchr (lines[i], '\n'));
    }
}

/* vCard → database → vCard keeps every mapped field, in 3.0 and 4.0. */
static void
test_round_trip (gconstpointer data)
{
  CrmVcardVersion version = GPOINTER_TO_INT (data);
  g_autofree char *db = crm_test_db_path ();
  g_autofree char *db2 = crm_test_db_path ();
  g_autoptr(CrmStore) store = crm_store_open (db, NULL);
  g_autoptr(CrmStore) store2 = crm_store_open (db2, NULL);
  g_autofree char *first = g_strdup_printf ("%s/rt%d-1.vcf", crm_test_tmp_dir (), version);
  g_autofree char *second = g_strdup_printf ("%s/rt%d-2.vcf", crm_test_tmp_dir (), version);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmImporter) imp = NULL;
  g_autofree char *a = NULL, *b = NULL;
  guint64 n = 0;
  GString *long_note = g_string_new ("第一行\n");

  for (int i = 0; i < 40; i++)
    g_string_append (long_note, "长备注，含逗号; 分号\\反斜杠 ");
  add (store, "王芳", "+86 138 0013 8000", "wang@example.cn", long_note->str, "vip, 老客户");
  add (store, "Ann Marie Lee", "613-555-0199", "ann@example.com", NULL, NULL);
  g_string_free (long_note, TRUE);

  g_assert_true (crm_vcard_export_customers (store, NULL, first, version, NULL, NULL, NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  g_assert_true (g_file_get_contents (first, &a, NULL, NULL));
  check_folding (a);
  g_assert_nonnull (strstr (a, version == CRM_VCARD_VERSION_4_0 ? "VERSION:4.0" : "VERSION:3.0"));
  g_assert_nonnull (strstr (a, "N:王;芳;;;"));
  g_assert_nonnull (strstr (a, "N:Lee;Ann Marie;;;"));
  g_assert_nonnull (strstr (a, "ORG:Tea\\; Coffee\\, and \\\\ more"));
  g_assert_nonnull (strstr (a, "CATEGORIES:vip,老客户"));

  imp = import_file (store2, first);
  g_assert_cmpuint (crm_importer_get_report (imp)->inserted, ==, 2);
  g_assert_true (crm_vcard_export_customers (store2, NULL, second, version, NULL, NULL, NULL, &n, &error));
  g_assert_true (g_file_get_contents (second, &b, NULL, NULL));
  g_assert_cmpstr (a, ==, b);
  assert_text (store2, "SELECT birthday || '|' || external_id || '|' || company FROM customers WHERE name = '王芳'",
               "1990-05-17|ext-1|Tea; Coffee, and \\ more");
}

static void
test_parser_edges (void)
{
  /* Folded inside a UTF-8 sequence (blind 75-octet folding), LF only, no trailing newline, an
   * embedded AGENT card, a card with a NUL, and junk between cards. */
  static const char data[] =
    "junk line\nBEGIN:VCARD\nVERSION:3.0\nFN:\xe7\x8e\n \x8b\xe8\x8a\xb3\nEND:VCARD\n"
    "BEGIN:VCARD\nVERSION:3.0\nFN:Agent Owner\nAGENT:BEGIN:VCARD\nBEGIN:VCARD\nFN:Inner\nEND:VCARD\nEND:VCARD\n"
    "BEGIN:VCARD\nFN:Nul\0here\nEND:VCARD\n"
    "BEGIN:VCARD\nFN;CHARSET=GBK:\xcd\xf5\xb7\xbc\nEND:VCARD";
  g_autoptr(CrmVcardParser) p = crm_vcard_parser_new (data, sizeof data - 1);
  g_autoptr(GError) error = NULL;
  CrmVcardCard *card;
  const char * const *cells;

  card = crm_vcard_parser_next (p, &error);
  g_assert_no_error (error);
  cells = crm_vcard_card_get_cells (card, NULL);
  g_assert_cmpstr (cells[1], ==, "王芳");
  crm_vcard_card_free (card);

  card = crm_vcard_parser_next (p, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_vcard_card_get_cells (card, NULL)[1], ==, "Agent Owner");
  crm_vcard_card_free (card);

  card = crm_vcard_parser_next (p, &error);
  g_assert_null (card);
  g_assert_error (error, CRM_VCARD_ERROR, CRM_VCARD_ERROR_INVALID_TEXT);
  g_clear_error (&error);

  card = crm_vcard_parser_next (p, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_vcard_card_get_cells (card, NULL)[1], ==, "王芳");
  crm_vcard_card_free (card);

  g_assert_null (crm_vcard_parser_next (p, &error));
  g_assert_no_error (error);
}

/* Found by the fuzzer: a 10-byte birthday that is not a date (full-width
 * semicolon inside) was cut into YYYYMMDD bytes for vCard 4.0, splitting UTF-8. */
static void
test_bday_not_a_date (void)
{
  for (int version = CRM_VCARD_VERSION_3_0; version <= CRM_VCARD_VERSION_4_0; version++)
    {
      const char *cells[64] = { NULL };
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(CrmVcardParser) parser = NULL;
      g_autoptr(CrmVcardCard) card = NULL;
      g_autoptr(GError) error = NULL;
      guint n_columns;
      const char * const *columns = crm_vcard_columns (&n_columns);
      const char * const *back;

      for (guint i = 0; i < n_columns && i < G_N_ELEMENTS (cells); i++)
        cells[i] = g_str_equal (columns[i], "name") ? "Ann Lee"
                 : g_str_equal (columns[i], "birthday") ? "1980；-29\nNOTE:x; y" : "";
      crm_vcard_append_card (out, version, cells);
      g_assert_true (g_utf8_validate (out->str, out->len, NULL));

      parser = crm_vcard_parser_new (out->str, out->len);
      card = crm_vcard_parser_next (parser, &error);
      g_assert_no_error (error);
      back = crm_vcard_card_get_cells (card, NULL);
      for (guint i = 0; i < n_columns; i++)
        if (g_str_equal (columns[i], "birthday"))
          g_assert_cmpstr (back[i], ==, "1980；-29\nNOTE:x; y");
        else if (g_str_equal (columns[i], "notes"))
          g_assert_cmpstr (back[i], ==, "");   /* the line break did not start a NOTE */
    }
}

/* Found by the fuzzer (a leak under ASan): a card with cells set after an empty one, and an ORG in
 * an undeclared 8-bit charset (once a refused card, now read leniently), frees every cell; the
 * next card is read normally. */
static void
test_error_after_cells (void)
{
  static const char data[] =
    "BEGIN:VCARD\nVERSION:3.0\nCATEGORIES:vip,tea\nORG;CHARSET=UTF@8:\xc6\xbc\xf5\xab\xba\nEND:VCARD\n"
    "BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\nEND:VCARD\n";
  g_autoptr(CrmVcardParser) p = crm_vcard_parser_new (data, sizeof data - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmVcardCard) card = crm_vcard_parser_next (p, &error);
  g_autoptr(CrmVcardCard) next = NULL;
  guint n_columns;
  const char * const *columns = crm_vcard_columns (&n_columns);

  g_assert_no_error (error);
  for (guint i = 0; i < n_columns; i++)
    if (g_str_equal (columns[i], "tags"))
      g_assert_cmpstr (crm_vcard_card_get_cells (card, NULL)[i], ==, "vip, tea");
    else if (g_str_equal (columns[i], "company"))
      g_assert_true (g_utf8_validate (crm_vcard_card_get_cells (card, NULL)[i], -1, NULL));
  next = crm_vcard_parser_next (p, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_vcard_card_get_cells (next, NULL)[1], ==, "Ann Lee");
}

/* Found by the fuzzer: vCard 4.0 writes a birthday as a basic date (19800229); reading it, or a
 * date with a time, must give back the ISO date the catalogue stores, and a card written in 4.0
 * must come back with the birthday it was given. */
static void
test_bday_forms (void)
{
  static const struct { const char *bday, *iso; } forms[] = {
    { "19800229", "1980-02-29" },
    { "1980-02-29", "1980-02-29" },
    { "19800229T000000", "1980-02-29" },
    { "1980-02-29T08:30:00Z", "1980-02-29" },
    { "19800230", "19800230" },           /* not a date: kept as written, never invented */
    { "circa 1980", "circa 1980" },
  };
  guint n_columns;
  const char * const *columns = crm_vcard_columns (&n_columns);
  guint bday = G_MAXUINT;

  for (guint i = 0; i < n_columns; i++)
    if (g_str_equal (columns[i], "birthday"))
      bday = i;
  g_assert_cmpuint (bday, <, n_columns);

  for (guint f = 0; f < G_N_ELEMENTS (forms); f++)
    {
      g_autofree char *text = g_strdup_printf ("BEGIN:VCARD\nVERSION:4.0\nFN:Ann Lee\nBDAY:%s\nEND:VCARD\n",
                                               forms[f].bday);
      g_autoptr(CrmVcardParser) p = crm_vcard_parser_new (text, strlen (text));
      g_autoptr(GError) error = NULL;
      g_autoptr(CrmVcardCard) card = crm_vcard_parser_next (p, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (crm_vcard_card_get_cells (card, NULL)[bday], ==, forms[f].iso);
    }

  for (int version = CRM_VCARD_VERSION_3_0; version <= CRM_VCARD_VERSION_4_0; version++)
    {
      const char *cells[64] = { NULL };
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(CrmVcardParser) parser = NULL;
      g_autoptr(CrmVcardCard) card = NULL;
      g_autoptr(GError) error = NULL;

      for (guint i = 0; i < n_columns && i < G_N_ELEMENTS (cells); i++)
        cells[i] = g_str_equal (columns[i], "name") ? "Ann Lee" : i == bday ? "1980-02-29" : "";
      crm_vcard_append_card (out, version, cells);
      if (version == CRM_VCARD_VERSION_4_0)
        g_assert_nonnull (strstr (out->str, "BDAY:19800229"));
      parser = crm_vcard_parser_new (out->str, out->len);
      card = crm_vcard_parser_next (parser, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (crm_vcard_card_get_cells (card, NULL)[bday], ==, "1980-02-29");
    }
}

/* Found by the fuzzer: a value that mentions QUOTED-PRINTABLE and is folded right
 * after an '=' was read as a quoted-printable soft break, losing the '='. */
static void
test_qp_words_in_value (void)
{
  const char *name = "=DT6=9D=8;=5E=UTDING4QUOUOARSET=UTDING5QUDING4QUOTED-PRINTABLE:=DT6=9D=8;=5E=EA8=9C;;;";

  for (int version = CRM_VCARD_VERSION_3_0; version <= CRM_VCARD_VERSION_4_0; version++)
    {
      const char *cells[64] = { NULL };
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(CrmVcardParser) parser = NULL;
      g_autoptr(CrmVcardCard) card = NULL;
      g_autoptr(GError) error = NULL;
      guint n_columns;
      const char * const *columns = crm_vcard_columns (&n_columns);

      for (guint i = 0; i < n_columns && i < G_N_ELEMENTS (cells); i++)
        cells[i] = g_str_equal (columns[i], "name") ? name : "";
      crm_vcard_append_card (out, version, cells);
      parser = crm_vcard_parser_new (out->str, out->len);
      card = crm_vcard_parser_next (parser, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < n_columns; i++)
        if (g_str_equal (columns[i], "name"))
          g_assert_cmpstr (crm_vcard_card_get_cells (card, NULL)[i], ==, name);
    }
}

/* Found by the fuzzer: an odd CHARSET name that iconv accepts passed invalid
 * bytes through; every cell that comes out must be UTF-8. */
static void
test_odd_charset (void)
{
  const char card[] = "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=UTF@8:\xc6\xbc\xf5\xab\xba;Ann\nFN:Ann\nEND:VCARD\n";
  g_autoptr(CrmVcardParser) parser = crm_vcard_parser_new (card, sizeof card - 1);
  guint n = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CrmVcardCard) c = crm_vcard_parser_next (parser, &error);
      const char * const *cells;
      guint n_cells;

      if (c == NULL && error == NULL)
        break;
      if (c == NULL)
        continue;
      cells = crm_vcard_card_get_cells (c, &n_cells);
      for (guint i = 0; i < n_cells; i++)
        g_assert_true (g_utf8_validate (cells[i], -1, NULL));
      n++;
    }
  g_assert_cmpuint (n, <=, 1);
}

typedef struct
{
  guint64     line;
  const char *column;    /* NULL: the reader's own warning */
  const char *contains;
} ExpectedWarning;

static void
assert_warnings (CrmImporter          *imp,
                 const ExpectedWarning *expected,
                 guint                  n)
{
  for (guint i = 0; i < crm_importer_get_n_warnings (imp); i++)
    g_test_message ("warning: line %" G_GUINT64_FORMAT ", %s: %s", crm_importer_get_warning (imp, i)->line,
                    crm_importer_get_warning (imp, i)->column_name, crm_importer_get_warning (imp, i)->message);
  g_assert_cmpuint (crm_importer_get_report (imp)->warnings, ==, n);
  g_assert_cmpuint (crm_importer_get_n_warnings (imp), ==, n);
  for (guint i = 0; i < n; i++)
    {
      const CrmImportWarning *w = crm_importer_get_warning (imp, i);

      g_assert_cmpuint (w->line, ==, expected[i].line);
      g_assert_cmpstr (w->column_name, ==, expected[i].column);
      g_assert_nonnull (strstr (w->message, expected[i].contains));
    }
}

/* Real address-book exports (tests/data/vcard/README.md): every contact is imported, whatever
 * one of its fields holds; what could not be used is kept (the extension in the number, an
 * unparseable value in the notes, text in an undeclared character set decoded) and a warning
 * names the line of its property (issue 12). */
static void
test_import_corpus (void)
{
  g_autofree char *db = crm_test_db_path ();
  g_autoptr(CrmStore) store = crm_store_open (db, NULL);
  g_autofree char *android = g_test_build_filename (G_TEST_DIST, "data", "vcard", "android-21.vcf", NULL);
  g_autofree char *outlook = g_test_build_filename (G_TEST_DIST, "data", "vcard", "outlook-2003.vcf", NULL);
  g_autofree char *rfc = g_test_build_filename (G_TEST_DIST, "data", "vcard", "rfc6350-example.vcf", NULL);
  g_autoptr(CrmImporter) a = NULL, o = NULL, r = NULL;
  static const ExpectedWarning android_warnings[] = {
    { 28, "phone", "“MobilePhone” is not a valid phone number" },
    { 30, "birthday", "“12th of May” is not a date" },
  };
  static const ExpectedWarning outlook_warnings[] = {
    { 5, NULL, "ORG value is not UTF-8 and names no character set; it was read as Windows-1252" },
    { 9, NULL, "ADR value is not UTF-8 and names no character set; it was read as Windows-1252" },
    { 16, NULL, "N value is not UTF-8 and names no character set; it was read as GB18030" },
    { 17, NULL, "FN value" },
    { 18, NULL, "ORG value" },
    { 20, "email", "“wang.fang at example.cn” is not a valid e-mail address; kept in the notes" },
  };
  static const ExpectedWarning rfc_warnings[] = {
    { 5, NULL, "birthday --0203 has no year" },
    { 13, NULL, "“+1-418-656-9254 ext. 102” has an extension" },
  };

  /* Android (2.1): quoted-printable UTF-8 with soft breaks, a photo, several phones, placeholder
   * phone text, a birthday in words, GB2312 from an old phone. */
  a = import_file (store, android);
  g_assert_cmpuint (crm_importer_get_report (a)->inserted, ==, 4);
  g_assert_cmpuint (crm_importer_get_report (a)->rejected, ==, 0);
  assert_warnings (a, android_warnings, G_N_ELEMENTS (android_warnings));
  assert_text (store, "SELECT phone || '|' || email || '|' || company || '|' || birthday || '|' || notes"
                      " FROM customers WHERE name = '张伟'",
               "138-0013-8000|zhang.wei@example.cn|北京茶叶公司|1985-07-12|老客户\n喜欢绿茶");
  /* A real number wins over placeholder text, whatever their types say. */
  assert_text (store, "SELECT phone FROM customers WHERE name = '陈静'", "+86 21 5555 0101");
  assert_text (store, "SELECT coalesce(phone, '-') || '|' || email || '|' || notes FROM customers"
                      " WHERE name = 'Maria Lopez'", "-|maria.lopez@example.com|Birthday: 12th of May");
  assert_text (store, "SELECT phone FROM customers WHERE name = '刘洋'", "+86 139 0013 9000");

  /* Outlook 2003 (2.1): Windows-1252 declared on some properties and not on others, GBK from a
   * Chinese Outlook with no CHARSET at all, an extension written as text, a broken e-mail. */
  o = import_file (store, outlook);
  g_assert_cmpuint (crm_importer_get_report (o)->inserted, ==, 2);
  assert_warnings (o, outlook_warnings, G_N_ELEMENTS (outlook_warnings));
  assert_text (store, "SELECT company || '|' || occupation || '|' || phone || '|' || email || '|' || city"
                      " || '|' || postal_code || '|' || address FROM customers WHERE name = 'René Dubois'",
               "Société Générale|Directeur|+33 6 12 34 56 78|rene.dubois@example.fr|Paris|75009|"
               "29 boulevard Haussmann\r\nÉtage 3");
  assert_text (store, "SELECT company || '|' || phone || '|' || coalesce(email, '-') || '|' || notes"
                      " FROM customers WHERE name = '王芳'",
               "上海茶叶有限公司|021-6666 0202 x 23|-|E-mail: wang.fang at example.cn");
  /* The extension is not part of the number's key: the same line without it is a duplicate. */
  assert_text (store, "SELECT phone_digits FROM customers WHERE name = '王芳'", "02166660202");

  /* RFC 6350's own example card (section 8). */
  r = import_file (store, rfc);
  g_assert_cmpuint (crm_importer_get_report (r)->inserted, ==, 1);
  assert_warnings (r, rfc_warnings, G_N_ELEMENTS (rfc_warnings));
  assert_text (store, "SELECT phone || '|' || email || '|' || company || '|' || address || '|' || city || '|'"
                      " || region || '|' || postal_code || '|' || country || '|' || notes"
                      " FROM customers WHERE name = 'Simon Perreault'",
               "+1-418-656-9254 ext. 102|simon.perreault@viagenie.ca|Viagenie|Suite D2-630, 2875 Laurier|"
               "Quebec|QC|G1V 2M2|Canada|Birthday: --0203");
}

/* An 8-bit value that is no text in any character set keeps its readable part. */
static void
test_unreadable_bytes (void)
{
  const char data[] = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nORG:Caf\x81 Noir\r\nEND:VCARD\r\n";
  g_autoptr(CrmVcardParser) parser = crm_vcard_parser_new (data, sizeof data - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmVcardCard) card = crm_vcard_parser_next (parser, &error);
  guint n_columns;
  const char * const *columns = crm_vcard_columns (&n_columns);
  guint64 line = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < n_columns; i++)
    if (g_str_equal (columns[i], "company"))
      {
        g_assert_cmpstr (crm_vcard_card_get_cells (card, NULL)[i], ==, "Caf\xef\xbf\xbd Noir");
        g_assert_cmpuint (crm_vcard_card_get_cell_lines (card)[i], ==, 4);
      }
  g_assert_cmpuint (crm_vcard_card_get_n_warnings (card), ==, 1);
  g_assert_nonnull (strstr (crm_vcard_card_get_warning (card, 0, &line), "cannot be read"));
  g_assert_cmpuint (line, ==, 4);
}

/* Files saved as "Unicode" (UTF-16 LE or BE with a byte order mark) import their contacts, also
 * without the .vcf name; UTF-8 behind a UTF-16 mark too; UTF-16 that is not valid is refused
 * with a reason and nothing imported (issue 12: it was 0 contacts and success). */
static void
test_utf16 (void)
{
  const char *names[] = { "utf16le-bom.vcf", "utf16be-bom.vcf", "utf8-behind-utf16-bom.vcf" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    for (guint renamed = 0; renamed < 2; renamed++)
      {
        g_autofree char *db = crm_test_db_path ();
        g_autoptr(CrmStore) store = crm_store_open (db, NULL);
        g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "vcard", names[i], NULL);
        g_autofree char *copy = g_strdup_printf ("%s/contacts-%u.txt", crm_test_tmp_dir (), i);
        g_autofree char *bytes = NULL;
        g_autoptr(CrmImporter) imp = NULL;
        gsize len;

        if (renamed)
          {
            g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
            g_assert_true (g_file_set_contents (copy, bytes, len, NULL));
          }
        imp = import_file (store, renamed ? copy : path);
        g_assert_cmpuint (crm_importer_get_report (imp)->inserted, ==, 2);
        g_assert_cmpuint (crm_importer_get_report (imp)->rejected, ==, 0);
        assert_text (store, "SELECT name || '|' || phone || '|' || email FROM customers WHERE name LIKE 'Jos%'",
                     "José Müller|+41 79 555 01 23|jose@example.ch");
        assert_text (store, "SELECT phone || '|' || notes FROM customers WHERE name = '王芳'",
                     "+86 138 0013 8000|😀 emoji");
      }

  /* A lone surrogate half-way: the file is damaged; nothing is imported, and the error says so. */
  {
    g_autofree char *db = crm_test_db_path ();
    g_autoptr(CrmStore) store = crm_store_open (db, NULL);
    g_autofree char *good = g_test_build_filename (G_TEST_DIST, "data", "vcard", "utf16le-bom.vcf", NULL);
    g_autofree char *bad = g_build_filename (crm_test_tmp_dir (), "damaged.vcf", NULL);
    g_autofree char *bytes = NULL;
    g_autoptr(CrmImporter) imp = NULL;
    g_autoptr(GError) error = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (good, &bytes, &len, NULL));
    bytes[40] = '\x00';
    bytes[41] = '\xdc';
    g_assert_true (g_file_set_contents (bad, bytes, len, NULL));
    imp = crm_importer_new (store, CRM_IMPORT_CUSTOMERS, bad);
    g_assert_false (crm_importer_run (imp, NULL, NULL, NULL, &error));
    g_assert_error (error, CRM_VCARD_ERROR, CRM_VCARD_ERROR_INVALID_TEXT);
    g_assert_nonnull (strstr (error->message, "UTF-16LE"));
    g_assert_nonnull (strstr (error->message, "bytes 41 and 42"));
    g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM customers"), ==, 0);
  }
}

/* An extension after a phone number is kept in its text and is not part of its digits. */
static void
test_phone_extension (void)
{
  static const struct { const char *phone; const char *digits; } cases[] = {
    { "+1-418-656-9254 ext. 102", "14186569254" },
    { "+1 418 656 9254 x102", "14186569254" },
    { "021-6666 0202 x 23", "02166660202" },
    { "0571 8888 8888 转 8001", "057188888888" },
    { "(613) 555-0199 ext 7", "6135550199" },
  };
  static const char *bad[] = { "MobilePhone", "ext. 102", "x102", "+1 418 x", "+1 418 656 9254 ext. 1234567890" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *digits = crm_text_phone_digits (cases[i].phone);

      g_assert_true (crm_text_check_phone (cases[i].phone, NULL));
      g_assert_cmpstr (digits, ==, cases[i].digits);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (crm_text_check_phone (bad[i], NULL));
}

int
main (int    argc,
      char **argv)
{
  crm_test_init (&argc, &argv);

  g_test_add_func ("/io/vcard/import-real", test_import_real);
  g_test_add_func ("/io/vcard/truncated", test_truncated);
  g_test_add_data_func ("/io/vcard/round-trip-3.0", GINT_TO_POINTER (CRM_VCARD_VERSION_3_0), test_round_trip);
  g_test_add_data_func ("/io/vcard/round-trip-4.0", GINT_TO_POINTER (CRM_VCARD_VERSION_4_0), test_round_trip);
  g_test_add_func ("/io/vcard/parser-edges", test_parser_edges);
  g_test_add_func ("/io/vcard/bday-not-a-date", test_bday_not_a_date);
  g_test_add_func ("/io/vcard/bday-forms", test_bday_forms);
  g_test_add_func ("/io/vcard/error-after-cells", test_error_after_cells);
  g_test_add_func ("/io/vcard/qp-words-in-value", test_qp_words_in_value);
  g_test_add_func ("/io/vcard/odd-charset", test_odd_charset);
  g_test_add_func ("/io/vcard/import-corpus", test_import_corpus);
  g_test_add_func ("/io/vcard/unreadable-bytes", test_unreadable_bytes);
  g_test_add_func ("/io/vcard/utf16", test_utf16);
  g_test_add_func ("/io/vcard/phone-extension", test_phone_extension);

  return g_test_run ();
}

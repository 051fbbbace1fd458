/* crm-csv.c: encodings, detection and cell rules shared by CrmCsvReader and CrmCsvWriter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-csv.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>

G_DEFINE_QUARK (crm-csv-error-quark, crm_csv_error)

G_DEFINE_ENUM_TYPE (CrmCsvEncoding, crm_csv_encoding,
                    G_DEFINE_ENUM_VALUE (CRM_CSV_ENCODING_AUTO, "auto"),
                    G_DEFINE_ENUM_VALUE (CRM_CSV_ENCODING_UTF8, "utf8"),
                    G_DEFINE_ENUM_VALUE (CRM_CSV_ENCODING_UTF8_BOM, "utf8-bom"),
                    G_DEFINE_ENUM_VALUE (CRM_CSV_ENCODING_UTF16LE, "utf16le"),
                    G_DEFINE_ENUM_VALUE (CRM_CSV_ENCODING_UTF16BE, "utf16be"),
                    G_DEFINE_ENUM_VALUE (CRM_CSV_ENCODING_GB18030, "gb18030"),
                    G_DEFINE_ENUM_VALUE (CRM_CSV_ENCODING_GBK, "gbk"),
                    G_DEFINE_ENUM_VALUE (CRM_CSV_ENCODING_WINDOWS_1252, "windows-1252"))

G_DEFINE_ENUM_TYPE (CrmCsvHeaderMode, crm_csv_header_mode,
                    G_DEFINE_ENUM_VALUE (CRM_CSV_HEADER_AUTO, "auto"),
                    G_DEFINE_ENUM_VALUE (CRM_CSV_HEADER_PRESENT, "present"),
                    G_DEFINE_ENUM_VALUE (CRM_CSV_HEADER_ABSENT, "absent"))

static const guint8 bom_utf8[] = { 0xEF, 0xBB, 0xBF };
static const guint8 bom_utf16le[] = { 0xFF, 0xFE };
static const guint8 bom_utf16be[] = { 0xFE, 0xFF };

/* A name to show in the import dialog next to the detected encoding. */
const char *
crm_csv_encoding_get_label (CrmCsvEncoding encoding)
{
  switch (encoding)
    {
    case CRM_CSV_ENCODING_AUTO:
      return _("Automatic");
    case CRM_CSV_ENCODING_UTF8:
      return _("Unicode (UTF-8)");
    case CRM_CSV_ENCODING_UTF8_BOM:
      return _("Unicode (UTF-8 with BOM, for Excel)");
    case CRM_CSV_ENCODING_UTF16LE:
      return _("Unicode (UTF-16 LE)");
    case CRM_CSV_ENCODING_UTF16BE:
      return _("Unicode (UTF-16 BE)");
    case CRM_CSV_ENCODING_GB18030:
      return _("Chinese Simplified (GB18030)");
    case CRM_CSV_ENCODING_GBK:
      return _("Chinese Simplified (GBK)");
    case CRM_CSV_ENCODING_WINDOWS_1252:
      return _("Western (Windows-1252)");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* The iconv name, or "UTF-8" for both UTF-8 variants; NULL for AUTO. */
const char *
crm_csv_encoding_get_charset (CrmCsvEncoding encoding)
{
  switch (encoding)
    {
    case CRM_CSV_ENCODING_AUTO:
      return NULL;
    case CRM_CSV_ENCODING_UTF8:
    case CRM_CSV_ENCODING_UTF8_BOM:
      return "UTF-8";
    case CRM_CSV_ENCODING_UTF16LE:
      return "UTF-16LE";
    case CRM_CSV_ENCODING_UTF16BE:
      return "UTF-16BE";
    case CRM_CSV_ENCODING_GB18030:
      return "GB18030";
    case CRM_CSV_ENCODING_GBK:
      return "GBK";
    case CRM_CSV_ENCODING_WINDOWS_1252:
      return "WINDOWS-1252";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* The byte order mark the writer puts first and the reader skips, if the encoding has one. */
gsize
crm_csv_encoding_get_bom (CrmCsvEncoding  encoding,
                          const guint8  **bom)
{
  switch (encoding)
    {
    case CRM_CSV_ENCODING_UTF8_BOM:
      *bom = bom_utf8;
      return sizeof bom_utf8;
    case CRM_CSV_ENCODING_UTF16LE:
      *bom = bom_utf16le;
      return sizeof bom_utf16le;
    case CRM_CSV_ENCODING_UTF16BE:
      *bom = bom_utf16be;
      return sizeof bom_utf16be;
    case CRM_CSV_ENCODING_AUTO:
    case CRM_CSV_ENCODING_UTF8:
    case CRM_CSV_ENCODING_GB18030:
    case CRM_CSV_ENCODING_GBK:
    case CRM_CSV_ENCODING_WINDOWS_1252:
    default:
      *bom = NULL;
      return 0;
    }
}

/* TRUE if the bytes from @p to @end are the start of a UTF-8 sequence cut off by the end of
 * the sample, rather than a broken one. */
static gboolean
is_utf8_prefix (const guint8 *p,
                const guint8 *end)
{
  gsize need;

  if (*p >= 0xC2 && *p <= 0xDF)
    need = 2;
  else if (*p >= 0xE0 && *p <= 0xEF)
    need = 3;
  else if (*p >= 0xF0 && *p <= 0xF4)
    need = 4;
  else
    return FALSE;

  if ((gsize) (end - p) >= need)
    return FALSE;
  for (p++; p < end; p++)
    if ((*p & 0xC0) != 0x80)
      return FALSE;
  return TRUE;
}

/* Invalid UTF-8 sequences in the sample.  NUL bytes are let through (the reader reports those
 * by line), and so is a sequence cut off by the end of a sample that is not the whole file. */
static gsize
count_utf8_errors (const guint8 *data,
                   gsize         len,
                   gboolean      complete)
{
  const guint8 *p = data, *end = data + len;
  gsize errors = 0;

  while (p < end)
    {
      const char *bad = NULL;

      if (g_utf8_validate_len ((const char *) p, end - p, &bad))
        break;
      p = (const guint8 *) bad;
      if (*p != 0 && (complete || !is_utf8_prefix (p, end)))
        errors++;
      else if (*p != 0)
        break;
      p++;
    }
  return errors;
}

/* Undecodable sequences in the sample read as GB18030, or G_MAXSIZE if this system has no
 * GB18030 converter. */
static gsize
count_gb18030_errors (const guint8 *data,
                      gsize         len,
                      gboolean      complete)
{
  GIConv cd = g_iconv_open ("UTF-8", "GB18030");
  char out[4096];
  char *in = (char *) data;
  gsize in_left = len;
  gsize errors = 0;

  if (cd == (GIConv) -1)
    return G_MAXSIZE;

  while (in_left > 0)
    {
      char *o = out;
      gsize out_left = sizeof out;

      if (g_iconv (cd, &in, &in_left, &o, &out_left) != (gsize) -1 || errno == E2BIG)
        continue;
      if (errno == EINVAL && !complete)
        break;  /* cut off by the end of the sample */
      errors++;
      in++;
      in_left--;
    }
  g_iconv_close (cd);
  return errors;
}

/* Whether the bytes over 0x7F come as Chinese text has them: in runs of two or more (a GB2312
 * character is two such bytes), not alone between ASCII bytes as Western text ("caf\xe9,") or a
 * stray byte in an ASCII file has them.  At most a quarter may stand alone (GBK's rarer
 * characters have an ASCII second byte). */
static gboolean
high_bytes_paired (const guint8 *data,
                   gsize         len)
{
  gsize high = 0, alone = 0;

  for (gsize i = 0; i < len; )
    {
      gsize run = 0;

      /* GB18030's four-byte form (emoji, Arabic, ...): high, digit, high, digit. */
      if (data[i] >= 0x81 && i + 3 < len && g_ascii_isdigit (data[i + 1]) && data[i + 2] >= 0x81 &&
          g_ascii_isdigit (data[i + 3]))
        {
          high += 2;
          i += 4;
          continue;
        }
      while (i < len && data[i] >= 0x80)
        run++, i++;
      high += run;
      alone += run == 1;
      if (run == 0)
        i++;
    }
  return high > 0 && alone * 4 <= high;
}

/* UTF-16 without a BOM is full of zero bytes on one side of each pair (ASCII text). */
static CrmCsvEncoding
sniff_utf16 (const guint8 *data,
             gsize         len)
{
  gsize n = MIN (len, 4096) & ~(gsize) 1;
  gsize zero_even = 0, zero_odd = 0;

  if (n < 8)
    return CRM_CSV_ENCODING_AUTO;
  for (gsize i = 0; i < n; i += 2)
    {
      zero_even += data[i] == 0;
      zero_odd += data[i + 1] == 0;
    }
  if (zero_odd * 10 >= n / 2 * 4 && zero_even * 20 < n / 2)
    return CRM_CSV_ENCODING_UTF16LE;
  if (zero_even * 10 >= n / 2 * 4 && zero_odd * 20 < n / 2)
    return CRM_CSV_ENCODING_UTF16BE;
  return CRM_CSV_ENCODING_AUTO;
}

/**
 * crm_csv_detect_encoding:
 * @data: the first bytes of a file
 * @len: their number
 * @complete: %TRUE if @data is the whole file
 * @bom_len: (out) (optional): length of the byte order mark at the start of @data, or 0
 *
 * The rule: a byte order mark decides (UTF-8, UTF-16 LE/BE — unless what follows a UTF-16
 * mark has no zero byte and is valid UTF-8: then it is UTF-8, the mark skipped); then ASCII text laid out as
 * UTF-16 without BOM; then valid UTF-8; then GB18030 (which also covers GBK and GB2312, as saved
 * by Excel on Chinese Windows) if the sample has fewer undecodable sequences as GB18030 than as
 * UTF-8 and its bytes over 0x7F mostly come in pairs — so a GBK file with one corrupt byte is
 * still read as GBK and only that line is refused, while an ASCII file with a stray byte is not
 * taken for Chinese.  Anything else is taken as UTF-8, and the reader names the lines that are not valid.
 */
CrmCsvEncoding
crm_csv_detect_encoding (const guint8 *data,
                         gsize         len,
                         gboolean      complete,
                         gsize        *bom_len)
{
  CrmCsvEncoding utf16;
  gsize utf8_errors;

  if (bom_len != NULL)
    *bom_len = 0;

  if (len >= 3 && memcmp (data, bom_utf8, 3) == 0)
    {
      if (bom_len != NULL)
        *bom_len = 3;
      return CRM_CSV_ENCODING_UTF8_BOM;
    }
  if (len >= 2 && (memcmp (data, bom_utf16le, 2) == 0 || memcmp (data, bom_utf16be, 2) == 0))
    {
      if (bom_len != NULL)
        *bom_len = 2;
      /* UTF-8 behind a UTF-16 mark (a program wrote the wrong one): UTF-16 text of a CSV file
       * has zero bytes (its ASCII), this has none, and it is valid UTF-8. */
      if (len > 2 && memchr (data + 2, 0, MIN (len - 2, 4096)) == NULL &&
          count_utf8_errors (data + 2, len - 2, complete) == 0)
        return CRM_CSV_ENCODING_UTF8;
      return data[0] == 0xFF ? CRM_CSV_ENCODING_UTF16LE : CRM_CSV_ENCODING_UTF16BE;
    }

  utf16 = sniff_utf16 (data, len);
  if (utf16 != CRM_CSV_ENCODING_AUTO)
    return utf16;

  utf8_errors = count_utf8_errors (data, len, complete);
  if (utf8_errors == 0)
    return CRM_CSV_ENCODING_UTF8;
  if (high_bytes_paired (data, len) && count_gb18030_errors (data, len, complete) < utf8_errors)
    return CRM_CSV_ENCODING_GB18030;
  return CRM_CSV_ENCODING_UTF8;
}

/**
 * crm_csv_cell_is_plain_number:
 * @cell: a UTF-8 string
 *
 * A plain number is an optional sign, then digits with single '.' or ',' separators between
 * them (or a leading '.'), then an optional exponent: "-12.50", "+3", "-1,234.5", "-.5",
 * "1e-3".  Nothing in it can be read as an operator, so a spreadsheet shows it as a number.
 */
gboolean
crm_csv_cell_is_plain_number (const char *cell)
{
  const char *p = cell;
  gboolean digits = FALSE, prev_sep = FALSE;

  if (*p == '+' || *p == '-')
    p++;
  if (*p == '.')
    {
      prev_sep = TRUE;
      p++;
    }
  for (; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          digits = TRUE;
          prev_sep = FALSE;
        }
      else if ((*p == '.' || *p == ',') && digits && !prev_sep)
        prev_sep = TRUE;
      else
        break;
    }
  if (!digits || prev_sep)
    return FALSE;
  if (*p == 'e' || *p == 'E')
    {
      p++;
      if (*p == '+' || *p == '-')
        p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  return *p == '\0';
}

/**
 * crm_csv_cell_needs_neutralizing:
 * @cell: a UTF-8 string
 *
 * The formula-injection rule of the writer: a cell that starts with '=', '+', '-', '@', a tab or
 * a carriage return — or with the full-width forms ＝ ＋ － ＠, which spreadsheets in CJK locales
 * also accept — would be run as a formula by Excel or LibreOffice, so the writer puts a single
 * quote in front.  Plain numbers (crm_csv_cell_is_plain_number()) such as "-12.50" are left
 * alone: they are data, not formulas.
 */
gboolean
crm_csv_cell_needs_neutralizing (const char *cell)
{
  static const char *const fullwidth[] = { "\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D",
                                           "\xEF\xBC\xA0" };

  switch (cell[0])
    {
    case '=':
    case '@':
    case '\t':
    case '\r':
      return TRUE;
    case '+':
    case '-':
      return !crm_csv_cell_is_plain_number (cell);
    case '\xEF':
      break;
    default:
      /* Every full-width form starts with 0xEF: most cells stop here. */
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (fullwidth); i++)
    if (g_str_has_prefix (cell, fullwidth[i]))
      return TRUE;
  return FALSE;
}

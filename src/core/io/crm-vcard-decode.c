/* crm-vcard-decode.c: a vCard file's bytes as UTF-8 text for the reader (crm-vcard.c): UTF-16
 * as Windows saves "Unicode" files, with or without a byte order mark, and UTF-8 that a program
 * put behind a UTF-16 mark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-vcard.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* UTF-16 without a byte order mark: every other byte of "BEGIN:VCARD" is zero. */
static const char *
sniff_utf16 (const guchar *data,
             gsize         len)
{
  if (len >= 4 && data[0] != 0 && data[1] == 0 && data[2] != 0 && data[3] == 0)
    return "UTF-16LE";
  if (len >= 4 && data[0] == 0 && data[1] != 0 && data[2] == 0 && data[3] != 0)
    return "UTF-16BE";
  return NULL;
}

/* Whether the text after a UTF-16 byte order mark is really UTF-8 (a program wrote the wrong
 * mark): no zero byte where UTF-16's ASCII would have them, and valid UTF-8 throughout. */
static gboolean
utf8_behind_bom (const guchar *data,
                 gsize         len)
{
  return memchr (data, 0, MIN (len, 4096)) == NULL && g_utf8_validate_len ((const char *) data, len, NULL);
}

char *
crm_vcard_decode (const char  *data,
                  gsize        len,
                  gsize       *out_len,
                  GError     **error)
{
  const guchar *d = (const guchar *) data;
  const char *charset = NULL;
  gsize bom = 0, read = 0, written = 0;
  g_autoptr(GError) local_error = NULL;
  char *out;

  if (len >= 2 && d[0] == 0xFF && d[1] == 0xFE)
    charset = "UTF-16LE", bom = 2;
  else if (len >= 2 && d[0] == 0xFE && d[1] == 0xFF)
    charset = "UTF-16BE", bom = 2;
  else
    charset = sniff_utf16 (d, len);

  if (charset != NULL && bom > 0 && utf8_behind_bom (d + bom, len - bom))
    charset = NULL;
  if (charset == NULL)
    {
      *out_len = len - bom;
      return g_memdup2 (data + bom, len - bom + 1);
    }

  out = g_convert (data + bom, len - bom, "UTF-8", charset, &read, &written, &local_error);
  if (out == NULL)
    {
      g_set_error (error, CRM_VCARD_ERROR, CRM_VCARD_ERROR_INVALID_TEXT,
                   _("The file is %s text, but bytes %zu and %zu are not (the file may be cut off or damaged); nothing was imported"),
                   charset, bom + read + 1, bom + read + 2);
      return NULL;
    }
  *out_len = written;
  return out;
}

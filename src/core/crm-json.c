/* crm-json.c: a nesting check before json-glib sees the text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * json-glib 1.6 parses recursively, one C stack frame chain per level, and has no depth limit
 * of its own: a saved segment nested 50,000 levels deep overflowed the 8 MiB main stack (and
 * a worker thread's smaller one sooner) before any check of ours could run.  Counting the
 * brackets first costs one pass over bytes already in memory and needs no stack at all.
 */
#include "crm-json.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

/**
 * crm_json_check_depth:
 * @json: JSON text (need not be valid: only its nesting is looked at)
 * @len: its length, or -1 when it ends with a NUL
 * @max_depth: the most arrays and objects that may be open at once
 *
 * Brackets inside strings do not count; a backslash inside a string escapes the next byte,
 * so "\"[" is one string.  Malformed text that stays shallow passes: the parser refuses it.
 *
 * Returns: FALSE when the text nests deeper than @max_depth.
 */
gboolean
crm_json_check_depth (const char *json,
                      gssize      len,
                      guint       max_depth)
{
  const char *end;
  gboolean in_string = FALSE;
  guint depth = 0;

  if (json == NULL)
    return TRUE;
  end = json + (len < 0 ? strlen (json) : (gsize) len);

  for (const char *p = json; p < end; p++)
    {
      if (in_string)
        {
          if (*p == '\\')
            p++;
          else if (*p == '"')
            in_string = FALSE;
          continue;
        }
      switch (*p)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > max_depth)
            return FALSE;
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }
  return TRUE;
}

/* json_parser_load_from_data() after crm_json_check_depth(): every parser of text that did not
 * come from this process goes through here. */
gboolean
crm_json_load (JsonParser  *parser,
               const char  *json,
               guint        max_depth,
               GError     **error)
{
  g_return_val_if_fail (JSON_IS_PARSER (parser), FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  if (!crm_json_check_depth (json, -1, max_depth))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The JSON text nests deeper than %u levels"), max_depth);
      return FALSE;
    }
  return json_parser_load_from_data (parser, json, -1, error);
}

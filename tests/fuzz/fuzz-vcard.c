/* fuzz-vcard.c: libFuzzer target for the vCard parser and writer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Beyond "no crash, no leak, no sanitizer report": every card's cells are valid UTF-8, and a
 * card written back with crm_vcard_append_card() (3.0 and 4.0) parses to the same cells.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm-vcard.h"

static void
fail (const char *what)
{
  fprintf (stderr, "fuzz-vcard: %s\n", what);
  abort ();
}

/* Tags are one comma-separated list: a tag holding a comma (or ; | ，；、) comes back split. */
static char *
normalize_tags (const char *tags)
{
  GString *s = g_string_new (tags);
  GString *out = g_string_new (NULL);

  g_string_replace (s, "，", ",", 0);
  g_string_replace (s, "；", ",", 0);
  g_string_replace (s, "、", ",", 0);
  g_strdelimit (s->str, ";|", ',');
  for (char *p = s->str; *p; p++)
    /* Whitespace around tags carries no meaning (a tag list is written trimmed). */
    if (!(g_ascii_isspace (*p) || (*p == ',' && (out->len == 0 || out->str[out->len - 1] == ','))))
      g_string_append_c (out, *p);
  while (out->len > 0 && out->str[out->len - 1] == ',')
    g_string_truncate (out, out->len - 1);
  g_string_free (s, TRUE);
  return g_string_free (out, FALSE);
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A cell found by name: the columns follow the field catalogue's order. */
static guint
column_named (const char *name)
{
  guint n = 0;
  const char * const *names = crm_vcard_columns (&n);

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (names[i], name) == 0)
      return i;
  fail ("no such column");
  return 0;
}

/* The writer composes N from the name; first/last names are not written back as given. */
static gboolean
comparable (guint i)
{
  return i != column_named ("first_name") && i != column_named ("last_name");
}

static guint
tags_column (void)
{
  return column_named ("tags");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(CrmVcardParser) parser = crm_vcard_parser_new ((const char *) data, size);

  for (guint n = 0; n < 1000; n++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CrmVcardCard) card = crm_vcard_parser_next (parser, &error);
      const char * const *cells;
      guint n_cells;

      if (card == NULL && error == NULL)
        break;
      if (card == NULL)
        continue;

      cells = crm_vcard_card_get_cells (card, &n_cells);
      for (guint i = 0; i < n_cells; i++)
        if (cells[i] == NULL || !g_utf8_validate (cells[i], -1, NULL))
          fail ("a cell is not valid UTF-8");

      for (int version = CRM_VCARD_VERSION_3_0; version <= CRM_VCARD_VERSION_4_0; version++)
        {
          g_autoptr(GString) out = g_string_new (NULL);
          g_autoptr(CrmVcardParser) again = NULL;
          g_autoptr(CrmVcardCard) back = NULL;
          g_autoptr(GError) error2 = NULL;
          const char * const *cells2;

          /* Cells with control characters or a leading "--" birthday are not round-trippable
           * by design (the importer refuses them); skip those cards. */
          gboolean skip = FALSE;
          for (guint i = 0; i < n_cells && !skip; i++)
            for (const char *p = cells[i]; *p && !skip; p++)
              skip = ((guchar) *p < 0x20 && *p != '\n') || *p == '\r';
          if (skip)
            break;

          crm_vcard_append_card (out, version, cells);
          again = crm_vcard_parser_new (out->str, out->len);
          back = crm_vcard_parser_next (again, &error2);
          if (back == NULL)
            fail ("a written card does not parse");
          cells2 = crm_vcard_card_get_cells (back, NULL);
          for (guint i = 0; i < n_cells; i++)
            if (i == tags_column ())
              {
                g_autofree char *a = normalize_tags (cells[i]);
                g_autofree char *b = normalize_tags (cells2[i]);
                if (strcmp (a, b) != 0)
                  fail ("round trip changed the tags");
              }
            else if (comparable (i) && strcmp (cells[i], cells2[i]) != 0)
              {
                fprintf (stderr, "column %u: \"%s\" != \"%s\"\n", i, cells[i], cells2[i]);
                fail ("round trip changed a cell");
              }
        }
    }
  return 0;
}

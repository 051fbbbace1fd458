/* crm-cdnow.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-cdnow.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (crm-cdnow-error-quark, crm_cdnow_error)

typedef struct
{
  guint32 day;   /* Julian day */
  double  value;
} Purchase;

typedef struct
{
  guint   id;
  GArray *purchases;
} Builder;

static int
compare_purchase (gconstpointer a, gconstpointer b)
{
  const Purchase *pa = a, *pb = b;

  return (pa->day > pb->day) - (pa->day < pb->day);
}

static void
builder_clear (gpointer p)
{
  Builder *b = p;

  g_clear_pointer (&b->purchases, g_array_unref);
}

static gboolean
parse_uint (const char *tok, guint64 max, guint64 *out)
{
  char *end = NULL;
  guint64 v;

  if (!g_ascii_isdigit (*tok))
    return FALSE;
  errno = 0;
  v = g_ascii_strtoull (tok, &end, 10);
  if (errno != 0 || *end != '\0' || v > max)
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
parse_date (const char *tok, guint32 *julian)
{
  GDate date;
  guint64 v;
  guint y, m, d;

  if (strlen (tok) != 8 || !parse_uint (tok, 99999999, &v))
    return FALSE;
  y = v / 10000;
  m = (v / 100) % 100;
  d = v % 100;
  if (!g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  *julian = g_date_get_julian (&date);
  return TRUE;
}

/* One line of purchases: a customer id, a day, and the dollars.  Blank lines, and the column
 * names the master file starts with, are skipped (*@skip). */
static gboolean
parse_line (char     *line,
            guint     line_no,
            guint    *n_columns,
            guint64  *id,
            guint32  *day,
            double   *dollars,
            gboolean *skip,
            GError  **error)
{
  char *tokens[6];
  guint n_tok = 0, col = 0;
  guint64 cds;
  char *dend = NULL;

  *skip = FALSE;
  g_strstrip (line);
  if (*line == '\0')
    {
      *skip = TRUE;
      return TRUE;
    }

  /* Split in place on blanks; a sixth token is enough to know the line is wrong. */
  for (char *q = line; *q != '\0' && n_tok < G_N_ELEMENTS (tokens);)
    {
      while (*q == ' ' || *q == '\t' || *q == '\r')
        *q++ = '\0';
      if (*q == '\0')
        break;
      tokens[n_tok++] = q;
      while (*q != '\0' && *q != ' ' && *q != '\t' && *q != '\r')
        q++;
    }

  if (*n_columns == 0)
    {
      if (n_tok != 4 && n_tok != 5)
        {
          g_set_error (error, CRM_CDNOW_ERROR, CRM_CDNOW_ERROR_PARSE,
                       _("Line %u: expected 4 columns (id, date, CDs, dollars) or 5 (id, sample id, date, CDs, dollars), found %u"),
                       line_no, n_tok);
          return FALSE;
        }
      *n_columns = n_tok;
      /* The master file as redistributed starts with column names. */
      if (g_ascii_isalpha (tokens[0][0]))
        {
          *skip = TRUE;
          return TRUE;
        }
    }
  else if (n_tok != *n_columns)
    {
      g_set_error (error, CRM_CDNOW_ERROR, CRM_CDNOW_ERROR_PARSE,
                   _("Line %u: expected %u columns like the first line, found %u"),
                   line_no, *n_columns, n_tok);
      return FALSE;
    }

  if (!parse_uint (tokens[col], G_MAXUINT32 - 1, id))
    {
      g_set_error (error, CRM_CDNOW_ERROR, CRM_CDNOW_ERROR_PARSE,
                   _("Line %u: the customer id “%s” is not a whole number"), line_no, tokens[col]);
      return FALSE;
    }
  col += *n_columns == 5 ? 2 : 1;
  if (!parse_date (tokens[col], day))
    {
      g_set_error (error, CRM_CDNOW_ERROR, CRM_CDNOW_ERROR_PARSE,
                   _("Line %u: “%s” is not a date in the form YYYYMMDD"), line_no, tokens[col]);
      return FALSE;
    }
  col++;
  if (!parse_uint (tokens[col], G_MAXUINT32, &cds))
    {
      g_set_error (error, CRM_CDNOW_ERROR, CRM_CDNOW_ERROR_PARSE,
                   _("Line %u: the number of CDs “%s” is not a whole number"), line_no, tokens[col]);
      return FALSE;
    }
  col++;
  errno = 0;
  *dollars = g_ascii_strtod (tokens[col], &dend);
  if (errno != 0 || dend == tokens[col] || *dend != '\0' || !isfinite (*dollars) || *dollars < 0)
    {
      g_set_error (error, CRM_CDNOW_ERROR, CRM_CDNOW_ERROR_PARSE,
                   _("Line %u: the dollar value “%s” is not a non-negative number"), line_no, tokens[col]);
      return FALSE;
    }
  return TRUE;
}

/* A customer's purchases as the models read them; FALSE if they first bought after the
 * calibration period. */
static gboolean
summarize_customer (Builder           *b,
                    guint32            cal_end,
                    guint32            hold_end,
                    CrmCdnowSummary   *summary,
                    CrmCdnowCustomer  *c)
{
  GArray *ps = b->purchases;
  guint n_tx = 0, n_cal = 0;
  guint32 first_day, last_cal_day = 0;
  double repeat_sum = 0.0;

  g_array_sort (ps, compare_purchase);

  /* Merge same-day purchases in place. */
  for (guint k = 0; k < ps->len; k++)
    {
      Purchase *cur = &g_array_index (ps, Purchase, k);
      if (n_tx > 0 && g_array_index (ps, Purchase, n_tx - 1).day == cur->day)
        g_array_index (ps, Purchase, n_tx - 1).value += cur->value;
      else
        g_array_index (ps, Purchase, n_tx++) = *cur;
    }
  g_array_set_size (ps, n_tx);
  summary->n_transactions += n_tx;

  first_day = g_array_index (ps, Purchase, 0).day;
  if (first_day > cal_end)
    return FALSE;

  memset (c, 0, sizeof *c);
  c->customer_id = b->id;
  c->first_value = g_array_index (ps, Purchase, 0).value;
  for (guint k = 0; k < n_tx; k++)
    {
      const Purchase *pu = &g_array_index (ps, Purchase, k);

      if (pu->day <= cal_end)
        {
          n_cal++;
          last_cal_day = pu->day;
          if (k > 0)
            repeat_sum += pu->value;
        }
      else if (pu->day <= hold_end)
        {
          c->holdout_x++;
          c->holdout_value += pu->value;
          summary->holdout_weekly[(pu->day - cal_end - 1) / 7]++;
        }
    }

  c->x = n_cal - 1;
  c->t_x = (last_cal_day - first_day) / 7.0;
  c->T = (cal_end - first_day) / 7.0;
  c->monetary_value = c->x > 0 ? repeat_sum / c->x : 0.0;
  return TRUE;
}

CrmCdnowSummary *
crm_cdnow_parse (const char   *contents,
                 gsize         length,
                 const GDate  *calibration_end,
                 const GDate  *holdout_end,
                 GError      **error)
{
  g_autoptr(CrmCdnowSummary) summary = g_new0 (CrmCdnowSummary, 1);
  g_autoptr(GHashTable) index = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GArray) builders = g_array_new (FALSE, TRUE, sizeof (Builder));
  g_autoptr(GArray) customers = g_array_new (FALSE, TRUE, sizeof (CrmCdnowCustomer));
  const char *p = contents, *end = contents + length;
  guint32 cal_end, hold_end;
  guint line_no = 0, n_columns = 0;

  g_array_set_clear_func (builders, builder_clear);

  if (!g_date_valid (calibration_end) || !g_date_valid (holdout_end)
      || g_date_compare (calibration_end, holdout_end) > 0)
    {
      g_set_error (error, CRM_CDNOW_ERROR, CRM_CDNOW_ERROR_INVALID_PERIOD,
                   _("The hold-out period must end on or after the end of the calibration period"));
      return NULL;
    }
  cal_end = g_date_get_julian (calibration_end);
  hold_end = g_date_get_julian (holdout_end);

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      gsize len = (nl != NULL ? nl : end) - p;
      g_autofree char *line = g_strndup (p, len);
      guint64 id;
      guint32 day;
      double dollars;
      gboolean skip;
      gpointer slot;
      Purchase purchase;

      p = nl != NULL ? nl + 1 : end;
      line_no++;

      if (memchr (line, '\0', len) != NULL)
        {
          g_set_error (error, CRM_CDNOW_ERROR, CRM_CDNOW_ERROR_PARSE,
                       _("Line %u: contains a NUL byte; this is not a CDNOW text file"), line_no);
          return NULL;
        }
      if (!parse_line (line, line_no, &n_columns, &id, &day, &dollars, &skip, error))
        return NULL;
      if (skip)
        continue;

      summary->n_lines++;
      if (!g_hash_table_lookup_extended (index, GUINT_TO_POINTER ((guint) id + 1), NULL, &slot))
        {
          Builder b = { (guint) id, g_array_new (FALSE, FALSE, sizeof (Purchase)) };
          slot = GUINT_TO_POINTER (builders->len);
          g_array_append_val (builders, b);
          g_hash_table_insert (index, GUINT_TO_POINTER ((guint) id + 1), slot);
        }
      purchase.day = day;
      purchase.value = dollars;
      g_array_append_val (g_array_index (builders, Builder, GPOINTER_TO_UINT (slot)).purchases, purchase);
    }

  if (summary->n_lines == 0)
    {
      g_set_error (error, CRM_CDNOW_ERROR, CRM_CDNOW_ERROR_EMPTY,
                   _("The file contains no purchases"));
      return NULL;
    }

  summary->n_holdout_weeks = (hold_end - cal_end + 6) / 7;
  summary->holdout_weekly = g_new0 (guint, MAX (summary->n_holdout_weeks, 1));

  for (guint i = 0; i < builders->len; i++)
    {
      CrmCdnowCustomer c;

      if (summarize_customer (&g_array_index (builders, Builder, i), cal_end, hold_end, summary, &c))
        g_array_append_val (customers, c);
      else
        summary->n_skipped++;
    }

  summary->n_customers = customers->len;
  summary->customers = (CrmCdnowCustomer *) g_array_free (g_steal_pointer (&customers), FALSE);
  return g_steal_pointer (&summary);
}

CrmCdnowSummary *
crm_cdnow_load (const char   *path,
                const GDate  *calibration_end,
                const GDate  *holdout_end,
                GError      **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  return crm_cdnow_parse (contents, length, calibration_end, holdout_end, error);
}

void
crm_cdnow_summary_free (CrmCdnowSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->customers);
  g_free (summary->holdout_weekly);
  g_free (summary);
}

void
crm_cdnow_summary_get_arrays (const CrmCdnowSummary  *summary,
                              double                **x,
                              double                **t_x,
                              double                **T,
                              double                **monetary_value)
{
  gsize n = summary->n_customers;
  double *ax = x ? g_new (double, MAX (n, 1)) : NULL;
  double *atx = t_x ? g_new (double, MAX (n, 1)) : NULL;
  double *aT = T ? g_new (double, MAX (n, 1)) : NULL;
  double *am = monetary_value ? g_new (double, MAX (n, 1)) : NULL;

  for (gsize i = 0; i < n; i++)
    {
      const CrmCdnowCustomer *c = &summary->customers[i];
      if (ax)
        ax[i] = c->x;
      if (atx)
        atx[i] = c->t_x;
      if (aT)
        aT[i] = c->T;
      if (am)
        am[i] = c->monetary_value;
    }
  if (x)
    *x = ax;
  if (t_x)
    *t_x = atx;
  if (T)
    *T = aT;
  if (monetary_value)
    *monetary_value = am;
}

/* crm-member-card.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-member-card.h"

#include <glib/gi18n-lib.h>
#include <qrencode.h>
#include <string.h>
#include <sys/random.h>

#include "crm-charts.h"
#include "crm-customer.h"
#include "crm-entity.h"
#include "crm-format.h"
#include "crm-report.h"
#include "crm-tier.h"

G_DEFINE_QUARK (crm-member-card-error-quark, crm_member_card_error)

int
crm_member_card_luhn_digit (const char *digits)
{
  guint sum = 0;
  gsize len;

  g_return_val_if_fail (digits != NULL, -1);

  len = strlen (digits);
  /* From the right: the digit next to the check digit is doubled, then every other one. */
  for (gsize i = 0; i < len; i++)
    {
      char c = digits[len - 1 - i];
      guint d;

      if (!g_ascii_isdigit (c))
        return -1;
      d = c - '0';
      if (i % 2 == 0)
        d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
  return (10 - sum % 10) % 10;
}

gboolean
crm_member_card_luhn_valid (const char *number)
{
  g_autofree char *body = NULL;
  gsize len;

  if (number == NULL || (len = strlen (number)) < 2)
    return FALSE;
  body = g_strndup (number, len - 1);
  return g_ascii_isdigit (number[len - 1]) && crm_member_card_luhn_digit (body) == number[len - 1] - '0';
}

char *
crm_member_card_normalize (const char *text)
{
  char digits[CRM_MEMBER_CARD_DIGITS + 1];
  guint n = 0;

  if (text == NULL)
    return NULL;
  for (const char *p = text; *p; p++)
    {
      if (*p == ' ' || *p == '-')
        continue;
      if (!g_ascii_isdigit (*p) || n == CRM_MEMBER_CARD_DIGITS)
        return NULL;
      digits[n++] = *p;
    }
  digits[n] = '\0';
  if (n != CRM_MEMBER_CARD_DIGITS || !crm_member_card_luhn_valid (digits))
    return NULL;
  return g_strdup (digits);
}

char *
crm_member_card_format (const char *number)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; number != NULL && number[i]; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, number[i]);
    }
  return g_string_free (out, FALSE);
}

void
crm_member_card_free (CrmMemberCard *card)
{
  if (card == NULL)
    return;
  g_free (card->number);
  g_free (card->reason);
  g_free (card);
}

/* "8", fourteen random digits, the check digit. */
static char *
make_number (void)
{
  char digits[CRM_MEMBER_CARD_DIGITS + 1];
  guint8 bytes[CRM_MEMBER_CARD_DIGITS];

  if (getrandom (bytes, sizeof bytes, 0) != sizeof bytes)
    for (guint i = 0; i < sizeof bytes; i++)
      bytes[i] = g_random_int_range (0, 256);
  digits[0] = '8';
  /* 250 of the 256 byte values, so each digit is equally likely. */
  for (guint i = 1; i < CRM_MEMBER_CARD_DIGITS - 1; i++)
    {
      while (bytes[i] >= 250)
        bytes[i] = g_random_int_range (0, 250);
      digits[i] = '0' + bytes[i] % 10;
    }
  digits[CRM_MEMBER_CARD_DIGITS - 1] = '\0';
  digits[CRM_MEMBER_CARD_DIGITS - 1] = '0' + crm_member_card_luhn_digit (digits);
  digits[CRM_MEMBER_CARD_DIGITS] = '\0';
  return g_strdup (digits);
}

static CrmMemberCard *
card_from_row (sqlite3_stmt *stmt)
{
  CrmMemberCard *card = g_new0 (CrmMemberCard, 1);

  card->id = sqlite3_column_int64 (stmt, 0);
  card->number = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  card->customer_id = sqlite3_column_int64 (stmt, 2);
  card->issued_at = sqlite3_column_int64 (stmt, 3);
  card->revoked_at = sqlite3_column_int64 (stmt, 4);
  card->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  return card;
}

#define CARD_COLUMNS "id, number, customer_id, issued_at, revoked_at, reason"

static CrmMemberCard *
load_live (CrmStore  *store,
           gint64     customer_id,
           GError   **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store, "SELECT " CARD_COLUMNS " FROM member_cards"
                                                 " WHERE customer_id = ? AND revoked_at IS NULL", error);
  CrmMemberCard *card = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    card = card_from_row (stmt);
  sqlite3_reset (stmt);
  if (card == NULL)
    g_set_error_literal (error, CRM_MEMBER_CARD_ERROR, CRM_MEMBER_CARD_ERROR_NONE,
                         _("The customer has no member card"));
  return card;
}

static gboolean
check_customer (CrmStore  *store,
                gint64     customer_id,
                GError   **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store, "SELECT 1 FROM customers WHERE id = ? AND deleted_at IS NULL", error);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (!found)
    g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND, _("The customer does not exist"));
  return found;
}

/* A new live card in the open transaction; a number already used (by any card, ever) draws
 * again. */
static CrmMemberCard *
insert_card (CrmStore  *store,
             gint64     customer_id,
             gint64     now,
             GError   **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store, "INSERT OR IGNORE INTO member_cards (number, customer_id, issued_at)"
                                                 " VALUES (?, ?, ?)", error);

  if (stmt == NULL)
    return NULL;
  for (guint attempt = 0; attempt < 100; attempt++)
    {
      g_autofree char *number = make_number ();

      sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, customer_id);
      sqlite3_bind_int64 (stmt, 3, now);
      if (!crm_store_step (store, stmt, error))
        return NULL;
      if (sqlite3_changes (crm_store_get_db (store)) == 1)
        {
          CrmMemberCard *card = g_new0 (CrmMemberCard, 1);

          card->id = sqlite3_last_insert_rowid (crm_store_get_db (store));
          card->number = g_steal_pointer (&number);
          card->customer_id = customer_id;
          card->issued_at = now;
          return card;
        }
    }
  g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED, _("Could not draw an unused card number"));
  return NULL;
}

static CrmMemberCard *
issue_in_transaction (CrmStore    *store,
                      gint64       customer_id,
                      gboolean     reissue,
                      const char  *reason,
                      GError     **error)
{
  g_autoptr(CrmMemberCard) live = NULL;
  gint64 now = crm_now_ms ();

  if (!check_customer (store, customer_id, error))
    return NULL;
  live = load_live (store, customer_id, NULL);
  if (!reissue && live != NULL)
    {
      g_autofree char *shown = crm_member_card_format (live->number);
      g_set_error (error, CRM_MEMBER_CARD_ERROR, CRM_MEMBER_CARD_ERROR_EXISTS,
                   _("The customer already has member card %s; reissue it if it was lost"), shown);
      return NULL;
    }
  if (reissue)
    {
      sqlite3_stmt *stmt;

      if (live == NULL)
        {
          g_set_error_literal (error, CRM_MEMBER_CARD_ERROR, CRM_MEMBER_CARD_ERROR_NONE,
                               _("The customer has no member card to reissue"));
          return NULL;
        }
      if (!(stmt = crm_store_prepare (store, "UPDATE member_cards SET revoked_at = ?, reason = ? WHERE id = ?", error)))
        return NULL;
      sqlite3_bind_int64 (stmt, 1, now);
      sqlite3_bind_text (stmt, 2, reason != NULL && *reason ? reason : NULL, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, live->id);
      if (!crm_store_step (store, stmt, error))
        return NULL;
    }
  return insert_card (store, customer_id, now, error);
}

static CrmMemberCard *
issue (CrmStore    *store,
       gint64       customer_id,
       gboolean     reissue,
       const char  *reason,
       GError     **error)
{
  CrmMemberCard *card;

  if (!crm_store_begin (store, error))
    return NULL;
  if (!(card = issue_in_transaction (store, customer_id, reissue, reason, error)))
    {
      crm_store_rollback (store);
      return NULL;
    }
  if (!crm_store_commit (store, error))
    {
      crm_member_card_free (card);
      return NULL;
    }
  /* The search box finds customers by card: their lists refresh. */
  return card;
}

CrmMemberCard *
crm_member_card_issue (CrmStore  *store,
                       gint64     customer_id,
                       GError   **error)
{
  return issue (store, customer_id, FALSE, NULL, error);
}

CrmMemberCard *
crm_member_card_reissue (CrmStore    *store,
                         gint64       customer_id,
                         const char  *reason,
                         GError     **error)
{
  return issue (store, customer_id, TRUE, reason, error);
}

CrmMemberCard *
crm_member_card_get (CrmStore  *store,
                     gint64     customer_id,
                     GError   **error)
{
  return load_live (store, customer_id, error);
}

GPtrArray *
crm_member_card_history (CrmStore  *store,
                         gint64     customer_id,
                         GError   **error)
{
  g_autoptr(GPtrArray) cards = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_member_card_free);
  sqlite3_stmt *stmt = crm_store_prepare (store, "SELECT " CARD_COLUMNS " FROM member_cards"
                                                 " WHERE customer_id = ? ORDER BY id DESC", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (cards, card_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&cards);
}

gint64
crm_member_card_lookup (CrmStore    *store,
                        const char  *text,
                        GError     **error)
{
  g_autofree char *number = crm_member_card_normalize (text);
  g_autofree char *shown = NULL;
  g_autoptr(CrmMemberCard) card = NULL;
  sqlite3_stmt *stmt;

  if (number == NULL)
    {
      shown = g_utf8_make_valid (text ? text : "", -1);
      g_set_error (error, CRM_MEMBER_CARD_ERROR, CRM_MEMBER_CARD_ERROR_INVALID,
                   _("“%s” is not a member card number (16 digits with a valid check digit)"), shown);
      return 0;
    }
  if (!(stmt = crm_store_prepare (store, "SELECT " CARD_COLUMNS " FROM member_cards WHERE number = ?", error)))
    return 0;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    card = card_from_row (stmt);
  sqlite3_reset (stmt);

  shown = crm_member_card_format (number);
  if (card == NULL)
    {
      g_set_error (error, CRM_MEMBER_CARD_ERROR, CRM_MEMBER_CARD_ERROR_UNKNOWN, _("No member card has the number %s"), shown);
      return 0;
    }
  if (card->revoked_at != 0)
    {
      g_autofree char *when = crm_format_date (card->revoked_at);
      g_set_error (error, CRM_MEMBER_CARD_ERROR, CRM_MEMBER_CARD_ERROR_REVOKED,
                   _("Member card %s was replaced on %s and is no longer valid"), shown, when);
      return 0;
    }
  return card->customer_id;
}

/* ---- the printable card --------------------------------------------------------------------- */

/* ID-1 (a bank card) in PostScript points. */
#define CARD_W (85.6 / 25.4 * 72)
#define CARD_H (54.0 / 25.4 * 72)
#define CARD_MARGIN 12.0

typedef struct
{
  const char *name;
  const char *tier;     /* NULL: none */
  char       *number;   /* formatted */
  QRcode     *qr;
} CardPage;

#define QR_SIZE (CARD_H - 2 * CARD_MARGIN - 14)

void
crm_member_card_qr_geometry (int     n_modules,
                             double *x,
                             double *y,
                             double *module)
{
  /* A white square with four modules of quiet zone each side. */
  *module = QR_SIZE / (n_modules + 8);
  *x = CARD_W - CARD_MARGIN - QR_SIZE + 4 * *module;
  *y = CARD_MARGIN + 4 * *module;
}

static void
draw_card (cairo_t  *cr,
           int       page,
           gpointer  user_data)
{
  CardPage *card = user_data;
  double qx = CARD_W - CARD_MARGIN - QR_SIZE, qy = CARD_MARGIN;
  double text_w = qx - 2 * CARD_MARGIN;
  double mx, my, module;

  cairo_set_source_rgb (cr, 0.13, 0.29, 0.53);
  cairo_rectangle (cr, 0, 0, CARD_W, CARD_H);
  cairo_fill (cr);

  cairo_set_source_rgb (cr, 1, 1, 1);
  crm_chart_text (cr, _("Member card"), CARD_MARGIN, CARD_MARGIN, 8, FALSE, 0, text_w);
  crm_chart_text (cr, card->name, CARD_MARGIN, CARD_MARGIN + 16, 13, TRUE, 0, text_w);
  if (card->tier != NULL)
    crm_chart_text (cr, card->tier, CARD_MARGIN, CARD_MARGIN + 36, 9, FALSE, 0, text_w);
  crm_chart_text (cr, card->number, CARD_MARGIN, CARD_H - CARD_MARGIN - 14, 11, TRUE, 0, CARD_W - 2 * CARD_MARGIN);

  /* The QR code on a white square with its quiet zone, so phones read it on the blue. */
  cairo_rectangle (cr, qx, qy, QR_SIZE, QR_SIZE);
  cairo_fill (cr);
  crm_member_card_qr_geometry (card->qr->width, &mx, &my, &module);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (int y = 0; y < card->qr->width; y++)
    for (int x = 0; x < card->qr->width; x++)
      if (card->qr->data[y * card->qr->width + x] & 1)
        cairo_rectangle (cr, mx + x * module, my + y * module, module, module);
  cairo_fill (cr);
}

gboolean
crm_member_card_write_pdf (CrmStore    *store,
                           gint64       customer_id,
                           const char  *path,
                           GError     **error)
{
  g_autoptr(CrmMemberCard) card = NULL;
  g_autoptr(CrmCustomer) customer = NULL;
  g_autoptr(CrmTier) tier = NULL;
  CardPage page = { 0 };
  sqlite3_stmt *stmt;
  gint64 tier_id = 0;
  gboolean ok;

  if (!(customer = crm_store_load (store, CRM_TYPE_CUSTOMER, customer_id, error)) ||
      !(card = crm_member_card_get (store, customer_id, error)))
    return FALSE;
  if (!(stmt = crm_store_prepare (store, "SELECT tier_id FROM customer_state WHERE customer_id = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    tier_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (tier_id > 0)
    tier = crm_store_load (store, CRM_TYPE_TIER, tier_id, NULL);

  page.name = crm_customer_get_name (customer);
  page.tier = tier != NULL ? crm_tier_get_display_name (tier) : NULL;
  page.number = crm_member_card_format (card->number);
  page.qr = QRcode_encodeString (card->number, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (page.qr == NULL)
    {
      g_free (page.number);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not make the card’s QR code"));
      return FALSE;
    }
  ok = crm_report_write_pdf_pages (path, _("Member card"), CARD_W, CARD_H, 1, draw_card, &page, error);
  QRcode_free (page.qr);
  g_free (page.number);
  return ok;
}

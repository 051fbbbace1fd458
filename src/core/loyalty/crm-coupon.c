/* crm-coupon.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-coupon.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/random.h>

#include "crm-csv-writer.h"
#include "crm-entity.h"
#include "crm-format.h"
#include "crm-query.h"
#include "crm-rule.h"
#include "crm-segment.h"
#include "crm-text.h"

G_DEFINE_QUARK (crm-coupon-error-quark, crm_coupon_error)

#define BATCH_COLUMNS \
  "b.id, b.uuid, b.name, b.prefix, b.kind, b.value, b.currency, b.min_spend, b.valid_from," \
  " b.valid_until, b.uses_per_code, b.uses_per_customer, b.segment, b.customer_id, b.created_at," \
  " (SELECT count(*) FROM coupon_codes c WHERE c.batch_id = b.id)," \
  " (SELECT count(*) FROM coupon_codes c WHERE c.batch_id = b.id AND c.customer_id IS NOT NULL)," \
  " (SELECT count(*) FROM coupon_codes c WHERE c.batch_id = b.id AND c.uses > 0)," \
  " (SELECT coalesce(sum(c.uses), 0) FROM coupon_codes c WHERE c.batch_id = b.id)"

CrmCouponBatch *
crm_coupon_batch_new (void)
{
  CrmCouponBatch *batch = g_new0 (CrmCouponBatch, 1);

  batch->uses_per_code = 1;
  batch->uses_per_customer = 1;
  return batch;
}

void
crm_coupon_batch_free (CrmCouponBatch *batch)
{
  if (batch == NULL)
    return;
  g_free (batch->uuid);
  g_free (batch->name);
  g_free (batch->prefix);
  g_free (batch->currency);
  g_free (batch->segment);
  g_free (batch);
}

double
crm_coupon_batch_get_rate (const CrmCouponBatch *batch)
{
  return batch->codes > 0 ? (double) batch->redeemed / batch->codes : 0.0;
}

static const char *
batch_currency (const CrmCouponBatch *batch)
{
  return batch->currency != NULL ? batch->currency : "CNY";
}

char *
crm_coupon_batch_describe (const CrmCouponBatch *batch)
{
  g_autofree char *off = NULL;

  if (batch->kind == CRM_COUPON_PERCENT)
    /* Translators: a coupon's discount, e.g. "10 % off" */
    off = g_strdup_printf (_("%" PRId64 " %% off"), batch->value);
  else
    {
      g_autofree char *money = crm_format_money (batch->value, batch_currency (batch));
      /* Translators: a coupon's discount, e.g. "¥20.00 off" */
      off = g_strdup_printf (_("%s off"), money);
    }
  if (batch->min_spend > 0)
    {
      g_autofree char *min = crm_format_money (batch->min_spend, batch_currency (batch));
      /* Translators: a coupon's discount and its minimum spend, e.g. "¥20.00 off, spend ¥100.00" */
      return g_strdup_printf (_("%s, spend %s"), off, min);
    }
  return g_steal_pointer (&off);
}

static gboolean
refuse (GError         **error,
        CrmCouponError   code,
        const char      *format,
        ...) G_GNUC_PRINTF (3, 4);

static gboolean
refuse (GError         **error,
        CrmCouponError   code,
        const char      *format,
        ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, CRM_COUPON_ERROR, code, message);
  return FALSE;
}

static gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, message);
  return FALSE;
}

char *
crm_coupon_normalize_code (const char  *text,
                           GError     **error)
{
  g_autoptr(GString) code = g_string_new (NULL);

  if (text != NULL && g_utf8_validate (text, -1, NULL))
    for (const char *p = text; *p; p++)
      {
        if (*p == ' ' || *p == '\t')
          continue;
        if (!g_ascii_isalnum (*p) && *p != '-')
          {
            code->len = 0;
            break;
          }
        g_string_append_c (code, g_ascii_toupper (*p));
      }
  if (code->len == 0 || code->len > 40)
    {
      g_autofree char *shown = text ? g_utf8_make_valid (text, -1) : g_strdup ("");
      refuse (error, CRM_COUPON_ERROR_UNKNOWN, _("“%s” is not a coupon code"), shown);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&code), FALSE);
}

char *
crm_coupon_normalize_prefix (const char  *text,
                             GError     **error)
{
  g_autofree char *up = text ? g_ascii_strup (text, -1) : NULL;
  gsize len = up ? strlen (g_strstrip (up)) : 0;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (up[i]))
      len = 0;
  if (len == 0 || len > 12)
    {
      g_autofree char *shown = text ? g_utf8_make_valid (text, -1) : g_strdup ("");
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("“%s” is not a code prefix: use 1 to 12 letters or digits"), shown);
      return NULL;
    }
  return g_steal_pointer (&up);
}

/* A new code: the prefix, a dash and CRM_COUPON_RANDOM_LEN characters of the alphabet, drawn from
 * the kernel's random source (codes are worth money: they must not be guessable from others). */
static char *
make_code (const char *prefix)
{
  guint8 bytes[CRM_COUPON_RANDOM_LEN];
  char *code = g_malloc (strlen (prefix) + 2 + CRM_COUPON_RANDOM_LEN);
  char *p = g_stpcpy (code, prefix);

  if (getrandom (bytes, sizeof bytes, 0) != sizeof bytes)
    for (guint i = 0; i < sizeof bytes; i++)
      bytes[i] = g_random_int_range (0, 256);
  *p++ = '-';
  /* 32 characters: 5 bits of each byte, evenly. */
  for (guint i = 0; i < CRM_COUPON_RANDOM_LEN; i++)
    *p++ = CRM_COUPON_ALPHABET[bytes[i] & 31];
  *p = '\0';
  return code;
}

/* A new code of @batch_id, assigned to @customer_id (0: nobody); a collision draws again. */
static gboolean
insert_code (CrmStore    *store,
             gint64       batch_id,
             const char  *prefix,
             gint64       customer_id,
             gint64       now,
             GError     **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store, "INSERT OR IGNORE INTO coupon_codes"
                                                 " (batch_id, code, customer_id, issued_at) VALUES (?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  for (guint attempt = 0; attempt < 100; attempt++)
    {
      g_autofree char *code = make_code (prefix);

      sqlite3_bind_int64 (stmt, 1, batch_id);
      sqlite3_bind_text (stmt, 2, code, -1, SQLITE_TRANSIENT);
      if (customer_id > 0)
        sqlite3_bind_int64 (stmt, 3, customer_id);
      else
        sqlite3_bind_null (stmt, 3);
      sqlite3_bind_int64 (stmt, 4, now);
      if (!crm_store_step (store, stmt, error))
        return FALSE;
      if (sqlite3_changes (crm_store_get_db (store)) == 1)
        return TRUE;
    }
  return invalid (error, _("Could not make a unique coupon code: too many codes share this prefix"));
}

static gboolean
check_batch (CrmCouponBatch  *batch,
             GError         **error)
{
  g_autofree char *prefix = NULL;

  if (batch->name == NULL || *g_strstrip (batch->name) == '\0')
    return invalid (error, _("A coupon batch needs a name"));
  if (!crm_text_validate (batch->name, -1, 200, _("Batch name"), error))
    return FALSE;
  if (!(prefix = crm_coupon_normalize_prefix (batch->prefix, error)))
    return FALSE;
  g_free (batch->prefix);
  batch->prefix = g_steal_pointer (&prefix);
  if (batch->kind == CRM_COUPON_PERCENT && (batch->value < 1 || batch->value > 100))
    return invalid (error, _("A percent discount must be from 1 to 100"));
  if (batch->kind == CRM_COUPON_AMOUNT && batch->value < 1)
    return invalid (error, _("A fixed discount must be more than zero"));
  if (batch->min_spend < 0)
    return invalid (error, _("The minimum spend cannot be negative"));
  if (batch->uses_per_code < 1 || batch->uses_per_customer < 1)
    return invalid (error, _("A code must be usable at least once, by each customer at least once"));
  if (batch->valid_from > 0 && batch->valid_until > 0 && batch->valid_until < batch->valid_from)
    return invalid (error, _("The coupons would end before they start"));
  return TRUE;
}

static gboolean
create_in_transaction (CrmStore        *store,
                       CrmCouponBatch  *batch,
                       guint            count,
                       GError         **error)
{
  g_autofree char *uuid = g_uuid_string_random ();
  gint64 now = crm_now_ms ();
  sqlite3_stmt *stmt;

  stmt = crm_store_prepare (store, "INSERT INTO coupon_batches (uuid, name, prefix, kind, value, currency,"
                                   " min_spend, valid_from, valid_until, uses_per_code, uses_per_customer,"
                                   " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, batch->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, batch->prefix, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, batch->kind == CRM_COUPON_PERCENT ? "percent" : "amount", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, batch->value);
  sqlite3_bind_text (stmt, 6, batch_currency (batch), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, batch->min_spend);
  if (batch->valid_from > 0)
    sqlite3_bind_int64 (stmt, 8, batch->valid_from);
  if (batch->valid_until > 0)
    sqlite3_bind_int64 (stmt, 9, batch->valid_until);
  sqlite3_bind_int64 (stmt, 10, batch->uses_per_code);
  sqlite3_bind_int64 (stmt, 11, batch->uses_per_customer);
  sqlite3_bind_int64 (stmt, 12, now);
  sqlite3_bind_int64 (stmt, 13, now);
  if (!crm_store_step (store, stmt, error))
    return FALSE;
  batch->id = sqlite3_last_insert_rowid (crm_store_get_db (store));
  g_free (batch->uuid);
  batch->uuid = g_steal_pointer (&uuid);
  batch->created_at = now;

  for (guint i = 0; i < count; i++)
    if (!insert_code (store, batch->id, batch->prefix, 0, now, error))
      return FALSE;
  batch->codes = count;
  return TRUE;
}

gboolean
crm_coupon_batch_create (CrmStore        *store,
                         CrmCouponBatch  *batch,
                         guint            count,
                         GError         **error)
{
  g_autoptr(CrmCouponBatch) existing = NULL;

  g_return_val_if_fail (batch->id == 0, FALSE);

  if (!check_batch (batch, error))
    return FALSE;
  if (count > CRM_COUPON_MAX_COUNT)
    return invalid (error, _("At most 1,000,000 codes can be made at once"));
  if ((existing = crm_coupon_batch_find (store, batch->name, NULL)) != NULL)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("There is already a coupon batch named “%s”"), batch->name);
      return FALSE;
    }
  if (!crm_store_begin (store, error))
    return FALSE;
  if (!create_in_transaction (store, batch, count, error))
    {
      crm_store_rollback (store);
      batch->id = 0;
      return FALSE;
    }
  return crm_store_commit (store, error);
}

/* A batch from BATCH_COLUMNS starting at column @at of @stmt. */
static CrmCouponBatch *
batch_from_row (sqlite3_stmt *stmt,
                int           at)
{
  CrmCouponBatch *b = crm_coupon_batch_new ();

#define COL_INT(i) sqlite3_column_int64 (stmt, at + (i))
#define COL_TEXT(i) g_strdup ((const char *) sqlite3_column_text (stmt, at + (i)))
  b->id = COL_INT (0);
  b->uuid = COL_TEXT (1);
  b->name = COL_TEXT (2);
  b->prefix = COL_TEXT (3);
  b->kind = g_strcmp0 ((const char *) sqlite3_column_text (stmt, at + 4), "percent") == 0
            ? CRM_COUPON_PERCENT : CRM_COUPON_AMOUNT;
  b->value = COL_INT (5);
  b->currency = COL_TEXT (6);
  b->min_spend = COL_INT (7);
  b->valid_from = COL_INT (8);
  b->valid_until = COL_INT (9);
  b->uses_per_code = COL_INT (10);
  b->uses_per_customer = COL_INT (11);
  b->segment = COL_TEXT (12);
  b->customer_id = COL_INT (13);
  b->created_at = COL_INT (14);
  b->codes = COL_INT (15);
  b->assigned = COL_INT (16);
  b->redeemed = COL_INT (17);
  b->redemptions = COL_INT (18);
#undef COL_INT
#undef COL_TEXT
  return b;
}

CrmCouponBatch *
crm_coupon_batch_find (CrmStore    *store,
                       const char  *name_or_uuid,
                       GError     **error)
{
  sqlite3_stmt *stmt;
  CrmCouponBatch *batch = NULL;

  stmt = crm_store_prepare (store, "SELECT " BATCH_COLUMNS " FROM coupon_batches b"
                                   " WHERE (b.name = ?1 OR b.uuid = ?1) AND b.deleted_at IS NULL", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name_or_uuid, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    batch = batch_from_row (stmt, 0);
  sqlite3_reset (stmt);
  if (batch == NULL)
    {
      g_autofree char *shown = g_utf8_make_valid (name_or_uuid, -1);
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND, _("No coupon batch named “%s”"), shown);
    }
  return batch;
}

GPtrArray *
crm_coupon_batch_list (CrmStore  *store,
                       GError   **error)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_coupon_batch_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = crm_store_prepare (store, "SELECT " BATCH_COLUMNS " FROM coupon_batches b"
                                   " WHERE b.deleted_at IS NULL ORDER BY b.created_at DESC, b.id DESC", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (all, batch_from_row (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&all);
}

/* ---- issuing ------------------------------------------------------------------------------ */

static gboolean
issue_one (CrmStore        *store,
           CrmCouponBatch  *batch,
           gint64           customer_id,
           gint64           now,
           guint           *issued,
           GError         **error)
{
  sqlite3_stmt *held, *free_code;
  gboolean has = FALSE;

  if (!(held = crm_store_prepare (store, "SELECT 1 FROM coupon_codes WHERE batch_id = ? AND customer_id = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (held, 1, batch->id);
  sqlite3_bind_int64 (held, 2, customer_id);
  has = sqlite3_step (held) == SQLITE_ROW;
  sqlite3_reset (held);
  if (has)
    return TRUE;

  /* A code nobody holds and nobody used first: a batch made with --count then issued. */
  if (!(free_code = crm_store_prepare (store, "UPDATE coupon_codes SET customer_id = ?2, issued_at = ?3"
                                              " WHERE id = (SELECT id FROM coupon_codes WHERE batch_id = ?1"
                                              " AND customer_id IS NULL AND uses = 0 ORDER BY id LIMIT 1)", error)))
    return FALSE;
  sqlite3_bind_int64 (free_code, 1, batch->id);
  sqlite3_bind_int64 (free_code, 2, customer_id);
  sqlite3_bind_int64 (free_code, 3, now);
  if (!crm_store_step (store, free_code, error))
    return FALSE;
  if (sqlite3_changes (crm_store_get_db (store)) == 0 &&
      !insert_code (store, batch->id, batch->prefix, customer_id, now, error))
    return FALSE;
  (*issued)++;
  return TRUE;
}

static gboolean
issue_in_transaction (CrmStore        *store,
                      CrmCouponBatch  *batch,
                      const gint64    *customer_ids,
                      guint            n_customers,
                      const char      *segment,
                      guint           *issued,
                      GError         **error)
{
  gint64 now = crm_now_ms ();
  sqlite3_stmt *live, *stmt;

  if (!(live = crm_store_prepare (store, "SELECT 1 FROM customers WHERE id = ? AND deleted_at IS NULL", error)))
    return FALSE;
  for (guint i = 0; i < n_customers; i++)
    {
      gboolean alive;

      sqlite3_bind_int64 (live, 1, customer_ids[i]);
      alive = sqlite3_step (live) == SQLITE_ROW;
      sqlite3_reset (live);
      if (alive && !issue_one (store, batch, customer_ids[i], now, issued, error))
        return FALSE;
    }

  if (!(stmt = crm_store_prepare (store, "UPDATE coupon_batches SET segment = ?, customer_id = ?, updated_at = ?"
                                         " WHERE id = ?", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, segment, -1, SQLITE_TRANSIENT);
  if (segment == NULL && n_customers == 1)
    sqlite3_bind_int64 (stmt, 2, customer_ids[0]);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, batch->id);
  return crm_store_step (store, stmt, error);
}

static gboolean
issue (CrmStore        *store,
       CrmCouponBatch  *batch,
       const gint64    *customer_ids,
       guint            n_customers,
       const char      *segment,
       guint           *out_issued,
       GError         **error)
{
  guint issued = 0;

  g_return_val_if_fail (batch->id > 0, FALSE);

  if (!crm_store_begin (store, error))
    return FALSE;
  if (!issue_in_transaction (store, batch, customer_ids, n_customers, segment, &issued, error))
    {
      crm_store_rollback (store);
      return FALSE;
    }
  if (!crm_store_commit (store, error))
    return FALSE;
  g_free (batch->segment);
  batch->segment = g_strdup (segment);
  batch->customer_id = segment == NULL && n_customers == 1 ? customer_ids[0] : 0;
  if (out_issued != NULL)
    *out_issued = issued;
  return TRUE;
}

gboolean
crm_coupon_issue (CrmStore        *store,
                  CrmCouponBatch  *batch,
                  const gint64    *customer_ids,
                  guint            n_customers,
                  guint           *out_issued,
                  GError         **error)
{
  return issue (store, batch, customer_ids, n_customers, NULL, out_issued, error);
}

gboolean
crm_coupon_issue_segment (CrmStore        *store,
                          CrmCouponBatch  *batch,
                          const char      *segment_name,
                          guint           *out_issued,
                          GError         **error)
{
  g_autoptr(GPtrArray) all = crm_store_list_all (store, CRM_TYPE_SEGMENT, "position", error);
  g_autoptr(CrmRule) rule = NULL;
  g_autoptr(CrmQuery) query = NULL;
  g_autoptr(GArray) ids = NULL;
  CrmSegment *segment = NULL;

  if (all == NULL)
    return FALSE;
  for (guint i = 0; i < all->len && segment == NULL; i++)
    if (g_strcmp0 (crm_segment_get_name (g_ptr_array_index (all, i)), segment_name) == 0)
      segment = g_ptr_array_index (all, i);
  if (segment == NULL)
    {
      g_autofree char *shown = g_utf8_make_valid (segment_name, -1);
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND, _("No segment named “%s”"), shown);
      return FALSE;
    }
  /* The members as the Segments page counts them: the saved rule through a query. */
  if (!(rule = crm_rule_new_from_json (crm_segment_get_rule (segment), error)))
    return FALSE;
  query = crm_query_new ();
  crm_query_set_rule (query, rule);
  if (!(ids = crm_query_run_ids (query, store, NULL, error)))
    return FALSE;
  return issue (store, batch, (const gint64 *) (gpointer) ids->data, ids->len,
                crm_segment_get_name (segment), out_issued, error);
}

/* ---- redeeming ---------------------------------------------------------------------------- */

typedef struct
{
  gint64          code_id;
  gint64          holder;     /* 0: anyone */
  gint64          uses;
  CrmCouponBatch *batch;
} CodeRow;

static gboolean
load_code (CrmStore    *store,
           const char  *code,
           CodeRow     *row,
           GError     **error)
{
  sqlite3_stmt *stmt;

  /* The subqueries of BATCH_COLUMNS name their own "c". */
  stmt = crm_store_prepare (store, "SELECT c.id, c.customer_id, c.uses, " BATCH_COLUMNS
                                   " FROM coupon_codes c JOIN coupon_batches b ON b.id = c.batch_id"
                                   " WHERE c.code = ? AND b.deleted_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      row->code_id = sqlite3_column_int64 (stmt, 0);
      row->holder = sqlite3_column_int64 (stmt, 1);
      row->uses = sqlite3_column_int64 (stmt, 2);
      row->batch = batch_from_row (stmt, 3);
    }
  sqlite3_reset (stmt);
  if (row->batch == NULL)
    return refuse (error, CRM_COUPON_ERROR_UNKNOWN, _("There is no coupon “%s”"), code);
  return TRUE;
}

static gint64
query_int (CrmStore    *store,
           const char  *sql,
           gint64       a,
           gint64       b,
           gint64       fallback,
           GError     **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store, sql, error);
  gint64 value = fallback;

  if (stmt == NULL)
    return G_MININT64;
  sqlite3_bind_int64 (stmt, 1, a);
  if (sqlite3_bind_parameter_count (stmt) > 1)
    sqlite3_bind_int64 (stmt, 2, b);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

/* The spend of @order_id, which must be @customer_id's: its subtotal, or its total when the
 * order has no subtotal (entered as a total only). */
static gint64
order_spend (CrmStore  *store,
             gint64     order_id,
             gint64     customer_id,
             GError   **error)
{
  gint64 owner = query_int (store, "SELECT customer_id FROM orders WHERE id = ?1 AND deleted_at IS NULL",
                            order_id, 0, 0, error);

  if (owner == G_MININT64)
    return G_MININT64;
  if (owner != customer_id)
    {
      invalid (error, owner == 0 ? _("The order does not exist") : _("The order belongs to another customer"));
      return G_MININT64;
    }
  return query_int (store, "SELECT CASE WHEN subtotal > 0 THEN subtotal ELSE total + refunded END"
                           " FROM orders WHERE id = ?1", order_id, 0, 0, error);
}

/* Everything a redemption checks, in the order a customer would want to hear it. */
static gboolean
check_redemption (CrmStore       *store,
                  const char     *code,
                  const CodeRow  *row,
                  gint64          customer_id,
                  gint64          spend,
                  gint64          now,
                  GError        **error)
{
  const CrmCouponBatch *b = row->batch;
  gint64 used_by_customer;

  if (b->valid_from > 0 && now < b->valid_from)
    {
      g_autofree char *from = crm_format_date (b->valid_from);
      return refuse (error, CRM_COUPON_ERROR_NOT_YET_VALID, _("Coupon %s is not valid before %s"), code, from);
    }
  if (b->valid_until > 0 && now > b->valid_until)
    {
      g_autofree char *until = crm_format_date (b->valid_until);
      return refuse (error, CRM_COUPON_ERROR_EXPIRED, _("Coupon %s expired on %s"), code, until);
    }
  if (row->uses >= b->uses_per_code)
    return refuse (error, CRM_COUPON_ERROR_USED_UP, _("Coupon %s has already been used"), code);
  if (row->holder != 0 && row->holder != customer_id)
    return refuse (error, CRM_COUPON_ERROR_WRONG_CUSTOMER, _("Coupon %s was issued to another customer"), code);
  if (b->min_spend > 0 && spend < b->min_spend)
    {
      g_autofree char *min = crm_format_money (b->min_spend, batch_currency (b));
      g_autofree char *got = NULL;

      if (spend < 0)
        return refuse (error, CRM_COUPON_ERROR_MIN_SPEND,
                       _("Coupon %s needs a purchase of at least %s: give the order or the amount spent"), code, min);
      got = crm_format_money (spend, batch_currency (b));
      return refuse (error, CRM_COUPON_ERROR_MIN_SPEND,
                     _("Coupon %s needs a purchase of at least %s (this one: %s)"), code, min, got);
    }
  used_by_customer = query_int (store, "SELECT count(*) FROM coupon_redemptions r JOIN coupon_codes c ON c.id = r.code_id"
                                       " WHERE c.batch_id = ? AND r.customer_id = ?", b->id, customer_id, 0, error);
  if (used_by_customer == G_MININT64)
    return FALSE;
  if (used_by_customer >= b->uses_per_customer)
    return refuse (error, CRM_COUPON_ERROR_CUSTOMER_LIMIT,
                   g_dngettext (GETTEXT_PACKAGE, "This customer has already used a coupon of “%s” %" PRId64 " time, as often as allowed",
                                "This customer has already used coupons of “%s” %" PRId64 " times, as often as allowed",
                                used_by_customer), b->name, used_by_customer);
  return TRUE;
}

static gboolean
redeem_in_transaction (CrmStore            *store,
                       const char          *code,
                       gint64               customer_id,
                       gint64               order_id,
                       gint64               spend,
                       gint64               now,
                       CrmCouponRedemption *out,
                       GError             **error)
{
  CodeRow row = { 0 };
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  gint64 live = query_int (store, "SELECT count(*) FROM customers WHERE id = ?1 AND deleted_at IS NULL",
                           customer_id, 0, 0, error);

  if (live == G_MININT64)
    return FALSE;
  if (live != 1)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND, _("The customer does not exist"));
      return FALSE;
    }
  if (spend < 0 && order_id > 0 && (spend = order_spend (store, order_id, customer_id, error)) == G_MININT64)
    return FALSE;
  if (!load_code (store, code, &row, error))
    return FALSE;
  if (!check_redemption (store, code, &row, customer_id, spend, now, error))
    goto out;

  if (!(stmt = crm_store_prepare (store, "UPDATE coupon_codes SET uses = uses + 1 WHERE id = ?", error)))
    goto out;
  sqlite3_bind_int64 (stmt, 1, row.code_id);
  if (!crm_store_step (store, stmt, error))
    goto out;
  if (!(stmt = crm_store_prepare (store, "INSERT INTO coupon_redemptions (code_id, customer_id, order_id, spend,"
                                         " redeemed_at) VALUES (?, ?, ?, ?, ?)", error)))
    goto out;
  sqlite3_bind_int64 (stmt, 1, row.code_id);
  sqlite3_bind_int64 (stmt, 2, customer_id);
  if (order_id > 0)
    sqlite3_bind_int64 (stmt, 3, order_id);
  if (spend >= 0)
    sqlite3_bind_int64 (stmt, 4, spend);
  sqlite3_bind_int64 (stmt, 5, now);
  if (!crm_store_step (store, stmt, error))
    goto out;

  out->id = sqlite3_last_insert_rowid (crm_store_get_db (store));
  out->spend = spend;
  out->redeemed_at = now;
  if (spend < 0)
    out->discount = 0;
  else if (row.batch->kind == CRM_COUPON_PERCENT)
    out->discount = spend * row.batch->value / 100;
  else
    out->discount = MIN (row.batch->value, spend);
  ok = TRUE;

out:
  crm_coupon_batch_free (row.batch);
  return ok;
}

gboolean
crm_coupon_redeem (CrmStore            *store,
                   const char          *code,
                   gint64               customer_id,
                   gint64               order_id,
                   gint64               spend,
                   gint64               now,
                   CrmCouponRedemption *out,
                   GError             **error)
{
  g_autofree char *normal = crm_coupon_normalize_code (code, error);
  CrmCouponRedemption local = { 0 };

  if (normal == NULL)
    return FALSE;
  if (now <= 0)
    now = crm_now_ms ();
  /* BEGIN IMMEDIATE: the code's uses are read under the write lock, so a second process
   * redeeming the same code waits for this one's commit and then sees the use. */
  if (!crm_store_begin (store, error))
    return FALSE;
  if (!redeem_in_transaction (store, normal, customer_id, order_id, spend, now, out ? out : &local, error))
    {
      crm_store_rollback (store);
      return FALSE;
    }
  return crm_store_commit (store, error);
}

/* ---- a customer's codes, export ------------------------------------------------------------ */

void
crm_coupon_held_free (CrmCouponHeld *held)
{
  if (held == NULL)
    return;
  g_free (held->code);
  g_free (held->batch);
  g_free (held->description);
  g_free (held);
}

GPtrArray *
crm_coupon_list_open (CrmStore  *store,
                      gint64     customer_id,
                      gint64     now,
                      GError   **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_coupon_held_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = crm_store_prepare (store, "SELECT c.code, c.uses, " BATCH_COLUMNS
                                   " FROM coupon_codes c JOIN coupon_batches b ON b.id = c.batch_id"
                                   " WHERE c.customer_id = ?1 AND b.deleted_at IS NULL AND c.uses < b.uses_per_code"
                                   " AND (b.valid_until IS NULL OR b.valid_until >= ?2)"
                                   " AND (SELECT count(*) FROM coupon_redemptions r JOIN coupon_codes o ON o.id = r.code_id"
                                   "      WHERE o.batch_id = b.id AND r.customer_id = ?1) < b.uses_per_customer"
                                   " ORDER BY coalesce(b.valid_until, 9223372036854775807), c.code", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_int64 (stmt, 2, now > 0 ? now : crm_now_ms ());
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmCouponHeld *held = g_new0 (CrmCouponHeld, 1);
      g_autoptr(CrmCouponBatch) b = NULL;

      held->code = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      b = batch_from_row (stmt, 2);
      held->batch = g_strdup (b->name);
      held->description = crm_coupon_batch_describe (b);
      held->valid_until = b->valid_until;
      held->uses_left = b->uses_per_code - sqlite3_column_int64 (stmt, 1);
      g_ptr_array_add (list, held);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

static char *
iso_date (gint64 ms)
{
  g_autoptr(GDateTime) dt = NULL;

  if (ms <= 0)
    return g_strdup ("");
  dt = g_date_time_new_from_unix_local (ms / 1000);
  return dt ? g_date_time_format (dt, "%Y-%m-%d") : g_strdup ("");
}

gboolean
crm_coupon_export_csv (CrmStore        *store,
                       CrmCouponBatch  *batch,
                       const char      *path,
                       guint64         *out_rows,
                       GError         **error)
{
  /* Plain keys the shop system maps: not translated. */
  static const char *const header[] = { "code", "customer_uuid", "customer_name", "uses_allowed",
                                        "used", "valid_from", "valid_until" };
  g_autoptr(CrmCsvWriter) writer = NULL;
  g_autofree char *from = iso_date (batch->valid_from);
  g_autofree char *until = iso_date (batch->valid_until);
  g_autofree char *allowed = g_strdup_printf ("%" G_GINT64_FORMAT, batch->uses_per_code);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = crm_store_prepare (store, "SELECT c.code, u.uuid, u.name, c.uses FROM coupon_codes c"
                                         " LEFT JOIN customers u ON u.id = c.customer_id"
                                         " WHERE c.batch_id = ? ORDER BY c.id", error)))
    return FALSE;
  if (!(writer = crm_csv_writer_new_for_path (path, CRM_CSV_ENCODING_UTF8, error)))
    return FALSE;
  if (!crm_csv_writer_write_record (writer, header, G_N_ELEMENTS (header), NULL, error))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, batch->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *used = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 3));
      const char *fields[] = { (const char *) sqlite3_column_text (stmt, 0),
                               (const char *) sqlite3_column_text (stmt, 1),
                               (const char *) sqlite3_column_text (stmt, 2),
                               allowed, used, from, until };

      for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
        if (fields[i] == NULL)
          fields[i] = "";
      if (!crm_csv_writer_write_record (writer, fields, G_N_ELEMENTS (fields), NULL, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (store, rc, error);
  if (out_rows != NULL)
    *out_rows = crm_csv_writer_get_n_records (writer) - 1;
  return crm_csv_writer_close (writer, NULL, error);
}

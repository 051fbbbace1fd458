/* crm-import-orders.c: orders: rows grouped into orders, each with its customer and
 * line items
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-import-private.h"

void
group_clear (OrderGroup *g)
{
  for (int t = 0; t < T_N; t++)
    g_clear_pointer (&g->v[t], g_free);
  if (g->lines)
    g_ptr_array_set_size (g->lines, 0);
  if (g->rows)
    g_ptr_array_set_size (g->rows, 0);
  if (g->row_lines)
    g_array_set_size (g->row_lines, 0);
  g_clear_pointer (&g->key, g_free);
}

static gboolean
reject_group (Run         *run,
              OrderGroup  *g,
              int          column,
              const char  *reason,
              GError     **error)
{
  for (guint i = 0; i < g->rows->len; i++)
    {
      char **cells = g_ptr_array_index (g->rows, i);

      if (!reject_cells (run, g_array_index (g->row_lines, guint64, i), (const char * const *) cells,
                         g_strv_length (cells), NULL, column, reason, error))
        return FALSE;
      /* One order, one count: the other rows are reported but counted once. */
      if (i > 0)
        run->self->report.rejected--;
    }
  return TRUE;
}

void
free_line (char **line)
{
  for (guint i = 0; i < LINE_SLOTS; i++)
    g_free (line[i]);
  g_free (line);
}

/* WooCommerce's packed "line_items" cell: "name:Tea|sku:T1|quantity:2|total:20.00;name:…". */
static void
unpack_items (OrderGroup *g,
              const char *cell)
{
  g_auto(GStrv) items = g_strsplit (cell, ";", -1);

  for (guint i = 0; items[i]; i++)
    {
      g_auto(GStrv) parts = g_strsplit (items[i], "|", -1);
      char **line = g_new0 (char *, LINE_SLOTS);

      for (guint j = 0; parts[j]; j++)
        {
          char *colon = strchr (parts[j], ':');
          const char *k = parts[j];
          int slot = -1;

          if (colon == NULL)
            continue;
          *colon = '\0';
          if (g_str_equal (k, "sku"))
            slot = 0;
          else if (g_str_equal (k, "name"))
            slot = 1;
          else if (g_str_equal (k, "quantity"))
            slot = 3;
          else if (g_str_equal (k, "total"))
            slot = 5;
          if (slot >= 0 && line[slot] == NULL)
            line[slot] = g_strdup (g_strstrip (colon + 1));
        }
      if (line[1] || line[0])
        g_ptr_array_add (g->lines, line);
      else
        free_line (line);
    }
}

static const char *
normalize_status (const char *s,
                  const char *cancelled_at,
                  char        buf[32])
{
  g_autofree char *lower = NULL;

  if (cancelled_at != NULL)
    return "cancelled";
  if (s == NULL)
    return "completed";
  lower = g_ascii_strdown (s, -1);
  if (g_str_has_prefix (lower, "wc-"))
    memmove (lower, lower + 3, strlen (lower) - 2);
  if (g_str_equal (lower, "voided") || g_str_equal (lower, "canceled"))
    return "cancelled";
  if (g_str_equal (lower, "paid"))
    return "completed";
  g_strlcpy (buf, lower, 32);
  return buf;
}

/* Checks and converts the order's own fields (currency, date, amounts, uuid, text limits); on a
 * bad value sets *col and returns a reason. */
static char *
parse_order (Run         *run,
             OrderGroup  *g,
             char         cur[4],
             guint       *out_exponent,
             gint64      *placed_at,
             gint64       amounts[5],
             int         *col)
{
  CrmImporter *self = run->self;
  const int amount_t[5] = { T_O_SUBTOTAL, T_O_DISCOUNT, T_O_SHIPPING, T_O_TAX, T_O_TOTAL };
  const char *currency;
  guint exponent;

  currency = g->v[T_O_CURRENCY] ? g->v[T_O_CURRENCY] : self->currency;
  if (strlen (currency) != 3)
    return (*col = g->col[T_O_CURRENCY],
            g_strdup_printf (_("“%s” is not a currency code such as CNY or USD"), currency));
  g_strlcpy (cur, currency, 4);
  for (int i = 0; i < 3; i++)
    cur[i] = g_ascii_toupper (cur[i]);
  exponent = crm_currency_exponent (cur);
  *out_exponent = exponent;

  if (g->v[T_O_PLACED_AT] == NULL)
    return (*col = -1, g_strdup (_("The order has no date")));
  if (!crm_import_parse_date (g->v[T_O_PLACED_AT], self->date_order, FALSE, placed_at, NULL))
    return (*col = g->col[T_O_PLACED_AT], g_strdup_printf (_("“%s” is not a date"), g->v[T_O_PLACED_AT]));
  for (int i = 0; i < 5; i++)
    if (!parse_amount (run, g->v[amount_t[i]], exponent, &amounts[i]))
      return (*col = g->col[amount_t[i]], money_reason (g->v[amount_t[i]]));
  if (g->v[T_O_UUID] && !g_uuid_string_is_valid (g->v[T_O_UUID]))
    return (*col = g->col[T_O_UUID], g_strdup_printf (_("“%s” is not a UUID"), g->v[T_O_UUID]));
  for (int t = T_O_NUMBER; t <= T_O_NOTES; t++)
    {
      static const guint max[] = { [T_O_NUMBER - T_O_NUMBER] = 100, [T_O_EXTERNAL_ID - T_O_NUMBER] = 200,
                                   [T_O_STATUS - T_O_NUMBER] = 30, [T_O_CHANNEL - T_O_NUMBER] = 50,
                                   [T_O_NOTES - T_O_NUMBER] = 10000 };
      g_autoptr(GError) e = NULL;

      if (g->v[t] && max[t - T_O_NUMBER] &&
          !crm_text_validate (g->v[t], -1, max[t - T_O_NUMBER], target_label (CRM_IMPORT_ORDERS, t), &e))
        return (*col = g->col[t], g_strdup (e->message));
    }
  return NULL;
}

/* Checks the line items and rewrites quantity, unit price and amount as minor-unit integers;
 * the subtotal and total follow from them when the file has none.  On a bad value sets *col and
 * returns a reason. */
static char *
parse_order_lines (Run         *run,
                   OrderGroup  *g,
                   guint        exponent,
                   gint64       amounts[5],
                   int         *col)
{
  gint64 lines_sum = 0;

  for (guint i = 0; i < g->lines->len; i++)
    {
      char **l = g_ptr_array_index (g->lines, i);
      gint64 qty = 1, price = 0, amount = 0;

      if (l[3] != NULL)
        {
          char *end;
          qty = g_ascii_strtoll (l[3], &end, 10);
          if (*end != '\0' || qty < 0 || qty > 1000000)
            return (*col = g->col[T_L_QUANTITY], g_strdup_printf (_("“%s” is not a quantity"), l[3]));
        }
      if (!parse_amount (run, l[4], exponent, &price))
        return (*col = g->col[T_L_UNIT_PRICE], money_reason (l[4]));
      if (l[5] != NULL && !parse_amount (run, l[5], exponent, &amount))
        return (*col = g->col[T_L_AMOUNT], money_reason (l[5]));
      if (l[5] == NULL)
        amount = price * qty;
      if (l[4] == NULL && qty > 0)
        price = amount / qty;
      lines_sum += amount;
      g_free (l[3]);
      g_free (l[4]);
      g_free (l[5]);
      l[3] = g_strdup_printf ("%" G_GINT64_FORMAT, qty);
      l[4] = g_strdup_printf ("%" G_GINT64_FORMAT, price);
      l[5] = g_strdup_printf ("%" G_GINT64_FORMAT, amount);
    }
  if (g->v[T_O_SUBTOTAL] == NULL && g->lines->len > 0)
    amounts[0] = lines_sum;
  if (g->v[T_O_TOTAL] == NULL)
    amounts[4] = amounts[0] - amounts[1] + amounts[2] + amounts[3];
  return NULL;
}

/* An order already there (duplicate policy "update"): its own fields; its lines stay as they are. */
static gboolean
update_order (Run         *run,
              OrderGroup  *g,
              gint64       existing,
              gint64       customer_id,
              gint64       placed_at,
              const char  *cur,
              gint64       amounts[5],
              GError     **error)
{
  /* The columns the UPDATE below sets, as journal fields. */
  static const guint64 fields = (G_GUINT64_CONSTANT (1) << CRM_ORDER_CUSTOMER_ID) | (G_GUINT64_CONSTANT (1) << CRM_ORDER_NUMBER) |
                                (G_GUINT64_CONSTANT (1) << CRM_ORDER_PLACED_AT) | (G_GUINT64_CONSTANT (1) << CRM_ORDER_STATUS) |
                                (G_GUINT64_CONSTANT (1) << CRM_ORDER_CHANNEL) | (G_GUINT64_CONSTANT (1) << CRM_ORDER_CURRENCY) |
                                (G_GUINT64_CONSTANT (1) << CRM_ORDER_SUBTOTAL) | (G_GUINT64_CONSTANT (1) << CRM_ORDER_DISCOUNT) |
                                (G_GUINT64_CONSTANT (1) << CRM_ORDER_SHIPPING) | (G_GUINT64_CONSTANT (1) << CRM_ORDER_TAX) |
                                (G_GUINT64_CONSTANT (1) << CRM_ORDER_TOTAL) | (G_GUINT64_CONSTANT (1) << CRM_ORDER_NOTES);
  gint64 old_customer = 0;
  sqlite3_stmt *q = crm_store_prepare (run->store, "SELECT customer_id FROM orders WHERE id = ?", error);
  sqlite3_stmt *stmt;
  char status_buf[32];

  if (q == NULL)
    return FALSE;
  sqlite3_bind_int64 (q, 1, existing);
  if (sqlite3_step (q) == SQLITE_ROW)
    old_customer = sqlite3_column_int64 (q, 0);
  sqlite3_reset (q);

  stmt = crm_store_prepare (run->store,
    "UPDATE orders SET updated_at = ?1, customer_id = ?2, number = coalesce(?3, number), placed_at = ?4,"
    " status = ?5, channel = coalesce(?6, channel), currency = ?7, subtotal = ?8, discount = ?9,"
    " shipping = ?10, tax = ?11, total = ?12, notes = coalesce(?13, notes) WHERE id = ?14", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run->now);
  sqlite3_bind_int64 (stmt, 2, customer_id);
  bind_opt_text (stmt, 3, g->v[T_O_NUMBER]);
  sqlite3_bind_int64 (stmt, 4, placed_at);
  sqlite3_bind_text (stmt, 5, normalize_status (g->v[T_O_STATUS], g->v[T_O_CANCELLED_AT], status_buf), -1, SQLITE_TRANSIENT);
  bind_opt_text (stmt, 6, g->v[T_O_CHANNEL]);
  sqlite3_bind_text (stmt, 7, cur, -1, SQLITE_STATIC);
  for (int i = 0; i < 5; i++)
    sqlite3_bind_int64 (stmt, 8 + i, amounts[i]);
  bind_opt_text (stmt, 13, g->v[T_O_NOTES]);
  sqlite3_bind_int64 (stmt, 14, existing);
  if (!step_done (run, stmt, error) ||
      !write_journal (run, CRM_JOURNAL_ENTITY_ORDER, existing, CRM_JOURNAL_UPDATE, fields, error))
    return FALSE;
  g_hash_table_add (run->touched_customers, g_memdup2 (&customer_id, sizeof customer_id));
  g_hash_table_add (run->touched_customers, g_memdup2 (&old_customer, sizeof old_customer));
  run->self->report.updated++;
  return TRUE;
}

/* A new order and its lines. */
static gboolean
insert_order (Run         *run,
              OrderGroup  *g,
              gint64       existing,
              gint64       customer_id,
              gint64       placed_at,
              const char  *cur,
              gint64       amounts[5],
              GError     **error)
{
  CrmImporter *self = run->self;
  char status_buf[32], uuid[37];
  gint64 order_id;
  sqlite3_stmt *stmt;
  int k;

  if (g->v[T_O_UUID] && existing == 0)
    g_strlcpy (uuid, g->v[T_O_UUID], sizeof uuid);
  else
    make_uuid (run, uuid);
  stmt = crm_store_prepare (run->store,
    "INSERT INTO orders (uuid, created_at, updated_at, customer_id, number, placed_at, status, channel,"
    " currency, subtotal, discount, shipping, tax, total, external_id, notes)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", error);
  if (stmt == NULL)
    return FALSE;
  k = 0;
  sqlite3_bind_text (stmt, ++k, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, ++k, run->now);
  sqlite3_bind_int64 (stmt, ++k, run->now);
  sqlite3_bind_int64 (stmt, ++k, customer_id);
  bind_opt_text (stmt, ++k, g->v[T_O_NUMBER]);
  sqlite3_bind_int64 (stmt, ++k, placed_at);
  sqlite3_bind_text (stmt, ++k, normalize_status (g->v[T_O_STATUS], g->v[T_O_CANCELLED_AT], status_buf), -1, SQLITE_TRANSIENT);
  bind_opt_text (stmt, ++k, g->v[T_O_CHANNEL]);
  sqlite3_bind_text (stmt, ++k, cur, -1, SQLITE_STATIC);
  for (int i = 0; i < 5; i++)
    sqlite3_bind_int64 (stmt, ++k, amounts[i]);
  bind_opt_text (stmt, ++k, g->v[T_O_EXTERNAL_ID]);
  bind_opt_text (stmt, ++k, g->v[T_O_NOTES]);
  if (!step_done (run, stmt, error))
    return FALSE;
  order_id = sqlite3_last_insert_rowid (run->db);
  if (!write_journal (run, CRM_JOURNAL_ENTITY_ORDER, order_id, CRM_JOURNAL_INSERT, 0, error))
    return FALSE;

  for (guint i = 0; i < g->lines->len; i++)
    {
      char **l = g_ptr_array_index (g->lines, i);
      char luuid[37];

      make_uuid (run, luuid);
      stmt = crm_store_prepare (run->store,
        "INSERT INTO order_lines (uuid, created_at, updated_at, order_id, sku, product, category,"
        " quantity, unit_price, amount) VALUES (?,?,?,?,?,?,?,?,?,?)", error);
      if (stmt == NULL)
        return FALSE;
      k = 0;
      sqlite3_bind_text (stmt, ++k, luuid, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, ++k, run->now);
      sqlite3_bind_int64 (stmt, ++k, run->now);
      sqlite3_bind_int64 (stmt, ++k, order_id);
      bind_opt_text (stmt, ++k, l[0]);
      bind_opt_text (stmt, ++k, l[1]);
      bind_opt_text (stmt, ++k, l[2]);
      sqlite3_bind_int64 (stmt, ++k, g_ascii_strtoll (l[3], NULL, 10));
      sqlite3_bind_int64 (stmt, ++k, g_ascii_strtoll (l[4], NULL, 10));
      sqlite3_bind_int64 (stmt, ++k, g_ascii_strtoll (l[5], NULL, 10));
      if (!step_done (run, stmt, error) ||
          !write_journal (run, CRM_JOURNAL_ENTITY_ORDER_LINE, sqlite3_last_insert_rowid (run->db),
                          CRM_JOURNAL_INSERT, 0, error))
        return FALSE;
      self->report.order_lines++;
    }

  g_hash_table_add (run->touched_customers, g_memdup2 (&customer_id, sizeof customer_id));
  self->report.inserted++;
  return TRUE;
}

/* Writes the order @g holds (checked, deduplicated, with its customer), or rejects its rows. */
gboolean
flush_order (Run         *run,
             OrderGroup  *g,
             GError     **error)
{
  CrmImporter *self = run->self;
  Values cv;
  RowResult cres;
  g_autoptr(GError) cerr = NULL;
  g_autofree char *reason = NULL;
  gint64 customer_id = 0, placed_at = 0, existing = 0;
  gint64 amounts[5] = { 0 };  /* subtotal, discount, shipping, tax, total */
  char cur[4];
  guint exponent = 0;
  int col = -1;

  if (g->rows->len == 0)
    return TRUE;

  run->line = g_array_index (g->row_lines, guint64, 0);

  /* Order fields, then lines. */
  if ((reason = parse_order (run, g, cur, &exponent, &placed_at, amounts, &col)) != NULL ||
      (reason = parse_order_lines (run, g, exponent, amounts, &col)) != NULL)
    return reject_group (run, g, col, reason, error);

  /* A duplicate order? (by uuid or the shop's order id) */
  if (g->v[T_O_UUID])
    existing = find_by_sql (run, "SELECT id FROM orders WHERE uuid = ? AND deleted_at IS NULL", g->v[T_O_UUID], NULL);
  if (existing == 0 && g->v[T_O_EXTERNAL_ID])
    existing = find_by_sql (run, "SELECT min(id) FROM orders WHERE external_id = ? AND deleted_at IS NULL",
                            g->v[T_O_EXTERNAL_ID], NULL);
  if (existing != 0 && self->policy == CRM_DUPLICATE_SKIP)
    {
      self->report.skipped++;
      return TRUE;
    }

  /* The customer: known by uuid, external id, e-mail or phone, or made from the order. */
  memset (&cv, 0, sizeof cv);
  for (int t = 0; t < T_N_CUSTOMER; t++)
    {
      cv.v[t] = g->v[t];
      cv.col[t] = g->col[t];
    }
  if (cv.v[T_UUID] && !cv.v[T_NAME] && !cv.v[T_EMAIL] && !cv.v[T_PHONE] && !cv.v[T_EXTERNAL_ID])
    {
      customer_id = find_customer (run, cv.v[T_UUID], NULL, NULL, NULL);
      if (customer_id == 0)
        return reject_group (run, g, cv.col[T_UUID], _("No customer has this UUID"), error);
    }
  else if (!cv.v[T_UUID] && !cv.v[T_NAME] && !cv.v[T_EMAIL] && !cv.v[T_PHONE] && !cv.v[T_EXTERNAL_ID] &&
           !cv.v[T_FIRST_NAME] && !cv.v[T_LAST_NAME] && !cv.v[T_COMPANY])
    return reject_group (run, g, -1, _("The order names no customer (e-mail, phone, name or customer id)"), error);
  else
    {
      if (!import_customer (run, &cv, TRUE, &customer_id, &cres, &cerr))
        {
          if (cerr != NULL && cerr->domain == CRM_IMPORT_ERROR)
            return reject_group (run, g, -1, cerr->message, error);
          g_propagate_error (error, g_steal_pointer (&cerr));
          return FALSE;
        }
      if (customer_id == 0)
        return reject_group (run, g, cv.col[T_UUID], _("The order's customer cannot be added"), error);
      if (cres == ROW_INSERTED)
        self->report.customers_created++;
    }
  arena_reset (&run->arena);

  if (existing != 0 && self->policy == CRM_DUPLICATE_UPDATE)
    return update_order (run, g, existing, customer_id, placed_at, cur, amounts, error);
  return insert_order (run, g, existing, customer_id, placed_at, cur, amounts, error);
}

/* Adds a row to the current order group, flushing the group first if the row starts another. */
gboolean
add_order_row (Run                 *run,
               OrderGroup          *g,
               const char * const  *cells,
               guint                n_cells,
               GError             **error)
{
  Values v;
  const char *key;
  guint64 line = run->line;   /* flush_order() below points run->line at the order it writes */

  collect_values (run, &run->arena, cells, n_cells, &v);
  key = v.v[T_O_NUMBER] ? v.v[T_O_NUMBER] : v.v[T_O_EXTERNAL_ID] ? v.v[T_O_EXTERNAL_ID] : v.v[T_O_UUID];

  /* Rows of one order follow each other (Shopify: one row per line item, the order's fields on
   * the first).  A row without a key continues the current order. */
  if (g->rows->len > 0 && (key == NULL ? FALSE : g_strcmp0 (key, g->key) != 0))
    {
      if (!flush_order (run, g, error))
        return FALSE;
      group_clear (g);
    }
  else if (g->rows->len > 0 && key == NULL && g->key == NULL)
    {
      if (!flush_order (run, g, error))
        return FALSE;
      group_clear (g);
    }

  if (g->rows->len == 0)
    g->key = g_strdup (key);
  g_ptr_array_add (g->rows, g_strdupv ((char **) cells));
  g_array_append_val (g->row_lines, line);

  for (int t = 0; t < T_L_SKU; t++)
    if (g->v[t] == NULL && v.v[t] != NULL)
      {
        g->v[t] = g_strdup (v.v[t]);
        g->col[t] = v.col[t];
      }
  for (int t = T_L_SKU; t < T_N; t++)
    if (v.v[t] != NULL)
      g->col[t] = v.col[t];

  if (v.v[T_L_ITEMS])
    unpack_items (g, v.v[T_L_ITEMS]);
  if (v.v[T_L_SKU] || v.v[T_L_PRODUCT] || v.v[T_L_QUANTITY] || v.v[T_L_UNIT_PRICE] || v.v[T_L_AMOUNT])
    {
      char **slots = g_new0 (char *, LINE_SLOTS);

      slots[0] = g_strdup (v.v[T_L_SKU]);
      slots[1] = g_strdup (v.v[T_L_PRODUCT]);
      slots[2] = g_strdup (v.v[T_L_CATEGORY]);
      slots[3] = g_strdup (v.v[T_L_QUANTITY]);
      slots[4] = g_strdup (v.v[T_L_UNIT_PRICE]);
      slots[5] = g_strdup (v.v[T_L_AMOUNT]);
      g_ptr_array_add (g->lines, slots);
    }
  arena_reset (&run->arena);
  return TRUE;
}

gboolean
update_aggregates (Run     *run,
                   GError **error)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, run->touched_customers);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (*(gint64 *) key != 0 && !crm_store_update_customer_aggregates (run->store, *(gint64 *) key, error))
      return FALSE;
  return TRUE;
}

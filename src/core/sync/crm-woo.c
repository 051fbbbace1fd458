/* crm-woo.c: a WooCommerce round — customers and orders pulled, customers pushed (crm-woo.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-woo-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-format.h"
#include "crm-interaction.h"
#include "crm-journal.h"
#include "crm-order-line.h"
#include "crm-order.h"
#include "crm-text.h"

#define PER_PAGE "100"
#define JOURNAL_BATCH 1000
#define PAGE_TRIES 3

/* Only the members read here (WordPress's _fields): a third of an order's JSON. */
static const char customer_fields[] = "id,date_modified_gmt,email,first_name,last_name,username,billing";
static const char order_fields[] = "id,number,status,currency,date_created,date_created_gmt,date_modified_gmt,"
                                   "discount_total,shipping_total,total,total_tax,customer_id,customer_note,billing,"
                                   "payment_method_title,line_items";

/* A shop customer linked to a local one (a sync_links row). */
typedef struct
{
  gint64  remote_id;
  gint64  customer_id;
  char   *etag;    /* the shop's date_modified_gmt when last synced */
  char   *card;    /* the fields as last synced (crm_woo_cells_to_card()) */
} Link;

/* A shop order pulled here (a sync_orders row). */
typedef struct
{
  gint64  order_id;
  char   *modified;
} OrderLink;

typedef struct
{
  CrmStore      *store;
  CrmAccount    *account;
  CrmWoo        *woo;
  CrmSyncCounts *counts;
  GHashTable    *links;        /* &remote_id → Link (owning) */
  GHashTable    *by_customer;  /* &customer_id → Link */
  GHashTable    *orders;       /* &remote_id → OrderLink (owning) */
  GHashTable    *local_edits;  /* &customer_id → gint64 ms of its newest edit made here */
  GHashTable    *identities;   /* identity key → &customer_id, for guests met in this round */
  GHashTable    *seen;         /* remote ids of the listing under way */
  JsonArray     *page;         /* the page being applied */
  char          *max_modified; /* the newest order date_modified_gmt seen */
  gint64         server_date;  /* the shop's clock when the order listing began (s) */
} Round;

static void
link_free (gpointer data)
{
  Link *l = data;

  g_free (l->etag);
  g_free (l->card);
  g_free (l);
}

static void
order_link_free (gpointer data)
{
  OrderLink *l = data;

  g_free (l->modified);
  g_free (l);
}

static gint64 *
int64_key (gint64 v)
{
  return g_memdup2 (&v, sizeof v);
}

/* ---- links -------------------------------------------------------------------------------- */

static gboolean
load_links (Round   *r,
            GError **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (r->store, "SELECT customer_id, href, etag, card FROM sync_links WHERE account_id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, crm_account_get_id (r->account));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *href = (const char *) sqlite3_column_text (stmt, 1);
      Link *l = g_new0 (Link, 1);

      l->customer_id = sqlite3_column_int64 (stmt, 0);
      l->remote_id = href != NULL && g_str_has_prefix (href, "customers/") ? g_ascii_strtoll (href + 10, NULL, 10) : 0;
      l->etag = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      l->card = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      g_hash_table_insert (r->links, int64_key (l->remote_id), l);
      g_hash_table_insert (r->by_customer, int64_key (l->customer_id), l);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (r->store, rc, error);

  if (!(stmt = crm_store_prepare (r->store, "SELECT remote_id, order_id, modified FROM sync_orders WHERE account_id = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, crm_account_get_id (r->account));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OrderLink *l = g_new0 (OrderLink, 1);

      l->order_id = sqlite3_column_int64 (stmt, 1);
      l->modified = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      g_hash_table_insert (r->orders, int64_key (sqlite3_column_int64 (stmt, 0)), l);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE || crm_store_set_error (r->store, rc, error);
}

static gboolean
save_link (Round       *r,
           gint64       remote_id,
           gint64       customer_id,
           const char  *etag,
           const char  *card,
           GError     **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (r->store, "INSERT OR REPLACE INTO sync_links (account_id, customer_id, href, etag,"
                                                    " card, synced_at) VALUES (?, ?, ?, ?, ?, ?)", error);
  g_autofree char *href = g_strdup_printf ("customers/%" G_GINT64_FORMAT, remote_id);
  Link *l;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, crm_account_get_id (r->account));
  sqlite3_bind_int64 (stmt, 2, customer_id);
  sqlite3_bind_text (stmt, 3, href, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, etag, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, card, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, crm_now_ms ());
  if (!crm_store_step (r->store, stmt, error))
    return FALSE;
  if ((l = g_hash_table_lookup (r->links, &remote_id)) == NULL)
    {
      l = g_new0 (Link, 1);
      l->remote_id = remote_id;
      g_hash_table_insert (r->links, int64_key (remote_id), l);
    }
  l->customer_id = customer_id;
  g_free (l->etag);
  l->etag = g_strdup (etag);
  g_free (l->card);
  l->card = g_strdup (card);
  g_hash_table_insert (r->by_customer, int64_key (customer_id), l);
  return TRUE;
}

static gboolean
save_order_link (Round       *r,
                 gint64       remote_id,
                 gint64       order_id,
                 const char  *modified,
                 GError     **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (r->store, "INSERT OR REPLACE INTO sync_orders (account_id, remote_id, order_id,"
                                                    " modified) VALUES (?, ?, ?, ?)", error);
  OrderLink *l;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, crm_account_get_id (r->account));
  sqlite3_bind_int64 (stmt, 2, remote_id);
  sqlite3_bind_int64 (stmt, 3, order_id);
  sqlite3_bind_text (stmt, 4, modified, -1, SQLITE_TRANSIENT);
  if (!crm_store_step (r->store, stmt, error))
    return FALSE;
  if ((l = g_hash_table_lookup (r->orders, &remote_id)) == NULL)
    {
      l = g_new0 (OrderLink, 1);
      g_hash_table_insert (r->orders, int64_key (remote_id), l);
    }
  l->order_id = order_id;
  g_free (l->modified);
  l->modified = g_strdup (modified);
  return TRUE;
}

/* ---- JSON --------------------------------------------------------------------------------- */

/* A list page must be an array of objects with ids: anything else is a malformed answer. */
static gboolean
check_page (JsonNode    *root,
            const char  *route,
            GError     **error)
{
  JsonArray *items = JSON_NODE_HOLDS_ARRAY (root) ? json_node_get_array (root) : NULL;

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);

      if (!JSON_NODE_HOLDS_OBJECT (item) || crm_woo_json_int (json_node_get_object (item), "id") <= 0)
        items = NULL;
    }
  if (items == NULL)
    g_set_error (error, CRM_WOO_ERROR, CRM_WOO_ERROR_MALFORMED, _("The shop’s answer at %s is not a list of records"), route);
  return items != NULL;
}

/* ---- merging ------------------------------------------------------------------------------ */

/* Applies @remote (changed in the shop at @remote_at) to @customer against @base (NULL: never
 * linked, then only empty fields are filled).  A field changed on both sides takes the newer
 * edit; the value it replaced goes into @history.  The number of such fields. */
static guint
merge (Round             *r,
       CrmCustomer       *customer,
       const CrmWooCells *base,
       const CrmWooCells *remote,
       gint64             remote_at,
       GString           *history)
{
  g_auto(CrmWooCells) local = { 0 };
  gint64 id = crm_entity_get_id (CRM_ENTITY (customer));
  gint64 *edited = id > 0 ? g_hash_table_lookup (r->local_edits, &id) : NULL;
  gint64 local_at = edited != NULL ? *edited : crm_entity_get_updated_at (CRM_ENTITY (customer));
  guint conflicts = 0;

  crm_woo_cells_from_customer (&local, customer);
  for (guint i = 0; i < WOO_N_FIELDS; i++)
    {
      const char *rv = remote->v[i], *lv = local.v[i];

      if (g_strcmp0 (rv, lv) == 0)
        continue;
      if (base == NULL)
        {
          if (*lv == '\0')
            crm_woo_cells_apply (remote, i, customer);
          continue;
        }
      if (g_strcmp0 (rv, base->v[i]) == 0)
        continue;                      /* changed here only: stays, and is pushed */
      if (g_strcmp0 (lv, base->v[i]) == 0)
        {
          crm_woo_cells_apply (remote, i, customer);
          continue;
        }
      conflicts++;
      if (remote_at >= local_at)
        {
          /* Translators: a sync conflict kept in the customer's history: field, old value, new value */
          g_string_append_printf (history, _("%s: “%s” made here was replaced by the shop’s newer “%s”\n"),
                                  crm_woo_field_label (i), lv, rv);
          crm_woo_cells_apply (remote, i, customer);
        }
      else
        g_string_append_printf (history, _("%s: the shop’s “%s” was replaced by the newer “%s” made here\n"),
                                crm_woo_field_label (i), rv, lv);
    }
  return conflicts;
}

/* The values a conflict replaced, as a note in the customer's timeline. */
static gboolean
keep_history (Round        *r,
              gint64        customer_id,
              GString      *history,
              GError      **error)
{
  g_autoptr(CrmInteraction) note = NULL;
  g_autofree char *subject = NULL;

  if (history->len == 0)
    return TRUE;
  note = crm_interaction_new ();
  /* Translators: %s is the name of a WooCommerce account */
  subject = g_strdup_printf (_("Sync conflict with %s"), crm_account_get_name (r->account));
  crm_interaction_set_customer_id (note, customer_id);
  crm_interaction_set_channel (note, "note");
  crm_interaction_set_subject (note, subject);
  g_strchomp (history->str);
  crm_interaction_set_body (note, history->str);
  crm_interaction_set_occurred_at (note, crm_now_ms ());
  crm_interaction_set_logged_by (note, crm_account_get_name (r->account));
  return crm_store_insert (r->store, CRM_ENTITY (note), error);
}

/* ---- finding customers ---------------------------------------------------------------------- */

static gint64
find_by_key (Round       *r,
             const char  *sql,
             const char  *key,
             gboolean     unlinked,
             GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 found = 0;
  int rc;

  if (key == NULL || !(stmt = crm_store_prepare (r->store, sql, error)))
    return 0;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      /* For a shop customer, one already linked to another shop customer is someone else. */
      if (!unlinked || !g_hash_table_contains (r->by_customer, &id))
        {
          found = id;
          break;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    crm_store_set_error (r->store, rc, error);
  return found;
}

/* The live customer with the e-mail, else the phone, of @cells: the store's identity keys;
 * @unlinked: only one that no shop customer is linked to yet. */
static gint64
find_identity (Round              *r,
               const CrmWooCells  *cells,
               gboolean            unlinked,
               GError            **error)
{
  g_autofree char *email = crm_text_email_key (cells->v[WOO_EMAIL]);
  g_autofree char *phone = crm_text_phone_key (cells->v[WOO_PHONE]);
  g_autoptr(GError) local_error = NULL;
  gint64 id;

  id = find_by_key (r, "SELECT id FROM customers WHERE email_key = ? AND deleted_at IS NULL ORDER BY id", email, unlinked, &local_error);
  if (id == 0 && local_error == NULL)
    id = find_by_key (r, "SELECT id FROM customers WHERE phone_digits = ? AND deleted_at IS NULL ORDER BY id", phone, unlinked, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return id;
}

/* ---- customers -------------------------------------------------------------------------------- */

static gboolean
apply_customer (Round       *r,
                JsonObject  *object,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_auto(CrmWooCells) remote = { 0 };
  g_auto(CrmWooCells) base = { 0 };
  g_autoptr(CrmCustomer) customer = NULL;
  g_autoptr(GString) history = g_string_new (NULL);
  g_autofree char *card = NULL;
  gint64 remote_id = crm_woo_json_int (object, "id");
  const char *modified = crm_woo_json_string (object, "date_modified_gmt");
  Link *link = g_hash_table_lookup (r->links, &remote_id);
  gboolean have_base = FALSE;
  gint64 id = 0;

  if (link != NULL && modified != NULL && g_strcmp0 (link->etag, modified) == 0)
    return TRUE;   /* unchanged since the last pull */
  crm_woo_cells_from_json (&remote, object, FALSE);
  if (link != NULL)
    {
      id = link->customer_id;
      have_base = crm_woo_cells_from_card (&base, link->card);
    }
  else if ((id = find_identity (r, &remote, TRUE, &local_error)) == 0 && local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (id > 0 && !(customer = crm_store_load (r->store, CRM_TYPE_CUSTOMER, id, &local_error)))
    {
      if (!g_error_matches (local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_clear_error (&local_error);   /* erased here: made again */
    }
  if (customer == NULL)
    {
      customer = crm_customer_new ();
      crm_customer_set_source (customer, "WooCommerce");
      for (guint i = 0; i < WOO_N_FIELDS; i++)
        crm_woo_cells_apply (&remote, i, customer);
    }
  else
    r->counts->conflicts += merge (r, customer, have_base ? &base : NULL, &remote, crm_woo_parse_gmt (modified), history);

  if (crm_entity_get_id (CRM_ENTITY (customer)) == 0 || crm_entity_is_dirty (CRM_ENTITY (customer)))
    {
      if (!(crm_entity_get_id (CRM_ENTITY (customer)) == 0 ? crm_store_insert (r->store, CRM_ENTITY (customer), &local_error)
                                                            : crm_store_update (r->store, CRM_ENTITY (customer), &local_error)))
        {
          if (!g_error_matches (local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_debug ("WooCommerce: customer %" G_GINT64_FORMAT " skipped: %s", remote_id, local_error->message);
          r->counts->skipped++;
          return TRUE;
        }
      r->counts->pulled++;
    }
  card = crm_woo_cells_to_card (&remote);
  return keep_history (r, crm_entity_get_id (CRM_ENTITY (customer)), history, error) &&
         save_link (r, remote_id, crm_entity_get_id (CRM_ENTITY (customer)), modified, card, error);
}

static gboolean
apply_customers_page (CrmStore  *store,
                      gpointer   data,
                      GError   **error)
{
  Round *r = data;

  for (guint i = 0; i < json_array_get_length (r->page); i++)
    if (!apply_customer (r, json_array_get_object_element (r->page, i), error))
      return FALSE;
  return TRUE;
}

/* ---- orders ------------------------------------------------------------------------------------ */

/* The customer of an order: the linked shop customer, else the one with the billing e-mail or
 * phone, else a new one made from the billing address. */
static gint64
order_customer (Round       *r,
                JsonObject  *object,
                GError     **error)
{
  gint64 remote_id = crm_woo_json_int (object, "customer_id");
  Link *link = remote_id > 0 ? g_hash_table_lookup (r->links, &remote_id) : NULL;
  g_auto(CrmWooCells) cells = { 0 };
  g_autoptr(GError) local_error = NULL;
  g_autoptr(CrmCustomer) customer = NULL;
  g_autofree char *key = NULL;
  gint64 *cached;
  gint64 id;

  if (link != NULL)
    return link->customer_id;
  crm_woo_cells_from_json (&cells, object, TRUE);
  key = g_strconcat (cells.v[WOO_EMAIL], "\n", cells.v[WOO_PHONE], "\n", cells.v[WOO_NAME], NULL);
  if ((cached = g_hash_table_lookup (r->identities, key)) != NULL)
    return *cached;
  if ((id = find_identity (r, &cells, FALSE, &local_error)) == 0)
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return 0;
        }
      customer = crm_customer_new ();
      crm_customer_set_source (customer, "WooCommerce");
      for (guint i = 0; i < WOO_N_FIELDS; i++)
        crm_woo_cells_apply (&cells, i, customer);
      if (*cells.v[WOO_NAME] == '\0')
        crm_customer_set_name (customer, _("WooCommerce guest"));
      if (!crm_store_insert (r->store, CRM_ENTITY (customer), error))
        return 0;
      id = crm_entity_get_id (CRM_ENTITY (customer));
    }
  g_hash_table_insert (r->identities, g_steal_pointer (&key), int64_key (id));
  return id;
}

static gboolean
apply_order (Round       *r,
             JsonObject  *object,
             GError     **error)
{
  gint64 remote_id = crm_woo_json_int (object, "id");
  const char *modified = crm_woo_json_string (object, "date_modified_gmt");
  const char *currency = crm_woo_json_string (object, "currency");
  OrderLink *link = g_hash_table_lookup (r->orders, &remote_id);
  g_autoptr(CrmOrder) order = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 customer_id;

  if (modified != NULL && g_strcmp0 (modified, r->max_modified) > 0)
    {
      g_free (r->max_modified);
      r->max_modified = g_strdup (modified);
    }
  if (link != NULL && modified != NULL && g_strcmp0 (link->modified, modified) == 0)
    return TRUE;   /* unchanged since the last pull */
  if (!(customer_id = order_customer (r, object, error)))
    return FALSE;
  if (link != NULL && !(order = crm_store_load (r->store, CRM_TYPE_ORDER, link->order_id, &local_error)) &&
      !g_error_matches (local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (order == NULL)
    order = crm_order_new ();
  crm_woo_fill_order (order, object, customer_id, crm_woo_get_gmt_offset (r->woo));
  lines = crm_woo_order_lines (object, crm_currency_exponent (currency != NULL ? currency : "USD"));
  if (!(crm_entity_get_id (CRM_ENTITY (order)) == 0 ? crm_store_insert_order (r->store, CRM_ENTITY (order), lines, error)
                                                     : crm_woo_update_order (r->store, order, lines, error)))
    return FALSE;
  r->counts->pulled++;
  return save_order_link (r, remote_id, crm_entity_get_id (CRM_ENTITY (order)), modified, error);
}

static gboolean
apply_orders_page (CrmStore  *store,
                   gpointer   data,
                   GError   **error)
{
  Round *r = data;

  for (guint i = 0; i < json_array_get_length (r->page); i++)
    if (!apply_order (r, json_array_get_object_element (r->page, i), error))
      return FALSE;
  return TRUE;
}

/* ---- listing ------------------------------------------------------------------------------------ */

/* Whether every record of @items was met earlier in this listing: a page served twice. */
static gboolean
page_repeated (Round     *r,
               JsonArray *items)
{
  guint n = json_array_get_length (items);

  for (guint i = 0; i < n; i++)
    {
      gint64 id = crm_woo_json_int (json_array_get_object_element (items, i), "id");
      if (!g_hash_table_contains (r->seen, &id))
        return FALSE;
    }
  return n > 0;
}

/* Every page of @route (orderby id ascending, so that a record changed meanwhile keeps its
 * place), each applied by @apply in its own transaction tagged with the account's origin. */
static gboolean
list_all (Round                *r,
          const char           *route,
          const char           *fields,
          const char           *modified_after,
          CrmStoreTransactFunc  apply,
          GError              **error)
{
  g_hash_table_remove_all (r->seen);
  for (guint page = 1;; page++)
    {
      g_autofree char *page_text = g_strdup_printf ("%u", page);
      const char *params[] = { "per_page", PER_PAGE, "page", page_text, "orderby", "id", "order", "asc", "_fields", fields,
                               modified_after != NULL ? "dates_are_gmt" : NULL, "true", "modified_after", modified_after, NULL };
      CrmWooAnswer answer = { 0 };
      gboolean more, ok;
      guint n;

      for (guint tries = 0;; tries++)
        {
          if (!crm_woo_request (r->woo, "GET", route, params, NULL, &answer, error) ||
              !check_page (answer.root, route, error))
            {
              crm_woo_answer_clear (&answer);
              return FALSE;
            }
          if (page == 1 || !page_repeated (r, json_node_get_array (answer.root)))
            break;
          crm_woo_answer_clear (&answer);
          if (tries + 1 >= PAGE_TRIES)
            {
              g_set_error (error, CRM_WOO_ERROR, CRM_WOO_ERROR_MALFORMED,
                           _("The shop keeps serving page %u of %s twice"), page, route);
              return FALSE;
            }
        }
      if (page == 1)
        r->server_date = answer.date;
      r->page = json_node_get_array (answer.root);
      crm_store_set_origin (r->store, crm_account_get_origin (r->account));
      ok = crm_store_transact (r->store, NULL, apply, r, error);
      crm_store_set_origin (r->store, NULL);
      n = json_array_get_length (r->page);
      for (guint i = 0; ok && i < n; i++)
        g_hash_table_add (r->seen, int64_key (crm_woo_json_int (json_array_get_object_element (r->page, i), "id")));
      r->page = NULL;
      more = answer.has_next || page < answer.total_pages;
      crm_woo_answer_clear (&answer);
      if (!ok)
        return FALSE;
      if (!more || n == 0)
        return TRUE;
    }
}

/* Links to shop customers no longer listed: the customer was deleted there.  The local one
 * stays (its orders are history); only the link goes. */
static gboolean
drop_unlisted (CrmStore  *store,
               gpointer   data,
               GError   **error)
{
  Round *r = data;
  g_autoptr(GPtrArray) gone = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, r->links);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (r->seen, key))
      g_ptr_array_add (gone, value);
  for (guint i = 0; i < gone->len; i++)
    {
      Link *l = g_ptr_array_index (gone, i);
      sqlite3_stmt *stmt = crm_store_prepare (store, "DELETE FROM sync_links WHERE account_id = ? AND customer_id = ?", error);
      gint64 remote_id = l->remote_id;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, crm_account_get_id (r->account));
      sqlite3_bind_int64 (stmt, 2, l->customer_id);
      if (!crm_store_step (store, stmt, error))
        return FALSE;
      g_hash_table_remove (r->by_customer, &l->customer_id);
      g_hash_table_remove (r->links, &remote_id);
    }
  return TRUE;
}

/* The cursor of the next round: the newest change seen, but never past the shop's clock when
 * the listing began, so that an order changed while the pages were read is pulled again. */
static char *
next_cursor (Round      *r,
             const char *cursor)
{
  g_autoptr(GDateTime) start = r->server_date > 0 ? g_date_time_new_from_unix_utc (r->server_date - 1) : NULL;
  g_autofree char *cap = start != NULL ? g_date_time_format (start, "%Y-%m-%dT%H:%M:%S") : NULL;

  if (r->max_modified == NULL)
    return g_strdup (cursor);
  if (cap != NULL && strcmp (cap, r->max_modified) < 0)
    return g_steal_pointer (&cap);
  return g_strdup (r->max_modified);
}

static gboolean
pull (Round   *r,
      GError **error)
{
  g_autofree char *cursor = NULL;

  if (!list_all (r, "customers", customer_fields, NULL, apply_customers_page, error) ||
      !crm_store_transact (r->store, NULL, drop_unlisted, r, error))
    return FALSE;
  if (!list_all (r, "orders", order_fields, crm_account_get_sync_token (r->account), apply_orders_page, error))
    return FALSE;
  cursor = next_cursor (r, crm_account_get_sync_token (r->account));
  return crm_account_save_state (r->store, r->account, crm_account_get_collection (r->account), cursor, error);
}

/* ---- push ----------------------------------------------------------------------------------------- */

/* The customers edited here that the account has not acknowledged, with their newest edit. */
static gboolean
local_edits (Round   *r,
             GArray  *ids,
             gint64  *next,
             GError **error)
{
  const char *consumer = crm_account_get_origin (r->account);
  gint64 after = CRM_JOURNAL_AFTER_ACKED;

  *next = crm_journal_get_acked (r->store, consumer, error);
  if (*next < 0)
    return FALSE;
  for (;;)
    {
      g_autoptr(GArray) entries = crm_journal_read (r->store, consumer, after, JOURNAL_BATCH, next, error);

      if (entries == NULL)
        return FALSE;
      for (guint i = 0; i < entries->len; i++)
        {
          CrmJournalEntry *e = &g_array_index (entries, CrmJournalEntry, i);
          gint64 *at;

          if (e->entity != CRM_JOURNAL_ENTITY_CUSTOMER || e->row_id <= 0)
            continue;
          if ((at = g_hash_table_lookup (r->local_edits, &e->row_id)) == NULL)
            {
              if (ids != NULL)
                g_array_append_val (ids, e->row_id);
              g_hash_table_insert (r->local_edits, int64_key (e->row_id), int64_key (e->at));
            }
          else
            *at = MAX (*at, e->at);
        }
      if (entries->len < JOURNAL_BATCH)
        return TRUE;
      after = *next;
    }
}

static gboolean
save_customer (Round        *r,
               CrmCustomer  *customer,
               GString      *history,
               gint64        remote_id,
               const char   *etag,
               const char   *card,
               GError      **error)
{
  gboolean ok;

  crm_store_set_origin (r->store, crm_account_get_origin (r->account));
  ok = crm_store_begin (r->store, error) &&
       (!crm_entity_is_dirty (CRM_ENTITY (customer)) || crm_store_update (r->store, CRM_ENTITY (customer), error)) &&
       keep_history (r, crm_entity_get_id (CRM_ENTITY (customer)), history, error) &&
       save_link (r, remote_id, crm_entity_get_id (CRM_ENTITY (customer)), etag, card, error) &&
       crm_store_commit (r->store, error);
  if (!ok)
    crm_store_rollback (r->store);
  crm_store_set_origin (r->store, NULL);
  return ok;
}

static gboolean
push_customer (Round   *r,
               gint64   id,
               GError **error)
{
  Link *link = g_hash_table_lookup (r->by_customer, &id);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(CrmCustomer) customer = NULL;
  g_autoptr(GString) history = g_string_new (NULL);
  g_auto(CrmWooCells) local = { 0 };
  g_auto(CrmWooCells) base = { 0 };
  g_auto(CrmWooCells) remote = { 0 };
  g_autofree char *route = NULL;
  g_autofree char *body = NULL;
  g_autofree char *card = NULL;
  CrmWooAnswer answer = { 0 };
  const char *modified;
  gboolean ok;

  if (link == NULL)
    return TRUE;   /* not a shop customer: only edits of those are pushed */
  if (!(customer = crm_store_load (r->store, CRM_TYPE_CUSTOMER, id, &local_error)))
    {
      if (g_error_matches (local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  crm_woo_cells_from_customer (&local, customer);
  crm_woo_cells_from_card (&base, link->card);
  body = crm_woo_cells_put_body (&local, &base);
  if (crm_entity_is_deleted (CRM_ENTITY (customer)) || *body == '\0')
    return TRUE;

  /* Changed in the shop since it was pulled: merged first (the newer edit per field). */
  route = g_strdup_printf ("customers/%" G_GINT64_FORMAT, link->remote_id);
  if (!crm_woo_request (r->woo, "GET", route, NULL, NULL, &answer, error))
    return FALSE;
  modified = JSON_NODE_HOLDS_OBJECT (answer.root) ? crm_woo_json_string (json_node_get_object (answer.root), "date_modified_gmt") : NULL;
  if (modified != NULL && g_strcmp0 (modified, link->etag) != 0)
    {
      crm_woo_cells_from_json (&remote, json_node_get_object (answer.root), FALSE);
      r->counts->conflicts += merge (r, customer, &base, &remote, crm_woo_parse_gmt (modified), history);
      crm_woo_cells_from_customer (&local, customer);
      g_free (body);
      body = crm_woo_cells_put_body (&local, &remote);
    }
  if (*body != '\0')
    {
      crm_woo_answer_clear (&answer);
      if (!crm_woo_request (r->woo, "PUT", route, NULL, body, &answer, error))
        return FALSE;
      if (!JSON_NODE_HOLDS_OBJECT (answer.root))
        {
          crm_woo_answer_clear (&answer);
          g_set_error (error, CRM_WOO_ERROR, CRM_WOO_ERROR_MALFORMED, _("The shop’s answer at %s is not a record"), route);
          return FALSE;
        }
      r->counts->pushed++;
    }
  else if (!JSON_NODE_HOLDS_OBJECT (answer.root))
    {
      crm_woo_answer_clear (&answer);
      g_set_error (error, CRM_WOO_ERROR, CRM_WOO_ERROR_MALFORMED, _("The shop’s answer at %s is not a record"), route);
      return FALSE;
    }
  crm_woo_cells_from_json (&remote, json_node_get_object (answer.root), FALSE);
  card = crm_woo_cells_to_card (&remote);
  ok = save_customer (r, customer, history, link->remote_id, crm_woo_json_string (json_node_get_object (answer.root), "date_modified_gmt"),
                      card, error);
  crm_woo_answer_clear (&answer);
  return ok;
}

static gboolean
push (Round   *r,
      GError **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 next = 0;

  g_hash_table_remove_all (r->local_edits);
  if (!local_edits (r, ids, &next, error))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    if (!push_customer (r, g_array_index (ids, gint64, i), error))
      return FALSE;   /* not acknowledged: the next round pushes what is left */
  return crm_journal_ack (r->store, crm_account_get_origin (r->account), next, error);
}

/* ---- round ---------------------------------------------------------------------------------------- */

gboolean
crm_woo_round (CrmStore       *store,
               CrmAccount     *account,
               CrmWoo         *woo,
               CrmSyncCounts  *counts,
               GError        **error)
{
  g_autofree char *site = NULL;
  gint64 next = 0;
  Round r = { store, account, woo, counts };
  gboolean ok;

  r.links = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, link_free);
  r.by_customer = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  r.orders = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, order_link_free);
  r.local_edits = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  r.identities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  r.seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  ok = (site = crm_woo_check (woo, error)) != NULL &&
       load_links (&r, error) &&
       local_edits (&r, NULL, &next, error) &&
       pull (&r, error) &&
       push (&r, error);
  g_hash_table_unref (r.links);
  g_hash_table_unref (r.by_customer);
  g_hash_table_unref (r.orders);
  g_hash_table_unref (r.local_edits);
  g_hash_table_unref (r.identities);
  g_hash_table_unref (r.seen);
  g_free (r.max_modified);
  return ok;
}

/* crm-store-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "crm-store.h"

G_BEGIN_DECLS

/* The store spreads over crm-store.c (connection, statements, transactions, settings),
 * crm-store-crud.c (the generic CRUD and orders), crm-store-schema.c (migrations),
 * crm-store-rows.c (C arrays as SQL tables), crm-search.c (search keys and the full-text
 * index) and crm-journal.c (the change journal). */
struct _CrmStore
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  GHashTable *statements;   /* SQL text → sqlite3_stmt* */
  guint       tx_depth;
  gboolean    read_only;

  CrmStoreOrderHook order_hook;
  gpointer          order_hook_data;
  gboolean          in_order_hook;

  char             *fts_columns; /* ", name, company, …" of customers_fts (crm-search.c) */
  char             *origin;      /* crm_store_set_origin() */
  gint64            origin_id;   /* its row in journal_origins, 0 until the journal needs it */
};

/* In settings while a bulk import's rows are not in the full-text index yet (crm-search.c). */
#define SEARCH_PENDING_KEY "search.pending_from"

void     crm_store_set_error_for_code (GError     **error,
                                       const char  *path,
                                       int          rc,
                                       const char  *detail);
int      crm_store_query_int          (CrmStore    *self,
                                       const char  *sql,
                                       GError     **error);

gboolean crm_store_migrate (CrmStore  *self,
                            int        from_version,
                            GError   **error);

G_END_DECLS

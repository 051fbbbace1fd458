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
  gint64      unsearchable; /* customers left out of a pending search index (read-only file) */

  char             *fts_columns; /* ", name, company, …" of customers_fts (crm-search.c) */
  char             *origin;      /* crm_store_set_origin() */
  gint64            origin_id;   /* its row in journal_origins, 0 until the journal needs it */

  GCancellable *cancellable;    /* interrupts statements (crm_store_set_cancellable) */

  GArray       *order_hooks;    /* OrderHook */
  GArray       *hook_customers; /* customers whose orders this transaction wrote */
  gboolean      in_order_hook;

  /* crm-store-watch.c: what the open transaction wrote, handed over once it commits. */
  CrmStoreChanges         pending;
  CrmStoreCommitFunc      committed;
  CrmStoreCommittingFunc  committing;
  gpointer                watch_data;
  GDestroyNotify          watch_destroy;
  gboolean                in_commit;
  guint64                 order_rows;
  guint64                 activity_rows;
  guint64                 computed_rows;

  /* Waiting for another connection's write lock, and the writer note (crm-store-wait.c). */
  CrmStoreWaitFunc  wait_func;
  gpointer          wait_data;
  gint64            busy_since;         /* monotonic µs: when the current wait began */
  gint64            busy_next_report;   /* … and when wait_func is due */
  gboolean          busy_no_wait;       /* crm_store_write_async() retries by itself */
  char             *operation;          /* what the writes are, for the writer note */
  gboolean          wrote_note;
};

typedef struct
{
  CrmStoreOrderHook hook;
  gpointer          data;
  GDestroyNotify    destroy;
} OrderHook;

/* In settings while a bulk import's rows are not in the full-text index yet (crm-search.c). */
#define SEARCH_PENDING_KEY "search.pending_from"

void     crm_store_set_error_for_code (GError     **error,
                                       const char  *path,
                                       int          rc,
                                       const char  *detail);
int      crm_store_query_int          (CrmStore    *self,
                                       const char  *sql,
                                       GError     **error);

/* crm-store-crud.c: runs the order hooks for the customers the transaction collected. */
gboolean crm_store_run_order_hooks    (CrmStore    *self,
                                       GError     **error);
/* crm-store-watch.c */
void     crm_store_sort_ids           (GArray      *ids);
void     crm_store_watch_end_commit   (CrmStore    *self);
void     crm_store_watch_settle       (CrmStore    *self);
void     crm_store_note_order_customer (CrmStore   *self,
                                        gint64      customer_id);
void     crm_store_note_activity_customer (CrmStore *self,
                                           gint64    customer_id);
void     crm_store_watch_finalize     (CrmStore    *self);

/* crm-store-wait.c */
void     crm_store_init_waiting       (CrmStore    *self);
void     crm_store_note_write         (CrmStore    *self);
void     crm_store_note_remove        (CrmStore    *self);
void     crm_store_note_remove_stale  (CrmStore    *self);
void     crm_store_set_busy_error     (CrmStore    *self,
                                       GError     **error);

gboolean crm_store_migrate (CrmStore  *self,
                            int        from_version,
                            GError   **error);

G_END_DECLS

/* crm-search.h: the search tables of customers — the one writer of customers_fts (beyond its
 * triggers), customer_terms, customer_tags and the e-mail/phone key columns — for the store's
 * own writes and for the bulk writers (importer, generator).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-store.h"

G_BEGIN_DECLS

/* ---- the e-mail and phone keys of a customers row ---- */

/* The key columns, in the order crm_search_keys_bind() binds them: a bulk writer names them in
 * its INSERT INTO customers and binds their values from one place. */
#define CRM_SEARCH_KEY_COLUMNS   "phone_digits, phone_rev, email_key, email_domain"
#define CRM_SEARCH_N_KEY_COLUMNS 4

typedef struct
{
  char       *phone_digits;   /* crm_text_phone_key(), the number as dialled inside its country:
                               * lookups by the first digits */
  char       *phone_rev;      /* crm_phone_key() reversed, the number's identity: the same
                               * customer has the same one (schema 6); lookups by the last digits */
  char       *email_key;      /* crm_text_email_key() */
  const char *email_domain;   /* inside email_key */
  guint8     *name_key;       /* crm_search_keys_set_name(), else NULL */
  gsize       name_key_len;
} CrmSearchKeys;

/* @region: the shop's (crm_store_dup_region()), which national numbers are completed with. */
void          crm_search_keys_init_in_region (CrmSearchKeys      *keys,
                                             const char          *phone,
                                             const char          *email,
                                             const char          *region);
/* For numbers in international form ("+86 …", as the generator writes): a national number gets
 * a key of its digits only, which matches no number of the shop's region. */
void          crm_search_keys_init          (CrmSearchKeys       *keys,
                                             const char          *phone,
                                             const char          *email);
void          crm_search_keys_clear         (CrmSearchKeys       *keys);
/* Binds the four keys to parameters @first … @first + 3 (SQLITE_STATIC: @keys outlives the step). */
void          crm_search_keys_bind          (const CrmSearchKeys *keys,
                                             sqlite3_stmt        *stmt,
                                             int                  first);

/* The name's sort key (customers.name_key, crm_pinyin_sort_key()): a bulk writer that names
 * CRM_SEARCH_NAME_KEY_COLUMN in its INSERT sets it after crm_search_keys_init() and binds it
 * with crm_search_keys_bind_name().  Rows inserted without it get it when the writer's terms
 * are written (crm_search_pairs_write()), by an UPDATE of each row. */
#define CRM_SEARCH_NAME_KEY_COLUMN "name_key"
void          crm_search_keys_set_name      (CrmSearchKeys       *keys,
                                             const char          *name);
void          crm_search_keys_bind_name     (const CrmSearchKeys *keys,
                                             sqlite3_stmt        *stmt,
                                             int                  index);

/* Other live customers that share @customer's e-mail (case-insensitive) or phone (the same
 * whole number in international form, crm_phone_key() in the shop's region): ids, ascending. */
GArray       *crm_store_find_duplicates    (CrmStore      *self,
                                            CrmEntity     *customer,
                                            GError       **error);

/* phone_rev of the customers computed again with @region (in the caller's transaction): of those
 * whose number has no "+" (a change of region), or with @upgrade of every one, the index dropped
 * and made again (an upgrade from a schema whose keys were something else). */
gboolean      crm_search_rekey_phones      (CrmStore      *self,
                                            const char    *region,
                                            gboolean       upgrade,
                                            GError       **error);
/* Sets the shop's "region" (two letters, any case) and re-keys the phone numbers with it, in one
 * transaction; national numbers are then those of the new region.  @cancellable interrupts it
 * (nothing changed). */
gboolean      crm_store_set_region         (CrmStore      *self,
                                            const char    *region,
                                            GCancellable  *cancellable,
                                            GError       **error);

/* The store's writes: keys, short-query terms and tags of one customer row; @replace drops the
 * old terms and tags first.  (Its full-text row follows from the table's triggers.) */
gboolean      crm_store_index_customer     (CrmStore      *self,
                                            gint64         id,
                                            const char    *name,
                                            const char    *phone,
                                            const char    *email,
                                            const char    *tags,
                                            gboolean       replace,
                                            GError       **error);

/* ---- bulk writers: terms and tags of many new customers ---- */

typedef enum
{
  CRM_SEARCH_TERMS,   /* customer_terms: the short-query terms of names */
  CRM_SEARCH_TAGS,    /* customer_tags: the tags */
} CrmSearchList;

/* (term, customer) rows of customers with ids from @first_id on, kept as compact pairs and
 * written once, in the primary key's order, so that the B-tree is appended to instead of being
 * written at random places 4–6 times per customer.  crm_search_pairs_intern() may run on one
 * thread while another adds, forgets and (at the end, alone) writes: they touch different
 * parts; each of them on one thread at a time. */
typedef struct _CrmSearchPairs CrmSearchPairs;

CrmSearchPairs *crm_search_pairs_new        (CrmSearchList    list,
                                             gint64           first_id);
void            crm_search_pairs_free       (CrmSearchPairs  *pairs);
/* The distinct terms (or tags) of @text as numbers of this set, appended to @ids (guint32). */
void            crm_search_pairs_intern     (CrmSearchPairs  *pairs,
                                             const char      *text,
                                             GArray          *ids);
void            crm_search_pairs_add        (CrmSearchPairs  *pairs,
                                             gint64           id,
                                             const guint32   *ids,
                                             guint            n_ids);
void            crm_search_pairs_add_text   (CrmSearchPairs  *pairs,
                                             gint64           id,
                                             const char      *text);
/* Customer @id's kept rows are out of date (crm_store_index_customer() wrote its own). */
void            crm_search_pairs_forget     (CrmSearchPairs  *pairs,
                                             gint64           id);
gboolean        crm_search_pairs_write      (CrmSearchPairs  *pairs,
                                             CrmStore        *store,
                                             GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmSearchPairs, crm_search_pairs_free)

/* ---- bulk writers: the full-text index ---- */

/* Drops the full-text triggers that fire per row (inserts; and updates if @updates_too) for a
 * bulk run, adding their SQL to @saved for the caller to run again in the same transaction.
 * The run then indexes its rows with crm_search_fts_fill() (new rows) and
 * crm_search_fts_remove()/crm_search_fts_add() around an update of an indexed column. */
gboolean      crm_search_suspend_fts        (CrmStore      *self,
                                             gboolean       updates_too,
                                             GPtrArray     *saved,
                                             GError       **error);
/* Customers with an id ≥ @from_id into the index, in one statement. */
gboolean      crm_search_fts_fill           (CrmStore      *self,
                                             gint64         from_id,
                                             GError       **error);
/* The same, and the triggers of @saved made again, in the transaction of the suspend. */
gboolean      crm_search_resume_fts         (CrmStore      *self,
                                             gint64         from_id,
                                             GPtrArray     *saved,
                                             GError       **error);
gboolean      crm_search_fts_remove         (CrmStore      *self,
                                             gint64         id,
                                             GError       **error);
gboolean      crm_search_fts_add            (CrmStore      *self,
                                             gint64         id,
                                             GError       **error);

/* Search index (FTS5 and the short-query terms) after a bulk import: the rows are committed
 * first, then indexed in a transaction of their own; an index left pending by a crash is
 * finished when the file opens. */
gboolean      crm_store_set_search_pending (CrmStore      *self,
                                            gint64         from_id,
                                            GError       **error);
gboolean      crm_store_is_search_pending  (CrmStore      *self);
/* How many customers a pending index lacks (0 when none is pending), or -1 on error. */
gint64        crm_store_count_search_pending (CrmStore    *self,
                                              GError     **error);
gboolean      crm_store_finish_search_index (CrmStore       *self,
                                             gint64          data_version,
                                             CrmSearchPairs *terms,
                                             GError        **error);

/* For the migration that brought the pinyin keys: customers.name_key and the names' pinyin
 * search keys for every existing customer. */
gboolean      crm_search_add_pinyin         (CrmStore       *self,
                                             GError        **error);

/* ---- the summaries of interactions (interactions_fts, schema 6) ---- */

/* Interaction @id's row in the index made again from the table: gone if it is deleted. */
gboolean      crm_search_index_interaction  (CrmStore      *self,
                                             gint64         id,
                                             GError       **error);
gboolean      crm_search_fill_interactions  (CrmStore      *self,
                                             GError       **error);

/* ---- the comments of feedback (feedback_fts, schema 10) ---- */

/* Feedback @id's row in the index made again from the table: gone if it is deleted. */
gboolean      crm_search_index_feedback     (CrmStore      *self,
                                             gint64         id,
                                             GError       **error);

G_END_DECLS

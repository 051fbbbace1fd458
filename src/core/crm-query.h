/* crm-query.h: a customer filter + sort, compiled to parameterised SQL.
 *
 * This is the only place a WHERE or ORDER BY over customers is composed.  Values
 * are always bound, never spliced; column names come from a whitelist.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-pinyin.h"
#include "crm-rule.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_QUERY (crm_query_get_type ())
G_DECLARE_FINAL_TYPE (CrmQuery, crm_query, CRM, QUERY, GObject)

CrmQuery    *crm_query_new              (void);
CrmQuery    *crm_query_copy             (CrmQuery     *self);

/* Free text: names, company, city, tags, notes (trigram index, any substring of
 * 3+ characters); 1–2 characters match name terms (a surname such as 李, a
 * two-character name such as 王芳); e-mail by prefix or domain; phone numbers by
 * leading or trailing digits whatever the punctuation.  Case-insensitive. */
void         crm_query_set_search_text  (CrmQuery     *self,
                                         const char   *text);
const char  *crm_query_get_search_text  (CrmQuery     *self);

/* 0 = any tier */
void         crm_query_set_tier_id      (CrmQuery     *self,
                                         gint64        tier_id);
gint64       crm_query_get_tier_id      (CrmQuery     *self);
/* -1 = any stage, else a CrmLifecycle */
void         crm_query_set_lifecycle    (CrmQuery     *self,
                                         int           lifecycle);
int          crm_query_get_lifecycle    (CrmQuery     *self);
/* NULL = any; case-insensitive equality */
void         crm_query_set_city         (CrmQuery     *self,
                                         const char   *city);
const char  *crm_query_get_city         (CrmQuery     *self);
void         crm_query_set_region       (CrmQuery     *self,
                                         const char   *region);
const char  *crm_query_get_region       (CrmQuery     *self);
void         crm_query_set_country      (CrmQuery     *self,
                                         const char   *country);
const char  *crm_query_get_country      (CrmQuery     *self);
void         crm_query_set_tag          (CrmQuery     *self,
                                         const char   *tag);
const char  *crm_query_get_tag          (CrmQuery     *self);
void         crm_query_set_owner        (CrmQuery     *self,
                                         const char   *owner);
const char  *crm_query_get_owner        (CrmQuery     *self);

/* A segment rule ANDed with the other filters; NULL for none. */
void         crm_query_set_rule         (CrmQuery     *self,
                                         CrmRule      *rule);
CrmRule     *crm_query_get_rule         (CrmQuery     *self);

/* Any customer column ("name", "city", "total_spent", "order_count",
 * "last_order_at", "created_at", ...); ties are broken by id in the same direction. */
gboolean     crm_query_set_sort         (CrmQuery     *self,
                                         const char   *column,
                                         gboolean      descending,
                                         GError      **error);
const char  *crm_query_get_sort_column  (CrmQuery     *self);
/* How "name" sorts: the locale's order until crm_query_run_ids() reads the store's setting
 * (crm_name_order_of_store()); set it for SQL made with crm_query_to_sql*(). */
void         crm_query_set_name_order   (CrmQuery     *self,
                                         CrmNameOrder  order);
CrmNameOrder crm_query_get_name_order   (CrmQuery     *self);
gboolean     crm_query_get_sort_descending (CrmQuery  *self);
gboolean     crm_query_is_column_sortable (const char *column);

/* "SELECT c.id FROM customers c WHERE … ORDER BY …, c.id" — with its bindings. */
char        *crm_query_to_sql           (CrmQuery     *self,
                                         gboolean      count_only);
/* The same selection and order with other columns: @columns over the aliases
 * c (customers) and whatever @joins adds, e.g. "LEFT JOIN tiers t ON t.id = c.tier_id". */
char        *crm_query_to_sql_columns   (CrmQuery     *self,
                                         const char   *columns,
                                         const char   *joins);
void         crm_query_bind             (CrmQuery     *self,
                                         sqlite3_stmt *stmt);

/* Runs the query; a cancelled run returns NULL with G_IO_ERROR_CANCELLED. */
GArray      *crm_query_run_ids          (CrmQuery     *self,
                                         CrmStore     *store,
                                         GCancellable *cancellable,
                                         GError      **error);
gint64       crm_query_count            (CrmQuery     *self,
                                         CrmStore     *store,
                                         GError      **error);

G_END_DECLS

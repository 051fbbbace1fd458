/* crm-search.h: the search keys of customers and the full-text index after a bulk import.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-store.h"

G_BEGIN_DECLS

/* Other live customers that share @customer's e-mail (case-insensitive) or phone
 * (same digits, or same last 8+ digits): ids, ascending. */
GArray       *crm_store_find_duplicates    (CrmStore      *self,
                                            CrmEntity     *customer,
                                            GError       **error);

/* Search index (FTS5 and the short-query terms) after a bulk import: the rows are committed
 * first, then indexed in a transaction of their own; an index left pending by a crash is
 * finished when the file opens. */
gboolean      crm_store_set_search_pending (CrmStore      *self,
                                            gint64         from_id,
                                            GError       **error);
gboolean      crm_store_is_search_pending  (CrmStore      *self);
typedef gboolean (*CrmStoreFillFunc) (gpointer   data,
                                      GError   **error);
gboolean      crm_store_finish_search_index (CrmStore     *self,
                                            gint64         data_version,
                                            CrmStoreFillFunc fill_terms,
                                            gpointer       data,
                                            GError       **error);

/* For bulk writers (generator, importers): search keys of a customer row. */
gboolean      crm_store_index_customer     (CrmStore      *self,
                                            gint64         id,
                                            const char    *name,
                                            const char    *phone,
                                            const char    *email,
                                            const char    *tags,
                                            gboolean       replace,
                                            GError       **error);

G_END_DECLS

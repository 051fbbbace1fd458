/* crm-merge.h: merge two customers into one, and undo it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-customer.h"
#include "crm-store.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_MERGE_KEEP,        /* the survivor's value */
  CRM_MERGE_TAKE_OTHER,  /* the merged customer's value */
} CrmMergeChoice;

/* Fills @choices (CRM_CUSTOMER_N_FIELDS entries): the survivor's value, or the other's where the
 * survivor has none — what the merge dialog proposes. */
void     crm_merge_default_choices (CrmCustomer          *survivor,
                                    CrmCustomer          *other,
                                    CrmMergeChoice       *choices);

/* Merges @other into @survivor in one transaction: the chosen field values (per
 * CrmCustomerField; NULL = crm_merge_default_choices()), orders, feedback and interactions move
 * to the survivor, both customers' aggregates are updated, @other becomes a tombstone with
 * merged_into = @survivor_id; everything is journaled.  Returns the merge's id for
 * crm_merge_undo(), or 0 with @error set. */
gint64   crm_merge_customers       (CrmStore             *store,
                                    gint64                survivor_id,
                                    gint64                other_id,
                                    const CrmMergeChoice *choices,
                                    GError              **error);

/* Restores the merged customer, moves its records back and gives the survivor its fields as
 * they were before the merge (fields edited since are overwritten). */
gboolean crm_merge_undo            (CrmStore             *store,
                                    gint64                merge_id,
                                    GError              **error);

G_END_DECLS

/* crm-journal.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-store.h"

G_BEGIN_DECLS

/* Which fields a journal row names: the dirty ones (update), none for an insert (the whole
 * row; see the changes table), a delete or a restore (unsaved edits on the object are not part
 * of them). */
typedef enum
{
  CRM_JOURNAL_DIRTY_FIELDS,
  CRM_JOURNAL_NO_FIELDS,
} CrmJournalFields;

gboolean crm_journal_append_entity (CrmStore          *self,
                                    CrmEntity         *entity,
                                    const char        *op,
                                    gint64             at,
                                    CrmJournalFields   which,
                                    GError           **error);

G_END_DECLS

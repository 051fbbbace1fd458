/* crm-journal.h: the change journal — the one writer of the `changes` table and its readers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-store.h"

G_BEGIN_DECLS

/* What an entry is about.  The numbers are stored: never renumber, only add. */
typedef enum
{
  CRM_JOURNAL_ENTITY_UNKNOWN     = 0,   /* a name an older file had and this program does not */
  CRM_JOURNAL_ENTITY_CUSTOMER    = 1,
  CRM_JOURNAL_ENTITY_ORDER       = 2,
  CRM_JOURNAL_ENTITY_ORDER_LINE  = 3,
  CRM_JOURNAL_ENTITY_FEEDBACK    = 4,
  CRM_JOURNAL_ENTITY_INTERACTION = 5,
  CRM_JOURNAL_ENTITY_TIER        = 6,
  CRM_JOURNAL_ENTITY_SEGMENT     = 7,
  CRM_JOURNAL_ENTITY_CAMPAIGN    = 8,
  CRM_JOURNAL_ENTITY_REFUND      = 9,   /* schema 6 */
} CrmJournalEntity;

/* What happened to the row.  Stored numbers, as above. */
typedef enum
{
  CRM_JOURNAL_INSERT  = 1,   /* a new row: all its fields (fields is 0) */
  CRM_JOURNAL_UPDATE  = 2,   /* fields names the columns that changed */
  CRM_JOURNAL_DELETE  = 3,   /* tombstoned (deleted_at set) */
  CRM_JOURNAL_RESTORE = 4,   /* tombstone lifted */
  CRM_JOURNAL_MERGE   = 5,   /* tombstoned as merged into another customer (customers.merged_into) */
  CRM_JOURNAL_ERASE   = 6,   /* removed for real (privacy): only the uuid is left */
} CrmJournalOp;

/* One entry as a reader sees it. */
typedef struct
{
  gint64            seq;      /* increasing, never reused */
  CrmJournalEntity  entity;
  gint64            row_id;   /* 0 for an erased row */
  char             *uuid;     /* the row's uuid (sync's identity of it) */
  CrmJournalOp      op;
  guint64           fields;   /* UPDATE: bit i = field i of the entity's field table */
  gint64            at;       /* ms UTC */
  char             *origin;   /* NULL: made here; else the sync account that wrote it */
} CrmJournalEntry;

/* Which fields an entry of crm_journal_append_entity() names: the dirty ones (an update), or
 * none (an insert, delete, restore: unsaved edits of the object are not part of them). */
typedef enum
{
  CRM_JOURNAL_DIRTY_FIELDS,
  CRM_JOURNAL_NO_FIELDS,
} CrmJournalFields;

const char      *crm_journal_entity_to_string (CrmJournalEntity  entity);   /* "customer", … */
const char      *crm_journal_op_to_string     (CrmJournalOp      op);       /* "insert", … */
CrmJournalEntity crm_journal_entity_for_type  (GType             type);
/* Column names of the fields in @mask (NULL-terminated; unknown bits left out). */
GStrv            crm_journal_field_names      (CrmJournalEntity  entity,
                                               guint64           mask);

/* ---- writing: in the caller's transaction, tagged with crm_store_get_origin() ---- */

gboolean crm_journal_append        (CrmStore          *store,
                                    CrmJournalEntity   entity,
                                    gint64             row_id,
                                    CrmJournalOp       op,
                                    guint64            fields,
                                    gint64             at,
                                    GError           **error);
gboolean crm_journal_append_entity (CrmStore          *store,
                                    CrmEntity         *entity,
                                    CrmJournalOp       op,
                                    gint64             at,
                                    CrmJournalFields   which,
                                    GError           **error);
/* Bulk writers: one entry per row of @entity's table with an id in [@first_id, @last_id], in id
 * order, made by one statement. */
gboolean crm_journal_append_range  (CrmStore          *store,
                                    CrmJournalEntity   entity,
                                    CrmJournalOp       op,
                                    gint64             first_id,
                                    gint64             last_id,
                                    gint64             at,
                                    GError           **error);
/* A privacy erase: the row's earlier entries go (they may say what it held), one ERASE entry
 * with its uuid stays so that sync removes it elsewhere.  Call before the row is removed. */
gboolean crm_journal_erase_row     (CrmStore          *store,
                                    CrmJournalEntity   entity,
                                    gint64             row_id,
                                    const char        *uuid,
                                    gint64             at,
                                    GError           **error);

/* The newest entry's seq, or the last one pruned: changes whenever anything is journaled. */
gint64   crm_journal_last_seq      (CrmStore          *store,
                                    GError           **error);

/* ---- reading: a cursor per consumer ---- */

/* A consumer reads from where it registered (the journal's end then: a new sync account's first
 * pass reads the tables themselves).  @origin (nullable): the sync account it pushes to;
 * entries written with that origin are not given back to it.  Registering again keeps the
 * position and sets the origin. */
gboolean crm_journal_add_consumer    (CrmStore     *store,
                                      const char   *consumer,
                                      const char   *origin,
                                      GError      **error);
gboolean crm_journal_remove_consumer (CrmStore     *store,
                                      const char   *consumer,
                                      GError      **error);
gint64   crm_journal_get_acked       (CrmStore     *store,
                                      const char   *consumer,
                                      GError      **error);

#define CRM_JOURNAL_AFTER_ACKED (-1)

/* Up to @limit entries with seq > @after (CRM_JOURNAL_AFTER_ACKED: the consumer's acknowledged
 * position), oldest first, without those of the consumer's own origin.  @next (nullable): the
 * seq to read after next time and to acknowledge once the entries are handled; it passes over
 * skipped entries too.  An array of CrmJournalEntry (freed with it). */
GArray  *crm_journal_read            (CrmStore     *store,
                                      const char   *consumer,
                                      gint64        after,
                                      guint         limit,
                                      gint64       *next,
                                      GError      **error);
/* Everything up to @seq is handled: the cursor moves there (never back) and what every consumer
 * has handled is pruned. */
gboolean crm_journal_ack             (CrmStore     *store,
                                      const char   *consumer,
                                      gint64        seq,
                                      GError      **error);
/* Removes the entries every consumer has acknowledged; with no consumer, all of them. */
gboolean crm_journal_prune           (CrmStore     *store,
                                      GError      **error);

G_END_DECLS

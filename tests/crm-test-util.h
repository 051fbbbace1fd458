/* crm-test-util.h: shared set-up for the test programs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "crm-journal.h"
#include "crm-csv.h"
#include "crm-session.h"
#include "crm-store.h"

G_BEGIN_DECLS

/* g_test_init() plus a private temporary XDG_DATA_HOME (removed at exit). */
void         crm_test_init          (int    *argc,
                                     char ***argv);
/* A fresh database path inside the test's temporary directory. */
/* SQL that takes a database of the current schema back to schema 9 (the last before the second
 * wave's steps): every object of steps 10 and later dropped, user_version left to the caller.  A
 * new schema step adds its own undo here (and test-pinyin's downgrade goes further back). */
extern const char crm_test_undo_after_schema_9[];
char        *crm_test_db_path       (void);
const char  *crm_test_tmp_dir       (void);
/* Directory of the shared data (CDNOW, WooCommerce samples). */
char        *crm_test_shared_data   (const char *relative);
/* Skip under a developer's machine, fail under CI (CI=true) — for missing fixtures. */
void         crm_test_require_file  (const char *path);

/* $CLIENTELE_CLI: the clientele-cli of the build (set by the meson.build files). */
const char  *crm_test_cli_path      (void);
/* Runs $CLIENTELE_CLI (set by tests/meson.build) with @args (NULL-terminated), its own process:
 * the exit status, with what it wrote in @out and @err (either may be NULL). */
int          crm_test_run_cli       (const char *const *args,
                                     char       **out,
                                     char       **err);
/* The same with @input on its standard input (then closed). */
int          crm_test_run_cli_input (const char *const *args,
                                     const char        *input,
                                     char             **out,
                                     char             **err);
/* The same, started in the background: the caller waits with crm_test_wait_cli(). */
GPid         crm_test_spawn_cli     (const char *const *args,
                                     int         *err_fd);
int          crm_test_wait_cli      (GPid         pid);

/* A second process holding the write lock of @path for @ms, as an import ("an import by
 * test-holder (process N)"): the test program @self_exe run again, whose main() starts with
 * crm_test_holder_main().  Returns once the lock is held; wait for it with crm_test_wait_cli(). */
typedef struct
{
  GPid   pid;
  gint64 started;   /* monotonic µs, when it held the lock */
} CrmTestHolder;
CrmTestHolder crm_test_start_holder (const char *self_exe,
                                     const char *path,
                                     guint       ms);
/* First thing in main(): runs the holder when the command line asks for it and returns its exit
 * status; -1 otherwise. */
int          crm_test_holder_main   (int          argc,
                                     char       **argv);

/* What GTK's file chooser does to a file it shows: open, read the first bytes, close (a missing
 * file is fine).  _database does it to @path and its -wal and -shm. */
void         crm_test_poke          (const char  *path);
void         crm_test_poke_database (const char  *path);
/* A thread of the test's process doing crm_test_poke_database() every @interval_ms until it is
 * stopped; _stop returns how many times it did. */
typedef struct _CrmTestPoker CrmTestPoker;
CrmTestPoker *crm_test_poker_start  (const char  *path,
                                     guint        interval_ms);
guint        crm_test_poker_stop    (CrmTestPoker *poker);

/* The first column of @sql's first row, which must be there (the statement must compile). */
gint64       crm_test_query_int     (CrmStore   *store,
                                     const char *sql);
/* … as text: NULL without a row or for NULL. */
char        *crm_test_query_text    (CrmStore   *store,
                                     const char *sql);

/* The permission bits of @path itself (a link is not followed); asserts it exists. */
int          crm_test_file_mode     (const char *path);
/* A customer called @name committed as an import killed between its two transactions leaves
 * it: in the table, not in the search index, the index marked pending from it.  Its id. */
gint64       crm_test_add_unindexed_customer (CrmStore   *store,
                                              const char *name);
/* As root, drops the right to override file permissions (CAP_DAC_OVERRIDE and
 * CAP_DAC_READ_SEARCH) for good, for the calling thread and the threads it starts later, so a
 * 0444 file is read-only to the process as to any user.  Call first thing in main().  FALSE if
 * it could not (the tests that need it skip). */
gboolean     crm_test_obey_file_modes (void);
/* A segment rule nested @levels groups deep around one condition. */
char        *crm_test_deep_rule     (guint       levels);

/* A thread that reads the FIFO at @path until its writer closes it. */
typedef struct _CrmTestFifoReader CrmTestFifoReader;
CrmTestFifoReader *crm_test_fifo_reader_start  (const char        *path);
/* Waits for the end; what was read. */
char              *crm_test_fifo_reader_finish (CrmTestFifoReader *reader);

/* @contents (@len bytes, -1: a string) in a new file @name of the test's directory: its path. */
char        *crm_test_write_file    (const char *name,
                                     const char *contents,
                                     gssize      len);
/* A fresh copy of tests/data/store/@name (gzipped database of an earlier schema): its path. */
char        *crm_test_unpack_db     (const char *name);

/* Journal entries of @entity (0: any) with @op (0: any), as they are in the table. */
gint64       crm_test_journal_count (CrmStore         *store,
                                     CrmJournalEntity  entity,
                                     CrmJournalOp      op);
/* A CSV file read back with the project's reader, header included: a GStrv for each row. */
GPtrArray   *crm_test_read_csv      (const char     *path,
                                     CrmCsvEncoding  encoding);

/* A fresh database in the test's directory, opened; its path in @out_path if not NULL. */
CrmStore    *crm_test_store_new     (char      **out_path);
/* A fresh database in the test's directory, opened as a session (signals on the default main
 * context); its path in @out_path if not NULL. */
CrmSession  *crm_test_session_new   (char      **out_path);
/* A customer named @name; its id. */
gint64       crm_test_add_customer  (CrmStore   *store,
                                     const char *name);
/* An order of @customer_id placed at @placed_at (ms UTC) for @total minor units of CNY, in
 * @status (NULL: the default); its id. */
gint64       crm_test_add_order     (CrmStore   *store,
                                     gint64      customer_id,
                                     gint64      placed_at,
                                     gint64      total,
                                     const char *status);
/* … with one line of @quantity × a product whose SKU, name and category are @category, for
 * @amount (also the order's total). */
gint64       crm_test_add_order_line (CrmStore  *store,
                                     gint64      customer_id,
                                     gint64      placed_at,
                                     const char *status,
                                     const char *category,
                                     gint64      quantity,
                                     gint64      amount);
/* Runs the default main context until *@flag is TRUE; FALSE after @timeout_ms. */
gboolean     crm_test_wait_for      (gboolean   *flag,
                                     guint       timeout_ms);

/* clientele-cli ($CLIENTELE_CLI) run with @args (NULL-terminated) in English, without
 * $CLIENTELE_DB: what it wrote, its exit status, and stdout parsed when it is a JSON object. */
typedef struct
{
  char     *out;
  char     *err;
  int       status;
  JsonNode *json;
} CrmTestCliRun;

void         crm_test_cli_run_clear (CrmTestCliRun     *r);
void         crm_test_cli_run       (CrmTestCliRun     *r,
                                     const char *const *args);
void         crm_test_cli_assert_ok (CrmTestCliRun     *r);
/* A failure: the exit code, nothing on stdout and exactly one stderr line holding @needle. */
void         crm_test_cli_assert_failed (CrmTestCliRun *r,
                                     int                code,
                                     const char        *needle);
/* The JSON object it printed, which must be there. */
JsonObject  *crm_test_cli_object    (CrmTestCliRun     *r);
/* crm_test_query_int() on a connection of its own to @db. */
gint64       crm_test_count_rows    (const char        *db,
                                     const char        *sql);

G_END_DECLS

/* crm-store-wait.c: waiting for another connection's write lock, and saying who holds it.
 *
 * SQLite lets one connection write at a time.  A long import or recompute, by the app's own
 * worker or by clientele-cli, holds the write lock for seconds; a Save meanwhile used to fail
 * after the 5 s busy timeout with "locked by another program".  Here:
 *
 * - The busy handler waits in small steps, and stops when the connection's cancellable is
 *   cancelled (a job's Cancel).  Without a wait function it gives up after 5 s, as before; with one (crm_store_set_wait_func(), or the process default that clientele-cli sets)
 *   it calls it on the waiting thread after 300 ms and then every 100 ms or so, and waits as
 *   long as it returns TRUE: the CLI prints a line after a second and stops on Ctrl+C or at
 *   --wait, a worker stops when its job is cancelled.
 * - crm_store_write_async() does not block at all: it tries the write now, and while the lock
 *   is held elsewhere tries again every 100 ms from the caller's main context, telling the
 *   waiting function (a "Waiting for … to finish" state with Cancel in the UI) how long it has
 *   waited.  The write itself runs inside the same dispatch as the BEGIN that got the lock.
 * - The writer note.  A connection doing a labelled operation (crm_store_operation_push():
 *   "import", "recompute", clientele-cli's command) writes, right after its BEGIN IMMEDIATE got
 *   the lock, a small file PATH-writer naming the operation, the program, its pid and the time;
 *   it removes it just before COMMIT or ROLLBACK, still holding the lock — so only the holder
 *   ever writes or removes it, and a waiter can say "an import by clientele-cli (process 4242)
 *   since 10:42:07" instead of "another program".  A note whose process is gone (a crash) is
 *   ignored, and removed by the next crm_store_open().  The note is advisory: when it cannot be
 *   written nothing fails.  (Not in the settings table: the holder's uncommitted rows are
 *   invisible to the very connections that wait.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define FIRST_REPORT_MS     300
#define REPORT_EVERY_MS     100
#define DEFAULT_LIMIT_MS    5000
#define RETRY_EVERY_MS      100

static CrmStoreWaitFunc default_wait_func;
static gpointer default_wait_data;

/* ---- the busy handler ------------------------------------------------------------------ */

static int
busy_handler (void *data,
              int   n_calls)
{
  /* As SQLite's own handler: short steps first, then 50 ms (a freed lock is seen at once). */
  static const int steps_ms[] = { 1, 2, 5, 10, 15, 20, 25, 25, 25, 50 };
  CrmStore *self = data;
  gint64 now = g_get_monotonic_time ();
  gint64 waited_ms;

  /* A cancelled job stops waiting at once (crm_store_set_cancellable()). */
  if (self->busy_no_wait || (self->cancellable != NULL && g_cancellable_is_cancelled (self->cancellable)))
    return 0;
  if (n_calls == 0)
    {
      self->busy_since = now;
      self->busy_next_report = now + FIRST_REPORT_MS * 1000;
    }
  waited_ms = (now - self->busy_since) / 1000;

  if (self->wait_func == NULL)
    {
      if (waited_ms >= DEFAULT_LIMIT_MS)
        return 0;
    }
  else if (now >= self->busy_next_report)
    {
      self->busy_next_report = now + REPORT_EVERY_MS * 1000;
      if (!self->wait_func (self, waited_ms, self->wait_data))
        return 0;
    }

  g_usleep (steps_ms[MIN ((guint) n_calls, G_N_ELEMENTS (steps_ms) - 1)] * 1000);
  return 1;
}

void
crm_store_init_waiting (CrmStore *self)
{
  self->wait_func = default_wait_func;
  self->wait_data = default_wait_data;
  sqlite3_busy_handler (self->db, busy_handler, self);
}

/**
 * crm_store_set_wait_func:
 * @func: (nullable): called while a statement of @self waits for another connection's lock;
 *   FALSE stops the wait (the statement then fails as locked)
 *
 * Without a function a wait ends after 5 s.
 */
void
crm_store_set_wait_func (CrmStore         *self,
                         CrmStoreWaitFunc  func,
                         gpointer          user_data)
{
  g_return_if_fail (CRM_IS_STORE (self));

  self->wait_func = func;
  self->wait_data = user_data;
}

/* For a program that opens its stores itself (clientele-cli): every store opened afterwards in
 * this process starts with @func; crm_store_open() may already wait (an upgrade, a search index
 * left pending by a crash). */
void
crm_store_set_default_wait_func (CrmStoreWaitFunc func,
                                 gpointer         user_data)
{
  default_wait_func = func;
  default_wait_data = user_data;
}

/* ---- the writer note -------------------------------------------------------------------- */

struct _CrmStoreOperation
{
  CrmStore *store;
  char     *previous;
};

/**
 * crm_store_operation_push:
 * @operation: what the writes of @self are from now on: "import", "recompute", "generate",
 *   "search-index" or a clientele-cli command name
 *
 * Returns: what puts the previous label back (crm_store_operation_pop(), or g_autoptr).
 */
CrmStoreOperation *
crm_store_operation_push (CrmStore   *self,
                          const char *operation)
{
  CrmStoreOperation *op = g_new0 (CrmStoreOperation, 1);

  op->store = g_object_ref (self);
  op->previous = g_steal_pointer (&self->operation);
  self->operation = g_strdup (operation);
  return op;
}

void
crm_store_operation_pop (CrmStoreOperation *op)
{
  g_free (op->store->operation);
  op->store->operation = op->previous;
  g_object_unref (op->store);
  g_free (op);
}

static char *
note_path (CrmStore *self)
{
  return g_strconcat (self->path, "-writer", NULL);
}

/* Right after the outermost BEGIN IMMEDIATE got the lock. */
void
crm_store_note_write (CrmStore *self)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *program = NULL;
  int fd;

  if (self->operation == NULL)
    return;

  path = note_path (self);
  program = g_strdup (g_get_prgname () != NULL ? g_get_prgname () : "?");
  g_strdelimit (program, " \n", '\0');   /* "clientele-cli import" → "clientele-cli" */
  text = g_strdup_printf ("%s\n%s\n%d\n%" G_GINT64_FORMAT "\n", self->operation, program,
                          (int) getpid (), g_get_real_time () / 1000);

  /* Never through a symbolic link planted at that name; 0600 like the database. */
  fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return;
  self->wrote_note = write (fd, text, strlen (text)) == (gssize) strlen (text);
  close (fd);
  if (!self->wrote_note)
    g_unlink (path);
}

/* Just before the outermost COMMIT or ROLLBACK, still holding the lock. */
void
crm_store_note_remove (CrmStore *self)
{
  g_autofree char *path = NULL;

  if (!self->wrote_note)
    return;
  path = note_path (self);
  g_unlink (path);
  self->wrote_note = FALSE;
}

typedef struct
{
  char   *operation;
  char   *program;
  int     pid;
  gint64  since_ms;
} Note;

static void
note_clear (Note *note)
{
  g_clear_pointer (&note->operation, g_free);
  g_clear_pointer (&note->program, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Note, note_clear)

/* The note at @path: FALSE if there is none or it is not whole.  *@alive: its process runs. */
static gboolean
note_read (const char *path,
           Note       *note,
           gboolean   *alive)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &text, &len, NULL) || len > 4096 || !g_utf8_validate (text, len, NULL))
    return FALSE;
  lines = g_strsplit (text, "\n", 5);
  if (g_strv_length (lines) != 5 || *lines[0] == '\0' || *lines[4] != '\0')
    return FALSE;

  note->operation = g_strdup (lines[0]);
  note->program = g_strdup (lines[1]);
  note->pid = (int) g_ascii_strtoll (lines[2], NULL, 10);
  note->since_ms = g_ascii_strtoll (lines[3], NULL, 10);
  *alive = note->pid > 0 && (kill (note->pid, 0) == 0 || errno == EPERM);
  return TRUE;
}

/* A note left by a process that is gone (killed while it held the lock, perhaps between
 * creating the file and writing it: then it is empty).  A live holder's half-written note might
 * go too, which costs only the name of the holder to whoever waits for it. */
void
crm_store_note_remove_stale (CrmStore *self)
{
  g_autofree char *path = note_path (self);
  g_auto(Note) note = { 0 };
  gboolean alive = FALSE;

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR) && (!note_read (path, &note, &alive) || !alive))
    g_unlink (path);
}

static char *
describe_operation (const char *operation)
{
  if (g_str_equal (operation, "import"))
    return g_strdup (_("an import"));
  if (g_str_equal (operation, "recompute"))
    return g_strdup (_("a recompute of scores, tiers and stages"));
  if (g_str_equal (operation, "generate"))
    return g_strdup (_("sample data being generated"));
  if (g_str_equal (operation, "search-index"))
    return g_strdup (_("the search index being finished"));
  /* Translators: a clientele-cli command that holds the database, e.g. “add-customer” */
  return g_strdup_printf (_("“%s”"), operation);
}

/**
 * crm_store_describe_writer:
 *
 * Returns: (nullable): who holds the write lock of @self's file, when that program said so:
 *   "an import by clientele-cli (process 4242) since 10:42:07"; %NULL if unknown.
 */
char *
crm_store_describe_writer (CrmStore *self)
{
  g_autofree char *path = note_path (self);
  g_autofree char *what = NULL;
  g_autofree char *program = NULL;
  g_autofree char *since = NULL;
  g_autoptr(GDateTime) dt = NULL;
  g_auto(Note) note = { 0 };
  gboolean alive = FALSE;

  if (!note_read (path, &note, &alive) || !alive)
    return NULL;

  what = describe_operation (note.operation);
  program = g_utf8_make_valid (note.program, -1);
  dt = g_date_time_new_from_unix_local (note.since_ms / 1000);
  since = dt != NULL ? g_date_time_format (dt, "%X") : g_strdup ("?");
  /* Translators: “an import by clientele-cli (process 4242) since 10:42:07” */
  return g_strdup_printf (_("%s by %s (process %d) since %s"), what, program, note.pid, since);
}

/* The error of a write that gave up waiting, naming the holder when it is known. */
void
crm_store_set_busy_error (CrmStore  *self,
                          GError   **error)
{
  g_autofree char *holder = NULL;

  if (self->cancellable != NULL && g_cancellable_is_cancelled (self->cancellable))
    {
      crm_store_set_error_for_code (error, self->path, SQLITE_INTERRUPT, NULL);
      return;
    }
  holder = crm_store_describe_writer (self);
  if (holder == NULL)
    crm_store_set_error_for_code (error, self->path, SQLITE_BUSY, NULL);
  else
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_LOCKED,
                 _("The database “%s” is busy with %s. Try again when it has finished."),
                 self->path, holder);
}

/* ---- writing without blocking ---------------------------------------------------------- */

typedef struct
{
  CrmStoreWriteFunc write;
  gpointer          write_data;
  GDestroyNotify    write_destroy;
  CrmStoreWaitFunc  waiting;
  gpointer          waiting_data;
  gint64            started;
} WriteWait;

static void
write_wait_free (gpointer data)
{
  WriteWait *w = data;

  if (w->write_destroy != NULL)
    w->write_destroy (w->write_data);
  g_free (w);
}

/* One attempt: TRUE when the task is done (written, failed or cancelled). */
static gboolean
try_write (GTask *task)
{
  CrmStore *self = g_task_get_source_object (task);
  WriteWait *w = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gint64 waited_ms;
  gboolean begun;

  if (g_task_return_error_if_cancelled (task))
    return TRUE;

  self->busy_no_wait = TRUE;
  begun = crm_store_begin (self, &error);
  self->busy_no_wait = FALSE;
  if (begun)
    {
      if (w->write (self, w->write_data, &error) && crm_store_commit (self, &error))
        g_task_return_boolean (task, TRUE);
      else
        {
          crm_store_rollback (self);
          g_task_return_error (task, g_steal_pointer (&error));
        }
      return TRUE;
    }

  waited_ms = (g_get_monotonic_time () - w->started) / 1000;
  if (!g_error_matches (error, CRM_STORE_ERROR, CRM_STORE_ERROR_LOCKED) ||
      (waited_ms >= FIRST_REPORT_MS && w->waiting != NULL && !w->waiting (self, waited_ms, w->waiting_data)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return TRUE;
    }
  return FALSE;
}

static gboolean
retry_write (gpointer data)
{
  return try_write (data) ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

/**
 * crm_store_write_async:
 * @write: does the writes; called inside a transaction of @self, committed when it returns TRUE
 * @waiting: (nullable): called while another connection holds the write lock, after 300 ms
 *   and then at every retry (100 ms); FALSE stops waiting
 *
 * One user action's writes, without blocking the calling thread: now if the lock is free,
 * otherwise as soon as it is (tried again every 100 ms from the thread-default main context).
 * Cancelling @cancellable stops the wait with %G_IO_ERROR_CANCELLED; nothing is written then.
 */
void
crm_store_write_async (CrmStore            *self,
                       CrmStoreWriteFunc    write,
                       gpointer             write_data,
                       GDestroyNotify       write_destroy,
                       CrmStoreWaitFunc     waiting,
                       gpointer             waiting_data,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  WriteWait *w;

  g_return_if_fail (CRM_IS_STORE (self));
  g_return_if_fail (self->tx_depth == 0);

  task = g_task_new (self, cancellable, callback, user_data);
  w = g_new0 (WriteWait, 1);
  w->write = write;
  w->write_data = write_data;
  w->write_destroy = write_destroy;
  w->waiting = waiting;
  w->waiting_data = waiting_data;
  w->started = g_get_monotonic_time ();
  g_task_set_source_tag (task, crm_store_write_async);
  /* Once the write is committed it is saved, whatever a late cancel says (try_write checks it
   * before each attempt). */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, w, write_wait_free);

  if (!try_write (task))
    {
      g_autoptr(GSource) source = g_timeout_source_new (RETRY_EVERY_MS);

      g_task_attach_source (task, source, retry_write);
    }
}

gboolean
crm_store_write_finish (CrmStore      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

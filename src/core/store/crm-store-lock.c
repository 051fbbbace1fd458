/* crm-store-lock.c: SQLite's file locks, made safe from the rest of the process.
 *
 * The problem.  SQLite's unix VFS locks with POSIX advisory locks (fcntl F_SETLK).  Those
 * belong to the process, and closing *any* descriptor of a file drops *all* of the process's
 * locks on it ("How To Corrupt An SQLite Database File", §2.2).  In the app's process GTK's
 * file chooser sniffs the files of a folder it shows (open, read, close), and so do
 * thumbnailers, g_file_query_info() with the content type, a print dialog, a future backup:
 * after such a close the app holds no SHARED lock on the database and no DMS lock on the -shm,
 * though SQLite believes it does.  The next clientele-cli then takes the EXCLUSIVE lock on
 * close, believes it is the last user, checkpoints and deletes the -wal and -shm (or, opening,
 * sees the DMS byte free and truncates the -shm the app has mapped); the app keeps writing to
 * the unlinked files, and its later checkpoint writes stale pages over the CLI's: lost rows
 * and a damaged index (issue 12).
 *
 * The options weighed:
 * - Keeping the connections out of the GTK process (a database helper process the UI talks to
 *   over IPC).  Safe by construction, but every model, the lazy lists and the jobs read through
 *   CrmStore in-process today; it is a rewrite of the app, adds a round trip to every page of a
 *   list, and another library loaded into the helper could still open the file.
 * - A VFS of our own, wrapping "unix" and re-implementing xLock/xUnlock/xCheckReservedLock and
 *   the xShm* methods with other locks.  The WAL's shared-memory protocol (the DMS byte, the
 *   read marks, who truncates the -shm) lives inside os_unix.c's unixShm code and is reached
 *   only through its system calls; a wrapper would have to copy several hundred lines of the
 *   subtlest code in SQLite, and keep them in step with the library Debian ships.
 * - unix-excl / locking_mode=EXCLUSIVE: no POSIX lock dropping matters then, but nothing else
 *   could use the file while the app runs — the CLI from cron could not.  unix-dotfile: the
 *   stock sqlite3 shell would no longer see our locks.
 * - What is here: the unix VFS itself, with its "fcntl" and "close" system calls replaced
 *   through sqlite3_vfs.xSetSystemCall (the documented hook for exactly this kind of change).
 *   Every F_SETLK/F_SETLKW/F_GETLK becomes F_OFD_SETLK/F_OFD_SETLKW/F_OFD_GETLK (l_pid 0) on
 *   ONE private descriptor per inode.  Open-file-description locks belong to that open file
 *   description, not to the process, so a foreign close() of another descriptor leaves them
 *   alone.  One description per inode keeps the semantics SQLite's own bookkeeping relies on:
 *   os_unix.c tracks locks per inode for the whole process (unixInodeInfo: the first SHARED
 *   lock makes the system call, later ones only count; the last connection to drop its SHARED
 *   lock unlocks through its *own* descriptor, which may not be the one that locked; a
 *   connection going to EXCLUSIVE re-locks bytes another connection of the process read-locked)
 *   — all of which is right for locks owned by the process, and would be wrong, with
 *   self-conflicts and stuck locks, for OFD locks on each connection's own descriptor.  The
 *   -shm is locked the same way (unixShmSystemLock and the DMS probe in unixLockSharedMemory go
 *   through the same fcntl), so its DMS and read-mark locks survive a foreign close too.  The
 *   -wal and the rollback journal carry no locks.  OFD and POSIX locks conflict with each other
 *   on Linux, so the stock sqlite3 shell (POSIX) and this process exclude each other as before.
 *
 * The private descriptors.  A private descriptor is opened (through /proc/self/fd, so it is the
 * very inode, even an unlinked one) when SQLite first locks a descriptor of that inode, and
 * closed when SQLite closes the last descriptor of the inode it locked through.  SQLite never
 * closes a database descriptor while another connection of the process holds a lock on the
 * inode (it parks it on pInode->pUnused until the locks are gone, for the POSIX reason above),
 * and it releases the -shm's DMS lock by closing hShm (unixShmPurge): closing the private
 * descriptor then is exactly what releases the OFD locks when the POSIX ones would have gone.
 * So a deleted or replaced database (a restore) never keeps its inode alive through us, and
 * nothing stays open once the last connection is gone.
 *
 * Limits.  Linux only (F_OFD_* since 3.15, and /proc).  Elsewhere, or when the kernel refuses
 * F_OFD_GETLK, this falls back to SQLite's stock POSIX locks with a warning: then a foreign
 * close can again drop the app's locks (CLIENTELE_POSIX_LOCKS=1 asks for that, for tests and
 * benchmarks).  A file system that refuses OFD locks on one file
 * (EINVAL) gets the stock locks for that file only, with a warning.  The layer must be in place
 * before the process opens any database (a POSIX lock taken before would conflict with the OFD
 * ones): crm_store_lock_install() is called first thing by crm_store_open() and friends and by
 * the programs' main(); it is idempotent and thread-safe.  The private descriptors are
 * O_CLOEXEC, so a spawned program never inherits the locks (a bare fork() without exec would
 * share them — nothing in Clientele does that).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include "crm-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__linux__) && defined(F_OFD_SETLK)
# define HAVE_OFD_LOCKS 1
#else
# define HAVE_OFD_LOCKS 0
#endif

typedef int (*FcntlFunc) (int, int, ...);
typedef int (*CloseFunc) (int);

static FcntlFunc real_fcntl;
static CloseFunc real_close;
static gboolean private_locks;

#if HAVE_OFD_LOCKS

/* One inode SQLite locked: the private descriptor its locks are taken on. */
typedef struct
{
  dev_t     dev;
  ino_t     ino;
  int       fd;        /* -1: the file system refused OFD locks, SQLite's own POSIX locks are used */
  guint     n_users;   /* SQLite descriptors of this inode that locked through us */
  gboolean  locked;    /* an OFD lock was taken: no going back to POSIX locks for this inode */
} LockInode;

static GMutex lock_mutex;
static GHashTable *by_fd;    /* SQLite's descriptor → LockInode */
static GPtrArray *inodes;    /* LockInode; a handful at most */

static LockInode *
find_inode (dev_t dev,
            ino_t ino)
{
  for (guint i = 0; i < inodes->len; i++)
    {
      LockInode *in = g_ptr_array_index (inodes, i);
      if (in->dev == dev && in->ino == ino)
        return in;
    }
  return NULL;
}

/* A new open file description of the inode @fd refers to, read-write if we may, never 0-2. */
static int
open_private (int                fd,
              const struct stat *st)
{
  char proc[64];
  struct stat again;
  int pfd;

  g_snprintf (proc, sizeof proc, "/proc/self/fd/%d", fd);
  pfd = open (proc, O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (pfd < 0 && (errno == EACCES || errno == EROFS || errno == EPERM))
    pfd = open (proc, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (pfd < 0)
    return -1;

  if (pfd <= STDERR_FILENO)
    {
      int high = real_fcntl (pfd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
      int saved = errno;

      real_close (pfd);
      errno = saved;
      if (high < 0)
        return -1;
      pfd = high;
    }

  if (fstat (pfd, &again) != 0 || again.st_dev != st->st_dev || again.st_ino != st->st_ino)
    {
      real_close (pfd);
      errno = EIO;
      return -1;
    }
  return pfd;
}

/* The inode of SQLite's @fd, counting @fd as one of its users; with @create, made if new.
 * Called with lock_mutex held.  NULL with errno set, or with errno 0 when there is none. */
static LockInode *
inode_for_fd (int      fd,
              gboolean create)
{
  LockInode *in = g_hash_table_lookup (by_fd, GINT_TO_POINTER (fd));
  struct stat st;

  if (in != NULL)
    return in;

  if (fstat (fd, &st) != 0)
    return NULL;
  in = find_inode (st.st_dev, st.st_ino);
  if (in == NULL)
    {
      int pfd;

      if (!create)
        {
          errno = 0;
          return NULL;
        }
      pfd = open_private (fd, &st);
      if (pfd < 0)
        return NULL;
      in = g_new0 (LockInode, 1);
      in->dev = st.st_dev;
      in->ino = st.st_ino;
      in->fd = pfd;
      g_ptr_array_add (inodes, in);
    }
  in->n_users++;
  g_hash_table_insert (by_fd, GINT_TO_POINTER (fd), in);
  return in;
}

static int
ofd_lock (int           fd,
          int           cmd,
          struct flock *lock)
{
  struct flock ofd = *lock;
  LockInode *in;
  int pfd, rc;

  g_mutex_lock (&lock_mutex);
  in = inode_for_fd (fd, cmd != F_GETLK && lock->l_type != F_UNLCK);
  pfd = in != NULL ? in->fd : -1;
  g_mutex_unlock (&lock_mutex);

  if (in == NULL)
    {
      if (errno != 0)
        return -1;
      /* Nothing of this inode was ever locked through us: nothing to release, and no lock of
       * ours to mistake for someone else's. */
      if (lock->l_type == F_UNLCK && cmd != F_GETLK)
        return 0;
      pfd = fd;
    }
  else if (pfd < 0)
    return real_fcntl (fd, cmd, lock);   /* this file system refused OFD locks */

  ofd.l_pid = 0;
  rc = real_fcntl (pfd, cmd == F_SETLK ? F_OFD_SETLK : cmd == F_SETLKW ? F_OFD_SETLKW : F_OFD_GETLK, &ofd);
  if (rc != 0 && errno == EINVAL && in != NULL && !in->locked)
    {
      /* The file system takes POSIX locks only (some network and FUSE ones): this file keeps
       * SQLite's own locks. */
      g_warning ("The file system refuses open file description locks: the database uses POSIX "
                 "locks, which another part of this program can release by closing the file");
      g_mutex_lock (&lock_mutex);
      if (in->fd >= 0)
        real_close (in->fd);
      in->fd = -1;
      g_mutex_unlock (&lock_mutex);
      return real_fcntl (fd, cmd, lock);
    }
  if (rc == 0 && in != NULL && cmd != F_GETLK)
    in->locked = TRUE;
  if (rc == 0 && cmd == F_GETLK)
    *lock = ofd;
  return rc;
}

/* SQLite's fcntl: the lock commands go to ofd_lock(), everything else through unchanged. */
static int
lock_fcntl (int fd,
            int cmd,
            ...)
{
  va_list ap;
  int rc;

  va_start (ap, cmd);
  switch (cmd)
    {
    case F_SETLK:
    case F_SETLKW:
    case F_GETLK:
      rc = ofd_lock (fd, cmd, va_arg (ap, struct flock *));
      break;
    case F_GETFD:
    case F_GETFL:
    case F_SETFD:
    case F_SETFL:
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
      rc = real_fcntl (fd, cmd, va_arg (ap, int));
      break;
    default:
      rc = real_fcntl (fd, cmd, va_arg (ap, void *));
    }
  va_end (ap);
  return rc;
}

/* SQLite's close: the last descriptor of an inode SQLite locked through us takes the private
 * descriptor with it, and so the OFD locks go exactly when the POSIX ones would have. */
static int
lock_close (int fd)
{
  LockInode *in;

  g_mutex_lock (&lock_mutex);
  in = g_hash_table_lookup (by_fd, GINT_TO_POINTER (fd));
  if (in != NULL)
    {
      g_hash_table_remove (by_fd, GINT_TO_POINTER (fd));
      if (--in->n_users == 0)
        {
          if (in->fd >= 0)
            real_close (in->fd);
          g_ptr_array_remove_fast (inodes, in);
          g_free (in);
        }
    }
  g_mutex_unlock (&lock_mutex);

  return real_close (fd);
}

/* Whether this kernel has OFD locks and the /proc reopen works.  CLIENTELE_POSIX_LOCKS=1 keeps
 * SQLite's own locks: for the tests of the fallback and to measure this layer (bench-locks). */
static gboolean
probe_ofd (void)
{
  g_autofree char *tmp = NULL;
  struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
  struct stat st;
  int fd, pfd = -1;
  gboolean ok;

  if (g_getenv ("CLIENTELE_POSIX_LOCKS") != NULL)
    return FALSE;

  fd = g_file_open_tmp ("clientele-lock-XXXXXX", &tmp, NULL);
  if (fd < 0)
    return FALSE;
  g_unlink (tmp);
  ok = fstat (fd, &st) == 0 && (pfd = open_private (fd, &st)) >= 0 &&
       real_fcntl (pfd, F_OFD_SETLK, &lock) == 0;
  if (pfd >= 0)
    real_close (pfd);
  real_close (fd);
  return ok;
}

#endif /* HAVE_OFD_LOCKS */

static gpointer
install (gpointer data)
{
  sqlite3_vfs *vfs;

  if (sqlite3_initialize () != SQLITE_OK || (vfs = sqlite3_vfs_find ("unix")) == NULL ||
      vfs->iVersion < 3 || vfs->xSetSystemCall == NULL)
    {
      g_warning ("SQLite has no unix VFS to adjust: its POSIX locks are used as they are");
      return NULL;
    }
  real_fcntl = (FcntlFunc) vfs->xGetSystemCall (vfs, "fcntl");
  real_close = (CloseFunc) vfs->xGetSystemCall (vfs, "close");

#if HAVE_OFD_LOCKS
  if (real_fcntl != NULL && real_close != NULL && probe_ofd ())
    {
      by_fd = g_hash_table_new (NULL, NULL);
      inodes = g_ptr_array_new ();
      /* The unix VFS variants share one table of system calls: this covers them all. */
      if (vfs->xSetSystemCall (vfs, "fcntl", (sqlite3_syscall_ptr) lock_fcntl) == SQLITE_OK &&
          vfs->xSetSystemCall (vfs, "close", (sqlite3_syscall_ptr) lock_close) == SQLITE_OK)
        {
          private_locks = TRUE;
          return NULL;
        }
      vfs->xSetSystemCall (vfs, "fcntl", NULL);
    }
#endif

  g_warning ("Open file description locks are not available: the database uses POSIX locks, "
             "which another part of this program can release by closing the file");
  return NULL;
}

/**
 * crm_store_lock_install:
 *
 * Puts the lock layer in place, once per process; before the first database is opened.
 */
void
crm_store_lock_install (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, install, NULL);
}

/* Whether the locks are the private OFD ones (FALSE: SQLite's stock POSIX locks). */
gboolean
crm_store_lock_is_private (void)
{
  crm_store_lock_install ();
  return private_locks;
}

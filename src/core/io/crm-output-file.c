/* crm-output-file.c: see crm-output-file.h for what happens to each kind of target.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why not g_file_replace(): for a new file it writes at the target's own name from the first
 * byte (a kill leaves half an export there), it writes through a symbolic link in place without
 * asking whose link it is, and it refuses FIFOs and devices instead of writing into them.
 *
 * The temporary file.  Where the kernel and the file system allow it (Linux ≥ 3.11; ext4, xfs,
 * btrfs, tmpfs), it is opened with O_TMPFILE: it has no name while it is written, so a kill —
 * even SIGKILL, which runs no clean-up — leaves nothing behind; at commit it is linked in at a
 * random name through /proc/self/fd and renamed over the target at once (linkat cannot replace
 * a name).  Elsewhere (FUSE, NFS, old kernels) it is created at a random name with
 * O_CREAT|O_EXCL|O_NOFOLLOW, so nothing planted at that name is followed or reused.  Either way
 * the file is flock()ed while it has a name; a later write to the same target removes the
 * temporary files of earlier runs whose lock is gone (their process died), so a killed export
 * leaves at most one stray file, until the next export to the same place.  CLIENTELE_NO_TMPFILE=1
 * in the environment takes the named way everywhere (the kill campaign and the tests run it).
 */
#define _GNU_SOURCE   /* O_TMPFILE */

#include "crm-output-file.h"
#include "crm-output-file-private.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define TMP_SUFFIX     ".clientele-tmp"
#define TMP_RANDOM     8
#define MAX_BASE_BYTES 200   /* the temporary name stays within NAME_MAX (255) */
#define MAX_LINK_HOPS  40    /* as the kernel's ELOOP limit */

typedef enum
{
  KIND_REPLACE,    /* a regular file, or none yet: temporary file, then rename */
  KIND_IN_PLACE,   /* a FIFO or a character device: written as it is */
  KIND_STDOUT,
} Kind;

struct _CrmOutputFile
{
  GObject        parent_instance;

  char          *path;       /* as given: what messages name */
  char          *dir;        /* the folder of the file replaced (a link's target's) */
  char          *base;
  Kind           kind;
  gboolean       existed;
  struct stat    original;   /* the target as it was, when it existed */
  int            fd;
  int            dir_fd;
  char          *tmp_name;   /* the temporary file's name in dir_fd, once it has one */
  gboolean       done;
  GOutputStream *stream;
};

G_DEFINE_FINAL_TYPE (CrmOutputFile, crm_output_file, G_TYPE_OBJECT)

static gboolean allow_anonymous = TRUE;

/* Tests run the named-temporary path too. */
void
crm_output_file_set_anonymous_allowed (gboolean allowed)
{
  allow_anonymous = allowed;
}

/* ---- the stream --------------------------------------------------------------------------
 *
 * Plain write(2) on the owner's descriptor, with errors that name the file; closing it does
 * nothing: crm_output_file_commit() decides what becomes of the bytes. */

#define CRM_TYPE_OUTPUT_FILE_STREAM (crm_output_file_stream_get_type ())
G_DECLARE_FINAL_TYPE (CrmOutputFileStream, crm_output_file_stream, CRM, OUTPUT_FILE_STREAM, GOutputStream)

struct _CrmOutputFileStream
{
  GOutputStream  parent_instance;
  CrmOutputFile *owner;   /* not a reference: cleared when the owner goes */
};

G_DEFINE_FINAL_TYPE (CrmOutputFileStream, crm_output_file_stream, G_TYPE_OUTPUT_STREAM)

static gssize
crm_output_file_stream_write (GOutputStream  *stream,
                              const void     *buffer,
                              gsize           count,
                              GCancellable   *cancellable,
                              GError        **error)
{
  CrmOutputFileStream *self = CRM_OUTPUT_FILE_STREAM (stream);
  gssize n;
  int saved;

  if (self->owner == NULL || self->owner->fd < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("The file is closed already"));
      return -1;
    }
  do
    n = write (self->owner->fd, buffer, MIN (count, (gsize) G_MAXSSIZE));
  while (n < 0 && errno == EINTR);
  if (n >= 0)
    return n;

  saved = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               _("Could not write “%s”: %s"), self->owner->path, g_strerror (saved));
  return -1;
}

static gboolean
crm_output_file_stream_close (GOutputStream  *stream,
                              GCancellable   *cancellable,
                              GError        **error)
{
  return TRUE;
}

static void
crm_output_file_stream_class_init (CrmOutputFileStreamClass *klass)
{
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  stream_class->write_fn = crm_output_file_stream_write;
  stream_class->close_fn = crm_output_file_stream_close;
}

static void
crm_output_file_stream_init (CrmOutputFileStream *self)
{
}

/* ---- the object ---------------------------------------------------------------------------- */

static void
crm_output_file_finalize (GObject *object)
{
  CrmOutputFile *self = CRM_OUTPUT_FILE (object);

  crm_output_file_abort (self);
  if (self->stream != NULL)
    CRM_OUTPUT_FILE_STREAM (self->stream)->owner = NULL;
  g_clear_object (&self->stream);
  if (self->dir_fd >= 0)
    close (self->dir_fd);
  g_free (self->path);
  g_free (self->dir);
  g_free (self->base);
  g_free (self->tmp_name);

  G_OBJECT_CLASS (crm_output_file_parent_class)->finalize (object);
}

static void
crm_output_file_class_init (CrmOutputFileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = crm_output_file_finalize;
}

static void
crm_output_file_init (CrmOutputFile *self)
{
  self->fd = -1;
  self->dir_fd = -1;
}

/* A GIOError from errno @saved, with the message @format makes of the arguments. */
static gboolean G_GNUC_PRINTF (3, 4)
io_error (GError     **error,
          int          saved,
          const char  *format,
          ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), message);
  return FALSE;
}

/* "Cannot write “PATH”: <the errno's text>" and its two variants. */
#define CANNOT_WRITE(error, saved, path) \
  io_error ((error), (saved), _("Cannot write “%s”: %s"), (path), g_strerror (saved))
#define COULD_NOT_WRITE(error, saved, path) \
  io_error ((error), (saved), _("Could not write “%s”: %s"), (path), g_strerror (saved))
#define CANNOT_WRITE_FOLDER(error, saved, path) \
  io_error ((error), (saved), _("Cannot write in the folder of “%s”: %s"), (path), g_strerror (saved))

/* ---- where the bytes go ---------------------------------------------------------------------- */

/* A link is followed when its owner is the user, or the owner of the folder it is in (who could
 * replace the target anyway): the kernel's fs.protected_symlinks rule, applied in every folder
 * rather than only in sticky world-writable ones, because a planted link in a shared group folder
 * is the same trap. */
static gboolean
link_trusted (const char        *link,
              const struct stat *st)
{
  g_autofree char *dir = g_path_get_dirname (link);
  struct stat dir_st;

  if (st->st_uid == geteuid ())
    return TRUE;
  return stat (dir, &dir_st) == 0 && dir_st.st_uid == st->st_uid;
}

/* Follows links at @path to what they name (which need not exist); fills self->original. */
static char *
resolve_target (CrmOutputFile  *self,
                GError        **error)
{
  g_autofree char *target = g_strdup (self->path);

  for (int hops = 0;; hops++)
    {
      g_autofree char *dest = NULL;

      if (lstat (target, &self->original) != 0)
        {
          int saved = errno;

          if (saved != ENOENT)
            return CANNOT_WRITE (error, saved, self->path), NULL;
          self->existed = FALSE;
          return g_steal_pointer (&target);
        }
      self->existed = TRUE;
      if (!S_ISLNK (self->original.st_mode))
        return g_steal_pointer (&target);

      if (hops == MAX_LINK_HOPS)
        return CANNOT_WRITE (error, ELOOP, self->path), NULL;
      if (!link_trusted (target, &self->original))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                       _("“%s” is a symbolic link made by another user: Clientele does not write through it"),
                       self->path);
          return NULL;
        }
      dest = g_file_read_link (target, error);
      if (dest == NULL)
        return NULL;
      if (!g_path_is_absolute (dest))
        {
          g_autofree char *dir = g_path_get_dirname (target);
          g_autofree char *joined = g_build_filename (dir, dest, NULL);

          g_free (target);
          target = g_steal_pointer (&joined);
        }
      else
        {
          g_free (target);
          target = g_steal_pointer (&dest);
        }
    }
}

/* A FIFO or a character device: opened as it is — no O_CREAT, no O_TRUNC — and checked to be
 * the node lstat() saw.  A FIFO blocks here until something reads it, as a shell's > does. */
static gboolean
open_in_place (CrmOutputFile  *self,
               const char     *target,
               GError        **error)
{
  struct stat st;

  self->kind = KIND_IN_PLACE;
  self->fd = g_open (target, O_WRONLY | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC, 0);
  if (self->fd < 0)
    {
      int saved = errno;
      return CANNOT_WRITE (error, saved, self->path);
    }
  if (fstat (self->fd, &st) != 0 || st.st_dev != self->original.st_dev || st.st_ino != self->original.st_ino)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("“%s” changed while it was being opened; nothing was written"), self->path);
      return FALSE;
    }
  return TRUE;
}

/* The base name cut to MAX_BASE_BYTES at a character boundary, for the temporary names. */
static char *
tmp_stem (const char *base)
{
  gsize len = strlen (base);

  if (len > MAX_BASE_BYTES)
    {
      len = MAX_BASE_BYTES;
      while (len > 0 && ((guchar) base[len] & 0xC0) == 0x80)
        len--;
    }
  return g_strndup (base, len);
}

/* ".NAME.<8 random>.clientele-tmp": unpredictable, so nothing can be planted there beforehand. */
static char *
tmp_name (const char *stem)
{
  static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  char random[TMP_RANDOM + 1];

  for (int i = 0; i < TMP_RANDOM; i++)
    random[i] = chars[g_random_int_range (0, sizeof chars - 1)];
  random[TMP_RANDOM] = '\0';
  return g_strconcat (".", stem, ".", random, TMP_SUFFIX, NULL);
}

static gboolean
is_tmp_name (const char *name,
             const char *stem)
{
  gsize stem_len = strlen (stem);
  gsize len = strlen (name);

  return len == 1 + stem_len + 1 + TMP_RANDOM + strlen (TMP_SUFFIX) &&
         name[0] == '.' && strncmp (name + 1, stem, stem_len) == 0 && name[1 + stem_len] == '.' &&
         g_str_has_suffix (name, TMP_SUFFIX);
}

/* Removes the temporary files earlier writes to this target left when they were killed: ours
 * (same owner), regular, and no longer locked by a live process. */
static void
remove_stale (int         dir_fd,
              const char *stem)
{
  int scan_fd = dup (dir_fd);
  DIR *dir;
  struct dirent *entry;

  if (scan_fd < 0 || (dir = fdopendir (scan_fd)) == NULL)
    {
      if (scan_fd >= 0)
        close (scan_fd);
      return;
    }
  rewinddir (dir);
  while ((entry = readdir (dir)) != NULL)
    {
      struct stat st;
      int fd;

      if (!is_tmp_name (entry->d_name, stem))
        continue;
      fd = openat (dir_fd, entry->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
      if (fd < 0)
        continue;
      if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && st.st_uid == geteuid () &&
          flock (fd, LOCK_EX | LOCK_NB) == 0)
        unlinkat (dir_fd, entry->d_name, 0);
      close (fd);
    }
  closedir (dir);
}

/* Gives the temporary file (open as self->fd) a random name in the folder; with @create, creates
 * it there too.  Locked before anyone can see it so remove_stale() leaves it alone; a name that
 * another process's remove_stale() took between the two is detected and a new one tried. */
static gboolean
name_temporary (CrmOutputFile  *self,
                gboolean        create,
                GError        **error)
{
  g_autofree char *stem = tmp_stem (self->base);
  g_autofree char *proc = create ? NULL : g_strdup_printf ("/proc/self/fd/%d", self->fd);

  for (int attempt = 0; attempt < 100; attempt++)
    {
      g_autofree char *name = tmp_name (stem);
      struct stat mine, named;

      if (create)
        {
          self->fd = openat (self->dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
          if (self->fd < 0 && errno == EEXIST)
            continue;
          if (self->fd < 0)
            {
              int saved = errno;
              return CANNOT_WRITE_FOLDER (error, saved, self->path);
            }
          flock (self->fd, LOCK_EX | LOCK_NB);
        }
      else
        {
          flock (self->fd, LOCK_EX | LOCK_NB);
          if (linkat (AT_FDCWD, proc, self->dir_fd, name, AT_SYMLINK_FOLLOW) != 0)
            {
              int saved = errno;

              if (saved == EEXIST)
                continue;
              return COULD_NOT_WRITE (error, saved, self->path);
            }
        }
      if (fstat (self->fd, &mine) == 0 && fstatat (self->dir_fd, name, &named, AT_SYMLINK_NOFOLLOW) == 0 &&
          mine.st_dev == named.st_dev && mine.st_ino == named.st_ino)
        {
          self->tmp_name = g_steal_pointer (&name);
          return TRUE;
        }
      if (create)
        {
          close (self->fd);
          self->fd = -1;
        }
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               _("Cannot write in the folder of “%s”: no free temporary name"), self->path);
  return FALSE;
}

/* The mode the result will have: a new file 0600, an existing one its own — unless its owner
 * or group cannot be kept, when nobody but the owner gets in (never wider than before). */
static void
set_mode (CrmOutputFile *self)
{
  mode_t mode = 0600;

  if (self->existed)
    {
      mode = self->original.st_mode & 0777;
      if ((self->original.st_uid != geteuid () || self->original.st_gid != getegid ()) &&
          fchown (self->fd, self->original.st_uid, self->original.st_gid) != 0)
        mode &= 0700;
    }
  fchmod (self->fd, mode);
}

static gboolean
open_temporary (CrmOutputFile  *self,
                const char     *target,
                GError        **error)
{
  g_autofree char *stem = NULL;

  self->kind = KIND_REPLACE;
  self->dir = g_path_get_dirname (target);
  self->base = g_path_get_basename (target);
  self->dir_fd = g_open (self->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (self->dir_fd < 0)
    {
      int saved = errno;
      return CANNOT_WRITE_FOLDER (error, saved, self->path);
    }

  stem = tmp_stem (self->base);
  remove_stale (self->dir_fd, stem);

  /* /proc is needed to give the file a name at the end (linkat's AT_EMPTY_PATH needs a
   * capability an ordinary user lacks). */
  if (allow_anonymous && g_getenv ("CLIENTELE_NO_TMPFILE") == NULL && access ("/proc/self/fd", X_OK) == 0)
    self->fd = openat (self->dir_fd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
  if (self->fd < 0 && !name_temporary (self, TRUE, error))
    return FALSE;

  set_mode (self);
  return TRUE;
}

/**
 * crm_output_file_new:
 * @path: where the result goes; "-" for standard output
 *
 * Returns: (transfer full): the file to write through crm_output_file_get_stream(), or %NULL
 *   with @error set when @path cannot be written (nothing is changed then).
 */
CrmOutputFile *
crm_output_file_new (const char  *path,
                     GError     **error)
{
  g_autoptr(CrmOutputFile) self = NULL;
  g_autofree char *target = NULL;
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (CRM_TYPE_OUTPUT_FILE, NULL);
  self->path = g_strdup (path);
  self->stream = g_object_new (CRM_TYPE_OUTPUT_FILE_STREAM, NULL);
  CRM_OUTPUT_FILE_STREAM (self->stream)->owner = self;

  if (g_str_equal (path, "-"))
    {
      /* What stdio holds goes first; closing the duplicate leaves standard output open. */
      fflush (stdout);
      self->kind = KIND_STDOUT;
      self->fd = fcntl (STDOUT_FILENO, F_DUPFD_CLOEXEC, 0);
      if (self->fd < 0)
        {
          int saved = errno;
          return CANNOT_WRITE (error, saved, _("standard output")), NULL;
        }
      return g_steal_pointer (&self);
    }

  if (*path == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME, _("No file name given"));
      return NULL;
    }
  if (!(target = resolve_target (self, error)))
    return NULL;

  if (!self->existed || S_ISREG (self->original.st_mode))
    ok = open_temporary (self, target, error);
  else if (S_ISFIFO (self->original.st_mode) || S_ISCHR (self->original.st_mode))
    ok = open_in_place (self, target, error);
  else if (S_ISDIR (self->original.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY, _("“%s” is a folder"), path);
      ok = FALSE;
    }
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("“%s” is not a file, a pipe or a character device: Clientele does not write to it"), path);
      ok = FALSE;
    }

  return ok ? g_steal_pointer (&self) : NULL;
}

/* Borrowed: valid while @self is.  Unbuffered; wrap it in a GBufferedOutputStream for small writes. */
GOutputStream *
crm_output_file_get_stream (CrmOutputFile *self)
{
  g_return_val_if_fail (CRM_IS_OUTPUT_FILE (self), NULL);
  return self->stream;
}

const char *
crm_output_file_get_path (CrmOutputFile *self)
{
  g_return_val_if_fail (CRM_IS_OUTPUT_FILE (self), NULL);
  return self->path;
}

/* Renames the temporary file over the target, unless the target became something that must not
 * be replaced meanwhile (a link is fine: rename replaces the link itself, never its target). */
static gboolean
replace_target (CrmOutputFile  *self,
                GError        **error)
{
  struct stat now;

  if (fstatat (self->dir_fd, self->base, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
      !S_ISREG (now.st_mode) && !S_ISLNK (now.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("“%s” was replaced by something that is not a file while it was written; it was left alone"),
                   self->path);
      return FALSE;
    }
  if (renameat (self->dir_fd, self->tmp_name, self->dir_fd, self->base) != 0)
    {
      int saved = errno;
      return COULD_NOT_WRITE (error, saved, self->path);
    }
  g_clear_pointer (&self->tmp_name, g_free);
  /* The rename itself made durable; a folder that cannot be synced has nothing to lose. */
  fsync (self->dir_fd);
  return TRUE;
}

/**
 * crm_output_file_commit:
 *
 * Makes what was written the target: synced to disk and renamed over it (a FIFO or a device:
 * just closed).  On failure (or when @cancellable is cancelled) the target is left as it was.
 * Either way @self is done with: later calls do nothing.
 */
gboolean
crm_output_file_commit (CrmOutputFile  *self,
                        GCancellable   *cancellable,
                        GError        **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (CRM_IS_OUTPUT_FILE (self), FALSE);

  if (self->done)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("The file is closed already"));
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      crm_output_file_abort (self);
      return FALSE;
    }

  if (self->kind == KIND_REPLACE)
    {
      if (fsync (self->fd) != 0)
        {
          int saved = errno;
          ok = COULD_NOT_WRITE (error, saved, self->path);
        }
      if (ok && self->tmp_name == NULL)
        ok = name_temporary (self, FALSE, error);
      if (ok)
        ok = replace_target (self, error);
    }
  else
    {
      /* A FIFO or a device: a late error (NFS-style) shows at close.  The descriptor is gone
       * whatever close() says. */
      int rc = close (self->fd);
      int saved = errno;

      self->fd = -1;
      if (rc != 0 && saved != EINTR)
        ok = COULD_NOT_WRITE (error, saved, self->path);
    }

  crm_output_file_abort (self);
  return ok;
}

/* Drops what was written: the temporary file goes, the target stays as it was.  Bytes already
 * written into a FIFO or a device cannot be taken back. */
void
crm_output_file_abort (CrmOutputFile *self)
{
  g_return_if_fail (CRM_IS_OUTPUT_FILE (self));

  if (self->tmp_name != NULL)
    unlinkat (self->dir_fd, self->tmp_name, 0);
  g_clear_pointer (&self->tmp_name, g_free);
  if (self->fd >= 0)
    close (self->fd);
  self->fd = -1;
  self->done = TRUE;
}

/* @source's bytes to @target, as any other output (for a file made elsewhere first, such as the
 * rejected rows the import dialog offers to save). */
gboolean
crm_output_file_copy (const char    *source,
                      const char    *target,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GFile) in_file = g_file_new_for_path (source);
  g_autoptr(GFileInputStream) in = g_file_read (in_file, cancellable, error);
  g_autoptr(CrmOutputFile) out = NULL;

  if (in == NULL || !(out = crm_output_file_new (target, error)))
    return FALSE;
  return g_output_stream_splice (out->stream, G_INPUT_STREAM (in), G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE,
                                 cancellable, error) >= 0 &&
         crm_output_file_commit (out, cancellable, error);
}

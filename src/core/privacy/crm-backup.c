/* crm-backup.c: the backup file — making it, reading it back.
 *
 * Why SQLite's backup API and never a copy of the file.  The database is in WAL mode: the file
 * alone is not the data (committed pages may still be in the -wal), and a copy taken while
 * another connection writes is a mix of two states.  And in this process a plain open() and
 * close() of the database file would, with SQLite's stock POSIX locks, drop every lock the
 * process holds on it (issue 12; crm-store-lock.c).  So the copy is made by a connection of the
 * store: it opens a read transaction (one committed state, however long the copy takes, while
 * writers go on: WAL readers do not block them), and sqlite3_backup_step() copies its pages into
 * a private temporary database in steps, so the copy reports progress and can be cancelled.
 * The read transaction is opened before the backup starts and held across the steps: the backup
 * then never sees the source change under it, so it never restarts however busy the writers are.
 *
 * The file.  A fixed header (below), then an XChaCha20-Poly1305 secretstream (libsodium): a first
 * empty message whose additional data is the whole header — it opens only with the right key and
 * an unaltered header, which tells a wrong passphrase from a damaged body — then the database in
 * chunks of CRM_BACKUP_CHUNK_SIZE, each with its own tag, the last one tagged FINAL; nothing may
 * follow it.  Truncation anywhere, an altered, dropped, repeated or reordered chunk all fail a
 * tag.  The key is Argon2id (crypto_pwhash) of the passphrase with a random salt; its cost is in
 * the header, so backups made with another cost still open.  The default is libsodium's
 * "moderate" (3 passes, 256 MiB): bench/RESULTS.md has what it costs on this machine — about a
 * second, once per backup, which is what makes guessing a passphrase slow.
 *
 *   0  magic "CLIENTELE-BACKUP"      16  u32 format version (1)   20  u32 header size (144)
 *  24  i32 schema version            28  u32 chunk size           32  u64 database bytes
 *  40  i64 made at (ms UTC)          48  u32 pwhash algorithm     52  u32 0
 *  56  u64 pwhash opslimit           64  u64 pwhash memlimit      72  salt[16]
 *  88  secretstream header[24]      112  BLAKE2b-256 of bytes 0–111 (a damaged header is told
 *                                        apart from a wrong passphrase)
 * Integers are little-endian.
 *
 * The plain text never leaves the database's folder: the copy (and, when reading back, the
 * decrypted database) is a 0600 temporary file beside the database, removed when done, and
 * flock()ed while in use so the next backup removes what a killed one left.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include "crm-backup-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm-output-file.h"

#define MAGIC           "CLIENTELE-BACKUP"
#define MAGIC_LEN       16
#define FORMAT_VERSION  1
#define KEY_BYTES       crypto_secretstream_xchacha20poly1305_KEYBYTES
#define ABYTES          crypto_secretstream_xchacha20poly1305_ABYTES
#define SS_HEADER_BYTES crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define SALT_BYTES      crypto_pwhash_SALTBYTES
#define SUM_OFFSET      112
/* Pages copied per step of the backup API: progress and cancel about every 4 MiB. */
#define STEP_PAGES      1024

G_STATIC_ASSERT (SALT_BYTES == 16);
G_STATIC_ASSERT (SS_HEADER_BYTES == 24);
G_STATIC_ASSERT (SUM_OFFSET + 32 == CRM_BACKUP_HEADER_SIZE);

G_DEFINE_QUARK (crm-backup-error-quark, crm_backup_error)

static guint64 pwhash_ops;
static gsize pwhash_mem;

void
crm_backup_set_pwhash_limits (guint64 opslimit,
                              gsize   memlimit)
{
  pwhash_ops = opslimit;
  pwhash_mem = memlimit;
}

static gboolean
sodium_ready (GError **error)
{
  static gsize done;
  static int rc;

  if (g_once_init_enter (&done))
    {
      rc = sodium_init ();
      g_once_init_leave (&done, 1);
    }
  if (rc < 0)
    {
      g_set_error_literal (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_FAILED,
                           _("The encryption library could not be started"));
      return FALSE;
    }
  return TRUE;
}

/* ---- the header -------------------------------------------------------------------------- */

typedef struct
{
  CrmBackupInfo info;
  guint32       chunk_size;
  guint32       alg;
  guint64       opslimit;
  guint64       memlimit;
  guchar        salt[SALT_BYTES];
  guchar        ss_header[SS_HEADER_BYTES];
  guchar        bytes[CRM_BACKUP_HEADER_SIZE];   /* as in the file */
} Header;

static void
put32 (guchar *p, guint32 v)
{
  v = GUINT32_TO_LE (v);
  memcpy (p, &v, 4);
}

static void
put64 (guchar *p, guint64 v)
{
  v = GUINT64_TO_LE (v);
  memcpy (p, &v, 8);
}

static guint32
get32 (const guchar *p)
{
  guint32 v;
  memcpy (&v, p, 4);
  return GUINT32_FROM_LE (v);
}

static guint64
get64 (const guchar *p)
{
  guint64 v;
  memcpy (&v, p, 8);
  return GUINT64_FROM_LE (v);
}

static void
header_pack (Header *h)
{
  guchar *b = h->bytes;

  memset (b, 0, sizeof h->bytes);
  memcpy (b, MAGIC, MAGIC_LEN);
  put32 (b + 16, FORMAT_VERSION);
  put32 (b + 20, CRM_BACKUP_HEADER_SIZE);
  put32 (b + 24, (guint32) h->info.schema_version);
  put32 (b + 28, h->chunk_size);
  put64 (b + 32, h->info.database_size);
  put64 (b + 40, (guint64) h->info.created_at);
  put32 (b + 48, h->alg);
  put64 (b + 56, h->opslimit);
  put64 (b + 64, h->memlimit);
  memcpy (b + 72, h->salt, SALT_BYTES);
  memcpy (b + 88, h->ss_header, SS_HEADER_BYTES);
  crypto_generichash (b + SUM_OFFSET, 32, b, SUM_OFFSET, NULL, 0);
}

static gboolean
damaged (GError    **error,
         const char *path,
         const char *why)
{
  /* Translators: the first %s is a file, the second why it is refused. */
  g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_DAMAGED,
               _("The backup “%s” is damaged: %s. Nothing was changed."), path, why);
  return FALSE;
}

/* Parses and checks @h->bytes; the limits keep a crafted file from asking for absurd work. */
static gboolean
header_unpack (Header      *h,
               gsize        n_read,
               const char  *path,
               GError     **error)
{
  const guchar *b = h->bytes;
  guchar sum[32];

  if (n_read < MAGIC_LEN || memcmp (b, MAGIC, MAGIC_LEN) != 0)
    {
      g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_NOT_BACKUP,
                   _("“%s” is not a Clientele backup."), path);
      return FALSE;
    }
  if (n_read < CRM_BACKUP_HEADER_SIZE)
    return damaged (error, path, _("it ends inside its header"));
  crypto_generichash (sum, sizeof sum, b, SUM_OFFSET, NULL, 0);
  if (sodium_memcmp (sum, b + SUM_OFFSET, sizeof sum) != 0)
    return damaged (error, path, _("its header was altered"));

  h->info.format_version = get32 (b + 16);
  if (h->info.format_version != FORMAT_VERSION || get32 (b + 20) != CRM_BACKUP_HEADER_SIZE)
    {
      g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_UNSUPPORTED,
                   _("The backup “%s” was made by a newer version of Clientele (backup format %u). "
                     "Update Clientele to read it."), path, h->info.format_version);
      return FALSE;
    }
  h->info.schema_version = (int) get32 (b + 24);
  h->chunk_size = get32 (b + 28);
  h->info.database_size = get64 (b + 32);
  h->info.created_at = (gint64) get64 (b + 40);
  h->alg = get32 (b + 48);
  h->opslimit = get64 (b + 56);
  h->memlimit = get64 (b + 64);
  memcpy (h->salt, b + 72, SALT_BYTES);
  memcpy (h->ss_header, b + 88, SS_HEADER_BYTES);

  if (h->info.schema_version <= 0 || h->chunk_size < 4096 || h->chunk_size > 64 * 1024 * 1024 ||
      h->info.database_size == 0 || h->info.database_size > ((guint64) 1 << 50) ||
      h->alg != crypto_pwhash_ALG_ARGON2ID13 ||
      h->opslimit < crypto_pwhash_OPSLIMIT_MIN || h->opslimit > 64 ||
      h->memlimit < crypto_pwhash_MEMLIMIT_MIN || h->memlimit > ((guint64) 4 << 30))
    return damaged (error, path, _("its header holds impossible values"));
  return TRUE;
}

/* Reads exactly @len bytes unless the file ends first: the count read, -1 on error. */
static gssize
read_full (int     fd,
           guchar *buf,
           gsize   len)
{
  gsize done = 0;

  while (done < len)
    {
      gssize n = read (fd, buf + done, len - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -1;
      if (n == 0)
        break;
      done += n;
    }
  return done;
}

static gboolean
read_error (GError    **error,
            const char *path)
{
  int saved = errno;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               _("Could not read “%s”: %s"), path, g_strerror (saved));
  return FALSE;
}

static int
open_backup (const char  *path,
             GError     **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);

  if (fd < 0)
    read_error (error, path);
  return fd;
}

gboolean
crm_backup_read_info (const char     *path,
                      CrmBackupInfo  *info,
                      GError        **error)
{
  Header h = { 0 };
  gssize n;
  int fd;

  if (!sodium_ready (error) || (fd = open_backup (path, error)) < 0)
    return FALSE;
  n = read_full (fd, h.bytes, sizeof h.bytes);
  if (n < 0)
    {
      read_error (error, path);
      close (fd);
      return FALSE;
    }
  close (fd);
  if (!header_unpack (&h, n, path, error))
    return FALSE;
  *info = h.info;
  return TRUE;
}

static gboolean
derive_key (const Header *h,
            const char   *passphrase,
            guchar        key[KEY_BYTES],
            GError      **error)
{
  if (crypto_pwhash (key, KEY_BYTES, passphrase, strlen (passphrase), h->salt, h->opslimit,
                     (size_t) h->memlimit, (int) h->alg) != 0)
    {
      g_set_error_literal (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_FAILED,
                           _("Not enough memory to derive the backup key from the passphrase"));
      return FALSE;
    }
  return TRUE;
}

/* ---- private temporary files --------------------------------------------------------------- */

static gboolean
is_temp_of (const char *name,
            const char *prefix)
{
  return g_str_has_prefix (name, prefix) && strlen (name) == strlen (prefix) + 6;
}

char *
crm_backup_temp_new (const char  *dir,
                     const char  *base,
                     int         *out_fd,
                     GError     **error)
{
  g_autofree char *prefix = g_strdup_printf (".%s.backup-", base);
  g_autofree char *templ = g_strdup_printf ("%s/%sXXXXXX", dir, prefix);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  int fd;

  /* What killed backups and restores left: nobody holds their lock any more. */
  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *stale = NULL;
      int sfd;

      if (!is_temp_of (name, prefix))
        continue;
      stale = g_build_filename (dir, name, NULL);
      sfd = g_open (stale, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0);
      if (sfd < 0)
        continue;
      if (flock (sfd, LOCK_EX | LOCK_NB) == 0)
        g_unlink (stale);
      close (sfd);
    }

  fd = g_mkstemp_full (templ, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot write in the folder “%s”: %s"), dir, g_strerror (saved));
      return NULL;
    }
  flock (fd, LOCK_EX | LOCK_NB);
  *out_fd = fd;
  return g_steal_pointer (&templ);
}

void
crm_backup_temp_free (char *path,
                      int   fd)
{
  if (path != NULL)
    {
      g_unlink (path);
      /* A database opened there in WAL mode (an upgrade) leaves these while it is open. */
      for (guint i = 0; i < 2; i++)
        {
          g_autofree char *side = g_strconcat (path, i == 0 ? "-wal" : "-shm", NULL);
          g_unlink (side);
        }
    }
  if (fd >= 0)
    close (fd);
  g_free (path);
}

/* ---- copying pages ------------------------------------------------------------------------- */

static gboolean
sqlite_error (GError     **error,
              sqlite3     *db,
              const char  *what,
              int          rc)
{
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_FAILED,
                 _("“%s” is locked by another program. Close it and try again."), what);
  else
    g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_FAILED,
                 _("Could not copy “%s”: %s"), what, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  return FALSE;
}

gboolean
crm_backup_copy_pages (sqlite3               *dst,
                       sqlite3               *src,
                       const char            *what,
                       CrmBackupProgressFunc  progress,
                       gpointer               progress_data,
                       double                 base,
                       double                 span,
                       GCancellable          *cancellable,
                       GError               **error)
{
  sqlite3_backup *backup = sqlite3_backup_init (dst, "main", src, "main");
  gint64 busy_since = 0;
  int rc;

  if (backup == NULL)
    return sqlite_error (error, dst, what, sqlite3_errcode (dst));

  for (;;)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          sqlite3_backup_finish (backup);   /* rolls back what it wrote to @dst */
          return FALSE;
        }
      rc = sqlite3_backup_step (backup, STEP_PAGES);
      if (rc == SQLITE_DONE)
        break;
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        {
          /* Another connection writes to @dst: wait for it, as long as a user edit would. */
          if (busy_since == 0)
            busy_since = g_get_monotonic_time ();
          if (g_get_monotonic_time () - busy_since > 30 * G_USEC_PER_SEC)
            {
              sqlite3_backup_finish (backup);
              return sqlite_error (error, NULL, what, rc);
            }
          g_usleep (20000);
          continue;
        }
      if (rc != SQLITE_OK)
        {
          sqlite3_backup_finish (backup);
          return sqlite_error (error, dst, what, rc);
        }
      busy_since = 0;
      if (progress != NULL && sqlite3_backup_pagecount (backup) > 0)
        progress (base + span * (1.0 - (double) sqlite3_backup_remaining (backup) /
                                          sqlite3_backup_pagecount (backup)),
                  progress_data);
    }
  rc = sqlite3_backup_finish (backup);
  if (rc != SQLITE_OK)
    return sqlite_error (error, dst, what, rc);
  if (progress != NULL)
    progress (base + span, progress_data);
  return TRUE;
}

/* ---- making a backup ------------------------------------------------------------------------ */

/* @store's database, as one committed state, into the private file @tmp_path. */
static gboolean
snapshot (CrmStore               *store,
          const char             *tmp_path,
          int                    *out_schema,
          CrmBackupProgressFunc   progress,
          gpointer                progress_data,
          GCancellable           *cancellable,
          GError                **error)
{
  sqlite3 *src = crm_store_get_db (store);
  sqlite3 *dst = NULL;
  gboolean ok;
  int rc;

  rc = sqlite3_open_v2 (tmp_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (dst, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      sqlite_error (error, dst, tmp_path, rc);
      sqlite3_close (dst);
      return FALSE;
    }

  /* The read transaction that fixes the state copied (see the top of the file). */
  rc = sqlite3_exec (src, "BEGIN DEFERRED; SELECT count(*) FROM sqlite_master;", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      sqlite_error (error, src, crm_store_get_path (store), rc);
      sqlite3_exec (src, "ROLLBACK", NULL, NULL, NULL);
      sqlite3_close (dst);
      return FALSE;
    }
  *out_schema = (int) crm_db_query_int64 (src, "PRAGMA user_version", 0);
  ok = crm_backup_copy_pages (dst, src, crm_store_get_path (store), progress, progress_data, 0, 0.5,
                              cancellable, error);
  sqlite3_exec (src, "COMMIT", NULL, NULL, NULL);
  if (sqlite3_close (dst) != SQLITE_OK && ok)
    ok = sqlite_error (error, NULL, tmp_path, SQLITE_IOERR);
  return ok;
}

static gboolean
write_all (GOutputStream  *out,
           const guchar   *buf,
           gsize           len,
           GCancellable   *cancellable,
           GError        **error)
{
  return g_output_stream_write_all (out, buf, len, NULL, cancellable, error);
}

/* The header, the key check and the chunks of @fd (@size bytes) to @out. */
static gboolean
encrypt_file (int                     fd,
              Header                 *h,
              const char             *passphrase,
              GOutputStream          *out,
              CrmBackupProgressFunc   progress,
              gpointer                progress_data,
              GCancellable           *cancellable,
              GError                **error)
{
  crypto_secretstream_xchacha20poly1305_state state;
  guchar key[KEY_BYTES];
  guchar check[ABYTES];
  g_autofree guchar *plain = g_malloc (h->chunk_size);
  g_autofree guchar *cipher = g_malloc ((gsize) h->chunk_size + ABYTES);
  guint64 done = 0;
  gboolean ok = FALSE;

  randombytes_buf (h->salt, sizeof h->salt);
  if (!derive_key (h, passphrase, key, error))
    return FALSE;
  crypto_secretstream_xchacha20poly1305_init_push (&state, h->ss_header, key);
  sodium_memzero (key, sizeof key);
  header_pack (h);
  crypto_secretstream_xchacha20poly1305_push (&state, check, NULL, NULL, 0, h->bytes, sizeof h->bytes,
                                              crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
  if (!write_all (out, h->bytes, sizeof h->bytes, cancellable, error) ||
      !write_all (out, check, sizeof check, cancellable, error))
    goto out;

  if (lseek (fd, 0, SEEK_SET) < 0)
    goto out;
  do
    {
      gsize len = (gsize) MIN ((guint64) h->chunk_size, h->info.database_size - done);
      gboolean last = done + len == h->info.database_size;
      unsigned long long clen = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      if (read_full (fd, plain, len) != (gssize) len)
        {
          g_set_error_literal (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_FAILED,
                               _("The copy of the database changed while it was being encrypted"));
          goto out;
        }
      crypto_secretstream_xchacha20poly1305_push (&state, cipher, &clen, plain, len, NULL, 0,
                                                  last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                                                       : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
      if (!write_all (out, cipher, clen, cancellable, error))
        goto out;
      done += len;
      if (progress != NULL)
        progress (0.5 + 0.5 * (double) done / h->info.database_size, progress_data);
    }
  while (done < h->info.database_size);
  ok = TRUE;

out:
  sodium_memzero (plain, h->chunk_size);
  sodium_memzero (&state, sizeof state);
  return ok;
}

gboolean
crm_backup_check_passphrase (const char  *passphrase,
                             GError     **error)
{
  if (passphrase == NULL || !g_utf8_validate (passphrase, -1, NULL) ||
      g_utf8_strlen (passphrase, -1) < CRM_BACKUP_MIN_PASSPHRASE)
    {
      g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_WEAK,
                   g_dngettext (GETTEXT_PACKAGE,
                                "A backup passphrase needs at least %d character.",
                                "A backup passphrase needs at least %d characters.",
                                CRM_BACKUP_MIN_PASSPHRASE),
                   CRM_BACKUP_MIN_PASSPHRASE);
      return FALSE;
    }
  return TRUE;
}

gboolean
crm_backup_create (CrmStore               *store,
                   const char             *path,
                   const char             *passphrase,
                   CrmBackupProgressFunc   progress,
                   gpointer                progress_data,
                   GCancellable           *cancellable,
                   GError                **error)
{
  g_autoptr(CrmOutputFile) out = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  char *tmp_path = NULL;
  Header h = { 0 };
  struct stat st;
  gint64 started;
  int fd = -1;
  gboolean ok = FALSE;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!crm_backup_check_passphrase (passphrase, error) || !sodium_ready (error))
    return FALSE;
  /* The target first: a folder that cannot be written fails before the long copy. */
  out = crm_output_file_new (path, error);
  if (out == NULL)
    return FALSE;

  dir = g_path_get_dirname (crm_store_get_path (store));
  base = g_path_get_basename (crm_store_get_path (store));
  tmp_path = crm_backup_temp_new (dir, base, &fd, NULL);
  if (tmp_path == NULL)
    {
      /* A database in a folder this process cannot write (it is open read-only): the private copy
       * goes to the user's own cache folder, 0700, instead. */
      g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "clientele", NULL);

      if (g_mkdir_with_parents (cache, 0700) == 0)
        tmp_path = crm_backup_temp_new (cache, base, &fd, error);
      else
        tmp_path = crm_backup_temp_new (dir, base, &fd, error);
      if (tmp_path == NULL)
        goto out;
    }
  started = g_get_monotonic_time ();
  if (!snapshot (store, tmp_path, &h.info.schema_version, progress, progress_data, cancellable, error))
    goto out;
  g_debug ("backup: copy of %s made in %.2f s", crm_store_get_path (store), (g_get_monotonic_time () - started) / 1e6);
  started = g_get_monotonic_time ();
  if (fstat (fd, &st) != 0)
    {
      read_error (error, tmp_path);
      goto out;
    }

  h.info.database_size = st.st_size;
  h.info.created_at = g_get_real_time () / 1000;
  h.chunk_size = CRM_BACKUP_CHUNK_SIZE;
  h.alg = crypto_pwhash_ALG_ARGON2ID13;
  h.opslimit = pwhash_ops != 0 ? pwhash_ops : crypto_pwhash_OPSLIMIT_MODERATE;
  h.memlimit = pwhash_mem != 0 ? pwhash_mem : crypto_pwhash_MEMLIMIT_MODERATE;
  if (!encrypt_file (fd, &h, passphrase, crm_output_file_get_stream (out), progress, progress_data,
                     cancellable, error))
    goto out;
  ok = crm_output_file_commit (out, cancellable, error);
  g_debug ("backup: key, encryption and writing %.2f s", (g_get_monotonic_time () - started) / 1e6);

out:
  if (!ok)
    crm_output_file_abort (out);
  crm_backup_temp_free (tmp_path, fd);
  return ok;
}

/* ---- reading a backup back ------------------------------------------------------------------ */

/* Decrypts @path into @tmp_fd, checking every tag; the header in @h. */
static gboolean
decrypt_stream (int                     fd,
                int                     tmp_fd,
                const char             *path,
                const char             *passphrase,
                Header                 *h,
                CrmBackupProgressFunc   progress,
                gpointer                progress_data,
                double                  span,
                GCancellable           *cancellable,
                GError                **error)
{
  crypto_secretstream_xchacha20poly1305_state state;
  guchar key[KEY_BYTES];
  guchar check[ABYTES];
  g_autofree guchar *plain = g_malloc (h->chunk_size);
  g_autofree guchar *cipher = g_malloc ((gsize) h->chunk_size + ABYTES);
  guint64 done = 0;
  guchar tag = 0;
  gboolean ok = FALSE;

  if (!derive_key (h, passphrase, key, error))
    return FALSE;
  crypto_secretstream_xchacha20poly1305_init_pull (&state, h->ss_header, key);
  sodium_memzero (key, sizeof key);
  if (read_full (fd, check, sizeof check) != sizeof check)
    return damaged (error, path, _("it ends after its header"));
  if (crypto_secretstream_xchacha20poly1305_pull (&state, NULL, NULL, &tag, check, sizeof check,
                                                  h->bytes, sizeof h->bytes) != 0)
    {
      g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_PASSPHRASE,
                   _("Wrong passphrase for the backup “%s”. Nothing was changed."), path);
      return FALSE;
    }

  while (done < h->info.database_size)
    {
      gsize len = (gsize) MIN ((guint64) h->chunk_size, h->info.database_size - done);
      gboolean last = done + len == h->info.database_size;
      gssize n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      n = read_full (fd, cipher, len + ABYTES);
      if (n < 0)
        {
          read_error (error, path);
          goto out;
        }
      if (n != (gssize) (len + ABYTES))
        {
          damaged (error, path, _("it is incomplete (cut short)"));
          goto out;
        }
      if (crypto_secretstream_xchacha20poly1305_pull (&state, plain, NULL, &tag, cipher, n, NULL, 0) != 0 ||
          (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) != last)
        {
          damaged (error, path, _("its contents were altered"));
          goto out;
        }
      if (write (tmp_fd, plain, len) != (gssize) len)
        {
          int saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not write the restored database: %s"), g_strerror (saved != 0 ? saved : ENOSPC));
          goto out;
        }
      done += len;
      if (progress != NULL)
        progress (span * (double) done / h->info.database_size, progress_data);
    }
  if (read_full (fd, check, 1) != 0)
    {
      damaged (error, path, _("something was added after its end"));
      goto out;
    }
  ok = TRUE;

out:
  sodium_memzero (plain, h->chunk_size);
  sodium_memzero (&state, sizeof state);
  return ok;
}

/* Checks the decrypted database at @tmp_path: integrity, and that it is the Clientele database
 * the header describes; counts its customers and orders into @info. */
static gboolean
check_database (const char     *tmp_path,
                const char     *path,
                CrmBackupInfo  *info,
                GError        **error)
{
  sqlite3 *db = NULL;
  g_autofree char *result = NULL;
  int rc;

  rc = sqlite3_open_v2 (tmp_path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      sqlite3_close (db);
      return damaged (error, path, _("the database in it cannot be opened"));
    }
  result = crm_db_query_text (db, "PRAGMA integrity_check");
  if (g_strcmp0 (result, "ok") != 0)
    {
      sqlite3_close (db);
      return damaged (error, path, _("the database in it fails its integrity check"));
    }
  if (crm_db_query_int64 (db, "PRAGMA user_version", -1) != info->schema_version)
    {
      sqlite3_close (db);
      return damaged (error, path, _("the database in it is not the one its header describes"));
    }
  info->customers = crm_db_query_int64 (db, "SELECT count(*) FROM customers WHERE deleted_at IS NULL", -1);
  info->orders = crm_db_query_int64 (db, "SELECT count(*) FROM orders WHERE deleted_at IS NULL", -1);
  sqlite3_close (db);
  return TRUE;
}

/* The whole check: the decrypted database stays at *@out_tmp (descriptor *@out_fd) for a restore;
 * verify removes it. */
gboolean
crm_backup_open_checked (const char             *path,
                         const char             *passphrase,
                         const char             *work_dir,
                         const char             *work_base,
                         CrmBackupInfo          *info,
                         char                  **out_tmp,
                         int                    *out_fd,
                         CrmBackupProgressFunc   progress,
                         gpointer                progress_data,
                         double                  span,
                         GCancellable           *cancellable,
                         GError                **error)
{
  Header h = { 0 };
  char *tmp_path = NULL;
  int tmp_fd = -1;
  gssize n;
  int fd;

  if (passphrase == NULL || *passphrase == '\0')
    {
      g_set_error_literal (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_PASSPHRASE,
                           _("The backup’s passphrase is needed."));
      return FALSE;
    }
  if (!sodium_ready (error) || (fd = open_backup (path, error)) < 0)
    return FALSE;
  n = read_full (fd, h.bytes, sizeof h.bytes);
  if (n < 0 || !header_unpack (&h, n, path, error))
    {
      if (n < 0)
        read_error (error, path);
      close (fd);
      return FALSE;
    }
  tmp_path = crm_backup_temp_new (work_dir, work_base, &tmp_fd, error);
  if (tmp_path == NULL ||
      !decrypt_stream (fd, tmp_fd, path, passphrase, &h, progress, progress_data, span * 0.8, cancellable, error) ||
      !check_database (tmp_path, path, &h.info, error))
    {
      close (fd);
      crm_backup_temp_free (tmp_path, tmp_fd);
      return FALSE;
    }
  close (fd);
  if (progress != NULL)
    progress (span, progress_data);
  *info = h.info;
  *out_tmp = tmp_path;
  *out_fd = tmp_fd;
  return TRUE;
}

gboolean
crm_backup_verify (const char             *path,
                   const char             *passphrase,
                   const char             *work_dir,
                   CrmBackupInfo          *info,
                   CrmBackupProgressFunc   progress,
                   gpointer                progress_data,
                   GCancellable           *cancellable,
                   GError                **error)
{
  CrmBackupInfo local = { 0 };
  char *tmp_path = NULL;
  int tmp_fd = -1;

  g_return_val_if_fail (path != NULL && work_dir != NULL, FALSE);

  if (!crm_backup_open_checked (path, passphrase, work_dir, "verify", &local, &tmp_path, &tmp_fd,
                                progress, progress_data, 1.0, cancellable, error))
    return FALSE;
  crm_backup_temp_free (tmp_path, tmp_fd);
  if (info != NULL)
    *info = local;
  return TRUE;
}

/* bench-backup.c: encrypted backup, verify and restore throughput (issue 18's budget: ≥ 100 MB/s
 * including encryption on the 1M/10M database), with the sqlite3 shell's own .backup of the same
 * file in the same run as the reference.
 *
 *   bench-backup DB WORKDIR
 *
 * DB is read (a backup is made of it); WORKDIR receives the backup, a fresh database restored
 * from it and the reference copy, all removed at the end.  See bench/RESULTS.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "crm-backup.h"
#include "crm-store.h"

#define PASSPHRASE "a benchmark passphrase"

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

static double
mb (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_size / 1e6 : 0;
}

static void
check (gboolean ok, GError *error)
{
  if (!ok)
    {
      fprintf (stderr, "bench-backup: %s\n", error != NULL ? error->message : "failed");
      exit (1);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) source = NULL;
  g_autoptr(CrmStore) target = NULL;
  g_autofree char *file = NULL;
  g_autofree char *restored = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *load = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *cmd = NULL;
  guchar key[32], salt[crypto_pwhash_SALTBYTES] = { 0 };
  CrmBackupInfo info = { 0 };
  double t, size, pwhash_s;

  if (argc != 3)
    {
      fprintf (stderr, "usage: bench-backup DB WORKDIR\n");
      return 2;
    }
  crm_store_lock_install ();
  file = g_build_filename (argv[2], "bench.clbackup", NULL);
  restored = g_build_filename (argv[2], "restored.db", NULL);
  reference = g_build_filename (argv[2], "reference.db", NULL);
  size = mb (argv[1]);
  g_file_get_contents ("/proc/loadavg", &load, NULL, NULL);
  printf ("database %s: %.1f MB; load average at start: %s", argv[1], size, load != NULL ? load : "?\n");

  /* Argon2id "moderate": paid once per backup, verify and restore. */
  if (sodium_init () < 0)
    return 1;
  t = now_s ();
  if (crypto_pwhash (key, sizeof key, PASSPHRASE, strlen (PASSPHRASE), salt, crypto_pwhash_OPSLIMIT_MODERATE,
                 crypto_pwhash_MEMLIMIT_MODERATE, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return 1;
  pwhash_s = now_s () - t;
  printf ("Argon2id moderate (3 passes, 256 MiB): %.2f s\n", pwhash_s);

  /* Reference: the sqlite3 shell's .backup (the same API, no encryption). */
  cmd = g_strdup_printf ("sqlite3 '%s' \".backup '%s'\"", argv[1], reference);
  t = now_s ();
  if (system (cmd) != 0)
    fprintf (stderr, "bench-backup: the sqlite3 shell failed\n");
  t = now_s () - t;
  printf ("sqlite3 .backup (reference, not encrypted): %.2f s, %.0f MB/s\n", t, size / t);
  g_unlink (reference);

  source = crm_store_open_reader (argv[1], &error);
  check (source != NULL, error);
  t = now_s ();
  check (crm_backup_create (source, file, PASSPHRASE, NULL, NULL, NULL, &error), error);
  t = now_s () - t;
  printf ("backup create: %.2f s, %.0f MB/s (file %.1f MB)\n", t, size / t, mb (file));

  t = now_s ();
  check (crm_backup_verify (file, PASSPHRASE, argv[2], &info, NULL, NULL, NULL, &error), error);
  t = now_s () - t;
  printf ("backup verify (decrypt + integrity_check): %.2f s, %.0f MB/s; %" G_GINT64_FORMAT " customers, %"
          G_GINT64_FORMAT " orders\n", t, size / t, info.customers, info.orders);

  target = crm_store_open (restored, &error);
  check (target != NULL, error);
  t = now_s ();
  check (crm_backup_restore (target, file, PASSPHRASE, &kept, NULL, NULL, NULL, &error), error);
  t = now_s () - t;
  printf ("backup restore (decrypt + integrity_check + dated copy + copy in): %.2f s, %.0f MB/s\n", t, size / t);
  g_clear_object (&target);

  g_free (load);
  load = NULL;
  g_file_get_contents ("/proc/loadavg", &load, NULL, NULL);
  printf ("load average at end: %s", load != NULL ? load : "?\n");
  g_unlink (file);
  g_unlink (restored);
  g_unlink (kept);
  return 0;
}

/* crm-output-file.h: every file Clientele writes for the user (exports, reports, rejected rows)
 * is written through one of these.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the target path may be, and what happens to it:
 * - "-": standard output.
 * - nothing yet, or a regular file: the bytes go to a temporary file in the same folder (with no
 *   name at all where the kernel and file system allow it, else a random one created exclusively),
 *   which is synced and renamed over the target by crm_output_file_commit() — readers see the old
 *   file or the whole new one, an error or a cancel leaves the target as it was.  A new file is
 *   0600 (everything Clientele exports names customers); an existing file keeps its mode.
 * - a FIFO or a character device (/dev/null, /dev/stdout, a terminal): written in place, never
 *   replaced, never created or truncated.  Nothing written there can be taken back.
 * - a symbolic link: followed when its owner is the user running Clientele or the owner of the
 *   folder it is in (the rule of the kernel's fs.protected_symlinks), and the file it points to
 *   is treated as above; a link someone else planted in a shared folder such as /tmp is refused.
 * - a folder, a block device, a socket: refused with a message.
 * Nothing is ever written at a predictable name beside the target (the old PATH.partial), so a
 * link planted there cannot redirect the bytes.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CRM_TYPE_OUTPUT_FILE (crm_output_file_get_type ())

G_DECLARE_FINAL_TYPE (CrmOutputFile, crm_output_file, CRM, OUTPUT_FILE, GObject)

CrmOutputFile *crm_output_file_new         (const char     *path,
                                            GError        **error);
GOutputStream *crm_output_file_get_stream  (CrmOutputFile  *self);
const char    *crm_output_file_get_path    (CrmOutputFile  *self);
gboolean       crm_output_file_commit      (CrmOutputFile  *self,
                                            GCancellable   *cancellable,
                                            GError        **error);
void           crm_output_file_abort       (CrmOutputFile  *self);

gboolean       crm_output_file_copy        (const char     *source,
                                            const char     *target,
                                            GCancellable   *cancellable,
                                            GError        **error);

G_END_DECLS

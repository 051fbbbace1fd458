/* crm-output-file-private.h: for the tests of crm-output-file.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* FALSE: every temporary file gets a random name at once, as on file systems without O_TMPFILE. */
void  crm_output_file_set_anonymous_allowed  (gboolean  allowed);

G_END_DECLS

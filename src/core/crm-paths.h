/* crm-paths.h: where the program's translations and settings schema are.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The build directory when this binary runs from it (uninstalled), else NULL. */
const char *crm_paths_get_build_dir   (void);
/* Where the .mo files are: the build tree's po/ when uninstalled, else LOCALEDIR. */
const char *crm_paths_get_locale_dir  (void);
/* setlocale() and the text domain, in the user's language wherever the binary runs from. */
void        crm_paths_init_i18n       (void);

G_END_DECLS

/* crm-paths.c: where the program's translations and settings schema are.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The README says `_build/src/clientele` and `_build/src/cli/clientele-cli` work without
 * installing; a binary that looks for its translations only under the install prefix speaks
 * English to a Chinese user there, and the app cannot find its settings schema.  So a binary
 * that runs from the build tree it was built in (its own path, /proc/self/exe, lies below
 * CRM_BUILD_ROOT) takes both from that tree, as `meson devenv` would set them up.  An installed
 * binary, or one copied elsewhere, uses LOCALEDIR as before.
 */
#include "crm-paths.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

const char *
crm_paths_get_build_dir (void)
{
  static gsize once = 0;
  static char *build_dir = NULL;

  if (g_once_init_enter (&once))
    {
      g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
      g_autofree char *prefix = g_strconcat (CRM_BUILD_ROOT, G_DIR_SEPARATOR_S, NULL);

      if (exe != NULL && g_str_has_prefix (exe, prefix))
        build_dir = g_strdup (CRM_BUILD_ROOT);
      g_once_init_leave (&once, 1);
    }

  return build_dir;
}

const char *
crm_paths_get_locale_dir (void)
{
  static gsize once = 0;
  static char *locale_dir = NULL;

  if (g_once_init_enter (&once))
    {
      const char *build_dir = crm_paths_get_build_dir ();

      locale_dir = build_dir != NULL ? g_build_filename (build_dir, "po", NULL) : g_strdup (LOCALEDIR);
      g_once_init_leave (&once, 1);
    }

  return locale_dir;
}

void
crm_paths_init_i18n (void)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, crm_paths_get_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

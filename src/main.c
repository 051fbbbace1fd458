/* main.c: clientele, the GUI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-application.h"
#include "crm-bench.h"
#include "crm-paths.h"
#include "crm-store.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CrmApplication) app = NULL;
  GSettingsSchemaSource *source;
  g_autoptr(GSettingsSchema) schema = NULL;

  crm_bench_mark_main ();
  /* Before GTK or any library can open an SQLite database in this process. */
  crm_store_lock_install ();
  crm_paths_init_i18n ();

  /* From the build tree, the schema compiled there (as `meson devenv` would set it). */
  if (crm_paths_get_build_dir () != NULL && g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    {
      g_autofree char *schemas = g_build_filename (crm_paths_get_build_dir (), "data", NULL);
      g_setenv ("GSETTINGS_SCHEMA_DIR", schemas, TRUE);
    }

  /* Without its schema GSettings aborts; say what to do instead. */
  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_printerr (_("The settings schema %s is not installed. Install Clientele "
                    "(meson install) or run it from the build tree with "
                    "GSETTINGS_SCHEMA_DIR=BUILDDIR/data.\n"), APP_ID);
      return 1;
    }

  app = crm_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}

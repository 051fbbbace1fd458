/* crm-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "crm-application.h"
#include "crm-backup-scheduler.h"
#include "crm-bench.h"
#include "crm-resources.h"
#include "crm-preferences-window.h"
#include "crm-ui-util.h"
#include "crm-window.h"

struct _CrmApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  char           *database_path;
  char           *demo_dir;
  CrmSession     *session;        /* the shop at database_path, made on first use */
  GObject        *backup_scheduler;
};

G_DEFINE_FINAL_TYPE (CrmApplication, crm_application, ADW_TYPE_APPLICATION)

enum
{
  PROP_0,
  PROP_DATABASE_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GOptionEntry option_entries[] = {
  { "database", 'd', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Open the customer database at PATH"), N_("PATH") },
  { "demo", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Open a generated sample shop in a temporary database"), NULL },
  { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and exit"), NULL },
  { NULL }
};

CrmApplication *
crm_application_new (void)
{
  return g_object_new (CRM_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/clientele/Clientele",
                       NULL);
}

GSettings *
crm_application_get_settings (CrmApplication *self)
{
  g_return_val_if_fail (CRM_IS_APPLICATION (self), NULL);

  return self->settings;
}

static char *
default_database_path (CrmApplication *self)
{
  const char *env = g_getenv ("CLIENTELE_DB");
  g_autofree char *setting = NULL;

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  setting = g_settings_get_string (self->settings, "database-path");
  if (setting[0] != '\0')
    return g_steal_pointer (&setting);

  return g_build_filename (g_get_user_data_dir (), "clientele", "clientele.db", NULL);
}

const char *
crm_application_get_database_path (CrmApplication *self)
{
  g_return_val_if_fail (CRM_IS_APPLICATION (self), NULL);

  if (self->database_path == NULL)
    self->database_path = default_database_path (self);

  return self->database_path;
}

void
crm_application_set_database_path (CrmApplication *self,
                                   const char     *path)
{
  g_return_if_fail (CRM_IS_APPLICATION (self));
  g_return_if_fail (path != NULL);

  if (g_strcmp0 (self->database_path, path) == 0)
    return;

  g_free (self->database_path);
  self->database_path = g_strdup (path);
  /* Another file is another shop: its own session, made when a window asks for it. */
  g_clear_object (&self->session);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATABASE_PATH]);
}

static void
on_default_currency_changed (CrmApplication *self)
{
  g_autofree char *currency = NULL;

  if (self->session == NULL || self->settings == NULL)
    return;
  currency = crm_ui_default_currency (self->settings);
  crm_session_set_default_currency (self->session, currency);
}

CrmSession *
crm_application_get_session (CrmApplication *self)
{
  g_return_val_if_fail (CRM_IS_APPLICATION (self), NULL);

  if (self->session == NULL)
    {
      self->session = crm_session_new (crm_application_get_database_path (self));
      on_default_currency_changed (self);
    }
  return self->session;
}

gboolean
crm_application_get_demo (CrmApplication *self)
{
  g_return_val_if_fail (CRM_IS_APPLICATION (self), FALSE);

  return self->demo_dir != NULL;
}

static void
remove_demo_dir (CrmApplication *self)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  if (self->demo_dir == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strdup_printf ("%s/demo.db%s", self->demo_dir, suffixes[i]);
      g_remove (file);
    }
  g_rmdir (self->demo_dir);
  g_clear_pointer (&self->demo_dir, g_free);
}

static void
apply_color_scheme (CrmApplication *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  AdwColorScheme scheme;

  switch (g_settings_get_enum (self->settings, "color-scheme"))
    {
    case 1:
      scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
      break;
    case 2:
      scheme = ADW_COLOR_SCHEME_FORCE_DARK;
      break;
    default:
      scheme = ADW_COLOR_SCHEME_DEFAULT;
      break;
    }

  adw_style_manager_set_color_scheme (manager, scheme);
}

static void
on_color_scheme_changed (CrmApplication *self)
{
  apply_color_scheme (self);
}

static GtkWindow *
get_main_window (CrmApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (CRM_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  CrmApplication *self = user_data;
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Closing (rather than quitting outright) lets each window save its state. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  CrmApplication *self = user_data;
  CrmPreferencesWindow *prefs = crm_preferences_window_new (self);

  gtk_window_set_transient_for (GTK_WINDOW (prefs), get_main_window (self));
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  CrmApplication *self = user_data;
  const char *developers[] = { "The Clientele developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", get_main_window (self),
                        "application-name", _("Clientele"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Clientele developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Know your customers and keep them coming back."),
                        "website", "https://github.com/clientele/clientele",
                        "issue-url", "https://github.com/clientele/clientele/issues",
                        "copyright", _("© 2026 The Clientele developers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: your names, one per line, to be credited in the about window. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

/* Ctrl+C in a terminal or a service manager's stop: close the windows
 * properly so they save their state and a demo cleans up after itself. */
static gboolean
on_quit_signal (gpointer user_data)
{
  g_action_group_activate_action (G_ACTION_GROUP (user_data), "quit", NULL);
  return G_SOURCE_CONTINUE;
}

/* A reminder's action: the customer of the UUID in the main window. */
static void
open_customer_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  CrmApplication *self = user_data;
  GtkWindow *window;

  g_application_activate (G_APPLICATION (self));
  window = get_main_window (self);
  if (window != NULL && !crm_window_open_customer_uuid (CRM_WINDOW (window), g_variant_get_string (parameter, NULL)))
    crm_window_add_toast (CRM_WINDOW (window), adw_toast_new (_("This customer no longer exists")));
}

static const GActionEntry app_entries[] = {
  { "quit", quit_activated },
  { "open-customer", open_customer_activated, "s" },
  { "preferences", preferences_activated },
  { "about", about_activated },
};

static void
crm_application_startup (GApplication *app)
{
  CrmApplication *self = CRM_APPLICATION (app);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *prefs_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (crm_application_parent_class)->startup (app);

  g_set_application_name (_("Clientele"));
  gtk_window_set_default_icon_name (APP_ID);
  crm_ui_install_accessible_names ();

  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::color-scheme",
                           G_CALLBACK (on_color_scheme_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::default-currency",
                           G_CALLBACK (on_default_currency_changed), self, G_CONNECT_SWAPPED);
  apply_color_scheme (self);
  self->backup_scheduler = G_OBJECT (crm_backup_scheduler_new (self));

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries,
                                   G_N_ELEMENTS (app_entries), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", prefs_accels);

  g_unix_signal_add (SIGINT, on_quit_signal, self);
  g_unix_signal_add (SIGTERM, on_quit_signal, self);
}

static void
crm_application_activate (GApplication *app)
{
  CrmApplication *self = CRM_APPLICATION (app);
  GtkWindow *window = get_main_window (self);

  if (window == NULL)
    {
      window = GTK_WINDOW (crm_window_new (self));
      /* bench/bench-ui.sh: CLIENTELE_BENCH_FIRST_ROWS=1 times the first rows. */
      crm_bench_watch_first_rows (app, window,
                                  crm_customers_page_get_column_view (crm_window_get_customers_page (CRM_WINDOW (window))));
    }

  gtk_window_present (window);
}

static int
crm_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("clientele %s\n", PACKAGE_VERSION);
      return 0;
    }

  return -1;
}

static int
crm_application_command_line (GApplication            *app,
                              GApplicationCommandLine *cmdline)
{
  CrmApplication *self = CRM_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  const char *database = NULL;

  if (g_variant_dict_lookup (options, "database", "^&ay", &database) && database[0] != '\0')
    {
      /* Relative to the directory the command was run in, which for a second
       * instance is not ours. */
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline, database);
      g_autofree char *path = g_file_get_path (file);

      crm_application_set_database_path (self, path);
    }

  if (g_variant_dict_contains (options, "demo") && self->demo_dir == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = NULL;

      self->demo_dir = g_dir_make_tmp ("clientele-demo-XXXXXX", &error);
      if (self->demo_dir == NULL)
        {
          g_application_command_line_printerr (cmdline, _("Cannot create the sample shop: %s\n"),
                                               error->message);
          return 1;
        }
      path = g_build_filename (self->demo_dir, "demo.db", NULL);
      crm_application_set_database_path (self, path);
    }

  g_application_activate (app);

  return 0;
}

static void
crm_application_shutdown (GApplication *app)
{
  G_APPLICATION_CLASS (crm_application_parent_class)->shutdown (app);

  g_clear_object (&CRM_APPLICATION (app)->backup_scheduler);
  g_clear_object (&CRM_APPLICATION (app)->session);
  /* The sample shop lives only as long as the demo session. */
  remove_demo_dir (CRM_APPLICATION (app));
}

static void
crm_application_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CrmApplication *self = CRM_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      g_value_set_string (value, crm_application_get_database_path (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_application_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CrmApplication *self = CRM_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      crm_application_set_database_path (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_application_finalize (GObject *object)
{
  CrmApplication *self = CRM_APPLICATION (object);

  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->database_path, g_free);
  g_clear_pointer (&self->demo_dir, g_free);

  G_OBJECT_CLASS (crm_application_parent_class)->finalize (object);
}

static void
crm_application_class_init (CrmApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  crm_register_resource ();

  object_class->finalize = crm_application_finalize;
  object_class->get_property = crm_application_get_property;
  object_class->set_property = crm_application_set_property;

  app_class->startup = crm_application_startup;
  app_class->activate = crm_application_activate;
  app_class->shutdown = crm_application_shutdown;
  app_class->handle_local_options = crm_application_handle_local_options;
  app_class->command_line = crm_application_command_line;

  properties[PROP_DATABASE_PATH] =
    g_param_spec_string ("database-path", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_application_init (CrmApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("A customer relationship manager for small shops."));
}

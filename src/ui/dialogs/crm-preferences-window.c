/* crm-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-feedback-service.h"
#include "crm-phone.h"
#include "crm-accounts-page.h"
#include "crm-owners-page.h"
#include "crm-smtp-page.h"
#include "crm-backups-page.h"
#include "crm-preferences-window.h"
#include "crm-ui-util.h"
#include "crm-window.h"

struct _CrmPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  CrmApplication       *application;
  GSettings            *settings;
  GtkStringList        *currency_labels;
  GPtrArray            *currency_codes;
  GPtrArray            *region_codes;
  gboolean              region_busy;     /* a re-keying job under way */
  gboolean              closed;          /* disposed: answers of jobs are not wanted */
  GtkFileChooserNative *chooser;

  /* template children */
  AdwActionRow         *database_row;
  AdwComboRow          *currency_row;
  AdwComboRow          *region_row;
  AdwComboRow          *style_row;
  AdwPreferencesGroup  *sla_group;
};

G_DEFINE_FINAL_TYPE (CrmPreferencesWindow, crm_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum
{
  PROP_0,
  PROP_APPLICATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The currencies offered first; a code set elsewhere (CLI, older version) is
 * added to the list rather than silently replaced. */
static const struct
{
  const char *code;
  const char *name;
} currencies[] = {
  { "USD", N_("US Dollar") },
  { "EUR", N_("Euro") },
  { "GBP", N_("British Pound") },
  { "CNY", N_("Chinese Yuan") },
  { "JPY", N_("Japanese Yen") },
  { "HKD", N_("Hong Kong Dollar") },
  { "TWD", N_("New Taiwan Dollar") },
  { "SGD", N_("Singapore Dollar") },
  { "KRW", N_("South Korean Won") },
  { "INR", N_("Indian Rupee") },
  { "CAD", N_("Canadian Dollar") },
  { "AUD", N_("Australian Dollar") },
  { "CHF", N_("Swiss Franc") },
};

CrmPreferencesWindow *
crm_preferences_window_new (CrmApplication *application)
{
  return g_object_new (CRM_TYPE_PREFERENCES_WINDOW,
                       "crm-application", application,
                       NULL);
}

static void
update_database_row (CrmPreferencesWindow *self)
{
  adw_action_row_set_subtitle (self->database_row,
                               crm_application_get_database_path (self->application));
}

static void
on_chooser_response (CrmPreferencesWindow *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        {
          g_settings_set_string (self->settings, "database-path", path);
          crm_application_set_database_path (self->application, path);
        }
      else
        {
          adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                            adw_toast_new (_("Choose a file on this computer; remote locations cannot hold the database.")));
        }
    }

  g_clear_object (&self->chooser);
}

static void
choose_database (CrmPreferencesWindow *self,
                 GtkFileChooserAction  action)
{
  g_autoptr(GtkFileFilter) databases = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autofree char *current = g_strdup (crm_application_get_database_path (self->application));
  g_autofree char *dir = g_path_get_dirname (current);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  gboolean create = action == GTK_FILE_CHOOSER_ACTION_SAVE;

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (create ? _("New Database") : _("Open Database"),
                                               GTK_WINDOW (self), action,
                                               create ? _("_Create") : _("_Open"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);

  gtk_file_filter_set_name (databases, _("Clientele Databases"));
  gtk_file_filter_add_suffix (databases, "db");
  gtk_file_filter_add_suffix (databases, "sqlite");
  gtk_file_filter_add_suffix (databases, "sqlite3");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), databases);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);

  if (g_file_query_exists (folder, NULL))
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), folder, NULL);
  if (create)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "clientele.db");

  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (on_chooser_response), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
open_database_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  choose_database (CRM_PREFERENCES_WINDOW (widget), GTK_FILE_CHOOSER_ACTION_OPEN);
}

static void
new_database_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  choose_database (CRM_PREFERENCES_WINDOW (widget), GTK_FILE_CHOOSER_ACTION_SAVE);
}

static CrmWindow *
get_main_window (CrmPreferencesWindow *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self->application)); l != NULL; l = l->next)
    if (CRM_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

/* The open shop's currency and the default for new databases are one choice:
 * the shop's is what the user sees change.  The session announces it ("settings-changed"),
 * and every view that shows amounts follows. */
static void
on_currency_selected (CrmPreferencesWindow *self)
{
  guint i = adw_combo_row_get_selected (self->currency_row);
  CrmWindow *window = get_main_window (self);
  CrmStore *store = window != NULL ? crm_window_get_store (window) : NULL;
  g_autoptr(GError) error = NULL;
  const char *code;

  if (i >= self->currency_codes->len)
    return;

  code = g_ptr_array_index (self->currency_codes, i);
  if (store != NULL && !crm_session_set_currency (crm_window_get_session (window), code, &error))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
  g_settings_set_string (self->settings, "default-currency", code);
}

static void
fill_currencies (CrmPreferencesWindow *self)
{
  CrmWindow *window = get_main_window (self);
  g_autofree char *current = crm_ui_shop_currency (window != NULL ? crm_window_get_store (window) : NULL,
                                                   self->settings);
  guint selected = G_MAXUINT;

  self->currency_labels = gtk_string_list_new (NULL);
  self->currency_codes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (currencies); i++)
    {
      /* Translators: a currency in the preferences, e.g. "EUR — Euro". */
      g_autofree char *label = g_strdup_printf (_("%s — %s"), currencies[i].code,
                                                _(currencies[i].name));

      gtk_string_list_append (self->currency_labels, label);
      g_ptr_array_add (self->currency_codes, g_strdup (currencies[i].code));
      if (g_strcmp0 (current, currencies[i].code) == 0)
        selected = i;
    }

  if (selected == G_MAXUINT && current[0] != '\0')
    {
      selected = self->currency_codes->len;
      gtk_string_list_append (self->currency_labels, current);
      g_ptr_array_add (self->currency_codes, g_strdup (current));
    }

  adw_combo_row_set_model (self->currency_row, G_LIST_MODEL (self->currency_labels));
  adw_combo_row_set_selected (self->currency_row, selected == G_MAXUINT ? 0 : selected);
  g_signal_connect_object (self->currency_row, "notify::selected",
                           G_CALLBACK (on_currency_selected), self, G_CONNECT_SWAPPED);
}

/* The shop's region, in the list of regions; one set elsewhere (the CLI) is added to it. */
static void
select_region (CrmPreferencesWindow *self,
               const char           *region)
{
  GtkStringList *labels = GTK_STRING_LIST (adw_combo_row_get_model (self->region_row));
  guint i;

  for (i = 0; i < self->region_codes->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->region_codes, i), region) == 0)
      break;
  if (i == self->region_codes->len)
    {
      g_ptr_array_add (self->region_codes, g_strdup (region));
      gtk_string_list_append (labels, region);
    }
  adw_combo_row_set_selected (self->region_row, i);
}

static void
on_region_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CrmPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  CrmSession *session = CRM_SESSION (g_async_result_get_source_object (result));
  gboolean ok = crm_session_set_region_finish (session, result, &error);
  CrmWindow *window;

  g_object_unref (session);
  self->region_busy = FALSE;
  if (self->closed)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->region_row), TRUE);
  if (!ok)
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
      /* Back to the region the shop still has. */
      window = get_main_window (self);
      if (window != NULL && crm_window_get_store (window) != NULL)
        select_region (self, crm_session_get_region (crm_window_get_session (window)));
    }
}

/* Set elsewhere (the CLI, another window): the row follows. */
static void
on_settings_changed (CrmPreferencesWindow *self,
                     const char           *key,
                     CrmSession           *session)
{
  /* Selecting the shop's own region starts nothing (on_region_selected()). */
  if (key == NULL || g_str_equal (key, "region"))
    select_region (self, crm_session_get_region (session));
}

/* A new region re-keys the national numbers: a job, the row waiting for it. */
static void
on_region_selected (CrmPreferencesWindow *self)
{
  guint i = adw_combo_row_get_selected (self->region_row);
  CrmWindow *window = get_main_window (self);
  CrmSession *session = window != NULL && crm_window_get_store (window) != NULL
                        ? crm_window_get_session (window) : NULL;
  const char *code;

  if (i >= self->region_codes->len || session == NULL || self->region_busy)
    return;
  code = g_ptr_array_index (self->region_codes, i);
  if (g_strcmp0 (code, crm_session_get_region (session)) == 0)
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->region_row), FALSE);
  self->region_busy = TRUE;
  crm_session_set_region_async (session, code, NULL, NULL, NULL, on_region_done, g_object_ref (self));
}

static void
fill_regions (CrmPreferencesWindow *self)
{
  CrmWindow *window = get_main_window (self);
  GtkStringList *labels = gtk_string_list_new (NULL);
  guint n;
  const CrmPhoneRegion *regions = crm_phone_regions (&n);

  self->region_codes = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    {
      /* Translators: a region in the preferences, e.g. "China (+86)". */
      g_autofree char *label = g_strdup_printf (_("%s (+%s)"), _(regions[i].name), regions[i].calling_code);

      gtk_string_list_append (labels, label);
      g_ptr_array_add (self->region_codes, g_strdup (regions[i].code));
    }
  adw_combo_row_set_model (self->region_row, G_LIST_MODEL (labels));
  g_object_unref (labels);

  if (window == NULL || crm_window_get_store (window) == NULL)
    {
      /* The setting belongs to a database: none is open. */
      gtk_widget_set_sensitive (GTK_WIDGET (self->region_row), FALSE);
      return;
    }
  select_region (self, crm_session_get_region (crm_window_get_session (window)));
  g_signal_connect_object (self->region_row, "notify::selected",
                           G_CALLBACK (on_region_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (crm_window_get_session (window), "settings-changed",
                           G_CALLBACK (on_settings_changed), self, G_CONNECT_SWAPPED);
}

/* ---- SLA per priority (crm_feedback_set_sla()) ---- */

static void
on_sla_applied (AdwEntryRow          *row,
                CrmPreferencesWindow *self)
{
  CrmWindow *window = get_main_window (self);
  const char *priority = g_object_get_data (G_OBJECT (row), "crm-priority");
  g_autoptr(GError) error = NULL;

  if (window == NULL || crm_window_get_store (window) == NULL)
    return;
  if (!crm_feedback_set_sla (crm_window_get_store (window), priority, gtk_editable_get_text (GTK_EDITABLE (row)),
                             &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (row), error->message);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), NULL);
}

static void
fill_sla (CrmPreferencesWindow *self)
{
  CrmWindow *window = get_main_window (self);
  CrmStore *store = window != NULL ? crm_window_get_store (window) : NULL;

  /* The setting belongs to a database: none is open. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->sla_group), store != NULL);
  for (const char * const *p = crm_feedback_priorities (); *p != NULL; p++)
    {
      GtkWidget *row = adw_entry_row_new ();
      g_autofree char *sla = store != NULL ? crm_feedback_get_sla (store, *p) : g_strdup ("");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), crm_feedback_priority_get_label (*p));
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
      gtk_editable_set_text (GTK_EDITABLE (row), sla);
      g_object_set_data (G_OBJECT (row), "crm-priority", (gpointer) *p);
      g_signal_connect_object (row, "apply", G_CALLBACK (on_sla_applied), self, 0);
      adw_preferences_group_add (self->sla_group, row);
    }
}

static void
on_style_selected (CrmPreferencesWindow *self)
{
  g_settings_set_enum (self->settings, "color-scheme",
                       adw_combo_row_get_selected (self->style_row));
}

static void
crm_preferences_window_constructed (GObject *object)
{
  CrmPreferencesWindow *self = CRM_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (crm_preferences_window_parent_class)->constructed (object);

  self->settings = g_object_ref (crm_application_get_settings (self->application));

  update_database_row (self);
  g_signal_connect_object (self->application, "notify::database-path",
                           G_CALLBACK (update_database_row), self, G_CONNECT_SWAPPED);

  fill_currencies (self);
  fill_regions (self);
  fill_sla (self);

  /* The open database's sync accounts. */
  if (crm_application_get_session (self->application) != NULL &&
      crm_session_get_store (crm_application_get_session (self->application)) != NULL)
    adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                ADW_PREFERENCES_PAGE (crm_accounts_page_new (crm_application_get_session (self->application))));
  /* Its owners, the operator, the pool's days. */
  if (crm_application_get_session (self->application) != NULL &&
      crm_session_get_store (crm_application_get_session (self->application)) != NULL)
    adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                ADW_PREFERENCES_PAGE (crm_owners_page_new (crm_application_get_session (self->application))));
  /* … and the mail server its campaigns are sent through. */
  if (crm_application_get_session (self->application) != NULL &&
      crm_session_get_store (crm_application_get_session (self->application)) != NULL)
    adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                ADW_PREFERENCES_PAGE (crm_smtp_page_new (crm_application_get_session (self->application))));
  /* Its backups (the schedule is the application's, the passphrase the database's). */
  if (crm_application_get_session (self->application) != NULL &&
      crm_session_get_store (crm_application_get_session (self->application)) != NULL)
    adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                ADW_PREFERENCES_PAGE (crm_backups_page_new (crm_application_get_session (self->application),
                                                                            self->settings)));

  /* The combo's rows follow the enum's values: default, light, dark. */
  adw_combo_row_set_selected (self->style_row, g_settings_get_enum (self->settings, "color-scheme"));
  g_signal_connect_object (self->style_row, "notify::selected",
                           G_CALLBACK (on_style_selected), self, G_CONNECT_SWAPPED);
}

static void
crm_preferences_window_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  CrmPreferencesWindow *self = CRM_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_value_set_object (value, self->application);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_preferences_window_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  CrmPreferencesWindow *self = CRM_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      /* Also the GtkWindow's application, so the window belongs to the app. */
      g_set_object (&self->application, g_value_get_object (value));
      gtk_window_set_application (GTK_WINDOW (self), GTK_APPLICATION (self->application));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_preferences_window_dispose (GObject *object)
{
  CrmPreferencesWindow *self = CRM_PREFERENCES_WINDOW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  /* A re-keying under way goes on (it is the shop's, not the window's): only its answer is
   * not wanted any more. */
  self->closed = TRUE;
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (crm_preferences_window_parent_class)->dispose (object);
}

static void
crm_preferences_window_finalize (GObject *object)
{
  CrmPreferencesWindow *self = CRM_PREFERENCES_WINDOW (object);

  g_clear_object (&self->application);
  g_clear_object (&self->settings);
  g_clear_object (&self->currency_labels);
  g_clear_pointer (&self->currency_codes, g_ptr_array_unref);
  g_clear_pointer (&self->region_codes, g_ptr_array_unref);

  G_OBJECT_CLASS (crm_preferences_window_parent_class)->finalize (object);
}

static void
crm_preferences_window_class_init (CrmPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = crm_preferences_window_constructed;
  object_class->dispose = crm_preferences_window_dispose;
  object_class->finalize = crm_preferences_window_finalize;
  object_class->get_property = crm_preferences_window_get_property;
  object_class->set_property = crm_preferences_window_set_property;

  /* Unlike GtkWindow:application, required at construction and typed. */
  properties[PROP_APPLICATION] =
    g_param_spec_object ("crm-application", NULL, NULL,
                         CRM_TYPE_APPLICATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmPreferencesWindow, database_row);
  gtk_widget_class_bind_template_child (widget_class, CrmPreferencesWindow, currency_row);
  gtk_widget_class_bind_template_child (widget_class, CrmPreferencesWindow, region_row);
  gtk_widget_class_bind_template_child (widget_class, CrmPreferencesWindow, style_row);
  gtk_widget_class_bind_template_child (widget_class, CrmPreferencesWindow, sla_group);

  gtk_widget_class_install_action (widget_class, "preferences.open-database", NULL, open_database_action);
  gtk_widget_class_install_action (widget_class, "preferences.new-database", NULL, new_database_action);
}

static void
crm_preferences_window_init (CrmPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

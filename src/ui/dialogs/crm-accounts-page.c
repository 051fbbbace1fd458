/* crm-accounts-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-accounts-page.h"
#include "crm-account.h"
#include "crm-format.h"
#include "crm-sync.h"

struct _CrmAccountsPage
{
  AdwPreferencesPage  parent_instance;

  CrmSession         *session;
  GCancellable       *cancellable;
  guint               busy;

  /* template children */
  GtkListBox         *account_list;
  AdwPreferencesGroup *add_group;
  AdwComboRow        *kind_row;
  AdwEntryRow        *name_row;
  AdwEntryRow        *url_row;
  AdwEntryRow        *user_row;
  AdwPasswordEntryRow *password_row;
  AdwActionRow       *status_row;
  GtkSpinner         *spinner;
};

G_DEFINE_FINAL_TYPE (CrmAccountsPage, crm_accounts_page, ADW_TYPE_PREFERENCES_PAGE)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

CrmAccountsPage *
crm_accounts_page_new (CrmSession *session)
{
  return g_object_new (CRM_TYPE_ACCOUNTS_PAGE, "session", session, NULL);
}

static void
show_message (CrmAccountsPage *self,
              const char      *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (message));
}

static void
set_busy (CrmAccountsPage *self,
          gboolean         busy)
{
  self->busy += busy ? 1 : -1;
  gtk_spinner_set_spinning (self->spinner, self->busy > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "accounts.add", self->busy == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "accounts.test", self->busy == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "accounts.sync", self->busy == 0);
}

static char *
account_subtitle (CrmAccount *account)
{
  g_autofree char *when = NULL;

  if (crm_account_get_last_error (account) != NULL)
    /* Translators: an account's state: "CardDAV address book · https://… · Failed: …" */
    return g_strdup_printf (_("%s · %s · Failed: %s"), crm_account_kind_get_label (crm_account_get_kind (account)),
                            crm_account_get_url (account), crm_account_get_last_error (account));
  if (crm_account_get_synced_at (account) == 0)
    return g_strdup_printf (_("%s · %s · Never synced"), crm_account_kind_get_label (crm_account_get_kind (account)),
                            crm_account_get_url (account));
  when = crm_format_date_time (crm_account_get_synced_at (account));
  return g_strdup_printf (_("%s · %s · Synced %s"), crm_account_kind_get_label (crm_account_get_kind (account)),
                          crm_account_get_url (account), when);
}

/* The accounts table is a handful of rows: read on the main connection. */
static void
reload (CrmAccountsPage *self)
{
  CrmStore *store = crm_session_get_store (self->session);
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->account_list))) != NULL)
    gtk_list_box_remove (self->account_list, child);
  if (store == NULL)
    return;
  if (!(accounts = crm_account_list (store, &error)))
    {
      show_message (self, error->message);
      return;
    }
  for (guint i = 0; i < accounts->len; i++)
    {
      CrmAccount *account = g_ptr_array_index (accounts, i);
      g_autofree char *subtitle = account_subtitle (account);
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      GtkWidget *sync;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), crm_account_get_name (account));
      adw_action_row_set_subtitle (row, subtitle);
      adw_action_row_set_subtitle_lines (row, 2);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove this account"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "accounts.remove");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", crm_account_get_name (account));
      sync = gtk_button_new_from_icon_name ("view-refresh-symbolic");
      gtk_widget_set_valign (sync, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (sync, "flat");
      gtk_widget_set_tooltip_text (sync, _("Sync now"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (sync), "accounts.sync");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (sync), "s", crm_account_get_name (account));
      adw_action_row_add_suffix (row, sync);
      adw_action_row_add_suffix (row, remove);
      gtk_list_box_append (self->account_list, GTK_WIDGET (row));
    }
  if (accounts->len == 0)
    {
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No accounts yet"));
      gtk_list_box_append (self->account_list, GTK_WIDGET (row));
    }
}

static CrmAccountKind
form_kind (CrmAccountsPage *self)
{
  return adw_combo_row_get_selected (self->kind_row) == 1 ? CRM_ACCOUNT_WOOCOMMERCE : CRM_ACCOUNT_CARDDAV;
}

/* The form speaks of what the kind asks for: a server, user and password, or a shop's address
 * and its REST API key and secret. */
static void
on_kind_changed (CrmAccountsPage *self)
{
  gboolean shop = form_kind (self) == CRM_ACCOUNT_WOOCOMMERCE;

  adw_preferences_group_set_description (self->add_group,
                                         shop ? _("The shop’s address, and a REST API key made in WooCommerce → Settings → "
                                                  "Advanced → REST API (read/write).")
                                              : _("The server’s address is enough: the address book is found on it."));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->url_row), shop ? _("Shop Address") : _("Server Address"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->user_row), shop ? _("Consumer Key") : _("User Name"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->password_row), shop ? _("Consumer Secret") : _("Password"));
  adw_action_row_set_subtitle (self->status_row, _("Not tested yet"));
}

/* The form as an account; NULL with the reason shown when it is not filled in right. */
static CrmAccount *
form_account (CrmAccountsPage *self)
{
  g_autoptr(CrmAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_row))));
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->user_row));

  if (*name == '\0')
    {
      g_free (name);
      name = g_strdup (url);
    }
  if (form_kind (self) == CRM_ACCOUNT_WOOCOMMERCE && *user == '\0')
    {
      adw_action_row_set_subtitle (self->status_row, _("A WooCommerce shop needs its consumer key"));
      return NULL;
    }
  account = crm_account_new (form_kind (self), name, url, user);
  if (!crm_account_validate (account, &error))
    {
      adw_action_row_set_subtitle (self->status_row, error->message);
      return NULL;
    }
  return g_steal_pointer (&account);
}

static const char *
form_password (CrmAccountsPage *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  return *password != '\0' ? password : NULL;
}

/* The end of a job: FALSE when it was cancelled (the page is going away: nothing to show),
 * else the page is no longer busy. */
static gboolean
job_ended (CrmAccountsPage *self,
           const GError    *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  set_busy (self, FALSE);
  return TRUE;
}

static void
on_tested (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(CrmAccountsPage) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *collection = crm_sync_test_connection_finish (result, &error);
  g_autofree char *text = NULL;

  if (!job_ended (self, error))
    return;
  if (collection != NULL && form_kind (self) == CRM_ACCOUNT_WOOCOMMERCE)
    /* Translators: %s is the shop's name */
    text = g_strdup_printf (_("Connected to the shop “%s”: the key was accepted"), collection);
  else if (collection != NULL)
    /* Translators: %s is the address book's URL */
    text = g_strdup_printf (_("Connected: address book found at %s"), collection);
  else
    text = g_strdup_printf (_("Could not connect: %s"), error->message);
  adw_action_row_set_subtitle (self->status_row, text);
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmAccountsPage *self = CRM_ACCOUNTS_PAGE (widget);
  g_autoptr(CrmAccount) account = form_account (self);

  if (account == NULL)
    return;
  set_busy (self, TRUE);
  adw_action_row_set_subtitle (self->status_row, _("Connecting…"));
  crm_sync_test_connection_async (self->session, account, form_password (self), self->cancellable,
                                  on_tested, g_object_ref (self));
}

static void
on_added (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  g_autoptr(CrmAccountsPage) self = data;
  g_autoptr(GError) error = NULL;
  gboolean added = crm_account_add_finish (result, &error);

  if (!job_ended (self, error))
    return;
  if (!added)
    {
      adw_action_row_set_subtitle (self->status_row, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  adw_action_row_set_subtitle (self->status_row, _("Account added"));
  reload (self);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  CrmAccountsPage *self = CRM_ACCOUNTS_PAGE (widget);
  g_autoptr(CrmAccount) account = form_account (self);

  if (account == NULL)
    return;
  set_busy (self, TRUE);
  crm_account_add_async (self->session, account, form_password (self), self->cancellable, on_added, g_object_ref (self));
}

static void
on_removed (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(CrmAccountsPage) self = data;
  g_autoptr(GError) error = NULL;
  gboolean removed = crm_account_remove_finish (result, &error);

  if (!job_ended (self, error))
    return;
  if (!removed)
    show_message (self, error->message);
  reload (self);
}

static void
on_remove_response (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          data)
{
  CrmAccountsPage *self = data;   /* the dialog holds the reference */
  const char *name = g_object_get_data (G_OBJECT (dialog), "crm-account");
  g_autoptr(CrmAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "remove") != 0)
    return;
  if (!(account = crm_account_find (crm_session_get_store (self->session), name, &error)))
    {
      show_message (self, error->message);
      reload (self);
      return;
    }
  set_busy (self, TRUE);
  crm_account_remove_async (self->session, account, self->cancellable, on_removed, g_object_ref (self));
}

static void
unref_page (gpointer  data,
            GClosure *closure)
{
  g_object_unref (data);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmAccountsPage *self = CRM_ACCOUNTS_PAGE (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwMessageDialog *dialog;

  /* Translators: %s is an account's name */
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       _("Remove Account?"), NULL));
  adw_message_dialog_format_body (dialog, _("“%s” will no longer sync, and its password is removed from the keyring. "
                                            "Customers stay in this database."), name);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "crm-account", g_strdup (name), g_free);
  /* The reference goes with the dialog. */
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_remove_response), g_object_ref (self),
                         unref_page, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_synced (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(CrmAccountsPage) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree CrmSyncCounts *counts = crm_sync_account_finish (result, &error);
  g_autofree char *text = NULL;

  if (!job_ended (self, error))
    return;
  if (counts != NULL)
    /* Translators: after a sync round, e.g. "3 pulled, 1 pushed, 0 conflicts" */
    text = g_strdup_printf (_("%u pulled, %u pushed, %u conflicts"), counts->pulled, counts->pushed, counts->conflicts);
  show_message (self, text != NULL ? text : error->message);
  reload (self);
}

/* One round now, as a job: what it pulls is announced by the session like any other write. */
static void
sync_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmAccountsPage *self = CRM_ACCOUNTS_PAGE (widget);
  g_autoptr(CrmAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  if (!(account = crm_account_find (crm_session_get_store (self->session), g_variant_get_string (parameter, NULL), &error)))
    {
      show_message (self, error->message);
      return;
    }
  set_busy (self, TRUE);
  crm_sync_account_async (self->session, account, self->cancellable, on_synced, g_object_ref (self));
}

static void
crm_accounts_page_constructed (GObject *object)
{
  CrmAccountsPage *self = CRM_ACCOUNTS_PAGE (object);

  G_OBJECT_CLASS (crm_accounts_page_parent_class)->constructed (object);
  reload (self);
}

static void
crm_accounts_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CrmAccountsPage *self = CRM_ACCOUNTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_accounts_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CrmAccountsPage *self = CRM_ACCOUNTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_set_object (&self->session, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_accounts_page_dispose (GObject *object)
{
  CrmAccountsPage *self = CRM_ACCOUNTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_ACCOUNTS_PAGE);
  G_OBJECT_CLASS (crm_accounts_page_parent_class)->dispose (object);
}

static void
crm_accounts_page_finalize (GObject *object)
{
  CrmAccountsPage *self = CRM_ACCOUNTS_PAGE (object);

  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (crm_accounts_page_parent_class)->finalize (object);
}

static void
crm_accounts_page_class_init (CrmAccountsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = crm_accounts_page_constructed;
  object_class->dispose = crm_accounts_page_dispose;
  object_class->finalize = crm_accounts_page_finalize;
  object_class->get_property = crm_accounts_page_get_property;
  object_class->set_property = crm_accounts_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, CRM_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/clientele/Clientele/ui/crm-accounts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmAccountsPage, account_list);
  gtk_widget_class_bind_template_child (widget_class, CrmAccountsPage, add_group);
  gtk_widget_class_bind_template_child (widget_class, CrmAccountsPage, kind_row);
  gtk_widget_class_bind_template_child (widget_class, CrmAccountsPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, CrmAccountsPage, url_row);
  gtk_widget_class_bind_template_child (widget_class, CrmAccountsPage, user_row);
  gtk_widget_class_bind_template_child (widget_class, CrmAccountsPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, CrmAccountsPage, status_row);
  gtk_widget_class_bind_template_child (widget_class, CrmAccountsPage, spinner);

  gtk_widget_class_install_action (widget_class, "accounts.test", NULL, test_action);
  gtk_widget_class_install_action (widget_class, "accounts.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "accounts.remove", "s", remove_action);
  gtk_widget_class_install_action (widget_class, "accounts.sync", "s", sync_action);
}

static void
crm_accounts_page_init (CrmAccountsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_swapped (self->kind_row, "notify::selected", G_CALLBACK (on_kind_changed), self);
}

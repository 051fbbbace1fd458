/* crm-smtp-page.c
 *
 * The form shows the saved settings (read on the main thread: a few rows of the settings
 * table); Save checks and writes them with the password in a job, as the keyring blocks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-campaign-jobs.h"
#include "crm-smtp-page.h"

struct _CrmSmtpPage
{
  AdwPreferencesPage   parent_instance;

  CrmSession          *session;
  GCancellable        *cancellable;

  /* template children */
  AdwEntryRow         *host_row;
  AdwComboRow         *security_row;
  GtkSpinButton       *port_spin;
  AdwEntryRow         *from_row;
  AdwEntryRow         *user_row;
  AdwPasswordEntryRow *password_row;
  AdwEntryRow         *ca_row;
  GtkSpinButton       *rate_spin;
  AdwActionRow        *status_row;
};

G_DEFINE_FINAL_TYPE (CrmSmtpPage, crm_smtp_page, ADW_TYPE_PREFERENCES_PAGE)

static void
fill (CrmSmtpPage *self)
{
  CrmStore *store = crm_session_get_store (self->session);
  g_autoptr(CrmSmtpSettings) s = store ? crm_smtp_settings_load (store, NULL) : NULL;

  if (s == NULL)
    {
      adw_action_row_set_subtitle (self->status_row, _("No mail server set yet"));
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->host_row), s->host);
  adw_combo_row_set_selected (self->security_row, s->security);
  gtk_spin_button_set_value (self->port_spin, s->port);
  gtk_editable_set_text (GTK_EDITABLE (self->from_row), s->from);
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), s->user ? s->user : "");
  gtk_editable_set_text (GTK_EDITABLE (self->ca_row), s->ca_file ? s->ca_file : "");
  gtk_spin_button_set_value (self->rate_spin, s->rate);
  adw_action_row_set_subtitle (self->status_row, _("Saved"));
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CrmSmtpPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *escaped = NULL;

  if (crm_smtp_settings_save_finish (result, &error))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      adw_action_row_set_subtitle (self->status_row, _("Saved"));
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  escaped = g_markup_escape_text (error->message, -1);
  adw_action_row_set_subtitle (self->status_row, escaped);
}

static char *
field (AdwEntryRow *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  return text[0] != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmSmtpPage *self = CRM_SMTP_PAGE (widget);
  CrmSmtpSettings *s = g_new0 (CrmSmtpSettings, 1);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  s->host = field (self->host_row);
  s->security = adw_combo_row_get_selected (self->security_row);
  if (s->security > CRM_SMTP_NONE)
    s->security = CRM_SMTP_STARTTLS;
  s->port = (guint) gtk_spin_button_get_value_as_int (self->port_spin);
  s->from = field (self->from_row);
  s->user = field (self->user_row);
  s->ca_file = field (self->ca_row);
  s->rate = (guint) gtk_spin_button_get_value_as_int (self->rate_spin);
  s->password = s->user != NULL && password[0] != '\0' ? g_strdup (password) : NULL;
  adw_action_row_set_subtitle (self->status_row, _("Saving…"));
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  crm_smtp_settings_save_async (self->session, s, self->cancellable, on_saved, g_object_ref (self));
}

GtkWidget *
crm_smtp_page_new (CrmSession *session)
{
  CrmSmtpPage *self = g_object_new (CRM_TYPE_SMTP_PAGE, NULL);

  self->session = g_object_ref (session);
  fill (self);
  return GTK_WIDGET (self);
}

static void
crm_smtp_page_dispose (GObject *object)
{
  CrmSmtpPage *self = CRM_SMTP_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_SMTP_PAGE);

  G_OBJECT_CLASS (crm_smtp_page_parent_class)->dispose (object);
}

static void
crm_smtp_page_class_init (CrmSmtpPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_smtp_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/clientele/Clientele/ui/crm-smtp-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmSmtpPage, host_row);
  gtk_widget_class_bind_template_child (widget_class, CrmSmtpPage, security_row);
  gtk_widget_class_bind_template_child (widget_class, CrmSmtpPage, port_spin);
  gtk_widget_class_bind_template_child (widget_class, CrmSmtpPage, from_row);
  gtk_widget_class_bind_template_child (widget_class, CrmSmtpPage, user_row);
  gtk_widget_class_bind_template_child (widget_class, CrmSmtpPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, CrmSmtpPage, ca_row);
  gtk_widget_class_bind_template_child (widget_class, CrmSmtpPage, rate_spin);
  gtk_widget_class_bind_template_child (widget_class, CrmSmtpPage, status_row);
  gtk_widget_class_install_action (widget_class, "smtp.save", NULL, save_action);
}

static void
crm_smtp_page_init (CrmSmtpPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* crm-owners-page.c
 *
 * The owners are a short table read on the main connection; adding one and the pool's days are
 * one-row writes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-format.h"
#include "crm-owners-page.h"
#include "crm-pool.h"
#include "crm-ui-util.h"

struct _CrmOwnersPage
{
  AdwPreferencesPage   parent_instance;

  CrmSession          *session;
  GSettings           *settings;
  GtkStringList       *names;       /* "Nobody", then the owners */
  GPtrArray           *rows;
  gboolean             filling;

  /* template children */
  AdwComboRow         *operator_row;
  AdwPreferencesGroup *owners_group;
  AdwEntryRow         *add_row;
  GtkSpinButton       *days_spin;
  GtkSwitch           *auto_switch;
};

G_DEFINE_FINAL_TYPE (CrmOwnersPage, crm_owners_page, ADW_TYPE_PREFERENCES_PAGE)

static CrmStore *
store_of (CrmOwnersPage *self)
{
  return self->session != NULL ? crm_session_get_store (self->session) : NULL;
}

static void
fill (CrmOwnersPage *self)
{
  CrmStore *store = store_of (self);
  g_autoptr(GPtrArray) owners = store != NULL ? crm_owners_list (store, NULL) : NULL;
  g_autofree char *operator = g_settings_get_string (self->settings, "operator-owner");
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->names)), selected = 0;

  self->filling = TRUE;
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->owners_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  gtk_string_list_splice (self->names, 1, n - 1, NULL);
  for (guint i = 0; owners != NULL && i < owners->len; i++)
    {
      CrmOwner *o = g_ptr_array_index (owners, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *count = crm_format_count (o->customers);
      g_autofree char *subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s customer", "%s customers",
                                                                o->customers), count);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), o->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_preferences_group_add (self->owners_group, row);
      g_ptr_array_add (self->rows, row);
      gtk_string_list_append (self->names, o->name);
      if (g_strcmp0 (o->name, operator) == 0)
        selected = i + 1;
    }
  adw_combo_row_set_selected (self->operator_row, selected);
  if (store != NULL)
    {
      gtk_spin_button_set_value (self->days_spin, crm_pool_get_return_days (store));
      gtk_switch_set_active (self->auto_switch, crm_pool_get_auto_return (store));
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->auto_switch), store != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_row), store != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->days_spin), store != NULL);
  self->filling = FALSE;
}

static void
on_operator_selected (CrmOwnersPage *self)
{
  guint i = adw_combo_row_get_selected (self->operator_row);

  if (self->filling)
    return;
  g_settings_set_string (self->settings, "operator-owner",
                         i > 0 && i < g_list_model_get_n_items (G_LIST_MODEL (self->names))
                         ? gtk_string_list_get_string (self->names, i) : "");
}

static void
on_add_applied (CrmOwnersPage *self)
{
  CrmStore *store = store_of (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmOwner) owner = NULL;

  if (store == NULL)
    return;
  if (!(owner = crm_owners_add (store, gtk_editable_get_text (GTK_EDITABLE (self->add_row)), &error)))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->add_row), "error");
      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->add_row), "error");
  gtk_editable_set_text (GTK_EDITABLE (self->add_row), "");
  fill (self);
}

static void
on_days_changed (CrmOwnersPage *self)
{
  CrmStore *store = store_of (self);
  g_autoptr(GError) error = NULL;

  if (self->filling || store == NULL)
    return;
  if (!crm_pool_set_return_days (store, (guint) gtk_spin_button_get_value_as_int (self->days_spin), &error))
    crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
}

static void
on_auto_changed (CrmOwnersPage *self)
{
  CrmStore *store = store_of (self);
  g_autoptr(GError) error = NULL;

  if (self->filling || store == NULL)
    return;
  if (!crm_pool_set_auto_return (store, gtk_switch_get_active (self->auto_switch), &error))
    crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
}

CrmOwnersPage *
crm_owners_page_new (CrmSession *session)
{
  CrmOwnersPage *self = g_object_new (CRM_TYPE_OWNERS_PAGE, NULL);

  self->session = g_object_ref (session);
  fill (self);
  return self;
}

static void
crm_owners_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CRM_TYPE_OWNERS_PAGE);
  G_OBJECT_CLASS (crm_owners_page_parent_class)->dispose (object);
}

static void
crm_owners_page_finalize (GObject *object)
{
  CrmOwnersPage *self = CRM_OWNERS_PAGE (object);

  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_object (&self->names);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  G_OBJECT_CLASS (crm_owners_page_parent_class)->finalize (object);
}

static void
crm_owners_page_class_init (CrmOwnersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_owners_page_dispose;
  object_class->finalize = crm_owners_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/clientele/Clientele/ui/crm-owners-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmOwnersPage, operator_row);
  gtk_widget_class_bind_template_child (widget_class, CrmOwnersPage, owners_group);
  gtk_widget_class_bind_template_child (widget_class, CrmOwnersPage, add_row);
  gtk_widget_class_bind_template_child (widget_class, CrmOwnersPage, days_spin);
  gtk_widget_class_bind_template_child (widget_class, CrmOwnersPage, auto_switch);
}

static void
crm_owners_page_init (CrmOwnersPage *self)
{
  self->rows = g_ptr_array_new ();
  self->names = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  /* Translators: the operator choice in Preferences: nobody chosen. */
  gtk_string_list_append (self->names, _("Nobody"));
  adw_combo_row_set_model (self->operator_row, G_LIST_MODEL (self->names));
  g_signal_connect_object (self->operator_row, "notify::selected", G_CALLBACK (on_operator_selected), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->add_row, "apply", G_CALLBACK (on_add_applied), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->add_row, "entry-activated", G_CALLBACK (on_add_applied), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->auto_switch, "notify::active", G_CALLBACK (on_auto_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->days_spin, "value-changed", G_CALLBACK (on_days_changed), self, G_CONNECT_SWAPPED);
}

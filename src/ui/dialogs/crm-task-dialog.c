/* crm-task-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-pool.h"
#include "crm-task-dialog.h"
#include "crm-tasks.h"
#include "crm-ui-util.h"

struct _CrmTaskDialog
{
  AdwWindow      parent_instance;

  CrmStore      *store;
  gint64         customer_id;
  GtkStringList *owners;          /* "No owner", then the owners */
  GCancellable  *saving;

  /* template children */
  AdwEntryRow   *title_row;
  AdwComboRow   *owner_row;
  GtkSpinButton *hour_spin;
  GtkSpinButton *minute_spin;
  GtkCalendar   *calendar;
  GtkLabel      *error_label;
  GtkWidget     *add_button;
};

G_DEFINE_FINAL_TYPE (CrmTaskDialog, crm_task_dialog, ADW_TYPE_WINDOW)

static void
show_error (CrmTaskDialog *self,
            const char    *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static gboolean
write_task (CrmStore  *store,
            gpointer   data,
            GError   **error)
{
  return crm_tasks_add (store, data, error);
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  g_autoptr(CrmTaskDialog) self = data;
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->saving);
  gtk_widget_set_sensitive (self->add_button, TRUE);
  if (!crm_store_write_finish (CRM_STORE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

void
crm_task_dialog_add (CrmTaskDialog *self)
{
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) due = NULL;
  CrmTask *task;
  guint owner;

  g_return_if_fail (CRM_IS_TASK_DIALOG (self));

  if (self->saving != NULL)
    return;
  day = gtk_calendar_get_date (self->calendar);
  due = g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                               g_date_time_get_day_of_month (day), gtk_spin_button_get_value_as_int (self->hour_spin),
                               gtk_spin_button_get_value_as_int (self->minute_spin), 0);
  task = crm_task_new ();
  task->customer_id = self->customer_id;
  task->title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));
  task->due_at = g_date_time_to_unix (due) * 1000;
  owner = adw_combo_row_get_selected (self->owner_row);
  if (owner > 0 && owner < g_list_model_get_n_items (G_LIST_MODEL (self->owners)))
    task->owner = g_strdup (gtk_string_list_get_string (self->owners, owner));

  show_error (self, NULL);
  gtk_widget_set_sensitive (self->add_button, FALSE);
  self->saving = g_cancellable_new ();
  crm_store_write_async (self->store, write_task, task, (GDestroyNotify) crm_task_free, NULL, NULL, self->saving,
                         on_saved, g_object_ref (self));
}

GtkEditable *
crm_task_dialog_get_title_entry (CrmTaskDialog *self)
{
  g_return_val_if_fail (CRM_IS_TASK_DIALOG (self), NULL);
  return GTK_EDITABLE (self->title_row);
}

static void
add_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  crm_task_dialog_add (CRM_TASK_DIALOG (widget));
}

static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  gtk_window_destroy (GTK_WINDOW (widget));
}

CrmTaskDialog *
crm_task_dialog_new (GtkWindow  *parent,
                     CrmStore   *store,
                     gint64      customer_id,
                     const char *owner)
{
  CrmTaskDialog *self = g_object_new (CRM_TYPE_TASK_DIALOG, "transient-for", parent, NULL);
  g_autoptr(GPtrArray) owners = crm_owners_list (store, NULL);

  self->store = g_object_ref (store);
  self->customer_id = customer_id;
  for (guint i = 0; owners != NULL && i < owners->len; i++)
    {
      const char *name = ((CrmOwner *) owners->pdata[i])->name;

      gtk_string_list_append (self->owners, name);
      if (g_strcmp0 (name, owner) == 0)
        adw_combo_row_set_selected (self->owner_row, i + 1);
    }
  return self;
}

static void
crm_task_dialog_dispose (GObject *object)
{
  CrmTaskDialog *self = CRM_TASK_DIALOG (object);

  if (self->saving != NULL)
    g_cancellable_cancel (self->saving);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_TASK_DIALOG);
  G_OBJECT_CLASS (crm_task_dialog_parent_class)->dispose (object);
}

static void
crm_task_dialog_finalize (GObject *object)
{
  CrmTaskDialog *self = CRM_TASK_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->owners);
  g_clear_object (&self->saving);
  G_OBJECT_CLASS (crm_task_dialog_parent_class)->finalize (object);
}

static void
crm_task_dialog_class_init (CrmTaskDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_task_dialog_dispose;
  object_class->finalize = crm_task_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/clientele/Clientele/ui/crm-task-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmTaskDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, CrmTaskDialog, owner_row);
  gtk_widget_class_bind_template_child (widget_class, CrmTaskDialog, hour_spin);
  gtk_widget_class_bind_template_child (widget_class, CrmTaskDialog, minute_spin);
  gtk_widget_class_bind_template_child (widget_class, CrmTaskDialog, calendar);
  gtk_widget_class_bind_template_child (widget_class, CrmTaskDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, CrmTaskDialog, add_button);
  gtk_widget_class_install_action (widget_class, "task.add", NULL, add_activated);
  gtk_widget_class_install_action (widget_class, "task.cancel", NULL, cancel_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "task.cancel", NULL);
}

/* GtkCalendar's arrows are icons only: a screen reader gets names for them (month first, as the
 * header shows them). */
static void
name_calendar_buttons (GtkWidget *widget,
                       guint     *n)
{
  const char *names[] = { N_("Previous Month"), N_("Next Month"), N_("Previous Year"), N_("Next Year") };

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) && *n < G_N_ELEMENTS (names))
        crm_ui_set_accessible_name (child, _(names[(*n)++]));
      else
        name_calendar_buttons (child, n);
    }
}

static void
crm_task_dialog_init (CrmTaskDialog *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->owners = gtk_string_list_new (NULL);
  /* Translators: the owner choice of a follow-up: nobody in particular. */
  gtk_string_list_append (self->owners, _("No owner"));
  adw_combo_row_set_model (self->owner_row, G_LIST_MODEL (self->owners));
  gtk_calendar_select_day (self->calendar, tomorrow);
  {
    guint n = 0;

    name_calendar_buttons (GTK_WIDGET (self->calendar), &n);
  }
  g_signal_connect_object (self->title_row, "entry-activated", G_CALLBACK (crm_task_dialog_add), self,
                           G_CONNECT_SWAPPED);
  adw_entry_row_set_show_apply_button (self->title_row, FALSE);
}

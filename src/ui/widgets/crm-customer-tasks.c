/* crm-customer-tasks.c
 *
 * Read on the main connection when a customer is shown and when the session announces a change
 * (a customer's tasks come through the tasks_customer index; the owners are a short table);
 * written through crm_store_write_async().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-customer-tasks.h"
#include "crm-format.h"
#include "crm-pool.h"
#include "crm-task-dialog.h"
#include "crm-tasks.h"
#include "crm-ui-util.h"

#define MAX_TASKS 50

struct _CrmCustomerTasks
{
  AdwBin               parent_instance;

  CrmSession          *session;
  CrmStore            *store;
  gint64               customer_id;
  char                *owner;         /* the customer's, as loaded */
  GtkStringList       *owners;        /* "No owner", then the owners */
  GPtrArray           *rows;
  gboolean             filling;

  /* template children */
  AdwPreferencesGroup *group;
  AdwComboRow         *owner_row;
};

G_DEFINE_FINAL_TYPE (CrmCustomerTasks, crm_customer_tasks, ADW_TYPE_BIN)

static void reload (CrmCustomerTasks *self);

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(CrmCustomerTasks) self = data;
  g_autoptr(GError) error = NULL;

  if (!crm_store_write_finish (CRM_STORE (source), result, &error))
    crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
  reload (self);
}

/* ---- owner --------------------------------------------------------------------------------- */

typedef struct
{
  gint64  customer_id;
  char   *owner;
} Assign;

static void
assign_free (gpointer data)
{
  Assign *a = data;

  g_free (a->owner);
  g_free (a);
}

static gboolean
write_assign (CrmStore  *store,
              gpointer   data,
              GError   **error)
{
  Assign *a = data;

  return crm_pool_assign (store, a->customer_id, a->owner, 0, error);
}

static void
on_owner_selected (CrmCustomerTasks *self)
{
  guint i = adw_combo_row_get_selected (self->owner_row);
  const char *chosen = i > 0 && i < g_list_model_get_n_items (G_LIST_MODEL (self->owners))
                       ? gtk_string_list_get_string (self->owners, i) : NULL;
  Assign *a;

  if (self->filling || self->store == NULL || self->customer_id <= 0 || g_strcmp0 (chosen, self->owner) == 0)
    return;
  a = g_new0 (Assign, 1);
  a->customer_id = self->customer_id;
  a->owner = g_strdup (chosen);
  g_free (self->owner);
  self->owner = g_strdup (chosen);
  crm_store_write_async (self->store, write_assign, a, assign_free, NULL, NULL, NULL, on_written, g_object_ref (self));
}

static void
fill_owners (CrmCustomerTasks *self)
{
  g_autoptr(GPtrArray) owners = crm_owners_list (self->store, NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->owners)), selected = 0;

  g_clear_pointer (&self->owner, g_free);
  self->owner = crm_pool_dup_owner (self->store, self->customer_id, NULL);
  self->filling = TRUE;
  gtk_string_list_splice (self->owners, 1, n - 1, NULL);
  for (guint i = 0; owners != NULL && i < owners->len; i++)
    {
      const char *name = ((CrmOwner *) owners->pdata[i])->name;

      gtk_string_list_append (self->owners, name);
      if (g_strcmp0 (name, self->owner) == 0)
        selected = i + 1;
    }
  adw_combo_row_set_selected (self->owner_row, selected);
  self->filling = FALSE;
}

/* ---- tasks --------------------------------------------------------------------------------- */

static gboolean
write_done (CrmStore  *store,
            gpointer   data,
            GError   **error)
{
  gint64 id = (gint64) GPOINTER_TO_SIZE (data);

  /* The sign says which way: positive marks done, negative not done. */
  return crm_tasks_set_done (store, ABS (id), id > 0, 0, error);
}

static void
on_done_toggled (CrmCustomerTasks *self,
                 GtkCheckButton   *check)
{
  gssize id = (gssize) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (check), "crm-task-id"));

  if (self->filling || self->store == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (check), FALSE);
  crm_store_write_async (self->store, write_done,
                         GSIZE_TO_POINTER ((gsize) (gtk_check_button_get_active (check) ? id : -id)), NULL,
                         NULL, NULL, NULL, on_written, g_object_ref (self));
}

static void
clear_rows (CrmCustomerTasks *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
}

static GtkWidget *
task_row (CrmCustomerTasks *self,
          const CrmTask    *t,
          gint64            now)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  g_autofree char *due = crm_format_date_time (t->due_at);
  g_autofree char *subtitle = NULL;
  const char *state;

  switch (crm_task_get_state (t, now))
    {
    case CRM_TASK_STATE_DONE: state = _("Done"); break;
    case CRM_TASK_STATE_OVERDUE: state = _("Overdue"); break;
    case CRM_TASK_STATE_DUE_TODAY: state = _("Due today"); break;
    case CRM_TASK_STATE_UPCOMING:
    default: state = _("Upcoming"); break;
    }
  /* Translators: under a follow-up in the customer's pane: due time · state (· owner). */
  subtitle = t->owner != NULL ? g_strdup_printf (_("%s · %s · %s"), due, state, t->owner)
                              : g_strdup_printf (_("%s · %s"), due, state);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), t->title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (crm_task_get_state (t, now) == CRM_TASK_STATE_OVERDUE)
    gtk_widget_add_css_class (row, "error");
  if (t->done_at != 0)
    gtk_widget_add_css_class (row, "dim-label");
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), t->done_at != 0);
  gtk_widget_set_tooltip_text (check, t->done_at != 0 ? _("Mark Not Done") : _("Mark Done"));
  crm_ui_set_accessible_name (check, _("Done"));
  g_object_set_data (G_OBJECT (check), "crm-task-id", GSIZE_TO_POINTER ((gsize) t->id));
  g_signal_connect_object (check, "toggled", G_CALLBACK (on_done_toggled), self, G_CONNECT_SWAPPED);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  return row;
}

static void
reload (CrmCustomerTasks *self)
{
  g_autoptr(GPtrArray) tasks = NULL;
  CrmTaskFilter filter = { .include_done = TRUE, .limit = MAX_TASKS };
  gint64 now = crm_now_ms ();
  guint shown = 0;

  clear_rows (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self), self->store != NULL && self->customer_id > 0);
  if (self->store == NULL || self->customer_id <= 0)
    return;
  fill_owners (self);
  filter.customer_id = self->customer_id;
  if (!(tasks = crm_tasks_list (self->store, &filter, NULL)))
    return;
  self->filling = TRUE;
  /* Open ones first (by due time), then the done ones. */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < tasks->len; i++)
      {
        CrmTask *t = g_ptr_array_index (tasks, i);
        GtkWidget *row;

        if ((t->done_at != 0) != (pass == 1) || (pass == 1 && shown >= 10))
          continue;
        row = task_row (self, t, now);
        adw_preferences_group_add (self->group, row);
        g_ptr_array_add (self->rows, row);
        shown += pass;
      }
  self->filling = FALSE;
}

static void
on_changed (CrmCustomerTasks *self,
            GArray           *ids)
{
  gboolean listed = ids == NULL;

  for (guint i = 0; !listed && i < ids->len; i++)
    listed = g_array_index (ids, gint64, i) == self->customer_id;
  if (listed && self->customer_id > 0)
    reload (self);
}

static void
on_settings_changed (CrmCustomerTasks *self,
                     const char       *key)
{
  if (self->customer_id > 0 && (key == NULL || g_str_equal (key, "owners")))
    reload (self);
}

void
crm_customer_tasks_set_customer (CrmCustomerTasks *self,
                                 CrmSession       *session,
                                 gint64            customer_id)
{
  g_return_if_fail (CRM_IS_CUSTOMER_TASKS (self));

  if (self->session != session)
    {
      if (self->session != NULL)
        g_signal_handlers_disconnect_by_data (self->session, self);
      g_set_object (&self->session, session);
      g_clear_object (&self->store);
      if (session != NULL)
        {
          self->store = crm_session_get_store (session) != NULL ? g_object_ref (crm_session_get_store (session)) : NULL;
          g_signal_connect_object (session, "activity-changed", G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (session, "customers-changed", G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (session, "settings-changed", G_CALLBACK (on_settings_changed), self,
                                   G_CONNECT_SWAPPED);
        }
    }
  self->customer_id = customer_id;
  reload (self);
}

AdwComboRow *
crm_customer_tasks_get_owner_row (CrmCustomerTasks *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_TASKS (self), NULL);
  return self->owner_row;
}

GPtrArray *
crm_customer_tasks_get_rows (CrmCustomerTasks *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_TASKS (self), NULL);
  return self->rows;
}

static void
add_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmCustomerTasks *self = CRM_CUSTOMER_TASKS (widget);
  CrmTaskDialog *dialog;

  if (self->store == NULL || self->customer_id <= 0)
    return;
  dialog = crm_task_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->store, self->customer_id, self->owner);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
crm_customer_tasks_dispose (GObject *object)
{
  CrmCustomerTasks *self = CRM_CUSTOMER_TASKS (object);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  /* The group is both AdwBin's child and a template child (see crm-order-history.c). */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_CUSTOMER_TASKS);
  g_ptr_array_set_size (self->rows, 0);

  G_OBJECT_CLASS (crm_customer_tasks_parent_class)->dispose (object);
}

static void
crm_customer_tasks_finalize (GObject *object)
{
  CrmCustomerTasks *self = CRM_CUSTOMER_TASKS (object);

  g_clear_object (&self->session);
  g_clear_object (&self->store);
  g_clear_object (&self->owners);
  g_clear_pointer (&self->owner, g_free);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (crm_customer_tasks_parent_class)->finalize (object);
}

static void
crm_customer_tasks_class_init (CrmCustomerTasksClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_customer_tasks_dispose;
  object_class->finalize = crm_customer_tasks_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-customer-tasks.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerTasks, group);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerTasks, owner_row);
  gtk_widget_class_install_action (widget_class, "customer-tasks.add", NULL, add_activated);
}

static void
crm_customer_tasks_init (CrmCustomerTasks *self)
{
  self->rows = g_ptr_array_new ();
  self->owners = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Translators: the owner of a customer: nobody, the customer is in the pool. */
  gtk_string_list_append (self->owners, _("None (in the pool)"));
  adw_combo_row_set_model (self->owner_row, G_LIST_MODEL (self->owners));
  g_signal_connect_object (self->owner_row, "notify::selected", G_CALLBACK (on_owner_selected), self,
                           G_CONNECT_SWAPPED);
}

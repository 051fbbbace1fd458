/* crm-today-page.c
 *
 * Everything shown comes from one read (crm_tasks_today_load_async(), a job on its own
 * connection); a newer read cancels the older.  Marking a task done and making a suggestion a
 * task are one small write each through crm_store_write_async(), so a write lock held by
 * another program never freezes the window; the session's announcement of that write (or of any
 * other change to tasks, customers or predictions) reads the page again while it is shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-format.h"
#include "crm-tasks-jobs.h"
#include "crm-today-page.h"
#include "crm-ui-util.h"

#define MAX_SUGGESTIONS 20

struct _CrmTodayPage
{
  AdwBin          parent_instance;

  CrmSession     *session;
  CrmStore       *store;
  GSettings      *settings;
  GCancellable   *loading;
  gboolean        folded;
  GPtrArray      *task_rows;
  GPtrArray      *birthday_rows;
  GPtrArray      *suggestion_rows;

  /* template children */
  AdwHeaderBar   *header;
  GtkWidget      *back_button;
  GtkToggleButton *mine_button;
  GtkSpinner     *spinner;
  GtkListBox     *tasks_list;
  GtkListBox     *birthdays_list;
  GtkListBox     *suggestions_list;
};

G_DEFINE_FINAL_TYPE (CrmTodayPage, crm_today_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

enum
{
  OPEN_CUSTOMER,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- rows ---------------------------------------------------------------------------------- */

static void
clear_list (GtkListBox *list,
            GPtrArray  *rows)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
  g_ptr_array_set_size (rows, 0);
}

static GtkWidget *
customer_row (gint64      customer_id,
              const char *title,
              const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title != NULL ? title : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data (G_OBJECT (row), "crm-customer-id", GSIZE_TO_POINTER ((gsize) customer_id));
  return row;
}

static void
add_empty_row (GtkListBox *list,
               const char *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (row, "dim-label");
  gtk_list_box_append (list, row);
}

static void on_done_toggled (CrmTodayPage   *self,
                             GtkCheckButton *check);
static void on_create_clicked (CrmTodayPage *self,
                               GtkButton    *button);

static void
fill_tasks (CrmTodayPage  *self,
            CrmTasksToday *today)
{
  clear_list (self->tasks_list, self->task_rows);
  for (guint i = 0; i < today->tasks->len; i++)
    {
      CrmTask *t = g_ptr_array_index (today->tasks, i);
      g_autofree char *due = crm_format_date_time (t->due_at);
      gboolean overdue = crm_task_get_state (t, today->as_of) == CRM_TASK_STATE_OVERDUE;
      /* Translators: under a follow-up: customer · due time · state, e.g. "王芳 · 12/8/26 09:00 · Overdue". */
      g_autofree char *subtitle = g_strdup_printf (_("%s · %s · %s"), t->customer_name, due,
                                                   overdue ? _("Overdue") : _("Due today"));
      g_autofree char *with_owner = t->owner != NULL ? g_strdup_printf ("%s · %s", subtitle, t->owner) : NULL;
      GtkWidget *row = customer_row (t->customer_id, t->title, with_owner != NULL ? with_owner : subtitle);
      GtkWidget *check = gtk_check_button_new ();

      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (check, _("Mark Done"));
      crm_ui_set_accessible_name (check, _("Mark Done"));
      g_object_set_data (G_OBJECT (check), "crm-task-id", GSIZE_TO_POINTER ((gsize) t->id));
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_done_toggled), self, G_CONNECT_SWAPPED);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      if (overdue)
        gtk_widget_add_css_class (row, "error");
      gtk_list_box_append (self->tasks_list, row);
      g_ptr_array_add (self->task_rows, row);
    }
  if (today->tasks->len == 0)
    add_empty_row (self->tasks_list, _("Nothing due. Well done!"));
}

static void
fill_suggestions (CrmTodayPage *self,
                  GtkListBox   *list,
                  GPtrArray    *rows,
                  GPtrArray    *suggestions,
                  const char   *empty)
{
  clear_list (list, rows);
  /* The rows' buttons take the suggestions. */
  while (suggestions->len > 0)
    {
      CrmTaskSuggestion *s = g_ptr_array_steal_index (suggestions, 0);
      g_autofree char *subtitle = NULL;
      GtkWidget *row, *button;

      if (s->origin == CRM_TASK_ORIGIN_BIRTHDAY)
        {
          g_autofree char *date = crm_format_date (s->due_at);

          subtitle = s->days == 0 ? g_strdup_printf (_("Birthday today, %s"), date)
                                  : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Birthday in %d day, %s",
                                                                  "Birthday in %d days, %s", s->days),
                                                     s->days, date);
        }
      else
        {
          g_autofree char *currency = crm_store_get_setting (self->store, "currency");
          g_autofree char *spent = crm_format_money (s->spent, currency != NULL ? currency : "CNY");

          /* Translators: under a customer at risk: what they spent so far. */
          subtitle = g_strdup_printf (_("Valuable customer at risk · spent %s"), spent);
        }
      row = customer_row (s->customer_id, s->customer_name, subtitle);
      button = gtk_button_new_with_label (_("Create Task"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, s->title);
      g_object_set_data_full (G_OBJECT (button), "crm-suggestion", s, (GDestroyNotify) crm_task_suggestion_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_create_clicked), self, G_CONNECT_SWAPPED);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (list, row);
      g_ptr_array_add (rows, row);
    }
  if (rows->len == 0)
    add_empty_row (list, empty);
}

/* ---- loading ------------------------------------------------------------------------------- */

static void
set_loading (CrmTodayPage *self,
             gboolean      loading)
{
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);
  gtk_spinner_set_spinning (self->spinner, loading);
}

static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(CrmTodayPage) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmTasksToday) today = crm_tasks_today_load_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->loading);
  set_loading (self, FALSE);
  if (today == NULL)
    {
      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }
  fill_tasks (self, today);
  fill_suggestions (self, self->birthdays_list, self->birthday_rows, today->birthdays,
                    _("No birthdays this week."));
  fill_suggestions (self, self->suggestions_list, self->suggestion_rows, today->suggestions,
                    _("No suggestions. Compute predictions on the Dashboard to find customers at risk."));
}

static char *
operator_owner (CrmTodayPage *self)
{
  g_autofree char *owner = g_settings_get_string (self->settings, "operator-owner");

  return owner[0] != '\0' ? g_steal_pointer (&owner) : NULL;
}

void
crm_today_page_reload (CrmTodayPage *self)
{
  g_autofree char *owner = NULL;

  g_return_if_fail (CRM_IS_TODAY_PAGE (self));

  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  if (self->session == NULL || self->store == NULL)
    {
      set_loading (self, FALSE);
      return;
    }
  owner = operator_owner (self);
  gtk_widget_set_visible (GTK_WIDGET (self->mine_button), owner != NULL);
  self->loading = g_cancellable_new ();
  set_loading (self, TRUE);
  crm_tasks_today_load_async (self->session, crm_now_ms (),
                              gtk_toggle_button_get_active (self->mine_button) ? owner : NULL,
                              MAX_SUGGESTIONS, self->loading, load_done, g_object_ref (self));
}

static void
reload_if_shown (CrmTodayPage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    crm_today_page_reload (self);
}

/* ---- writes -------------------------------------------------------------------------------- */

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(CrmTodayPage) self = data;
  g_autoptr(GError) error = NULL;

  if (!crm_store_write_finish (CRM_STORE (source), result, &error))
    crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
  /* The session announces it too; the page shows it now. */
  crm_today_page_reload (self);
}

static gboolean
write_done (CrmStore  *store,
            gpointer   data,
            GError   **error)
{
  return crm_tasks_set_done (store, (gint64) GPOINTER_TO_SIZE (data), TRUE, 0, error);
}

static void
on_done_toggled (CrmTodayPage   *self,
                 GtkCheckButton *check)
{
  gsize id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (check), "crm-task-id"));

  if (!gtk_check_button_get_active (check) || self->store == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (check), FALSE);
  crm_store_write_async (self->store, write_done, GSIZE_TO_POINTER (id), NULL, NULL, NULL, NULL,
                         on_written, g_object_ref (self));
}

static gboolean
write_accept (CrmStore  *store,
              gpointer   data,
              GError   **error)
{
  g_autoptr(CrmTask) task = crm_tasks_accept (store, data, NULL, error);

  return task != NULL;
}

static void
on_create_clicked (CrmTodayPage *self,
                   GtkButton    *button)
{
  CrmTaskSuggestion *s = g_object_get_data (G_OBJECT (button), "crm-suggestion");
  CrmTaskSuggestion *copy;

  if (s == NULL || self->store == NULL)
    return;
  copy = g_new0 (CrmTaskSuggestion, 1);
  *copy = *s;
  copy->customer_uuid = g_strdup (s->customer_uuid);
  copy->customer_name = g_strdup (s->customer_name);
  copy->key = g_strdup (s->key);
  copy->title = g_strdup (s->title);
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  crm_store_write_async (self->store, write_accept, copy, (GDestroyNotify) crm_task_suggestion_free, NULL, NULL,
                         NULL, on_written, g_object_ref (self));
}

static void
on_row_activated (CrmTodayPage  *self,
                  GtkListBoxRow *row)
{
  gint64 id = (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "crm-customer-id"));

  if (id > 0)
    g_signal_emit (self, signals[OPEN_CUSTOMER], 0, id);
}

/* ---- public -------------------------------------------------------------------------------- */

void
crm_today_page_set_session (CrmTodayPage *self,
                            CrmSession   *session)
{
  g_return_if_fail (CRM_IS_TODAY_PAGE (self));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  g_clear_object (&self->store);
  if (session != NULL && crm_session_get_store (session) != NULL)
    {
      self->store = g_object_ref (crm_session_get_store (session));
      g_signal_connect_object (session, "activity-changed", G_CALLBACK (reload_if_shown), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "customers-changed", G_CALLBACK (reload_if_shown), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "values-recomputed", G_CALLBACK (reload_if_shown), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "settings-changed", G_CALLBACK (reload_if_shown), self, G_CONNECT_SWAPPED);
    }
  reload_if_shown (self);
}

void
crm_today_page_set_folded (CrmTodayPage *self,
                           gboolean      folded)
{
  g_return_if_fail (CRM_IS_TODAY_PAGE (self));

  crm_ui_page_set_folded (G_OBJECT (self), properties[PROP_FOLDED], &self->folded, folded,
                          self->back_button, self->header);
}

gboolean
crm_today_page_get_loading (CrmTodayPage *self)
{
  g_return_val_if_fail (CRM_IS_TODAY_PAGE (self), FALSE);
  return self->loading != NULL;
}

GPtrArray *
crm_today_page_get_task_rows (CrmTodayPage *self)
{
  g_return_val_if_fail (CRM_IS_TODAY_PAGE (self), NULL);
  return self->task_rows;
}

GPtrArray *
crm_today_page_get_birthday_rows (CrmTodayPage *self)
{
  g_return_val_if_fail (CRM_IS_TODAY_PAGE (self), NULL);
  return self->birthday_rows;
}

GPtrArray *
crm_today_page_get_suggestion_rows (CrmTodayPage *self)
{
  g_return_val_if_fail (CRM_IS_TODAY_PAGE (self), NULL);
  return self->suggestion_rows;
}

/* ---- GObject ------------------------------------------------------------------------------- */

static void
refresh_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  crm_today_page_reload (CRM_TODAY_PAGE (widget));
}

static void
crm_today_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (crm_today_page_parent_class)->map (widget);
  crm_today_page_reload (CRM_TODAY_PAGE (widget));
}

static void
crm_today_page_dispose (GObject *object)
{
  CrmTodayPage *self = CRM_TODAY_PAGE (object);

  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_TODAY_PAGE);

  G_OBJECT_CLASS (crm_today_page_parent_class)->dispose (object);
}

static void
crm_today_page_finalize (GObject *object)
{
  CrmTodayPage *self = CRM_TODAY_PAGE (object);

  g_clear_object (&self->session);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->loading);
  g_clear_pointer (&self->task_rows, g_ptr_array_unref);
  g_clear_pointer (&self->birthday_rows, g_ptr_array_unref);
  g_clear_pointer (&self->suggestion_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (crm_today_page_parent_class)->finalize (object);
}

static void
crm_today_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CrmTodayPage *self = CRM_TODAY_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_today_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CrmTodayPage *self = CRM_TODAY_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      crm_today_page_set_folded (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_today_page_class_init (CrmTodayPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_today_page_dispose;
  object_class->finalize = crm_today_page_finalize;
  object_class->get_property = crm_today_page_get_property;
  object_class->set_property = crm_today_page_set_property;
  widget_class->map = crm_today_page_map;

  /* Set by the window: the sidebar is folded away, so show a back button. */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A row was activated: its customer. */
  signals[OPEN_CUSTOMER] = g_signal_new ("open-customer", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/clientele/Clientele/ui/crm-today-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmTodayPage, header);
  gtk_widget_class_bind_template_child (widget_class, CrmTodayPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, CrmTodayPage, mine_button);
  gtk_widget_class_bind_template_child (widget_class, CrmTodayPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CrmTodayPage, tasks_list);
  gtk_widget_class_bind_template_child (widget_class, CrmTodayPage, birthdays_list);
  gtk_widget_class_bind_template_child (widget_class, CrmTodayPage, suggestions_list);
  gtk_widget_class_install_action (widget_class, "today.refresh", NULL, refresh_activated);
}

static void
crm_today_page_init (CrmTodayPage *self)
{
  self->task_rows = g_ptr_array_new ();
  self->birthday_rows = g_ptr_array_new ();
  self->suggestion_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::operator-owner", G_CALLBACK (reload_if_shown), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->mine_button, "toggled", G_CALLBACK (crm_today_page_reload), self, G_CONNECT_SWAPPED);
  gtk_widget_set_visible (GTK_WIDGET (self->mine_button), FALSE);
  g_signal_connect_object (self->tasks_list, "row-activated", G_CALLBACK (on_row_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->birthdays_list, "row-activated", G_CALLBACK (on_row_activated), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->suggestions_list, "row-activated", G_CALLBACK (on_row_activated), self,
                           G_CONNECT_SWAPPED);
}

/* crm-feedback-dialog.c
 *
 * The form shows what the kind takes: a score (0–10 for NPS, 1–5 for CSAT and reviews), a
 * priority for complaints and inquiries, where a review was posted.  The core checks the rest
 * (crm_feedback_add()); its message shows under the form and the dialog stays open.  The write
 * goes through crm_store_write_async(), so another program holding the write lock never
 * freezes the window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-customer-editor.h"
#include "crm-customers-page.h"
#include "crm-feedback-dialog.h"
#include "crm-feedback-service.h"
#include "crm-ui-util.h"

struct _CrmFeedbackDialog
{
  AdwWindow      parent_instance;

  CrmWindow     *window;   /* weak */
  CrmStore      *store;
  gint64         customer_id;
  GCancellable  *saving;
  char          *problem;

  /* template children */
  AdwComboRow   *kind_row;
  AdwActionRow  *score_row;
  GtkSpinButton *score_spin;
  AdwComboRow   *priority_row;
  AdwComboRow   *channel_row;
  AdwEntryRow   *source_row;
  AdwEntryRow   *text_row;
  GtkLabel      *problem_label;
  GtkWidget     *save_button;
};

G_DEFINE_FINAL_TYPE (CrmFeedbackDialog, crm_feedback_dialog, ADW_TYPE_WINDOW)

static const char *
selected_key (AdwComboRow        *row,
              const char * const *keys)
{
  guint i = adw_combo_row_get_selected (row);

  return i < g_strv_length ((char **) keys) ? keys[i] : NULL;
}

static void
select_key (AdwComboRow        *row,
            const char * const *keys,
            const char         *key)
{
  for (guint i = 0; keys[i] != NULL; i++)
    if (g_str_equal (keys[i], key))
      adw_combo_row_set_selected (row, i);
}

static void
update_form (CrmFeedbackDialog *self)
{
  const char *kind = selected_key (self->kind_row, crm_feedback_kinds ());
  gboolean nps = g_strcmp0 (kind, "nps") == 0;
  gboolean scored = nps || g_strcmp0 (kind, "csat") == 0 || g_strcmp0 (kind, "review") == 0;

  gtk_widget_set_visible (GTK_WIDGET (self->score_row), scored);
  gtk_spin_button_set_range (self->score_spin, nps ? 0 : 1, nps ? 10 : 5);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->score_row),
                                 nps ? _("Score (0–10)") : g_strcmp0 (kind, "review") == 0 ? _("Rating (1–5)")
                                                                                            : _("Score (1–5)"));
  gtk_widget_set_visible (GTK_WIDGET (self->priority_row), crm_feedback_kind_has_workflow (kind));
  gtk_widget_set_visible (GTK_WIDGET (self->source_row), g_strcmp0 (kind, "review") == 0);
}

static void
show_problem (CrmFeedbackDialog *self,
              const char        *message)
{
  g_free (self->problem);
  self->problem = g_strdup (message);
  gtk_label_set_label (self->problem_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), message != NULL);
}

static gboolean
write_feedback (CrmStore  *store,
                gpointer   data,
                GError   **error)
{
  return crm_feedback_add (store, CRM_FEEDBACK (data), NULL, error);
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  g_autoptr(CrmFeedbackDialog) self = data;
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->saving);
  gtk_widget_set_sensitive (self->save_button, TRUE);
  if (!crm_store_write_finish (CRM_STORE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_problem (self, error->message);
      return;
    }
  if (self->window != NULL)
    crm_window_add_toast (self->window, adw_toast_new (_("Feedback saved")));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save (GtkWidget  *widget,
      const char *action_name,
      GVariant   *parameter)
{
  CrmFeedbackDialog *self = CRM_FEEDBACK_DIALOG (widget);
  const char *kind = selected_key (self->kind_row, crm_feedback_kinds ());
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->text_row))));
  g_autofree char *source = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->source_row))));
  CrmFeedback *f;

  if (self->saving != NULL || self->store == NULL)
    return;
  f = crm_feedback_new ();
  crm_feedback_set_customer_id (f, self->customer_id);
  crm_feedback_set_kind (f, kind);
  if (gtk_widget_get_visible (GTK_WIDGET (self->score_row)))
    crm_feedback_set_score (f, gtk_spin_button_get_value_as_int (self->score_spin));
  if (crm_feedback_kind_has_workflow (kind))
    crm_feedback_set_priority (f, selected_key (self->priority_row, crm_feedback_priorities ()));
  crm_feedback_set_channel (f, selected_key (self->channel_row, crm_feedback_channels ()));
  if (g_strcmp0 (kind, "review") == 0 && source[0] != '\0')
    crm_feedback_set_source (f, source);
  crm_feedback_set_comment (f, text[0] != '\0' ? text : NULL);

  show_problem (self, NULL);
  gtk_widget_set_sensitive (self->save_button, FALSE);
  self->saving = g_cancellable_new ();
  crm_store_write_async (self->store, write_feedback, f, g_object_unref, NULL, NULL, self->saving, on_saved,
                         g_object_ref (self));
}

static void
cancel (GtkWidget  *widget,
        const char *action_name,
        GVariant   *parameter)
{
  gtk_window_destroy (GTK_WINDOW (widget));
}

static GListModel *
labels_model (const char * const *keys,
              const char        *(*label) (const char *))
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (guint i = 0; keys[i] != NULL; i++)
    gtk_string_list_append (list, label (keys[i]));
  return G_LIST_MODEL (list);
}

CrmFeedbackDialog *
crm_feedback_dialog_new (CrmWindow *window,
                         gint64     customer_id)
{
  CrmFeedbackDialog *self = g_object_new (CRM_TYPE_FEEDBACK_DIALOG, "transient-for", window, NULL);

  g_set_weak_pointer (&self->window, window);
  self->store = crm_window_get_store (window) != NULL ? g_object_ref (crm_window_get_store (window)) : NULL;
  self->customer_id = customer_id;
  return self;
}

void
crm_feedback_dialog_open (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  CrmWindow *window = CRM_WINDOW (widget);
  CrmCustomerEditor *editor = crm_customers_page_get_editor (crm_window_get_customers_page (window));
  CrmCustomer *customer = crm_customer_editor_get_customer (editor);

  if (crm_window_get_store (window) == NULL || customer == NULL || crm_customer_editor_get_is_new (editor))
    {
      crm_window_add_toast (window, adw_toast_new (_("Open a saved customer to add feedback from them.")));
      return;
    }
  gtk_window_present (GTK_WINDOW (crm_feedback_dialog_new (window, crm_entity_get_id (CRM_ENTITY (customer)))));
}

/* ---- for tests ----------------------------------------------------------------------------- */

void
crm_feedback_dialog_set_kind (CrmFeedbackDialog *self,
                              const char        *kind)
{
  g_return_if_fail (CRM_IS_FEEDBACK_DIALOG (self));
  select_key (self->kind_row, crm_feedback_kinds (), kind);
}

void
crm_feedback_dialog_set_priority (CrmFeedbackDialog *self,
                                  const char        *priority)
{
  g_return_if_fail (CRM_IS_FEEDBACK_DIALOG (self));
  select_key (self->priority_row, crm_feedback_priorities (), priority);
}

GtkEditable *
crm_feedback_dialog_get_text_entry (CrmFeedbackDialog *self)
{
  g_return_val_if_fail (CRM_IS_FEEDBACK_DIALOG (self), NULL);
  return GTK_EDITABLE (self->text_row);
}

GtkSpinButton *
crm_feedback_dialog_get_score_spin (CrmFeedbackDialog *self)
{
  g_return_val_if_fail (CRM_IS_FEEDBACK_DIALOG (self), NULL);
  return self->score_spin;
}

const char *
crm_feedback_dialog_get_problem (CrmFeedbackDialog *self)
{
  g_return_val_if_fail (CRM_IS_FEEDBACK_DIALOG (self), NULL);
  return self->problem;
}

/* ---- GObject ------------------------------------------------------------------------------- */

static void
crm_feedback_dialog_dispose (GObject *object)
{
  CrmFeedbackDialog *self = CRM_FEEDBACK_DIALOG (object);

  if (self->saving != NULL)
    g_cancellable_cancel (self->saving);
  g_clear_weak_pointer (&self->window);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_FEEDBACK_DIALOG);

  G_OBJECT_CLASS (crm_feedback_dialog_parent_class)->dispose (object);
}

static void
crm_feedback_dialog_finalize (GObject *object)
{
  CrmFeedbackDialog *self = CRM_FEEDBACK_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->saving);
  g_free (self->problem);

  G_OBJECT_CLASS (crm_feedback_dialog_parent_class)->finalize (object);
}

static void
crm_feedback_dialog_class_init (CrmFeedbackDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_feedback_dialog_dispose;
  object_class->finalize = crm_feedback_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-feedback-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackDialog, score_row);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackDialog, score_spin);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackDialog, priority_row);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackDialog, channel_row);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackDialog, source_row);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackDialog, text_row);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackDialog, save_button);

  gtk_widget_class_install_action (widget_class, "feedback.save", NULL, save);
  gtk_widget_class_install_action (widget_class, "feedback.cancel", NULL, cancel);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "feedback.cancel", NULL);
}

static void
crm_feedback_dialog_init (CrmFeedbackDialog *self)
{
  g_autoptr(GListModel) kinds = labels_model (crm_feedback_kinds (), crm_feedback_kind_get_label);
  g_autoptr(GListModel) priorities = labels_model (crm_feedback_priorities (), crm_feedback_priority_get_label);
  g_autoptr(GListModel) channels = labels_model (crm_feedback_channels (), crm_feedback_channel_get_label);

  gtk_widget_init_template (GTK_WIDGET (self));

  adw_combo_row_set_model (self->kind_row, kinds);
  adw_combo_row_set_model (self->priority_row, priorities);
  adw_combo_row_set_model (self->channel_row, channels);
  /* A complaint at normal priority is what a shop records most by hand. */
  select_key (self->kind_row, crm_feedback_kinds (), "complaint");
  select_key (self->priority_row, crm_feedback_priorities (), "normal");
  g_signal_connect_object (self->kind_row, "notify::selected", G_CALLBACK (update_form), self, G_CONNECT_SWAPPED);
  update_form (self);
}

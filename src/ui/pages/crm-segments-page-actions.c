/* crm-segments-page-actions.c: the actions of the Segments page and the
 * export of a segment's customers, which runs as a job (crm_export_async) with
 * progress and Cancel on the page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-format.h"
#include "crm-io-jobs.h"
#include "crm-segments-page-private.h"
#include "crm-ui-util.h"
#include "crm-value-report.h"

/* Export ------------------------------------------------------------------- */

static void
export_progress (const CrmJobProgress *progress,
                 gpointer              user_data)
{
  CrmSegmentsPage *self = user_data;
  g_autofree char *rows = crm_format_count (progress->done);
  g_autofree char *total = crm_format_count (progress->total);
  g_autofree char *text = g_strdup_printf (_("Exporting %s of %s customers…"), rows, total);

  if (progress->total > 0)
    gtk_progress_bar_set_fraction (self->export_progress, MIN (1.0, (double) progress->done / progress->total));
  gtk_progress_bar_set_text (self->export_progress, text);
}

void
_crm_segments_page_set_exporting (CrmSegmentsPage *self,
                                  gboolean         exporting)
{
  gtk_revealer_set_reveal_child (self->export_revealer, exporting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "segments.export", !exporting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "segments.cancel-export", exporting);
}

static void
export_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CrmSegmentsPage) self = user_data;
  g_autofree char *display_name = g_steal_pointer (&self->export_name);
  g_autoptr(GError) error = NULL;
  guint64 rows = 0;

  g_clear_object (&self->export_cancellable);
  _crm_segments_page_set_exporting (self, FALSE);

  if (!crm_export_finish (result, &rows, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        crm_ui_show_toast (GTK_WIDGET (self),
                           adw_toast_new (_("Export cancelled; no file was written.")));
      else
        crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }

  {
    g_autofree char *count = crm_format_count (rows);
    AdwToast *toast = adw_toast_new_format (g_dngettext (GETTEXT_PACKAGE,
                                                         "Exported %s customer to “%s”",
                                                         "Exported %s customers to “%s”", rows),
                                            count, display_name);
    crm_ui_show_toast (GTK_WIDGET (self), toast);
  }
}

void
crm_segments_page_export_segment (CrmSegmentsPage *self,
                                  CrmSegment      *segment,
                                  GFile           *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRule) rule = NULL;
  g_autoptr(CrmQuery) query = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (CRM_IS_SEGMENTS_PAGE (self));
  g_return_if_fail (CRM_IS_SEGMENT (segment));
  g_return_if_fail (G_IS_FILE (file));

  if (self->store == NULL || self->export_cancellable != NULL)
    return;

  rule = crm_rule_new_from_json (crm_segment_get_rule (segment), &error);
  if (rule == NULL)
    {
      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }
  query = crm_query_new ();
  crm_query_set_rule (query, rule);
  path = g_file_get_path (file);

  g_free (self->export_name);
  self->export_name = g_file_get_basename (file);
  self->export_cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->export_progress, 0);
  gtk_progress_bar_set_text (self->export_progress, _("Starting…"));
  _crm_segments_page_set_exporting (self, TRUE);

  /* Counted first, so the bar says how many there are to go. */
  crm_export_async (self->session, CRM_EXPORT_CUSTOMERS_CSV, query, path, CRM_CSV_ENCODING_UTF8_BOM, -1,
                    self->export_cancellable, export_progress, self, export_done, g_object_ref (self));
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    CrmSegmentsPage *self)
{
  CrmSegment *segment = g_object_get_data (G_OBJECT (dialog), "crm-segment");

  if (response == GTK_RESPONSE_ACCEPT && segment != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL && g_file_peek_path (file) != NULL)
        crm_segments_page_export_segment (self, segment, file);
      else if (file != NULL)
        crm_ui_show_toast (GTK_WIDGET (self),
                           adw_toast_new (_("Choose a file on this computer to export to.")));
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

/* Actions ------------------------------------------------------------------ */

static CrmSegment *
segment_for_action (CrmSegmentsPage *self,
                    GVariant        *parameter)
{
  return parameter != NULL ? _crm_segments_page_find_segment (self, g_variant_get_int64 (parameter), NULL) : NULL;
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  CrmSegmentsPage *self = CRM_SEGMENTS_PAGE (widget);

  g_clear_object (&self->editing);
  crm_rule_editor_clear (self->rule_editor);
  crm_rule_group_row_add_condition (crm_rule_editor_get_root (self->rule_editor));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  _crm_segments_page_update_title (self);
  _crm_segments_page_update_actions (self);
}

static void
on_replace_response (CrmSegmentsPage  *self,
                     const char       *response,
                     AdwMessageDialog *dialog)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "replace") == 0 && !_crm_segments_page_save_full (self, TRUE, &error))
    crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmSegmentsPage *self = CRM_SEGMENTS_PAGE (widget);
  g_autofree char *name = _crm_segments_page_typed_name (self);
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;

  /* Saving under another segment's name replaces that segment's rule: asked first. */
  if (crm_segments_page_get_can_save (self) && _crm_segments_page_find_named (self, name, self->editing) != NULL)
    {
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), NULL, NULL));
      adw_message_dialog_format_heading (dialog, _("Replace segment “%s”?"), name);
      adw_message_dialog_set_body (dialog, _("A segment with this name already exists. "
                                             "Replacing it changes its rule to the one shown here."));
      adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "replace", _("_Replace"), NULL);
      adw_message_dialog_set_response_appearance (dialog, "replace", ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (dialog, "cancel");
      adw_message_dialog_set_close_response (dialog, "cancel");
      g_signal_connect_object (dialog, "response", G_CALLBACK (on_replace_response), self, G_CONNECT_SWAPPED);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  if (!crm_segments_page_save (self, &error))
    crm_ui_show_toast (widget, adw_toast_new (error->message));
}

void
_crm_segments_page_on_name_activated (CrmSegmentsPage *self)
{
  if (crm_segments_page_get_can_save (self))
    gtk_widget_activate_action (GTK_WIDGET (self), "segments.save", NULL);
}

static void
show_current_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CrmSegmentsPage *self = CRM_SEGMENTS_PAGE (widget);
  CrmRule *rule = crm_rule_editor_get_rule (self->rule_editor);
  g_autoptr(CrmSegment) shown = NULL;
  g_autofree char *name = _crm_segments_page_typed_name (self);
  g_autofree char *json = NULL;

  if (rule == NULL)
    return;

  /* An unsaved rule is shown through a segment that is never stored. */
  json = crm_rule_to_json (rule);
  shown = crm_segment_new ();
  crm_segment_set_name (shown, name[0] != '\0' ? name : _("Unsaved Segment"));
  crm_segment_set_rule (shown, json);
  g_signal_emit_by_name (self, "show-segment", shown);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmSegmentsPage *self = CRM_SEGMENTS_PAGE (widget);
  CrmSegment *segment = segment_for_action (self, parameter);

  if (segment != NULL)
    g_signal_emit_by_name (self, "show-segment", segment);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmSegmentsPage *self = CRM_SEGMENTS_PAGE (widget);
  CrmSegment *segment = segment_for_action (self, parameter);

  if (segment != NULL)
    crm_segments_page_edit_segment (self, segment);
}

static void
on_rename_response (CrmSegmentsPage  *self,
                    const char       *response,
                    AdwMessageDialog *dialog)
{
  CrmSegment *segment = g_object_get_data (G_OBJECT (dialog), "crm-segment");
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "crm-entry");
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "rename") != 0 || segment == NULL)
    return;

  if (!crm_segments_page_rename_segment (self, segment, gtk_editable_get_text (entry), &error))
    crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
}

static void
on_rename_entry_changed (GtkEditable      *entry,
                         AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "rename", text[0] != '\0');
}

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmSegmentsPage *self = CRM_SEGMENTS_PAGE (widget);
  CrmSegment *segment = segment_for_action (self, parameter);
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  if (segment == NULL)
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                                       _("Rename Segment"), NULL));
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), crm_segment_get_name (segment));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Segment Name"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "rename", _("_Rename"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "rename", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "rename");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "crm-segment", g_object_ref (segment), g_object_unref);
  g_object_set_data (G_OBJECT (dialog), "crm-entry", entry);
  g_signal_connect (entry, "changed", G_CALLBACK (on_rename_entry_changed), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_response), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmSegmentsPage *self = CRM_SEGMENTS_PAGE (widget);
  CrmSegment *segment = segment_for_action (self, parameter);
  g_autoptr(GError) error = NULL;

  if (segment != NULL && !crm_segments_page_delete_segment (self, segment, &error))
    crm_ui_show_toast (widget, adw_toast_new (error->message));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmSegmentsPage *self = CRM_SEGMENTS_PAGE (widget);
  CrmSegment *segment = segment_for_action (self, parameter);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  if (segment == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Export Segment"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* A file name cannot hold "/"; keep the rest of the name as it is. */
  name = g_strdelimit (g_strdup_printf ("%s.csv", crm_segment_get_name (segment)), "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);

  g_object_set_data_full (G_OBJECT (chooser), "crm-segment", g_object_ref (segment), g_object_unref);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
cancel_export_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CrmSegmentsPage *self = CRM_SEGMENTS_PAGE (widget);

  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
}

void
_crm_segments_page_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "segments.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "segments.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "segments.show-current", NULL, show_current_action);
  gtk_widget_class_install_action (widget_class, "segments.open", "x", open_action);
  gtk_widget_class_install_action (widget_class, "segments.edit", "x", edit_action);
  gtk_widget_class_install_action (widget_class, "segments.rename", "x", rename_action);
  gtk_widget_class_install_action (widget_class, "segments.delete", "x", delete_action);
  gtk_widget_class_install_action (widget_class, "segments.export", "x", export_action);
  gtk_widget_class_install_action (widget_class, "segments.cancel-export", NULL, cancel_export_action);
}

/* crm-export-dialog.c
 *
 * The worker reads through a reader connection of its own (WAL: the window
 * goes on reading and writing meanwhile) and a copy of the view's query, so
 * what is written is what the list shows when Export is pressed.  The core
 * writers only create the file once it is complete.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-customers-page.h"
#include "crm-export-dialog.h"
#include "crm-export.h"
#include "crm-format.h"
#include "crm-ui-util.h"
#include "crm-vcard.h"

static const CrmCsvEncoding encodings[] = {
  CRM_CSV_ENCODING_UTF8_BOM,
  CRM_CSV_ENCODING_UTF8,
  CRM_CSV_ENCODING_GBK,
};

/* The last choices, for the next export in this session. */
static guint last_encoding = 0;
static guint last_format = 0;

typedef struct
{
  char            *db_path;
  CrmQuery        *query;          /* customers; NULL for orders */
  char            *out_path;
  CrmExportFormat  format;
  CrmCsvEncoding   encoding;
  guint64          total;          /* 0: unknown */
  GMutex           lock;
  guint64          rows;
} ExportJob;

struct _CrmExportDialog
{
  AdwWindow        parent_instance;

  CrmWindow       *window;         /* weak */
  GCancellable    *cancellable;
  guint            tick_id;
  ExportJob       *job;
  GFile           *file;
  char            *view_description;
  guint64          view_count;

  /* template children */
  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkButton       *cancel_button;
  GtkButton       *export_button;
  AdwActionRow    *customers_row;
  GtkCheckButton  *customers_check;
  GtkCheckButton  *orders_check;
  AdwComboRow     *format_row;
  AdwComboRow     *encoding_row;
  GtkProgressBar  *progress_bar;
};

G_DEFINE_FINAL_TYPE (CrmExportDialog, crm_export_dialog, ADW_TYPE_WINDOW)

static void
export_job_free (ExportJob *job)
{
  g_mutex_clear (&job->lock);
  g_free (job->db_path);
  g_clear_object (&job->query);
  g_free (job->out_path);
  g_free (job);
}

static gboolean
exporting_orders (CrmExportDialog *self)
{
  return gtk_check_button_get_active (self->orders_check);
}

static CrmExportFormat
chosen_format (CrmExportDialog *self)
{
  if (exporting_orders (self))
    return CRM_EXPORT_FORMAT_CSV;

  switch (adw_combo_row_get_selected (self->format_row))
    {
    case 1:
      return CRM_EXPORT_FORMAT_VCARD_3;
    case 2:
      return CRM_EXPORT_FORMAT_VCARD_4;
    default:
      return CRM_EXPORT_FORMAT_CSV;
    }
}

static void
update_state (CrmExportDialog *self)
{
  gboolean running = self->cancellable != NULL;

  /* vCards hold people, not orders. */
  if (exporting_orders (self) && adw_combo_row_get_selected (self->format_row) != 0)
    adw_combo_row_set_selected (self->format_row, 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->format_row), !exporting_orders (self));
  gtk_widget_set_visible (GTK_WIDGET (self->encoding_row), chosen_format (self) == CRM_EXPORT_FORMAT_CSV);

  gtk_widget_set_visible (GTK_WIDGET (self->export_button), !running);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.choose-file", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.cancel", running);
}

void
crm_export_dialog_set_orders (CrmExportDialog *self,
                              gboolean         orders)
{
  g_return_if_fail (CRM_IS_EXPORT_DIALOG (self));

  gtk_check_button_set_active (orders ? self->orders_check : self->customers_check, TRUE);
  update_state (self);
}

void
crm_export_dialog_set_format (CrmExportDialog *self,
                              CrmExportFormat  format)
{
  g_return_if_fail (CRM_IS_EXPORT_DIALOG (self));

  adw_combo_row_set_selected (self->format_row, format == CRM_EXPORT_FORMAT_VCARD_3 ? 1
                                                : format == CRM_EXPORT_FORMAT_VCARD_4 ? 2 : 0);
}

void
crm_export_dialog_set_encoding (CrmExportDialog *self,
                                CrmCsvEncoding   encoding)
{
  g_return_if_fail (CRM_IS_EXPORT_DIALOG (self));

  for (guint i = 0; i < G_N_ELEMENTS (encodings); i++)
    if (encodings[i] == encoding)
      adw_combo_row_set_selected (self->encoding_row, i);
}

gboolean
crm_export_dialog_get_running (CrmExportDialog *self)
{
  g_return_val_if_fail (CRM_IS_EXPORT_DIALOG (self), FALSE);

  return self->cancellable != NULL;
}

const char *
crm_export_dialog_get_view_description (CrmExportDialog *self)
{
  g_return_val_if_fail (CRM_IS_EXPORT_DIALOG (self), NULL);

  return self->view_description;
}

/* "1,234 customers · matching “zhang” · segment “VIP” · filtered". */
static void
describe_view (CrmExportDialog *self)
{
  CrmCustomersPage *page = crm_window_get_customers_page (self->window);
  CrmCustomerList *list = crm_customers_page_get_list (page);
  CrmQuery *query = list != NULL ? crm_customer_list_get_query (list) : NULL;
  CrmSegment *segment = crm_customers_page_get_segment (page);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *count = NULL;

  self->view_count = list != NULL ? g_list_model_get_n_items (G_LIST_MODEL (list)) : 0;
  count = crm_format_count (self->view_count);
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%s customer", "%s customers", self->view_count),
                          count);
  if (query != NULL && crm_query_get_search_text (query) != NULL)
    {
      g_string_append (text, " · ");
      /* Translators: part of the description of the exported view: the search text. */
      g_string_append_printf (text, _("matching “%s”"), crm_query_get_search_text (query));
    }
  if (segment != NULL)
    {
      g_string_append (text, " · ");
      /* Translators: part of the description of the exported view: the saved segment shown. */
      g_string_append_printf (text, _("segment “%s”"), crm_segment_get_name (segment));
    }
  if (query != NULL && (crm_query_get_tier_id (query) != 0 || crm_query_get_lifecycle (query) != -1 ||
                        crm_query_get_city (query) != NULL || crm_query_get_tag (query) != NULL))
    {
      g_string_append (text, " · ");
      g_string_append (text, _("filtered"));
    }

  g_free (self->view_description);
  self->view_description = g_string_free (g_steal_pointer (&text), FALSE);
  adw_action_row_set_subtitle (self->customers_row, self->view_description);
}

/* Running ------------------------------------------------------------------ */

static void
export_progress (guint64  rows,
                 gpointer user_data)
{
  ExportJob *job = user_data;

  g_mutex_lock (&job->lock);
  job->rows = rows;
  g_mutex_unlock (&job->lock);
}

static gboolean
progress_tick (gpointer user_data)
{
  CrmExportDialog *self = user_data;
  guint64 rows;
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;

  if (self->job == NULL)
    return G_SOURCE_CONTINUE;

  g_mutex_lock (&self->job->lock);
  rows = self->job->rows;
  g_mutex_unlock (&self->job->lock);
  count = crm_format_count (rows);
  if (self->job->total > 0)
    {
      g_autofree char *total = crm_format_count (self->job->total);

      /* Translators: export progress, e.g. "12,000 of 50,000 rows". */
      text = g_strdup_printf (_("%s of %s rows"), count, total);
      gtk_progress_bar_set_fraction (self->progress_bar, CLAMP ((double) rows / self->job->total, 0.0, 1.0));
    }
  else
    {
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s row", "%s rows", rows), count);
      gtk_progress_bar_pulse (self->progress_bar);
    }
  gtk_progress_bar_set_text (self->progress_bar, text);

  return G_SOURCE_CONTINUE;
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr(CrmStore) reader = NULL;
  GError *error = NULL;
  guint64 rows = 0;
  gboolean ok;

  reader = crm_store_open_reader (job->db_path, &error);
  if (reader == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (job->query == NULL)
    ok = crm_export_orders_csv (reader, 0, job->out_path, job->encoding, export_progress, job,
                                cancellable, &rows, &error);
  else if (job->format == CRM_EXPORT_FORMAT_CSV)
    ok = crm_export_customers_csv (reader, job->query, job->out_path, job->encoding, export_progress, job,
                                   cancellable, &rows, &error);
  else
    ok = crm_vcard_export_customers (reader, job->query, job->out_path,
                                     job->format == CRM_EXPORT_FORMAT_VCARD_4 ? CRM_VCARD_VERSION_4_0
                                                                              : CRM_VCARD_VERSION_3_0,
                                     export_progress, job, cancellable, &rows, &error);

  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, (gssize) rows);
}

static void
on_open_folder (AdwToast *toast,
                GtkWindow *window)
{
  GFile *file = g_object_get_data (G_OBJECT (toast), "crm-file");
  g_autoptr(GFile) parent = file != NULL ? g_file_get_parent (file) : NULL;
  g_autofree char *uri = parent != NULL ? g_file_get_uri (parent) : NULL;

  if (uri != NULL)
    gtk_show_uri (window, uri, GDK_CURRENT_TIME);
}

static void
export_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CrmExportDialog *self = CRM_EXPORT_DIALOG (object);
  g_autoptr(GError) error = NULL;
  gboolean orders = self->job != NULL && self->job->query == NULL;
  gssize rows = g_task_propagate_int (G_TASK (result), &error);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_object (&self->cancellable);
  self->job = NULL;   /* owned by the task */
  gtk_stack_set_visible_child_name (self->stack, "setup");
  update_state (self);

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_toast_overlay_add_toast (self->toast_overlay,
                                     adw_toast_new (_("Export cancelled; no file was written.")));
      else
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }

  if (self->window != NULL)
    {
      g_autofree char *count = crm_format_count (rows);
      g_autofree char *name = g_file_get_basename (self->file);
      AdwToast *toast;

      if (orders)
        toast = adw_toast_new_format (g_dngettext (GETTEXT_PACKAGE, "Exported %s order to “%s”",
                                                   "Exported %s orders to “%s”", rows), count, name);
      else
        toast = adw_toast_new_format (g_dngettext (GETTEXT_PACKAGE, "Exported %s customer to “%s”",
                                                   "Exported %s customers to “%s”", rows), count, name);
      adw_toast_set_button_label (toast, _("Open _Folder"));
      g_object_set_data_full (G_OBJECT (toast), "crm-file", g_object_ref (self->file), g_object_unref);
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_open_folder), self->window, 0);
      crm_window_add_toast (self->window, toast);
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

void
crm_export_dialog_export_to (CrmExportDialog *self,
                             GFile           *file)
{
  g_autoptr(GTask) task = NULL;
  CrmStore *store;
  ExportJob *job;
  guint encoding;

  g_return_if_fail (CRM_IS_EXPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->cancellable != NULL || self->window == NULL ||
      (store = crm_window_get_store (self->window)) == NULL)
    return;

  job = g_new0 (ExportJob, 1);
  g_mutex_init (&job->lock);
  job->db_path = g_strdup (crm_store_get_path (store));
  job->out_path = g_file_get_path (file);
  job->format = chosen_format (self);
  encoding = adw_combo_row_get_selected (self->encoding_row);
  job->encoding = encodings[MIN (encoding, G_N_ELEMENTS (encodings) - 1)];
  if (!exporting_orders (self))
    {
      CrmCustomerList *list = crm_customers_page_get_list (crm_window_get_customers_page (self->window));

      /* A copy: the list's query may change while the worker reads. */
      job->query = list != NULL ? crm_query_copy (crm_customer_list_get_query (list)) : crm_query_new ();
      job->total = self->view_count;
    }
  last_encoding = encoding;
  last_format = adw_combo_row_get_selected (self->format_row);

  g_set_object (&self->file, file);
  self->job = job;
  self->cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, _("Starting…"));
  gtk_stack_set_visible_child_name (self->stack, "progress");
  update_state (self);
  self->tick_id = g_timeout_add (100, progress_tick, self);

  task = g_task_new (self, self->cancellable, export_done, NULL);
  g_task_set_source_tag (task, crm_export_dialog_export_to);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

static void
on_choose_response (GtkNativeDialog *chooser,
                    int              response,
                    CrmExportDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      crm_export_dialog_export_to (self, file);
    }

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
choose_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CrmExportDialog *self = CRM_EXPORT_DIALOG (widget);
  GtkFileChooserNative *chooser;
  const char *name;

  chooser = gtk_file_chooser_native_new (_("Export"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (exporting_orders (self))
    /* Translators: suggested file name of an order export. */
    name = _("orders.csv");
  else if (chosen_format (self) == CRM_EXPORT_FORMAT_CSV)
    /* Translators: suggested file name of a customer export. */
    name = _("customers.csv");
  else
    /* Translators: suggested file name of a vCard export. */
    name = _("customers.vcf");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);

  g_signal_connect (chooser, "response", G_CALLBACK (on_choose_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmExportDialog *self = CRM_EXPORT_DIALOG (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static gboolean
crm_export_dialog_close_request (GtkWindow *window)
{
  CrmExportDialog *self = CRM_EXPORT_DIALOG (window);

  /* Closing mid-export cancels it (no file is left behind). */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (crm_export_dialog_parent_class)->close_request (window);
}

static void
crm_export_dialog_dispose (GObject *object)
{
  CrmExportDialog *self = CRM_EXPORT_DIALOG (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_EXPORT_DIALOG);

  G_OBJECT_CLASS (crm_export_dialog_parent_class)->dispose (object);
}

static void
crm_export_dialog_finalize (GObject *object)
{
  CrmExportDialog *self = CRM_EXPORT_DIALOG (object);

  g_clear_weak_pointer (&self->window);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->file);
  g_clear_pointer (&self->view_description, g_free);

  G_OBJECT_CLASS (crm_export_dialog_parent_class)->finalize (object);
}

static void
crm_export_dialog_class_init (CrmExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = crm_export_dialog_dispose;
  object_class->finalize = crm_export_dialog_finalize;
  window_class->close_request = crm_export_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmExportDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrmExportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmExportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CrmExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, CrmExportDialog, customers_row);
  gtk_widget_class_bind_template_child (widget_class, CrmExportDialog, customers_check);
  gtk_widget_class_bind_template_child (widget_class, CrmExportDialog, orders_check);
  gtk_widget_class_bind_template_child (widget_class, CrmExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, CrmExportDialog, encoding_row);
  gtk_widget_class_bind_template_child (widget_class, CrmExportDialog, progress_bar);
  gtk_widget_class_bind_template_callback (widget_class, update_state);

  gtk_widget_class_install_action (widget_class, "export.choose-file", NULL, choose_file_action);
  gtk_widget_class_install_action (widget_class, "export.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
crm_export_dialog_init (CrmExportDialog *self)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (encodings); i++)
    gtk_string_list_append (model, crm_csv_encoding_get_label (encodings[i]));
  adw_combo_row_set_model (self->encoding_row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (self->encoding_row, last_encoding);
  adw_combo_row_set_selected (self->format_row, last_format);
  update_state (self);
}

CrmExportDialog *
crm_export_dialog_new (CrmWindow *window)
{
  CrmExportDialog *self;

  g_return_val_if_fail (CRM_IS_WINDOW (window), NULL);

  self = g_object_new (CRM_TYPE_EXPORT_DIALOG, "transient-for", window, NULL);
  g_set_weak_pointer (&self->window, window);
  describe_view (self);

  return self;
}

void
crm_export_dialog_open (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CrmWindow *window = CRM_WINDOW (widget);

  if (crm_window_get_store (window) == NULL)
    {
      crm_window_add_toast (window, adw_toast_new (_("No database is open to export from.")));
      return;
    }

  gtk_window_present (GTK_WINDOW (crm_export_dialog_new (window)));
}

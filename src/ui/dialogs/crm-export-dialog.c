/* crm-export-dialog.c
 *
 * The export is a core job (crm_export_async) that reads through a read-only
 * connection of its own (WAL: the window goes on reading and writing meanwhile)
 * and a copy of the view's query, so what is written is what the list shows
 * when Export is pressed.  The core writers only create the file once it is
 * complete.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-customers-page.h"
#include "crm-export-dialog.h"
#include "crm-format.h"
#include "crm-io-jobs.h"
#include "crm-ui-util.h"

static const CrmCsvEncoding encodings[] = {
  CRM_CSV_ENCODING_UTF8_BOM,
  CRM_CSV_ENCODING_UTF8,
  CRM_CSV_ENCODING_GBK,
};

/* The last choices, for the next export in this session. */
static guint last_encoding = 0;
static guint last_format = 0;

struct _CrmExportDialog
{
  AdwWindow        parent_instance;

  CrmWindow       *window;         /* weak */
  GCancellable    *cancellable;    /* while an export runs */
  gboolean         orders;         /* … of orders */
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
export_progress (const CrmJobProgress *progress,
                 gpointer              user_data)
{
  CrmExportDialog *self = user_data;
  g_autofree char *count = crm_format_count (progress->done);
  g_autofree char *text = NULL;

  if (progress->total > 0)
    {
      g_autofree char *total = crm_format_count (progress->total);

      /* Translators: export progress, e.g. "12,000 of 50,000 rows". */
      text = g_strdup_printf (_("%s of %s rows"), count, total);
      gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (progress->fraction, 0.0, 1.0));
    }
  else
    {
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s row", "%s rows", progress->done), count);
      gtk_progress_bar_pulse (self->progress_bar);
    }
  gtk_progress_bar_set_text (self->progress_bar, text);
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
  g_autoptr(CrmExportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean orders = self->orders;
  guint64 rows = 0;

  crm_export_finish (result, &rows, &error);
  g_clear_object (&self->cancellable);
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
  static const CrmExportKind kinds[] = {
    [CRM_EXPORT_FORMAT_CSV] = CRM_EXPORT_CUSTOMERS_CSV,
    [CRM_EXPORT_FORMAT_VCARD_3] = CRM_EXPORT_CUSTOMERS_VCARD_3,
    [CRM_EXPORT_FORMAT_VCARD_4] = CRM_EXPORT_CUSTOMERS_VCARD_4,
  };
  CrmQuery *query = NULL;
  g_autofree char *path = NULL;
  guint encoding;
  gint64 total = 0;

  g_return_if_fail (CRM_IS_EXPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->cancellable != NULL || self->window == NULL || crm_window_get_store (self->window) == NULL)
    return;

  path = g_file_get_path (file);
  encoding = adw_combo_row_get_selected (self->encoding_row);
  self->orders = exporting_orders (self);
  if (!self->orders)
    {
      CrmCustomerList *list = crm_customers_page_get_list (crm_window_get_customers_page (self->window));

      /* The view as the list shows it (the job takes a copy). */
      query = list != NULL ? crm_customer_list_get_query (list) : NULL;
      total = self->view_count;
    }
  last_encoding = encoding;
  last_format = adw_combo_row_get_selected (self->format_row);

  g_set_object (&self->file, file);
  self->cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, _("Starting…"));
  gtk_stack_set_visible_child_name (self->stack, "progress");
  update_state (self);

  crm_export_async (crm_window_get_session (self->window),
                    self->orders ? CRM_EXPORT_ORDERS_CSV : kinds[chosen_format (self)], query, path,
                    encodings[MIN (encoding, G_N_ELEMENTS (encodings) - 1)], total, self->cancellable,
                    export_progress, self, export_done, g_object_ref (self));
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
  crm_ui_combo_row_show_whole (self->encoding_row);
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

/* crm-dashboard-page-actions.c: the jobs and actions of the Dashboard page
 *
 * The jobs that write (predictions and co-purchase, the sales aggregates, a PDF
 * that first brings the sales figures up to date) are core jobs with their own
 * writing connection, one at a time so they never wait on each other's lock, with
 * progress and Cancel in a strip under the header bar.  Each job commits in its
 * own transaction, so a cancel leaves the database as it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-analytics-jobs.h"
#include "crm-dashboard-page-private.h"
#include "crm-format.h"
#include "crm-report.h"
#include "crm-ui-util.h"

/* Jobs --------------------------------------------------------------------- */

/* Progress of the page's job; a finished or replaced job says nothing more (CrmJob). */
static void
job_progress (const CrmJobProgress *progress,
              gpointer              user_data)
{
  CrmDashboardPage *self = user_data;

  gtk_progress_bar_set_fraction (self->job_progress, MAX (progress->fraction, 0));
}

void
_crm_dashboard_page_update_actions (CrmDashboardPage *self)
{
  gboolean idle = self->job == JOB_NONE && self->store != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.compute", idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.save-pdf", idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.refresh", self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.cancel-job", self->job != JOB_NONE);
}

/* The strip under the header bar shows @kind's progress; the job gets self->job_cancellable. */
static void
start_job (CrmDashboardPage *self,
           JobKind           kind,
           const char       *text)
{
  g_return_if_fail (self->job == JOB_NONE);

  self->job = kind;
  self->job_cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->job_progress, 0);
  gtk_progress_bar_set_text (self->job_progress, text);
  gtk_revealer_set_reveal_child (self->job_revealer, TRUE);
  _crm_dashboard_page_update_actions (self);
  _crm_dashboard_page_update_banner (self);
}

/* Ends the page's job: the strip goes. */
static void
finish_job (CrmDashboardPage *self)
{
  g_clear_object (&self->job_cancellable);
  self->job = JOB_NONE;
  gtk_revealer_set_reveal_child (self->job_revealer, FALSE);
  _crm_dashboard_page_update_actions (self);
  _crm_dashboard_page_update_banner (self);
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Predictions -------------------------------------------------------------- */

static void
predict_done (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(CrmDashboardPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmPredictOutcome) outcome = crm_predict_run_finish (res, &error);

  finish_job (self);

  if (outcome == NULL)
    {
      crm_ui_show_toast (GTK_WIDGET (self),
                         adw_toast_new (is_cancelled (error) ? _("Cancelled; the predictions were not changed.")
                                                             : error->message));
      return;
    }

  if (outcome->recommend_error != NULL)
    {
      crm_ui_show_toast (GTK_WIDGET (self),
                         adw_toast_new (is_cancelled (outcome->recommend_error)
                                        ? _("Predictions saved; product recommendations were not updated.")
                                        : outcome->recommend_error->message));
    }
  else
    {
      g_autofree char *count = crm_format_count (outcome->predict.customers);

      crm_ui_show_toast (GTK_WIDGET (self),
                         adw_toast_new_format (g_dngettext (GETTEXT_PACKAGE, "Predicted the value of %s customer",
                                                            "Predicted the value of %s customers",
                                                            outcome->predict.customers), count));
    }
  crm_dashboard_page_reload (self);
}

gboolean
crm_dashboard_page_compute_predictions (CrmDashboardPage *self)
{
  g_return_val_if_fail (CRM_IS_DASHBOARD_PAGE (self), FALSE);

  if (self->store == NULL || self->job != JOB_NONE)
    return FALSE;

  start_job (self, JOB_PREDICT, _("Computing customer lifetime value, churn risk and recommendations…"));
  crm_predict_run_async (self->session, self->job_cancellable, job_progress, self, predict_done, g_object_ref (self));
  return TRUE;
}

/* Sales aggregates ----------------------------------------------------------- */

static void
sales_done (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(CrmDashboardPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = crm_sales_refresh_finish (res, &error);

  finish_job (self);

  if (!ok)
    {
      self->sales_auto = SALES_AUTO_STOPPED;
      if (!is_cancelled (error))
        crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }
  self->sales_auto = SALES_AUTO_JUST_DONE;
  crm_dashboard_page_reload (self);
}

void
_crm_dashboard_page_start_sales_refresh (CrmDashboardPage *self)
{
  start_job (self, JOB_SALES, _("Updating the sales figures…"));
  crm_sales_refresh_async (self->session, self->job_cancellable, job_progress, self, sales_done, g_object_ref (self));
}

/* PDF ---------------------------------------------------------------------- */

static void
on_open_report (AdwToast *toast,
                GFile    *file)
{
  g_autofree char *uri = g_file_get_uri (file);
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri (uri, NULL, &error))
    g_warning ("Could not open %s: %s", uri, error->message);
}

typedef struct
{
  CrmDashboardPage *page;
  GFile            *file;
} PdfRequest;

static void
pdf_request_free (PdfRequest *request)
{
  g_object_unref (request->page);
  g_object_unref (request->file);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdfRequest, pdf_request_free)

static void
pdf_done (GObject      *object,
          GAsyncResult *res,
          gpointer      user_data)
{
  g_autoptr(PdfRequest) request = user_data;
  CrmDashboardPage *self = request->page;
  GFile *file = request->file;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  gboolean ok = crm_report_write_pdf_finish (res, &error);
  AdwToast *toast;

  finish_job (self);

  if (!ok)
    {
      crm_ui_show_toast (GTK_WIDGET (self),
                         adw_toast_new (is_cancelled (error) ? _("Cancelled; no report was written.") : error->message));
      return;
    }

  toast = adw_toast_new_format (_("Saved the report as “%s”"), name);
  adw_toast_set_button_label (toast, _("_Open"));
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_open_report), g_object_ref (file),
                         (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  crm_ui_show_toast (GTK_WIDGET (self), toast);
  /* The sales figures may have been brought up to date on the way. */
  crm_dashboard_page_reload (self);
}

gboolean
crm_dashboard_page_save_pdf (CrmDashboardPage *self,
                             GFile            *file)
{
  g_autofree char *path = NULL;
  g_autofree char *currency = NULL;
  PdfRequest *request;

  g_return_val_if_fail (CRM_IS_DASHBOARD_PAGE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->store == NULL || self->job != JOB_NONE)
    return FALSE;

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_autofree char *message = g_strdup_printf (_("Cannot write the report to “%s”: choose a local folder."), uri);

      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (message));
      return TRUE;
    }

  start_job (self, JOB_PDF, _("Writing the report…"));
  /* Amounts in the shop's currency as the page shows them. */
  currency = crm_ui_shop_currency (self->store, self->settings);
  request = g_new0 (PdfRequest, 1);
  request->page = g_object_ref (self);
  request->file = g_object_ref (file);
  crm_report_write_pdf_async (self->session, self->period, currency, path, self->job_cancellable, job_progress, self,
                              pdf_done, request);
  return TRUE;
}

static void
on_chooser_response (CrmDashboardPage     *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        crm_dashboard_page_save_pdf (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
save_pdf_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CrmDashboardPage *self = CRM_DASHBOARD_PAGE (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  /* Translators: file name of a saved report; %s is the date (YYYY-MM-DD). */
  g_autofree char *name = g_strdup_printf (_("Customer report %s.pdf"), date);

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Save Report as PDF"),
                                               GTK_WINDOW (gtk_widget_get_root (widget)),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_suffix (filter, "pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Printing ----------------------------------------------------------------- */

static void
on_draw_page (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              CrmDashboardPage  *self)
{
  crm_report_draw_page (gtk_print_context_get_cairo_context (context), self->print_data, page_nr + 1,
                        gtk_print_context_get_width (context), gtk_print_context_get_height (context));
}

static void
end_printing (CrmDashboardPage *self)
{
  if (self->print_owns_data)
    crm_dashboard_data_free (self->print_data);
  self->print_data = NULL;
  self->print_owns_data = FALSE;
}

static void
on_print_done (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               CrmDashboardPage        *self)
{
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autoptr(GError) error = NULL;

      gtk_print_operation_get_error (operation, &error);
      if (error != NULL)
        crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
    }
  end_printing (self);
}

gboolean
crm_dashboard_page_print (CrmDashboardPage  *self,
                          const char        *export_path,
                          GError           **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  GtkPrintOperationResult result;

  g_return_val_if_fail (CRM_IS_DASHBOARD_PAGE (self), FALSE);

  if (self->data == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING, _("The dashboard is still loading."));
      return FALSE;
    }
  if (self->print_data != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY, _("The report is already being printed."));
      return FALSE;
    }

  self->print_data = self->data;
  self->print_owns_data = FALSE;

  operation = gtk_print_operation_new ();
  gtk_page_setup_set_paper_size (setup, a4);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_n_pages (operation, CRM_REPORT_N_PAGES);
  /* The report lays out A4 in points with its own margins. */
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_job_name (operation, _("Customer report"));
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect_object (operation, "draw-page", G_CALLBACK (on_draw_page), self, 0);
  g_signal_connect_object (operation, "done", G_CALLBACK (on_print_done), self, 0);

  if (export_path != NULL)
    {
      gtk_print_operation_set_export_filename (operation, export_path);
      result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, error);
    }
  else
    {
      gtk_print_operation_set_allow_async (operation, TRUE);
      result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                        GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), error);
    }

  /* Unless the dialog prints on asynchronously, printing is over ("done" may
   * not have been emitted when run() failed outright). */
  if (result != GTK_PRINT_OPERATION_RESULT_IN_PROGRESS)
    end_printing (self);
  return result != GTK_PRINT_OPERATION_RESULT_ERROR;
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  g_autoptr(GError) error = NULL;

  if (!crm_dashboard_page_print (CRM_DASHBOARD_PAGE (widget), NULL, &error))
    crm_ui_show_toast (widget, adw_toast_new (error->message));
}

/* Other actions -------------------------------------------------------------- */

static void
compute_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  crm_dashboard_page_compute_predictions (CRM_DASHBOARD_PAGE (widget));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CrmDashboardPage *self = CRM_DASHBOARD_PAGE (widget);

  /* An explicit refresh may bring the sales figures up to date again. */
  self->sales_auto = SALES_AUTO_ALLOWED;
  crm_dashboard_page_reload (self);
}

static void
cancel_job_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CrmDashboardPage *self = CRM_DASHBOARD_PAGE (widget);

  if (self->job_cancellable != NULL)
    g_cancellable_cancel (self->job_cancellable);
}

void
_crm_dashboard_page_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "dashboard.save-pdf", NULL, save_pdf_action);
  gtk_widget_class_install_action (widget_class, "dashboard.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "dashboard.compute", NULL, compute_action);
  gtk_widget_class_install_action (widget_class, "dashboard.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "dashboard.cancel-job", NULL, cancel_job_action);
}

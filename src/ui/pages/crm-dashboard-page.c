/* crm-dashboard-page.c
 *
 * Everything slow runs in a GTask with its own connection, as DESIGN.md §4 asks:
 * the figures are read on a read-only connection (crm_store_open_reader) each
 * time the page is shown or the period changes — the newest read wins, older
 * ones are cancelled and dropped; the jobs that write (predictions and
 * co-purchase, the sales aggregates, a PDF that first brings the sales figures
 * up to date) open their own writing connection, one job at a time so they
 * never wait on each other's lock, with progress and Cancel in a strip under
 * the header bar.  Each job commits in its own transaction, so a cancel leaves
 * the database as it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <math.h>

#include "crm-charts.h"
#include "crm-dashboard-page.h"
#include "crm-format.h"
#include "crm-forecast.h"
#include "crm-predict.h"
#include "crm-recommend.h"
#include "crm-report.h"
#include "crm-ui-util.h"

#define MAX_ROWS 20
/* Predictions older than this are offered for recomputing. */
#define STALE_PREDICTIONS_MS (G_GINT64_CONSTANT (7) * 86400000)
/* Share of the progress bar for the prediction pass; co-purchase is the rest. */
#define PREDICT_SHARE 0.7

/* Whether a load that finds the sales aggregates stale refreshes them. */
typedef enum
{
  SALES_AUTO_ALLOWED,
  SALES_AUTO_JUST_DONE,   /* the load right after a refresh never starts another (no loop) */
  SALES_AUTO_STOPPED,     /* failed or cancelled: only an explicit Refresh tries again */
} SalesAuto;

typedef enum
{
  JOB_NONE,
  JOB_PREDICT,
  JOB_SALES,
  JOB_PDF,
} JobKind;

struct _CrmDashboardPage
{
  AdwBin               parent_instance;

  CrmStore            *store;
  GSettings           *settings;
  CrmDashboardPeriod   period;
  CrmDashboardData    *data;
  gboolean             have_model;
  gint64               model_end;
  GCancellable        *load_cancellable;
  GCancellable        *job_cancellable;
  JobKind              job;
  SalesAuto            sales_auto;
  gboolean             folded;
  char                *banner_text;
  GtkFileChooserNative *chooser;

  /* Printing keeps the data it draws even if a reload replaces it meanwhile. */
  CrmDashboardData    *print_data;
  gboolean             print_owns_data;

  GtkToggleButton     *period_buttons[4];
  GtkWidget           *kpi_cards[CRM_DASHBOARD_N_KPIS];
  GtkLabel            *kpi_titles[CRM_DASHBOARD_N_KPIS];
  GtkLabel            *kpi_values[CRM_DASHBOARD_N_KPIS];
  GtkLabel            *kpi_details[CRM_DASHBOARD_N_KPIS];
  CrmChart            *charts[5];

  /* template children */
  AdwHeaderBar        *header;
  GtkWidget           *back_button;
  AdwWindowTitle      *title_widget;
  GtkSpinner          *spinner;
  GtkRevealer         *job_revealer;
  GtkProgressBar      *job_progress;
  GtkRevealer         *banner_revealer;
  GtkLabel            *banner_label;
  GtkStack            *stack;
  GtkSpinner          *loading_spinner;
  AdwStatusPage       *error_page;
  GtkBox              *content;
  GtkBox              *period_box;
  GtkLabel            *updated_label;
  GtkFlowBox          *kpi_box;
  GtkFlowBox          *chart_box;
  AdwPreferencesGroup *at_risk_group;
  GtkListBox          *at_risk_list;
};

G_DEFINE_FINAL_TYPE (CrmDashboardPage, crm_dashboard_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_FOLDED,
  PROP_PERIOD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  OPEN_CUSTOMER,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_sales_refresh (CrmDashboardPage *self);

/* Accessors ---------------------------------------------------------------- */

gboolean
crm_dashboard_page_get_loading (CrmDashboardPage *self)
{
  g_return_val_if_fail (CRM_IS_DASHBOARD_PAGE (self), FALSE);

  return self->load_cancellable != NULL;
}

gboolean
crm_dashboard_page_get_busy (CrmDashboardPage *self)
{
  g_return_val_if_fail (CRM_IS_DASHBOARD_PAGE (self), FALSE);

  return self->job != JOB_NONE;
}

const CrmDashboardData *
crm_dashboard_page_get_data (CrmDashboardPage *self)
{
  g_return_val_if_fail (CRM_IS_DASHBOARD_PAGE (self), NULL);

  return self->data;
}

const char *
crm_dashboard_page_get_view (CrmDashboardPage *self)
{
  g_return_val_if_fail (CRM_IS_DASHBOARD_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

GtkWidget *
crm_dashboard_page_get_kpi (CrmDashboardPage *self,
                            CrmDashboardKpi   kpi)
{
  g_return_val_if_fail (CRM_IS_DASHBOARD_PAGE (self), NULL);
  g_return_val_if_fail (kpi < CRM_DASHBOARD_N_KPIS, NULL);

  return self->kpi_cards[kpi];
}

const char *
crm_dashboard_page_get_kpi_text (CrmDashboardPage *self,
                                 CrmDashboardKpi   kpi)
{
  g_return_val_if_fail (CRM_IS_DASHBOARD_PAGE (self), NULL);
  g_return_val_if_fail (kpi < CRM_DASHBOARD_N_KPIS, NULL);

  return gtk_label_get_label (self->kpi_values[kpi]);
}

CrmChart *
crm_dashboard_page_get_chart (CrmDashboardPage *self,
                              CrmChartKind      kind)
{
  g_return_val_if_fail (CRM_IS_DASHBOARD_PAGE (self), NULL);
  g_return_val_if_fail (kind < G_N_ELEMENTS (self->charts), NULL);

  return self->charts[kind];
}

GtkListBox *
crm_dashboard_page_get_at_risk_list (CrmDashboardPage *self)
{
  g_return_val_if_fail (CRM_IS_DASHBOARD_PAGE (self), NULL);

  return self->at_risk_list;
}

const char *
crm_dashboard_page_get_banner_text (CrmDashboardPage *self)
{
  g_return_val_if_fail (CRM_IS_DASHBOARD_PAGE (self), NULL);

  return self->banner_text;
}

void
crm_dashboard_page_set_folded (CrmDashboardPage *self,
                               gboolean          folded)
{
  g_return_if_fail (CRM_IS_DASHBOARD_PAGE (self));

  crm_ui_page_set_folded (G_OBJECT (self), properties[PROP_FOLDED], &self->folded, folded,
                          GTK_WIDGET (self->back_button), self->header);
}

/* Showing the data ---------------------------------------------------------- */

static char *
format_percent (double fraction)
{
  return g_strdup_printf ("%.1f%%", 100 * fraction);
}

static void
set_kpi (CrmDashboardPage *self,
         CrmDashboardKpi   kpi,
         const char       *value,
         const char       *detail)
{
  gtk_label_set_label (self->kpi_values[kpi], value);
  gtk_label_set_label (self->kpi_details[kpi], detail != NULL ? detail : "");
}

static void
fill_kpis (CrmDashboardPage *self)
{
  const CrmDashboardData *d = self->data;
  const char *period = crm_dashboard_period_get_label (d->period);

  {
    g_autofree char *value = crm_format_count (d->customers);
    g_autofree char *buyers = crm_format_count (d->buyers);
    g_autofree char *detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s has ordered", "%s have ordered",
                                                            d->buyers), buyers);
    set_kpi (self, CRM_DASHBOARD_KPI_CUSTOMERS, value, detail);
  }
  {
    g_autofree char *value = crm_format_count (d->active);
    /* Translators: under the number of active customers, e.g. "Ordered in the last 30 days". */
    g_autofree char *detail = g_strdup_printf (_("Ordered · %s"), period);
    set_kpi (self, CRM_DASHBOARD_KPI_ACTIVE, value, detail);
  }
  {
    g_autofree char *value = crm_format_count (d->new_this_month);
    set_kpi (self, CRM_DASHBOARD_KPI_NEW, value, _("First order this month"));
  }
  {
    g_autofree char *value = format_percent (d->repeat_rate);
    g_autofree char *repeat = crm_format_count (d->repeat_buyers);
    g_autofree char *buyers = crm_format_count (d->buyers);
    /* Translators: under the repeat rate: "120 of 400 buyers ordered again". */
    g_autofree char *detail = g_strdup_printf (_("%s of %s buyers ordered again"), repeat, buyers);
    set_kpi (self, CRM_DASHBOARD_KPI_REPEAT_RATE, value, detail);
  }
  {
    g_autofree char *value = crm_format_money (d->revenue_period, d->currency);
    g_autofree char *orders = crm_format_count (d->orders_period);
    g_autofree char *detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %s order", "%s · %s orders",
                                                            d->orders_period), period, orders);
    set_kpi (self, CRM_DASHBOARD_KPI_REVENUE, value, detail);
  }
  if (d->scored > 0)
    {
      g_autofree char *value = crm_format_money ((gint64) llround (d->average_clv), d->currency);
      g_autofree char *scored = crm_format_count (d->scored);
      g_autofree char *detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Over %s customer",
                                                              "Over %s customers", d->scored), scored);
      set_kpi (self, CRM_DASHBOARD_KPI_AVERAGE_CLV, value, detail);
    }
  else
    set_kpi (self, CRM_DASHBOARD_KPI_AVERAGE_CLV, "—", _("Not computed yet"));

  gtk_widget_set_visible (self->kpi_cards[CRM_DASHBOARD_KPI_NPS], d->nps_responses > 0);
  /* Full rows: 3 + 3 cards, or 4 + 3 with NPS. */
  gtk_flow_box_set_max_children_per_line (self->kpi_box, d->nps_responses > 0 ? 4 : 3);
  if (d->nps_responses > 0)
    {
      g_autofree char *value = g_strdup_printf ("%+.0f", d->nps);
      g_autofree char *responses = crm_format_count (d->nps_responses);
      g_autofree char *detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s response · %s",
                                                              "%s responses · %s", d->nps_responses),
                                                 responses, period);
      set_kpi (self, CRM_DASHBOARD_KPI_NPS, value, detail);
    }
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
fill_at_risk (CrmDashboardPage *self)
{
  const CrmDashboardData *d = self->data;

  clear_list (self->at_risk_list);
  for (guint i = 0; i < d->at_risk->len; i++)
    {
      const CrmDashboardCustomer *c = &g_array_index (d->at_risk, CrmDashboardCustomer, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *clv = c->clv >= 0 ? crm_format_money (c->clv, d->currency) : g_strdup ("—");
      g_autofree char *alive = c->p_alive >= 0 ? g_strdup_printf ("%.0f%%", 100 * c->p_alive) : g_strdup ("—");
      g_autofree char *spent = crm_format_money (c->total_spent, d->currency);
      /* Translators: an at-risk customer: predicted lifetime value, then the probability of still being a customer. */
      g_autofree char *subtitle = g_strdup_printf (_("CLV %s · P(alive) %s · spent %s"), clv, alive, spent);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), c->name != NULL ? c->name : "");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "crm-customer-id", GSIZE_TO_POINTER ((gsize) c->id));
      gtk_list_box_append (self->at_risk_list, row);
    }

  if (d->at_risk->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     d->scored > 0 ? _("Nobody valuable is at risk.")
                                                   : _("Compute predictions to find them."));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->at_risk_list, row);
    }
}

static void
update_banner (CrmDashboardPage *self)
{
  g_clear_pointer (&self->banner_text, g_free);

  if (self->data != NULL && self->data->buyers > 0 && self->job != JOB_PREDICT)
    {
      if (self->data->scored == 0)
        self->banner_text = g_strdup (_("Customer lifetime value, churn risk and product recommendations have not "
                                        "been computed yet."));
      else if (self->have_model && self->data->now - self->model_end > STALE_PREDICTIONS_MS)
        {
          g_autofree char *when = crm_format_date (self->model_end);

          self->banner_text = g_strdup_printf (_("Predictions were computed from the orders up to %s."), when);
        }
    }

  if (self->banner_text != NULL)
    gtk_label_set_label (self->banner_label, self->banner_text);
  gtk_revealer_set_reveal_child (self->banner_revealer, self->banner_text != NULL);
}

static void
update_updated_label (CrmDashboardPage *self)
{
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;

  if (self->data == NULL)
    return;

  when = crm_format_date_time (self->data->now);
  if (self->data->sales_stale)
    /* Translators: %s is a date and time. */
    text = g_strdup_printf (_("Updated %s · sales figures lag behind the latest orders"), when);
  else
    text = g_strdup_printf (_("Updated %s"), when);
  gtk_label_set_label (self->updated_label, text);
}

static void
set_data (CrmDashboardPage *self,
          CrmDashboardData *data)
{
  CrmDashboardData *old = self->data;

  self->data = data;
  for (guint i = 0; i < G_N_ELEMENTS (self->charts); i++)
    crm_chart_set_data (self->charts[i], data);

  if (old != NULL && old == self->print_data)
    self->print_owns_data = TRUE;
  else
    crm_dashboard_data_free (old);
}

static void
show_data (CrmDashboardPage *self,
           CrmDashboardData *data)
{
  g_autofree char *currency = crm_ui_shop_currency (self->store, self->settings);

  /* Amounts in the shop's currency as everywhere else in the app. */
  g_free (data->currency);
  data->currency = g_steal_pointer (&currency);
  set_data (self, data);

  fill_kpis (self);
  fill_at_risk (self);
  update_updated_label (self);
  update_banner (self);
  adw_window_title_set_subtitle (self->title_widget, crm_dashboard_period_get_label (data->period));
  gtk_stack_set_visible_child_name (self->stack, data->customers > 0 ? "dashboard" : "empty");

  /* The revenue series come from aggregates: bring them up to date in the background. */
  if (data->sales_stale && self->sales_auto == SALES_AUTO_ALLOWED && self->job == JOB_NONE)
    start_sales_refresh (self);
  else if (self->sales_auto == SALES_AUTO_JUST_DONE)
    self->sales_auto = SALES_AUTO_ALLOWED;
}

/* Loading ------------------------------------------------------------------ */

typedef struct
{
  char               *path;
  CrmDashboardPeriod  period;
} LoadRequest;

typedef struct
{
  CrmDashboardData *data;
  gboolean          have_model;
  gint64            model_end;
} LoadResult;

static void
load_request_free (LoadRequest *request)
{
  g_free (request->path);
  g_free (request);
}

static void
load_result_free (LoadResult *result)
{
  crm_dashboard_data_free (result->data);
  g_free (result);
}

/* One idle read-only connection is kept between loads, so the next load finds
 * SQLite's page cache warm; a load that finds none (another is still running)
 * opens its own. */
static GMutex idle_reader_lock;
static CrmStore *idle_reader;

static CrmStore *
take_reader (const char  *path,
             GError     **error)
{
  CrmStore *reader = NULL;

  g_mutex_lock (&idle_reader_lock);
  if (idle_reader != NULL && g_strcmp0 (crm_store_get_path (idle_reader), path) == 0)
    reader = g_steal_pointer (&idle_reader);
  g_mutex_unlock (&idle_reader_lock);

  return reader != NULL ? reader : crm_store_open_reader (path, error);
}

static void
give_back_reader (CrmStore *reader)
{
  g_mutex_lock (&idle_reader_lock);
  if (idle_reader != NULL)
    g_object_unref (idle_reader);
  idle_reader = reader;
  g_mutex_unlock (&idle_reader_lock);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadRequest *request = task_data;
  g_autoptr(CrmStore) reader = NULL;
  g_autoptr(GError) error = NULL;
  LoadResult *result = g_new0 (LoadResult, 1);
  CrmPredictModel model;

  reader = take_reader (request->path, &error);
  if (reader == NULL ||
      (result->data = crm_dashboard_data_load (reader, request->period, 0, MAX_ROWS, cancellable, &error)) == NULL)
    {
      load_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  result->have_model = crm_predict_model_load (reader, &model, NULL);
  if (result->have_model)
    result->model_end = model.calibration_end;
  give_back_reader (g_steal_pointer (&reader));

  g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
}

static void
set_loading (CrmDashboardPage *self,
             gboolean          loading)
{
  gtk_spinner_set_spinning (self->spinner, loading);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);
  gtk_spinner_set_spinning (self->loading_spinner, loading && self->data == NULL);
}

static void
load_done (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  CrmDashboardPage *self = CRM_DASHBOARD_PAGE (object);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (res));
  g_autoptr(GError) error = NULL;
  LoadResult *result = g_task_propagate_pointer (G_TASK (res), &error);

  /* A newer load replaced this one. */
  if (cancellable != self->load_cancellable)
    {
      g_clear_pointer (&result, load_result_free);
      return;
    }
  g_clear_object (&self->load_cancellable);
  set_loading (self, FALSE);

  if (result == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  self->have_model = result->have_model;
  self->model_end = result->model_end;
  show_data (self, g_steal_pointer (&result->data));
  load_result_free (result);
}

void
crm_dashboard_page_reload (CrmDashboardPage *self)
{
  g_autoptr(GTask) task = NULL;
  LoadRequest *request;

  g_return_if_fail (CRM_IS_DASHBOARD_PAGE (self));

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  if (self->store == NULL)
    {
      set_loading (self, FALSE);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  if (self->data == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");

  request = g_new0 (LoadRequest, 1);
  request->path = g_strdup (crm_store_get_path (self->store));
  request->period = self->period;

  self->load_cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  task = g_task_new (self, self->load_cancellable, load_done, NULL);
  g_task_set_source_tag (task, crm_dashboard_page_reload);
  g_task_set_task_data (task, request, (GDestroyNotify) load_request_free);
  g_task_run_in_thread (task, load_thread);
}

/* Period ------------------------------------------------------------------- */

CrmDashboardPeriod
crm_dashboard_page_get_period (CrmDashboardPage *self)
{
  g_return_val_if_fail (CRM_IS_DASHBOARD_PAGE (self), CRM_DASHBOARD_PERIOD_30_DAYS);

  return self->period;
}

void
crm_dashboard_page_set_period (CrmDashboardPage   *self,
                               CrmDashboardPeriod  period)
{
  g_return_if_fail (CRM_IS_DASHBOARD_PAGE (self));
  g_return_if_fail (period <= CRM_DASHBOARD_PERIOD_ALL);

  if (!gtk_toggle_button_get_active (self->period_buttons[period]))
    gtk_toggle_button_set_active (self->period_buttons[period], TRUE);

  if (self->period == period)
    return;

  self->period = period;
  g_settings_set_string (self->settings, "dashboard-period",
                         (const char *[]) { "30", "90", "365", "all" }[period]);
  crm_dashboard_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERIOD]);
}

static void
on_period_toggled (CrmDashboardPage *self,
                   GtkToggleButton  *button)
{
  if (gtk_toggle_button_get_active (button))
    crm_dashboard_page_set_period (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "crm-period")));
}

/* Jobs --------------------------------------------------------------------- */

typedef struct
{
  char               *path;
  char               *currency;
  GFile              *file;
  CrmDashboardPeriod  period;
  CrmDashboardPage   *page;        /* for progress; the task keeps it alive */
  GCancellable       *cancellable; /* tells the progress of this job from a later one's */
  double              base;
  double              span;
  gint                phase;       /* JOB_PREDICT: 1 while the co-purchase pass runs */
} JobData;

static void
job_data_free (JobData *job)
{
  g_free (job->path);
  g_free (job->currency);
  g_clear_object (&job->file);
  g_clear_object (&job->cancellable);
  g_free (job);
}

typedef struct
{
  CrmDashboardPage *page;
  GCancellable     *cancellable;
  double            fraction;
} ProgressUpdate;

static gboolean
apply_progress (gpointer data)
{
  ProgressUpdate *update = data;

  if (update->page->job_cancellable == update->cancellable)
    gtk_progress_bar_set_fraction (update->page->job_progress, update->fraction);
  g_object_unref (update->cancellable);
  g_object_unref (update->page);
  g_free (update);

  return G_SOURCE_REMOVE;
}

static void
job_progress (double   fraction,
              gpointer user_data)
{
  JobData *job = user_data;
  ProgressUpdate *update = g_new0 (ProgressUpdate, 1);

  update->page = g_object_ref (job->page);
  update->cancellable = g_object_ref (job->cancellable);
  update->fraction = job->base + job->span * CLAMP (fraction, 0, 1);
  g_main_context_invoke (NULL, apply_progress, update);
}

static void
update_actions (CrmDashboardPage *self)
{
  gboolean idle = self->job == JOB_NONE && self->store != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.compute", idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.save-pdf", idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.refresh", self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.cancel-job", self->job != JOB_NONE);
}

static GTask *
start_job (CrmDashboardPage    *self,
           JobKind              kind,
           const char          *text,
           GAsyncReadyCallback  done,
           JobData            **out_job)
{
  GTask *task;
  JobData *job;

  g_return_val_if_fail (self->job == JOB_NONE, NULL);

  job = g_new0 (JobData, 1);
  job->path = g_strdup (crm_store_get_path (self->store));
  job->currency = crm_ui_shop_currency (self->store, self->settings);
  job->period = self->period;
  job->page = self;
  job->span = 1;

  self->job = kind;
  self->job_cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->job_progress, 0);
  gtk_progress_bar_set_text (self->job_progress, text);
  gtk_revealer_set_reveal_child (self->job_revealer, TRUE);
  update_actions (self);
  update_banner (self);

  job->cancellable = g_object_ref (self->job_cancellable);
  task = g_task_new (self, self->job_cancellable, done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) job_data_free);
  *out_job = job;

  return task;
}

/* Ends the job of @result; FALSE if it was not the current one. */
static gboolean
finish_job (CrmDashboardPage *self,
            GAsyncResult     *result)
{
  if (g_task_get_cancellable (G_TASK (result)) != self->job_cancellable)
    return FALSE;

  g_clear_object (&self->job_cancellable);
  self->job = JOB_NONE;
  gtk_revealer_set_reveal_child (self->job_revealer, FALSE);
  update_actions (self);
  update_banner (self);

  return TRUE;
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CANCELLED);
}

/* Predictions -------------------------------------------------------------- */

typedef struct
{
  gsize   customers;
  GError *recommend_error;    /* the predictions were saved, the co-purchase pass was not */
} PredictResult;

static void
predict_result_free (PredictResult *result)
{
  g_clear_error (&result->recommend_error);
  g_free (result);
}

static void
predict_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  JobData *job = task_data;
  g_autoptr(CrmStore) store = NULL;
  g_autoptr(GError) error = NULL;
  CrmPredictOptions options;
  CrmPredictReport report;
  CrmRecommendOptions recommend_options;
  CrmRecommendReport recommend_report;
  PredictResult *result;

  /* Its own connection: the window's stays free for the user. */
  store = crm_store_open (job->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  crm_predict_options_init (&options, store);
  job->base = 0;
  job->span = PREDICT_SHARE;
  if (!crm_predict_run (store, &options, job_progress, job, cancellable, &report, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = g_new0 (PredictResult, 1);
  result->customers = report.customers;

  /* The co-purchase pairs behind the recommendations, in a transaction of their own. */
  g_atomic_int_set (&job->phase, 1);
  job->base = PREDICT_SHARE;
  job->span = 1 - PREDICT_SHARE;
  crm_recommend_options_init (&recommend_options);
  if (!crm_recommend_compute (store, &recommend_options, job_progress, job, cancellable, &recommend_report,
                              &result->recommend_error))
    g_assert (result->recommend_error != NULL);

  g_task_return_pointer (task, result, (GDestroyNotify) predict_result_free);
}

static void
predict_done (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  CrmDashboardPage *self = CRM_DASHBOARD_PAGE (object);
  g_autoptr(GError) error = NULL;
  PredictResult *result = g_task_propagate_pointer (G_TASK (res), &error);

  if (!finish_job (self, res))
    {
      g_clear_pointer (&result, predict_result_free);
      return;
    }

  if (result == NULL)
    {
      crm_ui_show_toast (GTK_WIDGET (self),
                         adw_toast_new (is_cancelled (error) ? _("Cancelled; the predictions were not changed.")
                                                             : error->message));
      return;
    }

  if (result->recommend_error != NULL)
    {
      crm_ui_show_toast (GTK_WIDGET (self),
                         adw_toast_new (is_cancelled (result->recommend_error)
                                        ? _("Predictions saved; product recommendations were not updated.")
                                        : result->recommend_error->message));
    }
  else
    {
      g_autofree char *count = crm_format_count (result->customers);

      crm_ui_show_toast (GTK_WIDGET (self),
                         adw_toast_new_format (g_dngettext (GETTEXT_PACKAGE, "Predicted the value of %s customer",
                                                            "Predicted the value of %s customers",
                                                            result->customers), count));
    }
  predict_result_free (result);
  crm_dashboard_page_reload (self);
}

gboolean
crm_dashboard_page_compute_predictions (CrmDashboardPage *self)
{
  g_autoptr(GTask) task = NULL;
  JobData *job;

  g_return_val_if_fail (CRM_IS_DASHBOARD_PAGE (self), FALSE);

  if (self->store == NULL || self->job != JOB_NONE)
    return FALSE;

  task = start_job (self, JOB_PREDICT, _("Computing customer lifetime value, churn risk and recommendations…"),
                    predict_done, &job);
  g_task_set_source_tag (task, crm_dashboard_page_compute_predictions);
  g_task_run_in_thread (task, predict_thread);

  return TRUE;
}

/* Sales aggregates ----------------------------------------------------------- */

static void
sales_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  JobData *job = task_data;
  g_autoptr(CrmStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = crm_store_open (job->path, &error);
  if (store == NULL || !crm_sales_refresh (store, job_progress, job, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
sales_done (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  CrmDashboardPage *self = CRM_DASHBOARD_PAGE (object);
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (res), &error);

  if (!finish_job (self, res))
    return;

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

static void
start_sales_refresh (CrmDashboardPage *self)
{
  g_autoptr(GTask) task = NULL;
  JobData *job;

  task = start_job (self, JOB_SALES, _("Updating the sales figures…"), sales_done, &job);
  g_task_set_source_tag (task, start_sales_refresh);
  g_task_run_in_thread (task, sales_thread);
}

/* PDF ---------------------------------------------------------------------- */

static void
pdf_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  JobData *job = task_data;
  g_autoptr(CrmStore) store = NULL;
  g_autoptr(CrmDashboardData) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (job->file);

  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (job->file);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Cannot write the report to “%s”: choose a local folder."), uri);
      return;
    }

  /* As crm_report_write_pdf(), in steps, so the bar moves. */
  store = crm_store_open (job->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job->span = 0.8;
  if (crm_sales_is_stale (store) && !crm_sales_refresh (store, job_progress, job, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job->base = 0;
  job->span = 1;
  job_progress (0.85, job);
  if (!(data = crm_dashboard_data_load (store, job->period, 0, MAX_ROWS, cancellable, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_free (data->currency);
  data->currency = g_strdup (job->currency);
  job_progress (0.95, job);
  if (g_cancellable_set_error_if_cancelled (cancellable, &error) ||
      !crm_report_write_pdf_for_data (data, path, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job_progress (1, job);
  g_task_return_boolean (task, TRUE);
}

static void
on_open_report (AdwToast *toast,
                GFile    *file)
{
  g_autofree char *uri = g_file_get_uri (file);
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri (uri, NULL, &error))
    g_warning ("Could not open %s: %s", uri, error->message);
}

static void
pdf_done (GObject      *object,
          GAsyncResult *res,
          gpointer      user_data)
{
  CrmDashboardPage *self = CRM_DASHBOARD_PAGE (object);
  JobData *job = g_task_get_task_data (G_TASK (res));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (job->file);
  gboolean ok = g_task_propagate_boolean (G_TASK (res), &error);
  AdwToast *toast;

  if (!finish_job (self, res))
    return;

  if (!ok)
    {
      crm_ui_show_toast (GTK_WIDGET (self),
                         adw_toast_new (is_cancelled (error) ? _("Cancelled; no report was written.") : error->message));
      return;
    }

  toast = adw_toast_new_format (_("Saved the report as “%s”"), name);
  adw_toast_set_button_label (toast, _("_Open"));
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_open_report), g_object_ref (job->file),
                         (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  crm_ui_show_toast (GTK_WIDGET (self), toast);
  /* The sales figures may have been brought up to date on the way. */
  crm_dashboard_page_reload (self);
}

gboolean
crm_dashboard_page_save_pdf (CrmDashboardPage *self,
                             GFile            *file)
{
  g_autoptr(GTask) task = NULL;
  JobData *job;

  g_return_val_if_fail (CRM_IS_DASHBOARD_PAGE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->store == NULL || self->job != JOB_NONE)
    return FALSE;

  task = start_job (self, JOB_PDF, _("Writing the report…"), pdf_done, &job);
  job->file = g_object_ref (file);
  g_task_set_source_tag (task, crm_dashboard_page_save_pdf);
  g_task_run_in_thread (task, pdf_thread);

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

static void
on_at_risk_row_activated (CrmDashboardPage *self,
                          GtkListBoxRow    *row)
{
  gint64 id = (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "crm-customer-id"));

  if (id > 0)
    g_signal_emit (self, signals[OPEN_CUSTOMER], 0, id);
}

/* Store -------------------------------------------------------------------- */

void
crm_dashboard_page_set_store (CrmDashboardPage *self,
                              CrmStore         *store)
{
  g_return_if_fail (CRM_IS_DASHBOARD_PAGE (self));

  if (self->job_cancellable != NULL)
    g_cancellable_cancel (self->job_cancellable);

  if (!g_set_object (&self->store, store))
    return;

  self->sales_auto = SALES_AUTO_ALLOWED;
  set_data (self, NULL);
  update_banner (self);
  update_actions (self);
  /* Read when shown: the other sections stay quick to open on a large shop. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) || store == NULL)
    crm_dashboard_page_reload (self);
}

/* Building ----------------------------------------------------------------- */

static void
add_kpi (CrmDashboardPage *self,
         CrmDashboardKpi   kpi,
         const char       *title)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title_label = gtk_label_new (title);
  GtkWidget *value = gtk_label_new ("—");
  GtkWidget *detail = gtk_label_new (NULL);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_set_margin_start (title_label, 14);
  gtk_widget_set_margin_end (title_label, 14);
  gtk_widget_set_margin_top (title_label, 12);
  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title_label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title_label, "caption-heading");
  gtk_widget_add_css_class (title_label, "dim-label");

  gtk_widget_set_margin_start (value, 14);
  gtk_widget_set_margin_end (value, 14);
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
  gtk_label_set_selectable (GTK_LABEL (value), TRUE);
  gtk_widget_add_css_class (value, "title-2");
  gtk_widget_add_css_class (value, "crm-numeric");

  gtk_widget_set_margin_start (detail, 14);
  gtk_widget_set_margin_end (detail, 14);
  gtk_widget_set_margin_bottom (detail, 12);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (detail, "caption");
  gtk_widget_add_css_class (detail, "dim-label");

  gtk_box_append (GTK_BOX (card), title_label);
  gtk_box_append (GTK_BOX (card), value);
  gtk_box_append (GTK_BOX (card), detail);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value), GTK_ACCESSIBLE_RELATION_LABELLED_BY, title_label, NULL, -1);
  gtk_flow_box_append (self->kpi_box, card);

  /* The flow box wraps it in a child: that is what hides with the figure. */
  self->kpi_cards[kpi] = gtk_widget_get_parent (card);
  gtk_widget_set_focusable (self->kpi_cards[kpi], FALSE);
  self->kpi_titles[kpi] = GTK_LABEL (title_label);
  self->kpi_values[kpi] = GTK_LABEL (value);
  self->kpi_details[kpi] = GTK_LABEL (detail);
}

static GtkWidget *
chart_card (CrmDashboardPage *self,
            CrmChartKind      kind,
            const char       *title,
            const char       *subtitle,
            int               height)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *chart = crm_chart_new (kind);

  gtk_widget_add_css_class (card, "card");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_start (label, 14);
  gtk_widget_set_margin_end (label, 14);
  gtk_widget_set_margin_top (label, 12);
  gtk_box_append (GTK_BOX (card), label);
  if (subtitle != NULL)
    {
      GtkWidget *sub = gtk_label_new (subtitle);

      gtk_label_set_xalign (GTK_LABEL (sub), 0);
      gtk_label_set_wrap (GTK_LABEL (sub), TRUE);
      /* A wrapping label asks for its whole text on one line unless told otherwise,
       * which would leave one chart per row. */
      gtk_label_set_max_width_chars (GTK_LABEL (sub), 40);
      gtk_widget_add_css_class (sub, "caption");
      gtk_widget_add_css_class (sub, "dim-label");
      gtk_widget_set_margin_start (sub, 14);
      gtk_widget_set_margin_end (sub, 14);
      gtk_box_append (GTK_BOX (card), sub);
    }
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (chart), height);
  gtk_widget_set_vexpand (chart, TRUE);
  gtk_widget_set_margin_start (chart, 12);
  gtk_widget_set_margin_end (chart, 12);
  gtk_widget_set_margin_bottom (chart, 12);
  gtk_box_append (GTK_BOX (card), chart);
  self->charts[kind] = CRM_CHART (chart);

  return card;
}

static void
build (CrmDashboardPage *self)
{
  static const char *const period_labels[] = { N_("30 Days"), N_("90 Days"), N_("365 Days"), N_("All Time") };
  GtkToggleButton *group = NULL;
  GtkWidget *revenue;

  for (guint i = 0; i < G_N_ELEMENTS (period_labels); i++)
    {
      GtkWidget *button = gtk_toggle_button_new_with_label (_(period_labels[i]));

      gtk_widget_set_tooltip_text (button, crm_dashboard_period_get_label (i));
      g_object_set_data (G_OBJECT (button), "crm-period", GUINT_TO_POINTER (i));
      if (group != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
      else
        group = GTK_TOGGLE_BUTTON (button);
      g_signal_connect_object (button, "toggled", G_CALLBACK (on_period_toggled), self, G_CONNECT_SWAPPED);
      gtk_box_append (self->period_box, button);
      self->period_buttons[i] = GTK_TOGGLE_BUTTON (button);
    }

  add_kpi (self, CRM_DASHBOARD_KPI_CUSTOMERS, _("Customers"));
  add_kpi (self, CRM_DASHBOARD_KPI_ACTIVE, _("Active"));
  add_kpi (self, CRM_DASHBOARD_KPI_NEW, _("New This Month"));
  add_kpi (self, CRM_DASHBOARD_KPI_REPEAT_RATE, _("Repeat Rate"));
  add_kpi (self, CRM_DASHBOARD_KPI_REVENUE, _("Revenue"));
  add_kpi (self, CRM_DASHBOARD_KPI_AVERAGE_CLV, _("Average CLV"));
  add_kpi (self, CRM_DASHBOARD_KPI_NPS, _("Net Promoter Score"));
  gtk_widget_set_visible (self->kpi_cards[CRM_DASHBOARD_KPI_NPS], FALSE);

  /* Revenue over time gets the full width; the others share rows. */
  revenue = chart_card (self, CRM_CHART_KIND_REVENUE, _("Revenue"), NULL, 240);
  gtk_box_insert_child_after (self->content, revenue, GTK_WIDGET (self->kpi_box));
  gtk_flow_box_append (self->chart_box, chart_card (self, CRM_CHART_KIND_TIERS, _("Customers by Tier"), NULL, 200));
  gtk_flow_box_append (self->chart_box, chart_card (self, CRM_CHART_KIND_LIFECYCLE, _("Lifecycle Funnel"), NULL, 200));
  gtk_flow_box_append (self->chart_box,
                       chart_card (self, CRM_CHART_KIND_RFM_GRID, _("RFM Segments"),
                                   _("Customers by recency (rows) and frequency and spend (columns), 5 = best"), 260));
  gtk_flow_box_append (self->chart_box,
                       chart_card (self, CRM_CHART_KIND_FORECAST, _("Category Forecast"),
                                   _("Monthly revenue of the largest categories; dashed: the next three months"), 260));
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->chart_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);
}

/* GObject ------------------------------------------------------------------ */

static void
crm_dashboard_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (crm_dashboard_page_parent_class)->map (widget);

  /* Figures are live: shown again, read again (in the background). */
  crm_dashboard_page_reload (CRM_DASHBOARD_PAGE (widget));
}

static void
crm_dashboard_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CrmDashboardPage *self = CRM_DASHBOARD_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    case PROP_PERIOD:
      g_value_set_enum (value, self->period);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_dashboard_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CrmDashboardPage *self = CRM_DASHBOARD_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      crm_dashboard_page_set_folded (self, g_value_get_boolean (value));
      break;
    case PROP_PERIOD:
      crm_dashboard_page_set_period (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_dashboard_page_dispose (GObject *object)
{
  CrmDashboardPage *self = CRM_DASHBOARD_PAGE (object);

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  if (self->job_cancellable != NULL)
    g_cancellable_cancel (self->job_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  for (guint i = 0; i < G_N_ELEMENTS (self->charts); i++)
    if (self->charts[i] != NULL)
      crm_chart_set_data (self->charts[i], NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_DASHBOARD_PAGE);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (crm_dashboard_page_parent_class)->dispose (object);
}

static void
crm_dashboard_page_finalize (GObject *object)
{
  CrmDashboardPage *self = CRM_DASHBOARD_PAGE (object);

  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->job_cancellable);
  if (self->print_owns_data)
    crm_dashboard_data_free (self->print_data);
  crm_dashboard_data_free (self->data);
  g_free (self->banner_text);

  G_OBJECT_CLASS (crm_dashboard_page_parent_class)->finalize (object);
}

G_DEFINE_ENUM_TYPE (CrmDashboardPeriod, crm_dashboard_period,
                    G_DEFINE_ENUM_VALUE (CRM_DASHBOARD_PERIOD_30_DAYS, "30"),
                    G_DEFINE_ENUM_VALUE (CRM_DASHBOARD_PERIOD_90_DAYS, "90"),
                    G_DEFINE_ENUM_VALUE (CRM_DASHBOARD_PERIOD_365_DAYS, "365"),
                    G_DEFINE_ENUM_VALUE (CRM_DASHBOARD_PERIOD_ALL, "all"))

static void
crm_dashboard_page_class_init (CrmDashboardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_dashboard_page_dispose;
  object_class->finalize = crm_dashboard_page_finalize;
  object_class->get_property = crm_dashboard_page_get_property;
  object_class->set_property = crm_dashboard_page_set_property;
  widget_class->map = crm_dashboard_page_map;

  /* Set by the window: the sidebar is folded away, so show a back button. */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PERIOD] =
    g_param_spec_enum ("period", NULL, NULL, crm_dashboard_period_get_type (), CRM_DASHBOARD_PERIOD_30_DAYS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The user picked a customer from the at-risk list. */
  signals[OPEN_CUSTOMER] = g_signal_new ("open-customer", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  g_type_ensure (CRM_TYPE_CHART);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, header);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, title_widget);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, job_revealer);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, job_progress);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, banner_label);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, content);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, period_box);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, updated_label);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, kpi_box);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, chart_box);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, at_risk_group);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, at_risk_list);
  gtk_widget_class_bind_template_callback (widget_class, on_at_risk_row_activated);

  gtk_widget_class_install_action (widget_class, "dashboard.save-pdf", NULL, save_pdf_action);
  gtk_widget_class_install_action (widget_class, "dashboard.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "dashboard.compute", NULL, compute_action);
  gtk_widget_class_install_action (widget_class, "dashboard.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "dashboard.cancel-job", NULL, cancel_job_action);
}

static void
crm_dashboard_page_init (CrmDashboardPage *self)
{
  g_autofree char *period = NULL;
  CrmDashboardPeriod parsed;

  gtk_widget_init_template (GTK_WIDGET (self));
  build (self);

  self->settings = g_settings_new (APP_ID);
  period = g_settings_get_string (self->settings, "dashboard-period");
  if (!crm_dashboard_period_parse (period, &parsed))
    parsed = CRM_DASHBOARD_PERIOD_30_DAYS;
  self->period = parsed;
  gtk_toggle_button_set_active (self->period_buttons[parsed], TRUE);

  g_signal_connect_object (self->settings, "changed::default-currency",
                           G_CALLBACK (crm_dashboard_page_reload), self, G_CONNECT_SWAPPED);
  set_loading (self, FALSE);
  update_actions (self);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

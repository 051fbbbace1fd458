/* crm-dashboard-page-load.c: reading the figures and showing them
 *
 * The figures are read by a job on a read-only connection each time the page is
 * shown, the period changes or the session says the shop changed while it is shown;
 * the newest read supersedes older ones (crm_dashboard_data_load_async).  The key figures, the at-risk list and the banner are filled from them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <math.h>

#include "crm-analytics-jobs.h"
#include "crm-dashboard-page-private.h"
#include "crm-format.h"
#include "crm-ui-util.h"

/* Predictions older than this are offered for recomputing. */
#define STALE_PREDICTIONS_MS (G_GINT64_CONSTANT (7) * 86400000)

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
  gtk_widget_set_visible (self->kpi_cards[CRM_DASHBOARD_KPI_CSAT], d->csat_responses > 0);
  /* Full rows: 3 + 3 cards, 4 + 3 with NPS or CSAT, 4 + 4 with both. */
  gtk_flow_box_set_max_children_per_line (self->kpi_box, d->nps_responses > 0 || d->csat_responses > 0 ? 4 : 3);
  if (d->csat_responses > 0)
    {
      g_autofree char *value = g_strdup_printf ("%.0f%%", d->csat);
      g_autofree char *responses = crm_format_count (d->csat_responses);
      g_autofree char *detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s response · %s",
                                                              "%s responses · %s", d->csat_responses),
                                                 responses, period);
      set_kpi (self, CRM_DASHBOARD_KPI_CSAT, value, detail);
    }
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
      g_autofree char *alive = c->p_alive >= 0 ? g_strdup_printf ("%.1f%%", 100 * c->p_alive) : g_strdup ("—");
      g_autofree char *spent = crm_format_money (c->total_spent, d->currency);
      /* Translators: an at-risk customer: spent so far (what the list is ordered by), the probability
       * of still being a customer, then the predicted value of their future orders. */
      g_autofree char *subtitle = g_strdup_printf (_("Spent %s · P(alive) %s · CLV %s"), spent, alive, clv);

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

void
_crm_dashboard_page_update_banner (CrmDashboardPage *self)
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

void
_crm_dashboard_page_set_data (CrmDashboardPage *self,
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
  _crm_dashboard_page_set_data (self, data);

  fill_kpis (self);
  fill_at_risk (self);
  update_updated_label (self);
  _crm_dashboard_page_update_banner (self);
  adw_window_title_set_subtitle (self->title_widget, crm_dashboard_period_get_label (data->period));
  gtk_stack_set_visible_child_name (self->stack, data->customers > 0 ? "dashboard" : "empty");

  /* The revenue series come from aggregates: bring them up to date in the background. */
  if (data->sales_stale && self->sales_auto == SALES_AUTO_ALLOWED && self->job == JOB_NONE)
    _crm_dashboard_page_start_sales_refresh (self);
  else if (self->sales_auto == SALES_AUTO_JUST_DONE)
    self->sales_auto = SALES_AUTO_ALLOWED;
}

/* Loading ------------------------------------------------------------------ */

void
_crm_dashboard_page_set_loading (CrmDashboardPage *self,
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
  g_autoptr(CrmDashboardPage) self = user_data;
  g_autoptr(GError) error = NULL;
  CrmDashboardData *data = crm_dashboard_data_load_finish (res, &error);

  /* A newer load replaced this one (or the page went away). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->load_cancellable);
  _crm_dashboard_page_set_loading (self, FALSE);

  if (data == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  self->have_model = data->has_model;
  self->model_end = data->model_end;
  show_data (self, data);
}

void
crm_dashboard_page_reload (CrmDashboardPage *self)
{
  g_return_if_fail (CRM_IS_DASHBOARD_PAGE (self));

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  if (self->store == NULL)
    {
      _crm_dashboard_page_set_loading (self, FALSE);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  if (self->data == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");

  self->load_cancellable = g_cancellable_new ();
  _crm_dashboard_page_set_loading (self, TRUE);
  crm_dashboard_data_load_async (self->session, self->period, MAX_ROWS, self->load_cancellable, load_done,
                                 g_object_ref (self));
}

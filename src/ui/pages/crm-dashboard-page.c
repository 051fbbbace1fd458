/* crm-dashboard-page.c
 *
 * Everything slow is a core job with its own connection, as DESIGN.md §4 asks:
 * the figures are read on a read-only connection each time the page is shown,
 * the period changes or the session says the shop changed while it is shown —
 * the newest read supersedes the older; the jobs that write (predictions and
 * co-purchase, the sales aggregates, a PDF that first brings the sales figures
 * up to date) have their own writing connection, one job at a time so they
 * never wait on each other's lock, with progress and Cancel in a strip under
 * the header bar.  Each job commits in its own transaction, so a cancel leaves
 * the database as it was.
 *
 * The class spreads over three files as gnome-text-editor's do: this one holds
 * the widget (properties, period, the cards it builds, the template),
 * crm-dashboard-page-load.c reads and shows the figures and
 * crm-dashboard-page-actions.c runs the jobs behind the actions; the instance
 * struct they share is in crm-dashboard-page-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-dashboard-page-private.h"
#include "crm-ui-util.h"

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

static void
on_at_risk_row_activated (CrmDashboardPage *self,
                          GtkListBoxRow    *row)
{
  gint64 id = (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "crm-customer-id"));

  if (id > 0)
    g_signal_emit (self, signals[OPEN_CUSTOMER], 0, id);
}

/* Store -------------------------------------------------------------------- */

/* The shop changed (a job, an import, another program): the figures follow if they are shown;
 * a hidden page reads them again when it is shown anyway. */
static void
reload_if_shown (CrmDashboardPage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    crm_dashboard_page_reload (self);
}

void
crm_dashboard_page_set_session (CrmDashboardPage *self,
                                CrmSession       *session)
{
  CrmStore *store = session != NULL ? crm_session_get_store (session) : NULL;

  g_return_if_fail (CRM_IS_DASHBOARD_PAGE (self));

  if (self->job_cancellable != NULL)
    g_cancellable_cancel (self->job_cancellable);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL && store != NULL)
    {
      g_signal_connect_object (session, "customers-changed", G_CALLBACK (reload_if_shown), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "orders-changed", G_CALLBACK (reload_if_shown), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "values-recomputed", G_CALLBACK (reload_if_shown), self, G_CONNECT_SWAPPED);
    }

  if (!g_set_object (&self->store, store))
    return;

  self->sales_auto = SALES_AUTO_ALLOWED;
  _crm_dashboard_page_set_data (self, NULL);
  _crm_dashboard_page_update_banner (self);
  _crm_dashboard_page_update_actions (self);
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
  add_kpi (self, CRM_DASHBOARD_KPI_CSAT, _("Customer Satisfaction"));
  gtk_widget_set_visible (self->kpi_cards[CRM_DASHBOARD_KPI_CSAT], FALSE);

  /* Revenue over time gets the full width; the others share rows. */
  revenue = chart_card (self, CRM_CHART_KIND_REVENUE, _("Revenue"), NULL, 240);
  gtk_box_insert_child_after (self->content, revenue, GTK_WIDGET (self->kpi_box));
  gtk_flow_box_append (self->chart_box, chart_card (self, CRM_CHART_KIND_TIERS, _("Customers by Tier"), NULL, 200));
  gtk_flow_box_append (self->chart_box, chart_card (self, CRM_CHART_KIND_LIFECYCLE, _("Lifecycle Funnel"), NULL, 200));
  gtk_flow_box_append (self->chart_box,
                       chart_card (self, CRM_CHART_KIND_RFM_GRID, _("RFM Segments"),
                                   _("Customers by recency (columns) and frequency and spend (rows), 5 = best"), 260));
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
  g_clear_object (&self->session);
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

  _crm_dashboard_page_class_actions_init (widget_class);
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
  _crm_dashboard_page_set_loading (self, FALSE);
  _crm_dashboard_page_update_actions (self);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* crm-chart.c
 *
 * The core charts draw dark text on a transparent background, as on paper:
 * the widget lays a light plate under them so they read the same in a dark
 * style.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gi18n.h>

#include "crm-chart.h"
#include "crm-charts.h"

struct _CrmChart
{
  GtkDrawingArea          parent_instance;

  CrmChartKind            kind;
  const CrmDashboardData *data;
  guint                   draw_count;
  gint64                  drawn_at;
};

G_DEFINE_FINAL_TYPE (CrmChart, crm_chart, GTK_TYPE_DRAWING_AREA)

G_DEFINE_ENUM_TYPE (CrmChartKind, crm_chart_kind,
                    G_DEFINE_ENUM_VALUE (CRM_CHART_KIND_REVENUE, "revenue"),
                    G_DEFINE_ENUM_VALUE (CRM_CHART_KIND_TIERS, "tiers"),
                    G_DEFINE_ENUM_VALUE (CRM_CHART_KIND_RFM_GRID, "rfm-grid"),
                    G_DEFINE_ENUM_VALUE (CRM_CHART_KIND_LIFECYCLE, "lifecycle"),
                    G_DEFINE_ENUM_VALUE (CRM_CHART_KIND_FORECAST, "forecast"))

enum
{
  PROP_0,
  PROP_KIND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
crm_chart_new (CrmChartKind kind)
{
  return g_object_new (CRM_TYPE_CHART, "kind", kind, NULL);
}

CrmChartKind
crm_chart_get_kind (CrmChart *self)
{
  g_return_val_if_fail (CRM_IS_CHART (self), CRM_CHART_KIND_REVENUE);

  return self->kind;
}

static const char *
kind_label (CrmChartKind kind)
{
  switch (kind)
    {
    case CRM_CHART_KIND_REVENUE:
      return _("Revenue chart");
    case CRM_CHART_KIND_TIERS:
      return _("Customers by tier chart");
    case CRM_CHART_KIND_RFM_GRID:
      return _("RFM segment grid");
    case CRM_CHART_KIND_LIFECYCLE:
      return _("Lifecycle funnel chart");
    case CRM_CHART_KIND_FORECAST:
    default:
      return _("Category forecast chart");
    }
}

void
crm_chart_set_kind (CrmChart     *self,
                    CrmChartKind  kind)
{
  g_return_if_fail (CRM_IS_CHART (self));

  if (self->kind == kind)
    return;

  self->kind = kind;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, kind_label (kind), -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

void
crm_chart_set_data (CrmChart               *self,
                    const CrmDashboardData *data)
{
  g_return_if_fail (CRM_IS_CHART (self));

  self->data = data;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
crm_chart_get_draw_count (CrmChart *self)
{
  g_return_val_if_fail (CRM_IS_CHART (self), 0);

  return self->draw_count;
}

gint64
crm_chart_get_drawn_at (CrmChart *self)
{
  g_return_val_if_fail (CRM_IS_CHART (self), 0);

  return self->drawn_at;
}

static void
draw (GtkDrawingArea *area,
      cairo_t        *cr,
      int             width,
      int             height,
      gpointer        user_data)
{
  CrmChart *self = CRM_CHART (area);
  const double radius = 6;

  if (self->data == NULL || width < 40 || height < 40)
    return;

  if (adw_style_manager_get_dark (adw_style_manager_get_default ()))
    {
      cairo_new_sub_path (cr);
      cairo_arc (cr, width - radius, radius, radius, -G_PI / 2, 0);
      cairo_arc (cr, width - radius, height - radius, radius, 0, G_PI / 2);
      cairo_arc (cr, radius, height - radius, radius, G_PI / 2, G_PI);
      cairo_arc (cr, radius, radius, radius, G_PI, 3 * G_PI / 2);
      cairo_close_path (cr);
      cairo_set_source_rgb (cr, 0.96, 0.96, 0.96);
      cairo_fill (cr);
    }

  switch (self->kind)
    {
    case CRM_CHART_KIND_REVENUE:
      crm_chart_draw_revenue (cr, width, height, self->data);
      break;
    case CRM_CHART_KIND_TIERS:
      crm_chart_draw_tiers (cr, width, height, self->data);
      break;
    case CRM_CHART_KIND_RFM_GRID:
      crm_chart_draw_rfm_grid (cr, width, height, self->data);
      break;
    case CRM_CHART_KIND_LIFECYCLE:
      crm_chart_draw_lifecycle (cr, width, height, self->data);
      break;
    case CRM_CHART_KIND_FORECAST:
      crm_chart_draw_forecast (cr, width, height, self->data);
      break;
    default:
      g_assert_not_reached ();
    }

  self->draw_count++;
  self->drawn_at = g_get_monotonic_time ();
}

static void
crm_chart_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CrmChart *self = CRM_CHART (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_chart_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CrmChart *self = CRM_CHART (object);

  switch (prop_id)
    {
    case PROP_KIND:
      crm_chart_set_kind (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_chart_class_init (CrmChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = crm_chart_get_property;
  object_class->set_property = crm_chart_set_property;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, CRM_TYPE_CHART_KIND, CRM_CHART_KIND_REVENUE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_chart_init (CrmChart *self)
{
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self), 220);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self), draw, NULL, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  kind_label (self->kind), -1);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
}

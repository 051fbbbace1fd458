/* crm-segment-sidebar.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-segment-sidebar.h"
#include "crm-ui-util.h"

struct _CrmSegmentSidebar
{
  GtkBox      parent_instance;

  GListModel *model;

  /* template children */
  GtkWidget  *heading;
  GtkListBox *list_box;
};

G_DEFINE_FINAL_TYPE (CrmSegmentSidebar, crm_segment_sidebar, GTK_TYPE_BOX)

enum
{
  ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GtkListBox *
crm_segment_sidebar_get_list_box (CrmSegmentSidebar *self)
{
  g_return_val_if_fail (CRM_IS_SEGMENT_SIDEBAR (self), NULL);

  return self->list_box;
}

CrmSegment *
crm_segment_sidebar_get_row_segment (CrmSegmentSidebar *self,
                                     GtkListBoxRow     *row)
{
  g_return_val_if_fail (CRM_IS_SEGMENT_SIDEBAR (self), NULL);

  return g_object_get_data (G_OBJECT (row), "crm-segment");
}

void
crm_segment_sidebar_unselect (CrmSegmentSidebar *self)
{
  g_return_if_fail (CRM_IS_SEGMENT_SIDEBAR (self));

  gtk_list_box_unselect_all (self->list_box);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  GtkWidget *icon, *label;
  GtkWidget *row = crm_ui_sidebar_row_new (&icon, &label);

  gtk_image_set_from_icon_name (GTK_IMAGE (icon), "crm-filter-symbolic");
  g_object_bind_property (item, "name", label, "label", G_BINDING_SYNC_CREATE);
  g_object_bind_property (item, "name", row, "tooltip-text", G_BINDING_SYNC_CREATE);
  g_object_set_data_full (G_OBJECT (row), "crm-segment", g_object_ref (item), g_object_unref);

  return row;
}

static void
update_visibility (CrmSegmentSidebar *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self),
                          self->model != NULL && g_list_model_get_n_items (self->model) > 0);
}

void
crm_segment_sidebar_set_model (CrmSegmentSidebar *self,
                               GListModel        *model)
{
  g_return_if_fail (CRM_IS_SEGMENT_SIDEBAR (self));

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_set_object (&self->model, model);
  if (model != NULL)
    g_signal_connect_object (model, "items-changed", G_CALLBACK (update_visibility), self,
                             G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->list_box, model, create_row, self, NULL);
  update_visibility (self);
}

static void
on_row_activated (CrmSegmentSidebar *self,
                  GtkListBoxRow     *row)
{
  CrmSegment *segment = g_object_get_data (G_OBJECT (row), "crm-segment");

  if (segment != NULL)
    g_signal_emit (self, signals[ACTIVATED], 0, segment);
}

static void
crm_segment_sidebar_dispose (GObject *object)
{
  CrmSegmentSidebar *self = CRM_SEGMENT_SIDEBAR (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_SEGMENT_SIDEBAR);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (crm_segment_sidebar_parent_class)->dispose (object);
}

static void
crm_segment_sidebar_class_init (CrmSegmentSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_segment_sidebar_dispose;

  /* A saved segment was chosen: show its customers. */
  signals[ACTIVATED] = g_signal_new ("activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, CRM_TYPE_SEGMENT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-segment-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmSegmentSidebar, heading);
  gtk_widget_class_bind_template_child (widget_class, CrmSegmentSidebar, list_box);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
}

static void
crm_segment_sidebar_init (CrmSegmentSidebar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_visibility (self);
}

/* crm-column-sorter.c
 *
 * GTK 4.8 has no public way to ask a GtkColumnView which column it is sorted
 * by.  Each sortable column carries one of these sorters; to find the primary
 * column we run the view's sorter once on two throw-away objects.  The view's
 * sorter (a GtkColumnViewSorter) asks the primary column's sorter first, which
 * answers "smaller" and records itself; the view's sorter stops there and turns
 * the answer into "larger" if that column is sorted descending.  So the record
 * names the column and the answer gives the direction — public API only, and
 * no list model is ever sorted by GTK (the query sorts in SQL).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-column-sorter.h"

struct _CrmColumnSorter
{
  GtkSorter  parent_instance;

  char      *column;
};

G_DEFINE_FINAL_TYPE (CrmColumnSorter, crm_column_sorter, GTK_TYPE_SORTER)

enum
{
  PROP_0,
  PROP_COLUMN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Set by compare() during a probe; only ever touched on the main thread. */
static CrmColumnSorter *last_consulted;

CrmColumnSorter *
crm_column_sorter_new (const char *column)
{
  return g_object_new (CRM_TYPE_COLUMN_SORTER, "column", column, NULL);
}

const char *
crm_column_sorter_get_column (CrmColumnSorter *self)
{
  g_return_val_if_fail (CRM_IS_COLUMN_SORTER (self), NULL);

  return self->column;
}

const char *
crm_column_sorter_get_primary (GtkSorter *view_sorter,
                               gboolean  *descending)
{
  g_autoptr(GObject) a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) b = g_object_new (G_TYPE_OBJECT, NULL);
  GtkOrdering order;
  CrmColumnSorter *primary;

  g_return_val_if_fail (GTK_IS_SORTER (view_sorter), NULL);

  last_consulted = NULL;
  order = gtk_sorter_compare (view_sorter, a, b);
  primary = last_consulted;
  last_consulted = NULL;

  if (descending != NULL)
    *descending = order == GTK_ORDERING_LARGER;

  if (primary == NULL || order == GTK_ORDERING_EQUAL)
    return NULL;

  return primary->column;
}

static GtkOrdering
crm_column_sorter_compare (GtkSorter *sorter,
                           gpointer   item1,
                           gpointer   item2)
{
  last_consulted = CRM_COLUMN_SORTER (sorter);

  return GTK_ORDERING_SMALLER;
}

static GtkSorterOrder
crm_column_sorter_get_order (GtkSorter *sorter)
{
  return GTK_SORTER_ORDER_PARTIAL;
}

static void
crm_column_sorter_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CrmColumnSorter *self = CRM_COLUMN_SORTER (object);

  switch (prop_id)
    {
    case PROP_COLUMN:
      g_value_set_string (value, self->column);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_column_sorter_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CrmColumnSorter *self = CRM_COLUMN_SORTER (object);

  switch (prop_id)
    {
    case PROP_COLUMN:
      g_free (self->column);
      self->column = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_column_sorter_finalize (GObject *object)
{
  CrmColumnSorter *self = CRM_COLUMN_SORTER (object);

  if (last_consulted == self)
    last_consulted = NULL;
  g_free (self->column);

  G_OBJECT_CLASS (crm_column_sorter_parent_class)->finalize (object);
}

static void
crm_column_sorter_class_init (CrmColumnSorterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkSorterClass *sorter_class = GTK_SORTER_CLASS (klass);

  object_class->finalize = crm_column_sorter_finalize;
  object_class->get_property = crm_column_sorter_get_property;
  object_class->set_property = crm_column_sorter_set_property;
  sorter_class->compare = crm_column_sorter_compare;
  sorter_class->get_order = crm_column_sorter_get_order;

  properties[PROP_COLUMN] =
    g_param_spec_string ("column", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_column_sorter_init (CrmColumnSorter *self)
{
}

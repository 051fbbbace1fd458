/* crm-entity.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-entity.h"

#include <string.h>

typedef struct
{
  gint64   id;
  char    *uuid;
  gint64   created_at;
  gint64   updated_at;
  gint64   deleted_at;
  GValue  *values;
  guint    n_values;
  guint64  dirty;
} CrmEntityPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (CrmEntity, crm_entity, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_UUID,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_DELETED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

gint64
crm_now_ms (void)
{
  return g_get_real_time () / 1000;
}

/* Values are allocated on first use: while the base instance_init runs, the
 * instance's class is still CrmEntityClass and knows no fields. */
static GValue *
ensure_values (CrmEntity *self)
{
  CrmEntityPrivate *priv = crm_entity_get_instance_private (self);
  CrmEntityClass *klass = CRM_ENTITY_GET_CLASS (self);

  if (priv->values == NULL && klass->n_fields > 0)
    {
      priv->values = g_new0 (GValue, klass->n_fields);
      priv->n_values = klass->n_fields;
      for (guint i = 0; i < klass->n_fields; i++)
        {
          const CrmField *f = &klass->fields[i];

          g_value_init (&priv->values[i], f->type);
          if (f->type == G_TYPE_INT64)
            g_value_set_int64 (&priv->values[i], (gint64) f->default_value);
          else if (f->type == G_TYPE_INT)
            g_value_set_int (&priv->values[i], (int) f->default_value);
          else if (f->type == G_TYPE_DOUBLE)
            g_value_set_double (&priv->values[i], f->default_value);
        }
    }

  return priv->values;
}

static void
crm_entity_finalize (GObject *object)
{
  CrmEntity *self = CRM_ENTITY (object);
  CrmEntityPrivate *priv = crm_entity_get_instance_private (self);

  for (guint i = 0; i < priv->n_values; i++)
    g_value_unset (&priv->values[i]);
  g_free (priv->values);
  g_free (priv->uuid);

  G_OBJECT_CLASS (crm_entity_parent_class)->finalize (object);
}

static void
crm_entity_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CrmEntity *self = CRM_ENTITY (object);
  CrmEntityPrivate *priv = crm_entity_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, priv->id);
      break;
    case PROP_UUID:
      g_value_set_string (value, priv->uuid);
      break;
    case PROP_CREATED_AT:
      g_value_set_int64 (value, priv->created_at);
      break;
    case PROP_UPDATED_AT:
      g_value_set_int64 (value, priv->updated_at);
      break;
    case PROP_DELETED_AT:
      g_value_set_int64 (value, priv->deleted_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_entity_class_init (CrmEntityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = crm_entity_finalize;
  object_class->get_property = crm_entity_get_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UUID] =
    g_param_spec_string ("uuid", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPDATED_AT] =
    g_param_spec_int64 ("updated-at", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DELETED_AT] =
    g_param_spec_int64 ("deleted-at", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_entity_init (CrmEntity *self)
{
}

static void
field_get_property (GObject    *object,
                    guint       prop_id,
                    GValue     *value,
                    GParamSpec *pspec)
{
  CrmEntity *self = CRM_ENTITY (object);
  GValue *values = ensure_values (self);

  g_value_copy (&values[prop_id - 1], value);
}

static void
field_set_property (GObject      *object,
                    guint         prop_id,
                    const GValue *value,
                    GParamSpec   *pspec)
{
  crm_entity_set_value (CRM_ENTITY (object), prop_id - 1, value);
}

void
crm_entity_class_install_fields (CrmEntityClass *klass,
                                 const char     *table,
                                 const char     *entity_name,
                                 const CrmField *fields,
                                 guint           n_fields)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  g_return_if_fail (n_fields <= 64);

  klass->table = table;
  klass->from = table;
  klass->entity_name = entity_name;
  klass->fields = fields;
  klass->n_fields = n_fields;
  klass->pspecs = g_new0 (GParamSpec *, n_fields);
  klass->columns = g_new0 (char *, n_fields + 1);

  object_class->get_property = field_get_property;
  object_class->set_property = field_set_property;

  for (guint i = 0; i < n_fields; i++)
    {
      const CrmField *f = &fields[i];
      GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
      GParamSpec *pspec;

      if (f->type == G_TYPE_STRING)
        pspec = g_param_spec_string (f->name, NULL, NULL, NULL, flags);
      else if (f->type == G_TYPE_INT64)
        pspec = g_param_spec_int64 (f->name, NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
      else if (f->type == G_TYPE_INT)
        pspec = g_param_spec_int (f->name, NULL, NULL, G_MININT, G_MAXINT, 0, flags);
      else if (f->type == G_TYPE_BOOLEAN)
        pspec = g_param_spec_boolean (f->name, NULL, NULL, FALSE, flags);
      else if (f->type == G_TYPE_DOUBLE)
        pspec = g_param_spec_double (f->name, NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
      else
        g_assert_not_reached ();

      klass->pspecs[i] = pspec;
      klass->columns[i] = g_strdelimit (g_strdup (f->name), "-", '_');
      g_object_class_install_property (object_class, i + 1, pspec);
    }
}

static gboolean
values_equal (const GValue *a,
              const GValue *b)
{
  switch (G_VALUE_TYPE (a))
    {
    case G_TYPE_STRING:
      return g_strcmp0 (g_value_get_string (a), g_value_get_string (b)) == 0;
    case G_TYPE_INT64:
      return g_value_get_int64 (a) == g_value_get_int64 (b);
    case G_TYPE_INT:
      return g_value_get_int (a) == g_value_get_int (b);
    case G_TYPE_BOOLEAN:
      return !g_value_get_boolean (a) == !g_value_get_boolean (b);
    case G_TYPE_DOUBLE:
      return g_value_get_double (a) == g_value_get_double (b);
    default:
      g_assert_not_reached ();
    }
}

const GValue *
crm_entity_get_value (CrmEntity *self,
                      guint      field)
{
  GValue *values = ensure_values (self);

  g_return_val_if_fail (field < CRM_ENTITY_GET_CLASS (self)->n_fields, NULL);

  return &values[field];
}

static void
store_value (CrmEntity    *self,
             guint         field,
             const GValue *value,
             gboolean      mark_dirty)
{
  CrmEntityPrivate *priv = crm_entity_get_instance_private (self);
  CrmEntityClass *klass = CRM_ENTITY_GET_CLASS (self);
  GValue *values = ensure_values (self);
  GValue tmp = G_VALUE_INIT;

  g_return_if_fail (field < klass->n_fields);

  g_value_init (&tmp, klass->fields[field].type);
  g_value_transform (value, &tmp);

  /* Empty text is stored as NULL so "no phone" has one representation. */
  if (G_VALUE_HOLDS_STRING (&tmp) && g_value_get_string (&tmp) != NULL
      && g_value_get_string (&tmp)[0] == '\0')
    g_value_set_string (&tmp, NULL);

  if (values_equal (&values[field], &tmp))
    {
      g_value_unset (&tmp);
      return;
    }

  g_value_unset (&values[field]);
  values[field] = tmp;
  if (mark_dirty)
    priv->dirty |= G_GUINT64_CONSTANT (1) << field;
  g_object_notify_by_pspec (G_OBJECT (self), klass->pspecs[field]);
}

void
crm_entity_set_value (CrmEntity    *self,
                      guint         field,
                      const GValue *value)
{
  store_value (self, field, value, TRUE);
}

void
crm_entity_load_value (CrmEntity    *self,
                       guint         field,
                       const GValue *value)
{
  store_value (self, field, value, FALSE);
}

const char *
crm_entity_get_string (CrmEntity *self,
                       guint      field)
{
  return g_value_get_string (crm_entity_get_value (self, field));
}

void
crm_entity_set_string (CrmEntity  *self,
                       guint       field,
                       const char *value)
{
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_STRING);
  g_value_set_static_string (&v, value);
  crm_entity_set_value (self, field, &v);
  g_value_unset (&v);
}

gint64
crm_entity_get_int64 (CrmEntity *self,
                      guint      field)
{
  const GValue *v = crm_entity_get_value (self, field);

  return G_VALUE_HOLDS_INT (v) ? g_value_get_int (v) : g_value_get_int64 (v);
}

void
crm_entity_set_int64 (CrmEntity *self,
                      guint      field,
                      gint64     value)
{
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_INT64);
  g_value_set_int64 (&v, value);
  crm_entity_set_value (self, field, &v);
}

gboolean
crm_entity_get_boolean (CrmEntity *self,
                        guint      field)
{
  return g_value_get_boolean (crm_entity_get_value (self, field));
}

void
crm_entity_set_boolean (CrmEntity *self,
                        guint      field,
                        gboolean   value)
{
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_BOOLEAN);
  g_value_set_boolean (&v, value);
  crm_entity_set_value (self, field, &v);
}

double
crm_entity_get_double (CrmEntity *self,
                       guint      field)
{
  return g_value_get_double (crm_entity_get_value (self, field));
}

void
crm_entity_set_double (CrmEntity *self,
                       guint      field,
                       double     value)
{
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_DOUBLE);
  g_value_set_double (&v, value);
  crm_entity_set_value (self, field, &v);
}

int
crm_entity_find_field (CrmEntityClass *klass,
                       const char     *name)
{
  for (guint i = 0; i < klass->n_fields; i++)
    if (strcmp (klass->fields[i].name, name) == 0 || strcmp (klass->columns[i], name) == 0)
      return i;

  return -1;
}

gboolean
crm_entity_field_is_dirty (CrmEntity *self,
                           guint      field)
{
  CrmEntityPrivate *priv = crm_entity_get_instance_private (self);

  return (priv->dirty & (G_GUINT64_CONSTANT (1) << field)) != 0;
}

gboolean
crm_entity_is_dirty (CrmEntity *self)
{
  CrmEntityPrivate *priv = crm_entity_get_instance_private (self);

  return priv->dirty != 0;
}

void
crm_entity_clear_dirty (CrmEntity *self)
{
  CrmEntityPrivate *priv = crm_entity_get_instance_private (self);

  priv->dirty = 0;
}

/* Copies every field of @from (same class) into @self, with notify for the ones
 * that change: how a live object picks up an edit saved elsewhere. */
void
crm_entity_copy_fields (CrmEntity *self,
                        CrmEntity *from)
{
  CrmEntityClass *klass = CRM_ENTITY_GET_CLASS (self);
  CrmEntityPrivate *fpriv = crm_entity_get_instance_private (from);

  g_return_if_fail (G_OBJECT_TYPE (self) == G_OBJECT_TYPE (from));

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < klass->n_fields; i++)
    crm_entity_load_value (self, i, crm_entity_get_value (from, i));
  crm_entity_set_identity (self, fpriv->id, fpriv->uuid, fpriv->created_at,
                           fpriv->updated_at, fpriv->deleted_at);
  g_object_thaw_notify (G_OBJECT (self));
}

void
crm_entity_set_identity (CrmEntity  *self,
                         gint64      id,
                         const char *uuid,
                         gint64      created_at,
                         gint64      updated_at,
                         gint64      deleted_at)
{
  CrmEntityPrivate *priv = crm_entity_get_instance_private (self);
  GObject *object = G_OBJECT (self);

  g_object_freeze_notify (object);
  if (priv->id != id)
    {
      priv->id = id;
      g_object_notify_by_pspec (object, properties[PROP_ID]);
    }
  if (g_strcmp0 (priv->uuid, uuid) != 0)
    {
      g_free (priv->uuid);
      priv->uuid = g_strdup (uuid);
      g_object_notify_by_pspec (object, properties[PROP_UUID]);
    }
  if (priv->created_at != created_at)
    {
      priv->created_at = created_at;
      g_object_notify_by_pspec (object, properties[PROP_CREATED_AT]);
    }
  if (priv->updated_at != updated_at)
    {
      priv->updated_at = updated_at;
      g_object_notify_by_pspec (object, properties[PROP_UPDATED_AT]);
    }
  if (priv->deleted_at != deleted_at)
    {
      priv->deleted_at = deleted_at;
      g_object_notify_by_pspec (object, properties[PROP_DELETED_AT]);
    }
  g_object_thaw_notify (object);
}

gint64
crm_entity_get_id (CrmEntity *self)
{
  CrmEntityPrivate *priv = crm_entity_get_instance_private (self);
  return priv->id;
}

const char *
crm_entity_get_uuid (CrmEntity *self)
{
  CrmEntityPrivate *priv = crm_entity_get_instance_private (self);
  return priv->uuid;
}

gint64
crm_entity_get_created_at (CrmEntity *self)
{
  CrmEntityPrivate *priv = crm_entity_get_instance_private (self);
  return priv->created_at;
}

gint64
crm_entity_get_updated_at (CrmEntity *self)
{
  CrmEntityPrivate *priv = crm_entity_get_instance_private (self);
  return priv->updated_at;
}

gint64
crm_entity_get_deleted_at (CrmEntity *self)
{
  CrmEntityPrivate *priv = crm_entity_get_instance_private (self);
  return priv->deleted_at;
}

gboolean
crm_entity_is_deleted (CrmEntity *self)
{
  return crm_entity_get_deleted_at (self) != 0;
}

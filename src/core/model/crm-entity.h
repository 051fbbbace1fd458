/* crm-entity.h: base class of every stored model.
 *
 * A model is data + properties + notify, no SQL.  Its stored fields are described
 * once in a CrmField table; the base class keeps their values, emits notify only on
 * real changes, remembers which fields changed since the last load or save (the
 * change journal records them) and lets the store map fields to columns generically.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  CRM_FIELD_FLAG_NONE     = 0,
  CRM_FIELD_FLAG_REQUIRED = 1 << 0,  /* non-empty text required */
  CRM_FIELD_FLAG_COMPUTED = 1 << 1,  /* maintained by the store, never written from the object */
} CrmFieldFlags;

typedef struct
{
  const char    *name;       /* property name; the column is the same with '-' → '_' */
  GType          type;       /* G_TYPE_STRING, G_TYPE_INT64, G_TYPE_INT, G_TYPE_BOOLEAN, G_TYPE_DOUBLE */
  guint          max_chars;  /* strings: longest accepted text */
  CrmFieldFlags  flags;
  const char    *label;      /* N_() label for messages and column pickers */
  double         default_value;  /* numbers: the value of a new object */
} CrmField;

#define CRM_TYPE_ENTITY (crm_entity_get_type ())
G_DECLARE_DERIVABLE_TYPE (CrmEntity, crm_entity, CRM, ENTITY, GObject)

struct _CrmEntityClass
{
  GObjectClass parent_class;

  /*< private >*/
  const char     *table;
  const char     *from;          /* what stored fields are read from: table and its side tables */
  const char     *entity_name;   /* as written in the change journal */
  const CrmField *fields;
  guint           n_fields;
  GParamSpec    **pspecs;        /* one per field */
  char          **columns;       /* one per field */
};

void            crm_entity_class_install_fields  (CrmEntityClass *klass,
                                                  const char     *table,
                                                  const char     *entity_name,
                                                  const CrmField *fields,
                                                  guint           n_fields);

gint64          crm_entity_get_id                (CrmEntity      *self);
const char     *crm_entity_get_uuid              (CrmEntity      *self);
gint64          crm_entity_get_created_at        (CrmEntity      *self);
gint64          crm_entity_get_updated_at        (CrmEntity      *self);
gint64          crm_entity_get_deleted_at        (CrmEntity      *self);
gboolean        crm_entity_is_deleted            (CrmEntity      *self);

/* Typed access by field index (the subclasses wrap these in named accessors). */
const char     *crm_entity_get_string            (CrmEntity      *self,
                                                  guint           field);
void            crm_entity_set_string            (CrmEntity      *self,
                                                  guint           field,
                                                  const char     *value);
gint64          crm_entity_get_int64             (CrmEntity      *self,
                                                  guint           field);
void            crm_entity_set_int64             (CrmEntity      *self,
                                                  guint           field,
                                                  gint64          value);
gboolean        crm_entity_get_boolean           (CrmEntity      *self,
                                                  guint           field);
void            crm_entity_set_boolean           (CrmEntity      *self,
                                                  guint           field,
                                                  gboolean        value);
double          crm_entity_get_double            (CrmEntity      *self,
                                                  guint           field);
void            crm_entity_set_double            (CrmEntity      *self,
                                                  guint           field,
                                                  double          value);
const GValue   *crm_entity_get_value             (CrmEntity      *self,
                                                  guint           field);
void            crm_entity_set_value             (CrmEntity      *self,
                                                  guint           field,
                                                  const GValue   *value);
int             crm_entity_find_field            (CrmEntityClass *klass,
                                                  const char     *name);
gboolean        crm_entity_field_is_dirty        (CrmEntity      *self,
                                                  guint           field);
gboolean        crm_entity_is_dirty              (CrmEntity      *self);
void            crm_entity_copy_fields           (CrmEntity      *self,
                                                  CrmEntity      *from);

/* For the store only. */
void            crm_entity_set_identity          (CrmEntity      *self,
                                                  gint64          id,
                                                  const char     *uuid,
                                                  gint64          created_at,
                                                  gint64          updated_at,
                                                  gint64          deleted_at);
void            crm_entity_clear_dirty           (CrmEntity      *self);
void            crm_entity_load_value            (CrmEntity      *self,
                                                  guint           field,
                                                  const GValue   *value);

/* Milliseconds since the epoch, UTC. */
gint64          crm_now_ms                       (void);

G_END_DECLS

/* Named accessors over the field table, so each model states a field once. */
#define CRM_ENTITY_DECLARE_STRING(Type, prefix, name) \
  const char *prefix##_get_##name (Type *self); \
  void prefix##_set_##name (Type *self, const char *value);
#define CRM_ENTITY_DECLARE_INT64(Type, prefix, name) \
  gint64 prefix##_get_##name (Type *self); \
  void prefix##_set_##name (Type *self, gint64 value);
#define CRM_ENTITY_DECLARE_BOOLEAN(Type, prefix, name) \
  gboolean prefix##_get_##name (Type *self); \
  void prefix##_set_##name (Type *self, gboolean value);
#define CRM_ENTITY_DECLARE_DOUBLE(Type, prefix, name) \
  double prefix##_get_##name (Type *self); \
  void prefix##_set_##name (Type *self, double value);

#define CRM_ENTITY_DEFINE_STRING(Type, prefix, name, FIELD) \
  const char *prefix##_get_##name (Type *self) { return crm_entity_get_string (CRM_ENTITY (self), FIELD); } \
  void prefix##_set_##name (Type *self, const char *value) { crm_entity_set_string (CRM_ENTITY (self), FIELD, value); }
#define CRM_ENTITY_DEFINE_INT64(Type, prefix, name, FIELD) \
  gint64 prefix##_get_##name (Type *self) { return crm_entity_get_int64 (CRM_ENTITY (self), FIELD); } \
  void prefix##_set_##name (Type *self, gint64 value) { crm_entity_set_int64 (CRM_ENTITY (self), FIELD, value); }
#define CRM_ENTITY_DEFINE_BOOLEAN(Type, prefix, name, FIELD) \
  gboolean prefix##_get_##name (Type *self) { return crm_entity_get_boolean (CRM_ENTITY (self), FIELD); } \
  void prefix##_set_##name (Type *self, gboolean value) { crm_entity_set_boolean (CRM_ENTITY (self), FIELD, value); }
#define CRM_ENTITY_DEFINE_DOUBLE(Type, prefix, name, FIELD) \
  double prefix##_get_##name (Type *self) { return crm_entity_get_double (CRM_ENTITY (self), FIELD); } \
  void prefix##_set_##name (Type *self, double value) { crm_entity_set_double (CRM_ENTITY (self), FIELD, value); }

/* A model's whole GObject definition: G_DEFINE_TYPE, class_init installing the
 * field table, init and a constructor. */
#define CRM_ENTITY_DEFINE_MODEL(Type, prefix, table, entity, fields) \
  CRM_ENTITY_DEFINE_MODEL_FROM (Type, prefix, table, table, entity, fields)

/* @from_clause: the FROM clause that reads the fields, when computed ones live in a side table joined
 * to @table (their columns must not repeat the table's). */
#define CRM_ENTITY_DEFINE_MODEL_FROM(Type, prefix, table, from_clause, entity, fields) \
  struct _##Type { CrmEntity parent_instance; }; \
  G_DEFINE_FINAL_TYPE (Type, prefix, CRM_TYPE_ENTITY) \
  static void prefix##_class_init (Type##Class *klass) \
  { \
    crm_entity_class_install_fields (CRM_ENTITY_CLASS (klass), table, entity, fields, G_N_ELEMENTS (fields)); \
    CRM_ENTITY_CLASS (klass)->from = from_clause; \
  } \
  static void prefix##_init (Type *self) { } \
  Type *prefix##_new (void) { return g_object_new (prefix##_get_type (), NULL); }

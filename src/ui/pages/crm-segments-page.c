/* crm-segments-page.c
 *
 * The live count is a job on a read-only connection (crm_rule_count_async),
 * ~150 ms after the last edit or a change the session announces; a newer count
 * supersedes the older and only the newest answer is shown.  The saved segments are one
 * GListStore that the sidebar binds to as well, so both always agree.
 *
 * The class spreads over three files as gnome-text-editor's do: this one holds
 * the widget (properties, the saved segments, store, template),
 * crm-segments-page-count.c the live count and crm-segments-page-actions.c the
 * actions and the export; the instance struct is in
 * crm-segments-page-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-export.h"
#include "crm-format.h"
#include "crm-query.h"
#include "crm-segments-page-private.h"
#include "crm-ui-util.h"
#include "crm-value-report.h"

G_DEFINE_FINAL_TYPE (CrmSegmentsPage, crm_segments_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SHOW_SEGMENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Accessors ---------------------------------------------------------------- */

GListModel *
crm_segments_page_get_segments (CrmSegmentsPage *self)
{
  g_return_val_if_fail (CRM_IS_SEGMENTS_PAGE (self), NULL);

  return G_LIST_MODEL (self->segments);
}

CrmRuleEditor *
crm_segments_page_get_rule_editor (CrmSegmentsPage *self)
{
  g_return_val_if_fail (CRM_IS_SEGMENTS_PAGE (self), NULL);

  return self->rule_editor;
}

GtkEditable *
crm_segments_page_get_name_entry (CrmSegmentsPage *self)
{
  g_return_val_if_fail (CRM_IS_SEGMENTS_PAGE (self), NULL);

  return GTK_EDITABLE (self->name_row);
}

const char *
crm_segments_page_get_count_text (CrmSegmentsPage *self)
{
  g_return_val_if_fail (CRM_IS_SEGMENTS_PAGE (self), NULL);

  return self->count_text;
}

gboolean
crm_segments_page_get_exporting (CrmSegmentsPage *self)
{
  g_return_val_if_fail (CRM_IS_SEGMENTS_PAGE (self), FALSE);

  return self->export_cancellable != NULL;
}

void
crm_segments_page_set_folded (CrmSegmentsPage *self,
                              gboolean         folded)
{
  g_return_if_fail (CRM_IS_SEGMENTS_PAGE (self));

  crm_ui_page_set_folded (G_OBJECT (self), properties[PROP_FOLDED], &self->folded, folded,
                          GTK_WIDGET (self->back_button), self->header);
}

char *
_crm_segments_page_typed_name (CrmSegmentsPage *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
}

gboolean
crm_segments_page_get_can_save (CrmSegmentsPage *self)
{
  g_autofree char *name = NULL;
  CrmRule *rule;

  g_return_val_if_fail (CRM_IS_SEGMENTS_PAGE (self), FALSE);

  name = _crm_segments_page_typed_name (self);
  rule = crm_rule_editor_get_rule (self->rule_editor);

  return self->store != NULL && rule != NULL && crm_rule_count_conditions (rule) > 0 && name[0] != '\0';
}

void
_crm_segments_page_update_actions (CrmSegmentsPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "segments.save",
                                 crm_segments_page_get_can_save (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "segments.show-current",
                                 self->store != NULL && crm_rule_editor_get_valid (self->rule_editor));
}

void
_crm_segments_page_update_title (CrmSegmentsPage *self)
{
  g_autofree char *title = NULL;

  if (self->editing != NULL)
    /* Translators: the heading of the rule builder while a saved segment is open. */
    title = g_strdup_printf (_("Edit “%s”"), crm_segment_get_name (self->editing));
  adw_preferences_group_set_title (self->rule_group, title != NULL ? title : _("New Segment"));
}

/* Saved segments ------------------------------------------------------------ */

CrmSegment *
_crm_segments_page_find_segment (CrmSegmentsPage *self,
                                 gint64           id,
                                 guint           *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->segments));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrmSegment) segment = g_list_model_get_item (G_LIST_MODEL (self->segments), i);

      if (crm_entity_get_id (CRM_ENTITY (segment)) == id)
        {
          if (position != NULL)
            *position = i;
          return segment;   /* the store keeps it alive */
        }
    }

  return NULL;
}

static void
reload_segments (CrmSegmentsPage *self)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  if (self->store != NULL)
    list = crm_value_report_segments (self->store, &error);
  if (error != NULL)
    crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));

  g_list_store_splice (self->segments, 0, g_list_model_get_n_items (G_LIST_MODEL (self->segments)),
                       list != NULL ? list->pdata : NULL, list != NULL ? list->len : 0);

  /* The segment open in the builder may have gone (deleted elsewhere). */
  if (self->editing != NULL && _crm_segments_page_find_segment (self, crm_entity_get_id (CRM_ENTITY (self->editing)), NULL) == NULL)
    {
      g_clear_object (&self->editing);
      _crm_segments_page_update_title (self);
    }
}

static char *
segment_summary (CrmSegment *segment)
{
  g_autoptr(CrmRule) rule = crm_rule_new_from_json (crm_segment_get_rule (segment), NULL);
  guint n;

  if (rule == NULL)
    return g_strdup (_("The rule cannot be read"));

  n = crm_rule_count_conditions (rule);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u condition", "%u conditions", n), n);
}

static GtkWidget *
create_saved_row (gpointer item,
                  gpointer user_data)
{
  CrmSegment *segment = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *menu_button = gtk_menu_button_new ();
  GtkWidget *show_button = gtk_button_new_from_icon_name ("go-next-symbolic");
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) danger = g_menu_new ();
  g_autofree char *summary = segment_summary (segment);
  gint64 id = crm_entity_get_id (CRM_ENTITY (segment));

#define ADD_ITEM(m, label, action) \
  G_STMT_START { \
    g_autoptr(GMenuItem) it = g_menu_item_new (label, NULL); \
    g_menu_item_set_action_and_target (it, action, "x", id); \
    g_menu_append_item (m, it); \
  } G_STMT_END
  ADD_ITEM (menu, _("_Edit Rule"), "segments.edit");
  ADD_ITEM (menu, _("_Rename…"), "segments.rename");
  ADD_ITEM (menu, _("E_xport to CSV…"), "segments.export");
  ADD_ITEM (danger, _("_Delete"), "segments.delete");
#undef ADD_ITEM
  g_menu_append_section (menu, NULL, G_MENU_MODEL (danger));

  g_object_bind_property (segment, "name", row, "title", G_BINDING_SYNC_CREATE);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), summary);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), G_MENU_MODEL (menu));
  gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (menu_button, _("More"));
  gtk_widget_add_css_class (menu_button, "flat");

  gtk_widget_set_valign (show_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (show_button, _("Show Customers"));
  gtk_widget_add_css_class (show_button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (show_button), "segments.open");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (show_button), "x", id);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), menu_button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), show_button);
  g_object_set_data_full (G_OBJECT (row), "crm-segment", g_object_ref (segment), g_object_unref);

  return row;
}

static void
on_saved_row_activated (CrmSegmentsPage *self,
                        GtkListBoxRow   *row)
{
  CrmSegment *segment = g_object_get_data (G_OBJECT (row), "crm-segment");

  if (segment != NULL)
    crm_segments_page_edit_segment (self, segment);
}

void
crm_segments_page_edit_segment (CrmSegmentsPage *self,
                                CrmSegment      *segment)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CRM_IS_SEGMENTS_PAGE (self));
  g_return_if_fail (CRM_IS_SEGMENT (segment));

  if (!crm_rule_editor_set_json (self->rule_editor, crm_segment_get_rule (segment), &error))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” cannot be opened: %s"),
                                                  crm_segment_get_name (segment), error->message);

      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (message));
      return;
    }

  g_set_object (&self->editing, segment);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), crm_segment_get_name (segment));
  _crm_segments_page_update_title (self);
  _crm_segments_page_update_actions (self);
}

CrmSegment *
_crm_segments_page_find_named (CrmSegmentsPage *self,
                               const char      *name,
                               CrmSegment      *except)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->segments));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrmSegment) segment = g_list_model_get_item (G_LIST_MODEL (self->segments), i);

      if ((except == NULL || crm_entity_get_id (CRM_ENTITY (segment)) != crm_entity_get_id (CRM_ENTITY (except))) &&
          g_strcmp0 (crm_segment_get_name (segment), name) == 0)
        return segment;   /* the store keeps it alive */
    }

  return NULL;
}

/* Stores @name and @json into the saved segment @target (a fresh copy of it from the
 * store, so the shown object is replaced as a whole) and opens it in the builder. */
static gboolean
save_into (CrmSegmentsPage *self,
           CrmSegment      *target,
           const char      *name,
           const char      *json,
           GError         **error)
{
  g_autoptr(CrmSegment) copy = crm_store_load (self->store, CRM_TYPE_SEGMENT,
                                               crm_entity_get_id (CRM_ENTITY (target)), error);
  guint position;

  if (copy == NULL)
    return FALSE;
  crm_segment_set_name (copy, name);
  crm_segment_set_rule (copy, json);
  if (!crm_store_update (self->store, CRM_ENTITY (copy), error))
    return FALSE;

  /* Replacing the item rebuilds its row here and in the sidebar. */
  if (_crm_segments_page_find_segment (self, crm_entity_get_id (CRM_ENTITY (copy)), &position) != NULL)
    g_list_store_splice (self->segments, position, 1, (gpointer *) &copy, 1);
  g_set_object (&self->editing, copy);
  return TRUE;
}

gboolean
_crm_segments_page_save_full (CrmSegmentsPage *self,
                              gboolean         replace,
                              GError         **error)
{
  g_autofree char *name = NULL;
  g_autofree char *json = NULL;
  CrmSegment *namesake;
  CrmRule *rule;
  AdwToast *toast;

  if (!crm_segments_page_get_can_save (self))
    {
      const char *message = crm_rule_editor_get_message (self->rule_editor);

      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           message != NULL ? message : _("Give the segment a name and at least one condition."));
      return FALSE;
    }

  name = _crm_segments_page_typed_name (self);
  rule = crm_rule_editor_get_rule (self->rule_editor);
  json = crm_rule_to_json (rule);
  namesake = _crm_segments_page_find_named (self, name, self->editing);

  if (namesake != NULL && !replace)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("A segment named “%s” already exists."), name);
      return FALSE;
    }

  if (namesake != NULL)
    {
      /* The other segment takes this rule; the one open before (if any) stays as it was saved. */
      if (!save_into (self, namesake, name, json, error))
        return FALSE;
    }
  else if (self->editing != NULL)
    {
      if (!save_into (self, self->editing, name, json, error))
        return FALSE;
    }
  else
    {
      g_autoptr(CrmSegment) segment = crm_segment_new ();

      crm_segment_set_name (segment, name);
      crm_segment_set_rule (segment, json);
      crm_segment_set_position (segment, crm_value_report_next_position (self->store));
      if (!crm_store_insert (self->store, CRM_ENTITY (segment), error))
        return FALSE;

      g_list_store_append (self->segments, segment);
      g_set_object (&self->editing, segment);
    }

  _crm_segments_page_update_title (self);
  toast = adw_toast_new_format (_("Saved segment “%s”"), name);
  crm_ui_show_toast (GTK_WIDGET (self), toast);

  return TRUE;
}

gboolean
crm_segments_page_save (CrmSegmentsPage *self,
                        GError         **error)
{
  g_return_val_if_fail (CRM_IS_SEGMENTS_PAGE (self), FALSE);

  return _crm_segments_page_save_full (self, FALSE, error);
}

gboolean
crm_segments_page_rename_segment (CrmSegmentsPage *self,
                                  CrmSegment      *segment,
                                  const char      *name,
                                  GError         **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (name != NULL ? name : ""));
  g_autoptr(CrmSegment) copy = NULL;

  g_return_val_if_fail (CRM_IS_SEGMENTS_PAGE (self), FALSE);
  g_return_val_if_fail (CRM_IS_SEGMENT (segment), FALSE);

  if (trimmed[0] == '\0')
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("A segment needs a name."));
      return FALSE;
    }

  if (_crm_segments_page_find_named (self, trimmed, segment) != NULL)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("A segment named “%s” already exists."), trimmed);
      return FALSE;
    }

  copy = crm_store_load (self->store, CRM_TYPE_SEGMENT, crm_entity_get_id (CRM_ENTITY (segment)), error);
  if (copy == NULL)
    return FALSE;
  crm_segment_set_name (copy, trimmed);
  if (!crm_store_update (self->store, CRM_ENTITY (copy), error))
    return FALSE;

  /* The rows are bound to the name: the shown object takes the new one. */
  crm_segment_set_name (segment, trimmed);
  if (self->editing != NULL &&
      crm_entity_get_id (CRM_ENTITY (self->editing)) == crm_entity_get_id (CRM_ENTITY (segment)))
    {
      crm_segment_set_name (self->editing, trimmed);
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), trimmed);
      _crm_segments_page_update_title (self);
    }
  return TRUE;
}

static void
on_undo_delete (CrmSegmentsPage *self,
                AdwToast        *toast)
{
  CrmSegment *segment = g_object_get_data (G_OBJECT (toast), "crm-segment");
  g_autoptr(GError) error = NULL;

  if (self->store == NULL || segment == NULL)
    return;

  if (!crm_store_restore (self->store, CRM_ENTITY (segment), &error))
    {
      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }
  reload_segments (self);
}

gboolean
crm_segments_page_delete_segment (CrmSegmentsPage *self,
                                  CrmSegment      *segment,
                                  GError         **error)
{
  g_autoptr(CrmSegment) held = NULL;
  AdwToast *toast;
  guint position;

  g_return_val_if_fail (CRM_IS_SEGMENTS_PAGE (self), FALSE);
  g_return_val_if_fail (CRM_IS_SEGMENT (segment), FALSE);

  held = g_object_ref (segment);
  if (!crm_store_delete (self->store, CRM_ENTITY (held), error))
    return FALSE;

  if (_crm_segments_page_find_segment (self, crm_entity_get_id (CRM_ENTITY (held)), &position) != NULL)
    g_list_store_remove (self->segments, position);
  if (self->editing != NULL &&
      crm_entity_get_id (CRM_ENTITY (self->editing)) == crm_entity_get_id (CRM_ENTITY (held)))
    {
      g_clear_object (&self->editing);
      _crm_segments_page_update_title (self);
    }

  toast = adw_toast_new_format (_("Deleted segment “%s”"), crm_segment_get_name (held));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (toast), "crm-segment", g_object_ref (held), g_object_unref);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_delete), self, G_CONNECT_SWAPPED);
  crm_ui_show_toast (GTK_WIDGET (self), toast);

  return TRUE;
}

/* Store -------------------------------------------------------------------- */

void
crm_segments_page_set_session (CrmSegmentsPage *self,
                               CrmSession      *session)
{
  CrmStore *store = session != NULL ? crm_session_get_store (session) : NULL;

  g_return_if_fail (CRM_IS_SEGMENTS_PAGE (self));

  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  /* The count of the rule being edited follows the customers. */
  if (store != NULL)
    {
      g_signal_connect_object (session, "customers-changed", G_CALLBACK (_crm_segments_page_schedule_count), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "values-recomputed", G_CALLBACK (_crm_segments_page_schedule_count), self,
                               G_CONNECT_SWAPPED);
    }
  g_set_object (&self->store, store);
  g_clear_object (&self->editing);
  gtk_stack_set_visible_child_name (self->stack, store != NULL ? "builder" : "empty");

  reload_segments (self);
  crm_rule_editor_clear (self->rule_editor);
  crm_rule_group_row_add_condition (crm_rule_editor_get_root (self->rule_editor));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  _crm_segments_page_update_title (self);
  _crm_segments_page_update_actions (self);
  _crm_segments_page_schedule_count (self);
}

/* GObject ------------------------------------------------------------------ */

static void
crm_segments_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CrmSegmentsPage *self = CRM_SEGMENTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_segments_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CrmSegmentsPage *self = CRM_SEGMENTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      crm_segments_page_set_folded (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_segments_page_dispose (GObject *object)
{
  CrmSegmentsPage *self = CRM_SEGMENTS_PAGE (object);

  if (self->count_cancellable != NULL)
    g_cancellable_cancel (self->count_cancellable);
  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
  g_clear_handle_id (&self->count_source, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_SEGMENTS_PAGE);

  g_clear_object (&self->editing);
  g_clear_object (&self->store);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (crm_segments_page_parent_class)->dispose (object);
}

static void
crm_segments_page_finalize (GObject *object)
{
  CrmSegmentsPage *self = CRM_SEGMENTS_PAGE (object);

  g_clear_object (&self->segments);
  g_clear_object (&self->count_cancellable);
  g_clear_object (&self->export_cancellable);
  g_free (self->count_text);
  g_free (self->export_name);

  G_OBJECT_CLASS (crm_segments_page_parent_class)->finalize (object);
}

static void
crm_segments_page_class_init (CrmSegmentsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_segments_page_dispose;
  object_class->finalize = crm_segments_page_finalize;
  object_class->get_property = crm_segments_page_get_property;
  object_class->set_property = crm_segments_page_set_property;

  /* Set by the window: the sidebar is folded away, so show a back button. */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The user asked to see a segment's customers (a saved one, or the rule
   * being edited as an unsaved segment). */
  signals[SHOW_SEGMENT] = g_signal_new ("show-segment", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, CRM_TYPE_SEGMENT);

  g_type_ensure (CRM_TYPE_RULE_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-segments-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmSegmentsPage, header);
  gtk_widget_class_bind_template_child (widget_class, CrmSegmentsPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, CrmSegmentsPage, title_widget);
  gtk_widget_class_bind_template_child (widget_class, CrmSegmentsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmSegmentsPage, rule_group);
  gtk_widget_class_bind_template_child (widget_class, CrmSegmentsPage, count_spinner);
  gtk_widget_class_bind_template_child (widget_class, CrmSegmentsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, CrmSegmentsPage, rule_editor);
  gtk_widget_class_bind_template_child (widget_class, CrmSegmentsPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, CrmSegmentsPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, CrmSegmentsPage, saved_list);
  gtk_widget_class_bind_template_child (widget_class, CrmSegmentsPage, export_revealer);
  gtk_widget_class_bind_template_child (widget_class, CrmSegmentsPage, export_progress);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_rule_changed", G_CALLBACK (_crm_segments_page_on_rule_changed));
  gtk_widget_class_bind_template_callback_full (widget_class, "update_actions", G_CALLBACK (_crm_segments_page_update_actions));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_name_activated", G_CALLBACK (_crm_segments_page_on_name_activated));
  gtk_widget_class_bind_template_callback (widget_class, on_saved_row_activated);

  _crm_segments_page_class_actions_init (widget_class);
}

static void
crm_segments_page_init (CrmSegmentsPage *self)
{
  self->segments = g_list_store_new (CRM_TYPE_SEGMENT);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_bind_model (self->saved_list, G_LIST_MODEL (self->segments), create_saved_row, self, NULL);
  _crm_segments_page_set_exporting (self, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->count_spinner), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "empty");
  _crm_segments_page_update_title (self);
  _crm_segments_page_update_actions (self);
}

/* crm-customer-editor-form.c: the rows of the customer form, built once from
 * the field table and filled from the customer; every change is checked as it
 * is typed with the same rules the store applies and the message shows under
 * the field.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-codes.h"
#include "crm-customer-editor-private.h"
#include "crm-customer-fields.h"
#include "crm-customer-predictions.h"
#include "crm-customer-value.h"
#include "crm-format.h"
#include "crm-order-history.h"
#include "crm-order.h"
#include "crm-search.h"
#include "crm-text.h"
#include "crm-ui-util.h"

typedef enum
{
  KIND_ENTRY,
  KIND_DATE,
  KIND_GENDER,
  KIND_SWITCH,
} FieldKind;

typedef struct
{
  CrmCustomerField field;
  CrmFieldSection  group;
  FieldKind        kind;
  GtkInputPurpose  purpose;
} FormField;

/* The rows: the catalogue's form fields in its order (crm-customer-fields.c), but the notes,
 * whose box is part of the template.  Made once. */
static const FormField *
form_fields (guint *n_fields)
{
  static FormField *form;
  static guint n;

  if (g_once_init_enter (&form))
    {
      guint n_infos;
      const CrmCustomerFieldInfo **infos = crm_customer_fields_form (&n_infos);
      FormField *made = g_new0 (FormField, n_infos);

      for (guint i = 0; i < n_infos; i++)
        {
          FormField *f = &made[n];

          f->field = crm_customer_field_get_model (infos[i]);
          f->group = infos[i]->form.section;
          f->purpose = GTK_INPUT_PURPOSE_FREE_FORM;
          switch (infos[i]->form.kind)
            {
            case CRM_FIELD_EDITOR_NOTES:
              continue;
            case CRM_FIELD_EDITOR_NAME:
              f->purpose = GTK_INPUT_PURPOSE_NAME;
              break;
            case CRM_FIELD_EDITOR_PHONE:
              f->purpose = GTK_INPUT_PURPOSE_PHONE;
              break;
            case CRM_FIELD_EDITOR_EMAIL:
              f->purpose = GTK_INPUT_PURPOSE_EMAIL;
              break;
            case CRM_FIELD_EDITOR_DATE:
              f->kind = KIND_DATE;
              break;
            case CRM_FIELD_EDITOR_GENDER:
              f->kind = KIND_GENDER;
              break;
            case CRM_FIELD_EDITOR_SWITCH:
              f->kind = KIND_SWITCH;
              break;
            case CRM_FIELD_EDITOR_TEXT:
            case CRM_FIELD_EDITOR_NONE:
            default:
              break;
            }
          n++;
        }
      g_once_init_leave (&form, made);
    }

  *n_fields = n;
  return form;
}

static const CrmField *
field_info (guint field)
{
  CrmEntityClass *klass = g_type_class_peek (CRM_TYPE_CUSTOMER);

  return &klass->fields[field];
}

/* Validation --------------------------------------------------------------- */

char *
_crm_customer_editor_check_text (guint       field,
                                 const char *text)
{
  const CrmField *info = field_info (field);
  g_autoptr(GError) error = NULL;

  if (text == NULL || text[0] == '\0')
    {
      if (info->flags & CRM_FIELD_FLAG_REQUIRED)
        /* Translators: %s is a field such as "Name". */
        return g_strdup_printf (_("%s is required."), _(info->label));
      return NULL;
    }

  if (!crm_text_validate (text, -1, info->max_chars, _(info->label), &error) ||
      ((info->flags & CRM_FIELD_FLAG_REQUIRED) && !crm_text_check_visible (text, _(info->label), &error)))
    return g_strdup (error->message);

  switch (field)
    {
    case CRM_CUSTOMER_EMAIL:
      crm_text_check_email (text, &error);
      break;
    case CRM_CUSTOMER_PHONE:
      crm_text_check_phone (text, &error);
      break;
    case CRM_CUSTOMER_BIRTHDAY:
      crm_text_check_date (text, &error);
      break;
    default:
      break;
    }

  return error != NULL ? g_strdup (error->message) : NULL;
}

void
_crm_customer_editor_set_field_error (CrmCustomerEditor *self,
                                      guint              field,
                                      char              *message)
{
  GtkWidget *row = self->rows[field];

  g_free (self->errors[field]);
  self->errors[field] = message;

  if (field == CRM_CUSTOMER_NOTES)
    {
      gtk_label_set_label (self->notes_error, message);
      gtk_widget_set_visible (GTK_WIDGET (self->notes_error), message != NULL);
      return;
    }

  if (row == NULL)
    return;

  if (message != NULL)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");

  if (self->error_rows[field] != NULL)
    {
      GtkWidget *label = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (self->error_rows[field]));

      gtk_label_set_label (GTK_LABEL (label), message);
      gtk_widget_set_visible (self->error_rows[field], message != NULL);
    }
}

static void
update_duplicates (CrmCustomerEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  const char *email = crm_customer_get_email (self->customer);
  const char *phone = crm_customer_get_phone (self->customer);
  g_autoptr(CrmCustomer) other = NULL;
  g_autofree char *text = NULL;

  g_clear_pointer (&self->duplicates, g_array_unref);

  if (self->store != NULL &&
      ((email != NULL && email[0] != '\0' && self->errors[CRM_CUSTOMER_EMAIL] == NULL) ||
       (phone != NULL && phone[0] != '\0' && self->errors[CRM_CUSTOMER_PHONE] == NULL)))
    ids = crm_store_find_duplicates (self->store, CRM_ENTITY (self->customer), &error);

  if (ids != NULL && ids->len > 0)
    other = crm_store_load (self->store, CRM_TYPE_CUSTOMER, g_array_index (ids, gint64, 0), NULL);

  if (other == NULL)
    {
      gtk_revealer_set_reveal_child (self->duplicate_revealer, FALSE);
      return;
    }

  if (ids->len == 1)
    text = g_strdup_printf (_("“%s” already has this e-mail address or phone number."),
                            crm_customer_get_name (other));
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "“%s” and %u other customer already have this e-mail address or phone number.",
                                         "“%s” and %u other customers already have this e-mail address or phone number.",
                                         ids->len - 1),
                            crm_customer_get_name (other), ids->len - 1);
  gtk_label_set_label (self->duplicate_label, text);
  self->duplicates = g_steal_pointer (&ids);
  gtk_revealer_set_reveal_child (self->duplicate_revealer, TRUE);
}

void
_crm_customer_editor_update_state (CrmCustomerEditor *self)
{
  gboolean open = self->customer != NULL;
  gboolean dirty = crm_customer_editor_get_dirty (self);
  gboolean valid = crm_customer_editor_get_valid (self);
  const char *name = open ? crm_customer_get_name (self->customer) : NULL;

  if (self->is_new)
    adw_window_title_set_title (self->title_widget, _("New Customer"));
  else
    adw_window_title_set_title (self->title_widget, name != NULL ? name : "");
  adw_window_title_set_subtitle (self->title_widget,
                                 dirty ? _("Unsaved changes") : NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save",
                                 open && (dirty || self->is_new) && valid && self->save_cancellable == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.delete", open && !self->is_new);

  g_object_notify (G_OBJECT (self), "dirty");
  g_object_notify (G_OBJECT (self), "valid");
}

/* Edits -------------------------------------------------------------------- */

static void
on_entry_changed (CrmCustomerEditor *self,
                  GtkEditable       *editable)
{
  guint field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (editable), "crm-field"));
  const char *text = gtk_editable_get_text (editable);

  if (self->filling || self->customer == NULL)
    return;
  /* The source is shown as words ("活动"), stored as its code ("event"). */
  if (field == CRM_CUSTOMER_SOURCE)
    text = crm_code_from_label (CRM_CODE_CHANNEL, text);

  _crm_customer_editor_set_field_error (self, field, _crm_customer_editor_check_text (field, text));
  /* Only valid text reaches the object: an invalid value is never saved. */
  if (self->errors[field] == NULL)
    crm_entity_set_string (CRM_ENTITY (self->customer), field, text[0] != '\0' ? text : NULL);

  if (field == CRM_CUSTOMER_EMAIL || field == CRM_CUSTOMER_PHONE)
    update_duplicates (self);

  _crm_customer_editor_update_state (self);
}

static void
on_notes_changed (CrmCustomerEditor *self,
                  GtkTextBuffer     *buffer)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (self->filling || self->customer == NULL)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  _crm_customer_editor_set_field_error (self, CRM_CUSTOMER_NOTES, _crm_customer_editor_check_text (CRM_CUSTOMER_NOTES, text));
  if (self->errors[CRM_CUSTOMER_NOTES] == NULL)
    crm_entity_set_string (CRM_ENTITY (self->customer), CRM_CUSTOMER_NOTES,
                           text[0] != '\0' ? text : NULL);
  _crm_customer_editor_update_state (self);
}

static void
on_combo_selected (CrmCustomerEditor *self,
                   GParamSpec        *pspec,
                   AdwComboRow       *row)
{
  guint field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "crm-field"));
  guint selected = adw_combo_row_get_selected (row);
  gint64 value = selected;

  if (self->filling || self->customer == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;

  crm_entity_set_int64 (CRM_ENTITY (self->customer), field, value);
  _crm_customer_editor_update_state (self);
}

static guint
consent_at_field (guint field)
{
  return field == CRM_CUSTOMER_EMAIL_CONSENT ? CRM_CUSTOMER_EMAIL_CONSENT_AT
                                             : CRM_CUSTOMER_SMS_CONSENT_AT;
}

static void
update_consent_subtitle (CrmCustomerEditor *self,
                         guint              field)
{
  gint64 at = crm_entity_get_int64 (CRM_ENTITY (self->customer), consent_at_field (field));
  gboolean given = crm_entity_get_boolean (CRM_ENTITY (self->customer), field);
  g_autofree char *date = at > 0 ? crm_format_date (at) : NULL;
  g_autofree char *subtitle = NULL;

  if (given && date != NULL)
    /* Translators: %s is a date. */
    subtitle = g_strdup_printf (_("Given on %s"), date);
  else if (given)
    subtitle = g_strdup (_("Given"));
  else
    subtitle = g_strdup (_("Not given"));

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->rows[field]), subtitle);
}

static void
on_switch_active (CrmCustomerEditor *self,
                  GParamSpec        *pspec,
                  GtkSwitch         *sw)
{
  guint field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (sw), "crm-field"));
  gboolean active = gtk_switch_get_active (sw);

  if (self->filling || self->customer == NULL)
    return;

  /* Consent is kept with the moment it was given, as marketing law asks. */
  crm_entity_set_boolean (CRM_ENTITY (self->customer), field, active);
  crm_entity_set_int64 (CRM_ENTITY (self->customer), consent_at_field (field),
                        active ? crm_now_ms () : 0);
  update_consent_subtitle (self, field);
  _crm_customer_editor_update_state (self);
}

static void
on_calendar_day_selected (CrmCustomerEditor *self,
                          GtkCalendar       *calendar)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (calendar);
  g_autofree char *text = g_date_time_format (date, "%Y-%m-%d");

  gtk_editable_set_text (GTK_EDITABLE (self->rows[CRM_CUSTOMER_BIRTHDAY]), text);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->calendar_button));
}

static void
on_calendar_popover_show (CrmCustomerEditor *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->rows[CRM_CUSTOMER_BIRTHDAY]));
  int y, m, d;

  /* Open the calendar on the typed date, or about thirty years back. */
  if (text != NULL && sscanf (text, "%d-%d-%d", &y, &m, &d) == 3 && crm_text_check_date (text, NULL))
    {
      g_autoptr(GDateTime) date = g_date_time_new_local (y, m, d, 0, 0, 0);

      g_signal_handlers_block_by_func (self->calendar, on_calendar_day_selected, self);
      gtk_calendar_select_day (self->calendar, date);
      g_signal_handlers_unblock_by_func (self->calendar, on_calendar_day_selected, self);
    }
}

/* Building the form -------------------------------------------------------- */

static GtkWidget *
add_error_row (AdwPreferencesGroup *group)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (row, "crm-field-error");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_visible (row, FALSE);
  adw_preferences_group_add (group, row);

  return row;
}

static GtkWidget *
new_combo_row (CrmCustomerEditor *self,
               guint              field,
               GtkStringList     *model)
{
  GtkWidget *row = adw_combo_row_new ();

  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  g_object_set_data (G_OBJECT (row), "crm-field", GUINT_TO_POINTER (field));
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (on_combo_selected), self,
                           G_CONNECT_SWAPPED);
  return row;
}

void
_crm_customer_editor_build_form (CrmCustomerEditor *self)
{
  AdwPreferencesGroup *groups[CRM_FIELD_N_SECTIONS] = {
    self->contact_group, self->personal_group, self->address_group,
    self->relationship_group, self->consent_group,
  };
  guint n_fields;
  const FormField *form = form_fields (&n_fields);

  for (guint i = 0; i < n_fields; i++)
    {
      guint field = form[i].field;
      AdwPreferencesGroup *group = groups[form[i].group];
      const char *title = _(field_info (field)->label);
      GtkWidget *row = NULL;

      switch (form[i].kind)
        {
        case KIND_ENTRY:
        case KIND_DATE:
          row = adw_entry_row_new ();
          adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), form[i].purpose);
          g_object_set_data (G_OBJECT (row), "crm-field", GUINT_TO_POINTER (field));
          g_signal_connect_object (row, "changed", G_CALLBACK (on_entry_changed), self,
                                   G_CONNECT_SWAPPED);
          if (form[i].kind == KIND_DATE)
            {
              GtkWidget *popover = gtk_popover_new ();

              self->calendar = GTK_CALENDAR (gtk_calendar_new ());
              gtk_popover_set_child (GTK_POPOVER (popover), GTK_WIDGET (self->calendar));
              g_signal_connect_object (self->calendar, "day-selected",
                                       G_CALLBACK (on_calendar_day_selected), self, G_CONNECT_SWAPPED);
              g_signal_connect_object (popover, "show",
                                       G_CALLBACK (on_calendar_popover_show), self, G_CONNECT_SWAPPED);
              self->calendar_button = gtk_menu_button_new ();
              gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->calendar_button),
                                             "x-office-calendar-symbolic");
              gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->calendar_button), popover);
              gtk_widget_set_valign (self->calendar_button, GTK_ALIGN_CENTER);
              gtk_widget_set_tooltip_text (self->calendar_button, _("Pick a Date"));
              gtk_widget_add_css_class (self->calendar_button, "flat");
              adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), self->calendar_button);
              /* Translators: how to type a date; keep the digits pattern. */
              title = _("Birthday (YYYY-MM-DD)");
            }
          break;

        case KIND_GENDER:
          {
            g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

            for (CrmGender g = CRM_GENDER_UNKNOWN; g <= CRM_GENDER_OTHER; g++)
              gtk_string_list_append (model, crm_gender_get_label (g));
            row = new_combo_row (self, field, model);
          }
          break;

        case KIND_SWITCH:
          {
            GtkWidget *sw = gtk_switch_new ();

            row = adw_action_row_new ();
            gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
            g_object_set_data (G_OBJECT (sw), "crm-field", GUINT_TO_POINTER (field));
            g_signal_connect_object (sw, "notify::active", G_CALLBACK (on_switch_active), self,
                                     G_CONNECT_SWAPPED);
            adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
            adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
            g_object_set_data (G_OBJECT (row), "crm-switch", sw);
          }
          break;

        default:
          g_assert_not_reached ();
        }

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_group_add (group, row);
      self->rows[field] = row;

      if (form[i].kind == KIND_ENTRY || form[i].kind == KIND_DATE)
        self->error_rows[field] = add_error_row (group);
    }

  g_signal_connect_object (gtk_text_view_get_buffer (self->notes_view), "changed",
                           G_CALLBACK (on_notes_changed), self, G_CONNECT_SWAPPED);
}

static void
set_date_label (GtkLabel *label,
                gint64    ms)
{
  g_autofree char *text = ms > 0 ? crm_format_date (ms) : NULL;

  gtk_label_set_label (label, text != NULL && text[0] != '\0' ? text : "—");
}

/* The history widget reads the orders (and, on demand, their lines). */
static void
fill_orders (CrmCustomerEditor *self)
{
  crm_order_history_set_customer (self->order_history, self->store,
                                  self->is_new ? NULL : self->customer, self->currency);
}

void
_crm_customer_editor_fill_form (CrmCustomerEditor *self)
{
  CrmEntity *entity = CRM_ENTITY (self->customer);
  g_autofree char *money = NULL;
  g_autofree char *count = NULL;
  GtkTextBuffer *buffer;
  const char *notes;
  guint n_fields;
  const FormField *form = form_fields (&n_fields);

  self->filling = TRUE;

  for (guint i = 0; i < n_fields; i++)
    {
      guint field = form[i].field;
      GtkWidget *row = self->rows[field];

      switch (form[i].kind)
        {
        case KIND_ENTRY:
        case KIND_DATE:
          {
            const char *text = crm_entity_get_string (entity, field);
            const char *shown = field == CRM_CUSTOMER_SOURCE ? crm_code_get_label (CRM_CODE_CHANNEL, text) : text;

            gtk_editable_set_text (GTK_EDITABLE (row), shown != NULL ? shown : "");
            _crm_customer_editor_set_field_error (self, field, _crm_customer_editor_check_text (field, text));
          }
          break;

        case KIND_GENDER:
          adw_combo_row_set_selected (ADW_COMBO_ROW (row), crm_entity_get_int64 (entity, field));
          break;

        case KIND_SWITCH:
          gtk_switch_set_active (g_object_get_data (G_OBJECT (row), "crm-switch"),
                                 crm_entity_get_boolean (entity, field));
          update_consent_subtitle (self, field);
          break;

        default:
          g_assert_not_reached ();
        }
    }

  /* A new customer must be given a name, but is not told so before typing. */
  if (self->is_new)
    _crm_customer_editor_set_field_error (self, CRM_CUSTOMER_NAME, NULL);

  buffer = gtk_text_view_get_buffer (self->notes_view);
  notes = crm_entity_get_string (entity, CRM_CUSTOMER_NOTES);
  gtk_text_buffer_set_text (buffer, notes != NULL ? notes : "", -1);
  _crm_customer_editor_set_field_error (self, CRM_CUSTOMER_NOTES, NULL);

  money = crm_format_money (crm_customer_get_total_spent (self->customer), self->currency);
  gtk_label_set_label (self->total_spent_label, money);
  count = crm_format_count (crm_customer_get_order_count (self->customer));
  gtk_label_set_label (self->order_count_label, count);
  set_date_label (self->first_order_label, crm_customer_get_first_order_at (self->customer));
  set_date_label (self->last_order_label, crm_customer_get_last_order_at (self->customer));
  gtk_widget_set_visible (GTK_WIDGET (self->purchases_group), !self->is_new);
  gtk_widget_set_visible (GTK_WIDGET (self->order_history), !self->is_new);
  crm_customer_value_set_customer (self->value_view, self->session, self->is_new ? 0 : crm_entity_get_id (entity));
  crm_customer_points_set_customer (self->points_view, self->session, self->is_new ? 0 : crm_entity_get_id (entity));
  crm_customer_timeline_set_customer (self->timeline, self->session, self->is_new ? 0 : crm_entity_get_id (entity));
  crm_customer_tasks_set_customer (self->tasks_view, self->session, self->is_new ? 0 : crm_entity_get_id (entity));
  gtk_widget_set_visible (GTK_WIDGET (self->tasks_view), !self->is_new);
  crm_customer_predictions_set_customer (self->predictions_view, self->store,
                                         self->is_new ? 0 : crm_entity_get_id (entity));
  crm_customer_loyalty_set_customer (self->loyalty_view, self->store, self->is_new ? 0 : crm_entity_get_id (entity));

  self->filling = FALSE;

  fill_orders (self);
  update_duplicates (self);
  _crm_customer_editor_update_state (self);
  g_object_notify (G_OBJECT (self), "customer");

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

/* Whether what the form shows of @a (its fields, aggregates, tier and stage) is @b's too. */
static gboolean
same_customer (CrmCustomer *a,
               CrmCustomer *b)
{
  return crm_entity_get_updated_at (CRM_ENTITY (a)) == crm_entity_get_updated_at (CRM_ENTITY (b)) &&
         crm_customer_get_total_spent (a) == crm_customer_get_total_spent (b) &&
         crm_customer_get_order_count (a) == crm_customer_get_order_count (b) &&
         crm_customer_get_last_order_at (a) == crm_customer_get_last_order_at (b) &&
         crm_customer_get_tier_id (a) == crm_customer_get_tier_id (b) &&
         crm_customer_get_lifecycle (a) == crm_customer_get_lifecycle (b);
}

/* The session says customers @ids (NULL: any) or their orders changed: when the one shown is
 * among them, the form follows — unless the user is typing, whose edit wins — and so do its
 * orders and its value, where the form was scrolled to. */
void
_crm_customer_editor_follow_changes (CrmCustomerEditor *self,
                                     GArray            *ids)
{
  g_autoptr(CrmCustomer) fresh = NULL;
  gint64 id;
  gboolean listed = ids == NULL;

  if (self->customer == NULL || self->is_new || self->store == NULL)
    return;

  id = crm_entity_get_id (CRM_ENTITY (self->customer));
  for (guint i = 0; !listed && i < ids->len; i++)
    listed = g_array_index (ids, gint64, i) == id;
  if (!listed)
    return;

  fresh = crm_store_load (self->store, CRM_TYPE_CUSTOMER, id, NULL);
  if (fresh == NULL || crm_entity_get_deleted_at (CRM_ENTITY (fresh)) != 0)
    return;
  if (!crm_customer_editor_get_dirty (self) && !same_customer (self->customer, fresh))
    {
      GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
      double y = gtk_adjustment_get_value (vadjustment);

      g_set_object (&self->customer, fresh);
      _crm_customer_editor_fill_form (self);
      gtk_adjustment_set_value (vadjustment, y);
      return;
    }
  fill_orders (self);
  crm_customer_value_refresh (self->value_view);
  crm_customer_loyalty_refresh (self->loyalty_view);
}

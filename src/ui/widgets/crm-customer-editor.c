/* crm-customer-editor.c
 *
 * The form works on a copy of the customer loaded from the store, so Cancel
 * only has to drop it and the list shows nothing half-typed.  Every change is
 * checked as it is typed with the same rules the store applies; the message
 * shows under the field and Save stays off while any field is wrong.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-customer-editor.h"
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

enum
{
  GROUP_CONTACT,
  GROUP_PERSONAL,
  GROUP_ADDRESS,
  GROUP_RELATIONSHIP,
  GROUP_CONSENT,
  N_GROUPS
};

static const struct
{
  CrmCustomerField field;
  guint            group;
  FieldKind        kind;
  GtkInputPurpose  purpose;
} form_fields[] = {
  { CRM_CUSTOMER_NAME, GROUP_CONTACT, KIND_ENTRY, GTK_INPUT_PURPOSE_NAME },
  { CRM_CUSTOMER_PHONE, GROUP_CONTACT, KIND_ENTRY, GTK_INPUT_PURPOSE_PHONE },
  { CRM_CUSTOMER_EMAIL, GROUP_CONTACT, KIND_ENTRY, GTK_INPUT_PURPOSE_EMAIL },
  { CRM_CUSTOMER_COMPANY, GROUP_CONTACT, KIND_ENTRY, GTK_INPUT_PURPOSE_FREE_FORM },
  { CRM_CUSTOMER_OCCUPATION, GROUP_CONTACT, KIND_ENTRY, GTK_INPUT_PURPOSE_FREE_FORM },
  { CRM_CUSTOMER_GENDER, GROUP_PERSONAL, KIND_GENDER, 0 },
  { CRM_CUSTOMER_BIRTHDAY, GROUP_PERSONAL, KIND_DATE, GTK_INPUT_PURPOSE_FREE_FORM },
  { CRM_CUSTOMER_ADDRESS, GROUP_ADDRESS, KIND_ENTRY, GTK_INPUT_PURPOSE_FREE_FORM },
  { CRM_CUSTOMER_CITY, GROUP_ADDRESS, KIND_ENTRY, GTK_INPUT_PURPOSE_FREE_FORM },
  { CRM_CUSTOMER_REGION, GROUP_ADDRESS, KIND_ENTRY, GTK_INPUT_PURPOSE_FREE_FORM },
  { CRM_CUSTOMER_POSTAL_CODE, GROUP_ADDRESS, KIND_ENTRY, GTK_INPUT_PURPOSE_FREE_FORM },
  { CRM_CUSTOMER_COUNTRY, GROUP_ADDRESS, KIND_ENTRY, GTK_INPUT_PURPOSE_FREE_FORM },
  { CRM_CUSTOMER_TAGS, GROUP_RELATIONSHIP, KIND_ENTRY, GTK_INPUT_PURPOSE_FREE_FORM },
  { CRM_CUSTOMER_SOURCE, GROUP_RELATIONSHIP, KIND_ENTRY, GTK_INPUT_PURPOSE_FREE_FORM },
  { CRM_CUSTOMER_OWNER, GROUP_RELATIONSHIP, KIND_ENTRY, GTK_INPUT_PURPOSE_FREE_FORM },
  { CRM_CUSTOMER_EXTERNAL_ID, GROUP_RELATIONSHIP, KIND_ENTRY, GTK_INPUT_PURPOSE_FREE_FORM },
  { CRM_CUSTOMER_EMAIL_CONSENT, GROUP_CONSENT, KIND_SWITCH, 0 },
  { CRM_CUSTOMER_SMS_CONSENT, GROUP_CONSENT, KIND_SWITCH, 0 },
};

struct _CrmCustomerEditor
{
  AdwBin               parent_instance;

  CrmStore            *store;
  CrmCustomer         *customer;
  GArray              *duplicates;
  char                *currency;
  char                *errors[CRM_CUSTOMER_N_FIELDS];
  GtkWidget           *rows[CRM_CUSTOMER_N_FIELDS];
  GtkWidget           *error_rows[CRM_CUSTOMER_N_FIELDS];
  GtkCalendar         *calendar;
  GtkWidget           *calendar_button;
  gboolean             is_new;
  gboolean             filling;

  /* template children */
  AdwHeaderBar        *header;
  GtkWidget           *back_button;
  GtkWidget           *cancel_button;
  GtkWidget           *delete_button;
  AdwWindowTitle      *title_widget;
  GtkRevealer         *duplicate_revealer;
  GtkLabel            *duplicate_label;
  GtkScrolledWindow   *scroller;
  AdwPreferencesGroup *contact_group;
  AdwPreferencesGroup *personal_group;
  AdwPreferencesGroup *address_group;
  AdwPreferencesGroup *relationship_group;
  AdwPreferencesGroup *consent_group;
  CrmOrderHistory     *order_history;
  AdwPreferencesGroup *purchases_group;
  CrmCustomerValue    *value_view;
  CrmCustomerPredictions *predictions_view;
  GtkLabel            *total_spent_label;
  GtkLabel            *order_count_label;
  GtkLabel            *first_order_label;
  GtkLabel            *last_order_label;
  GtkTextView         *notes_view;
  GtkLabel            *notes_error;
};

G_DEFINE_FINAL_TYPE (CrmCustomerEditor, crm_customer_editor, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_CUSTOMER,
  PROP_DIRTY,
  PROP_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SAVED,
  CLOSED,
  BACK,
  DELETE_REQUESTED,
  OPEN_CUSTOMER,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const CrmField *
field_info (guint field)
{
  CrmEntityClass *klass = g_type_class_peek (CRM_TYPE_CUSTOMER);

  return &klass->fields[field];
}

CrmCustomerEditor *
crm_customer_editor_new (void)
{
  return g_object_new (CRM_TYPE_CUSTOMER_EDITOR, NULL);
}

CrmCustomer *
crm_customer_editor_get_customer (CrmCustomerEditor *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_EDITOR (self), NULL);

  return self->customer;
}

gboolean
crm_customer_editor_get_is_new (CrmCustomerEditor *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_EDITOR (self), FALSE);

  return self->is_new;
}

gboolean
crm_customer_editor_get_dirty (CrmCustomerEditor *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_EDITOR (self), FALSE);

  return self->customer != NULL && crm_entity_is_dirty (CRM_ENTITY (self->customer));
}

gboolean
crm_customer_editor_get_valid (CrmCustomerEditor *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_EDITOR (self), FALSE);

  for (guint i = 0; i < CRM_CUSTOMER_N_FIELDS; i++)
    if (self->errors[i] != NULL)
      return FALSE;

  return TRUE;
}

GtkWidget *
crm_customer_editor_get_field_widget (CrmCustomerEditor *self,
                                      CrmCustomerField   field)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_EDITOR (self), NULL);
  g_return_val_if_fail (field < CRM_CUSTOMER_N_FIELDS, NULL);

  if (field == CRM_CUSTOMER_NOTES)
    return GTK_WIDGET (self->notes_view);

  return self->rows[field];
}

const char *
crm_customer_editor_get_field_error (CrmCustomerEditor *self,
                                     CrmCustomerField   field)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_EDITOR (self), NULL);
  g_return_val_if_fail (field < CRM_CUSTOMER_N_FIELDS, NULL);

  return self->errors[field];
}

void
crm_customer_editor_set_folded (CrmCustomerEditor *self,
                                gboolean           folded)
{
  g_return_if_fail (CRM_IS_CUSTOMER_EDITOR (self));

  gtk_widget_set_visible (self->back_button, folded);
}

void
crm_customer_editor_set_show_start_title_buttons (CrmCustomerEditor *self,
                                                  gboolean           show)
{
  g_return_if_fail (CRM_IS_CUSTOMER_EDITOR (self));

  adw_header_bar_set_show_start_title_buttons (self->header, show);
}

/* Validation --------------------------------------------------------------- */

static char *
check_text (guint       field,
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

  if (!crm_text_validate (text, -1, info->max_chars, _(info->label), &error))
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

static void
set_field_error (CrmCustomerEditor *self,
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

static void
update_state (CrmCustomerEditor *self)
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
                                 open && (dirty || self->is_new) && valid);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.delete", open && !self->is_new);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
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

  set_field_error (self, field, check_text (field, text));
  /* Only valid text reaches the object: an invalid value is never saved. */
  if (self->errors[field] == NULL)
    crm_entity_set_string (CRM_ENTITY (self->customer), field, text[0] != '\0' ? text : NULL);

  if (field == CRM_CUSTOMER_EMAIL || field == CRM_CUSTOMER_PHONE)
    update_duplicates (self);

  update_state (self);
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
  set_field_error (self, CRM_CUSTOMER_NOTES, check_text (CRM_CUSTOMER_NOTES, text));
  if (self->errors[CRM_CUSTOMER_NOTES] == NULL)
    crm_entity_set_string (CRM_ENTITY (self->customer), CRM_CUSTOMER_NOTES,
                           text[0] != '\0' ? text : NULL);
  update_state (self);
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
  update_state (self);
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
  update_state (self);
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

static void
build_form (CrmCustomerEditor *self)
{
  AdwPreferencesGroup *groups[N_GROUPS] = {
    self->contact_group, self->personal_group, self->address_group,
    self->relationship_group, self->consent_group,
  };

  for (guint i = 0; i < G_N_ELEMENTS (form_fields); i++)
    {
      guint field = form_fields[i].field;
      AdwPreferencesGroup *group = groups[form_fields[i].group];
      const char *title = _(field_info (field)->label);
      GtkWidget *row = NULL;

      switch (form_fields[i].kind)
        {
        case KIND_ENTRY:
        case KIND_DATE:
          row = adw_entry_row_new ();
          adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), form_fields[i].purpose);
          g_object_set_data (G_OBJECT (row), "crm-field", GUINT_TO_POINTER (field));
          g_signal_connect_object (row, "changed", G_CALLBACK (on_entry_changed), self,
                                   G_CONNECT_SWAPPED);
          if (form_fields[i].kind == KIND_DATE)
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

      if (form_fields[i].kind == KIND_ENTRY || form_fields[i].kind == KIND_DATE)
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

static void
fill_form (CrmCustomerEditor *self)
{
  CrmEntity *entity = CRM_ENTITY (self->customer);
  g_autofree char *money = NULL;
  g_autofree char *count = NULL;
  GtkTextBuffer *buffer;
  const char *notes;

  self->filling = TRUE;


  for (guint i = 0; i < G_N_ELEMENTS (form_fields); i++)
    {
      guint field = form_fields[i].field;
      GtkWidget *row = self->rows[field];

      switch (form_fields[i].kind)
        {
        case KIND_ENTRY:
        case KIND_DATE:
          {
            const char *text = crm_entity_get_string (entity, field);

            gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
            set_field_error (self, field, check_text (field, text));
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
    set_field_error (self, CRM_CUSTOMER_NAME, NULL);

  buffer = gtk_text_view_get_buffer (self->notes_view);
  notes = crm_entity_get_string (entity, CRM_CUSTOMER_NOTES);
  gtk_text_buffer_set_text (buffer, notes != NULL ? notes : "", -1);
  set_field_error (self, CRM_CUSTOMER_NOTES, NULL);

  money = crm_format_money (crm_customer_get_total_spent (self->customer), self->currency);
  gtk_label_set_label (self->total_spent_label, money);
  count = crm_format_count (crm_customer_get_order_count (self->customer));
  gtk_label_set_label (self->order_count_label, count);
  set_date_label (self->first_order_label, crm_customer_get_first_order_at (self->customer));
  set_date_label (self->last_order_label, crm_customer_get_last_order_at (self->customer));
  gtk_widget_set_visible (GTK_WIDGET (self->purchases_group), !self->is_new);
  gtk_widget_set_visible (GTK_WIDGET (self->order_history), !self->is_new);
  crm_customer_value_set_customer (self->value_view, self->store, self->is_new ? 0 : crm_entity_get_id (entity));
  crm_customer_predictions_set_customer (self->predictions_view, self->store,
                                         self->is_new ? 0 : crm_entity_get_id (entity));

  self->filling = FALSE;

  fill_orders (self);
  update_duplicates (self);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER]);

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

/* A manual tier was set: show it, and let the list row follow like after a save. */
static void
on_value_tier_changed (CrmCustomerEditor *self)
{
  g_autoptr(CrmCustomer) fresh = NULL;

  if (self->customer == NULL || self->is_new || self->store == NULL)
    return;

  fresh = crm_store_load (self->store, CRM_TYPE_CUSTOMER, crm_entity_get_id (CRM_ENTITY (self->customer)), NULL);
  if (fresh == NULL)
    return;
  /* Unsaved typing wins; otherwise the form shows the new tier too, where it was scrolled to. */
  if (!crm_customer_editor_get_dirty (self))
    {
      GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
      double y = gtk_adjustment_get_value (vadjustment);

      g_set_object (&self->customer, fresh);
      fill_form (self);
      gtk_adjustment_set_value (vadjustment, y);
    }
  g_signal_emit (self, signals[SAVED], 0, fresh, FALSE);
}

/* Public ------------------------------------------------------------------- */

void
crm_customer_editor_set_store (CrmCustomerEditor *self,
                               CrmStore          *store)
{
  g_return_if_fail (CRM_IS_CUSTOMER_EDITOR (self));

  if (g_set_object (&self->store, store))
    {
      g_clear_object (&self->customer);
      self->is_new = FALSE;
      update_state (self);
    }
}

void
crm_customer_editor_set_currency (CrmCustomerEditor *self,
                                  const char        *currency)
{
  g_return_if_fail (CRM_IS_CUSTOMER_EDITOR (self));

  g_free (self->currency);
  self->currency = g_strdup (currency);
}

gboolean
crm_customer_editor_edit (CrmCustomerEditor *self,
                          gint64             id,
                          GError           **error)
{
  CrmCustomer *customer;

  g_return_val_if_fail (CRM_IS_CUSTOMER_EDITOR (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);

  customer = crm_store_load (self->store, CRM_TYPE_CUSTOMER, id, error);
  if (customer == NULL)
    return FALSE;

  g_clear_object (&self->customer);
  self->customer = customer;
  self->is_new = FALSE;
  fill_form (self);

  return TRUE;
}

void
crm_customer_editor_new_customer (CrmCustomerEditor *self)
{
  g_return_if_fail (CRM_IS_CUSTOMER_EDITOR (self));

  g_clear_object (&self->customer);
  self->customer = crm_customer_new ();
  self->is_new = TRUE;
  fill_form (self);
  gtk_widget_grab_focus (self->rows[CRM_CUSTOMER_NAME]);
}

gboolean
crm_customer_editor_save (CrmCustomerEditor *self,
                          GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean created;
  gint64 id;

  g_return_val_if_fail (CRM_IS_CUSTOMER_EDITOR (self), FALSE);
  g_return_val_if_fail (self->customer != NULL, FALSE);

  /* Typed text counts even if the row never reported it as valid. */
  if (self->is_new)
    set_field_error (self, CRM_CUSTOMER_NAME,
                     check_text (CRM_CUSTOMER_NAME, crm_customer_get_name (self->customer)));

  if (!crm_customer_editor_get_valid (self))
    {
      update_state (self);
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("Correct the highlighted fields before saving."));
      return FALSE;
    }

  created = self->is_new;
  if (created ? !crm_store_insert (self->store, CRM_ENTITY (self->customer), error)
              : !crm_store_update (self->store, CRM_ENTITY (self->customer), error))
    return FALSE;

  self->is_new = FALSE;
  id = crm_entity_get_id (CRM_ENTITY (self->customer));
  g_signal_emit (self, signals[SAVED], 0, self->customer, created);

  /* Show what the store kept (normalised values, new timestamps). */
  if (!crm_customer_editor_edit (self, id, &local_error))
    g_warning ("Could not reload customer %" G_GINT64_FORMAT ": %s", id, local_error->message);

  return TRUE;
}

/* Actions ------------------------------------------------------------------ */

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmCustomerEditor *self = CRM_CUSTOMER_EDITOR (widget);
  g_autoptr(GError) error = NULL;

  if (!crm_customer_editor_save (self, &error))
    crm_ui_show_toast (widget, adw_toast_new (error->message));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmCustomerEditor *self = CRM_CUSTOMER_EDITOR (widget);

  g_clear_object (&self->customer);
  self->is_new = FALSE;
  for (guint i = 0; i < CRM_CUSTOMER_N_FIELDS; i++)
    g_clear_pointer (&self->errors[i], g_free);
  update_state (self);
  g_signal_emit (self, signals[CLOSED], 0);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_signal_emit (widget, signals[BACK], 0);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmCustomerEditor *self = CRM_CUSTOMER_EDITOR (widget);

  if (self->customer != NULL && !self->is_new)
    g_signal_emit (self, signals[DELETE_REQUESTED], 0, self->customer);
}

static void
open_duplicate_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CrmCustomerEditor *self = CRM_CUSTOMER_EDITOR (widget);

  if (self->duplicates != NULL && self->duplicates->len > 0)
    g_signal_emit (self, signals[OPEN_CUSTOMER], 0, g_array_index (self->duplicates, gint64, 0));
}

/* GObject ------------------------------------------------------------------ */

static void
crm_customer_editor_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CrmCustomerEditor *self = CRM_CUSTOMER_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CUSTOMER:
      g_value_set_object (value, self->customer);
      break;
    case PROP_DIRTY:
      g_value_set_boolean (value, crm_customer_editor_get_dirty (self));
      break;
    case PROP_VALID:
      g_value_set_boolean (value, crm_customer_editor_get_valid (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_customer_editor_dispose (GObject *object)
{
  CrmCustomerEditor *self = CRM_CUSTOMER_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_CUSTOMER_EDITOR);
  g_clear_object (&self->customer);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_customer_editor_parent_class)->dispose (object);
}

static void
crm_customer_editor_finalize (GObject *object)
{
  CrmCustomerEditor *self = CRM_CUSTOMER_EDITOR (object);

  for (guint i = 0; i < CRM_CUSTOMER_N_FIELDS; i++)
    g_free (self->errors[i]);
  g_clear_pointer (&self->duplicates, g_array_unref);
  g_free (self->currency);

  G_OBJECT_CLASS (crm_customer_editor_parent_class)->finalize (object);
}

static void
crm_customer_editor_class_init (CrmCustomerEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_customer_editor_dispose;
  object_class->finalize = crm_customer_editor_finalize;
  object_class->get_property = crm_customer_editor_get_property;

  g_type_class_ref (CRM_TYPE_CUSTOMER);

  properties[PROP_CUSTOMER] =
    g_param_spec_object ("customer", NULL, NULL, CRM_TYPE_CUSTOMER,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIRTY] =
    g_param_spec_boolean ("dirty", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The saved customer (the editor's copy) and whether it was created. */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 2, CRM_TYPE_CUSTOMER, G_TYPE_BOOLEAN);
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[BACK] = g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[DELETE_REQUESTED] = g_signal_new ("delete-requested", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, CRM_TYPE_CUSTOMER);
  signals[OPEN_CUSTOMER] = g_signal_new ("open-customer", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_INT64);

  g_type_ensure (CRM_TYPE_CUSTOMER_VALUE);
  g_type_ensure (CRM_TYPE_ORDER_HISTORY);
  g_type_ensure (CRM_TYPE_CUSTOMER_PREDICTIONS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-customer-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, header);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, back_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, delete_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, title_widget);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, duplicate_revealer);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, duplicate_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, scroller);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, contact_group);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, personal_group);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, address_group);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, relationship_group);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, consent_group);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, order_history);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, purchases_group);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, value_view);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, predictions_view);
  gtk_widget_class_bind_template_callback (widget_class, on_value_tier_changed);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, total_spent_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, order_count_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, first_order_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, last_order_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, notes_view);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerEditor, notes_error);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "editor.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "editor.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "editor.open-duplicate", NULL, open_duplicate_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
}

static void
crm_customer_editor_init (CrmCustomerEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->currency = g_strdup ("USD");
  build_form (self);
  update_state (self);
}

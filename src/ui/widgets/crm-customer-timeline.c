/* crm-customer-timeline.c
 *
 * The first page of events is read when a customer is shown and when the session says the
 * customer's contacts, feedback or orders changed: one statement over the customer's indexed
 * ranges (crm_timeline_load(), a few ms even at 10,000 events).  "Show Older" reads a longer
 * page.  A quick log is written with crm_store_write_async(), so a write lock held by another
 * program never freezes the window; the entry keeps the text until it is saved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-codes.h"
#include "crm-customer-timeline.h"
#include "crm-feedback-service.h"
#include "crm-format.h"
#include "crm-timeline.h"
#include "crm-ui-util.h"

#define PAGE 50

static const char *const directions[] = { NULL, "in", "out" };

struct _CrmCustomerTimeline
{
  AdwBin               parent_instance;

  CrmSession          *session;
  CrmStore            *store;
  gint64               customer_id;
  guint                limit;
  GPtrArray           *rows;        /* every row added below the quick-log row */
  GPtrArray           *event_rows;
  char                *empty_text;
  GCancellable        *saving;

  /* template children */
  AdwPreferencesGroup *group;
  GtkWidget           *quick_row;
  GtkDropDown         *channel_dropdown;
  GtkDropDown         *direction_dropdown;
  GtkEntry            *quick_entry;
};

G_DEFINE_FINAL_TYPE (CrmCustomerTimeline, crm_customer_timeline, ADW_TYPE_BIN)

static void reload (CrmCustomerTimeline *self);

/* ---- rows ---------------------------------------------------------------------------------- */

static void
clear_rows (CrmCustomerTimeline *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  g_ptr_array_set_size (self->event_rows, 0);
  g_clear_pointer (&self->empty_text, g_free);
}

static void
add_row (CrmCustomerTimeline *self,
         GtkWidget           *row)
{
  adw_preferences_group_add (self->group, row);
  g_ptr_array_add (self->rows, row);
}

static const char *
event_icon (const CrmTimelineEvent *e)
{
  switch (e->kind)
    {
    case CRM_TIMELINE_ORDER:
      return "emblem-documents-symbolic";
    case CRM_TIMELINE_REFUND:
      return "edit-undo-symbolic";
    case CRM_TIMELINE_FEEDBACK:
      return "starred-symbolic";
    case CRM_TIMELINE_INTERACTION:
    default:
      if (g_strcmp0 (e->channel, "phone") == 0)
        return "call-start-symbolic";
      if (g_strcmp0 (e->channel, "email") == 0)
        return "mail-unread-symbolic";
      if (g_strcmp0 (e->channel, "visit") == 0)
        return "system-users-symbolic";
      if (g_strcmp0 (e->channel, "note") == 0)
        return "document-edit-symbolic";
      return "user-available-symbolic";
    }
}

/* What happened (the row's title) and how, when, by whom (its subtitle). */
static void
describe (const CrmTimelineEvent *e,
          char                  **title,
          GString                *subtitle)
{
  g_autofree char *money = e->currency != NULL ? crm_format_money (e->amount, e->currency) : NULL;
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, e->id);

  switch (e->kind)
    {
    case CRM_TIMELINE_ORDER:
      /* Translators: a timeline row: order number and total, e.g. "Order 1042 · ¥120.00". */
      *title = g_strdup_printf (_("Order %s · %s"), e->text != NULL ? e->text : id, money);
      g_string_append_printf (subtitle, " · %s", crm_code_get_label (CRM_CODE_ORDER_STATUS, e->detail));
      if (e->channel != NULL)
        g_string_append_printf (subtitle, " · %s", crm_code_get_label (CRM_CODE_CHANNEL, e->channel));
      if (e->direction != NULL)
        g_string_append_printf (subtitle, " · %s", crm_code_get_label (CRM_CODE_PAYMENT, e->direction));
      break;
    case CRM_TIMELINE_REFUND:
      /* Translators: a timeline row: amount refunded and the order, e.g. "Refund of ¥20.00 on order 1042". */
      *title = g_strdup_printf (_("Refund of %s on order %s"), money, e->detail);
      if (e->text != NULL)
        g_string_append_printf (subtitle, " · %s", e->text);
      break;
    case CRM_TIMELINE_FEEDBACK:
      *title = g_strdup (e->text != NULL && e->text[0] != '\0' ? e->text : _("Feedback"));
      if (e->detail != NULL)
        g_string_append_printf (subtitle, " · %s", crm_feedback_kind_get_label (e->detail));
      if (g_strcmp0 (e->detail, "nps") == 0 || g_strcmp0 (e->detail, "csat") == 0 ||
          g_strcmp0 (e->detail, "review") == 0)
        /* Translators: a feedback row of the timeline: its score. */
        g_string_append_printf (subtitle, _(" · score %d"), (int) e->amount);
      /* Complaints and inquiries: where the workflow is, and who handles it. */
      if (e->direction != NULL)
        g_string_append_printf (subtitle, " · %s", crm_feedback_status_get_label (e->direction));
      if (e->logged_by != NULL)
        g_string_append_printf (subtitle, " · %s", e->logged_by);
      break;
    case CRM_TIMELINE_INTERACTION:
    default:
      *title = g_strdup (e->text != NULL ? e->text : "");
      g_string_append_printf (subtitle, " · %s", crm_interaction_channel_get_label (e->channel));
      if (g_strcmp0 (e->direction, "in") == 0)
        g_string_append_printf (subtitle, " · %s", _("from the customer"));
      else if (g_strcmp0 (e->direction, "out") == 0)
        g_string_append_printf (subtitle, " · %s", _("to the customer"));
      if (e->logged_by != NULL)
        {
          g_string_append (subtitle, " · ");
          /* Translators: who logged a contact, e.g. "logged by alice". */
          g_string_append_printf (subtitle, _("logged by %s"), e->logged_by);
        }
      break;
    }
}

static GtkWidget *
event_row (const CrmTimelineEvent *e)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (event_icon (e));
  g_autofree char *when = crm_format_date_time (e->at);
  g_autoptr(GString) subtitle = g_string_new (when != NULL ? when : "");
  g_autofree char *title = NULL;

  describe (e, &title, subtitle);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  e->kind == CRM_TIMELINE_ORDER ? _("Order")
                                  : e->kind == CRM_TIMELINE_REFUND ? _("Refund")
                                  : e->kind == CRM_TIMELINE_FEEDBACK ? _("Feedback")
                                  : crm_interaction_channel_get_label (e->channel), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  return row;
}

static void
on_show_older (CrmCustomerTimeline *self)
{
  self->limit += PAGE * 4;
  reload (self);
}

static void
reload (CrmCustomerTimeline *self)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  gboolean more = FALSE;

  clear_rows (self);
  gtk_widget_set_visible (GTK_WIDGET (self), self->store != NULL && self->customer_id > 0);
  if (self->store == NULL || self->customer_id <= 0)
    return;

  events = crm_timeline_load (self->store, self->customer_id, self->limit, &more, &error);
  if (events == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), error->message);
      gtk_widget_add_css_class (row, "error");
      add_row (self, row);
      return;
    }

  for (guint i = 0; i < events->len; i++)
    {
      GtkWidget *row = event_row (g_ptr_array_index (events, i));

      add_row (self, row);
      g_ptr_array_add (self->event_rows, row);
    }

  if (events->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      self->empty_text = g_strdup (_("Nothing yet: log a call, a visit or a note above, or record an order"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), self->empty_text);
      gtk_widget_add_css_class (row, "dim-label");
      add_row (self, row);
    }
  if (more)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("Show _Older Events"));
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_widget_add_css_class (button, "flat");
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), button);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_show_older), self, G_CONNECT_SWAPPED);
      add_row (self, row);
    }
}

/* ---- the session ---------------------------------------------------------------------------- */

static void
on_changed (CrmCustomerTimeline *self,
            GArray              *ids)
{
  gboolean listed = ids == NULL;

  for (guint i = 0; !listed && i < ids->len; i++)
    listed = g_array_index (ids, gint64, i) == self->customer_id;
  if (listed && self->customer_id > 0)
    reload (self);
}

void
crm_customer_timeline_set_customer (CrmCustomerTimeline *self,
                                    CrmSession          *session,
                                    gint64               customer_id)
{
  g_return_if_fail (CRM_IS_CUSTOMER_TIMELINE (self));
  g_return_if_fail (session == NULL || CRM_IS_SESSION (session));

  if (self->session != session)
    {
      if (self->session != NULL)
        g_signal_handlers_disconnect_by_data (self->session, self);
      g_set_object (&self->session, session);
      g_clear_object (&self->store);
      if (session != NULL)
        {
          self->store = crm_session_get_store (session) != NULL ? g_object_ref (crm_session_get_store (session)) : NULL;
          g_signal_connect_object (session, "activity-changed", G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (session, "orders-changed", G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
        }
    }
  if (self->customer_id != customer_id)
    {
      self->limit = PAGE;
      gtk_editable_set_text (GTK_EDITABLE (self->quick_entry), "");
    }
  self->customer_id = customer_id;
  reload (self);
}

void
crm_customer_timeline_focus_quick_log (CrmCustomerTimeline *self)
{
  g_return_if_fail (CRM_IS_CUSTOMER_TIMELINE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->quick_entry));
}

/* ---- quick log ------------------------------------------------------------------------------ */

static gboolean
write_interaction (CrmStore  *store,
                   gpointer   data,
                   GError   **error)
{
  return crm_timeline_log (store, CRM_INTERACTION (data), error);
}

static void
on_logged (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(CrmCustomerTimeline) self = data;
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->saving);
  gtk_widget_set_sensitive (GTK_WIDGET (self->quick_entry), TRUE);
  if (!crm_store_write_finish (CRM_STORE (source), result, &error))
    {
      /* The text stays in the entry to try again. */
      gtk_widget_add_css_class (GTK_WIDGET (self->quick_entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->quick_entry), error->message);
      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->quick_entry), "");
  /* The session announces it too; the row shows now, not at the next idle. */
  reload (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->quick_entry));
}

static void
on_quick_activate (CrmCustomerTimeline *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->quick_entry));
  g_autofree char *summary = g_strstrip (g_strdup (text));
  guint channel = gtk_drop_down_get_selected (self->channel_dropdown);
  guint direction = gtk_drop_down_get_selected (self->direction_dropdown);
  CrmInteraction *interaction;

  if (self->store == NULL || self->customer_id <= 0 || self->saving != NULL || summary[0] == '\0')
    return;
  if (channel >= g_strv_length ((char **) crm_interaction_channels ()))
    channel = 0;

  interaction = crm_interaction_new ();
  crm_interaction_set_customer_id (interaction, self->customer_id);
  crm_interaction_set_channel (interaction, crm_interaction_channels ()[channel]);
  crm_interaction_set_direction (interaction, directions[MIN (direction, G_N_ELEMENTS (directions) - 1)]);
  crm_interaction_set_subject (interaction, summary);

  gtk_widget_remove_css_class (GTK_WIDGET (self->quick_entry), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->quick_entry), NULL);
  self->saving = g_cancellable_new ();
  crm_store_write_async (self->store, write_interaction, interaction, g_object_unref, NULL, NULL,
                         self->saving, on_logged, g_object_ref (self));
}

/* ---- for tests ------------------------------------------------------------------------------ */

GtkEditable *
crm_customer_timeline_get_quick_entry (CrmCustomerTimeline *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_TIMELINE (self), NULL);
  return GTK_EDITABLE (self->quick_entry);
}

GtkDropDown *
crm_customer_timeline_get_channel_dropdown (CrmCustomerTimeline *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_TIMELINE (self), NULL);
  return self->channel_dropdown;
}

GPtrArray *
crm_customer_timeline_get_event_rows (CrmCustomerTimeline *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_TIMELINE (self), NULL);
  return self->event_rows;
}

const char *
crm_customer_timeline_get_empty_text (CrmCustomerTimeline *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_TIMELINE (self), NULL);
  return self->empty_text;
}

/* ---- GObject -------------------------------------------------------------------------------- */

static void
crm_customer_timeline_dispose (GObject *object)
{
  CrmCustomerTimeline *self = CRM_CUSTOMER_TIMELINE (object);

  if (self->saving != NULL)
    g_cancellable_cancel (self->saving);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  /* The group is both AdwBin's child and a template child (see crm-order-history.c). */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_CUSTOMER_TIMELINE);
  g_ptr_array_set_size (self->rows, 0);
  g_ptr_array_set_size (self->event_rows, 0);

  G_OBJECT_CLASS (crm_customer_timeline_parent_class)->dispose (object);
}

static void
crm_customer_timeline_finalize (GObject *object)
{
  CrmCustomerTimeline *self = CRM_CUSTOMER_TIMELINE (object);

  g_clear_object (&self->session);
  g_clear_object (&self->store);
  g_clear_object (&self->saving);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->event_rows, g_ptr_array_unref);
  g_clear_pointer (&self->empty_text, g_free);

  G_OBJECT_CLASS (crm_customer_timeline_parent_class)->finalize (object);
}

static void
crm_customer_timeline_class_init (CrmCustomerTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_customer_timeline_dispose;
  object_class->finalize = crm_customer_timeline_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-customer-timeline.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerTimeline, group);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerTimeline, quick_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerTimeline, channel_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerTimeline, direction_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerTimeline, quick_entry);
}

static void
crm_customer_timeline_init (CrmCustomerTimeline *self)
{
  g_autoptr(GtkStringList) channels = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) ways = gtk_string_list_new (NULL);

  self->rows = g_ptr_array_new ();
  self->event_rows = g_ptr_array_new ();
  self->limit = PAGE;

  gtk_widget_init_template (GTK_WIDGET (self));

  for (const char *const *c = crm_interaction_channels (); *c != NULL; c++)
    gtk_string_list_append (channels, crm_interaction_channel_get_label (*c));
  gtk_drop_down_set_model (self->channel_dropdown, G_LIST_MODEL (channels));
  /* Translators: the direction of a logged contact: not said, the customer reached out, the shop did. */
  gtk_string_list_append (ways, C_("direction", "—"));
  gtk_string_list_append (ways, C_("direction", "Incoming"));
  gtk_string_list_append (ways, C_("direction", "Outgoing"));
  gtk_drop_down_set_model (self->direction_dropdown, G_LIST_MODEL (ways));
  g_signal_connect_object (self->quick_entry, "activate", G_CALLBACK (on_quick_activate), self, G_CONNECT_SWAPPED);
}

/* crm-loyalty-page.c
 *
 * The ledger and the liability are read by a job (crm_points_view_load_async(), a newer read
 * superseding one under way) whenever the session says customers changed — a points entry
 * rewrites its customer's balance row, which the session reports as that customer — or the
 * filters change.  The settings are the database's few rows, read on the main thread; Save
 * writes them as a job (a new start date re-earns every order, which takes a while on a large
 * shop).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "crm-format.h"
#include "crm-loyalty-page.h"
#include "crm-points-jobs.h"
#include "crm-text.h"
#include "crm-ui-util.h"

#define MAX_ROWS 200

enum
{
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

struct _CrmLoyaltyPage
{
  AdwBin          parent_instance;

  CrmSession     *session;
  GCancellable   *cancellable;
  gboolean        loading;
  gboolean        folded;
  char           *count_text;
  char           *currency;

  /* template children */
  AdwHeaderBar   *header;
  GtkWidget      *back_button;
  GtkLabel       *outstanding_label;
  GtkLabel       *value_label;
  GtkLabel       *holders_label;
  GtkLabel       *owed_label;
  AdwEntryRow    *start_row;
  GtkSpinButton  *ppu_spin;
  GtkSpinButton  *expiry_spin;
  GtkSpinButton  *birthday_spin;
  GtkSpinButton  *min_spin;
  GtkSpinButton  *value_spin;
  GtkLabel       *settings_error;
  GtkSearchEntry *customer_entry;
  GtkDropDown    *kind_dropdown;
  GtkDropDown    *period_dropdown;
  GtkListBox     *ledger_list;
  GtkLabel       *count_label;
};

G_DEFINE_FINAL_TYPE (CrmLoyaltyPage, crm_loyalty_page, ADW_TYPE_BIN)

/* Days back of each period choice; 0: all time. */
static const int period_days[] = { 0, 30, 90, 365 };

gboolean
crm_loyalty_page_get_loading (CrmLoyaltyPage *self)
{
  return self->loading;
}

const char *
crm_loyalty_page_get_count_text (CrmLoyaltyPage *self)
{
  return self->count_text;
}

const char *
crm_loyalty_page_get_outstanding_text (CrmLoyaltyPage *self)
{
  return gtk_label_get_label (self->outstanding_label);
}

static double
unit_of (const char *currency)
{
  return pow (10, crm_currency_exponent (currency));
}

static void
fill_settings (CrmLoyaltyPage *self)
{
  CrmStore *store = self->session != NULL ? crm_session_get_store (self->session) : NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autofree char *date = NULL;
  CrmPointsSettings s;

  if (store == NULL)
    return;
  g_free (self->currency);
  self->currency = crm_session_dup_currency (self->session);
  crm_points_settings_load (store, &s);
  start = g_date_time_new_from_unix_local (s.start / 1000);
  date = g_date_time_format (start, "%Y-%m-%d");
  gtk_editable_set_text (GTK_EDITABLE (self->start_row), date);
  gtk_spin_button_set_value (self->ppu_spin, s.points_per_unit);
  gtk_spin_button_set_value (self->expiry_spin, s.expiry_months);
  gtk_spin_button_set_value (self->birthday_spin, s.birthday_multiplier);
  gtk_spin_button_set_value (self->min_spin, s.min_redemption);
  gtk_spin_button_set_digits (self->value_spin, crm_currency_exponent (self->currency));
  gtk_spin_button_set_value (self->value_spin, s.point_value / unit_of (self->currency));
  gtk_widget_set_visible (GTK_WIDGET (self->settings_error), FALSE);
}

static GtkWidget *
entry_row (CrmPointsEntry *e)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *points = gtk_label_new (NULL);
  g_autofree char *when = crm_format_date (e->at);
  g_autofree char *amount = g_strdup_printf ("%+" G_GINT64_FORMAT, e->points);
  GString *subtitle = g_string_new (NULL);

  g_string_append_printf (subtitle, "%s · %s", when, crm_points_kind_get_label (e->kind));
  if (e->order_number != NULL || e->order_uuid != NULL)
    /* Translators: the order a ledger entry belongs to, e.g. "order A100". */
    g_string_append_printf (subtitle, " · %s", e->order_number != NULL ? e->order_number : _("order"));
  if (e->reason != NULL)
    g_string_append_printf (subtitle, " · %s", e->reason);
  if (e->expires_at != 0 && e->points > 0)
    {
      g_autofree char *expires = crm_format_date (e->expires_at);

      /* Translators: when earned points expire, e.g. "expires 2027-12-08". */
      g_string_append_printf (subtitle, " · ");
      g_string_append_printf (subtitle, _("expires %s"), expires);
    }
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), e->customer_name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  gtk_label_set_label (GTK_LABEL (points), amount);
  gtk_widget_add_css_class (points, "crm-numeric");
  gtk_widget_add_css_class (points, e->points < 0 ? "error" : "success");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), points);
  g_string_free (subtitle, TRUE);
  return row;
}

static void
set_count (GtkLabel   *label,
           gint64      n)
{
  g_autofree char *text = crm_format_count (n);

  gtk_label_set_label (label, text);
}

static void
show_view (CrmLoyaltyPage *self,
           CrmPointsView  *view)
{
  g_autofree char *money = crm_format_money (view->liability.value, self->currency != NULL ? self->currency : "CNY");
  g_autofree char *n = crm_format_count (view->entries->len);
  GtkWidget *child;

  set_count (self->outstanding_label, view->liability.outstanding);
  gtk_label_set_label (self->value_label, money);
  set_count (self->holders_label, view->liability.customers);
  set_count (self->owed_label, -view->liability.negative);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->ledger_list))) != NULL)
    gtk_list_box_remove (self->ledger_list, child);
  for (guint i = 0; i < view->entries->len; i++)
    gtk_list_box_append (self->ledger_list, entry_row (g_ptr_array_index (view->entries, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->ledger_list), view->entries->len > 0);

  g_free (self->count_text);
  if (view->entries->len == 0)
    self->count_text = g_strdup (_("No entries"));
  else if (view->entries->len >= MAX_ROWS)
    self->count_text = g_strdup_printf (_("The newest %s entries"), n);
  else
    self->count_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s entry", "%s entries", view->entries->len), n);
  gtk_label_set_label (self->count_label, self->count_text);
}

static void
loaded (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(CrmLoyaltyPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmPointsView) view = crm_points_view_load_finish (result, &error);

  if (view == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          self->loading = FALSE;
          gtk_label_set_label (self->count_label, error->message);
        }
      return;
    }
  self->loading = FALSE;
  show_view (self, view);
}

void
crm_loyalty_page_reload (CrmLoyaltyPage *self)
{
  CrmPointsFilter filter = { -1, 0, 0, 0, NULL };
  guint kind = gtk_drop_down_get_selected (self->kind_dropdown);
  guint period = gtk_drop_down_get_selected (self->period_dropdown);

  if (self->session == NULL || crm_session_get_store (self->session) == NULL)
    return;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  filter.kind = kind >= 1 && kind <= CRM_POINTS_N_KINDS ? (int) kind - 1 : -1;
  if (period < G_N_ELEMENTS (period_days) && period_days[period] > 0)
    filter.from = g_get_real_time () / 1000 - period_days[period] * G_GINT64_CONSTANT (86400000);
  filter.customer_text = gtk_editable_get_text (GTK_EDITABLE (self->customer_entry));
  self->loading = TRUE;
  crm_points_view_load_async (self->session, &filter, MAX_ROWS, self->cancellable, loaded, g_object_ref (self));
}

static void
on_filter_changed (CrmLoyaltyPage *self)
{
  crm_loyalty_page_reload (self);
}

static void
on_settings_changed (CrmLoyaltyPage *self,
                     const char     *key)
{
  if (key == NULL || g_str_has_prefix (key, "loyalty.") || g_str_equal (key, "currency"))
    fill_settings (self);
  crm_loyalty_page_reload (self);
}

void
crm_loyalty_page_set_session (CrmLoyaltyPage *self,
                              CrmSession     *session)
{
  g_return_if_fail (CRM_IS_LOYALTY_PAGE (self));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session == NULL)
    return;
  g_signal_connect_object (session, "customers-changed", G_CALLBACK (crm_loyalty_page_reload), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "settings-changed", G_CALLBACK (on_settings_changed), self,
                           G_CONNECT_SWAPPED);
  fill_settings (self);
  crm_loyalty_page_reload (self);
}

void
crm_loyalty_page_set_folded (CrmLoyaltyPage *self,
                             gboolean        folded)
{
  crm_ui_page_set_folded (G_OBJECT (self), properties[PROP_FOLDED], &self->folded, folded,
                          self->back_button, self->header);
}

/* Save ------------------------------------------------------------------------- */

static void
saved (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(CrmLoyaltyPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!crm_points_settings_save_finish (result, &error))
    {
      gtk_label_set_label (self->settings_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->settings_error), TRUE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->settings_error), FALSE);
  crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (_("Loyalty settings saved")));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmLoyaltyPage *self = CRM_LOYALTY_PAGE (widget);
  const char *date = gtk_editable_get_text (GTK_EDITABLE (self->start_row));
  g_autoptr(GDateTime) start = NULL;
  CrmPointsSettings s;
  int y, m, d;

  if (self->session == NULL || crm_session_get_store (self->session) == NULL)
    return;
  if (!crm_text_check_date (date, NULL) || sscanf (date, "%d-%d-%d", &y, &m, &d) != 3 ||
      (start = g_date_time_new_local (y, m, d, 0, 0, 0)) == NULL)
    {
      gtk_label_set_label (self->settings_error, _("The start date must be a date such as 2026-01-31"));
      gtk_widget_set_visible (GTK_WIDGET (self->settings_error), TRUE);
      return;
    }
  crm_points_settings_load (crm_session_get_store (self->session), &s);
  s.start = g_date_time_to_unix (start) * 1000;
  s.points_per_unit = gtk_spin_button_get_value (self->ppu_spin);
  s.expiry_months = gtk_spin_button_get_value_as_int (self->expiry_spin);
  s.birthday_multiplier = gtk_spin_button_get_value (self->birthday_spin);
  s.min_redemption = (gint64) gtk_spin_button_get_value (self->min_spin);
  s.point_value = (gint64) llround (gtk_spin_button_get_value (self->value_spin) * unit_of (self->currency));
  crm_points_settings_save_async (self->session, &s, NULL, saved, g_object_ref (self));
}

/* GObject ------------------------------------------------------------------ */

static GtkStringList *
kind_model (void)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, _("All Kinds"));
  for (guint k = 0; k < CRM_POINTS_N_KINDS; k++)
    gtk_string_list_append (list, crm_points_kind_get_label (k));
  return list;
}

static GtkStringList *
period_model (void)
{
  const char *labels[] = { _("All Time"), _("Last 30 Days"), _("Last 90 Days"), _("Last 365 Days"), NULL };

  return gtk_string_list_new (labels);
}

static void
crm_loyalty_page_dispose (GObject *object)
{
  CrmLoyaltyPage *self = CRM_LOYALTY_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_LOYALTY_PAGE);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (crm_loyalty_page_parent_class)->dispose (object);
}

static void
crm_loyalty_page_finalize (GObject *object)
{
  CrmLoyaltyPage *self = CRM_LOYALTY_PAGE (object);

  g_free (self->count_text);
  g_free (self->currency);

  G_OBJECT_CLASS (crm_loyalty_page_parent_class)->finalize (object);
}

static void
crm_loyalty_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CrmLoyaltyPage *self = CRM_LOYALTY_PAGE (object);

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
crm_loyalty_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CrmLoyaltyPage *self = CRM_LOYALTY_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      crm_loyalty_page_set_folded (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_loyalty_page_class_init (CrmLoyaltyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_loyalty_page_dispose;
  object_class->finalize = crm_loyalty_page_finalize;
  object_class->get_property = crm_loyalty_page_get_property;
  object_class->set_property = crm_loyalty_page_set_property;

  /* Set by the window: the sidebar is folded away, so show a back button. */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-loyalty-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmLoyaltyPage, header);
  gtk_widget_class_bind_template_child (widget_class, CrmLoyaltyPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, CrmLoyaltyPage, outstanding_label);
  gtk_widget_class_bind_template_child (widget_class, CrmLoyaltyPage, value_label);
  gtk_widget_class_bind_template_child (widget_class, CrmLoyaltyPage, holders_label);
  gtk_widget_class_bind_template_child (widget_class, CrmLoyaltyPage, owed_label);
  gtk_widget_class_bind_template_child (widget_class, CrmLoyaltyPage, start_row);
  gtk_widget_class_bind_template_child (widget_class, CrmLoyaltyPage, ppu_spin);
  gtk_widget_class_bind_template_child (widget_class, CrmLoyaltyPage, expiry_spin);
  gtk_widget_class_bind_template_child (widget_class, CrmLoyaltyPage, birthday_spin);
  gtk_widget_class_bind_template_child (widget_class, CrmLoyaltyPage, min_spin);
  gtk_widget_class_bind_template_child (widget_class, CrmLoyaltyPage, value_spin);
  gtk_widget_class_bind_template_child (widget_class, CrmLoyaltyPage, settings_error);
  gtk_widget_class_bind_template_child (widget_class, CrmLoyaltyPage, customer_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmLoyaltyPage, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CrmLoyaltyPage, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CrmLoyaltyPage, ledger_list);
  gtk_widget_class_bind_template_child (widget_class, CrmLoyaltyPage, count_label);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);

  gtk_widget_class_install_action (widget_class, "loyalty.save", NULL, save_action);
}

static void
crm_loyalty_page_init (CrmLoyaltyPage *self)
{
  g_autoptr(GtkStringList) kinds = NULL;
  g_autoptr(GtkStringList) periods = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  kinds = kind_model ();
  periods = period_model ();
  gtk_drop_down_set_model (self->kind_dropdown, G_LIST_MODEL (kinds));
  gtk_drop_down_set_model (self->period_dropdown, G_LIST_MODEL (periods));
}

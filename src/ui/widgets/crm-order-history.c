/* crm-order-history.c
 *
 * Orders are read when a customer is shown (one indexed query, at most a few
 * hundred rows for a real customer); their lines only when a row is expanded,
 * so a customer with a long history costs one query per order looked at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-codes.h"
#include "crm-format.h"
#include "crm-order-history.h"
#include "crm-order-line.h"
#include "crm-order.h"
#include "crm-sales.h"
#include "crm-ui-util.h"

#define MAX_ORDERS_SHOWN 50

struct _CrmOrderHistory
{
  AdwBin               parent_instance;

  CrmStore            *store;
  char                *currency;
  char                *summary;
  GPtrArray           *rows;        /* every row added to the group */
  GPtrArray           *order_rows;  /* AdwExpanderRow, newest first */

  /* template children */
  AdwPreferencesGroup *group;
};

G_DEFINE_FINAL_TYPE (CrmOrderHistory, crm_order_history, ADW_TYPE_BIN)

CrmOrderHistory *
crm_order_history_new (void)
{
  return g_object_new (CRM_TYPE_ORDER_HISTORY, NULL);
}

const char *
crm_order_history_get_summary (CrmOrderHistory *self)
{
  g_return_val_if_fail (CRM_IS_ORDER_HISTORY (self), NULL);

  return self->summary;
}

GPtrArray *
crm_order_history_get_order_rows (CrmOrderHistory *self)
{
  g_return_val_if_fail (CRM_IS_ORDER_HISTORY (self), NULL);

  return self->order_rows;
}

static void
clear_rows (CrmOrderHistory *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  g_ptr_array_set_size (self->order_rows, 0);
}

static void
add_row (CrmOrderHistory *self,
         GtkWidget       *row)
{
  adw_preferences_group_add (self->group, row);
  g_ptr_array_add (self->rows, row);
}

static GtkWidget *
amount_label (gint64      minor,
              const char *currency)
{
  g_autofree char *text = crm_format_money (minor, currency);
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "crm-numeric");
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  return label;
}

static int
compare_placed_at (gconstpointer a,
                   gconstpointer b)
{
  CrmOrder *x = *(CrmOrder **) a;
  CrmOrder *y = *(CrmOrder **) b;
  gint64 px = crm_order_get_placed_at (x), py = crm_order_get_placed_at (y);
  gint64 ix = crm_entity_get_id (CRM_ENTITY (x)), iy = crm_entity_get_id (CRM_ENTITY (y));

  /* Newest first; the same instant by the order they were entered in, newest first. */
  if (px != py)
    return px < py ? 1 : -1;
  return ix < iy ? 1 : ix > iy ? -1 : 0;
}

static int
compare_line_id (gconstpointer a,
                 gconstpointer b)
{
  gint64 x = crm_entity_get_id (*(CrmEntity **) a);
  gint64 y = crm_entity_get_id (*(CrmEntity **) b);

  return x < y ? -1 : x > y;
}

/* ---- refunds ---- */

typedef struct
{
  gint64  order_id;
  gint64  amount;
  char   *reason;
} RefundWrite;

static void
refund_write_free (gpointer data)
{
  RefundWrite *w = data;

  g_free (w->reason);
  g_free (w);
}

static gboolean
write_refund (CrmStore  *store,
              gpointer   data,
              GError   **error)
{
  RefundWrite *w = data;
  g_autoptr(CrmRefund) refund = crm_sales_refund (store, w->order_id, w->amount, w->reason, 0, error);

  return refund != NULL;
}

static void
on_refunded (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  g_autoptr(GtkWidget) self = data;
  g_autoptr(GError) error = NULL;

  /* The session tells the form and this list; only the outcome is said here. */
  if (!crm_store_write_finish (CRM_STORE (source), result, &error))
    crm_ui_show_toast (self, adw_toast_new (error->message));
  else
    crm_ui_show_toast (self, adw_toast_new (_("Refund recorded")));
}

/* An amount in minor units as the user would type it back: "120.50". */
static char *
plain_amount (gint64      minor,
              const char *currency)
{
  guint exponent = crm_currency_exponent (currency);
  gint64 scale = 1;

  for (guint i = 0; i < exponent; i++)
    scale *= 10;
  if (exponent == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, minor);
  return g_strdup_printf ("%" G_GINT64_FORMAT ".%0*" G_GINT64_FORMAT, minor / scale, (int) exponent, minor % scale);
}

static void
on_refund_response (AdwMessageDialog *dialog,
                    const char       *response,
                    CrmOrderHistory  *self)
{
  CrmOrder *order = g_object_get_data (G_OBJECT (dialog), "crm-order");
  GtkEditable *amount_entry = g_object_get_data (G_OBJECT (dialog), "crm-amount");
  GtkEditable *reason_entry = g_object_get_data (G_OBJECT (dialog), "crm-reason");
  const char *currency = crm_order_get_currency (order) != NULL ? crm_order_get_currency (order) : self->currency;
  RefundWrite *w;
  gint64 amount;

  if (g_strcmp0 (response, "refund") != 0 || self->store == NULL)
    return;
  if (!crm_parse_money (gtk_editable_get_text (amount_entry), crm_currency_exponent (currency), FALSE, &amount) ||
      amount <= 0)
    {
      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (_("The refund is not an amount above zero")));
      return;
    }
  w = g_new0 (RefundWrite, 1);
  w->order_id = crm_entity_get_id (CRM_ENTITY (order));
  w->amount = amount;
  w->reason = g_strstrip (g_strdup (gtk_editable_get_text (reason_entry)));
  crm_store_write_async (self->store, write_refund, w, refund_write_free, NULL, NULL, NULL,
                         on_refunded, g_object_ref (self));
}

static void
on_refund_clicked (GtkButton       *button,
                   CrmOrderHistory *self)
{
  CrmOrder *order = g_object_get_data (G_OBJECT (button), "crm-order");
  const char *currency = crm_order_get_currency (order) != NULL ? crm_order_get_currency (order) : self->currency;
  g_autofree char *left = crm_format_money (crm_order_get_total (order), currency);
  g_autofree char *plain = plain_amount (crm_order_get_total (order), currency);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *amount = gtk_entry_new ();
  GtkWidget *reason = gtk_entry_new ();
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                       _("Refund Order?"), NULL));
  /* Translators: %s is what is left to refund, e.g. "¥120.00". */
  adw_message_dialog_format_body (dialog, _("Paid and not refunded yet: %s. A refund lowers what the customer spent."),
                                  left);
  gtk_editable_set_text (GTK_EDITABLE (amount), plain);
  gtk_accessible_update_property (GTK_ACCESSIBLE (amount), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Amount to refund"), -1);
  gtk_entry_set_placeholder_text (GTK_ENTRY (reason), _("Reason (optional)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (reason), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);
  gtk_entry_set_activates_default (GTK_ENTRY (amount), TRUE);
  gtk_box_append (GTK_BOX (box), amount);
  gtk_box_append (GTK_BOX (box), reason);
  adw_message_dialog_set_extra_child (dialog, box);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "refund", _("_Refund"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "refund", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "refund");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "crm-order", g_object_ref (order), g_object_unref);
  g_object_set_data (G_OBJECT (dialog), "crm-amount", amount);
  g_object_set_data (G_OBJECT (dialog), "crm-reason", reason);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_refund_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A paid order with something left to give back offers Refund… under its lines. */
static void
add_refund_row (CrmOrderHistory *self,
                AdwExpanderRow  *row,
                CrmOrder        *order)
{
  const char *status = crm_order_get_status (order);
  GtkWidget *refund_row, *button;

  if (crm_order_get_total (order) <= 0 || g_strcmp0 (status, "cancelled") == 0 || g_strcmp0 (status, "failed") == 0 ||
      g_strcmp0 (status, "pending") == 0 || g_strcmp0 (status, "refunded") == 0)
    return;
  refund_row = adw_action_row_new ();
  button = gtk_button_new_with_mnemonic (_("_Refund…"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (button), "crm-order", g_object_ref (order), g_object_unref);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_refund_clicked), self, 0);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (refund_row), _("Give money back on this order"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (refund_row), button);
  adw_expander_row_add_row (row, refund_row);
}

/* The lines of an order, read the first time its row opens. */
static void
on_order_expanded (AdwExpanderRow  *row,
                   GParamSpec      *pspec,
                   CrmOrderHistory *self)
{
  CrmOrder *order = g_object_get_data (G_OBJECT (row), "crm-order");
  const char *currency;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;

  if (!adw_expander_row_get_expanded (row) || self->store == NULL ||
      g_object_get_data (G_OBJECT (row), "crm-lines-loaded") != NULL)
    return;
  g_object_set_data (G_OBJECT (row), "crm-lines-loaded", GINT_TO_POINTER (TRUE));

  currency = crm_order_get_currency (order) != NULL ? crm_order_get_currency (order) : self->currency;
  lines = crm_store_list (self->store, CRM_TYPE_ORDER_LINE, "order_id",
                          crm_entity_get_id (CRM_ENTITY (order)), &error);
  if (lines == NULL)
    {
      GtkWidget *line_row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (line_row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (line_row), error->message);
      gtk_widget_add_css_class (line_row, "error");
      adw_expander_row_add_row (row, line_row);
      return;
    }

  g_ptr_array_sort (lines, compare_line_id);
  for (guint i = 0; i < lines->len; i++)
    {
      CrmOrderLine *line = g_ptr_array_index (lines, i);
      GtkWidget *line_row = adw_action_row_new ();
      const char *product = crm_order_line_get_product (line);
      const char *sku = crm_order_line_get_sku (line);
      g_autofree char *price = crm_format_money (crm_order_line_get_unit_price (line), currency);
      g_autofree char *quantity = crm_format_count (crm_order_line_get_quantity (line));
      g_autofree char *subtitle = NULL;

      if (product == NULL || product[0] == '\0')
        product = sku != NULL && sku[0] != '\0' ? sku : _("Item");
      if (sku != NULL && sku[0] != '\0')
        /* Translators: an order line: SKU · quantity × unit price, e.g. "TEA-250 · 2 × ¥50.00". */
        subtitle = g_strdup_printf (_("%s · %s × %s"), sku, quantity, price);
      else
        /* Translators: an order line without SKU: quantity × unit price, e.g. "2 × ¥50.00". */
        subtitle = g_strdup_printf (_("%s × %s"), quantity, price);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (line_row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (line_row), product);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (line_row), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (line_row),
                                 amount_label (crm_order_line_get_amount (line), currency));
      adw_expander_row_add_row (row, line_row);
    }

  if (lines->len == 0)
    {
      GtkWidget *line_row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (line_row), _("No items recorded for this order"));
      gtk_widget_add_css_class (line_row, "dim-label");
      adw_expander_row_add_row (row, line_row);
    }
  add_refund_row (self, row, order);
}

static GtkWidget *
create_order_row (CrmOrderHistory *self,
                  CrmOrder        *order)
{
  GtkWidget *row = adw_expander_row_new ();
  const char *currency = crm_order_get_currency (order) != NULL ? crm_order_get_currency (order) : self->currency;
  const char *status = crm_code_get_label (CRM_CODE_ORDER_STATUS, crm_order_get_status (order));
  const char *channel = crm_code_get_label (CRM_CODE_CHANNEL, crm_order_get_channel (order));
  g_autofree char *date = crm_format_date (crm_order_get_placed_at (order));
  g_autofree char *number = NULL;
  g_autofree char *title = NULL;
  g_autoptr(GString) subtitle = g_string_new (date != NULL ? date : "");

  if (crm_order_get_number (order) != NULL && crm_order_get_number (order)[0] != '\0')
    number = g_strdup (crm_order_get_number (order));
  else
    number = g_strdup_printf ("%" G_GINT64_FORMAT, crm_entity_get_id (CRM_ENTITY (order)));
  /* Translators: an order number, e.g. "Order #1042". */
  title = g_strdup_printf (_("Order %s"), number);

  if (status != NULL && status[0] != '\0')
    g_string_append_printf (subtitle, "%s%s", subtitle->len > 0 ? " · " : "", status);
  if (channel != NULL && channel[0] != '\0')
    g_string_append_printf (subtitle, "%s%s", subtitle->len > 0 ? " · " : "", channel);
  if (crm_order_get_payment_method (order) != NULL)
    g_string_append_printf (subtitle, " · %s", crm_code_get_label (CRM_CODE_PAYMENT, crm_order_get_payment_method (order)));
  if (crm_order_get_refunded (order) > 0)
    {
      g_autofree char *refunded = crm_format_money (crm_order_get_refunded (order), currency);

      g_string_append (subtitle, " · ");
      /* Translators: in an order's summary, e.g. "refunded ¥20.00". */
      g_string_append_printf (subtitle, _("refunded %s"), refunded);
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle->str);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), amount_label (crm_order_get_total (order), currency));

  g_object_set_data_full (G_OBJECT (row), "crm-order", g_object_ref (order), g_object_unref);
  g_signal_connect_object (row, "notify::expanded", G_CALLBACK (on_order_expanded), self, 0);

  return row;
}

static char *
build_summary (CrmCustomer *customer,
               const char  *currency)
{
  gint64 count = crm_customer_get_order_count (customer);
  gint64 total = crm_customer_get_total_spent (customer);
  g_autofree char *count_text = crm_format_count (count);
  g_autofree char *total_text = crm_format_money (total, currency);
  g_autofree char *average_text = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *spent = NULL;

  if (count <= 0)
    return NULL;

  /* Rounded to the nearest minor unit. */
  average_text = crm_format_money ((total + (total >= 0 ? count / 2 : -count / 2)) / count, currency);
  spent = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        /* Translators: order count, total spent, average order value. */
                                        "%s order, %s spent, %s per order on average",
                                        "%s orders, %s spent, %s per order on average", count),
                           count_text, total_text, average_text);
  first = crm_format_date (crm_customer_get_first_order_at (customer));
  last = crm_format_date (crm_customer_get_last_order_at (customer));
  if (first == NULL || first[0] == '\0' || last == NULL || last[0] == '\0')
    return g_steal_pointer (&spent);

  /* Translators: the second line of the order summary: dates of the first and the last order. */
  return g_strdup_printf (_("%s\nFirst order on %s, last on %s"), spent, first, last);
}

void
crm_order_history_set_customer (CrmOrderHistory *self,
                                CrmStore        *store,
                                CrmCustomer     *customer,
                                const char      *currency)
{
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GError) error = NULL;
  guint shown;

  g_return_if_fail (CRM_IS_ORDER_HISTORY (self));
  g_return_if_fail (store == NULL || CRM_IS_STORE (store));
  g_return_if_fail (customer == NULL || CRM_IS_CUSTOMER (customer));

  g_set_object (&self->store, store);
  g_free (self->currency);
  self->currency = g_strdup (currency != NULL ? currency : "CNY");
  clear_rows (self);
  g_clear_pointer (&self->summary, g_free);

  if (store != NULL && customer != NULL && crm_entity_get_id (CRM_ENTITY (customer)) != 0)
    {
      orders = crm_store_list (store, CRM_TYPE_ORDER, "customer_id",
                               crm_entity_get_id (CRM_ENTITY (customer)), &error);
      if (orders == NULL)
        g_warning ("Could not read the orders of customer %" G_GINT64_FORMAT ": %s",
                   crm_entity_get_id (CRM_ENTITY (customer)), error->message);
      self->summary = build_summary (customer, self->currency);
    }
  adw_preferences_group_set_description (self->group, self->summary);

  if (orders == NULL || orders->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No orders yet"));
      gtk_widget_add_css_class (row, "dim-label");
      add_row (self, row);
      return;
    }

  /* The store lists them in the order they were written, which for imported
   * history is not the order they were placed in. */
  g_ptr_array_sort (orders, compare_placed_at);
  shown = MIN (orders->len, MAX_ORDERS_SHOWN);
  for (guint i = 0; i < shown; i++)
    {
      GtkWidget *row = create_order_row (self, g_ptr_array_index (orders, i));

      add_row (self, row);
      g_ptr_array_add (self->order_rows, row);
    }

  if (orders->len > shown)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *count = crm_format_count (orders->len - shown);
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "%s older order not shown",
                                                             "%s older orders not shown",
                                                             orders->len - shown), count);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_widget_add_css_class (row, "dim-label");
      add_row (self, row);
    }
}

static void
crm_order_history_dispose (GObject *object)
{
  CrmOrderHistory *self = CRM_ORDER_HISTORY (object);

  /* The group is both AdwBin's child and a template child: let AdwBin drop it
   * first so it is not unparented twice. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_ORDER_HISTORY);
  g_ptr_array_set_size (self->rows, 0);
  g_ptr_array_set_size (self->order_rows, 0);

  G_OBJECT_CLASS (crm_order_history_parent_class)->dispose (object);
}

static void
crm_order_history_finalize (GObject *object)
{
  CrmOrderHistory *self = CRM_ORDER_HISTORY (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->currency, g_free);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->order_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (crm_order_history_parent_class)->finalize (object);
}

static void
crm_order_history_class_init (CrmOrderHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_order_history_dispose;
  object_class->finalize = crm_order_history_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-order-history.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmOrderHistory, group);
}

static void
crm_order_history_init (CrmOrderHistory *self)
{
  self->rows = g_ptr_array_new ();
  self->order_rows = g_ptr_array_new ();
  self->currency = g_strdup ("CNY");

  gtk_widget_init_template (GTK_WIDGET (self));
}

/* crm-order-dialog.c
 *
 * The form keeps one row per item; every edit parses the rows again (a handful of fields) and
 * shows the totals in the shop's currency, or the first thing to fix, which also keeps Save
 * insensitive.  Save writes through crm_store_write_async(): if another program holds the write
 * lock (an import by clientele-cli) the window stays responsive and the form keeps what was
 * typed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "crm-codes.h"
#include "crm-customer-editor.h"
#include "crm-customers-page.h"
#include "crm-format.h"
#include "crm-order-dialog.h"
#include "crm-sales.h"
#include "crm-ui-util.h"

typedef struct
{
  GtkWidget     *row;
  GtkEditable   *product;
  GtkSpinButton *quantity;
  GtkEditable   *price;
  GtkEditable   *category;
} Item;

struct _CrmOrderDialog
{
  AdwWindow            parent_instance;

  CrmWindow           *window;       /* weak */
  CrmStore            *store;
  gint64               customer_id;
  char                *currency;
  GPtrArray           *items;        /* Item */
  char                *problem;
  char                *total_text;
  GCancellable        *cancellable;  /* a Save in flight */

  /* template children */
  AdwWindowTitle      *title_widget;
  GtkWidget           *save_button;
  AdwPreferencesGroup *items_group;
  AdwComboRow         *channel_row;
  AdwComboRow         *payment_row;
  AdwComboRow         *status_row;
  AdwEntryRow         *date_row;
  AdwEntryRow         *discount_row;
  GtkLabel            *subtotal_label;
  GtkLabel            *discount_label;
  GtkLabel            *total_label;
  GtkLabel            *error_label;
};

G_DEFINE_FINAL_TYPE (CrmOrderDialog, crm_order_dialog, ADW_TYPE_WINDOW)

/* ---- the form ------------------------------------------------------------------------------ */

static gboolean
parse_amount (CrmOrderDialog *self,
              const char     *text,
              gint64         *out)
{
  /* A user types the amount as the locale writes it: "1.234,50" in a decimal-comma locale. */
  struct lconv *lc = localeconv ();
  gboolean comma = lc != NULL && lc->decimal_point != NULL && g_str_equal (lc->decimal_point, ",");

  return crm_parse_money (text, crm_currency_exponent (self->currency), comma, out) && *out >= 0 &&
         strchr (text, '-') == NULL;
}

static void
set_problem (CrmOrderDialog *self,
             const char     *problem)
{
  g_free (self->problem);
  self->problem = g_strdup (problem);
  gtk_label_set_text (self->error_label, problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), problem != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "order.save", problem == NULL && self->cancellable == NULL);
}

/* The day typed (YYYY-MM-DD, local): today is now, an earlier day its noon (so that no time zone
 * moves it to another day); a later day or anything else is refused. */
static gboolean
parse_day (const char *text,
           gint64     *out_ms)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) day = NULL;
  int y, m, d, used = 0;

  if (sscanf (text, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || text[used] != '\0' ||
      (day = g_date_time_new_local (y, m, d, 12, 0, 0)) == NULL || g_date_time_get_day_of_month (day) != d)
    return FALSE;
  if (y == g_date_time_get_year (now) && m == g_date_time_get_month (now) && d == g_date_time_get_day_of_month (now))
    *out_ms = crm_now_ms ();
  else if (g_date_time_compare (day, now) > 0)
    return FALSE;
  else
    *out_ms = g_date_time_to_unix (day) * 1000;
  return TRUE;
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* The order and its lines as the form says, or NULL with the first problem in @problem. */
static CrmOrder *
read_form (CrmOrderDialog  *self,
           GPtrArray       *lines,
           char           **problem)
{
  g_autoptr(CrmOrder) order = crm_order_new ();
  g_autoptr(GError) error = NULL;
  const char *discount_text = gtk_editable_get_text (GTK_EDITABLE (self->discount_row));
  gint64 discount = 0;
  guint n;

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      const char *product = gtk_editable_get_text (item->product);
      const char *price_text = gtk_editable_get_text (item->price);
      const char *category = gtk_editable_get_text (item->category);
      CrmOrderLine *line;
      gint64 price;

      /* A row left empty is no item. */
      if (is_blank (product) && *price_text == '\0' && is_blank (category))
        continue;
      if (!parse_amount (self, price_text, &price))
        {
          /* Translators: %u is the number of the item row, from 1. */
          *problem = g_strdup_printf (_("Item %u: the unit price is not an amount"), i + 1);
          return NULL;
        }
      line = crm_order_line_new ();
      crm_order_line_set_product (line, product);
      crm_order_line_set_quantity (line, gtk_spin_button_get_value_as_int (item->quantity));
      crm_order_line_set_unit_price (line, price);
      crm_order_line_set_category (line, category);
      g_ptr_array_add (lines, line);
    }

  if (*discount_text != '\0' && !parse_amount (self, discount_text, &discount))
    {
      *problem = g_strdup (_("The discount is not an amount"));
      return NULL;
    }
  if (!is_blank (gtk_editable_get_text (GTK_EDITABLE (self->date_row))))
    {
      g_autofree char *day = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->date_row))));
      gint64 placed;

      if (!parse_day (day, &placed))
        {
          *problem = g_strdup (_("The date must be a day up to today, written YYYY-MM-DD"));
          return NULL;
        }
      crm_order_set_placed_at (order, placed);
    }
  crm_order_set_customer_id (order, self->customer_id);
  crm_order_set_currency (order, self->currency);
  crm_order_set_discount (order, discount);
  n = adw_combo_row_get_selected (self->channel_row);
  crm_order_set_channel (order, crm_sales_channels ()[MIN (n, g_strv_length ((char **) crm_sales_channels ()) - 1)]);
  n = adw_combo_row_get_selected (self->payment_row);
  crm_order_set_payment_method (order, crm_sales_payment_methods ()[MIN (n, g_strv_length ((char **) crm_sales_payment_methods ()) - 1)]);
  n = adw_combo_row_get_selected (self->status_row);
  crm_order_set_status (order, crm_sales_statuses ()[MIN (n, g_strv_length ((char **) crm_sales_statuses ()) - 1)]);

  if (!crm_sales_compute_totals (order, lines, &error))
    {
      *problem = g_strdup (error->message);
      return NULL;
    }
  return g_steal_pointer (&order);
}

static void
update_totals (CrmOrderDialog *self)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *problem = NULL;
  g_autoptr(CrmOrder) order = read_form (self, lines, &problem);
  g_autofree char *subtotal = crm_format_money (order != NULL ? crm_order_get_subtotal (order) : 0, self->currency);
  g_autofree char *discount = crm_format_money (order != NULL ? crm_order_get_discount (order) : 0, self->currency);

  g_free (self->total_text);
  self->total_text = crm_format_money (order != NULL ? crm_order_get_total (order) : 0, self->currency);
  gtk_label_set_text (self->subtotal_label, order != NULL ? subtotal : "—");
  gtk_label_set_text (self->discount_label, order != NULL ? discount : "—");
  gtk_label_set_text (self->total_label, order != NULL ? self->total_text : "—");
  set_problem (self, problem);
}

static void
remove_item (GtkButton      *button,
             CrmOrderDialog *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "crm-row");

  for (guint i = 0; i < self->items->len; i++)
    if (((Item *) g_ptr_array_index (self->items, i))->row == row)
      {
        adw_preferences_group_remove (self->items_group, row);
        g_ptr_array_remove_index (self->items, i);
        break;
      }
  update_totals (self);
}

static GtkEditable *
item_entry (GtkBox     *box,
            const char *placeholder,
            const char *accessible,
            int         width_chars,
            gboolean    expand)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), width_chars);
  gtk_widget_set_hexpand (entry, expand);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  gtk_box_append (box, entry);
  return GTK_EDITABLE (entry);
}

static Item *
add_item (CrmOrderDialog *self)
{
  Item *item = g_new0 (Item, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *title = g_strdup_printf (_("Item %u"), self->items->len + 1);

  item->row = adw_preferences_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (item->row), title);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (item->row), FALSE);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);

  item->product = item_entry (GTK_BOX (box), _("Product"), _("Product"), 10, TRUE);
  item->quantity = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1, 1000000, 1));
  gtk_accessible_update_property (GTK_ACCESSIBLE (item->quantity), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Quantity"), -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (item->quantity), _("Quantity"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (item->quantity));
  item->price = item_entry (GTK_BOX (box), _("Unit price"), _("Unit price"), 8, FALSE);
  item->category = item_entry (GTK_BOX (box), _("Category"), _("Category"), 8, FALSE);

  gtk_widget_set_tooltip_text (remove, _("Remove Item"));
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  g_object_set_data (G_OBJECT (remove), "crm-row", item->row);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_item), self, 0);
  gtk_box_append (GTK_BOX (box), remove);

  g_signal_connect_object (item->product, "changed", G_CALLBACK (update_totals), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (item->price, "changed", G_CALLBACK (update_totals), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (item->category, "changed", G_CALLBACK (update_totals), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (item->quantity, "value-changed", G_CALLBACK (update_totals), self, G_CONNECT_SWAPPED);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (item->row), box);
  adw_preferences_group_add (self->items_group, item->row);
  g_ptr_array_add (self->items, item);
  return item;
}

/* ---- actions ------------------------------------------------------------------------------- */

typedef struct
{
  CrmOrder  *order;
  GPtrArray *lines;
} Write;

static void
write_free (gpointer data)
{
  Write *w = data;

  g_clear_object (&w->order);
  g_clear_pointer (&w->lines, g_ptr_array_unref);
  g_free (w);
}

static gboolean
write_order (CrmStore  *store,
             gpointer   data,
             GError   **error)
{
  Write *w = data;

  return crm_sales_add_order (store, w->order, w->lines, error);
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  g_autoptr(CrmOrderDialog) self = data;
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->cancellable);
  if (!crm_store_write_finish (CRM_STORE (source), result, &error))
    {
      set_problem (self, error->message);
      return;
    }
  if (self->window != NULL)
    crm_window_add_toast (self->window, adw_toast_new_format (_("Order of %s saved"), self->total_text));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmOrderDialog *self = CRM_ORDER_DIALOG (widget);
  Write *w = g_new0 (Write, 1);
  g_autofree char *problem = NULL;

  w->lines = g_ptr_array_new_with_free_func (g_object_unref);
  w->order = read_form (self, w->lines, &problem);
  if (w->order == NULL || self->cancellable != NULL)
    {
      set_problem (self, problem);
      write_free (w);
      return;
    }
  self->cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (widget, "order.save", FALSE);
  crm_store_write_async (self->store, write_order, w, write_free, NULL, NULL, self->cancellable,
                         on_saved, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
add_item_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CrmOrderDialog *self = CRM_ORDER_DIALOG (widget);
  Item *item = add_item (self);

  gtk_widget_grab_focus (GTK_WIDGET (item->product));
  update_totals (self);
}

/* ---- set-up -------------------------------------------------------------------------------- */

static void
fill_combo (AdwComboRow       *row,
            const char *const *keys,
            CrmCodeKind        kind)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  for (guint i = 0; keys[i] != NULL; i++)
    gtk_string_list_append (model, crm_code_get_label (kind, keys[i]));
  adw_combo_row_set_model (row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (row, 0);
}

CrmOrderDialog *
crm_order_dialog_new (CrmWindow *window,
                      gint64     customer_id)
{
  CrmOrderDialog *self = g_object_new (CRM_TYPE_ORDER_DIALOG, "transient-for", window, NULL);
  g_autoptr(CrmCustomer) customer = NULL;
  CrmSession *session = crm_window_get_session (window);

  g_set_weak_pointer (&self->window, window);
  self->store = g_object_ref (crm_window_get_store (window));
  self->customer_id = customer_id;
  g_free (self->currency);
  self->currency = session != NULL ? crm_session_dup_currency (session) : g_strdup ("CNY");
  customer = crm_store_load (self->store, CRM_TYPE_CUSTOMER, customer_id, NULL);
  if (customer != NULL)
    adw_window_title_set_subtitle (self->title_widget, crm_customer_get_name (customer));

  gtk_editable_set_text (GTK_EDITABLE (self->discount_row), "");
  {
    g_autoptr(GDateTime) today = g_date_time_new_now_local ();
    g_autofree char *text = g_date_time_format (today, "%Y-%m-%d");

    gtk_editable_set_text (GTK_EDITABLE (self->date_row), text);
  }
  add_item (self);
  update_totals (self);
  gtk_widget_grab_focus (GTK_WIDGET (((Item *) g_ptr_array_index (self->items, 0))->product));
  return self;
}

void
crm_order_dialog_open (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CrmWindow *window = CRM_WINDOW (widget);
  CrmCustomerEditor *editor = crm_customers_page_get_editor (crm_window_get_customers_page (window));
  CrmCustomer *customer = crm_customer_editor_get_customer (editor);

  if (crm_window_get_store (window) == NULL || customer == NULL || crm_customer_editor_get_is_new (editor))
    {
      crm_window_add_toast (window, adw_toast_new (_("Open a saved customer to record an order for them.")));
      return;
    }
  gtk_window_present (GTK_WINDOW (crm_order_dialog_new (window, crm_entity_get_id (CRM_ENTITY (customer)))));
}

/* ---- for tests ----------------------------------------------------------------------------- */

guint
crm_order_dialog_get_n_items (CrmOrderDialog *self)
{
  g_return_val_if_fail (CRM_IS_ORDER_DIALOG (self), 0);
  return self->items->len;
}

GtkEditable *
crm_order_dialog_get_item_entry (CrmOrderDialog *self,
                                 guint           i,
                                 guint           which)
{
  Item *item;

  g_return_val_if_fail (CRM_IS_ORDER_DIALOG (self), NULL);
  g_return_val_if_fail (i < self->items->len && which < 3, NULL);
  item = g_ptr_array_index (self->items, i);
  return which == 0 ? item->product : which == 1 ? item->price : item->category;
}

GtkSpinButton *
crm_order_dialog_get_item_quantity (CrmOrderDialog *self,
                                    guint           i)
{
  g_return_val_if_fail (CRM_IS_ORDER_DIALOG (self), NULL);
  g_return_val_if_fail (i < self->items->len, NULL);
  return ((Item *) g_ptr_array_index (self->items, i))->quantity;
}

GtkEditable *
crm_order_dialog_get_discount_entry (CrmOrderDialog *self)
{
  g_return_val_if_fail (CRM_IS_ORDER_DIALOG (self), NULL);
  return GTK_EDITABLE (self->discount_row);
}

GtkEditable *
crm_order_dialog_get_date_entry (CrmOrderDialog *self)
{
  g_return_val_if_fail (CRM_IS_ORDER_DIALOG (self), NULL);
  return GTK_EDITABLE (self->date_row);
}

const char *
crm_order_dialog_get_total_text (CrmOrderDialog *self)
{
  g_return_val_if_fail (CRM_IS_ORDER_DIALOG (self), NULL);
  return gtk_label_get_text (self->total_label);
}

const char *
crm_order_dialog_get_problem (CrmOrderDialog *self)
{
  g_return_val_if_fail (CRM_IS_ORDER_DIALOG (self), NULL);
  return self->problem;
}

/* ---- GObject ------------------------------------------------------------------------------- */

static void
crm_order_dialog_dispose (GObject *object)
{
  CrmOrderDialog *self = CRM_ORDER_DIALOG (object);

  /* A Save still waiting for another program's lock stops; nothing is half written. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_weak_pointer (&self->window);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_ORDER_DIALOG);

  G_OBJECT_CLASS (crm_order_dialog_parent_class)->dispose (object);
}

static void
crm_order_dialog_finalize (GObject *object)
{
  CrmOrderDialog *self = CRM_ORDER_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_free (self->currency);
  g_free (self->problem);
  g_free (self->total_text);

  G_OBJECT_CLASS (crm_order_dialog_parent_class)->finalize (object);
}

static void
crm_order_dialog_class_init (CrmOrderDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_order_dialog_dispose;
  object_class->finalize = crm_order_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/clientele/Clientele/ui/crm-order-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmOrderDialog, title_widget);
  gtk_widget_class_bind_template_child (widget_class, CrmOrderDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, CrmOrderDialog, items_group);
  gtk_widget_class_bind_template_child (widget_class, CrmOrderDialog, channel_row);
  gtk_widget_class_bind_template_child (widget_class, CrmOrderDialog, payment_row);
  gtk_widget_class_bind_template_child (widget_class, CrmOrderDialog, status_row);
  gtk_widget_class_bind_template_child (widget_class, CrmOrderDialog, date_row);
  gtk_widget_class_bind_template_child (widget_class, CrmOrderDialog, discount_row);
  gtk_widget_class_bind_template_child (widget_class, CrmOrderDialog, subtotal_label);
  gtk_widget_class_bind_template_child (widget_class, CrmOrderDialog, discount_label);
  gtk_widget_class_bind_template_child (widget_class, CrmOrderDialog, total_label);
  gtk_widget_class_bind_template_child (widget_class, CrmOrderDialog, error_label);

  gtk_widget_class_install_action (widget_class, "order.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "order.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "order.add-item", NULL, add_item_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "order.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "order.save", NULL);
}

static void
crm_order_dialog_init (CrmOrderDialog *self)
{
  self->items = g_ptr_array_new_with_free_func (g_free);
  self->currency = g_strdup ("CNY");

  gtk_widget_init_template (GTK_WIDGET (self));

  fill_combo (self->channel_row, crm_sales_channels (), CRM_CODE_CHANNEL);
  fill_combo (self->payment_row, crm_sales_payment_methods (), CRM_CODE_PAYMENT);
  fill_combo (self->status_row, crm_sales_statuses (), CRM_CODE_ORDER_STATUS);
  g_signal_connect_object (self->discount_row, "changed", G_CALLBACK (update_totals), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->date_row, "changed", G_CALLBACK (update_totals), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->channel_row, "notify::selected", G_CALLBACK (update_totals), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->payment_row, "notify::selected", G_CALLBACK (update_totals), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->status_row, "notify::selected", G_CALLBACK (update_totals), self, G_CONNECT_SWAPPED);
}

/* crm-coupon-batch-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-coupon-batch-dialog.h"
#include "crm-coupon.h"
#include "crm-format.h"
#include "crm-segment.h"

struct _CrmCouponBatchDialog
{
  AdwWindow      parent_instance;

  CrmStore      *store;
  char          *currency;
  GtkStringList *segments;   /* "None" first, then the saved segments by position */

  AdwEntryRow   *name_row;
  AdwEntryRow   *prefix_row;
  GtkSpinButton *count_spin;
  AdwComboRow   *segment_row;
  AdwComboRow   *kind_row;
  AdwEntryRow   *value_row;
  AdwEntryRow   *min_spend_row;
  AdwEntryRow   *from_row;
  AdwEntryRow   *until_row;
  GtkSpinButton *uses_code_spin;
  GtkSpinButton *uses_customer_spin;
  GtkLabel      *error_label;
};

G_DEFINE_FINAL_TYPE (CrmCouponBatchDialog, crm_coupon_batch_dialog, ADW_TYPE_WINDOW)

enum { CREATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static gboolean
bad (GError    **error,
     const char *message)
{
  g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, message);
  return FALSE;
}

/* "YYYY-MM-DD" in the local zone: its start, or with @end_of_day its last millisecond. */
static gboolean
parse_day (const char  *text,
           gboolean     end_of_day,
           const char  *label,
           gint64      *out,
           GError     **error)
{
  g_autoptr(GDateTime) t = NULL;
  int y, m, d;
  char extra;

  *out = 0;
  if (text == NULL || *text == '\0')
    return TRUE;
  if (sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &extra) == 3)
    t = g_date_time_new_local (y, m, d, 0, 0, 0);
  if (t == NULL || g_date_time_get_month (t) != m || g_date_time_get_day_of_month (t) != d)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   /* Translators: %s is a field such as "Valid Until" */
                   _("%s: write the day as YYYY-MM-DD"), label);
      return FALSE;
    }
  *out = g_date_time_to_unix (t) * 1000 + (end_of_day ? 86400 * 1000 - 1 : 0);
  return TRUE;
}

static gboolean
parse_amount (const char  *text,
              const char  *currency,
              const char  *label,
              gint64      *out,
              GError     **error)
{
  *out = 0;
  if (text == NULL || *text == '\0')
    return TRUE;
  if (!crm_parse_money (text, crm_currency_exponent (currency), FALSE, out) || *out < 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, _("%s: “%s” is not an amount"), label, text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_form (CrmCouponBatchDialog  *self,
           CrmCouponBatch        *b,
           GError               **error)
{
  const char *value = gtk_editable_get_text (GTK_EDITABLE (self->value_row));

  b->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  b->prefix = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->prefix_row)));
  b->currency = g_strdup (self->currency);
  b->kind = adw_combo_row_get_selected (self->kind_row) == 0 ? CRM_COUPON_PERCENT : CRM_COUPON_AMOUNT;
  if (b->kind == CRM_COUPON_PERCENT)
    {
      guint64 pct;

      if (!g_ascii_string_to_unsigned (value, 10, 1, 100, &pct, NULL))
        return bad (error, _("A percent discount must be from 1 to 100"));
      b->value = pct;
    }
  else if (!parse_amount (value, self->currency, _("Amount"), &b->value, error))
    return FALSE;
  b->uses_per_code = gtk_spin_button_get_value_as_int (self->uses_code_spin);
  b->uses_per_customer = gtk_spin_button_get_value_as_int (self->uses_customer_spin);
  return parse_amount (gtk_editable_get_text (GTK_EDITABLE (self->min_spend_row)), self->currency,
                       _("Minimum Spend"), &b->min_spend, error) &&
         parse_day (gtk_editable_get_text (GTK_EDITABLE (self->from_row)), FALSE, _("Valid From"), &b->valid_from, error) &&
         parse_day (gtk_editable_get_text (GTK_EDITABLE (self->until_row)), TRUE, _("Valid Until"), &b->valid_until, error);
}

gboolean
crm_coupon_batch_dialog_create (CrmCouponBatchDialog  *self,
                                GError               **error)
{
  g_autoptr(CrmCouponBatch) b = crm_coupon_batch_new ();
  g_autoptr(GError) local_error = NULL;
  guint segment = adw_combo_row_get_selected (self->segment_row);

  if (!read_form (self, b, &local_error) ||
      !crm_coupon_batch_create (self->store, b, gtk_spin_button_get_value_as_int (self->count_spin), &local_error) ||
      (segment > 0 && segment != GTK_INVALID_LIST_POSITION &&
       !crm_coupon_issue_segment (self->store, b, gtk_string_list_get_string (self->segments, segment), NULL,
                                  &local_error)))
    {
      gtk_label_set_label (self->error_label, local_error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_signal_emit (self, signals[CREATED], 0);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

static void
on_create_clicked (CrmCouponBatchDialog *self)
{
  crm_coupon_batch_dialog_create (self, NULL);
}

void
crm_coupon_batch_dialog_fill (CrmCouponBatchDialog *self,
                              const char           *name,
                              const char           *prefix,
                              guint                 count,
                              gboolean              percent,
                              const char           *value,
                              const char           *min_spend,
                              const char           *until,
                              const char           *segment)
{
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  gtk_editable_set_text (GTK_EDITABLE (self->prefix_row), prefix);
  gtk_spin_button_set_value (self->count_spin, count);
  adw_combo_row_set_selected (self->kind_row, percent ? 0 : 1);
  gtk_editable_set_text (GTK_EDITABLE (self->value_row), value);
  gtk_editable_set_text (GTK_EDITABLE (self->min_spend_row), min_spend ? min_spend : "");
  gtk_editable_set_text (GTK_EDITABLE (self->until_row), until ? until : "");
  adw_combo_row_set_selected (self->segment_row, 0);
  for (guint i = 1; segment != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (self->segments)); i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->segments, i), segment) == 0)
      adw_combo_row_set_selected (self->segment_row, i);
}

static void
crm_coupon_batch_dialog_finalize (GObject *object)
{
  CrmCouponBatchDialog *self = CRM_COUPON_BATCH_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->segments);
  g_free (self->currency);
  G_OBJECT_CLASS (crm_coupon_batch_dialog_parent_class)->finalize (object);
}

static void
crm_coupon_batch_dialog_class_init (CrmCouponBatchDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = crm_coupon_batch_dialog_finalize;

  signals[CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/clientele/Clientele/ui/crm-coupon-batch-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmCouponBatchDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCouponBatchDialog, prefix_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCouponBatchDialog, count_spin);
  gtk_widget_class_bind_template_child (widget_class, CrmCouponBatchDialog, segment_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCouponBatchDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCouponBatchDialog, value_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCouponBatchDialog, min_spend_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCouponBatchDialog, from_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCouponBatchDialog, until_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCouponBatchDialog, uses_code_spin);
  gtk_widget_class_bind_template_child (widget_class, CrmCouponBatchDialog, uses_customer_spin);
  gtk_widget_class_bind_template_child (widget_class, CrmCouponBatchDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_create_clicked);
}

static void
crm_coupon_batch_dialog_init (CrmCouponBatchDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CrmCouponBatchDialog *
crm_coupon_batch_dialog_new (GtkWindow  *parent,
                             CrmStore   *store,
                             const char *currency)
{
  CrmCouponBatchDialog *self = g_object_new (CRM_TYPE_COUPON_BATCH_DIALOG, "transient-for", parent, NULL);
  g_autoptr(GPtrArray) all = crm_store_list_all (store, CRM_TYPE_SEGMENT, "position", NULL);

  self->store = g_object_ref (store);
  self->currency = g_strdup (currency);
  self->segments = gtk_string_list_new (NULL);
  /* Translators: "Issue to Segment": nobody yet (the codes are made for the shop or issued later) */
  gtk_string_list_append (self->segments, C_("segment", "None"));
  for (guint i = 0; all != NULL && i < all->len; i++)
    gtk_string_list_append (self->segments, crm_segment_get_name (g_ptr_array_index (all, i)));
  adw_combo_row_set_model (self->segment_row, G_LIST_MODEL (self->segments));
  return self;
}

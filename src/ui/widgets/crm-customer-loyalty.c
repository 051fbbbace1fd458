/* crm-customer-loyalty.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-coupon.h"
#include "crm-customer-loyalty.h"
#include "crm-format.h"
#include "crm-member-card.h"
#include "crm-ui-util.h"

struct _CrmCustomerLoyalty
{
  AdwBin          parent_instance;

  CrmStore       *store;
  gint64          customer_id;
  char           *card_text;
  char           *number;       /* the live card's, or NULL */
  GPtrArray      *coupon_rows;  /* rows added to coupons_row */

  AdwActionRow   *card_row;
  GtkWidget      *issue_button;
  GtkWidget      *print_button;
  GtkWidget      *reissue_button;
  AdwExpanderRow *coupons_row;
};

G_DEFINE_FINAL_TYPE (CrmCustomerLoyalty, crm_customer_loyalty, ADW_TYPE_BIN)

static void
show_card (CrmCustomerLoyalty *self)
{
  g_autoptr(CrmMemberCard) card = crm_member_card_get (self->store, self->customer_id, NULL);

  g_clear_pointer (&self->number, g_free);
  g_free (self->card_text);
  if (card != NULL)
    {
      g_autofree char *since = crm_format_date (card->issued_at);
      g_autofree char *subtitle = NULL;

      self->number = g_strdup (card->number);
      self->card_text = crm_member_card_format (card->number);
      /* Translators: a member card's number and the day it was issued */
      subtitle = g_strdup_printf (_("%s · issued %s"), self->card_text, since);
      adw_action_row_set_subtitle (self->card_row, subtitle);
    }
  else
    {
      self->card_text = g_strdup (_("No card yet"));
      adw_action_row_set_subtitle (self->card_row, self->card_text);
    }
  gtk_widget_set_visible (self->issue_button, card == NULL);
  gtk_widget_set_visible (self->print_button, card != NULL);
  gtk_widget_set_visible (self->reissue_button, card != NULL);
}

static void
show_coupons (CrmCustomerLoyalty *self)
{
  g_autoptr(GPtrArray) open = crm_coupon_list_open (self->store, self->customer_id, 0, NULL);
  g_autofree char *count = NULL;

  for (guint i = 0; i < self->coupon_rows->len; i++)
    adw_expander_row_remove (self->coupons_row, g_ptr_array_index (self->coupon_rows, i));
  g_ptr_array_set_size (self->coupon_rows, 0);

  for (guint i = 0; open != NULL && i < open->len; i++)
    {
      CrmCouponHeld *held = g_ptr_array_index (open, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = NULL;

      if (held->valid_until > 0)
        {
          g_autofree char *until = crm_format_date (held->valid_until);
          /* Translators: a coupon: its batch, its discount and its last day */
          subtitle = g_strdup_printf (_("%s · %s · until %s"), held->batch, held->description, until);
        }
      else
        subtitle = g_strdup_printf ("%s · %s", held->batch, held->description);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), held->code);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_expander_row_add_row (self->coupons_row, row);
      g_ptr_array_add (self->coupon_rows, row);
    }
  count = open != NULL && open->len > 0 ? crm_format_count (open->len) : g_strdup (_("None"));
  adw_expander_row_set_subtitle (self->coupons_row, count);
  adw_expander_row_set_enable_expansion (self->coupons_row, open != NULL && open->len > 0);
}

void
crm_customer_loyalty_refresh (CrmCustomerLoyalty *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self), self->store != NULL && self->customer_id > 0);
  if (self->store == NULL || self->customer_id <= 0)
    return;
  show_card (self);
  show_coupons (self);
}

void
crm_customer_loyalty_set_customer (CrmCustomerLoyalty *self,
                                   CrmStore           *store,
                                   gint64              customer_id)
{
  g_return_if_fail (CRM_IS_CUSTOMER_LOYALTY (self));

  g_set_object (&self->store, store);
  self->customer_id = customer_id;
  crm_customer_loyalty_refresh (self);
}

const char *
crm_customer_loyalty_get_card_text (CrmCustomerLoyalty *self)
{
  return self->card_text;
}

guint
crm_customer_loyalty_get_n_coupons (CrmCustomerLoyalty *self)
{
  return self->coupon_rows->len;
}

/* ---- actions ------------------------------------------------------------------------------ */

static void
issue_card (GtkWidget  *widget,
            const char *action,
            GVariant   *param)
{
  CrmCustomerLoyalty *self = CRM_CUSTOMER_LOYALTY (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmMemberCard) card = crm_member_card_issue (self->store, self->customer_id, &error);

  if (card == NULL)
    crm_ui_show_toast (widget, adw_toast_new (error->message));
  crm_customer_loyalty_refresh (self);
}

gboolean
crm_customer_loyalty_reissue (CrmCustomerLoyalty  *self,
                              GError             **error)
{
  g_autoptr(CrmMemberCard) card = crm_member_card_reissue (self->store, self->customer_id, NULL, error);

  crm_customer_loyalty_refresh (self);
  if (card == NULL)
    return FALSE;
  crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (_("Card reissued: the old number is no longer valid")));
  return TRUE;
}

static void
on_reissue_response (AdwMessageDialog   *dialog,
                     const char         *response,
                     CrmCustomerLoyalty *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "reissue") == 0 && !crm_customer_loyalty_reissue (self, &error))
    crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
}

static void
reissue_card (GtkWidget  *widget,
              const char *action,
              GVariant   *param)
{
  CrmCustomerLoyalty *self = CRM_CUSTOMER_LOYALTY (widget);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), _("Reissue Member Card?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The card %s gets a new number; the old one is refused from then on."),
                                  self->card_text);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "reissue", _("_Reissue"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reissue", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_reissue_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
crm_customer_loyalty_print (CrmCustomerLoyalty  *self,
                            const char          *path,
                            GError             **error)
{
  g_autofree char *message = NULL;
  g_autofree char *name = NULL;

  if (!crm_member_card_write_pdf (self->store, self->customer_id, path, error))
    return FALSE;
  name = g_filename_display_basename (path);
  /* Translators: after Print Card…; %s is the PDF's file name */
  message = g_strdup_printf (_("Card saved as %s"), name);
  crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (message));
  return TRUE;
}

static void
on_print_response (GtkNativeDialog    *chooser,
                   int                 response,
                   CrmCustomerLoyalty *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      (path = g_file_get_path (file)) != NULL && !crm_customer_loyalty_print (self, path, &error))
    crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
  g_object_unref (chooser);
}

static void
print_card (GtkWidget  *widget,
            const char *action,
            GVariant   *param)
{
  CrmCustomerLoyalty *self = CRM_CUSTOMER_LOYALTY (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  /* The card is a PDF for whatever prints the shop's cards. */
  chooser = gtk_file_chooser_native_new (_("Save Member Card"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* Translators: the file name suggested for a member card; %s is its number */
  name = g_strdup_printf (_("card-%s.pdf"), self->number ? self->number : "");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_print_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- the widget ----------------------------------------------------------------------------- */

static void
crm_customer_loyalty_dispose (GObject *object)
{
  CrmCustomerLoyalty *self = CRM_CUSTOMER_LOYALTY (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->card_text, g_free);
  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->coupon_rows, g_ptr_array_unref);
  G_OBJECT_CLASS (crm_customer_loyalty_parent_class)->dispose (object);
}

static void
crm_customer_loyalty_class_init (CrmCustomerLoyaltyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_customer_loyalty_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/clientele/Clientele/ui/crm-customer-loyalty.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerLoyalty, card_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerLoyalty, issue_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerLoyalty, print_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerLoyalty, reissue_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerLoyalty, coupons_row);
  gtk_widget_class_install_action (widget_class, "loyalty.issue-card", NULL, issue_card);
  gtk_widget_class_install_action (widget_class, "loyalty.print-card", NULL, print_card);
  gtk_widget_class_install_action (widget_class, "loyalty.reissue-card", NULL, reissue_card);
}

static void
crm_customer_loyalty_init (CrmCustomerLoyalty *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->coupon_rows = g_ptr_array_new ();
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

/* crm-coupons-page.c
 *
 * The batches are read on the main thread: one statement over coupon_batches with a count per
 * batch through the coupon_codes_batch index — milliseconds for the hundreds of batches a shop
 * makes, whatever the number of customers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <inttypes.h>
#include <glib/gi18n.h>

#include "crm-coupon-batch-dialog.h"
#include "crm-coupon.h"
#include "crm-coupons-page.h"
#include "crm-format.h"
#include "crm-segment.h"
#include "crm-ui-util.h"

struct _CrmCouponsPage
{
  AdwBin        parent_instance;

  CrmSession   *session;
  GPtrArray    *batches;    /* CrmCouponBatch, as shown */
  GPtrArray    *subtitles;  /* char *, per row */
  gboolean      folded;

  AdwHeaderBar *header;
  GtkWidget    *back_button;
  GtkListBox   *list_box;
};

G_DEFINE_FINAL_TYPE (CrmCouponsPage, crm_coupons_page, ADW_TYPE_BIN)

enum { PROP_0, PROP_FOLDED, N_PROPS };
static GParamSpec *properties[N_PROPS];

static CrmStore *
page_store (CrmCouponsPage *self)
{
  return self->session != NULL ? crm_session_get_store (self->session) : NULL;
}

static char *
describe_figures (const CrmCouponBatch *b)
{
  g_autofree char *what = crm_coupon_batch_describe (b);
  g_autofree char *issued = crm_format_count (b->codes);
  g_autofree char *redeemed = crm_format_count (b->redeemed);

  /* Translators: a coupon batch: its discount, codes issued, codes redeemed and the rate */
  return g_strdup_printf (_("%s · %s issued · %s redeemed (%.1f %%)"), what, issued, redeemed,
                          100 * crm_coupon_batch_get_rate (b));
}

static void
on_export_clicked (GtkButton      *button,
                   CrmCouponsPage *self);
static void
on_issue_clicked (GtkButton      *button,
                  CrmCouponsPage *self);

static GtkWidget *
make_row (CrmCouponsPage       *self,
          const CrmCouponBatch *b,
          const char           *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *export = gtk_button_new_from_icon_name ("document-save-symbolic");
  GtkWidget *issue = gtk_button_new_with_mnemonic (_("_Issue…"));
  g_autofree char *tooltip = NULL;
  g_autofree char *issue_tooltip = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), b->name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (export, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (export, "flat");
  /* Translators: tooltip of a coupon batch's export button; %s is the batch */
  tooltip = g_strdup_printf (_("Export the codes of “%s”…"), b->name);
  gtk_widget_set_tooltip_text (export, tooltip);

  g_object_set_data_full (G_OBJECT (export), "crm-batch", g_strdup (b->uuid), g_free);
  g_signal_connect (export, "clicked", G_CALLBACK (on_export_clicked), self);
  gtk_widget_set_valign (issue, GTK_ALIGN_CENTER);
  /* Translators: tooltip of a coupon batch's Issue… button; %s is the batch */
  issue_tooltip = g_strdup_printf (_("Issue codes of “%s” to the members of a segment"), b->name);
  gtk_widget_set_tooltip_text (issue, issue_tooltip);
  g_object_set_data_full (G_OBJECT (issue), "crm-batch", g_strdup (b->uuid), g_free);
  g_signal_connect (issue, "clicked", G_CALLBACK (on_issue_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), issue);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), export);
  return row;
}

void
crm_coupons_page_reload (CrmCouponsPage *self)
{
  g_autoptr(GError) error = NULL;
  CrmStore *store = page_store (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL &&
         GTK_IS_LIST_BOX_ROW (child))
    gtk_list_box_remove (self->list_box, child);
  g_clear_pointer (&self->batches, g_ptr_array_unref);
  g_ptr_array_set_size (self->subtitles, 0);
  if (store == NULL)
    return;
  if (!(self->batches = crm_coupon_batch_list (store, &error)))
    {
      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }
  for (guint i = 0; i < self->batches->len; i++)
    {
      CrmCouponBatch *b = g_ptr_array_index (self->batches, i);
      char *subtitle = describe_figures (b);

      g_ptr_array_add (self->subtitles, subtitle);
      gtk_list_box_append (self->list_box, make_row (self, b, subtitle));
    }
}

/* ---- export ----------------------------------------------------------------------------- */

gboolean
crm_coupons_page_export (CrmCouponsPage  *self,
                         const char      *name,
                         const char      *path,
                         GError         **error)
{
  g_autoptr(CrmCouponBatch) b = NULL;
  g_autofree char *message = NULL;
  guint64 rows = 0;

  if (page_store (self) == NULL)
    return FALSE;
  if (!(b = crm_coupon_batch_find (page_store (self), name, error)) ||
      !crm_coupon_export_csv (page_store (self), b, path, &rows, error))
    return FALSE;
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " code exported",
                                          "%" PRIu64 " codes exported", rows), rows);
  crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (message));
  return TRUE;
}

static void
on_export_response (GtkNativeDialog *chooser,
                    int              response,
                    CrmCouponsPage  *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  const char *uuid = g_object_get_data (G_OBJECT (chooser), "crm-batch");

  if (response == GTK_RESPONSE_ACCEPT && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      (path = g_file_get_path (file)) != NULL && !crm_coupons_page_export (self, uuid, path, &error) && error != NULL)
    crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
  g_object_unref (chooser);
}

static void
on_export_clicked (GtkButton      *button,
                   CrmCouponsPage *self)
{
  const char *uuid = g_object_get_data (G_OBJECT (button), "crm-batch");
  g_autoptr(CrmCouponBatch) b = page_store (self) ? crm_coupon_batch_find (page_store (self), uuid, NULL) : NULL;
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (b == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Export Coupon Codes"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  name = g_strdup_printf ("%s.csv", b->prefix);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data_full (G_OBJECT (chooser), "crm-batch", g_strdup (uuid), g_free);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- issue ------------------------------------------------------------------------------ */

gboolean
crm_coupons_page_issue (CrmCouponsPage  *self,
                        const char      *name,
                        const char      *segment,
                        guint           *out_issued,
                        GError         **error)
{
  g_autoptr(CrmCouponBatch) b = NULL;
  g_autofree char *message = NULL;
  guint issued = 0;

  if (page_store (self) == NULL)
    return FALSE;
  if (!(b = crm_coupon_batch_find (page_store (self), name, error)) ||
      !crm_coupon_issue_segment (page_store (self), b, segment, &issued, error))
    return FALSE;
  crm_coupons_page_reload (self);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u code issued", "%u codes issued", issued), issued);
  crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (message));
  if (out_issued != NULL)
    *out_issued = issued;
  return TRUE;
}

static void
on_issue_response (AdwMessageDialog *dialog,
                   const char       *response,
                   CrmCouponsPage   *self)
{
  GtkDropDown *segments = GTK_DROP_DOWN (adw_message_dialog_get_extra_child (dialog));
  GtkStringObject *chosen = gtk_drop_down_get_selected_item (segments);
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "issue") == 0 && chosen != NULL &&
      !crm_coupons_page_issue (self, g_object_get_data (G_OBJECT (dialog), "crm-batch"),
                               gtk_string_object_get_string (chosen), NULL, &error))
    crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
}

static void
on_issue_clicked (GtkButton      *button,
                  CrmCouponsPage *self)
{
  const char *uuid = g_object_get_data (G_OBJECT (button), "crm-batch");
  g_autoptr(CrmCouponBatch) b = page_store (self) ? crm_coupon_batch_find (page_store (self), uuid, NULL) : NULL;
  g_autoptr(GPtrArray) all = page_store (self) ? crm_store_list_all (page_store (self), CRM_TYPE_SEGMENT, "position", NULL) : NULL;
  GtkStringList *names = gtk_string_list_new (NULL);
  GtkWidget *dialog, *segments;

  if (b == NULL || all == NULL || all->len == 0)
    {
      g_object_unref (names);
      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (_("Save a segment first: codes are issued to its members")));
      return;
    }
  for (guint i = 0; i < all->len; i++)
    gtk_string_list_append (names, crm_segment_get_name (g_ptr_array_index (all, i)));
  segments = gtk_drop_down_new (G_LIST_MODEL (names), NULL);
  crm_ui_set_accessible_name (segments, _("Segment"));

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), _("Issue Coupon Codes"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Every member of the segment who holds no code of “%s” gets one."), b->name);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), segments);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "issue", _("_Issue"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "issue", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "issue");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "crm-batch", g_strdup (uuid), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_issue_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- new batch -------------------------------------------------------------------------- */

static void
on_batch_created (CrmCouponsPage *self)
{
  crm_coupons_page_reload (self);
  crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (_("Coupon batch made")));
}

GtkWindow *
crm_coupons_page_new_batch (CrmCouponsPage *self)
{
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *currency = NULL;
  CrmCouponBatchDialog *dialog;

  if (page_store (self) == NULL)
    return NULL;
  settings = g_settings_new (APP_ID);
  currency = crm_ui_shop_currency (page_store (self), settings);
  dialog = crm_coupon_batch_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), page_store (self), currency);
  g_signal_connect_object (dialog, "created", G_CALLBACK (on_batch_created), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

static void
new_batch_action (GtkWidget  *widget,
                  const char *action,
                  GVariant   *param)
{
  crm_coupons_page_new_batch (CRM_COUPONS_PAGE (widget));
}

/* ---- the page --------------------------------------------------------------------------- */

guint
crm_coupons_page_get_n_batches (CrmCouponsPage *self)
{
  return self->batches != NULL ? self->batches->len : 0;
}

const char *
crm_coupons_page_get_subtitle (CrmCouponsPage *self,
                               const char     *name)
{
  for (guint i = 0; self->batches != NULL && i < self->batches->len; i++)
    if (g_strcmp0 (((CrmCouponBatch *) g_ptr_array_index (self->batches, i))->name, name) == 0)
      return g_ptr_array_index (self->subtitles, i);
  return NULL;
}

void
crm_coupons_page_set_session (CrmCouponsPage *self,
                              CrmSession     *session)
{
  g_return_if_fail (CRM_IS_COUPONS_PAGE (self));

  if (g_set_object (&self->session, session))
    crm_coupons_page_reload (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "coupons.new-batch", session != NULL);
}

void
crm_coupons_page_set_folded (CrmCouponsPage *self,
                             gboolean        folded)
{
  crm_ui_page_set_folded (G_OBJECT (self), properties[PROP_FOLDED], &self->folded, folded,
                          self->back_button, self->header);
}

static void
crm_coupons_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (crm_coupons_page_parent_class)->map (widget);
  /* Another program (the CLI) may have made or redeemed codes meanwhile. */
  crm_coupons_page_reload (CRM_COUPONS_PAGE (widget));
}

static void
crm_coupons_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  if (prop_id == PROP_FOLDED)
    g_value_set_boolean (value, CRM_COUPONS_PAGE (object)->folded);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
crm_coupons_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  if (prop_id == PROP_FOLDED)
    crm_coupons_page_set_folded (CRM_COUPONS_PAGE (object), g_value_get_boolean (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
crm_coupons_page_dispose (GObject *object)
{
  CrmCouponsPage *self = CRM_COUPONS_PAGE (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->batches, g_ptr_array_unref);
  g_clear_pointer (&self->subtitles, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), CRM_TYPE_COUPONS_PAGE);
  G_OBJECT_CLASS (crm_coupons_page_parent_class)->dispose (object);
}

static void
crm_coupons_page_class_init (CrmCouponsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_coupons_page_dispose;
  object_class->get_property = crm_coupons_page_get_property;
  object_class->set_property = crm_coupons_page_set_property;
  widget_class->map = crm_coupons_page_map;

  properties[PROP_FOLDED] = g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                                                  G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/clientele/Clientele/ui/crm-coupons-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmCouponsPage, header);
  gtk_widget_class_bind_template_child (widget_class, CrmCouponsPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCouponsPage, list_box);
  gtk_widget_class_install_action (widget_class, "coupons.new-batch", NULL, new_batch_action);
}

static void
crm_coupons_page_init (CrmCouponsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->subtitles = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "coupons.new-batch", FALSE);
}

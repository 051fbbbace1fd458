/* test-campaigns.c: the Campaigns section as a user meets it — New Campaign… with a live
 * preview for a chosen recipient, a wrong field named at once, creating it, sending it to a
 * real SMTP server (aiosmtpd) with progress, and every recipient's status.
 *
 * Runs in English and in zh_CN (see meson.build).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "crm-application.h"
#include "crm-campaigns-page-private.h"
#include "crm-campaigns.h"
#include "crm-customer.h"
#include "crm-segment.h"
#include "crm-smtp-test-util.h"
#include "crm-test-util.h"
#include "crm-ui-test-util.h"
#include "crm-preferences-window.h"
#include "crm-smtp-page.h"
#include "crm-window.h"

static CrmApplication *app;
static CrmWindow *window;
static CrmCampaignsPage *page;
static char *db_path;
static CrmTestSmtp *smtp;

static void
add_customer (CrmStore   *store,
              const char *name,
              const char *email,
              gboolean    consent)
{
  g_autoptr(CrmCustomer) c = crm_customer_new ();
  g_autoptr(GError) error = NULL;

  crm_customer_set_name (c, name);
  crm_customer_set_email (c, email);
  crm_customer_set_email_consent (c, consent);
  crm_customer_set_city (c, "上海");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
}

static void
seed_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_store_open (db_path, &error);
  g_autoptr(CrmSegment) s = crm_segment_new ();
  g_autoptr(CrmSmtpSettings) settings = g_new0 (CrmSmtpSettings, 1);

  g_assert_no_error (error);
  add_customer (store, "王芳", "wang@example.com", TRUE);
  add_customer (store, "李娜", "li@example.com", TRUE);
  add_customer (store, "张伟", "zhang@example.com", FALSE);
  crm_segment_set_name (s, "上海客户");
  crm_segment_set_rule (s, "{\"match\":\"all\",\"rules\":[{\"field\":\"city\",\"op\":\"is\",\"value\":\"上海\"}]}");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (s), &error));

  /* The mail server: the test's sink, no login (so no keyring). */
  settings->host = g_strdup ("127.0.0.1");
  settings->port = smtp->port;
  settings->security = CRM_SMTP_NONE;
  settings->from = g_strdup ("茶叶小铺 <shop@example.com>");
  g_assert_true (crm_smtp_settings_save (store, settings, NULL, &error));
  g_assert_no_error (error);
}

static gboolean
not_sampling (gpointer data)
{
  return !crm_campaigns_page_get_sampling (page);
}

static gboolean
not_loading (gpointer data)
{
  return !crm_campaigns_page_get_loading (page);
}

static gboolean
preview_has (gpointer text)
{
  const char *preview = crm_campaigns_page_get_preview_text (page);
  return preview != NULL && strstr (preview, text) != NULL;
}

static gboolean
list_has_rows (gpointer list)
{
  return gtk_list_box_get_row_at_index (list, 0) != NULL;
}

static void
test_new_campaign (void)
{
  GtkWindow *dialog;

  g_assert_true (crm_window_set_section (window, "campaigns"));
  g_assert_true (wait_until (not_loading, NULL, 5000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "campaigns.new", NULL));
  dialog = crm_campaigns_page_get_new_dialog (page);
  g_assert_true (wait_until (is_mapped, dialog, 5000));

  /* The segment is the only one; its customers are offered for the preview. */
  adw_combo_row_set_selected (crm_campaigns_page_get_segment_row (page), 0);
  g_assert_true (wait_until (not_sampling, NULL, 5000));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (crm_campaigns_page_get_recipient_row (page))), ==, 3);

  gtk_editable_set_text (GTK_EDITABLE (crm_campaigns_page_get_name_row (page)), "春茶上新");
  gtk_editable_set_text (GTK_EDITABLE (crm_campaigns_page_get_subject_row (page)), "{{name}}，春茶上新");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (crm_campaigns_page_get_body_view (page)),
                            "亲爱的{{name}}：\n新茶到了。{{nmae}}", -1);
  /* A wrong field is named at once, and Create waits for it. */
  g_assert_true (preview_has ("{{nmae}}"));
  g_assert_false (gtk_widget_get_sensitive (crm_campaigns_page_get_create_button (page)));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (crm_campaigns_page_get_body_view (page)),
                            "亲爱的{{name}}：\n新茶到了。\n{{shop}}", -1);
  g_assert_true (gtk_widget_get_sensitive (crm_campaigns_page_get_create_button (page)));
  /* The preview for the first customer (by name), then for another one chosen. */
  {
    guint n = g_list_model_get_n_items (adw_combo_row_get_model (crm_campaigns_page_get_recipient_row (page)));
    g_autofree char *wang = NULL;

    for (guint i = 0; i < n; i++)
      {
        GtkStringObject *o = g_list_model_get_item (adw_combo_row_get_model (crm_campaigns_page_get_recipient_row (page)), i);

        if (g_str_has_prefix (gtk_string_object_get_string (o), "王芳"))
          adw_combo_row_set_selected (crm_campaigns_page_get_recipient_row (page), i);
        g_object_unref (o);
      }
  }
  g_assert_true (preview_has ("王芳，春茶上新"));
  g_assert_true (preview_has ("亲爱的王芳：\n新茶到了。\n茶叶小铺"));
  g_assert_true (preview_has ("unsubscribe-"));
  g_assert_true (preview_has ("wang@example.com"));
  spin (200);
  ui_test_keep_png (GTK_WIDGET (dialog), "campaign-new");

  gtk_widget_activate (crm_campaigns_page_get_create_button (page));
  g_assert_true (wait_until (is_hidden, dialog, 5000));
  g_assert_true (wait_until (list_has_rows, crm_campaigns_page_get_campaign_list (page), 5000));
  g_assert_true (wait_until (not_loading, NULL, 5000));
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_shown_window (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
two_received (gpointer data)
{
  g_autoptr(GPtrArray) messages = crm_test_smtp_messages (smtp);
  return messages->len == 2;
}

static gboolean
recipients_show_sent (gpointer data)
{
  return find_label (GTK_WIDGET (crm_campaigns_page_get_recipient_list (page)),
                     g_dpgettext2 (GETTEXT_PACKAGE, "campaign", "Sent")) != NULL ||
         find_label (GTK_WIDGET (crm_campaigns_page_get_recipient_list (page)), _("Sent")) != NULL;
}

static void
test_send (void)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (crm_campaigns_page_get_campaign_list (page), 0);
  GtkWidget *dialog;

  gtk_list_box_select_row (crm_campaigns_page_get_campaign_list (page), row);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "campaigns.send", NULL));
  g_assert_true (wait_until (message_dialog_shown, NULL, 5000));
  dialog = find_shown_window (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "send");
  g_assert_true (wait_until (two_received, NULL, 20000));
  g_assert_true (wait_until (recipients_show_sent, NULL, 20000));
  /* The one without consent is listed as skipped. */
  g_assert_nonnull (find_label (GTK_WIDGET (crm_campaigns_page_get_recipient_list (page)), _("Skipped: no consent")));
  ui_test_keep_png (GTK_WIDGET (window), "campaigns");
}

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  title)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static gboolean
from_saved (gpointer data)
{
  g_autoptr(CrmStore) store = crm_store_open (db_path, NULL);
  g_autofree char *from = store ? crm_store_get_setting (store, "smtp.from") : NULL;

  return g_strcmp0 (from, "Tea Shop <tea@example.com>") == 0;
}

/* Preferences › E-mail shows the saved server and saves a change. */
static void
test_preferences (void)
{
  GtkWidget *prefs = NULL;
  GtkWidget *smtp_page, *host, *from;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.preferences", NULL));
  spin (50);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (CRM_IS_PREFERENCES_WINDOW (l->data))
      prefs = l->data;
  g_assert_nonnull (prefs);
  smtp_page = find_widget (prefs, CRM_TYPE_SMTP_PAGE);
  g_assert_nonnull (smtp_page);
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (prefs), ADW_PREFERENCES_PAGE (smtp_page));
  spin (50);
  host = find_widget_matching (smtp_page, is_row_titled, _("Server"));
  from = find_widget_matching (smtp_page, is_row_titled, _("Sender Name and Address"));
  g_assert_nonnull (host);
  g_assert_nonnull (from);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (host)), ==, "127.0.0.1");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (from)), ==, "茶叶小铺 <shop@example.com>");

  gtk_editable_set_text (GTK_EDITABLE (from), "Tea Shop <tea@example.com>");
  g_assert_true (gtk_widget_activate_action (smtp_page, "smtp.save", NULL));
  g_assert_true (wait_until (from_saved, NULL, 10000));
  gtk_window_destroy (GTK_WINDOW (prefs));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  crm_test_init (&argc, &argv);
  ui_test_init_i18n ();

  smtp = crm_test_smtp_start (NULL);
  db_path = crm_test_db_path ();
  seed_database ();

  window = ui_test_open_window (db_path, 1200, 760, &app);
  page = crm_window_get_campaigns_page (window);

  g_test_add_func ("/ui/campaigns/new", test_new_campaign);
  g_test_add_func ("/ui/campaigns/send", test_send);
  g_test_add_func ("/ui/campaigns/preferences", test_preferences);

  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);
  crm_test_smtp_free (smtp);
  g_free (db_path);

  return ret;
}

/* test-feedback.c: a complaint filed and worked the way a shop owner would — "Add Feedback…"
 * on the customer's page, then the Feedback section: the complaint listed, only the legal next
 * statuses offered, start work with an assignee and a note, resolve, close, re-open; the
 * history grows with every step and the filters (open, overdue, mine) follow.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "crm-application.h"
#include "crm-customer-editor.h"
#include "crm-customer-timeline.h"
#include "crm-feedback-dialog.h"
#include "crm-feedback-page.h"
#include "crm-feedback-service.h"
#include "crm-segment.h"
#include "crm-test-util.h"
#include "crm-timeline.h"
#include "crm-ui-test-util.h"
#include "crm-window.h"

static CrmApplication *app;
static CrmWindow *window;
static CrmStore *store;
static char *db_path;
static gint64 customer_id;

static gboolean
dialog_gone (gpointer data)
{
  return find_shown_window (CRM_TYPE_FEEDBACK_DIALOG) == NULL;
}

static gboolean
page_has (gpointer n)
{
  CrmFeedbackPage *page = crm_window_get_feedback_page (window);

  return !crm_feedback_page_get_loading (page) && !crm_feedback_page_get_saving (page) &&
         crm_feedback_page_get_items (page) != NULL &&
         crm_feedback_page_get_items (page)->len == GPOINTER_TO_UINT (n);
}

static gboolean
segment_offered (gpointer data)
{
  GListModel *model = gtk_drop_down_get_model (crm_feedback_page_get_segment_dropdown (crm_window_get_feedback_page (window)));

  return model != NULL && g_list_model_get_n_items (model) == 2;
}

static gboolean
shown_status_is (gpointer status)
{
  CrmFeedbackPage *page = crm_window_get_feedback_page (window);
  CrmFeedback *shown = crm_feedback_page_get_shown (page);

  return !crm_feedback_page_get_loading (page) && !crm_feedback_page_get_saving (page) && shown != NULL &&
         g_strcmp0 (crm_feedback_get_status (shown), status) == 0;
}

/* Clicks the button of @status and waits until the item shows it. */
static void
step (const char *status)
{
  CrmFeedbackPage *page = crm_window_get_feedback_page (window);
  GtkButton *button = crm_feedback_page_get_status_button (page, status);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (button)));
  g_signal_emit_by_name (button, "clicked");
  if (!wait_until (shown_status_is, (gpointer) status, 5000))
    {
      g_autofree char *stored = crm_test_query_text (store, "SELECT status FROM feedback WHERE kind = 'complaint'");
      CrmFeedback *shown = crm_feedback_page_get_shown (page);

      g_error ("not %s: stored %s, shown %s, loading %d, saving %d", status, stored,
               shown != NULL ? crm_feedback_get_status (shown) : "none", crm_feedback_page_get_loading (page),
               crm_feedback_page_get_saving (page));
    }
}

static gboolean
timeline_shows_complaint (gpointer data)
{
  CrmCustomerEditor *editor = crm_customers_page_get_editor (crm_window_get_customers_page (window));
  GPtrArray *rows = crm_customer_timeline_get_event_rows (crm_customer_editor_get_timeline (editor));
  const char *subtitle;

  if (rows->len == 0)
    return FALSE;
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (rows->pdata[0]));
  return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (rows->pdata[0])),
                    "The teapot lid was cracked") == 0 &&
         strstr (subtitle, crm_feedback_kind_get_label ("complaint")) != NULL &&
         strstr (subtitle, crm_feedback_status_get_label ("open")) != NULL;
}

static void
test_file_complaint (void)
{
  CrmFeedbackDialog *dialog;
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_customers_page_open_customer (crm_window_get_customers_page (window), customer_id));
  spin (50);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.add-feedback", NULL));
  g_assert_true (wait_until (window_mapped, GSIZE_TO_POINTER (CRM_TYPE_FEEDBACK_DIALOG), 5000));
  dialog = CRM_FEEDBACK_DIALOG (find_shown_window (CRM_TYPE_FEEDBACK_DIALOG));
  assert_controls_named (GTK_WIDGET (dialog));
  crm_feedback_dialog_set_kind (dialog, "complaint");
  crm_feedback_dialog_set_priority (dialog, "urgent");
  gtk_editable_set_text (crm_feedback_dialog_get_text_entry (dialog), "The teapot lid was cracked");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "feedback.save", NULL));
  g_assert_true (wait_until (dialog_gone, NULL, 5000));

  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM feedback WHERE kind = 'complaint'"
                                              " AND priority = 'urgent' AND status = 'open'"), ==, 1);
  g_assert_cmpint (crm_test_query_int (store, "SELECT due_at - received_at FROM feedback WHERE kind = 'complaint'"),
                   ==, 4 * 3600 * 1000);

  /* On the customer's timeline at once: what it is and where its workflow stands. */
  g_assert_true (wait_until (timeline_shows_complaint, NULL, 5000));
}

static void
test_workflow (void)
{
  CrmFeedbackPage *page = crm_window_get_feedback_page (window);

  g_assert_true (crm_window_set_section (window, "feedback"));
  /* The complaint and the survey answer of the seed. */
  g_assert_true (wait_until (page_has, GUINT_TO_POINTER (2), 5000));
  assert_controls_named (GTK_WIDGET (page));
  g_assert_nonnull (crm_feedback_page_get_summary (page));
  /* The seed's promoter yesterday: this month's NPS in the trend (a 9 of one answer). */
  g_assert_nonnull (strstr (crm_feedback_page_get_trend (page), "+100"));

  /* The scores of a saved segment's customers: Mei Lin is not in Shanghai. */
  g_assert_true (wait_until (segment_offered, NULL, 5000));
  gtk_drop_down_set_selected (crm_feedback_page_get_segment_dropdown (page), 1);
  g_assert_true (wait_until (page_has, GUINT_TO_POINTER (2), 5000));
  g_assert_null (strstr (crm_feedback_page_get_trend (page), "+100"));
  gtk_drop_down_set_selected (crm_feedback_page_get_segment_dropdown (page), 0);
  g_assert_true (wait_until (page_has, GUINT_TO_POINTER (2), 5000));
  g_assert_nonnull (strstr (crm_feedback_page_get_trend (page), "+100"));

  gtk_toggle_button_set_active (crm_feedback_page_get_filter (page, "open"), TRUE);
  g_assert_true (wait_until (page_has, GUINT_TO_POINTER (1), 5000));
  crm_feedback_page_select (page, 0);
  g_assert_cmpstr (crm_feedback_get_kind (crm_feedback_page_get_shown (page)), ==, "complaint");
  g_assert_cmpuint (crm_feedback_page_get_n_history (page), ==, 1);

  /* Open: start work, wait on the customer or resolve; never close straight away. */
  g_assert_nonnull (crm_feedback_page_get_status_button (page, "in-progress"));
  g_assert_nonnull (crm_feedback_page_get_status_button (page, "waiting"));
  g_assert_nonnull (crm_feedback_page_get_status_button (page, "resolved"));
  g_assert_null (crm_feedback_page_get_status_button (page, "closed"));
  g_assert_null (crm_feedback_page_get_status_button (page, "open"));

  gtk_editable_set_text (crm_feedback_page_get_assignee_entry (page), crm_timeline_user_name ());
  gtk_editable_set_text (crm_feedback_page_get_note_entry (page), "Called back, sending a new lid");
  step ("in-progress");
  g_assert_cmpstr (crm_feedback_get_assignee (crm_feedback_page_get_shown (page)), ==, crm_timeline_user_name ());
  g_assert_cmpuint (crm_feedback_page_get_n_history (page), ==, 2);
  g_assert_null (crm_feedback_page_get_status_button (page, "in-progress"));

  /* Mine: assigned to this account. */
  gtk_toggle_button_set_active (crm_feedback_page_get_filter (page, "mine"), TRUE);
  g_assert_true (wait_until (page_has, GUINT_TO_POINTER (1), 5000));
  crm_feedback_page_select (page, 0);

  /* Resolved is not open any more: the open filter leaves it out. */
  g_signal_emit_by_name (crm_feedback_page_get_status_button (page, "resolved"), "clicked");
  g_assert_true (wait_until (page_has, GUINT_TO_POINTER (0), 5000));
  g_assert_null (crm_feedback_page_get_shown (page));
  gtk_toggle_button_set_active (crm_feedback_page_get_filter (page, "open"), FALSE);
  g_assert_true (wait_until (page_has, GUINT_TO_POINTER (1), 5000));
  crm_feedback_page_select (page, 0);
  g_assert_nonnull (crm_feedback_page_get_status_button (page, "closed"));
  g_assert_nonnull (crm_feedback_page_get_status_button (page, "open"));
  step ("closed");
  g_assert_null (crm_feedback_page_get_status_button (page, "resolved"));
  step ("open");
  g_assert_cmpuint (crm_feedback_page_get_n_history (page), ==, 5);
  /* The section's crossfade is done before the picture (a loaded X server draws late). */
  if (g_getenv ("CRM_TEST_KEEP_PNG_DIR") != NULL)
    spin (1500);
  ui_test_keep_png (GTK_WIDGET (window), "feedback");

  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM feedback_history"), ==, 5);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM feedback_history"
                                              " WHERE note = 'Called back, sending a new lid'"), ==, 1);
  gtk_toggle_button_set_active (crm_feedback_page_get_filter (page, "mine"), FALSE);
}

static void
seed_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmFeedback) answer = crm_feedback_new ();
  g_autoptr(CrmSegment) segment = crm_segment_new ();

  store = crm_store_open (db_path, &error);
  g_assert_no_error (error);
  customer_id = crm_test_add_customer (store, "Mei Lin");
  crm_feedback_set_customer_id (answer, customer_id);
  crm_feedback_set_kind (answer, "nps");
  crm_feedback_set_score (answer, 9);
  crm_feedback_set_received_at (answer, crm_now_ms () - 86400000);
  g_assert_true (crm_feedback_add (store, answer, NULL, &error));
  g_assert_no_error (error);
  crm_segment_set_name (segment, "上海");
  crm_segment_set_rule (segment, "{\"field\":\"city\",\"op\":\"is\",\"value\":\"上海\"}");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (segment), &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* Accessible names are checked (assert_controls_named()): a test a11y context. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  crm_test_init (&argc, &argv);
  ui_test_init_i18n ();

  db_path = crm_test_db_path ();
  seed_database ();

  window = ui_test_open_window (db_path, 1200, 760, &app);
  g_assert_nonnull (crm_window_get_store (window));

  g_test_add_func ("/ui/feedback/file-complaint", test_file_complaint);
  g_test_add_func ("/ui/feedback/workflow", test_workflow);

  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&store);
  g_clear_object (&app);
  g_free (db_path);

  return ret;
}

/* test-import.c: importing, exporting, merging and the order history as a user
 * meets them in the app — the dialogs on a real window over a temporary database.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "crm-application.h"
#include "crm-customers-page.h"
#include "crm-export-dialog.h"
#include "crm-format.h"
#include "crm-import-dialog-private.h"
#include "crm-merge-dialog.h"
#include "crm-order-history.h"
#include "crm-order-line.h"
#include "crm-order.h"
#include "crm-test-util.h"
#include "crm-ui-test-util.h"
#include "crm-window.h"

static CrmApplication *app;
static CrmWindow *window;
static CrmCustomersPage *page;
static CrmStore *store;   /* the test's own connection, to check what was written */
static char *db_path;

static gboolean
is_null (gpointer pointer_to_pointer)
{
  return *(gpointer *) pointer_to_pointer == NULL;
}

static gboolean
list_idle (gpointer data)
{
  CrmCustomerList *list = crm_customers_page_get_list (page);

  return list != NULL && !crm_customer_list_get_loading (list);
}

static gint64
count (const char *sql)
{
  return crm_test_query_int (store, sql);
}

static char *
text (const char *sql)
{
  return crm_test_query_text (store, sql);
}

#define assert_text(sql, expected) \
  G_STMT_START { g_autofree char *_t = text (sql); g_assert_cmpstr (_t, ==, expected); } G_STMT_END

static CrmImportDialog *
open_import (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  CrmImportDialog *dialog = crm_import_dialog_new (window, file);

  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (wait_until (is_mapped, dialog, 5000));
  return dialog;
}

static gboolean
page_is_not (gpointer data)
{
  CrmImportDialog *dialog = ((gpointer *) data)[0];

  return g_strcmp0 (crm_import_dialog_get_page (dialog), ((gpointer *) data)[1]) != 0;
}

/* Runs the import from where the dialog is and waits for its end. */
static void
run_import (CrmImportDialog *dialog)
{
  gpointer args[] = { dialog, (gpointer) "progress" };

  /* Next, through the mapping page when the file is not a known export. */
  if (g_strcmp0 (crm_import_dialog_get_page (dialog), "setup") == 0)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.next", NULL));
  if (g_strcmp0 (crm_import_dialog_get_page (dialog), "mapping") == 0)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.next", NULL));
  g_assert_true (wait_until (page_is_not, args, 60000));
}

static const char *
selected_string (AdwComboRow *row)
{
  GObject *item = adw_combo_row_get_selected_item (row);

  return item != NULL ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;
}

/* Selects the entry of @dropdown labelled like @field. */
static void
map_column (CrmImportDialog *dialog,
            guint            column,
            const char      *field)
{
  GtkDropDown *dropdown = crm_import_dialog_get_mapping_dropdown (dialog, column);
  GListModel *model;
  const char *label = crm_import_field_get_label (CRM_IMPORT_CUSTOMERS, field);

  g_assert_nonnull (dropdown);
  model = gtk_drop_down_get_model (dropdown);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), label) == 0)
        {
          gtk_drop_down_set_selected (dropdown, i);
          return;
        }
    }
  g_assert_not_reached ();
}

static const char *
dropdown_string (GtkDropDown *dropdown)
{
  GObject *item = gtk_drop_down_get_selected_item (dropdown);

  return item != NULL ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;
}

/* Import ------------------------------------------------------------------- */

static void
test_import_gbk (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "import", "gbk-customers.csv", NULL);
  CrmImportDialog *dialog;
  const char *encoding;
  gint64 before = crm_store_count (store, CRM_TYPE_CUSTOMER, NULL);
  g_autofree char *count_text = NULL;

  dialog = open_import (path);
  g_assert_cmpstr (crm_import_dialog_get_page (dialog), ==, "setup");

  /* What was detected is what the user reads. */
  encoding = selected_string (crm_import_dialog_get_encoding_row (dialog));
  g_assert_true (g_strcmp0 (encoding, crm_csv_encoding_get_label (CRM_CSV_ENCODING_GB18030)) == 0 ||
                 g_strcmp0 (encoding, crm_csv_encoding_get_label (CRM_CSV_ENCODING_GBK)) == 0);
  g_assert_cmpstr (crm_import_dialog_get_format_text (dialog), ==,
                   crm_import_format_get_label (CRM_IMPORT_FORMAT_GENERIC));
  g_assert_cmpstr (selected_string (crm_import_dialog_get_kind_row (dialog)), ==, "Customers");

  /* Not a known export: Next leads to the mapping, which shows the Chinese headers mapped. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.next", NULL));
  g_assert_cmpstr (crm_import_dialog_get_page (dialog), ==, "mapping");
  g_assert_cmpstr (dropdown_string (crm_import_dialog_get_mapping_dropdown (dialog, 0)), ==,
                   crm_import_field_get_label (CRM_IMPORT_CUSTOMERS, "name"));
  g_assert_nonnull (find_label (GTK_WIDGET (dialog), "张伟"));
  g_assert_nonnull (find_label (GTK_WIDGET (dialog), "手机"));

  run_import (dialog);
  g_assert_cmpstr (crm_import_dialog_get_page (dialog), ==, "summary");
  g_assert_nonnull (find_label (GTK_WIDGET (dialog), "Imported 3 customers"));

  g_assert_cmpint (crm_store_count (store, CRM_TYPE_CUSTOMER, NULL), ==, before + 3);
  assert_text ("SELECT city || '|' || company FROM customers WHERE name = '张伟'", "北京|伟业公司");

  /* The list behind the dialog shows them. */
  g_assert_true (wait_until (list_idle, NULL, 5000));
  count_text = g_strdup_printf ("%" G_GINT64_FORMAT " customers", before + 3);
  g_assert_cmpstr (crm_customers_page_get_count_text (page), ==, count_text);

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_import_mapping (void)
{
  const char *csv = "Kunde,Lieblingsfarbe,Egal\nMapping Person,blau,x\nZweite Person,grün,y\n";
  g_autofree char *path = crm_test_write_file ("mapping.csv", csv, -1);
  CrmImportDialog *dialog = open_import (path);

  g_assert_cmpstr (crm_import_dialog_get_format_text (dialog), ==,
                   crm_import_format_get_label (CRM_IMPORT_FORMAT_GENERIC));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.next", NULL));
  g_assert_cmpstr (crm_import_dialog_get_page (dialog), ==, "mapping");

  /* Nothing here is known; the user says what the columns are. */
  map_column (dialog, 0, "name");
  map_column (dialog, 1, "notes");
  g_assert_cmpstr (crm_importer_get_mapping (crm_import_dialog_get_importer (dialog), 1), ==, "notes");
  g_assert_null (crm_importer_get_mapping (crm_import_dialog_get_importer (dialog), 2));

  run_import (dialog);
  g_assert_cmpstr (crm_import_dialog_get_page (dialog), ==, "summary");
  assert_text ("SELECT notes FROM customers WHERE name = 'Mapping Person'", "blau");
  assert_text ("SELECT notes FROM customers WHERE name = 'Zweite Person'", "grün");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* The same columns again: the mapping is remembered. */
  dialog = open_import (path);
  g_assert_cmpstr (dropdown_string (crm_import_dialog_get_mapping_dropdown (dialog, 1)), ==,
                   crm_import_field_get_label (CRM_IMPORT_CUSTOMERS, "notes"));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_import_rejects (void)
{
  const char *csv =
    "name,email,birthday\n"
    "Reject Good 1,good1@example.com,1990-01-01\n"
    "Reject Good 2,good2@example.com,1990-01-02\n"
    ",not-an-email,1990-01-03\n"
    "Reject Good 3,good3@example.com,1990-01-04\n"
    "Warn Bad Mail,bad-mail,1990-01-05\n"
    "Reject Good 5,good5@example.com,1990-01-06\n"
    ",,2023-02-30\n"
    "Warn Bad Day,bad.day@example.com,2023-02-30\n";
  g_autofree char *path = crm_test_write_file ("rejects.csv", csv, -1);
  g_autofree char *saved = g_build_filename (crm_test_tmp_dir (), "saved-rejects.csv", NULL);
  g_autoptr(GFile) saved_file = g_file_new_for_path (saved);
  g_autofree char *planted = g_strconcat (saved, ".partial", NULL);
  g_autofree char *precious = g_build_filename (crm_test_tmp_dir (), "precious", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  CrmImportDialog *dialog = open_import (path);
  GStatBuf st;
  GtkListBox *list;
  GtkListBoxRow *row;

  run_import (dialog);
  g_assert_cmpstr (crm_import_dialog_get_page (dialog), ==, "summary");
  g_assert_cmpint (count ("SELECT count(*) FROM customers WHERE name LIKE 'Reject Good %'"), ==, 4);
  /* One bad cell costs no row (issue 12): these two are in, the values in their notes. */
  g_assert_cmpint (count ("SELECT count(*) FROM customers WHERE name LIKE 'Warn Bad %' AND notes <> ''"), ==, 2);

  /* Each rejected row (nothing names the customer), by its line in the file. */
  list = crm_import_dialog_get_rejects_list (dialog);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (list)));
  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Line 4");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "not-an-email"));
  row = gtk_list_box_get_row_at_index (list, 1);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Line 8");
  g_assert_null (gtk_list_box_get_row_at_index (list, 2));

  /* The summary lists the values not imported as they were, by line and column. */
  list = crm_import_dialog_get_warnings_list (dialog);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (list)));
  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Line 6, column “email”");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "kept in the notes"));
  row = gtk_list_box_get_row_at_index (list, 1);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Line 9, column “birthday”");
  g_assert_null (gtk_list_box_get_row_at_index (list, 2));

  /* "Save Rejected Rows…" writes them where the user chose: 0600, and never through a link
   * planted at a name beside it. */
  g_assert_true (g_file_set_contents (precious, "precious", -1, NULL));
  g_assert_cmpint (symlink (precious, planted), ==, 0);
  g_assert_true (crm_import_dialog_save_rejects (dialog, saved_file, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (saved, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (precious, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "precious");
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (saved, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "not-an-email"));
  g_assert_nonnull (strstr (contents, "2023-02-30"));
  g_assert_null (strstr (contents, "good1@example.com"));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
rows_counted (gpointer data)
{
  const char *label = gtk_progress_bar_get_text (data);

  return gtk_progress_bar_get_fraction (data) > 0.0 && label != NULL && strstr (label, "rows/s") != NULL;
}

static void
test_import_cancel (void)
{
  g_autoptr(GString) csv = g_string_new ("name,email,phone,city,notes\n");
  g_autofree char *path = NULL;
  CrmImportDialog *dialog;
  gint64 before = crm_store_count (store, CRM_TYPE_CUSTOMER, NULL);
  gpointer args[2];

  for (guint i = 0; i < 200000; i++)
    g_string_append_printf (csv, "Cancel Person %u,cancel%u@example.com,+86 139 %04u %04u,City %u,note %u\n",
                            i, i, i / 10000, i % 10000, i % 97, i);
  path = crm_test_write_file ("big.csv", csv->str, csv->len);

  dialog = open_import (path);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.next", NULL));
  if (g_strcmp0 (crm_import_dialog_get_page (dialog), "mapping") == 0)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.next", NULL));
  g_assert_cmpstr (crm_import_dialog_get_page (dialog), ==, "progress");

  /* Rows are going in, with their rate shown; then the user cancels. */
  g_assert_true (wait_until (rows_counted, crm_import_dialog_get_progress_bar (dialog), 30000));
  g_test_message ("cancelled at: %s", gtk_progress_bar_get_text (crm_import_dialog_get_progress_bar (dialog)));
  g_assert_cmpstr (crm_import_dialog_get_page (dialog), ==, "progress");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.cancel", NULL));

  args[0] = dialog;
  args[1] = (gpointer) "progress";
  g_assert_true (wait_until (page_is_not, args, 30000));
  /* Back where the user started, and the database as it was. */
  g_assert_cmpstr (crm_import_dialog_get_page (dialog), !=, "summary");
  g_assert_cmpstr (crm_import_dialog_get_page (dialog), !=, "error");
  g_assert_cmpint (crm_store_count (store, CRM_TYPE_CUSTOMER, NULL), ==, before);
  g_assert_cmpint (count ("SELECT count(*) FROM customers WHERE name LIKE 'Cancel Person%'"), ==, 0);

  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Export ------------------------------------------------------------------- */

static gboolean
count_text_is (gpointer expected)
{
  return list_idle (NULL) && g_strcmp0 (crm_customers_page_get_count_text (page), expected) == 0;
}

static void
test_export_view (void)
{
  g_autofree char *out = g_build_filename (crm_test_tmp_dir (), "lyon.csv", NULL);
  g_autofree char *planted = g_strconcat (out, ".partial", NULL);
  g_autofree char *precious = g_build_filename (crm_test_tmp_dir (), "precious-export", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (out);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  CrmExportDialog *dialog;
  GStatBuf st;

  /* An earlier export the user made private, and a link planted where exports used to go. */
  g_assert_true (g_file_set_contents (out, "earlier", -1, NULL));
  g_assert_cmpint (g_chmod (out, 0600), ==, 0);
  g_assert_true (g_file_set_contents (precious, "precious", -1, NULL));
  g_assert_cmpint (symlink (precious, planted), ==, 0);

  /* The view: a search. */
  gtk_editable_set_text (crm_customers_page_get_search_entry (page), "Lyon");
  g_assert_true (wait_until (count_text_is, (gpointer) "2 customers", 5000));

  dialog = crm_export_dialog_new (window);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (wait_until (is_mapped, dialog, 5000));
  g_assert_cmpstr (crm_export_dialog_get_view_description (dialog), ==, "2 customers · matching “Lyon”");

  crm_export_dialog_set_format (dialog, CRM_EXPORT_FORMAT_CSV);
  crm_export_dialog_set_encoding (dialog, CRM_CSV_ENCODING_UTF8);
  crm_export_dialog_export_to (dialog, file);
  g_assert_true (crm_export_dialog_get_running (dialog));
  /* Done: the dialog goes and the file is there. */
  g_assert_true (wait_until (is_null, &dialog, 30000));

  g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);   /* header, two rows, "" after the last line end */
  g_assert_nonnull (strstr (contents, "Bob Baker"));
  g_assert_nonnull (strstr (contents, "Carol Chen"));
  g_assert_null (strstr (contents, "Alice Archer"));
  g_assert_cmpint (g_stat (out, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (precious, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "precious");

  gtk_editable_set_text (crm_customers_page_get_search_entry (page), "");
  g_assert_true (wait_until (list_idle, NULL, 5000));
}

/* Merge -------------------------------------------------------------------- */

static gint64
add_customer (const char *name,
              const char *email,
              const char *phone,
              guint       n_orders)
{
  g_autoptr(CrmCustomer) c = crm_customer_new ();
  g_autoptr(GError) error = NULL;

  crm_customer_set_name (c, name);
  crm_customer_set_email (c, email);
  crm_customer_set_phone (c, phone);
  g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);

  for (guint i = 0; i < n_orders; i++)
    {
      g_autoptr(CrmOrder) order = crm_order_new ();

      crm_order_set_customer_id (order, crm_entity_get_id (CRM_ENTITY (c)));
      crm_order_set_placed_at (order, crm_now_ms () - (i + 1) * 86400000);
      crm_order_set_currency (order, "CNY");
      crm_order_set_total (order, 1000 * (i + 1));
      g_assert_true (crm_store_insert_order (store, CRM_ENTITY (order), NULL, &error));
      g_assert_no_error (error);
    }

  return crm_entity_get_id (CRM_ENTITY (c));
}

static CrmMergeDialog *
shown_merge_dialog (void)
{
  return (CrmMergeDialog *) find_shown_window (CRM_TYPE_MERGE_DIALOG);
}

static gboolean
merge_dialog_mapped (gpointer data)
{
  return window_mapped (GSIZE_TO_POINTER (CRM_TYPE_MERGE_DIALOG));
}

static gboolean
one_candidate (gpointer data)
{
  GListModel *model = crm_merge_dialog_get_candidates (data);

  return !crm_customer_list_get_loading (CRM_CUSTOMER_LIST (model)) && g_list_model_get_n_items (model) == 1;
}

/* A Predicate over a name: the customer form shows it. */
static gboolean
form_shows (gpointer name)
{
  CrmCustomer *shown = crm_customer_editor_get_customer (crm_customers_page_get_editor (page));

  return shown != NULL && g_strcmp0 (crm_customer_get_name (shown), name) == 0;
}

static void
test_merge_and_undo (void)
{
  gint64 a = add_customer ("Merge Keeper", "keeper@example.com", NULL, 1);
  gint64 b = add_customer ("Merge Other 王", NULL, "13912345678", 2);
  g_autoptr(CrmMergeDialog) dialog = NULL;
  g_autofree char *sql = NULL;
  AdwToast *toast;

  crm_customer_list_refresh (crm_customers_page_get_list (page));
  g_assert_true (wait_until (list_idle, NULL, 5000));
  g_assert_true (crm_customers_page_open_customer (page, a));

  /* "Merge with Another Customer…" on the open customer: search for the other. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.merge-customer", NULL));
  g_assert_true (wait_until (merge_dialog_mapped, NULL, 5000));
  dialog = g_object_ref (shown_merge_dialog ());
  g_assert_cmpstr (crm_merge_dialog_get_page (dialog), ==, "choose");
  gtk_editable_set_text (crm_merge_dialog_get_search_entry (dialog), "Merge Other");
  g_assert_true (wait_until (one_candidate, dialog, 5000));
  crm_merge_dialog_choose_candidate (dialog, 0);
  g_assert_cmpstr (crm_merge_dialog_get_page (dialog), ==, "compare");

  /* Side by side: the phone only the other has is taken by default; the user
   * also takes the other's name. */
  g_assert_true (gtk_check_button_get_active (crm_merge_dialog_get_choice (dialog, CRM_CUSTOMER_PHONE, TRUE)));
  g_assert_true (gtk_check_button_get_active (crm_merge_dialog_get_choice (dialog, CRM_CUSTOMER_EMAIL, FALSE)));
  g_assert_true (gtk_check_button_get_active (crm_merge_dialog_get_choice (dialog, CRM_CUSTOMER_NAME, FALSE)));
  gtk_check_button_set_active (crm_merge_dialog_get_choice (dialog, CRM_CUSTOMER_NAME, TRUE), TRUE);
  g_assert_null (crm_merge_dialog_get_choice (dialog, CRM_CUSTOMER_CITY, FALSE));   /* both empty */

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "merge.merge", NULL));
  g_assert_cmpint (crm_merge_dialog_get_merge_id (dialog), >, 0);

  sql = g_strdup_printf ("SELECT count(*) FROM orders WHERE customer_id = %" G_GINT64_FORMAT, a);
  g_assert_cmpint (count (sql), ==, 3);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT name || '|' || email || '|' || phone || '|' || order_count FROM customers"
                         " WHERE id = %" G_GINT64_FORMAT, a);
  assert_text (sql, "Merge Other 王|keeper@example.com|13912345678|3");
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT deleted_at IS NOT NULL FROM customers WHERE id = %" G_GINT64_FORMAT, b);
  g_assert_cmpint (count (sql), ==, 1);
  g_clear_pointer (&sql, g_free);
  /* The open form shows the merged customer (once the session has announced it). */
  g_assert_true (wait_until (form_shows, "Merge Other 王", 5000));

  /* Undo from the toast: both as they were. */
  toast = crm_merge_dialog_get_toast (dialog);
  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "_Undo");
  g_signal_emit_by_name (toast, "button-clicked");
  sql = g_strdup_printf ("SELECT count(*) FROM orders WHERE customer_id = %" G_GINT64_FORMAT, a);
  g_assert_cmpint (count (sql), ==, 1);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM orders WHERE customer_id = %" G_GINT64_FORMAT, b);
  g_assert_cmpint (count (sql), ==, 2);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT name || '|' || ifnull(phone, '-') || '|' || order_count FROM customers"
                         " WHERE id = %" G_GINT64_FORMAT, a);
  assert_text (sql, "Merge Keeper|-|1");
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT name || '|' || (deleted_at IS NULL) || '|' || order_count FROM customers"
                         " WHERE id = %" G_GINT64_FORMAT, b);
  assert_text (sql, "Merge Other 王|1|2");
  g_assert_true (wait_until (form_shows, "Merge Keeper", 5000));
}

static void
test_merge_duplicate (void)
{
  gint64 c = add_customer ("Dup One", "dup@example.com", NULL, 0);
  gint64 d = add_customer ("Dup Two", "DUP@example.com", "13800000001", 1);
  CrmMergeDialog *dialog;
  g_autofree char *sql = NULL;

  g_assert_true (crm_customers_page_open_customer (page, c));
  /* From the editor's duplicate warning: straight to the comparison. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.merge-duplicate", NULL));
  g_assert_true (wait_until (merge_dialog_mapped, NULL, 5000));
  dialog = shown_merge_dialog ();
  g_assert_cmpstr (crm_merge_dialog_get_page (dialog), ==, "compare");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "merge.merge", NULL));

  sql = g_strdup_printf ("SELECT merged_into FROM customers WHERE id = %" G_GINT64_FORMAT, d);
  g_assert_cmpint (count (sql), ==, c);
}

/* Order history ------------------------------------------------------------ */

static void
test_order_history_lines (void)
{
  g_autoptr(CrmCustomer) c = crm_customer_new ();
  g_autoptr(CrmOrder) order = crm_order_new ();
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) placed = g_date_time_new_utc (2025, 3, 5, 10, 0, 0);
  g_autoptr(GError) error = NULL;
  CrmCustomerEditor *editor = crm_customers_page_get_editor (page);
  CrmOrderHistory *history;
  GPtrArray *rows;
  g_autofree char *date = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *subtitle = NULL;
  const struct { const char *sku, *product; gint64 qty, price; } items[] = {
    { "TEA-1", "Green Tea", 2, 5000 },
    { "POT-9", "Teapot", 1, 12800 },
  };

  crm_customer_set_name (c, "History Person");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
  crm_order_set_customer_id (order, crm_entity_get_id (CRM_ENTITY (c)));
  crm_order_set_number (order, "L-1");
  crm_order_set_placed_at (order, g_date_time_to_unix (placed) * 1000);
  crm_order_set_status (order, "completed");
  crm_order_set_channel (order, "online");
  crm_order_set_currency (order, "CNY");
  crm_order_set_total (order, 22800);
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      CrmOrderLine *line = crm_order_line_new ();

      crm_order_line_set_sku (line, items[i].sku);
      crm_order_line_set_product (line, items[i].product);
      crm_order_line_set_quantity (line, items[i].qty);
      crm_order_line_set_unit_price (line, items[i].price);
      crm_order_line_set_amount (line, items[i].qty * items[i].price);
      g_ptr_array_add (lines, line);
    }
  g_assert_true (crm_store_insert_order (store, CRM_ENTITY (order), lines, &error));
  g_assert_no_error (error);

  g_assert_true (crm_customers_page_open_customer (page, crm_entity_get_id (CRM_ENTITY (c))));
  spin (100);
  history = CRM_ORDER_HISTORY (find_widget (GTK_WIDGET (editor), CRM_TYPE_ORDER_HISTORY));
  g_assert_nonnull (history);
  date = crm_format_date (g_date_time_to_unix (placed) * 1000);
  summary = g_strdup_printf ("1 order, ¥228.00 spent, ¥228.00 per order on average\n"
                             "First order on %s, last on %s", date, date);
  /* The status by its label; a channel of the shop's own lists too, imported text as it came. */
  subtitle = g_strdup_printf ("%s · Completed · online", date);
  g_assert_cmpstr (crm_order_history_get_summary (history), ==, summary);

  rows = crm_order_history_get_order_rows (history);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 0)), ==, "Order L-1");
  g_assert_cmpstr (adw_expander_row_get_subtitle (g_ptr_array_index (rows, 0)), ==, subtitle);
  g_assert_null (find_label (GTK_WIDGET (history), "Green Tea"));

  /* Opening the order shows its lines: product, SKU, quantity, price, amount. */
  adw_expander_row_set_expanded (g_ptr_array_index (rows, 0), TRUE);
  {
    LabelQuery line = { GTK_WIDGET (history), "Green Tea" };

    g_assert_true (wait_until (label_shown, &line, 5000));
  }
  g_assert_nonnull (find_label (GTK_WIDGET (history), "TEA-1 · 2 × ¥50.00"));
  g_assert_nonnull (find_label (GTK_WIDGET (history), "¥100.00"));
  g_assert_nonnull (find_label (GTK_WIDGET (history), "Teapot"));
  g_assert_nonnull (find_label (GTK_WIDGET (history), "POT-9 · 1 × ¥128.00"));
}

static void
seed_database (void)
{
  static const struct { const char *name, *email, *city; } seed[] = {
    { "Alice Archer", "alice@example.com", "Porto" },
    { "Bob Baker", "bob@example.com", "Lyon" },
    { "Carol Chen", "carol@example.org", "Lyon" },
  };
  g_autoptr(GError) error = NULL;

  store = crm_store_open (db_path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (seed); i++)
    {
      g_autoptr(CrmCustomer) c = crm_customer_new ();

      crm_customer_set_name (c, seed[i].name);
      crm_customer_set_email (c, seed[i].email);
      crm_customer_set_city (c, seed[i].city);
      g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
      g_assert_no_error (error);
    }
  g_assert_true (crm_store_set_setting (store, "currency", "CNY", &error));
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);

  db_path = crm_test_db_path ();
  seed_database ();

  window = ui_test_open_window (db_path, 1200, 760, &app);
  page = crm_window_get_customers_page (window);
  crm_window_set_section (window, "customers");
  g_assert_true (wait_until (list_idle, NULL, 5000));

  g_test_add_func ("/ui/import/gbk-detected", test_import_gbk);
  g_test_add_func ("/ui/import/mapping", test_import_mapping);
  g_test_add_func ("/ui/import/rejects", test_import_rejects);
  g_test_add_func ("/ui/import/cancel", test_import_cancel);
  g_test_add_func ("/ui/export/current-view", test_export_view);
  g_test_add_func ("/ui/merge/merge-and-undo", test_merge_and_undo);
  g_test_add_func ("/ui/merge/from-duplicate", test_merge_duplicate);
  g_test_add_func ("/ui/orders/history-lines", test_order_history_lines);

  return ui_test_run_and_close (window, app, store, db_path);
}

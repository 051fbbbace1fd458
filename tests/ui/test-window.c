/* test-window.c: the main window as a user meets it, on a temporary database.
 *
 * Runs twice (see meson.build): with LANGUAGE=en and with LANGUAGE=zh_CN, and
 * checks the words a user reads in each.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <sqlite3.h>

#include "crm-application.h"
#include "crm-coupon-batch-dialog.h"
#include "crm-coupons-page.h"
#include "crm-customers-page-private.h"
#include "crm-export-dialog.h"
#include "crm-import-dialog.h"
#include "crm-segments-page.h"
#include "crm-tiers-page.h"
#include "crm-format.h"
#include "crm-generate.h"
#include "crm-order.h"
#include "crm-preferences-window.h"
#include "crm-search.h"
#include "crm-test-util.h"
#include "crm-ui-test-util.h"
#include "crm-ui-util.h"
#include "crm-window.h"

static CrmApplication *app;
static CrmWindow *window;
static char *db_path;
static gboolean chinese;
static gboolean real_locale;   /* LANG/LC_ALL=zh_CN.UTF-8, not the LANGUAGE workaround */

static const char *
expect (const char *english,
        const char *chinese_text)
{
  return chinese ? chinese_text : english;
}

/* The labels of the sidebar rows a user can see, top to bottom. */
static GPtrArray *
visible_sidebar_labels (void)
{
  GtkListBox *sidebar = crm_window_get_sidebar (window);
  GPtrArray *labels = g_ptr_array_new_with_free_func (g_free);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (sidebar));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *label;

      if (!GTK_IS_LIST_BOX_ROW (row) || !gtk_widget_get_visible (row))
        continue;
      label = find_widget (row, GTK_TYPE_LABEL);
      g_assert_nonnull (label);
      g_ptr_array_add (labels, g_strdup (gtk_label_get_label (GTK_LABEL (label))));
    }

  return labels;
}

static void
test_title (void)
{
  g_assert_cmpstr (crm_window_get_section (window), ==, "customers");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==,
                   expect ("Customers — Clientele", "客户 — Clientele"));
}

static void
test_sidebar (void)
{
  g_autoptr(GPtrArray) labels = visible_sidebar_labels ();
  GtkListBoxRow *selected;

  /* Only sections that work are offered. */
  g_assert_cmpuint (labels->len, ==, 10);
  g_assert_cmpstr (g_ptr_array_index (labels, 0), ==, expect ("Customers", "客户"));
  g_assert_cmpstr (g_ptr_array_index (labels, 1), ==, expect ("Today", "今日"));
  g_assert_cmpstr (g_ptr_array_index (labels, 2), ==, expect ("Pool", "公海"));
  g_assert_cmpstr (g_ptr_array_index (labels, 3), ==, expect ("Segments", "细分"));
  g_assert_cmpstr (g_ptr_array_index (labels, 4), ==, expect ("Tiers", "会员等级"));
  g_assert_cmpstr (g_ptr_array_index (labels, 5), ==, expect ("Coupons", "优惠券"));
  g_assert_cmpstr (g_ptr_array_index (labels, 6), ==, expect ("Feedback", "反馈"));
  g_assert_cmpstr (g_ptr_array_index (labels, 7), ==, expect ("Campaigns", "营销活动"));
  g_assert_cmpstr (g_ptr_array_index (labels, 8), ==, expect ("Loyalty", "会员忠诚度"));
  g_assert_cmpstr (g_ptr_array_index (labels, 9), ==, expect ("Dashboard", "仪表板"));

  selected = gtk_list_box_get_selected_row (crm_window_get_sidebar (window));
  g_assert_nonnull (selected);
  g_assert_cmpstr (g_object_get_data (G_OBJECT (selected), "crm-section"), ==, "customers");

  /* An unknown section (e.g. a stale last-section setting) is refused. */
  g_assert_false (crm_window_set_section (window, "no-such-section"));
  g_assert_cmpstr (crm_window_get_section (window), ==, "customers");
}

static void
test_shortcuts_window (void)
{
  GtkShortcutsWindow *overlay;

  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (overlay);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (overlay)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  g_assert_true (wait_until (is_mapped, overlay, 5000));

  /* Ctrl+? is what the menu and the window itself promise. */
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                  "win.show-help-overlay");
    g_assert_nonnull (accels);
    g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>question"));
  }

  gtk_window_close (GTK_WINDOW (overlay));
  g_assert_true (wait_until (is_hidden, overlay, 5000));
}

/* A Predicate over a weak pointer: its object is finalized. */
static gboolean
is_gone (gpointer pointer)
{
  return *(gpointer *) pointer == NULL;
}

static void
test_preferences (void)
{
  CrmPreferencesWindow *prefs = NULL;
  AdwActionRow *row;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.preferences", NULL));
  spin (50);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (CRM_IS_PREFERENCES_WINDOW (l->data))
      prefs = l->data;
  g_assert_nonnull (prefs);
  g_assert_true (wait_until (is_mapped, prefs, 5000));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (prefs)), ==, expect ("Preferences", "首选项"));

  /* The database in use is shown where the user can change it. */
  row = ADW_ACTION_ROW (find_widget (GTK_WIDGET (prefs), ADW_TYPE_ACTION_ROW));
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   expect ("Database File", "数据库文件"));
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, db_path);

  /* Gone before the next test. */
  g_object_add_weak_pointer (G_OBJECT (prefs), (gpointer *) &prefs);
  gtk_window_close (GTK_WINDOW (prefs));
  g_assert_true (wait_until (is_gone, &prefs, 10000));
}

static void
test_dark_style (void)
{
  GSettings *settings = crm_application_get_settings (app);
  AdwStyleManager *manager = adw_style_manager_get_default ();

  g_settings_set_string (settings, "color-scheme", "dark");
  g_assert_cmpint (adw_style_manager_get_color_scheme (manager), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (manager));

  g_settings_set_string (settings, "color-scheme", "light");
  g_assert_false (adw_style_manager_get_dark (manager));

  g_settings_reset (settings, "color-scheme");
  g_assert_cmpint (adw_style_manager_get_color_scheme (manager), ==, ADW_COLOR_SCHEME_DEFAULT);
}

static gboolean
leaflet_folded (gpointer leaflet)
{
  return adw_leaflet_get_folded (leaflet);
}

static gboolean
leaflet_unfolded (gpointer leaflet)
{
  return !adw_leaflet_get_folded (leaflet);
}

/* Asks the X server for @width × @height until @done holds: on a loaded machine a resize request
 * can be answered late or overtaken by an earlier configure, so it is asked again (a pixel apart,
 * so that it is a new request) every 5 s, for up to a minute. */
static gboolean
resize_until (int        width,
              int        height,
              Predicate  done,
              gpointer   data)
{
  for (int attempt = 0; attempt < 12; attempt++)
    {
      gtk_window_set_default_size (GTK_WINDOW (window), width + attempt % 2, height);
      if (wait_until (done, data, 5000))
        return TRUE;
    }
  return FALSE;
}

static void
test_fold (void)
{
  AdwLeaflet *leaflet = ADW_LEAFLET (find_widget (GTK_WIDGET (window), ADW_TYPE_LEAFLET));
  GtkWidget *content;

  g_assert_nonnull (leaflet);
  g_assert_false (adw_leaflet_get_folded (leaflet));
  content = adw_leaflet_get_visible_child (leaflet);

  /* A phone-sized window shows one column; Back reaches the sidebar. */
  /* The X server resizes the window on its own time: generous on a loaded machine. */
  g_assert_true (resize_until (400, 700, leaflet_folded, leaflet));
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == content);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.back", NULL));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "sidebar");

  /* Choosing a section goes forward again. */
  g_signal_emit_by_name (crm_window_get_sidebar (window), "row-activated",
                         gtk_list_box_get_row_at_index (crm_window_get_sidebar (window), 0));
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == content);

  g_assert_true (resize_until (1100, 720, leaflet_unfolded, leaflet));
}

static gboolean
count_text_is (gpointer expected)
{
  CrmCustomersPage *page = crm_window_get_customers_page (window);

  return !crm_customer_list_get_loading (crm_customers_page_get_list (page)) &&
         g_strcmp0 (crm_customers_page_get_count_text (page), expected) == 0;
}

/* Money, counts and dates as the locale writes them, in the list a user reads. */
static void
test_locale_formats (void)
{
  CrmStore *store = crm_window_get_store (window);
  CrmCustomersPage *page = crm_window_get_customers_page (window);
  GtkWidget *view = GTK_WIDGET (crm_customers_page_get_column_view (page));
  GtkEditable *search = crm_customers_page_get_search_entry (page);
  g_autoptr(CrmCustomer) customer = crm_customer_new ();
  g_autoptr(CrmOrder) order = crm_order_new ();
  g_autoptr(GDateTime) placed = g_date_time_new_utc (2024, 7, 15, 12, 0, 0);
  g_autoptr(GError) error = NULL;
  CrmGenerateOptions opts = { 1233, 3000, 7, 0, TRUE };   /* next to the customer below */
  /* zh_CN writes 年月日 without zero padding; C, with its two-digit MM/DD/YY, gets ISO 8601. */
  LabelQuery date = { view, real_locale ? "2024年7月15日" : "2024-07-15" };
  LabelQuery money = { view, "¥1,234.56" };

  g_assert_nonnull (store);

  if (real_locale)
    {
      /* The real locale is loaded (not only its messages)... */
      g_assert_true (g_str_has_prefix (setlocale (LC_TIME, NULL), "zh_CN"));
      g_assert_true (g_str_has_prefix (setlocale (LC_MONETARY, NULL), "zh_CN"));
      /* ...and a user who never chose a currency gets the yuan from it. */
      g_assert_cmpstr (localeconv ()->int_curr_symbol, ==, "CNY ");
    }
  g_assert_cmpstr (crm_ui_locale_currency (), ==, "CNY");

  crm_customer_set_name (customer, "林小雨");
  crm_customer_set_city (customer, "杭州");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (customer), &error));
  g_assert_no_error (error);
  crm_order_set_customer_id (order, crm_entity_get_id (CRM_ENTITY (customer)));
  crm_order_set_number (order, "A-1");
  crm_order_set_placed_at (order, g_date_time_to_unix (placed) * 1000);
  crm_order_set_currency (order, "CNY");
  crm_order_set_total (order, 123456);
  g_assert_true (crm_store_insert (store, CRM_ENTITY (order), &error));
  g_assert_no_error (error);
  /* 1,233 more, so the count has a thousands separator. */
  g_assert_true (crm_generate (store, &opts, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (crm_store_set_setting (store, "currency", "CNY", &error));
  crm_customers_page_update_currency (page);
  crm_customer_list_refresh (crm_customers_page_get_list (page));

  g_assert_true (wait_until (count_text_is, (gpointer) expect ("1,234 customers", "1,234 位客户"), 10000));

  gtk_editable_set_text (search, "林小雨");
  g_assert_true (wait_until (count_text_is, (gpointer) expect ("1 customer", "1 位客户"), 10000));
  g_assert_true (wait_until (label_shown, &date, 5000));
  g_assert_true (wait_until (label_shown, &money, 5000));
  g_assert_nonnull (find_label (view, "杭州"));

  gtk_editable_set_text (search, "");
  g_assert_true (wait_until (count_text_is, (gpointer) expect ("1,234 customers", "1,234 位客户"), 10000));
}

/* Every control a screen reader reaches has a name --------------------------------------- */

/* No choice of a combo row (an encoding, say) is cut short with "…". */
static void
assert_choices_whole (GtkWidget *widget,
                      gboolean   in_combo)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  in_combo = in_combo || ADW_IS_COMBO_ROW (widget);
  if (in_combo && GTK_IS_LABEL (widget) && gtk_label_get_text (GTK_LABEL (widget))[0] != '\0')
    {
      if (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget))))
        g_error ("“%s” is ellipsised", gtk_label_get_text (GTK_LABEL (widget)));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    assert_choices_whole (child, in_combo);
}

static void
assert_window_named (GType type)
{
  GtkWidget *shown;

  g_assert_true (wait_until (window_mapped, GSIZE_TO_POINTER (type), 5000));
  spin (100);
  shown = find_shown_window (type);
  assert_controls_named (shown);
  assert_choices_whole (shown, FALSE);
  gtk_window_close (GTK_WINDOW (shown));
  spin (50);
}

static void
test_accessible_names (void)
{
  static const char *sections[] = { "customers", "today", "pool", "segments", "tiers", "coupons", "feedback",
                                    "campaigns", "loyalty", "dashboard" };
  CrmCustomersPage *customers = crm_window_get_customers_page (window);
  CrmStore *store = crm_window_get_store (window);
  g_autofree char *csv = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                           "a11y-import.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  g_autoptr(GPtrArray) tiers = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      g_assert_true (crm_window_set_section (window, sections[i]));
      spin (300);
      assert_controls_named (GTK_WIDGET (window));
    }

  /* A customer open beside the list, the filters shown, a new customer. */
  g_assert_true (crm_window_set_section (window, "customers"));
  g_assert_true (crm_customers_page_open_customer (customers, find_customer_id (store, "林小雨")));
  g_assert_true (wait_until (is_mapped, crm_customers_page_get_editor (customers), 5000));
  /* The form's header buttons read "取消" and "保存", without a mnemonic's "(C)". */
  {
    const char *actions[] = { "editor.cancel", "editor.save" };

    for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
      {
        GtkWidget *button = find_action_widget (GTK_WIDGET (crm_customers_page_get_editor (customers)), actions[i]);

        g_assert_nonnull (button);
        g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==,
                         expect (i == 0 ? "_Cancel" : "_Save", i == 0 ? "取消" : "保存"));
      }
  }
  gtk_toggle_button_set_active (customers->filter_button, TRUE);
  spin (300);
  assert_controls_named (GTK_WIDGET (window));
  gtk_toggle_button_set_active (customers->filter_button, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (customers), "customers.new", NULL));
  spin (200);
  assert_controls_named (GTK_WIDGET (window));
  gtk_widget_activate_action (GTK_WIDGET (crm_customers_page_get_editor (customers)), "editor.cancel", NULL);

  /* A new segment's rule with its condition rows. */
  g_assert_true (crm_window_set_section (window, "segments"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (crm_window_get_segments_page (window)), "segments.new", NULL));
  spin (200);
  assert_controls_named (GTK_WIDGET (window));

  /* The dialogs. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.export", NULL));
  /* GBK: the longest encoding's name must show whole. */
  crm_export_dialog_set_encoding (CRM_EXPORT_DIALOG (find_shown_window (CRM_TYPE_EXPORT_DIALOG)), CRM_CSV_ENCODING_GBK);
  assert_window_named (CRM_TYPE_EXPORT_DIALOG);
  g_assert_true (g_file_set_contents (csv, "name,city\n王芳,上海\n", -1, &error));
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (crm_import_dialog_new (window, file)));
  assert_window_named (CRM_TYPE_IMPORT_DIALOG);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.preferences", NULL));
  assert_window_named (CRM_TYPE_PREFERENCES_WINDOW);
  g_assert_true (crm_window_set_section (window, "coupons"));
  crm_coupons_page_new_batch (CRM_COUPONS_PAGE (find_widget (GTK_WIDGET (window), CRM_TYPE_COUPONS_PAGE)));
  assert_window_named (CRM_TYPE_COUPON_BATCH_DIALOG);

  tiers = crm_ui_list_tiers (store);
  if (tiers->len > 0)
    {
      CrmTierEditor *editor;

      g_assert_true (crm_window_set_section (window, "tiers"));
      editor = crm_tiers_page_edit_tier (crm_window_get_tiers_page (window), tiers->pdata[0]);
      g_assert_nonnull (editor);
      g_assert_true (wait_until (is_mapped, editor, 5000));
      spin (100);
      assert_controls_named (GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (editor))));
      gtk_window_close (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (editor))));
    }
  g_assert_true (crm_window_set_section (window, "customers"));
}

static void
test_render (void)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  g_autofree char *png = NULL;
  GHashTable *colors;
  int width, height;
  double sum = 0, sum_sq = 0, mean, stddev;
  guint n_colors;

  spin (300);
  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  g_assert_cmpint (width, >, 300);
  g_assert_cmpint (height, >, 300);

  /* A window waiting for its next layout (rows still arriving) paints
   * nothing yet: try again over a few frames. */
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  for (guint attempt = 0; node == NULL && attempt < 100; attempt++)
    {
      g_clear_object (&snapshot);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_to_node (snapshot);
      if (node == NULL)
        spin (20);
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_nonnull (texture);

  png = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                          real_locale ? "window-zh_CN.UTF-8.png" : chinese ? "window-zh_CN.png" : "window.png",
                          NULL);
  g_assert_true (gdk_texture_save_to_png (texture, png));
  g_test_message ("window rendered to %s", png);

  pixels = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (texture, pixels, (gsize) width * 4);

  colors = g_hash_table_new (NULL, NULL);
  for (int i = 0; i < width * height; i++)
    {
      guint32 px = ((guint32 *) pixels)[i];
      const guchar *p = pixels + (gsize) i * 4;
      double luma = 0.2126 * p[2] + 0.7152 * p[1] + 0.0722 * p[0];

      sum += luma;
      sum_sq += luma * luma;
      g_hash_table_add (colors, GUINT_TO_POINTER (px));
    }
  n_colors = g_hash_table_size (colors);
  g_hash_table_unref (colors);

  mean = sum / ((double) width * height);
  stddev = sqrt (sum_sq / ((double) width * height) - mean * mean);
  g_test_message ("luma mean %.1f, stddev %.1f, %u colours", mean, stddev, n_colors);

  /* A blank or single-colour window has a tiny spread and a handful of colours;
   * text, icons and the header bars give many. */
  g_assert_cmpfloat (stddev, >, 5.0);
  g_assert_cmpuint (n_colors, >, 50);
}

static gboolean
list_has_40 (gpointer data)
{
  CrmCustomersPage *page = data;
  CrmCustomerList *list = crm_customers_page_get_list (page);

  return g_strcmp0 (crm_customers_page_get_view (page), "list") == 0 && list != NULL &&
         g_list_model_get_n_items (G_LIST_MODEL (list)) == 40;
}

/* A database from the previous version: the window says it is being upgraded (the upgrade
 * runs on a worker, the window stays live) and then shows its customers. */
static void
test_upgrade (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *gz = g_test_build_filename (G_TEST_DIST, "..", "data", "store", "v1.db.gz", NULL);
  g_autofree char *old_db = crm_test_db_path ();
  g_autoptr(GFile) in = g_file_new_for_path (gz);
  g_autoptr(GFile) out = g_file_new_for_path (old_db);
  g_autoptr(GInputStream) raw = NULL;
  g_autoptr(GInputStream) plain = NULL;
  g_autoptr(GOutputStream) dest = NULL;
  g_autoptr(GZlibDecompressor) zlib = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  CrmCustomersPage *page = crm_window_get_customers_page (window);

  raw = G_INPUT_STREAM (g_file_read (in, NULL, &error));
  g_assert_no_error (error);
  plain = g_converter_input_stream_new (raw, G_CONVERTER (zlib));
  dest = G_OUTPUT_STREAM (g_file_replace (out, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_splice (dest, plain, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                          NULL, &error);
  g_assert_no_error (error);
  g_assert_true (crm_store_needs_upgrade (old_db));

  crm_window_set_section (window, "customers");
  crm_application_set_database_path (app, old_db);
  g_assert_cmpstr (crm_customers_page_get_view (page), ==, "upgrading");
  g_assert_null (crm_window_get_store (window));

  g_assert_true (wait_until (list_has_40, page, 20000));
  g_assert_nonnull (crm_window_get_store (window));
  g_assert_cmpint (crm_store_get_schema_version (crm_window_get_store (window)), ==, CRM_STORE_SCHEMA_VERSION);
  g_assert_false (crm_store_needs_upgrade (old_db));

  /* Back to the test's own database. */
  crm_application_set_database_path (app, db_path);
  g_assert_cmpstr (crm_store_get_path (crm_window_get_store (window)), ==, db_path);
}

static gboolean
status_page_says (GtkWidget     *widget,
                  gconstpointer  text)
{
  const char *description;

  if (!ADW_IS_STATUS_PAGE (widget) || !gtk_widget_get_mapped (widget))
    return FALSE;
  description = adw_status_page_get_description (ADW_STATUS_PAGE (widget));
  return description != NULL && g_str_has_prefix (description, text);
}

/* A negative user_version failed without an error: the window showed nothing or crashed. */
static void
test_negative_version (void)
{
  g_autofree char *bad_db = crm_test_db_path ();
  g_autofree char *expected = NULL;
  CrmCustomersPage *page = crm_window_get_customers_page (window);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (bad_db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE t (x); PRAGMA user_version = -1;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  crm_window_set_section (window, "customers");
  crm_application_set_database_path (app, bad_db);
  g_assert_null (crm_window_get_store (window));
  g_assert_cmpstr (crm_customers_page_get_view (page), ==, "error");
  expected = g_strdup_printf (_("“%s” is not a Clientele database (schema version %d)."), bad_db, -1);
  spin (50);
  g_assert_nonnull (find_widget_matching (GTK_WIDGET (page), status_page_says, expected));

  crm_application_set_database_path (app, db_path);
  g_assert_cmpstr (crm_store_get_path (crm_window_get_store (window)), ==, db_path);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("CRM_TEST_LOCALEDIR");
  const char *language = g_getenv ("LANGUAGE");

  /* The test AT context keeps what a screen reader would be told (accessible-names). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  crm_test_init (&argc, &argv);

  if (localedir != NULL)
    bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* Under LANG=zh_CN.UTF-8 the locale itself is Chinese: messages, dates,
   * money.  It must exist (build-aux/setup.sh generates it with localedef). */
  setlocale (LC_ALL, "");
  real_locale = g_str_has_prefix (g_getenv ("LC_ALL") ? g_getenv ("LC_ALL") : "", "zh_CN");
  if (real_locale && !g_str_has_prefix (setlocale (LC_MESSAGES, NULL), "zh_CN"))
    g_error ("The zh_CN.UTF-8 locale is not installed: run "
             "“localedef -i zh_CN -f UTF-8 zh_CN.UTF-8” (build-aux/setup.sh does).");
  chinese = real_locale || (language != NULL && g_str_has_prefix (language, "zh"));

  db_path = crm_test_db_path ();

  window = ui_test_open_window (db_path, 0, 0, &app);

  g_test_add_func ("/ui/window/title", test_title);
  g_test_add_func ("/ui/window/sidebar", test_sidebar);
  g_test_add_func ("/ui/window/shortcuts-window", test_shortcuts_window);
  /* Before Preferences: after that window, the main one was not resized under the slow
   * unwinder of the sanitized run (build-aux/run-sanitized.sh), nor on a loaded machine. */
  g_test_add_func ("/ui/window/fold", test_fold);
  g_test_add_func ("/ui/window/preferences", test_preferences);
  g_test_add_func ("/ui/window/dark-style", test_dark_style);
  g_test_add_func ("/ui/window/locale-formats", test_locale_formats);
  g_test_add_func ("/ui/window/accessible-names", test_accessible_names);
  g_test_add_func ("/ui/window/render", test_render);
  g_test_add_func ("/ui/window/upgrade", test_upgrade);
  g_test_add_func ("/ui/window/negative-version", test_negative_version);

  return ui_test_run_and_close (window, app, NULL, db_path);
}

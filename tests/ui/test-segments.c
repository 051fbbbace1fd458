/* test-segments.c: segments, tiers and customer value as a user meets them —
 * building a rule with a live count, saving it into the sidebar, opening it,
 * a wrong date, the default tiers after the first recompute, editing a tier
 * and recomputing, and the RFM segment in the customer detail.
 *
 * Runs in English and in zh_CN (see meson.build).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "crm-application.h"
#include "crm-customer-value.h"
#include "crm-order.h"
#include "crm-query.h"
#include "crm-recompute.h"
#include "crm-segments-page-private.h"
#include "crm-test-util.h"
#include "crm-ui-test-util.h"
#include "crm-tiers-page-private.h"
#include "crm-tiers.h"
#include "crm-value-report.h"
#include "crm-window.h"

#define DAY (G_GINT64_CONSTANT (86400000))

static CrmApplication *app;
static CrmWindow *window;
static CrmStore *store;   /* the test's own connection, to check what was stored */
static char *db_path;
static gboolean chinese;

/* name, city, then (days ago, amount in fen) per order */
static const struct
{
  const char *name;
  const char *city;
  int         n_orders;
  int         days[5];
  gint64      totals[5];
} seed[] = {
  { "王芳", "上海", 3, { 5, 40, 100 }, { 30000, 50000, 40000 } },            /* ¥1,200: Silver */
  { "李娜", "上海", 1, { 10 }, { 8000 } },                                   /* Regular */
  { "张伟", "上海", 2, { 200, 300 }, { 90000, 10000 } },                     /* ¥1,000 exactly: Silver */
  { "赵敏", "北京", 5, { 3, 8, 15, 30, 60 }, { 200000, 200000, 200000, 200000, 200000 } }, /* Gold */
  { "陈杰", "北京", 0 },                                                      /* no orders */
  { "Alice Archer", "Porto", 1, { 30 }, { 5000 } },
  { "Bob Baker", "Lyon", 2, { 20, 60 }, { 15000, 15000 } },
};

static const char *
expect (const char *english,
        const char *chinese_text)
{
  return chinese ? chinese_text : english;
}

static gint64
customer_id (const char *name)
{
  return find_customer_id (store, name);
}

static gint64
tier_of (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) c = crm_store_load (store, CRM_TYPE_CUSTOMER, customer_id (name), &error);

  g_assert_no_error (error);
  return crm_customer_get_tier_id (c);
}

/* The live tier with that (preset) rank: 0 Regular … 3 VIP. */
static CrmTier *
tier_by_rank (gint64 rank)
{
  g_autoptr(GArray) rules = NULL;
  g_autoptr(GError) error = NULL;

  rules = crm_tiers_load_rules (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rules->len; i++)
    {
      CrmTierRule *r = &g_array_index (rules, CrmTierRule, i);

      if (r->rank == rank)
        {
          CrmTier *tier = crm_store_load (store, CRM_TYPE_TIER, r->tier_id, &error);
          g_assert_no_error (error);
          return tier;
        }
    }
  g_assert_not_reached ();
}

static gboolean
not_recomputing (gpointer data)
{
  CrmTiersPage *page = crm_window_get_tiers_page (window);

  return !crm_tiers_page_get_recomputing (page) && !crm_tiers_page_get_loading (page);
}

/* 1. The live count --------------------------------------------------------- */

static gboolean
segment_count_is (gpointer expected)
{
  return g_strcmp0 (crm_segments_page_get_count_text (crm_window_get_segments_page (window)), expected) == 0;
}

static CrmRuleConditionRow *
first_condition (void)
{
  CrmRuleEditor *editor = crm_segments_page_get_rule_editor (crm_window_get_segments_page (window));
  g_autoptr(GPtrArray) children = crm_rule_group_row_get_children (crm_rule_editor_get_root (editor));

  g_assert_cmpuint (children->len, ==, 1);
  g_assert_true (CRM_IS_RULE_CONDITION_ROW (children->pdata[0]));

  return children->pdata[0];
}

static void
test_live_count (void)
{
  CrmSegmentsPage *page = crm_window_get_segments_page (window);
  CrmRuleConditionRow *row;
  GtkWidget *value;
  g_autoptr(CrmQuery) query = crm_query_new ();
  g_autoptr(CrmRule) rule = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_window_set_section (window, "segments"));
  g_assert_true (wait_until (is_mapped, page, 5000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "segments.new", NULL));

  /* City is 上海: what the user picks and types. */
  row = first_condition ();
  crm_rule_condition_row_set_field (row, "city");
  g_assert_true (crm_rule_condition_row_set_operator (row, "is"));
  value = crm_rule_condition_row_get_value_widget (row);
  g_assert_true (GTK_IS_EDITABLE (value));
  gtk_editable_set_text (GTK_EDITABLE (value), "上海");

  /* The database agrees on the number shown. */
  rule = crm_rule_new_from_json ("{\"field\":\"city\",\"op\":\"is\",\"value\":\"上海\"}", &error);
  g_assert_no_error (error);
  crm_query_set_rule (query, rule);
  g_assert_cmpint (crm_query_count (query, store, &error), ==, 3);

  g_assert_true (wait_until (segment_count_is, (gpointer) expect ("3 matching customers", "3 位匹配的客户"), 10000));
  g_assert_null (crm_rule_editor_get_message (crm_segments_page_get_rule_editor (page)));

  /* Typing on updates it: the superseded counts never show. */
  gtk_editable_set_text (GTK_EDITABLE (value), "北");
  gtk_editable_set_text (GTK_EDITABLE (value), "北京");
  g_assert_true (wait_until (segment_count_is, (gpointer) expect ("2 matching customers", "2 位匹配的客户"), 10000));
  gtk_editable_set_text (GTK_EDITABLE (value), "上海");
  g_assert_true (wait_until (segment_count_is, (gpointer) expect ("3 matching customers", "3 位匹配的客户"), 10000));
}

/* 2. Save into the sidebar ---------------------------------------------------- */

static GtkListBoxRow *
sidebar_segment_row (const char *name)
{
  GtkListBox *list = crm_window_get_segment_sidebar (window);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && gtk_widget_get_mapped (row) && find_label (row, name) != NULL)
      return GTK_LIST_BOX_ROW (row);

  return NULL;
}

static void
test_save_to_sidebar (void)
{
  CrmSegmentsPage *page = crm_window_get_segments_page (window);
  g_autoptr(GPtrArray) saved = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (sidebar_segment_row ("上海客户"));
  gtk_editable_set_text (crm_segments_page_get_name_entry (page), "上海客户");
  g_assert_true (crm_segments_page_get_can_save (page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "segments.save", NULL));
  spin (50);

  saved = crm_value_report_segments (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (saved->len, ==, 1);
  g_assert_cmpstr (crm_segment_get_name (saved->pdata[0]), ==, "上海客户");
  g_assert_nonnull (sidebar_segment_row ("上海客户"));
}

/* 3. The sidebar row shows only those customers ---------------------------------- */

static gboolean
customers_count_is (gpointer expected)
{
  CrmCustomersPage *page = crm_window_get_customers_page (window);

  return !crm_customer_list_get_loading (crm_customers_page_get_list (page)) &&
         g_strcmp0 (crm_customers_page_get_count_text (page), expected) == 0;
}

static void
test_open_from_sidebar (void)
{
  CrmCustomersPage *page = crm_window_get_customers_page (window);
  GtkListBoxRow *row = sidebar_segment_row ("上海客户");
  CrmCustomerList *list;
  GtkListBox *sections = crm_window_get_sidebar (window);

  g_assert_nonnull (row);

  /* The user had searched for Alice and opened her. */
  g_assert_true (crm_window_set_section (window, "customers"));
  gtk_editable_set_text (crm_customers_page_get_search_entry (page), "Alice");
  g_assert_true (wait_until (customers_count_is, (gpointer) expect ("1 customer", "1 位客户"), 10000));
  g_assert_true (crm_customers_page_open_customer (page, customer_id ("Alice Archer")));
  g_assert_true (wait_until (is_mapped, crm_customers_page_get_editor (page), 5000));

  g_signal_emit_by_name (crm_window_get_segment_sidebar (window), "row-activated", row);

  g_assert_cmpstr (crm_window_get_section (window), ==, "customers");
  /* The segment shows all of its customers, not those of the old search … */
  g_assert_true (wait_until (customers_count_is, (gpointer) expect ("3 customers", "3 位客户"), 10000));
  g_assert_cmpstr (gtk_editable_get_text (crm_customers_page_get_search_entry (page)), ==, "");
  /* … and the form no longer shows Alice, who is not among them. */
  g_assert_true (wait_until (is_hidden, crm_customers_page_get_editor (page), 5000));
  g_assert_null (crm_customer_editor_get_customer (crm_customers_page_get_editor (page)));
  list = crm_customers_page_get_list (page);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(CrmCustomer) c = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_assert_cmpstr (crm_customer_get_city (c), ==, "上海");
    }
  /* The title says which segment this is. */
  g_assert_nonnull (find_label (GTK_WIDGET (page), "上海客户"));

  /* "Customers" in the sidebar means all of them again. */
  g_signal_emit_by_name (sections, "row-activated", gtk_list_box_get_row_at_index (sections, 0));
  g_assert_true (wait_until (customers_count_is, (gpointer) expect ("7 customers", "7 位客户"), 10000));
  g_assert_null (crm_customers_page_get_segment (page));
}

/* 4. A wrong date ---------------------------------------------------------------- */

static void
test_bad_date (void)
{
  CrmSegmentsPage *page = crm_window_get_segments_page (window);
  CrmRuleEditor *editor = crm_segments_page_get_rule_editor (page);
  GtkWidget *save_button;
  CrmRuleConditionRow *row;
  GtkWidget *value;

  g_assert_true (crm_window_set_section (window, "segments"));
  g_assert_true (wait_until (is_mapped, page, 5000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "segments.new", NULL));
  gtk_editable_set_text (crm_segments_page_get_name_entry (page), "Recent buyers");

  row = first_condition ();
  crm_rule_condition_row_set_field (row, "last_order");
  /* Nothing typed yet: Save waits, but nothing is marked wrong. */
  g_assert_false (crm_segments_page_get_can_save (page));
  g_assert_false (gtk_widget_has_css_class (crm_rule_condition_row_get_value_widget (row), "error"));
  g_assert_true (crm_rule_condition_row_set_operator (row, ">="));
  value = crm_rule_condition_row_get_value_widget (row);
  gtk_editable_set_text (GTK_EDITABLE (value), "2026-13-45");
  spin (20);

  /* Said where the user looks, and nothing can be saved. */
  g_assert_false (crm_rule_editor_get_valid (editor));
  g_assert_nonnull (crm_rule_editor_get_message (editor));
  g_assert_nonnull (strstr (crm_rule_editor_get_message (editor), "YYYY-MM-DD"));
  {
    LabelQuery q = { GTK_WIDGET (editor), crm_rule_editor_get_message (editor) };
    g_assert_true (wait_until (label_shown, &q, 5000));
    /* A wrong value is an error, not the grey hint an empty one gets. */
    g_assert_true (gtk_widget_has_css_class (find_label (GTK_WIDGET (editor), q.text), "error"));
  }
  g_assert_true (gtk_widget_has_css_class (value, "error"));
  g_assert_false (crm_segments_page_get_can_save (page));
  save_button = find_action_widget (GTK_WIDGET (page), "segments.save");
  g_assert_nonnull (save_button);
  g_assert_false (gtk_widget_is_sensitive (save_button));
  g_assert_null (crm_segments_page_get_count_text (page));

  /* Corrected, it counts and can be saved. */
  gtk_editable_set_text (GTK_EDITABLE (value), "2000-01-31");
  g_assert_true (crm_rule_editor_get_valid (editor));
  g_assert_null (crm_rule_editor_get_message (editor));
  g_assert_true (gtk_widget_is_sensitive (save_button));
  g_assert_true (wait_until (segment_count_is, (gpointer) expect ("6 matching customers", "6 位匹配的客户"), 10000));
}

/* 5. Export a segment -------------------------------------------------------------- */

static gboolean
not_exporting (gpointer data)
{
  return !crm_segments_page_get_exporting (crm_window_get_segments_page (window));
}

static void
test_export (void)
{
  CrmSegmentsPage *page = crm_window_get_segments_page (window);
  g_autoptr(CrmSegment) segment = g_list_model_get_item (crm_segments_page_get_segments (page), 0);
  g_autofree char *path = g_build_filename (crm_test_tmp_dir (), "shanghai.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (segment);
  crm_segments_page_export_segment (page, segment, file);
  g_assert_true (crm_segments_page_get_exporting (page));
  g_assert_true (wait_until (not_exporting, NULL, 10000));

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (g_strchomp (contents), "\n", -1);
  /* A header and the three customers of 上海. */
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  for (guint i = 1; i < 4; i++)
    g_assert_nonnull (strstr (lines[i], "上海"));
}

/* 5b. Saving under a saved segment's name asks before replacing it ---------------------- */

static gboolean
is_visible_button_labelled (GtkWidget     *widget,
                            gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0 &&
         gtk_widget_get_visible (widget);
}

/* Clicks the dialog's button labelled @label, as the user does. */
static void
click_button (AdwMessageDialog *dialog,
              const char       *label)
{
  GtkWidget *button = find_widget_matching (GTK_WIDGET (dialog), is_visible_button_labelled, label);

  g_assert_nonnull (button);
  gtk_widget_activate (button);
}

static gboolean
is_hidden_window (gpointer type)
{
  return find_shown_window (GPOINTER_TO_SIZE (type)) == NULL;
}

static const char *
saved_rule_of (const char *name)
{
  static char *rule;
  g_autoptr(GPtrArray) saved = NULL;
  g_autoptr(GError) error = NULL;
  guint found = 0;

  g_clear_pointer (&rule, g_free);
  saved = crm_value_report_segments (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < saved->len; i++)
    if (g_strcmp0 (crm_segment_get_name (saved->pdata[i]), name) == 0)
      {
        found++;
        rule = g_strdup (crm_segment_get_rule (saved->pdata[i]));
      }
  g_assert_cmpuint (found, ==, 1);   /* never two segments of one name */
  return rule;
}

/* Types a new rule (city is @city) under the name @name and presses Save: the question. */
static AdwMessageDialog *
save_new_as (const char *name,
             const char *city)
{
  CrmSegmentsPage *page = crm_window_get_segments_page (window);
  CrmRuleConditionRow *row;
  AdwMessageDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "segments.new", NULL));
  row = first_condition ();
  crm_rule_condition_row_set_field (row, "city");
  g_assert_true (crm_rule_condition_row_set_operator (row, "is"));
  gtk_editable_set_text (GTK_EDITABLE (crm_rule_condition_row_get_value_widget (row)), city);
  gtk_editable_set_text (crm_segments_page_get_name_entry (page), name);
  g_assert_true (crm_segments_page_get_can_save (page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "segments.save", NULL));
  g_assert_true (wait_until (window_mapped, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), 5000));
  dialog = ADW_MESSAGE_DIALOG (find_shown_window (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==,
                   expect ("Replace segment “上海客户”?", "替换细分“上海客户”？"));
  return dialog;
}

static void
test_replace_asks (void)
{
  CrmSegmentsPage *page = crm_window_get_segments_page (window);
  g_autofree char *before = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_window_set_section (window, "segments"));
  g_assert_true (wait_until (is_mapped, page, 5000));
  before = g_strdup (saved_rule_of ("上海客户"));
  g_assert_nonnull (strstr (before, "上海"));

  /* Cancel: the saved segment keeps its rule, no second one appears. */
  click_button (save_new_as ("上海客户", "北京"), expect ("_Cancel", "取消"));
  g_assert_true (wait_until (is_hidden_window, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), 5000));
  g_assert_cmpstr (saved_rule_of ("上海客户"), ==, before);

  /* Without the question (the page's API), saving under a taken name is refused. */
  g_assert_false (crm_segments_page_save (page, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "上海客户"));
  g_clear_error (&error);

  /* Replace: the one saved segment takes the new rule. */
  click_button (save_new_as ("上海客户", "北京"), expect ("_Replace", "替换"));
  g_assert_true (wait_until (is_hidden_window, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), 5000));
  g_assert_nonnull (strstr (saved_rule_of ("上海客户"), "北京"));
  g_assert_cmpuint (g_list_model_get_n_items (crm_segments_page_get_segments (page)), ==, 1);

  /* Put back (the segment is open now: a plain save, no question) for the tests after. */
  crm_rule_condition_row_set_field (first_condition (), "city");
  g_assert_true (crm_rule_condition_row_set_operator (first_condition (), "is"));
  gtk_editable_set_text (GTK_EDITABLE (crm_rule_condition_row_get_value_widget (first_condition ())), "上海");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "segments.save", NULL));
  spin (50);
  g_assert_null (find_shown_window (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (saved_rule_of ("上海客户"), ==, before);
}

/* 6. Tiers ------------------------------------------------------------------------ */

static GPtrArray *
tier_titles (void)
{
  GtkListBox *list = crm_tiers_page_get_tier_list (crm_window_get_tiers_page (window));
  GPtrArray *titles = g_ptr_array_new_with_free_func (g_free);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row))
      g_ptr_array_add (titles, g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row))));

  return titles;
}

static void
test_default_tiers (void)
{
  CrmTiersPage *page = crm_window_get_tiers_page (window);
  g_autoptr(GPtrArray) titles = NULL;
  g_autoptr(CrmTier) regular = NULL;
  g_autoptr(CrmTier) silver = NULL;
  g_autoptr(CrmTier) gold = NULL;
  g_autofree char *computed = NULL;

  /* The window computed the values by itself: customers, but no scores yet. */
  g_assert_true (wait_until (not_recomputing, NULL, 20000));
  computed = crm_store_get_setting (store, "rfm.computed_at");
  g_assert_nonnull (computed);

  g_assert_true (crm_window_set_section (window, "tiers"));
  g_assert_true (wait_until (is_mapped, page, 5000));
  titles = tier_titles ();
  g_assert_cmpuint (titles->len, ==, 4);
  g_assert_cmpstr (titles->pdata[0], ==, "VIP");
  g_assert_cmpstr (titles->pdata[1], ==, expect ("Gold", "金卡会员"));
  g_assert_cmpstr (titles->pdata[2], ==, expect ("Silver", "银卡会员"));
  g_assert_cmpstr (titles->pdata[3], ==, expect ("Regular", "普通会员"));

  regular = tier_by_rank (0);
  silver = tier_by_rank (1);
  gold = tier_by_rank (2);
  g_assert_cmpint (tier_of ("王芳"), ==, crm_entity_get_id (CRM_ENTITY (silver)));
  g_assert_cmpint (tier_of ("张伟"), ==, crm_entity_get_id (CRM_ENTITY (silver)));
  g_assert_cmpint (tier_of ("赵敏"), ==, crm_entity_get_id (CRM_ENTITY (gold)));
  g_assert_cmpint (tier_of ("李娜"), ==, crm_entity_get_id (CRM_ENTITY (regular)));
}

static void
test_edit_tier_and_recompute (void)
{
  CrmTiersPage *page = crm_window_get_tiers_page (window);
  g_autoptr(CrmTier) silver = tier_by_rank (1);
  g_autoptr(CrmTier) regular = tier_by_rank (0);
  g_autoptr(CrmTier) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  CrmTierEditor *editor;
  GtkListBox *moves;
  GtkWidget *first;

  editor = crm_tiers_page_edit_tier (page, silver);
  g_assert_nonnull (editor);
  g_assert_true (wait_until (is_mapped, editor, 5000));
  /* A tier's name is a 名称, not a person's 姓名. */
  g_assert_nonnull (find_label (GTK_WIDGET (editor), expect ("Name", "名称")));
  g_assert_null (find_label (GTK_WIDGET (editor), "姓名"));

  /* A bad RFM condition is refused inline. */
  gtk_editable_set_text (crm_tier_editor_get_entry (editor, CRM_TIER_RFM_RULE), "r>=9");
  g_assert_nonnull (crm_tier_editor_get_error (editor));
  g_assert_false (crm_tier_editor_save (editor, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  gtk_editable_set_text (crm_tier_editor_get_entry (editor, CRM_TIER_RFM_RULE), "");
  g_assert_null (crm_tier_editor_get_error (editor));

  /* Silver now needs ¥1,100: 张伟 (¥1,000, two orders) no longer qualifies. */
  gtk_editable_set_text (crm_tier_editor_get_entry (editor, CRM_TIER_MIN_SPEND), "1100");
  g_assert_true (crm_tier_editor_save (editor, &error));
  g_assert_no_error (error);
  reloaded = crm_store_load (store, CRM_TYPE_TIER, crm_entity_get_id (CRM_ENTITY (silver)), &error);
  g_assert_cmpint (crm_tier_get_min_spend (reloaded), ==, 110000);
  g_assert_true (wait_until (not_recomputing, NULL, 10000));

  g_assert_true (crm_tiers_page_recompute (page));
  g_assert_true (crm_tiers_page_get_recomputing (page));
  g_assert_true (wait_until (not_recomputing, NULL, 20000));

  g_assert_cmpint (tier_of ("张伟"), ==, crm_entity_get_id (CRM_ENTITY (regular)));
  g_assert_cmpint (tier_of ("王芳"), ==, crm_entity_get_id (CRM_ENTITY (silver)));

  /* The page says who moved, and which way. */
  g_assert_true (g_str_has_suffix (crm_tiers_page_get_moves_text (page),
                                   expect (": 0 moved up, 1 moved down", "：0 位升级，1 位降级")));
  moves = crm_tiers_page_get_moves_list (page);
  first = GTK_WIDGET (gtk_list_box_get_row_at_index (moves, 0));
  g_assert_true (ADW_IS_ACTION_ROW (first));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first)), ==, "张伟");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (first)), ==,
                   expect ("Silver → Regular", "银卡会员 → 普通会员"));
}

/* 7. A new order updates its customer at once --------------------------------------- */

static void
test_order_updates_customer (void)
{
  g_autoptr(CrmOrder) order = crm_order_new ();
  g_autoptr(CrmTier) gold = tier_by_rank (2);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (tier_of ("李娜"), !=, crm_entity_get_id (CRM_ENTITY (gold)));

  /* Entered through the app's own connection, as the order form would. */
  crm_order_set_customer_id (order, customer_id ("李娜"));
  crm_order_set_placed_at (order, crm_now_ms () - DAY);
  crm_order_set_currency (order, "CNY");
  crm_order_set_total (order, 600000);
  g_assert_true (crm_store_insert_order (crm_window_get_store (window), CRM_ENTITY (order), NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (tier_of ("李娜"), ==, crm_entity_get_id (CRM_ENTITY (gold)));
}

/* 8. The customer detail ------------------------------------------------------------ */

/* The value group reads its figures on a worker: a Predicate that it is done. */
static gboolean
value_loaded (gpointer value)
{
  return !crm_customer_value_get_loading (value);
}

static void
test_detail_shows_value (void)
{
  CrmCustomersPage *page = crm_window_get_customers_page (window);
  CrmCustomerEditor *editor = crm_customers_page_get_editor (page);
  CrmCustomerValue *value;
  g_autoptr(CrmTier) vip = tier_by_rank (3);
  g_autoptr(GError) error = NULL;
  gint64 id = customer_id ("王芳");
  CrmRfmRow row;

  g_assert_true (crm_recompute_get_rfm (store, id, &row));
  g_assert_cmpint (row.segment, !=, CRM_RFM_NONE);

  g_assert_true (crm_window_set_section (window, "customers"));
  g_assert_true (crm_customers_page_open_customer (page, id));
  g_assert_true (wait_until (is_mapped, editor, 5000));
  value = CRM_CUSTOMER_VALUE (find_widget (GTK_WIDGET (editor), CRM_TYPE_CUSTOMER_VALUE));
  g_assert_nonnull (value);
  g_assert_true (wait_until (is_mapped, value, 5000));
  g_assert_true (wait_until (value_loaded, value, 5000));

  g_assert_cmpstr (crm_customer_value_get_segment_text (value), ==, crm_rfm_segment_get_label (row.segment));
  g_assert_nonnull (find_label (GTK_WIDGET (value), crm_rfm_segment_get_label (row.segment)));
  g_assert_true (g_str_has_prefix (crm_customer_value_get_tier_text (value), expect ("Silver", "银卡会员")));

  /* A manual tier applies at once, says why, and survives a recompute. */
  g_assert_true (crm_customer_value_set_manual_tier (value, crm_entity_get_id (CRM_ENTITY (vip)),
                                                     "Wholesale partner", 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tier_of ("王芳"), ==, crm_entity_get_id (CRM_ENTITY (vip)));
  g_assert_true (wait_until (value_loaded, value, 5000));
  g_assert_nonnull (strstr (crm_customer_value_get_tier_text (value), "Wholesale partner"));

  g_assert_true (crm_tiers_page_recompute (crm_window_get_tiers_page (window)));
  g_assert_true (wait_until (not_recomputing, NULL, 20000));
  g_assert_cmpint (tier_of ("王芳"), ==, crm_entity_get_id (CRM_ENTITY (vip)));

  g_assert_true (crm_customer_value_set_manual_tier (value, 0, NULL, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tier_of ("王芳"), !=, crm_entity_get_id (CRM_ENTITY (vip)));
}

/* 9. Delete a segment ---------------------------------------------------------------- */

static void
test_delete_segment (void)
{
  CrmSegmentsPage *page = crm_window_get_segments_page (window);
  g_autoptr(CrmSegment) segment = g_list_model_get_item (crm_segments_page_get_segments (page), 0);
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_window_set_section (window, "segments"));
  g_assert_true (crm_segments_page_rename_segment (page, segment, "  沪上客户 ", &error));
  g_assert_no_error (error);
  spin (20);
  g_assert_nonnull (sidebar_segment_row ("沪上客户"));

  g_assert_false (crm_segments_page_rename_segment (page, segment, "   ", &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (crm_segments_page_delete_segment (page, segment, &error));
  g_assert_no_error (error);
  spin (20);
  g_assert_null (sidebar_segment_row ("沪上客户"));
  left = crm_value_report_segments (store, &error);
  g_assert_cmpuint (left->len, ==, 0);
  /* With no saved segments the heading goes too. */
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (GTK_WIDGET (crm_window_get_segment_sidebar (window)))));
}

/* 10. A rule nested 50,000 levels deep, written by another program -------------------- */

static gboolean
segments_listed (gpointer data)
{
  return g_list_model_get_n_items (crm_segments_page_get_segments (crm_window_get_segments_page (window))) ==
         GPOINTER_TO_UINT (data);
}

/* json-glib recursed until the stack overflowed when the window listed such a segment. */
static void
test_deep_rule (void)
{
  g_autofree char *deep_db = crm_test_db_path ();
  g_autofree char *deep = crm_test_deep_rule (50000);
  g_autoptr(CrmStore) other = NULL;
  g_autoptr(CrmSegment) segment = crm_segment_new ();
  g_autoptr(GError) error = NULL;
  CrmCustomersPage *customers = crm_window_get_customers_page (window);
  GtkListBoxRow *row;
  sqlite3_stmt *stmt;

  other = crm_store_open (deep_db, &error);
  g_assert_no_error (error);
  crm_segment_set_name (segment, "Deep");
  crm_segment_set_rule (segment, "{\"field\":\"city\",\"op\":\"is\",\"value\":\"x\"}");
  g_assert_true (crm_store_insert (other, CRM_ENTITY (segment), &error));
  g_assert_no_error (error);
  /* Past the store's own checks, as another program (or an old bug) could write it. */
  stmt = crm_store_prepare (other, "UPDATE segments SET rule = ?", &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, deep, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);

  crm_application_set_database_path (app, deep_db);
  g_assert_true (crm_window_set_section (window, "segments"));
  g_assert_true (wait_until (segments_listed, GUINT_TO_POINTER (1), 5000));
  spin (100);
  g_assert_nonnull ((row = sidebar_segment_row ("Deep")));

  /* Opened from the sidebar: a message, the list unfiltered. */
  g_signal_emit_by_name (crm_window_get_segment_sidebar (window), "row-activated", row);
  spin (100);
  g_assert_null (crm_customers_page_get_segment (customers));

  crm_application_set_database_path (app, db_path);
  g_assert_cmpstr (crm_store_get_path (crm_window_get_store (window)), ==, db_path);
}

/* 11. A database the user may read but not write, its search index left pending ------------- */

static gboolean obeys_file_modes;

static void
test_read_only_database (void)
{
  g_autofree char *dir = g_build_filename (crm_test_tmp_dir (), "read-only", NULL);
  g_autofree char *ro_db = g_build_filename (dir, "shop.db", NULL);
  g_autoptr(GError) error = NULL;
  LabelQuery q = { GTK_WIDGET (window), NULL };

  if (!obeys_file_modes)
    {
      g_test_skip ("this process may write any file: a read-only one cannot be made");
      return;
    }
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  {
    g_autoptr(CrmStore) s = crm_store_open (ro_db, &error);
    g_autoptr(CrmCustomer) c = crm_customer_new ();

    g_assert_no_error (error);
    crm_customer_set_name (c, "Known Before");
    g_assert_true (crm_store_insert (s, CRM_ENTITY (c), &error));
    crm_test_add_unindexed_customer (s, "Imported Alpha");
  }
  g_assert_cmpint (g_chmod (ro_db, 0444), ==, 0);
  g_assert_cmpint (g_chmod (dir, 0555), ==, 0);

  /* It opens (it said "cannot be written" and showed nothing), says so in a toast that stays,
   * and lists both customers. */
  crm_application_set_database_path (app, ro_db);
  q.text = expect ("“shop.db” can only be read: changes cannot be saved, and search does not find 1 customer "
                   "of an unfinished import until the file can be written.",
                   "“shop.db”只能读取：更改无法保存，并且在文件可以写入之前，搜索找不到未完成导入中的 1 位客户。");
  g_assert_true (wait_until (label_shown, &q, 10000));
  g_assert_true (crm_store_get_read_only (crm_window_get_store (window)));
  g_assert_true (crm_window_set_section (window, "customers"));
  g_assert_true (wait_until (customers_count_is, (gpointer) expect ("2 customers", "2 位客户"), 10000));
  spin (6000);   /* longer than any toast with a timeout stays */
  g_assert_nonnull (find_label (GTK_WIDGET (window), q.text));

  /* Back on the shop's own file: the toast goes. */
  crm_application_set_database_path (app, db_path);
  g_assert_cmpstr (crm_store_get_path (crm_window_get_store (window)), ==, db_path);
  g_assert_true (wait_until (customers_count_is, (gpointer) expect ("7 customers", "7 位客户"), 10000));
  spin (1000);
  g_assert_null (find_label (GTK_WIDGET (window), q.text));
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (ro_db, 0600), ==, 0);
}

static void
seed_database (void)
{
  g_autoptr(GError) error = NULL;
  gint64 now = crm_now_ms ();

  store = crm_store_open (db_path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (seed); i++)
    {
      g_autoptr(CrmCustomer) c = crm_customer_new ();

      crm_customer_set_name (c, seed[i].name);
      crm_customer_set_city (c, seed[i].city);
      g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
      g_assert_no_error (error);

      for (int k = 0; k < seed[i].n_orders; k++)
        {
          g_autoptr(CrmOrder) order = crm_order_new ();

          crm_order_set_customer_id (order, crm_entity_get_id (CRM_ENTITY (c)));
          crm_order_set_placed_at (order, now - seed[i].days[k] * DAY);
          crm_order_set_currency (order, "CNY");
          crm_order_set_total (order, seed[i].totals[k]);
          g_assert_true (crm_store_insert_order (store, CRM_ENTITY (order), NULL, &error));
          g_assert_no_error (error);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  const char *language = g_getenv ("LANGUAGE");

  /* First, before any thread: a root that may write anything cannot test a read-only file. */
  obeys_file_modes = crm_test_obey_file_modes ();
  crm_test_init (&argc, &argv);
  chinese = language != NULL && g_str_has_prefix (language, "zh");
  ui_test_init_i18n ();

  db_path = crm_test_db_path ();
  seed_database ();

  ui_test_set_settings ("default-currency", "CNY", NULL);

  window = ui_test_open_window (db_path, 1200, 760, &app);

  g_test_add_func ("/ui/segments/live-count", test_live_count);
  g_test_add_func ("/ui/segments/save-to-sidebar", test_save_to_sidebar);
  g_test_add_func ("/ui/segments/open-from-sidebar", test_open_from_sidebar);
  g_test_add_func ("/ui/segments/bad-date", test_bad_date);
  g_test_add_func ("/ui/segments/export", test_export);
  g_test_add_func ("/ui/segments/replace-asks", test_replace_asks);
  g_test_add_func ("/ui/tiers/default-tiers", test_default_tiers);
  g_test_add_func ("/ui/tiers/edit-and-recompute", test_edit_tier_and_recompute);
  g_test_add_func ("/ui/tiers/order-updates-customer", test_order_updates_customer);
  g_test_add_func ("/ui/customers/detail-shows-value", test_detail_shows_value);
  g_test_add_func ("/ui/segments/rename-and-delete", test_delete_segment);
  g_test_add_func ("/ui/segments/deep-rule", test_deep_rule);
  g_test_add_func ("/ui/window/read-only-database", test_read_only_database);

  return ui_test_run_and_close (window, app, store, db_path);
}

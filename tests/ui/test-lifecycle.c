/* test-lifecycle.c: the lifecycle limits on the Tiers page as a user meets
 * them — the stored limits shown, a changed New period saved to the database
 * and every stage recomputed with it, a churn factor below the at-risk factor
 * refused inline and not saved, and Reset to Defaults.
 *
 * Runs in English and in zh_CN (see meson.build).  CRM_TEST_KEEP_PNG=DIR keeps
 * pictures of the limits, valid and with the inline error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "crm-application.h"
#include "crm-lifecycle.h"
#include "crm-order.h"
#include "crm-query.h"
#include "crm-recompute.h"
#include "crm-test-util.h"
#include "crm-tier.h"
#include "crm-tiers-page-private.h"
#include "crm-tiers.h"
#include "crm-ui-test-util.h"
#include "crm-value-report.h"
#include "crm-window.h"

#define DAY (G_GINT64_CONSTANT (86400000))

static CrmApplication *app;
static CrmWindow *window;
static CrmStore *store;   /* the test's own connection, to check what was stored */
static char *db_path;

/* One order per day listed (days ago). */
static const struct
{
  const char *name;
  int         n_orders;
  int         days[4];
} seed[] = {
  { "Ten Days", 1, { 10 } },              /* New */
  { "四十天", 1, { 40 } },                 /* New with a 60-day period; Active with 20 or 30 */
  { "Regular Buyer", 4, { 5, 35, 65, 95 } }, /* Active: every 30 days */
  { "Lapsed Lee", 1, { 120 } },           /* At risk: one order, 90 < 120 ≤ 180 days */
  { "Gone Gao", 1, { 400 } },             /* Churned */
  { "No Orders", 0 },                     /* Prospect */
};

static CrmTiersPage *
page (void)
{
  return crm_window_get_tiers_page (window);
}

static gboolean
settled (gpointer data)
{
  return !crm_tiers_page_get_recomputing (page ()) && !crm_tiers_page_get_loading (page ()) &&
         !crm_tiers_page_get_lifecycle_pending (page ());
}

static CrmLifecycleRules
stored_rules (void)
{
  CrmRecomputeOptions options;

  crm_recompute_options_init (&options, store);
  return options.lifecycle;
}

static gboolean
stored_new_days_is (gpointer expected)
{
  return stored_rules ().new_days == GPOINTER_TO_INT (expected);
}

static CrmLifecycle
stage_of (const char *name)
{
  g_autoptr(CrmCustomer) c = NULL;
  g_autoptr(GError) error = NULL;

  c = crm_store_load (store, CRM_TYPE_CUSTOMER, find_customer_id (store, name), &error);
  g_assert_no_error (error);

  return crm_customer_get_lifecycle (c);
}

/* "New 2", as the page writes it in the current language. */
static char *
stage_count_text (CrmLifecycle stage,
                  const char  *count)
{
  return g_strdup_printf (C_("stage and customers", "%s %s"), crm_lifecycle_get_label (stage), count);
}

static void
assert_stages_shown (void)
{
  gint64 counts[CRM_LIFECYCLE_N_STAGES];
  g_autoptr(GError) error = NULL;
  const char *text = crm_tiers_page_get_stages_text (page ());

  g_assert_true (crm_value_report_stage_counts (store, counts, &error));
  g_assert_no_error (error);
  g_assert_nonnull (text);
  for (CrmLifecycle s = 0; s < CRM_LIFECYCLE_N_STAGES; s++)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, counts[s]);
      g_autofree char *part = stage_count_text (s, count);

      if (strstr (text, part) == NULL)
        g_error ("“%s” is not in the stages line “%s”", part, text);
    }
}

static void
keep_png (const char *name)
{
  const char *dir = g_getenv ("CRM_TEST_KEEP_PNG");
  GtkWidget *group;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int w, h;

  if (dir == NULL)
    return;

  /* The whole lifecycle group: the row of the spin button, up three parents. */
  group = GTK_WIDGET (crm_tiers_page_get_lifecycle_spin (page (), "new_days"));
  while (group != NULL && !ADW_IS_PREFERENCES_GROUP (group))
    group = gtk_widget_get_parent (group);
  g_assert_nonnull (group);

  /* Laid out and drawn once, with the latest values. */
  spin (300);
  w = gtk_widget_get_width (group);
  h = gtk_widget_get_height (group);
  paintable = gtk_widget_paintable_new (group);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (group)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  path = g_strdup_printf ("%s/lifecycle-%s-%s.png", dir, name,
                          g_getenv ("LANGUAGE") != NULL ? g_getenv ("LANGUAGE") : "C");
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* 1. What is stored is what is shown ------------------------------------------------- */

static void
test_shows_stored_limits (void)
{
  GtkSpinButton *new_days = crm_tiers_page_get_lifecycle_spin (page (), "new_days");

  /* The window placed every customer by itself (customers, no scores yet). */
  g_assert_true (wait_until (settled, NULL, 20000));
  g_assert_true (crm_window_set_section (window, "tiers"));
  g_assert_true (wait_until (is_mapped, new_days, 5000));

  /* The 20-day New period saved before the window opened, not the default 30. */
  g_assert_cmpint (gtk_spin_button_get_value_as_int (new_days), ==, 20);
  g_assert_cmpfloat (gtk_spin_button_get_value (crm_tiers_page_get_lifecycle_spin (page (), "churn_factor")),
                     ==, 4.0);
  g_assert_null (crm_tiers_page_get_lifecycle_error (page ()));
  g_assert_cmpint (stage_of ("四十天"), ==, CRM_LIFECYCLE_ACTIVE);
  g_assert_cmpint (stage_of ("Ten Days"), ==, CRM_LIFECYCLE_NEW);
  g_assert_cmpint (stage_of ("Lapsed Lee"), ==, CRM_LIFECYCLE_AT_RISK);
  g_assert_cmpint (stage_of ("Gone Gao"), ==, CRM_LIFECYCLE_CHURNED);
  assert_stages_shown ();

  /* Limits differ from the defaults, so they can be reset. */
  g_assert_true (gtk_widget_get_sensitive (find_action_widget (GTK_WIDGET (page ()), "tiers.reset-lifecycle")));

  /* A screen reader names each spin button by its row. */
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (new_days), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       _("New Customers"));
  keep_png ("valid");
}

/* 2. A new New period is saved and every stage follows ----------------------------------- */

static void
test_change_saves_and_recomputes (void)
{
  GtkSpinButton *new_days = crm_tiers_page_get_lifecycle_spin (page (), "new_days");
  g_autofree char *two = NULL;
  g_autofree char *part = NULL;
  CrmLifecycleRules rules;

  /* Typed, as a user would, then confirmed. */
  gtk_editable_set_text (GTK_EDITABLE (new_days), "60");
  gtk_spin_button_update (new_days);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (new_days), ==, 60);
  g_assert_null (crm_tiers_page_get_lifecycle_error (page ()));

  /* Saved a moment later (not on every click), then recomputed. */
  g_assert_true (crm_tiers_page_get_lifecycle_pending (page ()));
  g_assert_cmpint (stored_rules ().new_days, ==, 20);
  g_assert_true (wait_until (stored_new_days_is, GINT_TO_POINTER (60), 5000));
  g_assert_true (wait_until (settled, NULL, 20000));

  rules = stored_rules ();
  g_assert_cmpint (rules.new_days, ==, 60);
  g_assert_cmpfloat (rules.at_risk_factor, ==, 2.0);
  g_assert_cmpint (rules.single_churn_days, ==, 180);

  /* 40 days since the first order is New now; the page says two are New. */
  g_assert_cmpint (stage_of ("四十天"), ==, CRM_LIFECYCLE_NEW);
  g_assert_cmpint (stage_of ("Ten Days"), ==, CRM_LIFECYCLE_NEW);
  g_assert_cmpint (stage_of ("Regular Buyer"), ==, CRM_LIFECYCLE_ACTIVE);
  assert_stages_shown ();
  two = g_strdup ("2");
  part = stage_count_text (CRM_LIFECYCLE_NEW, two);
  g_assert_nonnull (strstr (crm_tiers_page_get_stages_text (page ()), part));
}

/* 3. Churn before at risk: refused inline, nothing saved ---------------------------------- */

static void
test_invalid_not_saved (void)
{
  GtkSpinButton *at_risk = crm_tiers_page_get_lifecycle_spin (page (), "at_risk_factor");
  GtkSpinButton *churn = crm_tiers_page_get_lifecycle_spin (page (), "churn_factor");
  GtkSpinButton *single_at_risk = crm_tiers_page_get_lifecycle_spin (page (), "single_at_risk_days");
  GtkSpinButton *single_churn = crm_tiers_page_get_lifecycle_spin (page (), "single_churn_days");
  GtkSpinButton *new_days = crm_tiers_page_get_lifecycle_spin (page (), "new_days");
  g_autofree char *before = crm_store_get_setting (store, CRM_LIFECYCLE_RULES_SETTING);
  g_autofree char *after = NULL;
  const char *message;

  g_assert_cmpfloat (gtk_spin_button_get_value (at_risk), ==, 2.0);
  gtk_spin_button_set_value (churn, 1.5);

  message = crm_tiers_page_get_lifecycle_error (page ());
  g_assert_nonnull (message);
  g_assert_cmpstr (message, ==,
                   _("The churn factor must be at least the at-risk factor: "
                     "a customer is at risk before they are churned."));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (churn), "error"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (at_risk), "error"));
  g_assert_false (crm_tiers_page_get_lifecycle_pending (page ()));
  keep_png ("error");

  /* Another valid change meanwhile is not saved either: the form as a whole is wrong. */
  gtk_spin_button_set_value (new_days, 45);
  g_assert_false (crm_tiers_page_get_lifecycle_pending (page ()));
  spin (1500);
  after = crm_store_get_setting (store, CRM_LIFECYCLE_RULES_SETTING);
  g_assert_cmpstr (after, ==, before);
  g_assert_false (crm_tiers_page_get_recomputing (page ()));

  /* Fixed: the message goes, and the form is saved again. */
  gtk_spin_button_set_value (churn, 4.0);
  gtk_spin_button_set_value (new_days, 60);
  g_assert_null (crm_tiers_page_get_lifecycle_error (page ()));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (churn), "error"));

  /* The same for customers with one order. */
  gtk_spin_button_set_value (single_churn, 60);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (single_at_risk), ==, 90);
  g_assert_cmpstr (crm_tiers_page_get_lifecycle_error (page ()), ==,
                   _("For customers with one order, the churn limit must be at least the at-risk limit."));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (single_churn), "error"));
  spin (1500);
  g_clear_pointer (&after, g_free);
  after = crm_store_get_setting (store, CRM_LIFECYCLE_RULES_SETTING);
  g_assert_cmpstr (after, ==, before);

  gtk_spin_button_set_value (single_churn, 180);
  g_assert_null (crm_tiers_page_get_lifecycle_error (page ()));
  g_assert_false (crm_tiers_page_get_lifecycle_pending (page ()));
}

/* 4. Reset to Defaults ------------------------------------------------------------------- */

static void
test_reset (void)
{
  GtkWidget *button = find_action_widget (GTK_WIDGET (page ()), "tiers.reset-lifecycle");
  CrmLifecycleRules defaults, rules;

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  /* As a click: the button's action. */
  g_signal_emit_by_name (button, "clicked");

  g_assert_cmpint (gtk_spin_button_get_value_as_int (crm_tiers_page_get_lifecycle_spin (page (), "new_days")),
                   ==, 30);
  /* Saved at once, no waiting: a reset is one deliberate step. */
  g_assert_cmpint (stored_rules ().new_days, ==, 30);
  g_assert_true (wait_until (settled, NULL, 20000));

  crm_lifecycle_rules_init_default (&defaults);
  rules = stored_rules ();
  g_assert_true (crm_lifecycle_rules_equal (&rules, &defaults));
  g_assert_cmpint (stage_of ("四十天"), ==, CRM_LIFECYCLE_ACTIVE);
  assert_stages_shown ();
  /* Nothing left to reset. */
  g_assert_false (gtk_widget_get_sensitive (button));
}

static void
seed_database (void)
{
  g_autoptr(GError) error = NULL;
  gint64 now = crm_now_ms ();
  CrmLifecycleRules rules;

  store = crm_store_open (db_path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (seed); i++)
    {
      g_autoptr(CrmCustomer) c = crm_customer_new ();

      crm_customer_set_name (c, seed[i].name);
      g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
      g_assert_no_error (error);
      for (int k = 0; k < seed[i].n_orders; k++)
        {
          g_autoptr(CrmOrder) order = crm_order_new ();

          crm_order_set_customer_id (order, crm_entity_get_id (CRM_ENTITY (c)));
          crm_order_set_placed_at (order, now - seed[i].days[k] * DAY);
          crm_order_set_currency (order, "CNY");
          crm_order_set_total (order, 10000);
          g_assert_true (crm_store_insert_order (store, CRM_ENTITY (order), NULL, &error));
          g_assert_no_error (error);
        }
    }

  /* As `clientele-cli recompute --new-days 20` would have left it. */
  crm_lifecycle_rules_init_default (&rules);
  rules.new_days = 20;
  g_assert_true (crm_lifecycle_rules_save (store, &rules, &error));
  g_assert_no_error (error);

  /* The built-in tiers, made by a run in the other language: Chinese names under English,
   * English ones under Chinese (a shop set up by a script, say). */
  g_assert_true (crm_tiers_ensure_default (store, &error));
  g_assert_true (crm_store_exec (store, g_str_equal (crm_tier_preset_name ("silver"), "Silver")
                                        ? "UPDATE tiers SET name = CASE preset WHEN 'regular' THEN '普通会员'"
                                          " WHEN 'silver' THEN '银卡会员' WHEN 'gold' THEN '金卡会员' ELSE name END"
                                        : "UPDATE tiers SET name = CASE preset WHEN 'regular' THEN 'Regular'"
                                          " WHEN 'silver' THEN 'Silver' WHEN 'gold' THEN 'Gold' ELSE name END",
                                 &error));
}

/* The built-in tiers show in the interface's language, whatever language stored them. */
static void
test_preset_tier_names (void)
{
  LabelQuery silver = { GTK_WIDGET (page ()), crm_tier_preset_name ("silver") };
  g_autofree char *stored = NULL;

  g_assert_true (crm_window_set_section (window, "tiers"));
  g_assert_true (wait_until (settled, NULL, 20000));
  g_assert_true (wait_until (label_shown, &silver, 5000));
  g_assert_true (wait_until (label_shown, &(LabelQuery) { GTK_WIDGET (page ()), crm_tier_preset_name ("gold") }, 5000));
  stored = crm_db_query_text (crm_store_get_db (store), "SELECT name FROM tiers WHERE preset = 'silver'");
  g_assert_cmpstr (stored, !=, crm_tier_preset_name ("silver"));
  g_assert_null (find_label (GTK_WIDGET (page ()), stored));
}

int
main (int   argc,
      char *argv[])
{
  /* GTK's test AT context records accessible names (the other tests turn
   * accessibility off); no bus is needed for it. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  crm_test_init (&argc, &argv);
  ui_test_init_i18n ();

  db_path = crm_test_db_path ();
  seed_database ();

  window = ui_test_open_window (db_path, 1200, 1000, &app);

  g_test_add_func ("/ui/lifecycle/shows-stored-limits", test_shows_stored_limits);
  g_test_add_func ("/ui/lifecycle/change-saves-and-recomputes", test_change_saves_and_recomputes);
  g_test_add_func ("/ui/lifecycle/invalid-not-saved", test_invalid_not_saved);
  g_test_add_func ("/ui/lifecycle/reset-to-defaults", test_reset);
  g_test_add_func ("/ui/lifecycle/preset-tier-names", test_preset_tier_names);

  return ui_test_run_and_close (window, app, store, db_path);
}

/* crm-window.c
 *
 * The sections live as pages of one GtkStack declared in crm-window.ui; the
 * sidebar is a GtkListBox bound to that stack's pages, so adding a section is
 * one GtkStackPage in the template (title, icon-name, name) and nothing else.
 * A page that has a boolean "folded" property gets the leaflet's folded state,
 * which it uses to show a back button in its own header bar.
 *
 * The window opens the application's session and hands it to the pages; after that it only
 * navigates.  A page refreshes itself from the session's signals, never because another page
 * or dialog told it to.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-customers-page.h"
#include "crm-dashboard-page.h"
#include "crm-export-dialog.h"
#include "crm-format.h"
#include "crm-import-dialog.h"
#include "crm-merge-dialog.h"
#include "crm-order-dialog.h"
#include "crm-pool-page.h"
#include "crm-reminders.h"
#include "crm-segment-sidebar.h"
#include "crm-feedback-dialog.h"
#include "crm-feedback-page.h"
#include "crm-segments-page.h"
#include "crm-tiers-page.h"
#include "crm-coupons-page.h"
#include "crm-today-page.h"
#include "crm-campaigns-page.h"
#include "crm-loyalty-page.h"
#include "crm-ui-util.h"
#include "crm-window.h"

struct _CrmWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  /* template children */
  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkListBox           *sidebar;
  GtkStack             *stack;
  CrmCustomersPage     *customers_page;
  CrmSegmentSidebar    *segment_sidebar;
  CrmSegmentsPage      *segments_page;
  CrmTiersPage         *tiers_page;
  CrmCouponsPage       *coupons_page;
  CrmCampaignsPage     *campaigns_page;
  CrmDashboardPage     *dashboard_page;
  CrmTodayPage         *today_page;
  CrmPoolPage          *pool_page;
  CrmFeedbackPage      *feedback_page;
  CrmLoyaltyPage       *loyalty_page;

  CrmSession           *session;
  guint                 lazy_pending; /* LazyPage bits: pages that get the session when first shown */
  guint                 lazy_id;      /* … or after the first rows, whichever comes first */
  gboolean              upgrading;   /* the database is being upgraded on a worker */
  AdwToast             *read_only_toast;   /* shown while a read-only database is open */
};

G_DEFINE_FINAL_TYPE (CrmWindow, crm_window, ADW_TYPE_APPLICATION_WINDOW)

/* The sections the app did not open with start their loading when first shown (or once the first
 * rows are up): at startup the customer list has the machine to itself. */
typedef enum
{
  LAZY_TODAY,
  LAZY_POOL,
  LAZY_COUPONS,
  LAZY_FEEDBACK,
  LAZY_CAMPAIGNS,
  LAZY_LOYALTY,
  N_LAZY
} LazyPage;

static const char *const lazy_names[N_LAZY] = { "today", "pool", "coupons", "feedback", "campaigns", "loyalty" };

static void
lazy_set (CrmWindow  *self,
          LazyPage    which,
          CrmSession *session)
{
  switch (which)
    {
    case LAZY_TODAY:     crm_today_page_set_session (self->today_page, session); break;
    case LAZY_POOL:      crm_pool_page_set_session (self->pool_page, session); break;
    case LAZY_COUPONS:   crm_coupons_page_set_session (self->coupons_page, session); break;
    case LAZY_FEEDBACK:  crm_feedback_page_set_session (self->feedback_page, session); break;
    case LAZY_CAMPAIGNS: crm_campaigns_page_set_session (self->campaigns_page, session); break;
    case LAZY_LOYALTY:   crm_loyalty_page_set_session (self->loyalty_page, session); break;
    case N_LAZY:
    default:             break;
    }
}

static void
lazy_open (CrmWindow *self,
           LazyPage   which)
{
  if (!(self->lazy_pending & (1u << which)))
    return;
  self->lazy_pending &= ~(1u << which);
  lazy_set (self, which, self->session);
}

static void
lazy_open_named (CrmWindow  *self,
                 const char *name)
{
  for (guint i = 0; i < N_LAZY; i++)
    if (g_strcmp0 (name, lazy_names[i]) == 0)
      lazy_open (self, i);
}

static gboolean
lazy_open_all (gpointer data)
{
  CrmWindow *self = data;

  self->lazy_id = 0;
  for (guint i = 0; i < N_LAZY; i++)
    lazy_open (self, i);
  return G_SOURCE_REMOVE;
}


CrmWindow *
crm_window_new (CrmApplication *application)
{
  return g_object_new (CRM_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

const char *
crm_window_get_section (CrmWindow *self)
{
  g_return_val_if_fail (CRM_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
crm_window_set_section (CrmWindow  *self,
                        const char *name)
{
  GtkWidget *child;

  g_return_val_if_fail (CRM_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  child = gtk_stack_get_child_by_name (self->stack, name);
  if (child == NULL || !gtk_widget_get_visible (child))
    return FALSE;

  gtk_stack_set_visible_child (self->stack, child);
  return TRUE;
}

void
crm_window_add_toast (CrmWindow *self,
                      AdwToast  *toast)
{
  g_return_if_fail (CRM_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

GtkListBox *
crm_window_get_sidebar (CrmWindow *self)
{
  g_return_val_if_fail (CRM_IS_WINDOW (self), NULL);

  return self->sidebar;
}

static GtkWidget *
create_sidebar_row (gpointer item,
                    gpointer user_data)
{
  GtkStackPage *page = item;
  GtkWidget *icon, *label;
  GtkWidget *row = crm_ui_sidebar_row_new (&icon, &label);

  g_object_bind_property (page, "icon-name", icon, "icon-name", G_BINDING_SYNC_CREATE);
  g_object_bind_property (page, "title", label, "label", G_BINDING_SYNC_CREATE);
  g_object_bind_property (page, "visible", row, "visible", G_BINDING_SYNC_CREATE);
  g_object_set_data_full (G_OBJECT (row), "crm-section",
                          g_strdup (gtk_stack_page_get_name (page)), g_free);

  return row;
}

static void
select_row_for_section (CrmWindow  *self,
                        const char *name)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (GTK_IS_LIST_BOX_ROW (row) &&
          g_strcmp0 (g_object_get_data (G_OBJECT (row), "crm-section"), name) == 0)
        {
          gtk_list_box_select_row (self->sidebar, GTK_LIST_BOX_ROW (row));
          return;
        }
    }
}

static void
on_sidebar_row_selected (CrmWindow     *self,
                         GtkListBoxRow *row,
                         GtkListBox    *list)
{
  if (row != NULL)
    crm_window_set_section (self, g_object_get_data (G_OBJECT (row), "crm-section"));
}

static void
on_sidebar_row_activated (CrmWindow     *self,
                          GtkListBoxRow *row,
                          GtkListBox    *list)
{
  /* "Customers" itself means all of them again, not the last segment shown. */
  if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "crm-section"), "customers") == 0)
    crm_customers_page_show_segment (self->customers_page, NULL);
  crm_segment_sidebar_unselect (self->segment_sidebar);
  crm_window_set_section (self, g_object_get_data (G_OBJECT (row), "crm-section"));
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->stack));
}

static void
on_visible_section_changed (CrmWindow *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);
  const char *name = gtk_stack_get_visible_child_name (self->stack);
  g_autofree char *title = NULL;

  if (child == NULL)
    return;

  /* Translators: the window title, %s is a section such as "Customers". */
  title = g_strdup_printf (_("%s — Clientele"),
                           gtk_stack_page_get_title (gtk_stack_get_page (self->stack, child)));
  gtk_window_set_title (GTK_WINDOW (self), title);

  select_row_for_section (self, name);
  g_settings_set_string (self->settings, "last-section", name);
  lazy_open_named (self, name);
}

static void
window_back (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmWindow *self = CRM_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
update_back_action (CrmWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.back",
                                 adw_leaflet_get_folded (self->leaflet) &&
                                 adw_leaflet_get_visible_child (self->leaflet) == GTK_WIDGET (self->stack));
}

CrmSession *
crm_window_get_session (CrmWindow *self)
{
  g_return_val_if_fail (CRM_IS_WINDOW (self), NULL);

  return self->session;
}

CrmStore *
crm_window_get_store (CrmWindow *self)
{
  g_return_val_if_fail (CRM_IS_WINDOW (self), NULL);

  return self->session != NULL ? crm_session_get_store (self->session) : NULL;
}

CrmCustomersPage *
crm_window_get_customers_page (CrmWindow *self)
{
  g_return_val_if_fail (CRM_IS_WINDOW (self), NULL);

  return self->customers_page;
}

void
crm_window_show_segment (CrmWindow  *self,
                         CrmSegment *segment)
{
  GtkListBox *segment_list;

  g_return_if_fail (CRM_IS_WINDOW (self));
  g_return_if_fail (CRM_IS_SEGMENT (segment));

  crm_window_set_section (self, "customers");
  crm_customers_page_show_segment (self->customers_page, segment);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->stack));

  /* The segment's row is the selected one in the sidebar, not "Customers". */
  gtk_list_box_unselect_all (self->sidebar);
  segment_list = crm_segment_sidebar_get_list_box (self->segment_sidebar);
  crm_segment_sidebar_unselect (self->segment_sidebar);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (segment_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      CrmSegment *shown = GTK_IS_LIST_BOX_ROW (row)
                          ? crm_segment_sidebar_get_row_segment (self->segment_sidebar, GTK_LIST_BOX_ROW (row))
                          : NULL;

      if (shown != NULL && crm_entity_get_id (CRM_ENTITY (shown)) != 0 &&
          crm_entity_get_id (CRM_ENTITY (shown)) == crm_entity_get_id (CRM_ENTITY (segment)))
        gtk_list_box_select_row (segment_list, GTK_LIST_BOX_ROW (row));
    }
}

CrmSegmentsPage *
crm_window_get_segments_page (CrmWindow *self)
{
  g_return_val_if_fail (CRM_IS_WINDOW (self), NULL);

  return self->segments_page;
}

CrmCampaignsPage *
crm_window_get_campaigns_page (CrmWindow *self)
{
  g_return_val_if_fail (CRM_IS_WINDOW (self), NULL);

  lazy_open (self, LAZY_CAMPAIGNS);   /* a caller means to use it */
  return self->campaigns_page;
}

CrmLoyaltyPage *
crm_window_get_loyalty_page (CrmWindow *self)
{
  g_return_val_if_fail (CRM_IS_WINDOW (self), NULL);

  lazy_open (self, LAZY_LOYALTY);   /* a caller means to use it */
  return self->loyalty_page;
}

CrmTiersPage *
crm_window_get_tiers_page (CrmWindow *self)
{
  g_return_val_if_fail (CRM_IS_WINDOW (self), NULL);

  return self->tiers_page;
}

CrmFeedbackPage *
crm_window_get_feedback_page (CrmWindow *self)
{
  g_return_val_if_fail (CRM_IS_WINDOW (self), NULL);

  lazy_open (self, LAZY_FEEDBACK);   /* a caller means to use it */
  return self->feedback_page;
}

CrmDashboardPage *
crm_window_get_dashboard_page (CrmWindow *self)
{
  g_return_val_if_fail (CRM_IS_WINDOW (self), NULL);

  return self->dashboard_page;
}

GtkListBox *
crm_window_get_segment_sidebar (CrmWindow *self)
{
  g_return_val_if_fail (CRM_IS_WINDOW (self), NULL);

  return crm_segment_sidebar_get_list_box (self->segment_sidebar);
}

static void
on_open_customer (CrmWindow *self,
                  gint64     id)
{
  crm_window_set_section (self, "customers");
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->stack));
  crm_customers_page_open_customer (self->customers_page, id);
}

CrmTodayPage *
crm_window_get_today_page (CrmWindow *self)
{
  g_return_val_if_fail (CRM_IS_WINDOW (self), NULL);

  lazy_open (self, LAZY_TODAY);   /* a caller means to use it */
  return self->today_page;
}

CrmPoolPage *
crm_window_get_pool_page (CrmWindow *self)
{
  g_return_val_if_fail (CRM_IS_WINDOW (self), NULL);

  lazy_open (self, LAZY_POOL);   /* a caller means to use it */
  return self->pool_page;
}

gboolean
crm_window_open_customer_uuid (CrmWindow  *self,
                               const char *uuid)
{
  CrmStore *store;
  g_autoptr(CrmCustomer) customer = NULL;

  g_return_val_if_fail (CRM_IS_WINDOW (self), FALSE);

  if (uuid == NULL || !g_uuid_string_is_valid (uuid) || (store = crm_window_get_store (self)) == NULL ||
      !(customer = crm_store_load_by_uuid (store, CRM_TYPE_CUSTOMER, uuid, NULL)) ||
      crm_entity_is_deleted (CRM_ENTITY (customer)))
    return FALSE;
  on_open_customer (self, crm_entity_get_id (CRM_ENTITY (customer)));
  return TRUE;
}

static void load_database (CrmWindow *self);

/* The pages work on the open session (or show nothing). */
static void
set_pages_session (CrmWindow  *self,
                   CrmSession *session)
{
  crm_customers_page_set_session (self->customers_page, session);
  crm_segments_page_set_session (self->segments_page, session);
  crm_tiers_page_set_session (self->tiers_page, session);
  crm_dashboard_page_set_session (self->dashboard_page, session);
  g_clear_handle_id (&self->lazy_id, g_source_remove);
  if (session == NULL)
    {
      /* Closed: every page lets go at once. */
      self->lazy_pending = 0;
      for (guint i = 0; i < N_LAZY; i++)
        lazy_set (self, i, NULL);
      return;
    }
  self->lazy_pending = (1u << N_LAZY) - 1;
  lazy_open_named (self, gtk_stack_get_visible_child_name (self->stack));
  self->lazy_id = g_timeout_add_full (G_PRIORITY_LOW, 1500, lazy_open_all, self, NULL);
}

/* A file the user may read but not write is opened for reading: said where it stays in view
 * until dismissed, with the customers search cannot find if an import left its index unfinished. */
static void
show_read_only (CrmWindow *self,
                CrmStore  *store)
{
  g_autofree char *name = g_path_get_basename (crm_store_get_path (store));
  gint64 unsearchable = crm_store_get_unsearchable (store);
  g_autofree char *message = NULL;
  g_autofree char *markup = NULL;

  if (!crm_store_get_read_only (store))
    return;
  if (unsearchable > 0)
    {
      g_autofree char *count = crm_format_count (unsearchable);

      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "“%s” can only be read: changes cannot be saved, and search does not "
                                              "find %s customer of an unfinished import until the file can be written.",
                                              "“%s” can only be read: changes cannot be saved, and search does not "
                                              "find %s customers of an unfinished import until the file can be written.",
                                              unsearchable),
                                 name, count);
    }
  else
    message = g_strdup_printf (_("“%s” can only be read: changes cannot be saved."), name);

  /* A toast's title is markup (libadwaita 1.2): a file name may hold "&" or "<". */
  markup = g_markup_escape_text (message, -1);
  g_clear_object (&self->read_only_toast);
  self->read_only_toast = adw_toast_new (markup);   /* ours; the overlay takes another reference */
  adw_toast_set_timeout (self->read_only_toast, 0);
  adw_toast_set_priority (self->read_only_toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (self->read_only_toast));
}

static void
database_opened (CrmWindow *self)
{
  CrmApplication *app = CRM_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  CrmStore *store = crm_session_get_store (self->session);

  set_pages_session (self, self->session);
  show_read_only (self, store);
  if (app != NULL)
    crm_reminders_watch (G_APPLICATION (app), self->session);
  /* --demo: a temporary database of its own, nothing to ask. */
  if (app != NULL && crm_application_get_demo (app) && crm_store_count (store, CRM_TYPE_CUSTOMER, NULL) == 0)
    gtk_widget_activate_action (GTK_WIDGET (self->customers_page), "customers.create-sample-confirmed", NULL);
}

static void
show_open_error (CrmWindow    *self,
                 const GError *error)
{
  g_autofree char *message = g_strdup_printf (_("%s\n\nFile: %s"), error->message,
                                              crm_session_get_path (self->session));

  crm_customers_page_show_error (self->customers_page, message);
}

static void
upgrade_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CrmWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  gboolean ok = crm_session_open_finish (CRM_SESSION (source), result, &error);

  self->upgrading = FALSE;
  if (app == NULL)
    return;
  /* The database changed while it was upgraded: open the new one. */
  if (CRM_SESSION (source) != crm_application_get_session (CRM_APPLICATION (app)))
    {
      load_database (self);
      return;
    }
  if (!ok)
    show_open_error (self, error);
  else
    database_opened (self);
}

static void
load_database (CrmWindow *self)
{
  CrmApplication *app = CRM_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(GError) error = NULL;

  if (app == NULL || self->upgrading)
    return;

  set_pages_session (self, NULL);
  /* What was said about the file open before is not true of the next one. */
  if (self->read_only_toast != NULL)
    adw_toast_dismiss (self->read_only_toast);
  g_clear_object (&self->read_only_toast);
  g_set_object (&self->session, crm_application_get_session (app));
  if (crm_session_get_store (self->session) != NULL)
    {
      database_opened (self);
      return;
    }

  /* An upgrade of a large file takes a while: on a worker, with a spinner meanwhile; the
   * window opens the upgraded file when it is done. */
  if (crm_session_needs_upgrade (self->session))
    {
      self->upgrading = TRUE;
      crm_customers_page_show_upgrading (self->customers_page, crm_session_get_path (self->session));
      crm_session_open_async (self->session, NULL, upgrade_done, g_object_ref (self));
      return;
    }

  if (!crm_session_open (self->session, &error))
    {
      show_open_error (self, error);
      return;
    }
  database_opened (self);
}

/* Another program (clientele-cli from cron) may have written while the user was away. */
static void
on_active_changed (CrmWindow *self)
{
  if (gtk_window_is_active (GTK_WINDOW (self)) && self->session != NULL)
    crm_session_check_external (self->session);
}

static void
window_new_customer (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CrmWindow *self = CRM_WINDOW (widget);

  crm_window_set_section (self, "customers");
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->stack));
  gtk_widget_activate_action (GTK_WIDGET (self->customers_page), "customers.new", NULL);
}

/* Ctrl+L: the quick-log entry of the customer open in the detail pane. */
static void
window_log_interaction (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CrmWindow *self = CRM_WINDOW (widget);
  CrmCustomerEditor *editor = crm_customers_page_get_editor (self->customers_page);

  if (crm_customer_editor_get_customer (editor) == NULL || crm_customer_editor_get_is_new (editor))
    {
      crm_window_add_toast (self, adw_toast_new (_("Open a saved customer to log a contact with them.")));
      return;
    }
  crm_window_set_section (self, "customers");
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->stack));
  crm_customer_timeline_focus_quick_log (crm_customer_editor_get_timeline (editor));
}

/* From a customer's predictions ("not computed yet"): the Dashboard's job, reporting there. */
static void
window_compute_predictions (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  CrmWindow *self = CRM_WINDOW (widget);

  crm_dashboard_page_compute_predictions (self->dashboard_page);
}

static void
window_search (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmWindow *self = CRM_WINDOW (widget);

  crm_window_set_section (self, "customers");
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->stack));
  gtk_widget_activate_action (GTK_WIDGET (self->customers_page), "customers.search", NULL);
}

/* GtkWindow:application is set after construction, so this is where the
 * window learns which database to open. */
static void
on_application_changed (CrmWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (app == NULL)
    return;

  g_signal_connect_object (app, "notify::database-path", G_CALLBACK (load_database), self,
                           G_CONNECT_SWAPPED);
  load_database (self);
}

static gboolean
crm_window_close_request (GtkWindow *window)
{
  CrmWindow *self = CRM_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (crm_window_parent_class)->close_request (window);
}

static void
crm_window_dispose (GObject *object)
{
  CrmWindow *self = CRM_WINDOW (object);

  g_clear_handle_id (&self->lazy_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_WINDOW);

  G_OBJECT_CLASS (crm_window_parent_class)->dispose (object);
}

static void
crm_window_finalize (GObject *object)
{
  CrmWindow *self = CRM_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->session);
  g_clear_object (&self->read_only_toast);

  G_OBJECT_CLASS (crm_window_parent_class)->finalize (object);
}

static void
crm_window_class_init (CrmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = crm_window_dispose;
  object_class->finalize = crm_window_finalize;
  window_class->close_request = crm_window_close_request;

  g_type_ensure (CRM_TYPE_CUSTOMERS_PAGE);
  g_type_ensure (CRM_TYPE_SEGMENT_SIDEBAR);
  g_type_ensure (CRM_TYPE_SEGMENTS_PAGE);
  g_type_ensure (CRM_TYPE_TIERS_PAGE);
  g_type_ensure (CRM_TYPE_COUPONS_PAGE);
  g_type_ensure (CRM_TYPE_CAMPAIGNS_PAGE);
  g_type_ensure (CRM_TYPE_DASHBOARD_PAGE);
  g_type_ensure (CRM_TYPE_TODAY_PAGE);
  g_type_ensure (CRM_TYPE_POOL_PAGE);
  g_type_ensure (CRM_TYPE_FEEDBACK_PAGE);
  g_type_ensure (CRM_TYPE_LOYALTY_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, customers_page);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, segment_sidebar);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, segments_page);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, tiers_page);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, coupons_page);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, campaigns_page);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, dashboard_page);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, today_page);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, pool_page);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, feedback_page);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, loyalty_page);
  gtk_widget_class_bind_template_callback (widget_class, crm_window_show_segment);
  gtk_widget_class_bind_template_callback (widget_class, on_open_customer);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_visible_section_changed);
  gtk_widget_class_bind_template_callback (widget_class, update_back_action);

  gtk_widget_class_install_action (widget_class, "window.back", NULL, window_back);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "window.back", NULL);
  gtk_widget_class_install_action (widget_class, "window.new-customer", NULL, window_new_customer);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "window.new-customer", NULL);
  gtk_widget_class_install_action (widget_class, "window.search", NULL, window_search);
  gtk_widget_class_install_action (widget_class, "window.compute-predictions", NULL, window_compute_predictions);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "window.search", NULL);
  gtk_widget_class_install_action (widget_class, "window.import", NULL, crm_import_dialog_choose_file);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "window.import", NULL);
  gtk_widget_class_install_action (widget_class, "window.export", NULL, crm_export_dialog_open);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "window.export", NULL);
  gtk_widget_class_install_action (widget_class, "window.new-order", NULL, crm_order_dialog_open);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_N, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "window.new-order", NULL);
  gtk_widget_class_install_action (widget_class, "window.add-feedback", NULL, crm_feedback_dialog_open);
  gtk_widget_class_install_action (widget_class, "window.log-interaction", NULL, window_log_interaction);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "window.log-interaction", NULL);
  gtk_widget_class_install_action (widget_class, "window.merge-customer", NULL, crm_merge_dialog_open);
  gtk_widget_class_install_action (widget_class, "window.merge-duplicate", NULL, crm_merge_dialog_open);
}

static void
crm_window_init (CrmWindow *self)
{
  g_autoptr(GtkSelectionModel) pages = NULL;
  g_autofree char *last_section = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "notify::application", G_CALLBACK (on_application_changed), NULL);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (on_active_changed), NULL);

  self->settings = g_settings_new (APP_ID);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_object_class_find_property (G_OBJECT_GET_CLASS (child), "folded") != NULL)
        g_object_bind_property (self->leaflet, "folded", child, "folded", G_BINDING_SYNC_CREATE);
    }

  crm_segment_sidebar_set_model (self->segment_sidebar, crm_segments_page_get_segments (self->segments_page));
  crm_feedback_page_set_segments (self->feedback_page, crm_segments_page_get_segments (self->segments_page));

  pages = gtk_stack_get_pages (self->stack);
  gtk_list_box_bind_model (self->sidebar, G_LIST_MODEL (pages), create_sidebar_row, self, NULL);

  last_section = g_settings_get_string (self->settings, "last-section");
  if (!crm_window_set_section (self, last_section))
    crm_window_set_section (self, "customers");
  on_visible_section_changed (self);

  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->stack));
  update_back_action (self);
}

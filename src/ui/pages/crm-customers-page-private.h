/* crm-customers-page-private.h: the instance struct shared by the pieces of the
 * Customers page (see crm-customers-page.c) and the functions they call in
 * each other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-customer-editor.h"
#include "crm-customers-page.h"
#include "crm-split-list-model.h"

G_BEGIN_DECLS

struct _CrmCustomersPage
{
  AdwBin              parent_instance;

  CrmSession         *session;
  CrmStore           *store;          /* the session's */
  CrmCustomerList    *list;
  CrmSplitListModel  *rows;           /* the list as the view gets it */
  GtkSingleSelection *selection;
  GSettings          *settings;
  GHashTable         *tier_names;
  GArray             *tier_filter_ids;
  GCancellable       *sample_cancellable;
  CrmSession         *sample_session; /* a sample shop being made in a file of its own */
  gboolean            sample_file_new; /* …that did not exist before: removed if it fails */
  char               *count_text;
  CrmSegment         *segment;        /* the list is narrowed to it; NULL = all */
  char               *currency;       /* the shop's, see crm_ui_shop_currency() */
  gint64              select_after_refresh;
  guint64             sample_customers;
  guint64             sample_orders;
  gint64              pending_open;   /* waits for the "unsaved changes" answer; -1 = new */
  gboolean            folded;
  gboolean            has_error;
  gboolean            syncing_selection;
  gboolean            close_if_absent; /* the view changed: a form for a customer no longer listed closes */
  GSimpleActionGroup *column_actions;  /* "columns.show-KEY": the column chooser's */
  guint               save_widths_id;  /* a resize is saved once it settles */
  gboolean            applying_columns;

  /* template children */
  AdwLeaflet         *leaflet;
  GtkWidget          *list_pane;
  AdwHeaderBar       *list_header;
  GtkWidget          *back_button;
  AdwWindowTitle     *list_title;
  GtkToggleButton    *filter_button;
  GtkMenuButton      *columns_button;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *tier_filter;
  GtkDropDown        *stage_filter;
  GtkSearchEntry     *city_filter;
  GtkToggleButton    *mine_filter;
  GtkSearchEntry     *tag_filter;
  GtkStack           *stack;
  GtkColumnView      *column_view;
  AdwStatusPage      *error_page;
  AdwStatusPage      *upgrading_page;
  GtkWidget          *sample_button;
  GtkWidget          *add_button;
  GtkWidget          *sample_progress_box;
  GtkProgressBar     *sample_progress;
  GtkWidget          *editor_separator;
  CrmCustomerEditor  *editor;
};

/* For tests only. */
/* "list", "empty", "no-results" or "error". */
const char *crm_customers_page_get_view        (CrmCustomersPage *self);
/* ISO 4217 code the amounts are shown in: the database's "currency" setting,
 * else the default currency (see crm_ui_shop_currency()). */
const char *crm_customers_page_get_currency    (CrmCustomersPage *self);
/* Size of the shop "Create Sample Shop" generates (tests use a larger one). */
void        crm_customers_page_set_sample_size (CrmCustomersPage *self,
                                                guint64           customers,
                                                guint64           orders);

/* crm-customers-page.c */
void     _crm_customers_page_show_editor                (CrmCustomersPage *self,
                                                         gboolean          show);
gboolean _crm_customers_page_load_currency              (CrmCustomersPage *self);

/* crm-customers-page-list.c */
void     _crm_customers_page_build_columns              (CrmCustomersPage *self);
/* The header's column chooser and the columns' shown state and widths, kept in GSettings
 * (customer-columns, customer-column-widths). */
void     _crm_customers_page_setup_column_chooser       (CrmCustomersPage *self);
gboolean _crm_customers_page_query_is_narrowed          (CrmQuery *query);
void     _crm_customers_page_on_rows_replaced           (CrmSplitListModel *rows,
                                                         gpointer           user_data);
void     _crm_customers_page_select_position            (CrmCustomersPage *self,
                                                         guint             position);
void     _crm_customers_page_update_view                (CrmCustomersPage *self);
void     _crm_customers_page_on_sort_changed            (CrmCustomersPage *self);
void     _crm_customers_page_on_search_changed          (CrmCustomersPage *self);
void     _crm_customers_page_on_stop_search             (CrmCustomersPage *self);
void     _crm_customers_page_on_filter_changed          (CrmCustomersPage *self);
void     _crm_customers_page_fill_filters               (CrmCustomersPage *self);

/* crm-customers-page-detail.c */
void     _crm_customers_page_request_open               (CrmCustomersPage *self,
                                                         gint64            id);
void     _crm_customers_page_on_selection_changed       (CrmCustomersPage *self);
void     _crm_customers_page_on_editor_saved            (CrmCustomersPage *self,
                                                         CrmCustomer      *saved,
                                                         gboolean          created);
void     _crm_customers_page_on_editor_closed           (CrmCustomersPage *self);
void     _crm_customers_page_on_editor_back             (CrmCustomersPage *self);
void     _crm_customers_page_on_editor_open_customer    (CrmCustomersPage *self,
                                                         gint64            id);
void     _crm_customers_page_delete_customer            (CrmCustomersPage *self,
                                                         gint64            id);
void     _crm_customers_page_on_editor_delete_requested (CrmCustomersPage *self,
                                                         CrmCustomer      *customer);

/* crm-customers-page-actions.c */
void     _crm_customers_page_set_generating             (CrmCustomersPage *self,
                                                         gboolean          generating);
void     _crm_customers_page_class_actions_init         (GtkWidgetClass *widget_class);

G_END_DECLS

/* crm-customers-page.c
 *
 * The list is a GtkColumnView straight over the lazy CrmCustomerList: GTK
 * never sorts or filters it (that would read every row).  Header clicks are
 * turned into an SQL sort (see crm-column-sorter.c), the search entry and the
 * filters into the list's CrmQuery, which re-runs the ids off the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-column-sorter.h"
#include "crm-customers-page.h"
#include "crm-format.h"
#include "crm-generate.h"
#include "crm-search.h"
#include "crm-split-list-model.h"
#include "crm-rule.h"
#include "crm-tier.h"
#include "crm-ui-util.h"

#define SAMPLE_CUSTOMERS 5000
#define SAMPLE_ORDERS    20000
/* New results changing more rows than this are played to the view in steps
 * (a change of up to this many rows costs GTK ~30 ms at once). */
#define MAX_RESCAN       60

typedef enum
{
  COL_TEXT,
  COL_TIER,
  COL_LIFECYCLE,
  COL_MONEY,
  COL_COUNT,
  COL_DATE,
} ColumnKind;

static const struct
{
  const char *title;
  const char *property;
  const char *sort_column;
  ColumnKind  kind;
  int         width;
  gboolean    expand;
} columns[] = {
  { N_("Name"), "name", "name", COL_TEXT, 180, TRUE },
  { N_("Phone"), "phone", "phone", COL_TEXT, 160, FALSE },
  { N_("E-mail"), "email", "email", COL_TEXT, 220, TRUE },
  { N_("City"), "city", "city", COL_TEXT, 110, FALSE },
  { N_("Tier"), "tier-id", "tier_id", COL_TIER, 90, FALSE },
  { N_("Stage"), "lifecycle", "lifecycle", COL_LIFECYCLE, 90, FALSE },
  { N_("Total Spent"), "total-spent", "total_spent", COL_MONEY, 110, FALSE },
  { N_("Orders"), "order-count", "order_count", COL_COUNT, 70, FALSE },
  { N_("Last Order"), "last-order-at", "last_order_at", COL_DATE, 130, FALSE },
};

struct _CrmCustomersPage
{
  AdwBin              parent_instance;

  CrmStore           *store;
  CrmCustomerList    *list;
  CrmSplitListModel  *rows;           /* the list as the view gets it */
  GtkSingleSelection *selection;
  GSettings          *settings;
  GHashTable         *tier_names;
  GArray             *tier_filter_ids;
  GCancellable       *sample_cancellable;
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

  /* template children */
  AdwLeaflet         *leaflet;
  GtkWidget          *list_pane;
  AdwHeaderBar       *list_header;
  GtkWidget          *back_button;
  AdwWindowTitle     *list_title;
  GtkToggleButton    *filter_button;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *tier_filter;
  GtkDropDown        *stage_filter;
  GtkSearchEntry     *city_filter;
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

G_DEFINE_FINAL_TYPE (CrmCustomersPage, crm_customers_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAMPLE_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void open_customer_now (CrmCustomersPage *self,
                               gint64            id);
static gboolean load_currency (CrmCustomersPage *self);

/* Accessors ---------------------------------------------------------------- */

gboolean
crm_customers_page_get_folded (CrmCustomersPage *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMERS_PAGE (self), FALSE);

  return self->folded;
}

CrmStore *
crm_customers_page_get_store (CrmCustomersPage *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMERS_PAGE (self), NULL);

  return self->store;
}

CrmCustomerList *
crm_customers_page_get_list (CrmCustomersPage *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMERS_PAGE (self), NULL);

  return self->list;
}

CrmCustomerEditor *
crm_customers_page_get_editor (CrmCustomersPage *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMERS_PAGE (self), NULL);

  return self->editor;
}

GtkEditable *
crm_customers_page_get_search_entry (CrmCustomersPage *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMERS_PAGE (self), NULL);

  return GTK_EDITABLE (self->search_entry);
}

GtkColumnView *
crm_customers_page_get_column_view (CrmCustomersPage *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMERS_PAGE (self), NULL);

  return self->column_view;
}

const char *
crm_customers_page_get_view (CrmCustomersPage *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMERS_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
crm_customers_page_get_count_text (CrmCustomersPage *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMERS_PAGE (self), NULL);

  return self->count_text;
}

/* Layout ------------------------------------------------------------------- */

static void
update_layout (CrmCustomersPage *self)
{
  gboolean inner_folded = adw_leaflet_get_folded (self->leaflet);
  gboolean editor_shown = gtk_widget_get_visible (GTK_WIDGET (self->editor));

  gtk_widget_set_visible (self->back_button, self->folded);
  adw_header_bar_set_show_start_title_buttons (self->list_header, self->folded);
  adw_header_bar_set_show_end_title_buttons (self->list_header, !editor_shown || inner_folded);
  crm_customer_editor_set_folded (self->editor, inner_folded);
  crm_customer_editor_set_show_start_title_buttons (self->editor, inner_folded && self->folded);
}

void
crm_customers_page_set_folded (CrmCustomersPage *self,
                               gboolean          folded)
{
  g_return_if_fail (CRM_IS_CUSTOMERS_PAGE (self));

  folded = !!folded;
  if (self->folded == folded)
    return;

  self->folded = folded;
  update_layout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDED]);
}

static void
show_editor (CrmCustomersPage *self,
             gboolean          show)
{
  gtk_widget_set_visible (GTK_WIDGET (self->editor), show);
  gtk_widget_set_visible (self->editor_separator, show);
  adw_leaflet_set_visible_child (self->leaflet,
                                 show ? GTK_WIDGET (self->editor) : self->list_pane);
  update_layout (self);
}

/* Cells -------------------------------------------------------------------- */

static const char *
tier_name (CrmCustomersPage *self,
           gint64            id)
{
  if (id == 0 || self->tier_names == NULL)
    return NULL;

  return g_hash_table_lookup (self->tier_names, &id);
}

static char *
cell_text (CrmCustomersPage *self,
           CrmCustomer      *customer,
           guint             column)
{
  CrmEntity *entity = CRM_ENTITY (customer);

  switch (columns[column].kind)
    {
    case COL_TEXT:
      {
        g_auto(GValue) value = G_VALUE_INIT;

        g_value_init (&value, G_TYPE_STRING);
        g_object_get_property (G_OBJECT (entity), columns[column].property, &value);
        return g_value_dup_string (&value);
      }
    case COL_TIER:
      return g_strdup (tier_name (self, crm_customer_get_tier_id (customer)));
    case COL_LIFECYCLE:
      {
        gint64 stage = crm_customer_get_lifecycle (customer);

        return stage >= 0 && stage < CRM_LIFECYCLE_N_STAGES
               ? g_strdup (crm_lifecycle_get_label (stage)) : NULL;
      }
    case COL_MONEY:
      return crm_format_money (crm_customer_get_total_spent (customer), self->currency);
    case COL_COUNT:
      return crm_format_count (crm_customer_get_order_count (customer));
    case COL_DATE:
      {
        gint64 ms = crm_customer_get_last_order_at (customer);

        return ms > 0 ? crm_format_date (ms) : NULL;
      }
    default:
      g_assert_not_reached ();
    }
}

typedef struct
{
  CrmCustomersPage *page;
  guint             column;
} ColumnData;

static void
update_cell (GtkListItem *item)
{
  ColumnData *data = g_object_get_data (G_OBJECT (item), "crm-column");
  CrmCustomer *customer = gtk_list_item_get_item (item);
  GtkInscription *cell = GTK_INSCRIPTION (gtk_list_item_get_child (item));
  g_autofree char *text = NULL;

  if (customer != NULL)
    text = cell_text (data->page, customer, data->column);
  gtk_inscription_set_text (cell, text);
}

static void
on_item_notify (GObject     *customer,
                GParamSpec  *pspec,
                GtkListItem *item)
{
  update_cell (item);
}

/* GtkInscription (4.8): measured without laying its text out, which halves
 * the cost of a scroll jump (bench/RESULTS.md).  One font for both scripts
 * (style.css) keeps rows of Latin and Chinese names the same height. */
static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            ColumnData               *data)
{
  GtkWidget *cell = gtk_inscription_new (NULL);
  ColumnKind kind = columns[data->column].kind;

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  if (kind == COL_MONEY || kind == COL_COUNT)
    {
      gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), 1.0);
      gtk_widget_add_css_class (cell, "crm-numeric");
    }
  else
    gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), 0.0);
  if (kind == COL_DATE || kind == COL_TIER || kind == COL_LIFECYCLE)
    gtk_widget_add_css_class (cell, "dim-label");

  gtk_list_item_set_child (item, cell);
  g_object_set_data (G_OBJECT (item), "crm-column", data);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           ColumnData               *data)
{
  GObject *customer = gtk_list_item_get_item (item);
  g_autofree char *signal = g_strconcat ("notify::", columns[data->column].property, NULL);

  update_cell (item);
  if (customer != NULL)
    {
      gulong id = g_signal_connect (customer, signal, G_CALLBACK (on_item_notify), item);

      g_object_set_data (G_OBJECT (item), "crm-handler", GSIZE_TO_POINTER (id));
    }
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             ColumnData               *data)
{
  GObject *customer = gtk_list_item_get_item (item);
  gulong id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (item), "crm-handler"));

  if (customer != NULL && id != 0)
    g_signal_handler_disconnect (customer, id);
  g_object_set_data (G_OBJECT (item), "crm-handler", NULL);
}

static void
build_columns (CrmCustomersPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      ColumnData *data = g_new0 (ColumnData, 1);
      g_autoptr(GtkColumnViewColumn) column = NULL;
      g_autoptr(CrmColumnSorter) sorter = crm_column_sorter_new (columns[i].sort_column);

      data->page = self;
      data->column = i;
      g_object_set_data_full (G_OBJECT (factory), "crm-column", data, g_free);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), data);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), data);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), data);

      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_fixed_width (column, columns[i].width);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
      gtk_column_view_append_column (self->column_view, column);
    }
}

/* List state --------------------------------------------------------------- */

static gboolean
query_is_narrowed (CrmQuery *query)
{
  const char *text = crm_query_get_search_text (query);

  return (text != NULL && text[0] != '\0') ||
         crm_query_get_tier_id (query) != 0 ||
         crm_query_get_lifecycle (query) != -1 ||
         crm_query_get_city (query) != NULL ||
         crm_query_get_tag (query) != NULL ||
         crm_query_get_rule (query) != NULL;
}

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;

  return NULL;
}

/* A new result starts playing to the view: show it from the top. */
static void
on_rows_replaced (CrmSplitListModel *rows,
                  gpointer           user_data)
{
  CrmCustomersPage *self = user_data;
  GtkWidget *list_view = find_list_view (GTK_WIDGET (self->column_view));

  /* Moves the view's anchor to the first row even when the scroll bar is
   * already at the top (the anchor may be an old row the new ones were put
   * above, which the view would otherwise follow down). */
  if (list_view != NULL && g_list_model_get_n_items (G_LIST_MODEL (rows)) > 0)
    gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", 0);
}

static void
select_position (CrmCustomersPage *self,
                 guint             position)
{
  GtkWidget *list_view = find_list_view (GTK_WIDGET (self->column_view));

  /* A row the view does not have yet. */
  if (self->rows != NULL && position != GTK_INVALID_LIST_POSITION &&
      position >= g_list_model_get_n_items (G_LIST_MODEL (self->rows)))
    crm_split_list_model_flush (self->rows);

  self->syncing_selection = TRUE;
  gtk_single_selection_set_selected (self->selection, position);
  self->syncing_selection = FALSE;

  /* GTK 4.8 has no gtk_column_view_scroll_to(); the inner list view's
   * documented "list.scroll-to-item" action does the same. */
  if (list_view != NULL && position != GTK_INVALID_LIST_POSITION)
    gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", position);
}

static void
update_view (CrmCustomersPage *self)
{
  guint n;
  gboolean loading;
  g_autofree char *count = NULL;

  if (self->has_error || self->list == NULL)
    return;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  loading = crm_customer_list_get_loading (self->list);

  count = crm_format_count (n);
  g_free (self->count_text);
  self->count_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s customer", "%s customers", n),
                                      count);
  adw_window_title_set_subtitle (self->list_title, self->count_text);

  if (n > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else if (!loading && query_is_narrowed (crm_customer_list_get_query (self->list)))
    gtk_stack_set_visible_child_name (self->stack, "no-results");
  else if (!loading)
    gtk_stack_set_visible_child_name (self->stack, "empty");

  if (!loading)
    {
      CrmCustomer *open = crm_customer_editor_get_customer (self->editor);
      gint64 want = self->select_after_refresh;

      if (want == 0 && open != NULL && !crm_customer_editor_get_is_new (self->editor))
        want = crm_entity_get_id (CRM_ENTITY (open));
      self->select_after_refresh = 0;

      if (want != 0)
        select_position (self, crm_customer_list_find (self->list, want));
    }
}

static void
on_sort_changed (CrmCustomersPage *self)
{
  g_autoptr(GError) error = NULL;
  gboolean descending = FALSE;
  const char *column;

  /* Also emitted while the view is torn down. */
  if (self->list == NULL || self->column_view == NULL)
    return;

  column = crm_column_sorter_get_primary (gtk_column_view_get_sorter (self->column_view), &descending);

  if (column == NULL)
    {
      column = "name";
      descending = FALSE;
    }

  if (!crm_query_set_sort (crm_customer_list_get_query (self->list), column, descending, &error))
    g_warning ("Cannot sort by %s: %s", column, error->message);
}

static void
on_search_changed (CrmCustomersPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (self->list != NULL)
    crm_query_set_search_text (crm_customer_list_get_query (self->list),
                               text[0] != '\0' ? text : NULL);
}

static void
on_stop_search (CrmCustomersPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static const char *
entry_value (GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  return text[0] != '\0' ? text : NULL;
}

static void
on_filter_changed (CrmCustomersPage *self)
{
  CrmQuery *query;
  guint tier = gtk_drop_down_get_selected (self->tier_filter);
  guint stage = gtk_drop_down_get_selected (self->stage_filter);
  gboolean active;

  if (self->list == NULL)
    return;

  query = crm_customer_list_get_query (self->list);
  crm_query_set_tier_id (query, tier != GTK_INVALID_LIST_POSITION && tier < self->tier_filter_ids->len
                         ? g_array_index (self->tier_filter_ids, gint64, tier) : 0);
  crm_query_set_lifecycle (query, stage != GTK_INVALID_LIST_POSITION && stage > 0 ? (int) stage - 1 : -1);
  crm_query_set_city (query, entry_value (self->city_filter));
  crm_query_set_tag (query, entry_value (self->tag_filter));

  active = crm_query_get_tier_id (query) != 0 || crm_query_get_lifecycle (query) != -1 ||
           crm_query_get_city (query) != NULL || crm_query_get_tag (query) != NULL;
  if (active)
    gtk_widget_add_css_class (GTK_WIDGET (self->filter_button), "accent");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->filter_button), "accent");
}

static void
fill_filters (CrmCustomersPage *self)
{
  g_autoptr(GtkStringList) tiers = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) stages = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) list = NULL;
  gint64 any = 0;

  g_hash_table_remove_all (self->tier_names);
  g_array_set_size (self->tier_filter_ids, 0);
  gtk_string_list_append (tiers, _("Any Tier"));
  g_array_append_val (self->tier_filter_ids, any);

  if (self->store != NULL)
    {
      list = crm_ui_list_tiers (self->store);
      for (guint i = 0; i < list->len; i++)
        {
          CrmTier *tier = g_ptr_array_index (list, i);
          gint64 id = crm_entity_get_id (CRM_ENTITY (tier));

          g_hash_table_insert (self->tier_names, g_memdup2 (&id, sizeof id),
                               g_strdup (crm_tier_get_display_name (tier)));
          gtk_string_list_append (tiers, crm_tier_get_display_name (tier));
          g_array_append_val (self->tier_filter_ids, id);
        }
    }

  gtk_string_list_append (stages, _("Any Stage"));
  for (CrmLifecycle s = 0; s < CRM_LIFECYCLE_N_STAGES; s++)
    gtk_string_list_append (stages, crm_lifecycle_get_label (s));

  gtk_drop_down_set_model (self->tier_filter, G_LIST_MODEL (tiers));
  gtk_drop_down_set_model (self->stage_filter, G_LIST_MODEL (stages));
  /* No tiers defined yet: a filter with only "Any Tier" would be noise. */
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->tier_filter)), self->tier_filter_ids->len > 1);
}

/* Selection and the form --------------------------------------------------- */

static void
open_customer_now (CrmCustomersPage *self,
                   gint64            id)
{
  g_autoptr(GError) error = NULL;

  if (id < 0)
    {
      select_position (self, GTK_INVALID_LIST_POSITION);
      crm_customer_editor_new_customer (self->editor);
      show_editor (self, TRUE);
      return;
    }

  if (!crm_customer_editor_edit (self->editor, id, &error))
    {
      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }
  show_editor (self, TRUE);
}

static void
on_unsaved_response (CrmCustomersPage *self,
                     const char       *response,
                     AdwMessageDialog *dialog)
{
  gint64 pending = self->pending_open;
  g_autoptr(GError) error = NULL;

  self->pending_open = 0;

  if (g_strcmp0 (response, "save") == 0 && !crm_customer_editor_save (self->editor, &error))
    {
      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }

  if (g_strcmp0 (response, "save") == 0 || g_strcmp0 (response, "discard") == 0)
    {
      open_customer_now (self, pending);
      if (pending > 0 && self->list != NULL)
        select_position (self, crm_customer_list_find (self->list, pending));
      return;
    }

  /* Cancelled: the selection goes back to what the form shows. */
  update_view (self);
}

/* Opens @id (-1: a new customer), first asking about unsaved changes. */
static void
request_open (CrmCustomersPage *self,
              gint64            id)
{
  CrmCustomer *open = crm_customer_editor_get_customer (self->editor);
  AdwMessageDialog *dialog;
  const char *name;

  if (open != NULL && id > 0 && !crm_customer_editor_get_is_new (self->editor) &&
      crm_entity_get_id (CRM_ENTITY (open)) == id)
    {
      show_editor (self, TRUE);
      return;
    }

  if (open == NULL || !crm_customer_editor_get_dirty (self->editor))
    {
      open_customer_now (self, id);
      return;
    }

  self->pending_open = id;
  name = crm_customer_get_name (open);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                       _("Save Changes?"), NULL));
  adw_message_dialog_format_body (dialog, _("“%s” has changes that are not saved yet."),
                                  name != NULL && name[0] != '\0' ? name : _("New Customer"));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, "save", crm_customer_editor_get_valid (self->editor));
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_unsaved_response), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
crm_customers_page_open_customer (CrmCustomersPage *self,
                                  gint64            id)
{
  guint position;

  g_return_val_if_fail (CRM_IS_CUSTOMERS_PAGE (self), FALSE);

  if (self->store == NULL)
    return FALSE;

  request_open (self, id);
  position = self->list != NULL ? crm_customer_list_find (self->list, id) : GTK_INVALID_LIST_POSITION;
  if (position != GTK_INVALID_LIST_POSITION &&
      crm_customer_editor_get_customer (self->editor) != NULL &&
      crm_entity_get_id (CRM_ENTITY (crm_customer_editor_get_customer (self->editor))) == id)
    select_position (self, position);

  return crm_customer_editor_get_customer (self->editor) != NULL;
}

static void
on_selection_changed (CrmCustomersPage *self)
{
  CrmCustomer *customer;

  if (self->syncing_selection)
    return;

  customer = gtk_single_selection_get_selected_item (self->selection);
  if (customer != NULL)
    request_open (self, crm_entity_get_id (CRM_ENTITY (customer)));
}

static void
on_editor_saved (CrmCustomersPage *self,
                 CrmCustomer      *saved,
                 gboolean          created)
{
  if (self->list == NULL)
    return;

  if (created)
    {
      /* Where it lands depends on the sort and the search: ask the query. */
      self->select_after_refresh = crm_entity_get_id (CRM_ENTITY (saved));
      crm_customer_list_refresh (self->list);
    }
  else
    {
      crm_customer_list_update_item (self->list, saved);
      /* Changed fields may move it in or out of the current search. */
      if (query_is_narrowed (crm_customer_list_get_query (self->list)))
        crm_customer_list_refresh (self->list);
    }
}

static void
on_editor_closed (CrmCustomersPage *self)
{
  select_position (self, GTK_INVALID_LIST_POSITION);
  show_editor (self, FALSE);
}

static void
on_editor_back (CrmCustomersPage *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
}

static void
on_editor_open_customer (CrmCustomersPage *self,
                         gint64            id)
{
  crm_customers_page_open_customer (self, id);
}

/* Delete and undo ---------------------------------------------------------- */

static void
on_undo_delete (CrmCustomersPage *self,
                AdwToast         *toast)
{
  CrmCustomer *customer = g_object_get_data (G_OBJECT (toast), "crm-customer");
  g_autoptr(GError) error = NULL;

  if (self->store == NULL || customer == NULL)
    return;

  if (!crm_store_restore (self->store, CRM_ENTITY (customer), &error))
    {
      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }

  self->select_after_refresh = crm_entity_get_id (CRM_ENTITY (customer));
  crm_customer_list_refresh (self->list);
}

static void
delete_customer (CrmCustomersPage *self,
                 gint64            id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) customer = NULL;
  CrmCustomer *open = crm_customer_editor_get_customer (self->editor);
  AdwToast *toast;

  customer = crm_store_load (self->store, CRM_TYPE_CUSTOMER, id, &error);
  if (customer == NULL || !crm_store_delete (self->store, CRM_ENTITY (customer), &error))
    {
      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }

  if (open != NULL && crm_entity_get_id (CRM_ENTITY (open)) == id)
    {
      gtk_widget_activate_action (GTK_WIDGET (self->editor), "editor.cancel", NULL);
      show_editor (self, FALSE);
    }
  crm_customer_list_refresh (self->list);

  toast = adw_toast_new_format (_("Deleted “%s”"), crm_customer_get_name (customer));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (toast), "crm-customer", g_object_ref (customer), g_object_unref);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_delete), self, G_CONNECT_SWAPPED);
  crm_ui_show_toast (GTK_WIDGET (self), toast);
}

static void
on_editor_delete_requested (CrmCustomersPage *self,
                            CrmCustomer      *customer)
{
  delete_customer (self, crm_entity_get_id (CRM_ENTITY (customer)));
}

/* Sample shop -------------------------------------------------------------- */

typedef struct
{
  CrmCustomersPage *page;
  double            fraction;
  CrmGeneratePhase  phase;
} ProgressUpdate;

static gboolean
apply_progress (gpointer user_data)
{
  ProgressUpdate *update = user_data;
  CrmCustomersPage *self = update->page;

  if (self->sample_cancellable != NULL)
    {
      gtk_progress_bar_set_fraction (self->sample_progress, update->fraction);
      gtk_progress_bar_set_text (self->sample_progress,
                                 update->phase == CRM_GENERATE_PHASE_WRITING
                                 ? _("Writing customers and orders…")
                                 : _("Building the search index…"));
    }

  g_object_unref (update->page);
  g_free (update);
  return G_SOURCE_REMOVE;
}

static void
sample_progress_cb (const CrmGenerateProgressInfo *info,
                    gpointer                       user_data)
{
  ProgressUpdate *update = g_new0 (ProgressUpdate, 1);
  double total = (double) info->customers_total + info->orders_total;

  /* Runs on the worker: hand the numbers to the main thread. */
  update->page = g_object_ref (user_data);
  update->phase = info->phase;
  update->fraction = info->phase == CRM_GENERATE_PHASE_WRITING && total > 0
                     ? 0.9 * (info->customers_done + info->orders_done) / total
                     : 0.95;
  g_main_context_invoke (NULL, apply_progress, update);
}

static void
generate_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  CrmCustomersPage *self = source_object;
  const char *path = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = NULL;
  CrmGenerateOptions opts = { self->sample_customers, self->sample_orders, 20261126, 0 };

  /* Its own connection: the main one stays free for the UI. */
  store = crm_store_open (path, &error);
  if (store == NULL || !crm_generate (store, &opts, sample_progress_cb, source_object,
                                      cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
set_generating (CrmCustomersPage *self,
                gboolean          generating)
{
  gtk_widget_set_visible (self->sample_progress_box, generating);
  gtk_widget_set_visible (self->sample_button, !generating);
  gtk_widget_set_visible (self->add_button, !generating);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customers.create-sample", !generating);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customers.cancel-sample", generating);
}

static void
generate_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (object);
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->sample_cancellable);
  set_generating (self, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        crm_ui_show_toast (GTK_WIDGET (self),
                           adw_toast_new (_("Sample shop cancelled; nothing was added.")));
      else
        crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }

  fill_filters (self);
  load_currency (self);
  if (self->list != NULL)
    crm_customer_list_refresh (self->list);
  /* The window computes scores, tiers and stages for the new shop. */
  g_signal_emit (self, signals[SAMPLE_CREATED], 0);
}

static void
create_sample_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (widget);
  g_autoptr(GTask) task = NULL;

  if (self->store == NULL || self->sample_cancellable != NULL)
    return;

  self->sample_cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->sample_progress, 0);
  gtk_progress_bar_set_text (self->sample_progress, _("Starting…"));
  set_generating (self, TRUE);

  task = g_task_new (self, self->sample_cancellable, generate_done, NULL);
  g_task_set_source_tag (task, create_sample_action);
  g_task_set_task_data (task, g_strdup (crm_store_get_path (self->store)), g_free);
  g_task_run_in_thread (task, generate_thread);
}

void
crm_customers_page_set_sample_size (CrmCustomersPage *self,
                                    guint64           customers,
                                    guint64           orders)
{
  g_return_if_fail (CRM_IS_CUSTOMERS_PAGE (self));
  g_return_if_fail (self->sample_cancellable == NULL);

  self->sample_customers = customers;
  self->sample_orders = orders;
}

static void
cancel_sample_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (widget);

  if (self->sample_cancellable != NULL)
    g_cancellable_cancel (self->sample_cancellable);
}

/* Actions ------------------------------------------------------------------ */

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (widget);

  if (self->store != NULL)
    request_open (self, -1);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (widget);
  CrmCustomer *customer;

  if (self->store == NULL)
    return;

  customer = gtk_single_selection_get_selected_item (self->selection);
  if (customer == NULL && !crm_customer_editor_get_is_new (self->editor))
    customer = crm_customer_editor_get_customer (self->editor);
  if (customer != NULL)
    delete_customer (self, crm_entity_get_id (CRM_ENTITY (customer)));
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->city_filter), "");
  gtk_editable_set_text (GTK_EDITABLE (self->tag_filter), "");
  gtk_drop_down_set_selected (self->tier_filter, 0);
  gtk_drop_down_set_selected (self->stage_filter, 0);
  /* Apply now rather than after the entries' typing delay. */
  on_search_changed (self);
  on_filter_changed (self);
}

/* Store -------------------------------------------------------------------- */

void
crm_customers_page_show_error (CrmCustomersPage *self,
                               const char       *message)
{
  g_return_if_fail (CRM_IS_CUSTOMERS_PAGE (self));

  crm_customers_page_set_store (self, NULL);
  self->has_error = TRUE;
  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
  adw_window_title_set_subtitle (self->list_title, NULL);
}

/* While the window opens @path off the main thread (crm_store_needs_upgrade()). */
void
crm_customers_page_show_upgrading (CrmCustomersPage *self,
                                   const char       *path)
{
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;

  g_return_if_fail (CRM_IS_CUSTOMERS_PAGE (self));

  crm_customers_page_set_store (self, NULL);
  name = g_filename_display_basename (path);
  /* Translators: %s is a file name. */
  description = g_strdup_printf (_("“%s” is being updated for this version of Clientele. "
                                   "A large database takes a minute; your customers and orders stay as they are."), name);
  adw_status_page_set_description (self->upgrading_page, description);
  gtk_stack_set_visible_child_name (self->stack, "upgrading");
  adw_window_title_set_subtitle (self->list_title, NULL);
}

/* Segments (crm-segments-page.c) ------------------------------------------ */

void
crm_customers_page_show_segment (CrmCustomersPage *self,
                                 CrmSegment       *segment)
{
  g_autoptr(CrmRule) rule = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CRM_IS_CUSTOMERS_PAGE (self));
  g_return_if_fail (segment == NULL || CRM_IS_SEGMENT (segment));

  if (segment != NULL && (rule = crm_rule_new_from_json (crm_segment_get_rule (segment), &error)) == NULL)
    {
      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }

  g_set_object (&self->segment, segment);
  adw_window_title_set_title (self->list_title, segment != NULL ? crm_segment_get_name (segment)
                                                                 : _("Customers"));
  if (self->list != NULL)
    crm_query_set_rule (crm_customer_list_get_query (self->list), rule);
}

CrmSegment *
crm_customers_page_get_segment (CrmCustomersPage *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMERS_PAGE (self), NULL);

  return self->segment;
}

void
crm_customers_page_reload (CrmCustomersPage *self)
{
  g_return_if_fail (CRM_IS_CUSTOMERS_PAGE (self));

  fill_filters (self);
  if (self->list != NULL)
    {
      /* Bulk changes (a recompute, an import) also change rows already shown. */
      crm_customer_list_reload_rows (self->list);
      crm_customer_list_refresh (self->list);
    }
}

void
crm_customers_page_set_store (CrmCustomersPage *self,
                              CrmStore         *store)
{
  g_return_if_fail (CRM_IS_CUSTOMERS_PAGE (self));

  if (self->sample_cancellable != NULL)
    g_cancellable_cancel (self->sample_cancellable);

  gtk_column_view_set_model (self->column_view, NULL);
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->rows);
  g_clear_object (&self->list);
  g_set_object (&self->store, store);
  self->has_error = FALSE;
  g_clear_object (&self->segment);
  adw_window_title_set_title (self->list_title, _("Customers"));

  crm_customer_editor_set_store (self->editor, store);
  show_editor (self, FALSE);
  fill_filters (self);
  load_currency (self);

  if (store == NULL)
    return;

  self->list = crm_customer_list_new (store);
  g_signal_connect_object (self->list, "notify::n-items", G_CALLBACK (update_view), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list, "notify::loading", G_CALLBACK (update_view), self,
                           G_CONNECT_SWAPPED);

  /* Between the two: see crm-split-list-model.h (a new result over 1M rows
   * would otherwise make GTK read every row once, and rebuild 200 rows at once). */
  self->rows = crm_split_list_model_new (G_LIST_MODEL (self->list), MAX_RESCAN, on_rows_replaced, self);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->rows)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (on_selection_changed),
                           self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  on_sort_changed (self);
  on_search_changed (self);
  on_filter_changed (self);
  crm_customer_list_refresh (self->list);
}

const char *
crm_customers_page_get_currency (CrmCustomersPage *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMERS_PAGE (self), NULL);

  return self->currency;
}

/* Re-reads the shop's currency; TRUE if it changed. */
static gboolean
load_currency (CrmCustomersPage *self)
{
  g_autofree char *currency = crm_ui_shop_currency (self->store, self->settings);

  if (g_strcmp0 (currency, self->currency) == 0)
    return FALSE;

  g_free (self->currency);
  self->currency = g_steal_pointer (&currency);
  crm_customer_editor_set_currency (self->editor, self->currency);
  return TRUE;
}

void
crm_customers_page_update_currency (CrmCustomersPage *self)
{
  g_return_if_fail (CRM_IS_CUSTOMERS_PAGE (self));

  /* Rebinds the visible rows so amounts show in the new currency. */
  if (load_currency (self) && self->list != NULL)
    crm_customer_list_refresh (self->list);
}

/* GObject ------------------------------------------------------------------ */

static void
crm_customers_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_customers_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      crm_customers_page_set_folded (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_customers_page_dispose (GObject *object)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (object);

  if (self->sample_cancellable != NULL)
    g_cancellable_cancel (self->sample_cancellable);
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);

  /* The leaflet is both AdwBin's child and a template child: let AdwBin drop
   * it first so it is not unparented twice. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_CUSTOMERS_PAGE);

  g_clear_object (&self->selection);
  g_clear_object (&self->rows);
  g_clear_object (&self->list);
  g_clear_object (&self->store);
  g_clear_object (&self->segment);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (crm_customers_page_parent_class)->dispose (object);
}

static void
crm_customers_page_finalize (GObject *object)
{
  CrmCustomersPage *self = CRM_CUSTOMERS_PAGE (object);

  g_clear_object (&self->sample_cancellable);
  g_clear_pointer (&self->tier_names, g_hash_table_unref);
  g_clear_pointer (&self->tier_filter_ids, g_array_unref);
  g_free (self->count_text);
  g_free (self->currency);

  G_OBJECT_CLASS (crm_customers_page_parent_class)->finalize (object);
}

static void
crm_customers_page_class_init (CrmCustomersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_customers_page_dispose;
  object_class->finalize = crm_customers_page_finalize;

  /* A sample shop was written to the database. */
  signals[SAMPLE_CREATED] = g_signal_new ("sample-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  object_class->get_property = crm_customers_page_get_property;
  object_class->set_property = crm_customers_page_set_property;

  /* Set by the window: TRUE when the sidebar is folded away, so the page shows a back button. */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CRM_TYPE_CUSTOMER_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-customers-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, list_pane);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, list_header);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, list_title);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, filter_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, tier_filter);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, stage_filter);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, city_filter);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, tag_filter);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, upgrading_page);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, sample_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, sample_progress_box);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, sample_progress);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, editor_separator);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomersPage, editor);
  gtk_widget_class_bind_template_callback (widget_class, update_layout);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_editor_saved);
  gtk_widget_class_bind_template_callback (widget_class, on_editor_closed);
  gtk_widget_class_bind_template_callback (widget_class, on_editor_back);
  gtk_widget_class_bind_template_callback (widget_class, on_editor_delete_requested);
  gtk_widget_class_bind_template_callback (widget_class, on_editor_open_customer);

  gtk_widget_class_install_action (widget_class, "customers.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "customers.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "customers.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "customers.clear-filters", NULL, clear_filters_action);
  gtk_widget_class_install_action (widget_class, "customers.create-sample", NULL, create_sample_action);
  gtk_widget_class_install_action (widget_class, "customers.cancel-sample", NULL, cancel_sample_action);
}

static void
crm_customers_page_init (CrmCustomersPage *self)
{
  GtkEventController *shortcuts;
  g_autoptr(GtkColumnViewColumn) first = NULL;

  self->tier_names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->tier_filter_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->sample_customers = SAMPLE_CUSTOMERS;
  self->sample_orders = SAMPLE_ORDERS;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  load_currency (self);
  /* Matters for a database that has no currency of its own yet. */
  g_signal_connect_object (self->settings, "changed::default-currency",
                           G_CALLBACK (crm_customers_page_update_currency), self, G_CONNECT_SWAPPED);

  build_columns (self);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_sort_changed), self, G_CONNECT_SWAPPED);
  first = g_list_model_get_item (gtk_column_view_get_columns (self->column_view), 0);
  gtk_column_view_sort_by_column (self->column_view, first, GTK_SORT_ASCENDING);

  /* Delete acts on the list only while the list has the focus: in a text
   * field it must keep deleting characters. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Delete, 0),
                                                          gtk_named_action_new ("customers.delete")));
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), shortcuts);

  gtk_search_entry_set_key_capture_widget (self->search_entry, self->list_pane);

  set_generating (self, FALSE);
  fill_filters (self);
  gtk_stack_set_visible_child_name (self->stack, "empty");
  update_layout (self);
}

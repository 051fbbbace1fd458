/* crm-merge-dialog.c
 *
 * The merge itself is one transaction on the window's connection (a
 * customer's records move by indexed updates), so it runs on the main thread
 * like any other edit.  The candidates list is a CrmCustomerList of its own:
 * searching a million customers is as quick here as on the Customers page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <string.h>

#include "crm-customer-list.h"
#include "crm-customers-page.h"
#include "crm-format.h"
#include "crm-merge-dialog.h"
#include "crm-merge.h"
#include "crm-order.h"
#include "crm-search.h"
#include "crm-ui-util.h"

/* Fields a user chooses between; the rest is computed or kept. */
#define N_CHOICE_FIELDS (CRM_CUSTOMER_EXTERNAL_ID + 1)

struct _CrmMergeDialog
{
  AdwWindow        parent_instance;

  CrmWindow       *window;        /* weak */
  CrmStore        *store;
  CrmCustomer     *survivor;
  CrmCustomer     *other;
  CrmCustomerList *candidates;
  gboolean         can_choose;
  GtkCheckButton  *choices[N_CHOICE_FIELDS][2];
  gint64           merge_id;
  AdwToast        *toast;

  /* template children */
  AdwToastOverlay *toast_overlay;
  GtkButton       *back_button;
  GtkButton       *merge_button;
  AdwWindowTitle  *title_widget;
  GtkStack        *stack;
  GtkLabel        *choose_label;
  GtkSearchEntry  *search_entry;
  GtkListView     *candidates_view;
  GtkLabel        *compare_intro;
  GtkGrid         *compare_grid;
};

G_DEFINE_FINAL_TYPE (CrmMergeDialog, crm_merge_dialog, ADW_TYPE_WINDOW)

const char *
crm_merge_dialog_get_page (CrmMergeDialog *self)
{
  g_return_val_if_fail (CRM_IS_MERGE_DIALOG (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

GtkCheckButton *
crm_merge_dialog_get_choice (CrmMergeDialog   *self,
                             CrmCustomerField  field,
                             gboolean          other)
{
  g_return_val_if_fail (CRM_IS_MERGE_DIALOG (self), NULL);

  return (guint) field < N_CHOICE_FIELDS ? self->choices[field][other ? 1 : 0] : NULL;
}

gint64
crm_merge_dialog_get_merge_id (CrmMergeDialog *self)
{
  g_return_val_if_fail (CRM_IS_MERGE_DIALOG (self), 0);

  return self->merge_id;
}

AdwToast *
crm_merge_dialog_get_toast (CrmMergeDialog *self)
{
  g_return_val_if_fail (CRM_IS_MERGE_DIALOG (self), NULL);

  return self->toast;
}

GtkEditable *
crm_merge_dialog_get_search_entry (CrmMergeDialog *self)
{
  g_return_val_if_fail (CRM_IS_MERGE_DIALOG (self), NULL);

  return GTK_EDITABLE (self->search_entry);
}

GListModel *
crm_merge_dialog_get_candidates (CrmMergeDialog *self)
{
  g_return_val_if_fail (CRM_IS_MERGE_DIALOG (self), NULL);

  return G_LIST_MODEL (self->candidates);
}

static const char *
display_name (CrmCustomer *customer)
{
  const char *name = crm_customer_get_name (customer);

  return name != NULL && name[0] != '\0' ? name : _("Unnamed customer");
}

/* A field's value as the form would show it; NULL when there is none. */
static char *
field_text (CrmCustomer *customer,
            guint        field)
{
  const GValue *value = crm_entity_get_value (CRM_ENTITY (customer), field);

  if (value == NULL)
    return NULL;

  if (field == CRM_CUSTOMER_GENDER)
    {
      gint64 gender = crm_customer_get_gender (customer);

      return gender != CRM_GENDER_UNKNOWN ? g_strdup (crm_gender_get_label (gender)) : NULL;
    }

  switch (G_VALUE_TYPE (value))
    {
    case G_TYPE_STRING:
      {
        const char *s = g_value_get_string (value);

        return s != NULL && s[0] != '\0' ? g_strdup (s) : NULL;
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (g_value_get_boolean (value) ? _("Yes") : _("No"));
    case G_TYPE_INT64:
      return g_value_get_int64 (value) > 0 ? crm_format_date_time (g_value_get_int64 (value)) : NULL;
    case G_TYPE_INT:
      return g_strdup_printf ("%d", g_value_get_int (value));
    default:
      return NULL;
    }
}

static const char *
field_label (guint field)
{
  CrmEntityClass *klass = g_type_class_peek (CRM_TYPE_CUSTOMER);

  return g_dgettext (GETTEXT_PACKAGE, klass->fields[field].label);
}

static GtkWidget *
value_widget (const char     *text,
              GtkCheckButton *group)
{
  GtkWidget *button = gtk_check_button_new ();
  GtkWidget *label = gtk_label_new (text != NULL ? text : "—");

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
  gtk_label_set_lines (GTK_LABEL (label), 4);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (text == NULL)
    gtk_widget_add_css_class (label, "dim-label");
  gtk_check_button_set_child (GTK_CHECK_BUTTON (button), label);
  gtk_widget_set_hexpand (button, TRUE);
  if (group != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (button), group);

  return button;
}

static GtkWidget *
heading (const char *title,
         const char *caption)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (title);
  GtkWidget *sub = gtk_label_new (caption);

  gtk_label_set_xalign (GTK_LABEL (name), 0.0);
  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_widget_add_css_class (name, "title-4");
  gtk_label_set_xalign (GTK_LABEL (sub), 0.0);
  gtk_label_set_wrap (GTK_LABEL (sub), TRUE);
  gtk_widget_add_css_class (sub, "dim-label");
  gtk_widget_add_css_class (sub, "caption");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), sub);

  return box;
}

static void
build_compare (CrmMergeDialog *self)
{
  GtkWidget *child;
  CrmMergeChoice defaults[CRM_CUSTOMER_N_FIELDS];
  g_autofree char *intro = NULL;
  g_autofree char *survivor_orders = NULL;
  g_autofree char *other_orders = NULL;
  g_autofree char *survivor_count = crm_format_count (crm_customer_get_order_count (self->survivor));
  g_autofree char *other_count = crm_format_count (crm_customer_get_order_count (self->other));
  int row = 1;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->compare_grid))) != NULL)
    gtk_grid_remove (self->compare_grid, child);
  memset (self->choices, 0, sizeof self->choices);

  intro = g_strdup_printf (_("Choose the value to keep where the two differ. The orders, feedback and "
                             "interactions of “%s” move to “%s”, and “%s” is removed. You can undo this."),
                           display_name (self->other), display_name (self->survivor), display_name (self->other));
  gtk_label_set_label (self->compare_intro, intro);

  gtk_grid_attach (self->compare_grid, heading (display_name (self->survivor), _("Kept")), 1, 0, 1, 1);
  gtk_grid_attach (self->compare_grid,
                   heading (display_name (self->other), _("Merged into the kept customer, then removed")),
                   2, 0, 1, 1);

  crm_merge_default_choices (self->survivor, self->other, defaults);
  for (guint field = 0; field < N_CHOICE_FIELDS; field++)
    {
      g_autofree char *mine = field_text (self->survivor, field);
      g_autofree char *theirs = field_text (self->other, field);
      GtkWidget *name;
      GtkWidget *keep, *take;

      if (g_strcmp0 (mine, theirs) == 0)
        continue;

      name = gtk_label_new (field_label (field));
      gtk_label_set_xalign (GTK_LABEL (name), 0.0);
      gtk_widget_set_valign (name, GTK_ALIGN_START);
      gtk_widget_add_css_class (name, "dim-label");
      keep = value_widget (mine, NULL);
      take = value_widget (theirs, GTK_CHECK_BUTTON (keep));
      gtk_check_button_set_active (GTK_CHECK_BUTTON (defaults[field] == CRM_MERGE_TAKE_OTHER ? take : keep), TRUE);
      {
        /* Translators: accessible names of the two choices of a field, e.g. "Keep Phone" / "Take Phone". */
        g_autofree char *keep_name = g_strdup_printf (_("Keep %s"), field_label (field));
        g_autofree char *take_name = g_strdup_printf (_("Take %s"), field_label (field));

        crm_ui_set_accessible_name (keep, keep_name);
        crm_ui_set_accessible_name (take, take_name);
      }

      gtk_grid_attach (self->compare_grid, name, 0, row, 1, 1);
      gtk_grid_attach (self->compare_grid, keep, 1, row, 1, 1);
      gtk_grid_attach (self->compare_grid, take, 2, row, 1, 1);
      self->choices[field][0] = GTK_CHECK_BUTTON (keep);
      self->choices[field][1] = GTK_CHECK_BUTTON (take);
      row++;
    }

  /* What moves, not a choice. */
  {
    GtkWidget *name = gtk_label_new (_("Orders"));
    GtkWidget *mine, *theirs;

    survivor_orders = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s order", "%s orders",
                                                    crm_customer_get_order_count (self->survivor)),
                                       survivor_count);
    other_orders = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s order, moves over", "%s orders, move over",
                                                 crm_customer_get_order_count (self->other)),
                                    other_count);
    mine = gtk_label_new (survivor_orders);
    theirs = gtk_label_new (other_orders);
    gtk_label_set_xalign (GTK_LABEL (name), 0.0);
    gtk_widget_add_css_class (name, "dim-label");
    gtk_label_set_xalign (GTK_LABEL (mine), 0.0);
    gtk_label_set_xalign (GTK_LABEL (theirs), 0.0);
    gtk_widget_set_margin_start (mine, 28);
    gtk_widget_set_margin_start (theirs, 28);
    gtk_grid_attach (self->compare_grid, name, 0, row, 1, 1);
    gtk_grid_attach (self->compare_grid, mine, 1, row, 1, 1);
    gtk_grid_attach (self->compare_grid, theirs, 2, row, 1, 1);
  }
}

static void
show_page (CrmMergeDialog *self,
           const char     *name)
{
  gboolean compare = g_str_equal (name, "compare");

  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_widget_set_visible (GTK_WIDGET (self->merge_button), compare);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), compare && self->can_choose);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "merge.merge", compare);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "merge.swap", compare);
  if (!compare)
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

gboolean
crm_merge_dialog_set_other (CrmMergeDialog  *self,
                            gint64           other_id,
                            GError         **error)
{
  g_autoptr(CrmCustomer) other = NULL;

  g_return_val_if_fail (CRM_IS_MERGE_DIALOG (self), FALSE);

  if (other_id == crm_entity_get_id (CRM_ENTITY (self->survivor)))
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("A customer cannot be merged with itself"));
      return FALSE;
    }

  other = crm_store_load (self->store, CRM_TYPE_CUSTOMER, other_id, error);
  if (other == NULL)
    return FALSE;

  g_set_object (&self->other, other);
  build_compare (self);
  show_page (self, "compare");
  return TRUE;
}

void
crm_merge_dialog_choose_candidate (CrmMergeDialog *self,
                                   guint           position)
{
  g_autoptr(CrmCustomer) customer = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CRM_IS_MERGE_DIALOG (self));

  customer = g_list_model_get_item (G_LIST_MODEL (self->candidates), position);
  if (customer == NULL)
    return;
  if (!crm_merge_dialog_set_other (self, crm_entity_get_id (CRM_ENTITY (customer)), &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
}

static void
on_candidate_activated (CrmMergeDialog *self,
                        guint           position)
{
  crm_merge_dialog_choose_candidate (self, position);
}

static void
on_search_changed (CrmMergeDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (self->candidates != NULL)
    crm_query_set_search_text (crm_customer_list_get_query (self->candidates), text[0] != '\0' ? text : NULL);
}

static void
setup_candidate (GtkSignalListItemFactory *factory,
                 GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *details = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (name), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (details), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (details), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (details, "dim-label");
  gtk_widget_add_css_class (details, "caption");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), details);
  gtk_list_item_set_child (item, box);
}

static void
bind_candidate (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                CrmMergeDialog           *self)
{
  CrmCustomer *customer = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *name = gtk_widget_get_first_child (box);
  GtkWidget *details = gtk_widget_get_next_sibling (name);
  const char *parts[] = {
    crm_customer_get_email (customer),
    crm_customer_get_phone (customer),
    crm_customer_get_city (customer),
  };
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean self_row = crm_entity_get_id (CRM_ENTITY (customer)) == crm_entity_get_id (CRM_ENTITY (self->survivor));

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != NULL && parts[i][0] != '\0')
      g_string_append_printf (text, "%s%s", text->len > 0 ? " · " : "", parts[i]);
  if (self_row)
    g_string_append_printf (text, "%s%s", text->len > 0 ? " · " : "", _("the customer being kept"));

  gtk_label_set_label (GTK_LABEL (name), display_name (customer));
  gtk_label_set_label (GTK_LABEL (details), text->str);
  gtk_widget_set_sensitive (box, !self_row);
}

/* After a merge or its undo the session announces both customers, and the list and the open
 * form follow by themselves.  Only a form that showed the customer merged away moves to the one
 * kept: that is navigation, not a refresh. */
static void
refresh_window (CrmWindow *window,
                gint64     survivor_id,
                gint64     other_id)
{
  CrmCustomersPage *page = crm_window_get_customers_page (window);
  CrmCustomerEditor *editor = crm_customers_page_get_editor (page);
  CrmCustomer *open = crm_customer_editor_get_customer (editor);

  if (open != NULL && !crm_customer_editor_get_is_new (editor) && crm_entity_get_id (CRM_ENTITY (open)) == other_id)
    crm_customers_page_open_customer (page, survivor_id);
}

static void
on_undo_merge (AdwToast  *toast,
               CrmWindow *window)
{
  gint64 merge_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (toast), "crm-merge-id"));
  gint64 survivor = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (toast), "crm-survivor"));
  gint64 other = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (toast), "crm-other"));
  CrmStore *store = crm_window_get_store (window);
  g_autoptr(GError) error = NULL;

  if (store == NULL)
    return;

  if (!crm_merge_undo (store, merge_id, &error))
    {
      crm_window_add_toast (window, adw_toast_new (error->message));
      return;
    }

  refresh_window (window, survivor, other);
  crm_window_add_toast (window, adw_toast_new (_("Merge undone")));
}

static void
merge_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CrmMergeDialog *self = CRM_MERGE_DIALOG (widget);
  CrmMergeChoice choices[CRM_CUSTOMER_N_FIELDS];
  g_autoptr(GError) error = NULL;
  gint64 survivor_id, other_id;

  if (self->other == NULL || self->window == NULL || self->merge_id != 0)
    return;

  crm_merge_default_choices (self->survivor, self->other, choices);
  for (guint field = 0; field < N_CHOICE_FIELDS; field++)
    if (self->choices[field][1] != NULL)
      choices[field] = gtk_check_button_get_active (self->choices[field][1]) ? CRM_MERGE_TAKE_OTHER : CRM_MERGE_KEEP;

  survivor_id = crm_entity_get_id (CRM_ENTITY (self->survivor));
  other_id = crm_entity_get_id (CRM_ENTITY (self->other));
  self->merge_id = crm_merge_customers (self->store, survivor_id, other_id, choices, &error);
  if (self->merge_id == 0)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }

  refresh_window (self->window, survivor_id, other_id);

  /* Translators: %s are two customers' names: the merged one, then the one kept. */
  self->toast = adw_toast_new_format (_("Merged “%s” into “%s”"), display_name (self->other),
                                      display_name (self->survivor));
  g_object_ref (self->toast);
  adw_toast_set_button_label (self->toast, _("_Undo"));
  adw_toast_set_priority (self->toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data (G_OBJECT (self->toast), "crm-merge-id", GSIZE_TO_POINTER ((gsize) self->merge_id));
  g_object_set_data (G_OBJECT (self->toast), "crm-survivor", GSIZE_TO_POINTER ((gsize) survivor_id));
  g_object_set_data (G_OBJECT (self->toast), "crm-other", GSIZE_TO_POINTER ((gsize) other_id));
  g_signal_connect_object (self->toast, "button-clicked", G_CALLBACK (on_undo_merge), self->window, 0);
  crm_window_add_toast (self->window, self->toast);

  gtk_window_destroy (GTK_WINDOW (self));
}

static void
swap_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmMergeDialog *self = CRM_MERGE_DIALOG (widget);
  CrmCustomer *survivor = self->survivor;

  if (self->other == NULL)
    return;

  self->survivor = self->other;
  self->other = survivor;
  build_compare (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmMergeDialog *self = CRM_MERGE_DIALOG (widget);

  if (self->can_choose)
    show_page (self, "choose");
}

static void
crm_merge_dialog_dispose (GObject *object)
{
  CrmMergeDialog *self = CRM_MERGE_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_MERGE_DIALOG);

  G_OBJECT_CLASS (crm_merge_dialog_parent_class)->dispose (object);
}

static void
crm_merge_dialog_finalize (GObject *object)
{
  CrmMergeDialog *self = CRM_MERGE_DIALOG (object);

  g_clear_weak_pointer (&self->window);
  g_clear_object (&self->store);
  g_clear_object (&self->survivor);
  g_clear_object (&self->other);
  g_clear_object (&self->candidates);
  g_clear_object (&self->toast);

  G_OBJECT_CLASS (crm_merge_dialog_parent_class)->finalize (object);
}

static void
crm_merge_dialog_class_init (CrmMergeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_merge_dialog_dispose;
  object_class->finalize = crm_merge_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-merge-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmMergeDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrmMergeDialog, back_button);
  gtk_widget_class_bind_template_child (widget_class, CrmMergeDialog, merge_button);
  gtk_widget_class_bind_template_child (widget_class, CrmMergeDialog, title_widget);
  gtk_widget_class_bind_template_child (widget_class, CrmMergeDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmMergeDialog, choose_label);
  gtk_widget_class_bind_template_child (widget_class, CrmMergeDialog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmMergeDialog, candidates_view);
  gtk_widget_class_bind_template_child (widget_class, CrmMergeDialog, compare_intro);
  gtk_widget_class_bind_template_child (widget_class, CrmMergeDialog, compare_grid);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_candidate_activated);

  gtk_widget_class_install_action (widget_class, "merge.merge", NULL, merge_action);
  gtk_widget_class_install_action (widget_class, "merge.swap", NULL, swap_action);
  gtk_widget_class_install_action (widget_class, "merge.back", NULL, back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
crm_merge_dialog_init (CrmMergeDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CrmMergeDialog *
crm_merge_dialog_new (CrmWindow *window,
                      gint64     survivor_id,
                      gint64     other_id)
{
  CrmMergeDialog *self;
  CrmStore *store;
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GtkNoSelection) selection = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (CRM_IS_WINDOW (window), NULL);
  store = crm_window_get_store (window);
  g_return_val_if_fail (store != NULL, NULL);

  self = g_object_new (CRM_TYPE_MERGE_DIALOG, "transient-for", window, NULL);
  g_set_weak_pointer (&self->window, window);
  self->store = g_object_ref (store);
  self->survivor = crm_store_load (store, CRM_TYPE_CUSTOMER, survivor_id, &error);
  if (self->survivor == NULL)
    {
      g_critical ("Cannot merge customer %" G_GINT64_FORMAT ": %s", survivor_id, error->message);
      self->survivor = crm_customer_new ();
    }
  adw_window_title_set_subtitle (self->title_widget, display_name (self->survivor));

  text = g_strdup_printf (_("Find the customer to merge into “%s”."), display_name (self->survivor));
  gtk_label_set_label (self->choose_label, text);

  self->candidates = crm_customer_list_new (crm_window_get_session (window));
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_candidate), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_candidate), self);
  gtk_list_view_set_factory (self->candidates_view, factory);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->candidates)));
  gtk_list_view_set_model (self->candidates_view, GTK_SELECTION_MODEL (selection));
  crm_customer_list_refresh (self->candidates);

  self->can_choose = other_id == 0;
  if (other_id == 0 || !crm_merge_dialog_set_other (self, other_id, NULL))
    {
      self->can_choose = TRUE;
      show_page (self, "choose");
    }

  return self;
}

void
crm_merge_dialog_open (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CrmWindow *window = CRM_WINDOW (widget);
  CrmCustomersPage *page = crm_window_get_customers_page (window);
  CrmCustomerEditor *editor = crm_customers_page_get_editor (page);
  CrmCustomer *customer = crm_customer_editor_get_customer (editor);
  CrmStore *store = crm_window_get_store (window);
  gint64 other = 0;

  if (store == NULL || customer == NULL || crm_customer_editor_get_is_new (editor))
    {
      crm_window_add_toast (window, adw_toast_new (_("Open a saved customer to merge another one into it.")));
      return;
    }
  if (crm_customer_editor_get_dirty (editor))
    {
      crm_window_add_toast (window, adw_toast_new (_("Save or cancel your changes before merging.")));
      return;
    }

  if (g_strcmp0 (action_name, "window.merge-duplicate") == 0)
    {
      g_autoptr(GArray) ids = crm_store_find_duplicates (store, CRM_ENTITY (customer), NULL);

      if (ids != NULL && ids->len > 0)
        other = g_array_index (ids, gint64, 0);
    }

  gtk_window_present (GTK_WINDOW (crm_merge_dialog_new (window, crm_entity_get_id (CRM_ENTITY (customer)), other)));
}

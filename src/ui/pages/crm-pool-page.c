/* crm-pool-page.c
 *
 * The list is read by a job (crm_pool_list_async(), at most MAX_ROWS customers); a claim and a
 * return are writes through crm_store_write_async().  The owners offered are read on the main
 * connection (a short table) whenever the session says they may have changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-format.h"
#include "crm-pool-page.h"
#include "crm-tasks-jobs.h"
#include "crm-ui-util.h"

#define MAX_ROWS 500

struct _CrmPoolPage
{
  AdwBin          parent_instance;

  CrmSession     *session;
  CrmStore       *store;
  GSettings      *settings;
  GCancellable   *loading;
  gboolean        folded;
  GPtrArray      *rows;
  GtkStringList  *owners;

  /* template children */
  AdwHeaderBar   *header;
  GtkWidget      *back_button;
  GtkSpinner     *spinner;
  AdwComboRow    *owner_row;
  AdwPreferencesGroup *pool_group;
  GtkListBox     *pool_list;
};

G_DEFINE_FINAL_TYPE (CrmPoolPage, crm_pool_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

enum
{
  OPEN_CUSTOMER,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- owners -------------------------------------------------------------------------------- */

static void
fill_owners (CrmPoolPage *self)
{
  g_autoptr(GPtrArray) owners = NULL;
  g_autofree char *operator = g_settings_get_string (self->settings, "operator-owner");
  guint selected = GTK_INVALID_LIST_POSITION;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->owners));

  if (self->store == NULL || !(owners = crm_owners_list (self->store, NULL)))
    owners = g_ptr_array_new ();
  {
    g_autofree const char **names = g_new0 (const char *, owners->len + 1);

    for (guint i = 0; i < owners->len; i++)
      {
        names[i] = ((CrmOwner *) owners->pdata[i])->name;
        if (g_strcmp0 (names[i], operator) == 0)
          selected = i;
      }
    gtk_string_list_splice (self->owners, 0, n, names);
  }
  if (selected != GTK_INVALID_LIST_POSITION)
    adw_combo_row_set_selected (self->owner_row, selected);
}

static const char *
chosen_owner (CrmPoolPage *self)
{
  guint i = adw_combo_row_get_selected (self->owner_row);

  if (i == GTK_INVALID_LIST_POSITION || i >= g_list_model_get_n_items (G_LIST_MODEL (self->owners)))
    return NULL;
  return gtk_string_list_get_string (self->owners, i);
}

/* ---- rows ---------------------------------------------------------------------------------- */

static void on_claim_clicked (CrmPoolPage *self,
                              GtkButton   *button);

static void
clear_rows (CrmPoolPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->pool_list))) != NULL)
    gtk_list_box_remove (self->pool_list, child);
  g_ptr_array_set_size (self->rows, 0);
}

static void
fill_rows (CrmPoolPage *self,
           GPtrArray   *pool)
{
  guint days = self->store != NULL ? crm_pool_get_return_days (self->store) : CRM_POOL_DEFAULT_RETURN_DAYS;
  g_autofree char *description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
      "Customers without an owner. An owned customer returns here after %u day without an interaction or order.",
      "Customers without an owner. An owned customer returns here after %u days without an interaction or order.",
      days), days);

  adw_preferences_group_set_description (self->pool_group, description);
  clear_rows (self);
  for (guint i = 0; i < pool->len; i++)
    {
      CrmPoolCustomer *c = g_ptr_array_index (pool, i);
      g_autofree char *last = NULL;
      g_autofree char *since = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row, *button;

      if (c->owner != NULL)
        continue;   /* due to return, not returned yet */
      last = crm_format_date (c->last_activity);
      since = c->since > 0 ? crm_format_date (c->since) : NULL;
      /* Translators: under a customer in the pool: the last contact or order, and since when in the pool. */
      subtitle = since != NULL ? g_strdup_printf (_("Last active %s · in the pool since %s"), last, since)
                                                : g_strdup_printf (_("Last active %s"), last);
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), c->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "crm-customer-id", GSIZE_TO_POINTER ((gsize) c->customer_id));
      button = gtk_button_new_with_label (_("Claim"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (button), "crm-customer-id", GSIZE_TO_POINTER ((gsize) c->customer_id));
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_claim_clicked), self, G_CONNECT_SWAPPED);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->pool_list, row);
      g_ptr_array_add (self->rows, row);
    }
  if (self->rows->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("The pool is empty: every customer has an owner."));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->pool_list, row);
    }
}

/* ---- loading ------------------------------------------------------------------------------- */

static void
set_loading (CrmPoolPage *self,
             gboolean     loading)
{
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);
  gtk_spinner_set_spinning (self->spinner, loading);
}

static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(CrmPoolPage) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pool = crm_pool_list_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->loading);
  set_loading (self, FALSE);
  if (pool == NULL)
    {
      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }
  fill_rows (self, pool);
}

void
crm_pool_page_reload (CrmPoolPage *self)
{
  g_return_if_fail (CRM_IS_POOL_PAGE (self));

  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  fill_owners (self);
  if (self->session == NULL || self->store == NULL)
    {
      set_loading (self, FALSE);
      return;
    }
  self->loading = g_cancellable_new ();
  set_loading (self, TRUE);
  crm_pool_list_async (self->session, crm_now_ms (), MAX_ROWS, self->loading, load_done, g_object_ref (self));
}

static void
reload_if_shown (CrmPoolPage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    crm_pool_page_reload (self);
}

/* ---- writes -------------------------------------------------------------------------------- */

typedef struct
{
  gint64  customer_id;
  char   *owner;
} Claim;

static void
claim_free (gpointer data)
{
  Claim *claim = data;

  g_free (claim->owner);
  g_free (claim);
}

static gboolean
write_claim (CrmStore  *store,
             gpointer   data,
             GError   **error)
{
  Claim *claim = data;

  return crm_pool_claim (store, claim->customer_id, claim->owner, 0, error);
}

static gboolean
write_return (CrmStore  *store,
              gpointer   data,
              GError   **error)
{
  gint64 *returned = data;

  return (*returned = crm_pool_return_due (store, crm_now_ms (), error)) >= 0;
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(CrmPoolPage) self = data;
  g_autoptr(GError) error = NULL;

  if (!crm_store_write_finish (CRM_STORE (source), result, &error))
    crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
  crm_pool_page_reload (self);
}

static void
on_claim_clicked (CrmPoolPage *self,
                  GtkButton   *button)
{
  const char *owner = chosen_owner (self);
  Claim *claim;

  if (self->store == NULL)
    return;
  if (owner == NULL)
    {
      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (_("Add an owner in Preferences first")));
      return;
    }
  claim = g_new0 (Claim, 1);
  claim->customer_id = (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "crm-customer-id"));
  claim->owner = g_strdup (owner);
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  crm_store_write_async (self->store, write_claim, claim, claim_free, NULL, NULL, NULL, on_written,
                         g_object_ref (self));
}

static void
return_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CrmPoolPage *self = CRM_POOL_PAGE (widget);

  if (self->store == NULL)
    return;
  crm_store_write_async (self->store, write_return, g_new0 (gint64, 1), g_free, NULL, NULL, NULL, on_written,
                         g_object_ref (self));
}

static void
on_row_activated (CrmPoolPage   *self,
                  GtkListBoxRow *row)
{
  gint64 id = (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "crm-customer-id"));

  if (id > 0)
    g_signal_emit (self, signals[OPEN_CUSTOMER], 0, id);
}

/* ---- public -------------------------------------------------------------------------------- */

void
crm_pool_page_set_session (CrmPoolPage *self,
                           CrmSession  *session)
{
  g_return_if_fail (CRM_IS_POOL_PAGE (self));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  g_clear_object (&self->store);
  if (session != NULL && crm_session_get_store (session) != NULL)
    {
      self->store = g_object_ref (crm_session_get_store (session));
      g_signal_connect_object (session, "customers-changed", G_CALLBACK (reload_if_shown), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "activity-changed", G_CALLBACK (reload_if_shown), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "settings-changed", G_CALLBACK (reload_if_shown), self, G_CONNECT_SWAPPED);
    }
  reload_if_shown (self);
}

void
crm_pool_page_set_folded (CrmPoolPage *self,
                          gboolean     folded)
{
  g_return_if_fail (CRM_IS_POOL_PAGE (self));

  crm_ui_page_set_folded (G_OBJECT (self), properties[PROP_FOLDED], &self->folded, folded,
                          self->back_button, self->header);
}

gboolean
crm_pool_page_get_loading (CrmPoolPage *self)
{
  g_return_val_if_fail (CRM_IS_POOL_PAGE (self), FALSE);
  return self->loading != NULL;
}

GPtrArray *
crm_pool_page_get_rows (CrmPoolPage *self)
{
  g_return_val_if_fail (CRM_IS_POOL_PAGE (self), NULL);
  return self->rows;
}

/* ---- GObject ------------------------------------------------------------------------------- */

static void
crm_pool_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (crm_pool_page_parent_class)->map (widget);
  crm_pool_page_reload (CRM_POOL_PAGE (widget));
}

static void
crm_pool_page_dispose (GObject *object)
{
  CrmPoolPage *self = CRM_POOL_PAGE (object);

  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_POOL_PAGE);

  G_OBJECT_CLASS (crm_pool_page_parent_class)->dispose (object);
}

static void
crm_pool_page_finalize (GObject *object)
{
  CrmPoolPage *self = CRM_POOL_PAGE (object);

  g_clear_object (&self->session);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->loading);
  g_clear_object (&self->owners);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (crm_pool_page_parent_class)->finalize (object);
}

static void
crm_pool_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_FOLDED:
      g_value_set_boolean (value, CRM_POOL_PAGE (object)->folded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_pool_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_FOLDED:
      crm_pool_page_set_folded (CRM_POOL_PAGE (object), g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_pool_page_class_init (CrmPoolPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_pool_page_dispose;
  object_class->finalize = crm_pool_page_finalize;
  object_class->get_property = crm_pool_page_get_property;
  object_class->set_property = crm_pool_page_set_property;
  widget_class->map = crm_pool_page_map;

  /* Set by the window: the sidebar is folded away, so show a back button. */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A row was activated: its customer. */
  signals[OPEN_CUSTOMER] = g_signal_new ("open-customer", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/clientele/Clientele/ui/crm-pool-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmPoolPage, header);
  gtk_widget_class_bind_template_child (widget_class, CrmPoolPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, CrmPoolPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CrmPoolPage, owner_row);
  gtk_widget_class_bind_template_child (widget_class, CrmPoolPage, pool_group);
  gtk_widget_class_bind_template_child (widget_class, CrmPoolPage, pool_list);
  gtk_widget_class_install_action (widget_class, "pool.return", NULL, return_activated);
}

static void
crm_pool_page_init (CrmPoolPage *self)
{
  self->rows = g_ptr_array_new ();
  self->owners = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  adw_combo_row_set_model (self->owner_row, G_LIST_MODEL (self->owners));
  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::operator-owner", G_CALLBACK (fill_owners), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->pool_list, "row-activated", G_CALLBACK (on_row_activated), self, G_CONNECT_SWAPPED);
}

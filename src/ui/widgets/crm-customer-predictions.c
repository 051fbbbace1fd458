/* crm-customer-predictions.c
 *
 * Read-only: the values are computed by "Compute Predictions" on the dashboard
 * (crm_predict_run, crm_recommend_compute).  Both reads are indexed point
 * look-ups (well under a millisecond at 1M customers, bench/RESULTS.md),
 * so they run on the main thread as the detail opens.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <math.h>

#include "crm-customer-predictions.h"
#include "crm-format.h"
#include "crm-predict.h"
#include "crm-recommend.h"
#include "crm-ui-util.h"

#define MAX_RECOMMENDATIONS 5

struct _CrmCustomerPredictions
{
  AdwBin               parent_instance;

  CrmStore            *store;
  gint64               customer_id;
  GSettings           *settings;
  GPtrArray           *product_rows;
  GPtrArray           *products;      /* names shown, for tests */
  char                *p_alive_text;
  char                *clv_text;
  char                *risk_text;

  /* template children */
  AdwPreferencesGroup *group;
  AdwActionRow        *risk_row;
  GtkLabel            *risk_label;
  AdwActionRow        *alive_row;
  GtkLabel            *alive_label;
  AdwActionRow        *clv_row;
  GtkLabel            *clv_label;
  AdwActionRow        *expected_row;
  GtkLabel            *expected_label;
  AdwExpanderRow      *products_row;
  GtkWidget           *compute_button;   /* "Compute Now", when computing would give a prediction */
  gboolean             can_compute;
};

G_DEFINE_FINAL_TYPE (CrmCustomerPredictions, crm_customer_predictions, ADW_TYPE_BIN)

const char *
crm_customer_predictions_get_p_alive_text (CrmCustomerPredictions *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_PREDICTIONS (self), NULL);

  return self->p_alive_text;
}

const char *
crm_customer_predictions_get_clv_text (CrmCustomerPredictions *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_PREDICTIONS (self), NULL);

  return self->clv_text;
}

const char *
crm_customer_predictions_get_risk_text (CrmCustomerPredictions *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_PREDICTIONS (self), NULL);

  return self->risk_text;
}

GStrv
crm_customer_predictions_dup_products (CrmCustomerPredictions *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (CRM_IS_CUSTOMER_PREDICTIONS (self), NULL);

  for (guint i = 0; i < self->products->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->products, i));
  return g_strv_builder_end (builder);
}

static void
clear_products (CrmCustomerPredictions *self)
{
  for (guint i = 0; i < self->product_rows->len; i++)
    adw_expander_row_remove (self->products_row, g_ptr_array_index (self->product_rows, i));
  g_ptr_array_set_size (self->product_rows, 0);
  g_ptr_array_set_size (self->products, 0);
}

static void
add_product_row (CrmCustomerPredictions *self,
                 const char             *title,
                 const char             *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_expander_row_add_row (self->products_row, row);
  g_ptr_array_add (self->product_rows, row);
}

static char *
format_expected (double value)
{
  /* Fractions of a purchase read better with one decimal ("0.4"); the locale picks the point. */
  return isnan (value) ? g_strdup ("—") : g_strdup_printf ("%.1f", value);
}

static void
fill_prediction (CrmCustomerPredictions *self,
                 const CrmPrediction    *p)
{
  static const char *const risk_classes[] = { "success", "warning", "error" };
  g_autofree char *currency = crm_ui_shop_currency (self->store, self->settings);
  g_autofree char *e30 = format_expected (p->expected_30);
  g_autofree char *e90 = format_expected (p->expected_90);
  g_autofree char *e365 = format_expected (p->expected_365);
  g_autofree char *expected = NULL;
  g_autofree char *clv_subtitle = NULL;
  CrmPredictOptions options;

  crm_predict_options_init (&options, self->store);

  self->p_alive_text = g_strdup_printf ("%.0f%%", 100 * p->p_alive);
  self->risk_text = g_strdup (crm_churn_risk_get_label (p->risk));
  self->clv_text = p->clv >= 0 ? crm_format_money (p->clv, currency) : g_strdup ("—");
  /* Translators: expected purchases in the next 30, 90 and 365 days, e.g. "0.4 · 1.1 · 3.9". */
  expected = g_strdup_printf (_("%s · %s · %s"), e30, e90, e365);

  gtk_label_set_label (self->alive_label, self->p_alive_text);
  gtk_label_set_label (self->risk_label, self->risk_text);
  for (guint i = 0; i < G_N_ELEMENTS (risk_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->risk_label), risk_classes[i]);
  if (p->risk < G_N_ELEMENTS (risk_classes))
    gtk_widget_add_css_class (GTK_WIDGET (self->risk_label), risk_classes[p->risk]);
  gtk_label_set_label (self->clv_label, self->clv_text);
  gtk_label_set_label (self->expected_label, expected);

  clv_subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Predicted spend over the next %u month, discounted",
                                               "Predicted spend over the next %u months, discounted",
                                               options.clv_months),
                                  options.clv_months);
  adw_action_row_set_subtitle (self->clv_row, clv_subtitle);
}

static void
fill_recommendations (CrmCustomerPredictions *self)
{
  g_autoptr(GPtrArray) recs = NULL;
  g_autoptr(GError) error = NULL;

  recs = crm_recommend_for_customer (self->store, self->customer_id, MAX_RECOMMENDATIONS, &error);
  if (recs == NULL)
    {
      g_warning ("Could not read the recommendations: %s", error->message);
      adw_expander_row_set_subtitle (self->products_row, error->message);
      return;
    }

  for (guint i = 0; i < recs->len; i++)
    {
      CrmRecommendation *r = g_ptr_array_index (recs, i);
      const char *name = r->name != NULL && r->name[0] != '\0' ? r->name : r->product;
      g_autofree char *subtitle = NULL;

      if (r->because != NULL && r->category != NULL && r->category[0] != '\0')
        /* Translators: a recommended product's category, then the product the customer bought. */
        subtitle = g_strdup_printf (_("%s · often bought with %s"), r->category, r->because);
      else if (r->because != NULL)
        subtitle = g_strdup_printf (_("Often bought with %s"), r->because);
      add_product_row (self, name, subtitle);
      g_ptr_array_add (self->products, g_strdup (name));
    }

  if (recs->len == 0)
    {
      adw_expander_row_set_subtitle (self->products_row, _("Nothing to suggest yet"));
      adw_expander_row_set_enable_expansion (self->products_row, FALSE);
    }
  else
    {
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      g_autofree char *joined = NULL;

      for (guint i = 0; i < MIN (recs->len, 3); i++)
        g_ptr_array_add (names, g_ptr_array_index (self->products, i));
      g_ptr_array_add (names, NULL);
      /* Translators: separator between product names in a short list. */
      joined = g_strjoinv (_(", "), (char **) names->pdata);
      adw_expander_row_set_subtitle (self->products_row, joined);
      adw_expander_row_set_enable_expansion (self->products_row, TRUE);
    }
}

/* The true reason a customer has no prediction; sets whether computing would give one. */
static char *
why_not_computed (CrmCustomerPredictions *self)
{
  g_autoptr(CrmCustomer) customer = crm_store_load (self->store, CRM_TYPE_CUSTOMER, self->customer_id, NULL);
  CrmPredictModel model;
  g_autofree char *computed = NULL;
  g_autofree char *first = NULL;

  self->can_compute = FALSE;
  if (customer == NULL || crm_customer_get_order_count (customer) == 0)
    return g_strdup (_("No prediction yet: predictions start with this customer’s first order."));

  self->can_compute = TRUE;
  if (!crm_predict_model_load (self->store, &model, NULL))
    return g_strdup (_("Predictions have not been computed for this shop yet."));

  computed = crm_format_date (model.calibration_end);
  first = crm_format_date (crm_customer_get_first_order_at (customer));
  if (crm_customer_get_first_order_at (customer) > model.calibration_end)
    /* Translators: both are dates. */
    return g_strdup_printf (_("Predictions were last computed on %s, before this customer’s first order on %s."),
                            computed, first);
  /* Translators: %s is a date. */
  return g_strdup_printf (_("The predictions computed on %s did not include this customer."), computed);
}

static void
on_compute_clicked (CrmCustomerPredictions *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "window.compute-predictions", NULL);
}

void
crm_customer_predictions_refresh (CrmCustomerPredictions *self)
{
  g_autoptr(GError) error = NULL;
  CrmPrediction prediction;
  gboolean found;

  g_return_if_fail (CRM_IS_CUSTOMER_PREDICTIONS (self));

  clear_products (self);
  g_clear_pointer (&self->p_alive_text, g_free);
  g_clear_pointer (&self->clv_text, g_free);
  g_clear_pointer (&self->risk_text, g_free);

  gtk_widget_set_visible (GTK_WIDGET (self), self->store != NULL && self->customer_id > 0);
  if (self->store == NULL || self->customer_id <= 0)
    return;

  found = crm_predict_get (self->store, self->customer_id, &prediction, &error);
  if (error != NULL)
    g_warning ("Could not read the prediction: %s", error->message);

  gtk_widget_set_visible (GTK_WIDGET (self->risk_row), found);
  gtk_widget_set_visible (GTK_WIDGET (self->alive_row), found);
  gtk_widget_set_visible (GTK_WIDGET (self->clv_row), found);
  gtk_widget_set_visible (GTK_WIDGET (self->expected_row), found);
  if (found)
    {
      g_autofree char *when = crm_format_date (prediction.computed_at);
      g_autofree char *description = g_strdup_printf (_("Computed %s"), when);

      fill_prediction (self, &prediction);
      adw_preferences_group_set_description (self->group, description);
    }
  else
    {
      g_autofree char *reason = error != NULL ? g_strdup (error->message) : why_not_computed (self);

      adw_preferences_group_set_description (self->group, reason);
    }
  gtk_widget_set_visible (self->compute_button, !found && error == NULL && self->can_compute);

  fill_recommendations (self);
}

void
crm_customer_predictions_set_customer (CrmCustomerPredictions *self,
                                       CrmStore               *store,
                                       gint64                  customer_id)
{
  g_return_if_fail (CRM_IS_CUSTOMER_PREDICTIONS (self));

  g_set_object (&self->store, store);
  self->customer_id = customer_id;
  adw_expander_row_set_expanded (self->products_row, FALSE);
  crm_customer_predictions_refresh (self);
}

static void
crm_customer_predictions_dispose (GObject *object)
{
  CrmCustomerPredictions *self = CRM_CUSTOMER_PREDICTIONS (object);

  /* The group is both AdwBin's child and a template child: let AdwBin drop it
   * first so it is not unparented twice. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_CUSTOMER_PREDICTIONS);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (crm_customer_predictions_parent_class)->dispose (object);
}

static void
crm_customer_predictions_finalize (GObject *object)
{
  CrmCustomerPredictions *self = CRM_CUSTOMER_PREDICTIONS (object);

  g_ptr_array_unref (self->product_rows);
  g_ptr_array_unref (self->products);
  g_free (self->p_alive_text);
  g_free (self->clv_text);
  g_free (self->risk_text);

  G_OBJECT_CLASS (crm_customer_predictions_parent_class)->finalize (object);
}

static void
crm_customer_predictions_class_init (CrmCustomerPredictionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_customer_predictions_dispose;
  object_class->finalize = crm_customer_predictions_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-customer-predictions.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerPredictions, group);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerPredictions, risk_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerPredictions, risk_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerPredictions, alive_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerPredictions, alive_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerPredictions, clv_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerPredictions, clv_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerPredictions, expected_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerPredictions, expected_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCustomerPredictions, products_row);
}

static void
crm_customer_predictions_init (CrmCustomerPredictions *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->product_rows = g_ptr_array_new ();
  self->products = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);

  self->compute_button = gtk_button_new_with_mnemonic (_("C_ompute Now"));
  gtk_widget_set_valign (self->compute_button, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (self->compute_button, FALSE);
  g_signal_connect_object (self->compute_button, "clicked", G_CALLBACK (on_compute_clicked), self, G_CONNECT_SWAPPED);
  adw_preferences_group_set_header_suffix (self->group, self->compute_button);
}

/* For tests: the button that computes the missing predictions, shown or not. */
GtkWidget *
crm_customer_predictions_get_compute_button (CrmCustomerPredictions *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_PREDICTIONS (self), NULL);

  return self->compute_button;
}

const char *
crm_customer_predictions_get_reason (CrmCustomerPredictions *self)
{
  g_return_val_if_fail (CRM_IS_CUSTOMER_PREDICTIONS (self), NULL);

  return adw_preferences_group_get_description (self->group);
}

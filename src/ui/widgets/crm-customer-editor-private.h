/* crm-customer-editor-private.h: the instance struct shared by the pieces of
 * the customer form (see crm-customer-editor.c) and the functions they call in
 * each other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-customer-editor.h"
#include "crm-customer-loyalty.h"
#include "crm-customer-predictions.h"
#include "crm-customer-tasks.h"
#include "crm-customer-timeline.h"
#include "crm-customer-value.h"
#include "crm-customer-points.h"
#include "crm-order-history.h"

G_BEGIN_DECLS

struct _CrmCustomerEditor
{
  AdwBin               parent_instance;

  CrmSession          *session;
  CrmStore            *store;       /* the session's */
  CrmCustomer         *customer;
  GArray              *duplicates;
  char                *currency;
  char                *errors[CRM_CUSTOMER_N_FIELDS];
  GtkWidget           *rows[CRM_CUSTOMER_N_FIELDS];
  GtkWidget           *error_rows[CRM_CUSTOMER_N_FIELDS];
  GtkCalendar         *calendar;
  GtkWidget           *calendar_button;
  gboolean             is_new;
  gboolean             filling;
  GCancellable        *save_cancellable;   /* a Save waiting for another program's write lock */
  gboolean             saving_new;

  /* template children */
  AdwHeaderBar        *header;
  GtkWidget           *back_button;
  GtkWidget           *cancel_button;
  GtkWidget           *delete_button;
  AdwWindowTitle      *title_widget;
  GtkRevealer         *waiting_revealer;
  GtkLabel            *waiting_label;
  GtkRevealer         *duplicate_revealer;
  GtkLabel            *duplicate_label;
  GtkScrolledWindow   *scroller;
  AdwPreferencesGroup *contact_group;
  AdwPreferencesGroup *personal_group;
  AdwPreferencesGroup *address_group;
  AdwPreferencesGroup *relationship_group;
  AdwPreferencesGroup *consent_group;
  CrmOrderHistory     *order_history;
  CrmCustomerTimeline *timeline;
  CrmCustomerTasks    *tasks_view;
  AdwPreferencesGroup *purchases_group;
  CrmCustomerValue    *value_view;
  CrmCustomerPoints   *points_view;
  CrmCustomerPredictions *predictions_view;
  CrmCustomerLoyalty  *loyalty_view;
  GtkLabel            *total_spent_label;
  GtkLabel            *order_count_label;
  GtkLabel            *first_order_label;
  GtkLabel            *last_order_label;
  GtkTextView         *notes_view;
  GtkLabel            *notes_error;
};

/* For tests: the widget editing @field (an AdwEntryRow for text fields) and
 * the message shown under it, NULL when the value is fine. */
GtkWidget         *crm_customer_editor_get_field_widget (CrmCustomerEditor *self,
                                                         CrmCustomerField   field);
const char        *crm_customer_editor_get_field_error  (CrmCustomerEditor *self,
                                                         CrmCustomerField   field);
/* For tests: what the waiting banner says while a Save waits for another program, else NULL. */
const char        *crm_customer_editor_get_waiting_text (CrmCustomerEditor *self);

/* crm-customer-editor-form.c */
char *_crm_customer_editor_check_text            (guint       field,
                                                  const char *text);
void  _crm_customer_editor_set_field_error       (CrmCustomerEditor *self,
                                                  guint              field,
                                                  char              *message);
void  _crm_customer_editor_update_state          (CrmCustomerEditor *self);
void  _crm_customer_editor_build_form            (CrmCustomerEditor *self);
void  _crm_customer_editor_fill_form             (CrmCustomerEditor *self);
void  _crm_customer_editor_follow_changes (CrmCustomerEditor *self,
                                          GArray            *ids);

/* crm-customer-editor.c: Save in its steps, for the action that waits */
gboolean _crm_customer_editor_check              (CrmCustomerEditor *self,
                                                  GError           **error);
gboolean _crm_customer_editor_write              (CrmStore          *store,
                                                  gpointer           self,
                                                  GError           **error);
void     _crm_customer_editor_saved              (CrmCustomerEditor *self);
void     _crm_customer_editor_stop_waiting       (CrmCustomerEditor *self);

/* crm-customer-editor-actions.c */
void  _crm_customer_editor_class_actions_init    (GtkWidgetClass *widget_class);

G_END_DECLS

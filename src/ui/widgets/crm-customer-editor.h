/* crm-customer-editor.h: the customer form — every field, inline validation,
 * Save/Cancel, duplicate warning, the customer's orders.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-customer.h"
#include "crm-customer-timeline.h"
#include "crm-session.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_CUSTOMER_EDITOR (crm_customer_editor_get_type ())
G_DECLARE_FINAL_TYPE (CrmCustomerEditor, crm_customer_editor, CRM, CUSTOMER_EDITOR, AdwBin)

CrmCustomerEditor *crm_customer_editor_new           (void);
/* Works on @session's shop (NULL: none), and follows what the session announces of the
 * customer shown. */
void               crm_customer_editor_set_session   (CrmCustomerEditor *self,
                                                      CrmSession        *session);
/* Currency of the aggregate amounts (total spent). */
void               crm_customer_editor_set_currency  (CrmCustomerEditor *self,
                                                      const char        *currency);
/* Loads a fresh copy of customer @id: edits never touch the list's object
 * until they are saved. */
gboolean           crm_customer_editor_edit          (CrmCustomerEditor *self,
                                                      gint64             id,
                                                      GError           **error);
void               crm_customer_editor_new_customer  (CrmCustomerEditor *self);
/* Gives the keyboard focus to the first field (the name). */
void               crm_customer_editor_focus_first_field (CrmCustomerEditor *self);
/* The working copy (NULL when nothing is open). */
CrmCustomer       *crm_customer_editor_get_customer  (CrmCustomerEditor *self);
gboolean           crm_customer_editor_get_is_new    (CrmCustomerEditor *self);
/* The customer's timeline with its quick-log entry. */
CrmCustomerTimeline *crm_customer_editor_get_timeline (CrmCustomerEditor *self);
/* Unsaved changes. */
gboolean           crm_customer_editor_get_dirty     (CrmCustomerEditor *self);
/* No field has a validation error. */
gboolean           crm_customer_editor_get_valid     (CrmCustomerEditor *self);
gboolean           crm_customer_editor_save          (CrmCustomerEditor *self,
                                                      GError           **error);
void               crm_customer_editor_set_folded    (CrmCustomerEditor *self,
                                                      gboolean           folded);
void               crm_customer_editor_set_show_start_title_buttons (CrmCustomerEditor *self,
                                                      gboolean           show);

G_END_DECLS

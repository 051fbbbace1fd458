/* crm-window.h: the main window — a sidebar of sections and the section's page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-application.h"
#include "crm-customers-page.h"
#include "crm-dashboard-page.h"
#include "crm-pool-page.h"
#include "crm-today-page.h"
#include "crm-feedback-page.h"
#include "crm-segments-page.h"
#include "crm-tiers-page.h"
#include "crm-campaigns-page.h"
#include "crm-loyalty-page.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_WINDOW (crm_window_get_type ())
G_DECLARE_FINAL_TYPE (CrmWindow, crm_window, CRM, WINDOW, AdwApplicationWindow)

CrmWindow  *crm_window_new             (CrmApplication *application);
/* Name of the visible section ("customers", ...). */
const char *crm_window_get_section     (CrmWindow      *self);
gboolean    crm_window_set_section     (CrmWindow      *self,
                                        const char     *name);
void        crm_window_add_toast       (CrmWindow      *self,
                                        AdwToast       *toast);
/* The application's session the pages work on; its store is NULL until it is open. */
CrmSession *crm_window_get_session     (CrmWindow      *self);
/* The open database, NULL if it could not be opened. */
CrmStore   *crm_window_get_store       (CrmWindow      *self);
CrmCustomersPage *crm_window_get_customers_page (CrmWindow *self);
CrmSegmentsPage  *crm_window_get_segments_page  (CrmWindow *self);
CrmTiersPage     *crm_window_get_tiers_page     (CrmWindow *self);
CrmCampaignsPage *crm_window_get_campaigns_page (CrmWindow *self);
CrmLoyaltyPage   *crm_window_get_loyalty_page   (CrmWindow *self);
CrmDashboardPage *crm_window_get_dashboard_page (CrmWindow *self);
CrmTodayPage     *crm_window_get_today_page     (CrmWindow *self);
CrmPoolPage      *crm_window_get_pool_page      (CrmWindow *self);
/* Shows the customer of @uuid in the Customers section (a reminder's action); FALSE if there is
 * no such live customer. */
gboolean          crm_window_open_customer_uuid (CrmWindow  *self,
                                                 const char *uuid);
CrmFeedbackPage  *crm_window_get_feedback_page (CrmWindow *self);
/* Opens the Customers section narrowed to @segment's customers. */
void              crm_window_show_segment       (CrmWindow  *self,
                                                 CrmSegment *segment);
/* The saved segments' rows under the sections, for tests. */
GtkListBox       *crm_window_get_segment_sidebar (CrmWindow *self);
/* The sidebar, for tests: one row per shown section. */
GtkListBox *crm_window_get_sidebar     (CrmWindow      *self);

G_END_DECLS

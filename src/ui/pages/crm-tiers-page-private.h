/* crm-tiers-page-private.h: the instance struct shared by the pieces of the
 * Tiers page (see crm-tiers-page.c) and the functions they call in each other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-lifecycle.h"
#include "crm-tiers-page.h"

G_BEGIN_DECLS

/* The lifecycle limits, in the order of the form and of crm_lifecycle_rules_check. */
typedef enum
{
  LIMIT_NEW_DAYS,
  LIMIT_AT_RISK_FACTOR,
  LIMIT_CHURN_FACTOR,
  LIMIT_MIN_AT_RISK_DAYS,
  LIMIT_SINGLE_AT_RISK_DAYS,
  LIMIT_SINGLE_CHURN_DAYS,
  N_LIMITS
} Limit;

typedef struct
{
  const char *member;
  const char *row;
  const char *spin;
  const char *unit;
  gboolean    factor;
} CrmTiersPageLimit;

/* JSON member (as crm_lifecycle_rules_check names it) and template ids; in
 * crm-tiers-page-lifecycle.c. */
extern const CrmTiersPageLimit _crm_tiers_page_limits[N_LIMITS];
struct _CrmTiersPage
{
  AdwBin               parent_instance;

  CrmSession          *session;
  CrmStore            *store;      /* the session's */
  GSettings           *settings;
  GPtrArray           *tiers;
  GCancellable        *load_cancellable;
  GCancellable        *recompute_cancellable;
  char                *moves_text;
  char                *stages_text;
  gboolean             folded;

  CrmLifecycleRules    saved_rules;          /* what the database holds */
  guint                limits_save_id;       /* a change waiting to be saved */
  gboolean             filling_limits;
  gboolean             recompute_again;      /* limits changed during a recompute */
  gboolean             recompute_for_limits; /* the running recompute applies new limits */

  /* template children */
  AdwHeaderBar        *header;
  GtkWidget           *back_button;
  AdwWindowTitle      *title_widget;
  GtkRevealer         *progress_revealer;
  GtkProgressBar      *progress_bar;
  GtkStack            *stack;
  GtkListBox          *tier_list;
  AdwPreferencesGroup *moves_group;
  GtkListBox          *moves_list;
  AdwPreferencesGroup *lifecycle_group;
  AdwActionRow        *stages_row;
  GtkLabel            *lifecycle_error;
  AdwActionRow        *limit_rows[N_LIMITS];
  GtkSpinButton       *limit_spins[N_LIMITS];
  GtkLabel            *limit_units[N_LIMITS];
};


/* For tests: the spin button of a lifecycle limit by its JSON member
 * ("new_days", "churn_factor", …; see crm_lifecycle_rules_to_json), the
 * message shown under the limits (NULL when they are valid), whether a change
 * is still waiting to be saved, and the line of customers per stage. */
GtkSpinButton *crm_tiers_page_get_lifecycle_spin    (CrmTiersPage *self,
                                                     const char   *member);
const char    *crm_tiers_page_get_lifecycle_error   (CrmTiersPage *self);
gboolean       crm_tiers_page_get_lifecycle_pending (CrmTiersPage *self);
const char    *crm_tiers_page_get_stages_text       (CrmTiersPage *self);
/* For tests: the list of tier rows (AdwActionRow, title = tier name, by rank)
 * and the sentence about the last recompute's moves. */
GtkListBox    *crm_tiers_page_get_tier_list  (CrmTiersPage *self);
GtkListBox    *crm_tiers_page_get_moves_list (CrmTiersPage *self);
const char    *crm_tiers_page_get_moves_text (CrmTiersPage *self);

/* crm-tiers-page-lifecycle.c */
void _crm_tiers_page_fill_limits                (CrmTiersPage            *self,
                                                 const CrmLifecycleRules *r);
void _crm_tiers_page_save_limits                (CrmTiersPage *self,
                                                 gboolean      recompute);
void _crm_tiers_page_on_lifecycle_value_changed (CrmTiersPage *self);

/* crm-tiers-page-actions.c */
void _crm_tiers_page_set_recomputing            (CrmTiersPage *self,
                                                 gboolean      recomputing);
void _crm_tiers_page_on_tier_row_activated      (CrmTiersPage  *self,
                                                 GtkListBoxRow *row);
void _crm_tiers_page_on_move_row_activated      (CrmTiersPage  *self,
                                                 GtkListBoxRow *row);
void _crm_tiers_page_class_actions_init         (GtkWidgetClass *widget_class);

G_END_DECLS

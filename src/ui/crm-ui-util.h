/* crm-ui-util.h: small helpers shared by the widgets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

/* Live tiers ordered by rank (CrmTier objects); empty on error. */
GPtrArray *crm_ui_list_tiers     (CrmStore   *store);
/* Shows @message as a toast in the nearest AdwToastOverlay above @widget. */
void       crm_ui_show_toast     (GtkWidget  *widget,
                                  AdwToast   *toast);

/* The "folded" property of a page in the window's leaflet: folded, the page shows its Back
 * button and the window buttons in its header bar.  Sets *@state and notifies @pspec on
 * @page if it changed. */
void       crm_ui_page_set_folded (GObject      *page,
                                   GParamSpec   *pspec,
                                   gboolean     *state,
                                   gboolean      folded,
                                   GtkWidget    *back_button,
                                   AdwHeaderBar *header);

/* A sidebar row: an icon and an ellipsized label, for the caller to bind. */
GtkWidget *crm_ui_sidebar_row_new (GtkWidget **out_icon,
                                   GtkWidget **out_label);

/* ISO 4217 code of the locale's currency: LC_MONETARY's, else guessed from
 * the locale's name (zh_CN → CNY, en_US → USD, de/fr/… → EUR), else CNY. */
const char *crm_ui_locale_currency  (void);
/* The currency for a new database: the one chosen in Preferences
 * (GSettings default-currency), or the locale's if none was ever chosen. */
char       *crm_ui_default_currency (GSettings *settings);
/* The shop's currency: the database's "currency" setting (written by the
 * generator, imports and Preferences), else crm_ui_default_currency(). */
char       *crm_ui_shop_currency    (CrmStore  *store,
                                     GSettings *settings);

/* Every button and menu button, once mapped, is named for screen readers by what it shows
 * (its label without the mnemonic, else its tooltip), once each; call at startup. */
void        crm_ui_install_accessible_names (void);
/* Gives @widget the accessible name @name (kept when its label or tooltip changes). */
void        crm_ui_set_accessible_name      (GtkWidget  *widget,
                                             const char *name);

/* The row shows its choice whole ("Chinese Simplified (GBK)", not "Chinese Simplified (G…");
 * the title and subtitle wrap instead.  For a model of GtkStringObjects. */
void        crm_ui_combo_row_show_whole     (AdwComboRow *row);

G_END_DECLS

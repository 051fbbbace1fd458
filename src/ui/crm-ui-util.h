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

G_END_DECLS

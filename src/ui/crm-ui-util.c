/* crm-ui-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-tier.h"
#include "crm-ui-util.h"


GPtrArray *
crm_ui_list_tiers (CrmStore *store)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *tiers;

  g_return_val_if_fail (CRM_IS_STORE (store), g_ptr_array_new_with_free_func (g_object_unref));

  tiers = crm_store_list_all (store, CRM_TYPE_TIER, "rank", &error);
  if (tiers == NULL)
    {
      g_warning ("Could not read the tiers: %s", error->message);
      return g_ptr_array_new_with_free_func (g_object_unref);
    }

  return tiers;
}

void
crm_ui_show_toast (GtkWidget *widget,
                   AdwToast  *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (toast);
}

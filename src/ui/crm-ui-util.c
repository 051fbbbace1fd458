/* crm-ui-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-tier.h"
#include "crm-ui-util.h"

static int
compare_rank (gconstpointer a,
              gconstpointer b)
{
  CrmTier *ta = *(CrmTier **) a;
  CrmTier *tb = *(CrmTier **) b;
  gint64 ra = crm_tier_get_rank (ta);
  gint64 rb = crm_tier_get_rank (tb);

  if (ra != rb)
    return ra < rb ? -1 : 1;
  return crm_entity_get_id (CRM_ENTITY (ta)) < crm_entity_get_id (CRM_ENTITY (tb)) ? -1 : 1;
}

GPtrArray *
crm_ui_list_tiers (CrmStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  GPtrArray *tiers = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 ids[1000];

  g_return_val_if_fail (CRM_IS_STORE (store), tiers);

  if (crm_store_count (store, CRM_TYPE_TIER, &error) <= 0)
    return tiers;

  /* Stop-gap until the store can list a whole (small) table: tiers are a
   * handful of rows with small ids. */
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    ids[i] = i + 1;
  loaded = crm_store_load_many (store, CRM_TYPE_TIER, ids, G_N_ELEMENTS (ids), &error);
  if (loaded == NULL)
    {
      g_warning ("Could not read the tiers: %s", error->message);
      return tiers;
    }

  for (guint i = 0; i < loaded->len; i++)
    {
      CrmEntity *tier = g_ptr_array_index (loaded, i);

      if (!crm_entity_is_deleted (tier))
        g_ptr_array_add (tiers, g_object_ref (tier));
    }
  g_ptr_array_sort (tiers, compare_rank);

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

/* crm-ui-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

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
crm_ui_page_set_folded (GObject      *page,
                        GParamSpec   *pspec,
                        gboolean     *state,
                        gboolean      folded,
                        GtkWidget    *back_button,
                        AdwHeaderBar *header)
{
  folded = !!folded;
  if (*state == folded)
    return;

  *state = folded;
  gtk_widget_set_visible (back_button, folded);
  adw_header_bar_set_show_start_title_buttons (header, folded);
  g_object_notify_by_pspec (page, pspec);
}

GtkWidget *
crm_ui_sidebar_row_new (GtkWidget **out_icon,
                        GtkWidget **out_label)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  *out_icon = icon;
  *out_label = label;

  return row;
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

/* Where LC_MONETARY is not installed (only its name is set): the territory of
 * the name, then its language. */
static const struct
{
  const char *key;
  const char *currency;
} name_currencies[] = {
  { "CN", "CNY" }, { "SG", "SGD" }, { "HK", "HKD" }, { "TW", "TWD" }, { "MO", "MOP" },
  { "US", "USD" }, { "GB", "GBP" }, { "JP", "JPY" }, { "KR", "KRW" }, { "IN", "INR" },
  { "CA", "CAD" }, { "AU", "AUD" }, { "NZ", "NZD" }, { "CH", "CHF" }, { "BR", "BRL" },
  { "RU", "RUB" }, { "SE", "SEK" }, { "NO", "NOK" }, { "DK", "DKK" }, { "PL", "PLN" },
  { "CZ", "CZK" }, { "MX", "MXN" },
  /* the euro area */
  { "AT", "EUR" }, { "BE", "EUR" }, { "CY", "EUR" }, { "DE", "EUR" }, { "EE", "EUR" },
  { "ES", "EUR" }, { "FI", "EUR" }, { "FR", "EUR" }, { "GR", "EUR" }, { "HR", "EUR" },
  { "IE", "EUR" }, { "IT", "EUR" }, { "LT", "EUR" }, { "LU", "EUR" }, { "LV", "EUR" },
  { "MT", "EUR" }, { "NL", "EUR" }, { "PT", "EUR" }, { "SI", "EUR" }, { "SK", "EUR" },
  /* a language alone ("de", "fr.UTF-8") */
  { "zh", "CNY" }, { "en", "USD" }, { "ja", "JPY" }, { "ko", "KRW" },
  { "de", "EUR" }, { "fr", "EUR" }, { "es", "EUR" }, { "it", "EUR" }, { "nl", "EUR" },
  { "pt", "EUR" }, { "fi", "EUR" }, { "el", "EUR" }, { "et", "EUR" }, { "lv", "EUR" },
  { "lt", "EUR" }, { "sk", "EUR" }, { "sl", "EUR" }, { "mt", "EUR" }, { "ga", "EUR" },
  { "hr", "EUR" },
};

static const char *
currency_for (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (name_currencies); i++)
    if (strcmp (name_currencies[i].key, key) == 0)
      return name_currencies[i].currency;

  return NULL;
}

/* "de_AT.UTF-8@euro" → territory "AT", else language "de". */
static const char *
currency_from_locale_name (const char *name)
{
  char language[8] = { 0 };
  char territory[3] = { 0 };
  const char *underscore;
  const char *found;
  gsize len;

  if (name == NULL || name[0] == '\0' || strcmp (name, "C") == 0 || strcmp (name, "POSIX") == 0 ||
      g_str_has_prefix (name, "C."))
    return NULL;

  len = strcspn (name, "_.@");
  if (len == 0 || len >= sizeof language)
    return NULL;
  memcpy (language, name, len);

  underscore = strchr (name, '_');
  if (underscore != NULL && underscore == name + len && strlen (underscore + 1) >= 2 &&
      g_ascii_isupper (underscore[1]) && g_ascii_isupper (underscore[2]))
    {
      memcpy (territory, underscore + 1, 2);
      found = currency_for (territory);
      if (found != NULL)
        return found;
    }

  return currency_for (language);
}

const char *
crm_ui_locale_currency (void)
{
  static char code[4];
  const char *vars[] = { "LC_ALL", "LC_MONETARY", "LANG" };
  struct lconv *lc = localeconv ();
  const char *found;

  /* "CNY " under zh_CN.UTF-8: the code and a separator. */
  if (lc != NULL && lc->int_curr_symbol != NULL && strlen (lc->int_curr_symbol) >= 3 &&
      g_ascii_isalpha (lc->int_curr_symbol[0]) && g_ascii_isalpha (lc->int_curr_symbol[1]) &&
      g_ascii_isalpha (lc->int_curr_symbol[2]))
    {
      for (guint i = 0; i < 3; i++)
        code[i] = g_ascii_toupper (lc->int_curr_symbol[i]);
      code[3] = '\0';
      return code;
    }

  /* The first variable that is set decides, as for setlocale(). */
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      const char *value = g_getenv (vars[i]);

      if (value != NULL && value[0] != '\0')
        {
          found = currency_from_locale_name (value);
          return found != NULL ? found : "CNY";
        }
    }

  return "CNY";
}

char *
crm_ui_default_currency (GSettings *settings)
{
  g_autoptr(GVariant) chosen = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), g_strdup (crm_ui_locale_currency ()));

  /* The schema's default is only a placeholder: follow the locale until the
   * user picks a currency. */
  chosen = g_settings_get_user_value (settings, "default-currency");
  if (chosen != NULL && g_variant_get_string (chosen, NULL)[0] != '\0')
    return g_variant_dup_string (chosen, NULL);

  return g_strdup (crm_ui_locale_currency ());
}

char *
crm_ui_shop_currency (CrmStore  *store,
                      GSettings *settings)
{
  g_autofree char *currency = NULL;

  if (store != NULL)
    currency = crm_store_get_setting (store, "currency");
  if (currency != NULL && currency[0] != '\0')
    return g_steal_pointer (&currency);

  return crm_ui_default_currency (settings);
}

/* Accessible names ---------------------------------------------------------- */

/* GTK 4.8 names a button by its "label" property *and* the widgets it is labelled by: a
 * button with a mnemonic is heard as "_Save Segment Save Segment", an icon button as its
 * image ("GtkImage") and a menu button's inner button not at all.  Every button and menu
 * button gets one plain name instead: the one given by crm_ui_set_accessible_name(), else
 * its label without the mnemonic, else its tooltip. */

#define A11Y_NAME "crm-a11y-name"
#define A11Y_WATCHED "crm-a11y-watched"

static char *
strip_mnemonic (const char *text,
                gboolean    use_underline)
{
  GString *out;

  if (!use_underline)
    return g_strdup (text);

  out = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '_')
        {
          if (p[1] != '_')
            continue;
          p++;
        }
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/* The text the button shows, without its mnemonic; NULL for an icon. */
static char *
shown_label (GtkWidget *widget)
{
  GtkWidget *child = NULL;

  if (GTK_IS_MENU_BUTTON (widget))
    {
      GtkMenuButton *button = GTK_MENU_BUTTON (widget);

      if (gtk_menu_button_get_label (button) != NULL)
        return strip_mnemonic (gtk_menu_button_get_label (button), gtk_menu_button_get_use_underline (button));
      return NULL;
    }

  if (gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    return strip_mnemonic (gtk_button_get_label (GTK_BUTTON (widget)),
                           gtk_button_get_use_underline (GTK_BUTTON (widget)));
  child = gtk_button_get_child (GTK_BUTTON (widget));
  if (child == NULL)
    child = gtk_widget_get_first_child (widget);
  if (ADW_IS_BUTTON_CONTENT (child) && adw_button_content_get_label (ADW_BUTTON_CONTENT (child)) != NULL)
    return strip_mnemonic (adw_button_content_get_label (ADW_BUTTON_CONTENT (child)),
                           adw_button_content_get_use_underline (ADW_BUTTON_CONTENT (child)));
  /* Any other content (a view switcher's button, a box with an icon and a label): the
   * first label in it that has text. */
  for (GtkWidget *w = child; w != NULL; )
    {
      if (GTK_IS_LABEL (w) && gtk_label_get_text (GTK_LABEL (w))[0] != '\0')
        return g_strdup (gtk_label_get_text (GTK_LABEL (w)));
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != child && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = w != child ? gtk_widget_get_next_sibling (w) : NULL;
        }
    }

  return NULL;
}

static void
apply_name (GtkWidget  *widget,
            const char *name)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

static void
name_control (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);
  const char *given = g_object_get_data (G_OBJECT (widget), A11Y_NAME);
  g_autofree char *label = NULL;
  const char *name = given;

  /* A menu button's inner button is named with it. */
  if (GTK_IS_BUTTON (widget) && GTK_IS_MENU_BUTTON (parent))
    widget = parent;

  if (name == NULL && (label = shown_label (widget)) != NULL && label[0] != '\0')
    name = label;
  if (name == NULL)
    name = gtk_widget_get_tooltip_text (widget);
  /* A colour button's inner button: the title of the colour it picks. */
  if (name == NULL && GTK_IS_COLOR_BUTTON (parent))
    name = gtk_color_button_get_title (GTK_COLOR_BUTTON (parent));
  /* GTK's and libadwaita's own icon buttons (a toast's close button, a spin button's
   * steps) come without a name. */
  if (name == NULL && GTK_IS_BUTTON (widget))
    {
      const char *icon = gtk_button_get_icon_name (GTK_BUTTON (widget));

      if (g_strcmp0 (icon, "window-close-symbolic") == 0)
        name = _("Close");
      else if (g_strcmp0 (icon, "value-decrease-symbolic") == 0)
        name = _("Decrease");
      else if (g_strcmp0 (icon, "value-increase-symbolic") == 0)
        name = _("Increase");
    }
  if (name == NULL || name[0] == '\0')
    return;

  apply_name (widget, name);
  if (GTK_IS_MENU_BUTTON (widget))
    for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
      if (GTK_IS_BUTTON (child))
        apply_name (child, name);
}

static gboolean
on_map_hook (GSignalInvocationHint *hint,
             guint                  n_param_values,
             const GValue          *param_values,
             gpointer               user_data)
{
  GObject *object = g_value_get_object (&param_values[0]);

  if (!GTK_IS_BUTTON (object) && !GTK_IS_MENU_BUTTON (object))
    return TRUE;

  name_control (GTK_WIDGET (object));
  /* GTK sets its own name again when the label changes. */
  if (g_object_get_data (object, A11Y_WATCHED) == NULL)
    {
      g_object_set_data (object, A11Y_WATCHED, GINT_TO_POINTER (1));
      g_signal_connect (object, "notify::label", G_CALLBACK (name_control), NULL);
      g_signal_connect (object, "notify::tooltip-text", G_CALLBACK (name_control), NULL);
      g_signal_connect (object, "notify::icon-name", G_CALLBACK (name_control), NULL);
    }

  return TRUE;
}

void
crm_ui_install_accessible_names (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      /* The class (and so its signals) exists once it is referenced; kept for good. */
      g_type_class_ref (GTK_TYPE_WIDGET);
      g_signal_add_emission_hook (g_signal_lookup ("map", GTK_TYPE_WIDGET), 0, on_map_hook, NULL, NULL);
      g_once_init_leave (&installed, 1);
    }
}

void
crm_ui_set_accessible_name (GtkWidget  *widget,
                            const char *name)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  g_object_set_data_full (G_OBJECT (widget), A11Y_NAME, g_strdup (name), g_free);
  if (GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget))
    name_control (widget);
  else
    apply_name (widget, name);
}

/* Combo rows ---------------------------------------------------------------- */

static void
setup_whole_label (GtkSignalListItemFactory *factory,
                   GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_NONE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (item, label);
}

static void
bind_whole_label (GtkSignalListItemFactory *factory,
                  GtkListItem              *item)
{
  GObject *object = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      GTK_IS_STRING_OBJECT (object) ? gtk_string_object_get_string (GTK_STRING_OBJECT (object)) : "");
}

void
crm_ui_combo_row_show_whole (AdwComboRow *row)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_return_if_fail (ADW_IS_COMBO_ROW (row));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_whole_label), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_whole_label), NULL);
  adw_combo_row_set_factory (row, factory);
}

/* crm-ui-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-ui-test-util.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "crm-query.h"

/* CRM_TEST_WAIT_FACTOR stretches every wait: build-aux/run-sanitized.sh sets it where the
 * sanitizers' slow unwinder makes GTK several times slower. */
static gint64
wait_factor (void)
{
  const char *factor = g_getenv ("CRM_TEST_WAIT_FACTOR");
  guint64 n = 1;

  if (factor != NULL && !g_ascii_string_to_unsigned (factor, 10, 1, 100, &n, NULL))
    n = 1;
  return (gint64) n;
}

gboolean
wait_until (Predicate done,
            gpointer  data,
            guint     timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000 * wait_factor ();

  while (!done (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  return TRUE;
}

void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000 * wait_factor ();

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

GtkWidget *
find_widget_matching (GtkWidget     *root,
                      WidgetMatch    match,
                      gconstpointer  data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget_matching (child, match, data);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
has_type (GtkWidget     *widget,
          gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  return find_widget_matching (root, has_type, GSIZE_TO_POINTER (type));
}

static gboolean
has_action (GtkWidget     *widget,
            gconstpointer  action)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

GtkWidget *
find_action_widget (GtkWidget  *root,
                    const char *action)
{
  return find_widget_matching (root, has_action, action);
}

void
ui_test_init_i18n (void)
{
  const char *localedir = g_getenv ("CRM_TEST_LOCALEDIR");

  if (localedir != NULL)
    bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  setlocale (LC_ALL, "");
}

void
ui_test_set_settings (const char *key,
                      ...)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  va_list args;

  va_start (args, key);
  for (; key != NULL; key = va_arg (args, const char *))
    g_settings_set_string (settings, key, va_arg (args, const char *));
  va_end (args);
}

CrmWindow *
ui_test_open_window (const char      *db_path,
                     int              width,
                     int              height,
                     CrmApplication **out_app)
{
  g_autoptr(GError) error = NULL;
  CrmApplication *app = crm_application_new ();
  CrmWindow *window;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  crm_application_set_database_path (app, db_path);

  window = crm_window_new (app);
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (is_mapped, window, 10000));
  g_assert_nonnull (crm_window_get_store (window));

  *out_app = app;
  return window;
}

static void
on_window_gone (gpointer  data,
                GObject  *where_the_object_was)
{
  *(gboolean *) data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

int
ui_test_run_and_close (CrmWindow      *window,
                       CrmApplication *app,
                       CrmStore       *store,
                       char           *db_path)
{
  int status = g_test_run ();
  gboolean gone = FALSE;

  g_object_weak_ref (G_OBJECT (window), on_window_gone, &gone);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  /* GTK lets go of a destroyed window's last parts from the main loop. */
  g_assert_true (wait_until (flag_set, &gone, 10000));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&store);
  g_free (db_path);
  return status;
}

gboolean
is_hidden (gpointer widget)
{
  return !gtk_widget_get_visible (widget);
}

gint64
find_customer_id (CrmStore   *store,
                  const char *name)
{
  g_autoptr(CrmQuery) query = crm_query_new ();
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  crm_query_set_search_text (query, name);
  ids = crm_query_run_ids (query, store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);

  return g_array_index (ids, gint64, 0);
}

GtkWidget *
find_shown_window (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;

  return NULL;
}

gboolean
window_mapped (gpointer type)
{
  GtkWidget *window = find_shown_window (GPOINTER_TO_SIZE (type));

  return window != NULL && gtk_widget_get_mapped (window);
}

const char *
widget_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_label (GTK_LABEL (widget));
  if (GTK_IS_INSCRIPTION (widget))
    return gtk_inscription_get_text (GTK_INSCRIPTION (widget));
  return NULL;
}

static gboolean
shows_text (GtkWidget     *widget,
            gconstpointer  text)
{
  const char *shown = widget_text (widget);

  return shown != NULL && gtk_widget_get_mapped (widget) && g_strcmp0 (shown, text) == 0;
}

GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  return find_widget_matching (root, shows_text, text);
}

gboolean
label_shown (gpointer query)
{
  LabelQuery *q = query;

  return find_label (q->root, q->text) != NULL;
}

/* Accessible names ---------------------------------------------------------- */

static void
describe_widget (GString   *out,
                 GtkWidget *widget,
                 const char *problem)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);
  const char *tooltip = gtk_widget_get_tooltip_text (widget);
  const char *label = GTK_IS_BUTTON (widget) ? gtk_button_get_label (GTK_BUTTON (widget)) : NULL;
  const char *icon = GTK_IS_BUTTON (widget) ? gtk_button_get_icon_name (GTK_BUTTON (widget)) : NULL;

  if (GTK_IS_MENU_BUTTON (widget))
    {
      label = gtk_menu_button_get_label (GTK_MENU_BUTTON (widget));
      icon = gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget));
    }
  g_string_append_printf (out, "\n  %s (%s%s%s) in %s: %s", G_OBJECT_TYPE_NAME (widget),
                          label ? label : icon ? icon : "no label",
                          tooltip ? ", tooltip " : "", tooltip ? tooltip : "",
                          parent ? G_OBJECT_TYPE_NAME (parent) : "-", problem);
}

static gboolean
inside_drop_down (GtkWidget *widget)
{
  /* A drop-down's inner button is the drop-down's own part: the combo box is named. */
  for (GtkWidget *w = gtk_widget_get_parent (widget); w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_DROP_DOWN (w))
      return TRUE;
  return FALSE;
}

static void
collect_unnamed (GtkWidget *widget,
                 GString   *out)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if ((GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget)) && !inside_drop_down (widget))
    {
      GtkAccessible *accessible = GTK_ACCESSIBLE (widget);
      /* check_property returns the value when it differs from the one given. */
      g_autofree char *name = gtk_test_accessible_check_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL, "");

      if (!gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL) || name == NULL)
        describe_widget (out, widget, "no accessible name");
      else if (gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY))
        describe_widget (out, widget, "also labelled by its content: the name is read twice");
      else if (strchr (name, '_') != NULL)
        describe_widget (out, widget, "the name has the mnemonic's underscore");
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_unnamed (child, out);
}

void
assert_controls_named (GtkWidget *root)
{
  g_autoptr(GString) out = g_string_new (NULL);

  collect_unnamed (root, out);
  if (out->len > 0)
    {
      g_autofree char *message = g_strdup_printf ("Controls a screen reader cannot name in %s:%s",
                                                  G_OBJECT_TYPE_NAME (root), out->str);
      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, message);
    }
}

/* With CRM_TEST_KEEP_PNG_DIR set, @widget's window rendered to DIR/@name-LANG.png (README). */
void
ui_test_keep_png (GtkWidget  *widget,
                  const char *name)
{
  const char *dir = g_getenv ("CRM_TEST_KEEP_PNG_DIR");
  const char *lang = g_getenv ("LANGUAGE") != NULL && g_str_has_prefix (g_getenv ("LANGUAGE"), "zh") ? "-zh_CN" : "";
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width, height;

  if (dir == NULL)
    return;
  spin (300);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  if ((width == 0 || height == 0) && GTK_IS_WINDOW (widget))
    gtk_window_get_default_size (GTK_WINDOW (widget), &width, &height);
  paintable = gtk_widget_paintable_new (widget);
  for (guint attempt = 0; node == NULL && attempt < 100; attempt++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_to_node (snapshot);
      if (node == NULL)
        spin (20);
    }
  if (node == NULL)
    {
      g_test_message ("%s: %dx%d painted nothing", name, width, height);
      return;
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_strdup_printf ("%s/%s%s.png", dir, name, lang);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

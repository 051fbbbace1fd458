/* crm-ui-test-util.h: what every UI test needs to drive a real window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "crm-application.h"
#include "crm-window.h"

G_BEGIN_DECLS

typedef gboolean (*Predicate) (gpointer data);

/* Runs the main loop until @done says so; FALSE after @timeout_ms (times $CRM_TEST_WAIT_FACTOR). */
gboolean   wait_until  (Predicate  done,
                        gpointer   data,
                        guint      timeout_ms);
/* Runs the main loop for @ms (times $CRM_TEST_WAIT_FACTOR). */
void       spin        (guint      ms);
/* A Predicate: the widget is mapped. */
gboolean   is_mapped   (gpointer   widget);
typedef gboolean (*WidgetMatch) (GtkWidget     *widget,
                                 gconstpointer  data);

/* The first widget at or below @root, depth first, that @match accepts. */
GtkWidget *find_widget_matching (GtkWidget     *root,
                                 WidgetMatch    match,
                                 gconstpointer  data);
/* … of @type. */
GtkWidget *find_widget          (GtkWidget     *root,
                                 GType          type);
/* … whose action is @action (a button, say). */
GtkWidget *find_action_widget   (GtkWidget     *root,
                                 const char    *action);

/* A Predicate: the widget is not visible. */
gboolean   is_hidden            (gpointer        widget);

/* The visible toplevel window of @type (a dialog, say), or NULL. */
GtkWidget *find_shown_window    (GType           type);
/* A Predicate over GSIZE_TO_POINTER (GType): such a window is mapped. */
gboolean   window_mapped        (gpointer        type);

/* The text a label or an inscription shows; NULL for other widgets. */
const char *widget_text         (GtkWidget      *widget);
/* The mapped label (or inscription) at or below @root that shows @text. */
GtkWidget *find_label           (GtkWidget      *root,
                                 const char     *text);
typedef struct
{
  GtkWidget  *root;
  const char *text;
} LabelQuery;
/* A Predicate over a LabelQuery: find_label() finds it. */
gboolean   label_shown          (gpointer        query);

/* The id of the one customer @store finds for @name (asserts there is exactly one). */
gint64     find_customer_id     (CrmStore       *store,
                                 const char     *name);

/* The translation from CRM_TEST_LOCALEDIR (the build tree's) and the environment's locale. */
void       ui_test_init_i18n    (void);
/* Sets the application's GSettings (the memory backend of the tests): key, string value, …,
 * NULL. */
void       ui_test_set_settings (const char      *key,
                                 ...) G_GNUC_NULL_TERMINATED;
/* An application on @db_path and its main window, presented and mapped, with the database
 * open; @width and @height 0 keep the window's own size. */
CrmWindow *ui_test_open_window  (const char      *db_path,
                                 int              width,
                                 int              height,
                                 CrmApplication **out_app);

/* g_test_run(), then everything the test program opened is closed and released, so that
 * LeakSanitizer (build-aux/run-sanitized.sh) sees only what was really lost: @window
 * destroyed, @app released (its session and database), the main loop run until GTK has done
 * with them, @store (may be NULL) released and @db_path freed.  Returns g_test_run()'s status. */
int        ui_test_run_and_close (CrmWindow      *window,
                                  CrmApplication *app,
                                  CrmStore       *store,
                                  char           *db_path);

/* Fails, listing them, if a mapped button or menu button at or below @root has no accessible
 * name, is also labelled by its content (heard twice), or keeps a mnemonic's underscore. */
void       assert_controls_named (GtkWidget      *root);

/* With CRM_TEST_KEEP_PNG_DIR set, @widget's window rendered to DIR/@name[-zh_CN].png (README). */
void       ui_test_keep_png      (GtkWidget      *widget,
                                  const char     *name);

G_END_DECLS

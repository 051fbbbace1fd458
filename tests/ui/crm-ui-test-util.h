/* crm-ui-test-util.h: what every UI test needs to drive a real window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef gboolean (*Predicate) (gpointer data);

/* Runs the main loop until @done says so; FALSE after @timeout_ms. */
gboolean   wait_until  (Predicate  done,
                        gpointer   data,
                        guint      timeout_ms);
/* Runs the main loop for @ms. */
void       spin        (guint      ms);
/* A Predicate: the widget is mapped. */
gboolean   is_mapped   (gpointer   widget);
/* The first widget of @type at or below @root, depth first. */
GtkWidget *find_widget (GtkWidget *root,
                        GType      type);

G_END_DECLS

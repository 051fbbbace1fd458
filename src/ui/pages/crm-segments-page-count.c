/* crm-segments-page-count.c: the live count of the rule being edited
 *
 * crm_rule_count_async() counts on a read-only connection, ~150 ms after the
 * last edit; a newer edit cancels the count it supersedes and only the newest
 * answer is shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-format.h"
#include "crm-io-jobs.h"
#include "crm-segments-page-private.h"
#include "crm-ui-util.h"

#define COUNT_DELAY_MS 150

/* Live count --------------------------------------------------------------- */

static void
set_count_text (CrmSegmentsPage *self,
                const char      *text)
{
  g_free (self->count_text);
  self->count_text = g_strdup (text);
  gtk_label_set_label (self->count_label, text != NULL ? text : "");
}

static void
count_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CrmSegmentsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 count = crm_rule_count_finish (result, &error);
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;

  /* An answer to an edit that was followed by another (the job was superseded). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_stop (self->count_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->count_spinner), FALSE);

  if (count < 0)
    {
      set_count_text (self, error->message);
      return;
    }

  number = crm_format_count (count);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s matching customer", "%s matching customers",
                                       count), number);
  set_count_text (self, text);
}

static gboolean
start_count (gpointer user_data)
{
  CrmSegmentsPage *self = user_data;
  CrmRule *rule = crm_rule_editor_get_rule (self->rule_editor);

  self->count_source = 0;
  if (self->store == NULL || rule == NULL)
    return G_SOURCE_REMOVE;

  self->count_cancellable = g_cancellable_new ();
  crm_rule_count_async (self->session, rule, self->count_cancellable, count_done, g_object_ref (self));

  return G_SOURCE_REMOVE;
}

void
_crm_segments_page_schedule_count (CrmSegmentsPage *self)
{
  if (self->count_cancellable != NULL)
    g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);
  g_clear_handle_id (&self->count_source, g_source_remove);

  set_count_text (self, NULL);
  if (self->store == NULL || !crm_rule_editor_get_valid (self->rule_editor))
    {
      gtk_spinner_stop (self->count_spinner);
      gtk_widget_set_visible (GTK_WIDGET (self->count_spinner), FALSE);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->count_spinner), TRUE);
  gtk_spinner_start (self->count_spinner);
  self->count_source = g_timeout_add (COUNT_DELAY_MS, start_count, self);
}

void
_crm_segments_page_on_rule_changed (CrmSegmentsPage *self)
{
  _crm_segments_page_update_actions (self);
  _crm_segments_page_schedule_count (self);
}

/* crm-feedback-page.c
 *
 * The list, the customers' names and the scores are read by a job with its own read-only
 * connection (with a million survey answers the list's sort and the scores are not for the main
 * thread), again whenever the session says feedback was written ("activity-changed").  The
 * detail's history is one indexed range of feedback_history, read when an item is shown.  A
 * step of the workflow, like every edit, goes through crm_store_write_async() and
 * crm_feedback_apply(): the core refuses what the transition table does not allow, and the
 * page only offers the legal next statuses (crm_feedback_next_statuses()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-feedback-page.h"
#include "crm-feedback-service.h"
#include "crm-feedback-stats.h"
#include "crm-format.h"
#include "crm-job.h"
#include "crm-segment.h"
#include "crm-timeline.h"
#include "crm-ui-util.h"

#define LIST_LIMIT 500

struct _CrmFeedbackPage
{
  AdwBin           parent_instance;

  CrmSession      *session;
  CrmStore        *store;
  GCancellable    *loading;
  GCancellable    *saving;
  GPtrArray       *items;          /* CrmFeedback, as listed */
  GHashTable      *names;          /* customer id → name */
  CrmFeedback     *shown;
  gint64           shown_id;       /* kept across reloads */
  GPtrArray       *status_buttons;
  GPtrArray       *history_rows;
  char            *summary;
  gboolean         folded;
  GListModel      *segments;       /* CrmSegment, the saved segments (the segments page's) */
  GPtrArray       *segment_rules;  /* rule JSON of the dropdown's rows after "All Customers" */
  gboolean         filling;        /* the segment dropdown is being refilled */

  /* template children */
  AdwHeaderBar    *header;
  GtkWidget       *back_button;
  GtkToggleButton *open_button;
  GtkToggleButton *overdue_button;
  GtkToggleButton *mine_button;
  GtkDropDown     *kind_dropdown;
  GtkDropDown     *segment_dropdown;
  GtkLabel        *summary_label;
  GtkLabel        *trend_label;
  GtkStack        *list_stack;
  GtkListBox      *item_list;
  GtkStack        *detail_stack;
  GtkLabel        *detail_title;
  GtkLabel        *detail_meta;
  GtkLabel        *detail_text;
  GtkWidget       *customer_button;
  GtkWidget       *workflow_box;
  GtkLabel        *workflow_label;
  GtkBox          *status_box;
  AdwComboRow     *priority_row;
  AdwEntryRow     *assignee_row;
  AdwEntryRow     *note_row;
  GtkWidget       *save_button;
  AdwPreferencesGroup *history_group;
};

G_DEFINE_FINAL_TYPE (CrmFeedbackPage, crm_feedback_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  OPEN_CUSTOMER,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void show_item (CrmFeedbackPage *self, CrmFeedback *f);

/* gtk_list_box_remove_all() is GTK 4.12. */
static void
clear_list (CrmFeedbackPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->item_list))) != NULL)
    gtk_list_box_remove (self->item_list, child);
}

/* ---- loading ------------------------------------------------------------------------------- */

typedef struct
{
  char             *kind;
  char             *assignee;
  gboolean          open_only;
  gboolean          overdue_only;
  gint64            now;
  char             *segment_rule;   /* JSON; NULL: every customer */
} Load;

typedef struct
{
  GPtrArray        *items;
  GHashTable       *names;
  CrmFeedbackStats  stats;
  GArray           *trend;   /* CrmFeedbackTrendPoint, the last 6 months */
} Loaded;

static void
load_free (Load *load)
{
  g_free (load->kind);
  g_free (load->assignee);
  g_free (load->segment_rule);
  g_free (load);
}

static void
loaded_free (Loaded *loaded)
{
  g_clear_pointer (&loaded->items, g_ptr_array_unref);
  g_clear_pointer (&loaded->names, g_hash_table_unref);
  g_clear_pointer (&loaded->trend, g_array_unref);
  g_free (loaded);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Loaded, loaded_free)

static gboolean
run_load (CrmJob    *job,
          CrmStore  *store,
          gpointer   data,
          GError   **error)
{
  Load *load = data;
  CrmFeedbackFilter filter = {
    .kind = load->kind, .assignee = load->assignee, .open_only = load->open_only,
    .overdue_only = load->overdue_only, .as_of = load->now, .limit = LIST_LIMIT,
  };
  g_autoptr(Loaded) loaded = g_new0 (Loaded, 1);
  g_autoptr(CrmRule) rule = NULL;

  if (load->segment_rule != NULL && !(rule = crm_rule_new_from_json (load->segment_rule, error)))
    return FALSE;

  if (!(loaded->items = crm_feedback_list (store, &filter, error)))
    return FALSE;
  if (!(loaded->names = crm_feedback_customer_names (store, loaded->items, error)))
    return FALSE;
  /* The scores of the last 90 days, as the dashboard's default period. */
  /* The scores (not the list) are of the chosen segment's customers. */
  if (!crm_feedback_stats_load (store, load->now - G_GINT64_CONSTANT (90) * 86400000, load->now, load->now, rule,
                                &loaded->stats, crm_job_get_cancellable (job), error) ||
      !(loaded->trend = crm_feedback_trend (store, 6, load->now, NULL, rule, crm_job_get_cancellable (job), error)))
    return FALSE;
  crm_job_return_pointer (job, g_steal_pointer (&loaded), (GDestroyNotify) loaded_free);
  return TRUE;
}

static char *
format_summary (const CrmFeedbackStats *s)
{
  g_autofree char *nps = s->nps_answers > 0 ? g_strdup_printf ("%+.0f", s->nps) : g_strdup ("—");
  g_autofree char *csat = s->csat_answers > 0 ? g_strdup_printf ("%.0f%%", s->csat) : g_strdup ("—");

  g_autofree char *open = crm_format_count (s->open);
  g_autofree char *overdue = crm_format_count (s->overdue);

  /* Translators: the Feedback page's summary: NPS, CSAT (last 90 days), open and overdue counts. */
  return g_strdup_printf (_("NPS %s · CSAT %s (90 days) · %s open, %s overdue"), nps, csat, open, overdue);
}

/* "NPS by month: 7月 +12 · 8月 — · …" (months without answers show a dash). */
static char *
format_trend (GArray *trend)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; trend != NULL && i < trend->len; i++)
    {
      CrmFeedbackTrendPoint *p = &g_array_index (trend, CrmFeedbackTrendPoint, i);
      g_autoptr(GDateTime) start = g_date_time_new_from_unix_local (p->start / 1000);
      g_autofree char *month = g_date_time_format (start, "%b");
      g_autofree char *nps = p->stats.nps_answers > 0 ? g_strdup_printf ("%+.0f", p->stats.nps) : g_strdup ("—");

      if (i > 0)
        g_string_append (text, " · ");
      g_string_append_printf (text, "%s %s", month, nps);
    }
  /* Translators: the NPS of each of the last months, e.g. "Jul +12 · Aug — · Sep +30". */
  return g_strdup_printf (_("NPS by month: %s"), text->str);
}

static const char *
customer_name (CrmFeedbackPage *self,
               CrmFeedback     *f)
{
  gint64 id = crm_feedback_get_customer_id (f);
  const char *name = self->names != NULL ? g_hash_table_lookup (self->names, &id) : NULL;

  return name != NULL ? name : "—";
}

static GtkWidget *
item_row (CrmFeedbackPage *self,
          CrmFeedback     *f,
          gint64           now)
{
  const char *kind = crm_feedback_get_kind (f);
  const char *status = crm_feedback_get_status (f);
  g_autofree char *when = crm_format_date_time (crm_feedback_get_received_at (f));
  g_autofree char *subtitle = NULL;
  g_autofree char *title = NULL;
  GtkWidget *row = adw_action_row_new ();

  if (status != NULL)
    subtitle = g_strdup_printf ("%s · %s%s", when, crm_feedback_status_get_label (status),
                                crm_feedback_is_overdue (f, now) ? _(" · overdue") : "");
  else if (g_strcmp0 (kind, "nps") == 0 || g_strcmp0 (kind, "csat") == 0 || g_strcmp0 (kind, "review") == 0)
    /* Translators: a list row's subtitle: when, the score. */
    subtitle = g_strdup_printf (_("%s · score %d"), when, (int) crm_feedback_get_score (f));
  else
    subtitle = g_strdup (when);
  /* Translators: a list row: kind of feedback — customer's name. */
  title = g_strdup_printf (_("%s — %s"), crm_feedback_kind_get_label (kind), customer_name (self, f));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  if (crm_feedback_is_overdue (f, now))
    gtk_widget_add_css_class (row, "error");
  return row;
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(CrmFeedbackPage) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(Loaded) load = crm_job_propagate_pointer (result, &error);
  gint64 now = crm_now_ms ();
  guint select = G_MAXUINT;

  if (load == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_object (&self->loading);
          crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
        }
      return;
    }
  g_clear_object (&self->loading);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->names, g_hash_table_unref);
  self->items = g_steal_pointer (&load->items);
  self->names = g_steal_pointer (&load->names);
  g_free (self->summary);
  self->summary = format_summary (&load->stats);
  gtk_label_set_label (self->summary_label, self->summary);
  {
    g_autofree char *trend = format_trend (load->trend);

    gtk_label_set_label (self->trend_label, trend);
  }

  clear_list (self);
  for (guint i = 0; i < self->items->len; i++)
    {
      CrmFeedback *f = g_ptr_array_index (self->items, i);

      gtk_list_box_append (self->item_list, item_row (self, f, now));
      if (crm_entity_get_id (CRM_ENTITY (f)) == self->shown_id)
        select = i;
    }
  gtk_stack_set_visible_child_name (self->list_stack, self->items->len > 0 ? "list" : "empty");
  if (select != G_MAXUINT)
    crm_feedback_page_select (self, select);
  else
    show_item (self, NULL);
}

void
crm_feedback_page_reload (CrmFeedbackPage *self)
{
  Load *load;
  guint kind;
  CrmJob *job;

  g_return_if_fail (CRM_IS_FEEDBACK_PAGE (self));

  if (self->filling)
    return;
  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  if (self->session == NULL || self->store == NULL)
    {
      clear_list (self);
      gtk_stack_set_visible_child_name (self->list_stack, "empty");
      show_item (self, NULL);
      return;
    }
  load = g_new0 (Load, 1);
  kind = gtk_drop_down_get_selected (self->kind_dropdown);
  if (kind >= 1 && kind <= g_strv_length ((char **) crm_feedback_kinds ()))
    load->kind = g_strdup (crm_feedback_kinds ()[kind - 1]);
  if (gtk_toggle_button_get_active (self->mine_button))
    load->assignee = g_strdup (crm_timeline_user_name ());
  load->open_only = gtk_toggle_button_get_active (self->open_button);
  load->overdue_only = gtk_toggle_button_get_active (self->overdue_button);
  load->now = crm_now_ms ();
  {
    guint segment = gtk_drop_down_get_selected (self->segment_dropdown);

    if (segment >= 1 && segment <= self->segment_rules->len)
      load->segment_rule = g_strdup (g_ptr_array_index (self->segment_rules, segment - 1));
  }
  self->loading = g_cancellable_new ();
  job = crm_job_new (self->session, "feedback-page", CRM_JOB_READ, self->loading, NULL, NULL, on_loaded,
                     g_object_ref (self));
  crm_job_run (job, run_load, load, (GDestroyNotify) load_free);
}

/* ---- the detail ---------------------------------------------------------------------------- */

static void
clear_detail (CrmFeedbackPage *self)
{
  for (guint i = 0; i < self->status_buttons->len; i++)
    gtk_box_remove (self->status_box, g_ptr_array_index (self->status_buttons, i));
  g_ptr_array_set_size (self->status_buttons, 0);
  for (guint i = 0; i < self->history_rows->len; i++)
    adw_preferences_group_remove (self->history_group, g_ptr_array_index (self->history_rows, i));
  g_ptr_array_set_size (self->history_rows, 0);
}

static void apply_change (CrmFeedbackPage *self, const char *status);

static void
on_status_clicked (GtkButton       *button,
                   CrmFeedbackPage *self)
{
  apply_change (self, g_object_get_data (G_OBJECT (button), "crm-status"));
}

static const char *
status_action_label (const char *from,
                     const char *to)
{
  if (g_str_equal (to, "open"))
    return _("Re-open");
  if (g_str_equal (to, "in-progress"))
    return g_strcmp0 (from, "waiting") == 0 ? _("Customer Replied") : _("Start Work");
  if (g_str_equal (to, "waiting"))
    return _("Wait on Customer");
  if (g_str_equal (to, "resolved"))
    return _("Resolve");
  return _("Close");
}

static void
add_history_rows (CrmFeedbackPage *self,
                  CrmFeedback     *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = crm_feedback_history (self->store, crm_entity_get_id (CRM_ENTITY (f)), &error);

  if (history == NULL)
    {
      crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }
  /* Newest first, as the timeline. */
  for (guint i = history->len; i-- > 0;)
    {
      CrmFeedbackEvent *e = g_ptr_array_index (history, i);
      g_autofree char *when = crm_format_date_time (e->at);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();

      if (e->from_status == NULL)
        title = g_strdup_printf (_("Opened (%s)"), crm_feedback_status_get_label (e->to_status));
      else if (g_strcmp0 (e->from_status, e->to_status) != 0)
        /* Translators: a history line: from status → to status. */
        title = g_strdup_printf (_("%s → %s"), crm_feedback_status_get_label (e->from_status),
                                 crm_feedback_status_get_label (e->to_status));
      else
        title = g_strdup (e->note != NULL ? _("Note") : _("Assigned or re-prioritised"));
      /* Translators: a history line's subtitle: when, by whom, the note (may be empty). */
      subtitle = g_strdup_printf (_("%s · %s%s%s"), when, e->by != NULL ? e->by : "—",
                                  e->note != NULL ? " · " : "", e->note != NULL ? e->note : "");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_preferences_group_add (self->history_group, row);
      g_ptr_array_add (self->history_rows, row);
    }
}

static void
show_workflow (CrmFeedbackPage *self,
               CrmFeedback     *f)
{
  const char *status = crm_feedback_get_status (f);
  const char * const *next = crm_feedback_next_statuses (status);
  g_autofree char *due = crm_format_date_time (crm_feedback_get_due_at (f));
  g_autofree char *line = NULL;
  const char * const *priorities = crm_feedback_priorities ();

  /* Translators: the workflow heading: status, priority, due time; "overdue" may follow. */
  line = g_strdup_printf (_("%s · %s priority · due %s%s"), crm_feedback_status_get_label (status),
                          crm_feedback_priority_get_label (crm_feedback_get_priority (f)), due,
                          crm_feedback_is_overdue (f, crm_now_ms ()) ? _(" · overdue") : "");
  gtk_label_set_label (self->workflow_label, line);
  for (guint i = 0; next[i] != NULL; i++)
    {
      GtkWidget *button = gtk_button_new_with_label (status_action_label (status, next[i]));

      g_object_set_data (G_OBJECT (button), "crm-status", (gpointer) next[i]);
      if (g_str_equal (next[i], "resolved"))
        gtk_widget_add_css_class (button, "suggested-action");
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_status_clicked), self, 0);
      gtk_box_append (self->status_box, button);
      g_ptr_array_add (self->status_buttons, button);
    }
  for (guint i = 0; priorities[i] != NULL; i++)
    if (g_strcmp0 (priorities[i], crm_feedback_get_priority (f)) == 0)
      adw_combo_row_set_selected (self->priority_row, i);
  gtk_editable_set_text (GTK_EDITABLE (self->assignee_row),
                         crm_feedback_get_assignee (f) != NULL ? crm_feedback_get_assignee (f) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->note_row), "");
  add_history_rows (self, f);
}

static void
show_item (CrmFeedbackPage *self,
           CrmFeedback     *f)
{
  g_autofree char *when = NULL;
  g_autofree char *meta = NULL;
  g_autofree char *title = NULL;
  const char *kind;

  clear_detail (self);
  g_set_object (&self->shown, f);
  if (f == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      return;
    }
  self->shown_id = crm_entity_get_id (CRM_ENTITY (f));
  kind = crm_feedback_get_kind (f);
  when = crm_format_date_time (crm_feedback_get_received_at (f));
  title = g_strdup_printf (_("%s — %s"), crm_feedback_kind_get_label (kind), customer_name (self, f));
  if (g_strcmp0 (kind, "nps") == 0 || g_strcmp0 (kind, "csat") == 0 || g_strcmp0 (kind, "review") == 0)
    /* Translators: the detail's line: received, channel, score. */
    meta = g_strdup_printf (_("Received %s · %s · score %d"), when,
                            crm_feedback_get_channel (f) != NULL ? crm_feedback_channel_get_label (crm_feedback_get_channel (f)) : "—",
                            (int) crm_feedback_get_score (f));
  else
    meta = g_strdup_printf (_("Received %s · %s"), when,
                            crm_feedback_get_channel (f) != NULL ? crm_feedback_channel_get_label (crm_feedback_get_channel (f)) : "—");
  gtk_label_set_label (self->detail_title, title);
  gtk_label_set_label (self->detail_meta, meta);
  gtk_label_set_label (self->detail_text, crm_feedback_get_comment (f) != NULL ? crm_feedback_get_comment (f) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->detail_text), crm_feedback_get_comment (f) != NULL);
  gtk_widget_set_visible (self->workflow_box, crm_feedback_kind_has_workflow (kind));
  if (crm_feedback_kind_has_workflow (kind))
    show_workflow (self, f);
  gtk_stack_set_visible_child_name (self->detail_stack, "detail");
}

static void
on_row_selected (CrmFeedbackPage *self,
                 GtkListBoxRow   *row)
{
  int i = row != NULL ? gtk_list_box_row_get_index (row) : -1;

  if (i >= 0 && self->items != NULL && (guint) i < self->items->len)
    show_item (self, g_ptr_array_index (self->items, i));
}

/* ---- writing ------------------------------------------------------------------------------- */

typedef struct
{
  CrmFeedback *feedback;
  char        *status;
  char        *assignee;
  char        *priority;
  char        *note;
} Change;

static void
change_free (Change *c)
{
  g_clear_object (&c->feedback);
  g_free (c->status);
  g_free (c->assignee);
  g_free (c->priority);
  g_free (c->note);
  g_free (c);
}

static gboolean
write_change (CrmStore  *store,
              gpointer   data,
              GError   **error)
{
  Change *c = data;
  CrmFeedbackChange change = { c->status, c->assignee, c->priority, c->note, NULL, 0 };

  return crm_feedback_apply (store, c->feedback, &change, NULL, error);
}

static void
on_applied (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(CrmFeedbackPage) self = data;
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->saving);
  gtk_widget_set_sensitive (GTK_WIDGET (self->detail_stack), TRUE);
  if (!crm_store_write_finish (CRM_STORE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
    }
  /* The session announces it too; the list and detail follow now. */
  crm_feedback_page_reload (self);
}

static void
apply_change (CrmFeedbackPage *self,
              const char      *status)
{
  Change *c;
  const char *assignee = gtk_editable_get_text (GTK_EDITABLE (self->assignee_row));
  const char *note = gtk_editable_get_text (GTK_EDITABLE (self->note_row));
  guint priority = adw_combo_row_get_selected (self->priority_row);
  const char *current = crm_feedback_get_assignee (self->shown);

  if (self->shown == NULL || self->store == NULL || self->saving != NULL)
    return;
  c = g_new0 (Change, 1);
  /* A copy: the shown object changes only once the write is done (the reload). */
  c->feedback = crm_store_load (self->store, CRM_TYPE_FEEDBACK, crm_entity_get_id (CRM_ENTITY (self->shown)), NULL);
  if (c->feedback == NULL)
    {
      change_free (c);
      return;
    }
  c->status = g_strdup (status);
  if (g_strcmp0 (assignee, current != NULL ? current : "") != 0)
    c->assignee = g_strdup (assignee);
  if (priority < g_strv_length ((char **) crm_feedback_priorities ()))
    c->priority = g_strdup (crm_feedback_priorities ()[priority]);
  c->note = note[0] != '\0' ? g_strdup (note) : NULL;
  self->saving = g_cancellable_new ();
  gtk_widget_set_sensitive (GTK_WIDGET (self->detail_stack), FALSE);
  crm_store_write_async (self->store, write_change, c, (GDestroyNotify) change_free, NULL, NULL, self->saving,
                         on_applied, g_object_ref (self));
}

static void
on_save_clicked (CrmFeedbackPage *self)
{
  apply_change (self, NULL);
}

static void
on_customer_clicked (CrmFeedbackPage *self)
{
  if (self->shown != NULL)
    g_signal_emit (self, signals[OPEN_CUSTOMER], 0, crm_feedback_get_customer_id (self->shown));
}

/* ---- session ------------------------------------------------------------------------------- */

void
crm_feedback_page_set_session (CrmFeedbackPage *self,
                               CrmSession      *session)
{
  g_return_if_fail (CRM_IS_FEEDBACK_PAGE (self));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->saving != NULL)
    g_cancellable_cancel (self->saving);
  g_set_object (&self->session, session);
  g_clear_object (&self->store);
  if (session != NULL && crm_session_get_store (session) != NULL)
    self->store = g_object_ref (crm_session_get_store (session));
  self->shown_id = 0;
  crm_feedback_page_reload (self);
  if (session != NULL)
    g_signal_connect_object (session, "activity-changed", G_CALLBACK (crm_feedback_page_reload), self,
                             G_CONNECT_SWAPPED);
}

void
crm_feedback_page_set_folded (CrmFeedbackPage *self,
                              gboolean         folded)
{
  g_return_if_fail (CRM_IS_FEEDBACK_PAGE (self));

  crm_ui_page_set_folded (G_OBJECT (self), properties[PROP_FOLDED], &self->folded, folded,
                          self->back_button, self->header);
}

/* "All Customers" and the saved segments, the chosen one kept by name. */
static void
fill_segments (CrmFeedbackPage *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GtkStringList *old = GTK_STRING_LIST (gtk_drop_down_get_model (self->segment_dropdown));
  guint chosen = gtk_drop_down_get_selected (self->segment_dropdown);
  g_autofree char *chosen_name = old != NULL && chosen >= 1 && chosen < g_list_model_get_n_items (G_LIST_MODEL (old))
                                 ? g_strdup (gtk_string_list_get_string (old, chosen)) : NULL;
  guint select = 0;

  self->filling = TRUE;
  g_ptr_array_set_size (self->segment_rules, 0);
  gtk_string_list_append (labels, _("All Customers"));
  for (guint i = 0; self->segments != NULL && i < g_list_model_get_n_items (self->segments); i++)
    {
      g_autoptr(CrmSegment) segment = g_list_model_get_item (self->segments, i);

      gtk_string_list_append (labels, crm_segment_get_name (segment));
      g_ptr_array_add (self->segment_rules, g_strdup (crm_segment_get_rule (segment)));
      if (g_strcmp0 (crm_segment_get_name (segment), chosen_name) == 0)
        select = i + 1;
    }
  gtk_drop_down_set_model (self->segment_dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (self->segment_dropdown, select);
  self->filling = FALSE;
  if (select != chosen)
    crm_feedback_page_reload (self);
}

void
crm_feedback_page_set_segments (CrmFeedbackPage *self,
                                GListModel      *segments)
{
  g_return_if_fail (CRM_IS_FEEDBACK_PAGE (self));

  if (self->segments != NULL)
    g_signal_handlers_disconnect_by_data (self->segments, self);
  g_set_object (&self->segments, segments);
  if (segments != NULL)
    g_signal_connect_object (segments, "items-changed", G_CALLBACK (fill_segments), self, G_CONNECT_SWAPPED);
  fill_segments (self);
}

/* ---- for tests ----------------------------------------------------------------------------- */

GtkDropDown *
crm_feedback_page_get_segment_dropdown (CrmFeedbackPage *self)
{
  g_return_val_if_fail (CRM_IS_FEEDBACK_PAGE (self), NULL);
  return self->segment_dropdown;
}

gboolean
crm_feedback_page_get_loading (CrmFeedbackPage *self)
{
  g_return_val_if_fail (CRM_IS_FEEDBACK_PAGE (self), FALSE);
  return self->loading != NULL;
}

GPtrArray *
crm_feedback_page_get_items (CrmFeedbackPage *self)
{
  g_return_val_if_fail (CRM_IS_FEEDBACK_PAGE (self), NULL);
  return self->items;
}

GtkListBox *
crm_feedback_page_get_list (CrmFeedbackPage *self)
{
  g_return_val_if_fail (CRM_IS_FEEDBACK_PAGE (self), NULL);
  return self->item_list;
}

GtkToggleButton *
crm_feedback_page_get_filter (CrmFeedbackPage *self,
                              const char      *which)
{
  g_return_val_if_fail (CRM_IS_FEEDBACK_PAGE (self), NULL);
  if (g_strcmp0 (which, "open") == 0)
    return self->open_button;
  if (g_strcmp0 (which, "overdue") == 0)
    return self->overdue_button;
  return self->mine_button;
}

void
crm_feedback_page_select (CrmFeedbackPage *self,
                          guint            i)
{
  GtkListBoxRow *row;

  g_return_if_fail (CRM_IS_FEEDBACK_PAGE (self));
  if ((row = gtk_list_box_get_row_at_index (self->item_list, (int) i)) != NULL)
    {
      gtk_list_box_select_row (self->item_list, row);
      show_item (self, g_ptr_array_index (self->items, i));
    }
}

CrmFeedback *
crm_feedback_page_get_shown (CrmFeedbackPage *self)
{
  g_return_val_if_fail (CRM_IS_FEEDBACK_PAGE (self), NULL);
  return self->shown;
}

GtkButton *
crm_feedback_page_get_status_button (CrmFeedbackPage *self,
                                     const char      *status)
{
  g_return_val_if_fail (CRM_IS_FEEDBACK_PAGE (self), NULL);
  for (guint i = 0; i < self->status_buttons->len; i++)
    if (g_strcmp0 (g_object_get_data (G_OBJECT (self->status_buttons->pdata[i]), "crm-status"), status) == 0)
      return self->status_buttons->pdata[i];
  return NULL;
}

GtkEditable *
crm_feedback_page_get_note_entry (CrmFeedbackPage *self)
{
  g_return_val_if_fail (CRM_IS_FEEDBACK_PAGE (self), NULL);
  return GTK_EDITABLE (self->note_row);
}

GtkEditable *
crm_feedback_page_get_assignee_entry (CrmFeedbackPage *self)
{
  g_return_val_if_fail (CRM_IS_FEEDBACK_PAGE (self), NULL);
  return GTK_EDITABLE (self->assignee_row);
}

guint
crm_feedback_page_get_n_history (CrmFeedbackPage *self)
{
  g_return_val_if_fail (CRM_IS_FEEDBACK_PAGE (self), 0);
  return self->history_rows->len;
}

const char *
crm_feedback_page_get_trend (CrmFeedbackPage *self)
{
  g_return_val_if_fail (CRM_IS_FEEDBACK_PAGE (self), NULL);
  return gtk_label_get_label (self->trend_label);
}

const char *
crm_feedback_page_get_summary (CrmFeedbackPage *self)
{
  g_return_val_if_fail (CRM_IS_FEEDBACK_PAGE (self), NULL);
  return self->summary;
}

gboolean
crm_feedback_page_get_saving (CrmFeedbackPage *self)
{
  g_return_val_if_fail (CRM_IS_FEEDBACK_PAGE (self), FALSE);
  return self->saving != NULL;
}

/* ---- GObject ------------------------------------------------------------------------------- */

static void
crm_feedback_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CrmFeedbackPage *self = CRM_FEEDBACK_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_feedback_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CrmFeedbackPage *self = CRM_FEEDBACK_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      crm_feedback_page_set_folded (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_feedback_page_dispose (GObject *object)
{
  CrmFeedbackPage *self = CRM_FEEDBACK_PAGE (object);

  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  if (self->saving != NULL)
    g_cancellable_cancel (self->saving);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->segments != NULL)
    g_signal_handlers_disconnect_by_data (self->segments, self);
  g_ptr_array_set_size (self->status_buttons, 0);
  g_ptr_array_set_size (self->history_rows, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_FEEDBACK_PAGE);

  G_OBJECT_CLASS (crm_feedback_page_parent_class)->dispose (object);
}

static void
crm_feedback_page_finalize (GObject *object)
{
  CrmFeedbackPage *self = CRM_FEEDBACK_PAGE (object);

  g_clear_object (&self->session);
  g_clear_object (&self->store);
  g_clear_object (&self->loading);
  g_clear_object (&self->saving);
  g_clear_object (&self->shown);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->status_buttons, g_ptr_array_unref);
  g_clear_pointer (&self->history_rows, g_ptr_array_unref);
  g_clear_pointer (&self->segment_rules, g_ptr_array_unref);
  g_clear_object (&self->segments);
  g_free (self->summary);

  G_OBJECT_CLASS (crm_feedback_page_parent_class)->finalize (object);
}

static void
crm_feedback_page_class_init (CrmFeedbackPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = crm_feedback_page_get_property;
  object_class->set_property = crm_feedback_page_set_property;
  object_class->dispose = crm_feedback_page_dispose;
  object_class->finalize = crm_feedback_page_finalize;

  /* Set by the window: the sidebar is folded away, so show a back button. */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[OPEN_CUSTOMER] = g_signal_new ("open-customer", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clientele/Clientele/ui/crm-feedback-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackPage, header);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackPage, open_button);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackPage, overdue_button);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackPage, mine_button);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackPage, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackPage, segment_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackPage, trend_label);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackPage, item_list);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackPage, detail_title);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackPage, detail_meta);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackPage, detail_text);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackPage, customer_button);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackPage, workflow_box);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackPage, workflow_label);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackPage, status_box);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackPage, priority_row);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackPage, assignee_row);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackPage, note_row);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, CrmFeedbackPage, history_group);
}

static void
crm_feedback_page_init (CrmFeedbackPage *self)
{
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) priorities = gtk_string_list_new (NULL);

  self->status_buttons = g_ptr_array_new ();
  self->history_rows = g_ptr_array_new ();
  self->segment_rules = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_string_list_append (kinds, _("All Kinds"));
  for (const char * const *k = crm_feedback_kinds (); *k != NULL; k++)
    gtk_string_list_append (kinds, crm_feedback_kind_get_label (*k));
  gtk_drop_down_set_model (self->kind_dropdown, G_LIST_MODEL (kinds));
  for (const char * const *p = crm_feedback_priorities (); *p != NULL; p++)
    gtk_string_list_append (priorities, crm_feedback_priority_get_label (*p));
  adw_combo_row_set_model (self->priority_row, G_LIST_MODEL (priorities));

  g_signal_connect_object (self->open_button, "toggled", G_CALLBACK (crm_feedback_page_reload), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->overdue_button, "toggled", G_CALLBACK (crm_feedback_page_reload), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->mine_button, "toggled", G_CALLBACK (crm_feedback_page_reload), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->kind_dropdown, "notify::selected", G_CALLBACK (crm_feedback_page_reload), self,
                           G_CONNECT_SWAPPED);
  fill_segments (self);
  g_signal_connect_object (self->segment_dropdown, "notify::selected", G_CALLBACK (crm_feedback_page_reload), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->item_list, "row-selected", G_CALLBACK (on_row_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->save_button, "clicked", G_CALLBACK (on_save_clicked), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->customer_button, "clicked", G_CALLBACK (on_customer_clicked), self,
                           G_CONNECT_SWAPPED);
  gtk_stack_set_visible_child_name (self->list_stack, "empty");
}

/* crm-feedback-service.c: feedback and complaints, and the workflow of complaints and inquiries
 * (the transition table is in crm-feedback-service.h).
 *
 * Every change of an item goes with a row of feedback_history in the same transaction (schema
 * 10), so "who moved it, when, and why" is never lost; the row hangs on the item, not on the
 * customer, so that a merge, which moves the item, carries its history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-feedback-service.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-customer.h"
#include "crm-order.h"
#include "crm-timeline.h"

typedef struct
{
  const char *key;
  const char *label;
} Choice;

static const char *const kind_keys[] = { "nps", "csat", "review", "complaint", "inquiry", "suggestion", NULL };
static const Choice kind_labels[] = {
  { "nps", N_("Survey answer (NPS)") }, { "csat", N_("Survey answer (CSAT)") }, { "review", N_("Review") },
  { "complaint", N_("Complaint") }, { "inquiry", N_("Inquiry") }, { "suggestion", N_("Suggestion") },
};
static const char *const status_keys[] = { "open", "in-progress", "waiting", "resolved", "closed", NULL };
/* With a context: "Resolved" is also the label of the resolved-at field (a time). */
static const Choice status_labels[] = {
  { "open", NC_("feedback status", "Open") }, { "in-progress", NC_("feedback status", "In progress") },
  { "waiting", NC_("feedback status", "Waiting on customer") }, { "resolved", NC_("feedback status", "Resolved") },
  { "closed", NC_("feedback status", "Closed") },
};
static const char *const priority_keys[] = { "low", "normal", "high", "urgent", NULL };
static const Choice priority_labels[] = {
  { "low", N_("Low") }, { "normal", N_("Normal") }, { "high", N_("High") }, { "urgent", N_("Urgent") },
};
static const char *const default_sla[] = { "7d", "72h", "24h", "4h" };
static const char *const channel_keys[] = {
  "phone", "email", "visit", "chat", "wechat", "social", "web", "survey", "other", NULL
};
static const Choice channel_labels[] = {
  { "phone", N_("Phone") }, { "email", N_("E-mail") }, { "visit", N_("Visit") }, { "chat", N_("Chat") },
  { "wechat", N_("WeChat") }, { "social", N_("Social media") }, { "web", N_("Web") },
  { "survey", N_("Survey") }, { "other", N_("Other") },
};

/* The transition table, row by row: where each status may go. */
static const char *const from_open[] = { "in-progress", "waiting", "resolved", NULL };
static const char *const from_in_progress[] = { "waiting", "resolved", NULL };
static const char *const from_waiting[] = { "in-progress", "resolved", NULL };
static const char *const from_resolved[] = { "open", "closed", NULL };
static const char *const from_closed[] = { "open", NULL };
static const char *const from_nothing[] = { NULL };

const char * const *crm_feedback_kinds (void) { return kind_keys; }
const char * const *crm_feedback_statuses (void) { return status_keys; }
const char * const *crm_feedback_priorities (void) { return priority_keys; }
const char * const *crm_feedback_channels (void) { return channel_keys; }

static const char *
label_of (const Choice *choices,
          guint         n,
          const char   *key)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (choices[i].key, key) == 0)
      return _(choices[i].label);
  return key;   /* imported or synced text is shown as it came */
}

const char *
crm_feedback_kind_get_label (const char *kind)
{
  return label_of (kind_labels, G_N_ELEMENTS (kind_labels), kind);
}

const char *
crm_feedback_status_get_label (const char *status)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_labels); i++)
    if (g_strcmp0 (status_labels[i].key, status) == 0)
      return g_dpgettext2 (GETTEXT_PACKAGE, "feedback status", status_labels[i].label);
  return status;
}

const char *
crm_feedback_priority_get_label (const char *priority)
{
  return label_of (priority_labels, G_N_ELEMENTS (priority_labels), priority);
}

const char *
crm_feedback_channel_get_label (const char *channel)
{
  return label_of (channel_labels, G_N_ELEMENTS (channel_labels), channel);
}

gboolean
crm_feedback_kind_is_known (const char *kind)
{
  return kind != NULL && g_strv_contains (kind_keys, kind);
}

gboolean
crm_feedback_kind_has_workflow (const char *kind)
{
  return g_strcmp0 (kind, "complaint") == 0 || g_strcmp0 (kind, "inquiry") == 0;
}

gboolean
crm_feedback_status_is_open (const char *status)
{
  return g_strcmp0 (status, "open") == 0 || g_strcmp0 (status, "in-progress") == 0 ||
         g_strcmp0 (status, "waiting") == 0;
}

const char * const *
crm_feedback_next_statuses (const char *from)
{
  if (g_strcmp0 (from, "open") == 0)
    return from_open;
  if (g_strcmp0 (from, "in-progress") == 0)
    return from_in_progress;
  if (g_strcmp0 (from, "waiting") == 0)
    return from_waiting;
  if (g_strcmp0 (from, "resolved") == 0)
    return from_resolved;
  if (g_strcmp0 (from, "closed") == 0)
    return from_closed;
  return from_nothing;
}

gboolean
crm_feedback_can_transition (const char *from,
                             const char *to)
{
  return to != NULL && g_strv_contains (crm_feedback_next_statuses (from), to);
}

static gboolean
refuse (GError     **error,
        const char  *message)
{
  g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, message);
  return FALSE;
}

/* ---- SLA ------------------------------------------------------------------------------ */

gboolean
crm_feedback_sla_parse (const char *text,
                        guint      *amount,
                        gboolean   *days,
                        GError    **error)
{
  g_autofree char *copy = NULL;
  guint64 n = 0;
  gsize len;
  gboolean in_days;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return refuse (error, _("An SLA is a number of days or hours, e.g. “7d” or “72h”"));
  copy = g_strstrip (g_strdup (text));
  len = strlen (copy);
  if (len < 2 || (copy[len - 1] != 'd' && copy[len - 1] != 'h'))
    return refuse (error, _("An SLA is a number of days or hours, e.g. “7d” or “72h”"));
  in_days = copy[len - 1] == 'd';
  copy[len - 1] = '\0';
  if (!g_ascii_string_to_unsigned (copy, 10, 1, in_days ? 365 : 8760, &n, NULL))
    return refuse (error, _("An SLA is 1 to 365 days (“7d”) or 1 to 8760 hours (“72h”)"));
  if (amount != NULL)
    *amount = (guint) n;
  if (days != NULL)
    *days = in_days;
  return TRUE;
}

static int
priority_index (const char *priority)
{
  for (int i = 0; priority_keys[i] != NULL; i++)
    if (g_strcmp0 (priority, priority_keys[i]) == 0)
      return i;
  return -1;
}

char *
crm_feedback_get_sla (CrmStore   *store,
                      const char *priority)
{
  int i = priority_index (priority);
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;

  if (i < 0)
    i = 1;
  key = g_strconcat ("feedback_sla_", priority_keys[i], NULL);
  value = crm_store_get_setting (store, key);
  if (value != NULL && crm_feedback_sla_parse (value, NULL, NULL, NULL))
    return g_steal_pointer (&value);
  return g_strdup (default_sla[i]);
}

gboolean
crm_feedback_set_sla (CrmStore   *store,
                      const char *priority,
                      const char *sla,
                      GError    **error)
{
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;
  guint amount;
  gboolean days;

  if (priority_index (priority) < 0)
    return refuse (error, _("The priority must be low, normal, high or urgent"));
  if (!crm_feedback_sla_parse (sla, &amount, &days, error))
    return FALSE;
  key = g_strconcat ("feedback_sla_", priority, NULL);
  value = g_strdup_printf ("%u%c", amount, days ? 'd' : 'h');
  return crm_store_set_setting (store, key, value, error);
}

gint64
crm_feedback_sla_due (const char *sla,
                      gint64      from_ms,
                      GTimeZone  *tz)
{
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) due = NULL;
  guint amount;
  gboolean days;

  if (!crm_feedback_sla_parse (sla, &amount, &days, NULL))
    return 0;
  if (!days)
    return from_ms + (gint64) amount * 3600 * 1000;

  /* Days are calendar days where the shop is: a complaint made at 10:00 the week the clocks
   * change is due at 10:00 a week later (167 or 169 hours). */
  if (tz == NULL)
    tz = local = g_time_zone_new_local ();
  start = g_date_time_new_from_unix_utc (from_ms / 1000);
  if (start == NULL)
    return 0;
  {
    g_autoptr(GDateTime) zoned = g_date_time_to_timezone (start, tz);
    due = g_date_time_add_days (zoned, (int) amount);
  }
  if (due == NULL)
    return 0;
  return g_date_time_to_unix (due) * 1000 + from_ms % 1000;
}

gboolean
crm_feedback_is_overdue (CrmFeedback *feedback,
                         gint64       as_of)
{
  gint64 due = crm_feedback_get_due_at (feedback);

  return crm_feedback_status_is_open (crm_feedback_get_status (feedback)) && due > 0 && as_of > due;
}

/* ---- writing --------------------------------------------------------------------------- */

static gboolean
add_history (CrmStore    *store,
             gint64       feedback_id,
             const char  *from,
             CrmFeedback *feedback,
             gint64       at,
             const char  *by,
             const char  *note,
             GError     **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store,
    "INSERT INTO feedback_history (feedback_id, from_status, to_status, assignee, priority, at, by, note)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, feedback_id);
  sqlite3_bind_text (stmt, 2, from, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, crm_feedback_get_status (feedback), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, crm_feedback_get_assignee (feedback), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, crm_feedback_get_priority (feedback), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, at);
  sqlite3_bind_text (stmt, 7, by != NULL ? by : crm_timeline_user_name (), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, note != NULL && note[0] != '\0' ? note : NULL, -1, SQLITE_TRANSIENT);
  return crm_store_step (store, stmt, error);
}

static gboolean
check_score (CrmFeedback  *feedback,
             GError      **error)
{
  const char *kind = crm_feedback_get_kind (feedback);
  gint64 score = crm_feedback_get_score (feedback);

  if (g_str_equal (kind, "nps") && (score < 0 || score > 10))
    return refuse (error, _("An NPS answer is a score from 0 to 10"));
  if ((g_str_equal (kind, "csat") || g_str_equal (kind, "review")) && (score < 1 || score > 5))
    return refuse (error, g_str_equal (kind, "csat") ? _("A CSAT answer is a score from 1 to 5")
                                                     : _("A review’s rating is from 1 to 5"));
  if (!g_str_equal (kind, "nps") && !g_str_equal (kind, "csat") && !g_str_equal (kind, "review") && score != 0)
    return refuse (error, _("Only survey answers and reviews have a score"));
  return TRUE;
}

static gboolean
check_links (CrmStore     *store,
             CrmFeedback  *feedback,
             GError      **error)
{
  g_autoptr(CrmCustomer) customer = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 customer_id = crm_feedback_get_customer_id (feedback);
  gint64 order_id = crm_feedback_get_order_id (feedback);

  if (customer_id <= 0)
    return refuse (error, _("Feedback needs a customer"));
  customer = crm_store_load (store, CRM_TYPE_CUSTOMER, customer_id, &local_error);
  if (customer == NULL || crm_entity_is_deleted (CRM_ENTITY (customer)))
    {
      if (local_error != NULL && !g_error_matches (local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                           _("The customer of this feedback does not exist or was deleted"));
      return FALSE;
    }
  if (order_id != 0)
    {
      g_autoptr(CrmOrder) order = crm_store_load (store, CRM_TYPE_ORDER, order_id, NULL);

      if (order == NULL || crm_entity_is_deleted (CRM_ENTITY (order)) ||
          crm_order_get_customer_id (order) != customer_id)
        return refuse (error, _("The order is not one of this customer’s orders"));
    }
  return TRUE;
}

gboolean
crm_feedback_add (CrmStore    *store,
                  CrmFeedback *feedback,
                  GTimeZone   *tz,
                  GError     **error)
{
  const char *kind, *channel;
  g_autofree char *sla = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (CRM_IS_FEEDBACK (feedback), FALSE);

  kind = crm_feedback_get_kind (feedback);
  if (!crm_feedback_kind_is_known (kind))
    return refuse (error, _("The kind must be nps, csat, review, complaint, inquiry or suggestion"));
  channel = crm_feedback_get_channel (feedback);
  if (channel != NULL && !g_strv_contains (channel_keys, channel))
    return refuse (error, _("The channel must be one of phone, email, visit, chat, wechat, social, web, survey or other"));
  if (!check_score (feedback, error))
    return FALSE;
  if (crm_feedback_get_source (feedback) != NULL && !g_str_equal (kind, "review"))
    return refuse (error, _("Only reviews have a source"));

  if (crm_feedback_get_received_at (feedback) == 0)
    crm_feedback_set_received_at (feedback, crm_now_ms ());

  if (crm_feedback_kind_has_workflow (kind))
    {
      if (crm_feedback_get_priority (feedback) == NULL)
        crm_feedback_set_priority (feedback, "normal");
      if (priority_index (crm_feedback_get_priority (feedback)) < 0)
        return refuse (error, _("The priority must be low, normal, high or urgent"));
      crm_feedback_set_status (feedback, "open");
      sla = crm_feedback_get_sla (store, crm_feedback_get_priority (feedback));
      crm_feedback_set_due_at (feedback, crm_feedback_sla_due (sla, crm_feedback_get_received_at (feedback), tz));
    }
  else if (crm_feedback_get_priority (feedback) != NULL || crm_feedback_get_status (feedback) != NULL ||
           crm_feedback_get_assignee (feedback) != NULL)
    return refuse (error, _("Only complaints and inquiries have a status, a priority and an assignee"));

  if (!crm_store_begin (store, error))
    return FALSE;
  if (!check_links (store, feedback, error) ||
      !crm_store_insert (store, CRM_ENTITY (feedback), error) ||
      (crm_feedback_kind_has_workflow (kind) &&
       !add_history (store, crm_entity_get_id (CRM_ENTITY (feedback)), NULL, feedback,
                     crm_feedback_get_received_at (feedback), NULL, NULL, error)) ||
      !crm_store_commit (store, error))
    {
      crm_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

static gint64
opened_at (CrmStore    *store,
           CrmFeedback *feedback)
{
  sqlite3_stmt *stmt = crm_store_prepare (store,
    "SELECT max(at) FROM feedback_history WHERE feedback_id = ? AND to_status = 'open'"
    " AND (from_status IS NULL OR from_status <> 'open')", NULL);
  gint64 at = 0;

  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, crm_entity_get_id (CRM_ENTITY (feedback)));
      if (sqlite3_step (stmt) == SQLITE_ROW)
        at = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  return at > 0 ? at : crm_feedback_get_received_at (feedback);
}

static gboolean
refuse_transition (GError     **error,
                   const char  *from,
                   const char  *to)
{
  const char * const *next = crm_feedback_next_statuses (from);
  g_autoptr(GString) allowed = g_string_new (NULL);

  for (guint i = 0; next[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (allowed, ", ");
      g_string_append_printf (allowed, "“%s”", crm_feedback_status_get_label (next[i]));
    }
  g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
               /* Translators: a refused workflow step: from status, to status, the allowed ones. */
               _("“%s” cannot go to “%s”; from “%s” it can go to %s"),
               crm_feedback_status_get_label (from), crm_feedback_status_get_label (to),
               crm_feedback_status_get_label (from), allowed->str);
  return FALSE;
}

/* Applies the change to the object; FALSE when it is refused.  *changed says whether anything
 * stored changed. */
static gboolean
apply_fields (CrmStore                *store,
              CrmFeedback             *feedback,
              const CrmFeedbackChange *change,
              gint64                   at,
              GTimeZone               *tz,
              gboolean                *changed,
              GError                 **error)
{
  const char *from = crm_feedback_get_status (feedback);
  gboolean reopen = FALSE, new_due = FALSE;

  if (change->status != NULL)
    {
      if (!g_strv_contains (status_keys, change->status))
        return refuse (error, _("The status must be open, in-progress, waiting, resolved or closed"));
      if (!crm_feedback_can_transition (from, change->status))
        return refuse_transition (error, from, change->status);
      reopen = g_str_equal (change->status, "open");
      crm_feedback_set_status (feedback, change->status);
      if (g_str_equal (change->status, "resolved"))
        crm_feedback_set_resolved_at (feedback, at);
      else if (reopen)
        crm_feedback_set_resolved_at (feedback, 0);
      *changed = TRUE;
    }
  if (change->priority != NULL && g_strcmp0 (change->priority, crm_feedback_get_priority (feedback)) != 0)
    {
      if (priority_index (change->priority) < 0)
        return refuse (error, _("The priority must be low, normal, high or urgent"));
      crm_feedback_set_priority (feedback, change->priority);
      new_due = *changed = TRUE;
    }
  if (change->assignee != NULL)
    {
      g_autofree char *who = g_strstrip (g_strdup (change->assignee));

      if (!g_utf8_validate (who, -1, NULL) || g_utf8_strlen (who, -1) > 100)
        return refuse (error, _("The assignee is a name of at most 100 characters"));
      if (g_strcmp0 (who[0] != '\0' ? who : NULL, crm_feedback_get_assignee (feedback)) != 0)
        {
          crm_feedback_set_assignee (feedback, who[0] != '\0' ? who : NULL);
          *changed = TRUE;
        }
    }
  /* The SLA clock starts again at a re-open; a new priority counts from the last opening. */
  if (reopen || new_due)
    {
      g_autofree char *sla = crm_feedback_get_sla (store, crm_feedback_get_priority (feedback));

      crm_feedback_set_due_at (feedback, crm_feedback_sla_due (sla, reopen ? at : opened_at (store, feedback), tz));
    }
  return TRUE;
}

gboolean
crm_feedback_apply (CrmStore                *store,
                    CrmFeedback             *feedback,
                    const CrmFeedbackChange *change,
                    GTimeZone               *tz,
                    GError                 **error)
{
  g_autofree char *from = NULL;
  gboolean changed = FALSE;
  gboolean has_note;
  gint64 at;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (CRM_IS_FEEDBACK (feedback), FALSE);
  g_return_val_if_fail (change != NULL, FALSE);

  if (!crm_feedback_kind_has_workflow (crm_feedback_get_kind (feedback)))
    return refuse (error, _("Only complaints and inquiries have a workflow"));
  if (crm_entity_is_deleted (CRM_ENTITY (feedback)))
    return refuse (error, _("This feedback was deleted"));
  if (change->note != NULL && (!g_utf8_validate (change->note, -1, NULL) || g_utf8_strlen (change->note, -1) > 10000))
    return refuse (error, _("A note is valid text of at most 10,000 characters"));
  has_note = change->note != NULL && change->note[0] != '\0';
  at = change->at != 0 ? change->at : crm_now_ms ();
  from = g_strdup (crm_feedback_get_status (feedback));

  if (!crm_store_begin (store, error))
    return FALSE;
  if (!apply_fields (store, feedback, change, at, tz, &changed, error) ||
      (!changed && !has_note && !refuse (error, _("Nothing to change: give a new status, assignee, priority or a note"))) ||
      (changed && !crm_store_update (store, CRM_ENTITY (feedback), error)) ||
      !add_history (store, crm_entity_get_id (CRM_ENTITY (feedback)), from, feedback, at, change->by, change->note,
                    error) ||
      !crm_store_commit (store, error))
    {
      crm_store_rollback (store);
      /* The object shows what is stored. */
      crm_store_reload (store, CRM_ENTITY (feedback), NULL);
      return FALSE;
    }
  return TRUE;
}

/* ---- reading --------------------------------------------------------------------------- */

void
crm_feedback_event_free (CrmFeedbackEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->from_status);
  g_free (event->to_status);
  g_free (event->assignee);
  g_free (event->priority);
  g_free (event->by);
  g_free (event->note);
  g_free (event);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

GPtrArray *
crm_feedback_history (CrmStore  *store,
                      gint64     feedback_id,
                      GError   **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_feedback_event_free);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = crm_store_prepare (store,
          "SELECT at, from_status, to_status, assignee, priority, by, note FROM feedback_history"
          " WHERE feedback_id = ? ORDER BY at, id", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, feedback_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmFeedbackEvent *e = g_new0 (CrmFeedbackEvent, 1);

      e->at = sqlite3_column_int64 (stmt, 0);
      e->from_status = column_text (stmt, 1);
      e->to_status = column_text (stmt, 2);
      e->assignee = column_text (stmt, 3);
      e->priority = column_text (stmt, 4);
      e->by = column_text (stmt, 5);
      e->note = column_text (stmt, 6);
      g_ptr_array_add (events, e);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&events);
}

static gint
compare_position (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  GHashTable *position = user_data;
  gint64 pa = GPOINTER_TO_SIZE (g_hash_table_lookup (position, &(gint64) { crm_entity_get_id (*(CrmEntity **) a) }));
  gint64 pb = GPOINTER_TO_SIZE (g_hash_table_lookup (position, &(gint64) { crm_entity_get_id (*(CrmEntity **) b) }));

  return pa < pb ? -1 : pa > pb;
}

GPtrArray *
crm_feedback_list (CrmStore                *store,
                   const CrmFeedbackFilter *filter,
                   GError                 **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT id FROM feedback WHERE deleted_at IS NULL");
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) position = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GPtrArray) items = NULL;
  sqlite3_stmt *stmt;
  gint64 as_of = filter->as_of != 0 ? filter->as_of : crm_now_ms ();
  int rc;

  /* Every filter is bound, whether set or not: one cached statement. */
  g_string_append (sql, " AND (?1 = 0 OR customer_id = ?1) AND (?2 IS NULL OR kind = ?2)"
                        " AND (?3 IS NULL OR assignee = ?3)"
                        " AND (?4 = 0 OR status IN ('open', 'in-progress', 'waiting'))"
                        " AND (?5 = 0 OR (due_at IS NOT NULL AND due_at < ?6))"
                        " ORDER BY received_at DESC, id DESC LIMIT ?7");
  if (!(stmt = crm_store_prepare (store, sql->str, error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, filter->customer_id);
  sqlite3_bind_text (stmt, 2, filter->kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, filter->assignee, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, filter->open_only || filter->overdue_only);
  sqlite3_bind_int (stmt, 5, filter->overdue_only);
  sqlite3_bind_int64 (stmt, 6, as_of);
  sqlite3_bind_int64 (stmt, 7, filter->limit != 0 ? filter->limit : 1000);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, rc, error);
      return NULL;
    }

  if (!(items = crm_store_load_many (store, CRM_TYPE_FEEDBACK, (gint64 *) ids->data, ids->len, error)))
    return NULL;
  for (guint i = 0; i < ids->len; i++)
    g_hash_table_insert (position, &g_array_index (ids, gint64, i), GSIZE_TO_POINTER (i));
  g_ptr_array_sort_with_data (items, compare_position, position);
  return g_steal_pointer (&items);
}

GHashTable *
crm_feedback_customer_names (CrmStore   *store,
                             GPtrArray  *items,
                             GError    **error)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  sqlite3_stmt *stmt;

  if (!(stmt = crm_store_prepare (store, "SELECT name FROM customers WHERE id = ?", error)))
    return NULL;
  for (guint i = 0; i < items->len; i++)
    {
      gint64 id = crm_feedback_get_customer_id (g_ptr_array_index (items, i));
      int rc;

      if (g_hash_table_contains (names, &id))
        continue;
      sqlite3_bind_int64 (stmt, 1, id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        g_hash_table_insert (names, g_memdup2 (&id, sizeof id), g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          crm_store_set_error (store, rc, error);
          return NULL;
        }
    }
  return g_steal_pointer (&names);
}

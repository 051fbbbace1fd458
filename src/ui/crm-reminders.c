/* crm-reminders.c
 *
 * The reminders are taken in a write (crm_tasks_take_reminders() marks them reminded in the same
 * transaction), so two windows or two runs never remind of the same follow-up twice; one the
 * app quit before showing is still listed on the Today page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-format.h"
#include "crm-pool.h"
#include "crm-reminders.h"
#include "crm-tasks.h"

#define CHECK_SECONDS 60

typedef struct
{
  GApplication *app;          /* weak */
  CrmSession   *session;      /* owns this */
  guint         timeout_id;
  gboolean      busy;
  gint64        returned_day; /* local midnight of the last pool return */
  guint         sent;
} Reminders;

typedef struct
{
  CrmSession *session;    /* keeps the reminders alive until the write is done */
  GPtrArray  *tasks;
  gboolean    pool;
} Take;

static void
reminders_free (gpointer data)
{
  Reminders *r = data;

  g_clear_handle_id (&r->timeout_id, g_source_remove);
  g_clear_weak_pointer (&r->app);
  g_free (r);
}

static gboolean
take_reminders (CrmStore  *store,
                gpointer   data,
                GError   **error)
{
  Take *take = data;
  gint64 now = crm_now_ms ();

  if (take->pool && crm_pool_return_due (store, now, error) < 0)
    return FALSE;
  return (take->tasks = crm_tasks_take_reminders (store, now, error)) != NULL;
}

static void
take_free (gpointer data)
{
  Take *take = data;

  g_clear_pointer (&take->tasks, g_ptr_array_unref);
  g_clear_object (&take->session);
  g_free (take);
}

static void
notify_task (Reminders     *r,
             const CrmTask *t)
{
  g_autoptr(GNotification) n = NULL;
  g_autofree char *title = NULL;
  g_autofree char *due = crm_format_date_time (t->due_at);
  g_autofree char *body = NULL;
  g_autofree char *id = g_strdup_printf ("task-%s", t->uuid);

  r->sent++;
  /* Not on the bus (a test's unregistered application): nobody to show it to. */
  if (!g_application_get_is_registered (r->app))
    return;

  /* Translators: a reminder's title; %s is the customer's name. */
  title = g_strdup_printf (_("Follow-up with %s"), t->customer_name);
  /* Translators: a reminder's text: what to do, and when it was due. */
  body = g_strdup_printf (_("%s (due %s)"), t->title, due);
  n = g_notification_new (title);
  g_notification_set_body (n, body);
  g_notification_set_default_action_and_target (n, "app.open-customer", "s", t->customer_uuid);
  g_notification_add_button_with_target (n, _("Open Customer"), "app.open-customer", "s", t->customer_uuid);
  g_application_send_notification (r->app, id, n);
}

static void
on_taken (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  Take *take = data;
  Reminders *r = g_object_get_data (G_OBJECT (take->session), "crm-reminders");
  g_autoptr(GError) error = NULL;

  r->busy = FALSE;
  if (!crm_store_write_finish (CRM_STORE (source), result, &error))
    g_debug ("No reminders this time: %s", error->message);
  else
    for (guint i = 0; r->app != NULL && i < take->tasks->len; i++)
      notify_task (r, g_ptr_array_index (take->tasks, i));
  take_free (take);
}

static void
check (Reminders *r)
{
  CrmStore *store = crm_session_get_store (r->session);
  gint64 today = crm_tasks_day_start (crm_now_ms (), 0);
  Take *take;
  gboolean pool;

  if (r->busy || store == NULL || crm_store_get_read_only (store) || r->app == NULL)
    return;
  /* Turned on during the day: within the minute. */
  pool = today != r->returned_day && crm_pool_get_auto_return (store);
  if (pool)
    r->returned_day = today;
  /* Most checks find nothing to do: they write nothing either. */
  if (!pool && !crm_tasks_reminders_pending (store, crm_now_ms ()))
    return;
  take = g_new0 (Take, 1);
  take->session = g_object_ref (r->session);
  take->pool = pool;
  r->busy = TRUE;
  /* The take, with its reference on the session, goes when the write's callback is done. */
  crm_store_write_async (store, take_reminders, take, NULL, NULL, NULL, NULL, on_taken, take);
}

static gboolean
on_timeout (gpointer data)
{
  check (data);
  return G_SOURCE_CONTINUE;
}

void
crm_reminders_watch (GApplication *app,
                     CrmSession   *session)
{
  Reminders *r;

  g_return_if_fail (G_IS_APPLICATION (app));
  g_return_if_fail (CRM_IS_SESSION (session));

  if (g_object_get_data (G_OBJECT (session), "crm-reminders") != NULL)
    return;
  r = g_new0 (Reminders, 1);
  r->session = session;
  g_set_weak_pointer (&r->app, app);
  g_object_set_data_full (G_OBJECT (session), "crm-reminders", r, reminders_free);
  r->timeout_id = g_timeout_add_seconds (CHECK_SECONDS, on_timeout, r);
  check (r);
}

void
crm_reminders_check (CrmSession *session)
{
  Reminders *r = g_object_get_data (G_OBJECT (session), "crm-reminders");

  if (r != NULL)
    check (r);
}

guint
crm_reminders_get_sent (CrmSession *session)
{
  Reminders *r = g_object_get_data (G_OBJECT (session), "crm-reminders");

  return r != NULL ? r->sent : 0;
}

/* crm-backup-scheduler.c: a backup when one is due, once a minute at most.
 *
 * The schedule counts from the last attempt (backup-last-attempt), so a backup that fails — the
 * folder is on a disk that is not plugged in, the keyring is locked — is tried again after an
 * interval, not every minute; Preferences → Backups shows the reason (backup-last-error).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-backup-scheduler.h"

#include "crm-backup.h"

#define TICK_SECONDS 60

struct _CrmBackupScheduler
{
  GObject         parent_instance;

  GWeakRef        application;
  GSettings      *settings;
  GCancellable   *cancellable;
  guint           tick_id;
  gboolean        running;
};

G_DEFINE_FINAL_TYPE (CrmBackupScheduler, crm_backup_scheduler, G_TYPE_OBJECT)

gint64
crm_backup_scheduler_interval_ms (GSettings *settings)
{
  g_autofree char *interval = g_settings_get_string (settings, "backup-interval");
  const gint64 hour = 3600 * 1000;

  if (g_str_equal (interval, "hourly"))
    return hour;
  if (g_str_equal (interval, "daily"))
    return 24 * hour;
  if (g_str_equal (interval, "weekly"))
    return 7 * 24 * hour;
  return 0;
}

void
crm_backup_scheduler_record (GSettings    *settings,
                             const char   *path,
                             const GError *error)
{
  gint64 now = g_get_real_time () / 1000;

  g_settings_set_int64 (settings, "backup-last-attempt", now);
  if (path != NULL)
    g_settings_set_int64 (settings, "backup-last", now);
  g_settings_set_string (settings, "backup-last-error", error != NULL ? error->message : "");
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CrmBackupScheduler) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = crm_backup_scheduled_finish (result, &error);

  self->running = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_warning ("Scheduled backup failed: %s", error->message);
  crm_backup_scheduler_record (self->settings, path, error);
}

static gboolean
tick (gpointer data)
{
  CrmBackupScheduler *self = data;
  g_autoptr(CrmApplication) application = g_weak_ref_get (&self->application);
  g_autofree char *folder = g_settings_get_string (self->settings, "backup-folder");
  gint64 interval = crm_backup_scheduler_interval_ms (self->settings);
  gint64 now = g_get_real_time () / 1000;
  CrmSession *session;

  if (application == NULL || self->running || interval == 0 || *folder == '\0' ||
      now - g_settings_get_int64 (self->settings, "backup-last-attempt") < interval)
    return G_SOURCE_CONTINUE;
  /* Only a database a window has open (and upgraded): never one the app is not showing. */
  session = crm_application_get_session (application);
  if (session == NULL || crm_session_get_store (session) == NULL)
    return G_SOURCE_CONTINUE;

  self->running = TRUE;
  crm_backup_scheduled_async (session, folder, g_settings_get_uint (self->settings, "backup-keep"),
                              self->cancellable, NULL, NULL, on_done, g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

static void
crm_backup_scheduler_dispose (GObject *object)
{
  CrmBackupScheduler *self = CRM_BACKUP_SCHEDULER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_weak_ref_clear (&self->application);

  G_OBJECT_CLASS (crm_backup_scheduler_parent_class)->dispose (object);
}

static void
crm_backup_scheduler_class_init (CrmBackupSchedulerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = crm_backup_scheduler_dispose;
}

static void
crm_backup_scheduler_init (CrmBackupScheduler *self)
{
  self->cancellable = g_cancellable_new ();
}

CrmBackupScheduler *
crm_backup_scheduler_new (CrmApplication *application)
{
  CrmBackupScheduler *self = g_object_new (CRM_TYPE_BACKUP_SCHEDULER, NULL);

  g_weak_ref_init (&self->application, application);
  self->settings = g_object_ref (crm_application_get_settings (application));
  self->tick_id = g_timeout_add_seconds (TICK_SECONDS, tick, self);
  return self;
}

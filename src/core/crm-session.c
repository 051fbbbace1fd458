/* crm-session.c: one open shop — its database, its settings, and the news of every change.
 *
 * Before the session, news travelled from widget to widget: the import dialog reached into the
 * customers page and then asked the tiers page to recompute, the preferences pushed the currency
 * into the customers page, and a write by a worker or by clientele-cli was seen by whoever
 * happened to reload.  Now a view asks the session, and listens to it:
 *
 *   customers-changed (ids, or NULL for "many")   orders-changed (their customers, or NULL)
 *   values-recomputed                             settings-changed (key, or NULL)
 *   activity-changed (customers whose interactions or feedback were written, or NULL)
 *
 * A write is announced once it is durable, whichever connection of this process made it (the
 * main one, a job's, the importer's): every writing connection the session opens reports what
 * its transactions wrote from SQLite's WAL hook (crm-store-watch.c), and a rolled-back
 * transaction reports nothing.  The reports are merged under a lock and delivered by one idle
 * on the session's main context, so a burst of commits is one round of signals, and a long
 * list becomes "many".  Writes by other programs (clientele-cli from cron) cannot be seen that
 * way: PRAGMA data_version of the main connection changes when anyone else commits, so it is
 * read every two seconds and when a window gains the focus, and a change nobody in this
 * process announced is announced as "many".  (An outside write that lands between one of our
 * commits and its delivery is taken for ours: the next change shows it.)
 *
 * The session also owns the order-write hooks (crm_recompute_order_hook keeps scores, tier and
 * stage current; loyalty will earn points there): they are added to every writing connection
 * it opens, so an order written by a job or by clientele-cli (which makes a session too) runs
 * them in its own transaction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-session-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-job.h"
#include "crm-phone.h"
#include "crm-recompute.h"
#include "crm-points.h"
#include "crm-search.h"
#include "crm-text.h"

/* Other programs' writes are looked for this often. */
#define EXTERNAL_POLL_SECONDS 2
/* Idle connections kept for the next job. */
#define MAX_IDLE_READERS 2
#define MAX_IDLE_WRITERS 1

/* What the connections' WAL hooks report, shared with them: a connection (the importer's, say)
 * may outlive the session, so the hub outlives it too and forgets the session. */
typedef struct
{
  GMutex           lock;
  GMainContext    *context;
  GWeakRef         session;
  CrmStoreChanges  pending;
  gboolean         queued;       /* an idle will deliver pending */
  gint             committing;   /* connections between COMMIT and its report (atomic) */
} Hub;

typedef struct
{
  CrmStoreOrderHook hook;
  gpointer          data;
  GDestroyNotify    destroy;
} SessionHook;

struct _CrmSession
{
  GObject       parent_instance;

  char         *path;
  CrmStore     *store;
  Hub          *hub;
  GArray       *hooks;           /* SessionHook */
  char         *default_currency;
  char         *region;          /* cache of crm_session_get_region() */
  gint64        seen_version;    /* data_version after the last announcement */
  guint         poll_id;

  GMutex        pool_lock;
  GPtrArray    *idle_readers;
  GPtrArray    *idle_writers;

  GHashTable   *jobs;            /* kind → CrmJob, the running one */
};

G_DEFINE_FINAL_TYPE (CrmSession, crm_session, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PATH,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  CUSTOMERS_CHANGED,
  ORDERS_CHANGED,
  ACTIVITY_CHANGED,
  VALUES_RECOMPUTED,
  SETTINGS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The hub ------------------------------------------------------------------ */

static void
hub_clear (Hub *hub)
{
  g_mutex_clear (&hub->lock);
  g_main_context_unref (hub->context);
  g_weak_ref_clear (&hub->session);
  crm_store_changes_clear (&hub->pending);
}

static Hub *
hub_new (CrmSession *session)
{
  Hub *hub = g_atomic_rc_box_new0 (Hub);

  g_mutex_init (&hub->lock);
  hub->context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&hub->session, session);
  return hub;
}

static void
hub_unref (gpointer hub)
{
  g_atomic_rc_box_release_full (hub, (GDestroyNotify) hub_clear);
}

static void announce (CrmSession *self, CrmStoreChanges *changes);

static gboolean
hub_deliver (gpointer data)
{
  Hub *hub = data;
  g_autoptr(CrmSession) self = g_weak_ref_get (&hub->session);
  CrmStoreChanges changes = { 0 };

  g_mutex_lock (&hub->lock);
  changes = hub->pending;
  memset (&hub->pending, 0, sizeof hub->pending);
  hub->queued = FALSE;
  g_mutex_unlock (&hub->lock);

  if (self != NULL)
    {
      announce (self, &changes);
      /* What we announced is what the main connection now sees as others' writes. */
      if (self->store != NULL)
        self->seen_version = crm_store_get_data_version (self->store);
    }
  crm_store_changes_clear (&changes);

  return G_SOURCE_REMOVE;
}

/* On the committing thread (a connection's WAL hook). */
static void
hub_committed (CrmStore        *store,
               CrmStoreChanges *changes,
               gpointer         data)
{
  Hub *hub = data;

  g_mutex_lock (&hub->lock);
  crm_store_changes_take (&hub->pending, changes);
  if (!hub->queued)
    {
      GSource *source = g_idle_source_new ();

      hub->queued = TRUE;
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, hub_deliver, g_atomic_rc_box_acquire (hub), hub_unref);
      g_source_set_static_name (source, "[clientele] session changes");
      g_source_attach (source, hub->context);
      g_source_unref (source);
    }
  g_mutex_unlock (&hub->lock);
}

static void
hub_committing (CrmStore *store,
                gboolean  committing,
                gpointer  data)
{
  Hub *hub = data;

  if (committing)
    g_atomic_int_inc (&hub->committing);
  else
    g_atomic_int_dec_and_test (&hub->committing);
}

/* Announcing --------------------------------------------------------------- */

static void
announce (CrmSession      *self,
          CrmStoreChanges *changes)
{
  if (changes->many_settings)
    {
      g_clear_pointer (&self->region, g_free);
      g_signal_emit (self, signals[SETTINGS_CHANGED], 0, NULL);
    }
  for (guint i = 0; changes->settings != NULL && i < changes->settings->len; i++)
    {
      const char *key = g_ptr_array_index (changes->settings, i);

      if (g_str_equal (key, "region"))
        g_clear_pointer (&self->region, g_free);
      g_signal_emit (self, signals[SETTINGS_CHANGED], 0, key);
    }
  if (changes->customers != NULL || changes->many_customers)
    g_signal_emit (self, signals[CUSTOMERS_CHANGED], 0, changes->many_customers ? NULL : changes->customers);
  if (changes->orders != NULL || changes->many_orders)
    g_signal_emit (self, signals[ORDERS_CHANGED], 0, changes->many_orders ? NULL : changes->orders);
  if (changes->activity != NULL || changes->many_activity)
    g_signal_emit (self, signals[ACTIVITY_CHANGED], 0, changes->many_activity ? NULL : changes->activity);
  if (changes->values)
    g_signal_emit (self, signals[VALUES_RECOMPUTED], 0);
}

void
crm_session_check_external (CrmSession *self)
{
  CrmStoreChanges everything = { 0 };
  gint64 version;

  g_return_if_fail (CRM_IS_SESSION (self));

  if (self->store == NULL)
    return;

  /* A commit of ours on its way to being announced changes data_version too: wait for it. */
  g_mutex_lock (&self->hub->lock);
  if (self->hub->queued || g_atomic_int_get (&self->hub->committing) > 0)
    {
      g_mutex_unlock (&self->hub->lock);
      return;
    }
  g_mutex_unlock (&self->hub->lock);

  version = crm_store_get_data_version (self->store);
  if (version == self->seen_version)
    return;
  self->seen_version = version;

  g_debug ("session: another program wrote to %s", self->path);
  everything.many_customers = everything.many_orders = everything.many_settings = TRUE;
  everything.many_activity = TRUE;
  everything.values = TRUE;
  announce (self, &everything);
}

static gboolean
poll_external (gpointer data)
{
  crm_session_check_external (data);
  return G_SOURCE_CONTINUE;
}

/* Connections -------------------------------------------------------------- */

/* A writer joins the session: its hooks, and its commits told to the hub. */
static void
adopt_writer (CrmSession *self,
              CrmStore   *store)
{
  for (guint i = 0; i < self->hooks->len; i++)
    {
      SessionHook *h = &g_array_index (self->hooks, SessionHook, i);

      crm_store_add_order_hook (store, h->hook, h->data, NULL);
    }
  crm_store_watch_commits (store, hub_committed, hub_committing, g_atomic_rc_box_acquire (self->hub), hub_unref);
}

CrmStore *
crm_session_open_store (CrmSession  *self,
                        gboolean     read_only,
                        GError     **error)
{
  CrmStore *store;

  g_return_val_if_fail (CRM_IS_SESSION (self), NULL);

  if (read_only)
    return crm_store_open_reader (self->path, error);

  store = crm_store_open (self->path, error);
  if (store != NULL)
    adopt_writer (self, store);
  return store;
}

CrmStore *
crm_session_take_store (CrmSession  *self,
                        gboolean     read_only,
                        GError     **error)
{
  GPtrArray *idle = read_only ? self->idle_readers : self->idle_writers;
  CrmStore *store = NULL;

  g_mutex_lock (&self->pool_lock);
  if (idle->len > 0)
    store = g_ptr_array_steal_index (idle, idle->len - 1);
  g_mutex_unlock (&self->pool_lock);

  return store != NULL ? store : crm_session_open_store (self, read_only, error);
}

void
crm_session_return_store (CrmSession *self,
                          CrmStore   *store,
                          gboolean    read_only)
{
  GPtrArray *idle = read_only ? self->idle_readers : self->idle_writers;

  /* A job that failed half-way may have left a transaction open: such a connection goes. */
  if (crm_store_in_transaction (store))
    {
      g_object_unref (store);
      return;
    }

  g_mutex_lock (&self->pool_lock);
  if (idle->len < (read_only ? MAX_IDLE_READERS : MAX_IDLE_WRITERS))
    {
      g_ptr_array_add (idle, store);
      store = NULL;
    }
  g_mutex_unlock (&self->pool_lock);

  g_clear_object (&store);
}

CrmJob *
crm_session_replace_job (CrmSession *self,
                         const char *kind,
                         CrmJob     *job)
{
  CrmJob *older = g_hash_table_lookup (self->jobs, kind);

  if (older != NULL)
    g_object_ref (older);
  g_hash_table_replace (self->jobs, g_strdup (kind), g_object_ref (job));
  return older;
}

void
crm_session_job_done (CrmSession *self,
                      const char *kind,
                      CrmJob     *job)
{
  if (g_hash_table_lookup (self->jobs, kind) == job)
    g_hash_table_remove (self->jobs, kind);
}

void
crm_session_add_order_hook (CrmSession        *self,
                            CrmStoreOrderHook  hook,
                            gpointer           user_data,
                            GDestroyNotify     destroy)
{
  SessionHook h = { hook, user_data, destroy };

  g_return_if_fail (CRM_IS_SESSION (self));
  g_return_if_fail (hook != NULL);

  g_array_append_val (self->hooks, h);

  /* Connections opened before get it too. */
  if (self->store != NULL)
    crm_store_add_order_hook (self->store, hook, user_data, NULL);
  g_mutex_lock (&self->pool_lock);
  for (guint i = 0; i < self->idle_writers->len; i++)
    crm_store_add_order_hook (g_ptr_array_index (self->idle_writers, i), hook, user_data, NULL);
  g_mutex_unlock (&self->pool_lock);
}

/* Opening ------------------------------------------------------------------ */

const char *
crm_session_get_path (CrmSession *self)
{
  g_return_val_if_fail (CRM_IS_SESSION (self), NULL);

  return self->path;
}

GMainContext *
crm_session_get_context (CrmSession *self)
{
  g_return_val_if_fail (CRM_IS_SESSION (self), NULL);

  return self->hub->context;
}

CrmStore *
crm_session_get_store (CrmSession *self)
{
  g_return_val_if_fail (CRM_IS_SESSION (self), NULL);

  return self->store;
}

gboolean
crm_session_needs_upgrade (CrmSession *self)
{
  g_return_val_if_fail (CRM_IS_SESSION (self), FALSE);

  return crm_store_needs_upgrade (self->path);
}

gboolean
crm_session_open (CrmSession  *self,
                  GError     **error)
{
  GSource *source;

  g_return_val_if_fail (CRM_IS_SESSION (self), FALSE);

  if (self->store != NULL)
    return TRUE;

  self->store = crm_session_open_store (self, FALSE, error);
  if (self->store == NULL)
    return FALSE;
  self->seen_version = crm_store_get_data_version (self->store);

  source = g_timeout_source_new_seconds (EXTERNAL_POLL_SECONDS);
  g_source_set_callback (source, poll_external, self, NULL);
  g_source_set_static_name (source, "[clientele] other programs' writes");
  self->poll_id = g_source_attach (source, self->hub->context);
  g_source_unref (source);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  return TRUE;
}

static gboolean
upgrade_job (CrmJob    *job,
             CrmStore  *store,
             gpointer   data,
             GError   **error)
{
  g_autoptr(CrmStore) upgraded = crm_store_open (data, error);

  return upgraded != NULL;
}

static void
upgrade_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CrmSession *self = CRM_SESSION (source);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!crm_job_propagate_boolean (result, &error) || !crm_session_open (self, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
crm_session_open_async (CrmSession          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CrmJob *job;

  g_return_if_fail (CRM_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, crm_session_open_async);

  /* The upgrade writes the file on a connection of its own, closed before the main one opens. */
  job = crm_job_new (self, NULL, CRM_JOB_NO_STORE, cancellable, NULL, NULL, upgrade_done,
                     g_steal_pointer (&task));
  crm_job_run (job, upgrade_job, g_strdup (self->path), g_free);
}

gboolean
crm_session_open_finish (CrmSession    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Settings ----------------------------------------------------------------- */

char *
crm_session_dup_currency (CrmSession *self)
{
  g_autofree char *currency = NULL;

  g_return_val_if_fail (CRM_IS_SESSION (self), NULL);

  if (self->store != NULL)
    currency = crm_store_get_setting (self->store, "currency");
  if (currency != NULL && currency[0] != '\0')
    return g_steal_pointer (&currency);

  return g_strdup (self->default_currency != NULL ? self->default_currency : "CNY");
}

gboolean
crm_session_set_currency (CrmSession  *self,
                          const char  *code,
                          GError     **error)
{
  g_return_val_if_fail (CRM_IS_SESSION (self), FALSE);
  g_return_val_if_fail (code != NULL, FALSE);

  if (self->store == NULL)
    {
      crm_session_set_default_currency (self, code);
      return TRUE;
    }
  return crm_store_set_setting (self->store, "currency", code, error);
}

void
crm_session_set_default_currency (CrmSession *self,
                                  const char *code)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_return_if_fail (CRM_IS_SESSION (self));

  before = crm_session_dup_currency (self);
  g_free (self->default_currency);
  self->default_currency = g_strdup (code);
  after = crm_session_dup_currency (self);

  /* The shop's own currency, if it has one, is not the default's business. */
  if (g_strcmp0 (before, after) != 0)
    g_signal_emit (self, signals[SETTINGS_CHANGED], 0, "currency");
}

const char *
crm_session_locale_region (void)
{
  return crm_phone_locale_region ();
}

const char *
crm_session_get_region (CrmSession *self)
{
  g_return_val_if_fail (CRM_IS_SESSION (self), NULL);

  if (self->region == NULL)
    self->region = self->store != NULL ? crm_store_dup_region (self->store)
                                       : g_strdup (crm_phone_default_region ());

  return self->region;
}

gboolean
crm_session_set_region (CrmSession  *self,
                        const char  *region,
                        GError     **error)
{
  g_return_val_if_fail (CRM_IS_SESSION (self), FALSE);
  g_return_val_if_fail (region != NULL, FALSE);

  if (self->store == NULL)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND, _("No database is open."));
      return FALSE;
    }
  if (!crm_store_set_region (self->store, region, NULL, error))
    return FALSE;
  g_clear_pointer (&self->region, g_free);
  return TRUE;
}

static gboolean
set_region_job (CrmJob    *job,
                CrmStore  *store,
                gpointer   region,
                GError   **error)
{
  crm_job_progress (job, -1, _("Updating the phone numbers for the new region…"));
  return crm_store_set_region (store, region, crm_job_get_cancellable (job), error);
}

void
crm_session_set_region_async (CrmSession          *self,
                              const char          *region,
                              GCancellable        *cancellable,
                              CrmJobProgressFunc   progress,
                              gpointer             progress_data,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (CRM_IS_SESSION (self));
  g_return_if_fail (region != NULL);

  crm_job_run (crm_job_new (self, NULL, CRM_JOB_WRITE, cancellable, progress, progress_data, callback, user_data),
               set_region_job, g_strdup (region), g_free);
}

gboolean
crm_session_set_region_finish (CrmSession    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return crm_job_propagate_boolean (result, error);
}

/* GObject ------------------------------------------------------------------ */

CrmSession *
crm_session_new (const char *path)
{
  return g_object_new (CRM_TYPE_SESSION, "path", path, NULL);
}

static void
crm_session_constructed (GObject *object)
{
  CrmSession *self = CRM_SESSION (object);

  G_OBJECT_CLASS (crm_session_parent_class)->constructed (object);

  if (self->path == NULL)
    self->path = crm_store_default_path ();

  /* The standard hooks: a customer's scores, tier and stage follow their orders. */
  crm_session_add_order_hook (self, crm_recompute_order_hook, NULL, NULL);
  /* After it: an order earns points at the tier the customer had when it was placed
   * (tier_history), whatever the recompute just changed. */
  crm_session_add_order_hook (self, crm_points_order_hook, NULL, NULL);
}

static void
crm_session_dispose (GObject *object)
{
  CrmSession *self = CRM_SESSION (object);

  if (self->poll_id != 0)
    {
      GSource *source = g_main_context_find_source_by_id (self->hub->context, self->poll_id);

      if (source != NULL)
        g_source_destroy (source);
      self->poll_id = 0;
    }
  g_clear_pointer (&self->jobs, g_hash_table_unref);
  g_mutex_lock (&self->pool_lock);
  g_ptr_array_set_size (self->idle_readers, 0);
  g_ptr_array_set_size (self->idle_writers, 0);
  g_mutex_unlock (&self->pool_lock);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_session_parent_class)->dispose (object);
}

static void
crm_session_finalize (GObject *object)
{
  CrmSession *self = CRM_SESSION (object);

  for (guint i = 0; i < self->hooks->len; i++)
    {
      SessionHook *h = &g_array_index (self->hooks, SessionHook, i);

      if (h->destroy != NULL)
        h->destroy (h->data);
    }
  g_array_unref (self->hooks);
  g_ptr_array_unref (self->idle_readers);
  g_ptr_array_unref (self->idle_writers);
  g_mutex_clear (&self->pool_lock);
  hub_unref (self->hub);
  g_free (self->path);
  g_free (self->default_currency);
  g_free (self->region);

  G_OBJECT_CLASS (crm_session_parent_class)->finalize (object);
}

static void
crm_session_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CrmSession *self = CRM_SESSION (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_session_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CrmSession *self = CRM_SESSION (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_session_class_init (CrmSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = crm_session_constructed;
  object_class->dispose = crm_session_dispose;
  object_class->finalize = crm_session_finalize;
  object_class->get_property = crm_session_get_property;
  object_class->set_property = crm_session_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CRM_TYPE_STORE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Customers written (a GArray of gint64 ids, sorted), or NULL: too many to list. */
  signals[CUSTOMERS_CHANGED] =
    g_signal_new ("customers-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE);
  /* Customers whose orders were written (as above), or NULL. */
  signals[ORDERS_CHANGED] =
    g_signal_new ("orders-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE);
  /* Customers whose interactions or feedback were written (as above), or NULL. */
  signals[ACTIVITY_CHANGED] =
    g_signal_new ("activity-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE);
  /* Scores, tiers, stages or predictions were computed again, or the tiers edited. */
  signals[VALUES_RECOMPUTED] =
    g_signal_new ("values-recomputed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* A shop setting ("currency", "region", …), or NULL: any of them. */
  signals[SETTINGS_CHANGED] =
    g_signal_new ("settings-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
crm_session_init (CrmSession *self)
{
  self->hub = hub_new (self);
  self->hooks = g_array_new (FALSE, FALSE, sizeof (SessionHook));
  g_mutex_init (&self->pool_lock);
  self->idle_readers = g_ptr_array_new_with_free_func (g_object_unref);
  self->idle_writers = g_ptr_array_new_with_free_func (g_object_unref);
  self->jobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

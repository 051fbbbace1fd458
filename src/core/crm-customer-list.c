/* crm-customer-list.c: a lazy GListModel of CrmCustomer over a CrmQuery.
 *
 * The id list is read by a CrmJob (crm-job.h): on one of the session's read connections,
 * whose page cache stays warm from one refresh to the next, with the job's cancel wired to
 * SQLite.  Each list has its own job kind, so a refresh supersedes the list's older one (a
 * superseded or cancelled job is never delivered: the newest query wins) but not another
 * list's (the merge dialog's candidates next to the customers page).  The rows themselves
 * are read a page at a time on the session's main connection, when the view asks for them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-customer-list.h"

#include "crm-job.h"
#include "crm-session-private.h"

#define PAGE_SIZE 200
/* Pages held strongly, so scrolling back and forth does not reload rows; the
 * rest live only as long as a widget holds them. */
#define N_PAGES_KEPT 8

struct _CrmCustomerList
{
  GObject       parent_instance;

  CrmSession   *session;
  CrmStore     *store;         /* the session's main connection: pages of rows */
  char         *job_kind;      /* this list's refreshes supersede each other */
  CrmQuery     *query;
  gulong        query_notify_id;

  GArray       *ids;           /* gint64, in list order */
  GHashTable   *live;          /* id → CrmCustomer* (weak) */
  GQueue       *kept_pages;    /* GPtrArray* of recently loaded pages */

  GCancellable *cancellable;
  guint         serial;
  gboolean      loading;
  GError       *error;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CrmCustomerList, crm_customer_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_SESSION,
  PROP_QUERY,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Each live object carries one of these as its weak-ref data, so forgetting it
 * is a hash lookup rather than a search. */
typedef struct
{
  CrmCustomerList *list;
  gint64           id;
} LiveRef;

static void
forget_item (gpointer  data,
             GObject  *where_the_object_was)
{
  LiveRef *ref = data;

  /* The entry may already point at a newer object for the same id. */
  if (g_hash_table_lookup (ref->list->live, &ref->id) == (gpointer) where_the_object_was)
    g_hash_table_remove (ref->list->live, &ref->id);
  g_free (ref);
}

static void
drop_live (CrmCustomerList *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      LiveRef *ref = g_object_get_data (value, "crm-list-ref");
      g_object_weak_unref (value, forget_item, ref);
      g_object_set_data (value, "crm-list-ref", NULL);
      g_free (ref);
    }
  g_hash_table_remove_all (self->live);
}

static void
crm_customer_list_dispose (GObject *object)
{
  CrmCustomerList *self = CRM_CUSTOMER_LIST (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->query != NULL)
    g_clear_signal_handler (&self->query_notify_id, self->query);
  g_clear_object (&self->query);

  if (self->kept_pages != NULL)
    {
      g_queue_free_full (self->kept_pages, (GDestroyNotify) g_ptr_array_unref);
      self->kept_pages = NULL;
    }
  if (self->live != NULL)
    drop_live (self);

  G_OBJECT_CLASS (crm_customer_list_parent_class)->dispose (object);
}

static void
crm_customer_list_finalize (GObject *object)
{
  CrmCustomerList *self = CRM_CUSTOMER_LIST (object);

  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->live, g_hash_table_unref);
  g_clear_error (&self->error);
  g_clear_object (&self->store);
  g_clear_object (&self->session);
  g_free (self->job_kind);

  G_OBJECT_CLASS (crm_customer_list_parent_class)->finalize (object);
}

static void
crm_customer_list_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CrmCustomerList *self = CRM_CUSTOMER_LIST (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_QUERY:
      g_value_set_object (value, self->query);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->ids->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_customer_list_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CrmCustomerList *self = CRM_CUSTOMER_LIST (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      if (self->session != NULL)
        self->store = g_object_ref (crm_session_get_store (self->session));
      break;
    case PROP_QUERY:
      crm_customer_list_set_query (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_customer_list_class_init (CrmCustomerListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = crm_customer_list_dispose;
  object_class->finalize = crm_customer_list_finalize;
  object_class->get_property = crm_customer_list_get_property;
  object_class->set_property = crm_customer_list_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, CRM_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUERY] =
    g_param_spec_object ("query", NULL, NULL, CRM_TYPE_QUERY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_customer_list_init (CrmCustomerList *self)
{
  static gint n_lists;

  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->live = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->kept_pages = g_queue_new ();
  self->job_kind = g_strdup_printf ("customer-list-%d", g_atomic_int_add (&n_lists, 1));
}

/* ---- GListModel ------------------------------------------------------------ */

static GType
list_get_item_type (GListModel *model)
{
  return CRM_TYPE_CUSTOMER;
}

static guint
list_get_n_items (GListModel *model)
{
  return CRM_CUSTOMER_LIST (model)->ids->len;
}

static void
remember (CrmCustomerList *self,
          CrmCustomer     *customer)
{
  LiveRef *ref = g_new (LiveRef, 1);

  ref->list = self;
  ref->id = crm_entity_get_id (CRM_ENTITY (customer));
  g_object_set_data (G_OBJECT (customer), "crm-list-ref", ref);
  /* The key lives in the ref, which lives exactly as long as the entry. */
  g_hash_table_replace (self->live, &ref->id, customer);
  g_object_weak_ref (G_OBJECT (customer), forget_item, ref);
}

/* Loads the page around @position in one statement. */
static void
load_page (CrmCustomerList *self,
           guint            position)
{
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) wanted = g_array_sized_new (FALSE, FALSE, sizeof (gint64), PAGE_SIZE);
  GPtrArray *page;
  guint start = (position / PAGE_SIZE) * PAGE_SIZE;
  guint end = MIN (start + PAGE_SIZE, self->ids->len);

  for (guint i = start; i < end; i++)
    {
      gint64 id = g_array_index (self->ids, gint64, i);
      if (!g_hash_table_contains (self->live, &id))
        g_array_append_val (wanted, id);
    }

  loaded = crm_store_load_many (self->store, CRM_TYPE_CUSTOMER,
                                (const gint64 *) wanted->data, wanted->len, &error);
  if (loaded == NULL)
    {
      g_warning ("Could not load customers: %s", error->message);
      return;
    }

  page = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < loaded->len; i++)
    {
      CrmCustomer *c = g_ptr_array_index (loaded, i);
      remember (self, c);
      g_ptr_array_add (page, g_object_ref (c));
    }
  /* Keep the already-live rows of this page alive together with the new ones. */
  for (guint i = start; i < end; i++)
    {
      gint64 id = g_array_index (self->ids, gint64, i);
      CrmCustomer *c = g_hash_table_lookup (self->live, &id);
      if (c != NULL && !g_ptr_array_find (page, c, NULL))
        g_ptr_array_add (page, g_object_ref (c));
    }

  g_queue_push_head (self->kept_pages, page);
  while (g_queue_get_length (self->kept_pages) > N_PAGES_KEPT)
    g_ptr_array_unref (g_queue_pop_tail (self->kept_pages));
}

static gpointer
list_get_item (GListModel *model,
               guint       position)
{
  CrmCustomerList *self = CRM_CUSTOMER_LIST (model);
  CrmCustomer *customer;
  gint64 id;

  if (position >= self->ids->len)
    return NULL;

  id = g_array_index (self->ids, gint64, position);
  customer = g_hash_table_lookup (self->live, &id);
  if (customer == NULL)
    {
      load_page (self, position);
      customer = g_hash_table_lookup (self->live, &id);
    }

  /* A row deleted since the ids were read: give a placeholder rather than NULL,
   * which GtkListView does not accept for a position below n_items. */
  if (customer == NULL)
    {
      customer = crm_customer_new ();
      crm_entity_set_identity (CRM_ENTITY (customer), id, NULL, 0, 0, 1);
      remember (self, customer);
      return customer;
    }

  return g_object_ref (customer);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

/* ---- refresh ----------------------------------------------------------------- */

static gboolean
refresh_job (CrmJob    *job,
             CrmStore  *store,
             gpointer   query,
             GError   **error)
{
  GArray *ids = crm_query_run_ids (query, store, crm_job_get_cancellable (job), error);

  if (ids == NULL)
    return FALSE;
  crm_job_return_pointer (job, ids, (GDestroyNotify) g_array_unref);
  return TRUE;
}

static void
set_loading (CrmCustomerList *self,
             gboolean         loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
swap_ids (CrmCustomerList *self,
          GArray          *ids)
{
  guint old_len = self->ids->len;

  g_array_unref (self->ids);
  self->ids = g_array_ref (ids);

  /* Kept pages belong to the old order; the live objects keep their identity. */
  g_queue_clear_full (self->kept_pages, (GDestroyNotify) g_ptr_array_unref);

  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, ids->len);
  if (old_len != ids->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

typedef struct
{
  CrmCustomerList *list;
  guint            serial;
} RefreshCall;

static void
refresh_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  RefreshCall *call = user_data;
  g_autoptr(CrmCustomerList) self = call->list;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = crm_job_propagate_pointer (result, &error);
  guint serial = call->serial;

  g_free (call);

  /* A newer refresh superseded this one (a job of the list's kind is then cancelled and
   * gives G_IO_ERROR_CANCELLED; crm_customer_list_refresh_sync() counts too). */
  if (serial != self->serial)
    return;

  if (ids == NULL)
    {
      set_loading (self, FALSE);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&self->error);
          self->error = g_steal_pointer (&error);
          g_warning ("Could not list customers: %s", self->error->message);
        }
      return;
    }

  g_clear_error (&self->error);
  /* The new ids first: whoever hears "loading" go FALSE finds the new result. */
  swap_ids (self, ids);
  set_loading (self, FALSE);
}

void
crm_customer_list_refresh (CrmCustomerList *self)
{
  RefreshCall *call;

  g_return_if_fail (CRM_IS_CUSTOMER_LIST (self));

  /* A job of the list's kind cancels the older one by itself; this cancellable is for
   * crm_customer_list_refresh_sync() and dispose, which stop the one in flight. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  call = g_new0 (RefreshCall, 1);
  call->list = g_object_ref (self);
  call->serial = ++self->serial;
  set_loading (self, TRUE);
  crm_job_run (crm_job_new (self->session, self->job_kind, CRM_JOB_READ, self->cancellable, NULL, NULL,
                            refresh_done, call),
               refresh_job, crm_query_copy (crm_customer_list_get_query (self)), g_object_unref);
}

gboolean
crm_customer_list_refresh_sync (CrmCustomerList  *self,
                                GError          **error)
{
  g_autoptr(CrmQuery) query = crm_query_copy (crm_customer_list_get_query (self));
  g_autoptr(GArray) ids = NULL;
  CrmStore *reader;

  /* Supersede any refresh in flight: it stops, and its result is not delivered. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  self->serial++;
  set_loading (self, FALSE);

  /* A read connection of the session's, as a job would have. */
  reader = crm_session_take_store (self->session, TRUE, error);
  if (reader == NULL)
    return FALSE;
  ids = crm_query_run_ids (query, reader, NULL, error);
  crm_session_return_store (self->session, reader, TRUE);
  if (ids == NULL)
    return FALSE;

  swap_ids (self, ids);
  return TRUE;
}

static void
query_changed (CrmCustomerList *self)
{
  crm_customer_list_refresh (self);
}

CrmCustomerList *
crm_customer_list_new (CrmSession *session)
{
  g_return_val_if_fail (CRM_IS_SESSION (session), NULL);
  g_return_val_if_fail (crm_session_get_store (session) != NULL, NULL);

  return g_object_new (CRM_TYPE_CUSTOMER_LIST, "session", session, NULL);
}

CrmStore *
crm_customer_list_get_store (CrmCustomerList *self)
{
  return self->store;
}

CrmQuery *
crm_customer_list_get_query (CrmCustomerList *self)
{
  if (self->query == NULL)
    crm_customer_list_set_query (self, NULL);

  return self->query;
}

void
crm_customer_list_set_query (CrmCustomerList *self,
                             CrmQuery        *query)
{
  g_autoptr(CrmQuery) owned = query ? g_object_ref (query) : crm_query_new ();

  if (self->query == owned)
    return;

  if (self->query != NULL)
    g_clear_signal_handler (&self->query_notify_id, self->query);
  g_set_object (&self->query, owned);
  self->query_notify_id = g_signal_connect_object (self->query, "notify",
                                                   G_CALLBACK (query_changed), self,
                                                   G_CONNECT_SWAPPED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
}

gboolean
crm_customer_list_get_loading (CrmCustomerList *self)
{
  return self->loading;
}

guint
crm_customer_list_find (CrmCustomerList *self,
                        gint64           id)
{
  for (guint i = 0; i < self->ids->len; i++)
    if (g_array_index (self->ids, gint64, i) == id)
      return i;

  return G_MAXUINT;
}

void
crm_customer_list_update_item (CrmCustomerList *self,
                               CrmCustomer     *saved)
{
  gint64 id = crm_entity_get_id (CRM_ENTITY (saved));
  CrmCustomer *live = g_hash_table_lookup (self->live, &id);

  if (live != NULL && live != saved)
    crm_entity_copy_fields (CRM_ENTITY (live), CRM_ENTITY (saved));
}

void
crm_customer_list_reload_rows (CrmCustomerList *self)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (CRM_IS_CUSTOMER_LIST (self));

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_array_append_val (ids, *(gint64 *) key);

  /* In pages, like get_item(): a handful of statements for the visible rows. */
  for (guint start = 0; start < ids->len; start += PAGE_SIZE)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) fresh = crm_store_load_many (self->store, CRM_TYPE_CUSTOMER,
                                                        &g_array_index (ids, gint64, start),
                                                        MIN (PAGE_SIZE, ids->len - start), &error);

      if (fresh == NULL)
        {
          g_warning ("Could not reload customers: %s", error->message);
          return;
        }
      for (guint i = 0; i < fresh->len; i++)
        crm_customer_list_update_item (self, g_ptr_array_index (fresh, i));
    }
}

gboolean
crm_customer_list_reload_ids (CrmCustomerList *self,
                              const gint64    *ids,
                              guint            n_ids)
{
  g_autoptr(GArray) held = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) fresh = NULL;
  g_autoptr(GError) error = NULL;
  gboolean changed = FALSE;

  g_return_val_if_fail (CRM_IS_CUSTOMER_LIST (self), TRUE);

  /* Only the live objects (rows shown or kept) are looked up: the id array of a 1M list is
   * not searched for each id. */
  for (guint i = 0; i < n_ids; i++)
    if (g_hash_table_contains (self->live, &ids[i]))
      g_array_append_val (held, ids[i]);
    else
      changed = TRUE;
  if (held->len == 0)
    return changed;

  fresh = crm_store_load_many (self->store, CRM_TYPE_CUSTOMER, (const gint64 *) held->data, held->len, &error);
  if (fresh == NULL)
    {
      g_warning ("Could not reload customers: %s", error->message);
      return TRUE;
    }
  if (fresh->len < held->len)
    changed = TRUE;
  for (guint i = 0; i < fresh->len; i++)
    {
      CrmCustomer *c = g_ptr_array_index (fresh, i);

      changed |= crm_entity_get_deleted_at (CRM_ENTITY (c)) != 0;
      crm_customer_list_update_item (self, c);
    }
  return changed;
}

const GError *
crm_customer_list_get_error (CrmCustomerList *self)
{
  return self->error;
}

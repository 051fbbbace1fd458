/* crm-carddav.c: discovery, pull and push of a CardDAV round (crm-carddav.h says how).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-carddav-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-journal.h"

#define XML_HEAD "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
#define NS "xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:carddav\""
#define MULTIGET_BATCH 100
#define JOURNAL_BATCH 1000

/* ---- discovery ------------------------------------------------------------------------- */

static const char propfind_discover[] =
  XML_HEAD "<d:propfind " NS "><d:prop><d:resourcetype/><d:current-user-principal/>"
  "<c:addressbook-home-set/></d:prop></d:propfind>";

static gboolean
is_addressbook (CrmDavNode *prop)
{
  return crm_dav_node_child (crm_dav_node_child (prop, "resourcetype"), "addressbook") != NULL;
}

/* The href inside the property @name of @r, resolved against the response's own. */
static char *
href_in (CrmDavResponse *r,
         const char     *name)
{
  CrmDavNode *href = crm_dav_node_child (crm_dav_node_child (r->prop, name), "href");
  g_autoptr(GUri) base = NULL;
  g_autoptr(GUri) uri = NULL;

  if (href == NULL || *crm_dav_node_text (href) == '\0')
    return NULL;
  base = g_uri_parse (r->href, G_URI_FLAGS_ENCODED, NULL);
  uri = base != NULL ? g_uri_parse_relative (base, crm_dav_node_text (href), G_URI_FLAGS_ENCODED, NULL) : NULL;
  return uri != NULL ? g_uri_to_string (uri) : NULL;
}

/* PROPFIND Depth 0 of the discovery properties: the first response with properties. */
static gboolean
probe (CrmDav      *dav,
       const char  *url,
       gboolean    *addressbook,
       char       **home,
       char       **principal,
       GError     **error)
{
  g_autoptr(GPtrArray) responses = NULL;
  g_autoptr(CrmDavNode) root = NULL;
  guint status = 0;

  root = crm_dav_multistatus (dav, "PROPFIND", url, 0, propfind_discover, &status, &responses, error);
  if (root == NULL)
    return FALSE;
  for (guint i = 0; i < responses->len; i++)
    {
      CrmDavResponse *r = g_ptr_array_index (responses, i);

      if (r->prop == NULL)
        continue;
      *addressbook = is_addressbook (r->prop);
      *home = href_in (r, "addressbook-home-set");
      *principal = href_in (r, "current-user-principal");
      return TRUE;
    }
  return TRUE;
}

static char *
first_addressbook (CrmDav      *dav,
                   const char  *home,
                   GError     **error)
{
  g_autoptr(GPtrArray) responses = NULL;
  g_autoptr(CrmDavNode) root = NULL;
  guint status = 0;

  root = crm_dav_multistatus (dav, "PROPFIND", home, 1, propfind_discover, &status, &responses, error);
  if (root == NULL)
    return NULL;
  for (guint i = 0; i < responses->len; i++)
    {
      CrmDavResponse *r = g_ptr_array_index (responses, i);

      if (r->prop != NULL && is_addressbook (r->prop))
        return g_strdup (r->href);
    }
  g_set_error (error, CRM_DAV_ERROR, CRM_DAV_ERROR_NOT_FOUND, _("There is no address book at %s"), home);
  return NULL;
}

char *
crm_carddav_discover (CrmDav      *dav,
                      const char  *url,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *home = NULL;
  g_autofree char *principal = NULL;
  gboolean addressbook = FALSE;

  /* The URL itself: an address book, a home, a principal, or a server that says whose it is. */
  if (!probe (dav, url, &addressbook, &home, &principal, &local_error))
    {
      /* Not WebDAV there (404, 405), or not this user's (403): the server's well-known address
       * may still lead to the address book. */
      if (!g_error_matches (local_error, CRM_DAV_ERROR, CRM_DAV_ERROR_NOT_FOUND) &&
          !g_error_matches (local_error, CRM_DAV_ERROR, CRM_DAV_ERROR_FORBIDDEN) &&
          !g_error_matches (local_error, CRM_DAV_ERROR, CRM_DAV_ERROR_HTTP) &&
          !g_error_matches (local_error, CRM_DAV_ERROR, CRM_DAV_ERROR_MALFORMED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_clear_error (&local_error);
    }
  if (addressbook)
    return g_strdup (url);

  if (home == NULL && principal == NULL)
    {
      g_autoptr(GUri) base = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
      g_autoptr(GUri) well_known = base ? g_uri_parse_relative (base, "/.well-known/carddav", G_URI_FLAGS_ENCODED, NULL) : NULL;
      g_autofree char *wk = well_known ? g_uri_to_string (well_known) : NULL;

      if (wk == NULL || !probe (dav, wk, &addressbook, &home, &principal, error))
        return NULL;
      if (addressbook)
        return g_steal_pointer (&wk);
    }
  if (home == NULL && principal != NULL)
    {
      g_autofree char *ignored = NULL;

      if (!probe (dav, principal, &addressbook, &home, &ignored, error))
        return NULL;
    }
  if (home == NULL)
    {
      g_set_error (error, CRM_DAV_ERROR, CRM_DAV_ERROR_NOT_FOUND,
                   _("No CardDAV address book found at %s (no addressbook-home-set)"), url);
      return NULL;
    }
  return first_addressbook (dav, home, error);
}

/* ---- pull -------------------------------------------------------------------------------- */

typedef struct
{
  char *href;
  char *etag;
  char *card;   /* fetched text; NULL before */
} Remote;

static void
remote_free (gpointer data)
{
  Remote *r = data;

  g_free (r->href);
  g_free (r->etag);
  g_free (r->card);
  g_free (r);
}

typedef struct
{
  GPtrArray *changed;    /* Remote */
  GPtrArray *removed;    /* href */
  char      *token;
  gboolean   full;       /* the listing is the whole collection */
} Listing;

static void
listing_clear (Listing *l)
{
  g_clear_pointer (&l->changed, g_ptr_array_unref);
  g_clear_pointer (&l->removed, g_ptr_array_unref);
  g_clear_pointer (&l->token, g_free);
}

static void
listing_add (Listing        *l,
             CrmDavResponse *r,
             const char     *collection)
{
  CrmDavNode *etag = crm_dav_node_child (r->prop, "getetag");

  if (g_str_equal (r->href, collection) || (r->prop != NULL && crm_dav_node_child (crm_dav_node_child (r->prop, "resourcetype"), "collection")))
    return;
  if (r->status == 404 || (r->prop == NULL && r->status != 0))
    g_ptr_array_add (l->removed, g_strdup (r->href));
  else if (etag != NULL)
    {
      Remote *remote = g_new0 (Remote, 1);

      remote->href = g_strdup (r->href);
      remote->etag = g_strdup (crm_dav_node_text (etag));
      g_ptr_array_add (l->changed, remote);
    }
}

/* RFC 6578 from @token (NULL: everything); FALSE with @status when the server refused it. */
static gboolean
list_sync_collection (CrmDav      *dav,
                      const char  *collection,
                      const char  *token,
                      Listing     *l,
                      guint       *status,
                      GError     **error)
{
  g_autofree char *escaped = token != NULL ? g_markup_escape_text (token, -1) : NULL;
  g_autofree char *body = g_strdup_printf (XML_HEAD "<d:sync-collection " NS "><d:sync-token>%s</d:sync-token>"
                                           "<d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop>"
                                           "</d:sync-collection>", escaped != NULL ? escaped : "");
  g_autoptr(GPtrArray) responses = NULL;
  g_autoptr(CrmDavNode) root = crm_dav_multistatus (dav, "REPORT", collection, -1, body, status, &responses, error);

  if (root == NULL)
    return FALSE;
  for (guint i = 0; i < responses->len; i++)
    listing_add (l, g_ptr_array_index (responses, i), collection);
  l->token = g_strdup (crm_dav_node_text (crm_dav_node_child (root, "sync-token")));
  l->full = token == NULL;
  return TRUE;
}

static gboolean
list_propfind (CrmDav      *dav,
               const char  *collection,
               Listing     *l,
               GError     **error)
{
  static const char body[] = XML_HEAD "<d:propfind " NS "><d:prop><d:resourcetype/><d:getetag/><d:sync-token/>"
                             "</d:prop></d:propfind>";
  g_autoptr(GPtrArray) responses = NULL;
  g_autoptr(CrmDavNode) root = NULL;
  guint status = 0;

  if (!(root = crm_dav_multistatus (dav, "PROPFIND", collection, 1, body, &status, &responses, error)))
    return FALSE;
  for (guint i = 0; i < responses->len; i++)
    {
      CrmDavResponse *r = g_ptr_array_index (responses, i);

      if (g_str_equal (r->href, collection))
        l->token = g_strdup (crm_dav_node_text (crm_dav_node_child (r->prop, "sync-token")));
      else
        listing_add (l, r, collection);
    }
  l->full = TRUE;
  return TRUE;
}

/* What changed since the stored sync-token; everything when there is none or it expired
 * (403/409: a full listing, compared with the links, so nothing is duplicated). */
static gboolean
list_changes (CrmDav      *dav,
              const char  *collection,
              const char  *token,
              Listing     *l,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  guint status = 0;

  l->changed = g_ptr_array_new_with_free_func (remote_free);
  l->removed = g_ptr_array_new_with_free_func (g_free);
  if (token != NULL && *token != '\0')
    {
      if (list_sync_collection (dav, collection, token, l, &status, &local_error))
        return TRUE;
      if (status != 403 && status != 409 && status != 400)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_clear_error (&local_error);
      g_ptr_array_set_size (l->changed, 0);
      g_ptr_array_set_size (l->removed, 0);
    }
  if (list_sync_collection (dav, collection, NULL, l, &status, &local_error))
    return TRUE;
  /* No sync-collection (a 4xx for the REPORT itself): PROPFIND and ETags. */
  if (status < 400 || status >= 500 || status == 401)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_ptr_array_set_size (l->changed, 0);
  g_ptr_array_set_size (l->removed, 0);
  return list_propfind (dav, collection, l, error);
}

static char *
path_of (const char *href)
{
  g_autoptr(GUri) uri = g_uri_parse (href, G_URI_FLAGS_ENCODED, NULL);

  return g_strdup (uri != NULL ? g_uri_get_path (uri) : href);
}

/* addressbook-multiget of @fetch (Remote, filled in place), MULTIGET_BATCH at a time. */
static gboolean
fetch_cards (CrmDav      *dav,
             const char  *collection,
             GPtrArray   *fetch,
             GError     **error)
{
  g_autoptr(GHashTable) by_href = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < fetch->len; i++)
    g_hash_table_insert (by_href, ((Remote *) g_ptr_array_index (fetch, i))->href, g_ptr_array_index (fetch, i));

  for (guint first = 0; first < fetch->len; first += MULTIGET_BATCH)
    {
      g_autoptr(GString) body = g_string_new (XML_HEAD "<c:addressbook-multiget " NS "><d:prop><d:getetag/>"
                                              "<c:address-data/></d:prop>");
      g_autoptr(GPtrArray) responses = NULL;
      g_autoptr(CrmDavNode) root = NULL;
      guint status = 0;

      for (guint i = first; i < MIN (fetch->len, first + MULTIGET_BATCH); i++)
        {
          g_autofree char *path = path_of (((Remote *) g_ptr_array_index (fetch, i))->href);
          g_autofree char *escaped = g_markup_escape_text (path, -1);
          g_string_append_printf (body, "<d:href>%s</d:href>", escaped);
        }
      g_string_append (body, "</c:addressbook-multiget>");
      if (!(root = crm_dav_multistatus (dav, "REPORT", collection, 1, body->str, &status, &responses, error)))
        return FALSE;
      for (guint i = 0; i < responses->len; i++)
        {
          CrmDavResponse *r = g_ptr_array_index (responses, i);
          Remote *remote = g_hash_table_lookup (by_href, r->href);
          CrmDavNode *data = crm_dav_node_child (r->prop, "address-data");

          if (remote == NULL || data == NULL)
            continue;
          g_free (remote->card);
          remote->card = g_strdup (data->text->str);
          if (crm_dav_node_child (r->prop, "getetag") != NULL)
            {
              g_free (remote->etag);
              remote->etag = g_strdup (crm_dav_node_text (crm_dav_node_child (r->prop, "getetag")));
            }
        }
    }
  return TRUE;
}

typedef struct
{
  CrmAccount      *account;
  CrmCarddavLinks *links;
  Listing         *listing;
  GPtrArray       *fetched;
  const char      *collection;
  CrmSyncCounts   *counts;
} Apply;

/* A card the server has that no link names: the customer with its UID, else a new one. */
static CrmCustomer *
customer_for_new_card (CrmStore    *store,
                       GStrv        cells,
                       gboolean    *created,
                       GError     **error)
{
  const char *uid = crm_carddav_cells_uid ((const char * const *) cells);
  g_autoptr(GError) local_error = NULL;
  CrmCustomer *customer = NULL;

  if (g_uuid_string_is_valid (uid))
    customer = crm_store_load_by_uuid (store, CRM_TYPE_CUSTOMER, uid, &local_error);
  if (customer != NULL)
    {
      *created = FALSE;
      return customer;
    }
  if (local_error != NULL && !g_error_matches (local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  customer = crm_customer_new ();
  if (g_uuid_string_is_valid (uid))
    crm_entity_set_identity (CRM_ENTITY (customer), 0, uid, 0, 0, 0);
  *created = TRUE;
  return customer;
}

static gboolean
apply_card (CrmStore  *store,
            Apply     *a,
            Remote    *remote,
            GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *uid = NULL;
  g_auto(GStrv) cells = crm_carddav_parse_card (remote->card, &uid, &local_error);
  CrmCarddavLink *link = g_hash_table_lookup (a->links->by_href, remote->href);
  g_autoptr(CrmCustomer) customer = NULL;
  g_auto(GStrv) base = NULL;
  gboolean created = FALSE;
  guint conflicts;

  if (cells == NULL)
    {
      g_debug ("CardDAV: %s skipped: %s", remote->href, local_error->message);
      a->counts->skipped++;
      return TRUE;
    }
  if (link != NULL)
    {
      if (!(customer = crm_store_load (store, CRM_TYPE_CUSTOMER, link->customer_id, error)))
        return FALSE;
      base = link->card != NULL ? crm_carddav_parse_card (link->card, NULL, NULL) : NULL;
    }
  else if (!(customer = customer_for_new_card (store, cells, &created, error)))
    return FALSE;

  conflicts = crm_carddav_merge (customer, (const char * const *) base, (const char * const *) cells);
  if (!(created ? crm_store_insert (store, CRM_ENTITY (customer), &local_error)
                : crm_store_update (store, CRM_ENTITY (customer), &local_error)))
    {
      if (!g_error_matches (local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("CardDAV: %s skipped: %s", remote->href, local_error->message);
      a->counts->skipped++;
      return TRUE;
    }
  a->counts->conflicts += conflicts;
  a->counts->pulled++;
  return crm_carddav_link_save (store, a->account, a->links, crm_entity_get_id (CRM_ENTITY (customer)), remote->href,
                                remote->etag, uid != NULL && !g_uuid_string_is_valid (uid) ? uid : NULL,
                                remote->card, error);
}

static gboolean
apply_removed (CrmStore    *store,
               Apply       *a,
               const char  *href,
               GError     **error)
{
  CrmCarddavLink *link = g_hash_table_lookup (a->links->by_href, href);
  g_autoptr(CrmCustomer) customer = NULL;
  gint64 id;

  if (link == NULL)
    return TRUE;
  id = link->customer_id;
  if (!(customer = crm_store_load (store, CRM_TYPE_CUSTOMER, id, error)))
    return FALSE;
  if (!crm_entity_is_deleted (CRM_ENTITY (customer)))
    {
      if (!crm_store_delete (store, CRM_ENTITY (customer), error))
        return FALSE;
      a->counts->pulled++;
    }
  return crm_carddav_link_delete (store, a->account, a->links, id, error);
}

static gboolean
apply_pull (CrmStore  *store,
            gpointer   data,
            GError   **error)
{
  Apply *a = data;

  for (guint i = 0; i < a->fetched->len; i++)
    if (!apply_card (store, a, g_ptr_array_index (a->fetched, i), error))
      return FALSE;
  for (guint i = 0; i < a->listing->removed->len; i++)
    if (!apply_removed (store, a, g_ptr_array_index (a->listing->removed, i), error))
      return FALSE;
  /* A full listing names every card: a link to none of them is a card deleted meanwhile. */
  if (a->listing->full)
    {
      g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
      GHashTableIter iter;
      gpointer href;

      for (guint i = 0; i < a->listing->changed->len; i++)
        g_hash_table_add (listed, ((Remote *) g_ptr_array_index (a->listing->changed, i))->href);
      g_hash_table_iter_init (&iter, a->links->by_href);
      while (g_hash_table_iter_next (&iter, &href, NULL))
        if (!g_hash_table_contains (listed, href))
          g_ptr_array_add (gone, g_strdup (href));
      for (guint i = 0; i < gone->len; i++)
        if (!apply_removed (store, a, g_ptr_array_index (gone, i), error))
          return FALSE;
    }
  return crm_account_save_state (store, a->account, a->collection, a->listing->token, error);
}

static gboolean
pull (CrmStore         *store,
      CrmAccount       *account,
      CrmDav           *dav,
      const char       *collection,
      CrmCarddavLinks  *links,
      CrmSyncCounts    *counts,
      GError          **error)
{
  Listing listing = { 0 };
  g_autoptr(GPtrArray) fetch = g_ptr_array_new ();
  Apply a = { account, links, &listing, fetch, collection, counts };
  gboolean ok;

  if (!list_changes (dav, collection, crm_account_get_sync_token (account), &listing, error))
    {
      listing_clear (&listing);
      return FALSE;
    }
  for (guint i = 0; i < listing.changed->len; i++)
    {
      Remote *r = g_ptr_array_index (listing.changed, i);
      CrmCarddavLink *link = g_hash_table_lookup (links->by_href, r->href);

      if (link == NULL || g_strcmp0 (link->etag, r->etag) != 0)
        g_ptr_array_add (fetch, r);
    }
  /* Everything is fetched before anything is written: a failure leaves the database as it was. */
  ok = fetch_cards (dav, collection, fetch, error);
  if (ok)
    {
      crm_store_set_origin (store, crm_account_get_origin (account));
      ok = crm_store_transact (store, NULL, apply_pull, &a, error);
      crm_store_set_origin (store, NULL);
    }
  listing_clear (&listing);
  return ok;
}

/* ---- push -------------------------------------------------------------------------------- */

typedef struct
{
  CrmStore        *store;
  CrmAccount      *account;
  CrmDav          *dav;
  const char      *collection;
  CrmCarddavLinks *links;
  CrmSyncCounts   *counts;
} Push;

/* The card at @href now: its text and ETag. */
static char *
get_card (Push        *p,
          const char  *href,
          char       **etag,
          guint       *status,
          GError     **error)
{
  g_autoptr(GBytes) bytes = crm_dav_send (p->dav, "GET", href, NULL, NULL, NULL, status, etag, NULL, error);

  if (bytes == NULL)
    return NULL;
  if (*status != 200)
    {
      if (*status != 404)
        crm_dav_set_status_error (error, *status, href);
      return NULL;
    }
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* PUT with If-Match @etag (NULL: If-None-Match: *, a creation): the new ETag in @new_etag. */
static gboolean
put_card (Push        *p,
          const char  *href,
          const char  *etag,
          const char  *text,
          guint       *status,
          char       **new_etag,
          GError     **error)
{
  const char *headers[] = { etag != NULL ? "If-Match" : "If-None-Match", etag != NULL ? etag : "*", NULL };
  g_autoptr(GBytes) bytes = crm_dav_send (p->dav, "PUT", href, headers, "text/vcard; charset=utf-8", text,
                                          status, new_etag, NULL, error);

  if (bytes == NULL)
    return FALSE;
  if (*status == 412)
    return TRUE;
  if (*status < 200 || *status >= 300)
    {
      crm_dav_set_status_error (error, *status, href);
      return FALSE;
    }
  if (*new_etag == NULL)
    {
      g_autofree char *card = get_card (p, href, new_etag, status, error);
      return card != NULL;
    }
  return TRUE;
}

/* A card changed on the server since the push was prepared: merged here and pushed again. */
static gboolean
resolve_conflict (Push         *p,
                  CrmCustomer  *customer,
                  const char   *href,
                  const char   *uid,
                  GError      **error)
{
  CrmCarddavLink *link = g_hash_table_lookup (p->links->by_customer, &(gint64) { crm_entity_get_id (CRM_ENTITY (customer)) });
  g_autofree char *etag = NULL;
  g_autofree char *new_etag = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) base = NULL;
  g_auto(GStrv) remote_cells = NULL;
  g_auto(GStrv) cells = NULL;
  guint status = 0;
  gboolean ok;

  if (!(remote = get_card (p, href, &etag, &status, error)) ||
      !(remote_cells = crm_carddav_parse_card (remote, NULL, error)))
    return FALSE;
  base = link != NULL && link->card != NULL ? crm_carddav_parse_card (link->card, NULL, NULL) : NULL;
  p->counts->conflicts += MAX (1u, crm_carddav_merge (customer, (const char * const *) base,
                                                      (const char * const *) remote_cells));
  cells = crm_carddav_customer_cells (customer, uid);
  text = crm_carddav_card_update (remote, (const char * const *) remote_cells, (const char * const *) cells);
  if (!put_card (p, href, etag, text, &status, &new_etag, error))
    return FALSE;
  if (status == 412)
    {
      g_set_error (error, CRM_DAV_ERROR, CRM_DAV_ERROR_HTTP,
                   _("The card at %s keeps changing on the server: try again later"), href);
      return FALSE;
    }
  /* What the merge took from the server is the account's change, not one to push back. */
  crm_store_set_origin (p->store, crm_account_get_origin (p->account));
  ok = crm_store_begin (p->store, error) &&
       crm_store_update (p->store, CRM_ENTITY (customer), error) &&
       crm_carddav_link_save (p->store, p->account, p->links, crm_entity_get_id (CRM_ENTITY (customer)),
                              href, new_etag, uid, text, error) &&
       crm_store_commit (p->store, error);
  if (!ok)
    crm_store_rollback (p->store);
  crm_store_set_origin (p->store, NULL);
  return ok;
}

static gboolean
push_delete (Push            *p,
             CrmCarddavLink  *link,
             GError         **error)
{
  const char *headers[] = { "If-Match", link->etag, NULL };
  g_autoptr(GBytes) bytes = NULL;
  guint status = 0;

  bytes = crm_dav_send (p->dav, "DELETE", link->href, link->etag != NULL ? headers : NULL, NULL, NULL,
                        &status, NULL, NULL, error);
  if (bytes == NULL)
    return FALSE;
  if (status == 412)
    {
      /* Changed there after it was deleted here: the delete still wins (a tombstone is a decision). */
      p->counts->conflicts++;
      g_clear_pointer (&bytes, g_bytes_unref);
      bytes = crm_dav_send (p->dav, "DELETE", link->href, NULL, NULL, NULL, &status, NULL, NULL, error);
      if (bytes == NULL)
        return FALSE;
    }
  if ((status < 200 || status >= 300) && status != 404)
    {
      crm_dav_set_status_error (error, status, link->href);
      return FALSE;
    }
  p->counts->pushed++;
  return crm_carddav_link_delete (p->store, p->account, p->links, link->customer_id, error);
}

static gboolean
push_customer (Push     *p,
               gint64    id,
               GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(CrmCustomer) customer = crm_store_load (p->store, CRM_TYPE_CUSTOMER, id, &local_error);
  CrmCarddavLink *link = g_hash_table_lookup (p->links->by_customer, &id);
  g_autofree char *href = NULL;
  g_autofree char *uid = NULL;
  g_autofree char *text = NULL;
  g_autofree char *etag = NULL;
  g_auto(GStrv) cells = NULL;
  g_auto(GStrv) base = NULL;
  guint status = 0;
  gboolean ok;

  if (customer == NULL)
    {
      /* Erased for privacy (the row is gone): nothing of it is left to push. */
      if (g_error_matches (local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (crm_entity_is_deleted (CRM_ENTITY (customer)))
    return link != NULL ? push_delete (p, link, error) : TRUE;

  uid = g_strdup (link != NULL ? link->uid : NULL);
  cells = crm_carddav_customer_cells (customer, uid);
  base = link != NULL && link->card != NULL ? crm_carddav_parse_card (link->card, NULL, NULL) : NULL;
  if (crm_carddav_cells_equal ((const char * const *) cells, (const char * const *) base))
    return TRUE;   /* a change the address book does not carry (an order total, a tier) */

  text = crm_carddav_card_update (link != NULL ? link->card : NULL, (const char * const *) base, (const char * const *) cells);
  href = link != NULL ? g_strdup (link->href)
                      : g_strdup_printf ("%s%s%s.vcf", p->collection, g_str_has_suffix (p->collection, "/") ? "" : "/",
                                         crm_entity_get_uuid (CRM_ENTITY (customer)));
  if (!put_card (p, href, link != NULL ? link->etag : NULL, text, &status, &etag, error))
    return FALSE;
  if (status == 412)
    return resolve_conflict (p, customer, href, uid, error);

  p->counts->pushed++;
  ok = crm_store_begin (p->store, error) &&
       crm_carddav_link_save (p->store, p->account, p->links, id, href, etag, uid, text, error) &&
       crm_store_commit (p->store, error);
  if (!ok)
    crm_store_rollback (p->store);
  return ok;
}

/* The customers to push: those of the journal entries the account has not acknowledged, and on
 * the first round every live customer the address book does not have. */
static GArray *
customers_to_push (Push     *p,
                   gint64   *next,
                   GError  **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  const char *consumer = crm_account_get_origin (p->account);
  gint64 after = CRM_JOURNAL_AFTER_ACKED;

  *next = crm_journal_get_acked (p->store, consumer, error);
  if (*next < 0)
    return NULL;
  for (;;)
    {
      g_autoptr(GArray) entries = crm_journal_read (p->store, consumer, after, JOURNAL_BATCH, next, error);

      if (entries == NULL)
        return NULL;
      for (guint i = 0; i < entries->len; i++)
        {
          CrmJournalEntry *e = &g_array_index (entries, CrmJournalEntry, i);

          if (e->entity == CRM_JOURNAL_ENTITY_CUSTOMER && e->row_id > 0 && !g_hash_table_contains (seen, &e->row_id))
            {
              g_array_append_val (ids, e->row_id);
              g_hash_table_add (seen, g_memdup2 (&e->row_id, sizeof e->row_id));
            }
        }
      if (entries->len < JOURNAL_BATCH)
        break;
      after = *next;
    }
  if (crm_account_get_synced_at (p->account) == 0)
    {
      sqlite3_stmt *stmt = crm_store_prepare (p->store, "SELECT id FROM customers WHERE deleted_at IS NULL AND id NOT IN"
                                                        " (SELECT customer_id FROM sync_links WHERE account_id = ?)"
                                                        " ORDER BY id", error);
      int rc;

      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, crm_account_get_id (p->account));
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);
          if (!g_hash_table_contains (seen, &id))
            g_array_append_val (ids, id);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          crm_store_set_error (p->store, rc, error);
          return NULL;
        }
    }
  return g_steal_pointer (&ids);
}

static gboolean
push (Push    *p,
      GError **error)
{
  g_autoptr(GArray) ids = NULL;
  gint64 next = 0;

  if (!(ids = customers_to_push (p, &next, error)))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    if (!push_customer (p, g_array_index (ids, gint64, i), error))
      return FALSE;   /* not acknowledged: the next round pushes what is left (and skips what is done) */
  return crm_journal_ack (p->store, crm_account_get_origin (p->account), next, error);
}

/* ---- round ------------------------------------------------------------------------------- */

gboolean
crm_carddav_round (CrmStore       *store,
                   CrmAccount     *account,
                   CrmDav         *dav,
                   CrmSyncCounts  *counts,
                   GError        **error)
{
  g_autoptr(CrmCarddavLinks) links = NULL;
  g_autofree char *collection = g_strdup (crm_account_get_collection (account));
  Push p = { store, account, dav, NULL, NULL, counts };

  if (collection == NULL)
    {
      if (!(collection = crm_carddav_discover (dav, crm_account_get_url (account), error)) ||
          !crm_account_save_state (store, account, collection, NULL, error))
        return FALSE;
    }
  if (!(links = crm_carddav_links_load (store, account, error)) ||
      !pull (store, account, dav, collection, links, counts, error))
    return FALSE;
  p.collection = collection;
  p.links = links;
  return push (&p, error);
}

/* crm-carddav-cards.c: customers as vCards for CardDAV, the links between them (sync_links), and
 * the per-field three-way merge.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-carddav-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-customer-fields.h"
#include "crm-vcard.h"

/* ---- cells ------------------------------------------------------------------------------ */

/* The cells of a card are crm_vcard_columns(): catalogue fields by key. */
typedef struct
{
  guint        n;
  int         *model;   /* per cell: the customer's text property, or -1 */
  const char **vcard;   /* per cell: its vCard property ("TEL") */
  int    uid, fn, family, given, org, email, tel, external_id;
} Columns;

static int
find_cell (const char * const *names,
           const char         *key)
{
  for (int i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], key))
      return i;
  return -1;
}

static const Columns *
columns (void)
{
  static Columns *cols;

  if (g_once_init_enter (&cols))
    {
      Columns *made = g_new0 (Columns, 1);
      const char * const *names = crm_vcard_columns (&made->n);

      made->model = g_new0 (int, made->n);
      made->vcard = g_new0 (const char *, made->n);
      for (guint i = 0; i < made->n; i++)
        {
          const CrmCustomerFieldInfo *field = crm_customer_fields_find (names[i]);
          int model = field != NULL ? crm_customer_field_get_model (field) : -1;

          made->vcard[i] = field != NULL ? field->vcard : NULL;
          made->model[i] = model >= 0 && (field->value == CRM_FIELD_VALUE_TEXT || field->value == CRM_FIELD_VALUE_DATE)
                           ? model : -1;
        }
      made->uid = find_cell (names, "uuid");
      made->fn = find_cell (names, "name");
      made->family = find_cell (names, "last_name");
      made->given = find_cell (names, "first_name");
      made->org = find_cell (names, "company");
      made->email = find_cell (names, "email");
      made->tel = find_cell (names, "phone");
      made->external_id = find_cell (names, "external_id");
      g_once_init_leave (&cols, made);
    }
  return cols;
}

static int
model_of (guint col)
{
  return columns ()->model[col];
}

const char *
crm_carddav_cells_uid (const char * const *cells)
{
  return columns ()->uid >= 0 ? cells[columns ()->uid] : "";
}

GStrv
crm_carddav_customer_cells (CrmCustomer *customer,
                            const char  *uid)
{
  const Columns *cols = columns ();
  GStrv cells = g_new0 (char *, cols->n + 1);

  for (guint i = 0; i < cols->n; i++)
    {
      int model = model_of (i);
      const char *value = NULL;

      if ((int) i == cols->uid)
        value = uid != NULL ? uid : crm_entity_get_uuid (CRM_ENTITY (customer));
      else if (model >= 0)
        value = crm_entity_get_string (CRM_ENTITY (customer), model);
      cells[i] = g_strdup (value != NULL ? value : "");
    }
  return cells;
}

char *
crm_carddav_card_text (const char * const *cells)
{
  GString *out = g_string_new (NULL);

  /* 3.0: what every CardDAV server and client reads. */
  crm_vcard_append_card (out, CRM_VCARD_VERSION_3_0, cells);
  return g_string_free (out, FALSE);
}

/* ---- updating a card in place ------------------------------------------------------------ */

/* A property of a card as written: its name (upper case, without a group) and its text with
 * its folded continuation lines. */
typedef struct
{
  char    *name;
  GString *raw;
} Property;

static void
property_free (gpointer data)
{
  Property *p = data;

  g_free (p->name);
  g_string_free (p->raw, TRUE);
  g_free (p);
}

static GPtrArray *
split_properties (const char *text)
{
  GPtrArray *props = g_ptr_array_new_with_free_func (property_free);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      gsize len = strlen (line);
      Property *p;
      const char *end, *dot;

      if (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0';
      if (len == 0)
        continue;
      if ((line[0] == ' ' || line[0] == '\t') && props->len > 0)
        {
          p = g_ptr_array_index (props, props->len - 1);
          g_string_append_printf (p->raw, "\r\n%s", line);
          continue;
        }
      end = line + strcspn (line, ";:");
      dot = memchr (line, '.', end - line);
      p = g_new0 (Property, 1);
      p->name = g_ascii_strup (dot != NULL ? dot + 1 : line, end - (dot != NULL ? dot + 1 : line));
      p->raw = g_string_new (line);
      g_ptr_array_add (props, p);
    }
  return props;
}

char *
crm_carddav_card_update (const char         *base_text,
                         const char * const *base,
                         const char * const *cells)
{
  const Columns *cols = columns ();
  g_autofree char *ours = crm_carddav_card_text (cells);
  g_autoptr(GPtrArray) base_props = NULL;
  g_autoptr(GPtrArray) our_props = NULL;
  g_autoptr(GHashTable) changed = NULL;
  GString *out;

  if (base_text == NULL || base == NULL)
    return g_steal_pointer (&ours);

  /* The properties of the fields that changed here; the name's N goes with FN. */
  changed = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < cols->n; i++)
    if ((cols->model[i] >= 0 || (int) i == cols->uid) && cols->vcard[i] != NULL && g_strcmp0 (cells[i], base[i]) != 0)
      {
        g_hash_table_add (changed, (gpointer) cols->vcard[i]);
        if (g_str_equal (cols->vcard[i], "FN"))
          g_hash_table_add (changed, (gpointer) "N");
      }

  /* Everything else of the card as it was: other clients' properties, a second phone, a
   * photo, its version. */
  base_props = split_properties (base_text);
  our_props = split_properties (ours);
  out = g_string_new ("BEGIN:VCARD\r\n");
  for (guint i = 0; i < base_props->len; i++)
    {
      Property *p = g_ptr_array_index (base_props, i);

      if (g_str_equal (p->name, "BEGIN") || g_str_equal (p->name, "END") || g_hash_table_contains (changed, p->name))
        continue;
      g_string_append_printf (out, "%s\r\n", p->raw->str);
    }
  for (guint i = 0; i < our_props->len; i++)
    {
      Property *p = g_ptr_array_index (our_props, i);

      if (g_hash_table_contains (changed, p->name))
        g_string_append_printf (out, "%s\r\n", p->raw->str);
    }
  g_string_append (out, "END:VCARD\r\n");
  return g_string_free (out, FALSE);
}

/* The UID property as written (unfolded, without "urn:uuid:"), or NULL. */
static char *
raw_uid (const char *text)
{
  g_autoptr(GString) unfolded = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;

  /* Folding: a line break followed by a space or tab continues the line. */
  for (const char *p = text; *p; p++)
    {
      if ((p[0] == '\r' && p[1] == '\n' && (p[2] == ' ' || p[2] == '\t')))
        p += 2;
      else if (p[0] == '\n' && (p[1] == ' ' || p[1] == '\t'))
        p += 1;
      else
        g_string_append_c (unfolded, *p);
    }
  lines = g_strsplit (unfolded->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *colon = strchr (line, ':');

      if (colon != NULL && g_ascii_strncasecmp (line, "UID", 3) == 0 && (line[3] == ':' || line[3] == ';'))
        {
          const char *u = colon + 1;

          if (g_ascii_strncasecmp (u, "urn:uuid:", 9) == 0)
            u += 9;
          return *u != '\0' ? g_strdup (u) : NULL;
        }
    }
  return NULL;
}

GStrv
crm_carddav_parse_card (const char  *text,
                        char       **uid,
                        GError     **error)
{
  const Columns *cols = columns ();
  g_autoptr(CrmVcardParser) parser = crm_vcard_parser_new (text, strlen (text));
  g_autoptr(CrmVcardCard) card = crm_vcard_parser_next (parser, error);
  g_autofree char *u = NULL;
  const char * const *c;
  GStrv cells;
  guint n = 0;

  if (card == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, CRM_VCARD_ERROR, CRM_VCARD_ERROR_EMPTY, _("The address book entry holds no vCard"));
      return NULL;
    }
  c = crm_vcard_card_get_cells (card, &n);
  cells = g_new0 (char *, cols->n + 1);
  for (guint i = 0; i < cols->n; i++)
    cells[i] = g_strdup (i < n && c[i] != NULL ? c[i] : "");

  /* A UID that is not a UUID (another program's card) is the card's identity, not an external
   * id of the customer. */
  u = raw_uid (text);
  if (u != NULL && !g_uuid_string_is_valid (u) && cols->external_id >= 0 &&
      g_strcmp0 (cells[cols->external_id], u) == 0)
    {
      g_free (cells[cols->external_id]);
      cells[cols->external_id] = g_strdup ("");
    }

  /* The name a customer must have: FN, else N, else the organisation, the e-mail, the phone. */
  if (cols->fn >= 0 && *cells[cols->fn] == '\0')
    {
      const char *family = cols->family >= 0 ? cells[cols->family] : "";
      const char *given = cols->given >= 0 ? cells[cols->given] : "";
      const int fallbacks[] = { cols->org, cols->email, cols->tel };
      char *name = NULL;

      if (*family != '\0' || *given != '\0')
        name = g_strstrip (g_strconcat (given, *given && *family ? " " : "", family, NULL));
      for (guint i = 0; name == NULL && i < G_N_ELEMENTS (fallbacks); i++)
        if (fallbacks[i] >= 0 && *cells[fallbacks[i]] != '\0')
          name = g_strdup (cells[fallbacks[i]]);
      if (name != NULL)
        {
          g_free (cells[cols->fn]);
          cells[cols->fn] = name;
        }
    }
  if (uid != NULL)
    *uid = g_steal_pointer (&u);
  return cells;
}

/* ---- merge ------------------------------------------------------------------------------ */

static void
set_cell (CrmCustomer *customer,
          int          model,
          const char  *value)
{
  crm_entity_set_string (CRM_ENTITY (customer), model, value != NULL && *value != '\0' ? value : NULL);
}

guint
crm_carddav_merge (CrmCustomer        *customer,
                   const char * const *base,
                   const char * const *remote)
{
  const Columns *cols = columns ();
  g_auto(GStrv) local = crm_carddav_customer_cells (customer, NULL);
  guint conflicts = 0;

  for (guint i = 0; i < cols->n; i++)
    {
      int model = model_of (i);
      const char *r = remote[i], *l = local[i];

      if (model < 0 || g_strcmp0 (r, l) == 0)
        continue;
      if ((int) i == cols->fn && *r == '\0')
        continue;   /* a customer keeps a name */
      if (base == NULL)
        {
          /* Never synced: what the server adds fills the gaps, nothing is overwritten. */
          if (*l == '\0')
            set_cell (customer, model, r);
          else if (*r != '\0')
            conflicts++;
          continue;
        }
      if (g_strcmp0 (r, base[i]) == 0)
        continue;                          /* changed here only: stays, and is pushed */
      if (g_strcmp0 (l, base[i]) != 0)
        conflicts++;                       /* changed on both sides: the server's wins */
      set_cell (customer, model, r);
    }
  return conflicts;
}

gboolean
crm_carddav_cells_equal (const char * const *a,
                         const char * const *b)
{
  const Columns *cols = columns ();

  if (a == NULL || b == NULL)
    return FALSE;
  for (guint i = 0; i < cols->n; i++)
    if ((model_of (i) >= 0 || (int) i == cols->uid) && g_strcmp0 (a[i], b[i]) != 0)
      return FALSE;
  return TRUE;
}

/* ---- links ------------------------------------------------------------------------------ */

void
crm_carddav_link_free (CrmCarddavLink *link)
{
  if (link == NULL)
    return;
  g_free (link->href);
  g_free (link->etag);
  g_free (link->uid);
  g_free (link->card);
  g_free (link);
}

CrmCarddavLinks *
crm_carddav_links_load (CrmStore    *store,
                        CrmAccount  *account,
                        GError     **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store, "SELECT customer_id, href, etag, uid, card FROM sync_links"
                                                 " WHERE account_id = ?", error);
  CrmCarddavLinks *links;
  int rc;

  if (stmt == NULL)
    return NULL;
  links = g_new0 (CrmCarddavLinks, 1);
  links->by_href = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) crm_carddav_link_free);
  links->by_customer = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, NULL);
  sqlite3_bind_int64 (stmt, 1, crm_account_get_id (account));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmCarddavLink *link = g_new0 (CrmCarddavLink, 1);

      link->customer_id = sqlite3_column_int64 (stmt, 0);
      link->href = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      link->etag = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      link->uid = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      link->card = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      g_hash_table_insert (links->by_href, link->href, link);
      g_hash_table_insert (links->by_customer, &link->customer_id, link);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_carddav_links_free (links);
      crm_store_set_error (store, rc, error);
      return NULL;
    }
  return links;
}

void
crm_carddav_links_free (CrmCarddavLinks *links)
{
  if (links == NULL)
    return;
  g_hash_table_unref (links->by_customer);
  g_hash_table_unref (links->by_href);
  g_free (links);
}

static void
links_forget (CrmCarddavLinks *links,
              gint64           customer_id)
{
  CrmCarddavLink *old = g_hash_table_lookup (links->by_customer, &customer_id);

  if (old != NULL)
    {
      g_hash_table_remove (links->by_customer, &customer_id);
      g_hash_table_remove (links->by_href, old->href);
    }
}

gboolean
crm_carddav_link_save (CrmStore         *store,
                       CrmAccount       *account,
                       CrmCarddavLinks  *links,
                       gint64            customer_id,
                       const char       *href,
                       const char       *etag,
                       const char       *uid,
                       const char       *card,
                       GError          **error)
{
  sqlite3_stmt *stmt;
  CrmCarddavLink *link;
  CrmCarddavLink *other = g_hash_table_lookup (links->by_href, href);

  if (other != NULL && other->customer_id != customer_id && !crm_carddav_link_delete (store, account, links, other->customer_id, error))
    return FALSE;
  stmt = crm_store_prepare (store, "INSERT INTO sync_links (account_id, customer_id, href, etag, uid, card, synced_at)"
                                   " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, customer_id) DO UPDATE SET"
                                   " href = excluded.href, etag = excluded.etag, uid = excluded.uid,"
                                   " card = excluded.card, synced_at = excluded.synced_at", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, crm_account_get_id (account));
  sqlite3_bind_int64 (stmt, 2, customer_id);
  sqlite3_bind_text (stmt, 3, href, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, etag, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, uid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, card, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, crm_now_ms ());
  if (!crm_store_step (store, stmt, error))
    return FALSE;

  links_forget (links, customer_id);
  link = g_new0 (CrmCarddavLink, 1);
  link->customer_id = customer_id;
  link->href = g_strdup (href);
  link->etag = g_strdup (etag);
  link->uid = g_strdup (uid);
  link->card = g_strdup (card);
  g_hash_table_insert (links->by_href, link->href, link);
  g_hash_table_insert (links->by_customer, &link->customer_id, link);
  return TRUE;
}

gboolean
crm_carddav_link_delete (CrmStore         *store,
                         CrmAccount       *account,
                         CrmCarddavLinks  *links,
                         gint64            customer_id,
                         GError          **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store, "DELETE FROM sync_links WHERE account_id = ? AND customer_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, crm_account_get_id (account));
  sqlite3_bind_int64 (stmt, 2, customer_id);
  if (!crm_store_step (store, stmt, error))
    return FALSE;
  links_forget (links, customer_id);
  return TRUE;
}

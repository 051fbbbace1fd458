/* crm-import-customers.c: a row's cells to a customer: checked, then inserted, updated
 * or skipped as a duplicate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-import-private.h"

/* Values of a row: the best (highest priority, then leftmost) non-empty cell per target. */
void
collect_values (Run                 *run,
                Arena               *arena,
                const char * const  *cells,
                guint                n_cells,
                Values              *v)
{
  CrmImporter *self = run->self;

  memset (v->v, 0, sizeof v->v);
  for (guint c = 0; c < self->n_columns && c < n_cells; c++)
    {
      int t = self->plan[c];
      const char *s;
      gsize len;

      if (t < 0)
        continue;
      s = cells[c];
      while (*s == ' ' || *s == '\t')
        s++;
      if (*s == '\0')
        continue;
      if (v->v[t] != NULL && v->prio[t] >= self->prio[c])
        continue;
      /* Ids, phone numbers and postal codes: Shopify quotes them all ('K1A 0B1). */
      if (s[0] == '\'' && s[1] != '\0' &&
          (t == T_PHONE || t == T_POSTAL_CODE || t == T_EXTERNAL_ID || t == T_O_EXTERNAL_ID || t == T_O_NUMBER))
        s++;
      else
        s = strip_apostrophe (s);
      len = strlen (s);
      /* Trailing blanks: not for notes, whose line breaks are the user's. */
      if (t != T_NOTES && t != T_O_NOTES && len > 0 && is_space (s[len - 1]))
        {
          while (len > 0 && is_space (s[len - 1]))
            len--;
          s = arena_dup (arena, s, len);
        }
      if (*s == '\0')
        continue;
      v->v[t] = s;
      v->col[t] = c;
      v->prio[t] = self->prio[c];
    }
}

void
customer_clear (Customer *c)
{
  crm_search_keys_clear (&c->keys);
  memset (c, 0, sizeof *c);
}

static gboolean
all_cjk (const char *s)
{
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    if (!crm_text_is_cjk (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* Checks and converts the customer part of @v; on a bad value sets *col and returns a reason. */
char *
parse_customer (Run       *run,
                Arena     *arena,
                Values    *v,
                Customer  *c,
                int       *col)
{
  g_autoptr(GError) err = NULL;

  memset (c, 0, sizeof *c);
  c->email_consent = c->sms_consent = -1;

  /* The name: given, or composed (王 + 芳 → 王芳; Ann + Lee → Ann Lee), or what else names them. */
  c->name = v->v[T_NAME];
  if (c->name == NULL && (v->v[T_FIRST_NAME] || v->v[T_LAST_NAME]))
    {
      const char *first = v->v[T_FIRST_NAME] ? v->v[T_FIRST_NAME] : "";
      const char *last = v->v[T_LAST_NAME] ? v->v[T_LAST_NAME] : "";
      g_autofree char *composed = NULL;

      if (all_cjk (first) && all_cjk (last))
        composed = g_strconcat (last, first, NULL);
      else
        composed = g_strconcat (first, *first && *last ? " " : "", last, NULL);
      c->name = arena_dup (arena, composed, strlen (composed));
    }
  if (c->name == NULL)
    c->name = v->v[T_COMPANY] ? v->v[T_COMPANY] : v->v[T_EMAIL] ? v->v[T_EMAIL] : v->v[T_PHONE];
  if (c->name == NULL)
    {
      *col = -1;
      return g_strdup (_("The row has no name, company, e-mail or phone"));
    }

  /* Text limits, control characters (every text field). */
  for (int t = 0; t < T_N_CUSTOMER; t++)
    {
      const char *s = t == T_NAME ? c->name : v->v[t];

      if (s == NULL || run->max_chars[t] == 0)
        continue;
      if (!crm_text_validate (s, -1, run->max_chars[t], target_label (CRM_IMPORT_CUSTOMERS, t), &err))
        {
          *col = t == T_NAME && v->v[T_NAME] == NULL ? -1 : v->col[t];
          return g_strdup (err->message);
        }
    }

  if (v->v[T_EMAIL] && !crm_text_check_email (v->v[T_EMAIL], &err))
    return (*col = v->col[T_EMAIL], g_strdup (err->message));
  if (v->v[T_PHONE] && !crm_text_check_phone (v->v[T_PHONE], &err))
    return (*col = v->col[T_PHONE], g_strdup (err->message));

  if (v->v[T_UUID] && !g_uuid_string_is_valid (v->v[T_UUID]))
    return (*col = v->col[T_UUID], g_strdup_printf (_("“%s” is not a UUID"), v->v[T_UUID]));
  c->uuid = v->v[T_UUID];

  if (v->v[T_GENDER] && (c->gender = parse_gender (v->v[T_GENDER])) < 0)
    return (*col = v->col[T_GENDER],
            g_strdup_printf (_("“%s” is not a gender: use female, male, other, 女 or 男"), v->v[T_GENDER]));
  if (c->gender < 0)
    c->gender = 0;

  if (v->v[T_BIRTHDAY])
    {
      if (!crm_import_parse_date (v->v[T_BIRTHDAY], run->self->date_order, TRUE, NULL, c->birthday) ||
          !crm_text_check_date (c->birthday, NULL))
        return (*col = v->col[T_BIRTHDAY],
                g_strdup_printf (_("“%s” is not a date (e.g. 1990-05-17)"), v->v[T_BIRTHDAY]));
      c->has_birthday = TRUE;
    }

#define PARSE_BOOL(T, out) \
  if (v->v[T] && (out = parse_bool (v->v[T])) < 0) \
    return (*col = v->col[T], g_strdup_printf (_("“%s” is not yes or no"), v->v[T]));
#define PARSE_TIME(T, out) \
  if (v->v[T] && !crm_import_parse_date (v->v[T], run->self->date_order, FALSE, &out, NULL)) \
    return (*col = v->col[T], g_strdup_printf (_("“%s” is not a date and time"), v->v[T]));

  PARSE_BOOL (T_EMAIL_CONSENT, c->email_consent)
  PARSE_BOOL (T_SMS_CONSENT, c->sms_consent)
  PARSE_TIME (T_EMAIL_CONSENT_AT, c->email_consent_at)
  PARSE_TIME (T_SMS_CONSENT_AT, c->sms_consent_at)
  PARSE_TIME (T_CREATED_AT, c->created_at)

  c->lifecycle = -1;
  if (v->v[T_LIFECYCLE] && (c->lifecycle = crm_lifecycle_from_string (v->v[T_LIFECYCLE])) < 0)
    return (*col = v->col[T_LIFECYCLE], g_strdup_printf (_("“%s” is not a lifecycle stage"), v->v[T_LIFECYCLE]));

  c->address = v->v[T_ADDRESS];
  if (v->v[T_ADDRESS2])
    {
      g_autofree char *joined = g_strconcat (c->address ? c->address : "", c->address ? ", " : "",
                                             v->v[T_ADDRESS2], NULL);
      c->address = arena_dup (arena, joined, strlen (joined));
      if (g_utf8_strlen (c->address, -1) > run->max_chars[T_ADDRESS])
        return (*col = v->col[T_ADDRESS2], g_strdup_printf (_("%s is too long"), _("Address")));
    }

  crm_search_keys_init_in_region (&c->keys, v->v[T_PHONE], v->v[T_EMAIL], run->region);
  return NULL;
}

/* A lifecycle stage from the file, into the customer's state row, made if need be (see
 * add_state_rows()).  sqlite3_changes() says whether it changed. */
static gboolean
set_stage (Run     *run,
           gint64   id,
           int      stage,
           GError **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (run->store,
    "INSERT INTO customer_state (customer_id, lifecycle) VALUES (?2, ?1)"
    " ON CONFLICT (customer_id) DO UPDATE SET lifecycle = ?1 WHERE lifecycle <> ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, stage);
  sqlite3_bind_int64 (stmt, 2, id);

  return step_done (run, stmt, error);
}

static gboolean
insert_customer (Run         *run,
                 Values      *v,
                 Customer    *c,
                 gint64      *out_id,
                 GError     **error)
{
  CrmImporter *self = run->self;
  sqlite3_stmt *stmt;
  char uuid[37];
  gint64 id = run->next_id;
  const char *source = v->v[T_SOURCE];
  int k = 0, rc;

  stmt = run->insert_stmt;

  if (c->uuid != NULL && run->deleted_uuids != NULL && g_hash_table_contains (run->deleted_uuids, c->uuid))
    {
      /* As the unique index does outside bulk mode (below). */
      *out_id = 0;
      return TRUE;
    }
  if (c->uuid != NULL)
    g_strlcpy (uuid, c->uuid, sizeof uuid);
  else
    make_uuid (run, uuid);
  if (source == NULL && self->preset != NULL)
    source = self->preset->source;

  sqlite3_bind_int64 (stmt, ++k, id);
  sqlite3_bind_text (stmt, ++k, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, ++k, c->created_at ? c->created_at : run->now);
  sqlite3_bind_int64 (stmt, ++k, run->now);
  sqlite3_bind_text (stmt, ++k, c->name, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, ++k, c->gender);
  bind_opt_text (stmt, ++k, c->has_birthday ? c->birthday : NULL);
  bind_opt_text (stmt, ++k, v->v[T_PHONE]);
  bind_opt_text (stmt, ++k, v->v[T_EMAIL]);
  bind_opt_text (stmt, ++k, v->v[T_COMPANY]);
  bind_opt_text (stmt, ++k, v->v[T_OCCUPATION]);
  bind_opt_text (stmt, ++k, c->address);
  bind_opt_text (stmt, ++k, v->v[T_CITY]);
  bind_opt_text (stmt, ++k, v->v[T_REGION]);
  bind_opt_text (stmt, ++k, v->v[T_COUNTRY]);
  bind_opt_text (stmt, ++k, v->v[T_POSTAL_CODE]);
  bind_opt_text (stmt, ++k, source);
  bind_opt_text (stmt, ++k, v->v[T_TAGS]);
  bind_opt_text (stmt, ++k, v->v[T_NOTES]);
  sqlite3_bind_int (stmt, ++k, c->email_consent > 0);
  bind_opt_time (stmt, ++k, c->email_consent_at);
  sqlite3_bind_int (stmt, ++k, c->sms_consent > 0);
  bind_opt_time (stmt, ++k, c->sms_consent_at);
  bind_opt_text (stmt, ++k, v->v[T_OWNER]);
  bind_opt_text (stmt, ++k, v->v[T_EXTERNAL_ID]);
  crm_search_keys_bind (&c->keys, stmt, k + 1);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      if ((rc & 0xff) == SQLITE_CONSTRAINT)
        {
          /* A uuid already used (by a deleted customer): a reject, not a failed import. */
          *out_id = 0;
          return TRUE;
        }
      return crm_store_set_error (run->store, rc, error);
    }

  run->next_id++;
  /* The new customers' state rows are made with one statement at the end (the insert trigger
   * is off for the run): written here one by one, with the trigger or not, they cost 1.0–1.5 s
   * per 1M rows. */
  {
    NewState st = { id, MAX (c->lifecycle, 0) };
    g_array_append_val (run->new_states, st);
  }
  write_terms (run, id, c, v->v[T_TAGS]);
  /* A customers import journals its new customers in one go at the end; an orders import in
   * file order, before the orders that refer to them. */
  if (self->kind == CRM_IMPORT_ORDERS &&
      !write_journal (run, CRM_JOURNAL_ENTITY_CUSTOMER, id, CRM_JOURNAL_INSERT, 0, error))
    return FALSE;
  remember_keys (run, id, uuid, v->v[T_EXTERNAL_ID], c->keys.email_key, c->keys.phone_rev);
  *out_id = id;
  return TRUE;
}

/* The values an update would write, in update_customer()'s column order; NULL: not in the row.
 * Numbers are given as text (in @num) to be compared with the stored ones. */
static void
update_values (Values      *v,
               Customer    *c,
               char         num[8][24],
               const char **nv)
{
  g_snprintf (num[0], 24, "%d", c->gender);
  g_snprintf (num[1], 24, "%d", c->email_consent);
  g_snprintf (num[2], 24, "%" G_GINT64_FORMAT, c->email_consent_at);
  g_snprintf (num[3], 24, "%d", c->sms_consent);
  g_snprintf (num[4], 24, "%" G_GINT64_FORMAT, c->sms_consent_at);
  nv[0] = v->v[T_NAME] || v->v[T_FIRST_NAME] || v->v[T_LAST_NAME] ? c->name : NULL;
  nv[1] = v->v[T_GENDER] ? num[0] : NULL;
  nv[2] = c->has_birthday ? c->birthday : NULL;
  nv[3] = v->v[T_PHONE];
  nv[4] = v->v[T_EMAIL];
  nv[5] = v->v[T_COMPANY];
  nv[6] = v->v[T_OCCUPATION];
  nv[7] = c->address;
  nv[8] = v->v[T_CITY];
  nv[9] = v->v[T_REGION];
  nv[10] = v->v[T_COUNTRY];
  nv[11] = v->v[T_POSTAL_CODE];
  nv[12] = v->v[T_SOURCE];
  nv[13] = v->v[T_TAGS];
  nv[14] = v->v[T_NOTES];
  nv[15] = c->email_consent >= 0 ? num[1] : NULL;
  nv[16] = c->email_consent_at ? num[2] : NULL;
  nv[17] = c->sms_consent >= 0 ? num[3] : NULL;
  nv[18] = c->sms_consent_at ? num[4] : NULL;
  nv[19] = v->v[T_OWNER];
  nv[20] = v->v[T_EXTERNAL_ID];
}

/* An updated customer's search keys and terms (name, phone, e-mail or tags changed). */
static gboolean
reindex_customer (Run         *run,
                  gint64       id,
                  const char  *name,
                  const char  *phone,
                  const char  *email,
                  const char  *tags,
                  GError     **error)
{
  if (!crm_store_index_customer (run->store, id, name, phone, email, tags, TRUE, error))
    return FALSE;
  /* A customer added earlier in this run: its kept terms are out of date now. */
  if (id >= run->first_new_id)
    {
      crm_search_pairs_forget (run->terms, id);
      crm_search_pairs_forget (run->tags, id);
    }
  if (run->bulk)
    {
      CrmSearchKeys keys;

      crm_search_keys_init_in_region (&keys, phone, email, run->region);
      remember_keys (run, id, NULL, NULL, keys.email_key, keys.phone_rev);
      crm_search_keys_clear (&keys);
    }
  return TRUE;
}

/* Fills an existing customer with the row's non-empty values; *changed says if anything did. */
static gboolean
update_customer (Run         *run,
                 gint64       id,
                 Values      *v,
                 Customer    *c,
                 gboolean    *changed,
                 GError     **error)
{
  /* cols[i] is the customer's field i (CrmCustomerField): its bit in the journal entry. */
  static const char *cols[] = {
    "name", "gender", "birthday", "phone", "email", "company", "occupation", "address", "city",
    "region", "country", "postal_code", "source", "tags", "notes", "email_consent",
    "email_consent_at", "sms_consent", "sms_consent_at", "owner", "external_id",
  };
  char num[8][24];
  const char *nv[G_N_ELEMENTS (cols)];
  g_autoptr(GString) sql = g_string_new ("SELECT id");
  g_autoptr(GString) set = g_string_new ("UPDATE customers SET updated_at = ?");
  guint64 fields = 0;
  g_autofree char *old_name = NULL, *old_phone = NULL, *old_email = NULL, *old_tags = NULL;
  gboolean fts_changed = FALSE, keys_changed = FALSE;
  sqlite3_stmt *stmt;
  guint n_set = 0;
  int k;

  *changed = FALSE;
  update_values (v, c, num, nv);

  for (guint i = 0; i < G_N_ELEMENTS (cols); i++)
    g_string_append_printf (sql, ", %s", cols[i]);
  g_string_append (sql, " FROM customers WHERE id = ?");
  if (!(stmt = crm_store_prepare (run->store, sql->str, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return TRUE;
    }
  old_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  old_phone = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  old_email = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  old_tags = g_strdup ((const char *) sqlite3_column_text (stmt, 14));
  /* Which columns change: compared as text, as SQLite would give them. */
  {
    gboolean differs[G_N_ELEMENTS (cols)];

    for (guint i = 0; i < G_N_ELEMENTS (cols); i++)
      {
        const char *old = (const char *) sqlite3_column_text (stmt, i + 1);
        differs[i] = nv[i] != NULL && g_strcmp0 (old, nv[i]) != 0;
      }
    sqlite3_reset (stmt);

    for (guint i = 0; i < G_N_ELEMENTS (cols); i++)
      if (differs[i])
        {
          g_string_append_printf (set, ", %s = ?", cols[i]);
          fields |= G_GUINT64_CONSTANT (1) << i;
          n_set++;
          if (i == 0 || i == 5 || i == 8 || i == 13 || i == 14)
            fts_changed = TRUE;
          if (i == 0 || i == 3 || i == 4 || i == 13)
            keys_changed = TRUE;
        }
      else
        nv[i] = NULL;
  }
  /* The stage is the recompute's, kept apart and not journaled: a file may still set one. */
  if (c->lifecycle >= 0)
    {
      if (!set_stage (run, id, c->lifecycle, error))
        return FALSE;
      *changed = sqlite3_changes (run->db) > 0;
    }
  if (n_set == 0)
    return TRUE;
  g_string_append (set, " WHERE id = ?");

  /* The FTS triggers are off for the run: rows from before it keep their index entries by hand. */
  if (fts_changed && id < run->first_new_id && !run->fts_by_trigger &&
      !crm_search_fts_remove (run->store, id, error))
    return FALSE;

  if (!(stmt = crm_store_prepare (run->store, set->str, error)))
    return FALSE;
  k = 0;
  sqlite3_bind_int64 (stmt, ++k, run->now);
  for (guint i = 0; i < G_N_ELEMENTS (cols); i++)
    if (nv[i] != NULL)
      {
        if (i == 1 || i == 15 || i == 16 || i == 17 || i == 18)
          sqlite3_bind_int64 (stmt, ++k, g_ascii_strtoll (nv[i], NULL, 10));
        else
          sqlite3_bind_text (stmt, ++k, nv[i], -1, SQLITE_STATIC);
      }
  sqlite3_bind_int64 (stmt, ++k, id);
  if (!step_done (run, stmt, error))
    return FALSE;

  if (fts_changed && id < run->first_new_id && !run->fts_by_trigger &&
      !crm_search_fts_add (run->store, id, error))
    return FALSE;

  if (keys_changed &&
      !reindex_customer (run, id, nv[0] ? nv[0] : old_name, nv[3] ? nv[3] : old_phone,
                         nv[4] ? nv[4] : old_email, nv[13] ? nv[13] : old_tags, error))
    return FALSE;
  if (nv[20] != NULL)
    remember_keys (run, id, NULL, nv[20], NULL, NULL);

  *changed = TRUE;
  /* A customer this customers import added is journaled whole at the end (its insert). */
  if (id >= run->first_new_id && run->self->kind == CRM_IMPORT_CUSTOMERS)
    return TRUE;
  return write_journal (run, CRM_JOURNAL_ENTITY_CUSTOMER, id, CRM_JOURNAL_UPDATE, fields, error);
}

/* One customer from @v: inserted, updated, skipped (duplicate) or rejected. */
gboolean
import_customer (Run        *run,
                 Values     *v,
                 gboolean    for_order,
                 gint64     *out_id,
                 RowResult  *result,
                 GError    **error)
{
  Customer c;
  g_autofree char *reason = NULL;
  int col = -1;

  *out_id = 0;
  reason = parse_customer (run, &run->arena, v, &c, &col);
  if (reason != NULL)
    {
      customer_clear (&c);
      *result = ROW_REJECTED;
      return for_order ? (g_set_error_literal (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_BAD_MAPPING, reason), FALSE)
                       : reject (run, col, reason, error);
    }
  return import_parsed_customer (run, v, &c, for_order, out_id, result, error);
}

/* The rest of import_customer(), for a row parse_customer() accepted; clears @c. */
gboolean
import_parsed_customer (Run        *run,
                        Values     *v,
                        Customer   *cp,
                        gboolean    for_order,
                        gint64     *out_id,
                        RowResult  *result,
                        GError    **error)
{
  Customer c = *cp;
  gint64 existing, id = 0;

  memset (cp, 0, sizeof *cp);
  *out_id = 0;
  existing = find_customer (run, c.uuid, v->v[T_EXTERNAL_ID], c.keys.email_key, c.keys.phone_rev);
  if (existing != 0 && (for_order || run->self->policy == CRM_DUPLICATE_SKIP))
    {
      *out_id = existing;
      *result = ROW_SKIPPED;
      customer_clear (&c);
      return TRUE;
    }
  if (existing != 0 && run->self->policy == CRM_DUPLICATE_UPDATE)
    {
      gboolean changed;
      gboolean ok = update_customer (run, existing, v, &c, &changed, error);

      customer_clear (&c);
      *out_id = existing;
      *result = changed ? ROW_UPDATED : ROW_SKIPPED;
      return ok;
    }
  /* Create anyway: a uuid cannot be shared, so the copy gets its own. */
  if (existing != 0 && c.uuid != NULL)
    c.uuid = NULL;

  if (!insert_customer (run, v, &c, &id, error))
    {
      customer_clear (&c);
      return FALSE;
    }
  customer_clear (&c);
  if (id == 0)
    {
      *result = ROW_REJECTED;
      if (for_order)
        return TRUE;
      return reject (run, v->v[T_UUID] ? v->col[T_UUID] : -1,
                     _("A customer with this UUID exists already (it may have been deleted)"), error);
    }
  *out_id = id;
  *result = ROW_INSERTED;
  return TRUE;
}

/* A customer row's outcome in the report (a rejected row is counted where it is refused). */
void
count_result (CrmImportReport *report,
              RowResult        res)
{
  switch (res)
    {
    case ROW_INSERTED:
      report->inserted++;
      break;
    case ROW_UPDATED:
      report->updated++;
      break;
    case ROW_SKIPPED:
      report->skipped++;
      break;
    case ROW_REJECTED:
    default:
      break;
    }
}

gboolean
import_customer_cells (Run                 *run,
                       const char * const  *cells,
                       guint                n_cells,
                       GError             **error)
{
  CrmImporter *self = run->self;
  Values v;
  RowResult res;
  gint64 id;

  collect_values (run, &run->arena, cells, n_cells, &v);
  if (!import_customer (run, &v, FALSE, &id, &res, error))
    return FALSE;
  count_result (&self->report, res);
  arena_reset (&run->arena);
  return TRUE;
}

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

/* A value parse_customer() cannot use does not cost the row (a contact is never lost for one
 * field): the row is imported without it, and the value goes into the notes ("Birthday:
 * 31/02/1990") or, when it says nothing (a phone without a digit, "MobilePhone"), is left out;
 * either way a warning names it.  Only a row left with nothing to name the customer by is
 * refused. */
typedef struct
{
  Run      *run;
  Arena    *arena;
  Values   *v;
  GArray  **warnings;
  GString  *kept;          /* "Label: value" lines for the notes, or NULL */
  char     *first_reason;  /* why the first value was set aside */
} Lenient;

static void
keep_in_notes (Lenient    *l,
               int         t,
               const char *value)
{
  if (l->kept == NULL)
    l->kept = g_string_new (NULL);
  else
    g_string_append_c (l->kept, '\n');
  /* Translators: a value kept in a customer's notes because it did not fit its field: label, value */
  g_string_append_printf (l->kept, C_("a value kept in the notes", "%s: %s"), target_label (CRM_IMPORT_CUSTOMERS, t), value);
}

static void
set_aside (Lenient    *l,
           int         t,
           const char *reason,
           gboolean    keep)
{
  Values *v = l->v;

  if (keep)
    keep_in_notes (l, t, v->v[t]);
  if (l->first_reason == NULL)
    l->first_reason = g_strdup (reason);
  row_warning (l->warnings, v->col[t],
               /* Translators: %s says why a value cannot be used */
               keep ? g_strdup_printf (_("%s; kept in the notes"), reason)
                    : g_strdup_printf (_("%s; left out"), reason));
  v->v[t] = NULL;
}

static const char *
cut_chars (Arena      *arena,
           const char *s,
           guint       max_chars)
{
  const char *end = g_utf8_offset_to_pointer (s, max_chars);

  return arena_dup (arena, s, end - s);
}

/* Limits and control characters, for every text field: control characters become spaces, a
 * name that is too long is cut (and kept whole in the notes), another value that is too long
 * goes into the notes.  The notes themselves are checked last, by finish_notes(). */
static void
check_texts (Lenient *l)
{
  Run *run = l->run;
  Values *v = l->v;

  for (int t = 0; t < T_N_CUSTOMER; t++)
    {
      g_autoptr(GError) err = NULL;
      const char *label;
      /* The notes are cut at the end, with what is kept in them; a birthday that is not a date
       * is told so by check_forms(), whatever its length. */
      guint max = t == T_NOTES || t == T_BIRTHDAY ? 0 : run->max_chars[t];

      /* The label (a gettext lookup, twenty a row) only for a value that fails. */
      if (v->v[t] == NULL || run->max_chars[t] == 0 || crm_text_validate (v->v[t], -1, max, NULL, NULL))
        continue;
      label = target_label (CRM_IMPORT_CUSTOMERS, t);
      if (crm_text_validate (v->v[t], -1, max, label, &err))
        continue;
      if (g_error_matches (err, CRM_TEXT_ERROR, CRM_TEXT_ERROR_CONTROL_CHARS))
        {
          char *clean = (char *) arena_dup (l->arena, v->v[t], strlen (v->v[t]));

          for (char *p = clean; *p; p++)
            if ((guchar) *p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
              *p = ' ';
          v->v[t] = clean;
          row_warning (l->warnings, v->col[t], g_strdup_printf (_("%s; replaced by a space"), err->message));
          g_clear_error (&err);
          if (crm_text_validate (v->v[t], -1, max, label, &err))
            continue;
        }
      if (g_error_matches (err, CRM_TEXT_ERROR, CRM_TEXT_ERROR_TOO_LONG) &&
          (t == T_NAME || t == T_FIRST_NAME || t == T_LAST_NAME))
        {
          keep_in_notes (l, t, v->v[t]);
          v->v[t] = cut_chars (l->arena, v->v[t], max);
          row_warning (l->warnings, v->col[t],
                       g_strdup_printf (_("%s; cut, and kept whole in the notes"), err->message));
        }
      else
        set_aside (l, t, err->message, g_error_matches (err, CRM_TEXT_ERROR, CRM_TEXT_ERROR_TOO_LONG));
    }
}

static gboolean
has_digit (const char *s)
{
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    if (g_unichar_digit_value (g_utf8_get_char (p)) >= 0)
      return TRUE;
  return FALSE;
}

/* The values that must have a form: e-mail, phone, uuid, gender, dates, yes/no, stage. */
static void
check_forms (Lenient  *l,
             Customer *c)
{
  Run *run = l->run;
  Values *v = l->v;
  g_autoptr(GError) err = NULL;

  if (v->v[T_EMAIL] && !crm_text_check_email (v->v[T_EMAIL], &err))
    set_aside (l, T_EMAIL, err->message, TRUE);
  g_clear_error (&err);
  /* "MobilePhone", "n/a": a label where the number should be says nothing worth keeping. */
  if (v->v[T_PHONE] && !crm_text_check_phone (v->v[T_PHONE], &err))
    set_aside (l, T_PHONE, err->message, has_digit (v->v[T_PHONE]));
  g_clear_error (&err);

  if (v->v[T_UUID] && !g_uuid_string_is_valid (v->v[T_UUID]))
    {
      g_autofree char *reason = g_strdup_printf (_("“%s” is not a UUID"), v->v[T_UUID]);
      set_aside (l, T_UUID, reason, TRUE);
    }
  c->uuid = v->v[T_UUID];

  if (v->v[T_GENDER] && (c->gender = parse_gender (v->v[T_GENDER])) < 0)
    {
      g_autofree char *reason = g_strdup_printf (_("“%s” is not a gender: use female, male, other, 女 or 男"),
                                                 v->v[T_GENDER]);
      set_aside (l, T_GENDER, reason, TRUE);
    }
  if (c->gender < 0)
    c->gender = 0;

  if (v->v[T_BIRTHDAY])
    {
      if (crm_import_parse_date (v->v[T_BIRTHDAY], run->self->date_order, TRUE, NULL, c->birthday) &&
          crm_text_check_date (c->birthday, NULL))
        c->has_birthday = TRUE;
      else
        {
          g_autofree char *reason = g_strdup_printf (_("“%s” is not a date (e.g. 1990-05-17)"), v->v[T_BIRTHDAY]);
          set_aside (l, T_BIRTHDAY, reason, TRUE);
        }
    }

#define PARSE_BOOL(T, out) \
  if (v->v[T] && (out = parse_bool (v->v[T])) < 0) \
    { \
      g_autofree char *reason = g_strdup_printf (_("“%s” is not yes or no"), v->v[T]); \
      set_aside (l, T, reason, TRUE); \
      out = -1; \
    }
#define PARSE_TIME(T, out) \
  if (v->v[T] && !crm_import_parse_date (v->v[T], run->self->date_order, FALSE, &out, NULL)) \
    { \
      g_autofree char *reason = g_strdup_printf (_("“%s” is not a date and time"), v->v[T]); \
      set_aside (l, T, reason, TRUE); \
      out = 0; \
    }

  PARSE_BOOL (T_EMAIL_CONSENT, c->email_consent)
  PARSE_BOOL (T_SMS_CONSENT, c->sms_consent)
  PARSE_TIME (T_EMAIL_CONSENT_AT, c->email_consent_at)
  PARSE_TIME (T_SMS_CONSENT_AT, c->sms_consent_at)
  PARSE_TIME (T_CREATED_AT, c->created_at)
#undef PARSE_BOOL
#undef PARSE_TIME

  c->lifecycle = -1;
  if (v->v[T_LIFECYCLE] && (c->lifecycle = crm_lifecycle_from_string (v->v[T_LIFECYCLE])) < 0)
    {
      g_autofree char *reason = g_strdup_printf (_("“%s” is not a lifecycle stage"), v->v[T_LIFECYCLE]);
      set_aside (l, T_LIFECYCLE, reason, TRUE);
      c->lifecycle = -1;
    }
}

/* The notes, with the values kept in them, cut to their limit if need be.  An update of a
 * customer adds the kept values to the notes it has when the row has none (update_customer()). */
static void
finish_notes (Lenient  *l,
              Customer *c)
{
  Values *v = l->v;
  guint max = l->run->max_chars[T_NOTES];
  glong n;

  c->notes_in_row = v->v[T_NOTES] != NULL;
  if (l->kept != NULL)
    {
      c->kept = arena_dup (l->arena, l->kept->str, l->kept->len);
      g_autofree char *joined = g_strconcat (v->v[T_NOTES] ? v->v[T_NOTES] : "", v->v[T_NOTES] ? "\n" : "",
                                             l->kept->str, NULL);

      if (v->v[T_NOTES] == NULL)
        v->col[T_NOTES] = -1;
      v->v[T_NOTES] = arena_dup (l->arena, joined, strlen (joined));
    }
  if (v->v[T_NOTES] != NULL && max > 0 && (n = g_utf8_strlen (v->v[T_NOTES], -1)) > (glong) max)
    {
      v->v[T_NOTES] = cut_chars (l->arena, v->v[T_NOTES], max);
      row_warning (l->warnings, v->col[T_NOTES],
                   g_strdup_printf (_("The notes are too long (%ld characters): cut to %u"), n, max));
    }
}

/* Checks and converts the customer part of @v, setting aside what cannot be used (with a
 * warning in *@warnings); returns a reason (and sets *col) when the row cannot be a customer. */
char *
parse_customer (Run       *run,
                Arena     *arena,
                Values    *v,
                Customer  *c,
                int       *col,
                GArray   **warnings)
{
  Lenient l = { run, arena, v, warnings, NULL, NULL };

  memset (c, 0, sizeof *c);
  c->email_consent = c->sms_consent = -1;

  check_texts (&l);
  check_forms (&l, c);

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
      c->name = g_utf8_strlen (composed, -1) > (glong) run->max_chars[T_NAME]
                ? cut_chars (arena, composed, run->max_chars[T_NAME])
                : arena_dup (arena, composed, strlen (composed));
    }
  if (c->name == NULL)
    c->name = v->v[T_COMPANY] ? v->v[T_COMPANY] : v->v[T_EMAIL] ? v->v[T_EMAIL] : v->v[T_PHONE];
  if (c->name == NULL)
    {
      char *reason = l.first_reason
        ? g_strdup_printf (_("%s, and the row has no other name, company, e-mail or phone"), l.first_reason)
        : g_strdup (_("The row has no name, company, e-mail or phone"));

      *col = -1;
      if (l.kept != NULL)
        g_string_free (l.kept, TRUE);
      g_free (l.first_reason);
      return reason;
    }

  /* A name of zero-width or text-direction marks alone names nobody. */
  {
    g_autoptr(GError) err = NULL;

    if (!crm_text_check_visible (c->name, NULL, NULL) &&
        !crm_text_check_visible (c->name, target_label (CRM_IMPORT_CUSTOMERS, T_NAME), &err))
      {
        *col = v->v[T_NAME] != NULL ? v->col[T_NAME] : -1;
        if (l.kept != NULL)
          g_string_free (l.kept, TRUE);
        g_free (l.first_reason);
        return g_strdup (err->message);
      }
  }

  c->address = v->v[T_ADDRESS];
  if (v->v[T_ADDRESS2])
    {
      g_autofree char *joined = g_strconcat (c->address ? c->address : "", c->address ? ", " : "",
                                             v->v[T_ADDRESS2], NULL);

      if (g_utf8_strlen (joined, -1) > (glong) run->max_chars[T_ADDRESS])
        {
          g_autofree char *reason = g_strdup_printf (_("%s is too long"), _("Address"));
          set_aside (&l, T_ADDRESS2, reason, TRUE);
        }
      else
        c->address = arena_dup (arena, joined, strlen (joined));
    }

  finish_notes (&l, c);
  if (l.kept != NULL)
    g_string_free (l.kept, TRUE);
  g_free (l.first_reason);
  crm_search_keys_init_in_region (&c->keys, v->v[T_PHONE], v->v[T_EMAIL], run->region);
  crm_search_keys_set_name (&c->keys, c->name);
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
  crm_search_keys_bind_name (&c->keys, stmt, k + 1 + CRM_SEARCH_N_KEY_COLUMNS);

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
  g_autofree char *merged_notes = NULL;
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
  /* Values the row could not use, kept in the notes: added to the customer's own notes (once),
   * not written over them, when the row has no notes of its own. */
  if (c->kept != NULL && !c->notes_in_row)
    {
      const char *old = (const char *) sqlite3_column_text (stmt, 15);

      merged_notes = old == NULL || *old == '\0' ? g_strdup (c->kept)
                     : strstr (old, c->kept) != NULL ? g_strdup (old)
                     : g_strconcat (old, "\n", c->kept, NULL);
      nv[14] = merged_notes;
    }
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
  GArray *warnings = NULL;
  int col = -1;

  *out_id = 0;
  /* A card's own warnings (charset guessed, ...) come first. */
  warnings = g_steal_pointer (&run->card_warnings);
  reason = parse_customer (run, &run->arena, v, &c, &col, &warnings);
  if (reason != NULL)
    {
      customer_clear (&c);
      g_clear_pointer (&warnings, g_array_unref);
      *result = ROW_REJECTED;
      return for_order ? (g_set_error_literal (error, CRM_IMPORT_ERROR, CRM_IMPORT_ERROR_BAD_MAPPING, reason), FALSE)
                       : reject (run, col, reason, error);
    }
  return import_parsed_customer (run, v, &c, warnings, for_order, out_id, result, error);
}

static gboolean import_parsed_customer_inner (Run        *run,
                                              Values     *v,
                                              Customer   *cp,
                                              gboolean    for_order,
                                              gint64     *out_id,
                                              RowResult  *result,
                                              GError    **error);

/* The rest of import_customer(), for a row parse_customer() accepted; clears @c and takes
 * @warnings, reported when the row is written (not when it is skipped or refused). */
gboolean
import_parsed_customer (Run        *run,
                        Values     *v,
                        Customer   *cp,
                        GArray     *warnings,
                        gboolean    for_order,
                        gint64     *out_id,
                        RowResult  *result,
                        GError    **error)
{
  gboolean ok = import_parsed_customer_inner (run, v, cp, for_order, out_id, result, error);

  if (ok && (*result == ROW_INSERTED || *result == ROW_UPDATED))
    warn_row (run, warnings);
  else if (warnings != NULL)
    g_array_unref (warnings);
  return ok;
}

static gboolean
import_parsed_customer_inner (Run        *run,
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

/* crm-campaigns.c: campaigns — create, preview, freeze, stats, unsubscribes.  Sending is in
 * crm-campaign-send.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-campaigns.h"
#include "crm-campaigns-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/random.h>

#include "crm-csv-reader.h"
#include "crm-customer.h"
#include "crm-mail.h"
#include "crm-query.h"
#include "crm-rule.h"
#include "crm-segment.h"
#include "crm-text.h"
#include "crm-tier.h"

void
crm_campaign_recipient_free (CrmCampaignRecipient *r)
{
  if (r == NULL)
    return;
  g_free (r->customer_uuid);
  g_free (r->name);
  g_free (r->email);
  g_free (r->status);
  g_free (r->reason);
  g_free (r);
}

void
crm_campaign_preview_free (CrmCampaignPreview *p)
{
  if (p == NULL)
    return;
  g_free (p->to);
  g_free (p->subject);
  g_free (p->text);
  g_free (p->html);
  g_free (p);
}

CrmCampaign *
crm_campaign_find (CrmStore    *store,
                   const char  *name,
                   GError     **error)
{
  g_autoptr(GPtrArray) all = crm_store_list_all (store, CRM_TYPE_CAMPAIGN, "name", error);

  if (all == NULL)
    return NULL;
  for (guint i = 0; i < all->len; i++)
    {
      CrmCampaign *c = g_ptr_array_index (all, i);

      if (g_strcmp0 (crm_campaign_get_name (c), name) == 0 ||
          g_strcmp0 (crm_entity_get_uuid (CRM_ENTITY (c)), name) == 0)
        return g_object_ref (c);
    }
  g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND, _("No campaign named “%s”"), name);
  return NULL;
}

static CrmSegment *
find_segment (CrmStore    *store,
              const char  *name,
              GError     **error)
{
  g_autoptr(GPtrArray) all = crm_store_list_all (store, CRM_TYPE_SEGMENT, "position", error);

  if (all == NULL)
    return NULL;
  for (guint i = 0; i < all->len; i++)
    {
      CrmSegment *s = g_ptr_array_index (all, i);

      if (g_strcmp0 (crm_segment_get_name (s), name) == 0 ||
          g_strcmp0 (crm_entity_get_uuid (CRM_ENTITY (s)), name) == 0)
        return g_object_ref (s);
    }
  g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND, _("No segment named “%s”"), name);
  return NULL;
}

char *
crm_campaign_dup_segment_name (CrmStore     *store,
                               CrmCampaign  *campaign,
                               GError      **error)
{
  const char *uuid = crm_campaign_get_segment (campaign);
  g_autoptr(CrmSegment) seg = NULL;

  if (uuid == NULL)
    return NULL;
  seg = crm_store_load_by_uuid (store, CRM_TYPE_SEGMENT, uuid, NULL);
  if (seg == NULL || crm_entity_get_deleted_at (CRM_ENTITY (seg)) != 0)
    return NULL;
  return g_strdup (crm_segment_get_name (seg));
}

static gboolean
invalid (GError     **error,
         const char  *message)
{
  g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, message);
  return FALSE;
}

CrmCampaign *
crm_campaign_create (CrmStore    *store,
                     const char  *name,
                     const char  *segment,
                     const char  *subject,
                     const char  *body,
                     const char  *html,
                     GError     **error)
{
  g_autoptr(CrmCampaign) existing = NULL;
  g_autoptr(CrmSegment) seg = NULL;
  g_autoptr(CrmCampaign) c = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (name ? name : ""));
  GError *local_error = NULL;

  if (!crm_text_validate (name, -1, 200, _("Campaign name"), error))
    return NULL;
  if (trimmed[0] == '\0')
    {
      invalid (error, _("A campaign needs a name"));
      return NULL;
    }
  if ((existing = crm_campaign_find (store, name, NULL)) != NULL)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, _("A campaign named “%s” already exists"), name);
      return NULL;
    }
  if (segment == NULL)
    {
      invalid (error, _("A campaign needs a segment to send to"));
      return NULL;
    }
  if (!(seg = find_segment (store, segment, error)))
    return NULL;
  if (subject == NULL || subject[0] == '\0' || body == NULL || body[0] == '\0')
    {
      invalid (error, _("A campaign needs a subject and a message"));
      return NULL;
    }
  if (strchr (subject, '\n') != NULL || strchr (subject, '\r') != NULL)
    {
      invalid (error, _("The subject must be one line"));
      return NULL;
    }
  if (!crm_text_validate (subject, -1, 300, _("Subject"), error) ||
      !crm_text_validate (body, -1, 100000, _("Message"), error) ||
      !crm_text_validate (html, -1, 200000, _("HTML message"), error))
    return NULL;
  if (!crm_mail_template_check (subject, _("the subject"), &local_error) ||
      !crm_mail_template_check (body, _("the message"), &local_error) ||
      !crm_mail_template_check (html, _("the HTML message"), &local_error))
    {
      invalid (error, local_error->message);
      g_error_free (local_error);
      return NULL;
    }

  c = crm_campaign_new ();
  crm_campaign_set_name (c, name);
  crm_campaign_set_channel (c, "email");
  crm_campaign_set_status (c, "draft");
  crm_campaign_set_segment (c, crm_entity_get_uuid (CRM_ENTITY (seg)));
  crm_campaign_set_subject (c, subject);
  crm_campaign_set_body (c, body);
  crm_campaign_set_html_body (c, html);
  if (!crm_store_insert (store, CRM_ENTITY (c), error))
    return NULL;
  return g_steal_pointer (&c);
}

/* ---- fields ---------------------------------------------------------------------------- */

CrmCampaignContext *
crm_campaign_context_new (CrmStore               *store,
                          const CrmSmtpSettings  *settings,
                          GError                **error)
{
  g_autoptr(GPtrArray) tiers = crm_store_list_all (store, CRM_TYPE_TIER, "rank", error);
  CrmCampaignContext *ctx;

  if (tiers == NULL)
    return NULL;
  ctx = g_new0 (CrmCampaignContext, 1);
  ctx->tiers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  for (guint i = 0; i < tiers->len; i++)
    {
      CrmTier *t = g_ptr_array_index (tiers, i);
      gint64 *id = g_new (gint64, 1);

      *id = crm_entity_get_id (CRM_ENTITY (t));
      g_hash_table_insert (ctx->tiers, id, g_strdup (crm_tier_get_display_name (t)));
    }
  if (settings != NULL)
    {
      ctx->shop = g_strdup (settings->from_name ? settings->from_name : "");
      ctx->from_address = g_strdup (settings->from_address);
    }
  else
    {
      ctx->shop = g_strdup ("");
      /* Translators: stands for the shop's e-mail address in a preview before a mail server is set. */
      ctx->from_address = g_strdup (_("shop@example.com"));
    }
  return ctx;
}

void
crm_campaign_context_free (CrmCampaignContext *ctx)
{
  if (ctx == NULL)
    return;
  g_hash_table_unref (ctx->tiers);
  g_free (ctx->shop);
  g_free (ctx->from_address);
  g_free (ctx);
}

void
crm_campaign_render (CrmCampaignContext *ctx,
                     CrmCampaign        *campaign,
                     const char         *name,
                     gint64              tier_id,
                     char              **subject,
                     char              **text,
                     char              **html)
{
  const char *tier = g_hash_table_lookup (ctx->tiers, &tier_id);
  /* Points and coupons come with the loyalty room: empty until then. */
  CrmMailFields f = { name, tier, "", "", ctx->shop };

  *subject = crm_mail_template_render (crm_campaign_get_subject (campaign), &f, FALSE);
  *text = crm_mail_template_render (crm_campaign_get_body (campaign), &f, FALSE);
  *html = crm_campaign_get_html_body (campaign) != NULL
          ? crm_mail_template_render (crm_campaign_get_html_body (campaign), &f, TRUE) : NULL;
}

CrmCampaignPreview *
crm_campaign_preview (CrmStore               *store,
                      CrmCampaign            *campaign,
                      gint64                  customer_id,
                      const CrmSmtpSettings  *settings,
                      GError                **error)
{
  g_autoptr(CrmCustomer) customer = crm_store_load (store, CRM_TYPE_CUSTOMER, customer_id, error);
  CrmCampaignContext *ctx;
  CrmCampaignPreview *p;
  g_autofree char *token = NULL;
  g_autofree char *line = NULL;
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  gint64 tier_id = 0;
  sqlite3_stmt *stmt;

  if (customer == NULL || !(ctx = crm_campaign_context_new (store, settings, error)))
    return NULL;
  if ((stmt = crm_store_prepare (store, "SELECT tier_id FROM customer_state WHERE customer_id = ?", error)) == NULL)
    {
      crm_campaign_context_free (ctx);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, customer_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    tier_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  /* The token the customer has (or will have once sending starts: shown as such). */
  if ((stmt = crm_store_prepare (store, "SELECT token FROM campaign_recipients WHERE campaign_id = ? AND customer_id = ?",
                                 NULL)) != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, crm_entity_get_id (CRM_ENTITY (campaign)));
      sqlite3_bind_int64 (stmt, 2, customer_id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        token = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  if (token == NULL)
    token = g_strdup ("TOKEN");

  p = g_new0 (CrmCampaignPreview, 1);
  crm_campaign_render (ctx, campaign, crm_customer_get_name (customer), tier_id, &p->subject, &text, &html);
  line = crm_mail_unsubscribe_line (ctx->from_address, token);
  p->text = g_strdup_printf ("%s\n\n-- \n%s\n", text, line);
  if (html != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (line, -1);
      p->html = g_strdup_printf ("%s\n<p style=\"font-size:small;color:#666\">%s</p>\n", html, escaped);
    }
  if (crm_customer_get_email (customer) != NULL && crm_customer_get_email (customer)[0] != '\0')
    p->to = g_strdup_printf ("%s <%s>", crm_customer_get_name (customer), crm_customer_get_email (customer));
  else
    p->to = g_strdup_printf (_("%s (no e-mail address)"), crm_customer_get_name (customer));
  crm_campaign_context_free (ctx);
  return p;
}

/* ---- freezing the recipients ------------------------------------------------------------ */

/* 128 random bits from the kernel, as hex: a token nobody can guess to unsubscribe others. */
static char *
new_token (void)
{
  guint8 bytes[16];
  GString *s = g_string_sized_new (33);

  if (getrandom (bytes, sizeof bytes, 0) != sizeof bytes)
    for (guint i = 0; i < sizeof bytes; i++)
      bytes[i] = g_random_int_range (0, 256);
  for (guint i = 0; i < sizeof bytes; i++)
    g_string_append_printf (s, "%02x", bytes[i]);
  return g_string_free (s, FALSE);
}

static const char *
recipient_status (const char *email,
                  gboolean    consent,
                  gboolean    unsubscribed)
{
  if (!consent)
    return unsubscribed ? "skipped_unsubscribed" : "skipped_no_consent";
  if (email == NULL || !crm_smtp_parse_mailbox (email, NULL, NULL, NULL))
    return "skipped_no_address";
  return "queued";
}

typedef struct
{
  CrmCampaign *campaign;
  CrmQuery    *query;
} Freeze;

static gboolean
freeze_in_transaction (CrmStore  *store,
                       gpointer   data,
                       GError   **error)
{
  Freeze *f = data;
  g_autofree char *sql = crm_query_to_sql_columns (f->query, "c.id, c.email, c.email_consent,"
                                                   " EXISTS (SELECT 1 FROM email_unsubscribes u WHERE u.customer_id = c.id)",
                                                   "");
  sqlite3_stmt *insert = crm_store_prepare (store, "INSERT OR IGNORE INTO campaign_recipients"
                                            " (campaign_id, customer_id, email, token, status, updated_at)"
                                            " VALUES (?, ?, ?, ?, ?, ?)", error);
  sqlite3_stmt *select = NULL;
  gint64 now = g_get_real_time () / 1000;
  int rc;

  if (insert == NULL)
    return FALSE;
  if ((rc = sqlite3_prepare_v2 (crm_store_get_db (store), sql, -1, &select, NULL)) != SQLITE_OK)
    return crm_store_set_error (store, rc, error);
  crm_query_bind (f->query, select);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      g_autofree char *token = new_token ();
      const char *email = (const char *) sqlite3_column_text (select, 1);
      g_autofree char *trimmed = email ? g_strstrip (g_strdup (email)) : NULL;

      sqlite3_bind_int64 (insert, 1, crm_entity_get_id (CRM_ENTITY (f->campaign)));
      sqlite3_bind_int64 (insert, 2, sqlite3_column_int64 (select, 0));
      sqlite3_bind_text (insert, 3, trimmed && trimmed[0] ? trimmed : NULL, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 4, token, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 5, recipient_status (trimmed, sqlite3_column_int (select, 2) != 0,
                                                      sqlite3_column_int (select, 3) != 0), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 6, now);
      if (!crm_store_step (store, insert, error))
        {
          sqlite3_finalize (select);
          return FALSE;
        }
    }
  sqlite3_finalize (select);
  if (rc != SQLITE_DONE)
    return crm_store_set_error (store, rc, error);

  crm_campaign_set_status (f->campaign, "sending");
  crm_campaign_set_sent_at (f->campaign, now);
  return crm_store_update (store, CRM_ENTITY (f->campaign), error);
}

gboolean
crm_campaign_freeze (CrmStore      *store,
                     CrmCampaign   *campaign,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(CrmSegment) seg = NULL;
  g_autoptr(CrmRule) rule = NULL;
  g_autoptr(CrmQuery) q = NULL;
  Freeze f = { campaign, NULL };

  if (g_strcmp0 (crm_campaign_get_status (campaign), "draft") != 0 && crm_campaign_get_status (campaign) != NULL)
    return TRUE;   /* frozen before */
  seg = crm_campaign_get_segment (campaign)
        ? crm_store_load_by_uuid (store, CRM_TYPE_SEGMENT, crm_campaign_get_segment (campaign), NULL) : NULL;
  if (seg == NULL || crm_entity_get_deleted_at (CRM_ENTITY (seg)) != 0)
    return invalid (error, _("The campaign's segment was deleted: make the campaign again with another segment"));
  if (!(rule = crm_rule_new_from_json (crm_segment_get_rule (seg), error)))
    return FALSE;
  q = crm_query_new ();
  crm_query_set_rule (q, rule);
  f.query = q;
  return crm_store_transact (store, cancellable, freeze_in_transaction, &f, error);
}

/* ---- counts ------------------------------------------------------------------------------ */

gboolean
crm_campaign_get_stats (CrmStore          *store,
                        CrmCampaign       *campaign,
                        guint              days,
                        CrmCampaignStats  *stats,
                        GError           **error)
{
  gint64 id = crm_entity_get_id (CRM_ENTITY (campaign));
  sqlite3_stmt *stmt;

  memset (stats, 0, sizeof *stats);
  if (days == 0)
    {
      g_autofree char *setting = crm_store_get_setting (store, "campaign.attribution-days");
      days = setting ? (guint) g_ascii_strtoull (setting, NULL, 10) : 0;
      if (days == 0)
        days = CRM_CAMPAIGN_ATTRIBUTION_DAYS;
    }
  stats->days = days;
  if (!(stmt = crm_store_prepare (store, "SELECT status, count(*) FROM campaign_recipients WHERE campaign_id = ?"
                                         " GROUP BY status", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *status = (const char *) sqlite3_column_text (stmt, 0);
      gint64 n = sqlite3_column_int64 (stmt, 1);
      struct { const char *name; gint64 *count; } map[] = {
        { "queued", &stats->queued }, { "sending", &stats->sending }, { "sent", &stats->sent },
        { "failed", &stats->failed }, { "skipped_no_consent", &stats->skipped_no_consent },
        { "skipped_no_address", &stats->skipped_no_address },
        { "skipped_unsubscribed", &stats->skipped_unsubscribed },
      };

      stats->recipients += n;
      for (guint i = 0; i < G_N_ELEMENTS (map); i++)
        if (g_strcmp0 (status, map[i].name) == 0)
          *map[i].count = n;
    }
  sqlite3_reset (stmt);

  if (!(stmt = crm_store_prepare (store, "SELECT count(DISTINCT r.customer_id), coalesce(sum(o.total), 0)"
                                         " FROM campaign_recipients r JOIN orders o ON o.customer_id = r.customer_id"
                                         "  AND o.deleted_at IS NULL AND o.status NOT IN ('cancelled', 'refunded', 'failed')"
                                         "  AND o.placed_at >= r.sent_at AND o.placed_at < r.sent_at + ?"
                                         " WHERE r.campaign_id = ? AND r.status = 'sent'", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (gint64) days * 24 * 3600 * 1000);
  sqlite3_bind_int64 (stmt, 2, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      stats->conversions = sqlite3_column_int64 (stmt, 0);
      stats->revenue = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

GPtrArray *
crm_campaign_list_recipients (CrmStore     *store,
                              CrmCampaign  *campaign,
                              GError      **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_campaign_recipient_free);
  sqlite3_stmt *stmt = crm_store_prepare (store, "SELECT r.customer_id, c.uuid, c.name, r.email, r.status, r.reason,"
                                                 " r.sent_at FROM campaign_recipients r"
                                                 " JOIN customers c ON c.id = r.customer_id"
                                                 " WHERE r.campaign_id = ? ORDER BY r.id", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, crm_entity_get_id (CRM_ENTITY (campaign)));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmCampaignRecipient *r = g_new0 (CrmCampaignRecipient, 1);

      r->customer_id = sqlite3_column_int64 (stmt, 0);
      r->customer_uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      r->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      r->email = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      r->status = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      r->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      r->sent_at = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (out, r);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* ---- unsubscribes ------------------------------------------------------------------------ */

typedef struct
{
  const char            *path;
  const char            *source;
  CrmUnsubscribeCounts  *counts;
} Unsubscribe;

/* The customer that @value (a token, "unsubscribe-TOKEN", or an address) names, or 0. */
static gint64
lookup_customer (CrmStore    *store,
                 const char  *value,
                 const char **token,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;

  *token = NULL;
  if (strchr (value, '@') != NULL)
    {
      g_autofree char *key = crm_text_email_key (value);

      stmt = crm_store_prepare (store, "SELECT id FROM customers WHERE email_key = ? AND deleted_at IS NULL"
                                       " ORDER BY id LIMIT 1", error);
      if (stmt == NULL)
        return -1;
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
    }
  else
    {
      if (g_str_has_prefix (value, "unsubscribe-"))
        value += strlen ("unsubscribe-");
      *token = value;
      stmt = crm_store_prepare (store, "SELECT customer_id FROM campaign_recipients WHERE token = ?", error);
      if (stmt == NULL)
        return -1;
      sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
    }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return id;
}

static gboolean
unsubscribe_one (CrmStore     *store,
                 Unsubscribe  *u,
                 const char   *value,
                 GError      **error)
{
  g_autoptr(CrmCustomer) customer = NULL;
  const char *token;
  gint64 now = g_get_real_time () / 1000;
  gint64 id = lookup_customer (store, value, &token, error);
  sqlite3_stmt *stmt;

  if (id < 0)
    return FALSE;
  if (id == 0)
    {
      u->counts->unknown++;
      return TRUE;
    }
  if (!(customer = crm_store_load (store, CRM_TYPE_CUSTOMER, id, error)))
    return FALSE;
  if (crm_customer_get_email_consent (customer))
    {
      crm_customer_set_email_consent (customer, FALSE);
      crm_customer_set_email_consent_at (customer, now);
      if (!crm_store_update (store, CRM_ENTITY (customer), error))
        return FALSE;
      u->counts->unsubscribed++;
    }
  else
    u->counts->already++;
  if (!(stmt = crm_store_prepare (store, "INSERT INTO email_unsubscribes (customer_id, at, source, token)"
                                         " VALUES (?, ?, ?, ?)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_text (stmt, 3, u->source, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, token, -1, SQLITE_TRANSIENT);
  return crm_store_step (store, stmt, error);
}

static gboolean
unsubscribe_in_transaction (CrmStore  *store,
                            gpointer   data,
                            GError   **error)
{
  Unsubscribe *u = data;
  g_autoptr(CrmCsvReader) reader = crm_csv_reader_new_for_path (u->path, error);
  GError *local_error = NULL;
  gboolean first = TRUE;

  if (reader == NULL)
    return FALSE;
  crm_csv_reader_set_header_mode (reader, CRM_CSV_HEADER_ABSENT);
  while (crm_csv_reader_next (reader, NULL, &local_error))
    {
      const char *cell = crm_csv_reader_get_n_fields (reader) > 0 ? crm_csv_reader_get_field (reader, 0, NULL) : NULL;
      g_autofree char *value = cell ? g_strstrip (g_strdup (cell)) : NULL;
      gboolean header = first && value &&
                        (g_ascii_strcasecmp (value, "token") == 0 || g_ascii_strcasecmp (value, "email") == 0 ||
                         g_ascii_strcasecmp (value, "e-mail") == 0);

      first = FALSE;
      if (value == NULL || value[0] == '\0' || header)
        continue;
      if (!unsubscribe_one (store, u, value, error))
        return FALSE;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

gboolean
crm_campaign_import_unsubscribes (CrmStore              *store,
                                  const char            *path,
                                  const char            *source,
                                  CrmUnsubscribeCounts  *counts,
                                  GError               **error)
{
  CrmUnsubscribeCounts local = { 0 };
  Unsubscribe u = { path, source, counts ? counts : &local };
  GError *local_error = NULL;
  gboolean ok;

  memset (u.counts, 0, sizeof *u.counts);
  ok = crm_store_transact (store, NULL, unsubscribe_in_transaction, &u, &local_error);
  if (!ok)
    {
      g_propagate_error (error, local_error);
      memset (u.counts, 0, sizeof *u.counts);
    }
  return ok;
}

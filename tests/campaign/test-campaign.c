/* test-campaign.c: e-mail campaigns against a real SMTP server (aiosmtpd, smtp-sink.py).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gmime/gmime.h>
#include <string.h>

#include "crm-campaigns.h"
#include "crm-customer.h"
#include "crm-mail.h"
#include "crm-segment.h"
#include "crm-smtp-test-util.h"
#include "crm-test-util.h"

/* ---- fixtures ---------------------------------------------------------------------------- */

static gint64
add_customer (CrmStore   *store,
              const char *name,
              const char *email,
              gboolean    consent,
              const char *city)
{
  g_autoptr(CrmCustomer) c = crm_customer_new ();
  g_autoptr(GError) error = NULL;

  crm_customer_set_name (c, name);
  crm_customer_set_email (c, email);
  crm_customer_set_email_consent (c, consent);
  crm_customer_set_city (c, city);
  g_assert_true (crm_store_insert (store, CRM_ENTITY (c), &error));
  g_assert_no_error (error);
  return crm_entity_get_id (CRM_ENTITY (c));
}

static void
add_segment (CrmStore   *store,
             const char *name,
             const char *city)
{
  g_autoptr(CrmSegment) s = crm_segment_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *rule = g_strdup_printf ("{\"match\":\"all\",\"rules\":[{\"field\":\"city\",\"op\":\"is\",\"value\":\"%s\"}]}",
                                           city);

  crm_segment_set_name (s, name);
  crm_segment_set_rule (s, rule);
  g_assert_true (crm_store_insert (store, CRM_ENTITY (s), &error));
  g_assert_no_error (error);
}

static CrmSmtpSettings *
settings_for (CrmTestSmtp     *smtp,
              CrmSmtpSecurity  security,
              const char      *user,
              const char      *password)
{
  CrmSmtpSettings *s = g_new0 (CrmSmtpSettings, 1);

  s->host = g_strdup ("127.0.0.1");
  s->port = smtp->port;
  s->security = security;
  s->from = g_strdup ("茶叶小铺 <shop@example.com>");
  g_assert_true (crm_smtp_parse_mailbox (s->from, &s->from_name, &s->from_address, NULL));
  s->user = g_strdup (user);
  s->password = g_strdup (password);
  s->ca_file = g_strdup (smtp->certificate);
  return s;
}

static GMimeMessage *
parse (const CrmTestSmtpMessage *m)
{
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (m->data, m->length);
  GMimeParser *parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *msg = g_mime_parser_construct_message (parser, NULL);

  g_object_unref (parser);
  g_object_unref (stream);
  g_assert_nonnull (msg);
  return msg;
}

/* ---- tests ------------------------------------------------------------------------------- */

static void
test_template (void)
{
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCampaign) c = NULL;
  g_autoptr(CrmCampaignPreview) p = NULL;
  CrmMailFields f = { "王芳", "Gold", "", "", "茶叶小铺" };
  g_autofree char *r = crm_mail_template_render ("{{ name }} <{{tier}}> {{shop}}{{points}}", &f, TRUE);
  gint64 id;

  g_assert_cmpstr (r, ==, "王芳 <Gold> 茶叶小铺");
  add_segment (store, "上海", "上海");
  id = add_customer (store, "王芳", "wang@example.com", TRUE, "上海");

  /* An unknown field is refused when the campaign is made, naming the field. */
  c = crm_campaign_create (store, "Spring", "上海", "Hi {{nmae}}", "Body", NULL, &error);
  g_assert_null (c);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "{{nmae}}"));
  g_clear_error (&error);
  c = crm_campaign_create (store, "Spring", "上海", "Hi", "Body {{coupon", NULL, &error);
  g_assert_null (c);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  c = crm_campaign_create (store, "Spring", "No such segment", "Hi", "Body", NULL, &error);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  c = crm_campaign_create (store, "Spring", "上海", "{{name}}，春茶上新", "亲爱的{{name}}：\n{{shop}}", "<b>{{name}}</b>", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_campaign_get_status (c), ==, "draft");
  /* The name is taken. */
  g_assert_null (crm_campaign_create (store, "Spring", "上海", "x", "y", NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);

  p = crm_campaign_preview (store, c, id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (p->subject, ==, "王芳，春茶上新");
  g_assert_true (g_str_has_prefix (p->text, "亲爱的王芳：\n"));
  g_assert_nonnull (strstr (p->text, "unsubscribe-"));
  g_assert_true (g_str_has_prefix (p->html, "<b>王芳</b>"));
  g_assert_cmpstr (p->to, ==, "王芳 <wang@example.com>");
}

typedef struct
{
  CrmStore *store;
  gint64    in[6];
} Shop;

/* Six customers in 上海 (three to send to), one in 北京. */
static void
shop_fill (Shop *s)
{
  s->in[0] = add_customer (s->store, "王芳", "wang@example.com", TRUE, "上海");
  s->in[1] = add_customer (s->store, "Zoë Müller", "zoe@example.com", TRUE, "上海");
  s->in[2] = add_customer (s->store, "Li Lei", "LI@Example.com", TRUE, "上海");
  s->in[3] = add_customer (s->store, "No Address", NULL, TRUE, "上海");
  s->in[4] = add_customer (s->store, "No Consent", "nc@example.com", FALSE, "上海");
  s->in[5] = add_customer (s->store, "Gone Away", "gone@example.com", TRUE, "上海");
  add_customer (s->store, "Elsewhere", "bj@example.com", TRUE, "北京");
  add_segment (s->store, "上海客户", "上海");
}

static void
test_send (void)
{
  Shop s = { crm_test_store_new (NULL) };
  CrmTestSmtp *smtp = crm_test_smtp_start (NULL);
  g_autoptr(CrmSmtpSettings) settings = settings_for (smtp, CRM_SMTP_NONE, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCampaign) c = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GHashTable) tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *csv = g_build_filename (crm_test_tmp_dir (), "unsub.csv", NULL);
  CrmUnsubscribeCounts counts;
  CrmCampaignStats st;

  shop_fill (&s);
  /* Gone Away unsubscribed by address before: consent off, an unsubscribe on record. */
  g_assert_true (g_file_set_contents (csv, "email\ngone@example.com\n", -1, NULL));
  g_assert_true (crm_campaign_import_unsubscribes (s.store, csv, "test", &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.unsubscribed, ==, 1);

  c = crm_campaign_create (s.store, "春茶", "上海客户", "{{name}}，春茶上新 🍵", "亲爱的{{name}}：新茶到了。\n{{shop}}",
                           "<p>亲爱的{{name}}：新茶到了。</p>", &error);
  g_assert_no_error (error);
  g_assert_true (crm_campaign_send (s.store, c, settings, NULL, NULL, NULL, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpint (st.recipients, ==, 6);
  g_assert_cmpint (st.sent, ==, 3);
  g_assert_cmpint (st.failed, ==, 0);
  g_assert_cmpint (st.queued, ==, 0);
  g_assert_cmpint (st.skipped_no_address, ==, 1);
  g_assert_cmpint (st.skipped_no_consent, ==, 1);
  g_assert_cmpint (st.skipped_unsubscribed, ==, 1);
  g_assert_cmpstr (crm_campaign_get_status (c), ==, "sent");

  messages = crm_test_smtp_messages (smtp);
  g_assert_cmpuint (messages->len, ==, 3);
  for (guint i = 0; i < messages->len; i++)
    {
      CrmTestSmtpMessage *m = g_ptr_array_index (messages, i);
      GMimeMessage *msg = parse (m);
      const char *unsub = g_mime_object_get_header (GMIME_OBJECT (msg), "List-Unsubscribe");
      GMimeObject *body = g_mime_message_get_mime_part (msg);
      InternetAddress *to = internet_address_list_get_address (g_mime_message_get_to (msg), 0);
      const char *headers_end = strstr (m->data, "\r\n\r\n");
      g_autofree char *expected_subject = NULL;
      g_autofree char *sql = NULL;
      g_autofree char *token = NULL;
      GMimeTextPart *plain;

      g_assert_cmpstr (m->mail_from, ==, "shop@example.com");
      g_assert_cmpuint (g_strv_length (m->rcpt_to), ==, 1);
      /* Headers are 7-bit: UTF-8 only as RFC 2047 encoded words. */
      g_assert_nonnull (headers_end);
      for (const char *p = m->data; p < headers_end; p++)
        g_assert_cmpint ((guchar) *p, <, 0x80);
      {
        const char *subject = strstr (m->data, "\r\nSubject: ");
        g_assert_nonnull (subject);
        g_assert_true (g_strstr_len (subject, strstr (subject + 2, "\r\n") - subject, "=?UTF-8?") != NULL);
        const char *lu = strstr (m->data, "\r\nList-Unsubscribe: <mailto:shop@example.com?subject=unsubscribe-");
        g_assert_nonnull (lu);
        /* One line, as written: not folded, not encoded, CRLF at its end. */
        g_assert_cmpint (strchr (lu + 2, '\n')[-1], ==, '\r');
        g_assert_cmpint (strchr (lu + 2, '\n')[-2], ==, '>');
      }
      expected_subject = g_strdup_printf ("%s，春茶上新 🍵", internet_address_get_name (to));
      g_assert_cmpstr (g_mime_message_get_subject (msg), ==, expected_subject);
      g_assert_cmpstr (internet_address_get_name (internet_address_list_get_address (g_mime_message_get_from (msg), 0)),
                       ==, "茶叶小铺");
      g_assert_nonnull (g_mime_message_get_message_id (msg));
      g_assert_nonnull (g_mime_message_get_date (msg));
      g_assert_true (g_str_has_suffix (g_mime_message_get_message_id (msg), "@example.com"));

      /* The token of the header is the recipient's, and nobody else's. */
      g_assert_nonnull (unsub);
      g_assert_true (g_str_has_prefix (unsub, "<mailto:shop@example.com?subject=unsubscribe-"));
      token = g_strndup (unsub + strlen ("<mailto:shop@example.com?subject=unsubscribe-"),
                         strlen (unsub) - strlen ("<mailto:shop@example.com?subject=unsubscribe-") - 1);
      g_assert_cmpuint (strlen (token), ==, 32);
      g_assert_false (g_hash_table_contains (tokens, token));
      sql = g_strdup_printf ("SELECT r.email FROM campaign_recipients r WHERE r.token = '%s' AND r.status = 'sent'", token);
      {
        g_autofree char *email = crm_test_query_text (s.store, sql);
        g_assert_cmpstr (email, ==, m->rcpt_to[0]);
      }
      g_hash_table_add (tokens, g_strdup (token));

      g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (body), "multipart", "alternative"));
      g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (body)), ==, 2);
      plain = GMIME_TEXT_PART (g_mime_multipart_get_part (GMIME_MULTIPART (body), 0));
      {
        g_autofree char *text = g_mime_text_part_get_text (plain);
        g_autofree char *html = g_mime_text_part_get_text (GMIME_TEXT_PART (g_mime_multipart_get_part (GMIME_MULTIPART (body), 1)));
        g_autofree char *line = g_strdup_printf ("unsubscribe-%s", token);

        g_assert_true (g_str_has_prefix (text, "亲爱的"));
        g_assert_nonnull (strstr (text, "茶叶小铺"));
        g_assert_nonnull (strstr (text, line));   /* the visible unsubscribe line */
        g_assert_nonnull (strstr (html, line));
        g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (
          g_mime_multipart_get_part (GMIME_MULTIPART (body), 1)), "text", "html"));
      }
      g_object_unref (msg);
    }

  /* Nothing is left: a second run sends nobody again. */
  g_assert_true (crm_campaign_send (s.store, c, settings, NULL, NULL, NULL, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpint (st.sent, ==, 3);
  g_clear_pointer (&messages, g_ptr_array_unref);
  messages = crm_test_smtp_messages (smtp);
  g_assert_cmpuint (messages->len, ==, 3);

  crm_test_smtp_free (smtp);
  g_object_unref (s.store);
}

/* Ten recipients; the server cuts the connection during the fourth message, after taking it. */
static void
test_drop_resume (void)
{
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  const char *extra[] = { "--drop-after", "3", NULL };
  CrmTestSmtp *smtp = crm_test_smtp_start (extra);
  g_autoptr(CrmSmtpSettings) settings = settings_for (smtp, CRM_SMTP_NONE, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCampaign) c = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  CrmCampaignStats st;

  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *name = g_strdup_printf ("客户%u", i);
      g_autofree char *email = g_strdup_printf ("c%u@example.com", i);
      add_customer (store, name, email, TRUE, "杭州");
    }
  add_segment (store, "杭州", "杭州");
  c = crm_campaign_create (store, "Drop", "杭州", "你好 {{name}}", "正文", NULL, &error);
  g_assert_no_error (error);

  g_assert_false (crm_campaign_send (store, c, settings, NULL, NULL, NULL, &st, &error));
  g_assert_error (error, CRM_SMTP_ERROR, CRM_SMTP_ERROR_UNKNOWN);
  g_clear_error (&error);
  g_assert_cmpint (st.sent, ==, 3);
  g_assert_cmpint (st.failed, ==, 1);   /* in doubt: failed, never resent */
  g_assert_cmpint (st.queued, ==, 6);
  g_assert_cmpint (st.sending, ==, 0);
  g_assert_cmpstr (crm_campaign_get_status (c), ==, "sending");
  {
    g_autofree char *reason = crm_test_query_text (store, "SELECT reason FROM campaign_recipients WHERE status = 'failed'");
    g_assert_nonnull (strstr (reason, "may or may not have been delivered"));
  }

  /* The next run sends the rest. */
  g_assert_true (crm_campaign_send (store, c, settings, NULL, NULL, NULL, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpint (st.sent, ==, 9);
  g_assert_cmpint (st.failed, ==, 1);
  g_assert_cmpint (st.queued, ==, 0);
  g_assert_cmpstr (crm_campaign_get_status (c), ==, "sent");

  /* Every recipient received it exactly once (the one in doubt had been taken by the server). */
  messages = crm_test_smtp_messages (smtp);
  g_assert_cmpuint (messages->len, ==, 10);
  for (guint i = 0; i < messages->len; i++)
    {
      CrmTestSmtpMessage *m = g_ptr_array_index (messages, i);
      g_assert_false (g_hash_table_contains (seen, m->rcpt_to[0]));
      g_hash_table_add (seen, g_strdup (m->rcpt_to[0]));
    }
  crm_test_smtp_free (smtp);
}

/* A process that died during a transaction leaves its row in 'sending': the next run marks it
 * failed and does not send it. */
static void
test_crash_in_sending (void)
{
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  CrmTestSmtp *smtp = crm_test_smtp_start (NULL);
  g_autoptr(CrmSmtpSettings) settings = settings_for (smtp, CRM_SMTP_NONE, NULL, NULL);
  g_autoptr(CrmSmtpSettings) nowhere = settings_for (smtp, CRM_SMTP_NONE, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCampaign) c = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  CrmCampaignStats st;

  add_customer (store, "A", "a@example.com", TRUE, "x");
  add_customer (store, "B", "b@example.com", TRUE, "x");
  add_customer (store, "C", "c@example.com", TRUE, "x");
  add_segment (store, "X", "x");
  c = crm_campaign_create (store, "Crash", "X", "S", "B", NULL, &error);
  g_assert_no_error (error);

  /* No server at that port: nothing sent, everyone still queued, a clear error. */
  nowhere->port = 1;
  g_assert_false (crm_campaign_send (store, c, nowhere, NULL, NULL, NULL, &st, &error));
  g_assert_error (error, CRM_SMTP_ERROR, CRM_SMTP_ERROR_CONNECT);
  g_clear_error (&error);
  g_assert_cmpint (st.queued, ==, 3);

  g_assert_true (crm_store_exec (store, "UPDATE campaign_recipients SET status = 'sending'"
                                        " WHERE email = 'b@example.com'", &error));
  g_assert_true (crm_campaign_send (store, c, settings, NULL, NULL, NULL, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpint (st.sent, ==, 2);
  g_assert_cmpint (st.failed, ==, 1);
  messages = crm_test_smtp_messages (smtp);
  g_assert_cmpuint (messages->len, ==, 2);
  for (guint i = 0; i < messages->len; i++)
    g_assert_cmpstr (((CrmTestSmtpMessage *) g_ptr_array_index (messages, i))->rcpt_to[0], !=, "b@example.com");
  crm_test_smtp_free (smtp);
}

static void
send_with_auth (const char *const *extra,
                CrmSmtpSecurity    security)
{
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  CrmTestSmtp *smtp = crm_test_smtp_start (extra);
  g_autoptr(CrmSmtpSettings) wrong = settings_for (smtp, security, "shop", "wrong");
  g_autoptr(CrmSmtpSettings) right = settings_for (smtp, security, "shop", "s3cret 密码");
  g_autoptr(CrmSmtpSettings) anonymous = settings_for (smtp, security, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCampaign) c = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  CrmCampaignStats st;

  add_customer (store, "A", "a@example.com", TRUE, "x");
  add_customer (store, "B", "b@example.com", TRUE, "x");
  add_segment (store, "X", "x");
  c = crm_campaign_create (store, "Auth", "X", "S", "B", NULL, &error);
  g_assert_no_error (error);

  /* A wrong password: a clear error, nothing sent, nobody failed. */
  g_assert_false (crm_campaign_send (store, c, wrong, NULL, NULL, NULL, &st, &error));
  g_assert_error (error, CRM_SMTP_ERROR, CRM_SMTP_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "refused the user name or password"));
  g_clear_error (&error);
  g_assert_cmpint (st.queued, ==, 2);
  g_assert_cmpint (st.failed, ==, 0);
  /* None at all, where the server requires one. */
  g_assert_false (crm_campaign_send (store, c, anonymous, NULL, NULL, NULL, &st, &error));
  g_assert_error (error, CRM_SMTP_ERROR, CRM_SMTP_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_cmpint (st.queued, ==, 2);

  g_assert_true (crm_campaign_send (store, c, right, NULL, NULL, NULL, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpint (st.sent, ==, 2);
  messages = crm_test_smtp_messages (smtp);
  g_assert_cmpuint (messages->len, ==, 2);
  crm_test_smtp_free (smtp);
}

static void
test_auth_starttls (void)
{
  const char *extra[] = { "--auth", "shop:s3cret 密码", "--starttls", "@CERT", "@KEY", NULL };
  send_with_auth (extra, CRM_SMTP_STARTTLS);
}

static void
test_auth_tls (void)
{
  const char *extra[] = { "--auth", "shop:s3cret 密码", "--tls", "@CERT", "@KEY", NULL };
  send_with_auth (extra, CRM_SMTP_TLS);
}

/* A certificate nobody vouches for is refused: the connection fails, nothing is sent. */
static void
test_untrusted_certificate (void)
{
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  const char *extra[] = { "--starttls", "@CERT", "@KEY", NULL };
  CrmTestSmtp *smtp = crm_test_smtp_start (extra);
  g_autoptr(CrmSmtpSettings) settings = settings_for (smtp, CRM_SMTP_STARTTLS, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCampaign) c = NULL;
  CrmCampaignStats st;

  g_clear_pointer (&settings->ca_file, g_free);
  add_customer (store, "A", "a@example.com", TRUE, "x");
  add_segment (store, "X", "x");
  c = crm_campaign_create (store, "TLS", "X", "S", "B", NULL, &error);
  g_assert_false (crm_campaign_send (store, c, settings, NULL, NULL, NULL, &st, &error));
  g_assert_error (error, CRM_SMTP_ERROR, CRM_SMTP_ERROR_CONNECT);
  g_assert_cmpint (st.queued, ==, 1);
  crm_test_smtp_free (smtp);
}

static void
test_throttle (void)
{
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  CrmTestSmtp *smtp = crm_test_smtp_start (NULL);
  g_autoptr(CrmSmtpSettings) settings = settings_for (smtp, CRM_SMTP_NONE, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCampaign) c = NULL;
  CrmCampaignStats st;
  gint64 start;

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *email = g_strdup_printf ("t%u@example.com", i);
      add_customer (store, "T", email, TRUE, "x");
    }
  add_segment (store, "X", "x");
  c = crm_campaign_create (store, "Slow", "X", "S", "B", NULL, &error);
  settings->rate = 240;   /* one every 250 ms: 4 messages take at least 750 ms */
  start = g_get_monotonic_time ();
  g_assert_true (crm_campaign_send (store, c, settings, NULL, NULL, NULL, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpint (st.sent, ==, 4);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 750000);
  crm_test_smtp_free (smtp);
}

static void
test_unsubscribe_and_attribution (void)
{
  Shop s = { crm_test_store_new (NULL) };
  CrmTestSmtp *smtp = crm_test_smtp_start (NULL);
  g_autoptr(CrmSmtpSettings) settings = settings_for (smtp, CRM_SMTP_NONE, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCampaign) c = NULL;
  g_autoptr(CrmCustomer) wang = NULL;
  g_autofree char *csv = g_build_filename (crm_test_tmp_dir (), "tokens.csv", NULL);
  g_autofree char *token = NULL;
  g_autofree char *content = NULL;
  CrmUnsubscribeCounts counts;
  CrmCampaignStats st;
  gint64 sent_at, day = 24 * 3600 * 1000;

  shop_fill (&s);
  c = crm_campaign_create (s.store, "Attr", "上海客户", "S", "B", NULL, &error);
  g_assert_true (crm_campaign_send (s.store, c, settings, NULL, NULL, NULL, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpint (st.sent, ==, 4);

  /* Orders of 王芳: 2 days after (counts), 9 days after (too late); Zoë: a cancelled one;
   * Li Lei: one before the send. */
  sent_at = crm_test_query_int (s.store, "SELECT sent_at FROM campaign_recipients WHERE email = 'wang@example.com'");
  crm_test_add_order (s.store, s.in[0], sent_at + 2 * day, 12800, NULL);
  crm_test_add_order (s.store, s.in[0], sent_at + 9 * day, 5000, NULL);
  crm_test_add_order (s.store, s.in[1], sent_at + day, 9900, "cancelled");
  crm_test_add_order (s.store, s.in[2], sent_at - day, 7000, NULL);
  g_assert_true (crm_campaign_get_stats (s.store, c, 0, &st, &error));
  g_assert_cmpuint (st.days, ==, 7);
  g_assert_cmpint (st.conversions, ==, 1);
  g_assert_cmpint (st.revenue, ==, 12800);
  g_assert_true (crm_campaign_get_stats (s.store, c, 10, &st, &error));
  g_assert_cmpint (st.conversions, ==, 1);
  g_assert_cmpint (st.revenue, ==, 17800);

  /* Unsubscribes come back: 王芳's token (as the subject carried it), an address, a stranger. */
  token = crm_test_query_text (s.store, "SELECT token FROM campaign_recipients WHERE email = 'wang@example.com'");
  content = g_strdup_printf ("token\nunsubscribe-%s\n\"li@example.COM\"\nnobody@example.com\n%s\n", token, token);
  g_assert_true (g_file_set_contents (csv, content, -1, NULL));
  g_assert_true (crm_campaign_import_unsubscribes (s.store, csv, "mailbox export", &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.unsubscribed, ==, 2);
  g_assert_cmpuint (counts.already, ==, 1);
  g_assert_cmpuint (counts.unknown, ==, 1);
  wang = crm_store_load (s.store, CRM_TYPE_CUSTOMER, s.in[0], &error);
  g_assert_false (crm_customer_get_email_consent (wang));
  g_assert_cmpint (crm_customer_get_email_consent_at (wang), >, 0);
  g_assert_cmpint (crm_test_query_int (s.store, "SELECT count(*) FROM email_unsubscribes WHERE source = 'mailbox export'"),
                   ==, 3);

  /* A new campaign to the same segment skips them as unsubscribed. */
  g_clear_object (&c);
  c = crm_campaign_create (s.store, "Again", "上海客户", "S", "B", NULL, &error);
  g_assert_true (crm_campaign_send (s.store, c, settings, NULL, NULL, NULL, &st, &error));
  g_assert_cmpint (st.sent, ==, 2);
  g_assert_cmpint (st.skipped_unsubscribed, ==, 2);
  crm_test_smtp_free (smtp);
  g_object_unref (s.store);
}

typedef struct
{
  char            *path;
  char            *uuid;
  CrmSmtpSettings *settings;
} Runner;

static gpointer
run_send (gpointer data)
{
  Runner *r = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = crm_store_open (r->path, &error);
  g_autoptr(CrmCampaign) c = NULL;

  g_assert_no_error (error);
  c = crm_store_load_by_uuid (store, CRM_TYPE_CAMPAIGN, r->uuid, &error);
  g_assert_no_error (error);
  g_assert_true (crm_campaign_send (store, c, r->settings, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return NULL;
}

/* The app and clientele-cli sending the same campaign at once: each recipient once. */
static void
test_two_senders (void)
{
  g_autofree char *path = NULL;
  g_autoptr(CrmStore) store = crm_test_store_new (&path);
  CrmTestSmtp *smtp = crm_test_smtp_start (NULL);
  g_autoptr(CrmSmtpSettings) settings = settings_for (smtp, CRM_SMTP_NONE, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCampaign) c = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  CrmCampaignStats st;
  Runner r;
  GThread *a, *b;

  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *email = g_strdup_printf ("p%u@example.com", i);
      add_customer (store, "P", email, TRUE, "x");
    }
  add_segment (store, "X", "x");
  c = crm_campaign_create (store, "Twice", "X", "S", "B", NULL, &error);
  g_assert_no_error (error);
  r.path = path;
  r.uuid = (char *) crm_entity_get_uuid (CRM_ENTITY (c));
  r.settings = settings;
  a = g_thread_new ("a", run_send, &r);
  b = g_thread_new ("b", run_send, &r);
  g_thread_join (a);
  g_thread_join (b);

  messages = crm_test_smtp_messages (smtp);
  g_assert_cmpuint (messages->len, ==, 40);
  for (guint i = 0; i < messages->len; i++)
    {
      CrmTestSmtpMessage *m = g_ptr_array_index (messages, i);
      g_assert_false (g_hash_table_contains (seen, m->rcpt_to[0]));
      g_hash_table_add (seen, g_strdup (m->rcpt_to[0]));
    }
  g_assert_true (crm_store_reload (store, CRM_ENTITY (c), &error));
  g_assert_true (crm_campaign_get_stats (store, c, 0, &st, &error));
  g_assert_cmpint (st.sent, ==, 40);
  g_assert_cmpint (st.failed, ==, 0);
  crm_test_smtp_free (smtp);
}

static gboolean
cancel_now (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

static gpointer
cancel_later (gpointer cancellable)
{
  g_usleep (1300000);
  cancel_now (cancellable);
  return NULL;
}

/* Cancel stops between two messages; what was sent stays sent, the rest is sent by the next run. */
static void
test_cancel (void)
{
  g_autoptr(CrmStore) store = crm_test_store_new (NULL);
  CrmTestSmtp *smtp = crm_test_smtp_start (NULL);
  g_autoptr(CrmSmtpSettings) settings = settings_for (smtp, CRM_SMTP_NONE, NULL, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCampaign) c = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  CrmCampaignStats st;
  GThread *canceller;

  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *email = g_strdup_printf ("k%u@example.com", i);
      add_customer (store, "K", email, TRUE, "x");
    }
  add_segment (store, "X", "x");
  c = crm_campaign_create (store, "Cancel", "X", "S", "B", NULL, &error);
  settings->rate = 60;   /* one a second: two go out before the cancel at 1.3 s */
  canceller = g_thread_new ("cancel", cancel_later, cancellable);
  g_assert_false (crm_campaign_send (store, c, settings, cancellable, NULL, NULL, &st, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_thread_join (canceller);
  g_assert_cmpint (st.sent, ==, 2);
  g_assert_cmpint (st.queued, ==, 4);
  g_assert_cmpint (st.sending, ==, 0);

  settings->rate = 0;
  g_assert_true (crm_campaign_send (store, c, settings, NULL, NULL, NULL, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpint (st.sent, ==, 6);
  messages = crm_test_smtp_messages (smtp);
  g_assert_cmpuint (messages->len, ==, 6);
  crm_test_smtp_free (smtp);
}

int
main (int   argc,
      char *argv[])
{
  crm_test_init (&argc, &argv);
  g_mime_init ();

  g_test_add_func ("/campaign/template", test_template);
  g_test_add_func ("/campaign/send", test_send);
  g_test_add_func ("/campaign/drop-resume", test_drop_resume);
  g_test_add_func ("/campaign/crash-in-sending", test_crash_in_sending);
  g_test_add_func ("/campaign/auth-starttls", test_auth_starttls);
  g_test_add_func ("/campaign/auth-tls", test_auth_tls);
  g_test_add_func ("/campaign/untrusted-certificate", test_untrusted_certificate);
  g_test_add_func ("/campaign/throttle", test_throttle);
  g_test_add_func ("/campaign/two-senders", test_two_senders);
  g_test_add_func ("/campaign/cancel", test_cancel);
  g_test_add_func ("/campaign/unsubscribe-attribution", test_unsubscribe_and_attribution);

  return g_test_run ();
}

/* test-cli-campaign.c: clientele-cli smtp and campaign against a real SMTP server (aiosmtpd)
 * with STARTTLS and AUTH, the password in a real keyring (GNOME Keyring in the test's own D-Bus
 * session).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include "crm-customer.h"
#include "crm-segment.h"
#include "crm-smtp-test-util.h"
#include "crm-test-util.h"
#include "sync/crm-sync-test-util.h"

static char *db_path;
static char *customer_uuid;

static void
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
  if (customer_uuid == NULL)
    customer_uuid = g_strdup (crm_entity_get_uuid (CRM_ENTITY (c)));
}

static void
make_shop (void)
{
  g_autoptr(CrmStore) store = crm_test_store_new (&db_path);
  g_autoptr(CrmSegment) s = crm_segment_new ();
  g_autoptr(GError) error = NULL;

  add_customer (store, "王芳", "wang@example.com", TRUE, "上海");
  add_customer (store, "Li Lei", "li@example.com", TRUE, "上海");
  add_customer (store, "Zoë", "zoe@example.com", TRUE, "上海");
  add_customer (store, "No Consent", "nc@example.com", FALSE, "上海");
  add_customer (store, "No Address", NULL, TRUE, "上海");
  crm_segment_set_name (s, "上海客户");
  crm_segment_set_rule (s, "{\"match\":\"all\",\"rules\":[{\"field\":\"city\",\"op\":\"is\",\"value\":\"上海\"}]}");
  g_assert_true (crm_store_insert (store, CRM_ENTITY (s), &error));
}

/* clientele-cli --database DB ARGS… with @input on standard input. */
static int
cli (const char  *input,
     char       **out,
     char       **err,
     ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;
  const char *a;

  g_ptr_array_add (args, "--database");
  g_ptr_array_add (args, db_path);
  va_start (ap, err);
  while ((a = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return crm_sync_test_cli (input, NULL, (const char *const *) args->pdata, out, err);
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
set_smtp (CrmTestSmtp *smtp,
          const char  *password)
{
  g_autofree char *port = g_strdup_printf ("%u", smtp->port);
  g_autofree char *input = g_strdup_printf ("%s\n", password);
  g_autofree char *err = NULL;

  g_assert_cmpint (cli (input, NULL, &err, "smtp", "set", "--host", "127.0.0.1", "--port", port,
                        "--security", "starttls", "--user", "shop", "--password-stdin",
                        "--from", "茶叶小铺 <shop@example.com>", "--ca-file", smtp->certificate, NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
}

static void
test_cli (void)
{
  const char *extra[] = { "--auth", "shop:s3cret", "--starttls", "@CERT", "@KEY", NULL };
  CrmTestSmtp *smtp = crm_test_smtp_start (extra);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *body = g_build_filename (crm_test_tmp_dir (), "body.txt", NULL);
  g_autofree char *html = g_build_filename (crm_test_tmp_dir (), "body.html", NULL);
  g_autofree char *unsub = g_build_filename (crm_test_tmp_dir (), "unsub.csv", NULL);
  g_autoptr(GPtrArray) messages = NULL;
  char *out = NULL, *err = NULL;
  JsonObject *o;

  g_assert_true (crm_sync_test_keyring_start ());
  make_shop ();
  g_assert_true (g_file_set_contents (body, "亲爱的{{name}}：新茶到了。\n{{shop}}\n", -1, NULL));
  g_assert_true (g_file_set_contents (html, "<p>亲爱的{{name}}：新茶到了。</p>", -1, NULL));

  /* Not set up yet: a clear error. */
  g_assert_cmpint (cli (NULL, &out, &err, "smtp", "show", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "smtp set"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  set_smtp (smtp, "s3cret");
  /* The password is in the keyring, not in the database. */
  g_assert_false (crm_sync_test_file_contains (db_path, "s3cret"));
  g_assert_cmpint (cli (NULL, &out, &err, "smtp", "show", "--json", NULL), ==, 0);
  o = parse_object (parser, out);
  g_assert_cmpstr (json_object_get_string_member (o, "security"), ==, "starttls");
  g_assert_cmpstr (json_object_get_string_member (o, "from"), ==, "茶叶小铺 <shop@example.com>");
  g_assert_null (strstr (out, "s3cret"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* An unknown field is refused at once, naming it. */
  g_assert_cmpint (cli (NULL, &out, &err, "campaign", "create", "坏", "--segment", "上海客户",
                        "--subject", "Hi {{nmae}}", "--body-file", body, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "{{nmae}}"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cli (NULL, &out, &err, "campaign", "create", "春茶", "--segment", "上海客户",
                        "--subject", "{{name}}，春茶上新", "--body-file", body, "--html-file", html, NULL), ==, 0);
  g_assert_cmpuint (strlen (g_strstrip (out)), ==, 36);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cli (NULL, &out, &err, "campaign", "preview", "春茶", "--customer", customer_uuid, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Subject: 王芳，春茶上新\n"));
  g_assert_nonnull (strstr (out, "亲爱的王芳：新茶到了。\n茶叶小铺\n"));
  g_assert_nonnull (strstr (out, "unsubscribe-"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A test send to yourself: one message to that address, the campaign still a draft. */
  g_assert_cmpint (cli (NULL, &out, &err, "campaign", "test", "春茶", "--customer", customer_uuid,
                        "--to", "owner@example.com", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  messages = crm_test_smtp_messages (smtp);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_cmpstr (((CrmTestSmtpMessage *) g_ptr_array_index (messages, 0))->rcpt_to[0], ==, "owner@example.com");
  g_assert_nonnull (strstr (((CrmTestSmtpMessage *) g_ptr_array_index (messages, 0))->data, "unsubscribe-TEST"));
  g_clear_pointer (&messages, g_ptr_array_unref);
  g_assert_cmpint (cli (NULL, &out, &err, "campaign", "status", "春茶", "--json", NULL), ==, 0);
  o = parse_object (parser, out);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "draft");
  g_assert_cmpint (json_object_get_int_member (o, "recipients"), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cli (NULL, &out, &err, "campaign", "send", "春茶", "--json", NULL), ==, 0);
  o = parse_object (parser, out);
  g_assert_cmpint (json_object_get_int_member (o, "sent"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "failed"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (o, "skipped_no_consent"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "skipped_no_address"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "skipped_unsubscribed"), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  messages = crm_test_smtp_messages (smtp);
  g_assert_cmpuint (messages->len, ==, 4);

  g_assert_cmpint (cli (NULL, &out, &err, "campaign", "status", "春茶", "--json", "--recipients", NULL), ==, 0);
  o = parse_object (parser, out);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "sent");
  g_assert_cmpstr (json_object_get_string_member (o, "segment"), ==, "上海客户");
  g_assert_cmpint (json_object_get_int_member (o, "attribution_days"), ==, 7);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "recipients")), ==, 5);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cli (NULL, &out, &err, "campaign", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "春茶"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Unsubscribes: one address; the next campaign skips it as unsubscribed. */
  g_assert_true (g_file_set_contents (unsub, "email\nli@example.com\nnobody@example.com\n", -1, NULL));
  g_assert_cmpint (cli (NULL, &out, &err, "campaign", "unsubscribe", unsub, "--json", NULL), ==, 0);
  o = parse_object (parser, out);
  g_assert_cmpint (json_object_get_int_member (o, "unsubscribed"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "unknown"), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A wrong password: a clear error, nothing sent. */
  set_smtp (smtp, "wrong");
  g_assert_cmpint (cli (NULL, &out, &err, "campaign", "create", "秋茶", "--segment", "上海客户",
                        "--subject", "秋茶", "--body-file", body, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (NULL, &out, &err, "campaign", "send", "秋茶", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "refused the user name or password"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  set_smtp (smtp, "s3cret");
  g_assert_cmpint (cli (NULL, &out, &err, "campaign", "send", "秋茶", "--json", NULL), ==, 0);
  o = parse_object (parser, out);
  g_assert_cmpint (json_object_get_int_member (o, "sent"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (o, "skipped_unsubscribed"), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&messages, g_ptr_array_unref);
  messages = crm_test_smtp_messages (smtp);
  g_assert_cmpuint (messages->len, ==, 6);

  crm_test_smtp_free (smtp);
}

int
main (int   argc,
      char *argv[])
{
  int rc;

  crm_test_init (&argc, &argv);
  g_test_add_func ("/cli/campaign", test_cli);
  rc = g_test_run ();
  crm_sync_test_keyring_stop ();
  return rc;
}

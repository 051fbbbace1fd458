/* bench-campaign.c: an e-mail campaign of N messages (default 10,000) to a local SMTP sink
 * (tests/campaign/smtp-sink.py --count-only, aiosmtpd), over one reused connection with no
 * throttle: messages per second, each with its 'sending' and 'sent' states committed.
 *
 *   build/bench/bench-campaign [N]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>

#include "crm-campaigns.h"
#include "crm-customer.h"
#include "crm-segment.h"

static GSubprocess *
start_sink (const char *dir,
            guint16    *port)
{
  g_autofree char *script = g_build_filename (CRM_SOURCE_ROOT, "tests", "campaign", "smtp-sink.py", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  GSubprocess *proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                        "/usr/bin/python3", script, "--count-only", "--store", dir, NULL);

  if (proc == NULL)
    g_error ("%s", error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "READY "))
    g_error ("the sink did not start");
  *port = (guint16) g_ascii_strtoull (line + 6, NULL, 10);
  return proc;
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 10000;
  g_autofree char *dir = g_dir_make_tmp ("bench-campaign-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bench.db", NULL);
  g_autofree char *sink_dir = g_build_filename (dir, "sink", NULL);
  g_autofree char *count_path = g_build_filename (sink_dir, "count", NULL);
  g_autofree char *count = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = NULL;
  g_autoptr(CrmSegment) seg = crm_segment_new ();
  g_autoptr(CrmCampaign) c = NULL;
  g_autoptr(GSubprocess) sink = NULL;
  CrmSmtpSettings settings = { 0 };
  CrmCampaignStats st;
  gint64 t0, t1, t2;
  guint16 port;

  g_mkdir_with_parents (sink_dir, 0700);
  sink = start_sink (sink_dir, &port);
  if (!(store = crm_store_open (path, &error)) || !crm_store_begin (store, &error))
    g_error ("%s", error->message);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrmCustomer) cu = crm_customer_new ();
      g_autofree char *name = g_strdup_printf ("客户 %u", i);
      g_autofree char *email = g_strdup_printf ("c%u@example.com", i);

      crm_customer_set_name (cu, name);
      crm_customer_set_email (cu, email);
      crm_customer_set_email_consent (cu, TRUE);
      crm_customer_set_city (cu, "bench");
      if (!crm_store_insert (store, CRM_ENTITY (cu), &error))
        g_error ("%s", error->message);
    }
  crm_segment_set_name (seg, "bench");
  crm_segment_set_rule (seg, "{\"match\":\"all\",\"rules\":[{\"field\":\"city\",\"op\":\"is\",\"value\":\"bench\"}]}");
  if (!crm_store_insert (store, CRM_ENTITY (seg), &error) || !crm_store_commit (store, &error) ||
      !(c = crm_campaign_create (store, "bench", "bench", "{{name}}，春茶上新 🍵",
                                 "亲爱的{{name}}：\n新茶到了，欢迎光临{{shop}}。\n",
                                 "<p>亲爱的{{name}}：</p><p>新茶到了，欢迎光临{{shop}}。</p>", &error)))
    g_error ("%s", error->message);

  settings.host = "127.0.0.1";
  settings.port = port;
  settings.security = CRM_SMTP_NONE;
  settings.from = "茶叶小铺 <shop@example.com>";
  settings.from_name = "茶叶小铺";
  settings.from_address = "shop@example.com";

  t0 = g_get_monotonic_time ();
  if (!crm_campaign_send (store, c, &settings, NULL, NULL, NULL, &st, &error))
    g_error ("%s", error->message);
  t1 = g_get_monotonic_time ();
  /* The sink writes its count after each message: wait for the last. */
  for (guint i = 0; i < 500; i++)
    {
      g_clear_pointer (&count, g_free);
      if (g_file_get_contents (count_path, &count, NULL, NULL) && g_ascii_strtoull (count, NULL, 10) == n)
        break;
      g_usleep (10000);
    }
  t2 = g_get_monotonic_time ();
  printf ("campaign of %u messages (%" G_GINT64_FORMAT " sent, sink received %s): %.2f s, %.0f messages/s\n",
          n, st.sent, count ? count : "0", (t1 - t0) / 1e6, st.sent / ((t1 - t0) / 1e6));
  printf ("until the sink had the last: %.2f s\n", (t2 - t0) / 1e6);

  g_subprocess_send_signal (sink, SIGTERM);
  g_subprocess_wait (sink, NULL, NULL);
  g_object_unref (store);
  store = NULL;
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    if (system (cmd) != 0)
      return 1;
  }
  return st.sent == n ? 0 : 1;
}

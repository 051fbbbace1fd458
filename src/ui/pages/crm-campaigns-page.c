/* crm-campaigns-page.c
 *
 * The campaigns and their counts, a campaign's recipients and a segment's first customers are
 * read by jobs with their own read-only connections; sending is a job with its own writing
 * connection (crm_campaign_send_async), which commits every recipient as it goes, so Cancel stops
 * the run between two messages and what was sent stays sent.  The preview of New Campaign… is
 * made on the main thread from the form: one customer read by id and the tiers (a few rows).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "crm-campaign-jobs.h"
#include "crm-campaigns-page-private.h"
#include "crm-format.h"
#include "crm-mail.h"
#include "crm-segment.h"
#include "crm-ui-util.h"

/* The preview offers the first customers of the segment, by name. */
#define SAMPLE_SIZE 50
/* A campaign's recipients shown at most (the counts above the list cover them all). */
#define RECIPIENTS_SHOWN 500

struct _CrmCampaignsPage
{
  AdwBin             parent_instance;

  CrmSession        *session;
  CrmStore          *store;
  GCancellable      *load_cancellable;
  GCancellable      *recipients_cancellable;
  GCancellable      *sample_cancellable;
  GCancellable      *send_cancellable;
  GPtrArray         *summaries;     /* CrmCampaignSummary, as listed */
  GPtrArray         *sample;        /* CrmCampaignRecipient of the dialog's segment */
  char              *selected;      /* uuid of the campaign shown */
  char              *preview_text;
  gboolean           folded;

  /* template children */
  AdwHeaderBar      *header;
  GtkWidget         *back_button;
  GtkRevealer       *progress_revealer;
  GtkProgressBar    *progress_bar;
  AdwStatusPage     *empty_page;
  GtkListBox        *campaign_list;
  AdwPreferencesGroup *detail_group;
  GtkLabel          *detail_label;
  GtkListBox        *recipient_list;
  GtkWindow         *new_dialog;
  AdwEntryRow       *name_row;
  AdwComboRow       *segment_row;
  GtkStringList     *segment_names;
  AdwEntryRow       *subject_row;
  GtkTextView       *body_view;
  GtkTextView       *html_view;
  AdwComboRow       *recipient_row;
  GtkStringList     *recipient_names;
  GtkLabel          *preview_label;
  GtkWidget         *create_button;
};

G_DEFINE_FINAL_TYPE (CrmCampaignsPage, crm_campaigns_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_preview (CrmCampaignsPage *self);

/* Words ------------------------------------------------------------------------------------ */

static const char *
campaign_status_label (const char *status)
{
  if (g_strcmp0 (status, "sending") == 0)
    /* Translators: a campaign whose sending started and is not finished. */
    return C_("campaign", "Sending");
  if (g_strcmp0 (status, "sent") == 0)
    return C_("campaign", "Sent");
  return C_("campaign", "Draft");
}

static const char *
recipient_status_label (const char *status)
{
  static const struct { const char *status; const char *label; } labels[] = {
    { "queued", N_("Waiting") },
    { "sending", N_("Sending") },
    { "sent", N_("Sent") },
    { "failed", N_("Failed") },
    { "skipped_no_consent", N_("Skipped: no consent") },
    { "skipped_no_address", N_("Skipped: no e-mail address") },
    { "skipped_unsubscribed", N_("Skipped: unsubscribed") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (status, labels[i].status) == 0)
      return _(labels[i].label);
  return status;
}

static char *
describe_counts (CrmCampaignsPage       *self,
                 const CrmCampaignStats *st)
{
  g_autofree char *currency = self->store ? crm_store_get_setting (self->store, "currency") : NULL;
  g_autofree char *revenue = crm_format_money (st->revenue, currency ? currency : crm_ui_locale_currency ());
  g_autofree char *sent = crm_format_count (st->sent);
  g_autofree char *failed = crm_format_count (st->failed);
  g_autofree char *conversions = crm_format_count (st->conversions);

  /* Translators: a campaign's counts in the list: sent, failed, conversions, revenue. */
  return g_strdup_printf (_("Sent %s · Failed %s · Conversions %s · Revenue %s"), sent, failed, conversions, revenue);
}

/* The list ------------------------------------------------------------------------------- */

static CrmCampaignSummary *
selected_summary (CrmCampaignsPage *self)
{
  for (guint i = 0; self->summaries && i < self->summaries->len; i++)
    {
      CrmCampaignSummary *s = g_ptr_array_index (self->summaries, i);

      if (g_strcmp0 (crm_entity_get_uuid (CRM_ENTITY (s->campaign)), self->selected) == 0)
        return s;
    }
  return NULL;
}

static void
on_recipients_loaded (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CrmCampaignsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) recipients = crm_campaign_recipients_finish (result, &error);
  GtkWidget *child;

  if (recipients == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recipient_list))) != NULL)
    gtk_list_box_remove (self->recipient_list, child);
  for (guint i = 0; i < recipients->len && i < RECIPIENTS_SHOWN; i++)
    {
      CrmCampaignRecipient *r = g_ptr_array_index (recipients, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *status = gtk_label_new (recipient_status_label (r->status));
      g_autofree char *title = g_markup_escape_text (r->name ? r->name : "", -1);
      g_autofree char *subtitle = g_markup_escape_text (r->reason ? r->reason : (r->email ? r->email : ""), -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
      if (g_strcmp0 (r->status, "failed") == 0)
        gtk_widget_add_css_class (status, "error");
      else if (g_str_has_prefix (r->status, "skipped"))
        gtk_widget_add_css_class (status, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), status);
      gtk_list_box_append (self->recipient_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->recipient_list), recipients->len > 0);
}

static void
show_detail (CrmCampaignsPage *self)
{
  CrmCampaignSummary *s = selected_summary (self);
  g_autofree char *counts = NULL;
  g_autofree char *text = NULL;
  g_autofree char *queued = NULL;
  g_autofree char *no_consent = NULL;
  g_autofree char *no_address = NULL;
  g_autofree char *unsubscribed = NULL;
  const CrmCampaignStats *st;

  gtk_widget_set_visible (GTK_WIDGET (self->detail_group), s != NULL);
  if (s == NULL)
    return;
  st = &s->stats;
  counts = describe_counts (self, st);
  /* Translators: a campaign's detail: its segment, subject, status, counts, then how many were
   * skipped for each reason and the days orders are counted after the send. */
  queued = crm_format_count (st->queued);
  no_consent = crm_format_count (st->skipped_no_consent);
  no_address = crm_format_count (st->skipped_no_address);
  unsubscribed = crm_format_count (st->skipped_unsubscribed);
  text = g_strdup_printf (_("Segment: %s\nSubject: %s\nStatus: %s\n%s\nWaiting %s · Skipped: %s without consent, "
                            "%s without an address, %s unsubscribed\n"
                            "Conversions are orders within %u days of the message."),
                          s->segment ? s->segment : _("(deleted)"), crm_campaign_get_subject (s->campaign),
                          campaign_status_label (crm_campaign_get_status (s->campaign)), counts, queued,
                          no_consent, no_address, unsubscribed, st->days);
  adw_preferences_group_set_title (self->detail_group, crm_campaign_get_name (s->campaign));
  gtk_label_set_text (self->detail_label, text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "campaigns.send",
                                 self->send_cancellable == NULL &&
                                 g_strcmp0 (crm_campaign_get_status (s->campaign), "sent") != 0);

  g_cancellable_cancel (self->recipients_cancellable);
  g_clear_object (&self->recipients_cancellable);
  self->recipients_cancellable = g_cancellable_new ();
  crm_campaign_recipients_async (self->session, self->selected, self->recipients_cancellable,
                                 on_recipients_loaded, g_object_ref (self));
}

static void
on_campaign_selected (CrmCampaignsPage *self,
                      GtkListBoxRow    *row)
{
  if (row == NULL)
    return;
  g_free (self->selected);
  self->selected = g_strdup (g_object_get_data (G_OBJECT (row), "uuid"));
  show_detail (self);
}

static void
fill_list (CrmCampaignsPage *self)
{
  GtkWidget *child;
  GtkListBoxRow *select = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->campaign_list))) != NULL)
    gtk_list_box_remove (self->campaign_list, child);
  for (guint i = 0; i < self->summaries->len; i++)
    {
      CrmCampaignSummary *s = g_ptr_array_index (self->summaries, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = g_markup_escape_text (crm_campaign_get_name (s->campaign), -1);
      g_autofree char *counts = describe_counts (self, &s->stats);
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", campaign_status_label (crm_campaign_get_status (s->campaign)),
                                                   counts);
      const char *uuid = crm_entity_get_uuid (CRM_ENTITY (s->campaign));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      g_object_set_data_full (G_OBJECT (row), "uuid", g_strdup (uuid), g_free);
      gtk_list_box_append (self->campaign_list, row);
      if (g_strcmp0 (uuid, self->selected) == 0)
        select = GTK_LIST_BOX_ROW (row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->empty_page), self->summaries->len == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->campaign_list), self->summaries->len > 0);
  if (select != NULL)
    gtk_list_box_select_row (self->campaign_list, select);
  else
    show_detail (self);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CrmCampaignsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *summaries = crm_campaigns_load_finish (result, &error);

  if (summaries == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }
  g_clear_object (&self->load_cancellable);
  g_clear_pointer (&self->summaries, g_ptr_array_unref);
  self->summaries = summaries;
  fill_list (self);
}

void
crm_campaigns_page_reload (CrmCampaignsPage *self)
{
  g_return_if_fail (CRM_IS_CAMPAIGNS_PAGE (self));

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (self->store == NULL)
    {
      g_clear_pointer (&self->summaries, g_ptr_array_unref);
      self->summaries = g_ptr_array_new ();
      fill_list (self);
      return;
    }
  self->load_cancellable = g_cancellable_new ();
  crm_campaigns_load_async (self->session, self->load_cancellable, on_loaded, g_object_ref (self));
}

gboolean
crm_campaigns_page_get_loading (CrmCampaignsPage *self)
{
  g_return_val_if_fail (CRM_IS_CAMPAIGNS_PAGE (self), FALSE);

  return self->load_cancellable != NULL;
}

/* New Campaign… ------------------------------------------------------------------------- */

static char *
text_view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static char *
selected_segment (CrmCampaignsPage *self)
{
  guint i = adw_combo_row_get_selected (self->segment_row);

  if (i == GTK_INVALID_LIST_POSITION || i >= g_list_model_get_n_items (G_LIST_MODEL (self->segment_names)))
    return NULL;
  return g_strdup (gtk_string_list_get_string (self->segment_names, i));
}

static void
set_preview (CrmCampaignsPage *self,
             const char       *text,
             gboolean          error)
{
  g_free (self->preview_text);
  self->preview_text = g_strdup (text);
  gtk_label_set_text (self->preview_label, text);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->preview_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->preview_label), "error");
}

/* Checks the fields of the form; the message of the first problem, or NULL. */
static char *
form_problem (CrmCampaignsPage *self,
              const char       *subject,
              const char       *body,
              const char       *html)
{
  g_autoptr(GError) error = NULL;

  if (!crm_mail_template_check (subject, _("the subject"), &error) ||
      !crm_mail_template_check (body, _("the message"), &error) ||
      !crm_mail_template_check (html, _("the HTML message"), &error))
    return g_strdup (error->message);
  return NULL;
}

static void
update_preview (CrmCampaignsPage *self)
{
  g_autofree char *body = text_view_text (self->body_view);
  g_autofree char *html = text_view_text (self->html_view);
  g_autofree char *segment = selected_segment (self);
  g_autofree char *problem = NULL;
  const char *subject = gtk_editable_get_text (GTK_EDITABLE (self->subject_row));
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  guint i = adw_combo_row_get_selected (self->recipient_row);
  gboolean complete = name[0] != '\0' && segment != NULL && subject[0] != '\0' && body[0] != '\0';

  problem = form_problem (self, subject, body, html[0] ? html : NULL);
  gtk_widget_set_sensitive (self->create_button, complete && problem == NULL);
  if (problem != NULL)
    {
      set_preview (self, problem, TRUE);
      return;
    }
  if (self->sample == NULL || i == GTK_INVALID_LIST_POSITION || i >= self->sample->len)
    {
      set_preview (self, segment ? _("The segment has no customers to preview for.") : _("Choose a segment."), FALSE);
      return;
    }
  {
    CrmCampaignRecipient *r = g_ptr_array_index (self->sample, i);
    g_autoptr(CrmCampaign) draft = crm_campaign_new ();
    g_autoptr(CrmSmtpSettings) settings = crm_smtp_settings_load (self->store, NULL);
    g_autoptr(CrmCampaignPreview) p = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *text = NULL;

    crm_campaign_set_subject (draft, subject);
    crm_campaign_set_body (draft, body);
    crm_campaign_set_html_body (draft, html[0] ? html : NULL);
    if (!(p = crm_campaign_preview (self->store, draft, r->customer_id, settings, &error)))
      {
        set_preview (self, error->message, TRUE);
        return;
      }
    /* Translators: the preview of a campaign e-mail: recipient, subject, then the message. */
    text = g_strdup_printf (_("To: %s\nSubject: %s\n\n%s"), p->to, p->subject, p->text);
    set_preview (self, text, FALSE);
  }
}

static void
on_sample_loaded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CrmCampaignsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *sample = crm_campaign_sample_finish (result, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  if (sample == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->sample_cancellable);
  g_clear_pointer (&self->sample, g_ptr_array_unref);
  self->sample = sample;
  for (guint i = 0; sample != NULL && i < sample->len; i++)
    {
      CrmCampaignRecipient *r = g_ptr_array_index (sample, i);
      g_ptr_array_add (names, r->email ? g_strdup_printf ("%s <%s>", r->name, r->email) : g_strdup (r->name));
    }
  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (self->recipient_names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->recipient_names)),
                          (const char *const *) names->pdata);
  if (error != NULL)
    set_preview (self, error->message, TRUE);
  else
    update_preview (self);
}

static void
on_segment_changed (CrmCampaignsPage *self)
{
  g_autofree char *segment = selected_segment (self);

  g_cancellable_cancel (self->sample_cancellable);
  g_clear_object (&self->sample_cancellable);
  if (segment == NULL || self->session == NULL)
    {
      update_preview (self);
      return;
    }
  self->sample_cancellable = g_cancellable_new ();
  crm_campaign_sample_async (self->session, segment, SAMPLE_SIZE, self->sample_cancellable, on_sample_loaded,
                             g_object_ref (self));
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  CrmCampaignsPage *self = CRM_CAMPAIGNS_PAGE (widget);
  g_autoptr(GPtrArray) segments = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  if (self->store == NULL || !(segments = crm_store_list_all (self->store, CRM_TYPE_SEGMENT, "position", NULL)))
    return;
  for (guint i = 0; i < segments->len; i++)
    g_ptr_array_add (names, (gpointer) crm_segment_get_name (g_ptr_array_index (segments, i)));
  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (self->segment_names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->segment_names)),
                          (const char *const *) names->pdata);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->subject_row), "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view), "", -1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->html_view), "", -1);
  gtk_window_set_transient_for (self->new_dialog, GTK_WINDOW (gtk_widget_get_root (widget)));
  on_segment_changed (self);
  if (segments->len == 0)
    set_preview (self, _("Save a segment first: a campaign is sent to a saved segment."), TRUE);
  gtk_window_present (self->new_dialog);
}

static void
on_new_cancel (CrmCampaignsPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->new_dialog), FALSE);
}

static void
on_new_create (CrmCampaignsPage *self)
{
  g_autofree char *body = text_view_text (self->body_view);
  g_autofree char *html = text_view_text (self->html_view);
  g_autofree char *segment = selected_segment (self);
  g_autoptr(CrmCampaign) c = NULL;
  g_autoptr(GError) error = NULL;

  c = crm_campaign_create (self->store, gtk_editable_get_text (GTK_EDITABLE (self->name_row)), segment,
                           gtk_editable_get_text (GTK_EDITABLE (self->subject_row)), body, html[0] ? html : NULL,
                           &error);
  if (c == NULL)
    {
      set_preview (self, error->message, TRUE);
      return;
    }
  g_free (self->selected);
  self->selected = g_strdup (crm_entity_get_uuid (CRM_ENTITY (c)));
  gtk_widget_set_visible (GTK_WIDGET (self->new_dialog), FALSE);
  crm_campaigns_page_reload (self);
}

/* Sending -------------------------------------------------------------------------------- */

static void
set_sending (CrmCampaignsPage *self,
             gboolean          sending)
{
  gtk_revealer_set_reveal_child (self->progress_revealer, sending);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "campaigns.cancel", sending);
  if (sending)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "campaigns.send", FALSE);
}

static void
on_send_progress (const CrmJobProgress *progress,
                  gpointer              user_data)
{
  CrmCampaignsPage *self = user_data;

  if (progress->fraction >= 0)
    gtk_progress_bar_set_fraction (self->progress_bar, progress->fraction);
  if (progress->text != NULL)
    gtk_progress_bar_set_text (self->progress_bar, progress->text);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CrmCampaignsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree CrmCampaignStats *st = crm_campaign_send_finish (result, &error);
  g_autofree char *text = NULL;

  g_clear_object (&self->send_cancellable);
  set_sending (self, FALSE);
  if (st != NULL)
    {
      g_autofree char *sent = crm_format_count (st->sent);
      g_autofree char *failed = crm_format_count (st->failed);

      /* Translators: after a campaign was sent: sent, then failed. */
      text = g_strdup_printf (_("Campaign sent: %s sent, %s failed"), sent, failed);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    text = g_strdup (_("Sending stopped; Send continues with the recipients left"));
  else
    text = g_strdup_printf (_("Sending stopped: %s"), error->message);
  crm_ui_show_toast (GTK_WIDGET (self), adw_toast_new (text));
  crm_campaigns_page_reload (self);
}

static void
on_send_response (CrmCampaignsPage *self,
                  const char       *response)
{
  if (!g_str_equal (response, "send") || self->selected == NULL || self->send_cancellable != NULL)
    return;
  self->send_cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, _("Connecting to the mail server…"));
  set_sending (self, TRUE);
  crm_campaign_send_async (self->session, self->selected, self->send_cancellable, on_send_progress, self, on_sent,
                           g_object_ref (self));
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmCampaignsPage *self = CRM_CAMPAIGNS_PAGE (widget);
  CrmCampaignSummary *s = selected_summary (self);
  AdwMessageDialog *dialog;

  if (s == NULL)
    return;
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), NULL, NULL));
  adw_message_dialog_format_heading (dialog, _("Send “%s”?"), crm_campaign_get_name (s->campaign));
  adw_message_dialog_format_body (dialog, _("It goes to the customers of “%s” who agreed to marketing e-mail, "
                                            "through the mail server set in Preferences. A sent e-mail cannot be "
                                            "called back."),
                                  s->segment ? s->segment : "");
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "send", _("_Send"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "send", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_send_response), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_cancellable_cancel (CRM_CAMPAIGNS_PAGE (widget)->send_cancellable);
}

/* Session -------------------------------------------------------------------------------- */

void
crm_campaigns_page_set_session (CrmCampaignsPage *self,
                                CrmSession       *session)
{
  g_return_if_fail (CRM_IS_CAMPAIGNS_PAGE (self));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  g_clear_object (&self->store);
  if (session != NULL && crm_session_get_store (session) != NULL)
    self->store = g_object_ref (crm_session_get_store (session));
  g_clear_pointer (&self->selected, g_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "campaigns.new", self->store != NULL);
  crm_campaigns_page_reload (self);
  if (self->store == NULL)
    return;
  /* Conversions follow orders; consent and names follow customers. */
  g_signal_connect_object (session, "orders-changed", G_CALLBACK (crm_campaigns_page_reload), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "customers-changed", G_CALLBACK (crm_campaigns_page_reload), self,
                           G_CONNECT_SWAPPED);
}

void
crm_campaigns_page_set_folded (CrmCampaignsPage *self,
                               gboolean          folded)
{
  g_return_if_fail (CRM_IS_CAMPAIGNS_PAGE (self));

  crm_ui_page_set_folded (G_OBJECT (self), properties[PROP_FOLDED], &self->folded, folded,
                          self->back_button, self->header);
}

/* Test accessors ------------------------------------------------------------------------- */

GtkWindow *crm_campaigns_page_get_new_dialog (CrmCampaignsPage *self) { return self->new_dialog; }
AdwEntryRow *crm_campaigns_page_get_name_row (CrmCampaignsPage *self) { return self->name_row; }
AdwEntryRow *crm_campaigns_page_get_subject_row (CrmCampaignsPage *self) { return self->subject_row; }
AdwComboRow *crm_campaigns_page_get_segment_row (CrmCampaignsPage *self) { return self->segment_row; }
AdwComboRow *crm_campaigns_page_get_recipient_row (CrmCampaignsPage *self) { return self->recipient_row; }
GtkTextView *crm_campaigns_page_get_body_view (CrmCampaignsPage *self) { return self->body_view; }
GtkWidget *crm_campaigns_page_get_create_button (CrmCampaignsPage *self) { return self->create_button; }
const char *crm_campaigns_page_get_preview_text (CrmCampaignsPage *self) { return self->preview_text; }
GtkListBox *crm_campaigns_page_get_campaign_list (CrmCampaignsPage *self) { return self->campaign_list; }
GtkListBox *crm_campaigns_page_get_recipient_list (CrmCampaignsPage *self) { return self->recipient_list; }
gboolean crm_campaigns_page_get_sampling (CrmCampaignsPage *self) { return self->sample_cancellable != NULL; }

/* GObject -------------------------------------------------------------------------------- */

static void
crm_campaigns_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CrmCampaignsPage *self = CRM_CAMPAIGNS_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_campaigns_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CrmCampaignsPage *self = CRM_CAMPAIGNS_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      crm_campaigns_page_set_folded (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_campaigns_page_dispose (GObject *object)
{
  CrmCampaignsPage *self = CRM_CAMPAIGNS_PAGE (object);

  g_cancellable_cancel (self->load_cancellable);
  g_cancellable_cancel (self->recipients_cancellable);
  g_cancellable_cancel (self->sample_cancellable);
  g_cancellable_cancel (self->send_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->recipients_cancellable);
  g_clear_object (&self->sample_cancellable);
  g_clear_object (&self->send_cancellable);
  if (self->new_dialog != NULL)
    gtk_window_destroy (self->new_dialog);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_CAMPAIGNS_PAGE);
  self->new_dialog = NULL;
  g_clear_object (&self->session);
  g_clear_object (&self->store);
  g_clear_pointer (&self->summaries, g_ptr_array_unref);
  g_clear_pointer (&self->sample, g_ptr_array_unref);
  g_clear_pointer (&self->selected, g_free);
  g_clear_pointer (&self->preview_text, g_free);

  G_OBJECT_CLASS (crm_campaigns_page_parent_class)->dispose (object);
}

static void
crm_campaigns_page_class_init (CrmCampaignsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = crm_campaigns_page_get_property;
  object_class->set_property = crm_campaigns_page_set_property;
  object_class->dispose = crm_campaigns_page_dispose;

  /* Set by the window: the sidebar is folded away, so show a back button. */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/clientele/Clientele/ui/crm-campaigns-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmCampaignsPage, header);
  gtk_widget_class_bind_template_child (widget_class, CrmCampaignsPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCampaignsPage, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, CrmCampaignsPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CrmCampaignsPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CrmCampaignsPage, campaign_list);
  gtk_widget_class_bind_template_child (widget_class, CrmCampaignsPage, detail_group);
  gtk_widget_class_bind_template_child (widget_class, CrmCampaignsPage, detail_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCampaignsPage, recipient_list);
  gtk_widget_class_bind_template_child (widget_class, CrmCampaignsPage, new_dialog);
  gtk_widget_class_bind_template_child (widget_class, CrmCampaignsPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCampaignsPage, segment_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCampaignsPage, segment_names);
  gtk_widget_class_bind_template_child (widget_class, CrmCampaignsPage, subject_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCampaignsPage, body_view);
  gtk_widget_class_bind_template_child (widget_class, CrmCampaignsPage, html_view);
  gtk_widget_class_bind_template_child (widget_class, CrmCampaignsPage, recipient_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCampaignsPage, recipient_names);
  gtk_widget_class_bind_template_child (widget_class, CrmCampaignsPage, preview_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCampaignsPage, create_button);
  gtk_widget_class_bind_template_callback (widget_class, on_campaign_selected);
  gtk_widget_class_bind_template_callback (widget_class, update_preview);
  gtk_widget_class_bind_template_callback (widget_class, on_segment_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_new_cancel);
  gtk_widget_class_bind_template_callback (widget_class, on_new_create);

  gtk_widget_class_install_action (widget_class, "campaigns.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "campaigns.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "campaigns.cancel", NULL, cancel_action);
}

static void
crm_campaigns_page_init (CrmCampaignsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->summaries = g_ptr_array_new ();
  /* The body's edits update the preview as the subject's do. */
  g_signal_connect_object (gtk_text_view_get_buffer (self->body_view), "changed", G_CALLBACK (update_preview), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->html_view), "changed", G_CALLBACK (update_preview), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "campaigns.new", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "campaigns.send", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "campaigns.cancel", FALSE);
}

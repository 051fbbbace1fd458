/* crm-consent.h: marketing consent per channel, as a history of grants and withdrawals.
 *
 * The current state of a channel is its last entry (by time, then by when it was recorded);
 * no entry is no consent.  For e-mail and SMS the customer's email_consent/sms_consent fields
 * follow the current state in the same transaction (journaled like any edit), since rules,
 * segments and exports read those; and a change of those fields made any other way (the form,
 * clientele-cli edit, an import updating a customer) is recorded as an entry by a trigger
 * (customers_consent_au, source "form" or "import").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-store.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_CONSENT_EMAIL,
  CRM_CONSENT_SMS,
  CRM_CONSENT_PHONE,
  CRM_CONSENT_WECHAT,
  CRM_CONSENT_N_CHANNELS
} CrmConsentChannel;

typedef struct
{
  gint64             id;
  CrmConsentChannel  channel;
  gboolean           granted;
  gint64             at;            /* ms UTC: when it was given or withdrawn */
  char              *source;        /* form, import, unsubscribe, manual, migrated */
  char              *note;          /* or NULL */
  gint64             recorded_at;   /* ms UTC: when it was written here */
} CrmConsentEvent;

void         crm_consent_event_free        (CrmConsentEvent    *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmConsentEvent, crm_consent_event_free)

/* "email", "sms", "phone", "wechat". */
const char  *crm_consent_channel_to_string (CrmConsentChannel   channel);
gboolean     crm_consent_channel_parse     (const char         *text,
                                            CrmConsentChannel  *out);
/* The sources one may record: form, import, unsubscribe, manual. */
gboolean     crm_consent_source_is_valid   (const char         *source);

/* Appends an entry for customer @customer_id (live) at @at (ms UTC, not in the future; 0: now)
 * in one transaction; refused input fails with CRM_STORE_ERROR_INVALID or _NOT_FOUND. */
gboolean     crm_consent_record            (CrmStore           *store,
                                            gint64              customer_id,
                                            CrmConsentChannel   channel,
                                            gboolean            granted,
                                            gint64              at,
                                            const char         *source,
                                            const char         *note,
                                            GError            **error);
/* Every entry of the customer, oldest first (by time, then as recorded). */
GPtrArray   *crm_consent_history           (CrmStore           *store,
                                            gint64              customer_id,
                                            GError            **error);
/* The current state: TRUE when the last entry of @channel grants; *@out_at its time (0: no
 * entry at all). */
gboolean     crm_consent_current           (CrmStore           *store,
                                            gint64              customer_id,
                                            CrmConsentChannel   channel,
                                            gint64             *out_at,
                                            GError            **error);

/* An import's new customers @first_id…@last_id whose file granted e-mail or SMS consent: their
 * first history entries (source "import", at the file's consent time or @now_ms), in the
 * import's transaction. */
gboolean     crm_consent_add_imported      (CrmStore           *store,
                                            gint64              first_id,
                                            gint64              last_id,
                                            gint64              now_ms,
                                            GError            **error);

G_END_DECLS

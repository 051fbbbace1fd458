/* crm-text.h: text checks and normalisations shared by the store, search and importers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CRM_TEXT_ERROR (crm_text_error_quark ())

typedef enum
{
  CRM_TEXT_ERROR_INVALID_UTF8,
  CRM_TEXT_ERROR_TOO_LONG,
  CRM_TEXT_ERROR_CONTROL_CHARS,
  CRM_TEXT_ERROR_BAD_EMAIL,
  CRM_TEXT_ERROR_BAD_PHONE,
  CRM_TEXT_ERROR_BAD_DATE,
  CRM_TEXT_ERROR_INVISIBLE,
} CrmTextError;

/* A term or tag of @len bytes at @term; see crm_text_short_terms_foreach(). */
typedef void (*CrmTextTermFunc) (const char *term,
                                 gsize       len,
                                 gpointer    user_data);

GQuark    crm_text_error_quark        (void);

gboolean  crm_text_validate           (const char  *text,
                                       gssize       len,
                                       guint        max_chars,
                                       const char  *field_label,
                                       GError     **error);
/* A name must show something: text made only of spaces and zero-width or text-direction
 * characters (U+200B–U+200F, U+202A–U+202E, U+2060–U+2064, U+2066–U+2069, U+FEFF), with at
 * least one of the latter, is refused (CRM_TEXT_ERROR_INVISIBLE).  Empty or spaces alone pass:
 * whether the field may be empty is the caller's rule. */
gboolean  crm_text_is_invisible_char  (gunichar     c);
gboolean  crm_text_check_visible      (const char  *text,
                                       const char  *field_label,
                                       GError     **error);
char     *crm_text_phone_digits       (const char  *phone);
const char *crm_text_phone_extension  (const char  *phone);
char     *crm_text_phone_key          (const char  *phone);
char     *crm_text_reverse_ascii      (const char  *ascii);
char     *crm_text_email_key          (const char  *email);
const char *crm_text_email_domain     (const char  *email_key);
gboolean  crm_text_is_phone_query     (const char  *query);
gboolean  crm_text_is_cjk             (gunichar     c);
void      crm_text_short_terms        (const char  *text,
                                       GHashTable  *out_terms);
void      crm_text_short_terms_foreach (const char      *text,
                                        CrmTextTermFunc  func,
                                        gpointer         user_data);
char     *crm_text_fold               (const char  *text);
char     *crm_text_prefix_upper_bound (const char  *prefix);
void      crm_text_split_tags         (const char  *tags,
                                       GHashTable  *out_tags);
void      crm_text_split_tags_foreach (const char      *tags,
                                       CrmTextTermFunc  func,
                                       gpointer         user_data);
gboolean  crm_text_check_email        (const char  *email,
                                       GError     **error);
gboolean  crm_text_check_phone        (const char  *phone,
                                       GError     **error);
gboolean  crm_text_check_date         (const char  *iso_date,
                                       GError     **error);

G_END_DECLS

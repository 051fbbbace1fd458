/* crm-json.h: JSON text from outside the program (the database, the command line, the
 * network) parsed without letting its shape crash us.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deep enough for any JSON Clientele writes (settings, merge records, mappings). */
#define CRM_JSON_MAX_DEPTH 64

gboolean  crm_json_check_depth  (const char  *json,
                                 gssize       len,
                                 guint        max_depth);
gboolean  crm_json_load         (JsonParser  *parser,
                                 const char  *json,
                                 guint        max_depth,
                                 GError     **error);

G_END_DECLS

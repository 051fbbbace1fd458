/* crm-service-private.h: small helpers the service files share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-store.h"

G_BEGIN_DECLS

/* Column @col of the current row, copied (NULL for NULL). */
static inline char *
crm_service_column_text (sqlite3_stmt *stmt,
                         int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

/* Input refused with @message (CRM_STORE_ERROR_INVALID); FALSE. */
static inline gboolean
crm_service_refuse (GError     **error,
                    const char  *message)
{
  g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, message);
  return FALSE;
}

G_END_DECLS

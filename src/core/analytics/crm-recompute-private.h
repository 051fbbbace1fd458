/* crm-recompute-private.h: what the full pass and the one-customer path share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-recompute.h"

G_BEGIN_DECLS

#define DAY_MS (G_GINT64_CONSTANT (86400000))

/* Floor division, so orders before 1970 still land on the right day. */
static inline gint32
day_of (gint64 ms)
{
  return (gint32) (ms >= 0 ? ms / DAY_MS : -((-ms + DAY_MS - 1) / DAY_MS));
}

G_END_DECLS

/* crm-segment.h: a saved segment — a named rule over customers (see crm-rule.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-entity.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_SEGMENT_NAME,
  CRM_SEGMENT_RULE,
  CRM_SEGMENT_POSITION,
  CRM_SEGMENT_N_FIELDS
} CrmSegmentField;

#define CRM_TYPE_SEGMENT (crm_segment_get_type ())
G_DECLARE_FINAL_TYPE (CrmSegment, crm_segment, CRM, SEGMENT, CrmEntity)

CrmSegment *crm_segment_new (void);

CRM_ENTITY_DECLARE_STRING (CrmSegment, crm_segment, name)
CRM_ENTITY_DECLARE_STRING (CrmSegment, crm_segment, rule)
CRM_ENTITY_DECLARE_INT64 (CrmSegment, crm_segment, position)

G_END_DECLS

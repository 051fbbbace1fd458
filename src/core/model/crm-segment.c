/* crm-segment.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-segment.h"

#include <glib/gi18n-lib.h>

/* In the order of CrmSegmentField.  The rule is JSON, as crm_rule_to_json() writes it. */
static const CrmField fields[] = {
  { "name", G_TYPE_STRING, 200, CRM_FIELD_FLAG_REQUIRED, N_("Name") },
  { "rule", G_TYPE_STRING, 100000, CRM_FIELD_FLAG_REQUIRED, N_("Rule") },
  { "position", G_TYPE_INT64, 0, CRM_FIELD_FLAG_NONE, N_("Position") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (fields) == CRM_SEGMENT_N_FIELDS);

CRM_ENTITY_DEFINE_MODEL (CrmSegment, crm_segment, "segments", "segment", fields)

CRM_ENTITY_DEFINE_STRING (CrmSegment, crm_segment, name, CRM_SEGMENT_NAME)
CRM_ENTITY_DEFINE_STRING (CrmSegment, crm_segment, rule, CRM_SEGMENT_RULE)
CRM_ENTITY_DEFINE_INT64 (CrmSegment, crm_segment, position, CRM_SEGMENT_POSITION)

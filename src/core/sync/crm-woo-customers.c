/* crm-woo-customers.c: a shop's customer as the fields Clientele keeps of it, and back.
 *
 * name ↔ first_name + last_name (split at the first space when pushed), email, and the billing
 * address: phone, company, address_1 (+ address_2), city, state, country, postcode.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-woo-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

static const struct
{
  CrmCustomerField model;
  const char      *key;       /* in sync_links.card */
  const char      *billing;   /* the billing member (NULL: a top-level one) */
  const char      *label;
} fields[WOO_N_FIELDS] = {
  [WOO_NAME] = { CRM_CUSTOMER_NAME, "name", NULL, N_("Name") },
  [WOO_EMAIL] = { CRM_CUSTOMER_EMAIL, "email", NULL, N_("E-mail") },
  [WOO_PHONE] = { CRM_CUSTOMER_PHONE, "phone", "phone", N_("Phone") },
  [WOO_COMPANY] = { CRM_CUSTOMER_COMPANY, "company", "company", N_("Company") },
  [WOO_ADDRESS] = { CRM_CUSTOMER_ADDRESS, "address", "address_1", N_("Address") },
  [WOO_CITY] = { CRM_CUSTOMER_CITY, "city", "city", N_("City") },
  [WOO_REGION] = { CRM_CUSTOMER_REGION, "region", "state", N_("Region") },
  [WOO_COUNTRY] = { CRM_CUSTOMER_COUNTRY, "country", "country", N_("Country") },
  [WOO_POSTAL_CODE] = { CRM_CUSTOMER_POSTAL_CODE, "postal_code", "postcode", N_("Postal code") },
};

const char *
crm_woo_field_label (guint field)
{
  return _(fields[field].label);
}

void
crm_woo_cells_clear (CrmWooCells *cells)
{
  for (guint i = 0; i < WOO_N_FIELDS; i++)
    g_clear_pointer (&cells->v[i], g_free);
}

static const char *
member (JsonObject *object,
        const char *name)
{
  const char *v = crm_woo_json_string (object, name);

  return v != NULL ? v : "";
}

static char *
join (const char *a,
      const char *sep,
      const char *b)
{
  g_autofree char *ta = g_strstrip (g_strdup (a));
  g_autofree char *tb = g_strstrip (g_strdup (b));

  if (*ta == '\0')
    return g_steal_pointer (&tb);
  if (*tb == '\0')
    return g_steal_pointer (&ta);
  return g_strconcat (ta, sep, tb, NULL);
}

void
crm_woo_cells_from_json (CrmWooCells *cells,
                         JsonObject  *object,
                         gboolean     billing_only)
{
  JsonObject *billing = json_object_has_member (object, "billing") &&
                        JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "billing"))
                        ? json_object_get_object_member (object, "billing") : NULL;
  JsonObject *names = billing_only ? billing : object;

  crm_woo_cells_clear (cells);
  cells->v[WOO_NAME] = join (member (names, "first_name"), " ", member (names, "last_name"));
  if (*cells->v[WOO_NAME] == '\0')
    {
      g_free (cells->v[WOO_NAME]);
      cells->v[WOO_NAME] = join (member (billing, "first_name"), " ", member (billing, "last_name"));
    }
  cells->v[WOO_EMAIL] = g_strdup (billing_only ? member (billing, "email") : member (object, "email"));
  if (*cells->v[WOO_EMAIL] == '\0')
    {
      g_free (cells->v[WOO_EMAIL]);
      cells->v[WOO_EMAIL] = g_strdup (member (billing, "email"));
    }
  if (*cells->v[WOO_NAME] == '\0')
    {
      g_free (cells->v[WOO_NAME]);
      cells->v[WOO_NAME] = g_strdup (*member (object, "username") != '\0' ? member (object, "username") : cells->v[WOO_EMAIL]);
    }
  for (guint i = WOO_PHONE; i < WOO_N_FIELDS; i++)
    cells->v[i] = g_strstrip (g_strdup (member (billing, fields[i].billing)));
  if (*member (billing, "address_2") != '\0')
    {
      char *address = join (cells->v[WOO_ADDRESS], ", ", member (billing, "address_2"));
      g_free (cells->v[WOO_ADDRESS]);
      cells->v[WOO_ADDRESS] = address;
    }
}

void
crm_woo_cells_from_customer (CrmWooCells *cells,
                             CrmCustomer *customer)
{
  crm_woo_cells_clear (cells);
  for (guint i = 0; i < WOO_N_FIELDS; i++)
    {
      const char *v = crm_entity_get_string (CRM_ENTITY (customer), fields[i].model);
      cells->v[i] = g_strdup (v != NULL ? v : "");
    }
}

void
crm_woo_cells_apply (const CrmWooCells *cells,
                     guint              field,
                     CrmCustomer       *customer)
{
  const char *v = cells->v[field];

  if (field == WOO_NAME && *v == '\0')
    return;   /* a customer keeps a name */
  crm_entity_set_string (CRM_ENTITY (customer), fields[field].model, *v != '\0' ? v : NULL);
}

char *
crm_woo_cells_to_card (const CrmWooCells *cells)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  for (guint i = 0; i < WOO_N_FIELDS; i++)
    {
      json_builder_set_member_name (b, fields[i].key);
      json_builder_add_string_value (b, cells->v[i]);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

gboolean
crm_woo_cells_from_card (CrmWooCells *cells,
                         const char  *card)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  crm_woo_cells_clear (cells);
  if (card == NULL || !json_parser_load_from_data (parser, card, -1, NULL) ||
      !(root = json_parser_get_root (parser)) || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  for (guint i = 0; i < WOO_N_FIELDS; i++)
    cells->v[i] = g_strdup (member (json_node_get_object (root), fields[i].key));
  return TRUE;
}

char *
crm_woo_cells_put_body (const CrmWooCells *cells,
                        const CrmWooCells *base)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gboolean any = FALSE, billing = FALSE;

  json_builder_begin_object (b);
  if (g_strcmp0 (cells->v[WOO_NAME], base->v[WOO_NAME]) != 0)
    {
      const char *space = strchr (cells->v[WOO_NAME], ' ');
      g_autofree char *first = space != NULL ? g_strndup (cells->v[WOO_NAME], space - cells->v[WOO_NAME])
                                             : g_strdup (cells->v[WOO_NAME]);

      json_builder_set_member_name (b, "first_name");
      json_builder_add_string_value (b, first);
      json_builder_set_member_name (b, "last_name");
      json_builder_add_string_value (b, space != NULL ? space + 1 : "");
      any = TRUE;
    }
  if (g_strcmp0 (cells->v[WOO_EMAIL], base->v[WOO_EMAIL]) != 0)
    {
      json_builder_set_member_name (b, "email");
      json_builder_add_string_value (b, cells->v[WOO_EMAIL]);
      any = TRUE;
    }
  for (guint i = WOO_PHONE; i < WOO_N_FIELDS; i++)
    {
      if (g_strcmp0 (cells->v[i], base->v[i]) == 0)
        continue;
      if (!billing)
        {
          json_builder_set_member_name (b, "billing");
          json_builder_begin_object (b);
          billing = TRUE;
        }
      json_builder_set_member_name (b, fields[i].billing);
      json_builder_add_string_value (b, cells->v[i]);
      if (i == WOO_ADDRESS)
        {
          json_builder_set_member_name (b, "address_2");
          json_builder_add_string_value (b, "");
        }
    }
  if (billing)
    {
      json_builder_end_object (b);
      any = TRUE;
    }
  json_builder_end_object (b);
  if (!any)
    return g_strdup ("");
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

gint64
crm_woo_parse_gmt (const char *text)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  if (text == NULL || *text == '\0')
    return 0;
  dt = g_date_time_new_from_iso8601 (text, utc);
  return dt != NULL ? g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000 : 0;
}

/* crm-cli-settings.c: the settings command of clientele-cli — the shop's settings kept in the
 * database.
 *
 *   settings region [CC]
 *
 * The region (ISO 3166-1 alpha-2) completes phone numbers written without a country code, which
 * is how duplicates are found by phone: setting it re-keys those numbers, in one transaction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <stdio.h>

#include "crm-cli.h"
#include "crm-phone.h"
#include "crm-search.h"

static void
print_region (const char *region)
{
  const CrmPhoneRegion *known = crm_phone_region_lookup (region);

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "region");
      json_builder_add_string_value (b, region);
      json_builder_set_member_name (b, "calling_code");
      if (known != NULL)
        json_builder_add_string_value (b, known->calling_code);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else if (known != NULL)
    /* Translators: the shop's region, e.g. "CN (China, +86)". */
    printf (_("%s (%s, +%s)\n"), region, _(known->name), known->calling_code);
  else
    printf (_("%s (national phone numbers are kept as written: no country code is known for it)\n"), region);
}

static int
cmd_settings (CrmStore  *store,
              char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *region = NULL;

  if (!g_str_equal (args[0], "region"))
    {
      g_autofree char *name = g_utf8_make_valid (args[0], -1);

      return crm_cli_fail (CRM_CLI_EXIT_USAGE, _("Unknown setting “%s”: the settings are: region"), name);
    }

  if (args[1] != NULL)
    {
      if (!crm_phone_region_is_valid (args[1]))
        {
          g_autofree char *value = g_utf8_make_valid (args[1], -1);

          return crm_cli_fail (CRM_CLI_EXIT_USAGE,
                               _("“%s” is not a region: use its two-letter code, such as CN or DE."), value);
        }
      if (!crm_store_set_region (store, args[1], NULL, &error))
        return crm_cli_fail_error (error);
    }

  region = crm_store_dup_region (store);
  print_region (region);
  return CRM_CLI_EXIT_OK;
}

const CrmCliCommand crm_cli_settings_commands[] = {
  { "settings", "region [CC]",
    N_("Show or set a setting of the shop: region, the country of phone numbers written without a country code"),
    1, 2, NULL, FALSE, cmd_settings },
  { NULL }
};

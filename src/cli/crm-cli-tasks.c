/* crm-cli-tasks.c: follow-ups, owners and the customer pool from the command line.
 *
 *   task add --customer UUID --title T --due YYYY-MM-DD[THH:MM] [--owner NAME] [--notes T]
 *   task list [--due-before YYYY-MM-DD[THH:MM]] [--customer UUID] [--owner NAME] [--all]
 *   task done ID [--undo]
 *   task suggest [--as-of …]
 *   owner add NAME
 *   owner list
 *   pool list [--as-of …] [--limit N]
 *   pool claim UUID --owner NAME
 *   pool assign UUID --owner NAME
 *   pool release UUID
 *   pool return [--as-of …]
 *   pool settings [--return-days N] [--auto-return on|off]
 *
 * A due date without a time is 09:00 that day; --due-before and --as-of without a time are the
 * first moment of that day.  A task's ID is its UUID or its number (the id `task list` shows).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "crm-cli.h"
#include "crm-format.h"
#include "crm-pool.h"
#include "crm-tasks.h"

static char *opt_customer, *opt_title, *opt_due, *opt_owner, *opt_notes, *opt_due_before, *opt_as_of,
  *opt_limit, *opt_return_days, *opt_auto_return;
static gboolean opt_all, opt_undo;

static const GOptionEntry add_entries[] = {
  { "customer", 0, 0, G_OPTION_ARG_FILENAME, &opt_customer, N_("The customer (required)"), N_("UUID") },
  { "title", 0, 0, G_OPTION_ARG_FILENAME, &opt_title, N_("What to do (required)"), N_("TEXT") },
  { "due", 0, 0, G_OPTION_ARG_FILENAME, &opt_due, N_("When it is due; a date alone is 09:00 that day (required)"),
    N_("YYYY-MM-DD[THH:MM]") },
  { "owner", 0, 0, G_OPTION_ARG_FILENAME, &opt_owner, N_("The sales rep who does it (one of the owners)"), N_("NAME") },
  { "notes", 0, 0, G_OPTION_ARG_FILENAME, &opt_notes, N_("Longer notes"), N_("TEXT") },
  { NULL }
};

static const GOptionEntry list_entries[] = {
  { "due-before", 0, 0, G_OPTION_ARG_FILENAME, &opt_due_before,
    N_("Only tasks due before this moment (a date alone: before that day)"), N_("YYYY-MM-DD[THH:MM]") },
  { "customer", 0, 0, G_OPTION_ARG_FILENAME, &opt_customer, N_("Only this customer’s"), N_("UUID") },
  { "owner", 0, 0, G_OPTION_ARG_FILENAME, &opt_owner, N_("Only this owner’s"), N_("NAME") },
  { "all", 0, 0, G_OPTION_ARG_NONE, &opt_all, N_("Done tasks too"), NULL },
  { NULL }
};

static const GOptionEntry done_entries[] = {
  { "undo", 0, 0, G_OPTION_ARG_NONE, &opt_undo, N_("Mark it as not done again"), NULL },
  { NULL }
};

static const GOptionEntry as_of_entries[] = {
  { "as-of", 0, 0, G_OPTION_ARG_FILENAME, &opt_as_of, N_("As of this day or time (default: now)"),
    N_("YYYY-MM-DD[THH:MM]") },
  { NULL }
};

static const GOptionEntry pool_list_entries[] = {
  { "as-of", 0, 0, G_OPTION_ARG_FILENAME, &opt_as_of,
    N_("With the customers due to return to the pool by this day or time first"), N_("YYYY-MM-DD[THH:MM]") },
  { "limit", 0, 0, G_OPTION_ARG_FILENAME, &opt_limit, N_("At most this many customers (default: all)"), N_("N") },
  { NULL }
};

static const GOptionEntry owner_entries[] = {
  { "owner", 0, 0, G_OPTION_ARG_FILENAME, &opt_owner, N_("The sales rep (required; one of the owners)"), N_("NAME") },
  { NULL }
};

static const GOptionEntry settings_entries[] = {
  { "return-days", 0, 0, G_OPTION_ARG_FILENAME, &opt_return_days,
    N_("Days without an interaction or order before a customer returns to the pool"), N_("N") },
  { "auto-return", 0, 0, G_OPTION_ARG_FILENAME, &opt_auto_return,
    N_("Whether the app returns them by itself, once a day while it runs"), N_("on|off") },
  { NULL }
};

static int
usage (const char *message)
{
  return crm_cli_fail (CRM_CLI_EXIT_USAGE, "%s", message);
}

static gboolean
parse_as_of (gint64  *out,
             GError **error)
{
  *out = crm_now_ms ();
  return opt_as_of == NULL || crm_cli_parse_time ("--as-of", opt_as_of, out, error);
}

/* ---- task ---------------------------------------------------------------------------------- */

static void
task_to_json (JsonBuilder   *b,
              const CrmTask *t,
              gint64         now)
{
  static const char *states[] = { "done", "overdue", "due-today", "upcoming" };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, t->id);
  crm_cli_json_add_text (b, "uuid", t->uuid);
  crm_cli_json_add_text (b, "customer", t->customer_uuid);
  crm_cli_json_add_text (b, "customer_name", t->customer_name);
  crm_cli_json_add_text (b, "title", t->title);
  crm_cli_json_add_text (b, "notes", t->notes);
  crm_cli_json_add_time (b, "due_at", t->due_at);
  crm_cli_json_add_text (b, "owner", t->owner);
  json_builder_set_member_name (b, "done");
  json_builder_add_boolean_value (b, t->done_at != 0);
  crm_cli_json_add_time (b, "done_at", t->done_at);
  crm_cli_json_add_text (b, "state", states[crm_task_get_state (t, now)]);
  crm_cli_json_add_text (b, "origin", crm_task_origin_to_string (t->origin));
  json_builder_set_member_name (b, "feedback_id");
  if (t->feedback_id > 0)
    json_builder_add_int_value (b, t->feedback_id);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
}

static int
cmd_task_add (CrmStore  *store,
              char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmTask) task = crm_task_new ();
  g_autoptr(CrmCustomer) customer = NULL;

  if (opt_customer == NULL || opt_title == NULL || opt_due == NULL)
    return usage (_("task add needs --customer, --title and --due"));
  if (!crm_cli_parse_time ("--due", opt_due, &task->due_at, &error))
    return usage (error->message);
  if (strlen (opt_due) == 10)
    task->due_at += 9 * G_GINT64_CONSTANT (3600000);
  if (!g_uuid_string_is_valid (opt_customer))
    return usage (_("--customer needs a customer’s UUID"));
  if ((customer = crm_cli_load_customer (store, opt_customer, &error)) == NULL)
    return crm_cli_fail_error (error);

  task->customer_id = crm_entity_get_id (CRM_ENTITY (customer));
  task->title = g_strdup (opt_title);
  task->notes = opt_notes != NULL && opt_notes[0] != '\0' ? g_strdup (opt_notes) : NULL;
  task->owner = opt_owner != NULL && opt_owner[0] != '\0' ? g_strdup (opt_owner) : NULL;
  if (!crm_tasks_add (store, task, &error))
    return crm_cli_fail_error (error);
  task->customer_uuid = g_strdup (opt_customer);
  task->customer_name = g_strdup (crm_customer_get_name (customer));

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      task_to_json (b, task, crm_now_ms ());
      crm_cli_print_json (b);
    }
  else
    printf ("%s\n", task->uuid);
  return CRM_CLI_EXIT_OK;
}

static int
cmd_task_list (CrmStore  *store,
               char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(CrmCustomer) customer = NULL;
  CrmTaskFilter filter = { 0 };
  gint64 now = crm_now_ms ();

  if (opt_due_before != NULL && !crm_cli_parse_time ("--due-before", opt_due_before, &filter.due_before, &error))
    return usage (error->message);
  if (opt_customer != NULL)
    {
      if (!g_uuid_string_is_valid (opt_customer))
        return usage (_("--customer needs a customer’s UUID"));
      if ((customer = crm_cli_load_customer (store, opt_customer, &error)) == NULL)
        return crm_cli_fail_error (error);
      filter.customer_id = crm_entity_get_id (CRM_ENTITY (customer));
    }
  filter.owner = opt_owner;
  filter.include_done = opt_all;
  if (!(tasks = crm_tasks_list (store, &filter, &error)))
    return crm_cli_fail_error (error);

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "tasks");
      json_builder_begin_array (b);
      for (guint i = 0; i < tasks->len; i++)
        task_to_json (b, g_ptr_array_index (tasks, i), now);
      json_builder_end_array (b);
      json_builder_end_object (b);
      crm_cli_print_json (b);
      return CRM_CLI_EXIT_OK;
    }
  for (guint i = 0; i < tasks->len; i++)
    {
      CrmTask *t = g_ptr_array_index (tasks, i);
      g_autofree char *due = crm_format_date_time (t->due_at);
      const char *mark = "";

      switch (crm_task_get_state (t, now))
        {
        case CRM_TASK_STATE_DONE: mark = _("done"); break;
        case CRM_TASK_STATE_OVERDUE: mark = _("overdue"); break;
        case CRM_TASK_STATE_DUE_TODAY: mark = _("today"); break;
        case CRM_TASK_STATE_UPCOMING:
        default: break;
        }
      printf ("%" G_GINT64_FORMAT "\t%s\t%s\t", t->id, due, mark);
      crm_cli_print_padded (t->customer_name, 16);
      printf ("  %s%s%s%s\n", t->title, t->owner != NULL ? " (" : "", t->owner != NULL ? t->owner : "",
              t->owner != NULL ? ")" : "");
    }
  return CRM_CLI_EXIT_OK;
}

static CrmTask *
find_task (CrmStore    *store,
           const char  *key,
           GError     **error)
{
  guint64 id = 0;

  if (g_uuid_string_is_valid (key))
    return crm_tasks_get (store, 0, key, error);
  if (!g_ascii_string_to_unsigned (key, 10, 1, G_MAXINT64, &id, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (key, -1);

      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a task: give its number (task list shows it) or its UUID"), valid);
      return NULL;
    }
  return crm_tasks_get (store, (gint64) id, NULL, error);
}

static int
cmd_task_done (CrmStore  *store,
               char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmTask) task = find_task (store, args[0], &error);
  gint64 id;

  if (task == NULL)
    return error->domain == G_OPTION_ERROR ? usage (error->message) : crm_cli_fail_error (error);
  id = task->id;
  g_clear_pointer (&task, crm_task_free);
  if (!crm_tasks_set_done (store, id, !opt_undo, 0, &error) ||
      !(task = crm_tasks_get (store, id, NULL, &error)))
    return crm_cli_fail_error (error);

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      task_to_json (b, task, crm_now_ms ());
      crm_cli_print_json (b);
    }
  else
    printf ("%s\t%s\n", task->uuid, opt_undo ? _("not done") : _("done"));
  return CRM_CLI_EXIT_OK;
}

static int
cmd_task_suggest (CrmStore  *store,
                  char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) suggestions = NULL;
  gint64 as_of;

  if (!parse_as_of (&as_of, &error))
    return usage (error->message);
  if (!(suggestions = crm_tasks_suggest (store, as_of, 0, &error)))
    return crm_cli_fail_error (error);
  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "suggestions");
      json_builder_begin_array (b);
      for (guint i = 0; i < suggestions->len; i++)
        {
          CrmTaskSuggestion *s = g_ptr_array_index (suggestions, i);

          json_builder_begin_object (b);
          crm_cli_json_add_text (b, "origin", crm_task_origin_to_string (s->origin));
          crm_cli_json_add_text (b, "customer", s->customer_uuid);
          crm_cli_json_add_text (b, "customer_name", s->customer_name);
          crm_cli_json_add_text (b, "title", s->title);
          crm_cli_json_add_time (b, "due_at", s->due_at);
          json_builder_set_member_name (b, "days");
          json_builder_add_int_value (b, s->days);
          crm_cli_json_add_text (b, "key", s->key);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      crm_cli_print_json (b);
      return CRM_CLI_EXIT_OK;
    }
  for (guint i = 0; i < suggestions->len; i++)
    {
      CrmTaskSuggestion *s = g_ptr_array_index (suggestions, i);

      printf ("%s\t%s\t%s\n", s->customer_uuid, crm_task_origin_get_label (s->origin), s->title);
    }
  return CRM_CLI_EXIT_OK;
}

/* ---- owner --------------------------------------------------------------------------------- */

static int
cmd_owner_add (CrmStore  *store,
               char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmOwner) owner = crm_owners_add (store, args[0], &error);

  if (owner == NULL)
    return crm_cli_fail_error (error);
  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      crm_cli_json_add_text (b, "uuid", owner->uuid);
      crm_cli_json_add_text (b, "name", owner->name);
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else
    printf ("%s\n", owner->name);
  return CRM_CLI_EXIT_OK;
}

static int
cmd_owner_list (CrmStore  *store,
                char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) owners = crm_owners_list (store, &error);

  if (owners == NULL)
    return crm_cli_fail_error (error);
  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "owners");
      json_builder_begin_array (b);
      for (guint i = 0; i < owners->len; i++)
        {
          CrmOwner *o = g_ptr_array_index (owners, i);

          json_builder_begin_object (b);
          crm_cli_json_add_text (b, "uuid", o->uuid);
          crm_cli_json_add_text (b, "name", o->name);
          json_builder_set_member_name (b, "customers");
          json_builder_add_int_value (b, o->customers);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      crm_cli_print_json (b);
      return CRM_CLI_EXIT_OK;
    }
  for (guint i = 0; i < owners->len; i++)
    {
      CrmOwner *o = g_ptr_array_index (owners, i);

      crm_cli_print_padded (o->name, 20);
      printf ("  %" G_GINT64_FORMAT "\n", o->customers);
    }
  return CRM_CLI_EXIT_OK;
}

/* ---- pool ---------------------------------------------------------------------------------- */

static int
cmd_pool_list (CrmStore  *store,
               char     **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pool = NULL;
  guint64 limit = 0;
  gint64 as_of;

  if (!parse_as_of (&as_of, &error) ||
      (opt_limit != NULL && !crm_cli_parse_count ("--limit", opt_limit, G_MAXUINT, &limit, &error)))
    return usage (error->message);
  if (!(pool = crm_pool_list (store, as_of, opt_as_of != NULL, (guint) limit, &error)))
    return crm_cli_fail_error (error);

  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "return_days");
      json_builder_add_int_value (b, crm_pool_get_return_days (store));
      json_builder_set_member_name (b, "customers");
      json_builder_begin_array (b);
      for (guint i = 0; i < pool->len; i++)
        {
          CrmPoolCustomer *c = g_ptr_array_index (pool, i);

          json_builder_begin_object (b);
          crm_cli_json_add_text (b, "uuid", c->uuid);
          crm_cli_json_add_text (b, "name", c->name);
          json_builder_set_member_name (b, "returning");
          json_builder_add_boolean_value (b, c->owner != NULL);
          crm_cli_json_add_text (b, "owner", c->owner);
          crm_cli_json_add_time (b, "last_activity", c->last_activity);
          crm_cli_json_add_time (b, "in_pool_since", c->since);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      crm_cli_print_json (b);
      return CRM_CLI_EXIT_OK;
    }
  for (guint i = 0; i < pool->len; i++)
    {
      CrmPoolCustomer *c = g_ptr_array_index (pool, i);
      g_autofree char *last = crm_format_date (c->last_activity);

      printf ("%s\t", c->uuid);
      crm_cli_print_padded (c->name, 16);
      printf ("  %s", last);
      if (c->owner != NULL)
        /* Translators: pool list: an owned customer due to return; %s is the owner. */
        printf (_("  returning from %s"), c->owner);
      printf ("\n");
    }
  return CRM_CLI_EXIT_OK;
}

/* The customer of @uuid for a pool command: its id, or 0 having reported the failure in @code. */
static gint64
pool_customer (CrmStore    *store,
               const char  *uuid,
               int         *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmCustomer) customer = NULL;

  if (!g_uuid_string_is_valid (uuid))
    {
      *code = usage (_("Give a customer’s UUID"));
      return 0;
    }
  if ((customer = crm_cli_load_customer (store, uuid, &error)) == NULL)
    {
      *code = crm_cli_fail_error (error);
      return 0;
    }
  return crm_entity_get_id (CRM_ENTITY (customer));
}

static int
pool_done (const char *uuid,
           const char *owner)
{
  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      crm_cli_json_add_text (b, "uuid", uuid);
      crm_cli_json_add_text (b, "owner", owner);
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else
    printf ("%s\t%s\n", uuid, owner != NULL ? owner : _("(in the pool)"));
  return CRM_CLI_EXIT_OK;
}

static int
pool_give (CrmStore  *store,
           char     **args,
           gboolean   claim)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *owner = NULL;
  int code = CRM_CLI_EXIT_OK;
  gint64 id;

  if (opt_owner == NULL)
    return usage (claim ? _("pool claim needs --owner") : _("pool assign needs --owner"));
  if (!(id = pool_customer (store, args[0], &code)))
    return code;
  if (!(owner = crm_owners_resolve (store, opt_owner, &error)) ||
      !(claim ? crm_pool_claim : crm_pool_assign) (store, id, owner, 0, &error))
    return crm_cli_fail_error (error);
  return pool_done (args[0], owner);
}

static int
cmd_pool_claim (CrmStore  *store,
                char     **args)
{
  return pool_give (store, args, TRUE);
}

static int
cmd_pool_assign (CrmStore  *store,
                 char     **args)
{
  return pool_give (store, args, FALSE);
}

static int
cmd_pool_release (CrmStore  *store,
                  char     **args)
{
  g_autoptr(GError) error = NULL;
  int code = CRM_CLI_EXIT_OK;
  gint64 id;

  if (!(id = pool_customer (store, args[0], &code)))
    return code;
  if (!crm_pool_release (store, id, 0, &error))
    return crm_cli_fail_error (error);
  return pool_done (args[0], NULL);
}

static int
cmd_pool_return (CrmStore  *store,
                 char     **args)
{
  g_autoptr(GError) error = NULL;
  gint64 as_of, n;

  if (!parse_as_of (&as_of, &error))
    return usage (error->message);
  if ((n = crm_pool_return_due (store, as_of, &error)) < 0)
    return crm_cli_fail_error (error);
  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "returned");
      json_builder_add_int_value (b, n);
      json_builder_set_member_name (b, "return_days");
      json_builder_add_int_value (b, crm_pool_get_return_days (store));
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else
    {
      g_autofree char *count = crm_format_count (n);

      printf (g_dngettext (GETTEXT_PACKAGE, "%s customer returned to the pool\n",
                           "%s customers returned to the pool\n", (gulong) n), count);
    }
  return CRM_CLI_EXIT_OK;
}

static int
cmd_pool_settings (CrmStore  *store,
                   char     **args)
{
  g_autoptr(GError) error = NULL;
  guint64 days;

  if (opt_return_days != NULL)
    {
      if (!crm_cli_parse_count ("--return-days", opt_return_days, CRM_POOL_MAX_RETURN_DAYS, &days, &error))
        return usage (error->message);
      if (days == 0)
        return usage (_("--return-days must be at least 1"));
      if (!crm_pool_set_return_days (store, (guint) days, &error))
        return crm_cli_fail_error (error);
    }
  if (opt_auto_return != NULL)
    {
      if (g_strcmp0 (opt_auto_return, "on") != 0 && g_strcmp0 (opt_auto_return, "off") != 0)
        return usage (_("--auto-return must be on or off"));
      if (!crm_pool_set_auto_return (store, g_str_equal (opt_auto_return, "on"), &error))
        return crm_cli_fail_error (error);
    }
  if (crm_cli_get_json ())
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "return_days");
      json_builder_add_int_value (b, crm_pool_get_return_days (store));
      json_builder_set_member_name (b, "auto_return");
      json_builder_add_boolean_value (b, crm_pool_get_auto_return (store));
      json_builder_end_object (b);
      crm_cli_print_json (b);
    }
  else
    {
      printf (_("Customers return to the pool after %u days without an interaction or order\n"),
              crm_pool_get_return_days (store));
      printf ("%s\n", crm_pool_get_auto_return (store) ? _("The app returns them by itself once a day")
                                                       : _("Only `pool return` returns them (the app does not by itself)"));
    }
  return CRM_CLI_EXIT_OK;
}

const CrmCliCommand crm_cli_task_commands[] = {
  { "task add", NULL, N_("Add a follow-up on a customer"), 0, 0, add_entries, FALSE, cmd_task_add },
  { "task list", NULL, N_("Open follow-ups by due time"), 0, 0, list_entries, FALSE, cmd_task_list },
  { "task done", "ID", N_("Mark a follow-up done"), 1, 0, done_entries, FALSE, cmd_task_done },
  { "task suggest", NULL, N_("Suggested follow-ups: birthdays in the next 7 days, valuable customers at risk"),
    0, 0, as_of_entries, FALSE, cmd_task_suggest },
  { "owner add", "NAME", N_("Add a sales rep to the owners"), 1, 0, NULL, FALSE, cmd_owner_add },
  { "owner list", NULL, N_("The owners and how many customers each has"), 0, 0, NULL, FALSE, cmd_owner_list },
  { "pool list", NULL, N_("Customers in the pool (without an owner)"), 0, 0, pool_list_entries, FALSE, cmd_pool_list },
  { "pool claim", "UUID", N_("Take a customer from the pool"), 1, 0, owner_entries, FALSE, cmd_pool_claim },
  { "pool assign", "UUID", N_("Give a customer to a sales rep"), 1, 0, owner_entries, FALSE, cmd_pool_assign },
  { "pool release", "UUID", N_("Give a customer back to the pool"), 1, 0, NULL, FALSE, cmd_pool_release },
  { "pool return", NULL, N_("Return the customers without activity for too long to the pool"),
    0, 0, as_of_entries, FALSE, cmd_pool_return },
  { "pool settings", NULL, N_("Show or set the days before a customer returns to the pool"),
    0, 0, settings_entries, FALSE, cmd_pool_settings },
  { NULL }
};

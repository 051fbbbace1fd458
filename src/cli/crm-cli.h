/* crm-cli.h: what the command files of clientele-cli share.
 *
 * Each room (customers, io, analytics, segments, …) keeps its commands in its own
 * crm-cli-*.c with a NULL-terminated CrmCliCommand table listed in clientele-cli.c.  A name of
 * two words ("order add") is a command of a group: "clientele-cli order add …".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <stdio.h>
#include <json-glib/json-glib.h>

#include "crm-customer.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_CLI_PROGRAM "clientele-cli"

enum
{
  CRM_CLI_EXIT_OK = 0,
  CRM_CLI_EXIT_FAILED = 1,   /* understood but failed: database error, not found, input refused */
  CRM_CLI_EXIT_USAGE = 2,    /* the command line is wrong */
};

typedef struct
{
  const char         *name;
  const char         *parameter;   /* positional arguments, for --help */
  const char         *summary;     /* N_() */
  guint               n_args;      /* fewest positional arguments */
  guint               max_args;    /* most; 0 = exactly n_args */
  const GOptionEntry *entries;
  gboolean            creates;     /* may create a missing database */
  int               (*run) (CrmStore *store, char **args);
  /* Options made at run time (from the field catalogue); used instead of @entries. */
  const GOptionEntry *(*make_entries) (void);
} CrmCliCommand;

gboolean     crm_cli_get_json       (void);
/* One line on stderr ("clientele-cli: …"); returns @code. */
int          crm_cli_fail           (int           code,
                                     const char   *format,
                                     ...) G_GNUC_PRINTF (2, 3);
int          crm_cli_fail_error     (const GError *error);
void         crm_cli_warn           (const char   *message);
void         crm_cli_print_json     (JsonBuilder  *builder);
/* A member that is @text, or null; a time in ms, or null for 0. */
void         crm_cli_json_add_text  (JsonBuilder  *builder,
                                     const char   *name,
                                     const char   *text);
void         crm_cli_json_add_time  (JsonBuilder  *builder,
                                     const char   *name,
                                     gint64        ms);
/* Where a command that wrote @output ("-" is standard output) says what it did. */
FILE        *crm_cli_summary_stream (const char   *output);
void         crm_cli_print_json_to  (FILE         *stream,
                                     JsonBuilder  *builder);
/* What an export wrote: {"rows", "file"} with --json, else one line (on standard error when
 * the rows went to standard output). */
void         crm_cli_print_written  (guint64       rows,
                                     const char   *file);
CrmCustomer *crm_cli_load_customer  (CrmStore     *store,
                                     const char   *uuid,
                                     GError      **error);
/* A whole number from 0 to @max for @option; a usage error otherwise. */
gboolean     crm_cli_parse_count    (const char   *option,
                                     const char   *text,
                                     guint64       max,
                                     guint64      *out,
                                     GError      **error);
/* Parses "YYYY-MM-DD" as the end of that day, local time, in ms UTC. */
gboolean     crm_cli_parse_date     (const char   *option,
                                     const char   *text,
                                     gint64       *out_ms,
                                     GError      **error);

/* "YYYY-MM-DD" (midnight) or "YYYY-MM-DDTHH:MM", local time, in ms UTC (crm-cli-orders.c). */
gboolean     crm_cli_parse_time     (const char   *option,
                                     const char   *text,
                                     gint64       *out_ms,
                                     GError      **error);
/* An amount of @currency in major units ("12.50"), not negative, in minor units. */
gboolean     crm_cli_parse_amount   (const char   *option,
                                     const char   *text,
                                     const char   *currency,
                                     gint64       *out_minor,
                                     GError      **error);
/* An order by its UUID, else by its number (one live order must have it): its id, or 0 with
 * @error set (crm-cli-orders.c). */
gint64       crm_cli_find_order     (CrmStore     *store,
                                     const char   *key,
                                     GError      **error);
/* The shop's currency: the database's "currency" setting, else CNY. */
char        *crm_cli_currency       (CrmStore     *store);

/* add-customer without --name: main() refuses it before the database is opened
 * (add-customer may create one). */
gboolean     crm_cli_customers_missing_name (const CrmCliCommand *command);

/* Waiting while another program writes (crm-cli-wait.c). */
void         crm_cli_wait_install   (guint64       limit_s);
void         crm_cli_wait_interrupt (void);

/* Table cells padded by display width (CJK characters take two columns), so columns of
 * Chinese names line up: left-aligned with @width columns in all, or right-aligned. */
guint        crm_cli_display_width  (const char   *s);
void         crm_cli_print_padded   (const char   *s,
                                     guint         width);
void         crm_cli_print_right    (const char   *s,
                                     guint         width);

/* Command tables of the rooms. */
extern const CrmCliCommand crm_cli_customer_commands[];
extern const CrmCliCommand crm_cli_generate_commands[];
extern const CrmCliCommand crm_cli_segment_commands[];
extern const CrmCliCommand crm_cli_analytics_commands[];
extern const CrmCliCommand crm_cli_io_commands[];
extern const CrmCliCommand crm_cli_settings_commands[];
extern const CrmCliCommand crm_cli_order_commands[];
extern const CrmCliCommand crm_cli_interaction_commands[];
extern const CrmCliCommand crm_cli_edit_commands[];
extern const CrmCliCommand crm_cli_sync_commands[];
extern const CrmCliCommand crm_cli_coupon_commands[];
extern const CrmCliCommand crm_cli_task_commands[];
extern const CrmCliCommand crm_cli_feedback_commands[];
extern const CrmCliCommand crm_cli_campaign_commands[];
extern const CrmCliCommand crm_cli_points_commands[];
extern const CrmCliCommand crm_cli_backup_commands[];
extern const CrmCliCommand crm_cli_consent_commands[];

G_END_DECLS

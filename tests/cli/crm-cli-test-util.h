/* crm-cli-test-util.h: running the real clientele-cli ($CLIENTELE_CLI) from the CLI tests and
 * checking what it said: stdout (parsed when it is JSON), the one stderr line of a failure and
 * the exit code (0 success, 1 failure, 2 usage).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  char       *out;
  char       *err;
  int         status;    /* exit code */
  JsonNode   *json;      /* stdout parsed, when it is JSON (RUN and run_env) */
} Run;

void        run_clear     (Run                *r);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* While set, clientele-cli runs without the right to override file permissions (as root: under
 * setpriv without CAP_DAC_OVERRIDE, so a 0444 file is read-only to it as to anyone else). */
extern gboolean run_unprivileged;

/* Runs clientele-cli with @args (NULL-terminated) in English, without $CLIENTELE_DB, and with
 * @extra_env ("K=V", NULL-terminated; may be NULL) on top. */
void        run_env       (Run                *r,
                           const char *const  *extra_env,
                           const char *const  *args);
#define RUN(r, ...) run_env ((r), NULL, (const char *const[]) { __VA_ARGS__, NULL })

/* As RUN, with @input on standard input (stdout is not parsed). */
void        run_input     (Run                *r,
                           const char         *input,
                           const char *const  *args);
#define RUN_INPUT(r, input, ...) run_input ((r), (input), (const char *const[]) { __VA_ARGS__, NULL })

/* Exit code 0 (what it said is printed when not). */
void        assert_ok     (Run                *r);
/* A failure: exit code @code, nothing on stdout and exactly one stderr line, which holds
 * @needle unless that is NULL. */
void        assert_failed (Run                *r,
                           int                 code,
                           const char         *needle);
/* stdout as a JSON object (asserts it is one). */
JsonObject *json_obj      (Run                *r);

G_END_DECLS

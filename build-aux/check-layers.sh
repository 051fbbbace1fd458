#!/bin/sh
# check-layers.sh SRCDIR: the layering rules of the house (issue 11) hold.
#   - src/ui runs no SQL and starts no thread of its own (work goes through core's CrmJob APIs);
#   - the change journal has one writer (src/core/store/crm-journal.c);
#   - the product reads no CLIENTELE_IMPORT_* switches.
set -u
src=$1
status=0
if grep -rln 'sqlite3_' "$src/src/ui"; then
  echo "FAIL: SQL in src/ui (above); put it in a core function" >&2; status=1
fi
if grep -rn 'g_task_run_in_thread' "$src/src/ui"; then
  echo "FAIL: a thread started in src/ui (above); use a core _async API (CrmJob)" >&2; status=1
fi
writers=$(grep -rl 'INSERT INTO changes' "$src/src" | grep -v 'src/core/store/crm-journal.c' || true)
if [ -n "$writers" ]; then
  echo "$writers"; echo "FAIL: the change journal written outside crm-journal.c" >&2; status=1
fi
if grep -rn 'getenv ("CLIENTELE_IMPORT' "$src/src"; then
  echo "FAIL: an import switch read from the environment on the product path" >&2; status=1
fi
[ $status = 0 ] && echo "OK: layers hold"
exit $status

#!/bin/sh
# Import and export rates at 1M customers, with the sqlite3 shell's .import of the same file as
# the reference, all in one run on the same machine.
#
#   bench/bench-import.sh [BUILDDIR] [N]      (defaults: /tmp/b-imp, 1000000)
set -eu
build=${1:-/tmp/b-imp}
n=${2:-1000000}
tmp=${TMPDIR:-/tmp}/bench-import.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

ninja -C "$build" bench/bench-import >/dev/null
"$build/bench/bench-import" generate "$n" "$tmp/src.db" "$tmp/customers.csv"
ls -l "$tmp/customers.csv"
for mode in bulk incremental; do
  rm -f "$tmp/dst.db"*
  CLIENTELE_IMPORT_MODE=$mode G_MESSAGES_DEBUG=all "$build/bench/bench-import" import "$tmp/dst.db" "$tmp/customers.csv" 2>&1 |
    grep -a 'import'
done
rm -f "$tmp/dst.db"*
CLIENTELE_IMPORT_JOURNAL=off "$build/bench/bench-import" import "$tmp/dst.db" "$tmp/customers.csv"
/usr/bin/time -f 'sqlite3 .import into a plain table: %e s' \
  sqlite3 "$tmp/ref.db" '.mode csv' ".import $tmp/customers.csv plain" 'select count(*) from plain'

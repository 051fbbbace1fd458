#!/bin/sh
# Customer import rate at 1M rows, with the Debian sqlite3 shell's .import of the same file as the
# reference, all in one run on the same machine (bench/RESULTS.md).
#
#   bench/bench-import.sh [BUILDDIR] [N] [REPEATS] [KNOB...]   (defaults: /tmp/b-impf, 1000000, 3)
#
# BUILDDIR: `meson setup BUILDDIR -Dgui=false --buildtype=release` (-O3, asserts kept).
# The CSV is made once by `clientele-cli generate` + `export customers` and kept in $TMPDIR/imp.
# Each repeat times, back to back: clientele-cli import into a fresh database; sqlite3 .import
# into a plain table; sqlite3 .import + an FTS5 trigram table over the searched columns filled
# after.  The load average is printed with each figure: the machine has 2 cores and is shared.
# KNOBs (--mode=bulk|incremental, --journal=off, --fts=trigger, --journal-mode=wal, --cache-mb=N,
# --threads=1; see bench/bench-import.c) measure an alternative design: the import is then run
# by bench-import with them instead of clientele-cli, which has no knobs.
set -eu
build=${1:-/tmp/b-impf}
n=${2:-1000000}
repeats=${3:-3}
shift $(($# < 3 ? $# : 3))
dir=${TMPDIR:-/tmp}/imp
cli="$build/src/cli/clientele-cli"
csv="$dir/customers-$n.csv"
mkdir -p "$dir"

ninja -C "$build" src/cli/clientele-cli bench/bench-import >/dev/null
if [ ! -s "$csv" ]; then
  rm -f "$dir/gen-$n.db"*
  "$cli" -d "$dir/gen-$n.db" generate --customers "$n" --orders "$n" >/dev/null
  "$cli" -d "$dir/gen-$n.db" export customers -o "$csv" >/dev/null
fi
echo "file: $csv, $(($(wc -l <"$csv") - 1)) lines, $(stat -L -c %s "$csv") bytes; $(sqlite3 --version | cut -d' ' -f1-2)"

now () { date +%s.%N; }
load () { cut -d' ' -f1 /proc/loadavg; }
rate () { python3 -c "import sys; print('%.2f s, %.0f rows/s' % (float(sys.argv[2]) - float(sys.argv[1]), $n / (float(sys.argv[2]) - float(sys.argv[1]))))" "$1" "$2"; }

i=1
while [ "$i" -le "$repeats" ]; do
  echo "--- run $i"
  rm -f "$dir/dst.db"* "$dir/ref.db"* "$dir/ref-fts.db"*
  "$cli" -d "$dir/dst.db" init >/dev/null
  l=$(load); t0=$(now)
  # GLib writes debug messages to stdout: the whole output goes to the log.
  if [ $# -eq 0 ]; then
    what="clientele-cli import customers"
    G_MESSAGES_DEBUG=all "$cli" -d "$dir/dst.db" import customers "$csv" >"$dir/import.log" 2>&1
  else
    what="bench-import import $*"
    G_MESSAGES_DEBUG=all "$build/bench/bench-import" import "$@" "$dir/dst.db" "$csv" >"$dir/import.log" 2>&1
  fi
  t1=$(now)
  echo "$what: $(rate "$t0" "$t1") (load $l)"
  grep -a 'import: \|added\|inserted' "$dir/import.log" | sed 's/.*DEBUG: [0-9:.]* /    /'
  # The rows are committed (every B-tree index up to date) before the search index is filled.
  c=$(grep -a 'import: committed after' "$dir/import.log" | sed 's/.*after \([0-9.]*\) s.*/\1/')
  echo "    rows committed after $c s: $(python3 -c "print('%.0f rows/s' % ($n / $c))")"

  l=$(load); t0=$(now)
  sqlite3 "$dir/ref.db" ".import --csv $csv plain"
  t1=$(now)
  echo "sqlite3 .import --csv into a plain table: $(rate "$t0" "$t1") (load $l)"

  l=$(load); t0=$(now)
  sqlite3 "$dir/ref-fts.db" ".import --csv $csv customers" \
    "CREATE VIRTUAL TABLE customers_fts USING fts5 (name, company, city, tags, notes, content='customers', tokenize='trigram')" \
    "INSERT INTO customers_fts (rowid, name, company, city, tags, notes) SELECT rowid, name, company, city, tags, notes FROM customers"
  t1=$(now)
  echo "sqlite3 .import + FTS5 trigram filled after: $(rate "$t0" "$t1") (load $l)"
  i=$((i + 1))
done
rm -f "$dir/dst.db"* "$dir/ref.db"* "$dir/ref-fts.db"*

#!/bin/sh
# run-foundation.sh: the foundation benchmark (issue 2).
#
#   bench/run-foundation.sh [N_CUSTOMERS] [N_ORDERS]      (defaults 1000000 10000000)
#
# 1. builds (or reuses) a build directory and the database with
#    `clientele-cli generate` (timed → rows/s; rows = customers + orders + order lines);
# 2. runs bench-foundation on it (first rows, search p50/p95, sorts, RSS);
# 3. as a reference on the same machine, times the Debian sqlite3 shell `.import` of
#    the same customers exported as CSV.
#
# Environment: BUILD_DIR (default /tmp/b-foundation), BENCH_DB_DIR (default /tmp/bench-db;
# a 1M/10M database is about 6 GB — never put it in the repository), SEED (default 1),
# AS_OF (default 2025-06-30).
set -eu

N_CUSTOMERS=${1:-1000000}
N_ORDERS=${2:-10000000}
SRC_DIR=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-/tmp/b-foundation}
BENCH_DB_DIR=${BENCH_DB_DIR:-/tmp/bench-db}
SEED=${SEED:-1}
AS_OF=${AS_OF:-2025-06-30}
DB="$BENCH_DB_DIR/foundation-$N_CUSTOMERS-$N_ORDERS.db"
CSV="$BENCH_DB_DIR/customers-$N_CUSTOMERS.csv"
IMPORT_DB="$BENCH_DB_DIR/import-reference.db"

now () { date +%s.%N; }
elapsed () { awk "BEGIN { printf \"%.2f\", $2 - $1 }"; }

mkdir -p "$BENCH_DB_DIR"
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  if ! meson setup "$BUILD_DIR" "$SRC_DIR" -Dgui=false > "$BENCH_DB_DIR/meson-setup.log" 2>&1; then
    tail -5 "$BENCH_DB_DIR/meson-setup.log" >&2
    rm -rf "$BUILD_DIR"
    exit 1
  fi
fi
ninja -C "$BUILD_DIR" src/cli/clientele-cli bench/bench-foundation >/dev/null
CLI="$BUILD_DIR/src/cli/clientele-cli"
BENCH="$BUILD_DIR/bench/bench-foundation"

echo "## Machine"
echo
echo "- $(uname -srm); $(nproc) cores; $(grep MemTotal /proc/meminfo | awk '{printf "%.0f GB RAM", $2/1048576}')"
echo "- $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "- SQLite $(sqlite3 --version | cut -d' ' -f1); meson buildtype $(meson introspect --buildoptions "$BUILD_DIR" | python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="buildtype"][0])')"
echo "- load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

echo "## Generation"
echo
rm -f "$DB" "$DB-wal" "$DB-shm" "$DB-journal"
echo "\$ clientele-cli --database $DB --json generate --customers $N_CUSTOMERS --orders $N_ORDERS --seed $SEED --as-of $AS_OF"
start=$(now)
/usr/bin/time -f "CPU: %U s user, %S s system; peak RSS %M KB" \
  "$CLI" --database "$DB" --json generate --customers "$N_CUSTOMERS" --orders "$N_ORDERS" --seed "$SEED" --as-of "$AS_OF"
end=$(now)
echo "wall clock including process start and exit: $(elapsed "$start" "$end") s; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
"$CLI" --database "$DB" stats
echo

echo "## bench-foundation (page cache warm)"
echo
echo "\$ bench-foundation $DB"
"$BENCH" "$DB"
echo

# Cold start: only this database's pages are evicted from the page cache
# (posix_fadvise DONTNEED), so nothing else on the machine is disturbed.
echo "## First rows with the database out of the page cache"
echo
for i in 1 2 3; do
  python3 -c 'import os, sys
for p in sys.argv[1:]:
    if os.path.exists(p):
        fd = os.open(p, os.O_RDONLY); os.fsync(fd); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED); os.close(fd)' "$DB" "$DB-wal"
  "$BENCH" --first-rows-only "$DB" | tail -1
done
echo

echo "## Reference: sqlite3 shell .import of the same customers"
echo
# All columns of the generated customers, as a shop export would have them.
sqlite3 -csv -header "$DB" "SELECT uuid, name, gender, birthday, phone, email, company, occupation,
  address, city, region, country, postal_code, source, tags, notes, email_consent, sms_consent,
  owner, total_spent, order_count, first_order_at, last_order_at FROM customers ORDER BY id" > "$CSV"
echo "CSV: $(wc -l < "$CSV") lines, $(du -h "$CSV" | cut -f1)"
rm -f "$IMPORT_DB"
echo "\$ sqlite3 $IMPORT_DB '.import --csv $CSV customers'"
start=$(now)
sqlite3 "$IMPORT_DB" ".import --csv $CSV customers"
end=$(now)
echo "sqlite3 .import: $(elapsed "$start" "$end") s for $(sqlite3 "$IMPORT_DB" 'SELECT count(*) FROM customers') rows"
rm -f "$IMPORT_DB"
start=$(now)
sqlite3 "$IMPORT_DB" ".import --csv $CSV customers" \
  "CREATE VIRTUAL TABLE customers_fts USING fts5 (name, company, city, tags, notes, content='customers', tokenize='trigram')" \
  "INSERT INTO customers_fts (customers_fts) VALUES ('rebuild')"
end=$(now)
echo "sqlite3 .import + FTS5 trigram over name, company, city, tags, notes: $(elapsed "$start" "$end") s"
rm -f "$IMPORT_DB" "$CSV"

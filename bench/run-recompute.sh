#!/usr/bin/env bash
# Full recompute (RFM + tiers + lifecycle) on a generated database, against pandas.
#
#   bench/run-recompute.sh DB [BUILD_DIR]
#
# 1. times crm_recompute twice (first run: every stage and tier is written;
#    second run: the steady state);
# 2. exports the counted orders with the sqlite3 shell and times pandas computing
#    the same RFM scores from that CSV;
# 3. checks both give identical scores for every customer.
set -euo pipefail

db=${1:?usage: $0 DB [BUILD_DIR]}
build=${2:-_build}
out=${TMPDIR:-/tmp}/clientele-bench-recompute
mkdir -p "$out"

# As of the newest order, so the window is full whatever day the data was made.
as_of=$(sqlite3 "$db" "SELECT max(placed_at) FROM orders WHERE deleted_at IS NULL")
echo "as of $(date -u -d @$((as_of / 1000)) +%F) ($as_of ms), window 365 days"

"$build/bench/bench-recompute" "$db" "$as_of" "$out/ours.csv"

sqlite3 -csv -header "$db" \
  "SELECT customer_id, placed_at, total FROM orders
   WHERE deleted_at IS NULL AND status NOT IN ('cancelled', 'refunded', 'failed')" > "$out/orders.csv"
echo "orders CSV: $(($(wc -l < "$out/orders.csv") - 1)) rows"

/usr/bin/python3 bench/rfm_pandas.py "$out/orders.csv" "$as_of" 365 "$out/ours.csv"

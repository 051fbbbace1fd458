#!/bin/sh
# WooCommerce pull of N orders from the fake shop on loopback (issue 13), with the reference in
# the same run: curl fetching the same pages (customers, then orders, 100 a page) from the same
# server on one connection.
#
#   [BENCH_DIR=DIR] bench/bench-woo.sh BUILD_DIR [N_ORDERS]      # default 20000
#
# The fake runs with --open (no signature check) so that curl can fetch the pages unsigned; the
# client signs every request all the same (OAuth 1.0a over plain HTTP).
set -eu
build=${1:?usage: $0 BUILD_DIR [N_ORDERS]}
n=${2:-20000}
customers=$((n / 10))
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
db_dir=${BENCH_DIR:-$dir}   # where the database goes (BENCH_DIR=/dev/shm: without the disk's fsyncs)
trap 'kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT

python3 "$top/tests/sync/woo-fake.py" --data "$top/tests/sync/woo-data" --orders "$n" --customers "$customers" \
  --key ck_bench --secret cs_bench --open >"$dir/port" &
pid=$!
while [ ! -s "$dir/port" ]; do sleep 0.2; done
port=$(head -1 "$dir/port")
base=http://127.0.0.1:$port
echo "shop: $n orders, $customers customers (+ the documentation's 2 and 2) on $base; load: $(cut -d' ' -f1-3 /proc/loadavg)"

cpages=$(( (customers + 2 + 99) / 100 ))
opages=$(( (n + 2 + 99) / 100 ))
# The client's own requests (crm-woo.c: the same _fields, order and page size).
cfields=id,date_modified_gmt,email,first_name,last_name,username,billing
ofields=id,number,status,currency,date_created,date_created_gmt,date_modified_gmt,discount_total,shipping_total,total,total_tax,customer_id,customer_note,billing,payment_method_title,line_items
fetch () {
  curl -s -o /dev/null "$base/wp-json/wc/v3/customers?_fields=$cfields&order=asc&orderby=id&page=[1-$cpages]&per_page=100"
  curl -s -o /dev/null "$base/wp-json/wc/v3/orders?_fields=$ofields&order=asc&orderby=id&page=[1-$opages]&per_page=100"
}
# Once to warm the fake's caches (each record serialized once), as the client finds them.
fetch
start=$(date +%s.%N)
fetch
end=$(date +%s.%N)
echo "reference: curl fetched $cpages + $opages pages in $(echo "$end - $start" | bc) s: $(echo "($n + 2) / ($end - $start)" | bc) orders/s"

rm -f "$db_dir/bench-woo.db" "$db_dir/bench-woo.db-wal" "$db_dir/bench-woo.db-shm"
"$build/bench/bench-woo" "$base" ck_bench cs_bench "$db_dir/bench-woo.db"
rm -f "$db_dir/bench-woo.db" "$db_dir/bench-woo.db-wal" "$db_dir/bench-woo.db-shm"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

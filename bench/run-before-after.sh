#!/usr/bin/env bash
# run-before-after.sh: every 1M bench on two builds, interleaved, in one session (issue 11).
#
#   BEFORE=00bd93a AFTER=<commit> bench/run-before-after.sh
#
# Clones the repository twice under $H (default /tmp/house), builds both with -Dgui=true,
# generates one 1M-customer / 10M-order database per build (the schemas differ), then runs the
# recompute, foundation, export, import, CLV, predictions, dashboard and UI benches, each before
# then after.  About 12 minutes on the 2-core machine once both databases exist; the import runs
# both builds on the same CSV (the one the "before" build exported).
set -u
H=${H:-/tmp/house}
REPO=$(cd "$(dirname "$0")/.." && pwd)
BEFORE=${BEFORE:-00bd93a}
AFTER=${AFTER:-$(git -C "$REPO" rev-parse HEAD)}
export CLIENTELE_SHARED_DATA=${CLIENTELE_SHARED_DATA:-$REPO/../shared/data}
log () { echo "### $(date -u +%H:%M:%S) load=$(cut -d' ' -f1 /proc/loadavg) $*"; }
mkdir -p "$H"
for v in before after; do
  c=$BEFORE; [ $v = after ] && c=$AFTER
  if [ ! -d $H/$v ]; then git clone -q "$REPO" $H/$v && git -C $H/$v checkout -q $c; fi
  log "build $v $(git -C $H/$v rev-parse --short HEAD)"
  (cd $H/$v && { [ -f _build/build.ninja ] || meson setup _build -Dgui=true >/dev/null; } && ninja -C _build >/dev/null) || { echo "build $v failed"; exit 1; }
done
for v in before after; do
  if [ ! -f $H/$v.db ]; then
    log "generate $v"
    /usr/bin/time -f "wall %e s, maxrss %M KB" $H/$v/_build/src/cli/clientele-cli --database $H/$v.db generate --customers 1000000 --orders 10000000 --as-of 2025-06-30 2>&1 | tail -3
  fi
done
for v in before after; do
  log "recompute $v"
  asof=$(sqlite3 $H/$v.db 'SELECT max(placed_at) FROM orders')
  $H/$v/_build/bench/bench-recompute $H/$v.db "$asof" 2>&1 | tail -4
done
for v in before after; do log "foundation $v"; $H/$v/_build/bench/bench-foundation $H/$v.db 2>&1 | grep -E "Open|Search|Sort|RSS"; done
for v in before after; do log "export $v"; rm -f $H/$v.csv; /usr/bin/time -f "wall %e s" $H/$v/_build/src/cli/clientele-cli --database $H/$v.db export customers -o $H/$v.csv 2>&1 | tail -2; done
for v in before after; do log "import $v"; rm -f $H/$v-imp.db*; /usr/bin/time -f "user %U s sys %S s wall %e s" $H/$v/_build/bench/bench-import import $H/$v-imp.db $H/before.csv 2>&1 | tail -2; done
for v in before after; do log "clv $v"; (cd $H/$v && _build/bench/bench-clv --data "$CLIENTELE_SHARED_DATA" --repeat 1 2>&1 | tail -14); done
for v in before after; do log "predict $v"; $H/$v/_build/bench/bench-predict --db $H/$v.db --repeat 3 --pdf $H/$v.pdf 2>&1 | grep -E "total|read|fit|score|write|co-purchase|sales|Last|All|PDF|RSS"; done
for v in before after; do log "dashboard $v"; (cd $H/$v && GSETTINGS_SCHEMA_DIR=_build/data GSETTINGS_BACKEND=memory xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- env GSK_RENDERER=cairo _build/bench/bench-dashboard $H/$v.db 3 2>&1 | grep -v "^dbus-daemon" | tail -6); done
for v in before after; do log "ui $v"; (cd $H/$v && bench/bench-ui.sh $H/$v.db _build 5 2>&1 | grep -E "first-rows|stall-ms|to-result|click-to-rows|jump-to-frame|page-load"); done
log end

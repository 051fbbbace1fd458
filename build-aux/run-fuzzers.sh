#!/bin/sh
# Builds the libFuzzer targets (tests/fuzz/) with clang, ASan and UBSan, and runs every fuzz-*
# executable for SECONDS each, seeded from tests/data/NAME/ (fuzz-csv → tests/data/csv/).
#
#   build-aux/run-fuzzers.sh [SECONDS] [BUILDDIR]      (defaults: 60, /tmp/b-fuzz)
#
# The growing corpus is kept in BUILDDIR/fuzz-corpus/NAME, crashes in BUILDDIR/fuzz-artifacts/.
# Exit status is non-zero if any fuzzer found a problem.
set -eu

secs=${1:-60}
build=${2:-/tmp/b-fuzz}
src=$(cd "$(dirname "$0")/.." && pwd)

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$src" -Dgui=false -Dfuzzing=true \
    -Db_sanitize=address,undefined -Db_lundef=false
fi

targets=$(ninja -C "$build" -t targets all | sed -n 's|^\(tests/fuzz/fuzz-[A-Za-z0-9_-]*\): .*|\1|p' | sort -u)
if [ -z "$targets" ]; then
  echo "$0: no fuzz targets in $build (configured with -Dfuzzing=true?)" >&2
  exit 1
fi
# shellcheck disable=SC2086
ninja -C "$build" $targets

export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

status=0
for target in $targets; do
  exe=$build/$target
  name=$(basename "$exe")
  seeds=$src/tests/data/${name#fuzz-}
  corpus=$build/fuzz-corpus/$name
  artifacts=$build/fuzz-artifacts
  mkdir -p "$corpus" "$artifacts"
  set -- "$corpus"
  if [ -d "$seeds" ]; then
    set -- "$@" "$seeds"
  fi
  echo "== $name for ${secs}s (corpus $corpus)"
  # A fixed seed (FUZZ_SEED, default 1) makes a run repeatable: from the same seeds,
  # a longer run explores a superset of what a shorter one does.
  if ! "$exe" -seed="${FUZZ_SEED:-1}" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="$artifacts/$name-" "$@"; then
    echo "!! $name failed; reproduce with: $exe $artifacts/$name-<crash file>" >&2
    status=1
  fi
done
exit $status

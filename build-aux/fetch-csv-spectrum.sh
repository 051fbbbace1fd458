#!/bin/sh
# Installs the csv-spectrum test corpus (npm package) for tests/test-csv.c.
#
#   build-aux/fetch-csv-spectrum.sh DIR
#   export CSV_SPECTRUM_DIR=DIR        # the test also accepts DIR/node_modules/csv-spectrum
#
# The version is pinned so the expectations in test-csv.c (which name two upstream corpus bugs,
# max-mapper/csv-spectrum#20 and #22) stay right.
set -eu

if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
dir=$1

if ! command -v npm >/dev/null 2>&1; then
  echo "$0: npm is needed (Debian: apt-get install npm)" >&2
  exit 1
fi

mkdir -p "$dir"
npm install --no-save --no-audit --no-fund --prefix "$dir" csv-spectrum@2.0.0 >&2

corpus=$dir/node_modules/csv-spectrum
if [ ! -d "$corpus/csvs" ] || [ ! -d "$corpus/json" ]; then
  echo "$0: $corpus has no csvs/ and json/ directories" >&2
  exit 1
fi
echo "$corpus"

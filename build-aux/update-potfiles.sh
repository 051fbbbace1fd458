#!/bin/sh
# update-potfiles.sh [--check]: po/POTFILES.in lists every file with translatable strings
# (the desktop file, schema, metainfo, every UI template and every C file that marks a
# string).  --check only compares, for the po test.
set -eu
cd "$(dirname "$0")/.."
new=$(mktemp)
trap 'rm -f "$new"' EXIT
{
  echo "# Files with translatable strings, relative to the top source directory."
  echo "# Made by build-aux/update-potfiles.sh; the po test fails when it is out of date."
  ls data/*.desktop.in data/*.gschema.xml data/*.metainfo.xml.in
  ls data/ui/*.ui
  grep -rlE '(^|[^A-Za-z0-9_])(N?C?_|g_dngettext|g_dpgettext2|ngettext)[ ]?\(' --include='*.c' src | LC_ALL=C sort
} >"$new"
if [ "${1:-}" = "--check" ]; then
  if ! diff -u po/POTFILES.in "$new"; then
    echo "FAIL: po/POTFILES.in is out of date: run build-aux/update-potfiles.sh" >&2
    exit 1
  fi
  exit 0
fi
cp "$new" po/POTFILES.in

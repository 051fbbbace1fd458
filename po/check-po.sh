#!/bin/sh
# check-po.sh PO SRCDIR: the translation compiles (msgfmt --check), has nothing
# untranslated or fuzzy, and covers every string currently in POTFILES.in.
set -eu
po=$1
srcdir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

msgfmt --check --statistics -o /dev/null "$po" 2>"$tmp/stats" || { cat "$tmp/stats"; exit 1; }
cat "$tmp/stats"
if grep -qE 'untranslated|fuzzy' "$tmp/stats"; then
  echo "FAIL: $po has untranslated or fuzzy messages" >&2
  exit 1
fi

"$srcdir/build-aux/update-potfiles.sh" --check
grep -v '^#' "$srcdir/po/POTFILES.in" | grep -v '^$' >"$tmp/files"
(cd "$srcdir" && xgettext --files-from="$tmp/files" --output="$tmp/all.pot" \
  --from-code=UTF-8 --add-comments --keyword=_ --keyword=N_ \
  --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=g_strdup_printf:1:c-format --flag=g_printerr:1:c-format)
if ! msgcmp "$po" "$tmp/all.pot" 2>"$tmp/cmp"; then
  cat "$tmp/cmp" >&2
  echo "FAIL: $po lacks strings from the sources; run ninja clientele-update-po and translate them" >&2
  exit 1
fi
echo "OK: $po covers all $(grep -c '^msgid ' "$tmp/all.pot") source strings (including the header)"

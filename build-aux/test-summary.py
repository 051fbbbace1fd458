#!/usr/bin/env python3
"""Prints 'N passed, N failed[, N skipped]' from meson's testlog.json.

Each GLib test program reports its test cases as TAP lines; those are counted one
by one, so the summary says how many behaviours were checked, not how many
programs ran.  A program that crashed or timed out counts as a failure even when
the TAP it printed before dying looked fine."""
import json
import re
import sys

passed = failed = skipped = 0
path = sys.argv[1] if len(sys.argv) > 1 else "_build/meson-logs/testlog.json"
try:
    lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
except OSError:
    print("0 passed, 1 failed")
    sys.exit(0)

for line in lines:
    if not line.strip():
        continue
    entry = json.loads(line)
    result = entry.get("result", "")
    out = entry.get("stdout", "") or ""
    ok = len(re.findall(r"^ok \d+(?! .*# SKIP)", out, re.M))
    skip = len(re.findall(r"^ok \d+ .*# SKIP", out, re.M))
    bad = len(re.findall(r"^not ok \d+", out, re.M))
    if ok + skip + bad == 0:
        ok, bad = (1, 0) if result in ("OK", "EXPECTEDFAIL") else (0, 0)
        skip = 1 if result == "SKIP" else 0
    if result not in ("OK", "EXPECTEDFAIL", "SKIP") and bad == 0:
        bad = 1
    passed += ok
    failed += bad
    skipped += skip

print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))

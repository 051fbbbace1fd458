#!/usr/bin/env python3
"""check-sizes.py [PATH...]: lists C files in src/ over the size budget (~1,000 lines,
hard limit 1,200) and functions over 150 lines.  Exit status 1 when anything is over
the hard limits, so it can run as a check.

A function is found the way GNU style lays it out: its name and '(' start a line at
column 0 and its body is the next '{' ... '}' pair at column 0.  The length counted is
from the name's line to the closing brace."""
import os
import re
import sys

FILE_SOFT, FILE_HARD, FUNC_MAX = 1000, 1200, 150
name_re = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*\(")


def files(args):
    roots = args or [os.path.join(os.path.dirname(__file__), "..", "src")]
    for root in roots:
        if os.path.isfile(root):
            yield root
            continue
        for d, _, names in os.walk(root):
            for n in sorted(names):
                if n.endswith((".c", ".h")):
                    yield os.path.join(d, n)


def main():
    bad = False
    for path in files(sys.argv[1:]):
        lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
        rel = os.path.relpath(path)
        if len(lines) > FILE_SOFT:
            hard = len(lines) > FILE_HARD
            bad |= hard
            print(f"{rel}: {len(lines)} lines (over {FILE_HARD if hard else FILE_SOFT})")
        name, start, in_body = None, 0, False
        for i, line in enumerate(lines):
            m = name_re.match(line)
            if m and not in_body:
                name, start = m.group(1), i
            elif line.startswith("{") and name:
                in_body = True
            elif line.startswith("}") and in_body:
                length = i - start + 1
                if length > FUNC_MAX:
                    bad = True
                    print(f"{rel}:{start + 1}: {name} is {length} lines (over {FUNC_MAX})")
                name, in_body = None, False
            elif not in_body and line.strip().endswith(";") and not line.startswith(" "):
                name = None
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Compare a tool's CSV with the CSV LibreOffice saves from the tool's .xlsx of
the same report (tests/cli/kpi-report/xlsx-libreoffice).

usage: soffice-compare.py TOOL.csv LIBREOFFICE.csv COLUMN=KIND...

The headers must be equal, and so the number of rows.  For each COLUMN named:
text: every cell equal (a formula-looking text stays as it was: LibreOffice
did not run it); money: LibreOffice's display with its digit groups (',') taken
out equals the tool's text; number: LibreOffice's display, a trailing '%'
divided by 100 and digit groups taken out, equals the tool's value to 1e-9.
Prints one line per column checked, and exits 1 at the first difference.
"""
import csv
import sys


def rows(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.reader(f))


def number(s):
    s = s.replace(",", "").strip()
    if s.endswith("%"):
        return float(s[:-1]) / 100
    return float(s)


def main(argv):
    tool, lo = rows(argv[0]), rows(argv[1])
    if tool[0] != lo[0]:
        print("headers differ:\n  %s\n  %s" % (tool[0], lo[0]))
        return 1
    if len(tool) != len(lo):
        print("%d rows against %d" % (len(tool), len(lo)))
        return 1
    print("header and %d rows the same" % (len(tool) - 1))
    for spec in argv[2:]:
        name, kind = spec.split("=")
        c = tool[0].index(name)
        for r, (a, b) in enumerate(zip(tool[1:], lo[1:]), 2):
            x, y = a[c], b[c]
            if kind == "text":
                same = x == y
            elif kind == "money":
                same = x == y.replace(",", "")
            else:
                same = (x == "" and y == "") or (x != "" and y != "" and abs(float(x) - number(y)) < 1e-9)
            if not same:
                print("row %d, %s: %r against %r" % (r, name, x, y))
                return 1
        print("%s: %s, the same" % (name, kind))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/python3
"""Dump the .xlsx workbooks the tools write, as openpyxl reads them, for the CLI
cases to compare against their expect: the oracle for .xlsx output is a reader
other than the toolkit's own.

usage: xlsxout.py [--styles] FILE.xlsx...

For each sheet: its name, the frozen cell (the header frozen: A2), the
autofilter, the widths of its columns (whole characters), then one line per
row, each cell as TYPE:VALUE, TYPE being openpyxl's data type: s (string), n
(number), d (date, a datetime read through the cell's date format), b (bool),
t (a duration, in seconds), f (formula: never written by the tools); an empty cell is a lone '-'.  With
--styles a cell also shows its number format when it has one, [bold], and its
fill colour.  Exits 1, saying why, when any cell is a formula: no cell from
the data may become one.
"""
import sys

import openpyxl


def cell(c, styles):
    if c.value is None and not (styles and c.fill.fill_type):
        return "-"
    if c.value is None:
        out = "-"
    elif hasattr(c.value, "total_seconds"):
        # a duration ([h]:mm): openpyxl reads it as a timedelta
        out = "t:%ds" % round(c.value.total_seconds())
    elif c.data_type == "d" or hasattr(c.value, "isoformat"):
        v = c.value
        out = "d:" + (v.strftime("%Y-%m-%d") if (v.hour, v.minute, v.second) == (0, 0, 0) and
                      "h" not in c.number_format else v.strftime("%Y-%m-%d %H:%M:%S"))
    elif c.data_type == "n":
        out = "n:" + repr(c.value)
    else:
        out = c.data_type + ":" + str(c.value).replace("\n", "\\n")
    if styles:
        if c.number_format != "General":
            out += " {" + c.number_format + "}"
        if c.font.b:
            out += " [bold]"
        if c.fill.fill_type:
            out += " #" + c.fill.fgColor.rgb[-6:] + "/" + c.font.color.rgb[-6:]
    return out


def main(argv):
    styles = False
    if argv and argv[0] == "--styles":
        styles = True
        argv = argv[1:]
    formulas = 0
    for path in argv:
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            widths = [int(ws.column_dimensions[k].width) for k in sorted(ws.column_dimensions, key=lambda k: (len(k), k))]
            print("sheet %s frozen %s filter %s widths %s" % (ws.title, ws.freeze_panes, ws.auto_filter.ref,
                                                               ",".join(map(str, widths))))
            for row in ws.iter_rows():
                cells = [cell(c, styles) for c in row]
                formulas += sum(c.data_type == "f" for c in row)
                print(" | ".join(cells))
    if formulas:
        print("xlsxout.py: %d formula cell(s)" % formulas, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

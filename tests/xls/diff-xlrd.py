#!/usr/bin/python3
"""diff-xlrd.py - write .xls workbooks with xlwt, read them with xlrd and with ls-cat, compare every cell.

The generator and the comparison are ../xlsx/sheetdiff.py's, shared with
diff-openpyxl.py.  The workbooks (BIFF8, what Excel 97-2003 and 1C write) hold strings with
Cyrillic, quotes, commas, tabs, line breaks and characters beyond the BMP;
big phone numbers, 0.1, negatives, exponents; dates, date-times and times
under several number formats; booleans; empty cells and empty rows.  xlrd,
a reader independent of FreeXL (which ls-cat reads through), gives each
cell's value and number format; the value is put through the conversions
libsales-formats(5) documents under ".xls input" and must equal the field
ls-cat writes.  Exit 0 when all agree, 1 with the differences, 77 when
xlrd or xlwt is missing (Debian's python3-xlrd and python3-xlwt, for
/usr/bin/python3).
usage: diff-xlrd.py LS_CAT WORKDIR [ROWS]
"""
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'xlsx'))
from sheetdiff import diff, number, value  # noqa: E402

try:
    import xlrd
    import xlwt
except ImportError as e:
    sys.stderr.write('xlrd or xlwt missing (apt-get install python3-xlrd python3-xlwt): %s\n' % e)
    sys.exit(77)


def fmt_kind(fmt):
    """date, datetime, time or None, from a number format's d/m/y and h/s tokens."""
    f, quoted, out = fmt.lower(), False, ''
    for ch in f:
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            out += ch
    has_date = any(c in out for c in 'dy')
    has_time = 'h' in out or 's' in out
    if has_date and has_time:
        return 'datetime'
    if has_date:
        return 'date'
    if has_time:
        return 'time'
    return None


def expect(book, cell):
    t, v = cell.ctype, cell.value
    if t in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ''
    if t == xlrd.XL_CELL_TEXT:
        return v
    if t in (xlrd.XL_CELL_BOOLEAN, xlrd.XL_CELL_ERROR):
        return str(int(v))
    if t == xlrd.XL_CELL_DATE:
        kind = fmt_kind(book.format_map[book.xf_list[cell.xf_index].format_key].format_str)
        y, mo, d, h, mi, s = xlrd.xldate_as_tuple(v, book.datemode)
        if kind == 'time':
            return '%02d:%02d:%02d' % (h, mi, s)
        if kind == 'date':
            return '%04d-%02d-%02d' % (y, mo, d)
        return '%04d-%02d-%02d %02d:%02d:%02d' % (y, mo, d, h, mi, s)
    return number(float(v))


FORMATS = {'date': ['DD.MM.YYYY', 'YYYY-MM-DD', 'D MMM YYYY'],
           'datetime': ['DD.MM.YYYY HH:MM:SS', 'YYYY-MM-DD HH:MM'],
           'time': ['HH:MM:SS', 'HH:MM']}
KINDS = ['str', 'phone', 'num', 'date', 'datetime', 'time', 'bool', 'empty', 'str']


def generate(path, rows, seed):
    rng = random.Random(seed)
    wb = xlwt.Workbook(encoding='utf-8')
    ws = wb.add_sheet('Лист1')
    styles = {k: [xlwt.easyxf(num_format_str=f) for f in fs] for k, fs in FORMATS.items()}
    for j, k in enumerate(KINDS):
        ws.write(0, j, 'col%d %s' % (j, k))
    r = 1
    for _ in range(rows):
        if rng.random() < 0.02:
            r += 1      # an empty row, skipped as a blank line is
        row = [value(rng, k) if rng.random() < 0.9 else None for k in KINDS]
        if all(v is None for v in row):
            row[0] = 'x'
        for j, v in enumerate(row):
            if v is None:
                continue
            if KINDS[j] in styles:
                ws.write(r, j, v, rng.choice(styles[KINDS[j]]))
            else:
                ws.write(r, j, v)
        r += 1
    wb.add_sheet('Второй').write(0, 0, 'other')
    wb.save(path)


def compare(lscat, path, sheet):
    want = []
    book = xlrd.open_workbook(path, formatting_info=True)
    sh = book.sheet_by_name(sheet)
    for i in range(sh.nrows):
        cells = [expect(book, c) for c in sh.row(i)]
        while cells and cells[-1] == '':
            cells.pop()
        if cells:
            want.append(cells)
    return diff(lscat, path, sheet, want, 'xlrd')


def main():
    lscat, work = sys.argv[1], sys.argv[2]
    rows = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    bad, n, cells = [], 0, 0
    for seed in (1, 2, 3):
        p = os.path.join(work, 'gen%d.xls' % seed)
        generate(p, rows, seed)
        bad += compare(lscat, p, 'Лист1')
        n += 1
        cells += rows * len(KINDS)
    for b in bad[:40]:
        print(b)
    print('%d workbooks, %d cells: %s' % (n, cells, 'every cell agrees' if not bad else
                                           '%d differences' % len(bad)))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())

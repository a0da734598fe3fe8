#!/usr/bin/python3
"""diff-xlrd.py - write .xls workbooks with xlwt, read them with xlrd and with ls-cat, compare every cell.

The workbooks (BIFF8, what Excel 97-2003 and 1C write) hold strings with
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
import csv
import datetime
import decimal
import io
import os
import random
import subprocess
import sys

try:
    import xlrd
    import xlwt
except ImportError as e:
    sys.stderr.write('xlrd or xlwt missing (apt-get install python3-xlrd python3-xlwt): %s\n' % e)
    sys.exit(77)


def number(f):
    """The shortest decimal that reads back to the same double, in plain digits."""
    if f == 0:
        return '0'
    s = format(decimal.Decimal(repr(f)), 'f')
    if '.' in s:
        s = s.rstrip('0').rstrip('.')
    return s


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


WORDS = ['ООО "Гамма", Москва', 'ИП Петров', 'a,b', 'кавычка "', 'строка\nвторая', ' пробелы ',
         'Ёлка', 'O\'Brien', '+7 916', '-5 дней', '#N/A?', 'tab\there', 'emoji 😀']
FORMATS = {'date': ['DD.MM.YYYY', 'YYYY-MM-DD', 'D MMM YYYY'],
           'datetime': ['DD.MM.YYYY HH:MM:SS', 'YYYY-MM-DD HH:MM'],
           'time': ['HH:MM:SS', 'HH:MM']}
KINDS = ['str', 'phone', 'num', 'date', 'datetime', 'time', 'bool', 'empty', 'str']


def value(rng, kind):
    if kind == 'str':
        return rng.choice(WORDS) + (str(rng.randrange(1000)) if rng.random() < 0.5 else '')
    if kind == 'phone':
        return rng.choice([79161234567, 79031234567, 77012345678, 375291234567, 12025550123])
    if kind == 'num':
        return rng.choice([0.1, -5, 1e21, 1.5e-7, 123456789.125, -0.0001, 3.14159, 2 ** 53, 1 / 3,
                           rng.uniform(-1e6, 1e6), rng.randrange(-10 ** 9, 10 ** 9), 0])
    if kind == 'date':
        return datetime.date(1900, 3, 1) + datetime.timedelta(days=rng.randrange(0, 60000))
    if kind == 'datetime':
        return datetime.datetime(1990, 1, 1) + datetime.timedelta(seconds=rng.randrange(0, 10 ** 9))
    if kind == 'time':
        return datetime.time(rng.randrange(24), rng.randrange(60), rng.randrange(60))
    if kind == 'bool':
        return rng.random() < 0.5
    return None


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
    out = subprocess.run([lscat, '--sheet', sheet, path], capture_output=True)
    if out.returncode != 0:
        return ['%s: ls-cat failed (%d): %s' % (path, out.returncode, out.stderr.decode().strip())]
    got = list(csv.reader(io.StringIO(out.stdout.decode(), newline='')))
    bad = []
    if len(got) != len(want):
        bad.append('%s: %d rows read, xlrd %d' % (path, len(got), len(want)))
    ncols = len(want[0]) if want else 0
    for i, (g, w) in enumerate(zip(got, want)):
        w = w + [''] * (ncols - len(w))
        if g != w:
            for j, (a, b) in enumerate(zip(g, w)):
                if a != b:
                    bad.append('%s row %d col %d: ls-cat %r, xlrd %r' % (path, i + 1, j + 1, a, b))
            if len(g) != len(w):
                bad.append('%s row %d: %d fields, xlrd %d' % (path, i + 1, len(g), len(w)))
    return bad


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

#!/usr/bin/python3
"""diff-openpyxl.py - read generated workbooks with openpyxl and with ls-cat, compare every cell.

The workbooks are written by openpyxl (strings with Cyrillic, quotes, commas
and line breaks, shared and inline; big phone numbers, 0.1, negatives,
exponents; dates, date-times, times; booleans; empty cells), plus one whose
formula cells carry cached values, patched into openpyxl's XML since
openpyxl computes no formula.  Each cell openpyxl reads is put through the
documented conversions of libsales-formats(5), ".xlsx input", and must equal
the field ls-cat writes.  Exit 0 when all agree, 1 with the differences,
77 when openpyxl is missing (it is Debian's python3-openpyxl, for
/usr/bin/python3).
usage: diff-openpyxl.py LS_CAT WORKDIR [ROWS]
"""
import datetime
import os
import random
import re
import sys
import zipfile

from sheetdiff import diff, number, value

try:
    import openpyxl
    from openpyxl.styles.numbers import is_datetime
except ImportError as e:
    sys.stderr.write('openpyxl missing (apt-get install python3-openpyxl): %s\n' % e)
    sys.exit(77)


def expect(v, fmt):
    kind = is_datetime(fmt) if fmt else None
    if isinstance(v, datetime.datetime) and kind == 'date':
        v = (v + datetime.timedelta(microseconds=500)).date()
    if v is None:
        return ''
    if isinstance(v, bool):
        return 'TRUE' if v else 'FALSE'
    if isinstance(v, datetime.datetime):
        # rounded to the second
        v = v + datetime.timedelta(microseconds=500000)
        v = v.replace(microsecond=0)
        return v.strftime('%Y-%m-%d %H:%M:%S')
    if isinstance(v, datetime.date):
        return v.strftime('%Y-%m-%d')
    if isinstance(v, datetime.time):
        return v.strftime('%H:%M:%S')
    if isinstance(v, (int, float)):
        return number(v)
    return str(v)


KINDS = ['str', 'phone', 'num', 'date', 'datetime', 'time', 'bool', 'empty', 'str']


def generate(path, rows, seed, write_only):
    rng = random.Random(seed)
    wb = openpyxl.Workbook(write_only=write_only)
    ws = wb.create_sheet('Лист1') if write_only else wb.active
    if not write_only:
        ws.title = 'Лист1'
    ws.append(['col%d %s' % (i, k) for i, k in enumerate(KINDS)])
    for _ in range(rows):
        row = [value(rng, k) if rng.random() < 0.9 else None for k in KINDS]
        if all(v is None or v == '' for v in row):
            row[0] = 'x'
        ws.append(row)
    wb.save(path)


def formulas(path):
    """openpyxl writes formulas without values: give each a cached <v> in the XML."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = 'F'
    ws.append(['a', 'b', 'sum', 'text', 'flag'])
    for i in range(2, 12):
        ws.append([i, i / 10, '=A%d+B%d' % (i, i), '=REPT("ж",A%d)' % i, '=A%d>5' % i])
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts['xl/worksheets/sheet1.xml'].decode()

    def cache(m):
        ref, body = m.group(1), m.group(3)
        r = int(re.sub('[A-Z]', '', ref))
        col = re.sub('[0-9]', '', ref)
        if col == 'C':
            return '<c r="%s"%s><f>%s</f><v>%r</v></c>' % (ref, m.group(2), body, r + r / 10)
        if col == 'D':
            return '<c r="%s" t="str"><f>%s</f><v>%s</v></c>' % (ref, body, 'ж' * r)
        return '<c r="%s" t="b"><f>%s</f><v>%d</v></c>' % (ref, body, r > 5)
    xml = re.sub(r'<c r="([A-Z]+[0-9]+)"([^>]*?)(?: t="[a-z]+")?><f>([^<]*)</f><v\s*/?>(?:</v>)?</c>', cache, xml)
    parts['xl/worksheets/sheet1.xml'] = xml.encode()
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)


def compare(lscat, path, sheet):
    want = []
    # data_only: a formula cell as its cached value, as the reader gives it
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for row in wb[sheet].iter_rows():
        cells = [expect(c.value, getattr(c, 'number_format', None)) for c in row]
        while cells and cells[-1] == '':
            cells.pop()
        if cells:
            want.append(cells)
    wb.close()
    return diff(lscat, path, sheet, want, 'openpyxl')


def main():
    lscat, work = sys.argv[1], sys.argv[2]
    rows = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    bad, n = [], 0
    for seed, wo in ((1, False), (2, True), (3, False)):
        p = os.path.join(work, 'gen%d.xlsx' % seed)
        generate(p, rows, seed, wo)
        bad += compare(lscat, p, 'Лист1')
        n += 1
    p = os.path.join(work, 'formulas.xlsx')
    formulas(p)
    bad += compare(lscat, p, 'F')
    n += 1
    for b in bad[:40]:
        print(b)
    print('%d workbooks, %s' % (n, 'every cell agrees' if not bad else '%d differences' % len(bad)))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())

"""sheetdiff.py - what the workbook differential tests share (diff-openpyxl.py, ../xls/diff-xlrd.py).

The generator's cell values, the documented number conversion, and the
comparison of ls-cat's CSV with the rows a Python reader gives.
"""
import csv
import datetime
import decimal
import io
import subprocess


def number(v):
    """The shortest decimal that reads back to the same double, in plain digits."""
    f = float(v)
    if f == 0:
        return '0'
    s = format(decimal.Decimal(repr(f)), 'f')
    if '.' in s:
        s = s.rstrip('0').rstrip('.')
    return s


WORDS = ['ООО "Гамма", Москва', 'ИП Петров', 'a,b', 'кавычка "', 'строка\nвторая', ' пробелы ',
         'Ёлка', 'O\'Brien', '+7 916', '-5 дней', '#N/A?', 'tab\there', 'emoji 😀', '']


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


def diff(lscat, path, sheet, want, oracle):
    """Run ls-cat on the sheet and list every cell where it differs from want (rows of text)."""
    out = subprocess.run([lscat, '--sheet', sheet, path], capture_output=True)
    if out.returncode != 0:
        return ['%s: ls-cat failed (%d): %s' % (path, out.returncode, out.stderr.decode().strip())]
    got = list(csv.reader(io.StringIO(out.stdout.decode(), newline='')))
    bad = []
    if len(got) != len(want):
        bad.append('%s: %d rows read, %s %d' % (path, len(got), oracle, len(want)))
    ncols = len(want[0]) if want else 0
    for i, (g, w) in enumerate(zip(got, want)):
        w = w + [''] * (ncols - len(w))
        if g != w:
            for j, (a, b) in enumerate(zip(g, w)):
                if a != b:
                    bad.append('%s row %d col %d: ls-cat %r, %s %r' % (path, i + 1, j + 1, a, oracle, b))
            if len(g) != len(w):
                bad.append('%s row %d: %d fields, %s %d' % (path, i + 1, len(g), oracle, len(w)))
    return bad

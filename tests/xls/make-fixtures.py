#!/usr/bin/python3
"""make-fixtures.py - write the .xls fixtures beside the CLI cases that read them.

xls-1c-report.xls (the shared cases) is a BIFF8 workbook laid out as 1C prints a report saved "as Excel 97": a
title row, a blank row, the header on row 3, then clients with Cyrillic
names, phones stored as numbers, amounts, dates in DD.MM.YYYY, a flag; a
second sheet of totals.  xls-leads.xls (lead-qualify's): its lead base,
lq-base.csv, as a workbook.  Written with xlwt (Debian's python3-xlwt);
the files are kept in the repository so that the cases need no Python.
usage: tests/xls/make-fixtures.py [OUTDIR]
"""
import csv
import datetime
import os
import sys

import xlwt


def main():
    top = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(top, 'tests/cli/shared/data')
    wb = xlwt.Workbook(encoding='utf-8')
    ws = wb.add_sheet('Лист1')
    day = xlwt.easyxf(num_format_str='DD.MM.YYYY')
    money = xlwt.easyxf(num_format_str='# ##0.00')
    ws.write(0, 0, 'Отчёт по клиентам за март')
    for j, h in enumerate(['Клиент', 'Телефон', 'Сумма', 'Дата', 'VIP']):
        ws.write(2, j, h)
    rows = [('ООО "Гамма", Москва', 79161234567, 125000.5, datetime.date(2027, 3, 1), True),
            ('ИП Петров', 79031234567, 0.1, datetime.date(2027, 3, 2), False),
            ('Ёлка\nфилиал', None, -1500, datetime.date(2027, 3, 31), None)]
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is None:
                continue
            ws.write(3 + i, j, v, day if j == 3 else money if j == 2 else xlwt.Style.default_style)
    ws2 = wb.add_sheet('Итоги')
    ws2.write(0, 0, 'Итого')
    ws2.write(0, 1, 'Сумма')
    ws2.write(1, 0, 'март')
    ws2.write(1, 1, 123500.5)
    wb.save(os.path.join(out, 'xls-1c-report.xls'))
    # the lead base of lead-qualify's cases as a workbook: employees as numbers, the rest as text
    with open(os.path.join(top, 'tests/cli/lead-qualify/data/lq-base.csv'), newline='') as f:
        rows = list(csv.reader(f))
    wb = xlwt.Workbook(encoding='utf-8')
    ws = wb.add_sheet('Лиды')
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            ws.write(i, j, int(v) if i > 0 and rows[0][j] == 'employees' and v.isdigit() else v)
    wb.save(os.path.join(top, 'tests/cli/lead-qualify/data/xls-leads.xls'))


if __name__ == '__main__':
    main()

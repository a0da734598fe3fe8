#!/usr/bin/python3
"""gen-big.py - write a big one-sheet .xlsx for measuring the reader (memory, speed).

Leads as a CRM exports them: id, company (shared strings), contact (inline
strings, all different), phone (a number), amount (a number with a
fraction), created (a date-time by style), active (a boolean).  The sheet
part is streamed into the zip, so any row count fits in little memory.
usage: gen-big.py OUT.xlsx ROWS
"""
import os
import random
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import importlib  # noqa: E402
fx = importlib.import_module('make-fixtures')


def main():
    out, rows = sys.argv[1], int(sys.argv[2])
    rng = random.Random(7)
    companies = ['ООО «Компания %d», г. Москва' % i for i in range(10000)]
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.writestr('[Content_Types].xml', fx.content_types(1))
        z.writestr('_rels/.rels', fx.root_rels())
        z.writestr('xl/workbook.xml', fx.workbook(['Leads']))
        z.writestr('xl/_rels/workbook.xml.rels', fx.workbook_rels(1))
        z.writestr('xl/styles.xml', fx.STYLES)
        z.writestr('xl/sharedStrings.xml', fx.sst(companies).encode('utf-8'))
        with z.open('xl/worksheets/sheet1.xml', 'w', force_zip64=True) as f:
            f.write((fx.HEAD + '<worksheet xmlns="%s"><sheetData>' % fx.NS).encode())
            f.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>lead_id</t></is></c>'
                    b'<c r="B1" t="inlineStr"><is><t>company</t></is></c>'
                    b'<c r="C1" t="inlineStr"><is><t>contact</t></is></c>'
                    b'<c r="D1" t="inlineStr"><is><t>phone</t></is></c>'
                    b'<c r="E1" t="inlineStr"><is><t>amount</t></is></c>'
                    b'<c r="F1" t="inlineStr"><is><t>created_at</t></is></c>'
                    b'<c r="G1" t="inlineStr"><is><t>active</t></is></c></row>')
            buf = []
            for r in range(2, rows + 2):
                buf.append('<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d" t="s"><v>%d</v></c>'
                           '<c r="C%d" t="inlineStr"><is><t>Контакт %d</t></is></c>'
                           '<c r="D%d"><v>%d</v></c><c r="E%d"><v>%s</v></c>'
                           '<c r="F%d" s="3"><v>%r</v></c><c r="G%d" t="b"><v>%d</v></c></row>'
                           % (r, r, r, r, rng.randrange(10000), r, r, r, 79160000000 + rng.randrange(10 ** 7),
                              r, repr(rng.randrange(10 ** 7) / 100), r, 45000 + rng.random() * 1000, r,
                              rng.randrange(2)))
                if len(buf) == 10000:
                    f.write(''.join(buf).encode())
                    buf = []
            f.write(''.join(buf).encode())
            f.write(b'</sheetData></worksheet>')


if __name__ == '__main__':
    main()

#!/usr/bin/python3
"""make-fixtures.py - write the hand-made .xlsx fixtures (xlsx-*.xlsx), each beside the CLI cases that read it.

Each is a zip of XML written here by hand in Excel's own layout (content
types, package and workbook relationships, styles with built-in and custom
number formats, shared strings with rich text and phonetic runs), so that
what the reader meets is what Excel writes, not what one library writes.
Standard library only.  usage: tests/xlsx/make-fixtures.py [OUTDIR]
"""
import os
import sys
import zipfile

NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
RNS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
PKG = 'http://schemas.openxmlformats.org/package/2006/relationships'
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def content_types(nsheets, sst=True):
    s = HEAD + ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>')
    for i in range(1, nsheets + 1):
        s += ('<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/'
              'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' % i)
    s += '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    if sst:
        s += '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    return s + '</Types>'


def root_rels():
    return HEAD + ('<Relationships xmlns="%s"><Relationship Id="rId1" Type="%s/officeDocument" '
                   'Target="xl/workbook.xml"/></Relationships>' % (PKG, RNS))


def workbook(names, date1904=False):
    s = HEAD + '<workbook xmlns="%s" xmlns:r="%s">' % (NS, RNS)
    s += '<workbookPr%s defaultThemeVersion="124226"/>' % (' date1904="1"' if date1904 else '')
    s += '<sheets>'
    for i, n in enumerate(names, 1):
        s += '<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (n, i, i)
    return s + '</sheets></workbook>'


def workbook_rels(nsheets, sst=True):
    s = HEAD + '<Relationships xmlns="%s">' % PKG
    for i in range(1, nsheets + 1):
        s += '<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>' % (i, RNS, i)
    s += '<Relationship Id="rId%d" Type="%s/styles" Target="styles.xml"/>' % (nsheets + 1, RNS)
    if sst:
        s += ('<Relationship Id="rId%d" Type="%s/sharedStrings" Target="/xl/sharedStrings.xml"/>'
              % (nsheets + 2, RNS))
    return s + '</Relationships>'


# cellXfs: 0 General, 1 built-in 14 (date), 2 dd.mm.yyyy, 3 built-in 22, 4 built-in 21 (time),
# 5 money with a quoted "р." (no date for all its d-less letters), 6 [$-419]d mmmm yyyy,
# 7 dd.mm.yyyy hh:mm, 8 h:mm AM/PM (time: the M of PM is no month), 9 built-in 2 (0.00)
STYLES = HEAD + ('<styleSheet xmlns="%s"><numFmts count="4">'
                 '<numFmt numFmtId="164" formatCode="dd\\.mm\\.yyyy"/>'
                 '<numFmt numFmtId="165" formatCode="[$-419]d\\ mmmm\\ yyyy\\ &quot;г.&quot;;@"/>'
                 '<numFmt numFmtId="166" formatCode="#,##0.00\\ &quot;р.&quot;"/>'
                 '<numFmt numFmtId="167" formatCode="dd/mm/yyyy\\ hh:mm"/>'
                 '</numFmts>'
                 '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
                 '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
                 '<borders count="1"><border/></borders>'
                 '<cellStyleXfs count="1"><xf numFmtId="14" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                 '<cellXfs count="10">'
                 '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
                 '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
                 '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
                 '<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
                 '<xf numFmtId="21" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
                 '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
                 '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
                 '<xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
                 '<xf numFmtId="18" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
                 '<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
                 '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                 '</styleSheet>' % NS)


def sst(strings):
    s = HEAD + '<sst xmlns="%s" count="%d" uniqueCount="%d">' % (NS, len(strings), len(strings))
    for x in strings:
        s += x if x.startswith('<si>') else '<si><t xml:space="preserve">%s</t></si>' % x
    return s + '</sst>'


def sheet(rows, dim='A1'):
    s = HEAD + ('<worksheet xmlns="%s" xmlns:r="%s"><dimension ref="%s"/><sheetViews><sheetView '
                'workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
                '<sheetData>' % (NS, RNS, dim))
    s += ''.join(rows)
    return s + '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'


def write(path, parts):
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, text in parts:
            z.writestr(name, text.encode('utf-8'))


def package(path, names, sheets, strings, date1904=False, drop=()):
    parts = [('[Content_Types].xml', content_types(len(names), strings is not None)),
             ('_rels/.rels', root_rels()),
             ('xl/workbook.xml', workbook(names, date1904)),
             ('xl/_rels/workbook.xml.rels', workbook_rels(len(names), strings is not None)),
             ('xl/styles.xml', STYLES)]
    if strings is not None:
        parts.append(('xl/sharedStrings.xml', sst(strings)))
    for i, s in enumerate(sheets, 1):
        parts.append(('xl/worksheets/sheet%d.xml' % i, s))
    write(path, [p for p in parts if p[0] not in drop])


def excel(out):
    strings = ['Отчёт по клиентам за март', 'Клиент', 'Телефон', 'Сумма', 'Дата', 'Создан', 'Время',
               'Активен', 'Статус', 'Комментарий',
               'ООО &quot;Гамма&quot;, Москва',
               # rich text: two runs, and a phonetic run that is no part of the text
               '<si><r><rPr><b/></rPr><t>ИП </t></r><r><t xml:space="preserve">Петров, </t></r>'
               '<r><t>А.</t></r><rPh sb="0" eb="1"><t>ペトロフ</t></rPh></si>',
               'звонить после 18:00_x000D_\nперезвонить',
               'Итого', 'Всего']
    rows = [
        '<row r="1" spans="1:9"><c r="A1" t="s"><v>0</v></c></row>',
        '<row r="2" spans="1:9"><c r="A2" s="2"/></row>',
        '<row r="4" spans="1:9">' + ''.join('<c r="%s4" t="s"><v>%d</v></c>' % (c, i)
                                           for c, i in zip('ABCDEFGHI', range(1, 10))) + '</row>',
        '<row r="5" spans="1:9"><c r="A5" t="s"><v>10</v></c><c r="B5"><v>79161234567</v></c>'
        '<c r="C5" s="5"><v>1234.5</v></c><c r="D5" s="2"><v>45352</v></c>'
        '<c r="E5" s="7"><v>45352.520833333336</v></c><c r="F5" s="4"><v>0.34375</v></c>'
        '<c r="G5" t="b"><v>1</v></c><c r="H5" t="str"><f>IF(G5,"новый","старый")</f><v>новый</v></c>'
        '<c r="I5" t="s"><v>12</v></c></row>',
        '<row r="6" spans="1:9"><c r="A6" t="inlineStr"><is><r><t>ЗАО </t></r><r><rPr><i/></rPr>'
        '<t>«Альфа»</t></r></is></c><c r="B6" t="e"><v>#N/A</v></c>'
        '<c r="D6" s="1"><v>60</v></c><c r="E6" s="3"><v>61.75</v></c><c r="F6" s="8"><v>0.75</v></c>'
        '<c r="G6" t="b"><v>0</v></c><c r="H6"><f>C5*2</f><v>2469</v></c></row>',
        '<row r="7" spans="1:9"><c r="A7" s="2"/><c r="B7" t="s" s="1"/></row>',
        '<row r="8"><c t="s"><v>11</v></c><c><v>1E+21</v></c><c s="9"><v>-0.1</v></c>'
        '<c s="6"><v>45383.99999999</v></c><c><v>1.0000000000000001E-5</v></c><c><v>123456789012345678</v></c></row>',
        '<row r="9"><c r="A9" t="s"><v>13</v></c><c r="C9" s="5"><f>SUM(C5:C8)</f><v>1234.4000000000001</v></c></row>',
    ]
    totals = ['<row r="1"><c r="A1" t="s"><v>14</v></c><c r="B1"><v>3</v></c></row>']
    package(dest(out, 'xlsx-excel.xlsx'), ['Лист1', 'Итоги'],
            [sheet(rows, 'A1:I9'), sheet(totals)], strings)


def system1904(out):
    # 1904 system: serial 0 is 1904-01-01; 43464 is 2022-12-31
    rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>дата</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>создан</t></is></c></row>',
            '<row r="2"><c r="A2" s="1"><v>0</v></c><c r="B2" s="3"><v>0.5</v></c></row>',
            '<row r="3"><c r="A3" s="2"><v>43464</v></c><c r="B3" s="3"><v>43464.25</v></c></row>']
    package(dest(out, 'xlsx-1904.xlsx'), ['Sheet1'], [sheet(rows)], None, date1904=True)


def faults(out):
    hdr = '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1" t="inlineStr"><is><t>b</t></is></c></row>'
    # a formula that was never computed (no <v>), between two good rows
    rows = [hdr, '<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v></c></row>',
            '<row r="3"><c r="A3"><v>3</v></c><c r="B3"><f>A3*2</f></c></row>',
            '<row r="4"><c r="A4"><v>5</v></c><c r="B4"><v>6</v></c><c r="D4"><v>7</v></c></row>',
            '<row r="5"><c r="A5"><v>8</v></c><c r="B5"><v>9</v></c></row>']
    package(dest(out, 'xlsx-faults.xlsx'), ['Sheet1'], [sheet(rows)], None)
    # an entity declaration (billion laughs' first step) in the sheet
    evil = sheet([hdr]).replace(HEAD, HEAD + '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
                                '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>')
    package(dest(out, 'xlsx-doctype.xlsx'), ['Sheet1'], [evil], None)
    # a reference past XFD1048576
    package(dest(out, 'xlsx-bigref.xlsx'), ['Sheet1'],
            [sheet([hdr, '<row r="2"><c r="XFE2"><v>1</v></c></row>',
                    '<row r="3"><c r="A3"><v>1</v></c></row>'])], None)
    # the sheet part missing
    package(dest(out, 'xlsx-nosheet.xlsx'), ['Sheet1'], [sheet([hdr])], None,
            drop=('xl/worksheets/sheet1.xml',))


def leads(out, data):
    """lq-base.csv as Excel would keep it: text as shared strings, whole numbers as numbers."""
    import csv
    from xml.sax.saxutils import escape
    with open(os.path.join(data, 'lq-base.csv'), encoding='utf-8', newline='') as f:
        table = list(csv.reader(f))
    strings, index, rows = [], {}, []
    for r, rec in enumerate(table, 1):
        cells = ''
        for c, v in enumerate(rec):
            ref = '%s%d' % ('ABCDEFGHIJKLMNOPQRSTUVWXYZ'[c], r)
            if v == '':
                continue
            if r > 1 and v.isdigit() and not v.startswith('0'):
                cells += '<c r="%s"><v>%s</v></c>' % (ref, v)
                continue
            if v not in index:
                index[v] = len(strings)
                strings.append(escape(v, {'"': '&quot;'}))
            cells += '<c r="%s" t="s"><v>%d</v></c>' % (ref, index[v])
        rows.append('<row r="%d">%s</row>' % (r, cells))
    package(dest(out, 'xlsx-leads.xlsx'), ['Leads'], [sheet(rows)], strings)


CLI = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'cli')
# where each fixture lives (tests/run.sh links a case's data/, its tool's, then tests/cli/data/)
HOME = {
    'xlsx-excel.xlsx': 'shared/data',
    'xlsx-1904.xlsx': 'shared/xlsx-1904/data',
    'xlsx-faults.xlsx': 'shared/xlsx-data-errors/data',
    'xlsx-doctype.xlsx': 'shared/xlsx-hostile/data',
    'xlsx-bigref.xlsx': 'shared/xlsx-hostile/data',
    'xlsx-nosheet.xlsx': 'shared/xlsx-hostile/data',
    'xlsx-leads.xlsx': 'data',
}


def dest(out, name):
    """name in out when one was given, else in its home under tests/cli/."""
    d = out if out else os.path.join(CLI, HOME[name])
    os.makedirs(d, exist_ok=True)
    return os.path.join(d, name)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else None
    excel(out)
    system1904(out)
    faults(out)
    leads(out, os.path.join(CLI, 'lead-qualify', 'data'))


if __name__ == '__main__':
    main()

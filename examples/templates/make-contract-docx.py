#!/usr/bin/python3
# make-contract-docx.py - writes contract_ru.docx beside this script: the supply contract
# («Договор поставки») as a Word template for doc-render -T contract_ru.docx (doc-render(1),
# .docx templates).  Run by hand after changing it; the .docx is committed too.  Needs
# python-docx (Debian: python3-docx).  The output is made byte-stable: the core properties'
# times are fixed and the zip entries are rewritten with one time stamp.
#
# On purpose, the client's name tag is written in two runs of different formatting
# ("{{cli" plain, "ent}}" bold), as Word itself splits tags that were edited or
# spell-checked: doc-render joins them back.
import io
import os
import sys
import zipfile
import datetime

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "contract_ru.docx")
STAMP = (2026, 1, 1, 0, 0, 0)

d = docx.Document()
style = d.styles["Normal"]
style.font.name = "Times New Roman"
style.font.size = Pt(11)

sec = d.sections[0]
sec.header.paragraphs[0].text = "Договор поставки № {{deal_id}} от {{date | date_ru}}"
sec.footer.paragraphs[0].text = "{{seller.name}}, ИНН {{seller.inn}} — стр. 1"

h = d.add_heading("Договор поставки № {{deal_id}}", level=1)
h.alignment = WD_ALIGN_PARAGRAPH.CENTER
d.add_paragraph("г. Москва — {{date | date_ru}}")

p = d.add_paragraph()
p.add_run("{{seller.full_name}} ({{seller.name}}), именуемое в дальнейшем «Поставщик», в лице "
          "генерального директора {{seller.director_full_gen}}, действующего на основании Устава, "
          "с одной стороны, и ")
p.add_run("{{cli")                      # the tag split over two runs...
r = p.add_run("ent}}")                  # ...of different formatting
r.bold = True
p.add_run(", именуемое в дальнейшем «Покупатель», с другой стороны, заключили настоящий договор "
          "о нижеследующем.")

d.add_heading("1. Предмет договора", level=2)
d.add_paragraph("1.1. Поставщик обязуется передать в собственность Покупателя товар, а Покупатель — "
                "принять и оплатить его в количестве, ассортименте и по ценам, указанным в "
                "спецификации (п. 1.2).")
d.add_paragraph("1.2. Спецификация:")

t = d.add_table(rows=2, cols=6)
t.style = "Table Grid"
for cell, text in zip(t.rows[0].cells, ["№", "Наименование", "Кол-во", "Ед.", "Цена, руб.", "Сумма, руб."]):
    cell.paragraphs[0].add_run(text).bold = True
row = ["{{#items}}{{n}}", "{{name}}", "{{qty | number}}", "{{unit}}", "{{price | money}}",
       "{{line_total | money}}{{/items}}"]
for cell, text in zip(t.rows[1].cells, row):
    cell.text = text
tot = t.add_row().cells
tot[0].merge(tot[4]).text = "Итого:"
tot[5].text = "{{subtotal | money}}"
vat = t.add_row().cells
vat[0].merge(vat[4]).text = "{{#vat_none}}Без НДС{{/vat_none}}{{^vat_none}}НДС {{vat_rate}}%{{/vat_none}}"
vat[5].text = "{{^vat_none}}{{vat_total | money}}{{/vat_none}}{{#vat_none}}—{{/vat_none}}"
due = t.add_row().cells
due[0].merge(due[4]).text = "Всего к оплате:"
due[5].text = "{{total | money}}"

d.add_heading("2. Цена и порядок расчётов", level=2)
p = d.add_paragraph("2.1. Цена договора составляет ")
p.add_run("{{total | money}} руб.").bold = True
p.add_run(" ({{total | words_ru}}){{#vat_none}}, НДС не облагается{{/vat_none}}"
          "{{^vat_none}}, в том числе НДС {{vat_rate}}% — {{vat_total | money}} руб.{{/vat_none}}")
d.add_paragraph("В том числе по ставкам:")
d.add_paragraph("{{#vat_groups}}")
d.add_paragraph("{{label}}: сумма {{base | money}} руб., налог {{vat | money}} руб.", style="List Bullet")
d.add_paragraph("{{/vat_groups}}")
d.add_paragraph("2.2. Покупатель оплачивает товар в течение {{payment_days}} банковских дней с даты "
                "выставления счёта путём перечисления денежных средств на расчётный счёт Поставщика.")

d.add_heading("3. Поставка и приёмка", level=2)
d.add_paragraph("3.1. Поставщик передаёт товар в течение 10 рабочих дней после оплаты по адресу: "
                "{{client_address}}.")
d.add_paragraph("3.2. Право собственности и риск случайной гибели товара переходят к Покупателю в "
                "момент подписания товарной накладной.")

d.add_heading("4. Реквизиты и подписи сторон", level=2)
req = d.add_table(rows=2, cols=2)
req.style = "Table Grid"
a, b = req.rows[0].cells
a.paragraphs[0].add_run("Поставщик").bold = True
b.paragraphs[0].add_run("Покупатель").bold = True
a, b = req.rows[1].cells
a.text = "{{seller.name}}"
for line in ["ИНН {{seller.inn}}, КПП {{seller.kpp}}", "ОГРН {{seller.ogrn}}", "{{seller.address}}",
             "р/с {{seller.bank.account}}", "в {{seller.bank.name}}", "БИК {{seller.bank.bik}}",
             "к/с {{seller.bank.corr_account}}", "",
             "____________________ / {{seller.director}} /"]:
    a.add_paragraph(line)
b.text = "{{client}}"
for line in ["{{#client_inn}}ИНН {{client_inn}}{{/client_inn}}{{#client_kpp}}, КПП {{client_kpp}}{{/client_kpp}}",
             "{{client_address}}", "", "____________________ / ____________ /"]:
    b.add_paragraph(line)

# fixed document properties, so that the same script makes the same file
cp = d.core_properties
cp.author = "libsales"
cp.last_modified_by = "libsales"
cp.created = cp.modified = datetime.datetime(*STAMP)
cp.revision = 1

raw = io.BytesIO()
d.save(raw)
with zipfile.ZipFile(raw) as zin, zipfile.ZipFile(OUT + ".tmp", "w", zipfile.ZIP_DEFLATED) as zout:
    for info in zin.infolist():
        data = zin.read(info.filename)
        fixed = zipfile.ZipInfo(info.filename, STAMP)
        fixed.compress_type = zipfile.ZIP_DEFLATED
        fixed.external_attr = 0o644 << 16
        zout.writestr(fixed, data)
os.replace(OUT + ".tmp", OUT)

# the split tag must be in the file: check it is
with zipfile.ZipFile(OUT) as z:
    xml = z.read("word/document.xml").decode()
if "{{cli</w:t>" not in xml:
    sys.exit("make-contract-docx.py: the split {{cli|ent}} tag is not in the file")
print(OUT)

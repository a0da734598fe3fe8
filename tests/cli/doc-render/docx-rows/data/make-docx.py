# make-docx.py: the templates of the docx-rows case, written with python-docx in ./t/:
#   rows.docx       an items table where each item takes two rows (name; quantity and sum)
#   partial.docx    a letterhead partial, which a .docx cannot take
#   field.docx      a tag inside a HYPERLINK field's instruction
#   two-tables.docx a section opened in one table and closed in another
import os
import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

os.makedirs("t", exist_ok=True)


def table(d, rows):
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            t.cell(r, c).text = text
    return t


d = docx.Document()
d.add_paragraph("Спецификация к договору № {{deal_id}}")
table(d, [["№", "Товар"], ["{{#items}}{{n}}", "{{name}}"],
          ["{{qty | number}} {{unit}}", "{{line_total | money}}{{/items}}"], ["Итого", "{{total | money}}"]])
d.save("t/rows.docx")

d = docx.Document()
d.add_paragraph("{{> letterhead}}")
d.add_paragraph("Договор № {{deal_id}}")
d.save("t/partial.docx")

d = docx.Document()
p = d.add_paragraph("Сайт: ")
r = p.add_run()
instr = OxmlElement("w:instrText")
instr.text = ' HYPERLINK "{{site}}" '
r._r.append(instr)
p.add_run("{{site}}")
d.save("t/field.docx")

d = docx.Document()
table(d, [["{{#items}}{{name}}"]])
table(d, [["{{/items}}"]])
d.save("t/two-tables.docx")

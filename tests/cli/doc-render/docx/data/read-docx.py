# read-docx.py FILE...: a .docx's text as python-docx reads it: header, footer, then the
# body's paragraphs (empty ones left out) and table rows ("| a | b |", a merged cell once).
import sys

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

for f in sys.argv[1:]:
    d = docx.Document(f)
    print("==", f)
    for s in d.sections:
        for p in s.header.paragraphs:
            print("header:", p.text)
        for p in s.footer.paragraphs:
            print("footer:", p.text)
    for child in d.element.body.iterchildren():
        tag = child.tag.split("}")[1]
        if tag == "p":
            text = Paragraph(child, d).text
            if text.strip():
                print(text.replace("\n", "⏎"))
        elif tag == "tbl":
            for r in Table(child, d).rows:
                seen, cells = [], []
                for c in r.cells:
                    if c._tc not in seen:
                        seen.append(c._tc)
                        cells.append(c.text.replace("\n", " / "))
                print("| " + " | ".join(cells) + " |")

# make-bad-docx.py TEMPLATE: the broken templates doc-render must refuse, in ./bad/
import os
import sys
import zipfile

src = sys.argv[1]
os.makedirs("bad", exist_ok=True)
with zipfile.ZipFile(src) as z:
    parts = [(i.filename, z.read(i.filename)) for i in z.infolist()]


def write(name, change=None, drop=None, add=None):
    with zipfile.ZipFile(os.path.join("bad", name), "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts:
            if n == drop:
                continue
            if change and n == "word/document.xml":
                data = change(data.decode()).encode()
            z.writestr(zipfile.ZipInfo(n, (2026, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
        for n, data in (add or []):
            z.writestr(zipfile.ZipInfo(n, (2026, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


with open("bad/not-a-zip.docx", "w") as f:
    f.write("Договор поставки\n")
write("no-document.docx", drop="word/document.xml")
write("unclosed-section.docx", change=lambda x: x.replace("{{/items}}", "", 1))
write("split-unclosed.docx", change=lambda x: x.replace(">ent}}<", ">ent<", 1))
write("entity.docx", change=lambda x: x.replace("?>", '?><!DOCTYPE w [<!ENTITY lol "lol">]>', 1))
write("bomb.docx", drop="word/document.xml", add=[("word/document.xml", b" " * (65 << 20))])

/*
 * fuzz_xlsx.c - libFuzzer target for the .xlsx reader (xlsx.h), through
 * its open-from-memory door.
 *
 * An input starting with "PK" is a whole workbook: the zip side (libzip
 * over a buffer) and everything after it.  Any other input is the XML of
 * one part, picked by its first byte (the sheet, the shared strings, the
 * styles or the workbook), packed with fixed other parts into a zip built
 * here with its entries stored, not deflated: the mutations then reach the
 * XML, and with it the cells, dates, numbers and limits, instead of dying
 * in inflate.  Every record is read, data errors gone past as --rejects
 * does; each must keep the promises of xlsx.h: a header first, then as
 * many fields as it has, each NUL-terminated, row numbers in 1..1048576.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx.h"

#define MAX_RECORDS	100000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char rels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
static const char wbrels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"x/styles\" Target=\"styles.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"x/sharedStrings\" Target=\"/xl/sharedStrings.xml\"/>"
    "</Relationships>";
static const char workbook[] =
    "<workbook xmlns:r=\"r\"><workbookPr date1904=\"0\"/><sheets>"
    "<sheet name=\"Лист1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char styles[] =
    "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"dd.mm.yyyy hh:mm\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"[h]:mm:ss\"/></numFmts><cellXfs>"
    "<xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/><xf numFmtId=\"21\"/>"
    "<xf numFmtId=\"165\"/></cellXfs></styleSheet>";
static const char sst[] =
    "<sst><si><t>name</t></si><si><r><t>Ива</t></r><r><t>н</t></r><rPh><t>x</t></rPh></si>"
    "<si><t>a_x000D_b</t></si></sst>";
static const char sheet[] =
    "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c t=\"inlineStr\">"
    "<is><t>b</t></is></c><c><v>3</v></c></row><row r=\"3\"><c t=\"s\"><v>1</v></c>"
    "<c s=\"1\"><v>45352</v></c><c s=\"2\"><v>45352.5</v></c></row><row><c t=\"b\"><v>1</v></c>"
    "<c t=\"e\"><v>#N/A</v></c><c s=\"4\"><v>1.25</v></c></row></sheetData></worksheet>";

struct part {
	const char *name;
	const void *p;
	size_t n;
};

static uint32_t
crc32(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c >> 1 ^ (0xedb88320u & -(c & 1));
	}
	return ~c;
}

static void
put16(unsigned char **o, unsigned v)
{
	*(*o)++ = (unsigned char)v;
	*(*o)++ = (unsigned char)(v >> 8);
}

static void
put32(unsigned char **o, uint32_t v)
{
	put16(o, v & 0xffff);
	put16(o, v >> 16);
}

/* A zip of the parts, stored; the caller frees it. */
static unsigned char *
zip_stored(const struct part *parts, size_t np, size_t *len)
{
	size_t total = 22;
	uint32_t offs[8], crcs[8];
	unsigned char *buf, *o, *cd;

	for (size_t i = 0; i < np; i++)
		total += 30 + 46 + 2 * strlen(parts[i].name) + parts[i].n;
	if ((buf = malloc(total)) == NULL)
		abort();
	o = buf;
	for (size_t i = 0; i < np; i++) {
		size_t nl = strlen(parts[i].name);
		offs[i] = (uint32_t)(o - buf);
		crcs[i] = crc32(parts[i].p, parts[i].n);
		put32(&o, 0x04034b50);
		put16(&o, 20), put16(&o, 0), put16(&o, 0), put16(&o, 0), put16(&o, 0);
		put32(&o, crcs[i]), put32(&o, (uint32_t)parts[i].n), put32(&o, (uint32_t)parts[i].n);
		put16(&o, (unsigned)nl), put16(&o, 0);
		memcpy(o, parts[i].name, nl), o += nl;
		memcpy(o, parts[i].p, parts[i].n), o += parts[i].n;
	}
	cd = o;
	for (size_t i = 0; i < np; i++) {
		size_t nl = strlen(parts[i].name);
		put32(&o, 0x02014b50);
		put16(&o, 20), put16(&o, 20), put16(&o, 0), put16(&o, 0), put16(&o, 0), put16(&o, 0);
		put32(&o, crcs[i]), put32(&o, (uint32_t)parts[i].n), put32(&o, (uint32_t)parts[i].n);
		put16(&o, (unsigned)nl), put16(&o, 0), put16(&o, 0), put16(&o, 0), put16(&o, 0);
		put32(&o, 0), put32(&o, offs[i]);
		memcpy(o, parts[i].name, nl), o += nl;
	}
	put32(&o, 0x06054b50);
	put16(&o, 0), put16(&o, 0), put16(&o, (unsigned)np), put16(&o, (unsigned)np);
	put32(&o, (uint32_t)(o - cd - 12)), put32(&o, (uint32_t)(cd - buf)), put16(&o, 0);
	*len = (size_t)(o - buf);
	return buf;
}

static void
read_all(const void *zip, size_t n, long header_row)
{
	struct ls_xlsx_opts o = { .sheet = NULL, .header_row = header_row };
	struct ls_error err;
	struct ls_record rec;
	struct ls_xlsx *x = ls_xlsx_open_mem(zip, n, "fuzz.xlsx", &o, &err);
	int rc, k = 0;

	if (x == NULL) {
		if (err.msg[0] == '\0' || err.status == LS_OK)
			abort();
		return;
	}
	while ((rc = ls_xlsx_next(x, &rec, &err)) != 0 && k++ < MAX_RECORDS) {
		if (rc < 0) {
			if (err.msg[0] == '\0')
				abort();
			if (err.status != LS_EDATA)
				break;
			if (rec.line < 1 || rec.line > 1048576 || rec.raw.p == NULL)
				abort();
			continue;
		}
		if (k > 1 && rec.nfields != ls_xlsx_ncols(x))
			abort();
		if (rec.line < 1 || rec.line > 1048576)
			abort();
		for (size_t i = 0; i < rec.nfields; i++)
			if (rec.fields[i].p[rec.fields[i].n] != '\0' || strlen(rec.fields[i].p) != rec.fields[i].n)
				abort();
	}
	/* after a final error, it stays final */
	if (rc < 0 && err.status != LS_EDATA && ls_xlsx_next(x, &rec, &err) != -1)
		abort();
	ls_xlsx_free(x);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct part parts[] = {
		{ "_rels/.rels", rels, sizeof(rels) - 1 },
		{ "xl/workbook.xml", workbook, sizeof(workbook) - 1 },
		{ "xl/_rels/workbook.xml.rels", wbrels, sizeof(wbrels) - 1 },
		{ "xl/styles.xml", styles, sizeof(styles) - 1 },
		{ "xl/sharedStrings.xml", sst, sizeof(sst) - 1 },
		{ "xl/worksheets/sheet1.xml", sheet, sizeof(sheet) - 1 },
	};
	unsigned char *zip;
	size_t n;

	if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
		read_all(data, size, 0);
		return 0;
	}
	if (size < 1)
		return 0;
	/* the first byte: which part the rest replaces (low bits), and a header row to ask for */
	size_t which = (size_t)(data[0] & 3);
	static const size_t slot[] = { 5, 4, 3, 1 };
	parts[slot[which]].p = data + 1;
	parts[slot[which]].n = size - 1;
	zip = zip_stored(parts, sizeof(parts) / sizeof(parts[0]), &n);
	read_all(zip, n, (data[0] >> 2) & 3);
	free(zip);
	return 0;
}

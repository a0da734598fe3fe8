/*
 * xmlfloor - what an XML parser alone costs on a sheet's XML, the floor
 * under the .xlsx reader (issue 30): the same bytes given to expat and to
 * libxml2's SAX2 push parser, each set up as the reader sets it up, with
 * handlers that only count.
 *
 *   xmlfloor expat|expat-none|libxml2|libxml2-none FILE.xml [CHUNK]
 *
 * The file is read into memory first (not part of what is measured by
 * callgrind's per-function counts), then fed in CHUNK bytes (default
 * 65536) at a time: expat through XML_GetBuffer/XML_ParseBuffer, as
 * libsales/io/xlsx.c does; libxml2 through xmlCreatePushParserCtxt and
 * xmlParseChunk, with entity substitution, DTD loading and the huge-
 * document option off and the network refused.  "-none" sets no handler at
 * all.  Prints the elements, the character-data calls and their bytes, so
 * that the two parsers are seen to read the same document.
 *
 *   cc -O2 -o xmlfloor bench/xmlfloor.c $(pkg-config --cflags --libs libxml-2.0) -lexpat
 *   valgrind --tool=callgrind ./xmlfloor libxml2 sheet1.xml
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>
#include <libxml/parser.h>

struct count {
	unsigned long starts, ends, texts, bytes;
};

static void XMLCALL
ex_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	(void)name, (void)atts;
	((struct count *)ud)->starts++;
}

static void XMLCALL
ex_end(void *ud, const XML_Char *name)
{
	(void)name;
	((struct count *)ud)->ends++;
}

static void XMLCALL
ex_text(void *ud, const XML_Char *s, int len)
{
	(void)s;
	((struct count *)ud)->texts++;
	((struct count *)ud)->bytes += (unsigned long)len;
}

static int
run_expat(const char *data, size_t size, size_t chunk, int handlers, struct count *c)
{
	XML_Parser p = XML_ParserCreate(NULL);
	size_t off = 0;

	if (p == NULL)
		return -1;
	XML_SetUserData(p, c);
	if (handlers) {
		XML_SetElementHandler(p, ex_start, ex_end);
		XML_SetCharacterDataHandler(p, ex_text);
	}
	for (;;) {
		size_t n = size - off < chunk ? size - off : chunk;
		void *buf = XML_GetBuffer(p, (int)chunk);

		if (buf == NULL)
			return -1;
		memcpy(buf, data + off, n);
		off += n;
		if (XML_ParseBuffer(p, (int)n, n == 0) != XML_STATUS_OK) {
			fprintf(stderr, "expat: line %lu: %s\n", (unsigned long)XML_GetCurrentLineNumber(p),
			    XML_ErrorString(XML_GetErrorCode(p)));
			return -1;
		}
		if (n == 0)
			break;
	}
	XML_ParserFree(p);
	return 0;
}

static void
lx_start(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nns,
    const xmlChar **ns, int natts, int ndef, const xmlChar **atts)
{
	(void)local, (void)prefix, (void)uri, (void)nns, (void)ns, (void)natts, (void)ndef, (void)atts;
	((struct count *)ud)->starts++;
}

static void
lx_end(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
	(void)local, (void)prefix, (void)uri;
	((struct count *)ud)->ends++;
}

static void
lx_text(void *ud, const xmlChar *s, int len)
{
	(void)s;
	((struct count *)ud)->texts++;
	((struct count *)ud)->bytes += (unsigned long)len;
}

static int
run_libxml2(const char *data, size_t size, size_t chunk, int handlers, struct count *c)
{
	xmlSAXHandler sax;
	xmlParserCtxtPtr ctx;
	size_t off = 0;
	int rc = 0;

	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	if (handlers) {
		sax.startElementNs = lx_start;
		sax.endElementNs = lx_end;
		sax.characters = lx_text;
	}
	if ((ctx = xmlCreatePushParserCtxt(&sax, c, NULL, 0, "sheet.xml")) == NULL)
		return -1;
	/* no XML_PARSE_NOENT (no substitution), no DTD loading, no XML_PARSE_HUGE */
	xmlCtxtUseOptions(ctx, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	for (;;) {
		size_t n = size - off < chunk ? size - off : chunk;

		if (xmlParseChunk(ctx, data + off, (int)n, n == 0) != 0) {
			const xmlError *e = xmlCtxtGetLastError(ctx);
			fprintf(stderr, "libxml2: line %d: %s", e ? e->line : 0, e && e->message ? e->message : "?\n");
			rc = -1;
			break;
		}
		off += n;
		if (n == 0)
			break;
	}
	if (rc == 0 && !ctx->wellFormed)
		rc = -1;
	xmlFreeParserCtxt(ctx);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct count c = { 0 };
	size_t size = 0, cap = 1 << 20, chunk = 65536;
	char *data;
	FILE *f;
	int rc;

	if (argc < 3) {
		fputs("usage: xmlfloor expat|expat-none|libxml2|libxml2-none FILE.xml [CHUNK]\n", stderr);
		return 2;
	}
	if (argc > 3 && (chunk = strtoul(argv[3], NULL, 10)) == 0)
		chunk = 65536;
	if ((f = fopen(argv[2], "rb")) == NULL) {
		perror(argv[2]);
		return 1;
	}
	if ((data = malloc(cap)) == NULL)
		return 1;
	for (size_t got; (got = fread(data + size, 1, cap - size, f)) > 0;) {
		size += got;
		if (size == cap && (data = realloc(data, cap *= 2)) == NULL)
			return 1;
	}
	fclose(f);
	if (strncmp(argv[1], "expat", 5) == 0)
		rc = run_expat(data, size, chunk, strcmp(argv[1], "expat") == 0, &c);
	else
		rc = run_libxml2(data, size, chunk, strcmp(argv[1], "libxml2") == 0, &c);
	printf("%s: %zu bytes, %lu starts, %lu ends, %lu text calls, %lu text bytes\n", argv[1], size, c.starts,
	    c.ends, c.texts, c.bytes);
	free(data);
	return rc == 0 ? 0 : 1;
}

/*
 * xlsx_part.c - the .xlsx package: reading its parts within the limits,
 * each through expat with DOCTYPEs refused; the relationships that name
 * the parts, the workbook's sheets and date system, the styles' date
 * formats, the shared strings.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>
#include <zip.h>

#include "xlsx.h"
#include "xlsx_impl.h"

#define META_MAX	((size_t)64 << 20)	/* workbook, rels, styles: small parts */
#define MAX_XF		(1u << 20)

int
ls_xlsx_fail(struct ls_xlsx *x, struct ls_error *err, int status, const char *fmt, ...)
{
	char msg[sizeof(err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ls_error_set(err, status, x->name, 0, 0, "%s", msg);
}

const char *
ls_xlsx_local(const char *name)
{
	const char *c = strrchr(name, ':');

	return c ? c + 1 : name;
}

const char *
ls_xlsx_attr(const char **atts, const char *want)
{
	for (size_t i = 0; atts[i] != NULL; i += 2)
		if (strcmp(ls_xlsx_local(atts[i]), want) == 0)
			return atts[i + 1];
	return NULL;
}

/* Stop the parser for good from inside a handler; the caller finds the error in x->fatal. */
void
ls_xlsx_abort(struct ls_xlsx *x, int status, const char *msg)
{
	if (x->aborted)
		return;
	x->aborted = 1;
	ls_xlsx_fail(x, &x->fatal, status, "%s%s%s", status == LS_ENOMEM ? "" : x->part,
	    status == LS_ENOMEM ? "" : ": ", msg);
	XML_StopParser(x->p, XML_FALSE);
}

static void XMLCALL
on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid, int internal)
{
	struct ls_xlsx *x = ud;

	(void)name, (void)sysid, (void)pubid, (void)internal;
	x->hostile = 1;
	ls_xlsx_abort(x, LS_EIO, "DOCTYPE or entity declaration refused (no .xlsx part has one)");
}

static void XMLCALL
on_entity(void *ud, const XML_Char *name, int pe, const XML_Char *value, int len,
    const XML_Char *base, const XML_Char *sysid, const XML_Char *pubid, const XML_Char *notation)
{
	(void)name, (void)pe, (void)value, (void)len, (void)base, (void)sysid, (void)pubid, (void)notation;
	on_doctype(ud, NULL, NULL, NULL, 0);
}

/* Read up to n inflated bytes of the current part, within the limits.  Bytes, 0 at its end, -1. */
long
ls_xlsx_part_read(struct ls_xlsx *x, void *buf, size_t n, struct ls_error *err)
{
	zip_int64_t got = zip_fread(x->zf, buf, n);

	if (got < 0) {
		char msg[300];
		snprintf(msg, sizeof(msg), "%s: broken archive: %s", x->part, zip_file_strerror(x->zf));
		return ls_error_set(err, LS_EIO, x->name, 0, 0, "%s", msg), -1;
	}
	x->inflated += (uint64_t)got;
	if (x->inflated > x->limit)
		return ls_error_set(err, LS_EIO, x->name, 0, 0,
		    "%s: more than %zu MiB uncompressed (a zip bomb?)", x->part, x->limit >> 20), -1;
	if (x->inflated > ((uint64_t)64 << 20) && x->inflated / LS_XLSX_MAX_RATIO > x->comp)
		return ls_error_set(err, LS_EIO, x->name, 0, 0,
		    "%s: inflates more than %d times its compressed size (a zip bomb?)", x->part,
		    LS_XLSX_MAX_RATIO), -1;
	return (long)got;
}

/* Open entry name (case ignored when the exact name is not there) as the current part. */
int
ls_xlsx_part_open(struct ls_xlsx *x, const char *name, size_t limit, struct ls_error *err)
{
	zip_int64_t i = zip_name_locate(x->zip, name, 0);
	zip_stat_t st;

	if (i < 0)
		i = zip_name_locate(x->zip, name, ZIP_FL_NOCASE);
	if (i < 0)
		return ls_xlsx_fail(x, err, LS_EIO, "%s: part missing from the workbook", name);
	zip_stat_init(&st);
	if (zip_stat_index(x->zip, (zip_uint64_t)i, 0, &st) != 0 || !(st.valid & ZIP_STAT_COMP_SIZE))
		return ls_xlsx_fail(x, err, LS_EIO, "%s: broken archive: %s", name, zip_strerror(x->zip));
	if ((x->zf = zip_fopen_index(x->zip, (zip_uint64_t)i, 0)) == NULL)
		return ls_xlsx_fail(x, err, LS_EIO, "%s: cannot read it: %s", name, zip_strerror(x->zip));
	/* the size the zip declares can lie (part_read counts), but when it owns up, stop now */
	if ((st.valid & ZIP_STAT_SIZE) && st.size > limit) {
		zip_fclose(x->zf);
		x->zf = NULL;
		return ls_xlsx_fail(x, err, LS_EIO, "%s: more than %zu MiB uncompressed (a zip bomb?)", name,
		    limit >> 20);
	}
	x->part = name;
	x->inflated = 0;
	x->comp = st.comp_size;
	x->limit = limit;
	return 0;
}

void
ls_xlsx_part_close(struct ls_xlsx *x)
{
	if (x->zf)
		zip_fclose(x->zf);
	x->zf = NULL;
	if (x->p)
		XML_ParserFree(x->p);
	x->p = NULL;
}

int
ls_xlsx_new_parser(struct ls_xlsx *x, XML_StartElementHandler start, XML_EndElementHandler end,
    XML_CharacterDataHandler text, struct ls_error *err)
{
	if ((x->p = XML_ParserCreate(NULL)) == NULL)
		return ls_error_set(err, LS_ENOMEM, x->name, 0, 0, "out of memory");
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, start, end);
	XML_SetCharacterDataHandler(x->p, text);
	XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
	XML_SetEntityDeclHandler(x->p, on_entity);
	x->aborted = x->hostile = 0;
	return 0;
}

int
ls_xlsx_xml_error(struct ls_xlsx *x, struct ls_error *err)
{
	char msg[300];

	if (x->aborted) {
		*err = x->fatal;
		return -1;
	}
	snprintf(msg, sizeof(msg), "%s: broken XML at line %lu: %s", x->part,
	    (unsigned long)XML_GetCurrentLineNumber(x->p), XML_ErrorString(XML_GetErrorCode(x->p)));
	return ls_error_set(err, LS_EIO, x->name, 0, 0, "%s", msg), -1;
}

/* Parse a whole part (not the sheet) with the given handlers. */
static int
parse_part(struct ls_xlsx *x, const char *name, enum part_kind kind, size_t limit,
    XML_StartElementHandler start, XML_EndElementHandler end, XML_CharacterDataHandler text,
    struct ls_error *err)
{
	int rc = 0;

	if (ls_xlsx_part_open(x, name, limit, err) != 0 || ls_xlsx_new_parser(x, start, end, text, err) != 0) {
		ls_xlsx_part_close(x);
		return -1;
	}
	x->kind = kind;
	for (;;) {
		void *buf = XML_GetBuffer(x->p, LS_XLSX_CHUNK);
		long n;
		if (buf == NULL) {
			rc = ls_error_set(err, LS_ENOMEM, x->name, 0, 0, "out of memory");
			break;
		}
		if ((n = ls_xlsx_part_read(x, buf, LS_XLSX_CHUNK, err)) < 0) {
			rc = -1;
			break;
		}
		if (XML_ParseBuffer(x->p, (int)n, n == 0) != XML_STATUS_OK) {
			rc = ls_xlsx_xml_error(x, err);
			break;
		}
		if (n == 0)
			break;
	}
	ls_xlsx_part_close(x);
	return rc;
}

/*
 * The arrays a part fills one element at a time grow by doubling: element
 * n needs a larger block only when n is 0 or a power of two (16 at the
 * least), and then gets room for twice as many.  Growing by one element
 * a call moved O(n^2) bytes: a hostile part's 100000 relationships, or a
 * million cell formats, took minutes under ASan.
 */
static int
grows(size_t n)
{
	return n == 0 || (n >= 16 && (n & (n - 1)) == 0);
}

static size_t
room_for(size_t n)
{
	return n < 16 ? 16 : 2 * n;
}

/* ---- relationships (_rels/.rels, xl/_rels/workbook.xml.rels) ---- */

void
ls_xlsx_free_rels(struct ls_xlsx *x)
{
	for (size_t i = 0; i < x->nrels; i++) {
		free(x->rels[i].id);
		free(x->rels[i].target);
		free(x->rels[i].type);
	}
	free(x->rels);
	x->rels = NULL;
	x->nrels = 0;
}

static void XMLCALL
rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct ls_xlsx *x = ud;
	const char *id = ls_xlsx_attr(atts, "Id"), *target = ls_xlsx_attr(atts, "Target"), *type = ls_xlsx_attr(atts, "Type");
	struct rel *nr;

	if (strcmp(ls_xlsx_local(name), "Relationship") != 0 || id == NULL || target == NULL)
		return;
	if (x->nrels >= 100000) {
		ls_xlsx_abort(x, LS_EIO, "more than 100000 relationships");
		return;
	}
	if (grows(x->nrels)) {
		if ((nr = realloc(x->rels, room_for(x->nrels) * sizeof(*nr))) == NULL) {
			ls_xlsx_abort(x, LS_ENOMEM, "out of memory");
			return;
		}
		x->rels = nr;
	}
	nr = x->rels + x->nrels;
	nr->id = strdup(id);
	nr->target = strdup(target);
	nr->type = strdup(type ? type : "");
	x->nrels++;
	if (nr->id == NULL || nr->target == NULL || nr->type == NULL)
		ls_xlsx_abort(x, LS_ENOMEM, "out of memory");
}

static int
read_rels(struct ls_xlsx *x, const char *name, struct ls_error *err)
{
	ls_xlsx_free_rels(x);
	return parse_part(x, name, P_RELS, META_MAX, rels_start, NULL, NULL, err);
}

/* The relationship whose Type ends in /suffix (or whose Id is id), or NULL. */
const struct rel *
ls_xlsx_find_rel(const struct ls_xlsx *x, const char *suffix, const char *id)
{
	for (size_t i = 0; i < x->nrels; i++) {
		const struct rel *r = &x->rels[i];
		size_t n = strlen(r->type), k = suffix ? strlen(suffix) : 0;
		if (id ? strcmp(r->id, id) == 0 :
		    n > k && r->type[n - k - 1] == '/' && strcmp(r->type + n - k, suffix) == 0)
			return r;
	}
	return NULL;
}

/* The zip entry a Target names, relative to the folder of the part "from" (or absolute). */
char *
ls_xlsx_resolve(const char *from, const char *target)
{
	size_t n = strlen(from) + strlen(target) + 2;
	char *out = malloc(n), *o;
	const char *slash = strrchr(from, '/');

	if (out == NULL)
		return NULL;
	if (target[0] == '/') {
		out[0] = '\0';
		target++;
	} else {
		size_t k = slash ? (size_t)(slash - from) + 1 : 0;
		memcpy(out, from, k);
		out[k] = '\0';
	}
	o = out + strlen(out);
	while (*target) {
		if (strncmp(target, "../", 3) == 0) {
			/* up one folder: back over "dir/" */
			if (o > out)
				o--;
			while (o > out && o[-1] != '/')
				o--;
			target += 3;
		} else if (strncmp(target, "./", 2) == 0) {
			target += 2;
		} else {
			const char *e = strchr(target, '/');
			size_t k = e ? (size_t)(e - target) + 1 : strlen(target);
			memcpy(o, target, k);
			o += k;
			target += k;
		}
	}
	*o = '\0';
	return out;
}

/* ---- workbook.xml ---- */

static void XMLCALL
wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct ls_xlsx *x = ud;
	const char *l = ls_xlsx_local(name), *v;

	if (strcmp(l, "workbookPr") == 0) {
		v = ls_xlsx_attr(atts, "date1904");
		x->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
	} else if (strcmp(l, "sheets") == 0) {
		x->in_sheets = 1;
	} else if (strcmp(l, "sheet") == 0 && x->in_sheets) {
		const char *sn = ls_xlsx_attr(atts, "name"), *rid = NULL;
		/* r:id: the attribute "id" in the relationships namespace, whatever its prefix */
		for (size_t i = 0; atts[i]; i += 2)
			if (strchr(atts[i], ':') && strcmp(ls_xlsx_local(atts[i]), "id") == 0)
				rid = atts[i + 1];
		if (sn == NULL || rid == NULL)
			return;
		if (x->nsheets >= 100000) {
			ls_xlsx_abort(x, LS_EIO, "more than 100000 sheets");
			return;
		}
		char **a = x->sheet_names, **b = x->sheet_rids;

		if (grows(x->nsheets)) {
			a = realloc(x->sheet_names, room_for(x->nsheets) * sizeof(*a));
			b = a ? realloc(x->sheet_rids, room_for(x->nsheets) * sizeof(*b)) : NULL;
			if (a)
				x->sheet_names = a;
			if (b)
				x->sheet_rids = b;
			if (a == NULL || b == NULL) {
				ls_xlsx_abort(x, LS_ENOMEM, "out of memory");
				return;
			}
		}
		a[x->nsheets] = strdup(sn);
		b[x->nsheets] = strdup(rid);
		x->nsheets++;
		if (a[x->nsheets - 1] == NULL || b[x->nsheets - 1] == NULL)
			ls_xlsx_abort(x, LS_ENOMEM, "out of memory");
	}
}

static void XMLCALL
wb_end(void *ud, const XML_Char *name)
{
	struct ls_xlsx *x = ud;

	if (strcmp(ls_xlsx_local(name), "sheets") == 0)
		x->in_sheets = 0;
}

/* ---- styles.xml: which cell formats show a number as a date or time ---- */

static int
push_long(long **a, size_t n, long v)
{
	long *na = *a;

	if (grows(n) && (na = realloc(*a, room_for(n) * sizeof(**a))) == NULL)
		return -1;
	na[n] = v;
	*a = na;
	return 0;
}

static void XMLCALL
st_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct ls_xlsx *x = ud;
	const char *l = ls_xlsx_local(name), *id = ls_xlsx_attr(atts, "numFmtId");

	if (strcmp(l, "numFmts") == 0) {
		x->in_numfmts = 1;
	} else if (strcmp(l, "cellXfs") == 0) {
		x->in_cellxfs = 1;
	} else if (strcmp(l, "numFmt") == 0 && x->in_numfmts && id) {
		const char *code = ls_xlsx_attr(atts, "formatCode");
		unsigned char *k;
		if (x->nfmt >= MAX_XF || push_long(&x->fmt_id, x->nfmt, atol(id)) < 0 ||
		    (k = grows(x->nfmt) ? realloc(x->fmt_kind, room_for(x->nfmt)) : x->fmt_kind) == NULL) {
			ls_xlsx_abort(x, LS_EIO, "too many number formats, or out of memory");
			return;
		}
		x->fmt_kind = k;
		enum ls_xlsx_kind kind = ls_xlsx_format_kind(code ? code : "");

		k[x->nfmt++] = (unsigned char)kind;
	} else if (strcmp(l, "xf") == 0 && x->in_cellxfs) {
		if (x->nxf >= MAX_XF || push_long(&x->xf_fmt, x->nxf, id ? atol(id) : 0) < 0) {
			ls_xlsx_abort(x, LS_EIO, "too many cell formats, or out of memory");
			return;
		}
		x->nxf++;
	}
}

static void XMLCALL
st_end(void *ud, const XML_Char *name)
{
	struct ls_xlsx *x = ud;
	const char *l = ls_xlsx_local(name);

	if (strcmp(l, "numFmts") == 0)
		x->in_numfmts = 0;
	else if (strcmp(l, "cellXfs") == 0)
		x->in_cellxfs = 0;
}

static int
read_styles(struct ls_xlsx *x, const char *name, struct ls_error *err)
{
	if (parse_part(x, name, P_STYLES, META_MAX, st_start, st_end, NULL, err) != 0)
		return -1;
	if ((x->xf_kind = calloc(x->nxf + 1, 1)) == NULL)
		return ls_error_set(err, LS_ENOMEM, x->name, 0, 0, "out of memory");
	for (size_t i = 0; i < x->nxf; i++) {
		enum ls_xlsx_kind k = ls_xlsx_builtin_kind(x->xf_fmt[i]);
		/* a format the workbook defines wins over the built-in of the same id */
		for (size_t j = 0; j < x->nfmt; j++)
			if (x->fmt_id[j] == x->xf_fmt[i])
				k = (enum ls_xlsx_kind)x->fmt_kind[j];
		x->xf_kind[i] = (unsigned char)k;
	}
	return 0;
}

/* ---- sharedStrings.xml: every <si>'s text, rich runs joined, phonetic runs left out ---- */

static void XMLCALL
sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct ls_xlsx *x = ud;
	const char *l = ls_xlsx_local(name);

	(void)atts;
	if (strcmp(l, "si") == 0) {
		x->in_si = 1;
		x->si_start = x->sst.n;
	} else if (strcmp(l, "rPh") == 0) {
		x->in_rph = 1;
	} else if (strcmp(l, "t") == 0 && x->in_si && !x->in_rph) {
		x->in_t = 1;
	}
}

static void XMLCALL
sst_end(void *ud, const XML_Char *name)
{
	struct ls_xlsx *x = ud;
	const char *l = ls_xlsx_local(name);

	if (strcmp(l, "t") == 0) {
		x->in_t = 0;
	} else if (strcmp(l, "rPh") == 0) {
		x->in_rph = 0;
	} else if (strcmp(l, "si") == 0 && x->in_si) {
		x->in_si = 0;
		if (x->sst.n > x->si_start)
			x->sst.n = x->si_start + ls_xlsx_unescape(x->sst.p + x->si_start,
			    x->sst.n - x->si_start);
		if (x->nsst == x->sst_cap) {
			size_t cap = x->sst_cap ? x->sst_cap * 2 : 1024;
			size_t *no = realloc(x->sst_off, cap * sizeof(*no));
			if (no == NULL) {
				ls_xlsx_abort(x, LS_ENOMEM, "out of memory");
				return;
			}
			x->sst_off = no;
			x->sst_cap = cap;
		}
		x->sst_off[x->nsst++] = x->si_start;
		if (ls_buf_put(&x->sst, "", 1) != 0)
			ls_xlsx_abort(x, LS_ENOMEM, "out of memory");
	}
}

static void XMLCALL
sst_text(void *ud, const XML_Char *s, int len)
{
	struct ls_xlsx *x = ud;

	if (x->in_t && ls_buf_put(&x->sst, s, (size_t)len) != 0)
		ls_xlsx_abort(x, LS_ENOMEM, "out of memory");
}

/* The package: its relationships, the workbook, the styles, the shared strings. */
int
ls_xlsx_load(struct ls_xlsx *x, char **wbpath, struct ls_error *err)
{
	const struct rel *r;
	char *wb = NULL, *p = NULL;
	int rc = -1;

	*wbpath = NULL;
	if (read_rels(x, "_rels/.rels", err) != 0)
		return -1;
	r = ls_xlsx_find_rel(x, "officeDocument", NULL);
	if ((wb = r ? ls_xlsx_resolve("", r->target) : strdup("xl/workbook.xml")) == NULL)
		goto oom;
	if (parse_part(x, wb, P_WORKBOOK, META_MAX, wb_start, wb_end, NULL, err) != 0)
		goto out;
	{
		/* xl/workbook.xml's rels: xl/_rels/workbook.xml.rels */
		const char *slash = strrchr(wb, '/');
		size_t dir = slash ? (size_t)(slash - wb) + 1 : 0;
		if ((p = malloc(strlen(wb) + 12)) == NULL)
			goto oom;
		sprintf(p, "%.*s_rels/%s.rels", (int)dir, wb, wb + dir);
	}
	if (read_rels(x, p, err) != 0)
		goto out;
	free(p);
	p = NULL;
	if ((r = ls_xlsx_find_rel(x, "styles", NULL)) != NULL) {
		if ((p = ls_xlsx_resolve(wb, r->target)) == NULL)
			goto oom;
		if (read_styles(x, p, err) != 0)
			goto out;
		free(p);
		p = NULL;
	}
	if ((r = ls_xlsx_find_rel(x, "sharedStrings", NULL)) != NULL) {
		if ((p = ls_xlsx_resolve(wb, r->target)) == NULL)
			goto oom;
		if (parse_part(x, p, P_SST, LS_XLSX_MAX_PART, sst_start, sst_end, sst_text, err) != 0)
			goto out;
	}
	*wbpath = wb;
	wb = NULL;
	rc = 0;
	goto out;
oom:
	ls_error_set(err, LS_ENOMEM, x->name, 0, 0, "out of memory");
out:
	free(wb);
	free(p);
	return rc;
}

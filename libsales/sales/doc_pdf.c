/*
 * doc_pdf.c - release --pdf (document.h, ls_manifest_print()): the
 * released HTML documents printed to PDF beside their outbox copies by one
 * headless Chromium (io/cdp.h), each PDF recorded in the journal with the
 * HTML's hash it was printed from.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cdp.h"
#include "doc_int.h"
#include "sha256.h"
#include "util.h"

static const char *const words[] = {
	[LS_PDF_NONE] = "", [LS_PDF_PRINTED] = "printed", [LS_PDF_ALREADY] = "already_printed",
	[LS_PDF_SKIPPED] = "skipped", [LS_PDF_FAILED] = "not_printed",
};

const char *
ls_pdf_word(enum ls_pdf_result r)
{
	return (size_t)r < sizeof words / sizeof words[0] ? words[r] : "?";
}

/* Row r ends as res with words of its own (printf-style, one string argument). */
static int
mark(struct ls_manifest_row *r, enum ls_pdf_result res, const char *fmt, const char *a)
{
	struct ls_buf b = { 0 };

	r->pdf = res;
	free(r->pdf_why);
	r->pdf_why = NULL;
	if (ls_buf_printf(&b, fmt, a) != 0)
		return LS_ENOMEM;
	r->pdf_why = b.p;
	return 0;
}

/* Whether name ends in .html or .htm, in any case: the documents a browser prints as they are. */
static int
is_html(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot && (!strcasecmp(dot, ".html") || !strcasecmp(dot, ".htm"));
}

/* name with its extension replaced by .pdf (malloc'ed), NULL when out of memory. */
static char *
pdf_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t stem = dot ? (size_t)(dot - name) : strlen(name);
	char *p = malloc(stem + 5);

	if (p != NULL) {
		memcpy(p, name, stem);
		memcpy(p + stem, ".pdf", 5);
	}
	return p;
}

struct job {
	size_t row;
	char *html, *pdf;	/* base names in the outbox */
};

/*
 * Whether row r (released, its journal record d) is to be printed: 1 (j
 * filled), 0 (r->pdf says why not), or an error stopping the run.
 */
static int
plan(struct ls_manifest_row *r, const struct ls_jdoc *d, const char *outbox, struct job *j,
    struct ls_error *err)
{
	const char *base = strrchr(r->f[LS_MF_FILE], '/');
	struct ls_error e = { 0 };
	char hex[LS_SHA256_HEX], *buf = NULL;
	size_t n;
	int missing, rc;

	base = base ? base + 1 : r->f[LS_MF_FILE];
	if (!is_html(base))
		return mark(r, LS_PDF_SKIPPED, "%s is not HTML: only .html documents are printed", base) ?
		    LS_ENOMEM : 0;
	if (d == NULL || !d->released || strcmp(d->rel_sha, r->f[LS_MF_SHA256]) != 0)
		return mark(r, LS_PDF_FAILED, "the journal has no release of %s", base) ? LS_ENOMEM : 0;
	if ((j->html = strdup(base)) == NULL || (j->pdf = pdf_name(base)) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	/* the PDF the journal recorded, still there: nothing to do; another file in its place: left */
	rc = ls_doc_read_in(outbox, j->pdf, &buf, &n, &missing, NULL, &e);
	if (rc == LS_EIO || rc == LS_ENOMEM) {
		*err = e;
		return rc;
	}
	if (rc == 0)
		ls_sha256_hex(buf, n, hex);
	free(buf);
	if (rc != 0 && !missing)
		return mark(r, LS_PDF_FAILED, "%s", e.msg) ? LS_ENOMEM : 0;
	if (d->printed && rc == 0) {
		if (strcmp(hex, d->pdf_sha) == 0) {
			r->pdf = LS_PDF_ALREADY;
			return 0;
		}
		return mark(r, LS_PDF_FAILED, "the outbox's %s is not the PDF the journal recorded: "
		    "look at it, remove it and release --pdf again", j->pdf) ? LS_ENOMEM : 0;
	}
	/*
	 * Not recorded (a run killed between the rename and the journal's
	 * write leaves such a PDF), or recorded and gone: printed again.  The
	 * page printed is the outbox copy, so it must hold the released bytes.
	 */
	if ((rc = ls_doc_read_in(outbox, j->html, &buf, &n, &missing, NULL, &e)) == LS_EIO ||
	    rc == LS_ENOMEM) {
		*err = e;
		return rc;
	}
	if (rc != 0)
		return mark(r, LS_PDF_FAILED, "the outbox copy: %s", e.msg) ? LS_ENOMEM : 0;
	ls_sha256_hex(buf, n, hex);
	free(buf);
	if (strcmp(hex, d->rel_sha) != 0)
		return mark(r, LS_PDF_FAILED, "the outbox's %s is not the released document (sha256 "
		    "differs)", j->html) ? LS_ENOMEM : 0;
	return 1;
}

/* Print the jobs with one browser; the rows say what became of each; *out the PDFs written. */
static int
print_all(struct ls_manifest *m, const char *outbox, const char *abs, const struct ls_pdf_opts *o,
    struct job *jobs, size_t nj, char **out, size_t *nout, struct ls_error *err)
{
	struct ls_cdp_opts co = { .program = o->chromium, .allow_dir = abs, .timeout_ms = o->timeout_ms };
	struct ls_buf pdf = { 0 }, path = { 0 };
	struct ls_error e = { 0 };
	struct ls_cdp *c = ls_cdp_start(&co, &e);
	int rc = 0;

	for (size_t k = 0; k < nj && rc == 0; k++) {
		struct ls_manifest_row *r = &m->rows[jobs[k].row];
		char *target;
		int prc;

		if (c == NULL) {	/* not started: every PDF is named, with why */
			if (e.status == LS_ENOMEM)
				rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			else if (mark(r, LS_PDF_FAILED, "%s", e.msg) != 0)
				rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			continue;
		}
		path.n = 0;
		if (ls_buf_printf(&path, "%s/%s", abs, jobs[k].html) != 0) {
			rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			break;
		}
		prc = ls_cdp_print_pdf(c, path.p, &pdf, &e);
		if (prc == LS_ENOMEM) {
			rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			break;
		}
		if (prc != 0) {	/* this page's fault, or the browser's: then every later call fails alike */
			if (mark(r, LS_PDF_FAILED, "%s", e.msg) != 0)
				rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			continue;
		}
		if ((prc = ls_doc_put_staged(outbox, jobs[k].pdf, pdf.p, pdf.n, &target, &e)) != 0) {
			if (prc == LS_EDATA) {	/* a link planted in the staging folder: refused, the run goes on */
				if (mark(r, LS_PDF_FAILED, "%s", e.msg) != 0)
					rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
				continue;
			}
			*err = e;
			rc = prc;
			break;
		}
		out[(*nout)++] = target;
		r->pdf = LS_PDF_PRINTED;
		free(r->pdf_why);
		/* the PDF's hash kept for the journal, in pdf_why until then */
		if ((r->pdf_why = malloc(LS_SHA256_HEX)) == NULL) {
			rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			break;
		}
		ls_sha256_hex(pdf.p, pdf.n, r->pdf_why);
	}
	ls_cdp_stop(c);
	ls_buf_free(&pdf);
	ls_buf_free(&path);
	return rc;
}

int
ls_manifest_print(struct ls_manifest *m, const char *outbox, const struct ls_pdf_opts *o,
    struct ls_error *err)
{
	struct job *jobs = NULL;
	char **written = NULL, abs[PATH_MAX], when[LS_TIME_BUFSZ], login[64];
	size_t nj = 0, cap = 0, nw = 0;
	int rc = 0;

	m->printed = 1;
	for (size_t i = 0; i < m->n; i++) {
		m->rows[i].pdf = LS_PDF_NONE;
		free(m->rows[i].pdf_why);
		m->rows[i].pdf_why = NULL;
	}
	if (m->journal == NULL)
		return ls_error_set(err, LS_EUSAGE, m->path, 0, 0, "printing needs ls_manifest_open()");
	if (realpath(outbox, abs) == NULL)
		return ls_error_set(err, LS_EIO, outbox, 0, 0, "%s", strerror(errno));
	for (size_t i = 0; i < m->n && rc == 0; i++) {
		struct ls_manifest_row *r = &m->rows[i];
		struct job j = { .row = i };
		int p;

		if (r->rel != LS_REL_RELEASED && r->rel != LS_REL_ALREADY)
			continue;
		p = plan(r, ls_journal_doc(m->journal, r->f[LS_MF_DOC_ID]), outbox, &j, err);
		if (p == 1 && ls_grow(&jobs, &cap, nj + 1, sizeof *jobs) != 0)
			p = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		if (p == 1) {
			jobs[nj++] = j;
			continue;
		}
		free(j.html);
		free(j.pdf);
		if (p != 0)
			rc = p;
	}
	/* nothing to print starts no browser: a second run is quick and needs none */
	if (rc == 0 && nj > 0) {
		if ((written = calloc(nj, sizeof *written)) == NULL)
			rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		else if ((rc = ls_doc_stage_clean(outbox, 0, err)) == 0)
			rc = print_all(m, outbox, abs, o, jobs, nj, written, &nw, err);
	}
	/*
	 * As release does: the PDFs written are made durable together, then
	 * recorded in one write, even after a later failure.  A crash before
	 * the journal's write leaves PDFs the journal does not know: the next
	 * run prints those documents again and writes over them.
	 */
	if (nw > 0) {
		struct ls_error e2 = { 0 };
		struct ls_buf why = { 0 };
		int src = ls_doc_sync(written, nw, &e2);

		if (src == 0)
			src = ls_doc_now_text(when, &e2);
		ls_doc_login(login);
		for (size_t k = 0; k < nj && src == 0; k++) {
			struct ls_manifest_row *r = &m->rows[jobs[k].row];

			if (r->pdf != LS_PDF_PRINTED)
				continue;
			if ((src = ls_journal_printed_why(&why, r->pdf_why, jobs[k].pdf)) != 0)
				ls_error_set(&e2, LS_ENOMEM, NULL, 0, 0, "out of memory");
			else
				src = ls_journal_add(m->journal, when, "printed", r->f[LS_MF_DOC_ID],
				    r->f[LS_MF_SHA256], "", login, why.p, &e2);
		}
		if (src == 0)
			src = ls_journal_commit(m->journal, &e2);
		ls_buf_free(&why);
		if (src != 0 && rc == 0) {
			*err = e2;
			rc = src;
		}
	}
	for (size_t k = 0; k < nj; k++) {
		struct ls_manifest_row *r = &m->rows[jobs[k].row];

		if (r->pdf == LS_PDF_PRINTED) {	/* the hash kept for the journal is not a reason */
			free(r->pdf_why);
			r->pdf_why = NULL;
		}
		free(jobs[k].html);
		free(jobs[k].pdf);
	}
	for (size_t k = 0; k < nw; k++)
		free(written[k]);
	if (rc == 0 && nj > 0)
		(void)ls_doc_stage_clean(outbox, 1, NULL);
	free(written);
	free(jobs);
	return rc;
}

int
ls_print_report(const struct ls_manifest *m, const char *path, struct ls_buf *warn, size_t *failed)
{
	size_t n = 0;
	int bad = 0;

	for (size_t i = 0; i < m->n; i++) {
		const struct ls_manifest_row *r = &m->rows[i];

		if (r->pdf == LS_PDF_FAILED) {
			bad |= ls_buf_printf(warn, "%s: %s: PDF not printed: %s\n", path,
			    r->f[LS_MF_DOC_ID], r->pdf_why ? r->pdf_why : "");
			n++;
		} else if (r->pdf == LS_PDF_SKIPPED)
			bad |= ls_buf_printf(warn, "%s: %s: PDF skipped: %s\n", path, r->f[LS_MF_DOC_ID],
			    r->pdf_why ? r->pdf_why : "");
	}
	if (n)
		bad |= ls_buf_printf(warn, "%zu PDF%s not printed\n", n, n == 1 ? "" : "s");
	*failed = n;
	return bad ? LS_ENOMEM : 0;
}

/*
 * cli_stream.c - the commands' stream pipeline: the main input, the output
 * and the rejects file opened from the options, records in, rows out, and
 * standard output closed with its errors told.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "rejects.h"
#include "writer.h"
#include "xlsx_write.h"

int
ls_stream_open(struct ls_stream *s, const struct ls_stream_opts *o, char **argv, int argc)
{
	struct ls_writer_opts wo = { 0 };
	struct ls_reader_opts ro = o->in;

	memset(s, 0, sizeof(*s));
	/* a name that says .xlsx gets an .xlsx or nothing: a CSV under it is an error in Excel */
	if (ls_xlsxw_path(o->output)) {
		s->end = LS_STREAM_FAILED;
		return s->status = ls_cli_fail(2, "-o %s: %s writes CSV or TSV, not .xlsx", o->output, ls_cli_prog());
	}
	ro.readahead = ls_cli_readahead(o);
	s->in = ls_reader_open((const char *const *)argv, (size_t)argc, &ro, &s->err);
	if (s->in == NULL)
		return ls_cli_error(&s->err);
	wo.format = ls_output_format(o->oformat, s->in);
	wo.encoding = o->oencoding;
	wo.bom = o->bom;
	wo.keep_formulas = o->keep_formulas;
	/* CSV keeps the input's delimiter (a ';' export stays ';'), unless --ocsv asks for plain CSV */
	wo.delim = wo.format != LS_FMT_CSV ? '\t' : o->oformat == LS_FMT_CSV ? ',' : ls_reader_delim(s->in);
	if (wo.format == LS_FMT_CSV && ls_reader_format(s->in) == LS_FMT_TSV)
		wo.delim = ',';
	s->wo = wo;
	s->out = ls_writer_open(o->output, stdout, &wo, &s->err);
	if (s->out == NULL)
		return ls_cli_error(&s->err);
	if (o->rejects) {
		s->rejects = o->rejects;
		if ((s->rej = ls_rejects_open(o->rejects, &s->err)) == NULL)
			return ls_cli_error(&s->err);
	}
	return 0;
}

/* An output failed while reading: stop the reader, say why unless the pipe was closed. */
static int
stop_on_output(struct ls_stream *s)
{
	struct ls_writer *w = ls_writer_status(s->out) != 0 ? s->out : s->rej;

	ls_reader_stop(s->in);
	ls_writer_flush(w, &s->err);
	if (s->err.status == LS_EPIPE && w == s->out) {
		s->end = LS_STREAM_CLOSED;
		s->status = 0;
	} else {
		if (w == s->rej)
			snprintf(s->err.file, sizeof(s->err.file), "%s", s->rejects);
		s->end = LS_STREAM_FAILED;
		s->status = ls_cli_error(&s->err);
	}
	return -1;
}

int
ls_stream_next(struct ls_stream *s, struct ls_record *rec)
{
	for (;;) {
		int rc;

		/* a closed pipe or a full disk downstream: reading on is wasted work */
		if (ls_writer_status(s->out) != 0 || (s->rej && ls_writer_status(s->rej) != 0))
			return stop_on_output(s);
		if ((rc = ls_reader_next(s->in, rec, &s->err)) > 0)
			return rc;
		if (rc == 0) {
			s->end = LS_STREAM_EOF;
			return 0;
		}
		if (s->err.status != LS_EDATA || s->rej == NULL) {
			ls_reader_stop(s->in);
			/* the records before the bad one are good output: a stream, like awk's */
			ls_writer_flush(s->out, NULL);
			s->status = ls_cli_error(&s->err);
			s->end = LS_STREAM_FAILED;
			return -1;
		}
		ls_rejects_add(s->rej, rec->raw.p, rec->raw.n, rec->line, s->err.msg, rec->file);
		s->nrejected++;
	}
}

int
ls_stream_header(struct ls_stream *s, const char *const *extra)
{
	const struct ls_str *h = ls_reader_header(s->in);
	size_t ncols = ls_reader_ncols(s->in), k;

	s->ncols = ncols;
	/* an empty input (nothing, or a BOM alone) gives an empty output */
	if (ncols == 0)
		return 0;
	for (s->nextra = 0; extra && extra[s->nextra]; s->nextra++)
		;
	free(s->slot);
	free(s->appended);
	s->slot = malloc((ncols + 1) * sizeof(*s->slot));
	s->appended = malloc((s->nextra + 1) * sizeof(*s->appended));
	if (s->slot == NULL || s->appended == NULL) {
		s->end = LS_STREAM_FAILED;
		return s->status = ls_cli_fail(1, "out of memory");
	}
	for (size_t i = 0; i < ncols; i++)
		s->slot[i] = -1;
	s->nappended = 0;
	for (k = 0; k < s->nextra; k++) {
		long at = ls_reader_col(s->in, extra[k]);
		if (at >= 0)
			s->slot[at] = (long)k;
		else
			s->appended[s->nappended++] = (long)k;
	}
	for (size_t i = 0; i < ncols; i++)
		ls_writer_field(s->out, h[i].p, h[i].n);
	for (k = 0; k < s->nappended; k++)
		ls_writer_cstr(s->out, extra[s->appended[k]]);
	/* a write error shows at the next ls_stream_next() or at ls_stream_close() */
	ls_writer_end(s->out);
	return 0;
}

int
ls_stream_row(struct ls_stream *s, const struct ls_str *fields, size_t n, const struct ls_str *extra)
{
	/* the usual case, the input's columns then every extra value in order, in two calls */
	if (s->nappended == s->nextra && n == s->ncols) {
		if (s->spans)
			ls_writer_span(s->out, fields, n);
		else
			ls_writer_fields(s->out, fields, n);
		if (s->same_tail)
			ls_writer_tail(s->out, extra, s->nextra);
		else
			ls_writer_fields(s->out, extra, s->nextra);
		return ls_writer_end(s->out);
	}
	for (size_t i = 0; i < n; i++) {
		const struct ls_str *f = s->slot[i] < 0 ? &fields[i] : &extra[s->slot[i]];
		ls_writer_field(s->out, f->p, f->n);
	}
	for (size_t k = 0; k < s->nappended; k++)
		ls_writer_field(s->out, extra[s->appended[k]].p, extra[s->appended[k]].n);
	return ls_writer_end(s->out);
}

const struct ls_writer_opts *
ls_stream_writer_opts(const struct ls_stream *s)
{
	return &s->wo;
}

size_t
ls_stream_out_cols(const struct ls_stream *s)
{
	return s->ncols + s->nappended;
}

void
ls_stream_out_row(const struct ls_stream *s, const struct ls_str *fields, size_t n,
    const struct ls_str *extra, struct ls_str *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n && i < s->ncols; i++)
		out[o++] = s->slot[i] < 0 ? fields[i] : extra[s->slot[i]];
	for (size_t k = 0; k < s->nappended; k++)
		out[o++] = extra[s->appended[k]];
}

void
ls_stream_out_header(const struct ls_stream *s, const char *const *extra, struct ls_str *out)
{
	const struct ls_str *h = ls_reader_header(s->in);
	size_t o = 0;

	for (size_t i = 0; i < s->ncols; i++)
		out[o++] = h[i];
	for (size_t k = 0; k < s->nappended; k++) {
		out[o].p = extra[s->appended[k]];
		out[o++].n = strlen(extra[s->appended[k]]);
	}
}

/* Commit the rejects file: 0, or the exit status after printing the error (named after the file). */
static int
commit_rejects(struct ls_stream *s)
{
	if (s->rej && ls_writer_commit(s->rej, &s->err) != 0) {
		if (s->err.file[0] == '\0')
			snprintf(s->err.file, sizeof(s->err.file), "%s", s->rejects);
		s->end = LS_STREAM_FAILED;
		return s->status = ls_cli_error(&s->err);
	}
	return 0;
}

/* Commit the output: 0, or the exit status after printing the error (0 on a closed pipe, s->end then says so). */
static int
commit_output(struct ls_stream *s)
{
	if (ls_writer_commit(s->out, &s->err) != 0) {
		s->end = s->err.status == LS_EPIPE ? LS_STREAM_CLOSED : LS_STREAM_FAILED;
		return s->status = ls_cli_error(&s->err);
	}
	return 0;
}

int
ls_stream_commit(struct ls_stream *s)
{
	int status = commit_rejects(s);

	return status != 0 ? status : commit_output(s);
}

int
ls_stream_close(struct ls_stream *s)
{
	int status = commit_rejects(s);

	if (status != 0)
		return status;
	if (s->rej && s->nrejected > 0)
		ls_cli_warn("%lu bad record%s written to %s", s->nrejected,
		    s->nrejected == 1 ? "" : "s", s->rejects);
	return commit_output(s);
}

struct ls_reader *
ls_stream_reader(const struct ls_stream *s)
{
	return s->in;
}

void
ls_stream_free(struct ls_stream *s)
{
	if (s == NULL)
		return;
	ls_reader_stop(s->in);
	free(s->slot);
	free(s->appended);
	ls_reader_free(s->in);
	ls_writer_free(s->out);
	ls_writer_free(s->rej);
	memset(s, 0, sizeof(*s));
}

/*
 * Whether standard output is a pipe or socket nobody reads any more: an
 * earlier stdio write that failed with EPIPE leaves only ferror() behind,
 * and the pipe's reader gone shows as POLLERR.
 */
static int
stdout_reader_gone(void)
{
	struct pollfd p = { .fd = 1, .events = POLLOUT };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLERR) != 0;
}

int
ls_finish_output(void)
{
	int failed;

	errno = 0;
	failed = fflush(stdout) != 0;
	if (failed || ferror(stdout)) {
		if (ls_writer_stdout_closed() || (failed && errno == EPIPE) ||
		    stdout_reader_gone())
			return 0;
		/* a failure of an earlier write leaves its errno long gone: say only what is known */
		if (!failed || errno == 0)
			return ls_cli_fail(1, "write error on standard output");
		return ls_cli_fail(1, "write error: %s", strerror(errno));
	}
	if (fclose(stdout) != 0 && errno != EPIPE)
		return ls_cli_fail(1, "write error: %s", strerror(errno));
	return 0;
}

/* cli.c - the commands' shared options, messages and stream handling. */
#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lock.h"

static const char *progname = "libsales";

const struct ls_opt ls_stream_options[] = {
	{ "delimiter", 'd', 'd', "CHAR", "CSV delimiter of the main input (default: found from its header line)" },
	{ "tsv", 't', 't', NULL, "read the main input as TSV" },
	{ "output", 'o', 'o', "FILE", "write to FILE (atomically: all or nothing) instead of standard output" },
	{ "encoding", 0, LS_OPT_ENCODING, "NAME", "the main input's encoding (iconv name, e.g. cp1251)" },
	{ "rejects", 0, LS_OPT_REJECTS, "FILE", "write bad records to FILE and go on, instead of stopping" },
	{ "ocsv", 0, LS_OPT_OCSV, NULL, "write CSV whatever the input" },
	{ "otsv", 0, LS_OPT_OTSV, NULL, "write TSV whatever the input" },
	{ "lazy-quotes", 0, LS_OPT_LAZY, NULL, "keep a quote inside an unquoted field as text (1C: ООО \"Гамма\")" },
	{ "bom", 0, LS_OPT_BOM, NULL, "start the output with a UTF-8 BOM (for Excel)" },
	{ "oencoding", 0, LS_OPT_OENCODING, "NAME", "write the output in encoding NAME (e.g. cp1251)" },
	{ "threads", 0, LS_OPT_THREADS, "N", "1 (default), or 2 to read on a second thread (also LS_THREADS)" },
	{ "help", 'h', 'h', NULL, "print this help and exit" },
	{ "version", 0, LS_OPT_VERSION, NULL, "print the version and exit" },
	{ NULL, 0, 0, NULL, NULL }
};

const struct ls_opt ls_basic_options[] = {
	{ "help", 'h', 'h', NULL, "print this help and exit" },
	{ "version", 0, LS_OPT_VERSION, NULL, "print the version and exit" },
	{ NULL, 0, 0, NULL, NULL }
};

int
ls_getopt_init(struct ls_getopt *g, const struct ls_opt *const *tables)
{
	size_t n = 0, k = 0;

	memset(g, 0, sizeof(*g));
	g->tables = tables;
	/* a leading ':' is not wanted: getopt's own messages name the bad option */
	for (size_t t = 0; tables[t] != NULL; t++)
		for (const struct ls_opt *o = tables[t]; o->help != NULL; o++) {
			if (n >= LS_GETOPT_MAX)
				return -1;
			if (o->name != NULL)
				g->longopts[n++] = (struct option){
					o->name, o->arg ? required_argument : no_argument, NULL, o->val
				};
			if (o->letter != 0) {
				g->shortopts[k++] = (char)o->letter;
				if (o->arg)
					g->shortopts[k++] = ':';
			}
		}
	return 0;
}

int
ls_getopt_next(struct ls_getopt *g, int argc, char **argv)
{
	return getopt_long(argc, argv, g->shortopts, g->longopts, NULL);
}

void
ls_cli_help(FILE *fp, const struct ls_getopt *g, const char *synopsis)
{
	fprintf(fp, "usage: %s\n\noptions:\n", synopsis);
	for (size_t t = 0; g->tables[t] != NULL; t++)
		for (const struct ls_opt *o = g->tables[t]; o->help != NULL; o++) {
			char lhs[64];
			int n = 0;

			if (o->letter && o->name)
				n = snprintf(lhs, sizeof(lhs), "-%c, --%s", o->letter, o->name);
			else if (o->letter)
				n = snprintf(lhs, sizeof(lhs), "-%c", o->letter);
			else
				n = snprintf(lhs, sizeof(lhs), "    --%s", o->name);
			if (o->arg && n > 0 && (size_t)n < sizeof(lhs))
				snprintf(lhs + n, sizeof(lhs) - (size_t)n, " %s", o->arg);
			if (strlen(lhs) < 26)
				fprintf(fp, "  %-26s %s\n", lhs, o->help);
			else
				fprintf(fp, "  %s\n  %-26s %s\n", lhs, "", o->help);
		}
}
static int pipe_closed;		/* a writer saw EPIPE: stdout's error is the reader's leaving */

/* SIGINT, SIGTERM, SIGHUP: no temporary output left behind, then die of the signal as usual. */
static void
on_signal(int sig)
{
	ls_atomic_remove_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

void
ls_cli_init(const char *prog)
{
	const char *slash = strrchr(prog, '/');

	progname = slash ? slash + 1 : prog;
	setlocale(LC_ALL, "");
	/* numbers are read and written the C way whatever the user's locale */
	setlocale(LC_NUMERIC, "C");
	signal(SIGPIPE, SIG_IGN);
	/* a file-size limit (ulimit -f) is a write error (EFBIG) like a full
	 * disk, handled and cleaned up after, not a death that leaves temporary files */
	signal(SIGXFSZ, SIG_IGN);
	for (size_t i = 0; i < 3; i++) {
		static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
		struct sigaction sa, old;

		/* a signal ignored by whoever started us (nohup) stays ignored */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(sigs[i], &sa, NULL);
	}
}

const char *
ls_cli_prog(void)
{
	return progname;
}

void
ls_cli_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
ls_cli_fail(int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

int
ls_cli_error(const struct ls_error *err)
{
	char buf[1200];

	if (err->status == LS_EPIPE)
		return 0;
	fprintf(stderr, "%s: %s\n", progname, ls_error_format(err, buf, sizeof(buf)));
	return ls_exit_status(err->status);
}

int
ls_cli_version(void)
{
	printf("%s (libsales) %s\n", progname, LS_VERSION);
	return 0;
}

/* 1 or 2: the main thread, and a reading thread beside it; more would have nothing to do. */
static int
parse_threads(const char *s, int *n)
{
	if ((s[0] != '1' && s[0] != '2') || s[1] != '\0')
		return -1;
	*n = s[0] - '0';
	return 0;
}

int
ls_cli_stream_opt(int ch, const char *arg, struct ls_stream_opts *o)
{
	switch (ch) {
	case 'd':
		if (strcmp(arg, "\\t") == 0 || strcmp(arg, "tab") == 0)
			arg = "\t";
		if (strlen(arg) != 1 || arg[0] == '"' || arg[0] == '\n' || arg[0] == '\r') {
			ls_cli_warn("-d needs one character other than a quote or line break, not '%s'", arg);
			return -1;
		}
		o->in.delim = arg[0];
		return 1;
	case 't':
		o->in.format = LS_FMT_TSV;
		return 1;
	case 'o':
		o->output = arg;
		return 1;
	case LS_OPT_ENCODING:
		o->in.encoding = arg;
		return 1;
	case LS_OPT_REJECTS:
		if (strcmp(arg, "-") == 0 || arg[0] == '\0') {
			ls_cli_warn("--rejects needs a file name (standard output carries the good records)");
			return -1;
		}
		o->rejects = arg;
		return 1;
	case LS_OPT_OCSV:
		o->oformat = LS_FMT_CSV;
		return 1;
	case LS_OPT_OTSV:
		o->oformat = LS_FMT_TSV;
		return 1;
	case LS_OPT_LAZY:
		o->in.lazy_quotes = 1;
		return 1;
	case LS_OPT_BOM:
		o->bom = 1;
		return 1;
	case LS_OPT_OENCODING:
		o->oencoding = arg;
		return 1;
	case LS_OPT_THREADS:
		if (parse_threads(arg, &o->threads) < 0) {
			ls_cli_warn("--threads needs a number from 1 to 2, not '%s'", arg);
			return -1;
		}
		return 1;
	}
	return 0;
}

int
ls_cli_readahead(const struct ls_stream_opts *o)
{
	const char *env;
	int n = o->threads;

	if (n == 0 && (env = getenv("LS_THREADS")) != NULL && parse_threads(env, &n) < 0)
		n = 1;
	return n >= 2;
}

int
ls_stream_open(struct ls_stream *s, const struct ls_stream_opts *o, char **argv, int argc)
{
	struct ls_writer_opts wo = { 0 };
	struct ls_reader_opts ro = o->in;

	memset(s, 0, sizeof(*s));
	ro.readahead = ls_cli_readahead(o);
	s->in = ls_reader_open((const char *const *)argv, (size_t)argc, &ro, &s->err);
	if (s->in == NULL)
		return ls_cli_error(&s->err);
	wo.format = ls_output_format(o->oformat, s->in);
	wo.encoding = o->oencoding;
	wo.bom = o->bom;
	/* CSV keeps the input's delimiter (a ';' export stays ';'), unless --ocsv asks for plain CSV */
	wo.delim = wo.format != LS_FMT_CSV ? '\t' : o->oformat == LS_FMT_CSV ? ',' : ls_reader_delim(s->in);
	if (wo.format == LS_FMT_CSV && ls_reader_format(s->in) == LS_FMT_TSV)
		wo.delim = ',';
	s->out = ls_writer_open(o->output, stdout, &wo, &s->err);
	if (s->out == NULL)
		return ls_cli_error(&s->err);
	if (o->rejects) {
		/* UTF-8 whatever --oencoding says: the rejects file is for the tools to read back */
		struct ls_writer_opts ro = { 0 };
		static const char *const cols[] = { "raw", "line", "error", "file" };
		ro.format = LS_FMT_CSV;
		s->rejects = o->rejects;
		s->rej = ls_writer_open(o->rejects, NULL, &ro, &s->err);
		if (s->rej == NULL)
			return ls_cli_error(&s->err);
		for (size_t i = 0; i < 4; i++)
			ls_writer_cstr(s->rej, cols[i]);
		ls_writer_end(s->rej);
	}
	return 0;
}

/*
 * The rejects file is a CSV the tools read back, so it must be UTF-8: in a
 * bad record's raw text, each byte that is not part of valid UTF-8, and
 * NUL, is written as \xHH (libsales-formats(5)).
 */
static int
write_raw(struct ls_stream *s, const char *raw, size_t n)
{
	const unsigned char *p = (const unsigned char *)raw;
	size_t i = 0, bad, o = 0;
	char *buf;
	int rc;

	if (ls_utf8_valid(p, n, &bad) > 0)
		return ls_writer_field(s->rej, raw, n);
	if ((buf = malloc(4 * n + 1)) == NULL)
		return LS_ENOMEM;
	/* the valid run before each bad byte as it is, the byte escaped */
	while (i < n) {
		if (ls_utf8_valid(p + i, n - i, &bad) > 0)
			bad = n - i;
		memcpy(buf + o, p + i, bad);
		o += bad;
		i += bad;
		if (i < n) {
			snprintf(buf + o, 5, "\\x%02X", p[i]);
			o += 4;
			i++;
		}
	}
	rc = ls_writer_field(s->rej, buf, o);
	free(buf);
	return rc;
}

/* An output failed while reading: stop the reader, say why unless the pipe was closed. */
static int
stop_on_output(struct ls_stream *s)
{
	struct ls_writer *w = ls_writer_status(s->out) != 0 ? s->out : s->rej;

	ls_reader_stop(s->in);
	ls_writer_flush(w, &s->err);
	if (s->err.status == LS_EPIPE && w == s->out) {
		pipe_closed = 1;
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
		char num[32];

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
		snprintf(num, sizeof(num), "%ld", rec->line);
		write_raw(s, rec->raw.p, rec->raw.n);
		ls_writer_cstr(s->rej, num);
		ls_writer_cstr(s->rej, s->err.msg);
		ls_writer_cstr(s->rej, rec->file);
		ls_writer_end(s->rej);
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
		ls_writer_fields(s->out, fields, n);
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

int
ls_stream_close(struct ls_stream *s)
{
	struct ls_error err;

	if (s->rej && ls_writer_commit(s->rej, &err) != 0) {
		if (err.file[0] == '\0')
			snprintf(err.file, sizeof(err.file), "%s", s->rejects);
		return ls_cli_error(&err);
	}
	if (s->rej && s->nrejected > 0)
		ls_cli_warn("%lu bad record%s written to %s", s->nrejected,
		    s->nrejected == 1 ? "" : "s", s->rejects);
	if (ls_writer_commit(s->out, &err) != 0) {
		if (err.status == LS_EPIPE) {
			pipe_closed = 1;
			s->end = LS_STREAM_CLOSED;
		}
		return ls_cli_error(&err);
	}
	return 0;
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
		if (pipe_closed || ls_writer_stdout_closed() || (failed && errno == EPIPE) ||
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

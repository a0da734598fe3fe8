/*
 * doc-render - documents from Mustache templates, released only after a
 * manager's approval (doc-render(1)).  The engine is mustache.c, the
 * invoice maths, output names and the manifest's gate are document.c; this
 * file parses options, streams the rows, and prints.
 */
#include <errno.h>
#include <signal.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "date.h"
#include "document.h"
#include "keyset.h"
#include "lock.h"
#include "mustache.h"
#include "sha256.h"
#include "util.h"
#include "writer.h"

enum {
	OPT_ITEMS = LS_OPT_TOOL, OPT_KEY, OPT_NAME, OPT_ID, OPT_BY, OPT_STRICT, OPT_FORCE,
	OPT_LOCALE, OPT_ESCAPE
};

/* Every option once: getopt's table and --help are made from this. */
struct opt {
	const char *name;
	int has_arg, val;
	const char *arg, *help;
};

static const struct opt render_opts[] = {
	{ "template", 1, 'T', "TEMPLATE", "Mustache template (.html: HTML escaping, .tex: LaTeX, else none)" },
	{ "context", 1, 'c', "FILE.yaml", "context below each row: company, bank, vat table, vat_mode" },
	{ "items", 1, OPT_ITEMS, "FILE", "invoice lines (name, qty, unit, price, [vat_rate])" },
	{ "key", 1, OPT_KEY, "COL", "column joining --items to the rows" },
	{ "output", 1, 'o', "DIR", "folder for the documents (default: the current one)" },
	{ "name", 1, OPT_NAME, "PATTERN", "file name, a template such as {{deal_id}}.html" },
	{ "id", 1, OPT_ID, "COL", "column giving doc_id (default: the first)" },
	{ "strict", 0, OPT_STRICT, NULL, "a variable without a value is an error" },
	{ "force", 0, OPT_FORCE, NULL, "replace documents that exist" },
	{ "locale", 1, OPT_LOCALE, "ru|en", "money filter style: 1 234,50 or 1,234.50 (default ru)" },
	{ "escape", 1, OPT_ESCAPE, "html|latex|none", "escaping, instead of the template's type" },
	{ "delimiter", 1, 'd', "CHAR", "CSV delimiter of the rows" },
	{ "tsv", 0, 't', NULL, "rows are TSV" },
	{ "encoding", 1, LS_OPT_ENCODING, "NAME", "the rows' encoding (iconv name, e.g. cp1251)" },
	{ "help", 0, 'h', NULL, "this help" },
	{ "version", 0, LS_OPT_VERSION, NULL, "version" },
	{ NULL, 0, 0, NULL, NULL }
};

static const struct opt approve_opts[] = {
	{ "by", 1, OPT_BY, "MANAGER", "who approves (required)" },
	{ "help", 0, 'h', NULL, "this help" },
	{ NULL, 0, 0, NULL, NULL }
};

static const struct opt release_opts[] = {
	{ "output", 1, 'o', "OUTBOX", "folder the released documents are copied to (required)" },
	{ "help", 0, 'h', NULL, "this help" },
	{ NULL, 0, 0, NULL, NULL }
};

static int cmd_approve(int argc, char **argv);
static int cmd_release(int argc, char **argv);

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *usage, *help;
	const struct opt *opts;
} verbs[] = {
	{ "approve", cmd_approve, "approve --by MANAGER MANIFEST [DOC_ID ...]",
	  "record the approver, the time and each file's sha256 (every draft when no DOC_ID)",
	  approve_opts },
	{ "release", cmd_release, "release MANIFEST -o OUTBOX",
	  "copy approved, unchanged documents to OUTBOX and mark them released", release_opts },
};

/*
 * SIGINT, SIGTERM, SIGHUP while rendering: finish the document being
 * written (so that no temporary file is left), list what was written, and
 * stop with 128 + the signal.
 */
static volatile sig_atomic_t stop_signal;

static void
on_signal(int sig)
{
	stop_signal = sig;
}

static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static void
print_opts(FILE *fp, const struct opt *o)
{
	for (; o->name; o++) {
		char left[64];

		if (o->val < 256)
			snprintf(left, sizeof left, "-%c, --%s%s%s", o->val, o->name, o->arg ? " " : "",
			    o->arg ? o->arg : "");
		else
			snprintf(left, sizeof left, "    --%s%s%s", o->name, o->arg ? " " : "",
			    o->arg ? o->arg : "");
		fprintf(fp, "  %-28s %s\n", left, o->help);
	}
}

static _Noreturn void
usage(FILE *fp, int status)
{
	fprintf(fp,
	    "usage: doc-render -T TEMPLATE [-c CONTEXT.yaml] [--items FILE --key COL] [-o DIR]\n"
	    "                  [--name PATTERN] [--id COL] [--strict] [--force] [--locale ru|en] [FILE ...]\n");
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
		fprintf(fp, "       doc-render %s\n", verbs[i].usage);
	if (fp == stdout) {
		fprintf(fp, "\nRenders one document per input row and writes the manifest to standard output.\n\n");
		print_opts(fp, render_opts);
		for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
			fprintf(fp, "\n%s: %s\n", verbs[i].name, verbs[i].help);
			print_opts(fp, verbs[i].opts);
		}
	}
	exit(status);
}

/* getopt_long's table from an opt list, and the matching short options. */
static void
make_getopt(const struct opt *o, struct option *lo, char *so, const char *prefix)
{
	while (*prefix)
		*so++ = *prefix++;
	for (; o->name; o++, lo++) {
		lo->name = o->name;
		lo->has_arg = o->has_arg ? required_argument : no_argument;
		lo->flag = NULL;
		lo->val = o->val;
		if (o->val < 256) {
			*so++ = (char)o->val;
			if (o->has_arg)
				*so++ = ':';
		}
	}
	memset(lo, 0, sizeof *lo);
	*so = '\0';
}

/* "now": SOURCE_DATE_EPOCH when set (reproducible runs and tests), else the clock. */
static int64_t
now_epoch(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;

	if (s && *s) {
		long long v = strtoll(s, &end, 10);

		if (*end == '\0' && v >= 0)
			return v;
	}
	return (int64_t)time(NULL);
}

static void
now_text(int64_t now, char buf[LS_TIME_BUFSZ])
{
	struct ls_tz *tz = ls_tz_open(NULL, NULL);

	if (ls_time_format(tz, now, buf, LS_TIME_BUFSZ) != 0)
		ls_time_format(NULL, now, buf, LS_TIME_BUFSZ);
	ls_tz_free(tz);
}

/* The template's own extension without ".mustache": ".html" for invoice.html.mustache. */
static const char *
template_ext(const char *path, char *buf, size_t size)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	snprintf(buf, size, "%s", base);
	n = strlen(buf);
	if (n > 9 && strcmp(buf + n - 9, ".mustache") == 0)
		buf[n - 9] = '\0';
	base = strrchr(buf, '.');
	return base && base != buf ? base : "";
}

static int
row_error(const struct ls_error *err, const char *file, long line)
{
	struct ls_error e = *err;
	size_t n = strlen(e.msg);

	snprintf(e.msg + n, sizeof e.msg - n, " (row %s:%ld)", file, line);
	return ls_cli_error(&e);
}

static int
render(int argc, char **argv)
{
	struct ls_reader_opts ro = { 0 };
	struct ls_mustache_opts mo = { 0 };
	struct ls_doc_opts dopt = { 0 };
	struct ls_writer_opts wo = { 0 };
	struct option lo[32];
	char so[64], extbuf[256], rendered_at[LS_TIME_BUFSZ], hex[LS_SHA256_HEX];
	const char *ext_p, *tpath = NULL, *dir = NULL, *name_pat = NULL, *id_col = NULL, *esc = NULL;
	struct ls_mustache *tpl = NULL, *name_tpl = NULL;
	struct ls_docs *docs = NULL;
	struct ls_reader *in = NULL;
	struct ls_writer *out = NULL;
	struct ls_keyset *seen_ids = NULL, *seen_names = NULL;
	struct ls_buf doc = { 0 }, name = { 0 };
	struct ls_error err = { 0 };
	struct ls_record rec;
	unsigned long kept = 0;
	char **written = NULL;
	size_t nwritten = 0, capwritten = 0;
	long id = 0;
	int ch, force = 0, status = 0, got = 0;

	make_getopt(render_opts, lo, so, "");
	while ((ch = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		switch (ch) {
		case 'T': tpath = optarg; break;
		case 'c': dopt.context_path = optarg; break;
		case OPT_ITEMS: dopt.items_path = optarg; break;
		case OPT_KEY: dopt.key = optarg; break;
		case 'o': dir = optarg; break;
		case OPT_NAME: name_pat = optarg; break;
		case OPT_ID: id_col = optarg; break;
		case OPT_STRICT: mo.strict = 1; break;
		case OPT_FORCE: force = 1; break;
		case OPT_LOCALE:
			if (!strcmp(optarg, "ru"))
				mo.locale = LS_LOCALE_RU;
			else if (!strcmp(optarg, "en"))
				mo.locale = LS_LOCALE_EN;
			else
				return ls_cli_fail(2, "--locale must be ru or en, not '%s'", optarg);
			break;
		case OPT_ESCAPE: esc = optarg; break;
		case 'd':
			if (strlen(optarg) != 1)
				return ls_cli_fail(2, "-d takes one character, not '%s'", optarg);
			ro.delim = optarg[0];
			break;
		case 't': ro.format = LS_FMT_TSV; break;
		case LS_OPT_ENCODING: ro.encoding = optarg; break;
		case 'h': usage(stdout, 0);
		case LS_OPT_VERSION: return ls_cli_version();
		default: usage(stderr, 2);
		}
	}
	argc -= optind;
	argv += optind;
	if (tpath == NULL) {
		ls_cli_warn("-T TEMPLATE is required");
		usage(stderr, 2);
	}
	if ((dopt.items_path == NULL) != (dopt.key == NULL)) {
		ls_cli_warn("--items and --key go together");
		usage(stderr, 2);
	}
	ext_p = template_ext(tpath, extbuf, sizeof extbuf);
	{
		const char *e = esc ? esc : !strcmp(ext_p, ".html") || !strcmp(ext_p, ".htm") ? "html" :
		    !strcmp(ext_p, ".tex") ? "latex" : "none";

		if (!strcmp(e, "html"))
			mo.escape = LS_ESC_HTML;
		else if (!strcmp(e, "latex"))
			mo.escape = LS_ESC_LATEX;
		else if (!strcmp(e, "none"))
			mo.escape = LS_ESC_NONE;
		else
			return ls_cli_fail(2, "--escape must be html, latex or none, not '%s'", esc);
	}
	if (dir) {
		struct stat st;

		if (stat(dir, &st) != 0 && (errno != ENOENT || mkdir(dir, 0777) != 0))
			return ls_cli_fail(1, "%s: %s", dir, strerror(errno));
	}
	dopt.now = now_epoch();
	now_text(dopt.now, rendered_at);
	if ((tpl = ls_mustache_load(tpath, &mo, &err)) == NULL)
		return ls_cli_error(&err);
	if (name_pat) {
		struct ls_mustache_opts no = mo;

		no.escape = LS_ESC_NONE;
		no.strict = 1;
		no.load = NULL;
		if ((name_tpl = ls_mustache_parse("--name", name_pat, strlen(name_pat), &no, &err)) == NULL) {
			status = ls_cli_error(&err);
			goto out;
		}
	}
	if ((docs = ls_docs_open(&dopt, &err)) == NULL) {
		status = ls_cli_error(&err);
		goto out;
	}
	if ((in = ls_reader_open((const char *const *)argv, (size_t)argc, &ro, &err)) == NULL) {
		status = ls_cli_error(&err);
		goto out;
	}
	if (ls_docs_header(docs, ls_reader_header(in), ls_reader_ncols(in), ls_reader_file(in), &err) != 0) {
		status = ls_cli_error(&err);
		goto out;
	}
	if (id_col && (id = ls_reader_col(in, id_col)) < 0) {
		status = ls_cli_fail(2, "input has no column '%s' (needed by --id)", id_col);
		goto out;
	}
	wo.format = LS_FMT_CSV;
	seen_ids = ls_keyset_new();
	seen_names = ls_keyset_new();
	if ((out = ls_writer_open(NULL, stdout, &wo, &err)) == NULL || !seen_ids || !seen_names) {
		status = ls_cli_fail(1, "out of memory");
		goto out;
	}
	for (int k = 0; ls_manifest_cols[k]; k++)
		ls_writer_cstr(out, ls_manifest_cols[k]);
	ls_writer_end(out);
	catch_signals();
	while (!stop_signal && (got = ls_reader_next(in, &rec, &err)) == 1) {
		struct ls_mval stack[3];
		const struct ls_str *idv = &rec.fields[id];
		const char *dup;
		char *path = NULL;
		char linebuf[24];
		int depth, exists;

		if (idv->n == 0) {
			status = ls_cli_fail(1, "%s:%ld: empty doc_id (column %s)", rec.file, rec.line,
			    id_col ? id_col : ls_reader_header(in)[0].p);
			goto out;
		}
		snprintf(linebuf, sizeof linebuf, "%ld", rec.line);
		if (ls_keyset_put(seen_ids, idv->p, idv->n, linebuf, strlen(linebuf), &dup) != 0) {
			status = ls_cli_fail(1, "out of memory");
			goto out;
		}
		if (dup) {
			status = ls_cli_fail(1, "%s:%ld: doc_id '%s' repeats the one of line %s", rec.file,
			    rec.line, idv->p, dup);
			goto out;
		}
		if ((depth = ls_docs_row(docs, rec.fields, rec.nfields, rec.file, rec.line, stack, &err)) < 0) {
			status = ls_cli_error(&err);
			goto out;
		}
		doc.n = 0;
		if (ls_mustache_render(tpl, stack, (size_t)depth, &doc, &err) != 0) {
			status = row_error(&err, rec.file, rec.line);
			goto out;
		}
		name.n = 0;
		if (name_tpl) {
			if (ls_mustache_render(name_tpl, stack, (size_t)depth, &name, &err) != 0) {
				status = row_error(&err, rec.file, rec.line);
				goto out;
			}
		} else if (ls_buf_put(&name, idv->p, idv->n) || ls_buf_put(&name, ext_p, strlen(ext_p))) {
			status = ls_cli_fail(1, "out of memory");
			goto out;
		}
		if (ls_keyset_put(seen_names, name.p, name.n, linebuf, strlen(linebuf), &dup) != 0) {
			status = ls_cli_fail(1, "out of memory");
			goto out;
		}
		if (dup) {
			status = ls_cli_fail(1, "%s:%ld: document name '%s' is the one of line %s",
			    rec.file, rec.line, name.p, dup);
			goto out;
		}
		if (ls_doc_write(dir, name.p, doc.p, doc.n, force, &path, &exists, &err) != 0) {
			if (exists) {
				ls_cli_warn("%s:%ld: %s", rec.file, rec.line, err.msg);
				kept++;
				continue;
			}
			status = row_error(&err, rec.file, rec.line);
			goto out;
		}
		ls_sha256_hex(doc.p, doc.n, hex);
		ls_writer_field(out, idv->p, idv->n);
		ls_writer_cstr(out, path);
		ls_writer_cstr(out, tpath);
		ls_writer_cstr(out, "draft");
		ls_writer_cstr(out, hex);
		ls_writer_cstr(out, rendered_at);
		ls_writer_cstr(out, "");
		ls_writer_cstr(out, "");
		ls_writer_end(out);
		if (ls_grow(&written, &capwritten, nwritten + 1, sizeof *written) != 0) {
			free(path);
			status = ls_cli_fail(1, "out of memory");
			goto out;
		}
		written[nwritten++] = path;
		if (ls_writer_status(out) != 0)
			break;
	}
	if (stop_signal) {
		status = ls_cli_fail(128 + stop_signal, "interrupted: the manifest lists the documents written");
		goto out;
	}
	if (got < 0) {
		status = ls_cli_error(&err);
		goto out;
	}
	{
		long line = 0;
		const char *key = NULL;
		size_t n = ls_docs_unmatched(docs, &line, &key);

		if (n)
			ls_cli_warn("%s: %zu item%s matched no document (first: line %ld, %s '%s')",
			    dopt.items_path, n, n == 1 ? "" : "s", line, dopt.key, key);
	}
	if (kept) {
		ls_cli_warn("%lu document%s kept as %s (--force replaces %s)", kept,
		    kept == 1 ? "" : "s", kept == 1 ? "it was" : "they were", kept == 1 ? "it" : "them");
		status = 1;
	}
out:
	/* the documents listed are on disk before the manifest's last rows go out */
	if (nwritten && ls_doc_sync(written, nwritten, &err) != 0 && status == 0)
		status = ls_cli_error(&err);
	for (size_t i = 0; i < nwritten; i++)
		free(written[i]);
	free(written);
	if (out) {
		if (ls_writer_flush(out, &err) != 0 && err.status != LS_EPIPE && status == 0)
			status = ls_cli_error(&err);
		ls_writer_free(out);
	}
	ls_keyset_free(seen_ids);
	ls_keyset_free(seen_names);
	ls_buf_free(&doc);
	ls_buf_free(&name);
	ls_reader_free(in);
	ls_docs_free(docs);
	ls_mustache_free(name_tpl);
	ls_mustache_free(tpl);
	if (status == 0)
		status = ls_finish_output();
	return status;
}

static int
verb_usage(int i, FILE *fp, int status)
{
	fprintf(fp, "usage: doc-render %s\n", verbs[i].usage);
	if (fp == stdout) {
		fprintf(fp, "\n%s\n\n", verbs[i].help);
		print_opts(fp, verbs[i].opts);
	}
	return status;
}

static int
cmd_approve(int argc, char **argv)
{
	struct option lo[8];
	char so[16], when[LS_TIME_BUFSZ];
	const char *by = NULL;
	struct ls_manifest m;
	struct ls_lock *lock;
	struct ls_error err = { 0 };
	size_t n;
	int ch, rc;

	make_getopt(approve_opts, lo, so, "");
	while ((ch = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		switch (ch) {
		case OPT_BY: by = optarg; break;
		case 'h': return verb_usage(0, stdout, 0);
		default: return verb_usage(0, stderr, 2);
		}
	}
	argc -= optind;
	argv += optind;
	if (by == NULL || by[0] == '\0') {
		ls_cli_warn("approve needs --by MANAGER");
		return verb_usage(0, stderr, 2);
	}
	for (const char *c = by; *c; c++)
		if ((unsigned char)*c < 0x20)
			return ls_cli_fail(2, "--by holds a control character");
	if (argc < 1) {
		ls_cli_warn("approve needs the MANIFEST");
		return verb_usage(0, stderr, 2);
	}
	if (access(argv[0], R_OK | W_OK) != 0)
		return ls_cli_fail(1, "%s: %s", argv[0], strerror(errno));
	if ((lock = ls_lock_acquire(argv[0], LS_LOCK_EX, &err)) == NULL)
		return ls_cli_error(&err);
	if ((rc = ls_manifest_load(argv[0], &m, &err)) != 0) {
		ls_lock_release(lock);
		return ls_cli_error(&err);
	}
	now_text(now_epoch(), when);
	rc = ls_manifest_approve(&m, by, argv + 1, (size_t)(argc - 1), when, &n, &err);
	if (rc == 0)
		rc = ls_manifest_save(&m, &err);
	if (rc == 0)
		for (size_t i = 0; i < m.n; i++)
			if (m.rows[i].touched)
				printf("approved %s %s\n", m.rows[i].f[LS_MF_DOC_ID], m.rows[i].f[LS_MF_SHA256]);
	ls_manifest_free(&m);
	ls_lock_release(lock);
	if (rc != 0)
		return ls_cli_error(&err);
	if (n == 0)
		ls_cli_warn("%s: nothing to approve", argv[0]);
	return ls_finish_output();
}

static int
cmd_release(int argc, char **argv)
{
	static const char *const why[] = {
		[LS_REL_RELEASED] = "released",
		[LS_REL_ALREADY] = "released before",
		[LS_REL_UNAPPROVED] = "not approved",
		[LS_REL_CHANGED] = "changed after approval (sha256 differs)",
		[LS_REL_MISSING] = "file missing",
		[LS_REL_CONFLICT] = "the outbox holds another file of that name",
	};
	struct option lo[8];
	char so[16];
	const char *outbox = NULL, *path = NULL;
	struct ls_manifest m;
	struct ls_lock *lock;
	struct ls_error err = { 0 };
	struct ls_writer_opts wo = { 0 };
	struct ls_writer *w;
	enum ls_release_result *res;
	size_t refused = 0;
	int ch, rc, status;

	make_getopt(release_opts, lo, so, "-");	/* MANIFEST before or after -o: operands come as 1 */
	while ((ch = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		switch (ch) {
		case 1:
			if (path != NULL) {
				ls_cli_warn("release takes one MANIFEST");
				return verb_usage(1, stderr, 2);
			}
			path = optarg;
			break;
		case 'o': outbox = optarg; break;
		case 'h': return verb_usage(1, stdout, 0);
		default: return verb_usage(1, stderr, 2);
		}
	}
	if (path == NULL || outbox == NULL) {
		ls_cli_warn("release needs MANIFEST and -o OUTBOX");
		return verb_usage(1, stderr, 2);
	}
	if (access(path, R_OK | W_OK) != 0)
		return ls_cli_fail(1, "%s: %s", path, strerror(errno));
	if ((lock = ls_lock_acquire(path, LS_LOCK_EX, &err)) == NULL)
		return ls_cli_error(&err);
	if ((rc = ls_manifest_load(path, &m, &err)) != 0) {
		ls_lock_release(lock);
		return ls_cli_error(&err);
	}
	if ((res = calloc(m.n + 1, sizeof *res)) == NULL) {
		ls_manifest_free(&m);
		ls_lock_release(lock);
		return ls_cli_fail(1, "out of memory");
	}
	rc = ls_manifest_release(&m, outbox, res, &err);
	/* what was copied is recorded even when a later copy failed */
	if (ls_manifest_save(&m, rc ? NULL : &err) != 0 && rc == 0)
		rc = err.status;
	status = rc ? ls_cli_error(&err) : 0;
	wo.format = LS_FMT_CSV;
	if ((w = ls_writer_open(NULL, stdout, &wo, &err)) != NULL) {
		ls_writer_cstr(w, "doc_id");
		ls_writer_cstr(w, "file");
		ls_writer_cstr(w, "result");
		ls_writer_cstr(w, "reason");
		ls_writer_end(w);
		for (size_t i = 0; i < m.n && rc == 0; i++) {
			int bad = res[i] != LS_REL_RELEASED && res[i] != LS_REL_ALREADY;

			ls_writer_cstr(w, m.rows[i].f[LS_MF_DOC_ID]);
			ls_writer_cstr(w, m.rows[i].f[LS_MF_FILE]);
			ls_writer_cstr(w, bad ? "refused" : res[i] == LS_REL_RELEASED ? "released" :
			    "already_released");
			ls_writer_cstr(w, bad ? why[res[i]] : "");
			ls_writer_end(w);
			if (bad) {
				ls_cli_warn("%s: %s refused: %s", path, m.rows[i].f[LS_MF_DOC_ID], why[res[i]]);
				refused++;
			}
		}
		ls_writer_flush(w, NULL);
		ls_writer_free(w);
	}
	free(res);
	ls_manifest_free(&m);
	ls_lock_release(lock);
	if (status == 0 && refused) {
		ls_cli_warn("%zu document%s refused", refused, refused == 1 ? "" : "s");
		status = 1;
	}
	rc = ls_finish_output();
	return status ? status : rc;
}

int
main(int argc, char *argv[])
{
	ls_cli_init(argv[0]);
	if (argc > 1)
		for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
			if (!strcmp(argv[1], verbs[i].name)) {
				optind = 1;
				return verbs[i].fn(argc - 1, argv + 1);
			}
	return render(argc, argv);
}

/*
 * doc-render - documents from Mustache templates, released only after a
 * manager's approval (doc-render(1)).  The run is libsales/sales/doc_render.c
 * (over document.c's contexts and doc_files.c's names), the manifest and its
 * gate doc_manifest.c and doc_release.c; this file parses options, streams
 * the rows, and prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdp.h"
#include "cli.h"
#include "document.h"
#include "escape.h"
#include "fmt.h"

enum { OPT_ITEMS = LS_OPT_TOOL, OPT_ITEMS_ENC, OPT_KEY, OPT_NAME, OPT_ID, OPT_BY, OPT_STRICT, OPT_FORCE,
	OPT_LOCALE, OPT_ESCAPE, OPT_ACCEPT, OPT_PDF, OPT_CHROMIUM, OPT_PDF_TIMEOUT };

static const struct ls_opt render_opts[] = {
	{ "template", 'T', 'T', "TEMPLATE", "Mustache template (.html: HTML escaping, .tex: LaTeX, .docx: Word, else none)" },
	{ "context", 'c', 'c', "FILE.yaml", "context below each row: company, bank, vat table, vat_mode" },
	{ "items", 0, OPT_ITEMS, "FILE", "invoice lines (name, qty, unit, price, [vat_rate])" },
	{ "items-encoding", 0, OPT_ITEMS_ENC, "NAME", "the --items file's encoding, such as cp1251 (default UTF-8)" },
	{ "key", 0, OPT_KEY, "COL", "column joining --items to the rows" },
	{ "output", 'o', 'o', "DIR", "folder for the documents (default: the current one)" },
	{ "manifest", 'm', 'm', "MANIFEST",
	  "merge the drafts into this manifest (journaled), not stdout" },
	{ "name", 0, OPT_NAME, "PATTERN", "file name, a template such as {{deal_id}}.html" },
	{ "id", 0, OPT_ID, "COL", "column giving doc_id (default: the first)" },
	{ "strict", 0, OPT_STRICT, NULL, "a variable without a value is an error" },
	{ "force", 0, OPT_FORCE, NULL, "replace documents that exist" },
	{ "locale", 0, OPT_LOCALE, "ru|en", "money filter style: 1 234,50 or 1,234.50 (default ru)" },
	{ "escape", 0, OPT_ESCAPE, "html|latex|none", "escaping, instead of the template's type" },
	{ NULL, 0, 0, NULL, NULL }
};
static const struct ls_opt approve_opts[] = {
	{ "by", 0, OPT_BY, "MANAGER", "who approves (required): one of approvers: in CONTEXT.yaml" },
	{ "context", 'c', 'c', "CONTEXT.yaml", "company.yaml: its approvers: say who may approve" },
	{ "accept-changes", 0, OPT_ACCEPT, NULL,
	  "approve drafts changed since rendering, after showing the difference" },
	{ NULL, 0, 0, NULL, NULL }
};
static const struct ls_opt release_opts[] = {
	{ "output", 'o', 'o', "OUTBOX", "folder the released documents are copied to (required)" },
	{ "pdf", 0, OPT_PDF, NULL, "print each released HTML document to PDF beside it, one Chromium for all" },
	{ "chromium", 0, OPT_CHROMIUM, "PATH", "the browser --pdf runs (default: chromium in PATH)" },
	{ "pdf-timeout", 0, OPT_PDF_TIMEOUT, "SECONDS", "how long --pdf waits for each page (default 60)" },
	{ NULL, 0, 0, NULL, NULL }
};
static const struct ls_opt *const render_tables[] = { render_opts, ls_input_options, ls_basic_options, NULL };

static const char synopsis[] =
    "doc-render -T TEMPLATE [-c CONTEXT.yaml] [--items FILE --key COL] [-o DIR] [-m MANIFEST]\n"
    "                  [--name PATTERN] [--id COL] [--strict] [--force] [--locale ru|en] [FILE ...]\n"
    "       doc-render approve --by MANAGER [-c CONTEXT.yaml] [--accept-changes] MANIFEST [DOC_ID ...]\n"
    "       doc-render release MANIFEST -o OUTBOX [--pdf [--chromium PATH] [--pdf-timeout SECONDS]]\n"
    "       doc-render verify MANIFEST";

/* A subcommand's usage error: its own line, after the message. */
static int
sub_usage(const struct ls_getopt *sg, const char *msg)
{
	ls_cli_warn("%s", msg);
	return ls_cli_usage(sg, 2);
}

/* Each line of b as a warning ("prog: line"); b is emptied. */
static void
warn_lines(struct ls_buf *b)
{
	for (char *l = b->p, *e; l && (e = strchr(l, '\n')) != NULL; l = e + 1)
		ls_cli_warn("%.*s", (int)(e - l), l);
	ls_buf_free(b);
}

static int
cmd_approve(void *ctx, int argc, char **argv)
{
	struct ls_getopt sg;
	struct ls_error err = { 0 };
	struct ls_approve_opts ao = { .show_change = ls_approve_print_change, .arg = stdout };
	struct ls_buf said = { 0 };
	struct ls_manifest *m;
	const char *context = NULL;
	char login[64];
	size_t n, refused;
	int ch, rc, verified;

	if (ls_getopt_subcmd(&sg, ctx, "doc-render", &err) != 0)
		return ls_cli_error(&err);
	while ((ch = ls_getopt_next(&sg, argc, argv)) != -1) {
		switch (ch) {
		case OPT_BY: ao.by = optarg; break;
		case 'c': context = optarg; break;
		case OPT_ACCEPT: ao.accept_changes = 1; break;
		default: return ls_cli_other_opt(&sg, ch);
		}
	}
	argc -= optind;
	argv += optind;
	if (ao.by == NULL || ao.by[0] == '\0' || argc < 1)
		return sub_usage(&sg, ao.by == NULL || ao.by[0] == '\0' ? "approve needs --by MANAGER" :
		    "approve needs the MANIFEST");
	if ((rc = ls_cli_clock()) != 0)
		return rc;
	ls_doc_login(login);
	ao.login = login;
	if (ls_approver_check(context, ao.by, login, &verified, &err) != 0)
		return ls_cli_error(&err);
	if ((m = ls_manifest_open(argv[0], &err)) == NULL)
		return ls_cli_error(&err);
	rc = ls_manifest_approve(m, &ao, argv + 1, (size_t)(argc - 1), &n, &refused, &err);
	if (rc == 0)
		rc = ls_manifest_save(m, &err);
	if (rc == 0)
		ls_approve_report(m, argv[0], stdout, &said);
	warn_lines(&said);
	ls_manifest_free(m);
	if (rc != 0)
		return ls_cli_error(&err);
	if (n == 0 && refused == 0)
		ls_cli_warn("%s: nothing to approve", argv[0]);
	rc = ls_finish_output();
	return refused ? 1 : rc;
}

static int
cmd_verify(void *ctx, int argc, char **argv)
{
	struct ls_getopt sg;
	struct ls_error err = { 0 };
	char last[65];
	long records = 0;
	int ch;

	if (ls_getopt_subcmd(&sg, ctx, "doc-render", &err) != 0)
		return ls_cli_error(&err);
	while ((ch = ls_getopt_next(&sg, argc, argv)) != -1)
		return ls_cli_other_opt(&sg, ch);
	if (argc - optind != 1)
		return sub_usage(&sg, "verify takes one MANIFEST");
	if (ls_manifest_verify(argv[optind], last, &records, &err) != 0)
		return ls_cli_error(&err);
	/* the last hash is worth keeping elsewhere: a journal cut short is only seen against it */
	printf("%s.journal: %ld record%s, last %s\n", argv[optind], records, records == 1 ? "" : "s",
	    last);
	return ls_finish_output();
}

static int
cmd_release(void *ctx, int argc, char **argv)
{
	struct ls_getopt sg;
	struct ls_error err = { 0 };
	struct ls_manifest *m;
	struct ls_pdf_opts po = { 0 };
	const char *outbox = NULL, *path;
	struct ls_buf said = { 0 };
	size_t refused = 0, unprinted = 0;
	int ch, rc, status, pdf = 0;

	if (ls_getopt_subcmd(&sg, ctx, "doc-render", &err) != 0)
		return ls_cli_error(&err);
	while ((ch = ls_getopt_next(&sg, argc, argv)) != -1) {
		switch (ch) {
		case 'o': outbox = optarg; break;
		case OPT_PDF: pdf = 1; break;
		case OPT_CHROMIUM: po.chromium = optarg; break;
		case OPT_PDF_TIMEOUT: {
			char *end;
			long v = strtol(optarg, &end, 10);

			if (end == optarg || *end != '\0' || v < 1 || v > 3600)
				return sub_usage(&sg, "--pdf-timeout wants whole seconds from 1 to 3600");
			po.timeout_ms = (int)v * 1000;
			break;
		}
		default: return ls_cli_other_opt(&sg, ch);
		}
	}
	if (argc - optind != 1 || outbox == NULL)
		return sub_usage(&sg, argc - optind > 1 ? "release takes one MANIFEST" :
		    "release needs MANIFEST and -o OUTBOX");
	if (!pdf && (po.chromium || po.timeout_ms))
		return sub_usage(&sg, "--chromium and --pdf-timeout go with --pdf");
	path = argv[optind];
	/* no browser, nothing released: the run is not half done */
	if (pdf) {
		char *found;

		if (ls_cdp_find(po.chromium, &found, &err) != 0)
			return ls_cli_fail(err.status == LS_ENOMEM ? 1 : 2, "--pdf: %s", err.msg);
		free(found);
	}
	if ((m = ls_manifest_open(path, &err)) == NULL)
		return ls_cli_error(&err);
	rc = ls_manifest_release(m, outbox, &err);
	/* released documents are printed even when others were refused */
	if (rc == 0 && pdf)
		rc = ls_manifest_print(m, outbox, &po, &err);
	/* what was copied is recorded even when a later copy failed */
	if (ls_manifest_save(m, rc ? NULL : &err) != 0 && rc == 0)
		rc = err.status;
	status = rc ? ls_cli_error(&err) : 0;
	if (rc == 0 && ls_release_report(m, path, stdout, &said, &refused) != 0)
		status = ls_cli_fail(1, "out of memory");
	if (rc == 0 && pdf && ls_print_report(m, path, &said, &unprinted) != 0)
		status = ls_cli_fail(1, "out of memory");
	ls_manifest_free(m);
	warn_lines(&said);
	if (status == 0 && (refused || unprinted))
		status = 1;
	rc = ls_finish_output();
	return status ? status : rc;
}

static const struct ls_subcmd cmds[] = {
	{ "approve", "--by MANAGER [-c CONTEXT.yaml] [--accept-changes] MANIFEST [DOC_ID ...]",
	  "approve drafts unchanged since rendering (every draft when no DOC_ID), in the journal",
	  (const struct ls_opt *const[]){ approve_opts, ls_basic_options, NULL }, cmd_approve },
	{ "release", "MANIFEST -o OUTBOX [--pdf [--chromium PATH] [--pdf-timeout SECONDS]]",
	  "copy documents the journal approved, unchanged, to OUTBOX and mark them released; --pdf prints them",
	  (const struct ls_opt *const[]){ release_opts, ls_basic_options, NULL }, cmd_release },
	{ "verify", "MANIFEST",
	  "check the journal's hash chain and the manifest against it; print its last hash",
	  (const struct ls_opt *const[]){ ls_basic_options, NULL }, cmd_verify },
	{ NULL, NULL, NULL, NULL, NULL }
};

static struct ls_getopt g;

static _Noreturn void
usage(int status)
{
	/* the synopsis shows every command's line already: the pointer to --help would repeat it */
	if (status == 0)
		g.cmds = cmds;
	exit(ls_cli_usage(&g, status));
}

int
main(int argc, char *argv[])
{
	struct ls_render_opts ro = { 0 };
	struct ls_stream_opts so = { .oformat = LS_FMT_CSV };
	struct ls_stream s = { 0 };
	struct ls_error err = { 0 };
	struct ls_render *r = NULL;
	struct ls_record rec;
	const struct ls_subcmd *sub;
	const char *esc = NULL, *mpath = NULL;
	struct ls_buf said = { 0 };
	int ch, kept, got, status = 0, started = 0;

	ls_cli_init(argv[0]);
	if (argc > 1 && (sub = ls_subcmd_find(cmds, argv[1])) != NULL)
		return sub->run((void *)sub, argc - 1, argv + 1);	/* ctx: the entry, for its options */
	if (ls_getopt_init(&g, render_tables, synopsis, &err) != 0)
		return ls_cli_error(&err);
	while ((ch = ls_getopt_next(&g, argc, argv)) != -1) {
		switch (ch) {
		case 'T': ro.template_path = optarg; break;
		case 'c': ro.doc.context_path = optarg; break;
		case OPT_ITEMS: ro.doc.items_path = optarg; break;
		case OPT_ITEMS_ENC: ro.doc.items_encoding = optarg; break;
		case OPT_KEY: ro.doc.key = optarg; break;
		case 'o': ro.dir = optarg; break;
		case 'm': mpath = optarg; break;
		case OPT_NAME: ro.name_pattern = optarg; break;
		case OPT_ID: ro.id_col = optarg; break;
		case OPT_STRICT: ro.mustache.strict = 1; break;
		case OPT_FORCE: ro.force = 1; break;
		case OPT_LOCALE:
			if (ls_fmt_locale_parse(optarg, &ro.mustache.locale) != 0)
				return ls_cli_fail(2, "--locale must be ru or en, not '%s'", optarg);
			break;
		case OPT_ESCAPE: esc = optarg; break;
		case 'h': usage(0);
		case LS_OPT_VERSION: return ls_cli_version();
		default:
			/* -d, -t, --encoding, --lazy-quotes, --rejects: the rows' */
			if (ls_cli_stream_opt(ch, optarg, &so) != 1)
				usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	if (ro.template_path == NULL || (ro.doc.items_path == NULL) != (ro.doc.key == NULL)) {
		ls_cli_warn("%s", ro.template_path == NULL ? "-T TEMPLATE is required" :
		    "--items and --key go together");
		usage(2);
	}
	ro.mustache.escape = ls_escape_for_path(ro.template_path);
	if (esc && ls_escape_parse(esc, &ro.mustache.escape) != 0)
		return ls_cli_fail(2, "--escape must be html, latex or none, not '%s'", esc);
	if ((status = ls_cli_clock()) != 0)
		return status;
	ro.doc.lazy_quotes = so.in.lazy_quotes;
	if ((r = ls_render_open(&ro, &err)) == NULL)
		return ls_cli_error(&err);
	/* -m: the manifest's lock is held from here to the end */
	if (mpath && ls_render_into(r, mpath, &err) != 0) {
		status = ls_cli_error(&err);
		goto out;
	}
	/* the manifest is plain CSV on stdout whatever the rows are; -o is the documents' folder */
	if ((status = ls_stream_open(&s, &so, argv, argc)) != 0)
		goto out;
	if (ls_render_start(r, s.in, s.out, &err) != 0) {
		status = ls_cli_error(&err);
		goto out;
	}
	started = 1;
	while ((got = ls_stream_next(&s, &rec)) == 1) {
		if (ls_render_row(r, &rec, &kept, &err) != 0) {
			status = ls_cli_error(&err);
			goto out;
		}
		if (kept)
			ls_cli_error(&err);
	}
	if (got < 0) {
		status = s.status;
		goto out;
	}
	if ((got = ls_render_summary(r, ro.doc.items_path, ro.doc.key, &said)) != 0)
		status = got < 0 ? ls_cli_fail(1, "out of memory") : 1;
	warn_lines(&said);
out:
	/* the documents listed are on disk before the manifest's last rows go out */
	if (ls_render_sync(r, &err) != 0) {
		if (status == 0)
			status = ls_cli_error(&err);
	} else if (started && ls_render_commit(r, &err) != 0 && status == 0)
		/* the rows rendered before an error are whole documents: they go in all the same */
		status = ls_cli_error(&err);
	if (s.out && s.end != LS_STREAM_FAILED && (got = ls_stream_close(&s)) != 0 && status == 0)
		status = got;
	ls_stream_free(&s);
	ls_render_free(r);
	ls_buf_free(&said);
	if (status == 0)
		status = ls_finish_output();
	return status;
}

/* cli_opts.c - the commands' options: tables, getopt, --help, the shared stream options. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const struct ls_opt ls_stream_options[] = {
	{ "delimiter", 'd', 'd', "CHAR", "CSV delimiter of the main input (default: found from its header line)" },
	{ "tsv", 't', 't', NULL, "read the main input as TSV" },
	{ "output", 'o', 'o', "FILE", "write to FILE (atomically: all or nothing) instead of standard output" },
	{ "encoding", 0, LS_OPT_ENCODING, "NAME", "the main input's encoding (iconv name, e.g. cp1251)" },
	{ "rejects", 0, LS_OPT_REJECTS, "FILE", "write bad records to FILE and go on, instead of stopping" },
	{ "ocsv", 0, LS_OPT_OCSV, NULL, "write CSV whatever the input" },
	{ "otsv", 0, LS_OPT_OTSV, NULL, "write TSV whatever the input" },
	{ "lazy-quotes", 0, LS_OPT_LAZY, NULL, "keep a quote inside an unquoted field as text (1C: ООО \"Гамма\")" },
	{ "sheet", 0, LS_OPT_SHEET, "NAME", "read sheet NAME of an .xlsx input (default: the first)" },
	{ "header-row", 0, LS_OPT_HEADER_ROW, "N", "an .xlsx input's header is row N (default: the first non-empty)" },
	{ "bom", 0, LS_OPT_BOM, NULL, "start the output with a UTF-8 BOM (for Excel)" },
	{ "oencoding", 0, LS_OPT_OENCODING, "NAME", "write the output in encoding NAME (e.g. cp1251)" },
	{ "keep-formulas", 0, LS_OPT_KEEP_FORMULAS, NULL, "with --bom/--oencoding, no ' before cells starting with = + - @" },
	{ "threads", 0, LS_OPT_THREADS, "N", "1 (default), or 2 to read on a second thread (also LS_THREADS)" },
	{ "help", 'h', 'h', NULL, "print this help and exit" },
	{ "version", 0, LS_OPT_VERSION, NULL, "print the version and exit" },
	{ NULL, 0, 0, NULL, NULL }
};

const struct ls_opt ls_input_options[] = {
	{ "delimiter", 'd', 'd', "CHAR", "CSV delimiter of the input (default: found from its header line)" },
	{ "tsv", 't', 't', NULL, "read the input as TSV" },
	{ "encoding", 0, LS_OPT_ENCODING, "NAME", "the input's encoding (iconv name, e.g. cp1251)" },
	{ "lazy-quotes", 0, LS_OPT_LAZY, NULL, "keep a quote inside an unquoted field as text (1C: ООО \"Гамма\")" },
	{ "sheet", 0, LS_OPT_SHEET, "NAME", "read sheet NAME of an .xlsx input (default: the first)" },
	{ "header-row", 0, LS_OPT_HEADER_ROW, "N", "an .xlsx input's header is row N (default: the first non-empty)" },
	{ "rejects", 0, LS_OPT_REJECTS, "FILE", "write bad records to FILE and go on, instead of stopping" },
	{ NULL, 0, 0, NULL, NULL }
};

const struct ls_opt ls_output_options[] = {
	{ "output", 'o', 'o', "FILE", "write to FILE (atomically: all or nothing) instead of standard output" },
	{ "ocsv", 0, LS_OPT_OCSV, NULL, "write CSV" },
	{ "otsv", 0, LS_OPT_OTSV, NULL, "write TSV" },
	{ "bom", 0, LS_OPT_BOM, NULL, "start the output with a UTF-8 BOM (for Excel)" },
	{ "oencoding", 0, LS_OPT_OENCODING, "NAME", "write the output in encoding NAME (e.g. cp1251)" },
	{ "keep-formulas", 0, LS_OPT_KEEP_FORMULAS, NULL, "with --bom/--oencoding, no ' before cells starting with = + - @" },
	{ NULL, 0, 0, NULL, NULL }
};

const struct ls_opt ls_basic_options[] = {
	{ "help", 'h', 'h', NULL, "print this help and exit" },
	{ "version", 0, LS_OPT_VERSION, NULL, "print the version and exit" },
	{ NULL, 0, 0, NULL, NULL }
};

int
ls_getopt_init(struct ls_getopt *g, const struct ls_opt *const *tables, const char *synopsis,
    struct ls_error *err)
{
	size_t n = 0, k = 0, t;

	memset(g, 0, sizeof(*g));
	g->synopsis = synopsis;
	/* a leading ':' is not wanted: getopt's own messages name the bad option */
	for (t = 0; tables[t] != NULL; t++) {
		if (t >= LS_GETOPT_TABLES)
			return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "more than %d option tables",
			    LS_GETOPT_TABLES);
		g->tables[t] = tables[t];
		for (const struct ls_opt *o = tables[t]; o->help != NULL; o++) {
			if (n >= LS_GETOPT_MAX)
				return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "more than %d options",
				    LS_GETOPT_MAX);
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
	}
	/* every parse starts over: a subcommand's after the tool's own */
	optind = 0;
	return 0;
}

int
ls_getopt_subcmd(struct ls_getopt *g, const struct ls_subcmd *sub, const char *prefix,
    struct ls_error *err)
{
	int rc = ls_getopt_init(g, sub->tables, NULL, err);

	if (rc != 0)
		return rc;
	snprintf(g->line, sizeof(g->line), "%s %s%s%s", prefix, sub->name,
	    sub->args && sub->args[0] ? " " : "", sub->args ? sub->args : "");
	g->synopsis = g->line;
	return 0;
}

void
ls_getopt_stop_at_args(struct ls_getopt *g)
{
	size_t n = strlen(g->shortopts);

	/* shortopts has room for it: two bytes an option at most, then the '+' and the NUL */
	if (n > 0 && g->shortopts[0] == '+')
		return;
	memmove(g->shortopts + 1, g->shortopts, n + 1);
	g->shortopts[0] = '+';
}

int
ls_getopt_next(struct ls_getopt *g, int argc, char **argv)
{
	/*
	 * getopt_long() names argv[0] in its messages: a command's argv[0] is
	 * its name ("approve"), so the program's stands in for it meanwhile
	 * ("doc-render: unrecognized option", as every message starts)
	 */
	char *a0 = argv[0];
	const char *prog = ls_cli_prog();
	int ch;

	argv[0] = (char *)(uintptr_t)prog;
	ch = getopt_long(argc, argv, g->shortopts, g->longopts, NULL);
	argv[0] = a0;
	return ch;
}

const struct ls_subcmd *
ls_subcmd_find(const struct ls_subcmd *cmds, const char *name)
{
	for (; cmds->name != NULL; cmds++)
		if (strcmp(cmds->name, name) == 0)
			return cmds;
	return NULL;
}

void
ls_cli_help(FILE *fp, const struct ls_getopt *g)
{
	fprintf(fp, "usage: %s\n", g->synopsis);
	if (g->cmds) {
		fprintf(fp, "\ncommands:\n");
		for (const struct ls_subcmd *c = g->cmds; c->name != NULL; c++)
			fprintf(fp, "  %-26s %s\n", c->name, c->summary);
	}
	fprintf(fp, "\noptions:\n");
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
	if (g->cmds)
		fprintf(fp, "\n'%s COMMAND --help' lists a command's own options.\n", ls_cli_prog());
}

int
ls_cli_other_opt(const struct ls_getopt *g, int ch)
{
	if (ch == 'h')
		return ls_cli_usage(g, 0);
	if (ch == LS_OPT_VERSION)
		return ls_cli_version();
	return ls_cli_usage(g, 2);
}

int
ls_cli_usage(const struct ls_getopt *g, int status)
{
	if (status == 0) {
		ls_cli_help(stdout, g);
		return 0;
	}
	fprintf(stderr, "usage: %s\n", g->synopsis);
	if (g->cmds)
		fprintf(stderr, "('%s --help' lists the commands)\n", ls_cli_prog());
	return status;
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
	case LS_OPT_SHEET:
		o->in.sheet = arg;
		return 1;
	case LS_OPT_HEADER_ROW: {
		char *end;
		long n = strtol(arg, &end, 10);
		if (end == arg || *end != '\0' || n < 1 || n > 1048576) {
			ls_cli_warn("--header-row needs a row number from 1 to 1048576, not '%s'", arg);
			return -1;
		}
		o->in.header_row = n;
		return 1;
	}
	case LS_OPT_OENCODING:
		o->oencoding = arg;
		return 1;
	case LS_OPT_KEEP_FORMULAS:
		o->keep_formulas = 1;
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

/*
 * test_cli.c - the commands' option plumbing (cli.h): the shared option
 * tables fit the getopt limits with room for a tool's own, a declaration
 * over the limits is an error, the one --help layout for options and for
 * subcommands, and the shared stream options' values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* A tool's own options are a dozen at most today: this much room must stay. */
#define ROOM	16

enum { OPT_ONLY = LS_OPT_TOOL, OPT_LONG };

static const struct ls_opt own[] = {
	{ "rules", 'r', 'r', "RULES.yaml", "score by the rules" },
	{ NULL, 'x', 'x', NULL, "a letter alone" },
	{ "only", 0, OPT_ONLY, "STATUS,...", "write only these statuses" },
	{ "a-very-long-option", 0, OPT_LONG, "VALUE", "a name too long for the column" },
	{ NULL, 0, 0, NULL, NULL }
};

static size_t
count(const struct ls_opt *t)
{
	size_t n = 0;

	while (t[n].help != NULL)
		n++;
	return n;
}

static void
test_shared_tables_fit(void **state)
{
	const struct ls_opt *const stream[] = { own, ls_stream_options, NULL };
	const struct ls_opt *const split[] = { own, ls_input_options, ls_output_options, ls_basic_options, NULL };
	struct ls_getopt g;
	struct ls_error err = { 0 };

	(void)state;
	assert_true(count(ls_stream_options) + ROOM <= LS_GETOPT_MAX);
	assert_true(count(ls_input_options) + count(ls_output_options) + count(ls_basic_options) + ROOM <=
	    LS_GETOPT_MAX);
	/* the tool's table, the three shared ones, and room for a subcommand's or two more */
	assert_true(4 + 2 <= LS_GETOPT_TABLES);
	assert_int_equal(ls_getopt_init(&g, stream, "tool", &err), 0);
	assert_int_equal(ls_getopt_init(&g, split, "tool", &err), 0);
	/* the short options come from the tables, with ':' after those taking an argument */
	assert_non_null(strstr(g.shortopts, "r:"));
	assert_non_null(strstr(g.shortopts, "d:"));
	assert_non_null(strchr(g.shortopts, 'x'));
	assert_non_null(strchr(g.shortopts, 't'));
}

static void
test_getopt_too_many(void **state)
{
	struct ls_opt *big = calloc(LS_GETOPT_MAX + 2, sizeof(*big));
	const struct ls_opt *const one[] = { big, NULL };
	const struct ls_opt *many[LS_GETOPT_TABLES + 2];
	struct ls_getopt g;
	struct ls_error err = { 0 };

	(void)state;
	assert_non_null(big);
	for (size_t i = 0; i < LS_GETOPT_MAX + 1; i++)
		big[i] = (struct ls_opt){ "opt", 0, LS_OPT_TOOL, NULL, "an option" };
	assert_int_equal(ls_getopt_init(&g, one, "tool", &err), LS_EUSAGE);
	assert_int_equal(err.status, LS_EUSAGE);
	assert_string_equal(err.msg, "more than 64 options");

	for (size_t i = 0; i < LS_GETOPT_TABLES + 1; i++)
		many[i] = ls_basic_options + 1;		/* --version alone */
	many[LS_GETOPT_TABLES + 1] = NULL;
	memset(&err, 0, sizeof(err));
	assert_int_equal(ls_getopt_init(&g, many, "tool", &err), LS_EUSAGE);
	assert_string_equal(err.msg, "more than 8 option tables");
	/* exactly at the limits is fine */
	many[LS_GETOPT_TABLES] = NULL;
	assert_int_equal(ls_getopt_init(&g, many, "tool", &err), 0);
	big[LS_GETOPT_MAX] = (struct ls_opt){ 0 };
	assert_int_equal(ls_getopt_init(&g, one, "tool", &err), 0);
	free(big);
}

/* What ls_cli_help() prints for g, as a string the caller frees. */
static char *
help(const struct ls_getopt *g)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&buf, &n);

	assert_non_null(fp);
	ls_cli_help(fp, g);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

static void
test_help_options(void **state)
{
	const struct ls_opt *const tables[] = { own, ls_basic_options, NULL };
	struct ls_getopt g;
	struct ls_error err = { 0 };
	char *got;

	(void)state;
	assert_int_equal(ls_getopt_init(&g, tables, "tool [-x] [-r RULES.yaml] [FILE ...]", &err), 0);
	got = help(&g);
	/* a long left-hand side goes on a line of its own, its help under the others' */
	assert_string_equal(got,
	    "usage: tool [-x] [-r RULES.yaml] [FILE ...]\n"
	    "\n"
	    "options:\n"
	    "  -r, --rules RULES.yaml     score by the rules\n"
	    "  -x                         a letter alone\n"
	    "      --only STATUS,...      write only these statuses\n"
	    "      --a-very-long-option VALUE\n"
	    "                             a name too long for the column\n"
	    "  -h, --help                 print this help and exit\n"
	    "      --version              print the version and exit\n");
	free(got);
}

static int
run_nothing(void *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	return 0;
}

static const struct ls_opt add_own[] = {
	{ "only", 0, OPT_ONLY, "STATUS,...", "write only these statuses" },
	{ NULL, 0, 0, NULL, NULL }
};
static const struct ls_opt *const add_tables[] = { add_own, ls_basic_options, NULL };
static const struct ls_opt *const list_tables[] = { ls_basic_options, NULL };
static const struct ls_subcmd cmds[] = {
	{ "add", "ID TEXT", "add a ticket", add_tables, run_nothing },
	{ "list", "", "list tickets", list_tables, run_nothing },
	{ NULL, NULL, NULL, NULL, NULL }
};

static void
test_help_subcommands(void **state)
{
	const struct ls_opt *const tables[] = { ls_basic_options, NULL };
	struct ls_getopt g;
	struct ls_error err = { 0 };
	char *got;

	(void)state;
	assert_int_equal(ls_getopt_init(&g, tables, "tool [-f LOG] COMMAND ...", &err), 0);
	g.cmds = cmds;
	got = help(&g);
	assert_string_equal(got,
	    "usage: tool [-f LOG] COMMAND ...\n"
	    "\n"
	    "commands:\n"
	    "  add                        add a ticket\n"
	    "  list                       list tickets\n"
	    "\n"
	    "options:\n"
	    "  -h, --help                 print this help and exit\n"
	    "      --version              print the version and exit\n"
	    "\n"
	    "'tool COMMAND --help' lists a command's own options.\n");
	free(got);

	/* `tool add --help`: the subcommand's usage line and its own options */
	assert_int_equal(ls_getopt_subcmd(&g, ls_subcmd_find(cmds, "add"), "tool [-f LOG]", &err), 0);
	got = help(&g);
	assert_string_equal(got,
	    "usage: tool [-f LOG] add ID TEXT\n"
	    "\n"
	    "options:\n"
	    "      --only STATUS,...      write only these statuses\n"
	    "  -h, --help                 print this help and exit\n"
	    "      --version              print the version and exit\n");
	free(got);
	/* no ARGS: no trailing space */
	assert_int_equal(ls_getopt_subcmd(&g, ls_subcmd_find(cmds, "list"), "tool", &err), 0);
	assert_string_equal(g.synopsis, "tool list");
}

static void
test_subcmd_find(void **state)
{
	(void)state;
	assert_ptr_equal(ls_subcmd_find(cmds, "add"), &cmds[0]);
	assert_ptr_equal(ls_subcmd_find(cmds, "list"), &cmds[1]);
	assert_null(ls_subcmd_find(cmds, "ad"));
	assert_null(ls_subcmd_find(cmds, "adds"));
	assert_null(ls_subcmd_find(cmds, ""));
}

static void
test_stream_opt(void **state)
{
	struct ls_stream_opts o = { 0 };

	(void)state;
	assert_int_equal(ls_cli_stream_opt('d', "tab", &o), 1);
	assert_int_equal(o.in.delim, '\t');
	assert_int_equal(ls_cli_stream_opt('d', ";", &o), 1);
	assert_int_equal(o.in.delim, ';');
	assert_int_equal(ls_cli_stream_opt('d', "\\t", &o), 1);
	assert_int_equal(o.in.delim, '\t');
	/* two characters, a quote, a line break: usage errors, the value kept */
	assert_int_equal(ls_cli_stream_opt('d', ",;", &o), -1);
	assert_int_equal(ls_cli_stream_opt('d', "\"", &o), -1);
	assert_int_equal(ls_cli_stream_opt('d', "\n", &o), -1);
	assert_int_equal(ls_cli_stream_opt('d', "", &o), -1);
	assert_int_equal(o.in.delim, '\t');
	/* standard output carries the good records: --rejects needs a file */
	assert_int_equal(ls_cli_stream_opt(LS_OPT_REJECTS, "-", &o), -1);
	assert_int_equal(ls_cli_stream_opt(LS_OPT_REJECTS, "", &o), -1);
	assert_null(o.rejects);
	assert_int_equal(ls_cli_stream_opt(LS_OPT_REJECTS, "bad.csv", &o), 1);
	assert_string_equal(o.rejects, "bad.csv");
	assert_int_equal(ls_cli_stream_opt(LS_OPT_THREADS, "3", &o), -1);
	assert_int_equal(ls_cli_stream_opt(LS_OPT_THREADS, "0", &o), -1);
	assert_int_equal(ls_cli_stream_opt(LS_OPT_THREADS, "22", &o), -1);
	assert_int_equal(o.threads, 0);
	assert_int_equal(ls_cli_stream_opt(LS_OPT_THREADS, "2", &o), 1);
	assert_int_equal(o.threads, 2);
	assert_int_equal(ls_cli_readahead(&o), 1);
	assert_int_equal(ls_cli_stream_opt('t', NULL, &o), 1);
	assert_int_equal(o.in.format, LS_FMT_TSV);
	assert_int_equal(ls_cli_stream_opt(LS_OPT_LAZY, NULL, &o), 1);
	assert_int_equal(o.in.lazy_quotes, 1);
	/* not a shared option: the command's own */
	assert_int_equal(ls_cli_stream_opt('r', "x", &o), 0);
	assert_int_equal(ls_cli_stream_opt(LS_OPT_TOOL, "x", &o), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shared_tables_fit),
		cmocka_unit_test(test_getopt_too_many),
		cmocka_unit_test(test_help_options),
		cmocka_unit_test(test_help_subcommands),
		cmocka_unit_test(test_subcmd_find),
		cmocka_unit_test(test_stream_opt),
	};

	/* the name in messages and in "'tool COMMAND --help'" */
	ls_cli_init("tool");
	return cmocka_run_group_tests(tests, NULL, NULL);
}

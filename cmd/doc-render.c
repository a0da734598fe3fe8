/*
 * doc-render - documents from Mustache templates, released only after a
 * manager's approval.  Not built yet: this version parses the command line
 * of SPEC 3.4 and says so (exit 2).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static const struct option longopts[] = {
	LS_STREAM_LONGOPTS,
	{ "template", required_argument, NULL, 'T' },
	{ "context", required_argument, NULL, 'c' },
	{ "items", required_argument, NULL, LS_OPT_TOOL },
	{ "key", required_argument, NULL, LS_OPT_TOOL },
	{ "name", required_argument, NULL, LS_OPT_TOOL },
	{ "id", required_argument, NULL, LS_OPT_TOOL },
	{ "by", required_argument, NULL, LS_OPT_TOOL },
	{ "strict", no_argument, NULL, LS_OPT_TOOL },
	{ "force", no_argument, NULL, LS_OPT_TOOL },
	{ NULL, 0, NULL, 0 }
};

static void __attribute__((noreturn))
usage(FILE *fp, int status)
{
	fprintf(fp,
	    "usage: doc-render -T TEMPLATE [-c CONTEXT.yaml] [--items FILE --key COL] [-o DIR]\n"
	    "                  [--name PATTERN] [--id COL] [--strict] [--force] [FILE ...]\n"
	    "       doc-render approve --by MANAGER MANIFEST [DOC_ID ...]\n"
	    "       doc-render release MANIFEST -o OUTBOX\n");
	exit(status);
}

int
main(int argc, char *argv[])
{
	int ch;

	ls_cli_init(argv[0]);
	while ((ch = getopt_long(argc, argv, LS_STREAM_SHORTOPTS "T:c:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout, 0);
		case LS_OPT_VERSION:
			return ls_cli_version();
		case '?':
			usage(stderr, 2);
		default:
			break;
		}
	}
	return ls_cli_fail(2, "rendering, approval and release are not built yet");
}

/*
 * kpi-report - managers' KPIs against plan.  Not built yet: this version
 * parses the command line of SPEC 3.5 and says so (exit 2).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static const struct option longopts[] = {
	LS_STREAM_LONGOPTS,
	{ "config", required_argument, NULL, 'c' },
	{ "calls", required_argument, NULL, LS_OPT_TOOL },
	{ "deals", required_argument, NULL, LS_OPT_TOOL },
	{ "leads", required_argument, NULL, LS_OPT_TOOL },
	{ "tickets", required_argument, NULL, LS_OPT_TOOL },
	{ "date", required_argument, NULL, LS_OPT_TOOL },
	{ "from", required_argument, NULL, LS_OPT_TOOL },
	{ "to", required_argument, NULL, LS_OPT_TOOL },
	{ "period", required_argument, NULL, LS_OPT_TOOL },
	{ "by", required_argument, NULL, LS_OPT_TOOL },
	{ "format", required_argument, NULL, LS_OPT_TOOL },
	{ "fail-under", required_argument, NULL, LS_OPT_TOOL },
	{ "partial", no_argument, NULL, LS_OPT_TOOL },
	{ "merge", no_argument, NULL, LS_OPT_TOOL },
	{ NULL, 0, NULL, 0 }
};

static void __attribute__((noreturn))
usage(FILE *fp, int status)
{
	fprintf(fp,
	    "usage: kpi-report -c KPI.yaml [--calls FILE] [--deals FILE] [--leads FILE] [--tickets FILE]\n"
	    "                  [--date D | --from D --to D] [--period day|week|month] [--by manager|team]\n"
	    "                  [--format csv|tsv|table|md|html|json] [--fail-under KPI=N,...]\n"
	    "                  [--partial | --merge]\n");
	exit(status);
}

int
main(int argc, char *argv[])
{
	int ch;

	ls_cli_init(argv[0]);
	while ((ch = getopt_long(argc, argv, LS_STREAM_SHORTOPTS "c:", longopts, NULL)) != -1) {
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
	return ls_cli_fail(2, "KPI computation is not built yet");
}

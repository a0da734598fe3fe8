/*
 * ticket-log - the client-support ticket log.  Not built yet: this version
 * parses the command line of SPEC 3.3 and says so (exit 2).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static const struct option longopts[] = {
	{ "file", required_argument, NULL, 'f' },
	{ "sla", required_argument, NULL, LS_OPT_TOOL },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, LS_OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static void __attribute__((noreturn))
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: ticket-log [-f LOG] [--sla SLA.yaml] open|note|reply|status|assign|close|reopen|list|show|import|check ...\n");
	exit(status);
}

int
main(int argc, char *argv[])
{
	int ch;

	ls_cli_init(argv[0]);
	/* stop at the command: its own options come after it */
	while ((ch = getopt_long(argc, argv, "+f:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
		case LS_OPT_TOOL:
			break;
		case 'h':
			usage(stdout, 0);
		case LS_OPT_VERSION:
			return ls_cli_version();
		default:
			usage(stderr, 2);
		}
	}
	if (optind >= argc)
		usage(stderr, 2);
	return ls_cli_fail(2, "'%s': the ticket log is not built yet", argv[optind]);
}

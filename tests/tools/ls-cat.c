/*
 * ls-cat - copy a record stream through the libsales reader and writer.
 * Not installed: the CLI tests use it for the shared stream rules, and
 * make bench for the reader+writer round trip.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "writer.h"

static const struct ls_opt options[] = {
	{ "all-libcsv", 0, LS_OPT_TOOL, NULL, "send every line through libcsv (tests)" },
	{ NULL, 0, 0, NULL, NULL }
};
static const struct ls_opt *const tables[] = { options, ls_stream_options, NULL };
static struct ls_getopt g;
static const char synopsis[] =
    "ls-cat [-t] [-d CHAR] [-o FILE] [--encoding NAME] [--rejects FILE]\n"
    "              [--ocsv | --otsv] [--threads N] [--all-libcsv] [FILE ...]";

static _Noreturn void
usage(int status)
{
	exit(ls_cli_usage(&g, status));
}

int
main(int argc, char *argv[])
{
	struct ls_stream_opts o = { 0 };
	struct ls_error err;
	struct ls_stream s;
	struct ls_record rec;
	int ch, rc, status;

	ls_cli_init(argv[0]);
	if (ls_getopt_init(&g, tables, synopsis, &err) != 0 || ls_cli_clock() != 0)
		return ls_cli_error(&err);
	while ((ch = ls_getopt_next(&g, argc, argv)) != -1) {
		if ((rc = ls_cli_stream_opt(ch, optarg, &o)) > 0)
			continue;
		if (rc < 0)
			usage(2);
		switch (ch) {
		case LS_OPT_TOOL:
			o.in.all_libcsv = 1;
			break;
		case 'h':
			usage(0);
			break;
		case LS_OPT_VERSION:
			return ls_cli_version();
		default:
			usage(2);
		}
	}
	argc -= optind;
	argv += optind;

	if ((status = ls_stream_open(&s, &o, argv, argc)) != 0) {
		ls_stream_free(&s);
		return status;
	}
	if ((status = ls_stream_header(&s, NULL)) != 0) {
		ls_stream_free(&s);
		return status;
	}
	while ((rc = ls_stream_next(&s, &rec)) > 0)
		ls_writer_row(s.out, rec.fields, rec.nfields);
	status = rc < 0 ? s.status : ls_stream_close(&s);
	ls_stream_free(&s);
	if (status == 0)
		status = ls_finish_output();
	return status;
}

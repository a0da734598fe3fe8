/*
 * lead-qualify - clean, de-duplicate, score and mark a cold lead base.
 * See lead-qualify(1); the logic is libsales/sales/qualify.c (qualify.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_list.h"
#include "lead_status.h"
#include "qualify.h"
#include "qualify_rules.h"

enum { OPT_CALLS = LS_OPT_TOOL, OPT_AGAINST, OPT_ONLY, OPT_CALLS_ENC, OPT_AGAINST_ENC };

static const struct ls_opt options[] = {
	{ "rules", 'r', 'r', "RULES.yaml", "score and reject by the rules in RULES.yaml" },
	{ "calls", 0, OPT_CALLS, "CALLS.csv", "join the latest call per lead_id (call_outcome, call_count, last_call_at)" },
	{ "against", 0, OPT_AGAINST, "KNOWN.csv", "known clients and leads: their phones and e-mails are duplicates" },
	{ "calls-encoding", 0, OPT_CALLS_ENC, "NAME", "the calls file's encoding (default UTF-8, whatever --encoding says)" },
	{ "against-encoding", 0, OPT_AGAINST_ENC, "NAME", "the known file's encoding (default UTF-8)" },
	{ "only", 0, OPT_ONLY, "STATUS,...", "write only leads of these statuses (the others are counted)" },
	{ "verbose", 'v', 'v', NULL, "print counts per status to standard error at the end" },
	{ NULL, 0, 0, NULL, NULL }
};
static const struct ls_opt *const tables[] = { options, ls_stream_options, NULL };
static struct ls_getopt g;

static const char synopsis[] =
    "lead-qualify [-tv] [-r RULES.yaml] [--calls CALLS.csv] [--against KNOWN.csv]\n"
    "                    [--only STATUS,...] [--rejects FILE] [-d CHAR] [--encoding NAME]\n"
    "                    [-o FILE] [--ocsv | --otsv] [--threads N] [FILE ...]";

static _Noreturn void
usage(int status)
{
	exit(ls_cli_usage(&g, status));
}

/* --only qualified,callback: a bit per status, or a usage error. */
static void
only_opt(const char *arg, unsigned *only)
{
	struct ls_error err;

	if (ls_cli_list_parse(arg, ls_lead_status_names, "status", only, &err) != 0) {
		ls_cli_warn("--only: %s", err.msg);
		usage(2);
	}
}

/*
 * Read a side input (--calls, --against) to its end through fn.  -d and
 * --encoding are the main input's: a side input has its delimiter found
 * from its own header and is UTF-8 unless given its own encoding.
 */
static int
load_side(const char *path, const char *encoding, const char *encoding_opt,
    const struct ls_stream_opts *o, struct ls_qualifier *q,
    int (*fn)(struct ls_qualifier *, struct ls_reader *, struct ls_error *))
{
	struct ls_reader_opts ro = { 0 };
	struct ls_error err;
	struct ls_reader *r;
	int rc;

	ro.encoding = encoding;
	ro.encoding_flag = encoding_opt;	/* --encoding is the main input's */
	ro.lazy_quotes = o->in.lazy_quotes;
	/*
	 * No reading thread for a side file, whatever --threads says: a call
	 * or a known contact is little work once read, and handing short
	 * records across costs more CPU than the overlap saves (the bench's
	 * quoted 1M leads and 2M calls, --threads 2, medians of 7 runs: 1.74x
	 * raw libcsv's CPU seconds with a thread on --calls, 1.44x without,
	 * wall 0.92x and 0.96x).
	 */
	ro.readahead = 0;
	if ((r = ls_reader_open(&path, 1, &ro, &err)) == NULL)
		return ls_cli_error(&err);
	rc = fn(q, r, &err);
	ls_reader_free(r);
	return rc ? ls_cli_error(&err) : 0;
}

static void
print_counts(const unsigned long *count, unsigned long rejected, const struct ls_qualifier *q)
{
	size_t bytes, keys = ls_qualifier_keys(q, &bytes);
	unsigned long total = rejected;

	for (int i = 0; i < LS_LEAD_NSTATUS; i++)
		total += count[i];
	fprintf(stderr, "%s: %lu read:", ls_cli_prog(), total);
	for (int i = 0; i < LS_LEAD_NSTATUS; i++)
		fprintf(stderr, " %s %lu%s", ls_lead_status_name(i), count[i],
		    i + 1 < LS_LEAD_NSTATUS ? "," : "");
	if (rejected)
		fprintf(stderr, "; %lu bad record%s in the rejects file", rejected, rejected == 1 ? "" : "s");
	fprintf(stderr, "; %zu de-duplication keys, %.1f MB allocated\n", keys, bytes / 1048576.0);
}

int
main(int argc, char *argv[])
{
	static const char *const cols[] = { "score", "status", "reasons", "phone_note", NULL };
	static const char *const call_cols[] = {
		"score", "status", "reasons", "phone_note", "call_outcome", "call_count", "last_call_at", NULL
	};
	struct ls_stream_opts o = { 0 };
	const char *rules_path = NULL, *calls = NULL, *against = NULL;
	const char *calls_enc = NULL, *against_enc = NULL;
	unsigned only = ~0u;
	int verbose = 0, ch, rc, status;
	unsigned long count[LS_LEAD_NSTATUS] = { 0 };
	struct ls_rules *rules;
	struct ls_qualifier *q = NULL;
	struct ls_stream s;
	struct ls_record rec;
	struct ls_lead lead = { 0 };
	struct ls_error err;
	const char *st;

	ls_cli_init(argv[0]);
	if (ls_getopt_init(&g, tables, synopsis, &err) != 0)
		return ls_cli_error(&err);
	while ((ch = ls_getopt_next(&g, argc, argv)) != -1) {
		if ((rc = ls_cli_stream_opt(ch, optarg, &o)) > 0)
			continue;
		if (rc < 0)
			usage(2);
		switch (ch) {
		case 'r':
			rules_path = optarg;
			break;
		case OPT_CALLS:
			calls = optarg;
			break;
		case OPT_AGAINST:
			against = optarg;
			break;
		case OPT_CALLS_ENC:
			calls_enc = optarg;
			break;
		case OPT_AGAINST_ENC:
			against_enc = optarg;
			break;
		case OPT_ONLY:
			only_opt(optarg, &only);
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			usage(0);
		case LS_OPT_VERSION:
			return ls_cli_version();
		default:
			usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	/* a mistyped SOURCE_DATE_EPOCH is an error even though nothing here reads the clock yet */
	if ((status = ls_cli_clock()) != 0)
		return status;

	if ((rules = ls_rules_load(rules_path, &err)) == NULL)
		return ls_cli_error(&err);
	if ((status = ls_stream_open(&s, &o, argv, argc)) != 0) {
		ls_stream_free(&s);
		ls_rules_free(rules);
		return status;
	}
	if (ls_reader_ncols(ls_stream_reader(&s)) == 0) {
		/* no header at all: an empty base qualifies to an empty stream */
		status = ls_stream_close(&s);
		goto out;
	}
	q = ls_qualifier_new(rules, ls_reader_header(ls_stream_reader(&s)),
	    ls_reader_ncols(ls_stream_reader(&s)), &err);
	if (q == NULL) {
		status = ls_cli_error(&err);
		goto out;
	}
	/* attached first: the side inputs' tables are sized for the leads */
	if ((status = ls_qualifier_attach(q, ls_stream_reader(&s))) != 0) {
		status = ls_cli_fail(1, "%s", ls_strerror(status));
		goto out;
	}
	if ((calls && (status = load_side(calls, calls_enc, "--calls-encoding", &o, q, ls_qualifier_load_calls)) != 0) ||
	    (against && (status = load_side(against, against_enc, "--against-encoding", &o, q, ls_qualifier_load_known)) != 0))
		goto out;
	if ((status = ls_stream_header(&s, calls ? call_cols : cols)) != 0)
		goto out;
	while ((rc = ls_stream_next(&s, &rec)) > 0) {
		if (ls_qualify(q, &rec, &lead, &err) != 0) {
			status = ls_cli_error(&err);
			goto out;
		}
		count[lead.status]++;
		if (!(only & (1u << lead.status)))
			continue;
		/* set before the list: an initializer list's order of evaluation is unspecified */
		st = ls_lead_status_name(lead.status);
		const struct ls_str extra[] = {
			lead.score_text, { st, strlen(st) }, lead.reasons, lead.phone_note,
			lead.call_outcome, lead.call_count, lead.last_call_at
		};
		ls_stream_row(&s, lead.fields, lead.nfields, extra);
	}
	status = rc < 0 ? s.status : ls_stream_close(&s);
	/* a run cut short (closed pipe, error) has counts that are not the input's */
	if (verbose && s.end == LS_STREAM_EOF && status == 0)
		print_counts(count, s.nrejected, q);
out:
	ls_qualifier_free(q);
	ls_stream_free(&s);
	ls_rules_free(rules);
	if (status == 0)
		status = ls_finish_output();
	return status;
}

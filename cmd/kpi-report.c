/*
 * kpi-report - managers' KPIs from call, deal, lead and ticket logs,
 * against plan (kpi-report(1)).  The sums and the table are kpi.c's, the
 * formats kpi_format.c's; this file parses options, reads the inputs and
 * writes the result.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "util.h"
#include "kpi.h"
#include "rejects.h"
#include "lock.h"
#include "money.h"
#include "writer.h"

enum {
	OPT_CALLS = LS_OPT_TOOL, OPT_DEALS, OPT_LEADS, OPT_TICKETS, OPT_DATE, OPT_FROM, OPT_TO,
	OPT_PERIOD, OPT_BY, OPT_FORMAT, OPT_FAIL_UNDER, OPT_PARTIAL, OPT_MERGE, OPT_DECIMAL_COMMA
};

/* One declaration of the options: getopt's table and --help come from it. */
static const struct {
	struct option o;
	const char *arg, *help;
} opts[] = {
	{ { "config", required_argument, NULL, 'c' }, "KPI.yaml", "KPI config: time zone, teams, targets (required)" },
	{ { "calls", required_argument, NULL, OPT_CALLS }, "FILE", "calls stream (- for standard input)" },
	{ { "deals", required_argument, NULL, OPT_DEALS }, "FILE", "deals stream" },
	{ { "leads", required_argument, NULL, OPT_LEADS }, "FILE", "assigned leads (lead-assign's output)" },
	{ { "tickets", required_argument, NULL, OPT_TICKETS }, "FILE", "tickets (ticket-log list); adds tickets_handled, sla_met_pct" },
	{ { "date", required_argument, NULL, OPT_DATE }, "D", "the period holding D: YYYY-MM-DD, today, yesterday, -Nd" },
	{ { "from", required_argument, NULL, OPT_FROM }, "D", "first day counted" },
	{ { "to", required_argument, NULL, OPT_TO }, "D", "last day counted" },
	{ { "period", required_argument, NULL, OPT_PERIOD }, "P", "day (default), week (ISO, 2026-W48) or month" },
	{ { "by", required_argument, NULL, OPT_BY }, "BY", "manager (default) or team" },
	{ { "format", required_argument, NULL, OPT_FORMAT }, "F", "csv (default), tsv, table, md, json, html" },
	{ { "fail-under", required_argument, NULL, OPT_FAIL_UNDER }, "KPI=N,...", "exit 3 naming the managers below a floor" },
	{ { "partial", no_argument, NULL, OPT_PARTIAL }, NULL, "write mergeable partial sums instead of KPIs (with --merge: the sum of partials)" },
	{ { "merge", no_argument, NULL, OPT_MERGE }, NULL, "add up partials (FILE... or standard input) and report" },
	{ { "decimal-comma", no_argument, NULL, OPT_DECIMAL_COMMA }, NULL, "deal amounts use ',' for decimals (1 234,50)" },
	{ { "delimiter", required_argument, NULL, 'd' }, "CHAR", "CSV delimiter of the inputs (default: from each header)" },
	{ { "tsv", no_argument, NULL, 't' }, NULL, "inputs are TSV" },
	{ { "encoding", required_argument, NULL, LS_OPT_ENCODING }, "NAME", "inputs' encoding (iconv name, e.g. cp1251)" },
	{ { "output", required_argument, NULL, 'o' }, "FILE", "write to FILE (atomically) instead of standard output" },
	{ { "rejects", required_argument, NULL, LS_OPT_REJECTS }, "FILE", "write bad records to FILE and go on" },
	{ { "ocsv", no_argument, NULL, LS_OPT_OCSV }, NULL, "same as --format csv" },
	{ { "otsv", no_argument, NULL, LS_OPT_OTSV }, NULL, "same as --format tsv" },
	{ { "help", no_argument, NULL, 'h' }, NULL, "this help" },
	{ { "version", no_argument, NULL, LS_OPT_VERSION }, NULL, "print the version" },
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

static _Noreturn void
usage(FILE *fp, int status)
{
	fprintf(fp,
	    "usage: kpi-report -c KPI.yaml [--calls FILE] [--deals FILE] [--leads FILE] [--tickets FILE]\n"
	    "                  [--date D | --from D --to D] [--period day|week|month] [--by manager|team]\n"
	    "                  [--format csv|tsv|table|md|html|json] [--fail-under KPI=N,...]\n"
	    "                  [--partial] [-o FILE]\n"
	    "       kpi-report -c KPI.yaml --merge [--partial] [--by ...] [--format ...] [--fail-under ...] [FILE...]\n");
	if (fp == stdout) {
		putc('\n', fp);
		for (size_t i = 0; i < NOPTS; i++) {
			char left[64];
			const struct option *o = &opts[i].o;

			if (o->val < 128)
				snprintf(left, sizeof(left), "-%c, --%s%s%s", o->val, o->name,
				    opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
			else
				snprintf(left, sizeof(left), "    --%s%s%s", o->name,
				    opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
			fprintf(fp, "  %-28s %s\n", left, opts[i].help);
		}
	}
	exit(status);
}

struct input {
	const char *path;
	enum ls_kpi_input kind;
};

/* Read one input into k; bad records go to rej when there is one.  Returns an exit status. */
static int
read_input(struct ls_kpi *k, const struct input *in, const struct ls_reader_opts *ro,
    struct ls_writer *rej, unsigned long *nrej)
{
	struct ls_error err = { 0 };
	struct ls_reader *r;
	struct ls_record rec;
	struct ls_reader_opts o = *ro;
	int rc, status = 0;

	/* every input's delimiter is its own unless -d names one: the reader finds it from the header */
	if ((r = ls_reader_open(&in->path, 1, &o, &err)) == NULL)
		return ls_cli_error(&err);
	if (ls_reader_ncols(r) == 0)
		goto done;	/* an empty input: nothing happened */
	if (ls_kpi_bind(k, in->kind, ls_reader_header(r), ls_reader_ncols(r), ls_reader_file(r), &err) != 0) {
		status = ls_cli_error(&err);
		goto done;
	}
	for (;;) {
		rc = ls_reader_next(r, &rec, &err);
		if (rc == 0)
			break;
		if (rc > 0 && ls_kpi_add(k, in->kind, &rec, &err) == 0)
			continue;
		if (err.status != LS_EDATA || rej == NULL) {
			status = ls_cli_error(&err);
			goto done;
		}
		/* a record refused here was split in place: its fields are joined again for raw */
		if (rc > 0)
			ls_rejects_add_fields(rej, rec.fields, rec.nfields, rec.line, err.msg, rec.file);
		else
			ls_rejects_add(rej, rec.raw.p, rec.raw.n, rec.line, err.msg, rec.file);
		(*nrej)++;
	}
done:
	ls_reader_free(r);
	return status;
}

/* Write buf to stdout or atomically to path. */
static int
emit(const char *path, const char *buf, size_t n)
{
	struct ls_error err = { 0 };

	if (path != NULL && strcmp(path, "-") != 0) {
		if (ls_atomic_write(path, buf, n, &err) != 0)
			return ls_cli_error(&err);
		return 0;
	}
	fwrite(buf, 1, n, stdout);
	return ls_finish_output();
}

static int
parse_day(const char *what, const char *s, struct ls_tz *tz, int64_t now, struct ls_date *d)
{
	struct ls_error err = { 0 };

	if (ls_date_parse_rel(s, strlen(s), tz, now, d, &err) != 0) {
		ls_cli_warn("%s: bad date '%s' (expected YYYY-MM-DD, today, yesterday or -Nd)", what, s);
		return -1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct option longopts[NOPTS + 1];
	struct ls_stream_opts so = { 0 };
	struct ls_kpi_opts ko = { 0 };
	struct ls_error err = { 0 };
	struct input inputs[8];
	size_t ninputs = 0;
	const char *cfg_path = NULL, *date = NULL, *from = NULL, *to = NULL, *fail_under = NULL;
	const char *format = NULL;
	enum ls_kpi_by by = LS_KPI_BY_MANAGER;
	enum ls_kpi_format fmt = LS_KPI_CSV;
	int partial = 0, merge = 0, ch, rc, status = 0, nstdin = 0;
	struct ls_kpi_config *kc = NULL;
	struct ls_kpi *k = NULL;
	struct ls_kpi_table *t = NULL;
	struct ls_writer *rej = NULL;
	struct ls_kpi_buf out = { 0 }, misses = { 0 };
	unsigned long nrej = 0;
	long nmiss = 0;

	for (size_t i = 0; i < NOPTS; i++)
		longopts[i] = opts[i].o;
	memset(&longopts[NOPTS], 0, sizeof(longopts[NOPTS]));
	ls_cli_init(argv[0]);
	while ((ch = getopt_long(argc, argv, "d:to:hc:", longopts, NULL)) != -1) {
		if ((rc = ls_cli_stream_opt(ch, optarg, &so)) > 0)
			continue;
		if (rc < 0)
			usage(stderr, 2);
		switch (ch) {
		case 'c': cfg_path = optarg; break;
		case OPT_CALLS: case OPT_DEALS: case OPT_LEADS: case OPT_TICKETS:
			if (ninputs == sizeof(inputs) / sizeof(inputs[0])) {
				ls_cli_warn("too many inputs");
				usage(stderr, 2);
			}
			inputs[ninputs].path = optarg;
			inputs[ninputs++].kind = (enum ls_kpi_input)(ch - OPT_CALLS);
			nstdin += strcmp(optarg, "-") == 0;
			if (ch == OPT_TICKETS)
				ko.tickets = 1;
			break;
		case OPT_DATE: date = optarg; break;
		case OPT_FROM: from = optarg; break;
		case OPT_TO: to = optarg; break;
		case OPT_PERIOD:
			if (ls_period_parse(optarg, strlen(optarg), &ko.period, &err) != 0) {
				ls_cli_warn("--period: expected day, week or month, got '%s'", optarg);
				usage(stderr, 2);
			}
			break;
		case OPT_BY:
			if (strcmp(optarg, "manager") == 0)
				by = LS_KPI_BY_MANAGER;
			else if (strcmp(optarg, "team") == 0)
				by = LS_KPI_BY_TEAM;
			else {
				ls_cli_warn("--by: expected manager or team, got '%s'", optarg);
				usage(stderr, 2);
			}
			break;
		case OPT_FORMAT: format = optarg; break;
		case OPT_FAIL_UNDER: fail_under = optarg; break;
		case OPT_PARTIAL: partial = 1; break;
		case OPT_MERGE: merge = 1; break;
		case OPT_DECIMAL_COMMA: ko.money_flags |= LS_MONEY_DECIMAL_COMMA; break;
		case 'h': usage(stdout, 0);
		case LS_OPT_VERSION: return ls_cli_version();
		default: usage(stderr, 2);
		}
	}
	argc -= optind;
	argv += optind;

	if (cfg_path == NULL) {
		ls_cli_warn("a KPI config is required: -c KPI.yaml");
		usage(stderr, 2);
	}
	if (format != NULL) {
		if (ls_kpi_format_parse(format, &fmt, &err) != 0)
			return ls_cli_error(&err);
	} else if (so.oformat == LS_FMT_TSV) {
		fmt = LS_KPI_TSV;
	}
	if (fail_under != NULL) {
		/* the form is checked before any reading; the column names once the report's columns are known */
		for (const char *p = fail_under; ; p++) {
			const char *e = strchr(p, ','), *eqs = strchr(p, '=');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			int64_t v;

			if (eqs == NULL || eqs == p || eqs >= p + len ||
			    ls_money_parse(eqs + 1, (size_t)(p + len - eqs - 1), 6, 0, &v, NULL) != 0)
				return ls_cli_fail(2, "--fail-under: expected KPI=N[,KPI=N...], got '%.*s'", (int)len, p);
			if (e == NULL)
				break;
			p = e;
		}
	}
	if (partial && (format || fail_under || by != LS_KPI_BY_MANAGER))
		return ls_cli_fail(2, "--partial writes sums: --format, --by and --fail-under belong to --merge");
	if (date && (from || to))
		return ls_cli_fail(2, "--date and --from/--to do not go together");
	if (merge && (ninputs || date || from || to || ko.period != LS_PERIOD_DAY || ko.money_flags))
		return ls_cli_fail(2, "--merge takes partials only: inputs, dates and the period come from them");
	if (!merge && argc > 0)
		return ls_cli_fail(2, "unexpected argument '%s' (inputs are named by --calls, --deals, --leads, --tickets)",
		    argv[0]);
	if (!merge && ninputs == 0)
		return ls_cli_fail(2, "nothing to report: give --calls, --deals, --leads or --tickets");
	if (nstdin > 1)
		return ls_cli_fail(2, "only one input can be standard input");

	if ((kc = ls_kpi_config_load(cfg_path, &err)) == NULL)
		return ls_cli_error(&err);

	if (merge) {
		if ((k = ls_kpi_new_merge(kc, &err)) == NULL) {
			status = ls_cli_error(&err);
			goto done;
		}
		for (int i = 0; i < (argc ? argc : 1); i++) {
			const char *path = argc ? argv[i] : "-";
			size_t n;
			char *buf = ls_read_file(path, &n, &err);

			if (buf == NULL || ls_kpi_merge(k, buf, n, strcmp(path, "-") ? path : "stdin", &err) != 0) {
				free(buf);
				status = ls_cli_error(&err);
				goto done;
			}
			free(buf);
		}
		if (ls_kpi_merged(k) == 0) {
			status = ls_cli_fail(1, "no partial to merge in the input");
			goto done;
		}
	} else {
		struct ls_tz *tz = ls_kpi_config_tz(kc);
		int64_t now = (int64_t)time(NULL);
		struct ls_date today;

		if (parse_day("--date", "today", tz, now, &today) != 0) {
			status = 1;
			goto done;
		}
		ko.lead_day = today;
		if (date) {
			struct ls_date d, first, next;

			if (parse_day("--date", date, tz, now, &d) != 0) {
				status = 2;
				goto done;
			}
			ls_period_days(ko.period, &d, &first, &next);
			next.day -= 1;
			ls_date_from_days(ls_date_to_days(&next), &next);
			ko.has_from = ko.has_to = 1;
			ko.from = first;
			ko.to = next;
			ko.lead_day = d;
		}
		if (from) {
			if (parse_day("--from", from, tz, now, &ko.from) != 0) {
				status = 2;
				goto done;
			}
			ko.has_from = 1;
		}
		if (to) {
			if (parse_day("--to", to, tz, now, &ko.to) != 0) {
				status = 2;
				goto done;
			}
			ko.has_to = 1;
			ko.lead_day = ko.to;
		}
		if (ko.has_from && ko.has_to && ls_date_to_days(&ko.from) > ls_date_to_days(&ko.to)) {
			status = ls_cli_fail(2, "--from is after --to");
			goto done;
		}
		if ((k = ls_kpi_new(kc, &ko, &err)) == NULL) {
			status = ls_cli_error(&err);
			goto done;
		}
		if (so.rejects && (rej = ls_rejects_open(so.rejects, &err)) == NULL) {
			status = ls_cli_error(&err);
			goto done;
		}
		for (size_t i = 0; i < ninputs; i++)
			if ((status = read_input(k, &inputs[i], &so.in, rej, &nrej)) != 0)
				goto done;
		{
			const char *oc, *file;
			long line;
			unsigned long n = ls_kpi_unknown_outcomes(k, &oc, &file, &line);

			if (n > 0)
				ls_cli_warn("%s:%ld: unknown outcome '%s' (%lu call%s with unknown outcomes counted, not connected)",
				    file, line, oc, n, n == 1 ? "" : "s");
		}
		if (rej) {
			if (ls_writer_commit(rej, &err) != 0) {
				status = ls_cli_error(&err);
				goto done;
			}
			if (nrej > 0)
				ls_cli_warn("%lu bad record%s written to %s", nrej, nrej == 1 ? "" : "s", so.rejects);
		}
	}

	if (partial) {
		FILE *fp = stdout;
		struct ls_atomic *a = NULL;

		if (so.output && strcmp(so.output, "-") != 0) {
			if ((a = ls_atomic_open(so.output, &err)) == NULL) {
				status = ls_cli_error(&err);
				goto done;
			}
			fp = ls_atomic_file(a);
		}
		if (ls_kpi_write_partial(k, fp, &err) != 0 || (a && ls_atomic_commit(a, &err) != 0)) {
			ls_atomic_free(a);
			if (a && err.file[0] == '\0')
				snprintf(err.file, sizeof(err.file), "%s", so.output);
			/* on standard output: 1 with a message, or a quiet 0 for a closed pipe */
			status = a ? ls_cli_error(&err) : ls_finish_output();
			goto done;
		}
		ls_atomic_free(a);
		status = a ? 0 : ls_finish_output();
		goto done;
	}

	if ((t = ls_kpi_table(k, by, &err)) == NULL || ls_kpi_render(t, fmt, &out, &err) != 0) {
		status = ls_cli_error(&err);
		goto done;
	}
	if (fail_under && (nmiss = ls_kpi_floors_check(t, fail_under, &misses, &err)) < 0) {
		status = ls_cli_error(&err);
		goto done;
	}
	if ((status = emit(so.output, out.p ? out.p : "", out.n)) != 0)
		goto done;
	if (nmiss > 0) {
		char *line = misses.p, *nl;

		for (; (nl = strchr(line, '\n')) != NULL; line = nl + 1)
			ls_cli_warn("below floor: %.*s", (int)(nl - line), line);
		status = 3;
	}
done:
	free(out.p);
	free(misses.p);
	ls_writer_free(rej);
	ls_kpi_table_free(t);
	ls_kpi_free(k);
	ls_kpi_config_free(kc);
	return status;
}

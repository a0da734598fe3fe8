/*
 * kpi-report - managers' KPIs from call, deal, lead and ticket logs,
 * against plan (kpi-report(1)).  The sums, partials and the table are
 * libsales/sales/kpi*.c's; this file parses options, checks that they go
 * together, and writes the result.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "clock.h"
#include "kpi.h"
#include "kpi_lang.h"
#include "lock.h"
#include "money.h"
#include "rejects.h"
#include "util.h"
#include "writer.h"
#include "xlsx_write.h"

enum {
	OPT_CALLS = LS_OPT_TOOL, OPT_DEALS, OPT_LEADS, OPT_TICKETS, OPT_DATE, OPT_FROM, OPT_TO,
	OPT_PERIOD, OPT_BY, OPT_FORMAT, OPT_FAIL_UNDER, OPT_PARTIAL, OPT_MERGE, OPT_DECIMAL_COMMA,
	OPT_IS_WORKDAY, OPT_REPORT, OPT_LANG, OPT_COMPARE
};

static const struct ls_opt options[] = {
	{ "config", 'c', 'c', "KPI.yaml", "KPI config: time zone, teams, targets (required)" },
	{ "calls", 0, OPT_CALLS, "FILE", "calls stream (- for standard input)" },
	{ "deals", 0, OPT_DEALS, "FILE", "deals stream" },
	{ "leads", 0, OPT_LEADS, "FILE", "assigned leads (lead-assign's output)" },
	{ "tickets", 0, OPT_TICKETS, "FILE", "tickets (ticket-log list); adds tickets_handled, sla_met_pct" },
	{ "date", 0, OPT_DATE, "D", "the period holding D: YYYY-MM-DD, today, yesterday, last-workday, -Nd" },
	{ "from", 0, OPT_FROM, "D", "first day counted" },
	{ "to", 0, OPT_TO, "D", "last day counted" },
	{ "period", 0, OPT_PERIOD, "P", "day (default), week (ISO, 2026-W48), month, or mtd (the month to --date)" },
	{ "by", 0, OPT_BY, "BY", "manager (default) or team" },
	{ "report", 0, OPT_REPORT, "R", "kpi (default) or funnel: leads' funnel and speed to lead by assignment period" },
	{ "format", 0, OPT_FORMAT, "F", "csv (default), tsv, table, md, json, html, xlsx (-o FILE.xlsx chooses it)" },
	{ "lang", 0, OPT_LANG, "L", "en or ru: labels and numbers of table, md, html, xlsx (default: kpi.yaml's lang:, en)" },
	{ "fail-under", 0, OPT_FAIL_UNDER, "KPI=N,...", "exit 3 naming the managers below a floor" },
	{ "compare", 0, OPT_COMPARE, NULL, "add prev_KPI and KPI_change_pct: each period against the one before" },
	{ "partial", 0, OPT_PARTIAL, NULL, "write mergeable partial sums instead of KPIs (with --merge: the sum of partials)" },
	{ "merge", 0, OPT_MERGE, NULL, "add up partials (FILE... or standard input) and report" },
	{ "decimal-comma", 0, OPT_DECIMAL_COMMA, NULL, "deal amounts use ',' for decimals (1 234,50)" },
	{ "is-workday", 0, OPT_IS_WORKDAY, NULL, "no report: exit 0 when the --date day (default today) is a working day, 1 when not" },
	{ NULL, 0, 0, NULL, NULL }
};
/* every input is a CSV/TSV; the report is one with --format csv|tsv (--ocsv, --otsv) */
static const struct ls_opt *const tables[] = {
	options, ls_input_options, ls_output_options, ls_basic_options, NULL
};
static struct ls_getopt g;

static const char synopsis[] =
    "kpi-report -c KPI.yaml [--calls FILE] [--deals FILE] [--leads FILE] [--tickets FILE]\n"
    "                  [--date D | --from D --to D] [--period day|week|month|mtd] [--by manager|team]\n"
    "                  [--format csv|tsv|table|md|html|json|xlsx] [--fail-under KPI=N,...]\n"
    "                  [--report kpi|funnel] [--compare] [--lang en|ru] [--partial] [-o FILE]\n"
    "       kpi-report -c KPI.yaml --merge [--partial] [--by ...] [--format ...] [--fail-under ...] [FILE...]\n"
    "       kpi-report -c KPI.yaml --is-workday [--date D]";

static _Noreturn void
usage(int status)
{
	exit(ls_cli_usage(&g, status));
}

struct run {
	struct ls_stream_opts so;
	struct ls_kpi_opts ko;
	const char *cfg, *date, *from, *to, *format, *fail_under;
	const char *in[LS_KPI_NINPUTS * 2];	/* each input's path, in the order given */
	enum ls_kpi_input kind[LS_KPI_NINPUTS * 2];
	size_t nin;
	enum ls_kpi_by by;
	int partial, merge, nstdin, is_workday;
	const char *lang;		/* --lang, NULL: kpi.yaml's lang: */
};

/* Write buf to standard output, or atomically to path (-o). */
static int
emit(const char *path, const char *buf, size_t n)
{
	struct ls_error err = { 0 };

	if (path != NULL && strcmp(path, "-") != 0)
		return ls_atomic_write(path, buf, n, &err) != 0 ? ls_cli_error(&err) : 0;
	fwrite(buf, 1, n, stdout);
	return ls_finish_output();
}

/* The sums of the inputs (the partials with --merge) into *kp.  0 or an exit status, printed. */
static int
sums(struct run *r, const struct ls_kpi_config *kc, int argc, char **argv, struct ls_kpi **kp)
{
	struct ls_error err = { 0 };
	struct ls_writer *rej = NULL;
	unsigned long nrej = 0, n, nc, nd;
	const char *oc, *file;
	size_t len;
	long line;
	int status = 0;

	if (r->merge) {
		if ((*kp = ls_kpi_new_merge(kc, &err)) == NULL)
			return ls_cli_error(&err);
		for (int i = 0; i < (argc ? argc : 1); i++) {
			const char *path = argc ? argv[i] : "-";
			size_t len;
			char *buf = ls_read_file(path, &len, &err);

			status = buf == NULL || ls_kpi_merge(*kp, buf, len, strcmp(path, "-") ? path : "stdin", &err) != 0;
			free(buf);
			if (status)
				return ls_cli_error(&err);
		}
		return ls_kpi_merged(*kp) == 0 ? ls_cli_fail(1, "no partial to merge in the input") : 0;
	}
	if (ls_kpi_opts_dates(&r->ko, kc, ls_clock_now(), r->date, r->from, r->to, &err) != 0 ||
	    (*kp = ls_kpi_new(kc, &r->ko, &err)) == NULL ||
	    (r->so.rejects && (rej = ls_rejects_open(r->so.rejects, &err)) == NULL))
		return ls_cli_error(&err);
	for (size_t i = 0; i < r->nin && status == 0; i++)
		if (ls_kpi_read(*kp, r->kind[i], r->in[i], &r->so.in, rej, &nrej, &err) != 0)
			status = ls_cli_error(&err);
	if (status == 0 && (n = ls_kpi_unknown_outcomes(*kp, &oc, &file, &line)) > 0)
		ls_cli_warn("%s:%ld: unknown outcome '%s' (%lu call%s with unknown outcomes counted, not connected)",
		    file, line, oc, n, n == 1 ? "" : "s");
	if (status == 0 && (n = ls_kpi_unknown_stages(*kp, &oc, &file, &line)) > 0)
		ls_cli_warn("%s:%ld: unknown stage '%s' (%lu deal%s of stages not under stages: in the config skipped)",
		    file, line, oc, n, n == 1 ? "" : "s");
	if (status == 0 && (n = ls_kpi_funnel_unmatched(*kp, &nc, &nd, &oc, &len)) > 0)
		ls_cli_warn("%lu call%s and %lu won deal%s name no assigned lead of --leads (first: '%.*s'): "
		    "in no cohort, not in the funnel", nc, nc == 1 ? "" : "s", nd, nd == 1 ? "" : "s",
		    (int)(len > 60 ? 60 : len), oc);
	if (status == 0 && rej != NULL) {
		if (ls_writer_commit(rej, &err) != 0)
			status = ls_cli_error(&err);
		else if (nrej > 0)
			ls_cli_warn("%lu bad record%s written to %s", nrej, nrej == 1 ? "" : "s", r->so.rejects);
	}
	ls_writer_free(rej);
	return status;
}

/*
 * --is-workday: whether the --date day is a working day over the config's
 * calendar, as an exit status (0 yes, 1 no), for a cron job to ask before
 * it mails; the question kpi-report's last-workday already answers.
 */
static int
is_workday(struct run *r, int argc)
{
	struct ls_error err = { 0 };
	struct ls_kpi_config *kc;
	int status;

	if (r->nin || r->from || r->to || r->merge || r->partial || r->format || r->fail_under || r->ko.funnel ||
	    r->lang || argc > 0) {
		ls_cli_warn("--is-workday takes -c and --date only");
		usage(2);
	}
	if ((kc = ls_kpi_config_load(r->cfg, &err)) == NULL)
		return ls_cli_error(&err);
	if (ls_kpi_opts_dates(&r->ko, kc, ls_clock_now(), r->date ? r->date : "today", NULL, NULL, &err) != 0)
		status = ls_cli_error(&err);
	else
		status = ls_kpi_is_workday(kc, &r->ko.lead_day) ? 0 : 1;
	ls_kpi_config_free(kc);
	return status;
}

static int
has_leads(const struct run *r)
{
	for (size_t i = 0; i < r->nin; i++)
		if (r->kind[i] == LS_KPI_IN_LEADS)
			return 1;
	return 0;
}

/* Options one at a time, into r: only their form is checked here. */
static void
option(struct run *r, int ch, const char *arg)
{
	int rc;

	if ((rc = ls_cli_stream_opt(ch, arg, &r->so)) != 0) {
		if (rc < 0)
			usage(2);
		return;
	}
	switch (ch) {
	case 'c': r->cfg = arg; break;
	case OPT_CALLS: case OPT_DEALS: case OPT_LEADS: case OPT_TICKETS:
		if (r->nin == sizeof(r->in) / sizeof(r->in[0])) {
			ls_cli_warn("too many inputs");
			usage(2);
		}
		r->in[r->nin] = arg;
		r->kind[r->nin++] = (enum ls_kpi_input)(ch - OPT_CALLS);
		r->nstdin += strcmp(arg, "-") == 0;
		r->ko.tickets |= ch == OPT_TICKETS;
		r->ko.inputs |= 1u << (ch - OPT_CALLS);
		break;
	case OPT_DATE: r->date = arg; break;
	case OPT_FROM: r->from = arg; break;
	case OPT_TO: r->to = arg; break;
	case OPT_PERIOD:
		/* mtd is a month counted to --date: its plan pro-rated by the working days gone */
		r->ko.mtd = strcmp(arg, "mtd") == 0;
		if (ls_period_parse(r->ko.mtd ? "month" : arg, r->ko.mtd ? 5 : strlen(arg), &r->ko.period, NULL) != 0) {
			ls_cli_warn("--period: expected day, week, month or mtd, got '%s'", arg);
			usage(2);
		}
		break;
	case OPT_COMPARE: r->ko.compare = 1; break;
	case OPT_BY:
		if (strcmp(arg, "manager") != 0 && strcmp(arg, "team") != 0) {
			ls_cli_warn("--by: expected manager or team, got '%s'", arg);
			usage(2);
		}
		r->by = arg[0] == 't' ? LS_KPI_BY_TEAM : LS_KPI_BY_MANAGER;
		break;
	case OPT_REPORT:
		if (strcmp(arg, "kpi") != 0 && strcmp(arg, "funnel") != 0) {
			ls_cli_warn("--report: expected kpi or funnel, got '%s'", arg);
			usage(2);
		}
		r->ko.funnel = arg[0] == 'f';
		break;
	case OPT_FORMAT: r->format = arg; break;
	case OPT_LANG: r->lang = arg; break;
	case OPT_FAIL_UNDER: r->fail_under = arg; break;
	case OPT_PARTIAL: r->partial = 1; break;
	case OPT_MERGE: r->merge = 1; break;
	case OPT_DECIMAL_COMMA: r->ko.money_flags |= LS_MONEY_DECIMAL_COMMA; break;
	case OPT_IS_WORKDAY: r->is_workday = 1; break;
	case 'h': usage(0);
	case LS_OPT_VERSION: exit(ls_cli_version());
	default: usage(2);
	}
}

int
main(int argc, char *argv[])
{
	struct run r = { .by = LS_KPI_BY_MANAGER };
	struct ls_error err = { 0 };
	enum ls_kpi_format fmt = LS_KPI_CSV;
	enum ls_kpi_lang lang = LS_KPI_LANG_EN;
	int (*render)(const struct ls_kpi_table *, enum ls_kpi_format, struct ls_buf *, struct ls_error *);
	struct ls_kpi_floors *floors = NULL;
	struct ls_kpi_config *kc = NULL;
	struct ls_kpi *k = NULL;
	struct ls_kpi_table *t = NULL;
	struct ls_buf out = { 0 }, misses = { 0 };
	long nmiss = 0;
	int ch, status;

	ls_cli_init(argv[0]);
	if (ls_getopt_init(&g, tables, synopsis, &err) != 0)
		return ls_cli_error(&err);
	while ((ch = ls_getopt_next(&g, argc, argv)) != -1)
		option(&r, ch, optarg);
	argc -= optind;
	argv += optind;
	if ((status = ls_cli_clock()) != 0)
		return status;

	if (r.cfg == NULL) {
		ls_cli_warn("a KPI config is required: -c KPI.yaml");
		usage(2);
	}
	if (r.is_workday)
		return is_workday(&r, argc);
	if (r.format == NULL && r.so.oformat == LS_FMT_TSV)
		fmt = LS_KPI_TSV;
	else if (r.format == NULL && ls_xlsxw_path(r.so.output))
		fmt = LS_KPI_XLSX;
	else if (r.format != NULL && ls_kpi_format_parse(r.format, &fmt, &err) != 0)
		return ls_cli_error(&err);
	if (r.lang != NULL && ls_kpi_lang_parse(r.lang, &lang, &err) != 0)
		return ls_cli_error(&err);
	if (r.fail_under != NULL && ls_kpi_floors_parse(r.fail_under, &floors, &err) != 0)
		return ls_cli_error(&err);
	status = 2;
	if (r.partial && (r.format || floors || r.by != LS_KPI_BY_MANAGER || r.lang))
		ls_cli_warn("--partial writes sums: --format, --by, --lang and --fail-under belong to --merge");
	else if (r.partial && ls_xlsxw_path(r.so.output))
		ls_cli_warn("--partial writes sums, not a workbook: -o %s", r.so.output);
	else if (r.ko.compare && (r.partial || r.merge || r.ko.funnel))
		ls_cli_warn("--compare reads the previous period from the inputs: not with --partial, --merge or --report funnel");
	else if (r.ko.funnel && (r.partial || r.merge))
		ls_cli_warn("--report funnel joins the inputs on lead_id: partials cannot carry that (no --partial, --merge)");
	else if (r.ko.funnel && (r.ko.tickets || !has_leads(&r)))
		ls_cli_warn("--report funnel reads --leads, --calls and --deals (--leads needed, --tickets not read)");
	else if (r.date && (r.from || r.to))
		ls_cli_warn("--date and --from/--to do not go together");
	else if (r.merge && (r.nin || r.date || r.from || r.to || r.ko.period != LS_PERIOD_DAY || r.ko.mtd ||
	    r.ko.money_flags))
		ls_cli_warn("--merge takes partials only: inputs, dates and the period come from them");
	else if (!r.merge && argc > 0)
		ls_cli_warn("unexpected argument '%s' (inputs are named by --calls, --deals, --leads, --tickets)", argv[0]);
	else if (!r.merge && r.nin == 0)
		ls_cli_warn("nothing to report: give --calls, --deals, --leads or --tickets");
	else if (r.nstdin > 1)
		ls_cli_warn("only one input can be standard input");
	else if (r.so.oencoding != NULL)
		ls_cli_warn("--oencoding: kpi-report writes UTF-8 only");
	else if (r.so.bom && (r.partial || (fmt != LS_KPI_CSV && fmt != LS_KPI_TSV)))
		ls_cli_warn("--bom goes with CSV or TSV output only");
	else if (fmt == LS_KPI_XLSX && !r.partial && ls_xlsxw_output_check(r.so.output, stdout, &err) != 0)
		ls_cli_warn("%s", err.msg);
	else
		status = 0;
	if (status != 0 || (kc = ls_kpi_config_load(r.cfg, &err)) == NULL) {
		ls_kpi_floors_free(floors);
		return status ? status : ls_cli_error(&err);
	}

	if (r.lang == NULL)	/* --lang wins over kpi.yaml's lang: */
		lang = ls_kpi_config_lang(kc);
	/* Excel's CSV (--bom) gets the formula guard */
	render = r.so.bom && !r.so.keep_formulas ? ls_kpi_render_excel : ls_kpi_render;
	if ((status = sums(&r, kc, argc, argv, &k)) != 0)
		goto done;
	if (r.so.bom && ls_buf_puts(&out, "\xef\xbb\xbf") != 0)
		status = ls_cli_fail(1, "out of memory");
	else if (r.partial ? ls_kpi_write_partial(k, &out, &err) != 0 :
	    (t = (r.ko.funnel ? ls_kpi_funnel_table : ls_kpi_table)(k, r.by, &err)) == NULL ||
	    (ls_kpi_table_lang(t, kc, lang), render(t, fmt, &out, &err)) != 0 ||
	    (floors && (nmiss = ls_kpi_floors_check(t, floors, &misses, &err)) < 0))
		status = ls_cli_error(&err);
	else if ((status = emit(r.so.output, out.p ? out.p : "", out.n)) == 0 && nmiss > 0) {
		for (char *line = misses.p, *nl; (nl = strchr(line, '\n')) != NULL; line = nl + 1)
			ls_cli_warn("below floor: %.*s", (int)(nl - line), line);
		status = 3;
	}
done:
	ls_buf_free(&out);
	ls_buf_free(&misses);
	ls_kpi_floors_free(floors);
	ls_kpi_table_free(t);
	ls_kpi_free(k);
	ls_kpi_config_free(kc);
	return status;
}

/*
 * ticket-log - client support's ticket journal (ticket-log(1)).  The log
 * file is ticket.c's, the appends and the import ticket_ops.c's, the
 * replay, filters and SLA clocks queue.c's and sla.c's, the log's
 * surroundings (SLA file, zone, TICKET_LOG_NOW) ticket_env.c's, the mail
 * gateway ticket_mail.c's (over io/mail.c's GMime); this file
 * declares the commands and their options and turns each into one call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_list.h"
#include "ticket.h"
#include "ticket_env.h"
#include "ticket_mail.h"
#include "ticket_ops.h"
#include "xlsx_write.h"

#define LS_OPT_END { NULL, 0, 0, NULL, NULL }
enum { OPT_SLA = LS_OPT_TOOL, OPT_CLIENT, OPT_SUBJECT, OPT_PRIORITY, OPT_AGENT, OPT_CHANNEL,
	OPT_STATUS, OPT_OVERDUE, OPT_AT, OPT_REPAIR, OPT_FORMAT, OPT_MAILDIR, OPT_ADDRESSBOOK };

/* Everything the options of any command set; a run uses its own part. */
struct ctx {
	const char *log, *sla, *at;	/* -f, --sla, --at: NULL when not given */
	const char *priority;		/* --priority */
	const char *format;		/* --format */
	struct ls_ticket_env env;
	struct ls_stream_opts so;
	struct ls_tevent_req e;
	struct ls_queue_filter f;
	int repair;
	const char *maildir, *addressbook;	/* mail's */
	long *ids;			/* show's */
	struct ls_buf text;		/* the words after the arguments, joined */
};

static const struct ls_opt log_opts[] = {
	{ "file", 'f', 'f', "LOG", "the ticket log (default $TICKET_LOG, else ./tickets.csv)" },
	{ "sla", 0, OPT_SLA, "FILE", "SLA targets (default sla.yaml beside the log, when there is one)" },
	LS_OPT_END
};
static const struct ls_opt open_opts[] = {
	{ "client", 0, OPT_CLIENT, "C", "the client (required)" },
	{ "subject", 0, OPT_SUBJECT, "S", "what the ticket is about (required)" },
	{ "priority", 0, OPT_PRIORITY, "P", "low, normal (the default), high or urgent" },
	{ "agent", 0, OPT_AGENT, "A", "who works on it" },
	LS_OPT_END
};
static const struct ls_opt channel_opts[] = {
	{ "channel", 0, OPT_CHANNEL, "CH", "phone, email, chat, or as the SLA file's channels" },
	LS_OPT_END
};
static const struct ls_opt list_opts[] = {
	{ "status", 0, OPT_STATUS, "S,...", "only tickets in these statuses (at_risk: and at risk)" },
	{ "client", 0, OPT_CLIENT, "C", "only this client's tickets" },
	{ "agent", 0, OPT_AGENT, "A", "only this agent's tickets" },
	{ "overdue", 0, OPT_OVERDUE, NULL, "only breached tickets not solved or closed" },
	{ "at", 0, OPT_AT, "TIME", "the queue as of TIME (RFC 3339, or DATE [HH:MM])" },
	LS_OPT_END
};
/* list and show write a stream: -t and -d say how, as they always have */
static const struct ls_opt write_opts[] = {
	{ "tsv", 't', 't', NULL, "write TSV" },
	{ "delimiter", 'd', 'd', "CHAR", "CSV delimiter of the output" },
	{ "format", 0, OPT_FORMAT, "F", "csv (default), tsv or xlsx (-o FILE.xlsx chooses xlsx)" },
	LS_OPT_END
};
static const struct ls_opt check_opts[] = {
	{ "repair", 0, OPT_REPAIR, NULL, "cut a torn tail after copying the log to LOG.bak" },
	LS_OPT_END
};

static const struct ls_opt mail_opts[] = {
	{ "maildir", 0, OPT_MAILDIR, "DIR", "read every letter of this Maildir (new/ and cur/)" },
	{ "addressbook", 0, OPT_ADDRESSBOOK, "FILE", "CSV of email and client: the sender's client" },
	LS_OPT_END
};

static const struct ls_opt *const open_tables[] = { open_opts, channel_opts, log_opts, ls_basic_options, NULL };
static const struct ls_opt *const note_tables[] = { channel_opts, log_opts, ls_basic_options, NULL };
static const struct ls_opt *const plain_tables[] = { log_opts, ls_basic_options, NULL };
static const struct ls_opt *const list_tables[] = { list_opts, write_opts, ls_output_options, log_opts, ls_basic_options, NULL };
static const struct ls_opt *const show_tables[] = { write_opts, ls_output_options, log_opts, ls_basic_options, NULL };
static const struct ls_opt *const import_tables[] = { ls_input_options, log_opts, ls_basic_options, NULL };
static const struct ls_opt *const check_tables[] = { check_opts, log_opts, ls_basic_options, NULL };
static const struct ls_opt *const mail_tables[] = { mail_opts, log_opts, ls_basic_options, NULL };

static int cmd_event(void *, int, char **);
static int cmd_stream(void *, int, char **);
static int cmd_import(void *, int, char **);
static int cmd_check(void *, int, char **);
static int cmd_mail(void *, int, char **);

static const struct ls_subcmd commands[] = {
	{ "open", "--client C --subject S [--priority P] [--agent A] [--channel CH] [TEXT]",
	  "open a ticket; prints its id", open_tables, cmd_event },
	{ "note", "ID TEXT", "add an internal note", note_tables, cmd_event },
	{ "reply", "ID TEXT [--channel CH]", "record an answer to the client", note_tables, cmd_event },
	{ "status", "ID STATUS [TEXT]", "move to new|open|pending|solved|closed", plain_tables, cmd_event },
	{ "assign", "ID AGENT", "hand the ticket to an agent", plain_tables, cmd_event },
	{ "close", "ID [TEXT]", "close the ticket", plain_tables, cmd_event },
	{ "reopen", "ID [TEXT]", "reopen a solved or closed ticket", plain_tables, cmd_event },
	{ "priority", "ID PRIORITY [TEXT]", "change to low|normal|high|urgent; the SLA follows",
	  plain_tables, cmd_event },
	{ "list", "[--status S,..] [--client C] [--agent A] [--overdue] [--at TIME] [-t] [-o FILE]",
	  "the tickets stream, as of now or TIME", list_tables, cmd_stream },
	{ "show", "[ID ...] [-t] [-o FILE]", "the events of the tickets named (all without ID)",
	  show_tables, cmd_stream },
	{ "import", "[-t] [-d CHAR] [--encoding NAME] [--lazy-quotes] [--rejects FILE] [FILE]",
	  "append events from a CSV, all or nothing (but --rejects)", import_tables, cmd_import },
	{ "check", "[--repair]", "verify the log and its hash chain; --repair cuts a torn tail",
	  check_tables, cmd_check },
	{ "upgrade", "", "rewrite a v1 log as v2, with its hash chain (the v1 log kept in LOG.v1)",
	  plain_tables, cmd_check },
	{ "mail", "[--maildir DIR | -] [--addressbook FILE]",
	  "letters in: new ones open tickets, replies go to theirs", mail_tables, cmd_mail },
	{ NULL, NULL, NULL, NULL, NULL }
};

#define PREFIX "ticket-log [-f LOG] [--sla SLA.yaml]"
static struct ls_getopt g;

static _Noreturn void
usage(int status)
{
	exit(ls_cli_usage(&g, status));
}

/*
 * Parse options into c: the tool's own before the command (top), else the
 * command's (argv[0] names it).  Returns the index of the first argument.
 */
static int
opts(struct ctx *c, int argc, char **argv, int top)
{
	struct ls_error err = { 0 };
	int ch, rc;

	if ((top ? ls_getopt_init(&g, plain_tables, PREFIX " COMMAND [ARGS]", &err) :
	    ls_getopt_subcmd(&g, ls_subcmd_find(commands, argv[0]), PREFIX, &err)) != 0)
		exit(ls_cli_error(&err));
	if (top) {
		g.cmds = commands;
		ls_getopt_stop_at_args(&g);	/* the command's own options come after it */
	}
	while ((ch = ls_getopt_next(&g, argc, argv)) != -1) {
		if ((rc = ls_cli_stream_opt(ch, optarg, &c->so)) != 0) {
			if (rc < 0)
				usage(2);
			continue;
		}
		switch (ch) {
		case 'f': c->log = optarg; break;
		case OPT_SLA: c->sla = optarg; break;
		case OPT_CLIENT: c->e.client = c->f.client = optarg; break;
		case OPT_SUBJECT: c->e.subject = optarg; break;
		case OPT_AGENT: c->e.agent = c->f.agent = optarg; break;
		case OPT_OVERDUE: c->f.overdue = 1; break;
		case OPT_AT: c->at = optarg; break;
		case OPT_REPAIR: c->repair = 1; break;
		case OPT_FORMAT:
			if (strcmp(optarg, "csv") != 0 && strcmp(optarg, "tsv") != 0 && strcmp(optarg, "xlsx") != 0)
				exit(ls_cli_fail(2, "--format: expected csv, tsv or xlsx, got '%s'", optarg));
			c->format = optarg;
			c->so.oformat = optarg[0] == 't' ? LS_FMT_TSV : optarg[0] == 'c' ? LS_FMT_CSV : c->so.oformat;
			break;
		case OPT_MAILDIR: c->maildir = optarg; break;
		case OPT_ADDRESSBOOK: c->addressbook = optarg; break;
		case OPT_PRIORITY: c->priority = optarg; break;
		case OPT_CHANNEL: c->e.channel = optarg; break;
		case OPT_STATUS:
			if (ls_cli_list_parse(optarg, ls_queue_status_words, "status", &c->f.statuses, &err) != 0)
				exit(ls_cli_fail(2, "--status: %s", err.msg));
			break;
		case 'h': usage(0);
		case LS_OPT_VERSION: exit(ls_cli_version());
		default: usage(2);
		}
	}
	return optind;
}

/* open, note, reply, status, assign, close, reopen, priority: one event appended. */
static int
cmd_event(void *ctx, int argc, char **argv)
{
	struct ctx *c = ctx;
	struct ls_tevent_req *e = &c->e;
	struct ls_ticket_ops_cut cut;
	struct ls_error err = { 0 };
	int i, rc;

	ls_tevent_parse(argv[0], strlen(argv[0]), &e->ev);
	i = opts(c, argc, argv, 0);
	if ((rc = ls_ticket_ops_args(e, c->priority, argv + i, argc - i, &c->text, &err)) < 0)
		usage(2);
	if (rc != 0)
		return ls_cli_error(&err);
	if (ls_ticket_env_open(&c->env, c->log, c->sla, &err) != 0)
		return ls_cli_error(&err);
	if (ls_ticket_env_channel(&c->env, e->channel, LS_EUSAGE, &err) != 0)
		return ls_cli_error(&err);
	e->ts = c->env.now;
	rc = ls_ticket_ops_append(c->env.log, c->env.tz, e, &e->id, &cut, &err);
	if (cut.line > 0)
		ls_cli_error(&cut.warning);
	if (rc != 0)
		return ls_cli_error(&err);
	if (e->ev != LS_EV_OPEN)
		return 0;
	printf("T-%06ld\n", e->id);
	return ls_finish_output();	/* the ticket is in the log either way */
}

/* list and show: a stream to stdout or -o (CSV unless -t or --otsv), committed only when all went well. */
static int
cmd_stream(void *ctx, int argc, char **argv)
{
	struct ctx *c = ctx;
	struct ls_error err = { 0 };
	struct ls_ticket_ops_cut torn;
	struct ls_ticket_ops_query q = { .show = strcmp(argv[0], "show") == 0, .f = &c->f };
	struct ls_writer_opts wo = { 0 };
	int i = opts(c, argc, argv, 0), rc, xlsx;

	if (!q.show && i != argc)
		usage(2);
	if (q.show && ls_ticket_ops_ids(argv + i, argc - i, &c->ids, &err) != 0)
		return ls_cli_error(&err);
	q.at = c->at;	/* the options are parsed now */
	q.ids = c->ids;
	q.nids = (size_t)(argc - i);
	/* an .xlsx by --format, or by -o's name when no --format says otherwise */
	xlsx = c->format ? strcmp(c->format, "xlsx") == 0 : ls_xlsxw_path(c->so.output);
	if (xlsx && (c->so.bom || c->so.oencoding || c->so.in.format == LS_FMT_TSV || c->so.oformat != LS_FMT_AUTO))
		return ls_cli_fail(2, "-t, --ocsv, --otsv, --bom and --oencoding are for CSV and TSV, not xlsx");
	if (xlsx && ls_xlsxw_output_check(c->so.output, stdout, &err) != 0)
		return ls_cli_fail(2, "%s", err.msg);
	if (ls_ticket_env_open(&c->env, c->log, c->sla, &err) != 0)
		return ls_cli_error(&err);
	wo.format = c->so.oformat != LS_FMT_AUTO ? c->so.oformat :
	    c->so.in.format == LS_FMT_TSV ? LS_FMT_TSV : LS_FMT_CSV;
	wo.delim = c->so.in.delim;
	wo.encoding = c->so.oencoding;
	wo.bom = c->so.bom;
	wo.keep_formulas = c->so.keep_formulas;
	if (!q.show && (c->f.overdue || (c->f.statuses & LS_QF_AT_RISK)) && c->env.sla == NULL)
		ls_cli_warn("no SLA file (--sla, or sla.yaml beside the log): no ticket is %s",
		    c->f.overdue ? "overdue" : "at risk");
	rc = xlsx ? ls_ticket_ops_write_xlsx(&c->env, &q, c->so.output, stdout, &torn, &err) :
	    ls_ticket_ops_write(&c->env, &q, c->so.output, stdout, &wo, &torn, &err);
	if (torn.line > 0)
		ls_cli_error(&torn.warning);
	return rc != 0 ? ls_cli_error(&err) : ls_finish_output();
}

/* import: a CSV or TSV appended all or nothing, or with --rejects all but the bad records. */
static int
cmd_import(void *ctx, int argc, char **argv)
{
	struct ctx *c = ctx;
	struct ls_error err = { 0 };
	struct ls_ticket_ops_import im = { 0 };
	int i = opts(c, argc, argv, 0), rc;
	const char *path = i < argc ? argv[i] : "-";

	if (argc - i > 1)
		usage(2);
	if (ls_ticket_env_open(&c->env, c->log, c->sla, &err) != 0)
		return ls_cli_error(&err);
	im.env = &c->env;
	im.rejects = c->so.rejects;
	rc = ls_ticket_ops_import_file(&im, path, &c->so.in, &err);
	if (im.cut.line > 0)
		ls_cli_error(&im.cut.warning);
	if (rc != 0) {
		rc = ls_cli_error(&err);
		if (im.refused)
			ls_cli_warn("nothing imported");
		return rc;
	}
	if (im.nskipped > 0)
		ls_cli_warn("%lu row%s imported before (ref known): skipped", im.nskipped,
		    im.nskipped == 1 ? "" : "s");
	if (im.nrejected > 0)
		ls_cli_warn("%lu bad record%s written to %s", im.nrejected, im.nrejected == 1 ? "" : "s",
		    im.rejects);
	for (size_t k = 0; k < im.nopened; k++)
		printf("T-%06ld\n", im.opened[k]);
	free(im.opened);
	return ls_finish_output();
}

/* check, and upgrade (a v1 log checked, then written again as v2) */
static int
cmd_check(void *ctx, int argc, char **argv)
{
	struct ctx *c = ctx;
	struct ls_error err = { 0 };
	struct ls_ticket_ops_check r;
	struct ls_ticket_ops_upgrade u;

	if (opts(c, argc, argv, 0) != argc)
		usage(2);
	if (ls_ticket_env_open(&c->env, c->log, c->sla, &err) != 0)
		return ls_cli_error(&err);
	if (strcmp(argv[0], "upgrade") == 0) {
		if (ls_ticket_ops_upgrade(c->env.log, &u, &err) != 0)
			return ls_cli_error(&err);
		printf("%s: upgraded from v1 to v2: %lld events, %ld tickets, hash chain added, last "
		    "hash %s; the v1 log is in %s.v1\n", c->env.log, u.nevents, u.ntickets, u.last, c->env.log);
		return ls_finish_output();
	}
	if (ls_ticket_ops_check(c->env.log, c->repair, &r, &err) != 0) {
		int rc = ls_cli_error(&err);

		/* a bad record, a broken chain above all, is evidence: never mended behind the user's back */
		if (c->repair && err.status == LS_EDATA)
			ls_cli_warn("%s: not repaired: --repair mends a torn tail, CR LF ends and blank "
			    "lines, never a record or the hash chain", c->env.log);
		return rc;
	}
	if (r.repaired && r.torn.line > 0)
		printf("%s:%ld: torn tail cut (%zu bytes); the log as it was is in %s.bak\n",
		    c->env.log, r.torn.line, r.torn.bytes, c->env.log);
	if (r.crlf > 0 || r.blank > 0)
		printf("%s: CR LF line ends: %ld, blank lines: %ld; %s%s%s\n", c->env.log, r.crlf, r.blank,
		    r.repaired ? "the log written again without them, as it was in " :
		    "read as LF ends and skipped (check --repair writes the log again without them)",
		    r.repaired ? c->env.log : "", r.repaired ? ".bak" : "");
	printf("%s: %s%s\n", c->env.log, r.version == 1 ? "a v1 log: no hash chain, no tamper evidence "
	    "(ticket-log upgrade adds one)" : "hash chain ok, last hash ", r.version == 1 ? "" : r.last);
	printf("%s: %lld events, %ld tickets, ok\n", c->env.log, r.nevents, r.ntickets);
	return ls_finish_output();
}

/* mail: a Maildir's letters, or one on stdin; a report line per letter, exit 1 when one was an error. */
static int
cmd_mail(void *ctx, int argc, char **argv)
{
	struct ctx *c = ctx;
	struct ls_error err = { 0 };
	struct ls_tmail_run r = { .stdin_name = "-" };
	int i = opts(c, argc, argv, 0), rc;
	char line[1536];

	/* one source: the Maildir, or "-" for the letter a pipe gives */
	if ((c->maildir != NULL) == (i < argc) || argc - i > 1 || (i < argc && strcmp(argv[i], "-") != 0))
		usage(2);
	if (ls_ticket_env_open(&c->env, c->log, c->sla, &err) != 0)
		return ls_cli_error(&err);
	r.env = &c->env;
	r.maildir = c->maildir;	/* known once opts() has read the command's options */
	r.addressbook = c->addressbook;
	if ((rc = ls_ticket_mail(&r, &err)) != 0)
		rc = ls_cli_error(&err);
	if (r.cut.line > 0)
		ls_cli_error(&r.cut.warning);
	for (size_t k = 0; rc == 0 && k < r.nitems; k++) {
		puts(ls_ticket_mail_line(&r.items[k], line, sizeof(line)));
		/* an error goes to stderr too, as every error does, for whoever reads only that */
		if (r.items[k].action == LS_TMAIL_ERROR)
			ls_cli_fail(1, "%s%s%s: %s", c->maildir ? c->maildir : "", c->maildir ? "/" : "",
			    r.items[k].file, r.items[k].detail);
	}
	if (r.nmoved_failed > 0)
		ls_cli_warn("%zu letters could not be moved from new/ to cur/", r.nmoved_failed);
	ls_ticket_mail_free(&r);
	if (rc != 0)
		return rc;
	return ls_finish_output() != 0 ? 1 : r.nerrors > 0;
}

int
main(int argc, char *argv[])
{
	struct ctx c = { 0 };
	const struct ls_subcmd *sub;
	int i, status;

	ls_cli_init(argv[0]);
	i = opts(&c, argc, argv, 1);
	if (ls_cli_clock() != 0)
		return 2;
	if (i >= argc)
		usage(2);
	if ((sub = ls_subcmd_find(commands, argv[i])) == NULL)
		return ls_cli_fail(2, "unknown command '%s' (ticket-log --help lists them)", argv[i]);
	status = sub->run(&c, argc - i, argv + i);
	ls_ticket_env_free(&c.env);
	ls_buf_free(&c.text);
	free(c.ids);
	return status;
}

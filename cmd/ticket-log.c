/*
 * ticket-log - client support's ticket journal (ticket-log(1)).  The log
 * file is ticket.c's, the appends and the import ticket_ops.c's, the
 * replay, filters and SLA clocks queue.c's and sla.c's, the log's
 * surroundings (SLA file, zone, TICKET_LOG_NOW) ticket_env.c's; this file
 * declares the commands and their options and turns each into one call.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "cli_list.h"
#include "lifecycle.h"
#include "queue.h"
#include "record.h"
#include "ticket.h"
#include "ticket_env.h"
#include "ticket_ops.h"
#include "util.h"

enum { OPT_SLA = LS_OPT_TOOL, OPT_CLIENT, OPT_SUBJECT, OPT_PRIORITY, OPT_AGENT, OPT_CHANNEL,
	OPT_STATUS, OPT_OVERDUE, OPT_AT, OPT_REPAIR };

/* Everything the options of any command set; a run uses its own part. */
struct ctx {
	const char *log, *sla, *at;	/* -f, --sla, --at: NULL when not given */
	struct ls_ticket_env env;
	struct ls_stream_opts so;
	struct ls_tevent_req e;
	struct ls_queue_filter f;
	int repair;
	struct ls_buf text;		/* the words after the arguments, joined */
};

static const struct ls_opt log_opts[] = {
	{ "file", 'f', 'f', "LOG", "the ticket log (default $TICKET_LOG, else ./tickets.csv)" },
	{ "sla", 0, OPT_SLA, "FILE", "SLA targets (default sla.yaml beside the log, when there is one)" },
	{ NULL, 0, 0, NULL, NULL }
};
static const struct ls_opt open_opts[] = {
	{ "client", 0, OPT_CLIENT, "C", "the client (required)" },
	{ "subject", 0, OPT_SUBJECT, "S", "what the ticket is about (required)" },
	{ "priority", 0, OPT_PRIORITY, "P", "low, normal (the default), high or urgent" },
	{ "agent", 0, OPT_AGENT, "A", "who works on it" },
	{ "channel", 0, OPT_CHANNEL, "CH", "phone, email or chat" },
	{ NULL, 0, 0, NULL, NULL }
};
static const struct ls_opt channel_opts[] = {
	{ "channel", 0, OPT_CHANNEL, "CH", "phone, email or chat" },
	{ NULL, 0, 0, NULL, NULL }
};
static const struct ls_opt list_opts[] = {
	{ "status", 0, OPT_STATUS, "S,...", "only tickets in these statuses" },
	{ "client", 0, OPT_CLIENT, "C", "only this client's tickets" },
	{ "agent", 0, OPT_AGENT, "A", "only this agent's tickets" },
	{ "overdue", 0, OPT_OVERDUE, NULL, "only breached tickets not solved or closed" },
	{ "at", 0, OPT_AT, "TIME", "the queue as of TIME (RFC 3339, or DATE [HH:MM])" },
	{ NULL, 0, 0, NULL, NULL }
};
/* list and show write a stream: -t and -d say how, as they always have */
static const struct ls_opt write_opts[] = {
	{ "tsv", 't', 't', NULL, "write TSV" },
	{ "delimiter", 'd', 'd', "CHAR", "CSV delimiter of the output" },
	{ NULL, 0, 0, NULL, NULL }
};
static const struct ls_opt check_opts[] = {
	{ "repair", 0, OPT_REPAIR, NULL, "cut a torn tail after copying the log to LOG.bak" },
	{ NULL, 0, 0, NULL, NULL }
};

static const struct ls_opt *const top_tables[] = { log_opts, ls_basic_options, NULL };
static const struct ls_opt *const open_tables[] = { open_opts, log_opts, ls_basic_options, NULL };
static const struct ls_opt *const note_tables[] = { channel_opts, log_opts, ls_basic_options, NULL };
static const struct ls_opt *const plain_tables[] = { log_opts, ls_basic_options, NULL };
static const struct ls_opt *const list_tables[] = {
	list_opts, write_opts, ls_output_options, log_opts, ls_basic_options, NULL
};
static const struct ls_opt *const show_tables[] = {
	write_opts, ls_output_options, log_opts, ls_basic_options, NULL
};
static const struct ls_opt *const import_tables[] = {
	ls_input_options, log_opts, ls_basic_options, NULL
};
static const struct ls_opt *const check_tables[] = { check_opts, log_opts, ls_basic_options, NULL };

static int cmd_event(void *, int, char **);
static int cmd_list(void *, int, char **);
static int cmd_show(void *, int, char **);
static int cmd_import(void *, int, char **);
static int cmd_check(void *, int, char **);

static const struct ls_subcmd commands[] = {
	{ "open", "--client C --subject S [--priority P] [--agent A] [--channel CH] [TEXT]",
	  "open a ticket; prints its id", open_tables, cmd_event },
	{ "note", "ID TEXT", "add an internal note", note_tables, cmd_event },
	{ "reply", "ID TEXT [--channel CH]", "record an answer to the client", note_tables, cmd_event },
	{ "status", "ID STATUS [TEXT]", "move to new|open|pending|solved|closed", plain_tables, cmd_event },
	{ "assign", "ID AGENT", "hand the ticket to an agent", plain_tables, cmd_event },
	{ "close", "ID [TEXT]", "close the ticket", plain_tables, cmd_event },
	{ "reopen", "ID [TEXT]", "reopen a solved or closed ticket", plain_tables, cmd_event },
	{ "list", "[--status S,..] [--client C] [--agent A] [--overdue] [--at TIME] [-t] [-o FILE]",
	  "the tickets stream, as of now or TIME", list_tables, cmd_list },
	{ "show", "[ID ...] [-t] [-o FILE]", "the events of the tickets named (all without ID)",
	  show_tables, cmd_show },
	{ "import", "[-t] [-d CHAR] [--encoding NAME] [--lazy-quotes] [FILE]",
	  "append events from a CSV, all or nothing", import_tables, cmd_import },
	{ "check", "[--repair]", "verify the log; --repair cuts a torn tail", check_tables, cmd_check },
	{ NULL, NULL, NULL, NULL, NULL }
};

#define PREFIX "ticket-log [-f LOG] [--sla SLA.yaml]"
static struct ls_getopt g;

static _Noreturn void
usage(int status)
{
	exit(ls_cli_usage(&g, status));
}

/* Parse a command's options into c (argv[0] names it); returns the index of its first argument. */
static int
opts(struct ctx *c, int argc, char **argv)
{
	struct ls_error err = { 0 };
	int ch, rc;

	if (ls_getopt_subcmd(&g, ls_subcmd_find(commands, argv[0]), PREFIX, &err) != 0)
		exit(ls_cli_error(&err));
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
		case OPT_PRIORITY:
			if (ls_priority_parse(optarg, strlen(optarg), &c->e.priority) != 0)
				exit(ls_cli_fail(2, "unknown priority '%s' (expected low, normal, high or urgent)",
				    optarg));
			break;
		case OPT_CHANNEL:
			if (!ls_channel_valid(optarg, strlen(optarg)))
				exit(ls_cli_fail(2, "unknown channel '%s' (expected phone, email or chat)", optarg));
			c->e.channel = optarg;
			break;
		case OPT_STATUS:
			if (ls_cli_list_parse(optarg, ls_tstatus_names, "status", &c->f.statuses, &err) != 0)
				exit(ls_cli_fail(2, "--status: %s", err.msg));
			break;
		case 'h': usage(0);
		case LS_OPT_VERSION: exit(ls_cli_version());
		default: usage(2);
		}
	}
	return optind;
}

/* The log, its SLA, zone and clock; 0 or an exit status after the message. */
static int
setup(struct ctx *c)
{
	struct ls_error err = { 0 };

	if (ls_ticket_env_open(&c->env, ls_ticket_env_log(c->log), c->sla, &err) != 0)
		return ls_cli_error(&err);
	return 0;
}

static void
warn_cut(const char *log, const struct ls_ticket_ops_cut *cut)
{
	if (cut->line > 0)
		ls_cli_warn("%s:%ld: torn tail cut (%zu bytes of a write cut short, saved to %s.torn)",
		    log, cut->line, cut->bytes, log);
}

static void
warn_torn(struct ls_tlog *l)
{
	long line;
	size_t bytes;

	if (ls_tlog_torn(l, &line, &bytes))
		ls_cli_warn("%s:%ld: torn tail skipped (%zu bytes of a write cut short; "
		    "ticket-log check --repair cuts it)", ls_tlog_path(l), line, bytes);
}

/* A ticket id argument; exits with status 2 after a message when it is not one. */
static long
arg_id(const char *s)
{
	long id;

	if (ls_ticket_id_parse(s, strlen(s), &id) != 0)
		exit(ls_cli_fail(2, "'%s' is not a ticket id (T-000001)", s));
	return id;
}

/* argv[0..argc) joined by spaces into c->text; NULL when there is none. */
static const char *
join(struct ctx *c, int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if ((i > 0 && ls_buf_puts(&c->text, " ") != 0) || ls_buf_puts(&c->text, argv[i]) != 0)
			exit(ls_cli_fail(1, "out of memory"));
	return argc > 0 ? c->text.p : NULL;
}

/* open, note, reply, status, assign, close, reopen: one event appended. */
static int
cmd_event(void *ctx, int argc, char **argv)
{
	static const int nargs[LS_EV_COUNT][2] = {	/* arguments before the text: at least, at most */
		[LS_EV_OPEN] = { 0, 0 }, [LS_EV_NOTE] = { 2, 1 }, [LS_EV_REPLY] = { 2, 1 },
		[LS_EV_STATUS] = { 2, 2 }, [LS_EV_ASSIGN] = { 2, 2 }, [LS_EV_CLOSE] = { 1, 1 },
		[LS_EV_REOPEN] = { 1, 1 } };
	struct ctx *c = ctx;
	struct ls_tevent_req *e = &c->e;
	struct ls_ticket_ops_cut cut;
	struct ls_error err = { 0 };
	int i, rc, n;

	e->priority = LS_PRIO_NORMAL;
	ls_tevent_parse(argv[0], strlen(argv[0]), &e->ev);
	i = opts(c, argc, argv);
	n = argc - i;
	if (n < nargs[e->ev][0] || (e->ev == LS_EV_ASSIGN && n != 2))
		usage(2);
	if (e->ev != LS_EV_OPEN)
		e->id = arg_id(argv[i]);
	if (e->ev == LS_EV_STATUS && ls_tstatus_parse(argv[i + 1], strlen(argv[i + 1]), &e->want) != 0)
		return ls_cli_fail(2, "unknown status '%s' (expected new, open, pending, solved or closed)",
		    argv[i + 1]);
	if (e->ev == LS_EV_ASSIGN && ls_ticket_ops_blank(e->agent = argv[i + 1]))
		return ls_cli_fail(2, "assign: the agent is empty");
	if (e->ev == LS_EV_OPEN && ls_ticket_ops_blank(e->client))
		return ls_cli_fail(2, "open: --client must name the client");
	if (e->ev == LS_EV_OPEN && ls_ticket_ops_blank(e->subject))
		return ls_cli_fail(2, "open: --subject must say what the ticket is about");
	e->text = join(c, n - nargs[e->ev][1], argv + i + nargs[e->ev][1]);
	if ((e->ev == LS_EV_NOTE || e->ev == LS_EV_REPLY) && ls_ticket_ops_blank(e->text))
		return ls_cli_fail(2, "%s: the text is empty", argv[0]);
	if ((rc = setup(c)) != 0)
		return rc;
	e->ts = c->env.now;
	rc = ls_ticket_ops_append(c->env.log, c->env.tz, e, &e->id, &cut, &err);
	warn_cut(c->env.log, &cut);
	if (rc != 0)
		return ls_cli_error(&err);
	if (e->ev != LS_EV_OPEN)
		return 0;
	printf("T-%06ld\n", e->id);
	return ls_finish_output();	/* the ticket is in the log either way */
}

/* A writer for list and show: stdout or -o, CSV unless -t or --otsv. */
static struct ls_writer *
open_output(struct ctx *c, struct ls_error *err)
{
	struct ls_writer_opts wo = { 0 };

	wo.format = c->so.oformat != LS_FMT_AUTO ? c->so.oformat :
	    c->so.in.format == LS_FMT_TSV ? LS_FMT_TSV : LS_FMT_CSV;
	wo.delim = c->so.in.delim;
	wo.encoding = c->so.oencoding;
	wo.bom = c->so.bom;
	return ls_writer_open(c->so.output, stdout, &wo, err);
}

/* Finish an output: commit -o, check stdout. */
static int
close_output(struct ls_writer *w)
{
	struct ls_error err = { 0 };
	int status = 0;

	if (ls_writer_commit(w, &err) != 0)
		status = ls_cli_error(&err);
	ls_writer_free(w);
	return status != 0 ? status : ls_finish_output();
}

static int
cmd_list(void *ctx, int argc, char **argv)
{
	struct ctx *c = ctx;
	struct ls_error err = { 0 };
	struct ls_ticket_row row;
	struct ls_queue *q = NULL;
	struct ls_tlog *l = NULL;
	struct ls_writer *w;
	int64_t until = -1;
	int status;

	if (opts(c, argc, argv) != argc)
		usage(2);
	if ((status = setup(c)) != 0)
		return status;
	if (c->at && ls_tlog_parse_time(c->at, c->env.tz, c->env.now, &until, &err) != 0)
		return ls_cli_fail(2, "--at: %s", err.msg);
	if (c->at)
		c->env.now = until;
	if (c->f.overdue && c->env.sla == NULL)
		ls_cli_warn("no SLA file (--sla, or sla.yaml beside the log): no ticket is overdue");
	if ((q = ls_queue_new(c->env.sla, &err)) == NULL ||
	    (l = ls_tlog_open(c->env.log, LS_TLOG_READ, &err)) == NULL ||
	    ls_ticket_ops_replay(l, q, 0, until, NULL, &err) != 0) {
		status = ls_cli_error(&err);
		goto done;
	}
	warn_torn(l);
	/* the lock is not needed for what is in memory */
	ls_tlog_close(l);
	l = NULL;
	if ((w = open_output(c, &err)) == NULL) {
		status = ls_cli_error(&err);
		goto done;
	}
	for (int i = 0; ls_tickets_columns[i]; i++)
		ls_writer_cstr(w, ls_tickets_columns[i]);
	ls_writer_end(w);
	for (long id = 1; id <= ls_queue_count(q) && ls_writer_status(w) == 0; id++)
		if (ls_queue_select(q, id, &c->f, c->env.now, c->env.tz, &row))
			ls_writer_row(w, row.f, LS_TK_NCOLS);
	status = close_output(w);
done:
	ls_tlog_close(l);
	ls_queue_free(q);
	return status;
}

static int
cmd_show(void *ctx, int argc, char **argv)
{
	struct ctx *c = ctx;
	struct ls_error err = { 0 };
	struct ls_tlog *l = NULL;
	struct ls_writer *w = NULL;
	struct ls_tlog_rec r;
	long *ids = NULL, maxwant = 0;
	int i = opts(c, argc, argv), nids = argc - i, rc, status = 0;

	if (nids > 0 && (ids = calloc((size_t)nids, sizeof(*ids))) == NULL)
		return ls_cli_fail(1, "out of memory");
	for (int k = 0; k < nids; k++)
		if ((ids[k] = arg_id(argv[i + k])) > maxwant)
			maxwant = ids[k];
	if ((status = setup(c)) != 0 ||
	    (l = ls_tlog_open(c->env.log, LS_TLOG_READ, &err)) == NULL ||
	    (w = open_output(c, &err)) == NULL) {
		status = status ? status : ls_cli_error(&err);
		goto done;
	}
	for (int k = 0; ls_tlog_columns[k]; k++)
		ls_writer_cstr(w, ls_tlog_columns[k]);
	ls_writer_end(w);
	while (ls_writer_status(w) == 0 && (rc = ls_tlog_next(l, &r, &err)) > 0) {
		int want = nids == 0;
		for (int k = 0; k < nids && !want; k++)
			want = ids[k] == r.id;
		if (want)
			ls_writer_row(w, r.f, LS_TC_NCOLS);
	}
	if (rc < 0) {
		status = ls_cli_error(&err);
		goto done;
	}
	warn_torn(l);
	if (maxwant > ls_tlog_maxid(l)) {
		status = ls_cli_fail(1, "%s: no ticket T-%06ld", c->env.log, maxwant);
		goto done;
	}
	status = close_output(w);
	w = NULL;
done:
	free(ids);
	ls_writer_free(w);
	ls_tlog_close(l);
	return status;
}

static int
cmd_import(void *ctx, int argc, char **argv)
{
	struct ctx *c = ctx;
	struct ls_error err = { 0 };
	struct ls_reader *in;
	struct ls_ticket_ops_cut cut;
	long *opened;
	size_t nopened;
	int i = opts(c, argc, argv), rc, refused;
	const char *path = i < argc ? argv[i] : "-";

	if (argc - i > 1)
		usage(2);
	if ((rc = setup(c)) != 0)
		return rc;
	if ((in = ls_reader_open(&path, 1, &c->so.in, &err)) == NULL)
		return ls_cli_error(&err);
	rc = ls_ticket_ops_import(c->env.log, c->env.tz, c->env.now, in,
	    strcmp(path, "-") == 0 ? "stdin" : path, &opened, &nopened, &refused, &cut, &err);
	ls_reader_free(in);
	warn_cut(c->env.log, &cut);
	if (rc != 0) {
		rc = ls_cli_error(&err);
		if (refused)
			ls_cli_warn("nothing imported");
		return rc;
	}
	for (size_t k = 0; k < nopened; k++)
		printf("T-%06ld\n", opened[k]);
	free(opened);
	return ls_finish_output();
}

static int
cmd_check(void *ctx, int argc, char **argv)
{
	struct ctx *c = ctx;
	struct ls_error err = { 0 };
	struct ls_queue *q = NULL;
	struct ls_tlog *l = NULL;
	long long nev = 0;
	long line;
	size_t bytes;
	char *backup = NULL;
	int status;

	if (opts(c, argc, argv) != argc)
		usage(2);
	if ((status = setup(c)) != 0)
		return status;
	if ((q = ls_queue_new(NULL, &err)) == NULL ||
	    (l = ls_tlog_open(c->env.log, c->repair ? LS_TLOG_WRITE : LS_TLOG_READ, &err)) == NULL ||
	    ls_ticket_ops_replay(l, q, 1, -1, &nev, &err) != 0) {
		status = ls_cli_error(&err);
		goto done;
	}
	if (ls_tlog_torn(l, &line, &bytes)) {
		if (!c->repair) {
			status = ls_cli_fail(1, "%s:%ld: torn tail (%zu bytes of a write cut short; "
			    "check --repair cuts it)", c->env.log, line, bytes);
			goto done;
		}
		if ((backup = ls_concat(c->env.log, ".bak")) == NULL) {
			status = ls_cli_fail(1, "out of memory");
			goto done;
		}
		if (ls_tlog_repair(l, backup, &err) != 0) {
			status = ls_cli_error(&err);
			goto done;
		}
		printf("%s:%ld: torn tail cut (%zu bytes); the log as it was is in %s\n",
		    c->env.log, line, bytes, backup);
	}
	printf("%s: %lld events, %ld tickets, ok\n", c->env.log, nev, ls_queue_count(q));
	status = ls_finish_output();
done:
	free(backup);
	ls_tlog_close(l);
	ls_queue_free(q);
	return status;
}

int
main(int argc, char *argv[])
{
	struct ctx c = { 0 };
	const struct ls_subcmd *sub;
	struct ls_error err = { 0 };
	int ch, status;

	ls_cli_init(argv[0]);
	if (ls_getopt_init(&g, top_tables, PREFIX " COMMAND [ARGS]", &err) != 0)
		return ls_cli_error(&err);
	g.cmds = commands;
	/* stop at the command: its own options come after it (a leading '+', as for getopt(1)) */
	memmove(g.shortopts + 1, g.shortopts, strlen(g.shortopts) + 1);
	g.shortopts[0] = '+';
	while ((ch = ls_getopt_next(&g, argc, argv)) != -1) {
		switch (ch) {
		case 'f': c.log = optarg; break;
		case OPT_SLA: c.sla = optarg; break;
		case 'h': usage(0);
		case LS_OPT_VERSION: return ls_cli_version();
		default: usage(2);
		}
	}
	if (ls_cli_clock() != 0)
		return 2;
	if (optind >= argc)
		usage(2);
	if ((sub = ls_subcmd_find(commands, argv[optind])) == NULL)
		return ls_cli_fail(2, "unknown command '%s' (ticket-log --help lists them)", argv[optind]);
	argc -= optind;
	argv += optind;
	status = sub->run(&c, argc, argv);
	ls_ticket_env_free(&c.env);
	ls_buf_free(&c.text);
	return status;
}

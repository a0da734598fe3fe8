/*
 * ticket-log - client support's ticket journal (ticket-log(1)).  The log
 * file is ticket.c's, the replay and SLA clocks queue.c's and sla.c's, the
 * status table lifecycle.c's; this file parses the command line, picks the
 * command, and turns each command into events or rows.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "keyset.h"
#include "lifecycle.h"
#include "queue.h"
#include "record.h"
#include "sla.h"
#include "ticket.h"
#include "ticket_ops.h"
#include "util.h"
#include "writer.h"

enum {
	OPT_SLA = LS_OPT_TOOL,
	OPT_CLIENT,
	OPT_SUBJECT,
	OPT_PRIORITY,
	OPT_AGENT,
	OPT_CHANNEL,
	OPT_STATUS,
	OPT_OVERDUE,
	OPT_AT,
	OPT_REPAIR
};

struct ctx {
	const char *log;		/* -f, $TICKET_LOG, ./tickets.csv */
	const char *sla_path;		/* --sla, or NULL: sla.yaml beside the log when there is one */
	struct ls_sla *sla;
	struct ls_tz *tz;		/* the SLA's zone, else the process's: timestamps are written in it */
	struct ls_tz *own_tz;
	int64_t now;
	struct ls_stream_opts so;
};

struct command {
	const char *name, *args, *help;
	int (*run)(struct ctx *, int, char **);
};

static int cmd_open(struct ctx *, int, char **);
static int cmd_note(struct ctx *, int, char **);
static int cmd_status(struct ctx *, int, char **);
static int cmd_assign(struct ctx *, int, char **);
static int cmd_close(struct ctx *, int, char **);
static int cmd_list(struct ctx *, int, char **);
static int cmd_show(struct ctx *, int, char **);
static int cmd_import(struct ctx *, int, char **);
static int cmd_check(struct ctx *, int, char **);

static const struct command commands[] = {
	{ "open", "--client C --subject S [--priority P] [--agent A] [--channel CH] [TEXT]",
	  "open a ticket; prints its id", cmd_open },
	{ "note", "ID TEXT", "add an internal note", cmd_note },
	{ "reply", "ID TEXT [--channel CH]", "record an answer to the client", cmd_note },
	{ "status", "ID STATUS [TEXT]", "move to new|open|pending|solved|closed", cmd_status },
	{ "assign", "ID AGENT", "hand the ticket to an agent", cmd_assign },
	{ "close", "ID [TEXT]", "close the ticket", cmd_close },
	{ "reopen", "ID [TEXT]", "reopen a solved or closed ticket", cmd_close },
	{ "list", "[--status S,..] [--client C] [--agent A] [--overdue] [--at TIME] [-t] [-o FILE]",
	  "the tickets stream, as of now or TIME", cmd_list },
	{ "show", "[ID ...] [-t] [-o FILE]", "the events of the tickets named (all without ID)",
	  cmd_show },
	{ "import", "[-d CHAR] [-t] [--encoding NAME] [FILE]",
	  "append events from a CSV, all or nothing", cmd_import },
	{ "check", "[--repair]", "verify the log; --repair cuts a torn tail", cmd_check },
	{ NULL, NULL, NULL, NULL }
};

static const struct option top_longopts[] = {
	{ "file", required_argument, NULL, 'f' },
	{ "sla", required_argument, NULL, OPT_SLA },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, LS_OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static _Noreturn void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: ticket-log [-f LOG] [--sla SLA.yaml] COMMAND [ARGS]\n\ncommands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(fp, "  %-7s %s\n          %s\n", c->name, c->args, c->help);
	fprintf(fp, "\noptions (before or after the command):\n"
	    "  -f, --file LOG      the ticket log (default $TICKET_LOG, else ./tickets.csv)\n"
	    "  --sla FILE          SLA targets (default sla.yaml beside the log, when there is one)\n"
	    "  -h, --help          this help; COMMAND -h: that command's usage\n"
	    "  --version           print the version\n"
	    "open:\n"
	    "  --client C          the client (required)\n"
	    "  --subject S         what the ticket is about (required)\n"
	    "  --priority P        low, normal (the default), high or urgent\n"
	    "  --agent A           who works on it\n"
	    "  --channel CH        phone, email or chat (reply takes it too)\n"
	    "list:\n"
	    "  --status S,...      only tickets in these statuses\n"
	    "  --client C          only this client's tickets\n"
	    "  --agent A           only this agent's tickets\n"
	    "  --overdue           only breached tickets not solved or closed\n"
	    "  --at TIME           the queue as of TIME (RFC 3339, or DATE [HH:MM])\n"
	    "list and show:\n"
	    "  -t, --tsv           write TSV (import: read TSV)\n"
	    "  -d CHAR             CSV delimiter (import: of the input)\n"
	    "  -o FILE             write FILE (atomically) instead of standard output\n"
	    "  --ocsv, --otsv      write CSV, TSV\n"
	    "import:\n"
	    "  --encoding NAME     the input's encoding (iconv name, e.g. cp1251)\n"
	    "check:\n"
	    "  --repair            cut a torn tail after copying the log to LOG.bak\n");
	exit(status);
}

static _Noreturn void
cmd_usage(const char *name, FILE *fp, int status)
{
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			fprintf(fp, "usage: ticket-log [-f LOG] [--sla SLA.yaml] %s %s\n", c->name, c->args);
	exit(status);
}

/*
 * Options every command takes after its name too (-f, --sla, -h), and the
 * stream ones for list and show.  Returns 1 when handled.
 */
static int
common_opt(struct ctx *c, const char *cmd, int ch, const char *arg)
{
	switch (ch) {
	case 'f':
		c->log = arg;
		return 1;
	case OPT_SLA:
		c->sla_path = arg;
		return 1;
	case 'h':
		cmd_usage(cmd, stdout, 0);
	case '?':
	case ':':
		cmd_usage(cmd, stderr, 2);
	}
	return 0;
}

#define COMMON_LONGOPTS \
	{ "file", required_argument, NULL, 'f' }, \
	{ "sla", required_argument, NULL, OPT_SLA }, \
	{ "help", no_argument, NULL, 'h' }

/* Load the SLA (--sla, or sla.yaml beside the log) and the zone; 0 or an exit status. */
static int
setup(struct ctx *c)
{
	struct ls_error err = { 0 };
	const char *env, *slash;
	char *beside = NULL;
	struct stat st;

	if (c->sla_path == NULL) {
		slash = strrchr(c->log, '/');
		if (slash == NULL)
			beside = ls_concat("", "sla.yaml");
		else if ((beside = malloc((size_t)(slash - c->log) + 10)) != NULL) {
			memcpy(beside, c->log, (size_t)(slash - c->log) + 1);
			strcpy(beside + (slash - c->log) + 1, "sla.yaml");
		}
		if (beside == NULL)
			return ls_cli_fail(1, "out of memory");
		if (stat(beside, &st) == 0)
			c->sla_path = beside;
	}
	if (c->sla_path && (c->sla = ls_sla_load(c->sla_path, &err)) == NULL) {
		free(beside);
		return ls_cli_error(&err);
	}
	free(beside);
	c->sla_path = NULL;
	if (c->sla)
		c->tz = ls_sla_tz(c->sla);
	else if ((c->tz = c->own_tz = ls_tz_open(NULL, &err)) == NULL)
		return ls_cli_error(&err);
	c->now = (int64_t)time(NULL);
	/* a fixed clock for tests and for replaying a day's commands */
	if ((env = getenv("TICKET_LOG_NOW")) != NULL && env[0] != '\0' &&
	    ls_tlog_parse_time(env, c->tz, c->now, &c->now, &err) != 0)
		return ls_cli_fail(2, "TICKET_LOG_NOW: %s", err.msg);
	return 0;
}

/* Say what a write did with a torn tail it found. */
static void
warn_cut(const char *log, const struct ls_tlog_cut *cut)
{
	if (cut->line > 0)
		ls_cli_warn("%s:%ld: torn tail cut (%zu bytes of a write cut short, saved to %s.torn)",
		    log, cut->line, cut->bytes, log);
}

/* A reader's word on a torn tail it skipped. */
static void
warn_torn(struct ls_tlog *l)
{
	long line;
	size_t bytes;

	if (ls_tlog_torn(l, &line, &bytes))
		ls_cli_warn("%s:%ld: torn tail skipped (%zu bytes of a write cut short; "
		    "ticket-log check --repair cuts it)", ls_tlog_path(l), line, bytes);
}

/* Append one event (the whole command's work after its arguments); prints the id for open. */
static int
append_one(struct ctx *c, struct ls_tevent_req *e)
{
	struct ls_error err = { 0 };
	struct ls_tlog_cut cut;
	long id;
	int rc;

	e->ts = c->now;
	rc = ls_tlog_append_event(c->log, c->tz, e, &id, &cut, &err);
	warn_cut(c->log, &cut);
	if (rc != 0)
		return ls_cli_error(&err);
	if (e->ev == LS_EV_OPEN) {
		printf("T-%06ld\n", id);
		return ls_finish_output();	/* the ticket is in the log either way */
	}
	return 0;
}

/* A ticket id argument; exit status 2 after a message when it is not one. */
static int
arg_id(const char *s, long *id)
{
	if (ls_ticket_id_parse(s, strlen(s), id) != 0)
		return ls_cli_fail(2, "'%s' is not a ticket id (T-000001)", s);
	return 0;
}

static int
blank(const char *s)
{
	return s == NULL || s[strspn(s, " \t\r\n")] == '\0';
}

/* argv[0..argc) joined by spaces, in a static buffer (commands run once); NULL when empty. */
static char *
join(int argc, char **argv)
{
	static char *buf;
	size_t n = 0;

	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	free(buf);
	if (argc == 0 || (buf = malloc(n)) == NULL)
		return buf = NULL;
	buf[0] = '\0';
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(buf, " ");
		strcat(buf, argv[i]);
	}
	return buf;
}

static int
parse_channel(const char *s)
{
	if (!ls_channel_valid(s, strlen(s)))
		return ls_cli_fail(2, "unknown channel '%s' (expected phone, email or chat)", s);
	return 0;
}

static int
cmd_open(struct ctx *c, int argc, char **argv)
{
	static const struct option lo[] = {
		COMMON_LONGOPTS,
		{ "client", required_argument, NULL, OPT_CLIENT },
		{ "subject", required_argument, NULL, OPT_SUBJECT },
		{ "priority", required_argument, NULL, OPT_PRIORITY },
		{ "agent", required_argument, NULL, OPT_AGENT },
		{ "channel", required_argument, NULL, OPT_CHANNEL },
		{ NULL, 0, NULL, 0 }
	};
	struct ls_tevent_req e = { .ev = LS_EV_OPEN, .priority = LS_PRIO_NORMAL };
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "f:h", lo, NULL)) != -1) {
		if (common_opt(c, "open", ch, optarg))
			continue;
		switch (ch) {
		case OPT_CLIENT:
			e.client = optarg;
			break;
		case OPT_SUBJECT:
			e.subject = optarg;
			break;
		case OPT_PRIORITY:
			if (ls_priority_parse(optarg, strlen(optarg), &e.priority) != 0)
				return ls_cli_fail(2, "unknown priority '%s' (expected low, normal, high or urgent)",
				    optarg);
			break;
		case OPT_AGENT:
			e.agent = optarg;
			break;
		case OPT_CHANNEL:
			if ((rc = parse_channel(optarg)) != 0)
				return rc;
			e.channel = optarg;
			break;
		}
	}
	if (blank(e.client))
		return ls_cli_fail(2, "open: --client must name the client");
	if (blank(e.subject))
		return ls_cli_fail(2, "open: --subject must say what the ticket is about");
	e.text = join(argc - optind, argv + optind);
	if ((rc = setup(c)) != 0)
		return rc;
	return append_one(c, &e);
}

/* note and reply: ID TEXT... */
static int
cmd_note(struct ctx *c, int argc, char **argv)
{
	static const struct option lo[] = {
		COMMON_LONGOPTS,
		{ "channel", required_argument, NULL, OPT_CHANNEL },
		{ NULL, 0, NULL, 0 }
	};
	const char *name = argv[0];
	struct ls_tevent_req e = { .ev = strcmp(name, "reply") == 0 ? LS_EV_REPLY : LS_EV_NOTE };
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "f:h", lo, NULL)) != -1) {
		if (common_opt(c, name, ch, optarg))
			continue;
		if (ch == OPT_CHANNEL) {
			if ((rc = parse_channel(optarg)) != 0)
				return rc;
			e.channel = optarg;
		}
	}
	if (argc - optind < 2)
		cmd_usage(name, stderr, 2);
	if ((rc = arg_id(argv[optind], &e.id)) != 0)
		return rc;
	e.text = join(argc - optind - 1, argv + optind + 1);
	if (blank(e.text))
		return ls_cli_fail(2, "%s: the text is empty", name);
	if ((rc = setup(c)) != 0)
		return rc;
	return append_one(c, &e);
}

/* The options of a command that takes only the common ones; returns optind. */
static int
plain_opts(struct ctx *c, int argc, char **argv)
{
	static const struct option lo[] = { COMMON_LONGOPTS, { NULL, 0, NULL, 0 } };
	int ch;

	while ((ch = getopt_long(argc, argv, "f:h", lo, NULL)) != -1)
		common_opt(c, argv[0], ch, optarg);
	return optind;
}

static int
cmd_status(struct ctx *c, int argc, char **argv)
{
	struct ls_tevent_req e = { .ev = LS_EV_STATUS };
	int i = plain_opts(c, argc, argv), rc;
	const char *s;

	if (argc - i < 2)
		cmd_usage("status", stderr, 2);
	if ((rc = arg_id(argv[i], &e.id)) != 0)
		return rc;
	s = argv[i + 1];
	if (ls_tstatus_parse(s, strlen(s), &e.want) != 0)
		return ls_cli_fail(2, "unknown status '%s' (expected new, open, pending, solved or closed)", s);
	e.text = join(argc - i - 2, argv + i + 2);
	if ((rc = setup(c)) != 0)
		return rc;
	return append_one(c, &e);
}

static int
cmd_assign(struct ctx *c, int argc, char **argv)
{
	struct ls_tevent_req e = { .ev = LS_EV_ASSIGN };
	int i = plain_opts(c, argc, argv), rc;

	if (argc - i != 2)
		cmd_usage("assign", stderr, 2);
	if ((rc = arg_id(argv[i], &e.id)) != 0)
		return rc;
	if (blank(argv[i + 1]))
		return ls_cli_fail(2, "assign: the agent is empty");
	e.agent = argv[i + 1];
	if ((rc = setup(c)) != 0)
		return rc;
	return append_one(c, &e);
}

/* close and reopen: ID [TEXT] */
static int
cmd_close(struct ctx *c, int argc, char **argv)
{
	struct ls_tevent_req e = { .ev = strcmp(argv[0], "close") == 0 ? LS_EV_CLOSE : LS_EV_REOPEN };
	int i = plain_opts(c, argc, argv), rc;

	if (argc - i < 1)
		cmd_usage(argv[0], stderr, 2);
	if ((rc = arg_id(argv[i], &e.id)) != 0)
		return rc;
	e.text = join(argc - i - 1, argv + i + 1);
	if ((rc = setup(c)) != 0)
		return rc;
	return append_one(c, &e);
}

/* A writer for list and show: stdout or -o, CSV unless -t or --otsv. */
static struct ls_writer *
open_output(struct ctx *c, struct ls_error *err)
{
	struct ls_writer_opts wo = { 0 };

	wo.format = c->so.oformat != LS_FMT_AUTO ? c->so.oformat :
	    c->so.in.format == LS_FMT_TSV ? LS_FMT_TSV : LS_FMT_CSV;
	wo.delim = c->so.in.delim;
	return ls_writer_open(c->so.output, stdout, &wo, err);
}

/* The stream options list and show take; 1 when ch was one, -1 after a usage error. */
static int
output_opt(struct ctx *c, int ch, const char *arg)
{
	if (ch != 'd' && ch != 't' && ch != 'o' && ch != LS_OPT_OCSV && ch != LS_OPT_OTSV)
		return 0;
	return ls_cli_stream_opt(ch, arg, &c->so);
}

#define OUTPUT_LONGOPTS \
	{ "tsv", no_argument, NULL, 't' }, \
	{ "delimiter", required_argument, NULL, 'd' }, \
	{ "output", required_argument, NULL, 'o' }, \
	{ "ocsv", no_argument, NULL, LS_OPT_OCSV }, \
	{ "otsv", no_argument, NULL, LS_OPT_OTSV }

/* Finish an output: commit -o, check stdout.  status so far is kept when not 0. */
static int
close_output(struct ls_writer *w, int status)
{
	struct ls_error err = { 0 };

	if (status == 0 && ls_writer_commit(w, &err) != 0)
		status = ls_cli_error(&err);
	ls_writer_free(w);
	if (status == 0)
		status = ls_finish_output();
	return status;
}

static int
cmd_list(struct ctx *c, int argc, char **argv)
{
	static const struct option lo[] = {
		COMMON_LONGOPTS, OUTPUT_LONGOPTS,
		{ "status", required_argument, NULL, OPT_STATUS },
		{ "client", required_argument, NULL, OPT_CLIENT },
		{ "agent", required_argument, NULL, OPT_AGENT },
		{ "overdue", no_argument, NULL, OPT_OVERDUE },
		{ "at", required_argument, NULL, OPT_AT },
		{ NULL, 0, NULL, 0 }
	};
	struct ls_error err = { 0 };
	const char *client = NULL, *agent = NULL, *at = NULL;
	unsigned statuses = 0;
	int ch, rc, overdue = 0, status = 0;
	int64_t until = -1;
	struct ls_queue *q = NULL;
	struct ls_tlog *l = NULL;
	struct ls_writer *w = NULL;

	while ((ch = getopt_long(argc, argv, "f:htd:o:", lo, NULL)) != -1) {
		if (common_opt(c, "list", ch, optarg))
			continue;
		if ((rc = output_opt(c, ch, optarg)) > 0)
			continue;
		if (rc < 0)
			cmd_usage("list", stderr, 2);
		switch (ch) {
		case OPT_STATUS:
			for (char *s = optarg, *e; ; s = e + 1) {
				enum ls_tstatus st;
				e = strchr(s, ',');
				if (ls_tstatus_parse(s, e ? (size_t)(e - s) : strlen(s), &st) != 0)
					return ls_cli_fail(2, "--status: unknown status '%.*s' "
					    "(expected new, open, pending, solved or closed)",
					    e ? (int)(e - s) : (int)strlen(s), s);
				statuses |= 1u << st;
				if (e == NULL)
					break;
			}
			break;
		case OPT_CLIENT:
			client = optarg;
			break;
		case OPT_AGENT:
			agent = optarg;
			break;
		case OPT_OVERDUE:
			overdue = 1;
			break;
		case OPT_AT:
			at = optarg;
			break;
		}
	}
	if (optind != argc)
		cmd_usage("list", stderr, 2);
	if ((rc = setup(c)) != 0)
		return rc;
	if (at) {
		if (ls_tlog_parse_time(at, c->tz, c->now, &until, &err) != 0)
			return ls_cli_fail(2, "--at: %s", err.msg);
		c->now = until;
	}
	if (overdue && c->sla == NULL)
		ls_cli_warn("no SLA file (--sla, or sla.yaml beside the log): no ticket is overdue");
	if ((q = ls_queue_new(c->sla)) == NULL)
		return ls_cli_fail(1, "out of memory");
	if ((l = ls_tlog_open(c->log, LS_TLOG_READ, &err)) == NULL ||
	    ls_tlog_replay(l, q, 0, until, NULL, &err) != 0) {
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
	for (long id = 1; id <= ls_queue_count(q); id++) {
		struct ls_ticket *t = ls_queue_get(q, id);
		struct ls_ticket_row row;

		if ((statuses && !(statuses >> t->status & 1u)) ||
		    (client && strcmp(client, t->client) != 0) ||
		    (agent && strcmp(agent, t->agent) != 0))
			continue;
		ls_queue_row(q, t, c->now, c->tz, &row);
		if (overdue && (strcmp(row.sla, "breached") != 0 ||
		    t->status == LS_TS_SOLVED || t->status == LS_TS_CLOSED))
			continue;
		ls_writer_row(w, row.f, LS_TK_NCOLS);
		if (ls_writer_status(w) != 0)
			break;
	}
	status = close_output(w, 0);
	w = NULL;
done:
	ls_writer_free(w);
	ls_tlog_close(l);
	ls_queue_free(q);
	return status;
}

static int
cmd_show(struct ctx *c, int argc, char **argv)
{
	static const struct option lo[] = { COMMON_LONGOPTS, OUTPUT_LONGOPTS, { NULL, 0, NULL, 0 } };
	struct ls_error err = { 0 };
	struct ls_tlog *l = NULL;
	struct ls_writer *w = NULL;
	struct ls_tlog_rec r;
	long *ids = NULL, maxwant = 0;
	int ch, rc, nids, status = 0;

	while ((ch = getopt_long(argc, argv, "f:htd:o:", lo, NULL)) != -1) {
		if (common_opt(c, "show", ch, optarg))
			continue;
		if ((rc = output_opt(c, ch, optarg)) < 0)
			cmd_usage("show", stderr, 2);
	}
	nids = argc - optind;
	if (nids > 0 && (ids = calloc((size_t)nids, sizeof(*ids))) == NULL)
		return ls_cli_fail(1, "out of memory");
	for (int i = 0; i < nids; i++) {
		if ((rc = arg_id(argv[optind + i], &ids[i])) != 0) {
			free(ids);
			return rc;
		}
		if (ids[i] > maxwant)
			maxwant = ids[i];
	}
	if ((rc = setup(c)) != 0) {
		free(ids);
		return rc;
	}
	if ((l = ls_tlog_open(c->log, LS_TLOG_READ, &err)) == NULL ||
	    (w = open_output(c, &err)) == NULL) {
		status = ls_cli_error(&err);
		goto done;
	}
	for (int i = 0; ls_tlog_columns[i]; i++)
		ls_writer_cstr(w, ls_tlog_columns[i]);
	ls_writer_end(w);
	while ((rc = ls_tlog_next(l, &r, &err)) > 0) {
		int want = nids == 0;
		for (int i = 0; i < nids && !want; i++)
			want = ids[i] == r.id;
		if (want)
			ls_writer_row(w, r.f, LS_TC_NCOLS);
		if (ls_writer_status(w) != 0)
			break;
	}
	if (rc < 0) {
		status = ls_cli_error(&err);
		goto done;
	}
	warn_torn(l);
	if (maxwant > ls_tlog_maxid(l)) {
		status = ls_cli_fail(1, "%s: no ticket T-%06ld", c->log, maxwant);
		goto done;
	}
	ls_tlog_close(l);
	l = NULL;
	status = close_output(w, 0);
	w = NULL;
done:
	free(ids);
	ls_writer_free(w);
	ls_tlog_close(l);
	return status;
}

static int
cmd_import(struct ctx *c, int argc, char **argv)
{
	static const struct option lo[] = {
		COMMON_LONGOPTS,
		{ "tsv", no_argument, NULL, 't' },
		{ "delimiter", required_argument, NULL, 'd' },
		{ "encoding", required_argument, NULL, LS_OPT_ENCODING },
		{ NULL, 0, NULL, 0 }
	};
	struct ls_error err = { 0 };
	struct ls_reader *in;
	struct ls_tlog_cut cut;
	long *opened;
	size_t nopened;
	int ch, rc, refused;

	while ((ch = getopt_long(argc, argv, "f:htd:", lo, NULL)) != -1) {
		if (common_opt(c, "import", ch, optarg))
			continue;
		if (ls_cli_stream_opt(ch, optarg, &c->so) < 0)
			cmd_usage("import", stderr, 2);
	}
	if (argc - optind > 1)
		cmd_usage("import", stderr, 2);
	if ((rc = setup(c)) != 0)
		return rc;
	const char *path = optind < argc ? argv[optind] : "-";
	if ((in = ls_reader_open(&path, 1, &c->so.in, &err)) == NULL)
		return ls_cli_error(&err);
	rc = ls_tlog_import(c->log, c->tz, c->now, in, strcmp(path, "-") == 0 ? "stdin" : path,
	    &opened, &nopened, &refused, &cut, &err);
	ls_reader_free(in);
	warn_cut(c->log, &cut);
	if (rc != 0) {
		rc = ls_cli_error(&err);
		if (refused)
			ls_cli_warn("nothing imported");
		return rc;
	}
	for (size_t i = 0; i < nopened; i++)
		printf("T-%06ld\n", opened[i]);
	free(opened);
	return ls_finish_output();
}

static int
cmd_check(struct ctx *c, int argc, char **argv)
{
	static const struct option lo[] = {
		COMMON_LONGOPTS,
		{ "repair", no_argument, NULL, OPT_REPAIR },
		{ NULL, 0, NULL, 0 }
	};
	struct ls_error err = { 0 };
	struct ls_queue *q = NULL;
	struct ls_tlog *l = NULL;
	long long nev = 0;
	long line;
	size_t bytes;
	char *backup = NULL;
	int ch, repair = 0, status = 0;

	while ((ch = getopt_long(argc, argv, "f:h", lo, NULL)) != -1) {
		if (common_opt(c, "check", ch, optarg))
			continue;
		if (ch == OPT_REPAIR)
			repair = 1;
	}
	if (optind != argc)
		cmd_usage("check", stderr, 2);
	if ((status = setup(c)) != 0)
		return status;
	if ((q = ls_queue_new(NULL)) == NULL)
		return ls_cli_fail(1, "out of memory");
	if ((l = ls_tlog_open(c->log, repair ? LS_TLOG_WRITE : LS_TLOG_READ, &err)) == NULL ||
	    ls_tlog_replay(l, q, 1, -1, &nev, &err) != 0) {
		status = ls_cli_error(&err);
		goto done;
	}
	if (ls_tlog_torn(l, &line, &bytes)) {
		if (!repair) {
			status = ls_cli_fail(1, "%s:%ld: torn tail (%zu bytes of a write cut short; "
			    "check --repair cuts it)", c->log, line, bytes);
			goto done;
		}
		if ((backup = ls_concat(c->log, ".bak")) == NULL) {
			status = ls_cli_fail(1, "out of memory");
			goto done;
		}
		if (ls_tlog_repair(l, backup, &err) != 0) {
			status = ls_cli_error(&err);
			goto done;
		}
		printf("%s:%ld: torn tail cut (%zu bytes); the log as it was is in %s\n",
		    c->log, line, bytes, backup);
	}
	printf("%s: %lld events, %ld tickets, ok\n", c->log, nev, ls_queue_count(q));
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
	const char *env;
	int ch, status;

	ls_cli_init(argv[0]);
	/* over a file size limit, write(2) should fail with EFBIG, not kill us mid-record */
	signal(SIGXFSZ, SIG_IGN);
	c.log = (env = getenv("TICKET_LOG")) != NULL && env[0] != '\0' ? env : "tickets.csv";
	/* stop at the command: its own options come after it */
	while ((ch = getopt_long(argc, argv, "+f:h", top_longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			c.log = optarg;
			break;
		case OPT_SLA:
			c.sla_path = optarg;
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
	for (const struct command *cmd = commands; cmd->name; cmd++) {
		if (strcmp(cmd->name, argv[optind]) != 0)
			continue;
		argc -= optind;
		argv += optind;
		optind = 0;	/* getopt_long starts over on the command's arguments */
		status = cmd->run(&c, argc, argv);
		ls_sla_free(c.sla);
		ls_tz_free(c.own_tz);
		join(0, NULL);
		return status;
	}
	return ls_cli_fail(2, "unknown command '%s' (ticket-log --help lists them)", argv[optind]);
}

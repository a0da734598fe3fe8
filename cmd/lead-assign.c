/*
 * lead-assign - hand qualified leads to managers, fairly and by the team's
 * rules (lead-assign(1)).  The deciding is assign.c's; this file parses
 * options, holds the state lock, and streams records through.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assign.h"
#include "cli.h"
#include "lock.h"
#include "split.h"
#include "writer.h"
#include "xlsx_write.h"

enum {
	OPT_STATE = LS_OPT_TOOL,
	OPT_DRY_RUN,
	OPT_REASSIGN,
	OPT_LOAD,
	OPT_SPLIT
};

static const struct ls_opt options[] = {
	{ "config", 'c', 'c', "TEAM.yaml", "the team: managers, strategy, routing, sticky column (required)" },
	{ "state", 0, OPT_STATE, "FILE", "the state file (default: the team file's state:, else TEAM.yaml.state)" },
	{ "dry-run", 'n', 'n', NULL, "deal and print, but write no state" },
	{ "reassign-from", 0, OPT_REASSIGN, "MANAGER", "re-deal MANAGER's leads (an assigned stream) among the others" },
	{ "load", 0, OPT_LOAD, "FILE", "a CSV of manager,open_leads: open leads each manager already holds" },
	{ "split", 0, OPT_SPLIT, "DIR|FILE.xlsx", "each manager's leads also to DIR/MANAGER.csv, or a sheet each of FILE.xlsx" },
	{ "verbose", 'v', 'v', NULL, "print what was dealt to whom, skipped and left unassigned" },
	{ NULL, 0, 0, NULL, NULL }
};
static const struct ls_opt *const tables[] = { options, ls_stream_options, NULL };
static struct ls_getopt g;

static const char synopsis[] =
    "lead-assign -c TEAM.yaml [-nv] [--state FILE] [--load FILE]\n"
    "                   [--reassign-from MANAGER] [--split DIR|FILE.xlsx] [-t] [-d CHAR] [-o FILE]\n"
    "                   [--encoding NAME] [--rejects FILE] [--ocsv | --otsv] [--threads N] [FILE ...]";

static _Noreturn void
usage(int status)
{
	exit(ls_cli_usage(&g, status));
}

/*
 * -v: the run's counts.  Without -v, only what needs a person: leads that
 * should have gone to someone and went to nobody.
 */
static void
report(const struct ls_team *team, const struct ls_assign_stats *st, int verbose)
{
	unsigned long dealt = 0;
	size_t n = ls_team_nmanagers(team);

	for (size_t i = 0; i < n; i++)
		dealt += st->dealt[i];
	if (verbose) {
		fprintf(stderr, "%s: %lu read: %lu dealt (", ls_cli_prog(), st->read, dealt);
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "%s%s %lu", i ? ", " : "", ls_team_manager_id(team, i), st->dealt[i]);
		fprintf(stderr, "), %lu already_assigned, %lu skipped by status, "
		    "%lu no_eligible_manager, %lu all_at_capacity", st->already, st->skipped,
		    st->no_eligible, st->at_capacity);
		if (st->passed)
			fprintf(stderr, ", %lu of other managers passed through", st->passed);
		fputc('\n', stderr);
	}
	if (dealt == 0 && st->no_eligible + st->at_capacity > 0)
		ls_cli_warn("no lead could be dealt: %lu with no eligible manager, %lu with every "
		    "manager at capacity (see the team file's active, away and capacity)",
		    st->no_eligible, st->at_capacity);
	else if (st->no_eligible + st->at_capacity > 0 && !verbose)
		ls_cli_warn("%lu lead%s left unassigned (assign_reason tells why)",
		    st->no_eligible + st->at_capacity, st->no_eligible + st->at_capacity == 1 ? "" : "s");
}

/*
 * Deal every lead of s, written out with its manager and reason, and (sp)
 * every lead with a manager to that manager's file too: 0, or the exit
 * status after printing.  row holds ls_stream_out_cols() views.
 */
static int
deal(struct ls_stream *s, struct ls_assigner *a, struct ls_split *sp, struct ls_str *row)
{
	struct ls_assign_result res;
	struct ls_record rec;
	struct ls_error err;
	int rc;

	while ((rc = ls_stream_next(s, &rec)) > 0) {
		if (ls_assigner_next(a, &rec, &res, &err) != 0)
			return ls_cli_error(&err);
		const struct ls_str vals[] = {
			{ res.manager, strlen(res.manager) }, { res.reason, strlen(res.reason) },
			{ res.assigned_at, strlen(res.assigned_at) }
		};
		ls_stream_row(s, rec.fields, rec.nfields, vals);
		if (sp == NULL || res.manager[0] == '\0')
			continue;
		ls_stream_out_row(s, rec.fields, rec.nfields, vals, row);
		if (ls_split_row(sp, vals[0].p, vals[0].n, row, &err) != 0)
			return ls_cli_error(&err);
	}
	return rc < 0 ? s->status : 0;
}

/* --split: the files, once the output is in place; -v names them. */
static int
split_commit(struct ls_split *sp, const char *path, int verbose)
{
	struct ls_error err = { 0 };
	int xlsx = ls_xlsxw_path(path);

	if (ls_split_commit(sp, &err) != 0)
		return ls_cli_error(&err);
	for (size_t i = 0; verbose && i < ls_split_count(sp); i++)
		fprintf(stderr, "%s: %s: %lu lead%s to %s%s%s\n", ls_cli_prog(), ls_split_key(sp, i),
		    ls_split_rows(sp, i), ls_split_rows(sp, i) == 1 ? "" : "s", path,
		    xlsx ? ", sheet " : "/", ls_split_name(sp, i));
	return 0;
}

int
main(int argc, char *argv[])
{
	static const char *const extra[] = { "manager", "assign_reason", "assigned_at", NULL };
	struct ls_stream_opts so = { 0 };
	struct ls_assign_opts ao = { 0 };
	const char *team_path = NULL, *state_path = NULL, *load_path = NULL, *split_path = NULL;
	struct ls_split *sp = NULL;
	struct ls_str *row = NULL;
	struct ls_team *team = NULL;
	struct ls_assigner *a = NULL;
	struct ls_lock *lock = NULL;
	struct ls_stream s;
	struct ls_error err = { 0 };
	int ch, rc, dry = 0, verbose = 0, status = 0;

	ls_cli_init(argv[0]);
	if (ls_getopt_init(&g, tables, synopsis, &err) != 0)
		return ls_cli_error(&err);
	while ((ch = ls_getopt_next(&g, argc, argv)) != -1) {
		if ((rc = ls_cli_stream_opt(ch, optarg, &so)) > 0)
			continue;
		if (rc < 0)
			usage(2);
		switch (ch) {
		case 'c':
			team_path = optarg;
			break;
		case 'n':
			dry = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case OPT_STATE:
			state_path = optarg;
			break;
		case OPT_REASSIGN:
			if (optarg[0] == '\0') {
				ls_cli_warn("--reassign-from needs a manager id");
				usage(2);
			}
			ao.reassign_from = optarg;
			break;
		case OPT_LOAD:
			load_path = optarg;
			break;
		case OPT_SPLIT:
			if (optarg[0] == '\0') {
				ls_cli_warn("--split needs a folder or a FILE.xlsx");
				usage(2);
			}
			split_path = optarg;
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
	if (team_path == NULL) {
		ls_cli_warn("a team file is required: -c TEAM.yaml");
		usage(2);
	}
	/* the date that decides who is away, and assigned_at: SOURCE_DATE_EPOCH pins it */
	if ((status = ls_cli_clock()) != 0)
		return status;

	if ((team = ls_team_load(team_path, &err)) == NULL)
		return ls_cli_error(&err);
	if (ls_team_nactive(team) == 0)
		ls_cli_warn("%s: every manager is inactive: no lead will be dealt", team_path);
	if (state_path == NULL)
		state_path = ls_team_state_path(team);
	if ((status = ls_stream_open(&s, &so, argv, argc)) != 0)
		goto done;
	/* the rows out are the rows in with three values more: unquoted lines go out in one copy each */
	s.spans = 1;
	/* and the three values after them are the same for most leads dealt in one run */
	s.same_tail = 1;
	if (ls_reader_ncols(ls_stream_reader(&s)) == 0) {
		/* no header at all: an empty day hands out nothing, and the state stays */
		if ((status = ls_stream_close(&s)) == 0)
			status = ls_finish_output();
		goto done;
	}
	a = ls_assigner_new(team, ls_reader_header(ls_stream_reader(&s)),
	    ls_reader_ncols(ls_stream_reader(&s)), &ao, &err);
	/* read state, deal, write state: one critical section, so two runs never hand out the same slot */
	if (a == NULL ||
	    (lock = ls_lock_acquire(state_path, dry ? LS_LOCK_SH | LS_LOCK_NOCREATE : LS_LOCK_EX, &err)) == NULL ||
	    ls_assigner_read_state(a, state_path, &err) != 0 ||
	    (load_path && ls_assigner_read_load(a, load_path, &err) != 0) ||
	    ls_assigner_attach(a, ls_stream_reader(&s), &err) != 0) {
		status = ls_cli_error(&err);
		goto done;
	}
	/* an assigned stream (--reassign-from, or a second run) has the columns: they are overwritten */
	if ((status = ls_stream_header(&s, extra)) != 0)
		goto done;
	if (split_path != NULL) {
		size_t n = ls_stream_out_cols(&s);

		if ((row = calloc(n, sizeof(*row))) == NULL) {
			status = ls_cli_fail(1, "out of memory");
			goto done;
		}
		ls_stream_out_header(&s, extra, row);
		if ((sp = ls_assign_split_new(split_path, ls_stream_writer_opts(&s), row, n, &err)) == NULL) {
			status = ls_cli_error(&err);
			goto done;
		}
	}
	/*
	 * The leads must be out before the state counts them: after a read or
	 * write error, or a closed pipe, the state is left as it was.
	 */
	if ((status = deal(&s, a, sp, row)) != 0 || s.end != LS_STREAM_EOF ||
	    (status = ls_stream_commit(&s)) != 0 || s.end != LS_STREAM_EOF ||
	    (sp && (status = split_commit(sp, split_path, verbose)) != 0))
		goto done;
	if (!dry && ls_assigner_save_state(a, state_path, &err) != 0) {
		status = ls_cli_error(&err);
		goto done;
	}
	report(team, ls_assigner_stats(a), verbose);
	status = ls_finish_output();
done:
	ls_split_free(sp);
	free(row);
	ls_lock_release(lock);
	ls_assigner_free(a);
	ls_stream_free(&s);
	ls_team_free(team);
	return status;
}

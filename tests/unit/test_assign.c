/* test_assign.c - team files, strategies' fairness, eligibility, sticky owners, the state file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assign.h"
#include "error.h"
#include "record.h"

#define NOW 1795000000		/* 2026-11-18, a fixed "today" */

/* A lead: up to 6 columns of the fixed header below. */
static const char *const hdr_names[] = { "lead_id", "company", "region", "employees", "created_at", "manager", "assign_reason" };
#define NCOLS 7

struct fixture {
	struct ls_str header[NCOLS];
	struct ls_str f[NCOLS];
	char id[32];
};

static void
set_header(struct fixture *fx, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fx->header[i].p = hdr_names[i];
		fx->header[i].n = strlen(hdr_names[i]);
	}
}

static struct ls_team *
team(const char *yaml)
{
	struct ls_error err = { 0 };
	struct ls_team *t = ls_team_load_mem("team.yaml", yaml, strlen(yaml), &err);

	if (t == NULL)
		fail_msg("team: %s (line %ld col %ld)", err.msg, err.line, err.col);
	return t;
}

static struct ls_assigner *
assigner(const struct ls_team *t, struct fixture *fx, size_t ncols, const char *from)
{
	struct ls_assign_opts o = { .reassign_from = from, .now = NOW };
	struct ls_error err = { 0 };
	struct ls_assigner *a;

	set_header(fx, ncols);
	a = ls_assigner_new(t, fx->header, ncols, &o, &err);
	if (a == NULL)
		fail_msg("assigner: %s", err.msg);
	return a;
}

/* Decide one lead; returns the manager ("" for none), reason in *reason. */
static const char *
deal(struct ls_assigner *a, struct fixture *fx, size_t ncols, const char *company,
    const char *region, const char *employees, const char *date, const char **reason)
{
	static unsigned long seq;
	const char *v[NCOLS] = { fx->id, company, region, employees, date, "", "" };
	struct ls_assign_result res;
	struct ls_record rec = { 0 };
	struct ls_error err = { 0 };

	/* every call a new lead: a lead id seen before would be already_assigned */
	snprintf(fx->id, sizeof(fx->id), "L%lu", ++seq);
	for (size_t i = 0; i < ncols; i++) {
		fx->f[i].p = v[i] ? v[i] : "";
		fx->f[i].n = strlen(fx->f[i].p);
	}
	rec.nfields = ncols;
	rec.fields = fx->f;
	rec.file = "t.csv";
	rec.line = 2;
	assert_int_equal(ls_assigner_next(a, &rec, &res, &err), 0);
	if (reason)
		*reason = res.reason;
	return res.manager;
}

static long
mindex(const struct ls_team *t, const char *id)
{
	for (size_t i = 0; i < ls_team_nmanagers(t); i++)
		if (strcmp(ls_team_manager_id(t, i), id) == 0)
			return (long)i;
	fail_msg("unknown manager %s", id);
	return -1;
}

static char *
tmpname(const char *tag)
{
	static char buf[4][256];
	static int k;
	char *p = buf[k++ % 4];

	snprintf(p, 256, "/tmp/test_assign.%ld.%s", (long)getpid(), tag);
	unlink(p);
	return p;
}

/* Round robin: after every lead, counts differ by at most one. */
static void
test_round_robin_fair(void **state)
{
	struct ls_team *t = team("strategy: round_robin\nmanagers: [{id: a}, {id: b}, {id: c}, {id: d}, {id: e}]\n");
	struct fixture fx;
	struct ls_assigner *a = assigner(t, &fx, 5, NULL);
	long cnt[5] = { 0 };
	const char *reason;

	(void)state;
	for (int n = 1; n <= 1003; n++) {
		long lo = n, hi = 0;
		cnt[mindex(t, deal(a, &fx, 5, "", "", "", "", &reason))]++;
		assert_string_equal(reason, "round_robin");
		for (int i = 0; i < 5; i++) {
			lo = cnt[i] < lo ? cnt[i] : lo;
			hi = cnt[i] > hi ? cnt[i] : hi;
		}
		assert_true(hi - lo <= 1);
	}
	ls_assigner_free(a);
	ls_team_free(t);
}

/* Weighted: every prefix of the sequence gives each manager n*w/W leads, within one. */
static void
test_weighted_fair(void **state)
{
	static const struct {
		const char *yaml;
		double w[4];
		int n;
	} cases[] = {
		{ "strategy: weighted\nmanagers: [{id: a, weight: 2}, {id: b}, {id: c}]\n", { 2, 1, 1 }, 3 },
		{ "strategy: weighted\nmanagers: [{id: a, weight: 3}, {id: b, weight: 2}, {id: c, weight: 1.5}, {id: d, weight: 0.5}]\n", { 3, 2, 1.5, 0.5 }, 4 },
		{ "strategy: weighted\nmanagers: [{id: a, weight: 5}, {id: b, weight: 1}]\n", { 5, 1 }, 2 },
		{ "strategy: weighted\nmanagers: [{id: a, weight: 1}, {id: b, weight: 7}, {id: c, weight: 13}]\n", { 1, 7, 13 }, 3 },
		{ "strategy: weighted\nmanagers: [{id: a, weight: 0.333}, {id: b, weight: 1}]\n", { 0.333, 1 }, 2 },
	};

	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct ls_team *t = team(cases[c].yaml);
		struct fixture fx;
		struct ls_assigner *a = assigner(t, &fx, 5, NULL);
		long cnt[4] = { 0 };
		double W = 0;
		const char *reason;

		for (int i = 0; i < cases[c].n; i++)
			W += cases[c].w[i];
		for (int n = 1; n <= 2000; n++) {
			cnt[mindex(t, deal(a, &fx, 5, "", "", "", "", &reason))]++;
			assert_string_equal(reason, "weighted");
			for (int i = 0; i < cases[c].n; i++) {
				double dev = fabs(cnt[i] - n * cases[c].w[i] / W);
				if (dev > 1.0 + 1e-9)
					fail_msg("case %zu lead %d manager %d: %ld leads, share %.3f", c, n,
					    i, cnt[i], n * cases[c].w[i] / W);
			}
		}
		ls_assigner_free(a);
		ls_team_free(t);
	}
}

/* Least loaded: starting loads from the state are evened out first, then kept level. */
static void
test_least_loaded_fair(void **state)
{
	struct ls_team *t = team("strategy: least_loaded\nmanagers: [{id: a}, {id: b}, {id: c}]\n");
	struct fixture fx;
	struct ls_assigner *a = assigner(t, &fx, 5, NULL);
	struct ls_error err = { 0 };
	const char *st = tmpname("ll.state"), *reason;
	FILE *fp = fopen(st, "w");

	(void)state;
	fprintf(fp, "# lead-assign state v1\nmanager\ta\t10\t10\t0\nmanager\tb\t0\t0\t0\nmanager\tc\t4\t4\t0\n");
	fclose(fp);
	assert_int_equal(ls_assigner_read_state(a, st, &err), 0);
	for (int n = 0; n < 4; n++)
		assert_string_equal(deal(a, &fx, 5, "", "", "", "", &reason), "b");
	assert_string_equal(reason, "least_loaded");
	for (int n = 0; n < 600; n++) {
		long long la, lb, lc, hi, lo;
		deal(a, &fx, 5, "", "", "", "", NULL);
		la = ls_assigner_load(a, "a");
		lb = ls_assigner_load(a, "b");
		lc = ls_assigner_load(a, "c");
		hi = la > lb ? la : lb;
		hi = hi > lc ? hi : lc;
		lo = la < lb ? la : lb;
		lo = lo < lc ? lo : lc;
		if (n >= 12)
			assert_true(hi - lo <= 1);
	}
	assert_int_equal(ls_assigner_load(a, "a") + ls_assigner_load(a, "b") + ls_assigner_load(a, "c"), 14 + 604);
	ls_assigner_free(a);
	ls_team_free(t);
	unlink(st);
}

/* Away on the lead's date (from the date column, else today): skipped. */
static void
test_away(void **state)
{
	struct ls_team *t = team("strategy: round_robin\nmanagers:\n"
	    "  - {id: a, away: [2026-12-20..2027-01-08, 2026-11-18]}\n  - {id: b}\n");
	struct fixture fx;
	struct ls_assigner *a = assigner(t, &fx, 5, NULL);
	struct ls_assign_result res;
	struct ls_record rec = { 0 };
	struct ls_error err = { 0 };
	struct ls_str f[5] = { { "1", 1 }, { "", 0 }, { "", 0 }, { "", 0 }, { "26/11/2026", 10 } };

	(void)state;
	for (int i = 0; i < 6; i++) {
		assert_string_equal(deal(a, &fx, 5, "", "", "", "2026-12-20", NULL), "b");
		assert_string_equal(deal(a, &fx, 5, "", "", "", "2027-01-08T23:59:00+03:00", NULL), "b");
		assert_string_equal(deal(a, &fx, 5, "", "", "", "", NULL), "b");	/* today: 2026-11-18 */
	}
	assert_string_equal(deal(a, &fx, 5, "", "", "", "2027-01-09", NULL), "a");
	assert_string_equal(deal(a, &fx, 5, "", "", "", "2026-12-19", NULL), "b");
	assert_string_equal(deal(a, &fx, 5, "", "", "", "2026-12-19", NULL), "a");
	/* a date that is not one is a data error naming the record */
	rec.nfields = 5;
	rec.fields = f;
	rec.file = "t.csv";
	rec.line = 7;
	assert_int_equal(ls_assigner_next(a, &rec, &res, &err), LS_EDATA);
	assert_int_equal(err.line, 7);
	assert_non_null(strstr(err.msg, "26/11/2026"));
	ls_assigner_free(a);
	ls_team_free(t);
}

/* Capacity and activity: skipped; leads no one can take still come out, with a reason. */
static void
test_capacity_and_inactive(void **state)
{
	struct ls_team *t = team("managers:\n  - {id: a, capacity: 2}\n  - {id: b, capacity: 1}\n"
	    "  - {id: c, active: false}\n");
	struct ls_team *t2 = team("managers: [{id: x, active: false}, {id: y, away: 2026-11-18}]\n");
	struct fixture fx;
	struct ls_assigner *a = assigner(t, &fx, 5, NULL);
	const char *reason, *m;
	int got[2] = { 0 };

	(void)state;
	for (int i = 0; i < 3; i++) {
		m = deal(a, &fx, 5, "", "", "", "", &reason);
		assert_string_not_equal(m, "c");
		got[m[0] - 'a']++;
	}
	assert_int_equal(got[0], 2);
	assert_int_equal(got[1], 1);
	assert_string_equal(deal(a, &fx, 5, "", "", "", "", &reason), "");
	assert_string_equal(reason, "all_at_capacity");
	ls_assigner_free(a);
	a = assigner(t2, &fx, 5, NULL);
	assert_string_equal(deal(a, &fx, 5, "", "", "", "", &reason), "");
	assert_string_equal(reason, "no_eligible_manager");
	ls_assigner_free(a);
	ls_team_free(t);
	ls_team_free(t2);
}

/* Regions and routing rules narrow the pool. */
static void
test_regions_and_routing(void **state)
{
	struct ls_team *t = team("strategy: round_robin\nmanagers:\n  - {id: a, regions: [msk]}\n"
	    "  - {id: b}\n  - {id: c, regions: [spb, msk]}\n"
	    "routing:\n  - {name: key, if: \"employees >= 1000\", pool: [c]}\n");
	struct fixture fx;
	struct ls_assigner *a = assigner(t, &fx, 5, NULL);
	const char *reason;

	(void)state;
	for (int i = 0; i < 4; i++)
		assert_string_equal(deal(a, &fx, 5, "", "ekb", "10", "", NULL), "b");
	for (int i = 0; i < 4; i++) {
		assert_string_equal(deal(a, &fx, 5, "", "", "5000", "", &reason), "c");
		assert_string_equal(reason, "rule:key");
	}
	assert_string_not_equal(deal(a, &fx, 5, "", "spb", "1", "", NULL), "a");
	ls_assigner_free(a);
	ls_team_free(t);
}

/* Sticky owners survive a run through the state file. */
static void
test_sticky_two_runs(void **state)
{
	struct ls_team *t = team("strategy: round_robin\nsticky: company\nmanagers: [{id: a}, {id: b}, {id: c}]\n");
	struct fixture fx;
	struct ls_assigner *a = assigner(t, &fx, 5, NULL);
	struct ls_error err = { 0 };
	const char *st = tmpname("sticky.state"), *reason;
	char first[3][8];
	static const char *const co[3] = { "Acme", "Tab\there", "Ромашка" };

	(void)state;
	for (int i = 0; i < 3; i++)
		snprintf(first[i], sizeof(first[i]), "%s", deal(a, &fx, 5, co[i], "", "", "", NULL));
	assert_string_equal(deal(a, &fx, 5, "Acme", "", "", "", &reason), first[0]);
	assert_string_equal(reason, "sticky");
	assert_string_equal(deal(a, &fx, 5, "", "", "", "", NULL), "a");	/* empty is no company */
	assert_int_equal(ls_assigner_save_state(a, st, &err), 0);
	ls_assigner_free(a);

	a = assigner(t, &fx, 5, NULL);
	assert_int_equal(ls_assigner_read_state(a, st, &err), 0);
	for (int i = 2; i >= 0; i--) {
		assert_string_equal(deal(a, &fx, 5, co[i], "", "", "", &reason), first[i]);
		assert_string_equal(reason, "sticky");
	}
	assert_string_equal(ls_assigner_owner(a, "Tab\there", 8), first[1]);
	/* the rotation goes on where it stopped: after a comes b */
	assert_string_equal(deal(a, &fx, 5, "New", "", "", "", &reason), "b");
	assert_int_equal(ls_assigner_assigned(a, "a") + ls_assigner_assigned(a, "b") +
	    ls_assigner_assigned(a, "c"), 9);
	ls_assigner_free(a);
	ls_team_free(t);
	unlink(st);
}

/* The same input and state give the same output. */
static void
test_deterministic(void **state)
{
	struct ls_team *t = team("strategy: weighted\nsticky: company\nmanagers: [{id: a, weight: 3}, {id: b, weight: 2}, {id: c}]\n");
	struct fixture fx;
	struct ls_error err = { 0 };
	const char *st = tmpname("det.state");
	char got[2][200];
	struct ls_assigner *a = assigner(t, &fx, 5, NULL);

	(void)state;
	for (int i = 0; i < 7; i++)
		deal(a, &fx, 5, i % 2 ? "X" : "", "", "", "", NULL);
	assert_int_equal(ls_assigner_save_state(a, st, &err), 0);
	ls_assigner_free(a);
	for (int run = 0; run < 2; run++) {
		char co[8];
		a = assigner(t, &fx, 5, NULL);
		assert_int_equal(ls_assigner_read_state(a, st, &err), 0);
		got[run][0] = '\0';
		for (int i = 0; i < 40; i++) {
			snprintf(co, sizeof(co), "c%d", i % 9);
			strcat(got[run], deal(a, &fx, 5, i % 3 ? co : "", "", "", "", NULL));
		}
		ls_assigner_free(a);
	}
	assert_string_equal(got[0], got[1]);
	ls_team_free(t);
	unlink(st);
}

/* --reassign-from: other rows pass, the leaver's rows are re-dealt with sticky groups together. */
static void
test_reassign(void **state)
{
	struct ls_team *t = team("strategy: round_robin\nsticky: company\nmanagers: [{id: a}, {id: b}, {id: c}]\n");
	struct fixture fx;
	struct ls_assigner *a = assigner(t, &fx, 7, "b");
	const char *v[NCOLS] = { "1", "Acme", "", "", "", "b", "round_robin" };
	struct ls_assign_result res;
	struct ls_record rec = { 0 };
	struct ls_error err = { 0 };
	char acme[8] = "";

	(void)state;
	rec.nfields = 7;
	rec.fields = fx.f;
	for (int i = 0; i < 8; i++) {
		v[1] = i % 2 ? "Acme" : "Other";
		v[5] = i == 3 ? "c" : "b";
		for (int k = 0; k < 7; k++) {
			fx.f[k].p = v[k];
			fx.f[k].n = strlen(v[k]);
		}
		assert_int_equal(ls_assigner_next(a, &rec, &res, &err), 0);
		if (i == 3) {
			assert_int_equal(res.changed, 0);
			assert_string_equal(res.manager, "c");
			assert_string_equal(res.reason, "round_robin");
			continue;
		}
		assert_int_equal(res.changed, 1);
		assert_string_not_equal(res.manager, "b");
		assert_string_equal(res.reason, "reassigned_from:b");
		if (i % 2) {
			if (acme[0] == '\0')
				snprintf(acme, sizeof(acme), "%s", res.manager);
			assert_string_equal(res.manager, acme);
		}
	}
	ls_assigner_free(a);
	/* the stream must be an assigned one */
	set_header(&fx, 5);
	{
		struct ls_assign_opts o = { .reassign_from = "b", .now = NOW };
		assert_null(ls_assigner_new(t, fx.header, 5, &o, &err));
		assert_string_equal(err.msg, "input has no column 'manager' (needed by --reassign-from); its header is: lead_id, company, region, employees, created_at");
	}
	ls_team_free(t);
}

static void
expect_team_error(const char *yaml, long line, const char *msg_part)
{
	struct ls_error err = { 0 };
	struct ls_team *t = ls_team_load_mem("team.yaml", yaml, strlen(yaml), &err);

	if (t != NULL)
		fail_msg("accepted: %s", yaml);
	assert_int_equal(err.status, LS_ECONFIG);
	if (strstr(err.msg, msg_part) == NULL)
		fail_msg("message '%s' lacks '%s'", err.msg, msg_part);
	if (line)
		assert_int_equal(err.line, line);
}

static void
test_bad_team(void **state)
{
	(void)state;
	expect_team_error("managers: [{id: a}]\nrouting:\n  - {name: k, if: \"x == 1\", pool: [a, zz]}\n",
	    3, "unknown manager 'zz'");
	expect_team_error("managers:\n  - {id: a, weight: 0}\n", 2, "must be a positive number");
	expect_team_error("managers:\n  - {id: a, weight: -1}\n", 2, "must be a positive number");
	expect_team_error("managers:\n  - {id: a, weight: heavy}\n", 2, "not 'heavy'");
	expect_team_error("managers:\n  - {id: a, wieght: 2}\n", 2, "wieght");
	expect_team_error("stratgy: weighted\nmanagers: [{id: a}]\n", 1, "stratgy");
	expect_team_error("strategy: random\nmanagers: [{id: a}]\n", 1, "unknown strategy");
	expect_team_error("managers: [{id: a}, {id: a}]\n", 1, "duplicate manager id");
	expect_team_error("managers: []\n", 1, "no managers");
	expect_team_error("managers: [{id: a, away: [2026-12-20..2026-12-01]}]\n", 1, "ends before");
	expect_team_error("managers: [{id: a, away: [2026-02-30]}]\n", 1, "bad date");
	expect_team_error("managers: [{id: a, capacity: -3}]\n", 1, "capacity");
	expect_team_error("managers: [{id: a}]\nrouting: [{name: k, if: \"x >= \", pool: [a]}]\n", 2, "");
}

/* A missing sticky column is named the way the spec words it. */
static void
test_missing_sticky_column(void **state)
{
	struct ls_team *t = team("sticky: company\nmanagers: [{id: a}]\n");
	struct fixture fx;
	struct ls_error err = { 0 };
	struct ls_assign_opts o = { .now = NOW };

	(void)state;
	fx.header[0].p = "lead_id";
	fx.header[0].n = 7;
	assert_null(ls_assigner_new(t, fx.header, 1, &o, &err));
	assert_int_equal(err.status, LS_ECONFIG);
	assert_string_equal(err.msg, "input has no column 'company' (needed by sticky: company); its header is: lead_id");
	ls_team_free(t);
}

static void
expect_state_error(const char *text, long line, const char *msg_part)
{
	struct ls_team *t = team("sticky: company\nmanagers: [{id: a}, {id: b}]\n");
	struct fixture fx;
	struct ls_assigner *a = assigner(t, &fx, 5, NULL);
	struct ls_error err = { 0 };
	const char *st = tmpname("bad.state");
	FILE *fp = fopen(st, "w");

	fputs(text, fp);
	fclose(fp);
	assert_int_equal(ls_assigner_read_state(a, st, &err), LS_ECONFIG);
	if (strstr(err.msg, msg_part) == NULL)
		fail_msg("message '%s' lacks '%s'", err.msg, msg_part);
	assert_int_equal(err.line, line);
	assert_string_equal(err.file, st);
	/* a failed read leaves the assigner with an empty state */
	assert_int_equal(ls_assigner_load(a, "a"), 0);
	ls_assigner_free(a);
	ls_team_free(t);
	unlink(st);
}

static void
test_bad_state(void **state)
{
	(void)state;
	expect_state_error("lead_id,company\n1,x\n", 1, "not a lead-assign state file");
	expect_state_error("", 0, "not a lead-assign state file");
	expect_state_error("# lead-assign state v1\nmanager\ta\tten\t0\t0\n", 2, "bad manager record");
	expect_state_error("# lead-assign state v1\nmanager\ta\t1\t1\t0\nbogus\tx\n", 3, "unknown record");
	expect_state_error("# lead-assign state v1\nmanager\ta\t-1\t0\t0\n", 2, "bad manager record");
	expect_state_error("# lead-assign state v1\nsticky\tx\\q\ta\n", 2, "bad escape");
}

/* A state path that cannot be opened for another reason than its absence is an I/O error, named. */
static void
test_state_unreadable(void **state)
{
	struct ls_team *t = team("managers: [{id: a}]\n");
	struct fixture fx;
	struct ls_assigner *a = assigner(t, &fx, 5, NULL);
	struct ls_error err = { 0 };
	char path[64];
	FILE *fp;

	(void)state;
	snprintf(path, sizeof(path), "%s/state", tmpname("notdir"));
	*strrchr(path, '/') = '\0';
	assert_non_null(fp = fopen(path, "w"));	/* a file where a folder should be */
	fclose(fp);
	path[strlen(path)] = '/';
	assert_int_equal(ls_assigner_read_state(a, path, &err), LS_EIO);
	assert_string_equal(err.file, path);
	assert_string_equal(err.msg, "cannot read state: Not a directory");
	*strrchr(path, '/') = '\0';
	unlink(path);
	ls_assigner_free(a);
	ls_team_free(t);
}

/*
 * Sticky companies: the same name in straight, typographic and guillemet
 * quotes is one company; a name longer than STICKY_MAX is not remembered.
 */
static void
test_sticky_quotes(void **state)
{
	struct ls_team *t = team("strategy: round_robin\nsticky: company\nmanagers: [{id: a}, {id: b}, {id: c}]\n");
	struct fixture fx;
	struct ls_assigner *a = assigner(t, &fx, 5, NULL);
	static const char *const same[] = {
		"ООО \"Ромашка\"", "ООО «Ромашка»", "ООО \xe2\x80\x9eРомашка\xe2\x80\x9c",
		"ООО \xe2\x80\x9cРомашка\xe2\x80\x9d", "ООО \xe2\x80\x98Ромашка\xe2\x80\x99", "ООО 'Ромашка'",
	};
	char first[8], big[1100];
	const char *reason;

	(void)state;
	snprintf(first, sizeof(first), "%s", deal(a, &fx, 5, same[0], "", "", "", NULL));
	for (size_t i = 1; i < sizeof(same) / sizeof(same[0]); i++) {
		assert_string_equal(deal(a, &fx, 5, same[i], "", "", "", &reason), first);
		assert_string_equal(reason, "sticky");
		assert_string_equal(ls_assigner_owner(a, same[i], strlen(same[i])), first);
	}
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_string_not_equal(deal(a, &fx, 5, big, "", "", "", &reason), "");
	assert_string_not_equal(reason, "sticky");
	deal(a, &fx, 5, big, "", "", "", &reason);
	assert_string_not_equal(reason, "sticky");	/* not remembered */
	assert_null(ls_assigner_owner(a, big, strlen(big)));
	assert_null(ls_assigner_owner(a, "", 0));
	ls_assigner_free(a);
	ls_team_free(t);
}

/* State records of managers who left the team are carried over untouched. */
static void
test_state_keeps_foreign(void **state)
{
	struct ls_team *t = team("managers: [{id: a}]\n");
	struct fixture fx;
	struct ls_assigner *a = assigner(t, &fx, 5, NULL);
	struct ls_error err = { 0 };
	const char *st = tmpname("keep.state"), *st2 = tmpname("keep2.state");
	const char *text = "# lead-assign state v1\ncursor\tgone\nmanager\ta\t3\t5\t0\n"
	    "manager\tgone\t7\t9\t-2\nsticky\tacme\tgone\nlead\tL9\tgone\n";
	char buf[512];
	FILE *fp = fopen(st, "w");
	size_t n;

	(void)state;
	fputs(text, fp);
	fclose(fp);
	assert_int_equal(ls_assigner_read_state(a, st, &err), 0);
	assert_int_equal(ls_assigner_save_state(a, st2, &err), 0);
	fp = fopen(st2, "r");
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	/* written back as v2: the v1 lead line, with no time, stays as it was */
	assert_string_equal(buf, "# lead-assign state v2\ncursor\tgone\nmanager\ta\t3\t5\t0\n"
	    "manager\tgone\t7\t9\t-2\nsticky\tacme\tgone\nlead\tL9\tgone\n");
	ls_assigner_free(a);
	ls_team_free(t);
	unlink(st);
	unlink(st2);
}

/* assigned_at: the run's instant, in the team's zone; a lead met again keeps its first. */
static void
test_assigned_at(void **state)
{
	struct ls_team *t = team("timezone: Europe/Moscow\nmanagers: [{id: a}, {id: b}]\n");
	struct ls_team *u = team("managers: [{id: a}]\n");
	struct ls_str hdr[2] = { { "lead_id", 7 }, { "company", 7 } }, f[2] = { { "L1", 2 }, { "x", 1 } };
	struct ls_record rec = { .fields = f, .nfields = 2, .file = "t.csv", .line = 2 };
	struct ls_assign_opts o = { .now = NOW };
	struct ls_assign_result res;
	struct ls_error err = { 0 };
	const char *st = tmpname("at.state");
	struct ls_assigner *a = ls_assigner_new(t, hdr, 2, &o, &err);
	char line[64];
	FILE *fp;
	int found = 0;

	(void)state;
	assert_non_null(a);
	assert_int_equal(ls_assigner_next(a, &rec, &res, &err), 0);
	assert_string_equal(res.assigned_at, "2026-11-18T14:06:40+03:00");
	assert_int_equal(ls_assigner_save_state(a, st, &err), 0);
	ls_assigner_free(a);
	fp = fopen(st, "r");
	while (fgets(line, sizeof(line), fp))
		found |= strcmp(line, "lead\tL1\ta\t1795000000\n") == 0;
	fclose(fp);
	assert_true(found);

	/* a day later, the same lead: already_assigned, at its first time */
	o.now = NOW + 86400;
	a = ls_assigner_new(t, hdr, 2, &o, &err);
	assert_non_null(a);
	assert_int_equal(ls_assigner_read_state(a, st, &err), 0);
	assert_int_equal(ls_assigner_next(a, &rec, &res, &err), 0);
	assert_string_equal(res.reason, "already_assigned");
	assert_string_equal(res.assigned_at, "2026-11-18T14:06:40+03:00");
	f[0].p = "L2";
	assert_int_equal(ls_assigner_next(a, &rec, &res, &err), 0);
	assert_string_equal(res.assigned_at, "2026-11-19T14:06:40+03:00");
	ls_assigner_free(a);

	/* no timezone: UTC, not the machine's zone */
	o.now = NOW;
	a = ls_assigner_new(u, hdr, 2, &o, &err);
	assert_non_null(a);
	assert_int_equal(ls_assigner_next(a, &rec, &res, &err), 0);
	assert_string_equal(res.assigned_at, "2026-11-18T11:06:40Z");
	ls_assigner_free(a);

	/* a bad time in a state file is refused */
	fp = fopen(st, "w");
	fputs("# lead-assign state v2\nlead\tL1\ta\tsoon\n", fp);
	fclose(fp);
	a = ls_assigner_new(t, hdr, 2, &o, &err);
	assert_non_null(a);
	assert_int_equal(ls_assigner_read_state(a, st, &err), LS_ECONFIG);
	assert_int_equal(err.line, 2);
	ls_assigner_free(a);
	ls_team_free(t);
	ls_team_free(u);
	unlink(st);
}

static void
test_state_path(void **state)
{
	struct ls_error err = { 0 };
	const char *y1 = "managers: [{id: a}]\n", *y2 = "state: s/x.state\nmanagers: [{id: a}]\n";
	struct ls_team *t;

	(void)state;
	t = ls_team_load_mem("conf/team.yaml", y1, strlen(y1), &err);
	assert_non_null(t);
	assert_string_equal(ls_team_state_path(t), "conf/team.yaml.state");
	ls_team_free(t);
	t = ls_team_load_mem("conf/team.yaml", y2, strlen(y2), &err);
	assert_non_null(t);
	assert_string_equal(ls_team_state_path(t), "conf/s/x.state");
	ls_team_free(t);
	t = ls_team_load_mem("team.yaml", y2, strlen(y2), &err);
	assert_non_null(t);
	assert_string_equal(ls_team_state_path(t), "s/x.state");
	ls_team_free(t);
	ls_team_free(NULL);
	ls_assigner_free(NULL);
}

/*
 * Attached to its reader, an assigner prefetches the set of leads dealt
 * from the records ahead: the decisions are those it makes unattached,
 * repeats across the reader's batches included.
 */
static void
test_attach_same_decisions(void **state)
{
	struct ls_team *t = team("strategy: round_robin\nmanagers: [{id: a}, {id: b}, {id: c}]\n");
	char *text = NULL, *got[2] = { NULL, NULL };
	size_t tlen = 0, glen[2] = { 0, 0 };
	FILE *w = open_memstream(&text, &tlen);

	(void)state;
	fputs("lead_id,company\n", w);
	for (long i = 0; i < 5000; i++)
		fprintf(w, "L%ld,co%ld\n", i % 3001 * 7, i % 17);
	fclose(w);
	for (int attached = 0; attached < 2; attached++) {
		struct ls_error err = { 0 };
		struct ls_assign_result res;
		struct ls_record rec;
		FILE *fp = fmemopen(text, tlen, "r"), *out = open_memstream(&got[attached], &glen[attached]);
		struct ls_reader *r = ls_reader_open_fp(fp, "l.csv", NULL, &err);
		struct ls_assigner *a;
		long already = 0;
		int rc;

		assert_non_null(r);
		a = ls_assigner_new(t, ls_reader_header(r), ls_reader_ncols(r), &(struct ls_assign_opts){ .now = NOW }, &err);
		assert_non_null(a);
		if (attached)
			assert_int_equal(ls_assigner_attach(a, r, &err), 0);
		while ((rc = ls_reader_next(r, &rec, &err)) > 0) {
			assert_int_equal(ls_assigner_next(a, &rec, &res, &err), 0);
			fprintf(out, "%s %s\n", res.manager, res.reason);
			already += strcmp(res.reason, "already_assigned") == 0;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(already, 5000 - 3001);
		fclose(out);
		ls_assigner_free(a);
		ls_reader_free(r);
		fclose(fp);
	}
	assert_int_equal(glen[0], glen[1]);
	assert_string_equal(got[0], got[1]);
	free(got[0]);
	free(got[1]);
	free(text);
	ls_team_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_robin_fair),
		cmocka_unit_test(test_weighted_fair),
		cmocka_unit_test(test_least_loaded_fair),
		cmocka_unit_test(test_away),
		cmocka_unit_test(test_capacity_and_inactive),
		cmocka_unit_test(test_regions_and_routing),
		cmocka_unit_test(test_sticky_two_runs),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_reassign),
		cmocka_unit_test(test_bad_team),
		cmocka_unit_test(test_missing_sticky_column),
		cmocka_unit_test(test_bad_state),
		cmocka_unit_test(test_state_unreadable),
		cmocka_unit_test(test_sticky_quotes),
		cmocka_unit_test(test_state_keeps_foreign),
		cmocka_unit_test(test_state_path),
		cmocka_unit_test(test_assigned_at),
		cmocka_unit_test(test_attach_same_decisions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_assign_team.c - team files (assign_team.c): what a good one gives, where a bad one is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assign.h"
#include "error.h"

struct good_case {
	const char *name, *path, *yaml;
	const char *ids;	/* manager ids in team order, space-separated */
	size_t nactive;
	const char *sticky;	/* NULL: none */
	const char *state;	/* ls_team_state_path() */
};

static const struct good_case good[] = {
	{ "smallest", "team.yaml", "managers: [{id: a}]\n", "a", 1, NULL, "team.yaml.state" },
	{ "inactive counted apart", "dir/team.yaml",
	  "managers:\n  - {id: a}\n  - {id: b, active: false}\n  - {id: c, weight: 0.5}\n",
	  "a b c", 2, NULL, "dir/team.yaml.state" },
	{ "sticky and a relative state beside the team file", "/etc/ls/team.yaml",
	  "sticky: company\nstate: run/assign.state\nmanagers: [{id: x}, {id: y}]\n",
	  "x y", 2, "company", "/etc/ls/run/assign.state" },
	{ "absolute state", "t/team.yaml", "state: /var/lib/a.state\nmanagers: [{id: x}]\n", "x", 1, NULL,
	  "/var/lib/a.state" },
	{ "no folder: state as given", "team.yaml", "state: s.state\nmanagers: [{id: x}]\n", "x", 1, NULL,
	  "s.state" },
	{ "empty sticky is none", "team.yaml", "sticky: ''\nmanagers: [{id: x}]\n", "x", 1, NULL, "team.yaml.state" },
	{ "every key", "team.yaml",
	  "strategy: least_loaded\nsticky: inn\ndate_column: d\nregion_column: r\nskill_column: s\n"
	  "id_column: i\nstatuses: [qualified, callback]\ntimezone: Europe/Moscow\n"
	  "managers:\n  - {id: m1, regions: [msk, spb], skills: [en], capacity: 10, away: [2026-12-20..2027-01-08]}\n"
	  "  - {id: m2, weight: 3}\n"
	  "routing:\n  - {name: big, if: \"employees >= 1000\", pool: [m2]}\n",
	  "m1 m2", 2, "inn", "team.yaml.state" },
	{ "weighted", "team.yaml", "strategy: weighted\nmanagers: [{id: a, weight: 2}, {id: b, weight: 1}]\n",
	  "a b", 2, NULL, "team.yaml.state" },
};

static void
test_good(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		const struct good_case *c = &good[i];
		struct ls_error err = { 0 };
		struct ls_team *t = ls_team_load_mem(c->path, c->yaml, strlen(c->yaml), &err);
		char ids[256] = "";

		if (t == NULL)
			fail_msg("%s: %s (line %ld col %ld)", c->name, err.msg, err.line, err.col);
		for (size_t m = 0; m < ls_team_nmanagers(t); m++) {
			const char *id = ls_team_manager_id(t, m);

			if (m)
				strcat(ids, " ");
			strcat(ids, id ? id : "(null)");
		}
		if (strcmp(ids, c->ids) != 0)
			fail_msg("%s: managers '%s', expected '%s'", c->name, ids, c->ids);
		assert_int_equal(ls_team_nactive(t), c->nactive);
		if (c->sticky)
			assert_string_equal(ls_team_sticky(t), c->sticky);
		else
			assert_null(ls_team_sticky(t));
		if (strcmp(ls_team_state_path(t), c->state) != 0)
			fail_msg("%s: state %s, expected %s", c->name, ls_team_state_path(t), c->state);
		ls_team_free(t);
	}
	ls_team_free(NULL);
}

struct bad_case {
	const char *name, *yaml;
	long line, col;		/* col 0: not checked */
	const char *msg;	/* a part of the message */
};

static const struct bad_case bad[] = {
	{ "not a map", "- a\n", 1, 1, "" },
	{ "unknown key", "managers: [{id: a}]\nstrateg: weighted\n", 2, 1, "strateg" },
	{ "unknown strategy", "strategy: random\nmanagers: [{id: a}]\n", 1, 11, "unknown strategy 'random'" },
	{ "no managers key", "strategy: weighted\n", 1, 1, "no managers" },
	{ "empty managers", "managers: []\n", 1, 11, "no managers" },
	{ "managers not a list", "managers: {id: a}\n", 1, 11, "" },
	{ "empty state", "state: ''\nmanagers: [{id: a}]\n", 1, 8, "state must name a file" },
	{ "duplicate id", "managers:\n  - {id: a}\n  - {id: a}\n", 3, 0, "a" },
	{ "weight zero", "managers:\n  - {id: a, weight: 0}\n", 2, 0, "weight" },
	{ "weight negative", "managers:\n  - {id: a, weight: -1}\n", 2, 0, "weight" },
	{ "weight not a number", "managers:\n  - {id: a, weight: lots}\n", 2, 0, "weight" },
	{ "bad away date", "managers:\n  - {id: a, away: [2026-13-01..2026-12-31]}\n", 2, 0, "" },
	{ "unknown manager key", "managers:\n  - {id: a, boss: b}\n", 2, 0, "boss" },
	{ "routing pool unknown", "managers: [{id: a}]\nrouting:\n  - {name: r, if: \"x > 1\", pool: [zz]}\n", 3, 0, "zz" },
	{ "routing bad expression", "managers: [{id: a}]\nrouting:\n  - {name: r, if: \"x >\", pool: [a]}\n", 3, 0, "" },
	{ "unknown time zone", "timezone: Mars/Olympus\nmanagers: [{id: a}]\n", 1, 0, "" },
};

static void
test_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const struct bad_case *c = &bad[i];
		struct ls_error err = { 0 };
		struct ls_team *t = ls_team_load_mem("team.yaml", c->yaml, strlen(c->yaml), &err);

		if (t != NULL)
			fail_msg("%s: loaded", c->name);
		if (err.status != LS_ECONFIG)
			fail_msg("%s: status %d, expected LS_ECONFIG (%s)", c->name, (int)err.status, err.msg);
		assert_string_equal(err.file, "team.yaml");
		if (err.line != c->line || (c->col && err.col != c->col))
			fail_msg("%s: at %ld:%ld, expected %ld:%ld (%s)", c->name, err.line, err.col, c->line,
			    c->col, err.msg);
		if (strstr(err.msg, c->msg) == NULL)
			fail_msg("%s: message '%s' lacks '%s'", c->name, err.msg, c->msg);
	}
}

/* From a file: the path is the name in messages and the state goes beside it. */
static void
test_load_file(void **state)
{
	char dir[] = "/tmp/test_assign_team.XXXXXX", path[64], want[80];
	struct ls_error err = { 0 };
	struct ls_team *t;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/team.yaml", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("state: a.state\nmanagers: [{id: a}, {id: b, active: false}]\n", fp);
	fclose(fp);
	t = ls_team_load(path, &err);
	assert_non_null(t);
	snprintf(want, sizeof want, "%s/a.state", dir);
	assert_string_equal(ls_team_state_path(t), want);
	assert_int_equal(ls_team_nmanagers(t), 2);
	assert_int_equal(ls_team_nactive(t), 1);
	ls_team_free(t);
	remove(path);
	assert_null(ls_team_load(path, &err));
	assert_int_not_equal(err.status, 0);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_load_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_assign_state.c - the state file (assign_state.c): read, written back the same, refused when bad;
 * the --load file. */
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
#include "record.h"

#define TEAM	"strategy: round_robin\nsticky: company\nmanagers: [{id: ivanov}, {id: petrova}, {id: sidorov}]\n"

static char dir[] = "/tmp/test_assign_state.XXXXXX";
static char path[80];

static const char *const names[] = { "lead_id", "company", "manager", "assign_reason" };

struct fx {
	struct ls_team *t;
	struct ls_assigner *a;
	struct ls_str hdr[4];
};

static void
open_fx(struct fx *x)
{
	struct ls_error err = { 0 };
	struct ls_assign_opts o = { .now = 1795000000 };

	x->t = ls_team_load_mem("team.yaml", TEAM, strlen(TEAM), &err);
	assert_non_null(x->t);
	for (int i = 0; i < 4; i++)
		x->hdr[i] = (struct ls_str){ names[i], strlen(names[i]) };
	x->a = ls_assigner_new(x->t, x->hdr, 2, &o, &err);
	if (x->a == NULL)
		fail_msg("assigner: %s", err.msg);
}

static void
close_fx(struct fx *x)
{
	ls_assigner_free(x->a);
	ls_team_free(x->t);
}

static void
put(const char *p, const char *text, size_t n)
{
	FILE *fp = fopen(p, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, n, fp), n);
	fclose(fp);
}

static int
cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* text's lines sorted (the sticky and lead records come in the table's order, not the file's) */
static char *
sorted(const char *text)
{
	static char out[2][4096];
	static int k;
	char copy[4096], *lines[128], *p, *save = NULL;
	size_t n = 0;

	k ^= 1;
	strcpy(copy, text);
	for (p = strtok_r(copy, "\n", &save); p && n < 128; p = strtok_r(NULL, "\n", &save))
		lines[n++] = p;
	qsort(lines, n, sizeof lines[0], cmp_line);
	out[k][0] = '\0';
	for (size_t i = 0; i < n; i++)
		strcat(strcat(out[k], lines[i]), "\n");
	return out[k];
}

/* What ls_assigner_write_state() writes, in a static buffer. */
static const char *
written(const struct ls_assigner *a)
{
	static char buf[4096];
	struct ls_error err = { 0 };
	FILE *fp = tmpfile();
	size_t n;

	assert_non_null(fp);
	assert_int_equal(ls_assigner_write_state(a, fp, &err), 0);
	rewind(fp);
	n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* A state file as lead-assign writes it: read, every record is where the API says, and written back byte for byte. */
static void
test_round_trip(void **state)
{
	static const char st[] =
	    "# lead-assign state v1\n"
	    "cursor\tpetrova\n"
	    "manager\tivanov\t3\t10\t-500\n"
	    "manager\tpetrova\t0\t7\t1000\n"
	    "manager\tsidorov\t12\t12\t0\n"
	    "manager\tgone\t1\t1\t0\n"
	    "sticky\t\"рога и копыта\"\tivanov\n"
	    "sticky\ttab here\tsidorov\n"
	    "lead\tL-1\tivanov\n"
	    "lead\tL-2\tgone\n";
	struct fx x;
	struct ls_error err = { 0 };
	const char *w;

	(void)state;
	open_fx(&x);
	put(path, st, sizeof st - 1);
	assert_int_equal(ls_assigner_read_state(x.a, path, &err), 0);
	assert_int_equal(ls_assigner_load(x.a, "ivanov"), 3);
	assert_int_equal(ls_assigner_assigned(x.a, "ivanov"), 10);
	assert_int_equal(ls_assigner_load(x.a, "sidorov"), 12);
	assert_int_equal(ls_assigner_assigned(x.a, "petrova"), 7);
	assert_int_equal(ls_assigner_load(x.a, "nobody"), -1);
	/* sticky values are compared normalised: case, spaces, quotes */
	assert_string_equal(ls_assigner_owner(x.a, "\"Рога  и КОПЫТА\"", strlen("\"Рога  и КОПЫТА\"")), "ivanov");
	assert_string_equal(ls_assigner_owner(x.a, "«рога и копыта»", strlen("«рога и копыта»")), "ivanov");
	assert_string_equal(ls_assigner_owner(x.a, "tab\there", 8), "sidorov");
	assert_null(ls_assigner_owner(x.a, "other", 5));
	w = written(x.a);
	/* a v1 file is written back as v2 (its leads' first times unknown, so none written) */
	char want[sizeof st];
	memcpy(want, st, sizeof st);
	want[strlen("# lead-assign state v")] = '2';
	/* the head and the cursor and manager records in their order, then the rest */
	assert_memory_equal(w, want, strstr(want, "sticky") - want);
	if (strcmp(sorted(w), sorted(want)) != 0)
		fail_msg("written back:\n%s--- read:\n%s", w, want);
	close_fx(&x);
}

/* No file: a first run, nothing known; written, only the team's managers at zero. */
static void
test_missing_file(void **state)
{
	struct fx x;
	struct ls_error err = { 0 };

	(void)state;
	open_fx(&x);
	unlink(path);
	assert_int_equal(ls_assigner_read_state(x.a, path, &err), 0);
	assert_int_equal(ls_assigner_load(x.a, "petrova"), 0);
	assert_string_equal(written(x.a),
	    "# lead-assign state v2\n"
	    "manager\tivanov\t0\t0\t0\n"
	    "manager\tpetrova\t0\t0\t0\n"
	    "manager\tsidorov\t0\t0\t0\n");
	close_fx(&x);
}

struct bad_case {
	const char *name, *text;
	size_t n;		/* 0: strlen */
	long line;
	const char *msg;	/* a part of the message */
};

#define HEAD	"# lead-assign state v1\n"
static const struct bad_case bad[] = {
	{ "empty", "", 0, 0, "empty" },
	{ "not a state file", "manager\ta\t1\t1\t0\n", 0, 1, "" },
	{ "newer version", "# lead-assign state v3\n", 0, 1, "" },
	{ "load not a number", HEAD "manager\tivanov\tx\t1\t0\n", 0, 2, "bad manager record" },
	{ "negative load", HEAD "manager\tivanov\t-1\t1\t0\n", 0, 2, "bad manager record" },
	{ "load too big", HEAD "manager\tivanov\t1000000000001\t1\t0\n", 0, 2, "bad manager record" },
	{ "empty manager id", HEAD "manager\t\t1\t1\t0\n", 0, 2, "bad manager record" },
	{ "manager with 4 fields", HEAD "manager\tivanov\t1\t1\n", 0, 2, "unknown record 'manager' with 4 fields" },
	{ "unknown record", HEAD "# a comment\nowner\tx\ty\n", 0, 3, "unknown record 'owner' with 3 fields" },
	{ "bad escape", HEAD "sticky\ta\\qb\tivanov\n", 0, 2, "bad escape" },
	{ "cut short", HEAD "cursor\tivanov\nlead\tL-1\tiva", 0, 3, "cut short" },
	{ "NUL byte", HEAD "lead\tL\0\tivanov\n", sizeof(HEAD "lead\tL\0\tivanov\n") - 1, 2, "NUL byte" },
};

/* A bad file is refused at its line, and the state is left empty, not half read. */
static void
test_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const struct bad_case *c = &bad[i];
		struct ls_error err = { 0 };
		struct fx x;

		open_fx(&x);
		put(path, c->text, c->n ? c->n : strlen(c->text));
		if (ls_assigner_read_state(x.a, path, &err) != LS_ECONFIG)
			fail_msg("%s: not refused (%s)", c->name, err.msg);
		assert_int_equal(err.status, LS_ECONFIG);
		assert_string_equal(err.file, path);
		if (err.line != c->line || strstr(err.msg, c->msg) == NULL)
			fail_msg("%s: line %ld '%s', expected line %ld '%s'", c->name, err.line, err.msg, c->line, c->msg);
		assert_int_equal(ls_assigner_load(x.a, "ivanov"), 0);
		assert_null(ls_assigner_owner(x.a, "a", 1));
		close_fx(&x);
	}
}

/* Saved atomically, then read back by another assigner: the same text. */
static void
test_save(void **state)
{
	static const char st[] = "# lead-assign state v2\n"
	    "cursor\tsidorov\nmanager\tivanov\t1\t2\t3\nmanager\tpetrova\t0\t0\t0\n"
	    "manager\tsidorov\t4\t5\t6\nsticky\tacme\tpetrova\n";
	struct fx x, y;
	struct ls_error err = { 0 };
	char copy[4096];

	(void)state;
	open_fx(&x);
	put(path, st, sizeof st - 1);
	assert_int_equal(ls_assigner_read_state(x.a, path, &err), 0);
	unlink(path);
	assert_int_equal(ls_assigner_save_state(x.a, path, &err), 0);
	open_fx(&y);
	assert_int_equal(ls_assigner_read_state(y.a, path, &err), 0);
	strcpy(copy, written(x.a));
	assert_string_equal(written(y.a), copy);
	assert_string_equal(copy, st);
	assert_string_equal(ls_assigner_owner(y.a, "ACME", 4), "petrova");
	close_fx(&x);
	close_fx(&y);
}

struct load_case {
	const char *name, *csv;
	long long ivanov, petrova, sidorov;	/* loads after; -2: the file is refused */
	int status;
	long line;
};

static const struct load_case loads[] = {
	{ "sums per manager", "manager,open_leads\nivanov,2\npetrova,5\nivanov,3\n", 5, 5, 0, 0, 0 },
	{ "unknown ids ignored", "open_leads,manager\n7,nobody\n1,sidorov\n", 0, 0, 1, 0, 0 },
	{ "bad number", "manager,open_leads\nivanov,2\npetrova,x\n", -2, 0, 0, LS_EDATA, 3 },
	{ "negative", "manager,open_leads\nivanov,-2\n", -2, 0, 0, LS_EDATA, 2 },
	{ "missing column", "manager,leads\nivanov,2\n", -2, 0, 0, LS_ECONFIG, 1 },
};

/* --load replaces the state's loads: managers not in the file have none. */
static void
test_read_load(void **state)
{
	static const char st[] = HEAD "manager\tivanov\t9\t9\t0\nmanager\tsidorov\t9\t9\t0\n";
	char csv[96];

	(void)state;
	snprintf(csv, sizeof csv, "%s/load.csv", dir);
	for (size_t i = 0; i < sizeof loads / sizeof loads[0]; i++) {
		const struct load_case *c = &loads[i];
		struct ls_error err = { 0 };
		struct fx x;
		int rc;

		open_fx(&x);
		put(path, st, sizeof st - 1);
		assert_int_equal(ls_assigner_read_state(x.a, path, &err), 0);
		put(csv, c->csv, strlen(c->csv));
		rc = ls_assigner_read_load(x.a, csv, &err);
		if (c->ivanov == -2) {
			if (rc != c->status || err.line != c->line)
				fail_msg("%s: %d at line %ld (%s), expected %d at %ld", c->name, rc, err.line, err.msg,
				    c->status, c->line);
		} else {
			if (rc != 0)
				fail_msg("%s: %s", c->name, err.msg);
			assert_int_equal(ls_assigner_load(x.a, "ivanov"), c->ivanov);
			assert_int_equal(ls_assigner_load(x.a, "petrova"), c->petrova);
			assert_int_equal(ls_assigner_load(x.a, "sidorov"), c->sidorov);
			/* the counts of leads handed out are the state's still */
			assert_int_equal(ls_assigner_assigned(x.a, "ivanov"), 9);
		}
		close_fx(&x);
	}
	unlink(csv);
}

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/team.state", dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(path);
	return rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_save),
		cmocka_unit_test(test_read_load),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

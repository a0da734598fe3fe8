/* test_readahead.c - records read ahead, on a thread or in batches: the same records, errors in their place. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "readahead.h"

/*
 * A source of n records "r<i>,<i * 7>" at line i + 2 of src.csv; record i is
 * a data error when i % bad_every == bad_every - 1 (bad_every > 0), and after
 * final records comes a final LS_EIO instead of the end (final >= 0).
 */
struct src {
	long n, i, bad_every, final;
	char f0[32], f1[32], raw[64];
	struct ls_str f[2];
	long calls_after_end;
};

static int
src_next(void *p, struct ls_record *rec, struct ls_error *err)
{
	struct src *s = p;
	long i = s->i;

	if (s->final >= 0 && i == s->final)
		return ls_error_set(err, LS_EIO, "src.csv", 0, 0, "read failed"), -1;
	if (i >= s->n) {
		s->calls_after_end++;
		return 0;
	}
	s->i++;
	snprintf(s->f0, sizeof s->f0, "r%ld", i);
	snprintf(s->f1, sizeof s->f1, "%ld", i * 7);
	snprintf(s->raw, sizeof s->raw, "r%ld,%ld,extra", i, i * 7);
	rec->file = "src.csv";
	rec->line = i + 2;
	rec->raw.p = s->raw;
	rec->raw.n = strlen(s->raw);
	if (s->bad_every > 0 && i % s->bad_every == s->bad_every - 1) {
		ls_error_set(err, LS_EDATA, "src.csv", i + 2, 0, "expected 2 fields, got 3");
		return -1;
	}
	s->f[0] = (struct ls_str){ s->f0, strlen(s->f0) };
	s->f[1] = (struct ls_str){ s->f1, strlen(s->f1) };
	rec->fields = s->f;
	rec->nfields = 2;
	return 1;
}

/* prepare: one extra value, "<field 0>!" ; hint counts the records it saw */
struct ctx {
	char buf[40];
	long prepared, hinted;
};

static int
prep(void *p, const struct ls_record *rec, struct ls_str *extra, struct ls_error *err)
{
	struct ctx *c = p;

	(void)err;
	snprintf(c->buf, sizeof c->buf, "%s!", rec->fields[0].p);
	extra[0] = (struct ls_str){ c->buf, strlen(c->buf) };
	c->prepared++;
	return 0;
}

static void
hint(void *p, const struct ls_record *rec)
{
	struct ctx *c = p;

	(void)rec;
	c->hinted++;
}

struct ra_case {
	const char *name;
	long n, bad_every, final;
	int thread, with_prep;
};

static const struct ra_case cases[] = {
	{ "empty, thread", 0, 0, -1, 1, 0 },
	{ "empty, batches", 0, 0, -1, 0, 0 },
	{ "one record", 1, 0, -1, 1, 0 },
	{ "many records, thread", 50000, 0, -1, 1, 0 },
	{ "many records, batches", 50000, 0, -1, 0, 0 },
	{ "data errors in place, thread", 3000, 7, -1, 1, 0 },
	{ "data errors in place, batches", 3000, 7, -1, 0, 0 },
	{ "every record bad", 600, 1, -1, 1, 0 },
	{ "final error, thread", 10000, 0, 9000, 1, 0 },
	{ "final error, batches", 10000, 0, 300, 0, 0 },
	{ "prepared values, thread", 20000, 11, -1, 1, 1 },
	{ "prepared values, batches", 20000, 11, -1, 0, 1 },
};

static void
run_case(const struct ra_case *c)
{
	struct src s = { .n = c->n, .bad_every = c->bad_every, .final = c->final };
	struct ctx cx = { .prepared = 0 };
	struct ls_readahead *ra;
	struct ls_record rec;
	struct ls_error err;
	long good = 0, bad = 0, end = c->final >= 0 ? c->final : c->n;
	int rc;

	ra = (c->thread ? ls_readahead_start : ls_readahead_batches)(src_next, &s,
	    c->with_prep ? prep : NULL, c->with_prep ? hint : NULL, &cx, c->with_prep ? 1 : 0);
	if (ra == NULL)
		fail_msg("%s: no readahead", c->name);
	for (long i = 0; i < end; i++) {
		char want[64];

		memset(&err, 0, sizeof err);
		rc = ls_readahead_next(ra, &rec, &err);
		/* an allocation failed (make check-oom-unit): rec is not filled; say so, do not read it */
		if (rc == -1 && err.status != LS_EDATA)
			fail_msg("%s: record %ld: %s", c->name, i, err.msg);
		assert_string_equal(rec.file, "src.csv");
		if (rec.line != i + 2)
			fail_msg("%s: record %ld at line %ld", c->name, i, rec.line);
		if (c->bad_every > 0 && i % c->bad_every == c->bad_every - 1) {
			if (rc != -1 || err.status != LS_EDATA)
				fail_msg("%s: record %ld: %d (status %d), expected a data error", c->name, i, rc,
				    (int)err.status);
			assert_int_equal(err.line, i + 2);
			assert_string_equal(err.msg, "expected 2 fields, got 3");
			snprintf(want, sizeof want, "r%ld,%ld,extra", i, i * 7);
			assert_int_equal(rec.raw.n, strlen(want));
			assert_memory_equal(rec.raw.p, want, rec.raw.n);
			bad++;
			continue;
		}
		if (rc != 1)
			fail_msg("%s: record %ld: %d (%s)", c->name, i, rc, err.msg);
		assert_int_equal(rec.nfields, 2);
		snprintf(want, sizeof want, "r%ld", i);
		assert_string_equal(rec.fields[0].p, want);
		assert_int_equal(rec.fields[0].n, strlen(want));
		snprintf(want, sizeof want, "%ld", i * 7);
		assert_string_equal(rec.fields[1].p, want);
		if (c->with_prep) {
			snprintf(want, sizeof want, "r%ld!", i);
			assert_int_equal(rec.fields[2].n, strlen(want));
			assert_memory_equal(rec.fields[2].p, want, rec.fields[2].n);
		}
		good++;
	}
	memset(&err, 0, sizeof err);
	rc = ls_readahead_next(ra, &rec, &err);
	if (c->final >= 0) {
		assert_int_equal(rc, -1);
		assert_int_equal(err.status, LS_EIO);
		assert_string_equal(err.msg, "read failed");
	} else {
		assert_int_equal(rc, 0);
		/* and the end stays the end */
		assert_int_equal(ls_readahead_next(ra, &rec, &err), 0);
	}
	ls_readahead_free(ra);
	/* joined: the counts are final */
	if (c->with_prep) {
		assert_int_equal(cx.prepared, good);
		assert_int_equal(cx.hinted, good);
	}
	assert_int_equal(good + bad, end);
}

static void
test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		run_case(&cases[i]);
}

/* In batches, peek(k) is the record next() will hand out k calls later, while it is in the batch. */
static void
test_peek_batches(void **state)
{
	struct src s = { .n = 100, .final = -1 };
	struct ls_readahead *ra = ls_readahead_batches(src_next, &s, NULL, NULL, NULL, 0);
	struct ls_record rec, ahead;
	struct ls_error err;

	(void)state;
	assert_non_null(ra);
	assert_int_equal(ls_readahead_peek(ra, 1, &ahead), 0);	/* nothing read yet */
	assert_int_equal(ls_readahead_next(ra, &rec, &err), 1);
	assert_string_equal(rec.fields[0].p, "r0");
	assert_int_equal(ls_readahead_peek(ra, 0, &ahead), 0);
	for (size_t k = 1; k < 100; k++) {
		char want[16];

		assert_int_equal(ls_readahead_peek(ra, k, &ahead), 1);
		snprintf(want, sizeof want, "r%zu", k);
		assert_string_equal(ahead.fields[0].p, want);
		assert_int_equal(ahead.line, (long)k + 2);
	}
	assert_int_equal(ls_readahead_peek(ra, 100, &ahead), 0);	/* past the end */
	assert_int_equal(ls_readahead_next(ra, &rec, &err), 1);
	assert_string_equal(rec.fields[0].p, "r1");
	ls_readahead_free(ra);
}

/*
 * Records whose fields are not in their raw text (as libcsv builds them),
 * one of them larger than a batch's buffer: the buffer grows, and the
 * fields of the records copied into it before keep their values.
 */
struct big_src {
	int i;
	char *big;
	size_t nbig;
	struct ls_str f[2];
};

#define BIG_FIELD	((size_t)1536 << 10)	/* 1.5 MiB: more than twice a batch's first buffer */

static int
big_next(void *p, struct ls_record *rec, struct ls_error *err)
{
	static const char *const small[] = { "alpha", "beta", "", "omega" };
	struct big_src *s = p;

	(void)err;
	if (s->i == 4)
		return 0;
	s->f[0] = (struct ls_str){ small[s->i], strlen(small[s->i]) };
	s->f[1] = s->i == 2 ? (struct ls_str){ s->big, s->nbig } : (struct ls_str){ "x", 1 };
	rec->file = "big.csv";
	rec->line = ++s->i + 1;
	rec->raw = (struct ls_str){ "elsewhere", 9 };
	rec->fields = s->f;
	rec->nfields = 2;
	return 1;
}

static void
test_big_record(void **state)
{
	(void)state;
	for (int thread = 0; thread < 2; thread++) {
		struct big_src s = { .nbig = BIG_FIELD };
		struct ls_readahead *ra;
		struct ls_record rec;
		struct ls_error err = { 0 };
		static const char *const want[] = { "alpha", "beta", "", "omega" };

		assert_non_null(s.big = malloc(BIG_FIELD + 1));
		memset(s.big, 'b', BIG_FIELD);
		s.big[BIG_FIELD - 1] = 'Z';
		s.big[BIG_FIELD] = '\0';
		ra = (thread ? ls_readahead_start : ls_readahead_batches)(big_next, &s, NULL, NULL, NULL, 0);
		assert_non_null(ra);
		for (int i = 0; i < 4; i++) {
			assert_int_equal(ls_readahead_next(ra, &rec, &err), 1);
			assert_int_equal(rec.line, i + 2);
			assert_string_equal(rec.fields[0].p, want[i]);
			if (i == 2) {
				assert_int_equal(rec.fields[1].n, BIG_FIELD);
				assert_int_equal(rec.fields[1].p[0], 'b');
				assert_int_equal(rec.fields[1].p[BIG_FIELD - 1], 'Z');
				assert_int_equal(rec.fields[1].p[BIG_FIELD], '\0');
			} else
				assert_string_equal(rec.fields[1].p, "x");
		}
		assert_int_equal(ls_readahead_next(ra, &rec, &err), 0);
		ls_readahead_free(ra);
		free(s.big);
	}
}

/* Freed half-way (a thread waiting for room in the ring): stops and frees without reading on to the end. */
static void
test_free_early(void **state)
{
	struct src s = { .n = 5000000, .final = -1 };
	struct ls_readahead *ra = ls_readahead_start(src_next, &s, NULL, NULL, NULL, 0);
	struct ls_record rec;
	struct ls_error err;

	(void)state;
	assert_non_null(ra);
	for (int i = 0; i < 10; i++)
		assert_int_equal(ls_readahead_next(ra, &rec, &err), 1);
	ls_readahead_free(ra);
	assert_true(s.i < s.n);
	assert_int_equal(s.calls_after_end, 0);
	ls_readahead_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_peek_batches),
		cmocka_unit_test(test_free_early),
		cmocka_unit_test(test_big_record),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_intmap.c - the map of 64-bit keys with their values in the slot. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "intmap.h"

static uint32_t
val32(const void *v)
{
	uint32_t x;

	memcpy(&x, v, sizeof(x));
	return x;
}

static void
test_upsert_get(void **state)
{
	struct ls_error err = { 0 };
	struct ls_intmap *m = ls_intmap_create(4, &err);
	uint32_t x = 7;
	int created = -1, st = -1;
	void *v;

	(void)state;
	assert_non_null(m);
	assert_null(ls_intmap_get(m, 79161234567ULL));
	v = ls_intmap_upsert(m, 79161234567ULL, &created, &st);
	assert_non_null(v);
	assert_int_equal(created, 1);
	assert_int_equal(st, 0);
	assert_int_equal(val32(v), 0);		/* a new value is zeroed */
	memcpy(v, &x, sizeof(x));
	v = ls_intmap_upsert(m, 79161234567ULL, &created, &st);
	assert_int_equal(created, 0);
	assert_int_equal(val32(v), 7);		/* an old key keeps its value */
	assert_int_equal(val32(ls_intmap_get(m, 79161234567ULL)), 7);
	assert_null(ls_intmap_get(m, 79161234568ULL));
	assert_null(ls_intmap_get(m, UINT64_MAX));
	assert_int_equal(ls_intmap_count(m), 1);
	ls_intmap_free(m);
}

/* 0 marks an empty slot: refused, never found. */
static void
test_key_zero(void **state)
{
	struct ls_intmap *m = ls_intmap_create(8, NULL);
	int created = -1, st = 0;

	(void)state;
	assert_non_null(m);
	assert_null(ls_intmap_upsert(m, 0, &created, &st));
	assert_int_equal(st, LS_EUSAGE);
	assert_int_equal(created, 0);
	assert_null(ls_intmap_get(m, 0));
	assert_int_equal(ls_intmap_count(m), 0);
	ls_intmap_free(m);
}

static void
test_value_sizes(void **state)
{
	struct ls_error err = { 0 };

	(void)state;
	assert_null(ls_intmap_create(0, &err));
	assert_int_equal(err.status, LS_EUSAGE);
	err.status = 0;
	assert_null(ls_intmap_create(65, &err));
	assert_int_equal(err.status, LS_EUSAGE);
	ls_intmap_free(NULL);
	assert_int_equal(ls_intmap_count(NULL), 0);
	assert_int_equal(ls_intmap_memory(NULL), 0);
	assert_null(ls_intmap_get(NULL, 1));
}

/*
 * Keys that differ in their low digits only, in a map left to grow from its
 * first 16 slots: every value survives each move, with the odd value size
 * of the call index (14 bytes: slots are 22 bytes, not aligned).
 */
static void
test_growth_keeps_values(void **state)
{
	struct ls_intmap *m = ls_intmap_create(14, NULL);
	unsigned char buf[14];
	int created, st;
	size_t i, n = 100000;
	void *v;

	(void)state;
	assert_non_null(m);
	for (i = 0; i < n; i++) {
		uint64_t k = 79160000000ULL + i * 7;
		v = ls_intmap_upsert(m, k, &created, &st);
		assert_non_null(v);
		assert_int_equal(created, 1);
		memset(buf, (int)(i & 0xff), sizeof(buf));
		memcpy(buf, &k, sizeof(k));
		memcpy(v, buf, sizeof(buf));
	}
	assert_int_equal(ls_intmap_count(m), n);
	/* at most 3/4 full: 22-byte slots, at least n * 4/3 of them */
	assert_true(ls_intmap_memory(m) >= n * 22 * 4 / 3);
	for (i = 0; i < n; i++) {
		uint64_t k = 79160000000ULL + i * 7, got;
		const unsigned char *g = ls_intmap_get(m, k);
		assert_non_null(g);
		memcpy(&got, g, sizeof(got));
		assert_true(got == k);
		assert_int_equal(g[13], (int)(i & 0xff));
		assert_null(ls_intmap_get(m, k + 1));	/* never put: i * 7 + 1 is no multiple of 7 */
	}
	ls_intmap_free(m);
}

/*
 * A reserve sizes the table once (n * 4/3 slots, not the next power of
 * two); fit moves the keys to a table their own size when fewer came.
 */
static void
test_reserve_and_fit(void **state)
{
	struct ls_intmap *m = ls_intmap_create(4, NULL);
	size_t before, i;
	int created, st;
	void *v;

	(void)state;
	assert_non_null(m);
	assert_int_equal(ls_intmap_reserve(m, 3000), 0);
	before = ls_intmap_memory(m);
	assert_true(before >= 4000 * 12);
	assert_true(before < 4096 * 12);	/* not rounded up to 2^12 slots */
	for (i = 1; i <= 3000; i++) {
		v = ls_intmap_upsert(m, i, &created, &st);
		assert_non_null(v);
		memcpy(v, &(uint32_t){ (uint32_t)i * 3 }, 4);
	}
	assert_int_equal(ls_intmap_memory(m), before);	/* no move on the way */
	assert_int_equal(ls_intmap_fit(m), 0);
	assert_int_equal(ls_intmap_memory(m), before);	/* full enough already */
	assert_int_equal(ls_intmap_reserve(m, 100), 0);	/* a smaller reserve changes nothing */
	assert_int_equal(ls_intmap_memory(m), before);

	struct ls_intmap *big = ls_intmap_create(4, NULL);
	assert_non_null(big);
	assert_int_equal(ls_intmap_reserve(big, 1 << 20), 0);
	for (i = 1; i <= 1000; i++) {
		v = ls_intmap_upsert(big, i << 40, &created, &st);
		assert_non_null(v);
		memcpy(v, &(uint32_t){ (uint32_t)i }, 4);
	}
	assert_true(ls_intmap_memory(big) > (size_t)12 << 20);
	assert_int_equal(ls_intmap_fit(big), 0);
	assert_true(ls_intmap_memory(big) < 2000 * 12);
	assert_int_equal(ls_intmap_count(big), 1000);
	for (i = 1; i <= 1000; i++)
		assert_int_equal(val32(ls_intmap_get(big, i << 40)), i);
	for (i = 1; i <= 3000; i++)
		assert_int_equal(val32(ls_intmap_get(m, i)), i * 3);
	ls_intmap_free(big);
	ls_intmap_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_upsert_get),
		cmocka_unit_test(test_key_zero),
		cmocka_unit_test(test_value_sizes),
		cmocka_unit_test(test_growth_keeps_values),
		cmocka_unit_test(test_reserve_and_fit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_keyset.c - the de-duplication set. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "keyset.h"

static void
test_put_get(void **state)
{
	struct ls_error err = { 0 };
	struct ls_keyset *s = ls_keyset_create(&err);
	const char *ex = "sentinel";

	(void)state;
	assert_non_null(s);
	assert_int_equal(err.status, LS_OK);	/* untouched on success */
	assert_int_equal(ls_keyset_count(s), 0);
	assert_null(ls_keyset_get(s, "+79161234567", 12));
	assert_int_equal(ls_keyset_put(s, "+79161234567", 12, "L-1", 3, &ex), 0);
	assert_null(ex);
	assert_int_equal(ls_keyset_put(s, "ivan@example.com", 16, "L-2", 3, &ex), 0);
	assert_null(ex);
	assert_string_equal(ls_keyset_get(s, "+79161234567", 12), "L-1");
	assert_string_equal(ls_keyset_get(s, "ivan@example.com", 16), "L-2");
	assert_null(ls_keyset_get(s, "+7916123456", 11));	/* a prefix is another key */
	assert_null(ls_keyset_get(s, "+791612345678", 13));
	assert_int_equal(ls_keyset_count(s), 2);
	ls_keyset_free(s);
}

/* The first holder keeps the key; later puts learn its value and change nothing. */
static void
test_duplicate_returns_first(void **state)
{
	struct ls_keyset *s = ls_keyset_new();
	const char *ex, *first;

	(void)state;
	assert_non_null(s);
	assert_int_equal(ls_keyset_put(s, "k", 1, "first", 5, &ex), 0);
	assert_null(ex);
	first = ls_keyset_get(s, "k", 1);
	assert_int_equal(ls_keyset_put(s, "k", 1, "second", 6, &ex), 0);
	assert_non_null(ex);
	assert_string_equal(ex, "first");
	assert_ptr_equal(ex, first);
	assert_int_equal(ls_keyset_put(s, "k", 1, "third", 5, NULL), 0);
	assert_string_equal(ls_keyset_get(s, "k", 1), "first");
	assert_int_equal(ls_keyset_count(s), 1);
	ls_keyset_free(s);
}

static void
test_empty_key_and_value(void **state)
{
	struct ls_keyset *s = ls_keyset_new();
	const char *ex;

	(void)state;
	assert_non_null(s);
	assert_null(ls_keyset_get(s, "", 0));
	assert_int_equal(ls_keyset_put(s, "", 0, "E", 1, &ex), 0);
	assert_null(ex);
	assert_int_equal(ls_keyset_put(s, NULL, 0, "F", 1, &ex), 0);
	assert_string_equal(ex, "E");
	assert_string_equal(ls_keyset_get(s, NULL, 0), "E");
	/* An empty value is stored as "" and still marks the key as taken. */
	assert_int_equal(ls_keyset_put(s, "x", 1, NULL, 0, &ex), 0);
	assert_null(ex);
	assert_int_equal(ls_keyset_put(s, "x", 1, "y", 1, &ex), 0);
	assert_string_equal(ex, "");
	assert_int_equal(ls_keyset_count(s), 2);
	ls_keyset_free(s);
}

/* Keys are bytes: an embedded NUL matters, and "a" is not "a\0". */
static void
test_binary_keys(void **state)
{
	struct ls_keyset *s = ls_keyset_new();
	const char *ex;

	(void)state;
	assert_non_null(s);
	assert_int_equal(ls_keyset_put(s, "a", 1, "1", 1, &ex), 0);
	assert_int_equal(ls_keyset_put(s, "a\0", 2, "2", 1, &ex), 0);
	assert_null(ex);
	assert_int_equal(ls_keyset_put(s, "a\0b", 3, "3", 1, &ex), 0);
	assert_null(ex);
	assert_int_equal(ls_keyset_put(s, "a\0c", 3, "4", 1, &ex), 0);
	assert_null(ex);
	assert_string_equal(ls_keyset_get(s, "a\0", 2), "2");
	assert_string_equal(ls_keyset_get(s, "a\0c", 3), "4");
	assert_int_equal(ls_keyset_count(s), 4);
	ls_keyset_free(s);
}

/* A value larger than an arena chunk gets a chunk of its own. */
static void
test_long_value(void **state)
{
	static char big[3 * 1024 * 1024];
	struct ls_keyset *s = ls_keyset_new();
	const char *v;

	(void)state;
	assert_non_null(s);
	memset(big, 'v', sizeof(big) - 1);
	assert_int_equal(ls_keyset_put(s, "small", 5, "1", 1, NULL), 0);
	assert_int_equal(ls_keyset_put(s, "big", 3, big, sizeof(big) - 1, NULL), 0);
	assert_int_equal(ls_keyset_put(s, "after", 5, "2", 1, NULL), 0);
	v = ls_keyset_get(s, "big", 3);
	assert_non_null(v);
	assert_int_equal(strlen(v), sizeof(big) - 1);
	assert_string_equal(ls_keyset_get(s, "small", 5), "1");
	assert_string_equal(ls_keyset_get(s, "after", 5), "2");
	ls_keyset_free(s);
}

/*
 * A million phone-shaped keys with lead ids: every one found again, values
 * handed out before the growth still valid after it, memory within budget.
 */
#define NKEYS	1000000

static void
test_million(void **state)
{
	struct ls_keyset *s = ls_keyset_new();
	const char *ex, *early;
	char k[32], v[32];
	int kl, vl;
	long long i;

	(void)state;
	assert_non_null(s);
	assert_int_equal(ls_keyset_put(s, "+70000000000", 12, "L0", 2, NULL), 0);
	early = ls_keyset_get(s, "+70000000000", 12);
	for (i = 1; i < NKEYS; i++) {
		kl = snprintf(k, sizeof(k), "+7%010lld", i * 7919 % 10000000000LL);
		vl = snprintf(v, sizeof(v), "L%lld", i);
		assert_int_equal(ls_keyset_put(s, k, (size_t)kl, v, (size_t)vl, &ex), 0);
		if (ex != NULL)
			fail_msg("key %s reported taken by %s", k, ex);
	}
	assert_int_equal(ls_keyset_count(s), NKEYS);
	assert_string_equal(early, "L0");
	for (i = 1; i < NKEYS; i++) {
		kl = snprintf(k, sizeof(k), "+7%010lld", i * 7919 % 10000000000LL);
		vl = snprintf(v, sizeof(v), "L%lld", i);
		assert_int_equal(ls_keyset_put(s, k, (size_t)kl, "dup", 3, &ex), 0);
		assert_non_null(ex);
		assert_string_equal(ex, v);
	}
	assert_null(ls_keyset_get(s, "+79999999999", 12));
	assert_int_equal(ls_keyset_count(s), NKEYS);
	/* 2^21 slots of 8 bytes and ~21 bytes an entry: some 36 MB. */
	assert_true(ls_keyset_memory(s) < 48u * 1024 * 1024);
	ls_keyset_free(s);
}

/* Reserved room, keys added before and after it, and the _h calls agree with the plain ones. */
static void
test_reserve_and_hashes(void **state)
{
	struct ls_keyset *s = ls_keyset_new();
	char key[32], val[32];
	size_t before;

	(void)state;
	assert_non_null(s);
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		snprintf(val, sizeof(val), "v%d", i);
		assert_int_equal(ls_keyset_put(s, key, strlen(key), val, strlen(val), NULL), 0);
	}
	before = ls_keyset_memory(s);
	assert_int_equal(ls_keyset_reserve(s, 200000), 0);
	/* room for 200000 keys at 3/4 full: 2^18 slots of 8 bytes, more than before */
	assert_true(ls_keyset_memory(s) >= before + ((size_t)1 << 18) * 8 - 1024 * 8);
	before = ls_keyset_memory(s);
	assert_int_equal(ls_keyset_reserve(s, 10), 0);	/* never shrinks */
	assert_int_equal(ls_keyset_memory(s), before);
	for (int i = 0; i < 200000; i++) {
		uint32_t h;
		const char *ex = NULL;
		snprintf(key, sizeof(key), "k%d", i);
		snprintf(val, sizeof(val), "v%d", i);
		h = ls_keyset_hash(key, strlen(key));
		ls_keyset_prefetch_h(s, h);
		ls_keyset_prefetch_value_h(s, h, 0);
		ls_keyset_prefetch_value_h(s, h, 200);
		assert_int_equal(ls_keyset_put_h(s, key, strlen(key), h, "new", 3, &ex), 0);
		if (i < 1000)
			assert_string_equal(ex, val);
		else
			assert_null(ex);
	}
	/* no table growth on the way: the arena grew, the table did not */
	assert_int_equal(ls_keyset_count(s), 200000);
	for (int i = 0; i < 200000; i += 997) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_string_equal(ls_keyset_get_h(s, key, strlen(key), ls_keyset_hash(key, strlen(key))),
		    i < 1000 ? (snprintf(val, sizeof(val), "v%d", i), val) : "new");
	}
	ls_keyset_free(s);
}

static void
test_free_null(void **state)
{
	(void)state;
	ls_keyset_free(NULL);
	assert_int_equal(ls_keyset_count(NULL), 0);
	assert_null(ls_keyset_get(NULL, "k", 1));
}

/* Values updated in place: created once, then found, and writes stay. */
static void
test_upsert(void **state)
{
	struct ls_keyset *s = ls_keyset_new();
	int created = -1, st = -1;
	long v;
	void *p;

	(void)state;
	assert_non_null(s);
	p = ls_keyset_upsert(s, "L1", 2, sizeof(v), &created, &st);
	assert_non_null(p);
	assert_int_equal(st, 0);
	assert_int_equal(created, 1);
	memcpy(&v, p, sizeof(v));
	assert_int_equal(v, 0);
	v = 42;
	memcpy(p, &v, sizeof(v));
	for (int i = 0; i < 100000; i++) {	/* growth must not move the value */
		char k[16];
		snprintf(k, sizeof(k), "K%d", i);
		assert_non_null(ls_keyset_upsert(s, k, strlen(k), sizeof(v), &created, &st));
	}
	p = ls_keyset_upsert(s, "L1", 2, sizeof(v), &created, &st);
	assert_int_equal(created, 0);
	memcpy(&v, p, sizeof(v));
	assert_int_equal(v, 42);
	assert_ptr_equal(ls_keyset_get(s, "L1", 2), p);
	ls_keyset_free(s);
}

/* The iterator gives every key once with its value, embedded NULs and growth included. */
static void
test_keyset_next(void **state)
{
	struct ls_keyset *s = ls_keyset_new();
	const char *k, *v;
	size_t pos = 0, klen, n = 0, sum = 0;
	char key[32], val[32];

	(void)state;
	assert_non_null(s);
	assert_int_equal(ls_keyset_next(s, &pos, &k, &klen, &v), 0);
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		snprintf(val, sizeof(val), "%d", i);
		assert_int_equal(ls_keyset_put(s, key, strlen(key) + 1, val, strlen(val), NULL), 0);
	}
	pos = 0;
	while (ls_keyset_next(s, &pos, &k, &klen, &v)) {
		assert_int_equal(k[klen - 1], '\0');
		assert_int_equal(atoi(k + 1), atoi(v));
		sum += (size_t)atoi(v);
		n++;
	}
	assert_int_equal(n, 5000);
	assert_int_equal(sum, 5000 * 4999 / 2);
	ls_keyset_free(s);
}

/*
 * The limits a caller can reach: a key or value over 4 GB is refused (before
 * the key is read: the hash is given), a set of entries each bigger than a
 * chunk takes a chunk each past the first 16 the set starts with, and a NULL
 * set holds no memory.
 */
static void
test_limits(void **state)
{
	struct ls_keyset *s;
	char key[8];
	void *v;
	int created, status;

	(void)state;
	assert_int_equal(ls_keyset_memory(NULL), 0);
	assert_non_null(s = ls_keyset_new());
	assert_null(ls_keyset_upsert_h(s, "k", (size_t)UINT32_MAX + 1, 1, 0, &created, &status));
	assert_int_equal(status, LS_EUSAGE);
	assert_null(ls_keyset_upsert_h(s, "k", 1, 1, (size_t)UINT32_MAX + 1, &created, &status));
	assert_int_equal(status, LS_EUSAGE);
	assert_int_equal(ls_keyset_count(s), 0);
	/* 2 MiB values: one chunk each, 20 of them */
	for (int i = 0; i < 20; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_non_null(v = ls_keyset_upsert(s, key, strlen(key), (size_t)1 << 21, &created, &status));
		assert_true(created);
		memset(v, 'a' + i, (size_t)1 << 21);
	}
	assert_true(ls_keyset_memory(s) >= (size_t)20 << 21);
	for (int i = 0; i < 20; i++) {
		const char *got;

		snprintf(key, sizeof(key), "k%d", i);
		assert_non_null(got = ls_keyset_get(s, key, strlen(key)));
		assert_int_equal(got[0], 'a' + i);
		assert_int_equal(got[((size_t)1 << 21) - 1], 'a' + i);
	}
	assert_int_equal(ls_keyset_count(s), 20);
	ls_keyset_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keyset_next),
		cmocka_unit_test(test_upsert),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_put_get),
		cmocka_unit_test(test_duplicate_returns_first),
		cmocka_unit_test(test_empty_key_and_value),
		cmocka_unit_test(test_binary_keys),
		cmocka_unit_test(test_long_value),
		cmocka_unit_test(test_million),
		cmocka_unit_test(test_reserve_and_hashes),
		cmocka_unit_test(test_free_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_utf8.c - ls_utf8_valid(): what the reader accepts as text, and where it says input goes bad. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "record.h"
#include "utf8.h"
#include "scan.h"

struct utf8_case {
	const char *name;
	const char *s;
	size_t n;		/* 0: strlen(s) */
	int want;		/* 1 valid, 0 invalid, -1 NUL */
	size_t bad;		/* offset of the first offending byte (when want != 1) */
};

#define S(x)	x, sizeof(x) - 1
static const struct utf8_case cases[] = {
	{ "empty", S(""), 1, 0 },
	{ "ascii", S("lead_id,company"), 1, 0 },
	{ "two-byte cyrillic", S("\xd0\x9e\xd0\x9e\xd0\x9e \xd0\xa0\xd0\xbe\xd0\xbc\xd0\xb0\xd1\x88\xd0\xba\xd0\xb0"), 1, 0 },
	{ "three-byte euro", S("\xe2\x82\xac 100"), 1, 0 },
	{ "four-byte emoji", S("ok \xf0\x9f\x98\x80"), 1, 0 },
	{ "highest code point", S("\xf4\x8f\xbf\xbf"), 1, 0 },
	{ "lone continuation", S("ab\x80" "cd"), 0, 2 },
	{ "lead at the end", S("abc\xd0"), 0, 3 },
	{ "lead then ascii", S("a\xd0" "b"), 0, 1 },
	{ "overlong slash C0", S("x\xc0\xaf"), 0, 1 },
	{ "overlong C1", S("\xc1\xbf"), 0, 0 },
	{ "overlong three-byte", S("ab\xe0\x80\xaf"), 0, 2 },
	{ "overlong four-byte", S("\xf0\x80\x80\xaf"), 0, 0 },
	{ "surrogate D800", S("a\xed\xa0\x80"), 0, 1 },
	{ "past U+10FFFF", S("\xf4\x90\x80\x80"), 0, 0 },
	{ "byte F5", S("\xf5\x80\x80\x80"), 0, 0 },
	{ "byte FF", S("abc\xff"), 0, 3 },
	{ "cp1251 text", S("\xcf\xf0\xe8\xe2\xe5\xf2"), 0, 0 },
	{ "NUL", "ab\0cd", 5, -1, 2 },
	{ "NUL first", "\0", 1, -1, 0 },
	{ "three-byte cut short", S("\xe2\x82"), 0, 0 },
};

/* Each case at offsets 0..70 behind ASCII and followed by ASCII, so that
 * the SSE2 and AVX2 scans meet it in the middle of a 16- or 32-byte block,
 * across two, and at the end.  level: LS_SCAN_*. */
static void
check_all(int level)
{
	unsigned char buf[256];

	ls_scan_force(level);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct utf8_case *c = &cases[i];

		for (size_t pre = 0; pre <= 70; pre++) {
			for (size_t post = 0; post <= 20; post += 5) {
				size_t n = pre + c->n + post, bad = (size_t)-1;
				int rc;

				if (c->want == 0 && c->bad + 1 >= c->n && post > 0)
					continue;	/* a truncated character then text: the text is the bad byte */
				memset(buf, 'x', pre);
				memcpy(buf + pre, c->s, c->n);
				memset(buf + pre + c->n, 'y', post);
				rc = ls_utf8_valid(buf, n, &bad);
				if (rc != c->want)
					fail_msg("%s (level %d, %zu before, %zu after): %d, expected %d",
					    c->name, level, pre, post, rc, c->want);
				if (c->want != 1 && bad != pre + c->bad)
					fail_msg("%s (level %d, %zu before): bad at %zu, expected %zu",
					    c->name, level, pre, bad, pre + c->bad);
			}
		}
	}
	ls_scan_force_scalar(0);
}

static void
test_cases_scalar(void **state)
{
	(void)state;
	check_all(LS_SCAN_SCALAR);
}

static void
test_cases_sse2(void **state)
{
	(void)state;
	check_all(LS_SCAN_SSE2);
}

static void
test_cases_avx2(void **state)
{
	(void)state;
	check_all(LS_SCAN_AVX2);
}

/* A long run of two-byte characters with one bad byte at every position: all three scans name it. */
static void
test_bad_byte_anywhere(void **state)
{
	unsigned char buf[160];

	(void)state;
	for (int level = LS_SCAN_SCALAR; level <= LS_SCAN_AVX2; level++) {
		ls_scan_force(level);
		for (size_t at = 0; at < sizeof buf; at += 2) {
			size_t bad = 0;

			for (size_t i = 0; i < sizeof buf; i += 2) {
				buf[i] = 0xd0;
				buf[i + 1] = 0x9e;
			}
			buf[at] = 0xff;
			assert_int_equal(ls_utf8_valid(buf, sizeof buf, &bad), 0);
			assert_int_equal(bad, at);
		}
		/* and none: valid whatever the length */
		for (size_t n = 0; n <= sizeof buf; n += 2) {
			size_t bad = 7;
			for (size_t i = 0; i < sizeof buf; i += 2) {
				buf[i] = 0xd0;
				buf[i + 1] = 0x9e;
			}
			assert_int_equal(ls_utf8_valid(buf, n, &bad), 1);
		}
	}
	ls_scan_force_scalar(0);
}

/* A character cut by the length given: invalid at its lead, although the bytes after it would finish it. */
static void
test_length_cuts_character(void **state)
{
	const unsigned char s[] = "abcdefghijklmnopqrstuvwxyz012345\xe2\x82\xac";
	size_t bad = 0;

	(void)state;
	for (int level = LS_SCAN_SCALAR; level <= LS_SCAN_AVX2; level++) {
		ls_scan_force(level);
		assert_int_equal(ls_utf8_valid(s, 35, &bad), 1);
		assert_int_equal(ls_utf8_valid(s, 34, &bad), 0);
		assert_int_equal(bad, 32);
		assert_int_equal(ls_utf8_valid(s, 33, &bad), 0);
		assert_int_equal(bad, 32);
		assert_int_equal(ls_utf8_valid(s, 32, &bad), 1);
	}
	ls_scan_force_scalar(0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases_scalar),
		cmocka_unit_test(test_cases_sse2),
		cmocka_unit_test(test_cases_avx2),
		cmocka_unit_test(test_bad_byte_anywhere),
		cmocka_unit_test(test_length_cuts_character),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_email.c - e-mail normalisation and de-duplication keys. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "email.h"
#include "error.h"

struct ecase {
	const char *in;
	const char *want;	/* the normalised text */
	int valid;
};

#define L63 "abcdefghij" "abcdefghij" "abcdefghij" "abcdefghij" "abcdefghij" "abcdefghij" "abc"

static const struct ecase cases[] = {
	{ "ivan@example.com",		"ivan@example.com", 1 },
	{ "Ivan.Petrov@Example.COM",	"ivan.petrov@example.com", 1 },
	{ "  ivan@example.com  ",	"ivan@example.com", 1 },
	{ "\tivan@example.com\r\n",	"ivan@example.com", 1 },
	{ "\xc2\xa0ivan@example.com\xc2\xa0", "ivan@example.com", 1 },
	{ "ivan+promo@example.com",	"ivan+promo@example.com", 1 },
	{ "a@b.c",			"a@b.c", 1 },
	{ "ivan@localhost",		"ivan@localhost", 1 },	/* WHATWG: one label is enough */
	{ "ivan@mail.example.co.uk",	"ivan@mail.example.co.uk", 1 },
	{ "i-v_a.n@ex-ample.com",	"i-v_a.n@ex-ample.com", 1 },
	{ "!#$%&'*+/=?^_`{|}~-@x.ru",	"!#$%&'*+/=?^_`{|}~-@x.ru", 1 },
	{ ".ivan@example.com",		".ivan@example.com", 1 },	/* WHATWG allows dots anywhere */
	{ "ivan.@example.com",		"ivan.@example.com", 1 },
	{ "iv..an@example.com",		"iv..an@example.com", 1 },
	{ "123@456.789",		"123@456.789", 1 },
	{ "ivan@xn--80ak6aa92e.com",	"ivan@xn--80ak6aa92e.com", 1 },
	{ "ivan@" L63 ".com",		"ivan@" L63 ".com", 1 },
	{ "ivan@a-b.c-d.e",		"ivan@a-b.c-d.e", 1 },
	{ "ivan@1.2.3.4",		"ivan@1.2.3.4", 1 },
	{ "+tag@example.com",		"+tag@example.com", 1 },
	/* invalid */
	{ "",				"", 0 },
	{ "   ",			"", 0 },
	{ "n/a",			"n/a", 0 },
	{ "ivan",			"ivan", 0 },
	{ "ivan@",			"ivan@", 0 },
	{ "@example.com",		"@example.com", 0 },
	{ "ivan@@example.com",		"ivan@@example.com", 0 },
	{ "iv@n@example.com",		"iv@n@example.com", 0 },
	{ "ivan petrov@example.com",	"ivan petrov@example.com", 0 },
	{ "ivan@exa mple.com",		"ivan@exa mple.com", 0 },
	{ "ivan@example.com.",		"ivan@example.com.", 0 },
	{ "ivan@.example.com",		"ivan@.example.com", 0 },
	{ "ivan@example..com",		"ivan@example..com", 0 },
	{ "ivan@-example.com",		"ivan@-example.com", 0 },
	{ "ivan@example-.com",		"ivan@example-.com", 0 },
	{ "ivan@example.com-",		"ivan@example.com-", 0 },
	{ "ivan@exa_mple.com",		"ivan@exa_mple.com", 0 },
	{ "ivan@" L63 "d.com",		"ivan@" L63 "d.com", 0 },	/* 64-char label */
	{ "\"ivan\"@example.com",	"\"ivan\"@example.com", 0 },	/* no quoted local parts */
	{ "ivan(comment)@example.com",	"ivan(comment)@example.com", 0 },
	{ "ivan@[192.168.0.1]",		"ivan@[192.168.0.1]", 0 },
	{ "иван@пример.рф",		"иван@пример.рф", 0 },
	{ "ivan@пример.рф",		"ivan@пример.рф", 0 },
	{ "ivan@example.com; petr@example.com", "ivan@example.com; petr@example.com", 0 },
	{ "ivan@example.com,",		"ivan@example.com,", 0 },
	{ "mailto:ivan@example.com",	"mailto:ivan@example.com", 0 },
	{ "<ivan@example.com>",		"<ivan@example.com>", 0 },
	{ "ivan\\@example.com",		"ivan\\@example.com", 0 },
	{ "ivan@example.com\xc2\xa0x",	"ivan@example.com\xc2\xa0x", 0 },
};

static void
test_table(void **state)
{
	char out[256];
	size_t i;
	int rc, bad = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct ecase *c = &cases[i];

		rc = ls_email_normalize(c->in, strlen(c->in), out, sizeof(out));
		if (rc != (c->valid ? 0 : LS_EDATA) || strcmp(out, c->want) != 0) {
			print_error("case %zu \"%s\": got rc %d \"%s\", want %s \"%s\"\n",
			    i, c->in, rc, out, c->valid ? "valid" : "invalid", c->want);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
	assert_true(sizeof(cases) / sizeof(cases[0]) >= 40);
}

static void
test_in_place(void **state)
{
	char buf[] = "  Ivan@Example.COM ";

	(void)state;
	assert_int_equal(ls_email_normalize(buf, strlen(buf), buf, sizeof(buf)), 0);
	assert_string_equal(buf, "ivan@example.com");
}

/* n is the length: bytes past it are not looked at. */
static void
test_length_bound(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(ls_email_normalize("ivan@example.com,petr", 16, out, sizeof(out)), 0);
	assert_string_equal(out, "ivan@example.com");
	assert_int_equal(ls_email_normalize(NULL, 0, out, sizeof(out)), LS_EDATA);
	assert_string_equal(out, "");
}

static void
test_small_buffer(void **state)
{
	char out[8];

	(void)state;
	assert_int_equal(ls_email_normalize("ivan@example.com", 16, out, sizeof(out)),
	    LS_EUSAGE);
	/* Trimming happens first: what counts is the trimmed length. */
	assert_int_equal(ls_email_normalize("   a@b.ru   ", 12, out, sizeof(out)), 0);
	assert_string_equal(out, "a@b.ru");
	assert_int_equal(ls_email_normalize("a@b.ru", 6, out, 6), LS_EUSAGE);
	assert_int_equal(ls_email_dedup_key("a@b.ru", 6, out, 6, NULL), LS_EUSAGE);
}

static void
test_dedup_key(void **state)
{
	static const struct {
		const char *in, *want;
	} k[] = {
		{ "ivan+promo@example.com",	"ivan@example.com" },
		{ "ivan@example.com",		"ivan@example.com" },
		{ "ivan+a+b@example.com",	"ivan@example.com" },
		{ "ivan+@example.com",		"ivan@example.com" },
		{ "+tag@example.com",		"+tag@example.com" },
		{ "ivan@ex+ample.com",		"ivan@ex+ample.com" },	/* not in the local part */
		{ "iv.an+x@example.com",	"iv.an@example.com" },	/* dots are kept */
		{ "no-at-sign+x",		"no-at-sign+x" },
		{ "",				"" },
	};
	char out[64];
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		len = 999;
		assert_int_equal(ls_email_dedup_key(k[i].in, strlen(k[i].in), out,
		    sizeof(out), &len), 0);
		assert_string_equal(out, k[i].want);
		assert_int_equal(len, strlen(k[i].want));
	}
}

static void
test_dedup_key_in_place(void **state)
{
	char buf[] = "ivan+promo@example.com";
	size_t len;

	(void)state;
	assert_int_equal(ls_email_dedup_key(buf, strlen(buf), buf, sizeof(buf), &len), 0);
	assert_string_equal(buf, "ivan@example.com");
	assert_int_equal(len, 16);
}

/*
 * Every byte value at every offset of the eight-byte steps, and the
 * addresses moved down in place past leading spaces: the letters A..Z
 * and nothing else are lower-cased, as a byte-by-byte loop does it.
 */
static void
test_lower_every_byte(void **state)
{
	char in[40], out[48], want[40];

	(void)state;
	for (int c = 1; c < 256; c++) {
		for (size_t at = 0; at < 24; at++) {
			for (size_t lead = 0; lead < 3; lead++) {
				size_t n = 0, k;

				for (k = 0; k < lead; k++)
					in[n++] = ' ';
				for (k = 0; k < 24; k++)
					in[n++] = k == at ? (char)c : (char)("Ab@Z.[`{zQ"[k % 10]);
				in[n++] = 'x';
				for (k = 0; k < 25; k++) {
					unsigned char b = (unsigned char)in[lead + k];
					want[k] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
				}
				if (at == 0 && strchr(" \t\n\f\r", c) != NULL)
					continue;	/* space at the start is trimmed */
				if (lead == 1) {
					/* in place: out is in, the text moves down past the space */
					ls_email_normalize(in, n, in, sizeof(in));
					if (memcmp(in, want, 25) != 0)
						fail_msg("byte %#x at %zu, in place", c, at);
				} else {
					ls_email_normalize(in, n, out, sizeof(out));
					if (memcmp(out, want, 25) != 0 || out[25] != '\0')
						fail_msg("byte %#x at %zu", c, at);
				}
			}
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_in_place),
		cmocka_unit_test(test_length_bound),
		cmocka_unit_test(test_small_buffer),
		cmocka_unit_test(test_dedup_key),
		cmocka_unit_test(test_dedup_key_in_place),
		cmocka_unit_test(test_lower_every_byte),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
